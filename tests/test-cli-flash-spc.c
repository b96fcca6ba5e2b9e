/* test-cli-flash-spc.c: `reflash-cli flash` and `reflash-cli resume` on the
 * practice drives of the SPC WRITE BUFFER families (issue 18), as a user runs
 * them
 *
 * One practice drive per variant of spc-download.md "Variants": spc-generic
 * (mode 7 chunks), spc-single (one mode 5 command) and spc-deferred (mode 0x0E
 * chunks, then 0x0F). A practice drive lives in the process of the reflash-cli
 * that uses it; what it keeps between runs (its stored microcode, flat) is
 * $XDG_STATE_HOME/reflash/practice/NAME.flash, which the tests compare with the
 * image byte for byte. Faults and families of their own come from a data
 * folder of the test's own (REFLASH_DATA_DIR): the shipped drive families and
 * practice drives, linked, plus the scenario or family the case needs.
 *
 * With G_MESSAGES_DEBUG=all reflash-cli traces every CDB it sends on stderr
 * ("practice:NAME: [3B 07 …]"): the cases that must send no WRITE BUFFER
 * (opcode 0x3B) read it, and the flashes that succeed show that it does
 * appear there when one is sent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rf-test-cli.h"
#include "rf-test-json-tree.h"
#include "rf-test-json.h"
#include "rf-test-util.h"

/* Exit status codes, as reflash-cli(1) lists them. */
enum {
  EXIT_OK = 0,
  EXIT_REFUSED = 4,
  EXIT_NOT_CONFIRMED = 7,
  EXIT_NEEDS_RECOVERY = 8,
};

#define GENERIC "practice:spc-generic"
#define SINGLE "practice:spc-single"
/* What every SPC practice drive runs before a flash (data/practice/spc-*.conf). */
#define FIRST_REVISION "1.00"
/* The boot-mode signature of the shipped families and scenarios (BootRevision). */
#define BOOT_REVISION "0000"
#define BOOT_MODE "boot mode"
#define NOT_TAKEN "The drive did not take the new firmware: it still runs firmware " \
                  FIRST_REVISION ", as before"
#define MAKER_TOOL "It needs its maker's own firmware tool."

static const char *cli_path;

typedef RfTestCliJobFixture Fixture;

/* One practice drive per variant, as its family in data/drives/ names it. */
typedef struct {
  const char *id;          /* scenario and family */
  const char *model;       /* [Model] Name */
  const char *mode;        /* the CDB of its download: opcode and mode byte */
  const char *activate;    /* the CDB of its activation, or NULL */
  guint last_chunk;        /* which WRITE BUFFER with data carries the image's end */
} Variant;

static const Variant variants[] = {
  /* 0x100000 bytes in chunks of 64 KiB (the scenario's MaxTransfer default). */
  { "spc-generic", "Practice SPC drive", "[3B 07 ", NULL, 16 },
  /* Boundary 0xFF: the whole image in one command. */
  { "spc-single", "Practice SPC drive, one command", "[3B 05 ", NULL, 1 },
  /* 0x80000 bytes in chunks of 32 KiB (the family's ChunkSize). */
  { "spc-deferred", "Practice SPC drive, deferred activation", "[3B 0E ", "[3B 0F ", 16 },
};

/* Runs reflash-cli with @args (NULL-terminated) to its end. */
#define run_cli(fixture, ...) rf_test_cli_job_run (fixture, cli_path, __VA_ARGS__)

static char *
drive_of (const Variant *variant)
{
  return g_strconcat ("practice:", variant->id, NULL);
}

/* `practice firmware DRIVE -o NAME [EXTRA]` in the fixture's folder. */
static char *
make_image (Fixture    *fixture,
            const char *drive,
            const char *name,
            const char *extra)
{
  return rf_test_cli_job_practice_image (fixture, cli_path, drive, name, extra);
}

/* Every CDB the CLI sends is traced on stderr from here on. */
static void
trace_commands (Fixture *fixture)
{
  fixture->env = g_environ_setenv (fixture->env, "G_MESSAGES_DEBUG", "all", TRUE);
}

/* The trace of @err shows commands to @drive, and none of them a WRITE
 * BUFFER, sent or failed. */
static void
assert_no_write_buffer (const char *err,
                        const char *drive)
{
  g_autofree char *inquiry = g_strdup_printf ("%s: [12 ", drive);
  g_autofree char *write_buffer = g_strdup_printf ("%s: [3B ", drive);

  rf_test_assert_has (err, inquiry);
  g_assert_null (strstr (err, write_buffer));
  g_assert_null (strstr (err, "WRITE BUFFER failed"));
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

/* The practice drive's stored microcode, as it keeps it on disk once a
 * command changed it; NULL before: it is still the scenario's. */
static GBytes *
read_drive_flash (Fixture    *fixture,
                  const char *drive)
{
  g_autofree char *name = g_strconcat (drive + strlen ("practice:"), ".flash", NULL);
  g_autofree char *path = g_build_filename (fixture->dir, "reflash", "practice", name, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return NULL;
  return read_file (path);
}

/* The drive keeps the image's bytes, so that the next run finds them. */
static void
assert_drive_holds (Fixture    *fixture,
                    const char *drive,
                    const char *image_path)
{
  g_autoptr(GBytes) image = read_file (image_path);
  g_autoptr(GBytes) flash = read_drive_flash (fixture, drive);

  g_assert_nonnull (flash);
  g_assert_cmpmem (g_bytes_get_data (flash, NULL), g_bytes_get_size (flash),
                   g_bytes_get_data (image, NULL), g_bytes_get_size (image));
}

/* Nothing was written to the drive's memory between the two reads. */
static void
assert_same_flash (GBytes *before,
                   GBytes *after)
{
  g_assert_true ((before == NULL) == (after == NULL));
  g_assert_true (before == NULL || g_bytes_equal (before, after));
}

/* `info DRIVE --json` */
static char *
dup_info (Fixture    *fixture,
          const char *drive)
{
  char *info = NULL;

  g_assert_cmpint (run_cli (fixture, &info, NULL, "info", drive, "--json", NULL), ==, EXIT_OK);
  return info;
}

/* What a new run of reflash-cli finds the drive running. */
static void
assert_runs (Fixture    *fixture,
             const char *drive,
             const char *revision,
             gboolean    boot_mode)
{
  g_autofree char *info = dup_info (fixture, drive);
  g_autofree char *wanted = g_strdup_printf ("\"revision\": \"%s\"", revision);

  rf_test_assert_has (info, wanted);
  rf_test_assert_has (info, boot_mode ? "\"safe_mode\": true" : "\"safe_mode\": false");
}

/* How many journals of interrupted flashes `journals --json` lists. */
static gsize
n_journals (Fixture *fixture)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) tree = NULL;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "journals", "--json", NULL), ==, EXIT_OK);
  tree = rf_test_json_tree_parse (out, strlen (out), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (tree, G_VARIANT_TYPE ("av")));
  return g_variant_n_children (tree);
}

static GHashTable *
last_event (const char *out)
{
  g_autoptr(GPtrArray) events = rf_test_parse_events (out);

  g_assert_cmpuint (events->len, >, 0);
  return g_hash_table_ref (g_ptr_array_index (events, events->len - 1));
}

/* The point of no return as the last progress event of @out says it. */
static gboolean
last_point_of_no_return (const char *out)
{
  g_autoptr(GPtrArray) events = rf_test_parse_events (out);

  for (guint i = events->len; i > 0; i--)
    if (g_str_equal (rf_test_event_name (events, i - 1), "progress"))
      return rf_test_json_get_boolean (g_ptr_array_index (events, i - 1), "point_of_no_return");
  g_error ("no progress event in:\n%s", out);
}

/* The line @from_end lines before the last of @text (0: the last), without
 * its newline. */
static char *
dup_line_from_end (const char *text,
               guint       from_end)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (lines);

  /* The text ends with a newline: its last element is empty. */
  g_assert_cmpuint (n, >=, from_end + 2);
  g_assert_cmpstr (lines[n - 1], ==, "");
  return g_strdup (lines[n - 2 - from_end]);
}

/* A data folder of the fixture's own */

/* @dir/@name: a folder with a link to each file of @source/@name. */
static void
link_folder (const char *source,
             const char *dir,
             const char *name)
{
  g_autofree char *from = g_build_filename (source, name, NULL);
  g_autofree char *to = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) folder = g_dir_open (from, 0, &error);
  const char *file;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((file = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *target = g_build_filename (from, file, NULL);
      g_autofree char *link = g_build_filename (to, file, NULL);

      g_assert_cmpint (symlink (target, link), ==, 0);
    }
}

/* The data folder of the fixture (made on first use): the shipped drive
 * families and practice drives, and whatever add_data_file() adds. */
static char *
use_own_data (Fixture *fixture)
{
  const char *source = g_environ_getenv (fixture->env, "REFLASH_DATA_DIR");
  char *data = g_build_filename (fixture->dir, "data", NULL);

  g_assert_nonnull (source);
  if (g_str_equal (source, data))
    return data;
  link_folder (source, data, "drives");
  link_folder (source, data, "practice");
  fixture->env = g_environ_setenv (fixture->env, "REFLASH_DATA_DIR", data, TRUE);
  return data;
}

/* @folder/@name.conf in the fixture's data folder, holding @text. */
static void
add_data_file (Fixture    *fixture,
               const char *folder,
               const char *name,
               const char *text)
{
  g_autofree char *data = use_own_data (fixture);
  g_autofree char *file = g_strconcat (name, ".conf", NULL);
  g_autofree char *path = g_build_filename (data, folder, file, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A practice drive @name: the shipped scenario of @variant with @fault, a
 * [Fault NAME] group, added (data/practice/README.md). Its INQUIRY is the
 * variant's, so it is a drive of the variant's family. */
static char *
add_faulty_drive (Fixture       *fixture,
                  const Variant *variant,
                  const char    *name,
                  const char    *fault)
{
  g_autofree char *file = g_strconcat (variant->id, ".conf", NULL);
  g_autofree char *path = g_build_filename (g_environ_getenv (fixture->env, "REFLASH_DATA_DIR"),
                                            "practice", file, NULL);
  g_autoptr(GBytes) shipped = read_file (path);
  g_autofree char *text = g_strdup_printf ("%.*s\n%s", (int) g_bytes_get_size (shipped),
                                           (const char *) g_bytes_get_data (shipped, NULL),
                                           fault);

  add_data_file (fixture, "practice", name, text);
  return g_strconcat ("practice:", name, NULL);
}

/* The whole of a flash that a user who answers yes to everything runs:
 * an SPC family is spec-only (--accept-untested), and its revisions have no
 * known order (--accept-unknown-order). */
static int
flash (Fixture     *fixture,
       const char  *drive,
       const char  *image,
       const char  *speed,
       gboolean     as_json,
       char       **out,
       char       **err)
{
  return run_cli (fixture, out, err, "flash", drive, image, "--accept-untested",
                  "--accept-unknown-order", "--yes", "--practice-speed", speed,
                  as_json ? "--json" : NULL, NULL);
}

/* `resume DRIVE` with the flags a drive in boot mode needs: it cannot tell
 * whether a disc is in (--tray-empty), and its family is spec-only. */
static int
resume (Fixture     *fixture,
        const char  *drive,
        char       **out,
        char       **err)
{
  return run_cli (fixture, out, err, "resume", drive, "--tray-empty", "--accept-untested",
                  "--yes", "--json", "--practice-speed", "0", NULL);
}

/* 1 and 2: each variant end to end */

static int
phase_position (GPtrArray  *phases,
                const char *phase)
{
  for (guint i = 0; i < phases->len; i++)
    if (g_str_equal (g_ptr_array_index (phases, i), phase))
      return (int) i;
  g_error ("no phase event “%s”", phase);
}

/* The events of a flash with --json: the plan first; the phases upload, then
 * settle, then verify, each once; progress that never goes back, and the
 * point of no return reached in the upload and never taken back; `done` with
 * the drive's new identity last. */
static void
assert_flash_events (const Variant *variant,
                     const char    *out,
                     const char    *version)
{
  g_autoptr(GPtrArray) events = rf_test_parse_events (out);
  g_autoptr(GPtrArray) phases = g_ptr_array_new ();
  GHashTable *plan;
  GHashTable *done;
  double fraction = 0.0;
  gboolean past = FALSE;

  g_assert_cmpuint (events->len, >=, 2);
  g_assert_cmpstr (rf_test_event_name (events, 0), ==, "plan");
  plan = g_ptr_array_index (events, 0);
  g_assert_cmpstr (rf_test_json_get_string (plan, "model"), ==, variant->model);
  g_assert_cmpstr (rf_test_json_get_string (plan, "revision"), ==, FIRST_REVISION);
  g_assert_cmpstr (rf_test_json_get_string (plan, "image_revision"), ==, version);
  for (guint i = 1; i + 1 < events->len; i++)
    {
      GHashTable *event = g_ptr_array_index (events, i);
      const char *name = rf_test_event_name (events, i);

      if (g_str_equal (name, "phase"))
        {
          const char *phase = rf_test_json_get_string (event, "phase");

          for (guint j = 0; j < phases->len; j++)
            g_assert_cmpstr (g_ptr_array_index (phases, j), !=, phase);
          g_ptr_array_add (phases, (gpointer) phase);
          continue;
        }
      if (!g_str_equal (name, "progress"))
        continue;
      g_assert_cmpfloat (rf_test_json_get_number (event, "fraction"), >=, fraction);
      fraction = rf_test_json_get_number (event, "fraction");
      g_assert_false (past && !rf_test_json_get_boolean (event, "point_of_no_return"));
      past = rf_test_json_get_boolean (event, "point_of_no_return");
      /* Nothing can be past it before anything was sent to the drive. */
      if (past)
        phase_position (phases, "upload");
    }
  g_assert_true (past);
  g_assert_cmpfloat (fraction, ==, 1.0);
  g_assert_cmpint (phase_position (phases, "upload"), <, phase_position (phases, "settle"));
  g_assert_cmpint (phase_position (phases, "settle"), <, phase_position (phases, "verify"));
  /* Only the deferred variant has a command that activates (and its 0x0F
   * may be too short to be shown). */
  for (guint i = 0; i < phases->len; i++)
    if (g_str_equal (g_ptr_array_index (phases, i), "activate"))
      {
        g_assert_nonnull (variant->activate);
        g_assert_cmpint (phase_position (phases, "upload"), <, (int) i);
        g_assert_cmpint ((int) i, <, phase_position (phases, "settle"));
      }

  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "done");
  done = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (rf_test_json_get_string (done, "revision"), ==, version);
  g_assert_cmpstr (rf_test_json_get_string (done, "model"), ==, variant->model);
  g_assert_false (rf_test_json_get_boolean (done, "unchanged"));
  /* The drive ran firmware: it was backed up first. */
  g_assert_nonnull (rf_test_json_get_string (done, "backup"));
  g_assert_true (g_file_test (rf_test_json_get_string (done, "backup"), G_FILE_TEST_IS_REGULAR));
}

/* A flash with --json, at a speed that leaves each phase long enough to be
 * shown (the CLI samples progress ten times a second), then one in words; a
 * new run of reflash-cli finds the drive running each new firmware. */
static void
test_flash (Fixture       *fixture,
            gconstpointer  data)
{
  const Variant *variant = data;
  g_autofree char *drive = drive_of (variant);
  g_autofree char *image = make_image (fixture, drive, "new.bin", "--version=2.10");
  g_autofree char *newer = make_image (fixture, drive, "newer.bin", "--version=2.11");
  g_autofree char *json = NULL;
  g_autofree char *trace = NULL;
  g_autofree char *words = NULL;
  g_autofree char *last = NULL;
  g_autofree char *before_last = NULL;
  g_autofree char *now_runs = g_strdup_printf ("Your %s now runs firmware 2.11.", variant->model);

  trace_commands (fixture);
  g_assert_cmpint (flash (fixture, drive, image, "20", TRUE, &json, &trace), ==, EXIT_OK);
  assert_flash_events (variant, json, "2.10");
  /* The variant's own download went to the drive. */
  rf_test_assert_has (trace, variant->mode);
  if (variant->activate != NULL)
    rf_test_assert_has (trace, variant->activate);
  assert_drive_holds (fixture, drive, image);
  assert_runs (fixture, drive, "2.10", FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 0);

  /* In words, and again from what the last run left. */
  g_assert_cmpint (flash (fixture, drive, newer, "0", FALSE, &words, NULL), ==, EXIT_OK);
  rf_test_assert_has (words, "Now:       firmware 2.10\n");
  /* The new firmware is the result; only where the old one is kept follows. */
  before_last = dup_line_from_end (words, 1);
  last = dup_line_from_end (words, 0);
  g_assert_cmpstr (before_last, ==, now_runs);
  g_assert_true (g_str_has_prefix (last, "The firmware it ran before is backed up in "));
  assert_drive_holds (fixture, drive, newer);
  assert_runs (fixture, drive, "2.11", FALSE);
}

/* Without a terminal each extra confirmation of an SPC flash is its own
 * option, named when missing; --yes is only the general question. */
static void
test_needs_confirmations (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, GENERIC, "new.bin", "--version=2.10");
  struct {
    const char *given;
    const char *missing;
  } rows[] = {
    { "--accept-untested", "--accept-unknown-order" },
    { "--accept-unknown-order", "--accept-untested" },
  };

  trace_commands (fixture);
  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (fixture, NULL, &err, "flash", GENERIC, image, rows[i].given,
                                "--yes", "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
      rf_test_assert_has (err, rows[i].missing);
      rf_test_assert_has (err, "Nothing was changed");
      assert_no_write_buffer (err, GENERIC);
    }
  g_assert_null (read_drive_flash (fixture, GENERIC));
  assert_runs (fixture, GENERIC, FIRST_REVISION, FALSE);
}

/* 3: another model's image is refused before any WRITE BUFFER */

/* `flash` of @image on @drive is refused with @sentence, with and without
 * --json, and the drive is sent no WRITE BUFFER and keeps what it ran. */
static void
assert_refused (Fixture    *fixture,
                const char *drive,
                const char *image,
                const char *sentence)
{
  g_autoptr(GBytes) before = read_drive_flash (fixture, drive);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GHashTable) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  g_autofree char *json_err = NULL;

  trace_commands (fixture);
  g_assert_cmpint (flash (fixture, drive, image, "0", FALSE, NULL, &err), ==, EXIT_REFUSED);
  rf_test_assert_has (err, sentence);
  assert_no_write_buffer (err, drive);

  g_assert_cmpint (flash (fixture, drive, image, "0", TRUE, &out, &json_err), ==, EXIT_REFUSED);
  /* Refused at the verdict: before the plan, so before any question. */
  g_assert_null (strstr (out, "\"event\": \"plan\""));
  error = last_event (out);
  g_assert_cmpstr (rf_test_json_get_string (error, "event"), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (error, "code"), ==, "image-refused");
  g_assert_false (rf_test_json_get_boolean (error, "needs_recovery"));
  rf_test_assert_has (rf_test_json_get_string (error, "message"), sentence);
  assert_no_write_buffer (json_err, drive);

  after = read_drive_flash (fixture, drive);
  assert_same_flash (before, after);
  assert_runs (fixture, drive, FIRST_REVISION, FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* The families have image sizes of their own: spc-single's image does not
 * fit spc-generic. */
static void
test_other_family_image (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, SINGLE, "single.bin", "--version=2.10");

  assert_refused (fixture, GENERIC, image, "The file has the wrong size");
}

/* `practice firmware --other-model`: the family's size, another model's
 * name where the family checks it. */
static void
test_other_model_image (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, GENERIC, "other.bin", "--other-model");

  assert_refused (fixture, GENERIC, image, "firmware for another kind of drive");
}

/* spc-generic's image, size and all, but naming the spc-single's model
 * (PRACTICE SPC1CMD) where spc-generic's images name theirs
 * (ModelCheckOffset 0x40; 16 bytes, space padded: PRACTICE SPC, then four
 * spaces). It is another model's firmware: refused before it is sent. */
static void
test_other_model_same_size (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = make_image (fixture, GENERIC, "renamed.bin", "--version=2.10");
  g_autoptr(GBytes) bytes = read_file (path);
  gsize length = 0;
  g_autofree guint8 *image = g_bytes_unref_to_data (g_steal_pointer (&bytes), &length);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (length, >, 0x50);
  memcpy (image + 0x40, "PRACTICE SPC1CMD", 16);
  g_file_set_contents (path, (const char *) image, (gssize) length, &error);
  g_assert_no_error (error);
  assert_refused (fixture, GENERIC, path, "firmware for another kind of drive");
}

/* 4: a power cut while the drive saves, and the resume */

/* The power fails during the save that the last chunk starts
 * (spc-download.md "Practice drive model"): the drive comes up in boot mode.
 * The flash says so (needs recovery), keeps its journal, and `resume` flashes
 * the journal's copy: the drive runs the new firmware. */
static void
test_power_cut_then_resume (Fixture       *fixture,
                            gconstpointer  data)
{
  const Variant *variant = data;
  g_autofree char *fault = g_strdup_printf ("[Fault cut]\nKind=power-loss\nPhase=upload\n"
                                            "Occurrence=%u\nByteOffset=0\n", variant->last_chunk);
  g_autofree char *name = g_strconcat (variant->id, "-cut", NULL);
  g_autofree char *drive = add_faulty_drive (fixture, variant, name, fault);
  g_autofree char *image = make_image (fixture, drive, "new.bin", "--version=2.10");
  g_autoptr(GHashTable) error = NULL;
  g_autoptr(GHashTable) done = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *resumed = NULL;

  g_assert_cmpint (flash (fixture, drive, image, "0", TRUE, &out, &err), ==,
                   EXIT_NEEDS_RECOVERY);
  error = last_event (out);
  g_assert_cmpstr (rf_test_json_get_string (error, "event"), ==, "error");
  g_assert_true (rf_test_json_get_boolean (error, "needs_recovery"));
  rf_test_assert_has (rf_test_json_get_string (error, "message"), BOOT_MODE);
  rf_test_assert_has (err, BOOT_MODE);
  rf_test_assert_has (err, "reflash-cli resume");
  /* It had got past the point of no return. */
  g_assert_true (last_point_of_no_return (out));
  assert_runs (fixture, drive, BOOT_REVISION, TRUE);
  g_assert_cmpuint (n_journals (fixture), ==, 1);

  g_assert_cmpint (resume (fixture, drive, &resumed, NULL), ==, EXIT_OK);
  done = last_event (resumed);
  g_assert_cmpstr (rf_test_json_get_string (done, "event"), ==, "done");
  g_assert_cmpstr (rf_test_json_get_string (done, "revision"), ==, "2.10");
  g_assert_cmpstr (rf_test_json_get_string (done, "model"), ==, variant->model);
  g_assert_false (rf_test_json_get_boolean (done, "unchanged"));
  assert_drive_holds (fixture, drive, image);
  assert_runs (fixture, drive, "2.10", FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* reflash-cli is killed as the drive receives the last chunk, before the
 * drive saves anything: for the drive a power cut, which discards its buffer
 * (spc-download.md "Practice drive model"), so it runs its old firmware. The
 * journal is open; `resume` sends the whole download again, once the unknown
 * order of the two versions is confirmed again. */
static void
test_killed_then_resume (Fixture       *fixture,
                         gconstpointer  data)
{
  const Variant *variant = data;
  g_autofree char *fault = g_strdup_printf ("[Fault kill]\nKind=killed\nPhase=upload\n"
                                            "Occurrence=%u\n", variant->last_chunk);
  g_autofree char *name = g_strconcat (variant->id, "-kill", NULL);
  g_autofree char *drive = add_faulty_drive (fixture, variant, name, fault);
  g_autofree char *image = make_image (fixture, drive, "new.bin", "--version=2.10");
  const char *args[] = { "flash", drive, image, "--accept-untested", "--accept-unknown-order",
                         "--yes", "--practice-speed", "0", NULL };
  g_autoptr(GSubprocess) process = rf_test_cli_spawn (cli_path, fixture->env, args);
  g_autoptr(GHashTable) done = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *resumed = NULL;

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  assert_runs (fixture, drive, "1.00", FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 1);

  g_assert_cmpint (run_cli (fixture, NULL, &refused, "resume", drive, "--accept-untested",
                            "--yes", "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
  rf_test_assert_has (refused, "--accept-unknown-order");
  g_assert_cmpuint (n_journals (fixture), ==, 1);
  g_assert_cmpint (run_cli (fixture, &resumed, NULL, "resume", drive, "--accept-untested",
                            "--accept-unknown-order", "--yes", "--json", "--practice-speed", "0",
                            NULL), ==, EXIT_OK);
  done = last_event (resumed);
  g_assert_cmpstr (rf_test_json_get_string (done, "event"), ==, "done");
  g_assert_cmpstr (rf_test_json_get_string (done, "revision"), ==, "2.10");
  assert_drive_holds (fixture, drive, image);
  assert_runs (fixture, drive, "2.10", FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* A family whose drives take no download in boot mode
 * (BootModeAcceptsDownload=false), and its practice drive, whose power fails
 * during the save. Otherwise as spc-generic. */
static const char locked_family[] =
  "[Family]\nId=spc-locked\nName=SPC download that boot mode refuses\nProtocol=spc-download\n"
  "ImageFormat=raw\nSupport=spec-only\nBootRevision=0000\n"
  "[Model SPCLCK]\nName=Practice SPC drive, locked boot mode\nVendor=REFLASH\\s\n"
  "Product=PRACTICE SPC LCK\n"
  "[Download]\nVariant=offsets\nBufferId=0\nStartOffset=0\nChunkSize=from-descriptor\n"
  "SettleSeconds=60\nImageSizes=0x100000\nModelCheckOffset=0x40\n"
  "ModelCheckBytes=PRACTICE SPC LCK\nRevisionOffset=0x50\nBootModeAcceptsDownload=false\n"
  "DumpBufferId=0\nDumpLength=0x100000\n";

static const char locked_drive[] =
  "[Scenario]\nName=Locked boot mode\nDescription=A drive whose boot mode takes no download.\n"
  "Protocol=spc-download\n"
  "[SPC]\nVendor=REFLASH\nProduct=PRACTICE SPC LCK\nRevision=1.00\nBootRevision=0000\n"
  "Variant=offsets\nBufferId=0\nOffsetBoundary=2\nBufferCapacity=0x100000\n"
  "ImageSize=0x100000\nModelCheckOffset=0x40\nRevisionOffset=0x50\n"
  "BootModeAcceptsDownload=false\n"
  "[Fault cut]\nKind=power-loss\nPhase=upload\nOccurrence=16\nByteOffset=0\n";

/* Such a drive, left in boot mode, is not flashed again: resume refuses with
 * the maker's own tool, sends no WRITE BUFFER and keeps the journal. */
static void
test_boot_mode_refuses_resume (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *drive = "practice:spc-locked";
  g_autofree char *image = NULL;
  g_autofree char *err = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  add_data_file (fixture, "drives", "spc-locked", locked_family);
  add_data_file (fixture, "practice", "spc-locked", locked_drive);
  image = make_image (fixture, drive, "new.bin", "--version=2.10");
  g_assert_cmpint (flash (fixture, drive, image, "0", FALSE, NULL, &err), ==,
                   EXIT_NEEDS_RECOVERY);
  rf_test_assert_has (err, BOOT_MODE);
  assert_runs (fixture, drive, BOOT_REVISION, TRUE);
  g_assert_cmpuint (n_journals (fixture), ==, 1);

  before = read_drive_flash (fixture, drive);
  trace_commands (fixture);
  g_assert_cmpint (resume (fixture, drive, NULL, &refused), ==, EXIT_REFUSED);
  rf_test_assert_has (refused, MAKER_TOOL);
  assert_no_write_buffer (refused, drive);
  after = read_drive_flash (fixture, drive);
  assert_same_flash (before, after);
  assert_runs (fixture, drive, BOOT_REVISION, TRUE);
  g_assert_cmpuint (n_journals (fixture), ==, 1);
}

/* 5: a drive that answers GOOD and saves nothing */

/* Every save answers GOOD and writes nothing (a silent flash): the drive
 * still runs its firmware, which the flash says; it needs no recovery, and
 * no journal is left to resume. */
static void
test_silent_flash (Fixture       *fixture,
                   gconstpointer  data)
{
  const Variant *variant = data;
  g_autofree char *name = g_strconcat (variant->id, "-silent", NULL);
  g_autofree char *drive = add_faulty_drive (fixture, variant, name,
                                             "[Fault silent]\nKind=silent-flash\n"
                                             "Phase=upload\nOccurrence=0\n");
  g_autofree char *image = make_image (fixture, drive, "new.bin", "--version=2.10");
  g_autoptr(GHashTable) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *words = NULL;
  int status;

  trace_commands (fixture);
  status = flash (fixture, drive, image, "0", TRUE, &out, &err);
  g_test_message ("exit status %d", status);
  g_assert_cmpint (status, !=, EXIT_OK);
  g_assert_cmpint (status, !=, EXIT_NEEDS_RECOVERY);
  /* The download was sent: the drive ignored it. */
  rf_test_assert_has (err, variant->mode);
  rf_test_assert_has (err, NOT_TAKEN);
  g_assert_null (strstr (err, BOOT_MODE));
  error = last_event (out);
  g_assert_cmpstr (rf_test_json_get_string (error, "event"), ==, "error");
  g_assert_false (rf_test_json_get_boolean (error, "needs_recovery"));
  rf_test_assert_has (rf_test_json_get_string (error, "message"), NOT_TAKEN);
  assert_runs (fixture, drive, FIRST_REVISION, FALSE);
  g_assert_cmpuint (n_journals (fixture), ==, 0);

  /* In words too, with the same exit status. */
  g_assert_cmpint (flash (fixture, drive, image, "0", FALSE, NULL, &words), ==, status);
  rf_test_assert_has (words, NOT_TAKEN);
}

/* The codes these tests expect are the ones the manual gives. */
static void
test_exit_codes_documented (Fixture       *fixture,
                            gconstpointer  data)
{
  const RfTestExitWords rows[] = {
    { EXIT_REFUSED, "For \\fBflash\\fR and \\fBrecover\\fR: the verdict refuses the image" },
    { EXIT_NOT_CONFIRMED, "Not confirmed" },
    { EXIT_NEEDS_RECOVERY, "\\fBreflash\\-cli resume\\fR \\fIDRIVE\\fR" },
  };

  rf_test_assert_exit_words (rows, G_N_ELEMENTS (rows));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  for (gsize i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      const struct {
        const char *name;
        void (*func) (Fixture *fixture, gconstpointer data);
      } cases[] = {
        { "flash", test_flash },
        { "power-cut-then-resume", test_power_cut_then_resume },
        { "killed-then-resume", test_killed_then_resume },
        { "silent-flash", test_silent_flash },
      };

      for (gsize j = 0; j < G_N_ELEMENTS (cases); j++)
        {
          g_autofree char *path = g_strdup_printf ("/reflash/cli-flash-spc/%s/%s", cases[j].name,
                                                   variants[i].id);

          g_test_add (path, Fixture, &variants[i], rf_test_cli_job_fixture_set_up_on_mains,
                      cases[j].func, rf_test_cli_job_fixture_tear_down);
        }
    }
#define ADD(path, func) \
  g_test_add ("/reflash/cli-flash-spc/" path, Fixture, NULL, \
              rf_test_cli_job_fixture_set_up_on_mains, func, \
              rf_test_cli_job_fixture_tear_down)
  ADD ("needs-confirmations", test_needs_confirmations);
  ADD ("refused/other-family-image", test_other_family_image);
  ADD ("refused/other-model-image", test_other_model_image);
  ADD ("refused/other-model-same-size", test_other_model_same_size);
  ADD ("boot-mode-refuses-resume", test_boot_mode_refuses_resume);
  ADD ("exit-codes-documented", test_exit_codes_documented);
#undef ADD

  return g_test_run ();
}
