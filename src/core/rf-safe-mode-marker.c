/* rf-safe-mode-marker.c: one small key file per drive in the state folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rf-error.h"
#include "rf-paths.h"
#include "rf-safe-mode-marker.h"

#define GROUP "Marker"

static char *
marker_path (const RfSafeModeMarkerKey *key)
{
  g_autofree char *dir = rf_paths_get_state_dir ("safe-mode");
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key->port, -1);
  g_autofree char *name = g_strdup_printf ("%.16s.marker", digest);

  return g_build_filename (dir, name, NULL);
}

/**
 * rf_safe_mode_marker_get_boot_id:
 *
 * Returns: (transfer full): the kernel's boot ID, or "" when it cannot be read
 */
char *
rf_safe_mode_marker_get_boot_id (void)
{
  g_autofree char *text = NULL;

  if (!g_file_get_contents ("/proc/sys/kernel/random/boot_id", &text, NULL, NULL))
    return g_strdup ("");
  return g_strdup (g_strstrip (text));
}

static gboolean
key_is_valid (const RfSafeModeMarkerKey *key)
{
  return key != NULL && key->port != NULL && key->vendor != NULL && key->product != NULL;
}

/**
 * rf_safe_mode_marker_set:
 *
 * Written before a deep check sends SAFE MODE enter to a drive in normal
 * mode, and cleared once the drive is seen in normal mode again.
 */
gboolean
rf_safe_mode_marker_set (const RfSafeModeMarkerKey *key,
                         GError                   **error)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *boot_id = rf_safe_mode_marker_get_boot_id ();
  g_autofree char *data = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize length;

  g_return_val_if_fail (key_is_valid (key), FALSE);

  path = marker_path (key);
  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      rf_error_set_from_errno (error, errno, dir);
      return FALSE;
    }
  g_key_file_set_string (file, GROUP, "Port", key->port);
  g_key_file_set_string (file, GROUP, "Vendor", key->vendor);
  g_key_file_set_string (file, GROUP, "Product", key->product);
  g_key_file_set_string (file, GROUP, "BootId", boot_id);
  g_key_file_set_int64 (file, GROUP, "Time", g_get_real_time () / G_USEC_PER_SEC);
  data = g_key_file_to_data (file, &length, NULL);
  if (!g_file_set_contents_full (path, data, (gssize) length, G_FILE_SET_CONTENTS_CONSISTENT,
                                 0600, &local_error))
    {
      rf_error_convert (&local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
same_string (GKeyFile   *file,
             const char *name,
             const char *expected)
{
  g_autofree char *value = g_key_file_get_string (file, GROUP, name, NULL);

  return g_strcmp0 (value, expected) == 0;
}

/**
 * rf_safe_mode_marker_find:
 * @same_boot: (out) (optional): whether the marker was written since the
 *   computer last started
 *
 * Returns: %TRUE when Reflash may have left this drive in safe mode
 */
gboolean
rf_safe_mode_marker_find (const RfSafeModeMarkerKey *key,
                          gboolean                  *same_boot)
{
  g_autoptr(GKeyFile) file = g_key_file_new ();
  g_autofree char *path = NULL;
  g_autofree char *stored_boot = NULL;
  g_autofree char *boot_id = NULL;

  g_return_val_if_fail (key_is_valid (key), FALSE);

  path = marker_path (key);
  if (!g_key_file_load_from_file (file, path, G_KEY_FILE_NONE, NULL))
    return FALSE;
  /* The name is a digest of the port: the content must name this very drive.
   * The product is not compared: in safe mode a drive may show its
   * bootcode's model rather than the firmware's (nec-2m.md §6). */
  if (!same_string (file, "Port", key->port) || !same_string (file, "Vendor", key->vendor))
    return FALSE;
  stored_boot = g_key_file_get_string (file, GROUP, "BootId", NULL);
  boot_id = rf_safe_mode_marker_get_boot_id ();
  if (same_boot != NULL)
    *same_boot = g_strcmp0 (stored_boot, boot_id) == 0;
  return TRUE;
}

void
rf_safe_mode_marker_clear (const RfSafeModeMarkerKey *key)
{
  g_autofree char *path = NULL;

  g_return_if_fail (key_is_valid (key));

  path = marker_path (key);
  if (g_unlink (path) != 0 && errno != ENOENT)
    g_debug ("could not remove %s: %s", path, g_strerror (errno));
}
