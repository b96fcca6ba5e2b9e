/* rf-firmware-page.c: the firmware file, checked against the chosen drive before
 * anything is written
 *
 * Practice drives also offer made-up firmware files (from the core image builder:
 * valid layout, never vendor code), one that fits and one for another model, so a
 * rehearsal can show both a yes and a no.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "rf-backup-store.h"
#include "rf-details-group.h"
#include "rf-drive-presenter.h"
#include "rf-error.h"
#include "rf-firmware-page.h"
#include "rf-journal.h"
#include "rf-nec-2m.h"
#include "rf-practice-firmware.h"

struct _RfFirmwarePage
{
  RfPage parent_instance;

  AdwActionRow *journal_row;
  AdwActionRow *file_row;
  AdwActionRow *practice_row;
  AdwPreferencesGroup *backups_group;
  GPtrArray *backup_rows;      /* GtkWidget: one per stored backup of the drive */
  GPtrArray *backups;          /* RfBackup, as listed in backup_rows */
  RfBackupStore *backup_store;
  GtkWidget *loading_box;
  GtkWidget *verdict_box;
  GtkImage *verdict_icon;
  GtkLabel *verdict_title;
  GtkLabel *verdict_sentence;
  GtkLabel *verdict_next_step;
  GtkLabel *verdict_warnings;
  RfDetailsGroup *details_group;
  RfDetailsGroup *technical_group;
  GtkLabel *needs_label;

  RfDevice *device;
  RfJournal *journal;
  RfFirmwareCheck *check;
  gboolean check_is_journals;  /* the check is of the journal's copy */
  GCancellable *cancellable;
  GtkFileChooserNative *chooser;
  const char *verdict_style;
};

G_DEFINE_FINAL_TYPE (RfFirmwarePage, rf_firmware_page, RF_TYPE_PAGE)

static const char *
verdict_title (RfVerdict *verdict)
{
  switch (rf_verdict_get_kind (verdict))
    {
    case RF_VERDICT_KIND_UPGRADE:
      return _("This firmware fits: a newer version");
    case RF_VERDICT_KIND_REINSTALL:
      return _("This firmware fits: the same version again");
    case RF_VERDICT_KIND_DOWNGRADE:
      return _("This firmware fits, but it is an older version");
    case RF_VERDICT_KIND_RECOVERY:
      return _("This firmware brings the drive back");
    case RF_VERDICT_KIND_REFUSED:
    case RF_VERDICT_KIND_LAST:
    default:
      return _("This file must not be written to this drive");
    }
}

/* For people: whether the file is whole; the numbers go to Technical Details. */
static const char *
describe_checksum (RfFirmware *firmware)
{
  guint16 stored = 0;
  guint16 computed = 0;

  if (!rf_firmware_get_checksum (firmware, &stored, &computed))
    return NULL;
  return stored == computed ? _("Intact") : _("Damaged: its contents do not add up");
}

static char *
describe_checksum_values (RfFirmware *firmware)
{
  guint16 stored = 0;
  guint16 computed = 0;

  if (!rf_firmware_get_checksum (firmware, &stored, &computed))
    return NULL;
  if (stored == computed)
    return g_strdup_printf ("%04X", stored);
  /* Translators: a file's stored and computed 16-bit checksums, "6CCE, 6CCF" */
  return g_strdup_printf (_("stored %04X, contents %04X"), stored, computed);
}

static char *
describe_choice (RfNecFirmware *nec)
{
  gint chosen = rf_nec_firmware_get_chosen (nec);
  guint n = rf_nec_firmware_get_n_candidates (nec);

  if (!rf_nec_firmware_is_container (nec) || chosen < 0)
    return NULL;
  /* Translators: "Image 2 of 3: the image for the drive's bootcode" */
  return g_strdup_printf (_("Image %d of %u: %s"), chosen + 1, n,
                          rf_nec_choice_to_sentence (rf_nec_firmware_get_choice (nec)));
}

/* What the file claims to be. A damaged file (its checksum does not add up)
 * still says which model and version it claims, and that it is damaged. */
static void
show_details (RfFirmwarePage *self)
{
  RfFirmware *firmware = rf_firmware_check_get_judged (self->check);
  RfNecFirmware *nec = rf_firmware_check_get_nec (self->check);
  g_autofree char *values = NULL;
  g_autofree char *choice = NULL;
  g_autofree char *product = NULL;
  const RfNecType *type;
  RfFirmwareProblem problem;

  rf_details_group_clear (self->details_group);
  rf_details_group_clear (self->technical_group);
  if (firmware == NULL)
    return;
  problem = rf_firmware_get_problem (firmware);
  if (problem != RF_FIRMWARE_PROBLEM_NONE && problem != RF_FIRMWARE_PROBLEM_CHECKSUM)
    return;
  type = rf_firmware_get_drive_id (firmware) != NULL
         ? rf_nec_type_from_id (rf_firmware_get_drive_id (firmware)) : NULL;
  product = g_strstrip (g_strdup_printf ("%s %s",
                                         rf_firmware_get_vendor (firmware) ?: "",
                                         rf_firmware_get_product (firmware) ?: ""));
  values = describe_checksum_values (firmware);
  choice = nec != NULL ? describe_choice (nec) : NULL;
  rf_details_group_add (self->details_group, _("Made for"), type != NULL ? type->model : rf_firmware_get_model (firmware));
  rf_details_group_add (self->details_group, _("Firmware version"), rf_firmware_get_revision (firmware));
  rf_details_group_add (self->details_group, _("Bootcode version"), rf_firmware_get_bootcode_version (firmware));
  rf_details_group_add (self->details_group, _("Checksum"), describe_checksum (firmware));
  rf_details_group_add (self->details_group, _("Inside an updater"), choice);
  rf_details_group_add (self->technical_group, _("Identification strings"), product);
  rf_details_group_add (self->technical_group, _("Checksum value"), values);
  rf_details_group_add (self->technical_group, _("SHA-256"), rf_firmware_get_image_sha256 (firmware));
}

/* A refusal whose next step is "use the firmware for the ND-3550A with
 * bootcode 05": what the page says above the file already, not said twice. */
static gboolean
restates_needed_firmware (RfVerdict *verdict)
{
  RfVerdictReason reason = rf_verdict_get_reason (verdict);

  return reason == RF_VERDICT_REASON_CROSSFLASH || reason == RF_VERDICT_REASON_BOOTCODE_MISMATCH;
}

static void
show_verdict (RfFirmwarePage *self)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (self->check);
  g_autoptr(GString) warnings = g_string_new (NULL);
  RfVerdictWarnings flags;
  gboolean allowed;

  if (verdict == NULL)
    return;
  allowed = rf_verdict_is_allowed (verdict);
  flags = rf_verdict_get_warnings (verdict);
  for (guint bit = 1; bit != 0 && bit <= flags; bit <<= 1)
    if (flags & bit)
      g_string_append_printf (warnings, "%s%s", warnings->len > 0 ? "\n" : "",
                              rf_verdict_warning_to_sentence ((RfVerdictWarnings) bit));
  gtk_label_set_label (self->verdict_title, verdict_title (verdict));
  gtk_label_set_label (self->verdict_sentence, rf_verdict_get_sentence (verdict));
  gtk_label_set_label (self->verdict_next_step, rf_verdict_get_next_step (verdict));
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_next_step),
                          rf_verdict_get_next_step (verdict) != NULL &&
                          !restates_needed_firmware (verdict));
  gtk_label_set_label (self->verdict_warnings, warnings->str);
  gtk_widget_set_visible (GTK_WIDGET (self->verdict_warnings), warnings->len > 0);
  /* A yes with a warning is a warning sign, not a tick in amber. */
  gtk_image_set_from_icon_name (self->verdict_icon, !allowed ? "dialog-error-symbolic"
                                                    : flags != 0 ? "dialog-warning-symbolic"
                                                    : "emblem-ok-symbolic");
  if (self->verdict_style != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->verdict_icon), self->verdict_style);
  self->verdict_style = allowed ? (flags != 0 ? "warning" : "success") : "error";
  gtk_widget_add_css_class (GTK_WIDGET (self->verdict_icon), self->verdict_style);
  gtk_widget_set_visible (self->verdict_box, TRUE);
  show_details (self);
  rf_page_set_complete (RF_PAGE (self), allowed);
}

/* Judges the file against what the last probe of the drive proved. */
static void
judge (RfFirmwarePage *self)
{
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;

  if (self->check == NULL || self->device == NULL)
    return;
  identity = rf_device_dup_identity (self->device);
  family = rf_device_dup_family (self->device);
  if (identity == NULL)
    identity = rf_drive_identity_new ();
  rf_firmware_check_judge (self->check, family, identity, rf_device_get_state (self->device),
                           rf_device_get_probe_depth (self->device));
  show_verdict (self);
}

static void
set_loading (RfFirmwarePage *self,
             gboolean        loading)
{
  gtk_widget_set_visible (self->loading_box, loading);
  if (loading)
    {
      gtk_widget_set_visible (self->verdict_box, FALSE);
      rf_details_group_clear (self->details_group);
      rf_details_group_clear (self->technical_group);
      rf_page_set_complete (RF_PAGE (self), FALSE);
    }
}

static void
on_file_checked (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(RfFirmwarePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_file_finish (result, &error);

  if (check == NULL)
    return; /* cancelled: another file was chosen meanwhile */
  set_loading (self, FALSE);
  g_set_object (&self->check, check);
  self->check_is_journals = FALSE;
  judge (self);
}

/**
 * rf_firmware_page_open_file:
 * @path: the file the user chose
 *
 * Reads and checks @path on a worker thread, then shows the verdict.
 */
void
rf_firmware_page_open_file (RfFirmwarePage *self,
                            const char     *path)
{
  g_autofree char *name = NULL;

  g_return_if_fail (RF_IS_FIRMWARE_PAGE (self));
  g_return_if_fail (path != NULL);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->check);
  name = g_filename_display_basename (path);
  adw_action_row_set_subtitle (self->file_row, name);
  set_loading (self, TRUE);
  rf_firmware_check_new_for_file_async (path, self->cancellable, on_file_checked,
                                        g_object_ref (self));
}

static void
on_chooser_response (RfFirmwarePage       *self,
                     int                   response,
                     GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    path = g_file_get_path (file);
  g_clear_object (&self->chooser);
  if (path != NULL)
    rf_firmware_page_open_file (self, path);
}

static void
choose_file (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (self->chooser != NULL)
    return;
  /* Translators: "_Check" accepts the chosen file: Reflash then checks it */
  self->chooser = gtk_file_chooser_native_new (_("Choose a Firmware File"),
                                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                               GTK_FILE_CHOOSER_ACTION_OPEN, _("_Check"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  g_signal_connect_swapped (self->chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
use_practice_image (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (widget);
  gboolean fitting = g_variant_get_boolean (parameter);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self->device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (self->device);
  g_autoptr(RfPracticeImage) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (identity == NULL)
    identity = rf_drive_identity_new ();
  /* Written where the user can find it again (and try with reflash-cli check). */
  if (family != NULL)
    image = rf_practice_image_build (identity, family, !fitting, NULL, &error);
  else
    g_set_error_literal (&error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "no drive family");
  if (image != NULL)
    path = rf_practice_image_write (image, NULL, &error);
  if (path == NULL)
    {
      adw_action_row_set_subtitle (self->file_row, rf_error_code_to_sentence (error->code));
      return;
    }
  rf_firmware_page_open_file (self, path);
}

/* Worker thread: the journal's copy, its SHA-256 checked, read like a file. */
static void
load_journal_image (GTask        *task,
                    gpointer      source,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  RfJournal *journal = task_data;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  image = rf_journal_load_image (journal, &error);
  if (image == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  name = rf_journal_get_image_name (journal) != NULL
         ? g_strdup (rf_journal_get_image_name (journal))
         : g_path_get_basename (rf_journal_get_image_path (journal));
  g_task_return_pointer (task, rf_firmware_check_new_for_bytes (name, image), g_object_unref);
}

static void use_journal_image (GtkWidget  *widget,
                               const char *action_name,
                               GVariant   *parameter);

/* The journal's copy or a backup, loaded and judged: never judged, let alone
 * written, when it no longer matches its SHA-256. */
static void
on_kept_image_checked (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (source);
  gboolean from_journal = g_task_get_source_tag (G_TASK (result)) == use_journal_image;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfFirmwareCheck) check = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* another firmware was chosen meanwhile */
  set_loading (self, FALSE);
  if (check == NULL)
    {
      adw_action_row_set_subtitle (self->file_row,
                                   rf_error_code_to_sentence (
                                     error->domain == RF_ERROR ? error->code
                                     : from_journal ? RF_ERROR_JOURNAL_DAMAGED : RF_ERROR_READ));
      return;
    }
  g_set_object (&self->check, check);
  self->check_is_journals = from_journal;
  judge (self);
}

/* Loads an image Reflash kept (@load_in_thread with @data) instead of the
 * file shown so far. */
static void
load_kept_image (RfFirmwarePage  *self,
                 const char      *subtitle,
                 gpointer         source_tag,
                 gpointer         data,
                 GDestroyNotify   destroy,
                 GTaskThreadFunc  load_in_thread)
{
  g_autoptr(GTask) task = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_clear_object (&self->check);
  adw_action_row_set_subtitle (self->file_row, subtitle);
  set_loading (self, TRUE);
  task = g_task_new (self, self->cancellable, on_kept_image_checked, NULL);
  g_task_set_source_tag (task, source_tag);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, data, destroy);
  g_task_run_in_thread (task, load_in_thread);
}

static void
use_journal_image (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (widget);

  if (self->journal == NULL)
    return;
  load_kept_image (self, _("The firmware of the interrupted flash"), use_journal_image,
                   g_object_ref (self->journal), g_object_unref, load_journal_image);
}

/* ---- the drive's own backups: fitting images (issue 20) ---- */

typedef struct {
  RfBackupStore *store;
  RfBackup *backup;
} BackupLoad;

static void
backup_load_free (gpointer data)
{
  BackupLoad *load = data;

  g_clear_object (&load->store);
  g_clear_pointer (&load->backup, rf_backup_free);
  g_free (load);
}

/* Worker thread: the backup's image, its SHA-256 checked, judged like a file. */
static void
load_backup_image (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  BackupLoad *load = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = rf_backup_store_load (load->store, load->backup, &error);
  g_autofree char *name = NULL;

  if (image == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  name = g_path_get_basename (load->backup->image_path);
  g_task_return_pointer (task, rf_firmware_check_new_for_bytes (name, image), g_object_unref);
}

static void
use_backup (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (widget);
  guint index = g_variant_get_uint32 (parameter);
  BackupLoad *load;

  if (self->backups == NULL || index >= self->backups->len)
    return;
  load = g_new0 (BackupLoad, 1);
  load->store = g_object_ref (self->backup_store);
  load->backup = rf_backup_copy (g_ptr_array_index (self->backups, index));
  load_kept_image (self, _("A backup of this drive"), use_backup, load, backup_load_free,
                   load_backup_image);
}

static void
clear_backup_rows (RfFirmwarePage *self)
{
  for (guint i = 0; i < self->backup_rows->len; i++)
    adw_preferences_group_remove (self->backups_group, g_ptr_array_index (self->backup_rows, i));
  g_ptr_array_set_size (self->backup_rows, 0);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  gtk_widget_set_visible (GTK_WIDGET (self->backups_group), FALSE);
}

static GtkWidget *
make_backup_row (const RfBackup *backup,
                 guint           index)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use It"));
  g_autoptr(GDateTime) date = g_date_time_new_from_iso8601 (backup->date, NULL);
  g_autoptr(GDateTime) local = date != NULL ? g_date_time_to_local (date) : NULL;
  g_autofree char *when = local != NULL ? g_date_time_format (local, "%x %X") : NULL;
  g_autofree char *title = g_strdup_printf (_("Firmware %s"),
                                            backup->revision != NULL ? backup->revision : "?");
  /* Translators: the date and time of a backup, in the locale's format */
  g_autofree char *subtitle = g_strdup_printf (_("Backed up on %s"),
                                               when != NULL ? when : backup->date);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (button, _("Use this backup as the firmware to write"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "firmware.backup");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "u", index);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
  return row;
}

/* The stored backups of the drive as it identifies now, newest first. */
static void
list_backups (RfFirmwarePage *self)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self->device);
  g_autoptr(GError) error = NULL;

  clear_backup_rows (self);
  if (identity == NULL)
    return;
  if (self->backup_store == NULL)
    self->backup_store = rf_backup_store_new (NULL);
  self->backups = rf_backup_store_list_for_drive (self->backup_store, identity, &error);
  if (self->backups == NULL)
    {
      g_message ("the backups cannot be listed: %s", error->message);
      return;
    }
  for (guint i = 0; i < self->backups->len; i++)
    {
      GtkWidget *row = make_backup_row (g_ptr_array_index (self->backups, i), i);

      adw_preferences_group_add (self->backups_group, row);
      g_ptr_array_add (self->backup_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->backups_group), self->backups->len > 0);
}

static void
rf_firmware_page_dispose (GObject *object)
{
  RfFirmwarePage *self = RF_FIRMWARE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->backups, g_ptr_array_unref);
  g_clear_pointer (&self->backup_rows, g_ptr_array_unref);
  g_clear_object (&self->backup_store);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_object (&self->check);
  g_clear_object (&self->device);
  g_clear_object (&self->journal);
  G_OBJECT_CLASS (rf_firmware_page_parent_class)->dispose (object);
}

static void
rf_firmware_page_class_init (RfFirmwarePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_firmware_page_dispose;

  g_type_ensure (RF_TYPE_DETAILS_GROUP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-firmware-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, journal_row);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, backups_group);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, file_row);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, practice_row);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, loading_box);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_box);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_icon);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_title);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_sentence);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_next_step);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, verdict_warnings);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, details_group);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, technical_group);
  gtk_widget_class_bind_template_child (widget_class, RfFirmwarePage, needs_label);
  gtk_widget_class_install_action (widget_class, "firmware.choose", NULL, choose_file);
  gtk_widget_class_install_action (widget_class, "firmware.practice", "b", use_practice_image);
  gtk_widget_class_install_action (widget_class, "firmware.journal", NULL, use_journal_image);
  gtk_widget_class_install_action (widget_class, "firmware.backup", "u", use_backup);
}

static void
rf_firmware_page_init (RfFirmwarePage *self)
{
  self->backup_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rf_firmware_page_new (void)
{
  return g_object_new (RF_TYPE_FIRMWARE_PAGE, NULL);
}

/* The page restates which firmware the drive takes: the model its bootcode
 * belongs to (the identity that counts, DOMAIN.md) and the bootcode version. */
static char *
dup_needs_sentence (RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autofree char *model = rf_device_dup_model_name (device);

  if (identity != NULL && identity->bootcode_version != NULL)
    /* Translators: "This drive takes ND-3550A firmware made for bootcode version 05." */
    return g_strdup_printf (_("This drive takes %s firmware made for bootcode version %s."),
                            model, identity->bootcode_version);
  /* Translators: "This drive takes ND-3550A firmware." */
  return g_strdup_printf (_("This drive takes %s firmware."), model);
}

/**
 * rf_firmware_page_set_device:
 *
 * The drive the file is judged against. A file already chosen is judged again:
 * the drive's state may have changed since.
 */
void
rf_firmware_page_set_device (RfFirmwarePage *self,
                             RfDevice       *device)
{
  g_autoptr(RfDriveFamily) family = NULL;
  g_autofree char *needs = NULL;
  gboolean practice_nec;

  g_return_if_fail (RF_IS_FIRMWARE_PAGE (self));
  g_return_if_fail (RF_IS_DEVICE (device));

  g_set_object (&self->device, device);
  family = rf_device_dup_family (device);
  practice_nec = rf_device_is_practice (device) && family != NULL &&
                 g_strcmp0 (family->protocol, "nec-2m") == 0;
  gtk_widget_set_visible (GTK_WIDGET (self->practice_row), practice_nec);
  needs = dup_needs_sentence (device);
  gtk_label_set_label (self->needs_label, needs);
  list_backups (self);
  judge (self);
}

/* (nullable): the file being shown */
RfFirmwareCheck *
rf_firmware_page_get_check (RfFirmwarePage *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_PAGE (self), NULL);
  return self->check;
}

gboolean
rf_firmware_page_is_loading (RfFirmwarePage *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_PAGE (self), FALSE);
  return gtk_widget_get_visible (self->loading_box);
}

/**
 * rf_firmware_page_set_journal:
 * @journal: (nullable): the interrupted flash of this drive, whose kept copy
 *   of the firmware the page offers; %NULL offers none
 */
void
rf_firmware_page_set_journal (RfFirmwarePage *self,
                              RfJournal      *journal)
{
  const char *name;
  const char *revision;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (RF_IS_FIRMWARE_PAGE (self));
  g_return_if_fail (journal == NULL || RF_IS_JOURNAL (journal));

  g_set_object (&self->journal, journal);
  gtk_widget_set_visible (GTK_WIDGET (self->journal_row), journal != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "firmware.journal", journal != NULL);
  if (journal == NULL)
    return;
  name = rf_journal_get_image_name (journal);
  revision = rf_journal_get_image_revision (journal);
  if (revision != NULL)
    /* Translators: "Version 1.06 (ND3550A_106.bin): the copy Reflash kept" */
    subtitle = g_strdup_printf (_("Version %s (%s): the copy Reflash kept"), revision,
                                name != NULL ? name : _("no file name"));
  else
    /* Translators: "ND3550A_106.bin: the copy Reflash kept" */
    subtitle = g_strdup_printf (_("%s: the copy Reflash kept"),
                                name != NULL ? name : _("Firmware"));
  adw_action_row_set_subtitle (self->journal_row, subtitle);
}

/**
 * rf_firmware_page_get_resume:
 *
 * Returns: (nullable) (transfer none): the journal whose copy of the image
 *   was chosen, so that the flash resumes it; %NULL for any other file
 */
RfJournal *
rf_firmware_page_get_resume (RfFirmwarePage *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_PAGE (self), NULL);
  return self->check_is_journals ? self->journal : NULL;
}
