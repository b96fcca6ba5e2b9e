/* rf-drive-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rf-device.h"

G_BEGIN_DECLS

#define RF_TYPE_DRIVE_ROW (rf_drive_row_get_type ())

G_DECLARE_FINAL_TYPE (RfDriveRow, rf_drive_row, RF, DRIVE_ROW, AdwActionRow)

GtkWidget *rf_drive_row_new          (RfDevice   *device);
RfDevice  *rf_drive_row_get_device   (RfDriveRow *self);
void       rf_drive_row_set_probing  (RfDriveRow *self,
                                      gboolean    probing);
void       rf_drive_row_refresh      (RfDriveRow *self);
void       rf_drive_row_set_journal_mark (RfDriveRow *self,
                                          const char *mark);

void        rf_drive_row_set_chosen        (RfDriveRow *self,
                                            gboolean    chosen);
gboolean    rf_drive_row_get_chosen        (RfDriveRow *self);

G_END_DECLS
