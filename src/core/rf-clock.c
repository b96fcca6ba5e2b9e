/* rf-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-clock.h"
#include "rf-error.h"

/*
 * RfClock itself is the system clock; subclasses replace both vfuncs. Reflash
 * never calls g_usleep() or g_get_monotonic_time() for a wait that concerns a
 * drive: it asks the drive's clock, so that a practice drive decides how long
 * "2 s" really is.
 */

G_DEFINE_TYPE (RfClock, rf_clock, G_TYPE_OBJECT)

/* What a sleeping thread waits on: a cancel wakes it through the condition, not
 * at the end of its duration. */
typedef struct {
  GMutex lock;
  GCond cond;
  gboolean cancelled;
} Waker;

static void
wake (GCancellable *cancellable,
      gpointer      user_data)
{
  Waker *waker = user_data;

  g_mutex_lock (&waker->lock);
  waker->cancelled = TRUE;
  g_cond_broadcast (&waker->cond);
  g_mutex_unlock (&waker->lock);
}

static gboolean
set_cancelled (GError **error)
{
  g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCELLED, "cancelled while waiting");
  return FALSE;
}

static gint64
rf_clock_real_get_now_us (RfClock *self)
{
  return g_get_monotonic_time ();
}

static gboolean
rf_clock_real_sleep_us (RfClock      *self,
                        guint64       duration_us,
                        GCancellable *cancellable,
                        GError      **error)
{
  gint64 now = g_get_monotonic_time ();
  gint64 deadline = duration_us > (guint64) (G_MAXINT64 - now) ? G_MAXINT64
                                                               : now + (gint64) duration_us;
  Waker waker = { 0 };
  gulong handler = 0;
  gboolean cancelled;

  g_mutex_init (&waker.lock);
  g_cond_init (&waker.cond);
  /* On a cancellable already cancelled, g_cancellable_connect() calls wake() at once. */
  if (cancellable != NULL)
    handler = g_cancellable_connect (cancellable, G_CALLBACK (wake), &waker, NULL);
  g_mutex_lock (&waker.lock);
  while (!waker.cancelled && g_cond_wait_until (&waker.cond, &waker.lock, deadline))
    ;
  cancelled = waker.cancelled;
  g_mutex_unlock (&waker.lock);
  /* Waits for a wake() running in the cancelling thread before the waker goes. */
  g_cancellable_disconnect (cancellable, handler);
  g_cond_clear (&waker.cond);
  g_mutex_clear (&waker.lock);
  return cancelled ? set_cancelled (error) : TRUE;
}

static void
rf_clock_class_init (RfClockClass *klass)
{
  klass->get_now_us = rf_clock_real_get_now_us;
  klass->sleep_us = rf_clock_real_sleep_us;
}

static void
rf_clock_init (RfClock *self)
{
}

/**
 * rf_clock_get_system:
 *
 * The clock of real drives: monotonic time and real sleeps that a cancel ends
 * early. Shared by the whole process and never freed.
 *
 * Returns: (transfer none): the system clock
 */
RfClock *
rf_clock_get_system (void)
{
  static RfClock *system_clock;

  if (g_once_init_enter (&system_clock))
    g_once_init_leave (&system_clock, g_object_new (RF_TYPE_CLOCK, NULL));
  return system_clock;
}

/**
 * rf_clock_get_now_us:
 *
 * Returns: the clock's time in microseconds; compare it only with other
 *   readings of the same clock
 */
gint64
rf_clock_get_now_us (RfClock *self)
{
  g_return_val_if_fail (RF_IS_CLOCK (self), 0);
  return RF_CLOCK_GET_CLASS (self)->get_now_us (self);
}

/**
 * rf_clock_sleep_us:
 * @duration_us: how long, in the time of a real drive
 * @cancellable: (nullable): ends the wait early; %NULL for a wait that must run
 *   to its end
 *
 * Lets @duration_us pass on @self.
 *
 * Returns: %TRUE when the whole duration passed; %FALSE with
 *   %RF_ERROR_CANCELLED when @cancellable was cancelled before or during the wait
 */
gboolean
rf_clock_sleep_us (RfClock      *self,
                   guint64       duration_us,
                   GCancellable *cancellable,
                   GError      **error)
{
  g_return_val_if_fail (RF_IS_CLOCK (self), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Subclasses only ever see a wait that has not been cancelled yet. */
  if (g_cancellable_is_cancelled (cancellable))
    return set_cancelled (error);
  if (duration_us == 0)
    return TRUE;
  return RF_CLOCK_GET_CLASS (self)->sleep_us (self, duration_us, cancellable, error);
}
