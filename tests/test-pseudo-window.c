/* test-pseudo-window.c: the wizard in the pseudo-language, where no word may
 * stay English
 *
 *   test-pseudo-window --tap LOCALE_DIR
 *
 * LOCALE_DIR holds en@pseudo/LC_MESSAGES/reflash.mo, made from the whole
 * template by tests/make-pseudo-locale.py: every message wrapped, accented and
 * a third longer ("[Ŕéçöṽéŕ ţĥé ðŕîṽé ~~~]"). The test walks every page, with a
 * practice drive in each state and each kind of verdict and result, and reads
 * what a person reads: every mapped label, every tooltip, every accessible
 * name and description, the window's title and its menu, and every glyph
 * must be in the fonts. Any ASCII letter
 * left, once the allowed data is taken out (device names, paths, digests, and
 * what the drive says about itself), is a word that escaped translation. At
 * 1024×768 and 360 px wide the longer words must fit, and no label is cut.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "rf-confirm-page.h"
#include "rf-diagnosis-page.h"
#include "rf-drive-presenter.h"
#include "rf-drive-row.h"
#include "rf-drives-page.h"
#include "rf-firmware-page.h"
#include "rf-locale.h"
#include "rf-page.h"
#include "rf-result-page.h"
#include "rf-sim.h"
#include "rf-test-pseudo.h"
#include "rf-test-util.h"
#include "rf-welcome-page.h"
#include "rf-window.h"
#include "rf-writing-page.h"

static char *state_dir;
static GRegex *allowed;

/* What the walk read on one page: texts left in English, and how many
 * texts it found translated (a walk that reads nothing proves nothing). */
typedef struct {
  GString *english;
  guint translated;
} Reading;

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
read_text (Reading    *reading,
           const char *what,
           const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (rf_test_pseudo_is_english (allowed, text))
    g_string_append_printf (reading->english, "\n  %s: “%s”", what, text);
  else if (g_utf8_strchr (text, -1, '[') != NULL)
    reading->translated++;
}

/* GTK 4.8 has no getter for an accessible property: the test backend
 * answers a comparison with the value it holds instead. */
static char *
dup_accessible_text (GtkWidget             *widget,
                     GtkAccessibleProperty  property)
{
  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), property))
    return NULL;
  return gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, "\x01");
}

static void
read_menu (Reading    *reading,
           GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuLinkIter) links = g_menu_model_iterate_item_links (menu, i);
      GMenuModel *link;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        read_text (reading, "menu item", label);
      while (g_menu_link_iter_get_next (links, NULL, &link))
        {
          read_menu (reading, link);
          g_object_unref (link);
        }
    }
}

static void
read_widget (Reading   *reading,
             GtkWidget *widget,
             RfPage    *shown)
{
  g_autofree char *label = NULL;
  g_autofree char *description = NULL;

  /* A page the stack is leaving stays mapped while its transition runs;
   * the window's buttons (Close) say GTK's words. */
  if (!gtk_widget_get_mapped (widget) || (RF_IS_PAGE (widget) && RF_PAGE (widget) != shown) ||
      GTK_IS_WINDOW_CONTROLS (widget))
    return;
  if (GTK_IS_LABEL (widget))
    {
      read_text (reading, "label", gtk_label_get_text (GTK_LABEL (widget)));
      /* An accent without a glyph would show as a box: the fonts that
       * build-aux/setup-deps installs must have them all. */
      if (pango_layout_get_unknown_glyphs_count (gtk_label_get_layout (GTK_LABEL (widget))) > 0)
        g_string_append_printf (reading->english, "\n  label without glyphs: “%s”",
                                gtk_label_get_text (GTK_LABEL (widget)));
    }
  if (GTK_IS_PROGRESS_BAR (widget) && gtk_progress_bar_get_show_text (GTK_PROGRESS_BAR (widget)))
    read_text (reading, "progress", gtk_progress_bar_get_text (GTK_PROGRESS_BAR (widget)));
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    read_menu (reading, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));
  read_text (reading, "tooltip", gtk_widget_get_tooltip_text (widget));
  label = dup_accessible_text (widget, GTK_ACCESSIBLE_PROPERTY_LABEL);
  read_text (reading, "accessible name", label);
  description = dup_accessible_text (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
  read_text (reading, "accessible description", description);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    read_widget (reading, child, shown);
}

static void
wait_for_transition (RfWindow *window)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rf_window_get_visible_page (window)));

  while (gtk_stack_get_transition_running (GTK_STACK (stack)))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
}

/* Everything the window shows now is in the pseudo-language. */
static void
assert_all_translated (RfWindow   *window,
                       const char *where)
{
  Reading reading = { g_string_new (NULL), 0 };
  g_autoptr(GString) english = NULL;

  wait_for_transition (window);
  read_text (&reading, "window title", gtk_window_get_title (GTK_WINDOW (window)));
  read_widget (&reading, GTK_WIDGET (window), rf_window_get_visible_page (window));
  english = reading.english;
  /* Every page of the walk is read, and all that escaped is said at once. */
  if (english->len > 0)
    g_test_fail_printf ("%s (page “%s”): words not translated:%s", where,
                        rf_page_get_title (rf_window_get_visible_page (window)), english->str);
  /* The page's title and its buttons at least. */
  g_assert_cmpuint (reading.translated, >=, 3);
}

/* Every mapped label that neither wraps nor ellipsizes got at least its
 * minimum width: nothing is cut off. */
static void
assert_labels_whole (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          !gtk_label_get_wrap (GTK_LABEL (child)) &&
          gtk_label_get_ellipsize (GTK_LABEL (child)) == PANGO_ELLIPSIZE_NONE)
        {
          int minimum = 0;

          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
          if (gtk_widget_get_width (child) < minimum)
            g_error ("“%s” is cut: %d px of %d", gtk_label_get_label (GTK_LABEL (child)),
                     gtk_widget_get_width (child), minimum);
        }
      assert_labels_whole (child);
    }
}

/* What makes a page too wide: the widest widgets down the tree. */
static void
append_widest (GString   *out,
               GtkWidget *root,
               int        width,
               int        depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > width / 4)
        {
          g_string_append_printf (out, "\n%*s%s %s: %d", depth * 2, "", G_OBJECT_TYPE_NAME (child),
                                  GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : "",
                                  minimum);
          append_widest (out, child, width, depth + 1);
        }
    }
}

/* The page shown fits @width in the pseudo-language: the window needs no
 * more, and no label is cut. */
static void
assert_page_fits (RfWindow *window,
                  int       width)
{
  int minimum = 0;

  wait_for_transition (window);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  if (minimum > width)
    {
      g_autoptr(GString) widest = g_string_new (NULL);

      append_widest (widest, GTK_WIDGET (window), width, 0);
      g_error ("the page “%s” needs %d px, more than %d:%s",
               rf_page_get_title (rf_window_get_visible_page (window)), minimum, width,
               widest->str);
    }
  assert_labels_whole (GTK_WIDGET (window));
}

/* Every shipped practice drive, state in the test's folder, instant. */
static RfWindow *
create_window (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfSimSource) source = rf_sim_source_new (state_dir);
  RfWindow *window = rf_window_new (NULL);

  g_assert_no_error (error);
  monitor = rf_device_monitor_new (db);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  rf_window_set_monitor (window, monitor, db);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

static void
reset_practice_drive (const char *scenario)
{
  g_autoptr(RfSimSource) source = rf_sim_source_new (state_dir);
  g_autoptr(GError) error = NULL;
  RfSimDrive *drive = rf_sim_source_get_drive (source, scenario);

  g_assert_nonnull (drive);
  g_assert_true (rf_sim_drive_reset (drive, &error));
  g_assert_no_error (error);
}

static void
next (RfWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
}

/* A spinner on screen: a page still finding something out. */
static gboolean
shows_spinner (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      if (GTK_IS_SPINNER (child) && gtk_spinner_get_spinning (GTK_SPINNER (child)))
        return TRUE;
      if (shows_spinner (child))
        return TRUE;
    }
  return FALSE;
}

static gboolean
drives_listed (gpointer data)
{
  GtkWidget *page = GTK_WIDGET (rf_window_get_visible_page (RF_WINDOW (data)));

  return RF_IS_DRIVES_PAGE (page) && !shows_spinner (page);
}

static gboolean
diagnosed (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_DIAGNOSIS_PAGE (page) && !rf_diagnosis_page_is_checking (RF_DIAGNOSIS_PAGE (page)) &&
         !shows_spinner (GTK_WIDGET (page));
}

static gboolean
firmware_checked (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_FIRMWARE_PAGE (page) && !rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (page)) &&
         rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)) != NULL;
}

static gboolean
result_shown (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_RESULT_PAGE (page) && !shows_spinner (GTK_WIDGET (page));
}

static gboolean
writing_must_finish (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_WRITING_PAGE (page) && rf_writing_page_must_finish (RF_WRITING_PAGE (page));
}

/* Welcome, the drive list, and the diagnosis of the practice drive @id. */
static void
open_diagnosis (RfWindow   *window,
                const char *id)
{
  reset_practice_drive (id + strlen (RF_SIM_DEVICE_PREFIX));
  g_assert_true (rf_window_open_drive (window, id));
  next (window);
  wait_until (drives_listed, window);
  next (window);
  wait_until (diagnosed, window);
}

/* The Firmware page with the practice image for the drive shown: one that
 * fits (@fitting) or the crossflash to another model. */
static void
open_practice_firmware (RfWindow *window,
                        gboolean  fitting)
{
  next (window);
  g_assert_true (RF_IS_FIRMWARE_PAGE (rf_window_get_visible_page (window)));
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "firmware.practice", "b", fitting);
  wait_until (firmware_checked, window);
}

/* Before Writing, every box ticked. */
static RfConfirmPage *
open_confirm (RfWindow *window)
{
  RfConfirmPage *confirm;

  next (window);
  g_assert_true (RF_IS_CONFIRM_PAGE (rf_window_get_visible_page (window)));
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  return confirm;
}

static void
test_welcome_and_drives (void)
{
  RfWindow *window = create_window ();

  g_assert_true (RF_IS_WELCOME_PAGE (rf_window_get_visible_page (window)));
  assert_all_translated (window, "welcome");
  /* Every practice drive in its state: one row of each. */
  next (window);
  wait_until (drives_listed, window);
  assert_all_translated (window, "drive list");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The diagnosis of one practice drive (@data: its scenario's id): each
 * shipped scenario shows one drive state (data/practice/README.md). */
static void
test_diagnosis (gconstpointer data)
{
  const char *scenario = data;
  RfWindow *window = create_window ();
  g_autofree char *id = g_strconcat (RF_SIM_DEVICE_PREFIX, scenario, NULL);

  open_diagnosis (window, id);
  assert_all_translated (window, id);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct {
  const char *scenario;
  gboolean fitting;
} FirmwareCase;

/* Each kind of verdict: a recovery (the seed), an upgrade (a healthy drive),
 * a refusal (another model's firmware), an image no check can vouch for (a
 * standard download). */
static const FirmwareCase firmware_cases[] = {
  { "seed", TRUE },
  { "healthy-3550", TRUE },
  { "healthy-3550", FALSE },
  { "spc-generic", TRUE },
  { "interrupted-3550", TRUE },
};

static void
test_firmware (gconstpointer data)
{
  const FirmwareCase *c = data;
  RfWindow *window = create_window ();
  g_autofree char *id = g_strconcat (RF_SIM_DEVICE_PREFIX, c->scenario, NULL);

  open_diagnosis (window, id);
  open_practice_firmware (window, c->fitting);
  assert_all_translated (window, id);
  if (c->fitting)
    {
      open_confirm (window);
      assert_all_translated (window, id);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The chosen practice drive at @speed, so that the Writing page stays. */
static void
slow_down (RfConfirmPage *confirm,
           double         speed)
{
  g_autoptr(RfSimDrive) drive =
    rf_drive_presenter_dup_practice_drive (rf_confirm_page_get_device (confirm));

  rf_sim_drive_set_speed (drive, speed);
}

/* The seed's recovery: Writing while the flash must finish, then the result. */
static void
test_flash_recovered (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm;

  open_diagnosis (window, RF_SIM_DEVICE_PREFIX "seed");
  open_practice_firmware (window, TRUE);
  confirm = open_confirm (window);
  slow_down (confirm, 20.0);
  next (window);
  wait_until (writing_must_finish, window);
  assert_all_translated (window, "writing");
  wait_until (result_shown, window);
  assert_all_translated (window, "result: recovered");
  slow_down (confirm, 0.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Power fails in an erase (power-cut-3550): the result that asks for the
 * firmware again. */
static void
test_flash_power_cut (void)
{
  RfWindow *window = create_window ();

  open_diagnosis (window, RF_SIM_DEVICE_PREFIX "power-cut-3550");
  open_practice_firmware (window, TRUE);
  open_confirm (window);
  next (window);
  wait_until (result_shown, window);
  assert_all_translated (window, "result: needs firmware again");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
writing_shown (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_WRITING_PAGE (page) && rf_writing_page_is_running (RF_WRITING_PAGE (page));
}

/* Stopped while the firmware is backed up: the result that says nothing
 * changed. */
static void
test_flash_stopped (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm;

  open_diagnosis (window, RF_SIM_DEVICE_PREFIX "healthy-3550");
  open_practice_firmware (window, TRUE);
  confirm = open_confirm (window);
  slow_down (confirm, 5.0);
  next (window);
  wait_until (writing_shown, window);
  assert_all_translated (window, "writing: backup");
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)), "writing.cancel",
                              NULL);
  wait_until (result_shown, window);
  assert_all_translated (window, "result: stopped");
  slow_down (confirm, 0.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The seed's walk at @width × @height: every page fits the longer words. */
static void
walk_at_size (int width,
              int height)
{
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = rf_device_monitor_new (db);
  g_autoptr(RfSimSource) source = rf_sim_source_new (state_dir);

  g_assert_no_error (error);
  /* GNOME's window buttons, not the three of a session without settings. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  reset_practice_drive ("seed");
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  rf_window_set_monitor (window, monitor, db);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  assert_page_fits (window, width);
  g_assert_true (rf_window_open_drive (window, RF_SIM_DEVICE_PREFIX "seed"));
  next (window);
  wait_until (drives_listed, window);
  assert_page_fits (window, width);
  next (window);
  wait_until (diagnosed, window);
  assert_page_fits (window, width);
  open_practice_firmware (window, TRUE);
  assert_page_fits (window, width);
  open_confirm (window);
  assert_page_fits (window, width);
  next (window);
  wait_until (result_shown, window);
  assert_page_fits (window, width);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_fits_wide (void)
{
  walk_at_size (1024, 768);
}

static void
test_fits_narrow (void)
{
  walk_at_size (360, 720);
}

/* The made-up language, as PLATFORM.md §4 says glibc takes it: a UTF-8 C
 * locale, LANGUAGE, and neither LC_ALL nor LC_MESSAGES. */
static void
use_pseudo_language (const char *locale_dir)
{
  g_auto(GStrv) env = rf_test_pseudo_environ (g_get_environ (), locale_dir);

  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", g_environ_getenv (env, "LANG"), TRUE);
  g_setenv ("LANGUAGE", g_environ_getenv (env, "LANGUAGE"), TRUE);
  g_setenv (RF_LOCALEDIR_ENV, g_environ_getenv (env, RF_LOCALEDIR_ENV), TRUE);
  rf_locale_init ();
  /* Otherwise every text would be English and every case fail: say why. */
  if (!g_str_has_prefix (_("Welcome"), "["))
    g_error ("no pseudo-language catalogue in %s", locale_dir);
}

static void
add_diagnosis_cases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (&error);

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      const char *id = ((RfSimScenario *) g_ptr_array_index (scenarios, i))->id;
      g_autofree char *path = g_strconcat ("/reflash/pseudo-window/diagnosis/", id, NULL);

      g_test_add_data_func_full (path, g_strdup (id), test_diagnosis, g_free);
    }
}

static void
add_firmware_cases (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (firmware_cases); i++)
    {
      const FirmwareCase *c = &firmware_cases[i];
      g_autofree char *path = g_strdup_printf ("/reflash/pseudo-window/firmware/%s-%s",
                                               c->scenario, c->fitting ? "fits" : "other-model");

      g_test_add_data_func (path, c, test_firmware);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The in-process accessibility backend keeps every accessible property. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  state_dir = g_dir_make_tmp ("reflash-test-pseudo-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", state_dir, TRUE);
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  g_setenv ("XDG_DATA_HOME", state_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  if (argc != 2)
    g_error ("usage: %s [--tap] LOCALE_DIR", argv[0]);
  use_pseudo_language (argv[1]);
  adw_init ();
  allowed = rf_test_pseudo_allowed_new ();

  g_test_add_func ("/reflash/pseudo-window/welcome-and-drives", test_welcome_and_drives);
  add_diagnosis_cases ();
  add_firmware_cases ();
  g_test_add_func ("/reflash/pseudo-window/flash/recovered", test_flash_recovered);
  g_test_add_func ("/reflash/pseudo-window/flash/power-cut", test_flash_power_cut);
  g_test_add_func ("/reflash/pseudo-window/flash/stopped", test_flash_stopped);
  g_test_add_func ("/reflash/pseudo-window/fits/1024x768", test_fits_wide);
  g_test_add_func ("/reflash/pseudo-window/fits/360", test_fits_narrow);
  status = g_test_run ();
  g_regex_unref (allowed);
  rf_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
