/* rf-drives-page.c: every optical drive in the computer, and the practice drives
 *
 * Only passive probes run here (INQUIRY, TEST UNIT READY, GET CONFIGURATION: safe
 * for any drive, even one in the middle of a burn). The deep check waits until the
 * user has chosen one drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-row.h"
#include "rf-error.h"
#include "rf-drives-page.h"
#include "rf-journal-presenter.h"

struct _RfDrivesPage
{
  RfPage parent_instance;

  GtkListBox *real_list;
  GtkListBox *practice_list;
  GtkWidget *journal_notice;
  GtkLabel *journal_label;
  GtkWidget *resume_button;

  GListModel *drives;
  RfJournalPresenter *journals;
  RfDriveDb *db;
  RfDevice *selected;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (RfDrivesPage, rf_drives_page, RF_TYPE_PAGE)

enum {
  PROP_0,
  PROP_SELECTED_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_passive_probe_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GtkWidget) row = user_data;
  g_autoptr(GError) error = NULL;

  if (!rf_device_probe_finish (RF_DEVICE (source), result, &error))
    {
      if (g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED))
        return;
      g_debug ("Passive probe of %s failed: %s", rf_device_get_id (RF_DEVICE (source)),
               error->message);
    }
  rf_drive_row_set_probing (RF_DRIVE_ROW (row), FALSE);
}

/* The row's mark when its drive may be the drive of an interrupted flash. */
static void
mark_row (RfDrivesPage *self,
          RfDriveRow   *row)
{
  RfJournalMatch match = RF_JOURNAL_MATCH_NONE;

  if (self->journals != NULL)
    rf_journal_presenter_find (self->journals, rf_drive_row_get_device (row), &match);
  rf_drive_row_set_journal_mark (row, rf_journal_presenter_mark_words (match));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  RfDrivesPage *self = RF_DRIVES_PAGE (user_data);
  RfDevice *device = RF_DEVICE (item);
  GtkWidget *row = rf_drive_row_new (device);

  mark_row (self, RF_DRIVE_ROW (row));
  rf_drive_row_set_chosen (RF_DRIVE_ROW (row), device == self->selected);
  /* A drive seen for the first time gets its passive look now; one already
   * checked (a deep check, a flash) keeps what is known. */
  if (rf_device_get_state (device) == RF_DRIVE_STATE_UNKNOWN && self->db != NULL)
    {
      rf_drive_row_set_probing (RF_DRIVE_ROW (row), TRUE);
      rf_device_probe_async (device, self->db, RF_PROBE_DEPTH_PASSIVE, self->cancellable,
                             on_passive_probe_done, g_object_ref (row));
    }
  return row;
}

static gboolean
is_practice (gpointer item,
             gpointer user_data)
{
  return rf_device_is_practice (RF_DEVICE (item)) == GPOINTER_TO_INT (user_data);
}

static void
bind_list (RfDrivesPage *self,
           GtkListBox   *list,
           gboolean      practice)
{
  GtkCustomFilter *filter = gtk_custom_filter_new (is_practice, GINT_TO_POINTER (practice), NULL);
  g_autoptr(GtkFilterListModel) model =
    gtk_filter_list_model_new (g_object_ref (self->drives), GTK_FILTER (filter));

  gtk_list_box_bind_model (list, G_LIST_MODEL (model), create_row, self, NULL);
}

static void
set_selected (RfDrivesPage *self,
              RfDevice     *device)
{
  if (!g_set_object (&self->selected, device))
    return;
  rf_page_set_complete (RF_PAGE (self), device != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_DEVICE]);
}

static GtkWidget *
find_row (RfDrivesPage *self,
          RfDevice     *device)
{
  GtkListBox *lists[] = { self->real_list, self->practice_list };

  for (guint l = 0; device != NULL && l < G_N_ELEMENTS (lists); l++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[l])); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (RF_IS_DRIVE_ROW (row) && rf_drive_row_get_device (RF_DRIVE_ROW (row)) == device)
        return row;
  return NULL;
}

/* When the page opens, the focus goes to the chosen drive, which scrolls it
 * into view (a drive named on the command line may be far down the list). */
static void
on_map (RfDrivesPage *self)
{
  GtkWidget *row = find_row (self, self->selected);

  if (row != NULL)
    gtk_widget_grab_focus (row);
}

/* The tick on the chosen drive's row, in both lists. */
static void
mark_chosen (RfDrivesPage *self)
{
  GtkListBox *lists[] = { self->real_list, self->practice_list };

  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[l])); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (RF_IS_DRIVE_ROW (row))
        rf_drive_row_set_chosen (RF_DRIVE_ROW (row),
                                 rf_drive_row_get_device (RF_DRIVE_ROW (row)) == self->selected);
}

static void
choose (RfDrivesPage *self,
        RfDevice     *device)
{
  set_selected (self, device);
  mark_chosen (self);
}

/* A chosen drive that went away is no longer chosen. */
static void
on_drives_changed (RfDrivesPage *self)
{
  guint n = g_list_model_get_n_items (self->drives);

  if (self->selected == NULL)
    return;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(RfDevice) device = g_list_model_get_item (self->drives, i);

      if (device == self->selected)
        return;
    }
  choose (self, NULL);
}

/* Only activation (Enter, Space, a click) chooses a drive, and goes on with
 * it: moving the focus through the lists changes nothing. */
static void
on_row_activated (RfDrivesPage  *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list)
{
  choose (self, rf_drive_row_get_device (RF_DRIVE_ROW (row)));
  gtk_widget_activate_action (GTK_WIDGET (self), "wizard.next", NULL);
}

static void
rf_drives_page_dispose (GObject *object)
{
  RfDrivesPage *self = RF_DRIVES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->journals != NULL)
    g_signal_handlers_disconnect_by_data (self->journals, self);
  g_clear_object (&self->journals);
  g_clear_object (&self->drives);
  g_clear_object (&self->db);
  g_clear_object (&self->selected);
  G_OBJECT_CLASS (rf_drives_page_parent_class)->dispose (object);
}

static void
rf_drives_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  RfDrivesPage *self = RF_DRIVES_PAGE (object);

  switch (prop_id)
    {
    case PROP_SELECTED_DEVICE:
      g_value_set_object (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_drives_page_class_init (RfDrivesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_drives_page_dispose;
  object_class->get_property = rf_drives_page_get_property;

  properties[PROP_SELECTED_DEVICE] =
    g_param_spec_object ("selected-device", NULL, NULL, RF_TYPE_DEVICE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-drives-page.ui");
  gtk_widget_class_bind_template_child (widget_class, RfDrivesPage, real_list);
  gtk_widget_class_bind_template_child (widget_class, RfDrivesPage, practice_list);
  gtk_widget_class_bind_template_child (widget_class, RfDrivesPage, journal_notice);
  gtk_widget_class_bind_template_child (widget_class, RfDrivesPage, journal_label);
  gtk_widget_class_bind_template_child (widget_class, RfDrivesPage, resume_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
}

static void
rf_drives_page_init (RfDrivesPage *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "map", G_CALLBACK (on_map), NULL);
}

GtkWidget *
rf_drives_page_new (void)
{
  return g_object_new (RF_TYPE_DRIVES_PAGE, NULL);
}

/**
 * rf_drives_page_set_drives:
 * @drives: (element-type RfDevice): real and practice drives; the list may change
 *   (hotplug)
 * @db: the drive families, for the passive probes
 */
void
rf_drives_page_set_drives (RfDrivesPage *self,
                           GListModel   *drives,
                           RfDriveDb    *db)
{
  g_return_if_fail (RF_IS_DRIVES_PAGE (self));
  g_return_if_fail (G_IS_LIST_MODEL (drives));
  g_return_if_fail (RF_IS_DRIVE_DB (db));

  g_set_object (&self->db, db);
  g_set_object (&self->drives, drives);
  g_signal_connect_object (drives, "items-changed", G_CALLBACK (on_drives_changed), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  bind_list (self, self->real_list, FALSE);
  bind_list (self, self->practice_list, TRUE);
}

RfDevice *
rf_drives_page_get_selected_device (RfDrivesPage *self)
{
  g_return_val_if_fail (RF_IS_DRIVES_PAGE (self), NULL);
  return self->selected;
}

/* Selects the row showing @device, e.g. the practice drive named on the command line. */
void
rf_drives_page_select_device (RfDrivesPage *self,
                              RfDevice     *device)
{
  g_return_if_fail (RF_IS_DRIVES_PAGE (self));

  if (find_row (self, device) != NULL)
    choose (self, device);
}

static void
on_journals_changed (RfDrivesPage *self)
{
  g_autofree char *notice = rf_journal_presenter_dup_notice (self->journals);
  GtkListBox *lists[] = { self->real_list, self->practice_list };

  gtk_label_set_label (self->journal_label, notice != NULL ? notice : "");
  gtk_widget_set_visible (self->journal_notice, notice != NULL);
  /* With no drive, or several, that may be it, the person chooses in the list. */
  gtk_widget_set_visible (self->resume_button,
                          rf_journal_presenter_get_candidate (self->journals, NULL) != NULL);
  for (guint l = 0; l < G_N_ELEMENTS (lists); l++)
    for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (lists[l])); row != NULL;
         row = gtk_widget_get_next_sibling (row))
      if (RF_IS_DRIVE_ROW (row))
        mark_row (self, RF_DRIVE_ROW (row));
}

/**
 * rf_drives_page_set_journals:
 * @journals: the open journals of interrupted flashes, matched to the drives
 *
 * Shows a notice above the lists while a journal is open, and marks the drives
 * that may be its drive.
 */
void
rf_drives_page_set_journals (RfDrivesPage       *self,
                             RfJournalPresenter *journals)
{
  g_return_if_fail (RF_IS_DRIVES_PAGE (self));
  g_return_if_fail (RF_IS_JOURNAL_PRESENTER (journals));
  g_return_if_fail (self->journals == NULL);

  self->journals = g_object_ref (journals);
  g_signal_connect_swapped (journals, "changed", G_CALLBACK (on_journals_changed), self);
  on_journals_changed (self);
}
