/* rf-drive-state.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-drive-state.h"

typedef struct {
  const char *nick;
  const char *title;
  const char *sentence;
} RfDriveStateText;

static const RfDriveStateText state_texts[RF_DRIVE_STATE_LAST] = {
  [RF_DRIVE_STATE_UNKNOWN] = { "unknown", NC_("drive state", "Not checked yet"),
    N_("Reflash has not asked this drive anything yet.") },
  [RF_DRIVE_STATE_READY] = { "ready", NC_("drive state", "Working"),
    N_("Nothing is wrong with it: it answered the full check as a working drive does.") },
  [RF_DRIVE_STATE_SAFE_MODE] = { "safe-mode", NC_("drive state", "Safe mode"),
    N_("Only the bootcode is running: the main firmware is missing or damaged. A blinking light means the drive is waiting for firmware. This can be repaired.") },
  [RF_DRIVE_STATE_IDENTITY_MISMATCH] = { "identity-mismatch", NC_("drive state", "Identity mismatch"),
    N_("The identity stored in the drive names another model than its bootcode. Only firmware for the bootcode's model fits.") },
  [RF_DRIVE_STATE_BUSY] = { "busy", NC_("drive state", "Busy"),
    N_("The drive is in use. Remove the disc and close any burning program.") },
  [RF_DRIVE_STATE_UNSUPPORTED] = { "unsupported", NC_("drive state", "Not supported"),
    N_("Reflash knows no safe way to update this model.") },
  [RF_DRIVE_STATE_NOT_RESPONDING] = { "not-responding", NC_("drive state", "Not responding"),
    N_("The drive does not answer. Check its cable and power, and try another port; avoid USB adapters.") },
  [RF_DRIVE_STATE_NO_ACCESS] = { "no-access", NC_("drive state", "No access"),
    N_("You do not have permission to open this drive.") },
  [RF_DRIVE_STATE_NEEDS_ADMIN] = { "needs-admin", NC_("drive state", "Needs administrator rights"),
    N_("The full check of this drive needs administrator rights. No identification command reached the drive.") },
  [RF_DRIVE_STATE_VENDOR_REFUSED] = { "vendor-refused", NC_("drive state", "Connection blocks firmware commands"),
    N_("The drive cannot be updated through this connection: it, or an adapter between it and the computer, refused the firmware commands. Connect it to another controller, such as an internal SATA or IDE port.") },
};

const char *
rf_drive_state_to_nick (RfDriveState state)
{
  g_return_val_if_fail (state < RF_DRIVE_STATE_LAST, "unknown");
  return state_texts[state].nick;
}

RfDriveState
rf_drive_state_from_nick (const char *nick)
{
  g_return_val_if_fail (nick != NULL, RF_DRIVE_STATE_UNKNOWN);

  for (guint i = 0; i < RF_DRIVE_STATE_LAST; i++)
    if (g_str_equal (state_texts[i].nick, nick))
      return (RfDriveState) i;
  return RF_DRIVE_STATE_UNKNOWN;
}

const char *
rf_drive_state_to_title (RfDriveState state)
{
  g_return_val_if_fail (state < RF_DRIVE_STATE_LAST, NULL);
  return g_dpgettext2 (NULL, "drive state", state_texts[state].title);
}

const char *
rf_drive_state_to_sentence (RfDriveState state)
{
  g_return_val_if_fail (state < RF_DRIVE_STATE_LAST, NULL);
  return _(state_texts[state].sentence);
}

const char *
rf_probe_depth_to_nick (RfProbeDepth depth)
{
  return depth == RF_PROBE_DEPTH_DEEP ? "deep" : "passive";
}
