/* rf-details-group.c: facts about a drive or a file, one row each, values
 * selectable so people can copy them into a forum post or a bug report.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-details-group.h"

struct _RfDetailsGroup
{
  AdwPreferencesGroup parent_instance;

  GPtrArray *rows;
};

G_DEFINE_FINAL_TYPE (RfDetailsGroup, rf_details_group, ADW_TYPE_PREFERENCES_GROUP)

static void
rf_details_group_finalize (GObject *object)
{
  g_ptr_array_unref (RF_DETAILS_GROUP (object)->rows);
  G_OBJECT_CLASS (rf_details_group_parent_class)->finalize (object);
}

static void
rf_details_group_class_init (RfDetailsGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_details_group_finalize;
}

static void
rf_details_group_init (RfDetailsGroup *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

static GtkWidget *
value_label (const char *value)
{
  GtkWidget *label = gtk_label_new (value);

  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 1.0);
  /* Short values stay on one line; a SHA-256 or a sentence wraps in a column. */
  if (g_utf8_strlen (value, -1) > 24)
    {
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_width_chars (GTK_LABEL (label), 24);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 34);
    }
  return label;
}

/* Adds a row; an unknown (NULL or empty) value adds nothing. */
void
rf_details_group_add (RfDetailsGroup *self,
                      const char     *title,
                      const char     *value)
{
  GtkWidget *row;
  GtkWidget *label;
  g_autofree char *accessible = NULL;

  g_return_if_fail (RF_IS_DETAILS_GROUP (self));
  g_return_if_fail (title != NULL);

  if (value == NULL || *value == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  label = value_label (value);
  /* One Tab stop per row: the value, which can be selected and copied, and
   * which a screen reader reads with its title. */
  gtk_widget_set_focusable (row, FALSE);
  accessible = g_strdup_printf ("%s: %s", title, value);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

void
rf_details_group_clear (RfDetailsGroup *self)
{
  g_return_if_fail (RF_IS_DETAILS_GROUP (self));

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
  /* No heading above nothing. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
