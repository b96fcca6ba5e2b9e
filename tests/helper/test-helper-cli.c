/* test-helper-cli.c: reflash-cli on a terminal, with a drive only the
 * helper can reach (issue 24)
 *
 * The drive is a real sg node in /dev that only root may open; the CLI runs
 * as nobody on a pseudo-terminal of its own, in the foreground, as a person
 * at a terminal runs it. It asks for administrator rights, and its "pkexec"
 * is reflash-helper-sim, which serves the practice drive "seed" behind the
 * node. Needs root (for the node and for dropping to nobody); skipped
 * otherwise.
 *
 * Arguments: the paths of reflash-cli and reflash-helper-sim.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* execvpe() */

#include <errno.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rf-drive-lock.h"
#include "rf-test-cli.h"
#include "rf-test-util.h"

#define SG_MAJOR 21
#define MUST_FINISH "The flash must finish"
#define ASKING "This drive needs administrator rights"
/* Slow enough that a key pressed after the point of no return comes in the
 * middle of the erase and program, not after them. */
#define HELPER_SPEED "10"
/* Where nothing is timed by hand, the practice drive may be quick. */
#define KILL_SPEED "100"

static const char *cli_path;
static const char *helper_sim;

typedef struct {
  RfTestCliJobFixture cli;
  char *node;
} Fixture;

/* An sg node in /dev that is no drive's: root's alone, so nobody meets
 * "no-access" on it. NULL when this test may not make one. */
static char *
make_node (void)
{
  for (guint minor = 250; minor > 200; minor--)
    {
      g_autofree char *node = g_strdup_printf ("/dev/sg%u", minor);

      g_autofree char *sysfs = g_strdup_printf ("/sys/class/scsi_generic/sg%u", minor);

      /* A node with a drive behind it is the kernel's; one without is left
       * over from a run of this test that stopped half-way. */
      if (g_file_test (sysfs, G_FILE_TEST_EXISTS))
        continue;
      g_unlink (node);
      if (mknod (node, S_IFCHR | 0600, makedev (SG_MAJOR, minor)) != 0)
        return NULL;
      return g_steal_pointer (&node);
    }
  return NULL;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  rf_test_cli_job_fixture_set_up_on_mains (&fixture->cli, data);
  fixture->node = getuid () == 0 ? make_node () : NULL;
  /* nobody keeps its practice drives and locks here too. */
  g_assert_cmpint (g_chmod (fixture->cli.dir, 0777), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->node != NULL)
    g_unlink (fixture->node);
  g_free (fixture->node);
  rf_test_cli_job_fixture_tear_down (&fixture->cli, data);
}

/* The practice firmware for the seed, made by root in a folder of its own:
 * what root makes in the fixture's folder nobody could use afterwards. */
static char *
make_image (Fixture *fixture)
{
  RfTestCliJobFixture root_side;
  char *image = g_build_filename (fixture->cli.dir, "nd3550.bin", NULL);

  rf_test_cli_job_fixture_set_up (&root_side, NULL);
  g_assert_cmpint (rf_test_cli_job_run (&root_side, cli_path, NULL, NULL, "practice", "firmware",
                                        "practice:seed", "-o", image, NULL), ==, 0);
  g_assert_cmpint (g_chmod (image, 0644), ==, 0);
  rf_test_cli_job_fixture_tear_down (&root_side, NULL);
  return image;
}

/* Reads what the terminal shows into @screen until @until appears, the
 * program ends (FALSE) or a minute passes (FALSE). */
static gboolean
read_screen_until (int         master,
                   GString    *screen,
                   const char *until)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (until == NULL || strstr (screen->str, until) == NULL)
    {
      struct pollfd ready = { master, POLLIN, 0 };
      char buffer[4096];
      gssize n;
      int left = (int) ((deadline - g_get_monotonic_time ()) / 1000);

      if (left <= 0 || poll (&ready, 1, left) <= 0)
        return FALSE;
      n = read (master, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      /* EIO: the terminal's last user has gone. */
      if (n <= 0)
        return FALSE;
      g_string_append_len (screen, buffer, n);
    }
  return TRUE;
}

/* Starts @args as nobody on a new pseudo-terminal, its controlling
 * terminal, in the foreground. */
static pid_t
spawn_on_terminal (RfTestUnprivileged *run,
                   int                *master)
{
  pid_t pid = forkpty (master, NULL, NULL, NULL);

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execvpe (g_ptr_array_index (run->argv, 0), (char **) run->argv->pdata, run->env);
      _exit (127);
    }
  return pid;
}

/* Runs the CLI with @args as nobody on a terminal of its own, with
 * reflash-helper-sim as its "pkexec" (@helper_options before the scenario),
 * until it ends; @keys are typed once the terminal shows @when.
 * Returns: its wait status; @screen holds what it showed. */
static int
run_on_terminal (Fixture            *fixture,
                 const char * const *args,
                 const char         *helper_options,
                 const char         *when,
                 const char         *keys,
                 GString            *screen)
{
  g_autoptr(RfTestUnprivileged) run = rf_test_unprivileged_new (args, fixture->cli.env);
  g_autofree char *helper = rf_test_unprivileged_add_program (run, helper_sim);
  g_autofree char *launcher = g_strdup_printf ("%s %s seed", helper, helper_options);
  int master;
  int status;
  pid_t pid;

  run->env = g_environ_setenv (run->env, "REFLASH_HELPER_COMMAND", launcher, TRUE);
  pid = spawn_on_terminal (run, &master);
  if (when != NULL && read_screen_until (master, screen, when))
    g_assert_cmpint (write (master, keys, strlen (keys)), ==, (gssize) strlen (keys));
  read_screen_until (master, screen, NULL);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  close (master);
  if (g_test_verbose ())
    g_test_message ("%s", screen->str);
  return status;
}

/* Ctrl-C at the terminal after the point of no return: the CLI says the
 * flash must finish, the helper (in a process group of its own) never sees
 * the key, and the drive ends with its new firmware. */
static void
test_ctrl_c_during_erase (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *image = NULL;
  g_autofree char *info = NULL;
  g_autoptr(GString) screen = g_string_new (NULL);
  const char *args[] = { cli_path, "recover", fixture->node, NULL, "--json", "--tray-empty",
                         "--accept-untested", "--yes", NULL };
  int status;

  if (fixture->node == NULL)
    {
      g_test_skip ("making a node in /dev and running as nobody need root");
      return;
    }
  image = make_image (fixture);
  args[3] = image;
  status = run_on_terminal (fixture, args, "--speed " HELPER_SPEED,
                            "\"point_of_no_return\": true", "\003", screen);
  rf_test_assert_has (screen->str, ASKING);
  rf_test_assert_has (screen->str, MUST_FINISH);
  rf_test_assert_has (screen->str, "\"event\": \"done\"");
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  /* The practice drive behind the node, as the helper left it. */
  g_assert_cmpint (rf_test_cli_job_run (&fixture->cli, cli_path, &info, NULL, "info",
                                        "practice:seed", "--json", NULL), ==, 0);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
}

/* The helper outlives a killed client by the command it was running: it
 * ends when it reads the end of its stdin, and lets go of the drive then. */
static void
wait_for_helper_to_end (Fixture *fixture)
{
  g_autofree char *saved = g_strdup (g_getenv ("XDG_RUNTIME_DIR"));
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_setenv ("XDG_RUNTIME_DIR", fixture->cli.dir, TRUE);
  for (;;)
    {
      g_autoptr(RfDriveLock) lock = rf_drive_lock_acquire ("practice:seed", NULL);

      if (lock != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
  if (saved != NULL)
    g_setenv ("XDG_RUNTIME_DIR", saved, TRUE);
  else
    g_unsetenv ("XDG_RUNTIME_DIR");
}

/* reflash-cli killed (SIGKILL: no handler runs) at the first command of
 * each phase of the seed's recovery, while the helper keeps the drive
 * powered; then `resume` on the same node finishes the recovery. @data:
 * the CDB's first bytes, as reflash-helper-sim's --kill-client-at. */
static void
test_killed_then_resume (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *image = NULL;
  g_autofree char *kill_at = NULL;
  g_autofree char *info = NULL;
  g_autoptr(GString) first = g_string_new (NULL);
  g_autoptr(GString) second = g_string_new (NULL);
  const char *recover[] = { cli_path, "recover", fixture->node, NULL, "--json", "--tray-empty",
                            "--accept-untested", "--yes", NULL };
  const char *resume[] = { cli_path, "resume", fixture->node, "--json", "--tray-empty",
                           "--accept-untested", "--yes", NULL };
  int status;

  if (fixture->node == NULL)
    {
      g_test_skip ("making a node in /dev and running as nobody need root");
      return;
    }
  image = make_image (fixture);
  recover[3] = image;
  kill_at = g_strdup_printf ("--speed %s --kill-client-at %s", KILL_SPEED, (const char *) data);
  status = run_on_terminal (fixture, recover, kill_at, NULL, NULL, first);
  if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
    g_error ("the CLI was not killed at %s (status %d):\n%s", (const char *) data, status,
             first->str);
  wait_for_helper_to_end (fixture);

  /* A node with no port behind it (no sysfs): the CLI asks whether it is
   * the same drive, as it does for a drive that moved, and the person
   * says yes. */
  status = run_on_terminal (fixture, resume, "--speed " KILL_SPEED, "[y/N]", "y\n", second);
  if (!WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("resume after a kill at %s (status %d):\n%s", (const char *) data, status,
             second->str);
  rf_test_assert_has (second->str, "\"event\": \"done\"");
  g_assert_cmpint (rf_test_cli_job_run (&fixture->cli, cli_path, &info, NULL, "info",
                                        "practice:seed", "--json", NULL), ==, 0);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 3);
  cli_path = argv[1];
  helper_sim = argv[2];
  /* The CLI's output is read from the terminal, not from the TAP stream. */
  signal (SIGPIPE, SIG_IGN);

  g_test_add ("/helper-cli/ctrl-c-during-erase", Fixture, NULL, fixture_set_up,
              test_ctrl_c_during_erase, fixture_tear_down);
  /* The first command of each phase: WRITE RAM, SEND CHECKSUM, ERASE BLOCK,
   * PROGRAM BLOCK, SAFE MODE leave, READ MEM of the main area. */
  g_test_add ("/helper-cli/killed-then-resume/upload", Fixture, "cb01", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  g_test_add ("/helper-cli/killed-then-resume/checksum", Fixture, "cc04", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  g_test_add ("/helper-cli/killed-then-resume/erase", Fixture, "cb04", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  g_test_add ("/helper-cli/killed-then-resume/program", Fixture, "cb02", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  g_test_add ("/helper-cli/killed-then-resume/restart", Fixture, "cc0100", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  g_test_add ("/helper-cli/killed-then-resume/verify", Fixture, "cc0000010000", fixture_set_up,
              test_killed_then_resume, fixture_tear_down);
  return g_test_run ();
}
