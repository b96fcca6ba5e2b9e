/* rf-device-source.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-device-source.h"

G_DEFINE_INTERFACE (RfDeviceSource, rf_device_source, G_TYPE_OBJECT)

static void
rf_device_source_default_init (RfDeviceSourceInterface *iface)
{
  /**
   * RfDeviceSource::device-added:
   * @device: the new drive
   */
  g_signal_new ("device-added", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                NULL, G_TYPE_NONE, 1, RF_TYPE_DEVICE);
  /**
   * RfDeviceSource::device-removed:
   * @device: the drive that went away
   */
  g_signal_new ("device-removed", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0, NULL,
                NULL, NULL, G_TYPE_NONE, 1, RF_TYPE_DEVICE);
}

/**
 * rf_device_source_list_devices:
 *
 * Returns: (transfer full) (element-type RfDevice): a new array that owns a
 *   reference to each of the source's drives
 */
GPtrArray *
rf_device_source_list_devices (RfDeviceSource *self)
{
  g_return_val_if_fail (RF_IS_DEVICE_SOURCE (self), NULL);
  return RF_DEVICE_SOURCE_GET_IFACE (self)->list_devices (self);
}

/**
 * rf_device_source_lookup:
 * @id: a drive id ("practice:seed")
 *
 * Returns: (transfer full) (nullable): the drive with @id
 */
RfDevice *
rf_device_source_lookup (RfDeviceSource *self,
                         const char     *id)
{
  g_autoptr(GPtrArray) devices = NULL;

  g_return_val_if_fail (RF_IS_DEVICE_SOURCE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  devices = rf_device_source_list_devices (self);
  for (guint i = 0; i < devices->len; i++)
    {
      RfDevice *device = g_ptr_array_index (devices, i);

      if (g_str_equal (rf_device_get_id (device), id))
        return g_object_ref (device);
    }
  return NULL;
}
