/* rf-helper-transport.h: a drive reached through the privileged helper
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rf-helper-launcher.h"
#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_HELPER_TRANSPORT (rf_helper_transport_get_type ())

G_DECLARE_FINAL_TYPE (RfHelperTransport, rf_helper_transport, RF, HELPER_TRANSPORT, RfTransport)

RfTransport *rf_helper_transport_new       (RfHelperLauncher  *launcher,
                                            const char        *node,
                                            RfClock           *clock,
                                            GError           **error);
GSubprocess *rf_helper_transport_get_process (RfHelperTransport *self);
void         rf_helper_transport_end       (RfHelperTransport *self);
char        *rf_helper_transport_canonical_node (const char   *node,
                                                 GError      **error);

G_END_DECLS
