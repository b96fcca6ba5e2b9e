/* rf-test-pseudo.c: reading text in the pseudo-language en@pseudo
 *
 * tests/make-pseudo-locale.py makes every message of Reflash's template
 * "[Ŕéçöṽéŕ ţĥé ðŕîṽé ~~~]": no ASCII letter of its own. A text read in that
 * language that still holds one, once the data that may stay is taken out,
 * has a word that escaped translation.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-test-pseudo.h"

/* What may stay as it is: not words of Reflash's but data. Device names and
 * paths, file names, digests and hexadecimal numbers, sizes in GLib's own
 * words (g_format_size), the CLI's codes for scripts in brackets
 * ("(not-an-image)", as in its JSON), a command to type ("reflash-cli
 * recover", "--drive"); and what drives report about
 * themselves, taken from the drive families and practice scenarios
 * (drive_words). */
static const char data_pattern[] =
  "practice:[a-z0-9-]+"
  "|(?:/[\\w.@-]+)+"
  "|[\\w.-]+\\.(?:bin|json|txt)\\b"
  "|\\b0x[0-9A-Fa-f]+\\b"
  "|\\b[0-9a-f]{16,}\\b"
  "|\\b(?=[0-9A-F]*[0-9])[0-9A-F]{4,8}\\b"
  "|\\b(?:bytes|kB|MB|GB)\\b"
  "|\\([a-z0-9-]+\\)"
  "|\\breflash-cli(?: [a-z-]+)?"
  "|(?<![\\w-])--[a-z][a-z0-9-]*";

/* Keys whose values a drive reports (INQUIRY, its flash): never translated. */
static const char *const drive_keys[] = {
  "Vendor", "Product", "BootVendor", "BootProduct", "SafeModeVendor", "SafeModeProduct",
  "RidVendor", "RidModel", "RidCode", "BootcodeKey", "StoredId", "Aliases", "Serial",
};

static void
add_drive_words_of_file (GHashTable *words,
                         const char *path)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_auto(GStrv) groups = NULL;

  g_assert_true (g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL));
  groups = g_key_file_get_groups (file, NULL);
  for (guint g = 0; groups[g] != NULL; g++)
    {
      /* [Model K355]: the drive ID. */
      if (g_str_has_prefix (groups[g], "Model "))
        g_hash_table_add (words, g_strdup (groups[g] + strlen ("Model ")));
      for (gsize k = 0; k < G_N_ELEMENTS (drive_keys); k++)
        {
          g_autofree char *value = g_key_file_get_string (file, groups[g], drive_keys[k], NULL);
          g_auto(GStrv) split = NULL;

          if (value == NULL)
            continue;
          split = g_strsplit_set (value, " ;", -1);
          for (guint i = 0; split[i] != NULL; i++)
            if (*split[i] != '\0')
              g_hash_table_add (words, g_strdup (split[i]));
        }
    }
}

/* The words of what drives report, as alternatives for a regex. */
static char *
drive_words (void)
{
  g_autoptr(GHashTable) words = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GString) pattern = g_string_new (NULL);
  const char *folders[] = { "drives", "practice" };
  GHashTableIter iter;
  const char *word;

  for (gsize f = 0; f < G_N_ELEMENTS (folders); f++)
    {
      g_autofree char *folder = g_build_filename (g_getenv ("REFLASH_DATA_DIR"), folders[f], NULL);
      g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_suffix (name, ".conf"))
          {
            g_autofree char *path = g_build_filename (folder, name, NULL);

            add_drive_words_of_file (words, path);
          }
    }
  g_hash_table_iter_init (&iter, words);
  while (g_hash_table_iter_next (&iter, (gpointer *) &word, NULL))
    {
      g_autofree char *escaped = g_regex_escape_string (word, -1);

      g_string_append_printf (pattern, "%s%s", pattern->len > 0 ? "|" : "", escaped);
    }
  return g_string_free (g_steal_pointer (&pattern), FALSE);
}

/**
 * rf_test_pseudo_allowed_new:
 *
 * Returns: (transfer full): what may stay as it is in a text, data rather
 *   than words: take it out with g_regex_replace()
 */
GRegex *
rf_test_pseudo_allowed_new (void)
{
  g_autofree char *words = drive_words ();
  g_autofree char *pattern = g_strdup_printf ("%s|(?<![\\w-])(?:%s)(?![\\w-])", data_pattern,
                                              words);
  g_autoptr(GError) error = NULL;
  GRegex *regex = g_regex_new (pattern, G_REGEX_OPTIMIZE, 0, &error);

  g_assert_no_error (error);
  return regex;
}

/* Whether @text holds a word that escaped translation: an ASCII letter
 * outside the data @allowed. The pseudo-language has none of its own. */
gboolean
rf_test_pseudo_is_english (GRegex     *allowed,
                           const char *text)
{
  g_autofree char *rest = g_regex_replace (allowed, text, -1, 0, "", 0, NULL);

  for (const char *p = rest; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      return TRUE;
  return FALSE;
}

/**
 * rf_test_pseudo_environ:
 * @env: (transfer full): an environment
 *
 * The made-up language as PLATFORM.md §4 says glibc takes it: a UTF-8 C
 * locale, LANGUAGE, and neither LC_ALL nor LC_MESSAGES; the catalogue from
 * @locale_dir.
 *
 * Returns: (transfer full): @env changed
 */
char **
rf_test_pseudo_environ (char       **env,
                        const char  *locale_dir)
{
  env = g_environ_unsetenv (env, "LC_ALL");
  env = g_environ_unsetenv (env, "LC_MESSAGES");
  env = g_environ_setenv (env, "LANG", "C.UTF-8", TRUE);
  env = g_environ_setenv (env, "LANGUAGE", RF_TEST_PSEUDO_LANGUAGE, TRUE);
  return g_environ_setenv (env, "REFLASH_LOCALEDIR", locale_dir, TRUE);
}
