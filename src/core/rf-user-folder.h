/* rf-user-folder.h: a folder of Reflash's below the invoking user's data or
 * state folder (backups, journals), and who writes in it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"
#include "rf-paths.h"

G_BEGIN_DECLS

/**
 * RfUserFolderKind:
 * @RF_USER_FOLDER_DATA: below the user's XDG data folder (what they keep)
 * @RF_USER_FOLDER_STATE: below the user's XDG state folder (what a run leaves)
 */
typedef enum {
  RF_USER_FOLDER_DATA,
  RF_USER_FOLDER_STATE,
} RfUserFolderKind;

/**
 * RfUserFolder:
 * @base: the user's folder, or the one around a given folder
 * @relative: the folders Reflash makes below @base ("reflash/backups")
 * @directory: both together
 * @user: (nullable): whose files these are, and as whom they are written
 * @user_error: (nullable): why the user could not be told, when @user is %NULL
 * @io: the file system calls writing uses (tests replace them)
 *
 * Embedded in the stores that write a user's files.
 */
typedef struct {
  char *base;
  char *relative;
  char *directory;
  RfPathsUser *user;
  GError *user_error;
  RfBackupStoreIo io;
} RfUserFolder;

void     rf_user_folder_init          (RfUserFolder          *self,
                                       RfUserFolderKind       kind,
                                       const char            *relative,
                                       const char            *directory);
void     rf_user_folder_init_for_user (RfUserFolder          *self,
                                       RfUserFolderKind       kind,
                                       const char            *relative,
                                       const RfPathsUser     *user);
void     rf_user_folder_clear         (RfUserFolder          *self);
void     rf_user_folder_set_io        (RfUserFolder          *self,
                                       const RfBackupStoreIo *io);
gboolean rf_user_folder_become_owner  (RfUserFolder          *self,
                                       RfPathsIdentity       *saved,
                                       GError               **error);
int      rf_user_folder_open          (RfUserFolder          *self,
                                       GError               **error);

G_END_DECLS
