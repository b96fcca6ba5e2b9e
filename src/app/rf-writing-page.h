/* rf-writing-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-flash-job.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_WRITING_PAGE (rf_writing_page_get_type ())

G_DECLARE_FINAL_TYPE (RfWritingPage, rf_writing_page, RF, WRITING_PAGE, RfPage)

GtkWidget    *rf_writing_page_new          (void);
void          rf_writing_page_start        (RfWritingPage *self,
                                            RfFlashJob    *job);
RfFlashJob   *rf_writing_page_get_job      (RfWritingPage *self);
const GError *rf_writing_page_get_error    (RfWritingPage *self);
gboolean      rf_writing_page_is_running   (RfWritingPage *self);
gboolean      rf_writing_page_must_finish  (RfWritingPage *self);

G_END_DECLS
