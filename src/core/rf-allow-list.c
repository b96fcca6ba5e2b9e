/* rf-allow-list.c: the one place that says which CDBs a stage allows
 *
 * Every field is checked, not only the opcode: a READ MEM at the wrong address,
 * a SAFE MODE with a sixth key, an ERASE of the bootcode block or a transfer
 * whose length disagrees with its CDB is as dangerous as a wrong opcode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdarg.h>
#include <string.h>

#include "rf-allow-list.h"
#include "rf-nec-2m.h"

#define OP_TEST_UNIT_READY  0x00
#define OP_INQUIRY          0x12
#define OP_WRITE_BUFFER     0x3b
#define OP_READ_BUFFER      0x3c
#define OP_GET_CONFIGURATION 0x46

#define NEC_READ_MEM        0x00
#define NEC_SAFE_MODE       0x01
#define NEC_SEND_CHECKSUM   0x04
#define NEC_WRITE_RAM       0x01
#define NEC_PROGRAM_BLOCK   0x02
#define NEC_ERASE_BLOCK     0x04

/* nec-2m.md §2: the two identification reads. */
#define NEC_ID_READ_LENGTH  0x20

#define SPC_MODE_DATA       0x02
#define SPC_MODE_DESCRIPTOR 0x03
#define SPC_MODE_ACTIVATE   0x0f

typedef struct {
  const RfAllowList *list;
  const RfCommand *command;
  RfAllowedKind kind;
  char *reason;
} Check;

static gboolean G_GNUC_PRINTF (2, 3)
refuse (Check      *check,
        const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_free (check->reason);
  check->reason = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

static guint32
cdb_be (const RfCommand *command,
        guint            first,
        guint            length)
{
  guint32 value = 0;

  for (guint i = 0; i < length; i++)
    value = (value << 8) | command->cdb[first + i];
  return value;
}

static const char *
direction_name (RfDirection direction)
{
  switch (direction)
    {
    case RF_DIRECTION_IN:
      return "in";
    case RF_DIRECTION_OUT:
      return "out";
    case RF_DIRECTION_NONE:
    default:
      return "none";
    }
}

/* The CDB's length, and the data phase the CDB announces. */
static gboolean
require_shape (Check       *check,
               gsize        cdb_length,
               RfDirection  direction,
               gsize        data_length)
{
  const RfCommand *command = check->command;

  if (command->cdb_length != cdb_length)
    return refuse (check, "CDB of %" G_GSIZE_FORMAT " bytes, must be %" G_GSIZE_FORMAT,
                   command->cdb_length, cdb_length);
  if (command->direction != direction)
    return refuse (check, "data direction %s, the CDB says %s",
                   direction_name (command->direction), direction_name (direction));
  if (command->data_length != data_length)
    return refuse (check, "%" G_GSIZE_FORMAT " data bytes, the CDB says %" G_GSIZE_FORMAT,
                   command->data_length, data_length);
  if (data_length > 0 && command->data == NULL)
    return refuse (check, "no data buffer for %" G_GSIZE_FORMAT " bytes", data_length);
  return TRUE;
}

/* Reserved and unused bytes must be zero: a stray bit may mean another
 * subcommand, bank or area to a drive. */
static gboolean
require_zero (Check *check,
              guint  first,
              guint  last)
{
  for (guint i = first; i <= last; i++)
    if (check->command->cdb[i] != 0)
      return refuse (check, "CDB byte %u is 0x%02X, must be 0", i, check->command->cdb[i]);
  return TRUE;
}

static gboolean
require_byte (Check  *check,
              guint   index,
              guint8  value)
{
  if (check->command->cdb[index] != value)
    return refuse (check, "CDB byte %u is 0x%02X, must be 0x%02X", index,
                   check->command->cdb[index], value);
  return TRUE;
}

static gboolean
family_speaks (const RfAllowList *list,
               const char        *protocol)
{
  return list->family != NULL && g_strcmp0 (list->family->protocol, protocol) == 0;
}

static gboolean
in_flash_phase (const RfAllowList *list,
                RfPhase            phase)
{
  return list->stage == RF_GATE_STAGE_FLASH && list->phase == phase;
}

/* Deep identification: in its own stage, in a backup, after a failed flash,
 * and around a flash (preflight, the backup phase, the re-identification). */
static gboolean
allows_identification (const RfAllowList *list)
{
  switch (list->stage)
    {
    case RF_GATE_STAGE_IDENTIFY:
    case RF_GATE_STAGE_BACKUP:
    case RF_GATE_STAGE_AFTER_FAILURE:
      return list->family != NULL;
    case RF_GATE_STAGE_FLASH:
      return list->family != NULL &&
             (list->phase == RF_PHASE_PREFLIGHT || list->phase == RF_PHASE_BACKUP ||
              list->phase == RF_PHASE_VERIFY);
    case RF_GATE_STAGE_CLOSED:
    case RF_GATE_STAGE_PASSIVE:
    default:
      return FALSE;
    }
}

/* Reads of the firmware itself: a backup, and the read-back after a flash. */
static gboolean
allows_dump (const RfAllowList *list)
{
  return list->family != NULL &&
         (list->stage == RF_GATE_STAGE_BACKUP || in_flash_phase (list, RF_PHASE_BACKUP) ||
          in_flash_phase (list, RF_PHASE_VERIFY));
}

/* Standard commands */

static gboolean
check_test_unit_ready (Check *check)
{
  return require_shape (check, 6, RF_DIRECTION_NONE, 0) && require_zero (check, 1, 5);
}

static gboolean
check_inquiry (Check *check)
{
  guint32 allocation = cdb_be (check->command, 3, 2);

  /* Standard data only: no EVPD page, no CmdDt. */
  if (allocation == 0)
    return refuse (check, "INQUIRY with no allocation length");
  return require_shape (check, 6, RF_DIRECTION_IN, allocation) &&
         require_zero (check, 1, 2) && require_zero (check, 5, 5);
}

static gboolean
check_get_configuration (Check *check)
{
  guint32 allocation = cdb_be (check->command, 7, 2);

  if (check->command->cdb_length == 10 && check->command->cdb[1] > 0x02)
    return refuse (check, "GET CONFIGURATION with RT 0x%02X", check->command->cdb[1]);
  if (allocation == 0)
    return refuse (check, "GET CONFIGURATION with no allocation length");
  return require_shape (check, 10, RF_DIRECTION_IN, allocation) &&
         require_zero (check, 4, 6) && require_zero (check, 9, 9);
}

/* SPC download (spc-download.md) */

/* Mode 2 reads the running firmware back (spc-download.md "Phases", backup):
 * only from the buffer the family data names, and never past its dump. */
static gboolean
check_read_buffer_dump (Check *check)
{
  const RfSpcDownload *download = &check->list->family->download;
  guint32 offset = cdb_be (check->command, 3, 3);
  guint32 length = cdb_be (check->command, 6, 3);

  if (!download->has_dump || !allows_dump (check->list))
    return refuse (check, "READ BUFFER mode 0x02 belongs to the backup of a family with a dump");
  if (length == 0 || offset >= download->dump_length || length > download->dump_length - offset)
    return refuse (check, "READ BUFFER of %u bytes at offset %u reaches past the %u-byte dump",
                   length, offset, download->dump_length);
  return require_byte (check, 2, download->dump_buffer_id) &&
         require_shape (check, 10, RF_DIRECTION_IN, length) && require_zero (check, 9, 9);
}

static gboolean
check_read_buffer (Check *check)
{
  const RfAllowList *list = check->list;
  guint8 mode;

  if (!family_speaks (list, "spc-download") || !allows_identification (list))
    return refuse (check, "READ BUFFER belongs to the identification of SPC families");
  if (check->command->cdb_length != 10)
    return require_shape (check, 10, RF_DIRECTION_IN, 0);
  mode = check->command->cdb[1];
  if (mode == SPC_MODE_DATA)
    return check_read_buffer_dump (check);
  if (mode != SPC_MODE_DESCRIPTOR)
    /* Mode 0x0F needs family data that says the drive has it. */
    return refuse (check, "READ BUFFER mode 0x%02X is not allowed for this family", mode);
  return require_byte (check, 2, list->family->download.buffer_id) &&
         require_zero (check, 3, 5) &&
         require_shape (check, 10, RF_DIRECTION_IN, cdb_be (check->command, 6, 3)) &&
         (cdb_be (check->command, 6, 3) == 4 ||
          refuse (check, "READ BUFFER descriptor of %u bytes, must be 4",
                  cdb_be (check->command, 6, 3))) &&
         require_zero (check, 9, 9);
}

static gboolean
check_write_buffer_upload (Check *check)
{
  const RfSpcDownload *download = &check->list->family->download;
  guint8 mode = rf_spc_variant_get_mode (download->variant);
  guint32 offset = cdb_be (check->command, 3, 3);
  guint32 length = cdb_be (check->command, 6, 3);

  if (!require_byte (check, 1, mode) || !require_byte (check, 2, download->buffer_id))
    return FALSE;
  if (length == 0)
    return refuse (check, "WRITE BUFFER with no data");
  if (offset < download->start_offset)
    return refuse (check, "WRITE BUFFER at offset 0x%X, before the family's start 0x%X",
                   offset, download->start_offset);
  if (download->variant == RF_SPC_VARIANT_SINGLE && offset != download->start_offset)
    return refuse (check, "a single-command download goes at offset 0x%X, not 0x%X",
                   download->start_offset, offset);
  if (download->chunk_size != 0 && length > download->chunk_size)
    return refuse (check, "WRITE BUFFER of %u bytes, above the family's chunk of %u",
                   length, download->chunk_size);
  return require_shape (check, 10, RF_DIRECTION_OUT, length) && require_zero (check, 9, 9);
}

static gboolean
check_write_buffer (Check *check)
{
  const RfAllowList *list = check->list;

  if (!family_speaks (list, "spc-download") || list->stage != RF_GATE_STAGE_FLASH)
    return refuse (check, "WRITE BUFFER belongs to the upload of an SPC flash");
  if (check->command->cdb_length != 10)
    return require_shape (check, 10, RF_DIRECTION_OUT, 0);
  if (list->phase == RF_PHASE_UPLOAD)
    return check_write_buffer_upload (check);
  if ((list->phase == RF_PHASE_ACTIVATE || list->phase == RF_PHASE_PROGRAM) &&
      list->family->download.variant == RF_SPC_VARIANT_DEFERRED)
    return require_byte (check, 1, SPC_MODE_ACTIVATE) && require_zero (check, 2, 9) &&
           require_shape (check, 10, RF_DIRECTION_NONE, 0);
  return refuse (check, "WRITE BUFFER is not allowed in the %s phase of this family",
                 rf_phase_to_nick (list->phase));
}

/* NEC 2 MiB (nec-2m.md §1-§4): 12-byte CDBs, bank bit always 0. */

static gboolean
is_main_dump_read (guint32 address,
                   guint32 length)
{
  return length == RF_NEC_DUMP_CHUNK && address >= RF_NEC_MAIN_START &&
         address < RF_NEC_MAIN_END && (address - RF_NEC_MAIN_START) % RF_NEC_DUMP_CHUNK == 0;
}

static gboolean
check_read_mem (Check *check)
{
  const RfAllowList *list = check->list;
  guint32 address = cdb_be (check->command, 2, 4);
  guint32 length = cdb_be (check->command, 7, 2);
  gboolean id_read = (address == RF_NEC_DRIVE_ID_ADDRESS && length == NEC_ID_READ_LENGTH) ||
                     (address == RF_NEC_RID_ADDRESS && length == RF_NEC_RID_LENGTH);

  /* Bytes 9-11 would carry a dump-ID ('R' 'D' id), which this family never uses. */
  if (!require_zero (check, 6, 6) || !require_zero (check, 9, 11))
    return FALSE;
  if (id_read && !allows_identification (list))
    return refuse (check, "READ MEM is not allowed at this stage");
  if (!id_read && !(is_main_dump_read (address, length) && allows_dump (list)))
    return refuse (check, "READ MEM of 0x%X bytes at 0x%06X is not allowed at this stage",
                   length, address);
  return require_shape (check, RF_NEC_CDB_LENGTH, RF_DIRECTION_IN, length);
}

/* The key must be one of the five canonical keys of nec-2m.md §2, whatever a
 * data file lists, and one the family names. */
static gboolean
check_key (Check *check,
           char   key[5])
{
  const RfNecType *type;

  memcpy (key, check->command->cdb + 4, 4);
  key[4] = '\0';
  type = rf_nec_type_from_id (key);
  if (type == NULL || !g_str_equal (type->id, key))
    return refuse (check, "SAFE MODE key %02X %02X %02X %02X is not a canonical key",
                   check->command->cdb[4], check->command->cdb[5], check->command->cdb[6],
                   check->command->cdb[7]);
  if (!g_strv_contains ((const char * const *) check->list->family->safe_mode_keys, key))
    return refuse (check, "SAFE MODE key %s is not one of the family's keys", key);
  return TRUE;
}

static gboolean
check_flash_key (Check      *check,
                 const char *key)
{
  if (check->list->key == NULL || !g_str_equal (check->list->key, key))
    return refuse (check, "SAFE MODE with %s; this flash uses the bootcode's key %s", key,
                   check->list->key != NULL ? check->list->key : "(none)");
  return TRUE;
}

static gboolean
check_safe_mode (Check *check)
{
  const RfAllowList *list = check->list;
  gboolean enter;
  char key[5];

  if (!require_shape (check, RF_NEC_CDB_LENGTH, RF_DIRECTION_NONE, 0) ||
      !require_zero (check, 3, 3) || !require_byte (check, 8, 0x01) ||
      !require_zero (check, 9, 11))
    return FALSE;
  if (check->command->cdb[2] > 0x01)
    return refuse (check, "SAFE MODE with ee 0x%02X", check->command->cdb[2]);
  if (!check_key (check, key))
    return FALSE;
  enter = check->command->cdb[2] == 0x01;
  check->kind = enter ? RF_ALLOWED_SAFE_MODE_ENTER : RF_ALLOWED_SAFE_MODE_LEAVE;
  if (allows_identification (list))
    return TRUE;
  /* A flash enters in its own phase, and leaves to restart or, before the
   * erase, to give back a drive that was found in normal mode. */
  if (in_flash_phase (list, RF_PHASE_ENTER_SAFE_MODE) && enter)
    return check_flash_key (check, key);
  if ((in_flash_phase (list, RF_PHASE_UPLOAD) || in_flash_phase (list, RF_PHASE_CHECKSUM) ||
       in_flash_phase (list, RF_PHASE_RESTART)) && !enter)
    return check_flash_key (check, key);
  return refuse (check, "SAFE MODE %s is not allowed at this stage", enter ? "enter" : "leave");
}

static gboolean
check_send_checksum (Check *check)
{
  if (!in_flash_phase (check->list, RF_PHASE_CHECKSUM))
    return refuse (check, "SEND CHECKSUM belongs to the checksum phase of a flash");
  /* Byte 7 (Blu-ray only), byte 8 (index 0) and byte 9 (area 00, the main
   * firmware; 01 is the bootcode) are all zero. */
  return require_shape (check, RF_NEC_CDB_LENGTH, RF_DIRECTION_NONE, 0) &&
         require_zero (check, 4, 11);
}

static gboolean
check_control (Check *check)
{
  if (check->command->cdb_length != RF_NEC_CDB_LENGTH)
    return require_shape (check, RF_NEC_CDB_LENGTH, check->command->direction,
                          check->command->data_length);
  switch (check->command->cdb[1])
    {
    case NEC_READ_MEM:
      return check_read_mem (check);
    case NEC_SAFE_MODE:
      return check_safe_mode (check);
    case NEC_SEND_CHECKSUM:
      return check_send_checksum (check);
    default:
      return refuse (check, "NEC subcommand CC %02X is never sent", check->command->cdb[1]);
    }
}

static gboolean
check_write_ram (Check *check)
{
  guint32 address = cdb_be (check->command, 2, 4);

  if (!in_flash_phase (check->list, RF_PHASE_UPLOAD))
    return refuse (check, "WRITE RAM belongs to the upload phase of a flash");
  if (address < RF_NEC_MAIN_START || address >= RF_NEC_MAIN_END ||
      (address - RF_NEC_MAIN_START) % RF_NEC_UPLOAD_CHUNK != 0)
    return refuse (check, "WRITE RAM at 0x%06X is outside the main firmware's pieces", address);
  /* nn = 08 (32 KiB), area 00: never the bootcode (ar = 01). */
  return require_zero (check, 6, 7) && require_byte (check, 8, RF_NEC_UPLOAD_CHUNK / 0x1000) &&
         require_zero (check, 9, 11) &&
         require_shape (check, RF_NEC_CDB_LENGTH, RF_DIRECTION_OUT, RF_NEC_UPLOAD_CHUNK);
}

/* The block a mask names: exactly one bit in bytes 2-8 (nec-2m.md §1). */
static gboolean
mask_block (Check *check,
            guint *block)
{
  guint bits = 0;

  for (guint byte = 2; byte <= 8; byte++)
    for (guint bit = 0; bit < 8; bit++)
      if (check->command->cdb[byte] & (1u << bit))
        {
          bits++;
          *block = (8 - byte) * 8 + bit;
        }
  if (bits != 1)
    return refuse (check, "block mask names %u blocks, must name one", bits);
  return TRUE;
}

static gboolean
check_block_command (Check   *check,
                     RfPhase  phase,
                     guint    last_block)
{
  guint block = 0;

  if (!in_flash_phase (check->list, phase))
    return refuse (check, "%s belongs to the %s phase of a flash",
                   phase == RF_PHASE_ERASE ? "ERASE BLOCK" : "PROGRAM BLOCK",
                   rf_phase_to_nick (phase));
  if (!require_shape (check, RF_NEC_CDB_LENGTH, RF_DIRECTION_NONE, 0) ||
      !require_zero (check, 9, 11) || !mask_block (check, &block))
    return FALSE;
  /* Blocks 0-3 hold the bootcode and the drive's identity: never touched. */
  if (block < RF_NEC_FIRST_MAIN_BLOCK || block > last_block)
    return refuse (check, "block %u is outside blocks %u-%u", block, RF_NEC_FIRST_MAIN_BLOCK,
                   last_block);
  return TRUE;
}

static gboolean
check_write (Check *check)
{
  if (check->command->cdb_length != RF_NEC_CDB_LENGTH)
    return require_shape (check, RF_NEC_CDB_LENGTH, check->command->direction,
                          check->command->data_length);
  switch (check->command->cdb[1])
    {
    case NEC_WRITE_RAM:
      return check_write_ram (check);
    case NEC_PROGRAM_BLOCK:
      return check_block_command (check, RF_PHASE_PROGRAM, RF_NEC_LAST_PROGRAM_BLOCK);
    case NEC_ERASE_BLOCK:
      return check_block_command (check, RF_PHASE_ERASE, RF_NEC_LAST_ERASE_BLOCK);
    default:
      /* WRITE SETTINGS (CB 00) rewrites the identity: never. */
      return refuse (check, "NEC subcommand CB %02X is never sent", check->command->cdb[1]);
    }
}

static gboolean
check_nec (Check *check)
{
  if (!family_speaks (check->list, "nec-2m"))
    return refuse (check, "vendor opcode for a drive that is not of the NEC 2 MiB family");
  if (check->command->cdb[0] == RF_NEC_OP_CONTROL)
    return check_control (check);
  if (check->command->cdb[0] == RF_NEC_OP_WRITE)
    return check_write (check);
  return refuse (check, "READ BOOT and other CD commands are never sent");
}

static gboolean
check_command (Check *check)
{
  switch (check->command->cdb[0])
    {
    case OP_TEST_UNIT_READY:
      return check_test_unit_ready (check);
    case OP_INQUIRY:
      return check_inquiry (check);
    case OP_GET_CONFIGURATION:
      return check_get_configuration (check);
    case OP_READ_BUFFER:
      return check_read_buffer (check);
    case OP_WRITE_BUFFER:
      return check_write_buffer (check);
    case RF_NEC_OP_CONTROL:
    case RF_NEC_OP_WRITE:
    case RF_NEC_OP_BOOT:
      return check_nec (check);
    default:
      return refuse (check, "opcode 0x%02X is not on any allow-list", check->command->cdb[0]);
    }
}

/**
 * rf_allow_list_check:
 * @list: the stage's description
 * @command: a built command, not sent yet
 * @kind: (out) (optional): what passed, for the gate's stateful rules
 * @reason: (out) (optional): why the command was refused
 *
 * Returns: %TRUE when @command may be sent at this stage
 */
gboolean
rf_allow_list_check (const RfAllowList *list,
                     const RfCommand   *command,
                     RfAllowedKind     *kind,
                     char             **reason)
{
  Check check = { list, command, RF_ALLOWED_PLAIN, NULL };
  gboolean allowed;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);

  if (command->cdb_length == 0 || command->cdb_length > RF_CDB_MAX)
    allowed = refuse (&check, "no CDB (length %" G_GSIZE_FORMAT ")", command->cdb_length);
  else if (list->stage == RF_GATE_STAGE_CLOSED)
    allowed = refuse (&check, "the gate is closed");
  else
    allowed = check_command (&check);
  if (kind != NULL)
    *kind = check.kind;
  if (reason != NULL)
    *reason = g_steal_pointer (&check.reason);
  g_free (check.reason);
  return allowed;
}

const char *
rf_gate_stage_to_nick (RfGateStage stage)
{
  switch (stage)
    {
    case RF_GATE_STAGE_CLOSED:
      return "closed";
    case RF_GATE_STAGE_PASSIVE:
      return "passive";
    case RF_GATE_STAGE_IDENTIFY:
      return "identify";
    case RF_GATE_STAGE_BACKUP:
      return "backup";
    case RF_GATE_STAGE_FLASH:
      return "flash";
    case RF_GATE_STAGE_AFTER_FAILURE:
      return "after-failure";
    default:
      return "unknown";
    }
}

/**
 * rf_allow_list_describe:
 *
 * Returns: (transfer full): the stage for logs: "identify nec-2m", "flash
 *   nec-2m erase"
 */
char *
rf_allow_list_describe (const RfAllowList *list)
{
  g_return_val_if_fail (list != NULL, NULL);

  return g_strdup_printf ("%s%s%s%s%s", rf_gate_stage_to_nick (list->stage),
                          list->family != NULL ? " " : "",
                          list->family != NULL ? list->family->id : "",
                          list->stage == RF_GATE_STAGE_FLASH ? " " : "",
                          list->stage == RF_GATE_STAGE_FLASH ? rf_phase_to_nick (list->phase)
                                                             : "");
}
