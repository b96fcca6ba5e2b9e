/* rf-paths.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-paths-private.h"

/**
 * rf_paths_get_data_dir:
 *
 * The folder holding `drives/` and `practice/`. `REFLASH_DATA_DIR` wins (tests
 * use it); then the installed PKGDATADIR; an uninstalled build falls back to the
 * source tree's `data/`, so `build-aux/demo` runs without installing.
 */
const char *
rf_paths_get_data_dir (void)
{
  static char *data_dir;

  if (g_once_init_enter (&data_dir))
    {
      const char *env = g_getenv ("REFLASH_DATA_DIR");
      g_autofree char *installed_drives = g_build_filename (PKGDATADIR, "drives", NULL);
      char *dir;

      if (env != NULL && *env != '\0')
        dir = g_strdup (env);
      else if (g_file_test (installed_drives, G_FILE_TEST_IS_DIR))
        dir = g_strdup (PKGDATADIR);
      else
        dir = g_strdup (SOURCE_DATADIR);
      g_once_init_leave (&data_dir, dir);
    }
  return data_dir;
}

/* e.g. "drives" -> /usr/share/reflash/drives */
char *
rf_paths_get_data_subdir (const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);
  return g_build_filename (rf_paths_get_data_dir (), name, NULL);
}

/* $XDG_STATE_HOME/reflash/NAME of the process's own user: practice drives.
 * What belongs to the user who ran Reflash, also through sudo (backups, the
 * journal), goes under RfPathsUser's folders instead. */
char *
rf_paths_get_state_dir (const char *name)
{
  return g_build_filename (g_get_user_state_dir (), "reflash", name, NULL);
}

/* ---- whose files, and as whom they are written ---- */

/* A decimal id as sudo writes it: digits only, and never -1, which the set*id
 * calls read as "leave unchanged". */
static gboolean
parse_id (const char *text,
          guint32    *value)
{
  guint64 parsed;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32 - 1, &parsed, NULL))
    return FALSE;
  *value = (guint32) parsed;
  return TRUE;
}

/* The process's own user: its files are written as it is, where GLib says. */
static RfPathsUser *
own_user (uid_t uid)
{
  RfPathsUser *user = g_new0 (RfPathsUser, 1);

  user->uid = uid;
  user->gid = getegid ();
  user->data_dir = g_strdup (g_get_user_data_dir ());
  user->state_dir = g_strdup (g_get_user_state_dir ());
  return user;
}

/* The home folder and group the password database gives @uid. */
static char *
lookup_home (uid_t   uid,
             gid_t  *gid,
             GError **error)
{
  long size = sysconf (_SC_GETPW_R_SIZE_MAX);
  g_autofree char *buffer = NULL;
  struct passwd entry;
  struct passwd *found = NULL;
  int result;

  if (size < 16384)
    size = 16384;
  buffer = g_malloc ((gsize) size);
  result = getpwuid_r (uid, &entry, buffer, (gsize) size, &found);
  if (found == NULL)
    {
      if (result != 0)
        rf_error_set_from_errno (error, result, "looking up the invoking user");
      else
        g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "no user has uid %u", (guint) uid);
      return NULL;
    }
  if (entry.pw_dir == NULL || !g_path_is_absolute (entry.pw_dir))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "user %u has no home folder", (guint) uid);
      return NULL;
    }
  *gid = entry.pw_gid;
  return g_strdup (entry.pw_dir);
}

/**
 * rf_paths_user_resolve:
 * @real_uid: the process's real uid
 * @effective_uid: its effective uid
 * @sudo_uid: (nullable): `SUDO_UID` as sudo set it
 * @sudo_gid: (nullable): `SUDO_GID`
 * @home: (nullable): the user's home folder; %NULL looks it up in the password
 *   database (tests give a temporary one)
 *
 * See rf_paths_user_new_invoking(); this is the same decision with the
 * process's facts passed in.
 */
RfPathsUser *
rf_paths_user_resolve (uid_t       real_uid,
                       uid_t       effective_uid,
                       const char *sudo_uid,
                       const char *sudo_gid,
                       const char *home,
                       GError    **error)
{
  g_autoptr(RfPathsUser) user = NULL;
  g_autofree char *looked_up = NULL;
  guint32 uid = 0;
  guint32 gid = 0;
  gid_t home_gid = 0;

  /* sudo's word counts only when both ids are root's: anyone can set SUDO_UID,
   * and a set-user-ID program (real uid another user's) must not take it. */
  if (real_uid != 0 || effective_uid != 0 || sudo_uid == NULL)
    return own_user (effective_uid);
  if (!parse_id (sudo_uid, &uid) || (sudo_gid != NULL && !parse_id (sudo_gid, &gid)))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "SUDO_UID=%s SUDO_GID=%s: not a user and group id", sudo_uid,
                   sudo_gid != NULL ? sudo_gid : "(unset)");
      return NULL;
    }
  /* root ran sudo: nobody else's files. */
  if (uid == 0)
    return own_user (0);
  if (home == NULL || sudo_gid == NULL)
    {
      looked_up = lookup_home ((uid_t) uid, &home_gid, error);
      if (looked_up == NULL)
        return NULL;
    }
  user = g_new0 (RfPathsUser, 1);
  user->uid = (uid_t) uid;
  user->gid = sudo_gid != NULL ? (gid_t) gid : home_gid;
  user->other = TRUE;
  /* The XDG defaults under the home the password database gives, never
   * $HOME or $XDG_DATA_HOME: sudo may have kept root's environment or the
   * user's, and either way it only says what the caller wanted it to. */
  if (home == NULL)
    home = looked_up;
  user->data_dir = g_build_filename (home, ".local", "share", NULL);
  user->state_dir = g_build_filename (home, ".local", "state", NULL);
  return g_steal_pointer (&user);
}

/**
 * rf_paths_user_new_invoking:
 *
 * The user Reflash works for. Run through sudo by root (real and effective
 * uid 0, `SUDO_UID` set), that is the user who ran sudo: their folders come
 * from the password database and their files must be written as them
 * (rf_paths_user_become()). Otherwise the process's own user, unchanged.
 *
 * Returns: (transfer full): the user, or %NULL when `SUDO_UID` or `SUDO_GID`
 *   names no user
 */
RfPathsUser *
rf_paths_user_new_invoking (GError **error)
{
  return rf_paths_user_resolve (getuid (), geteuid (), g_getenv ("SUDO_UID"),
                                g_getenv ("SUDO_GID"), NULL, error);
}

RfPathsUser *
rf_paths_user_copy (const RfPathsUser *user)
{
  RfPathsUser *copy;

  g_return_val_if_fail (user != NULL, NULL);

  copy = g_memdup2 (user, sizeof *user);
  copy->data_dir = g_strdup (user->data_dir);
  copy->state_dir = g_strdup (user->state_dir);
  return copy;
}

void
rf_paths_user_free (RfPathsUser *user)
{
  if (user == NULL)
    return;
  g_free (user->data_dir);
  g_free (user->state_dir);
  g_free (user);
}

/* setfsuid() and setfsgid() return the previous value even when they refuse;
 * -1 is never valid, so it reads the current one without changing it. */
static uid_t
current_fsuid (void)
{
  return (uid_t) setfsuid ((uid_t) -1);
}

static gid_t
current_fsgid (void)
{
  return (gid_t) setfsgid ((gid_t) -1);
}

/**
 * rf_paths_user_become:
 * @saved: (out caller-allocates): what rf_paths_user_restore() needs
 *
 * Makes the calling thread create, open and check files as @user when it
 * writes for another user (@user->other): the kernel then checks every path
 * with the user's rights (root's file capabilities are dropped while the
 * file-system uid is not 0), and new files and folders belong to the user, so
 * a link the user planted never leads root anywhere the user could not go.
 * The file-system ids are per thread on Linux (glibc changes only the calling
 * thread's, unlike setuid()), so this and rf_paths_user_restore() must run on
 * the same thread, around synchronous file work only. Supplementary groups
 * stay root's: setgroups() would change every thread's.
 *
 * Without @user->other nothing changes.
 */
gboolean
rf_paths_user_become (const RfPathsUser *user,
                      RfPathsIdentity   *saved,
                      GError           **error)
{
  g_return_val_if_fail (user != NULL, FALSE);
  g_return_val_if_fail (saved != NULL, FALSE);

  memset (saved, 0, sizeof *saved);
  if (!user->other)
    return TRUE;
  saved->fsuid = current_fsuid ();
  saved->fsgid = current_fsgid ();
  saved->switched = TRUE;
  /* The group first: with a non-zero file-system uid the thread keeps
   * CAP_SETGID, but doing it while still root needs no such reasoning. */
  setfsgid (user->gid);
  setfsuid (user->uid);
  if (current_fsuid () != user->uid || current_fsgid () != user->gid)
    {
      rf_paths_user_restore (saved);
      g_set_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED,
                   "cannot act as uid %u gid %u for the invoking user's files",
                   (guint) user->uid, (guint) user->gid);
      return FALSE;
    }
  return TRUE;
}

/* Gives the thread back the file-system ids rf_paths_user_become() saved. */
void
rf_paths_user_restore (const RfPathsIdentity *saved)
{
  g_return_if_fail (saved != NULL);

  if (!saved->switched)
    return;
  setfsuid (saved->fsuid);
  setfsgid (saved->fsgid);
  if (current_fsuid () != saved->fsuid || current_fsgid () != saved->fsgid)
    g_critical ("could not return to file-system uid %u gid %u", (guint) saved->fsuid,
                (guint) saved->fsgid);
}

/* Makes @name below @parent when missing and opens it, never through a link. */
static int
open_below (int         parent,
            const char *name,
            int        *saved_errno)
{
  int fd;

  if (mkdirat (parent, name, 0700) != 0 && errno != EEXIST)
    {
      *saved_errno = errno;
      return -1;
    }
  fd = openat (parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    *saved_errno = errno;
  return fd;
}

static gboolean
is_plain_name (const char *name)
{
  return *name != '\0' && !g_str_equal (name, ".") && !g_str_equal (name, "..");
}

/**
 * rf_paths_make_folder:
 * @base: a folder that belongs to the user as it is (their data folder):
 *   made when missing, and links in its path are followed
 * @relative: the folders below @base that Reflash makes ("reflash/backups"),
 *   each one made with mode 0700 when missing and opened with `O_NOFOLLOW`,
 *   so that a link put in place of one is refused, never followed
 *
 * Call it as the user the folder is for (rf_paths_user_become()).
 *
 * Returns: a descriptor of the folder (close it), or -1; a link or a file in
 *   the way is %RF_ERROR_WRITE
 */
int
rf_paths_make_folder (const char *base,
                      const char *relative,
                      GError    **error)
{
  g_auto(GStrv) names = NULL;
  g_autofree char *path = NULL;
  int fd;

  g_return_val_if_fail (base != NULL && relative != NULL, -1);

  names = g_strsplit (relative, G_DIR_SEPARATOR_S, -1);
  for (guint i = 0; names[i] != NULL; i++)
    g_return_val_if_fail (is_plain_name (names[i]), -1);
  if (g_mkdir_with_parents (base, 0700) != 0 ||
      (fd = open (base, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    {
      rf_error_set_from_errno (error, errno, base);
      return -1;
    }
  path = g_strdup (base);
  for (guint i = 0; names[i] != NULL; i++)
    {
      int saved_errno = 0;
      int next = open_below (fd, names[i], &saved_errno);
      char *longer = g_build_filename (path, names[i], NULL);

      g_free (path);
      path = longer;
      close (fd);
      if (next < 0 && (saved_errno == ELOOP || saved_errno == ENOTDIR))
        {
          g_set_error (error, RF_ERROR, RF_ERROR_WRITE,
                       "%s: a link or a file where a folder belongs: not followed", path);
          return -1;
        }
      if (next < 0)
        {
          rf_error_set_from_errno (error, saved_errno, path);
          return -1;
        }
      fd = next;
    }
  return fd;
}
