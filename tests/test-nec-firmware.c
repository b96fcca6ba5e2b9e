/* test-nec-firmware.c: parsing NEC 2M images and finding them inside updaters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"
#include "rf-test-images.h"

static RfNecFirmware *
parse (GBytes   *bytes,
       gboolean  expect_ok)
{
  RfNecFirmware *firmware = rf_nec_firmware_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok = rf_firmware_parse (RF_FIRMWARE (firmware), bytes, &error);

  if (expect_ok)
    g_assert_no_error (error);
  g_assert_cmpint (ok, ==, expect_ok);
  return firmware;
}

static void
test_every_model (void)
{
  gsize n_types;
  const RfNecType *types = rf_nec_types (&n_types);
  const char *versions[] = { "05", "06", NULL };

  for (gsize i = 0; i < n_types; i++)
    for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
      {
        g_autoptr(GBytes) image = rf_test_image (types[i].id, versions[v], "1.07");
        g_autoptr(RfNecFirmware) firmware = parse (image, TRUE);
        RfFirmware *fw = RF_FIRMWARE (firmware);
        g_autofree char *product = g_strchomp (g_strdup (types[i].product));
        guint16 stored, computed;

        g_assert_cmpstr (rf_firmware_get_format (fw), ==, "nec-2m");
        g_assert_cmpstr (rf_firmware_get_drive_id (fw), ==, types[i].id);
        g_assert_cmpstr (rf_firmware_get_model (fw), ==, types[i].model);
        g_assert_cmpstr (rf_firmware_get_bootcode_version (fw), ==, versions[v]);
        g_assert_cmpstr (rf_firmware_get_vendor (fw), ==, "_NEC");
        g_assert_cmpstr (rf_firmware_get_product (fw), ==, product);
        g_assert_cmpstr (rf_firmware_get_revision (fw), ==, "1.07");
        g_assert_true (rf_firmware_get_checksum (fw, &stored, &computed));
        g_assert_cmphex (stored, ==, computed);
        g_assert_false (rf_nec_firmware_is_container (firmware));
        g_assert_cmpint (rf_firmware_get_problem (fw), ==, RF_FIRMWARE_PROBLEM_NONE);
      }
}

static void
test_alias_id (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K315", "05", "1.05");
  g_autoptr(RfNecFirmware) firmware = parse (image, TRUE);
  g_autoptr(GBytes) written = rf_firmware_write (RF_FIRMWARE (firmware), NULL);

  /* K315 counts as K355; writing keeps the file's own spelling. */
  g_assert_cmpstr (rf_firmware_get_drive_id (RF_FIRMWARE (firmware)), ==, "K355");
  g_assert_true (g_bytes_equal (written, image));
}

static void
test_round_trip (void)
{
  const char *versions[] = { "05", NULL };

  for (gsize v = 0; v < G_N_ELEMENTS (versions); v++)
    {
      g_autoptr(GBytes) image = rf_test_image ("K450", versions[v], "1.07");
      g_autoptr(RfNecFirmware) firmware = parse (image, TRUE);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) written = rf_firmware_write (RF_FIRMWARE (firmware), &error);
      g_autoptr(RfNecFirmware) again = NULL;

      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (written, image));
      again = parse (written, TRUE);
      g_assert_cmpstr (rf_firmware_get_image_sha256 (RF_FIRMWARE (again)), ==,
                       rf_firmware_get_input_sha256 (RF_FIRMWARE (firmware)));
    }
}

static void
test_no_display_strings (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K356", "05", NULL);
  g_autoptr(RfNecFirmware) firmware = parse (image, TRUE);

  /* A plain image without display strings is valid; it just has no revision. */
  g_assert_cmpstr (rf_firmware_get_drive_id (RF_FIRMWARE (firmware)), ==, "K356");
  g_assert_null (rf_firmware_get_revision (RF_FIRMWARE (firmware)));
  g_assert_null (rf_firmware_get_product (RF_FIRMWARE (firmware)));
}

static void
test_damage (gconstpointer data)
{
  RfTestDamage damage = GPOINTER_TO_UINT (data);
  g_autoptr(GBytes) bytes = rf_test_image_damaged (damage);
  g_autoptr(RfNecFirmware) firmware = parse (bytes, FALSE);
  RfFirmwareProblem problem = rf_firmware_get_problem (RF_FIRMWARE (firmware));

  g_assert_cmpstr (rf_firmware_problem_to_nick (problem), ==,
                   rf_test_damage_to_expected_problem (damage));
  g_assert_nonnull (rf_firmware_problem_to_sentence (problem));
  g_assert_nonnull (rf_firmware_problem_to_corrupt_nick (problem));
}

/* Bytes of the right length whose ID field holds no text are no image: only a
 * readable ID is "a model Reflash does not know". */
static void
test_unreadable_id (void)
{
  static const guint8 ids[][4] = { { 0x00, 0x9F, 0x13, 0xFF }, { 'K', '3', '5', 0x01 } };

  for (gsize i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
      g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
      g_autoptr(GBytes) bytes = NULL;
      gsize size;
      guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&image), &size);

      memcpy (data + RF_NEC_IMAGE_ID_OFFSET, ids[i], 4);
      bytes = g_bytes_new_take (data, size);
      g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL));
      g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                       RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE);
    }
}

/* §5: binflash tries every start up to 457 bytes before the image's end, even
 * one whose signature ends past that point. */
static void
test_display_at_last_offset (void)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  g_autoptr(GBytes) moved = NULL;
  gsize size;
  guint8 *data = g_bytes_unref_to_data (g_steal_pointer (&image), &size);
  gssize old = rf_nec_find_display_strings (data, size);
  gsize last = size - RF_NEC_DISPLAY_SEARCH_MARGIN - 1;
  guint16 sum;

  g_assert_cmpint (old, >=, 0);
  memmove (data + last, data + old, 0x1BA);
  memset (data + old, 0, MIN ((gsize) 0x1BA, last - (gsize) old));
  sum = rf_nec_checksum (data, RF_NEC_MAIN_SIZE);
  data[RF_NEC_IMAGE_CHECKSUM_OFFSET] = (guint8) (sum >> 8);
  data[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1] = (guint8) sum;
  moved = g_bytes_new_take (data, size);
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), moved, NULL));
  g_assert_cmpstr (rf_firmware_get_revision (RF_FIRMWARE (firmware)), ==, "1.05");
  g_assert_cmpstr (rf_firmware_get_product (RF_FIRMWARE (firmware)), ==, "DVD_RW ND-3550A");
}

static void
test_checksum_still_names_model (void)
{
  g_autoptr(GBytes) bytes = rf_test_image_damaged (RF_TEST_DAMAGE_CHECKSUM);
  g_autoptr(RfNecFirmware) firmware = parse (bytes, FALSE);

  /* The user is told what the damaged file claims to be. */
  g_assert_cmpstr (rf_firmware_get_model (RF_FIRMWARE (firmware)), ==, "ND-3550A");
}

static void
test_empty_and_too_large (void)
{
  static const guint8 nothing[1] = { 0 };
  g_autoptr(GBytes) empty = g_bytes_new_static (nothing, 0);
  g_autoptr(RfNecFirmware) a = parse (empty, FALSE);
  g_autoptr(GBytes) huge = NULL;
  g_autoptr(RfNecFirmware) b = NULL;

  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (a)), ==, RF_FIRMWARE_PROBLEM_EMPTY);
  huge = g_bytes_new_take (g_malloc0 (RF_FIRMWARE_MAX_FILE_SIZE + 1),
                           RF_FIRMWARE_MAX_FILE_SIZE + 1);
  b = parse (huge, FALSE);
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (b)), ==, RF_FIRMWARE_PROBLEM_TOO_LARGE);
}

static void
test_updater_candidates (void)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K450", "05", "1.07", FALSE },
    { "K355", NULL, "1.04", FALSE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 300000);
  g_autoptr(RfNecFirmware) firmware = parse (file, TRUE);
  const RfNecCandidate *c;

  g_assert_true (rf_nec_firmware_is_container (firmware));
  g_assert_cmpuint (rf_nec_firmware_get_n_candidates (firmware), ==, 3);
  /* Scan order is from the end of the file. */
  c = rf_nec_firmware_get_candidate (firmware, 0);
  g_assert_cmpstr (c->drive_id, ==, "K355");
  g_assert_null (c->bootcode_version);
  g_assert_cmpuint (c->offset, ==, 300000 + 2 * RF_NEC_IMAGE_SIZE_VERSIONED);
  c = rf_nec_firmware_get_candidate (firmware, 2);
  g_assert_cmpuint (c->offset, ==, 300000);
  g_assert_cmpstr (c->revision, ==, "1.05");
  /* Without a drive: the first usable one, and it says so. */
  g_assert_cmpint (rf_nec_firmware_get_chosen (firmware), ==, 0);
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_FIRST_FOUND);
  g_assert_cmpuint (g_bytes_get_size (rf_firmware_get_image (RF_FIRMWARE (firmware))), ==,
                    RF_NEC_IMAGE_SIZE);
}

static void
test_updater_choice_for_drive (void)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K450", "05", "1.07", FALSE },
    { "K355", "04", "1.04", FALSE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 1000);
  g_autoptr(RfNecFirmware) firmware = parse (file, TRUE);
  RfFirmware *fw = RF_FIRMWARE (firmware);
  g_autoptr(GError) error = NULL;

  /* §5 rule (b): same model, the drive's bootcode version wins. */
  g_assert_true (rf_nec_firmware_choose_for_drive (firmware, "K355", "05", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (rf_firmware_get_revision (fw), ==, "1.05");
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_DRIVE_BOOTCODE);
  /* Rule (a): the drive's model wins over the first found. */
  g_assert_true (rf_nec_firmware_choose_for_drive (firmware, "K450", "05", &error));
  g_assert_cmpstr (rf_firmware_get_drive_id (fw), ==, "K450");
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_DRIVE_BOOTCODE);
  /* Model fits, bootcode fits none: the first of the model, said plainly. */
  g_assert_true (rf_nec_firmware_choose_for_drive (firmware, "K355", "07", &error));
  g_assert_cmpstr (rf_firmware_get_revision (fw), ==, "1.04");
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_DRIVE_MODEL);
  /* Nothing for this drive. */
  g_assert_true (rf_nec_firmware_choose_for_drive (firmware, "K356", "05", &error));
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_NO_MATCH);
  g_assert_nonnull (rf_nec_choice_to_sentence (RF_NEC_CHOICE_NO_MATCH));
}

static void
test_updater_trailer_reset (void)
{
  /* binflash's sticky +2 would misplace the earlier, unversioned image. */
  const RfTestEmbedded images[] = {
    { "K450", NULL, "1.06", FALSE },
    { "K355", "05", "1.05", FALSE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 5000);
  g_autoptr(RfNecFirmware) firmware = parse (file, TRUE);
  const RfNecCandidate *c;

  g_assert_cmpuint (rf_nec_firmware_get_n_candidates (firmware), ==, 2);
  c = rf_nec_firmware_get_candidate (firmware, 1);
  g_assert_cmpstr (c->drive_id, ==, "K450");
  g_assert_cmpuint (c->offset, ==, 5000);
  g_assert_cmpuint (c->length, ==, RF_NEC_IMAGE_SIZE);
  g_assert_cmpint (c->problem, ==, RF_FIRMWARE_PROBLEM_NONE);
}

static void
test_updater_rejects_unchecked (void)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K355", "05", NULL, FALSE },
    { "K355", "05", "1.06", TRUE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 64);
  g_autoptr(RfNecFirmware) firmware = parse (file, TRUE);

  g_assert_cmpuint (rf_nec_firmware_get_n_candidates (firmware), ==, 3);
  g_assert_cmpint (rf_nec_firmware_get_candidate (firmware, 0)->problem, ==,
                   RF_FIRMWARE_PROBLEM_CHECKSUM);
  g_assert_cmpint (rf_nec_firmware_get_candidate (firmware, 1)->problem, ==,
                   RF_FIRMWARE_PROBLEM_NO_DISPLAY_STRINGS);
  /* Only the image that passed both checks may be chosen. */
  g_assert_cmpint (rf_nec_firmware_get_chosen (firmware), ==, 2);
  g_assert_cmpint (rf_nec_firmware_get_choice (firmware), ==, RF_NEC_CHOICE_ONLY_ONE);
  g_assert_cmpstr (rf_firmware_get_revision (RF_FIRMWARE (firmware)), ==, "1.05");
}

static void
test_updater_nothing_usable (void)
{
  const RfTestEmbedded images[] = { { "K451", "05", "1.00", TRUE } };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 64);
  g_autoptr(RfNecFirmware) firmware = parse (file, FALSE);

  g_assert_cmpuint (rf_nec_firmware_get_n_candidates (firmware), ==, 1);
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                   RF_FIRMWARE_PROBLEM_CHECKSUM);
}

typedef struct {
  const char *a;
  const char *b;
  int order;
  gboolean comparable;
} RevisionCase;

static void
test_revision_order (void)
{
  const RevisionCase cases[] = {
    { "1.05", "1.06", -1, TRUE },
    { "1.06", "1.A5", -1, TRUE },
    { "1.a5", "1.A5", 0, TRUE },
    { "1.10", "1.9", 1, TRUE },
    { "2.01", "1.07", 1, TRUE },
    { "1.05", "1.05", 0, TRUE },
    { "1.0", "1.05", -1, TRUE },
    { "1-09", "1.05", 0, FALSE },
    { "", "1.05", 0, FALSE },
    { "1.0\x01", "1.05", 0, FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gboolean comparable = !cases[i].comparable;
      int order = rf_nec_revision_compare (cases[i].a, cases[i].b, &comparable);

      g_assert_cmpint (comparable, ==, cases[i].comparable);
      g_assert_cmpint (order, ==, cases[i].order);
      if (comparable)
        g_assert_cmpint (rf_nec_revision_compare (cases[i].b, cases[i].a, &comparable), ==,
                         -cases[i].order);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/nec-firmware/every-model", test_every_model);
  g_test_add_func ("/reflash/nec-firmware/alias-id", test_alias_id);
  g_test_add_func ("/reflash/nec-firmware/round-trip", test_round_trip);
  g_test_add_func ("/reflash/nec-firmware/no-display-strings", test_no_display_strings);
  for (guint d = 0; d < RF_TEST_DAMAGE_LAST; d++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/nec-firmware/damage/%u", d);

      g_test_add_data_func (path, GUINT_TO_POINTER (d), test_damage);
    }
  g_test_add_func ("/reflash/nec-firmware/checksum-names-model", test_checksum_still_names_model);
  g_test_add_func ("/reflash/nec-firmware/unreadable-id", test_unreadable_id);
  g_test_add_func ("/reflash/nec-firmware/display-at-last-offset", test_display_at_last_offset);
  g_test_add_func ("/reflash/nec-firmware/empty-too-large", test_empty_and_too_large);
  g_test_add_func ("/reflash/nec-firmware/updater/candidates", test_updater_candidates);
  g_test_add_func ("/reflash/nec-firmware/updater/choice", test_updater_choice_for_drive);
  g_test_add_func ("/reflash/nec-firmware/updater/trailer-reset", test_updater_trailer_reset);
  g_test_add_func ("/reflash/nec-firmware/updater/unchecked", test_updater_rejects_unchecked);
  g_test_add_func ("/reflash/nec-firmware/updater/nothing-usable", test_updater_nothing_usable);
  g_test_add_func ("/reflash/nec-firmware/revision-order", test_revision_order);

  return g_test_run ();
}
