/* rf-diagnosis-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-helper-launcher.h"
#include "rf-journal-presenter.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_DIAGNOSIS_PAGE (rf_diagnosis_page_get_type ())

G_DECLARE_FINAL_TYPE (RfDiagnosisPage, rf_diagnosis_page, RF, DIAGNOSIS_PAGE, RfPage)

GtkWidget *rf_diagnosis_page_new        (void);
void       rf_diagnosis_page_set_device (RfDiagnosisPage *self,
                                         RfDevice        *device,
                                         RfDriveDb       *db);
RfDevice  *rf_diagnosis_page_get_device (RfDiagnosisPage *self);
gboolean   rf_diagnosis_page_is_checking (RfDiagnosisPage *self);
void       rf_diagnosis_page_set_journals (RfDiagnosisPage    *self,
                                           RfJournalPresenter *journals);
RfJournal *rf_diagnosis_page_get_journal  (RfDiagnosisPage    *self);
void       rf_diagnosis_page_set_can_rehearse (RfDiagnosisPage *self,
                                               gboolean         can_rehearse);
void       rf_diagnosis_page_rehearse_failed (RfDiagnosisPage *self,
                                              const GError    *error);
void       rf_diagnosis_page_set_launcher (RfDiagnosisPage    *self,
                                           RfHelperLauncher   *launcher);

G_END_DECLS
