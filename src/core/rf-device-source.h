/* rf-device-source.h: drives that do not come from the kernel (practice drives)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-device.h"

G_BEGIN_DECLS

#define RF_TYPE_DEVICE_SOURCE (rf_device_source_get_type ())

G_DECLARE_INTERFACE (RfDeviceSource, rf_device_source, RF, DEVICE_SOURCE, GObject)

/**
 * RfDeviceSourceInterface:
 * @list_devices: every drive the source offers now
 *
 * A source emits #RfDeviceSource::device-added and ::device-removed when its
 * drives come and go. Core knows sources only through this interface, so it
 * never depends on src/sim.
 */
struct _RfDeviceSourceInterface
{
  GTypeInterface parent_iface;

  /* Returns a new array owning a reference to each drive. */
  GPtrArray *(*list_devices) (RfDeviceSource *self);
};

GPtrArray *rf_device_source_list_devices (RfDeviceSource *self);
RfDevice  *rf_device_source_lookup       (RfDeviceSource *self,
                                          const char     *id);

G_END_DECLS
