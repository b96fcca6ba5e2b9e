/* rf-cli-flash.h: the one path of `flash`, `recover` and `resume`: a deep
 * look, the verdict, the confirmations, the job and its ending
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"

G_BEGIN_DECLS

/**
 * RfCliFlashRequest:
 * @command: "flash", "recover" or "resume": names the command in its words
 * @drive_name: the drive, as `info` names it
 * @image_path: (nullable): the firmware file; %NULL for a resume
 * @resume: (nullable): the journal a resume continues: its copy of the image
 *   is flashed, and the job checks the drive against it
 * @as_json: events on stdout, words on stderr
 * @yes: the general "Flash this firmware?" is answered
 * @given: the extra confirmations given as options
 * @practice_speed: for a practice drive
 */
typedef struct {
  const char *command;
  const char *drive_name;
  const char *image_path;
  RfJournal *resume;
  gboolean as_json;
  gboolean yes;
  RfFlashConfirmations given;
  double practice_speed;
} RfCliFlashRequest;

/* The number of extra confirmations that have an option of their own. */
#define RF_CLI_FLASH_N_CONFIRMATION_OPTIONS 6

/**
 * RfCliFlashOptions:
 *
 * What the options common to `flash`, `recover` and `resume` said.
 */
typedef struct {
  gboolean yes;
  gboolean as_json;
  gboolean no_backup;
  gboolean confirmed[RF_CLI_FLASH_N_CONFIRMATION_OPTIONS];
  char *speed_text;
} RfCliFlashOptions;

void                 rf_cli_flash_options_add     (GOptionContext          *context,
                                                   RfCliFlashOptions       *options,
                                                   gboolean                 with_no_backup);
RfFlashConfirmations rf_cli_flash_options_given   (const RfCliFlashOptions *options);
void                 rf_cli_flash_options_clear   (RfCliFlashOptions       *options);

int                  rf_cli_flash_run_request     (const RfCliFlashRequest *request);
int                  rf_cli_flash_say_error       (const RfCliFlashRequest *request,
                                                   const GError            *error,
                                                   const char              *sentence,
                                                   int                      status);

gboolean             rf_cli_is_interactive        (void);
gboolean             rf_cli_ask                   (const char              *question);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RfCliFlashOptions, rf_cli_flash_options_clear)

G_END_DECLS
