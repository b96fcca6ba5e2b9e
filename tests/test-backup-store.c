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
#include "rf-practice-firmware.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

typedef struct {
  char *dir;
  RfBackupStore *store;
  RfDriveIdentity *identity;
  RfDriveDb *db;
  RfDriveFamily *family; /* spc-generic, from @db */
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
  g_clear_object (&fixture->db);
}

/* The practice SPC drive (data/drives/spc-generic.conf) running 1.00. */
static RfDriveIdentity *
practice_spc (const RfDriveFamily *family)
{
  RfDriveIdentity *identity = rf_test_spc_identity (family);

  identity->vendor = g_strdup ("REFLASH");
  return identity;
}

static void
spc_set_up (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture_set_up (fixture, data);
  fixture->db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  fixture->family = rf_drive_db_lookup (fixture->db, "spc-generic");
  g_assert_nonnull (fixture->family);
  g_assert_true (fixture->family->download.has_dump);
  rf_drive_identity_free (fixture->identity);
  fixture->identity = practice_spc (fixture->family);
}

/* What READ BUFFER mode 2 reads from a drive of @family running @revision:
 * made-up code bytes, the model and revision where the family data says. */
static GBytes *
spc_dump (const RfDriveFamily *family,
          gboolean             other_model,
          const char          *revision)
{
  g_autoptr(RfDriveIdentity) identity = practice_spc (family);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfPracticeImage) image = rf_practice_image_build (identity, family, other_model,
                                                              revision, &error);

  g_assert_no_error (error);
  return g_bytes_ref (image->bytes);
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

/* ---- SPC dumps (spc-download.md "Phases": READ BUFFER mode 2) ---- */

static RfBackup *
add_spc (Fixture *fixture,
         GBytes  *dump,
         GError **error)
{
  return rf_backup_store_add_for_family (fixture->store, fixture->family, fixture->identity, dump,
                                         "two-reads-compared", error);
}

/* A dump is stored with the drive's INQUIRY identity, under a file name made
 * safe from the product's space, and read back byte for byte. */
static void
test_spc_add_and_load (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = add_spc (fixture, dump, &error);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, dump);
  g_autofree char *name = NULL;
  RfBackup *listed;

  g_assert_no_error (error);
  g_assert_nonnull (backup);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 2);
  name = g_path_get_basename (backup->image_path);
  g_assert_true (g_str_has_prefix (name, "PRACTICE_SPC-"));
  g_assert_true (g_str_has_suffix (name, ".bin"));
  all = rf_backup_store_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  listed = all->pdata[0];
  g_assert_cmpstr (listed->family, ==, "spc-generic");
  g_assert_cmpstr (listed->protocol, ==, "spc-download");
  g_assert_cmpstr (listed->drive_id, ==, "PRACTICE SPC");
  g_assert_cmpstr (listed->vendor, ==, "REFLASH");
  g_assert_cmpstr (listed->product, ==, "PRACTICE SPC");
  g_assert_cmpstr (listed->revision, ==, "1.00");
  g_assert_null (listed->counting_id);
  g_assert_cmpstr (listed->verified, ==, "two-reads-compared");
  g_assert_cmpstr (listed->sha256, ==, sha);
  g_assert_cmpuint (listed->size, ==, fixture->family->download.dump_length);
  loaded = rf_backup_store_load (fixture->store, listed, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, dump));
}

static guint
count_for_drive (Fixture               *fixture,
                 const RfDriveIdentity *identity)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) backups = rf_backup_store_list_for_drive (fixture->store, identity, &error);

  g_assert_no_error (error);
  return backups->len;
}

/* Offered to drives of the same family, vendor and product only; NEC and SPC
 * backups never to each other's drives. */
static void
test_spc_for_drive (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");
  g_autoptr(GBytes) nec_image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(RfBackup) backup = add_spc (fixture, dump, NULL);
  g_autoptr(RfDriveIdentity) nec = healthy_3550 ();
  g_autoptr(RfBackup) nec_backup = rf_backup_store_add (fixture->store, nec, nec_image,
                                                        "two-reads-compared", NULL);
  g_autoptr(RfDriveIdentity) newer = rf_drive_identity_copy (fixture->identity);
  g_autoptr(RfDriveIdentity) product = rf_drive_identity_copy (fixture->identity);
  g_autoptr(RfDriveIdentity) vendor = rf_drive_identity_copy (fixture->identity);
  g_autoptr(RfDriveIdentity) family = rf_drive_identity_copy (fixture->identity);

  g_assert_nonnull (backup);
  g_assert_nonnull (nec_backup);
  g_assert_cmpuint (count_for_drive (fixture, fixture->identity), ==, 1);
  /* The firmware version it runs now does not matter. */
  g_free (newer->revision);
  newer->revision = g_strdup ("1.06");
  g_assert_cmpuint (count_for_drive (fixture, newer), ==, 1);
  g_free (product->product);
  product->product = g_strdup ("PRACTICE SPC 2");
  g_assert_cmpuint (count_for_drive (fixture, product), ==, 0);
  g_free (vendor->vendor);
  vendor->vendor = g_strdup ("OTHER");
  g_assert_cmpuint (count_for_drive (fixture, vendor), ==, 0);
  g_free (family->family);
  family->family = g_strdup ("nec-2m");
  g_assert_cmpuint (count_for_drive (fixture, family), ==, 0);
  g_assert_cmpuint (count_for_drive (fixture, nec), ==, 1);
}

/* Asserts that adding @dump for the fixture's SPC drive fails with @code and
 * leaves the folder empty. */
static void
assert_spc_refused (Fixture *fixture,
                    GBytes  *dump,
                    RfError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = add_spc (fixture, dump, &error);

  g_assert_null (backup);
  g_assert_error (error, RF_ERROR, (gint) code);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
}

/* All 0xFF is no firmware, whatever the size: the family's, or a short read. */
static void
test_spc_erased_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  const gsize sizes[] = { fixture->family->download.dump_length, 4096 };

  for (gsize i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint8 *erased = g_malloc (sizes[i]);
      g_autoptr(GBytes) bytes = NULL;

      memset (erased, 0xff, sizes[i]);
      bytes = g_bytes_new_take (erased, sizes[i]);
      assert_spc_refused (fixture, bytes, RF_ERROR_FIRMWARE_ERASED);
    }
}

/* A dump one byte short or long is no whole read of the firmware. */
static void
test_spc_wrong_size_refused (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");
  gsize size = g_bytes_get_size (dump);
  g_autoptr(GBytes) shorter = g_bytes_new_from_bytes (dump, 0, size - 1);
  g_autoptr(GByteArray) longer = g_byte_array_new ();
  g_autoptr(GBytes) longer_bytes = NULL;

  g_byte_array_append (longer, g_bytes_get_data (dump, NULL), (guint) size);
  g_byte_array_append (longer, (const guint8 *) "", 1);
  longer_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&longer));
  assert_spc_refused (fixture, shorter, RF_ERROR_INVALID_DATA);
  assert_spc_refused (fixture, longer_bytes, RF_ERROR_INVALID_DATA);
}

/* In boot mode only the bootcode runs: what a dump reads is no firmware that
 * ran, even when it carries the model and a revision. */
static void
test_spc_safe_mode_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");

  fixture->identity->safe_mode = TRUE;
  g_free (fixture->identity->revision);
  fixture->identity->revision = g_strdup ("0000");
  assert_spc_refused (fixture, dump, RF_ERROR_IN_SAFE_MODE);
}

/* The family's model check names another model: a crossflashed drive's dump. */
static void
test_spc_other_model_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GBytes) other = spc_dump (fixture->family, TRUE, "1.00");

  assert_spc_refused (fixture, other, RF_ERROR_OTHER_MODEL);
}

/* A family of two models whose model check ("PRACTICE SPC") both pass: the
 * product in the dump must then be the drive's own. */
static const char two_models[] =
  "[Family]\nId=spc-pair\nName=Two practice SPC drives\nProtocol=spc-download\n"
  "ImageFormat=raw\nSupport=spec-only\nBootRevision=0000\n"
  "[Model SPC1]\nName=Practice SPC drive\nVendor=REFLASH\\s\nProduct=PRACTICE SPC\\s\\s\\s\\s\n"
  "[Model SPC2]\nName=Practice SPC drive 2\nVendor=REFLASH\\s\nProduct=PRACTICE SPC 2\\s\\s\n"
  "[Download]\nVariant=offsets\nBufferId=0\nStartOffset=0\nChunkSize=from-descriptor\n"
  "SettleSeconds=60\nImageSizes=0x100000\nModelCheckOffset=0x40\n"
  "ModelCheckBytes=PRACTICE SPC\nRevisionOffset=0x50\nBootModeAcceptsDownload=true\n"
  "DumpBufferId=0\nDumpLength=0x100000\n";

static void
test_spc_sibling_model_refused (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) conf = g_bytes_new_static (two_models, sizeof two_models - 1);
  g_autofree char *conf_dir = g_dir_make_tmp ("reflash-drives-XXXXXX", NULL);
  g_autofree char *path = rf_test_write_file (conf_dir, "spc-pair.conf", conf);
  g_autoptr(RfDriveDb) db = rf_drive_db_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) own = NULL;
  g_autoptr(RfBackup) backup = NULL;

  g_assert_nonnull (conf_dir);
  g_assert_true (rf_drive_db_load_file (db, path, &error));
  g_assert_no_error (error);
  rf_test_remove_tree (conf_dir);
  fixture->family = rf_drive_db_lookup (db, "spc-pair");
  g_free (fixture->identity->family);
  fixture->identity->family = g_strdup ("spc-pair");
  own = spc_dump (fixture->family, FALSE, "1.00");
  /* The drive is the other model: the dump names "PRACTICE SPC", not its product. */
  g_free (fixture->identity->product);
  fixture->identity->product = g_strdup ("PRACTICE SPC 2");
  assert_spc_refused (fixture, own, RF_ERROR_OTHER_MODEL);
  /* Its own model's dump is stored. */
  g_free (fixture->identity->product);
  fixture->identity->product = g_strdup ("PRACTICE SPC");
  backup = add_spc (fixture, own, &error);
  g_assert_no_error (error);
  g_assert_nonnull (backup);
}

/* What the store cannot match a dump to, or has no rules for. */
static void
test_spc_unmatchable_refused (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");

  /* Another family's drive: its record would never be offered to it. */
  g_free (fixture->identity->family);
  fixture->identity->family = g_strdup ("nec-2m");
  assert_spc_refused (fixture, dump, RF_ERROR_INVALID_DATA);
  g_free (fixture->identity->family);
  fixture->identity->family = g_strdup ("spc-generic");
  /* A family whose data names no dump (the fixture's own copy of it). */
  fixture->family->download.has_dump = FALSE;
  assert_spc_refused (fixture, dump, RF_ERROR_NOT_SUPPORTED);
  fixture->family->download.has_dump = TRUE;
  /* No product to match it on. */
  g_clear_pointer (&fixture->identity->product, g_free);
  assert_spc_refused (fixture, dump, RF_ERROR_INVALID_DATA);
}

/* The NEC family from the drive data goes through the NEC checks, as
 * rf_backup_store_add() does, and is matched on the bootcode. */
static void
test_nec_for_family (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GBytes) other = rf_test_image ("K450", "05", "1.07");
  g_autoptr(RfDriveIdentity) nec = healthy_3550 ();
  const RfDriveFamily *family = rf_drive_db_lookup (fixture->db, "nec-2m");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;
  g_autoptr(RfBackup) refused = NULL;

  refused = rf_backup_store_add_for_family (fixture->store, family, nec, other,
                                            "two-reads-compared", &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
  g_assert_null (refused);
  g_clear_error (&error);
  backup = rf_backup_store_add_for_family (fixture->store, family, nec, image,
                                           "two-reads-compared", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backup->family, ==, "nec-2m");
  g_assert_cmpstr (backup->protocol, ==, "nec-2m");
  g_assert_cmpstr (backup->drive_id, ==, "K355");
  g_assert_true (g_str_has_prefix (strrchr (backup->image_path, '/'), "/K355-"));
  g_assert_cmpuint (count_for_drive (fixture, nec), ==, 1);
  g_assert_cmpuint (count_for_drive (fixture, fixture->identity), ==, 0);
}

/* Replaces the stored image of @backup with @bytes. */
static void
replace_image (const RfBackup *backup,
               const guint8   *bytes,
               gsize           size)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (backup->image_path, (const char *) bytes, (gssize) size,
                                      &error));
  g_assert_no_error (error);
}

/* A stored dump changed since: one byte more, one byte less, one byte other. */
static void
test_spc_load_checks (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GBytes) dump = spc_dump (fixture->family, FALSE, "1.00");
  g_autoptr(RfBackup) backup = add_spc (fixture, dump, NULL);
  gsize size;
  g_autofree guint8 *changed = g_bytes_unref_to_data (g_bytes_ref (dump), &size);
  struct {
    gsize size;
    gsize flip;
    RfError code;
  } cases[] = {
    { size + 1, G_MAXSIZE, RF_ERROR_INVALID_FILE },
    { size - 1, G_MAXSIZE, RF_ERROR_INVALID_DATA },
    { size, 0x1234, RF_ERROR_INVALID_DATA },
  };

  g_assert_nonnull (backup);
  changed = g_realloc (changed, size + 1);
  changed[size] = 0;
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) loaded = NULL;

      if (cases[i].flip != G_MAXSIZE)
        changed[cases[i].flip] ^= 0x01;
      replace_image (backup, changed, cases[i].size);
      if (cases[i].flip != G_MAXSIZE)
        changed[cases[i].flip] ^= 0x01;
      loaded = rf_backup_store_load (fixture->store, backup, &error);
      g_assert_error (error, RF_ERROR, (gint) cases[i].code);
      g_assert_null (loaded);
    }
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

/* Pretends every name up to @taken_names attempts exists already, as when the
 * same firmware is stored again within one second. */
static guint taken_names;

static int
taken_rename (int         dir_fd,
              const char *from,
              const char *to)
{
  if (g_str_has_suffix (to, ".bin") && taken_names > 0)
    {
      taken_names--;
      errno = EEXIST;
      return -1;
    }
  return renameat (dir_fd, from, dir_fd, to);
}

/* A name taken is not replaced: the backup is stored beside it as "-2". */
static void
test_name_taken (Fixture       *fixture,
                 gconstpointer  data)
{
  const RfBackupStoreIo io = { .rename = taken_rename };
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GBytes) loaded = NULL;
  g_autofree char *image_name = NULL;

  rf_backup_store_set_io (fixture->store, &io);
  taken_names = 1;
  backup = rf_backup_store_add (fixture->store, fixture->identity, image, "two-reads-compared",
                                &error);
  g_assert_no_error (error);
  image_name = g_path_get_basename (backup->image_path);
  g_assert_true (g_str_has_suffix (image_name, "-2.bin"));
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 2);
  all = rf_backup_store_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 1);
  loaded = rf_backup_store_load (fixture->store, all->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, image));
}

/* Nine names taken: the store gives up with a write error and leaves nothing. */
static void
test_names_exhausted (Fixture       *fixture,
                      gconstpointer  data)
{
  const RfBackupStoreIo io = { .rename = taken_rename };
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfBackup) backup = NULL;

  rf_backup_store_set_io (fixture->store, &io);
  taken_names = G_MAXUINT;
  backup = rf_backup_store_add (fixture->store, fixture->identity, image, "two-reads-compared",
                                &error);
  g_assert_null (backup);
  g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
  g_assert_cmpuint (G_MAXUINT - taken_names, ==, 9);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
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
 * writes, is neither written through nor replaced, and the link's target keeps
 * its bytes. A link at the temporary name fails the write and leaves no
 * temporary file; one at the final name is a name taken, so the backup is
 * stored beside it under the next name. */
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
      gboolean renamed_aside = g_str_equal (suffixes[i], ".bin");
      guint links = 0;

      g_test_message ("a link at the %s name", suffixes[i]);
      /* The user's own file: following the link would be allowed to write it. */
      g_assert_true (rf_paths_user_become (fixture->user, &saved, NULL));
      g_assert_true (g_file_set_contents (link_target, "untouched", -1, NULL));
      rf_paths_user_restore (&saved);
      plant_suffix = suffixes[i];
      image = store_image (fixture, &error);
      if (renamed_aside)
        g_assert_no_error (error);
      else
        g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
      g_assert_true ((image != NULL) == renamed_aside);
      g_assert_true (g_file_get_contents (link_target, &kept, NULL, NULL));
      g_assert_cmpstr (kept, ==, "untouched");
      /* The planted link is left as it was, beside the second name's files. */
      dir = g_dir_open (folder, 0, NULL);
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (folder, name, NULL);

          if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
            links++;
          else
            {
              g_assert_true (renamed_aside);
              g_assert_false (g_str_has_suffix (name, ".part"));
              g_assert_true (strstr (name, "-2.") != NULL);
            }
          g_assert_cmpint (g_unlink (path), ==, 0);
        }
      g_assert_cmpuint (links, ==, 1);
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
  ADD ("name-taken", test_name_taken);
  ADD ("names-exhausted", test_names_exhausted);
  ADD ("close-fails", test_close_fails);
  ADD ("directory-synced", test_directory_synced);
  ADD ("load-refuses-fifo", test_load_refuses_fifo);
#undef ADD
#define ADD(path, func) \
  g_test_add ("/reflash/backup-store/" path, Fixture, NULL, spc_set_up, func, fixture_tear_down)
  ADD ("nec-for-family", test_nec_for_family);
  ADD ("spc/add-and-load", test_spc_add_and_load);
  ADD ("spc/for-drive", test_spc_for_drive);
  ADD ("spc/erased-refused", test_spc_erased_refused);
  ADD ("spc/wrong-size-refused", test_spc_wrong_size_refused);
  ADD ("spc/safe-mode-refused", test_spc_safe_mode_refused);
  ADD ("spc/other-model-refused", test_spc_other_model_refused);
  ADD ("spc/sibling-model-refused", test_spc_sibling_model_refused);
  ADD ("spc/unmatchable-refused", test_spc_unmatchable_refused);
  ADD ("spc/load-checks", test_spc_load_checks);
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
