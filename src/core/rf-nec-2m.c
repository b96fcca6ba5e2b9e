/* rf-nec-2m.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-nec-2m.h"

const guint8 rf_nec_display_signature[RF_NEC_DISPLAY_SIGNATURE_LENGTH] = {
  0x07, 0x00, 0x03, 0x00, 0x78, 0x00, 0x78, 0x00, 0x78, 0x00,
};

/* The §0 table. The D355 has no RID code of its own. */
static const RfNecType nec_types[] = {
  { "K355", "K315", "ND-3550A", "DVD_RW ND-3550A ", "ND30", "3550" },
  { "D355", "D315", "ND-3550A", "DVD_RW ND-3550A ", NULL, "3550" },
  { "K356", "K316", "ND-3551A", "DVD_RW ND-3551A ", "ND31", "3551" },
  { "K450", "K410", "ND-4550A", "DVD_RW ND-4550A ", "ND27", "4550" },
  { "K451", "K411", "ND-4551A", "DVD_RW ND-4551A ", NULL, "4551" },
};

const RfNecType *
rf_nec_types (gsize *n_types)
{
  if (n_types != NULL)
    *n_types = G_N_ELEMENTS (nec_types);
  return nec_types;
}

const RfNecType *
rf_nec_type_from_id (const char *id_or_alias)
{
  g_return_val_if_fail (id_or_alias != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (nec_types); i++)
    if (g_str_equal (nec_types[i].id, id_or_alias) || g_str_equal (nec_types[i].alias, id_or_alias))
      return &nec_types[i];
  return NULL;
}

/* @bytes: four bytes, not NUL-terminated, as found in flash or an image trailer */
const RfNecType *
rf_nec_type_from_id_bytes (const guint8 *bytes)
{
  char id[5] = { 0 };

  g_return_val_if_fail (bytes != NULL, NULL);
  memcpy (id, bytes, 4);
  return rf_nec_type_from_id (id);
}

/**
 * rf_nec_type_has_product:
 * @product: a product string without its padding ("DVD_RW ND-3550A"), as
 *   display strings and drive identities hold it
 *
 * Whether @product is @type's INQUIRY product. The table keeps all 16 bytes,
 * so whatever follows @product there must be padding.
 */
gboolean
rf_nec_type_has_product (const RfNecType *type,
                         const char      *product)
{
  gsize length;

  g_return_val_if_fail (type != NULL, FALSE);
  g_return_val_if_fail (product != NULL, FALSE);

  length = strlen (product);
  if (length == 0 || strncmp (type->product, product, length) != 0 ||
      length > strlen (type->product))
    return FALSE;
  for (const char *rest = type->product + length; *rest != '\0'; rest++)
    if (*rest != ' ')
      return FALSE;
  return TRUE;
}

/**
 * rf_nec_checksum:
 *
 * The §5 sum: big-endian 16-bit words added into a 16-bit accumulator that wraps.
 * An odd trailing byte counts as the high byte of a last word.
 */
guint16
rf_nec_checksum (const guint8 *data,
                 gsize         length)
{
  guint32 sum = 0;
  gsize i;

  g_return_val_if_fail (data != NULL || length == 0, 0);

  for (i = 0; i + 1 < length; i += 2)
    sum += ((guint32) data[i] << 8) | data[i + 1];
  if (i < length)
    sum += (guint32) data[i] << 8;
  return (guint16) (sum & 0xffff);
}

/**
 * rf_nec_find_display_strings:
 *
 * Returns: the offset of the display-string signature in @image, or -1 when the
 *   image has none (searched as binflash does, up to 457 bytes before the end).
 */
gssize
rf_nec_find_display_strings (const guint8 *image,
                             gsize         length)
{
  gsize limit;

  g_return_val_if_fail (image != NULL || length == 0, -1);

  if (length <= RF_NEC_DISPLAY_SEARCH_MARGIN)
    return -1;
  /* binflash tries every start before the margin; the signature and the fields
   * after it (up to s + 0x1BA) still end inside the image. */
  limit = length - RF_NEC_DISPLAY_SEARCH_MARGIN;
  for (gsize i = 0; i < limit; i++)
    {
      const guint8 *hit = memchr (image + i, rf_nec_display_signature[0], limit - i);

      if (hit == NULL)
        return -1;
      i = (gsize) (hit - image);
      if (memcmp (hit, rf_nec_display_signature, RF_NEC_DISPLAY_SIGNATURE_LENGTH) == 0)
        return (gssize) i;
    }
  return -1;
}

/**
 * rf_nec_block_mask:
 * @block: block number 0-55
 * @cdb: a 12-byte CDB whose bytes 2-8 receive the mask
 *
 * Block n sets bit (n mod 8) of byte 8 - n/8 (§1).
 */
void
rf_nec_block_mask (guint  block,
                   guint8 cdb[RF_NEC_CDB_LENGTH])
{
  g_return_if_fail (block < 56);

  memset (cdb + 2, 0, 7);
  cdb[8 - block / 8] = (guint8) (1u << (block % 8));
}

/* Bottom-boot geometry (§0): 16 KiB, 8 KiB, 8 KiB, 32 KiB, then 64 KiB blocks. */
guint32
rf_nec_block_start (guint block)
{
  static const guint32 small_starts[] = { 0x0000, 0x4000, 0x6000, 0x8000 };

  g_return_val_if_fail (block < RF_NEC_BLOCK_COUNT, 0);
  if (block < 4)
    return small_starts[block];
  return (block - 3) * 0x10000;
}

guint32
rf_nec_block_size (guint block)
{
  static const guint32 small_sizes[] = { 0x4000, 0x2000, 0x2000, 0x8000 };

  g_return_val_if_fail (block < RF_NEC_BLOCK_COUNT, 0);
  if (block < 4)
    return small_sizes[block];
  return 0x10000;
}

/**
 * rf_nec_image_from_main:
 * @main: the %RF_NEC_MAIN_SIZE bytes of the main area, as read from the drive
 * @drive_id: the canonical ID for the trailer ("K355", "D355")
 * @bootcode_version: (nullable): two ASCII characters, or %NULL when unknown
 *
 * A dump as a §5 image (nec-2m.md §4 step 6): the main area, its checksum
 * high byte first, the ID, and the bootcode version when known.
 *
 * Returns: (transfer full): the image
 */
GBytes *
rf_nec_image_from_main (const guint8 *main,
                        const char   *drive_id,
                        const char   *bootcode_version)
{
  gboolean versioned = bootcode_version != NULL && strlen (bootcode_version) == 2;
  gsize size = versioned ? RF_NEC_IMAGE_SIZE_VERSIONED : RF_NEC_IMAGE_SIZE;
  guint8 *image;
  guint16 checksum;

  g_return_val_if_fail (main != NULL, NULL);
  g_return_val_if_fail (drive_id != NULL && strlen (drive_id) == 4, NULL);

  image = g_malloc (size);
  memcpy (image, main, RF_NEC_MAIN_SIZE);
  checksum = rf_nec_checksum (main, RF_NEC_MAIN_SIZE);
  image[RF_NEC_IMAGE_CHECKSUM_OFFSET] = (guint8) (checksum >> 8);
  image[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1] = (guint8) checksum;
  memcpy (image + RF_NEC_IMAGE_ID_OFFSET, drive_id, 4);
  if (versioned)
    memcpy (image + RF_NEC_IMAGE_VERSION_OFFSET, bootcode_version, 2);
  return g_bytes_new_take (image, size);
}
