/* test-helper-transport.c: Reflash talking to a drive through the privileged
 * helper's frames, with the tests' helper serving a practice drive behind
 * them (issue 24)
 *
 * The drive is a "real" one to Reflash: a node it cannot reach itself, so
 * every command goes through the helper, which holds the drive's lock. The
 * helper-served run must send exactly what the direct run sends.
 *
 * Arguments: the path of reflash-helper-sim.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-helper-transport.h"
#include "rf-test-helper.h"
#include "rf-sim.h"
#include "rf-test-util.h"

/* Both time lines, the practice drive's and Reflash's waits, run this many
 * times faster than real time. */
#define SPEED RF_TEST_HELPER_SPEED

static const char *helper_sim;
static RfDriveDb *db;
static char *home;

typedef struct {
  char *dir;
  RfHelperLauncher *launcher;
  RfDevice *device;
} Fixture;

static RfHelperLauncher *
sim_launcher (const char *scenario)
{
  return rf_test_helper_sim_launcher (helper_sim, scenario);
}

/* A practice drive's state is per scenario in the state folder: every test
 * starts from the scenario. */
static void
reset_practice_drives (void)
{
  g_autofree char *state = g_build_filename (home, "state", "reflash", NULL);

  rf_test_remove_tree (state);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *scenario = data;

  reset_practice_drives ();
  fixture->launcher = sim_launcher (scenario);
  /* A node that is not there: Reflash cannot open it, only the helper
   * reaches the drive. */
  fixture->device = rf_device_new_for_node ("/dev/sg250", NULL,
                                            "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0");
  rf_device_set_helper (fixture->device, fixture->launcher);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->launcher);
}

/* The helper's lock on the practice drive, as another job would meet it. */
static gboolean
helper_lock_is_free (const char *scenario)
{
  g_autofree char *name = g_strconcat ("practice:", scenario, NULL);
  g_autoptr(RfDriveLock) lock = rf_drive_lock_acquire (name, NULL);

  return lock != NULL;
}

static void
test_deep_check (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;

  g_assert_true (rf_device_uses_helper (fixture->device));
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  /* The seed's own answer, as on the practice drive directly. */
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  identity = rf_device_dup_identity (fixture->device);
  g_assert_cmpstr (identity->stored_id, ==, "K451");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (fixture->launcher), ==, 1);
  /* One helper per job: it ended with the check, and let go of the drive. */
  g_assert_true (helper_lock_is_free ("seed"));
}

/* Another job holds the drive: the helper says busy in its hello, and sends
 * the drive nothing. */
static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RfDriveLock) held = rf_drive_lock_acquire ("practice:seed", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  g_assert_nonnull (held);
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_BUSY);
  transcript = rf_device_dup_transcript (fixture->device);
  g_assert_true (transcript == NULL || rf_recorder_get_n_entries (transcript) == 0);
}


static void
assert_open_fails (RfHelperLauncher *launcher,
                   int               expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = rf_helper_transport_new (launcher, "/dev/sg250", NULL,
                                                              &error);

  g_assert_null (transport);
  g_assert_error (error, RF_ERROR, expected);
}

static void
test_authentication_outcomes (void)
{
  g_autoptr(RfHelperLauncher) dismissed =
    rf_test_helper_failing_pkexec ("Error executing command as another user: Request dismissed", 126);
  g_autoptr(RfHelperLauncher) denied =
    rf_test_helper_failing_pkexec ("Error executing command as another user: Not authorized", 127);
  g_autoptr(RfHelperLauncher) no_agent =
    rf_test_helper_failing_pkexec ("Error executing command as another user: No authentication agent found.",
                    127);
  g_autoptr(RfHelperLauncher) no_authority =
    rf_test_helper_failing_pkexec ("Error getting authority: Error initializing authority: Could not connect: No such file or directory",
                    127);
  g_autoptr(RfHelperLauncher) ctrl_c =
    rf_helper_launcher_new ((const char * const[]) { "sh", "-c", "kill -INT $$", "pkexec", NULL });
  g_autoptr(RfHelperLauncher) crashed =
    rf_helper_launcher_new ((const char * const[]) { "sh", "-c", "kill -SEGV $$", "pkexec", NULL });
  g_autoptr(RfHelperLauncher) no_pkexec =
    rf_helper_launcher_new ((const char * const[]) { "reflash-no-such-pkexec", "/x", NULL });
  g_autoptr(RfHelperLauncher) no_helper =
    rf_helper_launcher_new ((const char * const[]) { "sh", "/nonexistent/reflash-helper", NULL });

  assert_open_fails (dismissed, RF_ERROR_AUTH_CANCELLED);
  assert_open_fails (denied, RF_ERROR_AUTH_CANCELLED);
  assert_open_fails (no_agent, RF_ERROR_NO_AGENT);
  /* Ctrl-C at polkit's text prompt ends pkexec with SIGINT: the person
   * ended the prompt, nothing is missing. */
  assert_open_fails (ctrl_c, RF_ERROR_AUTH_CANCELLED);
  /* pkexec's 127 is more than a refusal: polkit not running is a failure,
   * as is a helper that crashed before its hello. */
  assert_open_fails (no_authority, RF_ERROR_AUTH_FAILED);
  assert_open_fails (crashed, RF_ERROR_AUTH_FAILED);
  assert_open_fails (no_pkexec, RF_ERROR_HELPER_MISSING);
  assert_open_fails (no_helper, RF_ERROR_HELPER_MISSING);
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (no_pkexec), ==, 0);
}

/* A cancelled authentication is an error, and the drive stays as it was
 * listed: nothing reached it. */
static void
test_cancelled_changes_nothing (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(RfHelperLauncher) dismissed = rf_test_helper_failing_pkexec ("Request dismissed", 126);
  g_autoptr(GError) error = NULL;
  RfDriveState before = rf_device_get_state (fixture->device);

  rf_device_set_helper (fixture->device, dismissed);
  g_assert_false (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_AUTH_CANCELLED);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, before);
}

/* The helper's own gate: a command off the stage's list is refused there
 * too, even from a client whose gate would let it through. */
static void
test_helper_gate_refuses (Fixture       *fixture,
                          gconstpointer  data)
{
  static const guint8 write_buffer[10] = { 0x3B, 0x05, 0, 0, 0, 0, 0, 0, 0x10, 0 };
  guint8 payload[16] = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = NULL;
  RfAllowList passive = { RF_GATE_STAGE_PASSIVE, NULL, RF_PHASE_PREFLIGHT, NULL };
  RfCommand command;

  transport = rf_helper_transport_new (fixture->launcher, "/dev/sg250", NULL, &error);
  g_assert_no_error (error);
  /* Straight to the transport: no gate of Reflash's in front. */
  rf_transport_stage_changed (transport, &passive);
  g_assert_true (rf_command_init (&command, write_buffer, 10, RF_DIRECTION_OUT, payload,
                                  sizeof payload, 1000));
  g_assert_false (rf_transport_execute (transport, &command, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED);
  g_assert_nonnull (strstr (error->message, "passive"));
  /* Refused, not ended: INQUIRY still passes. */
  g_clear_error (&error);
  {
    guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];

    g_assert_true (rf_scsi_inquiry (transport, inquiry, NULL, &error));
    g_assert_no_error (error);
  }
}

/* The same stage sent again does not make the helper's gate forget what it
 * remembers within a stage: a SAFE MODE key still goes once per check
 * (nec-2m.md §2), whatever the client sends. */
static void
test_repeated_stage_keeps_memory (Fixture       *fixture,
                                  gconstpointer  data)
{
  static const guint8 enter_k355[12] = { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x01 };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = NULL;
  RfAllowList identify = { RF_GATE_STAGE_IDENTIFY, NULL, RF_PHASE_PREFLIGHT, NULL };
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  RfCommand command;

  identify.family = rf_drive_db_lookup (db, "nec-2m");
  g_assert_nonnull (identify.family);
  transport = rf_helper_transport_new (fixture->launcher, "/dev/sg250", NULL, &error);
  g_assert_no_error (error);
  rf_transport_stage_changed (transport, &identify);
  g_assert_true (rf_scsi_inquiry (transport, inquiry, NULL, &error));
  g_assert_true (rf_command_init (&command, enter_k355, 12, RF_DIRECTION_NONE, NULL, 0, 10000));
  rf_transport_execute (transport, &command, NULL, &error);
  g_assert_no_error (error);
  rf_transport_stage_changed (transport, &identify);
  g_assert_true (rf_command_init (&command, enter_k355, 12, RF_DIRECTION_NONE, NULL, 0, 10000));
  g_assert_false (rf_transport_execute (transport, &command, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED);
}

/* The helper's process lives in a group of its own, and a terminal's Ctrl-C
 * sent to that group does not end it either. */
static void
test_signals (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = NULL;
  RfAllowList passive = { RF_GATE_STAGE_PASSIVE, NULL, RF_PHASE_PREFLIGHT, NULL };
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  GSubprocess *process;
  pid_t pid;

  transport = rf_helper_transport_new (fixture->launcher, "/dev/sg250", NULL, &error);
  g_assert_no_error (error);
  process = rf_helper_transport_get_process (RF_HELPER_TRANSPORT (transport));
  pid = (pid_t) g_ascii_strtoll (g_subprocess_get_identifier (process), NULL, 10);
  g_assert_cmpint (getpgid (pid), ==, pid);
  g_assert_cmpint (getpgid (pid), !=, getpgrp ());
  for (guint i = 0; i < 3; i++)
    {
      g_assert_no_errno (kill (-pid, i == 0 ? SIGINT : i == 1 ? SIGHUP : SIGQUIT));
      g_usleep (50 * 1000);
    }
  rf_transport_stage_changed (transport, &passive);
  g_assert_true (rf_scsi_inquiry (transport, inquiry, NULL, &error));
  g_assert_no_error (error);
}

static void
assert_same_transcript (RfRecorder *direct,
                        RfRecorder *helped)
{
  g_autoptr(GPtrArray) a = rf_test_transcript_lines (direct);
  g_autoptr(GPtrArray) b = rf_test_transcript_lines (helped);

  g_assert_cmpuint (a->len, >, 10);
  if (g_test_verbose ())
    for (guint i = 0; i < MAX (a->len, b->len); i++)
      g_test_message ("%-50s | %s", i < a->len ? (char *) g_ptr_array_index (a, i) : "",
                      i < b->len ? (char *) g_ptr_array_index (b, i) : "");
  for (guint i = 0; i < MIN (a->len, b->len); i++)
    g_assert_cmpstr (g_ptr_array_index (a, i), ==, g_ptr_array_index (b, i));
  g_assert_cmpuint (a->len, ==, b->len);
}

/* The image the wizard's "fitting" button would make, from a deep check. */
static RfFirmwareCheck *
practice_image_for (RfDevice *device)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfPracticeImage) image = NULL;

  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (device);
  family = rf_device_dup_family (device);
  image = rf_practice_image_build (identity, family, FALSE, NULL, &error);
  g_assert_no_error (error);
  return rf_firmware_check_new_for_bytes (image->file_name, image->bytes);
}

/* A drive with firmware is backed up first, as the wizard does by default:
 * the backup's reads go through the helper too. */
static RfRecorder *
flash (RfDevice        *device,
       RfFirmwareCheck *check,
       const char      *dir,
       gboolean         with_backup)
{
  return rf_test_flash (device, db, check, dir,
                        RF_FLASH_CONFIRM_UNTESTED | RF_FLASH_CONFIRM_TRAY_EMPTY |
                        (with_backup ? 0 : RF_FLASH_CONFIRM_NO_BACKUP) |
                        RF_FLASH_CONFIRM_UNKNOWN_ORDER | RF_FLASH_CONFIRM_DOWNGRADE);
}

/* The same flash, on the practice drive directly and through the helper. */
static void
test_same_transcript (Fixture       *fixture,
                      gconstpointer  data)
{
  const char *scenario = data;
  gboolean with_backup = g_str_equal (scenario, "healthy-3550");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfClock) clock = rf_test_helper_clock_new ();
  g_autofree char *direct_dir = g_build_filename (home, "direct", NULL);
  g_autofree char *helped_dir = g_build_filename (home, "helped", NULL);
  g_autoptr(RfSimDrive) drive = rf_sim_drive_open (scenario, direct_dir, &error);
  g_autoptr(RfTransport) sim = NULL;
  g_autoptr(RfDevice) direct = NULL;
  g_autoptr(RfFirmwareCheck) check = NULL;
  g_autoptr(RfRecorder) direct_transcript = NULL;
  g_autoptr(RfRecorder) helped_transcript = NULL;

  g_assert_no_error (error);
  rf_sim_drive_set_speed (drive, g_ascii_strtod (SPEED, NULL));
  sim = rf_sim_transport_new (drive);
  direct = rf_device_new_for_transport ("practice:direct", sim, "practice-direct");
  check = practice_image_for (direct);
  direct_transcript = flash (direct, check, direct_dir, with_backup);

  /* As the wizard does: a deep check, then the flash; one helper each. */
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  helped_transcript = flash (fixture->device, check, helped_dir, with_backup);
  assert_same_transcript (direct_transcript, helped_transcript);
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (fixture->launcher), ==, 2);
  g_assert_true (helper_lock_is_free (scenario));
  rf_test_remove_tree (direct_dir);
  rf_test_remove_tree (helped_dir);
}

/* The helper's stdout carries frames only: its log lines, debug ones too,
 * go to stderr, or the client would read them as a broken frame. */
static void
test_logs_stay_off_the_frames (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RfClock) clock = rf_test_helper_clock_new ();
  g_autoptr(RfHelperLauncher) talkative =
    rf_helper_launcher_new ((const char * const[]) { "env", "G_MESSAGES_DEBUG=all", helper_sim,
                                                     "--speed", RF_TEST_HELPER_SPEED, "seed",
                                                     NULL });
  g_autoptr(GError) error = NULL;

  rf_helper_launcher_set_clock (talkative, clock);
  rf_device_set_helper (fixture->device, talkative);
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
}

/* A helper that dies after the point of no return, killed by root or by a
 * bug: the job ends as for a drive that vanished, on the recovery path with
 * its journal kept, and sends nothing more. */
static void
test_helper_dies_mid_flash (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RfClock) clock = rf_test_helper_clock_new ();
  g_autoptr(RfHelperLauncher) dying =
    rf_helper_launcher_new ((const char * const[]) { helper_sim, "--speed", RF_TEST_HELPER_SPEED,
                                                     "--die-at", "cb02", "seed", NULL });
  g_autofree char *dir = g_build_filename (home, "dying", NULL);
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *journals = g_build_filename (dir, "journals", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (backups);
  g_autoptr(RfJournalStore) journal_store = rf_journal_store_new (journals);
  g_autoptr(RfFirmwareCheck) check = practice_image_for (fixture->device);
  g_autoptr(RfFlashJob) job = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  rf_helper_launcher_set_clock (dying, clock);
  rf_device_set_helper (fixture->device, dying);
  job = rf_flash_job_new (fixture->device, db, check, store);
  rf_flash_job_set_journal_store (job, journal_store);
  rf_flash_job_set_confirmations (job, RF_FLASH_CONFIRM_UNTESTED | RF_FLASH_CONFIRM_TRAY_EMPTY |
                                         RF_FLASH_CONFIRM_UNKNOWN_ORDER);
  g_assert_false (rf_job_run (RF_JOB (job), NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_assert_true (rf_flash_job_get_needs_recovery (job));
  g_assert_nonnull (rf_flash_job_get_journal (job));
  /* After the PROGRAM BLOCK the helper died on, only the polls of nec-2m.md
   * §1 (a poll without an answer means "not yet"): no further erase,
   * program or leave, and nothing answered. */
  transcript = rf_job_dup_transcript (RF_JOB (job));
  for (n = rf_recorder_get_n_entries (transcript); n > 0; n--)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, n - 1);

      if (entry->cdb[0] == 0xCB && entry->cdb[1] == 0x02)
        {
          g_assert_false (entry->answered);
          break;
        }
      g_assert_cmphex (entry->cdb[0], ==, 0x00);
      g_assert_false (entry->answered);
    }
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (dying), ==, 1);
  rf_test_remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  helper_sim = argv[1];
  /* The tests' helper inherits this environment: both sides see the same
   * practice drives and no other. */
  home = rf_test_helper_make_home ("reflash-helper-transport-XXXXXX");
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add ("/helper-transport/deep-check", Fixture, "seed", fixture_set_up, test_deep_check,
              fixture_tear_down);
  g_test_add ("/helper-transport/busy", Fixture, "seed", fixture_set_up, test_busy,
              fixture_tear_down);
  g_test_add_func ("/helper-transport/authentication-outcomes", test_authentication_outcomes);
  g_test_add ("/helper-transport/cancelled-changes-nothing", Fixture, "seed", fixture_set_up,
              test_cancelled_changes_nothing, fixture_tear_down);
  g_test_add ("/helper-transport/helper-gate-refuses", Fixture, "seed", fixture_set_up,
              test_helper_gate_refuses, fixture_tear_down);
  g_test_add ("/helper-transport/repeated-stage-keeps-memory", Fixture, "seed", fixture_set_up,
              test_repeated_stage_keeps_memory, fixture_tear_down);
  g_test_add ("/helper-transport/signals", Fixture, "seed", fixture_set_up, test_signals,
              fixture_tear_down);
  g_test_add ("/helper-transport/logs-stay-off-the-frames", Fixture, "seed", fixture_set_up,
              test_logs_stay_off_the_frames, fixture_tear_down);
  g_test_add ("/helper-transport/helper-dies-mid-flash", Fixture, "seed", fixture_set_up,
              test_helper_dies_mid_flash, fixture_tear_down);
  g_test_add ("/helper-transport/same-transcript/nec-recovery", Fixture, "seed", fixture_set_up,
              test_same_transcript, fixture_tear_down);
  g_test_add ("/helper-transport/same-transcript/nec-update-with-backup", Fixture,
              "healthy-3550", fixture_set_up, test_same_transcript, fixture_tear_down);
  g_test_add ("/helper-transport/same-transcript/spc-flash", Fixture, "spc-generic",
              fixture_set_up, test_same_transcript, fixture_tear_down);
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (home);
  return status;
}
