/* rf-command.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-command.h"
#include "rf-error.h"

/**
 * rf_command_init:
 *
 * Fills @command, or, when the arguments make no command, leaves it empty
 * (CDB length 0), which every transport refuses: a command whose building
 * failed can never be sent half-built.
 *
 * Returns: %TRUE when @command was built
 */
gboolean
rf_command_init (RfCommand    *command,
                 const guint8 *cdb,
                 gsize         cdb_length,
                 RfDirection   direction,
                 guint8       *data,
                 gsize         data_length,
                 guint         timeout_ms)
{
  g_return_val_if_fail (command != NULL, FALSE);

  *command = (RfCommand) { 0 };
  g_return_val_if_fail (cdb != NULL, FALSE);
  g_return_val_if_fail (cdb_length > 0 && cdb_length <= RF_CDB_MAX, FALSE);
  g_return_val_if_fail (direction == RF_DIRECTION_NONE || data != NULL || data_length == 0,
                        FALSE);
  g_return_val_if_fail (direction != RF_DIRECTION_NONE || data_length == 0, FALSE);

  memcpy (command->cdb, cdb, cdb_length);
  command->cdb_length = cdb_length;
  command->direction = direction;
  command->data = direction == RF_DIRECTION_NONE ? NULL : data;
  command->data_length = direction == RF_DIRECTION_NONE ? 0 : data_length;
  command->timeout_ms = timeout_ms;
  return TRUE;
}

/**
 * rf_command_is_well_formed:
 *
 * Returns: %TRUE when @command has a CDB and a data buffer that agree with
 *   its direction; transports refuse anything else before sending
 */
gboolean
rf_command_is_well_formed (const RfCommand *command)
{
  g_return_val_if_fail (command != NULL, FALSE);

  if (command->cdb_length == 0 || command->cdb_length > RF_CDB_MAX)
    return FALSE;
  if (command->direction == RF_DIRECTION_NONE)
    return command->data_length == 0;
  return command->direction <= RF_DIRECTION_OUT &&
         (command->data != NULL || command->data_length == 0);
}

void
rf_command_reset_result (RfCommand *command)
{
  g_return_if_fail (command != NULL);

  command->status = RF_STATUS_GOOD;
  memset (command->sense, 0, sizeof command->sense);
  command->sense_length = 0;
  command->residual = 0;
  command->duration_us = 0;
}

gboolean
rf_command_get_sense (const RfCommand *command,
                      RfSense         *sense)
{
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (sense != NULL, FALSE);

  return rf_sense_parse (command->sense, command->sense_length, sense);
}

gboolean
rf_command_is_good (const RfCommand *command)
{
  g_return_val_if_fail (command != NULL, FALSE);
  return command->status == RF_STATUS_GOOD;
}

/* Maps what a drive answered to the error code a caller acts on. The
 * context-specific reading (is 05/20/00 a bridge, or a drive without the command?)
 * belongs to the caller; this is the default. */
static RfError
error_code_for_sense (const RfSense *sense)
{
  if (!sense->valid)
    return RF_ERROR_INVALID_DATA;
  if (sense->key == RF_SENSE_KEY_NOT_READY && sense->asc == 0x3a)
    return RF_ERROR_NO_MEDIUM;
  if ((sense->key == RF_SENSE_KEY_NOT_READY && sense->asc == 0x04) || sense->asc == 0x3e)
    return RF_ERROR_BUSY;
  if (sense->key == RF_SENSE_KEY_ILLEGAL_REQUEST && sense->asc == 0x20)
    return RF_ERROR_VENDOR_REFUSED;
  if (sense->key == RF_SENSE_KEY_ILLEGAL_REQUEST)
    return RF_ERROR_NOT_SUPPORTED;
  if (sense->key == RF_SENSE_KEY_UNIT_ATTENTION)
    return RF_ERROR_BUSY;
  if (sense->key == RF_SENSE_KEY_MEDIUM_ERROR || sense->key == RF_SENSE_KEY_HARDWARE_ERROR)
    return RF_ERROR_WRITE;
  return RF_ERROR_INVALID_DATA;
}

/**
 * rf_command_check:
 * @command: an executed command
 * @error: return location
 *
 * Turns a non-GOOD status into an #RF_ERROR whose message names the command and
 * sg_lib's reading of the sense, e.g. "READ MEM: Illegal Request, Invalid field
 * in cdb (05/24/00)".
 */
gboolean
rf_command_check (const RfCommand *command,
                  GError         **error)
{
  RfSense sense;
  g_autofree char *what = NULL;

  g_return_val_if_fail (command != NULL, FALSE);

  if (command->status == RF_STATUS_GOOD)
    return TRUE;
  if (command->status != RF_STATUS_CHECK_CONDITION)
    {
      g_set_error (error, RF_ERROR,
                   command->status == RF_STATUS_BUSY ? RF_ERROR_BUSY : RF_ERROR_INVALID_DATA,
                   "%s: SCSI status 0x%02x", rf_command_opcode_name (command->cdb[0]),
                   command->status);
      return FALSE;
    }
  rf_command_get_sense (command, &sense);
  what = rf_sense_describe (&sense);
  g_set_error (error, RF_ERROR, error_code_for_sense (&sense), "%s: %s",
               rf_command_opcode_name (command->cdb[0]), what);
  return FALSE;
}

/**
 * rf_command_set_check_condition:
 *
 * Used by transports that answer for a drive (the practice drive, the helper's
 * client): sets CHECK CONDITION with fixed-format sense.
 */
void
rf_command_set_check_condition (RfCommand *command,
                                guint8     key,
                                guint8     asc,
                                guint8     ascq)
{
  g_return_if_fail (command != NULL);

  command->status = RF_STATUS_CHECK_CONDITION;
  command->sense_length = rf_sense_build_fixed (command->sense, sizeof command->sense,
                                                key, asc, ascq);
}

char *
rf_command_describe_cdb (const RfCommand *command)
{
  GString *text;

  g_return_val_if_fail (command != NULL, NULL);

  text = g_string_new (NULL);
  for (gsize i = 0; i < command->cdb_length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : " %02X", command->cdb[i]);
  return g_string_free (text, FALSE);
}

const char *
rf_command_opcode_name (guint8 opcode)
{
  switch (opcode)
    {
    case 0x00:
      return "TEST UNIT READY";
    case 0x03:
      return "REQUEST SENSE";
    case 0x12:
      return "INQUIRY";
    case 0x3b:
      return "WRITE BUFFER";
    case 0x3c:
      return "READ BUFFER";
    case 0x46:
      return "GET CONFIGURATION";
    case 0xcb:
      return "NEC WRITE (CB)";
    case 0xcc:
      return "NEC CONTROL (CC)";
    case 0xcd:
      return "NEC BOOT (CD)";
    default:
      return "SCSI command";
    }
}
