/* rf-device-private.h: the probe, shared by RfDevice and its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-command-gate.h"
#include "rf-device.h"

G_BEGIN_DECLS

/* Reason codes: stable, in JSON; each has a sentence in rf-device.c. */
#define RF_REASON_OK                   "ok"
#define RF_REASON_SAFE_MODE            "safe-mode"
#define RF_REASON_BOOTCODE_DIFFERS     "bootcode-differs"
#define RF_REASON_FIRMWARE_DIFFERS     "firmware-differs"
#define RF_REASON_BOOTCODE_KEY_UNKNOWN "bootcode-key-unknown"
#define RF_REASON_DISC_PRESENT         "disc-present"
#define RF_REASON_DRIVE_BUSY           "drive-busy"
#define RF_REASON_LOCKED               "locked"
#define RF_REASON_NO_FAMILY            "no-family"
#define RF_REASON_UNKNOWN_DRIVE_ID     "unknown-drive-id"
#define RF_REASON_VENDOR_REFUSED       "vendor-refused"
#define RF_REASON_NEEDS_PRIVILEGES     "needs-privileges"
#define RF_REASON_PERMISSION_DENIED    "permission-denied"
#define RF_REASON_TIMED_OUT            "timed-out"
#define RF_REASON_TRANSPORT_ERROR      "transport-error"
#define RF_REASON_UNEXPECTED_ANSWER    "unexpected-answer"
#define RF_REASON_DEVICE_GONE          "device-gone"
#define RF_REASON_LEFT_IN_SAFE_MODE    "left-in-safe-mode"
#define RF_REASON_MODE_UNKNOWN         "mode-unknown"
#define RF_REASON_IN_USE               "in-use"
#define RF_REASON_NO_DESCRIPTOR        "no-descriptor"

typedef struct {
  RfDriveIdentity *identity;
  RfDriveFamily *family;
  char *model_id;       /* the model INQUIRY matched (the running firmware's) */
  RfDriveState state;
  RfProbeDepth depth;
  const char *reason;   /* RF_REASON_* */
  char *detail;         /* developer text: the error or sense behind @reason */
  gboolean microcode_upgrade;
} RfProbeResult;

char          *rf_device_port_path_from_bus_path (const char *bus_path);
void           rf_device_set_bus_path (RfDevice   *self,
                                       const char *bus_path);

RfProbeResult *rf_probe_result_new  (void);
void           rf_probe_result_free (RfProbeResult *result);
RfProbeResult *rf_probe_drive       (RfTransport   *transport,
                                     RfDriveDb     *db,
                                     RfProbeDepth   depth,
                                     const char    *lock_name,
                                     const char    *port,
                                     GCancellable  *cancellable,
                                     GError       **error);

RfProbeResult *rf_probe_drive_held  (RfCommandGate *gate,
                                     RfDriveDb     *db,
                                     RfProbeDepth   depth,
                                     const char    *port,
                                     GCancellable  *cancellable,
                                     GError       **error);

gboolean       rf_device_probe_held (RfDevice      *self,
                                     RfCommandGate *gate,
                                     RfRecorder    *transcript,
                                     RfDriveDb     *db,
                                     RfProbeDepth   depth,
                                     GCancellable  *cancellable,
                                     GError       **error);

gboolean       rf_probe_wait_until_ready (RfTransport *transport,
                                          RfClock     *clock);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfProbeResult, rf_probe_result_free)

G_END_DECLS
