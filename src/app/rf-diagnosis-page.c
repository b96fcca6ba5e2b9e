/* rf-diagnosis-page.c: what state the chosen drive is in, in plain words
 *
 * This is where the deep check runs (DOMAIN.md "Probing depth"): only for the one
 * drive the user chose, and it leaves the drive in the mode it was found in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-diagnosis-page.h"
#include "rf-details-group.h"
#include "rf-drive-lock.h"
#include "rf-drive-presenter.h"
#include "rf-error.h"
#include "rf-journal-presenter.h"
#include "rf-report.h"
#include "rf-report-saver.h"

struct _RfDiagnosisPage
{
  RfPage parent_instance;

  GtkImage *state_icon;
  GtkLabel *drive_label;
  GtkLabel *state_label;
  GtkLabel *explanation_label;
  GtkLabel *advice_label;
  GtkWidget *checking_box;
  GtkWidget *result_box;
  RfDetailsGroup *details_group;
  RfDetailsGroup *technical_group;
  GtkWidget *journal_box;
  GtkLabel *journal_label;
  GtkCheckButton *journal_confirm;
  GtkWidget *practice_group;
  AdwActionRow *disc_row;
  GtkButton *disc_button;
  GtkLabel *practice_status;
  GtkWidget *rights_box;
  GtkLabel *rights_status;
  GtkWidget *twin_box;
  GtkLabel *twin_status;
  GtkWidget *admin_expander;
  GtkLabel *admin_command;

  RfDevice *device;
  RfJournalPresenter *journals;
  RfJournal *journal;          /* the open journal this drive may belong to */
  RfJournalMatch journal_match;
  gboolean journal_other_drive; /* the deep look showed another drive */
  RfDriveDb *db;
  GCancellable *cancellable;
  const char *state_style;
  RfHelperLauncher *launcher;  /* NULL: pkexec and the installed helper */
  gboolean can_rehearse;       /* a twin can be made and offered (practice drives shown) */
};

enum {
  SIGNAL_REHEARSE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (RfDiagnosisPage, rf_diagnosis_page, RF_TYPE_PAGE)

/* What a person reads: each number once, by the name it has on every page
 * (model, firmware version, bootcode version); the raw answers and codes go
 * under Technical Details. */
static void
show_details (RfDiagnosisPage *self)
{
  g_autoptr(RfDriveIdentity) id = rf_device_dup_identity (self->device);
  g_autofree char *model = rf_device_dup_model_name (self->device);
  g_autofree char *stored = NULL;
  g_autofree char *answer = NULL;
  g_autoptr(RfSimDrive) practice = rf_drive_presenter_dup_practice_drive (self->device);

  rf_details_group_clear (self->details_group);
  rf_details_group_clear (self->technical_group);
  if (id == NULL)
    return;
  stored = rf_drive_presenter_dup_model_name (self->device, id->stored_id);
  answer = g_strstrip (g_strdup_printf ("%s %s %s", id->vendor ? id->vendor : "",
                                        id->product ? id->product : "",
                                        id->revision ? id->revision : ""));
  rf_details_group_add (self->details_group, _("Model"), model);
  rf_details_group_add (self->details_group, _("Firmware version"),
                        id->safe_mode ? _("None running (safe mode)") : id->revision);
  rf_details_group_add (self->details_group, _("Bootcode version"), id->bootcode_version);
  if (g_strcmp0 (stored, model) != 0)
    rf_details_group_add (self->details_group, _("Stored identity"), stored);
  rf_details_group_add (self->details_group, _("Serial number"), id->serial);
  rf_details_group_add (self->details_group, _("Connection"), rf_device_is_practice (self->device)
                                     ? _("Practice drive (simulated)")
                                     : rf_device_get_id (self->device));
  if (practice != NULL)
    rf_details_group_add (self->details_group, _("The drive's light"),
                rf_drive_presenter_led_words (rf_sim_drive_get_led (practice)));

  rf_details_group_add (self->technical_group, _("Identification answer"), answer);
  rf_details_group_add (self->technical_group, _("Vendor-specific data"), id->vendor_specific);
  rf_details_group_add (self->technical_group, _("Firmware date"), id->firmware_date);
  rf_details_group_add (self->technical_group, _("Stored ID"), id->stored_id);
  rf_details_group_add (self->technical_group, _("Bootcode key"), id->bootcode_key);
  rf_details_group_add (self->technical_group, _("RID code"), id->rid_code);
  rf_details_group_add (self->technical_group, _("Family"), id->family);
}

/* After a deep look: is this really the journal's drive (stored ID, bootcode key
 * and version), and did the flash change it at all? */
static char *
dup_journal_finding (RfDiagnosisPage *self)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self->device);
  g_autoptr(GError) error = NULL;

  self->journal_other_drive = FALSE;
  if (rf_device_get_probe_depth (self->device) != RF_PROBE_DEPTH_DEEP ||
      identity->bootcode_key == NULL)
    return NULL;
  if (!rf_journal_check_identity (self->journal, identity, &error))
    {
      self->journal_other_drive = TRUE;
      return g_strdup (rf_error_code_to_sentence (error->code));
    }
  if (rf_journal_drive_is_unchanged (self->journal, identity))
    return g_strdup (_("The drive still runs its old firmware: the interrupted flash changed nothing."));
  return NULL;
}

static void
show_journal (RfDiagnosisPage *self)
{
  g_autofree char *explanation = NULL;
  g_autofree char *finding = NULL;

  gtk_widget_set_visible (self->journal_box, self->journal != NULL);
  if (self->journal == NULL)
    return;
  explanation = rf_journal_presenter_dup_explanation (self->journals, self->journal,
                                                      self->journal_match);
  finding = dup_journal_finding (self);
  if (finding != NULL)
    {
      g_autofree char *both = g_strconcat (explanation, "\n\n", finding, NULL);

      g_free (explanation);
      explanation = g_steal_pointer (&both);
    }
  gtk_label_set_label (self->journal_label, explanation);
  gtk_widget_set_visible (GTK_WIDGET (self->journal_confirm),
                          self->journal_match == RF_JOURNAL_MATCH_OTHER_PORT &&
                          !self->journal_other_drive);
}

/* The practice controls, for a practice drive only: what its disc is now. */
static void
show_practice (RfDiagnosisPage *self)
{
  g_autoptr(RfSimDrive) practice = rf_drive_presenter_dup_practice_drive (self->device);
  gboolean disc;

  gtk_widget_set_visible (self->practice_group, practice != NULL);
  if (practice == NULL)
    return;
  disc = rf_sim_drive_has_disc (practice);
  adw_action_row_set_subtitle (self->disc_row, disc ? _("A disc is inside") : _("No disc inside"));
  /* Alt+O: Alt+T is Technical Details on the same page. */
  gtk_button_set_label (self->disc_button, disc ? _("Take It _Out") : _("_Put One In"));
}

/* A real drive this account may not use gets the one way on: a check with
 * an administrator's rights, for this drive only (ARCHITECTURE.md
 * "Privileges"). A practice drive has no password to ask for. */
static gboolean
can_ask_for_rights (RfDevice *device)
{
  RfDriveState state = rf_device_get_state (device);

  return (state == RF_DRIVE_STATE_NO_ACCESS || state == RF_DRIVE_STATE_NEEDS_ADMIN) &&
         !rf_device_is_practice (device) && !rf_device_uses_helper (device);
}

static void
show_rights (RfDiagnosisPage *self)
{
  gtk_widget_set_visible (self->rights_box, can_ask_for_rights (self->device));
}

/* A twin copies what a full check of a real drive proved: a drive that runs
 * its firmware, or one in safe mode (issue 26). */
static gboolean
can_be_twinned (RfDevice *device)
{
  RfDriveState state = rf_device_get_state (device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);

  return !rf_device_is_practice (device) && family != NULL &&
         rf_device_get_probe_depth (device) == RF_PROBE_DEPTH_DEEP &&
         (state == RF_DRIVE_STATE_READY || state == RF_DRIVE_STATE_SAFE_MODE ||
          state == RF_DRIVE_STATE_IDENTITY_MISMATCH);
}

static void
show_twin (RfDiagnosisPage *self)
{
  gtk_widget_set_visible (self->twin_box, self->can_rehearse && self->device != NULL &&
                                          can_be_twinned (self->device));
}

static void
hide_rights_outcome (RfDiagnosisPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->rights_status), FALSE);
  gtk_widget_set_visible (self->admin_expander, FALSE);
}

static void
show_result (RfDiagnosisPage *self)
{
  RfDriveState state = rf_device_get_state (self->device);
  g_autofree char *title = rf_drive_presenter_dup_title (self->device);
  g_autofree char *headline = rf_device_dup_headline (self->device);
  g_autofree char *explanation = rf_device_dup_explanation (self->device);
  g_autofree char *advice = rf_device_dup_advice (self->device);

  gtk_label_set_label (self->drive_label, title);
  gtk_label_set_label (self->state_label, headline);
  gtk_image_set_from_icon_name (self->state_icon, rf_drive_presenter_state_icon (state));
  if (self->state_style != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_icon), self->state_style);
  self->state_style = rf_drive_presenter_state_style (state);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_icon), self->state_style);
  gtk_label_set_label (self->explanation_label, explanation);
  gtk_label_set_label (self->advice_label, advice);
  gtk_widget_set_visible (GTK_WIDGET (self->advice_label), advice != NULL);
  show_details (self);
  show_journal (self);
  show_practice (self);
  show_rights (self);
  show_twin (self);
}

/* Going on to a firmware file makes sense only for a drive Reflash could write:
 * one that runs (or waits in safe mode) and whose bootcode is known. */
static gboolean
can_take_firmware (RfDevice *device)
{
  switch (rf_device_get_state (device))
    {
    case RF_DRIVE_STATE_READY:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      return TRUE;
    case RF_DRIVE_STATE_SAFE_MODE:
      return g_strcmp0 (rf_device_get_reason (device), "bootcode-key-unknown") != 0;
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_BUSY:
    case RF_DRIVE_STATE_UNSUPPORTED:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_NO_ACCESS:
    case RF_DRIVE_STATE_NEEDS_ADMIN:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
    case RF_DRIVE_STATE_LAST:
    default:
      return FALSE;
    }
}

/* While the drive is checked nothing on the page can take the focus (the
 * page's scroller holds it, or the Check Again just pressed lost it): the
 * answer's first control gets it back, so keyboard and screen reader go on
 * from the answer. A focus the person put elsewhere (the header) stays.
 * After the answer's first layout: focus order follows where controls are. */
static void
focus_answer (GdkFrameClock   *clock,
              RfDiagnosisPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  g_signal_handlers_disconnect_by_func (clock, focus_answer, self);
  if (root == NULL || !gtk_widget_get_mapped (self->result_box))
    return;
  if (focus == NULL ||
      (gtk_widget_is_ancestor (focus, GTK_WIDGET (self)) &&
       !gtk_widget_is_ancestor (focus, self->result_box)))
    gtk_widget_child_focus (self->result_box, GTK_DIR_TAB_FORWARD);
}

static void
focus_answer_when_shown (RfDiagnosisPage *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (clock == NULL)
    return;
  g_signal_handlers_disconnect_by_func (clock, focus_answer, self);
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (focus_answer), self, 0);
}

static void
set_checking (RfDiagnosisPage *self,
              gboolean         checking)
{
  gtk_widget_set_visible (self->checking_box, checking);
  gtk_widget_set_visible (self->result_box, !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.check-again", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.practice-disc", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.practice-power-cycle", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.practice-reset", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.save-report", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.check-as-admin", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.rehearse", !checking);
  rf_page_set_complete (RF_PAGE (self), !checking && can_take_firmware (self->device));
  if (!checking)
    focus_answer_when_shown (self);
}

/* The open journal the chosen drive may belong to; a drive on another port
 * needs the person's word again each time it is chosen. */
static void
find_journal (RfDiagnosisPage *self)
{
  RfJournal *journal = NULL;

  self->journal_match = RF_JOURNAL_MATCH_NONE;
  self->journal_other_drive = FALSE;
  if (self->journals != NULL)
    journal = rf_journal_presenter_find (self->journals, self->device, &self->journal_match);
  g_set_object (&self->journal, journal);
  gtk_check_button_set_active (self->journal_confirm, FALSE);
}

static gboolean
is_refused_authentication (const GError *error)
{
  return g_error_matches (error, RF_ERROR, RF_ERROR_AUTH_CANCELLED) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_NO_AGENT) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_HELPER_MISSING) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_AUTH_FAILED);
}

/* Without an authentication agent no password prompt can appear: the one
 * place the wizard shows a command, for an administrator to type. */
static void
show_refused_authentication (RfDiagnosisPage *self,
                             const GError    *error)
{
  gboolean no_agent = g_error_matches (error, RF_ERROR, RF_ERROR_NO_AGENT);

  gtk_label_set_label (self->rights_status, rf_error_code_to_sentence (error->code));
  gtk_widget_set_visible (GTK_WIDGET (self->rights_status), TRUE);
  gtk_widget_set_visible (self->admin_expander, no_agent);
  if (no_agent)
    {
      g_autofree char *command = g_strdup_printf ("sudo reflash-cli info %s",
                                                  rf_device_get_id (self->device));
      gtk_label_set_label (self->admin_command, command);
    }
}

static void
on_deep_probe_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(RfDiagnosisPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!rf_device_probe_finish (RF_DEVICE (source), result, &error) &&
      g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED))
    return;
  if (RF_DEVICE (source) != self->device)
    return;
  /* A drive chosen before its passive look ended had no family to match a
   * journal by; it has one now. */
  if (self->journal == NULL)
    find_journal (self);
  if (error != NULL && is_refused_authentication (error))
    {
      /* Nothing reached the drive: it keeps the state it had, and the page
       * says why the rights did not come. */
      rf_device_set_helper (self->device, NULL);
      set_checking (self, FALSE);
      show_result (self);
      show_refused_authentication (self, error);
      return;
    }
  set_checking (self, FALSE);
  show_result (self);
  if (error != NULL)
    {
      /* The drive went away or is no SCSI node: say so instead of old results. */
      gtk_label_set_label (self->state_label, _("The drive does not answer"));
      gtk_label_set_label (self->explanation_label, rf_error_code_to_sentence (error->code));
    }
}

/* A practice drive another program changed meanwhile (`reflash-cli
 * practice`, a flash by the CLI) is checked as that program left it, as a
 * real drive would be. A drive another job holds stays as it is: the check
 * then says it is busy. */
static void
catch_up_practice_drive (RfDiagnosisPage *self)
{
  g_autoptr(RfSimDrive) practice = rf_drive_presenter_dup_practice_drive (self->device);
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  if (practice == NULL)
    return;
  lock = rf_drive_lock_acquire (rf_device_get_lock_name (self->device), NULL);
  if (lock != NULL && !rf_sim_drive_catch_up (practice, &error))
    g_message ("practice drive %s: %s", rf_device_get_id (self->device), error->message);
}

static void
start_check (RfDiagnosisPage *self)
{
  catch_up_practice_drive (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  hide_rights_outcome (self);
  set_checking (self, TRUE);
  rf_device_probe_async (self->device, self->db, RF_PROBE_DEPTH_DEEP, self->cancellable,
                         on_deep_probe_done, g_object_ref (self));
}

static void
rehearse (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);
  g_autoptr(RfDriveIdentity) identity = NULL;

  if (self->device == NULL || !self->can_rehearse || !can_be_twinned (self->device) ||
      rf_diagnosis_page_is_checking (self))
    return;
  gtk_widget_action_set_enabled (widget, "diagnosis.rehearse", FALSE);
  identity = rf_device_dup_identity (self->device);
  gtk_label_set_label (self->twin_status,
                       identity != NULL && identity->safe_mode
                       ? _("Making its twin…")
                       : _("Backing up its firmware for the twin. The drive's light blinks briefly now and then."));
  gtk_widget_set_visible (GTK_WIDGET (self->twin_status), TRUE);
  g_signal_emit (self, signals[SIGNAL_REHEARSE], 0, self->device);
}

/**
 * rf_diagnosis_page_set_can_rehearse:
 *
 * Whether twins can be made and offered here (the window has the practice
 * drives). Shown for a real drive whose full check found it working or in
 * safe mode.
 */
void
rf_diagnosis_page_set_can_rehearse (RfDiagnosisPage *self,
                                    gboolean         can_rehearse)
{
  g_return_if_fail (RF_IS_DIAGNOSIS_PAGE (self));

  self->can_rehearse = can_rehearse;
  if (self->device != NULL)
    show_twin (self);
}

/**
 * rf_diagnosis_page_rehearse_failed:
 * @error: why the twin could not be made
 *
 * Says so below the button, which can be pressed again.
 */
void
rf_diagnosis_page_rehearse_failed (RfDiagnosisPage *self,
                                   const GError    *error)
{
  g_return_if_fail (RF_IS_DIAGNOSIS_PAGE (self));

  gtk_label_set_label (self->twin_status, rf_error_code_to_sentence (rf_error_get_code (error)));
  gtk_widget_set_visible (GTK_WIDGET (self->twin_status), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "diagnosis.rehearse", TRUE);
}

static void
check_again (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);

  if (self->device != NULL)
    start_check (self);
}

/* From now on this drive's check, backup and flash go through the helper;
 * polkit asks for the password when the check starts it. */
static void
check_as_admin (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);

  if (self->device == NULL || !can_ask_for_rights (self->device))
    return;
  rf_device_set_helper (self->device, self->launcher != NULL ? self->launcher
                                                             : rf_helper_launcher_get_default ());
  start_check (self);
}

static void
copy_admin_command (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget),
                          gtk_label_get_label (self->admin_command));
}

static gboolean
apply_practice_control (RfSimDrive  *practice,
                        const char  *action_name,
                        GError     **error)
{
  if (g_str_equal (action_name, "diagnosis.practice-disc"))
    rf_sim_drive_set_disc (practice, !rf_sim_drive_has_disc (practice));
  else if (g_str_equal (action_name, "diagnosis.practice-power-cycle"))
    rf_sim_drive_power_cycle (practice);
  else
    return rf_sim_drive_reset (practice, error);
  return TRUE;
}

/* A practice control changes the drive as a person changes a real one, under
 * the drive's lock (never while a flash of it runs elsewhere), and the drive
 * is checked again so that the page gives the new answer. */
static void
practice_control (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);
  g_autoptr(RfSimDrive) practice = NULL;
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(GError) error = NULL;

  if (self->device == NULL || rf_diagnosis_page_is_checking (self))
    return;
  practice = rf_drive_presenter_dup_practice_drive (self->device);
  if (practice == NULL)
    return;
  lock = rf_drive_lock_acquire (rf_device_get_lock_name (self->device), &error);
  if (lock == NULL || !apply_practice_control (practice, action_name, &error))
    {
      g_message ("practice control %s: %s", action_name, error->message);
      gtk_label_set_label (self->practice_status,
                           rf_error_code_to_sentence (rf_error_get_code (error)));
      gtk_widget_set_visible (GTK_WIDGET (self->practice_status), TRUE);
      return;
    }
  g_clear_object (&lock);
  gtk_widget_set_visible (GTK_WIDGET (self->practice_status), FALSE);
  start_check (self);
}

static void
save_report (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (widget);
  g_autoptr(RfReport) report = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(GBytes) json = NULL;

  if (self->device == NULL)
    return;
  report = rf_report_new ();
  rf_report_set_device (report, self->device);
  transcript = rf_device_dup_transcript (self->device);
  rf_report_set_transcript (report, transcript);
  json = rf_report_to_json (report);
  rf_report_saver_save (widget, json);
}

static void
rf_diagnosis_page_dispose (GObject *object)
{
  RfDiagnosisPage *self = RF_DIAGNOSIS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->device);
  g_clear_object (&self->db);
  g_clear_object (&self->journal);
  g_clear_object (&self->journals);
  g_clear_object (&self->launcher);
  G_OBJECT_CLASS (rf_diagnosis_page_parent_class)->dispose (object);
}

static void
rf_diagnosis_page_class_init (RfDiagnosisPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_diagnosis_page_dispose;

  g_type_ensure (RF_TYPE_DETAILS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-diagnosis-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, state_icon);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, drive_label);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, state_label);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, explanation_label);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, advice_label);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, checking_box);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, details_group);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, technical_group);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, journal_box);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, journal_label);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, journal_confirm);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, practice_group);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, disc_row);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, disc_button);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, practice_status);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, rights_box);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, twin_box);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, twin_status);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, rights_status);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, admin_expander);
  gtk_widget_class_bind_template_child (widget_class, RfDiagnosisPage, admin_command);
  gtk_widget_class_install_action (widget_class, "diagnosis.check-again", NULL, check_again);
  gtk_widget_class_install_action (widget_class, "diagnosis.rehearse", NULL, rehearse);
  /**
   * RfDiagnosisPage::rehearse:
   * @device: the real drive, checked in depth
   *
   * The person asked for a twin of @device to rehearse on.
   */
  signals[SIGNAL_REHEARSE] = g_signal_new ("rehearse", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 1, RF_TYPE_DEVICE);
  gtk_widget_class_install_action (widget_class, "diagnosis.practice-disc", NULL,
                                   practice_control);
  gtk_widget_class_install_action (widget_class, "diagnosis.practice-power-cycle", NULL,
                                   practice_control);
  gtk_widget_class_install_action (widget_class, "diagnosis.practice-reset", NULL,
                                   practice_control);
  gtk_widget_class_install_action (widget_class, "diagnosis.save-report", NULL, save_report);
  gtk_widget_class_install_action (widget_class, "diagnosis.check-as-admin", NULL,
                                   check_as_admin);
  gtk_widget_class_install_action (widget_class, "diagnosis.copy-admin-command", NULL,
                                   copy_admin_command);
}

static void
rf_diagnosis_page_init (RfDiagnosisPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rf_diagnosis_page_new (void)
{
  return g_object_new (RF_TYPE_DIAGNOSIS_PAGE, NULL);
}

/**
 * rf_diagnosis_page_set_device:
 *
 * Shows @device and starts its deep check. Choosing the same drive again keeps
 * what is shown; the user can ask for a new check.
 */
void
rf_diagnosis_page_set_device (RfDiagnosisPage *self,
                              RfDevice        *device,
                              RfDriveDb       *db)
{
  g_return_if_fail (RF_IS_DIAGNOSIS_PAGE (self));
  g_return_if_fail (RF_IS_DEVICE (device));
  g_return_if_fail (RF_IS_DRIVE_DB (db));

  g_set_object (&self->db, db);
  if (!g_set_object (&self->device, device))
    {
      /* The journals may have been read again since. */
      find_journal (self);
      show_journal (self);
      return;
    }
  find_journal (self);
  show_result (self);
  start_check (self);
}

RfDevice *
rf_diagnosis_page_get_device (RfDiagnosisPage *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSIS_PAGE (self), NULL);
  return self->device;
}

gboolean
rf_diagnosis_page_is_checking (RfDiagnosisPage *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSIS_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->checking_box);
}

/**
 * rf_diagnosis_page_set_journals:
 * @journals: the open journals of interrupted flashes
 *
 * Set before the first drive: the page then explains an interrupted flash of
 * the drive it shows.
 */
void
rf_diagnosis_page_set_journals (RfDiagnosisPage    *self,
                                RfJournalPresenter *journals)
{
  g_return_if_fail (RF_IS_DIAGNOSIS_PAGE (self));
  g_return_if_fail (RF_IS_JOURNAL_PRESENTER (journals));

  g_set_object (&self->journals, journals);
}

/**
 * rf_diagnosis_page_get_journal:
 *
 * The interrupted flash whose firmware the next step may offer: the drive is on
 * the journal's port (or the person said a drive on another port is it), and
 * the deep look found nothing that says it is another drive.
 *
 * Returns: (transfer none) (nullable): the journal
 */
RfJournal *
rf_diagnosis_page_get_journal (RfDiagnosisPage *self)
{
  g_return_val_if_fail (RF_IS_DIAGNOSIS_PAGE (self), NULL);

  if (self->journal == NULL || self->journal_other_drive)
    return NULL;
  if (self->journal_match == RF_JOURNAL_MATCH_OTHER_PORT &&
      !gtk_check_button_get_active (self->journal_confirm))
    return NULL;
  return self->journal;
}

/**
 * rf_diagnosis_page_set_launcher:
 * @launcher: (nullable): how "Check with Administrator Rights" starts the
 *   helper; %NULL for pkexec and the installed helper
 *
 * For tests, which prove when the helper is (not) started.
 */
void
rf_diagnosis_page_set_launcher (RfDiagnosisPage  *self,
                                RfHelperLauncher *launcher)
{
  g_return_if_fail (RF_IS_DIAGNOSIS_PAGE (self));
  g_return_if_fail (launcher == NULL || RF_IS_HELPER_LAUNCHER (launcher));

  g_set_object (&self->launcher, launcher);
}
