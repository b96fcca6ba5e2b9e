/* rf-test-standins.h: a source of stand-ins for real drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"

G_BEGIN_DECLS

#define TEST_TYPE_STANDINS (test_standins_get_type ())
G_DECLARE_FINAL_TYPE (TestStandins, test_standins, TEST, STANDINS, GObject)

TestStandins *test_standins_new (void);
RfDevice     *test_standins_add (TestStandins *standins,
                                 const char   *id,
                                 const char   *bus_path,
                                 RfTransport  *transport);

G_END_DECLS
