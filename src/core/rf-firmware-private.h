/* rf-firmware-private.h: what the image formats fill in on their RfFirmware
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-firmware.h"

G_BEGIN_DECLS

/* Everything a format learned about its image. Strings are copied. */
typedef struct {
  const char *family;
  const char *drive_id;
  const char *model;
  const char *bootcode_version;
  const char *vendor;
  const char *product;
  const char *revision;
  const char *vendor_specific;
  gboolean has_checksum;
  guint16 checksum_stored;
  guint16 checksum_computed;
  gboolean model_checked;
} RfFirmwareInfo;

void rf_firmware_set_info    (RfFirmware           *self,
                              const RfFirmwareInfo *info,
                              GBytes               *image);
void rf_firmware_clear_info  (RfFirmware           *self);
gboolean rf_firmware_fail    (RfFirmware           *self,
                              RfFirmwareProblem     problem,
                              GError              **error,
                              const char           *detail);

G_END_DECLS
