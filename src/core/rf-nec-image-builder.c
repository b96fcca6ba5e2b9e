/* rf-nec-image-builder.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"

static guint32
seed_from_spec (const RfNecImageSpec *spec)
{
  g_autofree char *key = g_strjoin ("|", spec->drive_id,
                                    spec->bootcode_version ? spec->bootcode_version : "-",
                                    spec->product ? spec->product : "-",
                                    spec->revision ? spec->revision : "-", NULL);
  guint32 seed = g_str_hash (key);

  return seed != 0 ? seed : 0x9e3779b9u;
}

/**
 * rf_image_fill_pseudo_random:
 * @state: the seed, not 0
 *
 * xorshift32: cheap, deterministic, and never all 0xFF. The code bytes of every
 * made-up image, so two seeds (revisions) differ everywhere, as real ones do.
 */
void
rf_image_fill_pseudo_random (guint8 *data,
                             gsize   length,
                             guint32 state)
{
  for (gsize i = 0; i < length; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      data[i] = (guint8) (state >> 24);
    }
}

static void
put_padded (guint8     *dest,
            gsize       width,
            const char *text)
{
  gsize n = text != NULL ? MIN (strlen (text), width) : 0;

  memset (dest, ' ', width);
  if (n > 0)
    memcpy (dest, text, n);
}

/**
 * rf_nec_image_fill_main:
 * @main: RF_NEC_MAIN_SIZE bytes, the main firmware area
 * @spec: what it holds
 *
 * Fills the main firmware area alone (no trailer), e.g. straight into a practice
 * drive's flash.
 */
void
rf_nec_image_fill_main (guint8               *main,
                        const RfNecImageSpec *spec)
{
  guint8 *s;

  g_return_if_fail (main != NULL);
  g_return_if_fail (spec != NULL && spec->drive_id != NULL);

  rf_image_fill_pseudo_random (main, RF_NEC_MAIN_SIZE, seed_from_spec (spec));
  if (spec->vendor == NULL && spec->product == NULL && spec->revision == NULL)
    {
      /* Make sure random bytes never spell the signature by accident. */
      for (gssize at; (at = rf_nec_find_display_strings (main, RF_NEC_MAIN_SIZE)) >= 0;)
        main[at] ^= 0xff;
      return;
    }
  s = main + RF_NEC_BUILDER_DISPLAY_OFFSET;
  memcpy (s, rf_nec_display_signature, RF_NEC_DISPLAY_SIGNATURE_LENGTH);
  put_padded (s + RF_NEC_DISPLAY_VENDOR_OFFSET, 8, spec->vendor);
  put_padded (s + RF_NEC_DISPLAY_PRODUCT_OFFSET, 16, spec->product);
  put_padded (s + RF_NEC_DISPLAY_REVISION_OFFSET, 4, spec->revision);
  put_padded (s + RF_NEC_DISPLAY_SPECIFIC_OFFSET, RF_NEC_DISPLAY_SPECIFIC_LENGTH,
              spec->vendor_specific);
  /* The image's first signature must be ours. */
  for (gssize at; (at = rf_nec_find_display_strings (main, RF_NEC_MAIN_SIZE)) >= 0 &&
                  at < RF_NEC_BUILDER_DISPLAY_OFFSET;)
    main[at] ^= 0xff;
}

/**
 * rf_nec_image_build:
 * @spec: what the image holds
 *
 * Returns: (transfer full): a §5 image with a valid checksum.
 */
GBytes *
rf_nec_image_build (const RfNecImageSpec *spec)
{
  gsize size;
  guint8 *image;
  guint16 sum;

  g_return_val_if_fail (spec != NULL, NULL);
  g_return_val_if_fail (spec->drive_id != NULL && strlen (spec->drive_id) == 4, NULL);
  g_return_val_if_fail (spec->bootcode_version == NULL || strlen (spec->bootcode_version) == 2,
                        NULL);

  size = spec->bootcode_version != NULL ? RF_NEC_IMAGE_SIZE_VERSIONED : RF_NEC_IMAGE_SIZE;
  image = g_malloc (size);
  rf_nec_image_fill_main (image, spec);
  sum = rf_nec_checksum (image, RF_NEC_MAIN_SIZE);
  image[RF_NEC_IMAGE_CHECKSUM_OFFSET] = (guint8) (sum >> 8);
  image[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1] = (guint8) (sum & 0xff);
  memcpy (image + RF_NEC_IMAGE_ID_OFFSET, spec->drive_id, 4);
  if (spec->bootcode_version != NULL)
    memcpy (image + RF_NEC_IMAGE_VERSION_OFFSET, spec->bootcode_version, 2);
  return g_bytes_new_take (image, size);
}

/**
 * rf_nec_image_build_for_model:
 * @drive_id: canonical ID
 * @bootcode_version: (nullable): "05"
 * @revision: display revision, e.g. "1.05"
 *
 * The common case: vendor "_NEC" and the model's own product string.
 */
GBytes *
rf_nec_image_build_for_model (const char *drive_id,
                              const char *bootcode_version,
                              const char *revision)
{
  const RfNecType *type = rf_nec_type_from_id (drive_id);
  g_autofree char *product = NULL;
  RfNecImageSpec spec = { 0 };

  g_return_val_if_fail (type != NULL, NULL);

  product = g_strchomp (g_strdup (type->product));
  spec.drive_id = drive_id;
  spec.bootcode_version = bootcode_version;
  spec.vendor = "_NEC";
  spec.product = product;
  spec.revision = revision;
  return rf_nec_image_build (&spec);
}
