/* rf-job.h: one piece of work on one drive, on a worker thread
 * (ARCHITECTURE.md "Threads", issue 15 "Jobs")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-command-gate.h"
#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-progress.h"
#include "rf-recorder.h"

G_BEGIN_DECLS

#define RF_TYPE_JOB (rf_job_get_type ())

G_DECLARE_DERIVABLE_TYPE (RfJob, rf_job, RF, JOB, GObject)

/**
 * RfJobClass:
 * @run: the work, on whichever thread called rf_job_run(). The drive's
 *   exclusive lock is held and its transport open; every command goes through
 *   rf_job_get_gate(), which is closed until @run sets a stage. Honour the
 *   cancellable between commands, outside must-finish stretches. Return %FALSE
 *   with an #RF_ERROR set on failure.
 */
struct _RfJobClass
{
  GObjectClass parent_class;

  gboolean (*run) (RfJob         *self,
                   GCancellable  *cancellable,
                   GError       **error);

  gpointer padding[8];
};

RfDevice      *rf_job_get_device      (RfJob          *self);
RfDriveDb     *rf_job_get_db          (RfJob          *self);
RfProgress    *rf_job_get_progress    (RfJob          *self);
RfCommandGate *rf_job_get_gate        (RfJob          *self);
RfRecorder    *rf_job_dup_transcript  (RfJob          *self);

gboolean       rf_job_run             (RfJob          *self,
                                       GCancellable   *cancellable,
                                       GError        **error);
void           rf_job_run_async       (RfJob          *self,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
gboolean       rf_job_run_finish      (RfJob          *self,
                                       GAsyncResult   *result,
                                       GError        **error);

/* For subclasses */
void           rf_job_set_phases      (RfJob          *self,
                                       const RfPhase  *phases,
                                       gsize           n_phases);
gboolean       rf_job_check_cancelled (RfJob          *self,
                                       GCancellable   *cancellable,
                                       GError        **error);

/* A set of #RfDriveState values, for rf_job_look(). */
#define RF_JOB_STATE_BIT(state) (1u << (state))

gboolean       rf_job_look            (RfJob          *self,
                                       RfProbeDepth    depth,
                                       guint           allowed_states,
                                       GCancellable   *cancellable,
                                       GError        **error);

G_END_DECLS
