/* test-device.c: passive and deep probing against scripted drives
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <linux/major.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "rf-device-private.h"
#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-must-finish.h"
#include "rf-safe-mode-marker.h"
#include "rf-test-clock.h"
#include "rf-test-drive.h"
#include "rf-test-util.h"

static RfDriveDb *db;
static GPtrArray *specs;

static const RfTestDriveSpec healthy_3550 = {
  .device_type = 0x05, .nec = TRUE, .firmware_date = "20050624",
  .stored_id = "K355", .rid_digits = "3550", .bootcode_key = "K355", .firmware_valid = TRUE,
};

/* The seed's drive: a crossflash to ND-4551A stopped after the identity was
 * written; the K355 bootcode with version 05 remains, the firmware is gone. */
static const RfTestDriveSpec seed = {
  .device_type = 0x05, .nec = TRUE, .stored_id = "K451", .rid_digits = "4551",
  .bootcode_key = "K355", .bootcode_version = "05", .firmware_valid = FALSE,
};

typedef struct {
  RfTestDrive *drive;
  RfDevice *device;
} Fixture;

static void
fixture_set_up (Fixture               *fixture,
                const RfTestDriveSpec *spec)
{
  static guint counter;
  g_autofree char *lock_name = g_strdup_printf ("test-drive-%u", ++counter);

  fixture->drive = rf_test_drive_new (spec);
  fixture->device = rf_device_new_for_transport ("test:drive", RF_TRANSPORT (fixture->drive),
                                                 lock_name);
}

static void
fixture_tear_down (Fixture *fixture)
{
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->drive);
}

static RfRecorder *
probe (Fixture      *fixture,
       RfProbeDepth  depth)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe (fixture->device, db, depth, NULL, &error));
  g_assert_no_error (error);
  return rf_device_dup_transcript (fixture->device);
}

/* DOMAIN.md: never WRITE BUFFER, never a vendor write, SEND CHECKSUM or any
 * other CC/CD subcommand while probing. */
static void
assert_nothing_written (RfRecorder *transcript)
{
  const guint8 send_checksum[] = { 0xcc, 0x04 };

  g_assert_false (rf_recorder_sent_opcode (transcript, 0x3b));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcb));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcd));
  g_assert_false (rf_recorder_sent_cdb_prefix (transcript, send_checksum, 2));
  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == 0xcc)
        g_assert_cmpuint (entry->cdb[1], <=, 0x01);
    }
}

static guint
count_key (RfRecorder *transcript,
           gboolean    enter,
           const char *key)
{
  guint count = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == 0xcc && entry->cdb[1] == 0x01 && entry->cdb[2] == (enter ? 1 : 0) &&
          memcmp (entry->cdb + 4, key, 4) == 0)
        count++;
    }
  return count;
}

static void
test_passive_sends_only_the_three (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_PASSIVE);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);
  g_autofree char *model = rf_device_dup_model_id (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpint (rf_device_get_probe_depth (fixture->device), ==, RF_PROBE_DEPTH_PASSIVE);
  g_assert_cmpstr (identity->vendor, ==, "_NEC");
  g_assert_cmpstr (identity->product, ==, "DVD_RW ND-3550A");
  g_assert_cmpstr (identity->revision, ==, "1.05");
  g_assert_cmpstr (identity->firmware_date, ==, "2005-06-24");
  g_assert_cmpstr (identity->family, ==, "nec-2m");
  g_assert_cmpstr (model, ==, "K355");
  g_assert_null (identity->stored_id);
  /* The drive lists no feature 0x0104 although it was asked for it. */
  g_assert_false (rf_device_get_microcode_upgrade (fixture->device));
  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      guint8 opcode = rf_recorder_get_entry (transcript, i)->cdb[0];

      g_assert_true (opcode == 0x12 || opcode == 0x00 || opcode == 0x46);
    }
}

static void
test_deep_healthy (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpint (rf_device_get_probe_depth (fixture->device), ==, RF_PROBE_DEPTH_DEEP);
  g_assert_cmpstr (identity->stored_id, ==, "K355");
  g_assert_cmpstr (identity->rid_code, ==, "ND30");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  g_assert_false (identity->safe_mode);
  /* Found in normal mode, left in normal mode; D355 probed once, K355 once,
   * each accepted enter followed by a leave with the same key. */
  g_assert_false (rf_test_drive_in_safe_mode (fixture->drive));
  g_assert_cmpuint (count_key (transcript, TRUE, "D355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, FALSE, "D355"), ==, 0);
  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, FALSE, "K355"), ==, 1);
  assert_nothing_written (transcript);
}

static void
test_deep_seed (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);
  g_autofree char *advice = rf_device_dup_advice (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "bootcode-differs");
  g_assert_true (identity->safe_mode);
  g_assert_cmpstr (identity->revision, ==, "0.05");
  g_assert_cmpstr (identity->stored_id, ==, "K451");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  g_assert_cmpstr (rf_drive_identity_counting_id (identity), ==, "K355");
  /* The stored ID's key first, then table order until one is accepted. */
  g_assert_cmpuint (count_key (transcript, TRUE, "K451"), ==, 1);
  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, TRUE, "D355"), ==, 0);
  /* Found in safe mode: no leave. */
  g_assert_cmpuint (count_key (transcript, FALSE, "K355"), ==, 0);
  g_assert_true (rf_test_drive_in_safe_mode (fixture->drive));
  g_assert_nonnull (strstr (advice, "ND-3550A"));
  g_assert_nonnull (strstr (advice, "ND-4551A"));
  assert_nothing_written (transcript);
}

static void
test_passive_seed (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_PASSIVE);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_SAFE_MODE);
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
}

static void
test_bridge (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autofree char *advice = rf_device_dup_advice (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_VENDOR_REFUSED);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "vendor-refused");
  g_assert_nonnull (strstr (advice, "another controller"));
  /* Refused at the first READ MEM: nothing more was tried. */
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0xcc), ==, 1);
  assert_nothing_written (transcript);
}

static void
test_no_rawio (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NEEDS_ADMIN);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "needs-privileges");
  /* Safe mode is still visible from INQUIRY's revision. */
  g_assert_true (identity->safe_mode);
  g_assert_null (identity->stored_id);
}

static void
test_disc_present (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "disc-present");
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
}

static void
test_unit_attentions_cleared (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0x00), >=, 4);
}

static void
test_unsupported (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_UNSUPPORTED);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "no-family");
  g_assert_cmpint (rf_device_get_probe_depth (fixture->device), ==, RF_PROBE_DEPTH_PASSIVE);
  g_assert_cmpstr (identity->vendor, ==, "QEMU");
  g_assert_cmpstr (identity->product, ==, "QEMU DVD-ROM");
  g_assert_null (identity->family);
  /* Not a byte of anything but the three passive commands. */
  g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==,
                    rf_recorder_count_opcode (transcript, 0x12) +
                    rf_recorder_count_opcode (transcript, 0x00) +
                    rf_recorder_count_opcode (transcript, 0x46));
}

static void
test_unsupported_with_disc (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  /* Removing the disc would not help: no family knows this model. */
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_UNSUPPORTED);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "no-family");
  g_assert_cmpint (rf_device_get_probe_depth (fixture->device), ==, RF_PROBE_DEPTH_PASSIVE);
}

/* nec-2m.md §8: only 02/3A (any ASCQ) lets a normal-mode drive's deep check
 * go on; every other answer to TEST UNIT READY stops it before any vendor
 * command, in the state the answer means. */
typedef struct {
  const char *name;
  guint8 status;
  guint8 sense[3];
  gsize sense_length;
  RfDriveState state;
  const char *reason;
} TurCase;

static const TurCase tur_cases[] = {
  { "empty", RF_STATUS_CHECK_CONDITION, { 0x02, 0x3a, 0x00 }, 0, RF_DRIVE_STATE_READY, "ok" },
  { "empty-tray-open", RF_STATUS_CHECK_CONDITION, { 0x02, 0x3a, 0x02 }, 0, RF_DRIVE_STATE_READY, "ok" },
  { "disc", RF_STATUS_GOOD, { 0 }, 0, RF_DRIVE_STATE_BUSY, "disc-present" },
  { "unreadable-disc", RF_STATUS_CHECK_CONDITION, { 0x02, 0x30, 0x00 }, 0, RF_DRIVE_STATE_BUSY, "disc-present" },
  { "illegal-request", RF_STATUS_CHECK_CONDITION, { 0x05, 0x24, 0x00 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "medium-error", RF_STATUS_CHECK_CONDITION, { 0x03, 0x11, 0x00 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "hardware-error", RF_STATUS_CHECK_CONDITION, { 0x04, 0x44, 0x00 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "aborted", RF_STATUS_CHECK_CONDITION, { 0x0b, 0x00, 0x00 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "no-medium-short-sense", RF_STATUS_CHECK_CONDITION, { 0x02, 0x3a, 0x00 }, 13, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "no-sense-at-all", RF_STATUS_CHECK_CONDITION, { 0x02, 0x3a, 0x00 }, 1, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "status-busy", RF_STATUS_BUSY, { 0 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
  { "reservation-conflict", 0x18, { 0 }, 0, RF_DRIVE_STATE_NOT_RESPONDING, "unexpected-answer" },
};

static void
test_tur_answer (gconstpointer data)
{
  const TurCase *c = data;
  RfTestDriveSpec spec = healthy_3550;
  g_autoptr(RfTestDrive) drive = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(GError) error = NULL;

  spec.tur_scripted = TRUE;
  spec.tur_status = c->status;
  memcpy (spec.tur_sense, c->sense, 3);
  spec.tur_sense_length = c->sense_length;
  drive = rf_test_drive_new (&spec);
  device = rf_device_new_for_transport ("test:tur", RF_TRANSPORT (drive), "test-tur");
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  transcript = rf_device_dup_transcript (device);
  g_assert_true (rf_recorder_sent_opcode (transcript, 0x00));
  g_assert_cmpint (rf_device_get_state (device), ==, c->state);
  g_assert_cmpstr (rf_device_get_reason (device), ==, c->reason);
  /* Only the tray's "empty" lets any vendor command through. */
  g_assert_true (rf_recorder_sent_opcode (transcript, 0xcc) == (c->state == RF_DRIVE_STATE_READY));
}

/* A drive still loading a disc is busy at a passive look, which never waits. */
static void
test_becoming_ready_passive (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_PASSIVE);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "drive-busy");
}

/* nec-2m.md §8 step 1: at most 10 UNIT ATTENTIONs are cleared in a row. A
 * drive that never stops reporting them is not ready, and is not polled
 * without end. */
static void
test_unit_attention_limit (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "unexpected-answer");
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
  /* The passive look and the no-disc check each send 1 + 10 at most. */
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0x00), <=, 22);
}

/* Ten UNIT ATTENTIONs are cleared; the eleventh answer decides. */
static void
test_unit_attentions_at_limit (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_PASSIVE);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0x00), ==, 11);
}

/* nec-2m.md §2 step 2: with an NEC or Sony RID vendor, the RID model digits
 * name the type; other vendors and the D355 keep the ID read at 0x4800. */
static void
test_rid_correction (Fixture       *fixture,
                     gconstpointer  data)
{
  const RfTestDriveSpec *spec = data;
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  /* The bootcode key of each case is the type the correction should give. */
  g_assert_cmpstr (identity->stored_id, ==, spec->bootcode_key);
  g_assert_cmpstr (identity->bootcode_key, ==, spec->bootcode_key);
}

/* A transport error on INQUIRY: nothing more is sent, and the state says why. */
static void
test_transport_error (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "transport-error");
  g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==, 1);
}

/* The enter ran but its status was lost and the drive fell silent: Reflash
 * cannot tell whether it is in safe mode, and says so rather than guess. */
static void
test_mode_unknown (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autofree char *advice = rf_device_dup_advice (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "mode-unknown");
  g_assert_nonnull (strstr (advice, "Do not flash"));
}

/* A check that ended with the drive's mode unknown keeps its marker: the next
 * look at the drive, found in safe mode, says that Reflash left it there (a
 * power cycle, not a recovery flash) and sends no vendor command; once the
 * drive is seen in normal mode the marker goes. */
static void
test_safe_mode_marker (void)
{
  RfTestDriveSpec spec = healthy_3550;
  RfSafeModeMarkerKey key = { "test:marker", "_NEC    ", "DVD_RW ND-3550A " };
  g_autoptr(RfTestDrive) silent = NULL;
  g_autoptr(RfTestDrive) stuck = NULL;
  g_autoptr(RfTestDrive) back = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *advice = NULL;

  /* The enter ran and the drive fell silent: the marker stays. */
  spec.silent_after_enter = TRUE;
  silent = rf_test_drive_new (&spec);
  device = rf_device_new_for_transport ("test:marker", RF_TRANSPORT (silent), "test-marker");
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_cmpstr (rf_device_get_reason (device), ==, "mode-unknown");
  g_assert_true (rf_safe_mode_marker_find (&key, NULL));
  g_clear_object (&device);

  /* The same drive after the process died: in safe mode, with valid firmware. */
  spec = healthy_3550;
  stuck = rf_test_drive_new (&spec);
  device = rf_device_new_for_transport ("test:marker", RF_TRANSPORT (stuck), "test-marker");
  rf_test_drive_enter_safe_mode (stuck);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_SAFE_MODE);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "left-in-safe-mode");
  advice = rf_device_dup_advice (device);
  g_assert_nonnull (strstr (advice, "Switch the computer off and on"));
  transcript = rf_device_dup_transcript (device);
  g_assert_true (rf_recorder_sent_opcode (transcript, 0x12));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
  g_clear_object (&device);

  /* Switched off and on: normal mode, and the marker is gone. */
  back = rf_test_drive_new (&spec);
  device = rf_device_new_for_transport ("test:marker", RF_TRANSPORT (back), "test-marker");
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  g_assert_false (rf_safe_mode_marker_find (&key, NULL));
}

/* A check that brought the drive back leaves no marker behind. */
static void
test_no_marker_after_check (Fixture       *fixture,
                            gconstpointer  data)
{
  RfSafeModeMarkerKey key = { "test:drive", "_NEC    ", "DVD_RW ND-3550A " };
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 1);
  g_assert_false (rf_safe_mode_marker_find (&key, NULL));
  g_assert_false (rf_must_finish_is_active ());
}

static void
test_unknown_drive_id (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_UNSUPPORTED);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "unknown-drive-id");
  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 0);
}

static void
test_d355 (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  /* The stored ID is shown as read (K355); the D355 type is its bootcode's. */
  g_assert_cmpstr (identity->stored_id, ==, "K355");
  g_assert_cmpstr (identity->bootcode_key, ==, "D355");
  g_assert_cmpuint (count_key (transcript, TRUE, "D355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, FALSE, "D355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 0);
  g_assert_false (rf_test_drive_in_safe_mode (fixture->drive));
}

static void
test_recovered_seed (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);
  g_autofree char *model = rf_device_dup_model_id (fixture->device);

  /* Normal mode, ND-3550A firmware on a drive whose stored ID says K451. */
  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "firmware-differs");
  g_assert_cmpstr (identity->stored_id, ==, "K451");
  g_assert_cmpstr (model, ==, "K355");
  /* The stored type's key is refused; the canonical keys in table order find
   * the bootcode's, K355, at once followed by a leave. */
  g_assert_cmpuint (count_key (transcript, TRUE, "K451"), ==, 1);
  g_assert_cmpuint (count_key (transcript, TRUE, "K355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, FALSE, "K355"), ==, 1);
  g_assert_cmpuint (count_key (transcript, TRUE, "D355"), ==, 0);
  g_assert_cmpuint (count_key (transcript, FALSE, "K451"), ==, 0);
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  /* So the identity that counts for firmware is the ND-3550A's. */
  g_assert_cmpstr (rf_drive_identity_counting_id (identity), ==, "K355");
  g_assert_false (rf_test_drive_in_safe_mode (fixture->drive));
}

static void
test_no_key_accepted (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const keys[] = { "K355", "D355", "K356", "K450", "K451" };
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_SAFE_MODE);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "bootcode-key-unknown");
  for (gsize i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_cmpuint (count_key (transcript, TRUE, keys[i]), ==, 1);
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0xcc), ==, 2 + 5);
}

/* Normal mode, no key accepted: the bootcode is unproven. The drive is not
 * "Working", nothing names an identity for verdicts, and it is left as found. */
static void
test_no_key_accepted_normal (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);
  g_autofree char *advice = rf_device_dup_advice (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_UNSUPPORTED);
  g_assert_cmpstr (rf_device_get_reason (fixture->device), ==, "bootcode-key-unknown");
  g_assert_cmpstr (identity->stored_id, ==, "K355");
  g_assert_null (identity->bootcode_key);
  g_assert_null (rf_drive_identity_counting_id (identity));
  g_assert_nonnull (strstr (advice, "no flash"));
  g_assert_false (rf_test_drive_in_safe_mode (fixture->drive));
}

static void
test_spc (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(RfRecorder) transcript = probe (fixture, RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (fixture->device);

  g_assert_cmpint (rf_device_get_state (fixture->device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpstr (identity->family, ==, "spc-generic");
  g_assert_cmpuint (rf_recorder_count_opcode (transcript, 0x3c), ==, 1);
  g_assert_false (rf_recorder_sent_opcode (transcript, 0x3b));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
}

static void
test_locked (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) lock = rf_drive_lock_acquire ("test-locked", &error);
  g_autoptr(RfDevice) device = rf_device_new_for_transport ("test:locked",
                                                            RF_TRANSPORT (fixture->drive),
                                                            "test-locked");
  g_autoptr(RfRecorder) transcript = NULL;

  g_assert_no_error (error);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "locked");
  /* Another job holds the drive: not a single command, not even INQUIRY. */
  transcript = rf_device_dup_transcript (device);
  g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==, 0);
  g_clear_object (&transcript);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  transcript = rf_device_dup_transcript (device);
  g_assert_cmpuint (rf_recorder_get_n_entries (transcript), ==, 0);
  /* Released: the next deep probe runs. */
  g_clear_object (&lock);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
}

typedef struct {
  GMainLoop *loop;
  guint pending;
  GPtrArray *finished;
} Waiter;

static void
probe_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe_finish (RF_DEVICE (source), result, &error));
  g_assert_no_error (error);
  g_ptr_array_add (waiter->finished, source);
  if (--waiter->pending == 0 || waiter->finished->len == 1)
    g_main_loop_quit (waiter->loop);
}

static void
test_hung_drive_does_not_delay (void)
{
  RfTestDriveSpec hung_spec = healthy_3550;
  g_autoptr(RfTestDrive) hung = NULL;
  g_autoptr(RfTestDrive) good = rf_test_drive_new (&healthy_3550);
  g_autoptr(RfDevice) hung_device = NULL;
  g_autoptr(RfDevice) good_device = rf_device_new_for_transport ("test:good",
                                                                 RF_TRANSPORT (good), "good");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) finished = g_ptr_array_new ();
  Waiter waiter = { loop, 2, finished };

  hung_spec.hang = TRUE;
  hung = rf_test_drive_new (&hung_spec);
  hung_device = rf_device_new_for_transport ("test:hung", RF_TRANSPORT (hung), "hung");
  rf_device_probe_async (hung_device, db, RF_PROBE_DEPTH_DEEP, NULL, probe_done, &waiter);
  rf_test_drive_wait_hung (hung);
  rf_device_probe_async (good_device, db, RF_PROBE_DEPTH_DEEP, NULL, probe_done, &waiter);
  /* The first probe to finish is the healthy drive's, while the other hangs. */
  g_main_loop_run (loop);
  g_assert_cmpuint (finished->len, ==, 1);
  g_assert_true (g_ptr_array_index (finished, 0) == good_device);
  g_assert_cmpint (rf_device_get_state (good_device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpint (rf_device_get_state (hung_device), ==, RF_DRIVE_STATE_UNKNOWN);
  /* The hung command times out: not-responding. */
  rf_test_drive_release (hung);
  g_main_loop_run (loop);
  g_assert_cmpuint (finished->len, ==, 2);
  g_assert_cmpint (rf_device_get_state (hung_device), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (hung_device), ==, "timed-out");
}

/* Cancelled while the drive is in safe mode for the version read: the drive
 * still goes back to normal mode, where it was found. */
static void
test_cancel_leaves_safe_mode (void)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RfTestDriveSpec spec = healthy_3550;
  g_autoptr(RfTestDrive) drive = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(GError) error = NULL;

  spec.cancel_on_enter = cancellable;
  drive = rf_test_drive_new (&spec);
  device = rf_device_new_for_transport ("test:cancel", RF_TRANSPORT (drive), "cancel");
  g_assert_false (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, cancellable, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_false (rf_test_drive_in_safe_mode (drive));
}

/* Waits and limits on the drive's clock (nec-2m.md §1 and §8), measured in
 * modelled time on a virtual clock: a 300 s limit takes no real time. */

#define SECONDS(s) ((gint64) (s) * G_USEC_PER_SEC)

typedef struct {
  RfTestClock *clock;
  GCancellable *cancellable;
  RfTestDrive *drive;
  RfRecorder *transcript;  /* the test's own: readable after a cancel too */
  RfProbeResult *result;
  GError *error;
  gint64 real_us;          /* real time the check took */
} ClockFixture;

static void
clock_fixture_set_up (ClockFixture  *fixture,
                      gconstpointer  data)
{
  fixture->clock = rf_test_clock_new ();
  fixture->cancellable = g_cancellable_new ();
}

static void
clock_fixture_tear_down (ClockFixture  *fixture,
                         gconstpointer  data)
{
  g_clear_error (&fixture->error);
  g_clear_pointer (&fixture->result, rf_probe_result_free);
  g_clear_object (&fixture->transcript);
  g_clear_object (&fixture->drive);
  g_clear_object (&fixture->cancellable);
  g_clear_object (&fixture->clock);
}

/* A deep check of a drive made from @spec, on the fixture's clock. */
static void
check_on_clock (ClockFixture    *fixture,
                RfTestDriveSpec  spec)
{
  static guint counter;
  g_autofree char *name = g_strdup_printf ("test-clock-%u", ++counter);
  gint64 start = g_get_monotonic_time ();

  spec.clock = RF_CLOCK (fixture->clock);
  fixture->drive = rf_test_drive_new (&spec);
  fixture->transcript = rf_recorder_new (RF_TRANSPORT (fixture->drive));
  fixture->result = rf_probe_drive (RF_TRANSPORT (fixture->transcript), db, RF_PROBE_DEPTH_DEEP,
                                    name, name, fixture->cancellable, &fixture->error);
  fixture->real_us = g_get_monotonic_time () - start;
}

static gint64
clock_now (ClockFixture *fixture)
{
  return rf_clock_get_now_us (RF_CLOCK (fixture->clock));
}

static void
assert_cancelled_at (ClockFixture *fixture,
                     gint64        at_us)
{
  g_assert_null (fixture->result);
  g_assert_error (fixture->error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpint (clock_now (fixture), ==, at_us);
}

/* TEST UNIT READYs sent after the SAFE MODE leave: the poll. */
static guint
count_polls_after_leave (RfRecorder *transcript)
{
  gboolean left = FALSE;
  guint count = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == 0xcc && entry->cdb[1] == 0x01 && entry->cdb[2] == 0x00)
        left = TRUE;
      else if (left && entry->cdb[0] == 0x00)
        count++;
    }
  return count;
}

/* TEST UNIT READY answers 02/04/01 "becoming ready" for ever. */
static RfTestDriveSpec
becoming_ready_3550 (void)
{
  RfTestDriveSpec spec = healthy_3550;

  spec.tur_scripted = TRUE;
  spec.tur_status = RF_STATUS_CHECK_CONDITION;
  spec.tur_sense[0] = 0x02;
  spec.tur_sense[1] = 0x04;
  spec.tur_sense[2] = 0x01;
  return spec;
}

/* After a leave the firmware comes back after @restart_us. */
static RfTestDriveSpec
restarting_3550 (guint64 restart_us)
{
  RfTestDriveSpec spec = healthy_3550;

  spec.restart_us = restart_us;
  return spec;
}

/* A drive "becoming ready" for ever: the deep check gives up after 60 s, asking
 * every 2 s, and says busy. */
static void
test_busy_limit (ClockFixture  *fixture,
                 gconstpointer  data)
{
  check_on_clock (fixture, becoming_ready_3550 ());
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->real_us, <, G_USEC_PER_SEC);
  g_assert_cmpint (fixture->result->state, ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (fixture->result->reason, ==, RF_REASON_DRIVE_BUSY);
  /* The passive look's one, then one at 0, 2, ..., 60 s. */
  g_assert_cmpuint (rf_recorder_count_opcode (fixture->transcript, 0x00), ==, 1 + 31);
  g_assert_cmpuint (rf_test_clock_count_sleeps (fixture->clock, SECONDS (2)), ==, 30);
  g_assert_cmpint (clock_now (fixture), >=, SECONDS (60));
  g_assert_cmpint (clock_now (fixture), <, SECONDS (62));
  g_assert_false (rf_recorder_sent_opcode (fixture->transcript, 0xcc));
}

/* After the leave the firmware never comes back: polls every 2 s up to 60 s,
 * then every 10 s, and the check ends at 300 s without knowing the mode. */
static void
test_leave_poll_limit (ClockFixture  *fixture,
                       gconstpointer  data)
{
  check_on_clock (fixture, restarting_3550 (G_MAXUINT64));
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->real_us, <, G_USEC_PER_SEC);
  g_assert_cmpint (fixture->result->state, ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (fixture->result->reason, ==, RF_REASON_MODE_UNKNOWN);
  /* Polls at 0, 2, ..., 58 s, then at 60, 70, ..., 300 s. */
  g_assert_cmpuint (rf_test_clock_count_sleeps (fixture->clock, SECONDS (2)), ==, 30);
  g_assert_cmpuint (rf_test_clock_count_sleeps (fixture->clock, SECONDS (10)), ==, 24);
  g_assert_cmpuint (count_polls_after_leave (fixture->transcript), ==, 30 + 25);
  g_assert_cmpint (clock_now (fixture), >=, SECONDS (300));
  g_assert_cmpint (clock_now (fixture), <, SECONDS (310));
}

/* The firmware is back 20 s after the leave: found at the poll at 20 s. */
static void
test_leave_poll_returns (ClockFixture  *fixture,
                         gconstpointer  data)
{
  check_on_clock (fixture, restarting_3550 (SECONDS (20)));
  g_assert_no_error (fixture->error);
  g_assert_cmpint (fixture->result->state, ==, RF_DRIVE_STATE_READY);
  g_assert_cmpuint (count_polls_after_leave (fixture->transcript), ==, 11);
  g_assert_cmpint (clock_now (fixture), ==, SECONDS (20));
}

/* Cancel during a busy pause: the check ends there, not after the pause. */
static void
test_cancel_busy_pause (ClockFixture  *fixture,
                        gconstpointer  data)
{
  rf_test_clock_cancel_at (fixture->clock, fixture->cancellable, SECONDS (5));
  check_on_clock (fixture, becoming_ready_3550 ());
  assert_cancelled_at (fixture, SECONDS (5));
  /* The passive look's, then at 0, 2 and 4 s. */
  g_assert_cmpuint (rf_recorder_count_opcode (fixture->transcript, 0x00), ==, 1 + 3);
}

/* Cancel during the pause between UNIT ATTENTIONs: ends there too. */
static void
test_cancel_unit_attention_pause (ClockFixture  *fixture,
                                  gconstpointer  data)
{
  RfTestDriveSpec spec = healthy_3550;

  spec.unit_attentions = 100;
  rf_test_clock_cancel_at (fixture->clock, fixture->cancellable, 500000);
  check_on_clock (fixture, spec);
  assert_cancelled_at (fixture, 500000);
  /* At 0, 0.2 and 0.4 s. */
  g_assert_cmpuint (rf_recorder_count_opcode (fixture->transcript, 0x00), ==, 3);
}

/* Cancel while the firmware restarts after the leave: the poll goes on until the
 * drive is back in normal mode, where it was found; then the check stops. */
static void
test_cancel_leave_poll (ClockFixture  *fixture,
                        gconstpointer  data)
{
  rf_test_clock_cancel_at (fixture->clock, fixture->cancellable, SECONDS (5));
  check_on_clock (fixture, restarting_3550 (SECONDS (20)));
  assert_cancelled_at (fixture, SECONDS (20));
  g_assert_cmpuint (count_polls_after_leave (fixture->transcript), ==, 11);
  g_assert_false (rf_test_drive_in_safe_mode (fixture->drive));
}

static void
add_clock_case (const char *name,
                void (*func) (ClockFixture *, gconstpointer))
{
  g_autofree char *path = g_strconcat ("/reflash/device/", name, NULL);

  g_test_add (path, ClockFixture, NULL, clock_fixture_set_up, func, clock_fixture_tear_down);
}

static void
test_missing_node (void)
{
  g_autoptr(RfDevice) device = rf_device_new_for_node ("/nonexistent/sg9", NULL, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_UNKNOWN);
}

/* Run as nobody by test_read_only_node: what each depth makes of @node. */
static int
child_probe (const char *node)
{
  const RfProbeDepth depths[] = { RF_PROBE_DEPTH_PASSIVE, RF_PROBE_DEPTH_DEEP };
  g_autoptr(RfDriveDb) drives = rf_drive_db_new_default (NULL);
  g_autoptr(RfDevice) device = rf_device_new_for_node (node, NULL, NULL);

  g_assert_nonnull (drives);
  for (gsize i = 0; i < G_N_ELEMENTS (depths); i++)
    {
      g_autoptr(GError) error = NULL;

      printf ("%s ", rf_probe_depth_to_nick (depths[i]));
      if (rf_device_probe (device, drives, depths[i], NULL, &error))
        printf ("%s %s\n", rf_drive_state_to_nick (rf_device_get_state (device)),
                rf_device_get_reason (device));
      else
        printf ("error %s\n", rf_error_code_to_nick ((RfError) error->code));
    }
  return 0;
}

/* A node that others may read but not write (made up: no drive is behind it).
 * The passive look opens it read-only, gets past the permissions and finds no
 * device; the deep look needs read-write and says no-access. */
static void
test_read_only_node (void)
{
  g_autofree char *dir = g_dir_make_tmp ("reflash-test-node-XXXXXX", NULL);
  g_autofree char *node = NULL;
  g_autofree char *out = NULL;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_chmod (dir, 0755), ==, 0);
  node = rf_test_make_node (dir, "sg202", S_IFCHR | 0644, SCSI_GENERIC_MAJOR, 202);
  if (node == NULL)
    {
      g_test_skip ("making a device node needs CAP_MKNOD");
      rf_test_remove_tree (dir);
      return;
    }
  {
    const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-device", NULL), "--probe",
                           node, NULL };

    out = rf_test_run_as_nobody (argv);
  }
  rf_test_remove_tree (dir);
  g_assert_cmpstr (out, ==, "passive error device-gone\ndeep no-access permission-denied\n");
}

static void
add_case (const char            *name,
          const RfTestDriveSpec *spec,
          void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/reflash/device/%s", name);
  RfTestDriveSpec *copy = g_memdup2 (spec, sizeof *spec);

  g_ptr_array_add (specs, copy);
  g_test_add (path, Fixture, copy, (void (*) (Fixture *, gconstpointer)) fixture_set_up,
              func, (void (*) (Fixture *, gconstpointer)) fixture_tear_down);
}

/* After a flash: the kernel keeps what it read when the computer found the
 * drive, so other programs see the old model or version until a restart. */
static void
test_kernel_identity_stale (void)
{
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&seed);
  g_autoptr(RfDevice) practice =
    rf_device_new_for_transport ("practice:seed", RF_TRANSPORT (drive), "practice-seed");
  g_autoptr(RfDevice) real = rf_device_new_for_node ("/dev/sg9", "/dev/sr9", NULL);
  g_autoptr(RfDriveIdentity) after = rf_drive_identity_new ();

  after->vendor = g_strdup ("_NEC    ");
  after->product = g_strdup ("DVD_RW ND-3550A ");
  after->revision = g_strdup ("1.06");
  /* The kernel found it in safe mode: revision 0.05. */
  rf_device_set_sysfs_identity (real, "_NEC", "DVD_RW ND-3550A", "0.05");
  g_assert_true (rf_device_kernel_identity_is_stale (real, after));
  /* Found as it answers now (trailing spaces are the kernel's to drop). */
  rf_device_set_sysfs_identity (real, "_NEC    ", "DVD_RW ND-3550A ", "1.06");
  g_assert_false (rf_device_kernel_identity_is_stale (real, after));
  /* Found under another product (the crossflashed identity). */
  rf_device_set_sysfs_identity (real, "_NEC", "DVD_RW ND-4551A", "1.06");
  g_assert_true (rf_device_kernel_identity_is_stale (real, after));
  /* A practice drive has no kernel side. */
  g_assert_false (rf_device_kernel_identity_is_stale (practice, after));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *runtime = NULL;
  g_autofree char *state = NULL;
  g_autoptr(GError) error = NULL;
  RfTestDriveSpec spec;
  int status;

  if (argc == 3 && g_str_equal (argv[1], "--probe"))
    return child_probe (argv[2]);

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-test-device-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  /* Safe-mode markers of this run stay in it. */
  state = g_build_filename (runtime, "state", NULL);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  specs = g_ptr_array_new_with_free_func (g_free);

  add_case ("passive-sends-only-the-three", &healthy_3550, test_passive_sends_only_the_three);
  add_case ("no-marker-after-check", &healthy_3550, test_no_marker_after_check);
  g_test_add_func ("/reflash/device/safe-mode-marker", test_safe_mode_marker);
  add_case ("deep-healthy", &healthy_3550, test_deep_healthy);
  add_case ("deep-seed", &seed, test_deep_seed);
  add_case ("passive-seed", &seed, test_passive_seed);
  spec = healthy_3550;
  spec.bridge = TRUE;
  add_case ("bridge", &spec, test_bridge);
  spec = seed;
  spec.no_rawio = TRUE;
  add_case ("no-rawio", &spec, test_no_rawio);
  spec = healthy_3550;
  spec.disc = TRUE;
  add_case ("disc-present", &spec, test_disc_present);
  spec = healthy_3550;
  spec.unit_attentions = 3;
  add_case ("unit-attentions-cleared", &spec, test_unit_attentions_cleared);
  spec = (RfTestDriveSpec) { .device_type = 0x05, .vendor = "QEMU    ",
                             .product = "QEMU DVD-ROM    ", .revision = "2.5+",
                             .firmware_valid = TRUE };
  add_case ("unsupported", &spec, test_unsupported);
  spec.disc = TRUE;
  add_case ("unsupported-with-disc", &spec, test_unsupported_with_disc);
  spec = healthy_3550;
  spec.tur_scripted = TRUE;
  spec.tur_status = RF_STATUS_CHECK_CONDITION;
  spec.tur_sense[0] = 0x02;
  spec.tur_sense[1] = 0x04;
  spec.tur_sense[2] = 0x01;
  add_case ("becoming-ready-passive", &spec, test_becoming_ready_passive);
  spec = healthy_3550;
  spec.unit_attentions = 1000;
  add_case ("unit-attention-limit", &spec, test_unit_attention_limit);
  spec = healthy_3550;
  spec.unit_attentions = 10;
  add_case ("unit-attentions-at-limit", &spec, test_unit_attentions_at_limit);
  spec = healthy_3550;
  spec.rid_digits = "4551";
  spec.bootcode_key = "K451";
  add_case ("rid/nec-digits-name-the-type", &spec, test_rid_correction);
  spec.rid_vendor = "Sony";
  spec.rid_digits = "3551";
  spec.bootcode_key = "K356";
  add_case ("rid/sony", &spec, test_rid_correction);
  spec.rid_vendor = "SONY";
  spec.rid_digits = "4550";
  spec.bootcode_key = "K450";
  add_case ("rid/sony-capitals", &spec, test_rid_correction);
  spec.rid_vendor = "ATAPI";
  spec.rid_digits = "4551";
  spec.bootcode_key = "K355";
  add_case ("rid/other-vendor-keeps-id", &spec, test_rid_correction);
  spec.rid_vendor = "NEC";
  spec.rid_digits = "3579";
  add_case ("rid/unknown-digits-keep-id", &spec, test_rid_correction);
  spec = healthy_3550;
  spec.stored_id = "D355";
  spec.rid_digits = "4551";
  spec.bootcode_key = "D355";
  add_case ("rid/d355-keeps-id", &spec, test_rid_correction);
  spec = healthy_3550;
  spec.inquiry_fails = TRUE;
  add_case ("transport-error", &spec, test_transport_error);
  spec = healthy_3550;
  spec.silent_after_enter = TRUE;
  add_case ("mode-unknown", &spec, test_mode_unknown);
  for (gsize i = 0; i < G_N_ELEMENTS (tur_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/reflash/device/tur-answer/", tur_cases[i].name, NULL);

      g_test_add_data_func (path, &tur_cases[i], test_tur_answer);
    }
  spec = healthy_3550;
  spec.stored_id = "X999";
  add_case ("unknown-drive-id", &spec, test_unknown_drive_id);
  spec = healthy_3550;
  spec.bootcode_key = "D355";
  add_case ("d355", &spec, test_d355);
  spec = healthy_3550;
  spec.stored_id = "K451";
  spec.rid_digits = "4551";
  add_case ("recovered-seed", &spec, test_recovered_seed);
  spec = seed;
  spec.stored_id = "K355";
  spec.rid_digits = "3550";
  spec.bootcode_key = "Z999";
  add_case ("no-key-accepted", &spec, test_no_key_accepted);
  spec = healthy_3550;
  spec.bootcode_key = "Z999";
  add_case ("no-key-accepted-normal", &spec, test_no_key_accepted_normal);
  spec = (RfTestDriveSpec) { .device_type = 0x05, .vendor = "REFLASH ",
                             .product = "PRACTICE SPC    ", .revision = "1.00",
                             .firmware_valid = TRUE };
  add_case ("spc", &spec, test_spc);
  add_case ("locked", &healthy_3550, test_locked);
  g_test_add_func ("/reflash/device/hung-drive-does-not-delay", test_hung_drive_does_not_delay);
  g_test_add_func ("/reflash/device/cancel-leaves-safe-mode", test_cancel_leaves_safe_mode);
  g_test_add_func ("/reflash/device/missing-node", test_missing_node);
  g_test_add_func ("/reflash/device/kernel-identity-stale", test_kernel_identity_stale);
  g_test_add_func ("/reflash/device/read-only-node", test_read_only_node);
  add_clock_case ("busy-limit", test_busy_limit);
  add_clock_case ("leave-poll-limit", test_leave_poll_limit);
  add_clock_case ("leave-poll-returns", test_leave_poll_returns);
  add_clock_case ("cancel-busy-pause", test_cancel_busy_pause);
  add_clock_case ("cancel-unit-attention-pause", test_cancel_unit_attention_pause);
  add_clock_case ("cancel-leave-poll", test_cancel_leave_poll);

  status = g_test_run ();
  g_clear_object (&db);
  g_ptr_array_unref (specs);
  rf_test_remove_tree (runtime);
  return status;
}
