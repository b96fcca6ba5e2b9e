/* test-pseudo-cli.c: reflash-cli's words for people in the pseudo-language,
 * where none may stay English
 *
 *   test-pseudo-cli --tap REFLASH_CLI LOCALE_DIR
 *
 * LOCALE_DIR holds en@pseudo/LC_MESSAGES/reflash.mo (tests/make-pseudo-locale.py).
 * `list`, `info` of every practice drive, `check` of a file that fits, of one for
 * another model and of one that is no firmware, and `backups` before and after a
 * backup: every line they print, on stdout and stderr, is in the pseudo-language
 * but for data (device names, paths, digests, what a drive reports about
 * itself). Their JSON stays English: a key is not a word for people.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <string.h>

#include <glib.h>

#include "rf-test-cli.h"
#include "rf-test-pseudo.h"
#include "rf-test-util.h"

static const char *cli_path;
static const char *locale_dir;
static GRegex *allowed;
/* The practice scenarios' ids, one case of `info` each. */
static GPtrArray *scenarios;

static void
set_up (RfTestCliJobFixture *fixture,
        gconstpointer        data)
{
  rf_test_cli_job_fixture_set_up (fixture, data);
  fixture->env = rf_test_pseudo_environ (fixture->env, locale_dir);
}

/* Every line of @text that holds a word in English, appended to @english. */
static void
read_lines (GString    *english,
            const char *what,
            const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  guint translated = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (rf_test_pseudo_is_english (allowed, lines[i]))
        g_string_append_printf (english, "\n  %s: “%s”", what, lines[i]);
      else if (strchr (lines[i], '[') != NULL)
        translated++;
    }
  /* Output with no translated line says nothing about translation. */
  if (*text != '\0' && translated == 0)
    g_string_append_printf (english, "\n  %s: nothing translated in “%s”", what, text);
}

/* Runs reflash-cli with the arguments after @fixture (NULL-terminated) and
 * fails the test for every word of its output left in English. */
static void
assert_all_translated (RfTestCliJobFixture *fixture,
                       const char          *first,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GString) english = g_string_new (NULL);
  g_autoptr(GString) command = g_string_new ("reflash-cli");
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  va_list args;

  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_string_append_printf (command, " %s", arg);
  va_end (args);
  va_start (args, first);
  rf_test_cli_run (cli_path, fixture->env, &out, &err, first, args);
  va_end (args);
  read_lines (english, "stdout", out);
  read_lines (english, "stderr", err);
  if (english->len > 0)
    g_test_fail_printf ("%s: words not translated:%s", command->str, english->str);
}

static void
test_list (RfTestCliJobFixture *fixture,
           gconstpointer        data)
{
  assert_all_translated (fixture, "list", "--practice", NULL);
}

/* Every practice drive: each shows one drive state. */
static void
test_info (RfTestCliJobFixture *fixture,
           gconstpointer        data)
{
  const char *scenario = data;
  g_autofree char *drive = g_strconcat ("practice:", scenario, NULL);

  assert_all_translated (fixture, "info", drive, NULL);
}

static void
test_check (RfTestCliJobFixture *fixture,
            gconstpointer        data)
{
  g_autofree char *fits = rf_test_cli_job_practice_image (fixture, cli_path, "practice:seed",
                                                          "fits.bin", NULL);
  g_autofree char *other = rf_test_cli_job_practice_image (fixture, cli_path, "practice:seed",
                                                           "other.bin", "--other-model");
  g_autofree char *spc = rf_test_cli_job_practice_image (fixture, cli_path,
                                                         "practice:spc-generic", "spc.bin", NULL);
  g_autofree char *junk = g_build_filename (fixture->dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (junk, "not firmware\n", -1, NULL));
  assert_all_translated (fixture, "check", fits, NULL);
  assert_all_translated (fixture, "check", "--drive", "practice:seed", fits, NULL);
  assert_all_translated (fixture, "check", "--drive", "practice:seed", other, NULL);
  assert_all_translated (fixture, "check", "--drive", "practice:spc-generic", spc, NULL);
  assert_all_translated (fixture, "check", junk, NULL);
}

static void
test_backups (RfTestCliJobFixture *fixture,
              gconstpointer        data)
{
  assert_all_translated (fixture, "backups", NULL);
  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, NULL, NULL, "backup",
                                        "practice:healthy-3550", "--practice-speed", "0", NULL),
                   ==, 0);
  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, NULL, NULL, "backup",
                                        "practice:spc-generic", "--practice-speed", "0", NULL),
                   ==, 0);
  assert_all_translated (fixture, "backups", NULL);
}

/* JSON's keys and codes stay English, whatever the language: a script reads
 * them. (Its sentences for people, "state_title", "advice", are translated.) */
static void
test_json_keys_and_codes (RfTestCliJobFixture *fixture,
                          gconstpointer        data)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (rf_test_cli_job_run (fixture, cli_path, &out, NULL, "info", "practice:seed",
                                        "--json", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"state\": \"identity-mismatch\""));
  g_assert_nonnull (strstr (out, "\"family_name\": \"NEC 2 MiB"));
  g_assert_nonnull (strstr (out, "\"state_title\": \"["));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *key = strchr (lines[i], '"');
      const char *end = key != NULL ? strstr (key + 1, "\":") : NULL;

      if (end != NULL)
        for (const char *p = key; p < end; p++)
          if (!g_ascii_isprint (*p))
            g_error ("a JSON key is translated: %s", lines[i]);
    }
}

static void
add_info_cases (void)
{
  g_autofree char *folder = g_build_filename (g_getenv ("REFLASH_DATA_DIR"), "practice", NULL);
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  scenarios = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".conf"))
      g_ptr_array_add (scenarios, g_strndup (name, strlen (name) - strlen (".conf")));
  for (guint i = 0; i < scenarios->len; i++)
    {
      g_autofree char *path = g_strconcat ("/reflash/pseudo-cli/info/",
                                           (char *) scenarios->pdata[i], NULL);

      g_test_add (path, RfTestCliJobFixture, scenarios->pdata[i], set_up, test_info,
                  rf_test_cli_job_fixture_tear_down);
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The accents of a failure's message reach the log as they are. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  if (argc != 3)
    g_error ("usage: %s [--tap] REFLASH_CLI LOCALE_DIR", argv[0]);
  cli_path = argv[1];
  locale_dir = argv[2];
  allowed = rf_test_pseudo_allowed_new ();

  g_test_add ("/reflash/pseudo-cli/list", RfTestCliJobFixture, NULL, set_up, test_list,
              rf_test_cli_job_fixture_tear_down);
  add_info_cases ();
  g_test_add ("/reflash/pseudo-cli/check", RfTestCliJobFixture, NULL, set_up, test_check,
              rf_test_cli_job_fixture_tear_down);
  g_test_add ("/reflash/pseudo-cli/backups", RfTestCliJobFixture, NULL, set_up, test_backups,
              rf_test_cli_job_fixture_tear_down);
  g_test_add ("/reflash/pseudo-cli/json-keys-and-codes", RfTestCliJobFixture, NULL, set_up,
              test_json_keys_and_codes, rf_test_cli_job_fixture_tear_down);
  status = g_test_run ();
  g_ptr_array_unref (scenarios);
  g_regex_unref (allowed);
  return status;
}
