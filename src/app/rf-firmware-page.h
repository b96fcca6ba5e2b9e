/* rf-firmware-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-firmware-check.h"
#include "rf-journal.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_FIRMWARE_PAGE (rf_firmware_page_get_type ())

G_DECLARE_FINAL_TYPE (RfFirmwarePage, rf_firmware_page, RF, FIRMWARE_PAGE, RfPage)

GtkWidget       *rf_firmware_page_new        (void);
void             rf_firmware_page_set_device (RfFirmwarePage *self,
                                              RfDevice       *device);
void             rf_firmware_page_open_file  (RfFirmwarePage *self,
                                              const char     *path);
RfFirmwareCheck *rf_firmware_page_get_check  (RfFirmwarePage *self);
gboolean         rf_firmware_page_is_loading (RfFirmwarePage *self);
void             rf_firmware_page_set_journal (RfFirmwarePage *self,
                                               RfJournal      *journal);
RfJournal       *rf_firmware_page_get_resume  (RfFirmwarePage *self);

G_END_DECLS
