/* rf-cli-practice.c: `reflash-cli practice ACTION`: things to rehearse with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli-job.h"
#include "rf-cli-twin.h"
#include "rf-cli.h"
#include "rf-core.h"
#include "rf-sim.h"

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
  device = rf_cli_drive_lookup (monitor, name, error);
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
  g_autofree char *sentence = NULL;

  if (error->code == RF_ERROR_NOT_SUPPORTED)
    {
      /* Translators: the practice drive's name ("practice:seed") */
      fprintf (stderr, _("reflash-cli practice: %s: made-up firmware can only be written for a practice drive whose family data says how its images look (%s)\n"),
               drive, error->message);
      return RF_CLI_EXIT_REFUSED;
    }
  sentence = rf_cli_drive_dup_error_sentence (drive, error);
  /* Translators: the practice drive's name, what went wrong, the system's message */
  fprintf (stderr, _("reflash-cli practice: %s: %s (%s)\n"), drive, sentence, error->message);
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
  /* Translators: the practice drive's name, then the file written */
  printf (_("Wrote made-up firmware for %s to %s\n"), drive, path);
  /* Translators: the file, then the practice drive's name; keep the command as it is */
  printf (_("Check it with: reflash-cli check %s --drive %s\n"), path, drive);
  return RF_CLI_EXIT_OK;
}

typedef enum {
  CONTROL_INSERT_DISC,
  CONTROL_REMOVE_DISC,
  CONTROL_POWER_CYCLE,
  CONTROL_RESET,
} Control;

static const char * const control_names[] = {
  "insert-disc", "remove-disc", "power-cycle", "reset", NULL,
};

static gboolean
apply_control (RfSimDrive *drive,
               Control     control,
               GError    **error)
{
  switch (control)
    {
    case CONTROL_INSERT_DISC:
      rf_sim_drive_set_disc (drive, TRUE);
      return TRUE;
    case CONTROL_REMOVE_DISC:
      rf_sim_drive_set_disc (drive, FALSE);
      return TRUE;
    case CONTROL_POWER_CYCLE:
      rf_sim_drive_power_cycle (drive);
      return TRUE;
    case CONTROL_RESET:
    default:
      return rf_sim_drive_reset (drive, error);
    }
}

static const char *
led_words (RfSimLed led)
{
  switch (led)
    {
    case RF_SIM_LED_STEADY:
      return C_("light", "steady");
    case RF_SIM_LED_BLINKING:
      return C_("light", "blinking");
    case RF_SIM_LED_BLINKING_FAST:
      return C_("light", "blinking fast");
    case RF_SIM_LED_OFF:
    default:
      return C_("light", "off");
    }
}

/* What a person would see of the drive after the control. */
static void
print_drive_now (const char *name,
                 RfSimDrive *drive)
{
  /* Translators: "practice:seed: no disc inside; the light: blinking" */
  printf (_("%s: %s; the light: %s\n"), name,
          rf_sim_drive_has_disc (drive) ? _("a disc is inside") : _("no disc inside"),
          led_words (rf_sim_drive_get_led (drive)));
  /* Translators: the practice drive's name; keep the command as it is */
  printf (_("Check it with: reflash-cli info %s\n"), name);
}

/* Changes a practice drive as a person changes a real one, under the drive's
 * lock: never while a flash or check of it runs elsewhere. */
static int
practice_control (Control     control,
                  const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfSimSource) source = NULL;
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveLock) lock = NULL;
  RfSimDrive *drive;

  if (db == NULL)
    return fail (name, error);
  monitor = rf_cli_drive_monitor_new_with_practice (db, &source);
  device = rf_cli_drive_lookup (monitor, name, &error);
  if (device == NULL)
    return fail (name, error);
  if (!rf_device_is_practice (device))
    {
      /* Translators: the drive's name the person gave */
      fprintf (stderr, _("reflash-cli practice: %s is no practice drive: only practice drives can be changed this way\n"),
               name);
      return RF_CLI_EXIT_REFUSED;
    }
  lock = rf_drive_lock_acquire (rf_device_get_lock_name (device), &error);
  if (lock == NULL)
    return fail (name, error);
  drive = rf_sim_source_get_drive (source, name + strlen ("practice:"));
  if (drive == NULL || !apply_control (drive, control, &error))
    {
      if (error == NULL)
        g_set_error_literal (&error, RF_ERROR, RF_ERROR_NOT_FOUND, "no such practice drive");
      return fail (name, error);
    }
  print_drive_now (name, drive);
  return RF_CLI_EXIT_OK;
}

static gboolean
find_control (const char *word,
              Control    *control)
{
  for (guint i = 0; control_names[i] != NULL; i++)
    if (g_str_equal (word, control_names[i]))
      {
        *control = (Control) i;
        return TRUE;
      }
  return FALSE;
}

int
rf_cli_practice_run (int    argc,
                     char **argv)
{
  gboolean other_model = FALSE;
  g_autofree char *version = NULL;
  g_autofree char *output = NULL;
  g_autofree char *twin_name = NULL;
  g_autofree char *speed_text = NULL;
  double speed = RF_CLI_DEFAULT_PRACTICE_SPEED;
  const GOptionEntry entries[] = {
    { "other-model", 0, 0, G_OPTION_ARG_NONE, &other_model,
      N_("Make the image for another model of the drive's family (a crossflash to rehearse)"),
      NULL },
    { "version", 0, 0, G_OPTION_ARG_STRING, &version,
      N_("The firmware version the image carries (1 to 4 characters)"), N_("V") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the image to FILE instead of the cache folder"), N_("FILE") },
    { "name", 0, 0, G_OPTION_ARG_STRING, &twin_name,
      N_("make-twin: the twin's name (1 to 80 characters)"), N_("NAME") },
    { "practice-speed", 0, 0, G_OPTION_ARG_STRING, &speed_text,
      N_("make-twin of a practice drive: run at FACTOR times real time (default 1; 0 is instant)"),
      N_("FACTOR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("ACTION [DRIVE|NAME] — things to rehearse with a practice drive"));
  g_autoptr(GError) error = NULL;
  Control control = CONTROL_RESET;

  g_option_context_set_summary (context,
                                _("Actions:\n"
                                  "  firmware DRIVE     write a made-up firmware image for a practice drive\n"
                                  "  insert-disc DRIVE  put a disc into the practice drive\n"
                                  "  remove-disc DRIVE  take the disc out\n"
                                  "  power-cycle DRIVE  switch the practice drive off and on\n"
                                  "  reset DRIVE        put the practice drive back as its scenario describes it\n"
                                  "  make-twin DRIVE    make a practice drive that copies DRIVE, to rehearse on first\n"
                                  "  list               list the practice drives, twins included\n"
                                  "  delete NAME        delete a twin"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "reflash-cli practice: %s\n", error->message);
      return RF_CLI_EXIT_USAGE;
    }
  if (argc == 2 && g_str_equal (argv[1], "list"))
    return rf_cli_twin_list ();
  if (argc == 3 && g_str_equal (argv[1], "delete"))
    return rf_cli_twin_delete (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "make-twin"))
    {
      if (speed_text != NULL &&
          !rf_cli_parse_practice_speed (speed_text, argv[2], &speed, &error))
        {
          fprintf (stderr, "reflash-cli practice: %s\n", error->message);
          return RF_CLI_EXIT_USAGE;
        }
      return rf_cli_twin_make (argv[2], twin_name, speed);
    }
  if (argc != 3 || (!g_str_equal (argv[1], "firmware") && !find_control (argv[1], &control)))
    {
      fprintf (stderr, "reflash-cli practice: %s\n",
               _("give an action and a drive: practice firmware|insert-disc|remove-disc|power-cycle|reset|make-twin DRIVE, practice list, or practice delete NAME"));
      return RF_CLI_EXIT_USAGE;
    }
  if (!g_str_equal (argv[1], "firmware"))
    return practice_control (control, argv[2]);
  /* Refused before the drive is sent anything. */
  if (version != NULL && (strlen (version) == 0 || strlen (version) > 4))
    {
      fprintf (stderr, "reflash-cli practice: %s\n", _("the version must be 1 to 4 characters"));
      return RF_CLI_EXIT_USAGE;
    }
  return practice_firmware (argv[2], other_model, version, output);
}
