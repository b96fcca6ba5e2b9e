/* rf-firmware.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-error.h"
#include "rf-firmware-private.h"

typedef struct {
  const char *nick;
  const char *corrupt_nick;
  const char *sentence;
} RfProblemText;

static const RfProblemText problem_texts[RF_FIRMWARE_PROBLEM_LAST] = {
  [RF_FIRMWARE_PROBLEM_NONE] = { "none", NULL, N_("The file is a complete firmware image.") },
  [RF_FIRMWARE_PROBLEM_EMPTY] = { "empty", "size", N_("The file is empty.") },
  [RF_FIRMWARE_PROBLEM_SIZE] = { "size", "size",
    N_("The file has the wrong size for a firmware image of this kind.") },
  [RF_FIRMWARE_PROBLEM_CHECKSUM] = { "checksum", "checksum",
    N_("The image's checksum does not match its contents: the file is damaged.") },
  [RF_FIRMWARE_PROBLEM_TRUNCATED] = { "truncated", "truncated",
    N_("The file is shorter than a complete image: it was probably cut off while downloading or copying.") },
  [RF_FIRMWARE_PROBLEM_UNREADABLE] = { "unreadable", "unreadable",
    N_("The file could not be read. Check its permissions.") },
  [RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE] = { "not-an-image", "not-an-image",
    N_("The file is not a firmware image Reflash knows, and contains none.") },
  [RF_FIRMWARE_PROBLEM_UNKNOWN_ID] = { "unknown-id", "not-an-image",
    N_("The image names a drive model that Reflash does not know.") },
  [RF_FIRMWARE_PROBLEM_NO_DISPLAY_STRINGS] = { "no-display-strings", "not-an-image",
    N_("The data looks like an image, but does not carry the model and version text of a supported drive.") },
  [RF_FIRMWARE_PROBLEM_TOO_LARGE] = { "too-large", "too-large",
    N_("The file is far larger than any firmware image or updater.") },
  [RF_FIRMWARE_PROBLEM_DIRECTORY] = { "directory", "not-a-file",
    N_("This is a folder, not a file. Choose the firmware file inside it.") },
  [RF_FIRMWARE_PROBLEM_SPECIAL_FILE] = { "special-file", "not-a-file",
    N_("This is a device or pipe, not a regular file. Choose a firmware file.") },
  [RF_FIRMWARE_PROBLEM_NOT_FOUND] = { "not-found", "unreadable", N_("The file does not exist.") },
  [RF_FIRMWARE_PROBLEM_WRONG_MODEL] = { "wrong-model", "not-an-image",
    N_("The image does not name the model this drive family expects.") },
  [RF_FIRMWARE_PROBLEM_BAD_BOOTCODE_VERSION] = { "bad-bootcode-version", "not-an-image",
    N_("The image names a known drive model, but the bootcode version it expects is not readable text: the file is damaged.") },
};

const char *
rf_firmware_problem_to_nick (RfFirmwareProblem problem)
{
  g_return_val_if_fail (problem < RF_FIRMWARE_PROBLEM_LAST, NULL);
  return problem_texts[problem].nick;
}

/* Returns: (nullable): the DOMAIN.md `corrupt` sub-reason, %NULL for none */
const char *
rf_firmware_problem_to_corrupt_nick (RfFirmwareProblem problem)
{
  g_return_val_if_fail (problem < RF_FIRMWARE_PROBLEM_LAST, NULL);
  return problem_texts[problem].corrupt_nick;
}

const char *
rf_firmware_problem_to_sentence (RfFirmwareProblem problem)
{
  g_return_val_if_fail (problem < RF_FIRMWARE_PROBLEM_LAST, NULL);
  return _(problem_texts[problem].sentence);
}

typedef struct {
  RfFirmwareProblem problem;
  gsize input_size;
  GBytes *input;
  char *input_sha256;
  GBytes *image;
  char *image_sha256;
  char *family;
  char *drive_id;
  char *model;
  char *bootcode_version;
  char *vendor;
  char *product;
  char *revision;
  char *vendor_specific;
  gboolean has_checksum;
  guint16 checksum_stored;
  guint16 checksum_computed;
  gboolean model_checked;
} RfFirmwarePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (RfFirmware, rf_firmware, G_TYPE_OBJECT)

void
rf_firmware_clear_info (RfFirmware *self)
{
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);

  g_clear_pointer (&priv->image, g_bytes_unref);
  g_clear_pointer (&priv->image_sha256, g_free);
  g_clear_pointer (&priv->family, g_free);
  g_clear_pointer (&priv->drive_id, g_free);
  g_clear_pointer (&priv->model, g_free);
  g_clear_pointer (&priv->bootcode_version, g_free);
  g_clear_pointer (&priv->vendor, g_free);
  g_clear_pointer (&priv->product, g_free);
  g_clear_pointer (&priv->revision, g_free);
  g_clear_pointer (&priv->vendor_specific, g_free);
  priv->has_checksum = FALSE;
  priv->checksum_stored = 0;
  priv->checksum_computed = 0;
  priv->model_checked = FALSE;
}

static void
rf_firmware_finalize (GObject *object)
{
  RfFirmware *self = RF_FIRMWARE (object);
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);

  rf_firmware_clear_info (self);
  g_clear_pointer (&priv->input, g_bytes_unref);
  g_free (priv->input_sha256);
  G_OBJECT_CLASS (rf_firmware_parent_class)->finalize (object);
}

static void
rf_firmware_class_init (RfFirmwareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_firmware_finalize;
  klass->max_size = RF_FIRMWARE_MAX_FILE_SIZE;
}

static void
rf_firmware_init (RfFirmware *self)
{
}

/**
 * rf_firmware_set_info:
 * @image: the bytes that would be flashed (for an updater: the chosen image)
 *
 * For subclasses: records what the parse found. The problem is left as it is.
 */
void
rf_firmware_set_info (RfFirmware           *self,
                      const RfFirmwareInfo *info,
                      GBytes               *image)
{
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);

  g_return_if_fail (RF_IS_FIRMWARE (self));
  g_return_if_fail (info != NULL && image != NULL);

  rf_firmware_clear_info (self);
  priv->image = g_bytes_ref (image);
  priv->family = g_strdup (info->family);
  priv->drive_id = g_strdup (info->drive_id);
  priv->model = g_strdup (info->model);
  priv->bootcode_version = g_strdup (info->bootcode_version);
  priv->vendor = g_strdup (info->vendor);
  priv->product = g_strdup (info->product);
  priv->revision = g_strdup (info->revision);
  priv->vendor_specific = g_strdup (info->vendor_specific);
  priv->has_checksum = info->has_checksum;
  priv->checksum_stored = info->checksum_stored;
  priv->checksum_computed = info->checksum_computed;
  priv->model_checked = info->model_checked;
}

/**
 * rf_firmware_fail:
 * @detail: for developers: what exactly was wrong
 *
 * For subclasses: records @problem and sets @error. Always returns %FALSE.
 */
gboolean
rf_firmware_fail (RfFirmware         *self,
                  RfFirmwareProblem   problem,
                  GError            **error,
                  const char         *detail)
{
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);

  g_return_val_if_fail (problem != RF_FIRMWARE_PROBLEM_NONE, FALSE);

  priv->problem = problem;
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: %s",
               rf_firmware_problem_to_nick (problem), detail);
  return FALSE;
}

/**
 * rf_firmware_parse:
 * @bytes: the whole file
 *
 * Parses and checks @bytes. On failure rf_firmware_get_problem() says why; fields
 * a format could still read (the drive ID of an image with a bad checksum) stay
 * readable, so the user is told what the file claims to be.
 */
gboolean
rf_firmware_parse (RfFirmware *self,
                   GBytes     *bytes,
                   GError    **error)
{
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);
  RfFirmwareClass *klass;
  gsize size;

  g_return_val_if_fail (RF_IS_FIRMWARE (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  klass = RF_FIRMWARE_GET_CLASS (self);
  rf_firmware_clear_info (self);
  priv->problem = RF_FIRMWARE_PROBLEM_NONE;
  g_clear_pointer (&priv->input_sha256, g_free);
  g_clear_pointer (&priv->input, g_bytes_unref);
  size = g_bytes_get_size (bytes);
  priv->input_size = size;
  if (size == 0)
    return rf_firmware_fail (self, RF_FIRMWARE_PROBLEM_EMPTY, error, "no bytes");
  if (size > klass->max_size)
    return rf_firmware_fail (self, RF_FIRMWARE_PROBLEM_TOO_LARGE, error, "over the size cap");
  priv->input = g_bytes_ref (bytes);
  if (!klass->parse (self, bytes, error))
    {
      if (priv->problem == RF_FIRMWARE_PROBLEM_NONE)
        priv->problem = RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE;
      return FALSE;
    }
  return TRUE;
}

/**
 * rf_firmware_write:
 *
 * Returns: (transfer full): the image as a file of its format, byte for byte what
 *   was parsed (for an updater: the chosen image alone)
 */
GBytes *
rf_firmware_write (RfFirmware *self,
                   GError    **error)
{
  RfFirmwarePrivate *priv = rf_firmware_get_instance_private (self);

  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (priv->image == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "no image was parsed");
      return NULL;
    }
  return RF_FIRMWARE_GET_CLASS (self)->write (self, error);
}

#define PRIV(self) ((RfFirmwarePrivate *) rf_firmware_get_instance_private (self))

const char *
rf_firmware_get_format (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return RF_FIRMWARE_GET_CLASS (self)->format;
}

/* Returns: (nullable): the drive family the image belongs to ("nec-2m") */
const char *
rf_firmware_get_family (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->family;
}

RfFirmwareProblem
rf_firmware_get_problem (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE);
  return PRIV (self)->problem;
}

gsize
rf_firmware_get_input_size (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), 0);
  return PRIV (self)->input_size;
}

/* Returns: (nullable): SHA-256 of the whole input, hex; computed when first
 * asked for, so that parsing alone stays fast */
const char *
rf_firmware_get_input_sha256 (RfFirmware *self)
{
  RfFirmwarePrivate *priv;

  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  priv = PRIV (self);
  if (priv->input_sha256 == NULL && priv->input != NULL)
    priv->input_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, priv->input);
  return priv->input_sha256;
}

/* Returns: (transfer none) (nullable): the image that would be flashed */
GBytes *
rf_firmware_get_image (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->image;
}

/* Returns: (nullable): SHA-256 of the image that would be flashed, hex */
const char *
rf_firmware_get_image_sha256 (RfFirmware *self)
{
  RfFirmwarePrivate *priv;

  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  priv = PRIV (self);
  if (priv->image_sha256 == NULL && priv->image != NULL)
    priv->image_sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, priv->image);
  return priv->image_sha256;
}

/* Returns: (nullable): the canonical drive ID the image is for ("K355") */
const char *
rf_firmware_get_drive_id (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->drive_id;
}

/* Returns: (nullable): the model people know ("ND-3550A") */
const char *
rf_firmware_get_model (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->model;
}

/* Returns: (nullable): two characters ("05"), %NULL when the image has none */
const char *
rf_firmware_get_bootcode_version (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->bootcode_version;
}

const char *
rf_firmware_get_vendor (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->vendor;
}

const char *
rf_firmware_get_product (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->product;
}

/* Returns: (nullable): the revision the drive shows after the flash ("1.05") */
const char *
rf_firmware_get_revision (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->revision;
}

const char *
rf_firmware_get_vendor_specific (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), NULL);
  return PRIV (self)->vendor_specific;
}

/* Returns: whether the format carries a checksum; if so, both values */
gboolean
rf_firmware_get_checksum (RfFirmware *self,
                          guint16    *stored,
                          guint16    *computed)
{
  RfFirmwarePrivate *priv;

  g_return_val_if_fail (RF_IS_FIRMWARE (self), FALSE);
  priv = PRIV (self);
  if (stored != NULL)
    *stored = priv->checksum_stored;
  if (computed != NULL)
    *computed = priv->checksum_computed;
  return priv->has_checksum;
}

/* Returns: whether the image's model could be checked (FALSE: a raw blob, spec-only) */
gboolean
rf_firmware_get_model_checked (RfFirmware *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE (self), FALSE);
  return PRIV (self)->model_checked;
}
