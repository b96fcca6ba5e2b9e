/* test-helper-window.c: the wizard's one way to administrator rights
 *
 * A stand-in of a real drive this account may not open (the practice drive
 * locked-out-3550 behind a device that is no practice drive) is shown on
 * the Diagnosis page. The page offers "Check with Administrator Rights";
 * pressing it starts the helper once, through an injected launcher: the
 * tests' helper serving the seed, so the page then shows the drive's real
 * state. A launcher that ends as pkexec ends when the person cancels, or
 * when no authentication agent runs, leaves the drive as it was and says so.
 * A drive the account can open never starts the helper.
 *
 * Arguments: the path of reflash-helper-sim.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "rf-core.h"
#include "rf-diagnosis-page.h"
#include "rf-sim.h"
#include "rf-test-helper.h"
#include "rf-test-util.h"

static const char *helper_sim;
static char *home;

typedef struct {
  RfDriveDb *db;
  RfSimSource *practice;
  RfDevice *device;
  GtkWindow *window;
  RfDiagnosisPage *page;
} Fixture;

/* A device that is no practice drive, in front of practice drive @scenario. */
static RfDevice *
stand_in_of_real_drive (const char *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (home, "stand-ins", NULL);
  g_autoptr(RfSimDrive) drive = rf_sim_drive_open (scenario, state, &error);
  g_autoptr(RfTransport) transport = NULL;

  g_assert_no_error (error);
  transport = rf_sim_transport_new (drive);
  return rf_device_new_for_transport ("/dev/sg250", transport, "test-stand-in-sg250");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (home, "state", "reflash", NULL);

  rf_test_remove_tree (state);
  fixture->db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  fixture->device = stand_in_of_real_drive (data);
  fixture->window = GTK_WINDOW (adw_window_new ());
  gtk_window_set_default_size (fixture->window, 800, 700);
  fixture->page = RF_DIAGNOSIS_PAGE (rf_diagnosis_page_new ());
  adw_window_set_content (ADW_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  gtk_window_present (fixture->window);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->db);
}

static void
wait_for_answer (Fixture *fixture)
{
  gint64 give_up = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  do
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
  while (rf_diagnosis_page_is_checking (fixture->page));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
show_drive (Fixture          *fixture,
            RfHelperLauncher *launcher)
{
  rf_diagnosis_page_set_launcher (fixture->page, launcher);
  rf_diagnosis_page_set_device (fixture->page, fixture->device, fixture->db);
  wait_for_answer (fixture);
}

/* The visible widget under @root whose label (or a label inside it) is @text. */
static GtkWidget *
find_visible_text (GtkWidget  *root,
                   const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_LABEL (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), text) != NULL)
        return child;
      if (GTK_IS_BUTTON (child) && gtk_button_get_label (GTK_BUTTON (child)) != NULL &&
          strstr (gtk_button_get_label (GTK_BUTTON (child)), text) != NULL)
        return child;
      found = find_visible_text (child, text);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
page_shows (Fixture    *fixture,
            const char *text)
{
  return find_visible_text (GTK_WIDGET (fixture->page), text) != NULL;
}

static void
press_check_with_rights (Fixture *fixture)
{
  GtkWidget *button = find_visible_text (GTK_WIDGET (fixture->page), "Administrator Rights");

  g_assert_nonnull (button);
  g_assert_true (GTK_IS_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");
  wait_for_answer (fixture);
}

static RfHelperLauncher *
sim_launcher (const char *scenario)
{
  return rf_test_helper_sim_launcher (helper_sim, scenario);
}

static void
test_rights_bring_the_real_state (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(RfHelperLauncher) launcher = sim_launcher ("seed");

  show_drive (fixture, launcher);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NO_ACCESS);
  g_assert_true (page_shows (fixture, "Check with _Administrator Rights"));
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (launcher), ==, 0);

  press_check_with_rights (fixture);
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (launcher), ==, 1);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_true (page_shows (fixture, "The firmware is missing"));
  g_assert_false (page_shows (fixture, "Check with _Administrator Rights"));
  g_assert_true (rf_device_uses_helper (fixture->device));
}

static void
test_cancel_changes_nothing (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RfHelperLauncher) dismissed =
    rf_test_helper_failing_pkexec ("Error executing command as another user: Request dismissed", 126);

  show_drive (fixture, dismissed);
  press_check_with_rights (fixture);
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (dismissed), ==, 1);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NO_ACCESS);
  g_assert_true (page_shows (fixture, "Administrator rights were not given"));
  g_assert_true (page_shows (fixture, "nothing changed"));
  g_assert_false (page_shows (fixture, "sudo"));
  /* The person may ask again. */
  g_assert_true (page_shows (fixture, "Check with _Administrator Rights"));
  g_assert_false (rf_device_uses_helper (fixture->device));
}

/* No prompt can appear: the one place the wizard shows a command. */
static void
test_no_agent_shows_the_command (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(RfHelperLauncher) no_agent =
    rf_test_helper_failing_pkexec ("Error executing command as another user: No authentication agent found.",
                    127);
  GtkWidget *expander;

  show_drive (fixture, no_agent);
  g_assert_false (page_shows (fixture, "sudo"));
  press_check_with_rights (fixture);
  g_assert_true (page_shows (fixture, "No program is running that could ask"));
  expander = find_visible_text (GTK_WIDGET (fixture->page), "_For Administrators");
  g_assert_nonnull (expander);
  gtk_expander_set_expanded (GTK_EXPANDER (gtk_widget_get_ancestor (expander, GTK_TYPE_EXPANDER)),
                             TRUE);
  g_assert_true (page_shows (fixture, "sudo reflash-cli info /dev/sg250"));
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NO_ACCESS);
}

/* A drive this account can open: no button, the helper never starts. */
static void
test_open_drive_never_asks (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RfHelperLauncher) launcher = sim_launcher ("seed");

  show_drive (fixture, launcher);
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_false (page_shows (fixture, "Administrator Rights"));
  g_assert_cmpuint (rf_helper_launcher_get_n_launched (launcher), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_assert_cmpint (argc, ==, 2);
  helper_sim = argv[1];
  /* The tests' helper inherits this environment: both sides see the same
   * practice drives. */
  home = rf_test_helper_make_home ("reflash-helper-window-XXXXXX");

  g_test_add ("/helper-window/rights-bring-the-real-state", Fixture, "locked-out-3550",
              fixture_set_up, test_rights_bring_the_real_state, fixture_tear_down);
  g_test_add ("/helper-window/cancel-changes-nothing", Fixture, "locked-out-3550",
              fixture_set_up, test_cancel_changes_nothing, fixture_tear_down);
  g_test_add ("/helper-window/no-agent-shows-the-command", Fixture, "locked-out-3550",
              fixture_set_up, test_no_agent_shows_the_command, fixture_tear_down);
  g_test_add ("/helper-window/open-drive-never-asks", Fixture, "seed",
              fixture_set_up, test_open_drive_never_asks, fixture_tear_down);
  status = g_test_run ();
  rf_test_remove_tree (home);
  return status;
}
