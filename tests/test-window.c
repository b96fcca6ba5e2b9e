/* test-window.c: the wizard's shell, built without running the application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-confirm-page.h"
#include "rf-diagnosis-page.h"
#include "rf-drive-presenter.h"
#include "rf-test-standins.h"
#include "rf-details-group.h"
#include "rf-drive-row.h"
#include "rf-drives-page.h"
#include "rf-firmware-page.h"
#include "rf-journal.h"
#include "rf-must-finish.h"
#include "rf-page.h"
#include "rf-result-page.h"
#include "rf-sim.h"
#include "rf-welcome-page.h"
#include "rf-window.h"
#include "rf-writing-page.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

static char *state_dir;

/* Every shipped practice drive, through the source the application registers;
 * state in a temporary folder, and instant (a newly opened practice drive runs at
 * speed 0). */
static void
give_window_drives (RfWindow *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfSimSource) source = rf_sim_source_new (state_dir);

  g_assert_no_error (error);
  monitor = rf_device_monitor_new (db);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  rf_window_set_monitor (window, monitor, db);
}

static void
wait_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, give_up);
      g_main_context_iteration (NULL, TRUE);
    }
}

static RfWindow *
create_window_with_journals (RfJournalStore *journals)
{
  RfWindow *window = rf_window_new (NULL);

  if (journals != NULL)
    rf_window_set_journal_store (window, journals);
  give_window_drives (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  return window;
}

/* Without a store of its own the window reads the user's journals: the test's
 * XDG_STATE_HOME, where no journal is open. */
static RfWindow *
create_window (void)
{
  return create_window_with_journals (NULL);
}

static GtkWidget *
find_button_for_action (GtkWidget  *root,
                        const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      /* What the person can see: a hidden button does not count. */
      if (!gtk_widget_get_visible (child))
        continue;
      if (GTK_IS_BUTTON (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return child;
      found = find_button_for_action (child, action);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Until the page shown has slid in. */
static void
wait_for_transition (RfWindow *window)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rf_window_get_visible_page (window)));

  while (gtk_stack_get_transition_running (GTK_STACK (stack)))
    g_main_context_iteration (NULL, TRUE);
}

/* Whether a button for @action is on screen (mapped) under @root. */
static gboolean
shows_button_for_action (GtkWidget  *root,
                         const char *action)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (child)), action) == 0)
        return TRUE;
      if (shows_button_for_action (child, action))
        return TRUE;
    }
  return FALSE;
}

static gboolean
button_sensitive (RfWindow   *window,
                  const char *action)
{
  GtkWidget *button = find_button_for_action (GTK_WIDGET (window), action);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

/* Whether the header bar's practice tag is shown. */
static gboolean
shows_practice_tag (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_has_css_class (child, "practice-tag") && gtk_widget_get_mapped (child))
        return TRUE;
      if (shows_practice_tag (child))
        return TRUE;
    }
  return FALSE;
}

/* Whether a mapped label under @root shows exactly @text: what the user reads. */
static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), text) == 0)
        return TRUE;
      if (shows_label (child, text))
        return TRUE;
    }
  return FALSE;
}

static gboolean
shows_text_containing (GtkWidget  *root,
                       const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          strstr (gtk_label_get_label (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (shows_text_containing (child, text))
        return TRUE;
    }
  return FALSE;
}

/* Whether @widget is a button that runs @action. */
static gboolean
presses (GtkWidget  *widget,
         const char *action)
{
  return GTK_IS_ACTIONABLE (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), action) == 0;
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
  g_assert_true (shows_label (GTK_WIDGET (window), "Bring Your Drive Back"));
  /* First page: nowhere to go back to; reading it is all it asks. */
  g_assert_false (button_sensitive (window, "wizard.back"));
  g_assert_true (button_sensitive (window, "wizard.next"));
  /* Enter goes on. */
  g_assert_true (presses (gtk_window_get_default_widget (GTK_WINDOW (window)), "wizard.next"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
practice_rows_probed (gpointer data)
{
  /* The practice drives show what their passive look found instead of a
   * spinner: the seed in safe mode. */
  return shows_label (GTK_WIDGET (data), "Safe mode");
}

static gboolean
diagnosis_done (gpointer data)
{
  RfWindow *window = data;
  RfPage *page = rf_window_get_visible_page (window);

  return RF_IS_DIAGNOSIS_PAGE (page) && !rf_diagnosis_page_is_checking (RF_DIAGNOSIS_PAGE (page));
}

static void
test_next_back_follow_complete (void)
{
  RfWindow *window = create_window ();
  RfPage *drives;

  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  drives = rf_window_get_visible_page (window);
  g_assert_true (RF_IS_DRIVES_PAGE (drives));
  g_assert_true (button_sensitive (window, "wizard.back"));

  /* No drive chosen: Next is off, and activating it does nothing. */
  g_assert_false (rf_page_get_complete (drives));
  g_assert_false (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (rf_window_get_visible_page (window) == drives);

  /* The passive look shows each practice drive's state in plain words. */
  wait_until (practice_rows_probed, window);
  /* Seen only by their standard answers, working drives are not called
   * working: the full check may still find them blocked or mismatched. */
  g_assert_false (shows_label (GTK_WIDGET (window), "Working"));
  g_assert_true (shows_label (GTK_WIDGET (window), "Not checked yet"));
  /* Practice drives are named by their story, and show the model they answer as. */
  g_assert_true (shows_label (GTK_WIDGET (window), "ND-3550A after a failed crossflash"));
  g_assert_true (shows_label (GTK_WIDGET (window), "Firmware 0.05 · ND-3550A"));

  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  g_assert_true (rf_page_get_complete (drives));
  g_assert_true (button_sensitive (window, "wizard.next"));
  g_assert_false (rf_window_open_drive (window, "practice:no-such-drive"));

  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.back", NULL);
  g_assert_true (RF_IS_WELCOME_PAGE (rf_window_get_visible_page (window)));
  g_assert_false (button_sensitive (window, "wizard.back"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_diagnosis_of_the_seed (void)
{
  RfWindow *window = create_window ();
  RfDevice *device;

  /* Chosen from the command line: the welcome still comes first. */
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  g_assert_true (RF_IS_WELCOME_PAGE (rf_window_get_visible_page (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (RF_IS_DRIVES_PAGE (rf_window_get_visible_page (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);

  device = rf_diagnosis_page_get_device (RF_DIAGNOSIS_PAGE (rf_window_get_visible_page (window)));
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpint (rf_device_get_probe_depth (device), ==, RF_PROBE_DEPTH_DEEP);
  /* The user reads both identities and which firmware fits. */
  /* The headline in plain words; the mismatch is explained below it. */
  g_assert_true (shows_label (GTK_WIDGET (window), "The firmware is missing — this can be repaired"));
  g_assert_false (shows_label (GTK_WIDGET (rf_window_get_visible_page (window)), "Identity mismatch"));
  g_assert_true (shows_text_containing (GTK_WIDGET (window),
                                        "bootcode belongs to another model than its stored identity"));
  g_assert_true (shows_label (GTK_WIDGET (window), "ND-4551A"));
  g_assert_true (shows_label (GTK_WIDGET (window), "ND-3550A"));
  g_assert_true (shows_label (GTK_WIDGET (window), "05"));
  /* Safe mode and the mismatch are both explained; the light is described. */
  g_assert_true (shows_text_containing (GTK_WIDGET (window), "Only the bootcode is running"));
  g_assert_true (shows_label (GTK_WIDGET (window), "Blinking"));
  g_assert_true (rf_page_get_complete (rf_window_get_visible_page (window)));
  gtk_window_destroy (GTK_WINDOW (window));
}


static RfDevice *
diagnosed_device (RfWindow *window)
{
  return rf_diagnosis_page_get_device (RF_DIAGNOSIS_PAGE (rf_window_get_visible_page (window)));
}

/* Each mnemonic on the page shown moves to one control: two visible labels
 * with the same underlined letter would make Alt+letter cycle between them. */
static void
collect_mnemonics (GtkWidget  *widget,
                   RfPage     *shown,
                   GHashTable *seen,
                   GString    *clashes)
{
  /* A page the stack is leaving stays mapped while its transition runs. */
  if (!gtk_widget_get_mapped (widget) || (RF_IS_PAGE (widget) && RF_PAGE (widget) != shown))
    return;
  if (GTK_IS_LABEL (widget) && gtk_label_get_use_underline (GTK_LABEL (widget)) &&
      gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)) != GDK_KEY_VoidSymbol)
    {
      guint key = gdk_keyval_to_lower (gtk_label_get_mnemonic_keyval (GTK_LABEL (widget)));
      const char *other = g_hash_table_lookup (seen, GUINT_TO_POINTER (key));

      if (other != NULL)
        g_string_append_printf (clashes, " \"%s\" and \"%s\"", other,
                                gtk_label_get_label (GTK_LABEL (widget)));
      else
        g_hash_table_insert (seen, GUINT_TO_POINTER (key),
                             (gpointer) gtk_label_get_label (GTK_LABEL (widget)));
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mnemonics (child, shown, seen, clashes);
}

static void
assert_mnemonics_unique (RfWindow *window)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GString) clashes = g_string_new (NULL);

  collect_mnemonics (GTK_WIDGET (window), rf_window_get_visible_page (window), seen, clashes);
  if (clashes->len > 0)
    g_error ("page %s: one mnemonic for two controls:%s",
             rf_page_get_title (rf_window_get_visible_page (window)), clashes->str);
}

/* A practice control changes the drive, and the page checks it again: the
 * disc-in drive is busy, ready once its disc is out, busy with a disc back
 * in; Reset puts back its scenario. */
static void
test_practice_controls (void)
{
  RfWindow *window = create_window ();
  RfDevice *device;

  g_assert_true (rf_window_open_drive (window, "practice:disc-3550"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  device = diagnosed_device (window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_true (shows_label (GTK_WIDGET (window), "Practice Drive"));
  g_assert_true (shows_label (GTK_WIDGET (window), "A disc is inside"));
  g_assert_false (button_sensitive (window, "wizard.next"));
  assert_mnemonics_unique (window);

  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.practice-disc", NULL);
  g_assert_true (rf_diagnosis_page_is_checking (RF_DIAGNOSIS_PAGE (rf_window_get_visible_page (window))));
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  g_assert_true (shows_label (GTK_WIDGET (window), "No disc inside"));
  g_assert_true (button_sensitive (window, "wizard.next"));

  /* Check Again gives the same new answer. */
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.check-again", NULL);
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);

  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.practice-reset", NULL);
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_true (shows_label (GTK_WIDGET (window), "A disc is inside"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* `reflash-cli practice remove-disc` while the wizard shows the drive: the
 * other program saves the drive, and Check Again gives its answer. */
static void
test_practice_changed_elsewhere (void)
{
  RfWindow *window = create_window ();
  g_autoptr(RfSimDrive) elsewhere = NULL;
  g_autoptr(GError) error = NULL;
  RfDevice *device;

  g_assert_true (rf_window_open_drive (window, "practice:disc-3550"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  device = diagnosed_device (window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);

  /* As the CLI does it: its own copy of the drive, from the saved state. */
  elsewhere = rf_sim_drive_open ("disc-3550", state_dir, &error);
  g_assert_no_error (error);
  rf_sim_drive_set_disc (elsewhere, FALSE);
  g_clear_object (&elsewhere);

  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.check-again", NULL);
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  g_assert_true (shows_label (GTK_WIDGET (window), "No disc inside"));

  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.practice-reset", NULL);
  wait_until (diagnosis_done, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Switched off and on, the bricked seed comes back in safe mode, blinking. */
static void
test_practice_power_cycle (void)
{
  RfWindow *window = create_window ();

  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.practice-power-cycle", NULL);
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (diagnosed_device (window)), ==,
                   RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_true (shows_label (GTK_WIDGET (window), "Blinking"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
firmware_checked (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return !rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (page)) &&
         rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)) != NULL;
}

static void
check_practice_firmware (RfWindow *window,
                         gboolean  fitting)
{
  RfPage *page = rf_window_get_visible_page (window);

  gtk_widget_activate_action (GTK_WIDGET (page), "firmware.practice", "b", fitting);
  g_assert_true (rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (page)));
  wait_until (firmware_checked, window);
}

static void
test_firmware_for_the_seed (void)
{
  RfWindow *window = create_window ();
  RfPage *page;
  RfVerdict *verdict;

  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  g_assert_true (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  g_assert_true (RF_IS_FIRMWARE_PAGE (page));
  g_assert_false (rf_page_get_complete (page));

  /* The ND-3550A firmware for bootcode 05 brings the seed back. */
  check_practice_firmware (window, TRUE);
  verdict = rf_firmware_check_get_verdict (rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)));
  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_RECOVERY);
  g_assert_true (shows_label (GTK_WIDGET (window), "This firmware brings the drive back"));
  g_assert_true (shows_label (GTK_WIDGET (window), "ND-3550A"));
  g_assert_true (rf_page_get_complete (page));

  /* The ND-4551A firmware is what bricked it: refused, and the page says why. */
  check_practice_firmware (window, FALSE);
  verdict = rf_firmware_check_get_verdict (rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)));
  g_assert_cmpint (rf_verdict_get_reason (verdict), ==, RF_VERDICT_REASON_CROSSFLASH);
  g_assert_true (shows_label (GTK_WIDGET (window), "This file must not be written to this drive"));
  g_assert_true (shows_text_containing (GTK_WIDGET (window), "ND-3550A"));
  g_assert_false (rf_page_get_complete (page));
  /* No way forward to writing it. */
  g_assert_false (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (rf_window_get_visible_page (window) == page);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void reset_practice_drive (const char *scenario);

/* Writes @bytes to a file of the test's own and opens it on the Firmware page. */
static void
open_firmware_bytes (RfWindow   *window,
                     const char *name,
                     GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (state_dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  rf_firmware_page_open_file (RF_FIRMWARE_PAGE (rf_window_get_visible_page (window)), path);
  wait_until (firmware_checked, window);
}

/* The Firmware page in a person's words: which firmware the drive takes; a
 * whole file is "Intact", its numbers under Technical Details; a damaged
 * file still says what it claims to be; a file that is no firmware at all
 * gets no empty "What the File Holds". */
static void
test_firmware_words (void)
{
  RfWindow *window = create_window ();
  RfPage *page;
  g_autoptr(GBytes) damaged = rf_test_image_damaged (RF_TEST_DAMAGE_CHECKSUM);
  g_autoptr(GBytes) noise = rf_test_image_damaged (RF_TEST_DAMAGE_RANDOM);

  reset_practice_drive ("seed");
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  /* Codes and raw answers are technical details, folded away. */
  page = rf_window_get_visible_page (window);
  g_assert_true (shows_label (GTK_WIDGET (page), "Model"));
  g_assert_false (shows_label (GTK_WIDGET (page), "K451"));
  g_assert_false (shows_label (GTK_WIDGET (page), "ND30"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  g_assert_true (shows_label (GTK_WIDGET (page),
                              "This drive takes ND-3550A firmware made for bootcode version 05."));

  /* The crossflash is refused; which firmware fits is said once, above. */
  check_practice_firmware (window, FALSE);
  g_assert_false (shows_text_containing (GTK_WIDGET (page), "Use the firmware for"));

  check_practice_firmware (window, TRUE);
  g_assert_true (shows_label (GTK_WIDGET (page), "Intact"));
  g_assert_false (shows_text_containing (GTK_WIDGET (page), "Correct"));

  open_firmware_bytes (window, "damaged.bin", damaged);
  g_assert_true (shows_label (GTK_WIDGET (page), "Damaged: its contents do not add up"));
  g_assert_true (shows_label (GTK_WIDGET (page), "ND-3550A"));
  g_assert_true (shows_label (GTK_WIDGET (page), "1.05"));
  g_assert_false (rf_page_get_complete (page));

  open_firmware_bytes (window, "noise.bin", noise);
  g_assert_false (shows_label (GTK_WIDGET (page), "What the File Holds"));
  g_assert_false (rf_page_get_complete (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
bridge_diagnosed (gpointer data)
{
  return diagnosis_done (data);
}

static void
test_no_firmware_step_for_a_blocked_drive (void)
{
  RfWindow *window = create_window ();

  g_assert_true (rf_window_open_drive (window, "practice:bridge-3550"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (bridge_diagnosed, window);
  g_assert_true (shows_label (GTK_WIDGET (window), "The connection blocks firmware commands"));
  /* Nothing Reflash could write through this connection: no way on. */
  g_assert_false (button_sensitive (window, "wizard.next"));
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

/* While a drive is being brought back from safe mode the window refuses to
 * close and says why; afterwards it closes as usual. */
static void
test_close_waits_for_drive (void)
{
  RfWindow *window = create_window ();
  /* (transfer none): GTK's own list, never unreffed here. */
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint before = g_list_model_get_n_items (toplevels);

  g_object_ref (window);
  rf_must_finish_begin ("test");
  gtk_window_close (GTK_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  /* The dialog that says why. */
  g_assert_cmpuint (g_list_model_get_n_items (toplevels), ==, before + 1);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (toplevel))
        {
          g_assert_cmpstr (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (toplevel)), ==,
                           "The Drive Is Being Brought Back");
          gtk_window_destroy (toplevel);
        }
    }
  rf_must_finish_end ();
  gtk_window_close (GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_finalize_object (window);
}

static void
test_window_finalizes (void)
{
  RfWindow *window = create_window ();

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);
}


/* ---- an interrupted flash (issue 17): the journal read at start ---- */

/* A journal of a flash of ND-3550A firmware 1.06 to the practice drive
 * @scenario, interrupted at @phase, written with the core's own API in a
 * journal folder of the test's own. */
static RfJournalStore *
write_practice_journal (const char     *scenario,
                        RfJournalPhase  phase)
{
  static guint count;
  g_autofree char *folder = g_strdup_printf ("%s/journals-%u", state_dir, count++);
  RfJournalStore *store = rf_journal_store_new (folder);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfSimSource) source = rf_sim_source_new (state_dir);
  g_autofree char *id = g_strconcat ("practice:", scenario, NULL);
  g_autoptr(RfDevice) device = rf_device_source_lookup (RF_DEVICE_SOURCE (source), id);
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autoptr(RfJournal) journal = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (device);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (device);
  journal = rf_journal_store_begin (store, device, identity, "recovery", "ND3550A_106.bin", "1.06",
                                    image, &error);
  g_assert_no_error (error);
  if (phase != RF_JOURNAL_PHASE_STARTED)
    g_assert_true (rf_journal_set_phase (journal, phase, &error));
  g_assert_no_error (error);
  return store;
}

/* The one file of the journal in @store ending in @suffix. */
static char *
journal_file (RfJournalStore *store,
              const char     *suffix)
{
  g_autoptr(GDir) dir = g_dir_open (rf_journal_store_get_directory (store), 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, suffix))
      return g_build_filename (rf_journal_store_get_directory (store), name, NULL);
  g_assert_not_reached ();
}

static guint
count_text_containing (GtkWidget  *root,
                       const char *text)
{
  guint n = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) &&
          strstr (gtk_label_get_label (GTK_LABEL (child)), text) != NULL)
        n++;
      n += count_text_containing (child, text);
    }
  return n;
}

#define INTERRUPTED_MARK "Interrupted flash — needs to be finished"

static gboolean
all_rows_probed (gpointer data)
{
  return practice_rows_probed (data) && !shows_text_containing (GTK_WIDGET (data),
                                                                "Looking for the drive");
}

static void
go_to_drives (RfWindow *window)
{
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (RF_IS_DRIVES_PAGE (rf_window_get_visible_page (window)));
  wait_until (all_rows_probed, window);
}

/* Tab stops in @widget and below: visible widgets that take the focus. */
static guint
count_tab_stops (GtkWidget *widget)
{
  guint n = gtk_widget_get_visible (widget) && gtk_widget_get_focusable (widget) &&
            !GTK_IS_LIST_BOX (widget) ? 1 : 0;

  if (!gtk_widget_get_visible (widget))
    return 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_tab_stops (child);
  return n;
}

/* Calls @check on every AdwActionRow in @widget's tree. */
static void
each_details_row (GtkWidget *widget,
                  guint     *rows)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child) && gtk_widget_get_ancestor (child, RF_TYPE_DETAILS_GROUP))
        {
          g_assert_cmpuint (count_tab_stops (child), ==, 1);
          (*rows)++;
          continue;
        }
      each_details_row (child, rows);
    }
}

/* Each details row costs one Tab stop, not two (the row and its value). */
static void
test_details_one_tab_stop (void)
{
  RfWindow *window = create_window ();
  guint rows = 0;

  reset_practice_drive ("seed");
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  each_details_row (GTK_WIDGET (rf_window_get_visible_page (window)), &rows);
  g_assert_cmpuint (rows, >=, 5);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
has_text_child (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_get_visible (widget) &&
      *gtk_label_get_label (GTK_LABEL (widget)) != '\0')
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_text_child (child))
      return TRUE;
  return FALSE;
}

/* A "labelled by" relation names a control only if what it points at has
 * words; GTK 4.8 cannot tell what it points at, so only the one kind used
 * here counts: a check box labelled by the title of the row it sits in.
 * (GtkButton points at its child, an icon for an icon-only button.) */
static gboolean
labelled_by_its_row (GtkWidget *widget)
{
  GtkWidget *row = gtk_widget_get_ancestor (widget, ADW_TYPE_PREFERENCES_ROW);

  return gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY) &&
         row != NULL && *adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) != '\0';
}

/* GTK 4.8 reports a menu button's inner toggle to screen readers as the menu
 * button itself (the keyboard walk hears "push button: Main Menu"): the
 * toggle is named when its menu button is. */
static gboolean
named_by_its_menu_button (GtkWidget *widget)
{
  GtkWidget *menu_button = gtk_widget_get_parent (widget);

  return GTK_IS_TOGGLE_BUTTON (widget) && GTK_IS_MENU_BUTTON (menu_button) &&
         gtk_test_accessible_has_property (GTK_ACCESSIBLE (menu_button),
                                           GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* Every control a person can reach has a name a screen reader can say: an
 * accessible label, a "labelled by" relation, or text of its own (GTK 4.8
 * cannot compute the name itself). Unnamed ones are appended to @unnamed. */
static void
find_unnamed_controls (GtkWidget *widget,
                       GString   *unnamed)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (gtk_widget_get_focusable (widget) && !GTK_IS_LIST_BOX (widget) &&
      !GTK_IS_SCROLLED_WINDOW (widget) && !GTK_IS_VIEWPORT (widget) &&
      !gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL) &&
      !labelled_by_its_row (widget) && !named_by_its_menu_button (widget) &&
      !has_text_child (widget))
    g_string_append_printf (unnamed, " %s(%s)", G_OBJECT_TYPE_NAME (widget),
                            gtk_widget_get_tooltip_text (widget) ?: "");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    find_unnamed_controls (child, unnamed);
}

static void
assert_every_control_named (RfWindow *window)
{
  g_autoptr(GString) unnamed = g_string_new (NULL);

  find_unnamed_controls (GTK_WIDGET (window), unnamed);
  if (unnamed->len > 0)
    g_error ("page %s: controls without a name:%s",
             rf_page_get_title (rf_window_get_visible_page (window)), unnamed->str);
  assert_mnemonics_unique (window);
}

/* Welcome to Before Writing on the seed: no control without a name. */
static void
test_every_control_named (void)
{
  RfWindow *window = create_window ();

  reset_practice_drive ("seed");
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  assert_every_control_named (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (all_rows_probed, window);
  assert_every_control_named (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  assert_every_control_named (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  assert_every_control_named (window);
  check_practice_firmware (window, TRUE);
  assert_every_control_named (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  assert_every_control_named (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The row of the drive list that holds the keyboard focus, if any. */
static RfDriveRow *
focused_drive_row (RfWindow *window)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  if (focus == NULL)
    return NULL;
  return RF_IS_DRIVE_ROW (focus) ? RF_DRIVE_ROW (focus)
                                 : (RfDriveRow *) gtk_widget_get_ancestor (focus, RF_TYPE_DRIVE_ROW);
}

/* Moving the focus through the drive list never changes the chosen drive;
 * the chosen drive has the focus (and so is in view) when the page opens;
 * activating a row chooses its drive and goes on. */
static void
test_drive_list_focus (void)
{
  RfWindow *window = create_window ();
  RfDrivesPage *page;
  RfDriveRow *row;
  RfDevice *seed;
  RfDriveRow *other;

  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  go_to_drives (window);
  page = RF_DRIVES_PAGE (rf_window_get_visible_page (window));
  seed = rf_drives_page_get_selected_device (page);
  g_assert_cmpstr (rf_device_get_id (seed), ==, "practice:seed");
  row = focused_drive_row (window);
  g_assert_nonnull (row);
  g_assert_true (rf_drive_row_get_device (row) == seed);
  g_assert_true (rf_drive_row_get_chosen (row));

  /* Down the list with the arrow key, then through every
   * control of the page: the chosen drive stays the seed. */
  other = NULL;
  for (guint i = 0; i < 4; i++)
    {
      /* What the Down arrow key does in a list (a key binding). */
      row = focused_drive_row (window);
      g_signal_emit_by_name (gtk_widget_get_parent (GTK_WIDGET (row)), "move-cursor",
                             GTK_MOVEMENT_DISPLAY_LINES, 1, FALSE, FALSE);
      row = focused_drive_row (window);
      if (other == NULL && row != NULL && rf_drive_row_get_device (row) != seed)
        other = row;
      g_assert_true (rf_drives_page_get_selected_device (page) == seed);
    }
  for (guint i = 0; i < 30; i++)
    {
      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      g_assert_true (rf_drives_page_get_selected_device (page) == seed);
    }
  g_assert_nonnull (other);
  row = other;

  /* Activation chooses. */
  gtk_widget_activate (GTK_WIDGET (row));
  g_assert_true (rf_drives_page_get_selected_device (page) == rf_drive_row_get_device (row));
  g_assert_true (rf_drive_row_get_chosen (row));
  g_assert_true (RF_IS_DIAGNOSIS_PAGE (rf_window_get_visible_page (window)));
  wait_until (diagnosis_done, window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The drive list says, above the drives, that a flash was interrupted and its
 * firmware kept, and marks that drive, and only that one. */
static void
test_journal_notice_and_mark (void)
{
  g_autoptr(RfJournalStore) journals =
    write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_ERASING);
  RfWindow *window = create_window_with_journals (journals);

  go_to_drives (window);
  g_assert_true (shows_text_containing (
    GTK_WIDGET (window), "Reflash was interrupted while writing firmware to the practice drive "
                         "ND-3550A. It kept a copy of that firmware, so the drive can still be "
                         "brought back"));
  g_assert_true (shows_label (GTK_WIDGET (window), "A Flash Was Interrupted"));
  /* The interrupted-3550 practice drive, not the seed (also a K355 bootcode). */
  g_assert_cmpuint (count_text_containing (GTK_WIDGET (window), INTERRUPTED_MARK), ==, 1);
  g_assert_true (shows_label (GTK_WIDGET (window), INTERRUPTED_MARK));
  g_assert_false (shows_text_containing (GTK_WIDGET (window), "May be the drive"));
  /* One drive it can be: the notice's button leads there. */
  g_assert_true (shows_button_for_action (GTK_WIDGET (window), "wizard.resume"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* No journal: no notice, no mark. */
static void
test_journal_none (void)
{
  RfWindow *window = create_window ();

  go_to_drives (window);
  g_assert_false (shows_label (GTK_WIDGET (window), "A Flash Was Interrupted"));
  g_assert_cmpuint (count_text_containing (GTK_WIDGET (window), INTERRUPTED_MARK), ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A journal whose drive is not listed: kept, and the person told to connect it. */
static void
test_journal_drive_not_found (void)
{
  g_autoptr(RfJournalStore) journals =
    write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_PROGRAMMED);
  g_autofree char *path = journal_file (journals, ".journal");
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  RfWindow *window;

  /* The journal of a practice drive that is no longer installed. */
  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, &error));
  g_key_file_set_string (file, "Drive", "Port", "practice:gone-3550");
  g_assert_true (g_key_file_save_to_file (file, path, &error));
  g_assert_no_error (error);
  window = create_window_with_journals (journals);
  go_to_drives (window);
  g_assert_true (shows_text_containing (GTK_WIDGET (window),
                                        "and that drive was not found. The copy of the firmware "
                                        "is kept: connect the drive"));
  g_assert_cmpuint (count_text_containing (GTK_WIDGET (window), INTERRUPTED_MARK), ==, 0);
  /* No drive to continue on. */
  g_assert_false (shows_button_for_action (GTK_WIDGET (window), "wizard.resume"));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  gtk_window_destroy (GTK_WINDOW (window));
}

static RfPage *
open_diagnosis (RfWindow   *window,
                const char *id)
{
  g_assert_true (rf_window_open_drive (window, id));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  return rf_window_get_visible_page (window);
}

static gboolean
firmware_settled (gpointer data)
{
  return !rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (rf_window_get_visible_page (data)));
}

/* The diagnosis says when the flash stopped; the firmware page offers the
 * kept copy, which brings the drive back. */
static void
test_journal_diagnosis_and_firmware (void)
{
  g_autoptr(RfJournalStore) journals =
    write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_ERASING);
  RfWindow *window = create_window_with_journals (journals);
  RfPage *page;
  RfVerdict *verdict;

  open_diagnosis (window, "practice:interrupted-3550");
  g_assert_true (shows_label (GTK_WIDGET (window), "Interrupted Flash"));
  g_assert_true (shows_text_containing (
    GTK_WIDGET (window), "A flash of firmware 1.06 to the practice drive ND-3550A was "
                         "interrupted while the old firmware was being erased."));
  g_assert_false (shows_text_containing (GTK_WIDGET (window), "not the drive"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  g_assert_true (RF_IS_FIRMWARE_PAGE (page));
  g_assert_true (shows_label (GTK_WIDGET (window), "Firmware of the interrupted flash"));
  g_assert_true (shows_label (GTK_WIDGET (window),
                              "Version 1.06 (ND3550A_106.bin): the copy Reflash kept"));

  gtk_widget_activate_action (GTK_WIDGET (page), "firmware.journal", NULL);
  g_assert_true (rf_firmware_page_is_loading (RF_FIRMWARE_PAGE (page)));
  wait_until (firmware_checked, window);
  verdict = rf_firmware_check_get_verdict (rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)));
  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_RECOVERY);
  g_assert_true (shows_label (GTK_WIDGET (window), "This firmware brings the drive back"));
  g_assert_true (rf_page_get_complete (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Other drives hear nothing of the journal; the seed's firmware page offers
 * no interrupted flash. */
static void
test_journal_not_for_other_drives (void)
{
  g_autoptr(RfJournalStore) journals =
    write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_STARTED);
  RfWindow *window = create_window_with_journals (journals);

  open_diagnosis (window, "practice:seed");
  g_assert_false (shows_label (GTK_WIDGET (window), "Interrupted Flash"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (RF_IS_FIRMWARE_PAGE (rf_window_get_visible_page (window)));
  g_assert_false (shows_label (GTK_WIDGET (window), "Firmware of the interrupted flash"));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A kept copy changed on disk is refused with the sentence for it, never judged. */
static void
test_journal_damaged_copy (void)
{
  g_autoptr(RfJournalStore) journals =
    write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_ERASING);
  g_autofree char *image = journal_file (journals, ".bin");
  RfWindow *window;
  RfPage *page;
  g_autoptr(GError) error = NULL;
  g_autofree char *bytes = NULL;
  gsize length;

  g_assert_true (g_file_get_contents (image, &bytes, &length, &error));
  bytes[0x1000] ^= 0x01;
  g_assert_true (g_file_set_contents (image, bytes, length, &error));
  g_assert_no_error (error);
  window = create_window_with_journals (journals);
  open_diagnosis (window, "practice:interrupted-3550");
  g_assert_true (shows_text_containing (GTK_WIDGET (window), "while the old firmware"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  gtk_widget_activate_action (GTK_WIDGET (page), "firmware.journal", NULL);
  wait_until (firmware_settled, window);
  g_assert_null (rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)));
  g_assert_true (shows_label (GTK_WIDGET (window),
                              "The copy of the firmware kept for this interrupted flash is damaged, "
                              "so it was not used. Flash the drive with a firmware file instead."));
  g_assert_false (shows_label (GTK_WIDGET (window), "This firmware brings the drive back"));
  g_assert_false (rf_page_get_complete (page));
  gtk_window_destroy (GTK_WINDOW (window));
}

/* With REFLASH_TEST_SHOTS=DIR, the window as drawn now goes to DIR/NAME.png:
 * a way to look at pages that only a walk reaches. */
static void
save_shot (RfWindow   *window,
           const char *name)
{
  const char *dir = g_getenv ("REFLASH_TEST_SHOTS");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  graphene_rect_t bounds;
  GtkWidget *stack;

  if (dir == NULL)
    return;
  stack = gtk_widget_get_parent (GTK_WIDGET (rf_window_get_visible_page (window)));
  while (gtk_stack_get_transition_running (GTK_STACK (stack)))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot),
                          gtk_widget_get_width (GTK_WIDGET (window)),
                          gtk_widget_get_height (GTK_WIDGET (window)));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &bounds);
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* The chosen practice drive at @speed, so that a flash can be watched. */
static void
slow_down (RfConfirmPage *confirm,
           double         speed)
{
  RfDevice *device = rf_confirm_page_get_device (confirm);
  g_autoptr(RfSimDrive) drive = rf_drive_presenter_dup_practice_drive (device);

  rf_sim_drive_set_speed (drive, speed);
}

static gboolean
result_shown (gpointer data)
{
  return RF_IS_RESULT_PAGE (rf_window_get_visible_page (RF_WINDOW (data)));
}

/* Back to its scenario, whatever an earlier flash did to it: the tests
 * share one folder of practice drives. */
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

/* Welcome, the drive @id, its diagnosis, the practice image that fits: then
 * the steps that write. */
static RfConfirmPage *
walk_to_confirm (RfWindow   *window,
                 const char *id)
{
  RfPage *page;

  reset_practice_drive (id + strlen ("practice:"));
  g_assert_true (rf_window_open_drive (window, id));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  check_practice_firmware (window, TRUE);
  g_assert_true (button_sensitive (window, "wizard.next"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  g_assert_true (RF_IS_CONFIRM_PAGE (page));
  return RF_CONFIRM_PAGE (page);
}

/* The seed's recovery, all the way: Before Writing asks what only the person
 * can say (the tray, a family never tested) and names its button for what it
 * does; the flash runs; the result names the drive as it now identifies. */
static void
test_seed_recovered (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:seed");
  GtkWidget *next = find_button_for_action (GTK_WIDGET (window), "wizard.next");
  RfResultPage *result;

  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (next)), ==, "_Recover Drive");
  /* A practice drive says so on every page of its walk. */
  g_assert_true (shows_practice_tag (GTK_WIDGET (window)));
  g_assert_true (gtk_widget_has_css_class (next, "destructive-action"));
  g_assert_cmphex (rf_confirm_page_get_needed (confirm), ==,
                   RF_FLASH_CONFIRM_TRAY_EMPTY | RF_FLASH_CONFIRM_UNTESTED);
  g_assert_true (shows_label (GTK_WIDGET (window), "The _tray is empty"));
  g_assert_true (shows_label (GTK_WIDGET (window),
                              "I accept that this kind of drive was _never tested"));
  /* Not yet: the reason is on the page. */
  g_assert_false (button_sensitive (window, "wizard.next"));
  g_assert_true (shows_text_containing (GTK_WIDGET (window), "Tick every box above"));
  save_shot (window, "confirm");
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_TRAY_EMPTY);
  g_assert_false (button_sensitive (window, "wizard.next"));
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_UNTESTED);
  g_assert_true (button_sensitive (window, "wizard.next"));
  /* Only a press on Recover Drive writes: Enter, meant for a box or a row,
   * does not. */
  g_assert_null (gtk_window_get_default_widget (GTK_WINDOW (window)));

  if (g_getenv ("REFLASH_TEST_SHOTS") != NULL)
    slow_down (confirm, 20.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (RF_IS_WRITING_PAGE (rf_window_get_visible_page (window)));
  g_assert_false (button_sensitive (window, "wizard.back"));
  if (g_getenv ("REFLASH_TEST_SHOTS") != NULL)
    {
      gint64 until = g_get_monotonic_time () + 4 * G_USEC_PER_SEC;

      while (g_get_monotonic_time () < until)
        g_main_context_iteration (NULL, FALSE);
      save_shot (window, "writing");
    }
  wait_until (result_shown, window);
  result = RF_RESULT_PAGE (rf_window_get_visible_page (window));
  g_assert_cmpstr (rf_result_page_get_headline (result), ==,
                   "Your ND-3550A now runs firmware 1.06");
  /* A practice drive has no kernel side that could still list it as before. */
  g_assert_cmpstr (rf_result_page_get_next_step (result), ==, "You can use the drive again.");
  g_assert_true (shows_button_for_action (GTK_WIDGET (window), "window.close"));
  /* Done has the focus, and Enter presses it. */
  g_assert_true (presses (gtk_root_get_focus (GTK_ROOT (window)), "window.close"));
  g_assert_true (presses (gtk_window_get_default_widget (GTK_WINDOW (window)), "window.close"));
  save_shot (window, "result");
  g_assert_false (button_sensitive (window, "wizard.back"));
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
twin_diagnosed (gpointer data)
{
  RfDevice *device = diagnosed_device (RF_WINDOW (data));

  return device != NULL && rf_device_is_practice (device) && diagnosis_done (data);
}

static gboolean
back_on_firmware (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_FIRMWARE_PAGE (page) && rf_page_get_complete (page);
}

/* Issue 26: the Diagnosis page of a real drive offers a twin; the whole
 * recovery is rehearsed on it; then two presses lead back to the real drive
 * with the same file, ready to be written: "Now Do It on the Real Drive",
 * then Next. The real drive is a stand-in: the seed behind /dev/sg7. */
static void
test_rehearse_on_a_twin (void)
{
  RfWindow *window = rf_window_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = rf_device_monitor_new (db);
  g_autoptr(RfSimSource) practice = rf_sim_source_new (state_dir);
  g_autoptr(TestStandins) standins = test_standins_new ();
  g_autoptr(GSettings) settings = g_settings_new ("io.github.reflash.Reflash");
  g_autofree char *real_dir = g_build_filename (state_dir, "real", NULL);
  g_autoptr(RfSimDrive) real_drive = rf_sim_drive_open ("seed", real_dir, &error);
  g_autoptr(RfFirmwareCheck) rehearsed = NULL;
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *twin_id = NULL;
  RfConfirmPage *confirm;
  RfDevice *real;
  RfDevice *twin;

  g_assert_no_error (error);
  g_settings_set_double (settings, "practice-speed", 0.0);
  transport = rf_sim_transport_new (real_drive);
  real = test_standins_add (standins, "/dev/sg7",
                            "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0", transport);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (practice));
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (standins));
  rf_window_set_monitor (window, monitor, db);
  rf_window_set_practice_source (window, practice);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  g_assert_true (rf_window_open_drive (window, "/dev/sg7"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  g_assert_true (diagnosed_device (window) == real);
  g_assert_true (shows_label (GTK_WIDGET (window), "_Rehearse on a Twin of This Drive"));
  save_shot (window, "twin-offered");
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)),
                              "diagnosis.rehearse", NULL);
  wait_until (twin_diagnosed, window);
  twin = diagnosed_device (window);
  twin_id = g_strdup (rf_device_get_id (twin) + strlen ("practice:"));
  g_assert_true (g_str_has_prefix (twin_id, "twin-k355-"));
  g_assert_cmpint (rf_device_get_state (twin), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  /* A twin is a practice drive: its page says so, and offers no twin. */
  g_assert_true (shows_practice_tag (GTK_WIDGET (window)));
  g_assert_false (shows_label (GTK_WIDGET (window), "_Rehearse on a Twin of This Drive"));

  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  check_practice_firmware (window, TRUE);
  rehearsed = g_object_ref (rf_firmware_page_get_check (
    RF_FIRMWARE_PAGE (rf_window_get_visible_page (window))));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_TRAY_EMPTY);
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_UNTESTED);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_true (shows_button_for_action (GTK_WIDGET (window), "result.real-drive"));
  save_shot (window, "twin-result");

  /* Press one: the real drive is checked again, and its Firmware page shows
   * the rehearsed file, judged against it. Press two would be Next. */
  gtk_widget_activate_action (GTK_WIDGET (window), "result.real-drive", NULL);
  wait_until (back_on_firmware, window);
  g_assert_true (rf_firmware_page_get_check (
                   RF_FIRMWARE_PAGE (rf_window_get_visible_page (window))) == rehearsed);
  g_assert_true (button_sensitive (window, "wizard.next"));
  g_assert_false (shows_practice_tag (GTK_WIDGET (window)));
  /* Nothing was written to the real drive: it still waits in safe mode. */
  identity = rf_device_dup_identity (real);
  g_assert_cmpstr (identity->revision, ==, "0.05");
  /* Press two: Before Writing for the real drive, where no box ticked on
   * the twin is ticked: each confirmation is given for this drive anew. */
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  g_assert_true (rf_confirm_page_get_device (confirm) == real);
  g_assert_cmphex (rf_confirm_page_get_confirmations (confirm), ==, 0);
  g_assert_false (button_sensitive (window, "wizard.next"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (rf_sim_twin_delete (twin_id, NULL));
}

static gboolean
writing_must_finish (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));

  return RF_IS_WRITING_PAGE (page) && rf_writing_page_must_finish (RF_WRITING_PAGE (page));
}

static gboolean
writing_in_backup (gpointer data)
{
  RfPage *page = rf_window_get_visible_page (RF_WINDOW (data));
  RfFlashJob *job = RF_IS_WRITING_PAGE (page) ? rf_writing_page_get_job (RF_WRITING_PAGE (page))
                                              : NULL;
  RfProgressSnapshot snapshot;

  if (job == NULL)
    return FALSE;
  rf_progress_get_snapshot (rf_job_get_progress (RF_JOB (job)), &snapshot);
  return snapshot.phase == RF_PHASE_BACKUP;
}

/* The power fails in the tenth erase (power-cut-3550): the result says the
 * drive needs its firmware again and offers to write it; that brings it back. */
static void
test_power_cut_then_retry (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:power-cut-3550");
  g_autoptr(GBytes) report = NULL;
  g_autofree char *report_text = NULL;
  RfResultPage *result;

  g_assert_cmphex (rf_confirm_page_get_needed (confirm), ==, RF_FLASH_CONFIRM_UNTESTED);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button_for_action (
                     GTK_WIDGET (window), "wizard.next"))), ==, "_Update Firmware");
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_UNTESTED);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  result = RF_RESULT_PAGE (rf_window_get_visible_page (window));
  g_assert_cmpstr (rf_result_page_get_headline (result), ==, "The Drive Needs Its Firmware Again");
  g_assert_true (button_sensitive (window, "result.retry"));
  /* Try Again writes: neither the focus nor Enter is on it, so a key pressed
   * twice for the flash that just failed does not start another. */
  g_assert_null (gtk_window_get_default_widget (GTK_WINDOW (window)));
  g_assert_true (presses (gtk_root_get_focus (GTK_ROOT (window)), "result.save-report"));
  save_shot (window, "needs-recovery");
  /* The report of the failure: the drive, the error, the commands sent. */
  report = rf_result_page_dup_report (result);
  report_text = g_strndup (g_bytes_get_data (report, NULL), g_bytes_get_size (report));
  g_assert_nonnull (strstr (report_text, "\"format\": 1"));
  g_assert_nonnull (strstr (report_text, "\"code\": \"device-gone\""));
  g_assert_nonnull (strstr (report_text, "\"cdb\": \"CB 04"));

  gtk_widget_activate_action (GTK_WIDGET (window), "result.retry", NULL);
  g_assert_true (RF_IS_CONFIRM_PAGE (rf_window_get_visible_page (window)));
  /* Now in safe mode: the tray is asked about too, and the button recovers. */
  g_assert_cmphex (rf_confirm_page_get_needed (confirm), ==,
                   RF_FLASH_CONFIRM_TRAY_EMPTY | RF_FLASH_CONFIRM_UNTESTED);
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button_for_action (
                     GTK_WIDGET (window), "wizard.next"))), ==, "_Recover Drive");
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_TRAY_EMPTY | RF_FLASH_CONFIRM_UNTESTED);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (result), ==,
                   "Your ND-3550A now runs firmware 1.06");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* Stop while the firmware is backed up: the drive is exactly as it was. */
static void
test_stop_before_writing (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:healthy-3550");
  g_autoptr(RfSimDrive) drive = rf_drive_presenter_dup_practice_drive (
    rf_confirm_page_get_device (confirm));
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (drive);
  g_autoptr(GBytes) after = NULL;
  RfResultPage *result;

  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_UNTESTED);
  rf_sim_drive_set_speed (drive, 5.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (writing_in_backup, window);
  g_assert_true (button_sensitive (window, "writing.cancel"));
  gtk_widget_activate_action (GTK_WIDGET (rf_window_get_visible_page (window)), "writing.cancel",
                              NULL);
  wait_until (result_shown, window);
  result = RF_RESULT_PAGE (rf_window_get_visible_page (window));
  g_assert_cmpstr (rf_result_page_get_headline (result), ==, "Stopped");
  after = rf_sim_drive_dup_flash (drive);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_cmpint (rf_sim_drive_get_led (drive), ==, RF_SIM_LED_OFF);
  rf_sim_drive_set_speed (drive, 0.0);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* From the point of no return the window stays, and Stop is gone. */
static void
test_close_refused_while_writing (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:interrupted-3550");
  g_autoptr(RfSimDrive) drive = rf_drive_presenter_dup_practice_drive (
    rf_confirm_page_get_device (confirm));

  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  rf_sim_drive_set_speed (drive, 50.0);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (writing_must_finish, window);
  g_assert_null (find_button_for_action (GTK_WIDGET (window), "writing.cancel"));
  /* Nothing to go on to, nor back to, while it writes (once the page slid in:
   * meanwhile Before Writing's own button is still on screen). */
  wait_for_transition (window);
  g_assert_false (shows_button_for_action (GTK_WIDGET (window), "wizard.next"));
  g_assert_false (button_sensitive (window, "wizard.back"));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_close (GTK_WINDOW (window));
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (RF_IS_WRITING_PAGE (rf_window_get_visible_page (window)));
  wait_until (result_shown, window);
  rf_sim_drive_set_speed (drive, 0.0);
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* An interrupted flash found at start, resumed with the copy its journal
 * kept: Before Writing, Writing, and the journal closed at the end. */
static void
test_journal_resumed (void)
{
  g_autoptr(RfJournalStore) journals = NULL;
  RfWindow *window;
  g_autoptr(GPtrArray) left = NULL;
  g_autoptr(GError) error = NULL;
  RfConfirmPage *confirm;
  RfPage *page;

  reset_practice_drive ("interrupted-3550");
  journals = write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_ERASING);
  window = create_window_with_journals (journals);
  open_diagnosis (window, "practice:interrupted-3550");
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  gtk_widget_activate_action (GTK_WIDGET (page), "firmware.journal", NULL);
  wait_until (firmware_checked, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_button_for_action (
                     GTK_WIDGET (window), "wizard.next"))), ==, "_Recover Drive");
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (RF_RESULT_PAGE (rf_window_get_visible_page (window))),
                   ==, "Your ND-3550A now runs firmware 1.06");
  left = rf_journal_store_list (journals, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 0);
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
confirm_shown (gpointer data)
{
  return RF_IS_CONFIRM_PAGE (rf_window_get_visible_page (RF_WINDOW (data)));
}

/* "Continue the Recovery" in the notice of the drive list: the drive is
 * looked at in depth, the journal's copy checked, and Before Writing shown,
 * without a step of the person's between. */
static void
test_journal_continue (void)
{
  g_autoptr(RfJournalStore) journals = NULL;
  RfWindow *window;
  RfConfirmPage *confirm;

  reset_practice_drive ("interrupted-3550");
  journals = write_practice_journal ("interrupted-3550", RF_JOURNAL_PHASE_ERASING);
  window = create_window_with_journals (journals);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  g_assert_true (button_sensitive (window, "wizard.resume"));
  save_shot (window, "journal-notice");
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.resume", NULL);
  wait_until (confirm_shown, window);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  g_assert_cmpstr (rf_device_get_id (rf_confirm_page_get_device (confirm)), ==,
                   "practice:interrupted-3550");
  g_assert_true (shows_label (GTK_WIDGET (window), "_Recover Drive"));
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (RF_RESULT_PAGE (rf_window_get_visible_page (window))),
                   ==, "Your ND-3550A now runs firmware 1.06");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A healthy drive's update: its firmware is backed up first, and the backup
 * is offered on the Firmware page the next time, as firmware that fits. */
static void
test_update_with_backup (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:healthy-3550");
  RfPage *page;
  RfVerdict *verdict;

  g_assert_true (shows_label (GTK_WIDGET (window),
                              "The current firmware is backed up first, read twice and compared"));
  g_assert_cmphex (rf_confirm_page_get_needed (confirm), ==, RF_FLASH_CONFIRM_UNTESTED);
  rf_confirm_page_confirm (confirm, RF_FLASH_CONFIRM_UNTESTED);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (RF_RESULT_PAGE (rf_window_get_visible_page (window))),
                   ==, "Your ND-3550A now runs firmware 1.06");
  gtk_window_destroy (GTK_WINDOW (window));

  window = create_window ();
  g_assert_true (rf_window_open_drive (window, "practice:healthy-3550"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  page = rf_window_get_visible_page (window);
  g_assert_true (shows_label (GTK_WIDGET (window), "Backups of This Drive"));
  g_assert_true (shows_label (GTK_WIDGET (window), "Firmware 1.05"));
  gtk_widget_activate_action (GTK_WIDGET (page), "firmware.backup", "u", 0);
  wait_until (firmware_checked, window);
  verdict = rf_firmware_check_get_verdict (rf_firmware_page_get_check (RF_FIRMWARE_PAGE (page)));
  g_assert_cmpint (rf_verdict_get_kind (verdict), ==, RF_VERDICT_KIND_DOWNGRADE);
  g_assert_true (rf_page_get_complete (page));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  g_assert_cmphex (rf_confirm_page_get_needed (confirm), ==,
                   RF_FLASH_CONFIRM_DOWNGRADE | RF_FLASH_CONFIRM_UNTESTED);
  g_assert_true (shows_label (GTK_WIDGET (window), "Write the _older version"));
  gtk_window_destroy (GTK_WINDOW (window));
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

/* Debug: the minimum widths down the tree. */
static void
widest_child (GtkWidget *root, int depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int minimum = 0;

      if (!gtk_widget_get_visible (child))
        continue;
      gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL, NULL);
      if (minimum > 300)
        {
          g_printerr ("%*s%s %s: %d\n", depth * 2, "", G_OBJECT_TYPE_NAME (child),
                      GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child)) : "", minimum);
          widest_child (child, depth + 1);
        }
    }
}

/* The page shown fits @width: the window needs no more, and no label is cut. */
static void
assert_page_fits (RfWindow   *window,
                  int         width,
                  const char *shot)
{
  GtkWidget *stack = gtk_widget_get_parent (GTK_WIDGET (rf_window_get_visible_page (window)));
  int minimum = 0;

  while (gtk_stack_get_transition_running (GTK_STACK (stack)))
    g_main_context_iteration (NULL, TRUE);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, NULL, NULL,
                      NULL);
  if (minimum > width)
    widest_child (GTK_WIDGET (window), 0);
  if (minimum > width)
    g_error ("the page “%s” needs %d px, more than %d",
             rf_page_get_title (rf_window_get_visible_page (window)), minimum, width);
  assert_labels_whole (GTK_WIDGET (window));
  save_shot (window, shot);
}

/* The seed's walk at @width × @height in @scheme: every page fits. */
static void
walk_at_size (int             width,
              int             height,
              AdwColorScheme  scheme,
              const char     *name)
{
  RfWindow *window = rf_window_new (NULL);
  RfConfirmPage *confirm;
  g_autofree char *shot = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), scheme);
  /* GNOME's window buttons, not the three of a session without settings. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", "appmenu:close", NULL);
  reset_practice_drive ("seed");
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  give_window_drives (window);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
#define CHECK(page) \
  g_free (shot); \
  shot = g_strdup_printf ("%s-%s", name, page); \
  assert_page_fits (window, width, shot)
  CHECK ("welcome");
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  CHECK ("drives");
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  CHECK ("diagnosis");
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  check_practice_firmware (window, TRUE);
  CHECK ("firmware");
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  CHECK ("confirm");
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  CHECK ("result");
#undef CHECK
  gtk_window_destroy (GTK_WINDOW (window));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
test_fits_narrow_light (void)
{
  walk_at_size (360, 720, ADW_COLOR_SCHEME_FORCE_LIGHT, "narrow-light");
}

static void
test_fits_narrow_dark (void)
{
  walk_at_size (360, 720, ADW_COLOR_SCHEME_FORCE_DARK, "narrow-dark");
}

static void
test_fits_wide_light (void)
{
  walk_at_size (1024, 768, ADW_COLOR_SCHEME_FORCE_LIGHT, "wide-light");
}

static void
test_fits_wide_dark (void)
{
  walk_at_size (1024, 768, ADW_COLOR_SCHEME_FORCE_DARK, "wide-dark");
}

/* A practice drive whose fifth PROGRAM BLOCK fails (03/73/04): the old
 * firmware is erased by then, so the drive waits in safe mode. */
static const char program_fails_fault[] =
  "\n[Fault program]\nKind=write-failure\nPhase=program\nOccurrence=5\n";

/* $REFLASH_DATA_DIR for the whole test: links to the shipped drives/ and
 * practice/ files, plus program-fails-3550 (healthy-3550 with that fault). */
static void
use_own_data (void)
{
  const char *source = g_getenv ("REFLASH_DATA_DIR");
  g_autofree char *data = g_build_filename (state_dir, "data", NULL);
  const char *folders[] = { "drives", "practice" };
  g_autofree char *healthy_path = NULL;
  g_autofree char *healthy = NULL;
  g_autofree char *faulty = NULL;
  g_autofree char *faulty_path = NULL;

  g_assert_nonnull (source);
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *from = g_build_filename (source, folders[i], NULL);
      g_autofree char *to = g_build_filename (data, folders[i], NULL);
      g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *target = g_build_filename (from, name, NULL);
          g_autofree char *link = g_build_filename (to, name, NULL);

          g_assert_cmpint (symlink (target, link), ==, 0);
        }
    }
  healthy_path = g_build_filename (source, "practice", "healthy-3550.conf", NULL);
  g_assert_true (g_file_get_contents (healthy_path, &healthy, NULL, NULL));
  faulty = g_strconcat (healthy, program_fails_fault, NULL);
  faulty_path = g_build_filename (data, "practice", "program-fails-3550.conf", NULL);
  g_assert_true (g_file_set_contents (faulty_path, faulty, -1, NULL));
  g_setenv ("REFLASH_DATA_DIR", data, TRUE);
}

/* A write that fails after the erase: the result says the drive needs its
 * firmware again and offers the retry, which brings it back. */
static void
test_program_fails_then_retry (void)
{
  RfWindow *window = create_window ();
  RfConfirmPage *confirm = walk_to_confirm (window, "practice:program-fails-3550");

  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (RF_RESULT_PAGE (rf_window_get_visible_page (window))),
                   ==, "The Drive Needs Its Firmware Again");
  g_assert_true (button_sensitive (window, "result.retry"));
  gtk_widget_activate_action (GTK_WIDGET (window), "result.retry", NULL);
  confirm = RF_CONFIRM_PAGE (rf_window_get_visible_page (window));
  rf_confirm_page_confirm (confirm, rf_confirm_page_get_needed (confirm));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (result_shown, window);
  g_assert_cmpstr (rf_result_page_get_headline (RF_RESULT_PAGE (rf_window_get_visible_page (window))),
                   ==, "Your ND-3550A now runs firmware 1.06");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* A practice drive holds its flash only while its pages need it: listed and
 * asked who it is, it holds none; its deep check maps it; back at the drive
 * list, it lets go. */
static void
test_practice_memory_follows_the_pages (void)
{
  RfWindow *window = create_window ();
  g_autoptr(RfSimDrive) seed = NULL;
  RfDevice *device;

  reset_practice_drive ("seed");
  g_assert_true (rf_window_open_drive (window, "practice:seed"));
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (all_rows_probed, window);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  device = rf_diagnosis_page_get_device (RF_DIAGNOSIS_PAGE (rf_window_get_visible_page (window)));
  seed = rf_drive_presenter_dup_practice_drive (device);
  wait_until (diagnosis_done, window);
  g_assert_cmpuint (rf_sim_drive_get_mapped_size (seed), >, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.back", NULL);
  g_assert_true (RF_IS_DRIVES_PAGE (rf_window_get_visible_page (window)));
  g_assert_cmpuint (rf_sim_drive_get_mapped_size (seed), ==, 0);
  /* Checked again, it answers as before. */
  gtk_widget_activate_action (GTK_WIDGET (window), "wizard.next", NULL);
  wait_until (diagnosis_done, window);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_true (shows_label (GTK_WIDGET (window), "The firmware is missing — this can be repaired"));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The in-process accessibility backend: it keeps every accessible
   * property, which the test of names reads back (no AT-SPI bus needed). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  /* Practice firmware files go to the cache folder: a private one. */
  state_dir = g_dir_make_tmp ("reflash-test-window-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", state_dir, TRUE);
  /* The user's journals: none, unless a test writes one. */
  g_setenv ("XDG_STATE_HOME", state_dir, TRUE);
  /* Backups of the flashes, away from the user's. */
  g_setenv ("XDG_DATA_HOME", state_dir, TRUE);
  /* The shipped drive families and practice drives, and one more of the
   * tests' own (a write that fails in the program phase). */
  use_own_data ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/reflash/window/shows-welcome", test_shows_welcome);
  g_test_add_func ("/reflash/window/next-back-follow-complete", test_next_back_follow_complete);
  g_test_add_func ("/reflash/window/diagnosis-of-the-seed", test_diagnosis_of_the_seed);
  g_test_add_func ("/reflash/window/firmware-for-the-seed", test_firmware_for_the_seed);
  g_test_add_func ("/reflash/window/no-firmware-step-for-a-blocked-drive",
                   test_no_firmware_step_for_a_blocked_drive);
  g_test_add_func ("/reflash/window/page-complete-notifies-once", test_page_complete_notifies_once);
  g_test_add_func ("/reflash/window/practice/controls", test_practice_controls);
  g_test_add_func ("/reflash/window/practice/changed-elsewhere", test_practice_changed_elsewhere);
  g_test_add_func ("/reflash/window/rehearse-on-a-twin", test_rehearse_on_a_twin);
  g_test_add_func ("/reflash/window/practice/memory-follows-the-pages",
                   test_practice_memory_follows_the_pages);
  g_test_add_func ("/reflash/window/drive-list-focus", test_drive_list_focus);
  g_test_add_func ("/reflash/window/details-one-tab-stop", test_details_one_tab_stop);
  g_test_add_func ("/reflash/window/every-control-named", test_every_control_named);
  g_test_add_func ("/reflash/window/firmware-words", test_firmware_words);
  g_test_add_func ("/reflash/window/practice/power-cycle", test_practice_power_cycle);
  g_test_add_func ("/reflash/window/finalizes", test_window_finalizes);
  g_test_add_func ("/reflash/window/close-waits-for-drive", test_close_waits_for_drive);
  g_test_add_func ("/reflash/window/journal/none", test_journal_none);
  g_test_add_func ("/reflash/window/journal/notice-and-mark", test_journal_notice_and_mark);
  g_test_add_func ("/reflash/window/journal/drive-not-found", test_journal_drive_not_found);
  g_test_add_func ("/reflash/window/journal/diagnosis-and-firmware",
                   test_journal_diagnosis_and_firmware);
  g_test_add_func ("/reflash/window/journal/not-for-other-drives",
                   test_journal_not_for_other_drives);
  g_test_add_func ("/reflash/window/journal/damaged-copy", test_journal_damaged_copy);
  /* Last: it recovers the seed for good. */
  g_test_add_func ("/reflash/window/flash/seed-recovered", test_seed_recovered);
  g_test_add_func ("/reflash/window/flash/power-cut-then-retry", test_power_cut_then_retry);
  g_test_add_func ("/reflash/window/flash/program-fails-then-retry",
                   test_program_fails_then_retry);
  g_test_add_func ("/reflash/window/flash/stop-before-writing", test_stop_before_writing);
  g_test_add_func ("/reflash/window/flash/close-refused-while-writing",
                   test_close_refused_while_writing);
  g_test_add_func ("/reflash/window/flash/journal-resumed", test_journal_resumed);
  g_test_add_func ("/reflash/window/flash/journal-continue", test_journal_continue);
  g_test_add_func ("/reflash/window/flash/update-with-backup", test_update_with_backup);
  g_test_add_func ("/reflash/window/fits/360-light", test_fits_narrow_light);
  g_test_add_func ("/reflash/window/fits/360-dark", test_fits_narrow_dark);
  g_test_add_func ("/reflash/window/fits/1024x768-light", test_fits_wide_light);
  g_test_add_func ("/reflash/window/fits/1024x768-dark", test_fits_wide_dark);
  status = g_test_run ();
  rf_test_remove_tree (state_dir);
  g_free (state_dir);
  return status;
}
