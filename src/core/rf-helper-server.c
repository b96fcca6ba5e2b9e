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

#include "rf-command-gate.h"
#include "rf-error.h"
#include "rf-helper-server.h"

typedef struct {
  RfCommandGate *gate;
  RfDriveDb *db;
  int out_fd;
  gboolean staged;
  RfHelperStage stage;  /* the last stage set */
} Session;

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

/* NULL when the stage is one the drive data supports, else why not. */
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
  /* Refused only when it would widen a gate after a failure: the gate then
   * stays as narrow as it is, and says so in the log. */
  rf_command_gate_set_stage (session->gate, stage.stage, family, stage.phase,
                             stage.key[0] != '\0' ? stage.key : NULL);
  session->staged = TRUE;
  session->stage = stage;
  return NULL;
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
  answered = rf_transport_execute (RF_TRANSPORT (session->gate), &command, NULL, &failure);
  if (!rf_helper_frame_write (session->out_fd,
                              rf_helper_frame_encode_reply (&command, answered, failure), NULL))
    return "client-gone";
  return NULL;
}

/**
 * rf_helper_server_run:
 * @drive: the open drive, reached only through this session's gate
 * @db: the families stage frames may name
 *
 * Serves frames from @in_fd until the client closes it or sends a frame it
 * may not: then a BYE names the reason. Runs after the hello.
 *
 * Returns: why the session ended: "end" when the client closed it, else a
 *   reason nick
 */
const char *
rf_helper_server_run (RfTransport *drive,
                      RfDriveDb   *db,
                      int          in_fd,
                      int          out_fd)
{
  g_autoptr(RfCommandGate) gate = rf_command_gate_new (drive);
  Session session = { gate, db, out_fd, FALSE };

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
