/* test-sg-transport.c: what can be checked without a SCSI device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* O_PATH */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <linux/major.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <scsi/sg_pt.h>

#include "rf-error.h"
#include "rf-sg-transport.h"
#include "rf-sg-transport-private.h"
#include "rf-test-util.h"

typedef RfTransport *(*OpenFunc) (const char *path,
                                  GError    **error);

/* Both ways in refuse the same things. */
static const struct {
  const char *name;
  OpenFunc open;
} openers[] = {
  { "read-write", rf_sg_transport_new },
  { "read-only", rf_sg_transport_new_read_only },
};

typedef struct {
  char *dir;
  char *fifo;   /* opening a FIFO has no effect, and inotify sees it */
  int watch;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-sg-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->fifo = g_build_filename (fixture->dir, "fifo", NULL);
  g_assert_cmpint (mkfifo (fixture->fifo, 0600), ==, 0);
  fixture->watch = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (fixture->watch, >=, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  close (fixture->watch);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->fifo);
}

static void
watch_opens (Fixture    *fixture,
             const char *path)
{
  g_assert_cmpint (inotify_add_watch (fixture->watch, path,
                                      IN_OPEN | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE), >=, 0);
}

/* Every open and close of the watched files so far, as one mask. */
static guint32
watched_events (Fixture *fixture)
{
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  guint32 mask = 0;
  ssize_t length;

  while ((length = read (fixture->watch, buffer, sizeof buffer)) > 0)
    for (char *p = buffer; p < buffer + length;)
      {
        const struct inotify_event *event = (const struct inotify_event *) p;

        mask |= event->mask;
        p += sizeof *event + event->len;
      }
  g_assert_true (length < 0 && errno == EAGAIN);
  return mask;
}

static void
test_dev_null (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = rf_sg_transport_new ("/dev/null", &error);

  /* A character device, but not a SCSI one: refused before it is opened. */
  g_assert_null (transport);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "/dev/null"));
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = rf_sg_transport_new ("/dev/reflash-no-such-sg", &error);

  g_assert_null (transport);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
}

static void
test_node_kinds (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_sg_transport_check_node ("/dev/sg0", S_IFCHR | 0660, SCSI_GENERIC_MAJOR,
                                             NULL));
  g_assert_true (rf_sg_transport_check_node ("/dev/sr0", S_IFBLK | 0660, SCSI_CDROM_MAJOR,
                                             NULL));
  g_assert_false (rf_sg_transport_check_node ("/dev/sda", S_IFBLK | 0660, 8, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (rf_sg_transport_check_node ("/tmp/x", S_IFREG | 0644, 0, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;

  /* The node's permissions: no-access, whichever errno the open gave. */
  rf_sg_transport_set_open_error (&error, EACCES, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, EPERM, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, ENXIO, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, EBUSY, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
}

typedef struct {
  const char *name;
  RfSgOutcome outcome;
  gboolean answered;
  RfError code;
} OutcomeCase;

static const OutcomeCase outcome_cases[] = {
  { "good", { 0, SCSI_PT_RESULT_GOOD, 0, 0, NULL }, TRUE, 0 },
  { "check-condition", { 0, SCSI_PT_RESULT_SENSE, 0, 0, NULL }, TRUE, 0 },
  { "busy-status", { 0, SCSI_PT_RESULT_STATUS, 0, 0, NULL }, TRUE, 0 },
  /* The kernel's command filter: no CAP_SYS_RAWIO. Never a drive refusal. */
  { "eperm-returned", { -EPERM, SCSI_PT_RESULT_OS_ERR, EPERM, 0, NULL }, FALSE,
    RF_ERROR_NEEDS_PRIVILEGES },
  { "eperm-category", { 0, SCSI_PT_RESULT_OS_ERR, EPERM, 0, NULL }, FALSE,
    RF_ERROR_NEEDS_PRIVILEGES },
  { "not-sg", { -ENOTTY, SCSI_PT_RESULT_OS_ERR, ENOTTY, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  /* A transfer above the queue's limit: not supported, as on a practice drive. */
  { "einval-returned", { -EINVAL, SCSI_PT_RESULT_OS_ERR, EINVAL, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  { "einval-category", { 0, SCSI_PT_RESULT_OS_ERR, EINVAL, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  { "gone", { -ENODEV, SCSI_PT_RESULT_OS_ERR, ENODEV, 0, NULL }, FALSE, RF_ERROR_DEVICE_GONE },
  { "sg-pt-timeout", { SCSI_PT_DO_TIMEOUT, 0, 0, 0, NULL }, FALSE, RF_ERROR_TIMED_OUT },
  { "host-timeout", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0300, NULL }, FALSE,
    RF_ERROR_TIMED_OUT },
  { "driver-timeout", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0006, NULL }, FALSE,
    RF_ERROR_TIMED_OUT },
  { "no-connect", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0100, NULL }, FALSE,
    RF_ERROR_DEVICE_GONE },
  { "host-error", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0700, "Host_status=0x07" }, FALSE,
    RF_ERROR_READ },
};

static void
test_outcome (gconstpointer data)
{
  const OutcomeCase *item = data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rf_sg_transport_check_outcome (&item->outcome, "READ MEM", &error), ==,
                   item->answered);
  if (item->answered)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, RF_ERROR, (gint) item->code);
      g_assert_true (g_str_has_prefix (error->message, "READ MEM"));
    }
}

/* Both ways in refuse @path as not supported, with @why in the message. */
static void
assert_refused (const char *path,
                const char *why)
{
  for (gsize i = 0; i < G_N_ELEMENTS (openers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTransport) transport = openers[i].open (path, &error);

      g_test_message ("%s %s", openers[i].name, path);
      g_assert_null (transport);
      g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
      g_assert_nonnull (strstr (error->message, why));
    }
}

/* A symbolic link is refused before anything is opened: the caller resolves
 * links, so that the node checked is the node opened. */
static void
test_symlink (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "sg0", NULL);

  g_assert_cmpint (symlink (fixture->fifo, link), ==, 0);
  watch_opens (fixture, fixture->fifo);
  assert_refused (link, "symbolic link");
  g_assert_cmpuint (watched_events (fixture), ==, 0);
}

/* Files that are no sg or sr node are refused before they are opened. */
static void
test_not_a_node (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("x", 1);
  g_autofree char *regular = rf_test_write_file (fixture->dir, "sg1", bytes);
  g_autofree char *folder = g_build_filename (fixture->dir, "sg2", NULL);
  const char *paths[] = { regular, fixture->fifo, folder };

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    watch_opens (fixture, paths[i]);
  for (gsize i = 0; i < G_N_ELEMENTS (paths); i++)
    assert_refused (paths[i], "not a SCSI generic");
  g_assert_cmpuint (watched_events (fixture), ==, 0);
}

/* A link put in the checked node's place between check and open: O_NOFOLLOW
 * refuses it, and what it points to is never opened. */
static void
test_open_checked_no_follow (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *link = g_build_filename (fixture->dir, "sg3", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (symlink (fixture->fifo, link), ==, 0);
  watch_opens (fixture, fixture->fifo);
  g_assert_cmpint (rf_sg_transport_open_checked (link, O_RDONLY,
                                                 makedev (SCSI_GENERIC_MAJOR, 3), &error), ==, -1);
  g_assert_cmpuint (watched_events (fixture), ==, 0);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "symbolic link"));
}

/* Another file put in the checked node's place: opened with the access asked
 * for, found out by fstat(), closed again. */
static void
test_open_checked_other_file (Fixture       *fixture,
                              gconstpointer  data)
{
  const struct {
    int access_mode;
    guint32 close_event;
  } cases[] = {
    { O_RDONLY, IN_CLOSE_NOWRITE },
    { O_RDWR, IN_CLOSE_WRITE },
  };

  watch_opens (fixture, fixture->fifo);
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (rf_sg_transport_open_checked (fixture->fifo, cases[i].access_mode,
                                                     makedev (SCSI_GENERIC_MAJOR, 0), &error),
                       ==, -1);
      g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
      g_assert_cmpuint (watched_events (fixture), ==, IN_OPEN | cases[i].close_event);
    }
}

/* fstat() of the opened node must show the device number checked before. */
static void
test_check_opened (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *sg = NULL;
  g_autofree char *sr = NULL;
  g_autoptr(GError) error = NULL;
  struct stat info;
  int fd;

  fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (fstat (fd, &info), ==, 0);
  g_assert_false (rf_sg_transport_check_opened (fd, "/dev/null", info.st_rdev, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  close (fd);

  sg = rf_test_make_node (fixture->dir, "sg200", S_IFCHR | 0600, SCSI_GENERIC_MAJOR, 200);
  sr = rf_test_make_node (fixture->dir, "sr7", S_IFBLK | 0600, SCSI_CDROM_MAJOR, 7);
  if (sg == NULL || sr == NULL)
    {
      g_test_skip ("making device nodes needs CAP_MKNOD");
      return;
    }
  /* O_PATH: fstat() without asking a driver, which has no such device. */
  fd = open (sg, O_PATH | O_CLOEXEC);
  g_assert_true (rf_sg_transport_check_opened (fd, sg, makedev (SCSI_GENERIC_MAJOR, 200),
                                               NULL));
  g_assert_false (rf_sg_transport_check_opened (fd, sg, makedev (SCSI_GENERIC_MAJOR, 201),
                                                &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_assert_nonnull (strstr (error->message, "21:200"));
  g_clear_error (&error);
  close (fd);
  fd = open (sr, O_PATH | O_CLOEXEC);
  g_assert_true (rf_sg_transport_check_opened (fd, sr, makedev (SCSI_CDROM_MAJOR, 7), NULL));
  g_assert_false (rf_sg_transport_check_opened (fd, sr, makedev (SCSI_GENERIC_MAJOR, 7),
                                                &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  close (fd);
}

/* Run as nobody by test_read_only_access: how far each way in gets. */
static int
child_open (const char *path)
{
  for (gsize i = 0; i < G_N_ELEMENTS (openers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfTransport) transport = openers[i].open (path, &error);

      printf ("%s %s\n", openers[i].name,
              transport != NULL ? "opened" : rf_error_code_to_nick ((RfError) error->code));
    }
  return 0;
}

/* A node that others may read, not write: the read-only open gets past the
 * permissions to the driver (which has no device behind this made-up node);
 * the read-write one is refused. */
static void
test_read_only_access (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *node = NULL;
  g_autofree char *out = NULL;

  node = rf_test_make_node (fixture->dir, "sg201", S_IFCHR | 0644, SCSI_GENERIC_MAJOR, 201);
  if (node == NULL)
    {
      g_test_skip ("making a device node needs CAP_MKNOD");
      return;
    }
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  {
    const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-sg-transport", NULL),
                           "--open", node, NULL };

    out = rf_test_run_as_nobody (argv);
  }
  g_assert_cmpstr (out, ==, "read-write permission-denied\nread-only device-gone\n");
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--open"))
    return child_open (argv[2]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sg-transport/dev-null", test_dev_null);
  g_test_add_func ("/reflash/sg-transport/missing", test_missing);
  g_test_add_func ("/reflash/sg-transport/node-kinds", test_node_kinds);
  g_test_add_func ("/reflash/sg-transport/open-errors", test_open_errors);
#define ADD(path, func) \
  g_test_add ("/reflash/sg-transport/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("symlink", test_symlink);
  ADD ("not-a-node", test_not_a_node);
  ADD ("open-checked-no-follow", test_open_checked_no_follow);
  ADD ("open-checked-other-file", test_open_checked_other_file);
  ADD ("check-opened", test_check_opened);
  ADD ("read-only-access", test_read_only_access);
#undef ADD
  for (gsize i = 0; i < G_N_ELEMENTS (outcome_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/sg-transport/outcome/%s",
                                               outcome_cases[i].name);
      g_test_add_data_func (path, &outcome_cases[i], test_outcome);
    }
  return g_test_run ();
}
