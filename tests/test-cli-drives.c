/* test-cli-drives.c: `reflash-cli list` and `reflash-cli info`, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define _GNU_SOURCE /* posix_openpt() and its friends */

#include <fcntl.h>
#include <linux/major.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "rf-test-util.h"

static const char *cli_path;

/* Runs reflash-cli with @args (NULL-terminated), optionally without privileges
 * (rf_test_spawn_unprivileged); returns its exit status. */
static int stdin_for_cli = -1;  /* what the next run reads; -1: /dev/null */

static int
run_cli_as (gboolean     unprivileged,
            char       **out,
            char       **err,
            const char  *first,
            va_list      args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = g_dir_make_tmp ("reflash-cli-run-XXXXXX", NULL);
  g_autofree char *state = g_dir_make_tmp ("reflash-cli-state-XXXXXX", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_RUNTIME_DIR", runtime, TRUE);
  int status = -1;

  env = g_environ_setenv (env, "XDG_STATE_HOME", state, TRUE);
  /* Callers reuse @out and @err between runs. */
  g_clear_pointer (out, g_free);
  g_clear_pointer (err, g_free);
  g_ptr_array_add (argv, (gpointer) cli_path);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  if (unprivileged)
    {
      g_chmod (runtime, 0777);
      g_chmod (state, 0777);
      status = rf_test_spawn_unprivileged_with_stdin ((const char * const *) argv->pdata, env,
                                                      stdin_for_cli, out, err);
    }
  else
    {
      g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL,
                                   NULL, out, err, &status, &error));
      g_assert_no_error (error);
    }
  rf_test_remove_tree (runtime);
  rf_test_remove_tree (state);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static int
run_cli (char       **out,
         char       **err,
         const char  *first,
         ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = run_cli_as (FALSE, out, err, first, args);
  va_end (args);
  return status;
}

static int
run_cli_unprivileged (char       **out,
                      char       **err,
                      const char  *first,
                      ...)
{
  va_list args;
  int status;

  va_start (args, first);
  status = run_cli_as (TRUE, out, err, first, args);
  va_end (args);
  return status;
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

  /* A character device that is no SCSI node, or no node at all: no such
   * drive (exit 3, as for a name no one knows), in a sentence. */
  g_assert_cmpint (run_cli (&out, &err, "info", "/dev/null", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "/dev/null: This is not an optical drive."));
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpint (run_cli (&out, &err, "info", "/tmp", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "/tmp: This is not an optical drive."));
  g_assert_cmpstr (out, ==, "");
}

/* The same rule for every command that looks a drive up as `info` does. */
static void
test_not_a_drive_everywhere (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reflash-cli-not-XXXXXX", NULL);
  g_autofree char *image = g_build_filename (dir, "fw.bin", NULL);
  g_autofree char *report = g_build_filename (dir, "report.json", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_true (g_file_set_contents (image, "not firmware", -1, NULL));
  g_assert_cmpint (run_cli (&out, &err, "check", image, "--drive", "/dev/null", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "This is not an optical drive."));
  g_assert_cmpint (run_cli (&out, &err, "report", "/tmp", "-o", report, NULL), ==, 3);
  g_assert_nonnull (strstr (err, "This is not an optical drive."));
  g_assert_false (g_file_test (report, G_FILE_TEST_EXISTS));
  g_assert_cmpint (run_cli (&out, &err, "backup", "/dev/null", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "This is not an optical drive."));
  g_assert_cmpint (run_cli (&out, &err, "recover", "/dev/null", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "This is not an optical drive."));
  g_assert_cmpint (run_cli (&out, &err, "practice", "reset", "/tmp", NULL), ==, 3);
  g_assert_nonnull (strstr (err, "This is not an optical drive."));
  rf_test_remove_tree (dir);
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

/* A pseudo-terminal that is nobody's controlling terminal: a terminal, but
 * not one whose foreground the command is in. */
static int
open_foreign_terminal (void)
{
  int master = posix_openpt (O_RDWR | O_NOCTTY);
  int terminal;

  g_assert_cmpint (master, >=, 0);
  g_assert_cmpint (grantpt (master), ==, 0);
  g_assert_cmpint (unlockpt (master), ==, 0);
  terminal = open (ptsname (master), O_RDWR | O_NOCTTY);
  g_assert_cmpint (terminal, >=, 0);
  /* The master stays open for the test's life: the terminal must not hang up. */
  return terminal;
}

/* A real sg node (major 21) that only root may open, and no drive behind it. */
static void
test_info_no_access (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reflash-cli-node-XXXXXX", NULL);
  g_autofree char *node = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *marker = NULL;
  g_autofree char *command = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  node = rf_test_make_node (dir, "sg200", S_IFCHR | 0600, SCSI_GENERIC_MAJOR, 200);
  if (node == NULL)
    {
      g_test_skip ("a device node needs CAP_MKNOD and a folder not mounted nodev");
      rf_test_remove_tree (dir);
      return;
    }
  /* Without permission on the node: a state, not a failure. Without a
   * terminal nobody could answer a password prompt: the helper's launcher
   * (here a command that leaves a mark) is never started. */
  marker = g_build_filename (dir, "launched", NULL);
  command = g_strdup_printf ("touch %s", marker);
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_setenv ("REFLASH_HELPER_COMMAND", command, TRUE);
  g_assert_cmpint (run_cli_unprivileged (&out, &err, "info", node, "--json", NULL), ==, 0);
  g_unsetenv ("REFLASH_HELPER_COMMAND");
  g_assert_nonnull (strstr (out, "\"state\": \"no-access\""));
  g_assert_nonnull (strstr (out, "\"reason\": \"permission-denied\""));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  g_assert_null (strstr (err, "administrator rights"));
  /* A terminal that is not the command's own, in the foreground (a command
   * run in the background, or on another terminal): polkit's text agent
   * would be stopped there and the command would wait for ever. */
  stdin_for_cli = open_foreign_terminal ();
  g_setenv ("REFLASH_HELPER_COMMAND", command, TRUE);
  g_assert_cmpint (run_cli_unprivileged (&out, &err, "info", node, "--json", NULL), ==, 0);
  g_unsetenv ("REFLASH_HELPER_COMMAND");
  close (stdin_for_cli);
  stdin_for_cli = -1;
  g_assert_nonnull (strstr (out, "\"state\": \"no-access\""));
  g_assert_false (g_file_test (marker, G_FILE_TEST_EXISTS));
  /* With permission, the open finds no device behind the node. */
  g_assert_cmpint (run_cli (&out, &err, "info", node, NULL), ==, 1);
  g_assert_nonnull (strstr (err, "disappeared"));
  rf_test_remove_tree (dir);
}

static void
test_list_practice (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "list", "--practice", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"id\": \"practice:seed\""));
  g_assert_nonnull (strstr (out, "\"state\": \"safe-mode\""));
  g_assert_nonnull (strstr (out, "\"probe_depth\": \"passive\""));
  g_assert_null (strstr (out, "\"probe_depth\": \"deep\""));
  /* Every drive says whether its check failed: here none did. */
  g_assert_nonnull (strstr (out, "\"error\": null"));
  g_assert_null (strstr (out, "\"error\": \""));
  g_assert_cmpint (run_cli (&out, &err, "list", "--practice", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "practice:healthy-3550"));
  g_assert_nonnull (strstr (out, "DVD_RW ND-3550A"));
  /* Without --practice, no practice drive. */
  g_assert_cmpint (run_cli (&out, &err, "list", "--json", NULL), ==, 0);
  g_assert_null (strstr (out, "practice:"));
}

static void
test_info_practice_seed (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "info", "practice:seed", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\": \"identity-mismatch\""));
  g_assert_nonnull (strstr (out, "\"stored_id\": \"K451\""));
  g_assert_nonnull (strstr (out, "\"bootcode_key\": \"K355\""));
  g_assert_nonnull (strstr (out, "\"bootcode_version\": \"05\""));
  g_assert_nonnull (strstr (out, "\"probe_depth\": \"deep\""));
  /* The transcript shows the identification, and no write. */
  g_assert_nonnull (strstr (out, "\"cdb\": \"CC 00 00 00 48 00 00 00 20 00 00 00\""));
  g_assert_null (strstr (out, "\"cdb\": \"3B"));
  g_assert_null (strstr (out, "\"cdb\": \"CB"));
  g_assert_cmpint (run_cli (&out, &err, "info", "practice:seed", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Identity mismatch"));
  g_assert_nonnull (strstr (out, "K451 (ND-4551A)"));
  g_assert_nonnull (strstr (out, "K355 (ND-3550A), version 05"));
  /* Whatever the state, the safe mode is said. */
  g_assert_nonnull (strstr (out, "Mode:        safe mode (only the bootcode runs; bootcode version 05)"));
  g_assert_nonnull (strstr (out, "Checked:     fully (identification commands sent)"));
}

/* A blinking drive whose full check needs administrator rights: info still
 * says it is in safe mode (from the revision), and that no identification
 * command reached it. Uses a data folder of its own with that scenario. */
static void
test_info_needs_admin_in_safe_mode (void)
{
  const char *scenario =
    "[Scenario]\nName=Seed without rights\nDescription=The seed on a system that refuses "
    "firmware commands without administrator rights.\nProtocol=nec-2m\n"
    "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nStoredId=K451\nFirmware=erased\n"
    "[Fault no-rawio]\nKind=no-rawio\nPhase=any\nOccurrence=0\n";
  g_autofree char *saved = g_strdup (g_getenv ("REFLASH_DATA_DIR"));
  g_autofree char *data = g_dir_make_tmp ("reflash-cli-data-XXXXXX", NULL);
  g_autofree char *practice = g_build_filename (data, "practice", NULL);
  g_autofree char *file = g_build_filename (practice, "seed-no-rawio.conf", NULL);
  g_autoptr(GDir) dir = g_dir_open (saved, 0, NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *name;

  g_assert_nonnull (dir);
  /* Everything of the real data folder but its practice drives. */
  while ((name = g_dir_read_name (dir)) != NULL)
    if (!g_str_equal (name, "practice"))
      {
        g_autofree char *target = g_build_filename (saved, name, NULL);
        g_autofree char *link = g_build_filename (data, name, NULL);

        g_assert_cmpint (symlink (target, link), ==, 0);
      }
  g_assert_cmpint (g_mkdir (practice, 0755), ==, 0);
  g_assert_true (g_file_set_contents (file, scenario, -1, NULL));
  g_setenv ("REFLASH_DATA_DIR", data, TRUE);
  g_assert_cmpint (run_cli (&out, &err, "info", "practice:seed-no-rawio", NULL), ==, 0);
  g_setenv ("REFLASH_DATA_DIR", saved, TRUE);
  rf_test_remove_tree (data);
  g_assert_nonnull (strstr (out, "Needs administrator rights"));
  g_assert_nonnull (strstr (out, "Mode:        safe mode (only the bootcode runs; bootcode version 05)"));
  /* One sentence for why, one line for how far the check got. */
  g_assert_nonnull (strstr (out, "The system refused the firmware commands: they need administrator rights."));
  g_assert_nonnull (strstr (out, "full check stopped before any identification command"));
}

/* A practice drive's serial (from its scenario) reaches info and JSON. */
static void
test_info_practice_serial (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "info", "practice:healthy-3550", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"serial\": \"N35A0012345\""));
  g_assert_cmpint (run_cli (&out, &err, "info", "practice:healthy-3550", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Serial:      N35A0012345"));
}

/* issue #4: `list --practice` shows every drive state. */
static void
test_list_practice_every_state (void)
{
  const char * const states[] = { "ready", "safe-mode", "busy", "unsupported", "not-responding",
                                  "no-access" };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "list", "--practice", "--json", NULL), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autofree char *key = g_strdup_printf ("\"state\": \"%s\"", states[i]);

      g_assert_nonnull (strstr (out, key));
    }
}

typedef struct {
  const char *drive;
  const char *state;
  const char *checked;
} InfoCase;

/* A deep check ends in the drive's state; "Checked" says whether identification
 * commands reached the drive. */
static void
test_info_practice_states (void)
{
  const InfoCase cases[] = {
    { "practice:disc-3550", "busy", "full check stopped before any identification command" },
    { "practice:unknown-drive", "unsupported", "by its standard answers only" },
    { "practice:hung-3550", "not-responding", "by its standard answers only" },
    { "practice:locked-out-3550", "no-access", "by its standard answers only" },
    { "practice:no-rawio-3550", "needs-admin", "full check stopped before any identification command" },
    { "practice:healthy-3550", "ready", "fully (identification commands sent)" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *state = g_strdup_printf ("\"state\": \"%s\"", cases[i].state);

      g_assert_cmpint (run_cli (&out, &err, "info", cases[i].drive, "--json", NULL), ==, 0);
      g_assert_nonnull (strstr (out, state));
      g_assert_cmpint (run_cli (&out, &err, "info", cases[i].drive, NULL), ==, 0);
      g_assert_nonnull (strstr (out, cases[i].checked));
      g_assert_null (strstr (out, "DRIVE"));
      g_assert_null (strstr (out, "Nothing was sent"));
      /* A row is printed only with a value: no dash, no "unknown" in its place. */
      g_assert_null (strstr (out, " -\n"));
      g_assert_null (strstr (out, "unknown model"));
    }
}

static void
test_info_practice_bridge (void)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (&out, &err, "info", "practice:bridge-3550", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "another controller"));
  g_assert_cmpint (run_cli (&out, &err, "info", "practice:bridge-3550", "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\": \"vendor-refused\""));
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

/* Each command's --help starts its usage with the whole command a person types. */
static void
test_help_usage_names_program (void)
{
  const char * const commands[] = { "list", "info", "check", "backup", "backups", "flash",
                                    "recover", "resume", "journals", "practice", "report" };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *out = NULL;
      g_autofree char *err = NULL;
      g_autofree char *usage = g_strdup_printf ("Usage:\n  reflash-cli %s [OPTION…]",
                                                commands[i]);

      g_assert_cmpint (run_cli (&out, &err, commands[i], "--help", NULL), ==, 0);
      if (strstr (out, usage) == NULL)
        g_error ("%s --help: no “%s” in:\n%s", commands[i], usage, out);
    }
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
  g_test_add_func ("/reflash/cli-drives/not-a-drive-everywhere", test_not_a_drive_everywhere);
  g_test_add_func ("/reflash/cli-drives/info-missing", test_info_missing);
  g_test_add_func ("/reflash/cli-drives/info-usage", test_info_usage);
  g_test_add_func ("/reflash/cli-drives/info-no-access", test_info_no_access);
  g_test_add_func ("/reflash/cli-drives/list-practice", test_list_practice);
  g_test_add_func ("/reflash/cli-drives/info-practice-seed", test_info_practice_seed);
  g_test_add_func ("/reflash/cli-drives/info-practice-bridge", test_info_practice_bridge);
  g_test_add_func ("/reflash/cli-drives/list-practice-every-state", test_list_practice_every_state);
  g_test_add_func ("/reflash/cli-drives/info-practice-states", test_info_practice_states);
  g_test_add_func ("/reflash/cli-drives/info-practice-serial", test_info_practice_serial);
  g_test_add_func ("/reflash/cli-drives/info-needs-admin-in-safe-mode",
                   test_info_needs_admin_in_safe_mode);
  g_test_add_func ("/reflash/cli-drives/help-lists-exit-codes", test_help_lists_exit_codes);
  g_test_add_func ("/reflash/cli-drives/help-usage-names-program", test_help_usage_names_program);
  return g_test_run ();
}
