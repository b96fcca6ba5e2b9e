/* rf-welcome-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_WELCOME_PAGE (rf_welcome_page_get_type ())

G_DECLARE_FINAL_TYPE (RfWelcomePage, rf_welcome_page, RF, WELCOME_PAGE, RfPage)

GtkWidget *rf_welcome_page_new (void);

G_END_DECLS
