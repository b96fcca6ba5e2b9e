/* test-cli-report.c: `reflash-cli report`, as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "rf-test-images.h"
#include "rf-test-json-tree.h"
#include "rf-test-util.h"

static const char *cli_path;

typedef struct {
  char *dir;
  char **env;
  char *report;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-cli-report-XXXXXX", &error);
  g_assert_no_error (error);
  /* Practice drives start fresh there, and their locks live there. */
  fixture->env = rf_test_cli_environ (fixture->dir);
  fixture->env = g_environ_setenv (fixture->env, "XDG_RUNTIME_DIR", fixture->dir, TRUE);
  fixture->report = g_build_filename (fixture->dir, "report.json", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_strfreev (fixture->env);
  g_free (fixture->report);
}

/* Runs reflash-cli with the NULL-terminated arguments; returns its exit status. */
static int
run_cli (Fixture     *fixture,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list args;

  va_start (args, first);
  argv = rf_test_argv_valist (cli_path, first, args);
  va_end (args);
  g_spawn_sync (NULL, (char **) argv->pdata, fixture->env,
                out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : G_SPAWN_DEFAULT, NULL, NULL, out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static void
assert_member (GVariant   *object,
               const char *key,
               const char *expected)
{
  g_autofree char *value = rf_test_json_tree_dup_string (object, key);

  g_assert_cmpstr (value, ==, expected);
}

/* The seed's report names its stored ID and its bootcode's, and holds the
 * deep look's commands; no temporary file is left beside it. */
static void
test_seed (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GVariant) document = NULL;
  g_autoptr(GVariant) drive = NULL;
  g_autoptr(GVariant) commands = NULL;
  g_autoptr(GVariant) errors = NULL;
  g_autoptr(GVariant) versions = NULL;
  g_autofree char *out = NULL;
  g_autofree char *version = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "report", "practice:seed", "-o", fixture->report, NULL),
                   ==, 0);
  rf_test_assert_has (out, fixture->report);
  document = rf_test_json_tree_parse_file (fixture->report);
  drive = rf_test_json_tree_member (document, "drive");
  assert_member (drive, "stored_id", "K451");
  assert_member (drive, "bootcode_key", "K355");
  assert_member (drive, "bootcode_version", "05");
  assert_member (drive, "state", "identity-mismatch");
  assert_member (drive, "probe_depth", "deep");
  versions = rf_test_json_tree_member (document, "versions");
  version = rf_test_json_tree_dup_string (versions, "reflash");
  g_assert_nonnull (version);
  commands = rf_test_json_tree_member (document, "commands");
  g_assert_cmpuint (g_variant_n_children (commands), >, 5);
  errors = rf_test_json_tree_member (document, "errors");
  g_assert_cmpuint (g_variant_n_children (errors), ==, 0);
  /* report.json and the practice drives' folder, nothing half-written. */
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 2);
}

/* An existing file is never replaced: refused as a wrong argument (exit 2,
 * as `backup -o` does) before the drive is looked at, and what it held stays. */
static void
test_existing_file (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *link = g_build_filename (fixture->dir, "link.json", NULL);
  g_autofree char *target = g_build_filename (fixture->dir, "target.json", NULL);

  g_file_set_contents (fixture->report, "mine\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:seed", "-o", fixture->report, NULL),
                   ==, 2);
  g_file_get_contents (fixture->report, &kept, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, "mine\n");
  /* A link to nowhere is a name taken too: nothing is written where it points. */
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:seed", "-o", link, NULL), ==, 2);
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  /* The file and the link only: no practice drive folder, as a look makes one. */
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 2);
}

/* A folder that is not there: not found (exit 3), before the drive is looked at. */
static void
test_missing_folder (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "no-such-folder", "report.json", NULL);

  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:seed", "-o", path, NULL), ==, 3);
  g_assert_cmpuint (rf_test_count_files (fixture->dir), ==, 0);
}

static void
test_unknown_drive (Fixture       *fixture,
                    gconstpointer  data)
{
  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:no-such-drive", "-o",
                            fixture->report, NULL), ==, 3);
  g_assert_false (g_file_test (fixture->report, G_FILE_TEST_EXISTS));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:seed", NULL), ==, 2);
  g_assert_cmpint (run_cli (fixture, NULL, "report", "-o", fixture->report, NULL), ==, 2);
  g_assert_false (g_file_test (fixture->report, G_FILE_TEST_EXISTS));
}

static void
test_stdout (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autoptr(GVariant) document = NULL;
  g_autoptr(GVariant) drive = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "report", "practice:seed", "-o", "-", NULL), ==, 0);
  document = rf_test_json_tree_parse (out, strlen (out), &error);
  g_assert_no_error (error);
  drive = rf_test_json_tree_member (document, "drive");
  assert_member (drive, "stored_id", "K451");
}

/* Alice's home folder and name, in the path of the image she gave, come out
 * as "~" and "<user>"; the verdict is there. */
static void
test_privacy (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *home = g_build_filename (fixture->dir, "alice", NULL);
  g_autofree char *downloads = g_build_filename (home, "Downloads", NULL);
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *lower = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (downloads, 0700), ==, 0);
  path = rf_test_write_file (downloads, "alice-nd3550.bin", image);
  fixture->env = g_environ_setenv (fixture->env, "HOME", home, TRUE);
  fixture->env = g_environ_setenv (fixture->env, "USER", "alice", TRUE);
  g_assert_cmpint (run_cli (fixture, NULL, "report", "practice:seed", "--image", path, "-o",
                            fixture->report, NULL), ==, 0);
  g_file_get_contents (fixture->report, &text, NULL, &error);
  g_assert_no_error (error);
  rf_test_assert_has (text, "\"file\": \"~/Downloads/<user>-nd3550.bin\"");
  rf_test_assert_has (text, "\"code\": \"recovery\"");
  lower = g_ascii_strdown (text, -1);
  if (strstr (lower, "alice") != NULL || strstr (text, fixture->dir) != NULL)
    g_error ("the report names the user or her home folder:\n%s", text);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];
  g_test_add ("/reflash/cli-report/seed", Fixture, NULL, fixture_set_up, test_seed,
              fixture_tear_down);
  g_test_add ("/reflash/cli-report/existing-file", Fixture, NULL, fixture_set_up,
              test_existing_file, fixture_tear_down);
  g_test_add ("/reflash/cli-report/missing-folder", Fixture, NULL, fixture_set_up,
              test_missing_folder, fixture_tear_down);
  g_test_add ("/reflash/cli-report/unknown-drive", Fixture, NULL, fixture_set_up,
              test_unknown_drive, fixture_tear_down);
  g_test_add ("/reflash/cli-report/usage", Fixture, NULL, fixture_set_up, test_usage,
              fixture_tear_down);
  g_test_add ("/reflash/cli-report/stdout", Fixture, NULL, fixture_set_up, test_stdout,
              fixture_tear_down);
  g_test_add ("/reflash/cli-report/privacy", Fixture, NULL, fixture_set_up, test_privacy,
              fixture_tear_down);
  return g_test_run ();
}
