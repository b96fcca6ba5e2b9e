/* fuzz-helper-frame.c: libFuzzer target for the decoder a root process runs
 * on every frame a client sends (reflash-helper)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-helper-frame.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

/* Whatever the bytes, a decoded command is well formed and within the caps. */
static void
fuzz_command (GBytes *payload)
{
  g_autofree guint8 *buffer = NULL;
  RfCommand command;

  if (!rf_helper_frame_decode_command (payload, &command, &buffer, NULL))
    return;
  if (!rf_command_is_well_formed (&command) || command.data_length > RF_HELPER_DATA_MAX ||
      command.cdb_length < 6)
    __builtin_trap ();
}

static void
fuzz_stage (GBytes *payload)
{
  RfHelperStage stage;

  if (!rf_helper_frame_decode_stage (payload, &stage, NULL))
    return;
  if (stage.stage > RF_GATE_STAGE_AFTER_FAILURE || stage.phase >= RF_PHASE_LAST ||
      strlen (stage.family_id) > RF_HELPER_FAMILY_ID_MAX)
    __builtin_trap ();
}

/* The client's side too: a reply is never written past the buffer asked for. */
static void
fuzz_reply (GBytes *payload)
{
  static const guint8 cdb[6] = { 0x12, 0, 0, 0, 0x24, 0 };
  guint8 data[37];
  g_autoptr(GError) failure = NULL;
  RfCommand command;
  gboolean answered;

  data[36] = 0x5A;
  if (!rf_command_init (&command, cdb, 6, RF_DIRECTION_IN, data, 36, 1000))
    __builtin_trap ();
  rf_helper_frame_decode_reply (payload, &command, &answered, &failure, NULL);
  if (data[36] != 0x5A || command.sense_length > RF_SENSE_MAX)
    __builtin_trap ();
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GBytes) payload = g_bytes_new (data, size);
  g_auto(RfHelperHello) hello = { 0 };
  g_autofree char *bye = NULL;

  fuzz_command (payload);
  fuzz_stage (payload);
  fuzz_reply (payload);
  rf_helper_frame_decode_hello (payload, &hello, NULL);
  bye = rf_helper_frame_decode_bye (payload);
  return 0;
}
