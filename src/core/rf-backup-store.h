/* rf-backup-store.h: firmware dumps kept in the user's data folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-backup.h"
#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-paths.h"

G_BEGIN_DECLS

/**
 * RfBackupStoreIo:
 * @openat: openat(2) of a name in the store's folder
 * @rename: moves a name to another in the store's folder, never replacing one
 *   that exists (renameat2(2) with `RENAME_NOREPLACE`)
 *
 * The file system calls the store makes while writing, as POSIX defines them
 * (failure: -1 with errno set). Tests replace them to inject a full disk or a
 * read-only folder without depending on who runs the test. A %NULL member
 * means the real call.
 */
typedef struct {
  int    (*openat) (int dir_fd, const char *name, int flags, int mode);
  gssize (*write)  (int fd, const void *buffer, gsize count);
  int    (*fsync)  (int fd);
  int    (*rename) (int dir_fd, const char *from, const char *to);
  int    (*close)  (int fd);
} RfBackupStoreIo;

#define RF_TYPE_BACKUP_STORE (rf_backup_store_get_type ())

G_DECLARE_FINAL_TYPE (RfBackupStore, rf_backup_store, RF, BACKUP_STORE, GObject)

RfBackupStore *rf_backup_store_new            (const char            *directory);
RfBackupStore *rf_backup_store_new_for_user   (const RfPathsUser     *user);
const char    *rf_backup_store_get_directory  (RfBackupStore         *self);
void           rf_backup_store_set_io         (RfBackupStore         *self,
                                               const RfBackupStoreIo *io);
RfBackup      *rf_backup_store_add            (RfBackupStore         *self,
                                               const RfDriveIdentity *identity,
                                               GBytes                *image,
                                               const char            *verified,
                                               GError               **error);
RfBackup      *rf_backup_store_add_for_family (RfBackupStore         *self,
                                               const RfDriveFamily   *family,
                                               const RfDriveIdentity *identity,
                                               GBytes                *image,
                                               const char            *verified,
                                               GError               **error);
GPtrArray     *rf_backup_store_list           (RfBackupStore         *self,
                                               GError               **error);
GPtrArray     *rf_backup_store_list_for_drive (RfBackupStore         *self,
                                               const RfDriveIdentity *identity,
                                               GError               **error);
GBytes        *rf_backup_store_load           (RfBackupStore         *self,
                                               const RfBackup        *backup,
                                               GError               **error);

G_END_DECLS
