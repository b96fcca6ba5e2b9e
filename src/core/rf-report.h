/* rf-report.h: a support bundle without personal data (ARCHITECTURE.md "RfReport")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-device.h"
#include "rf-recorder.h"
#include "rf-verdict.h"

G_BEGIN_DECLS

/* The value of the report's "format" key; raised when a key changes meaning. */
#define RF_REPORT_FORMAT 1

#define RF_TYPE_REPORT (rf_report_get_type ())

G_DECLARE_FINAL_TYPE (RfReport, rf_report, RF, REPORT, GObject)

RfReport *rf_report_new            (void);
void      rf_report_set_device     (RfReport     *self,
                                    RfDevice     *device);
void      rf_report_add_verdict    (RfReport     *self,
                                    const char   *file_label,
                                    RfVerdict    *verdict);
void      rf_report_add_error      (RfReport     *self,
                                    const GError *error);
void      rf_report_set_transcript (RfReport     *self,
                                    RfRecorder   *transcript);
GBytes   *rf_report_to_json        (RfReport     *self);

G_END_DECLS
