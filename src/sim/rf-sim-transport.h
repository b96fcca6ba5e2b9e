/* rf-sim-transport.h: a transport that talks to a practice drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-sim-drive.h"
#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_SIM_TRANSPORT (rf_sim_transport_get_type ())

G_DECLARE_FINAL_TYPE (RfSimTransport, rf_sim_transport, RF, SIM_TRANSPORT, RfTransport)

RfTransport *rf_sim_transport_new       (RfSimDrive     *drive);
RfSimDrive  *rf_sim_transport_get_drive (RfSimTransport *self);

G_END_DECLS
