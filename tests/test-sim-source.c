/* test-sim-source.c: the practice drives as drives of the monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "rf-core.h"
#include "rf-sim.h"
#include "rf-test-util.h"

static void
test_one_device_per_scenario (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_dir_make_tmp ("reflash-sim-source-XXXXXX", &error);
  g_autoptr(RfSimSource) source = rf_sim_source_new (state);
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (&error);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GPtrArray) again = NULL;

  g_assert_no_error (error);
  devices = rf_device_source_list_devices (RF_DEVICE_SOURCE (source));
  g_assert_cmpuint (devices->len, ==, scenarios->len);
  for (guint i = 0; i < devices->len; i++)
    {
      RfDevice *device = g_ptr_array_index (devices, i);
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autofree char *id = g_strconcat ("practice:", scenario->id, NULL);

      g_assert_cmpstr (rf_device_get_id (device), ==, id);
      g_assert_true (rf_device_is_practice (device));
      g_assert_null (rf_device_get_sg_path (device));
      g_assert_nonnull (rf_sim_source_get_drive (source, scenario->id));
    }
  /* The same drives every time: a practice drive keeps its state. */
  again = rf_device_source_list_devices (RF_DEVICE_SOURCE (source));
  for (guint i = 0; i < devices->len; i++)
    g_assert_true (g_ptr_array_index (devices, i) == g_ptr_array_index (again, i));
  g_assert_null (rf_sim_source_get_drive (source, "no-such-scenario"));
  g_assert_null (rf_device_source_lookup (RF_DEVICE_SOURCE (source), "practice:no-such"));
  g_clear_object (&source);
  rf_test_remove_tree (state);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-source/one-device-per-scenario", test_one_device_per_scenario);
  return g_test_run ();
}
