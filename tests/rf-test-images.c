/* rf-test-images.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"
#include "rf-test-images.h"

/* A valid image: the model's own display strings unless @revision is %NULL. */
GBytes *
rf_test_image (const char *drive_id,
               const char *bootcode_version,
               const char *revision)
{
  RfNecImageSpec spec = { 0 };

  if (revision != NULL)
    {
      const char *canonical = rf_nec_type_from_id (drive_id)->id;
      g_autoptr(GBytes) image = rf_nec_image_build_for_model (canonical, bootcode_version,
                                                              revision);
      guint8 *data;
      gsize size;

      if (g_str_equal (canonical, drive_id))
        return g_steal_pointer (&image);
      /* An alias in the trailer: the checksum does not cover it. */
      data = g_bytes_unref_to_data (g_steal_pointer (&image), &size);
      memcpy (data + RF_NEC_IMAGE_ID_OFFSET, drive_id, 4);
      return g_bytes_new_take (data, size);
    }
  spec.drive_id = drive_id;
  spec.bootcode_version = bootcode_version;
  return rf_nec_image_build (&spec);
}

GBytes *
rf_test_random_bytes (gsize   size,
                      guint32 seed)
{
  guint8 *data = g_malloc (size);
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) g_rand_int_range (rand, 0, 256);
  g_rand_free (rand);
  return g_bytes_new_take (data, size);
}

/* An image that passes @family's own checks (spc-download.md "Images"): its
 * first listed size, its model bytes, and @revision at its revision offset. */
GBytes *
rf_test_spc_image (const RfDriveFamily *family,
                   const char          *revision)
{
  const RfSpcDownload *download = &family->download;
  gsize size = (gsize) g_array_index (download->image_sizes, guint64, 0);
  guint8 *data = g_malloc0 (size);
  gsize length;
  const guint8 *model = g_bytes_get_data (download->model_check, &length);

  memcpy (data + download->model_check_offset, model, length);
  memcpy (data + download->revision_offset, revision, strlen (revision));
  return g_bytes_new_take (data, size);
}

/* A drive of @family, as its deep probe sees it in normal mode: the product its
 * images name, revision 1.00. */
RfDriveIdentity *
rf_test_spc_identity (const RfDriveFamily *family)
{
  RfDriveIdentity *identity = rf_drive_identity_new ();
  gsize length;
  const char *model = g_bytes_get_data (family->download.model_check, &length);

  identity->family = g_strdup (family->id);
  identity->product = g_strndup (model, length);
  identity->revision = g_strdup ("1.00");
  return identity;
}

GBytes *
rf_test_image_damaged (RfTestDamage damage)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  gsize size;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&image), &size);

  switch (damage)
    {
    case RF_TEST_DAMAGE_CHECKSUM:
      data[0x12345] ^= 0x01;
      break;
    case RF_TEST_DAMAGE_UNKNOWN_ID:
      memcpy (data + RF_NEC_IMAGE_ID_OFFSET, "X999", 4);
      break;
    case RF_TEST_DAMAGE_BAD_VERSION:
      data[RF_NEC_IMAGE_VERSION_OFFSET] = 0x00;
      break;
    case RF_TEST_DAMAGE_TRUNCATED:
      size = 1024 * 1024;
      break;
    case RF_TEST_DAMAGE_CUT_START:
      memmove (data, data + 4096, size - 4096);
      size -= 4096;
      break;
    case RF_TEST_DAMAGE_PADDED:
      data = g_realloc (data, size + 1);
      data[size++] = 0x00;
      break;
    case RF_TEST_DAMAGE_RANDOM:
      g_free (data);
      return rf_test_random_bytes (2 * 1024 * 1024, 42);
    case RF_TEST_DAMAGE_LAST:
    default:
      g_assert_not_reached ();
    }
  return g_bytes_new_take (data, size);
}

/* The RfFirmwareProblem nick each damage must produce. */
const char *
rf_test_damage_to_expected_problem (RfTestDamage damage)
{
  static const char *const nicks[RF_TEST_DAMAGE_LAST] = {
    [RF_TEST_DAMAGE_CHECKSUM] = "checksum",
    [RF_TEST_DAMAGE_UNKNOWN_ID] = "unknown-id",
    [RF_TEST_DAMAGE_BAD_VERSION] = "bad-bootcode-version",
    [RF_TEST_DAMAGE_TRUNCATED] = "truncated",
    [RF_TEST_DAMAGE_CUT_START] = "truncated",
    [RF_TEST_DAMAGE_PADDED] = "size",
    [RF_TEST_DAMAGE_RANDOM] = "not-an-image",
  };

  g_assert (damage < RF_TEST_DAMAGE_LAST);
  return nicks[damage];
}

/**
 * rf_test_updater:
 * @images: the images, in file order
 * @prefix_size: bytes of pseudo-code before the first image, like an .exe stub
 *
 * An updater-like file: a stub followed by the images, back to back.
 */
GBytes *
rf_test_updater (const RfTestEmbedded *images,
                 guint                 n_images,
                 gsize                 prefix_size)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GBytes) stub = rf_test_random_bytes (prefix_size, 7);

  g_byte_array_append (out, g_bytes_get_data (stub, NULL), (guint) prefix_size);
  if (prefix_size >= 2)
    memcpy (out->data, "MZ", 2);
  for (guint i = 0; i < n_images; i++)
    {
      g_autoptr(GBytes) image = rf_test_image (images[i].drive_id, images[i].bootcode_version,
                                               images[i].revision);
      gsize size;
      const guint8 *data = g_bytes_get_data (image, &size);
      guint offset = out->len;

      g_byte_array_append (out, data, (guint) size);
      if (images[i].bad_checksum)
        out->data[offset + RF_NEC_IMAGE_CHECKSUM_OFFSET] ^= 0xff;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
