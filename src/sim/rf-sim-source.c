/* rf-sim-source.c: one RfDevice ("practice:ID") per shipped scenario
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-sim-scenario.h"
#include "rf-sim-source.h"
#include "rf-sim-transport.h"

struct _RfSimSource
{
  GObject parent_instance;

  char *state_dir;
  GHashTable *drives;  /* scenario id -> RfSimDrive */
  GHashTable *devices; /* scenario id -> RfDevice */
};

static void rf_sim_source_iface_init (RfDeviceSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (RfSimSource, rf_sim_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RF_TYPE_DEVICE_SOURCE,
                                                      rf_sim_source_iface_init))

/* A practice drive is its state file: two users (or two test runs) with their
 * own state folders have different drives, so the lock is named after the
 * state file, not only the scenario. */
static char *
practice_lock_name (RfSimDrive *drive)
{
  const char *path = rf_sim_drive_get_state_path (drive);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                           path != NULL ? path : "", -1);

  return g_strdup_printf ("practice-%s-%.12s", rf_sim_drive_get_id (drive), digest);
}

/* Opens the practice drive as it was left and puts a device in front of it. */
static RfDevice *
ensure_device (RfSimSource *self,
               const char  *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) drive = NULL;
  g_autoptr(RfTransport) transport = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *lock_name = NULL;
  RfDevice *device = g_hash_table_lookup (self->devices, id);

  if (device != NULL)
    return device;
  drive = rf_sim_drive_open (id, self->state_dir, &error);
  if (drive == NULL)
    {
      /* A practice drive that cannot be opened is not offered; say why in logs. */
      g_debug ("Practice drive %s: %s", id, error->message);
      return NULL;
    }
  transport = rf_sim_transport_new (drive);
  device_id = g_strconcat (RF_SIM_DEVICE_PREFIX, id, NULL);
  lock_name = practice_lock_name (drive);
  device = rf_device_new_for_transport (device_id, transport, lock_name);
  rf_device_set_serial (device, rf_sim_drive_get_scenario (drive)->serial);
  g_hash_table_insert (self->drives, g_strdup (id), g_steal_pointer (&drive));
  g_hash_table_insert (self->devices, g_strdup (id), device);
  return device;
}

static GPtrArray *
rf_sim_source_list_devices (RfDeviceSource *source)
{
  RfSimSource *self = RF_SIM_SOURCE (source);
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) scenarios = NULL;
  g_autoptr(GError) error = NULL;

  scenarios = rf_sim_scenario_list (&error);
  if (scenarios == NULL)
    {
      g_debug ("Practice drives: %s", error->message);
      return devices;
    }
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      RfDevice *device = ensure_device (self, scenario->id);

      if (device != NULL)
        g_ptr_array_add (devices, g_object_ref (device));
    }
  return devices;
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

  g_clear_pointer (&self->devices, g_hash_table_unref);
  g_clear_pointer (&self->drives, g_hash_table_unref);
  G_OBJECT_CLASS (rf_sim_source_parent_class)->dispose (object);
}

static void
rf_sim_source_finalize (GObject *object)
{
  g_free (RF_SIM_SOURCE (object)->state_dir);
  G_OBJECT_CLASS (rf_sim_source_parent_class)->finalize (object);
}

static void
rf_sim_source_class_init (RfSimSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_sim_source_dispose;
  object_class->finalize = rf_sim_source_finalize;
}

static void
rf_sim_source_init (RfSimSource *self)
{
  self->drives = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->devices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

/**
 * rf_sim_source_new:
 * @state_dir: (nullable): where practice drives keep their state; %NULL for
 *   $XDG_STATE_HOME/reflash/practice
 *
 * Returns: (transfer full): a source offering every shipped practice drive
 */
RfSimSource *
rf_sim_source_new (const char *state_dir)
{
  RfSimSource *self = g_object_new (RF_TYPE_SIM_SOURCE, NULL);

  self->state_dir = g_strdup (state_dir);
  return self;
}

/**
 * rf_sim_source_get_drive:
 * @scenario_id: "seed"
 *
 * Returns: (transfer none) (nullable): the practice drive behind
 *   "practice:@scenario_id", opened on first use
 */
RfSimDrive *
rf_sim_source_get_drive (RfSimSource *self,
                         const char  *scenario_id)
{
  g_return_val_if_fail (RF_IS_SIM_SOURCE (self), NULL);
  g_return_val_if_fail (scenario_id != NULL, NULL);

  if (ensure_device (self, scenario_id) == NULL)
    return NULL;
  return g_hash_table_lookup (self->drives, scenario_id);
}

/**
 * rf_sim_source_add:
 * @scenario_id: a scenario made since the source was listed (a twin)
 *
 * Offers the practice drive @scenario_id too, announced with
 * #RfDeviceSource::device-added when it is new.
 *
 * Returns: (transfer none) (nullable): its device, or %NULL when it cannot
 *   be opened
 */
RfDevice *
rf_sim_source_add (RfSimSource *self,
                   const char  *scenario_id)
{
  gboolean known;
  RfDevice *device;

  g_return_val_if_fail (RF_IS_SIM_SOURCE (self), NULL);
  g_return_val_if_fail (scenario_id != NULL, NULL);

  known = g_hash_table_contains (self->devices, scenario_id);
  device = ensure_device (self, scenario_id);
  if (device != NULL && !known)
    g_signal_emit_by_name (self, "device-added", device);
  return device;
}

