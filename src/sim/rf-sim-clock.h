/* rf-sim-clock.h: the time a practice drive lives in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RF_TYPE_SIM_CLOCK (rf_sim_clock_get_type ())

G_DECLARE_FINAL_TYPE (RfSimClock, rf_sim_clock, RF, SIM_CLOCK, GObject)

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
void        rf_sim_clock_skip           (RfSimClock *self,
                                         guint64     elapsed_us);

G_END_DECLS
