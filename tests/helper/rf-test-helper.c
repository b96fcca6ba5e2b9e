/* rf-test-helper.c: launchers the helper tests start instead of pkexec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-test-helper.h"

#include "rf-sim.h"

/* A clock at the tests' helper's speed: the client's waits keep its time. */
RfClock *
rf_test_helper_clock_new (void)
{
  RfSimClock *clock = rf_sim_clock_new (TRUE);

  rf_sim_clock_set_speed (clock, g_ascii_strtod (RF_TEST_HELPER_SPEED, NULL));
  return RF_CLOCK (clock);
}

/* reflash-helper-sim serving practice drive @scenario, in place of pkexec
 * and the installed helper. */
RfHelperLauncher *
rf_test_helper_sim_launcher (const char *helper_sim,
                             const char *scenario)
{
  g_autoptr(RfClock) clock = rf_test_helper_clock_new ();
  RfHelperLauncher *launcher =
    rf_helper_launcher_new ((const char * const[]) { helper_sim, "--speed",
                                                     RF_TEST_HELPER_SPEED, scenario, NULL });

  rf_helper_launcher_set_clock (launcher, clock);
  return launcher;
}

/* A "pkexec" that says @words on stderr and exits with @status, the way
 * pkexec ends when it does not run the helper. */
RfHelperLauncher *
rf_test_helper_failing_pkexec (const char *words,
                               int         status)
{
  g_autofree char *script = g_strdup_printf ("echo '%s' >&2; exit %d", words, status);

  return rf_helper_launcher_new ((const char * const[]) { "sh", "-c", script, "pkexec", NULL });
}

/* A home of its own for the test, whose practice drives keep their state
 * under it: the tests' helper inherits it, so both sides see the same
 * drives and no other. */
char *
rf_test_helper_make_home (const char *template)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp (template, &error);
  g_autofree char *state = NULL;

  g_assert_no_error (error);
  state = g_build_filename (home, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("HOME", home, TRUE);
  return g_steal_pointer (&home);
}
