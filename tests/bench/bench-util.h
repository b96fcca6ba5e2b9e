/* bench-util.h: what the job benchmarks share (bench-backup, bench-flash)
 *
 * A practice drive behind a transport that times it, the backup store's file
 * calls timed, and the figures of one job: its wall time against the sum of the
 * busy times the drive reports (the physical limit), and where the rest went.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"
#include "rf-sim.h"

G_BEGIN_DECLS

/* Issues 15 and 16: a job within 1 % of the physical limit. A figure to read,
 * never a verdict: no benchmark's exit status depends on it. */
#define BENCH_GOAL_PERCENT 1.0

/* One command, as the timer saw it. */
typedef struct {
  gint64 start_us;   /* monotonic time, entering the drive */
  gint64 end_us;     /* and leaving it */
  guint64 busy_us;   /* the drive's busy time (RfCommand.duration_us) */
  gint64 waited_us;  /* wall time in Reflash's own waits on the drive's clock since the
                      * command before (a poll's sleep, a pause between retries) */
  RfPhase phase;     /* the job's phase when it was sent */
  guint8 cdb[3];     /* its first bytes: opcode, and what a vendor command does */
} BenchCommand;

/* Sits between a job and the practice drive: every command's times, and every
 * wait Reflash does on the drive's clock (the clock it hands out is a wrapper
 * that times sleeps). */
#define BENCH_TYPE_TIMER (bench_timer_get_type ())
G_DECLARE_FINAL_TYPE (BenchTimer, bench_timer, BENCH, TIMER, RfTransport)

BenchTimer         *bench_timer_new          (const char   *name,
                                              RfTransport  *inner);
void                bench_timer_start        (BenchTimer   *self,
                                              RfProgress   *progress);
const BenchCommand *bench_timer_get_commands (BenchTimer   *self,
                                              guint        *n_commands);

/* A practice drive of one scenario, listed (passively probed) as a job
 * expects to find it, with a backup store whose file calls are timed. */
typedef struct {
  char *scenario_id;
  char *store_dir;
  RfSimClock *clock;
  RfSimDrive *drive;
  BenchTimer *timer;
  RfDevice *device;
  RfBackupStore *store;
} BenchRig;

BenchRig *bench_rig_new  (const char  *scenario_id,
                          gboolean     real_time,
                          const char  *dir,
                          const char  *state_path,
                          RfDriveDb   *db,
                          GError     **error);
void      bench_rig_free (BenchRig    *rig);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BenchRig, bench_rig_free)

/* What one job took. Times named *_at_us are monotonic instants, 0 when the
 * job made no such call; the rest are durations. */
typedef struct {
  gint64 start_at_us;     /* rf_job_run() called */
  gint64 wall_us;         /* rf_job_run() */
  guint n_commands;       /* in the job's transcript */
  guint64 busy_us;        /* the drive's busy time, as the transcript has it */
  gint64 inside_us;       /* wall time inside the drive */
  gint64 between_us;      /* between the first command and the last, outside the drive */
  gint64 waits_us;        /* of which Reflash's own waits on the drive's clock */
  guint n_waits;
  gint64 head_us;         /* before the first command */
  gint64 tail_us;         /* after the last command */
  gint64 first_start_at_us;
  gint64 last_end_at_us;
  gint64 store_first_at_us; /* the store's first file call */
  gint64 store_last_at_us;  /* the end of its last one */
  gint64 write_us;        /* the store's writes */
  gint64 fsync_us;        /* and fsyncs */
  gint64 modelled_us;     /* modelled time on the drive's clock (exact on a virtual clock) */
} BenchFigures;

gboolean bench_run_job              (BenchRig           *rig,
                                     RfJob              *job,
                                     BenchFigures       *figures,
                                     GError            **error);
int      bench_figures_compare_wall (const void         *a,
                                     const void         *b);
double   bench_ms                   (gint64              us);
double   bench_model_us             (const BenchFigures *instant);
void     bench_print_drive_split    (const BenchFigures *figures,
                                     double              model_us);
void     bench_print_limit          (const char         *name,
                                     double              speed,
                                     const BenchFigures *figures);
void     bench_print_instant        (const char         *name,
                                     const BenchFigures *median,
                                     gint64              min_us,
                                     gint64              max_us);
void     bench_print_sha256         (void);

/* What a job benchmark's command line may leave out. */
typedef struct {
  const char *program;                 /* "bench-flash": messages and the folder's name */
  const char *summary;                 /* after the usage line */
  const char *jobs;                    /* what one run is, in the help: "Flashes" */
  guint runs;                          /* --runs */
  const char *speeds;                  /* --speeds: "20,5" */
  const char *const *scenarios;        /* --scenario, NULL-terminated */
  const char *scenarios_help;          /* "seed and healthy-3550" */
} BenchDefaults;

/* The command line both job benchmarks take: --runs, --speeds, --timed-runs,
 * --scenario, --dir, and entries of their own. */
typedef struct {
  guint runs;                          /* jobs at speed 0 */
  guint timed_runs;                    /* jobs at each speed */
  GArray *speeds;                      /* of double */
  char **scenarios;
  char *dir;                           /* made for this run; bench_options_finish() removes it */
} BenchOptions;

int      bench_options_parse        (BenchOptions        *options,
                                     const BenchDefaults *defaults,
                                     const GOptionEntry  *extra,
                                     int                 *argc,
                                     char              ***argv);
int      bench_options_finish       (BenchOptions        *options,
                                     const char          *program,
                                     gboolean             ok,
                                     GError              *error);

G_END_DECLS
