/* rf-sg-transport.h: real pass-through to a Linux sg or sr node
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_SG_TRANSPORT (rf_sg_transport_get_type ())

G_DECLARE_FINAL_TYPE (RfSgTransport, rf_sg_transport, RF, SG_TRANSPORT, RfTransport)

RfTransport *rf_sg_transport_new           (const char     *path,
                                            GError        **error);
RfTransport *rf_sg_transport_new_read_only (const char     *path,
                                            GError        **error);
const char  *rf_sg_transport_get_path      (RfSgTransport  *self);
gboolean     rf_sg_transport_is_read_only  (RfSgTransport  *self);

G_END_DECLS
