/* rf-accessible.c: names a screen reader can say, on GTK 4.8
 *
 * GTK 4.8 (Debian 12) builds the AT-SPI name of a control from its
 * accessible label followed by the labels that label it, without following
 * those any further. Heard through Orca, that makes three mistakes with
 * mnemonics, which every button of the wizard has:
 *
 *   a button "_Next" is said "_Next Next" (its raw label, then its child's);
 *   a check box "_Two" is said "_Two" (its raw label, underscore and all);
 *   an expander is said "GtkExpander" (it has no label of its own).
 *
 * And libadwaita 1.2's rows say only their title: "Drive, list item", not
 * which drive. A row's subtitle becomes its description, which Orca reads
 * after the name. A row that only holds a button (Choose File…, Put One In)
 * would cost two Tab stops and say its title apart from the button: the
 * button is its one stop, and carries the row's words as its description.
 *
 * Each is repaired when the control is first shown and again whenever its
 * label changes: buttons lose the raw label (the child's words remain), check
 * boxes and expanders get their words without the underscore. Newer GTK
 * computes names properly; the repairs then change nothing a person hears.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "rf-accessible.h"

#define REPAIRED_KEY "rf-accessible-repaired"
#define DESCRIBED_KEY "rf-accessible-described"

/**
 * rf_accessible_strip_mnemonic:
 * @text: a label with mnemonics ("The _tray is empty", "Drag __here")
 *
 * Returns: the words as shown ("The tray is empty", "Drag _here").
 */
char *
rf_accessible_strip_mnemonic (const char *text)
{
  GString *words = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          /* "__" shows one underscore; a lone one marks the next letter. */
          if (p[1] != '_')
            continue;
          p++;
        }
      g_string_append_c (words, *p);
    }
  return g_string_free (words, FALSE);
}

static void
set_label_without_mnemonic (GtkWidget  *widget,
                            const char *label)
{
  g_autofree char *words = rf_accessible_strip_mnemonic (label);

  gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, words, -1);
}

/* Plain words of a row's title or subtitle, which may be Pango markup. */
static char *
row_text (AdwPreferencesRow *row,
          const char        *text)
{
  char *plain = NULL;

  if (text == NULL || *text == '\0')
    return NULL;
  if (!adw_preferences_row_get_use_markup (row) ||
      !pango_parse_markup (text, -1, 0, NULL, &plain, NULL, NULL))
    plain = g_strdup (text);
  if (adw_preferences_row_get_use_underline (row))
    {
      char *words = rf_accessible_strip_mnemonic (plain);

      g_free (plain);
      plain = words;
    }
  return plain;
}

static void
repair_row (AdwActionRow *row)
{
  g_autofree char *subtitle = row_text (ADW_PREFERENCES_ROW (row),
                                        adw_action_row_get_subtitle (row));

  if (subtitle != NULL && g_object_get_data (G_OBJECT (row), DESCRIBED_KEY) == NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                    subtitle, -1);
}

/* A button in a row that does nothing by itself: one Tab stop, the button. */
static void
repair_button_in_row (GtkWidget *button)
{
  GtkWidget *ancestor = gtk_widget_get_ancestor (button, ADW_TYPE_ACTION_ROW);
  AdwPreferencesRow *row = ADW_PREFERENCES_ROW (ancestor);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *words = NULL;

  if (ancestor == NULL || gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (ancestor)) ||
      adw_action_row_get_activatable_widget (ADW_ACTION_ROW (ancestor)) != NULL)
    return;
  gtk_widget_set_focusable (ancestor, FALSE);
  title = row_text (row, adw_preferences_row_get_title (row));
  subtitle = row_text (row, adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  words = g_strjoin (": ", title != NULL ? title : "", subtitle, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  title != NULL ? words : subtitle, -1);
}

static void
repair_name (GtkWidget *widget)
{
  if (ADW_IS_ACTION_ROW (widget))
    repair_row (ADW_ACTION_ROW (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    {
      GtkCheckButton *box = GTK_CHECK_BUTTON (widget);

      if (gtk_check_button_get_use_underline (box) && gtk_check_button_get_label (box) != NULL)
        set_label_without_mnemonic (widget, gtk_check_button_get_label (box));
    }
  else if (GTK_IS_BUTTON (widget))
    {
      GtkButton *button = GTK_BUTTON (widget);

      if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
        gtk_accessible_reset_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
      repair_button_in_row (widget);
    }
  else if (GTK_IS_EXPANDER (widget))
    {
      GtkExpander *expander = GTK_EXPANDER (widget);

      if (gtk_expander_get_label (expander) != NULL)
        set_label_without_mnemonic (widget, gtk_expander_get_label (expander));
    }
}

/* GTK sets the raw label again each time the label changes. */
static void
on_label_changed (GtkWidget *widget)
{
  repair_name (widget);
}

/**
 * rf_accessible_repair_names:
 * @widget: a button, check box, expander or action row (anything else is
 *   left alone)
 *
 * Gives @widget the name a person should hear, now and after every change of
 * its label.
 */
void
rf_accessible_repair_names (GtkWidget *widget)
{
  if (!GTK_IS_BUTTON (widget) && !GTK_IS_CHECK_BUTTON (widget) && !GTK_IS_EXPANDER (widget) &&
      !ADW_IS_ACTION_ROW (widget))
    return;
  repair_name (widget);
  if (g_object_get_data (G_OBJECT (widget), REPAIRED_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (widget), REPAIRED_KEY, GINT_TO_POINTER (TRUE));
  if (ADW_IS_ACTION_ROW (widget))
    {
      g_signal_connect (widget, "notify::subtitle", G_CALLBACK (on_label_changed), NULL);
      return;
    }
  g_signal_connect (widget, "notify::label", G_CALLBACK (on_label_changed), NULL);
  g_signal_connect (widget, "notify::use-underline", G_CALLBACK (on_label_changed), NULL);
}

static gboolean
on_widget_mapped (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  rf_accessible_repair_names (g_value_get_object (&values[0]));
  return TRUE;
}

/**
 * rf_accessible_repair_all_names:
 *
 * Repairs every control of the program as it is first shown, wherever it
 * was built (templates, pages that add rows later). Call once.
 */
void
rf_accessible_repair_all_names (void)
{
  static gsize installed = 0;

  if (g_once_init_enter (&installed))
    {
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_widget_mapped,
                                  NULL, NULL);
      g_once_init_leave (&installed, 1);
    }
}

/**
 * rf_accessible_describe_row:
 * @row: a row
 * @description: what a screen reader says after the row's title
 *
 * Gives @row a description of its own, in place of its subtitle (a check's
 * row says whether it passed, which its icon shows).
 */
void
rf_accessible_describe_row (AdwActionRow *row,
                            const char   *description)
{
  g_object_set_data (G_OBJECT (row), DESCRIBED_KEY, GINT_TO_POINTER (TRUE));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
}
