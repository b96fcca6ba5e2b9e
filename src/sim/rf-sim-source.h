/* rf-sim-source.h: the practice drives as a source of drives for the monitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device-source.h"
#include "rf-sim-drive.h"

G_BEGIN_DECLS

#define RF_TYPE_SIM_SOURCE (rf_sim_source_get_type ())

G_DECLARE_FINAL_TYPE (RfSimSource, rf_sim_source, RF, SIM_SOURCE, GObject)

#define RF_SIM_DEVICE_PREFIX "practice:"

RfSimSource *rf_sim_source_new       (const char  *state_dir);
RfSimDrive  *rf_sim_source_get_drive (RfSimSource *self,
                                      const char  *scenario_id);
RfDevice    *rf_sim_source_add       (RfSimSource *self,
                                      const char  *scenario_id);

G_END_DECLS
