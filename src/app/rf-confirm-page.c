/* rf-confirm-page.c: before writing: what will be written, what the program
 * checked, and what only the person can confirm
 *
 * The checks the program can make are shown as made (no other program holds
 * the drive, the computer's power supply); what it cannot know is a box the
 * person ticks: a drive in safe mode cannot tell whether a disc is inside
 * (nec-2m.md §8 step 3), and DOMAIN.md's extra confirmations (an older
 * version, versions without a known order, no bootcode version, a family never
 * tested) are asked as the job will require them
 * (rf_flash_confirmations_for_verdict()). The forward button is named for
 * what it does and stays insensitive, with the reason shown, until every box
 * is ticked.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-accessible.h"
#include "rf-confirm-page.h"
#include "rf-drive-lock.h"
#include "rf-drive-presenter.h"
#include "rf-power.h"

struct _RfConfirmPage
{
  RfPage parent_instance;

  GtkLabel *verdict_label;
  AdwActionRow *drive_row;
  AdwActionRow *now_row;
  AdwActionRow *new_row;
  AdwActionRow *backup_row;
  AdwPreferencesGroup *checklist_group;
  GtkButton *forward_button;
  GtkLabel *reason_label;

  GPtrArray *rows;     /* GtkWidget: the checklist's rows, made per flash */
  GPtrArray *boxes;    /* GtkCheckButton: what the person ticks */
  RfDevice *device;
  RfFlashConfirmations needed;
  const char *blocker; /* a check that failed: writing is not possible */
};

G_DEFINE_FINAL_TYPE (RfConfirmPage, rf_confirm_page, RF_TYPE_PAGE)

#define CONFIRMATION_KEY "rf-confirmation"

static void
update_complete (RfConfirmPage *self)
{
  gboolean all_ticked = TRUE;

  for (guint i = 0; i < self->boxes->len; i++)
    all_ticked &= gtk_check_button_get_active (g_ptr_array_index (self->boxes, i));
  if (self->blocker != NULL)
    gtk_label_set_label (self->reason_label, self->blocker);
  else if (!all_ticked)
    gtk_label_set_label (self->reason_label,
                         _("Tick every box above to go on: each one is something only you can "
                           "confirm."));
  else
    gtk_label_set_label (self->reason_label,
                         _("Everything is ready. Nothing has been written to the drive yet."));
  rf_page_set_complete (RF_PAGE (self), self->blocker == NULL && all_ticked);
}

static void
clear_checklist (RfConfirmPage *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (self->checklist_group, g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  g_ptr_array_set_size (self->boxes, 0);
  self->needed = RF_FLASH_CONFIRM_NONE;
  self->blocker = NULL;
}

/* A check the program made: a tick, or a cross that blocks. */
static void
add_check (RfConfirmPage *self,
           const char    *title,
           const char    *subtitle,
           gboolean       passed)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (passed ? "emblem-ok-symbolic"
                                                         : "dialog-error-symbolic");
  const char *verdict = passed ? C_("check verdict", "Checked")
                               : C_("check verdict", "Not possible");
  g_autofree char *description = NULL;

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (icon, passed ? "success" : "error");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, verdict,
                                  -1);
  /* Said after the title: the icon's verdict, then why. */
  description = subtitle != NULL
                /* Translators: what a screen reader says about one of the checks before
                 * writing: "Not possible" or "Checked", then the reason shown below it */
                ? g_strdup_printf (C_("check verdict", "%s. %s"), verdict, subtitle)
                : g_strdup (verdict);
  rf_accessible_describe_row (ADW_ACTION_ROW (row), description);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  adw_preferences_group_add (self->checklist_group, row);
  g_ptr_array_add (self->rows, row);
  if (!passed && self->blocker == NULL)
    self->blocker = subtitle;
}

/* The box is labelled by the row's title (libadwaita does that for the
 * activatable widget); the subtitle says why it is asked. */
static void
describe_box (GtkWidget  *box,
              const char *subtitle)
{
  if (subtitle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    subtitle, -1);
}

/* Something only the person can confirm: a box to tick. */
static void
add_box (RfConfirmPage        *self,
         RfFlashConfirmations  confirmation,
         const char           *title,
         const char           *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_check_button_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), box);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), box);
  describe_box (box, subtitle);
  /* One Tab stop: the box. The row still toggles it when clicked. */
  gtk_widget_set_focusable (row, FALSE);
  g_object_set_data (G_OBJECT (box), CONFIRMATION_KEY, GUINT_TO_POINTER (confirmation));
  g_signal_connect_swapped (box, "notify::active", G_CALLBACK (update_complete), self);
  adw_preferences_group_add (self->checklist_group, row);
  g_ptr_array_add (self->rows, row);
  g_ptr_array_add (self->boxes, box);
  self->needed |= confirmation;
}

static void
add_disc_check (RfConfirmPage         *self,
                RfDevice              *device,
                const RfDriveIdentity *identity)
{
  if (identity->safe_mode)
    add_box (self, RF_FLASH_CONFIRM_TRAY_EMPTY, _("The _tray is empty"),
             _("In safe mode the drive cannot tell whether a disc is inside. Open the tray, take "
               "out any disc and close it again."));
  else if (rf_device_get_state (device) == RF_DRIVE_STATE_BUSY)
    add_check (self, _("No disc in the drive"),
               _("The drive holds a disc or is busy: take the disc out, then look at the drive "
                 "again."),
               FALSE);
  else
    add_check (self, _("No disc in the drive"), _("The drive reports an empty tray."), TRUE);
}

static void
add_power_check (RfConfirmPage *self)
{
  RfPowerStatus power;
  g_autofree char *sentence = NULL;

  rf_power_read (NULL, &power);
  sentence = rf_power_status_to_sentence (&power);
  switch (power.source)
    {
    case RF_POWER_BATTERY:
      add_box (self, RF_FLASH_CONFIRM_ON_BATTERY, _("Write on battery _power"), sentence);
      break;
    case RF_POWER_BATTERY_LOW:
      add_check (self, _("Power"), _("The battery is too low to write firmware safely: connect "
                                     "the computer to mains power."), FALSE);
      break;
    case RF_POWER_MAINS:
    case RF_POWER_UNKNOWN:
    default:
      add_check (self, _("The computer is on mains power"), NULL, TRUE);
      break;
    }
}

static void
add_lock_check (RfConfirmPage *self,
                RfDevice      *device)
{
  if (rf_drive_lock_is_held_elsewhere (rf_device_get_lock_name (device)))
    add_check (self, _("No other program uses the drive"),
               _("Another program is using the drive now: close it, then try again."), FALSE);
  else
    add_check (self, _("No other program uses the drive"), NULL, TRUE);
}

/* DOMAIN.md's extra confirmations, in words a person can weigh. */
static void
add_extra_boxes (RfConfirmPage *self,
                 RfVerdict     *verdict)
{
  RfFlashConfirmations extra = rf_flash_confirmations_for_verdict (verdict);

  if (extra & RF_FLASH_CONFIRM_DOWNGRADE)
    add_box (self, RF_FLASH_CONFIRM_DOWNGRADE, _("Write the _older version"),
             rf_verdict_get_sentence (verdict));
  if (extra & RF_FLASH_CONFIRM_UNKNOWN_ORDER)
    add_box (self, RF_FLASH_CONFIRM_UNKNOWN_ORDER,
             _("I accept that Reflash cannot tell which _version is newer"),
             rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_UNKNOWN_ORDER));
  if (extra & RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION)
    add_box (self, RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION,
             _("I accept that the file names no _bootcode version"),
             rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_NO_BOOTCODE_VERSION));
  if (extra & RF_FLASH_CONFIRM_UNTESTED)
    add_box (self, RF_FLASH_CONFIRM_UNTESTED,
             _("I accept that this kind of drive was _never tested"),
             rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_SPEC_ONLY));
}

static void
show_plan (RfConfirmPage         *self,
           RfDevice              *device,
           const RfDriveIdentity *identity,
           RfFirmwareCheck       *check)
{
  RfFirmware *firmware = rf_firmware_check_get_judged (check);
  const char *revision = firmware != NULL ? rf_firmware_get_revision (firmware) : NULL;
  g_autofree char *model = rf_device_dup_model_name (device);
  g_autofree char *now = NULL;
  g_autofree char *backup = NULL;

  if (identity->safe_mode)
    now = g_strdup (_("Safe mode: only the bootcode runs"));
  else
    /* Translators: a firmware version, e.g. "Firmware 1.06" */
    now = g_strdup_printf (_("Firmware %s"), identity->revision != NULL ? identity->revision : "?");
  if (identity->safe_mode)
    backup = g_strdup (_("None: in safe mode there is no firmware to back up"));
  else
    backup = g_strdup (_("The current firmware is backed up first, read twice and compared"));
  adw_action_row_set_subtitle (self->drive_row, model);
  adw_action_row_set_subtitle (self->now_row, now);
  adw_action_row_set_subtitle (self->new_row, revision != NULL ? revision : _("No version text"));
  adw_action_row_set_subtitle (self->backup_row, backup);
  gtk_label_set_label (self->verdict_label,
                       rf_verdict_get_sentence (rf_firmware_check_get_verdict (check)));
}

/**
 * rf_confirm_page_set_flash:
 * @device: the drive to write to
 * @check: the image, judged against it
 *
 * Lists what will be written and what must be confirmed first; nothing is
 * sent to the drive.
 */
void
rf_confirm_page_set_flash (RfConfirmPage   *self,
                           RfDevice        *device,
                           RfFirmwareCheck *check)
{
  g_autoptr(RfDriveIdentity) identity = NULL;
  RfVerdict *verdict;

  g_return_if_fail (RF_IS_CONFIRM_PAGE (self));
  g_return_if_fail (RF_IS_DEVICE (device));
  g_return_if_fail (RF_IS_FIRMWARE_CHECK (check));

  g_set_object (&self->device, device);
  identity = rf_device_dup_identity (device);
  verdict = rf_firmware_check_get_verdict (check);
  clear_checklist (self);
  show_plan (self, device, identity, check);
  add_lock_check (self, device);
  add_power_check (self);
  add_disc_check (self, device, identity);
  add_extra_boxes (self, verdict);
  rf_page_set_next_label (RF_PAGE (self),
                          identity->safe_mode ||
                          rf_verdict_get_kind (verdict) == RF_VERDICT_KIND_RECOVERY
                          ? _("_Recover Drive") : _("_Update Firmware"));
  gtk_button_set_label (self->forward_button, rf_page_get_next_label (RF_PAGE (self)));
  update_complete (self);
}

/* What the person ticked, for the job. */
RfFlashConfirmations
rf_confirm_page_get_confirmations (RfConfirmPage *self)
{
  RfFlashConfirmations given = RF_FLASH_CONFIRM_NONE;

  g_return_val_if_fail (RF_IS_CONFIRM_PAGE (self), RF_FLASH_CONFIRM_NONE);

  for (guint i = 0; i < self->boxes->len; i++)
    {
      GtkCheckButton *box = g_ptr_array_index (self->boxes, i);

      if (gtk_check_button_get_active (box))
        given |= GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (box), CONFIRMATION_KEY));
    }
  return given;
}

/* The drive the page was set up for, or %NULL. */
RfDevice *
rf_confirm_page_get_device (RfConfirmPage *self)
{
  g_return_val_if_fail (RF_IS_CONFIRM_PAGE (self), NULL);
  return self->device;
}

/* What the page asks the person to confirm. */
RfFlashConfirmations
rf_confirm_page_get_needed (RfConfirmPage *self)
{
  g_return_val_if_fail (RF_IS_CONFIRM_PAGE (self), RF_FLASH_CONFIRM_NONE);
  return self->needed;
}

/* Ticks the boxes of @confirmations, as the person would (tests, and the
 * keyboard walk through actions). */
void
rf_confirm_page_confirm (RfConfirmPage        *self,
                         RfFlashConfirmations  confirmations)
{
  g_return_if_fail (RF_IS_CONFIRM_PAGE (self));

  for (guint i = 0; i < self->boxes->len; i++)
    {
      GtkCheckButton *box = g_ptr_array_index (self->boxes, i);
      guint confirmation = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (box), CONFIRMATION_KEY));

      if (confirmations & confirmation)
        gtk_check_button_set_active (box, TRUE);
    }
}

static void
rf_confirm_page_dispose (GObject *object)
{
  RfConfirmPage *self = RF_CONFIRM_PAGE (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->boxes, g_ptr_array_unref);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (rf_confirm_page_parent_class)->dispose (object);
}

static void
rf_confirm_page_class_init (RfConfirmPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_confirm_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-confirm-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, verdict_label);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, drive_row);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, now_row);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, new_row);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, backup_row);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, forward_button);
  gtk_widget_class_bind_template_child (widget_class, RfConfirmPage, reason_label);
}

static void
rf_confirm_page_init (RfConfirmPage *self)
{
  self->rows = g_ptr_array_new ();
  self->boxes = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
rf_confirm_page_new (void)
{
  return g_object_new (RF_TYPE_CONFIRM_PAGE, NULL);
}
