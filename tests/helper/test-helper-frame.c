/* test-helper-frame.c: the helper's frames, as a root process must read them:
 * bounded, exact, and refused whole when anything is off (issue 24)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-helper-frame.h"

/* Writes @payload as a frame into a pipe and reads it back. */
static RfHelperReadResult
through_pipe (GByteArray *payload,
              GBytes    **read_back)
{
  int fds[2];
  RfHelperReadResult result;

  g_assert_no_errno (pipe (fds));
  g_assert_true (rf_helper_frame_write (fds[1], payload, NULL));
  close (fds[1]);
  result = rf_helper_frame_read (fds[0], read_back, NULL);
  close (fds[0]);
  return result;
}

static GBytes *
as_bytes (GByteArray *array)
{
  return g_byte_array_free_to_bytes (array);
}

static void
test_command_round_trip (void)
{
  static const guint8 cdb[10] = { 0x3B, 0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00 };
  guint8 data[4] = { 1, 2, 3, 4 };
  g_autofree guint8 *decoded_data = NULL;
  g_autoptr(GBytes) payload = NULL;
  RfCommand command;
  RfCommand decoded;

  g_assert_true (rf_command_init (&command, cdb, sizeof cdb, RF_DIRECTION_OUT, data, 4, 7000));
  g_assert_cmpint (through_pipe (rf_helper_frame_encode_command (&command), &payload), ==,
                   RF_HELPER_READ_FRAME);
  g_assert_true (rf_helper_frame_decode_command (payload, &decoded, &decoded_data, NULL));
  g_assert_cmpmem (decoded.cdb, decoded.cdb_length, cdb, sizeof cdb);
  g_assert_cmpint (decoded.direction, ==, RF_DIRECTION_OUT);
  g_assert_cmpuint (decoded.timeout_ms, ==, 7000);
  g_assert_cmpmem (decoded.data, decoded.data_length, data, sizeof data);
}

/* The reply fills the client's command: status, sense, data, residual. */
static void
test_reply_round_trip (void)
{
  static const guint8 cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x24, 0x00 };
  guint8 drive_data[36];
  guint8 client_data[36] = { 0 };
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) failure = NULL;
  RfCommand answered;
  RfCommand client;
  gboolean was_answered = FALSE;

  memset (drive_data, 0xA5, sizeof drive_data);
  g_assert_true (rf_command_init (&answered, cdb, 6, RF_DIRECTION_IN, drive_data, 36, 1000));
  answered.status = RF_STATUS_CHECK_CONDITION;
  rf_command_set_check_condition (&answered, 0x02, 0x3A, 0x00);
  answered.residual = 4;
  payload = as_bytes (rf_helper_frame_encode_reply (&answered, TRUE, NULL));
  g_assert_true (rf_command_init (&client, cdb, 6, RF_DIRECTION_IN, client_data, 36, 1000));
  g_assert_true (rf_helper_frame_decode_reply (payload, &client, &was_answered, &failure, NULL));
  g_assert_true (was_answered);
  g_assert_no_error (failure);
  g_assert_cmpuint (client.status, ==, RF_STATUS_CHECK_CONDITION);
  g_assert_cmpmem (client.sense, client.sense_length, answered.sense, answered.sense_length);
  g_assert_cmpuint (client.residual, ==, 4);
  /* Only the bytes the drive sent come back. */
  g_assert_cmpmem (client_data, 32, drive_data, 32);
  g_assert_cmpuint (client_data[32], ==, 0);
}

/* A failure travels with its code: a refusal of the helper's gate is a
 * refusal on the client too. */
static void
test_reply_failure (void)
{
  static const guint8 cdb[6] = { 0x00 };
  g_autoptr(GError) refused = g_error_new_literal (RF_ERROR, RF_ERROR_COMMAND_REFUSED, "nope");
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) failure = NULL;
  RfCommand command;
  gboolean answered = TRUE;

  g_assert_true (rf_command_init (&command, cdb, 6, RF_DIRECTION_NONE, NULL, 0, 1000));
  payload = as_bytes (rf_helper_frame_encode_reply (&command, FALSE, refused));
  g_assert_true (rf_helper_frame_decode_reply (payload, &command, &answered, &failure, NULL));
  g_assert_false (answered);
  g_assert_error (failure, RF_ERROR, RF_ERROR_COMMAND_REFUSED);
  g_assert_cmpstr (failure->message, ==, "nope");
}

/* More data than the client asked for is a lie, not a reply. */
static void
test_reply_longer_than_asked (void)
{
  static const guint8 cdb[6] = { 0x12, 0, 0, 0, 0x24, 0 };
  guint8 big[64] = { 0 };
  guint8 small[8];
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  RfCommand command;
  gboolean answered;

  g_assert_true (rf_command_init (&command, cdb, 6, RF_DIRECTION_IN, big, sizeof big, 1000));
  payload = as_bytes (rf_helper_frame_encode_reply (&command, TRUE, NULL));
  g_assert_true (rf_command_init (&command, cdb, 6, RF_DIRECTION_IN, small, sizeof small, 1000));
  g_assert_false (rf_helper_frame_decode_reply (payload, &command, &answered, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
}

/* A length beyond the command's buffer with nothing after it (what the
 * fuzzer found): refused, and nothing is copied from the missing data. */
static void
test_reply_length_without_data (void)
{
  static const guint8 cdb[6] = { 0x12, 0, 0, 0, 0x24, 0 };
  guint8 big[64] = { 0 };
  guint8 small[8] = { 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A, 0x5A };
  g_autoptr(GBytes) full = NULL;
  g_autoptr(GBytes) cut = NULL;
  g_autoptr(GError) error = NULL;
  RfCommand command;
  gboolean answered;

  g_assert_true (rf_command_init (&command, cdb, 6, RF_DIRECTION_IN, big, sizeof big, 1000));
  full = as_bytes (rf_helper_frame_encode_reply (&command, TRUE, NULL));
  cut = g_bytes_new_from_bytes (full, 0, g_bytes_get_size (full) - sizeof big);
  g_assert_true (rf_command_init (&command, cdb, 6, RF_DIRECTION_IN, small, sizeof small, 1000));
  g_assert_false (rf_helper_frame_decode_reply (cut, &command, &answered, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
  g_assert_cmpuint (small[0], ==, 0x5A);
}

static void
test_cdb_lengths (void)
{
  static const guint8 cdb[16] = { 0x00 };
  g_autoptr(GByteArray) frame = NULL;
  g_autofree guint8 *data = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  RfCommand command;

  /* A five-byte CDB, written by hand: no builder makes one. */
  frame = g_byte_array_new ();
  g_byte_array_append (frame, (const guint8[]) { RF_HELPER_FRAME_COMMAND, 5 }, 2);
  g_byte_array_append (frame, cdb, 5);
  g_byte_array_append (frame, (const guint8[]) { 0, 0xE8, 0x03, 0, 0, 0, 0, 0, 0 }, 9);
  payload = g_bytes_new (frame->data, frame->len);
  g_assert_false (rf_helper_frame_decode_command (payload, &command, &data, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "6 to 16"));
}

/* Data over the cap is refused from its length, before any allocation. */
static void
test_data_over_cap (void)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  static const guint8 head[] = { RF_HELPER_FRAME_COMMAND, 6, 0x3B, 0x05, 0, 0, 0, 0,
                                 RF_DIRECTION_IN, 0xE8, 0x03, 0, 0 };
  guint8 length[4] = { 0x01, 0x00, 0x10, 0x00 }; /* 1 MiB + 1 */
  g_autofree guint8 *data = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  RfCommand command;

  g_byte_array_append (frame, head, sizeof head);
  g_byte_array_append (frame, length, sizeof length);
  payload = g_bytes_new (frame->data, frame->len);
  g_assert_false (rf_helper_frame_decode_command (payload, &command, &data, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
}

/* A length over the frame cap is refused without reading (or allocating) it. */
static void
test_frame_too_long (void)
{
  guint8 header[4] = { 0xFF, 0xFF, 0xFF, 0x7F };
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], header, sizeof header), ==, 4);
  close (fds[1]);
  g_assert_cmpint (rf_helper_frame_read (fds[0], &payload, &error), ==, RF_HELPER_READ_TOO_LONG);
  g_assert_null (payload);
  close (fds[0]);
}

static void
test_frame_cut_short (void)
{
  guint8 frame[6] = { 10, 0, 0, 0, 0x02, 0x06 };
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) error = NULL;
  int fds[2];

  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], frame, sizeof frame), ==, 6);
  close (fds[1]);
  g_assert_cmpint (rf_helper_frame_read (fds[0], &payload, &error), ==, RF_HELPER_READ_ERROR);
  close (fds[0]);
}

/* A byte too many is as bad as one too few. */
static void
test_trailing_bytes (void)
{
  RfAllowList list = { RF_GATE_STAGE_PASSIVE, NULL, RF_PHASE_PREFLIGHT, NULL };
  g_autoptr(GByteArray) frame = rf_helper_frame_encode_stage (&list);
  g_autoptr(GBytes) payload = NULL;
  RfHelperStage stage;

  g_byte_array_append (frame, (const guint8[]) { 0 }, 1);
  payload = g_bytes_new (frame->data, frame->len);
  g_assert_false (rf_helper_frame_decode_stage (payload, &stage, NULL));
}

static void
test_stage_round_trip_and_range (void)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (NULL);
  RfDriveFamily *nec = rf_drive_db_lookup (db, "nec-2m");
  RfAllowList list = { RF_GATE_STAGE_FLASH, nec, RF_PHASE_ERASE, "K355" };
  g_autoptr(GByteArray) frame = rf_helper_frame_encode_stage (&list);
  g_autoptr(GBytes) payload = NULL;
  RfHelperStage stage;

  g_assert_nonnull (nec);
  payload = g_bytes_new (frame->data, frame->len);
  g_assert_true (rf_helper_frame_decode_stage (payload, &stage, NULL));
  g_assert_cmpint (stage.stage, ==, RF_GATE_STAGE_FLASH);
  g_assert_cmpint (stage.phase, ==, RF_PHASE_ERASE);
  g_assert_cmpstr (stage.family_id, ==, "nec-2m");
  g_assert_cmpstr (stage.key, ==, "K355");

  /* A stage past the last one. */
  frame->data[1] = RF_GATE_STAGE_AFTER_FAILURE + 1;
  g_clear_pointer (&payload, g_bytes_unref);
  payload = g_bytes_new (frame->data, frame->len);
  g_assert_false (rf_helper_frame_decode_stage (payload, &stage, NULL));
}

static void
test_hello_round_trip (void)
{
  g_autoptr(GBytes) payload = NULL;
  g_auto(RfHelperHello) hello = { 0 };

  payload = as_bytes (rf_helper_frame_encode_hello (RF_HELPER_HELLO_REFUSED, 0, "not-optical"));
  g_assert_true (rf_helper_frame_decode_hello (payload, &hello, NULL));
  g_assert_cmpint (hello.verdict, ==, RF_HELPER_HELLO_REFUSED);
  g_assert_cmpstr (hello.reason, ==, "not-optical");
}

static void
test_canonical_nodes (void)
{
  g_assert_true (rf_helper_node_is_canonical ("/dev/sg0"));
  g_assert_true (rf_helper_node_is_canonical ("/dev/sr12"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/sg"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/sg01"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/sda"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/../dev/sg0"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/sg0/"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/sg0 "));
  g_assert_false (rf_helper_node_is_canonical ("/tmp/sg0"));
  g_assert_false (rf_helper_node_is_canonical ("dev/sg0"));
  g_assert_false (rf_helper_node_is_canonical ("/dev/cdrom"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/helper-frame/command-round-trip", test_command_round_trip);
  g_test_add_func ("/helper-frame/reply-round-trip", test_reply_round_trip);
  g_test_add_func ("/helper-frame/reply-failure", test_reply_failure);
  g_test_add_func ("/helper-frame/reply-longer-than-asked", test_reply_longer_than_asked);
  g_test_add_func ("/helper-frame/reply-length-without-data", test_reply_length_without_data);
  g_test_add_func ("/helper-frame/cdb-lengths", test_cdb_lengths);
  g_test_add_func ("/helper-frame/data-over-cap", test_data_over_cap);
  g_test_add_func ("/helper-frame/frame-too-long", test_frame_too_long);
  g_test_add_func ("/helper-frame/frame-cut-short", test_frame_cut_short);
  g_test_add_func ("/helper-frame/trailing-bytes", test_trailing_bytes);
  g_test_add_func ("/helper-frame/stage", test_stage_round_trip_and_range);
  g_test_add_func ("/helper-frame/hello", test_hello_round_trip);
  g_test_add_func ("/helper-frame/canonical-nodes", test_canonical_nodes);
  return g_test_run ();
}
