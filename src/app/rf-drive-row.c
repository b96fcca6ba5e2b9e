/* rf-drive-row.c: one drive in the drive list: model, firmware, state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-presenter.h"
#include "rf-drive-row.h"

struct _RfDriveRow
{
  AdwActionRow parent_instance;

  GtkImage *drive_icon;
  GtkSpinner *spinner;
  GtkLabel *state_label;
  GtkLabel *journal_tag;
  GtkImage *chosen_icon;

  RfDevice *device;
  const char *state_style;
  const char *journal_mark;  /* static words, or NULL */
  gboolean chosen;
};

G_DEFINE_FINAL_TYPE (RfDriveRow, rf_drive_row, ADW_TYPE_ACTION_ROW)

void
rf_drive_row_refresh (RfDriveRow *self)
{
  RfDriveState state;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  g_return_if_fail (RF_IS_DRIVE_ROW (self));

  state = rf_device_get_state (self->device);
  title = rf_drive_presenter_dup_title (self->device);
  subtitle = rf_drive_presenter_dup_subtitle (self->device);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle);
  gtk_label_set_label (self->state_label, rf_device_get_state_title (self->device));
  if (self->state_style != NULL)
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_label), self->state_style);
  self->state_style = rf_drive_presenter_state_style (state);
  gtk_widget_add_css_class (GTK_WIDGET (self->state_label), self->state_style);
  gtk_image_set_from_icon_name (self->drive_icon, rf_device_is_practice (self->device)
                                                  ? "applications-science-symbolic"
                                                  : "drive-optical-symbolic");
}

static void
rf_drive_row_dispose (GObject *object)
{
  RfDriveRow *self = RF_DRIVE_ROW (object);

  if (self->device != NULL)
    g_signal_handlers_disconnect_by_data (self->device, self);
  g_clear_object (&self->device);
  G_OBJECT_CLASS (rf_drive_row_parent_class)->dispose (object);
}

static void
rf_drive_row_class_init (RfDriveRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_drive_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/rf-drive-row.ui");
  gtk_widget_class_bind_template_child (widget_class, RfDriveRow, drive_icon);
  gtk_widget_class_bind_template_child (widget_class, RfDriveRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, RfDriveRow, state_label);
  gtk_widget_class_bind_template_child (widget_class, RfDriveRow, journal_tag);
  gtk_widget_class_bind_template_child (widget_class, RfDriveRow, chosen_icon);
}

static void
rf_drive_row_init (RfDriveRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Notified on whichever thread probed the drive: shown from the main one. */
static void
on_state (RfDriveRow *self)
{
  rf_drive_presenter_on_main (self, (RfPresenterFunc) rf_drive_row_refresh);
}

GtkWidget *
rf_drive_row_new (RfDevice *device)
{
  RfDriveRow *self;

  g_return_val_if_fail (RF_IS_DEVICE (device), NULL);

  self = g_object_new (RF_TYPE_DRIVE_ROW, NULL);
  self->device = g_object_ref (device);
  g_signal_connect_swapped (device, "notify::state", G_CALLBACK (on_state), self);
  rf_drive_row_refresh (self);
  return GTK_WIDGET (self);
}

RfDevice *
rf_drive_row_get_device (RfDriveRow *self)
{
  g_return_val_if_fail (RF_IS_DRIVE_ROW (self), NULL);
  return self->device;
}

void
rf_drive_row_set_probing (RfDriveRow *self,
                          gboolean    probing)
{
  g_return_if_fail (RF_IS_DRIVE_ROW (self));

  gtk_spinner_set_spinning (self->spinner, probing);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), probing);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), !probing);
  if (!probing)
    rf_drive_row_refresh (self);
}

/**
 * rf_drive_row_set_chosen:
 *
 * Marks the drive the wizard works on: a tick beside it, and the row's
 * accessible "selected" state. Only activating a row chooses its drive;
 * moving the focus does not.
 */
void
rf_drive_row_set_chosen (RfDriveRow *self,
                         gboolean    chosen)
{
  g_return_if_fail (RF_IS_DRIVE_ROW (self));

  self->chosen = chosen;
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_icon), chosen);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_SELECTED, chosen, -1);
}

gboolean
rf_drive_row_get_chosen (RfDriveRow *self)
{
  g_return_val_if_fail (RF_IS_DRIVE_ROW (self), FALSE);
  return self->chosen;
}

/**
 * rf_drive_row_set_journal_mark:
 * @mark: (nullable): static words saying the drive may be the drive of an
 *   interrupted flash, shown as a tag beside its state
 */
void
rf_drive_row_set_journal_mark (RfDriveRow *self,
                               const char *mark)
{
  g_return_if_fail (RF_IS_DRIVE_ROW (self));

  if (g_strcmp0 (self->journal_mark, mark) == 0)
    return;
  self->journal_mark = mark;
  gtk_label_set_label (self->journal_tag, mark != NULL ? mark : "");
  gtk_widget_set_visible (GTK_WIDGET (self->journal_tag), mark != NULL);
}
