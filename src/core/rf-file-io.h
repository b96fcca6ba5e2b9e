/* rf-file-io.h: writing a user's files so that a crash, a full disk or a
 * planted link never leaves a half-written or misplaced one (backups and
 * journals)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"

G_BEGIN_DECLS

void     rf_file_io_init_posix  (RfBackupStoreIo       *io);
void     rf_file_io_override    (RfBackupStoreIo       *io,
                                 const RfBackupStoreIo *replacements);
gboolean rf_file_io_set_error   (GError               **error,
                                 int                    errno_value,
                                 const char            *context);
gboolean rf_file_io_error_is_exists (const GError        *error);
void     rf_file_io_remove      (int                    dir_fd,
                                 const char            *name);
gboolean rf_file_io_write_new   (const RfBackupStoreIo *io,
                                 int                    dir_fd,
                                 const char            *name,
                                 const guint8          *data,
                                 gsize                  size,
                                 GError               **error);
char    *rf_file_io_safe_name   (const char            *text,
                                 gsize                  max_length);

G_END_DECLS
