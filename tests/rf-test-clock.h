/* rf-test-clock.h: a virtual RfClock for core tests, which cannot link the
 * practice drive's clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-clock.h"

G_BEGIN_DECLS

#define RF_TYPE_TEST_CLOCK (rf_test_clock_get_type ())

G_DECLARE_FINAL_TYPE (RfTestClock, rf_test_clock, RF, TEST_CLOCK, RfClock)

RfTestClock *rf_test_clock_new          (void);
void         rf_test_clock_cancel_at    (RfTestClock  *self,
                                         GCancellable *cancellable,
                                         gint64        at_us);
guint        rf_test_clock_count_sleeps (RfTestClock  *self,
                                         guint64       duration_us);

G_END_DECLS
