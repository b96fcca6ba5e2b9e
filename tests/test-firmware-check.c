/* test-firmware-check.c: a file judged against a drive, as the CLI and the wizard do it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "rf-core.h"
#include "rf-firmware-check.h"
#include "rf-test-images.h"

static RfDriveDb *db;

/* The seed's drive after a deep probe: stored ID K451, bootcode K355, version 05. */
static RfDriveIdentity *
seed_identity (void)
{
  RfDriveIdentity *identity = rf_drive_identity_new ();

  identity->vendor = g_strdup ("_NEC");
  identity->product = g_strdup ("DVD_RW ND-3550A");
  identity->revision = g_strdup ("0.05");
  identity->family = g_strdup ("nec-2m");
  identity->safe_mode = TRUE;
  identity->stored_id = g_strdup ("K451");
  identity->bootcode_key = g_strdup ("K355");
  identity->bootcode_version = g_strdup ("05");
  return identity;
}

static RfVerdict *
judge_seed (RfFirmwareCheck *check)
{
  g_autoptr(RfDriveIdentity) identity = seed_identity ();

  rf_firmware_check_judge (check, rf_drive_db_lookup (db, "nec-2m"), identity,
                           RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_PROBE_DEPTH_DEEP);
  return rf_firmware_check_get_verdict (check);
}

static void
test_recovery_image (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes ("nd3550.bin", image);
  RfVerdict *verdict = judge_seed (check);

  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_RECOVERY);
  g_assert_true (rf_verdict_is_allowed (verdict));
  g_assert_cmpint (rf_firmware_check_get_problem (check), ==, RF_FIRMWARE_PROBLEM_NONE);
  g_assert_cmpstr (rf_firmware_get_revision (rf_firmware_check_get_judged (check)), ==, "1.05");
}

static void
test_crossflash_refused (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K451", "05", "1.09");
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes ("nd4551.bin", image);
  RfVerdict *verdict = judge_seed (check);

  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_REFUSED);
  g_assert_cmpint (rf_verdict_get_reason (verdict), ==, RF_VERDICT_REASON_CROSSFLASH);
  g_assert_false (rf_verdict_is_allowed (verdict));
}

static void
test_updater_picks_the_fitting_image (void)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K451", "05", "1.09", FALSE },
  };
  g_autoptr(GBytes) updater = rf_test_updater (images, G_N_ELEMENTS (images), 4096);
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes ("updater.exe", updater);
  RfVerdict *verdict = judge_seed (check);

  g_assert_true (rf_nec_firmware_is_container (rf_firmware_check_get_nec (check)));
  /* Whatever order the updater holds them in, the bootcode's model wins. */
  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_RECOVERY);
  g_assert_cmpstr (rf_firmware_get_drive_id (rf_firmware_check_get_judged (check)), ==, "K355");
}

/* Judged again for a drive whose bootcode is unknown, an updater goes back to
 * its drive-less choice: the last drive's image and reason do not carry over. */
static void
test_updater_choice_not_stale (void)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K451", "05", "1.09", FALSE },
  };
  g_autoptr(GBytes) updater = rf_test_updater (images, G_N_ELEMENTS (images), 4096);
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes ("updater.exe", updater);
  g_autoptr(RfDriveIdentity) unknown = seed_identity ();
  RfNecFirmware *nec = rf_firmware_check_get_nec (check);
  gint first = rf_nec_firmware_get_chosen (nec);
  RfNecChoice first_choice = rf_nec_firmware_get_choice (nec);

  judge_seed (check);
  g_assert_cmpint (rf_nec_firmware_get_choice (nec), ==, RF_NEC_CHOICE_DRIVE_BOOTCODE);
  g_clear_pointer (&unknown->bootcode_key, g_free);
  rf_firmware_check_judge (check, rf_drive_db_lookup (db, "nec-2m"), unknown,
                           RF_DRIVE_STATE_SAFE_MODE, RF_PROBE_DEPTH_DEEP);
  g_assert_cmpint (rf_nec_firmware_get_chosen (nec), ==, first);
  g_assert_cmpint (rf_nec_firmware_get_choice (nec), ==, first_choice);
  g_assert_cmpstr (rf_firmware_get_drive_id (rf_firmware_check_get_judged (check)), ==,
                   rf_nec_firmware_get_candidate (nec, (guint) first)->drive_id);
  g_assert_cmpint (rf_verdict_get_reason (rf_firmware_check_get_verdict (check)), ==,
                   RF_VERDICT_REASON_IDENTITY_UNKNOWN);
}

static void
test_missing_file (void)
{
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_file ("/nonexistent/fw.bin");
  RfVerdict *verdict = judge_seed (check);

  g_assert_cmpint (rf_firmware_check_get_problem (check), ==, RF_FIRMWARE_PROBLEM_NOT_FOUND);
  g_assert_null (rf_firmware_check_get_nec (check));
  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_REFUSED);
  g_assert_false (rf_verdict_is_allowed (verdict));
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  RfFirmwareCheck **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = rf_firmware_check_new_for_file_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async_file (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autofree char *dir = g_dir_make_tmp ("reflash-check-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "nd3550.bin", NULL);
  g_autoptr(RfFirmwareCheck) check = NULL;
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (image, NULL), (gssize) g_bytes_get_size (image),
                       &error);
  g_assert_no_error (error);
  rf_firmware_check_new_for_file_async (path, NULL, on_loaded, &check);
  while (check == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (rf_firmware_check_get_path (check), ==, path);
  g_assert_cmpint (rf_verdict_get_kind (judge_seed (check)), ==, RF_VERDICT_KIND_RECOVERY);
  g_unlink (path);
  g_rmdir (dir);
}

/* The depth of the drive's probe reaches the verdict: an SPC file is judged
 * only against a drive whose deep check ended ready, never against one the
 * wizard or the CLI has only listed. */
static void
test_spc_needs_deep_probe (void)
{
  RfDriveFamily *family = rf_drive_db_lookup (db, "spc-generic");
  g_autoptr(GBytes) image = rf_test_spc_image (family, "1.01");
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes ("spc.bin", image);
  g_autoptr(RfDriveIdentity) identity = rf_test_spc_identity (family);

  rf_firmware_check_judge (check, family, identity, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP);
  g_assert_true (rf_verdict_is_allowed (rf_firmware_check_get_verdict (check)));
  rf_firmware_check_judge (check, family, identity, RF_DRIVE_STATE_READY,
                           RF_PROBE_DEPTH_PASSIVE);
  g_assert_cmpint (rf_verdict_get_reason (rf_firmware_check_get_verdict (check)), ==,
                   RF_VERDICT_REASON_IDENTITY_UNKNOWN);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/reflash/firmware-check/recovery-image", test_recovery_image);
  g_test_add_func ("/reflash/firmware-check/crossflash-refused", test_crossflash_refused);
  g_test_add_func ("/reflash/firmware-check/updater-picks-the-fitting-image",
                   test_updater_picks_the_fitting_image);
  g_test_add_func ("/reflash/firmware-check/updater-choice-not-stale",
                   test_updater_choice_not_stale);
  g_test_add_func ("/reflash/firmware-check/missing-file", test_missing_file);
  g_test_add_func ("/reflash/firmware-check/async-file", test_async_file);
  g_test_add_func ("/reflash/firmware-check/spc-needs-deep-probe", test_spc_needs_deep_probe);
  status = g_test_run ();
  g_clear_object (&db);
  return status;
}
