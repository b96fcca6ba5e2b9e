/* rf-cli-twin.c: `reflash-cli practice make-twin|list|delete`: practice
 * drives made from a real drive, to rehearse on before touching it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli-job.h"
#include "rf-cli-twin.h"
#include "rf-cli.h"
#include "rf-sim.h"

static int
fail (const char   *action,
      const char   *drive,
      const GError *error)
{
  fprintf (stderr, "reflash-cli practice %s: %s: %s\n", action, drive,
           rf_error_code_to_sentence (rf_error_get_code (error)));
  g_debug ("%s", error->message);
  return rf_cli_exit_for_error (error);
}

/* A twin copies what a full check proved: a drive that runs its firmware,
 * or one in safe mode (the bootcode answers, the main area is erased). */
static gboolean
can_be_copied (RfDevice *device)
{
  RfDriveState state = rf_device_get_state (device);

  return rf_device_get_probe_depth (device) == RF_PROBE_DEPTH_DEEP &&
         (state == RF_DRIVE_STATE_READY || state == RF_DRIVE_STATE_SAFE_MODE ||
          state == RF_DRIVE_STATE_IDENTITY_MISMATCH);
}

/* This run's verified backup of a drive with firmware, read as the
 * `backup` command reads it. */
static GBytes *
back_up (RfDevice   *device,
         RfDriveDb  *db,
         GError    **error)
{
  g_autoptr(RfBackupStore) store = rf_backup_store_new (NULL);
  g_autoptr(RfBackupJob) job = rf_backup_job_new (device, db, store);
  RfCliJobRun run = { 0 };
  g_autofree char *contents = NULL;
  gsize length = 0;
  gboolean ok;

  run.job = RF_JOB (g_object_ref (job));
  run.progress = rf_cli_progress_new (rf_cli_progress_style_for (FALSE), stdout);
  ok = rf_cli_job_run (&run);
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&run.error));
  rf_cli_job_run_clear (&run);
  if (ok && !g_file_get_contents (rf_backup_job_get_backup (job)->image_path, &contents, &length,
                                  error))
    {
      rf_error_convert (error);
      ok = FALSE;
    }
  return ok ? g_bytes_new_take (g_steal_pointer (&contents), length) : NULL;
}

/**
 * rf_cli_twin_make:
 * @drive: the drive as the person named it
 * @name: (nullable): the twin's name
 *
 * Checks @drive in depth (asking for administrator rights on a terminal,
 * as `info` does), backs it up when it runs firmware, and writes its twin.
 * Sends the drive nothing beyond that check and backup.
 */
int
rf_cli_twin_make (const char *drive,
                  const char *name,
                  double      practice_speed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(GBytes) image = NULL;
  g_autofree char *model = NULL;
  g_autofree char *twin_of = NULL;
  g_autofree char *id = NULL;

  if (db == NULL)
    return fail ("make-twin", drive, error);
  device = rf_cli_find_drive (db, drive, practice_speed, &error);
  if (device == NULL || !rf_cli_drive_check (device, db, "practice make-twin",
                                             RF_PROBE_DEPTH_DEEP, &error))
    return fail ("make-twin", drive, error);
  if (!can_be_copied (device))
    {
      /* Translators: the drive's name, then its state ("Not responding") */
      fprintf (stderr, _("reflash-cli practice make-twin: %s: a twin copies a drive whose full check found it working, in safe mode or with a mismatched identity; this one is: %s\n"),
               drive, rf_device_get_state_title (device));
      return RF_CLI_EXIT_REFUSED;
    }
  identity = rf_device_dup_identity (device);
  family = rf_device_dup_family (device);
  if (!identity->safe_mode && (image = back_up (device, db, &error)) == NULL)
    return fail ("make-twin", drive, error);
  model = rf_device_dup_model_name (device);
  /* Translators: what a twin copies: the model, then the drive's name
   * ("ND-3550A on /dev/sg2") */
  twin_of = g_strdup_printf (C_("twin", "%s on %s"), model, rf_device_get_id (device));
  id = rf_sim_twin_make (identity, family, image, twin_of, name, &error);
  if (id == NULL && g_error_matches (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED))
    {
      fprintf (stderr, "reflash-cli practice make-twin: %s: %s\n", drive, error->message);
      return RF_CLI_EXIT_REFUSED;
    }
  if (id == NULL)
    return fail ("make-twin", drive, error);
  /* Translators: the twin's name ("practice:twin-k355-20261204-103000") */
  printf (_("Made practice:%s, a twin of %s.\n"), id, twin_of);
  /* Translators: the twin's name ("practice:twin-…") */
  printf (_("Rehearse on it first, for example: reflash-cli info practice:%s\n"), id);
  return RF_CLI_EXIT_OK;
}

/**
 * rf_cli_twin_list:
 *
 * Every practice drive, shipped ones first, twins after them.
 */
int
rf_cli_twin_list (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (&error);

  if (scenarios == NULL)
    return fail ("list", "practice", error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autofree char *name = g_strconcat ("practice:", scenario->id, NULL);

      if (rf_sim_scenario_is_twin (scenario))
        /* Translators: a twin in the list: its drive name, its name ("Twin of…") */
        printf (_("%-34s %s (a twin)\n"), name, rf_sim_scenario_get_name (scenario));
      else
        printf ("%-34s %s\n", name, rf_sim_scenario_get_name (scenario));
    }
  return RF_CLI_EXIT_OK;
}

/**
 * rf_cli_twin_delete:
 * @name: "practice:ID" or "ID"
 *
 * Deletes a twin; a shipped practice drive is refused.
 */
int
rf_cli_twin_delete (const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *id = g_str_has_prefix (name, "practice:") ? name + strlen ("practice:") : name;

  if (rf_sim_twin_delete (id, &error))
    {
      /* Translators: the twin's name ("practice:twin-…") */
      printf (_("Deleted the twin practice:%s.\n"), id);
      return RF_CLI_EXIT_OK;
    }
  if (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED))
    {
      /* Translators: the drive's name the person gave */
      fprintf (stderr, _("reflash-cli practice delete: %s is no twin: only twins can be deleted\n"),
               name);
      return RF_CLI_EXIT_REFUSED;
    }
  return fail ("delete", name, error);
}
