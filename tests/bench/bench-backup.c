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

#include <stdio.h>
#include <stdlib.h>

#include "bench-util.h"
#include "rf-test-util.h"

/* The store's part of a backup's tail: after the last command, until the
 * store's first file call (compare the passes, make the image, the store's
 * checks and SHA-256), the file calls, and after them. */
static void
print_tail (const BenchFigures *f)
{
  gint64 prepare_us = f->store_first_at_us - f->last_end_at_us;
  gint64 files_us = f->store_last_at_us - f->store_first_at_us;

  printf ("    the job, after the last command    %9.3f ms: %.3f ms before the store writes "
          "(compare, image, checks, SHA-256),\n"
          "        %.3f ms writing (write %.3f ms, fsync %.3f ms), %.3f ms after\n",
          bench_ms (f->tail_us), bench_ms (prepare_us), bench_ms (files_us),
          bench_ms (f->write_us), bench_ms (f->fsync_us),
          bench_ms (f->tail_us - prepare_us - files_us));
}

static gboolean
run_job (BenchRig      *rig,
         RfDriveDb     *db,
         BenchFigures  *figures,
         GError       **error)
{
  g_autoptr(RfBackupJob) job = rf_backup_job_new (rig->device, db, rig->store);

  return bench_run_job (rig, RF_JOB (job), figures, error);
}

/* Speed 0: the drive's work is instant; the job's own cost is all there is.
 * Leaves the median job's figures in @median. */
static gboolean
bench_instant (const char    *scenario_id,
               const char    *dir,
               RfDriveDb     *db,
               guint          runs,
               BenchFigures  *median,
               GError       **error)
{
  /* State in memory only: a backup changes nothing the drive keeps. */
  g_autoptr(BenchRig) rig = bench_rig_new (scenario_id, FALSE, dir, NULL, db, error);
  g_autofree BenchFigures *all = g_new0 (BenchFigures, runs);
  BenchFigures warm;

  /* The first job meets cold caches. */
  if (rig == NULL || !run_job (rig, db, &warm, error))
    return FALSE;
  for (guint i = 0; i < runs; i++)
    if (!run_job (rig, db, &all[i], error))
      return FALSE;
  qsort (all, runs, sizeof *all, bench_figures_compare_wall);
  *median = all[runs / 2];
  bench_print_instant (scenario_id, median, all[0].wall_us, all[runs - 1].wall_us);
  bench_print_drive_split (median, -1.0);
  print_tail (median);
  return TRUE;
}

/* A real-time clock at @speed: the job's wall time against the drive's busy time. */
static gboolean
bench_timed (BenchRig            *rig,
             RfDriveDb           *db,
             double               speed,
             guint                runs,
             const BenchFigures  *instant,
             GError             **error)
{
  rf_sim_clock_set_speed (rig->clock, speed);
  for (guint i = 0; i < runs; i++)
    {
      BenchFigures f;

      if (!run_job (rig, db, &f, error))
        return FALSE;
      bench_print_limit (rig->scenario_id, speed, &f);
      bench_print_drive_split (&f, bench_model_us (instant));
      print_tail (&f);
    }
  return TRUE;
}

static gboolean
bench_accelerated (const char          *scenario_id,
                   const char          *dir,
                   RfDriveDb           *db,
                   const double        *speeds,
                   gsize                n_speeds,
                   guint                runs,
                   const BenchFigures  *instant,
                   GError             **error)
{
  g_autoptr(BenchRig) rig = bench_rig_new (scenario_id, TRUE, dir, NULL, db, error);
  BenchFigures warm;

  /* Warmed up at speed 0, which never sleeps even on a real-time clock. */
  if (rig == NULL || !run_job (rig, db, &warm, error))
    return FALSE;
  for (gsize i = 0; i < n_speeds; i++)
    if (!bench_timed (rig, db, speeds[i], runs, instant, error))
      return FALSE;
  return TRUE;
}

static gboolean
run_all (const BenchOptions  *options,
         GError             **error)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (error);
  const double *speeds = (const double *) (gpointer) options->speeds->data;
  guint n_scenarios = g_strv_length (options->scenarios);
  g_autofree BenchFigures *instant = g_new0 (BenchFigures, n_scenarios);

  if (db == NULL)
    return FALSE;
  printf ("Backups into %s\n", options->dir);
  bench_print_sha256 ();
  printf ("\nSpeed 0 (virtual clock: the drive's work is instant), median of %u jobs after one "
          "to warm up\n", options->runs);
  for (guint i = 0; i < n_scenarios; i++)
    if (!bench_instant (options->scenarios[i], options->dir, db, options->runs, &instant[i],
                        error))
      return FALSE;
  if (options->speeds->len == 0)
    return TRUE;
  printf ("\nReal-time clock, accelerated: limit = the drive's modelled busy time / speed\n");
  for (guint i = 0; i < n_scenarios; i++)
    if (!bench_accelerated (options->scenarios[i], options->dir, db, speeds,
                            options->speeds->len, options->timed_runs, &instant[i], error))
      return FALSE;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  const char *const scenarios[] = { "healthy-3550", "spc-generic", NULL };
  const BenchDefaults defaults = { "bench-backup", "- time a backup job", "Jobs", 20, "20,1",
                                   scenarios, "healthy-3550 and spc-generic" };
  BenchOptions options;
  g_autoptr(GError) error = NULL;
  int status = bench_options_parse (&options, &defaults, NULL, &argc, &argv);
  gboolean ok;

  if (status != 0)
    return status;
  ok = run_all (&options, &error);
  return bench_options_finish (&options, defaults.program, ok, error);
}
