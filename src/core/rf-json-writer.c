/* rf-json-writer.c: writes pretty-printed JSON, two spaces per level, or one
 * document per line for a stream of events (JSON Lines).
 *
 * The CLI's JSON keys are a stable interface; this writer only guarantees valid
 * syntax and escaping. A NULL string is written as null.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <float.h>
#include <math.h>
#include <string.h>

#include "rf-json-writer.h"

/* Six decimals are enough for a fraction of a job or a rate; plain decimals,
 * never an exponent a reader has to expect. */
#define DOUBLE_FORMAT "%.6f"

struct _RfJsonWriter
{
  GObject parent_instance;

  GString *out;
  /* One entry per open container: how many values it holds so far. */
  GArray *counts;
  gboolean after_key;
  gboolean compact; /* the whole document on one line */
};

G_DEFINE_FINAL_TYPE (RfJsonWriter, rf_json_writer, G_TYPE_OBJECT)

static void
rf_json_writer_finalize (GObject *object)
{
  RfJsonWriter *self = RF_JSON_WRITER (object);

  g_string_free (self->out, TRUE);
  g_array_unref (self->counts);
  G_OBJECT_CLASS (rf_json_writer_parent_class)->finalize (object);
}

static void
rf_json_writer_class_init (RfJsonWriterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_json_writer_finalize;
}

static void
rf_json_writer_init (RfJsonWriter *self)
{
  self->out = g_string_new (NULL);
  self->counts = g_array_new (FALSE, TRUE, sizeof (guint));
}

RfJsonWriter *
rf_json_writer_new (void)
{
  return g_object_new (RF_TYPE_JSON_WRITER, NULL);
}

static void
newline_indent (RfJsonWriter *self)
{
  g_string_append_c (self->out, '\n');
  for (guint i = 0; i < self->counts->len; i++)
    g_string_append (self->out, "  ");
}

/**
 * rf_json_writer_new_compact:
 *
 * For a stream of events, one document per line: no line breaks inside the
 * document, only the one rf_json_writer_finish() ends it with.
 *
 * Returns: (transfer full): a writer of one-line documents
 */
RfJsonWriter *
rf_json_writer_new_compact (void)
{
  RfJsonWriter *self = rf_json_writer_new ();

  self->compact = TRUE;
  return self;
}

/* Separator and indentation before any value or key. */
static void
before_value (RfJsonWriter *self)
{
  guint *count;

  if (self->after_key)
    {
      self->after_key = FALSE;
      return;
    }
  if (self->counts->len == 0)
    return;
  count = &g_array_index (self->counts, guint, self->counts->len - 1);
  if (*count > 0)
    g_string_append (self->out, self->compact ? ", " : ",");
  (*count)++;
  if (!self->compact)
    newline_indent (self);
}

static void
append_escaped (GString    *out,
                const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static void
open_container (RfJsonWriter *self,
                char          bracket)
{
  guint zero = 0;

  before_value (self);
  g_string_append_c (self->out, bracket);
  g_array_append_val (self->counts, zero);
}

static void
close_container (RfJsonWriter *self,
                 char          bracket)
{
  guint count;

  g_return_if_fail (self->counts->len > 0);
  count = g_array_index (self->counts, guint, self->counts->len - 1);
  g_array_set_size (self->counts, self->counts->len - 1);
  if (count > 0 && !self->compact)
    newline_indent (self);
  g_string_append_c (self->out, bracket);
}

void
rf_json_writer_begin_object (RfJsonWriter *self)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  open_container (self, '{');
}

void
rf_json_writer_end_object (RfJsonWriter *self)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  close_container (self, '}');
}

void
rf_json_writer_begin_array (RfJsonWriter *self)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  open_container (self, '[');
}

void
rf_json_writer_end_array (RfJsonWriter *self)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  close_container (self, ']');
}

void
rf_json_writer_key (RfJsonWriter *self,
                    const char   *key)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  g_return_if_fail (key != NULL);

  before_value (self);
  append_escaped (self->out, key);
  g_string_append (self->out, ": ");
  self->after_key = TRUE;
}

void
rf_json_writer_string (RfJsonWriter *self,
                       const char   *value)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));

  if (value == NULL)
    {
      rf_json_writer_null (self);
      return;
    }
  before_value (self);
  if (g_utf8_validate (value, -1, NULL))
    {
      append_escaped (self->out, value);
    }
  else
    {
      /* Drive strings are ASCII by standard; anything else is shown, not trusted. */
      g_autofree char *valid = g_utf8_make_valid (value, -1);
      append_escaped (self->out, valid);
    }
}

void
rf_json_writer_int (RfJsonWriter *self,
                    gint64        value)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  before_value (self);
  g_string_append_printf (self->out, "%" G_GINT64_FORMAT, value);
}

/* "0.250000" is written "0.25", "1.000000" is "1": DOUBLE_FORMAT always
 * writes a decimal point, so only zeros after it go. */
static const char *
format_double (char   *text,
               gsize   size,
               double  value)
{
  gsize end;

  g_ascii_formatd (text, (int) size, DOUBLE_FORMAT, value);
  end = strlen (text);
  while (end > 0 && text[end - 1] == '0')
    text[--end] = '\0';
  if (end > 0 && text[end - 1] == '.')
    text[--end] = '\0';
  return text;
}

/**
 * rf_json_writer_double:
 *
 * Written the same in every locale; JSON has no NaN or infinity, so those are
 * written as null.
 */
void
rf_json_writer_double (RfJsonWriter *self,
                       double        value)
{
  /* Room for every digit of the largest double in DOUBLE_FORMAT. */
  char text[DBL_MAX_10_EXP + 16];

  g_return_if_fail (RF_IS_JSON_WRITER (self));

  if (!isfinite (value))
    {
      rf_json_writer_null (self);
      return;
    }
  before_value (self);
  g_string_append (self->out, format_double (text, sizeof text, value));
}

void
rf_json_writer_boolean (RfJsonWriter *self,
                        gboolean      value)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  before_value (self);
  g_string_append (self->out, value ? "true" : "false");
}

void
rf_json_writer_null (RfJsonWriter *self)
{
  g_return_if_fail (RF_IS_JSON_WRITER (self));
  before_value (self);
  g_string_append (self->out, "null");
}

void
rf_json_writer_member_string (RfJsonWriter *self,
                              const char   *key,
                              const char   *value)
{
  rf_json_writer_key (self, key);
  rf_json_writer_string (self, value);
}

void
rf_json_writer_member_int (RfJsonWriter *self,
                           const char   *key,
                           gint64        value)
{
  rf_json_writer_key (self, key);
  rf_json_writer_int (self, value);
}

void
rf_json_writer_member_double (RfJsonWriter *self,
                              const char   *key,
                              double        value)
{
  rf_json_writer_key (self, key);
  rf_json_writer_double (self, value);
}

void
rf_json_writer_member_boolean (RfJsonWriter *self,
                               const char   *key,
                               gboolean      value)
{
  rf_json_writer_key (self, key);
  rf_json_writer_boolean (self, value);
}

/**
 * rf_json_writer_finish:
 *
 * Returns: (transfer full): the document with a final newline
 */
char *
rf_json_writer_finish (RfJsonWriter *self)
{
  g_return_val_if_fail (RF_IS_JSON_WRITER (self), NULL);
  g_return_val_if_fail (self->counts->len == 0, NULL);

  g_string_append_c (self->out, '\n');
  return g_strdup (self->out->str);
}
