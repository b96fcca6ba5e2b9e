/* test-spc-firmware.c: images of SPC download families, checked by family rules
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-drive-db.h"
#include "rf-spc-firmware.h"
#include "rf-test-images.h"

static const RfSpcImageRules checked_rules = {
  .family = "spc-test", .sizes = { 256, 512 }, .n_sizes = 2,
  .model_offset = 0x40, .model = "PRACTICE SPC", .revision_offset = 0x50, .revision_length = 4,
};

static GBytes *
spc_image (gsize       size,
           const char *model,
           const char *revision)
{
  guint8 *data = g_malloc0 (size);

  memcpy (data + 0x40, model, strlen (model));
  memcpy (data + 0x50, revision, strlen (revision));
  return g_bytes_new_take (data, size);
}

static void
test_checked (void)
{
  g_autoptr(RfSpcFirmware) firmware = rf_spc_firmware_new (&checked_rules);
  g_autoptr(GBytes) image = spc_image (512, "PRACTICE SPC", "2.10");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) written = NULL;

  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), image, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rf_firmware_get_format (RF_FIRMWARE (firmware)), ==, "spc-download");
  g_assert_cmpstr (rf_firmware_get_family (RF_FIRMWARE (firmware)), ==, "spc-test");
  g_assert_cmpstr (rf_firmware_get_model (RF_FIRMWARE (firmware)), ==, "PRACTICE SPC");
  g_assert_cmpstr (rf_firmware_get_revision (RF_FIRMWARE (firmware)), ==, "2.10");
  g_assert_true (rf_firmware_get_model_checked (RF_FIRMWARE (firmware)));
  written = rf_firmware_write (RF_FIRMWARE (firmware), &error);
  g_assert_true (g_bytes_equal (written, image));
}

static void
test_wrong_size_and_model (void)
{
  g_autoptr(RfSpcFirmware) a = rf_spc_firmware_new (&checked_rules);
  g_autoptr(RfSpcFirmware) b = rf_spc_firmware_new (&checked_rules);
  g_autoptr(RfSpcFirmware) c = rf_spc_firmware_new (&checked_rules);
  g_autoptr(GBytes) odd = spc_image (300, "PRACTICE SPC", "2.10");
  g_autoptr(GBytes) other = spc_image (256, "OTHER MODEL", "2.10");
  static const guint8 tiny[4] = { 1, 2, 3, 4 };
  g_autoptr(GBytes) short_bytes = g_bytes_new_static (tiny, sizeof tiny);

  g_assert_false (rf_firmware_parse (RF_FIRMWARE (a), odd, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (a)), ==, RF_FIRMWARE_PROBLEM_SIZE);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (b), other, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (b)), ==, RF_FIRMWARE_PROBLEM_WRONG_MODEL);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (c), short_bytes, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (c)), ==, RF_FIRMWARE_PROBLEM_SIZE);
}

static void
test_raw_blob (void)
{
  const RfSpcImageRules blind = { .family = "spc-test", .model_offset = -1, .revision_offset = -1 };
  g_autoptr(RfSpcFirmware) firmware = rf_spc_firmware_new (&blind);
  g_autoptr(GBytes) blob = rf_test_random_bytes (1000, 5);

  /* Accepted as bytes, but never as checked: the verdict warns (spec-only). */
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), blob, NULL));
  g_assert_false (rf_firmware_get_model_checked (RF_FIRMWARE (firmware)));
  g_assert_null (rf_firmware_get_model (RF_FIRMWARE (firmware)));
  g_assert_nonnull (rf_firmware_get_input_sha256 (RF_FIRMWARE (firmware)));
}

static void
test_rules_from_family (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;
  g_autoptr(RfSpcFirmware) firmware = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) bad = NULL;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "spc-generic");
  g_assert_nonnull (family);
  g_assert_cmpuint (family->download.image_sizes->len, >, 0);
  firmware = rf_spc_firmware_new_for_family (family);
  good = spc_image ((gsize) g_array_index (family->download.image_sizes, guint64, 0),
                    "PRACTICE SPC", "1.01");
  bad = spc_image ((gsize) g_array_index (family->download.image_sizes, guint64, 0),
                   "SOMETHING ELSE", "1.01");
  /* data/drives/spc-generic.conf: model check "PRACTICE SPC" at 0x40, revision at 0x50. */
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), good, NULL));
  g_assert_cmpstr (rf_firmware_get_revision (RF_FIRMWARE (firmware)), ==, "1.01");
  g_assert_cmpstr (rf_firmware_get_family (RF_FIRMWARE (firmware)), ==, "spc-generic");
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), bad, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                   RF_FIRMWARE_PROBLEM_WRONG_MODEL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/spc-firmware/checked", test_checked);
  g_test_add_func ("/reflash/spc-firmware/wrong-size-and-model", test_wrong_size_and_model);
  g_test_add_func ("/reflash/spc-firmware/raw-blob", test_raw_blob);
  g_test_add_func ("/reflash/spc-firmware/rules-from-family", test_rules_from_family);

  return g_test_run ();
}
