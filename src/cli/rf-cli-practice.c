/* rf-cli-practice.c: `reflash-cli practice ACTION`: things to rehearse with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli.h"
#include "rf-core.h"

/* Deep identification, as `check --drive` does: the image is for the bootcode's model. */
static RfDevice *
probe_practice_drive (const char *name,
                      GError    **error)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfDevice) device = NULL;

  if (db == NULL)
    return NULL;
  monitor = rf_cli_drive_monitor_new (db);
  device = rf_device_monitor_lookup (monitor, name, error);
  if (device == NULL)
    return NULL;
  /* Made-up firmware is only ever for a practice drive: never probe a real one for it. */
  if (!rf_device_is_practice (device))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "%s is no practice drive", name);
      return NULL;
    }
  if (!rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, error))
    return NULL;
  return g_steal_pointer (&device);
}

static int
fail (const char   *drive,
      const GError *error)
{
  if (error->code == RF_ERROR_NOT_SUPPORTED)
    {
      fprintf (stderr, _("reflash-cli practice: %s: made-up firmware can only be written for a practice drive whose family data says how its images look (%s)\n"),
               drive, error->message);
      return RF_CLI_EXIT_REFUSED;
    }
  fprintf (stderr, _("reflash-cli practice: %s: %s (%s)\n"), drive,
           rf_error_code_to_sentence ((RfError) error->code), error->message);
  return error->code == RF_ERROR_NOT_FOUND ? RF_CLI_EXIT_NOT_FOUND : RF_CLI_EXIT_FAILURE;
}

static int
practice_firmware (const char *drive,
                   gboolean    other_model,
                   const char *version,
                   const char *output)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDevice) device = probe_practice_drive (drive, &error);
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfPracticeImage) image = NULL;
  g_autofree char *path = NULL;

  if (device == NULL)
    return fail (drive, error);
  identity = rf_device_dup_identity (device);
  family = rf_device_dup_family (device);
  if (family == NULL)
    {
      g_set_error_literal (&error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "no drive family matched");
      return fail (drive, error);
    }
  image = rf_practice_image_build (identity, family, other_model, version, &error);
  if (image == NULL)
    return fail (drive, error);
  path = rf_practice_image_write (image, output, &error);
  if (path == NULL)
    return fail (drive, error);
  printf (_("Wrote made-up firmware for %s to %s\n"), drive, path);
  printf (_("Check it with: reflash-cli check %s --drive %s\n"), path, drive);
  return RF_CLI_EXIT_OK;
}

int
rf_cli_practice_run (int    argc,
                     char **argv)
{
  gboolean other_model = FALSE;
  g_autofree char *version = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "other-model", 0, 0, G_OPTION_ARG_NONE, &other_model,
      N_("Make the image for another model of the drive's family (a crossflash to rehearse)"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_("The firmware version the image carries (1 to 4 characters)"), N_("V") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the image to FILE instead of the cache folder"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("ACTION [DRIVE|NAME] — things to rehearse with a practice drive"));
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context,
                                _("Actions:\n  firmware DRIVE  write a made-up firmware image for a practice drive"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "reflash-cli practice: %s\n", error->message);
      return RF_CLI_EXIT_USAGE;
    }
  if (argc != 3 || !g_str_equal (argv[1], "firmware"))
    {
      fprintf (stderr, "reflash-cli practice: %s\n",
               _("give an action and a drive: practice firmware DRIVE"));
      return RF_CLI_EXIT_USAGE;
    }
  /* Refused before the drive is sent anything. */
  if (version != NULL && (strlen (version) == 0 || strlen (version) > 4))
    {
      fprintf (stderr, "reflash-cli practice: %s\n", _("the version must be 1 to 4 characters"));
      return RF_CLI_EXIT_USAGE;
    }
  return practice_firmware (argv[2], other_model, version, output);
}
