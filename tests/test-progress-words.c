/* test-progress-words.c: the words the wizard and reflash-cli show for a job's
 * progress. Tests run untranslated, so they compare what an English reader sees.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-drive-db.h"
#include "rf-progress-words.h"

#define SECOND ((gint64) G_USEC_PER_SEC)
#define MINUTE (60 * SECOND)
#define HOUR (60 * MINUTE)

static RfProgressSnapshot
running_snapshot (void)
{
  RfProgressSnapshot snapshot = {
    .phase = RF_PHASE_PROGRAM,
    .phase_index = 6,
    .n_phases = 9,
    .fraction = 0.42,
    .time_left_us = -1,
    .led_hint = "blinking",
  };

  return snapshot;
}

static void
assert_contains (const char *text,
                 const char *part)
{
  if (strstr (text, part) == NULL)
    g_test_fail_printf ("expected \"%s\" in \"%s\"", part, text);
}

static void
assert_lacks (const char *text,
              const char *part)
{
  if (strstr (text, part) != NULL)
    g_test_fail_printf ("did not expect \"%s\" in \"%s\"", part, text);
}

/* Every step has its own words, never the internal nick. */
static void
test_phase_titles (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (RfPhase phase = 0; phase < RF_PHASE_LAST; phase++)
    {
      const char *title = rf_phase_to_title (phase);

      g_assert_nonnull (title);
      g_assert_cmpstr (title, !=, "");
      g_assert_cmpstr (title, !=, rf_phase_to_nick (phase));
      g_assert_false (g_hash_table_contains (seen, title));
      g_hash_table_add (seen, (gpointer) title);
    }
  g_assert_cmpstr (rf_phase_to_title (RF_PHASE_BACKUP), ==, "Backing up the firmware");
  g_assert_cmpstr (rf_phase_to_title (RF_PHASE_ENTER_SAFE_MODE), ==,
                   "Switching the drive to safe mode");
}

/* Whatever a family file says the light does, the owner is told in words. */
static void
test_led_hints_from_data (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  GPtrArray *families;
  guint n_checked = 0;

  g_assert_no_error (error);
  families = rf_drive_db_get_families (db);
  for (guint i = 0; i < families->len; i++)
    {
      RfDriveFamily *family = g_ptr_array_index (families, i);
      GHashTableIter iter;
      gpointer hint;

      g_hash_table_iter_init (&iter, family->led_hints);
      while (g_hash_table_iter_next (&iter, NULL, &hint))
        {
          const char *sentence = rf_led_hint_to_sentence (hint);

          if (sentence == NULL)
            {
              g_test_fail_printf ("family %s: no sentence for the light \"%s\"", family->id,
                                  (const char *) hint);
              continue;
            }
          assert_contains (sentence, "light");
          assert_contains (sentence, "normal");
          n_checked++;
        }
    }
  g_assert_cmpuint (n_checked, >, 0);
}

static void
test_led_hint_words (void)
{
  g_assert_cmpstr (rf_led_hint_to_sentence ("off"), ==,
                   "The drive's light is off now. That is normal.");
  g_assert_cmpstr (rf_led_hint_to_sentence ("blinking-fast"), ==,
                   "The drive's light blinks fast now. That is normal.");
  g_assert_cmpstr (rf_led_hint_to_sentence ("blinking"), !=,
                   rf_led_hint_to_sentence ("blinking-fast"));
  g_assert_null (rf_led_hint_to_sentence ("disco"));
  g_assert_null (rf_led_hint_to_sentence (""));
}

typedef struct {
  const char *name;
  gint64 time_left_us;
  const char *expected; /* NULL: no figure at all */
} TimeLeftCase;

static const TimeLeftCase time_left_cases[] = {
  { "unknown", -1, NULL },
  { "0s", 0, "Less than a minute left" },
  { "30s", 30 * SECOND, "Less than a minute left" },
  { "59s", 59 * SECOND, "Less than a minute left" },
  { "61s", 61 * SECOND, "About 1 minute left" },
  { "90s", 90 * SECOND, "About 2 minutes left" },
  { "10min", 10 * MINUTE, "About 10 minutes left" },
  { "100min", 100 * MINUTE, "About 100 minutes left" },
  { "2h", 2 * HOUR, "About 2 hours left" },
};

static void
test_time_left (gconstpointer data)
{
  const TimeLeftCase *c = data;
  g_autofree char *words = rf_progress_format_time_left (c->time_left_us);

  g_assert_cmpstr (words, ==, c->expected);
}

/* Rounded down: never 100% before the end, and no 28% for 0.29. */
static void
test_percent (void)
{
  struct {
    double fraction;
    const char *expected;
  } cases[] = {
    { 0.0, "0%" }, { 0.29, "29%" }, { 0.425, "42%" }, { 0.9999, "99%" }, { 1.0, "100%" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = rf_progress_format_percent (cases[i].fraction);

      g_assert_cmpstr (words, ==, cases[i].expected);
    }
}

static char *
silence_words (RfProgressSilence silence,
               gint64            expected_us,
               gboolean          point_of_no_return)
{
  RfProgressSnapshot snapshot = running_snapshot ();

  snapshot.silence = silence;
  snapshot.silence_expected_us = expected_us;
  snapshot.point_of_no_return = point_of_no_return;
  return rf_progress_dup_silence_sentence (&snapshot);
}

static void
test_silence_none (void)
{
  g_autofree char *words = silence_words (RF_PROGRESS_SILENCE_NONE, 120 * SECOND, TRUE);

  g_assert_null (words);
}

/* The expected time, rounded up, in minutes, or in seconds under a minute. */
static void
test_silence_long (void)
{
  g_autofree char *two = silence_words (RF_PROGRESS_SILENCE_LONG, 120 * SECOND, FALSE);
  g_autofree char *three = silence_words (RF_PROGRESS_SILENCE_LONG, 121 * SECOND, FALSE);
  g_autofree char *one = silence_words (RF_PROGRESS_SILENCE_LONG, 60 * SECOND, FALSE);
  g_autofree char *seconds = silence_words (RF_PROGRESS_SILENCE_LONG, 45 * SECOND, FALSE);

  g_assert_cmpstr (two, ==, "Still working — this normally takes up to 2 minutes.");
  assert_contains (three, "up to 3 minutes.");
  assert_contains (one, "up to 1 minute.");
  assert_contains (seconds, "up to 45 seconds.");
  assert_lacks (seconds, "minute");
}

/* Always "do not switch off"; once the firmware is being replaced, also why. */
static void
test_silence_very_long (void)
{
  g_autofree char *before = silence_words (RF_PROGRESS_SILENCE_VERY_LONG, 60 * SECOND, FALSE);
  g_autofree char *after = silence_words (RF_PROGRESS_SILENCE_VERY_LONG, 60 * SECOND, TRUE);

  g_assert_cmpstr (before, !=, after);
  assert_contains (before, "longer than usual");
  assert_contains (before, "do not switch off");
  assert_contains (after, "longer than usual");
  assert_contains (after, "switching off");
  assert_contains (after, "leave the drive unusable");
  assert_lacks (before, "unusable");
  assert_lacks (after, "point of no return");
}

static void
test_caution (void)
{
  RfProgressSnapshot snapshot = running_snapshot ();

  g_assert_null (rf_progress_get_caution (&snapshot));
  snapshot.point_of_no_return = TRUE;
  g_assert_cmpstr (rf_progress_get_caution (&snapshot), ==,
                   "From now on, do not switch off or disconnect the computer or the drive.");
  snapshot.finished = TRUE;
  g_assert_null (rf_progress_get_caution (&snapshot));
}

/* No time left until the estimator has one. */
static void
test_line_without_time_left (void)
{
  RfProgressSnapshot snapshot = running_snapshot ();
  g_autofree char *short_line = rf_progress_dup_short_line (&snapshot);
  g_autofree char *status = rf_progress_dup_status_line (&snapshot);

  g_assert_cmpstr (short_line, ==, "Writing the new firmware — 42%");
  assert_contains (status, "Writing the new firmware — 42%");
  assert_lacks (status, "left");
  assert_lacks (status, "minute");
}

static void
test_line_with_time_left (void)
{
  RfProgressSnapshot snapshot = running_snapshot ();
  g_autofree char *short_line = NULL;
  g_autofree char *status = NULL;

  snapshot.time_left_us = 3 * MINUTE;
  short_line = rf_progress_dup_short_line (&snapshot);
  status = rf_progress_dup_status_line (&snapshot);
  g_assert_cmpstr (short_line, ==, "Writing the new firmware — 42% — About 3 minutes left");
  g_assert_cmpstr (status, ==,
                   "Writing the new firmware — 42% — About 3 minutes left. "
                   "The drive's light blinks now. That is normal.");
}

/* The light is said in the status line only; an unknown hint says nothing. */
static void
test_line_light (void)
{
  RfProgressSnapshot snapshot = running_snapshot ();
  g_autofree char *short_line = rf_progress_dup_short_line (&snapshot);
  g_autofree char *status = NULL;

  assert_lacks (short_line, "light");
  snapshot.led_hint = "disco";
  status = rf_progress_dup_status_line (&snapshot);
  g_assert_cmpstr (status, ==, short_line);
}

/* A finished job shows 100% and no time left. */
static void
test_line_finished (void)
{
  RfProgressSnapshot snapshot = running_snapshot ();
  g_autofree char *short_line = NULL;

  snapshot.fraction = 1.0;
  snapshot.time_left_us = 0;
  snapshot.finished = TRUE;
  short_line = rf_progress_dup_short_line (&snapshot);
  g_assert_cmpstr (short_line, ==, "Writing the new firmware — 100%");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/progress-words/phase-titles", test_phase_titles);
  g_test_add_func ("/reflash/progress-words/led-hints-from-data", test_led_hints_from_data);
  g_test_add_func ("/reflash/progress-words/led-hint-words", test_led_hint_words);
  for (gsize i = 0; i < G_N_ELEMENTS (time_left_cases); i++)
    {
      g_autofree char *path =
          g_strdup_printf ("/reflash/progress-words/time-left/%s", time_left_cases[i].name);

      g_test_add_data_func (path, &time_left_cases[i], test_time_left);
    }
  g_test_add_func ("/reflash/progress-words/percent", test_percent);
  g_test_add_func ("/reflash/progress-words/silence/none", test_silence_none);
  g_test_add_func ("/reflash/progress-words/silence/long", test_silence_long);
  g_test_add_func ("/reflash/progress-words/silence/very-long", test_silence_very_long);
  g_test_add_func ("/reflash/progress-words/caution", test_caution);
  g_test_add_func ("/reflash/progress-words/line/without-time-left", test_line_without_time_left);
  g_test_add_func ("/reflash/progress-words/line/with-time-left", test_line_with_time_left);
  g_test_add_func ("/reflash/progress-words/line/light", test_line_light);
  g_test_add_func ("/reflash/progress-words/line/finished", test_line_finished);

  return g_test_run ();
}
