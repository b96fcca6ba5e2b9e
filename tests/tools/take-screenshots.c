/* take-screenshots.c: the README's pictures of the wizard, from the real window
 *
 *   xvfb-run -a take-screenshots DIR
 *
 * Opens the wizard on the practice drives, in folders of its own, and walks
 * the story's bricked ND-3550A (practice:seed) to its recovery through the
 * same actions the buttons trigger. On the way it saves drives.png,
 * diagnosis.png, writing.png and result.png in DIR: the whole window, header
 * bar included, as GTK draws it. build-aux/screenshots runs it.
 *
 * Pictures that can be made again and compared: the light style, no
 * animations (the practice drive's light is drawn still), GNOME's window
 * buttons, one window size, English, and the Writing page caught at a point
 * of the flash rather than at a time. Each step that does not happen within
 * a minute ends the program with a message and exit status 1.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <stdio.h>
#include <stdlib.h>

#include "rf-confirm-page.h"
#include "rf-locale.h"
#include "rf-diagnosis-page.h"
#include "rf-drive-row.h"
#include "rf-drives-page.h"
#include "rf-firmware-page.h"
#include "rf-result-page.h"
#include "rf-sim.h"
#include "rf-test-util.h"
#include "rf-window.h"
#include "rf-writing-page.h"

#define DRIVE_SCENARIO "seed"
#define WINDOW_WIDTH 900
#define WINDOW_HEIGHT 700
/* Fast enough that the flash takes seconds, slow enough that the Writing
 * page is still on its point when the picture is taken. */
#define PRACTICE_SPEED 20.0
/* Where the Writing page is caught: halfway through the flash, which for
 * the seed is the middle of writing the new firmware (about 43 % to 66 %),
 * the step a person watches longest. The bar moves there in steps, one
 * block of firmware each, so the first step shown past the mark is the same
 * in every run. */
#define WRITING_PHASE RF_PHASE_PROGRAM
#define WRITING_FRACTION 0.50
#define STEP_TIMEOUT_S 60

typedef gboolean (*DoneFunc) (RfWindow *window);

/* The run's own XDG folders, removed however the program ends. */
static char *state_dir;

static void
fail (const char *message)
{
  fprintf (stderr, "take-screenshots: %s\n", message);
  if (state_dir != NULL)
    rf_test_remove_tree (state_dir);
  exit (1);
}

static void
wait_for (RfWindow   *window,
          DoneFunc    done,
          const char *what)
{
  gint64 give_up = g_get_monotonic_time () + STEP_TIMEOUT_S * G_USEC_PER_SEC;

  while (!done (window))
    {
      if (g_get_monotonic_time () > give_up)
        {
          g_autofree char *message =
            g_strdup_printf ("%s did not happen within %d s", what, STEP_TIMEOUT_S);

          fail (message);
        }
      /* Never blocks for long: the worker's progress and the frame clock
       * wake the loop, and the deadline is checked between. */
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* A spinner on screen means a page is still finding something out: a
 * picture then would show work in progress instead of its answer. */
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

static guint
count_drive_rows (GtkWidget *root)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (!gtk_widget_get_mapped (child))
        continue;
      n += RF_IS_DRIVE_ROW (child) ? 1 : count_drive_rows (child);
    }
  return n;
}

static gboolean
drives_listed (RfWindow *window)
{
  GtkWidget *page = GTK_WIDGET (rf_window_get_visible_page (window));

  return RF_IS_DRIVES_PAGE (page) && count_drive_rows (page) > 0 && !shows_spinner (page);
}

static gboolean
diagnosed (RfWindow *window)
{
  RfPage *page = rf_window_get_visible_page (window);

  return RF_IS_DIAGNOSIS_PAGE (page) && !rf_diagnosis_page_is_checking (RF_DIAGNOSIS_PAGE (page)) &&
         rf_page_get_complete (page) && !shows_spinner (GTK_WIDGET (page));
}

static gboolean
firmware_checked (RfWindow *window)
{
  RfPage *page = rf_window_get_visible_page (window);

  return RF_IS_FIRMWARE_PAGE (page) && !rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (page)) &&
         rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)) != NULL;
}

static GtkProgressBar *
find_progress_bar (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkProgressBar *found;

      if (GTK_IS_PROGRESS_BAR (child))
        return GTK_PROGRESS_BAR (child);
      found = find_progress_bar (child);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Judged by what the page shows, not by asking the job: a progress snapshot
 * is also a sample of the estimate of the time left, so asking often would
 * change the very line the picture shows. */
static gboolean
writing_at_point (RfWindow *window)
{
  RfPage *page = rf_window_get_visible_page (window);
  GtkProgressBar *bar;

  if (!RF_IS_WRITING_PAGE (page))
    return FALSE;
  bar = find_progress_bar (GTK_WIDGET (page));
  return bar != NULL && gtk_progress_bar_get_fraction (bar) >= WRITING_FRACTION;
}

static gboolean
result_shown (RfWindow *window)
{
  RfPage *page = rf_window_get_visible_page (window);

  return RF_IS_RESULT_PAGE (page) && !shows_spinner (GTK_WIDGET (page));
}

/* The window as drawn now, header bar included, rendered by the window's
 * own renderer to DIR/NAME.png. */
static void
save_shot (RfWindow   *window,
           const char *dir,
           const char *name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = g_strconcat (name, ".png", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  graphene_rect_t bounds;

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    fail ("the window drew nothing");
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &bounds);
  if (!gdk_texture_save_to_png (texture, path))
    {
      g_autofree char *message = g_strdup_printf ("could not write %s", path);

      fail (message);
    }
  printf ("%s: %s\n", path, rf_page_get_title (rf_window_get_visible_page (window)));
}

/* Everything the wizard keeps goes to @dir, so that no run sees another's
 * practice drives, backups or journals; the data and schema come from the
 * source and build trees unless the caller names others. */
static void
use_own_folders (const char *dir)
{
  g_setenv ("XDG_STATE_HOME", dir, TRUE);
  g_setenv ("XDG_DATA_HOME", dir, TRUE);
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_setenv ("XDG_RUNTIME_DIR", dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  if (g_getenv ("REFLASH_DATA_DIR") == NULL)
    g_setenv ("REFLASH_DATA_DIR", RF_SOURCE_DATA_DIR, TRUE);
  if (g_getenv ("GSETTINGS_SCHEMA_DIR") == NULL)
    g_setenv ("GSETTINGS_SCHEMA_DIR", RF_BUILD_SCHEMA_DIR, TRUE);
  /* The pictures are in English whatever the language of the session, or
   * in the language REFLASH_SCREENSHOTS_LANGUAGE names ("de", "he"), from
   * this build's catalogues. */
  g_unsetenv ("LC_ALL");
  g_unsetenv ("LC_MESSAGES");
  g_setenv ("LANG", "C.UTF-8", TRUE);
  if (g_getenv ("REFLASH_SCREENSHOTS_LANGUAGE") != NULL)
    {
      g_setenv ("LANGUAGE", g_getenv ("REFLASH_SCREENSHOTS_LANGUAGE"), TRUE);
      g_setenv ("REFLASH_LOCALEDIR", RF_BUILD_LOCALE_DIR, TRUE);
    }
  else
    g_unsetenv ("LANGUAGE");
}

/* The same look on every machine and every run. */
static void
fix_look (void)
{
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  g_object_set (gtk_settings_get_default (),
                "gtk-enable-animations", FALSE,
                "gtk-decoration-layout", "appmenu:close",
                NULL);
}

static RfWindow *
open_window (RfDeviceMonitor *monitor,
             RfDriveDb       *db)
{
  RfWindow *window = rf_window_new (NULL);

  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  gtk_window_set_resizable (GTK_WINDOW (window), FALSE);
  rf_window_set_monitor (window, monitor, db);
  gtk_window_present (GTK_WINDOW (window));
  if (!rf_window_open_drive (window, RF_SIM_DEVICE_PREFIX DRIVE_SCENARIO))
    fail ("the practice drive " RF_SIM_DEVICE_PREFIX DRIVE_SCENARIO " is not listed");
  return window;
}

static void
next (RfWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
}

/* Choose a Drive, Diagnosis, Firmware (the practice image that fits), Before
 * Writing with every box ticked. */
static void
walk_to_writing (RfWindow   *window,
                 const char *dir)
{
  RfConfirmPage *confirm;

  next (window);
  wait_for (window, drives_listed, "listing the practice drives");
  save_shot (window, dir, "drives");
  next (window);
  wait_for (window, diagnosed, "the deep check on the Diagnosis page");
  save_shot (window, dir, "diagnosis");
  next (window);
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "firmware.practice", "b", TRUE);
  wait_for (window, firmware_checked, "the check of the practice firmware");
  next (window);
  if (!RF_IS_CONFIRM_PAGE (rf_window_get_visible_page (window)))
    fail ("the Before Writing page did not follow the Firmware page");
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
}

/* The picture shows what a person on a desktop sees: the step it is meant
 * to, and no warning that only a computer without logind gives. */
static void
check_writing_shot (RfWritingPage *writing)
{
  RfFlashJob *job = rf_writing_page_get_job (writing);
  RfProgressSnapshot snapshot = { 0 };
  g_autoptr(GError) refusal = NULL;

  rf_progress_get_snapshot (rf_job_get_progress (RF_JOB (job)), &snapshot);
  if (snapshot.phase != WRITING_PHASE)
    {
      g_autofree char *message =
        g_strdup_printf ("the Writing page was caught in the phase %s, not %s",
                         rf_phase_to_nick (snapshot.phase), rf_phase_to_nick (WRITING_PHASE));

      fail (message);
    }
  refusal = rf_flash_job_dup_inhibit_refusal (job);
  if (refusal != NULL)
    fprintf (stderr, "take-screenshots: warning: writing.png shows that suspending could not "
             "be blocked (%s); build-aux/screenshots gives the program a stand-in logind\n",
             refusal->message);
}

/* The flash, caught at its point, then its end. */
static void
write_and_finish (RfWindow   *window,
                  const char *dir)
{
  RfWritingPage *writing;
  const GError *error;

  next (window);
  if (!RF_IS_WRITING_PAGE (rf_window_get_visible_page (window)))
    fail ("the flash did not start");
  writing = RF_WRITING_PAGE (rf_window_get_visible_page (window));
  wait_for (window, writing_at_point, "writing the new firmware");
  save_shot (window, dir, "writing");
  check_writing_shot (writing);
  wait_for (window, result_shown, "the end of the flash");
  error = rf_writing_page_get_error (writing);
  if (error != NULL)
    {
      g_autofree char *message = g_strdup_printf ("the flash failed: %s", error->message);

      fail (message);
    }
  save_shot (window, dir, "result");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfSimSource) source = NULL;
  RfWindow *window;

  if (argc != 2)
    {
      fprintf (stderr, "Usage: %s DIR\n", argv[0]);
      return 2;
    }
  if (g_mkdir_with_parents (argv[1], 0755) != 0)
    fail ("cannot create the output folder");
  state_dir = g_dir_make_tmp ("reflash-screenshots-XXXXXX", &error);
  if (state_dir == NULL)
    fail (error->message);
  use_own_folders (state_dir);
  rf_locale_init ();
  gtk_init ();
  adw_init ();
  fix_look ();

  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    fail (error->message);
  monitor = rf_device_monitor_new (db);
  source = rf_sim_source_new (state_dir);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  /* Every practice drive is instant but the one whose flash is shown. */
  rf_sim_drive_set_speed (rf_sim_source_get_drive (source, DRIVE_SCENARIO), PRACTICE_SPEED);
  window = open_window (monitor, db);
  walk_to_writing (window, argv[1]);
  write_and_finish (window, argv[1]);

  gtk_window_destroy (GTK_WINDOW (window));
  rf_test_remove_tree (state_dir);
  g_clear_pointer (&state_dir, g_free);
  return 0;
}
