/* rf-backup.c
 *
 * What a dump must be to become a backup, and which drives a backup is for.
 * The store (rf-backup-store.c) keeps them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-backup.h"
#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"
#include "rf-spc-firmware.h"

G_DEFINE_BOXED_TYPE (RfBackup, rf_backup, rf_backup_copy, rf_backup_free)

RfBackup *
rf_backup_copy (const RfBackup *self)
{
  RfBackup *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (RfBackup, 1);
  copy->image_path = g_strdup (self->image_path);
  copy->info_path = g_strdup (self->info_path);
  copy->family = g_strdup (self->family);
  copy->drive_id = g_strdup (self->drive_id);
  copy->stored_id = g_strdup (self->stored_id);
  copy->bootcode_key = g_strdup (self->bootcode_key);
  copy->bootcode_version = g_strdup (self->bootcode_version);
  copy->vendor = g_strdup (self->vendor);
  copy->product = g_strdup (self->product);
  copy->revision = g_strdup (self->revision);
  copy->date = g_strdup (self->date);
  copy->sha256 = g_strdup (self->sha256);
  copy->verified = g_strdup (self->verified);
  copy->size = self->size;
  copy->counting_id = g_strdup (self->counting_id);
  copy->protocol = g_strdup (self->protocol);
  return copy;
}

void
rf_backup_free (RfBackup *self)
{
  if (self == NULL)
    return;
  g_free (self->image_path);
  g_free (self->info_path);
  g_free (self->family);
  g_free (self->drive_id);
  g_free (self->stored_id);
  g_free (self->bootcode_key);
  g_free (self->bootcode_version);
  g_free (self->vendor);
  g_free (self->product);
  g_free (self->revision);
  g_free (self->date);
  g_free (self->sha256);
  g_free (self->verified);
  g_free (self->counting_id);
  g_free (self->protocol);
  g_free (self);
}

static gboolean
is_all_ff (const guint8 *data,
           gsize         size)
{
  if (size == 0)
    return FALSE;
  for (gsize i = 0; i < size; i++)
    if (data[i] != 0xff)
      return FALSE;
  return TRUE;
}

/**
 * rf_backup_image_is_erased:
 *
 * An erased drive dumps as all 0xFF (checksum 0x0000): that is no backup. The
 * main area decides, whatever follows it (a trailer with or without the
 * bootcode version) and however much of it the dump holds.
 */
gboolean
rf_backup_image_is_erased (GBytes *image)
{
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (image != NULL, FALSE);

  data = g_bytes_get_data (image, &size);
  return is_all_ff (data, MIN (size, (gsize) RF_NEC_MAIN_SIZE));
}

/* The display strings are what the firmware shows as its INQUIRY identity once
 * it runs (nec-2m.md §5, §6). A dump whose product is not the model of the
 * bootcode's identity is another model's firmware, whatever its trailer says
 * (the trailer is written by the dumping host, not read from the drive). */
static gboolean
check_display_strings (RfFirmware  *firmware,
                       const char  *counting,
                       GError     **error)
{
  const RfNecType *type = rf_nec_type_from_id (counting);
  const char *product = rf_firmware_get_product (firmware);

  if (product == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_OTHER_MODEL,
                   "dump has no display strings: its model cannot be told");
      return FALSE;
    }
  if (type == NULL || !rf_nec_type_has_product (type, product))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_OTHER_MODEL,
                   "dump's display strings name \"%s\", the drive's bootcode is %s's",
                   product, type != NULL ? type->model : counting);
      return FALSE;
    }
  return TRUE;
}

/* In safe (boot) mode only the bootcode runs because the main firmware is
 * missing or damaged (DOMAIN.md "Drive states"): whatever a dump reads there is
 * not firmware that ran. */
static gboolean
check_running (const RfDriveIdentity *identity,
               GError               **error)
{
  if (!identity->safe_mode)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_IN_SAFE_MODE,
               "the drive is in safe mode (revision %s): its main firmware is not running",
               identity->revision != NULL ? identity->revision : "?");
  return FALSE;
}

/**
 * rf_backup_check_nec_dump:
 * @identity: the NEC drive the dump came from
 * @image: the dump as a §5 image (nec-2m.md)
 *
 * Whether @image may become a backup of the drive (the errors are those of
 * rf_backup_store_add()).
 */
gboolean
rf_backup_check_nec_dump (const RfDriveIdentity *identity,
                          GBytes                *image,
                          GError               **error)
{
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  const char *counting;
  gsize size;

  g_return_val_if_fail (identity != NULL && image != NULL, FALSE);

  counting = identity->bootcode_key;
  size = g_bytes_get_size (image);
  if (!check_running (identity, error))
    return FALSE;
  if (rf_backup_image_is_erased (image))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FIRMWARE_ERASED,
                   "the drive's main firmware is erased (all 0xFF, %" G_GSIZE_FORMAT
                   " bytes): nothing to back up", size);
      return FALSE;
    }
  if (size != RF_NEC_IMAGE_SIZE && size != RF_NEC_IMAGE_SIZE_VERSIONED)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "a dump must be one whole image");
      return FALSE;
    }
  if (!rf_firmware_parse (RF_FIRMWARE (firmware), image, error))
    {
      g_prefix_error (error, "dump: ");
      return FALSE;
    }
  /* A backup is offered again only to a drive with the same bootcode, so it is
   * recorded under the bootcode's identity (DOMAIN.md): the stored ID alone may
   * be what a half-done crossflash left behind. */
  if (counting == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "the drive's bootcode key is not known: a dump cannot be matched to it");
      return FALSE;
    }
  if (!g_str_equal (counting, rf_firmware_get_drive_id (RF_FIRMWARE (firmware))))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "dump names drive ID %s, the drive's bootcode is %s",
                   rf_firmware_get_drive_id (RF_FIRMWARE (firmware)), counting);
      return FALSE;
    }
  return check_display_strings (RF_FIRMWARE (firmware), counting, error);
}

/* The product name a dump carries at the family's model-check offset, as
 * INQUIRY would show it: up to 16 printable bytes, padding dropped. The same
 * reading as the verdict's, so that a stored backup is judged to fit its drive. */
static char *
dump_product (GBytes              *image,
              const RfDriveFamily *family)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  gsize offset = family->download.model_check_offset;
  GString *text = g_string_new (NULL);

  for (gsize i = offset; i < size && i < offset + RF_DRIVE_PRODUCT_LENGTH && data[i] != 0; i++)
    g_string_append_c (text, g_ascii_isprint (data[i]) ? (char) data[i] : ' ');
  return g_strchomp (g_string_free (text, FALSE));
}

/* The family's image rules (spc-download.md "Images"): a dump must be an image
 * the family takes, or it could never be flashed back. Its model check names
 * the family's model; with one model that is the drive's (the family matched
 * its INQUIRY), with several the dump must also name the drive's own product,
 * as rf_verdict_new_for_family() demands of any image. */
static gboolean
check_spc_model (GBytes                *image,
                 const RfDriveFamily   *family,
                 const RfDriveIdentity *identity,
                 GError               **error)
{
  g_autoptr(RfSpcFirmware) firmware = rf_spc_firmware_new_for_family (family);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *product = NULL;

  if (!rf_firmware_parse (RF_FIRMWARE (firmware), image, &local_error))
    {
      if (rf_firmware_get_problem (RF_FIRMWARE (firmware)) == RF_FIRMWARE_PROBLEM_WRONG_MODEL)
        g_set_error (error, RF_ERROR, RF_ERROR_OTHER_MODEL,
                     "dump does not name %s's model at offset 0x%x", family->id,
                     family->download.model_check_offset);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "dump: ");
      return FALSE;
    }
  if (!family->download.has_model_check || family->models == NULL || family->models->len < 2)
    return TRUE;
  product = dump_product (image, family);
  if (!g_str_equal (product, identity->product))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_OTHER_MODEL,
                   "dump names \"%s\", the drive is a \"%s\"", product, identity->product);
      return FALSE;
    }
  return TRUE;
}

/**
 * rf_backup_check_spc_dump:
 * @family: an spc-download family
 * @identity: the drive the dump came from, of @family
 * @image: what READ BUFFER mode 2 read
 *
 * Whether @image may become a backup of the drive (the errors are those of
 * rf_backup_store_add_for_family()): a dump of the running firmware
 * (spc-download.md "Phases"), exactly as long as the family data says, from a
 * drive that runs its firmware and whose INQUIRY product it can be matched on.
 */
gboolean
rf_backup_check_spc_dump (const RfDriveFamily   *family,
                          const RfDriveIdentity *identity,
                          GBytes                *image,
                          GError               **error)
{
  gsize size;
  const guint8 *data;

  g_return_val_if_fail (family != NULL && identity != NULL && image != NULL, FALSE);

  data = g_bytes_get_data (image, &size);

  if (!check_running (identity, error))
    return FALSE;
  /* Unlike NEC's, an SPC dump has no trailer: every byte of it decides. */
  if (is_all_ff (data, size))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_FIRMWARE_ERASED,
                   "the drive's firmware reads as erased (all 0xFF, %" G_GSIZE_FORMAT
                   " bytes): nothing to back up", size);
      return FALSE;
    }
  if (!family->download.has_dump)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "family %s names no way to dump its firmware", family->id);
      return FALSE;
    }
  if (size != family->download.dump_length)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "a dump of %s must be %u bytes, not %" G_GSIZE_FORMAT, family->id,
                   family->download.dump_length, size);
      return FALSE;
    }
  if (identity->product == NULL || identity->product[0] == '\0')
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "the drive's INQUIRY product is not known: a dump cannot be matched to it");
      return FALSE;
    }
  return check_spc_model (image, family, identity, error);
}

static gboolean
is_nec (const RfBackup *backup)
{
  return g_strcmp0 (backup->protocol, "nec-2m") == 0;
}

/* An SPC drive has no identity below its INQUIRY one: a backup of the same
 * vendor and product in the same family is one of its model. */
static gboolean
spc_belongs_to (const RfBackup        *backup,
                const RfDriveIdentity *identity)
{
  return backup->product != NULL && identity->product != NULL &&
         g_str_equal (backup->product, identity->product) &&
         g_strcmp0 (backup->vendor, identity->vendor) == 0;
}

/**
 * rf_backup_is_for_drive:
 *
 * Whether the backup is a candidate image for the drive: NEC backups belong to
 * the bootcode's identity, SPC ones to the family, INQUIRY vendor and product.
 */
gboolean
rf_backup_is_for_drive (const RfBackup        *backup,
                        const RfDriveIdentity *identity)
{
  g_return_val_if_fail (backup != NULL && identity != NULL, FALSE);

  if (g_strcmp0 (backup->family, identity->family) != 0)
    return FALSE;
  if (!is_nec (backup))
    return spc_belongs_to (backup, identity);
  /* The bootcode's identity decides, never the stored ID (DOMAIN.md); a record
   * or a drive without a proven one matches nothing. */
  if (identity->bootcode_key == NULL || backup->counting_id == NULL ||
      !g_str_equal (backup->counting_id, identity->bootcode_key) ||
      !g_str_equal (backup->drive_id, identity->bootcode_key))
    return FALSE;
  return backup->bootcode_version == NULL || identity->bootcode_version == NULL ||
         g_str_equal (backup->bootcode_version, identity->bootcode_version);
}
