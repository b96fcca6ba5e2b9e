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

#include "rf-drive-db.h"
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

static gboolean
not_supported (GError    **error,
               const char *why)
{
  g_set_error_literal (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, why);
  return FALSE;
}

/* What an NEC twin needs from the check: the bootcode's key and version and
 * the stored ID, and for a drive with firmware a backup image (the main
 * area and its trailer, rf_nec_image_from_main()). */
static gboolean
check_nec (const RfDriveIdentity *identity,
           GBytes                *backup,
           GError               **error)
{
  if (!has_length (identity->bootcode_key, 4) || rf_nec_type_from_id (identity->bootcode_key) == NULL ||
      !has_length (identity->bootcode_version, 2) || !has_length (identity->stored_id, 4))
    return not_supported (error,
                          "the check did not find the bootcode's key and version and the stored ID");
  if (identity->safe_mode)
    return TRUE;
  if (backup == NULL ||
      (g_bytes_get_size (backup) != RF_NEC_IMAGE_SIZE &&
       g_bytes_get_size (backup) != RF_NEC_IMAGE_SIZE_VERSIONED) ||
      !has_length (identity->revision, 4) || identity->revision[0] == '0')
    return not_supported (error, "a drive that runs firmware needs a verified backup of it for "
                                 "its twin");
  return TRUE;
}

/* What an SPC twin needs: where the family's images carry their model and
 * revision (the practice drive checks both), and for a drive with firmware
 * the backup of its microcode. */
static gboolean
check_spc (const RfDriveIdentity *identity,
           const RfDriveFamily   *family,
           GBytes                *backup,
           GError               **error)
{
  const RfSpcDownload *download = &family->download;

  if (!download->has_model_check || !download->has_revision_offset)
    return not_supported (error, "the family data does not say where its images carry their "
                                 "model and revision");
  if (!has_length (identity->revision, 4))
    return not_supported (error, "the check found no revision of four characters");
  if (identity->safe_mode)
    return TRUE;
  if (backup == NULL || g_bytes_get_size (backup) < download->model_check_offset + 16 ||
      g_bytes_get_size (backup) < download->revision_offset + 4)
    return not_supported (error, "a drive that runs firmware needs a verified backup of it for "
                                 "its twin");
  return TRUE;
}

static gboolean
check_identity (const RfDriveIdentity *identity,
                const RfDriveFamily   *family,
                GBytes                *backup,
                GError               **error)
{
  if (family == NULL || g_strcmp0 (identity->family, family->id) != 0)
    return not_supported (error, "the check found no drive family");
  if (g_str_equal (family->protocol, "nec-2m"))
    return check_nec (identity, backup, error);
  return check_spc (identity, family, backup, error);
}

/* "twin-k355-20261204-103000", or with "-2" and on when that exists. */
static char *
new_id (const RfDriveIdentity *identity,
        const char            *dir)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  /* An NEC drive by its bootcode's key, any other by its family. */
  g_autofree char *key = g_ascii_strdown (identity->bootcode_key != NULL ? identity->bootcode_key
                                                                          : identity->family, -1);
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

static void
add_nec (GKeyFile              *keyfile,
         const RfDriveIdentity *identity,
         const char            *vendor,
         const char            *product,
         const char            *firmware_file,
         const char            *date)
{
  g_key_file_set_string (keyfile, "Scenario", "Protocol", "nec-2m");
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
      return;
    }
  g_key_file_set_string (keyfile, "NEC", "Firmware", "copied");
  g_key_file_set_string (keyfile, "NEC", "FirmwareFile", firmware_file);
  g_key_file_set_string (keyfile, "NEC", "FirmwareRevision", identity->revision);
  set_if (keyfile, "NEC", "FirmwareDate", date);
}

static void
set_uint (GKeyFile   *keyfile,
          const char *key,
          guint       value)
{
  g_autofree char *text = g_strdup_printf ("%u", value);

  g_key_file_set_string (keyfile, "SPC", key, text);
}

/* The download as the family data describes it, with the buffer as the
 * drive's own descriptor described it to the check. */
static void
add_spc (GKeyFile              *keyfile,
         const RfDriveIdentity *identity,
         const RfDriveFamily   *family,
         GBytes                *backup,
         const char            *vendor,
         const char            *product,
         const char            *firmware_file,
         const char            *date)
{
  static const char *const variants[] = { "single", "offsets", "deferred" };
  const RfSpcDownload *download = &family->download;
  gboolean described = identity->spc_buffer_capacity != 0;
  guint size = backup != NULL ? (guint) g_bytes_get_size (backup) : download->dump_length;
  guint capacity = described ? identity->spc_buffer_capacity : download->buffer_capacity;

  g_key_file_set_string (keyfile, "Scenario", "Protocol", "spc-download");
  g_key_file_set_string (keyfile, "SPC", "Vendor", vendor);
  g_key_file_set_string (keyfile, "SPC", "Product", product);
  g_key_file_set_string (keyfile, "SPC", "Revision", identity->safe_mode ? "0000"
                                                                        : identity->revision);
  if (identity->safe_mode)
    g_key_file_set_string (keyfile, "SPC", "BootRevision", identity->revision);
  g_key_file_set_string (keyfile, "SPC", "Variant", variants[download->variant]);
  set_uint (keyfile, "BufferId", download->buffer_id);
  set_uint (keyfile, "OffsetBoundary", described ? identity->spc_offset_boundary
                                                 : download->offset_boundary);
  set_uint (keyfile, "BufferCapacity", MAX (capacity, size));
  set_uint (keyfile, "ImageSize", size);
  set_uint (keyfile, "ModelCheckOffset", download->model_check_offset);
  set_uint (keyfile, "RevisionOffset", download->revision_offset);
  g_key_file_set_boolean (keyfile, "SPC", "BootMode", identity->safe_mode);
  g_key_file_set_boolean (keyfile, "SPC", "BootModeAcceptsDownload",
                          download->boot_mode_accepts_download);
  g_key_file_set_boolean (keyfile, "SPC", "Dump", download->has_dump);
  g_key_file_set_boolean (keyfile, "SPC", "Descriptor", described);
  set_if (keyfile, "SPC", "FirmwareDate", date);
  if (backup != NULL)
    g_key_file_set_string (keyfile, "SPC", "ImageFile", firmware_file);
}

static GKeyFile *
twin_scenario (const RfDriveIdentity *identity,
               const RfDriveFamily   *family,
               GBytes                *backup,
               const char            *firmware_file,
               const char            *twin_of,
               const char            *name)
{
  GKeyFile *keyfile = g_key_file_new ();
  g_autofree char *vendor = g_strchomp (g_strdup (identity->vendor != NULL ? identity->vendor : ""));
  g_autofree char *product = g_strchomp (g_strdup (identity->product != NULL ? identity->product
                                                                             : ""));
  g_autofree char *date = identity->firmware_timestamp != NULL
                          ? g_strdup (identity->firmware_timestamp)
                          : feature_date (identity->firmware_date);

  g_key_file_set_string (keyfile, "Scenario", "Name", name);
  /* Only an NEC drive has a bootcode Reflash does not copy. */
  g_key_file_set_string (keyfile, "Scenario", "Description",
                         g_str_equal (family->protocol, "nec-2m")
                         ? _("A practice copy of a real drive: the same identity, state and "
                             "firmware, to rehearse on before the real one. Its bootcode and "
                             "settings are made up by Reflash, with the real bootcode's key and "
                             "version.")
                         : _("A practice copy of a real drive: the same identity, state and "
                             "firmware, to rehearse on before the real one."));
  g_key_file_set_string (keyfile, "Scenario", "TwinOf", twin_of);
  set_if (keyfile, "Scenario", "Serial", identity->serial);
  if (g_str_equal (family->protocol, "nec-2m"))
    add_nec (keyfile, identity, vendor, product, firmware_file, date);
  else
    add_spc (keyfile, identity, family, backup, vendor, product, firmware_file, date);
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
 * @family: the drive's family, from the same check
 * @backup: (nullable): for a drive that runs firmware, the image of this
 *   run's verified backup: an NEC drive's main area, an SPC drive's stored
 *   microcode
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
                  const RfDriveFamily   *family,
                  GBytes                *backup,
                  const char            *twin_of,
                  const char            *name,
                  GError               **error)
{
  g_autofree char *dir = rf_sim_scenario_get_user_dir ();
  g_autofree char *id = NULL;
  g_autofree char *conf_path = NULL;
  g_autofree char *firmware_path = NULL;
  g_autofree char *firmware_file = NULL;
  gsize firmware_size = 0;
  g_autofree char *own_name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *data = NULL;
  g_autoptr(GKeyFile) keyfile = NULL;
  g_autoptr(RfSimScenario) check = NULL;
  gsize length;

  g_return_val_if_fail (identity != NULL, NULL);
  g_return_val_if_fail (twin_of != NULL, NULL);

  if (!check_identity (identity, family, backup, error))
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
  firmware_file = g_strconcat (id, ".firmware", NULL);
  keyfile = twin_scenario (identity, family, backup, firmware_file, twin_of, name);
  data = g_key_file_to_data (keyfile, &length, NULL);
  text = g_strconcat ("# A twin of a real drive, made by Reflash (data/practice/README.md).\n",
                      data, NULL);
  conf_path = g_strdup_printf ("%s/%s.conf", dir, id);
  firmware_path = g_build_filename (dir, firmware_file, NULL);
  /* An NEC backup image is the main area and a trailer: the main area only. */
  if (backup != NULL && !identity->safe_mode)
    firmware_size = g_str_equal (family->protocol, "nec-2m") ? RF_NEC_MAIN_SIZE
                                                             : g_bytes_get_size (backup);
  if ((firmware_size > 0 &&
       !write_file (firmware_path, g_bytes_get_data (backup, NULL), firmware_size, error)) ||
      !write_file (conf_path, text, strlen (text), error))
    return NULL;
  /* Written by us, read by the same rules as any scenario. */
  check = rf_sim_scenario_load_file (conf_path, error);
  if (check == NULL)
    {
      g_unlink (conf_path);
      g_unlink (firmware_path);
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
