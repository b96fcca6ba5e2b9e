/* test-nec-image-builder.c: golden test of the NEC 2M facts and image builder,
 * written from the tables of shared/protocols/nec-2m.md, not from the code, so the
 * builder, the parser and the practice drive cannot share one mistake unnoticed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"

static void
test_sizes (void)
{
  /* §5: 0x1E0000 + 2 + 4 (+ 2) */
  g_assert_cmpuint (RF_NEC_IMAGE_SIZE, ==, 1966086);
  g_assert_cmpuint (RF_NEC_IMAGE_SIZE_VERSIONED, ==, 1966088);
  g_assert_cmpuint (RF_NEC_MAIN_START, ==, 0x010000);
  g_assert_cmpuint (RF_NEC_MAIN_END, ==, 0x1F0000);
  g_assert_cmpuint (RF_NEC_UPLOAD_CHUNKS, ==, 60);
  g_assert_cmpuint (RF_NEC_MAIN_SIZE / RF_NEC_DUMP_CHUNK, ==, 480);
}

static void
test_checksum_golden (void)
{
  const guint8 two_words[4] = { 0x12, 0x34, 0xff, 0xff };
  g_autofree guint8 *erased = g_malloc (RF_NEC_MAIN_SIZE);

  /* 0x1234 + 0xFFFF = 0x11233, carry discarded */
  g_assert_cmphex (rf_nec_checksum (two_words, 4), ==, 0x1233);
  /* An erased main area sums to 0x0000 (nec-2m.md §4). */
  memset (erased, 0xff, RF_NEC_MAIN_SIZE);
  g_assert_cmphex (rf_nec_checksum (erased, RF_NEC_MAIN_SIZE), ==, 0x0000);
}

static guint16
sum_by_hand (const guint8 *data)
{
  guint16 sum = 0;

  for (gsize k = 0; k < 0xF0000; k++)
    sum = (guint16) (sum + data[2 * k] * 256 + data[2 * k + 1]);
  return sum;
}

static void
test_image_layout (void)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.05");
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  const guint8 *s;
  guint16 stored;

  g_assert_cmpuint (size, ==, 1966088);
  stored = (guint16) (data[0x1E0000] << 8 | data[0x1E0001]);
  g_assert_cmphex (stored, ==, sum_by_hand (data));
  g_assert_cmpmem (data + 0x1E0002, 4, "K355", 4);
  g_assert_cmpmem (data + 0x1E0006, 2, "05", 2);

  /* Display strings: signature 07 00 03 00 78 00 78 00 78 00, then fixed offsets. */
  g_assert_cmpint (rf_nec_find_display_strings (data, size), ==, RF_NEC_BUILDER_DISPLAY_OFFSET);
  s = data + RF_NEC_BUILDER_DISPLAY_OFFSET;
  g_assert_cmpmem (s, 10, "\x07\x00\x03\x00\x78\x00\x78\x00\x78\x00", 10);
  g_assert_cmpmem (s + 0x18A, 8, "_NEC    ", 8);
  g_assert_cmpmem (s + 0x192, 16, "DVD_RW ND-3550A ", 16);
  g_assert_cmpmem (s + 0x1A2, 4, "1.05", 4);
}

static void
test_image_without_version (void)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K451", NULL, "1.09");
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  g_assert_cmpuint (size, ==, 1966086);
  g_assert_cmpmem (data + 0x1E0002, 4, "K451", 4);
  g_assert_cmpmem (data + RF_NEC_BUILDER_DISPLAY_OFFSET + 0x192, 16, "DVD_RW ND-4551A ", 16);
}

static void
test_image_without_strings (void)
{
  RfNecImageSpec spec = { .drive_id = "K355", .bootcode_version = "05" };
  g_autoptr(GBytes) image = rf_nec_image_build (&spec);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  g_assert_cmpint (rf_nec_find_display_strings (data, size), ==, -1);
}

static void
test_revisions_differ (void)
{
  g_autoptr(GBytes) a = rf_nec_image_build_for_model ("K355", "05", "1.05");
  g_autoptr(GBytes) b = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) a_again = rf_nec_image_build_for_model ("K355", "05", "1.05");

  g_assert_false (g_bytes_equal (a, b));
  g_assert_true (g_bytes_equal (a, a_again));
}

typedef struct {
  guint block;
  guint byte;
  guint8 value;
} MaskCase;

/* The §1 table. */
static const MaskCase mask_cases[] = {
  { 0, 8, 0x01 }, { 4, 8, 0x10 }, { 7, 8, 0x80 }, { 8, 7, 0x01 }, { 15, 7, 0x80 },
  { 16, 6, 0x01 }, { 23, 6, 0x80 }, { 24, 5, 0x01 }, { 31, 5, 0x80 },
  { 32, 4, 0x01 }, { 33, 4, 0x02 }, { 34, 4, 0x04 },
};

static void
test_block_mask (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (mask_cases); i++)
    {
      guint8 cdb[12] = { 0xcb, 0x04, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0xaa, 0, 0, 0 };

      rf_nec_block_mask (mask_cases[i].block, cdb);
      for (guint b = 2; b <= 8; b++)
        g_assert_cmphex (cdb[b], ==, b == mask_cases[i].byte ? mask_cases[i].value : 0);
      g_assert_cmphex (cdb[0], ==, 0xcb);
      g_assert_cmphex (cdb[9], ==, 0);
    }
}

static void
test_geometry (void)
{
  g_assert_cmphex (rf_nec_block_start (0), ==, 0x0000);
  g_assert_cmphex (rf_nec_block_size (0), ==, 0x4000);
  g_assert_cmphex (rf_nec_block_start (3), ==, 0x8000);
  g_assert_cmphex (rf_nec_block_start (4), ==, 0x10000);
  g_assert_cmphex (rf_nec_block_start (33), ==, 0x1E0000);
  g_assert_cmphex (rf_nec_block_start (34), ==, 0x1F0000);
  g_assert_cmphex (rf_nec_block_start (34) + rf_nec_block_size (34), ==, 0x200000);
}

static void
test_types (void)
{
  gsize n;
  const RfNecType *types = rf_nec_types (&n);

  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (types[0].id, ==, "K355");
  g_assert_cmpstr (rf_nec_type_from_id ("K315")->id, ==, "K355");
  g_assert_cmpstr (rf_nec_type_from_id ("K411")->model, ==, "ND-4551A");
  g_assert_cmpstr (rf_nec_type_from_id ("D315")->id, ==, "D355");
  g_assert_null (rf_nec_type_from_id ("K999"));
  g_assert_cmpstr (rf_nec_type_from_id_bytes ((const guint8 *) "K450xyz")->model, ==, "ND-4550A");
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (strlen (types[i].product), ==, 16);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/nec-image-builder/sizes", test_sizes);
  g_test_add_func ("/reflash/nec-image-builder/checksum-golden", test_checksum_golden);
  g_test_add_func ("/reflash/nec-image-builder/layout", test_image_layout);
  g_test_add_func ("/reflash/nec-image-builder/without-version", test_image_without_version);
  g_test_add_func ("/reflash/nec-image-builder/without-strings", test_image_without_strings);
  g_test_add_func ("/reflash/nec-image-builder/revisions-differ", test_revisions_differ);
  g_test_add_func ("/reflash/nec-image-builder/block-mask", test_block_mask);
  g_test_add_func ("/reflash/nec-image-builder/geometry", test_geometry);
  g_test_add_func ("/reflash/nec-image-builder/types", test_types);
  return g_test_run ();
}
