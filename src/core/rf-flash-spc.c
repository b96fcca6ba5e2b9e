/* rf-flash-spc.c: the standard microcode download, as spc-download.md says
 *
 * One protocol, three variants from the family data: a single mode 5
 * command, mode 7 chunks at rising offsets, or mode 0x0E chunks and a mode
 * 0x0F. The first WRITE BUFFER is the point of no return for all three: the
 * drive may start saving as soon as it holds what it takes for the last
 * chunk. Chunks follow the drive's buffer descriptor (or the family data's,
 * where the drive refuses it) and never exceed the transport's maximum.
 *
 * After the download the drive restarts and settles; what it runs then is
 * decided from its new identity alone ("Outcome unknown"): GOOD proves
 * nothing, and a lost answer disproves nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-flash-protocol.h"
#include "rf-scsi.h"
#include "rf-sense.h"

/* A boundary of 0xFF: the buffer takes no offsets. Boundaries from 24 on
 * leave only offset 0 in a 24-bit field: the same. */
#define BOUNDARY_NO_OFFSETS 0xff
#define BOUNDARY_MAX_BITS   24
/* spc-download.md "Outcome unknown" step 3. */
#define MAX_UNIT_ATTENTIONS_IN_A_ROW 10
#define MIB (1024 * 1024)

typedef struct {
  guint8 boundary;
  guint32 capacity;
  gsize chunk;              /* bytes per WRITE BUFFER; 0 until planned */
  gboolean single_command;  /* the whole image in one command at the start offset */
  gboolean all_good;        /* every WRITE BUFFER of the download answered GOOD */
  gboolean settled;
  gboolean decided;
  RfFlashOutcome outcome;
} SpcState;

static const RfPhase spc_phases[] = {
  RF_PHASE_PREFLIGHT, RF_PHASE_BACKUP, RF_PHASE_UPLOAD, RF_PHASE_ACTIVATE, RF_PHASE_SETTLE,
  RF_PHASE_VERIFY,
};

static gpointer
spc_state_new (void)
{
  return g_new0 (SpcState, 1);
}

static const RfSpcDownload *
download_of (RfFlashJob *job)
{
  return &rf_flash_job_get_family (job)->download;
}

/* ---- the plan: chunks from the descriptor ---- */

/* READ BUFFER mode 3 for the download's own buffer ID; a drive that refuses
 * it (ILLEGAL REQUEST) leaves it to the family data, which must give both. */
static gboolean
read_descriptor (RfFlashJob    *job,
                 SpcState      *state,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const RfSpcDownload *download = download_of (job);
  guint8 data[RF_SCSI_BUFFER_DESCRIPTOR_LENGTH];
  RfCommand command;
  RfSense sense;

  if (!rf_scsi_build_read_buffer_descriptor (&command, download->buffer_id, data))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL, "READ BUFFER could not be built");
      return FALSE;
    }
  if (!rf_transport_execute (rf_flash_job_get_transport (job), &command, cancellable, error))
    return FALSE;
  if (rf_command_is_good (&command) && command.residual == 0)
    {
      state->boundary = data[0];
      state->capacity = ((guint32) data[1] << 16) | ((guint32) data[2] << 8) | data[3];
      return TRUE;
    }
  if (!(rf_command_get_sense (&command, &sense) && sense.key == RF_SENSE_KEY_ILLEGAL_REQUEST))
    return rf_command_check (&command, error) ||
           (g_prefix_error (error, "buffer descriptor: "), FALSE);
  if (!download->has_descriptor)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "the drive refuses the descriptor of buffer 0x%02X and the family data "
                   "gives no OffsetBoundary and BufferCapacity", download->buffer_id);
      return FALSE;
    }
  g_message ("the drive refuses the buffer descriptor: boundary and capacity from the family data");
  state->boundary = download->offset_boundary;
  state->capacity = download->buffer_capacity;
  return TRUE;
}

/* spc-download.md "Chunks": the largest size within the capacity, the
 * transport's maximum and the family's chunk size, in whole boundary steps. */
static gboolean
plan_chunks (RfFlashJob  *job,
             SpcState    *state,
             GError     **error)
{
  const RfSpcDownload *download = download_of (job);
  gsize limit = MIN (rf_transport_get_max_transfer (rf_flash_job_get_transport (job)),
                     (gsize) state->capacity);
  gsize step;

  if (download->chunk_size != 0)
    limit = MIN (limit, (gsize) download->chunk_size);
  state->single_command = download->variant == RF_SPC_VARIANT_SINGLE ||
                          state->boundary == BOUNDARY_NO_OFFSETS ||
                          state->boundary >= BOUNDARY_MAX_BITS;
  if (state->single_command)
    {
      state->chunk = limit;
      return TRUE;
    }
  step = (gsize) 1 << state->boundary;
  state->chunk = limit - limit % step;
  if (state->chunk > 0 && download->start_offset % step == 0)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
               "no chunk fits: offsets in steps of %" G_GSIZE_FORMAT " bytes from 0x%X, "
               "at most %" G_GSIZE_FORMAT " bytes per command", step, download->start_offset,
               limit);
  return FALSE;
}

static gboolean
spc_plan (RfFlashJob    *job,
          GCancellable  *cancellable,
          GError       **error)
{
  SpcState *state = rf_flash_job_get_state (job);

  return read_descriptor (job, state, cancellable, error) && plan_chunks (job, state, error);
}

/* The image against the plan: refused before anything is sent when it
 * cannot go within the drive's buffer and the connection's limit. */
static gboolean
spc_check_image (RfFlashJob  *job,
                 GError     **error)
{
  SpcState *state = rf_flash_job_get_state (job);
  const RfSpcDownload *download = download_of (job);
  gsize size = g_bytes_get_size (rf_flash_job_get_image (job));
  guint n_commands;

  if (download->start_offset > state->capacity || size > state->capacity - download->start_offset)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_IMAGE_REFUSED,
                   "the image has %" G_GSIZE_FORMAT " bytes; the drive's buffer 0x%02X holds "
                   "%u from offset 0x%X", size, download->buffer_id, state->capacity,
                   download->start_offset);
      return FALSE;
    }
  if (state->single_command && size > state->chunk)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "the drive takes the image in one command of %" G_GSIZE_FORMAT " bytes; "
                   "the connection carries at most %" G_GSIZE_FORMAT, size, state->chunk);
      return FALSE;
    }
  if (state->single_command)
    state->chunk = size;
  n_commands = (guint) ((size + state->chunk - 1) / state->chunk);
  /* The job's log (G_MESSAGES_DEBUG=all): what a real drive's download took. */
  g_info ("download plan: %u WRITE BUFFER of up to %" G_GSIZE_FORMAT " bytes (boundary 0x%02X, "
             "capacity %u): %.1f commands per MiB", n_commands, state->chunk, state->boundary,
             state->capacity, (double) n_commands * MIB / (double) size);
  return TRUE;
}

/* spc-download.md "Interrupted download": the drive found under the lock must
 * answer INQUIRY as the journal's did; in boot mode only its family counts. */
static gboolean
spc_check_resumed (RfFlashJob  *job,
                   RfJournal   *journal,
                   GError     **error)
{
  const RfDriveIdentity *now = rf_flash_job_get_before (job);
  const RfDriveIdentity *then = rf_journal_get_identity (journal);
  const char *differs = NULL;

  if (g_strcmp0 (now->vendor, then->vendor) != 0)
    differs = "vendor";
  else if (!now->safe_mode && !then->safe_mode && g_strcmp0 (now->product, then->product) != 0)
    differs = "product";
  else if (now->serial != NULL && then->serial != NULL && g_strcmp0 (now->serial, then->serial) != 0)
    differs = "serial number";
  if (differs == NULL)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_OTHER_DRIVE,
               "journal %s: the drive's %s is not the journal's (%s %s; journal %s %s)",
               rf_journal_get_id (journal), differs, now->vendor, now->product, then->vendor,
               then->product);
  return FALSE;
}

/* Nothing is sent before the first chunk, which is the point of no return. */
static gboolean
spc_prepare (RfFlashJob    *job,
             GCancellable  *cancellable,
             GError       **error)
{
  return rf_flash_job_begin_phase (job, RF_PHASE_UPLOAD,
                                   g_bytes_get_size (rf_flash_job_get_image (job)), error);
}

/* ---- past the point of no return ---- */

static gboolean
is_sense (const RfCommand *command,
          guint8           key,
          gint             asc)
{
  RfSense sense;

  return command->status == RF_STATUS_CHECK_CONDITION && rf_command_get_sense (command, &sense) &&
         sense.key == key && (asc < 0 || sense.asc == asc);
}

static gboolean
upload (RfFlashJob  *job,
        SpcState    *state,
        GError     **error)
{
  const RfSpcDownload *download = download_of (job);
  gsize size;
  const guint8 *image = g_bytes_get_data (rf_flash_job_get_image (job), &size);
  guint n_commands = (guint) ((size + state->chunk - 1) / state->chunk);
  guint64 expected = rf_flash_job_expected_per_command_us (job, RF_PHASE_UPLOAD, n_commands);
  guint8 mode = rf_spc_variant_get_mode (download->variant);
  g_autofree guint8 *piece = g_malloc (state->chunk);

  for (gsize done = 0; done < size; done += state->chunk)
    {
      gsize length = MIN (state->chunk, size - done);
      guint32 offset = download->start_offset + (guint32) done;
      g_autofree char *what = g_strdup_printf ("WRITE BUFFER mode 0x%02X at 0x%06X", mode, offset);
      RfCommand command;

      /* A drive may save and activate inside the last command: it may take
       * the whole phase's time, and the silence words must allow for it. */
      if (done + length == size)
        expected = rf_flash_job_expected_per_command_us (job, RF_PHASE_UPLOAD, 1);
      memcpy (piece, image + done, length);
      if (!rf_flash_job_send (job, rf_scsi_build_write_buffer (&command, mode, download->buffer_id,
                                                               offset, piece, length),
                              &command, expected, NULL, what, error))
        {
          /* 05/26, 05/2C: the drive's own checks refused the image. */
          if (is_sense (&command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x26) ||
              is_sense (&command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x2c))
            (*error)->code = RF_ERROR_IMAGE_REFUSED;
          return FALSE;
        }
      rf_flash_job_set_done (job, done + length);
    }
  return TRUE;
}

/* Deferred variant: the saved microcode becomes active now, not at the next
 * power-on. */
static gboolean
activate (RfFlashJob  *job,
          GError     **error)
{
  RfCommand command;

  if (!rf_flash_job_begin_phase (job, RF_PHASE_ACTIVATE, 0, error))
    return FALSE;
  return rf_flash_job_send (job, rf_scsi_build_activate_microcode (&command), &command,
                            rf_flash_job_expected_per_command_us (job, RF_PHASE_ACTIVATE, 1), NULL,
                            "WRITE BUFFER mode 0x0F", error);
}

static gboolean
spc_write (RfFlashJob  *job,
           GError     **error)
{
  SpcState *state = rf_flash_job_get_state (job);

  if (!upload (job, state, error))
    return FALSE;
  if (download_of (job)->variant == RF_SPC_VARIANT_DEFERRED && !activate (job, error))
    return FALSE;
  state->all_good = TRUE;
  return TRUE;
}

/* ---- settling ---- */

static gboolean
send_poll (RfFlashJob *job,
           RfCommand  *command,
           guint8     *data)
{
  g_autoptr(GError) error = NULL;
  gboolean built = data != NULL ? rf_scsi_build_inquiry (command, data)
                                : rf_scsi_build_test_unit_ready (command);

  if (built && rf_transport_execute (rf_flash_job_get_transport (job), command, NULL, &error))
    return TRUE;
  g_debug ("no answer while settling: %s", error != NULL ? error->message : "not built");
  return FALSE;
}

/* One poll: TEST UNIT READY, its UNIT ATTENTIONs cleared (hints, never
 * proof), then INQUIRY. Ready once INQUIRY answers. */
static gboolean
poll_once (RfFlashJob *job)
{
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  RfCommand command;
  RfSense sense;

  for (guint i = 0; ; i++)
    {
      if (!send_poll (job, &command, NULL))
        return FALSE;
      if (!is_sense (&command, RF_SENSE_KEY_UNIT_ATTENTION, -1))
        break;
      rf_command_get_sense (&command, &sense);
      g_info ("while settling: unit attention %02X/%02X", sense.asc, sense.ascq);
      if (i + 1 >= MAX_UNIT_ATTENTIONS_IN_A_ROW)
        return FALSE;
    }
  /* 02/04/xx: becoming ready, or waiting for microcode. */
  if (is_sense (&command, RF_SENSE_KEY_NOT_READY, 0x04))
    return FALSE;
  return send_poll (job, &command, inquiry) && rf_command_is_good (&command);
}

/* spc-download.md "Outcome unknown" step 2: polls after 2 s, 4 s, 8 s, then
 * every 10 s, for the family's settle time. Never a WRITE BUFFER. */
static gboolean
settle (RfFlashJob *job)
{
  static const guint first_waits_s[] = { 2, 4, 8 };
  SpcState *state = rf_flash_job_get_state (job);
  RfClock *clock = rf_flash_job_get_clock (job);
  guint limit_s = download_of (job)->settle_seconds;
  gint64 start = rf_clock_get_now_us (clock);

  state->settled = TRUE;
  for (guint n = 0; ; n++)
    {
      guint wait_s = n < G_N_ELEMENTS (first_waits_s) ? first_waits_s[n] : 10;
      gint64 elapsed;

      rf_clock_sleep_us (clock, (gint64) wait_s * G_USEC_PER_SEC, NULL, NULL);
      elapsed = rf_clock_get_now_us (clock) - start;
      rf_flash_job_set_done (job, (guint64) MIN (elapsed / G_USEC_PER_SEC, (gint64) limit_s));
      if (poll_once (job))
        {
          rf_flash_job_set_done (job, limit_s);
          return TRUE;
        }
      if (elapsed >= (gint64) limit_s * G_USEC_PER_SEC)
        {
          g_message ("the drive did not answer within its settle time of %u s", limit_s);
          return FALSE;
        }
    }
}

static gboolean
spc_restart (RfFlashJob  *job,
             GError     **error)
{
  if (!rf_flash_job_begin_phase (job, RF_PHASE_SETTLE, download_of (job)->settle_seconds, error))
    return FALSE;
  /* A drive that does not answer is for the identification to find out. */
  settle (job);
  return TRUE;
}

/* ---- what the drive runs now ---- */

static RfFlashOutcome
fail_outcome (GError         **error,
              RfFlashOutcome   outcome,
              RfError          code,
              const char      *format,
              ...) G_GNUC_PRINTF (4, 5);

/* Keeps the first failure, which says what went wrong. */
static RfFlashOutcome
fail_outcome (GError         **error,
              RfFlashOutcome   outcome,
              RfError          code,
              const char      *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (*error == NULL)
    g_set_error_literal (error, RF_ERROR, code, message);
  else
    g_message ("%s", message);
  return outcome;
}

/* spc-download.md "Outcome unknown" step 5: only the new identity decides. */
static RfFlashOutcome
decide (RfFlashJob  *job,
        GError     **error)
{
  SpcState *state = rf_flash_job_get_state (job);
  const RfDriveIdentity *before = rf_flash_job_get_before (job);
  const RfDriveIdentity *after = rf_flash_job_get_after (job);
  const char *revision = rf_flash_job_get_image_revision (job);

  state->decided = TRUE;
  if (after->safe_mode)
    return state->outcome = fail_outcome (error, RF_FLASH_OUTCOME_NEEDS_RECOVERY,
                                          RF_ERROR_VERIFY_FAILED, "the drive is in boot mode");
  if (g_strcmp0 (after->vendor, before->vendor) != 0 ||
      (!before->safe_mode && g_strcmp0 (after->product, before->product) != 0))
    return state->outcome = fail_outcome (error, RF_FLASH_OUTCOME_NEEDS_RECOVERY,
                                          RF_ERROR_VERIFY_FAILED,
                                          "the drive answers as %s %s, not as before",
                                          after->vendor, after->product);
  if (revision != NULL ? g_strcmp0 (after->revision, revision) == 0
                       : before->safe_mode || g_strcmp0 (after->revision, before->revision) != 0)
    {
      if (revision == NULL)
        g_message ("the image names no revision: the drive runs %s, which only shows it changed",
                   after->revision);
      return state->outcome = RF_FLASH_OUTCOME_DONE;
    }
  if (!before->safe_mode && g_strcmp0 (after->revision, before->revision) == 0)
    return state->outcome = fail_outcome (error, RF_FLASH_OUTCOME_NOT_APPLIED,
                                          RF_ERROR_VERIFY_FAILED,
                                          state->all_good ? "silent flash: every command was GOOD "
                                                            "and the drive still runs %s"
                                                          : "not applied: the drive still runs %s",
                                          after->revision);
  return state->outcome = fail_outcome (error, RF_FLASH_OUTCOME_NEEDS_RECOVERY,
                                        RF_ERROR_VERIFY_FAILED,
                                        "the drive runs %s, neither the image's %s nor its old %s",
                                        after->revision, revision != NULL ? revision : "?",
                                        before->revision);
}

static gboolean
spc_verify (RfFlashJob  *job,
            GError     **error)
{
  SpcState *state = rf_flash_job_get_state (job);

  if (!rf_flash_job_begin_phase (job, RF_PHASE_VERIFY, 0, error))
    return FALSE;
  if (!rf_flash_job_identify_again (job, error))
    {
      state->decided = TRUE;
      state->outcome = RF_FLASH_OUTCOME_NEEDS_RECOVERY;
      (*error)->code = RF_ERROR_VERIFY_FAILED;
      return FALSE;
    }
  return decide (job, error) == RF_FLASH_OUTCOME_DONE;
}

/* spc-download.md "Outcome unknown" steps 1-5, for a download that ended
 * without a clear answer or with a CHECK CONDITION: the drive may already
 * have changed something, so it settles and its identity decides. */
static RfFlashOutcome
spc_after_failure (RfFlashJob  *job,
                   GError     **error)
{
  SpcState *state = rf_flash_job_get_state (job);
  g_autoptr(GError) look_error = NULL;

  if (state->decided)
    return state->outcome;
  if (!state->settled)
    settle (job);
  if (!rf_flash_job_identify_again (job, &look_error))
    {
      g_message ("identification after the failure: %s", look_error->message);
      return RF_FLASH_OUTCOME_NEEDS_RECOVERY;
    }
  if (decide (job, error) == RF_FLASH_OUTCOME_DONE)
    g_message ("the drive runs the image's revision: the download took effect although %s",
               (*error)->message);
  /* A drive that runs what it ran was not flashed: whatever the command said
   * on the way, the flash failed its proof, unless the drive refused the image. */
  if (state->outcome == RF_FLASH_OUTCOME_NOT_APPLIED && (*error)->domain == RF_ERROR &&
      (*error)->code != RF_ERROR_IMAGE_REFUSED)
    (*error)->code = RF_ERROR_VERIFY_FAILED;
  return state->outcome;
}

const RfFlashProtocol rf_flash_spc_protocol = {
  .name = "spc-download",
  .phases = spc_phases,
  .n_phases = G_N_ELEMENTS (spc_phases),
  .state_new = spc_state_new,
  .state_free = g_free,
  .plan = spc_plan,
  .check_image = spc_check_image,
  .check_resumed = spc_check_resumed,
  .prepare = spc_prepare,
  .write = spc_write,
  .restart = spc_restart,
  .verify = spc_verify,
  .after_failure = spc_after_failure,
};
