/* rf-clock.h: the time Reflash waits in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define RF_TYPE_CLOCK (rf_clock_get_type ())

G_DECLARE_DERIVABLE_TYPE (RfClock, rf_clock, RF, CLOCK, GObject)

/**
 * RfClockClass:
 * @get_now_us: the current time in microseconds. Only differences mean
 *   something; they never go backwards.
 * @sleep_us: let @duration_us pass. Returns %FALSE with %RF_ERROR_CANCELLED when
 *   @cancellable was cancelled meanwhile; an implementation that really sleeps
 *   must then wake at once, not at the end of the duration. Only called with a
 *   positive duration and a @cancellable not cancelled yet.
 *
 * Every wait Reflash does on a drive's behalf (a pause between retries, a poll
 * while the drive restarts, the limit of such a poll) is expressed in the time
 * of a real drive and measured on the drive's clock (rf_transport_get_clock()).
 * The base class is the system clock: g_get_monotonic_time() and real sleeps. A
 * practice drive brings a clock of its own, on which the same waits pass as fast
 * as its speed factor says, instantly at speed 0.
 */
struct _RfClockClass
{
  GObjectClass parent_class;

  gint64   (*get_now_us) (RfClock      *self);
  gboolean (*sleep_us)   (RfClock      *self,
                          guint64       duration_us,
                          GCancellable *cancellable,
                          GError      **error);

  gpointer padding[8];
};

RfClock  *rf_clock_get_system (void);
gint64    rf_clock_get_now_us (RfClock      *self);
gboolean  rf_clock_sleep_us   (RfClock      *self,
                               guint64       duration_us,
                               GCancellable *cancellable,
                               GError      **error);

G_END_DECLS
