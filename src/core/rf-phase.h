/* rf-phase.h: the phases of a flash (DOMAIN.md "Phases of a flash")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RfPhase:
 *
 * NEC families use preflight to verify; SPC families use preflight, backup,
 * upload, activate, settle and verify (spc-download.md "Phases").
 */
typedef enum {
  RF_PHASE_PREFLIGHT,
  RF_PHASE_BACKUP,
  RF_PHASE_ENTER_SAFE_MODE,
  RF_PHASE_UPLOAD,
  RF_PHASE_CHECKSUM,
  RF_PHASE_ERASE,
  RF_PHASE_PROGRAM,
  RF_PHASE_RESTART,
  RF_PHASE_VERIFY,
  RF_PHASE_ACTIVATE,
  RF_PHASE_SETTLE,
  RF_PHASE_LAST /*< skip >*/
} RfPhase;

const char *rf_phase_to_nick   (RfPhase     phase);
gboolean    rf_phase_from_nick (const char *nick,
                                RfPhase    *phase);

G_END_DECLS
