/* rf-firmware-check.h: a firmware file the user chose, judged against one drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-drive-state.h"
#include "rf-nec-firmware.h"
#include "rf-verdict.h"

G_BEGIN_DECLS

#define RF_TYPE_FIRMWARE_CHECK (rf_firmware_check_get_type ())

G_DECLARE_FINAL_TYPE (RfFirmwareCheck, rf_firmware_check, RF, FIRMWARE_CHECK, GObject)

RfFirmwareCheck   *rf_firmware_check_new_for_file     (const char          *path);
RfFirmwareCheck   *rf_firmware_check_new_for_bytes    (const char          *name,
                                                       GBytes              *bytes);
void               rf_firmware_check_new_for_file_async (const char        *path,
                                                         GCancellable      *cancellable,
                                                         GAsyncReadyCallback callback,
                                                         gpointer           user_data);
RfFirmwareCheck   *rf_firmware_check_new_for_file_finish (GAsyncResult     *result,
                                                          GError          **error);
void               rf_firmware_check_judge            (RfFirmwareCheck       *self,
                                                       const RfDriveFamily   *family,
                                                       const RfDriveIdentity *identity,
                                                       RfDriveState           state,
                                                       RfProbeDepth           depth);

const char        *rf_firmware_check_get_path         (RfFirmwareCheck *self);
GBytes            *rf_firmware_check_get_bytes        (RfFirmwareCheck *self);
RfFirmwareProblem  rf_firmware_check_get_load_problem (RfFirmwareCheck *self);
RfNecFirmware     *rf_firmware_check_get_nec          (RfFirmwareCheck *self);
RfFirmware        *rf_firmware_check_get_judged       (RfFirmwareCheck *self);
RfVerdict         *rf_firmware_check_get_verdict      (RfFirmwareCheck *self);
RfFirmwareProblem  rf_firmware_check_get_problem      (RfFirmwareCheck *self);

G_END_DECLS
