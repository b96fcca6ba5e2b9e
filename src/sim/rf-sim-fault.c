/* rf-sim-fault.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-sim-fault.h"

/* Nicks are the values scenario files use; keep them stable. */
static const char *const kind_nicks[] = {
  [RF_SIM_FAULT_POWER_LOSS] = "power-loss",
  [RF_SIM_FAULT_TIMEOUT] = "timeout",
  [RF_SIM_FAULT_TRANSPORT_ERROR] = "transport-error",
  [RF_SIM_FAULT_UNIT_ATTENTION_STORM] = "unit-attention-storm",
  [RF_SIM_FAULT_VANISH] = "vanish",
  [RF_SIM_FAULT_WRITE_FAILURE] = "write-failure",
  [RF_SIM_FAULT_SILENT_FLASH] = "silent-flash",
  [RF_SIM_FAULT_LOST_STATUS] = "lost-status",
  [RF_SIM_FAULT_NO_ACCESS] = "no-access",
  [RF_SIM_FAULT_NO_RAWIO] = "no-rawio",
  [RF_SIM_FAULT_IN_USE] = "in-use",
  [RF_SIM_FAULT_FLIPPED_READ] = "flipped-read",
  [RF_SIM_FAULT_KILLED] = "killed",
  [RF_SIM_FAULT_INVALID_OPCODE] = "invalid-opcode",
  [RF_SIM_FAULT_INVALID_FIELD] = "invalid-field",
};

static const char *const phase_nicks[] = {
  [RF_SIM_PHASE_ANY] = "any",
  [RF_SIM_PHASE_QUERY] = "query",
  [RF_SIM_PHASE_READ] = "read",
  [RF_SIM_PHASE_SAFE_MODE_ENTER] = "safe-mode-enter",
  [RF_SIM_PHASE_UPLOAD] = "upload",
  [RF_SIM_PHASE_CHECKSUM] = "checksum",
  [RF_SIM_PHASE_ERASE] = "erase",
  [RF_SIM_PHASE_PROGRAM] = "program",
  [RF_SIM_PHASE_SAFE_MODE_LEAVE] = "safe-mode-leave",
  [RF_SIM_PHASE_ACTIVATE] = "activate",
  [RF_SIM_PHASE_OTHER] = "other",
};

const char *
rf_sim_fault_kind_to_nick (RfSimFaultKind kind)
{
  g_return_val_if_fail ((gsize) kind < G_N_ELEMENTS (kind_nicks), NULL);
  return kind_nicks[kind];
}

gboolean
rf_sim_fault_kind_from_nick (const char     *nick,
                             RfSimFaultKind *kind)
{
  g_return_val_if_fail (nick != NULL && kind != NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (kind_nicks); i++)
    if (g_str_equal (kind_nicks[i], nick))
      {
        *kind = (RfSimFaultKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
rf_sim_phase_to_nick (RfSimPhase phase)
{
  g_return_val_if_fail ((gsize) phase < G_N_ELEMENTS (phase_nicks), NULL);
  return phase_nicks[phase];
}

gboolean
rf_sim_phase_from_nick (const char *nick,
                        RfSimPhase *phase)
{
  g_return_val_if_fail (nick != NULL && phase != NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (phase_nicks); i++)
    if (g_str_equal (phase_nicks[i], nick))
      {
        *phase = (RfSimPhase) i;
        return TRUE;
      }
  return FALSE;
}

/* A one-shot fault on the n-th command of @phase, no byte offset, storm of 20. */
void
rf_sim_fault_init (RfSimFault    *fault,
                   RfSimFaultKind kind,
                   RfSimPhase     phase,
                   guint          occurrence)
{
  g_return_if_fail (fault != NULL);
  *fault = (RfSimFault) {
    .kind = kind,
    .phase = phase,
    .occurrence = occurrence,
    .command = 0,
    .byte_offset = -1,
    .count = 20,
  };
}
