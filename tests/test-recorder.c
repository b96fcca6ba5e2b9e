/* test-recorder.c: the transcript keeps what passed, summarises data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-error.h"
#include "rf-recorder.h"
#include "rf-scsi.h"
#include "rf-test-clock.h"
#include "rf-test-drive.h"

static const RfTestDriveSpec drive_spec = {
  .device_type = 0x05, .nec = TRUE, .firmware_valid = TRUE,
};

static void
test_transcript (void)
{
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&drive_spec);
  g_autoptr(RfRecorder) recorder = rf_recorder_new (RF_TRANSPORT (drive));
  const guint8 safe_mode[] = { 0xcc, 0x01 };
  const guint8 send_checksum[] = { 0xcc, 0x04 };
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  g_autofree char *expected = NULL;
  g_autofree char *text = NULL;
  const RfRecordEntry *entry;
  RfCommand command;

  g_assert_true (rf_scsi_build_inquiry (&command, inquiry));
  g_assert_true (rf_transport_run (RF_TRANSPORT (recorder), &command, NULL, NULL));
  g_assert_true (rf_scsi_build_test_unit_ready (&command));
  g_assert_true (rf_transport_execute (RF_TRANSPORT (recorder), &command, NULL, NULL));
  g_assert_true (rf_nec_build_safe_mode (&command, TRUE, "K451"));
  g_assert_true (rf_transport_execute (RF_TRANSPORT (recorder), &command, NULL, NULL));

  g_assert_cmpuint (rf_recorder_get_n_entries (recorder), ==, 3);
  entry = rf_recorder_get_entry (recorder, 0);
  g_assert_cmpuint (entry->cdb[0], ==, 0x12);
  g_assert_cmpint (entry->direction, ==, RF_DIRECTION_IN);
  g_assert_cmpuint (entry->data_length, ==, 0x60);
  g_assert_true (entry->answered);
  g_assert_cmpuint (entry->status, ==, RF_STATUS_GOOD);
  /* The data is summarised by its SHA-256, never kept. */
  expected = g_compute_checksum_for_data (G_CHECKSUM_SHA256, inquiry, sizeof inquiry);
  g_assert_cmpuint (strlen (entry->data_digest), ==, RF_RECORD_DIGEST_LENGTH);
  g_assert_true (g_str_has_prefix (expected, entry->data_digest));

  entry = rf_recorder_get_entry (recorder, 1);
  g_assert_cmpuint (entry->status, ==, RF_STATUS_CHECK_CONDITION);
  g_assert_cmpuint (entry->sense_length, >=, 14);
  g_assert_cmpuint (entry->sense[12], ==, 0x3a);
  g_assert_cmpstr (entry->data_digest, ==, "");
  g_assert_null (rf_recorder_get_entry (recorder, 3));

  g_assert_true (rf_recorder_sent_opcode (recorder, 0xcc));
  g_assert_false (rf_recorder_sent_opcode (recorder, 0x3b));
  g_assert_true (rf_recorder_sent_cdb_prefix (recorder, safe_mode, 2));
  g_assert_false (rf_recorder_sent_cdb_prefix (recorder, send_checksum, 2));
  g_assert_cmpuint (rf_recorder_count_opcode (recorder, 0x12), ==, 1);

  text = rf_recorder_format (recorder);
  g_assert_nonnull (strstr (text, "INQUIRY"));
  g_assert_nonnull (strstr (text, "Medium not present (02/3A/00)"));
  g_assert_nonnull (strstr (text, "CC 01 01 00 4B 34 35 31 01 00 00 00"));

  rf_recorder_clear (recorder);
  g_assert_cmpuint (rf_recorder_get_n_entries (recorder), ==, 0);
}

static void
test_no_status (void)
{
  RfTestDriveSpec spec = drive_spec;
  g_autoptr(RfTestDrive) drive = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(GError) error = NULL;
  const RfRecordEntry *entry;
  RfCommand command;

  spec.no_rawio = TRUE;
  drive = rf_test_drive_new (&spec);
  recorder = rf_recorder_new (RF_TRANSPORT (drive));
  g_assert_true (rf_nec_build_safe_mode (&command, TRUE, "K355"));
  g_assert_false (rf_transport_execute (RF_TRANSPORT (recorder), &command, NULL, &error));
  /* The error reaches the caller unchanged, and the transcript says so. */
  g_assert_error (error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES);
  entry = rf_recorder_get_entry (recorder, 0);
  g_assert_false (entry->answered);
  g_assert_cmpint (entry->error_code, ==, RF_ERROR_NEEDS_PRIVILEGES);
  g_assert_nonnull (entry->error_message);
  g_assert_cmpuint (rf_transport_get_max_transfer (RF_TRANSPORT (recorder)), ==,
                    RF_TRANSPORT_DEFAULT_MAX_TRANSFER);
}

/* Waits pass on the recorded drive's clock: the system clock for a real drive,
 * the drive's own when it brings one. */
static void
test_clock (void)
{
  RfTestDriveSpec spec = drive_spec;
  g_autoptr(RfTestClock) clock = rf_test_clock_new ();
  g_autoptr(RfTestDrive) real = rf_test_drive_new (&drive_spec);
  g_autoptr(RfTestDrive) own = NULL;
  g_autoptr(RfRecorder) real_recorder = rf_recorder_new (RF_TRANSPORT (real));
  g_autoptr(RfRecorder) own_recorder = NULL;

  spec.clock = RF_CLOCK (clock);
  own = rf_test_drive_new (&spec);
  own_recorder = rf_recorder_new (RF_TRANSPORT (own));
  g_assert_true (rf_transport_get_clock (RF_TRANSPORT (real_recorder)) == rf_clock_get_system ());
  g_assert_true (rf_transport_get_clock (RF_TRANSPORT (own_recorder)) == RF_CLOCK (clock));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/recorder/transcript", test_transcript);
  g_test_add_func ("/reflash/recorder/no-status", test_no_status);
  g_test_add_func ("/reflash/recorder/clock", test_clock);
  return g_test_run ();
}
