/* rf-drive-presenter.h: how the wizard names a drive and its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-device.h"
#include "rf-sim.h"

G_BEGIN_DECLS

char       *rf_drive_presenter_dup_title      (RfDevice     *device);
char       *rf_drive_presenter_dup_subtitle   (RfDevice     *device);
const char *rf_drive_presenter_state_style    (RfDriveState  state);
const char *rf_drive_presenter_state_icon     (RfDriveState  state);
char       *rf_drive_presenter_dup_model_name (RfDevice     *device,
                                               const char   *model_id);
RfSimDrive *rf_drive_presenter_dup_practice_drive (RfDevice *device);
const char *rf_drive_presenter_led_words      (RfSimLed      led);

typedef void (*RfPresenterFunc) (gpointer object);

void        rf_drive_presenter_on_main        (gpointer        object,
                                               RfPresenterFunc func);

G_END_DECLS
