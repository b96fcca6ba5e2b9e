/* test-backup-store.c: storing dumps atomically, refusing erased drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-backup-store.h"
#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"
#include "rf-paths-private.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

typedef struct {
  char *dir;
  RfBackupStore *store;
  RfDriveIdentity *identity;
} Fixture;

/* A healthy ND-3550A after its deep check, running 1.05. */
static RfDriveIdentity *
healthy_3550 (void)
{
  RfDriveIdentity *identity = rf_drive_identity_new ();

  identity->family = g_strdup ("nec-2m");
  identity->vendor = g_strdup ("_NEC");
  identity->product = g_strdup ("DVD_RW ND-3550A");
  identity->revision = g_strdup ("1.05");
  identity->stored_id = g_strdup ("K355");
  identity->bootcode_key = g_strdup ("K355");
  identity->bootcode_version = g_strdup ("05");
  return identity;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("reflash-backups-XXXXXX", &error);

  g_assert_no_error (error);
  fixture->dir = g_steal_pointer (&tmp);
  fixture->store = rf_backup_store_new (fixture->dir);
  fixture->identity = healthy_3550 ();
}


static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_object_unref (fixture->store);
  rf_drive_identity_free (fixture->identity);
}

static void
test_add_and_list (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = rf_backup_store_add (fixture->store, fixture->identity, image,
                                                    "two-reads-compared", &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, image);
  RfBackup *listed;

  g_assert_no_error (error);
  g_assert_nonnull (backup);
  /* The image and its keyfile, nothing else. */
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 2);
  all = rf_backup_store_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  listed = all->pdata[0];
  g_assert_cmpstr (listed->family, ==, "nec-2m");
  g_assert_cmpstr (listed->drive_id, ==, "K355");
  g_assert_cmpstr (listed->stored_id, ==, "K355");
  g_assert_cmpstr (listed->bootcode_version, ==, "05");
  g_assert_cmpstr (listed->revision, ==, "1.05");
  g_assert_cmpstr (listed->verified, ==, "two-reads-compared");
  g_assert_cmpstr (listed->sha256, ==, sha);
  g_assert_cmpuint (listed->size, ==, RF_NEC_IMAGE_SIZE_VERSIONED);
  g_assert_nonnull (listed->date);
  loaded = rf_backup_store_load (fixture->store, listed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, image));
}

static void
test_for_drive (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfBackup) backup = rf_backup_store_add (fixture->store, fixture->identity, image,
                                                    "two-reads-compared", NULL);
  g_autoptr(RfDriveIdentity) other = rf_drive_identity_copy (fixture->identity);
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) theirs = NULL;

  g_assert_nonnull (backup);
  mine = rf_backup_store_list_for_drive (fixture->store, fixture->identity, NULL);
  g_assert_cmpuint (mine->len, ==, 1);
  g_free (other->bootcode_key);
  other->bootcode_key = g_strdup ("K450");
  theirs = rf_backup_store_list_for_drive (fixture->store, other, NULL);
  g_assert_cmpuint (theirs->len, ==, 0);
}

/* The recovered seed: a half-done crossflash left K451 stored, but the bootcode
 * answers to K355 and the drive runs ND-3550A firmware again. */
static void
make_recovered_seed (RfDriveIdentity *identity)
{
  g_free (identity->stored_id);
  identity->stored_id = g_strdup ("K451");
}

static void
test_recovered_seed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) own = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GBytes) stored = rf_test_image ("K451", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;
  g_autoptr(RfBackup) wrong = NULL;
  g_autoptr(GPtrArray) mine = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(RfDriveIdentity) unproven = NULL;
  g_autoptr(GKeyFile) info = g_key_file_new ();
  g_autofree char *counting = NULL;
  RfBackup *listed;

  make_recovered_seed (fixture->identity);
  backup = rf_backup_store_add (fixture->store, fixture->identity, own, "two-reads-compared",
                                &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_cmpstr (backup->counting_id, ==, "K355");
  /* The stored ID stays in the record, as information. */
  g_assert_cmpstr (backup->stored_id, ==, "K451");
  g_assert_true (g_key_file_load_from_file (info, backup->info_path, G_KEY_FILE_NONE, NULL));
  counting = g_key_file_get_string (info, "Backup", "CountingId", NULL);
  g_assert_cmpstr (counting, ==, "K355");

  /* A dump naming the stored ID is another model's image for this bootcode. */
  wrong = rf_backup_store_add (fixture->store, fixture->identity, stored, "two-reads-compared",
                               &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
  g_assert_null (wrong);

  mine = rf_backup_store_list_for_drive (fixture->store, fixture->identity, NULL);
  g_assert_cmpuint (mine->len, ==, 1);
  listed = mine->pdata[0];
  g_assert_cmpstr (listed->drive_id, ==, "K355");
  g_assert_cmpstr (listed->counting_id, ==, "K355");

  /* Without a proven bootcode the drive gets no backup offered. */
  unproven = rf_drive_identity_copy (fixture->identity);
  g_clear_pointer (&unproven->bootcode_key, g_free);
  none = rf_backup_store_list_for_drive (fixture->store, unproven, NULL);
  g_assert_cmpuint (none->len, ==, 0);
}

/* Asserts that adding @image for the fixture's drive fails with @code and
 * leaves the folder as it was: empty. */
static void
assert_refused (Fixture *fixture,
                GBytes  *image,
                RfError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = rf_backup_store_add (fixture->store, fixture->identity, image,
                                                    "two-reads-compared", &error);

  g_assert_null (backup);
  g_assert_error (error, RF_ERROR, (gint) code);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
}

/* All 0xFF, checksum 0x0000: a drive without firmware (nec-2m.md §4), refused
 * whatever the dump's size: with the bootcode version in its trailer, without
 * it, or cut short. */
static void
test_erased_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  gsize size = GPOINTER_TO_SIZE (data);
  guint8 *erased = g_malloc (size);
  g_autoptr(GBytes) bytes = NULL;

  memset (erased, 0xff, MIN (size, (gsize) RF_NEC_MAIN_SIZE));
  if (size >= RF_NEC_IMAGE_SIZE)
    {
      erased[RF_NEC_IMAGE_CHECKSUM_OFFSET] = 0;
      erased[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1] = 0;
      memcpy (erased + RF_NEC_IMAGE_ID_OFFSET, "K355", 4);
    }
  if (size == RF_NEC_IMAGE_SIZE_VERSIONED)
    memcpy (erased + RF_NEC_IMAGE_VERSION_OFFSET, "05", 2);
  bytes = g_bytes_new_take (erased, size);
  g_assert_true (rf_backup_image_is_erased (bytes));
  assert_refused (fixture, bytes, RF_ERROR_FIRMWARE_ERASED);
}

/* In safe mode only the bootcode runs: what a dump reads is no firmware that
 * ran, even when it looks like a whole image. */
static void
test_safe_mode_refused (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");

  fixture->identity->safe_mode = TRUE;
  g_free (fixture->identity->revision);
  fixture->identity->revision = g_strdup ("0.05");
  assert_refused (fixture, image, RF_ERROR_IN_SAFE_MODE);
}

/* The trailer is the dumping host's; the display strings are the firmware's
 * own. A K355 bootcode running ND-4551A firmware (a crossflash) dumps another
 * model's firmware, and a dump without display strings names no model. */
static void
test_other_model_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  const RfNecImageSpec crossflashed = { .drive_id = "K355", .bootcode_version = "05",
                                        .vendor = "_NEC", .product = "DVD_RW ND-4551A",
                                        .revision = "1.05" };
  g_autoptr(GBytes) other = rf_nec_image_build (&crossflashed);
  g_autoptr(GBytes) nameless = rf_test_image ("K355", "05", NULL);

  assert_refused (fixture, other, RF_ERROR_OTHER_MODEL);
  assert_refused (fixture, nameless, RF_ERROR_OTHER_MODEL);
}

static void
test_unproven_refused (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K451", "05", "1.05");

  make_recovered_seed (fixture->identity);
  g_clear_pointer (&fixture->identity->bootcode_key, g_free);
  assert_refused (fixture, image, RF_ERROR_INVALID_DATA);
}

static void
test_damaged_refused (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) bytes = rf_test_image_damaged (RF_TEST_DAMAGE_CHECKSUM);

  assert_refused (fixture, bytes, RF_ERROR_INVALID_FILE);
}

static void
test_other_drive_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K450", "05", "1.07");

  /* The fixture's drive is a K355: a K450 image is not its dump. */
  assert_refused (fixture, image, RF_ERROR_INVALID_DATA);
}

/* Injected failures: a disk that fills up after some bytes, a read-only folder,
 * a rename that fails. */
static gsize space_left;
static int open_errno;
static int rename_errno;
static guint renames_before_failure;

static int
fake_open (int         dir_fd,
           const char *name,
           int         flags,
           int         mode)
{
  if (open_errno != 0)
    {
      errno = open_errno;
      return -1;
    }
  return openat (dir_fd, name, flags, mode);
}

static gssize
fake_write (int         fd,
            const void *buffer,
            gsize       count)
{
  gssize n;

  if (space_left == 0)
    {
      errno = ENOSPC;
      return -1;
    }
  n = write (fd, buffer, MIN (count, space_left));
  if (n > 0)
    space_left -= (gsize) n;
  return n;
}

static int
fake_rename (int         dir_fd,
             const char *from,
             const char *to)
{
  if (rename_errno != 0 && renames_before_failure-- == 0)
    {
      errno = rename_errno;
      return -1;
    }
  return renameat (dir_fd, from, dir_fd, to);
}

static const RfBackupStoreIo fake_io = { fake_open, fake_write, NULL, fake_rename };

static void
assert_add_fails (Fixture *fixture,
                  RfError  code)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;
  g_autoptr(GPtrArray) all = NULL;

  rf_backup_store_set_io (fixture->store, &fake_io);
  backup = rf_backup_store_add (fixture->store, fixture->identity, image, "two-reads-compared",
                                &error);
  g_assert_null (backup);
  g_assert_error (error, RF_ERROR, (gint) code);
  /* Nothing half-written stays behind, and nothing is listed. */
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
  all = rf_backup_store_list (fixture->store, NULL);
  g_assert_cmpuint (all->len, ==, 0);
}

static int close_errno;
static gboolean synced_directory;

static int
fake_close (int fd)
{
  int result = close (fd);

  if (close_errno != 0)
    {
      errno = close_errno;
      return -1;
    }
  return result;
}

static int
recording_fsync (int fd)
{
  struct stat st;

  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
    synced_directory = TRUE;
  return fsync (fd);
}

/* A full disk that NFS reports only when the file is closed. */
static void
test_close_fails (Fixture       *fixture,
                  gconstpointer  data)
{
  const RfBackupStoreIo io = { .openat = fake_open, .close = fake_close };
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;

  close_errno = ENOSPC;
  open_errno = 0;
  rf_backup_store_set_io (fixture->store, &io);
  backup = rf_backup_store_add (fixture->store, fixture->identity, image, "two-reads-compared",
                                &error);
  close_errno = 0;
  g_assert_null (backup);
  g_assert_error (error, RF_ERROR, RF_ERROR_NO_SPACE);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
}

/* After the renames the folder itself is synced, so they survive a power cut. */
static void
test_directory_synced (Fixture       *fixture,
                       gconstpointer  data)
{
  const RfBackupStoreIo io = { .openat = fake_open, .fsync = recording_fsync };
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfBackup) backup = NULL;

  open_errno = 0;
  synced_directory = FALSE;
  rf_backup_store_set_io (fixture->store, &io);
  backup = rf_backup_store_add (fixture->store, fixture->identity, image, "two-reads-compared",
                                NULL);
  g_assert_nonnull (backup);
  g_assert_true (synced_directory);
}

/* A FIFO put where a backup's image was is refused, not waited on. */
static void
test_load_refuses_fifo (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfBackup) backup = rf_backup_store_add (fixture->store, fixture->identity, image,
                                                    "two-reads-compared", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) loaded = NULL;

  g_assert_nonnull (backup);
  g_assert_cmpint (g_unlink (backup->image_path), ==, 0);
  g_assert_cmpint (mkfifo (backup->image_path, 0600), ==, 0);
  loaded = rf_backup_store_load (fixture->store, backup, &error);
  g_assert_null (loaded);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_FILE);
}

static void
test_disk_full (Fixture       *fixture,
                gconstpointer  data)
{
  const gsize limits[] = { 0, 4096, RF_NEC_IMAGE_SIZE_VERSIONED + 10 };

  for (gsize i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      space_left = limits[i];
      open_errno = 0;
      rename_errno = 0;
      assert_add_fails (fixture, RF_ERROR_NO_SPACE);
    }
}

static void
test_read_only (Fixture       *fixture,
                gconstpointer  data)
{
  space_left = G_MAXSIZE;
  rename_errno = 0;
  open_errno = EROFS;
  assert_add_fails (fixture, RF_ERROR_WRITE);
  open_errno = EACCES;
  assert_add_fails (fixture, RF_ERROR_PERMISSION_DENIED);
}

static void
test_rename_fails (Fixture       *fixture,
                   gconstpointer  data)
{
  space_left = G_MAXSIZE;
  open_errno = 0;
  for (guint at = 0; at < 2; at++)
    {
      rename_errno = EROFS;
      renames_before_failure = at;
      assert_add_fails (fixture, RF_ERROR_WRITE);
    }
}

/* ---- backups of the user who ran sudo ---- */

#define SUDO_ID 65534 /* nobody */
#define SUDO_ID_TEXT "65534"

/* Run as root (as in CI), the store works for nobody, who ran sudo, with a
 * temporary home of theirs given through the private seam. Run as anyone
 * else, SUDO_UID means nothing, and the store works for that user in the same
 * temporary home: what is checked holds either way, for its own owner. */
typedef struct {
  char *home;
  RfPathsUser *user;
  RfBackupStore *store;
  RfDriveIdentity *identity;
} SudoFixture;

static void
sudo_set_up (SudoFixture  *fixture,
             gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->home = g_dir_make_tmp ("reflash-home-XXXXXX", &error);
  g_assert_no_error (error);
  if (getuid () == 0 && geteuid () == 0)
    {
      g_assert_cmpint (chown (fixture->home, SUDO_ID, SUDO_ID), ==, 0);
      fixture->user = rf_paths_user_resolve (0, 0, SUDO_ID_TEXT, SUDO_ID_TEXT, fixture->home,
                                             &error);
      g_assert_no_error (error);
      g_assert_true (fixture->user->other);
    }
  else
    {
      fixture->user = g_new0 (RfPathsUser, 1);
      fixture->user->uid = geteuid ();
      fixture->user->gid = getegid ();
      fixture->user->data_dir = g_build_filename (fixture->home, ".local", "share", NULL);
      fixture->user->state_dir = g_build_filename (fixture->home, ".local", "state", NULL);
    }
  fixture->store = rf_backup_store_new_for_user (fixture->user);
  fixture->identity = healthy_3550 ();
}

static void
sudo_tear_down (SudoFixture  *fixture,
                gconstpointer data)
{
  rf_test_remove_tree (fixture->home);
  g_free (fixture->home);
  rf_paths_user_free (fixture->user);
  g_object_unref (fixture->store);
  rf_drive_identity_free (fixture->identity);
}

static void
assert_owned_by (const char        *path,
                 const RfPathsUser *user)
{
  struct stat st;

  g_assert_cmpint (lstat (path, &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, user->uid);
  g_assert_cmpuint (st.st_gid, ==, user->gid);
}

/* What the thread's file operations run as now. */
static void
assert_thread_is_itself (void)
{
  g_assert_cmpuint ((uid_t) setfsuid ((uid_t) -1), ==, geteuid ());
  g_assert_cmpuint ((gid_t) setfsgid ((gid_t) -1), ==, getegid ());
}

static GBytes *
store_image (SudoFixture *fixture,
             GError     **error)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfBackup) backup = rf_backup_store_add (fixture->store, fixture->identity, image,
                                                    "two-reads-compared", error);

  assert_thread_is_itself ();
  return backup != NULL ? g_bytes_ref (image) : NULL;
}

/* Under sudo the backup lands in the user's own data folder and belongs to
 * them: folders, image and record. */
static void
test_sudo_owner (SudoFixture  *fixture,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) image = store_image (fixture, &error);
  g_autofree char *reflash = g_build_filename (fixture->home, ".local", "share", "reflash", NULL);
  g_autofree char *folder = g_build_filename (reflash, "backups", NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GBytes) loaded = NULL;
  RfBackup *backup;

  g_assert_no_error (error);
  g_assert_cmpstr (rf_backup_store_get_directory (fixture->store), ==, folder);
  all = rf_backup_store_list (fixture->store, &error);
  g_assert_no_error (error);
  assert_thread_is_itself ();
  g_assert_cmpuint (all->len, ==, 1);
  backup = all->pdata[0];
  g_assert_true (g_str_has_prefix (backup->image_path, folder));
  assert_owned_by (reflash, fixture->user);
  assert_owned_by (folder, fixture->user);
  assert_owned_by (backup->image_path, fixture->user);
  assert_owned_by (backup->info_path, fixture->user);
  loaded = rf_backup_store_load (fixture->store, backup, &error);
  g_assert_no_error (error);
  assert_thread_is_itself ();
  g_assert_true (g_bytes_equal (loaded, image));
}

/* Plants, as the user, a link named @link pointing at @target. */
static void
plant_link (SudoFixture *fixture,
            const char  *target,
            const char  *link)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_path_get_dirname (link);
  RfPathsIdentity saved;

  g_assert_true (rf_paths_user_become (fixture->user, &saved, &error));
  g_assert_cmpint (g_mkdir_with_parents (parent, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (target, 0700), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  rf_paths_user_restore (&saved);
}

/* A link the user put where the store's folders belong is refused, not
 * followed, even though it leads to a folder the user may write. */
static void
test_sudo_folder_link (SudoFixture  *fixture,
                       gconstpointer data)
{
  const char *const folders[] = { "reflash", "reflash/backups" };

  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_strdup_printf ("elsewhere-%" G_GSIZE_FORMAT, i);
      g_autofree char *target = g_build_filename (fixture->home, name, NULL);
      g_autofree char *link = g_build_filename (fixture->home, ".local", "share", folders[i], NULL);
      g_autoptr(GBytes) image = NULL;

      g_test_message ("a link at %s", folders[i]);
      plant_link (fixture, target, link);
      image = store_image (fixture, &error);
      g_assert_null (image);
      g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
      g_assert_true (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
      g_assert_cmpuint (rf_test_count_files (target), ==, 0);
      g_assert_cmpint (g_unlink (link), ==, 0);
    }
}

/* Where the fake openat() plants the user's link before the store creates a
 * file: at the temporary name itself, or at the name it is published under. */
static const char *plant_suffix;
static char *link_target;

static int
planting_open (int         dir_fd,
               const char *name,
               int         flags,
               int         mode)
{
  if (plant_suffix != NULL && g_str_has_suffix (name, ".bin.part"))
    {
      g_autofree char *link = g_str_equal (plant_suffix, ".bin.part")
        ? g_strdup (name) : g_strndup (name, strlen (name) - strlen (".part"));

      g_assert_cmpint (symlinkat (link_target, dir_fd, link), ==, 0);
      plant_suffix = NULL;
    }
  return openat (dir_fd, name, flags, mode);
}

/* A link at a backup's file name, planted in advance or while the store
 * writes, is neither written through nor replaced: the write fails and leaves
 * no temporary file, and the link's target keeps its bytes. */
static void
test_sudo_file_link (SudoFixture  *fixture,
                     gconstpointer data)
{
  const RfBackupStoreIo io = { .openat = planting_open };
  const char *const suffixes[] = { ".bin.part", ".bin" };
  g_autofree char *folder = g_build_filename (fixture->home, ".local", "share", "reflash",
                                              "backups", NULL);

  link_target = g_build_filename (fixture->home, "precious", NULL);
  rf_backup_store_set_io (fixture->store, &io);
  for (gsize i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) image = NULL;
      g_autofree char *kept = NULL;
      g_autoptr(GDir) dir = NULL;
      RfPathsIdentity saved;
      const char *name;

      g_test_message ("a link at the %s name", suffixes[i]);
      /* The user's own file: following the link would be allowed to write it. */
      g_assert_true (rf_paths_user_become (fixture->user, &saved, NULL));
      g_assert_true (g_file_set_contents (link_target, "untouched", -1, NULL));
      rf_paths_user_restore (&saved);
      plant_suffix = suffixes[i];
      image = store_image (fixture, &error);
      g_assert_null (image);
      g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
      g_assert_true (g_file_get_contents (link_target, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "untouched");
      /* Only the planted link is left. */
      dir = g_dir_open (folder, 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);

          g_assert_true (g_file_test (path, G_FILE_TEST_IS_SYMLINK));
          g_assert_cmpint (g_unlink (path), ==, 0);
        }
    }
  g_clear_pointer (&link_target, g_free);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reflash/backup-store/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("add-and-list", test_add_and_list);
  ADD ("for-drive", test_for_drive);
  ADD ("recovered-seed", test_recovered_seed);
  ADD ("unproven-refused", test_unproven_refused);
  g_test_add ("/reflash/backup-store/erased-refused/versioned", Fixture,
              GSIZE_TO_POINTER (RF_NEC_IMAGE_SIZE_VERSIONED), fixture_set_up,
              test_erased_refused, fixture_tear_down);
  g_test_add ("/reflash/backup-store/erased-refused/unversioned", Fixture,
              GSIZE_TO_POINTER (RF_NEC_IMAGE_SIZE), fixture_set_up, test_erased_refused,
              fixture_tear_down);
  g_test_add ("/reflash/backup-store/erased-refused/cut-short", Fixture,
              GSIZE_TO_POINTER (RF_NEC_MAIN_SIZE / 2), fixture_set_up, test_erased_refused,
              fixture_tear_down);
  ADD ("safe-mode-refused", test_safe_mode_refused);
  ADD ("other-model-refused", test_other_model_refused);
  ADD ("damaged-refused", test_damaged_refused);
  ADD ("other-drive-refused", test_other_drive_refused);
  ADD ("disk-full", test_disk_full);
  ADD ("read-only", test_read_only);
  ADD ("rename-fails", test_rename_fails);
  ADD ("close-fails", test_close_fails);
  ADD ("directory-synced", test_directory_synced);
  ADD ("load-refuses-fifo", test_load_refuses_fifo);
#undef ADD
#define ADD(path, func) \
  g_test_add ("/reflash/backup-store/sudo/" path, SudoFixture, NULL, sudo_set_up, func, \
              sudo_tear_down)
  ADD ("owner", test_sudo_owner);
  ADD ("folder-link", test_sudo_folder_link);
  ADD ("file-link", test_sudo_file_link);
#undef ADD

  return g_test_run ();
}
