/* rf-cli-check.c: `reflash-cli check IMAGE`: what a firmware file is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli.h"
#include "rf-core.h"

typedef struct {
  const char *path;
  RfFirmwareCheck *check;
  /* With --drive */
  const char *drive_name;
  RfDevice *device;
  RfDriveIdentity *identity;
  RfDriveFamily *family;
  GPtrArray *backups; /* RfBackup: stored backups of this drive, other candidates */
  GPtrArray *backup_codes; /* char *: each backup's verdict code, in the same order */
} CheckResult;

static void
check_result_clear (CheckResult *result)
{
  g_clear_object (&result->check);
  g_clear_object (&result->device);
  g_clear_pointer (&result->identity, rf_drive_identity_free);
  g_clear_pointer (&result->family, rf_drive_family_unref);
  g_clear_pointer (&result->backups, g_ptr_array_unref);
  g_clear_pointer (&result->backup_codes, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CheckResult, check_result_clear)

/* A value worth a line: a row with nothing after its label is never printed. */
static gboolean
has_text (const char *text)
{
  return text != NULL && text[0] != '\0';
}

/* The exit code for a file that is not usable: missing files are "not found". */
static int
problem_exit (RfFirmwareProblem problem)
{
  return problem == RF_FIRMWARE_PROBLEM_NOT_FOUND ? RF_CLI_EXIT_NOT_FOUND : RF_CLI_EXIT_REFUSED;
}

/* Deep identification: `check --drive` is the user choosing this one drive
 * (DOMAIN.md "Probing depth"); without it the bootcode's identity is unknown. */
static gboolean
judge_against_drive (CheckResult *result,
                     GError     **error)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;

  /* A file that cannot even be read is refused without sending the drive anything. */
  if (rf_firmware_check_get_nec (result->check) == NULL)
    {
      g_autoptr(RfDriveIdentity) nobody = rf_drive_identity_new ();

      rf_firmware_check_judge (result->check, NULL, nobody, RF_DRIVE_STATE_UNKNOWN,
                               RF_PROBE_DEPTH_PASSIVE);
      return TRUE;
    }
  if (db == NULL)
    return FALSE;
  /* A node ("/dev/sg1") or a practice drive ("practice:seed"), as `info` finds them. */
  monitor = rf_cli_drive_monitor_new (db);
  result->device = rf_cli_drive_lookup (monitor, result->drive_name, error);
  if (result->device == NULL ||
      !rf_cli_drive_check (result->device, db, "check", RF_PROBE_DEPTH_DEEP, error))
    return FALSE;
  result->identity = rf_device_dup_identity (result->device);
  result->family = rf_device_dup_family (result->device);
  result->backups = rf_cli_drive_list_backups (result->identity);
  result->backup_codes = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; result->backups != NULL && i < result->backups->len; i++)
    g_ptr_array_add (result->backup_codes,
                     rf_cli_drive_judge_backup (result->device, result->backups->pdata[i]));
  rf_firmware_check_judge (result->check, result->family, result->identity,
                           rf_device_get_state (result->device),
                           rf_device_get_probe_depth (result->device));
  return TRUE;
}

static RfFirmwareProblem
result_problem (const CheckResult *result)
{
  return rf_firmware_check_get_problem (result->check);
}

/* Human output */

static void
print_candidates (RfNecFirmware *firmware)
{
  guint n = rf_nec_firmware_get_n_candidates (firmware);

  if (n == 0)
    return;
  printf ("\n%s\n", _("Images found inside the file:"));
  for (guint i = 0; i < n; i++)
    {
      const RfNecCandidate *c = rf_nec_firmware_get_candidate (firmware, i);
      const RfNecType *type = rf_nec_type_from_id (c->drive_id);
      const char *model = type != NULL ? type->model : c->drive_id;
      const char *bootcode = c->bootcode_version != NULL ? c->bootcode_version : _("not given");

      printf ("  #%u  ", i + 1);
      /* One whole line per case: no sentence is glued from pieces. */
      if (has_text (c->revision))
        /* Translators: where in the file an image starts (a byte offset), its
         * model ("ND-3550A"), its drive ID ("K355"), its bootcode version, its
         * firmware version */
        printf (_("at byte %zu: %s (%s), bootcode %s, version %s"), c->offset, model,
                c->drive_id, bootcode, c->revision);
      else
        /* Translators: where in the file an image starts (a byte offset), its
         * model ("ND-3550A"), its drive ID ("K355"), its bootcode version */
        printf (_("at byte %zu: %s (%s), bootcode %s"), c->offset, model, c->drive_id, bootcode);
      /* Translators: said of one firmware image inside the file (a noun
       * understood: "the image is usable") */
      printf ("\n      %s\n", c->problem == RF_FIRMWARE_PROBLEM_NONE
                               ? _("usable")
                               : rf_firmware_problem_to_sentence (c->problem));
    }
  if (rf_nec_firmware_get_chosen (firmware) >= 0)
    /* Translators: the number of the image taken from an updater, then why */
    printf (_("Chosen: #%d. %s\n"), rf_nec_firmware_get_chosen (firmware) + 1,
            rf_nec_choice_to_sentence (rf_nec_firmware_get_choice (firmware)));
}

static void
print_image (RfFirmware *fw)
{
  guint16 stored = 0, computed = 0;

  if (!RF_IS_NEC_FIRMWARE (fw))
    {
      /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
       * with spaces so that the values line up with the other lines */
      printf (_("Format:           %s (%s)\n"), _("drive family's raw image"),
              rf_firmware_get_family (fw) != NULL ? rf_firmware_get_family (fw) : "spc-download");
      /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
       * with spaces so that the values line up with the other lines */
      printf (_("Model:            %s\n"), rf_firmware_get_model (fw) != NULL
                                           ? rf_firmware_get_model (fw)
                                           : _("cannot be checked"));
      if (has_text (rf_firmware_get_revision (fw)))
        /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
         * with spaces so that the values line up with the other lines */
        printf (_("Version:          %s\n"), rf_firmware_get_revision (fw));
      return;
    }
  if (rf_firmware_get_drive_id (fw) == NULL)
    return;
  /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Format:           %s\n"),
          rf_nec_firmware_is_container (RF_NEC_FIRMWARE (fw))
          ? _("updater holding NEC 2 MiB firmware images (nec-2m); the chosen image:")
          : _("NEC 2 MiB firmware image (nec-2m)"));
  /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Model:            %s (drive ID %s)\n"), rf_firmware_get_model (fw),
          rf_firmware_get_drive_id (fw));
  /* Translators: a line of “reflash-cli check”: pad the label so that the values line up */
  printf (_("Bootcode version: %s\n"), rf_firmware_get_bootcode_version (fw) != NULL
                                       ? rf_firmware_get_bootcode_version (fw)
                                       : _("not given"));
  /* One spelling for a 16-bit checksum everywhere: four upper-case hex digits. */
  if (!rf_firmware_get_checksum (fw, &stored, &computed))
    ;
  else if (stored == computed)
    /* Translators: a line of “reflash-cli check”: the file's checksum in hexadecimal; pad the
     * label so that the values line up */
    printf (_("Checksum:         intact (%04X)\n"), stored);
  else
    /* Translators: a line of “reflash-cli check”: two checksums in hexadecimal; pad the label
     * so that the values line up */
    printf (_("Checksum:         damaged (the file says %04X, its contents add up to %04X)\n"),
            stored, computed);
  if (rf_firmware_get_revision (fw) != NULL)
    {
      if (has_text (rf_firmware_get_vendor (fw)))
        /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
         * with spaces so that the values line up with the other lines */
        printf (_("Vendor:           %s\n"), rf_firmware_get_vendor (fw));
      if (has_text (rf_firmware_get_product (fw)))
        /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
         * with spaces so that the values line up with the other lines */
        printf (_("Product:          %s\n"), rf_firmware_get_product (fw));
      if (has_text (rf_firmware_get_revision (fw)))
        /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
         * with spaces so that the values line up with the other lines */
        printf (_("Version:          %s\n"), rf_firmware_get_revision (fw));
      if (has_text (rf_firmware_get_vendor_specific (fw)))
        /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
         * with spaces so that the values line up with the other lines */
        printf (_("Vendor-specific:  %s\n"), rf_firmware_get_vendor_specific (fw));
    }
  else
    printf ("%s\n", _("The image carries no model and version text, so its version cannot be shown."));
}

/* What is known of the drive, and only that: a drive that could not be
 * checked may have no vendor, product or version at all. */
static char *
dup_drive_text (const CheckResult *result)
{
  RfDriveIdentity *id = result->identity;
  g_autofree char *made = g_strstrip (g_strjoin (" ", has_text (id->vendor) ? id->vendor : "",
                                                 has_text (id->product) ? id->product : "",
                                                 NULL));
  GString *text = g_string_new (result->drive_name);

  if (made[0] != '\0')
    g_string_append_printf (text, ": %s", made);
  if (has_text (id->revision))
    /* Translators: after the drive's name and model: its firmware version */
    g_string_append_printf (text, _(", version %s"), id->revision);
  g_string_append_printf (text, " (%s)", rf_drive_state_to_title (rf_device_get_state (result->device)));
  return g_string_free (text, FALSE);
}

static void
print_drive (const CheckResult *result)
{
  RfDriveIdentity *id = result->identity;
  g_autofree char *drive = dup_drive_text (result);
  g_autofree char *headline = rf_device_dup_headline (result->device);

  /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("Drive:            %s\n"), drive);
  printf ("                  %s\n", headline);
  if (rf_drive_identity_counting_id (id) == NULL)
    return;
  if (has_text (id->bootcode_version))
    /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Bootcode:         %s, version %s\n"), rf_drive_identity_counting_id (id),
            id->bootcode_version);
  else
    /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Bootcode:         %s\n"), rf_drive_identity_counting_id (id));
}

/* A path as a person pastes it into a shell: quoted only when it must be. */
static char *
dup_shell_word (const char *path)
{
  if (strpbrk (path, " \t\n'\"\\$`!*?&;|<>()[]{}~#") != NULL)
    return g_shell_quote (path);
  return g_strdup (path);
}

/* The command to run next, with this file and drive in it: flash or recover
 * what fits; check again (with rights, where the check lacked them) a drive
 * that could not be checked. NULL when the verdict's own next step (another
 * file) is all there is to do. */
static char *
dup_next_command (const CheckResult *result)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (result->check);
  g_autofree char *file = dup_shell_word (result->path);

  if (rf_verdict_is_allowed (verdict) && rf_verdict_get_kind (verdict) == RF_VERDICT_KIND_RECOVERY)
    /* Translators: the drive ("practice:seed"), then the firmware file */
    return g_strdup_printf (_("Bring the drive back with it: reflash-cli recover %s %s"),
                            result->drive_name, file);
  if (rf_verdict_is_allowed (verdict))
    /* Translators: the drive ("/dev/sg1"), then the firmware file */
    return g_strdup_printf (_("Write it to the drive: reflash-cli flash %s %s"),
                            result->drive_name, file);
  if (rf_verdict_get_reason (verdict) != RF_VERDICT_REASON_IDENTITY_UNKNOWN)
    return NULL;
  switch (rf_device_get_state (result->device))
    {
    case RF_DRIVE_STATE_NO_ACCESS:
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      /* Translators: the firmware file, then the drive ("/dev/sg1") */
      return g_strdup_printf (_("Check again with administrator rights: sudo reflash-cli check %s --drive %s"),
                              file, result->drive_name);
    case RF_DRIVE_STATE_READY:
    case RF_DRIVE_STATE_SAFE_MODE:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_BUSY:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_UNSUPPORTED:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
    case RF_DRIVE_STATE_LAST:
    default:
      /* The verdict's next step says what to do about the drive first. */
      /* Translators: the firmware file, then the drive ("/dev/sg1") */
      return g_strdup_printf (_("Then check again: reflash-cli check %s --drive %s"), file,
                              result->drive_name);
    }
}

static void
print_verdict (const CheckResult *result)
{
  g_autofree char *next = NULL;
  RfVerdictWarnings warnings = rf_verdict_get_warnings (rf_firmware_check_get_verdict (result->check));

  printf ("\n");
  if (result->identity != NULL)
    print_drive (result);
  /* Translators: the verdict's code for scripts ("upgrade", keep it), then its sentence */
  printf (_("Verdict (%s): %s\n"), rf_verdict_get_code (rf_firmware_check_get_verdict (result->check)),
          rf_verdict_get_sentence (rf_firmware_check_get_verdict (result->check)));
  if (rf_verdict_get_next_step (rf_firmware_check_get_verdict (result->check)) != NULL)
    printf ("%s\n", rf_verdict_get_next_step (rf_firmware_check_get_verdict (result->check)));
  for (guint i = 0; i < RF_VERDICT_N_WARNINGS; i++)
    if (warnings & (1u << i))
      /* Translators: a warning's code for scripts (keep it), then its sentence */
      printf (_("Warning (%s): %s\n"), rf_verdict_warning_to_nick ((RfVerdictWarnings) (1u << i)),
              rf_verdict_warning_to_sentence ((RfVerdictWarnings) (1u << i)));
  for (guint i = 0; result->backups != NULL && i < result->backups->len; i++)
    {
      const RfBackup *backup = result->backups->pdata[i];

      if (has_text (backup->revision))
        /* Translators: the verdict's code (keep it), the backup file, its firmware version,
         * when it was saved */
        printf (_("Backup of this drive (%s): %s (firmware %s, saved %s)\n"),
                (const char *) result->backup_codes->pdata[i], backup->image_path,
                backup->revision, backup->date);
      else
        /* Translators: the verdict's code (keep it), the backup file, when it was saved */
        printf (_("Backup of this drive (%s): %s (saved %s)\n"),
                (const char *) result->backup_codes->pdata[i], backup->image_path, backup->date);
    }
  next = result->device != NULL ? dup_next_command (result) : NULL;
  if (next != NULL)
    /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("Next step:        %s\n"), next);
}

static void
print_human (const CheckResult *result)
{
  RfFirmwareProblem problem = result_problem (result);

  /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("File:             %s\n"), result->path);
  if (rf_firmware_check_get_nec (result->check) != NULL)
    {
      RfFirmware *fw = rf_firmware_check_get_judged (result->check) != NULL ? rf_firmware_check_get_judged (result->check) : RF_FIRMWARE (rf_firmware_check_get_nec (result->check));
      g_autofree char *size = g_format_size_full (rf_firmware_get_input_size (fw),
                                                  G_FORMAT_SIZE_LONG_FORMAT);

      /* Translators: the file's size, e.g. "2.1 MB (2,097,152 bytes)" */
      printf (_("Size:             %s\n"), size);
      /* Translators: a line of “reflash-cli check”: a label, then its value; pad the label
       * with spaces so that the values line up with the other lines */
      printf (_("SHA-256:          %s\n"), rf_firmware_get_input_sha256 (fw));
      print_image (fw);
      if (RF_IS_NEC_FIRMWARE (fw))
        print_candidates (RF_NEC_FIRMWARE (fw));
    }
  printf ("\n");
  /* An updater is no complete image itself: say which of its images is meant. */
  if (problem == RF_FIRMWARE_PROBLEM_NONE && rf_firmware_check_get_nec (result->check) != NULL &&
      rf_nec_firmware_is_container (rf_firmware_check_get_nec (result->check)))
    /* Translators: the number of the image taken from the updater file */
    printf (_("The file is an updater; image #%d was taken.\n"),
            rf_nec_firmware_get_chosen (rf_firmware_check_get_nec (result->check)) + 1);
  else if (problem == RF_FIRMWARE_PROBLEM_NONE)
    printf ("%s\n", rf_firmware_problem_to_sentence (problem));
  else
    /* Translators: the problem's code for scripts (keep it), then its sentence */
    printf (_("Not usable (%s): %s\n"), rf_firmware_problem_to_nick (problem),
            rf_firmware_problem_to_sentence (problem));
  if (rf_firmware_check_get_verdict (result->check) != NULL)
    print_verdict (result);
}

/* JSON output */

static void
json_candidates (RfJsonWriter  *json,
                 RfNecFirmware *firmware)
{
  guint n = firmware != NULL ? rf_nec_firmware_get_n_candidates (firmware) : 0;
  RfNecChoice choice = firmware != NULL ? rf_nec_firmware_get_choice (firmware) : RF_NEC_CHOICE_NONE;
  gint chosen = firmware != NULL ? rf_nec_firmware_get_chosen (firmware) : -1;

  rf_json_writer_key (json, "candidates");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < n; i++)
    {
      const RfNecCandidate *c = rf_nec_firmware_get_candidate (firmware, i);

      rf_json_writer_begin_object (json);
      rf_json_writer_member_int (json, "offset", (gint64) c->offset);
      rf_json_writer_member_int (json, "length", (gint64) c->length);
      rf_json_writer_member_string (json, "drive_id", c->drive_id);
      rf_json_writer_member_string (json, "bootcode_version", c->bootcode_version);
      rf_json_writer_member_string (json, "product", c->product);
      rf_json_writer_member_string (json, "revision", c->revision);
      rf_json_writer_member_boolean (json, "usable", c->problem == RF_FIRMWARE_PROBLEM_NONE);
      rf_json_writer_member_string (json, "problem", c->problem == RF_FIRMWARE_PROBLEM_NONE
                                    ? NULL : rf_firmware_problem_to_nick (c->problem));
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
  rf_json_writer_key (json, "chosen");
  if (chosen >= 0)
    rf_json_writer_int (json, chosen);
  else
    rf_json_writer_null (json);
  rf_json_writer_member_string (json, "choice", rf_nec_choice_to_nick (choice));
  rf_json_writer_member_string (json, "choice_sentence", choice == RF_NEC_CHOICE_NONE
                                ? NULL : rf_nec_choice_to_sentence (choice));
}

static void
json_image (RfJsonWriter *json,
            RfFirmware   *fw)
{
  guint16 stored = 0, computed = 0;
  gboolean has_checksum = fw != NULL && rf_firmware_get_checksum (fw, &stored, &computed);
  g_autofree char *stored_hex = g_strdup_printf ("0x%04X", stored);
  g_autofree char *computed_hex = g_strdup_printf ("0x%04X", computed);

  rf_json_writer_key (json, "image");
  /* An NEC parse without a trailer ID found no image; other formats have no ID. */
  if (fw == NULL || rf_firmware_get_image (fw) == NULL ||
      (g_strcmp0 (rf_firmware_get_format (fw), "nec-2m") == 0 &&
                     rf_firmware_get_drive_id (fw) == NULL))
    {
      rf_json_writer_null (json);
      return;
    }
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "drive_id", rf_firmware_get_drive_id (fw));
  rf_json_writer_member_string (json, "model", rf_firmware_get_model (fw));
  rf_json_writer_member_string (json, "bootcode_version", rf_firmware_get_bootcode_version (fw));
  rf_json_writer_member_string (json, "vendor", rf_firmware_get_vendor (fw));
  rf_json_writer_member_string (json, "product", rf_firmware_get_product (fw));
  rf_json_writer_member_string (json, "revision", rf_firmware_get_revision (fw));
  rf_json_writer_member_string (json, "vendor_specific", rf_firmware_get_vendor_specific (fw));
  rf_json_writer_member_string (json, "checksum_stored", has_checksum ? stored_hex : NULL);
  rf_json_writer_member_string (json, "checksum_computed", has_checksum ? computed_hex : NULL);
  rf_json_writer_member_boolean (json, "checksum_ok", has_checksum && stored == computed);
  rf_json_writer_member_int (json, "size", (gint64) g_bytes_get_size (rf_firmware_get_image (fw)));
  rf_json_writer_member_string (json, "sha256", rf_firmware_get_image_sha256 (fw));
  rf_json_writer_member_boolean (json, "model_checked", rf_firmware_get_model_checked (fw));
  rf_json_writer_end_object (json);
}

static void
json_verdict (RfJsonWriter *json,
              RfVerdict    *verdict)
{
  RfVerdictWarnings warnings;

  rf_json_writer_key (json, "verdict");
  if (verdict == NULL)
    {
      rf_json_writer_null (json);
      return;
    }
  warnings = rf_verdict_get_warnings (verdict);
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "kind", rf_verdict_kind_to_nick (rf_verdict_get_kind (verdict)));
  rf_json_writer_member_string (json, "code", rf_verdict_get_code (verdict));
  rf_json_writer_member_string (json, "corrupt", rf_verdict_get_reason (verdict) ==
                                RF_VERDICT_REASON_CORRUPT
                                ? rf_firmware_problem_to_corrupt_nick (rf_verdict_get_problem (verdict))
                                : NULL);
  rf_json_writer_member_string (json, "sentence", rf_verdict_get_sentence (verdict));
  rf_json_writer_member_string (json, "next_step", rf_verdict_get_next_step (verdict));
  rf_json_writer_key (json, "warnings");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < RF_VERDICT_N_WARNINGS; i++)
    if (warnings & (1u << i))
      rf_json_writer_string (json, rf_verdict_warning_to_nick ((RfVerdictWarnings) (1u << i)));
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
}

static void
json_drive (RfJsonWriter      *json,
            const CheckResult *result)
{
  RfDriveIdentity *id = result->identity;

  rf_json_writer_key (json, "drive");
  if (id == NULL)
    {
      rf_json_writer_null (json);
      return;
    }
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "name", result->drive_name);
  rf_json_writer_member_string (json, "state",
                                rf_drive_state_to_nick (rf_device_get_state (result->device)));
  rf_json_writer_member_string (json, "probe_depth",
                                rf_probe_depth_to_nick (rf_device_get_probe_depth (result->device)));
  rf_json_writer_member_string (json, "family", id->family);
  rf_json_writer_member_string (json, "vendor", id->vendor);
  rf_json_writer_member_string (json, "product", id->product);
  rf_json_writer_member_string (json, "revision", id->revision);
  rf_json_writer_member_boolean (json, "safe_mode", id->safe_mode);
  rf_json_writer_member_string (json, "stored_id", id->stored_id);
  rf_json_writer_member_string (json, "bootcode_key", id->bootcode_key);
  rf_json_writer_member_string (json, "bootcode_version", id->bootcode_version);
  rf_json_writer_member_string (json, "counting_id", rf_drive_identity_counting_id (id));
  rf_json_writer_key (json, "backups");
  rf_json_writer_begin_array (json);
  for (guint i = 0; result->backups != NULL && i < result->backups->len; i++)
    rf_json_writer_string (json, ((const RfBackup *) result->backups->pdata[i])->image_path);
  rf_json_writer_end_array (json);
  /* Added beside "backups", whose strings stay as they were for scripts. */
  rf_json_writer_key (json, "backup_verdicts");
  rf_json_writer_begin_array (json);
  for (guint i = 0; result->backups != NULL && i < result->backups->len; i++)
    {
      rf_json_writer_begin_object (json);
      rf_json_writer_member_string (json, "image",
                                    ((const RfBackup *) result->backups->pdata[i])->image_path);
      rf_json_writer_member_string (json, "code", result->backup_codes->pdata[i]);
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
}

static void
print_json (const CheckResult *result)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  RfFirmwareProblem problem = result_problem (result);
  RfNecFirmware *nec = rf_firmware_check_get_nec (result->check);
  /* Format and image are those of the file the verdict judged: against an SPC
   * drive that is the family's raw image, not the NEC parse. */
  RfFirmware *fw = rf_firmware_check_get_judged (result->check) != NULL
                   ? rf_firmware_check_get_judged (result->check)
                   : nec != NULL ? RF_FIRMWARE (nec) : NULL;
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "file", result->path);
  rf_json_writer_key (json, "size");
  if (fw != NULL)
    rf_json_writer_int (json, (gint64) rf_firmware_get_input_size (fw));
  else if (problem == RF_FIRMWARE_PROBLEM_EMPTY)
    /* An empty file is read and parses to nothing, but its size is known. */
    rf_json_writer_int (json, 0);
  else
    rf_json_writer_null (json);
  rf_json_writer_member_string (json, "sha256", fw != NULL ? rf_firmware_get_input_sha256 (fw) : NULL);
  rf_json_writer_member_string (json, "format", fw != NULL ? rf_firmware_get_format (fw) : NULL);
  rf_json_writer_member_boolean (json, "usable", problem == RF_FIRMWARE_PROBLEM_NONE);
  rf_json_writer_member_string (json, "problem", problem == RF_FIRMWARE_PROBLEM_NONE
                                ? NULL : rf_firmware_problem_to_nick (problem));
  rf_json_writer_member_string (json, "corrupt", rf_firmware_problem_to_corrupt_nick (problem));
  rf_json_writer_member_string (json, "sentence", rf_firmware_problem_to_sentence (problem));
  json_image (json, fw);
  /* An updater is a file that holds images; random bytes scanned for them are not. */
  rf_json_writer_member_boolean (json, "updater", nec != NULL && rf_nec_firmware_is_container (nec) &&
                                 rf_nec_firmware_get_n_candidates (nec) > 0);
  json_candidates (json, nec);
  json_drive (json, result);
  json_verdict (json, rf_firmware_check_get_verdict (result->check));
  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

int
rf_cli_check_run (int    argc,
                  char **argv)
{
  g_autofree char *drive = NULL;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "drive", 'd', 0, G_OPTION_ARG_STRING, &drive,
      N_("Also judge the file against this drive"), N_("DRIVE") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("IMAGE — check a firmware file"));
  g_autoptr(GError) error = NULL;
  g_auto(CheckResult) result = { 0 };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 2)
    {
      fprintf (stderr, "reflash-cli check: %s\n",
               error != NULL ? error->message : _("give exactly one firmware file"));
      return RF_CLI_EXIT_USAGE;
    }
  result.path = argv[1];
  result.drive_name = drive;
  result.check = rf_firmware_check_new_for_file (result.path);
  if (drive != NULL && !judge_against_drive (&result, &error))
    {
      g_autofree char *sentence = rf_cli_drive_dup_error_sentence (drive, error);

      /* Translators: the file, the sentence saying what is wrong, the system's message */
      fprintf (stderr, _("reflash-cli check: %s: %s (%s)\n"), drive, sentence, error->message);
      return error->code == RF_ERROR_NOT_FOUND ? RF_CLI_EXIT_NOT_FOUND : RF_CLI_EXIT_FAILURE;
    }
  if (as_json)
    print_json (&result);
  else
    print_human (&result);
  if (result_problem (&result) == RF_FIRMWARE_PROBLEM_NOT_FOUND)
    return RF_CLI_EXIT_NOT_FOUND;
  if (rf_firmware_check_get_verdict (result.check) != NULL)
    return rf_verdict_is_allowed (rf_firmware_check_get_verdict (result.check)) ? RF_CLI_EXIT_OK : RF_CLI_EXIT_REFUSED;
  if (result_problem (&result) != RF_FIRMWARE_PROBLEM_NONE)
    return problem_exit (result_problem (&result));
  return RF_CLI_EXIT_OK;
}
