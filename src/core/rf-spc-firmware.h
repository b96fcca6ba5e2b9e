/* rf-spc-firmware.h: images for SPC WRITE BUFFER families (spc-download.md "Images")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-drive-db.h"
#include "rf-firmware.h"

G_BEGIN_DECLS

#define RF_SPC_MAX_SIZES 8

/**
 * RfSpcImageRules:
 * @family: the family's id, as in data/drives/
 * @sizes: accepted sizes; none listed means any size up to @max_size
 * @n_sizes: how many of @sizes are used
 * @max_size: the largest image (0: the general cap)
 * @model_offset: where the image names its model, or -1 when the family data has
 *   no model check (the image is then `spec-only`)
 * @model: the exact bytes expected there
 * @revision_offset: where the image carries its revision, or -1
 * @revision_length: its length in bytes
 * @model_length: how many bytes of @model are compared, NULs included; 0 means
 *   strlen (@model)
 *
 * How a family recognises its images. Filled from the drive data by the caller.
 */
typedef struct {
  const char *family;
  gsize sizes[RF_SPC_MAX_SIZES];
  guint n_sizes;
  gsize max_size;
  gssize model_offset;
  const char *model;
  gssize revision_offset;
  gsize revision_length;
  gsize model_length;
} RfSpcImageRules;

#define RF_TYPE_SPC_FIRMWARE (rf_spc_firmware_get_type ())

G_DECLARE_FINAL_TYPE (RfSpcFirmware, rf_spc_firmware, RF, SPC_FIRMWARE, RfFirmware)

RfSpcFirmware *rf_spc_firmware_new            (const RfSpcImageRules *rules);
RfSpcFirmware *rf_spc_firmware_new_for_family (const RfDriveFamily   *family);

G_END_DECLS
