/* test-helper-server.c: the helper's session as a hostile client meets it
 * (issue 24)
 *
 * The frames go into rf_helper_server_run() itself, the loop reflash-helper
 * runs as root, with a practice drive behind it; what the client sends is
 * written by hand here, not by Reflash's own transport, because the helper
 * must hold against a client that does not play by Reflash's rules.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-helper-server.h"
#include "rf-sim.h"
#include "rf-test-helper.h"
#include "rf-test-hook.h"
#include "rf-test-util.h"

static RfDriveDb *db;
static char *home;

typedef struct {
  GByteArray *frames;      /* what the client sends, in order */
  GArray *timeouts;        /* guint: the timeout of each command the drive got */
  GPtrArray *replies;      /* RfCommand answers, in order */
  char *ended;             /* what rf_helper_server_run() returned */
  RfDriveFamily *family;   /* what the helper's INQUIRY matched */
} Session;

static void
session_init (Session *session)
{
  session->frames = g_byte_array_new ();
  session->timeouts = g_array_new (FALSE, FALSE, sizeof (guint));
  session->replies = g_ptr_array_new_with_free_func (g_free);
  session->ended = NULL;
  session->family = NULL;
}

static void
session_clear (Session *session)
{
  g_byte_array_unref (session->frames);
  g_array_unref (session->timeouts);
  g_ptr_array_unref (session->replies);
  g_free (session->ended);
}

static void
add_frame (Session    *session,
           GByteArray *payload)
{
  guint8 length[4] = { payload->len & 0xFF, (payload->len >> 8) & 0xFF,
                       (payload->len >> 16) & 0xFF, (payload->len >> 24) & 0xFF };

  g_byte_array_append (session->frames, length, sizeof length);
  g_byte_array_append (session->frames, payload->data, payload->len);
  g_byte_array_unref (payload);
}

/* A STAGE frame spelled out byte by byte: the client may name any family. */
static void
add_stage (Session     *session,
           RfGateStage  stage,
           RfPhase      phase,
           const char  *family_id,
           const char  *key)
{
  GByteArray *payload = g_byte_array_new ();
  guint8 head[] = { RF_HELPER_FRAME_STAGE, stage, phase };
  guint8 n;

  g_byte_array_append (payload, head, sizeof head);
  n = family_id != NULL ? strlen (family_id) : 0;
  g_byte_array_append (payload, &n, 1);
  g_byte_array_append (payload, (const guint8 *) family_id, n);
  n = key != NULL ? strlen (key) : 0;
  g_byte_array_append (payload, &n, 1);
  g_byte_array_append (payload, (const guint8 *) key, n);
  add_frame (session, payload);
}

static void
add_command (Session   *session,
             RfCommand *command,
             guint      timeout_ms)
{
  command->timeout_ms = timeout_ms;
  add_frame (session, rf_helper_frame_encode_command (command));
}

static void
add_inquiry (Session *session,
             guint    timeout_ms)
{
  static guint8 data[RF_SCSI_INQUIRY_LENGTH];
  RfCommand command;

  g_assert_true (rf_scsi_build_inquiry (&command, data));
  add_command (session, &command, timeout_ms);
}

static void
add_safe_mode_enter (Session    *session,
                     const char *key,
                     guint       timeout_ms)
{
  RfCommand command;

  g_assert_true (rf_nec_build_safe_mode (&command, TRUE, key));
  add_command (session, &command, timeout_ms);
}

static void
note_timeout (guint            n,
              const RfCommand *command,
              gpointer         user_data)
{
  Session *session = user_data;

  g_array_append_val (session->timeouts, command->timeout_ms);
}

static void
take_power_on_attention (RfTransport *transport)
{
  RfCommand command;

  g_assert_true (rf_scsi_build_test_unit_ready (&command));
  rf_transport_execute (transport, &command, NULL, NULL);
}

static void
read_replies (Session *session,
              int      fd)
{
  for (;;)
    {
      g_autoptr(GBytes) payload = NULL;
      RfCommand *reply;
      gboolean answered;
      g_autoptr(GError) failure = NULL;

      if (rf_helper_frame_read (fd, &payload, NULL) != RF_HELPER_READ_FRAME ||
          rf_helper_frame_get_type (payload) != RF_HELPER_FRAME_REPLY)
        return;
      /* Only the status matters here: a command with no data room. */
      reply = g_new0 (RfCommand, 1);
      g_assert_true (rf_command_init (reply, (const guint8[6]) { 0 }, 6, RF_DIRECTION_NONE,
                                      NULL, 0, 1000));
      if (!rf_helper_frame_decode_reply (payload, reply, &answered, &failure, NULL))
        reply->status = 0xFF;
      else if (!answered)
        reply->status = 0xFE;
      g_ptr_array_add (session->replies, reply);
    }
}

/* Serves the session's frames to a fresh practice drive, as reflash-helper
 * would after its hello, and keeps what came back. */
static void
session_run (Session    *session,
             const char *scenario)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) drive = rf_sim_drive_open (scenario, NULL, &error);
  g_autoptr(TestHookTransport) hook = NULL;
  g_autofree char *out_path = g_build_filename (home, "out", NULL);
  int in[2];
  int out;

  g_assert_no_error (error);
  hook = test_hook_transport_new (rf_sim_transport_new (drive));
  /* As reflash-helper-sim: a drive that stays powered has answered its
   * power-on UNIT ATTENTION long ago. */
  take_power_on_attention (RF_TRANSPORT (hook));
  g_assert_true (rf_helper_server_identify (RF_TRANSPORT (hook), db, &session->family));
  hook->func = note_timeout;
  hook->user_data = session;
  g_assert_cmpuint (session->frames->len, <, 60000);
  g_assert_cmpint (pipe (in), ==, 0);
  g_assert_cmpint (write (in[1], session->frames->data, session->frames->len), ==,
                   (gssize) session->frames->len);
  close (in[1]);
  out = g_open (out_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (out, >=, 0);
  session->ended = g_strdup (rf_helper_server_run (RF_TRANSPORT (hook), db, session->family,
                                                   in[0], out));
  close (in[0]);
  g_assert_cmpint (lseek (out, 0, SEEK_SET), ==, 0);
  read_replies (session, out);
  close (out);
}

static guint8
reply_status (Session *session,
              guint    i)
{
  g_assert_cmpuint (i, <, session->replies->len);
  return ((RfCommand *) g_ptr_array_index (session->replies, i))->status;
}

/* The drive's own INQUIRY decides its family; a drive in safe mode is known
 * by the identity its bootcode reports. */
static void
test_identify (void)
{
  const struct { const char *scenario; const char *family; } drives[] = {
    { "seed", "nec-2m" },
    { "healthy-3550", "nec-2m" },
    { "spc-generic", "spc-generic" },
    { "unknown-drive", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (drives); i++)
    {
      Session session;

      session_init (&session);
      session_run (&session, drives[i].scenario);
      g_assert_cmpstr (session.family != NULL ? session.family->id : NULL, ==, drives[i].family);
      g_assert_cmpstr (session.ended, ==, "end");
      session_clear (&session);
    }
}

static void
assert_ended (Session    *session,
              const char *scenario,
              const char *reason)
{
  session_run (session, scenario);
  g_assert_cmpstr (session->ended, ==, reason);
}

static void
test_command_before_stage (void)
{
  Session session;

  session_init (&session);
  add_inquiry (&session, 20000);
  assert_ended (&session, "seed", "command-before-stage");
  g_assert_cmpuint (session.timeouts->len, ==, 0);
  session_clear (&session);
}

/* nec-2m.md §2 rule 1: a family's commands only for a drive that matched
 * it, whatever the client names. */
static void
test_wrong_family (void)
{
  const struct { const char *scenario; const char *named; } cases[] = {
    { "seed", "spc-generic" },         /* WRITE BUFFER to an NEC drive */
    { "spc-generic", "nec-2m" },       /* NEC's erase opcode to another vendor's */
    { "unknown-drive", "nec-2m" },     /* a drive no family knows */
    { "unknown-drive", "spc-generic" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Session session;

      session_init (&session);
      add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, cases[i].named, NULL);
      add_inquiry (&session, 20000);
      assert_ended (&session, cases[i].scenario, "wrong-family");
      g_assert_cmpuint (session.timeouts->len, ==, 0);
      session_clear (&session);
    }
}

static void
test_stage_refusals (void)
{
  const struct {
    RfGateStage stage; RfPhase phase; const char *family; const char *key; const char *reason;
  } cases[] = {
    { RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "no-such-family", NULL, "unknown-family" },
    { RF_GATE_STAGE_FLASH, RF_PHASE_ERASE, "nec-2m", "K999", "unknown-key" },
    { RF_GATE_STAGE_FLASH, RF_PHASE_ERASE, "nec-2m", NULL, "invalid-stage" },
    { RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, NULL, NULL, "invalid-stage" },
    { RF_GATE_STAGE_AFTER_FAILURE + 1, RF_PHASE_PREFLIGHT, NULL, NULL, "invalid-stage" },
    { RF_GATE_STAGE_FLASH, RF_PHASE_LAST, "nec-2m", "K355", "invalid-stage" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Session session;

      session_init (&session);
      add_stage (&session, cases[i].stage, cases[i].phase, cases[i].family, cases[i].key);
      add_inquiry (&session, 20000);
      assert_ended (&session, "seed", cases[i].reason);
      g_assert_cmpuint (session.timeouts->len, ==, 0);
      session_clear (&session);
    }
}

/* What a flash job sends, in the order it sends it, ends normally. */
static void
test_stage_order_of_a_job (void)
{
  const RfPhase phases[] = {
    RF_PHASE_BACKUP, RF_PHASE_ENTER_SAFE_MODE, RF_PHASE_UPLOAD, RF_PHASE_CHECKSUM,
    RF_PHASE_ERASE, RF_PHASE_PROGRAM, RF_PHASE_RESTART, RF_PHASE_VERIFY,
  };
  Session session;

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (phases); i++)
    add_stage (&session, RF_GATE_STAGE_FLASH, phases[i], "nec-2m", "K355");
  /* The look at the drive after its flash. */
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_stage (&session, RF_GATE_STAGE_CLOSED, RF_PHASE_PREFLIGHT, NULL, NULL);
  assert_ended (&session, "healthy-3550", "end");
  session_clear (&session);
}

/* Going back to an earlier stage would set the gate anew and forget what it
 * remembers within a stage: each SAFE MODE key once, the UNIT ATTENTION
 * retries. */
static void
test_stage_order_refusals (void)
{
  Session session;

  /* Identification again, with a narrow stage in between: the key tried
   * once may not be tried again. */
  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_safe_mode_enter (&session, "K451", 300000);
  add_safe_mode_enter (&session, "K451", 300000);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_safe_mode_enter (&session, "K451", 300000);
  assert_ended (&session, "healthy-3550", "stage-out-of-order");
  g_assert_cmpuint (session.timeouts->len, ==, 1);
  g_assert_cmpuint (session.replies->len, ==, 2);
  g_assert_cmpuint (reply_status (&session, 1), ==, 0xFE); /* the gate refused it */
  session_clear (&session);

  /* A phase of the flash going back. */
  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_FLASH, RF_PHASE_ERASE, "nec-2m", "K355");
  add_stage (&session, RF_GATE_STAGE_FLASH, RF_PHASE_UPLOAD, "nec-2m", "K355");
  assert_ended (&session, "seed", "stage-out-of-order");
  session_clear (&session);

  /* Identification before the flash restarted the drive. */
  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_FLASH, RF_PHASE_ENTER_SAFE_MODE, "nec-2m", "K355");
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  assert_ended (&session, "seed", "stage-out-of-order");
  session_clear (&session);

  /* The look after the flash comes once. */
  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_FLASH, RF_PHASE_VERIFY, "nec-2m", "K355");
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  assert_ended (&session, "seed", "stage-out-of-order");
  session_clear (&session);
}

/* nec-2m.md §1: a command that times out may reset the drive; the helper
 * keeps to the protocols' table whatever the client asks. */
static void
test_timeouts (void)
{
  static guint8 rid[RF_NEC_RID_LENGTH];
  static guint8 dump[RF_NEC_DUMP_CHUNK];
  RfCommand command;
  Session session;

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL);
  add_inquiry (&session, 1);
  add_inquiry (&session, G_MAXUINT32);
  g_assert_true (rf_scsi_build_test_unit_ready (&command));
  add_command (&session, &command, 1);
  add_safe_mode_enter (&session, "K355", 1);
  g_assert_true (rf_nec_build_read_mem (&command, RF_NEC_RID_ADDRESS, rid, sizeof rid));
  add_command (&session, &command, 1);
  add_stage (&session, RF_GATE_STAGE_BACKUP, RF_PHASE_BACKUP, "nec-2m", NULL);
  g_assert_true (rf_nec_build_read_mem (&command, RF_NEC_MAIN_START, dump, sizeof dump));
  add_command (&session, &command, G_MAXUINT32);
  assert_ended (&session, "healthy-3550", "end");
  g_assert_cmpuint (session.timeouts->len, ==, 6);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 0), ==, 20000);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 1), ==, 20000);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 2), ==, 20000);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 3), ==, 300000);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 4), ==, 20000);
  g_assert_cmpuint (g_array_index (session.timeouts, guint, 5), ==, 60000);
  session_clear (&session);
}

static void
test_frame_refusals (void)
{
  static const guint8 too_long[] = { 0xFF, 0xFF, 0xFF, 0x7F };
  static const guint8 cut_short[] = { 0x10, 0x00, 0x00, 0x00, RF_HELPER_FRAME_STAGE };
  /* TEST UNIT READY, direction none, that claims two bytes of data. */
  static const guint8 none_with_data[] = {
    RF_HELPER_FRAME_COMMAND, 6, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x4E, 0, 0, 2, 0, 0, 0,
  };
  Session session;

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  g_byte_array_append (session.frames, too_long, sizeof too_long);
  assert_ended (&session, "seed", "frame-too-long");
  session_clear (&session);

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  g_byte_array_append (session.frames, cut_short, sizeof cut_short);
  assert_ended (&session, "seed", "frame-cut-short");
  session_clear (&session);

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_frame (&session, rf_helper_frame_encode_bye ("a client may not say this"));
  assert_ended (&session, "seed", "unknown-frame");
  session_clear (&session);

  session_init (&session);
  add_stage (&session, RF_GATE_STAGE_PASSIVE, RF_PHASE_PREFLIGHT, NULL, NULL);
  add_frame (&session, g_byte_array_append (g_byte_array_new (), none_with_data,
                                            sizeof none_with_data));
  assert_ended (&session, "seed", "invalid-command");
  g_assert_cmpuint (session.timeouts->len, ==, 0);
  session_clear (&session);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  home = rf_test_helper_make_home ("reflash-helper-server-XXXXXX");
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  g_test_add_func ("/helper-server/identify", test_identify);
  g_test_add_func ("/helper-server/command-before-stage", test_command_before_stage);
  g_test_add_func ("/helper-server/wrong-family", test_wrong_family);
  g_test_add_func ("/helper-server/stage-refusals", test_stage_refusals);
  g_test_add_func ("/helper-server/stage-order-of-a-job", test_stage_order_of_a_job);
  g_test_add_func ("/helper-server/stage-order-refusals", test_stage_order_refusals);
  g_test_add_func ("/helper-server/timeouts", test_timeouts);
  g_test_add_func ("/helper-server/frame-refusals", test_frame_refusals);
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (home);
  return status;
}
