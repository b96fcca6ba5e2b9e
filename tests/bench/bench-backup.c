/* bench-backup.c: a backup job on a practice drive, timed (issue 15 "Benchmark").
 *
 * At speed 0 the practice drive's work is instant, so what is left is the job's
 * own cost: commands per second and microseconds per command. At a speed above 0,
 * on a real-time clock, the drive sleeps each command's modelled duration over
 * the speed; no job can be faster than the sum of those, the physical limit. The
 * figure is how far above it the job lands (goal: within 1 %) and where the
 * difference goes. Prints figures; it is not a test and never fails on time,
 * only when a job fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-sim.h"
#include "rf-test-util.h"

/* ---- a transport that times the drive ---- */

/* Sits between the job and the practice drive: the wall time spent inside the
 * drive, the busy time the drive reports for each command (modelled time over
 * the speed), and when the first command began and the last one ended. */
#define BENCH_TYPE_TIMER (bench_timer_get_type ())
G_DECLARE_FINAL_TYPE (BenchTimer, bench_timer, BENCH, TIMER, RfTransport)

struct _BenchTimer
{
  RfTransport parent_instance;
  RfTransport *inner;
  guint n_commands;
  gint64 inside_us;
  guint64 busy_us;
  gint64 first_start_us;
  gint64 last_end_us;
};

G_DEFINE_FINAL_TYPE (BenchTimer, bench_timer, RF_TYPE_TRANSPORT)

static gboolean
bench_timer_execute (RfTransport  *transport,
                     RfCommand    *command,
                     GCancellable *cancellable,
                     GError      **error)
{
  BenchTimer *self = BENCH_TIMER (transport);
  gint64 start = g_get_monotonic_time ();
  gboolean answered = rf_transport_execute (self->inner, command, cancellable, error);
  gint64 end = g_get_monotonic_time ();

  if (self->n_commands++ == 0)
    self->first_start_us = start;
  self->last_end_us = end;
  self->inside_us += end - start;
  self->busy_us += command->duration_us;
  return answered;
}

static gsize
bench_timer_get_max_transfer (RfTransport *transport)
{
  return rf_transport_get_max_transfer (BENCH_TIMER (transport)->inner);
}

static RfClock *
bench_timer_get_clock (RfTransport *transport)
{
  return rf_transport_get_clock (BENCH_TIMER (transport)->inner);
}

static void
bench_timer_finalize (GObject *object)
{
  g_clear_object (&BENCH_TIMER (object)->inner);
  G_OBJECT_CLASS (bench_timer_parent_class)->finalize (object);
}

static void
bench_timer_class_init (BenchTimerClass *klass)
{
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bench_timer_finalize;
  transport_class->execute = bench_timer_execute;
  transport_class->get_max_transfer = bench_timer_get_max_transfer;
  transport_class->get_clock = bench_timer_get_clock;
}

static void
bench_timer_init (BenchTimer *self)
{
}

static void
bench_timer_reset (BenchTimer *self)
{
  self->n_commands = 0;
  self->inside_us = 0;
  self->busy_us = 0;
  self->first_start_us = 0;
  self->last_end_us = 0;
}

/* ---- the store's file system calls, timed ---- */

/* The job runs on the calling thread, so plain counters do. The store's
 * writing is the stretch from its first file call to its last. */
static gint64 store_write_us;
static gint64 store_fsync_us;
static gint64 store_first_us;
static gint64 store_last_us;

static void
store_called (gint64 start,
              gint64 end)
{
  if (store_first_us == 0)
    store_first_us = start;
  store_last_us = end;
}

static int
timed_openat (int         dir_fd,
              const char *name,
              int         flags,
              int         mode)
{
  gint64 start = g_get_monotonic_time ();
  int fd = openat (dir_fd, name, flags, mode);

  store_called (start, g_get_monotonic_time ());
  return fd;
}

static gssize
timed_write (int         fd,
             const void *buffer,
             gsize       count)
{
  gint64 start = g_get_monotonic_time ();
  gssize written = write (fd, buffer, count);
  gint64 end = g_get_monotonic_time ();

  store_write_us += end - start;
  store_called (start, end);
  return written;
}

static int
timed_fsync (int fd)
{
  gint64 start = g_get_monotonic_time ();
  int result = fsync (fd);
  gint64 end = g_get_monotonic_time ();

  store_fsync_us += end - start;
  store_called (start, end);
  return result;
}

static int
timed_close (int fd)
{
  gint64 start = g_get_monotonic_time ();
  int result = close (fd);

  store_called (start, g_get_monotonic_time ());
  return result;
}

static const RfBackupStoreIo timed_io = { timed_openat, timed_write, timed_fsync, NULL,
                                          timed_close };

static void
store_reset (void)
{
  store_write_us = store_fsync_us = store_first_us = store_last_us = 0;
}

/* ---- one practice drive and its jobs ---- */

typedef struct {
  char *scenario_id;
  char *store_dir;
  RfSimClock *clock;
  RfSimDrive *drive;
  BenchTimer *timer;
  RfDevice *device;
  RfBackupStore *store;
} Rig;

/* What one job took. */
typedef struct {
  gint64 wall_us;       /* rf_job_run() */
  guint n_commands;     /* in the job's transcript */
  guint64 busy_us;      /* the drive's busy time, as the transcript has it */
  gint64 inside_us;     /* wall time inside the drive */
  gint64 between_us;    /* wall time between the first command and the last, outside the drive */
  gint64 head_us;       /* before the first command */
  gint64 tail_us;       /* after the last command */
  gint64 prepare_us;    /* of which before the store's first file call: compare the
                         * passes, make the image, the store's checks and SHA-256 */
  gint64 files_us;      /* of which the store's file calls, first to last */
  gint64 write_us;      /* of those, the writes */
  gint64 fsync_us;      /* and the fsyncs */
  gint64 modelled_us;   /* modelled time on the drive's clock (exact on a virtual clock) */
} Figures;

static void
rig_free (Rig *rig)
{
  g_clear_object (&rig->device);
  g_clear_object (&rig->timer);
  g_clear_object (&rig->drive);
  g_clear_object (&rig->clock);
  g_clear_object (&rig->store);
  g_free (rig->scenario_id);
  g_free (rig->store_dir);
  g_free (rig);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rig, rig_free)

/* A practice drive of @scenario_id on a virtual or a real-time clock at speed 0,
 * listed (passively probed) as a backup job expects to find it. */
static Rig *
rig_new (const char *scenario_id,
         gboolean    real_time,
         const char *dir,
         RfDriveDb  *db,
         GError    **error)
{
  g_autoptr(Rig) rig = g_new0 (Rig, 1);
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load (scenario_id, error);
  g_autofree char *id = g_strconcat ("practice:", scenario_id, NULL);
  g_autofree char *lock = g_strconcat ("practice-", scenario_id, NULL);

  if (scenario == NULL)
    return NULL;
  rig->scenario_id = g_strdup (scenario_id);
  rig->store_dir = g_build_filename (dir, "backups", NULL);
  rig->store = rf_backup_store_new (rig->store_dir);
  rf_backup_store_set_io (rig->store, &timed_io);
  rig->clock = rf_sim_clock_new (real_time);
  rf_sim_clock_set_speed (rig->clock, 0.0);
  /* State in memory only: a backup changes nothing the drive keeps. */
  rig->drive = rf_sim_drive_new (scenario, NULL, rig->clock, error);
  if (rig->drive == NULL)
    return NULL;
  rig->timer = g_object_new (BENCH_TYPE_TIMER, "name", id, NULL);
  rig->timer->inner = rf_sim_transport_new (rig->drive);
  rig->device = rf_device_new_for_transport (id, RF_TRANSPORT (rig->timer), lock);
  if (!rf_device_probe (rig->device, db, RF_PROBE_DEPTH_PASSIVE, NULL, error))
    return NULL;
  return g_steal_pointer (&rig);
}

static gboolean
run_job (Rig       *rig,
         RfDriveDb *db,
         Figures   *figures,
         GError   **error)
{
  g_autoptr(RfBackupJob) job = rf_backup_job_new (rig->device, db, rig->store);
  g_autoptr(RfRecorder) transcript = NULL;
  BenchTimer *timer = rig->timer;
  gint64 modelled = rf_clock_get_now_us (RF_CLOCK (rig->clock));
  gint64 start, end;
  gboolean ok;

  /* Every job reads the drive; none reuses the backup of the one before. */
  rf_backup_job_forget_all ();
  bench_timer_reset (timer);
  store_reset ();
  start = g_get_monotonic_time ();
  ok = rf_job_run (RF_JOB (job), NULL, error);
  end = g_get_monotonic_time ();
  if (!ok)
    return FALSE;
  transcript = rf_job_dup_transcript (RF_JOB (job));
  *figures = (Figures) { 0 };
  figures->wall_us = end - start;
  figures->n_commands = rf_recorder_get_n_entries (transcript);
  for (guint i = 0; i < figures->n_commands; i++)
    figures->busy_us += rf_recorder_get_entry (transcript, i)->duration_us;
  figures->inside_us = timer->inside_us;
  figures->between_us = timer->last_end_us - timer->first_start_us - timer->inside_us;
  figures->head_us = timer->first_start_us - start;
  figures->tail_us = end - timer->last_end_us;
  figures->prepare_us = store_first_us - timer->last_end_us;
  figures->files_us = store_last_us - store_first_us;
  figures->write_us = store_write_us;
  figures->fsync_us = store_fsync_us;
  figures->modelled_us = rf_clock_get_now_us (RF_CLOCK (rig->clock)) - modelled;
  /* The transcript and the timer saw the same commands, or the split is wrong. */
  if (figures->n_commands != timer->n_commands || figures->busy_us != timer->busy_us)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL,
                   "the transcript has %u commands (%" G_GUINT64_FORMAT " us busy), the timer "
                   "%u (%" G_GUINT64_FORMAT " us)", figures->n_commands, figures->busy_us,
                   timer->n_commands, timer->busy_us);
      return FALSE;
    }
  /* The next job writes into an empty folder, as this one did. */
  rf_test_remove_tree (rig->store_dir);
  return TRUE;
}

/* ---- figures ---- */

/* Issue 15: a job within 1 % of the physical limit. A figure to read, never a
 * verdict: the exit status does not depend on it. */
#define GOAL_PERCENT 1.0

static int
compare_wall (const void *a,
              const void *b)
{
  gint64 x = ((const Figures *) a)->wall_us;
  gint64 y = ((const Figures *) b)->wall_us;

  return (x > y) - (x < y);
}

static double
ms (gint64 us)
{
  return (double) us / 1000.0;
}

/* Where a job's wall time went, beyond the drive's busy time. @model_us is the
 * practice drive's own work per command at speed 0 (negative at speed 0 itself):
 * what remains in the drive on top of it is mostly its sleeps waking late. */
static void
print_split (const Figures *f,
             double         model_us)
{
  double n = MAX (f->n_commands, 1);
  gint64 drive_us = f->inside_us - (gint64) f->busy_us;

  printf ("    in the drive, beyond its busy time %9.3f ms  (%.1f us/command)\n", ms (drive_us),
          (double) drive_us / n);
  /* The model's work varies from run to run (it touches the job's fresh
   * buffers, so page faults land in it): the rest is an estimate. */
  if (model_us >= 0.0)
    printf ("        of which the model's own work (%.1f us/command at speed 0) %.3f ms,\n"
            "        the rest %.3f ms: sleeps waking late, caches cold after them\n", model_us,
            ms ((gint64) (model_us * n)), ms (drive_us - (gint64) (model_us * n)));
  printf ("    the job, between commands          %9.3f ms  (%.1f us/command)\n",
          ms (f->between_us), (double) f->between_us / n);
  printf ("    the job, before the first command  %9.3f ms\n", ms (f->head_us));
  printf ("    the job, after the last command    %9.3f ms: %.3f ms before the store writes "
          "(compare, image, checks, SHA-256),\n"
          "        %.3f ms writing (write %.3f ms, fsync %.3f ms), %.3f ms after\n",
          ms (f->tail_us), ms (f->prepare_us), ms (f->files_us), ms (f->write_us),
          ms (f->fsync_us), ms (f->tail_us - f->prepare_us - f->files_us));
}

/* Speed 0: the drive's work is instant; the job's own cost is all there is.
 * Leaves the median job's figures in @median. */
static gboolean
bench_instant (const char *scenario_id,
               const char *dir,
               RfDriveDb  *db,
               guint       runs,
               Figures    *median,
               GError    **error)
{
  g_autoptr(Rig) rig = rig_new (scenario_id, FALSE, dir, db, error);
  g_autofree Figures *all = g_new0 (Figures, runs);
  Figures warm;
  double per_command;

  /* The first job also meets the power-up UNIT ATTENTION and cold caches. */
  if (rig == NULL || !run_job (rig, db, &warm, error))
    return FALSE;
  for (guint i = 0; i < runs; i++)
    if (!run_job (rig, db, &all[i], error))
      return FALSE;
  qsort (all, runs, sizeof *all, compare_wall);
  *median = all[runs / 2];
  per_command = (double) median->wall_us / MAX (median->n_commands, 1);
  printf ("%-14s %8.3f ms/job (min %.3f, max %.3f), %u commands/job, %.0f commands/s, "
          "%.1f us/command\n", scenario_id, ms (median->wall_us), ms (all[0].wall_us),
          ms (all[runs - 1].wall_us), median->n_commands, 1e6 / per_command, per_command);
  printf ("    modelled duration (speed 1)        %9.3f ms\n", ms (median->modelled_us));
  print_split (median, -1.0);
  return TRUE;
}

/* A real-time clock at @speed: the job's wall time against the drive's busy time. */
static gboolean
bench_timed (Rig           *rig,
             RfDriveDb     *db,
             double         speed,
             guint          runs,
             const Figures *instant,
             GError       **error)
{
  double model_us = (double) (instant->inside_us - (gint64) instant->busy_us) /
                    MAX (instant->n_commands, 1);

  rf_sim_clock_set_speed (rig->clock, speed);
  for (guint i = 0; i < runs; i++)
    {
      Figures f;
      gint64 over;
      double percent;

      if (!run_job (rig, db, &f, error))
        return FALSE;
      over = f.wall_us - (gint64) f.busy_us;
      percent = f.busy_us > 0 ? 100.0 * (double) over / (double) f.busy_us : 0.0;
      printf ("%-14s speed %-4g wall %9.3f ms, limit %9.3f ms, overhead %+.3f ms = %+.2f %% "
              "(goal %g %%: %s)\n", rig->scenario_id, speed, ms (f.wall_us),
              ms ((gint64) f.busy_us), ms (over), percent, GOAL_PERCENT,
              percent <= GOAL_PERCENT ? "met" : "missed");
      print_split (&f, model_us);
    }
  return TRUE;
}

static gboolean
bench_accelerated (const char    *scenario_id,
                   const char    *dir,
                   RfDriveDb     *db,
                   const double  *speeds,
                   gsize          n_speeds,
                   guint          runs,
                   const Figures *instant,
                   GError       **error)
{
  g_autoptr(Rig) rig = rig_new (scenario_id, TRUE, dir, db, error);
  Figures warm;

  /* Warmed up at speed 0, which never sleeps even on a real-time clock. */
  if (rig == NULL || !run_job (rig, db, &warm, error))
    return FALSE;
  for (gsize i = 0; i < n_speeds; i++)
    if (!bench_timed (rig, db, speeds[i], runs, instant, error))
      return FALSE;
  return TRUE;
}

/* What hashing costs here: the job's transcript hashes every read, the store
 * the whole image. */
static void
print_sha256 (void)
{
  g_autofree guint8 *data = g_malloc0 (2 * 1024 * 1024);
  const gsize sizes[] = { 4096, 2 * 1024 * 1024 };

  printf ("SHA-256 on this machine:");
  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint rounds = (guint) MAX (1, (64 * 1024 * 1024) / sizes[i]);
      gint64 start = g_get_monotonic_time ();

      for (guint j = 0; j < rounds; j++)
        g_free (g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, sizes[i]));
      printf (" %" G_GSIZE_FORMAT " bytes in %.1f us%s", sizes[i],
              (double) (g_get_monotonic_time () - start) / rounds,
              i + 1 < G_N_ELEMENTS (sizes) ? "," : "\n");
    }
}

/* "20,1" -> { 20, 1 }; an empty list is no timed run at all. */
static GArray *
parse_speeds (const char  *text,
              GError     **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);
  g_autoptr(GArray) speeds = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *end = NULL;
      double speed;

      if (*g_strstrip (parts[i]) == '\0')
        continue;
      speed = g_ascii_strtod (parts[i], &end);
      if (*end != '\0' || !(speed > 0.0))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--speeds: \"%s\" is not a speed above 0", parts[i]);
          return NULL;
        }
      g_array_append_val (speeds, speed);
    }
  return g_steal_pointer (&speeds);
}

static gboolean
run_all (const char * const *scenarios,
         const double       *speeds,
         gsize               n_speeds,
         guint               runs,
         guint               timed_runs,
         const char         *dir,
         GError            **error)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (error);
  guint n_scenarios = g_strv_length ((char **) scenarios);
  g_autofree Figures *instant = g_new0 (Figures, n_scenarios);

  if (db == NULL)
    return FALSE;
  printf ("Backups into %s\n", dir);
  print_sha256 ();
  printf ("\nSpeed 0 (virtual clock: the drive's work is instant), median of %u jobs after one "
          "to warm up\n", runs);
  for (guint i = 0; i < n_scenarios; i++)
    if (!bench_instant (scenarios[i], dir, db, runs, &instant[i], error))
      return FALSE;
  if (n_speeds == 0)
    return TRUE;
  printf ("\nReal-time clock, accelerated: limit = the drive's modelled busy time / speed\n");
  for (guint i = 0; i < n_scenarios; i++)
    if (!bench_accelerated (scenarios[i], dir, db, speeds, n_speeds, timed_runs, &instant[i],
                            error))
      return FALSE;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  int runs = 20;
  int timed_runs = 1;
  g_autofree char *speeds_text = NULL;
  g_auto(GStrv) scenarios = NULL;
  g_autofree char *parent = NULL;
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Jobs at speed 0 (default 20)", "N" },
    { "speeds", 's', 0, G_OPTION_ARG_STRING, &speeds_text,
      "Speeds of the real-time runs, comma-separated (default 20,1; empty for none)", "LIST" },
    { "timed-runs", 't', 0, G_OPTION_ARG_INT, &timed_runs, "Jobs at each speed (default 1)",
      "N" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scenarios,
      "Practice drive scenario, repeatable (default healthy-3550 and spc-generic)", "ID" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
      "Where the temporary backups go (default: the temporary folder)", "DIR" },
    { NULL },
  };
  const char *const default_scenarios[] = { "healthy-3550", "spc-generic", NULL };
  g_autoptr(GOptionContext) context = g_option_context_new ("- time a backup job");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) speeds = NULL;
  g_autofree char *dir = NULL;
  gboolean ok;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (speeds = parse_speeds (speeds_text != NULL ? speeds_text : "20,1", &error)) == NULL)
    {
      fprintf (stderr, "bench-backup: %s\n", error->message);
      return 2;
    }
  dir = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (),
                          "reflash-bench-backup-XXXXXX", NULL);
  if (g_mkdtemp (dir) == NULL)
    {
      fprintf (stderr, "bench-backup: %s: %s\n", dir, g_strerror (errno));
      return 1;
    }
  /* The drive locks and any practice state stay in the temporary folder, away
   * from a Reflash the user may be running. */
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  ok = run_all (scenarios != NULL ? (const char * const *) scenarios : default_scenarios,
                (const double *) (gpointer) speeds->data, speeds->len, (guint) MAX (runs, 1),
                (guint) MAX (timed_runs, 1), dir, &error);
  rf_test_remove_tree (dir);
  if (!ok)
    {
      fprintf (stderr, "bench-backup: %s\n", error->message);
      return 1;
    }
  return 0;
}
