/* test-sim-scenario.c: scenario files: the shipped ones keep their promises, and
 * a broken file is refused with its file, line and key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <libintl.h>

#include "sim-test-util.h"

/* What each shipped scenario promises on INQUIRY (bytes 8-35). */
static const struct {
  const char *id;
  const char *vendor;
  const char *product;
  const char *revision;
  const char *led;
  const char *family;
} promises[] = {
  { "bridge-3550", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "off", "nec-2m" },
  { "disc-3550", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "steady", "nec-2m" },
  { "healthy-3550", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "off", "nec-2m" },
  { "healthy-4551", "_NEC    ", "DVD_RW ND-4551A ", "1.07", "off", "nec-2m" },
  /* Vendor NULL: INQUIRY gets no status (a fault of the scenario). */
  { "hung-3550", NULL, NULL, NULL, "off", "nec-2m" },
  { "interrupted-3550", "_NEC    ", "DVD_RW ND-3550A ", "0.05", "blinking", "nec-2m" },
  { "locked-out-3550", NULL, NULL, NULL, "off", "nec-2m" },
  { "no-rawio-3550", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "off", "nec-2m" },
  { "power-cut-3550", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "off", "nec-2m" },
  { "recovered-seed", "_NEC    ", "DVD_RW ND-3550A ", "1.05", "off", "nec-2m" },
  { "seed", "_NEC    ", "DVD_RW ND-3550A ", "0.05", "blinking", "nec-2m" },
  { "spc-deferred", "REFLASH ", "PRACTICE SPC DEF", "1.00", "off", "spc-deferred" },
  { "spc-generic", "REFLASH ", "PRACTICE SPC    ", "1.00", "off", "spc-generic" },
  { "spc-single", "REFLASH ", "PRACTICE SPC1CMD", "1.00", "off", "spc-single" },
  /* No family matches this one: it shows "unsupported". */
  { "unknown-drive", "ACME    ", "CD-RW 52X24     ", "2.10", "off", NULL },
};

/* The drive database recognises the practice drive as the family it rehearses,
 * in normal or boot mode as it should. */
static void
assert_family (RfDriveDb    *db,
               const guint8 *inquiry,
               const char   *family_id,
               gboolean      boot_mode)
{
  const RfDriveModel *model = NULL;
  gboolean in_boot_mode = FALSE;
  RfDriveFamily *family = rf_drive_db_match (db, inquiry, 0x60, &model, &in_boot_mode);

  g_assert_nonnull (family);
  g_assert_cmpstr (family->id, ==, family_id);
  g_assert_cmpint (in_boot_mode, ==, boot_mode);
}

static void
test_shipped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = rf_sim_scenario_list (&error);
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (promises));
  for (guint i = 0; i < list->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (list, i);
      SimDrive *sim;
      guint8 data[0x60];

      g_assert_cmpstr (scenario->id, ==, promises[i].id);
      g_assert_cmpstr (rf_sim_scenario_get_name (scenario), !=, "");
      g_assert_cmpuint (strlen (rf_sim_scenario_get_description (scenario)), >, 20);
      sim = sim_drive_new_from_scenario (scenario, NULL);
      if (promises[i].vendor == NULL)
        {
          const guint8 cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };

          g_assert_false (sim_send (sim, cdb, 6, RF_DIRECTION_IN, data, sizeof data));
          sim_drive_free (sim);
          continue;
        }
      sim_inquiry (sim, data);
      g_assert_cmpmem (data + 8, 8, promises[i].vendor, 8);
      g_assert_cmpmem (data + 16, 16, promises[i].product, 16);
      g_assert_cmpmem (data + 32, 4, promises[i].revision, 4);
      if (promises[i].family == NULL)
        g_assert_null (rf_drive_db_match (db, data, sizeof data, NULL, NULL));
      else
        assert_family (db, data, promises[i].family, promises[i].revision[0] == '0');
      g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==,
                       promises[i].led);
      sim_drive_free (sim);
    }
}

/* The family data has the drive's image rules; with the descriptor the drive
 * gives (or the family's stand-in for it), the family's chunks fit the drive. */
static void
assert_download_fits (const RfSimScenario *scenario,
                      const RfSpcDownload *download)
{
  guint boundary = download->has_descriptor ? download->offset_boundary
                                            : scenario->offset_boundary;
  guint capacity = download->has_descriptor ? download->buffer_capacity
                                            : scenario->buffer_capacity;

  g_assert_cmpuint (download->start_offset, ==, 0);
  g_assert_cmpuint (download->start_offset + scenario->image_size, <=, capacity);
  if (boundary == 0xff)
    {
      /* One command at offset 0 carries the whole image. */
      g_assert_cmpuint (scenario->max_transfer, >=, scenario->image_size);
      g_assert_true (download->chunk_size == 0 || download->chunk_size >= scenario->image_size);
    }
  else if (download->chunk_size != 0 && boundary < 32)
    g_assert_cmpuint (download->chunk_size % (1u << boundary), ==, 0);
  if (download->has_descriptor)
    {
      g_assert_cmpuint (download->offset_boundary, ==, scenario->offset_boundary);
      g_assert_cmpuint (download->buffer_capacity, ==, scenario->buffer_capacity);
    }
}

/* data/practice/README.md: a scenario that rehearses a family agrees with it,
 * so that what Reflash does from the family data is what the drive takes. */
static void
test_spc_agrees_with_family (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = rf_sim_scenario_list (&error);
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  guint checked = 0;

  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (list, i);
      RfDriveFamily *family;
      const RfSpcDownload *download;
      guint8 inquiry[36] = { 0 };
      guint8 *product = inquiry + 16;
      gboolean sized = FALSE;

      if (scenario->protocol != RF_SIM_PROTOCOL_SPC_DOWNLOAD)
        continue;
      memset (inquiry + 8, ' ', 24);
      memcpy (inquiry + 8, scenario->vendor, strlen (scenario->vendor));
      memcpy (product, scenario->product, strlen (scenario->product));
      memcpy (inquiry + 32, scenario->boot_mode ? scenario->boot_revision : scenario->revision, 4);
      family = rf_drive_db_match (db, inquiry, sizeof inquiry, NULL, NULL);
      /* unknown-drive rehearses no family. */
      if (family == NULL)
        continue;
      g_test_message ("%s: %s", scenario->id, family->id);
      download = &family->download;
      g_assert_cmpint ((gint) download->variant, ==, (gint) scenario->variant);
      g_assert_cmpuint (download->buffer_id, ==, scenario->buffer_id);
      for (guint j = 0; j < download->image_sizes->len; j++)
        sized |= g_array_index (download->image_sizes, guint64, j) == scenario->image_size;
      g_assert_true (sized);
      /* The model check is the product the drive checks, padding dropped. */
      g_assert_true (download->has_model_check);
      g_assert_cmpuint (download->model_check_offset, ==, scenario->model_offset);
      g_assert_cmpmem (g_bytes_get_data (download->model_check, NULL),
                       g_bytes_get_size (download->model_check), scenario->product,
                       strlen (scenario->product));
      g_assert_true (download->has_revision_offset);
      g_assert_cmpuint (download->revision_offset, ==, scenario->revision_offset);
      g_assert_true (rf_drive_family_is_boot_revision (family,
                                                       (const guint8 *) scenario->boot_revision));
      g_assert_cmpint (download->boot_mode_accepts_download, ==, scenario->boot_accepts_download);
      /* A backup reads the running image from the download buffer. */
      g_assert_cmpint (download->has_dump, ==, scenario->dump);
      if (download->has_dump)
        {
          g_assert_cmpuint (download->dump_buffer_id, ==, scenario->buffer_id);
          g_assert_cmpuint (download->dump_length, ==, scenario->image_size);
        }
      assert_download_fits (scenario, download);
      checked++;
    }
  /* spc-single, spc-generic, spc-deferred: one per variant. */
  g_assert_cmpuint (checked, >=, 3);
}

/* Each shipped scenario reaches the POT: po/practice/ID.desktop points at it and
 * po/POTFILES.in lists that link. */
static void
test_translation_route (void)
{
  g_autofree char *top = g_path_get_dirname (g_test_get_dir (G_TEST_DIST));
  g_autofree char *potfiles_path = g_build_filename (top, "po", "POTFILES.in", NULL);
  g_autofree char *potfiles = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = rf_sim_scenario_list (&error);

  g_assert_no_error (error);
  g_file_get_contents (potfiles_path, &potfiles, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < list->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (list, i);
      g_autofree char *entry = g_strdup_printf ("\npo/practice/%s.desktop\n", scenario->id);
      g_autofree char *link = g_strdup_printf ("%s/po/practice/%s.desktop", top, scenario->id);
      g_autofree char *target = g_file_read_link (link, &error);
      g_autofree char *wanted = g_strdup_printf ("../../data/practice/%s.conf", scenario->id);

      g_assert_no_error (error);
      g_assert_cmpstr (target, ==, wanted);
      g_assert_nonnull (strstr (potfiles, entry));
    }
}

static void
test_load_by_id (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) seed = rf_sim_scenario_load ("seed", &error);
  g_autoptr(RfSimScenario) missing = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (seed->protocol, ==, RF_SIM_PROTOCOL_NEC_2M);
  g_assert_cmpstr (seed->bootcode_key, ==, "K355");
  g_assert_cmpstr (seed->stored_id, ==, "K451");
  g_assert_cmpint (seed->firmware, ==, RF_SIM_FIRMWARE_ERASED);

  missing = rf_sim_scenario_load ("no-such-drive", &error);
  g_assert_null (missing);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  missing = rf_sim_scenario_load ("../seed", &error);
  g_assert_null (missing);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
}

static const char good_text[] =
  "# comment\n"                   /* 1 */
  "[Scenario]\n"                  /* 2 */
  "Name=Custom\n"                 /* 3 */
  "Description=A custom drive\n"  /* 4 */
  "Protocol=nec-2m\n"             /* 5 */
  "\n"                            /* 6 */
  "[NEC]\n"                       /* 7 */
  "BootcodeKey=K355\n"            /* 8 */
  "BootcodeVersion=05\n"          /* 9 */
  "FirmwareRevision=1.05\n"       /* 10 */
  "@EXTRA@";                      /* 11 */

typedef struct {
  const char *extra;     /* appended at line 11 */
  const char *expected;  /* the error message after the path */
} BadCase;

static const BadCase bad_cases[] = {
  { "Colour=blue\n", ":11: [NEC] Colour: unknown key" },
  { "FirmwareDate=2005-06-15T120\n", ":11: [NEC] FirmwareDate: “2005-06-15T120” is not YYYYMMDDhhmmss" },
  { "Disc=yes\n", ":11: [NEC] Disc: unknown key" },
  { "[Scenario]\nDisc=yes\n", ":12: [Scenario] Disc: “yes” is not a boolean" },
  { "[Scenario]\nMaxTransfer=0x100\n", ":12: [Scenario] MaxTransfer: “0x100” is not a number from 512" },
  { "Firmware=broken\n", ":11: [NEC] Firmware: unknown value “broken”" },
  { "InterruptedAtBlock=34\n", ":11: [NEC] InterruptedAtBlock: “34” is not a number from 4 to 33" },
  { "StoredId=X999\n", ":11: [NEC] StoredId: “X999” is not a drive ID" },
  { "FirmwareModel=K315\n", ":11: [NEC] FirmwareModel: “K315” is not a canonical drive ID" },
  { "SafeModeVendor=NÉC\n", ":11: [NEC] SafeModeVendor: “NÉC” may hold only printable ASCII" },
  { "RidCode=ND3é\n", ":11: [NEC] RidCode: “ND3é” may hold only printable ASCII" },
  { "FirmwareRevision=0.50\n", ":11: [NEC] FirmwareRevision: “0.50” starts with 0" },
  { "[Fault]\nKind=write-failure\n", ":12: [Fault] Kind: this fault acts only on commands that write" },
  { "[Fault]\nKind=silent-flash\nPhase=query\n", ":13: [Fault] Phase: this fault acts only on commands that write" },
  { "[Fault]\nKind=timeout\nByteOffset=4\n", ":13: [Fault] ByteOffset: applies only to Kind=power-loss" },
  { "[Fault]\nKind=power-loss\nCount=2\n", ":13: [Fault] Count: applies only to Kind=unit-attention-storm" },
  { "[Timing]\nEraseBlock=fast\n", ":12: [Timing] EraseBlock: “fast” is not a number" },
  { "[Scenery]\nA=b\n", ":11: [Scenery]: unknown group" },
  { "[SPC]\nVendor=X\n", ":11: [SPC]: does not apply to this Protocol" },
  { "[Fault power]\nKind=meteor\n", ":12: [Fault power] Kind: unknown fault kind “meteor”" },
  { "[Fault power]\nPhase=erase\n", ":11: [Fault power]: the required key Kind is missing" },
  { "[Fault power]\nKind=timeout\nWhen=now\n", ":13: [Fault power] When: unknown key" },
};

static void
test_bad_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-XXXXXX", &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autoptr(GString) text = g_string_new (good_text);
      g_autofree char *path = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(RfSimScenario) scenario = NULL;

      g_string_replace (text, "@EXTRA@", bad_cases[i].extra, 1);
      path = sim_write_scenario (dir, "bad", text->str);
      scenario = rf_sim_scenario_load_file (path, &error);
      g_assert_null (scenario);
      g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_FILE);
      expected = g_strconcat (path, bad_cases[i].expected, NULL);
      if (!g_str_has_prefix (error->message, expected))
        g_error ("case %" G_GSIZE_FORMAT ": “%s” does not start with “%s”", i, error->message,
                 expected);
      g_clear_error (&error);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static const char missing_text[] =
  "[Scenario]\nName=Custom\nDescription=x\nProtocol=nec-2m\n\n[NEC]\nBootcodeVersion=05\n";

static void
test_missing_required (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-XXXXXX", &error);
  g_autofree char *path = sim_write_scenario (dir, "missing", missing_text);
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load_file (path, &error);
  g_autofree char *expected = g_strconcat (path, ":6: [NEC]: the required key BootcodeKey is missing",
                                           NULL);

  g_assert_null (scenario);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_FILE);
  g_assert_cmpstr (error->message, ==, expected);
  g_unlink (path);
  g_rmdir (dir);
}

static const char fault_text[] =
  "[Scenario]\nName=F\nDescription=Faulty\nProtocol=nec-2m\nMaxTransfer=0x8000\n"
  "[NEC]\nBootcodeKey=K451\nBootcodeVersion=07\nFirmware=erased\n"
  "[Timing]\nEraseBlock=900\n"
  "[Fault a]\nKind=power-loss\nPhase=erase\nOccurrence=10\nByteOffset=0x8000\n"
  "[Fault b]\nKind=unit-attention-storm\nCommand=3\nCount=4\n";

static void
test_values (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (fault_text);
  g_autoptr(RfSimScenario) copy = rf_sim_scenario_copy (scenario);
  const RfSimFault *fault;

  g_assert_cmpuint (copy->max_transfer, ==, 0x8000);
  g_assert_cmpstr (copy->stored_id, ==, "K451");
  g_assert_cmpstr (copy->rid_model, ==, "ND-4551A");
  g_assert_cmpuint (copy->cost_ms[RF_SIM_COST_ERASE_BLOCK], ==, 900);
  g_assert_cmpuint (copy->cost_ms[RF_SIM_COST_PROGRAM_BLOCK], ==, 4000);
  g_assert_cmpuint (copy->faults->len, ==, 2);
  fault = &g_array_index (copy->faults, RfSimFault, 0);
  g_assert_cmpint (fault->kind, ==, RF_SIM_FAULT_POWER_LOSS);
  g_assert_cmpint (fault->phase, ==, RF_SIM_PHASE_ERASE);
  g_assert_cmpuint (fault->occurrence, ==, 10);
  g_assert_cmpint (fault->byte_offset, ==, 0x8000);
  fault = &g_array_index (copy->faults, RfSimFault, 1);
  g_assert_cmpint (fault->kind, ==, RF_SIM_FAULT_UNIT_ATTENTION_STORM);
  g_assert_cmpuint (fault->command, ==, 3);
  g_assert_cmpuint (fault->count, ==, 4);
}

static void
test_nicks (void)
{
  RfSimFaultKind kind;
  RfSimPhase phase;

  g_assert_true (rf_sim_fault_kind_from_nick ("silent-flash", &kind));
  g_assert_cmpint (kind, ==, RF_SIM_FAULT_SILENT_FLASH);
  g_assert_cmpstr (rf_sim_fault_kind_to_nick (RF_SIM_FAULT_WRITE_FAILURE), ==, "write-failure");
  g_assert_false (rf_sim_fault_kind_from_nick ("power loss", &kind));
  g_assert_true (rf_sim_phase_from_nick ("safe-mode-leave", &phase));
  g_assert_cmpint (phase, ==, RF_SIM_PHASE_SAFE_MODE_LEAVE);
  g_assert_cmpstr (rf_sim_phase_to_nick (RF_SIM_PHASE_ACTIVATE), ==, "activate");
  g_assert_cmpstr (rf_sim_led_to_nick (RF_SIM_LED_BLINKING_FAST), ==, "blinking-fast");
}

static const char german_po[] =
  "msgid \"\"\n"
  "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n"
  "msgid \"Healthy ND-3550A\"\n"
  "msgstr \"Gesundes ND-3550A\"\n";

/* The run-time half of the translation route: a catalogue of the reflash domain
 * translates a scenario's Name, and the untranslated Description stays as is. */
static void
test_translated_name (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *msgfmt = g_find_program_in_path ("msgfmt");
  g_autofree char *dir = NULL;
  g_autofree char *po = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *mo = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load ("healthy-3550", &error);
  const char *argv[] = { NULL, "-o", NULL, NULL, NULL };
  int status = 0;

  g_assert_no_error (error);
  if (msgfmt == NULL)
    {
      g_test_skip ("msgfmt is not installed");
      return;
    }
  dir = g_dir_make_tmp ("rf-sim-locale-XXXXXX", &error);
  g_assert_no_error (error);
  messages = g_build_filename (dir, "de", "LC_MESSAGES", NULL);
  g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
  po = g_build_filename (dir, "de.po", NULL);
  mo = g_build_filename (messages, GETTEXT_PACKAGE ".mo", NULL);
  g_file_set_contents (po, german_po, -1, &error);
  g_assert_no_error (error);
  argv[0] = msgfmt;
  argv[2] = mo;
  argv[3] = po;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  /* gettext honours LANGUAGE only outside the C locale (PLATFORM.md §5). */
  g_setenv ("LANGUAGE", "de", TRUE);
  g_assert_nonnull (setlocale (LC_ALL, "C.UTF-8"));
  bindtextdomain (GETTEXT_PACKAGE, dir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_assert_cmpstr (rf_sim_scenario_get_name (scenario), ==, "Gesundes ND-3550A");
  g_assert_cmpstr (rf_sim_scenario_get_description (scenario), ==, scenario->description);

  setlocale (LC_ALL, "C");
  g_unsetenv ("LANGUAGE");
  g_unlink (mo);
  g_unlink (po);
  g_rmdir (messages);
  g_clear_pointer (&messages, g_free);
  messages = g_build_filename (dir, "de", NULL);
  g_rmdir (messages);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-scenario/shipped", test_shipped);
  g_test_add_func ("/reflash/sim-scenario/spc-agrees-with-family", test_spc_agrees_with_family);
  g_test_add_func ("/reflash/sim-scenario/translation-route", test_translation_route);
  g_test_add_func ("/reflash/sim-scenario/load-by-id", test_load_by_id);
  g_test_add_func ("/reflash/sim-scenario/translated-name", test_translated_name);
  g_test_add_func ("/reflash/sim-scenario/bad-files", test_bad_files);
  g_test_add_func ("/reflash/sim-scenario/missing-required", test_missing_required);
  g_test_add_func ("/reflash/sim-scenario/values", test_values);
  g_test_add_func ("/reflash/sim-scenario/nicks", test_nicks);

  return g_test_run ();
}
