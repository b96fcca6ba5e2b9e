/* rf-drive-lock.h: one job per drive across processes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RF_TYPE_DRIVE_LOCK (rf_drive_lock_get_type ())

G_DECLARE_FINAL_TYPE (RfDriveLock, rf_drive_lock, RF, DRIVE_LOCK, GObject)

RfDriveLock *rf_drive_lock_acquire  (const char  *bus_path,
                                     GError     **error);
RfDriveLock *rf_drive_lock_acquire_shared (const char  *bus_path,
                                           GError     **error);
gboolean     rf_drive_lock_is_held_elsewhere (const char *bus_path);
char        *rf_drive_lock_get_dir  (void);
const char  *rf_drive_lock_get_path (RfDriveLock *self);

G_END_DECLS
