/* rf-test-images.h: firmware files for tests and the fuzz corpus, built on the
 * core image builder (never vendor binaries)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-drive-db.h"
#include "rf-drive-identity.h"

G_BEGIN_DECLS

typedef enum {
  RF_TEST_DAMAGE_CHECKSUM,     /* one byte of the main area changed */
  RF_TEST_DAMAGE_UNKNOWN_ID,   /* trailer names no known drive */
  RF_TEST_DAMAGE_BAD_VERSION,  /* bootcode version bytes are not characters */
  RF_TEST_DAMAGE_TRUNCATED,    /* cut off after 1 MiB */
  RF_TEST_DAMAGE_CUT_START,    /* the first 4 KiB missing, trailer intact */
  RF_TEST_DAMAGE_PADDED,       /* one byte appended */
  RF_TEST_DAMAGE_RANDOM,       /* 2 MiB of random bytes */
  RF_TEST_DAMAGE_LAST
} RfTestDamage;

/**
 * RfTestEmbedded:
 * @drive_id: trailer ID
 * @bootcode_version: (nullable): "05"
 * @revision: (nullable): display revision; %NULL leaves the display strings out
 * @bad_checksum: store a wrong checksum
 */
typedef struct {
  const char *drive_id;
  const char *bootcode_version;
  const char *revision;
  gboolean bad_checksum;
} RfTestEmbedded;

GBytes *rf_test_image          (const char           *drive_id,
                                const char           *bootcode_version,
                                const char           *revision);
GBytes *rf_test_image_damaged  (RfTestDamage          damage);
GBytes *rf_test_random_bytes   (gsize                 size,
                                guint32               seed);
GBytes *rf_test_spc_image      (const RfDriveFamily  *family,
                                const char           *revision);
RfDriveIdentity *rf_test_spc_identity (const RfDriveFamily *family);
GBytes *rf_test_updater        (const RfTestEmbedded *images,
                                guint                 n_images,
                                gsize                 prefix_size);
const char *rf_test_damage_to_expected_problem (RfTestDamage damage);

G_END_DECLS
