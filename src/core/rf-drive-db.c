/* rf-drive-db.c: loads and matches drive families
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rf-drive-db.h"
#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-paths.h"
#include "rf-phase.h"

static const char * const led_nicks[] = {
  "off", "steady", "short-blinks", "blinking", "blinking-fast", NULL
};

static const char * const family_keys[] = {
  "Id", "Name", "Protocol", "ImageFormat", "Support", "BootRevision", "SafeModeKeys", NULL
};

static const char * const model_keys[] = {
  "Name", "Aliases", "BaseHardware", "Vendor", "Product", "BootVendor", "BootProduct",
  "RidCode", "ModelDigits", NULL
};

static const char * const download_keys[] = {
  "Variant", "BufferId", "StartOffset", "ChunkSize", "SettleSeconds", "ImageSizes",
  "ModelCheckOffset", "ModelCheckBytes", "RevisionOffset", "BootModeAcceptsDownload",
  "DumpBufferId", "DumpLength", "OffsetBoundary", "BufferCapacity", NULL
};

/* The longest settle time spc-download.md allows. */
#define RF_MAX_SETTLE_SECONDS 300

struct _RfDriveDb
{
  GObject parent_instance;

  GPtrArray *families; /* RfDriveFamily */
};

G_DEFINE_FINAL_TYPE (RfDriveDb, rf_drive_db, G_TYPE_OBJECT)

static void
drive_model_free (gpointer data)
{
  RfDriveModel *model = data;

  g_free (model->id);
  g_strfreev (model->aliases);
  g_free (model->name);
  g_free (model->base_hardware);
  g_free (model->rid_code);
  g_free (model->model_digits);
  g_free (model);
}

static void
drive_family_clear (gpointer data)
{
  RfDriveFamily *family = data;

  g_free (family->id);
  g_free (family->name);
  g_free (family->file);
  g_free (family->protocol);
  g_free (family->image_format);
  g_free (family->boot_revision);
  g_strfreev (family->safe_mode_keys);
  g_clear_pointer (&family->models, g_ptr_array_unref);
  g_clear_pointer (&family->expected_seconds, g_hash_table_unref);
  g_clear_pointer (&family->led_hints, g_hash_table_unref);
  g_clear_pointer (&family->download.image_sizes, g_array_unref);
  g_clear_pointer (&family->download.model_check, g_bytes_unref);
}

RfDriveFamily *
rf_drive_family_ref (RfDriveFamily *family)
{
  g_return_val_if_fail (family != NULL, NULL);
  return g_atomic_rc_box_acquire (family);
}

void
rf_drive_family_unref (RfDriveFamily *family)
{
  if (family != NULL)
    g_atomic_rc_box_release_full (family, drive_family_clear);
}

const RfDriveModel *
rf_drive_family_find_model (const RfDriveFamily *family,
                            const char          *id_or_alias)
{
  g_return_val_if_fail (family != NULL, NULL);
  g_return_val_if_fail (id_or_alias != NULL, NULL);

  for (guint i = 0; i < family->models->len; i++)
    {
      const RfDriveModel *model = g_ptr_array_index (family->models, i);

      if (g_str_equal (model->id, id_or_alias) ||
          g_strv_contains ((const char * const *) model->aliases, id_or_alias))
        return model;
    }
  return NULL;
}

/**
 * rf_drive_family_get_title:
 *
 * The family's name in the person's language. The files in data/drives/ stay
 * in English (a merged `Name[de]=` would be an unknown key to the loader);
 * po/drives/ hands their names to the translators, and they are looked up
 * here, where they are shown. JSON, journals and reports keep @family->name.
 */
const char *
rf_drive_family_get_title (const RfDriveFamily *family)
{
  g_return_val_if_fail (family != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, family->name);
}

/**
 * rf_drive_model_get_title:
 *
 * The model's name in the person's language, as rf_drive_family_get_title():
 * "Practice SPC drive" is words; "ND-3550A" stays as it is in most languages.
 */
const char *
rf_drive_model_get_title (const RfDriveModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, model->name);
}

guint
rf_drive_family_get_expected_seconds (const RfDriveFamily *family,
                                      const char          *phase)
{
  g_return_val_if_fail (family != NULL && phase != NULL, 0);
  return GPOINTER_TO_UINT (g_hash_table_lookup (family->expected_seconds, phase));
}

const char *
rf_drive_family_get_led_hint (const RfDriveFamily *family,
                              const char          *phase)
{
  g_return_val_if_fail (family != NULL && phase != NULL, NULL);
  return g_hash_table_lookup (family->led_hints, phase);
}

/* @revision: the 4 INQUIRY revision bytes. */
gboolean
rf_drive_family_is_boot_revision (const RfDriveFamily *family,
                                  const guint8        *revision)
{
  char text[5];

  g_return_val_if_fail (family != NULL && revision != NULL, FALSE);

  if (family->boot_revision == NULL)
    return FALSE;
  for (guint i = 0; i < 4; i++)
    text[i] = revision[i] != 0 ? (char) revision[i] : ' ';
  text[4] = '\0';
  return g_pattern_match_simple (family->boot_revision, text);
}

/**
 * rf_spc_variant_get_mode:
 *
 * Returns: the WRITE BUFFER mode that carries a variant's image
 *   (spc-download.md "Variants"): 0x05, 0x07 or 0x0E
 */
guint8
rf_spc_variant_get_mode (RfSpcVariant variant)
{
  switch (variant)
    {
    case RF_SPC_VARIANT_SINGLE:
      return 0x05;
    case RF_SPC_VARIANT_DEFERRED:
      return 0x0e;
    case RF_SPC_VARIANT_OFFSETS:
    default:
      return 0x07;
    }
}

const char *
rf_drive_support_to_nick (RfDriveSupport support)
{
  return support == RF_DRIVE_SUPPORT_TESTED_ON_HARDWARE ? "tested-on-hardware" : "spec-only";
}

/* Loading */

typedef struct {
  const char *file;
  GKeyFile *keys;
} Loader;

static gboolean
fail (const Loader *loader,
      const char   *group,
      const char   *key,
      GError      **error,
      const char   *problem)
{
  if (key != NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: [%s] %s: %s", loader->file, group,
                 key, problem);
  else
    g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: [%s]: %s", loader->file, group,
                 problem);
  return FALSE;
}

static gboolean
check_keys (const Loader       *loader,
            const char         *group,
            const char * const *allowed,
            GError            **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (loader->keys, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    if (!g_strv_contains (allowed, keys[i]))
      return fail (loader, group, keys[i], error, "unknown key");
  return TRUE;
}

static char *
get_string (const Loader *loader,
            const char   *group,
            const char   *key,
            gboolean      required,
            GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  char *value;

  if (!g_key_file_has_key (loader->keys, group, key, NULL))
    {
      if (required)
        fail (loader, group, key, error, "missing");
      return NULL;
    }
  value = g_key_file_get_string (loader->keys, group, key, &local_error);
  if (value == NULL)
    fail (loader, group, key, error, local_error->message);
  return value;
}

static gboolean
get_choice (const Loader       *loader,
            const char         *group,
            const char         *key,
            const char * const *choices,
            guint              *index,
            GError            **error)
{
  g_autofree char *value = get_string (loader, group, key, TRUE, error);
  g_autofree char *problem = NULL;

  if (value == NULL)
    return FALSE;
  for (guint i = 0; choices[i] != NULL; i++)
    if (g_str_equal (choices[i], value))
      {
        *index = i;
        return TRUE;
      }
  problem = g_strdup_printf ("“%s” is not one of the allowed values", value);
  return fail (loader, group, key, error, problem);
}

/* Decimal, or hexadecimal with 0x. */
static gboolean
parse_number (const char *text,
              guint64     max,
              guint64    *value)
{
  guint base = 10;

  if (g_str_has_prefix (text, "0x") || g_str_has_prefix (text, "0X"))
    {
      text += 2;
      base = 16;
    }
  return *text != '\0' && g_ascii_string_to_unsigned (text, base, 0, max, value, NULL);
}

static gboolean
get_number (const Loader *loader,
            const char   *group,
            const char   *key,
            guint64       max,
            guint64       fallback,
            guint64      *value,
            GError      **error)
{
  g_autofree char *text = NULL;

  if (!g_key_file_has_key (loader->keys, group, key, NULL))
    {
      *value = fallback;
      return TRUE;
    }
  text = get_string (loader, group, key, TRUE, error);
  if (text == NULL)
    return FALSE;
  if (!parse_number (g_strstrip (text), max, value))
    return fail (loader, group, key, error, "not a number in the allowed range");
  return TRUE;
}

static gboolean
get_boolean (const Loader *loader,
             const char   *group,
             const char   *key,
             gboolean     *value,
             GError      **error)
{
  g_autoptr(GError) local_error = NULL;

  *value = FALSE;
  if (!g_key_file_has_key (loader->keys, group, key, NULL))
    return TRUE;
  *value = g_key_file_get_boolean (loader->keys, group, key, &local_error);
  if (local_error != NULL)
    return fail (loader, group, key, error, "not true or false");
  return TRUE;
}

/* INQUIRY fields are compared byte for byte, so the value (with \s for spaces)
 * must have exactly the field's length. */
static gboolean
get_fixed_field (const Loader *loader,
                 const char   *group,
                 const char   *key,
                 guint8       *field,
                 gsize         length,
                 gboolean      required,
                 gboolean     *present,
                 GError      **error)
{
  g_autofree char *value = NULL;
  g_autofree char *problem = NULL;

  if (present != NULL)
    *present = FALSE;
  if (!required && !g_key_file_has_key (loader->keys, group, key, NULL))
    return TRUE;
  value = get_string (loader, group, key, TRUE, error);
  if (value == NULL)
    return FALSE;
  if (strlen (value) != length)
    {
      problem = g_strdup_printf ("must be exactly %" G_GSIZE_FORMAT " bytes (write spaces as \\s), "
                                 "not %" G_GSIZE_FORMAT, length, strlen (value));
      return fail (loader, group, key, error, problem);
    }
  memcpy (field, value, length);
  if (present != NULL)
    *present = TRUE;
  return TRUE;
}

static gboolean
load_model (const Loader  *loader,
            const char    *group,
            RfDriveFamily *family,
            GError       **error)
{
  RfDriveModel *model = g_new0 (RfDriveModel, 1);
  gboolean has_boot_vendor;
  gboolean has_boot_product;

  g_ptr_array_add (family->models, model);
  model->id = g_strdup (group + strlen ("Model "));
  if (model->id[0] == '\0')
    return fail (loader, group, NULL, error, "a model group needs an ID after “Model ”");
  if (!check_keys (loader, group, model_keys, error))
    return FALSE;
  model->name = get_string (loader, group, "Name", TRUE, error);
  if (model->name == NULL)
    return FALSE;
  model->aliases = g_key_file_get_string_list (loader->keys, group, "Aliases", NULL, NULL);
  if (model->aliases == NULL)
    model->aliases = g_new0 (char *, 1);
  model->base_hardware = get_string (loader, group, "BaseHardware", FALSE, NULL);
  model->rid_code = get_string (loader, group, "RidCode", FALSE, NULL);
  model->model_digits = get_string (loader, group, "ModelDigits", FALSE, NULL);
  if (!get_fixed_field (loader, group, "Vendor", model->vendor, RF_DRIVE_VENDOR_LENGTH, TRUE,
                        NULL, error) ||
      !get_fixed_field (loader, group, "Product", model->product, RF_DRIVE_PRODUCT_LENGTH, TRUE,
                        NULL, error))
    return FALSE;
  memcpy (model->boot_vendor, model->vendor, sizeof model->vendor);
  memcpy (model->boot_product, model->product, sizeof model->product);
  if (!get_fixed_field (loader, group, "BootVendor", model->boot_vendor,
                        RF_DRIVE_VENDOR_LENGTH, FALSE, &has_boot_vendor, error) ||
      !get_fixed_field (loader, group, "BootProduct", model->boot_product,
                        RF_DRIVE_PRODUCT_LENGTH, FALSE, &has_boot_product, error))
    return FALSE;
  model->has_boot_identity = has_boot_vendor || has_boot_product;
  if (model->base_hardware != NULL &&
      rf_drive_family_find_model (family, model->base_hardware) == NULL)
    return fail (loader, group, "BaseHardware", error, "names no model listed before it");
  return TRUE;
}

static gboolean
load_phase_table (const Loader  *loader,
                  const char    *group,
                  gboolean       leds,
                  RfDriveFamily *family,
                  GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (loader->keys, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      guint64 seconds;
      guint choice;

      if (!rf_phase_from_nick (keys[i], NULL))
        return fail (loader, group, keys[i], error, "unknown phase");
      if (leds)
        {
          if (!get_choice (loader, group, keys[i], led_nicks, &choice, error))
            return FALSE;
          g_hash_table_insert (family->led_hints, g_strdup (keys[i]),
                               g_strdup (led_nicks[choice]));
        }
      else
        {
          if (!get_number (loader, group, keys[i], 24 * 3600, 0, &seconds, error))
            return FALSE;
          g_hash_table_insert (family->expected_seconds, g_strdup (keys[i]),
                               GUINT_TO_POINTER ((guint) seconds));
        }
    }
  return TRUE;
}

static gboolean
load_image_sizes (const Loader  *loader,
                  RfDriveFamily *family,
                  GError       **error)
{
  g_auto(GStrv) sizes = g_key_file_get_string_list (loader->keys, "Download", "ImageSizes",
                                                    NULL, NULL);

  for (guint i = 0; sizes != NULL && sizes[i] != NULL; i++)
    {
      guint64 size;

      if (!parse_number (g_strstrip (sizes[i]), G_MAXUINT32, &size) || size == 0)
        return fail (loader, "Download", "ImageSizes", error, "not a list of sizes in bytes");
      g_array_append_val (family->download.image_sizes, size);
    }
  return TRUE;
}

/* Where READ BUFFER (mode 2) reads the running firmware back for a backup: both
 * keys or neither. */
static gboolean
load_dump (const Loader  *loader,
           RfSpcDownload *download,
           GError       **error)
{
  gboolean has_id = g_key_file_has_key (loader->keys, "Download", "DumpBufferId", NULL);
  gboolean has_length = g_key_file_has_key (loader->keys, "Download", "DumpLength", NULL);
  guint64 value;

  if (has_id != has_length)
    return fail (loader, "Download", has_id ? "DumpBufferId" : "DumpLength", error,
                 "DumpBufferId and DumpLength go together");
  download->has_dump = has_id;
  if (!download->has_dump)
    return TRUE;
  if (!get_number (loader, "Download", "DumpBufferId", 0xff, 0, &value, error))
    return FALSE;
  download->dump_buffer_id = (guint8) value;
  if (!get_number (loader, "Download", "DumpLength", G_MAXUINT32, 0, &value, error))
    return FALSE;
  if (value == 0)
    return fail (loader, "Download", "DumpLength", error, "must be more than 0 bytes");
  download->dump_length = (guint32) value;
  return TRUE;
}

/* What READ BUFFER (mode 3) would say, for a drive that refuses it
 * (spc-download.md "Chunks": then the family data must give both, or the
 * family cannot be flashed): both keys or neither. */
static gboolean
load_descriptor (const Loader  *loader,
                 RfSpcDownload *download,
                 GError       **error)
{
  gboolean has_boundary = g_key_file_has_key (loader->keys, "Download", "OffsetBoundary", NULL);
  gboolean has_capacity = g_key_file_has_key (loader->keys, "Download", "BufferCapacity", NULL);
  guint64 value;

  if (has_boundary != has_capacity)
    return fail (loader, "Download", has_boundary ? "OffsetBoundary" : "BufferCapacity", error,
                 "OffsetBoundary and BufferCapacity go together");
  download->has_descriptor = has_boundary;
  if (!download->has_descriptor)
    return TRUE;
  if (!get_number (loader, "Download", "OffsetBoundary", 0xff, 0, &value, error))
    return FALSE;
  download->offset_boundary = (guint8) value;
  /* The descriptor's capacity field has 24 bits. */
  if (!get_number (loader, "Download", "BufferCapacity", 0xffffff, 0, &value, error))
    return FALSE;
  if (value == 0)
    return fail (loader, "Download", "BufferCapacity", error, "must be more than 0 bytes");
  download->buffer_capacity = (guint32) value;
  return TRUE;
}

static gboolean
load_download (const Loader  *loader,
               RfDriveFamily *family,
               GError       **error)
{
  static const char * const variants[] = { "single", "offsets", "deferred", NULL };
  RfSpcDownload *download = &family->download;
  g_autofree char *chunk = NULL;
  g_autofree char *check = NULL;
  guint choice;
  guint64 value;

  if (!check_keys (loader, "Download", download_keys, error) ||
      !get_choice (loader, "Download", "Variant", variants, &choice, error))
    return FALSE;
  download->variant = (RfSpcVariant) choice;
  if (!get_number (loader, "Download", "BufferId", 0xff, 0, &value, error))
    return FALSE;
  download->buffer_id = (guint8) value;
  if (!get_number (loader, "Download", "StartOffset", 0xffffff, 0, &value, error))
    return FALSE;
  download->start_offset = (guint32) value;
  chunk = get_string (loader, "Download", "ChunkSize", TRUE, error);
  if (chunk == NULL)
    return FALSE;
  if (g_str_equal (chunk, "from-descriptor"))
    download->chunk_size = 0;
  else if (parse_number (chunk, 0xffffff, &value) && value > 0)
    download->chunk_size = (guint32) value;
  else
    return fail (loader, "Download", "ChunkSize", error, "a size in bytes or from-descriptor");
  if (!get_number (loader, "Download", "SettleSeconds", RF_MAX_SETTLE_SECONDS, 60, &value,
                   error))
    return FALSE;
  download->settle_seconds = (guint) value;
  if (!load_image_sizes (loader, family, error))
    return FALSE;
  download->has_model_check = g_key_file_has_key (loader->keys, "Download", "ModelCheckOffset",
                                                  NULL);
  if (download->has_model_check)
    {
      if (!get_number (loader, "Download", "ModelCheckOffset", G_MAXUINT32, 0, &value, error))
        return FALSE;
      download->model_check_offset = (guint32) value;
      check = get_string (loader, "Download", "ModelCheckBytes", TRUE, error);
      if (check == NULL)
        return FALSE;
      if (check[0] == '\0')
        return fail (loader, "Download", "ModelCheckBytes", error, "empty");
      download->model_check = g_bytes_new (check, strlen (check));
    }
  else if (g_key_file_has_key (loader->keys, "Download", "ModelCheckBytes", NULL))
    return fail (loader, "Download", "ModelCheckBytes", error, "needs ModelCheckOffset");
  download->has_revision_offset = g_key_file_has_key (loader->keys, "Download",
                                                      "RevisionOffset", NULL);
  if (!get_number (loader, "Download", "RevisionOffset", G_MAXUINT32, 0, &value, error))
    return FALSE;
  download->revision_offset = (guint32) value;
  if (!load_dump (loader, download, error) || !load_descriptor (loader, download, error))
    return FALSE;
  return get_boolean (loader, "Download", "BootModeAcceptsDownload",
                      &download->boot_mode_accepts_download, error);
}

static gboolean
load_safe_mode_keys (const Loader  *loader,
                     RfDriveFamily *family,
                     GError       **error)
{
  family->safe_mode_keys = g_key_file_get_string_list (loader->keys, "Family", "SafeModeKeys",
                                                       NULL, NULL);
  if (family->safe_mode_keys == NULL)
    family->safe_mode_keys = g_new0 (char *, 1);
  if (g_str_equal (family->protocol, "nec-2m") && family->safe_mode_keys[0] == NULL)
    return fail (loader, "Family", "SafeModeKeys", error, "an nec-2m family needs its keys");
  for (guint i = 0; family->safe_mode_keys[i] != NULL; i++)
    {
      const RfDriveModel *model = rf_drive_family_find_model (family, family->safe_mode_keys[i]);

      const RfNecType *type = rf_nec_type_from_id (family->safe_mode_keys[i]);

      /* Key probing may only use canonical IDs of the family's own models; for
       * nec-2m only the five keys of nec-2m.md §2. */
      if (model == NULL || !g_str_equal (model->id, family->safe_mode_keys[i]))
        return fail (loader, "Family", "SafeModeKeys", error,
                     "every key must be the ID of a model in this file");
      if (g_str_equal (family->protocol, "nec-2m") &&
          (type == NULL || !g_str_equal (type->id, family->safe_mode_keys[i])))
        return fail (loader, "Family", "SafeModeKeys", error,
                     "every key must be one of the NEC keys K355, D355, K356, K450, K451");
    }
  return TRUE;
}

static gboolean
load_family (const Loader  *loader,
             RfDriveFamily *family,
             GError       **error)
{
  static const char * const protocols[] = { "nec-2m", "spc-download", NULL };
  static const char * const formats[] = { "nec-2m", "raw", NULL };
  static const char * const supports[] = { "tested-on-hardware", "spec-only", NULL };
  g_auto(GStrv) groups = g_key_file_get_groups (loader->keys, NULL);
  guint choice;

  if (!g_key_file_has_group (loader->keys, "Family"))
    return fail (loader, "Family", NULL, error, "missing");
  if (!check_keys (loader, "Family", family_keys, error))
    return FALSE;
  family->id = get_string (loader, "Family", "Id", TRUE, error);
  if (family->id == NULL)
    return FALSE;
  family->name = get_string (loader, "Family", "Name", TRUE, error);
  if (family->name == NULL || !get_choice (loader, "Family", "Protocol", protocols, &choice, error))
    return FALSE;
  family->protocol = g_strdup (protocols[choice]);
  if (!get_choice (loader, "Family", "ImageFormat", formats, &choice, error))
    return FALSE;
  family->image_format = g_strdup (formats[choice]);
  if (!get_choice (loader, "Family", "Support", supports, &choice, error))
    return FALSE;
  family->support = (RfDriveSupport) choice;
  family->boot_revision = get_string (loader, "Family", "BootRevision", FALSE, NULL);

  for (guint i = 0; groups[i] != NULL; i++)
    {
      if (g_str_equal (groups[i], "Family"))
        continue;
      if (g_str_has_prefix (groups[i], "Model "))
        {
          if (!load_model (loader, groups[i], family, error))
            return FALSE;
        }
      else if (g_str_equal (groups[i], "ExpectedSeconds") || g_str_equal (groups[i], "LedHints"))
        {
          if (!load_phase_table (loader, groups[i], g_str_equal (groups[i], "LedHints"), family,
                                 error))
            return FALSE;
        }
      else if (g_str_equal (groups[i], "Download"))
        {
          if (!g_str_equal (family->protocol, "spc-download"))
            return fail (loader, groups[i], NULL, error, "only spc-download families have it");
          if (!load_download (loader, family, error))
            return FALSE;
        }
      else
        return fail (loader, groups[i], NULL, error, "unknown group");
    }
  if (family->models->len == 0)
    return fail (loader, "Family", NULL, error, "no [Model …] group");
  if (g_str_equal (family->protocol, "spc-download") &&
      !g_key_file_has_group (loader->keys, "Download"))
    return fail (loader, "Download", NULL, error, "missing for an spc-download family");
  return load_safe_mode_keys (loader, family, error);
}

static RfDriveFamily *
family_new (const char *file)
{
  RfDriveFamily *family = g_atomic_rc_box_new0 (RfDriveFamily);

  family->file = g_strdup (file);
  family->models = g_ptr_array_new_with_free_func (drive_model_free);
  family->expected_seconds = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  family->led_hints = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  family->download.image_sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  family->download.settle_seconds = 60;
  return family;
}

static void
rf_drive_db_finalize (GObject *object)
{
  RfDriveDb *self = RF_DRIVE_DB (object);

  g_ptr_array_unref (self->families);
  G_OBJECT_CLASS (rf_drive_db_parent_class)->finalize (object);
}

static void
rf_drive_db_class_init (RfDriveDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_drive_db_finalize;
}

static void
rf_drive_db_init (RfDriveDb *self)
{
  self->families = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_drive_family_unref);
}

RfDriveDb *
rf_drive_db_new (void)
{
  return g_object_new (RF_TYPE_DRIVE_DB, NULL);
}

/**
 * rf_drive_db_new_default:
 *
 * Returns: (transfer full) (nullable): the families shipped in the data folder
 */
RfDriveDb *
rf_drive_db_new_default (GError **error)
{
  g_autoptr(RfDriveDb) self = rf_drive_db_new ();
  g_autofree char *dir = rf_paths_get_data_subdir ("drives");

  if (!rf_drive_db_load_dir (self, dir, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * rf_drive_db_load_file:
 *
 * Errors are %RF_ERROR_INVALID_FILE and name the file, group and key.
 */
gboolean
rf_drive_db_load_file (RfDriveDb  *self,
                       const char *path,
                       GError    **error)
{
  g_autoptr(GKeyFile) keys = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(RfDriveFamily) family = NULL;
  g_autofree char *base = NULL;
  Loader loader;

  g_return_val_if_fail (RF_IS_DRIVE_DB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  base = g_path_get_basename (path);
  if (!g_key_file_load_from_file (keys, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: %s", base, local_error->message);
      return FALSE;
    }
  loader.file = base;
  loader.keys = keys;
  family = family_new (path);
  if (!load_family (&loader, family, error))
    return FALSE;
  if (rf_drive_db_lookup (self, family->id) != NULL)
    return fail (&loader, "Family", "Id", error, "another file already uses this id");
  g_ptr_array_add (self->families, g_steal_pointer (&family));
  return TRUE;
}

static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

gboolean
rf_drive_db_load_dir (RfDriveDb  *self,
                      const char *path,
                      GError    **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  g_return_val_if_fail (RF_IS_DRIVE_DB (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  dir = g_dir_open (path, 0, &local_error);
  if (dir == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "Drive families: %s",
                   local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".conf"))
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  /* File order decides which family wins a tie: make it stable. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    if (!rf_drive_db_load_file (self, g_ptr_array_index (names, i), error))
      return FALSE;
  return TRUE;
}

/**
 * rf_drive_db_get_families:
 *
 * Returns: (transfer none) (element-type RfDriveFamily): every loaded family
 */
GPtrArray *
rf_drive_db_get_families (RfDriveDb *self)
{
  g_return_val_if_fail (RF_IS_DRIVE_DB (self), NULL);
  return self->families;
}

/**
 * rf_drive_db_lookup:
 *
 * Returns: (transfer none) (nullable): the family with id @family_id
 */
RfDriveFamily *
rf_drive_db_lookup (RfDriveDb  *self,
                    const char *family_id)
{
  g_return_val_if_fail (RF_IS_DRIVE_DB (self), NULL);
  g_return_val_if_fail (family_id != NULL, NULL);

  for (guint i = 0; i < self->families->len; i++)
    {
      RfDriveFamily *family = g_ptr_array_index (self->families, i);

      if (g_str_equal (family->id, family_id))
        return family;
    }
  return NULL;
}

/**
 * rf_drive_db_match:
 * @inquiry: INQUIRY data, at least 36 bytes
 * @model: (out) (optional): the first model whose rule matched
 * @boot_mode: (out) (optional): whether it matched the boot-mode rule
 *
 * Compares vendor (8 bytes) and product (16 bytes) byte for byte and
 * case-sensitively; in boot mode against the model's boot identity, and only
 * when the revision shows the family's boot-mode signature.
 *
 * Returns: (transfer none) (nullable): the family, or %NULL if none matched
 */
RfDriveFamily *
rf_drive_db_match (RfDriveDb           *self,
                   const guint8        *inquiry,
                   gsize                length,
                   const RfDriveModel **model,
                   gboolean            *boot_mode)
{
  const guint8 *vendor = inquiry + 8;
  const guint8 *product = inquiry + 16;
  const guint8 *revision = inquiry + 32;

  g_return_val_if_fail (RF_IS_DRIVE_DB (self), NULL);
  g_return_val_if_fail (inquiry != NULL && length >= 36, NULL);

  for (guint i = 0; i < self->families->len; i++)
    {
      RfDriveFamily *family = g_ptr_array_index (self->families, i);
      gboolean in_boot_mode = rf_drive_family_is_boot_revision (family, revision);

      /* nec-2m.md §0: normal mode has byte 32 ≠ '0', safe mode "0." and two
       * characters. A revision that is neither ("0100", "0-05") is no mode
       * Reflash knows, so the drive matches no NEC family: nothing vendor-
       * specific is ever sent to it. */
      if (g_str_equal (family->protocol, "nec-2m") && !in_boot_mode && revision[0] == '0')
        continue;
      for (guint j = 0; j < family->models->len; j++)
        {
          const RfDriveModel *candidate = g_ptr_array_index (family->models, j);
          const guint8 *want_vendor = in_boot_mode ? candidate->boot_vendor : candidate->vendor;
          const guint8 *want_product = in_boot_mode ? candidate->boot_product
                                                    : candidate->product;

          if (memcmp (vendor, want_vendor, RF_DRIVE_VENDOR_LENGTH) != 0 ||
              memcmp (product, want_product, RF_DRIVE_PRODUCT_LENGTH) != 0)
            continue;
          if (model != NULL)
            *model = candidate;
          if (boot_mode != NULL)
            *boot_mode = in_boot_mode;
          return family;
        }
    }
  return NULL;
}
