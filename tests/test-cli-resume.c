/* test-cli-resume.c: `reflash-cli resume` and `reflash-cli journals`, as a
 * user runs them after a flash was cut short
 *
 * A practice drive lives in the process of the reflash-cli that uses it, and
 * reopening one is a power-up (src/sim/rf-sim-state.c): a SIGKILL of
 * `reflash-cli flash` is a power cut of the computer and the drive at that
 * moment. Its flash is kept flat in $XDG_STATE_HOME/reflash/practice/NAME.flash,
 * which the tests read to compare the drive with the image byte for byte.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "rf-test-cli.h"
#include "rf-test-json-tree.h"
#include "rf-test-json.h"
#include "rf-test-util.h"

/* Exit status codes, as reflash-cli(1) lists them. */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
  EXIT_NOT_FOUND = 3,
  EXIT_REFUSED = 4,
  EXIT_NOT_CONFIRMED = 7,
};

#define SEED "practice:seed"
#define HEALTHY "practice:healthy-3550"

/* nec-2m.md §0 and §5: the main firmware's place in the flash, and its
 * length at the start of an image. */
#define MAIN_START 0x010000
#define MAIN_SIZE  0x1E0000

static const char *cli_path;

typedef RfTestCliJobFixture Fixture;

/* The phases of an NEC flash, in their order (reflash-cli(1), BACKUP EVENTS). */
static const char * const flash_phases[] = {
  "preflight", "backup", "enter-safe-mode", "upload", "checksum", "erase", "program", "restart",
  "verify", NULL
};

/* Runs reflash-cli with @args (NULL-terminated) to its end. */
#define run_cli(fixture, ...) rf_test_cli_job_run (fixture, cli_path, __VA_ARGS__)

/* `practice firmware DRIVE -o NAME` in the fixture's folder. */
static char *
make_image (Fixture    *fixture,
            const char *drive,
            const char *name)
{
  return rf_test_cli_job_practice_image (fixture, cli_path, drive, name, NULL);
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

/* The practice drive's whole flash, as it keeps it on disk once a command
 * changed it; NULL before: it is still the scenario's. */
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

/* Nothing was written to the drive's flash between the two reads. */
static void
assert_same_flash (GBytes *before,
                   GBytes *after)
{
  g_assert_true ((before == NULL) == (after == NULL));
  g_assert_true (before == NULL || g_bytes_equal (before, after));
}

/* The drive's main firmware area holds the image's, byte for byte. */
static void
assert_drive_holds (Fixture    *fixture,
                    const char *drive,
                    GBytes     *image)
{
  g_autoptr(GBytes) flash = read_drive_flash (fixture, drive);
  const guint8 *flash_data;

  g_assert_nonnull (flash);
  flash_data = g_bytes_get_data (flash, NULL);
  g_assert_cmpuint (g_bytes_get_size (image), >=, MAIN_SIZE);
  g_assert_cmpuint (g_bytes_get_size (flash), >=, MAIN_START + MAIN_SIZE);
  g_assert_cmpmem (flash_data + MAIN_START, MAIN_SIZE, g_bytes_get_data (image, NULL), MAIN_SIZE);
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

/* `journals --json`, parsed: an array of objects. */
static GVariant *
list_journals (Fixture *fixture)
{
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *tree;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "journals", "--json", NULL), ==, EXIT_OK);
  tree = rf_test_json_tree_parse (out, strlen (out), &error);
  g_assert_no_error (error);
  g_assert_true (g_variant_is_of_type (tree, G_VARIANT_TYPE ("av")));
  return tree;
}

/* The @i-th journal of @journals (an object, a{sv}). */
static GVariant *
journal_at (GVariant *journals,
            gsize     i)
{
  g_autoptr(GVariant) boxed = g_variant_get_child_value (journals, i);

  return g_variant_get_variant (boxed);
}

/* The one open journal's @key. */
static char *
dup_only_journal_string (Fixture    *fixture,
                         const char *key)
{
  g_autoptr(GVariant) journals = list_journals (fixture);
  g_autoptr(GVariant) journal = NULL;

  g_assert_cmpuint (g_variant_n_children (journals), ==, 1);
  journal = journal_at (journals, 0);
  return rf_test_json_tree_dup_string (journal, key);
}

static gsize
n_journals (Fixture *fixture)
{
  g_autoptr(GVariant) journals = list_journals (fixture);

  return g_variant_n_children (journals);
}

static int
phase_index (const char *phase)
{
  for (int i = 0; flash_phases[i] != NULL; i++)
    if (g_str_equal (flash_phases[i], phase))
      return i;
  g_assert_not_reached ();
}

/* The phase a `phase` event of @line names, from @target on; else NULL. */
static const char *
phase_reached (const char *line,
               int         target)
{
  if (strstr (line, "\"event\": \"phase\"") == NULL)
    return NULL;
  for (int i = target; flash_phases[i] != NULL; i++)
    {
      g_autofree char *wanted = g_strdup_printf ("\"phase\": \"%s\"", flash_phases[i]);

      if (strstr (line, wanted) != NULL)
        return flash_phases[i];
    }
  return NULL;
}

/**
 * kill_flash_at:
 * @args: the flash's arguments, with --json
 * @target: the phase to kill it in
 *
 * Starts `reflash-cli flash`, reads its events and SIGKILLs it as soon as
 * @target began, or a later phase if @target was too short to be shown.
 *
 * Returns: the phase it was killed in
 */
static const char *
kill_flash_at (Fixture            *fixture,
               const char * const *args,
               const char         *target)
{
  g_autoptr(GSubprocess) process = rf_test_cli_spawn (cli_path, fixture->env, args);
  GInputStream *pipe = g_subprocess_get_stdout_pipe (process);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (pipe);
  g_autoptr(GError) error = NULL;
  int from = phase_index (target);
  const char *reached = NULL;

  while (reached == NULL)
    {
      g_autofree char *line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        g_error ("the flash ended before the phase %s", target);
      reached = phase_reached (line, from);
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (process));
  g_assert_cmpint (g_subprocess_get_term_sig (process), ==, SIGKILL);
  if (!g_str_equal (reached, target))
    g_test_message ("%s was too short to be seen: killed in %s", target, reached);
  return reached;
}

/* `flash DRIVE IMAGE` at @speed, killed in @phase. */
static const char *
kill_flash (Fixture    *fixture,
            const char *drive,
            const char *image,
            const char *phase,
            const char *speed)
{
  /* No backup: the phases of the flash itself come at once (a drive in safe
   * mode has nothing to back up anyway). */
  const char *args[] = { "flash", drive, image, "--json", "--tray-empty", "--accept-untested",
                         "--no-backup", "--yes", "--practice-speed", speed, NULL };

  return kill_flash_at (fixture, args, phase);
}

/* `resume` as the acceptance runs it, without a terminal: --yes too. */
static int
resume (Fixture  *fixture,
        char    **out,
        char    **err)
{
  return run_cli (fixture, out, err, "resume", "--tray-empty", "--accept-untested", "--yes",
                  "--json", "--practice-speed", "0", NULL);
}

static GHashTable *
last_event (const char *out)
{
  g_autoptr(GPtrArray) events = rf_test_parse_events (out);

  g_assert_cmpuint (events->len, >, 0);
  return g_hash_table_ref (g_ptr_array_index (events, events->len - 1));
}

/* Killing `flash` at each phase */

typedef struct {
  const char *drive;
  const char *phase;
  const char *speed;  /* leaves the phase long enough to be seen and killed in */
} KillRow;

static const KillRow kill_rows[] = {
  { HEALTHY, "enter-safe-mode", "1" },
  { HEALTHY, "upload", "1" },
  { HEALTHY, "checksum", "0.5" },
  { HEALTHY, "erase", "10" },
  { HEALTHY, "program", "20" },
  { HEALTHY, "restart", "15" },
  { HEALTHY, "verify", "15" },
  /* In safe mode from the start: never found unchanged, always flashed. */
  { SEED, "enter-safe-mode", "1" },
  { SEED, "erase", "10" },
  { SEED, "program", "20" },
  { SEED, "verify", "15" },
};

/* A flash killed before its first ERASE left a drive in normal mode as it
 * was: resume says so, writes nothing and closes the journal. */
static void
assert_found_unchanged (Fixture    *fixture,
                        const char *drive,
                        GBytes     *flash_before,
                        const char *out)
{
  g_autoptr(GHashTable) done = last_event (out);
  g_autoptr(GBytes) flash_after = read_drive_flash (fixture, drive);
  g_autofree char *info = dup_info (fixture, drive);

  g_assert_cmpstr (rf_test_json_get_string (done, "event"), ==, "done");
  g_assert_true (rf_test_json_get_boolean (done, "unchanged"));
  assert_same_flash (flash_before, flash_after);
  rf_test_assert_has (info, "\"revision\": \"1.05\"");
}

/* Any other: the drive ends on the image, byte for byte, and says so. */
static void
assert_flashed (Fixture    *fixture,
                const char *drive,
                GBytes     *image,
                const char *out)
{
  g_autoptr(GHashTable) done = last_event (out);
  g_autofree char *info = dup_info (fixture, drive);

  g_assert_cmpstr (rf_test_json_get_string (done, "event"), ==, "done");
  g_assert_false (rf_test_json_get_boolean (done, "unchanged"));
  g_assert_cmpstr (rf_test_json_get_string (done, "revision"), ==, "1.06");
  assert_drive_holds (fixture, drive, image);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
  rf_test_assert_has (info, "\"safe_mode\": false");
}

static void
test_kill_then_resume (Fixture       *fixture,
                       gconstpointer  data)
{
  const KillRow *row = data;
  g_autofree char *image_path = make_image (fixture, row->drive, "nd3550.bin");
  g_autoptr(GBytes) image = read_file (image_path);
  g_autoptr(GBytes) flash_before = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *killed_in;

  killed_in = kill_flash (fixture, row->drive, image_path, row->phase, row->speed);
  flash_before = read_drive_flash (fixture, row->drive);
  phase = dup_only_journal_string (fixture, "phase");
  g_test_message ("killed in %s, journal phase %s", killed_in, phase);
  g_assert_cmpint (resume (fixture, &out, &err), ==, EXIT_OK);
  if (g_str_equal (phase, "started") && g_str_equal (row->drive, HEALTHY))
    assert_found_unchanged (fixture, row->drive, flash_before, out);
  else
    assert_flashed (fixture, row->drive, image, out);
  /* Closed in both cases; no command speaks of it any more. */
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* A downgrade stopped before the erase: the drive still runs what it ran, so
 * the resume closes the journal without asking what only a flash needs
 * (--accept-downgrade), and writes nothing. */
static void
test_downgrade_stopped_early (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *older = g_build_filename (fixture->dir, "old.bin", NULL);
  const char *args[] = { "flash", HEALTHY, older, "--json", "--accept-untested",
                         "--accept-downgrade", "--no-backup", "--yes", "--practice-speed", "1",
                         NULL };
  g_autoptr(GBytes) flash_before = NULL;
  g_autofree char *phase = NULL;
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "practice", "firmware", HEALTHY, "-o", older,
                            "--version=1.00", NULL), ==, EXIT_OK);
  kill_flash_at (fixture, args, "upload");
  flash_before = read_drive_flash (fixture, HEALTHY);
  phase = dup_only_journal_string (fixture, "phase");
  g_assert_cmpstr (phase, ==, "started");
  g_assert_cmpint (resume (fixture, &out, NULL), ==, EXIT_OK);
  assert_found_unchanged (fixture, HEALTHY, flash_before, out);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* The image file gone after the kill: the journal's copy is flashed. */
static void
test_image_deleted (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autoptr(GBytes) image = read_file (image_path);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  kill_flash (fixture, SEED, image_path, "program", "20");
  g_assert_cmpint (g_unlink (image_path), ==, 0);
  g_assert_cmpint (resume (fixture, &out, &err), ==, EXIT_OK);
  assert_flashed (fixture, SEED, image, out);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* The image file rewritten after the kill (another version in its place):
 * the journal's copy is flashed, checked by its SHA-256, not the file. */
static void
test_image_rewritten (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autoptr(GBytes) image = read_file (image_path);
  g_autoptr(GBytes) other = NULL;
  g_autofree char *out = NULL;

  kill_flash (fixture, SEED, image_path, "program", "20");
  g_assert_cmpint (g_unlink (image_path), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "practice", "firmware", SEED, "-o", image_path,
                            "--version=1.07", NULL), ==, EXIT_OK);
  other = read_file (image_path);
  g_assert_false (g_bytes_equal (image, other));
  g_assert_cmpint (resume (fixture, &out, NULL), ==, EXIT_OK);
  assert_flashed (fixture, SEED, image, out);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* Changes two words of the main firmware so that their sum, and so the
 * image's 16-bit checksum (nec-2m.md §5), stays the same: only the SHA-256
 * can tell. */
static void
alter_keeping_checksum (guint8 *image,
                        gsize   length)
{
  gsize up = MAIN_SIZE / 2;
  gsize down;

  g_assert_cmpuint (length, >=, MAIN_SIZE);
  while (image[up] == 0xFF)
    up += 2;
  for (down = up + 2; image[down] == 0x00; down += 2)
    ;
  g_assert_cmpuint (down, <, MAIN_SIZE);
  image[up]++;    /* the high byte of one word: +0x100 */
  image[down]--;  /* of another: -0x100 */
}

/* The journal's copy altered on disk: refused by its SHA-256 before the drive
 * is sent anything, and the journal kept. */
static void
test_copy_damaged (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autofree char *copy_path = NULL;
  g_autoptr(GBytes) flash_before = NULL;
  g_autoptr(GBytes) flash_after = NULL;
  g_autoptr(GHashTable) error = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gsize length = 0;

  kill_flash (fixture, SEED, image_path, "erase", "10");
  copy_path = dup_only_journal_string (fixture, "image_path");
  g_assert_true (g_file_get_contents (copy_path, &copy, &length, NULL));
  alter_keeping_checksum ((guint8 *) copy, length);
  g_assert_true (g_file_set_contents (copy_path, copy, (gssize) length, NULL));
  flash_before = read_drive_flash (fixture, SEED);

  g_assert_cmpint (resume (fixture, &out, &err), ==, EXIT_REFUSED);
  error = last_event (out);
  g_assert_cmpstr (rf_test_json_get_string (error, "event"), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (error, "code"), ==, "journal-damaged");
  rf_test_assert_has (err, "is damaged");
  g_assert_null (strstr (out, "\"event\": \"plan\""));
  flash_after = read_drive_flash (fixture, SEED);
  assert_same_flash (flash_before, flash_after);
  g_assert_cmpuint (n_journals (fixture), ==, 1);
}

/* `journals` lists an open journal, `--discard` closes it only when
 * confirmed, and then `resume` has nothing to resume. */
static void
test_journals_and_discard (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autofree char *id = NULL;
  g_autofree char *list_err = NULL;
  g_autofree char *listed = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *none = NULL;
  g_autofree char *after_err = NULL;
  g_autofree char *nothing = NULL;
  g_autoptr(GVariant) journals = NULL;
  g_autoptr(GVariant) journal = NULL;
  g_autofree char *model = NULL;
  g_autofree char *image = NULL;

  kill_flash (fixture, SEED, image_path, "erase", "10");
  journals = list_journals (fixture);
  g_assert_cmpuint (g_variant_n_children (journals), ==, 1);
  journal = journal_at (journals, 0);
  id = rf_test_json_tree_dup_string (journal, "id");
  model = rf_test_json_tree_dup_string (journal, "model");
  image = rf_test_json_tree_dup_string (journal, "image");
  g_assert_cmpstr (model, ==, "ND-3550A");
  g_assert_cmpstr (image, ==, "nd3550.bin");

  /* The commands that look at drives say it first, on stderr. */
  g_assert_cmpint (run_cli (fixture, NULL, &list_err, "list", NULL), ==, EXIT_OK);
  rf_test_assert_has (list_err, "An interrupted flash of the ND-3550A (erasing) can be resumed");
  g_assert_cmpint (run_cli (fixture, &listed, NULL, "journals", NULL), ==, EXIT_OK);
  rf_test_assert_has (listed, id);
  rf_test_assert_has (listed, "practice drive practice:seed");
  rf_test_assert_has (listed, "nd3550.bin, firmware 1.06");
  /* The whole SHA-256, spelled as every other command spells it. */
  g_assert_true (g_regex_match_simple ("  SHA-256:  [0-9a-f]{64}\n", listed, 0, 0));

  /* Without a terminal to ask on, only --yes discards; what is lost is said. */
  g_assert_cmpint (run_cli (fixture, NULL, &refused, "journals", "--discard", id, NULL), ==,
                   EXIT_NOT_CONFIRMED);
  rf_test_assert_has (refused, "deletes Reflash's copy of its firmware");
  rf_test_assert_has (refused, "The drive itself is not touched.");
  g_assert_cmpuint (n_journals (fixture), ==, 1);
  g_assert_cmpint (run_cli (fixture, &closed, NULL, "journals", "--discard", id, "--yes", NULL),
                   ==, EXIT_OK);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "journals", "--discard", id, "--yes", NULL),
                   ==, EXIT_NOT_FOUND);

  g_assert_cmpint (run_cli (fixture, &none, NULL, "journals", NULL), ==, EXIT_OK);
  rf_test_assert_has (none, "no journal is open");
  g_assert_cmpint (run_cli (fixture, NULL, &after_err, "list", NULL), ==, EXIT_OK);
  g_assert_null (strstr (after_err, "can be resumed"));
  g_assert_cmpint (run_cli (fixture, NULL, &nothing, "resume", "--yes", NULL), ==,
                   EXIT_NOT_FOUND);
  rf_test_assert_has (nothing, "no journal is open");
}

/* A drive that no journal names is refused, the journal kept; the drive it
 * names, named, is resumed. */
static void
test_named_drive (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autoptr(GBytes) image = read_file (image_path);
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;

  kill_flash (fixture, SEED, image_path, "erase", "10");
  g_assert_cmpint (run_cli (fixture, NULL, &err, "resume", HEALTHY, "--accept-untested", "--yes",
                            "--practice-speed", "0", NULL), ==, EXIT_NOT_FOUND);
  rf_test_assert_has (err, "not the drive an interrupted flash was writing to");
  g_assert_cmpuint (n_journals (fixture), ==, 1);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "resume", SEED, "--tray-empty",
                            "--accept-untested", "--yes", "--json", "--practice-speed", "0", NULL),
                   ==, EXIT_OK);
  assert_flashed (fixture, SEED, image, out);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* Two drives each with an interrupted flash: without a terminal the person
 * must name one; each is then resumed in its turn. */
static void
test_two_candidates (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *seed_path = make_image (fixture, SEED, "seed.bin");
  g_autofree char *healthy_path = make_image (fixture, HEALTHY, "healthy.bin");
  g_autoptr(GBytes) seed_image = read_file (seed_path);
  g_autoptr(GBytes) healthy_image = read_file (healthy_path);
  g_autofree char *err = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  kill_flash (fixture, SEED, seed_path, "erase", "10");
  kill_flash (fixture, HEALTHY, healthy_path, "erase", "10");
  g_assert_cmpuint (n_journals (fixture), ==, 2);
  g_assert_cmpint (run_cli (fixture, NULL, &err, "resume", "--tray-empty", "--accept-untested",
                            "--yes", NULL), ==, EXIT_USAGE);
  rf_test_assert_has (err, SEED);
  rf_test_assert_has (err, HEALTHY);
  rf_test_assert_has (err, "reflash-cli resume DRIVE");
  g_assert_cmpuint (n_journals (fixture), ==, 2);

  /* Erased half-way, the healthy drive is in safe mode too: its tray is asked for. */
  g_assert_cmpint (run_cli (fixture, &first, NULL, "resume", HEALTHY, "--tray-empty",
                            "--accept-untested", "--yes", "--json", "--practice-speed", "0", NULL),
                   ==, EXIT_OK);
  assert_flashed (fixture, HEALTHY, healthy_image, first);
  /* One left: found without a name. */
  g_assert_cmpint (resume (fixture, &second, NULL), ==, EXIT_OK);
  assert_flashed (fixture, SEED, seed_image, second);
  g_assert_cmpuint (n_journals (fixture), ==, 0);
}

/* Each extra confirmation is still its own option on a resume: --yes is only
 * the general question, and the drive is not touched without them. */
static void
test_resume_needs_confirmations (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *image_path = make_image (fixture, SEED, "nd3550.bin");
  g_autoptr(GBytes) flash_before = NULL;
  g_autoptr(GBytes) flash_after = NULL;
  g_autofree char *err = NULL;

  kill_flash (fixture, SEED, image_path, "program", "20");
  flash_before = read_drive_flash (fixture, SEED);
  g_assert_cmpint (run_cli (fixture, NULL, &err, "resume", "--accept-untested", "--yes",
                            "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
  rf_test_assert_has (err, "--tray-empty");
  flash_after = read_drive_flash (fixture, SEED);
  assert_same_flash (flash_before, flash_after);
  g_assert_cmpuint (n_journals (fixture), ==, 1);
}

/* Wrong arguments: exit 2 before anything is read or sent. */
static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "resume", SEED, HEALTHY, NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "resume", "/dev/sg0", "--practice-speed", "0",
                            NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "journals", "extra", NULL), ==, EXIT_USAGE);
}

/* The codes these tests expect are the ones the manual gives. */
static void
test_exit_codes_documented (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *help = NULL;
  const RfTestExitWords rows[] = {
    { EXIT_USAGE, "several drives may be" },
    { EXIT_NOT_FOUND, "no journal is open" },
    { EXIT_REFUSED, "journal-damaged" },
    { EXIT_NOT_CONFIRMED, "\\fBjournals \\-\\-discard\\fR" },
  };

  rf_test_assert_exit_words (rows, G_N_ELEMENTS (rows));
  g_assert_cmpint (run_cli (fixture, &help, NULL, "--help", NULL), ==, EXIT_OK);
  rf_test_assert_has (help, "  resume ");
  rf_test_assert_has (help, "  journals ");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  for (gsize i = 0; i < G_N_ELEMENTS (kill_rows); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/cli-resume/kill/%s/%s",
                                               kill_rows[i].drive + strlen ("practice:"),
                                               kill_rows[i].phase);

      g_test_add (path, Fixture, &kill_rows[i], rf_test_cli_job_fixture_set_up_on_mains,
                  test_kill_then_resume, rf_test_cli_job_fixture_tear_down);
    }
#define ADD(path, func) \
  g_test_add ("/reflash/cli-resume/" path, Fixture, NULL, \
              rf_test_cli_job_fixture_set_up_on_mains, func, \
              rf_test_cli_job_fixture_tear_down)
  ADD ("downgrade-stopped-early", test_downgrade_stopped_early);
  ADD ("image-deleted", test_image_deleted);
  ADD ("image-rewritten", test_image_rewritten);
  ADD ("copy-damaged", test_copy_damaged);
  ADD ("journals-and-discard", test_journals_and_discard);
  ADD ("named-drive", test_named_drive);
  ADD ("two-candidates", test_two_candidates);
  ADD ("needs-confirmations", test_resume_needs_confirmations);
  ADD ("usage", test_usage);
  ADD ("exit-codes-documented", test_exit_codes_documented);
#undef ADD

  return g_test_run ();
}
