/* rf-backup-job.h: a drive's running firmware, read twice, compared and kept
 * (nec-2m.md §4 "Reflash's backup", spc-download.md "Phases")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"
#include "rf-job.h"

G_BEGIN_DECLS

#define RF_TYPE_BACKUP_JOB (rf_backup_job_get_type ())

G_DECLARE_FINAL_TYPE (RfBackupJob, rf_backup_job, RF, BACKUP_JOB, RfJob)

/* A 4 KiB read answers in milliseconds; this much silence is already unusual. */
#define RF_BACKUP_READ_EXPECTED_US (5 * G_USEC_PER_SEC)

/* SPC dumps are read in pieces of at most this size (and at most the
 * transport's largest transfer). */
#define RF_BACKUP_SPC_CHUNK 0x10000

RfBackupJob    *rf_backup_job_new        (RfDevice      *device,
                                          RfDriveDb     *db,
                                          RfBackupStore *store);
const RfBackup *rf_backup_job_get_backup (RfBackupJob   *self);
gboolean        rf_backup_job_get_reused (RfBackupJob   *self);

void            rf_backup_job_forget_all (void);

G_END_DECLS
