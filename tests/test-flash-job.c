/* test-flash-job.c: NEC flashes and recoveries on practice drives, proven
 * against the practice drive's own memory (issue 16, nec-2m.md §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <unistd.h>
#include <string.h>

#include "rf-core.h"
#include "rf-flash-job-private.h"
#include "rf-sim.h"
#include "rf-test-hook.h"
#include "rf-test-util.h"

static RfDriveDb *db;
/* The power-supply folder every job of this test reads (REFLASH_POWER_SUPPLY_DIR):
 * empty, as on a desktop, unless a test puts a battery in it. */
static char *power_dir;

/* What one test runs on. */
typedef struct {
  const char *scenario;
  gboolean other_model;      /* an image for another model of the family */
  const char *revision;      /* the image's; NULL for the practice default 1.06 */
  RfFlashConfirmations confirmations;
  RfSimFault fault;          /* kind 0 with occurrence 0 and command 0: none */
  gboolean has_fault;
  RfError expected;          /* 0 with expect_ok */
  gboolean expect_ok;
  gboolean expect_recovery;
} Case;

typedef struct {
  char *dir;
  RfSimClock *clock;
  RfSimDrive *drive;
  TestHookTransport *hook;
  RfDevice *device;
  RfBackupStore *store;
  GCancellable *cancellable;
  RfFlashJob *job;
  GBytes *flash_before;
  RfFirmwareCheck *check;
  guint cancel_at;
  GError *cancel_error;
  RfGateStage last_stage;    /* the gate's stage when the last command went out */
  RfJournalStore *journals;
  gint journals_at_enter;    /* journals listed when the last SAFE MODE enter went out */
  gint journals_at_flash_enter; /* ... at the enter before the first WRITE RAM */
  gint phase_at_first_erase; /* the journal's phase when the first ERASE went out */
  gint phase_at_first_leave; /* ... when the leave after the program went out */
} Fixture;

#define ALL_CONFIRMED (RF_FLASH_CONFIRM_UNTESTED | RF_FLASH_CONFIRM_TRAY_EMPTY)

static void
fixture_open (Fixture    *fixture,
              const char *scenario_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load (scenario_id, &error);
  g_autofree char *state = g_build_filename (fixture->dir, "drive.state", NULL);
  g_autofree char *id = g_strconcat ("practice:", scenario_id, NULL);
  g_autofree char *lock = g_strconcat ("practice-", scenario_id, NULL);

  g_assert_no_error (error);
  fixture->clock = rf_sim_clock_new (FALSE);
  rf_sim_clock_set_speed (fixture->clock, 0.0);
  fixture->drive = rf_sim_drive_new (scenario, state, fixture->clock, &error);
  g_assert_no_error (error);
  fixture->hook = test_hook_transport_new (rf_sim_transport_new (fixture->drive));
  fixture->device = rf_device_new_for_transport (id, RF_TRANSPORT (fixture->hook), lock);
}

/* An image made for the drive as a deep look finds it, the way the wizard's
 * "Fitting" button makes one. The look runs before the job, on its own. */
static RfFirmwareCheck *
make_check (Fixture    *fixture,
            const Case *test_case)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfPracticeImage) image = NULL;

  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (fixture->device);
  family = rf_device_dup_family (fixture->device);
  /* A drive that cannot be looked at in depth gets the image an ND-3550A
   * with bootcode 05 would take. */
  if (identity->bootcode_key == NULL)
    {
      g_clear_pointer (&identity, rf_drive_identity_free);
      identity = rf_drive_identity_new ();
      identity->stored_id = g_strdup ("K355");
      identity->bootcode_key = g_strdup ("K355");
      identity->bootcode_version = g_strdup ("05");
      g_clear_pointer (&family, rf_drive_family_unref);
      family = rf_drive_family_ref (rf_drive_db_lookup (db, "nec-2m"));
    }
  image = rf_practice_image_build (identity, family, test_case->other_model,
                                   test_case->revision, &error);
  g_assert_no_error (error);
  /* Back as listed: the job looks for itself. */
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  return rf_firmware_check_new_for_bytes (image->file_name, image->bytes);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *journals = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-flash-job-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->store = rf_backup_store_new (backups);
  journals = g_build_filename (fixture->dir, "journals", NULL);
  fixture->journals = rf_journal_store_new (journals);
  fixture->cancellable = g_cancellable_new ();
  rf_backup_job_forget_all ();
  fixture_open (fixture, test_case->scenario);
  fixture->check = make_check (fixture, test_case);
  fixture->flash_before = rf_sim_drive_dup_flash (fixture->drive);
  if (test_case->has_fault)
    rf_sim_drive_add_fault (fixture->drive, &test_case->fault);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->job);
  g_clear_object (&fixture->check);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->hook);
  g_assert_finalize_object (fixture->drive);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->journals);
  g_clear_object (&fixture->cancellable);
  g_clear_pointer (&fixture->flash_before, g_bytes_unref);
  g_clear_error (&fixture->cancel_error);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  rf_backup_job_forget_all ();
}

static gboolean
run_job (Fixture               *fixture,
         RfFlashConfirmations   confirmations,
         GError               **error)
{
  g_clear_object (&fixture->job);
  fixture->job = rf_flash_job_new (fixture->device, db, fixture->check, fixture->store);
  rf_flash_job_set_journal_store (fixture->job, fixture->journals);
  rf_flash_job_set_confirmations (fixture->job, confirmations);
  return rf_job_run (RF_JOB (fixture->job), fixture->cancellable, error);
}

static GPtrArray *
list_journals (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *journals = rf_journal_store_list (fixture->journals, &error);

  g_assert_no_error (error);
  return journals;
}

/* The phase of the only open journal; -1 when there is none. */
static gint
journal_phase_now (Fixture *fixture)
{
  g_autoptr(GPtrArray) journals = list_journals (fixture);

  return journals->len == 1 ? (gint) rf_journal_get_phase (journals->pdata[0]) : -1;
}

/* The only open journal. */
static RfJournal *
only_journal (Fixture *fixture)
{
  g_autoptr(GPtrArray) journals = list_journals (fixture);

  g_assert_cmpuint (journals->len, ==, 1);
  return g_object_ref (journals->pdata[0]);
}

/* A resumed run, as reflash-cli resume makes it: the journal's copy of the
 * image, checked, judged again against the drive. */
static gboolean
run_resume (Fixture               *fixture,
            RfJournal             *journal,
            RfFlashConfirmations   confirmations,
            GError               **error)
{
  g_autoptr(GBytes) image = rf_journal_load_image (journal, error);

  if (image == NULL)
    return FALSE;
  g_clear_object (&fixture->check);
  fixture->check = rf_firmware_check_new_for_bytes ("journal copy", image);
  g_clear_object (&fixture->job);
  fixture->job = rf_flash_job_new (fixture->device, db, fixture->check, fixture->store);
  rf_flash_job_set_journal_store (fixture->job, fixture->journals);
  rf_flash_job_set_resume (fixture->job, journal);
  rf_flash_job_set_confirmations (fixture->job, confirmations);
  return rf_job_run (RF_JOB (fixture->job), fixture->cancellable, error);
}

/* ---- what the drive holds and says, asked past Reflash ---- */

static GBytes *
image_bytes (Fixture *fixture)
{
  return rf_firmware_get_image (rf_firmware_check_get_judged (fixture->check));
}

static void
assert_flash_is_image (Fixture *fixture)
{
  g_autoptr(GBytes) flash = rf_sim_drive_dup_flash (fixture->drive);
  const guint8 *image = g_bytes_get_data (image_bytes (fixture), NULL);

  g_assert_cmpmem ((const guint8 *) g_bytes_get_data (flash, NULL) + RF_NEC_MAIN_START,
                   RF_NEC_MAIN_SIZE, image, RF_NEC_MAIN_SIZE);
}

static void
assert_flash_unchanged (Fixture *fixture)
{
  g_autoptr(GBytes) flash = rf_sim_drive_dup_flash (fixture->drive);

  g_assert_true (g_bytes_equal (flash, fixture->flash_before));
}

/* INQUIRY's revision, sent straight to the practice drive. */
static char *
revision_now (Fixture *fixture)
{
  guint8 cdb[6] = { 0x12, 0, 0, 0, 0x60, 0 };
  guint8 data[0x60] = { 0 };
  RfCommand command;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_command_init (&command, cdb, sizeof cdb, RF_DIRECTION_IN, data, sizeof data,
                                  20000));
  g_assert_true (rf_sim_drive_execute (fixture->drive, &command, &error));
  g_assert_no_error (error);
  return g_strndup ((const char *) data + 32, 4);
}

static guint
count_commands (Fixture *fixture,
                guint8   opcode,
                gint     sub)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  guint n = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      n += entry->cdb[0] == opcode && (sub < 0 || entry->cdb[1] == sub);
    }
  return n;
}

/* SAFE MODE commands with ee = @enter. */
static guint
count_safe_mode (Fixture  *fixture,
                 gboolean  enter)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  guint n = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      n += entry->cdb[0] == 0xcc && entry->cdb[1] == 0x01 && entry->cdb[2] == (enter ? 1 : 0);
    }
  return n;
}

/* Index of the last command with @opcode (and @sub), or -1. */
static gint
last_index_of (Fixture *fixture,
               guint8   opcode,
               gint     sub)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  gint last = -1;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == opcode && (sub < 0 || entry->cdb[1] == sub))
        last = (gint) i;
    }
  return last;
}

static gint
last_index_of_leave (Fixture *fixture)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  gint last = -1;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == 0xcc && entry->cdb[1] == 0x01 && entry->cdb[2] == 0x00)
        last = (gint) i;
    }
  return last;
}

/* ---- tests ---- */

/* A flash that succeeds: the flash holds the image, the drive runs its
 * revision, and every step of §3 ran exactly as often as it should. */
static void
test_flash_ok (Fixture       *fixture,
               gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) after = NULL;
  g_autofree char *revision = NULL;
  RfProgressSnapshot snapshot;
  gboolean ok = run_job (fixture, test_case->confirmations, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  assert_flash_is_image (fixture);
  revision = revision_now (fixture);
  g_assert_cmpstr (revision, ==, test_case->revision != NULL ? test_case->revision : "1.06");
  after = rf_flash_job_dup_identity_after (fixture->job);
  g_assert_false (after->safe_mode);
  g_assert_cmpstr (after->revision, ==, revision);
  g_assert_cmpuint (count_commands (fixture, 0xcb, 0x01), ==, 60);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 1);
  g_assert_cmpuint (count_commands (fixture, 0xcb, 0x04), ==, 31);
  g_assert_cmpuint (count_commands (fixture, 0xcb, 0x02), ==, 30);
  g_assert_true (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  rf_progress_get_snapshot (rf_job_get_progress (RF_JOB (fixture->job)), &snapshot);
  g_assert_true (snapshot.finished);
  g_assert_cmpfloat (snapshot.fraction, ==, 1.0);
  g_assert_cmpint (snapshot.phase, ==, RF_PHASE_VERIFY);
}

/* A drive with firmware is backed up first; the backup is what it held. */
static void
test_backup_first (Fixture       *fixture,
                   gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) kept = NULL;
  const RfBackup *backup;

  g_assert_true (run_job (fixture, test_case->confirmations, &error));
  g_assert_no_error (error);
  backup = rf_flash_job_get_backup (fixture->job);
  g_assert_nonnull (backup);
  kept = rf_backup_store_load (fixture->store, backup, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (kept, NULL), RF_NEC_MAIN_SIZE,
                   (const guint8 *) g_bytes_get_data (fixture->flash_before, NULL) +
                   RF_NEC_MAIN_START, RF_NEC_MAIN_SIZE);
  /* The backup's ordering: both passes read before the first WRITE RAM. */
  g_assert_cmpint (last_index_of (fixture, 0xcc, 0x00), >, last_index_of (fixture, 0xcb, 0x01));
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x00), >=, 960 + 480);
}

/* --no-backup: nothing read before the flash, nothing stored. */
static void
test_no_backup (Fixture       *fixture,
                gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  g_assert_true (run_job (fixture, test_case->confirmations | RF_FLASH_CONFIRM_NO_BACKUP,
                          &error));
  g_assert_no_error (error);
  g_assert_null (rf_flash_job_get_backup (fixture->job));
  backups = rf_backup_store_list (fixture->store, NULL);
  g_assert_cmpuint (backups != NULL ? backups->len : 0, ==, 0);
}

/* DOMAIN.md "Recovery": the seed (bootcode K355, stored ID K451) takes an
 * ND-3550A image and ends as a working ND-3550A whose stored ID still says
 * K451: identity-mismatch in normal mode. */
static void
test_seed_recovered (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) after = NULL;

  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_verdict_get_kind (rf_flash_job_get_verdict (fixture->job)), ==,
                   RF_VERDICT_KIND_RECOVERY);
  assert_flash_is_image (fixture);
  after = rf_flash_job_dup_identity_after (fixture->job);
  g_assert_false (after->safe_mode);
  g_assert_cmpstr (after->stored_id, ==, "K451");
  g_assert_cmpstr (after->bootcode_key, ==, "K355");
  g_assert_cmpstr (after->revision, ==, "1.06");
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  /* Nothing to back up on a drive with only its bootcode. */
  g_assert_null (rf_flash_job_get_backup (fixture->job));
}

/* nec-2m.md §8 step 3: without the person's word that the tray is empty, a
 * drive in safe mode gets nothing beyond the passive look. */
static void
test_tray_not_confirmed (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (fixture, RF_FLASH_CONFIRM_UNTESTED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION);
  g_assert_cmpuint (rf_flash_job_get_missing (fixture->job), ==, RF_FLASH_CONFIRM_TRAY_EMPTY);
  g_assert_cmpuint (count_commands (fixture, 0x12, -1), >=, 1);
  g_assert_cmpuint (count_commands (fixture, 0xcc, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  assert_flash_unchanged (fixture);
}

/* A spec-only family needs its own confirmation; a general yes is not it. */
static void
test_untested_not_confirmed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *revision = NULL;

  g_assert_false (run_job (fixture, RF_FLASH_CONFIRM_TRAY_EMPTY, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION);
  g_assert_true (rf_flash_job_get_missing (fixture->job) & RF_FLASH_CONFIRM_UNTESTED);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 0);
  assert_flash_unchanged (fixture);
  revision = revision_now (fixture);
  g_assert_cmpstr (revision, ==, "1.05");
}

/* A downgrade needs its own confirmation, and passes with it. */
static void
test_downgrade (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION);
  g_assert_cmpuint (rf_flash_job_get_missing (fixture->job), ==, RF_FLASH_CONFIRM_DOWNGRADE);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_clear_error (&error);
  g_assert_true (run_job (fixture, ALL_CONFIRMED | RF_FLASH_CONFIRM_DOWNGRADE, &error));
  g_assert_no_error (error);
  assert_flash_is_image (fixture);
}

/* A refused verdict sends nothing after identification: no enter beyond the
 * identification's own, no WRITE RAM, no checksum. */
static void
test_refused_verdict (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED);
  g_assert_false (rf_verdict_is_allowed (rf_flash_job_get_verdict (fixture->job)));
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 0);
  /* Identification's enters: the seed tries K451 and finds K355 (2); a
   * normal-mode ND-3550A is probed with D355 and K355 (2). */
  g_assert_cmpuint (count_safe_mode (fixture, TRUE), ==, 2);
  assert_flash_unchanged (fixture);
  g_assert_false (rf_flash_job_get_past_point_of_no_return (fixture->job));
}

/* A failure before the erase: the flash untouched, the drive in the mode it
 * was found in, a retry safe. */
static void
test_fails_before_erase (Fixture       *fixture,
                         gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *revision = NULL;
  gboolean safe_mode = g_str_equal (test_case->scenario, "seed");

  g_assert_false (run_job (fixture, test_case->confirmations, &error));
  g_assert_error (error, RF_ERROR, (gint) test_case->expected);
  g_assert_false (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  g_assert_cmpuint (count_commands (fixture, 0xcb, 0x04), ==, 0);
  assert_flash_unchanged (fixture);
  /* Nothing was erased: no journal stays behind to be resumed. */
  g_assert_cmpint (journal_phase_now (fixture), ==, -1);
  revision = revision_now (fixture);
  if (safe_mode)
    g_assert_true (g_str_has_prefix (revision, "0."));
  else
    g_assert_cmpstr (revision, ==, "1.05");
  /* And the same image goes on once the fault is gone. */
  rf_sim_drive_clear_faults (fixture->drive);
  g_clear_error (&error);
  g_assert_true (run_job (fixture, test_case->confirmations, &error));
  g_assert_no_error (error);
  assert_flash_is_image (fixture);
}

static void
stage_hook (guint            n,
            const RfCommand *command,
            gpointer         user_data)
{
  Fixture *fixture = user_data;

  fixture->last_stage = rf_command_gate_get_stage (rf_job_get_gate (RF_JOB (fixture->job)));
}

/* A failure from the first erase on ends on the recovery path: no erase,
 * program or leave after it, the gate narrowed, the error the phase's own. */
static void
test_fails_after_erase (Fixture       *fixture,
                        gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  gint last_write;

  fixture->hook->func = stage_hook;
  fixture->hook->user_data = fixture;
  g_assert_false (run_job (fixture, test_case->confirmations, &error));
  g_assert_error (error, RF_ERROR, (gint) test_case->expected);
  /* The polls and the identification after the failure went through a gate
   * that allows nothing else any more. */
  g_assert_cmpint (fixture->last_stage, ==, RF_GATE_STAGE_AFTER_FAILURE);
  g_assert_true (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_true (rf_flash_job_get_needs_recovery (fixture->job));
  last_write = last_index_of (fixture, 0xcb, -1);
  g_assert_cmpint (last_write, >=, 0);
  /* After a failed erase or program: no leave (identification in safe mode
   * sends none either); unlike binflash, the drive stays with its bootcode. */
  if (test_case->fault.phase == RF_SIM_PHASE_ERASE ||
      (test_case->fault.phase == RF_SIM_PHASE_PROGRAM &&
       test_case->fault.kind != RF_SIM_FAULT_SILENT_FLASH))
    g_assert_cmpint (last_index_of_leave (fixture), <, last_write);
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_true (rf_recorder_get_n_entries (transcript) > (guint) last_write);
}

static void
cancel_hook (guint            n,
             const RfCommand *command,
             gpointer         user_data)
{
  Fixture *fixture = user_data;

  if (n != fixture->cancel_at)
    return;
  g_clear_error (&fixture->cancel_error);
  rf_flash_job_cancel (fixture->job, fixture->cancellable, &fixture->cancel_error);
}

/* A practice drive whose power fails in the tenth erase: the flash ends on
 * the recovery path, and the same image, flashed again, brings it back. */
static void
test_power_cut_recovered (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) after = NULL;

  g_assert_false (run_job (fixture, ALL_CONFIRMED | RF_FLASH_CONFIRM_NO_BACKUP, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_assert_true (rf_flash_job_get_needs_recovery (fixture->job));
  after = rf_flash_job_dup_identity_after (fixture->job);
  g_assert_true (after->safe_mode);
  g_clear_error (&error);
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_verdict_get_kind (rf_flash_job_get_verdict (fixture->job)), ==,
                   RF_VERDICT_KIND_RECOVERY);
  assert_flash_is_image (fixture);
}

/* ---- the journal ---- */

/* The image the check gives this drive, judged as the job will: what a
 * journal of a flash of it holds. */
static GBytes *
image_for_drive (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;

  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (fixture->device);
  family = rf_device_dup_family (fixture->device);
  rf_firmware_check_judge (fixture->check, family, identity, rf_device_get_state (fixture->device),
                           RF_PROBE_DEPTH_DEEP);
  return g_bytes_ref (image_bytes (fixture));
}


static void
journal_hook (guint            n,
              const RfCommand *command,
              gpointer         user_data)
{
  Fixture *fixture = user_data;
  const guint8 *cdb = command->cdb;

  if (cdb[0] == 0xcc && cdb[1] == 0x01 && cdb[2] == 1)
    {
      g_autoptr(GPtrArray) journals = list_journals (fixture);

      fixture->journals_at_enter = (gint) journals->len;
    }
  else if (cdb[0] == 0xcb && cdb[1] == 0x01 && fixture->journals_at_flash_enter < 0)
    fixture->journals_at_flash_enter = fixture->journals_at_enter;
  else if (cdb[0] == 0xcb && cdb[1] == 0x04 && fixture->phase_at_first_erase < 0)
    fixture->phase_at_first_erase = journal_phase_now (fixture);
  else if (cdb[0] == 0xcc && cdb[1] == 0x01 && cdb[2] == 0 && fixture->phase_at_first_erase >= 0 &&
           fixture->phase_at_first_leave < 0)
    fixture->phase_at_first_leave = journal_phase_now (fixture);
}

/* nec-2m.md §3: the journal is on disk, with the image exactly as sent,
 * before the flash's SAFE MODE enter; it says "erasing" before the first
 * erase and "programmed" before the leave; it is gone after success. */
static void
test_journal_kept_in_step (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) after = NULL;

  fixture->journals_at_enter = fixture->journals_at_flash_enter = -1;
  fixture->phase_at_first_erase = fixture->phase_at_first_leave = -1;
  fixture->hook->func = journal_hook;
  fixture->hook->user_data = fixture;
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fixture->journals_at_flash_enter, ==, 1);
  g_assert_cmpint (fixture->phase_at_first_erase, ==, RF_JOURNAL_PHASE_ERASING);
  g_assert_cmpint (fixture->phase_at_first_leave, ==, RF_JOURNAL_PHASE_PROGRAMMED);
  after = list_journals (fixture);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_null (rf_flash_job_dup_journal_problem (fixture->job));
}

/* A flash that ends on the recovery path keeps its journal, with the image
 * as it was sent; resumed from that journal alone, the drive ends on the
 * image and the journal is closed. */
static void
test_journal_resumed (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GBytes) sent = image_for_drive (fixture);

  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_true (rf_flash_job_get_needs_recovery (fixture->job));
  g_clear_error (&error);
  journal = only_journal (fixture);
  g_assert_cmpint (rf_journal_get_phase (journal), >=, RF_JOURNAL_PHASE_ERASING);
  copy = rf_journal_load_image (journal, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (copy, sent));
  rf_sim_drive_clear_faults (fixture->drive);
  g_assert_true (run_resume (fixture, journal, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_false (rf_flash_job_get_found_unchanged (fixture->job));
  g_assert_cmpint (rf_verdict_get_kind (rf_flash_job_get_verdict (fixture->job)), ==,
                   RF_VERDICT_KIND_RECOVERY);
  assert_flash_is_image (fixture);
  after = list_journals (fixture);
  g_assert_cmpuint (after->len, ==, 0);
}

/* A drive flashed again with the image instead of resumed: once that flash
 * is verified, the older journal of the drive is closed too. */
static void
test_journal_closed_by_new_flash (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) after = NULL;

  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_clear_error (&error);
  g_object_unref (only_journal (fixture));
  rf_sim_drive_clear_faults (fixture->drive);
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  assert_flash_is_image (fixture);
  after = list_journals (fixture);
  g_assert_cmpuint (after->len, ==, 0);
}

/* A resumed run on a drive whose identity is not the journal's: refused
 * before anything is written. */
static void
test_journal_other_drive (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(GBytes) image = image_for_drive (fixture);

  identity = rf_device_dup_identity (fixture->device);
  g_free (identity->stored_id);
  identity->stored_id = g_strdup ("K356");
  journal = rf_journal_store_begin (fixture->journals, fixture->device, identity, "recovery",
                                    NULL, "1.06", image, &error);
  g_assert_no_error (error);
  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error));
  g_assert_false (run_resume (fixture, journal, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_OTHER_DRIVE);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  assert_flash_unchanged (fixture);
  g_object_unref (only_journal (fixture));
}

/* A run that stopped before the erase (killed during the upload, say) on a
 * drive now back in normal mode with its old revision: nothing is written,
 * the journal is closed. */
static void
test_journal_unchanged (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GBytes) image = image_for_drive (fixture);

  identity = rf_device_dup_identity (fixture->device);
  journal = rf_journal_store_begin (fixture->journals, fixture->device, identity, "upgrade",
                                    NULL, "1.06", image, &error);
  g_assert_no_error (error);
  g_assert_true (run_resume (fixture, journal, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  g_assert_true (rf_flash_job_get_found_unchanged (fixture->job));
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  assert_flash_unchanged (fixture);
  after = list_journals (fixture);
  g_assert_cmpuint (after->len, ==, 0);
}

static gint journal_writes_left;
/* What a write fails with once none is left: ENOSPC (full), EROFS (a state
 * folder remounted read-only). */
static int journal_write_errno = ENOSPC;

static gssize
write_until_full (int         fd,
                  const void *buffer,
                  gsize       count)
{
  if (journal_writes_left == 0)
    {
      errno = journal_write_errno;
      return -1;
    }
  journal_writes_left--;
  return write (fd, buffer, count);
}

/* No room for the journal: refused before anything that changes the drive
 * is sent, and nothing of a journal is left. */
static void
test_journal_no_space (Fixture       *fixture,
                       gconstpointer  data)
{
  const RfBackupStoreIo full = { .write = write_until_full };
  g_autoptr(GError) error = NULL;

  journal_writes_left = 0;
  journal_write_errno = ENOSPC;
  rf_journal_store_set_io (fixture->journals, &full);
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NO_SPACE);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 0);
  assert_flash_unchanged (fixture);
  g_assert_cmpuint (rf_test_count_files (rf_journal_store_get_directory (fixture->journals)), ==,
                    0);
}

/* A state folder that cannot hold a journal (here a file stands where the
 * folder belongs): the flash refuses to start before the drive is sent
 * anything at all. */
static void
test_journal_folder_unusable (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocked = g_build_filename (fixture->dir, "blocked", NULL);
  g_autofree char *folder = g_build_filename (blocked, "journals", NULL);
  g_autoptr(RfJournalStore) store = rf_journal_store_new (folder);
  g_autoptr(RfRecorder) transcript = NULL;

  g_assert_true (g_file_set_contents (blocked, "", 0, &error));
  g_set_object (&fixture->journals, store);
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "no room for the flash's journal"));
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==, 0);
  assert_flash_unchanged (fixture);
}

/* The disk fills after the journal was written: the flash goes on and says
 * that the journal could not be updated. */
static void
test_journal_update_fails (Fixture       *fixture,
                           gconstpointer  data)
{
  const RfBackupStoreIo full = { .write = write_until_full };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) problem = NULL;

  journal_writes_left = 2; /* the image and the first key file */
  journal_write_errno = ENOSPC;
  rf_journal_store_set_io (fixture->journals, &full);
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  assert_flash_is_image (fixture);
  problem = rf_flash_job_dup_journal_problem (fixture->job);
  g_assert_error (problem, RF_ERROR, RF_ERROR_NO_SPACE);
}

/* The state folder read-only when the journal is to be written: refused
 * before anything that changes the drive is sent, nothing of a journal left. */
static void
test_journal_read_only (Fixture       *fixture,
                        gconstpointer  data)
{
  const RfBackupStoreIo read_only = { .write = write_until_full };
  g_autoptr(GError) error = NULL;

  journal_writes_left = 0;
  journal_write_errno = EROFS;
  rf_journal_store_set_io (fixture->journals, &read_only);
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 0);
  assert_flash_unchanged (fixture);
  g_assert_cmpuint (rf_test_count_files (rf_journal_store_get_directory (fixture->journals)), ==,
                    0);
}

/* Read-only once the journal was written: the flash goes on to the end and
 * says that its journal could not be kept up to date. */
static void
test_journal_read_only_later (Fixture       *fixture,
                              gconstpointer  data)
{
  const RfBackupStoreIo read_only = { .write = write_until_full };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) problem = NULL;

  journal_writes_left = 2; /* the image and the first key file */
  journal_write_errno = EROFS;
  rf_journal_store_set_io (fixture->journals, &read_only);
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  assert_flash_is_image (fixture);
  problem = rf_flash_job_dup_journal_problem (fixture->job);
  g_assert_error (problem, RF_ERROR, RF_ERROR_WRITE);
}

/* Drives that cannot be flashed as they are: refused with their reason, and
 * nothing written. */
static void
test_not_flashable (Fixture       *fixture,
                    gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;

  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, (gint) test_case->expected);
  g_assert_cmpuint (count_commands (fixture, 0xcb, -1), ==, 0);
  g_assert_cmpuint (count_commands (fixture, 0xcc, 0x04), ==, 0);
  assert_flash_unchanged (fixture);
}

/* A cancel is honoured until the first erase: the drive is left as found. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  const Case *test_case = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *revision = NULL;
  gboolean ok;

  fixture->cancel_at = test_case->fault.command;
  fixture->hook->n = 0;
  fixture->hook->func = cancel_hook;
  fixture->hook->user_data = fixture;
  ok = run_job (fixture, test_case->confirmations, &error);
  if (test_case->expect_ok)
    {
      /* Past the point of no return the cancel was refused, and the flash
       * went on to its proven end. */
      g_assert_no_error (error);
      g_assert_true (ok);
      g_assert_error (fixture->cancel_error, RF_ERROR, RF_ERROR_CANCEL_REFUSED);
      assert_flash_is_image (fixture);
      return;
    }
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_no_error (fixture->cancel_error);
  assert_flash_unchanged (fixture);
  revision = revision_now (fixture);
  g_assert_cmpstr (revision, ==, "1.05");
}

/* A laptop's battery, as the kernel's power-supply class shows it. */
static void
plug_battery (const char *status,
              const char *capacity)
{
  g_autofree char *bat = g_build_filename (power_dir, "BAT0", NULL);
  g_autofree char *ac = g_build_filename (power_dir, "AC", NULL);
  const char *files[][3] = {
    { bat, "type", "Battery" }, { bat, "status", status }, { bat, "capacity", capacity },
    { bat, "present", "1" }, { ac, "type", "Mains" }, { ac, "online", "0" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *path = g_build_filename (files[i][0], files[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (files[i][0], 0755), ==, 0);
      g_assert_true (g_file_set_contents (path, files[i][2], -1, NULL));
    }
}

static void
unplug_battery (void)
{
  rf_test_remove_tree (power_dir);
  g_assert_cmpint (g_mkdir_with_parents (power_dir, 0755), ==, 0);
}

/* Issue 16 "Power": on battery the person must say yes to it; below 20 % no
 * flash at all. Either way nothing reaches the drive first. */
static void
test_on_battery (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before = fixture->hook->n;

  plug_battery ("Discharging", "50");
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION);
  g_assert_cmpuint (rf_flash_job_get_missing (fixture->job), ==, RF_FLASH_CONFIRM_ON_BATTERY);
  g_assert_cmpuint (fixture->hook->n, ==, before);
  g_clear_error (&error);
  g_assert_true (run_job (fixture, ALL_CONFIRMED | RF_FLASH_CONFIRM_ON_BATTERY, &error));
  g_assert_no_error (error);
  unplug_battery ();
  assert_flash_is_image (fixture);
}

static void
test_low_battery (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before = fixture->hook->n;

  plug_battery ("Discharging", "19");
  g_assert_false (run_job (fixture, ALL_CONFIRMED | RF_FLASH_CONFIRM_ON_BATTERY, &error));
  unplug_battery ();
  g_assert_error (error, RF_ERROR, RF_ERROR_LOW_BATTERY);
  g_assert_cmpuint (fixture->hook->n, ==, before);
  assert_flash_unchanged (fixture);
}

/* No system bus here (DBUS_SYSTEM_BUS_ADDRESS names nothing): the flash goes
 * on, and the refusal is there for the front end to say before the erase. */
static void
test_inhibit_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) refusal = NULL;

  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  refusal = rf_flash_job_dup_inhibit_refusal (fixture->job);
  g_assert_error (refusal, RF_ERROR, RF_ERROR_INHIBIT_REFUSED);
}

/* nec-2m.md §3: a connection that cannot carry 0x8000 bytes is refused before
 * anything is sent. */
static void
test_small_transfer (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint before = fixture->hook->n;

  fixture->hook->max_transfer = 0x4000;
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (fixture->hook->n, ==, before);
}

/* nec-2m.md §3 step 9, each rule on its own: a drive still in safe mode,
 * another revision, a changed stored ID or bootcode version fail the flash. */
static void
test_identity_after (void)
{
  char r105[] = "1.05", r106[] = "1.06", r005[] = "0.05", k451[] = "K451", k355[] = "K355";
  char v05[] = "05", v06[] = "06";
  RfDriveIdentity before = { .revision = r105, .stored_id = k451, .bootcode_key = k355,
                             .bootcode_version = v05 };
  RfDriveIdentity good = before;
  RfDriveIdentity safe = before;
  RfDriveIdentity old = before;
  RfDriveIdentity moved = before;
  RfDriveIdentity rebooted = before;
  const RfDriveIdentity *bad[] = { &safe, &old, &moved, &rebooted };

  good.revision = r106;
  safe.revision = r005;
  safe.safe_mode = TRUE;
  moved.revision = rebooted.revision = r106;
  moved.stored_id = k355;
  rebooted.bootcode_version = v06;
  g_assert_true (rf_flash_check_identity_after (&before, &good, "1.06", NULL));
  /* An image without display strings is proven by its read-back alone. */
  g_assert_true (rf_flash_check_identity_after (&before, &good, NULL, NULL));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (rf_flash_check_identity_after (&before, bad[i], "1.06", &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_VERIFY_FAILED);
    }
  /* Without a revision to compare, safe mode still shows a flash that failed. */
  g_assert_false (rf_flash_check_identity_after (&before, &safe, NULL, NULL));
}

static void
add (const char  *path,
     const Case  *test_case,
     void       (*func) (Fixture *, gconstpointer))
{
  g_autofree char *full = g_strconcat ("/reflash/flash-job/", path, NULL);

  g_test_add (full, Fixture, test_case, fixture_set_up, func, fixture_tear_down);
}

#define FAULT(k, p, o) .fault = { .kind = (k), .phase = (p), .occurrence = (o) }, .has_fault = TRUE

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = NULL;
  int status;
  static const Case healthy = { "healthy-3550", .confirmations = ALL_CONFIRMED };
  static const Case healthy_4551 = { "healthy-4551", .revision = "1.08",
                                     .confirmations = ALL_CONFIRMED };
  static const Case recovered = { "recovered-seed", .confirmations = ALL_CONFIRMED };
  static const Case interrupted = { "interrupted-3550", .confirmations = ALL_CONFIRMED };
  static const Case seed = { "seed", .confirmations = ALL_CONFIRMED };
  static const Case healthy_reinstall = { "healthy-3550", .revision = "1.05",
                                          .confirmations = ALL_CONFIRMED };
  static const Case healthy_old = { "healthy-3550", .revision = "1.02",
                                    .confirmations = ALL_CONFIRMED };
  static const Case healthy_other = { "healthy-3550", .other_model = TRUE };
  static const Case power_cut = { "power-cut-3550", .confirmations = ALL_CONFIRMED };
  static const Case not_flashable[] = {
    { "bridge-3550", .expected = RF_ERROR_VENDOR_REFUSED },
    { "disc-3550", .expected = RF_ERROR_MEDIUM_PRESENT },
    { "hung-3550", .expected = RF_ERROR_TIMED_OUT },
    { "locked-out-3550", .expected = RF_ERROR_PERMISSION_DENIED },
    { "no-rawio-3550", .expected = RF_ERROR_NEEDS_PRIVILEGES },
    { "unknown-drive", .expected = RF_ERROR_NOT_SUPPORTED },
  };
  static const Case seed_other = { "seed", .other_model = TRUE };
  static const Case seed_power_loss = { "seed", .confirmations = ALL_CONFIRMED,
                                        FAULT (RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_PROGRAM, 20),
                                        .expected = RF_ERROR_DEVICE_GONE };
  static const Case before_erase[] = {
    { "healthy-3550", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_TRANSPORT_ERROR, RF_SIM_PHASE_UPLOAD, 10), .expected = RF_ERROR_READ },
    { "healthy-3550", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_CHECKSUM, 1), .expected = RF_ERROR_TIMED_OUT },
    { "seed", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_TRANSPORT_ERROR, RF_SIM_PHASE_UPLOAD, 60), .expected = RF_ERROR_READ },
  };
  static const Case after_erase[] = {
    { "healthy-3550", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_WRITE_FAILURE, RF_SIM_PHASE_ERASE, 1), .expected = RF_ERROR_WRITE },
    { "healthy-3550", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_WRITE_FAILURE, RF_SIM_PHASE_PROGRAM, 12), .expected = RF_ERROR_WRITE },
    { "seed", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_PROGRAM, 20),
      .expected = RF_ERROR_DEVICE_GONE },
    { "healthy-3550", .confirmations = ALL_CONFIRMED,
      FAULT (RF_SIM_FAULT_SILENT_FLASH, RF_SIM_PHASE_PROGRAM, 0),
      .expected = RF_ERROR_VERIFY_FAILED },
    { "healthy-3550", .confirmations = ALL_CONFIRMED | RF_FLASH_CONFIRM_NO_BACKUP,
      FAULT (RF_SIM_FAULT_FLIPPED_READ, RF_SIM_PHASE_READ, 2 + 300),
      .expected = RF_ERROR_VERIFY_FAILED },
  };
  static const char *const before_names[] = { "upload-10", "checksum-timeout", "seed-upload-60" };
  static const char *const after_names[] = {
    "erase-1", "program-12", "seed-power-loss-program-20", "silent-flash", "read-back-differs",
  };
  /* Commands of a healthy ND-3550A's flash with a backup: 17 of the looks,
   * 960 backup reads; the enter at 978, WRITE RAM 979-1038, the checksum at
   * 1039, the first erase at 1040. */
  static const guint cancel_points[] = { 3, 17, 500, 978, 979, 1000, 1039, 1040, 1041 };
  static Case cancel_cases[G_N_ELEMENTS (cancel_points)];

  G_STATIC_ASSERT (G_N_ELEMENTS (before_names) == G_N_ELEMENTS (before_erase));
  G_STATIC_ASSERT (G_N_ELEMENTS (after_names) == G_N_ELEMENTS (after_erase));

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-flash-job-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_STATE_HOME", runtime, TRUE);
  /* Before any thread: a desktop on mains, and no system bus for logind. */
  power_dir = g_build_filename (runtime, "power_supply", NULL);
  g_assert_cmpint (g_mkdir_with_parents (power_dir, 0755), ==, 0);
  g_setenv ("REFLASH_POWER_SUPPLY_DIR", power_dir, TRUE);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=/nonexistent/reflash-test-bus", TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/reflash/flash-job/identity-after", test_identity_after);
  add ("ok/healthy-3550", &healthy, test_flash_ok);
  add ("ok/healthy-4551", &healthy_4551, test_flash_ok);
  add ("ok/recovered-seed", &recovered, test_flash_ok);
  add ("ok/interrupted-3550", &interrupted, test_flash_ok);
  add ("ok/reinstall", &healthy_reinstall, test_flash_ok);
  add ("backup-first", &healthy, test_backup_first);
  add ("no-backup", &healthy, test_no_backup);
  add ("seed-recovered", &seed, test_seed_recovered);
  add ("tray-not-confirmed", &seed, test_tray_not_confirmed);
  add ("untested-not-confirmed", &healthy, test_untested_not_confirmed);
  add ("downgrade", &healthy_old, test_downgrade);
  add ("refused/crossflash", &healthy_other, test_refused_verdict);
  add ("refused/seed-crossflash", &seed_other, test_refused_verdict);
  add ("small-transfer", &healthy, test_small_transfer);
  add ("power-cut-recovered", &power_cut, test_power_cut_recovered);
  add ("journal/kept-in-step", &healthy, test_journal_kept_in_step);
  add ("journal/resumed-after-power-cut", &power_cut, test_journal_resumed);
  add ("journal/resumed-seed", &seed_power_loss, test_journal_resumed);
  add ("journal/closed-by-new-flash", &seed_power_loss, test_journal_closed_by_new_flash);
  add ("journal/other-drive", &seed, test_journal_other_drive);
  add ("journal/unchanged", &healthy, test_journal_unchanged);
  add ("journal/no-space", &healthy, test_journal_no_space);
  add ("journal/folder-unusable", &healthy, test_journal_folder_unusable);
  add ("journal/update-fails", &healthy, test_journal_update_fails);
  add ("journal/read-only", &healthy, test_journal_read_only);
  add ("journal/read-only-later", &healthy, test_journal_read_only_later);
  for (gsize i = 0; i < G_N_ELEMENTS (not_flashable); i++)
    {
      g_autofree char *path = g_strconcat ("not-flashable/", not_flashable[i].scenario, NULL);

      add (path, &not_flashable[i], test_not_flashable);
    }
  add ("power/on-battery", &healthy, test_on_battery);
  add ("power/low-battery", &healthy, test_low_battery);
  add ("inhibit-refused", &healthy, test_inhibit_refused);
  for (gsize i = 0; i < G_N_ELEMENTS (before_erase); i++)
    {
      g_autofree char *path = g_strconcat ("before-erase/", before_names[i], NULL);

      add (path, &before_erase[i], test_fails_before_erase);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (after_erase); i++)
    {
      g_autofree char *path = g_strconcat ("after-erase/", after_names[i], NULL);

      add (path, &after_erase[i], test_fails_after_erase);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cancel_points); i++)
    {
      g_autofree char *path = g_strdup_printf ("cancel/at-command-%u", cancel_points[i]);

      cancel_cases[i] = (Case) { "healthy-3550", .confirmations = ALL_CONFIRMED,
                                 .fault = { .command = cancel_points[i] },
                                 .expect_ok = cancel_points[i] > 1039 };
      add (path, &cancel_cases[i], test_cancel);
    }

  status = g_test_run ();
  g_clear_object (&db);
  rf_test_remove_tree (runtime);
  g_free (power_dir);
  return status;
}
