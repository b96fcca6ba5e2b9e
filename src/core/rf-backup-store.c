/* rf-backup-store.c
 *
 * Backups belong to the user who ran Reflash, also through sudo: they are
 * written into that user's data folder, as that user (rf-paths.c decides
 * whose folder and which identity), and every name the store makes there is
 * opened with O_NOFOLLOW or published without replacing what is there, so a
 * link planted in the store's place is refused, never followed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-backup-store.h"
#include "rf-error.h"
#include "rf-file-io.h"
#include "rf-firmware-file.h"
#include "rf-nec-2m.h"
#include "rf-paths-private.h"
#include "rf-user-folder.h"

#define GROUP "Backup"
#define FOLDER "reflash" G_DIR_SEPARATOR_S "backups"
#define INFO_SUFFIX ".backup"
#define PART_SUFFIX ".part"
/* Records written before Protocol existed were all NEC dumps. */
#define DEFAULT_PROTOCOL "nec-2m"
/* File names start with the drive's ID: an INQUIRY product at most, 16 bytes. */
#define MAX_FILE_ID 16
/* Names tried for one backup before giving up: the same firmware stored
 * again within the same second gets "-2", "-3"... */
#define MAX_NAME_ATTEMPTS 9

struct _RfBackupStore
{
  GObject parent_instance;

  RfUserFolder folder;
};

G_DEFINE_FINAL_TYPE (RfBackupStore, rf_backup_store, G_TYPE_OBJECT)

static void
rf_backup_store_finalize (GObject *object)
{
  RfBackupStore *self = RF_BACKUP_STORE (object);

  rf_user_folder_clear (&self->folder);
  G_OBJECT_CLASS (rf_backup_store_parent_class)->finalize (object);
}

static void
rf_backup_store_class_init (RfBackupStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_backup_store_finalize;
}

static void
rf_backup_store_init (RfBackupStore *self)
{
}

/**
 * rf_backup_store_new_for_user:
 * @user: whose backups
 *
 * The backups in reflash/backups under @user's data folder, written as @user.
 */
RfBackupStore *
rf_backup_store_new_for_user (const RfPathsUser *user)
{
  RfBackupStore *self;

  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (RF_TYPE_BACKUP_STORE, NULL);
  rf_user_folder_init_for_user (&self->folder, RF_USER_FOLDER_DATA, FOLDER, user);
  return self;
}

/**
 * rf_backup_store_new:
 * @directory: (nullable): where backups live, written as the process is; %NULL
 *   for the invoking user's own (rf_paths_user_new_invoking(): under sudo, the
 *   user who ran it)
 *
 * When the invoking user cannot be told (a `SUDO_UID` that names nobody), every
 * call on the store fails with that error.
 */
RfBackupStore *
rf_backup_store_new (const char *directory)
{
  RfBackupStore *self = g_object_new (RF_TYPE_BACKUP_STORE, NULL);

  rf_user_folder_init (&self->folder, RF_USER_FOLDER_DATA, FOLDER, directory);
  return self;
}

const char *
rf_backup_store_get_directory (RfBackupStore *self)
{
  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);
  return self->folder.directory;
}

/* For tests: @io replaces the file system calls; %NULL restores the real ones. */
void
rf_backup_store_set_io (RfBackupStore         *self,
                        const RfBackupStoreIo *io)
{
  g_return_if_fail (RF_IS_BACKUP_STORE (self));
  rf_user_folder_set_io (&self->folder, io);
}

/**
 * BackupSubject:
 * @family: the family's id, as in data/drives/
 * @protocol: "nec-2m" or "spc-download": how the backup is matched and loaded
 * @drive_id: NEC: the image's trailer ID; SPC: the drive's INQUIRY product
 *
 * What a checked dump is recorded as.
 */
typedef struct {
  const char *family;
  const char *protocol;
  const char *drive_id;
} BackupSubject;

static GKeyFile *
describe (const BackupSubject   *subject,
          const RfDriveIdentity *identity,
          GBytes                *image,
          const char            *sha256,
          const char            *verified,
          const char            *date,
          const char            *image_name)
{
  GKeyFile *info = g_key_file_new ();
  const char *optional[][2] = {
    { "CountingId", identity->bootcode_key },
    { "StoredId", identity->stored_id }, { "BootcodeKey", identity->bootcode_key },
    { "BootcodeVersion", identity->bootcode_version }, { "Vendor", identity->vendor },
    { "Product", identity->product }, { "Revision", identity->revision },
  };

  g_key_file_set_string (info, GROUP, "Image", image_name);
  g_key_file_set_string (info, GROUP, "Family", subject->family);
  g_key_file_set_string (info, GROUP, "Protocol", subject->protocol);
  g_key_file_set_string (info, GROUP, "DriveId", subject->drive_id);
  for (gsize i = 0; i < G_N_ELEMENTS (optional); i++)
    if (optional[i][1] != NULL)
      g_key_file_set_string (info, GROUP, optional[i][0], optional[i][1]);
  g_key_file_set_string (info, GROUP, "Date", date);
  g_key_file_set_string (info, GROUP, "Sha256", sha256);
  g_key_file_set_uint64 (info, GROUP, "Size", g_bytes_get_size (image));
  g_key_file_set_string (info, GROUP, "Verified", verified);
  return info;
}

static RfBackup *backup_from_keyfile (GKeyFile   *info,
                                      const char *directory,
                                      const char *info_path);

/* Both files are written whole under temporary names, then renamed: the keyfile
 * last, since a backup exists for the store only once its keyfile does. */
static gboolean
publish (RfBackupStore *self,
         int            dir_fd,
         const char    *name,
         GBytes        *image,
         const char    *info_text,
         int           *rename_errno,
         GError       **error)
{
  g_autofree char *image_name = g_strconcat (name, ".bin", NULL);
  g_autofree char *image_part = g_strconcat (image_name, PART_SUFFIX, NULL);
  g_autofree char *info_name = g_strconcat (name, INFO_SUFFIX, NULL);
  g_autofree char *info_part = g_strconcat (info_name, PART_SUFFIX, NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  int saved_errno;

  if (!rf_file_io_write_new (&self->folder.io, dir_fd, image_part, data, size, error))
    return FALSE;
  if (!rf_file_io_write_new (&self->folder.io, dir_fd, info_part, (const guint8 *) info_text, strlen (info_text),
                       error))
    {
      rf_file_io_remove (dir_fd, image_part);
      return FALSE;
    }
  if (self->folder.io.rename (dir_fd, image_part, image_name) != 0)
    {
      saved_errno = errno;
      *rename_errno = saved_errno;
      rf_file_io_remove (dir_fd, image_part);
      rf_file_io_remove (dir_fd, info_part);
      return rf_file_io_set_error (error, saved_errno, image_name);
    }
  if (self->folder.io.rename (dir_fd, info_part, info_name) != 0)
    {
      saved_errno = errno;
      *rename_errno = saved_errno;
      rf_file_io_remove (dir_fd, image_name);
      rf_file_io_remove (dir_fd, info_part);
      return rf_file_io_set_error (error, saved_errno, info_name);
    }
  /* The renames live in the folder: until it is synced, a power cut may lose them. */
  if (self->folder.io.fsync (dir_fd) != 0)
    {
      saved_errno = errno;
      rf_file_io_remove (dir_fd, info_name);
      rf_file_io_remove (dir_fd, image_name);
      return rf_file_io_set_error (error, saved_errno, self->folder.directory);
    }
  return TRUE;
}

/* The writing part of rf_backup_store_add(), run as the store's user. A name
 * taken already (the same firmware stored twice within one second, after the
 * first file was changed or moved aside) gets a number; nothing is replaced.
 *
 * Returns: (transfer full) (nullable): the name the backup was stored under */
static char *
store_as_owner (RfBackupStore  *self,
                const char     *name,
                GBytes         *image,
                GKeyFile       *info,
                GError        **error)
{
  int dir_fd = rf_user_folder_open (&self->folder, error);
  g_autoptr(GError) local_error = NULL;

  if (dir_fd < 0)
    return NULL;
  for (guint attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++)
    {
      g_autofree char *candidate = attempt == 1 ? g_strdup (name)
                                                : g_strdup_printf ("%s-%u", name, attempt);
      g_autofree char *image_name = g_strconcat (candidate, ".bin", NULL);
      g_autofree char *info_text = NULL;
      int rename_errno = 0;

      g_key_file_set_string (info, GROUP, "Image", image_name);
      info_text = g_key_file_to_data (info, NULL, NULL);
      g_clear_error (&local_error);
      if (publish (self, dir_fd, candidate, image, info_text, &rename_errno, &local_error))
        {
          self->folder.io.close (dir_fd);
          return g_steal_pointer (&candidate);
        }
      if (rename_errno != EEXIST)
        break;
    }
  self->folder.io.close (dir_fd);
  g_prefix_error (&local_error, "%s: ", self->folder.directory);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

/* Writes a checked dump and its record, as the store's user. */
static RfBackup *
store_checked (RfBackupStore         *self,
               const BackupSubject   *subject,
               const RfDriveIdentity *identity,
               GBytes                *image,
               const char            *verified,
               GError               **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  g_autofree char *id = rf_file_io_safe_name (subject->drive_id, MAX_FILE_ID);
  g_autofree char *name = g_strdup_printf ("%s-%s-%.12s", id, stamp, sha256);
  g_autofree char *image_name = g_strconcat (name, ".bin", NULL);
  g_autofree char *stored_name = NULL;
  g_autofree char *info_name = NULL;
  g_autofree char *info_path = NULL;
  g_autoptr(GKeyFile) info = NULL;
  RfPathsIdentity saved;

  /* Hashed once: 2 MiB of SHA-256 is most of what storing costs. */
  info = describe (subject, identity, image, sha256, verified, date, image_name);
  if (!rf_user_folder_become_owner (&self->folder, &saved, error))
    return NULL;
  stored_name = store_as_owner (self, name, image, info, error);
  rf_paths_user_restore (&saved);
  if (stored_name == NULL)
    return NULL;
  info_name = g_strconcat (stored_name, INFO_SUFFIX, NULL);
  info_path = g_build_filename (self->folder.directory, info_name, NULL);
  return backup_from_keyfile (info, self->folder.directory, info_path);
}

static RfBackup *
add_nec (RfBackupStore         *self,
         const char            *family_id,
         const RfDriveIdentity *identity,
         GBytes                *image,
         const char            *verified,
         GError               **error)
{
  g_autofree char *id = NULL;
  BackupSubject subject = { family_id, "nec-2m", NULL };

  if (!rf_backup_check_nec_dump (identity, image, error))
    return NULL;
  id = g_strndup ((const char *) g_bytes_get_data (image, NULL) + RF_NEC_IMAGE_ID_OFFSET, 4);
  subject.drive_id = id;
  return store_checked (self, &subject, identity, image, verified, error);
}

/**
 * rf_backup_store_add:
 * @identity: the drive the dump came from
 * @image: the dump as a §5 image (checksum, canonical ID, bootcode version)
 * @verified: how the dump was verified, e.g. "two-reads-compared"
 *
 * Stores a dump of an NEC drive (family `nec-2m`), as
 * rf_backup_store_add_for_family() with that family. Refused, with nothing
 * written: a dump of a drive in safe mode (%RF_ERROR_IN_SAFE_MODE), an erased
 * drive's dump, all 0xFF whatever its size (%RF_ERROR_FIRMWARE_ERASED), one
 * whose display strings are not the model of the bootcode's identity
 * (%RF_ERROR_OTHER_MODEL), and a damaged or foreign image
 * (%RF_ERROR_INVALID_DATA or %RF_ERROR_INVALID_FILE). A full disk is
 * %RF_ERROR_NO_SPACE, a read-only folder %RF_ERROR_WRITE or
 * %RF_ERROR_PERMISSION_DENIED, and then nothing is left.
 *
 * Returns: (transfer full): the new backup
 */
RfBackup *
rf_backup_store_add (RfBackupStore         *self,
                     const RfDriveIdentity *identity,
                     GBytes                *image,
                     const char            *verified,
                     GError               **error)
{
  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);
  g_return_val_if_fail (identity != NULL && image != NULL && verified != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return add_nec (self, "nec-2m", identity, image, verified, error);
}

/**
 * rf_backup_store_add_for_family:
 * @family: the drive's family, from the drive data
 * @identity: the drive the dump came from, of @family
 * @image: the dump: for `nec-2m` a §5 image as for rf_backup_store_add(); for
 *   `spc-download` the bytes READ BUFFER mode 2 returned
 * @verified: how the dump was verified, e.g. "two-reads-compared"
 *
 * Stores a dump of a drive of any family that can be backed up. An `nec-2m`
 * dump is checked as by rf_backup_store_add(). An `spc-download` dump is
 * refused, with nothing written, when the drive is in boot mode
 * (%RF_ERROR_IN_SAFE_MODE), when it is all 0xFF whatever its size
 * (%RF_ERROR_FIRMWARE_ERASED), when the family names no dump
 * (%RF_ERROR_NOT_SUPPORTED), when it is not the family's `DumpLength` or the
 * drive's INQUIRY product is unknown (%RF_ERROR_INVALID_DATA), when it is no
 * image of the family (%RF_ERROR_INVALID_FILE), and when its model check
 * names another model (%RF_ERROR_OTHER_MODEL; with several models in the
 * family, the bytes there must be the drive's INQUIRY product). Its record
 * keeps the family, the INQUIRY vendor, product and revision, and the product
 * as its drive ID: SPC backups are offered to drives of the same family,
 * vendor and product. A drive whose identity names another family than
 * @family is refused (%RF_ERROR_INVALID_DATA), and so is any other protocol
 * (%RF_ERROR_NOT_SUPPORTED). Writing fails as for rf_backup_store_add().
 *
 * Returns: (transfer full): the new backup
 */
RfBackup *
rf_backup_store_add_for_family (RfBackupStore         *self,
                                const RfDriveFamily   *family,
                                const RfDriveIdentity *identity,
                                GBytes                *image,
                                const char            *verified,
                                GError               **error)
{
  BackupSubject subject = { NULL, "spc-download", NULL };

  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);
  g_return_val_if_fail (family != NULL && family->id != NULL, NULL);
  g_return_val_if_fail (identity != NULL && image != NULL && verified != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* A record of another family than the drive's would never be offered to it. */
  if (g_strcmp0 (identity->family, family->id) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "the drive is of family %s, not %s",
                   identity->family != NULL ? identity->family : "(none)", family->id);
      return NULL;
    }
  if (g_strcmp0 (family->protocol, "nec-2m") == 0)
    return add_nec (self, family->id, identity, image, verified, error);
  if (g_strcmp0 (family->protocol, "spc-download") != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "no backups for protocol %s",
                   family->protocol);
      return NULL;
    }
  if (!rf_backup_check_spc_dump (family, identity, image, error))
    return NULL;
  subject.family = family->id;
  subject.drive_id = identity->product;
  return store_checked (self, &subject, identity, image, verified, error);
}

static RfBackup *
backup_from_keyfile (GKeyFile   *info,
                     const char *directory,
                     const char *info_path)
{
  g_autoptr(RfBackup) backup = g_new0 (RfBackup, 1);
  g_autofree char *image_name = g_key_file_get_string (info, GROUP, "Image", NULL);

  if (image_name == NULL || strchr (image_name, '/') != NULL)
    return NULL;
  backup->image_path = g_build_filename (directory, image_name, NULL);
  backup->info_path = g_strdup (info_path);
  backup->family = g_key_file_get_string (info, GROUP, "Family", NULL);
  backup->drive_id = g_key_file_get_string (info, GROUP, "DriveId", NULL);
  backup->stored_id = g_key_file_get_string (info, GROUP, "StoredId", NULL);
  backup->bootcode_key = g_key_file_get_string (info, GROUP, "BootcodeKey", NULL);
  backup->bootcode_version = g_key_file_get_string (info, GROUP, "BootcodeVersion", NULL);
  backup->vendor = g_key_file_get_string (info, GROUP, "Vendor", NULL);
  backup->product = g_key_file_get_string (info, GROUP, "Product", NULL);
  backup->revision = g_key_file_get_string (info, GROUP, "Revision", NULL);
  backup->date = g_key_file_get_string (info, GROUP, "Date", NULL);
  backup->sha256 = g_key_file_get_string (info, GROUP, "Sha256", NULL);
  backup->verified = g_key_file_get_string (info, GROUP, "Verified", NULL);
  backup->size = g_key_file_get_uint64 (info, GROUP, "Size", NULL);
  backup->counting_id = g_key_file_get_string (info, GROUP, "CountingId", NULL);
  /* Records written before CountingId existed: the key the bootcode accepted
   * then is that identity. */
  if (backup->counting_id == NULL)
    backup->counting_id = g_strdup (backup->bootcode_key);
  backup->protocol = g_key_file_get_string (info, GROUP, "Protocol", NULL);
  if (backup->protocol == NULL)
    backup->protocol = g_strdup (DEFAULT_PROTOCOL);
  if (backup->family == NULL || backup->drive_id == NULL || backup->date == NULL ||
      backup->sha256 == NULL || backup->verified == NULL)
    return NULL;
  return g_steal_pointer (&backup);
}

static RfBackup *
load_info (const char *directory,
           const char *name)
{
  g_autofree char *path = g_build_filename (directory, name, NULL);
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  RfBackup *backup;

  if (!g_key_file_load_from_file (info, path, G_KEY_FILE_NONE, &error))
    {
      g_debug ("skipping backup record %s: %s", path, error->message);
      return NULL;
    }
  backup = backup_from_keyfile (info, directory, path);
  if (backup == NULL || !g_file_test (backup->image_path, G_FILE_TEST_IS_REGULAR))
    {
      g_debug ("skipping backup record %s: incomplete", path);
      g_clear_pointer (&backup, rf_backup_free);
    }
  return backup;
}

static gint
newest_first (gconstpointer a,
              gconstpointer b)
{
  const RfBackup *x = *(RfBackup *const *) a;
  const RfBackup *y = *(RfBackup *const *) b;

  return g_strcmp0 (y->date, x->date);
}

static GPtrArray *
list_as_owner (RfBackupStore *self,
               GError       **error)
{
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_backup_free);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (self->folder.directory, 0, &local_error);
  if (dir == NULL)
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&backups);
      g_propagate_error (error, g_steal_pointer (&local_error));
      rf_error_convert (error);
      return NULL;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      RfBackup *backup = g_str_has_suffix (name, INFO_SUFFIX) ? load_info (self->folder.directory, name)
                                                              : NULL;

      if (backup != NULL)
        g_ptr_array_add (backups, backup);
    }
  g_ptr_array_sort (backups, newest_first);
  return g_steal_pointer (&backups);
}

/**
 * rf_backup_store_list:
 *
 * Reads the store as its user, as everything the store does.
 *
 * Returns: (transfer container) (element-type RfBackup): every backup, newest
 *   first; empty when the folder does not exist yet
 */
GPtrArray *
rf_backup_store_list (RfBackupStore *self,
                      GError       **error)
{
  RfPathsIdentity saved;
  GPtrArray *backups;

  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);

  if (!rf_user_folder_become_owner (&self->folder, &saved, error))
    return NULL;
  backups = list_as_owner (self, error);
  rf_paths_user_restore (&saved);
  return backups;
}

/**
 * rf_backup_store_list_for_drive:
 *
 * NEC backups are matched on the bootcode's identity, SPC ones on the family,
 * INQUIRY vendor and product.
 *
 * Returns: (transfer container) (element-type RfBackup): the backups of drives
 *   with this identity: candidate images for it, newest first
 */
GPtrArray *
rf_backup_store_list_for_drive (RfBackupStore         *self,
                                const RfDriveIdentity *identity,
                                GError               **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *mine;

  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);
  g_return_val_if_fail (identity != NULL, NULL);

  all = rf_backup_store_list (self, error);
  if (all == NULL)
    return NULL;
  mine = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_backup_free);
  for (guint i = 0; i < all->len; i++)
    if (rf_backup_is_for_drive (all->pdata[i], identity))
      g_ptr_array_add (mine, rf_backup_copy (all->pdata[i]));
  return mine;
}

/* The largest file a backup's image may be: an NEC image has one of two sizes
 * (nec-2m.md §5); any other dump is as long as its record says. The SHA-256
 * then catches a file cut short. 0: the record gives no size to trust. */
static gsize
image_cap (const RfBackup *backup)
{
  if (g_str_equal (backup->protocol, "nec-2m"))
    return RF_NEC_IMAGE_SIZE_VERSIONED;
  return backup->size <= RF_FIRMWARE_MAX_FILE_SIZE ? (gsize) backup->size : 0;
}

/**
 * rf_backup_store_load:
 *
 * Reads a backup's image and checks it against its recorded SHA-256, and an
 * SPC dump also against its recorded size.
 *
 * Returns: (transfer full): the image
 */
GBytes *
rf_backup_store_load (RfBackupStore  *self,
                      const RfBackup *backup,
                      GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *sha256 = NULL;
  RfFirmwareProblem problem;
  RfPathsIdentity saved;

  g_return_val_if_fail (RF_IS_BACKUP_STORE (self), NULL);
  g_return_val_if_fail (backup != NULL, NULL);

  if (image_cap (backup) == 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "%s: its record gives no usable size",
                   backup->info_path);
      return NULL;
    }
  /* Read, not mapped: a file cut short meanwhile must not crash us, and a FIFO
   * or device put in its place is refused without being opened. */
  if (!rf_user_folder_become_owner (&self->folder, &saved, error))
    return NULL;
  bytes = rf_firmware_file_load (backup->image_path, image_cap (backup), &problem, error);
  rf_paths_user_restore (&saved);
  if (bytes == NULL)
    return NULL;
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  if (!g_str_equal (sha256, backup->sha256))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "%s: SHA-256 differs from its record",
                   backup->image_path);
      return NULL;
    }
  return g_steal_pointer (&bytes);
}
