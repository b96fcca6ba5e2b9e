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
 * On the way it listens as a screen reader does: the program runs with
 * GTK's AT-SPI backend on the session's accessibility bus, and the test
 * hears every change of focus (libatspi, what Orca uses). On each page it
 * goes round all controls with Tab and asserts what a screen reader says at
 * each stop, in order: where the focus lands when the page opens, then every
 * control's role, name and (where it matters) description. Every name must
 * be words a person hears: not empty, not a widget's type ("GtkExpander"),
 * no mnemonic underscore, not said twice.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <atspi/atspi.h>
#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "rf-test-util.h"

static const char *app_path;
static const char *cli_path;

typedef struct {
  char *dir;
  char **env;
  GSubprocess *app;
  GDataInputStream *log;
  AtspiEventListener *listener;
  GPtrArray *heard;   /* "role: name" of each focus change, in order */
  GHashTable *described;  /* "role: name" → the description heard last */
  GString *unsaid;    /* stops whose name a person would not understand */
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
  /* The suite turns accessibility off; a screen reader's view needs it. */
  walk->env = g_environ_unsetenv (walk->env, "GTK_A11Y");
  walk->env = g_environ_unsetenv (walk->env, "NO_AT_BRIDGE");
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
  if (walk->listener != NULL)
    atspi_event_listener_deregister (walk->listener, "object:state-changed:focused", NULL);
  g_clear_object (&walk->listener);
  g_clear_pointer (&walk->heard, g_ptr_array_unref);
  g_clear_pointer (&walk->described, g_hash_table_unref);
  if (walk->unsaid != NULL)
    g_string_free (walk->unsaid, TRUE);
  g_strfreev (walk->env);
  rf_test_remove_tree (walk->dir);
  g_free (walk->dir);
}

/* The program ends with the test, even when an assertion ends the test. */
static void
die_with_the_test (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_app (Walk *walk)
{
  /* Both streams to the test: a program left over from a failed walk must
   * not hold the test runner's. */
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GError) error = NULL;

  g_subprocess_launcher_set_environ (launcher, walk->env);
  g_subprocess_launcher_set_child_setup (launcher, die_with_the_test, NULL, NULL);
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

/* What a person cannot understand when a screen reader says it. */
static const char *
name_problem (const char *name)
{
  gsize half = strlen (name) / 2;

  if (*name == '\0')
    return "no name";
  if (g_regex_match_simple ("^(Gtk|Adw|Rf)[A-Z]", name, 0, 0))
    return "a widget's type for a name";
  if (g_regex_match_simple ("(^|\\s)_\\w", name, 0, 0))
    return "a mnemonic underscore";
  if (strlen (name) % 2 == 1 && name[half] == ' ' && strncmp (name, name + half + 1, half) == 0)
    return "said twice";
  return NULL;
}

static void
on_focus_event (AtspiEvent *event,
                void       *user_data)
{
  Walk *walk = user_data;
  AtspiAccessible *app;
  g_autofree char *app_name = NULL;
  g_autofree char *role = NULL;
  g_autofree char *name = NULL;
  g_autofree char *description = NULL;
  const char *problem;

  if (event->detail1 != 1 || event->source == NULL)
    return;
  app = atspi_accessible_get_application (event->source, NULL);
  app_name = app != NULL ? atspi_accessible_get_name (app, NULL) : NULL;
  g_clear_object (&app);
  if (g_strcmp0 (app_name, "reflash") != 0)
    return;
  role = atspi_accessible_get_role_name (event->source, NULL);
  name = atspi_accessible_get_name (event->source, NULL);
  description = atspi_accessible_get_description (event->source, NULL);
  g_test_message ("screen reader: %s: %s%s%s", role, name, description != NULL && *description
                  ? " — " : "", description != NULL ? description : "");
  problem = name_problem (name != NULL ? name : "");
  if (problem != NULL)
    g_string_append_printf (walk->unsaid, "\n  %s \"%s\": %s", role, name, problem);
  g_ptr_array_add (walk->heard, g_strdup_printf ("%s: %s", role, name));
  g_hash_table_insert (walk->described, g_strdup_printf ("%s: %s", role, name),
                       g_strdup (description != NULL ? description : ""));
}

/* Listens on the accessibility bus as Orca does; FALSE without one. */
static gboolean
listen_as_screen_reader (Walk *walk)
{
  g_autoptr(GError) error = NULL;

  if (atspi_init () > 1)
    return FALSE;
  walk->heard = g_ptr_array_new_with_free_func (g_free);
  walk->described = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  walk->unsaid = g_string_new (NULL);
  walk->listener = atspi_event_listener_new (on_focus_event, walk, NULL);
  if (!atspi_event_listener_register (walk->listener, "object:state-changed:focused", &error))
    {
      g_test_message ("no accessibility bus: %s", error->message);
      return FALSE;
    }
  return TRUE;
}

/* Waits until the screen reader has heard @count focus changes. */
static gboolean
wait_to_hear (Walk *walk,
              guint count)
{
  gint64 give_up = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (walk->heard->len < count && g_get_monotonic_time () < give_up)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (10000);
  return walk->heard->len >= count;
}

/* Runs xdotool with @args (NULL-terminated), which must succeed. Without
 * --clearmodifiers: after Alt+→ it would press Alt again. */
static void
run_xdotool (Walk        *walk,
             const char **args)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) argv = NULL;
  int status = 0;

  g_strv_builder_add (builder, "xdotool");
  g_strv_builder_addv (builder, args);
  argv = g_strv_builder_end (builder);
  g_spawn_sync (NULL, argv, walk->env, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

static void
press (Walk       *walk,
       const char *keys)
{
  const char *args[] = { "key", keys, NULL };

  /* A page's mnemonics work once it is drawn: give it a moment, as a person
   * reading it would take one. */
  g_usleep (G_USEC_PER_SEC / 2);
  g_test_message ("key %s", keys);
  run_xdotool (walk, args);
}

/* Keys go to the window with the keyboard focus: give it to Reflash's. */
static void
focus_window (Walk *walk)
{
  const char *args[] = { "search", "--sync", "--onlyvisible", "--name", "^Reflash$",
                         "windowfocus", "--sync", NULL };

  run_xdotool (walk, args);
}

/* Tab once, and wait for the screen reader to hear where the focus went. */
static gboolean
press_tab (Walk *walk)
{
  const char *args[] = { "key", "Tab", NULL };
  guint before = walk->heard->len;

  run_xdotool (walk, args);
  return wait_to_hear (walk, before + 1);
}

/* Once round the page with Tab, from where the focus is to there again:
 * what a screen reader says at each stop, one per line, starting with the
 * stop the focus was on. */
static char *
tour (Walk *walk)
{
  g_autoptr(GString) said = g_string_new (NULL);
  const char *start;
  guint first;

  /* The page's own focus changes settle first. */
  g_usleep (G_USEC_PER_SEC / 2);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (walk->heard->len == 0)
    return g_strdup ("(nothing heard)");
  first = walk->heard->len - 1;
  start = g_ptr_array_index (walk->heard, first);
  for (guint i = 0; i < 40; i++)
    if (!press_tab (walk) ||
        g_strcmp0 (g_ptr_array_index (walk->heard, walk->heard->len - 1), start) == 0)
      break;
  for (guint i = first; i < walk->heard->len; i++)
    g_string_append_printf (said, "%s\n", (char *) g_ptr_array_index (walk->heard, i));
  return g_strdup (said->str);
}

/* The stops of a page, in order, as a screen reader says them; a failure
 * ends the walk (and the program) rather than the test at once. */
static gboolean
tour_is (Walk             *walk,
         const char *const stops[])
{
  g_autofree char *heard = tour (walk);
  g_autofree char *expected = g_strjoinv ("\n", (char **) stops);
  g_autofree char *expected_lines = g_strconcat (expected, "\n", NULL);

  if (g_strcmp0 (heard, expected_lines) == 0)
    return TRUE;
  g_test_fail_printf ("a screen reader heard\n%s\ninstead of\n%s", heard, expected_lines);
  return FALSE;
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

/* What a screen reader says at each stop of each page of the seed's walk,
 * starting where the focus lands when the page opens. */
static const char *const welcome_stops[] = {
  "push button: Next",          /* the window opens on the way forward */
  "push button: Main Menu",
  "list item: The drive",
  "list item: A firmware file",
  "list item: Mains power",
  "list item: Practice drives",
  "push button: Next",
  NULL
};

/* Opened while the drive is checked; the focus goes to the answer. */
static const char *const diagnosis_stops[] = {
  "push button: Check Again",
  "label: Model: ND-3550A",
  "label: Firmware version: None running (safe mode)",
  "label: Bootcode version: 05",
  "label: Stored identity: ND-4551A",
  "label: Connection: Practice drive (simulated)",
  "label: The drive's light: Blinking",
  "push button: Technical Details",
  "push button: Put One In",
  "push button: Switch Off and On",
  "push button: Reset",
  "push button: Save Report…",
  "push button: Back",
  "push button: Next",
  "push button: Main Menu",
  "push button: Check Again",
  NULL
};

static const char *const firmware_stops[] = {
  "push button: Choose File…",
  "push button: Fitting",
  "push button: Other Model",
  "label: Made for: ND-3550A",
  "label: Firmware version: 1.06",
  "label: Bootcode version: 05",
  "label: Checksum: Intact",
  "push button: Technical Details",
  "push button: Back",
  "push button: Next",
  "push button: Main Menu",
  "push button: Choose File…",
  NULL
};

/* Recover Drive is not a stop until both boxes are ticked. */
static const char *const before_writing_stops[] = {
  "list item: Drive",
  "list item: Now",
  "list item: New firmware",
  "list item: Backup",
  "list item: No other program uses the drive",
  "list item: The computer is on mains power",
  "check box: The tray is empty",
  "check box: I accept that this kind of drive was never tested",
  "push button: Back",
  "push button: Main Menu",
  "list item: Drive",
  NULL
};

static const char *const result_stops[] = {
  "push button: Done",
  "push button: Save Report…",
  "push button: Main Menu",
  "push button: Done",
  NULL
};

/* What a screen reader said after the name of @stop: its description. */
static void
assert_described (Walk       *walk,
                  const char *stop,
                  const char *words)
{
  const char *description = g_hash_table_lookup (walk->described, stop);

  g_assert_nonnull (description);
  rf_test_assert_has (description, words);
}

/* How many practice drives the data folder has. */
static guint
count_practice_drives (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("REFLASH_DATA_DIR"), "practice", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    count += g_str_has_suffix (name, ".conf");
  return count;
}

/* The drive list: the chosen drive first, then the other drives and the
 * header's buttons; every practice drive is a stop of its own. */
static gboolean
drives_tour_is_right (Walk *walk)
{
  g_autofree char *heard = tour (walk);
  g_auto(GStrv) stops = g_strsplit (heard, "\n", -1);
  guint drives = 0;

  for (guint i = 0; stops[i] != NULL; i++)
    drives += g_str_has_prefix (stops[i], "list item: ");
  /* Each practice drive, and the first once more at the end of the round. */
  if (g_strcmp0 (stops[0], "list item: ND-3550A after a failed crossflash") == 0 &&
      drives == count_practice_drives () + 1 &&
      strstr (heard, "push button: Back\npush button: Next\npush button: Main Menu\n") != NULL)
    return TRUE;
  g_test_fail_printf ("a screen reader heard on the drive list\n%s", heard);
  return FALSE;
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
  if (!listen_as_screen_reader (&walk))
    {
      g_test_skip ("needs the accessibility bus (at-spi2-core, dbus-run-session)");
      walk_tear_down (&walk);
      return;
    }
  start_app (&walk);
  if (!step (&walk, NULL, "page Welcome, complete", 60))
    goto out;
  focus_window (&walk);
  if (!tour_is (&walk, welcome_stops) ||
      !step (&walk, "alt+Right", "page Choose a Drive, complete", 30) ||
      !drives_tour_is_right (&walk) ||
      !step (&walk, "alt+Right", "page Diagnosis, complete", 60) ||
      !tour_is (&walk, diagnosis_stops))
    goto out;
  assert_described (&walk, "push button: Put One In", "Disc: No disc inside");
  if (!step (&walk, "alt+Right", "page Firmware, not complete", 30) ||
      !step (&walk, "alt+f", "page Firmware, complete", 60))
    goto out;
  if (!tour_is (&walk, firmware_stops) ||
      !step (&walk, "alt+Right", "page Before Writing, not complete", 30) ||
      !tour_is (&walk, before_writing_stops))
    goto out;
  /* What the rows show below their titles, and what each box is for. */
  assert_described (&walk, "list item: Drive", "ND-3550A");
  assert_described (&walk, "list item: Now", "Safe mode");
  assert_described (&walk, "list item: No other program uses the drive", "Checked");
  assert_described (&walk, "check box: The tray is empty", "take out any disc");
  press (&walk, "alt+t");
  press (&walk, "alt+n");
  /* Recover Drive turns sensitive once the page's own checks and both boxes
   * agree: a press before that does nothing, so press again. */
  for (guint i = 0; i < 10 && !recovering; i++)
    recovering = step (&walk, "alt+r", "page Writing", 3);
  if (!recovering || !step (&walk, NULL, "page Result", 300))
    goto out;
  if (!tour_is (&walk, result_stops))
    goto out;
  if (walk.unsaid->len > 0)
    g_test_fail_printf ("a screen reader says these so no one understands them:%s",
                        walk.unsaid->str);
  if (!step (&walk, "alt+d", NULL, 0))
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
