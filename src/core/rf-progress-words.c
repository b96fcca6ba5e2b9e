/* rf-progress-words.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-progress-words.h"

#define SECONDS_PER_MINUTE 60
#define SECONDS_PER_HOUR 3600
/* Absorbs binary rounding: 0.29 * 100 is 28.999999999999996. */
#define PERCENT_EPSILON 1e-9
/* Below this many minutes left, time left is said in minutes ("About 90 minutes left"). */
#define MINUTES_BEFORE_HOURS 120

/* Translators: the step a drive is at, shown above or before its progress. */
static const char * const phase_titles[RF_PHASE_LAST] = {
  [RF_PHASE_PREFLIGHT] = N_("Checking the drive"),
  [RF_PHASE_BACKUP] = N_("Backing up the firmware"),
  [RF_PHASE_ENTER_SAFE_MODE] = N_("Switching the drive to safe mode"),
  [RF_PHASE_UPLOAD] = N_("Sending the new firmware to the drive"),
  [RF_PHASE_CHECKSUM] = N_("Checking what the drive received"),
  [RF_PHASE_ERASE] = N_("Erasing the old firmware"),
  [RF_PHASE_PROGRAM] = N_("Writing the new firmware"),
  [RF_PHASE_RESTART] = N_("Restarting the drive"),
  [RF_PHASE_VERIFY] = N_("Confirming the new firmware"),
  [RF_PHASE_ACTIVATE] = N_("Switching to the new firmware"),
  [RF_PHASE_SETTLE] = N_("Waiting for the drive to get ready"),
};

typedef struct {
  const char *nick;
  const char *sentence;
} RfLedText;

/* The nicks of [LedHints] in data/drives/ (rf-drive-db.c). */
static const RfLedText led_texts[] = {
  { "off", N_("The drive's light is off now. That is normal.") },
  { "steady", N_("The drive's light stays on now. That is normal.") },
  { "short-blinks", N_("The drive's light blinks briefly now and then. That is normal.") },
  { "blinking", N_("The drive's light blinks now. That is normal.") },
  { "blinking-fast", N_("The drive's light blinks fast now. That is normal.") },
};

/**
 * rf_phase_to_title:
 *
 * Returns: (transfer none): a short, translated title for @phase
 */
const char *
rf_phase_to_title (RfPhase phase)
{
  g_return_val_if_fail (phase < RF_PHASE_LAST, NULL);
  return _(phase_titles[phase]);
}

/**
 * rf_led_hint_to_sentence:
 * @led_hint: a nick of [LedHints] ("off", "blinking", ...)
 *
 * Returns: (transfer none) (nullable): what the owner sees on the drive's front
 *   panel and that it is normal; %NULL for a nick Reflash does not know
 */
const char *
rf_led_hint_to_sentence (const char *led_hint)
{
  g_return_val_if_fail (led_hint != NULL, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (led_texts); i++)
    if (g_str_equal (led_texts[i].nick, led_hint))
      return _(led_texts[i].sentence);
  return NULL;
}

/**
 * rf_progress_format_percent:
 * @fraction: 0.0 to 1.0
 *
 * Rounds down, so a job shows 100% only once it is done.
 *
 * Returns: (transfer full): "42%" as the language writes it
 */
char *
rf_progress_format_percent (double fraction)
{
  guint percent = (guint) (CLAMP (fraction, 0.0, 1.0) * 100.0 + PERCENT_EPSILON);

  if (fraction < 1.0)
    percent = MIN (percent, 99);

  /* Translators: how much of a job is done, e.g. "42%". */
  return g_strdup_printf (_("%u%%"), percent);
}

static char *
format_minutes_left (guint minutes)
{
  /* Translators: time left of a flash, in whole minutes */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %u minute left",
                                       "About %u minutes left", minutes),
                          minutes);
}

static char *
format_hours_left (guint hours)
{
  /* Translators: time left of a flash, in whole hours */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "About %u hour left",
                                       "About %u hours left", hours),
                          hours);
}

/**
 * rf_progress_format_time_left:
 * @time_left_us: the snapshot's time left, -1 while unknown
 *
 * Under a minute says so without a figure; minutes are rounded to the nearest,
 * up to two hours, then hours.
 *
 * Returns: (transfer full) (nullable): "About 3 minutes left"; %NULL while the
 *   time left is unknown, never a made-up figure
 */
char *
rf_progress_format_time_left (gint64 time_left_us)
{
  gint64 seconds;
  guint minutes;

  if (time_left_us < 0)
    return NULL;
  seconds = time_left_us / G_USEC_PER_SEC;
  if (seconds < SECONDS_PER_MINUTE)
    return g_strdup (_("Less than a minute left"));
  minutes = (guint) ((seconds + SECONDS_PER_MINUTE / 2) / SECONDS_PER_MINUTE);
  if (minutes < MINUTES_BEFORE_HOURS)
    return format_minutes_left (minutes);
  return format_hours_left ((guint) ((seconds + SECONDS_PER_HOUR / 2) / SECONDS_PER_HOUR));
}

/* "Still working — this normally takes up to N minutes.", N rounded up. */
static char *
dup_still_working (gint64 expected_us)
{
  guint seconds;
  guint minutes;

  if (expected_us <= 0)
    return g_strdup (_("Still working. Please wait."));
  seconds = (guint) ((expected_us + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  minutes = (seconds + SECONDS_PER_MINUTE - 1) / SECONDS_PER_MINUTE;
  if (seconds < SECONDS_PER_MINUTE)
    return g_strdup_printf (
        /* Translators: how long this step normally takes at most, in seconds */
        g_dngettext (GETTEXT_PACKAGE, "Still working — this normally takes up to %u second.",
                     "Still working — this normally takes up to %u seconds.", seconds),
        seconds);
  return g_strdup_printf (
      /* Translators: how long this step normally takes at most, in minutes */
      g_dngettext (GETTEXT_PACKAGE, "Still working — this normally takes up to %u minute.",
                   "Still working — this normally takes up to %u minutes.", minutes),
      minutes);
}

static char *
dup_taking_longer (gboolean point_of_no_return)
{
  if (point_of_no_return)
    return g_strdup (_("This is taking longer than usual. Keep waiting: switching off the "
                       "computer or the drive now could leave the drive unusable."));
  return g_strdup (_("This is taking longer than usual. Please wait, and do not switch off "
                     "the computer or the drive."));
}

/**
 * rf_progress_dup_silence_sentence:
 *
 * Calm words for a command that runs longer than expected, firmer once the
 * firmware is being replaced.
 *
 * Returns: (transfer full) (nullable): %NULL while nothing overran
 */
char *
rf_progress_dup_silence_sentence (const RfProgressSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  switch (snapshot->silence)
    {
    case RF_PROGRESS_SILENCE_LONG:
      return dup_still_working (snapshot->silence_expected_us);
    case RF_PROGRESS_SILENCE_VERY_LONG:
      return dup_taking_longer (snapshot->point_of_no_return);
    case RF_PROGRESS_SILENCE_NONE:
    default:
      return NULL;
    }
}

/**
 * rf_progress_get_caution:
 *
 * The warning that stays visible from the point of no return until the job
 * finished (DOMAIN.md: that point is never named to users).
 *
 * Returns: (transfer none) (nullable): %NULL while switching off does no harm
 */
const char *
rf_progress_get_caution (const RfProgressSnapshot *snapshot)
{
  g_return_val_if_fail (snapshot != NULL, NULL);

  if (!snapshot->point_of_no_return || snapshot->finished)
    return NULL;
  return _("From now on, do not switch off or disconnect the computer or the drive.");
}

/**
 * rf_progress_dup_short_line:
 *
 * Returns: (transfer full): the step, the percent done and, once known and
 *   while the job runs, the time left: "Erasing the old firmware — 40% — About
 *   1 minute left"
 */
char *
rf_progress_dup_short_line (const RfProgressSnapshot *snapshot)
{
  g_autofree char *percent = NULL;
  g_autofree char *time_left = NULL;
  const char *title;

  g_return_val_if_fail (snapshot != NULL, NULL);

  title = rf_phase_to_title (snapshot->phase);
  percent = rf_progress_format_percent (snapshot->finished ? 1.0 : snapshot->fraction);
  if (!snapshot->finished)
    time_left = rf_progress_format_time_left (snapshot->time_left_us);
  if (time_left == NULL)
    /* Translators: a progress line: the step and the percent done,
     * e.g. "Erasing the old firmware — 40%". */
    return g_strdup_printf (_("%s — %s"), title, percent);
  /* Translators: a progress line: the step, the percent done and the time left,
   * e.g. "Erasing the old firmware — 40% — About 1 minute left". */
  return g_strdup_printf (_("%s — %s — %s"), title, percent, time_left);
}

/**
 * rf_progress_dup_status_line:
 *
 * For a one-line terminal display.
 *
 * Returns: (transfer full): the short line followed by what the drive's light
 *   does now, when Reflash knows the hint
 */
char *
rf_progress_dup_status_line (const RfProgressSnapshot *snapshot)
{
  g_autofree char *line = NULL;
  const char *led;

  g_return_val_if_fail (snapshot != NULL, NULL);

  line = rf_progress_dup_short_line (snapshot);
  led = snapshot->led_hint != NULL ? rf_led_hint_to_sentence (snapshot->led_hint) : NULL;
  if (led == NULL)
    return g_steal_pointer (&line);
  /* Translators: a progress line, then what the drive's light does, e.g.
   * "Erasing the old firmware — 40%. The drive's light blinks fast now. That is normal." */
  return g_strdup_printf (_("%s. %s"), line, led);
}
