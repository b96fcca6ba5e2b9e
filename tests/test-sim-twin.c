/* test-sim-twin.c: a twin of a real drive is that drive as a practice drive
 * (issue 26)
 *
 * The "real" drive is a stand-in: a practice drive behind its transport,
 * named and connected as a real one (rf_device_new_for_transport with a node
 * and a bus path), because QEMU's drives refuse vendor commands and cannot be
 * checked in depth. Its twin is then opened as any practice drive is.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "rf-core.h"
#include "rf-device-private.h"
#include "rf-sim.h"
#include "rf-test-util.h"

static RfDriveDb *db;
static char *home;

typedef struct {
  RfSimDrive *drive;
  RfDevice *device;
  char *dir;
} StandIn;

/* @scenario behind a node, as Reflash sees a real drive on SATA port 2. */
static void
stand_in_open (StandIn    *stand_in,
               const char *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = NULL;

  stand_in->dir = g_build_filename (home, "real", NULL);
  stand_in->drive = rf_sim_drive_open (scenario, stand_in->dir, &error);
  g_assert_no_error (error);
  transport = rf_sim_transport_new (stand_in->drive);
  stand_in->device = rf_device_new_for_transport ("/dev/sg7", transport, "sg7");
  rf_device_set_bus_path (stand_in->device,
                          "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0");
  g_assert_true (rf_device_probe (stand_in->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
}

static void
stand_in_close (StandIn *stand_in)
{
  g_clear_object (&stand_in->device);
  g_clear_object (&stand_in->drive);
  rf_test_remove_tree (stand_in->dir);
  g_free (stand_in->dir);
}

/* The twin, checked in depth as the wizard checks a practice drive. */
static RfDevice *
open_twin (const char  *id,
           RfSimDrive **drive)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat ("practice:", id, NULL);
  g_autoptr(RfTransport) transport = NULL;
  RfDevice *device;

  *drive = rf_sim_drive_open (id, NULL, &error);
  g_assert_no_error (error);
  transport = rf_sim_transport_new (*drive);
  device = rf_device_new_for_transport (name, transport, name);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  return device;
}

static void
assert_same_identity (RfDevice *real,
                      RfDevice *twin)
{
  g_autoptr(RfDriveIdentity) a = rf_device_dup_identity (real);
  g_autoptr(RfDriveIdentity) b = rf_device_dup_identity (twin);

  g_assert_cmpstr (a->vendor, ==, b->vendor);
  g_assert_cmpstr (a->product, ==, b->product);
  g_assert_cmpstr (a->revision, ==, b->revision);
  g_assert_cmpstr (a->firmware_date, ==, b->firmware_date);
  g_assert_cmpstr (a->serial, ==, b->serial);
  g_assert_cmpstr (a->family, ==, b->family);
  g_assert_cmpint (a->safe_mode, ==, b->safe_mode);
  g_assert_cmpstr (a->stored_id, ==, b->stored_id);
  g_assert_cmpstr (a->rid_code, ==, b->rid_code);
  g_assert_cmpstr (a->bootcode_key, ==, b->bootcode_key);
  g_assert_cmpstr (a->bootcode_version, ==, b->bootcode_version);
  g_assert_cmpint (rf_device_get_state (real), ==, rf_device_get_state (twin));
}

/* The seed's state: a twin in safe mode with the identity rewritten to
 * K451 ends identity-mismatch like the original, and making it sent the
 * drive nothing. */
static void
test_twin_of_the_seed (void)
{
  StandIn real = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) twin_drive = NULL;
  g_autoptr(RfDevice) twin = NULL;
  g_autoptr(RfSimScenario) scenario = NULL;
  g_autofree char *id = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  guint64 sent;

  stand_in_open (&real, "seed");
  g_assert_cmpint (rf_device_get_state (real.device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  identity = rf_device_dup_identity (real.device);
  family = rf_device_dup_family (real.device);
  sent = rf_sim_drive_get_command_count (real.drive);
  id = rf_sim_twin_make (identity, family, NULL, "ND-3550A on /dev/sg7", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "twin-k355-"));
  g_assert_cmpuint (rf_sim_drive_get_command_count (real.drive), ==, sent);

  scenario = rf_sim_scenario_load (id, &error);
  g_assert_no_error (error);
  g_assert_true (rf_sim_scenario_is_twin (scenario));
  g_assert_true (g_str_has_prefix (scenario->name, "Twin of ND-3550A on /dev/sg7, made "));
  twin = open_twin (id, &twin_drive);
  assert_same_identity (real.device, twin);
  g_assert_cmpint (rf_device_get_state (twin), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpint (rf_sim_drive_get_led (twin_drive), ==, RF_SIM_LED_BLINKING);

  g_clear_object (&twin);
  g_clear_object (&twin_drive);
  g_assert_true (rf_sim_twin_delete (id, &error));
  g_assert_no_error (error);
  g_assert_null (rf_sim_scenario_load (id, NULL));
  stand_in_close (&real);
}

/* A drive with firmware: backed up, and the twin's flash is the backup. */
static void
test_twin_from_a_backup (void)
{
  StandIn real = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = g_build_filename (home, "backups", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (backups);
  g_autoptr(RfBackupJob) job = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GBytes) flash = NULL;
  g_autoptr(RfSimDrive) twin_drive = NULL;
  g_autoptr(RfDevice) twin = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autofree char *id = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  guint64 sent;

  stand_in_open (&real, "healthy-3550");
  g_assert_cmpint (rf_device_get_state (real.device), ==, RF_DRIVE_STATE_READY);
  job = rf_backup_job_new (real.device, db, store);
  g_assert_true (rf_job_run (RF_JOB (job), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (rf_backup_job_get_backup (job)->image_path, &contents,
                                      &length, &error));
  image = g_bytes_new_take (g_steal_pointer (&contents), length);
  identity = rf_device_dup_identity (real.device);
  family = rf_device_dup_family (real.device);
  sent = rf_sim_drive_get_command_count (real.drive);
  id = rf_sim_twin_make (identity, family, image, "ND-3550A on /dev/sg7", "My drive's twin", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rf_sim_drive_get_command_count (real.drive), ==, sent);

  twin = open_twin (id, &twin_drive);
  assert_same_identity (real.device, twin);
  flash = rf_sim_drive_dup_flash (twin_drive);
  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (flash, NULL) + RF_NEC_MAIN_START,
                   RF_NEC_MAIN_SIZE, g_bytes_get_data (image, NULL), RF_NEC_MAIN_SIZE);

  /* Without the backup there is nothing to copy: no twin. */
  g_assert_null (rf_sim_twin_make (identity, family, NULL, "ND-3550A on /dev/sg7", NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_clear_object (&twin);
  g_clear_object (&twin_drive);
  g_assert_true (rf_sim_twin_delete (id, NULL));
  stand_in_close (&real);
}

/* Twins are listed after the shipped drives; a shipped one is no twin. */
static void
test_list_and_delete (void)
{
  StandIn real = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autofree char *id = NULL;
  RfSimScenario *last;

  stand_in_open (&real, "seed");
  identity = rf_device_dup_identity (real.device);
  family = rf_device_dup_family (real.device);
  id = rf_sim_twin_make (identity, family, NULL, "ND-3550A on /dev/sg7", NULL, &error);
  g_assert_no_error (error);
  list = rf_sim_scenario_list (&error);
  g_assert_no_error (error);
  last = g_ptr_array_index (list, list->len - 1);
  g_assert_cmpstr (last->id, ==, id);
  g_assert_false (rf_sim_scenario_is_twin (g_ptr_array_index (list, 0)));

  g_assert_false (rf_sim_twin_delete ("seed", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_true (rf_sim_twin_delete (id, NULL));
  stand_in_close (&real);
}

static RfRecorder *
recover (RfDevice        *device,
         RfFirmwareCheck *check,
         const char      *name)
{
  g_autofree char *dir = g_build_filename (home, name, NULL);

  return rf_test_flash (device, db, check, dir,
                        RF_FLASH_CONFIRM_UNTESTED | RF_FLASH_CONFIRM_TRAY_EMPTY |
                        RF_FLASH_CONFIRM_NO_BACKUP | RF_FLASH_CONFIRM_UNKNOWN_ORDER |
                        RF_FLASH_CONFIRM_DOWNGRADE);
}

/* The two runs sent the same commands, at least @at_least of them. */
static void
assert_same_commands (RfRecorder *rehearsal,
                      RfRecorder *real_run,
                      guint       at_least)
{
  g_autoptr(GPtrArray) a = rf_test_transcript_lines (rehearsal);
  g_autoptr(GPtrArray) b = rf_test_transcript_lines (real_run);

  g_assert_cmpuint (a->len, >=, at_least);
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
  g_assert_cmpuint (a->len, ==, b->len);
}

/* The rehearsal on the twin sends what the real run then sends, command for
 * command: the recovery of the seed, on its twin and on the original. */
static void
test_rehearsal_sends_what_the_real_run_sends (void)
{
  StandIn real = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfPracticeImage) image = NULL;
  g_autoptr(RfFirmwareCheck) check = NULL;
  g_autoptr(RfSimDrive) twin_drive = NULL;
  g_autoptr(RfDevice) twin = NULL;
  g_autoptr(RfRecorder) rehearsal = NULL;
  g_autoptr(RfRecorder) real_run = NULL;
  g_autofree char *id = NULL;

  stand_in_open (&real, "seed");
  identity = rf_device_dup_identity (real.device);
  family = rf_device_dup_family (real.device);
  id = rf_sim_twin_make (identity, family, NULL, "ND-3550A on /dev/sg7", NULL, &error);
  g_assert_no_error (error);
  twin = open_twin (id, &twin_drive);
  image = rf_practice_image_build (identity, family, FALSE, NULL, &error);
  g_assert_no_error (error);
  check = rf_firmware_check_new_for_bytes (image->file_name, image->bytes);

  rehearsal = recover (twin, check, "rehearsal");
  real_run = recover (real.device, check, "real-run");
  assert_same_commands (rehearsal, real_run, 100);

  g_clear_object (&twin);
  g_clear_object (&twin_drive);
  g_assert_true (rf_sim_twin_delete (id, NULL));
  stand_in_close (&real);
}

/* This run's verified backup of the stand-in, as the wizard takes it. */
static GBytes *
back_up (StandIn *real)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = g_build_filename (home, "backups", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (backups);
  g_autoptr(RfBackupJob) job = rf_backup_job_new (real->device, db, store);
  g_autofree char *contents = NULL;
  gsize length;

  g_assert_true (rf_job_run (RF_JOB (job), NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (rf_backup_job_get_backup (job)->image_path, &contents,
                                      &length, &error));
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* A drive with standard firmware download: its twin has its identity, its
 * buffer as its descriptor said, and its microcode from the backup; and a
 * download on the twin sends what the same download on the drive sends. */
static void
test_spc_twin (void)
{
  StandIn real = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(RfFirmwareCheck) check = NULL;
  g_autoptr(RfSimDrive) twin_drive = NULL;
  g_autoptr(RfDevice) twin = NULL;
  g_autoptr(RfRecorder) rehearsal = NULL;
  g_autoptr(RfRecorder) real_run = NULL;
  g_autoptr(RfDriveIdentity) twin_identity = NULL;
  g_autofree char *id = NULL;
  guint64 sent;

  stand_in_open (&real, "spc-generic");
  g_assert_cmpint (rf_device_get_state (real.device), ==, RF_DRIVE_STATE_READY);
  backup = back_up (&real);
  identity = rf_device_dup_identity (real.device);
  family = rf_device_dup_family (real.device);
  g_assert_cmpuint (identity->spc_buffer_capacity, ==, 0x100000);
  sent = rf_sim_drive_get_command_count (real.drive);
  id = rf_sim_twin_make (identity, family, backup, "Practice SPC drive on /dev/sg7", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (id, "twin-spc-generic-"));
  g_assert_cmpuint (rf_sim_drive_get_command_count (real.drive), ==, sent);

  twin = open_twin (id, &twin_drive);
  assert_same_identity (real.device, twin);
  twin_identity = rf_device_dup_identity (twin);
  g_assert_cmpuint (twin_identity->spc_offset_boundary, ==, identity->spc_offset_boundary);
  g_assert_cmpuint (twin_identity->spc_buffer_capacity, ==, identity->spc_buffer_capacity);
  stored = rf_sim_drive_dup_flash (twin_drive);
  g_assert_true (g_bytes_equal (stored, backup));

  image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (real.drive), "PRACTICE SPC", "2.00");
  check = rf_firmware_check_new_for_bytes ("spc-2.00.bin", image);
  rehearsal = recover (twin, check, "spc-rehearsal");
  real_run = recover (real.device, check, "spc-real-run");
  assert_same_commands (rehearsal, real_run, 10);

  g_clear_object (&twin);
  g_clear_object (&twin_drive);
  g_assert_true (rf_sim_twin_delete (id, NULL));
  stand_in_close (&real);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  home = g_dir_make_tmp ("reflash-twin-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("XDG_STATE_HOME", home, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/reflash/sim-twin/seed", test_twin_of_the_seed);
  g_test_add_func ("/reflash/sim-twin/from-a-backup", test_twin_from_a_backup);
  g_test_add_func ("/reflash/sim-twin/list-and-delete", test_list_and_delete);
  g_test_add_func ("/reflash/sim-twin/spc", test_spc_twin);
  g_test_add_func ("/reflash/sim-twin/rehearsal-sends-what-the-real-run-sends",
                   test_rehearsal_sends_what_the_real_run_sends);
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (home);
  return status;
}
