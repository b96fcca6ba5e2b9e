/* rf-sim-reply.c: answers every practice drive model builds the same way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-sense.h"
#include "rf-sim-drive-private.h"

void
rf_sim_put_padded (guint8     *dest,
                   gsize       width,
                   const char *text,
                   char        pad)
{
  gsize n = text != NULL ? MIN (strlen (text), width) : 0;

  memset (dest, pad, width);
  if (n > 0)
    memcpy (dest, text, n);
}

gboolean
rf_sim_cdb_zero (const RfCommand *command,
                 gsize            from,
                 gsize            to)
{
  for (gsize i = from; i < to; i++)
    if (command->cdb[i] != 0)
      return FALSE;
  return TRUE;
}

void
rf_sim_reply_data (RfCommand    *command,
                   const guint8 *data,
                   gsize         length)
{
  gsize n = MIN (length, command->data_length);

  if (command->direction != RF_DIRECTION_IN)
    n = 0;
  if (n > 0)
    memcpy (command->data, data, n);
  command->residual = command->data_length - n;
}

/* Standard INQUIRY data, 0x60 bytes, as an ATAPI CD/DVD drive gives it. */
void
rf_sim_reply_inquiry (RfCommand  *command,
                      const char *vendor,
                      const char *product,
                      const char *revision,
                      const char *vendor_specific)
{
  guint8 data[RF_SIM_INQUIRY_LENGTH] = { 0 };
  gsize allocation = (gsize) command->cdb[3] << 8 | command->cdb[4];

  if (allocation > 0 && command->direction != RF_DIRECTION_IN)
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00);
      return;
    }
  data[0] = 0x05; /* CD/DVD device */
  data[1] = 0x80; /* removable */
  data[3] = 0x02; /* response data format */
  data[4] = RF_SIM_INQUIRY_LENGTH - 5;
  rf_sim_put_padded (data + 8, 8, vendor, ' ');
  rf_sim_put_padded (data + 16, 16, product, ' ');
  rf_sim_put_padded (data + 32, 4, revision, ' ');
  rf_sim_put_padded (data + 36, 20, vendor_specific, ' ');
  rf_sim_reply_data (command, data, MIN (allocation, sizeof data));
}

static gsize
put_feature (guint8     *out,
             guint16     code,
             guint8      flags,
             const void *data,
             gsize       length)
{
  out[0] = (guint8) (code >> 8);
  out[1] = (guint8) code;
  out[2] = flags;
  out[3] = (guint8) length;
  memcpy (out + 4, data, length);
  return 4 + length;
}

/* GET CONFIGURATION: 46 rt sf sf 00 00 00 al al 00. Features 0x0104 (Microcode
 * Upgrade, M5 bit) for a drive that takes WRITE BUFFER downloads, and 0x010C
 * (Firmware Information) when the date is known. */
void
rf_sim_reply_configuration (RfCommand  *command,
                            gboolean    disc,
                            gboolean    microcode_upgrade,
                            gboolean    mode5,
                            const char *firmware_date)
{
  guint8 data[64] = { 0 };
  guint8 microcode[4] = { mode5 ? 0x01 : 0x00, 0, 0, 0 };
  guint8 date[16] = { 0 };
  guint8 rt = command->cdb[1];
  guint16 start = (guint16) (command->cdb[2] << 8 | command->cdb[3]);
  gsize allocation = (gsize) command->cdb[7] << 8 | command->cdb[8];
  gsize length = 8;

  if (command->cdb_length != 10 || rt > 2 || !rf_sim_cdb_zero (command, 4, 7) ||
      command->cdb[9] != 0 || (allocation > 0 && command->direction != RF_DIRECTION_IN))
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00);
      return;
    }
  data[7] = disc ? 0x10 : 0x00; /* current profile: DVD-ROM, or none */
  if (microcode_upgrade && (rt == 2 ? start == 0x0104 : start <= 0x0104))
    length += put_feature (data + length, 0x0104, 0x07, microcode, sizeof microcode);
  if (firmware_date != NULL && (rt == 2 ? start == 0x010c : start <= 0x010c))
    {
      memcpy (date, firmware_date, 14);
      length += put_feature (data + length, 0x010c, 0x03, date, sizeof date);
    }
  data[0] = (guint8) ((length - 4) >> 24);
  data[1] = (guint8) ((length - 4) >> 16);
  data[2] = (guint8) ((length - 4) >> 8);
  data[3] = (guint8) (length - 4);
  rf_sim_reply_data (command, data, MIN (allocation, length));
}

