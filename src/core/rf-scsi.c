/* rf-scsi.c: CDB builders, senders and decoders for INQUIRY, TEST UNIT READY,
 * GET CONFIGURATION, READ BUFFER and the NEC 2M vendor commands
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-scsi.h"

static void
put_be16 (guint8 *p,
          guint16 value)
{
  p[0] = (guint8) (value >> 8);
  p[1] = (guint8) value;
}

static void
put_be24 (guint8 *p,
          guint32 value)
{
  p[0] = (guint8) (value >> 16);
  p[1] = (guint8) (value >> 8);
  p[2] = (guint8) value;
}

static void
put_be32 (guint8 *p,
          guint32 value)
{
  p[0] = (guint8) (value >> 24);
  put_be24 (p + 1, value);
}

/* Senders: a builder refused its arguments, which is the caller's mistake. */
static gboolean
build_failed (GError    **error,
              const char *what)
{
  g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "%s could not be built", what);
  return FALSE;
}

/* INQUIRY, 6 bytes: 12 00 00 00 60 00 (nec-2m.md §1). */
gboolean
rf_scsi_build_inquiry (RfCommand *command,
                       guint8     data[RF_SCSI_INQUIRY_LENGTH])
{
  guint8 cdb[6] = { 0x12, 0x00, 0x00, 0x00, RF_SCSI_INQUIRY_LENGTH, 0x00 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);
  memset (data, 0, RF_SCSI_INQUIRY_LENGTH);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_IN, data, RF_SCSI_INQUIRY_LENGTH,
                          RF_SCSI_TIMEOUT_SCAN_MS);
}

gboolean
rf_scsi_build_test_unit_ready (RfCommand *command)
{
  const guint8 cdb[6] = { 0 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0,
                          RF_SCSI_TIMEOUT_SCAN_MS);
}

/* GET CONFIGURATION (MMC), 10 bytes: RT = 2 asks for the one feature named in
 * bytes 2-3; bytes 7-8 are the allocation length. */
gboolean
rf_scsi_build_get_configuration (RfCommand *command,
                                 guint16    feature,
                                 guint8    *data,
                                 gsize      length)
{
  guint8 cdb[10] = { 0x46, 0x02 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (length > 0 && length <= G_MAXUINT16, FALSE);

  put_be16 (cdb + 2, feature);
  put_be16 (cdb + 7, (guint16) length);
  memset (data, 0, length);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_IN, data, length,
                          RF_SCSI_TIMEOUT_SCAN_MS);
}

/* READ BUFFER mode 3 (descriptor), 10 bytes: 3C 03 id 000000 000004 00. */
gboolean
rf_scsi_build_read_buffer_descriptor (RfCommand *command,
                                      guint8     buffer_id,
                                      guint8     data[RF_SCSI_BUFFER_DESCRIPTOR_LENGTH])
{
  guint8 cdb[10] = { 0x3c, 0x03, buffer_id };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);

  put_be24 (cdb + 6, RF_SCSI_BUFFER_DESCRIPTOR_LENGTH);
  memset (data, 0, RF_SCSI_BUFFER_DESCRIPTOR_LENGTH);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_IN, data,
                          RF_SCSI_BUFFER_DESCRIPTOR_LENGTH, RF_SCSI_TIMEOUT_SCAN_MS);
}

/* READ BUFFER mode 2: @length bytes at @offset of buffer @buffer_id, for a
 * backup (spc-download.md, 60 s). */
gboolean
rf_scsi_build_read_buffer_data (RfCommand *command,
                                guint8     buffer_id,
                                guint32    offset,
                                guint8    *data,
                                gsize      length)
{
  guint8 cdb[10] = { 0x3c, 0x02, buffer_id };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (length > 0 && length <= 0xffffff && offset <= 0xffffff, FALSE);

  put_be24 (cdb + 3, offset);
  put_be24 (cdb + 6, (guint32) length);
  memset (data, 0, length);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_IN, data, length,
                          RF_SCSI_TIMEOUT_DUMP_MS);
}

/* WRITE BUFFER with data (spc-download.md): 3B mode id o2 o1 o0 l2 l1 l0 00.
 * Only the download modes Reflash sends: 5 (one command), 7 and 0x0E (chunks).
 * Every WRITE BUFFER may program flash inside the command: 300 s. */
gboolean
rf_scsi_build_write_buffer (RfCommand *command,
                            guint8     mode,
                            guint8     buffer_id,
                            guint32    offset,
                            guint8    *data,
                            gsize      length)
{
  guint8 cdb[10] = { 0x3b, mode, buffer_id };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (mode == RF_SCSI_WRITE_BUFFER_SAVE || mode == RF_SCSI_WRITE_BUFFER_OFFSETS ||
                        mode == RF_SCSI_WRITE_BUFFER_DEFERRED, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (length > 0 && length <= 0xffffff && offset <= 0xffffff, FALSE);

  put_be24 (cdb + 3, offset);
  put_be24 (cdb + 6, (guint32) length);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_OUT, data, length,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

/* WRITE BUFFER mode 0x0F: activate deferred microcode; no data, every other
 * field 0. */
gboolean
rf_scsi_build_activate_microcode (RfCommand *command)
{
  guint8 cdb[10] = { 0x3b, RF_SCSI_WRITE_BUFFER_ACTIVATE };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

/* READ MEM: CC 00 a3 a2 a1 a0 00 l1 l0 00 00 00. The transfer is L rounded up to
 * a multiple of 4, so @length must already be one. Short identification reads
 * get the 20 s value, dump-sized reads 60 s. */
gboolean
rf_nec_build_read_mem (RfCommand *command,
                       guint32    address,
                       guint8    *data,
                       gsize      length)
{
  guint8 cdb[RF_NEC_CDB_LENGTH] = { RF_NEC_OP_CONTROL, 0x00 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (length > 0 && length <= G_MAXUINT16 && length % 4 == 0, FALSE);

  put_be32 (cdb + 2, address);
  put_be16 (cdb + 7, (guint16) length);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_IN, data, length,
                          length <= RF_NEC_RID_LENGTH ? RF_SCSI_TIMEOUT_SCAN_MS
                                                      : RF_SCSI_TIMEOUT_DUMP_MS);
}

/* SAFE MODE: CC 01 ee 00 k0 k1 k2 k3 01 00 00 00; 300 s, never the scan value. */
gboolean
rf_nec_build_safe_mode (RfCommand  *command,
                        gboolean    enter,
                        const char *key)
{
  guint8 cdb[RF_NEC_CDB_LENGTH] = { RF_NEC_OP_CONTROL, 0x01 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (key != NULL && strlen (key) == 4, FALSE);

  cdb[2] = enter ? 0x01 : 0x00;
  memcpy (cdb + 4, key, 4);
  cdb[8] = 0x01;
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

/* SEND CHECKSUM: CC 04 c1 c0 00 00 00 00 00 ar 00 00, main firmware area only. */
gboolean
rf_nec_build_send_checksum (RfCommand *command,
                            guint16    checksum)
{
  guint8 cdb[RF_NEC_CDB_LENGTH] = { RF_NEC_OP_CONTROL, 0x04 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };

  put_be16 (cdb + 2, checksum);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

/* WRITE RAM: CB 01 a3 a2 a1 a0 00 00 nn ar 00 00, nn 4 KiB units, area 00. */
gboolean
rf_nec_build_write_ram (RfCommand *command,
                        guint32    address,
                        guint8    *data,
                        gsize      length)
{
  guint8 cdb[RF_NEC_CDB_LENGTH] = { RF_NEC_OP_WRITE, 0x01 };

  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (length > 0 && length % 0x1000 == 0 && length / 0x1000 <= 0xff, FALSE);

  put_be32 (cdb + 2, address);
  cdb[8] = (guint8) (length / 0x1000);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_OUT, data, length,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

static gboolean
build_block_command (RfCommand *command,
                     guint8     subcommand,
                     guint      block)
{
  guint8 cdb[RF_NEC_CDB_LENGTH] = { RF_NEC_OP_WRITE, subcommand };

  rf_nec_block_mask (block, cdb);
  return rf_command_init (command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0,
                          RF_SCSI_TIMEOUT_FLASH_MS);
}

/* PROGRAM BLOCK: CB 02 + bitmask. Reflash never programs blocks 0-3. */
gboolean
rf_nec_build_program_block (RfCommand *command,
                            guint      block)
{
  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (block >= RF_NEC_FIRST_MAIN_BLOCK && block <= RF_NEC_LAST_PROGRAM_BLOCK,
                        FALSE);
  return build_block_command (command, 0x02, block);
}

/* ERASE BLOCK: CB 04 + bitmask. Reflash never erases blocks 0-3. */
gboolean
rf_nec_build_erase_block (RfCommand *command,
                          guint      block)
{
  g_return_val_if_fail (command != NULL, FALSE);
  *command = (RfCommand) { 0 };
  g_return_val_if_fail (block >= RF_NEC_FIRST_MAIN_BLOCK && block <= RF_NEC_LAST_ERASE_BLOCK,
                        FALSE);
  return build_block_command (command, 0x04, block);
}

gboolean
rf_scsi_inquiry (RfTransport  *transport,
                 guint8        data[RF_SCSI_INQUIRY_LENGTH],
                 GCancellable *cancellable,
                 GError      **error)
{
  RfCommand command;

  g_return_val_if_fail (RF_IS_TRANSPORT (transport), FALSE);

  if (!rf_scsi_build_inquiry (&command, data))
    return build_failed (error, "INQUIRY");
  if (!rf_transport_run (transport, &command, cancellable, error))
    return FALSE;
  /* Vendor, product and revision end at byte 35: anything shorter is no answer. */
  if (command.data_length - command.residual < RF_SCSI_INQUIRY_SPECIFIC)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "INQUIRY: only %" G_GSIZE_FORMAT " bytes returned",
                   command.data_length - command.residual);
      return FALSE;
    }
  return TRUE;
}

/**
 * rf_scsi_get_feature:
 * @descriptor: (out): where the feature descriptor is copied
 * @descriptor_length: (out): its length; 0 when the drive does not list the feature
 *
 * Asks for one feature and checks the code of what came back: some drives (and
 * QEMU) ignore the starting feature and list others.
 *
 * Returns: %TRUE when the drive answered GOOD, whether or not it has the feature
 */
gboolean
rf_scsi_get_feature (RfTransport  *transport,
                     guint16       feature,
                     guint8       *descriptor,
                     gsize         length,
                     gsize        *descriptor_length,
                     GCancellable *cancellable,
                     GError      **error)
{
  guint8 data[RF_SCSI_CONFIGURATION_LENGTH];
  RfCommand command;
  const guint8 *found;
  gsize found_length = 0;

  g_return_val_if_fail (RF_IS_TRANSPORT (transport), FALSE);
  g_return_val_if_fail (descriptor != NULL && descriptor_length != NULL, FALSE);

  *descriptor_length = 0;
  if (!rf_scsi_build_get_configuration (&command, feature, data, sizeof data))
    return build_failed (error, "GET CONFIGURATION");
  if (!rf_transport_run (transport, &command, cancellable, error))
    return FALSE;
  found = rf_scsi_find_feature (data, command.data_length - command.residual, feature,
                                &found_length);
  if (found != NULL)
    {
      *descriptor_length = MIN (found_length, length);
      memcpy (descriptor, found, *descriptor_length);
    }
  return TRUE;
}

gboolean
rf_scsi_read_buffer_descriptor (RfTransport  *transport,
                                guint8        buffer_id,
                                guint8       *offset_boundary,
                                guint32      *capacity,
                                GCancellable *cancellable,
                                GError      **error)
{
  guint8 data[RF_SCSI_BUFFER_DESCRIPTOR_LENGTH];
  RfCommand command;

  g_return_val_if_fail (RF_IS_TRANSPORT (transport), FALSE);

  if (!rf_scsi_build_read_buffer_descriptor (&command, buffer_id, data))
    return build_failed (error, "READ BUFFER");
  if (!rf_transport_run (transport, &command, cancellable, error))
    return FALSE;
  if (command.residual > 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "READ BUFFER descriptor: %" G_GSIZE_FORMAT " of 4 bytes returned",
                   command.data_length - command.residual);
      return FALSE;
    }
  if (offset_boundary != NULL)
    *offset_boundary = data[0];
  if (capacity != NULL)
    *capacity = ((guint32) data[1] << 16) | ((guint32) data[2] << 8) | data[3];
  return TRUE;
}

gboolean
rf_nec_read_mem (RfTransport  *transport,
                 guint32       address,
                 guint8       *data,
                 gsize         length,
                 GCancellable *cancellable,
                 GError      **error)
{
  RfCommand command;

  g_return_val_if_fail (RF_IS_TRANSPORT (transport), FALSE);

  if (!rf_nec_build_read_mem (&command, address, data, length))
    return build_failed (error, "READ MEM");
  if (!rf_transport_run (transport, &command, cancellable, error))
    {
      g_prefix_error (error, "at 0x%04x: ", address);
      return FALSE;
    }
  return TRUE;
}

guint8
rf_scsi_inquiry_device_type (const guint8 *data)
{
  g_return_val_if_fail (data != NULL, 0x1f);
  return data[0] & 0x1f;
}

/* ASCII fields as people see them: trailing spaces and NULs go, anything not
 * printable becomes '?', so the text is always valid UTF-8. */
static char *
ascii_field (const guint8 *data,
             gsize         length)
{
  GString *text;

  while (length > 0 && (data[length - 1] == ' ' || data[length - 1] == 0x00))
    length--;
  text = g_string_sized_new (length);
  for (gsize i = 0; i < length; i++)
    g_string_append_c (text, data[i] >= 0x20 && data[i] < 0x7f ? (char) data[i] : '?');
  return g_string_free (text, FALSE);
}

void
rf_scsi_inquiry_to_identity (const guint8    *data,
                             gsize            length,
                             RfDriveIdentity *identity)
{
  gsize available;

  g_return_if_fail (data != NULL && identity != NULL);
  g_return_if_fail (length >= RF_SCSI_INQUIRY_SPECIFIC);

  g_free (identity->vendor);
  g_free (identity->product);
  g_free (identity->revision);
  g_clear_pointer (&identity->vendor_specific, g_free);
  identity->vendor = ascii_field (data + RF_SCSI_INQUIRY_VENDOR, RF_SCSI_INQUIRY_VENDOR_LEN);
  identity->product = ascii_field (data + RF_SCSI_INQUIRY_PRODUCT, RF_SCSI_INQUIRY_PRODUCT_LEN);
  identity->revision = ascii_field (data + RF_SCSI_INQUIRY_REVISION,
                                    RF_SCSI_INQUIRY_REVISION_LEN);
  /* Byte 4 counts the bytes after it: the vendor-specific field only if covered. */
  available = MIN (length, (gsize) data[4] + 5);
  if (available >= RF_SCSI_INQUIRY_SPECIFIC + RF_SCSI_INQUIRY_SPECIFIC_LEN)
    {
      identity->vendor_specific = ascii_field (data + RF_SCSI_INQUIRY_SPECIFIC,
                                               RF_SCSI_INQUIRY_SPECIFIC_LEN);
      if (identity->vendor_specific[0] == '\0')
        g_clear_pointer (&identity->vendor_specific, g_free);
    }
  identity->safe_mode = data[RF_SCSI_INQUIRY_REVISION] == '0' &&
                        data[RF_SCSI_INQUIRY_REVISION + 1] == '.';
}

/**
 * rf_scsi_find_feature:
 * @data: a GET CONFIGURATION answer: 8-byte header, then feature descriptors
 * @descriptor_length: (out) (optional): the descriptor's length
 *
 * Returns: (nullable): the descriptor of @feature inside @data
 */
const guint8 *
rf_scsi_find_feature (const guint8 *data,
                      gsize         length,
                      guint16       feature,
                      gsize        *descriptor_length)
{
  gsize end;
  gsize offset = 8;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 8)
    return NULL;
  /* Bytes 0-3: the length of what follows them. */
  end = MIN (length, 4 + (((gsize) data[0] << 24) | ((gsize) data[1] << 16) |
                          ((gsize) data[2] << 8) | data[3]));
  while (offset + 4 <= end)
    {
      guint16 code = (guint16) ((data[offset] << 8) | data[offset + 1]);
      gsize size = 4 + (gsize) data[offset + 3];

      if (code == feature)
        {
          if (descriptor_length != NULL)
            *descriptor_length = MIN (size, end - offset);
          return data + offset;
        }
      offset += size;
    }
  return NULL;
}

/**
 * rf_scsi_firmware_date:
 * @descriptor: feature 0x010C, Firmware Information
 *
 * Bytes 4-17 are ASCII: century, year, month, day, hour, minute, second, two
 * digits each.
 *
 * Returns: (transfer full) (nullable): "YYYY-MM-DD", or %NULL when malformed
 */
char *
rf_scsi_firmware_date (const guint8 *descriptor,
                       gsize         length)
{
  int month;
  int day;

  g_return_val_if_fail (descriptor != NULL || length == 0, NULL);

  if (length < 12 || ((descriptor[0] << 8) | descriptor[1]) != RF_SCSI_FEATURE_FIRMWARE_INFO)
    return NULL;
  for (gsize i = 4; i < 12; i++)
    if (!g_ascii_isdigit (descriptor[i]))
      return NULL;
  month = (descriptor[8] - '0') * 10 + (descriptor[9] - '0');
  day = (descriptor[10] - '0') * 10 + (descriptor[11] - '0');
  if (month < 1 || month > 12 || day < 1 || day > 31)
    return NULL;
  return g_strdup_printf ("%.4s-%.2s-%.2s", (const char *) descriptor + 4,
                          (const char *) descriptor + 8, (const char *) descriptor + 10);
}
