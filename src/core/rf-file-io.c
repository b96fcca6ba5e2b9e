/* rf-file-io.c
 *
 * A file is written whole under a temporary name, synced, then published
 * under its final name without replacing anything there; on failure nothing
 * is left behind. Names are opened with O_NOFOLLOW and O_EXCL, so a link
 * planted where Reflash writes is refused, never followed. Backups and
 * journals both need exactly this.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* renameat2() and RENAME_NOREPLACE */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-file-io.h"

#define EXISTS_SUFFIX " exists already: not replaced"

static int
posix_openat (int         dir_fd,
              const char *name,
              int         flags,
              int         mode)
{
  return openat (dir_fd, name, flags, mode);
}

static gssize
posix_write (int         fd,
             const void *buffer,
             gsize       count)
{
  return write (fd, buffer, count);
}

/* Publishing never replaces a name that exists: a link planted there stays
 * as it is and the write fails. */
static int
rename_no_replace (int         dir_fd,
                   const char *from,
                   const char *to)
{
  int saved_errno;

  if (renameat2 (dir_fd, from, dir_fd, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  /* File systems without RENAME_NOREPLACE (NFS): a hard link to an existing
   * name fails the same way. */
  if (linkat (dir_fd, from, dir_fd, to, 0) != 0)
    return -1;
  if (unlinkat (dir_fd, from, 0) == 0)
    return 0;
  saved_errno = errno;
  unlinkat (dir_fd, to, 0);
  errno = saved_errno;
  return -1;
}


/* The real calls: what every store uses outside of tests. */
void
rf_file_io_init_posix (RfBackupStoreIo *io)
{
  *io = (RfBackupStoreIo) { posix_openat, posix_write, fsync, rename_no_replace, close };
}

/* For tests: the members of @replacements that are set replace the calls in @io. */
void
rf_file_io_override (RfBackupStoreIo       *io,
                     const RfBackupStoreIo *replacements)
{
  if (replacements == NULL)
    return;
  if (replacements->openat != NULL)
    io->openat = replacements->openat;
  if (replacements->write != NULL)
    io->write = replacements->write;
  if (replacements->fsync != NULL)
    io->fsync = replacements->fsync;
  if (replacements->rename != NULL)
    io->rename = replacements->rename;
  if (replacements->close != NULL)
    io->close = replacements->close;
}

/* A name that is there already (a link the user planted, say) is no fault of
 * the disk: say so. */
gboolean
rf_file_io_set_error (GError    **error,
                 int         errno_value,
                 const char *context)
{
  if (errno_value == EEXIST)
    g_set_error (error, RF_ERROR, RF_ERROR_WRITE, "%s" EXISTS_SUFFIX, context);
  else
    rf_error_set_from_errno (error, errno_value, context);
  return FALSE;
}

/* Removes what a failed write made; the failure being reported already says
 * more than a failed clean-up could. */
void
rf_file_io_remove (int         dir_fd,
             const char *name)
{
  if (unlinkat (dir_fd, name, 0) != 0)
    g_debug ("could not remove %s: %s", name, g_strerror (errno));
}

/* Writes @data to a new file @name in the folder @dir_fd; on failure nothing is
 * left behind. A name that exists already, a link included, is refused. */
gboolean
rf_file_io_write_new (const RfBackupStoreIo *io,
                      int                    dir_fd,
                      const char            *name,
                      const guint8          *data,
                      gsize                  size,
                      GError               **error)
{
  gsize done = 0;
  int fd = io->openat (dir_fd, name,
                       O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

  if (fd < 0)
    return rf_file_io_set_error (error, errno, name);
  while (done < size)
    {
      gssize n = io->write (fd, data + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : ENOSPC;

          io->close (fd);
          rf_file_io_remove (dir_fd, name);
          return rf_file_io_set_error (error, saved_errno, name);
        }
      done += (gsize) n;
    }
  /* The rename below must never publish a file whose bytes are not on disk yet. */
  if (io->fsync (fd) != 0)
    {
      int saved_errno = errno;

      io->close (fd);
      rf_file_io_remove (dir_fd, name);
      return rf_file_io_set_error (error, saved_errno, name);
    }
  /* NFS reports a full disk or quota only now. */
  if (io->close (fd) != 0 && errno != EINTR)
    {
      int saved_errno = errno;

      rf_file_io_remove (dir_fd, name);
      return rf_file_io_set_error (error, saved_errno, name);
    }
  return TRUE;
}

/* File names start with a drive's ID, which for SPC is an INQUIRY product:
 * spaces, slashes or anything else in it become '_', so the name stays one
 * harmless name in the folder. */
char *
rf_file_io_safe_name (const char *text,
                      gsize       max_length)
{
  char *id = g_strndup (text, max_length);

  g_strcanon (id, G_CSET_A_2_Z G_CSET_a_2_z G_CSET_DIGITS "-_", '_');
  /* Nor does it start like an option. */
  if (id[0] == '-')
    id[0] = '_';
  return id;
}

/* Whether @error is rf_file_io_set_error()'s for a name that exists: another
 * name may then be tried. */
gboolean
rf_file_io_error_is_exists (const GError *error)
{
  return g_error_matches (error, RF_ERROR, RF_ERROR_WRITE) &&
         g_str_has_suffix (error->message, EXISTS_SUFFIX);
}
