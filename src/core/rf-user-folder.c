/* rf-user-folder.c
 *
 * Backups and journals belong to the user who ran Reflash, also through sudo
 * (rf-paths.c decides whose folder and which identity). A store names its
 * folder once; every write in it runs as that user.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include "rf-file-io.h"
#include "rf-paths-private.h"
#include "rf-user-folder.h"

static void
set_folder (RfUserFolder *self,
            const char   *base,
            const char   *relative)
{
  memset (self, 0, sizeof *self);
  self->base = g_strdup (base);
  self->relative = g_strdup (relative);
  self->directory = g_build_filename (base, relative, NULL);
  rf_file_io_init_posix (&self->io);
}

/**
 * rf_user_folder_init_for_user:
 * @relative: e.g. "reflash/backups"
 *
 * @relative below @user's data or state folder, written as @user.
 */
void
rf_user_folder_init_for_user (RfUserFolder      *self,
                              RfUserFolderKind   kind,
                              const char        *relative,
                              const RfPathsUser *user)
{
  g_return_if_fail (self != NULL && relative != NULL && user != NULL);

  set_folder (self, kind == RF_USER_FOLDER_STATE ? user->state_dir : user->data_dir, relative);
  self->user = rf_paths_user_copy (user);
}

/**
 * rf_user_folder_init:
 * @directory: (nullable): a given folder, written as the process is; %NULL
 *   for @relative below the invoking user's own folder (under sudo, the user
 *   who ran it)
 *
 * When the invoking user cannot be told (a `SUDO_UID` that names nobody),
 * rf_user_folder_become_owner() fails with that error.
 */
void
rf_user_folder_init (RfUserFolder     *self,
                     RfUserFolderKind  kind,
                     const char       *relative,
                     const char       *directory)
{
  g_autoptr(RfPathsUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *base = NULL;
  g_autofree char *name = NULL;

  g_return_if_fail (self != NULL && relative != NULL);

  if (directory == NULL)
    {
      user = rf_paths_user_new_invoking (&error);
      if (user != NULL)
        {
          rf_user_folder_init_for_user (self, kind, relative, user);
          return;
        }
      set_folder (self, kind == RF_USER_FOLDER_STATE ? g_get_user_state_dir ()
                                                     : g_get_user_data_dir (), relative);
      self->user_error = g_steal_pointer (&error);
      return;
    }
  base = g_path_get_dirname (directory);
  name = g_path_get_basename (directory);
  set_folder (self, base, name);
  self->user = rf_paths_user_resolve (getuid (), geteuid (), NULL, NULL, NULL, NULL);
}

void
rf_user_folder_clear (RfUserFolder *self)
{
  g_clear_pointer (&self->base, g_free);
  g_clear_pointer (&self->relative, g_free);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->user, rf_paths_user_free);
  g_clear_error (&self->user_error);
}

/* For tests: @io replaces the file system calls; %NULL restores the real ones. */
void
rf_user_folder_set_io (RfUserFolder          *self,
                       const RfBackupStoreIo *io)
{
  rf_file_io_init_posix (&self->io);
  rf_file_io_override (&self->io, io);
}

/* Starts file work as the folder's user; rf_paths_user_restore() ends it. */
gboolean
rf_user_folder_become_owner (RfUserFolder     *self,
                             RfPathsIdentity  *saved,
                             GError          **error)
{
  if (self->user == NULL)
    {
      g_propagate_error (error, g_error_copy (self->user_error));
      return FALSE;
    }
  return rf_paths_user_become (self->user, saved, error);
}

/* Makes the folder when missing and opens it; call it as its owner. */
int
rf_user_folder_open (RfUserFolder  *self,
                     GError       **error)
{
  return rf_paths_make_folder (self->base, self->relative, error);
}
