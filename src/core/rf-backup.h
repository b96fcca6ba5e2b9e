/* rf-backup.h: one stored firmware backup, as its keyfile describes it, and
 * what a dump must be to become one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-drive-db.h"
#include "rf-drive-identity.h"

G_BEGIN_DECLS

#define RF_TYPE_BACKUP (rf_backup_get_type ())

/**
 * RfBackup:
 * @image_path: the dump, in the family's file format
 * @info_path: the keyfile beside it
 * @family: the drive family ("nec-2m", "spc-generic")
 * @drive_id: NEC: the ID in the image's trailer; SPC: the drive's INQUIRY product
 * @stored_id: (nullable): the drive's stored ID when dumped
 * @bootcode_key: (nullable): the key its bootcode accepted
 * @bootcode_version: (nullable): its bootcode version
 * @vendor: (nullable): INQUIRY vendor
 * @product: (nullable): INQUIRY product
 * @revision: (nullable): INQUIRY revision: the firmware version dumped
 * @date: when, ISO 8601 in UTC
 * @sha256: of the image file
 * @verified: how the dump was verified ("two-reads-compared")
 * @size: the image's size in bytes
 * @counting_id: the bootcode's identity (nec-2m.md §3), which NEC backups are
 *   matched on; @stored_id is kept for information only
 * @protocol: the family's protocol, "nec-2m" or "spc-download": NEC backups
 *   are matched on @counting_id, SPC ones on @family, @vendor and @product
 */
typedef struct {
  char *image_path;
  char *info_path;
  char *family;
  char *drive_id;
  char *stored_id;
  char *bootcode_key;
  char *bootcode_version;
  char *vendor;
  char *product;
  char *revision;
  char *date;
  char *sha256;
  char *verified;
  guint64 size;
  char *counting_id;
  char *protocol;
} RfBackup;

GType     rf_backup_get_type        (void) G_GNUC_CONST;
RfBackup *rf_backup_copy            (const RfBackup        *self);
void      rf_backup_free            (RfBackup              *self);
gboolean  rf_backup_is_for_drive    (const RfBackup        *backup,
                                     const RfDriveIdentity *identity);
gboolean  rf_backup_image_is_erased (GBytes                *image);
gboolean  rf_backup_check_nec_dump  (const RfDriveIdentity *identity,
                                     GBytes                *image,
                                     GError               **error);
gboolean  rf_backup_check_spc_dump  (const RfDriveFamily   *family,
                                     const RfDriveIdentity *identity,
                                     GBytes                *image,
                                     GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfBackup, rf_backup_free)

G_END_DECLS
