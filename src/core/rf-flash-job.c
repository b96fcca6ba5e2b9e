/* rf-flash-job.c: firmware written to a drive, proven from the drive itself
 *
 * One engine, two protocols (rf-flash-protocol.h). Under the drive's lock the
 * engine identifies the drive again and judges the image against it as it is
 * now (never a verdict from an earlier look), backs it up while it still has
 * firmware, writes the journal, and lets the family's protocol prepare, pass
 * the point of no return, write, restart and verify. Success only when every
 * step held.
 *
 * Before the point of no return a failure or a cancel gives the drive back as
 * it was found. From there on nothing stops the job but the drive: a failure
 * narrows the gate to polls and identification, and the protocol finds out
 * what the drive runs now.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-backup-job-private.h"
#include "rf-device-private.h"
#include "rf-error.h"
#include "rf-flash-job.h"
#include "rf-flash-job-private.h"
#include "rf-flash-protocol.h"
#include "rf-inhibitor.h"
#include "rf-must-finish.h"
#include "rf-nec-2m.h"
#include "rf-power.h"

struct _RfFlashJob
{
  RfJob parent_instance;

  RfFirmwareCheck *check;
  RfBackupStore *store;
  RfFlashConfirmations confirmations;

  /* Set while the job runs; read once it ended. */
  RfFlashConfirmations missing;
  RfVerdict *verdict;
  RfBackup *backup;
  gboolean backup_reused;
  RfDriveFamily *family;
  RfDriveIdentity *before;
  RfDriveIdentity *after;
  GBytes *image;
  const RfFlashProtocol *protocol;
  gpointer protocol_state;
  gboolean found_in_normal_mode;
  gboolean needs_recovery;
  gboolean not_applied;
  RfInhibitor *inhibitor;
  GError *inhibit_refusal;    /* guarded by cancel_lock: read while the job runs */
  RfJournalStore *journal_store;
  RfJournal *journal;         /* the one written, or the one resumed */
  gboolean resuming;
  gboolean found_unchanged;
  GError *journal_problem;    /* guarded by cancel_lock: an update that failed */

  /* A cancel and the point of no return meet under this lock, so a cancel is
   * either honoured before the first erase or refused after it, never lost. */
  GMutex cancel_lock;
  gboolean past_point_of_no_return;
};

G_DEFINE_FINAL_TYPE (RfFlashJob, rf_flash_job, RF_TYPE_JOB)

/* States a flash may start from: a working drive, one whose bootcode waits
 * for firmware, and either of them with a stored ID that is another model's
 * (the seed; and the seed once recovered). */
#define FLASHABLE_STATES (RF_JOB_STATE_BIT (RF_DRIVE_STATE_READY) | \
                          RF_JOB_STATE_BIT (RF_DRIVE_STATE_SAFE_MODE) | \
                          RF_JOB_STATE_BIT (RF_DRIVE_STATE_IDENTITY_MISMATCH))

static void
rf_flash_job_finalize (GObject *object)
{
  RfFlashJob *self = RF_FLASH_JOB (object);

  g_clear_object (&self->check);
  g_clear_object (&self->store);
  g_clear_object (&self->verdict);
  g_clear_pointer (&self->backup, rf_backup_free);
  g_clear_pointer (&self->family, rf_drive_family_unref);
  g_clear_pointer (&self->before, rf_drive_identity_free);
  g_clear_pointer (&self->after, rf_drive_identity_free);
  g_clear_pointer (&self->image, g_bytes_unref);
  if (self->protocol_state != NULL)
    self->protocol->state_free (self->protocol_state);
  g_clear_object (&self->inhibitor);
  g_clear_error (&self->inhibit_refusal);
  g_clear_object (&self->journal_store);
  g_clear_object (&self->journal);
  g_clear_error (&self->journal_problem);
  g_mutex_clear (&self->cancel_lock);

  G_OBJECT_CLASS (rf_flash_job_parent_class)->finalize (object);
}

/* ---- sending ---- */

static RfTransport *
gate_transport (RfFlashJob *self)
{
  return RF_TRANSPORT (rf_job_get_gate (RF_JOB (self)));
}

static gboolean
open_gate (RfFlashJob  *self,
           RfPhase      phase,
           GError     **error)
{
  if (rf_command_gate_set_stage (rf_job_get_gate (RF_JOB (self)), RF_GATE_STAGE_FLASH,
                                 self->family, phase, self->before->bootcode_key))
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "the command gate refused the %s phase",
               rf_phase_to_nick (phase));
  return FALSE;
}

/* A phase starts for the person watching and for the gate at once. */
static gboolean
set_phase (RfFlashJob  *self,
           RfPhase      phase,
           guint64      total_bytes,
           GError     **error)
{
  rf_progress_begin_phase (rf_job_get_progress (RF_JOB (self)), phase, total_bytes);
  return open_gate (self, phase, error);
}

/* Sends one command built by @built_ok and requires GOOD. @what names it for
 * the developer context of an error. */
static gboolean
send (RfFlashJob    *self,
      gboolean       built_ok,
      RfCommand     *command,
      guint64        expected_us,
      GCancellable  *cancellable,
      const char    *what,
      GError       **error)
{
  RfProgress *progress = rf_job_get_progress (RF_JOB (self));
  gboolean sent;

  if (!built_ok)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "%s could not be built", what);
      return FALSE;
    }
  rf_progress_command_started (progress, expected_us);
  sent = rf_transport_execute (gate_transport (self), command, cancellable, error);
  rf_progress_command_finished (progress);
  if (sent && rf_command_check (command, error))
    return TRUE;
  g_prefix_error (error, "%s: ", what);
  return FALSE;
}

/* The family's expected time for a phase, spread over its commands: what a
 * silence is measured against. */
static guint64
expected_per_command_us (RfFlashJob *self,
                         RfPhase     phase,
                         guint       n_commands)
{
  const char *nick = rf_phase_to_nick (phase);
  guint seconds = rf_drive_family_get_expected_seconds (self->family, nick);

  return (guint64) MAX (seconds, 1u) * G_USEC_PER_SEC / MAX (n_commands, 1u);
}

/* ---- preflight ---- */

/**
 * rf_flash_confirmations_for_verdict:
 *
 * The extra confirmations of DOMAIN.md that writing an image with @verdict
 * needs, beyond the general yes: going back to an older version, versions
 * whose order cannot be known, an image that names no bootcode version, a
 * family never tested on hardware. The job, reflash-cli and the wizard ask
 * the same ones.
 *
 * Returns: a set of #RfFlashConfirmations
 */
RfFlashConfirmations
rf_flash_confirmations_for_verdict (RfVerdict *verdict)
{
  RfVerdictWarnings warnings;
  RfFlashConfirmations needed = RF_FLASH_CONFIRM_NONE;

  g_return_val_if_fail (verdict != NULL, RF_FLASH_CONFIRM_NONE);

  warnings = rf_verdict_get_warnings (verdict);
  /* Two versions without an order are "treated like a downgrade": one
   * question, about the order, not a second one about going back. */
  if (rf_verdict_get_kind (verdict) == RF_VERDICT_KIND_DOWNGRADE &&
      (warnings & RF_VERDICT_WARNING_UNKNOWN_ORDER) == 0)
    needed |= RF_FLASH_CONFIRM_DOWNGRADE;
  if (warnings & RF_VERDICT_WARNING_UNKNOWN_ORDER)
    needed |= RF_FLASH_CONFIRM_UNKNOWN_ORDER;
  if (warnings & RF_VERDICT_WARNING_NO_BOOTCODE_VERSION)
    needed |= RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION;
  if (warnings & RF_VERDICT_WARNING_SPEC_ONLY)
    needed |= RF_FLASH_CONFIRM_UNTESTED;
  return needed;
}

static gboolean
needs (RfFlashJob            *self,
       RfFlashConfirmations   confirmation)
{
  if ((self->confirmations & confirmation) == 0)
    self->missing |= confirmation;
  return (self->confirmations & confirmation) != 0;
}

static gboolean
require_confirmations (RfFlashJob  *self,
                       GError     **error)
{
  RfFlashConfirmations extra = rf_flash_confirmations_for_verdict (self->verdict);
  g_autoptr(GString) names = g_string_new (NULL);

  for (guint bit = 1; bit <= RF_FLASH_CONFIRM_NO_BACKUP; bit <<= 1)
    if (extra & bit)
      needs (self, bit);
  if (self->missing == RF_FLASH_CONFIRM_NONE)
    return TRUE;
  for (guint bit = 1; bit <= RF_FLASH_CONFIRM_NO_BACKUP; bit <<= 1)
    if (self->missing & bit)
      g_string_append_printf (names, "%s%s", names->len > 0 ? ", " : "",
                              rf_flash_confirmation_to_nick (bit));
  g_set_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION, "not confirmed: %s", names->str);
  return FALSE;
}

/* The verdict, from the drive as the job's own deep look found it. */
static gboolean
judge_image (RfFlashJob  *self,
             GError     **error)
{
  RfDevice *device = rf_job_get_device (RF_JOB (self));
  RfFirmware *judged;

  rf_firmware_check_judge (self->check, self->family, self->before,
                           rf_device_get_state (device), RF_PROBE_DEPTH_DEEP);
  g_set_object (&self->verdict, rf_firmware_check_get_verdict (self->check));
  judged = rf_firmware_check_get_judged (self->check);
  if (self->verdict == NULL || !rf_verdict_is_allowed (self->verdict) || judged == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED, "verdict %s",
                   self->verdict != NULL ? rf_verdict_get_code (self->verdict) : "(none)");
      return FALSE;
    }
  self->image = g_bytes_ref (rf_firmware_get_image (judged));
  return self->protocol->check_image (self, error) && require_confirmations (self, error);
}

/* Issue 16 "Power": on battery only with the person's word; nearly empty,
 * never. Checked before anything is sent to the drive. */
static gboolean
check_power (RfFlashJob  *self,
             GError     **error)
{
  RfPowerStatus power;

  rf_power_read (NULL, &power);
  if (power.source == RF_POWER_BATTERY_LOW)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_LOW_BATTERY, "on battery at %d %%", power.capacity);
      return FALSE;
    }
  if (power.source != RF_POWER_BATTERY || needs (self, RF_FLASH_CONFIRM_ON_BATTERY))
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION, "not confirmed: on-battery (%d %%)",
               power.capacity);
  return FALSE;
}

/* ARCHITECTURE.md "Threads": logind holds off sleep, shutdown and the lid for
 * the whole job. A refusal does not stop the flash; it is kept for the front
 * end to say before the point of no return. */
static void
inhibit_suspend (RfFlashJob   *self,
                 GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  self->inhibitor = rf_inhibitor_acquire (NULL, cancellable, &error);
  if (self->inhibitor != NULL)
    return;
  g_debug ("no logind inhibitor: %s", error->message);
  g_mutex_lock (&self->cancel_lock);
  self->inhibit_refusal = g_steal_pointer (&error);
  g_mutex_unlock (&self->cancel_lock);
}

/* ---- the journal ---- */

/* Issue 17: a disk that cannot take the journal stops the flash before the
 * drive is sent anything. A resumed run has its journal already. */
static gboolean
check_journal_room (RfFlashJob  *self,
                    GError     **error)
{
  GBytes *file = rf_firmware_check_get_bytes (self->check);
  gsize room = MAX (RF_NEC_IMAGE_SIZE_VERSIONED, file != NULL ? g_bytes_get_size (file) : 0);

  if (self->resuming)
    return TRUE;
  if (rf_journal_store_check_room (self->journal_store, room, error))
    return TRUE;
  g_prefix_error (error, "no room for the flash's journal: ");
  return FALSE;
}

static void
keep_journal_problem (RfFlashJob   *self,
                      const GError *problem)
{
  g_message ("%s", problem->message);
  g_mutex_lock (&self->cancel_lock);
  if (self->journal_problem == NULL)
    self->journal_problem = g_error_copy (problem);
  g_mutex_unlock (&self->cancel_lock);
}

/* nec-2m.md §3: the drive under the lock must be the journal's. A run that
 * stopped before the point of no return, on a drive back in normal mode with the revision
 * it had, changed nothing: the journal is closed and nothing is written. */
static gboolean
check_resumed_drive (RfFlashJob  *self,
                     GError     **error)
{
  g_autoptr(GError) close_error = NULL;

  if (!rf_journal_check_identity (self->journal, self->before, error) ||
      (self->protocol->check_resumed != NULL &&
       !self->protocol->check_resumed (self, self->journal, error)))
    return FALSE;
  if (!rf_journal_drive_is_unchanged (self->journal, self->before))
    return TRUE;
  self->found_unchanged = TRUE;
  g_message ("journal %s: the flash stopped before the erase and the drive is unchanged",
             rf_journal_get_id (self->journal));
  if (!rf_journal_close (self->journal, &close_error))
    keep_journal_problem (self, close_error);
  return TRUE;
}

/* Before the first command that changes anything. Failing here stops the
 * flash: the drive was only looked at. */
static gboolean
begin_journal (RfFlashJob  *self,
               GError     **error)
{
  RfFirmware *judged = rf_firmware_check_get_judged (self->check);
  const char *path = rf_firmware_check_get_path (self->check);
  g_autofree char *name = path != NULL ? g_path_get_basename (path) : NULL;

  if (self->resuming)
    return TRUE;
  self->journal = rf_journal_store_begin (self->journal_store, rf_job_get_device (RF_JOB (self)),
                                          self->before, rf_verdict_get_code (self->verdict),
                                          name, rf_firmware_get_revision (judged), self->image,
                                          error);
  if (self->journal == NULL)
    g_prefix_error (error, "the flash's journal could not be written: ");
  return self->journal != NULL;
}

/* After the journal was written, a failed update must not stop the flash:
 * stopping would be worse. The front end says it. */
static void
update_journal (RfFlashJob     *self,
                RfJournalPhase  phase)
{
  g_autoptr(GError) error = NULL;

  if (!rf_journal_set_phase (self->journal, phase, &error))
    keep_journal_problem (self, error);
}

static void
close_journal (RfFlashJob *self)
{
  g_autoptr(GError) error = NULL;

  if (!rf_journal_close (self->journal, &error))
    keep_journal_problem (self, error);
}

/* Older journals of the same drive (a run killed, then flashed again with
 * `flash` instead of `resume`) are done with too once a flash of it was
 * verified: the drive holds proven firmware now. */
static void
close_older_journals (RfFlashJob *self)
{
  RfDevice *device = rf_job_get_device (RF_JOB (self));
  g_autoptr(GPtrArray) journals = rf_journal_store_list (self->journal_store, NULL);

  for (guint i = 0; journals != NULL && i < journals->len; i++)
    {
      RfJournal *journal = journals->pdata[i];
      g_autoptr(GError) error = NULL;

      if (rf_journal_match_listed (journal, device) != RF_JOURNAL_MATCH_SAME_PORT ||
          !rf_journal_check_identity (journal, self->before, NULL))
        continue;
      g_message ("journal %s: closed, its drive was flashed and verified since",
                 rf_journal_get_id (journal));
      if (!rf_journal_close (journal, &error))
        keep_journal_problem (self, error);
    }
}

/* A stop before the point of no return left the flash untouched: the journal goes, unless
 * it is one of a run that got further, whose drive still needs the image. */
static void
close_journal_untouched (RfFlashJob *self)
{
  if (self->journal != NULL && rf_journal_get_phase (self->journal) == RF_JOURNAL_PHASE_STARTED)
    close_journal (self);
}

static gboolean
preflight (RfFlashJob    *self,
           GCancellable  *cancellable,
           GError       **error)
{
  RfJob *job = RF_JOB (self);
  RfDevice *device = rf_job_get_device (job);
  g_autoptr(RfDriveIdentity) listed = NULL;

  rf_progress_begin_phase (rf_job_get_progress (job), RF_PHASE_PREFLIGHT, 0);
  if (!check_power (self, error) ||
      (self->protocol->check_connection != NULL && !self->protocol->check_connection (self, error)) ||
      !check_journal_room (self, error) ||
      !rf_job_look (job, RF_PROBE_DEPTH_PASSIVE, FLASHABLE_STATES, cancellable, error))
    return FALSE;
  /* nec-2m.md §8 step 3: in safe mode only the person can say the tray is
   * empty; asked before any command of the family is sent. */
  listed = rf_device_dup_identity (device);
  if (listed->safe_mode && !needs (self, RF_FLASH_CONFIRM_TRAY_EMPTY))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION,
                           "not confirmed: tray-empty (the drive is in safe mode)");
      return FALSE;
    }
  if (!rf_job_look (job, RF_PROBE_DEPTH_DEEP, FLASHABLE_STATES, cancellable, error))
    return FALSE;
  self->family = rf_device_dup_family (device);
  self->before = rf_device_dup_identity (device);
  /* The protocol was chosen from the drive as listed; the drive under the
   * lock must still speak it. */
  if (self->family == NULL || !g_str_equal (self->family->protocol, self->protocol->name))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "the drive's family %s does not speak %s",
                   self->family != NULL ? self->family->id : "(unknown)", self->protocol->name);
      return FALSE;
    }
  self->found_in_normal_mode = !self->before->safe_mode;
  if (self->resuming && !check_resumed_drive (self, error))
    return FALSE;
  if (self->found_unchanged)
    return TRUE;
  if ((self->protocol->plan != NULL && !self->protocol->plan (self, cancellable, error)) ||
      !judge_image (self, error))
    return FALSE;
  inhibit_suspend (self, cancellable);
  return TRUE;
}

/* ---- backup ---- */

static gboolean
back_up (RfFlashJob    *self,
         GCancellable  *cancellable,
         GError       **error)
{
  RfJob *job = RF_JOB (self);

  /* A drive in safe mode has no firmware to back up (DOMAIN.md "Recovery"). */
  if (!self->found_in_normal_mode ||
      (self->confirmations & RF_FLASH_CONFIRM_NO_BACKUP) != 0)
    {
      if (self->found_in_normal_mode)
        g_message ("flash without a backup, as confirmed");
      return set_phase (self, RF_PHASE_BACKUP, 0, error);
    }
  /* The backup step starts the phase's progress itself. */
  if (!open_gate (self, RF_PHASE_BACKUP, error))
    return FALSE;
  self->backup = rf_backup_take_held (job, self->store, self->family, self->before, cancellable,
                                      &self->backup_reused, error);
  if (self->backup == NULL)
    g_prefix_error (error, "backup before the flash: ");
  return self->backup != NULL;
}

/* ---- before the point of no return ---- */

/* The last moment a cancel is honoured. From here on the job must finish. */
static gboolean
pass_point_of_no_return (RfFlashJob    *self,
                         GCancellable  *cancellable,
                         GError       **error)
{
  gboolean cancelled;

  g_mutex_lock (&self->cancel_lock);
  cancelled = g_cancellable_is_cancelled (cancellable);
  self->past_point_of_no_return = !cancelled;
  g_mutex_unlock (&self->cancel_lock);
  if (cancelled)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCELLED, "cancelled before anything was written");
      return FALSE;
    }
  rf_must_finish_begin ("the drive's firmware is being written");
  rf_progress_set_point_of_no_return (rf_job_get_progress (RF_JOB (self)));
  update_journal (self, RF_JOURNAL_PHASE_ERASING);
  return TRUE;
}

/**
 * rf_flash_check_identity_after:
 * @before: the drive as the job's look before the flash found it
 * @after: the drive as the look after the read-back found it
 * @revision: (nullable): the image's revision; %NULL for an image without
 *   display strings, verified by its read-back alone
 *
 * nec-2m.md §3 step 9: normal mode, the image's revision, and the identity in
 * flash untouched. A run where every command was GOOD and the old revision
 * shows is a silent flash.
 *
 * Returns: %FALSE with %RF_ERROR_VERIFY_FAILED when the drive is not as a
 *   good flash leaves it
 */
gboolean
rf_flash_check_identity_after (const RfDriveIdentity  *before,
                               const RfDriveIdentity  *after,
                               const char             *revision,
                               GError                **error)
{
  const char *problem = NULL;

  if (after->safe_mode)
    problem = "the drive is still in safe mode";
  else if (revision != NULL && g_strcmp0 (after->revision, revision) != 0)
    problem = "the drive does not report the image's revision";
  else if (g_strcmp0 (after->stored_id, before->stored_id) != 0)
    problem = "the stored ID changed";
  else if (g_strcmp0 (after->bootcode_version, before->bootcode_version) != 0)
    problem = "the bootcode version changed";
  if (problem == NULL)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_VERIFY_FAILED, "%s (revision %s, image %s)", problem,
               after->revision != NULL ? after->revision : "?",
               revision != NULL ? revision : "none");
  return FALSE;
}

/* ---- past the point of no return: no cancellable, no way back ---- */

/* After any failure past the point of no return: no further write command;
 * the gate narrows to polls and identification, and the protocol finds out
 * what the drive runs now. An outcome it proves good is a success. */
static gboolean
end_after_failure (RfFlashJob  *self,
                   GError     **error)
{
  RfFlashOutcome outcome;

  if (!rf_command_gate_set_stage (rf_job_get_gate (RF_JOB (self)), RF_GATE_STAGE_AFTER_FAILURE,
                                  self->family, RF_PHASE_VERIFY, NULL))
    g_warning ("the command gate would not narrow after a failed flash");
  g_message ("flash failed past the point of no return: %s", (*error)->message);
  outcome = self->protocol->after_failure (self, error);
  if (self->after == NULL)
    self->after = rf_device_dup_identity (rf_job_get_device (RF_JOB (self)));
  switch (outcome)
    {
    case RF_FLASH_OUTCOME_DONE:
      g_clear_error (error);
      return TRUE;
    case RF_FLASH_OUTCOME_NOT_APPLIED:
      /* The drive runs what it ran: nothing is left to resume. */
      self->not_applied = TRUE;
      close_journal (self);
      return FALSE;
    case RF_FLASH_OUTCOME_NEEDS_RECOVERY:
    default:
      self->needs_recovery = TRUE;
      return FALSE;
    }
}

static gboolean
write_and_prove (RfFlashJob  *self,
                 GError     **error)
{
  const RfFlashProtocol *protocol = self->protocol;
  gboolean ok = protocol->write (self, error) &&
                (update_journal (self, RF_JOURNAL_PHASE_PROGRAMMED), TRUE) &&
                protocol->restart (self, error) &&
                protocol->verify (self, error);

  if (!ok)
    ok = end_after_failure (self, error);
  /* nec-2m.md §3 step 9: the journal closes only after success. */
  if (ok)
    {
      close_journal (self);
      close_older_journals (self);
    }
  rf_must_finish_end ();
  return ok;
}

static gboolean
rf_flash_job_run (RfJob         *job,
                  GCancellable  *cancellable,
                  GError       **error)
{
  RfFlashJob *self = RF_FLASH_JOB (job);

  if (!preflight (self, cancellable, error))
    return FALSE;
  if (self->found_unchanged)
    return TRUE;
  if (!back_up (self, cancellable, error) || !rf_job_check_cancelled (job, cancellable, error) ||
      !begin_journal (self, error))
    return FALSE;
  if (!self->protocol->prepare (self, cancellable, error) ||
      !pass_point_of_no_return (self, cancellable, error))
    {
      if (self->protocol->give_back != NULL)
        self->protocol->give_back (self);
      close_journal_untouched (self);
      return FALSE;
    }
  return write_and_prove (self, error);
}

static void
rf_flash_job_class_init (RfFlashJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfJobClass *job_class = RF_JOB_CLASS (klass);

  object_class->finalize = rf_flash_job_finalize;
  job_class->run = rf_flash_job_run;
}

static void
rf_flash_job_init (RfFlashJob *self)
{
  g_mutex_init (&self->cancel_lock);
}

/* The family of the drive as listed says which protocol flashes it; the job
 * checks under the lock that the drive still speaks it. A drive whose family
 * is unknown gets the NEC engine, whose first look then refuses it. */
static const RfFlashProtocol *
protocol_for_device (RfDevice *device)
{
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);

  if (family != NULL && g_str_equal (family->protocol, rf_flash_spc_protocol.name))
    return &rf_flash_spc_protocol;
  return &rf_flash_nec_protocol;
}

/**
 * rf_flash_job_new:
 * @device: the drive, as listed
 * @check: the image the person chose; judged again against the drive once the
 *   job holds it
 * @store: where the backup before the flash is kept
 *
 * Returns: (transfer full): a job that flashes @check's image to @device
 */
RfFlashJob *
rf_flash_job_new (RfDevice        *device,
                  RfDriveDb       *db,
                  RfFirmwareCheck *check,
                  RfBackupStore   *store)
{
  RfFlashJob *self;

  g_return_val_if_fail (RF_IS_DEVICE (device), NULL);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (check), NULL);
  g_return_val_if_fail (RF_IS_BACKUP_STORE (store), NULL);

  self = g_object_new (RF_TYPE_FLASH_JOB, "device", device, "db", db, NULL);
  self->check = g_object_ref (check);
  self->store = g_object_ref (store);
  self->journal_store = rf_journal_store_new (NULL);
  self->protocol = protocol_for_device (device);
  self->protocol_state = self->protocol->state_new ();
  rf_job_set_phases (RF_JOB (self), self->protocol->phases, self->protocol->n_phases);
  return self;
}

/**
 * rf_flash_job_set_journal_store:
 *
 * Where the job keeps its journal; by default the invoking user's state folder.
 * Set before the job runs.
 */
void
rf_flash_job_set_journal_store (RfFlashJob     *self,
                                RfJournalStore *store)
{
  g_return_if_fail (RF_IS_FLASH_JOB (self));
  g_return_if_fail (RF_IS_JOURNAL_STORE (store));
  g_set_object (&self->journal_store, store);
}

/**
 * rf_flash_job_set_resume:
 * @journal: the open journal of an interrupted flash of this drive
 *
 * Makes the job a resumed run (nec-2m.md §3): a complete new flash with the
 * image the check was made from (the journal's copy), into @journal instead of
 * a new one. Under the lock the drive must match the journal's stored ID,
 * bootcode key and version (%RF_ERROR_OTHER_DRIVE otherwise); a drive that the
 * stopped run left unchanged is not written at all
 * (rf_flash_job_get_found_unchanged()). Set before the job runs.
 */
void
rf_flash_job_set_resume (RfFlashJob *self,
                         RfJournal  *journal)
{
  g_return_if_fail (RF_IS_FLASH_JOB (self));
  g_return_if_fail (RF_IS_JOURNAL (journal));
  g_set_object (&self->journal, journal);
  self->resuming = TRUE;
}

/**
 * rf_flash_job_set_confirmations:
 *
 * What the person confirmed; set before the job runs.
 */
void
rf_flash_job_set_confirmations (RfFlashJob           *self,
                                RfFlashConfirmations  confirmations)
{
  g_return_if_fail (RF_IS_FLASH_JOB (self));
  self->confirmations = confirmations;
}

/**
 * rf_flash_job_cancel:
 * @cancellable: the one the job runs with
 *
 * Cancels the job, unless it passed the point of no return.
 *
 * Returns: %FALSE with %RF_ERROR_CANCEL_REFUSED once the first erase was sent
 */
gboolean
rf_flash_job_cancel (RfFlashJob    *self,
                     GCancellable  *cancellable,
                     GError       **error)
{
  gboolean refused;

  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);
  g_return_val_if_fail (G_IS_CANCELLABLE (cancellable), FALSE);

  g_mutex_lock (&self->cancel_lock);
  refused = self->past_point_of_no_return;
  if (!refused)
    g_cancellable_cancel (cancellable);
  g_mutex_unlock (&self->cancel_lock);
  if (refused)
    g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCEL_REFUSED,
                         "the flash passed the point of no return");
  return !refused;
}

/**
 * rf_flash_job_dup_inhibit_refusal:
 *
 * Safe to call while the job runs: set during its preflight, before anything
 * is written.
 *
 * Returns: (transfer full) (nullable): why logind would not hold off suspend
 *   for this flash (%RF_ERROR_INHIBIT_REFUSED); the person must then be told
 *   not to suspend the computer or close its lid
 */
GError *
rf_flash_job_dup_inhibit_refusal (RfFlashJob *self)
{
  GError *refusal;

  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);

  g_mutex_lock (&self->cancel_lock);
  refusal = self->inhibit_refusal != NULL ? g_error_copy (self->inhibit_refusal) : NULL;
  g_mutex_unlock (&self->cancel_lock);
  return refusal;
}

/**
 * rf_flash_job_get_missing:
 *
 * Returns: the confirmations the job stopped for (with
 *   %RF_ERROR_NEEDS_CONFIRMATION), so a front end can ask for them
 */
RfFlashConfirmations
rf_flash_job_get_missing (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), RF_FLASH_CONFIRM_NONE);
  return self->missing;
}

/**
 * rf_flash_job_get_verdict:
 *
 * Returns: (transfer none) (nullable): the verdict the job judged the image by,
 *   from its own look at the drive
 */
RfVerdict *
rf_flash_job_get_verdict (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);
  return self->verdict;
}

/**
 * rf_flash_job_get_backup:
 *
 * Returns: (nullable): the backup taken (or reused) before the flash
 */
const RfBackup *
rf_flash_job_get_backup (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);
  return self->backup;
}

gboolean
rf_flash_job_get_backup_reused (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);
  return self->backup_reused;
}

gboolean
rf_flash_job_get_past_point_of_no_return (RfFlashJob *self)
{
  gboolean past;

  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);

  g_mutex_lock (&self->cancel_lock);
  past = self->past_point_of_no_return;
  g_mutex_unlock (&self->cancel_lock);
  return past;
}

/**
 * rf_flash_job_get_needs_recovery:
 *
 * Returns: whether the job failed past the point of no return: the drive
 *   needs a recovery flash
 */
gboolean
rf_flash_job_get_needs_recovery (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);
  return self->needs_recovery;
}

/**
 * rf_flash_job_dup_identity_after:
 *
 * Returns: (transfer full) (nullable): the drive as the last identification
 *   found it, after the flash or its failure
 */
RfDriveIdentity *
rf_flash_job_dup_identity_after (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);
  return self->after != NULL ? rf_drive_identity_copy (self->after) : NULL;
}

const char *
rf_flash_confirmation_to_nick (RfFlashConfirmations confirmation)
{
  switch (confirmation)
    {
    case RF_FLASH_CONFIRM_DOWNGRADE:
      return "downgrade";
    case RF_FLASH_CONFIRM_UNKNOWN_ORDER:
      return "unknown-order";
    case RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION:
      return "no-bootcode-version";
    case RF_FLASH_CONFIRM_UNTESTED:
      return "untested";
    case RF_FLASH_CONFIRM_TRAY_EMPTY:
      return "tray-empty";
    case RF_FLASH_CONFIRM_ON_BATTERY:
      return "on-battery";
    case RF_FLASH_CONFIRM_NO_BACKUP:
      return "no-backup";
    case RF_FLASH_CONFIRM_NONE:
    default:
      return NULL;
    }
}

/**
 * rf_flash_job_get_journal:
 *
 * Returns: (transfer none) (nullable): the job's journal: closed after a
 *   success, open on the recovery path
 */
RfJournal *
rf_flash_job_get_journal (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);
  return self->journal;
}

/**
 * rf_flash_job_get_found_unchanged:
 *
 * Returns: %TRUE when a resumed run found the drive as the stopped run had
 *   found it, closed the journal and wrote nothing
 */
gboolean
rf_flash_job_get_found_unchanged (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);
  return self->found_unchanged;
}

/**
 * rf_flash_job_dup_journal_problem:
 *
 * Safe to call while the job runs.
 *
 * Returns: (transfer full) (nullable): why the journal could not be updated
 *   or closed after it was written; the flash went on, and the person must be
 *   told that the journal may not say where it stopped
 */
GError *
rf_flash_job_dup_journal_problem (RfFlashJob *self)
{
  GError *problem;

  g_return_val_if_fail (RF_IS_FLASH_JOB (self), NULL);

  g_mutex_lock (&self->cancel_lock);
  problem = self->journal_problem != NULL ? g_error_copy (self->journal_problem) : NULL;
  g_mutex_unlock (&self->cancel_lock);
  return problem;
}

/**
 * rf_flash_job_get_not_applied:
 *
 * Returns: %TRUE when the flash failed past the point of no return and the
 *   drive was found running what it ran before: nothing changed on it (an
 *   image it refused at the end, or a silent flash)
 */
gboolean
rf_flash_job_get_not_applied (RfFlashJob *self)
{
  g_return_val_if_fail (RF_IS_FLASH_JOB (self), FALSE);
  return self->not_applied;
}

/* ---- the engine's services, for the protocols (rf-flash-protocol.h) ---- */

gpointer
rf_flash_job_get_state (RfFlashJob *self)
{
  return self->protocol_state;
}

RfFirmwareCheck *
rf_flash_job_get_check (RfFlashJob *self)
{
  return self->check;
}

const RfDriveFamily *
rf_flash_job_get_family (RfFlashJob *self)
{
  return self->family;
}

const RfDriveIdentity *
rf_flash_job_get_before (RfFlashJob *self)
{
  return self->before;
}

/* The drive as the last look after the point of no return found it. */
const RfDriveIdentity *
rf_flash_job_get_after (RfFlashJob *self)
{
  return self->after;
}

GBytes *
rf_flash_job_get_image (RfFlashJob *self)
{
  return self->image;
}

/* The image's own revision; %NULL for an image that names none. */
const char *
rf_flash_job_get_image_revision (RfFlashJob *self)
{
  return rf_firmware_get_revision (rf_firmware_check_get_judged (self->check));
}

gboolean
rf_flash_job_get_found_in_normal_mode (RfFlashJob *self)
{
  return self->found_in_normal_mode;
}

/* Every command of a protocol goes through the job's gate. */
RfTransport *
rf_flash_job_get_transport (RfFlashJob *self)
{
  return gate_transport (self);
}

RfClock *
rf_flash_job_get_clock (RfFlashJob *self)
{
  return rf_device_get_clock (rf_job_get_device (RF_JOB (self)));
}

gboolean
rf_flash_job_begin_phase (RfFlashJob  *self,
                          RfPhase      phase,
                          guint64      total,
                          GError     **error)
{
  return set_phase (self, phase, total, error);
}

void
rf_flash_job_set_done (RfFlashJob *self,
                       guint64     done)
{
  rf_progress_set_done (rf_job_get_progress (RF_JOB (self)), done);
}

guint64
rf_flash_job_expected_per_command_us (RfFlashJob *self,
                                      RfPhase     phase,
                                      guint       n_commands)
{
  return expected_per_command_us (self, phase, n_commands);
}

gboolean
rf_flash_job_send (RfFlashJob    *self,
                   gboolean       built_ok,
                   RfCommand     *command,
                   guint64        expected_us,
                   GCancellable  *cancellable,
                   const char    *what,
                   GError       **error)
{
  return send (self, built_ok, command, expected_us, cancellable, what, error);
}

/* A deep look at the drive as it is now, kept as the identity after. Within
 * the gate's stage: after a failure, identification and polls only. */
gboolean
rf_flash_job_identify_again (RfFlashJob  *self,
                             GError     **error)
{
  RfJob *job = RF_JOB (self);
  gboolean ok = rf_job_look (job, RF_PROBE_DEPTH_DEEP, FLASHABLE_STATES, NULL, error);

  g_clear_pointer (&self->after, rf_drive_identity_free);
  self->after = rf_device_dup_identity (rf_job_get_device (job));
  return ok;
}

void
rf_flash_job_journal_reached (RfFlashJob     *self,
                              RfJournalPhase  phase)
{
  update_journal (self, phase);
}
