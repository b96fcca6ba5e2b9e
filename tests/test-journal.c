/* test-journal.c: the journal of an in-flight flash, and finding its drive
 * again after a reboot (nec-2m.md §3 "Journal and resume")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-device-private.h"
#include "rf-paths-private.h"
#include "rf-test-drive.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

#define SATA_BUS "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"
/* The same port after a reboot in which the SCSI hosts were numbered anew. */
#define SATA_BUS_REBOOTED "pci0000:00/0000:00:1f.2/ata3/host5/target5:0:0/5:0:0:0"
#define OTHER_SATA_BUS "pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0"

static RfDriveDb *db;

static const RfTestDriveSpec healthy_3550 = {
  .device_type = 0x05, .nec = TRUE, .firmware_date = "20050624",
  .stored_id = "K355", .rid_digits = "3550", .bootcode_key = "K355", .bootcode_version = "05",
  .firmware_valid = TRUE,
};

static const RfTestDriveSpec seed = {
  .device_type = 0x05, .nec = TRUE, .stored_id = "K451", .rid_digits = "4551",
  .bootcode_key = "K355", .bootcode_version = "05", .firmware_valid = FALSE,
};

typedef struct {
  char *dir;
  RfJournalStore *store;
  GPtrArray *devices;   /* RfDevice, kept alive with their drives */
  GBytes *image;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-journal-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (fixture->dir, "journals", NULL);
  fixture->store = rf_journal_store_new (folder);
  fixture->devices = g_ptr_array_new_with_free_func (g_object_unref);
  fixture->image = rf_test_image ("K355", "05", "1.06");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_ptr_array_unref (fixture->devices);
  g_bytes_unref (fixture->image);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A drive after a passive look: a practice drive when @id starts with
 * "practice:", else a stand-in for a real drive at @bus_path. */
static RfDevice *
add_drive (Fixture               *fixture,
           const char            *id,
           const char            *bus_path,
           const RfTestDriveSpec *spec)
{
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (spec);
  g_autoptr(GError) error = NULL;
  /* Locks of stand-ins are named, as practice drives' are: no node behind them. */
  g_autofree char *lock = g_strdup_printf ("test-%u", fixture->devices->len);
  RfDevice *device = rf_device_new_for_transport (id, RF_TRANSPORT (drive), lock);

  if (bus_path != NULL)
    rf_device_set_bus_path (device, bus_path);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_add (fixture->devices, device);
  return device;
}

static RfDriveIdentity *
deep_identity (RfDevice *device)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  return rf_device_dup_identity (device);
}

static RfJournal *
begin (Fixture  *fixture,
       RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = deep_identity (device);
  g_autoptr(GError) error = NULL;
  RfJournal *journal = rf_journal_store_begin (fixture->store, device, identity, "recovery",
                                               "ND3550A_106.bin", "1.06", fixture->image,
                                               &error);

  g_assert_no_error (error);
  g_assert_nonnull (journal);
  return journal;
}

static GPtrArray *
list (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *journals = rf_journal_store_list (fixture->store, &error);

  g_assert_no_error (error);
  return journals;
}

/* ---- the port path ---- */

static void
test_port_path (void)
{
  const char *const cases[][2] = {
    { SATA_BUS, "pci0000:00/0000:00:1f.2/ata3/0:0:0" },
    { SATA_BUS_REBOOTED, "pci0000:00/0000:00:1f.2/ata3/0:0:0" },
    { "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0",
      "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/0:0:0" },
    { OTHER_SATA_BUS, "pci0000:00/0000:00:1f.2/ata4/0:0:0" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *port = rf_device_port_path_from_bus_path (cases[i][0]);

      g_assert_cmpstr (port, ==, cases[i][1]);
    }
}

/* ---- writing, reading back, closing ---- */

/* Everything the journal must hold is there after a reload: the image's
 * copy with its SHA-256, the verdict, the match keys, the phase. */
static void
test_written_and_listed (Fixture       *fixture,
                         gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  g_autoptr(GPtrArray) journals = list (fixture);
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, fixture->image);
  RfJournal *loaded;
  const RfDriveIdentity *identity;

  g_assert_cmpuint (journals->len, ==, 1);
  loaded = journals->pdata[0];
  g_assert_cmpstr (rf_journal_get_id (loaded), ==, rf_journal_get_id (journal));
  g_assert_cmpint (rf_journal_get_phase (loaded), ==, RF_JOURNAL_PHASE_STARTED);
  g_assert_cmpstr (rf_journal_get_family (loaded), ==, "nec-2m");
  g_assert_cmpstr (rf_journal_get_verdict (loaded), ==, "recovery");
  g_assert_cmpstr (rf_journal_get_port (loaded), ==, "pci0000:00/0000:00:1f.2/ata3/0:0:0");
  g_assert_cmpstr (rf_journal_get_node (loaded), ==, "/dev/sg2");
  g_assert_false (rf_journal_is_practice (loaded));
  g_assert_cmpstr (rf_journal_get_image_name (loaded), ==, "ND3550A_106.bin");
  g_assert_cmpstr (rf_journal_get_image_revision (loaded), ==, "1.06");
  g_assert_cmpstr (rf_journal_get_image_sha256 (loaded), ==, sha256);
  identity = rf_journal_get_identity (loaded);
  g_assert_cmpstr (identity->stored_id, ==, "K451");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  g_assert_cmpstr (identity->rid_code, !=, NULL);
  g_assert_true (identity->safe_mode);
  copy = rf_journal_load_image (loaded, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (copy, fixture->image));
}

/* Phases only go forward, survive a reload, and closing removes both files. */
static void
test_phases_and_close (Fixture       *fixture,
                       gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  g_autoptr(GPtrArray) journals = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_PROGRAMMED, &error));
  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error));
  g_assert_no_error (error);
  journals = list (fixture);
  g_assert_cmpuint (journals->len, ==, 1);
  g_assert_cmpint (rf_journal_get_phase (journals->pdata[0]), ==, RF_JOURNAL_PHASE_PROGRAMMED);
  g_assert_cmpuint (rf_test_count_files (rf_journal_store_get_directory (fixture->store)), ==, 2);
  g_assert_true (rf_journal_close (journals->pdata[0], &error));
  g_assert_no_error (error);
  after = list (fixture);
  g_assert_cmpuint (after->len, ==, 0);
  g_assert_cmpuint (rf_test_count_files (rf_journal_store_get_directory (fixture->store)), ==, 0);
}

/* The same image on the same drive twice within a second, the first journal
 * still open: a second journal beside it, never a replaced one. */
static void
test_second_journal (Fixture       *fixture,
                     gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) first = begin (fixture, device);
  g_autoptr(RfJournal) second = begin (fixture, device);
  g_autoptr(GPtrArray) journals = list (fixture);

  g_assert_cmpstr (rf_journal_get_id (first), !=, rf_journal_get_id (second));
  g_assert_cmpuint (journals->len, ==, 2);
}

/* A copy changed on disk is never handed out for flashing. */
static void
test_altered_image_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  g_autoptr(GBytes) copy = NULL;
  g_autoptr(GError) error = NULL;
  int fd = open (rf_journal_get_image_path (journal), O_WRONLY);
  guint8 byte = 0x5A;

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, &byte, 1, 0x1234), ==, 1);
  close (fd);
  copy = rf_journal_load_image (journal, &error);
  g_assert_null (copy);
  g_assert_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (rf_journal_get_image_path (journal)), ==, 0);
  copy = rf_journal_load_image (journal, &error);
  g_assert_null (copy);
  g_assert_error (error, RF_ERROR, RF_ERROR_JOURNAL_DAMAGED);
}

static int full_disk_after;

static gssize
write_until_full (int         fd,
                  const void *buffer,
                  gsize       count)
{
  if (full_disk_after == 0)
    {
      errno = ENOSPC;
      return -1;
    }
  full_disk_after--;
  return write (fd, buffer, count);
}

/* A full disk while the journal is written: refused with no-space, and
 * nothing left behind that could be taken for a journal. */
static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  const RfBackupStoreIo full = { .write = write_until_full };
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfDriveIdentity) identity = deep_identity (device);
  g_autoptr(GPtrArray) journals = NULL;

  rf_journal_store_set_io (fixture->store, &full);
  for (int allowed = 0; allowed < 2; allowed++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfJournal) journal = NULL;

      full_disk_after = allowed;
      journal = rf_journal_store_begin (fixture->store, device, identity, "recovery", NULL,
                                        "1.06", fixture->image, &error);
      g_assert_null (journal);
      g_assert_error (error, RF_ERROR, RF_ERROR_NO_SPACE);
      g_assert_cmpuint (rf_test_count_files (rf_journal_store_get_directory (fixture->store)),
                        ==, 0);
    }
  journals = list (fixture);
  g_assert_cmpuint (journals->len, ==, 0);
}

/* A key file that is not a journal, or that names an image elsewhere, is
 * not listed, and the rest still are. */
static void
test_foreign_key_file (Fixture       *fixture,
                       gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  g_autofree char *junk = g_build_filename (rf_journal_store_get_directory (fixture->store),
                                            "junk.journal", NULL);
  g_autofree char *elsewhere = g_build_filename (rf_journal_store_get_directory (fixture->store),
                                                 "elsewhere.journal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;

  g_assert_true (g_file_set_contents (junk, "not a key file\n", -1, &error));
  g_assert_true (g_file_set_contents (elsewhere,
                                      "[Journal]\nFormat=1\nPhase=erasing\nFamily=nec-2m\n"
                                      "Verdict=recovery\nImage=../../etc/passwd\n"
                                      "ImageSha256=00\nImageSize=10\n", -1, &error));
  g_assert_no_error (error);
  journals = list (fixture);
  g_assert_cmpuint (journals->len, ==, 1);
  g_assert_cmpstr (rf_journal_get_id (journals->pdata[0]), ==, rf_journal_get_id (journal));
}

/* ---- finding the drive again ---- */

/* After a reboot the drive has another node and another SCSI host number:
 * found by its port. On another port it is only a drive that needs the
 * person's word; another family, or a practice drive, is never it. */
static void
test_match_after_reboot (Fixture       *fixture,
                         gconstpointer  data)
{
  RfDevice *before = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, before);
  RfDevice *same = add_drive (fixture, "/dev/sg4", SATA_BUS_REBOOTED, &seed);
  RfDevice *moved = add_drive (fixture, "/dev/sg3", OTHER_SATA_BUS, &seed);
  RfTestDriveSpec not_nec = healthy_3550;
  RfDevice *other_family = NULL;
  RfDevice *practice = add_drive (fixture, "practice:seed", NULL, &seed);

  not_nec.nec = FALSE;
  not_nec.vendor = "HL-DT-ST";
  not_nec.product = "DVDRAM GH22NS50";
  other_family = add_drive (fixture, "/dev/sg5", SATA_BUS_REBOOTED, &not_nec);
  g_assert_cmpint (rf_journal_match_listed (journal, same), ==, RF_JOURNAL_MATCH_SAME_PORT);
  g_assert_cmpint (rf_journal_match_listed (journal, moved), ==, RF_JOURNAL_MATCH_OTHER_PORT);
  g_assert_cmpint (rf_journal_match_listed (journal, other_family), ==, RF_JOURNAL_MATCH_NONE);
  g_assert_cmpint (rf_journal_match_listed (journal, practice), ==, RF_JOURNAL_MATCH_NONE);
}

/* Two drives of the family on two ports with no journal port between them:
 * both are candidates that need a choice, neither is taken by itself. */
static void
test_two_candidates (Fixture       *fixture,
                     gconstpointer  data)
{
  RfDevice *before = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, before);
  RfDevice *first = add_drive (fixture, "/dev/sg3", OTHER_SATA_BUS, &seed);
  RfDevice *second = add_drive (fixture, "/dev/sg6",
                                "pci0000:00/0000:00:1f.2/ata5/host4/target4:0:0/4:0:0:0",
                                &healthy_3550);

  g_assert_cmpint (rf_journal_match_listed (journal, first), ==, RF_JOURNAL_MATCH_OTHER_PORT);
  g_assert_cmpint (rf_journal_match_listed (journal, second), ==, RF_JOURNAL_MATCH_OTHER_PORT);
}

/* A practice drive's journal never matches a real drive's stand-in with the
 * same identity, nor another practice drive. */
static void
test_practice_never_real (Fixture       *fixture,
                          gconstpointer  data)
{
  RfDevice *practice = add_drive (fixture, "practice:seed", NULL, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, practice);
  RfDevice *real = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  RfDevice *other_practice = add_drive (fixture, "practice:seed-twin", NULL, &seed);
  RfDevice *again = add_drive (fixture, "practice:seed", NULL, &seed);
  g_autoptr(GPtrArray) journals = list (fixture);

  g_assert_true (rf_journal_is_practice (journals->pdata[0]));
  g_assert_cmpstr (rf_journal_get_port (journals->pdata[0]), ==, "practice:seed");
  g_assert_cmpint (rf_journal_match_listed (journal, real), ==, RF_JOURNAL_MATCH_NONE);
  g_assert_cmpint (rf_journal_match_listed (journal, other_practice), ==,
                   RF_JOURNAL_MATCH_NONE);
  g_assert_cmpint (rf_journal_match_listed (journal, again), ==, RF_JOURNAL_MATCH_SAME_PORT);
}

/* The deep check before anything is written: stored ID, bootcode key and
 * bootcode version must be the journal's. */
static void
test_identity_check (Fixture       *fixture,
                     gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  const char *fields[] = { "stored_id", "bootcode_key", "bootcode_version" };

  for (gsize i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(RfDriveIdentity) identity = rf_drive_identity_copy (rf_journal_get_identity (journal));
      g_autoptr(GError) error = NULL;
      char **field = i == 0 ? &identity->stored_id
                   : i == 1 ? &identity->bootcode_key : &identity->bootcode_version;

      g_assert_true (rf_journal_check_identity (journal, identity, &error));
      g_assert_no_error (error);
      g_free (*field);
      *field = g_strdup (i == 2 ? "06" : "K356");
      g_assert_false (rf_journal_check_identity (journal, identity, &error));
      g_assert_error (error, RF_ERROR, RF_ERROR_OTHER_DRIVE);
    }
}

/* A run that stopped before the erase, on a drive back in normal mode with
 * its old revision: unchanged. Past the erase, or still in safe mode: not. */
static void
test_unchanged (Fixture       *fixture,
                gconstpointer  data)
{
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &healthy_3550);
  g_autoptr(RfJournal) journal = begin (fixture, device);
  g_autoptr(RfDriveIdentity) now = rf_drive_identity_copy (rf_journal_get_identity (journal));
  g_autoptr(GError) error = NULL;

  g_assert_false (now->safe_mode);
  g_assert_true (rf_journal_drive_is_unchanged (journal, now));
  now->safe_mode = TRUE;
  g_assert_false (rf_journal_drive_is_unchanged (journal, now));
  now->safe_mode = FALSE;
  g_free (now->revision);
  now->revision = g_strdup ("1.06");
  g_assert_false (rf_journal_drive_is_unchanged (journal, now));
  g_free (now->revision);
  now->revision = g_strdup (rf_journal_get_identity (journal)->revision);
  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error));
  g_assert_false (rf_journal_drive_is_unchanged (journal, now));
}

/* ---- journals of the user who ran sudo ---- */

#define SUDO_ID 65534 /* nobody */
#define SUDO_ID_TEXT "65534"

/* As root (CI), the journal is nobody's, written into nobody's state folder
 * as nobody; a link nobody planted where the folder belongs is refused.
 * Run as anyone else it holds for that user. */
static void
test_sudo_owner (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfPathsUser) user = NULL;
  g_autoptr(RfJournalStore) store = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *home = g_build_filename (fixture->dir, "home", NULL);
  g_autofree char *state = g_build_filename (home, ".local", "state", NULL);
  g_autofree char *target = g_build_filename (home, "elsewhere", NULL);
  g_autofree char *link = g_build_filename (state, "reflash", NULL);
  RfDevice *device = add_drive (fixture, "/dev/sg2", SATA_BUS, &seed);
  RfPathsIdentity saved;
  struct stat st;

  /* The user must reach their home through the test's folder. */
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (home, 0755), ==, 0);
  if (getuid () == 0)
    {
      g_assert_cmpint (chown (home, SUDO_ID, SUDO_ID), ==, 0);
      user = rf_paths_user_resolve (0, 0, SUDO_ID_TEXT, SUDO_ID_TEXT, home, &error);
      g_assert_no_error (error);
    }
  else
    {
      user = rf_paths_user_resolve (getuid (), geteuid (), NULL, NULL, home, &error);
      g_assert_no_error (error);
      g_free (user->state_dir);
      user->state_dir = g_strdup (state);
    }
  store = rf_journal_store_new_for_user (user);
  identity = deep_identity (device);
  /* The user's link where reflash/ belongs: refused, not followed. */
  g_assert_true (rf_paths_user_become (user, &saved, &error));
  g_assert_cmpint (g_mkdir_with_parents (state, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (target, 0700), ==, 0);
  g_assert_cmpint (symlink (target, link), ==, 0);
  rf_paths_user_restore (&saved);
  journal = rf_journal_store_begin (store, device, identity, "recovery", NULL, "1.06",
                                    fixture->image, &error);
  g_assert_null (journal);
  g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
  g_assert_cmpuint (rf_test_count_files (target), ==, 0);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (link), ==, 0);
  journal = rf_journal_store_begin (store, device, identity, "recovery", NULL, "1.06",
                                    fixture->image, &error);
  g_assert_no_error (error);
  g_assert_cmpuint ((uid_t) setfsuid ((uid_t) -1), ==, geteuid ());
  g_assert_cmpint (lstat (rf_journal_get_image_path (journal), &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, user->uid);
  g_assert_cmpint (lstat (rf_journal_store_get_directory (store), &st), ==, 0);
  g_assert_cmpuint (st.st_uid, ==, user->uid);
  g_assert_true (g_str_has_prefix (rf_journal_store_get_directory (store), state));
}

static void
add (const char *name,
     void      (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/reflash/journal/", name, NULL);

  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-journal-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_STATE_HOME", runtime, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/reflash/journal/port-path", test_port_path);
  add ("written-and-listed", test_written_and_listed);
  add ("phases-and-close", test_phases_and_close);
  add ("second-journal", test_second_journal);
  add ("altered-image-refused", test_altered_image_refused);
  add ("full-disk", test_full_disk);
  add ("foreign-key-file", test_foreign_key_file);
  add ("match/after-reboot", test_match_after_reboot);
  add ("match/two-candidates", test_two_candidates);
  add ("match/practice-never-real", test_practice_never_real);
  add ("identity-check", test_identity_check);
  add ("unchanged", test_unchanged);
  add ("sudo-owner", test_sudo_owner);
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (runtime);
  return status;
}
