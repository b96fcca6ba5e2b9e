/* rf-sim-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-sim-scenario.h"
#include "rf-sim-source.h"
#include "rf-sim-transport.h"

/* One RfDevice per shipped scenario, named "practice:ID", each talking to its
 * practice drive through an RfSimTransport. Core lists them through the
 * RfDeviceSource interface and never links against src/sim. */
struct _RfSimSource
{
  GObject parent_instance;

  GPtrArray *devices; /* RfDevice */
  GHashTable *drives; /* device id -> RfSimDrive */
};

static void rf_sim_source_iface_init (RfDeviceSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RfSimSource, rf_sim_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RF_TYPE_DEVICE_SOURCE,
                                                      rf_sim_source_iface_init))

static GPtrArray *
rf_sim_source_list_devices (RfDeviceSource *source)
{
  RfSimSource *self = RF_SIM_SOURCE (source);
  GPtrArray *list = g_ptr_array_new_full (self->devices->len, g_object_unref);

  for (guint i = 0; i < self->devices->len; i++)
    g_ptr_array_add (list, g_object_ref (g_ptr_array_index (self->devices, i)));
  return list;
}

static void
rf_sim_source_iface_init (RfDeviceSourceInterface *iface)
{
  iface->list_devices = rf_sim_source_list_devices;
}

static void
rf_sim_source_dispose (GObject *object)
{
  RfSimSource *self = RF_SIM_SOURCE (object);

  g_clear_pointer (&self->devices, g_ptr_array_unref);
  g_clear_pointer (&self->drives, g_hash_table_unref);
  G_OBJECT_CLASS (rf_sim_source_parent_class)->dispose (object);
}

static void
rf_sim_source_class_init (RfSimSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rf_sim_source_dispose;
}

static void
rf_sim_source_init (RfSimSource *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->drives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

static gboolean
add_drive (RfSimSource *self,
           const char  *id,
           const char  *state_dir,
           GError     **error)
{
  g_autoptr(RfSimDrive) drive = rf_sim_drive_open (id, state_dir, error);
  g_autoptr(RfTransport) transport = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *lock_name = NULL;

  if (drive == NULL)
    return FALSE;
  transport = rf_sim_transport_new (drive);
  device_id = g_strconcat ("practice:", id, NULL);
  lock_name = g_strconcat ("practice-", id, NULL);
  g_ptr_array_add (self->devices, rf_device_new_for_transport (device_id, transport, lock_name));
  g_hash_table_insert (self->drives, g_steal_pointer (&device_id), g_steal_pointer (&drive));
  return TRUE;
}

/**
 * rf_sim_source_new:
 * @state_dir: (nullable): where practice drives keep their flash; %NULL for
 *   $XDG_STATE_HOME/reflash/practice
 *
 * Opens every shipped practice drive as it was left. A damaged saved state fails
 * the whole source with an error naming the file, rather than quietly resetting
 * that practice drive.
 *
 * Returns: (transfer full): the source, or %NULL
 */
RfSimSource *
rf_sim_source_new (const char *state_dir,
                   GError    **error)
{
  g_autoptr(RfSimSource) self = g_object_new (RF_TYPE_SIM_SOURCE, NULL);
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (error);

  if (scenarios == NULL)
    return NULL;
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);

      if (!add_drive (self, scenario->id, state_dir, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * rf_sim_source_get_drive:
 * @device_id: "practice:ID"
 *
 * The practice drive behind a listed RfDevice, for the practice view (LED, power
 * button, reset, speed, faults).
 *
 * Returns: (transfer none) (nullable): the drive
 */
RfSimDrive *
rf_sim_source_get_drive (RfSimSource *self,
                         const char  *device_id)
{
  g_return_val_if_fail (RF_IS_SIM_SOURCE (self), NULL);
  g_return_val_if_fail (device_id != NULL, NULL);
  return g_hash_table_lookup (self->drives, device_id);
}
