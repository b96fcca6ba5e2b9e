/* rf-sim-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include "rf-error.h"
#include "rf-sim-transport.h"

/* RfSimTransport: what RfSgTransport is to a real drive, for a practice drive. It
 * also plays the kernel's part: a transfer above the maximum is refused before
 * the drive sees it (a real pass-through fails with EINVAL), as
 * RF_ERROR_NOT_SUPPORTED. */
struct _RfSimTransport
{
  RfTransport parent_instance;

  RfSimDrive *drive;
};

G_DEFINE_FINAL_TYPE (RfSimTransport, rf_sim_transport, RF_TYPE_TRANSPORT)

static gboolean
rf_sim_transport_execute (RfTransport  *transport,
                          RfCommand    *command,
                          GCancellable *cancellable,
                          GError      **error)
{
  RfSimTransport *self = RF_SIM_TRANSPORT (transport);
  gsize limit = rf_transport_get_max_transfer (transport);

  if (command->direction != RF_DIRECTION_NONE && command->data_length > limit)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "%s: %" G_GSIZE_FORMAT " bytes is above the transfer limit of %" G_GSIZE_FORMAT
                   " (%s)", rf_command_opcode_name (command->cdb[0]), command->data_length,
                   limit, g_strerror (EINVAL));
      return FALSE;
    }
  return rf_sim_drive_execute (self->drive, command, error);
}

static gsize
rf_sim_transport_get_max_transfer (RfTransport *transport)
{
  RfSimTransport *self = RF_SIM_TRANSPORT (transport);

  return rf_sim_drive_get_scenario (self->drive)->max_transfer;
}

/* Reflash's waits for a practice drive pass at the drive's speed. */
static RfClock *
rf_sim_transport_get_clock (RfTransport *transport)
{
  RfSimTransport *self = RF_SIM_TRANSPORT (transport);

  return RF_CLOCK (rf_sim_drive_get_clock (self->drive));
}

static void
rf_sim_transport_dispose (GObject *object)
{
  RfSimTransport *self = RF_SIM_TRANSPORT (object);

  g_clear_object (&self->drive);
  G_OBJECT_CLASS (rf_sim_transport_parent_class)->dispose (object);
}

static void
rf_sim_transport_class_init (RfSimTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  object_class->dispose = rf_sim_transport_dispose;
  transport_class->execute = rf_sim_transport_execute;
  transport_class->get_max_transfer = rf_sim_transport_get_max_transfer;
  transport_class->get_clock = rf_sim_transport_get_clock;
}

static void
rf_sim_transport_init (RfSimTransport *self)
{
}

/**
 * rf_sim_transport_new:
 * @drive: the practice drive
 *
 * Returns: (transfer full): a transport named "practice:ID"
 */
RfTransport *
rf_sim_transport_new (RfSimDrive *drive)
{
  g_autofree char *name = NULL;
  RfSimTransport *self;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (drive), NULL);

  name = g_strconcat ("practice:", rf_sim_drive_get_id (drive), NULL);
  self = g_object_new (RF_TYPE_SIM_TRANSPORT, "name", name, NULL);
  self->drive = g_object_ref (drive);
  return RF_TRANSPORT (self);
}

RfSimDrive *
rf_sim_transport_get_drive (RfSimTransport *self)
{
  g_return_val_if_fail (RF_IS_SIM_TRANSPORT (self), NULL);
  return self->drive;
}
