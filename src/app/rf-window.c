/* rf-window.c: the wizard's window: header bar, pages, Back and Next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-accessible.h"
#include "rf-backup-job.h"
#include "rf-confirm-page.h"
#include "rf-device-monitor.h"
#include "rf-diagnosis-page.h"
#include "rf-drive-presenter.h"
#include "rf-drives-page.h"
#include "rf-error.h"
#include "rf-firmware-page.h"
#include "rf-journal-presenter.h"
#include "rf-must-finish.h"
#include "rf-notifier.h"
#include "rf-result-page.h"
#include "rf-sim-twin.h"
#include "rf-welcome-page.h"
#include "rf-window.h"
#include "rf-writing-page.h"

struct _RfWindow
{
  AdwApplicationWindow parent_instance;
  GtkMenuButton *menu_button;

  AdwWindowTitle *window_title;
  GtkButton *back_button;
  GtkButton *next_button;
  GtkWidget *practice_tag;
  GtkStack *stack;

  /* The pages in wizard order; the stack holds the same widgets. */
  GPtrArray *pages;
  guint current;

  GSettings *settings;

  RfDriveDb *db;
  RfDeviceMonitor *monitor;
  GListStore *drives;
  RfJournalStore *journal_store;
  RfJournalPresenter *journals;
  RfDrivesPage *drives_page;
  RfDiagnosisPage *diagnosis_page;
  RfFirmwarePage *firmware_page;
  RfConfirmPage *confirm_page;
  RfWritingPage *writing_page;
  RfResultPage *result_page;
  RfBackupStore *backup_store;

  /* "Continue the recovery": the steps taken for the person, as long as each
   * page agrees (the deep look matches the journal, its copy is intact). */
  enum { RESUME_NONE, RESUME_DIAGNOSIS, RESUME_FIRMWARE } resume_step;
  char *logged_page;   /* the last "page …" debug line */
  guint later_pages_idle;

  /* Rehearsal on a twin (issue 26): the practice drives, to add twins to;
   * the real drive a twin copies, and the twin; and whether the way back to
   * the real drive is being walked for the person. */
  RfSimSource *practice;
  RfDevice *rehearsal_real;
  RfDevice *rehearsal_twin;
  gboolean returning_to_real;
};

G_DEFINE_FINAL_TYPE (RfWindow, rf_window, ADW_TYPE_APPLICATION_WINDOW)

/* Whether the drive the walk is about is a practice drive. */
static gboolean
rf_window_is_practice (RfWindow *self)
{
  RfDevice *device = self->drives_page != NULL && self->current >= 2
                     ? rf_drives_page_get_selected_device (self->drives_page) : NULL;

  return device != NULL && rf_device_is_practice (device);
}

/* "page Diagnosis, complete": one debug line each time the page shown or its
 * readiness changes, which the keyboard walk test follows. */
static void
log_page (RfWindow *self,
          RfPage   *page)
{
  g_autofree char *line = NULL;

  if (page == NULL)
    return;
  line = g_strdup_printf ("page %s, %s", rf_page_get_title (page),
                          rf_page_get_complete (page) ? "complete" : "not complete");
  if (g_strcmp0 (line, self->logged_page) == 0)
    return;
  g_debug ("%s", line);
  g_free (self->logged_page);
  self->logged_page = g_steal_pointer (&line);
}

/* What Enter presses: the page's own forward button if it names one, else
 * Next while it is shown. A page whose button writes to the drive (Before
 * Writing, Try Again) names none: firmware is written only by a press on that
 * button, never by an Enter meant for something else. */
static GtkWidget *
default_widget_of (RfWindow *self,
                   RfPage   *page)
{
  if (page == NULL)
    return NULL;
  if (rf_page_get_default_widget (page) != NULL)
    return rf_page_get_default_widget (page);
  if (rf_page_get_next_label (page) == NULL &&
      gtk_widget_get_visible (GTK_WIDGET (self->next_button)))
    return GTK_WIDGET (self->next_button);
  return NULL;
}

/* The one place that decides what Back and Next may do. */
static void
rf_window_update (RfWindow *self)
{
  RfPage *page = rf_window_get_visible_page (self);
  gboolean has_next = self->current + 1 < self->pages->len;

  const char *next_label = page != NULL ? rf_page_get_next_label (page) : NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back",
                                 self->current > 0 && page != NULL &&
                                 !rf_page_get_back_blocked (page));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 has_next && page != NULL && rf_page_get_complete (page));
  /* A step that writes to the drive has its own button on the page, named
   * for what it does; the header's Next stands back, and while firmware is
   * written there is no step to go to. */
  gtk_widget_set_visible (GTK_WIDGET (self->next_button),
                          has_next && next_label == NULL &&
                          !(page != NULL && rf_page_get_back_blocked (page) &&
                            !rf_page_get_complete (page)));
  gtk_widget_set_visible (self->practice_tag, rf_window_is_practice (self));
  gtk_window_set_default_widget (GTK_WINDOW (self), default_widget_of (self, page));
  adw_window_title_set_subtitle (self->window_title,
                                 page != NULL ? rf_page_get_title (page) : NULL);
  log_page (self, page);
}

static void wizard_next (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter);

/* One step of "Continue the recovery", when the page shown allows it. */
static void on_flash_finished (RfWindow *self);
static void on_rehearse (RfWindow *self,
                         RfDevice *device);

static void
continue_resume (RfWindow *self)
{
  RfPage *page = rf_window_get_visible_page (self);

  if (self->resume_step == RESUME_DIAGNOSIS && page == RF_PAGE (self->diagnosis_page) &&
      rf_page_get_complete (page))
    {
      /* Only a drive whose deep look matches the journal goes on by itself. */
      if (rf_diagnosis_page_get_journal (self->diagnosis_page) == NULL)
        {
          self->resume_step = RESUME_NONE;
          return;
        }
      self->resume_step = RESUME_FIRMWARE;
      wizard_next (GTK_WIDGET (self), NULL, NULL);
      gtk_widget_activate_action (GTK_WIDGET (self->firmware_page), "firmware.journal", NULL);
    }
  else if (self->resume_step == RESUME_FIRMWARE && page == RF_PAGE (self->firmware_page) &&
           rf_page_get_complete (page))
    {
      self->resume_step = RESUME_NONE;
      if (rf_firmware_page_get_resume (self->firmware_page) != NULL)
        wizard_next (GTK_WIDGET (self), NULL, NULL);
    }
}

/* "Now do it on the real drive": once the real drive's check agrees, on to
 * the Firmware page, where the rehearsal's file is judged against it. */
static void
continue_to_real (RfWindow *self)
{
  RfPage *page = rf_window_get_visible_page (self);

  if (!self->returning_to_real || page != RF_PAGE (self->diagnosis_page) ||
      rf_diagnosis_page_is_checking (self->diagnosis_page))
    return;
  self->returning_to_real = FALSE;
  if (rf_page_get_complete (page))
    wizard_next (GTK_WIDGET (self), NULL, NULL);
}

static void
on_page_changed (RfWindow *self)
{
  rf_window_update (self);
  continue_resume (self);
  continue_to_real (self);
}

/* A new page takes the focus, as GtkAssistant's do: the control the page
 * names, else its first (the drive list, its chosen drive), so a screen
 * reader starts reading there; else Next or Back, whichever can be pressed. */
static void
focus_page (RfWindow *self,
            RfPage   *page)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkWidget *buttons[] = { GTK_WIDGET (self->next_button), GTK_WIDGET (self->back_button) };

  GtkWidget *opening = rf_page_get_opening_focus (page);

  /* Before GtkStack's own choice, which is the page's first control. */
  if (opening != NULL && gtk_widget_grab_focus (opening))
    return;
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (page)))
    return;
  if (gtk_widget_child_focus (GTK_WIDGET (page), GTK_DIR_TAB_FORWARD))
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (buttons); i++)
    if (gtk_widget_is_visible (buttons[i]) && gtk_widget_is_sensitive (buttons[i]))
      {
        gtk_widget_grab_focus (buttons[i]);
        return;
      }
}

/* The steps after the drive list: built after the window's first frame
 * (rf_window_realize), or at once when something needs them sooner. */
static void
ensure_later_pages (RfWindow *self)
{
  if (self->diagnosis_page != NULL || self->drives == NULL)
    return;
  self->diagnosis_page = RF_DIAGNOSIS_PAGE (rf_diagnosis_page_new ());
  rf_window_add_page (self, RF_PAGE (self->diagnosis_page), "diagnosis");
  self->firmware_page = RF_FIRMWARE_PAGE (rf_firmware_page_new ());
  rf_window_add_page (self, RF_PAGE (self->firmware_page), "firmware");
  self->confirm_page = RF_CONFIRM_PAGE (rf_confirm_page_new ());
  rf_window_add_page (self, RF_PAGE (self->confirm_page), "confirm");
  self->writing_page = RF_WRITING_PAGE (rf_writing_page_new ());
  rf_window_add_page (self, RF_PAGE (self->writing_page), "writing");
  g_signal_connect_swapped (self->writing_page, "finished", G_CALLBACK (on_flash_finished), self);
  self->result_page = RF_RESULT_PAGE (rf_result_page_new ());
  rf_window_add_page (self, RF_PAGE (self->result_page), "result");
  if (self->journals != NULL)
    rf_diagnosis_page_set_journals (self->diagnosis_page, self->journals);
  rf_diagnosis_page_set_can_rehearse (self->diagnosis_page, self->practice != NULL);
  g_signal_connect_swapped (self->diagnosis_page, "rehearse", G_CALLBACK (on_rehearse), self);
}

static gboolean
build_later_pages_now (gpointer data)
{
  RfWindow *self = data;

  self->later_pages_idle = 0;
  ensure_later_pages (self);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock *clock,
                RfWindow      *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  if (self->later_pages_idle == 0)
    self->later_pages_idle = g_idle_add_full (G_PRIORITY_LOW, build_later_pages_now, self, NULL);
}

/* Back at the drive list, the drive the later pages worked on is left: a
 * practice drive lets go of its flash and RAM until it is checked again. */
static void
leave_drive (RfWindow *self)
{
  RfDevice *device = rf_diagnosis_page_get_device (self->diagnosis_page);
  g_autoptr(RfSimDrive) practice = NULL;

  if (device == NULL)
    return;
  practice = rf_drive_presenter_dup_practice_drive (device);
  if (practice != NULL)
    rf_sim_drive_release_memory (practice);
}

static void
rf_window_show_page (RfWindow *self,
                     guint     index)
{
  ensure_later_pages (self);
  g_assert (index < self->pages->len);

  if (g_ptr_array_index (self->pages, index) == self->drives_page &&
      self->diagnosis_page != NULL)
    leave_drive (self);
  self->current = index;
  gtk_stack_set_visible_child (self->stack, g_ptr_array_index (self->pages, index));
  rf_window_update (self);
  focus_page (self, g_ptr_array_index (self->pages, index));
}

static void
wizard_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);

  self->resume_step = RESUME_NONE;
  if (self->current > 0)
    rf_window_show_page (self, self->current - 1);
}

/* The flash, made from what the earlier pages chose and the person
 * confirmed; the job judges the drive again under its lock. */
static RfFlashJob *
make_flash_job (RfWindow *self)
{
  RfDevice *device = rf_diagnosis_page_get_device (self->diagnosis_page);
  RfFirmwareCheck *check = rf_firmware_page_get_check (self->firmware_page);
  RfJournal *resume = rf_firmware_page_get_resume (self->firmware_page);
  RfFlashJob *job;

  if (self->backup_store == NULL)
    self->backup_store = rf_backup_store_new (NULL);
  if (self->journal_store == NULL)
    self->journal_store = rf_journal_store_new (NULL);
  job = rf_flash_job_new (device, self->db, check, self->backup_store);
  rf_flash_job_set_confirmations (job, rf_confirm_page_get_confirmations (self->confirm_page));
  rf_flash_job_set_journal_store (job, self->journal_store);
  if (resume != NULL)
    rf_flash_job_set_resume (job, resume);
  return job;
}

static void
on_notified (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!rf_notifier_send_finish (result, &error))
    g_message ("no desktop notification: %s", error->message);
}

/* A flash that ends while the person looks elsewhere, and every failure,
 * is also told on the desktop. */
static void
notify_flash_ended (RfWindow *self)
{
  const GError *error = rf_writing_page_get_error (self->writing_page);

  if (error == NULL && gtk_window_is_active (GTK_WINDOW (self)))
    return;
  /* A success says the same as the page (a restart may be needed). */
  rf_notifier_send_async (rf_result_page_get_headline (self->result_page),
                          error != NULL ? _("Open Reflash to see what to do next.")
                                        : rf_result_page_get_next_step (self->result_page),
                          NULL, on_notified, NULL);
}

static void
on_flash_finished (RfWindow *self)
{
  guint index;

  rf_result_page_set_outcome (self->result_page, rf_writing_page_get_job (self->writing_page),
                              rf_writing_page_get_error (self->writing_page));
  if (self->rehearsal_twin != NULL &&
      rf_job_get_device (RF_JOB (rf_writing_page_get_job (self->writing_page))) ==
      self->rehearsal_twin &&
      rf_writing_page_get_error (self->writing_page) == NULL)
    rf_result_page_offer_real_drive (self->result_page);
  if (g_ptr_array_find (self->pages, self->result_page, &index))
    rf_window_show_page (self, index);
  notify_flash_ended (self);
}

static void
start_flash (RfWindow *self)
{
  g_autoptr(RfFlashJob) job = make_flash_job (self);

  rf_writing_page_start (self->writing_page, job);
}

/* The wizard's controller: what a page needs from the earlier ones, handed over as
 * the user moves on. */
static void
prepare_page (RfWindow *self,
              RfPage   *page)
{
  if (page == RF_PAGE (self->diagnosis_page))
    rf_diagnosis_page_set_device (self->diagnosis_page,
                                  rf_drives_page_get_selected_device (self->drives_page),
                                  self->db);
  else if (page == RF_PAGE (self->firmware_page))
    {
      rf_firmware_page_set_journal (self->firmware_page,
                                    rf_diagnosis_page_get_journal (self->diagnosis_page));
      rf_firmware_page_set_device (self->firmware_page,
                                   rf_diagnosis_page_get_device (self->diagnosis_page));
    }
  else if (page == RF_PAGE (self->confirm_page))
    rf_confirm_page_set_flash (self->confirm_page,
                               rf_diagnosis_page_get_device (self->diagnosis_page),
                               rf_firmware_page_get_check (self->firmware_page));
  else if (page == RF_PAGE (self->writing_page))
    start_flash (self);
}

static void
wizard_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);
  RfPage *page = rf_window_get_visible_page (self);

  ensure_later_pages (self);
  if (self->current + 1 < self->pages->len && rf_page_get_complete (page))
    {
      prepare_page (self, g_ptr_array_index (self->pages, self->current + 1));
      rf_window_show_page (self, self->current + 1);
    }
}

/* The notice of an interrupted flash: its drive is chosen, looked at in
 * depth, given the journal's copy of the image, and Before Writing shown;
 * each step only when its page agrees. */
static void
wizard_resume (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);
  RfJournalMatch match = RF_JOURNAL_MATCH_NONE;
  RfDevice *device;
  guint drives_index;

  ensure_later_pages (self);
  if (self->journals == NULL || rf_writing_page_is_running (self->writing_page) ||
      !g_ptr_array_find (self->pages, self->drives_page, &drives_index))
    return;
  device = rf_journal_presenter_get_candidate (self->journals, &match);
  if (device == NULL)
    return;
  rf_drives_page_select_device (self->drives_page, device);
  rf_window_show_page (self, drives_index);
  /* A drive on another port stops at Diagnosis: only the person can say it is
   * the same drive, and then goes on. */
  self->resume_step = match == RF_JOURNAL_MATCH_SAME_PORT ? RESUME_DIAGNOSIS : RESUME_NONE;
  wizard_next (widget, NULL, NULL);
  continue_resume (self);
}

/* A flash that failed after the old firmware was erased: the same firmware
 * again, judged anew against the drive as the failed flash left it, through
 * Before Writing, whose questions are asked again. */
static void
result_retry (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);
  guint index;

  ensure_later_pages (self);
  if (rf_writing_page_is_running (self->writing_page) ||
      !g_ptr_array_find (self->pages, self->confirm_page, &index))
    return;
  rf_firmware_page_set_device (self->firmware_page,
                               rf_diagnosis_page_get_device (self->diagnosis_page));
  prepare_page (self, RF_PAGE (self->confirm_page));
  rf_window_show_page (self, index);
}

/* ---- rehearsal on a twin (issue 26) ---- */

typedef struct {
  RfDevice *device;
  RfDriveDb *db;
  RfBackupStore *store;
  char *twin_of;
} TwinWork;

static void
twin_work_free (TwinWork *work)
{
  g_clear_object (&work->device);
  g_clear_object (&work->db);
  g_clear_object (&work->store);
  g_free (work->twin_of);
  g_free (work);
}

/* The image of a verified backup taken now, as `reflash-cli backup` takes it. */
static GBytes *
back_up_for_twin (TwinWork      *work,
                  GCancellable  *cancellable,
                  GError       **error)
{
  g_autoptr(RfBackupJob) job = rf_backup_job_new (work->device, work->db, work->store);
  g_autofree char *contents = NULL;
  gsize length;

  if (!rf_job_run (RF_JOB (job), cancellable, error) ||
      !g_file_get_contents (rf_backup_job_get_backup (job)->image_path, &contents, &length,
                            error))
    {
      rf_error_convert (error);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* On a worker: the backup a drive with firmware needs, then the twin's
 * files. Nothing else reaches the drive. */
static void
make_twin_in_thread (GTask        *task,
                     gpointer      source,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  TwinWork *work = task_data;
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (work->device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (work->device);
  g_autoptr(GBytes) image = NULL;
  GError *error = NULL;
  char *id;

  if (!identity->safe_mode && (image = back_up_for_twin (work, cancellable, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  id = rf_sim_twin_make (identity, family, image, work->twin_of, NULL, &error);
  if (id == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, id, g_free);
}

/* The twin is a practice drive like the others: chosen, and checked on the
 * Diagnosis page; the real drive is remembered for the way back. */
static void
on_twin_made (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RfWindow *self = RF_WINDOW (source);
  TwinWork *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_task_propagate_pointer (G_TASK (result), &error);
  RfDevice *twin = NULL;
  RfSimDrive *drive;
  guint drives_index;

  if (id != NULL && self->practice != NULL)
    twin = rf_sim_source_add (self->practice, id);
  if (twin == NULL)
    {
      if (error == NULL)
        g_set_error (&error, RF_ERROR, RF_ERROR_NOT_FOUND, "the twin %s could not be opened", id);
      g_message ("no twin of %s: %s", rf_device_get_id (work->device), error->message);
      if (self->diagnosis_page != NULL)
        rf_diagnosis_page_rehearse_failed (self->diagnosis_page, error);
      return;
    }
  drive = rf_sim_source_get_drive (self->practice, id);
  if (drive != NULL)
    rf_sim_drive_set_speed (drive, g_settings_get_double (self->settings, "practice-speed"));
  g_set_object (&self->rehearsal_real, work->device);
  g_set_object (&self->rehearsal_twin, twin);
  rf_drives_page_select_device (self->drives_page, twin);
  if (g_ptr_array_find (self->pages, self->drives_page, &drives_index))
    {
      rf_window_show_page (self, drives_index);
      wizard_next (GTK_WIDGET (self), NULL, NULL);
    }
}

static void
on_rehearse (RfWindow *self,
             RfDevice *device)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, on_twin_made, NULL);
  TwinWork *work = g_new0 (TwinWork, 1);
  g_autofree char *model = rf_device_dup_model_name (device);

  work->device = g_object_ref (device);
  work->db = g_object_ref (self->db);
  if (self->backup_store == NULL)
    self->backup_store = rf_backup_store_new (NULL);
  work->store = g_object_ref (self->backup_store);
  /* Translators: what a twin copies: the model, then the drive's name
   * ("ND-3550A on /dev/sg2") */
  work->twin_of = g_strdup_printf (C_("twin", "%s on %s"), model, rf_device_get_id (device));
  g_task_set_task_data (task, work, (GDestroyNotify) twin_work_free);
  g_task_run_in_thread (task, make_twin_in_thread);
}

/* "Now do it on the real drive": its Diagnosis, checked again, then the
 * Firmware page with the rehearsal's file. */
static void
result_real_drive (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);
  guint drives_index;

  if (self->rehearsal_real == NULL || rf_writing_page_is_running (self->writing_page) ||
      !g_ptr_array_find (self->pages, self->drives_page, &drives_index))
    return;
  rf_drives_page_select_device (self->drives_page, self->rehearsal_real);
  self->returning_to_real = TRUE;
  rf_window_show_page (self, drives_index);
  wizard_next (GTK_WIDGET (self), NULL, NULL);
}

/**
 * rf_window_set_practice_source:
 * @practice: the practice drives, which twins join
 *
 * From then on the Diagnosis page of a real drive offers a twin to rehearse on.
 */
void
rf_window_set_practice_source (RfWindow    *self,
                               RfSimSource *practice)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_SIM_SOURCE (practice));

  g_set_object (&self->practice, practice);
  if (self->diagnosis_page != NULL)
    rf_diagnosis_page_set_can_rehearse (self->diagnosis_page, TRUE);
}

static void
rf_window_dispose (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);

  g_clear_handle_id (&self->later_pages_idle, g_source_remove);
  for (guint i = 0; i < self->pages->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->pages, i),
                                          on_page_changed, self);
  g_ptr_array_set_size (self->pages, 0);
  g_clear_object (&self->settings);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->journals);
  g_clear_object (&self->journal_store);
  g_clear_object (&self->backup_store);
  g_clear_object (&self->practice);
  g_clear_object (&self->rehearsal_real);
  g_clear_object (&self->rehearsal_twin);
  g_clear_object (&self->drives);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (rf_window_parent_class)->dispose (object);
}

static void
rf_window_finalize (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);

  g_free (self->logged_page);
  g_ptr_array_unref (self->pages);
  G_OBJECT_CLASS (rf_window_parent_class)->finalize (object);
}

/* While a drive is being brought back from safe mode the window stays, and
 * says why: closing it would end Reflash with the drive in safe mode. */
static gboolean
rf_window_close_request (GtkWindow *window)
{
  RfWindow *self = RF_WINDOW (window);
  GtkWindowClass *parent_class = GTK_WINDOW_CLASS (rf_window_parent_class);
  AdwMessageDialog *dialog;

  if (self->writing_page != NULL && rf_writing_page_is_running (self->writing_page))
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
        window, _("Firmware Is Being Written"),
        rf_writing_page_must_finish (self->writing_page)
        ? _("Closing Reflash now could leave the drive without working firmware. The window "
            "can be closed once the new firmware is written and checked.")
        : _("Stop the flash first: the drive is left as it is. Then the window can be closed.")));
      adw_message_dialog_add_response (dialog, "close", _("_OK"));
      gtk_window_present (GTK_WINDOW (dialog));
      return TRUE;
    }
  if (!rf_must_finish_is_active ())
    return parent_class->close_request != NULL && parent_class->close_request (window);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (
    window, _("The Drive Is Being Brought Back"),
    _("Reflash put the drive in safe mode for a moment to check it and is bringing it back now. "
      "This takes a few seconds; the window can be closed once it is done.")));
  adw_message_dialog_add_response (dialog, "close", _("_OK"));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* The later steps wait for the window's first frame: a person reads the
 * welcome first, and the window is on screen sooner. */
static void
rf_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (rf_window_parent_class)->realize (widget);
  g_signal_connect_object (gtk_widget_get_frame_clock (widget), "after-paint",
                           G_CALLBACK (on_first_frame), widget, 0);
}

static void
rf_window_class_init (RfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  rf_accessible_repair_all_names ();

  object_class->dispose = rf_window_dispose;
  object_class->finalize = rf_window_finalize;
  window_class->close_request = rf_window_close_request;
  widget_class->realize = rf_window_realize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/rf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, next_button);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, practice_tag);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, stack);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next);
  gtk_widget_class_install_action (widget_class, "result.retry", NULL, result_retry);
  gtk_widget_class_install_action (widget_class, "result.real-drive", NULL, result_real_drive);
  gtk_widget_class_install_action (widget_class, "wizard.resume", NULL, wizard_resume);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, menu_button);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next",
                                       NULL);
}

static void
rf_window_init (RfWindow *self)
{
  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The schema id is fixed; the .Devel build shares its settings. */
  self->settings = g_settings_new ("io.github.reflash.Reflash");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  rf_window_add_page (self, RF_PAGE (rf_welcome_page_new ()), "welcome");
  self->drives_page = RF_DRIVES_PAGE (rf_drives_page_new ());
  rf_window_add_page (self, RF_PAGE (self->drives_page), "drives");
  self->drives = g_list_store_new (RF_TYPE_DEVICE);
}

static void
on_device_added (RfWindow *self,
                 RfDevice *device)
{
  g_list_store_append (self->drives, device);
}

static void
on_device_removed (RfWindow *self,
                   RfDevice *device)
{
  guint position;

  if (g_list_store_find (self->drives, device, &position))
    g_list_store_remove (self->drives, position);
}

/**
 * rf_window_set_monitor:
 * @monitor: real drives and registered sources (practice drives)
 * @db: the drive families
 *
 * Fills the drive list and keeps it current on hotplug.
 */
void
rf_window_set_monitor (RfWindow        *self,
                       RfDeviceMonitor *monitor,
                       RfDriveDb       *db)
{
  g_autoptr(GPtrArray) devices = NULL;

  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_DEVICE_MONITOR (monitor));
  g_return_if_fail (RF_IS_DRIVE_DB (db));
  g_return_if_fail (self->monitor == NULL);

  self->monitor = g_object_ref (monitor);
  self->db = g_object_ref (db);
  devices = rf_device_monitor_list_devices (monitor, TRUE);
  g_list_store_splice (self->drives, 0, 0, devices->pdata, devices->len);
  g_signal_connect_swapped (monitor, "device-added", G_CALLBACK (on_device_added), self);
  g_signal_connect_swapped (monitor, "device-removed", G_CALLBACK (on_device_removed), self);
  rf_drives_page_set_drives (self->drives_page, G_LIST_MODEL (self->drives), db);
  /* The open journals are files: reading them sends nothing to a drive. */
  if (self->journal_store == NULL)
    self->journal_store = rf_journal_store_new (NULL);
  self->journals = rf_journal_presenter_new (self->journal_store, db, G_LIST_MODEL (self->drives));
  rf_drives_page_set_journals (self->drives_page, self->journals);
  if (self->diagnosis_page != NULL)
    rf_diagnosis_page_set_journals (self->diagnosis_page, self->journals);
}

/**
 * rf_window_set_journal_store:
 * @store: where the journals of interrupted flashes are; without it, the
 *   user's own (rf_journal_store_new (NULL))
 *
 * Called before rf_window_set_monitor().
 */
void
rf_window_set_journal_store (RfWindow       *self,
                             RfJournalStore *store)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_JOURNAL_STORE (store));
  g_return_if_fail (self->monitor == NULL);

  g_set_object (&self->journal_store, store);
}

/**
 * rf_window_open_drive:
 * @id: a drive's id ("practice:seed", "/dev/sg1")
 *
 * Chooses the drive @id in the drive list, as if the user had clicked it, without
 * leaving the page shown: the user still reads the welcome first.
 *
 * Returns: %FALSE if no listed drive has that id
 */
gboolean
rf_window_open_drive (RfWindow   *self,
                      const char *id)
{
  guint n;

  g_return_val_if_fail (RF_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->drives));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfDevice) device = g_list_model_get_item (G_LIST_MODEL (self->drives), i);

      if (g_str_equal (rf_device_get_id (device), id))
        {
          rf_drives_page_select_device (self->drives_page, device);
          return TRUE;
        }
    }
  return FALSE;
}

RfWindow *
rf_window_new (GtkApplication *application)
{
  return g_object_new (RF_TYPE_WINDOW, "application", application, NULL);
}

/**
 * rf_window_add_page:
 * @self: the window
 * @page: (transfer floating): the next step of the wizard
 * @name: the stack child's name
 *
 * Appends @page after the existing ones.
 */
void
rf_window_add_page (RfWindow   *self,
                    RfPage     *page,
                    const char *name)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_PAGE (page));

  g_ptr_array_add (self->pages, g_object_ref_sink (page));
  gtk_stack_add_named (self->stack, GTK_WIDGET (page), name);
  g_signal_connect_swapped (page, "notify::complete", G_CALLBACK (on_page_changed), self);
  g_signal_connect_swapped (page, "notify::title", G_CALLBACK (on_page_changed), self);
  g_signal_connect_swapped (page, "notify::next-label", G_CALLBACK (on_page_changed), self);
  g_signal_connect_swapped (page, "notify::back-blocked", G_CALLBACK (on_page_changed), self);
  rf_window_update (self);
}

RfPage *
rf_window_get_visible_page (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), NULL);

  if (self->current >= self->pages->len)
    return NULL;
  return g_ptr_array_index (self->pages, self->current);
}

guint
rf_window_get_page_count (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), 0);
  ensure_later_pages (self);
  return self->pages->len;
}
