/* rf-drive-lock.c: an exclusive flock on the drive's device node (real drives)
 * or on a file named after the drive (practice drives)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "rf-drive-lock.h"
#include "rf-error.h"

/* A passive look holds a shared lock while it sends its three commands: an
 * exclusive lock waits that long, and no longer than a passive look of a drive
 * that times out on each of them could last. A job's exclusive lock is never
 * waited for. These waits are about another process, not a drive, so they
 * run on real time, not on a drive's RfClock. */
#define LOCK_RETRY_US (20 * 1000)
#define LOCK_SHARED_WAIT_US (70 * G_USEC_PER_SEC)

struct _RfDriveLock
{
  GObject parent_instance;

  char *path;
  int fd;
};

G_DEFINE_FINAL_TYPE (RfDriveLock, rf_drive_lock, G_TYPE_OBJECT)

static void
rf_drive_lock_finalize (GObject *object)
{
  RfDriveLock *self = RF_DRIVE_LOCK (object);

  /* Closing the descriptor drops the flock; the file stays, so that two
   * processes never lock two different files of the same name. */
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  G_OBJECT_CLASS (rf_drive_lock_parent_class)->finalize (object);
}

static void
rf_drive_lock_class_init (RfDriveLockClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_drive_lock_finalize;
}

static void
rf_drive_lock_init (RfDriveLock *self)
{
  self->fd = -1;
}

/**
 * rf_drive_lock_get_dir:
 *
 * Where practice drives' lock files live (real drives are locked on their
 * node): $XDG_RUNTIME_DIR/reflash when set; /run/reflash for root; else the
 * user's runtime folder as GLib finds it.
 *
 * Returns: (transfer full): the folder of the lock files
 */
char *
rf_drive_lock_get_dir (void)
{
  const char *runtime = g_getenv ("XDG_RUNTIME_DIR");

  if (runtime != NULL && runtime[0] != '\0')
    return g_build_filename (runtime, "reflash", NULL);
  if (geteuid () == 0)
    return g_strdup ("/run/reflash");
  return g_build_filename (g_get_user_runtime_dir (), "reflash", NULL);
}

/* A real drive is locked on its device node itself: every process that can
 * reach the drive sees that lock, whatever its user, $XDG_RUNTIME_DIR or sudo
 * settings. Opening a node read-only and non-blocking sends nothing to the
 * drive, and flock works on read-only descriptors. Other names (practice
 * drives, which are per user by design) lock a file in rf_drive_lock_get_dir(). */
static gboolean
names_a_node (const char *name)
{
  return g_path_is_absolute (name);
}

static int
open_node (const char *node)
{
  return open (node, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
}

static char *
lock_file_name (const char *bus_path)
{
  GString *name = g_string_new (NULL);

  for (const char *p = bus_path; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) || *p == '.' || *p == '-' ? *p : '_');
  g_string_append (name, ".lock");
  return g_string_free (name, FALSE);
}

/* Exclusive: waits while only passive looks hold the drive (a shared lock can
 * be had), and gives up at once when a job holds it. */
static gboolean
lock_exclusive (int fd)
{
  gint64 deadline = g_get_monotonic_time () + LOCK_SHARED_WAIT_US;

  for (;;)
    {
      if (flock (fd, LOCK_EX | LOCK_NB) == 0)
        return TRUE;
      if (errno != EWOULDBLOCK)
        return FALSE;
      /* Only passive looks in the way? Then a shared lock is possible. */
      if (flock (fd, LOCK_SH | LOCK_NB) != 0)
        return FALSE;
      flock (fd, LOCK_UN);
      if (g_get_monotonic_time () >= deadline)
        {
          errno = EWOULDBLOCK;
          return FALSE;
        }
      g_usleep (LOCK_RETRY_US);
    }
}

static gboolean
lock_shared (int fd)
{
  return flock (fd, LOCK_SH | LOCK_NB) == 0;
}

static RfDriveLock *
acquire (const char  *bus_path,
         gboolean     shared,
         GError     **error)
{
  g_autoptr(RfDriveLock) self = NULL;
  g_autofree char *dir = rf_drive_lock_get_dir ();
  g_autofree char *name = NULL;
  int saved_errno;

  self = g_object_new (RF_TYPE_DRIVE_LOCK, NULL);
  if (names_a_node (bus_path))
    {
      self->path = g_strdup (bus_path);
      self->fd = open_node (bus_path);
    }
  else if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      rf_error_set_from_errno (error, errno, dir);
      return NULL;
    }
  else
    {
      name = lock_file_name (bus_path);
      self->path = g_build_filename (dir, name, NULL);
      self->fd = open (self->path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    }
  if (self->fd < 0)
    {
      rf_error_set_from_errno (error, errno, self->path);
      return NULL;
    }
  if (!(shared ? lock_shared (self->fd) : lock_exclusive (self->fd)))
    {
      saved_errno = errno;
      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, RF_ERROR, RF_ERROR_BUSY,
                     "%s is locked by another Reflash window or command", bus_path);
      else
        rf_error_set_from_errno (error, saved_errno, self->path);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/**
 * rf_drive_lock_acquire:
 * @bus_path: the drive's real device node ("/dev/sg1", symbolic links resolved),
 *   or a name for a practice drive ("practice-NAME")
 *
 * The exclusive lock of a job (a deep check, a backup, a flash). It waits
 * while passive looks of other processes finish, never for another job: a
 * drive a job holds is %RF_ERROR_BUSY at once.
 *
 * Returns: (transfer full) (nullable): the held lock, released when unreferenced
 */
RfDriveLock *
rf_drive_lock_acquire (const char *bus_path,
                       GError    **error)
{
  g_return_val_if_fail (bus_path != NULL && bus_path[0] != '\0', NULL);
  return acquire (bus_path, FALSE, error);
}

/**
 * rf_drive_lock_acquire_shared:
 * @bus_path: as for rf_drive_lock_acquire()
 *
 * The shared lock a passive look holds for as long as it sends commands, so
 * that no job of another process interleaves with it. Never waits: a drive
 * a job holds is %RF_ERROR_BUSY.
 *
 * Returns: (transfer full) (nullable): the held lock, released when unreferenced
 */
RfDriveLock *
rf_drive_lock_acquire_shared (const char *bus_path,
                              GError    **error)
{
  g_return_val_if_fail (bus_path != NULL && bus_path[0] != '\0', NULL);
  return acquire (bus_path, TRUE, error);
}

const char *
rf_drive_lock_get_path (RfDriveLock *self)
{
  g_return_val_if_fail (RF_IS_DRIVE_LOCK (self), NULL);
  return self->path;
}

/**
 * rf_drive_lock_is_held_elsewhere:
 * @bus_path: as for rf_drive_lock_acquire()
 *
 * Asks without holding anything afterwards: for passive listings, which send
 * nothing to a drive another job works with, and which never block that job.
 *
 * Returns: %TRUE when another job holds the drive
 */
gboolean
rf_drive_lock_is_held_elsewhere (const char *bus_path)
{
  g_autofree char *dir = rf_drive_lock_get_dir ();
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;
  gboolean held;
  int fd;

  g_return_val_if_fail (bus_path != NULL && bus_path[0] != '\0', FALSE);

  if (names_a_node (bus_path))
    {
      fd = open_node (bus_path);
    }
  else
    {
      name = lock_file_name (bus_path);
      path = g_build_filename (dir, name, NULL);
      fd = open (path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
  if (fd < 0)
    return FALSE;
  held = flock (fd, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK;
  close (fd);
  return held;
}
