/* rf-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "rf-test-util.h"

/* Removes a test's temporary folder and everything in it; links are removed,
 * never followed. */
void
rf_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rf_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* How many names the folder @path holds (none when it cannot be read). */
guint
rf_test_count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Writes @bytes to @dir/@name and returns the path (free it). */
char *
rf_test_write_file (const char *dir,
                    const char *name,
                    GBytes     *bytes)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

/**
 * rf_test_make_node:
 * @mode: the file type and permissions (S_IFCHR | 0644)
 *
 * Makes up a device node, for the checks a node passes before any driver is
 * asked; opening one finds no device behind it.
 *
 * Returns: (nullable): the path (free it), or %NULL without CAP_MKNOD
 */
char *
rf_test_make_node (const char *dir,
                   const char *name,
                   guint       mode,
                   guint       major_number,
                   guint       minor_number)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  if (mknod (path, mode, makedev (major_number, minor_number)) != 0)
    {
      g_assert_cmpint (errno, ==, EPERM);
      return NULL;
    }
  /* The umask must not take away what the test gives others. */
  g_assert_cmpint (g_chmod (path, mode & 07777), ==, 0);
  return g_steal_pointer (&path);
}

/* Runs @argv as nobody (RF_TEST_AS_NOBODY), checks that it exited with 0 and
 * returns what it printed (free it). */
char *
rf_test_run_as_nobody (const char * const *argv)
{
  const char *drop[] = { RF_TEST_AS_NOBODY, NULL };
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) full = NULL;
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = -1;

  g_strv_builder_addv (builder, drop);
  g_strv_builder_addv (builder, (const char **) argv);
  full = g_strv_builder_end (builder);
  g_spawn_sync (NULL, full, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}
