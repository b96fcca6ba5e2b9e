/* main.c: reflash-helper, run as root by pkexec for one optical drive
 *
 *   pkexec reflash-helper /dev/sgN
 *
 * Started only when the user cannot open the drive read-write (ARCHITECTURE.md
 * "Privileges"). It trusts neither its caller nor its argument: it opens
 * nothing but a canonical sg or sr node of the right driver, checks that the
 * node is an optical drive, holds the drive's lock, and then executes framed
 * commands from stdin behind a command gate of its own (rf-helper-frame.h),
 * until stdin closes. It reads no environment, no file path from the client,
 * and writes no file. Every refusal is a hello with a reason the client shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "rf-drive-db.h"
#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-helper-frame.h"
#include "rf-helper-server.h"
#include "rf-scsi.h"
#include "rf-sg-transport.h"
#include "rf-command-gate.h"

#define SG_MAJOR 21
#define SR_MAJOR 11

static int
refuse (const char *reason,
        const char *detail)
{
  fprintf (stderr, "reflash-helper: refused: %s%s%s\n", reason, detail != NULL ? ": " : "",
           detail != NULL ? detail : "");
  rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_REFUSED, 0, reason);
  return 2;
}

/* What lstat says of the node, as a refusal reason; NULL when it is an sg
 * character device or an sr block device. */
static const char *
check_node_kind (const char  *node,
                 struct stat *info)
{
  if (lstat (node, info) != 0)
    return errno == ENOENT ? "no-such-node" : "cannot-stat-node";
  if (S_ISLNK (info->st_mode))
    return "symlink";
  if (!S_ISCHR (info->st_mode) && !S_ISBLK (info->st_mode))
    return "not-a-device";
  if (S_ISCHR (info->st_mode) && major (info->st_rdev) == SG_MAJOR)
    return NULL;
  if (S_ISBLK (info->st_mode) && major (info->st_rdev) == SR_MAJOR)
    return NULL;
  return "wrong-major";
}

/* The drive data comes only from the installed folder, and only when root
 * owns it and nobody else may write it. */
static RfDriveDb *
load_installed_drive_data (void)
{
  g_autofree char *dir = g_build_filename (PKGDATADIR, "drives", NULL);
  g_autoptr(RfDriveDb) db = rf_drive_db_new ();
  g_autoptr(GError) error = NULL;
  struct stat info;

  if (lstat (dir, &info) != 0 || !S_ISDIR (info.st_mode) || info.st_uid != 0 ||
      (info.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    {
      fprintf (stderr, "reflash-helper: %s is not a folder that root alone may change\n", dir);
      return NULL;
    }
  if (!rf_drive_db_load_dir (db, dir, &error))
    {
      fprintf (stderr, "reflash-helper: %s\n", error->message);
      return NULL;
    }
  return g_steal_pointer (&db);
}

/* /dev/sgN is the sg driver's character node, /dev/srN the sr driver's
 * block node: a node of the other kind under that name is not what the
 * name says. */
static gboolean
kind_matches_name (const char        *node,
                   const struct stat *info)
{
  if (g_str_has_prefix (node, "/dev/sg"))
    return S_ISCHR (info->st_mode);
  return S_ISBLK (info->st_mode);
}

static int
serve (const char *node)
{
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(RfTransport) drive = NULL;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(GError) error = NULL;
  RfDriveFamily *family = NULL;
  struct stat info;
  const char *refusal;
  const char *ended;

  /* lstat opens nothing: what the name is comes first, then how it is
   * spelled, so that each refusal says the first thing wrong with it. */
  refusal = check_node_kind (node, &info);
  if (refusal != NULL)
    return refuse (refusal, node);
  if (!rf_helper_node_is_canonical (node))
    return refuse ("not-canonical", node);
  if (!kind_matches_name (node, &info))
    return refuse ("wrong-kind", node);
  /* Locked on the node, as every Reflash process locks a real drive. */
  lock = rf_drive_lock_acquire (node, &error);
  if (lock == NULL && g_error_matches (error, RF_ERROR, RF_ERROR_BUSY))
    {
      rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_BUSY, 0, "busy");
      return 3;
    }
  if (lock == NULL)
    return refuse ("cannot-lock", error->message);
  /* rf_sg_transport_new() opens with O_NOFOLLOW and compares fstat with a
   * lstat of its own; only root may change /dev between that and the check
   * above. */
  drive = rf_sg_transport_new (node, &error);
  if (drive == NULL)
    return refuse ("cannot-open", error->message);
  db = load_installed_drive_data ();
  if (!rf_helper_server_identify (drive, db, &family))
    return refuse ("not-optical", node);
  if (db == NULL)
    return refuse ("no-drive-data", PKGDATADIR);
  if (!rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_READY,
                                   rf_transport_get_max_transfer (drive), NULL))
    return 4;
  ended = rf_helper_server_run (drive, db, family, STDIN_FILENO, STDOUT_FILENO);
  return g_str_equal (ended, "end") ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  rf_helper_server_prepare_process ();
  if (argc != 2)
    return refuse ("usage", "reflash-helper takes one argument: /dev/sgN or /dev/srN");
  return serve (argv[1]);
}
