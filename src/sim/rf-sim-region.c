/* rf-sim-region.c: the big memories of a practice drive, mapped from the system
 *
 * A practice drive's flash, RAM and microcode images are megabytes each, and
 * fifteen drives are listed at start. g_malloc() would not do: glibc raises
 * its mmap threshold after the first such block is freed, so later ones come
 * from the heap and their pages stay counted after they are freed. Anonymous
 * mappings go back to the system the moment they are unmapped, and pages never
 * written cost nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sys/mman.h>

#include "rf-sim-drive-private.h"

/**
 * rf_sim_region_new:
 * @size: bytes
 *
 * Returns: (transfer full): @size bytes of zeros, costing nothing until written
 */
guint8 *
rf_sim_region_new (gsize size)
{
  void *region = mmap (NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  /* Like g_malloc(): running out of address space is not survivable. */
  if (region == MAP_FAILED)
    g_error ("could not map %" G_GSIZE_FORMAT " bytes for a practice drive", size);
  return region;
}

/**
 * rf_sim_region_free:
 * @region: (nullable): from rf_sim_region_new()
 * @size: the size it was made with
 */
void
rf_sim_region_free (guint8 *region,
                    gsize   size)
{
  if (region != NULL)
    munmap (region, size);
}

/**
 * rf_sim_region_dup:
 *
 * Returns: (transfer full): a region holding a copy of @size bytes of @data
 */
guint8 *
rf_sim_region_dup (const guint8 *data,
                   gsize         size)
{
  guint8 *region = rf_sim_region_new (size);

  memcpy (region, data, size);
  return region;
}
