/* rf-cli-drive.c: finding, probing and describing drives for the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <linux/major.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <stdio.h>
#include <unistd.h>

#include "rf-cli-drive.h"

/* Drives from sources beyond the system's and the practice drives'. */
static GPtrArray *extra_sources;

/**
 * rf_cli_drive_add_source:
 *
 * Adds @source's drives to every monitor the commands make from now on: for
 * tests, whose stand-ins of real drives (on a port, not practice drives) the
 * system cannot list.
 */
void
rf_cli_drive_add_source (RfDeviceSource *source)
{
  g_return_if_fail (RF_IS_DEVICE_SOURCE (source));

  if (extra_sources == NULL)
    extra_sources = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (extra_sources, g_object_ref (source));
}

/**
 * rf_cli_drive_monitor_new:
 *
 * The practice drives are always registered, so that `info practice:NAME`
 * finds them; `list` shows them only with --practice.
 *
 * Returns: (transfer full): a monitor over the real and the practice drives
 */
RfDeviceMonitor *
rf_cli_drive_monitor_new (RfDriveDb *db)
{
  return rf_cli_drive_monitor_new_with_practice (db, NULL);
}

/**
 * rf_cli_drive_monitor_new_with_practice:
 * @practice: (out) (optional) (transfer full): the source of the practice
 *   drives, for a command that sets their speed
 *
 * Returns: (transfer full): a monitor over the real and the practice drives
 */
RfDeviceMonitor *
rf_cli_drive_monitor_new_with_practice (RfDriveDb    *db,
                                        RfSimSource **practice)
{
  RfDeviceMonitor *monitor = rf_device_monitor_new (db);
  g_autoptr(RfSimSource) source = rf_sim_source_new (NULL);

  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  for (guint i = 0; extra_sources != NULL && i < extra_sources->len; i++)
    rf_device_monitor_add_source (monitor, g_ptr_array_index (extra_sources, i));
  if (practice != NULL)
    *practice = g_steal_pointer (&source);
  return monitor;
}

/* Whether @name is a path to something that exists and is no optical drive
 * node: not an sg or sr node ("/dev/null"), or no node at all ("/tmp"). */
static gboolean
is_other_file (const char *name)
{
  struct stat info;

  if (name == NULL || !g_path_is_absolute (name) || stat (name, &info) != 0)
    return FALSE;
  if (S_ISCHR (info.st_mode))
    return major (info.st_rdev) != SCSI_GENERIC_MAJOR && major (info.st_rdev) != SCSI_CDROM_MAJOR;
  if (S_ISBLK (info.st_mode))
    return major (info.st_rdev) != SCSI_CDROM_MAJOR;
  return TRUE;
}

/**
 * rf_cli_drive_lookup:
 * @name: as the person gave it: a node ("/dev/sg1") or practice:NAME
 *
 * Like rf_device_monitor_lookup(), but a path to a file that is no drive node
 * ("/dev/null", "/tmp") is no such drive either, as a name no source knows:
 * every command then ends with "not found", whatever it would have tried.
 *
 * Returns: (transfer full) (nullable): the drive, not probed yet; %NULL with
 *   %RF_ERROR_NOT_FOUND
 */
RfDevice *
rf_cli_drive_lookup (RfDeviceMonitor *monitor,
                     const char      *name,
                     GError         **error)
{
  g_return_val_if_fail (RF_IS_DEVICE_MONITOR (monitor), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (is_other_file (name))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND,
                   "%s is not an sg or sr device node", name);
      return NULL;
    }
  return rf_device_monitor_lookup (monitor, name, error);
}

/**
 * rf_cli_drive_dup_error_sentence:
 * @name: (nullable): the drive as the person gave it
 * @error: why it could not be found or checked
 *
 * Returns: (transfer full): the translated sentence for @error; for a file
 *   that is no drive, one that says so and what to give instead
 */
char *
rf_cli_drive_dup_error_sentence (const char   *name,
                                 const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (is_other_file (name) && (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND) ||
                               g_error_matches (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED)))
    /* The command's message starts with the name: the sentence need not repeat it. */
    return g_strdup (_("This is not an optical drive. Give a drive such as /dev/sg1 or /dev/sr0, or a practice drive such as practice:seed (see “reflash-cli list --practice”)."));
  return g_strdup (rf_error_code_to_sentence (rf_error_get_code (error)));
}

static void
free_error (gpointer data)
{
  if (data != NULL)
    g_error_free (data);
}

typedef struct {
  GMainLoop *loop;
  guint pending;
} ProbeAll;

typedef struct {
  ProbeAll *all;
  GError **error;
} ProbeOne;

static void
probe_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  ProbeOne *one = user_data;

  rf_device_probe_finish (RF_DEVICE (source), result, one->error);
  if (--one->all->pending == 0)
    g_main_loop_quit (one->all->loop);
  g_free (one);
}

/**
 * rf_cli_drive_probe_all:
 *
 * Probes every drive at once, one worker each, and waits for all of them.
 *
 * Returns: (transfer full): for each drive, %NULL or the error that kept it from
 *   being probed
 */
GPtrArray *
rf_cli_drive_probe_all (GPtrArray    *devices,
                        RfDriveDb    *db,
                        RfProbeDepth  depth)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (context, FALSE);
  GPtrArray *errors = g_ptr_array_new_full (devices->len, free_error);
  ProbeAll all = { loop, devices->len };

  g_ptr_array_set_size (errors, devices->len);
  if (devices->len == 0)
    return errors;
  g_main_context_push_thread_default (context);
  for (guint i = 0; i < devices->len; i++)
    {
      ProbeOne *one = g_new0 (ProbeOne, 1);

      one->all = &all;
      one->error = (GError **) &g_ptr_array_index (errors, i);
      rf_device_probe_async (g_ptr_array_index (devices, i), db, depth, NULL, probe_done, one);
    }
  g_main_loop_run (loop);
  g_main_context_pop_thread_default (context);
  return errors;
}

/**
 * rf_cli_drive_model_name:
 *
 * Returns: (transfer full): the model as people know it ("ND-3550A"), else the
 *   INQUIRY product, else a translated "unknown"
 */
char *
rf_cli_drive_model_name (RfDevice *device)
{
  return rf_device_dup_model_name (device);
}

static const char *
name_of (RfDriveFamily *family,
         const char    *id)
{
  const RfDriveModel *model = family != NULL && id != NULL
                              ? rf_drive_family_find_model (family, id) : NULL;

  return model != NULL ? model->name : NULL;
}

static void
write_commands (RfJsonWriter *json,
                RfDevice     *device)
{
  g_autoptr(RfRecorder) transcript = rf_device_dup_transcript (device);

  rf_json_writer_key (json, "commands");
  rf_json_writer_begin_array (json);
  for (guint i = 0; transcript != NULL && i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);
      RfCommand command = { 0 };
      g_autofree char *cdb = NULL;
      g_autofree char *sense_text = NULL;
      RfSense sense;

      memcpy (command.cdb, entry->cdb, sizeof command.cdb);
      command.cdb_length = entry->cdb_length;
      cdb = rf_command_describe_cdb (&command);
      if (entry->answered && entry->status == RF_STATUS_CHECK_CONDITION &&
          rf_sense_parse (entry->sense, entry->sense_length, &sense))
        sense_text = g_strdup_printf ("%02X/%02X/%02X", sense.key, sense.asc, sense.ascq);
      rf_json_writer_begin_object (json);
      rf_json_writer_member_string (json, "name", rf_command_opcode_name (entry->cdb[0]));
      rf_json_writer_member_string (json, "cdb", cdb);
      rf_json_writer_member_int (json, "data_length", (gint64) entry->data_length);
      rf_json_writer_key (json, "status");
      if (entry->answered)
        rf_json_writer_int (json, entry->status);
      else
        rf_json_writer_null (json);
      rf_json_writer_member_string (json, "sense", sense_text);
      rf_json_writer_member_string (json, "error", entry->answered ? NULL
                                    : rf_error_code_to_nick ((RfError) entry->error_code));
      rf_json_writer_member_int (json, "duration_us", (gint64) entry->duration_us);
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
}

static void
write_family (RfJsonWriter  *json,
              RfDriveFamily *family)
{
  rf_json_writer_member_string (json, "family", family != NULL ? family->id : NULL);
  rf_json_writer_member_string (json, "family_name", family != NULL ? family->name : NULL);
  rf_json_writer_member_string (json, "protocol", family != NULL ? family->protocol : NULL);
  rf_json_writer_member_string (json, "support", family != NULL
                                ? rf_drive_support_to_nick (family->support) : NULL);
}

/**
 * rf_cli_drive_write_json:
 * @with_commands: add the probe's command transcript ("commands")
 *
 * One drive as a JSON object; the keys are stable and listed in reflash-cli(1).
 */
void
rf_cli_drive_write_json (RfJsonWriter *json,
                         RfDevice     *device,
                         gboolean      with_commands)
{
  rf_cli_drive_write_json_with_error (json, device, with_commands, NULL);
}

/**
 * rf_cli_drive_write_json_with_error:
 * @error: (nullable): why the drive could not be checked; its code goes to
 *   the key "error"
 */
void
rf_cli_drive_write_json_with_error (RfJsonWriter *json,
                                    RfDevice     *device,
                                    gboolean      with_commands,
                                    const GError *error)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);
  g_autofree char *model_id = rf_device_dup_model_id (device);
  g_autofree char *detail = rf_device_dup_detail (device);
  g_autofree char *explanation = rf_device_dup_explanation (device);
  g_autofree char *advice = rf_device_dup_command_advice (device);
  RfDriveState state = rf_device_get_state (device);

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "id", rf_device_get_id (device));
  rf_json_writer_member_boolean (json, "practice", rf_device_is_practice (device));
  rf_json_writer_member_string (json, "sg_node", rf_device_get_sg_path (device));
  rf_json_writer_member_string (json, "block_node", rf_device_get_block_path (device));
  rf_json_writer_member_string (json, "bus_path", rf_device_get_bus_path (device));
  rf_json_writer_member_string (json, "vendor", identity->vendor);
  rf_json_writer_member_string (json, "product", identity->product);
  rf_json_writer_member_string (json, "revision", identity->revision);
  rf_json_writer_member_string (json, "vendor_specific", identity->vendor_specific);
  rf_json_writer_member_string (json, "firmware_date", identity->firmware_date);
  rf_json_writer_member_string (json, "serial", identity->serial);
  rf_json_writer_member_string (json, "model_id", model_id);
  rf_json_writer_member_string (json, "model", name_of (family, model_id));
  write_family (json, family);
  rf_json_writer_member_boolean (json, "safe_mode", identity->safe_mode);
  rf_json_writer_member_boolean (json, "microcode_upgrade",
                                 rf_device_get_microcode_upgrade (device));
  rf_json_writer_member_string (json, "stored_id", identity->stored_id);
  rf_json_writer_member_string (json, "stored_model", name_of (family, identity->stored_id));
  rf_json_writer_member_string (json, "rid_code", identity->rid_code);
  rf_json_writer_member_string (json, "bootcode_key", identity->bootcode_key);
  rf_json_writer_member_string (json, "bootcode_model", name_of (family, identity->bootcode_key));
  rf_json_writer_member_string (json, "bootcode_version", identity->bootcode_version);
  rf_json_writer_member_string (json, "counting_id", rf_drive_identity_counting_id (identity));
  rf_json_writer_member_string (json, "state", rf_drive_state_to_nick (state));
  rf_json_writer_member_string (json, "state_title", rf_drive_state_to_title (state));
  rf_json_writer_member_string (json, "probe_depth",
                                rf_probe_depth_to_nick (rf_device_get_probe_depth (device)));
  rf_json_writer_member_string (json, "reason", rf_device_get_reason (device));
  rf_json_writer_member_string (json, "explanation", explanation);
  rf_json_writer_member_string (json, "advice", advice);
  rf_json_writer_member_string (json, "detail", detail);
  rf_json_writer_member_string (json, "error",
                                error != NULL ? rf_error_code_to_nick (rf_error_get_code (error))
                                              : NULL);
  if (with_commands)
    write_commands (json, device);
  rf_json_writer_end_object (json);
}

/**
 * rf_cli_drive_list_backups:
 *
 * Backups of this drive are images that fit it too; a store that cannot be
 * read only means none are shown.
 *
 * Returns: (transfer full) (nullable): the stored backups of the drive
 *   @identity describes
 */
GPtrArray *
rf_cli_drive_list_backups (const RfDriveIdentity *identity)
{
  g_autoptr(RfBackupStore) store = rf_backup_store_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *backups = rf_backup_store_list_for_drive (store, identity, &error);

  if (backups == NULL)
    g_debug ("backups: %s", error->message);
  return backups;
}

/**
 * rf_cli_drive_judge_backup:
 * @device: a drive after its deep check
 *
 * A backup is a candidate image like any file: judged the same way. One that
 * cannot be read back is `corrupt`.
 *
 * Returns: (transfer full): the verdict's code for @backup on @device
 */
char *
rf_cli_drive_judge_backup (RfDevice       *device,
                           const RfBackup *backup)
{
  g_autoptr(RfBackupStore) store = rf_backup_store_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = rf_backup_store_load (store, backup, &error);
  g_autoptr(RfFirmwareCheck) check = NULL;
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);

  if (bytes == NULL)
    {
      g_debug ("backup %s: %s", backup->image_path, error->message);
      return g_strdup (rf_verdict_reason_to_nick (RF_VERDICT_REASON_CORRUPT));
    }
  check = rf_firmware_check_new_for_bytes (backup->image_path, bytes);
  rf_firmware_check_judge (check, family, identity, rf_device_get_state (device),
                           rf_device_get_probe_depth (device));
  return g_strdup (rf_verdict_get_code (rf_firmware_check_get_verdict (check)));
}

/* Only a real drive whose node this user may not use, or whose firmware
 * commands the kernel refused, and only where a person can answer the
 * password prompt: a script never sets off an authentication, nor does a
 * command in the background, where polkit's text agent would be stopped by
 * the terminal and the command would wait for ever. */
static gboolean
wants_administrator_rights (RfDevice *device)
{
  RfDriveState state = rf_device_get_state (device);

  if (state != RF_DRIVE_STATE_NO_ACCESS && state != RF_DRIVE_STATE_NEEDS_ADMIN)
    return FALSE;
  return !rf_device_is_practice (device) && !rf_device_uses_helper (device) &&
         isatty (STDIN_FILENO) && tcgetpgrp (STDIN_FILENO) == getpgrp ();
}

/* Asking changed nothing: the drive keeps the state the check found, and
 * the person reads why the rights did not come. */
static gboolean
is_refused_authentication (const GError *error)
{
  return g_error_matches (error, RF_ERROR, RF_ERROR_AUTH_CANCELLED) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_NO_AGENT) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_HELPER_MISSING) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_AUTH_FAILED);
}

/**
 * rf_cli_drive_check:
 * @command: the subcommand, for the messages ("info")
 * @depth: the look the command needs
 *
 * Looks at @device; a real drive this user may not use (no-access,
 * needs-admin) is then checked again through the privileged helper, after
 * polkit asked for an administrator's password on the terminal, and later
 * jobs of @device go through the helper too. The command says so on stderr.
 * Without a terminal, or when the person cancels, the drive keeps the state
 * the first look found (with the reason on stderr): nothing was sent.
 *
 * Returns: %FALSE with @error when the drive could not be looked at
 */
gboolean
rf_cli_drive_check (RfDevice      *device,
                    RfDriveDb     *db,
                    const char    *command,
                    RfProbeDepth   depth,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (RF_IS_DEVICE (device), FALSE);

  if (!rf_device_probe (device, db, depth, NULL, error))
    return FALSE;
  if (!wants_administrator_rights (device))
    return TRUE;
  fprintf (stderr, "reflash-cli %s: %s: %s\n", command, rf_device_get_id (device),
           _("This drive needs administrator rights. Asking for them now; nothing else gets them."));
  rf_device_set_helper (device, rf_helper_launcher_get_default ());
  if (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &local_error))
    return TRUE;
  rf_device_set_helper (device, NULL);
  if (!is_refused_authentication (local_error))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  fprintf (stderr, "reflash-cli %s: %s: %s\n", command, rf_device_get_id (device),
           rf_error_code_to_sentence (local_error->code));
  g_debug ("%s", local_error->message);
  return TRUE;
}
