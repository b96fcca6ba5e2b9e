/* bench-firmware-parse.c: how long parsing one NEC image takes (median of many
 * runs). Prints a figure; it is not a test and never fails on time.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdio.h>
#include <stdlib.h>

#include "rf-nec-firmware.h"
#include "rf-test-images.h"

static int
compare_times (const void *a,
               const void *b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static gint64
time_parse (GBytes   *bytes,
            gboolean  with_sha256)
{
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  gint64 start = g_get_monotonic_time ();

  if (!rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL))
    g_error ("the benchmark's input did not parse");
  /* The SHA-256 is computed on demand; `check` shows it, parsing alone does not. */
  if (with_sha256 && rf_firmware_get_input_sha256 (RF_FIRMWARE (firmware)) == NULL)
    g_error ("no SHA-256");
  return g_get_monotonic_time () - start;
}

static void
report (const char *what,
        GBytes     *bytes,
        gboolean    with_sha256,
        guint       runs)
{
  g_autofree gint64 *times = g_new (gint64, runs);

  for (guint i = 0; i < runs; i++)
    times[i] = time_parse (bytes, with_sha256);
  qsort (times, runs, sizeof *times, compare_times);
  printf ("%-36s %9zu bytes  median %7.3f ms  min %7.3f ms  max %7.3f ms  (%u runs)\n", what,
          g_bytes_get_size (bytes), times[runs / 2] / 1000.0, times[0] / 1000.0,
          times[runs - 1] / 1000.0, runs);
}

int
main (int    argc,
      char **argv)
{
  guint runs = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 200;
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  const RfTestEmbedded embedded[] = {
    { "K355", "05", "1.05", FALSE },
    { "K450", "05", "1.07", FALSE },
  };
  g_autoptr(GBytes) updater = rf_test_updater (embedded, G_N_ELEMENTS (embedded), 200000);

  if (runs == 0)
    runs = 1;
  report ("parse nec-2m image", image, FALSE, runs);
  report ("parse nec-2m image + its SHA-256", image, TRUE, runs);
  report ("parse updater with 2 images", updater, FALSE, runs);
  return 0;
}
