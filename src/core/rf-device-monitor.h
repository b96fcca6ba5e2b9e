/* rf-device-monitor.h: every drive Reflash can see
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-device-source.h"
#include "rf-device.h"
#include "rf-drive-db.h"

G_BEGIN_DECLS

#define RF_TYPE_DEVICE_MONITOR (rf_device_monitor_get_type ())

G_DECLARE_FINAL_TYPE (RfDeviceMonitor, rf_device_monitor, RF, DEVICE_MONITOR, GObject)

RfDeviceMonitor *rf_device_monitor_new          (RfDriveDb       *db);
void             rf_device_monitor_add_source   (RfDeviceMonitor *self,
                                                 RfDeviceSource  *source);
GPtrArray       *rf_device_monitor_list_devices (RfDeviceMonitor *self,
                                                 gboolean         with_sources);
RfDevice        *rf_device_monitor_lookup       (RfDeviceMonitor *self,
                                                 const char      *name,
                                                 GError         **error);

G_END_DECLS
