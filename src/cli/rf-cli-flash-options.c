/* rf-cli-flash-options.c: the options `flash`, `recover` and `resume` share,
 * and the commands `flash DRIVE IMAGE` and `recover DRIVE [IMAGE]`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <unistd.h>

#include "rf-cli-flash.h"
#include "rf-cli-job.h"
#include "rf-cli.h"

/* What each extra confirmation's option gives, in the order of
 * RfCliFlashOptions.confirmed (and of the questions, rf-cli-flash.c). */
static const RfFlashConfirmations option_confirmations[] = {
  RF_FLASH_CONFIRM_TRAY_EMPTY,
  RF_FLASH_CONFIRM_ON_BATTERY,
  RF_FLASH_CONFIRM_UNTESTED,
  RF_FLASH_CONFIRM_DOWNGRADE,
  RF_FLASH_CONFIRM_UNKNOWN_ORDER,
  RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION,
};

G_STATIC_ASSERT (G_N_ELEMENTS (option_confirmations) == RF_CLI_FLASH_N_CONFIRMATION_OPTIONS);

/* Questions */

/**
 * rf_cli_is_interactive:
 *
 * Returns: whether a person can be asked: standard input is a terminal
 */
gboolean
rf_cli_is_interactive (void)
{
  return isatty (STDIN_FILENO);
}

/**
 * rf_cli_ask:
 *
 * One answer from the terminal, asked on stderr; anything but yes is no.
 */
gboolean
rf_cli_ask (const char *question)
{
  char answer[64] = { 0 };

  fprintf (stderr, "%s %s ", question, _("[y/N]"));
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  g_strstrip (answer);
  /* Translators: what a person types for "yes", beside the English "y" */
  return g_ascii_strcasecmp (answer, "y") == 0 || g_ascii_strcasecmp (answer, "yes") == 0 ||
         (answer[0] != '\0' && g_str_equal (answer, _("y")));
}

/* Options */

/**
 * rf_cli_flash_options_add:
 * @with_no_backup: offer --no-backup too
 *
 * The options flash, recover and resume share, into @options.
 */
void
rf_cli_flash_options_add (GOptionContext    *context,
                          RfCliFlashOptions *options,
                          gboolean           with_no_backup)
{
  gboolean *flags = options->confirmed;
  /* The confirmations in the order of option_confirmations[] */
  const GOptionEntry entries[] = {
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &options->yes,
      N_("Answer “Flash this firmware?” with yes; each extra confirmation still needs its own "
         "option"), NULL },
    { "tray-empty", 0, 0, G_OPTION_ARG_NONE, &flags[0],
      N_("The tray of a drive in safe mode is empty: you checked"), NULL },
    { "on-battery", 0, 0, G_OPTION_ARG_NONE, &flags[1],
      N_("Write the firmware although the computer runs on battery"), NULL },
    { "accept-untested", 0, 0, G_OPTION_ARG_NONE, &flags[2],
      N_("Flash a drive family never tested on real hardware"), NULL },
    { "accept-downgrade", 0, 0, G_OPTION_ARG_NONE, &flags[3],
      N_("Flash firmware older than the drive runs"), NULL },
    { "accept-unknown-order", 0, 0, G_OPTION_ARG_NONE, &flags[4],
      N_("Flash a version that cannot be compared with the drive's"), NULL },
    { "accept-no-bootcode-version", 0, 0, G_OPTION_ARG_NONE, &flags[5],
      N_("Flash an image that names no bootcode version"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &options->as_json, N_("Print JSON events, one per line"),
      NULL },
    { "practice-speed", 0, 0, G_OPTION_ARG_STRING, &options->speed_text,
      N_("Practice drives only: run at FACTOR times real time (default 1; 0 is instant)"),
      N_("FACTOR") },
    { NULL }
  };
  const GOptionEntry backup_entries[] = {
    { "no-backup", 0, 0, G_OPTION_ARG_NONE, &options->no_backup,
      N_("Do not back up the drive's firmware first (its current firmware may then be lost)"),
      NULL },
    { NULL }
  };

  /* GLib copies the entries; the pointers in them stay @options'. */
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (with_no_backup)
    g_option_context_add_main_entries (context, backup_entries, GETTEXT_PACKAGE);
}

RfFlashConfirmations
rf_cli_flash_options_given (const RfCliFlashOptions *options)
{
  RfFlashConfirmations given = RF_FLASH_CONFIRM_NONE;

  for (gsize i = 0; i < G_N_ELEMENTS (option_confirmations); i++)
    if (options->confirmed[i])
      given |= option_confirmations[i];
  if (options->no_backup)
    given |= RF_FLASH_CONFIRM_NO_BACKUP;
  return given;
}

void
rf_cli_flash_options_clear (RfCliFlashOptions *options)
{
  g_clear_pointer (&options->speed_text, g_free);
}

static int
usage_error (const char *command,
             const char *message)
{
  fprintf (stderr, "reflash-cli %s: %s\n", command, message);
  return RF_CLI_EXIT_USAGE;
}

/* flash and recover take the same options. */
static int
run_command (const char *command,
             int         argc,
             char      **argv)
{
  g_auto(RfCliFlashOptions) options = { 0 };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean recover = g_str_equal (command, "recover");
  RfCliFlashRequest request = { 0 };

  context = g_option_context_new (recover ? _("DRIVE [IMAGE] — bring back a drive whose "
                                              "firmware is missing or damaged")
                                          : _("DRIVE IMAGE — write firmware to a drive"));
  g_option_context_set_description (context,
                                    _("DRIVE is a node such as /dev/sg1 or /dev/sr0, or a practice drive such as practice:seed (see “reflash-cli list --practice”)."));
  rf_cli_flash_options_add (context, &options, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (command, error->message);
  if (argc != 3 && !(recover && argc == 2))
    return usage_error (command, recover ? _("give a drive, and optionally a firmware file")
                                         : _("give a drive and a firmware file"));
  request.practice_speed = RF_CLI_DEFAULT_PRACTICE_SPEED;
  if (!rf_cli_parse_practice_speed (options.speed_text, argv[1], &request.practice_speed, &error))
    return usage_error (command, error->message);
  if (argc == 2)
    return rf_cli_recover_advise (argv[1], options.as_json, request.practice_speed);
  request.command = command;
  request.drive_name = argv[1];
  request.image_path = argv[2];
  request.as_json = options.as_json;
  request.yes = options.yes;
  request.given = rf_cli_flash_options_given (&options);
  return rf_cli_flash_run_request (&request);
}

int
rf_cli_flash_run (int    argc,
                  char **argv)
{
  return run_command ("flash", argc, argv);
}

int
rf_cli_recover_run (int    argc,
                    char **argv)
{
  return run_command ("recover", argc, argv);
}
