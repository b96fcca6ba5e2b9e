/* rf-flash-nec.c: the NEC 2 MiB flash, as nec-2m.md §3 "Reflash's flash" says
 *
 * Enter safe mode with the bootcode's key, upload, send the checksum, erase
 * (the point of no return), program, leave, wait for the restart, read the
 * whole main area back and identify the drive once more. Before the erase a
 * drive found in normal mode is given back with one SAFE MODE leave.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-device-private.h"
#include "rf-error.h"
#include "rf-firmware-check.h"
#include "rf-flash-job-private.h"
#include "rf-flash-protocol.h"
#include "rf-must-finish.h"
#include "rf-nec-2m.h"
#include "rf-scsi.h"

/* nec-2m.md §1: READ MEM of the read-back, as the backup reads it. */
#define READ_BACK_EXPECTED_US (5 * G_USEC_PER_SEC)

typedef struct {
  gboolean entered;   /* an accepted SAFE MODE enter, to be left again */
} NecState;

static const RfPhase nec_phases[] = {
  RF_PHASE_PREFLIGHT, RF_PHASE_BACKUP, RF_PHASE_ENTER_SAFE_MODE, RF_PHASE_UPLOAD,
  RF_PHASE_CHECKSUM, RF_PHASE_ERASE, RF_PHASE_PROGRAM, RF_PHASE_RESTART, RF_PHASE_VERIFY,
};

static gpointer
nec_state_new (void)
{
  return g_new0 (NecState, 1);
}

static const guint8 *
image_data (RfFlashJob *job)
{
  return g_bytes_get_data (rf_flash_job_get_image (job), NULL);
}

static const char *
bootcode_key (RfFlashJob *job)
{
  return rf_flash_job_get_before (job)->bootcode_key;
}

/* nec-2m.md §3: WRITE RAM moves 0x8000 bytes at once. */
static gboolean
nec_check_connection (RfFlashJob  *job,
                      GError     **error)
{
  gsize limit = rf_transport_get_max_transfer (rf_flash_job_get_transport (job));

  if (limit >= RF_NEC_UPLOAD_CHUNK)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
               "the connection carries at most %" G_GSIZE_FORMAT " bytes per command; "
               "a flash needs 0x%X", limit, RF_NEC_UPLOAD_CHUNK);
  return FALSE;
}

/* DOMAIN.md: the identity that counts is the bootcode's. The key that opens
 * safe mode must be the image's ID, or nothing is written. */
static gboolean
nec_check_image (RfFlashJob  *job,
                 GError     **error)
{
  const RfDriveIdentity *before = rf_flash_job_get_before (job);
  RfFirmware *judged = rf_firmware_check_get_judged (rf_flash_job_get_check (job));
  GBytes *image = rf_flash_job_get_image (job);

  if (before->bootcode_key == NULL ||
      g_strcmp0 (before->bootcode_key, rf_firmware_get_drive_id (judged)) != 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED,
                   "the bootcode's key is %s, the image is for %s",
                   before->bootcode_key != NULL ? before->bootcode_key : "unknown",
                   rf_firmware_get_drive_id (judged));
      return FALSE;
    }
  if (g_bytes_get_size (image) < RF_NEC_IMAGE_SIZE)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "the image holds %" G_GSIZE_FORMAT " bytes",
                   g_bytes_get_size (image));
      return FALSE;
    }
  return TRUE;
}

/* ---- before the point of no return ---- */

static gboolean
enter_safe_mode (RfFlashJob    *job,
                 GCancellable  *cancellable,
                 GError       **error)
{
  NecState *state = rf_flash_job_get_state (job);
  RfCommand enter;

  if (!rf_flash_job_begin_phase (job, RF_PHASE_ENTER_SAFE_MODE, 0, error))
    return FALSE;
  /* Only an accepted enter is followed by a leave (§3, before the point of no
   * return); an enter that got no answer leaves the drive as the bootcode
   * keeps it, which a power cycle ends. */
  state->entered = rf_flash_job_send (job, rf_nec_build_safe_mode (&enter, TRUE, bootcode_key (job)),
                                      &enter,
                                      rf_flash_job_expected_per_command_us (job, RF_PHASE_ENTER_SAFE_MODE, 1),
                                      cancellable, "SAFE MODE enter", error);
  return state->entered;
}

static gboolean
upload (RfFlashJob    *job,
        GCancellable  *cancellable,
        GError       **error)
{
  guint64 expected = rf_flash_job_expected_per_command_us (job, RF_PHASE_UPLOAD,
                                                           RF_NEC_UPLOAD_CHUNKS);
  g_autofree guint8 *piece = g_malloc (RF_NEC_UPLOAD_CHUNK);

  if (!rf_flash_job_begin_phase (job, RF_PHASE_UPLOAD, RF_NEC_MAIN_SIZE, error))
    return FALSE;
  for (guint i = 0; i < RF_NEC_UPLOAD_CHUNKS; i++)
    {
      guint32 offset = i * RF_NEC_UPLOAD_CHUNK;
      g_autofree char *what = g_strdup_printf ("WRITE RAM at 0x%06X",
                                               RF_NEC_MAIN_START + offset);
      RfCommand command;

      memcpy (piece, image_data (job) + offset, RF_NEC_UPLOAD_CHUNK);
      if (!rf_flash_job_send (job, rf_nec_build_write_ram (&command, RF_NEC_MAIN_START + offset,
                                                           piece, RF_NEC_UPLOAD_CHUNK),
                              &command, expected, cancellable, what, error))
        return FALSE;
      rf_flash_job_set_done (job, offset + RF_NEC_UPLOAD_CHUNK);
    }
  return TRUE;
}

static gboolean
send_checksum (RfFlashJob    *job,
               GCancellable  *cancellable,
               GError       **error)
{
  const guint8 *stored = image_data (job) + RF_NEC_IMAGE_CHECKSUM_OFFSET;
  RfCommand command;

  if (!rf_flash_job_begin_phase (job, RF_PHASE_CHECKSUM, 0, error))
    return FALSE;
  /* Exactly as the image stores it (§3 step 3): never recomputed here. */
  return rf_flash_job_send (job, rf_nec_build_send_checksum (&command,
                                                             (guint16) (stored[0] << 8 | stored[1])),
                            &command, rf_flash_job_expected_per_command_us (job, RF_PHASE_CHECKSUM, 1),
                            cancellable, "SEND CHECKSUM", error);
}

static gboolean
nec_prepare (RfFlashJob    *job,
             GCancellable  *cancellable,
             GError       **error)
{
  return enter_safe_mode (job, cancellable, error) && upload (job, cancellable, error) &&
         send_checksum (job, cancellable, error);
}

/* A drive found in normal mode is given back as found: one leave with the
 * same key, then the wait for its firmware. Its answer changes nothing. */
static void
nec_give_back (RfFlashJob *job)
{
  NecState *state = rf_flash_job_get_state (job);
  g_autoptr(GError) error = NULL;
  RfCommand leave;

  if (!state->entered || !rf_flash_job_get_found_in_normal_mode (job))
    return;
  rf_must_finish_begin ("a drive is being brought back from safe mode");
  if (!rf_nec_build_safe_mode (&leave, FALSE, bootcode_key (job)) ||
      !rf_transport_execute (rf_flash_job_get_transport (job), &leave, NULL, &error))
    g_message ("SAFE MODE leave after a stop before the erase: %s",
               error != NULL ? error->message : "could not be built");
  if (!rf_probe_wait_until_ready (rf_flash_job_get_transport (job), rf_flash_job_get_clock (job)))
    g_message ("the drive did not answer within 300 s after the leave");
  rf_must_finish_end ();
}

/* ---- past the point of no return: no cancellable, no way back ---- */

static gboolean
for_each_block (RfFlashJob  *job,
                RfPhase      phase,
                guint        last,
                GError     **error)
{
  gboolean erase = phase == RF_PHASE_ERASE;
  guint n = last - RF_NEC_FIRST_MAIN_BLOCK + 1;
  guint64 expected = rf_flash_job_expected_per_command_us (job, phase, n);

  if (!rf_flash_job_begin_phase (job, phase, n, error))
    return FALSE;
  for (guint block = RF_NEC_FIRST_MAIN_BLOCK; block <= last; block++)
    {
      g_autofree char *what = g_strdup_printf ("%s %u", erase ? "ERASE BLOCK" : "PROGRAM BLOCK",
                                               block);
      RfCommand command;
      gboolean built = erase ? rf_nec_build_erase_block (&command, block)
                             : rf_nec_build_program_block (&command, block);

      if (!rf_flash_job_send (job, built, &command, expected, NULL, what, error))
        return FALSE;
      rf_flash_job_set_done (job, block - RF_NEC_FIRST_MAIN_BLOCK + 1);
    }
  return TRUE;
}

static gboolean
nec_write (RfFlashJob  *job,
           GError     **error)
{
  return for_each_block (job, RF_PHASE_ERASE, RF_NEC_LAST_ERASE_BLOCK, error) &&
         for_each_block (job, RF_PHASE_PROGRAM, RF_NEC_LAST_PROGRAM_BLOCK, error);
}

static gboolean
nec_restart (RfFlashJob  *job,
             GError     **error)
{
  RfCommand leave;

  if (!rf_flash_job_begin_phase (job, RF_PHASE_RESTART, 0, error) ||
      !rf_flash_job_send (job, rf_nec_build_safe_mode (&leave, FALSE, bootcode_key (job)), &leave,
                          rf_flash_job_expected_per_command_us (job, RF_PHASE_RESTART, 1), NULL,
                          "SAFE MODE leave", error))
    return FALSE;
  if (rf_probe_wait_until_ready (rf_flash_job_get_transport (job), rf_flash_job_get_clock (job)))
    return TRUE;
  g_set_error_literal (error, RF_ERROR, RF_ERROR_TIMED_OUT,
                       "no answer to TEST UNIT READY within 300 s after the leave");
  return FALSE;
}

/* §3 step 8: every byte of the main area, read back from the flash. */
static gboolean
read_back (RfFlashJob  *job,
           GError     **error)
{
  guint8 piece[RF_NEC_DUMP_CHUNK];

  for (guint32 offset = 0; offset < RF_NEC_MAIN_SIZE; offset += RF_NEC_DUMP_CHUNK)
    {
      g_autofree char *what = g_strdup_printf ("READ MEM at 0x%06X", RF_NEC_MAIN_START + offset);
      RfCommand command;

      if (!rf_flash_job_send (job, rf_nec_build_read_mem (&command, RF_NEC_MAIN_START + offset,
                                                          piece, sizeof piece),
                              &command, READ_BACK_EXPECTED_US, NULL, what, error))
        {
          (*error)->code = RF_ERROR_VERIFY_FAILED;
          return FALSE;
        }
      if (command.residual != 0 || memcmp (piece, image_data (job) + offset, sizeof piece) != 0)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_VERIFY_FAILED,
                       "the flash differs from the image at 0x%06X", RF_NEC_MAIN_START + offset);
          return FALSE;
        }
      rf_flash_job_set_done (job, offset + sizeof piece);
    }
  return TRUE;
}

static gboolean
nec_verify (RfFlashJob  *job,
            GError     **error)
{
  if (!rf_flash_job_begin_phase (job, RF_PHASE_VERIFY, RF_NEC_MAIN_SIZE, error) ||
      !read_back (job, error))
    return FALSE;
  rf_flash_job_journal_reached (job, RF_JOURNAL_PHASE_READ_BACK);
  if (!rf_flash_job_identify_again (job, error))
    {
      (*error)->code = RF_ERROR_VERIFY_FAILED;
      return FALSE;
    }
  return rf_flash_check_identity_after (rf_flash_job_get_before (job),
                                        rf_flash_job_get_after (job),
                                        rf_flash_job_get_image_revision (job), error);
}

/* nec-2m.md §3: after a failure past the point of no return no further erase,
 * program or leave; poll, identify again within §2's rules, and end on the
 * recovery path with the failure as it was. */
static RfFlashOutcome
nec_after_failure (RfFlashJob  *job,
                   GError     **error)
{
  g_autoptr(GError) look_error = NULL;

  if (!rf_probe_wait_until_ready (rf_flash_job_get_transport (job), rf_flash_job_get_clock (job)))
    g_message ("the drive did not answer within 300 s after the failure");
  else if (!rf_flash_job_identify_again (job, &look_error))
    g_message ("identification after the failure: %s", look_error->message);
  return RF_FLASH_OUTCOME_NEEDS_RECOVERY;
}

const RfFlashProtocol rf_flash_nec_protocol = {
  .name = "nec-2m",
  .phases = nec_phases,
  .n_phases = G_N_ELEMENTS (nec_phases),
  .state_new = nec_state_new,
  .state_free = g_free,
  .check_connection = nec_check_connection,
  .check_image = nec_check_image,
  .prepare = nec_prepare,
  .give_back = nec_give_back,
  .write = nec_write,
  .restart = nec_restart,
  .verify = nec_verify,
  .after_failure = nec_after_failure,
};
