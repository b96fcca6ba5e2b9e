/* rf-job.c: one piece of work on one drive, on a worker thread
 *
 * A job holds the drive's exclusive lock from its first command to its last,
 * so that no probe or job of this or another process comes in between, and it
 * talks to the drive only through a command gate of its own, set to the stage
 * of what it is doing. The GUI runs it with rf_job_run_async(), the CLI with
 * rf_job_run(); both read the same #RfProgress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-device-private.h"
#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-helper-transport.h"
#include "rf-job.h"

typedef struct {
  RfDevice *device;
  RfDriveDb *db;
  RfProgress *progress;

  GMutex lock;            /* guards the fields below, read from other threads */
  gboolean started;
  RfCommandGate *gate;    /* while running */
  RfRecorder *transcript; /* from the start of the run on */
} RfJobPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RfJob, rf_job, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_DB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rf_job_finalize (GObject *object)
{
  RfJobPrivate *priv = rf_job_get_instance_private (RF_JOB (object));

  g_clear_object (&priv->device);
  g_clear_object (&priv->db);
  g_clear_object (&priv->progress);
  g_clear_object (&priv->gate);
  g_clear_object (&priv->transcript);
  g_mutex_clear (&priv->lock);

  G_OBJECT_CLASS (rf_job_parent_class)->finalize (object);
}

static void
rf_job_get_property (GObject    *object,
                     guint       prop_id,
                     GValue     *value,
                     GParamSpec *pspec)
{
  RfJobPrivate *priv = rf_job_get_instance_private (RF_JOB (object));

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, priv->device);
      break;
    case PROP_DB:
      g_value_set_object (value, priv->db);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_job_set_property (GObject      *object,
                     guint         prop_id,
                     const GValue *value,
                     GParamSpec   *pspec)
{
  RfJobPrivate *priv = rf_job_get_instance_private (RF_JOB (object));

  switch (prop_id)
    {
    case PROP_DEVICE:
      priv->device = g_value_dup_object (value);
      break;
    case PROP_DB:
      priv->db = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_job_class_init (RfJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_job_finalize;
  object_class->get_property = rf_job_get_property;
  object_class->set_property = rf_job_set_property;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, RF_TYPE_DEVICE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, RF_TYPE_DRIVE_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_job_init (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);

  g_mutex_init (&priv->lock);
}

RfDevice *
rf_job_get_device (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);

  g_return_val_if_fail (RF_IS_JOB (self), NULL);
  return priv->device;
}

RfDriveDb *
rf_job_get_db (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);

  g_return_val_if_fail (RF_IS_JOB (self), NULL);
  return priv->db;
}

/**
 * rf_job_get_progress:
 *
 * Returns: (transfer none): the job's progress, there from its creation on, so
 *   a front end can watch it before the job starts
 */
RfProgress *
rf_job_get_progress (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);

  g_return_val_if_fail (RF_IS_JOB (self), NULL);
  return priv->progress;
}

/**
 * rf_job_get_gate:
 *
 * Returns: (transfer none) (nullable): the gate every command of the running
 *   job goes through; %NULL outside rf_job_run()
 */
RfCommandGate *
rf_job_get_gate (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);

  g_return_val_if_fail (RF_IS_JOB (self), NULL);
  return priv->gate;
}

/**
 * rf_job_dup_transcript:
 *
 * Returns: (transfer full) (nullable): every command the job sent so far, for
 *   a report; %NULL before it started
 */
RfRecorder *
rf_job_dup_transcript (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  RfRecorder *transcript;

  g_return_val_if_fail (RF_IS_JOB (self), NULL);

  g_mutex_lock (&priv->lock);
  transcript = priv->transcript != NULL ? g_object_ref (priv->transcript) : NULL;
  g_mutex_unlock (&priv->lock);
  return transcript;
}

/**
 * rf_job_set_phases:
 * @phases: (array length=n_phases): the phases the job runs, in order
 *
 * Called once by a subclass while it is made: the progress weighs the phases
 * by the expected durations of the drive's family, measured on the drive's
 * clock.
 */
void
rf_job_set_phases (RfJob         *self,
                   const RfPhase *phases,
                   gsize          n_phases)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;

  g_return_if_fail (RF_IS_JOB (self));
  g_return_if_fail (priv->progress == NULL);
  g_return_if_fail (priv->device != NULL);

  family = rf_device_dup_family (priv->device);
  identity = rf_device_dup_identity (priv->device);
  priv->progress = rf_progress_new (rf_device_get_clock (priv->device), family, phases, n_phases);
  /* A drive found in safe mode blinks while its bootcode waits for firmware
   * (DOMAIN.md): the family's "off" for the check would tell its owner that
   * the light they see is wrong. */
  if (identity != NULL && identity->safe_mode)
    rf_progress_set_led_hint (priv->progress, RF_PHASE_PREFLIGHT, "blinking");
}

/**
 * rf_job_check_cancelled:
 *
 * For the points between commands where a job may stop: a cancel asked for
 * while a must-finish stretch runs is answered only after it.
 *
 * Returns: %FALSE with %RF_ERROR_CANCELLED when the job must stop here
 */
gboolean
rf_job_check_cancelled (RfJob         *self,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_return_val_if_fail (RF_IS_JOB (self), FALSE);

  if (!g_cancellable_is_cancelled (cancellable))
    return TRUE;
  g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCELLED, "the job was cancelled");
  return FALSE;
}

/* The state a look ended in, as the reason the job cannot go on. */
static RfError
state_to_error (RfDriveState  state,
                const char   *reason)
{
  switch (state)
    {
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      return RF_ERROR_OTHER_MODEL;
    case RF_DRIVE_STATE_BUSY:
      return g_strcmp0 (reason, "disc-present") == 0 ? RF_ERROR_MEDIUM_PRESENT : RF_ERROR_BUSY;
    case RF_DRIVE_STATE_NO_ACCESS:
      return RF_ERROR_PERMISSION_DENIED;
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      return RF_ERROR_NEEDS_PRIVILEGES;
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return RF_ERROR_VENDOR_REFUSED;
    case RF_DRIVE_STATE_UNSUPPORTED:
      return RF_ERROR_NOT_SUPPORTED;
    case RF_DRIVE_STATE_NOT_RESPONDING:
      return g_strcmp0 (reason, "device-gone") == 0 ? RF_ERROR_DEVICE_GONE :
             g_strcmp0 (reason, "timed-out") == 0 ? RF_ERROR_TIMED_OUT : RF_ERROR_READ;
    case RF_DRIVE_STATE_SAFE_MODE:
      return RF_ERROR_IN_SAFE_MODE;
    case RF_DRIVE_STATE_READY:
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return RF_ERROR_INTERNAL;
    }
}

/**
 * rf_job_look:
 * @depth: passive, or the family's deep identification
 * @allowed_states: the states (RF_JOB_STATE_BIT()) the job may go on from
 *
 * The job's own look at its drive, under its lock and through its gate; the
 * device's state, identity and family are updated.
 *
 * Returns: %FALSE with an #RF_ERROR saying why when the drive ended in a state
 *   the job cannot go on from
 */
gboolean
rf_job_look (RfJob         *self,
             RfProbeDepth   depth,
             guint          allowed_states,
             GCancellable  *cancellable,
             GError       **error)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (self);
  RfDriveState state;
  const char *reason;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (RF_IS_JOB (self), FALSE);
  g_return_val_if_fail (priv->gate != NULL, FALSE);

  if (!rf_device_probe_held (priv->device, priv->gate, transcript, priv->db, depth, cancellable,
                             error))
    return FALSE;
  state = rf_device_get_state (priv->device);
  if ((allowed_states & RF_JOB_STATE_BIT (state)) != 0)
    return TRUE;
  reason = rf_device_get_reason (priv->device);
  detail = rf_device_dup_detail (priv->device);
  g_set_error (error, RF_ERROR, state_to_error (state, reason), "%s look: drive is %s (%s)%s%s",
               rf_probe_depth_to_nick (depth), rf_drive_state_to_nick (state),
               reason != NULL ? reason : "?", detail != NULL ? ": " : "",
               detail != NULL ? detail : "");
  return FALSE;
}

static gboolean
claim_start (RfJob   *self,
             GError **error)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  gboolean first;

  g_mutex_lock (&priv->lock);
  first = !priv->started;
  priv->started = TRUE;
  g_mutex_unlock (&priv->lock);
  if (!first)
    g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL, "a job runs only once");
  return first;
}

/* Opens the drive behind a recorder (the job's transcript) and a closed gate. */
static gboolean
open_drive (RfJob   *self,
            GError **error)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  g_autoptr(RfTransport) transport = rf_device_open_transport (priv->device, error);
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfCommandGate) gate = NULL;

  if (transport == NULL)
    return FALSE;
  recorder = rf_recorder_new (transport);
  gate = rf_command_gate_new (RF_TRANSPORT (recorder));
  if (!rf_command_gate_set_stage (gate, RF_GATE_STAGE_CLOSED, NULL, RF_PHASE_PREFLIGHT, NULL))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL, "the new gate would not close");
      return FALSE;
    }
  g_mutex_lock (&priv->lock);
  priv->transcript = g_steal_pointer (&recorder);
  priv->gate = g_steal_pointer (&gate);
  g_mutex_unlock (&priv->lock);
  return TRUE;
}

/* One helper per job: it ends with the job, and lets go of the drive's lock;
 * the transcript keeps what was recorded. */
static void
end_helper (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  RfTransport *inner = NULL;

  g_mutex_lock (&priv->lock);
  if (priv->transcript != NULL)
    inner = rf_recorder_get_inner (priv->transcript);
  g_mutex_unlock (&priv->lock);
  if (inner != NULL && RF_IS_HELPER_TRANSPORT (inner))
    rf_helper_transport_end (RF_HELPER_TRANSPORT (inner));
}

/* Nothing more may reach the drive from this job, whatever happens next. */
static void
close_drive (RfJob *self)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  g_autoptr(RfCommandGate) gate = NULL;

  g_mutex_lock (&priv->lock);
  gate = g_steal_pointer (&priv->gate);
  g_mutex_unlock (&priv->lock);
  if (gate != NULL &&
      rf_command_gate_get_stage (gate) != RF_GATE_STAGE_AFTER_FAILURE &&
      !rf_command_gate_set_stage (gate, RF_GATE_STAGE_CLOSED, NULL, RF_PHASE_PREFLIGHT, NULL))
    g_warning ("a job's gate would not close");
  end_helper (self);
}

/* A job never ends without saying why, and only ever with an RF_ERROR. */
static void
ensure_reason (GError **error)
{
  if (*error == NULL)
    *error = g_error_new_literal (RF_ERROR, RF_ERROR_INTERNAL,
                                  "the job failed without saying why");
  else if ((*error)->domain != RF_ERROR)
    rf_error_convert (error);
}

/**
 * rf_job_run:
 *
 * Runs the job to its end on the calling thread (the CLI's way; the GUI uses
 * rf_job_run_async()). Takes the drive's exclusive lock first: another job on
 * the drive is %RF_ERROR_BUSY at once, a passive look of another process is
 * waited for.
 *
 * Returns: whether the job succeeded; a failure is always an #RF_ERROR
 */
gboolean
rf_job_run (RfJob         *self,
            GCancellable  *cancellable,
            GError       **error)
{
  RfJobPrivate *priv = rf_job_get_instance_private (self);
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean ok;

  g_return_val_if_fail (RF_IS_JOB (self), FALSE);
  g_return_val_if_fail (RF_JOB_GET_CLASS (self)->run != NULL, FALSE);
  g_return_val_if_fail (priv->progress != NULL, FALSE);

  if (!claim_start (self, error))
    return FALSE;
  /* Through the helper, the helper takes the lock: this user cannot open
   * the node it is taken on. */
  ok = rf_job_check_cancelled (self, cancellable, &local_error) &&
       (rf_device_uses_helper (priv->device) ||
        (lock = rf_drive_lock_acquire (rf_device_get_lock_name (priv->device),
                                       &local_error)) != NULL) &&
       open_drive (self, &local_error) &&
       RF_JOB_GET_CLASS (self)->run (self, cancellable, &local_error);
  close_drive (self);
  if (ok)
    {
      rf_progress_finish (priv->progress);
      return TRUE;
    }
  ensure_reason (&local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;

  if (rf_job_run (RF_JOB (source_object), cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * rf_job_run_async:
 *
 * Runs the job on a worker thread. The callback comes when the job has ended,
 * never earlier, even when cancelled: a cancel is honoured between commands,
 * and not inside a stretch that must finish.
 */
void
rf_job_run_async (RfJob               *self,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (RF_IS_JOB (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rf_job_run_async);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_in_thread);
}

gboolean
rf_job_run_finish (RfJob         *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (RF_IS_JOB (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
