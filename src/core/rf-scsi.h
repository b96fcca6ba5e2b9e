/* rf-scsi.h: the commands Reflash sends, built byte by byte from the protocol pages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-drive-identity.h"
#include "rf-transport.h"

G_BEGIN_DECLS

/* Timeouts (nec-2m.md §1, spc-download.md "Timeouts and waits"). */
#define RF_SCSI_TIMEOUT_SCAN_MS      (20 * 1000)
#define RF_SCSI_TIMEOUT_DUMP_MS      (60 * 1000)
#define RF_SCSI_TIMEOUT_FLASH_MS     (300 * 1000)

#define RF_SCSI_INQUIRY_LENGTH       0x60
#define RF_SCSI_INQUIRY_VENDOR       8
#define RF_SCSI_INQUIRY_VENDOR_LEN   8
#define RF_SCSI_INQUIRY_PRODUCT      16
#define RF_SCSI_INQUIRY_PRODUCT_LEN  16
#define RF_SCSI_INQUIRY_REVISION     32
#define RF_SCSI_INQUIRY_REVISION_LEN 4
#define RF_SCSI_INQUIRY_SPECIFIC     36
#define RF_SCSI_INQUIRY_SPECIFIC_LEN 20

/* Peripheral device type of CD/DVD drives. */
#define RF_SCSI_TYPE_CDROM           0x05

/* GET CONFIGURATION features (MMC). */
#define RF_SCSI_FEATURE_MICROCODE_UPGRADE 0x0104
#define RF_SCSI_FEATURE_FIRMWARE_INFO     0x010C
#define RF_SCSI_CONFIGURATION_LENGTH      64

#define RF_SCSI_BUFFER_DESCRIPTOR_LENGTH  4

/* Standard commands: builders fill @command; @data is the caller's buffer. */
gboolean rf_scsi_build_inquiry             (RfCommand    *command,
                                            guint8        data[RF_SCSI_INQUIRY_LENGTH]) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_scsi_build_test_unit_ready     (RfCommand    *command) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_scsi_build_get_configuration   (RfCommand    *command,
                                            guint16       feature,
                                            guint8       *data,
                                            gsize         length) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_scsi_build_read_buffer_descriptor (RfCommand *command,
                                               guint8     buffer_id,
                                               guint8     data[RF_SCSI_BUFFER_DESCRIPTOR_LENGTH]) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_scsi_build_read_buffer_data    (RfCommand    *command,
                                            guint8        buffer_id,
                                            guint32       offset,
                                            guint8       *data,
                                            gsize         length) G_GNUC_WARN_UNUSED_RESULT;

/* WRITE BUFFER modes Reflash sends (spc-download.md "Variants"). */
#define RF_SCSI_WRITE_BUFFER_SAVE     0x05
#define RF_SCSI_WRITE_BUFFER_OFFSETS  0x07
#define RF_SCSI_WRITE_BUFFER_DEFERRED 0x0e
#define RF_SCSI_WRITE_BUFFER_ACTIVATE 0x0f

gboolean rf_scsi_build_write_buffer        (RfCommand    *command,
                                            guint8        mode,
                                            guint8        buffer_id,
                                            guint32       offset,
                                            guint8       *data,
                                            gsize         length) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_scsi_build_activate_microcode  (RfCommand    *command) G_GNUC_WARN_UNUSED_RESULT;

/* NEC 2M vendor commands (nec-2m.md §1). */
gboolean rf_nec_build_read_mem             (RfCommand    *command,
                                            guint32       address,
                                            guint8       *data,
                                            gsize         length) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_nec_build_safe_mode            (RfCommand    *command,
                                            gboolean      enter,
                                            const char   *key) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_nec_build_send_checksum        (RfCommand    *command,
                                            guint16       checksum) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_nec_build_write_ram            (RfCommand    *command,
                                            guint32       address,
                                            guint8       *data,
                                            gsize         length) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_nec_build_program_block        (RfCommand    *command,
                                            guint         block) G_GNUC_WARN_UNUSED_RESULT;
gboolean rf_nec_build_erase_block          (RfCommand    *command,
                                            guint         block) G_GNUC_WARN_UNUSED_RESULT;

/* Senders: execute and require GOOD. */
gboolean rf_scsi_inquiry                   (RfTransport  *transport,
                                            guint8        data[RF_SCSI_INQUIRY_LENGTH],
                                            GCancellable *cancellable,
                                            GError      **error);
gboolean rf_scsi_get_feature               (RfTransport  *transport,
                                            guint16       feature,
                                            guint8       *descriptor,
                                            gsize         length,
                                            gsize        *descriptor_length,
                                            GCancellable *cancellable,
                                            GError      **error);
gboolean rf_scsi_read_buffer_descriptor    (RfTransport  *transport,
                                            guint8        buffer_id,
                                            guint8       *offset_boundary,
                                            guint32      *capacity,
                                            GCancellable *cancellable,
                                            GError      **error);
gboolean rf_nec_read_mem                   (RfTransport  *transport,
                                            guint32       address,
                                            guint8       *data,
                                            gsize         length,
                                            GCancellable *cancellable,
                                            GError      **error);

/* Decoding. */
guint8   rf_scsi_inquiry_device_type       (const guint8 *data);
void     rf_scsi_inquiry_to_identity       (const guint8 *data,
                                            gsize         length,
                                            RfDriveIdentity *identity);
const guint8 *rf_scsi_find_feature         (const guint8 *data,
                                            gsize         length,
                                            guint16       feature,
                                            gsize        *descriptor_length);
char    *rf_scsi_firmware_date             (const guint8 *descriptor,
                                            gsize         length);

G_END_DECLS
