/* test-cli-backup.c: `reflash-cli backup`, as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* posix_openpt(), ptsname(), cfmakeraw() */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "rf-test-cli.h"
#include "rf-test-json.h"
#include "rf-test-util.h"

/* Exit status codes, as reflash-cli(1) lists them. */
enum {
  EXIT_OK = 0,
  EXIT_FAILURE_ = 1,
  EXIT_USAGE = 2,
  EXIT_NOT_FOUND = 3,
  EXIT_REFUSED = 4,
  EXIT_CANCELLED = 6,
};

#define HEALTHY "practice:healthy-3550"
#define NO_FIRMWARE "only its bootcode runs, so it has no firmware to back up"
#define CANCELLED "Backup cancelled; nothing was changed"
#define MUST_FINISH "Reflash must first bring the drive back from safe mode"

static const char *cli_path;

typedef RfTestCliJobFixture Fixture;

/* Every CDB the CLI sends is traced on stderr from here on. */
static void
trace_commands (Fixture *fixture)
{
  fixture->env = g_environ_setenv (fixture->env, "G_MESSAGES_DEBUG", "all", TRUE);
}

/* Runs reflash-cli with @args (NULL-terminated) to its end. */
#define run_cli(fixture, ...) rf_test_cli_job_run (fixture, cli_path, __VA_ARGS__)

static GSubprocess *
spawn_cli (Fixture            *fixture,
           const char * const *args)
{
  return rf_test_cli_spawn (cli_path, fixture->env, args);
}

static GDataInputStream *
lines_of (GInputStream *pipe)
{
  return g_data_input_stream_new (pipe);
}

/* The value after "@label" on a line of @text. */
static char *
dup_field (const char *text,
           const char *label)
{
  const char *start = strstr (text, label);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (label);
  end = strchr (start, '\n');
  return g_strndup (start, end != NULL ? (gsize) (end - start) : strlen (start));
}

static char *
dup_file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_file_get_contents (path, &data, &size, &error);
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, size);
}

/* The reader the event tests rely on refuses what is not one flat JSON object. */
static void
test_json_reader (void)
{
  const char *bad[] = { "", "{", "{\"a\": 1,}", "{\"a\": 01}", "{\"a\": [1]}",
                        "{\"a\": 1} {}", "{\n  \"a\": 1\n}", "{\"a\": nul}", "{a: 1}",
                        "{\"a\": 1, \"a\": 2}", "{\"a\": \"\x01\"}" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) good = rf_test_json_parse_flat (
      "{\"s\": \"a\\\"\\u00e9\", \"n\": -0.25e1, \"t\": true, \"z\": null}\n", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (rf_test_json_get_string (good, "s"), ==, "a\"é");
  g_assert_cmpfloat (rf_test_json_get_number (good, "n"), ==, -2.5);
  g_assert_true (rf_test_json_get_boolean (good, "t"));
  g_assert_true (rf_test_json_is_null (good, "z"));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) refused = NULL;
      g_autoptr(GHashTable) object = rf_test_json_parse_flat (bad[i], &refused);

      g_assert_null (object);
      g_assert_nonnull (refused);
    }
}

/* A backup of a healthy drive: kept where the CLI says, with the SHA-256 it
 * prints, and `check` takes it as a reinstall of the same drive. */
static void
test_healthy (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *path = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *actual = NULL;
  g_autofree char *check = NULL;
  g_autofree char *folder = NULL;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "backup", HEALTHY, "--practice-speed", "0",
                            NULL), ==, EXIT_OK);
  path = dup_field (out, "Backup:  ");
  sha256 = dup_field (out, "SHA-256: ");
  folder = g_path_get_dirname (path);
  g_assert_cmpstr (folder, ==, fixture->store);
  actual = dup_file_sha256 (path);
  g_assert_cmpstr (actual, ==, sha256);
  g_assert_cmpuint (rf_test_count_files (fixture->store), ==, 2); /* image and record */
  /* Not a terminal: plain lines, nothing redrawn, and the end said. */
  g_assert_null (strchr (out, '\r'));
  rf_test_assert_has (out, "Backing up the firmware — 100%");

  g_assert_cmpint (run_cli (fixture, &check, NULL, "check", "--json", "--drive", HEALTHY, path,
                            NULL), ==, EXIT_OK);
  rf_test_assert_has (check, "\"code\": \"reinstall\"");
}

/* --json: every line of stdout is an event on its own, logs (all of them
 * turned on) go to stderr, the fraction never goes back and the last event
 * says where the backup is. */
static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GHashTable *done;
  double fraction = 0.0;
  guint n_progress = 0;
  gboolean in_backup = FALSE;
  g_autofree char *actual = NULL;

  trace_commands (fixture);
  /* Twenty times real time: about a second, long enough for several events. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "backup", HEALTHY, "--json",
                            "--practice-speed", "20", NULL), ==, EXIT_OK);
  rf_test_assert_has (err, "[12 "); /* the trace is on, and on stderr */
  events = rf_test_parse_events (out);
  g_assert_cmpuint (events->len, >=, 3);
  for (guint i = 0; i + 1 < events->len; i++)
    {
      GHashTable *event = g_ptr_array_index (events, i);

      if (g_str_equal (rf_test_event_name (events, i), "phase"))
        {
          const char *phase = rf_test_json_get_string (event, "phase");

          /* Phases only go forward, and a backup's are these two. */
          g_assert_true (g_str_equal (phase, "preflight") || g_str_equal (phase, "backup"));
          g_assert_false (in_backup && g_str_equal (phase, "preflight"));
          in_backup = in_backup || g_str_equal (phase, "backup");
          g_assert_nonnull (rf_test_json_get_string (event, "title"));
          g_assert_nonnull (rf_test_json_get_string (event, "led_hint"));
          continue;
        }
      g_assert_cmpstr (rf_test_event_name (events, i), ==, "progress");
      g_assert_cmpfloat (rf_test_json_get_number (event, "fraction"), >=, fraction);
      fraction = rf_test_json_get_number (event, "fraction");
      g_assert_cmpfloat (fraction, <=, 1.0);
      g_assert_cmpfloat (rf_test_json_get_number (event, "silence"), >=, 0);
      g_assert_true (rf_test_json_is_null (event, "time_left") ||
                     rf_test_json_get_number (event, "time_left") >= 0);
      n_progress++;
    }
  g_assert_true (in_backup);
  g_assert_cmpuint (n_progress, >=, 2);
  g_assert_cmpfloat (fraction, ==, 1.0);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "done");
  done = g_ptr_array_index (events, events->len - 1);
  actual = dup_file_sha256 (rf_test_json_get_string (done, "path"));
  g_assert_cmpstr (actual, ==, rf_test_json_get_string (done, "sha256"));
  g_assert_false (rf_test_json_get_boolean (done, "reused"));
  g_assert_true (rf_test_json_is_null (done, "output"));
}

/* The seed's drive runs only its bootcode: refused from INQUIRY alone, in
 * words, with no NEC command (READ MEM and the rest: opcodes CC, CB, CD) sent
 * at all, as the command trace shows. */
static void
test_safe_mode (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GHashTable *last;

  trace_commands (fixture);
  g_assert_cmpint (run_cli (fixture, &out, &err, "backup", "practice:seed", NULL), ==,
                   EXIT_REFUSED);
  rf_test_assert_has (err, NO_FIRMWARE);
  /* Nothing to back up, and what to do instead. */
  rf_test_assert_has (err, "To bring it back, write firmware to it: reflash-cli recover practice:seed FILE");
  rf_test_assert_has (err, "practice:seed: [12 ");
  g_assert_null (strstr (err, "practice:seed: [CC "));
  g_assert_null (strstr (err, "practice:seed: [CB "));
  g_assert_null (strstr (err, "practice:seed: [CD "));
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));

  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "backup", "practice:seed", "--json", NULL), ==,
                   EXIT_REFUSED);
  events = rf_test_parse_events (out);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (last, "code"), ==, "in-safe-mode");
  rf_test_assert_has (rf_test_json_get_string (last, "message"), NO_FIRMWARE);
  /* While it is checked, the light of a drive in safe mode blinks, as its
   * owner sees it: not the family's "off" of a drive that runs firmware. */
  g_assert_cmpstr (rf_test_event_name (events, 0), ==, "phase");
  g_assert_cmpstr (rf_test_json_get_string (g_ptr_array_index (events, 0), "led_hint"), ==,
                   "blinking");
}

/* Copies the files of @from into the new folder @to, without the lines
 * @regex matches. */
static void
copy_folder_without (const char *from,
                     const char *to,
                     GRegex     *regex)
{
  g_autoptr(GDir) dir = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (from, name, NULL);
      g_autofree char *text = NULL;
      g_autofree char *copy = NULL;
      g_autoptr(GBytes) bytes = NULL;
      gsize length;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      copy = g_regex_replace_literal (regex, text, -1, 0, "", 0, NULL);
      length = strlen (copy);
      bytes = g_bytes_new_take (g_steal_pointer (&copy), length);
      g_free (rf_test_write_file (to, name, bytes));
    }
}

/* The drive data as shipped, except that no family names a dump buffer. */
static void
use_families_without_dump (Fixture *fixture)
{
  const char *source = g_environ_getenv (fixture->env, "REFLASH_DATA_DIR");
  g_autofree char *data = g_build_filename (fixture->dir, "data", NULL);
  g_autoptr(GRegex) dump = g_regex_new ("^Dump\\w+=.*\\n", G_REGEX_MULTILINE, 0, NULL);
  const char *folders[] = { "drives", "practice" };

  g_assert_nonnull (source);
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *from = g_build_filename (source, folders[i], NULL);
      g_autofree char *to = g_build_filename (data, folders[i], NULL);

      copy_folder_without (from, to, dump);
    }
  fixture->env = g_environ_setenv (fixture->env, "REFLASH_DATA_DIR", data, TRUE);
}

/* An SPC family that offers no way to read its firmware back is refused in
 * words, and nothing is kept. */
static void
test_cannot_back_up (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *err = NULL;

  use_families_without_dump (fixture);
  g_assert_cmpint (run_cli (fixture, NULL, &err, "backup", "practice:spc-generic",
                            "--practice-speed", "0", NULL), ==, EXIT_REFUSED);
  rf_test_assert_has (err, "offers no way to read its firmware");
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

/* Without a terminal: a line when a step begins and one per whole 10 %, each
 * said once, never redrawn. */
static void
test_lines (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *title = NULL;
  guint n_progress = 0;
  int tenth = -1;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "backup", HEALTHY, "--practice-speed", "20",
                            NULL), ==, EXIT_OK);
  g_assert_null (strchr (out, '\r'));
  g_assert_null (strchr (out, '\033'));
  lines = g_strsplit (out, "\n", -1);
  for (gsize i = 0; lines[i] != NULL; i++)
    {
      const char *dash = strstr (lines[i], " — ");
      g_autofree char *line_title = NULL;
      guint percent = 0;

      if (dash == NULL)
        continue;
      g_assert_cmpint (sscanf (dash + strlen (" — "), "%u%%", &percent), ==, 1);
      line_title = g_strndup (lines[i], (gsize) (dash - lines[i]));
      g_assert_cmpint ((int) percent / 10, >=, tenth);
      /* Within a step, only a new whole tenth is said. */
      if (g_strcmp0 (line_title, title) == 0)
        g_assert_cmpint ((int) percent / 10, >, tenth);
      g_free (title);
      title = g_steal_pointer (&line_title);
      tenth = (int) percent / 10;
      n_progress++;
    }
  g_assert_cmpstr (title, ==, "Backing up the firmware");
  g_assert_cmpint (tenth, ==, 10);
  /* Two steps and the ten tenths at most. */
  g_assert_cmpuint (n_progress, >=, 3);
  g_assert_cmpuint (n_progress, <=, 2 + 10);
}

/* A pseudo-terminal @columns wide that passes bytes as they are written (no
 * newline translation); returns its master side, the other in @slave. */
static int
open_terminal (guint  columns,
               int   *slave)
{
  struct winsize size = { .ws_row = 24, .ws_col = (unsigned short) columns };
  struct termios raw;
  int master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  *slave = open (ptsname (master), O_RDWR | O_NOCTTY | O_CLOEXEC);
  g_assert_cmpint (*slave, >=, 0);
  g_assert_cmpint (tcgetattr (*slave, &raw), ==, 0);
  cfmakeraw (&raw);
  g_assert_cmpint (tcsetattr (*slave, TCSANOW, &raw), ==, 0);
  g_assert_cmpint (ioctl (master, TIOCSWINSZ, &size), ==, 0);
  return master;
}

/* Everything the program wrote to the terminal, until it closed it. */
static GString *
read_terminal (int master)
{
  GString *text = g_string_new (NULL);
  char buffer[4096];
  gssize n;

  /* Once no process holds the other side, read() fails with EIO. */
  while ((n = read (master, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (text, buffer, n);
  return text;
}

static guint
count (const char *text,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (text, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* On a terminal: one line redrawn in place (return, clear), at most ten times
 * a second, with the time left once known and what the drive's light does;
 * a line wider than the terminal is cleared over all its rows. */
static void
test_terminal (Fixture       *fixture,
               gconstpointer  data)
{
  const char *argv[] = { cli_path, "backup", HEALTHY, "--practice-speed", "20", NULL };
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *progress = NULL;
  const char *result;
  int slave = -1;
  int master = open_terminal (80, &slave);
  gint64 start = g_get_monotonic_time ();
  double seconds;

  g_subprocess_launcher_set_environ (launcher, fixture->env);
  g_subprocess_launcher_take_stdout_fd (launcher, slave);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  /* The launcher holds the terminal's other side until it goes. */
  g_clear_object (&launcher);
  text = read_terminal (master);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  close (master);
  g_assert_cmpint (rf_test_wait_exit (process), ==, EXIT_OK);

  result = strstr (text->str, "The firmware of " HEALTHY);
  g_assert_nonnull (result);
  progress = g_strndup (text->str, (gsize) (result - text->str));
  g_assert_null (strchr (progress, '\n'));
  rf_test_assert_has (progress, "\r\033[J");
  rf_test_assert_has (progress, "Backing up the firmware — ");
  rf_test_assert_has (progress, " left. ");
  rf_test_assert_has (progress, "The drive's light blinks briefly now and then.");
  /* The lines are wider than 80 columns: two rows each. */
  rf_test_assert_has (progress, "\r\033[1A\033[J");
  g_test_message ("%u redraws in %.2f s", count (progress, "\033[J"), seconds);
  g_assert_cmpuint (count (progress, "\033[J"), >=, 3);
  /* Ten a second, the first at once, and the last word (100 %) cleared. */
  g_assert_cmpfloat (count (progress, "\033[J"), <=, seconds * 10 + 3);
  rf_test_assert_has (result, "Backup:  ");
}

/* -o FILE: the verified image, the same bytes as the backup kept, and no
 * temporary file left beside it. */
static void
test_output (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "copies", NULL);
  g_autofree char *copy = g_build_filename (folder, "nd3550.bin", NULL);
  g_autofree char *out = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *sha256 = NULL;
  g_autofree char *copy_sha256 = NULL;

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  g_assert_cmpint (run_cli (fixture, &out, NULL, "backup", HEALTHY, "--practice-speed", "0",
                            "-o", copy, NULL), ==, EXIT_OK);
  kept = dup_field (out, "Backup:  ");
  sha256 = dup_file_sha256 (kept);
  copy_sha256 = dup_file_sha256 (copy);
  g_assert_cmpstr (copy_sha256, ==, sha256);
  g_assert_cmpuint (rf_test_count_files (folder), ==, 1);
  rf_test_assert_has (out, copy);
}

/* A file (or a link, even a dangling one) where the copy should go is never
 * replaced: refused before the drive is sent anything. */
static void
test_output_exists (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *file = g_build_filename (fixture->dir, "mine.bin", NULL);
  g_autofree char *link = g_build_filename (fixture->dir, "link.bin", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *target = NULL;
  const char *targets[] = { file, link };

  g_assert_true (g_file_set_contents (file, "keep me", -1, NULL));
  g_assert_cmpint (symlink ("/nonexistent/reflash-test", link), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (targets); i++)
    {
      g_autofree char *err = NULL;

      g_assert_cmpint (run_cli (fixture, NULL, &err, "backup", HEALTHY, "--practice-speed", "0",
                                "-o", targets[i], NULL), ==, EXIT_USAGE);
      rf_test_assert_has (err, "exists already");
      rf_test_assert_has (err, "Nothing was overwritten");
    }
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "keep me");
  target = g_file_read_link (link, NULL);
  g_assert_cmpstr (target, ==, "/nonexistent/reflash-test");
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

static void
test_output_no_folder (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *copy = g_build_filename (fixture->dir, "missing", "copy.bin", NULL);
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, &err, "backup", HEALTHY, "-o", copy, NULL), ==,
                   EXIT_NOT_FOUND);
  rf_test_assert_has (err, "does not exist");
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

/* Wrong arguments: exit 2 before anything runs. --practice-speed is refused
 * for a drive that is not a practice drive rather than ignored. */
static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const char *speeds[] = { "-1", "abc", "", "nan", "inf", "1e999", "2x", "-0.5" };
  g_autofree char *err = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autofree char *said = NULL;

      g_assert_cmpint (run_cli (fixture, NULL, &said, "backup", HEALTHY, "--practice-speed",
                                speeds[i], NULL), ==, EXIT_USAGE);
      rf_test_assert_has (said, "--practice-speed");
    }
  g_assert_cmpint (run_cli (fixture, NULL, &err, "backup", "/dev/sg0", "--practice-speed", "0",
                            NULL), ==, EXIT_USAGE);
  rf_test_assert_has (err, "only to practice drives");
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "backup", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "backup", HEALTHY, "practice:seed", NULL), ==,
                   EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "backup", "--no-such-option", HEALTHY, NULL),
                   ==, EXIT_USAGE);
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "backup", "practice:no-such-drive", "--json",
                            NULL), ==, EXIT_NOT_FOUND);
  events = rf_test_parse_events (out);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (rf_test_event_name (events, 0), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (g_ptr_array_index (events, 0), "code"), ==,
                   "not-found");
}

/* SIGINT in the middle of reading the firmware (about 20 s at real speed):
 * the job stops at the next command, says so, keeps nothing. */
static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  const char *args[] = { "backup", HEALTHY, "--practice-speed", "1", NULL };
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args);
  g_autoptr(GDataInputStream) out = lines_of (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GDataInputStream) err = lines_of (g_subprocess_get_stderr_pipe (process));
  g_autoptr(GString) out_text = g_string_new (NULL);
  g_autoptr(GString) err_text = g_string_new (NULL);

  g_assert_true (rf_test_read_lines_until (out, out_text, "Backing up the firmware"));
  g_subprocess_send_signal (process, SIGINT);
  rf_test_read_lines_until (out, out_text, NULL);
  rf_test_read_lines_until (err, err_text, NULL);
  g_assert_cmpint (rf_test_wait_exit (process), ==, EXIT_CANCELLED);
  rf_test_assert_has (err_text->str, CANCELLED);
  g_assert_null (strstr (out_text->str, "Backup:"));
  g_assert_cmpuint (rf_test_count_files (fixture->store), ==, 0);
}

/* Signals while the deep look has the drive in safe mode (from SAFE MODE
 * enter to its verified return; the leave alone takes 2 s at real speed): the
 * process says it must bring the drive back first, survives every signal,
 * brings it back, and only then ends as cancelled. */
static void
test_cancel_in_safe_mode (Fixture       *fixture,
                          gconstpointer  data)
{
  const char *args[] = { "backup", HEALTHY, "--json", "--practice-speed", "1", NULL };
  const int signals[] = { SIGINT, SIGINT, SIGTERM, SIGHUP };
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GDataInputStream) err = NULL;
  g_autoptr(GString) out_text = g_string_new (NULL);
  g_autoptr(GString) err_text = g_string_new (NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *info = NULL;
  GHashTable *last;

  trace_commands (fixture);
  process = spawn_cli (fixture, args);
  out = lines_of (g_subprocess_get_stdout_pipe (process));
  err = lines_of (g_subprocess_get_stderr_pipe (process));
  /* The command trace: the drive took the key (SAFE MODE enter, NEC opcode
   * CC 01 01, good status), so it is in safe mode now, inside the stretch
   * that must finish. Keys the drive refuses come first, in stretches of
   * their own too short to aim at. */
  g_assert_true (rf_test_read_lines_until (err, err_text, "must finish:"));
  g_assert_true (rf_test_read_lines_until_both (err, err_text, "[CC 01 01 ", "status 0x00"));
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_subprocess_send_signal (process, signals[i]);
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  rf_test_read_lines_until (err, err_text, NULL);
  rf_test_read_lines_until (out, out_text, NULL);
  g_assert_cmpint (rf_test_wait_exit (process), ==, EXIT_CANCELLED);
  rf_test_assert_has (err_text->str, MUST_FINISH);
  events = rf_test_parse_events (out_text->str);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (last, "code"), ==, "cancelled");
  rf_test_assert_has (rf_test_json_get_string (last, "message"), CANCELLED);
  g_assert_cmpuint (rf_test_count_files (fixture->store), ==, 0);
  /* The drive is back in normal mode, as it was found. */
  g_assert_cmpint (run_cli (fixture, &info, NULL, "info", HEALTHY, "--json", NULL), ==, EXIT_OK);
  rf_test_assert_has (info, "\"safe_mode\": false");
  rf_test_assert_has (info, "\"state\": \"ready\"");
}

/* The codes these tests expect are the ones the manual and --help give. */
static void
test_exit_codes_documented (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *help = NULL;
  const RfTestExitWords rows[] = {
    { EXIT_OK, "Success" },
    { EXIT_FAILURE_, "the backup was tried and failed" },
    { EXIT_USAGE, "Wrong arguments" },
    { EXIT_USAGE, "is given for a drive" },
    { EXIT_NOT_FOUND, "not found" },
    { EXIT_REFUSED, "the drive is in safe mode" },
    { EXIT_REFUSED, "offers no way to read the firmware back" },
    { EXIT_CANCELLED, "Cancelled by SIGINT" },
  };

  rf_test_assert_exit_words (rows, G_N_ELEMENTS (rows));
  g_assert_cmpint (run_cli (fixture, &help, NULL, "--help", NULL), ==, EXIT_OK);
  rf_test_assert_has (help, "  6  cancelled");
  rf_test_assert_has (help, "  4  refused");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add_func ("/reflash/cli-backup/json-reader", test_json_reader);
#define ADD(path, func) \
  g_test_add ("/reflash/cli-backup/" path, Fixture, NULL, \
              rf_test_cli_job_fixture_set_up, func, rf_test_cli_job_fixture_tear_down)
  ADD ("healthy", test_healthy);
  ADD ("json", test_json);
  ADD ("safe-mode", test_safe_mode);
  ADD ("cannot-back-up", test_cannot_back_up);
  ADD ("lines", test_lines);
  ADD ("terminal", test_terminal);
  ADD ("output", test_output);
  ADD ("output-exists", test_output_exists);
  ADD ("output-no-folder", test_output_no_folder);
  ADD ("usage", test_usage);
  ADD ("not-found", test_not_found);
  ADD ("cancel", test_cancel);
  ADD ("cancel-in-safe-mode", test_cancel_in_safe_mode);
  ADD ("exit-codes-documented", test_exit_codes_documented);
#undef ADD
  return g_test_run ();
}
