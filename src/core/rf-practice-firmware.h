/* rf-practice-firmware.h: made-up firmware images for practice drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-drive-db.h"
#include "rf-drive-identity.h"

G_BEGIN_DECLS

/**
 * RfPracticeImage:
 * @bytes: the image
 * @file_name: a file name that says what it is ("practice-ND-3550A-1.06-bootcode-05.bin")
 *
 * A made-up image for a practice drive: never a vendor binary.
 */
typedef struct {
  GBytes *bytes;
  char *file_name;
} RfPracticeImage;

RfPracticeImage *rf_practice_image_build (const RfDriveIdentity *identity,
                                          const RfDriveFamily   *family,
                                          gboolean               other_model,
                                          const char            *revision,
                                          GError               **error);
char            *rf_practice_image_write (const RfPracticeImage *image,
                                          const char            *path,
                                          GError               **error);
void             rf_practice_image_free  (RfPracticeImage       *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfPracticeImage, rf_practice_image_free)

G_END_DECLS
