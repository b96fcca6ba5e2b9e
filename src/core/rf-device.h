/* rf-device.h: one drive, what it is and what state it is in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-clock.h"
#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-drive-state.h"
#include "rf-helper-launcher.h"
#include "rf-recorder.h"
#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_DEVICE (rf_device_get_type ())

G_DECLARE_FINAL_TYPE (RfDevice, rf_device, RF, DEVICE, GObject)

RfDevice        *rf_device_new_for_node       (const char    *sg_path,
                                               const char    *block_path,
                                               const char    *bus_path);
RfDevice        *rf_device_new_for_transport  (const char    *id,
                                               RfTransport   *transport,
                                               const char    *lock_name);
void             rf_device_set_sysfs_identity (RfDevice      *self,
                                               const char    *vendor,
                                               const char    *product,
                                               const char    *revision);

const char      *rf_device_get_id             (RfDevice      *self);
const char      *rf_device_get_sg_path        (RfDevice      *self);
const char      *rf_device_get_block_path     (RfDevice      *self);
const char      *rf_device_get_lock_name      (RfDevice      *self);
void             rf_device_set_serial         (RfDevice      *self,
                                               const char    *serial);
const char      *rf_device_get_bus_path       (RfDevice      *self);
const char      *rf_device_get_port_path      (RfDevice      *self);
gboolean         rf_device_is_practice        (RfDevice      *self);
RfClock         *rf_device_get_clock          (RfDevice      *self);

RfDriveIdentity *rf_device_dup_identity       (RfDevice      *self);
RfDriveFamily   *rf_device_dup_family         (RfDevice      *self);
char            *rf_device_dup_model_id       (RfDevice      *self);
char            *rf_device_dup_model_name     (RfDevice      *self);
RfDriveState     rf_device_get_state          (RfDevice      *self);
RfProbeDepth     rf_device_get_probe_depth    (RfDevice      *self);
const char      *rf_device_get_reason         (RfDevice      *self);
char            *rf_device_dup_detail         (RfDevice      *self);
gboolean         rf_device_get_microcode_upgrade (RfDevice   *self);
char            *rf_device_dup_explanation    (RfDevice      *self);
char            *rf_device_dup_headline       (RfDevice      *self);
const char      *rf_device_get_state_title    (RfDevice      *self);
char            *rf_device_dup_advice         (RfDevice      *self);
char            *rf_device_dup_command_advice (RfDevice      *self);
gboolean         rf_device_kernel_identity_is_stale (RfDevice              *self,
                                                     const RfDriveIdentity *identity);
RfRecorder      *rf_device_dup_transcript     (RfDevice      *self);

void             rf_device_set_helper         (RfDevice         *self,
                                               RfHelperLauncher *launcher);
gboolean         rf_device_uses_helper        (RfDevice      *self);
RfTransport     *rf_device_open_transport     (RfDevice      *self,
                                               GError       **error);
RfTransport     *rf_device_open_transport_read_only (RfDevice  *self,
                                                     GError   **error);

gboolean         rf_device_probe              (RfDevice      *self,
                                               RfDriveDb     *db,
                                               RfProbeDepth   depth,
                                               GCancellable  *cancellable,
                                               GError       **error);
void             rf_device_probe_async        (RfDevice      *self,
                                               RfDriveDb     *db,
                                               RfProbeDepth   depth,
                                               GCancellable  *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer       user_data);
gboolean         rf_device_probe_finish       (RfDevice      *self,
                                               GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
