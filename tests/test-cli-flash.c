/* test-cli-flash.c: `reflash-cli flash` and `reflash-cli recover`, as a user
 * runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "rf-test-cli.h"
#include "rf-test-json.h"
#include "rf-test-util.h"

/* Exit status codes, as reflash-cli(1) lists them. */
enum {
  EXIT_OK = 0,
  EXIT_USAGE = 2,
  EXIT_NOT_FOUND = 3,
  EXIT_REFUSED = 4,
  EXIT_CANCELLED = 6,
  EXIT_NOT_CONFIRMED = 7,
  EXIT_NEEDS_RECOVERY = 8,
};

#define SEED "practice:seed"
#define HEALTHY "practice:healthy-3550"
#define MUST_FINISH "The flash must finish"
#define NOTHING_CHANGED "nothing was changed"
#define CAUTION "From now on, do not switch off"

static const char *cli_path;

typedef RfTestCliJobFixture Fixture;

/* Runs reflash-cli with @args (NULL-terminated) to its end. */
#define run_cli(fixture, ...) rf_test_cli_job_run (fixture, cli_path, __VA_ARGS__)

/* `practice firmware DRIVE` made for the drive's bootcode (or, with
 * @other_model, for another model), in the fixture's folder. */
static char *
make_image (Fixture    *fixture,
            const char *drive,
            const char *name,
            const char *extra)
{
  return rf_test_cli_job_practice_image (fixture, cli_path, drive, name, extra);
}

/* `info DRIVE --json` */
static char *
dup_info (Fixture    *fixture,
          const char *drive)
{
  char *info = NULL;

  g_assert_cmpint (run_cli (fixture, &info, NULL, "info", drive, "--json", NULL), ==, EXIT_OK);
  return info;
}

/* The seed's story (DOMAIN.md "Recovery"): its recovery with the firmware
 * of its bootcode's model; afterwards it works, its stored ID still says
 * K451, and an ND-4551A image is refused as a crossflash. */
static void
test_seed_story (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, SEED, "nd3550.bin", NULL);
  g_autofree char *other = make_image (fixture, SEED, "nd4551.bin", "--other-model");
  g_autofree char *advice = NULL;
  g_autofree char *out = NULL;
  g_autofree char *info = NULL;
  g_autofree char *check = NULL;

  /* Without an image: the firmware to get, in the drive's own words. */
  g_assert_cmpint (run_cli (fixture, &advice, NULL, "recover", SEED, NULL), ==, EXIT_OK);
  rf_test_assert_has (advice, "Flash firmware for the ND-3550A made for bootcode version 05");
  rf_test_assert_has (advice, "No backup of this drive is stored.");

  g_assert_cmpint (run_cli (fixture, &out, NULL, "recover", SEED, image, "--tray-empty",
                            "--accept-untested", "--yes", "--practice-speed", "0", NULL), ==,
                   EXIT_OK);
  rf_test_assert_has (out, "Verdict:   recovery: ");
  rf_test_assert_has (out, "Your ND-3550A now runs firmware 1.06.");
  rf_test_assert_has (out, "still names the ND-4551A");

  info = dup_info (fixture, SEED);
  rf_test_assert_has (info, "\"state\": \"identity-mismatch\"");
  rf_test_assert_has (info, "\"safe_mode\": false");
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
  rf_test_assert_has (info, "\"stored_id\": \"K451\"");

  g_assert_cmpint (run_cli (fixture, &check, NULL, "check", other, "--drive", SEED, NULL), ==,
                   EXIT_REFUSED);
  rf_test_assert_has (check, "Verdict (crossflash)");
}

/* The seed without one of its two extra confirmations and no terminal to ask
 * on: refused with the option to give, and the drive as it was. --yes is
 * only the general question. */
static void
test_seed_needs_confirmation (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, SEED, "nd3550.bin", NULL);
  struct {
    const char *given;
    const char *missing;
  } rows[] = {
    { "--accept-untested", "--tray-empty" },
    { "--tray-empty", "--accept-untested" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autofree char *err = NULL;
      g_autofree char *info = NULL;

      g_assert_cmpint (run_cli (fixture, NULL, &err, "recover", SEED, image, rows[i].given,
                                "--yes", "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
      rf_test_assert_has (err, rows[i].missing);
      rf_test_assert_has (err, "Nothing was changed");
      info = dup_info (fixture, SEED);
      rf_test_assert_has (info, "\"safe_mode\": true");
      rf_test_assert_has (info, "\"revision\": \"0.05\"");
    }
}

/* A healthy drive: backed up first (the backup is listed), then flashed. */
static void
test_healthy (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, HEALTHY, "nd3550.bin", NULL);
  g_autofree char *out = NULL;
  g_autofree char *info = NULL;
  g_autofree char *backups = NULL;
  g_autofree char *no_yes = NULL;

  /* The general question needs --yes without a terminal. */
  g_assert_cmpint (run_cli (fixture, NULL, &no_yes, "flash", HEALTHY, image, "--accept-untested",
                            "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
  rf_test_assert_has (no_yes, "--yes");

  g_assert_cmpint (run_cli (fixture, &out, NULL, "flash", HEALTHY, image, "--accept-untested",
                            "--yes", "--practice-speed", "0", NULL), ==, EXIT_OK);
  rf_test_assert_has (out, "Verdict:   upgrade: ");
  rf_test_assert_has (out, "Your ND-3550A now runs firmware 1.06.");
  rf_test_assert_has (out, "The firmware it ran before is backed up in ");
  info = dup_info (fixture, HEALTHY);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
  rf_test_assert_has (info, "\"state\": \"ready\"");
  g_assert_cmpint (run_cli (fixture, &backups, NULL, "backups", "--json", NULL), ==, EXIT_OK);
  rf_test_assert_has (backups, "\"revision\": \"1.05\"");
  rf_test_assert_has (backups, fixture->store);
}

/* --no-backup says what it risks, and nothing is kept. */
static void
test_no_backup (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, HEALTHY, "nd3550.bin", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (run_cli (fixture, &out, &err, "flash", HEALTHY, image, "--accept-untested",
                            "--no-backup", "--yes", "--practice-speed", "0", NULL), ==, EXIT_OK);
  rf_test_assert_has (err, "No backup is made first");
  rf_test_assert_has (err, "is lost");
  rf_test_assert_has (out, "No backup was made.");
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

/* A downgrade needs its own option; the image of another model is refused by
 * its verdict; recover takes no step back. */
static void
test_refusals (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *older = make_image (fixture, HEALTHY, "old.bin", "--version=1.00");
  g_autofree char *other = make_image (fixture, HEALTHY, "other.bin", "--other-model");
  g_autofree char *err = NULL;
  g_autofree char *refused = NULL;
  g_autofree char *back = NULL;
  g_autofree char *info = NULL;

  g_assert_cmpint (run_cli (fixture, NULL, &err, "flash", HEALTHY, older, "--accept-untested",
                            "--yes", "--practice-speed", "0", NULL), ==, EXIT_NOT_CONFIRMED);
  rf_test_assert_has (err, "--accept-downgrade");
  g_assert_cmpint (run_cli (fixture, NULL, &refused, "flash", HEALTHY, other, "--accept-untested",
                            "--yes", "--practice-speed", "0", NULL), ==, EXIT_REFUSED);
  rf_test_assert_has (refused, "another model");
  g_assert_cmpint (run_cli (fixture, NULL, &back, "recover", HEALTHY, older, "--accept-untested",
                            "--accept-downgrade", "--yes", "--practice-speed", "0", NULL), ==,
                   EXIT_REFUSED);
  rf_test_assert_has (back, "reflash-cli flash");
  info = dup_info (fixture, HEALTHY);
  rf_test_assert_has (info, "\"revision\": \"1.05\"");
  g_assert_false (g_file_test (fixture->store, G_FILE_TEST_EXISTS));
}

/* --json: every line an event, the fraction never goes back, the point of no
 * return said once reached and never taken back, and a `done` at the end. */
static void
test_json (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, HEALTHY, "nd3550.bin", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GPtrArray) events = NULL;
  GHashTable *done;
  double fraction = 0.0;
  gboolean past = FALSE, erase = FALSE, plan = FALSE;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "flash", HEALTHY, image, "--json",
                            "--accept-untested", "--yes", "--practice-speed", "50", NULL), ==,
                   EXIT_OK);
  events = rf_test_parse_events (out);
  for (guint i = 0; i + 1 < events->len; i++)
    {
      GHashTable *event = g_ptr_array_index (events, i);
      const char *name = rf_test_event_name (events, i);

      plan = plan || g_str_equal (name, "plan");
      if (g_str_equal (name, "phase"))
        erase = erase || g_str_equal (rf_test_json_get_string (event, "phase"), "erase");
      if (!g_str_equal (name, "progress"))
        continue;
      g_assert_cmpfloat (rf_test_json_get_number (event, "fraction"), >=, fraction);
      fraction = rf_test_json_get_number (event, "fraction");
      g_assert_false (past && !rf_test_json_get_boolean (event, "point_of_no_return"));
      past = rf_test_json_get_boolean (event, "point_of_no_return");
    }
  g_assert_true (plan);
  g_assert_true (erase);
  g_assert_true (past);
  g_assert_cmpfloat (fraction, ==, 1.0);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "done");
  done = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpstr (rf_test_json_get_string (done, "revision"), ==, "1.06");
  g_assert_cmpstr (rf_test_json_get_string (done, "model"), ==, "ND-3550A");
  g_assert_nonnull (rf_test_json_get_string (done, "backup"));
}

/* Runs reflash-cli with @args (%NULL-terminated), waits for a line of its
 * stdout holding @until, sends it @signals (one each 100 ms) and reads it to
 * its end into @out and @err. */
static int
run_signalled (Fixture    *fixture,
               const char *const *args,
               const char *until,
               const int  *signals,
               gsize       n_signals,
               GString    *out_text,
               GString    *err_text)
{
  g_autoptr(GSubprocess) process = rf_test_cli_spawn (cli_path, fixture->env, args);
  g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  g_autoptr(GDataInputStream) err = g_data_input_stream_new (g_subprocess_get_stderr_pipe (process));

  g_assert_true (rf_test_read_lines_until (out, out_text, until));
  for (gsize i = 0; i < n_signals; i++)
    {
      g_subprocess_send_signal (process, signals[i]);
      g_usleep (100 * G_TIME_SPAN_MILLISECOND);
    }
  rf_test_read_lines_until (out, out_text, NULL);
  rf_test_read_lines_until (err, err_text, NULL);
  return rf_test_wait_exit (process);
}

/* SIGINT before the erase: cancelled, in words, and the drive as found. */
static void
test_cancel_before_erase (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, HEALTHY, "nd3550.bin", NULL);
  const char *args[] = { "flash", HEALTHY, image, "--json", "--accept-untested", "--yes",
                         "--practice-speed", "1", NULL };
  const int sigint[] = { SIGINT };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *info = NULL;

  /* The backup reads for about 20 s at real speed: well before the erase. */
  g_assert_cmpint (run_signalled (fixture, args, "\"phase\": \"backup\"", sigint, 1, out, err),
                   ==, EXIT_CANCELLED);
  rf_test_assert_has (err->str, NOTHING_CHANGED);
  g_assert_null (strstr (out->str, "\"point_of_no_return\": true"));
  events = rf_test_parse_events (out->str);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "error");
  g_assert_cmpstr (rf_test_json_get_string (g_ptr_array_index (events, events->len - 1), "code"),
                   ==, "cancelled");
  info = dup_info (fixture, HEALTHY);
  rf_test_assert_has (info, "\"revision\": \"1.05\"");
  rf_test_assert_has (info, "\"state\": \"ready\"");
}

/* SIGINT, SIGTERM and SIGHUP after the erase began: each answered with "the
 * flash must finish", and the flash ends well. */
static void
test_signal_after_erase (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *image = make_image (fixture, SEED, "nd3550.bin", NULL);
  const char *args[] = { "recover", SEED, image, "--json", "--tray-empty", "--accept-untested",
                         "--yes", "--practice-speed", "10", NULL };
  const int signals[] = { SIGINT, SIGTERM, SIGHUP };
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *info = NULL;

  g_assert_cmpint (run_signalled (fixture, args, "\"point_of_no_return\": true", signals,
                                  G_N_ELEMENTS (signals), out, err), ==, EXIT_OK);
  rf_test_assert_has (err->str, MUST_FINISH);
  rf_test_assert_has (err->str, CAUTION);
  events = rf_test_parse_events (out->str);
  g_assert_cmpstr (rf_test_event_name (events, events->len - 1), ==, "done");
  info = dup_info (fixture, SEED);
  rf_test_assert_has (info, "\"revision\": \"1.06\"");
}

/* Wrong arguments: exit 2, and a missing image 3, before anything is sent. */
static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.bin", NULL);
  g_autofree char *image = make_image (fixture, HEALTHY, "nd3550.bin", NULL);

  g_assert_cmpint (run_cli (fixture, NULL, NULL, "flash", HEALTHY, NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "recover", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "flash", "/dev/sg0", image,
                            "--practice-speed", "0", NULL), ==, EXIT_USAGE);
  g_assert_cmpint (run_cli (fixture, NULL, NULL, "flash", HEALTHY, missing, NULL), ==,
                   EXIT_NOT_FOUND);
}

/* The codes these tests expect are the ones the manual and --help give. */
static void
test_exit_codes_documented (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *help = NULL;
  const RfTestExitWords rows[] = {
    { EXIT_REFUSED, "For \\fBflash\\fR and \\fBrecover\\fR: the verdict refuses the image" },
    { EXIT_CANCELLED, "before the old firmware was erased" },
    { EXIT_NOT_CONFIRMED, "Not confirmed" },
    { EXIT_NEEDS_RECOVERY, "after the old firmware was erased" },
  };

  rf_test_assert_exit_words (rows, G_N_ELEMENTS (rows));
  g_assert_cmpint (run_cli (fixture, &help, NULL, "--help", NULL), ==, EXIT_OK);
  rf_test_assert_has (help, "  7  not confirmed");
  rf_test_assert_has (help, "  8  the flash failed after the old firmware was erased");
  rf_test_assert_has (help, "  flash ");
  rf_test_assert_has (help, "  recover ");
}

/* `recover DRIVE` on a drive that could not be checked: what is known of it,
 * the command to run next, and never "nothing to recover". */
static void
test_recover_not_checked (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (run_cli (fixture, &out, NULL, "recover", "practice:locked-out-3550", NULL), ==,
                   EXIT_OK);
  rf_test_assert_has (out, "Drive:     practice:locked-out-3550 (No access)");
  rf_test_assert_has (out, "Next step: ");
  rf_test_assert_has (out, "sudo reflash-cli info practice:locked-out-3550");
  g_assert_null (strstr (out, "nothing to recover"));
  g_assert_null (strstr (out, "unknown model"));
  g_assert_null (strstr (out, "version -"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/reflash/cli-flash/" path, Fixture, NULL, \
              rf_test_cli_job_fixture_set_up_on_mains, func, \
              rf_test_cli_job_fixture_tear_down)
  ADD ("seed-story", test_seed_story);
  ADD ("seed-needs-confirmation", test_seed_needs_confirmation);
  ADD ("healthy", test_healthy);
  ADD ("recover-not-checked", test_recover_not_checked);
  ADD ("no-backup", test_no_backup);
  ADD ("refusals", test_refusals);
  ADD ("json", test_json);
  ADD ("cancel-before-erase", test_cancel_before_erase);
  ADD ("signal-after-erase", test_signal_after_erase);
  ADD ("usage", test_usage);
  ADD ("exit-codes-documented", test_exit_codes_documented);
#undef ADD
  return g_test_run ();
}
