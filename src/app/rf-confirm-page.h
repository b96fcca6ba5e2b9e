/* rf-confirm-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-firmware-check.h"
#include "rf-flash-job.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_CONFIRM_PAGE (rf_confirm_page_get_type ())

G_DECLARE_FINAL_TYPE (RfConfirmPage, rf_confirm_page, RF, CONFIRM_PAGE, RfPage)

GtkWidget            *rf_confirm_page_new               (void);
void                  rf_confirm_page_set_flash         (RfConfirmPage   *self,
                                                         RfDevice        *device,
                                                         RfFirmwareCheck *check);
RfDevice             *rf_confirm_page_get_device        (RfConfirmPage   *self);
RfFlashConfirmations  rf_confirm_page_get_confirmations (RfConfirmPage   *self);
RfFlashConfirmations  rf_confirm_page_get_needed        (RfConfirmPage   *self);
void                  rf_confirm_page_confirm           (RfConfirmPage        *self,
                                                         RfFlashConfirmations  confirmations);

G_END_DECLS
