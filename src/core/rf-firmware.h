/* rf-firmware.h: a firmware file, parsed and checked (base class of the formats)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* Nothing Reflash reads as firmware (an updater included) is larger than this. */
#define RF_FIRMWARE_MAX_FILE_SIZE (64 * 1024 * 1024)

/**
 * RfFirmwareProblem:
 *
 * Why a file is not a usable image. Each has a stable nick, a sentence, and the
 * `corrupt` sub-reason of DOMAIN.md's verdict table it falls under.
 */
typedef enum {
  RF_FIRMWARE_PROBLEM_NONE,
  RF_FIRMWARE_PROBLEM_EMPTY,
  RF_FIRMWARE_PROBLEM_SIZE,
  RF_FIRMWARE_PROBLEM_CHECKSUM,
  RF_FIRMWARE_PROBLEM_TRUNCATED,
  RF_FIRMWARE_PROBLEM_UNREADABLE,
  RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE,
  RF_FIRMWARE_PROBLEM_UNKNOWN_ID,
  RF_FIRMWARE_PROBLEM_NO_DISPLAY_STRINGS,
  RF_FIRMWARE_PROBLEM_TOO_LARGE,
  RF_FIRMWARE_PROBLEM_DIRECTORY,
  RF_FIRMWARE_PROBLEM_SPECIAL_FILE,
  RF_FIRMWARE_PROBLEM_NOT_FOUND,
  RF_FIRMWARE_PROBLEM_WRONG_MODEL,
  RF_FIRMWARE_PROBLEM_BAD_BOOTCODE_VERSION,
  RF_FIRMWARE_PROBLEM_LAST /*< skip >*/
} RfFirmwareProblem;

const char *rf_firmware_problem_to_nick     (RfFirmwareProblem problem);
const char *rf_firmware_problem_to_sentence (RfFirmwareProblem problem);
const char *rf_firmware_problem_to_corrupt_nick (RfFirmwareProblem problem);

#define RF_TYPE_FIRMWARE (rf_firmware_get_type ())

G_DECLARE_DERIVABLE_TYPE (RfFirmware, rf_firmware, RF, FIRMWARE, GObject)

/**
 * RfFirmwareClass:
 * @format: the format's id ("nec-2m", "spc-download")
 * @max_size: the largest input @parse accepts
 * @parse: fill the image's fields from @bytes (already checked against
 *   @max_size and for emptiness); on failure set a problem and @error
 * @write: the image's bytes as they would be saved or flashed
 */
struct _RfFirmwareClass
{
  GObjectClass parent_class;

  const char *format;
  gsize max_size;

  gboolean (*parse) (RfFirmware *self,
                     GBytes     *bytes,
                     GError    **error);
  GBytes  *(*write) (RfFirmware *self,
                     GError    **error);

  gpointer padding[8];
};

gboolean           rf_firmware_parse            (RfFirmware  *self,
                                                 GBytes      *bytes,
                                                 GError     **error);
GBytes            *rf_firmware_write            (RfFirmware  *self,
                                                 GError     **error);
const char        *rf_firmware_get_format       (RfFirmware  *self);
const char        *rf_firmware_get_family       (RfFirmware  *self);
RfFirmwareProblem  rf_firmware_get_problem      (RfFirmware  *self);
gsize              rf_firmware_get_input_size   (RfFirmware  *self);
const char        *rf_firmware_get_input_sha256 (RfFirmware  *self);
GBytes            *rf_firmware_get_image        (RfFirmware  *self);
const char        *rf_firmware_get_image_sha256 (RfFirmware  *self);
const char        *rf_firmware_get_drive_id     (RfFirmware  *self);
const char        *rf_firmware_get_model        (RfFirmware  *self);
const char        *rf_firmware_get_bootcode_version (RfFirmware *self);
const char        *rf_firmware_get_vendor       (RfFirmware  *self);
const char        *rf_firmware_get_product      (RfFirmware  *self);
const char        *rf_firmware_get_revision     (RfFirmware  *self);
const char        *rf_firmware_get_vendor_specific (RfFirmware *self);
gboolean           rf_firmware_get_checksum     (RfFirmware  *self,
                                                 guint16     *stored,
                                                 guint16     *computed);
gboolean           rf_firmware_get_model_checked (RfFirmware *self);

G_END_DECLS
