/* rf-cli-journals.h: interrupted flashes as the commands speak of them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"

G_BEGIN_DECLS

const char *rf_cli_journal_phase_to_sentence (RfDriveDb      *db,
                                              RfJournal      *journal);
const char *rf_cli_journal_phase_to_title    (RfDriveDb      *db,
                                              RfJournal      *journal);
char       *rf_cli_journal_model_name        (RfDriveDb      *db,
                                              RfJournal      *journal);
char       *rf_cli_journal_drive_name        (RfJournal      *journal);
void        rf_cli_journals_notice           (void);

G_END_DECLS
