/* test-drive-db.c: drive family files: every shipped file, the NEC table, errors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "rf-drive-db.h"
#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-paths.h"

/* The shipped families, each in the file named after its id. */
static const char * const shipped_ids[] = {
  "nec-2m", "spc-deferred", "spc-generic", "spc-single",
};

static void
test_shipped_files (void)
{
  g_autofree char *dir = rf_paths_get_data_subdir ("drives");
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GError) error = NULL;
  const char *name;
  guint files = 0;

  g_assert_nonnull (listing);
  /* Each file alone, so that a failure names it. */
  while ((name = g_dir_read_name (listing)) != NULL)
    {
      g_autoptr(RfDriveDb) db = rf_drive_db_new ();
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *id = g_strndup (name, strlen (name) - strlen (".conf"));

      g_test_message ("%s", name);
      g_assert_true (g_str_has_suffix (name, ".conf"));
      g_assert_true (rf_drive_db_load_file (db, path, &error));
      g_assert_no_error (error);
      g_assert_nonnull (rf_drive_db_lookup (db, id));
      files++;
    }
  g_assert_cmpuint (files, >=, G_N_ELEMENTS (shipped_ids));
  for (gsize i = 0; i < G_N_ELEMENTS (shipped_ids); i++)
    {
      g_autofree char *file = g_strconcat (shipped_ids[i], ".conf", NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_nec_agrees_with_core (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;
  const RfNecType *types;
  gsize n_types;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "nec-2m");
  g_assert_nonnull (family);
  g_assert_cmpstr (family->protocol, ==, "nec-2m");
  g_assert_cmpstr (family->image_format, ==, "nec-2m");
  types = rf_nec_types (&n_types);
  g_assert_cmpuint (family->models->len, ==, n_types);
  for (gsize i = 0; i < n_types; i++)
    {
      const RfDriveModel *model = g_ptr_array_index (family->models, i);

      /* Same order: key probing tries keys in table order. */
      g_assert_cmpstr (model->id, ==, types[i].id);
      g_assert_cmpstr (family->safe_mode_keys[i], ==, types[i].id);
      g_assert_cmpstrv (model->aliases, ((const char * const[]) { types[i].alias, NULL }));
      g_assert_cmpstr (model->name, ==, types[i].model);
      g_assert_cmpmem (model->vendor, 8, RF_NEC_VENDOR, 8);
      g_assert_cmpmem (model->product, 16, types[i].product, 16);
      g_assert_cmpstr (model->rid_code, ==, types[i].rid_code);
      g_assert_cmpstr (model->model_digits, ==, types[i].model_digits);
      g_assert_cmpstr (model->base_hardware, ==, "K355");
      g_assert_true (rf_drive_family_find_model (family, types[i].alias) == model);
    }
  g_assert_null (family->safe_mode_keys[n_types]);
  g_assert_cmpuint (rf_drive_family_get_expected_seconds (family, "erase"), >, 0);
  g_assert_cmpstr (rf_drive_family_get_led_hint (family, "erase"), ==, "blinking-fast");
}

static void
make_inquiry (guint8     *data,
              const char *vendor,
              const char *product,
              const char *revision)
{
  memset (data, 0, 36);
  memcpy (data + 8, vendor, 8);
  memcpy (data + 16, product, 16);
  memcpy (data + 32, revision, 4);
}

static void
test_match (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  const RfDriveModel *model = NULL;
  gboolean boot_mode = TRUE;
  guint8 data[36];

  g_assert_no_error (error);
  make_inquiry (data, "_NEC    ", "DVD_RW ND-4551A ", "1.09");
  g_assert_nonnull (rf_drive_db_match (db, data, sizeof data, &model, &boot_mode));
  g_assert_cmpstr (model->id, ==, "K451");
  g_assert_false (boot_mode);
  make_inquiry (data, "_NEC    ", "DVD_RW ND-3550A ", "0.05");
  g_assert_nonnull (rf_drive_db_match (db, data, sizeof data, &model, &boot_mode));
  g_assert_cmpstr (model->id, ==, "K355");
  g_assert_true (boot_mode);
  /* Byte for byte: case, padding and substrings do not match. */
  make_inquiry (data, "_nec    ", "DVD_RW ND-3550A ", "1.05");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
  make_inquiry (data, "_NEC    ", "DVD_RW ND-3550AX", "1.05");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
  make_inquiry (data, "_NEC\0\0\0\0", "DVD_RW ND-3550A ", "1.05");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
  make_inquiry (data, "QEMU    ", "QEMU DVD-ROM    ", "2.5+");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
  /* nec-2m.md §0: "0" at byte 32 without "0." is neither mode: no family. */
  make_inquiry (data, "_NEC    ", "DVD_RW ND-3550A ", "0100");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
  make_inquiry (data, "_NEC    ", "DVD_RW ND-3550A ", "0-05");
  g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
}

typedef struct {
  const char *name;
  const char *text;
  const char *message;
} BadFile;

#define GOOD_FAMILY "[Family]\nId=x\nName=X\nProtocol=nec-2m\nImageFormat=nec-2m\n" \
                    "Support=spec-only\nSafeModeKeys=K355\n"
#define GOOD_MODEL "[Model K355]\nName=ND-3550A\nVendor=_NEC\\s\\s\\s\\s\n" \
                   "Product=DVD_RW ND-3550A\\s\n"

#define SPC_DOWNLOAD "[Family]\nId=s\nName=S\nProtocol=spc-download\nImageFormat=raw\n" \
                     "Support=spec-only\n" GOOD_MODEL \
                     "[Download]\nVariant=single\nChunkSize=4096\n"

static const BadFile bad_files[] = {
  { "unknown-key", GOOD_FAMILY "Colour=blue\n" GOOD_MODEL, "bad.conf: [Family] Colour: unknown key" },
  { "bad-protocol", "[Family]\nId=x\nName=X\nProtocol=scsi\n" GOOD_MODEL,
    "bad.conf: [Family] Protocol:" },
  { "bad-support", "[Family]\nId=x\nName=X\nProtocol=nec-2m\nImageFormat=nec-2m\nSupport=maybe\n"
    GOOD_MODEL, "bad.conf: [Family] Support:" },
  { "short-vendor", GOOD_FAMILY "[Model K355]\nName=ND-3550A\nVendor=_NEC\n"
    "Product=DVD_RW ND-3550A\\s\n", "bad.conf: [Model K355] Vendor: must be exactly 8 bytes" },
  { "long-product", GOOD_FAMILY "[Model K355]\nName=ND-3550A\nVendor=_NEC\\s\\s\\s\\s\n"
    "Product=DVD_RW ND-3550A\\s\\s\n", "bad.conf: [Model K355] Product: must be exactly 16" },
  { "unknown-group", GOOD_FAMILY GOOD_MODEL "[Extras]\nA=b\n", "bad.conf: [Extras]: unknown group" },
  { "unknown-phase", GOOD_FAMILY GOOD_MODEL "[ExpectedSeconds]\nnap=5\n",
    "bad.conf: [ExpectedSeconds] nap: unknown phase" },
  { "bad-seconds", GOOD_FAMILY GOOD_MODEL "[ExpectedSeconds]\nerase=soon\n",
    "bad.conf: [ExpectedSeconds] erase: not a number" },
  { "bad-led", GOOD_FAMILY GOOD_MODEL "[LedHints]\nerase=purple\n",
    "bad.conf: [LedHints] erase:" },
  { "foreign-key", "[Family]\nId=x\nName=X\nProtocol=nec-2m\nImageFormat=nec-2m\n"
    "Support=spec-only\nSafeModeKeys=K999\n" GOOD_MODEL, "bad.conf: [Family] SafeModeKeys:" },
  /* A model of the file, but not one of the five NEC keys (nec-2m.md §2). */
  { "non-nec-key", "[Family]\nId=x\nName=X\nProtocol=nec-2m\nImageFormat=nec-2m\n"
    "Support=spec-only\nSafeModeKeys=X123\n[Model X123]\nName=X-123\n"
    "Vendor=_NEC\\s\\s\\s\\s\nProduct=DVD_RW ND-9999A\\s\n",
    "bad.conf: [Family] SafeModeKeys: every key must be one of the NEC keys" },
  { "download-for-nec", GOOD_FAMILY GOOD_MODEL "[Download]\nVariant=single\n",
    "bad.conf: [Download]: only spc-download" },
  { "bad-variant", "[Family]\nId=s\nName=S\nProtocol=spc-download\nImageFormat=raw\n"
    "Support=spec-only\n" GOOD_MODEL "[Download]\nVariant=sometimes\nChunkSize=4096\n",
    "bad.conf: [Download] Variant:" },
  { "long-settle", "[Family]\nId=s\nName=S\nProtocol=spc-download\nImageFormat=raw\n"
    "Support=spec-only\n" GOOD_MODEL "[Download]\nVariant=single\nChunkSize=4096\n"
    "SettleSeconds=301\n", "bad.conf: [Download] SettleSeconds:" },
  { "bad-chunk", "[Family]\nId=s\nName=S\nProtocol=spc-download\nImageFormat=raw\n"
    "Support=spec-only\n" GOOD_MODEL "[Download]\nVariant=single\nChunkSize=big\n",
    "bad.conf: [Download] ChunkSize:" },
  { "dump-id-too-big", SPC_DOWNLOAD "DumpBufferId=256\nDumpLength=4096\n",
    "bad.conf: [Download] DumpBufferId: not a number" },
  { "dump-length-zero", SPC_DOWNLOAD "DumpBufferId=2\nDumpLength=0\n",
    "bad.conf: [Download] DumpLength: must be more than 0" },
  { "dump-length-text", SPC_DOWNLOAD "DumpBufferId=2\nDumpLength=all\n",
    "bad.conf: [Download] DumpLength: not a number" },
  { "dump-id-alone", SPC_DOWNLOAD "DumpBufferId=2\n",
    "bad.conf: [Download] DumpBufferId: DumpBufferId and DumpLength go together" },
  { "dump-length-alone", SPC_DOWNLOAD "DumpLength=4096\n",
    "bad.conf: [Download] DumpLength: DumpBufferId and DumpLength go together" },
  { "dump-for-nec", GOOD_FAMILY GOOD_MODEL "[Download]\nDumpBufferId=2\nDumpLength=4096\n",
    "bad.conf: [Download]: only spc-download" },
  /* spc-download.md "Chunks": a refused descriptor needs both, never half. */
  { "boundary-alone", SPC_DOWNLOAD "OffsetBoundary=2\n",
    "bad.conf: [Download] OffsetBoundary: OffsetBoundary and BufferCapacity go together" },
  { "capacity-alone", SPC_DOWNLOAD "BufferCapacity=0x10000\n",
    "bad.conf: [Download] BufferCapacity: OffsetBoundary and BufferCapacity go together" },
  { "boundary-too-big", SPC_DOWNLOAD "OffsetBoundary=256\nBufferCapacity=0x10000\n",
    "bad.conf: [Download] OffsetBoundary: not a number" },
  { "boundary-text", SPC_DOWNLOAD "OffsetBoundary=none\nBufferCapacity=0x10000\n",
    "bad.conf: [Download] OffsetBoundary: not a number" },
  { "capacity-zero", SPC_DOWNLOAD "OffsetBoundary=2\nBufferCapacity=0\n",
    "bad.conf: [Download] BufferCapacity: must be more than 0" },
  /* The descriptor's capacity field has 24 bits. */
  { "capacity-too-big", SPC_DOWNLOAD "OffsetBoundary=2\nBufferCapacity=0x1000000\n",
    "bad.conf: [Download] BufferCapacity: not a number" },
  { "descriptor-for-nec", GOOD_FAMILY GOOD_MODEL
    "[Download]\nOffsetBoundary=2\nBufferCapacity=0x10000\n",
    "bad.conf: [Download]: only spc-download" },
  { "no-models", GOOD_FAMILY, "bad.conf: [Family]: no [Model" },
  { "not-a-keyfile", "this is not a key file\n", "bad.conf:" },
};

/* Loads @text as a file named bad.conf into @db, from a folder removed after. */
static gboolean
load_text (RfDriveDb  *db,
           const char *text,
           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reflash-drive-db-XXXXXX", &local_error);
  g_autofree char *path = NULL;
  gboolean loaded;

  g_assert_no_error (local_error);
  path = g_build_filename (dir, "bad.conf", NULL);
  g_assert_true (g_file_set_contents (path, text, -1, &local_error));
  loaded = rf_drive_db_load_file (db, path, error);
  g_unlink (path);
  g_rmdir (dir);
  return loaded;
}

static void
test_bad_file (gconstpointer data)
{
  const BadFile *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new ();

  g_assert_false (load_text (db, bad->text, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_FILE);
  if (!g_str_has_prefix (error->message, bad->message))
    g_error ("“%s” does not start with “%s”", error->message, bad->message);
  g_assert_cmpuint (rf_drive_db_get_families (db)->len, ==, 0);
}

static void
test_spc_download (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "spc-generic");
  g_assert_nonnull (family);
  g_assert_cmpint (family->support, ==, RF_DRIVE_SUPPORT_SPEC_ONLY);
  g_assert_cmpint (family->download.variant, ==, RF_SPC_VARIANT_OFFSETS);
  g_assert_cmpuint (family->download.chunk_size, ==, 0);
  g_assert_cmpuint (family->download.settle_seconds, ==, 60);
  g_assert_cmpuint (family->download.image_sizes->len, ==, 1);
  g_assert_true (family->download.has_model_check);
  g_assert_true (family->download.boot_mode_accepts_download);
  g_assert_true (rf_drive_family_is_boot_revision (family, (const guint8 *) "0000"));
  g_assert_false (rf_drive_family_is_boot_revision (family, (const guint8 *) "1.00"));
  /* The practice SPC drive answers READ BUFFER mode 2 with its whole image. */
  g_assert_true (family->download.has_dump);
  g_assert_cmpuint (family->download.dump_buffer_id, ==, 0);
  g_assert_cmpuint (family->download.dump_length, ==, 0x100000);
  /* Its drive answers READ BUFFER mode 3: the data gives no stand-in. */
  g_assert_false (family->download.has_descriptor);
  g_assert_cmpuint (rf_drive_family_get_expected_seconds (family, "backup"), ==, 30);
  g_assert_cmpstr (rf_drive_family_get_led_hint (family, "backup"), ==, "short-blinks");
}

typedef struct {
  const char *id;
  RfSpcVariant variant;
  guint buffer_id;
  guint32 chunk_size; /* 0: from the descriptor */
  guint64 image_size;
  const char *product;
  const char *led_phase; /* a phase only this variant has, or NULL */
} VariantCase;

/* One shipped family per variant the practice drive rehearses. */
static const VariantCase variant_cases[] = {
  { "spc-single", RF_SPC_VARIANT_SINGLE, 0, 0, 0x40000, "PRACTICE SPC1CMD", NULL },
  { "spc-generic", RF_SPC_VARIANT_OFFSETS, 0, 0, 0x100000, "PRACTICE SPC    ", NULL },
  { "spc-deferred", RF_SPC_VARIANT_DEFERRED, 4, 0x8000, 0x80000, "PRACTICE SPC DEF", "activate" },
};

/* The phases of every spc-download flash (spc-download.md "Phases"). */
static const char * const spc_phases[] = { "preflight", "backup", "upload", "settle", "verify" };

static void
test_spc_variant (gconstpointer data)
{
  const VariantCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family;
  const RfDriveModel *model;
  const RfSpcDownload *download;
  g_autofree char *product = g_strchomp (g_strdup (c->product));

  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, c->id);
  g_assert_nonnull (family);
  download = &family->download;
  g_assert_cmpstr (family->protocol, ==, "spc-download");
  g_assert_cmpstr (family->image_format, ==, "raw");
  g_assert_cmpint (family->support, ==, RF_DRIVE_SUPPORT_SPEC_ONLY);
  g_assert_true (rf_drive_family_is_boot_revision (family, (const guint8 *) "0000"));
  g_assert_cmpuint (family->models->len, ==, 1);
  model = g_ptr_array_index (family->models, 0);
  g_assert_cmpmem (model->vendor, RF_DRIVE_VENDOR_LENGTH, "REFLASH ", 8);
  g_assert_cmpmem (model->product, RF_DRIVE_PRODUCT_LENGTH, c->product, 16);
  g_assert_cmpint (download->variant, ==, c->variant);
  g_assert_cmpuint (download->buffer_id, ==, c->buffer_id);
  g_assert_cmpuint (download->start_offset, ==, 0);
  g_assert_cmpuint (download->chunk_size, ==, c->chunk_size);
  g_assert_cmpuint (download->image_sizes->len, ==, 1);
  g_assert_cmpuint (g_array_index (download->image_sizes, guint64, 0), ==, c->image_size);
  /* The model check names the model itself, as INQUIRY shows it, padding dropped. */
  g_assert_true (download->has_model_check);
  g_assert_cmpmem (g_bytes_get_data (download->model_check, NULL),
                   g_bytes_get_size (download->model_check), product, strlen (product));
  g_assert_true (download->has_revision_offset);
  g_assert_true (download->boot_mode_accepts_download);
  /* A backup reads the whole image back from the download buffer. */
  g_assert_true (download->has_dump);
  g_assert_cmpuint (download->dump_buffer_id, ==, c->buffer_id);
  g_assert_cmpuint (download->dump_length, ==, c->image_size);
  g_assert_false (download->has_descriptor);
  for (gsize i = 0; i < G_N_ELEMENTS (spc_phases); i++)
    {
      g_assert_cmpuint (rf_drive_family_get_expected_seconds (family, spc_phases[i]), >, 0);
      g_assert_nonnull (rf_drive_family_get_led_hint (family, spc_phases[i]));
    }
  if (c->led_phase != NULL)
    {
      g_assert_cmpuint (rf_drive_family_get_expected_seconds (family, c->led_phase), >, 0);
      g_assert_nonnull (rf_drive_family_get_led_hint (family, c->led_phase));
    }
  else
    g_assert_null (rf_drive_family_get_led_hint (family, "activate"));
  /* An image of one SPC family never has the size another one takes. */
  for (gsize i = 0; i < G_N_ELEMENTS (variant_cases); i++)
    if (&variant_cases[i] != c)
      g_assert_cmpuint (variant_cases[i].image_size, !=, c->image_size);
}

typedef struct {
  const char *name;
  const char *keys;
  gboolean has_dump;
  guint dump_buffer_id;
  guint dump_length;
} DumpCase;

static const DumpCase dump_cases[] = {
  { "none", "", FALSE, 0, 0 },
  { "decimal", "DumpBufferId=2\nDumpLength=4096\n", TRUE, 2, 4096 },
  { "hex", "DumpBufferId=0xff\nDumpLength=0x200000\n", TRUE, 255, 0x200000 },
};

static void
test_dump (gconstpointer data)
{
  const DumpCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (SPC_DOWNLOAD, c->keys, NULL);
  g_autoptr(RfDriveDb) db = rf_drive_db_new ();
  RfDriveFamily *family;

  g_assert_true (load_text (db, text, &error));
  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "s");
  g_assert_nonnull (family);
  g_assert_cmpint (family->download.has_dump, ==, c->has_dump);
  g_assert_cmpuint (family->download.dump_buffer_id, ==, c->dump_buffer_id);
  g_assert_cmpuint (family->download.dump_length, ==, c->dump_length);
}

typedef struct {
  const char *name;
  const char *keys;
  gboolean has_descriptor;
  guint offset_boundary;
  guint buffer_capacity;
} DescriptorCase;

static const DescriptorCase descriptor_cases[] = {
  { "none", "", FALSE, 0, 0 },
  { "decimal", "OffsetBoundary=9\nBufferCapacity=65536\n", TRUE, 9, 65536 },
  /* 0xFF: no offsets; the largest capacity the 24-bit field holds. */
  { "no-offsets", "OffsetBoundary=0xFF\nBufferCapacity=0xFFFFFF\n", TRUE, 255, 0xffffff },
  { "smallest", "OffsetBoundary=0\nBufferCapacity=1\n", TRUE, 0, 1 },
};

static void
test_descriptor (gconstpointer data)
{
  const DescriptorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (SPC_DOWNLOAD, c->keys, NULL);
  g_autoptr(RfDriveDb) db = rf_drive_db_new ();
  RfDriveFamily *family;

  g_assert_true (load_text (db, text, &error));
  g_assert_no_error (error);
  family = rf_drive_db_lookup (db, "s");
  g_assert_nonnull (family);
  g_assert_cmpint (family->download.has_descriptor, ==, c->has_descriptor);
  g_assert_cmpuint (family->download.offset_boundary, ==, c->offset_boundary);
  g_assert_cmpuint (family->download.buffer_capacity, ==, c->buffer_capacity);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/drive-db/shipped-files", test_shipped_files);
  g_test_add_func ("/reflash/drive-db/nec-agrees-with-core", test_nec_agrees_with_core);
  g_test_add_func ("/reflash/drive-db/match", test_match);
  g_test_add_func ("/reflash/drive-db/spc-download", test_spc_download);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/drive-db/bad/%s", bad_files[i].name);
      g_test_add_data_func (path, &bad_files[i], test_bad_file);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (dump_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/drive-db/dump/%s", dump_cases[i].name);
      g_test_add_data_func (path, &dump_cases[i], test_dump);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (variant_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/drive-db/spc-variant/%s",
                                               variant_cases[i].id);
      g_test_add_data_func (path, &variant_cases[i], test_spc_variant);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (descriptor_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/drive-db/descriptor/%s",
                                               descriptor_cases[i].name);
      g_test_add_data_func (path, &descriptor_cases[i], test_descriptor);
    }
  return g_test_run ();
}
