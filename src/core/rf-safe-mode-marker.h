/* rf-safe-mode-marker.h: "Reflash put this drive in safe mode and may not have
 * brought it back" (a deep check that was killed between SAFE MODE enter and
 * the drive's return)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RfSafeModeMarkerKey:
 * @port: the drive's port path from sysfs (a practice drive: its id); never a
 *   /dev number, which may change between boots
 * @vendor: INQUIRY vendor, as found in normal mode
 * @product: INQUIRY product, as found in normal mode (kept for reports; a
 *   drive in safe mode may show another)
 *
 * One marker per port.
 */
typedef struct {
  const char *port;
  const char *vendor;
  const char *product;
} RfSafeModeMarkerKey;

gboolean rf_safe_mode_marker_set   (const RfSafeModeMarkerKey *key,
                                    GError                   **error);
gboolean rf_safe_mode_marker_find  (const RfSafeModeMarkerKey *key,
                                    gboolean                  *same_boot);
void     rf_safe_mode_marker_clear (const RfSafeModeMarkerKey *key);
char    *rf_safe_mode_marker_get_boot_id (void);

G_END_DECLS
