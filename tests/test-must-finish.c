/* test-must-finish.c: SIGINT, SIGTERM and SIGHUP wait while a drive is being
 * brought back, and take effect as soon as it is (issue: drive safety §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "rf-must-finish.h"

static void
child_signal_inside (int signal_number)
{
  rf_must_finish_defer_signals ();
  rf_must_finish_begin ("test");
  raise (signal_number);
  printf ("still-working\n");
  fflush (stdout);
  rf_must_finish_end ();
  printf ("after-the-end\n");
  exit (0);
}

static void
test_deferred (gconstpointer data)
{
  int signal_number = GPOINTER_TO_INT (data);

  if (g_test_subprocess ())
    {
      child_signal_inside (signal_number);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  /* The work went on, then the signal did what it always does. */
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout ("*still-working*");
  g_test_trap_assert_stdout_unmatched ("*after-the-end*");
  g_test_trap_assert_stderr ("*must first bring the drive back*");
}

/* Outside such a stretch the signals act at once, as without Reflash. */
static void
test_immediate (void)
{
  if (g_test_subprocess ())
    {
      rf_must_finish_defer_signals ();
      raise (SIGTERM);
      printf ("still-working\n");
      exit (0);
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stdout_unmatched ("*still-working*");
}

static void
record (gboolean active,
        gpointer user_data)
{
  g_string_append_c (user_data, active ? '+' : '-');
}

/* One watch call when the first stretch begins and one when the last ends. */
static void
test_nested (void)
{
  g_autoptr(GString) calls = g_string_new (NULL);
  g_autofree char *reason = NULL;

  rf_must_finish_set_watch (record, calls);
  g_assert_false (rf_must_finish_is_active ());
  rf_must_finish_begin ("first drive");
  rf_must_finish_begin ("second drive");
  g_assert_true (rf_must_finish_is_active ());
  reason = rf_must_finish_dup_reason ();
  g_assert_cmpstr (reason, ==, "second drive");
  rf_must_finish_end ();
  g_assert_true (rf_must_finish_is_active ());
  rf_must_finish_end ();
  g_assert_false (rf_must_finish_is_active ());
  g_assert_cmpstr (calls->str, ==, "+-");
  rf_must_finish_set_watch (NULL, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_data_func ("/reflash/must-finish/deferred/sigint", GINT_TO_POINTER (SIGINT),
                        test_deferred);
  g_test_add_data_func ("/reflash/must-finish/deferred/sigterm", GINT_TO_POINTER (SIGTERM),
                        test_deferred);
  g_test_add_data_func ("/reflash/must-finish/deferred/sighup", GINT_TO_POINTER (SIGHUP),
                        test_deferred);
  g_test_add_func ("/reflash/must-finish/immediate", test_immediate);
  g_test_add_func ("/reflash/must-finish/nested", test_nested);
  return g_test_run ();
}
