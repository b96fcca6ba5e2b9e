/* fuzz-make-corpus.c: writes the seed corpus of fuzz-firmware from the test
 * image builders: valid images, updaters, every kind of damage
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <stdio.h>

#include "rf-nec-2m.h"
#include "rf-test-images.h"

static void
save (const char *dir,
      const char *name,
      GBytes     *bytes)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  if (!g_file_set_contents (path, data, (gssize) size, &error))
    g_error ("%s", error->message);
}

int
main (int    argc,
      char **argv)
{
  const char *dir;
  gsize n_types;
  const RfNecType *types = rf_nec_types (&n_types);
  const RfTestEmbedded embedded[] = {
    { "K450", NULL, "1.06", FALSE },
    { "K355", "05", "1.05", FALSE },
    { "K355", "05", NULL, FALSE },
    { "K451", "05", "1.00", TRUE },
  };
  static const char small_trailer[] = "\x12\x34K35505";

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DIRECTORY\n", argv[0]);
      return 2;
    }
  dir = argv[1];
  g_mkdir_with_parents (dir, 0755);
  for (gsize i = 0; i < n_types; i++)
    {
      g_autoptr(GBytes) image = rf_test_image (types[i].id, i % 2 ? NULL : "05", "1.05");
      g_autofree char *name = g_strdup_printf ("image-%s", types[i].id);

      save (dir, name, image);
    }
  {
    g_autoptr(GBytes) alias = rf_test_image ("K315", "05", "1.05");
    g_autoptr(GBytes) updater = rf_test_updater (embedded, G_N_ELEMENTS (embedded), 512);
    g_autoptr(GBytes) small = g_bytes_new_static (small_trailer, sizeof small_trailer - 1);

    save (dir, "image-alias", alias);
    save (dir, "updater", updater);
    save (dir, "small-trailer", small);
  }
  for (guint d = 0; d < RF_TEST_DAMAGE_LAST; d++)
    {
      g_autoptr(GBytes) damaged = rf_test_image_damaged (d);
      g_autofree char *name = g_strdup_printf ("damaged-%u", d);

      save (dir, name, damaged);
    }
  return 0;
}
