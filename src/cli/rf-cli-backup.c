/* rf-cli-backup.c: `reflash-cli backup DRIVE`: the drive's firmware, read
 * twice, compared and kept
 *
 * The job runs as rf-cli-job.h runs every job, and SIGINT, SIGTERM and
 * SIGHUP become a cancel. A cancel is honoured between commands; inside the
 * stretch where a deep look has the drive in safe mode, the job first brings
 * it back (rf-must-finish.h), and no signal ends the process before that.
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
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-cli-drive.h"
#include "rf-cli-job.h"
#include "rf-cli.h"

typedef struct {
  /* What the user asked for */
  const char *drive_name;
  const char *output;       /* -o FILE, or NULL */
  gboolean as_json;

  /* The run */
  RfBackupStore *store;
  RfBackupJob *job;         /* the run's job */
  RfCliJobRun run;
} Backup;

static void
backup_clear (Backup *backup)
{
  rf_cli_job_run_clear (&backup->run);
  g_clear_object (&backup->store);
  backup->job = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Backup, backup_clear)

static char *
dup_error_sentence (const Backup *backup,
                    const GError *error)
{
  g_autofree char *sentence = NULL;

  if (g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED))
    return g_strdup (_("Backup cancelled; nothing was changed."));
  sentence = rf_cli_drive_dup_error_sentence (backup->drive_name, error);
  /* Nothing to save, something to do: the way back is the next step. */
  if (g_error_matches (error, RF_ERROR, RF_ERROR_IN_SAFE_MODE))
    /* Translators: the first %s says why there is nothing to back up; the
     * second is the drive ("practice:seed", "/dev/sg1") */
    return g_strdup_printf (_("%s To bring it back, write firmware to it: reflash-cli recover %s FILE"),
                            sentence, backup->drive_name);
  return g_steal_pointer (&sentence);
}

static void
write_error_event (const GError   *error,
                   const char     *message,
                   const RfBackup *kept)
{
  RfJsonWriter *json = rf_cli_error_event_begin (error, message);

  rf_json_writer_member_string (json, "path", kept != NULL ? kept->image_path : NULL);
  rf_cli_event_end (json, stdout);
}

/* Says why the backup failed, in words on stderr and, with --json, as the
 * last event. */
static int
fail (Backup       *backup,
      const GError *error)
{
  g_autofree char *sentence = dup_error_sentence (backup, error);

  if (backup->run.progress != NULL)
    rf_cli_progress_clear (backup->run.progress);
  g_debug ("backup of %s: %s", backup->drive_name, error->message);
  if (backup->as_json)
    write_error_event (error, sentence, NULL);
  fprintf (stderr, "reflash-cli backup: %s: %s\n", backup->drive_name, sentence);
  return rf_cli_exit_for_error (error);
}

/* Refused before anything is sent to the drive: a copy never replaces a file. */
static int
check_output (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);
  struct stat info;

  if (lstat (path, &info) == 0)
    {
      /* Translators: a file name the person gave */
      fprintf (stderr, _("reflash-cli backup: %s exists already; give a new file name for the copy. Nothing was overwritten.\n"),
               path);
      return RF_CLI_EXIT_USAGE;
    }
  if (!g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      /* Translators: a folder */
      fprintf (stderr, _("reflash-cli backup: the folder %s does not exist\n"), folder);
      return RF_CLI_EXIT_NOT_FOUND;
    }
  return RF_CLI_EXIT_OK;
}

/* The job on the drive named as `info` names it. The job identifies the
 * drive itself, under its lock; the passive look here (as `list` takes it)
 * gives the job's progress the family's expected durations and LED hints,
 * which a drive of no known family does not have. */
static gboolean
make_job (Backup  *backup,
          double   practice_speed,
          GError **error)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (error);
  g_autoptr(RfDevice) device = NULL;

  if (db == NULL)
    return FALSE;
  device = rf_cli_find_drive (db, backup->drive_name, practice_speed, error);
  if (device == NULL)
    return FALSE;
  if (!rf_cli_drive_check (device, db, "backup", RF_PROBE_DEPTH_PASSIVE, error))
    return FALSE;
  /* The invoking user's store, as `reflash-cli backups` lists it. */
  backup->store = rf_backup_store_new (NULL);
  backup->job = rf_backup_job_new (device, db, backup->store);
  backup->run.job = RF_JOB (backup->job);
  return TRUE;
}

/* The run */

/* Every signal asks for the cancel again; none ends the process, so a drive
 * in safe mode is always brought back first. */
static void
on_signal (RfCliJobRun *run)
{
  if (rf_must_finish_is_active ())
    fprintf (stderr, "%s\n", _("Reflash must first bring the drive back from safe mode; it "
                               "stops as soon as that is done."));
  else if (!g_cancellable_is_cancelled (run->cancellable))
    fprintf (stderr, "%s\n", _("Cancelling the backup…"));
  g_cancellable_cancel (run->cancellable);
}

/* The copy to -o FILE */

static void
set_errno_error (GError    **error,
                 int          errno_value)
{
  /* The system's words for it (translated by the C library). */
  g_set_error_literal (error, RF_ERROR, errno_value == EEXIST ? RF_ERROR_WRITE
                       : rf_error_from_errno (errno_value), g_strerror (errno_value));
}

static gboolean
write_all (int            fd,
           const guint8  *data,
           gsize          size,
           GError       **error)
{
  while (size > 0)
    {
      gssize n = write (fd, data, size);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_errno_error (error, errno);
          return FALSE;
        }
      data += n;
      size -= (gsize) n;
    }
  return TRUE;
}

/* Puts the finished file in place, never over a name that exists. */
static gboolean
publish (const char  *temp,
         const char  *path,
         GError     **error)
{
  if (renameat2 (AT_FDCWD, temp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
    return TRUE;
  /* File systems without RENAME_NOREPLACE (NFS): a hard link to an existing
   * name fails the same way. */
  if ((errno == EINVAL || errno == ENOSYS) && link (temp, path) == 0)
    {
      g_unlink (temp);
      return TRUE;
    }
  set_errno_error (error, errno);
  return FALSE;
}

/* Written beside its final name and renamed when complete, so FILE is either
 * absent or the whole verified image. */
static gboolean
write_new_file (const char  *path,
                GBytes      *bytes,
                GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *temp = g_build_filename (folder, name, NULL);
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0666);
  gboolean ok;

  if (fd < 0)
    {
      set_errno_error (error, errno);
      return FALSE;
    }
  ok = write_all (fd, data, size, error);
  if (ok && fsync (fd) != 0)
    {
      set_errno_error (error, errno);
      ok = FALSE;
    }
  if (close (fd) != 0 && ok)
    {
      set_errno_error (error, errno);
      ok = FALSE;
    }
  ok = ok && publish (temp, path, error);
  if (!ok)
    g_unlink (temp);
  return ok;
}

/* The store's file, loaded (its SHA-256 checked again) and copied. */
static gboolean
copy_backup (Backup         *backup,
             const RfBackup *kept,
             GError        **error)
{
  g_autoptr(GBytes) image = rf_backup_store_load (backup->store, kept, error);

  return image != NULL && write_new_file (backup->output, image, error);
}

static int
fail_copy (Backup         *backup,
           const RfBackup *kept,
           const GError   *error)
{
  /* Translators: the file asked for with -o, and why it could not be written */
  g_autofree char *sentence = g_strdup_printf (_("The copy to %s could not be written: %s. "
                                                 "The backup itself is kept in %s."),
                                               backup->output, error->message,
                                               kept->image_path);

  if (backup->as_json)
    write_error_event (error, sentence, kept);
  fprintf (stderr, "reflash-cli backup: %s\n", sentence);
  return RF_CLI_EXIT_FAILURE;
}

/* The result */

static void
write_done_event (Backup         *backup,
                  const RfBackup *kept)
{
  RfJsonWriter *json = rf_cli_event_begin ("done");

  rf_json_writer_member_string (json, "path", kept->image_path);
  rf_json_writer_member_string (json, "sha256", kept->sha256);
  rf_json_writer_member_boolean (json, "reused", rf_backup_job_get_reused (backup->job));
  rf_json_writer_member_string (json, "output", backup->output);
  rf_cli_event_end (json, stdout);
}

static void
print_done (Backup         *backup,
            const RfBackup *kept)
{
  if (rf_backup_job_get_reused (backup->job))
    printf ("%s\n", _("An earlier verified backup of this drive, made while this program ran, "
                      "was reused; nothing was read again."));
  else
    /* Translators: the drive's name ("practice:healthy-3550", "/dev/sg1") */
    printf (_("The firmware of %s was read twice, both reads were the same, and it is kept.\n"),
            backup->drive_name);
  /* Translators: a line of “reflash-cli backup”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Backup:  %s\n"), kept->image_path);
  /* Translators: a line of “reflash-cli backup”: pad the label so that the values line up */
  printf (_("SHA-256: %s\n"), kept->sha256);
  if (backup->output != NULL)
    /* Translators: a line of “reflash-cli backup”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Copy:    %s\n"), backup->output);
}

static int
finish (Backup *backup)
{
  const RfBackup *kept = rf_backup_job_get_backup (backup->job);
  g_autoptr(GError) error = NULL;

  if (backup->output != NULL && !copy_backup (backup, kept, &error))
    return fail_copy (backup, kept, error);
  if (backup->as_json)
    write_done_event (backup, kept);
  else
    print_done (backup, kept);
  return RF_CLI_EXIT_OK;
}

static int
back_up (Backup *backup,
         double  practice_speed)
{
  g_autoptr(GError) error = NULL;

  backup->run.progress = rf_cli_progress_new (rf_cli_progress_style_for (backup->as_json), stdout);
  backup->run.on_signal = on_signal;
  if (!make_job (backup, practice_speed, &error))
    return fail (backup, error);
  if (!rf_cli_job_run (&backup->run))
    return fail (backup, backup->run.error);
  return finish (backup);
}

static int
usage_error (const char *message)
{
  fprintf (stderr, "reflash-cli backup: %s\n", message);
  return RF_CLI_EXIT_USAGE;
}

int
rf_cli_backup_run (int    argc,
                   char **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *speed_text = NULL;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Also copy the verified backup to FILE, which must not exist yet"), N_("FILE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON events, one per line"), NULL },
    { "practice-speed", 0, 0, G_OPTION_ARG_STRING, &speed_text,
      N_("Practice drives only: run at FACTOR times real time (default 1; 0 is instant)"),
      N_("FACTOR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("DRIVE — back up a drive's firmware"));
  g_autoptr(GError) error = NULL;
  g_auto(Backup) backup = { 0 };
  double speed = RF_CLI_DEFAULT_PRACTICE_SPEED;
  int status;

  g_option_context_set_description (context,
                                    _("DRIVE is a node such as /dev/sg1 or /dev/sr0, or a practice drive such as practice:healthy-3550 (see “reflash-cli list --practice”)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc != 2)
    return usage_error (_("give exactly one drive"));
  if (!rf_cli_parse_practice_speed (speed_text, argv[1], &speed, &error))
    return usage_error (error->message);
  if (output != NULL && (status = check_output (output)) != RF_CLI_EXIT_OK)
    return status;
  backup.drive_name = argv[1];
  backup.output = output;
  backup.as_json = as_json;
  return back_up (&backup, speed);
}
