/* rf-test-json-tree.c: JSON text to GVariant, refusing anything RFC 8259 refuses
 *
 * Objects become a{sv}, arrays av, strings s, integers x, other numbers d,
 * true and false b, null an empty mv.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-test-json-tree.h"

#define MAX_DEPTH 64

typedef struct {
  const char *p;
  const char *end;
  guint depth;
  GError **error;
} Reader;

static GVariant *read_value (Reader *reader);

static gboolean
fail (Reader     *reader,
      const char *what)
{
  if (*reader->error == NULL)
    g_set_error (reader->error, G_MARKUP_ERROR, G_MARKUP_ERROR_PARSE, "%s at “%.20s”", what,
                 reader->p);
  return FALSE;
}

static void
skip_space (Reader *reader)
{
  while (reader->p < reader->end && strchr (" \t\n\r", *reader->p) != NULL && *reader->p != '\0')
    reader->p++;
}

static gboolean
take (Reader *reader,
      char    c)
{
  skip_space (reader);
  if (reader->p < reader->end && *reader->p == c)
    {
      reader->p++;
      return TRUE;
    }
  return FALSE;
}

static gboolean
read_hex4 (Reader   *reader,
           gunichar *value)
{
  *value = 0;
  for (int i = 0; i < 4; i++, reader->p++)
    {
      if (reader->p >= reader->end || !g_ascii_isxdigit (*reader->p))
        return fail (reader, "bad \\u escape");
      *value = *value * 16 + (gunichar) g_ascii_xdigit_value (*reader->p);
    }
  return TRUE;
}

static gboolean
read_unicode_escape (Reader  *reader,
                     GString *out)
{
  gunichar c;
  gunichar low;

  if (!read_hex4 (reader, &c))
    return FALSE;
  if (c >= 0xDC00 && c <= 0xDFFF)
    return fail (reader, "lone low surrogate");
  if (c >= 0xD800 && c <= 0xDBFF)
    {
      if (reader->end - reader->p < 2 || reader->p[0] != '\\' || reader->p[1] != 'u')
        return fail (reader, "lone high surrogate");
      reader->p += 2;
      if (!read_hex4 (reader, &low) || low < 0xDC00 || low > 0xDFFF)
        return fail (reader, "bad surrogate pair");
      c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
    }
  g_string_append_unichar (out, c);
  return TRUE;
}

static gboolean
read_escape (Reader  *reader,
             GString *out)
{
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *found;

  if (reader->p >= reader->end)
    return fail (reader, "cut-off escape");
  if (*reader->p == 'u')
    {
      reader->p++;
      return read_unicode_escape (reader, out);
    }
  found = *reader->p != '\0' ? strchr (from, *reader->p) : NULL;
  if (found == NULL)
    return fail (reader, "bad escape");
  g_string_append_c (out, to[found - from]);
  reader->p++;
  return TRUE;
}

static char *
read_string (Reader *reader)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (!take (reader, '"'))
    return fail (reader, "expected a string"), NULL;
  while (reader->p < reader->end && *reader->p != '"')
    {
      guchar c = (guchar) *reader->p++;

      if (c < 0x20)
        return fail (reader, "control character in a string"), NULL;
      if (c != '\\')
        g_string_append_c (out, (char) c);
      else if (!read_escape (reader, out))
        return NULL;
    }
  if (reader->p >= reader->end)
    return fail (reader, "unterminated string"), NULL;
  reader->p++;
  if (!g_utf8_validate_len (out->str, out->len, NULL))
    return fail (reader, "invalid UTF-8"), NULL;
  return g_strndup (out->str, out->len);
}

static gsize
count_digits (const char *p,
              const char *end)
{
  gsize n = 0;

  while (p + n < end && g_ascii_isdigit (p[n]))
    n++;
  return n;
}

static GVariant *
read_number (Reader *reader)
{
  const char *start = reader->p;
  gboolean integer = TRUE;
  g_autofree char *text = NULL;
  gsize n;

  if (reader->p < reader->end && *reader->p == '-')
    reader->p++;
  n = count_digits (reader->p, reader->end);
  if (n == 0 || (n > 1 && *reader->p == '0'))
    return fail (reader, "bad number"), NULL;
  reader->p += n;
  if (reader->p < reader->end && *reader->p == '.')
    {
      integer = FALSE;
      n = count_digits (++reader->p, reader->end);
      if (n == 0)
        return fail (reader, "bad fraction"), NULL;
      reader->p += n;
    }
  if (reader->p < reader->end && (*reader->p == 'e' || *reader->p == 'E'))
    {
      integer = FALSE;
      reader->p++;
      if (reader->p < reader->end && (*reader->p == '+' || *reader->p == '-'))
        reader->p++;
      n = count_digits (reader->p, reader->end);
      if (n == 0)
        return fail (reader, "bad exponent"), NULL;
      reader->p += n;
    }
  text = g_strndup (start, (gsize) (reader->p - start));
  if (integer)
    return g_variant_new_int64 (g_ascii_strtoll (text, NULL, 10));
  return g_variant_new_double (g_ascii_strtod (text, NULL));
}

static GVariant *
read_object (Reader *reader)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);

  if (take (reader, '}'))
    return g_variant_builder_end (&builder);
  do
    {
      g_autofree char *key = read_string (reader);
      GVariant *value;

      if (key == NULL)
        return NULL;
      if (g_hash_table_contains (seen, key))
        return fail (reader, "duplicate key"), NULL;
      if (!take (reader, ':'))
        return fail (reader, "expected “:”"), NULL;
      value = read_value (reader);
      if (value == NULL)
        return NULL;
      g_variant_builder_add (&builder, "{sv}", key, value);
      g_hash_table_add (seen, g_steal_pointer (&key));
    }
  while (take (reader, ','));
  if (!take (reader, '}'))
    return fail (reader, "expected “,” or “}”"), NULL;
  return g_variant_builder_end (&builder);
}

static GVariant *
read_array (Reader *reader)
{
  g_auto(GVariantBuilder) builder = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("av"));

  if (take (reader, ']'))
    return g_variant_builder_end (&builder);
  do
    {
      GVariant *value = read_value (reader);

      if (value == NULL)
        return NULL;
      g_variant_builder_add (&builder, "v", value);
    }
  while (take (reader, ','));
  if (!take (reader, ']'))
    return fail (reader, "expected “,” or “]”"), NULL;
  return g_variant_builder_end (&builder);
}

static gboolean
take_word (Reader     *reader,
           const char *word)
{
  gsize length = strlen (word);

  if ((gsize) (reader->end - reader->p) < length || strncmp (reader->p, word, length) != 0)
    return FALSE;
  reader->p += length;
  return TRUE;
}

static GVariant *
read_nested (Reader *reader,
             GVariant *(*read) (Reader *reader))
{
  GVariant *value;

  if (++reader->depth > MAX_DEPTH)
    return fail (reader, "nested too deep"), NULL;
  value = read (reader);
  reader->depth--;
  return value;
}

static GVariant *
read_value (Reader *reader)
{
  char *text;

  skip_space (reader);
  if (reader->p >= reader->end)
    return fail (reader, "expected a value"), NULL;
  if (take (reader, '{'))
    return read_nested (reader, read_object);
  if (take (reader, '['))
    return read_nested (reader, read_array);
  if (*reader->p == '"')
    return (text = read_string (reader)) != NULL ? g_variant_new_take_string (text) : NULL;
  if (take_word (reader, "true"))
    return g_variant_new_boolean (TRUE);
  if (take_word (reader, "false"))
    return g_variant_new_boolean (FALSE);
  if (take_word (reader, "null"))
    return g_variant_new_maybe (G_VARIANT_TYPE_VARIANT, NULL);
  return read_number (reader);
}

/**
 * rf_test_json_tree_parse:
 * @length: bytes of @text; -1 for a nul-terminated string
 *
 * Returns: (transfer full) (nullable): the document, or %NULL and @error
 */
GVariant *
rf_test_json_tree_parse (const char *text,
                         gsize       length,
                         GError    **error)
{
  Reader reader = { text, text + length, 0, error };
  g_autoptr(GVariant) value = NULL;

  if (length == (gsize) -1)
    reader.end = text + strlen (text);
  value = read_value (&reader);
  if (value == NULL)
    return NULL;
  skip_space (&reader);
  if (reader.p != reader.end)
    return fail (&reader, "text after the document"), NULL;
  return g_variant_ref_sink (g_steal_pointer (&value));
}

/* Reads @path and parses it; fails the test unless it is valid JSON. */
GVariant *
rf_test_json_tree_parse_file (const char *path)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GVariant *document;
  gsize length = 0;

  g_file_get_contents (path, &text, &length, &error);
  g_assert_no_error (error);
  document = rf_test_json_tree_parse (text, length, &error);
  if (document == NULL)
    g_error ("%s is not JSON: %s\n%s", path, error->message, text);
  return document;
}

/* Returns: (transfer full) (nullable): the value of @key in the object, or %NULL */
GVariant *
rf_test_json_tree_member (GVariant   *object,
                          const char *key)
{
  g_return_val_if_fail (g_variant_is_of_type (object, G_VARIANT_TYPE_VARDICT), NULL);
  return g_variant_lookup_value (object, key, NULL);
}

/* Returns: (transfer full) (nullable): the string @key holds; fails the test
 * if it holds something else or is missing (null gives %NULL) */
char *
rf_test_json_tree_dup_string (GVariant   *object,
                              const char *key)
{
  g_autoptr(GVariant) value = rf_test_json_tree_member (object, key);

  if (value == NULL)
    g_error ("no key “%s”", key);
  if (rf_test_json_tree_is_null (value))
    return NULL;
  g_assert_true (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING));
  return g_variant_dup_string (value, NULL);
}

gboolean
rf_test_json_tree_is_null (GVariant *value)
{
  g_autoptr(GVariant) inner = NULL;

  if (!g_variant_is_of_type (value, G_VARIANT_TYPE_MAYBE))
    return FALSE;
  inner = g_variant_get_maybe (value);
  return inner == NULL;
}
