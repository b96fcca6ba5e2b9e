/* rf-command-gate.h: the safety gate every job talks to a drive through
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-allow-list.h"
#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_COMMAND_GATE (rf_command_gate_get_type ())

G_DECLARE_FINAL_TYPE (RfCommandGate, rf_command_gate, RF, COMMAND_GATE, RfTransport)

/* nec-2m.md §8: a SAFE MODE enter answered with UNIT ATTENTION was not run and
 * may be sent again after a new no-disc check, at most this many times. */
#define RF_GATE_UNIT_ATTENTION_RETRIES 10

RfCommandGate *rf_command_gate_new        (RfTransport    *inner);
gboolean       rf_command_gate_set_stage  (RfCommandGate  *self,
                                           RfGateStage     stage,
                                           RfDriveFamily  *family,
                                           RfPhase         phase,
                                           const char     *key);
RfGateStage    rf_command_gate_get_stage  (RfCommandGate  *self);
gboolean       rf_command_gate_stage_is_valid (RfGateStage    stage,
                                               RfDriveFamily *family,
                                               RfPhase        phase,
                                               const char    *key);
gboolean       rf_command_gate_has_failed (RfCommandGate  *self);
guint          rf_command_gate_get_n_refused (RfCommandGate *self);
RfTransport   *rf_command_gate_get_inner  (RfCommandGate  *self);

G_END_DECLS
