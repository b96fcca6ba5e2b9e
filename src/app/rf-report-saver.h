/* rf-report-saver.h: asks where to save a support report, and writes it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void rf_report_saver_save (GtkWidget *parent,
                           GBytes    *report);

G_END_DECLS
