/* test-firmware-file.c: files that are not images, each refused for its reason
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-firmware-file.h"
#include "rf-nec-firmware.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-file-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static RfFirmwareProblem
load (const char *path)
{
  RfFirmwareProblem problem = RF_FIRMWARE_PROBLEM_LAST;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = rf_firmware_file_load (path, RF_FIRMWARE_MAX_FILE_SIZE, &problem,
                                                   &error);

  g_assert_cmpint (bytes != NULL, ==, problem == RF_FIRMWARE_PROBLEM_NONE);
  g_assert_cmpint (error != NULL, ==, bytes == NULL);
  return problem;
}

static void
test_image (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);

  g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_NONE);
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);
  g_autofree char *path = rf_test_write_file (fixture->dir, "empty.bin", nothing);

  g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_EMPTY);
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "nothing-here.bin", NULL);

  g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_NOT_FOUND);
}

static void
test_directory (Fixture       *fixture,
                gconstpointer  data)
{
  g_assert_cmpint (load (fixture->dir), ==, RF_FIRMWARE_PROBLEM_DIRECTORY);
}

static void
test_fifo (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "pipe", NULL);

  /* Opening a FIFO with no writer would block: a hang here is the failure. */
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_SPECIAL_FILE);
}

static void
test_device_node (void)
{
  g_assert_cmpint (load ("/dev/null"), ==, RF_FIRMWARE_PROBLEM_SPECIAL_FILE);
  g_assert_cmpint (load ("/dev/zero"), ==, RF_FIRMWARE_PROBLEM_SPECIAL_FILE);
}

static void
test_too_large (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "huge.iso", NULL);
  int fd = g_open (path, O_WRONLY | O_CREAT, 0600);

  /* A sparse 4 GiB file: refused from its size, never read. */
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 4 * 1024 * 1024 * 1024), ==, 0);
  close (fd);
  g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_TOO_LARGE);
}

static void
test_random_bytes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) noise = rf_test_random_bytes (300000, 11);
  g_autofree char *path = rf_test_write_file (fixture->dir, "noise.exe", noise);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  RfFirmwareProblem problem;

  bytes = rf_firmware_file_load (path, RF_FIRMWARE_MAX_FILE_SIZE, &problem, NULL);
  g_assert_nonnull (bytes);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL));
  g_assert_cmpint (rf_firmware_get_problem (RF_FIRMWARE (firmware)), ==,
                   RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE);
}

/* Run as the child of test_unreadable: load argv's file and print the nick. */
static int
child_load (const char *path)
{
  printf ("%s\n", rf_firmware_problem_to_nick (load (path)));
  return 0;
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autofree char *path = rf_test_write_file (fixture->dir, "secret.bin", image);
  const char *argv[] = { g_test_get_filename (G_TEST_BUILT, "test-firmware-file", NULL),
                         "--load", path, NULL };
  g_autofree char *out = NULL;

  g_assert_cmpint (g_chmod (path, 0000), ==, 0);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  if (getuid () != 0)
    {
      g_assert_cmpint (load (path), ==, RF_FIRMWARE_PROBLEM_UNREADABLE);
      return;
    }
  /* Root reads anything: the child loads it without privileges. */
  g_assert_true (g_spawn_check_wait_status (rf_test_spawn_unprivileged (argv, NULL, &out, NULL),
                                            NULL));
  g_assert_cmpstr (out, ==, "unreadable\n");
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--load"))
    return child_load (argv[2]);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reflash/firmware-file/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("image", test_image);
  ADD ("empty", test_empty);
  ADD ("missing", test_missing);
  ADD ("directory", test_directory);
  ADD ("fifo", test_fifo);
  ADD ("too-large", test_too_large);
  ADD ("random-bytes", test_random_bytes);
  ADD ("unreadable", test_unreadable);
#undef ADD
  g_test_add_func ("/reflash/firmware-file/device-node", test_device_node);

  return g_test_run ();
}
