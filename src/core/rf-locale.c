/* rf-locale.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "rf-locale.h"

/**
 * rf_locale_get_dir:
 *
 * The folder of Reflash's message catalogues: `$REFLASH_LOCALEDIR` when set
 * (tests, and runs from the build tree, which has no installed catalogues),
 * else the installed LOCALEDIR.
 */
const char *
rf_locale_get_dir (void)
{
  const char *env = g_getenv (RF_LOCALEDIR_ENV);

  return env != NULL && *env != '\0' ? env : LOCALEDIR;
}

/**
 * rf_locale_init:
 *
 * Takes the locale from the environment and binds Reflash's catalogue
 * (rf_locale_get_dir()), in UTF-8 whatever the locale's charset. For the
 * wizard and the CLI only: the privileged helper binds LOCALEDIR itself,
 * because a root process must not read its words from a folder that the
 * user's environment names.
 */
void
rf_locale_init (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, rf_locale_get_dir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
