/* rf-sim-clock.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-sim-clock.h"

/*
 * A practice drive models how long each command takes (an NEC erase and program
 * takes minutes). The speed factor divides that time: 1 is real time, 10 a
 * rehearsal ten times faster, 0 makes every command instant. A virtual clock only
 * counts; a real-time clock also sleeps, so a person watching the practice drive
 * sees the minutes pass. Tests use virtual clocks and never sleep.
 *
 * The same clock is the drive's #RfClock: Reflash's own waits for the drive pass
 * on it, scaled like the drive's work (see the header for the two time lines).
 */
struct _RfSimClock
{
  RfClock parent_instance;

  /* Reflash's waits run outside the drive's lock, on any thread. */
  GMutex lock;
  gboolean real_time;
  double speed;
  gint64 start_us;    /* monotonic time at creation (real-time clocks) */
  gint64 virtual_us;  /* scaled time of a virtual clock */
  gint64 modelled_us; /* modelled time; on a real-time clock, as of mark_us */
  gint64 mark_us;     /* real-time clocks: the monotonic time modelled_us is for */
  gint64 late_us;     /* real-time clocks: how late the drive's sleeps woke, not made up yet */
};

G_DEFINE_FINAL_TYPE (RfSimClock, rf_sim_clock, RF_TYPE_CLOCK)

/* The most lateness made up for: more is a process that was stopped (a
 * debugger, SIGSTOP), not a sleep that woke late, and the drive's next seconds
 * of work should not pass in an instant for it. */
#define MAX_CATCH_UP_US (50 * 1000)

static guint64
scale_locked (RfSimClock *self,
              guint64     modelled_us)
{
  if (self->speed <= 0.0)
    return 0;
  return (guint64) ((double) modelled_us / self->speed);
}

/* On a real-time clock modelled time runs with real time, times the speed; at
 * speed 0 real time adds nothing and only the time let pass counts. */
static gint64
modelled_now_locked (RfSimClock *self)
{
  if (!self->real_time)
    return self->modelled_us;
  return self->modelled_us +
         (gint64) ((double) (g_get_monotonic_time () - self->mark_us) * self->speed);
}

/* Lets @modelled_us pass on the counters; returns the scaled duration, which a
 * real-time clock's caller must then really wait. */
static guint64
pass_locked (RfSimClock *self,
             guint64     modelled_us)
{
  guint64 scaled = scale_locked (self, modelled_us);

  if (!self->real_time)
    {
      self->modelled_us += (gint64) modelled_us;
      self->virtual_us += (gint64) scaled;
    }
  else if (self->speed <= 0.0)
    {
      self->modelled_us += (gint64) modelled_us;
    }
  return scaled;
}

static gint64
rf_sim_clock_get_modelled_us (RfClock *clock)
{
  RfSimClock *self = RF_SIM_CLOCK (clock);
  gint64 now;

  g_mutex_lock (&self->lock);
  now = modelled_now_locked (self);
  g_mutex_unlock (&self->lock);
  return now;
}

/* A wait of Reflash's: on a real-time clock the scaled duration really passes,
 * and a cancel ends it early; a virtual clock moves on at once. */
static gboolean
rf_sim_clock_sleep_modelled_us (RfClock      *clock,
                                guint64       modelled_us,
                                GCancellable *cancellable,
                                GError      **error)
{
  RfSimClock *self = RF_SIM_CLOCK (clock);
  guint64 scaled;

  g_mutex_lock (&self->lock);
  scaled = pass_locked (self, modelled_us);
  g_mutex_unlock (&self->lock);
  if (!self->real_time || scaled == 0)
    return TRUE;
  return RF_CLOCK_CLASS (rf_sim_clock_parent_class)->sleep_us (clock, scaled, cancellable, error);
}

static void
rf_sim_clock_finalize (GObject *object)
{
  RfSimClock *self = RF_SIM_CLOCK (object);

  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_sim_clock_parent_class)->finalize (object);
}

static void
rf_sim_clock_class_init (RfSimClockClass *klass)
{
  RfClockClass *clock_class = RF_CLOCK_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = rf_sim_clock_finalize;
  clock_class->get_now_us = rf_sim_clock_get_modelled_us;
  clock_class->sleep_us = rf_sim_clock_sleep_modelled_us;
}

static void
rf_sim_clock_init (RfSimClock *self)
{
  g_mutex_init (&self->lock);
  self->speed = 1.0;
  self->start_us = g_get_monotonic_time ();
  self->mark_us = self->start_us;
}

/**
 * rf_sim_clock_new:
 * @real_time: whether spending time really sleeps
 *
 * Returns: (transfer full): a clock at time 0 with speed factor 1
 */
RfSimClock *
rf_sim_clock_new (gboolean real_time)
{
  RfSimClock *self = g_object_new (RF_TYPE_SIM_CLOCK, NULL);

  self->real_time = real_time;
  return self;
}

gboolean
rf_sim_clock_is_real_time (RfSimClock *self)
{
  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), FALSE);
  return self->real_time;
}

void
rf_sim_clock_set_speed (RfSimClock *self,
                        double      speed)
{
  g_return_if_fail (RF_IS_SIM_CLOCK (self));
  g_return_if_fail (speed >= 0.0);

  g_mutex_lock (&self->lock);
  /* Modelled time so far ran at the old speed; it goes on from here. */
  self->modelled_us = modelled_now_locked (self);
  self->mark_us = g_get_monotonic_time ();
  self->speed = speed;
  g_mutex_unlock (&self->lock);
}

double
rf_sim_clock_get_speed (RfSimClock *self)
{
  double speed;

  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0.0);

  g_mutex_lock (&self->lock);
  speed = self->speed;
  g_mutex_unlock (&self->lock);
  return speed;
}

/* Scaled microseconds since the clock was made. A real-time clock also counts the
 * time the host spends between commands (its own waits and polls). */
gint64
rf_sim_clock_get_now_us (RfSimClock *self)
{
  gint64 now;

  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);
  if (self->real_time)
    return g_get_monotonic_time () - self->start_us;
  g_mutex_lock (&self->lock);
  now = self->virtual_us;
  g_mutex_unlock (&self->lock);
  return now;
}

/* The modelled duration as it passes at the current speed. */
guint64
rf_sim_clock_scale (RfSimClock *self,
                    guint64     modelled_us)
{
  guint64 scaled;

  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);

  g_mutex_lock (&self->lock);
  scaled = scale_locked (self, modelled_us);
  g_mutex_unlock (&self->lock);
  return scaled;
}

/* The longest sleep of a nap: how soon a stop is seen. */
#define NAP_US (50 * 1000)

static gboolean
stopped (const gint *stop)
{
  return stop != NULL && g_atomic_int_get (stop);
}

/* Sleeps @scaled_us of the drive's work. A sleep wakes late (timer slack,
 * scheduling) by tens to hundreds of microseconds; at a high speed a command
 * lasts about a millisecond, and that lateness, paid by every command, would
 * make the drive several percent slower than its model. So what one sleep
 * overslept is taken off the next ones: the drive's total stays that of its
 * model, one late wake behind at most. Only the sleep itself is measured: the
 * host's time between commands, when the drive sits idle, is not made up.
 * With @stop it sleeps in naps to a deadline, watching @stop, and a stopped
 * sleep leaves the lateness as it was. */
static gboolean
sleep_catching_up (RfSimClock *self,
                   guint64     scaled_us,
                   const gint *stop)
{
  gint64 due;
  gint64 now;
  gint64 end;

  g_mutex_lock (&self->lock);
  due = (gint64) scaled_us - self->late_us;
  self->late_us = due < 0 ? -due : 0;
  g_mutex_unlock (&self->lock);
  now = g_get_monotonic_time ();
  end = now + MAX (due, 0);
  while (now < end && !stopped (stop))
    {
      g_usleep ((gulong) (stop != NULL ? MIN (end - now, NAP_US) : end - now));
      now = g_get_monotonic_time ();
    }
  if (stopped (stop))
    return FALSE;
  g_mutex_lock (&self->lock);
  self->late_us = MIN (self->late_us + (now - end), MAX_CATCH_UP_US);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

/**
 * rf_sim_clock_spend:
 * @modelled_us: how long the work takes on a real drive
 *
 * Lets the drive's work pass: a virtual clock moves on, a real-time clock
 * sleeps the scaled duration (the drive cannot be cancelled mid-command). A
 * real-time clock makes up for sleeps that woke late by sleeping less in the
 * next calls, so many short commands together take the sum of their scaled
 * durations, not that plus one late wake each.
 *
 * Returns: the scaled duration in microseconds
 */
guint64
rf_sim_clock_spend (RfSimClock *self,
                    guint64     modelled_us)
{
  guint64 scaled;

  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);

  g_mutex_lock (&self->lock);
  scaled = pass_locked (self, modelled_us);
  g_mutex_unlock (&self->lock);
  if (self->real_time && scaled > 0)
    sleep_catching_up (self, scaled, NULL);
  return scaled;
}

/**
 * rf_sim_clock_nap:
 * @scaled_us: how long, already scaled (rf_sim_clock_scale())
 * @stop: ends the nap early once set (g_atomic_int_set()): the power button
 *
 * Lets @scaled_us of the drive's work pass on a real-time clock, as
 * rf_sim_clock_spend() does (sleeps that woke late made up for, here and
 * there), but in naps of at most 50 ms that watch @stop. It moves no counter:
 * on a real-time clock modelled time runs with real time. A virtual clock
 * returns at once.
 *
 * Returns: %FALSE when @stop was set
 */
gboolean
rf_sim_clock_nap (RfSimClock *self,
                  guint64     scaled_us,
                  const gint *stop)
{
  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), FALSE);
  g_return_val_if_fail (stop != NULL, FALSE);

  if (!self->real_time || scaled_us == 0)
    return !stopped (stop);
  return sleep_catching_up (self, scaled_us, stop);
}
