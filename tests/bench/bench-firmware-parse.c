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
time_parse (GBytes *bytes)
{
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  gint64 start = g_get_monotonic_time ();

  if (!rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL))
    g_error ("the benchmark's input did not parse");
  return g_get_monotonic_time () - start;
}

static void
report (const char *what,
        GBytes     *bytes,
        guint       runs)
{
  g_autofree gint64 *times = g_new (gint64, runs);

  for (guint i = 0; i < runs; i++)
    times[i] = time_parse (bytes);
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
  report ("nec-2m image (1,966,088 bytes)", image, runs);
  report ("updater with 2 embedded images", updater, runs);
  return 0;
}
