/* rf-test-json.c
 *
 * RFC 8259 for one object whose values are strings, numbers, true, false or
 * null; anything else (a nested value, a trailing comma, a second document,
 * a line break inside) is an error, so a test that reads an event with it
 * also proves the line is valid JSON on its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-test-json.h"

typedef struct {
  const char *p;
  GError **error;
} Reader;

static gboolean
fail (Reader     *reader,
      const char *what)
{
  g_set_error (reader->error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "%s at “%.20s”", what,
               reader->p);
  return FALSE;
}

/* JSON's whitespace; a line break is one too, but an event line has none. */
static void
skip_space (Reader *reader)
{
  while (*reader->p == ' ' || *reader->p == '\t')
    reader->p++;
}

static gboolean
expect (Reader *reader,
        char    c)
{
  skip_space (reader);
  if (*reader->p != c)
    return fail (reader, "unexpected character");
  reader->p++;
  return TRUE;
}

static gboolean
read_hex4 (Reader   *reader,
           gunichar *out)
{
  *out = 0;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (reader->p[i]);

      if (digit < 0)
        return fail (reader, "bad \\u escape");
      *out = *out * 16 + (gunichar) digit;
    }
  reader->p += 4;
  return TRUE;
}

static gboolean
read_escape (Reader  *reader,
             GString *out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *found = strchr (from, *reader->p);
  gunichar c;

  if (*reader->p != '\0' && *reader->p != 'u' && found != NULL)
    {
      g_string_append_c (out, to[found - from]);
      reader->p++;
      return TRUE;
    }
  if (*reader->p++ != 'u' || !read_hex4 (reader, &c))
    return fail (reader, "bad escape");
  /* Reflash writes \u only for control characters: no surrogate pairs. */
  if (c >= 0xD800 && c <= 0xDFFF)
    return fail (reader, "surrogate escape");
  g_string_append_unichar (out, c);
  return TRUE;
}

static char *
read_string (Reader *reader)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!expect (reader, '"'))
    return NULL;
  while (*reader->p != '"')
    {
      if ((guchar) *reader->p < 0x20)
        {
          fail (reader, "control character or end inside a string");
          return NULL;
        }
      if (*reader->p == '\\')
        {
          reader->p++;
          if (!read_escape (reader, out))
            return NULL;
          continue;
        }
      g_string_append_c (out, *reader->p++);
    }
  reader->p++;
  if (!g_utf8_validate (out->str, (gssize) out->len, NULL))
    {
      fail (reader, "invalid UTF-8");
      return NULL;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
skip_digits (Reader *reader)
{
  const char *start = reader->p;

  while (g_ascii_isdigit (*reader->p))
    reader->p++;
  return reader->p > start;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static gboolean
scan_number (Reader *reader)
{
  if (*reader->p == '-')
    reader->p++;
  if (*reader->p == '0')
    reader->p++;
  else if (!skip_digits (reader))
    return fail (reader, "bad number");
  if (*reader->p == '.')
    {
      reader->p++;
      if (!skip_digits (reader))
        return fail (reader, "bad fraction");
    }
  if (*reader->p != 'e' && *reader->p != 'E')
    return TRUE;
  reader->p++;
  if (*reader->p == '+' || *reader->p == '-')
    reader->p++;
  return skip_digits (reader) || fail (reader, "bad exponent");
}

static GVariant *
read_number (Reader *reader)
{
  const char *start = reader->p;
  g_autofree char *text = NULL;

  if (!scan_number (reader))
    return NULL;
  text = g_strndup (start, (gsize) (reader->p - start));
  return g_variant_ref_sink (g_variant_new_double (g_ascii_strtod (text, NULL)));
}

static gboolean
read_word (Reader     *reader,
           const char *word)
{
  if (!g_str_has_prefix (reader->p, word))
    return fail (reader, "unknown word");
  reader->p += strlen (word);
  return TRUE;
}

/* A value, or NULL in *out for null; nested values are refused. */
static gboolean
read_value (Reader    *reader,
            GVariant **out)
{
  g_autofree char *text = NULL;

  *out = NULL;
  skip_space (reader);
  if (*reader->p == '"')
    {
      if ((text = read_string (reader)) == NULL)
        return FALSE;
      *out = g_variant_ref_sink (g_variant_new_string (text));
      return TRUE;
    }
  if (*reader->p == '-' || g_ascii_isdigit (*reader->p))
    return (*out = read_number (reader)) != NULL;
  if (*reader->p == 't' || *reader->p == 'f')
    {
      gboolean value = *reader->p == 't';

      if (!read_word (reader, value ? "true" : "false"))
        return FALSE;
      *out = g_variant_ref_sink (g_variant_new_boolean (value));
      return TRUE;
    }
  if (*reader->p == 'n')
    return read_word (reader, "null");
  return fail (reader, "not a flat value");
}

static void
value_free (gpointer value)
{
  if (value != NULL)
    g_variant_unref (value);
}

static gboolean
read_member (Reader     *reader,
             GHashTable *object)
{
  g_autofree char *key = NULL;
  GVariant *value = NULL;

  skip_space (reader);
  if ((key = read_string (reader)) == NULL || !expect (reader, ':') ||
      !read_value (reader, &value))
    return FALSE;
  if (g_hash_table_contains (object, key))
    {
      value_free (value);
      return fail (reader, "duplicate key");
    }
  g_hash_table_insert (object, g_steal_pointer (&key), value);
  return TRUE;
}

/**
 * rf_test_json_parse_flat:
 * @text: one object, optionally followed by a single newline
 *
 * Returns: (transfer full) (nullable): key -> #GVariant (string, double or
 *   boolean; %NULL for null)
 */
GHashTable *
rf_test_json_parse_flat (const char  *text,
                         GError     **error)
{
  g_autoptr(GHashTable) object = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                        value_free);
  Reader reader = { text, error };

  if (!expect (&reader, '{'))
    return NULL;
  skip_space (&reader);
  for (gboolean more = *reader.p != '}'; more; )
    {
      if (!read_member (&reader, object))
        return NULL;
      skip_space (&reader);
      more = *reader.p == ',';
      if (more)
        reader.p++;
    }
  if (!expect (&reader, '}'))
    return NULL;
  skip_space (&reader);
  if (*reader.p == '\n')
    reader.p++;
  if (*reader.p != '\0')
    {
      fail (&reader, "text after the object");
      return NULL;
    }
  return g_steal_pointer (&object);
}

gboolean
rf_test_json_is_null (GHashTable *object,
                      const char *key)
{
  g_assert_true (g_hash_table_contains (object, key));
  return g_hash_table_lookup (object, key) == NULL;
}

static GVariant *
get_typed (GHashTable         *object,
           const char         *key,
           const GVariantType *type)
{
  GVariant *value = g_hash_table_lookup (object, key);

  if (value == NULL || !g_variant_is_of_type (value, type))
    g_error ("key “%s” is missing, null or of another type", key);
  return value;
}

const char *
rf_test_json_get_string (GHashTable *object,
                         const char *key)
{
  return g_variant_get_string (get_typed (object, key, G_VARIANT_TYPE_STRING), NULL);
}

double
rf_test_json_get_number (GHashTable *object,
                         const char *key)
{
  return g_variant_get_double (get_typed (object, key, G_VARIANT_TYPE_DOUBLE));
}

gboolean
rf_test_json_get_boolean (GHashTable *object,
                          const char *key)
{
  return g_variant_get_boolean (get_typed (object, key, G_VARIANT_TYPE_BOOLEAN));
}
