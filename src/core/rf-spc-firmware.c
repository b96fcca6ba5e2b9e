/* rf-spc-firmware.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-firmware-private.h"
#include "rf-spc-firmware.h"

struct _RfSpcFirmware
{
  RfFirmware parent_instance;

  RfSpcImageRules rules;
  char *family;
  char *model;          /* the model as text, for people */
  GBytes *model_bytes;  /* what the image must hold, compared in full */
  GArray *sizes;        /* gsize; empty: any size */
};

G_DEFINE_FINAL_TYPE (RfSpcFirmware, rf_spc_firmware, RF_TYPE_FIRMWARE)

static gboolean
size_is_allowed (RfSpcFirmware *self,
                 gsize          size)
{
  gsize max = self->rules.max_size != 0 ? self->rules.max_size : RF_FIRMWARE_MAX_FILE_SIZE;

  if (size > max)
    return FALSE;
  if (self->sizes->len == 0)
    return TRUE;
  for (guint i = 0; i < self->sizes->len; i++)
    if (g_array_index (self->sizes, gsize, i) == size)
      return TRUE;
  return FALSE;
}

/* A field of the image as text: printable ASCII, trailing spaces and NULs dropped. */
static char *
read_text (const guint8 *data,
           gsize         size,
           gssize        offset,
           gsize         length)
{
  GString *text;

  if (offset < 0 || (gsize) offset > size || length > size - (gsize) offset)
    return NULL;
  text = g_string_new (NULL);
  for (gsize i = 0; i < length; i++)
    g_string_append_c (text, g_ascii_isprint (data[offset + i]) ? (char) data[offset + i] : ' ');
  return g_strchomp (g_string_free (text, FALSE));
}

static gboolean
model_matches (RfSpcFirmware *self,
               const guint8  *data,
               gsize          size)
{
  gsize offset = (gsize) self->rules.model_offset;
  gsize length;
  const guint8 *model = g_bytes_get_data (self->model_bytes, &length);

  if (offset > size || length > size - offset || memcmp (data + offset, model, length) != 0)
    return FALSE;
  /* The model as INQUIRY shows it, padding dropped: up to the end of the
   * 16-byte product field only padding may follow, or "PRACTICE SPC" would
   * also pass the image of a "PRACTICE SPC 2". */
  for (gsize i = offset + length; i < offset + RF_DRIVE_PRODUCT_LENGTH && i < size; i++)
    if (data[i] != ' ' && data[i] != '\0')
      return FALSE;
  return TRUE;
}

static gboolean
rf_spc_firmware_parse (RfFirmware *firmware,
                       GBytes     *bytes,
                       GError    **error)
{
  RfSpcFirmware *self = RF_SPC_FIRMWARE (firmware);
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autofree char *revision = NULL;
  RfFirmwareInfo info = { 0 };
  /* Zero model bytes would match anything: that is no model check at all. */
  gboolean checkable = self->rules.model_offset >= 0 && self->model_bytes != NULL;

  if (!size_is_allowed (self, size))
    return rf_firmware_fail (firmware, RF_FIRMWARE_PROBLEM_SIZE, error,
                             "size not in the family's list");
  if (checkable && !model_matches (self, data, size))
    return rf_firmware_fail (firmware, RF_FIRMWARE_PROBLEM_WRONG_MODEL, error,
                             "model bytes differ");
  if (self->rules.revision_offset >= 0)
    revision = read_text (data, size, self->rules.revision_offset, self->rules.revision_length);
  info.family = self->family;
  info.drive_id = checkable ? self->model : NULL;
  info.model = checkable ? self->model : NULL;
  info.product = checkable ? self->model : NULL;
  info.revision = revision;
  /* Without both checks the family is spec-only: the user must vouch for the file. */
  info.model_checked = checkable && self->rules.revision_offset >= 0;
  rf_firmware_set_info (firmware, &info, bytes);
  return TRUE;
}

static GBytes *
rf_spc_firmware_write (RfFirmware *firmware,
                       GError    **error)
{
  /* The format has no fields of its own outside the bytes. */
  return g_bytes_ref (rf_firmware_get_image (firmware));
}

static void
rf_spc_firmware_finalize (GObject *object)
{
  RfSpcFirmware *self = RF_SPC_FIRMWARE (object);

  g_free (self->family);
  g_free (self->model);
  g_clear_pointer (&self->model_bytes, g_bytes_unref);
  g_clear_pointer (&self->sizes, g_array_unref);
  G_OBJECT_CLASS (rf_spc_firmware_parent_class)->finalize (object);
}

static void
rf_spc_firmware_class_init (RfSpcFirmwareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfFirmwareClass *firmware_class = RF_FIRMWARE_CLASS (klass);

  object_class->finalize = rf_spc_firmware_finalize;
  firmware_class->format = "spc-download";
  firmware_class->max_size = RF_FIRMWARE_MAX_FILE_SIZE;
  firmware_class->parse = rf_spc_firmware_parse;
  firmware_class->write = rf_spc_firmware_write;
}

static void
rf_spc_firmware_init (RfSpcFirmware *self)
{
  self->sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
}

/* The model as people read it: printable bytes, padding dropped. */
static char *
model_text (const guint8 *bytes,
            gsize         length)
{
  return read_text (bytes, length, 0, length);
}

static RfSpcFirmware *
spc_firmware_new (const RfSpcImageRules *rules,
                  GBytes                *model_bytes)
{
  RfSpcFirmware *self = g_object_new (RF_TYPE_SPC_FIRMWARE, NULL);

  self->rules = *rules;
  self->family = g_strdup (rules->family);
  if (model_bytes != NULL && g_bytes_get_size (model_bytes) > 0)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (model_bytes, &length);

      self->model_bytes = g_bytes_ref (model_bytes);
      self->model = model_text (data, length);
    }
  self->rules.family = self->family;
  self->rules.model = self->model;
  self->rules.n_sizes = 0;
  return self;
}

/**
 * rf_spc_firmware_new:
 * @rules: how the family recognises its images; copied
 */
RfSpcFirmware *
rf_spc_firmware_new (const RfSpcImageRules *rules)
{
  RfSpcFirmware *self;
  g_autoptr(GBytes) model_bytes = NULL;

  g_return_val_if_fail (rules != NULL && rules->family != NULL, NULL);
  g_return_val_if_fail (rules->n_sizes <= RF_SPC_MAX_SIZES, NULL);

  if (rules->model != NULL)
    model_bytes = g_bytes_new (rules->model, rules->model_length != 0 ? rules->model_length
                                                                      : strlen (rules->model));
  self = spc_firmware_new (rules, model_bytes);
  g_array_append_vals (self->sizes, rules->sizes, rules->n_sizes);
  return self;
}

/* The revision field is as long as INQUIRY's (spc-download.md "Images"). */
#define SPC_REVISION_LENGTH 4

/**
 * rf_spc_firmware_new_for_family:
 * @family: an spc-download family from the drive data
 *
 * A parser with the family's image rules: sizes, model check and revision
 * location from its `[Download]` group. Without a model check or a revision
 * location, parsed images are `spec-only`.
 */
RfSpcFirmware *
rf_spc_firmware_new_for_family (const RfDriveFamily *family)
{
  const RfSpcDownload *download;
  RfSpcImageRules rules = { 0 };
  GBytes *model_bytes = NULL;
  RfSpcFirmware *self;
  guint n;

  g_return_val_if_fail (family != NULL, NULL);

  download = &family->download;
  rules.family = family->id;
  rules.model_offset = -1;
  if (download->has_model_check && download->model_check != NULL &&
      g_bytes_get_size (download->model_check) > 0)
    {
      rules.model_offset = download->model_check_offset;
      model_bytes = download->model_check;
    }
  rules.revision_offset = download->has_revision_offset ? (gssize) download->revision_offset : -1;
  rules.revision_length = SPC_REVISION_LENGTH;
  self = spc_firmware_new (&rules, model_bytes);
  /* Every listed size, however many: dropping the list would accept any size. */
  n = download->image_sizes != NULL ? download->image_sizes->len : 0;
  for (guint i = 0; i < n; i++)
    {
      gsize size = (gsize) g_array_index (download->image_sizes, guint64, i);

      g_array_append_val (self->sizes, size);
    }
  return self;
}
