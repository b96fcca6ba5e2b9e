/* rf-power.h: is the computer on battery, and how full is it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Below this charge (percent) on battery, a flash is refused: a computer that
 * switches itself off mid-flash leaves a drive without firmware. */
#define RF_POWER_LOW_CAPACITY 20

/* For tests of whole programs: read this folder instead of the kernel's
 * power-supply class. Never set it otherwise. */
#define RF_POWER_SUPPLY_DIR_ENV "REFLASH_POWER_SUPPLY_DIR"

/**
 * RfPowerSource:
 * @RF_POWER_MAINS: external power (or no battery at all, as on a desktop)
 * @RF_POWER_BATTERY: on battery: say so and ask for a confirmation
 * @RF_POWER_BATTERY_LOW: on battery below %RF_POWER_LOW_CAPACITY: refuse
 * @RF_POWER_UNKNOWN: the power-supply folder could not be read; treated like
 *   mains, so a desktop is never blocked, and worth a line in the log
 */
typedef enum {
  RF_POWER_MAINS,
  RF_POWER_BATTERY,
  RF_POWER_BATTERY_LOW,
  RF_POWER_UNKNOWN,
} RfPowerSource;

/**
 * RfPowerStatus:
 * @source: where the computer's power comes from
 * @capacity: the system batteries' charge in percent (0-100), also on mains;
 *   -1 when there is no battery or none says
 */
typedef struct {
  RfPowerSource source;
  int capacity;
} RfPowerStatus;

void        rf_power_read                (const char          *class_dir,
                                          RfPowerStatus       *status);
const char *rf_power_source_to_nick      (RfPowerSource        source);
char       *rf_power_status_to_sentence  (const RfPowerStatus *status);

G_END_DECLS
