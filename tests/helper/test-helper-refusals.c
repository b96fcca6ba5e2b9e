/* test-helper-refusals.c: reflash-helper itself, run as pkexec would run it,
 * refusing what is not a canonical optical drive node, each for its own
 * reason and before opening anything (issue 24)
 *
 * The helper's path is the first argument. Cases that need a device node
 * made with mknod run only where the test may make one (root, as in CI).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rf-core.h"
#include "rf-helper-frame.h"
#include "rf-test-util.h"

static const char *helper_path;
static char *work_dir;

/* Runs the helper with @args and reads the hello it says. */
static char *
refusal_of (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) payload = NULL;
  g_auto(RfHelperHello) hello = { 0 };
  int fds[2];

  g_ptr_array_add (argv, (gpointer) helper_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_successful (process));
  /* The hello is the one frame on stdout. */
  g_assert_no_errno (pipe (fds));
  g_assert_cmpint (write (fds[1], g_bytes_get_data (out, NULL), g_bytes_get_size (out)), ==,
                   (gssize) g_bytes_get_size (out));
  close (fds[1]);
  g_assert_cmpint (rf_helper_frame_read (fds[0], &payload, NULL), ==, RF_HELPER_READ_FRAME);
  close (fds[0]);
  g_assert_true (rf_helper_frame_decode_hello (payload, &hello, NULL));
  g_assert_cmpint (hello.verdict, ==, RF_HELPER_HELLO_REFUSED);
  return g_strdup (hello.reason);
}

#define assert_refused(reason, ...) \
  G_STMT_START { \
    g_autofree char *said = refusal_of ((const char * const[]) { __VA_ARGS__, NULL }); \
    g_assert_cmpstr (said, ==, reason); \
  } G_STMT_END

static void
test_arguments (void)
{
  g_autofree char *none = refusal_of ((const char * const[]) { NULL });

  g_assert_cmpstr (none, ==, "usage");
  assert_refused ("usage", "/dev/sg0", "--data-dir=/tmp");
  assert_refused ("usage", "/dev/sg0", "/dev/sg1");
}

static void
test_regular_file (void)
{
  g_autofree char *file = g_build_filename (work_dir, "sg0", NULL);

  g_assert_true (g_file_set_contents (file, "not a drive", -1, NULL));
  assert_refused ("not-a-device", file);
}

static void
test_dev_null (void)
{
  assert_refused ("wrong-major", "/dev/null");
}

static void
test_missing_node (void)
{
  assert_refused ("no-such-node", "/dev/sg4095");
}

/* A link to a node is not followed, whatever it points to. */
static void
test_symlink (void)
{
  g_autofree char *link = g_build_filename (work_dir, "cdrom", NULL);

  g_assert_no_errno (symlink ("/dev/null", link));
  assert_refused ("symlink", link);
}

/* Makes a device node, or says why the test cannot. */
static char *
make_node (const char *name,
           mode_t      kind,
           guint       major_number)
{
  char *node = g_build_filename (work_dir, name, NULL);

  if (mknod (node, kind | 0600, makedev (major_number, 0)) != 0)
    {
      g_test_skip_printf ("mknod %s: %s (needs root)", node, g_strerror (errno));
      g_free (node);
      return NULL;
    }
  return node;
}

/* A block device of another driver (a loop device's number). */
static void
test_other_block_device (void)
{
  g_autofree char *node = make_node ("sr0", S_IFBLK, 7);

  if (node != NULL)
    assert_refused ("wrong-major", node);
}

/* An sg node by its number, but not under its canonical name: outside /dev,
 * and reached through "..". */
static void
test_not_canonical (void)
{
  g_autofree char *node = make_node ("sg7", S_IFCHR, 21);
  g_autofree char *base = g_path_get_basename (work_dir);
  g_autofree char *dotted = NULL;

  if (node == NULL)
    return;
  assert_refused ("not-canonical", node);
  dotted = g_strdup_printf ("%s/../%s/sg7", work_dir, base);
  assert_refused ("not-canonical", dotted);
}

/* The sr driver's block node under the sg driver's name: canonical, the
 * right major, but not what /dev/sgN is. Only in /dev, where the name is
 * canonical; a free number is taken, and a node left by a run that stopped
 * half-way (no sysfs entry) is taken again. */
static void
test_wrong_kind (void)
{
  g_autofree char *node = NULL;

  for (guint minor = 240; minor > 200 && node == NULL; minor--)
    {
      g_autofree char *name = g_strdup_printf ("/dev/sg%u", minor);
      g_autofree char *sysfs = g_strdup_printf ("/sys/class/scsi_generic/sg%u", minor);

      if (g_file_test (sysfs, G_FILE_TEST_EXISTS))
        continue;
      g_unlink (name);
      if (mknod (name, S_IFBLK | 0600, makedev (11, minor)) != 0)
        {
          g_test_skip_printf ("mknod %s: %s (needs root)", name, g_strerror (errno));
          return;
        }
      node = g_steal_pointer (&name);
    }
  g_assert_nonnull (node);
  assert_refused ("wrong-kind", node);
  g_unlink (node);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  g_assert_cmpint (argc, ==, 2);
  helper_path = argv[1];
  work_dir = g_dir_make_tmp ("reflash-helper-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/helper-refusals/arguments", test_arguments);
  g_test_add_func ("/helper-refusals/regular-file", test_regular_file);
  g_test_add_func ("/helper-refusals/dev-null", test_dev_null);
  g_test_add_func ("/helper-refusals/missing-node", test_missing_node);
  g_test_add_func ("/helper-refusals/symlink", test_symlink);
  g_test_add_func ("/helper-refusals/other-block-device", test_other_block_device);
  g_test_add_func ("/helper-refusals/not-canonical", test_not_canonical);
  g_test_add_func ("/helper-refusals/wrong-kind", test_wrong_kind);
  status = g_test_run ();
  rf_test_remove_tree (work_dir);
  return status;
}
