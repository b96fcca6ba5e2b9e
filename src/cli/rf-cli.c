/* rf-cli.c: reflash-cli's dispatcher
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>

#include "rf-cli-journals.h"
#include "rf-cli.h"
#include "rf-locale.h"
#include "rf-must-finish.h"

typedef struct {
  const char *name;
  const char *summary;
  RfCliCommandFunc run;
  /* While a command's issue is open: the issue that brings it. */
  const char *pending_issue;
  /* Says first when an interrupted flash can be resumed: the commands a
   * person runs to look at or repair a drive. */
  gboolean tells_journals;
} RfCliCommand;

static const RfCliCommand commands[] = {
  { "list", N_("List optical drives and their state"), rf_cli_list_run, "#4", TRUE },
  { "info", N_("Show a drive's identity, state and next step"), rf_cli_info_run, "#4", TRUE },
  { "report", N_("Write a support report about a drive"), rf_cli_report_run, "#16", FALSE },
  { "check", N_("Check a firmware file, optionally against a drive"), rf_cli_check_run, "#5",
    FALSE },
  { "backup", N_("Back up a drive's firmware"), rf_cli_backup_run, "#15", FALSE },
  { "backups", N_("List stored firmware backups"), rf_cli_backups_run, "#5", FALSE },
  { "flash", N_("Write firmware to a drive"), rf_cli_flash_run, "#16", TRUE },
  { "recover", N_("Bring back a drive whose firmware is missing or damaged"), rf_cli_recover_run,
    "#16", TRUE },
  { "resume", N_("Finish a flash that was interrupted, with the image its journal kept"),
    rf_cli_resume_run, "#17", FALSE },
  { "journals", N_("List the journals of interrupted flashes, or discard one"),
    rf_cli_journals_run, "#17", FALSE },
  { "practice", N_("Rehearse with a practice drive: made-up firmware, its disc, power, reset"), rf_cli_practice_run, "#15",
    FALSE },
};

static void
print_usage (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: reflash-cli COMMAND [OPTION…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-10s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, "\n%s\n", _("Exit status:"));
  fprintf (out, "  0  %s\n", _("success"));
  fprintf (out, "  1  %s\n", _("the command failed"));
  fprintf (out, "  2  %s\n", _("wrong arguments"));
  fprintf (out, "  3  %s\n", _("drive or file not found"));
  fprintf (out, "  4  %s\n", _("refused: the file does not fit the drive, or the drive's state does not allow it"));
  fprintf (out, "  5  %s\n", _("the command is not available in this version"));
  fprintf (out, "  6  %s\n", _("cancelled (Ctrl+C or a signal); nothing was changed"));
  fprintf (out, "  7  %s\n", _("not confirmed: a flash needs a yes, or an extra confirmation's option; nothing was written"));
  fprintf (out, "  8  %s\n", _("the flash failed after the old firmware was erased: run “reflash-cli recover” with the same image, or “reflash-cli resume”"));
  fprintf (out, "\n%s\n", _("Run “reflash-cli COMMAND --help” for a command's options."));
}

static const RfCliCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* `COMMAND --help` prints the options and nothing else. */
static gboolean
asks_for_help (int    argc,
               char **argv)
{
  for (int i = 2; i < argc; i++)
    if (g_str_equal (argv[i], "--help") || g_str_equal (argv[i], "-h") ||
        g_str_has_prefix (argv[i], "--help-"))
      return TRUE;
  return FALSE;
}

/* GOptionContext starts a command's usage line ("Usage: … [OPTION…]") with the
 * program's name: the whole command a person types, "reflash-cli list". */
static void
set_program_name (const RfCliCommand *command)
{
  g_autofree char *name = g_strdup_printf ("reflash-cli %s", command->name);

  g_set_prgname (name);
}

int
rf_cli_run (int    argc,
            char **argv)
{
  const RfCliCommand *command;

  rf_locale_init ();
  /* Debug and info messages too: stdout carries only results (and JSON). */
  g_log_writer_default_set_use_stderr (TRUE);
  /* A dead pipe reader is an error to report, never a reason to die. */
  signal (SIGPIPE, SIG_IGN);
  /* A drive between SAFE MODE enter and its return is brought back before
   * SIGINT, SIGTERM or SIGHUP take effect. */
  rf_must_finish_defer_signals ();

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? RF_CLI_EXIT_USAGE : RF_CLI_EXIT_OK;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      printf ("reflash-cli %s\n", PACKAGE_VERSION);
      return RF_CLI_EXIT_OK;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    {
      /* Translators: the command the person typed */
      fprintf (stderr, _("reflash-cli: unknown command “%s”\n"), argv[1]);
      print_usage (stderr);
      return RF_CLI_EXIT_USAGE;
    }
  if (command->run == NULL)
    {
      /* Translators: a command's name, then an issue number ("#8") */
      fprintf (stderr, _("reflash-cli: “%s” is not available yet (issue %s is still open)\n"),
               command->name, command->pending_issue);
      return RF_CLI_EXIT_NOT_AVAILABLE;
    }
  if (command->tells_journals && !asks_for_help (argc, argv))
    rf_cli_journals_notice ();
  set_program_name (command);
  return command->run (argc - 1, argv + 1);
}
