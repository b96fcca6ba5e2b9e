/* rf-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RF_TYPE_APPLICATION (rf_application_get_type ())

G_DECLARE_FINAL_TYPE (RfApplication, rf_application, RF, APPLICATION, AdwApplication)

RfApplication *rf_application_new (void);

G_END_DECLS
