/* rf-sim.h: everything librf-sim offers (the practice drive)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-sim-clock.h"
#include "rf-sim-drive.h"
#include "rf-sim-fault.h"
#include "rf-sim-scenario.h"
#include "rf-sim-source.h"
#include "rf-sim-transport.h"
#include "rf-sim-twin.h"
