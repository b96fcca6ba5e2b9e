/* rf-practice-firmware.c: made-up firmware images for practice drives
 *
 * What the wizard's "Fitting" and "Other Model" buttons and `reflash-cli
 * practice firmware` write: an image for the practice drive's own model (or
 * another model of its family), built by code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"
#include "rf-practice-firmware.h"

/* The revision field of an SPC image, as rf-spc-firmware.c reads it. */
#define SPC_REVISION_LENGTH 4
/* The practice SPC drive compares the model padded with spaces to 16 bytes. */
#define SPC_MODEL_FIELD 16
#define SPC_OTHER_MODEL "OTHER SPC DRIVE"

void
rf_practice_image_free (RfPracticeImage *image)
{
  if (image == NULL)
    return;
  g_clear_pointer (&image->bytes, g_bytes_unref);
  g_free (image->file_name);
  g_free (image);
}

/* NEC: the bootcode's model for a fitting image, another one of the family otherwise. */
static const RfNecType *
nec_model (const RfDriveIdentity *identity,
           gboolean               other_model)
{
  const char *counting = rf_drive_identity_counting_id (identity);
  const RfNecType *type = counting != NULL ? rf_nec_type_from_id (counting) : NULL;

  if (type == NULL)
    type = rf_nec_type_from_id ("K355");
  if (!other_model)
    return type;
  return rf_nec_type_from_id (g_str_equal (type->id, "K451") ? "K355" : "K451");
}

static RfPracticeImage *
build_nec (const RfDriveIdentity *identity,
           gboolean               other_model,
           const char            *revision)
{
  const RfNecType *type = nec_model (identity, other_model);
  const char *version = identity->bootcode_version != NULL ? identity->bootcode_version : "05";
  RfPracticeImage *image = g_new0 (RfPracticeImage, 1);

  image->bytes = rf_nec_image_build_for_model (type->id, version, revision);
  image->file_name = g_strdup_printf ("practice-%s-%s-bootcode-%s.bin", type->model, revision,
                                      version);
  return image;
}

static void
put_padded (guint8       *data,
            gsize         size,
            gsize         offset,
            gsize         length,
            const guint8 *text,
            gsize         text_length)
{
  for (gsize i = 0; i < length && offset + i < size; i++)
    data[offset + i] = i < text_length ? text[i] : ' ';
}

static RfPracticeImage *
build_spc (const RfDriveFamily *family,
           gboolean             other_model,
           const char          *revision,
           GError             **error)
{
  const RfSpcDownload *download = &family->download;
  g_autofree char *seed = NULL;
  gsize size, model_length = 0;
  const guint8 *model = NULL;
  guint8 *data;
  RfPracticeImage *image;

  if (download->image_sizes == NULL || download->image_sizes->len == 0 ||
      !download->has_model_check || download->model_check == NULL ||
      !download->has_revision_offset)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "family %s has no image size, model check or revision offset", family->id);
      return NULL;
    }
  size = (gsize) g_array_index (download->image_sizes, guint64, 0);
  model = g_bytes_get_data (download->model_check, &model_length);
  if (other_model)
    {
      model = (const guint8 *) SPC_OTHER_MODEL;
      model_length = strlen (SPC_OTHER_MODEL);
    }
  seed = g_strdup_printf ("spc|%.*s|%s", (int) model_length, (const char *) model, revision);
  data = g_malloc (size);
  /* Code bytes seeded by model and revision, so revisions differ everywhere. */
  rf_image_fill_pseudo_random (data, size, g_str_hash (seed) | 1u);
  put_padded (data, size, download->model_check_offset, MAX (model_length, SPC_MODEL_FIELD),
              model, model_length);
  put_padded (data, size, download->revision_offset, SPC_REVISION_LENGTH,
              (const guint8 *) revision, strlen (revision));
  image = g_new0 (RfPracticeImage, 1);
  image->bytes = g_bytes_new_take (data, size);
  image->file_name = g_strdup_printf ("practice-%s-%s%s.bin", family->id,
                                      other_model ? "other-model-" : "", revision);
  return image;
}

/**
 * rf_practice_image_build:
 * @identity: the practice drive's identity, from a deep probe
 * @family: its family
 * @other_model: %FALSE for an image of the bootcode's model, %TRUE for another
 *   model of the family (a crossflash to rehearse refusing)
 * @revision: (nullable): the version the image carries; %NULL for "1.06"
 *   (fitting) or "1.09" (other model)
 *
 * Returns: (transfer full): the image, or %NULL when the family's data does not
 *   say enough to build one
 */
RfPracticeImage *
rf_practice_image_build (const RfDriveIdentity *identity,
                         const RfDriveFamily   *family,
                         gboolean               other_model,
                         const char            *revision,
                         GError               **error)
{
  g_return_val_if_fail (identity != NULL, NULL);
  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (revision == NULL)
    revision = other_model ? "1.09" : "1.06";
  if (strlen (revision) == 0 || strlen (revision) > SPC_REVISION_LENGTH)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "version “%s” is not 1 to 4 characters", revision);
      return NULL;
    }
  if (g_strcmp0 (family->protocol, "nec-2m") == 0)
    return build_nec (identity, other_model, revision);
  if (g_strcmp0 (family->protocol, "spc-download") == 0)
    return build_spc (family, other_model, revision, error);
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "no practice images for protocol %s",
               family->protocol);
  return NULL;
}

/**
 * rf_practice_image_write:
 * @path: (nullable): where to write; %NULL for the cache folder
 *   (`~/.cache/reflash/practice-firmware/` with the image's file name)
 *
 * Returns: (transfer full): the path written, or %NULL
 */
char *
rf_practice_image_write (const RfPracticeImage *image,
                         const char            *path,
                         GError               **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (image != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (path == NULL)
    {
      dir = g_build_filename (g_get_user_cache_dir (), "reflash", "practice-firmware", NULL);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          rf_error_set_from_errno (error, errno, dir);
          return NULL;
        }
      target = g_build_filename (dir, image->file_name, NULL);
    }
  else
    target = g_strdup (path);
  if (!g_file_set_contents (target, g_bytes_get_data (image->bytes, NULL),
                            (gssize) g_bytes_get_size (image->bytes), error))
    {
      rf_error_convert (error);
      return NULL;
    }
  return g_steal_pointer (&target);
}
