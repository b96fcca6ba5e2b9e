/* rf-drive-identity.h: everything known about who a drive is
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RF_TYPE_DRIVE_IDENTITY (rf_drive_identity_get_type ())

/**
 * RfDriveIdentity:
 * @vendor: INQUIRY vendor, trailing spaces removed ("_NEC")
 * @product: INQUIRY product, trailing spaces removed ("DVD_RW ND-3550A")
 * @revision: INQUIRY revision ("1.05", or "0.05" in safe mode)
 * @vendor_specific: (nullable): INQUIRY bytes 36-55, trimmed
 * @firmware_date: (nullable): from GET CONFIGURATION feature 0x010C
 * @serial: (nullable): unit serial number, when the drive reports one
 * @family: (nullable): the drive family's id ("nec-2m"), %NULL if none matched
 * @safe_mode: whether the drive runs only its bootcode (boot mode)
 * @stored_id: (nullable): canonical ID stored in the drive (NEC 0x4800, after
 *   alias mapping and the RID correction)
 * @rid_code: (nullable): RID code ("ND30")
 * @bootcode_key: (nullable): the key the bootcode accepts: the identity that counts
 * @bootcode_version: (nullable): two characters ("05")
 *
 * A plain boxed struct, filled by probing (passive fields first, deep ones later)
 * and read by verdicts, the CLI and the GUI.
 */
typedef struct {
  char *vendor;
  char *product;
  char *revision;
  char *vendor_specific;
  char *firmware_date;
  char *serial;
  char *family;
  gboolean safe_mode;
  char *stored_id;
  char *rid_code;
  char *bootcode_key;
  char *bootcode_version;
  /* spc-download: what the deep check's READ BUFFER descriptor said (0 and 0
   * when the drive refused it or was not asked) */
  guint spc_offset_boundary;
  guint spc_buffer_capacity;
  /* the firmware feature's whole YYYYMMDDhhmmss, as the drive gave it;
   * @firmware_date shows its date only */
  char *firmware_timestamp;
} RfDriveIdentity;

GType            rf_drive_identity_get_type (void) G_GNUC_CONST;
RfDriveIdentity *rf_drive_identity_new      (void);
RfDriveIdentity *rf_drive_identity_copy     (const RfDriveIdentity *self);
void             rf_drive_identity_free     (RfDriveIdentity       *self);
const char      *rf_drive_identity_counting_id (const RfDriveIdentity *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfDriveIdentity, rf_drive_identity_free)

G_END_DECLS
