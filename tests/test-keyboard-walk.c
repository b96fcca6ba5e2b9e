/* test-keyboard-walk.c: the seed's whole recovery by keyboard alone, with
 * real key presses (xdotool) on the real program under the ui suite's Xvfb
 *
 *   test-keyboard-walk --tap REFLASH REFLASH-CLI
 *
 * Each key press waits for what a person would wait for: the page the
 * wizard shows and whether it is ready, read from the window's "page …"
 * debug lines (G_MESSAGES_DEBUG=rf-app). The keys are the ones a person
 * would use: Alt+→ for Next, and the mnemonics the pages show (Alt+F for the
 * fitting practice file, Alt+T and Alt+N for the boxes, Alt+R for Recover
 * Drive, Alt+D for Done). Afterwards `reflash-cli info` must show the drive
 * working with the new firmware.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <string.h>

#include "rf-test-util.h"

static const char *app_path;
static const char *cli_path;

typedef struct {
  char *dir;
  char **env;
  GSubprocess *app;
  GDataInputStream *log;
} Walk;

/* Its own folders; practice drives at speed 20 through a settings keyfile,
 * since the memory backend cannot be set from outside. */
static void
walk_set_up (Walk *walk)
{
  g_autoptr(GError) error = NULL;
  const char *const folders[] = { "XDG_STATE_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME",
                                  "XDG_CONFIG_HOME", "XDG_RUNTIME_DIR" };
  g_autofree char *settings = NULL;
  g_autofree char *keyfile = NULL;

  walk->dir = g_dir_make_tmp ("reflash-keyboard-XXXXXX", &error);
  g_assert_no_error (error);
  walk->env = g_get_environ ();
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (walk->dir, folders[i], NULL);

      g_assert_cmpint (g_mkdir_with_parents (path, 0700), ==, 0);
      walk->env = g_environ_setenv (walk->env, folders[i], path, TRUE);
    }
  settings = g_build_filename (walk->dir, "XDG_CONFIG_HOME", "glib-2.0", "settings", NULL);
  g_assert_cmpint (g_mkdir_with_parents (settings, 0700), ==, 0);
  keyfile = g_build_filename (settings, "keyfile", NULL);
  g_file_set_contents (keyfile, "[io/github/reflash/Reflash]\npractice-speed=20.0\n", -1, &error);
  g_assert_no_error (error);
  walk->env = g_environ_setenv (walk->env, "GSETTINGS_BACKEND", "keyfile", TRUE);
  walk->env = g_environ_setenv (walk->env, "G_MESSAGES_DEBUG", "rf-app", TRUE);
  /* The window's own checks, not the test's fatal warnings: a notification
   * service or accessibility bus that is missing is only a message. */
  walk->env = g_environ_unsetenv (walk->env, "G_DEBUG");
}

static void
walk_tear_down (Walk *walk)
{
  if (walk->app != NULL)
    g_subprocess_force_exit (walk->app);
  g_clear_object (&walk->app);
  g_clear_object (&walk->log);
  g_strfreev (walk->env);
  rf_test_remove_tree (walk->dir);
  g_free (walk->dir);
}

static void
start_app (Walk *walk)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_environ (launcher, walk->env);
  walk->app = g_subprocess_launcher_spawn (launcher, &error, app_path, "--practice", "seed", NULL);
  g_assert_no_error (error);
  /* GLib writes debug messages to standard output. */
  walk->log = g_data_input_stream_new (g_subprocess_get_stdout_pipe (walk->app));
}

typedef struct {
  char *line;
  gboolean done;
} Reading;

static void
on_line_read (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Reading *reading = user_data;
  g_autoptr(GError) error = NULL;

  reading->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                             NULL, &error);
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_assert_no_error (error);
  reading->done = TRUE;
}

/* Reads the program's log until a line holds @words; fails after @seconds
 * (a key that did nothing leaves the wizard where it was). */
static gboolean
wait_for_line (Walk       *walk,
               const char *words,
               guint       seconds)
{
  gint64 give_up = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  for (;;)
    {
      Reading reading = { NULL, FALSE };
      g_autofree char *line = NULL;

      g_data_input_stream_read_line_async (walk->log, G_PRIORITY_DEFAULT, cancellable,
                                           on_line_read, &reading);
      while (!reading.done && g_get_monotonic_time () < give_up)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
      if (!reading.done)
        {
          g_cancellable_cancel (cancellable);
          while (!reading.done)
            g_main_context_iteration (NULL, TRUE);
          g_test_message ("no \"%s\" within %u s", words, seconds);
          return FALSE;
        }
      line = reading.line;
      if (line == NULL)
        {
          g_test_message ("Reflash ended before \"%s\"", words);
          return FALSE;
        }
      g_test_message ("reflash: %s", line);
      if (strstr (line, words) != NULL)
        return TRUE;
    }
}

static void
press (Walk       *walk,
       const char *keys)
{
  g_autoptr(GError) error = NULL;
  const char *argv[] = { "xdotool", "key", keys, NULL };
  int status = 0;

  /* A page's mnemonics work once it is drawn: give it a moment, as a person
   * reading it would take one. */
  g_usleep (G_USEC_PER_SEC / 2);
  g_test_message ("key %s", keys);
  /* Without --clearmodifiers: after Alt+→ it would press Alt again. */
  g_spawn_sync (NULL, (char **) argv, walk->env, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Keys go to the window with the keyboard focus: give it to Reflash's. */
static void
focus_window (Walk *walk)
{
  const char *argv[] = { "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Reflash$",
                         "windowfocus", "--sync", NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, walk->env, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Presses @keys (if any), then waits for a line with @words (if any). */
static gboolean
step (Walk       *walk,
      const char *keys,
      const char *words,
      guint       seconds)
{
  if (keys != NULL)
    press (walk, keys);
  return words == NULL || wait_for_line (walk, words, seconds);
}

/* `reflash-cli info --json practice:seed`, as the same user. */
static char *
info_of_the_seed (Walk *walk)
{
  const char *argv[] = { cli_path, "info", "--json", "practice:seed", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, walk->env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_seed_recovered_by_keyboard (void)
{
  Walk walk = { 0 };
  g_autofree char *info = NULL;
  g_autofree char *xdotool = g_find_program_in_path ("xdotool");
  g_autoptr(GError) error = NULL;
  gboolean recovering = FALSE;

  if (xdotool == NULL || g_getenv ("DISPLAY") == NULL)
    {
      g_test_skip ("needs xdotool and an X display (build-aux/setup-deps, xvfb-run)");
      return;
    }
  walk_set_up (&walk);
  start_app (&walk);
  if (!step (&walk, NULL, "page Welcome, complete", 60))
    goto out;
  focus_window (&walk);
  if (!step (&walk, "alt+Right", "page Choose a Drive, complete", 30) ||
      !step (&walk, "alt+Right", "page Diagnosis, complete", 60) ||
      !step (&walk, "alt+Right", "page Firmware, not complete", 30) ||
      !step (&walk, "alt+f", "page Firmware, complete", 60) ||
      !step (&walk, "alt+Right", "page Before Writing, not complete", 30))
    goto out;
  press (&walk, "alt+t");
  press (&walk, "alt+n");
  /* Recover Drive turns sensitive once the page's own checks and both boxes
   * agree: a press before that does nothing, so press again. */
  for (guint i = 0; i < 10 && !recovering; i++)
    recovering = step (&walk, "alt+r", "page Writing", 3);
  if (!recovering || !step (&walk, NULL, "page Result", 300) ||
      !step (&walk, "alt+d", NULL, 0))
    goto out;
  g_assert_true (g_subprocess_wait (walk.app, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (walk.app));
  g_assert_cmpint (g_subprocess_get_exit_status (walk.app), ==, 0);
  g_clear_object (&walk.app);

  info = info_of_the_seed (&walk);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
  rf_test_assert_has (info, "\"safe_mode\": false");
out:
  if (walk.app != NULL)
    g_test_fail_printf ("the walk stopped; see the lines above");
  walk_tear_down (&walk);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 3);
  app_path = argv[1];
  cli_path = argv[2];

  g_test_add_func ("/reflash/keyboard-walk/seed-recovered", test_seed_recovered_by_keyboard);
  return g_test_run ();
}
