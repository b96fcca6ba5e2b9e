/* test-window.c: the wizard's shell, built without running the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "rf-page.h"
#include "rf-welcome-page.h"
#include "rf-window.h"

static RfWindow *
create_window (void)
{
  RfWindow *window = rf_window_new (NULL);

  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static GtkWidget *
find_button_for_action (GtkWidget  *root,
                        const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      found = find_button_for_action (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
button_sensitive (RfWindow   *window,
                  const char *action)
{
  GtkWidget *button = find_button_for_action (GTK_WIDGET (window), action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static void
test_shows_welcome (void)
{
  RfWindow *window = create_window ();
  RfPage *page = rf_window_get_visible_page (window);

  g_assert_true (RF_IS_WELCOME_PAGE (page));
  g_assert_true (rf_page_get_complete (page));
  g_assert_cmpstr (rf_page_get_title (page), ==, "Welcome");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  /* First page: nowhere to go back to; alone: nowhere to go next. */
  g_assert_false (button_sensitive (window, "wizard.back"));
  g_assert_false (button_sensitive (window, "wizard.next"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_next_back_follow_complete (void)
{
  RfWindow *window = create_window ();
  RfPage *second = g_object_new (RF_TYPE_PAGE, "title", "Second", NULL);
  RfPage *third = g_object_new (RF_TYPE_PAGE, "title", "Third", NULL);

  rf_window_add_page (window, second, "second");
  rf_window_add_page (window, third, "third");
  g_assert_cmpuint (rf_window_get_page_count (window), ==, 3);

  /* Welcome is complete, so Next is offered. */
  g_assert_true (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (rf_window_get_visible_page (window) == second);
  g_assert_true (button_sensitive (window, "wizard.back"));

  /* The second page is not complete: Next is off, and activating it does nothing. */
  g_assert_false (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (rf_window_get_visible_page (window) == second);

  rf_page_set_complete (second, TRUE);
  g_assert_true (button_sensitive (window, "wizard.next"));
  rf_page_set_complete (second, FALSE);
  g_assert_false (button_sensitive (window, "wizard.next"));
  rf_page_set_complete (second, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (rf_window_get_visible_page (window) == third);

  /* Last page: even complete, there is no Next. */
  rf_page_set_complete (third, TRUE);
  g_assert_false (button_sensitive (window, "wizard.next"));

  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.back", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.back", NULL);
  g_assert_true (RF_IS_WELCOME_PAGE (rf_window_get_visible_page (window)));
  g_assert_false (button_sensitive (window, "wizard.back"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_page_complete_notifies_once (void)
{
  RfPage *page = g_object_ref_sink (g_object_new (RF_TYPE_PAGE, NULL));
  guint notified = 0;

  g_signal_connect_swapped (page, "notify::complete", G_CALLBACK (g_atomic_int_inc), &notified);
  rf_page_set_complete (page, TRUE);
  rf_page_set_complete (page, TRUE);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_finalize_object (page);
}

static void
test_window_finalizes (void)
{
  RfWindow *window = create_window ();

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reflash/window/shows-welcome", test_shows_welcome);
  g_test_add_func ("/reflash/window/next-back-follow-complete", test_next_back_follow_complete);
  g_test_add_func ("/reflash/window/page-complete-notifies-once", test_page_complete_notifies_once);
  g_test_add_func ("/reflash/window/finalizes", test_window_finalizes);
  return g_test_run ();
}
