/* hw-lock.c: holds a drive the way a Reflash job does, run inside the hardware suite's guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: reflash-hw-lock NAME -- COMMAND [ARG...]
 *
 * Looks NAME (/dev/sgN or /dev/srN) up with RfDeviceMonitor as every Reflash
 * command does, takes a job's exclusive lock on the drive's lock name
 * (rf_device_get_lock_name(), rf_drive_lock_acquire()), prints to stderr
 *
 *   lock name=/dev/sr1 lock=/dev/sg2
 *
 * and runs COMMAND while it holds the lock. COMMAND does not inherit the
 * lock's descriptor: it is another process, as another Reflash window would
 * be. Nothing reaches a drive: the lookup reads sysfs, and the lock opens the
 * node read-only and non-blocking. COMMAND's own output passes through.
 *
 * Exit status: COMMAND's; 125 when the lock cannot be had, 127 when COMMAND
 * cannot run, 2 on bad arguments.
 */

#include "config.h"

#include <stdio.h>
#include <sys/wait.h>

#include "rf-core.h"

static RfDriveLock *
lock_drive (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(RfDevice) device = NULL;
  RfDriveLock *lock;

  if (db != NULL)
    {
      monitor = rf_device_monitor_new (db);
      device = rf_device_monitor_lookup (monitor, name, &error);
    }
  lock = device != NULL ? rf_drive_lock_acquire (rf_device_get_lock_name (device), &error) : NULL;
  if (lock == NULL)
    {
      fprintf (stderr, "reflash-hw-lock: %s: %s\n", name, error->message);
      return NULL;
    }
  fprintf (stderr, "lock name=%s lock=%s\n", name, rf_drive_lock_get_path (lock));
  return lock;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  int wait_status;

  if (argc < 4 || !g_str_equal (argv[2], "--"))
    {
      fprintf (stderr, "Usage: %s NAME -- COMMAND [ARG...]\n", argv[0]);
      return 2;
    }
  lock = lock_drive (argv[1]);
  if (lock == NULL)
    return 125;
  /* Standard input, output and error are passed on; every other descriptor,
   * the lock's among them, is closed in the child. */
  if (!g_spawn_sync (NULL, argv + 3, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_CHILD_INHERITS_STDIN,
                     NULL, NULL, NULL, NULL, &wait_status, &error))
    {
      fprintf (stderr, "reflash-hw-lock: %s: %s\n", argv[3], error->message);
      return 127;
    }
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
}
