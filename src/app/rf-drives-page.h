/* rf-drives-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-journal-presenter.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_DRIVES_PAGE (rf_drives_page_get_type ())

G_DECLARE_FINAL_TYPE (RfDrivesPage, rf_drives_page, RF, DRIVES_PAGE, RfPage)

GtkWidget *rf_drives_page_new                 (void);
void       rf_drives_page_set_drives          (RfDrivesPage *self,
                                               GListModel   *drives,
                                               RfDriveDb    *db);
RfDevice  *rf_drives_page_get_selected_device (RfDrivesPage *self);
void       rf_drives_page_select_device       (RfDrivesPage *self,
                                               RfDevice     *device);
void       rf_drives_page_set_journals        (RfDrivesPage       *self,
                                               RfJournalPresenter *journals);

G_END_DECLS
