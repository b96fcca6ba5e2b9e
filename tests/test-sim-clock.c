/* test-sim-clock.c: the practice drive's clock and speed factor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-sim.h"

static void
test_virtual (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);

  g_assert_false (rf_sim_clock_is_real_time (clock));
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 0);
  /* Speed 1: real durations. */
  g_assert_cmpuint (rf_sim_clock_spend (clock, 1500000), ==, 1500000);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1500000);
  /* Speed 10: ten times faster. */
  rf_sim_clock_set_speed (clock, 10.0);
  g_assert_cmpuint (rf_sim_clock_spend (clock, 1500000), ==, 150000);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1650000);
  /* Speed 0: instant. */
  rf_sim_clock_set_speed (clock, 0.0);
  g_assert_cmpuint (rf_sim_clock_spend (clock, 300000000), ==, 0);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1650000);
  /* Host-side waiting moves a virtual clock whatever the speed. */
  rf_sim_clock_skip (clock, 2000000);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 3650000);
}

static void
test_real_time_instant (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);

  g_assert_true (rf_sim_clock_is_real_time (clock));
  g_assert_cmpfloat (rf_sim_clock_get_speed (clock), ==, 1.0);
  rf_sim_clock_set_speed (clock, 0.0);
  /* Speed 0 never sleeps, even on a real-time clock: 300 s pass as 0. */
  g_assert_cmpuint (rf_sim_clock_spend (clock, 300000000), ==, 0);
  g_assert_cmpuint (rf_sim_clock_scale (clock, 300000000), ==, 0);
  rf_sim_clock_set_speed (clock, 4.0);
  g_assert_cmpuint (rf_sim_clock_scale (clock, 300000000), ==, 75000000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-clock/virtual", test_virtual);
  g_test_add_func ("/reflash/sim-clock/real-time-instant", test_real_time_instant);

  return g_test_run ();
}
