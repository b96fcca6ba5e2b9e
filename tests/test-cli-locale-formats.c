/* test-cli-locale-formats.c: German numbers and dates in reflash-cli's words
 *
 *   test-cli-locale-formats --tap REFLASH_CLI LOCALE_DIR
 *
 * LOCALE_DIR is the build's po/ folder (de/LC_MESSAGES/reflash.mo). The
 * locale de_DE.UTF-8 is compiled with localedef into a temporary LOCPATH,
 * so the test needs no locale generated on the machine (PLATFORM.md §5).
 * Under it, `check` gives a file's size as German writes it ("2,1 MB",
 * "2.097.152 Bytes") and `backups` the date of a backup in German
 * (a German month or weekday name), with the words from de.po.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "rf-test-cli.h"
#include "rf-test-util.h"

static const char *cli_path;
static const char *locale_dir;
static char *locpath;

static void
set_up (RfTestCliJobFixture *fixture,
        gconstpointer        data)
{
  rf_test_cli_job_fixture_set_up (fixture, data);
  fixture->env = g_environ_unsetenv (fixture->env, "LC_ALL");
  fixture->env = g_environ_unsetenv (fixture->env, "LC_MESSAGES");
  fixture->env = g_environ_setenv (fixture->env, "LOCPATH", locpath, TRUE);
  fixture->env = g_environ_setenv (fixture->env, "LANG", "de_DE.UTF-8", TRUE);
  fixture->env = g_environ_setenv (fixture->env, "LANGUAGE", "de", TRUE);
  fixture->env = g_environ_setenv (fixture->env, "REFLASH_LOCALEDIR", locale_dir, TRUE);
}

static void
test_size (RfTestCliJobFixture *fixture,
           gconstpointer        data)
{
  g_autofree char *image = rf_test_cli_job_practice_image (fixture, cli_path, "practice:seed",
                                                           "fits.bin", NULL);
  g_autofree char *out = NULL;

  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, &out, NULL, "check", image, NULL),
                   ==, 0);
  g_test_message ("%s", out);
  /* German words, and the size with a decimal comma and grouped digits. */
  g_assert_nonnull (strstr (out, "Größe"));
  g_assert_true (g_regex_match_simple ("[0-9],[0-9]\\W+MB\\W+\\([0-9]{1,3}(\\.[0-9]{3})+\\W+Bytes\\)",
                                       out, 0, 0));
}

static void
test_backup_date (RfTestCliJobFixture *fixture,
                  gconstpointer        data)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, NULL, NULL, "backup",
                                        "practice:healthy-3550", "--practice-speed", "0", NULL),
                   ==, 0);
  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, &out, NULL, "backups", NULL), ==, 0);
  g_test_message ("%s", out);
  /* Today's date as the German locale writes it: day before month, dots. */
  g_assert_true (g_regex_match_simple ("\\b[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}\\b", out, 0, 0));
}

/* de_DE.UTF-8 compiled from the system's locale sources; %NULL when the
 * sources (Debian's locales package) are missing. */
static char *
compile_german_locale (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reflash-locpath-XXXXXX", &error);
  g_autofree char *target = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_no_error (error);
  target = g_build_filename (dir, "de_DE.UTF-8", NULL);
  {
    const char *argv[] = { "localedef", "-i", "de_DE", "-f", "UTF-8", target, NULL };

    if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH |
                       G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, NULL) ||
        !g_spawn_check_wait_status (status, NULL))
      {
        g_printerr ("localedef: %s\n", err != NULL ? err : "did not run");
        rf_test_remove_tree (dir);
        return NULL;
      }
  }
  return g_steal_pointer (&dir);
}

int
main (int    argc,
      char **argv)
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  if (argc != 3)
    g_error ("usage: %s [--tap] REFLASH_CLI LOCALE_DIR", argv[0]);
  cli_path = argv[1];
  locale_dir = argv[2];
  /* build-aux/setup-deps installs the locale sources (package locales). */
  locpath = compile_german_locale ();
  g_assert_nonnull (locpath);

  g_test_add ("/reflash/cli-locale-formats/size", RfTestCliJobFixture, NULL, set_up, test_size,
              rf_test_cli_job_fixture_tear_down);
  g_test_add ("/reflash/cli-locale-formats/backup-date", RfTestCliJobFixture, NULL, set_up,
              test_backup_date, rf_test_cli_job_fixture_tear_down);
  status = g_test_run ();
  rf_test_remove_tree (locpath);
  g_free (locpath);
  return status;
}
