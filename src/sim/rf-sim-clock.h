/* rf-sim-clock.h: the time a practice drive lives in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-clock.h"

G_BEGIN_DECLS

/*
 * Two time lines, both in microseconds:
 *
 * - Modelled time is the time of a real drive: "an erase takes 1.5 s", "poll every
 *   2 s for 300 s". It is what the #RfClock view gives (rf_clock_get_now_us(),
 *   rf_clock_sleep_us()), so Reflash's own waits and limits, which are written
 *   in real-drive time, mean the same on a practice drive at any speed.
 *   rf_sim_clock_spend() and rf_clock_sleep_us() both advance it by exactly what
 *   they were given (a real-time clock at a speed above 0 measures it instead:
 *   real elapsed time times the speed).
 *
 * - Scaled time is modelled time divided by the speed factor: on a real-time
 *   clock, real elapsed time; on a virtual clock, a counter. At speed 0 every
 *   scaled duration is 0. The drive's own deadlines (restart, settle) are in
 *   scaled time: rf_sim_clock_get_now_us(), rf_sim_clock_scale().
 *
 * So at speed 0 the drive's work is instant (a settle is over at the first poll)
 * while Reflash's limits still pass after as many polls as on a real drive, at
 * once: a drive that never answers ends a 300 s poll, it does not loop forever.
 */

#define RF_TYPE_SIM_CLOCK (rf_sim_clock_get_type ())

G_DECLARE_FINAL_TYPE (RfSimClock, rf_sim_clock, RF, SIM_CLOCK, RfClock)

RfSimClock *rf_sim_clock_new            (gboolean    real_time);
gboolean    rf_sim_clock_is_real_time   (RfSimClock *self);
void        rf_sim_clock_set_speed      (RfSimClock *self,
                                         double      speed);
double      rf_sim_clock_get_speed      (RfSimClock *self);
gint64      rf_sim_clock_get_now_us     (RfSimClock *self);
guint64     rf_sim_clock_scale          (RfSimClock *self,
                                         guint64     modelled_us);
guint64     rf_sim_clock_spend          (RfSimClock *self,
                                         guint64     modelled_us);
gboolean    rf_sim_clock_nap            (RfSimClock *self,
                                         guint64     scaled_us,
                                         const gint *stop);

G_END_DECLS
