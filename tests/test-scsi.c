/* test-scsi.c: every CDB byte against the protocol pages' tables, and decoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-scsi.h"
#include "rf-test-drive.h"

static void
assert_cdb (const RfCommand *command,
            const guint8    *expected,
            gsize            length)
{
  g_assert_cmpuint (command->cdb_length, ==, length);
  g_assert_cmpmem (command->cdb, command->cdb_length, expected, length);
}

static void
test_inquiry (void)
{
  const guint8 expected[] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
  guint8 data[RF_SCSI_INQUIRY_LENGTH];
  RfCommand command;

  g_assert_true (rf_scsi_build_inquiry (&command, data));
  assert_cdb (&command, expected, sizeof expected);
  g_assert_cmpint (command.direction, ==, RF_DIRECTION_IN);
  g_assert_cmpuint (command.data_length, ==, 0x60);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
}

static void
test_test_unit_ready (void)
{
  const guint8 expected[] = { 0, 0, 0, 0, 0, 0 };
  RfCommand command;

  g_assert_true (rf_scsi_build_test_unit_ready (&command));
  assert_cdb (&command, expected, sizeof expected);
  g_assert_cmpint (command.direction, ==, RF_DIRECTION_NONE);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
}

static void
test_get_configuration (void)
{
  /* 46, RT=2 (one feature), feature 0x010C, allocation length 64. */
  const guint8 expected[] = { 0x46, 0x02, 0x01, 0x0c, 0, 0, 0, 0x00, 0x40, 0 };
  guint8 data[64];
  RfCommand command;

  g_assert_true (rf_scsi_build_get_configuration (&command, RF_SCSI_FEATURE_FIRMWARE_INFO, data, sizeof data));
  assert_cdb (&command, expected, sizeof expected);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
}

static void
test_read_buffer_descriptor (void)
{
  const guint8 expected[] = { 0x3c, 0x03, 0x07, 0, 0, 0, 0, 0, 0x04, 0 };
  guint8 data[4];
  RfCommand command;

  g_assert_true (rf_scsi_build_read_buffer_descriptor (&command, 0x07, data));
  assert_cdb (&command, expected, sizeof expected);
  g_assert_cmpint (command.direction, ==, RF_DIRECTION_IN);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
}

static void
test_read_mem (void)
{
  /* CC 00 a3 a2 a1 a0 00 l1 l0 00 00 00 */
  const guint8 id[] = { 0xcc, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x20, 0, 0, 0 };
  const guint8 rid[] = { 0xcc, 0x00, 0x00, 0x00, 0x5f, 0x00, 0x00, 0x00, 0x80, 0, 0, 0 };
  const guint8 dump[] = { 0xcc, 0x00, 0x00, 0x1e, 0xf0, 0x00, 0x00, 0x10, 0x00, 0, 0, 0 };
  guint8 data[0x1000];
  RfCommand command;

  g_assert_true (rf_nec_build_read_mem (&command, 0x4800, data, 0x20));
  assert_cdb (&command, id, sizeof id);
  g_assert_cmpuint (command.data_length, ==, 0x20);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
  g_assert_true (rf_nec_build_read_mem (&command, 0x5f00, data, 0x80));
  assert_cdb (&command, rid, sizeof rid);
  g_assert_cmpuint (command.timeout_ms, ==, 20000);
  g_assert_true (rf_nec_build_read_mem (&command, 0x1ef000, data, 0x1000));
  assert_cdb (&command, dump, sizeof dump);
  g_assert_cmpuint (command.timeout_ms, ==, 60000);
}

static void
test_safe_mode (void)
{
  /* CC 01 ee 00 k0 k1 k2 k3 01 00 00 00, "K355" = 4B 33 35 35 */
  const guint8 enter[] = { 0xcc, 0x01, 0x01, 0x00, 0x4b, 0x33, 0x35, 0x35, 0x01, 0, 0, 0 };
  const guint8 leave[] = { 0xcc, 0x01, 0x00, 0x00, 0x44, 0x33, 0x35, 0x35, 0x01, 0, 0, 0 };
  RfCommand command;

  g_assert_true (rf_nec_build_safe_mode (&command, TRUE, "K355"));
  assert_cdb (&command, enter, sizeof enter);
  g_assert_cmpint (command.direction, ==, RF_DIRECTION_NONE);
  /* Never the 20 s scan value (nec-2m.md §1). */
  g_assert_cmpuint (command.timeout_ms, ==, 300000);
  g_assert_true (rf_nec_build_safe_mode (&command, FALSE, "D355"));
  assert_cdb (&command, leave, sizeof leave);
}

static void
test_flash_commands (void)
{
  const guint8 checksum[] = { 0xcc, 0x04, 0xbe, 0xef, 0, 0, 0, 0, 0, 0x00, 0, 0 };
  const guint8 write_ram[] = { 0xcb, 0x01, 0x00, 0x01, 0x80, 0x00, 0, 0, 0x08, 0x00, 0, 0 };
  const guint8 erase34[] = { 0xcb, 0x04, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0 };
  const guint8 program4[] = { 0xcb, 0x02, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0 };
  const guint8 program15[] = { 0xcb, 0x02, 0, 0, 0, 0, 0, 0x80, 0, 0, 0, 0 };
  g_autofree guint8 *data = g_malloc0 (0x8000);
  RfCommand command;

  g_assert_true (rf_nec_build_send_checksum (&command, 0xbeef));
  assert_cdb (&command, checksum, sizeof checksum);
  g_assert_cmpuint (command.timeout_ms, ==, 300000);
  g_assert_true (rf_nec_build_write_ram (&command, 0x18000, data, 0x8000));
  assert_cdb (&command, write_ram, sizeof write_ram);
  g_assert_cmpint (command.direction, ==, RF_DIRECTION_OUT);
  g_assert_cmpuint (command.data_length, ==, 0x8000);
  g_assert_cmpuint (command.timeout_ms, ==, 300000);
  g_assert_true (rf_nec_build_erase_block (&command, 34));
  assert_cdb (&command, erase34, sizeof erase34);
  g_assert_cmpuint (command.timeout_ms, ==, 300000);
  g_assert_true (rf_nec_build_program_block (&command, 4));
  assert_cdb (&command, program4, sizeof program4);
  g_assert_true (rf_nec_build_program_block (&command, 15));
  assert_cdb (&command, program15, sizeof program15);
}

static void
fill_inquiry (guint8     *data,
              const char *vendor,
              const char *product,
              const char *revision)
{
  memset (data, 0, RF_SCSI_INQUIRY_LENGTH);
  data[0] = 0x05;
  data[4] = RF_SCSI_INQUIRY_LENGTH - 5;
  memcpy (data + 8, vendor, 8);
  memcpy (data + 16, product, 16);
  memcpy (data + 32, revision, 4);
}

static void
test_inquiry_identity (void)
{
  guint8 data[RF_SCSI_INQUIRY_LENGTH];
  g_autoptr(RfDriveIdentity) identity = rf_drive_identity_new ();

  fill_inquiry (data, "_NEC    ", "DVD_RW ND-3550A ", "1.05");
  memcpy (data + 36, "05/06/24", 8);
  rf_scsi_inquiry_to_identity (data, sizeof data, identity);
  g_assert_cmpuint (rf_scsi_inquiry_device_type (data), ==, RF_SCSI_TYPE_CDROM);
  g_assert_cmpstr (identity->vendor, ==, "_NEC");
  g_assert_cmpstr (identity->product, ==, "DVD_RW ND-3550A");
  g_assert_cmpstr (identity->revision, ==, "1.05");
  g_assert_cmpstr (identity->vendor_specific, ==, "05/06/24");
  g_assert_false (identity->safe_mode);

  fill_inquiry (data, "_NEC    ", "DVD_RW ND-3550A ", "0.05");
  /* A 36-byte answer has no vendor-specific field. */
  data[4] = 31;
  data[20] = 0x01;
  rf_scsi_inquiry_to_identity (data, 36, identity);
  g_assert_true (identity->safe_mode);
  g_assert_null (identity->vendor_specific);
  g_assert_cmpstr (identity->product, ==, "DVD_?W ND-3550A");
}

static void
test_find_feature (void)
{
  /* Header (8), then 0x0000 (4+4), then 0x010C (4+16) with 2005-06-24 12:00:00. */
  guint8 data[40] = { 0, 0, 0, 36, 0, 0, 0x00, 0x11,
                      0x00, 0x00, 0x03, 0x04, 0x00, 0x11, 0x00, 0x00,
                      0x01, 0x0c, 0x01, 0x10 };
  const guint8 *descriptor;
  gsize length = 0;
  g_autofree char *date = NULL;

  memcpy (data + 20, "20050624120000", 14);
  descriptor = rf_scsi_find_feature (data, sizeof data, RF_SCSI_FEATURE_FIRMWARE_INFO, &length);
  g_assert_nonnull (descriptor);
  g_assert_cmpuint (length, ==, 20);
  date = rf_scsi_firmware_date (descriptor, length);
  g_assert_cmpstr (date, ==, "2005-06-24");
  /* The drive listed other features than the one asked for: not found. */
  g_assert_null (rf_scsi_find_feature (data, sizeof data, RF_SCSI_FEATURE_MICROCODE_UPGRADE,
                                       NULL));
  /* A header claiming less data hides the descriptor. */
  data[3] = 8;
  g_assert_null (rf_scsi_find_feature (data, sizeof data, RF_SCSI_FEATURE_FIRMWARE_INFO, NULL));
  g_assert_null (rf_scsi_find_feature (data, 4, RF_SCSI_FEATURE_FIRMWARE_INFO, NULL));
  /* Not digits: no date. */
  data[21] = 'x';
  g_assert_null (rf_scsi_firmware_date (descriptor, length));
}

static void
test_senders (void)
{
  const RfTestDriveSpec spec = { .device_type = 0x05, .nec = TRUE, .firmware_valid = TRUE,
                                 .firmware_date = "20050624" };
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&spec);
  RfTransport *transport = RF_TRANSPORT (drive);
  guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  guint8 descriptor[RF_SCSI_CONFIGURATION_LENGTH];
  guint8 id[0x20];
  gsize length = 99;
  guint8 boundary = 0xff;
  guint32 capacity = 0;
  g_autofree char *date = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_scsi_inquiry (transport, inquiry, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (inquiry + 16, 16, "DVD_RW ND-3550A ", 16);
  g_assert_true (rf_scsi_get_feature (transport, RF_SCSI_FEATURE_FIRMWARE_INFO, descriptor,
                                      sizeof descriptor, &length, NULL, &error));
  date = rf_scsi_firmware_date (descriptor, length);
  g_assert_cmpstr (date, ==, "2005-06-24");
  /* The drive answered with other features: GOOD, but no descriptor. */
  g_assert_true (rf_scsi_get_feature (transport, RF_SCSI_FEATURE_MICROCODE_UPGRADE, descriptor,
                                      sizeof descriptor, &length, NULL, &error));
  g_assert_cmpuint (length, ==, 0);
  g_assert_true (rf_scsi_read_buffer_descriptor (transport, 0, &boundary, &capacity, NULL,
                                                 &error));
  g_assert_cmpuint (boundary, ==, 0);
  g_assert_cmpuint (capacity, ==, 0x100000);
  g_assert_true (rf_nec_read_mem (transport, 0x4800, id, sizeof id, NULL, &error));
  g_assert_cmpmem (id, 4, "K355", 4);
}

static void
test_sender_refused (void)
{
  const RfTestDriveSpec spec = { .device_type = 0x05, .nec = TRUE, .firmware_valid = TRUE,
                                 .bridge = TRUE };
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&spec);
  guint8 id[0x20];
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_nec_read_mem (RF_TRANSPORT (drive), 0x4800, id, sizeof id, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_VENDOR_REFUSED);
  g_assert_true (g_str_has_prefix (error->message, "at 0x4800: "));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/scsi/inquiry", test_inquiry);
  g_test_add_func ("/reflash/scsi/test-unit-ready", test_test_unit_ready);
  g_test_add_func ("/reflash/scsi/get-configuration", test_get_configuration);
  g_test_add_func ("/reflash/scsi/read-buffer-descriptor", test_read_buffer_descriptor);
  g_test_add_func ("/reflash/scsi/nec-read-mem", test_read_mem);
  g_test_add_func ("/reflash/scsi/nec-safe-mode", test_safe_mode);
  g_test_add_func ("/reflash/scsi/nec-flash-commands", test_flash_commands);
  g_test_add_func ("/reflash/scsi/inquiry-identity", test_inquiry_identity);
  g_test_add_func ("/reflash/scsi/find-feature", test_find_feature);
  g_test_add_func ("/reflash/scsi/senders", test_senders);
  g_test_add_func ("/reflash/scsi/sender-refused", test_sender_refused);
  return g_test_run ();
}
