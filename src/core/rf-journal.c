/* rf-journal.c
 *
 * A journal is two files in the user's state folder (reflash/journals):
 * ID.bin, the image exactly as the flash sends it, and ID.journal, a key file
 * saying which drive, which image (with its SHA-256), the verdict and the
 * phase reached. The image is written first and the key file published last,
 * so a journal that can be listed always has its image. Both are synced, and
 * so is the folder, before the flash sends its first command that changes
 * anything: a power cut a moment later must find them.
 *
 * Like backups, journals belong to the user who ran Reflash, also through
 * sudo, and are written as that user with O_NOFOLLOW (rf-file-io.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "rf-device-private.h"
#include "rf-error.h"
#include "rf-file-io.h"
#include "rf-journal.h"
#include "rf-paths-private.h"
#include "rf-user-folder.h"

#define GROUP         "Journal"
#define FOLDER        "reflash" G_DIR_SEPARATOR_S "journals"
#define DRIVE_GROUP   "Drive"
#define FORMAT        1
#define JOURNAL_SUFFIX ".journal"
#define IMAGE_SUFFIX  ".bin"
#define PART_SUFFIX   ".part"
#define MAX_FILE_ID   16
#define MAX_NAME_ATTEMPTS 9
/* A key file is a few hundred bytes; its updates after the point of no
 * return must still fit. */
#define ROOM_FOR_KEY_FILES (64 * 1024)
/* Nothing a journal keeps is larger than a drive's flash. */
#define MAX_IMAGE_SIZE (16 * 1024 * 1024)

static const char *const phase_nicks[] = {
  [RF_JOURNAL_PHASE_STARTED] = "started",
  [RF_JOURNAL_PHASE_ERASING] = "erasing",
  [RF_JOURNAL_PHASE_PROGRAMMED] = "programmed",
  [RF_JOURNAL_PHASE_READ_BACK] = "read-back",
};

struct _RfJournalStore
{
  GObject parent_instance;

  RfUserFolder folder;
};

G_DEFINE_FINAL_TYPE (RfJournalStore, rf_journal_store, G_TYPE_OBJECT)

struct _RfJournal
{
  GObject parent_instance;

  RfJournalStore *store;
  char *id;
  RfJournalPhase phase;
  char *family;
  char *verdict;
  char *port;
  char *node;
  gboolean practice;
  RfDriveIdentity *identity;
  char *image_name;
  char *image_revision;
  char *image_sha256;
  char *image_path;
  guint64 image_size;
  GDateTime *started;
  GDateTime *updated;
  gboolean closed;
};

G_DEFINE_FINAL_TYPE (RfJournal, rf_journal, G_TYPE_OBJECT)

/* ---- the store ---- */

static void
rf_journal_store_finalize (GObject *object)
{
  RfJournalStore *self = RF_JOURNAL_STORE (object);

  rf_user_folder_clear (&self->folder);
  G_OBJECT_CLASS (rf_journal_store_parent_class)->finalize (object);
}

static void
rf_journal_store_class_init (RfJournalStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_journal_store_finalize;
}

static void
rf_journal_store_init (RfJournalStore *self)
{
}

/**
 * rf_journal_store_new_for_user:
 * @user: whose journals
 *
 * The journals in reflash/journals under @user's state folder, written as @user.
 */
RfJournalStore *
rf_journal_store_new_for_user (const RfPathsUser *user)
{
  RfJournalStore *self;

  g_return_val_if_fail (user != NULL, NULL);

  self = g_object_new (RF_TYPE_JOURNAL_STORE, NULL);
  rf_user_folder_init_for_user (&self->folder, RF_USER_FOLDER_STATE, FOLDER, user);
  return self;
}

/**
 * rf_journal_store_new:
 * @directory: (nullable): where journals live, written as the process is;
 *   %NULL for the invoking user's own (under sudo, the user who ran it)
 *
 * When the invoking user cannot be told, every call that writes fails with
 * that error.
 */
RfJournalStore *
rf_journal_store_new (const char *directory)
{
  RfJournalStore *self = g_object_new (RF_TYPE_JOURNAL_STORE, NULL);

  rf_user_folder_init (&self->folder, RF_USER_FOLDER_STATE, FOLDER, directory);
  return self;
}

const char *
rf_journal_store_get_directory (RfJournalStore *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL_STORE (self), NULL);
  return self->folder.directory;
}

/* For tests: @io replaces the file system calls; %NULL restores the real ones. */
void
rf_journal_store_set_io (RfJournalStore        *self,
                         const RfBackupStoreIo *io)
{
  g_return_if_fail (RF_IS_JOURNAL_STORE (self));
  rf_user_folder_set_io (&self->folder, io);
}

/* The store's folder, made when missing, opened as its owner. */
static int
open_folder (RfJournalStore  *self,
             GError         **error)
{
  RfPathsIdentity saved;
  int dir_fd;

  if (!rf_user_folder_become_owner (&self->folder, &saved, error))
    return -1;
  dir_fd = rf_user_folder_open (&self->folder, error);
  rf_paths_user_restore (&saved);
  return dir_fd;
}

/* Whether the owner may write in the folder: a read-only file system or a
 * folder they cannot write to is found before anything is sent to a drive. */
static gboolean
check_writable (RfJournalStore *self,
                int             dir_fd,
                GError        **error)
{
  RfPathsIdentity saved;
  int saved_errno = 0;

  if (!rf_user_folder_become_owner (&self->folder, &saved, error))
    return FALSE;
  /* AT_EACCESS: the thread's file-system ids, which may be the sudo user's. */
  if (faccessat (dir_fd, ".", W_OK, AT_EACCESS) != 0)
    saved_errno = errno;
  rf_paths_user_restore (&saved);
  if (saved_errno == 0)
    return TRUE;
  rf_error_set_from_errno (error, saved_errno, self->folder.directory);
  return FALSE;
}

/**
 * rf_journal_store_check_room:
 * @image_size: the size of the image the journal will keep
 *
 * Asked before a flash sends anything: the folder can be made and written,
 * and holds the image and the key file's updates. A full disk is
 * %RF_ERROR_NO_SPACE, a read-only folder %RF_ERROR_WRITE or
 * %RF_ERROR_PERMISSION_DENIED.
 */
gboolean
rf_journal_store_check_room (RfJournalStore  *self,
                             gsize            image_size,
                             GError         **error)
{
  struct statvfs info;
  int dir_fd;
  gboolean ok;

  g_return_val_if_fail (RF_IS_JOURNAL_STORE (self), FALSE);

  dir_fd = open_folder (self, error);
  if (dir_fd < 0)
    return FALSE;
  ok = check_writable (self, dir_fd, error);
  if (ok && fstatvfs (dir_fd, &info) == 0 &&
      (guint64) info.f_bavail * info.f_frsize < (guint64) image_size + ROOM_FOR_KEY_FILES)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NO_SPACE,
                   "%s: %" G_GUINT64_FORMAT " bytes free, the journal needs %" G_GSIZE_FORMAT,
                   self->folder.directory, (guint64) info.f_bavail * info.f_frsize,
                   image_size + ROOM_FOR_KEY_FILES);
      ok = FALSE;
    }
  close (dir_fd);
  return ok;
}

/* ---- one journal ---- */

static void
rf_journal_finalize (GObject *object)
{
  RfJournal *self = RF_JOURNAL (object);

  g_clear_object (&self->store);
  g_free (self->id);
  g_free (self->family);
  g_free (self->verdict);
  g_free (self->port);
  g_free (self->node);
  g_clear_pointer (&self->identity, rf_drive_identity_free);
  g_free (self->image_name);
  g_free (self->image_revision);
  g_free (self->image_sha256);
  g_free (self->image_path);
  g_clear_pointer (&self->started, g_date_time_unref);
  g_clear_pointer (&self->updated, g_date_time_unref);
  G_OBJECT_CLASS (rf_journal_parent_class)->finalize (object);
}

static void
rf_journal_class_init (RfJournalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_journal_finalize;
}

static void
rf_journal_init (RfJournal *self)
{
}

static char *
file_name (RfJournal  *self,
           const char *suffix)
{
  return g_strconcat (self->id, suffix, NULL);
}

static void
set_id (RfJournal  *self,
        char       *id)
{
  g_autofree char *image = NULL;

  self->id = id;
  image = file_name (self, IMAGE_SUFFIX);
  self->image_path = g_build_filename (self->store->folder.directory, image, NULL);
}

static void
set_optional (GKeyFile   *file,
              const char *group,
              const char *key,
              const char *value)
{
  if (value != NULL)
    g_key_file_set_string (file, group, key, value);
}

static char *
describe (RfJournal *self)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *image = file_name (self, IMAGE_SUFFIX);
  g_autofree char *started = g_date_time_format_iso8601 (self->started);
  g_autofree char *updated = g_date_time_format_iso8601 (self->updated);
  const RfDriveIdentity *drive = self->identity;

  g_key_file_set_integer (file, GROUP, "Format", FORMAT);
  g_key_file_set_string (file, GROUP, "Phase", phase_nicks[self->phase]);
  g_key_file_set_string (file, GROUP, "Started", started);
  g_key_file_set_string (file, GROUP, "Updated", updated);
  g_key_file_set_string (file, GROUP, "Family", self->family);
  g_key_file_set_string (file, GROUP, "Verdict", self->verdict);
  g_key_file_set_string (file, GROUP, "Image", image);
  set_optional (file, GROUP, "ImageName", self->image_name);
  set_optional (file, GROUP, "ImageRevision", self->image_revision);
  g_key_file_set_string (file, GROUP, "ImageSha256", self->image_sha256);
  g_key_file_set_uint64 (file, GROUP, "ImageSize", self->image_size);
  g_key_file_set_boolean (file, DRIVE_GROUP, "Practice", self->practice);
  set_optional (file, DRIVE_GROUP, "Port", self->port);
  set_optional (file, DRIVE_GROUP, "Node", self->node);
  set_optional (file, DRIVE_GROUP, "Vendor", drive->vendor);
  set_optional (file, DRIVE_GROUP, "Product", drive->product);
  set_optional (file, DRIVE_GROUP, "Revision", drive->revision);
  g_key_file_set_boolean (file, DRIVE_GROUP, "SafeMode", drive->safe_mode);
  set_optional (file, DRIVE_GROUP, "Serial", drive->serial);
  set_optional (file, DRIVE_GROUP, "StoredId", drive->stored_id);
  set_optional (file, DRIVE_GROUP, "RidCode", drive->rid_code);
  set_optional (file, DRIVE_GROUP, "BootcodeKey", drive->bootcode_key);
  set_optional (file, DRIVE_GROUP, "BootcodeVersion", drive->bootcode_version);
  return g_key_file_to_data (file, NULL, NULL);
}

/* Writes the key file under a temporary name and moves it over the old one:
 * a crash leaves the old or the new, never half of one. A link planted at
 * either name is refused (O_EXCL | O_NOFOLLOW) or replaced, never followed. */
static gboolean
write_key_file (RfJournal  *self,
                int         dir_fd,
                gboolean    first,
                GError    **error)
{
  RfJournalStore *store = self->store;
  g_autofree char *name = file_name (self, JOURNAL_SUFFIX);
  g_autofree char *part = g_strconcat (name, PART_SUFFIX, NULL);
  g_autofree char *text = describe (self);
  int moved;

  /* A part left by a process that died while writing it. */
  if (unlinkat (dir_fd, part, 0) != 0 && errno != ENOENT)
    return rf_file_io_set_error (error, errno, part);
  if (!rf_file_io_write_new (&store->folder.io, dir_fd, part, (const guint8 *) text, strlen (text),
                             error))
    return FALSE;
  moved = first ? store->folder.io.rename (dir_fd, part, name) : renameat (dir_fd, part, dir_fd, name);
  if (moved != 0)
    {
      int saved_errno = errno;

      rf_file_io_remove (dir_fd, part);
      return rf_file_io_set_error (error, saved_errno, name);
    }
  if (store->folder.io.fsync (dir_fd) != 0)
    return rf_file_io_set_error (error, errno, store->folder.directory);
  return TRUE;
}

static gboolean
write_image (RfJournal  *self,
             int         dir_fd,
             GBytes     *image,
             GError    **error)
{
  RfJournalStore *store = self->store;
  g_autofree char *name = file_name (self, IMAGE_SUFFIX);
  g_autofree char *part = g_strconcat (name, PART_SUFFIX, NULL);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);

  if (!rf_file_io_write_new (&store->folder.io, dir_fd, part, data, size, error))
    return FALSE;
  if (store->folder.io.rename (dir_fd, part, name) == 0)
    return TRUE;
  rf_file_io_remove (dir_fd, part);
  return rf_file_io_set_error (error, errno, name);
}

/* Runs @write as the store's owner in the store's folder. */
static gboolean
as_owner (RfJournal  *self,
          gboolean  (*write) (RfJournal *self, int dir_fd, gpointer data, GError **error),
          gpointer    data,
          GError    **error)
{
  RfJournalStore *store = self->store;
  RfPathsIdentity saved;
  int dir_fd;
  gboolean ok;

  if (!rf_user_folder_become_owner (&store->folder, &saved, error))
    return FALSE;
  dir_fd = rf_user_folder_open (&store->folder, error);
  ok = dir_fd >= 0 && write (self, dir_fd, data, error);
  if (dir_fd >= 0)
    store->folder.io.close (dir_fd);
  rf_paths_user_restore (&saved);
  if (!ok)
    g_prefix_error (error, "journal %s: ", self->id);
  return ok;
}

static gboolean
write_new_journal (RfJournal *self,
                   int        dir_fd,
                   gpointer   image,
                   GError   **error)
{
  g_autofree char *image_name = file_name (self, IMAGE_SUFFIX);

  if (!write_image (self, dir_fd, image, error))
    return FALSE;
  if (write_key_file (self, dir_fd, TRUE, error))
    return TRUE;
  rf_file_io_remove (dir_fd, image_name);
  return FALSE;
}

static char *
make_id (const RfDriveIdentity *identity,
         const char            *sha256,
         GDateTime             *now)
{
  const char *drive_id = rf_drive_identity_counting_id (identity);
  g_autofree char *safe = rf_file_io_safe_name (drive_id != NULL ? drive_id : "drive",
                                                MAX_FILE_ID);
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  return g_strdup_printf ("%s-%s-%.8s", safe, stamp, sha256);
}

/* The same image flashed again to the same drive within one second, while
 * the first run's journal is still open (its flash ended on the recovery
 * path), gets "-2", "-3"...: an open journal is never replaced. */
static gboolean
write_under_free_name (RfJournal             *journal,
                       const RfDriveIdentity *identity,
                       GBytes                *image,
                       GError               **error)
{
  g_autofree char *base = make_id (identity, journal->image_sha256, journal->started);

  for (guint attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++)
    {
      g_autoptr(GError) local_error = NULL;

      g_clear_pointer (&journal->id, g_free);
      g_clear_pointer (&journal->image_path, g_free);
      set_id (journal, attempt == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, attempt));
      if (as_owner (journal, write_new_journal, image, &local_error))
        return TRUE;
      if (attempt == MAX_NAME_ATTEMPTS || !rf_file_io_error_is_exists (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  return FALSE;
}

/**
 * rf_journal_store_begin:
 * @device: the drive, as listed (its port path and node)
 * @identity: the drive as the flash job's deep look found it
 * @verdict: the verdict's code ("recovery")
 * @image_name: (nullable): the image file's name, for people
 * @image_revision: (nullable): the revision the image brings
 * @image: the image exactly as it will be sent
 *
 * Writes a new journal, synced with its folder, before the flash changes
 * anything. A full disk is %RF_ERROR_NO_SPACE, a read-only folder
 * %RF_ERROR_WRITE or %RF_ERROR_PERMISSION_DENIED; then nothing is left.
 *
 * Returns: (transfer full): the open journal, phase %RF_JOURNAL_PHASE_STARTED
 */
RfJournal *
rf_journal_store_begin (RfJournalStore        *self,
                        RfDevice              *device,
                        const RfDriveIdentity *identity,
                        const char            *verdict,
                        const char            *image_name,
                        const char            *image_revision,
                        GBytes                *image,
                        GError               **error)
{
  g_autoptr(RfJournal) journal = NULL;

  g_return_val_if_fail (RF_IS_JOURNAL_STORE (self), NULL);
  g_return_val_if_fail (RF_IS_DEVICE (device), NULL);
  g_return_val_if_fail (identity != NULL && identity->family != NULL, NULL);
  g_return_val_if_fail (verdict != NULL && image != NULL, NULL);

  journal = g_object_new (RF_TYPE_JOURNAL, NULL);
  journal->store = g_object_ref (self);
  journal->started = g_date_time_new_now_utc ();
  journal->updated = g_date_time_ref (journal->started);
  journal->phase = RF_JOURNAL_PHASE_STARTED;
  journal->family = g_strdup (identity->family);
  journal->verdict = g_strdup (verdict);
  journal->practice = rf_device_is_practice (device);
  journal->port = g_strdup (rf_device_get_port_path (device));
  journal->node = g_strdup (rf_device_get_sg_path (device) != NULL ? rf_device_get_sg_path (device)
                                                                    : rf_device_get_id (device));
  journal->identity = rf_drive_identity_copy (identity);
  journal->image_name = g_strdup (image_name);
  journal->image_revision = g_strdup (image_revision);
  journal->image_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  journal->image_size = g_bytes_get_size (image);
  if (!write_under_free_name (journal, identity, image, error))
    return NULL;
  g_debug ("journal %s written in %s", journal->id, self->folder.directory);
  return g_steal_pointer (&journal);
}

static gboolean
rewrite_key_file (RfJournal *self,
                  int        dir_fd,
                  gpointer   data,
                  GError   **error)
{
  return write_key_file (self, dir_fd, FALSE, error);
}

/**
 * rf_journal_set_phase:
 *
 * Records that the flash reached @phase, synced. An earlier phase than the
 * one recorded changes nothing: a resumed run starts from the beginning, but
 * the drive stays as far gone as the first run left it.
 */
gboolean
rf_journal_set_phase (RfJournal       *self,
                      RfJournalPhase   phase,
                      GError         **error)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (phase <= RF_JOURNAL_PHASE_READ_BACK, FALSE);

  if (phase <= self->phase || self->closed)
    return TRUE;
  self->phase = phase;
  g_clear_pointer (&self->updated, g_date_time_unref);
  self->updated = g_date_time_new_now_utc ();
  return as_owner (self, rewrite_key_file, NULL, error);
}

static gboolean
remove_files (RfJournal *self,
              int        dir_fd,
              gpointer   data,
              GError   **error)
{
  /* The key file first: a journal half closed is not listed. */
  const char *suffixes[] = { JOURNAL_SUFFIX, IMAGE_SUFFIX };

  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = file_name (self, suffixes[i]);

      if (unlinkat (dir_fd, name, 0) != 0 && errno != ENOENT)
        return rf_file_io_set_error (error, errno, name);
    }
  if (self->store->folder.io.fsync (dir_fd) != 0)
    return rf_file_io_set_error (error, errno, self->store->folder.directory);
  return TRUE;
}

/**
 * rf_journal_close:
 *
 * Ends the journal: its files are removed. Called once the flash was
 * verified, when the drive was found unchanged, or when the person discards
 * it.
 */
gboolean
rf_journal_close (RfJournal  *self,
                  GError    **error)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), FALSE);

  if (self->closed)
    return TRUE;
  if (!as_owner (self, remove_files, NULL, error))
    return FALSE;
  self->closed = TRUE;
  g_debug ("journal %s closed", self->id);
  return TRUE;
}

/* ---- reading journals back ---- */

/* Reads a file of the store's folder, never through a link, at most @limit bytes. */
static GBytes *
read_file_at (int          dir_fd,
              const char  *name,
              gsize        limit,
              GError     **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[64 * 1024];
  int fd = openat (dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0)
    {
      rf_error_set_from_errno (error, errno, name);
      return NULL;
    }
  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          rf_error_set_from_errno (error, errno, name);
          close (fd);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (data, buffer, (guint) n);
      if (data->len > limit)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: larger than %" G_GSIZE_FORMAT
                       " bytes", name, limit);
          close (fd);
          return NULL;
        }
    }
  close (fd);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static GDateTime *
get_date (GKeyFile   *file,
          const char *key)
{
  g_autofree char *text = g_key_file_get_string (file, GROUP, key, NULL);
  GDateTime *date = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return date != NULL ? date : g_date_time_new_from_unix_utc (0);
}

static gboolean
parse_phase (const char     *nick,
             RfJournalPhase *phase)
{
  for (gsize i = 0; i < G_N_ELEMENTS (phase_nicks); i++)
    if (g_strcmp0 (nick, phase_nicks[i]) == 0)
      {
        *phase = (RfJournalPhase) i;
        return TRUE;
      }
  return FALSE;
}

static RfDriveIdentity *
identity_from_key_file (GKeyFile   *file,
                        const char *family)
{
  RfDriveIdentity *identity = rf_drive_identity_new ();

  identity->family = g_strdup (family);
  identity->vendor = g_key_file_get_string (file, DRIVE_GROUP, "Vendor", NULL);
  identity->product = g_key_file_get_string (file, DRIVE_GROUP, "Product", NULL);
  identity->revision = g_key_file_get_string (file, DRIVE_GROUP, "Revision", NULL);
  identity->safe_mode = g_key_file_get_boolean (file, DRIVE_GROUP, "SafeMode", NULL);
  identity->serial = g_key_file_get_string (file, DRIVE_GROUP, "Serial", NULL);
  identity->stored_id = g_key_file_get_string (file, DRIVE_GROUP, "StoredId", NULL);
  identity->rid_code = g_key_file_get_string (file, DRIVE_GROUP, "RidCode", NULL);
  identity->bootcode_key = g_key_file_get_string (file, DRIVE_GROUP, "BootcodeKey", NULL);
  identity->bootcode_version = g_key_file_get_string (file, DRIVE_GROUP, "BootcodeVersion",
                                                      NULL);
  return identity;
}

static RfJournal *
journal_from_key_file (RfJournalStore  *store,
                       const char      *id,
                       GKeyFile        *file,
                       GError         **error)
{
  g_autoptr(RfJournal) journal = g_object_new (RF_TYPE_JOURNAL, NULL);
  g_autofree char *phase = g_key_file_get_string (file, GROUP, "Phase", NULL);
  g_autofree char *image = g_key_file_get_string (file, GROUP, "Image", NULL);
  g_autofree char *expected_image = g_strconcat (id, IMAGE_SUFFIX, NULL);

  journal->store = g_object_ref (store);
  set_id (journal, g_strdup (id));
  journal->family = g_key_file_get_string (file, GROUP, "Family", NULL);
  journal->verdict = g_key_file_get_string (file, GROUP, "Verdict", NULL);
  journal->image_sha256 = g_key_file_get_string (file, GROUP, "ImageSha256", NULL);
  journal->image_size = g_key_file_get_uint64 (file, GROUP, "ImageSize", NULL);
  /* The image is always ID.bin beside its key file: a key file that names
   * another file is not followed there. */
  if (g_key_file_get_integer (file, GROUP, "Format", NULL) != FORMAT ||
      !parse_phase (phase, &journal->phase) || journal->family == NULL ||
      journal->verdict == NULL || journal->image_sha256 == NULL ||
      g_strcmp0 (image, expected_image) != 0 || journal->image_size == 0 ||
      journal->image_size > MAX_IMAGE_SIZE)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED, "journal %s: not a journal", id);
      return NULL;
    }
  journal->image_name = g_key_file_get_string (file, GROUP, "ImageName", NULL);
  journal->image_revision = g_key_file_get_string (file, GROUP, "ImageRevision", NULL);
  journal->started = get_date (file, "Started");
  journal->updated = get_date (file, "Updated");
  journal->practice = g_key_file_get_boolean (file, DRIVE_GROUP, "Practice", NULL);
  journal->port = g_key_file_get_string (file, DRIVE_GROUP, "Port", NULL);
  journal->node = g_key_file_get_string (file, DRIVE_GROUP, "Node", NULL);
  journal->identity = identity_from_key_file (file, journal->family);
  return g_steal_pointer (&journal);
}

static RfJournal *
load_journal (RfJournalStore  *store,
              int              dir_fd,
              const char      *name,
              GError         **error)
{
  g_autofree char *id = g_strndup (name, strlen (name) - strlen (JOURNAL_SUFFIX));
  g_autoptr(GBytes) text = read_file_at (dir_fd, name, ROOM_FOR_KEY_FILES, error);
  g_autoptr(GKeyFile) file = g_key_file_new ();
  gsize length;
  const char *data;

  if (text == NULL)
    return NULL;
  data = g_bytes_get_data (text, &length);
  if (!g_key_file_load_from_data (file, data, length, G_KEY_FILE_NONE, NULL))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED, "journal %s: unreadable", id);
      return NULL;
    }
  return journal_from_key_file (store, id, file, error);
}

static gint
by_start (gconstpointer a,
          gconstpointer b)
{
  RfJournal *first = *(RfJournal **) a;
  RfJournal *second = *(RfJournal **) b;
  gint order = g_date_time_compare (first->started, second->started);

  return order != 0 ? order : g_strcmp0 (first->id, second->id);
}

/* Opens the folder to read it, without making it. */
static int
open_existing_folder (RfJournalStore  *self,
                      GError         **error)
{
  int fd = open (self->folder.directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0 && errno != ENOENT)
    rf_error_set_from_errno (error, errno, self->folder.directory);
  return fd;
}

/**
 * rf_journal_store_list:
 *
 * The open journals, oldest first. Reading them sends nothing to any drive.
 * A key file that cannot be read is left where it is and logged.
 *
 * Returns: (transfer full) (element-type RfJournal): the journals; %NULL only
 *   when the folder exists and cannot be read
 */
GPtrArray *
rf_journal_store_list (RfJournalStore  *self,
                       GError         **error)
{
  g_autoptr(GPtrArray) journals = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  int dir_fd;
  int scan_fd;
  DIR *dir;
  struct dirent *entry;

  g_return_val_if_fail (RF_IS_JOURNAL_STORE (self), NULL);

  dir_fd = open_existing_folder (self, &local_error);
  if (dir_fd < 0)
    {
      if (local_error == NULL)
        return g_steal_pointer (&journals);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  scan_fd = dup (dir_fd);
  dir = scan_fd >= 0 ? fdopendir (scan_fd) : NULL;
  if (dir == NULL)
    {
      rf_error_set_from_errno (error, errno, self->folder.directory);
      if (scan_fd >= 0)
        close (scan_fd);
      close (dir_fd);
      return NULL;
    }
  while ((entry = readdir (dir)) != NULL)
    {
      g_autoptr(GError) load_error = NULL;
      RfJournal *journal;

      if (!g_str_has_suffix (entry->d_name, JOURNAL_SUFFIX) ||
          g_str_equal (entry->d_name, JOURNAL_SUFFIX))
        continue;
      journal = load_journal (self, dir_fd, entry->d_name, &load_error);
      if (journal != NULL)
        g_ptr_array_add (journals, journal);
      else
        g_message ("%s: %s", self->folder.directory, load_error->message);
    }
  closedir (dir);
  close (dir_fd);
  g_ptr_array_sort (journals, by_start);
  return g_steal_pointer (&journals);
}

/**
 * rf_journal_store_find:
 * @id: a journal's id, as rf_journal_get_id() gives it
 *
 * Returns: (transfer full) (nullable): the open journal, or %RF_ERROR_NOT_FOUND
 */
RfJournal *
rf_journal_store_find (RfJournalStore  *self,
                       const char      *id,
                       GError         **error)
{
  g_autoptr(GPtrArray) journals = NULL;

  g_return_val_if_fail (RF_IS_JOURNAL_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  journals = rf_journal_store_list (self, error);
  if (journals == NULL)
    return NULL;
  for (guint i = 0; i < journals->len; i++)
    if (g_str_equal (RF_JOURNAL (journals->pdata[i])->id, id))
      return g_object_ref (journals->pdata[i]);
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "no open journal %s in %s", id,
               self->folder.directory);
  return NULL;
}

/**
 * rf_journal_load_image:
 *
 * The journal's copy of the image, after its size and SHA-256 were checked:
 * a copy changed on disk is %RF_ERROR_JOURNAL_DAMAGED and never flashed.
 *
 * Returns: (transfer full): the image as the interrupted flash sent it
 */
GBytes *
rf_journal_load_image (RfJournal  *self,
                       GError    **error)
{
  g_autofree char *name = NULL;
  g_autofree char *sha256 = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autoptr(GError) local_error = NULL;
  int dir_fd;

  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);

  dir_fd = open_existing_folder (self->store, &local_error);
  if (dir_fd < 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED, "journal %s: folder gone: %s",
                   self->id, local_error != NULL ? local_error->message : "missing");
      return NULL;
    }
  name = file_name (self, IMAGE_SUFFIX);
  image = read_file_at (dir_fd, name, MAX_IMAGE_SIZE, &local_error);
  close (dir_fd);
  if (image != NULL)
    sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  if (image == NULL || g_bytes_get_size (image) != self->image_size ||
      g_strcmp0 (sha256, self->image_sha256) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED,
                   "journal %s: the copy of the image %s", self->id,
                   image == NULL ? local_error->message : "does not have its SHA-256");
      return NULL;
    }
  return g_steal_pointer (&image);
}

/* ---- matching drives ---- */

/**
 * rf_journal_match_listed:
 * @device: a drive after a passive look
 *
 * nec-2m.md §3 "Matching the drive after a reboot", with passive facts only:
 * a drive of the journal's family on the journal's port is a candidate; on
 * another port only after the person confirms it. A practice journal matches
 * only the practice drive of its name, and a real one only real drives.
 */
RfJournalMatch
rf_journal_match_listed (RfJournal *self,
                         RfDevice  *device)
{
  g_autoptr(RfDriveIdentity) identity = NULL;
  const char *port;

  g_return_val_if_fail (RF_IS_JOURNAL (self), RF_JOURNAL_MATCH_NONE);
  g_return_val_if_fail (RF_IS_DEVICE (device), RF_JOURNAL_MATCH_NONE);

  if (rf_device_is_practice (device) != self->practice)
    return RF_JOURNAL_MATCH_NONE;
  identity = rf_device_dup_identity (device);
  if (g_strcmp0 (identity->family, self->family) != 0)
    return RF_JOURNAL_MATCH_NONE;
  port = rf_device_get_port_path (device);
  if (port != NULL && g_strcmp0 (port, self->port) == 0)
    return RF_JOURNAL_MATCH_SAME_PORT;
  /* A practice drive has no port to move to: another name is another drive. */
  return self->practice ? RF_JOURNAL_MATCH_NONE : RF_JOURNAL_MATCH_OTHER_PORT;
}

/**
 * rf_journal_check_identity:
 * @identity: the drive as a deep look found it, under the job's lock
 *
 * Before anything is written on resume: stored ID, bootcode key and bootcode
 * version must be the journal's. Else %RF_ERROR_OTHER_DRIVE.
 */
gboolean
rf_journal_check_identity (RfJournal              *self,
                           const RfDriveIdentity  *identity,
                           GError                **error)
{
  const RfDriveIdentity *expected;
  const char *differs = NULL;

  g_return_val_if_fail (RF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  expected = self->identity;
  if (g_strcmp0 (identity->family, self->family) != 0)
    differs = "family";
  else if (g_strcmp0 (identity->stored_id, expected->stored_id) != 0)
    differs = "stored ID";
  else if (g_strcmp0 (identity->bootcode_key, expected->bootcode_key) != 0)
    differs = "bootcode key";
  else if (g_strcmp0 (identity->bootcode_version, expected->bootcode_version) != 0)
    differs = "bootcode version";
  if (differs == NULL)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_OTHER_DRIVE,
               "journal %s: the drive's %s is not the journal's (stored ID %s, bootcode %s "
               "version %s; journal %s, %s, %s)", self->id, differs,
               identity->stored_id, identity->bootcode_key, identity->bootcode_version,
               expected->stored_id, expected->bootcode_key, expected->bootcode_version);
  return FALSE;
}

/**
 * rf_journal_drive_is_unchanged:
 * @identity: the drive as a deep look found it
 *
 * nec-2m.md §3: a run that stopped before the first erase, on a drive that
 * now identifies in normal mode with the revision it had, left it unchanged.
 */
gboolean
rf_journal_drive_is_unchanged (RfJournal             *self,
                               const RfDriveIdentity *identity)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  return self->phase == RF_JOURNAL_PHASE_STARTED && !self->identity->safe_mode &&
         !identity->safe_mode && self->identity->revision != NULL &&
         g_strcmp0 (identity->revision, self->identity->revision) == 0;
}

/* ---- what a journal says ---- */

const char *
rf_journal_get_id (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->id;
}

RfJournalPhase
rf_journal_get_phase (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), RF_JOURNAL_PHASE_STARTED);
  return self->phase;
}

const char *
rf_journal_get_family (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->family;
}

const char *
rf_journal_get_verdict (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->verdict;
}

/**
 * rf_journal_get_port:
 *
 * Returns: (nullable): the drive's port path (a practice drive's name)
 */
const char *
rf_journal_get_port (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->port;
}

/**
 * rf_journal_get_node:
 *
 * Returns: (nullable): the node the drive had when the journal was written,
 *   for people only: it may be another drive's after a reboot
 */
const char *
rf_journal_get_node (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->node;
}

gboolean
rf_journal_is_practice (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), FALSE);
  return self->practice;
}

/**
 * rf_journal_get_identity:
 *
 * Returns: (transfer none): the drive as the flash found it before it began
 */
const RfDriveIdentity *
rf_journal_get_identity (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->identity;
}

const char *
rf_journal_get_image_name (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->image_name;
}

const char *
rf_journal_get_image_revision (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->image_revision;
}

const char *
rf_journal_get_image_sha256 (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->image_sha256;
}

/**
 * rf_journal_get_image_path:
 *
 * Returns: (transfer none): where the journal's copy of the image lies
 */
const char *
rf_journal_get_image_path (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->image_path;
}

GDateTime *
rf_journal_get_started (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->started;
}

GDateTime *
rf_journal_get_updated (RfJournal *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL (self), NULL);
  return self->updated;
}

const char *
rf_journal_phase_to_nick (RfJournalPhase phase)
{
  g_return_val_if_fail (phase <= RF_JOURNAL_PHASE_READ_BACK, NULL);
  return phase_nicks[phase];
}
