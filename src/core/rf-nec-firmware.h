/* rf-nec-firmware.h: NEC 2M images (nec-2m.md §5), alone or inside an updater
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-firmware.h"

G_BEGIN_DECLS

/* The scan never lists more candidates than this (a 64 MiB file holds ~34). */
#define RF_NEC_MAX_CANDIDATES 64

/**
 * RfNecCandidate:
 * @offset: where the image starts in the file
 * @length: its length (1,966,086 or 1,966,088)
 * @drive_id: canonical ID from the trailer
 * @bootcode_version: (nullable): two characters, or %NULL
 * @product: (nullable): display product, when the signature was found
 * @revision: (nullable): display revision
 * @problem: why it cannot be used; %RF_FIRMWARE_PROBLEM_NONE when it can
 *
 * One image found by the backward scan of §5.
 */
typedef struct {
  gsize offset;
  gsize length;
  char *drive_id;
  char *bootcode_version;
  char *product;
  char *revision;
  RfFirmwareProblem problem;
} RfNecCandidate;

/**
 * RfNecChoice:
 *
 * Why the chosen image inside an updater was chosen.
 */
typedef enum {
  RF_NEC_CHOICE_NONE,          /* a plain image, or nothing usable */
  RF_NEC_CHOICE_ONLY_ONE,      /* one usable image */
  RF_NEC_CHOICE_FIRST_FOUND,   /* no drive given: the first usable one */
  RF_NEC_CHOICE_DRIVE_MODEL,   /* the one for the drive's bootcode model */
  RF_NEC_CHOICE_DRIVE_BOOTCODE, /* ... and the drive's bootcode version */
  RF_NEC_CHOICE_NO_MATCH,      /* none fits the drive: the first usable one */
  RF_NEC_CHOICE_LAST /*< skip >*/
} RfNecChoice;

#define RF_TYPE_NEC_FIRMWARE (rf_nec_firmware_get_type ())

G_DECLARE_FINAL_TYPE (RfNecFirmware, rf_nec_firmware, RF, NEC_FIRMWARE, RfFirmware)

RfNecFirmware        *rf_nec_firmware_new                (void);
guint                 rf_nec_firmware_get_n_candidates   (RfNecFirmware *self);
const RfNecCandidate *rf_nec_firmware_get_candidate      (RfNecFirmware *self,
                                                          guint          index);
gint                  rf_nec_firmware_get_chosen         (RfNecFirmware *self);
RfNecChoice           rf_nec_firmware_get_choice         (RfNecFirmware *self);
gboolean              rf_nec_firmware_is_container       (RfNecFirmware *self);
gboolean              rf_nec_firmware_choose_for_drive   (RfNecFirmware *self,
                                                          const char    *drive_id,
                                                          const char    *bootcode_version,
                                                          GError       **error);
void                  rf_nec_firmware_choose_without_drive (RfNecFirmware *self);

const char *rf_nec_choice_to_nick     (RfNecChoice choice);
const char *rf_nec_choice_to_sentence (RfNecChoice choice);

int rf_nec_revision_compare (const char *a,
                             const char *b,
                             gboolean   *comparable);

G_END_DECLS
