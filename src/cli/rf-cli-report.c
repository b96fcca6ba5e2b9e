/* rf-cli-report.c: `reflash-cli report DRIVE -o FILE`: a support report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2() and RENAME_NOREPLACE */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-cli-drive.h"
#include "rf-cli.h"

/* Whether something, even a dangling link, has the name @path. */
static gboolean
name_taken (const char *path)
{
  GStatBuf buf;

  return g_lstat (path, &buf) == 0;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         size)
{
  while (size > 0)
    {
      gssize written = write (fd, data, size);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      data += written;
      size -= (gsize) written;
    }
  return TRUE;
}

/* Moves @from to @to unless @to exists; where the file system has no
 * RENAME_NOREPLACE (NFS), a hard link refuses an existing name the same way. */
static int
rename_no_replace (const char *from,
                   const char *to)
{
  if (renameat2 (AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  if (link (from, to) != 0)
    return -1;
  g_unlink (from);
  return 0;
}

static gboolean
fail_with_errno (int          saved_errno,
                 const char  *path,
                 GError     **error)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s: %s", path,
               g_strerror (saved_errno));
  return FALSE;
}

/* Writes @bytes to a new file @path: into a temporary file beside it first,
 * then moved into place without replacing anything, so @path is either
 * missing or complete. An existing @path is %G_IO_ERROR_EXISTS. */
static gboolean
write_new_file (const char  *path,
                GBytes      *bytes,
                GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temporary = g_build_filename (dir, name, NULL);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int saved_errno;
  int fd;

  fd = g_mkstemp_full (temporary, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0)
    return fail_with_errno (errno, path, error);
  if (!write_all (fd, data, size) || fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      g_unlink (temporary);
      return fail_with_errno (saved_errno != 0 ? saved_errno : EIO, path, error);
    }
  if (close (fd) != 0 || rename_no_replace (temporary, path) != 0)
    {
      saved_errno = errno;
      g_unlink (temporary);
      return fail_with_errno (saved_errno, path, error);
    }
  return TRUE;
}

static gboolean
write_stdout (GBytes *bytes)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);

  return fwrite (data, 1, size, stdout) == size && fflush (stdout) == 0;
}

/* Each file the user named, judged against the drive as `check --drive` does. */
static void
add_verdicts (RfReport           *report,
              RfDevice           *device,
              const char * const *images)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);

  for (gsize i = 0; images != NULL && images[i] != NULL; i++)
    {
      g_autoptr(RfFirmwareCheck) check = rf_firmware_check_new_for_file (images[i]);

      rf_firmware_check_judge (check, family, identity, rf_device_get_state (device),
                               rf_device_get_probe_depth (device));
      rf_report_add_verdict (report, images[i], rf_firmware_check_get_verdict (check));
    }
}

static int
lookup_failed (const char   *drive,
               const GError *error)
{
  g_autofree char *sentence = rf_cli_drive_dup_error_sentence (drive, error);

  fprintf (stderr, "reflash-cli report: %s: %s\n", drive, sentence);
  g_debug ("%s", error->message);
  return g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND) ? RF_CLI_EXIT_NOT_FOUND
                                                               : RF_CLI_EXIT_FAILURE;
}

/* The deep look of `info`: the report's job, and its transcript the report's. */
static RfReport *
look_and_report (const char          *drive,
                 const char * const  *images,
                 int                 *status)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(RfReport) report = NULL;

  *status = RF_CLI_EXIT_FAILURE;
  if (db == NULL)
    {
      fprintf (stderr, "reflash-cli report: %s\n", error->message);
      return NULL;
    }
  monitor = rf_cli_drive_monitor_new (db);
  device = rf_cli_drive_lookup (monitor, drive, &error);
  if (device == NULL)
    {
      *status = lookup_failed (drive, error);
      return NULL;
    }
  report = rf_report_new ();
  /* A check that fails is what a report is for: its error goes in. */
  if (!rf_cli_drive_check (device, db, "report", RF_PROBE_DEPTH_DEEP, &error))
    {
      if (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED))
        {
          *status = lookup_failed (drive, error);
          return NULL;
        }
      /* Translators: the report file, then a sentence saying what went wrong */
      fprintf (stderr, _("reflash-cli report: %s: %s The report says what happened.\n"), drive,
               rf_error_code_to_sentence ((RfError) error->code));
      rf_report_add_error (report, error);
    }
  transcript = rf_device_dup_transcript (device);
  rf_report_set_device (report, device);
  rf_report_set_transcript (report, transcript);
  add_verdicts (report, device, images);
  *status = RF_CLI_EXIT_OK;
  return g_steal_pointer (&report);
}

/* A name taken is a wrong argument, as for `backup -o`. */
static int
refuse_existing (const char *output)
{
  /* Translators: %s is the file the user named with -o */
  fprintf (stderr, _("reflash-cli report: %s exists already; choose another name (nothing was written)\n"),
           output);
  return RF_CLI_EXIT_USAGE;
}

static int
refuse_missing_folder (const char *output)
{
  /* Translators: %s is the file the user named with -o */
  fprintf (stderr, _("reflash-cli report: the folder of %s does not exist (nothing was written)\n"),
           output);
  return RF_CLI_EXIT_NOT_FOUND;
}

/* Checked before the drive is sent anything. */
static int
check_output (const char *output)
{
  g_autofree char *folder = g_path_get_dirname (output);

  if (g_str_equal (output, "-"))
    return RF_CLI_EXIT_OK;
  if (name_taken (output))
    return refuse_existing (output);
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    return refuse_missing_folder (output);
  return RF_CLI_EXIT_OK;
}

static int
save (GBytes     *json,
      const char *drive,
      const char *output)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (output, "-"))
    {
      if (write_stdout (json))
        return RF_CLI_EXIT_OK;
      fprintf (stderr, "reflash-cli report: %s\n", _("could not write to standard output"));
      return RF_CLI_EXIT_FAILURE;
    }
  if (!write_new_file (output, json, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        return refuse_existing (output);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return refuse_missing_folder (output);
      /* Translators: %s is the system's reason, with the file's name */
      fprintf (stderr, _("reflash-cli report: could not write the report: %s\n"), error->message);
      return RF_CLI_EXIT_FAILURE;
    }
  /* Translators: the first %s is the drive ("practice:seed"), the second the file */
  printf (_("Wrote the report on %s to %s\n"), drive, output);
  return RF_CLI_EXIT_OK;
}

int
rf_cli_report_run (int    argc,
                   char **argv)
{
  g_autofree char *output = NULL;
  g_auto(GStrv) images = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the report to FILE, a new file (“-” for standard output)"), N_("FILE") },
    { "image", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &images,
      N_("Also judge this firmware file against the drive (may be given more than once)"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("DRIVE -o FILE — write a support report about a drive"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RfReport) report = NULL;
  g_autoptr(GBytes) json = NULL;
  int status;

  g_option_context_set_description (context,
                                    _("The report is JSON: the versions of Reflash and its libraries, the drive's identity and state from a full check (as “reflash-cli info” does), the verdicts on the files given with --image, any error, and every command sent to the drive. It holds no user names, home folders or host names, and no firmware."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2 || output == NULL)
    {
      fprintf (stderr, "reflash-cli report: %s\n",
               error != NULL ? error->message : _("give exactly one drive and -o FILE"));
      return RF_CLI_EXIT_USAGE;
    }
  status = check_output (output);
  if (status != RF_CLI_EXIT_OK)
    return status;
  report = look_and_report (argv[1], (const char * const *) images, &status);
  if (report == NULL)
    return status;
  json = rf_report_to_json (report);
  return save (json, argv[1], output);
}
