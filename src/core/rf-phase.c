/* rf-phase.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-phase.h"

/* Stable: family files ([ExpectedSeconds], [LedHints]), JSON and journals. */
static const char * const phase_nicks[RF_PHASE_LAST] = {
  [RF_PHASE_PREFLIGHT] = "preflight",
  [RF_PHASE_BACKUP] = "backup",
  [RF_PHASE_ENTER_SAFE_MODE] = "enter-safe-mode",
  [RF_PHASE_UPLOAD] = "upload",
  [RF_PHASE_CHECKSUM] = "checksum",
  [RF_PHASE_ERASE] = "erase",
  [RF_PHASE_PROGRAM] = "program",
  [RF_PHASE_RESTART] = "restart",
  [RF_PHASE_VERIFY] = "verify",
  [RF_PHASE_ACTIVATE] = "activate",
  [RF_PHASE_SETTLE] = "settle",
};

const char *
rf_phase_to_nick (RfPhase phase)
{
  g_return_val_if_fail (phase < RF_PHASE_LAST, NULL);
  return phase_nicks[phase];
}

gboolean
rf_phase_from_nick (const char *nick,
                    RfPhase    *phase)
{
  g_return_val_if_fail (nick != NULL, FALSE);

  for (guint i = 0; i < RF_PHASE_LAST; i++)
    if (g_str_equal (phase_nicks[i], nick))
      {
        if (phase != NULL)
          *phase = i;
        return TRUE;
      }
  return FALSE;
}
