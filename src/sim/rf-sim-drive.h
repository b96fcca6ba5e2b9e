/* rf-sim-drive.h: the practice drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-command.h"
#include "rf-sim-clock.h"
#include "rf-sim-fault.h"
#include "rf-sim-scenario.h"

G_BEGIN_DECLS

/**
 * RfSimLed:
 * @RF_SIM_LED_OFF: normal mode with an empty tray; also a drive that is gone
 *   or whose bootcode is erased
 * @RF_SIM_LED_STEADY: normal mode with a disc loaded, and nothing else
 * @RF_SIM_LED_BLINKING: only the bootcode runs, or new firmware is on its way.
 *   NEC: safe mode, entered by command or at power-up alike, while it uploads,
 *   takes the checksum and programs. SPC: boot mode, from the first chunk of a
 *   download until it is saved, and while new microcode settles after
 *   activation
 * @RF_SIM_LED_BLINKING_FAST: NEC only: from an ERASE BLOCK until the next
 *   PROGRAM BLOCK or restart (DOMAIN.md's `erase` phase); an SPC drive never
 *   shows it
 *
 * What the practice drive shows, as DOMAIN.md's phase table describes it.
 */
typedef enum {
  RF_SIM_LED_OFF,
  RF_SIM_LED_STEADY,
  RF_SIM_LED_BLINKING,
  RF_SIM_LED_BLINKING_FAST,
} RfSimLed;

const char *rf_sim_led_to_nick (RfSimLed led);

#define RF_TYPE_SIM_DRIVE (rf_sim_drive_get_type ())

G_DECLARE_FINAL_TYPE (RfSimDrive, rf_sim_drive, RF, SIM_DRIVE, GObject)

RfSimDrive          *rf_sim_drive_new            (const RfSimScenario *scenario,
                                                  const char          *state_path,
                                                  RfSimClock          *clock,
                                                  GError             **error);
RfSimDrive          *rf_sim_drive_open           (const char          *id,
                                                  const char          *state_dir,
                                                  GError             **error);
const RfSimScenario *rf_sim_drive_get_scenario   (RfSimDrive          *self);
const char          *rf_sim_drive_get_id         (RfSimDrive          *self);
RfSimClock          *rf_sim_drive_get_clock      (RfSimDrive          *self);
const char          *rf_sim_drive_get_state_path (RfSimDrive          *self);
gboolean             rf_sim_drive_execute        (RfSimDrive          *self,
                                                  RfCommand           *command,
                                                  GError             **error);
void                 rf_sim_drive_power_cycle    (RfSimDrive          *self);
gboolean             rf_sim_drive_catch_up       (RfSimDrive          *self,
                                                  GError             **error);
gboolean             rf_sim_drive_reset          (RfSimDrive          *self,
                                                  GError             **error);
RfSimLed             rf_sim_drive_get_led        (RfSimDrive          *self);
void                 rf_sim_drive_set_speed      (RfSimDrive          *self,
                                                  double               speed);
void                 rf_sim_drive_set_disc       (RfSimDrive          *self,
                                                  gboolean             loaded);
gboolean             rf_sim_drive_has_disc       (RfSimDrive          *self);
void                 rf_sim_drive_add_fault      (RfSimDrive          *self,
                                                  const RfSimFault    *fault);
void                 rf_sim_drive_clear_faults   (RfSimDrive          *self);
guint                rf_sim_drive_get_command_count (RfSimDrive       *self);
GBytes              *rf_sim_drive_dup_flash      (RfSimDrive          *self);
void                 rf_sim_drive_release_memory (RfSimDrive          *self);
gsize                rf_sim_drive_get_mapped_size (RfSimDrive         *self);

G_END_DECLS
