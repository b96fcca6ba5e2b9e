/* rf-cli-list.c: `reflash-cli list`: every drive, one line each
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli.h"

static char *
list_model (RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);

  /* The drive's own name for itself, as its label and other tools show it. */
  if (identity->product != NULL && identity->product[0] != '\0')
    return g_strdup (identity->product);
  return rf_cli_drive_model_name (device);
}

/* @text and the spaces that fill its column: printf's widths count bytes,
 * and a translated title or model has letters of two bytes and more. */
static void
print_cell (const char *text,
            int         width)
{
  fputs (text, stdout);
  for (int n = (int) g_utf8_strlen (text, -1); n < width; n++)
    putchar (' ');
  fputs ("  ", stdout);
}

static int
text_width (const char *text)
{
  return (int) g_utf8_strlen (text, -1);
}

static void
print_human (GPtrArray *devices,
             GPtrArray *errors)
{
  /* Translators: column titles of "reflash-cli list" (the --drive option's
   * DRIVE is another message: a placeholder, not a title) */
  const char *titles[] = { NC_("column", "DRIVE"), NC_("column", "MODEL"),
                           NC_("column", "FIRMWARE"), NC_("column", "STATE") };
  int widths[3];

  if (devices->len == 0)
    {
      printf ("%s\n", _("No optical drives found. Add --practice to see the practice drives."));
      return;
    }
  for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
    widths[c] = text_width (g_dpgettext2 (NULL, "column", titles[c]));
  for (guint i = 0; i < devices->len; i++)
    {
      RfDevice *device = g_ptr_array_index (devices, i);
      g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
      g_autofree char *model = list_model (device);

      widths[0] = MAX (widths[0], text_width (rf_device_get_id (device)));
      widths[1] = MAX (widths[1], text_width (model));
      widths[2] = MAX (widths[2], identity->revision != NULL ? text_width (identity->revision) : 1);
    }
  for (guint c = 0; c < G_N_ELEMENTS (widths); c++)
    print_cell (g_dpgettext2 (NULL, "column", titles[c]), widths[c]);
  printf ("%s\n", g_dpgettext2 (NULL, "column", titles[3]));
  for (guint i = 0; i < devices->len; i++)
    {
      RfDevice *device = g_ptr_array_index (devices, i);
      g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
      g_autofree char *model = list_model (device);
      const GError *error = g_ptr_array_index (errors, i);

      print_cell (rf_device_get_id (device), widths[0]);
      print_cell (model, widths[1]);
      print_cell (identity->revision != NULL ? identity->revision : "-", widths[2]);
      printf ("%s\n", error != NULL ? rf_error_code_to_sentence ((RfError) error->code)
                                    : rf_device_get_state_title (device));
    }
}

static void
print_json (GPtrArray *devices,
            GPtrArray *errors)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (json);
  rf_json_writer_key (json, "drives");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < devices->len; i++)
    rf_cli_drive_write_json_with_error (json, g_ptr_array_index (devices, i), FALSE,
                                        g_ptr_array_index (errors, i));
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

int
rf_cli_list_run (int    argc,
                 char **argv)
{
  gboolean as_json = FALSE;
  gboolean with_practice = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "practice", 0, 0, G_OPTION_ARG_NONE, &with_practice, N_("Also list the practice drives"),
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list optical drives"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) errors = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      fprintf (stderr, "reflash-cli list: %s\n",
               error != NULL ? error->message : _("this command takes no arguments"));
      return RF_CLI_EXIT_USAGE;
    }
  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    {
      fprintf (stderr, "reflash-cli list: %s\n", error->message);
      return RF_CLI_EXIT_FAILURE;
    }
  monitor = rf_cli_drive_monitor_new (db);
  devices = rf_device_monitor_list_devices (monitor, with_practice);
  /* Listing is passive: INQUIRY, TEST UNIT READY, GET CONFIGURATION only. */
  errors = rf_cli_drive_probe_all (devices, db, RF_PROBE_DEPTH_PASSIVE);
  if (as_json)
    print_json (devices, errors);
  else
    print_human (devices, errors);
  return RF_CLI_EXIT_OK;
}
