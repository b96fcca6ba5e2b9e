/* rf-sim-state.c: a practice drive's non-volatile memory on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-sim-drive-private.h"

/*
 * Only non-volatile memory is saved: reopening a practice drive is a power-up.
 * That is what makes "the program died mid-flash" equal "power failed there".
 *
 * Two files. NAME.flash holds the flash (NEC: 2 MiB; SPC: the stored
 * microcode) flat, and is updated in place: only the bytes a command changed are
 * written, so a flash costs what it erases and programs, not 2 MiB per command.
 * A write cut short by a kill is a partly erased or programmed range, which is
 * what a power loss leaves. NAME holds the rest (disc, fired faults, the stored
 * sum or the "stored microcode valid" flag) as a small GVariant replaced
 * atomically (a temporary file and a rename). Neither is fsynced
 * (ARCHITECTURE.md: a practice drive must survive the program dying, not the
 * computer).
 *
 * The order of the two writes keeps every state in between one a power loss
 * could give: metadata that takes validity away (the stored sum erased with
 * block 34) goes first, metadata that gives it (the stored sum set by a PROGRAM)
 * goes after the flash it vouches for.
 */

#define STATE_VERSION 2
#define STATE_TYPE    "(usa{sv})"

static gboolean
is_nec (RfSimDrive *self)
{
  return self->scenario->protocol == RF_SIM_PROTOCOL_NEC_2M;
}

static guint8 *
nvm (RfSimDrive *self)
{
  return is_nec (self) ? rf_sim_drive_ensure_flash (self) : self->spc_stored;
}

static gsize
nvm_size (RfSimDrive *self)
{
  return is_nec (self) ? RF_NEC_FLASH_SIZE : self->scenario->image_size;
}

static char *
flash_path (RfSimDrive *self)
{
  return g_strconcat (self->state_path, ".flash", NULL);
}

/**
 * rf_sim_drive_touch_nvm:
 *
 * Notes that @length bytes of non-volatile memory from @start changed, so that
 * the next save writes them.
 */
void
rf_sim_drive_touch_nvm (RfSimDrive *self,
                        gsize       start,
                        gsize       length)
{
  if (length == 0)
    return;
  if (self->dirty_end == 0)
    {
      self->dirty_start = start;
      self->dirty_end = start + length;
      return;
    }
  self->dirty_start = MIN (self->dirty_start, start);
  self->dirty_end = MAX (self->dirty_end, start + length);
}

/* Whether the metadata vouches for the stored memory. */
static gboolean
metadata_valid (RfSimDrive *self)
{
  return is_nec (self) ? self->has_stored_sum : self->spc_stored_valid;
}

static GBytes *
metadata_bytes (RfSimDrive *self,
                gboolean    valid)
{
  GVariantBuilder dict;
  g_autoptr(GVariant) state = NULL;

  g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&dict, "{sv}", "disc", g_variant_new_boolean (self->disc));
  g_variant_builder_add (&dict, "{sv}", "fired-faults",
                         g_variant_new_fixed_array (G_VARIANT_TYPE_UINT32, self->fired->data,
                                                    self->fired->len, sizeof (guint32)));
  g_variant_builder_add (&dict, "{sv}", "flash-size", g_variant_new_uint32 ((guint32) nvm_size (self)));
  if (is_nec (self))
    {
      g_variant_builder_add (&dict, "{sv}", "has-stored-sum", g_variant_new_boolean (valid));
      g_variant_builder_add (&dict, "{sv}", "stored-sum", g_variant_new_uint16 (self->stored_sum));
    }
  else
    {
      g_variant_builder_add (&dict, "{sv}", "stored-valid", g_variant_new_boolean (valid));
    }
  state = g_variant_ref_sink (g_variant_new (STATE_TYPE, STATE_VERSION, self->scenario->id, &dict));
  return g_variant_get_data_as_bytes (state);
}

/* Writes all of @data at @offset of @fd. */
static gboolean
write_at (int           fd,
          const guint8 *data,
          gsize         length,
          off_t         offset,
          const char   *path,
          GError      **error)
{
  while (length > 0)
    {
      ssize_t n = pwrite (fd, data, length, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          rf_error_set_from_errno (error, n < 0 ? errno : ENOSPC, path);
          return FALSE;
        }
      data += n;
      length -= (gsize) n;
      offset += n;
    }
  return TRUE;
}

static gboolean
close_checked (int         fd,
               const char *path,
               GError    **error)
{
  if (close (fd) == 0)
    return TRUE;
  rf_error_set_from_errno (error, errno, path);
  return FALSE;
}

/* A temporary file renamed over @path: atomic, and without the fsync that every
 * g_file_set_contents* flag asking for atomicity adds (CONSISTENT means fsync +
 * rename; only NONE skips the fsync, and it overwrites in place). */
static gboolean
replace_file (const char *path,
              const void *data,
              gsize       length,
              GError    **error)
{
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  int fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  gboolean ok;

  if (fd < 0)
    {
      rf_error_set_from_errno (error, errno, path);
      return FALSE;
    }
  ok = write_at (fd, data, length, 0, temp, error);
  ok = close_checked (fd, temp, ok ? error : NULL) && ok;
  if (ok && g_rename (temp, path) != 0)
    {
      rf_error_set_from_errno (error, errno, path);
      ok = FALSE;
    }
  if (!ok)
    g_unlink (temp);
  return ok;
}

static gboolean
write_metadata (RfSimDrive *self,
                GBytes     *metadata,
                gboolean    valid,
                GError    **error)
{
  gsize length = 0;
  const void *data = g_bytes_get_data (metadata, &length);

  if (!replace_file (self->state_path, data, length, error))
    return FALSE;
  g_clear_pointer (&self->saved_metadata, g_bytes_unref);
  self->saved_metadata = g_bytes_ref (metadata);
  self->saved_valid = valid;
  return TRUE;
}

/* Writes the changed range in place. */
static gboolean
write_dirty_range (RfSimDrive *self,
                   const char *path,
                   GError    **error)
{
  int fd = g_open (path, O_WRONLY | O_CLOEXEC, 0);
  gboolean ok;

  if (fd < 0)
    {
      rf_error_set_from_errno (error, errno, path);
      return FALSE;
    }
  ok = write_at (fd, nvm (self) + self->dirty_start, self->dirty_end - self->dirty_start,
                 (off_t) self->dirty_start, path, error);
  return close_checked (fd, path, ok ? error : NULL) && ok;
}

static gboolean
write_flash (RfSimDrive *self,
             GError    **error)
{
  g_autofree char *path = flash_path (self);

  if (!self->flash_saved)
    {
      /* No complete flash file yet: write all of it at once. */
      if (!replace_file (path, nvm (self), nvm_size (self), error))
        return FALSE;
      self->flash_saved = TRUE;
    }
  else if (self->dirty_end > 0 && !write_dirty_range (self, path, error))
    {
      return FALSE;
    }
  self->dirty_start = self->dirty_end = 0;
  return TRUE;
}

/**
 * rf_sim_drive_save_state:
 *
 * Saves what changed: the touched flash range in place, then or before it the
 * metadata, replaced atomically (see the top of this file). No fsync. Called
 * with the lock held, after every command that changed non-volatile memory.
 */
gboolean
rf_sim_drive_save_state (RfSimDrive *self,
                         GError    **error)
{
  g_autoptr(GBytes) metadata = NULL;
  g_autofree char *dir = NULL;
  gboolean valid = metadata_valid (self);
  gboolean flash_pending;

  if (self->state_path == NULL)
    {
      self->dirty_start = self->dirty_end = 0;
      return TRUE;
    }
  dir = g_path_get_dirname (self->state_path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      rf_error_set_from_errno (error, errno, dir);
      return FALSE;
    }
  flash_pending = !self->flash_saved || self->dirty_end > 0;
  /* Validity taken away: say so before the flash changes. An SPC drive's stored
   * microcode has no checksum of its own, so while it is rewritten the metadata
   * says it is invalid, as a save cut short by a power loss leaves it. */
  if (self->saved_metadata != NULL && self->saved_valid &&
      (!valid || (flash_pending && !is_nec (self))))
    {
      g_autoptr(GBytes) invalid = metadata_bytes (self, FALSE);

      if (!write_metadata (self, invalid, FALSE, error))
        return FALSE;
    }
  if (flash_pending && !write_flash (self, error))
    return FALSE;
  metadata = metadata_bytes (self, valid);
  if (self->saved_metadata != NULL && g_bytes_equal (metadata, self->saved_metadata))
    return TRUE;
  return write_metadata (self, metadata, valid, error);
}

/**
 * rf_sim_drive_forget_state:
 *
 * Deletes the saved state: metadata first, so that a kill in between leaves no
 * metadata, which reads as "never used".
 */
gboolean
rf_sim_drive_forget_state (RfSimDrive *self,
                           GError    **error)
{
  g_autofree char *path = NULL;

  if (self->state_path == NULL)
    return TRUE;
  if (g_unlink (self->state_path) != 0 && errno != ENOENT)
    {
      rf_error_set_from_errno (error, errno, self->state_path);
      return FALSE;
    }
  g_clear_pointer (&self->saved_metadata, g_bytes_unref);
  self->saved_valid = FALSE;
  self->flash_saved = FALSE;
  self->dirty_start = self->dirty_end = 0;
  path = flash_path (self);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      rf_error_set_from_errno (error, errno, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
restore_from_dict (RfSimDrive *self,
                   GVariant   *dict)
{
  gboolean disc;
  guint32 size = 0;
  g_autoptr(GVariant) fired = NULL;

  if (!g_variant_lookup (dict, "disc", "b", &disc) ||
      !g_variant_lookup (dict, "flash-size", "u", &size) || size != nvm_size (self))
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
    return g_variant_lookup (dict, "has-stored-sum", "b", &self->has_stored_sum) &&
           g_variant_lookup (dict, "stored-sum", "q", &self->stored_sum);
  return g_variant_lookup (dict, "stored-valid", "b", &self->spc_stored_valid);
}

/**
 * rf_sim_drive_read_saved_flash:
 *
 * Reads the saved flash file into the drive's memory, which must be there
 * (read, not g_file_get_contents(): no 2 MiB heap block left behind).
 *
 * Returns: %FALSE when the file is missing or not the size of the memory
 */
gboolean
rf_sim_drive_read_saved_flash (RfSimDrive *self)
{
  g_autofree char *path = flash_path (self);
  guint8 *memory = is_nec (self) ? self->flash : self->spc_stored;
  gsize size = nvm_size (self);
  gsize done = 0;
  struct stat info;
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0)
    return FALSE;
  if (fstat (fd, &info) != 0 || (gsize) info.st_size != size)
    {
      g_close (fd, NULL);
      return FALSE;
    }
  while (done < size)
    {
      gssize n = read (fd, memory + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  g_close (fd, NULL);
  return done == size;
}

/* FALSE with an error for a damaged or foreign state; TRUE when none exists.
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

  /* Without metadata the drive was never used, or the program died before its
   * first save finished: a left-over flash file is overwritten by the next one. */
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
          restore_from_dict (self, dict) && rf_sim_drive_read_saved_flash (self))
        {
          self->saved_metadata = g_bytes_ref (bytes);
          self->saved_valid = metadata_valid (self);
          self->flash_saved = TRUE;
          return TRUE;
        }
    }
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
               "%s is not a saved state of practice drive “%s”; reset the practice drive",
               self->state_path, self->scenario->id);
  return FALSE;
}
