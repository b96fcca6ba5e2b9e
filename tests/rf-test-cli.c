/* rf-test-cli.c: running reflash-cli as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "rf-test-cli.h"
#include "rf-test-json.h"
#include "rf-test-util.h"

/**
 * rf_test_cli_job_fixture_set_up:
 *
 * For g_test_add(): a folder of its own, no debug messages.
 */
void
rf_test_cli_job_fixture_set_up (RfTestCliJobFixture *fixture,
                                gconstpointer        data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-cli-job-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->store = g_build_filename (fixture->dir, "reflash", "backups", NULL);
  fixture->env = rf_test_cli_environ (fixture->dir);
  fixture->env = g_environ_setenv (fixture->env, "XDG_RUNTIME_DIR", fixture->dir, TRUE);
  fixture->env = g_environ_unsetenv (fixture->env, "G_MESSAGES_DEBUG");
}

/* As rf_test_cli_job_fixture_set_up(), on mains (no battery at all),
 * whatever the computer running the tests is on: for flashes. */
void
rf_test_cli_job_fixture_set_up_on_mains (RfTestCliJobFixture *fixture,
                                         gconstpointer        data)
{
  g_autofree char *power = NULL;

  rf_test_cli_job_fixture_set_up (fixture, data);
  power = g_build_filename (fixture->dir, "power", NULL);
  g_assert_cmpint (g_mkdir (power, 0700), ==, 0);
  fixture->env = g_environ_setenv (fixture->env, "REFLASH_POWER_SUPPLY_DIR", power, TRUE);
}

/* `practice firmware DRIVE -o NAME [EXTRA]` in the fixture's folder.
 *
 * Returns: (transfer full): the image's path */
char *
rf_test_cli_job_practice_image (RfTestCliJobFixture *fixture,
                                const char          *cli,
                                const char          *drive,
                                const char          *name,
                                const char          *extra)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  g_assert_cmpint (rf_test_cli_job_run (fixture, cli, NULL, NULL, "practice", "firmware", drive,
                                        "-o", path, extra, NULL), ==, 0);
  return g_steal_pointer (&path);
}

void
rf_test_cli_job_fixture_tear_down (RfTestCliJobFixture *fixture,
                                   gconstpointer        data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->store);
  g_strfreev (fixture->env);
}

/**
 * rf_test_cli_job_run:
 *
 * rf_test_cli_run() in @fixture's environment.
 */
int
rf_test_cli_job_run (RfTestCliJobFixture  *fixture,
                     const char           *cli,
                     char                **out,
                     char                **err,
                     const char           *first,
                     ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = rf_test_cli_run (cli, fixture->env, out, err, first, args);
  va_end (args);
  return status;
}

/**
 * rf_test_cli_run:
 * @args: the rest of the arguments after @first, %NULL-terminated
 *
 * Runs reflash-cli to its end, with no terminal on its standard input. Its
 * output is always captured: the test's own stdout is the TAP stream.
 *
 * Returns: its exit status
 */
int
rf_test_cli_run (const char  *cli,
                 char       **env,
                 char       **out,
                 char       **err,
                 const char  *first,
                 va_list      args)
{
  g_autoptr(GPtrArray) argv = rf_test_argv_valist (cli, first, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                &stdout_text, &stderr_text, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return WEXITSTATUS (status);
}

/**
 * rf_test_cli_spawn:
 *
 * Returns: (transfer full): reflash-cli started with @args, its stdin, stdout
 *   and stderr piped to the test
 */
GSubprocess *
rf_test_cli_spawn (const char          *cli,
                   char               **env,
                   const char * const  *args)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_environ (launcher, env);
  g_ptr_array_add (argv, (gpointer) cli);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

/**
 * rf_test_read_lines_until_both:
 *
 * Reads lines of @stream into @text until one holds @until and @also
 * (%NULL: anything).
 *
 * Returns: %TRUE when such a line came, %FALSE when the stream ended first
 */
gboolean
rf_test_read_lines_until_both (GDataInputStream *stream,
                               GString          *text,
                               const char       *until,
                               const char       *also)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *line = g_data_input_stream_read_line_utf8 (stream, NULL, NULL, &error);

      g_assert_no_error (error);
      if (line == NULL)
        return FALSE;
      g_string_append_printf (text, "%s\n", line);
      if (until != NULL && strstr (line, until) != NULL &&
          (also == NULL || strstr (line, also) != NULL))
        return TRUE;
    }
}

/* As above, for one string; with @until %NULL, to the end. */
gboolean
rf_test_read_lines_until (GDataInputStream *stream,
                          GString          *text,
                          const char       *until)
{
  return rf_test_read_lines_until_both (stream, text, until, NULL);
}

/* The exit status of a process that ended by itself: no signal killed it. */
int
rf_test_wait_exit (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  return g_subprocess_get_exit_status (process);
}

/**
 * rf_test_parse_events:
 *
 * Returns: (transfer full): each line of @out parsed as one JSON object with
 *   a key "event"; all of them must parse
 */
GPtrArray *
rf_test_parse_events (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out, "\n", -1);
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) g_hash_table_unref);

  for (gsize i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      GHashTable *event;

      if (lines[i][0] == '\0' && lines[i + 1] == NULL)
        break;
      event = rf_test_json_parse_flat (lines[i], &error);
      if (event == NULL)
        g_error ("line %" G_GSIZE_FORMAT " is no JSON object (%s):\n%s", i + 1, error->message,
                 lines[i]);
      g_assert_nonnull (rf_test_json_get_string (event, "event"));
      g_ptr_array_add (events, event);
    }
  return events;
}

const char *
rf_test_event_name (GPtrArray *events,
                    guint      i)
{
  return rf_test_json_get_string (g_ptr_array_index (events, i), "event");
}

/**
 * rf_test_dup_man_exit_status:
 *
 * Returns: (transfer full): the text of exit status @code in reflash-cli(1)
 */
char *
rf_test_dup_man_exit_status (const char *man,
                             int         code)
{
  g_autofree char *label = g_strdup_printf ("\n.B %d\n", code);
  const char *section = strstr (man, ".SH EXIT STATUS");
  const char *start;
  const char *end;

  g_assert_nonnull (section);
  start = strstr (section, label);
  g_assert_nonnull (start);
  start += strlen (label);
  end = strstr (start, "\n.TP");
  if (end == NULL || (strstr (start, "\n.SH") != NULL && strstr (start, "\n.SH") < end))
    end = strstr (start, "\n.SH");
  g_assert_nonnull (end);
  return g_strndup (start, (gsize) (end - start));
}

/**
 * rf_test_assert_exit_words:
 *
 * The codes a test expects are the ones the manual gives: each row's words
 * stand in the text of its exit status.
 */
void
rf_test_assert_exit_words (const RfTestExitWords *rows,
                           gsize                  n_rows)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "reflash-cli.1",
                                                 NULL);
  g_autofree char *man = NULL;

  g_assert_true (g_file_get_contents (path, &man, NULL, NULL));
  for (gsize i = 0; i < n_rows; i++)
    {
      g_autofree char *text = rf_test_dup_man_exit_status (man, rows[i].code);

      rf_test_assert_has (text, rows[i].words);
    }
}
