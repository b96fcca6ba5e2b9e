/* rf-cli-progress.c: a job's progress as reflash-cli shows it
 *
 * The words are core's (rf-progress-words.h), shared with the wizard; this
 * file only decides when to say them and how they reach the terminal. The
 * caller feeds snapshots at most 10 times a second; each style keeps what it
 * said last so that it repeats nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <sys/ioctl.h>

#include "rf-cli-progress.h"

/* Where the terminal's width cannot be asked (a serial console). */
#define FALLBACK_COLUMNS 80
#define STEPS 10
/* Absorbs binary rounding, as rf_progress_format_percent() does. */
#define STEP_EPSILON 1e-9

struct _RfCliProgress
{
  RfCliProgressStyle style;
  FILE *out;

  /* TERMINAL */
  char *shown;              /* the text on screen, NULL when none */
  guint shown_rows;         /* rows it wrapped into below its first */

  /* LINES and JSON: what was said last */
  int phase_index;          /* -1 before the first phase */
  guint step;               /* LINES: whole tenths */
  RfProgressSilence silence;
  gboolean caution_said;
  gboolean progress_said;   /* JSON: the fields below hold the last event */
  double fraction;
  gint64 time_left_s;
  gboolean point_of_no_return;
};

/**
 * rf_cli_progress_new:
 * @out: where progress goes (stdout): it must stay open while @self lives
 *
 * Returns: (transfer full): a printer that has said nothing yet
 */
RfCliProgress *
rf_cli_progress_new (RfCliProgressStyle  style,
                     FILE               *out)
{
  RfCliProgress *self = g_new0 (RfCliProgress, 1);

  self->style = style;
  self->out = out;
  self->phase_index = -1;
  return self;
}

void
rf_cli_progress_free (RfCliProgress *self)
{
  if (self == NULL)
    return;
  rf_cli_progress_clear (self);
  g_free (self);
}

RfCliProgressStyle
rf_cli_progress_get_style (RfCliProgress *self)
{
  g_return_val_if_fail (self != NULL, RF_CLI_PROGRESS_LINES);
  return self->style;
}

/* Words */

/* The status line, and whatever else must be read now: the caution once the
 * drive must not be switched off, and calm words for a long silence. */
static char *
dup_terminal_text (const RfProgressSnapshot *snapshot)
{
  g_autofree char *line = rf_progress_dup_status_line (snapshot);
  g_autofree char *silence = rf_progress_dup_silence_sentence (snapshot);
  const char *caution = rf_progress_get_caution (snapshot);
  char *text = g_steal_pointer (&line);

  if (caution != NULL)
    {
      g_autofree char *before = text;

      /* Translators: one sentence after another on the progress line, e.g.
       * "… That is normal." and "From now on, do not switch off …". */
      text = g_strdup_printf (_("%s %s"), before, caution);
    }
  if (silence != NULL)
    {
      g_autofree char *before = text;

      text = g_strdup_printf (_("%s %s"), before, silence);
    }
  return text;
}

/* TERMINAL: one line, redrawn in place. A line longer than the terminal is
 * wide wraps, so the redraw goes back up the rows it took before clearing. */

static guint
text_columns (const char *text)
{
  guint columns = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_iszerowidth (c))
        columns += g_unichar_iswide (c) ? 2 : 1;
    }
  return columns;
}

static guint
terminal_columns (FILE *out)
{
  struct winsize size = { 0 };

  if (ioctl (fileno (out), TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return FALLBACK_COLUMNS;
}

static void
erase_shown (RfCliProgress *self)
{
  if (self->shown == NULL)
    return;
  fputs ("\r", self->out);
  if (self->shown_rows > 0)
    fprintf (self->out, "\033[%uA", self->shown_rows);
  fputs ("\033[J", self->out);
  g_clear_pointer (&self->shown, g_free);
  self->shown_rows = 0;
}

static void
show_terminal (RfCliProgress            *self,
               const RfProgressSnapshot *snapshot)
{
  g_autofree char *text = dup_terminal_text (snapshot);
  guint columns = text_columns (text);

  if (g_strcmp0 (text, self->shown) == 0)
    return;
  erase_shown (self);
  fputs (text, self->out);
  fflush (self->out);
  self->shown_rows = columns > 0 ? (columns - 1) / terminal_columns (self->out) : 0;
  self->shown = g_steal_pointer (&text);
}

/* LINES: nothing is ever redrawn, so only what is new is said. */

static guint
whole_steps (const RfProgressSnapshot *snapshot)
{
  double fraction = snapshot->finished ? 1.0 : snapshot->fraction;

  return (guint) (CLAMP (fraction, 0.0, 1.0) * STEPS + STEP_EPSILON);
}

static void
say_line (RfCliProgress *self,
          const char    *line)
{
  fprintf (self->out, "%s\n", line);
  fflush (self->out);
}

static void
show_lines (RfCliProgress            *self,
            const RfProgressSnapshot *snapshot)
{
  guint step = whole_steps (snapshot);
  const char *caution = rf_progress_get_caution (snapshot);

  if (snapshot->phase_index < 0)
    return;
  if (snapshot->phase_index != self->phase_index || step > self->step)
    {
      g_autofree char *line = rf_progress_dup_status_line (snapshot);

      say_line (self, line);
    }
  if (caution != NULL && !self->caution_said)
    say_line (self, caution);
  if (snapshot->silence > self->silence)
    {
      g_autofree char *sentence = rf_progress_dup_silence_sentence (snapshot);

      say_line (self, sentence);
    }
  self->caution_said = self->caution_said || caution != NULL;
  self->silence = snapshot->silence;
  self->phase_index = snapshot->phase_index;
  self->step = MAX (self->step, step);
}

/* JSON: events, each object on a line of its own */

/**
 * rf_cli_event_begin:
 * @event: the event's name, the value of its key "event"
 *
 * Returns: (transfer full): a one-line writer with the event's object open;
 *   add members, then hand it to rf_cli_event_end()
 */
RfJsonWriter *
rf_cli_event_begin (const char *event)
{
  RfJsonWriter *json = rf_json_writer_new_compact ();

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "event", event);
  return json;
}

/**
 * rf_cli_event_end:
 * @json: (transfer full): from rf_cli_event_begin()
 *
 * Closes the event and prints it at once: a script reads each as it happens.
 */
void
rf_cli_event_end (RfJsonWriter *json,
                  FILE         *out)
{
  g_autofree char *text = NULL;

  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  g_object_unref (json);
  fputs (text, out);
  fflush (out);
}

static gint64
time_left_seconds (const RfProgressSnapshot *snapshot)
{
  if (snapshot->time_left_us < 0)
    return -1;
  return (snapshot->time_left_us + G_USEC_PER_SEC / 2) / G_USEC_PER_SEC;
}

static void
say_phase (RfCliProgress            *self,
           const RfProgressSnapshot *snapshot)
{
  RfJsonWriter *json = rf_cli_event_begin ("phase");

  rf_json_writer_member_string (json, "phase", rf_phase_to_nick (snapshot->phase));
  rf_json_writer_member_string (json, "title", rf_phase_to_title (snapshot->phase));
  rf_json_writer_member_string (json, "led_hint", snapshot->led_hint);
  rf_cli_event_end (json, self->out);
}

static void
say_progress (RfCliProgress            *self,
              const RfProgressSnapshot *snapshot)
{
  RfJsonWriter *json = rf_cli_event_begin ("progress");
  gint64 time_left = time_left_seconds (snapshot);

  rf_json_writer_member_double (json, "fraction", snapshot->fraction);
  rf_json_writer_member_int (json, "silence", snapshot->silence);
  rf_json_writer_key (json, "time_left");
  if (time_left >= 0)
    rf_json_writer_int (json, time_left);
  else
    rf_json_writer_null (json);
  rf_json_writer_member_boolean (json, "point_of_no_return", snapshot->point_of_no_return);
  rf_cli_event_end (json, self->out);
}

static void
show_json (RfCliProgress            *self,
           const RfProgressSnapshot *snapshot)
{
  gboolean new_phase = snapshot->phase_index != self->phase_index;

  if (snapshot->phase_index < 0)
    return;
  if (new_phase)
    say_phase (self, snapshot);
  if (new_phase || !self->progress_said || snapshot->fraction != self->fraction ||
      snapshot->silence != self->silence || time_left_seconds (snapshot) != self->time_left_s ||
      snapshot->point_of_no_return != self->point_of_no_return)
    say_progress (self, snapshot);
  self->phase_index = snapshot->phase_index;
  self->progress_said = TRUE;
  self->fraction = snapshot->fraction;
  self->silence = snapshot->silence;
  self->time_left_s = time_left_seconds (snapshot);
  self->point_of_no_return = snapshot->point_of_no_return;
}

/**
 * rf_cli_progress_show:
 * @snapshot: the progress now; call at most 10 times a second
 */
void
rf_cli_progress_show (RfCliProgress            *self,
                      const RfProgressSnapshot *snapshot)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (snapshot != NULL);

  switch (self->style)
    {
    case RF_CLI_PROGRESS_TERMINAL:
      show_terminal (self, snapshot);
      break;
    case RF_CLI_PROGRESS_LINES:
      show_lines (self, snapshot);
      break;
    case RF_CLI_PROGRESS_JSON:
      show_json (self, snapshot);
      break;
    default:
      g_assert_not_reached ();
    }
}

/**
 * rf_cli_progress_clear:
 *
 * Takes the terminal's progress line away, so that what is printed next (a
 * result, an error on stderr) starts on a clean line. The other styles have
 * nothing to take back.
 */
void
rf_cli_progress_clear (RfCliProgress *self)
{
  g_return_if_fail (self != NULL);

  erase_shown (self);
  fflush (self->out);
}
