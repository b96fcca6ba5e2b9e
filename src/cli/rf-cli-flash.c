/* rf-cli-flash.c: the one path of `reflash-cli flash DRIVE IMAGE`,
 * `reflash-cli recover DRIVE IMAGE` (their options: rf-cli-flash-options.c)
 * and `reflash-cli resume` (rf-cli-resume.c, which only chooses the journal
 * and the drive): firmware written to a drive, proven byte for byte
 *
 * Before the job: a deep look at the drive (as `check --drive` takes it), the
 * verdict on the image, and every confirmation DOMAIN.md asks for, each on
 * its own (a flag, or a question on a terminal), then the general "Flash this
 * firmware?" that --yes answers. The job (rf-flash-job.h) then checks all of
 * it again under the drive's lock. Signals cancel it before the erase; from
 * the erase on they are answered with "the flash must finish".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "rf-cli-drive.h"
#include "rf-cli-flash.h"
#include "rf-cli-job.h"
#include "rf-cli-journals.h"
#include "rf-cli.h"

/* The confirmations of DOMAIN.md, each with its own option, in the order they
 * are asked. */
typedef struct {
  RfFlashConfirmations confirmation;
  const char *option;
  const char *question;
} Confirmation;

static const Confirmation confirmations[] = {
  { RF_FLASH_CONFIRM_TRAY_EMPTY, "--tray-empty",
    N_("Is the drive's tray empty, with no disc inside?") },
  { RF_FLASH_CONFIRM_ON_BATTERY, "--on-battery", N_("Write the firmware on battery?") },
  { RF_FLASH_CONFIRM_UNTESTED, "--accept-untested",
    N_("Flash a drive of a kind never tested on real hardware?") },
  { RF_FLASH_CONFIRM_DOWNGRADE, "--accept-downgrade", N_("Go back to the older firmware?") },
  { RF_FLASH_CONFIRM_UNKNOWN_ORDER, "--accept-unknown-order",
    N_("Flash a version that may be older than the one installed?") },
  { RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION, "--accept-no-bootcode-version",
    N_("Flash an image that does not name its bootcode version?") },
};

typedef struct {
  /* What the user asked for */
  const char *command;      /* "flash", "recover" or "resume" */
  const char *drive_name;
  const char *image_path;   /* NULL for a resume: the journal's copy is flashed */
  RfJournal *resume;
  gboolean as_json;
  gboolean yes;
  RfFlashConfirmations given;

  /* The look before the job */
  RfDriveDb *db;
  RfDevice *device;
  RfDriveIdentity *identity;
  RfDriveFamily *family;
  RfFirmwareCheck *check;
  RfPowerStatus power;

  /* The run */
  RfBackupStore *store;
  RfJournalStore *journals;
  RfFlashJob *job;          /* the run's job */
  RfCliJobRun run;
  gboolean inhibit_said;
  gboolean journal_problem_said;
} Flash;

static void
flash_clear (Flash *flash)
{
  rf_cli_job_run_clear (&flash->run);
  flash->job = NULL;
  g_clear_object (&flash->db);
  g_clear_object (&flash->device);
  g_clear_pointer (&flash->identity, rf_drive_identity_free);
  g_clear_pointer (&flash->family, rf_drive_family_unref);
  g_clear_object (&flash->check);
  g_clear_object (&flash->store);
  g_clear_object (&flash->journals);
  g_clear_object (&flash->resume);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Flash, flash_clear)

static const char *
or_unknown (const char *text)
{
  return text != NULL ? text : _("(unknown)");
}

/* "ND-3550A" for an ID of the drive's family, else the ID itself; in the
 * person's language for @translated (JSON keeps the family file's name). */
static const char *
model_of (Flash      *flash,
          const char *id,
          gboolean    translated)
{
  const RfDriveModel *model = flash->family != NULL && id != NULL
                              ? rf_drive_family_find_model (flash->family, id) : NULL;

  if (model == NULL)
    return id;
  return translated ? rf_drive_model_get_title (model) : model->name;
}

static gboolean
speaks_spc (Flash *flash)
{
  return flash->family != NULL && g_str_equal (flash->family->protocol, "spc-download");
}

/* Words: errors, warnings */

static void
say_warning (Flash      *flash,
             const char *code,
             const char *sentence)
{
  if (flash->run.progress != NULL)
    rf_cli_progress_clear (flash->run.progress);
  if (flash->as_json)
    {
      RfJsonWriter *json = rf_cli_event_begin ("warning");

      rf_json_writer_member_string (json, "code", code);
      rf_json_writer_member_string (json, "message", sentence);
      rf_cli_event_end (json, stdout);
    }
  fprintf (stderr, "reflash-cli %s: %s\n", flash->command, sentence);
}

/* Says why the flash did not happen, in words on stderr and, with --json, as
 * the last event; returns the exit status. */
static int
say_error (const char   *command,
           const char   *drive_name,
           gboolean      as_json,
           const GError *error,
           const char   *sentence,
           int           status)
{
  g_debug ("%s of %s: %s", command, drive_name != NULL ? drive_name : "-", error->message);
  if (as_json)
    {
      RfJsonWriter *json = rf_cli_error_event_begin (error, sentence);

      rf_json_writer_member_boolean (json, "needs_recovery",
                                     status == RF_CLI_EXIT_NEEDS_RECOVERY);
      rf_cli_event_end (json, stdout);
    }
  if (drive_name != NULL)
    fprintf (stderr, "reflash-cli %s: %s: %s\n", command, drive_name, sentence);
  else
    fprintf (stderr, "reflash-cli %s: %s\n", command, sentence);
  return status;
}

/**
 * rf_cli_flash_say_error:
 * @request: what was asked; its drive may still be %NULL
 *
 * For what stops a request before its run: said as the run says its own
 * failures, in words and, with --json, as the last event.
 *
 * Returns: @status
 */
int
rf_cli_flash_say_error (const RfCliFlashRequest *request,
                        const GError            *error,
                        const char              *sentence,
                        int                      status)
{
  return say_error (request->command, request->drive_name, request->as_json, error, sentence,
                    status);
}

static int
fail_with (Flash        *flash,
           const GError *error,
           const char   *sentence,
           int           status)
{
  if (flash->run.progress != NULL)
    rf_cli_progress_clear (flash->run.progress);
  return say_error (flash->command, flash->drive_name, flash->as_json, error, sentence, status);
}

static int
fail (Flash        *flash,
      const GError *error)
{
  g_autofree char *sentence = rf_cli_drive_dup_error_sentence (flash->drive_name, error);

  return fail_with (flash, error, sentence, rf_cli_exit_for_error (error));
}

/* Refused by the verdict, before anything was written. */
static int
fail_verdict (Flash     *flash,
              RfVerdict *verdict)
{
  g_autoptr(GError) error = g_error_new (RF_ERROR, RF_ERROR_IMAGE_REFUSED, "verdict %s",
                                         rf_verdict_get_code (verdict));
  g_autofree char *sentence = NULL;

  if (rf_verdict_get_next_step (verdict) != NULL)
    sentence = g_strdup_printf ("%s %s", rf_verdict_get_sentence (verdict),
                                rf_verdict_get_next_step (verdict));
  else
    sentence = g_strdup (rf_verdict_get_sentence (verdict));
  return fail_with (flash, error, sentence, RF_CLI_EXIT_REFUSED);
}

/* The look before the job */

/* A deep look, as `check --drive` takes it: a drive in safe mode is
 * identified too (nec-2m.md §8 step 3); the tray question comes before the
 * job sends anything more. */
static gboolean
look (Flash   *flash,
      double   practice_speed,
      GError **error)
{
  flash->db = rf_drive_db_new_default (error);
  if (flash->db == NULL)
    return FALSE;
  flash->device = rf_cli_find_drive (flash->db, flash->drive_name, practice_speed, error);
  if (flash->device == NULL ||
      !rf_cli_drive_check (flash->device, flash->db, flash->command, RF_PROBE_DEPTH_DEEP, error))
    return FALSE;
  flash->identity = rf_device_dup_identity (flash->device);
  flash->family = rf_device_dup_family (flash->device);
  rf_firmware_check_judge (flash->check, flash->family, flash->identity,
                           rf_device_get_state (flash->device),
                           rf_device_get_probe_depth (flash->device));
  rf_power_read (NULL, &flash->power);
  return TRUE;
}

/* recover: the firmware a drive needs back, never a step down or sideways. */
static gboolean
fits_recovery (RfVerdict *verdict)
{
  switch (rf_verdict_get_kind (verdict))
    {
    case RF_VERDICT_KIND_RECOVERY:
    case RF_VERDICT_KIND_REINSTALL:
    case RF_VERDICT_KIND_UPGRADE:
      return (rf_verdict_get_warnings (verdict) & RF_VERDICT_WARNING_UNKNOWN_ORDER) == 0;
    case RF_VERDICT_KIND_DOWNGRADE:
    case RF_VERDICT_KIND_REFUSED:
    case RF_VERDICT_KIND_LAST:
    default:
      return FALSE;
    }
}

/* A resume writes again the image the person confirmed for this drive when
 * the flash began. Besides firmware that brings the drive back, that is an
 * image whose order against what the drive runs cannot be known: a standard
 * download interrupted before its save leaves the old microcode running, and
 * its revisions have no known order (spc-download.md "Interrupted
 * download"). The unknown order is asked about again. */
static gboolean
fits_resume (RfVerdict *verdict)
{
  /* A refused verdict never gets here: flash_image() turns it away first. */
  return fits_recovery (verdict) ||
         (rf_verdict_get_warnings (verdict) & RF_VERDICT_WARNING_UNKNOWN_ORDER) != 0;
}

/* A resume whose flash stopped before the erase, on a drive that still runs
 * what it ran then (nec-2m.md §3): the job will find nothing to write and
 * close the journal, so what the verdict asks of a flash does not apply. If
 * the drive turns out otherwise under the job's lock, the job judges the
 * image itself and refuses what was not confirmed. */
static gboolean
looks_unchanged (Flash *flash)
{
  return flash->resume != NULL && rf_journal_drive_is_unchanged (flash->resume, flash->identity);
}

static RfFlashConfirmations
needed_confirmations (Flash *flash)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (flash->check);
  RfFlashConfirmations needed = RF_FLASH_CONFIRM_NONE;

  if (flash->identity->safe_mode)
    needed |= RF_FLASH_CONFIRM_TRAY_EMPTY;
  if (flash->power.source == RF_POWER_BATTERY)
    needed |= RF_FLASH_CONFIRM_ON_BATTERY;
  if (looks_unchanged (flash))
    return needed;
  return needed | rf_flash_confirmations_for_verdict (verdict);
}

/* Why a confirmation is asked: the words the person weighs. */
static char *
dup_reason (Flash                *flash,
            RfFlashConfirmations  confirmation)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (flash->check);

  switch (confirmation)
    {
    case RF_FLASH_CONFIRM_TRAY_EMPTY:
      return g_strdup (_("The drive is in safe mode, where it cannot tell whether a disc is "
                         "inside. Writing firmware with a disc in the tray is not safe."));
    case RF_FLASH_CONFIRM_ON_BATTERY:
      return rf_power_status_to_sentence (&flash->power);
    case RF_FLASH_CONFIRM_UNTESTED:
      return g_strdup (rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_SPEC_ONLY));
    case RF_FLASH_CONFIRM_DOWNGRADE:
      return g_strdup (rf_verdict_get_sentence (verdict));
    case RF_FLASH_CONFIRM_UNKNOWN_ORDER:
      return g_strdup (rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_UNKNOWN_ORDER));
    case RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION:
      return g_strdup (rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_NO_BOOTCODE_VERSION));
    case RF_FLASH_CONFIRM_NONE:
    case RF_FLASH_CONFIRM_NO_BACKUP:
    default:
      g_assert_not_reached ();
    }
}

/* The plan: what is about to happen, before any question */

static const char *
image_revision (Flash *flash)
{
  RfFirmware *judged = rf_firmware_check_get_judged (flash->check);

  return judged != NULL ? rf_firmware_get_revision (judged) : NULL;
}

/* The model a drive counts as: NEC's proven bootcode key; an SPC drive has
 * no identity below INQUIRY, so the family's model its INQUIRY matched. */
static const char *
model_named_by (Flash                 *flash,
                const RfDriveIdentity *identity,
                gboolean               translated)
{
  const char *counting = rf_drive_identity_counting_id (identity);
  g_autofree char *matched = NULL;

  if (counting != NULL)
    return model_of (flash, counting, translated);
  matched = rf_device_dup_model_id (flash->device);
  if (matched != NULL && flash->family != NULL &&
      rf_drive_family_find_model (flash->family, matched) != NULL)
    return model_of (flash, matched, translated);
  return identity->product;
}

static const char *
drive_model (Flash    *flash,
             gboolean  translated)
{
  return model_named_by (flash, flash->identity, translated);
}

static gboolean
will_back_up (Flash *flash)
{
  return !flash->identity->safe_mode && (flash->given & RF_FLASH_CONFIRM_NO_BACKUP) == 0;
}

/* The file flashed: the one given, or a resume's copy in its journal. */
static const char *
image_file (Flash *flash)
{
  return flash->resume != NULL ? rf_journal_get_image_path (flash->resume) : flash->image_path;
}

static void
write_plan_event (Flash *flash)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (flash->check);
  RfJsonWriter *json = rf_cli_event_begin ("plan");

  rf_json_writer_member_string (json, "drive", flash->drive_name);
  rf_json_writer_member_string (json, "model", drive_model (flash, FALSE));
  rf_json_writer_member_string (json, "revision", flash->identity->revision);
  rf_json_writer_member_boolean (json, "safe_mode", flash->identity->safe_mode);
  rf_json_writer_member_string (json, "image", image_file (flash));
  rf_json_writer_member_string (json, "image_revision", image_revision (flash));
  rf_json_writer_member_string (json, "verdict", rf_verdict_get_code (verdict));
  rf_json_writer_member_string (json, "sentence", rf_verdict_get_sentence (verdict));
  rf_json_writer_member_boolean (json, "backup", will_back_up (flash));
  rf_json_writer_member_string (json, "journal", flash->resume != NULL
                                ? rf_journal_get_id (flash->resume) : NULL);
  rf_json_writer_member_string (json, "journal_phase", flash->resume != NULL
                                ? rf_journal_phase_to_nick (rf_journal_get_phase (flash->resume))
                                : NULL);
  rf_cli_event_end (json, stdout);
}

/* On stderr with --json, so that stdout carries the events alone. */
static FILE *
words_out (Flash *flash)
{
  return flash->as_json ? stderr : stdout;
}

/* A resume flashes the journal's copy: say where the interrupted flash
 * stopped, and that the copy, not a file, is written. */
static void
print_resumed (Flash *flash,
               FILE  *out)
{
  RfJournal *journal = flash->resume;

  /* Translators: the name of the file the interrupted flash was started with,
   * then the firmware version in it */
  fprintf (out, _("Image:     %s, firmware %s (the copy Reflash kept of it)\n"),
           rf_journal_get_image_name (journal), or_unknown (image_revision (flash)));
  /* Translators: a line of “reflash-cli flash and recover”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  fprintf (out, _("Stopped:   %s\n"),
           rf_cli_journal_phase_to_sentence (flash->db, journal));
  if (looks_unchanged (flash))
    fprintf (out, "%s\n", _("The drive still runs the firmware it ran then: if the last look "
                            "agrees, nothing is written and the interrupted flash is closed."));
}

/* A standard download's image is raw bytes: what they are is shown, and an
 * image the family cannot check is said to be unchecked, never taken
 * silently (spc-download.md "Images"). */
static void
print_raw_image (Flash *flash,
                 FILE  *out)
{
  GBytes *bytes = rf_firmware_check_get_bytes (flash->check);
  g_autofree char *sha256 = NULL;
  g_autofree char *size = NULL;

  if (bytes == NULL)
    return;
  sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  size = g_format_size_full (g_bytes_get_size (bytes), G_FORMAT_SIZE_LONG_FORMAT);
  /* Translators: the image's size ("2.1 MB (2,097,152 bytes)"), then its SHA-256 */
  fprintf (out, _("Contents:  %s, SHA-256 %s\n"), size, sha256);
  if (!flash->family->download.has_model_check)
    fprintf (out, "%s\n", _("Nothing in this file says which model it is for: check for "
                            "yourself that it is firmware for exactly this drive."));
}

static void
print_plan (Flash *flash)
{
  RfVerdict *verdict = rf_firmware_check_get_verdict (flash->check);
  FILE *out = words_out (flash);

  if (flash->as_json)
    write_plan_event (flash);
  /* Translators: a line of “reflash-cli flash and recover”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  fprintf (out, _("Drive:     %s, %s\n"), flash->drive_name,
           or_unknown (drive_model (flash, TRUE)));
  if (flash->identity->safe_mode && speaks_spc (flash))
    fprintf (out, "%s\n", _("Now:       boot mode (only the drive's boot code runs)"));
  else if (flash->identity->safe_mode)
    /* Translators: a line of the flash plan: the bootcode version; pad the label so that the
     * values line up */
    fprintf (out, _("Now:       safe mode (only the bootcode runs; version %s)\n"),
             or_unknown (flash->identity->revision));
  else
    /* Translators: a line of the flash plan: the firmware version; pad the label so that the
     * values line up */
    fprintf (out, _("Now:       firmware %s\n"), or_unknown (flash->identity->revision));
  if (flash->resume != NULL)
    print_resumed (flash, out);
  else
    /* Translators: a line of “reflash-cli flash and recover”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    fprintf (out, _("Image:     %s, firmware %s\n"), flash->image_path,
             or_unknown (image_revision (flash)));
  if (speaks_spc (flash) && flash->resume == NULL)
    print_raw_image (flash, out);
  /* Translators: the verdict's code ("upgrade"), then its sentence */
  fprintf (out, _("Verdict:   %s: %s\n"), rf_verdict_get_code (verdict),
           rf_verdict_get_sentence (verdict));
  if (will_back_up (flash))
    fprintf (out, "%s\n", _("The drive's firmware is backed up first, read twice and compared."));
  fflush (out);
}

/* Questions */

static int
not_confirmed (Flash      *flash,
               const char *detail)
{
  g_autoptr(GError) error = g_error_new (RF_ERROR, RF_ERROR_NEEDS_CONFIRMATION,
                                         "not confirmed: %s", detail);

  return fail (flash, error);
}

/* spc-download.md "Images": nothing in a standard download stops a drive from
 * taking another model's file, so for such a family the person states that
 * the file is for this exact model. */
static gboolean
ask_confirmation (Flash              *flash,
                  const Confirmation *c)
{
  g_autofree char *question = NULL;

  if (c->confirmation != RF_FLASH_CONFIRM_UNTESTED || !speaks_spc (flash))
    return rf_cli_ask (_(c->question));
  /* Translators: %s is the drive's model ("Practice SPC drive") */
  question = g_strdup_printf (_("This file is firmware for exactly this model, the %s, and you "
                                "want to flash it although drives of this kind were never "
                                "tested. Is that right?"),
                              or_unknown (drive_model (flash, TRUE)));
  return rf_cli_ask (question);
}

/* Each extra confirmation on its own: its option, or a question on a
 * terminal. Without either, each missing one is named with its option. */
static int
confirm_each (Flash                *flash,
              RfFlashConfirmations  needed)
{
  g_autoptr(GString) missing = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (confirmations); i++)
    {
      const Confirmation *c = &confirmations[i];
      g_autofree char *reason = NULL;

      if ((needed & c->confirmation) == 0 || (flash->given & c->confirmation) != 0)
        continue;
      reason = dup_reason (flash, c->confirmation);
      if (!rf_cli_is_interactive ())
        {
          /* Translators: why a confirmation is needed, then the option that gives it */
          g_autofree char *sentence = g_strdup_printf (_("%s Confirm it with %s."), reason,
                                                       c->option);

          say_warning (flash, rf_flash_confirmation_to_nick (c->confirmation), sentence);
          g_string_append_printf (missing, "%s ", c->option);
          continue;
        }
      fprintf (stderr, "%s\n", reason);
      if (!ask_confirmation (flash, c))
        return not_confirmed (flash, c->option);
      flash->given |= c->confirmation;
    }
  if (missing->len > 0)
    return not_confirmed (flash, missing->str);
  return RF_CLI_EXIT_OK;
}

/* The general question, which --yes answers and nothing else. */
static int
confirm_flash (Flash *flash)
{
  if (flash->yes)
    return RF_CLI_EXIT_OK;
  if (!rf_cli_is_interactive ())
    {
      say_warning (flash, "flash", _("Without a terminal to ask on, say --yes to flash."));
      return not_confirmed (flash, "--yes");
    }
  if (flash->resume != NULL)
    return rf_cli_ask (_("Resume the interrupted flash?")) ? RF_CLI_EXIT_OK
                                                           : not_confirmed (flash, "declined");
  return rf_cli_ask (_("Flash this firmware?")) ? RF_CLI_EXIT_OK
                                                : not_confirmed (flash, "declined");
}

static int
confirm (Flash *flash)
{
  int status;

  if (flash->power.source == RF_POWER_BATTERY_LOW)
    {
      g_autofree char *sentence = rf_power_status_to_sentence (&flash->power);
      g_autoptr(GError) error = g_error_new_literal (RF_ERROR, RF_ERROR_LOW_BATTERY, "low");

      return fail_with (flash, error, sentence, RF_CLI_EXIT_REFUSED);
    }
  print_plan (flash);
  if (!flash->identity->safe_mode && (flash->given & RF_FLASH_CONFIRM_NO_BACKUP) != 0)
    say_warning (flash, "no-backup",
                 _("No backup is made first (--no-backup): if this firmware turns out to be "
                   "wrong or the flash fails, the firmware the drive runs now is lost, and only "
                   "a file from its maker can bring it back."));
  if ((status = confirm_each (flash, needed_confirmations (flash))) != RF_CLI_EXIT_OK)
    return status;
  return confirm_flash (flash);
}

/* The run */

static void
say_inhibit_refusal (Flash *flash)
{
  g_autoptr(GError) refusal = NULL;

  if (flash->inhibit_said || (refusal = rf_flash_job_dup_inhibit_refusal (flash->job)) == NULL)
    return;
  flash->inhibit_said = TRUE;
  say_warning (flash, rf_error_code_to_nick (RF_ERROR_INHIBIT_REFUSED),
               rf_error_code_to_sentence (RF_ERROR_INHIBIT_REFUSED));
}

/* The journal could not be updated after it was written: the flash goes on
 * (stopping would be worse), but a crash now may leave nothing to resume
 * from, so the person keeps the file. */
static void
say_journal_problem (Flash *flash)
{
  g_autoptr(GError) problem = NULL;
  g_autofree char *sentence = NULL;
  RfError code;

  if (flash->journal_problem_said)
    return;
  problem = rf_flash_job_dup_journal_problem (flash->job);
  if (problem == NULL)
    return;
  flash->journal_problem_said = TRUE;
  g_debug ("journal: %s", problem->message);
  code = rf_error_get_code (problem);
  /* Translators: %s is the reason, a sentence ("The disk is full.") */
  sentence = g_strdup_printf (_("Reflash could not update its record of this flash, which lets it "
                                "pick the flash up again after a crash: %s The flash goes on. "
                                "Keep the firmware file until it has finished."),
                              rf_error_code_to_sentence (code));
  say_warning (flash, "journal-not-updated", sentence);
}

static void
on_tick (RfCliJobRun              *run,
         const RfProgressSnapshot *snapshot)
{
  Flash *flash = run->user_data;

  say_inhibit_refusal (flash);
  say_journal_problem (flash);
}

/* Before the erase a signal cancels; from the erase on it is refused with its
 * reason, and the flash goes on. */
static void
on_signal (RfCliJobRun *run)
{
  Flash *flash = run->user_data;
  g_autoptr(GError) refused = NULL;
  gboolean first = !g_cancellable_is_cancelled (run->cancellable);

  if (!rf_flash_job_cancel (flash->job, run->cancellable, &refused))
    {
      say_warning (flash, rf_error_code_to_nick (RF_ERROR_CANCEL_REFUSED),
                   _("The flash must finish: the old firmware is being replaced, and stopping "
                     "now would leave the drive without firmware. From now on, do not switch "
                     "off the computer or the drive."));
      return;
    }
  if (rf_must_finish_is_active ())
    fprintf (stderr, "%s\n", _("Reflash must first bring the drive back from safe mode; it "
                               "stops as soon as that is done."));
  else if (first)
    fprintf (stderr, "%s\n", _("Cancelling the flash…"));
}

static void
make_job (Flash *flash)
{
  /* The invoking user's store, as `reflash-cli backups` lists it. */
  flash->store = rf_backup_store_new (NULL);
  /* And the invoking user's journals, as `reflash-cli journals` lists them. */
  flash->journals = rf_journal_store_new (NULL);
  flash->job = rf_flash_job_new (flash->device, flash->db, flash->check, flash->store);
  rf_flash_job_set_confirmations (flash->job, flash->given);
  rf_flash_job_set_journal_store (flash->job, flash->journals);
  if (flash->resume != NULL)
    rf_flash_job_set_resume (flash->job, flash->resume);
  flash->run.job = RF_JOB (flash->job);
  flash->run.on_signal = on_signal;
  flash->run.on_tick = on_tick;
  flash->run.user_data = flash;
}

/* The result */

static void
print_backup (Flash *flash)
{
  const RfBackup *backup = rf_flash_job_get_backup (flash->job);

  if (backup != NULL)
    /* Translators: the backup file's path */
    printf (_("The firmware it ran before is backed up in %s\n"), backup->image_path);
  else if (!flash->identity->safe_mode)
    printf ("%s\n", _("No backup was made."));
}

static void
write_done_event (Flash           *flash,
                  RfDriveIdentity *after,
                  const char      *model)
{
  const RfBackup *backup = rf_flash_job_get_backup (flash->job);
  RfJsonWriter *json = rf_cli_event_begin ("done");

  rf_json_writer_member_string (json, "drive", flash->drive_name);
  rf_json_writer_member_string (json, "model", model);
  rf_json_writer_member_string (json, "revision", after->revision);
  rf_json_writer_member_string (json, "stored_id", after->stored_id);
  rf_json_writer_member_string (json, "stored_model",
                                model_of (flash, after->stored_id, FALSE));
  rf_json_writer_member_string (json, "backup", backup != NULL ? backup->image_path : NULL);
  rf_json_writer_member_string (json, "backup_sha256", backup != NULL ? backup->sha256 : NULL);
  rf_json_writer_member_boolean (json, "unchanged", rf_flash_job_get_found_unchanged (flash->job));
  rf_cli_event_end (json, stdout);
}

/* A resume whose flash had stopped before the erase, on a drive that runs
 * what it ran before: nothing was written, and the journal is closed. */
static int
finish_unchanged (Flash *flash)
{
  g_autoptr(RfDriveIdentity) after = rf_flash_job_dup_identity_after (flash->job);
  RfDriveIdentity *now = after != NULL ? after : flash->identity;

  if (flash->as_json)
    {
      write_done_event (flash, now, model_named_by (flash, now, FALSE));
      return RF_CLI_EXIT_OK;
    }
  /* Translators: the firmware version the drive runs */
  printf (_("The flash had stopped before anything was erased: the drive is unchanged and still "
            "runs firmware %s. The interrupted flash is closed.\n"),
          or_unknown (now->revision));
  return RF_CLI_EXIT_OK;
}

/* DOMAIN.md "What a good ending looks like", from the look after the flash. */
static int
finish (Flash *flash)
{
  g_autoptr(RfDriveIdentity) after = NULL;
  const char *counting;
  const char *model;

  if (rf_flash_job_get_found_unchanged (flash->job))
    return finish_unchanged (flash);
  after = rf_flash_job_dup_identity_after (flash->job);
  counting = rf_drive_identity_counting_id (after);
  if (flash->as_json)
    {
      write_done_event (flash, after, model_named_by (flash, after, FALSE));
      return RF_CLI_EXIT_OK;
    }
  model = model_named_by (flash, after, TRUE);
  /* Translators: the drive's model ("ND-3550A"), then its firmware version ("1.06") */
  printf (_("Your %s now runs firmware %s.\n"), or_unknown (model), or_unknown (after->revision));
  if (after->stored_id != NULL && g_strcmp0 (after->stored_id, counting) != 0)
    /* Translators: the model the stored ID names ("ND-4551A"), then the model
     * of the drive's bootcode ("ND-3550A") */
    printf (_("The identity stored in the drive still names the %s: every later update must be "
              "firmware for the %s.\n"), model_of (flash, after->stored_id, TRUE), model);
  print_backup (flash);
  if (flash->resume != NULL)
    printf ("%s\n", _("The interrupted flash is finished and its record closed."));
  return RF_CLI_EXIT_OK;
}

/* How to repair a drive a flash left without firmware: the same image
 * again; the journal keeps a copy, unless it could not be kept up. */
static char *
dup_recovery_step (Flash *flash)
{
  g_autoptr(GError) problem = rf_flash_job_dup_journal_problem (flash->job);
  gboolean journal_kept = rf_flash_job_get_journal (flash->job) != NULL && problem == NULL;

  if (speaks_spc (flash) && !flash->family->download.boot_mode_accepts_download)
    return g_strdup (_("Drives of this kind take no new firmware in boot mode: if it does not "
                       "start normally after switching the computer off and on, it needs its "
                       "maker's own firmware tool."));
  if (flash->resume != NULL)
    /* Translators: %s is the drive */
    return g_strdup_printf (_("Run “reflash-cli resume %s” again to repair it: the record of "
                              "the flash and its copy of the image are kept."),
                            flash->drive_name);
  if (journal_kept)
    /* Translators: the drive and the image, then the drive again */
    return g_strdup_printf (_("Run “reflash-cli recover %s %s” with the same image to repair "
                              "it, or “reflash-cli resume %s”, which uses the copy of the "
                              "image Reflash kept."),
                            flash->drive_name, flash->image_path, flash->drive_name);
  /* Translators: the drive and the image */
  return g_strdup_printf (_("Run “reflash-cli recover %s %s” with the same image to repair "
                            "it."), flash->drive_name, flash->image_path);
}

/* A download the drive refused at its end, or ignored: it still runs its old
 * firmware, as a fresh identification showed. */
static int
fail_not_applied (Flash        *flash,
                  const GError *error)
{
  g_autoptr(RfDriveIdentity) after = rf_flash_job_dup_identity_after (flash->job);
  g_autofree char *sentence = NULL;

  /* Translators: %s is the firmware version the drive ran before, and runs still */
  sentence = g_strdup_printf (_("The drive did not take the new firmware: it still runs firmware "
                                "%s, as before, and nothing on it was changed. Check that the file "
                                "is firmware for exactly this model; if it is, ask the drive's "
                                "maker why the drive refuses it."),
                              or_unknown (after != NULL ? after->revision : NULL));
  return fail_with (flash, error, sentence, rf_cli_exit_for_error (error));
}

static int
fail_job (Flash        *flash,
          const GError *error)
{
  RfVerdict *verdict = rf_flash_job_get_verdict (flash->job);
  RfError code = rf_error_get_code (error);
  g_autofree char *sentence = NULL;

  if (rf_flash_job_get_needs_recovery (flash->job))
    {
      g_autofree char *next_step = dup_recovery_step (flash);

      if (speaks_spc (flash))
        /* Translators: what failed, then how to repair the drive */
        sentence = g_strdup_printf (_("%s The drive did not come back with the new firmware and "
                                      "may now start only in its boot mode. %s"),
                                    rf_error_code_to_sentence (code), next_step);
      else
        /* Translators: what failed, then how to repair the drive */
        sentence = g_strdup_printf (_("%s The flash stopped after the old firmware was erased; "
                                      "the drive waits in safe mode with only its bootcode. %s"),
                                    rf_error_code_to_sentence (code), next_step);
      return fail_with (flash, error, sentence, RF_CLI_EXIT_NEEDS_RECOVERY);
    }
  if (rf_flash_job_get_not_applied (flash->job))
    return fail_not_applied (flash, error);
  if (code == RF_ERROR_IMAGE_REFUSED && verdict != NULL && !rf_verdict_is_allowed (verdict))
    return fail_verdict (flash, verdict);
  if (code == RF_ERROR_CANCELLED)
    return fail_with (flash, error, _("Flash cancelled; nothing was changed."),
                      RF_CLI_EXIT_CANCELLED);
  if (code == RF_ERROR_NEEDS_CONFIRMATION)
    {
      /* The drive or the power changed since the questions: say what is missing. */
      RfFlashConfirmations missing = rf_flash_job_get_missing (flash->job);

      flash->given = RF_FLASH_CONFIRM_NONE;
      if (missing != RF_FLASH_CONFIRM_NONE && !rf_cli_is_interactive ())
        confirm_each (flash, missing);
      return fail (flash, error);
    }
  /* Translators: what failed; the flash had not started to erase anything */
  sentence = g_strdup_printf (_("%s Nothing on the drive was changed; it is safe to try again."),
                              rf_error_code_to_sentence (code));
  return fail_with (flash, error, sentence, rf_cli_exit_for_error (error));
}

/* The image to flash: the file given, or the copy a resume's journal kept,
 * whose SHA-256 must still hold (RF_ERROR_JOURNAL_DAMAGED otherwise). */
static gboolean
load_image (Flash   *flash,
            GError **error)
{
  g_autoptr(GBytes) bytes = NULL;

  if (flash->resume == NULL)
    {
      flash->check = rf_firmware_check_new_for_file (flash->image_path);
      if (rf_firmware_check_get_load_problem (flash->check) != RF_FIRMWARE_PROBLEM_NOT_FOUND)
        return TRUE;
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "%s: no such file", flash->image_path);
      return FALSE;
    }
  bytes = rf_journal_load_image (flash->resume, error);
  if (bytes == NULL)
    return FALSE;
  flash->check = rf_firmware_check_new_for_bytes (rf_journal_get_image_name (flash->resume),
                                                  bytes);
  return TRUE;
}

static int
fail_load (Flash        *flash,
           const GError *error)
{
  if (g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND) && flash->resume == NULL)
    return fail_with (flash, error,
                      rf_firmware_problem_to_sentence (RF_FIRMWARE_PROBLEM_NOT_FOUND),
                      RF_CLI_EXIT_NOT_FOUND);
  return fail (flash, error);
}

/* recover and resume write only firmware that brings the drive back. */
static int
refuse_step_aside (Flash     *flash,
                   RfVerdict *verdict)
{
  g_autoptr(GError) refused = g_error_new (RF_ERROR, RF_ERROR_IMAGE_REFUSED, "%s: %s",
                                           flash->command, rf_verdict_get_code (verdict));
  g_autofree char *sentence = NULL;

  if (flash->resume != NULL)
    /* Translators: the verdict's first sentence comes first, then this one */
    sentence = g_strdup_printf (_("%s The firmware of the interrupted flash no longer brings this "
                                  "drive back, so it is not written."),
                                rf_verdict_get_sentence (verdict));
  else
    /* Translators: the verdict's first sentence comes first; "recover" is the command's name,
     * keep it */
    sentence = g_strdup_printf (_("%s recover writes only firmware that brings the drive back: "
                                  "use “reflash-cli flash” for this file."),
                                rf_verdict_get_sentence (verdict));
  return fail_with (flash, refused, sentence, RF_CLI_EXIT_REFUSED);
}

static gboolean
only_brings_back (Flash *flash)
{
  return g_str_equal (flash->command, "recover") || flash->resume != NULL;
}

static int
flash_image (Flash  *flash,
             double  practice_speed)
{
  g_autoptr(GError) error = NULL;
  RfVerdict *verdict;
  int status;

  if (!load_image (flash, &error))
    return fail_load (flash, error);
  flash->run.progress = rf_cli_progress_new (rf_cli_progress_style_for (flash->as_json), stdout);
  if (!look (flash, practice_speed, &error))
    return fail (flash, error);
  verdict = rf_firmware_check_get_verdict (flash->check);
  if (!looks_unchanged (flash) && !rf_verdict_is_allowed (verdict))
    return fail_verdict (flash, verdict);
  if (!looks_unchanged (flash) && only_brings_back (flash) &&
      !(flash->resume != NULL ? fits_resume (verdict) : fits_recovery (verdict)))
    return refuse_step_aside (flash, verdict);
  if ((status = confirm (flash)) != RF_CLI_EXIT_OK)
    return status;
  make_job (flash);
  if (!rf_cli_job_run (&flash->run))
    {
      say_journal_problem (flash);
      return fail_job (flash, flash->run.error);
    }
  on_tick (&flash->run, NULL);
  return finish (flash);
}

/**
 * rf_cli_flash_run_request:
 *
 * The whole of a flash, from the image's loading to the drive's new answer.
 *
 * Returns: the exit status, as reflash-cli(1) gives it
 */
int
rf_cli_flash_run_request (const RfCliFlashRequest *request)
{
  g_auto(Flash) flash = { 0 };

  g_return_val_if_fail (request->drive_name != NULL, RF_CLI_EXIT_FAILURE);
  g_return_val_if_fail ((request->image_path != NULL) != (request->resume != NULL),
                        RF_CLI_EXIT_FAILURE);

  flash.command = request->command;
  flash.drive_name = request->drive_name;
  flash.image_path = request->image_path;
  flash.resume = request->resume != NULL ? g_object_ref (request->resume) : NULL;
  flash.as_json = request->as_json;
  flash.yes = request->yes;
  flash.given = request->given;
  return flash_image (&flash, request->practice_speed);
}
