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

/* An image laid out as the family's data describes it. */
static GBytes *
family_image (const RfSpcDownload *download,
              gboolean             right_model,
              const char          *revision)
{
  gsize size = (gsize) g_array_index (download->image_sizes, guint64, 0);
  guint8 *data = g_malloc0 (size);
  gsize length;
  const guint8 *model = g_bytes_get_data (download->model_check, &length);

  memcpy (data + download->model_check_offset, model, length);
  if (!right_model)
    data[download->model_check_offset] ^= 0x20;
  memcpy (data + download->revision_offset, revision, strlen (revision));
  return g_bytes_new_take (data, size);
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
  g_autoptr(GBytes) odd = NULL;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "spc-generic");
  g_assert_nonnull (family);
  /* data/drives/spc-generic.conf has sizes, a model check and a revision. */
  g_assert_cmpuint (family->download.image_sizes->len, >, 0);
  g_assert_true (family->download.has_model_check);
  g_assert_true (family->download.has_revision_offset);
  firmware = rf_spc_firmware_new_for_family (family);
  good = family_image (&family->download, TRUE, "1.01");
  bad = family_image (&family->download, FALSE, "1.01");
  odd = rf_test_random_bytes (g_bytes_get_size (good) + 1, 9);
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), good, NULL));
  g_assert_cmpstr (rf_firmware_get_revision (RF_FIRMWARE (firmware)), ==, "1.01");
  g_assert_cmpstr (rf_firmware_get_family (RF_FIRMWARE (firmware)), ==, "spc-generic");
  g_assert_true (rf_firmware_get_model_checked (RF_FIRMWARE (firmware)));
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), bad, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                   RF_FIRMWARE_PROBLEM_WRONG_MODEL);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), odd, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==, RF_FIRMWARE_PROBLEM_SIZE);
}

/* A family listing more sizes than RfSpcImageRules holds still accepts only
 * those sizes. */
static void
test_many_sizes (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;
  g_autoptr(RfSpcFirmware) firmware = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) odd = NULL;
  g_autoptr(GBytes) last = NULL;
  guint64 size;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "spc-generic");
  good = family_image (&family->download, TRUE, "1.01");
  for (guint i = 1; i <= RF_SPC_MAX_SIZES + 1; i++)
    {
      size = g_bytes_get_size (good) + 2 * i;
      g_array_append_val (family->download.image_sizes, size);
    }
  firmware = rf_spc_firmware_new_for_family (family);
  odd = rf_test_random_bytes (g_bytes_get_size (good) + 1, 9);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), odd, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==, RF_FIRMWARE_PROBLEM_SIZE);
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), good, NULL));
  /* The last listed size counts too. */
  {
    gsize n = (gsize) size;
    guint8 *data = g_malloc0 (n);

    memcpy (data, g_bytes_get_data (good, NULL), g_bytes_get_size (good));
    last = g_bytes_new_take (data, n);
  }
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), last, NULL));
}

/* Model bytes with NULs inside are compared in full, not up to the first NUL. */
static void
test_model_bytes_with_nul (void)
{
  static const char model[] = "SPC\0MODEL";
  const RfSpcImageRules rules = {
    .family = "spc-test", .sizes = { 256 }, .n_sizes = 1, .model_offset = 0x40,
    .model = model, .model_length = sizeof model - 1, .revision_offset = 0x50,
    .revision_length = 4,
  };
  g_autoptr(RfSpcFirmware) a = rf_spc_firmware_new (&rules);
  g_autoptr(RfSpcFirmware) b = rf_spc_firmware_new (&rules);
  g_autoptr(GBytes) right = NULL;
  g_autoptr(GBytes) other = spc_image (256, "SPC OTHER", "1.00");
  guint8 *data = g_malloc0 (256);

  memcpy (data + 0x40, model, sizeof model - 1);
  memcpy (data + 0x50, "1.00", 4);
  right = g_bytes_new_take (data, 256);
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (a), right, NULL));
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (b), other, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (b)), ==, RF_FIRMWARE_PROBLEM_WRONG_MODEL);
}

/* The same through the family data: ModelCheckBytes padded with NULs. */
static void
test_family_model_bytes_with_nul (void)
{
  static const guint8 padded[] = { 'P', 'R', 'A', 'C', 0, 0, 'X', 'Y' };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;
  g_autoptr(RfSpcFirmware) firmware = NULL;
  g_autoptr(GBytes) good = NULL;
  g_autoptr(GBytes) prefix_only = NULL;
  guint8 *data;
  gsize size;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "spc-generic");
  g_bytes_unref (family->download.model_check);
  family->download.model_check = g_bytes_new_static (padded, sizeof padded);
  good = family_image (&family->download, TRUE, "1.01");
  /* Same first four bytes, different after the NULs. */
  data = g_bytes_unref_to_data (g_bytes_ref (good), &size);
  data[family->download.model_check_offset + 6] = 'Z';
  prefix_only = g_bytes_new_take (data, size);
  firmware = rf_spc_firmware_new_for_family (family);
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), good, NULL));
  g_assert_true (rf_firmware_get_model_checked (RF_FIRMWARE (firmware)));
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), prefix_only, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                   RF_FIRMWARE_PROBLEM_WRONG_MODEL);
}

/* Empty model bytes are no model check: the image is spec-only, never "checked". */
static void
test_empty_model_bytes (void)
{
  const RfSpcImageRules rules = {
    .family = "spc-test", .sizes = { 256 }, .n_sizes = 1, .model_offset = 0x40, .model = "",
    .revision_offset = 0x50, .revision_length = 4,
  };
  g_autoptr(RfSpcFirmware) firmware = rf_spc_firmware_new (&rules);
  g_autoptr(GBytes) image = spc_image (256, "ANYTHING", "1.00");

  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), image, NULL));
  g_assert_false (rf_firmware_get_model_checked (RF_FIRMWARE (firmware)));
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
  g_test_add_func ("/reflash/spc-firmware/many-sizes", test_many_sizes);
  g_test_add_func ("/reflash/spc-firmware/model-bytes-with-nul", test_model_bytes_with_nul);
  g_test_add_func ("/reflash/spc-firmware/family-model-bytes-with-nul",
                   test_family_model_bytes_with_nul);
  g_test_add_func ("/reflash/spc-firmware/empty-model-bytes", test_empty_model_bytes);

  return g_test_run ();
}
