/* rf-allow-list.h: what may be sent to a drive at each stage, field by field
 * (DOMAIN.md "Probing depth", nec-2m.md §2-§4, spc-download.md "When these
 * commands may be sent" and "Phases")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-command.h"
#include "rf-drive-db.h"
#include "rf-phase.h"

G_BEGIN_DECLS

/**
 * RfGateStage:
 * @RF_GATE_STAGE_CLOSED: nothing passes
 * @RF_GATE_STAGE_PASSIVE: INQUIRY, TEST UNIT READY and GET CONFIGURATION only
 * @RF_GATE_STAGE_IDENTIFY: the family's deep identification
 * @RF_GATE_STAGE_BACKUP: identification and the family's dump reads
 * @RF_GATE_STAGE_FLASH: the commands of one phase of a flash
 * @RF_GATE_STAGE_AFTER_FAILURE: a flash failed past the point of no return:
 *   polls and identification only, whatever is asked later
 */
typedef enum {
  RF_GATE_STAGE_CLOSED,
  RF_GATE_STAGE_PASSIVE,
  RF_GATE_STAGE_IDENTIFY,
  RF_GATE_STAGE_BACKUP,
  RF_GATE_STAGE_FLASH,
  RF_GATE_STAGE_AFTER_FAILURE,
} RfGateStage;

/**
 * RfAllowList:
 * @stage: the stage
 * @family: (nullable): the drive's family; required from %RF_GATE_STAGE_IDENTIFY on
 * @phase: %RF_GATE_STAGE_FLASH only: the phase running
 * @key: %RF_GATE_STAGE_FLASH on NEC families: the bootcode's key, the only key a
 *   flash may enter and leave safe mode with
 *
 * A plain description; the stateful rules (each key tried once, a leave only
 * after an enter on a drive found in normal mode) live in #RfCommandGate.
 */
typedef struct {
  RfGateStage stage;
  const RfDriveFamily *family;
  RfPhase phase;
  const char *key;
} RfAllowList;

/* What the stateless check found out about a command that passed, for the
 * gate's stateful rules. */
typedef enum {
  RF_ALLOWED_PLAIN,
  RF_ALLOWED_SAFE_MODE_ENTER,
  RF_ALLOWED_SAFE_MODE_LEAVE,
} RfAllowedKind;

gboolean     rf_allow_list_check      (const RfAllowList *list,
                                       const RfCommand   *command,
                                       RfAllowedKind     *kind,
                                       char             **reason);
char        *rf_allow_list_describe   (const RfAllowList *list);
const char  *rf_gate_stage_to_nick    (RfGateStage        stage);

G_END_DECLS
