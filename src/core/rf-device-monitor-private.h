/* rf-device-monitor-private.h: RfDeviceMonitor's decisions, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-drive-db.h"

G_BEGIN_DECLS

gboolean rf_device_monitor_is_drive (RfDriveDb  *db,
                                     const char *type,
                                     const char *vendor,
                                     const char *product);
char    *rf_device_monitor_read_serial (const char *scsi_sysfs_path);

G_END_DECLS
