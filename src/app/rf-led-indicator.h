/* rf-led-indicator.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define RF_TYPE_LED_INDICATOR (rf_led_indicator_get_type ())

G_DECLARE_FINAL_TYPE (RfLedIndicator, rf_led_indicator, RF, LED_INDICATOR, GtkWidget)

GtkWidget  *rf_led_indicator_new         (void);
void        rf_led_indicator_set_pattern (RfLedIndicator *self,
                                          const char     *pattern);
const char *rf_led_indicator_get_pattern (RfLedIndicator *self);
gboolean    rf_led_indicator_is_lit      (RfLedIndicator *self);

G_END_DECLS
