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
 */
struct _RfSimClock
{
  GObject parent_instance;

  gboolean real_time;
  double speed;
  gint64 start_us;   /* monotonic time at creation (real-time clocks) */
  gint64 virtual_us; /* elapsed virtual time (virtual clocks) */
};

G_DEFINE_FINAL_TYPE (RfSimClock, rf_sim_clock, G_TYPE_OBJECT)

static void
rf_sim_clock_class_init (RfSimClockClass *klass)
{
}

static void
rf_sim_clock_init (RfSimClock *self)
{
  self->speed = 1.0;
  self->start_us = g_get_monotonic_time ();
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
  self->speed = speed;
}

double
rf_sim_clock_get_speed (RfSimClock *self)
{
  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0.0);
  return self->speed;
}

/* Microseconds since the clock was made. A real-time clock also counts the time the
 * host spends between commands (its own waits and polls). */
gint64
rf_sim_clock_get_now_us (RfSimClock *self)
{
  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);
  if (self->real_time)
    return g_get_monotonic_time () - self->start_us;
  return self->virtual_us;
}

/* The modelled duration as it passes at the current speed. */
guint64
rf_sim_clock_scale (RfSimClock *self,
                    guint64     modelled_us)
{
  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);
  if (self->speed <= 0.0)
    return 0;
  return (guint64) ((double) modelled_us / self->speed);
}

/**
 * rf_sim_clock_spend:
 * @modelled_us: how long the work takes on a real drive
 *
 * Lets the work's scaled duration pass: a virtual clock moves on, a real-time
 * clock sleeps.
 *
 * Returns: the scaled duration in microseconds
 */
guint64
rf_sim_clock_spend (RfSimClock *self,
                    guint64     modelled_us)
{
  guint64 scaled;

  g_return_val_if_fail (RF_IS_SIM_CLOCK (self), 0);

  scaled = rf_sim_clock_scale (self, modelled_us);
  if (self->real_time)
    {
      if (scaled > 0)
        g_usleep ((gulong) scaled);
    }
  else
    {
      self->virtual_us += (gint64) scaled;
    }
  return scaled;
}

/* Host-side waiting on a virtual clock (a poll interval, a settle wait). A
 * real-time clock ignores it: real waits already pass on it. */
void
rf_sim_clock_skip (RfSimClock *self,
                   guint64     elapsed_us)
{
  g_return_if_fail (RF_IS_SIM_CLOCK (self));
  if (!self->real_time)
    self->virtual_us += (gint64) elapsed_us;
}
