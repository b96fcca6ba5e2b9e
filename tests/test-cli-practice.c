/* test-cli-practice.c: `reflash-cli practice`: made-up firmware and the
 * practice controls, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

#include "rf-test-json-tree.h"
#include "rf-test-util.h"

static const char *cli_path;

typedef struct {
  char *dir;
} Fixture;

typedef struct {
  const char *drive;
  gboolean other_model;
  const char *code; /* check --drive's verdict code */
  int check_exit;
} Case;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-practice-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Runs reflash-cli with @args (NULL-terminated); every XDG folder is the
 * fixture's, so practice drives start fresh and images land there. */
static int
run_cli (Fixture     *fixture,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_auto(GStrv) env = rf_test_cli_environ (fixture->dir);
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list args;

  env = g_environ_setenv (env, "XDG_RUNTIME_DIR", fixture->dir, TRUE);
  /* Callers reuse @out between runs. */
  if (out != NULL)
    g_clear_pointer (out, g_free);
  va_start (args, first);
  argv = rf_test_argv_valist (cli_path, first, args);
  va_end (args);
  g_spawn_sync (NULL, (char **) argv->pdata, env,
                out != NULL ? G_SPAWN_DEFAULT : G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* The twin's id from "Made practice:ID, a twin of …". */
static char *
made_twin (const char *out)
{
  const char *start = strstr (out, "Made practice:");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("Made practice:");
  end = strchr (start, ',');
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

/* make-twin, list, delete: a twin of the seed is the seed's state, of a
 * healthy drive its backup; only a drive checked into a state worth copying
 * has a twin, and only twins are deleted. */
static void
test_twins (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *seed_twin = NULL;
  g_autofree char *healthy_twin = NULL;
  g_autofree char *spc_twin = NULL;
  g_autofree char *name = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "practice", "make-twin", "practice:seed", NULL), ==, 0);
  seed_twin = made_twin (out);
  g_assert_true (g_str_has_prefix (seed_twin, "twin-k355-"));
  g_assert_cmpint (run_cli (fixture, &out, "practice", "make-twin", "practice:healthy-3550",
                            "--practice-speed", "0", "--name", "Before the update", NULL), ==, 0);
  healthy_twin = made_twin (out);

  g_assert_cmpint (run_cli (fixture, &out, "practice", "list", NULL), ==, 0);
  rf_test_assert_has (out, "Twin of ND-3550A on practice:seed, made ");
  rf_test_assert_has (out, "Before the update (a twin)");
  g_assert_null (strstr (out, "seed                    ND-3550A after a failed crossflash (a twin)"));

  name = g_strconcat ("practice:", seed_twin, NULL);
  g_assert_cmpint (run_cli (fixture, &out, "info", name, "--json", NULL), ==, 0);
  rf_test_assert_has (out, "\"state\": \"identity-mismatch\"");
  rf_test_assert_has (out, "\"stored_id\": \"K451\"");
  g_free (name);
  name = g_strconcat ("practice:", healthy_twin, NULL);
  g_assert_cmpint (run_cli (fixture, &out, "info", name, "--json", NULL), ==, 0);
  rf_test_assert_has (out, "\"state\": \"ready\"");
  rf_test_assert_has (out, "\"revision\": \"1.05\"");

  /* A drive with standard firmware download has its twin too. */
  g_assert_cmpint (run_cli (fixture, &out, "practice", "make-twin", "practice:spc-generic",
                            "--practice-speed", "0", NULL), ==, 0);
  spc_twin = made_twin (out);
  g_free (name);
  name = g_strconcat ("practice:", spc_twin, NULL);
  g_assert_cmpint (run_cli (fixture, &out, "info", name, "--json", NULL), ==, 0);
  rf_test_assert_has (out, "\"state\": \"ready\"");
  rf_test_assert_has (out, "\"product\": \"PRACTICE SPC\"");
  g_assert_cmpint (run_cli (fixture, NULL, "practice", "delete", name, NULL), ==, 0);
  g_free (name);
  name = g_strconcat ("practice:", healthy_twin, NULL);

  /* A drive that does not answer has nothing a twin could copy. */
  g_assert_cmpint (run_cli (fixture, NULL, "practice", "make-twin", "practice:hung-3550",
                            "--practice-speed", "0", NULL), ==, 4);
  g_assert_cmpint (run_cli (fixture, NULL, "practice", "delete", "practice:seed", NULL), ==, 4);
  g_assert_cmpint (run_cli (fixture, NULL, "practice", "delete", name, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, NULL, "info", name, NULL), ==, 3);
  g_assert_cmpint (run_cli (fixture, NULL, "practice", "delete", seed_twin, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, &out, "practice", "list", NULL), ==, 0);
  g_assert_null (strstr (out, "(a twin)"));
}

/* The written image is what `check --drive` judges: fitting ones are accepted,
 * the other model's refused as a crossflash. */
static void
test_check (Fixture       *fixture,
            gconstpointer  data)
{
  const Case *c = data;
  g_autofree char *path = g_build_filename (fixture->dir, "practice.bin", NULL);
  g_autofree char *code = g_strdup_printf ("\"code\": \"%s\"", c->code);
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "practice", "firmware", c->drive, "-o", path,
                            c->other_model ? "--other-model" : NULL, NULL), ==, 0);
  rf_test_assert_has (out, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (run_cli (fixture, &json, "check", "--json", path, "--drive", c->drive, NULL),
                   ==, c->check_exit);
  rf_test_assert_has (json, code);
}

/* Without -o the image goes to the cache folder, named for what it is, with
 * the version asked for. */
static void
test_cache_folder (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "reflash", "practice-firmware",
                                            "practice-ND-3550A-1.01-bootcode-05.bin", NULL);
  g_autofree char *out = NULL;
  g_autofree char *json = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "practice", "firmware", "practice:healthy-3550",
                            "--version", "1.01", NULL), ==, 0);
  rf_test_assert_has (out, path);
  g_assert_cmpint (run_cli (fixture, &json, "check", "--json", path, NULL), ==, 0);
  rf_test_assert_has (json, "\"revision\": \"1.01\"");
  rf_test_assert_has (json, "\"model\": \"ND-3550A\"");
}

/* The SPC image has the family's size and carries the family's model check bytes
 * and the version asked for. */
static void
test_spc_image (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "spc.bin", NULL);
  g_autofree char *json = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, "practice", "firmware", "practice:spc-generic",
                            "--version", "2.00", "-o", path, NULL), ==, 0);
  g_assert_cmpint (run_cli (fixture, &json, "check", "--json", path, "--drive",
                            "practice:spc-generic", NULL), ==, 0);
  rf_test_assert_has (json, "\"size\": 1048576");
  rf_test_assert_has (json, "\"model_checked\": true");
  rf_test_assert_has (json, "\"revision\": \"2.00\"");
  /* SPC versions have no known order: any other one is treated like a downgrade. */
  rf_test_assert_has (json, "\"code\": \"downgrade\"");
  rf_test_assert_has (json, "\"unknown-order\"");
}

/* The SPC practice drives rehearse one family each, and an image of one is
 * refused for the others: a raw image names no family, so its size (each family
 * has its own) tells it apart. */
static void
test_spc_other_family (Fixture       *fixture,
                       gconstpointer  data)
{
  static const char * const drives[] = {
    "practice:spc-single", "practice:spc-generic", "practice:spc-deferred",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (drives); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "spc.bin", NULL);

      g_assert_cmpint (run_cli (fixture, NULL, "practice", "firmware", drives[i], "-o", path,
                                NULL), ==, 0);
      for (gsize j = 0; j < G_N_ELEMENTS (drives); j++)
        {
          g_autofree char *json = NULL;

          if (j == i)
            continue;
          g_test_message ("%s's image for %s", drives[i], drives[j]);
          g_assert_cmpint (run_cli (fixture, &json, "check", "--json", path, "--drive", drives[j],
                                    NULL), ==, 4);
          rf_test_assert_has (json, "\"corrupt\": \"size\"");
        }
    }
}

typedef struct {
  const char *args[4];
  int exit;
} Refusal;

/* Wrong arguments, drives that are not there and drives that are not practice
 * drives: nothing is written. */
static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const Refusal *r = data;
  g_autofree char *path = g_build_filename (fixture->dir, "never.bin", NULL);

  g_assert_cmpint (run_cli (fixture, NULL, "practice", r->args[0], r->args[1], r->args[2],
                            r->args[3], "-o", path, NULL), ==, r->exit);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* `info --json`'s state of @drive ("busy", "ready", "safe-mode"). */
static char *
state_of (Fixture    *fixture,
          const char *drive)
{
  g_autofree char *json = NULL;
  g_autoptr(GVariant) object = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (run_cli (fixture, &json, "info", "--json", drive, NULL), ==, 0);
  object = rf_test_json_tree_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  return rf_test_json_tree_dup_string (object, "state");
}

/* The disc-in drive is busy until its disc is taken out; with a disc put
 * back it is busy again; each control says what the drive shows now. */
static void
test_disc_controls (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *before = state_of (fixture, "practice:disc-3550");
  g_autofree char *removed = NULL;
  g_autofree char *out = NULL;
  g_autofree char *inserted = NULL;

  g_assert_cmpstr (before, ==, "busy");
  g_assert_cmpint (run_cli (fixture, &out, "practice", "remove-disc", "practice:disc-3550", NULL),
                   ==, 0);
  rf_test_assert_has (out, "practice:disc-3550: no disc inside; the light: off");
  rf_test_assert_has (out, "reflash-cli info practice:disc-3550");
  removed = state_of (fixture, "practice:disc-3550");
  g_assert_cmpstr (removed, ==, "ready");
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (fixture, &out, "practice", "insert-disc", "practice:disc-3550", NULL),
                   ==, 0);
  rf_test_assert_has (out, "a disc is inside; the light: steady");
  inserted = state_of (fixture, "practice:disc-3550");
  g_assert_cmpstr (inserted, ==, "busy");
}

/* Reset puts back what the scenario says: the disc taken out is inside again. */
static void
test_reset (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, "practice", "remove-disc", "practice:disc-3550", NULL),
                   ==, 0);
  g_assert_cmpint (run_cli (fixture, &out, "practice", "reset", "practice:disc-3550", NULL), ==, 0);
  rf_test_assert_has (out, "a disc is inside");
  after = state_of (fixture, "practice:disc-3550");
  g_assert_cmpstr (after, ==, "busy");
}

/* Switched off and on, the bricked seed comes back as a real one would: in
 * safe mode, its light blinking. */
static void
test_power_cycle (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *out = NULL;
  g_autofree char *after = NULL;

  g_assert_cmpint (run_cli (fixture, &out, "practice", "power-cycle", "practice:seed", NULL), ==, 0);
  rf_test_assert_has (out, "practice:seed: no disc inside; the light: blinking");
  /* The seed in safe mode, its stored identity another model's. */
  after = state_of (fixture, "practice:seed");
  g_assert_cmpstr (after, ==, "identity-mismatch");
}

static const Case cases[] = {
  { "practice:seed", FALSE, "recovery", 0 },
  { "practice:seed", TRUE, "crossflash", 4 },
  { "practice:healthy-3550", FALSE, "upgrade", 0 },
  { "practice:healthy-3550", TRUE, "crossflash", 4 },
  /* It runs 1.07: the default 1.06 is older. */
  { "practice:healthy-4551", FALSE, "downgrade", 0 },
  { "practice:healthy-4551", TRUE, "crossflash", 4 },
  { "practice:spc-generic", TRUE, "wrong-family", 4 },
  /* SPC versions have no known order: the default 1.06 is treated like a downgrade. */
  { "practice:spc-single", FALSE, "downgrade", 0 },
  { "practice:spc-single", TRUE, "wrong-family", 4 },
  { "practice:spc-deferred", FALSE, "downgrade", 0 },
  { "practice:spc-deferred", TRUE, "wrong-family", 4 },
};

static const Refusal refusals[] = {
  { { "firmware", NULL }, 2 },
  { { "flash", "practice:seed", NULL }, 2 },
  { { "firmware", "practice:seed", "--version", "12345" }, 2 },
  { { "firmware", "practice:no-such-drive", NULL }, 3 },
  /* No drive at all, as for every command: not found. */
  { { "firmware", "/dev/null", NULL }, 3 },
  { { "remove-disc", NULL }, 2 },
  { { "remove-disc", "practice:no-such-drive", NULL }, 3 },
  { { "reset", "/dev/null", NULL }, 3 },
  { { "power-cycle", "practice:seed", "practice:seed", NULL }, 2 },
};

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/reflash/cli-practice/check/%s%s",
                                               cases[i].drive + strlen ("practice:"),
                                               cases[i].other_model ? "-other-model" : "");

      g_test_add (name, Fixture, &cases[i], fixture_set_up, test_check, fixture_tear_down);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    {
      g_autofree char *name = g_strdup_printf ("/reflash/cli-practice/refused/%" G_GSIZE_FORMAT, i);

      g_test_add (name, Fixture, &refusals[i], fixture_set_up, test_refused, fixture_tear_down);
    }
  g_test_add ("/reflash/cli-practice/twins", Fixture, NULL, fixture_set_up, test_twins,
              fixture_tear_down);
  g_test_add ("/reflash/cli-practice/cache-folder", Fixture, NULL, fixture_set_up,
              test_cache_folder, fixture_tear_down);
  g_test_add ("/reflash/cli-practice/spc-image", Fixture, NULL, fixture_set_up, test_spc_image,
              fixture_tear_down);
  g_test_add ("/reflash/cli-practice/spc-other-family", Fixture, NULL, fixture_set_up,
              test_spc_other_family, fixture_tear_down);
  g_test_add ("/reflash/cli-practice/controls/disc", Fixture, NULL, fixture_set_up,
              test_disc_controls, fixture_tear_down);
  g_test_add ("/reflash/cli-practice/controls/reset", Fixture, NULL, fixture_set_up, test_reset,
              fixture_tear_down);
  g_test_add ("/reflash/cli-practice/controls/power-cycle", Fixture, NULL, fixture_set_up,
              test_power_cycle, fixture_tear_down);
  return g_test_run ();
}
