/* rf-result-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-flash-job.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_RESULT_PAGE (rf_result_page_get_type ())

G_DECLARE_FINAL_TYPE (RfResultPage, rf_result_page, RF, RESULT_PAGE, RfPage)

GtkWidget  *rf_result_page_new          (void);
void        rf_result_page_set_outcome  (RfResultPage *self,
                                         RfFlashJob   *job,
                                         const GError *error);
const char *rf_result_page_get_headline (RfResultPage *self);
const char *rf_result_page_get_next_step (RfResultPage *self);
void        rf_result_page_offer_real_drive (RfResultPage *self);
GBytes     *rf_result_page_dup_report   (RfResultPage *self);

G_END_DECLS
