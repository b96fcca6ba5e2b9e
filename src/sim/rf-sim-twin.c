/* rf-sim-twin.c: a practice drive made from a real drive's deep check
 *
 * A twin is a scenario in the user's data folder (never the installed data):
 * the real drive's identity and state as its deep check found them, and for a
 * drive with firmware its main area from a verified backup. The bootcode and
 * settings areas are never read from a drive, so a twin's are the family's
 * made-up ones, with the real bootcode's key and version. Making a twin sends
 * nothing to any drive: it only writes files.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-paths.h"
#include "rf-sim-drive.h"
#include "rf-sim-scenario.h"
#include "rf-sim-twin.h"

#define NAME_MAX_CHARS 80

static gboolean
has_length (const char *text,
            gsize       length)
{
  return text != NULL && strlen (text) == length;
}

/* What a twin needs from the check: the NEC family's identity fields, and
 * for a drive with firmware a backup image (the main area and its trailer,
 * rf_nec_image_from_main()). */
static gboolean
check_identity (const RfDriveIdentity *identity,
                GBytes                *main_area,
                GError               **error)
{
  if (g_strcmp0 (identity->family, "nec-2m") != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "twins are made of NEC drives only (this drive's family: %s)",
                   identity->family != NULL ? identity->family : "none");
      return FALSE;
    }
  if (!has_length (identity->bootcode_key, 4) || rf_nec_type_from_id (identity->bootcode_key) == NULL ||
      !has_length (identity->bootcode_version, 2) || !has_length (identity->stored_id, 4))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                           "the check did not find the bootcode's key and version and the stored ID");
      return FALSE;
    }
  if (identity->safe_mode)
    return TRUE;
  if (main_area == NULL ||
      (g_bytes_get_size (main_area) != RF_NEC_IMAGE_SIZE &&
       g_bytes_get_size (main_area) != RF_NEC_IMAGE_SIZE_VERSIONED) ||
      !has_length (identity->revision, 4) || identity->revision[0] == '0')
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                           "a drive that runs firmware needs a verified backup of it for its twin");
      return FALSE;
    }
  return TRUE;
}

/* "twin-k355-20261204-103000", or with "-2" and on when that exists. */
static char *
new_id (const RfDriveIdentity *identity,
        const char            *dir)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *key = g_ascii_strdown (identity->bootcode_key, -1);
  g_autofree char *base = g_strdup_printf ("twin-%s-%s", key, stamp);

  for (guint n = 1;; n++)
    {
      g_autofree char *id = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);
      g_autofree char *file = g_strconcat (id, ".conf", NULL);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&id);
    }
}

static char *
default_name (const char *twin_of)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%-d %b");
  /* Translators: a practice drive copied from a real one; "ND-3550A on
   * /dev/sg2, made 4 Dec" */
  g_autofree char *name = g_strdup_printf (_("Twin of %s, made %s"), twin_of, g_strstrip (day));

  if (g_utf8_strlen (name, -1) > NAME_MAX_CHARS)
    {
      char *cut = g_utf8_substring (name, 0, NAME_MAX_CHARS - 1);

      g_free (name);
      name = g_strconcat (cut, "…", NULL);
      g_free (cut);
    }
  return g_steal_pointer (&name);
}

static void
set_if (GKeyFile   *keyfile,
        const char *group,
        const char *key,
        const char *value)
{
  if (value != NULL && *value != '\0')
    g_key_file_set_string (keyfile, group, key, value);
}

/* "2005-06-15", as the check shows it, in the feature's own form: the time
 * of day was never kept, and the check reads the date only. */
static char *
feature_date (const char *date)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = date; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  if (digits->len != 8)
    {
      g_string_free (digits, TRUE);
      return NULL;
    }
  g_string_append (digits, "000000");
  return g_string_free (digits, FALSE);
}

static GKeyFile *
twin_scenario (const RfDriveIdentity *identity,
               const char            *id,
               const char            *twin_of,
               const char            *name)
{
  GKeyFile *keyfile = g_key_file_new ();
  g_autofree char *vendor = g_strchomp (g_strdup (identity->vendor != NULL ? identity->vendor : ""));
  g_autofree char *product = g_strchomp (g_strdup (identity->product != NULL ? identity->product
                                                                             : ""));
  g_autofree char *main_file = g_strconcat (id, ".main", NULL);
  g_autofree char *date = feature_date (identity->firmware_date);

  g_key_file_set_string (keyfile, "Scenario", "Name", name);
  g_key_file_set_string (keyfile, "Scenario", "Description",
                         _("A practice copy of a real drive: the same identity, state and "
                           "firmware, to rehearse on before the real one. Its bootcode and "
                           "settings are made up by Reflash, with the real bootcode's key and "
                           "version."));
  g_key_file_set_string (keyfile, "Scenario", "Protocol", "nec-2m");
  g_key_file_set_string (keyfile, "Scenario", "TwinOf", twin_of);
  set_if (keyfile, "Scenario", "Serial", identity->serial);
  g_key_file_set_string (keyfile, "NEC", "BootcodeKey", identity->bootcode_key);
  g_key_file_set_string (keyfile, "NEC", "BootcodeVersion", identity->bootcode_version);
  g_key_file_set_string (keyfile, "NEC", "StoredId", identity->stored_id);
  set_if (keyfile, "NEC", "RidCode", identity->rid_code);
  if (identity->safe_mode)
    {
      /* In safe mode INQUIRY shows the bootcode's own strings. */
      set_if (keyfile, "NEC", "SafeModeVendor", vendor);
      set_if (keyfile, "NEC", "SafeModeProduct", product);
      g_key_file_set_string (keyfile, "NEC", "Firmware", "erased");
      return keyfile;
    }
  g_key_file_set_string (keyfile, "NEC", "Firmware", "copied");
  g_key_file_set_string (keyfile, "NEC", "FirmwareFile", main_file);
  g_key_file_set_string (keyfile, "NEC", "FirmwareRevision", identity->revision);
  set_if (keyfile, "NEC", "FirmwareDate", date);
  return keyfile;
}

static gboolean
write_file (const char  *path,
            const void  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(GError) local_error = NULL;

  if (g_file_set_contents_full (path, data, (gssize) length,
                                G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600,
                                &local_error))
    return TRUE;
  rf_error_convert (&local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/**
 * rf_sim_twin_make:
 * @identity: the real drive's, from a deep check that ended `ready`,
 *   `safe-mode` or `identity-mismatch` (the caller checks the state)
 * @main_area: (nullable): for a drive that runs firmware, the image of this
 *   run's verified backup: its main area is the twin's
 * @twin_of: the real drive as people know it ("ND-3550A on /dev/sg2")
 * @name: (nullable): the twin's name; %NULL for "Twin of @twin_of, made 4 Dec"
 *
 * Writes the twin's scenario (and its firmware) to the user's data folder.
 * The main area is written before the scenario that names it, so a twin
 * that can be listed is whole.
 *
 * Returns: (transfer full): the new practice drive's id, or %NULL with
 *   %RF_ERROR_NOT_SUPPORTED (a drive a twin cannot be made of) or a file error
 */
char *
rf_sim_twin_make (const RfDriveIdentity *identity,
                  GBytes                *main_area,
                  const char            *twin_of,
                  const char            *name,
                  GError               **error)
{
  g_autofree char *dir = rf_sim_scenario_get_user_dir ();
  g_autofree char *id = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *main_path = NULL;
  g_autofree char *own_name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(RfSimScenario) check = NULL;
  gsize length;

  g_return_val_if_fail (identity != NULL, NULL);
  g_return_val_if_fail (twin_of != NULL, NULL);

  if (!check_identity (identity, main_area, error))
    return NULL;
  if (name != NULL && (g_utf8_strlen (name, -1) < 1 || g_utf8_strlen (name, -1) > NAME_MAX_CHARS))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "a twin's name has 1 to %d characters",
                   NAME_MAX_CHARS);
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      rf_error_set_from_errno (error, errno, dir);
      return NULL;
    }
  id = new_id (identity, dir);
  if (name == NULL)
    name = own_name = default_name (twin_of);
  keyfile = twin_scenario (identity, id, twin_of, name);
  data = g_key_file_to_data (keyfile, &length, NULL);
  text = g_strconcat ("# A twin of a real drive, made by Reflash (data/practice/README.md).\n",
                      data, NULL);
  conf_path = g_strdup_printf ("%s/%s.conf", dir, id);
  main_path = g_strdup_printf ("%s/%s.main", dir, id);
  if ((!identity->safe_mode &&
       !write_file (main_path, g_bytes_get_data (main_area, NULL), RF_NEC_MAIN_SIZE, error)) ||
      !write_file (conf_path, text, strlen (text), error))
    return NULL;
  /* Written by us, read by the same rules as any scenario. */
  check = rf_sim_scenario_load_file (conf_path, error);
  if (check == NULL)
    {
      g_unlink (conf_path);
      g_unlink (main_path);
      return NULL;
    }
  return g_steal_pointer (&id);
}

/**
 * rf_sim_twin_delete:
 * @id: a twin's id
 *
 * Deletes the twin: its saved state, then its scenario and firmware. Only a
 * twin: a shipped practice drive is refused with %RF_ERROR_NOT_SUPPORTED.
 */
gboolean
rf_sim_twin_delete (const char  *id,
                    GError     **error)
{
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load (id, error);
  g_autoptr(RfSimDrive) drive = NULL;
  g_autofree char *firmware = NULL;

  if (scenario == NULL)
    return FALSE;
  if (!rf_sim_scenario_is_twin (scenario))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "practice:%s is no twin: only twins can be deleted", id);
      return FALSE;
    }
  drive = rf_sim_drive_open (id, NULL, NULL);
  if (drive != NULL && !rf_sim_drive_reset (drive, error))
    return FALSE;
  firmware = rf_sim_scenario_dup_firmware_path (scenario);
  if (g_unlink (scenario->path) != 0 && errno != ENOENT)
    {
      rf_error_set_from_errno (error, errno, scenario->path);
      return FALSE;
    }
  if (firmware != NULL)
    g_unlink (firmware);
  return TRUE;
}
