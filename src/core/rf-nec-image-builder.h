/* rf-nec-image-builder.h: synthetic NEC 2M firmware images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RfNecImageSpec:
 * @drive_id: the trailer's drive ID, canonical or alias ("K355")
 * @bootcode_version: (nullable): two ASCII characters ("05"), or %NULL for a
 *   1,966,086-byte image without one
 * @vendor: (nullable): display vendor (8 bytes max); %NULL with @product and
 *   @revision leaves the display strings out
 * @product: (nullable): display product (16 bytes max)
 * @revision: (nullable): display revision (4 bytes max)
 * @vendor_specific: (nullable): the 20-byte vendor-specific field
 *
 * What a synthetic image holds. The code bytes are a deterministic pseudo-random
 * fill seeded from the fields, so two revisions differ everywhere, as real ones do.
 * Never a vendor binary: this is the one builder that the practice drive, tests
 * and fuzz corpus share.
 */
typedef struct {
  const char *drive_id;
  const char *bootcode_version;
  const char *vendor;
  const char *product;
  const char *revision;
  const char *vendor_specific;
} RfNecImageSpec;

/* Where the builder puts the display-string signature inside the image. */
#define RF_NEC_BUILDER_DISPLAY_OFFSET 0x2000

GBytes *rf_nec_image_build              (const RfNecImageSpec *spec);
GBytes *rf_nec_image_build_for_model    (const char           *drive_id,
                                         const char           *bootcode_version,
                                         const char           *revision);
void    rf_nec_image_fill_main          (guint8               *main,
                                         const RfNecImageSpec *spec);
void    rf_image_fill_pseudo_random     (guint8               *data,
                                         gsize                 length,
                                         guint32               state);

G_END_DECLS
