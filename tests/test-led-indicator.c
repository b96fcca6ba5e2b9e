/* test-led-indicator.c: the drawn drive light of the Writing page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "rf-led-indicator.h"

/* Runs the main loop for @ms of real time, recording whether the light was
 * seen lit and seen dark. */
static void
watch_light (RfLedIndicator *led,
             guint           ms,
             gboolean       *seen_lit,
             gboolean       *seen_dark)
{
  gint64 until = g_get_monotonic_time () + (gint64) ms * 1000;

  *seen_lit = *seen_dark = FALSE;
  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      if (rf_led_indicator_is_lit (led))
        *seen_lit = TRUE;
      else
        *seen_dark = TRUE;
      g_usleep (2000);
    }
}

static RfLedIndicator *
shown_led (GtkWidget **window)
{
  GtkWidget *led = rf_led_indicator_new ();

  *window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (*window), led);
  gtk_window_present (GTK_WINDOW (*window));
  gtk_test_widget_wait_for_draw (*window);
  return RF_LED_INDICATOR (led);
}

/* Off is dark, steady is lit, and the blinking patterns are both in turn. */
static void
test_patterns (void)
{
  const char *blinking[] = { "blinking", "blinking-fast", "short-blinks" };
  GtkWidget *window = NULL;
  RfLedIndicator *led = shown_led (&window);
  gboolean lit, dark;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  g_assert_cmpstr (rf_led_indicator_get_pattern (led), ==, "off");
  watch_light (led, 300, &lit, &dark);
  g_assert_false (lit);
  rf_led_indicator_set_pattern (led, "steady");
  watch_light (led, 300, &lit, &dark);
  g_assert_true (lit);
  g_assert_false (dark);
  for (gsize i = 0; i < G_N_ELEMENTS (blinking); i++)
    {
      rf_led_indicator_set_pattern (led, blinking[i]);
      watch_light (led, 2500, &lit, &dark);
      g_assert_true (lit);
      g_assert_true (dark);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With animations turned off on the desktop a blinking light stands still,
 * lit; turned on again, it blinks. */
static void
test_still_without_animations (void)
{
  GtkWidget *window = NULL;
  RfLedIndicator *led = shown_led (&window);
  gboolean lit, dark;

  rf_led_indicator_set_pattern (led, "blinking-fast");
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  watch_light (led, 600, &lit, &dark);
  g_assert_true (lit);
  g_assert_false (dark);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  watch_light (led, 600, &lit, &dark);
  g_assert_true (lit);
  g_assert_true (dark);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reflash/led-indicator/patterns", test_patterns);
  g_test_add_func ("/reflash/led-indicator/still-without-animations",
                   test_still_without_animations);
  return g_test_run ();
}
