/* fuzz-firmware.c: libFuzzer target for the firmware parsers and the scan for
 * images inside updaters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"
#include "rf-spc-firmware.h"
#include "rf-verdict.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* A parsed image must write back to bytes that parse to the same image. */
static void
check_round_trip (RfFirmware *firmware)
{
  g_autoptr(GBytes) written = rf_firmware_write (firmware, NULL);
  g_autoptr(RfNecFirmware) again = rf_nec_firmware_new ();

  if (written == NULL)
    __builtin_trap ();
  if (!rf_firmware_parse (RF_FIRMWARE (again), written, NULL))
    __builtin_trap ();
  if (!g_bytes_equal (written, rf_firmware_get_image (firmware)))
    __builtin_trap ();
}

/* Whatever the file, the seed's drive gets a verdict with a sentence. */
static void
check_verdict (RfFirmware *firmware)
{
  g_autoptr(RfDriveIdentity) id = rf_drive_identity_new ();
  g_autoptr(RfVerdict) verdict = NULL;

  id->family = g_strdup ("nec-2m");
  id->safe_mode = TRUE;
  id->revision = g_strdup ("0.05");
  id->stored_id = g_strdup ("K451");
  id->bootcode_key = g_strdup ("K355");
  id->bootcode_version = g_strdup ("05");
  verdict = rf_verdict_new (id, RF_DRIVE_STATE_SAFE_MODE, RF_PROBE_DEPTH_DEEP, firmware);
  if (rf_verdict_get_sentence (verdict) == NULL || rf_verdict_get_code (verdict) == NULL)
    __builtin_trap ();
  id->safe_mode = FALSE;
  g_free (id->revision);
  id->revision = g_strdup ("1.05");
  g_clear_object (&verdict);
  verdict = rf_verdict_new (id, RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_PROBE_DEPTH_DEEP, firmware);
  if (rf_verdict_get_sentence (verdict) == NULL)
    __builtin_trap ();
}

static void
fuzz_nec (GBytes *bytes)
{
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  gsize n_types;
  const RfNecType *types = rf_nec_types (&n_types);
  const char *versions[] = { "05", NULL };
  gboolean parsed = rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL);

  check_verdict (RF_FIRMWARE (firmware));
  if (!parsed)
    return;
  check_round_trip (RF_FIRMWARE (firmware));
  for (gsize i = 0; i < n_types; i++)
    for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
      if (rf_nec_firmware_choose_for_drive (firmware, types[i].id, versions[v], NULL) &&
          rf_nec_firmware_get_chosen (firmware) >= 0 &&
          rf_nec_firmware_get_candidate (firmware, (guint) rf_nec_firmware_get_chosen (firmware))
              ->problem != RF_FIRMWARE_PROBLEM_NONE)
        __builtin_trap ();
}

static void
fuzz_spc (GBytes *bytes)
{
  RfSpcImageRules rules = { .family = "spc-fuzz", .sizes = { 64, 4096 }, .n_sizes = 2,
                            .model_offset = 16, .model = "MODEL", .revision_offset = 32,
                            .revision_length = 4 };
  RfSpcImageRules blind = { .family = "spc-fuzz", .model_offset = -1, .revision_offset = -1 };
  g_autoptr(RfSpcFirmware) checked = rf_spc_firmware_new (&rules);
  g_autoptr(RfSpcFirmware) raw = rf_spc_firmware_new (&blind);

  rf_firmware_parse (RF_FIRMWARE (checked), bytes, NULL);
  rf_firmware_parse (RF_FIRMWARE (raw), bytes, NULL);
}

/* Revisions come from files and drives: any two short strings must compare. */
static void
fuzz_revisions (const guint8 *data,
                size_t        size)
{
  g_autofree char *a = g_strndup ((const char *) data, MIN (size, 8));
  g_autofree char *b = g_strndup (size > 8 ? (const char *) data + 8 : "", MIN (size > 8 ? size - 8 : 0, 8));
  gboolean comparable;
  int ab = rf_nec_revision_compare (a, b, &comparable);
  gboolean comparable_back;
  int ba = rf_nec_revision_compare (b, a, &comparable_back);

  if (comparable != comparable_back || (comparable && ab != -ba))
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);

  fuzz_nec (bytes);
  fuzz_spc (bytes);
  fuzz_revisions (data, size);
  return 0;
}
