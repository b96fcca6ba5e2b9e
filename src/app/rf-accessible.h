/* rf-accessible.h: what a screen reader hears, where GTK 4.8 gets it wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

char *rf_accessible_strip_mnemonic    (const char *text);
void  rf_accessible_repair_names      (GtkWidget  *widget);
void  rf_accessible_repair_all_names  (void);
void  rf_accessible_describe_row      (AdwActionRow *row,
                                       const char   *description);

G_END_DECLS
