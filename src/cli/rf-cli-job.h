/* rf-cli-job.h: what `backup`, `flash` and `recover` share: a job on a
 * worker thread, its progress on the main loop, signals caught, and the
 * practice drive's speed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <signal.h>

#include "rf-cli-progress.h"
#include "rf-core.h"

G_BEGIN_DECLS

/* The CLI rehearses in real time (ARCHITECTURE.md "The practice drive"). */
#define RF_CLI_DEFAULT_PRACTICE_SPEED 1.0

#define RF_CLI_N_CAUGHT_SIGNALS 3

typedef struct _RfCliJobRun RfCliJobRun;

/* Called on the main loop for each SIGINT, SIGTERM or SIGHUP. */
typedef void (*RfCliSignalFunc) (RfCliJobRun *run);
/* Called on the main loop ten times a second, after the progress was shown. */
typedef void (*RfCliTickFunc)   (RfCliJobRun              *run,
                                 const RfProgressSnapshot *snapshot);

/**
 * RfCliJobRun:
 * @job: the job to run; set before rf_cli_job_run()
 * @progress: where its progress goes; set before rf_cli_job_run()
 * @on_signal: what a signal does; %NULL: a cancel
 * @on_tick: (nullable): more to do on each tick
 * @user_data: for the callbacks
 * @cancellable: the job's, made by rf_cli_job_run()
 * @error: why the job failed, once it ended
 *
 * Signals stay caught until rf_cli_job_run_clear(): what the command does
 * after the job (a copy to a file) must not be cut half-way either.
 */
struct _RfCliJobRun
{
  RfJob *job;
  RfCliProgress *progress;
  RfCliSignalFunc on_signal;
  RfCliTickFunc on_tick;
  gpointer user_data;

  GCancellable *cancellable;
  GError *error;

  /* private */
  GMainLoop *loop;
  guint tick_id;
  guint signal_ids[RF_CLI_N_CAUGHT_SIGNALS];
};

gboolean           rf_cli_job_run                (RfCliJobRun  *run);
void               rf_cli_job_run_clear          (RfCliJobRun  *run);

RfCliProgressStyle rf_cli_progress_style_for     (gboolean      as_json);
gboolean           rf_cli_parse_practice_speed   (const char   *text,
                                                  const char   *drive_name,
                                                  double       *speed,
                                                  GError      **error);
RfDevice          *rf_cli_find_drive             (RfDriveDb    *db,
                                                  const char   *name,
                                                  double        practice_speed,
                                                  GError      **error);
RfJsonWriter      *rf_cli_error_event_begin      (const GError *error,
                                                  const char   *message);
int                rf_cli_exit_for_error         (const GError *error);

G_END_DECLS
