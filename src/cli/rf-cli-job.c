/* rf-cli-job.c: a job run from the command line
 *
 * The job runs on a worker thread (rf_job_run_async()) while the main loop
 * shows its progress ten times a second and hands SIGINT, SIGTERM and SIGHUP
 * to the command, which decides what a signal may still do. GLib's handlers
 * replace the default ones for the whole run, so no signal ends the process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "rf-cli-drive.h"
#include "rf-cli-job.h"
#include "rf-cli.h"

/* Progress is redrawn at most this often: 10 times a second. */
#define TICK_MS 100

static const int caught_signals[RF_CLI_N_CAUGHT_SIGNALS] = { SIGINT, SIGTERM, SIGHUP };

static gboolean
on_tick (gpointer user_data)
{
  RfCliJobRun *run = user_data;
  RfProgressSnapshot snapshot;

  rf_progress_get_snapshot (rf_job_get_progress (run->job), &snapshot);
  rf_cli_progress_show (run->progress, &snapshot);
  if (run->on_tick != NULL)
    run->on_tick (run, &snapshot);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_signal (gpointer user_data)
{
  RfCliJobRun *run = user_data;

  rf_cli_progress_clear (run->progress);
  if (run->on_signal != NULL)
    run->on_signal (run);
  else
    g_cancellable_cancel (run->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_job_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  RfCliJobRun *run = user_data;

  rf_job_run_finish (RF_JOB (source), result, &run->error);
  g_main_loop_quit (run->loop);
}

/**
 * rf_cli_job_run:
 *
 * Runs @run's job to its end, showing its progress; the last word (100 % on
 * success, where it stopped otherwise) is shown, then the terminal's line
 * taken away.
 *
 * Returns: whether the job succeeded; otherwise @run's error says why
 */
gboolean
rf_cli_job_run (RfCliJobRun *run)
{
  g_return_val_if_fail (RF_IS_JOB (run->job), FALSE);
  g_return_val_if_fail (run->progress != NULL, FALSE);

  run->cancellable = g_cancellable_new ();
  run->loop = g_main_loop_new (NULL, FALSE);
  for (gsize i = 0; i < G_N_ELEMENTS (caught_signals); i++)
    run->signal_ids[i] = g_unix_signal_add (caught_signals[i], on_signal, run);
  on_tick (run);
  run->tick_id = g_timeout_add (TICK_MS, on_tick, run);
  rf_job_run_async (run->job, run->cancellable, on_job_done, run);
  g_main_loop_run (run->loop);
  g_clear_handle_id (&run->tick_id, g_source_remove);
  on_tick (run);
  rf_cli_progress_clear (run->progress);
  return run->error == NULL;
}

void
rf_cli_job_run_clear (RfCliJobRun *run)
{
  g_clear_handle_id (&run->tick_id, g_source_remove);
  for (gsize i = 0; i < G_N_ELEMENTS (run->signal_ids); i++)
    g_clear_handle_id (&run->signal_ids[i], g_source_remove);
  g_clear_object (&run->job);
  g_clear_pointer (&run->progress, rf_cli_progress_free);
  g_clear_object (&run->cancellable);
  g_clear_pointer (&run->loop, g_main_loop_unref);
  g_clear_error (&run->error);
}

RfCliProgressStyle
rf_cli_progress_style_for (gboolean as_json)
{
  if (as_json)
    return RF_CLI_PROGRESS_JSON;
  return isatty (STDOUT_FILENO) ? RF_CLI_PROGRESS_TERMINAL : RF_CLI_PROGRESS_LINES;
}

/**
 * rf_cli_parse_practice_speed:
 * @text: (nullable): what --practice-speed gave; %NULL leaves @speed alone
 * @drive_name: the drive the command works on
 *
 * Returns: %FALSE with a #G_OPTION_ERROR for a usage error: not a factor of 0
 *   or more, or a drive that is not a practice drive (a real drive has one
 *   speed: saying otherwise would be a lie)
 */
gboolean
rf_cli_parse_practice_speed (const char  *text,
                             const char  *drive_name,
                             double      *speed,
                             GError     **error)
{
  char *end = NULL;
  double value;

  if (text == NULL)
    return TRUE;
  errno = 0;
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || errno != 0 || !isfinite (value) || value < 0.0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: %s is what the user gave */
                   _("--practice-speed takes a factor of real time of 0 or more (1: real time, "
                     "10: ten times as fast, 0: instant), not “%s”"), text);
      return FALSE;
    }
  if (!g_str_has_prefix (drive_name, RF_SIM_DEVICE_PREFIX))
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           _("--practice-speed applies only to practice drives (practice:NAME)"));
      return FALSE;
    }
  *speed = value;
  return TRUE;
}

/**
 * rf_cli_find_drive:
 * @name: as `info` names a drive: a node, or practice:NAME
 * @practice_speed: for a practice drive: its speed
 *
 * Returns: (transfer full): the drive, not probed yet
 */
RfDevice *
rf_cli_find_drive (RfDriveDb   *db,
                   const char  *name,
                   double       practice_speed,
                   GError     **error)
{
  g_autoptr(RfSimSource) practice = NULL;
  g_autoptr(RfDeviceMonitor) monitor = rf_cli_drive_monitor_new_with_practice (db, &practice);
  RfDevice *device = rf_cli_drive_lookup (monitor, name, error);
  RfSimDrive *drive = NULL;

  if (device != NULL && g_str_has_prefix (name, RF_SIM_DEVICE_PREFIX))
    drive = rf_sim_source_get_drive (practice, name + strlen (RF_SIM_DEVICE_PREFIX));
  if (drive != NULL)
    rf_sim_drive_set_speed (drive, practice_speed);
  return device;
}

/**
 * rf_cli_error_event_begin:
 * @message: the translated sentence
 *
 * Returns: (transfer full): an `error` event with its code, message and
 *   detail; add the command's own keys and end it with rf_cli_event_end()
 */
RfJsonWriter *
rf_cli_error_event_begin (const GError *error,
                          const char   *message)
{
  RfJsonWriter *json = rf_cli_event_begin ("error");

  rf_json_writer_member_string (json, "code", rf_error_code_to_nick (rf_error_get_code (error)));
  rf_json_writer_member_string (json, "message", message);
  rf_json_writer_member_string (json, "detail", error->message);
  return json;
}

/* Exit codes (reflash-cli(1), EXIT STATUS). The drive's state or family, or
 * the verdict on the image, refused the job before anything was kept or
 * written: "refused". So did a resume whose journal's copy of the image is
 * damaged, or whose drive is not the journal's. */
static const RfError refusals[] = {
  RF_ERROR_IN_SAFE_MODE, RF_ERROR_FIRMWARE_ERASED, RF_ERROR_CANNOT_BACK_UP,
  RF_ERROR_OTHER_MODEL, RF_ERROR_NOT_SUPPORTED, RF_ERROR_MEDIUM_PRESENT, RF_ERROR_BUSY,
  RF_ERROR_VENDOR_REFUSED, RF_ERROR_NEEDS_PRIVILEGES, RF_ERROR_PERMISSION_DENIED,
  RF_ERROR_IMAGE_REFUSED, RF_ERROR_LOW_BATTERY, RF_ERROR_JOURNAL_DAMAGED, RF_ERROR_OTHER_DRIVE,
};

/**
 * rf_cli_exit_for_error:
 *
 * Returns: the exit status for a job that failed with @error
 */
int
rf_cli_exit_for_error (const GError *error)
{
  if (g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED))
    return RF_CLI_EXIT_CANCELLED;
  if (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND))
    return RF_CLI_EXIT_NOT_FOUND;
  if (g_error_matches (error, RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION))
    return RF_CLI_EXIT_NOT_CONFIRMED;
  for (gsize i = 0; i < G_N_ELEMENTS (refusals); i++)
    if (g_error_matches (error, RF_ERROR, refusals[i]))
      return RF_CLI_EXIT_REFUSED;
  return RF_CLI_EXIT_FAILURE;
}
