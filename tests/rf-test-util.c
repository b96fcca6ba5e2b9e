/* rf-test-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rf-test-util.h"

/* The environment reflash-cli runs in for a test: its data, state and cache
 * folders are @dir (practice drives start fresh, backups and images land
 * there), English output, and no sudo user to write for. */
char **
rf_test_cli_environ (const char *dir)
{
  const char *vars[] = { "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME" };
  char **env = g_get_environ ();

  for (gsize i = 0; i < G_N_ELEMENTS (vars); i++)
    env = g_environ_setenv (env, vars[i], dir, TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  env = g_environ_unsetenv (env, "SUDO_UID");
  return g_environ_unsetenv (env, "SUDO_GID");
}

/* Fails the test, showing @text, when @needle is not in it. */
void
rf_test_assert_has (const char *text,
                    const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” not found in:\n%s", needle, text);
}

/* @program, then the NULL-terminated @first and @args: an argv for g_spawn. */
GPtrArray *
rf_test_argv_valist (const char *program,
                     const char *first,
                     va_list     args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) program);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  g_ptr_array_add (argv, NULL);
  return argv;
}

/* Removes a test's temporary folder and everything in it; links are removed,
 * never followed. */
void
rf_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rf_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* How many names the folder @path holds (none when it cannot be read). */
guint
rf_test_count_files (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  while (dir != NULL && g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

/* Writes @bytes to @dir/@name and returns the path (free it). */
char *
rf_test_write_file (const char *dir,
                    const char *name,
                    GBytes     *bytes)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  g_file_set_contents (path, data, (gssize) size, &error);
  g_assert_no_error (error);
  return path;
}

/**
 * rf_test_make_node:
 * @mode: the file type and permissions (S_IFCHR | 0644)
 *
 * Makes up a device node, for the checks a node passes before any driver is
 * asked; opening one finds no device behind it.
 *
 * Returns: (nullable): the path (free it), or %NULL without CAP_MKNOD or when
 * @dir is on a nodev mount (as a tmpfs /tmp often is), where every open of a
 * node is refused, root's too
 */
char *
rf_test_make_node (const char *dir,
                   const char *name,
                   guint       mode,
                   guint       major_number,
                   guint       minor_number)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  int fd;

  if (mknod (path, mode, makedev (major_number, minor_number)) != 0)
    {
      g_assert_cmpint (errno, ==, EPERM);
      return NULL;
    }
  /* The umask must not take away what the test gives others. */
  g_assert_cmpint (g_chmod (path, mode & 07777), ==, 0);
  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC, 0);
  if (fd < 0 && errno == EACCES)
    {
      g_test_message ("%s is mounted nodev: no device node there can be opened", dir);
      g_unlink (path);
      return NULL;
    }
  if (fd >= 0)
    close (fd);
  return g_steal_pointer (&path);
}

/* RF_TEST_AS_NOBODY's user. */
#define NOBODY_ID 65534

/* Sanitizer option variables whose suppressions=PATH the child must read too: LSan
 * reads the file when it finds a leak, and one it cannot read turns the leak report
 * into "failed to read suppressions file". */
static const char * const sanitizer_options[] = { "ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS" };

static void
copy_file (const char *from,
           const char *to,
           int         mode)
{
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;

  g_file_get_contents (from, &data, &size, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, data, (gssize) size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (to, mode), ==, 0);
}

/* Copies the folder @from to @to, links followed, everything readable by everyone. */
static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (from, 0, &error);
  const char *name;

  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (to, 0755), ==, 0);
  g_assert_cmpint (g_chmod (to, 0755), ==, 0);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *source = g_build_filename (from, name, NULL);
      g_autofree char *target = g_build_filename (to, name, NULL);

      if (g_file_test (source, G_FILE_TEST_IS_DIR))
        copy_tree (source, target);
      else
        copy_file (source, target, 0644);
    }
}

/* @options with each suppressions=PATH pointing at a copy in @dir. */
static char *
copy_suppressions (const char *options,
                   const char *dir)
{
  g_auto(GStrv) parts = g_strsplit (options, ":", -1);

  for (gsize i = 0; parts[i] != NULL; i++)
    if (g_str_has_prefix (parts[i], "suppressions="))
      {
        const char *path = parts[i] + strlen ("suppressions=");
        g_autofree char *base = g_path_get_basename (path);
        g_autofree char *copy = g_build_filename (dir, base, NULL);

        copy_file (path, copy, 0644);
        g_free (parts[i]);
        parts[i] = g_strconcat ("suppressions=", copy, NULL);
      }
  return g_strjoinv (":", parts);
}

/* @envp (NULL: this process's) for a child that reads only @dir: the data folder and
 * the suppression files are copied there, and HOME is a folder of its own there. */
static char **
unprivileged_environ (char       **envp,
                      const char  *dir)
{
  char **env = envp != NULL ? g_strdupv (envp) : g_get_environ ();
  g_autofree char *data = g_strdup (g_environ_getenv (env, "REFLASH_DATA_DIR"));
  g_autofree char *home = g_build_filename (dir, "home", NULL);

  if (data != NULL)
    {
      g_autofree char *copy = g_build_filename (dir, "data", NULL);

      copy_tree (data, copy);
      env = g_environ_setenv (env, "REFLASH_DATA_DIR", copy, TRUE);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (sanitizer_options); i++)
    {
      const char *options = g_environ_getenv (env, sanitizer_options[i]);

      if (options != NULL)
        {
          g_autofree char *copied = copy_suppressions (options, dir);

          env = g_environ_setenv (env, sanitizer_options[i], copied, TRUE);
        }
    }
  /* Root's HOME is unusable to nobody (PLATFORM.md §5). */
  g_assert_cmpint (g_mkdir (home, 0700), ==, 0);
  if (getuid () == 0)
    g_assert_cmpint (chown (home, NOBODY_ID, NOBODY_ID), ==, 0);
  return g_environ_setenv (env, "HOME", home, TRUE);
}

/* Root becomes nobody, without groups or capabilities (PLATFORM.md §5); the
 * words are added as copies to @argv, which frees its elements. Anyone else
 * is unprivileged already and may not change user, groups or bounding set (setpriv
 * would exit 127): it only gives up the capabilities a child could inherit. */
static void
add_drop_privileges (GPtrArray *argv)
{
  static const char * const as_root[] = { RF_TEST_AS_NOBODY, NULL };
  static const char * const as_user[] = { "setpriv", "--inh-caps=-all", NULL };
  const char * const *drop = getuid () == 0 ? as_root : as_user;

  for (gsize i = 0; drop[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (drop[i]));
}

/**
 * rf_test_unprivileged_new:
 * @argv: the program and its arguments
 * @envp: (nullable): the child's environment; %NULL for this process's
 *
 * An argv and environment that run @argv (argv[0] a path) without privileges.
 * The checkout may sit where the unprivileged user cannot reach it (/root is
 * 0700; setpriv, which keeps root's capabilities until the exec, still starts
 * a program there, but the program then cannot read its data). So the program,
 * the data folder that `REFLASH_DATA_DIR` names and any sanitizer suppression
 * file are copied into a new folder under /tmp that everyone can read, removed
 * by rf_test_unprivileged_free(). Not under g_get_tmp_dir(): TMPDIR can be
 * private to the user (libpam-tmpdir).
 */
RfTestUnprivileged *
rf_test_unprivileged_new (const char * const *argv,
                          char              **envp)
{
  RfTestUnprivileged *self = g_new0 (RfTestUnprivileged, 1);
  g_autofree char *program = NULL;

  self->dir = g_strdup ("/tmp/reflash-unprivileged-XXXXXX");
  g_assert_nonnull (g_mkdtemp_full (self->dir, 0755));
  g_assert_cmpint (g_chmod (self->dir, 0755), ==, 0);
  program = rf_test_unprivileged_add_program (self, argv[0]);
  self->env = unprivileged_environ (envp, self->dir);
  self->argv = g_ptr_array_new_with_free_func (g_free);
  add_drop_privileges (self->argv);
  g_ptr_array_add (self->argv, g_steal_pointer (&program));
  for (gsize i = 1; argv[i] != NULL; i++)
    g_ptr_array_add (self->argv, g_strdup (argv[i]));
  g_ptr_array_add (self->argv, NULL);
  return self;
}

/* Another program the unprivileged one starts (a stand-in for pkexec):
 * copied beside it. Returns: (transfer full): the copy's path */
char *
rf_test_unprivileged_add_program (RfTestUnprivileged *self,
                                  const char         *path)
{
  g_autofree char *base = g_path_get_basename (path);
  char *copy = g_build_filename (self->dir, base, NULL);

  copy_file (path, copy, 0755);
  return copy;
}

void
rf_test_unprivileged_free (RfTestUnprivileged *self)
{
  rf_test_remove_tree (self->dir);
  g_free (self->dir);
  g_ptr_array_unref (self->argv);
  g_strfreev (self->env);
  g_free (self);
}

/**
 * rf_test_spawn_unprivileged:
 * @argv: the program and its arguments
 * @envp: (nullable): the child's environment; %NULL for this process's
 * @out: (nullable): its stdout; %NULL drops it
 * @err: (nullable): its stderr; %NULL leaves it on the test's stderr
 *
 * Runs @argv (argv[0] a path) without privileges (rf_test_unprivileged_new()).
 *
 * Returns: the child's wait status
 */
int
rf_test_spawn_unprivileged (const char * const *argv,
                            char              **envp,
                            char              **out,
                            char              **err)
{
  return rf_test_spawn_unprivileged_with_stdin (argv, envp, -1, out, err);
}

static void
take_stdin (gpointer user_data)
{
  dup2 (GPOINTER_TO_INT (user_data), STDIN_FILENO);
}

/**
 * rf_test_spawn_unprivileged_with_stdin:
 * @stdin_fd: what the child reads, such as a terminal; -1 for /dev/null
 *
 * As rf_test_spawn_unprivileged().
 */
int
rf_test_spawn_unprivileged_with_stdin (const char * const *argv,
                                       char              **envp,
                                       int                 stdin_fd,
                                       char              **out,
                                       char              **err)
{
  g_autoptr(RfTestUnprivileged) run = rf_test_unprivileged_new (argv, envp);
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_spawn_sync (NULL, (char **) run->argv->pdata, run->env,
                G_SPAWN_SEARCH_PATH | (out == NULL ? G_SPAWN_STDOUT_TO_DEV_NULL : 0),
                stdin_fd >= 0 ? take_stdin : NULL, GINT_TO_POINTER (stdin_fd), out, err, &status,
                &error);
  g_assert_no_error (error);
  return status;
}

/* Runs @argv as nobody (rf_test_spawn_unprivileged), checks that it exited with 0
 * and returns what it printed (free it). */
char *
rf_test_run_as_nobody (const char * const *argv)
{
  char *out = NULL;

  g_assert_true (g_spawn_check_wait_status (rf_test_spawn_unprivileged (argv, NULL, &out, NULL),
                                            NULL));
  return out;
}

static gboolean
python_has_dbusmock (const char *python)
{
  const char *argv[] = { python, "-c", "import dbusmock", NULL };
  int status;

  if (python == NULL || !g_spawn_sync (NULL, (char **) argv, NULL,
                                       G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                       NULL, NULL, NULL, NULL, &status, NULL))
    return FALSE;
  return g_spawn_check_wait_status (status, NULL);
}

/**
 * rf_test_find_dbusmock_python:
 *
 * The interpreter that can import python3-dbusmock: Debian's, which a python3
 * earlier on PATH may not be.
 *
 * Returns: (transfer full) (nullable): its path; %NULL when none can
 */
char *
rf_test_find_dbusmock_python (void)
{
  g_autofree char *on_path = g_find_program_in_path ("python3");

  if (python_has_dbusmock ("/usr/bin/python3"))
    return g_strdup ("/usr/bin/python3");
  if (python_has_dbusmock (on_path))
    return g_steal_pointer (&on_path);
  return NULL;
}

/**
 * rf_test_transcript_lines:
 *
 * What a whole run sent, apart from timing: one line per command, "CDB-hex
 * data-digest answered status", for comparing two runs. How many times a
 * drive that is still busy answers a TEST UNIT READY poll the same way
 * depends on how real-time clocks fall, so a run of equal polls counts once.
 *
 * Returns: (transfer full) (element-type utf8): the lines
 */
GPtrArray *
rf_test_transcript_lines (RfRecorder *recorder)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < rf_recorder_get_n_entries (recorder); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (recorder, i);
      const RfRecordEntry *previous = i > 0 ? rf_recorder_get_entry (recorder, i - 1) : NULL;
      g_autoptr(GString) cdb = g_string_new (NULL);

      if (entry->cdb[0] == 0x00 && previous != NULL && previous->cdb[0] == 0x00 &&
          previous->status == entry->status &&
          memcmp (previous->sense, entry->sense, MIN (previous->sense_length, 14)) == 0)
        continue;
      for (gsize j = 0; j < entry->cdb_length; j++)
        g_string_append_printf (cdb, "%02x", entry->cdb[j]);
      g_ptr_array_add (lines, g_strdup_printf ("%s %s %d %02x", cdb->str, entry->data_digest,
                                               entry->answered, entry->status));
    }
  return lines;
}

/**
 * rf_test_flash:
 * @dir: where the flash keeps its backups and journal
 * @confirmations: what the person confirmed
 *
 * Runs a flash of @check to @device, which must succeed.
 *
 * Returns: (transfer full): what it sent
 */
RfRecorder *
rf_test_flash (RfDevice             *device,
               RfDriveDb            *db,
               RfFirmwareCheck      *check,
               const char           *dir,
               RfFlashConfirmations  confirmations)
{
  g_autofree char *backups = g_build_filename (dir, "backups", NULL);
  g_autofree char *journals = g_build_filename (dir, "journals", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (backups);
  g_autoptr(RfJournalStore) journal_store = rf_journal_store_new (journals);
  g_autoptr(RfFlashJob) job = rf_flash_job_new (device, db, check, store);
  g_autoptr(GError) error = NULL;

  rf_flash_job_set_journal_store (job, journal_store);
  rf_flash_job_set_confirmations (job, confirmations);
  rf_job_run (RF_JOB (job), NULL, &error);
  g_assert_no_error (error);
  return rf_job_dup_transcript (RF_JOB (job));
}

