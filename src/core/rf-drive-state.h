/* rf-drive-state.h: what state a drive is in (DOMAIN.md, "Drive states")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  RF_DRIVE_STATE_UNKNOWN,
  RF_DRIVE_STATE_READY,
  RF_DRIVE_STATE_SAFE_MODE,
  RF_DRIVE_STATE_IDENTITY_MISMATCH,
  RF_DRIVE_STATE_BUSY,
  RF_DRIVE_STATE_UNSUPPORTED,
  RF_DRIVE_STATE_NOT_RESPONDING,
  RF_DRIVE_STATE_NO_ACCESS,
  RF_DRIVE_STATE_NEEDS_ADMIN,
  RF_DRIVE_STATE_VENDOR_REFUSED,
  RF_DRIVE_STATE_LAST /*< skip >*/
} RfDriveState;

typedef enum {
  RF_PROBE_DEPTH_PASSIVE,
  RF_PROBE_DEPTH_DEEP,
} RfProbeDepth;

const char   *rf_drive_state_to_nick      (RfDriveState  state);
RfDriveState  rf_drive_state_from_nick    (const char   *nick);
const char   *rf_drive_state_to_title     (RfDriveState  state);
const char   *rf_drive_state_to_sentence  (RfDriveState  state);
const char   *rf_probe_depth_to_nick      (RfProbeDepth  depth);

G_END_DECLS
