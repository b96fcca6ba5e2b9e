/* rf-report-private.h: the report's privacy scrubber, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-report.h"

G_BEGIN_DECLS

char *rf_report_scrub (RfReport   *self,
                       const char *text);

G_END_DECLS
