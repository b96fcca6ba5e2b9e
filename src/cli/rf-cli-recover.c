/* rf-cli-recover.c: `reflash-cli recover DRIVE` without an image: what the
 * drive needs back (DOMAIN.md "Recovery"), and its stored backups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rf-cli-drive.h"
#include "rf-cli-job.h"
#include "rf-cli.h"

typedef struct {
  RfDevice *device;
  RfDriveIdentity *identity;
  GPtrArray *backups;       /* RfBackup */
  GPtrArray *codes;         /* char *: each backup's verdict code */
} Advice;

static void
advice_clear (Advice *advice)
{
  g_clear_object (&advice->device);
  g_clear_pointer (&advice->identity, rf_drive_identity_free);
  g_clear_pointer (&advice->backups, g_ptr_array_unref);
  g_clear_pointer (&advice->codes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Advice, advice_clear)

/* Whether the drive needs firmware back: only its bootcode runs. A drive in
 * normal mode whose stored ID names another model works (DOMAIN.md "Drive
 * states"); it is only told which firmware fits it. */
static gboolean
needs_firmware (Advice *advice)
{
  return advice->identity->safe_mode ||
         rf_device_get_state (advice->device) == RF_DRIVE_STATE_SAFE_MODE;
}

static void
print_json (const char *drive_name,
            Advice     *advice)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *model = rf_cli_drive_model_name (advice->device);
  g_autofree char *next_step = rf_device_dup_command_advice (advice->device);
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "drive", drive_name);
  rf_json_writer_member_string (json, "model", model);
  rf_json_writer_member_string (json, "state",
                                rf_drive_state_to_nick (rf_device_get_state (advice->device)));
  rf_json_writer_member_boolean (json, "safe_mode", advice->identity->safe_mode);
  rf_json_writer_member_boolean (json, "needs_firmware", needs_firmware (advice));
  rf_json_writer_member_string (json, "counting_id",
                                rf_drive_identity_counting_id (advice->identity));
  rf_json_writer_member_string (json, "bootcode_version", advice->identity->bootcode_version);
  rf_json_writer_member_string (json, "advice", next_step);
  rf_json_writer_key (json, "backup_verdicts");
  rf_json_writer_begin_array (json);
  for (guint i = 0; advice->backups != NULL && i < advice->backups->len; i++)
    {
      const RfBackup *backup = advice->backups->pdata[i];

      rf_json_writer_begin_object (json);
      rf_json_writer_member_string (json, "image", backup->image_path);
      rf_json_writer_member_string (json, "revision", backup->revision);
      rf_json_writer_member_string (json, "date", backup->date);
      rf_json_writer_member_string (json, "code", advice->codes->pdata[i]);
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

/* Whether the deep check got far enough to tell if the firmware runs. */
static gboolean
was_checked (Advice *advice)
{
  switch (rf_device_get_state (advice->device))
    {
    case RF_DRIVE_STATE_READY:
    case RF_DRIVE_STATE_SAFE_MODE:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
    case RF_DRIVE_STATE_UNSUPPORTED:
      return TRUE;
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_BUSY:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_NO_ACCESS:
    case RF_DRIVE_STATE_NEEDS_ADMIN:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
    case RF_DRIVE_STATE_LAST:
    default:
      return FALSE;
    }
}

/* The drive by what is known of it: no placeholder for what it did not say. */
static void
print_drive (const char *drive_name,
             Advice     *advice)
{
  const char *product = advice->identity->product;
  const char *revision = advice->identity->revision;
  g_autofree char *model = rf_cli_drive_model_name (advice->device);
  const char *title = rf_drive_state_to_title (rf_device_get_state (advice->device));

  if (product != NULL && product[0] != '\0' && revision != NULL && revision[0] != '\0')
    /* Translators: a line of “reflash-cli recover”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Drive:     %s, %s, version %s (%s)\n"), drive_name, model, revision, title);
  else if (product != NULL && product[0] != '\0')
    /* Translators: a line of “reflash-cli recover”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Drive:     %s, %s (%s)\n"), drive_name, model, title);
  else
    /* Translators: a line of “reflash-cli recover”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Drive:     %s (%s)\n"), drive_name, title);
}

static void
print_human (const char *drive_name,
             Advice     *advice)
{
  g_autofree char *explanation = rf_device_dup_explanation (advice->device);
  g_autofree char *next_step = rf_device_dup_command_advice (advice->device);
  guint n = advice->backups != NULL ? advice->backups->len : 0;

  print_drive (drive_name, advice);
  printf ("%s\n", explanation);
  /* A drive that could not be checked may well need firmware: never say it does not. */
  if (!was_checked (advice))
    /* Translators: a line of “reflash-cli recover”: the next step in a sentence; pad the label
     * so that the values line up */
    printf (_("Next step: %s\n"), next_step);
  else if (!needs_firmware (advice))
    printf ("%s\n", _("Its firmware runs normally: there is nothing to recover."));
  if (needs_firmware (advice) ||
      rf_device_get_state (advice->device) == RF_DRIVE_STATE_IDENTITY_MISMATCH)
    printf ("%s\n", next_step);
  if (n == 0)
    printf ("%s\n", _("No backup of this drive is stored."));
  else
    printf ("%s\n", ngettext ("Stored backup of this drive:", "Stored backups of this drive:", n));
  for (guint i = 0; i < n; i++)
    {
      const RfBackup *backup = advice->backups->pdata[i];

      /* Translators: the file, its firmware version, the date it was saved and
       * the verdict's code for it ("recovery") */
      printf (_("  %s (firmware %s, saved %s): %s\n"), backup->image_path,
              backup->revision != NULL ? backup->revision : "?", backup->date,
              (const char *) advice->codes->pdata[i]);
    }
  if (needs_firmware (advice))
    /* Translators: the drive's name; keep the command and FILE as they are */
    printf (_("Then run: reflash-cli recover %s FILE\n"), drive_name);
}

/**
 * rf_cli_recover_advise:
 *
 * `recover DRIVE`: the deep check (as `info` runs it), the sentence naming
 * the firmware to get, and the drive's backups, each with its verdict.
 * Nothing is written.
 *
 * Returns: the exit status
 */
int
rf_cli_recover_advise (const char *drive_name,
                       gboolean    as_json,
                       double      practice_speed)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_auto(Advice) advice = { 0 };

  if (db != NULL)
    advice.device = rf_cli_find_drive (db, drive_name, practice_speed, &error);
  if (advice.device == NULL ||
      !rf_cli_drive_check (advice.device, db, "recover", RF_PROBE_DEPTH_DEEP, &error))
    {
      g_autofree char *sentence = rf_cli_drive_dup_error_sentence (drive_name, error);

      fprintf (stderr, "reflash-cli recover: %s: %s\n", drive_name, sentence);
      g_debug ("%s", error->message);
      return g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND) ? RF_CLI_EXIT_NOT_FOUND
                                                                   : RF_CLI_EXIT_FAILURE;
    }
  advice.identity = rf_device_dup_identity (advice.device);
  advice.backups = rf_cli_drive_list_backups (advice.identity);
  advice.codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; advice.backups != NULL && i < advice.backups->len; i++)
    g_ptr_array_add (advice.codes,
                     rf_cli_drive_judge_backup (advice.device, advice.backups->pdata[i]));
  if (as_json)
    print_json (drive_name, &advice);
  else
    print_human (drive_name, &advice);
  return RF_CLI_EXIT_OK;
}
