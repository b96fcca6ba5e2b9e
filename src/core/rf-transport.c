/* rf-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-error.h"
#include "rf-transport.h"

typedef struct
{
  char *name;
} RfTransportPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RfTransport, rf_transport, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gsize
rf_transport_real_get_max_transfer (RfTransport *self)
{
  return RF_TRANSPORT_DEFAULT_MAX_TRANSFER;
}

static RfClock *
rf_transport_real_get_clock (RfTransport *self)
{
  return rf_clock_get_system ();
}

static void
rf_transport_finalize (GObject *object)
{
  RfTransportPrivate *priv = rf_transport_get_instance_private (RF_TRANSPORT (object));

  g_free (priv->name);
  G_OBJECT_CLASS (rf_transport_parent_class)->finalize (object);
}

static void
rf_transport_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  RfTransportPrivate *priv = rf_transport_get_instance_private (RF_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, priv->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_transport_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  RfTransportPrivate *priv = rf_transport_get_instance_private (RF_TRANSPORT (object));

  switch (prop_id)
    {
    case PROP_NAME:
      priv->name = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_transport_class_init (RfTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_transport_finalize;
  object_class->get_property = rf_transport_get_property;
  object_class->set_property = rf_transport_set_property;
  klass->get_max_transfer = rf_transport_real_get_max_transfer;
  klass->get_clock = rf_transport_real_get_clock;

  /**
   * RfTransport:name:
   *
   * What the transport talks to, for logs: "/dev/sg1", "practice:seed".
   */
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_transport_init (RfTransport *self)
{
}

static void
trace_command (RfTransport     *self,
               const RfCommand *command)
{
  g_autofree char *cdb = NULL;
  RfSense sense;
  g_autofree char *sense_text = NULL;

  /* Skip the formatting work unless someone listens. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    {
      cdb = rf_command_describe_cdb (command);
      if (rf_command_get_sense (command, &sense))
        sense_text = rf_sense_describe (&sense);
      g_debug ("%s: [%s] status 0x%02x%s%s, %" G_GUINT64_FORMAT " us, residual %" G_GSIZE_FORMAT,
               rf_transport_get_name (self), cdb, command->status,
               sense_text != NULL ? ", " : "", sense_text != NULL ? sense_text : "",
               command->duration_us, command->residual);
    }
}

/**
 * rf_transport_execute:
 * @self: a transport
 * @command: the command; its results are filled in
 * @cancellable: (nullable): checked before the command is sent, never during it
 * @error: return location
 *
 * Returns: %TRUE if the drive answered with a status (see #RfTransportClass).
 */
gboolean
rf_transport_execute (RfTransport  *self,
                      RfCommand    *command,
                      GCancellable *cancellable,
                      GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RF_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, &local_error))
    {
      rf_error_convert (&local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  /* An empty or inconsistent command (a builder that failed) never leaves. */
  if (!rf_command_is_well_formed (command))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED,
                   "%s: refused a command that was not built (CDB of %" G_GSIZE_FORMAT
                   " bytes, %" G_GSIZE_FORMAT " data bytes)",
                   rf_transport_get_name (self), command->cdb_length, command->data_length);
      return FALSE;
    }
  rf_command_reset_result (command);
  if (!RF_TRANSPORT_GET_CLASS (self)->execute (self, command, cancellable, &local_error))
    {
      g_debug ("%s: %s failed: %s", rf_transport_get_name (self),
               rf_command_opcode_name (command->cdb[0]), local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  trace_command (self, command);
  return TRUE;
}

/**
 * rf_transport_run:
 *
 * rf_transport_execute() followed by rf_command_check(): %TRUE only for GOOD.
 */
gboolean
rf_transport_run (RfTransport  *self,
                  RfCommand    *command,
                  GCancellable *cancellable,
                  GError      **error)
{
  if (!rf_transport_execute (self, command, cancellable, error))
    return FALSE;
  return rf_command_check (command, error);
}

gsize
rf_transport_get_max_transfer (RfTransport *self)
{
  g_return_val_if_fail (RF_IS_TRANSPORT (self), RF_TRANSPORT_DEFAULT_MAX_TRANSFER);
  return RF_TRANSPORT_GET_CLASS (self)->get_max_transfer (self);
}

const char *
rf_transport_get_name (RfTransport *self)
{
  RfTransportPrivate *priv;

  g_return_val_if_fail (RF_IS_TRANSPORT (self), NULL);
  priv = rf_transport_get_instance_private (self);
  return priv->name != NULL ? priv->name : G_OBJECT_TYPE_NAME (self);
}

/**
 * rf_transport_get_clock:
 *
 * The clock to measure every wait for this drive on: pauses between retries,
 * polls while it restarts, and their limits.
 *
 * Returns: (transfer none): the drive's clock
 */
RfClock *
rf_transport_get_clock (RfTransport *self)
{
  g_return_val_if_fail (RF_IS_TRANSPORT (self), rf_clock_get_system ());
  return RF_TRANSPORT_GET_CLASS (self)->get_clock (self);
}

/**
 * rf_transport_stage_changed:
 * @list: the stage the command gate above this transport was set to
 *
 * Told by a command gate whenever its stage changes, through decorators to the
 * transport that reaches the drive. Only a transport with a gate of its own on
 * the far side (the privileged helper's) needs it; the others ignore it.
 */
void
rf_transport_stage_changed (RfTransport       *self,
                            const RfAllowList *list)
{
  g_return_if_fail (RF_IS_TRANSPORT (self));
  g_return_if_fail (list != NULL);

  if (RF_TRANSPORT_GET_CLASS (self)->stage_changed != NULL)
    RF_TRANSPORT_GET_CLASS (self)->stage_changed (self, list);
}
