/* bench-util.c: what the job benchmarks share (see bench-util.h)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "rf-test-util.h"

/* ---- the drive's clock, its sleeps timed ---- */

/* Reflash waits for a drive only on the drive's clock (rf-clock.h): a poll
 * after SAFE MODE leave, a pause between UNIT ATTENTIONs. Those are the job's
 * waits, not the drive's busy time. Jobs run on the calling thread, so plain
 * counters do. */
#define BENCH_TYPE_CLOCK (bench_clock_get_type ())
G_DECLARE_FINAL_TYPE (BenchClock, bench_clock, BENCH, CLOCK, RfClock)

struct _BenchClock
{
  RfClock parent_instance;
  RfClock *inner;
  guint n_sleeps;
  gint64 slept_us;
};

G_DEFINE_FINAL_TYPE (BenchClock, bench_clock, RF_TYPE_CLOCK)

static gint64
bench_clock_get_now_us (RfClock *clock)
{
  return rf_clock_get_now_us (BENCH_CLOCK (clock)->inner);
}

static gboolean
bench_clock_sleep_us (RfClock      *clock,
                      guint64       duration_us,
                      GCancellable *cancellable,
                      GError      **error)
{
  BenchClock *self = BENCH_CLOCK (clock);
  gint64 start = g_get_monotonic_time ();
  gboolean slept = rf_clock_sleep_us (self->inner, duration_us, cancellable, error);

  self->n_sleeps++;
  self->slept_us += g_get_monotonic_time () - start;
  return slept;
}

static void
bench_clock_finalize (GObject *object)
{
  g_clear_object (&BENCH_CLOCK (object)->inner);
  G_OBJECT_CLASS (bench_clock_parent_class)->finalize (object);
}

static void
bench_clock_class_init (BenchClockClass *klass)
{
  RfClockClass *clock_class = RF_CLOCK_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = bench_clock_finalize;
  clock_class->get_now_us = bench_clock_get_now_us;
  clock_class->sleep_us = bench_clock_sleep_us;
}

static void
bench_clock_init (BenchClock *self)
{
}

/* ---- a transport that times the drive ---- */

struct _BenchTimer
{
  RfTransport parent_instance;
  RfTransport *inner;
  BenchClock *clock;
  RfProgress *progress;   /* the last job's, or NULL */
  GArray *commands;       /* of BenchCommand */
  gint64 slept_before_us; /* the clock's sleeps when the last command ended */
};

G_DEFINE_FINAL_TYPE (BenchTimer, bench_timer, RF_TYPE_TRANSPORT)

static gboolean
bench_timer_execute (RfTransport  *transport,
                     RfCommand    *command,
                     GCancellable *cancellable,
                     GError      **error)
{
  BenchTimer *self = BENCH_TIMER (transport);
  BenchCommand timed = { 0 };
  RfProgressSnapshot snapshot = { 0 };
  gboolean answered;

  if (self->progress != NULL)
    rf_progress_get_snapshot (self->progress, &snapshot);
  timed.phase = snapshot.phase;
  memcpy (timed.cdb, command->cdb, sizeof timed.cdb);
  timed.waited_us = self->clock->slept_us - self->slept_before_us;
  timed.start_us = g_get_monotonic_time ();
  answered = rf_transport_execute (self->inner, command, cancellable, error);
  timed.end_us = g_get_monotonic_time ();
  timed.busy_us = command->duration_us;
  self->slept_before_us = self->clock->slept_us;
  g_array_append_val (self->commands, timed);
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
  return RF_CLOCK (BENCH_TIMER (transport)->clock);
}

static void
bench_timer_finalize (GObject *object)
{
  BenchTimer *self = BENCH_TIMER (object);

  g_clear_object (&self->inner);
  g_clear_object (&self->clock);
  g_clear_object (&self->progress);
  g_array_unref (self->commands);
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
  /* Room for a whole flash, so that no command pays for the array growing. */
  self->commands = g_array_sized_new (FALSE, FALSE, sizeof (BenchCommand), 4096);
}

/* Takes @inner. */
BenchTimer *
bench_timer_new (const char  *name,
                 RfTransport *inner)
{
  BenchTimer *self = g_object_new (BENCH_TYPE_TIMER, "name", name, NULL);

  self->inner = inner;
  self->clock = g_object_new (BENCH_TYPE_CLOCK, NULL);
  self->clock->inner = g_object_ref (rf_transport_get_clock (inner));
  return self;
}

/* Forgets the commands so far; the next ones are a job's whose phases
 * @progress (nullable) tells. They stay readable until the next start. */
void
bench_timer_start (BenchTimer *self,
                   RfProgress *progress)
{
  g_array_set_size (self->commands, 0);
  g_set_object (&self->progress, progress);
  self->clock->n_sleeps = 0;
  self->clock->slept_us = 0;
  self->slept_before_us = 0;
}

const BenchCommand *
bench_timer_get_commands (BenchTimer *self,
                          guint      *n_commands)
{
  *n_commands = self->commands->len;
  return (const BenchCommand *) (gpointer) self->commands->data;
}

/* ---- the store's file system calls, timed ---- */

/* The store's writing is the stretch from its first file call to its last. */
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

/* ---- one practice drive ---- */

void
bench_rig_free (BenchRig *rig)
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

/**
 * bench_rig_new:
 * @real_time: a real-time clock (at speed 0 until set) or a virtual one
 * @dir: the backup store goes into @dir/backups
 * @state_path: (nullable): where the drive keeps its flash; %NULL for memory only
 *
 * Returns: a practice drive of @scenario_id at speed 0, passively probed, so
 *   that the power-up UNIT ATTENTION is no job's
 */
BenchRig *
bench_rig_new (const char  *scenario_id,
               gboolean     real_time,
               const char  *dir,
               const char  *state_path,
               RfDriveDb   *db,
               GError     **error)
{
  g_autoptr(BenchRig) rig = g_new0 (BenchRig, 1);
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
  rig->drive = rf_sim_drive_new (scenario, state_path, rig->clock, error);
  if (rig->drive == NULL)
    return NULL;
  rig->timer = bench_timer_new (id, rf_sim_transport_new (rig->drive));
  rig->device = rf_device_new_for_transport (id, RF_TRANSPORT (rig->timer), lock);
  if (!rf_device_probe (rig->device, db, RF_PROBE_DEPTH_PASSIVE, NULL, error))
    return NULL;
  return g_steal_pointer (&rig);
}

/* ---- one job ---- */

static void
take_timer (BenchFigures *figures,
            BenchTimer   *timer)
{
  guint n = 0;
  const BenchCommand *commands = bench_timer_get_commands (timer, &n);

  for (guint i = 0; i < n; i++)
    {
      figures->inside_us += commands[i].end_us - commands[i].start_us;
      if (i > 0)
        figures->waits_us += commands[i].waited_us;
    }
  figures->n_waits = timer->clock->n_sleeps;
  if (n == 0)
    return;
  figures->first_start_at_us = commands[0].start_us;
  figures->last_end_at_us = commands[n - 1].end_us;
  figures->between_us = figures->last_end_at_us - figures->first_start_at_us - figures->inside_us;
  figures->head_us = figures->first_start_at_us - figures->start_at_us;
  figures->tail_us = figures->start_at_us + figures->wall_us - figures->last_end_at_us;
}

/* The transcript and the timer saw the same commands, or the split is wrong. */
static gboolean
take_transcript (BenchFigures *figures,
                 RfJob        *job,
                 BenchTimer   *timer,
                 GError      **error)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (job);
  guint n_timed = 0;
  const BenchCommand *timed = bench_timer_get_commands (timer, &n_timed);
  guint64 busy_timed = 0;

  figures->n_commands = rf_recorder_get_n_entries (transcript);
  for (guint i = 0; i < figures->n_commands; i++)
    figures->busy_us += rf_recorder_get_entry (transcript, i)->duration_us;
  for (guint i = 0; i < n_timed; i++)
    busy_timed += timed[i].busy_us;
  if (figures->n_commands == n_timed && figures->busy_us == busy_timed)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL,
               "the transcript has %u commands (%" G_GUINT64_FORMAT " us busy), the timer "
               "%u (%" G_GUINT64_FORMAT " us)", figures->n_commands, figures->busy_us, n_timed,
               busy_timed);
  return FALSE;
}

/**
 * bench_run_job:
 *
 * Runs @job on @rig and takes its figures. Every job reads its drive (none
 * reuses the backup of the one before) and writes into an empty store.
 */
gboolean
bench_run_job (BenchRig      *rig,
               RfJob         *job,
               BenchFigures  *figures,
               GError       **error)
{
  gint64 modelled = rf_clock_get_now_us (RF_CLOCK (rig->clock));
  gboolean ok;

  *figures = (BenchFigures) { 0 };
  rf_backup_job_forget_all ();
  bench_timer_start (rig->timer, rf_job_get_progress (job));
  store_reset ();
  figures->start_at_us = g_get_monotonic_time ();
  ok = rf_job_run (job, NULL, error);
  figures->wall_us = g_get_monotonic_time () - figures->start_at_us;
  figures->modelled_us = rf_clock_get_now_us (RF_CLOCK (rig->clock)) - modelled;
  figures->store_first_at_us = store_first_us;
  figures->store_last_at_us = store_last_us;
  figures->write_us = store_write_us;
  figures->fsync_us = store_fsync_us;
  take_timer (figures, rig->timer);
  ok = ok && take_transcript (figures, job, rig->timer, error);
  rf_test_remove_tree (rig->store_dir);
  return ok;
}

/* ---- figures ---- */

int
bench_figures_compare_wall (const void *a,
                            const void *b)
{
  gint64 x = ((const BenchFigures *) a)->wall_us;
  gint64 y = ((const BenchFigures *) b)->wall_us;

  return (x > y) - (x < y);
}

double
bench_ms (gint64 us)
{
  return (double) us / 1000.0;
}

/* The practice drive's own work per command at speed 0, where it sleeps
 * nothing: all its time inside is the model's. */
double
bench_model_us (const BenchFigures *instant)
{
  return (double) (instant->inside_us - (gint64) instant->busy_us) /
         MAX (instant->n_commands, 1);
}

/* Where a job's wall time went, beyond the drive's busy time, up to its last
 * command. @model_us is bench_model_us() at speed 0 (negative at speed 0
 * itself): what remains in the drive on top of it is mostly its sleeps waking
 * late and, on a real-time clock, the practice drive saving its flash after
 * each of the eight slices of an NEC erase or program (once per command at
 * speed 0). */
void
bench_print_drive_split (const BenchFigures *f,
                         double              model_us)
{
  double n = MAX (f->n_commands, 1);
  gint64 drive_us = f->inside_us - (gint64) f->busy_us;

  printf ("    in the drive, beyond its busy time %9.3f ms  (%.1f us/command)\n", bench_ms (drive_us),
          (double) drive_us / n);
  /* The model's work varies from run to run (it touches the job's fresh
   * buffers, so page faults land in it): the rest is an estimate. */
  if (model_us >= 0.0)
    printf ("        of which the model's own work (%.1f us/command at speed 0) %.3f ms,\n"
            "        the rest %.3f ms: sleeps waking late, caches cold after them, the saves of\n"
            "        its flash between an erase's or a program's naps\n", model_us,
            bench_ms ((gint64) (model_us * n)), bench_ms (drive_us - (gint64) (model_us * n)));
  printf ("    the job, between commands          %9.3f ms  (%.1f us/command)\n",
          bench_ms (f->between_us), (double) f->between_us / n);
  if (f->n_waits > 0)
    printf ("        of which Reflash's own waits on the drive's clock: %u, %.3f ms\n", f->n_waits,
            bench_ms (f->waits_us));
  printf ("    the job, before the first command  %9.3f ms\n", bench_ms (f->head_us));
}

static double
percent_of (gint64  part_us,
            guint64 whole_us)
{
  return whole_us > 0 ? 100.0 * (double) part_us / (double) whole_us : 0.0;
}

/* A real-time run: the wall time against the limit, and the overhead in two:
 * Reflash's (all the time outside the drive) and the practice drive's (inside
 * it, beyond the busy time it reports), which a real drive would not add. */
void
bench_print_limit (const char         *name,
                   double              speed,
                   const BenchFigures *f)
{
  gint64 over = f->wall_us - (gint64) f->busy_us;
  gint64 job = f->wall_us - f->inside_us;
  double percent = percent_of (over, f->busy_us);

  printf ("%-14s speed %-4g wall %9.3f ms, limit %9.3f ms, overhead %+.3f ms = %+.2f %% "
          "(goal %g %%: %s)\n", name, speed, bench_ms (f->wall_us), bench_ms ((gint64) f->busy_us),
          bench_ms (over), percent, BENCH_GOAL_PERCENT,
          percent <= BENCH_GOAL_PERCENT ? "met" : "missed");
  printf ("    of which the job's (outside the drive) %+.3f ms = %+.2f %%, the practice drive's "
          "%+.3f ms = %+.2f %%\n", bench_ms (job), percent_of (job, f->busy_us),
          bench_ms (over - job), percent_of (over - job, f->busy_us));
}

/* Speed 0: the median job, and the fastest and slowest job's wall times. */
void
bench_print_instant (const char         *name,
                     const BenchFigures *median,
                     gint64              min_us,
                     gint64              max_us)
{
  double per_command = (double) median->wall_us / MAX (median->n_commands, 1);

  printf ("%-14s %8.3f ms/job (min %.3f, max %.3f), %u commands/job, %.0f commands/s, "
          "%.1f us/command\n", name, bench_ms (median->wall_us), bench_ms (min_us),
          bench_ms (max_us), median->n_commands, 1e6 / per_command, per_command);
  printf ("    modelled duration (speed 1)        %9.3f ms\n", bench_ms (median->modelled_us));
}

/* What hashing costs here: a job's transcript hashes every read, the store
 * the whole image. */
void
bench_print_sha256 (void)
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

/* ---- options and the working folder ---- */

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

/* A new folder for one benchmark's backups and practice drives. The drive
 * locks and any practice state stay in it too, away from a Reflash the user
 * may be running. */
static char *
make_dir (const char  *program,
          const char  *parent,
          GError     **error)
{
  g_autofree char *name = g_strdup_printf ("reflash-%s-XXXXXX", program);
  g_autofree char *dir = g_build_filename (parent != NULL ? parent : g_get_tmp_dir (), name,
                                           NULL);

  if (g_mkdtemp (dir) == NULL)
    {
      rf_error_set_from_errno (error, errno, dir);
      return NULL;
    }
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  return g_steal_pointer (&dir);
}

static void
options_clear (BenchOptions *options)
{
  if (options->dir != NULL)
    rf_test_remove_tree (options->dir);
  g_clear_pointer (&options->dir, g_free);
  g_clear_pointer (&options->speeds, g_array_unref);
  g_clear_pointer (&options->scenarios, g_strfreev);
}

static void
options_take (BenchOptions        *options,
              const BenchDefaults *defaults,
              int                  runs,
              int                  timed_runs,
              char               **scenarios)
{
  options->runs = (guint) MAX (runs, 1);
  options->timed_runs = (guint) MAX (timed_runs, 1);
  options->scenarios = scenarios != NULL ? scenarios
                                         : g_strdupv ((char **) defaults->scenarios);
}

/**
 * bench_options_parse:
 * @extra: (nullable): the benchmark's own entries, %NULL-terminated
 *
 * Parses the command line and makes the working folder.
 *
 * Returns: 0, or the exit status after saying why on stderr (@options then
 *   hold nothing)
 */
int
bench_options_parse (BenchOptions        *options,
                     const BenchDefaults *defaults,
                     const GOptionEntry  *extra,
                     int                 *argc,
                     char              ***argv)
{
  int runs = (int) defaults->runs;
  int timed_runs = 1;
  g_autofree char *speeds = NULL;
  char **scenarios = NULL;
  g_autofree char *parent = NULL;
  g_autofree char *runs_help = g_strdup_printf ("%s at speed 0 (default %u)", defaults->jobs,
                                                defaults->runs);
  g_autofree char *speeds_help = g_strdup_printf (
    "Speeds of the real-time runs, comma-separated (default %s; empty for none)",
    defaults->speeds);
  g_autofree char *timed_help = g_strdup_printf ("%s at each speed (default 1)", defaults->jobs);
  g_autofree char *scenario_help = g_strdup_printf (
    "Practice drive scenario, repeatable (default %s)", defaults->scenarios_help);
  const GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, runs_help, "N" },
    { "speeds", 's', 0, G_OPTION_ARG_STRING, &speeds, speeds_help, "LIST" },
    { "timed-runs", 't', 0, G_OPTION_ARG_INT, &timed_runs, timed_help, "N" },
    { "scenario", 0, 0, G_OPTION_ARG_STRING_ARRAY, &scenarios, scenario_help, "ID" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &parent,
      "Where the temporary backups and practice drives go (default: the temporary folder)",
      "DIR" },
    { NULL },
  };
  g_autoptr(GOptionContext) context = g_option_context_new (defaults->summary);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  if (extra != NULL)
    g_option_context_add_main_entries (context, extra, NULL);
  *options = (BenchOptions) { 0 };
  if (g_option_context_parse (context, argc, argv, &error))
    options->speeds = parse_speeds (speeds != NULL ? speeds : defaults->speeds, &error);
  options_take (options, defaults, runs, timed_runs, scenarios);
  if (options->speeds != NULL)
    options->dir = make_dir (defaults->program, parent, &error);
  if (options->dir != NULL)
    return 0;
  fprintf (stderr, "%s: %s\n", defaults->program, error->message);
  options_clear (options);
  return error->domain == G_OPTION_ERROR ? 2 : 1;
}

/**
 * bench_options_finish:
 * @ok: whether the benchmark ran
 * @error: (nullable): why not
 *
 * Removes the working folder and frees @options.
 *
 * Returns: the exit status
 */
int
bench_options_finish (BenchOptions *options,
                      const char   *program,
                      gboolean      ok,
                      GError       *error)
{
  options_clear (options);
  if (ok)
    return 0;
  fprintf (stderr, "%s: %s\n", program, error != NULL ? error->message : "failed");
  return 1;
}
