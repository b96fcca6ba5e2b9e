/* rf-test-helper.h: launchers the helper tests start instead of pkexec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-helper-launcher.h"

G_BEGIN_DECLS

/* How much faster than real time the tests' helper serves its practice drive. */
#define RF_TEST_HELPER_SPEED "200"

char             *rf_test_helper_make_home       (const char *template);
RfClock          *rf_test_helper_clock_new       (void);
RfHelperLauncher *rf_test_helper_sim_launcher    (const char *helper_sim,
                                                  const char *scenario);
RfHelperLauncher *rf_test_helper_failing_pkexec  (const char *words,
                                                  int         status);

G_END_DECLS
