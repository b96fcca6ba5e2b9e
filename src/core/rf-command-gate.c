/* rf-command-gate.c: a decorator transport that refuses, before any transport
 * sees it, every command its stage does not allow (ARCHITECTURE.md
 * "Privileges": the kernel filters nothing on a read-write sg node, so this is
 * the gate that counts)
 *
 * The field rules are in rf-allow-list.c. What needs memory lives here: each
 * SAFE MODE key is tried once per stage (nec-2m.md §2), an enter answered with
 * UNIT ATTENTION is sent again only after a new TEST UNIT READY, and a leave
 * only follows an enter sent to a drive found in normal mode (a drive found in
 * safe mode is left there, nec-2m.md §2 and §3).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-command-gate.h"
#include "rf-error.h"

typedef enum {
  MODE_UNKNOWN,
  MODE_NORMAL,
  MODE_SAFE,
} DriveMode;

struct _RfCommandGate
{
  RfTransport parent_instance;

  RfTransport *inner;
  GMutex lock;

  RfAllowList list;        /* list.family and list.key are owned below */
  RfDriveFamily *family;
  char *key;
  gboolean failed;         /* latched: after-failure for good */
  guint n_refused;

  DriveMode mode;          /* from the last INQUIRY that passed */
  GHashTable *tries;       /* key -> counted SAFE MODE enters in this stage */
  char ua_key[5];          /* an enter answered with UNIT ATTENTION */
  gboolean polled_since_ua;
  guint ua_retries;
  char leave_key[5];       /* the key a leave may use; "" when none */
};

G_DEFINE_FINAL_TYPE (RfCommandGate, rf_command_gate, RF_TYPE_TRANSPORT)

static void
key_from_cdb (const RfCommand *command,
              char             key[5])
{
  memcpy (key, command->cdb + 4, 4);
  key[4] = '\0';
}

/* An enter answered with UNIT ATTENTION was not run: it may go again, but only
 * after a TEST UNIT READY (the no-disc check runs again), so never in a burst. */
static gboolean
check_enter (RfCommandGate  *self,
             const char     *key,
             char          **reason)
{
  if (g_str_equal (self->ua_key, key))
    {
      if (!self->polled_since_ua)
        *reason = g_strdup_printf ("SAFE MODE enter with %s was answered with UNIT ATTENTION; "
                                   "a new no-disc check must come first", key);
      else if (self->ua_retries > RF_GATE_UNIT_ATTENTION_RETRIES)
        *reason = g_strdup_printf ("SAFE MODE enter with %s met %u UNIT ATTENTIONs", key,
                                   self->ua_retries);
      return *reason == NULL;
    }
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->tries, key)) == 0)
    return TRUE;
  *reason = g_strdup_printf ("SAFE MODE enter with %s was already tried at this stage", key);
  return FALSE;
}

/* The stateful rules, checked under the lock before the command is sent. */
static gboolean
check_sequence (RfCommandGate    *self,
                const RfCommand  *command,
                RfAllowedKind     kind,
                char            **reason)
{
  char key[5];

  if (kind == RF_ALLOWED_PLAIN)
    return TRUE;
  key_from_cdb (command, key);
  if (kind == RF_ALLOWED_SAFE_MODE_ENTER)
    return check_enter (self, key, reason);
  /* A flash always restarts its drive with the bootcode's key (checked by
   * the allow-list); any other leave gives back a drive found in normal mode. */
  if (self->list.stage == RF_GATE_STAGE_FLASH && self->list.phase == RF_PHASE_RESTART)
    return TRUE;
  if (g_str_equal (self->leave_key, key))
    return TRUE;
  *reason = g_strdup_printf ("SAFE MODE leave with %s without an enter with that key on a drive "
                             "found in normal mode", key);
  return FALSE;
}

static DriveMode
mode_from_inquiry (RfCommandGate   *self,
                   const RfCommand *command)
{
  const guint8 *revision = command->data + 32;

  if (command->status != RF_STATUS_GOOD || command->data == NULL ||
      command->data_length - MIN (command->residual, command->data_length) < 36)
    return self->mode;
  if (self->list.family != NULL && self->list.family->boot_revision != NULL)
    return rf_drive_family_is_boot_revision (self->list.family, revision) ? MODE_SAFE
                                                                          : MODE_NORMAL;
  return revision[0] == '0' && revision[1] == '.' ? MODE_SAFE : MODE_NORMAL;
}

static gboolean
is_unit_attention (const RfCommand *command)
{
  RfSense sense;

  return command->status == RF_STATUS_CHECK_CONDITION && rf_command_get_sense (command, &sense) &&
         sense.key == RF_SENSE_KEY_UNIT_ATTENTION;
}

static void
note_enter (RfCommandGate   *self,
            const RfCommand *command,
            gboolean         answered)
{
  char key[5];
  guint tries;

  key_from_cdb (command, key);
  /* Whatever the answer, an enter sent to a drive in normal mode may have
   * switched it: the leave with that key becomes allowed. */
  if (self->mode == MODE_NORMAL)
    g_strlcpy (self->leave_key, key, sizeof self->leave_key);
  if (answered && is_unit_attention (command))
    {
      /* Not run, not a try (nec-2m.md §2). */
      if (!g_str_equal (self->ua_key, key))
        self->ua_retries = 0;
      g_strlcpy (self->ua_key, key, sizeof self->ua_key);
      self->polled_since_ua = FALSE;
      self->ua_retries++;
      return;
    }
  self->ua_key[0] = '\0';
  tries = GPOINTER_TO_UINT (g_hash_table_lookup (self->tries, key));
  g_hash_table_insert (self->tries, g_strdup (key), GUINT_TO_POINTER (tries + 1));
}

/* What the answer teaches the stateful rules. */
static void
observe (RfCommandGate   *self,
         const RfCommand *command,
         RfAllowedKind    kind,
         gboolean         answered)
{
  g_mutex_lock (&self->lock);
  if (kind == RF_ALLOWED_SAFE_MODE_ENTER)
    note_enter (self, command, answered);
  else if (kind == RF_ALLOWED_SAFE_MODE_LEAVE)
    self->leave_key[0] = '\0';
  else if (command->cdb[0] == 0x00)
    self->polled_since_ua = TRUE;
  else if (command->cdb[0] == 0x12 && answered)
    self->mode = mode_from_inquiry (self, command);
  g_mutex_unlock (&self->lock);
}

static gboolean
refuse (RfCommandGate    *self,
        const RfCommand  *command,
        const char       *reason,
        GError          **error)
{
  g_autofree char *stage = rf_allow_list_describe (&self->list);
  g_autofree char *cdb = rf_command_describe_cdb (command);

  self->n_refused++;
  /* A refusal is a mistake in Reflash, never the drive's: it goes to the log
   * whoever listens, with the opcode and the stage. */
  g_message ("command gate (%s): refused %s [%s]: %s", stage,
             rf_command_opcode_name (command->cdb[0]), cdb, reason);
  g_set_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED,
               "command gate (%s): refused %s [%s]: %s", stage,
               rf_command_opcode_name (command->cdb[0]), cdb, reason);
  return FALSE;
}

static gboolean
rf_command_gate_execute (RfTransport  *transport,
                         RfCommand    *command,
                         GCancellable *cancellable,
                         GError      **error)
{
  RfCommandGate *self = RF_COMMAND_GATE (transport);
  g_autofree char *reason = NULL;
  RfAllowedKind kind = RF_ALLOWED_PLAIN;
  gboolean allowed;
  gboolean answered;

  g_mutex_lock (&self->lock);
  allowed = rf_allow_list_check (&self->list, command, &kind, &reason) &&
            check_sequence (self, command, kind, &reason);
  if (!allowed)
    {
      refuse (self, command, reason, error);
      g_mutex_unlock (&self->lock);
      return FALSE;
    }
  g_mutex_unlock (&self->lock);

  answered = rf_transport_execute (self->inner, command, cancellable, error);
  observe (self, command, kind, answered);
  return answered;
}

static gsize
rf_command_gate_get_max_transfer (RfTransport *transport)
{
  return rf_transport_get_max_transfer (RF_COMMAND_GATE (transport)->inner);
}

/* The gate only filters: waits pass on the drive's own clock. */
static RfClock *
rf_command_gate_get_clock (RfTransport *transport)
{
  return rf_transport_get_clock (RF_COMMAND_GATE (transport)->inner);
}

static void
rf_command_gate_dispose (GObject *object)
{
  RfCommandGate *self = RF_COMMAND_GATE (object);

  g_clear_object (&self->inner);
  G_OBJECT_CLASS (rf_command_gate_parent_class)->dispose (object);
}

static void
rf_command_gate_finalize (GObject *object)
{
  RfCommandGate *self = RF_COMMAND_GATE (object);

  g_clear_pointer (&self->family, rf_drive_family_unref);
  g_free (self->key);
  g_hash_table_unref (self->tries);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_command_gate_parent_class)->finalize (object);
}

static void
rf_command_gate_class_init (RfCommandGateClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  object_class->dispose = rf_command_gate_dispose;
  object_class->finalize = rf_command_gate_finalize;
  transport_class->execute = rf_command_gate_execute;
  transport_class->get_max_transfer = rf_command_gate_get_max_transfer;
  transport_class->get_clock = rf_command_gate_get_clock;
}

static void
rf_command_gate_init (RfCommandGate *self)
{
  g_mutex_init (&self->lock);
  self->tries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->list.stage = RF_GATE_STAGE_CLOSED;
}

/**
 * rf_command_gate_new:
 * @inner: the transport that reaches the drive
 *
 * Returns: (transfer full): a gate, closed until a stage is set
 */
RfCommandGate *
rf_command_gate_new (RfTransport *inner)
{
  RfCommandGate *self;

  g_return_val_if_fail (RF_IS_TRANSPORT (inner), NULL);

  self = g_object_new (RF_TYPE_COMMAND_GATE, "name", rf_transport_get_name (inner), NULL);
  self->inner = g_object_ref (inner);
  return self;
}

/**
 * rf_command_gate_stage_is_valid:
 *
 * Whether rf_command_gate_set_stage() takes these arguments: a family from
 * identification on, and for a flash a phase and, for an NEC drive, the
 * bootcode's key. The privileged helper checks a client's stage with it.
 */
gboolean
rf_command_gate_stage_is_valid (RfGateStage    stage,
                                RfDriveFamily *family,
                                RfPhase        phase,
                                const char    *key)
{
  if (stage > RF_GATE_STAGE_AFTER_FAILURE)
    return FALSE;
  if (stage == RF_GATE_STAGE_CLOSED || stage == RF_GATE_STAGE_PASSIVE)
    return TRUE;
  if (family == NULL)
    return FALSE;
  if (stage != RF_GATE_STAGE_FLASH)
    return TRUE;
  return phase < RF_PHASE_LAST &&
         (key != NULL || !g_str_equal (family->protocol, "nec-2m"));
}

/**
 * rf_command_gate_has_failed:
 *
 * Returns: whether the gate was set to %RF_GATE_STAGE_AFTER_FAILURE once, and
 *   so never widens again
 */
gboolean
rf_command_gate_has_failed (RfCommandGate *self)
{
  gboolean failed;

  g_return_val_if_fail (RF_IS_COMMAND_GATE (self), FALSE);

  g_mutex_lock (&self->lock);
  failed = self->failed;
  g_mutex_unlock (&self->lock);
  return failed;
}

/**
 * rf_command_gate_set_stage:
 * @stage: what the job is doing now
 * @family: (nullable): the drive's family; required from identification on
 * @phase: for %RF_GATE_STAGE_FLASH: the phase starting
 * @key: (nullable): for a flash of an NEC drive: the bootcode's key
 *
 * Each call starts a new stage: SAFE MODE keys may be tried again. After
 * %RF_GATE_STAGE_AFTER_FAILURE the gate never widens again: asking for
 * identification, a backup or a flash phase is refused and the gate stays as
 * it is.
 *
 * Returns: %TRUE when the stage was set
 */
gboolean
rf_command_gate_set_stage (RfCommandGate *self,
                           RfGateStage    stage,
                           RfDriveFamily *family,
                           RfPhase        phase,
                           const char    *key)
{
  g_return_val_if_fail (RF_IS_COMMAND_GATE (self), FALSE);
  g_return_val_if_fail (rf_command_gate_stage_is_valid (stage, family, phase, key), FALSE);

  g_mutex_lock (&self->lock);
  if (self->failed && stage != RF_GATE_STAGE_AFTER_FAILURE && stage != RF_GATE_STAGE_PASSIVE &&
      stage != RF_GATE_STAGE_CLOSED)
    {
      g_mutex_unlock (&self->lock);
      g_message ("command gate: stays after-failure; %s was refused",
                 rf_gate_stage_to_nick (stage));
      return FALSE;
    }
  self->failed = self->failed || stage == RF_GATE_STAGE_AFTER_FAILURE;
  if (family != NULL)
    rf_drive_family_ref (family);
  g_clear_pointer (&self->family, rf_drive_family_unref);
  self->family = family;
  g_free (self->key);
  self->key = g_strdup (key);
  self->list = (RfAllowList) { stage, self->family, phase, self->key };
  /* A transport with a gate of its own behind it (the privileged helper's)
   * moves that gate to the same stage. */
  rf_transport_stage_changed (self->inner, &self->list);
  g_hash_table_remove_all (self->tries);
  self->ua_key[0] = '\0';
  self->ua_retries = 0;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

RfGateStage
rf_command_gate_get_stage (RfCommandGate *self)
{
  RfGateStage stage;

  g_return_val_if_fail (RF_IS_COMMAND_GATE (self), RF_GATE_STAGE_CLOSED);

  g_mutex_lock (&self->lock);
  stage = self->list.stage;
  g_mutex_unlock (&self->lock);
  return stage;
}

/**
 * rf_command_gate_get_n_refused:
 *
 * Returns: how many commands the gate refused so far
 */
guint
rf_command_gate_get_n_refused (RfCommandGate *self)
{
  guint n;

  g_return_val_if_fail (RF_IS_COMMAND_GATE (self), 0);

  g_mutex_lock (&self->lock);
  n = self->n_refused;
  g_mutex_unlock (&self->lock);
  return n;
}

RfTransport *
rf_command_gate_get_inner (RfCommandGate *self)
{
  g_return_val_if_fail (RF_IS_COMMAND_GATE (self), NULL);
  return self->inner;
}
