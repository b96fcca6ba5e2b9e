/* test-flash-spc.c: SPC microcode downloads on practice drives, proven against
 * the practice drive's own stored microcode (issue 18, spc-download.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "rf-core.h"
#include "rf-sim.h"
#include "rf-test-hook.h"
#include "rf-test-util.h"

#define OP_WRITE_BUFFER 0x3b
#define MODE_ACTIVATE   0x0f
#define ALL_CONFIRMED (RF_FLASH_CONFIRM_UNTESTED | RF_FLASH_CONFIRM_TRAY_EMPTY | \
                       RF_FLASH_CONFIRM_UNKNOWN_ORDER)

static RfDriveDb *db;

typedef struct {
  char *dir;
  RfDriveDb *db;             /* the shipped families, plus a test's own */
  RfSimScenario *scenario;
  RfSimClock *clock;
  RfSimDrive *drive;
  TestHookTransport *hook;
  RfDevice *device;
  RfBackupStore *store;
  RfJournalStore *journals;
  GCancellable *cancellable;
  RfFlashJob *job;
  RfFirmwareCheck *check;
  GBytes *stored_before;
  gint64 last_write_us;      /* the drive's clock at the last WRITE BUFFER */
  gint64 first_after_us;     /* ... at the first command after it, -1 before one */
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *journals = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-flash-spc-XXXXXX", &error);
  g_assert_no_error (error);
  backups = g_build_filename (fixture->dir, "backups", NULL);
  journals = g_build_filename (fixture->dir, "journals", NULL);
  fixture->store = rf_backup_store_new (backups);
  fixture->journals = rf_journal_store_new (journals);
  fixture->cancellable = g_cancellable_new ();
  fixture->db = g_object_ref (db);
  fixture->scenario = rf_sim_scenario_load (data, &error);
  g_assert_no_error (error);
  rf_backup_job_forget_all ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->job);
  g_clear_object (&fixture->check);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->hook);
  if (fixture->drive != NULL)
    g_assert_finalize_object (fixture->drive);
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->journals);
  g_clear_object (&fixture->cancellable);
  g_clear_object (&fixture->db);
  g_clear_pointer (&fixture->scenario, rf_sim_scenario_free);
  g_clear_pointer (&fixture->stored_before, g_bytes_unref);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  rf_backup_job_forget_all ();
}

static guint8
variant_mode (RfSimSpcVariant variant)
{
  switch (variant)
    {
    case RF_SIM_SPC_SINGLE:
      return 0x05;
    case RF_SIM_SPC_DEFERRED:
      return 0x0e;
    case RF_SIM_SPC_OFFSETS:
    default:
      return 0x07;
    }
}

/* When the drive was asked what, in the modelled time Reflash's waits pass
 * on: the settle waits. */
static void
on_command (guint            n,
            const RfCommand *command,
            gpointer         user_data)
{
  Fixture *fixture = user_data;
  gint64 now = rf_clock_get_now_us (RF_CLOCK (fixture->clock));

  if (command->cdb[0] == OP_WRITE_BUFFER)
    {
      /* The command gate, in every test: only the variant's mode, and 0x0F
       * for the deferred one, ever reach the drive. */
      g_assert_true (command->cdb[1] == variant_mode (fixture->scenario->variant) ||
                     (fixture->scenario->variant == RF_SIM_SPC_DEFERRED &&
                      command->cdb[1] == MODE_ACTIVATE));
      fixture->last_write_us = now;
      fixture->first_after_us = -1;
    }
  else if (fixture->first_after_us < 0)
    fixture->first_after_us = now;
}

/* The drive, from the fixture's scenario as the test changed it. */
static void
open_drive (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *state = g_build_filename (fixture->dir, "drive.state", NULL);
  g_autofree char *id = g_strconcat ("practice:", fixture->scenario->id, NULL);
  g_autofree char *lock = g_strconcat ("practice-", fixture->scenario->id, NULL);

  fixture->clock = rf_sim_clock_new (FALSE);
  rf_sim_clock_set_speed (fixture->clock, 0.0);
  fixture->drive = rf_sim_drive_new (fixture->scenario, state, fixture->clock, &error);
  g_assert_no_error (error);
  fixture->hook = test_hook_transport_new (rf_sim_transport_new (fixture->drive));
  fixture->device = rf_device_new_for_transport (id, RF_TRANSPORT (fixture->hook), lock);
  fixture->stored_before = rf_sim_drive_dup_flash (fixture->drive);
  fixture->hook->func = on_command;
  fixture->hook->user_data = fixture;
  fixture->first_after_us = -1;
}

/* An image for the drive as a deep look finds it; then back to the drive as
 * listed: the job looks for itself. */
static void
make_check (Fixture    *fixture,
            const char *revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfPracticeImage) image = NULL;

  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_DEEP, NULL,
                                  &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (fixture->device);
  family = rf_device_dup_family (fixture->device);
  image = rf_practice_image_build (identity, family, FALSE, revision, &error);
  g_assert_no_error (error);
  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_PASSIVE, NULL,
                                  &error));
  g_clear_object (&fixture->check);
  fixture->check = rf_firmware_check_new_for_bytes (image->file_name, image->bytes);
}

/* An image the practice drive builds itself, for any @product. */
static void
make_check_for_product (Fixture    *fixture,
                        const char *product)
{
  g_autoptr(GBytes) image = rf_sim_spc_image_new (fixture->scenario, product, "1.06");
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_PASSIVE, NULL,
                                  &error));
  g_assert_no_error (error);
  fixture->check = rf_firmware_check_new_for_bytes ("other.bin", image);
}

static gboolean
run_job (Fixture               *fixture,
         RfFlashConfirmations   confirmations,
         GError               **error)
{
  g_clear_object (&fixture->job);
  fixture->job = rf_flash_job_new (fixture->device, fixture->db, fixture->check, fixture->store);
  rf_flash_job_set_journal_store (fixture->job, fixture->journals);
  rf_flash_job_set_confirmations (fixture->job, confirmations);
  return rf_job_run (RF_JOB (fixture->job), fixture->cancellable, error);
}

static gboolean
run_resume (Fixture               *fixture,
            RfJournal             *journal,
            GError               **error)
{
  g_autoptr(GBytes) image = rf_journal_load_image (journal, error);

  if (image == NULL)
    return FALSE;
  g_clear_object (&fixture->check);
  fixture->check = rf_firmware_check_new_for_bytes ("journal copy", image);
  g_clear_object (&fixture->job);
  fixture->job = rf_flash_job_new (fixture->device, fixture->db, fixture->check, fixture->store);
  rf_flash_job_set_journal_store (fixture->job, fixture->journals);
  rf_flash_job_set_resume (fixture->job, journal);
  rf_flash_job_set_confirmations (fixture->job, ALL_CONFIRMED);
  return rf_job_run (RF_JOB (fixture->job), fixture->cancellable, error);
}

static GPtrArray *
list_journals (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *journals = rf_journal_store_list (fixture->journals, &error);

  g_assert_no_error (error);
  return journals;
}

/* ---- what the drive holds and says, asked past Reflash ---- */

static char *
revision_now (Fixture *fixture)
{
  guint8 cdb[6] = { 0x12, 0, 0, 0, 0x60, 0 };
  guint8 data[0x60] = { 0 };
  RfCommand command;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_command_init (&command, cdb, sizeof cdb, RF_DIRECTION_IN, data, sizeof data,
                                  20000));
  g_assert_true (rf_sim_drive_execute (fixture->drive, &command, &error));
  g_assert_no_error (error);
  return g_strndup ((const char *) data + 32, 4);
}

static void
assert_stored_is_image (Fixture *fixture)
{
  g_autoptr(GBytes) stored = rf_sim_drive_dup_flash (fixture->drive);
  GBytes *image = rf_firmware_get_image (rf_firmware_check_get_judged (fixture->check));

  g_assert_true (g_bytes_equal (stored, image));
}

static void
assert_stored_unchanged (Fixture *fixture)
{
  g_autoptr(GBytes) stored = rf_sim_drive_dup_flash (fixture->drive);

  g_assert_true (g_bytes_equal (stored, fixture->stored_before));
}

static void
assert_revision (Fixture    *fixture,
                 const char *expected)
{
  g_autofree char *revision = revision_now (fixture);

  g_assert_cmpstr (revision, ==, expected);
}

/* The WRITE BUFFERs the job sent, as its transcript has them. */
typedef struct {
  guint n;
  guint n_activate;
  guint32 max_length;
  gboolean offsets_rising;
  gboolean all_aligned;
  guint8 modes_seen[256];
} Writes;

static void
read_writes (Fixture *fixture,
             guint    boundary,
             Writes  *writes)
{
  g_autoptr(RfRecorder) transcript = rf_job_dup_transcript (RF_JOB (fixture->job));
  gint64 last_offset = -1;

  *writes = (Writes) { .offsets_rising = TRUE, .all_aligned = TRUE };
  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);
      guint32 offset = (guint32) entry->cdb[3] << 16 | (guint32) entry->cdb[4] << 8 | entry->cdb[5];
      guint32 length = (guint32) entry->cdb[6] << 16 | (guint32) entry->cdb[7] << 8 | entry->cdb[8];

      if (entry->cdb[0] != OP_WRITE_BUFFER)
        continue;
      writes->modes_seen[entry->cdb[1]] = TRUE;
      if (entry->cdb[1] == MODE_ACTIVATE)
        {
          writes->n_activate++;
          continue;
        }
      writes->n++;
      writes->max_length = MAX (writes->max_length, length);
      writes->offsets_rising &= (gint64) offset > last_offset;
      writes->all_aligned &= boundary >= 32 || offset % (1u << boundary) == 0;
      last_offset = offset;
    }
}

/* The command gate: only the family's variant mode (and 0x0F for deferred)
 * ever reached the drive. */
static void
assert_only_modes (const Writes *writes,
                   guint8        mode,
                   gboolean      activate)
{
  for (guint m = 0; m < 256; m++)
    if (writes->modes_seen[m])
      g_assert_true (m == mode || (activate && m == MODE_ACTIVATE));
}

/* ---- the three variants end to end ---- */

typedef struct {
  const char *scenario;
  guint8 mode;
  guint n_writes;
  gboolean activate;
} Variant;

static const Variant variants[] = {
  /* 1 MiB in the 64 KiB the practice transport carries by default */
  { "spc-generic", 0x07, 16, FALSE },
  /* boundary 0xFF: the whole 256 KiB at offset 0 in one command */
  { "spc-single", 0x05, 1, FALSE },
  /* 512 KiB in the family's 32 KiB chunks, then the activation */
  { "spc-deferred", 0x0e, 16, TRUE },
};

static void
test_variant (Fixture       *fixture,
              gconstpointer  data)
{
  const Variant *variant = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;
  g_autoptr(RfDriveIdentity) after = NULL;
  Writes writes;

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    if (g_str_equal (variants[i].scenario, data))
      variant = &variants[i];
  /* Downloads and saves take no time here: what passes after the last
   * WRITE BUFFER is Reflash's own wait. */
  fixture->scenario->cost_ms[RF_SIM_COST_WRITE_BUFFER] = 0;
  fixture->scenario->cost_ms[RF_SIM_COST_SAVE] = 0;
  open_drive (fixture);
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);

  assert_revision (fixture, "1.06");
  assert_stored_is_image (fixture);
  after = rf_flash_job_dup_identity_after (fixture->job);
  g_assert_cmpstr (after->revision, ==, "1.06");
  g_assert_true (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  /* The running firmware was backed up first, and the journal is closed. */
  g_assert_nonnull (rf_flash_job_get_backup (fixture->job));
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 0);

  read_writes (fixture, 0, &writes);
  g_assert_cmpuint (writes.n, ==, variant->n_writes);
  g_assert_cmpuint (writes.n_activate, ==, variant->activate ? 1 : 0);
  g_assert_true (writes.offsets_rising);
  assert_only_modes (&writes, variant->mode, variant->activate);
  /* The drive restarts: the first poll comes 2 s after the last WRITE BUFFER. */
  g_assert_cmpint (fixture->first_after_us - fixture->last_write_us, >=, 2 * G_USEC_PER_SEC);
}

/* A family file like spc-generic.conf with @from replaced by @to, loaded
 * beside the shipped ones under another Id and product. */
static void
add_family (Fixture    *fixture,
            const char *product,
            const char *from,
            const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *shipped = NULL;
  g_autofree char *source = g_build_filename (g_getenv ("REFLASH_DATA_DIR"), "drives",
                                              "spc-generic.conf", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "family.conf", NULL);
  g_autofree char *product_line = NULL;
  g_autofree char *model_line = NULL;
  GString *padded = g_string_new (product);
  GString *text;

  g_assert_true (g_file_get_contents (source, &shipped, NULL, &error));
  g_assert_no_error (error);
  text = g_string_new (shipped);
  g_assert_cmpint (g_string_replace (text, "Id=spc-generic", "Id=spc-test", 1), ==, 1);
  /* The file writes padding spaces as \s. */
  for (gsize i = strlen (product); i < 16; i++)
    g_string_append (padded, "\\s");
  product_line = g_strconcat ("Product=", padded->str, NULL);
  g_string_free (padded, TRUE);
  g_assert_cmpint (g_string_replace (text, "Product=PRACTICE SPC\\s\\s\\s\\s", product_line, 1), ==, 1);
  if (from != NULL)
    g_assert_cmpint (g_string_replace (text, from, to, 0), >=, 1);
  /* Its images name its own product, where it checks one. */
  model_line = g_strconcat ("ModelCheckBytes=", product, "\n", NULL);
  g_string_replace (text, "ModelCheckBytes=PRACTICE SPC\n", model_line, 0);
  g_assert_true (g_file_set_contents (path, text->str, -1, &error));
  g_string_free (text, TRUE);
  g_clear_object (&fixture->db);
  fixture->db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  rf_drive_db_load_file (fixture->db, path, &error);
  g_assert_no_error (error);
  g_free (fixture->scenario->product);
  fixture->scenario->product = g_strdup (product);
}

/* ---- chunks ---- */

/* Boundary 0xFF on an offsets drive: no offsets, one command of the whole
 * image, where the connection carries it. */
static void
test_chunk_no_offsets (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Writes writes;

  fixture->scenario->offset_boundary = 0xff;
  fixture->scenario->max_transfer = 0x100000;
  open_drive (fixture);
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  read_writes (fixture, 0xff, &writes);
  g_assert_cmpuint (writes.n, ==, 1);
  g_assert_cmpuint (writes.max_length, ==, 0x100000);
  assert_stored_is_image (fixture);
}

/* A transport maximum that is no multiple of the boundary: chunks are cut
 * down to whole 16-byte steps, every offset on a step. */
static void
test_chunk_small_boundary (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Writes writes;

  fixture->scenario->offset_boundary = 4;
  open_drive (fixture);
  fixture->hook->max_transfer = 0x3001;
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  read_writes (fixture, 4, &writes);
  g_assert_cmpuint (writes.max_length, ==, 0x3000);
  g_assert_cmpuint (writes.n, ==, (0x100000 + 0x2fff) / 0x3000);
  g_assert_true (writes.all_aligned);
  g_assert_true (writes.offsets_rising);
  assert_stored_is_image (fixture);
}

/* The connection's limit below the descriptor's capacity decides the chunk. */
static void
test_chunk_transport_limit (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Writes writes;

  open_drive (fixture);
  fixture->hook->max_transfer = 0x8000;
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  read_writes (fixture, 2, &writes);
  g_assert_cmpuint (writes.max_length, ==, 0x8000);
  g_assert_cmpuint (writes.n, ==, 32);
  assert_stored_is_image (fixture);
}

static void
assert_nothing_written (Fixture *fixture)
{
  g_autoptr(GPtrArray) journals = list_journals (fixture);
  Writes writes;

  read_writes (fixture, 0, &writes);
  g_assert_cmpuint (writes.n + writes.n_activate, ==, 0);
  g_assert_false (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  g_assert_cmpuint (journals->len, ==, 0);
  assert_stored_unchanged (fixture);
  assert_revision (fixture, "1.00");
}

/* A buffer smaller than the image: refused before anything is sent. */
static void
test_chunk_capacity_too_small (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->scenario->buffer_capacity = 0x80000;
  open_drive (fixture);
  make_check (fixture, "1.06");
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED);
  assert_nothing_written (fixture);
}

/* One command that the connection cannot carry: refused before anything is
 * sent, never cut into pieces the drive does not take. */
static void
test_chunk_single_too_large (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  open_drive (fixture);
  fixture->hook->max_transfer = 0x10000;
  make_check (fixture, "1.06");
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  assert_nothing_written (fixture);
}

/* A drive that refuses the descriptor is flashed within the family data's
 * boundary and capacity. */
static void
test_chunk_family_descriptor (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  Writes writes;

  add_family (fixture, "PRACTICE SPCDESC", "BootModeAcceptsDownload=true",
              "BootModeAcceptsDownload=true\nOffsetBoundary=4\nBufferCapacity=0x100000");
  fixture->scenario->descriptor = FALSE;
  fixture->scenario->offset_boundary = 4;
  open_drive (fixture);
  fixture->hook->max_transfer = 0x3001;
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  read_writes (fixture, 4, &writes);
  g_assert_cmpuint (writes.max_length, ==, 0x3000);
  g_assert_true (writes.all_aligned);
  assert_stored_is_image (fixture);
}

/* ---- outcomes decided from the new identity ---- */

/* The drive restarts into the new microcode before it answers the last
 * chunk: outcome unknown, settle, and the new identity proves success. */
static void
test_drop_before_last_answer (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;
  Writes writes;

  fixture->scenario->activation_drops_connection = TRUE;
  open_drive (fixture);
  make_check (fixture, "1.06");
  g_assert_true (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_no_error (error);
  assert_revision (fixture, "1.06");
  assert_stored_is_image (fixture);
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 0);
  /* No WRITE BUFFER after the one without an answer. */
  read_writes (fixture, 0, &writes);
  g_assert_cmpuint (writes.n, ==, 16);
}

/* Every command GOOD, the old revision after: a silent flash, reported as a
 * failure of a drive that still works. */
static void
test_silent_flash (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;
  RfSimFault fault;

  open_drive (fixture);
  make_check (fixture, "1.06");
  rf_sim_fault_init (&fault, RF_SIM_FAULT_SILENT_FLASH, RF_SIM_PHASE_UPLOAD, 0);
  rf_sim_drive_add_fault (fixture->drive, &fault);
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_VERIFY_FAILED);
  g_assert_nonnull (strstr (error->message, "silent flash"));
  g_assert_true (rf_flash_job_get_not_applied (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  assert_revision (fixture, "1.00");
  assert_stored_unchanged (fixture);
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 0);
}

/* A family without a model check lets another model's image through to the
 * drive, whose own check refuses it at the end (05/2C/00): not applied, the
 * old microcode runs, nothing changed. */
static void
test_wrong_model_refused_by_drive (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;

  add_family (fixture, "PRACTICE SPC RAW", "ModelCheckOffset=0x40\nModelCheckBytes=PRACTICE SPC\n",
              "");
  open_drive (fixture);
  make_check_for_product (fixture, "OTHER SPC DRIVE");
  g_assert_false (run_job (fixture, ALL_CONFIRMED | RF_FLASH_CONFIRM_DOWNGRADE, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED);
  g_assert_true (rf_flash_job_get_past_point_of_no_return (fixture->job));
  g_assert_true (rf_flash_job_get_not_applied (fixture->job));
  g_assert_false (rf_flash_job_get_needs_recovery (fixture->job));
  assert_revision (fixture, "1.00");
  assert_stored_unchanged (fixture);
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 0);
}

/* The image the shipped family checks names another model: refused before
 * any WRITE BUFFER. */
static void
test_wrong_model_refused_first (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  open_drive (fixture);
  make_check_for_product (fixture, "OTHER SPC DRIVE");
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED);
  assert_nothing_written (fixture);
}

/* ---- a power cut during the save, and the resume ---- */

static RfJournal *
cut_power_during_save (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = NULL;
  g_autoptr(RfDriveIdentity) after = NULL;
  RfSimFault fault;

  open_drive (fixture);
  make_check (fixture, "1.06");
  /* The last of the 16 chunks starts the save. */
  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_UPLOAD, 16);
  fault.byte_offset = 0;
  rf_sim_drive_add_fault (fixture->drive, &fault);
  g_assert_false (run_job (fixture, ALL_CONFIRMED, &error));
  g_assert_nonnull (error);
  g_assert_true (rf_flash_job_get_needs_recovery (fixture->job));
  after = rf_flash_job_dup_identity_after (fixture->job);
  g_assert_true (after->safe_mode);
  assert_revision (fixture, "0000");
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 1);
  g_assert_cmpint (rf_journal_get_phase (journals->pdata[0]), ==, RF_JOURNAL_PHASE_ERASING);
  return g_object_ref (journals->pdata[0]);
}

static void
test_power_cut_resume (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(GPtrArray) journals = NULL;

  journal = cut_power_during_save (fixture);
  /* In boot mode: no backup to take, and the journal's image goes again from 0. */
  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_PASSIVE, NULL,
                                  &error));
  g_assert_true (run_resume (fixture, journal, &error));
  g_assert_no_error (error);
  assert_revision (fixture, "1.06");
  assert_stored_is_image (fixture);
  journals = list_journals (fixture);
  g_assert_cmpuint (journals->len, ==, 0);
}

/* Where the family's boot mode takes no download, the resume writes nothing
 * and says the drive needs its maker's tool. */
static void
test_power_cut_boot_refuses (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  RfVerdict *verdict;
  Writes writes;

  add_family (fixture, "PRACTICE SPCBOOT", "BootModeAcceptsDownload=true",
              "BootModeAcceptsDownload=false");
  journal = cut_power_during_save (fixture);
  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_PASSIVE, NULL,
                                  &error));
  g_assert_false (run_resume (fixture, journal, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED);
  verdict = rf_flash_job_get_verdict (fixture->job);
  g_assert_nonnull (verdict);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (verdict), "maker"));
  read_writes (fixture, 0, &writes);
  g_assert_cmpuint (writes.n + writes.n_activate, ==, 0);
  assert_revision (fixture, "0000");
}

/* A resumed download goes only to the drive the journal names. */
static void
test_resume_other_drive (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;

  open_drive (fixture);
  make_check (fixture, "1.06");
  g_assert_true (rf_device_probe (fixture->device, fixture->db, RF_PROBE_DEPTH_DEEP, NULL,
                                  &error));
  identity = rf_device_dup_identity (fixture->device);
  g_free (identity->serial);
  identity->serial = g_strdup ("ANOTHER-UNIT");
  g_free (identity->vendor);
  identity->vendor = g_strdup ("ELSEWHERE");
  journal = rf_journal_store_begin (fixture->journals, fixture->device, identity, "upgrade",
                                    "image.bin", "1.06",
                                    rf_firmware_check_get_bytes (fixture->check), &error);
  g_assert_no_error (error);
  rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error);
  g_assert_no_error (error);
  g_assert_false (run_resume (fixture, journal, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_OTHER_DRIVE);
  assert_stored_unchanged (fixture);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *path = g_strconcat ("/reflash/flash-spc/variant/", variants[i].scenario,
                                           NULL);

      g_test_add (path, Fixture, variants[i].scenario, fixture_set_up, test_variant,
                  fixture_tear_down);
    }
#define ADD(path, scenario, func) \
  g_test_add ("/reflash/flash-spc/" path, Fixture, scenario, fixture_set_up, func, fixture_tear_down)
  ADD ("chunk/no-offsets", "spc-generic", test_chunk_no_offsets);
  ADD ("chunk/small-boundary", "spc-generic", test_chunk_small_boundary);
  ADD ("chunk/transport-limit", "spc-generic", test_chunk_transport_limit);
  ADD ("chunk/capacity-too-small", "spc-generic", test_chunk_capacity_too_small);
  ADD ("chunk/single-too-large", "spc-single", test_chunk_single_too_large);
  ADD ("chunk/family-descriptor", "spc-generic", test_chunk_family_descriptor);
  ADD ("outcome/drop-before-last-answer", "spc-generic", test_drop_before_last_answer);
  ADD ("outcome/silent-flash", "spc-generic", test_silent_flash);
  ADD ("outcome/wrong-model-refused-by-drive", "spc-generic", test_wrong_model_refused_by_drive);
  ADD ("outcome/wrong-model-refused-first", "spc-generic", test_wrong_model_refused_first);
  ADD ("power-cut/resume", "spc-generic", test_power_cut_resume);
  ADD ("power-cut/boot-mode-refuses", "spc-generic", test_power_cut_boot_refuses);
  ADD ("resume/other-drive", "spc-generic", test_resume_other_drive);
#undef ADD

  status = g_test_run ();
  g_clear_object (&db);
  return status;
}
