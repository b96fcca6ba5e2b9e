/* rf-test-clock.c: time that passes only when someone sleeps, at once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-error.h"
#include "rf-test-clock.h"

/* A probe runs on one thread at a time; the lock is for the reader in the test. */
struct _RfTestClock
{
  RfClock parent_instance;

  GMutex lock;
  gint64 now_us;
  GArray *sleeps;            /* guint64: every duration asked for */
  GCancellable *cancellable; /* to cancel at cancel_at_us, or NULL */
  gint64 cancel_at_us;
};

G_DEFINE_FINAL_TYPE (RfTestClock, rf_test_clock, RF_TYPE_CLOCK)

static gint64
rf_test_clock_get_now_us (RfClock *clock)
{
  RfTestClock *self = RF_TEST_CLOCK (clock);
  gint64 now;

  g_mutex_lock (&self->lock);
  now = self->now_us;
  g_mutex_unlock (&self->lock);
  return now;
}

/* The user's cancel falls inside a sleep that reaches its time. */
static gboolean
cancel_falls_inside (RfTestClock *self,
                     guint64      duration_us)
{
  return self->cancellable != NULL && self->now_us + (gint64) duration_us >= self->cancel_at_us;
}

/* Time passes at once. A sleep the user's cancel falls inside stops there and
 * fires the cancellable; it ends early only if it was given that cancellable,
 * else it runs to its end, as a real wait without one would. */
static gboolean
rf_test_clock_sleep_us (RfClock      *clock,
                        guint64       duration_us,
                        GCancellable *cancellable,
                        GError      **error)
{
  RfTestClock *self = RF_TEST_CLOCK (clock);
  g_autoptr(GCancellable) fired = NULL;
  gint64 end;

  g_mutex_lock (&self->lock);
  g_array_append_val (self->sleeps, duration_us);
  end = self->now_us + (gint64) duration_us;
  if (cancel_falls_inside (self, duration_us))
    {
      self->now_us = MAX (self->now_us, self->cancel_at_us);
      fired = g_steal_pointer (&self->cancellable);
    }
  g_mutex_unlock (&self->lock);

  if (fired != NULL)
    g_cancellable_cancel (fired);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCELLED, "cancelled while waiting");
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  self->now_us = end;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
rf_test_clock_finalize (GObject *object)
{
  RfTestClock *self = RF_TEST_CLOCK (object);

  g_clear_object (&self->cancellable);
  g_array_unref (self->sleeps);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_test_clock_parent_class)->finalize (object);
}

static void
rf_test_clock_class_init (RfTestClockClass *klass)
{
  RfClockClass *clock_class = RF_CLOCK_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rf_test_clock_finalize;
  clock_class->get_now_us = rf_test_clock_get_now_us;
  clock_class->sleep_us = rf_test_clock_sleep_us;
}

static void
rf_test_clock_init (RfTestClock *self)
{
  g_mutex_init (&self->lock);
  self->sleeps = g_array_new (FALSE, FALSE, sizeof (guint64));
}

/* Returns: (transfer full): a clock at 0 */
RfTestClock *
rf_test_clock_new (void)
{
  return g_object_new (RF_TYPE_TEST_CLOCK, NULL);
}

/* The user presses Cancel at @at_us: the sleep that reaches it cancels
 * @cancellable there. */
void
rf_test_clock_cancel_at (RfTestClock  *self,
                         GCancellable *cancellable,
                         gint64        at_us)
{
  g_mutex_lock (&self->lock);
  g_set_object (&self->cancellable, cancellable);
  self->cancel_at_us = at_us;
  g_mutex_unlock (&self->lock);
}

/* How many sleeps of exactly @duration_us were asked for. */
guint
rf_test_clock_count_sleeps (RfTestClock *self,
                            guint64      duration_us)
{
  guint count = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->sleeps->len; i++)
    if (g_array_index (self->sleeps, guint64, i) == duration_us)
      count++;
  g_mutex_unlock (&self->lock);
  return count;
}
