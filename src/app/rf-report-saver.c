/* rf-report-saver.c: asks where to save a support report, and writes it
 *
 * The pages that offer "Save Report…" (Diagnosis, Result) build the report
 * (RfReport: the drive, what was found, the commands sent; no personal data)
 * when the button is pressed; this asks for the file through
 * GtkFileChooserNative (GTK 4.8 has no GtkFileDialog, PLATFORM.md) and writes
 * it without blocking the main loop. A failed write is said in a dialog; the
 * report can be saved again elsewhere.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "rf-report-saver.h"

typedef struct {
  GtkWindow *window;   /* (nullable) the dialogs' parent */
  GBytes *report;
  GtkFileChooserNative *chooser;
} Saving;

static void
saving_free (Saving *saving)
{
  g_clear_object (&saving->window);
  g_bytes_unref (saving->report);
  g_clear_object (&saving->chooser);
  g_free (saving);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Saving *saving = user_data;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (saving->window,
                                                           _("The Report Was Not Saved"),
                                                           error->message));
      adw_message_dialog_add_response (dialog, "close", _("_OK"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
  saving_free (saving);
}

static void
on_file_chosen (GtkNativeDialog *chooser,
                int              response,
                Saving          *saving)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file == NULL)
    {
      saving_free (saving);
      return;
    }
  g_file_replace_contents_bytes_async (file, saving->report, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL, on_saved,
                                       saving);
}

/**
 * rf_report_saver_save:
 * @parent: the widget whose window the file chooser belongs to
 * @report: the report, as rf_report_to_json() made it
 *
 * Asks where to save @report ("reflash-report.json" by default) and saves it.
 */
void
rf_report_saver_save (GtkWidget *parent,
                      GBytes    *report)
{
  GtkRoot *root;
  Saving *saving;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (report != NULL);

  root = gtk_widget_get_root (parent);
  saving = g_new0 (Saving, 1);
  saving->window = GTK_IS_WINDOW (root) ? g_object_ref (GTK_WINDOW (root)) : NULL;
  saving->report = g_bytes_ref (report);
  saving->chooser = gtk_file_chooser_native_new (_("Save Report"), saving->window,
                                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                                 _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (saving->chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (saving->chooser), "reflash-report.json");
  g_signal_connect (saving->chooser, "response", G_CALLBACK (on_file_chosen), saving);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (saving->chooser));
}
