/* reflash-helper-sim.c: the tests' stand-in for reflash-helper, serving a
 * practice drive through the same frame code (never installed)
 *
 *   reflash-helper-sim [--speed S] [--die-at HEX] [--kill-client-at HEX] SCENARIO NODE
 *
 * Says hello and serves frames exactly as reflash-helper does after its
 * checks, with a practice drive in place of the node: what the helper tests
 * prove of the frames, the gate and the signals is what runs as root. NODE is
 * taken as the client gives it and only logged. The practice drive's state is
 * its usual file, so the client can look at it after the helper ended.
 *
 * A real drive stays powered from one helper to the next; a practice drive
 * opened anew by each helper process would power up each time, and answer
 * its first command with the power-on UNIT ATTENTION. That one is taken here,
 * before the hello, as the earlier session had taken it.
 *
 * --die-at makes it die, as a helper killed by root or by a bug would, just
 * before the first command whose CDB starts with those bytes (in hex, "cb04"
 * for NEC's ERASE BLOCK) reaches the drive. --kill-client-at kills its
 * client (the process that started it) with SIGKILL at that point instead,
 * and serves on: the drive stays powered, as a real one would when Reflash
 * crashes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rf-drive-lock.h"
#include "rf-error.h"
#include "rf-helper-server.h"
#include "rf-sim-drive.h"
#include "rf-sim-transport.h"
#include "rf-test-hook.h"

/* The start of a CDB, and whether it was given. */
typedef struct {
  guint8 cdb[RF_CDB_MAX];
  gsize length;
} CdbPrefix;

static CdbPrefix die_at;
static CdbPrefix kill_client_at;

static void
take_power_on_attention (RfTransport *transport)
{
  static const guint8 test_unit_ready[6] = { 0 };
  RfCommand command;

  if (rf_command_init (&command, test_unit_ready, 6, RF_DIRECTION_NONE, NULL, 0, 1000))
    rf_transport_execute (transport, &command, NULL, NULL);
}

static gboolean
starts_with (const RfCommand *command,
             const CdbPrefix *prefix)
{
  return prefix->length > 0 && command->cdb_length >= prefix->length &&
         memcmp (command->cdb, prefix->cdb, prefix->length) == 0;
}

/* Before the command reaches the drive: the helper dies, or its client is
 * killed (the client's death then reaches the helper as the end of its
 * stdin, after this command, as it would for a real helper). */
static void
act_before (guint            n,
            const RfCommand *command,
            gpointer         user_data)
{
  if (starts_with (command, &die_at))
    _exit (70);
  if (starts_with (command, &kill_client_at))
    {
      kill (getppid (), SIGKILL);
      kill_client_at.length = 0;
    }
}

static gboolean
parse_prefix (const char *hex,
              CdbPrefix  *prefix)
{
  gsize digits = strlen (hex);

  if (digits == 0 || digits % 2 != 0 || digits / 2 > RF_CDB_MAX)
    return FALSE;
  for (gsize i = 0; i < digits / 2; i++)
    {
      int high = g_ascii_xdigit_value (hex[2 * i]);
      int low = g_ascii_xdigit_value (hex[2 * i + 1]);

      if (high < 0 || low < 0)
        return FALSE;
      prefix->cdb[i] = (guint8) (high << 4 | low);
    }
  prefix->length = digits / 2;
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RfSimDrive) drive = NULL;
  g_autoptr(RfTransport) transport = NULL;
  TestHookTransport *hook;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(RfDriveLock) lock = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lock_name = NULL;
  RfDriveFamily *family = NULL;
  double speed = 0.0;
  int first = 1;

  rf_helper_server_prepare_process ();
  while (argc - first >= 2 && g_str_has_prefix (argv[first], "--"))
    {
      if (g_str_equal (argv[first], "--speed"))
        speed = g_ascii_strtod (argv[first + 1], NULL);
      else if (g_str_equal (argv[first], "--die-at") && parse_prefix (argv[first + 1], &die_at))
        ;
      else if (g_str_equal (argv[first], "--kill-client-at") &&
               parse_prefix (argv[first + 1], &kill_client_at))
        ;
      else
        break;
      first += 2;
    }
  if (argc - first != 2)
    {
      rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_REFUSED, 0, "usage");
      return 2;
    }
  g_debug ("serving practice:%s for %s", argv[first], argv[first + 1]);
  lock_name = g_strconcat ("practice:", argv[first], NULL);
  lock = rf_drive_lock_acquire (lock_name, &error);
  if (lock == NULL)
    {
      rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_BUSY, 0, "busy");
      return 3;
    }
  db = rf_drive_db_new_default (&error);
  drive = db != NULL ? rf_sim_drive_open (argv[first], NULL, &error) : NULL;
  if (drive == NULL)
    {
      fprintf (stderr, "reflash-helper-sim: %s\n", error->message);
      rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_REFUSED, 0, "no-such-node");
      return 2;
    }
  rf_sim_drive_set_speed (drive, speed);
  hook = test_hook_transport_new (rf_sim_transport_new (drive));
  hook->func = act_before;
  transport = RF_TRANSPORT (hook);
  take_power_on_attention (transport);
  /* As reflash-helper: the INQUIRY decides the one family stages may name. */
  if (!rf_helper_server_identify (transport, db, &family))
    {
      rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_REFUSED, 0, "not-optical");
      return 2;
    }
  if (!rf_helper_server_say_hello (STDOUT_FILENO, RF_HELPER_HELLO_READY,
                                   rf_transport_get_max_transfer (transport), NULL))
    return 4;
  return g_str_equal (rf_helper_server_run (transport, db, family, STDIN_FILENO, STDOUT_FILENO), "end")
         ? 0 : 1;
}
