/* rf-device-probe.c: passive and deep identification of one drive
 * (DOMAIN.md "Probing depth", nec-2m.md §2 "Reflash's identification" and §8,
 * spc-download.md "When these commands may be sent")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-command-gate.h"
#include "rf-device-private.h"
#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-must-finish.h"
#include "rf-nec-2m.h"
#include "rf-safe-mode-marker.h"
#include "rf-scsi.h"

/* nec-2m.md §8: UNIT ATTENTIONs cleared at most 10 times, 0.2 s apart; "busy"
 * answers waited for 2 s at a time, 60 s in all. Every wait and limit here is in
 * real-drive time, measured on the drive's clock (rf_transport_get_clock()). */
#define UNIT_ATTENTION_RETRIES 10
#define UNIT_ATTENTION_PAUSE_US (200 * 1000)
#define BUSY_PAUSE_US (2 * G_USEC_PER_SEC)
#define BUSY_LIMIT_US (60 * G_USEC_PER_SEC)

/* nec-2m.md §1 poll schedule after SAFE MODE leave. */
#define POLL_FAST_US (2 * G_USEC_PER_SEC)
#define POLL_FAST_LIMIT_US (60 * G_USEC_PER_SEC)
#define POLL_SLOW_US (10 * G_USEC_PER_SEC)
#define POLL_LIMIT_US (300 * G_USEC_PER_SEC)

typedef enum {
  TRAY_EMPTY,
  TRAY_DISC,         /* a disc is loaded, readable or not: remove it */
  TRAY_BUSY,
  TRAY_OTHER,        /* anything else, a UNIT ATTENTION that never ended included */
} TrayAnswer;

typedef struct {
  RfTransport *transport;     /* the gate: every command goes through it */
  RfCommandGate *gate;
  RfDriveDb *db;
  const char *port;           /* names the drive across boots, for the marker */
  GCancellable *cancellable;
  RfClock *clock;
  RfProbeResult *result;
  GError *fatal;  /* cancellation: the probe itself stops */
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  const RfDriveModel *model;
} Probe;

RfProbeResult *
rf_probe_result_new (void)
{
  RfProbeResult *result = g_new0 (RfProbeResult, 1);

  result->identity = rf_drive_identity_new ();
  result->state = RF_DRIVE_STATE_UNKNOWN;
  result->reason = RF_REASON_OK;
  return result;
}

void
rf_probe_result_free (RfProbeResult *result)
{
  if (result == NULL)
    return;
  rf_drive_identity_free (result->identity);
  g_clear_pointer (&result->family, rf_drive_family_unref);
  g_free (result->model_id);
  g_free (result->detail);
  g_free (result);
}

static void
set_state (Probe        *probe,
           RfDriveState  state,
           const char   *reason,
           const char   *detail)
{
  probe->result->state = state;
  probe->result->reason = reason;
  g_free (probe->result->detail);
  probe->result->detail = g_strdup (detail);
}

/* No status came back: what it means for the state. EPERM is the kernel's
 * command filter, never the drive; nothing reached the drive. */
static void
stop_with_error (Probe        *probe,
                 const GError *error)
{
  /* Cancelled, or Reflash's own mistake (the gate refused a command, one
   * could not be built): the probe itself stops with the error. */
  if (g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED) ||
      g_error_matches (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED) ||
      g_error_matches (error, RF_ERROR, RF_ERROR_INTERNAL))
    {
      if (probe->fatal == NULL)
        probe->fatal = g_error_copy (error);
    }
  else if (g_error_matches (error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES))
    set_state (probe, RF_DRIVE_STATE_NEEDS_ADMIN, RF_REASON_NEEDS_PRIVILEGES, error->message);
  else if (g_error_matches (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED))
    set_state (probe, RF_DRIVE_STATE_NO_ACCESS, RF_REASON_PERMISSION_DENIED, error->message);
  else if (g_error_matches (error, RF_ERROR, RF_ERROR_BUSY))
    set_state (probe, RF_DRIVE_STATE_BUSY, RF_REASON_IN_USE, error->message);
  else if (g_error_matches (error, RF_ERROR, RF_ERROR_TIMED_OUT))
    set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_TIMED_OUT, error->message);
  else if (g_error_matches (error, RF_ERROR, RF_ERROR_DEVICE_GONE))
    set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_DEVICE_GONE, error->message);
  else
    set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_TRANSPORT_ERROR, error->message);
}

static void
stop_with_answer (Probe           *probe,
                  RfDriveState     state,
                  const char      *reason,
                  const RfCommand *command)
{
  g_autoptr(GError) error = NULL;

  rf_command_check (command, &error);
  set_state (probe, state, reason, error != NULL ? error->message : NULL);
}

/* A builder refused its arguments: Reflash's mistake, the probe stops. */
static gboolean
built (Probe      *probe,
       gboolean    ok,
       const char *what)
{
  if (!ok && probe->fatal == NULL)
    probe->fatal = g_error_new (RF_ERROR, RF_ERROR_INTERNAL, "%s could not be built", what);
  return ok;
}

/* Sends @command; FALSE (with the state set) when no status came back. */
static gboolean
send (Probe     *probe,
      RfCommand *command)
{
  g_autoptr(GError) error = NULL;

  if (rf_transport_execute (probe->transport, command, probe->cancellable, &error))
    return TRUE;
  stop_with_error (probe, error);
  return FALSE;
}

static gboolean
sense_is (const RfCommand *command,
          guint8           key,
          gint             asc)
{
  RfSense sense;

  if (command->status != RF_STATUS_CHECK_CONDITION || !rf_command_get_sense (command, &sense))
    return FALSE;
  return sense.key == key && (asc < 0 || sense.asc == asc);
}

static gboolean
is_vendor_refusal (const RfCommand *command)
{
  return sense_is (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x20) ||
         sense_is (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24);
}

/* A pause the user may cut short: a cancel ends the probe. */
static gboolean
pause_cancellable (Probe   *probe,
                   guint64  duration_us)
{
  g_autoptr(GError) error = NULL;

  if (rf_clock_sleep_us (probe->clock, duration_us, probe->cancellable, &error))
    return TRUE;
  stop_with_error (probe, error);
  return FALSE;
}

/* Passive part */

static gboolean
probe_inquiry (Probe *probe)
{
  RfCommand command;

  if (!built (probe, rf_scsi_build_inquiry (&command, probe->inquiry), "INQUIRY") ||
      !send (probe, &command))
    return FALSE;
  if (!rf_command_is_good (&command))
    {
      stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                        &command);
      return FALSE;
    }
  if (command.data_length - command.residual < RF_SCSI_INQUIRY_SPECIFIC)
    {
      set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                 "INQUIRY: fewer than 36 bytes");
      return FALSE;
    }
  rf_scsi_inquiry_to_identity (probe->inquiry, command.data_length - command.residual,
                               probe->result->identity);
  return TRUE;
}

/* TEST UNIT READY after clearing pending UNIT ATTENTIONs (§8 step 1). */
static gboolean
test_unit_ready (Probe      *probe,
                 RfCommand  *command)
{
  for (guint attempt = 0; attempt <= UNIT_ATTENTION_RETRIES; attempt++)
    {
      if (attempt > 0 && !pause_cancellable (probe, UNIT_ATTENTION_PAUSE_US))
        return FALSE;
      if (!built (probe, rf_scsi_build_test_unit_ready (command), "TEST UNIT READY") ||
          !send (probe, command))
        return FALSE;
      if (!sense_is (command, RF_SENSE_KEY_UNIT_ATTENTION, -1))
        return TRUE;
    }
  return TRUE;
}

static TrayAnswer
judge_tray (const RfCommand *command)
{
  RfSense sense;

  if (rf_command_is_good (command))
    return TRAY_DISC;
  if (command->status != RF_STATUS_CHECK_CONDITION || !rf_command_get_sense (command, &sense) ||
      command->sense_length < 14)
    return TRAY_OTHER;
  if (sense.key == RF_SENSE_KEY_NOT_READY && sense.asc == 0x3a)
    return TRAY_EMPTY;
  /* 02/30/xx: a disc the drive cannot read is still a disc in the tray. */
  if (sense.key == RF_SENSE_KEY_NOT_READY && sense.asc == 0x30)
    return TRAY_DISC;
  if ((sense.key == RF_SENSE_KEY_NOT_READY && sense.asc == 0x04) || sense.asc == 0x3e)
    return TRAY_BUSY;
  return TRAY_OTHER;
}

/* Bytes 4-17 of the firmware feature when they are all digits: what a twin
 * needs to answer as the drive does (the date alone drops the time). */
static char *
firmware_timestamp (const guint8 *descriptor,
                    gsize         length)
{
  g_autofree char *date = rf_scsi_firmware_date (descriptor, length);

  if (length < 18 || date == NULL)
    return NULL;
  for (gsize i = 4; i < 18; i++)
    if (!g_ascii_isdigit (descriptor[i]))
      return NULL;
  return g_strndup ((const char *) descriptor + 4, 14);
}

static void
probe_configuration (Probe *probe)
{
  guint8 descriptor[RF_SCSI_CONFIGURATION_LENGTH];
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  /* A drive without GET CONFIGURATION (or in boot mode) simply has no date;
   * only a drive that stops answering changes the state. */
  if (!rf_scsi_get_feature (probe->transport, RF_SCSI_FEATURE_FIRMWARE_INFO, descriptor,
                            sizeof descriptor, &length, probe->cancellable, &error))
    {
      if (error->domain == RF_ERROR &&
          (error->code == RF_ERROR_CANCELLED || error->code == RF_ERROR_TIMED_OUT ||
           error->code == RF_ERROR_DEVICE_GONE || error->code == RF_ERROR_READ))
        stop_with_error (probe, error);
      return;
    }
  g_free (probe->result->identity->firmware_date);
  probe->result->identity->firmware_date = rf_scsi_firmware_date (descriptor, length);
  g_free (probe->result->identity->firmware_timestamp);
  probe->result->identity->firmware_timestamp = firmware_timestamp (descriptor, length);
  if (rf_scsi_get_feature (probe->transport, RF_SCSI_FEATURE_MICROCODE_UPGRADE, descriptor,
                           sizeof descriptor, &length, probe->cancellable, NULL))
    probe->result->microcode_upgrade = length > 0;
}

static void
match_family (Probe *probe)
{
  gboolean boot_mode = FALSE;
  RfDriveFamily *family;

  family = rf_drive_db_match (probe->db, probe->inquiry, sizeof probe->inquiry, &probe->model,
                              &boot_mode);
  probe->result->identity->safe_mode = family != NULL && boot_mode;
  if (family == NULL)
    return;
  probe->result->family = rf_drive_family_ref (family);
  probe->result->model_id = g_strdup (probe->model->id);
  g_free (probe->result->identity->family);
  probe->result->identity->family = g_strdup (family->id);
}

static void
decide_passive (Probe           *probe,
                TrayAnswer       tray,
                const RfCommand *command)
{
  RfProbeResult *result = probe->result;

  /* In safe mode only the bootcode runs: its TEST UNIT READY answer proves
   * nothing (nec-2m.md §8). A model no family knows stays unsupported, disc or
   * not: removing the disc would not help. Otherwise a disc or a busy drive
   * comes first, as what the user must act on; an answer that is none of
   * these (a UNIT ATTENTION that never ended, another sense) is not ready. */
  if (result->family != NULL && result->identity->safe_mode)
    set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_SAFE_MODE, NULL);
  else if (result->family == NULL)
    set_state (probe, RF_DRIVE_STATE_UNSUPPORTED, RF_REASON_NO_FAMILY, NULL);
  else if (tray == TRAY_DISC)
    set_state (probe, RF_DRIVE_STATE_BUSY, RF_REASON_DISC_PRESENT, NULL);
  else if (tray == TRAY_BUSY)
    stop_with_answer (probe, RF_DRIVE_STATE_BUSY, RF_REASON_DRIVE_BUSY, command);
  else if (tray == TRAY_OTHER)
    stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER, command);
  else
    set_state (probe, RF_DRIVE_STATE_READY, RF_REASON_OK, NULL);
}

static gboolean
probe_passive (Probe *probe)
{
  RfCommand command;
  TrayAnswer tray;

  if (!probe_inquiry (probe))
    return FALSE;
  match_family (probe);
  if (!test_unit_ready (probe, &command))
    return FALSE;
  tray = judge_tray (&command);
  probe_configuration (probe);
  if (probe->fatal != NULL || probe->result->state == RF_DRIVE_STATE_NOT_RESPONDING)
    return FALSE;
  decide_passive (probe, tray, &command);
  return TRUE;
}

/* Deep part */

/* nec-2m.md §8: only 02/3A lets a normal-mode drive proceed. In safe mode the
 * answers are recorded but do not decide; a timeout still stops. */
static gboolean
no_disc_check (Probe *probe)
{
  gint64 start = rf_clock_get_now_us (probe->clock);
  RfCommand command;

  for (;;)
    {
      TrayAnswer tray;

      if (!test_unit_ready (probe, &command))
        return FALSE;
      if (probe->result->identity->safe_mode)
        return TRUE;
      if (sense_is (&command, RF_SENSE_KEY_UNIT_ATTENTION, -1))
        {
          stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                            &command);
          return FALSE;
        }
      tray = judge_tray (&command);
      switch (tray)
        {
        case TRAY_EMPTY:
          return TRUE;
        case TRAY_DISC:
          set_state (probe, RF_DRIVE_STATE_BUSY, RF_REASON_DISC_PRESENT, NULL);
          return FALSE;
        case TRAY_BUSY:
          if (rf_clock_get_now_us (probe->clock) - start >= BUSY_LIMIT_US)
            {
              stop_with_answer (probe, RF_DRIVE_STATE_BUSY, RF_REASON_DRIVE_BUSY, &command);
              return FALSE;
            }
          if (!pause_cancellable (probe, BUSY_PAUSE_US))
            return FALSE;
          break;
        case TRAY_OTHER:
        default:
          stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                            &command);
          return FALSE;
        }
    }
}

/* READ MEM; the gate allows only 0x20 bytes at 0x4800 and 0x80 at 0x5F00 here. */
static gboolean
nec_read (Probe   *probe,
          guint32  address,
          guint8  *data,
          gsize    length)
{
  RfCommand command;

  memset (data, 0, length);
  if (!built (probe, rf_nec_build_read_mem (&command, address, data, length), "READ MEM") ||
      !send (probe, &command))
    return FALSE;
  if (is_vendor_refusal (&command))
    {
      stop_with_answer (probe, RF_DRIVE_STATE_VENDOR_REFUSED, RF_REASON_VENDOR_REFUSED, &command);
      return FALSE;
    }
  if (!rf_command_is_good (&command))
    {
      stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                        &command);
      return FALSE;
    }
  return TRUE;
}

typedef enum {
  KEY_ACCEPTED,
  KEY_REFUSED,
  KEY_STOP,      /* the state is set: the check ends here */
} KeyAnswer;

typedef enum {
  ENTER_GOOD,
  ENTER_REFUSED,     /* CHECK CONDITION 05/xx: the bootcode refused the key */
  ENTER_OTHER,       /* any other answer: what the drive did is not known */
  ENTER_NO_STATUS,   /* timeout, lost status: it may have run */
  ENTER_STOPPED,     /* the no-disc check before a retry stopped the check */
} EnterAnswer;

/* SAFE MODE enter with @key. A UNIT ATTENTION is not an answer to the command
 * (the drive did not run it) and not a try: the no-disc check runs again, and
 * only when it passes is the same key sent once more (nec-2m.md §2 and §8), at
 * most UNIT_ATTENTION_RETRIES times. The gate refuses a second enter without
 * that check in between. */
static EnterAnswer
nec_enter (Probe      *probe,
           const char *key,
           RfCommand  *command,
           GError    **error)
{
  for (guint attempt = 0; attempt <= UNIT_ATTENTION_RETRIES; attempt++)
    {
      if (attempt > 0 && !no_disc_check (probe))
        return ENTER_STOPPED;
      if (!rf_nec_build_safe_mode (command, TRUE, key))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "SAFE MODE %s could not be built", key);
          return ENTER_NO_STATUS;
        }
      if (!rf_transport_execute (probe->transport, command, probe->cancellable, error))
        return ENTER_NO_STATUS;
      if (!sense_is (command, RF_SENSE_KEY_UNIT_ATTENTION, -1))
        break;
    }
  if (rf_command_is_good (command))
    return ENTER_GOOD;
  if (sense_is (command, RF_SENSE_KEY_ILLEGAL_REQUEST, -1))
    return ENTER_REFUSED;
  return ENTER_OTHER;
}

/* The system (permissions, the kernel's filter) or Reflash itself (the gate, a
 * builder) refused the command, or a cancel came before it went out (no
 * transport looks at the cancellable once a command is under way; see
 * rf_transport_execute()): nothing reached the drive. */
static gboolean
nothing_reached_drive (const GError *error)
{
  return g_error_matches (error, RF_ERROR, RF_ERROR_CANCELLED) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED) ||
         g_error_matches (error, RF_ERROR, RF_ERROR_INTERNAL);
}

/* INQUIRY: is the drive in safe mode now ("0.xx" at bytes 32-35)? FALSE when
 * INQUIRY itself got no usable answer. */
static gboolean
inquire_mode (Probe    *probe,
              guint8   *data,
              gboolean *safe_mode)
{
  g_autoptr(GError) error = NULL;
  RfCommand command;

  memset (data, 0, RF_SCSI_INQUIRY_LENGTH);
  if (!built (probe, rf_scsi_build_inquiry (&command, data), "INQUIRY"))
    return FALSE;
  if (!rf_transport_execute (probe->transport, &command, NULL, &error))
    {
      g_debug ("INQUIRY after SAFE MODE: %s", error->message);
      return FALSE;
    }
  if (!rf_command_is_good (&command) ||
      command.data_length - command.residual < RF_SCSI_INQUIRY_SPECIFIC)
    return FALSE;
  *safe_mode = data[32] == '0' && data[33] == '.';
  return TRUE;
}

/**
 * rf_probe_wait_until_ready:
 * @transport: the drive, through its gate
 * @clock: the drive's clock
 *
 * After a leave, or a failure past the point of no return, the drive restarts
 * its firmware: polls TEST UNIT READY until an answer that is neither 06/xx/xx
 * nor 02/04/xx (nec-2m.md §1 poll schedule: every 2 s for 60 s, then every
 * 10 s, at most 300 s). A poll without an answer means "not yet". It runs to
 * the end even when the job was cancelled: the drive must come back first.
 *
 * Returns: %FALSE when the drive did not answer within 300 s
 */
gboolean
rf_probe_wait_until_ready (RfTransport *transport,
                           RfClock     *clock)
{
  gint64 start = rf_clock_get_now_us (clock);

  for (;;)
    {
      gint64 elapsed = rf_clock_get_now_us (clock) - start;
      g_autoptr(GError) error = NULL;
      RfCommand command;
      RfSense sense;

      if (!rf_scsi_build_test_unit_ready (&command))
        return FALSE;
      if (rf_transport_execute (transport, &command, NULL, &error) &&
          !(command.status == RF_STATUS_CHECK_CONDITION &&
            rf_command_get_sense (&command, &sense) &&
            (sense.key == RF_SENSE_KEY_UNIT_ATTENTION ||
             (sense.key == RF_SENSE_KEY_NOT_READY && sense.asc == 0x04))))
        return TRUE;
      if (elapsed >= POLL_LIMIT_US)
        return FALSE;
      /* Without a cancellable the wait cannot fail: it always runs to its end. */
      rf_clock_sleep_us (clock, elapsed < POLL_FAST_LIMIT_US ? POLL_FAST_US : POLL_SLOW_US,
                         NULL, NULL);
    }
}

static gboolean
wait_until_ready (Probe *probe)
{
  return rf_probe_wait_until_ready (probe->transport, probe->clock);
}

/* The drive was found in normal mode and may be in safe mode now: SAFE MODE
 * leave with the same key (no cancellable, its answer does not matter), wait for
 * the firmware, then INQUIRY proves where the drive is. FALSE (state set) when
 * it is not back in normal mode, or nothing says where it is. */
static gboolean
leave_and_verify (Probe      *probe,
                  const char *key)
{
  guint8 data[RF_SCSI_INQUIRY_LENGTH];
  g_autoptr(GError) error = NULL;
  gboolean safe_mode = TRUE;
  RfCommand leave;

  if (!built (probe, rf_nec_build_safe_mode (&leave, FALSE, key), "SAFE MODE leave"))
    return FALSE;
  if (!rf_transport_execute (probe->transport, &leave, NULL, &error))
    g_debug ("SAFE MODE leave with %s: %s", key, error->message);
  if (!wait_until_ready (probe))
    {
      set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_MODE_UNKNOWN,
                 "no answer within 300 s after leaving safe mode");
      return FALSE;
    }
  if (!inquire_mode (probe, data, &safe_mode))
    {
      set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_MODE_UNKNOWN,
                 "no INQUIRY answer after leaving safe mode");
      return FALSE;
    }
  if (safe_mode)
    {
      g_autofree char *detail = g_strdup_printf ("SAFE MODE leave with %s: INQUIRY still shows "
                                                 "revision %.4s", key, (const char *) data + 32);

      probe->result->identity->safe_mode = TRUE;
      g_free (probe->result->identity->revision);
      probe->result->identity->revision = g_strndup ((const char *) data + 32, 4);
      set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_LEFT_IN_SAFE_MODE, detail);
      return FALSE;
    }
  return TRUE;
}

/* An enter whose outcome is unknown, on a drive found in normal mode: INQUIRY
 * tells whether it ran; if it did, the drive is brought back. Ends the check
 * either way, with @reason (and @detail) when the drive is back as found. */
static KeyAnswer
nec_recover_from_enter (Probe        *probe,
                        const char   *key,
                        RfDriveState  state,
                        const char   *reason,
                        const char   *detail)
{
  guint8 data[RF_SCSI_INQUIRY_LENGTH];
  gboolean safe_mode = FALSE;
  g_autofree char *kept = g_strdup (detail);

  if (!inquire_mode (probe, data, &safe_mode))
    {
      set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_MODE_UNKNOWN, kept);
      return KEY_STOP;
    }
  if (safe_mode && !leave_and_verify (probe, key))
    return KEY_STOP;
  set_state (probe, state, reason, kept);
  return KEY_STOP;
}

/* Normal mode: enter with @key; when accepted, read the version and leave at
 * once with the same key, then check that the firmware came back. Only
 * 05/xx/xx is a refused key; any other outcome may have left the drive in safe
 * mode, so it is brought back before the check stops. */
static KeyAnswer
nec_try_key_and_leave_inside (Probe      *probe,
                              const char *key)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) answer_error = NULL;
  guint8 data[RF_SCSI_INQUIRY_LENGTH];
  gboolean safe_mode = FALSE;
  RfCommand command;

  switch (nec_enter (probe, key, &command, &error))
    {
    case ENTER_REFUSED:
      return KEY_REFUSED;
    case ENTER_STOPPED:
      return KEY_STOP;
    case ENTER_NO_STATUS:
      if (nothing_reached_drive (error))
        {
          stop_with_error (probe, error);
          return KEY_STOP;
        }
      /* No status: INQUIRY tells whether the enter ran. In safe mode now, the
       * bootcode took the key; still in normal mode, the outcome is unknown. */
      if (!inquire_mode (probe, data, &safe_mode))
        {
          set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_MODE_UNKNOWN,
                     error->message);
          return KEY_STOP;
        }
      if (!safe_mode)
        {
          stop_with_error (probe, error);
          return KEY_STOP;
        }
      break;
    case ENTER_OTHER:
      rf_command_check (&command, &answer_error);
      return nec_recover_from_enter (probe, key, RF_DRIVE_STATE_NOT_RESPONDING,
                                     RF_REASON_UNEXPECTED_ANSWER,
                                     answer_error != NULL ? answer_error->message : NULL);
    case ENTER_GOOD:
      /* The drive runs its bootcode now: INQUIRY shows "0.xx", the version. */
      if (!inquire_mode (probe, data, &safe_mode))
        safe_mode = FALSE;
      break;
    default:
      break;
    }
  if (safe_mode)
    {
      g_free (probe->result->identity->bootcode_version);
      probe->result->identity->bootcode_version = g_strndup ((const char *) data + 34, 2);
    }
  /* Left in safe mode (or unknown): the key is not recorded, so that no
   * verdict offers a flash to a drive that only needs to be switched off and
   * on; the detail names it for reports. */
  if (!leave_and_verify (probe, key))
    return KEY_STOP;
  /* Cancelled while the drive was in safe mode: it is back as found; stop now. */
  if (g_cancellable_is_cancelled (probe->cancellable))
    {
      probe->fatal = g_error_new_literal (RF_ERROR, RF_ERROR_CANCELLED,
                                          "cancelled during the safe-mode check");
      return KEY_STOP;
    }
  if (probe->result->identity->bootcode_version == NULL)
    {
      set_state (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                 "INQUIRY after an accepted SAFE MODE enter showed no safe-mode revision");
      return KEY_STOP;
    }
  return KEY_ACCEPTED;
}

static void
marker_key (Probe               *probe,
            RfSafeModeMarkerKey *key,
            char                 vendor[9],
            char                 product[17])
{
  memcpy (vendor, probe->inquiry + RF_SCSI_INQUIRY_VENDOR, 8);
  vendor[8] = '\0';
  memcpy (product, probe->inquiry + RF_SCSI_INQUIRY_PRODUCT, 16);
  product[16] = '\0';
  *key = (RfSafeModeMarkerKey) { probe->port, vendor, product };
}

/* From the enter to the drive's return the check must finish: signals wait,
 * front ends refuse to quit, and a marker in the state folder tells the next
 * look that Reflash put the drive in safe mode, should this process die. The
 * marker goes once the drive is known to be back in normal mode. */
static KeyAnswer
nec_try_key_and_leave (Probe      *probe,
                       const char *key)
{
  RfSafeModeMarkerKey marker;
  char vendor[9];
  char product[17];
  g_autoptr(GError) error = NULL;
  KeyAnswer answer;
  gboolean back;

  marker_key (probe, &marker, vendor, product);
  if (probe->port != NULL && !rf_safe_mode_marker_set (&marker, &error))
    g_debug ("no safe-mode marker for %s: %s", probe->port, error->message);
  rf_must_finish_begin ("a drive is being brought back from safe mode");
  answer = nec_try_key_and_leave_inside (probe, key);
  back = g_strcmp0 (probe->result->reason, RF_REASON_LEFT_IN_SAFE_MODE) != 0 &&
         g_strcmp0 (probe->result->reason, RF_REASON_MODE_UNKNOWN) != 0;
  if (back && probe->port != NULL)
    rf_safe_mode_marker_clear (&marker);
  rf_must_finish_end ();
  return answer;
}

/* A marker of an earlier check that was killed inside that window: a drive
 * found in safe mode then only needs a power cycle, not a recovery flash. A
 * drive found in normal mode is back: the marker goes. */
static gboolean
apply_marker (Probe *probe)
{
  RfSafeModeMarkerKey marker;
  char vendor[9];
  char product[17];
  gboolean same_boot = FALSE;

  if (probe->port == NULL || probe->result->family == NULL)
    return FALSE;
  marker_key (probe, &marker, vendor, product);
  if (!rf_safe_mode_marker_find (&marker, &same_boot))
    return FALSE;
  if (!probe->result->identity->safe_mode)
    {
      rf_safe_mode_marker_clear (&marker);
      return FALSE;
    }
  set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_LEFT_IN_SAFE_MODE,
             same_boot ? "a check by Reflash was stopped while the drive was in safe mode"
                       : "a check by Reflash was stopped while the drive was in safe mode, "
                         "before the computer last started");
  return TRUE;
}

/* Safe mode: an accepted key is not followed by a leave (the drive stays as
 * found). */
static KeyAnswer
nec_try_key_in_safe_mode (Probe      *probe,
                          const char *key)
{
  g_autoptr(GError) error = NULL;
  RfCommand command;

  switch (nec_enter (probe, key, &command, &error))
    {
    case ENTER_GOOD:
      return KEY_ACCEPTED;
    case ENTER_REFUSED:
      return KEY_REFUSED;
    case ENTER_STOPPED:
      return KEY_STOP;
    case ENTER_NO_STATUS:
      stop_with_error (probe, error);
      return KEY_STOP;
    case ENTER_OTHER:
    default:
      stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                        &command);
      return KEY_STOP;
    }
}

/* binflash's crossflash correction (nec-2m.md §2 step 2). */
static const RfNecType *
rid_correction (const RfNecType *type,
                const guint8    *rid)
{
  const guint8 *vendor = rid + RF_NEC_RID_VENDOR_OFFSET;
  const char *corrected = NULL;
  char first = (char) rid[0x43];
  char last = (char) rid[0x46];

  if (memcmp (vendor, "NEC", 3) != 0 && memcmp (vendor, "Sony", 4) != 0 &&
      memcmp (vendor, "SONY", 4) != 0)
    return type;
  if (g_str_equal (type->id, "D355"))
    return type;
  if (first == '3' && last == '0')
    corrected = "K355";
  else if (first == '3' && last == '1')
    corrected = "K356";
  else if (first == '4' && last == '0')
    corrected = "K450";
  else if (first == '4' && last == '1')
    corrected = "K451";
  return corrected != NULL ? rf_nec_type_from_id (corrected) : type;
}

static char *
rid_code (const guint8 *rid)
{
  const guint8 *code = rid + RF_NEC_RID_CODE_OFFSET;

  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isalnum (code[i]))
      return NULL;
  return g_strndup ((const char *) code, 4);
}

/* The keys a check tries, each once: in normal mode for K355 the D355 probe
 * first (binflash step 3); then the stored type's key; then, as DOMAIN.md
 * "Recovery" says, the family's other canonical keys in table order, which a
 * drive refuses harmlessly, until one is accepted. */
static GPtrArray *
keys_to_try (const RfDriveFamily *family,
             const char          *stored,
             gboolean             normal_mode)
{
  GPtrArray *keys = g_ptr_array_new ();

  if (normal_mode && g_str_equal (stored, "K355"))
    g_ptr_array_add (keys, (gpointer) "D355");
  g_ptr_array_add (keys, (gpointer) stored);
  for (guint i = 0; family->safe_mode_keys[i] != NULL; i++)
    {
      gboolean listed = FALSE;

      for (guint j = 0; j < keys->len && !listed; j++)
        listed = g_str_equal (g_ptr_array_index (keys, j), family->safe_mode_keys[i]);
      if (!listed)
        g_ptr_array_add (keys, family->safe_mode_keys[i]);
    }
  return keys;
}

/* Finds the bootcode's key. In safe mode an accepted key is not followed by a
 * leave (the drive stays as found); in normal mode every accepted enter is
 * followed at once by the version read and a leave with the same key. */
static gboolean
nec_probe_keys (Probe      *probe,
                const char *stored,
                gboolean    normal_mode)
{
  g_autoptr(GPtrArray) keys = keys_to_try (probe->result->family, stored, normal_mode);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      KeyAnswer answer = normal_mode ? nec_try_key_and_leave (probe, key)
                                     : nec_try_key_in_safe_mode (probe, key);

      switch (answer)
        {
        case KEY_ACCEPTED:
          probe->result->identity->bootcode_key = g_strdup (key);
          return TRUE;
        case KEY_STOP:
          return FALSE;
        case KEY_REFUSED:
        default:
          break;
        }
    }
  return TRUE;
}

/* K355 and D355 are one hardware whose bootcodes differ only in key: a K355 ID
 * with a D355 bootcode is binflash's type D355, not a mismatch. */
static gboolean
same_identity (const char *stored,
               const char *key)
{
  return g_str_equal (stored, key) ||
         (g_str_equal (stored, "K355") && g_str_equal (key, "D355"));
}

static void
decide_nec (Probe           *probe,
            const RfNecType *type)
{
  RfDriveIdentity *identity = probe->result->identity;
  const RfDriveModel *stored_model = rf_drive_family_find_model (probe->result->family, type->id);

  if (identity->safe_mode && identity->bootcode_key == NULL)
    set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_BOOTCODE_KEY_UNKNOWN, NULL);
  /* Normal mode, no key accepted: the bootcode, the identity that counts, is
   * unproven, so nothing may be offered. */
  else if (identity->bootcode_key == NULL)
    set_state (probe, RF_DRIVE_STATE_UNSUPPORTED, RF_REASON_BOOTCODE_KEY_UNKNOWN, NULL);
  /* Normal mode: the running firmware's model is the identity that counts. */
  else if (!identity->safe_mode && stored_model != NULL &&
           memcmp (stored_model->product, probe->inquiry + 16, RF_DRIVE_PRODUCT_LENGTH) != 0)
    set_state (probe, RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_REASON_FIRMWARE_DIFFERS, NULL);
  else if (!same_identity (type->id, identity->bootcode_key))
    set_state (probe, RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_REASON_BOOTCODE_DIFFERS, NULL);
  else if (identity->safe_mode)
    set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_SAFE_MODE, NULL);
  else
    set_state (probe, RF_DRIVE_STATE_READY, RF_REASON_OK, NULL);
}

static gboolean
probe_nec (Probe *probe)
{
  RfDriveIdentity *identity = probe->result->identity;
  guint8 id[0x20];
  guint8 rid[RF_NEC_RID_LENGTH];
  const RfNecType *type;
  gboolean found_in_safe_mode = identity->safe_mode;

  if (!nec_read (probe, RF_NEC_DRIVE_ID_ADDRESS, id, sizeof id))
    return FALSE;
  type = rf_nec_type_from_id_bytes (id);
  if (type == NULL)
    {
      g_autofree char *detail = g_strdup_printf ("0x4800 holds %02X %02X %02X %02X",
                                                 id[0], id[1], id[2], id[3]);
      set_state (probe, RF_DRIVE_STATE_UNSUPPORTED, RF_REASON_UNKNOWN_DRIVE_ID, detail);
      return FALSE;
    }
  if (!nec_read (probe, RF_NEC_RID_ADDRESS, rid, sizeof rid))
    return FALSE;
  type = rid_correction (type, rid);
  identity->stored_id = g_strdup (type->id);
  identity->rid_code = rid_code (rid);

  if (found_in_safe_mode)
    identity->bootcode_version = g_strndup ((const char *) probe->inquiry + 34, 2);
  if (!nec_probe_keys (probe, type->id, !found_in_safe_mode))
    return FALSE;
  /* binflash's D355 probe: a K355 drive whose bootcode takes D355 is a D355. */
  if (g_strcmp0 (identity->bootcode_key, "D355") == 0 && g_str_equal (type->id, "K355"))
    type = rf_nec_type_from_id ("D355");
  decide_nec (probe, type);
  return TRUE;
}

/* The download buffer is known: the drive can be flashed (in boot mode where
 * the family data lets it). */
static void
spc_identified (Probe      *probe,
                const char *detail)
{
  if (probe->result->identity->safe_mode)
    set_state (probe, RF_DRIVE_STATE_SAFE_MODE, RF_REASON_SAFE_MODE, detail);
  else
    set_state (probe, RF_DRIVE_STATE_READY, RF_REASON_OK, detail);
}

/* 05/24 to the descriptor: the drive knows READ BUFFER but not this buffer ID
 * or mode, which is the family data's problem, not an adapter's. spc-download.md
 * "Chunks": the family data must then give boundary and capacity itself, or the
 * family cannot be flashed. */
static gboolean
spc_without_descriptor (Probe           *probe,
                        const RfCommand *command)
{
  const RfSpcDownload *download = &probe->result->family->download;
  g_autoptr(GError) error = NULL;
  g_autofree char *detail = NULL;

  if (!download->has_descriptor)
    {
      stop_with_answer (probe, RF_DRIVE_STATE_UNSUPPORTED, RF_REASON_NO_DESCRIPTOR, command);
      return FALSE;
    }
  rf_command_check (command, &error);
  detail = g_strdup_printf ("buffer 0x%02x: descriptor refused (%s); offset boundary 0x%02x, "
                            "capacity %u bytes from the family data",
                            download->buffer_id, error != NULL ? error->message : "no sense",
                            download->offset_boundary, download->buffer_capacity);
  spc_identified (probe, detail);
  return TRUE;
}

static gboolean
probe_spc (Probe *probe)
{
  const RfDriveFamily *family = probe->result->family;
  guint8 data[RF_SCSI_BUFFER_DESCRIPTOR_LENGTH];
  RfCommand command;
  g_autofree char *detail = NULL;

  if (!built (probe, rf_scsi_build_read_buffer_descriptor (&command, family->download.buffer_id,
                                                           data),
              "READ BUFFER") ||
      !send (probe, &command))
    return FALSE;
  if (sense_is (&command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24))
    return spc_without_descriptor (probe, &command);
  if (is_vendor_refusal (&command))
    {
      stop_with_answer (probe, RF_DRIVE_STATE_VENDOR_REFUSED, RF_REASON_VENDOR_REFUSED, &command);
      return FALSE;
    }
  if (!rf_command_is_good (&command))
    {
      stop_with_answer (probe, RF_DRIVE_STATE_NOT_RESPONDING, RF_REASON_UNEXPECTED_ANSWER,
                        &command);
      return FALSE;
    }
  probe->result->identity->spc_offset_boundary = data[0];
  probe->result->identity->spc_buffer_capacity =
    ((guint) data[1] << 16) | ((guint) data[2] << 8) | data[3];
  detail = g_strdup_printf ("buffer 0x%02x: offset boundary 0x%02x, capacity %u bytes",
                            family->download.buffer_id, probe->result->identity->spc_offset_boundary,
                            probe->result->identity->spc_buffer_capacity);
  spc_identified (probe, detail);
  return TRUE;
}

static void
probe_deep (Probe *probe)
{
  /* After a flash failed past the point of no return the gate stays narrow:
   * identification and polls, nothing else. */
  RfGateStage stage = rf_command_gate_has_failed (probe->gate) ? RF_GATE_STAGE_AFTER_FAILURE
                                                               : RF_GATE_STAGE_IDENTIFY;

  probe->result->depth = RF_PROBE_DEPTH_DEEP;
  /* From here the family's identification commands pass, and nothing else. */
  if (!rf_command_gate_set_stage (probe->gate, stage, probe->result->family,
                                  RF_PHASE_PREFLIGHT, NULL))
    {
      probe->fatal = g_error_new_literal (RF_ERROR, RF_ERROR_INTERNAL,
                                          "the command gate refused the identification stage");
      return;
    }
  if (!no_disc_check (probe))
    return;
  if (g_str_equal (probe->result->family->protocol, "nec-2m"))
    probe_nec (probe);
  else
    probe_spc (probe);
}

/* One job per drive across processes (DOMAIN.md): a drive another job holds is
 * busy and is sent nothing at all, not even INQUIRY. A deep probe holds the
 * exclusive lock; a passive one a shared lock for as long as it sends
 * commands, so that no job of another process interleaves with it. */
static gboolean
take_lock (Probe         *probe,
           const char    *lock_name,
           RfProbeDepth   depth,
           RfDriveLock  **lock)
{
  g_autoptr(GError) error = NULL;

  if (depth == RF_PROBE_DEPTH_PASSIVE)
    *lock = rf_drive_lock_acquire_shared (lock_name, &error);
  else
    *lock = rf_drive_lock_acquire (lock_name, &error);
  if (*lock != NULL)
    return TRUE;
  if (g_error_matches (error, RF_ERROR, RF_ERROR_BUSY))
    set_state (probe, RF_DRIVE_STATE_BUSY, RF_REASON_LOCKED, error->message);
  else
    probe->fatal = g_steal_pointer (&error);
  return FALSE;
}

/* The probe proper; the caller holds the drive's lock. */
static RfProbeResult *
run_probe (RfCommandGate  *gate,
           RfDriveDb      *db,
           RfProbeDepth    depth,
           const char     *port,
           GCancellable   *cancellable,
           GError        **error)
{
  g_autoptr(RfProbeResult) result = rf_probe_result_new ();
  Probe probe = { 0 };

  if (!rf_command_gate_set_stage (gate, RF_GATE_STAGE_PASSIVE, NULL, RF_PHASE_PREFLIGHT, NULL))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL,
                           "the command gate refused the passive stage");
      return NULL;
    }
  probe.gate = gate;
  probe.transport = RF_TRANSPORT (gate);
  probe.db = db;
  probe.port = port;
  probe.cancellable = cancellable;
  probe.clock = rf_transport_get_clock (RF_TRANSPORT (gate));
  probe.result = result;
  result->depth = RF_PROBE_DEPTH_PASSIVE;

  if (probe_passive (&probe) && !apply_marker (&probe) &&
      depth == RF_PROBE_DEPTH_DEEP && result->family != NULL)
    probe_deep (&probe);
  if (probe.fatal != NULL)
    {
      g_propagate_error (error, probe.fatal);
      return NULL;
    }
  return g_steal_pointer (&result);
}

/**
 * rf_probe_drive:
 * @transport: the drive; every command goes through a command gate set to
 *   the probe's stage, in front of it
 * @depth: passive sends INQUIRY, TEST UNIT READY and GET CONFIGURATION only;
 *   deep adds the family's identification commands, and only for a drive whose
 *   INQUIRY matched a family
 * @lock_name: names the per-drive lock the probe holds
 * @port: (nullable): names the drive across boots (its sysfs port path, a
 *   practice drive's id), for the safe-mode marker
 *
 * Returns: (transfer full) (nullable): the result; %NULL only when cancelled
 */
RfProbeResult *
rf_probe_drive (RfTransport   *transport,
                RfDriveDb     *db,
                RfProbeDepth   depth,
                const char    *lock_name,
                const char    *port,
                GCancellable  *cancellable,
                GError       **error)
{
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(RfCommandGate) gate = NULL;
  g_autoptr(RfProbeResult) busy = rf_probe_result_new ();
  Probe probe = { .result = busy };
  gboolean locked;

  g_return_val_if_fail (RF_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);
  g_return_val_if_fail (lock_name != NULL, NULL);

  locked = take_lock (&probe, lock_name, depth, &lock);
  if (probe.fatal != NULL)
    {
      g_propagate_error (error, probe.fatal);
      return NULL;
    }
  if (!locked)
    return g_steal_pointer (&busy);
  gate = rf_command_gate_new (transport);
  return run_probe (gate, db, depth, port, cancellable, error);
}

/**
 * rf_probe_drive_held:
 * @gate: the job's command gate in front of the drive; the probe sets its
 *   stage, and leaves it at the identification stage after a deep look
 * @depth: as for rf_probe_drive()
 * @port: (nullable): as for rf_probe_drive()
 *
 * A probe for a job that already holds the drive's exclusive lock for its
 * whole length (issue 15 "Jobs"): nothing of another process can come between
 * the identification and what the job does next.
 *
 * Returns: (transfer full) (nullable): the result; %NULL only when cancelled
 */
RfProbeResult *
rf_probe_drive_held (RfCommandGate  *gate,
                     RfDriveDb      *db,
                     RfProbeDepth    depth,
                     const char     *port,
                     GCancellable   *cancellable,
                     GError        **error)
{
  g_return_val_if_fail (RF_IS_COMMAND_GATE (gate), NULL);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);

  return run_probe (gate, db, depth, port, cancellable, error);
}
