/* rf-sim-state.c: a practice drive's non-volatile memory on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-sim-drive-private.h"

/*
 * Only non-volatile memory is saved: reopening a practice drive is a power-up.
 * That is what makes "the program died mid-flash" equal "power failed there".
 * One GVariant (version, scenario id, a{sv}) replaced atomically.
 */

#define STATE_VERSION 1
#define STATE_TYPE    "(usa{sv})"

static gboolean
is_nec (RfSimDrive *self)
{
  return self->scenario->protocol == RF_SIM_PROTOCOL_NEC_2M;
}

static GVariant *
bytes_variant (const guint8 *data,
               gsize         length)
{
  return g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, length, 1);
}

static GVariant *
state_to_variant (RfSimDrive *self)
{
  GVariantBuilder dict;

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "disc", g_variant_new_boolean (self->disc));
  g_variant_builder_add (&dict, "{sv}", "fired-faults",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, self->fired->data,
                                                    self->fired->len, sizeof (guint32)));
  if (is_nec (self))
    {
      g_variant_builder_add (&dict, "{sv}", "flash", bytes_variant (self->flash, RF_NEC_FLASH_SIZE));
      g_variant_builder_add (&dict, "{sv}", "has-stored-sum",
                             g_variant_new_boolean (self->has_stored_sum));
      g_variant_builder_add (&dict, "{sv}", "stored-sum", g_variant_new_uint16 (self->stored_sum));
    }
  else
    {
      g_variant_builder_add (&dict, "{sv}", "stored",
                             bytes_variant (self->spc_stored, self->scenario->image_size));
      g_variant_builder_add (&dict, "{sv}", "stored-valid",
                             g_variant_new_boolean (self->spc_stored_valid));
    }
  return g_variant_ref_sink (g_variant_new (STATE_TYPE, STATE_VERSION, self->scenario->id, &dict));
}

/**
 * rf_sim_drive_save_state:
 *
 * Replaces the state file atomically (g_file_set_contents, no fsync: a practice
 * drive must survive the program dying, not the computer). Called with the lock
 * held, after every command that changed non-volatile memory.
 */
gboolean
rf_sim_drive_save_state (RfSimDrive *self,
                         GError    **error)
{
  g_autoptr(GVariant) state = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(GError) local_error = NULL;

  if (self->state_path == NULL)
    return TRUE;
  dir = g_path_get_dirname (self->state_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      rf_error_set_from_errno (error, errno, dir);
      return FALSE;
    }
  state = state_to_variant (self);
  if (!g_file_set_contents (self->state_path, g_variant_get_data (state),
                            (gssize) g_variant_get_size (state), &local_error))
    {
      rf_error_convert (&local_error);
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Saving the practice drive: ");
      return FALSE;
    }
  return TRUE;
}

static gboolean
restore_bytes (GVariant   *dict,
               const char *key,
               guint8     *dest,
               gsize       length)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (dict, key, G_VARIANT_TYPE_BYTESTRING);
  gsize n = 0;
  const guint8 *data;

  if (value == NULL)
    return FALSE;
  data = g_variant_get_fixed_array (value, &n, 1);
  if (n != length)
    return FALSE;
  memcpy (dest, data, length);
  return TRUE;
}

static gboolean
restore_from_dict (RfSimDrive *self,
                   GVariant   *dict)
{
  gboolean disc;
  g_autoptr(GVariant) fired = NULL;

  if (!g_variant_lookup (dict, "disc", "b", &disc))
    return FALSE;
  self->disc = disc;
  fired = g_variant_lookup_value (dict, "fired-faults", G_VARIANT_TYPE ("au"));
  if (fired != NULL)
    {
      gsize n = 0;
      const guint32 *indices = g_variant_get_fixed_array (fired, &n, sizeof (guint32));

      g_array_set_size (self->fired, 0);
      g_array_append_vals (self->fired, indices, (guint) n);
      rf_sim_drive_disarm_fired (self);
    }
  if (is_nec (self))
    return restore_bytes (dict, "flash", self->flash, RF_NEC_FLASH_SIZE) &&
           g_variant_lookup (dict, "has-stored-sum", "b", &self->has_stored_sum) &&
           g_variant_lookup (dict, "stored-sum", "q", &self->stored_sum);
  return restore_bytes (dict, "stored", self->spc_stored, self->scenario->image_size) &&
         g_variant_lookup (dict, "stored-valid", "b", &self->spc_stored_valid);
}

/* FALSE with an error for a damaged or foreign file; TRUE when none exists.
 * Called on a new drive, before it powers up. */
gboolean
rf_sim_drive_load_state (RfSimDrive *self,
            GError    **error)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) state = NULL;
  g_autoptr(GVariant) dict = NULL;
  const char *id = NULL;
  guint32 version = 0;

  if (!g_file_get_contents (self->state_path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return TRUE;
      rf_error_convert (&local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  state = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (STATE_TYPE), bytes, FALSE));
  if (g_variant_is_normal_form (state))
    {
      g_variant_get (state, "(u&s@a{sv})", &version, &id, &dict);
      if (version == STATE_VERSION && g_str_equal (id, self->scenario->id) &&
          restore_from_dict (self, dict))
        return TRUE;
    }
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
               "%s is not a saved state of practice drive “%s”; reset the practice drive",
               self->state_path, self->scenario->id);
  return FALSE;
}
