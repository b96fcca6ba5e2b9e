/* rf-writing-page.c: the flash itself, on the job's worker thread; here only
 * what the person sees of it
 *
 * The job's progress comes to the main loop at most ten times a second
 * (rf_progress_watch()); everything shown is made from that snapshot with the
 * words the command line uses too (rf-progress-words.h). From the point of no
 * return the page says not to switch off, hides Stop, blocks Back, and asks
 * the session not to log out, suspend or go idle (gtk_application_inhibit());
 * the job holds logind's inhibitor itself, and when logind refused it the page
 * says so. A practice drive shows its own simulated light; a real drive, what
 * the family data says its light should do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-presenter.h"
#include "rf-led-indicator.h"
#include "rf-progress-words.h"
#include "rf-writing-page.h"

struct _RfWritingPage
{
  RfPage parent_instance;

  GtkLabel *phase_label;
  GtkProgressBar *progress_bar;
  GtkLabel *time_label;
  GtkLabel *caution_label;
  RfLedIndicator *led;
  GtkLabel *led_label;
  GtkLabel *silence_label;
  GtkLabel *inhibit_label;
  GtkListBox *phase_list;
  GtkWidget *cancel_button;

  RfFlashJob *job;
  RfSimDrive *practice;      /* the drive's simulation, for its light */
  GCancellable *cancellable;
  GError *error;
  guint watch_id;
  guint inhibit_cookie;
  gboolean running;
  gboolean past_point_of_no_return;
  int shown_phase;
};

enum {
  SIGNAL_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RfWritingPage, rf_writing_page, RF_TYPE_PAGE)

static const char *
sim_led_to_pattern (RfSimLed led)
{
  switch (led)
    {
    case RF_SIM_LED_STEADY:
      return "steady";
    case RF_SIM_LED_BLINKING:
      return "blinking";
    case RF_SIM_LED_BLINKING_FAST:
      return "blinking-fast";
    case RF_SIM_LED_OFF:
    default:
      return "off";
    }
}

/* A row of the phase list: built by hand rather than as an AdwActionRow,
 * whose many parts made the first layout of this page cost several frames. */
static GtkWidget *
new_phase_row (RfPhase phase)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
  GtkWidget *title = gtk_label_new (rf_phase_to_title (phase));
  GtkWidget *now = gtk_label_new (C_("phase", "Now"));

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Nothing to do with a phase: no Tab stop, but a name for screen readers
   * that read the page (the status line above says the phase as it changes). */
  gtk_widget_set_focusable (row, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  rf_phase_to_title (phase), -1);
  gtk_widget_add_css_class (box, "phase-row");
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (now, "dim-label");
  gtk_widget_set_visible (now, FALSE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), now);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data (G_OBJECT (row), "rf-icon", icon);
  g_object_set_data (G_OBJECT (row), "rf-now", now);
  return row;
}

static void
fill_phase_list (RfWritingPage *self,
                 RfProgress    *progress,
                 guint          n_phases)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->phase_list))) != NULL)
    gtk_list_box_remove (self->phase_list, child);
  for (guint i = 0; i < n_phases; i++)
    gtk_list_box_append (self->phase_list, new_phase_row (rf_progress_get_phase (progress, i)));
  self->shown_phase = -2;
}

/* Done phases get a tick, the current one an arrow and "now". */
static void
mark_phases (RfWritingPage            *self,
             const RfProgressSnapshot *snapshot)
{
  int current = snapshot->finished && self->error == NULL ? (int) snapshot->n_phases
                                                          : snapshot->phase_index;
  int i = 0;

  if (current == self->shown_phase)
    return;
  self->shown_phase = current;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->phase_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row), i++)
    {
      GtkImage *icon = g_object_get_data (G_OBJECT (row), "rf-icon");

      gtk_image_set_from_icon_name (icon, i < current ? "emblem-ok-symbolic"
                                        : i == current ? "media-playback-start-symbolic"
                                        : "content-loading-symbolic");
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (row), "rf-now"), i == current);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      i < current ? C_("phase", "Done")
                                      : i == current ? C_("phase", "Now")
                                      : C_("phase", "Still to come"), -1);
      if (i < current)
        gtk_widget_remove_css_class (GTK_WIDGET (icon), "dim-label");
    }
}

static char *
format_elapsed (gint64 elapsed_us)
{
  guint seconds = (guint) MIN (MAX (elapsed_us, 0) / G_USEC_PER_SEC, G_MAXUINT);

  /* Translators: time since the flash began as a clock shows it, minutes
   * then seconds, e.g. "2:05 elapsed"; use your language's separator */
  return g_strdup_printf (_("%u:%02u elapsed"), seconds / 60, seconds % 60);
}

/* The progress counts a practice drive's modelled time; the person watching
 * a rehearsal waits the real one, which is shorter by the practice speed. */
static double
real_time_divisor (RfWritingPage *self)
{
  double speed;

  if (self->practice == NULL)
    return 1.0;
  speed = rf_sim_clock_get_speed (rf_sim_drive_get_clock (self->practice));
  return speed > 0.0 ? speed : 1.0;
}

static void
show_times (RfWritingPage            *self,
            const RfProgressSnapshot *snapshot)
{
  double divisor = real_time_divisor (self);
  g_autofree char *percent = rf_progress_format_percent (snapshot->fraction);
  g_autofree char *elapsed = format_elapsed ((gint64) (snapshot->elapsed_us / divisor));
  g_autofree char *left = snapshot->time_left_us >= 0
                          ? rf_progress_format_time_left ((gint64) (snapshot->time_left_us /
                                                                    divisor))
                          : NULL;
  g_autofree char *line = NULL;
  g_autofree char *value_text = NULL;

  gtk_progress_bar_set_fraction (self->progress_bar, snapshot->fraction);
  gtk_progress_bar_set_text (self->progress_bar, percent);
  /* Translators: "About 2 minutes left · 0:35 elapsed" */
  line = left != NULL ? g_strdup_printf (_("%s · %s"), left, elapsed) : g_strdup (elapsed);
  gtk_label_set_label (self->time_label, line);
  /* What a screen reader reads for the bar: how far, and how long still. */
  value_text = g_strdup_printf ("%s, %s", percent, line);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, value_text, -1);
}

static void
show_light (RfWritingPage            *self,
            const RfProgressSnapshot *snapshot)
{
  if (self->practice != NULL)
    {
      RfSimLed led = rf_sim_drive_get_led (self->practice);
      /* Translators: what the practice drive's light does now ("Blinking") */
      g_autofree char *words = g_strdup_printf (_("The practice drive's light: %s"),
                                                rf_drive_presenter_led_words (led));

      rf_led_indicator_set_pattern (self->led, sim_led_to_pattern (led));
      gtk_label_set_label (self->led_label, words);
      return;
    }
  rf_led_indicator_set_pattern (self->led, snapshot->led_hint);
  gtk_label_set_label (self->led_label, rf_led_hint_to_sentence (snapshot->led_hint) ?: "");
}

/* From the point of no return: the warning stays, Stop goes, and the session
 * is asked not to end or sleep. */
static void
pass_point_of_no_return (RfWritingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root)
                                ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  g_autoptr(GError) refusal = NULL;

  self->past_point_of_no_return = TRUE;
  gtk_widget_set_visible (self->cancel_button, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writing.cancel", FALSE);
  if (application != NULL && self->inhibit_cookie == 0)
    self->inhibit_cookie =
      gtk_application_inhibit (application, GTK_WINDOW (root),
                               GTK_APPLICATION_INHIBIT_LOGOUT | GTK_APPLICATION_INHIBIT_SUSPEND |
                               GTK_APPLICATION_INHIBIT_IDLE,
                               _("Firmware is being written to a drive"));
  refusal = rf_flash_job_dup_inhibit_refusal (self->job);
  if (refusal != NULL)
    {
      gtk_label_set_label (self->inhibit_label,
                           _("Reflash could not stop the computer from suspending on its own. "
                             "Do not suspend the computer or close its lid until the new "
                             "firmware is written."));
      gtk_widget_set_visible (GTK_WIDGET (self->inhibit_label), TRUE);
    }
}

static void
stop_watching (RfWritingPage *self)
{
  if (self->watch_id != 0 && self->job != NULL)
    rf_progress_unwatch (rf_job_get_progress (RF_JOB (self->job)), self->watch_id);
  self->watch_id = 0;
}

static void
on_progress (RfProgress               *progress,
             const RfProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  RfWritingPage *self = user_data;
  const char *caution = rf_progress_get_caution (snapshot);
  g_autofree char *silence = rf_progress_dup_silence_sentence (snapshot);

  if (snapshot->phase_index >= 0)
    gtk_label_set_label (self->phase_label, rf_phase_to_title (snapshot->phase));
  show_times (self, snapshot);
  show_light (self, snapshot);
  mark_phases (self, snapshot);
  gtk_label_set_label (self->silence_label, silence != NULL ? silence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->silence_label), silence != NULL);
  if (snapshot->point_of_no_return && !self->past_point_of_no_return)
    pass_point_of_no_return (self);
  gtk_label_set_label (self->caution_label, caution != NULL ? caution : "");
  gtk_widget_set_visible (GTK_WIDGET (self->caution_label), caution != NULL);
  /* The finished snapshot is the watch's last: it is gone after it. */
  if (snapshot->finished)
    self->watch_id = 0;
}

static void
uninhibit (RfWritingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *application = GTK_IS_WINDOW (root)
                                ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;

  if (self->inhibit_cookie != 0 && application != NULL)
    gtk_application_uninhibit (application, self->inhibit_cookie);
  self->inhibit_cookie = 0;
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(RfWritingPage) self = user_data;

  self->running = FALSE;
  rf_job_run_finish (RF_JOB (source), result, &self->error);
  uninhibit (self);
  gtk_widget_set_visible (self->cancel_button, FALSE);
  rf_page_set_complete (RF_PAGE (self), TRUE);
  g_signal_emit (self, signals[SIGNAL_FINISHED], 0);
}

static void
writing_cancel (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RfWritingPage *self = RF_WRITING_PAGE (widget);

  /* The job refuses a cancel past the point of no return by itself; the
   * button is gone by then anyway. */
  if (self->running && !self->past_point_of_no_return)
    g_cancellable_cancel (self->cancellable);
}

/**
 * rf_writing_page_start:
 * @job: a flash job, confirmed and ready
 *
 * Runs @job on a worker thread and shows its progress; emits
 * #RfWritingPage::finished on the main loop when it ended.
 */
void
rf_writing_page_start (RfWritingPage *self,
                       RfFlashJob    *job)
{
  RfProgress *progress;
  RfProgressSnapshot snapshot;
  RfDevice *device;

  g_return_if_fail (RF_IS_WRITING_PAGE (self));
  g_return_if_fail (RF_IS_FLASH_JOB (job));
  g_return_if_fail (!self->running);

  stop_watching (self);
  g_set_object (&self->job, job);
  g_clear_error (&self->error);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->practice);
  device = rf_job_get_device (RF_JOB (job));
  self->practice = rf_drive_presenter_dup_practice_drive (device);
  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  self->past_point_of_no_return = FALSE;
  progress = rf_job_get_progress (RF_JOB (job));
  rf_progress_get_snapshot (progress, &snapshot);
  fill_phase_list (self, progress, snapshot.n_phases);
  gtk_widget_set_visible (self->cancel_button, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->inhibit_label), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "writing.cancel", TRUE);
  rf_page_set_complete (RF_PAGE (self), FALSE);
  rf_page_set_back_blocked (RF_PAGE (self), TRUE);
  gtk_label_set_label (self->phase_label, _("Getting ready"));
  on_progress (progress, &snapshot, self);
  self->watch_id = rf_progress_watch (progress, NULL, on_progress, self, NULL);
  rf_job_run_async (RF_JOB (job), self->cancellable, on_job_done, g_object_ref (self));
}

RfFlashJob *
rf_writing_page_get_job (RfWritingPage *self)
{
  g_return_val_if_fail (RF_IS_WRITING_PAGE (self), NULL);
  return self->job;
}

/* Why the flash failed once it ended; %NULL on success or while it runs. */
const GError *
rf_writing_page_get_error (RfWritingPage *self)
{
  g_return_val_if_fail (RF_IS_WRITING_PAGE (self), NULL);
  return self->error;
}

gboolean
rf_writing_page_is_running (RfWritingPage *self)
{
  g_return_val_if_fail (RF_IS_WRITING_PAGE (self), FALSE);
  return self->running;
}

/* Whether the flash runs past the point of no return: the window must stay. */
gboolean
rf_writing_page_must_finish (RfWritingPage *self)
{
  g_return_val_if_fail (RF_IS_WRITING_PAGE (self), FALSE);
  return self->running && self->past_point_of_no_return;
}

static void
rf_writing_page_dispose (GObject *object)
{
  RfWritingPage *self = RF_WRITING_PAGE (object);

  stop_watching (self);
  g_clear_object (&self->job);
  g_clear_object (&self->practice);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (rf_writing_page_parent_class)->dispose (object);
}

static void
rf_writing_page_finalize (GObject *object)
{
  RfWritingPage *self = RF_WRITING_PAGE (object);

  g_clear_error (&self->error);
  G_OBJECT_CLASS (rf_writing_page_parent_class)->finalize (object);
}

static void
rf_writing_page_class_init (RfWritingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_writing_page_dispose;
  object_class->finalize = rf_writing_page_finalize;

  /**
   * RfWritingPage::finished:
   *
   * The flash ended, well or not (rf_writing_page_get_error()).
   */
  signals[SIGNAL_FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);

  g_type_ensure (RF_TYPE_LED_INDICATOR);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-writing-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, phase_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, time_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, caution_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, led);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, led_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, silence_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, inhibit_label);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, phase_list);
  gtk_widget_class_bind_template_child (widget_class, RfWritingPage, cancel_button);
  gtk_widget_class_install_action (widget_class, "writing.cancel", NULL, writing_cancel);
}

static void
rf_writing_page_init (RfWritingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown_phase = -2;
  /* The light is described by the sentence beside it. */
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->led), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  self->led_label, NULL, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->progress_bar),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Progress"), -1);
}

GtkWidget *
rf_writing_page_new (void)
{
  return g_object_new (RF_TYPE_WRITING_PAGE, NULL);
}
