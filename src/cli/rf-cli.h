/* rf-cli.h: reflash-cli's commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, documented in --help and data/reflash-cli.1. */
typedef enum {
  RF_CLI_EXIT_OK = 0,
  RF_CLI_EXIT_FAILURE = 1,      /* the command ran and failed */
  RF_CLI_EXIT_USAGE = 2,        /* bad arguments */
  RF_CLI_EXIT_NOT_FOUND = 3,    /* drive or file not found */
  RF_CLI_EXIT_REFUSED = 4,      /* verdict refused the image, or drive state forbids */
  RF_CLI_EXIT_NOT_AVAILABLE = 5, /* the command is not part of this version yet */
  RF_CLI_EXIT_CANCELLED = 6,    /* cancelled by a signal before anything was kept */
  RF_CLI_EXIT_NOT_CONFIRMED = 7, /* a flash's confirmation missing or declined: nothing written */
  RF_CLI_EXIT_NEEDS_RECOVERY = 8 /* a flash failed after the erase: the drive needs recovery */
} RfCliExit;

typedef int (*RfCliCommandFunc) (int argc, char **argv);

int rf_cli_run (int argc, char **argv);
int rf_cli_backup_run (int argc, char **argv);
int rf_cli_backups_run (int argc, char **argv);
int rf_cli_check_run (int argc, char **argv);
int rf_cli_flash_run (int argc, char **argv);
int rf_cli_info_run (int argc, char **argv);
int rf_cli_journals_run (int argc, char **argv);
int rf_cli_list_run (int argc, char **argv);
int rf_cli_practice_run (int argc, char **argv);
int rf_cli_recover_run (int argc, char **argv);
int rf_cli_recover_advise (const char *drive_name, gboolean as_json, double practice_speed);
int rf_cli_report_run (int argc, char **argv);
int rf_cli_resume_run (int argc, char **argv);

G_END_DECLS
