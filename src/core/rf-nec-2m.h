/* rf-nec-2m.h: facts of the NEC 2 MiB protocol (shared/protocols/nec-2m.md)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Flash map (§0) */
#define RF_NEC_FLASH_SIZE            0x200000
#define RF_NEC_BOOTCODE_SIZE         0x4000
#define RF_NEC_DRIVE_ID_ADDRESS      0x4800
#define RF_NEC_RID_ADDRESS           0x5F00
#define RF_NEC_RID_LENGTH            0x80
#define RF_NEC_RID_CODE_OFFSET       0x10
#define RF_NEC_RID_VENDOR_OFFSET     0x20
#define RF_NEC_RID_MODEL_OFFSET      0x40
#define RF_NEC_MAIN_START            0x010000
#define RF_NEC_MAIN_SIZE             0x1E0000
#define RF_NEC_MAIN_END              (RF_NEC_MAIN_START + RF_NEC_MAIN_SIZE)
#define RF_NEC_FIRST_MAIN_BLOCK      4
#define RF_NEC_LAST_PROGRAM_BLOCK    33
#define RF_NEC_LAST_ERASE_BLOCK      34
#define RF_NEC_BLOCK_COUNT           35

/* Upload and read sizes (§3, §4) */
#define RF_NEC_UPLOAD_CHUNK          0x8000
#define RF_NEC_UPLOAD_CHUNKS         (RF_NEC_MAIN_SIZE / RF_NEC_UPLOAD_CHUNK)
#define RF_NEC_DUMP_CHUNK            0x1000

/* Image file format (§5) */
#define RF_NEC_IMAGE_SIZE            1966086 /* main + checksum + ID */
#define RF_NEC_IMAGE_SIZE_VERSIONED  1966088 /* ... + bootcode version */
#define RF_NEC_IMAGE_CHECKSUM_OFFSET 0x1E0000
#define RF_NEC_IMAGE_ID_OFFSET       0x1E0002
#define RF_NEC_IMAGE_VERSION_OFFSET  0x1E0006

/* Display strings (§5): offsets from the signature's start */
#define RF_NEC_DISPLAY_SIGNATURE_LENGTH 10
#define RF_NEC_DISPLAY_VENDOR_OFFSET    0x18A
#define RF_NEC_DISPLAY_PRODUCT_OFFSET   0x192
#define RF_NEC_DISPLAY_REVISION_OFFSET  0x1A2
#define RF_NEC_DISPLAY_SPECIFIC_OFFSET  0x1A6
#define RF_NEC_DISPLAY_SPECIFIC_LENGTH  20
/* The search stops this many bytes before the end of the image. */
#define RF_NEC_DISPLAY_SEARCH_MARGIN    457

/* Opcodes (§1) */
#define RF_NEC_OP_WRITE   0xCB
#define RF_NEC_OP_CONTROL 0xCC
#define RF_NEC_OP_BOOT    0xCD
#define RF_NEC_CDB_LENGTH 12

extern const guint8 rf_nec_display_signature[RF_NEC_DISPLAY_SIGNATURE_LENGTH];

/**
 * RfNecType:
 * @id: canonical drive ID, also the safe-mode key ("K355")
 * @alias: the other ID accepted at 0x4800 ("K315")
 * @model: the model people know ("ND-3550A")
 * @product: INQUIRY product, all 16 bytes with padding
 * @rid_code: RID code, or %NULL
 * @model_digits: the four RID model digits ("3550")
 *
 * One row of the §0 table. All five share base hardware K355.
 */
typedef struct {
  const char *id;
  const char *alias;
  const char *model;
  const char *product;
  const char *rid_code;
  const char *model_digits;
} RfNecType;

#define RF_NEC_VENDOR "_NEC    "

const RfNecType *rf_nec_types               (gsize         *n_types);
const RfNecType *rf_nec_type_from_id        (const char    *id_or_alias);
const RfNecType *rf_nec_type_from_id_bytes  (const guint8  *bytes);
gboolean         rf_nec_type_has_product    (const RfNecType *type,
                                             const char    *product);
guint16          rf_nec_checksum            (const guint8  *data,
                                             gsize          length);
gssize           rf_nec_find_display_strings (const guint8 *image,
                                              gsize         length);
void             rf_nec_block_mask          (guint          block,
                                             guint8         cdb[RF_NEC_CDB_LENGTH]);
guint32          rf_nec_block_start         (guint          block);
guint32          rf_nec_block_size          (guint          block);
GBytes          *rf_nec_image_from_main     (const guint8  *main,
                                             const char    *drive_id,
                                             const char    *bootcode_version);

G_END_DECLS
