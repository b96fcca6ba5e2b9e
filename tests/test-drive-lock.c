/* test-drive-lock.c: one job per drive across processes, whatever their user
 * and environment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-test-util.h"

typedef struct {
  char *dir;
  char *node;      /* stands in for /dev/sgN: any file locks the same way */
  char *runtime_a;
  char *runtime_b;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-lock-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->node = g_build_filename (fixture->dir, "sg7", NULL);
  g_assert_true (g_file_set_contents (fixture->node, "", 0, NULL));
  fixture->runtime_a = g_build_filename (fixture->dir, "run-a", NULL);
  fixture->runtime_b = g_build_filename (fixture->dir, "run-b", NULL);
  g_assert_cmpint (g_mkdir (fixture->runtime_a, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (fixture->runtime_b, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->node);
  g_free (fixture->runtime_a);
  g_free (fixture->runtime_b);
}

/* `sudo reflash-cli` and `sudo -E reflash-cli` (or root and a user) have other
 * runtime folders: a real drive's lock must not depend on them. */
static void
test_node_lock_ignores_environment (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) first = NULL;
  g_autoptr(RfDriveLock) second = NULL;
  g_autofree char *lock_dir = g_build_filename (fixture->runtime_a, "reflash", NULL);

  g_setenv ("XDG_RUNTIME_DIR", fixture->runtime_a, TRUE);
  first = rf_drive_lock_acquire (fixture->node, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_drive_lock_get_path (first), ==, fixture->node);
  /* Nothing in the runtime folder: the node is the lock. */
  g_assert_false (g_file_test (lock_dir, G_FILE_TEST_EXISTS));

  g_setenv ("XDG_RUNTIME_DIR", fixture->runtime_b, TRUE);
  g_assert_true (rf_drive_lock_is_held_elsewhere (fixture->node));
  second = rf_drive_lock_acquire (fixture->node, &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
  g_assert_null (second);
  g_clear_error (&error);

  g_clear_object (&first);
  g_assert_false (rf_drive_lock_is_held_elsewhere (fixture->node));
  second = rf_drive_lock_acquire (fixture->node, &error);
  g_assert_no_error (error);
  g_assert_nonnull (second);
}

/* Practice drives are per user by design: their locks live in the runtime
 * folder, so tests (and users) keep theirs apart. */
static void
test_practice_lock_per_runtime_dir (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) first = NULL;
  g_autoptr(RfDriveLock) again = NULL;
  g_autoptr(RfDriveLock) other = NULL;

  g_setenv ("XDG_RUNTIME_DIR", fixture->runtime_a, TRUE);
  first = rf_drive_lock_acquire ("practice-seed-0123", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (rf_drive_lock_get_path (first), fixture->runtime_a));
  again = rf_drive_lock_acquire ("practice-seed-0123", &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
  g_clear_error (&error);

  g_setenv ("XDG_RUNTIME_DIR", fixture->runtime_b, TRUE);
  other = rf_drive_lock_acquire ("practice-seed-0123", &error);
  g_assert_no_error (error);
  g_assert_nonnull (other);
}

static gint job_started;

static gpointer
acquire_exclusive (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr(GError) error = NULL;
  RfDriveLock *lock = rf_drive_lock_acquire (fixture->node, &error);

  g_assert_no_error (error);
  g_atomic_int_set (&job_started, 1);
  return lock;
}

/* A passive look holds a shared lock while it talks to the drive: a job of
 * another process waits until it is over, and never sends in between. */
static void
test_job_waits_for_passive_look (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) passive = rf_drive_lock_acquire_shared (fixture->node, &error);
  g_autoptr(RfDriveLock) second_look = NULL;
  g_autoptr(RfDriveLock) job = NULL;
  GThread *thread;

  g_assert_no_error (error);
  /* Passive looks do not exclude each other. */
  second_look = rf_drive_lock_acquire_shared (fixture->node, &error);
  g_assert_no_error (error);
  g_clear_object (&second_look);

  g_atomic_int_set (&job_started, 0);
  thread = g_thread_new ("job", acquire_exclusive, fixture);
  g_usleep (300 * 1000);
  /* Still waiting: the look holds the drive. */
  g_assert_cmpint (g_atomic_int_get (&job_started), ==, 0);
  g_clear_object (&passive);
  job = g_thread_join (thread);
  g_assert_nonnull (job);
}

/* While a job holds the drive, a passive look and another job are refused at
 * once: nothing waits for a flash. */
static void
test_job_excludes_at_once (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveLock) job = rf_drive_lock_acquire (fixture->node, &error);
  g_autoptr(RfDriveLock) look = NULL;
  g_autoptr(RfDriveLock) other = NULL;
  gint64 start;

  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  look = rf_drive_lock_acquire_shared (fixture->node, &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
  g_assert_null (look);
  g_clear_error (&error);
  other = rf_drive_lock_acquire (fixture->node, &error);
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
  g_assert_null (other);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reflash/drive-lock/job-waits-for-passive-look", Fixture, NULL,
              fixture_set_up, test_job_waits_for_passive_look, fixture_tear_down);
  g_test_add ("/reflash/drive-lock/job-excludes-at-once", Fixture, NULL,
              fixture_set_up, test_job_excludes_at_once, fixture_tear_down);
  g_test_add ("/reflash/drive-lock/node-lock-ignores-environment", Fixture, NULL,
              fixture_set_up, test_node_lock_ignores_environment, fixture_tear_down);
  g_test_add ("/reflash/drive-lock/practice-lock-per-runtime-dir", Fixture, NULL,
              fixture_set_up, test_practice_lock_per_runtime_dir, fixture_tear_down);
  return g_test_run ();
}
