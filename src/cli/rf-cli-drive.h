/* rf-cli-drive.h: what the commands share: finding, probing, printing drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"
#include "rf-sim.h"

G_BEGIN_DECLS

void             rf_cli_drive_add_source   (RfDeviceSource *source);
RfDeviceMonitor *rf_cli_drive_monitor_new  (RfDriveDb     *db);
RfDeviceMonitor *rf_cli_drive_monitor_new_with_practice (RfDriveDb    *db,
                                                         RfSimSource **practice);
RfDevice        *rf_cli_drive_lookup       (RfDeviceMonitor *monitor,
                                            const char      *name,
                                            GError         **error);
gboolean         rf_cli_drive_check        (RfDevice      *device,
                                            RfDriveDb     *db,
                                            const char    *command,
                                            RfProbeDepth   depth,
                                            GError       **error);
char            *rf_cli_drive_dup_error_sentence (const char   *name,
                                                  const GError *error);
GPtrArray       *rf_cli_drive_probe_all    (GPtrArray     *devices,
                                            RfDriveDb     *db,
                                            RfProbeDepth   depth);
void             rf_cli_drive_write_json   (RfJsonWriter  *json,
                                            RfDevice      *device,
                                            gboolean       with_commands);
void             rf_cli_drive_write_json_with_error (RfJsonWriter *json,
                                                     RfDevice     *device,
                                                     gboolean      with_commands,
                                                     const GError *error);
char            *rf_cli_drive_model_name   (RfDevice      *device);
GPtrArray       *rf_cli_drive_list_backups (const RfDriveIdentity *identity);
char            *rf_cli_drive_judge_backup (RfDevice              *device,
                                            const RfBackup        *backup);

G_END_DECLS
