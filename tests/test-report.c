/* test-report.c: the support report of a practice drive's deep look: what it
 * holds, that it is JSON, and that no user name or home folder gets into it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <scsi/sg_lib.h>
#include <string.h>
#include <sys/utsname.h>

#include "rf-core.h"
#include "rf-report-private.h"
#include "rf-sim.h"
#include "rf-test-images.h"
#include "rf-test-json-tree.h"
#include "rf-test-util.h"

/* The test's user: HOME is a folder named after her, and USER says her name
 * (set in main(), before GLib reads either). */
static char *home_parent;
static char *home;
static RfDriveDb *db;

typedef struct {
  char *state_dir;
  RfSimSource *source;
  RfDevice *device;
  RfReport *report;
} Fixture;

/* The seed drive after a deep look, and a report of it with its transcript. */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  fixture->state_dir = g_dir_make_tmp ("reflash-report-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->source = rf_sim_source_new (fixture->state_dir);
  fixture->device = rf_device_source_lookup (RF_DEVICE_SOURCE (fixture->source), "practice:seed");
  g_assert_nonnull (fixture->device);
  g_assert_true (rf_device_probe (fixture->device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  transcript = rf_device_dup_transcript (fixture->device);
  fixture->report = rf_report_new ();
  rf_report_set_device (fixture->report, fixture->device);
  rf_report_set_transcript (fixture->report, transcript);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->report);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->source);
  rf_test_remove_tree (fixture->state_dir);
  g_free (fixture->state_dir);
}

/* The image judged against the fixture's drive, as the wizard's file check does. */
static RfVerdict *
judge (Fixture    *fixture,
       const char *label,
       GBytes     *image)
{
  g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_bytes (label, image);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (fixture->device);

  rf_firmware_check_judge (check, family, identity, rf_device_get_state (fixture->device),
                           rf_device_get_probe_depth (fixture->device));
  return g_object_ref (rf_firmware_check_get_verdict (check));
}

static char *
report_text (RfReport *report)
{
  g_autoptr(GBytes) bytes = rf_report_to_json (report);
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  g_assert_cmpuint (strlen (data), ==, size);
  return g_strndup (data, size);
}

/* Returns: (transfer full): the report parsed; fails unless it is JSON */
static GVariant *
report_document (RfReport *report)
{
  g_autofree char *text = report_text (report);
  g_autoptr(GError) error = NULL;
  GVariant *document = rf_test_json_tree_parse (text, strlen (text), &error);

  if (document == NULL)
    g_error ("not JSON: %s\n%s", error->message, text);
  return document;
}

static void
assert_member (GVariant   *object,
               const char *key,
               const char *expected)
{
  g_autofree char *value = rf_test_json_tree_dup_string (object, key);

  g_assert_cmpstr (value, ==, expected);
}

static GVariant *
array_item (GVariant *array,
            gsize     index)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (array, index);

  return g_variant_get_variant (boxed);
}

/* The reader must refuse what JSON refuses, or "the report parses" proves nothing. */
static void
test_json_reader (void)
{
  static const char *const bad[] = {
    "{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "\"tab\there\"", "\"\\x\"", "01", "{\"a\": tru}",
    "{} {}", "\"\\ud800\"", "{\"a\": 1, \"a\": 2}", "[", "\"\xff\"", "",
  };
  g_autoptr(GVariant) good = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GVariant) value = rf_test_json_tree_parse (bad[i], strlen (bad[i]), &error);

      if (value != NULL)
        g_error ("the test reader accepted “%s”", bad[i]);
      g_clear_error (&error);
    }
  good = rf_test_json_tree_parse ("{\"s\": \"\\u00e9\\ud83d\\ude00\\n\", \"n\": -12, \"x\": null}",
                                  -1, &error);
  g_assert_no_error (error);
  text = rf_test_json_tree_dup_string (good, "s");
  g_assert_cmpstr (text, ==, "é😀\n");
}

static void
test_identity (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GVariant) document = report_document (fixture->report);
  g_autoptr(GVariant) drive = rf_test_json_tree_member (document, "drive");

  assert_member (document, "report", "reflash");
  assert_member (drive, "id", "practice:seed");
  assert_member (drive, "stored_id", "K451");
  assert_member (drive, "stored_model", "ND-4551A");
  assert_member (drive, "bootcode_key", "K355");
  assert_member (drive, "bootcode_model", "ND-3550A");
  assert_member (drive, "bootcode_version", "05");
  assert_member (drive, "revision", "0.05");
  assert_member (drive, "family", "nec-2m");
  assert_member (drive, "state", "identity-mismatch");
  assert_member (drive, "reason", "bootcode-differs");
  assert_member (drive, "probe_depth", "deep");
  /* The serial number stays out: it names the drive, not its trouble. */
  g_assert_null (rf_test_json_tree_member (drive, "serial"));
}

static void
test_versions (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GVariant) document = report_document (fixture->report);
  g_autoptr(GVariant) versions = rf_test_json_tree_member (document, "versions");
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version,
                                           glib_micro_version);
  struct utsname system;

  g_assert_cmpint (uname (&system), ==, 0);
  assert_member (versions, "reflash", PACKAGE_VERSION);
  assert_member (versions, "glib", glib);
  assert_member (versions, "libsgutils2", sg_lib_version ());
  assert_member (versions, "kernel", system.release);
}

/* Every command of the deep look, in order, with its CDB; the NEC memory
 * reads' data never, only its length. */
static void
test_transcript (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GVariant) document = report_document (fixture->report);
  g_autoptr(GVariant) commands = rf_test_json_tree_member (document, "commands");
  g_autoptr(RfRecorder) transcript = rf_device_dup_transcript (fixture->device);
  guint n = rf_recorder_get_n_entries (transcript);
  gboolean saw_check_condition = FALSE;

  /* The seed's look: standard questions, memory reads, a refused key and more. */
  g_assert_cmpuint (n, >, 5);
  g_assert_cmpuint (g_variant_n_children (commands), ==, n);
  for (guint i = 0; i < n; i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);
      g_autoptr(GVariant) command = array_item (commands, i);
      g_autoptr(GVariant) length = rf_test_json_tree_member (command, "data_length");
      g_autofree char *sense = rf_test_json_tree_dup_string (command, "sense");
      GString *cdb = g_string_new (NULL);

      for (gsize j = 0; j < entry->cdb_length; j++)
        g_string_append_printf (cdb, j == 0 ? "%02X" : " %02X", entry->cdb[j]);
      assert_member (command, "cdb", cdb->str);
      assert_member (command, "name", rf_command_opcode_name (entry->cdb[0]));
      g_assert_cmpint (g_variant_get_int64 (length), ==, (gint64) entry->data_length);
      g_assert_null (rf_test_json_tree_member (command, "data"));
      if (entry->answered && entry->status == RF_STATUS_CHECK_CONDITION)
        {
          g_autofree char *text = rf_test_json_tree_dup_string (command, "sense_text");

          g_assert_nonnull (sense);
          rf_test_assert_has (text, sense);
          saw_check_condition = TRUE;
        }
      g_string_free (cdb, TRUE);
    }
  /* The refused keys (K451 first) came back as CHECK CONDITION, decoded. */
  g_assert_true (saw_check_condition);
}

static void
test_verdicts_and_errors (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GBytes) fits = rf_test_image ("K355", "05", "1.06");
  g_autoptr(GBytes) other = rf_test_image ("K451", "05", "1.07");
  g_autoptr(RfVerdict) recovery = judge (fixture, "nd3550-106.bin", fits);
  g_autoptr(RfVerdict) crossflash = judge (fixture, "nd4551-107.bin", other);
  g_autoptr(GError) error = g_error_new_literal (RF_ERROR, RF_ERROR_DEVICE_GONE, "drive vanished");
  g_autoptr(GError) foreign = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE, "pipe");
  g_autoptr(GVariant) document = NULL;
  g_autoptr(GVariant) verdicts = NULL;
  g_autoptr(GVariant) errors = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autoptr(GVariant) second = NULL;
  g_autoptr(GVariant) gone = NULL;
  g_autoptr(GVariant) pipe = NULL;
  g_autoptr(GVariant) pipe_code = NULL;

  rf_report_add_verdict (fixture->report, "nd3550-106.bin", recovery);
  rf_report_add_verdict (fixture->report, "nd4551-107.bin", crossflash);
  rf_report_add_error (fixture->report, error);
  rf_report_add_error (fixture->report, foreign);
  document = report_document (fixture->report);
  verdicts = rf_test_json_tree_member (document, "verdicts");
  errors = rf_test_json_tree_member (document, "errors");
  g_assert_cmpuint (g_variant_n_children (verdicts), ==, 2);
  first = array_item (verdicts, 0);
  second = array_item (verdicts, 1);
  assert_member (first, "file", "nd3550-106.bin");
  assert_member (first, "code", "recovery");
  assert_member (second, "file", "nd4551-107.bin");
  assert_member (second, "kind", "refused");
  assert_member (second, "code", "crossflash");
  g_assert_cmpuint (g_variant_n_children (errors), ==, 2);
  gone = array_item (errors, 0);
  pipe = array_item (errors, 1);
  assert_member (gone, "code", "device-gone");
  assert_member (gone, "message", "drive vanished");
  assert_member (pipe, "domain", "g-io-error-quark");
  pipe_code = rf_test_json_tree_member (pipe, "code");
  g_assert_cmpint (g_variant_get_int64 (pipe_code), ==, G_IO_ERROR_BROKEN_PIPE);
}

/* ARCHITECTURE.md: no user names, no home paths. Alice's home folder and name
 * in a file label and an error message come out as "~" and "<user>". */
static void
test_privacy (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *label = g_strdup_printf ("%s/Downloads/alice-K355.bin", home);
  g_autoptr(GBytes) fits = rf_test_image ("K355", "05", "1.06");
  g_autoptr(RfVerdict) verdict = judge (fixture, label, fits);
  g_autoptr(GError) error = g_error_new (RF_ERROR, RF_ERROR_READ,
                                         "%s/fw.bin: cannot read; also tried /srv/Alice/fw.bin",
                                         home);
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;

  rf_report_add_verdict (fixture->report, label, verdict);
  rf_report_add_error (fixture->report, error);
  text = report_text (fixture->report);
  lower = g_ascii_strdown (text, -1);
  if (strstr (lower, "alice") != NULL || strstr (text, home_parent) != NULL)
    g_error ("the report names the user or her home folder:\n%s", text);
  rf_test_assert_has (text, "\"file\": \"~/Downloads/<user>-K355.bin\"");
  rf_test_assert_has (text,
                      "\"message\": \"~/fw.bin: cannot read; also tried /srv/<user>/fw.bin\"");
}

typedef struct {
  const char *input; /* %s: the home folder */
  const char *expected;
} ScrubCase;

static const ScrubCase scrub_cases[] = {
  { "%s", "~" },
  { "%s/", "~/" },
  { "open %s/x: denied", "open ~/x: denied" },
  /* Another folder beside hers is not her home, but still names her. */
  { "%s2/x", "/tmp/<user>2/x" },
  { "ALICE and alice and Alice", "<user> and <user> and <user>" },
  { "/dev/sg1", "/dev/sg1" },
};

static void
test_scrub (void)
{
  g_autoptr(RfReport) report = rf_report_new ();

  for (gsize i = 0; i < G_N_ELEMENTS (scrub_cases); i++)
    {
      g_autofree char *input = NULL;
      g_autofree char *expected = NULL;
      g_autofree char *output = NULL;

      /* The cases' home folder sits in /tmp; the test's in a folder of its own there. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
      input = g_strdup_printf (scrub_cases[i].input, home);
#pragma GCC diagnostic pop
      expected = g_strdup (scrub_cases[i].expected);
      if (g_str_has_prefix (expected, "/tmp/"))
        {
          g_autofree char *rest = g_strdup (expected + strlen ("/tmp/"));

          g_free (expected);
          expected = g_strdup_printf ("%s/%s", home_parent, rest);
        }
      output = rf_report_scrub (report, input);
      g_assert_cmpstr (output, ==, expected);
    }
}

/* A user whose name is a system folder's ("dev", as on a fresh machine's
 * first account) leaves the system's paths readable, and is scrubbed
 * everywhere else. */
static void
test_scrub_system_folders (void)
{
  g_autoptr(RfReport) report = NULL;
  g_autofree char *output = NULL;

  g_setenv ("LOGNAME", "dev", TRUE);
  report = rf_report_new ();
  g_setenv ("LOGNAME", "alice", TRUE);
  output = rf_report_scrub (report, "/dev/sg1 /sys/dev and /media/dev/x, dev and devices");
  g_assert_cmpstr (output, ==, "/dev/sg1 /sys/<user> and /media/<user>/x, <user> and <user>ices");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  home_parent = g_dir_make_tmp ("reflash-report-home-XXXXXX", &error);
  g_assert_no_error (error);
  home = g_build_filename (home_parent, "alice", NULL);
  g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("USER", "alice", TRUE);
  g_setenv ("LOGNAME", "alice", TRUE);
  g_test_init (&argc, &argv, NULL);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  g_test_add_func ("/reflash/report/json-reader", test_json_reader);
  g_test_add_func ("/reflash/report/scrub-system-folders", test_scrub_system_folders);
  g_test_add ("/reflash/report/identity", Fixture, NULL, fixture_set_up, test_identity,
              fixture_tear_down);
  g_test_add ("/reflash/report/versions", Fixture, NULL, fixture_set_up, test_versions,
              fixture_tear_down);
  g_test_add ("/reflash/report/transcript", Fixture, NULL, fixture_set_up, test_transcript,
              fixture_tear_down);
  g_test_add ("/reflash/report/verdicts-and-errors", Fixture, NULL, fixture_set_up,
              test_verdicts_and_errors, fixture_tear_down);
  g_test_add ("/reflash/report/privacy", Fixture, NULL, fixture_set_up, test_privacy,
              fixture_tear_down);
  g_test_add_func ("/reflash/report/scrub", test_scrub);
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (home_parent);
  g_free (home);
  g_free (home_parent);
  return status;
}
