/* test-cli-drives.c: `reflash-cli list` and `reflash-cli info`, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/wait.h>

static const char *cli_path;

/* Runs reflash-cli with @args (NULL-terminated); returns its exit status. */
static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = g_dir_make_tmp ("reflash-cli-run-XXXXXX", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_RUNTIME_DIR", runtime, TRUE);
  int status = -1;
  va_list args;

  /* Callers reuse @out and @err between runs. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, (gpointer) cli_path);
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL,
                               out, err, &status, &error));
  g_assert_no_error (error);
  g_rmdir (runtime);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static void
test_list_json (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "list", "--json", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "{"));
  g_assert_nonnull (strstr (out, "\"drives\": ["));
  g_assert_true (g_str_has_suffix (g_strstrip (out), "}"));
}

static void
test_list_text (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "list", NULL), ==, 0);
  g_assert_true (strstr (out, "No optical drives found.") != NULL ||
                 strstr (out, "DRIVE") != NULL);
  g_assert_cmpint (run_cli (&out, &err, "list", "extra", NULL), ==, 2);
}

static void
test_info_not_a_drive (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  /* A character device that is no SCSI node: a clear failure, exit 1. */
  g_assert_cmpint (run_cli (&out, &err, "info", "/dev/null", NULL), ==, 1);
  g_assert_nonnull (strstr (err, "/dev/null"));
  g_assert_cmpstr (out, ==, "");
}

static void
test_info_missing (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "info", "/dev/reflash-no-such-sg", "--json", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "could not be found"));
  g_assert_cmpint (run_cli (&out, &err, "info", "practice:no-such-drive", NULL), ==, 3);
}

static void
test_info_usage (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "info", NULL), ==, 2);
  g_assert_cmpint (run_cli (&out, &err, "info", "/dev/sg0", "/dev/sg1", NULL), ==, 2);
}

static void
test_help_lists_exit_codes (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "--help", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "list"));
  g_assert_nonnull (strstr (out, "info"));
  g_assert_nonnull (strstr (out, "Exit status:"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  g_test_add_func ("/reflash/cli-drives/list-json", test_list_json);
  g_test_add_func ("/reflash/cli-drives/list-text", test_list_text);
  g_test_add_func ("/reflash/cli-drives/info-not-a-drive", test_info_not_a_drive);
  g_test_add_func ("/reflash/cli-drives/info-missing", test_info_missing);
  g_test_add_func ("/reflash/cli-drives/info-usage", test_info_usage);
  g_test_add_func ("/reflash/cli-drives/help-lists-exit-codes", test_help_lists_exit_codes);
  return g_test_run ();
}
