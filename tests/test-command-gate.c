/* test-command-gate.c: the command gate refuses, before any transport, every
 * command its stage does not allow, field by field (issue: drive safety §1)
 *
 * The allow-lists below are written from the protocol pages (nec-2m.md §1-§4,
 * spc-download.md), not from rf-allow-list.c, so a slip in either shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-core.h"
#include "rf-test-clock.h"
#include "rf-test-drive.h"

static RfDriveDb *db;
static char *last_message;

/* A drive that answers GOOD to everything; its INQUIRY shows @revision, and
 * the next SAFE MODE enter can be made to meet a UNIT ATTENTION. */
#define TEST_TYPE_GOOD_DRIVE (test_good_drive_get_type ())
G_DECLARE_FINAL_TYPE (TestGoodDrive, test_good_drive, TEST, GOOD_DRIVE, RfTransport)

struct _TestGoodDrive
{
  RfTransport parent_instance;
  char revision[5];
  gboolean unit_attention_on_enter;
};

G_DEFINE_FINAL_TYPE (TestGoodDrive, test_good_drive, RF_TYPE_TRANSPORT)

static gboolean
test_good_drive_execute (RfTransport  *transport,
                         RfCommand    *command,
                         GCancellable *cancellable,
                         GError      **error)
{
  TestGoodDrive *self = TEST_GOOD_DRIVE (transport);

  if (command->direction == RF_DIRECTION_IN && command->data != NULL)
    memset (command->data, 0, command->data_length);
  if (command->cdb[0] == 0x12 && command->data_length >= 36)
    memcpy (command->data + 32, self->revision, 4);
  if (command->cdb[0] == 0xcc && command->cdb[1] == 0x01 && command->cdb[2] == 0x01 &&
      self->unit_attention_on_enter)
    {
      self->unit_attention_on_enter = FALSE;
      rf_command_set_check_condition (command, RF_SENSE_KEY_UNIT_ATTENTION, 0x29, 0x00);
    }
  return TRUE;
}

static void
test_good_drive_class_init (TestGoodDriveClass *klass)
{
  RF_TRANSPORT_CLASS (klass)->execute = test_good_drive_execute;
}

static void
test_good_drive_init (TestGoodDrive *self)
{
  memcpy (self->revision, "1.05", 5);
}

typedef struct {
  TestGoodDrive *drive;
  RfRecorder *recorder;   /* what reached the drive */
  RfCommandGate *gate;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->drive = g_object_new (TEST_TYPE_GOOD_DRIVE, NULL);
  fixture->recorder = rf_recorder_new (RF_TRANSPORT (fixture->drive));
  fixture->gate = rf_command_gate_new (RF_TRANSPORT (fixture->recorder));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->gate);
  g_clear_object (&fixture->recorder);
  g_clear_object (&fixture->drive);
}

static RfDriveFamily *
family (const char *id)
{
  RfDriveFamily *found = rf_drive_db_lookup (db, id);

  g_assert_nonnull (found);
  return rf_drive_family_ref (found);
}

/* The stages under test, with the opcodes each may send at all. */
typedef struct {
  const char *name;
  RfGateStage stage;
  const char *family;
  RfPhase phase;
  const char *key;
  const guint8 *opcodes;
  gsize n_opcodes;
} StageCase;

static const guint8 passive_ops[] = { 0x00, 0x12, 0x46 };
static const guint8 nec_identify_ops[] = { 0x00, 0x12, 0x46, 0xcc };
static const guint8 nec_write_ops[] = { 0x00, 0x12, 0x46, 0xcb };
static const guint8 nec_control_ops[] = { 0x00, 0x12, 0x46, 0xcc };
static const guint8 nec_upload_ops[] = { 0x00, 0x12, 0x46, 0xcb, 0xcc };
static const guint8 spc_identify_ops[] = { 0x00, 0x12, 0x46, 0x3c };
static const guint8 spc_write_ops[] = { 0x00, 0x12, 0x46, 0x3b };

#define OPS(a) a, G_N_ELEMENTS (a)

static const StageCase stage_cases[] = {
  { "closed", RF_GATE_STAGE_CLOSED, NULL, 0, NULL, NULL, 0 },
  { "passive", RF_GATE_STAGE_PASSIVE, NULL, 0, NULL, OPS (passive_ops) },
  { "identify-nec", RF_GATE_STAGE_IDENTIFY, "nec-2m", 0, NULL, OPS (nec_identify_ops) },
  { "backup-nec", RF_GATE_STAGE_BACKUP, "nec-2m", 0, NULL, OPS (nec_identify_ops) },
  { "after-failure-nec", RF_GATE_STAGE_AFTER_FAILURE, "nec-2m", 0, NULL, OPS (nec_identify_ops) },
  { "flash-nec-preflight", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_PREFLIGHT, "K355", OPS (nec_identify_ops) },
  { "flash-nec-enter", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_ENTER_SAFE_MODE, "K355", OPS (nec_control_ops) },
  { "flash-nec-upload", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_UPLOAD, "K355", OPS (nec_upload_ops) },
  { "flash-nec-checksum", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_CHECKSUM, "K355", OPS (nec_control_ops) },
  { "flash-nec-erase", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_ERASE, "K355", OPS (nec_write_ops) },
  { "flash-nec-program", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_PROGRAM, "K355", OPS (nec_write_ops) },
  { "flash-nec-restart", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_RESTART, "K355", OPS (nec_control_ops) },
  { "flash-nec-verify", RF_GATE_STAGE_FLASH, "nec-2m", RF_PHASE_VERIFY, "K355", OPS (nec_identify_ops) },
  { "identify-spc", RF_GATE_STAGE_IDENTIFY, "spc-generic", 0, NULL, OPS (spc_identify_ops) },
  { "backup-spc", RF_GATE_STAGE_BACKUP, "spc-generic", 0, NULL, OPS (spc_identify_ops) },
  { "flash-spc-upload", RF_GATE_STAGE_FLASH, "spc-generic", RF_PHASE_UPLOAD, NULL, OPS (spc_write_ops) },
  { "flash-spc-settle", RF_GATE_STAGE_FLASH, "spc-generic", RF_PHASE_SETTLE, NULL, OPS (passive_ops) },
  { "flash-spc-verify", RF_GATE_STAGE_FLASH, "spc-generic", RF_PHASE_VERIFY, NULL, OPS (spc_identify_ops) },
};

static void
set_stage (Fixture         *fixture,
           const StageCase *c)
{
  g_autoptr(RfDriveFamily) f = c->family != NULL ? family (c->family) : NULL;

  g_assert_true (rf_command_gate_set_stage (fixture->gate, c->stage, f, c->phase, c->key));
}

static gboolean
on_list (const StageCase *c,
         guint8           opcode)
{
  for (gsize i = 0; i < c->n_opcodes; i++)
    if (c->opcodes[i] == opcode)
      return TRUE;
  return FALSE;
}

static gboolean
send_raw (Fixture     *fixture,
          const guint8 *cdb,
          gsize         cdb_length,
          RfDirection   direction,
          guint8       *data,
          gsize         data_length,
          GError      **error)
{
  RfCommand command;

  g_assert_true (rf_command_init (&command, cdb, cdb_length, direction, data, data_length, 1000));
  return rf_transport_execute (RF_TRANSPORT (fixture->gate), &command, NULL, error);
}

static void
assert_refused (Fixture      *fixture,
                const guint8 *cdb,
                gsize         cdb_length,
                RfDirection   direction,
                gsize         data_length)
{
  g_autofree guint8 *data = data_length > 0 ? g_malloc0 (data_length) : NULL;
  g_autoptr(GError) error = NULL;
  guint before = rf_recorder_get_n_entries (fixture->recorder);

  g_assert_false (send_raw (fixture, cdb, cdb_length, direction, data, data_length, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED);
  /* Refused before any transport: the drive saw nothing. */
  g_assert_cmpuint (rf_recorder_get_n_entries (fixture->recorder), ==, before);
}

static void
assert_allowed (Fixture      *fixture,
                const guint8 *cdb,
                gsize         cdb_length,
                RfDirection   direction,
                gsize         data_length)
{
  g_autofree guint8 *data = data_length > 0 ? g_malloc0 (data_length) : NULL;
  g_autoptr(GError) error = NULL;
  guint before = rf_recorder_get_n_entries (fixture->recorder);

  g_assert_true (send_raw (fixture, cdb, cdb_length, direction, data, data_length, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (rf_recorder_get_n_entries (fixture->recorder), ==, before + 1);
}

/* Every opcode that is not on a stage's list is refused, whatever its shape. */
static void
test_every_other_opcode (Fixture       *fixture,
                         gconstpointer  data)
{
  const StageCase *c = data;
  static const gsize lengths[] = { 6, 10, 12, 16 };

  set_stage (fixture, c);
  for (guint opcode = 0; opcode <= 0xff; opcode++)
    {
      if (on_list (c, (guint8) opcode))
        continue;
      for (gsize i = 0; i < G_N_ELEMENTS (lengths); i++)
        {
          guint8 cdb[16] = { (guint8) opcode };

          assert_refused (fixture, cdb, lengths[i], RF_DIRECTION_NONE, 0);
          /* Also with the fields an allowed command of another stage would carry. */
          cdb[1] = 0x01;
          assert_refused (fixture, cdb, lengths[i], RF_DIRECTION_IN, 0x20);
        }
    }
  g_assert_cmpuint (rf_recorder_get_n_entries (fixture->recorder), ==, 0);
  g_assert_cmpuint (rf_command_gate_get_n_refused (fixture->gate), >=, 8 * (256 - c->n_opcodes));
}

/* One command, and the stage in which it must be refused or must pass. */
typedef struct {
  const char *name;
  const char *stage;       /* a StageCase name */
  guint8 cdb[16];
  gsize cdb_length;
  RfDirection direction;
  gsize data_length;
} FieldCase;

#define IN RF_DIRECTION_IN
#define OUT RF_DIRECTION_OUT
#define NONE RF_DIRECTION_NONE

/* Forms the protocol pages allow, each in a stage that allows it. */
static const FieldCase allowed_cases[] = {
  { "tur", "passive", { 0x00 }, 6, NONE, 0 },
  { "inquiry", "passive", { 0x12, 0, 0, 0, 0x60 }, 6, IN, 0x60 },
  { "get-configuration", "passive", { 0x46, 0x02, 0x01, 0x0c, 0, 0, 0, 0, 64 }, 10, IN, 64 },
  { "read-mem-id", "identify-nec", { 0xcc, 0x00, 0, 0, 0x48, 0x00, 0, 0x00, 0x20 }, 12, IN, 0x20 },
  { "read-mem-rid", "identify-nec", { 0xcc, 0x00, 0, 0, 0x5f, 0x00, 0, 0x00, 0x80 }, 12, IN, 0x80 },
  { "safe-mode-enter-d355", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'D', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "read-mem-main", "backup-nec", { 0xcc, 0x00, 0, 0x01, 0x00, 0x00, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "read-mem-main-last", "flash-nec-verify", { 0xcc, 0x00, 0, 0x1e, 0xf0, 0x00, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "enter-bootcode-key", "flash-nec-enter", { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "write-ram", "flash-nec-upload", { 0xcb, 0x01, 0, 0x01, 0x80, 0x00, 0, 0, 0x08, 0x00 }, 12, OUT, 0x8000 },
  { "send-checksum", "flash-nec-checksum", { 0xcc, 0x04, 0xbe, 0xef }, 12, NONE, 0 },
  { "erase-4", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x10 }, 12, NONE, 0 },
  { "erase-34", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0x04, 0, 0, 0, 0 }, 12, NONE, 0 },
  { "program-33", "flash-nec-program", { 0xcb, 0x02, 0, 0, 0x02, 0, 0, 0, 0 }, 12, NONE, 0 },
  { "leave-restart", "flash-nec-restart", { 0xcc, 0x01, 0x00, 0, 'K', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "read-buffer-descriptor", "identify-spc", { 0x3c, 0x03, 0x00, 0, 0, 0, 0, 0, 4 }, 10, IN, 4 },
  /* spc-generic: DumpBufferId=0, DumpLength=0x100000 */
  { "read-buffer-dump-first", "backup-spc", { 0x3c, 0x02, 0x00, 0, 0, 0, 0x01, 0, 0 }, 10, IN, 0x10000 },
  { "read-buffer-dump-last", "backup-spc", { 0x3c, 0x02, 0x00, 0x0f, 0, 0, 0x01, 0, 0 }, 10, IN, 0x10000 },
  { "write-buffer-mode-7", "flash-spc-upload", { 0x3b, 0x07, 0x00, 0, 0x80, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
};

/* nec-2m.md §2 "Forbidden during identification" and §3, spc-download.md. */
static const FieldCase refused_cases[] = {
  { "tur-stray-byte", "passive", { 0x00, 0, 0, 0, 0, 0x01 }, 6, NONE, 0 },
  { "tur-with-data", "passive", { 0x00 }, 6, IN, 8 },
  { "inquiry-evpd", "passive", { 0x12, 0x01, 0x80, 0, 0x60 }, 6, IN, 0x60 },
  { "inquiry-length-disagrees", "passive", { 0x12, 0, 0, 0, 0x60 }, 6, IN, 0x24 },
  { "inquiry-as-12-bytes", "passive", { 0x12, 0, 0, 0, 0x60 }, 12, IN, 0x60 },
  { "inquiry-out", "passive", { 0x12, 0, 0, 0, 0x60 }, 6, OUT, 0x60 },
  { "get-configuration-rt-3", "passive", { 0x46, 0x03, 0, 0, 0, 0, 0, 0, 64 }, 10, IN, 64 },
  { "read-mem-while-passive", "passive", { 0xcc, 0x00, 0, 0, 0x48, 0x00, 0, 0x00, 0x20 }, 12, IN, 0x20 },
  { "read-mem-at-0", "identify-nec", { 0xcc, 0x00, 0, 0, 0, 0, 0, 0x00, 0x20 }, 12, IN, 0x20 },
  { "read-mem-bootcode", "backup-nec", { 0xcc, 0x00, 0, 0, 0, 0, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "read-mem-dump-id", "identify-nec", { 0xcc, 0x00, 0, 0, 0x48, 0x00, 0, 0x00, 0x20, 'R', 'D', 0x93 }, 12, IN, 0x20 },
  { "read-mem-bank-bit", "identify-nec", { 0xcc, 0x10, 0, 0, 0x48, 0x00, 0, 0x00, 0x20 }, 12, IN, 0x20 },
  { "read-mem-longer-id", "identify-nec", { 0xcc, 0x00, 0, 0, 0x48, 0x00, 0, 0x00, 0x80 }, 12, IN, 0x80 },
  { "read-mem-length-disagrees", "identify-nec", { 0xcc, 0x00, 0, 0, 0x48, 0x00, 0, 0x00, 0x20 }, 12, IN, 0x40 },
  { "read-mem-main-in-identify", "identify-nec", { 0xcc, 0x00, 0, 0x01, 0, 0, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "read-mem-main-unaligned", "backup-nec", { 0xcc, 0x00, 0, 0x01, 0x00, 0x04, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "read-mem-block-34", "backup-nec", { 0xcc, 0x00, 0, 0x1f, 0x00, 0x00, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "read-mem-main-after-failure", "after-failure-nec", { 0xcc, 0x00, 0, 0x01, 0, 0, 0, 0x10, 0x00 }, 12, IN, 0x1000 },
  { "safe-mode-sixth-key", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'K', '3', '6', '5', 0x01 }, 12, NONE, 0 },
  { "safe-mode-alias-key", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'K', '3', '1', '5', 0x01 }, 12, NONE, 0 },
  { "safe-mode-lower-case", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'k', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "safe-mode-byte-8", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x00 }, 12, NONE, 0 },
  { "safe-mode-ee-2", "identify-nec", { 0xcc, 0x01, 0x02, 0, 'K', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "safe-mode-with-data", "identify-nec", { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x01 }, 12, OUT, 0x10 },
  { "send-checksum-in-identify", "identify-nec", { 0xcc, 0x04, 0xbe, 0xef }, 12, NONE, 0 },
  { "send-checksum-bootcode-area", "flash-nec-checksum", { 0xcc, 0x04, 0xbe, 0xef, 0, 0, 0, 0, 0, 0x01 }, 12, NONE, 0 },
  { "send-checksum-index", "flash-nec-checksum", { 0xcc, 0x04, 0xbe, 0xef, 0, 0, 0, 0, 0x04 }, 12, NONE, 0 },
  { "cc-other-subcommand", "identify-nec", { 0xcc, 0x02 }, 12, NONE, 0 },
  { "read-boot", "identify-nec", { 0xcd, 0x00, 'R', 'D', 'B', 'O', 'O', 'T' }, 12, IN, 0x4000 },
  { "write-settings", "flash-nec-upload", { 0xcb, 0x00, 0, 0, 0x48, 0x00, 0, 0, 4 }, 12, OUT, 4 },
  { "write-ram-in-identify", "identify-nec", { 0xcb, 0x01, 0, 0x01, 0x00, 0x00, 0, 0, 0x08 }, 12, OUT, 0x8000 },
  { "write-ram-bootcode-area", "flash-nec-upload", { 0xcb, 0x01, 0, 0x01, 0x00, 0x00, 0, 0, 0x08, 0x01 }, 12, OUT, 0x8000 },
  { "write-ram-to-bootcode", "flash-nec-upload", { 0xcb, 0x01, 0, 0, 0x00, 0x00, 0, 0, 0x08 }, 12, OUT, 0x8000 },
  { "write-ram-unaligned", "flash-nec-upload", { 0xcb, 0x01, 0, 0x01, 0x10, 0x00, 0, 0, 0x08 }, 12, OUT, 0x8000 },
  { "write-ram-nn-4", "flash-nec-upload", { 0xcb, 0x01, 0, 0x01, 0x00, 0x00, 0, 0, 0x04 }, 12, OUT, 0x4000 },
  { "write-ram-short-data", "flash-nec-upload", { 0xcb, 0x01, 0, 0x01, 0x00, 0x00, 0, 0, 0x08 }, 12, OUT, 0x4000 },
  { "write-ram-in-erase", "flash-nec-erase", { 0xcb, 0x01, 0, 0x01, 0x00, 0x00, 0, 0, 0x08 }, 12, OUT, 0x8000 },
  { "erase-block-0", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x01 }, 12, NONE, 0 },
  { "erase-block-3", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x08 }, 12, NONE, 0 },
  { "erase-block-35", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0x08, 0, 0, 0, 0 }, 12, NONE, 0 },
  { "erase-two-blocks", "flash-nec-erase", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x30 }, 12, NONE, 0 },
  { "erase-no-block", "flash-nec-erase", { 0xcb, 0x04 }, 12, NONE, 0 },
  { "erase-in-upload", "flash-nec-upload", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x10 }, 12, NONE, 0 },
  { "erase-in-program", "flash-nec-program", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x10 }, 12, NONE, 0 },
  { "erase-after-failure", "after-failure-nec", { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x10 }, 12, NONE, 0 },
  { "program-block-34", "flash-nec-program", { 0xcb, 0x02, 0, 0, 0x04, 0, 0, 0, 0 }, 12, NONE, 0 },
  { "program-block-0", "flash-nec-program", { 0xcb, 0x02, 0, 0, 0, 0, 0, 0, 0x01 }, 12, NONE, 0 },
  { "program-stray-byte", "flash-nec-program", { 0xcb, 0x02, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0x01 }, 12, NONE, 0 },
  { "enter-other-key-in-flash", "flash-nec-enter", { 0xcc, 0x01, 0x01, 0, 'K', '4', '5', '1', 0x01 }, 12, NONE, 0 },
  { "enter-in-upload", "flash-nec-upload", { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "leave-in-erase", "flash-nec-erase", { 0xcc, 0x01, 0x00, 0, 'K', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "leave-other-key-restart", "flash-nec-restart", { 0xcc, 0x01, 0x00, 0, 'D', '3', '5', '5', 0x01 }, 12, NONE, 0 },
  { "read-buffer-data-mode", "identify-spc", { 0x3c, 0x02, 0x00, 0, 0, 0, 0, 0x10, 0 }, 10, IN, 0x1000 },
  { "read-buffer-dump-past-end", "backup-spc", { 0x3c, 0x02, 0x00, 0x0f, 0x80, 0, 0x01, 0, 0 }, 10, IN, 0x10000 },
  { "read-buffer-dump-at-end", "backup-spc", { 0x3c, 0x02, 0x00, 0x10, 0, 0, 0, 0x10, 0 }, 10, IN, 0x1000 },
  { "read-buffer-dump-empty", "backup-spc", { 0x3c, 0x02, 0x00, 0, 0, 0, 0, 0, 0 }, 10, IN, 0 },
  { "read-buffer-dump-other-id", "backup-spc", { 0x3c, 0x02, 0x01, 0, 0, 0, 0, 0x10, 0 }, 10, IN, 0x1000 },
  { "read-buffer-dump-stray-byte", "backup-spc", { 0x3c, 0x02, 0x00, 0, 0, 0, 0, 0x10, 0, 0x01 }, 10, IN, 0x1000 },
  { "read-buffer-dump-in-upload", "flash-spc-upload", { 0x3c, 0x02, 0x00, 0, 0, 0, 0, 0x10, 0 }, 10, IN, 0x1000 },
  { "read-buffer-other-id", "identify-spc", { 0x3c, 0x03, 0x01, 0, 0, 0, 0, 0, 4 }, 10, IN, 4 },
  { "read-buffer-status-mode", "identify-spc", { 0x3c, 0x0f, 0x00, 0, 0, 0, 0, 0, 4 }, 10, IN, 4 },
  { "read-buffer-long-descriptor", "identify-spc", { 0x3c, 0x03, 0x00, 0, 0, 0, 0, 0, 8 }, 10, IN, 8 },
  { "read-buffer-for-nec", "identify-nec", { 0x3c, 0x03, 0x00, 0, 0, 0, 0, 0, 4 }, 10, IN, 4 },
  { "write-buffer-in-identify", "identify-spc", { 0x3b, 0x07, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-mode-4", "flash-spc-upload", { 0x3b, 0x04, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-mode-5", "flash-spc-upload", { 0x3b, 0x05, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-mode-activate", "flash-spc-upload", { 0x3b, 0x0f }, 10, NONE, 0 },
  { "write-buffer-activate-not-deferred", "flash-spc-settle", { 0x3b, 0x0f }, 10, NONE, 0 },
  { "write-buffer-other-id", "flash-spc-upload", { 0x3b, 0x07, 0x01, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-length-disagrees", "flash-spc-upload", { 0x3b, 0x07, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x4000 },
  { "write-buffer-mode-specific-bits", "flash-spc-upload", { 0x3b, 0xe7, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-for-nec", "flash-nec-upload", { 0x3b, 0x07, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
  { "write-buffer-after-failure", "flash-spc-verify", { 0x3b, 0x07, 0x00, 0, 0, 0, 0, 0x80, 0 }, 10, OUT, 0x8000 },
};

static const StageCase *
find_stage (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (stage_cases); i++)
    if (g_str_equal (stage_cases[i].name, name))
      return &stage_cases[i];
  g_assert_not_reached ();
}

static void
test_allowed (Fixture       *fixture,
              gconstpointer  data)
{
  const FieldCase *c = data;

  set_stage (fixture, find_stage (c->stage));
  assert_allowed (fixture, c->cdb, c->cdb_length, c->direction, c->data_length);
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  const FieldCase *c = data;

  set_stage (fixture, find_stage (c->stage));
  assert_refused (fixture, c->cdb, c->cdb_length, c->direction, c->data_length);
}

static const guint8 enter_k355[12] = { 0xcc, 0x01, 0x01, 0, 'K', '3', '5', '5', 0x01 };
static const guint8 leave_k355[12] = { 0xcc, 0x01, 0x00, 0, 'K', '3', '5', '5', 0x01 };
static const guint8 tur[6] = { 0x00 };
static const guint8 inquiry[6] = { 0x12, 0, 0, 0, 0x60 };

static void
inquire (Fixture *fixture)
{
  assert_allowed (fixture, inquiry, sizeof inquiry, IN, 0x60);
}

/* nec-2m.md §2: each key at most once per check. */
static void
test_key_once (Fixture       *fixture,
               gconstpointer  data)
{
  memcpy (fixture->drive->revision, "0.05", 5);
  set_stage (fixture, find_stage ("identify-nec"));
  inquire (fixture);
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  assert_refused (fixture, enter_k355, 12, NONE, 0);
  /* A new check may try it again. */
  set_stage (fixture, find_stage ("identify-nec"));
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
}

/* A UNIT ATTENTION answer is not a try, but the retry needs a new no-disc
 * check (a TEST UNIT READY) first: no bursts of enters. */
static void
test_unit_attention_retry (Fixture       *fixture,
                           gconstpointer  data)
{
  set_stage (fixture, find_stage ("identify-nec"));
  inquire (fixture);
  fixture->drive->unit_attention_on_enter = TRUE;
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  assert_refused (fixture, enter_k355, 12, NONE, 0);
  assert_allowed (fixture, tur, sizeof tur, NONE, 0);
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  /* That one counted. */
  assert_allowed (fixture, tur, sizeof tur, NONE, 0);
  assert_refused (fixture, enter_k355, 12, NONE, 0);
}

/* A leave follows only an enter sent to a drive found in normal mode. */
static void
test_leave_after_normal_mode_enter (Fixture       *fixture,
                                    gconstpointer  data)
{
  set_stage (fixture, find_stage ("identify-nec"));
  assert_refused (fixture, leave_k355, 12, NONE, 0);
  inquire (fixture);
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  assert_allowed (fixture, leave_k355, 12, NONE, 0);
  /* Once. */
  assert_refused (fixture, leave_k355, 12, NONE, 0);
}

/* A drive found in safe mode stays there: the seed is never sent a leave
 * while it is identified (nec-2m.md §2 step 5). */
static void
test_no_leave_in_safe_mode (Fixture       *fixture,
                            gconstpointer  data)
{
  memcpy (fixture->drive->revision, "0.05", 5);
  set_stage (fixture, find_stage ("identify-nec"));
  inquire (fixture);
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  assert_refused (fixture, leave_k355, 12, NONE, 0);
  /* Nor before the erase of a flash (nec-2m.md §3). */
  set_stage (fixture, find_stage ("flash-nec-enter"));
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  set_stage (fixture, find_stage ("flash-nec-upload"));
  assert_refused (fixture, leave_k355, 12, NONE, 0);
  /* The restart after programming always leaves. */
  set_stage (fixture, find_stage ("flash-nec-restart"));
  assert_allowed (fixture, leave_k355, 12, NONE, 0);
}

/* A flash that entered a normal-mode drive may give it back before the erase. */
static void
test_leave_before_erase (Fixture       *fixture,
                         gconstpointer  data)
{
  set_stage (fixture, find_stage ("flash-nec-preflight"));
  inquire (fixture);
  set_stage (fixture, find_stage ("flash-nec-enter"));
  assert_allowed (fixture, enter_k355, 12, NONE, 0);
  set_stage (fixture, find_stage ("flash-nec-checksum"));
  assert_allowed (fixture, leave_k355, 12, NONE, 0);
}

/* After a failure past the point of no return the gate never widens again. */
static void
test_after_failure_latches (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(RfDriveFamily) nec = family ("nec-2m");
  static const guint8 erase_4[12] = { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x10 };

  set_stage (fixture, find_stage ("after-failure-nec"));
  g_assert_false (rf_command_gate_set_stage (fixture->gate, RF_GATE_STAGE_FLASH, nec,
                                             RF_PHASE_ERASE, "K355"));
  g_assert_cmpint (rf_command_gate_get_stage (fixture->gate), ==, RF_GATE_STAGE_AFTER_FAILURE);
  assert_refused (fixture, erase_4, 12, NONE, 0);
  g_assert_false (rf_command_gate_set_stage (fixture->gate, RF_GATE_STAGE_IDENTIFY, nec,
                                             RF_PHASE_PREFLIGHT, NULL));
  g_assert_true (rf_command_gate_set_stage (fixture->gate, RF_GATE_STAGE_PASSIVE, NULL,
                                            RF_PHASE_PREFLIGHT, NULL));
  g_assert_false (rf_command_gate_set_stage (fixture->gate, RF_GATE_STAGE_BACKUP, nec,
                                             RF_PHASE_PREFLIGHT, NULL));
}

/* The log line names the opcode and the stage, for whoever reads a report. */
static void
test_refusal_is_logged (Fixture       *fixture,
                        gconstpointer  data)
{
  static const guint8 erase_0[12] = { 0xcb, 0x04, 0, 0, 0, 0, 0, 0, 0x01 };
  g_autoptr(GError) error = NULL;

  set_stage (fixture, find_stage ("identify-nec"));
  g_clear_pointer (&last_message, g_free);
  g_assert_false (send_raw (fixture, erase_0, 12, NONE, NULL, 0, &error));
  g_assert_nonnull (last_message);
  g_assert_nonnull (strstr (last_message, "identify nec-2m"));
  g_assert_nonnull (strstr (last_message, "NEC WRITE (CB)"));
  g_assert_nonnull (strstr (last_message, "CB 04"));
  g_assert_nonnull (strstr (error->message, "identify nec-2m"));
}

/* A command whose builder failed is empty, and no transport sends it. */
static void
test_unbuilt_command (void)
{
  g_autoptr(TestGoodDrive) drive = g_object_new (TEST_TYPE_GOOD_DRIVE, NULL);
  g_autoptr(RfRecorder) recorder = rf_recorder_new (RF_TRANSPORT (drive));
  g_autoptr(GError) error = NULL;
  RfCommand command;

  g_test_expect_message ("rf-core", G_LOG_LEVEL_CRITICAL, "*block >= RF_NEC_FIRST_MAIN_BLOCK*");
  g_assert_false (rf_nec_build_erase_block (&command, 0));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (command.cdb_length, ==, 0);
  g_assert_false (rf_transport_execute (RF_TRANSPORT (recorder), &command, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_COMMAND_REFUSED);
  g_assert_cmpuint (rf_recorder_get_n_entries (recorder), ==, 0);
}

/* The gate only filters: Reflash's waits pass on the clock of the drive behind
 * it (a practice drive's at its speed), not on the system clock. */
static void
test_clock (void)
{
  g_autoptr(RfTestClock) clock = rf_test_clock_new ();
  RfTestDriveSpec spec = { .clock = RF_CLOCK (clock) };
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&spec);
  g_autoptr(RfCommandGate) gate = rf_command_gate_new (RF_TRANSPORT (drive));

  g_assert_true (rf_transport_get_clock (RF_TRANSPORT (gate)) == RF_CLOCK (clock));
}

static void
remember_message (const char     *domain,
                  GLogLevelFlags  level,
                  const char     *message,
                  gpointer        user_data)
{
  g_free (last_message);
  last_message = g_strdup (message);
}

static void
add_field_cases (const char      *prefix,
                 const FieldCase *cases,
                 gsize            n_cases,
                 void (*func) (Fixture *, gconstpointer))
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *path = g_strconcat (prefix, cases[i].name, NULL);

      g_test_add (path, Fixture, &cases[i], fixture_set_up, func, fixture_tear_down);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Refusals are logged as messages; keep the last one for the log test. */
  g_log_set_handler ("rf-core", G_LOG_LEVEL_MESSAGE, remember_message, NULL);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (stage_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/reflash/command-gate/every-other-opcode/",
                                           stage_cases[i].name, NULL);

      g_test_add (path, Fixture, &stage_cases[i], fixture_set_up, test_every_other_opcode,
                  fixture_tear_down);
    }
  add_field_cases ("/reflash/command-gate/allowed/", allowed_cases,
                   G_N_ELEMENTS (allowed_cases), test_allowed);
  add_field_cases ("/reflash/command-gate/refused/", refused_cases,
                   G_N_ELEMENTS (refused_cases), test_refused);
  g_test_add ("/reflash/command-gate/key-once", Fixture, NULL, fixture_set_up, test_key_once,
              fixture_tear_down);
  g_test_add ("/reflash/command-gate/unit-attention-retry", Fixture, NULL, fixture_set_up,
              test_unit_attention_retry, fixture_tear_down);
  g_test_add ("/reflash/command-gate/leave-after-normal-mode-enter", Fixture, NULL,
              fixture_set_up, test_leave_after_normal_mode_enter, fixture_tear_down);
  g_test_add ("/reflash/command-gate/no-leave-in-safe-mode", Fixture, NULL, fixture_set_up,
              test_no_leave_in_safe_mode, fixture_tear_down);
  g_test_add ("/reflash/command-gate/leave-before-erase", Fixture, NULL, fixture_set_up,
              test_leave_before_erase, fixture_tear_down);
  g_test_add ("/reflash/command-gate/after-failure-latches", Fixture, NULL, fixture_set_up,
              test_after_failure_latches, fixture_tear_down);
  g_test_add ("/reflash/command-gate/refusal-is-logged", Fixture, NULL, fixture_set_up,
              test_refusal_is_logged, fixture_tear_down);
  g_test_add_func ("/reflash/command-gate/unbuilt-command", test_unbuilt_command);
  g_test_add_func ("/reflash/command-gate/clock", test_clock);

  status = g_test_run ();
  g_clear_object (&db);
  g_clear_pointer (&last_message, g_free);
  return status;
}
