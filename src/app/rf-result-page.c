/* rf-result-page.c: how the flash ended, and what to do next
 *
 * Success names the drive as it identified itself after the flash
 * ("Your ND-3550A now runs firmware 1.06", DOMAIN.md "What a good ending
 * looks like"). A failure says what happened in one sentence, whether the
 * drive still works, and the next step: before the point of no return a
 * retry is safe; after it the drive waits for the same firmware, which the
 * retry button writes again (the window runs it as a new flash). Every
 * ending can be saved as a support report (RfReport: the drive, the verdict,
 * the error, the commands sent; no personal data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-error.h"
#include "rf-report.h"
#include "rf-report-saver.h"
#include "rf-result-page.h"

struct _RfResultPage
{
  RfPage parent_instance;

  AdwStatusPage *status_page;
  GtkLabel *next_step_label;
  GtkWidget *recover_button;
  GtkWidget *done_button;
  GtkWidget *report_button;
  GtkWidget *real_drive_button;

  RfFlashJob *job;
  GError *error;
};

G_DEFINE_FINAL_TYPE (RfResultPage, rf_result_page, RF_TYPE_PAGE)

static void
show (RfResultPage *self,
      const char   *icon,
      const char   *headline,
      const char   *description,
      const char   *next_step)
{
  adw_status_page_set_icon_name (self->status_page, icon);
  adw_status_page_set_title (self->status_page, headline);
  adw_status_page_set_description (self->status_page, description);
  gtk_label_set_label (self->next_step_label, next_step != NULL ? next_step : "");
}

static void
show_success (RfResultPage *self,
              RfFlashJob   *job)
{
  RfDevice *device = rf_job_get_device (RF_JOB (job));
  g_autoptr(RfDriveIdentity) after = rf_flash_job_dup_identity_after (job);
  g_autofree char *model = rf_device_dup_model_name (device);
  g_autofree char *headline = NULL;
  const char *next;

  gtk_widget_set_visible (self->done_button, TRUE);
  rf_page_set_default_widget (RF_PAGE (self), self->done_button);
  rf_page_set_opening_focus (RF_PAGE (self), self->done_button);
  if (rf_flash_job_get_found_unchanged (job))
    {
      /* Translators: the drive's model, e.g. "Your ND-3550A is unchanged" */
      headline = g_strdup_printf (_("Your %s is unchanged"), model);
      show (self, "emblem-ok-symbolic", headline,
            _("The interrupted flash had stopped before anything was erased: the drive still "
              "runs the firmware it ran before."),
            NULL);
      return;
    }
  /* Translators: "Your ND-3550A now runs firmware 1.06" */
  headline = g_strdup_printf (_("Your %s now runs firmware %s"), model,
                              after != NULL && after->revision != NULL ? after->revision : "?");
  /* The kernel keeps the identity it read at start-up: the drive came back
   * under another name or version than the system lists. */
  if (after != NULL && rf_device_kernel_identity_is_stale (device, after))
    next = _("Switch the computer off and on once before you use the drive: until then, "
             "other programs still see it as it was before.");
  else
    next = _("You can use the drive again.");
  show (self, "emblem-ok-symbolic", headline,
        _("The new firmware was written, read back and confirmed by the drive itself."), next);
}

static void
show_failure (RfResultPage *self,
              RfFlashJob   *job,
              const GError *error)
{
  RfError code = rf_error_get_code (error);
  const char *what = rf_error_code_to_sentence (code);

  if (rf_flash_job_get_needs_recovery (job))
    {
      show (self, "dialog-warning-symbolic", _("The Drive Needs Its Firmware Again"), what,
            _("The flash stopped after the old firmware was erased, so the drive does not work "
              "yet. It waits for firmware and can be brought back: write the same firmware "
              "again. Reflash kept a copy of it."));
      gtk_widget_set_visible (self->recover_button, TRUE);
      return;
    }
  if (code == RF_ERROR_CANCELLED)
    {
      show (self, "process-stop-symbolic", _("Stopped"),
            _("The flash was stopped before anything was written."),
            _("The drive is as it was and still works."));
      return;
    }
  if (rf_flash_job_get_not_applied (job))
    {
      show (self, "dialog-warning-symbolic", _("The Drive Kept Its Old Firmware"), what,
            _("The drive still works with the firmware it had. Trying again is safe."));
      return;
    }
  show (self, "dialog-warning-symbolic", _("The Firmware Was Not Written"), what,
        _("Nothing on the drive was changed and it still works. Trying again is safe."));
}

/**
 * rf_result_page_set_outcome:
 * @job: the flash that ended
 * @error: (nullable): why it failed
 */
void
rf_result_page_set_outcome (RfResultPage *self,
                            RfFlashJob   *job,
                            const GError *error)
{
  g_return_if_fail (RF_IS_RESULT_PAGE (self));
  g_return_if_fail (RF_IS_FLASH_JOB (job));

  g_set_object (&self->job, job);
  g_clear_error (&self->error);
  self->error = error != NULL ? g_error_copy (error) : NULL;
  gtk_widget_set_visible (self->recover_button, FALSE);
  gtk_widget_set_visible (self->done_button, FALSE);
  gtk_widget_set_visible (self->real_drive_button, FALSE);
  /* Try Again writes to the drive: Enter never presses it, and a second
   * press of the key that started the flash does not land on it. */
  rf_page_set_default_widget (RF_PAGE (self), NULL);
  rf_page_set_opening_focus (RF_PAGE (self), self->report_button);
  if (error == NULL)
    show_success (self, job);
  else
    show_failure (self, job, error);
  rf_page_set_back_blocked (RF_PAGE (self), TRUE);
}

/**
 * rf_result_page_offer_real_drive:
 *
 * After a rehearsal on a twin that went well: the way back to the real drive,
 * with the same firmware file.
 */
void
rf_result_page_offer_real_drive (RfResultPage *self)
{
  g_return_if_fail (RF_IS_RESULT_PAGE (self));

  gtk_widget_set_visible (self->real_drive_button, TRUE);
  gtk_widget_add_css_class (self->real_drive_button, "suggested-action");
  gtk_widget_set_visible (self->done_button, FALSE);
  gtk_label_set_label (self->next_step_label,
                       _("This was the rehearsal on the twin. The real drive has not been changed: "
                         "do the same on it now, with the same file."));
  rf_page_set_opening_focus (RF_PAGE (self), self->real_drive_button);
}

/**
 * rf_result_page_dup_report:
 *
 * Returns: (transfer full): the report of the flash shown, as JSON
 */
GBytes *
rf_result_page_dup_report (RfResultPage *self)
{
  g_autoptr(RfReport) report = rf_report_new ();
  g_autoptr(RfRecorder) transcript = NULL;
  RfVerdict *verdict;

  g_return_val_if_fail (RF_IS_RESULT_PAGE (self), NULL);
  g_return_val_if_fail (self->job != NULL, NULL);

  rf_report_set_device (report, rf_job_get_device (RF_JOB (self->job)));
  verdict = rf_flash_job_get_verdict (self->job);
  if (verdict != NULL)
    rf_report_add_verdict (report, _("the firmware written"), verdict);
  if (self->error != NULL)
    rf_report_add_error (report, self->error);
  transcript = rf_job_dup_transcript (RF_JOB (self->job));
  rf_report_set_transcript (report, transcript);
  return rf_report_to_json (report);
}

static void
save_report (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfResultPage *self = RF_RESULT_PAGE (widget);
  g_autoptr(GBytes) report = NULL;

  if (self->job == NULL)
    return;
  report = rf_result_page_dup_report (self);
  rf_report_saver_save (widget, report);
}

/* The one line that says how it ended. */
const char *
rf_result_page_get_headline (RfResultPage *self)
{
  g_return_val_if_fail (RF_IS_RESULT_PAGE (self), NULL);
  return adw_status_page_get_title (self->status_page);
}

/**
 * rf_result_page_get_next_step:
 *
 * Returns: (transfer none): what the person should do now, as the page says
 *   it; "" when there is nothing to do
 */
const char *
rf_result_page_get_next_step (RfResultPage *self)
{
  g_return_val_if_fail (RF_IS_RESULT_PAGE (self), NULL);
  return gtk_label_get_label (self->next_step_label);
}

static void
rf_result_page_dispose (GObject *object)
{
  RfResultPage *self = RF_RESULT_PAGE (object);

  g_clear_object (&self->job);
  G_OBJECT_CLASS (rf_result_page_parent_class)->dispose (object);
}

static void
rf_result_page_finalize (GObject *object)
{
  RfResultPage *self = RF_RESULT_PAGE (object);

  g_clear_error (&self->error);
  G_OBJECT_CLASS (rf_result_page_parent_class)->finalize (object);
}

static void
rf_result_page_class_init (RfResultPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_result_page_dispose;
  object_class->finalize = rf_result_page_finalize;
  gtk_widget_class_install_action (widget_class, "result.save-report", NULL, save_report);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-result-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, next_step_label);
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, recover_button);
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, real_drive_button);
  gtk_widget_class_bind_template_child (widget_class, RfResultPage, report_button);
}

static void
rf_result_page_init (RfResultPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rf_result_page_new (void)
{
  return g_object_new (RF_TYPE_RESULT_PAGE, NULL);
}
