/* test-clock.c: the system clock Reflash waits on for real drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-clock.h"
#include "rf-error.h"

static void
test_system_is_shared (void)
{
  RfClock *clock = rf_clock_get_system ();

  g_assert_true (RF_IS_CLOCK (clock));
  g_assert_true (rf_clock_get_system () == clock);
}

static void
test_now_is_monotonic (void)
{
  RfClock *clock = rf_clock_get_system ();
  gint64 before = g_get_monotonic_time ();
  gint64 last = rf_clock_get_now_us (clock);

  /* The monotonic time itself, so readings compare with the rest of GLib. */
  g_assert_cmpint (last, >=, before);
  for (guint i = 0; i < 10000; i++)
    {
      gint64 now = rf_clock_get_now_us (clock);

      g_assert_cmpint (now, >=, last);
      last = now;
    }
  g_assert_cmpint (last, <=, g_get_monotonic_time ());
}

/* A 50 ms sleep takes at least 50 ms; the upper bound only catches a sleep that
 * waits far too long, never a busy machine. */
static void
test_sleep (void)
{
  RfClock *clock = rf_clock_get_system ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = rf_clock_get_now_us (clock);
  gint64 slept;

  g_assert_true (rf_clock_sleep_us (clock, 50000, cancellable, &error));
  g_assert_no_error (error);
  slept = rf_clock_get_now_us (clock) - start;
  g_assert_cmpint (slept, >=, 50000);
  g_assert_cmpint (slept, <, 5000000);

  /* Without a cancellable too. */
  start = rf_clock_get_now_us (clock);
  g_assert_true (rf_clock_sleep_us (clock, 20000, NULL, &error));
  g_assert_cmpint (rf_clock_get_now_us (clock) - start, >=, 20000);
  g_assert_true (rf_clock_sleep_us (clock, 0, NULL, &error));
  g_assert_no_error (error);
}

static void
test_cancelled_before (void)
{
  RfClock *clock = rf_clock_get_system ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = rf_clock_get_now_us (clock);

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_clock_sleep_us (clock, 60 * G_USEC_PER_SEC, cancellable, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpint (rf_clock_get_now_us (clock) - start, <, 5 * G_USEC_PER_SEC);
  /* Even a wait of nothing reports the cancel. */
  g_clear_error (&error);
  g_assert_false (rf_clock_sleep_us (clock, 0, cancellable, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
}

static gpointer
cancel_after_100_ms (gpointer data)
{
  g_usleep (100000);
  g_cancellable_cancel (data);
  return NULL;
}

/* Cancelled from another thread during a one-minute sleep: it ends at the cancel,
 * not at the end of the minute. */
static void
test_cancelled_during (void)
{
  RfClock *clock = rf_clock_get_system ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start = rf_clock_get_now_us (clock);
  GThread *thread = g_thread_new ("cancel", cancel_after_100_ms, cancellable);
  gint64 slept;

  g_assert_false (rf_clock_sleep_us (clock, 60 * G_USEC_PER_SEC, cancellable, &error));
  slept = rf_clock_get_now_us (clock) - start;
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpint (slept, >=, 100000);
  g_assert_cmpint (slept, <, 10 * G_USEC_PER_SEC);
  g_thread_join (thread);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/clock/system-is-shared", test_system_is_shared);
  g_test_add_func ("/reflash/clock/now-is-monotonic", test_now_is_monotonic);
  g_test_add_func ("/reflash/clock/sleep", test_sleep);
  g_test_add_func ("/reflash/clock/cancelled-before", test_cancelled_before);
  g_test_add_func ("/reflash/clock/cancelled-during", test_cancelled_during);

  return g_test_run ();
}
