/* rf-drive-db.h: drive families from the files in data/drives/
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum {
  RF_DRIVE_SUPPORT_TESTED_ON_HARDWARE,
  RF_DRIVE_SUPPORT_SPEC_ONLY,
} RfDriveSupport;

typedef enum {
  RF_SPC_VARIANT_SINGLE,   /* one mode 5 command */
  RF_SPC_VARIANT_OFFSETS,  /* mode 7 chunks */
  RF_SPC_VARIANT_DEFERRED, /* mode 0x0E chunks, then 0x0F */
} RfSpcVariant;

#define RF_DRIVE_VENDOR_LENGTH  8
#define RF_DRIVE_PRODUCT_LENGTH 16

/**
 * RfDriveModel:
 * @id: canonical ID ("K355"); for SPC families the model's short name
 * @aliases: other IDs the model is known by ("K315")
 * @name: the model people know ("ND-3550A")
 * @base_hardware: (nullable): models with the same value share a bootcode family
 * @vendor: INQUIRY vendor, all 8 bytes with padding
 * @product: INQUIRY product, all 16 bytes with padding
 * @has_boot_identity: whether boot mode shows other vendor/product bytes
 * @boot_vendor: INQUIRY vendor in boot mode
 * @boot_product: INQUIRY product in boot mode
 * @rid_code: (nullable): NEC RID code
 * @model_digits: (nullable): NEC RID model digits
 */
typedef struct {
  char *id;
  char **aliases;
  char *name;
  char *base_hardware;
  guint8 vendor[RF_DRIVE_VENDOR_LENGTH];
  guint8 product[RF_DRIVE_PRODUCT_LENGTH];
  gboolean has_boot_identity;
  guint8 boot_vendor[RF_DRIVE_VENDOR_LENGTH];
  guint8 boot_product[RF_DRIVE_PRODUCT_LENGTH];
  char *rid_code;
  char *model_digits;
} RfDriveModel;

/**
 * RfSpcDownload:
 *
 * The `[Download]` group of an spc-download family (spc-download.md "Variants").
 * @chunk_size is 0 when it comes from the drive's descriptor; @image_sizes is
 * empty when any size is allowed; @model_check is %NULL when the family has no
 * model check; @has_dump says whether READ BUFFER (mode 2) of @dump_length bytes
 * from buffer @dump_buffer_id reads the running firmware back for a backup;
 * @has_descriptor says whether @offset_boundary and @buffer_capacity stand in
 * for READ BUFFER (mode 3) when the drive refuses it (0xFF: the buffer takes no
 * offsets, the whole image goes in one command at offset 0).
 */
typedef struct {
  RfSpcVariant variant;
  guint8 buffer_id;
  guint32 start_offset;
  guint32 chunk_size;
  guint settle_seconds;
  GArray *image_sizes; /* guint64 */
  gboolean has_model_check;
  guint32 model_check_offset;
  GBytes *model_check;
  gboolean has_revision_offset;
  guint32 revision_offset;
  gboolean boot_mode_accepts_download;
  gboolean has_dump;
  guint8 dump_buffer_id;
  guint32 dump_length;
  gboolean has_descriptor;
  guint8 offset_boundary;
  guint32 buffer_capacity;
} RfSpcDownload;

/**
 * RfDriveFamily:
 * @id: the family's id ("nec-2m"), stable in JSON and journals
 * @name: a title for people
 * @file: the file it came from
 * @protocol: "nec-2m" or "spc-download"
 * @image_format: "nec-2m" or "raw"
 * @support: whether the family was ever tested on real hardware
 * @boot_revision: (nullable): a glob on the 4 revision bytes that marks boot
 *   (safe) mode, e.g. "0.??"
 * @safe_mode_keys: NEC: the keys tried when probing the bootcode, in order
 * @models: (element-type RfDriveModel)
 * @download: the spc-download parameters
 *
 * Immutable once loaded, reference counted.
 */
typedef struct {
  char *id;
  char *name;
  char *file;
  char *protocol;
  char *image_format;
  RfDriveSupport support;
  char *boot_revision;
  char **safe_mode_keys;
  GPtrArray *models;
  GHashTable *expected_seconds; /* phase nick -> GUINT_TO_POINTER (seconds) */
  GHashTable *led_hints;        /* phase nick -> hint nick */
  RfSpcDownload download;
} RfDriveFamily;

RfDriveFamily      *rf_drive_family_ref       (RfDriveFamily       *family);
void                rf_drive_family_unref     (RfDriveFamily       *family);
const RfDriveModel *rf_drive_family_find_model (const RfDriveFamily *family,
                                                const char          *id_or_alias);
const char         *rf_drive_family_get_title (const RfDriveFamily *family);
const char         *rf_drive_model_get_title  (const RfDriveModel  *model);
guint               rf_drive_family_get_expected_seconds (const RfDriveFamily *family,
                                                          const char          *phase);
const char         *rf_drive_family_get_led_hint (const RfDriveFamily *family,
                                                  const char          *phase);
gboolean            rf_drive_family_is_boot_revision (const RfDriveFamily *family,
                                                      const guint8        *revision);
const char         *rf_drive_support_to_nick  (RfDriveSupport        support);
guint8              rf_spc_variant_get_mode   (RfSpcVariant          variant);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfDriveFamily, rf_drive_family_unref)

#define RF_TYPE_DRIVE_DB (rf_drive_db_get_type ())

G_DECLARE_FINAL_TYPE (RfDriveDb, rf_drive_db, RF, DRIVE_DB, GObject)

RfDriveDb     *rf_drive_db_new          (void);
RfDriveDb     *rf_drive_db_new_default  (GError      **error);
gboolean       rf_drive_db_load_file    (RfDriveDb    *self,
                                         const char   *path,
                                         GError      **error);
gboolean       rf_drive_db_load_dir     (RfDriveDb    *self,
                                         const char   *path,
                                         GError      **error);
GPtrArray     *rf_drive_db_get_families (RfDriveDb    *self);
RfDriveFamily *rf_drive_db_lookup       (RfDriveDb    *self,
                                         const char   *family_id);
RfDriveFamily *rf_drive_db_match        (RfDriveDb    *self,
                                         const guint8 *inquiry,
                                         gsize         length,
                                         const RfDriveModel **model,
                                         gboolean     *boot_mode);

G_END_DECLS
