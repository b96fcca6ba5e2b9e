/* rf-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-paths.h"

/**
 * rf_paths_get_data_dir:
 *
 * The folder holding `drives/` and `practice/`. `REFLASH_DATA_DIR` wins (tests
 * use it); then the installed PKGDATADIR; an uninstalled build falls back to the
 * source tree's `data/`, so `build-aux/demo` runs without installing.
 */
const char *
rf_paths_get_data_dir (void)
{
  static char *data_dir;

  if (g_once_init_enter (&data_dir))
    {
      const char *env = g_getenv ("REFLASH_DATA_DIR");
      g_autofree char *installed_drives = g_build_filename (PKGDATADIR, "drives", NULL);
      char *dir;

      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else if (g_file_test (installed_drives, G_FILE_TEST_IS_DIR))
        dir = g_strdup (PKGDATADIR);
      else
        dir = g_strdup (SOURCE_DATADIR);
      g_once_init_leave (&data_dir, dir);
    }
  return data_dir;
}

/* e.g. "drives" -> /usr/share/reflash/drives */
char *
rf_paths_get_data_subdir (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return g_build_filename (rf_paths_get_data_dir (), name, NULL);
}

/* $XDG_STATE_HOME/reflash/NAME: journals, practice drives */
char *
rf_paths_get_state_dir (const char *name)
{
  return g_build_filename (g_get_user_state_dir (), "reflash", name, NULL);
}

/* $XDG_DATA_HOME/reflash/NAME: backups */
char *
rf_paths_get_user_data_dir (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "reflash", name, NULL);
}
