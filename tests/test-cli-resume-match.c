/* test-cli-resume-match.c: `reflash-cli resume` finding the drive of a real
 * drive's journal after a "reboot" (nec-2m.md §3 "Matching the drive after a
 * reboot"): on the journal's port it is a candidate; on another port only
 * when the person says it is the same drive, with --same-drive, which --yes
 * does not imply
 *
 * Practice drives never move to another port, so the drives here are
 * stand-ins of real ones (tests/rf-test-drive.c) on sysfs bus paths, given to
 * the command through rf_cli_drive_add_source(). The command runs in a
 * subprocess of the test, which keeps its words and its exit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "rf-cli-drive.h"
#include "rf-device-private.h"
#include "rf-cli.h"
#include "rf-test-drive.h"
#include "rf-test-images.h"
#include "rf-test-standins.h"
#include "rf-test-util.h"

#define JOURNAL_BUS "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"
/* The same port after a reboot in which the SCSI hosts were numbered anew. */
#define SAME_PORT_BUS "pci0000:00/0000:00:1f.2/ata3/host5/target5:0:0/5:0:0:0"
#define OTHER_PORT_BUS "pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0"

static const RfTestDriveSpec healthy_3550 = {
  .device_type = 0x05, .nec = TRUE, .firmware_date = "20050624",
  .stored_id = "K355", .rid_digits = "3550", .bootcode_key = "K355", .bootcode_version = "05",
  .firmware_valid = TRUE,
};

/* What the interrupted flash of @device wrote before it died. */
static void
write_journal (RfDevice *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfJournalStore) store = rf_journal_store_new (NULL);
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autoptr(RfJournal) journal = NULL;

  g_assert_no_error (error);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (device);
  journal = rf_journal_store_begin (store, device, identity, "upgrade", "nd3550.bin", "1.06", image,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error));
  g_assert_no_error (error);
}

/* The drive was flashed as `first` on the journal's port; after the
 * "reboot" it is listed as `moved` on @bus_path. */
static void
set_up_reboot (const char *bus_path)
{
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&healthy_3550);
  g_autoptr(TestStandins) before = test_standins_new ();
  g_autoptr(TestStandins) after = test_standins_new ();

  write_journal (test_standins_add (before, "first", JOURNAL_BUS, RF_TRANSPORT (drive)));
  test_standins_add (after, "moved", bus_path, RF_TRANSPORT (drive));
  rf_cli_drive_add_source (RF_DEVICE_SOURCE (after));
}

/* Runs `reflash-cli resume ARGS…` in this (sub)process and exits with its status. */
static void G_GNUC_NORETURN
run_resume (const char *first,
            ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  va_list args;
  int status;

  g_ptr_array_add (argv, (gpointer) "resume");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  status = rf_cli_resume_run ((int) argv->len - 1, (char **) argv->pdata);
  fflush (stdout);
  fprintf (stderr, "\nexit status %d\n", status);
  exit (status);
}

/* Runs the current case again in a subprocess, with a state folder of its
 * own and on mains power; returns the folder. */
static char *
trap_in_own_folder (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("reflash-resume-match-XXXXXX", &error);
  g_autofree char *power = g_build_filename (dir, "power", NULL);

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (power, 0700), ==, 0);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("REFLASH_POWER_SUPPLY_DIR", power, TRUE);
  g_unsetenv ("SUDO_UID");
  g_unsetenv ("SUDO_GID");
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  return dir;
}

static void
child_other_port_with_yes (void)
{
  set_up_reboot (OTHER_PORT_BUS);
  run_resume ("moved", "--yes", "--accept-untested", "--json", NULL);
}

/* On another port, --yes is no answer to "is it the same drive?": refused
 * before the deep look, nothing written, and the journal kept. */
static void
test_other_port_needs_same_drive (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      child_other_port_with_yes ();
      return;
    }
  dir = trap_in_own_folder ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*confirm it with --same-drive*exit status 7*");
  g_test_trap_assert_stdout ("*\"code\": \"needs-confirmation\"*");
  g_test_trap_assert_stdout_unmatched ("*\"event\": \"plan\"*");
  rf_test_remove_tree (dir);
}

static void
child_other_port_confirmed (void)
{
  set_up_reboot (OTHER_PORT_BUS);
  /* No --yes: the run stops at "Resume the interrupted flash?", after its plan. */
  run_resume ("moved", "--same-drive", "--accept-untested", "--json", NULL);
}

/* With --same-drive it is taken for the journal's drive: the plan of the
 * resumed flash is shown. */
static void
test_other_port_confirmed (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      child_other_port_confirmed ();
      return;
    }
  dir = trap_in_own_folder ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*\"event\": \"plan\"*\"journal_phase\": \"erasing\"*");
  g_test_trap_assert_stderr_unmatched ("*--same-drive*");
  g_test_trap_assert_stderr ("*--yes*exit status 7*");
  rf_test_remove_tree (dir);
}

static void
child_other_port_unnamed (void)
{
  set_up_reboot (OTHER_PORT_BUS);
  run_resume ("--same-drive", "--yes", "--accept-untested", NULL);
}

/* Unnamed, a drive on another port is no candidate, even with --same-drive:
 * the person must name the drive they vouch for. */
static void
test_other_port_unnamed (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      child_other_port_unnamed ();
      return;
    }
  dir = trap_in_own_folder ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*these are of the same kind, on other ports*moved*");
  g_test_trap_assert_stderr ("*reflash-cli resume DRIVE --same-drive*exit status 3*");
  rf_test_remove_tree (dir);
}

static void
child_same_port_unnamed (void)
{
  set_up_reboot (SAME_PORT_BUS);
  run_resume ("--accept-untested", "--json", NULL);
}

/* The same port under another SCSI host number: the one candidate, found
 * without a name and without a question. */
static void
test_same_port_unnamed (void)
{
  g_autofree char *dir = NULL;

  if (g_test_subprocess ())
    {
      child_same_port_unnamed ();
      return;
    }
  dir = trap_in_own_folder ();
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*\"event\": \"plan\", \"drive\": \"moved\"*");
  g_test_trap_assert_stderr_unmatched ("*--same-drive*");
  rf_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add_func ("/reflash/cli-resume-match/" path, func)
  ADD ("other-port-needs-same-drive", test_other_port_needs_same_drive);
  ADD ("other-port-confirmed", test_other_port_confirmed);
  ADD ("other-port-unnamed", test_other_port_unnamed);
  ADD ("same-port-unnamed", test_same_port_unnamed);
#undef ADD

  return g_test_run ();
}
