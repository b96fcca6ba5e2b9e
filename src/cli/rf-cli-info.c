/* rf-cli-info.c: `reflash-cli info DRIVE`: identity, state, next step
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rf-cli-drive.h"
#include "rf-cli.h"

/* A value worth a row: a label with nothing (or a dash) after it is never printed. */
static gboolean
has_text (const char *text)
{
  return text != NULL && text[0] != '\0';
}

static const char *
model_of (RfDriveFamily *family,
          const char    *id)
{
  const RfDriveModel *model = family != NULL && id != NULL
                              ? rf_drive_family_find_model (family, id) : NULL;

  return model != NULL ? rf_drive_model_get_title (model) : id;
}

static void
print_nec_identity (RfDriveIdentity *identity,
                    RfDriveFamily   *family)
{
  if (identity->stored_id != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Stored ID:   %s (%s)\n"), identity->stored_id,
            model_of (family, identity->stored_id));
  if (identity->rid_code != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("RID code:    %s\n"), identity->rid_code);
  if (identity->bootcode_key != NULL && has_text (identity->bootcode_version))
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Bootcode:    %s (%s), version %s\n"), identity->bootcode_key,
            model_of (family, identity->bootcode_key), identity->bootcode_version);
  else if (identity->bootcode_key != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Bootcode:    %s (%s)\n"), identity->bootcode_key,
            model_of (family, identity->bootcode_key));
  else if (identity->bootcode_version != NULL)
    /* Translators: a line of “reflash-cli info”: pad the label so that the values line up */
    printf (_("Bootcode:    version %s\n"), identity->bootcode_version);
}

/* Whether the last check got more than the standard questions (INQUIRY,
 * TEST UNIT READY, GET CONFIGURATION) to the drive: a deep check can stop
 * before that, and the system can refuse a command before it leaves. */
static gboolean
sent_identification (RfDevice *device)
{
  g_autoptr(RfRecorder) transcript = rf_device_dup_transcript (device);

  for (guint i = 0; transcript != NULL && i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);
      guint8 opcode = entry->cdb[0];

      if (opcode == 0x12 || opcode == 0x00 || opcode == 0x46)
        continue;
      if (entry->answered || (entry->error_code != RF_ERROR_NEEDS_PRIVILEGES &&
                              entry->error_code != RF_ERROR_PERMISSION_DENIED))
        return TRUE;
    }
  return FALSE;
}

static const char *
checked_text (RfDevice *device)
{
  if (rf_device_get_probe_depth (device) != RF_PROBE_DEPTH_DEEP)
    return _("by its standard answers only");
  if (sent_identification (device))
    return _("fully (identification commands sent)");
  return _("full check stopped before any identification command");
}

/* The model as people know it, else the product the drive gives; NULL when
 * the drive gave neither. */
static char *
dup_known_model (RfDevice        *device,
                 RfDriveIdentity *identity,
                 RfDriveFamily   *family)
{
  g_autofree char *model_id = rf_device_dup_model_id (device);

  if (family != NULL && model_id != NULL && rf_drive_family_find_model (family, model_id) != NULL)
    return rf_cli_drive_model_name (device);
  return has_text (identity->product) ? rf_cli_drive_model_name (device) : NULL;
}

static void
print_human (RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);
  g_autofree char *model = dup_known_model (device, identity, family);
  g_autofree char *explanation = rf_device_dup_explanation (device);
  g_autofree char *headline = rf_device_dup_headline (device);
  g_autofree char *advice = rf_device_dup_command_advice (device);
  RfDriveState state = rf_device_get_state (device);

  /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Drive:       %s\n"), rf_device_get_id (device));
  if (rf_device_get_block_path (device) != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Also known:  %s\n"), rf_device_get_block_path (device));
  if (model != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Model:       %s\n"), model);
  if (has_text (identity->vendor))
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Vendor:      %s\n"), identity->vendor);
  if (has_text (identity->product))
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Product:     %s\n"), identity->product);
  if (has_text (identity->revision))
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Firmware:    %s\n"), identity->revision);
  if (identity->firmware_date != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Date:        %s\n"), identity->firmware_date);
  if (identity->vendor_specific != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Details:     %s\n"), identity->vendor_specific);
  if (identity->serial != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Serial:      %s\n"), identity->serial);
  if (family != NULL)
    /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Family:      %s (%s)\n"), rf_drive_family_get_title (family),
            family->support == RF_DRIVE_SUPPORT_SPEC_ONLY ? _("never tested on a real drive")
                                                          : _("tested on real drives"));
  else
    printf (_("Family:      none known\n"));
  print_nec_identity (identity, family);
  /* Whatever the state, a drive in safe mode runs only its bootcode: say so. */
  if (identity->safe_mode && identity->bootcode_version != NULL)
    /* Translators: a line of “reflash-cli info”: the bootcode version; pad the label so that
     * the values line up */
    printf (_("Mode:        safe mode (only the bootcode runs; bootcode version %s)\n"),
            identity->bootcode_version);
  else if (identity->safe_mode && identity->revision != NULL &&
           g_str_has_prefix (identity->revision, "0."))
    printf (_("Mode:        safe mode (only the bootcode runs; bootcode version %s)\n"),
            identity->revision + 2);
  else if (identity->safe_mode)
    printf (_("Mode:        safe mode (only the bootcode runs)\n"));
  /* The wizard's words: the headline, then one explanation. */
  printf (_("State:       %s (%s)\n"), headline, rf_drive_state_to_title (state));
  printf ("             %s\n", explanation);
  /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Next step:   %s\n"), advice);
  /* Translators: a line of “reflash-cli info”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Checked:     %s\n"), checked_text (device));
}

static void
print_json (RfDevice *device)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_cli_drive_write_json (json, device, TRUE);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

static int
exit_for_error (const GError *error)
{
  if (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND))
    return RF_CLI_EXIT_NOT_FOUND;
  return RF_CLI_EXIT_FAILURE;
}

int
rf_cli_info_run (int    argc,
                 char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("DRIVE — show a drive's identity, state and next step"));
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfDevice) device = NULL;

  g_option_context_set_description (context,
                                    _("DRIVE is a node such as /dev/sg1 or /dev/sr0, or a practice drive such as practice:seed (see “reflash-cli list --practice”)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "reflash-cli info: %s\n",
               error != NULL ? error->message : _("give exactly one drive"));
      return RF_CLI_EXIT_USAGE;
    }
  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    {
      fprintf (stderr, "reflash-cli info: %s\n", error->message);
      return RF_CLI_EXIT_FAILURE;
    }
  monitor = rf_cli_drive_monitor_new (db);
  device = rf_cli_drive_lookup (monitor, argv[1], &error);
  /* The user chose this drive: a deep check, within the family's allow-list. */
  if (device == NULL || !rf_cli_drive_check (device, db, "info", RF_PROBE_DEPTH_DEEP, &error))
    {
      g_autofree char *sentence = rf_cli_drive_dup_error_sentence (argv[1], error);

      fprintf (stderr, "reflash-cli info: %s: %s\n", argv[1], sentence);
      g_debug ("%s", error->message);
      return exit_for_error (error);
    }
  if (as_json)
    print_json (device);
  else
    print_human (device);
  return RF_CLI_EXIT_OK;
}
