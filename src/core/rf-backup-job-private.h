/* rf-backup-job-private.h: the backup step, for the flash job
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"
#include "rf-job.h"

G_BEGIN_DECLS

RfBackup *rf_backup_take_held (RfJob                 *job,
                               RfBackupStore         *store,
                               const RfDriveFamily   *family,
                               const RfDriveIdentity *identity,
                               GCancellable          *cancellable,
                               gboolean              *reused,
                               GError               **error);

G_END_DECLS
