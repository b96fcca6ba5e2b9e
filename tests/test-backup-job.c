/* test-backup-job.c: a backup job on practice drives: what it keeps is what
 * the drive holds, and every failure keeps nothing and leaves the drive as found
 * (issue 15 "Jobs", "Backups", nec-2m.md §4)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "rf-core.h"
#include "rf-sim.h"
#include "rf-test-hook.h"
#include "rf-test-util.h"

static RfDriveDb *db;

/* What one test runs on: a scenario, and for some tests a fault or a cancel. */
typedef struct {
  const char *scenario;
  const struct _FaultCase *fault;
  guint cancel_at;
} Case;

typedef struct {
  char *dir;            /* backups and practice state */
  RfSimClock *clock;    /* virtual: time passes only when the drive spends it */
  RfSimDrive *drive;
  TestHookTransport *hook;
  RfDevice *device;
  RfBackupStore *store;
  GCancellable *cancellable;
  guint cancel_at;      /* cancel before this command (0: never) */
  RfBackupJob *job;     /* for hooks that look at progress */
  guint silence_seen[3];
} Fixture;

static void
fixture_open (Fixture    *fixture,
              const char *scenario_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load (scenario_id, &error);
  g_autofree char *state = g_build_filename (fixture->dir, "drive.state", NULL);
  g_autofree char *id = g_strconcat ("practice:", scenario_id, NULL);
  g_autofree char *lock = g_strconcat ("practice-", scenario_id, NULL);
  RfTransport *inner;

  g_assert_no_error (error);
  fixture->clock = rf_sim_clock_new (FALSE);
  rf_sim_clock_set_speed (fixture->clock, 0.0);
  fixture->drive = rf_sim_drive_new (scenario, state, fixture->clock, &error);
  g_assert_no_error (error);
  inner = rf_sim_transport_new (fixture->drive);
  fixture->hook = test_hook_transport_new (inner);
  fixture->device = rf_device_new_for_transport (id, RF_TRANSPORT (fixture->hook), lock);
  /* As listed: the job knows the family from the passive look. */
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-backup-job-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->store = rf_backup_store_new (backups);
  fixture->cancellable = g_cancellable_new ();
  rf_backup_job_forget_all ();
  fixture_open (fixture, ((const Case *) data)->scenario);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->job);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->hook);
  g_assert_finalize_object (fixture->drive);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->cancellable);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  rf_backup_job_forget_all ();
}

static guint
count_backups (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = rf_backup_store_list (fixture->store, &error);

  g_assert_no_error (error);
  return backups->len;
}

/* Files of any kind in the store's folder: no half-written leftovers. */
static guint
count_files (Fixture *fixture)
{
  return rf_test_count_files (rf_backup_store_get_directory (fixture->store));
}

static gboolean
run_job (Fixture  *fixture,
         GError  **error)
{
  g_clear_object (&fixture->job);
  fixture->job = rf_backup_job_new (fixture->device, db, fixture->store);
  return rf_job_run (RF_JOB (fixture->job), fixture->cancellable, error);
}

/* Runs a job that must succeed, saying why when it did not. */
static void
run_job_ok (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = run_job (fixture, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
}

/* Full-size dump reads, as the drive saw them. */
static guint
count_dump_reads (RfRecorder *transcript)
{
  guint n = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if ((entry->cdb[0] == 0xcc && entry->cdb[1] == 0x00 && entry->data_length == 0x1000) ||
          (entry->cdb[0] == 0x3c && entry->cdb[1] == 0x02))
        n++;
    }
  return n;
}

static guint
count_opcode (RfRecorder *transcript,
              guint8      opcode)
{
  guint n = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    n += rf_recorder_get_entry (transcript, i)->cdb[0] == opcode;
  return n;
}

/* What the drive runs now, asked without Reflash's probe: INQUIRY byte 32 is
 * '0' in safe mode (nec-2m.md §2). */
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

static void
assert_as_found (Fixture    *fixture,
                 const char *revision)
{
  g_autofree char *now = revision_now (fixture);

  g_assert_cmpstr (now, ==, revision);
}

/* The stored image holds exactly the drive's main area, read from the practice
 * drive's memory, not through Reflash. */
static void
assert_backup_is_flash (Fixture    *fixture,
                        const char *drive_id)
{
  const RfBackup *backup = rf_backup_job_get_backup (fixture->job);
  g_autoptr(GBytes) flash = rf_sim_drive_dup_flash (fixture->drive);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = NULL;
  const guint8 *bytes;
  const guint8 *expected = g_bytes_get_data (flash, NULL);
  gsize size;

  g_assert_nonnull (backup);
  image = rf_backup_store_load (fixture->store, backup, &error);
  g_assert_no_error (error);
  bytes = g_bytes_get_data (image, &size);
  g_assert_cmpuint (size, ==, RF_NEC_IMAGE_SIZE_VERSIONED);
  g_assert_cmpmem (bytes, RF_NEC_MAIN_SIZE, expected + RF_NEC_MAIN_START, RF_NEC_MAIN_SIZE);
  g_assert_cmpmem (bytes + RF_NEC_IMAGE_ID_OFFSET, 4, drive_id, 4);
  g_assert_cmpstr (backup->verified, ==, "two-reads-compared");
}

static void
test_nec_backup (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  RfProgressSnapshot snapshot;
  gboolean k451 = g_str_equal (((const Case *) data)->scenario, "healthy-4551");

  run_job_ok (fixture);
  assert_backup_is_flash (fixture, k451 ? "K451" : "K355");
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  /* nec-2m.md §4: two full passes of 480 reads. */
  g_assert_cmpuint (count_dump_reads (transcript), ==, 2 * 480);
  g_assert_cmpuint (count_opcode (transcript, 0xcb), ==, 0);
  g_assert_cmpuint (count_backups (fixture), ==, 1);
  rf_progress_get_snapshot (rf_job_get_progress (RF_JOB (fixture->job)), &snapshot);
  g_assert_true (snapshot.finished);
  g_assert_cmpfloat (snapshot.fraction, ==, 1.0);
  g_assert_cmpint (snapshot.phase, ==, RF_PHASE_BACKUP);
  assert_as_found (fixture, k451 ? "1.07" : "1.05");
}

/* DOMAIN.md: a drive in safe mode has nothing to back up; say so, do not try.
 * The seed is also a crossflash, and neither hides the other. */
static void
test_safe_mode_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IN_SAFE_MODE);
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_true (rf_recorder_sent_opcode (transcript, 0x12));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcb));
  g_assert_cmpuint (count_files (fixture), ==, 0);
}

/* With a disc in the tray too, the answer is still that there is nothing to
 * back up: taking the disc out would not help. */
static void
test_safe_mode_with_disc (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  rf_sim_drive_set_disc (fixture->drive, TRUE);
  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IN_SAFE_MODE);
  g_assert_cmpuint (count_files (fixture), ==, 0);
}

static void
add_fault (Fixture        *fixture,
           RfSimFaultKind  kind,
           guint           read_number)
{
  RfSimFault fault;

  rf_sim_fault_init (&fault, kind, RF_SIM_PHASE_READ, read_number);
  rf_sim_drive_add_fault (fixture->drive, &fault);
}

typedef struct _FaultCase {
  RfSimFaultKind kind;
  guint read_number;  /* 1, 2: identification; 3..482 first pass; 483..962 second */
  int error;
  const char *revision_after;  /* NULL: the drive is gone */
} FaultCase;

static const FaultCase fault_cases[] = {
  { RF_SIM_FAULT_FLIPPED_READ, 2 + 100, RF_ERROR_READS_DIFFER, "1.05" },
  { RF_SIM_FAULT_FLIPPED_READ, 2 + 480 + 479, RF_ERROR_READS_DIFFER, "1.05" },
  { RF_SIM_FAULT_TRANSPORT_ERROR, 2 + 240, RF_ERROR_READ, "1.05" },
  { RF_SIM_FAULT_TIMEOUT, 2 + 480 + 1, RF_ERROR_TIMED_OUT, "1.05" },
  { RF_SIM_FAULT_VANISH, 2 + 300, RF_ERROR_DEVICE_GONE, NULL },
};

static void
test_fault (Fixture       *fixture,
            gconstpointer  data)
{
  const FaultCase *fault_case = ((const Case *) data)->fault;
  g_autoptr(GError) error = NULL;

  add_fault (fixture, fault_case->kind, fault_case->read_number);
  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, fault_case->error);
  g_assert_null (rf_backup_job_get_backup (fixture->job));
  g_assert_cmpuint (count_files (fixture), ==, 0);
  if (fault_case->revision_after != NULL)
    assert_as_found (fixture, fault_case->revision_after);
}

/* The drive's last SAFE MODE command was an answered leave. */
static gboolean
last_safe_mode_is_leave (RfRecorder *transcript)
{
  for (guint i = rf_recorder_get_n_entries (transcript); i > 0; i--)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i - 1);

      if (entry->cdb[0] == 0xcc && entry->cdb[1] == 0x01)
        return entry->cdb[2] == 0x00 && entry->answered && entry->status == 0;
    }
  return FALSE;
}

static void
cancel_hook (guint            n,
             const RfCommand *command,
             gpointer         user_data)
{
  Fixture *fixture = user_data;

  if (n == fixture->cancel_at)
    g_cancellable_cancel (fixture->cancellable);
}

/* Cancels just before command @cancel_at; the job stops at its next chance. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  guint cancel_at = ((const Case *) data)->cancel_at;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  fixture->cancel_at = fixture->hook->n + cancel_at;
  fixture->hook->func = cancel_hook;
  fixture->hook->user_data = fixture;
  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpuint (count_files (fixture), ==, 0);
  assert_as_found (fixture, "1.05");
  /* The job stopped where it could: a cancel inside the safe-mode window
   * waited for the leave and the drive's return, and no later. */
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  if (cancel_at == 14 || cancel_at == 15)
    {
      g_assert_true (last_safe_mode_is_leave (transcript));
      g_assert_cmpuint (rf_recorder_get_n_entries (transcript), <=, 17);
    }
  else
    {
      /* The command cancelled before it went out is recorded unanswered. */
      g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==, cancel_at);
      g_assert_false (rf_recorder_get_entry (transcript, cancel_at - 1)->answered);
    }
  g_assert_cmpuint (count_opcode (transcript, 0xcb), ==, 0);
}

static void
test_cancel_before_start (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint sent = fixture->hook->n;

  g_cancellable_cancel (fixture->cancellable);
  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpuint (fixture->hook->n, ==, sent);
}

/* issue 15: a verified backup of the same drive from the same run is reused. */
static void
test_reused (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autofree char *first_path = NULL;

  run_job_ok (fixture);
  g_assert_false (rf_backup_job_get_reused (fixture->job));
  first_path = g_strdup (rf_backup_job_get_backup (fixture->job)->image_path);
  run_job_ok (fixture);
  g_assert_true (rf_backup_job_get_reused (fixture->job));
  g_assert_cmpstr (rf_backup_job_get_backup (fixture->job)->image_path, ==, first_path);
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_cmpuint (count_dump_reads (transcript), ==, 0);
  g_assert_cmpuint (count_backups (fixture), ==, 1);
}

/* A backup file changed on disk since it was verified is not reused: the next
 * job reads the drive again and keeps a fresh backup. */
static void
test_changed_not_reused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autofree char *first_path = NULL;
  g_autofree char *contents = NULL;
  gsize length;

  run_job_ok (fixture);
  first_path = g_strdup (rf_backup_job_get_backup (fixture->job)->image_path);
  g_assert_true (g_file_get_contents (first_path, &contents, &length, &error));
  contents[length / 2] ^= 0x01;
  g_assert_true (g_file_set_contents (first_path, contents, (gssize) length, &error));
  run_job_ok (fixture);
  g_assert_false (rf_backup_job_get_reused (fixture->job));
  g_assert_cmpstr (rf_backup_job_get_backup (fixture->job)->image_path, !=, first_path);
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_cmpuint (count_dump_reads (transcript), ==, 2 * 480);
  assert_backup_is_flash (fixture, "K355");
}

/* spc-download.md "Phases", backup: an SPC drive whose family names a dump
 * buffer is read with READ BUFFER mode 2, twice, 64 KiB at a time, and the
 * stored file is its firmware as the drive holds it. */
static void
test_spc_backup (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(GBytes) flash = rf_sim_drive_dup_flash (fixture->drive);
  g_autoptr(GBytes) image = NULL;
  const RfBackup *backup;

  run_job_ok (fixture);
  backup = rf_backup_job_get_backup (fixture->job);
  g_assert_cmpstr (backup->family, ==, "spc-generic");
  g_assert_cmpstr (backup->drive_id, ==, "PRACTICE SPC");
  image = rf_backup_store_load (fixture->store, backup, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (image), ==, 0x100000);
  g_assert_true (g_bytes_equal (image, flash));
  transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  g_assert_cmpuint (count_dump_reads (transcript), ==, 2 * 16);
  /* Nothing that writes: no WRITE BUFFER. */
  g_assert_cmpuint (count_opcode (transcript, 0x3b), ==, 0);
  g_assert_cmpuint (count_backups (fixture), ==, 1);
}

/* spc-download.md: a family whose data names no dump "cannot be backed up",
 * said before anything is sent to the drive. */
static void
test_spc_without_dump (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) no_dump_db = rf_drive_db_new ();
  g_autofree char *source = g_test_build_filename (G_TEST_DIST, "..", "data", "drives",
                                                   "spc-generic.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "spc-no-dump.conf", NULL);
  g_autoptr(GRegex) dump_keys = g_regex_new ("^Dump\\w+=.*$", G_REGEX_MULTILINE, 0, NULL);
  g_autofree char *without = NULL;
  guint sent;

  g_assert_true (g_file_get_contents (source, &text, NULL, &error));
  without = g_regex_replace_literal (dump_keys, text, -1, 0, "", 0, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (without, "DumpLength="));
  g_assert_true (g_file_set_contents (path, without, -1, &error));
  g_assert_true (rf_drive_db_load_file (no_dump_db, path, &error));
  g_assert_no_error (error);
  g_assert_true (rf_device_probe (fixture->device, no_dump_db, RF_PROBE_DEPTH_PASSIVE, NULL,
                                  &error));
  sent = fixture->hook->n;
  fixture->job = rf_backup_job_new (fixture->device, no_dump_db, fixture->store);
  g_assert_false (rf_job_run (RF_JOB (fixture->job), NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANNOT_BACK_UP);
  g_assert_cmpuint (fixture->hook->n, ==, sent);
  g_assert_cmpuint (count_files (fixture), ==, 0);
}

/* Another job holds the drive: refused at once, nothing sent. */
static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) lock = rf_drive_lock_acquire (rf_device_get_lock_name (fixture->device),
                                                       &error);
  guint sent = fixture->hook->n;

  g_assert_no_error (error);
  g_assert_false (run_job (fixture, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
  g_assert_cmpuint (fixture->hook->n, ==, sent);
}

static void
silence_hook (guint            n,
              const RfCommand *command,
              gpointer         user_data)
{
  Fixture *fixture = user_data;
  RfProgressSnapshot snapshot;

  if (command->cdb[0] != 0xcc || command->data_length != 0x1000 || fixture->job == NULL)
    return;
  /* The read is under way: let the drive's clock run past what a read takes. */
  for (guint step = 0; step < 4; step++)
    {
      rf_progress_get_snapshot (rf_job_get_progress (RF_JOB (fixture->job)), &snapshot);
      fixture->silence_seen[snapshot.silence]++;
      rf_sim_clock_spend (fixture->clock, 3 * G_USEC_PER_SEC);
    }
  fixture->hook->func = NULL;
}

/* A read that runs past what a read takes raises the silence level, on the
 * drive's clock, without sleeping. */
static void
test_silence (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->job = rf_backup_job_new (fixture->device, db, fixture->store);
  fixture->hook->func = silence_hook;
  fixture->hook->user_data = fixture;
  g_assert_true (rf_job_run (RF_JOB (fixture->job), NULL, &error));
  g_assert_no_error (error);
  /* 0 s and 3 s: none; 6 s: past 5 s; 9 s: still under 10 s ... */
  g_assert_cmpuint (fixture->silence_seen[RF_PROGRESS_SILENCE_NONE], ==, 2);
  g_assert_cmpuint (fixture->silence_seen[RF_PROGRESS_SILENCE_LONG], ==, 2);
  g_assert_cmpuint (fixture->silence_seen[RF_PROGRESS_SILENCE_VERY_LONG], ==, 0);
}

/* The worker thread drops its reference to the task (and so to the job) a
 * moment after the callback may already have run. */
static void
wait_until_freed (RfBackupJob **job)
{
  gpointer weak = *job;

  g_object_add_weak_pointer (G_OBJECT (weak), &weak);
  g_clear_object (job);
  while (weak != NULL)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

typedef struct {
  GPtrArray *snapshots;
  GMainLoop *loop;
  gboolean done;
  GError *error;
} Watched;

static void
on_progress (RfProgress               *progress,
             const RfProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  Watched *watched = user_data;

  g_ptr_array_add (watched->snapshots, g_memdup2 (snapshot, sizeof *snapshot));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Watched *watched = user_data;

  rf_job_run_finish (RF_JOB (source), result, &watched->error);
  watched->done = TRUE;
}

/* The GUI's way: on a worker thread, progress coalesced on the main context.
 * The fraction never goes back, reaches 1.0 once and last, phases in order. */
static void
test_async_progress (Fixture       *fixture,
                     gconstpointer  data)
{
  Watched watched = { g_ptr_array_new_with_free_func (g_free) };
  RfProgress *progress;
  gint64 start = g_get_monotonic_time ();
  double seconds;
  double last = 0.0;
  int last_phase = -1;
  guint n_finished = 0;

  fixture->job = rf_backup_job_new (fixture->device, db, fixture->store);
  progress = rf_job_get_progress (RF_JOB (fixture->job));
  rf_progress_watch (progress, NULL, on_progress, &watched, NULL);
  rf_job_run_async (RF_JOB (fixture->job), NULL, on_done, &watched);
  while (!watched.done || n_finished == 0)
    {
      g_main_context_iteration (NULL, TRUE);
      n_finished = 0;
      for (guint i = 0; i < watched.snapshots->len; i++)
        n_finished += ((RfProgressSnapshot *) watched.snapshots->pdata[i])->finished;
    }
  g_assert_no_error (watched.error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_test_message ("%u deliveries in %.2f s", watched.snapshots->len, seconds);
  g_assert_cmpuint (watched.snapshots->len, <=, 10 * seconds + 2);
  for (guint i = 0; i < watched.snapshots->len; i++)
    {
      const RfProgressSnapshot *snapshot = watched.snapshots->pdata[i];

      g_assert_cmpfloat (snapshot->fraction, >=, last);
      g_assert_cmpint (snapshot->phase_index, >=, last_phase);
      g_assert_true (snapshot->fraction < 1.0 || i == watched.snapshots->len - 1);
      last = snapshot->fraction;
      last_phase = snapshot->phase_index;
    }
  g_assert_cmpuint (n_finished, ==, 1);
  g_assert_cmpfloat (last, ==, 1.0);
  g_ptr_array_unref (watched.snapshots);
  wait_until_freed (&fixture->job);
}

static void
add (const char  *path,
     const Case  *test_case,
     void       (*func) (Fixture *, gconstpointer))
{
  g_autofree char *full = g_strconcat ("/reflash/backup-job/", path, NULL);

  g_test_add (full, Fixture, test_case, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = NULL;
  int status;
  static const Case healthy_3550 = { "healthy-3550", NULL, 0 };
  static const Case healthy_4551 = { "healthy-4551", NULL, 0 };
  static const Case seed = { "seed", NULL, 0 };
  static const Case interrupted = { "interrupted-3550", NULL, 0 };
  static const Case spc = { "spc-generic", NULL, 0 };
  static const char *const fault_names[] = {
    "flipped-first-pass", "flipped-last-read", "read-error-half-way", "timeout-second-pass",
    "vanished",
  };
  /* A healthy ND-3550A's job sends 977 commands: a passive look (1-4), the
   * deep one (5-17: READ MEM 0x4800 and 0x5F00 at 10-11, SAFE MODE enter D355
   * refused at 12, enter K355 at 13, INQUIRY at 14, leave at 15), then the two
   * passes (18-497, 498-977). Cancels land before each of those. */
  static const guint cancel_points[] = { 2, 10, 13, 14, 15, 18, 100, 498, 600, 977 };
  static Case fault_tests[G_N_ELEMENTS (fault_cases)];
  static Case cancel_tests[G_N_ELEMENTS (cancel_points)];

  G_STATIC_ASSERT (G_N_ELEMENTS (fault_names) == G_N_ELEMENTS (fault_cases));

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-backup-job-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_STATE_HOME", runtime, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  add ("nec/healthy-3550", &healthy_3550, test_nec_backup);
  add ("nec/healthy-4551", &healthy_4551, test_nec_backup);
  add ("safe-mode/seed", &seed, test_safe_mode_refused);
  add ("safe-mode/interrupted", &interrupted, test_safe_mode_refused);
  add ("safe-mode/with-disc", &seed, test_safe_mode_with_disc);
  add ("spc/without-dump", &spc, test_spc_without_dump);
  add ("spc/backup", &spc, test_spc_backup);
  add ("changed-not-reused", &healthy_3550, test_changed_not_reused);
  add ("reused", &healthy_3550, test_reused);
  add ("locked", &healthy_3550, test_locked);
  add ("silence", &healthy_3550, test_silence);
  add ("async-progress", &healthy_3550, test_async_progress);
  add ("cancel/before-start", &healthy_3550, test_cancel_before_start);
  for (gsize i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strconcat ("fault/", fault_names[i], NULL);

      fault_tests[i] = (Case) { "healthy-3550", &fault_cases[i], 0 };
      add (path, &fault_tests[i], test_fault);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (cancel_points); i++)
    {
      g_autofree char *path = g_strdup_printf ("cancel/at-command-%u", cancel_points[i]);

      cancel_tests[i] = (Case) { "healthy-3550", NULL, cancel_points[i] };
      add (path, &cancel_tests[i], test_cancel);
    }

  status = g_test_run ();
  g_clear_object (&db);
  rf_test_remove_tree (runtime);
  return status;
}
