/* rf-helper-server.c: executes a client's framed commands behind a command
 * gate of its own
 *
 * Shared by reflash-helper (a real drive, as root) and the tests' helper
 * (a practice drive), so that what the tests prove is what runs as root. The
 * client's gate has already checked each command; this gate checks it again,
 * because the client is not trusted: its stage frames set this gate's stage
 * only to a stage the installed drive data supports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "rf-command-gate.h"
#include "rf-error.h"
#include "rf-helper-server.h"
#include "rf-scsi.h"

typedef struct {
  RfCommandGate *gate;
  RfDriveDb *db;
  RfDriveFamily *family;  /* what the drive's INQUIRY matched; NULL for none */
  int out_fd;
  gboolean staged;
  RfHelperStage stage;    /* the last stage set */
  guint reached;          /* the furthest stage so far, as stage_order() counts */
  gboolean checked_after_flash;
} Session;

/* The one place the flash's phases come after identification and backup:
 * a job's stages only move forward, so that going back and forth cannot
 * reset what the gate remembers within a stage. 0 for the stages that only
 * narrow the gate, which may come at any time. */
#define ORDER_FLASH_BASE 3

static guint
stage_order (const RfHelperStage *stage)
{
  switch (stage->stage)
    {
    case RF_GATE_STAGE_IDENTIFY:
      return 1;
    case RF_GATE_STAGE_BACKUP:
      return 2;
    case RF_GATE_STAGE_FLASH:
      return ORDER_FLASH_BASE + stage->phase;
    case RF_GATE_STAGE_CLOSED:
    case RF_GATE_STAGE_PASSIVE:
    case RF_GATE_STAGE_AFTER_FAILURE:
    default:
      return 0;
    }
}

/* A frame the helper cannot accept ends the session; the reason is the last
 * frame the client reads. */
static const char *
say_bye (Session    *session,
         const char *reason)
{
  g_message ("ending the session: %s", reason);
  rf_helper_frame_write (session->out_fd, rf_helper_frame_encode_bye (reason), NULL);
  return reason;
}

/**
 * rf_helper_server_say_hello:
 * @reason: (nullable): for %RF_HELPER_HELLO_REFUSED: why, as a nick
 *
 * The helper's first frame: a client that reads it knows authentication
 * succeeded, whatever comes next.
 */
gboolean
rf_helper_server_say_hello (int              out_fd,
                            RfHelperVerdict  verdict,
                            gsize            max_transfer,
                            const char      *reason)
{
  return rf_helper_frame_write (out_fd,
                                rf_helper_frame_encode_hello (verdict,
                                                              MIN (max_transfer,
                                                                   RF_HELPER_DATA_MAX),
                                                              reason),
                                NULL);
}

/* NULL when the stage is one the drive data supports for this drive, else
 * why not. */
static const char *
check_stage (Session             *session,
             const RfHelperStage *stage,
             RfDriveFamily      **family)
{
  const char *key = stage->key[0] != '\0' ? stage->key : NULL;

  *family = NULL;
  if (stage->family_id[0] != '\0')
    {
      *family = rf_drive_db_lookup (session->db, stage->family_id);
      if (*family == NULL)
        return "unknown-family";
      /* nec-2m.md §2 rule 1: a family's commands go only to a drive whose
       * INQUIRY matched that family, whatever the client says. */
      if (*family != session->family)
        return "wrong-family";
    }
  if (key != NULL && (*family == NULL || (*family)->safe_mode_keys == NULL ||
                      !g_strv_contains ((const char * const *) (*family)->safe_mode_keys, key)))
    return "unknown-key";
  if (!rf_command_gate_stage_is_valid (stage->stage, *family, stage->phase, key))
    return "invalid-stage";
  return NULL;
}

static gboolean
is_same_stage (const RfHelperStage *a,
               const RfHelperStage *b)
{
  return a->stage == b->stage && a->phase == b->phase &&
         g_str_equal (a->family_id, b->family_id) && g_str_equal (a->key, b->key);
}

/* NULL when @stage may follow the stages so far, else why not. A job looks
 * at its drive once more after the flash restarted it: a new check, once. */
static const char *
check_order (Session             *session,
             const RfHelperStage *stage)
{
  guint order = stage_order (stage);

  if (order == 0)
    return NULL;
  if (order > session->reached)
    {
      session->reached = order;
      return NULL;
    }
  if (stage->stage == RF_GATE_STAGE_IDENTIFY && !session->checked_after_flash &&
      session->reached >= ORDER_FLASH_BASE + RF_PHASE_RESTART)
    {
      session->checked_after_flash = TRUE;
      session->reached = G_MAXUINT;
      return NULL;
    }
  return "stage-out-of-order";
}

static const char *
handle_stage (Session *session,
              GBytes  *payload)
{
  RfHelperStage stage;
  RfDriveFamily *family;
  const char *refusal;

  if (!rf_helper_frame_decode_stage (payload, &stage, NULL))
    return say_bye (session, "invalid-stage");
  refusal = check_stage (session, &stage, &family);
  if (refusal != NULL)
    return say_bye (session, refusal);
  /* The same stage again changes nothing: setting it anew would forget
   * what the gate remembers within a stage (each SAFE MODE key once, a
   * retry only after a new TEST UNIT READY). */
  if (session->staged && is_same_stage (&stage, &session->stage))
    return NULL;
  refusal = check_order (session, &stage);
  if (refusal != NULL)
    return say_bye (session, refusal);
  /* Refused only when it would widen a gate after a failure: the gate then
   * stays as narrow as it is, and says so in the log. */
  rf_command_gate_set_stage (session->gate, stage.stage, family, stage.phase,
                             stage.key[0] != '\0' ? stage.key : NULL);
  session->staged = TRUE;
  session->stage = stage;
  return NULL;
}

/* The timeout is the helper's, from the protocols' one table (nec-2m.md §1,
 * spc-download.md "Timeouts"), never the client's: a command that times
 * out goes to the kernel's error handling, which may reset the drive in the
 * middle of an erase. Reads may take the client's between the two read
 * values; everything that can change a drive gets the longest. */
static guint
command_timeout_ms (const RfCommand *command)
{
  switch (command->cdb[0])
    {
    case 0x00: /* TEST UNIT READY */
    case 0x12: /* INQUIRY */
    case 0x46: /* GET CONFIGURATION */
      return RF_SCSI_TIMEOUT_SCAN_MS;
    default:
      break;
    }
  if (command->direction == RF_DIRECTION_IN)
    return CLAMP (command->timeout_ms, RF_SCSI_TIMEOUT_SCAN_MS, RF_SCSI_TIMEOUT_DUMP_MS);
  return RF_SCSI_TIMEOUT_FLASH_MS;
}

static const char *
handle_command (Session *session,
                GBytes  *payload)
{
  g_autofree guint8 *data = NULL;
  g_autoptr(GError) failure = NULL;
  RfCommand command;
  gboolean answered;

  if (!session->staged)
    return say_bye (session, "command-before-stage");
  if (!rf_helper_frame_decode_command (payload, &command, &data, NULL))
    return say_bye (session, "invalid-command");
  command.timeout_ms = command_timeout_ms (&command);
  answered = rf_transport_execute (RF_TRANSPORT (session->gate), &command, NULL, &failure);
  if (!rf_helper_frame_write (session->out_fd,
                              rf_helper_frame_encode_reply (&command, answered, failure), NULL))
    return "client-gone";
  return NULL;
}

/**
 * rf_helper_server_prepare_process:
 *
 * A terminal's Ctrl-C, Ctrl-Z, quit key or hang-up must never stop the helper
 * in the middle of an erase, nor the death of the thread that started it:
 * the client's closing stdin is the only way to end it, between commands.
 * And stdout carries frames only: every log line goes to stderr.
 */
void
rf_helper_server_prepare_process (void)
{
  const int ignored[] = { SIGINT, SIGQUIT, SIGTSTP, SIGHUP, SIGPIPE, SIGTTIN, SIGTTOU };

  for (gsize i = 0; i < G_N_ELEMENTS (ignored); i++)
    signal (ignored[i], SIG_IGN);
  /* pkexec asks for SIGTERM when its parent thread dies; that it is cleared
   * on the way to root is pkexec's detail, not a promise. */
  prctl (PR_SET_PDEATHSIG, 0);
  /* GLib writes debug and info lines to stdout otherwise. */
  g_log_writer_default_set_use_stderr (TRUE);
}

/**
 * rf_helper_server_identify:
 * @drive: the open node
 * @db: (nullable): the installed drive data
 * @family: (out) (transfer none) (nullable): the family the drive's INQUIRY
 *   matches, or %NULL for none
 *
 * Whether @drive is an optical drive: peripheral type 5, or a drive in boot
 * mode whose identity the drive data knows (a bricked burner may report
 * another type there). Sends one INQUIRY, through a passive gate.
 *
 * Returns: %TRUE for an optical drive
 */
gboolean
rf_helper_server_identify (RfTransport    *drive,
                           RfDriveDb      *db,
                           RfDriveFamily **family)
{
  g_autoptr(RfCommandGate) gate = rf_command_gate_new (drive);
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH] = { 0 };
  gboolean boot_mode = FALSE;

  *family = NULL;
  if (!rf_command_gate_set_stage (gate, RF_GATE_STAGE_PASSIVE, NULL, RF_PHASE_PREFLIGHT, NULL) ||
      !rf_scsi_inquiry (RF_TRANSPORT (gate), inquiry, NULL, NULL))
    return FALSE;
  if (db != NULL)
    *family = rf_drive_db_match (db, inquiry, sizeof inquiry, NULL, &boot_mode);
  return rf_scsi_inquiry_device_type (inquiry) == 0x05 || (*family != NULL && boot_mode);
}

/**
 * rf_helper_server_run:
 * @drive: the open drive, reached only through this session's gate
 * @db: the families stage frames may name
 * @family: (nullable): the family rf_helper_server_identify() matched: the
 *   only one a stage may name
 *
 * Serves frames from @in_fd until the client closes it or sends a frame it
 * may not: then a BYE names the reason. Runs after the hello.
 *
 * Returns: why the session ended: "end" when the client closed it, else a
 *   reason nick
 */
const char *
rf_helper_server_run (RfTransport   *drive,
                      RfDriveDb     *db,
                      RfDriveFamily *family,
                      int            in_fd,
                      int            out_fd)
{
  g_autoptr(RfCommandGate) gate = rf_command_gate_new (drive);
  Session session = { gate, db, family, out_fd, FALSE };

  for (;;)
    {
      g_autoptr(GBytes) payload = NULL;
      g_autoptr(GError) error = NULL;
      const char *ended = NULL;

      switch (rf_helper_frame_read (in_fd, &payload, &error))
        {
        case RF_HELPER_READ_END:
          return "end";
        case RF_HELPER_READ_TOO_LONG:
          return say_bye (&session, "frame-too-long");
        case RF_HELPER_READ_ERROR:
          return say_bye (&session, "frame-cut-short");
        case RF_HELPER_READ_FRAME:
        default:
          break;
        }
      switch (rf_helper_frame_get_type (payload))
        {
        case RF_HELPER_FRAME_STAGE:
          ended = handle_stage (&session, payload);
          break;
        case RF_HELPER_FRAME_COMMAND:
          ended = handle_command (&session, payload);
          break;
        case RF_HELPER_FRAME_HELLO:
        case RF_HELPER_FRAME_REPLY:
        case RF_HELPER_FRAME_BYE:
        default:
          ended = say_bye (&session, "unknown-frame");
          break;
        }
      if (ended != NULL)
        return ended;
    }
}
