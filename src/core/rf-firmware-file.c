/* rf-firmware-file.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-firmware-file.h"

static GBytes *
fail (RfFirmwareProblem  *problem_out,
      RfFirmwareProblem   problem,
      GError            **error,
      RfError             code,
      const char         *path,
      const char         *detail)
{
  *problem_out = problem;
  g_set_error (error, RF_ERROR, code, "%s: %s", path, detail);
  return NULL;
}

/* What stat() says decides before anything is opened: a FIFO opened for reading
 * blocks until a writer comes, and a 4 GiB file must never be read in. */
static RfFirmwareProblem
judge_stat (const struct stat *st,
            gsize              max_size)
{
  if (S_ISDIR (st->st_mode))
    return RF_FIRMWARE_PROBLEM_DIRECTORY;
  if (!S_ISREG (st->st_mode))
    return RF_FIRMWARE_PROBLEM_SPECIAL_FILE;
  if (st->st_size == 0)
    return RF_FIRMWARE_PROBLEM_EMPTY;
  if ((guint64) st->st_size > max_size)
    return RF_FIRMWARE_PROBLEM_TOO_LARGE;
  return RF_FIRMWARE_PROBLEM_NONE;
}

static gboolean
read_all (int     fd,
          guint8 *buffer,
          gsize   size,
          int    *saved_errno)
{
  gsize done = 0;

  while (done < size)
    {
      gssize n = read (fd, buffer + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          *saved_errno = n < 0 ? errno : 0;
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

static RfFirmwareProblem
problem_from_errno (int errno_value)
{
  return errno_value == ENOENT || errno_value == ENOTDIR ? RF_FIRMWARE_PROBLEM_NOT_FOUND
                                                          : RF_FIRMWARE_PROBLEM_UNREADABLE;
}

static GBytes *
read_regular (const char         *path,
              int                 fd,
              gsize               max_size,
              RfFirmwareProblem  *problem,
              GError            **error)
{
  struct stat st;
  g_autofree guint8 *buffer = NULL;
  int saved_errno = 0;
  gsize size;

  /* The path may have been swapped between stat and open: judge what was opened. */
  if (fstat (fd, &st) != 0)
    return fail (problem, RF_FIRMWARE_PROBLEM_UNREADABLE, error, RF_ERROR_READ, path, "fstat");
  if ((*problem = judge_stat (&st, max_size)) != RF_FIRMWARE_PROBLEM_NONE)
    return fail (problem, *problem, error, RF_ERROR_INVALID_FILE, path, "changed while opening");
  size = (gsize) st.st_size;
  buffer = g_malloc (size);
  if (!read_all (fd, buffer, size, &saved_errno))
    {
      if (saved_errno == 0)
        return fail (problem, RF_FIRMWARE_PROBLEM_TRUNCATED, error, RF_ERROR_READ, path,
                     "file shrank while reading");
      rf_error_set_from_errno (error, saved_errno, path);
      *problem = RF_FIRMWARE_PROBLEM_UNREADABLE;
      return NULL;
    }
  *problem = RF_FIRMWARE_PROBLEM_NONE;
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/**
 * rf_firmware_file_load:
 * @max_size: the largest file to read (RF_FIRMWARE_MAX_FILE_SIZE)
 * @problem: (out): why the file cannot be firmware, or %RF_FIRMWARE_PROBLEM_NONE
 *
 * Reads a regular file whole. Folders, FIFOs, device nodes, empty and oversized
 * files are refused from their metadata alone, without opening or reading them.
 *
 * Returns: (transfer full) (nullable): the file's bytes
 */
GBytes *
rf_firmware_file_load (const char         *path,
                       gsize               max_size,
                       RfFirmwareProblem  *problem,
                       GError            **error)
{
  struct stat st;
  GBytes *bytes;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (problem != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved_errno = errno;

      *problem = problem_from_errno (saved_errno);
      rf_error_set_from_errno (error, saved_errno, path);
      return NULL;
    }
  if ((*problem = judge_stat (&st, max_size)) != RF_FIRMWARE_PROBLEM_NONE)
    return fail (problem, *problem, error, RF_ERROR_INVALID_FILE, path,
                 rf_firmware_problem_to_nick (*problem));
  /* O_NONBLOCK: should a FIFO appear here after all, open must not wait for it. */
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      *problem = problem_from_errno (saved_errno);
      rf_error_set_from_errno (error, saved_errno, path);
      return NULL;
    }
  bytes = read_regular (path, fd, max_size, problem, error);
  close (fd);
  return bytes;
}
