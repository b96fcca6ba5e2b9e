/* rf-helper-launcher.c: runs `pkexec reflash-helper NODE` in a process group
 * of its own
 *
 * A terminal's Ctrl-C goes to its foreground process group. The helper gets a
 * group of its own so that it never receives one in the middle of an erase
 * (it also ignores SIGINT, as a second guard). polkit's text agent must read
 * the password from that same terminal, though: while the helper has not said
 * hello the terminal is handed to its group, and taken back afterwards
 * (rf-helper-transport.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <unistd.h>

#include "rf-error.h"
#include "rf-helper-launcher.h"

struct _RfHelperLauncher
{
  GObject parent_instance;
  GStrv argv_prefix;
  RfClock *clock;
  guint n_launched;
};

G_DEFINE_FINAL_TYPE (RfHelperLauncher, rf_helper_launcher, G_TYPE_OBJECT)

static void
rf_helper_launcher_finalize (GObject *object)
{
  g_strfreev (RF_HELPER_LAUNCHER (object)->argv_prefix);
  g_clear_object (&RF_HELPER_LAUNCHER (object)->clock);
  G_OBJECT_CLASS (rf_helper_launcher_parent_class)->finalize (object);
}

static void
rf_helper_launcher_class_init (RfHelperLauncherClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_helper_launcher_finalize;
}

static void
rf_helper_launcher_init (RfHelperLauncher *self)
{
}

/**
 * rf_helper_launcher_new:
 * @argv_prefix: the command line before the node, e.g. `pkexec
 *   /usr/libexec/reflash-helper`
 *
 * Returns: (transfer full): a launcher
 */
RfHelperLauncher *
rf_helper_launcher_new (const char * const *argv_prefix)
{
  RfHelperLauncher *self;

  g_return_val_if_fail (argv_prefix != NULL && argv_prefix[0] != NULL, NULL);

  self = g_object_new (RF_TYPE_HELPER_LAUNCHER, NULL);
  self->argv_prefix = g_strdupv ((char **) argv_prefix);
  return self;
}

static RfHelperLauncher *
new_from_environment (void)
{
  const char *command = g_getenv (RF_HELPER_COMMAND_ENV);
  g_auto(GStrv) argv = NULL;

  if (command != NULL && g_shell_parse_argv (command, NULL, &argv, NULL))
    return rf_helper_launcher_new ((const char * const *) argv);
  if (command != NULL)
    g_warning ("%s is not a command line: %s", RF_HELPER_COMMAND_ENV, command);
  return rf_helper_launcher_new ((const char * const[]) { "pkexec", HELPER_PATH, NULL });
}

/**
 * rf_helper_launcher_get_default:
 *
 * Returns: (transfer none): `pkexec` and the installed helper, or the command
 *   #RF_HELPER_COMMAND_ENV names
 */
RfHelperLauncher *
rf_helper_launcher_get_default (void)
{
  static RfHelperLauncher *launcher;

  if (g_once_init_enter (&launcher))
    g_once_init_leave (&launcher, new_from_environment ());
  return launcher;
}

const char *
rf_helper_launcher_get_program (RfHelperLauncher *self)
{
  g_return_val_if_fail (RF_IS_HELPER_LAUNCHER (self), NULL);
  return self->argv_prefix[0];
}

/**
 * rf_helper_launcher_set_clock:
 * @clock: (nullable): the clock the drives behind this launcher's helpers
 *   keep; %NULL for the system's
 *
 * A real drive keeps real time. The tests' helper serves a practice drive at
 * a speed of its own, and the client's waits must keep the same time.
 */
void
rf_helper_launcher_set_clock (RfHelperLauncher *self,
                              RfClock          *clock)
{
  g_return_if_fail (RF_IS_HELPER_LAUNCHER (self));
  g_set_object (&self->clock, clock);
}

/**
 * rf_helper_launcher_get_clock:
 *
 * Returns: (transfer none) (nullable): the clock set, or %NULL
 */
RfClock *
rf_helper_launcher_get_clock (RfHelperLauncher *self)
{
  g_return_val_if_fail (RF_IS_HELPER_LAUNCHER (self), NULL);
  return self->clock;
}

guint
rf_helper_launcher_get_n_launched (RfHelperLauncher *self)
{
  g_return_val_if_fail (RF_IS_HELPER_LAUNCHER (self), 0);
  return g_atomic_int_get (&self->n_launched);
}

static void
own_process_group (gpointer user_data)
{
  setpgid (0, 0);
}

/* Every program on the command line must exist before anything is started:
 * a missing pkexec or helper is said as such, not as a failed login. */
static gboolean
check_programs (RfHelperLauncher  *self,
                GError           **error)
{
  for (guint i = 0; self->argv_prefix[i] != NULL; i++)
    {
      const char *program = self->argv_prefix[i];
      g_autofree char *found = NULL;

      if (i > 0 && !g_path_is_absolute (program))
        continue;
      found = g_find_program_in_path (program);
      if (found == NULL)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_HELPER_MISSING,
                       "%s is not installed; it is needed to ask for administrator rights",
                       program);
          return FALSE;
        }
    }
  return TRUE;
}

/**
 * rf_helper_launcher_spawn:
 * @node: the drive's canonical /dev/sgN or /dev/srN
 *
 * Starts the helper for @node with pipes on its stdin, stdout and stderr, in
 * a process group of its own. Errors: %RF_ERROR_HELPER_MISSING.
 *
 * Returns: (transfer full): the helper's process
 */
GSubprocess *
rf_helper_launcher_spawn (RfHelperLauncher  *self,
                          const char        *node,
                          GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) local_error = NULL;
  GSubprocess *process;

  g_return_val_if_fail (RF_IS_HELPER_LAUNCHER (self), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  if (!check_programs (self, error))
    return NULL;
  for (guint i = 0; self->argv_prefix[i] != NULL; i++)
    g_ptr_array_add (argv, self->argv_prefix[i]);
  g_ptr_array_add (argv, (gpointer) node);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, own_process_group, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                          &local_error);
  if (process == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_HELPER_MISSING, "could not start %s: %s",
                   self->argv_prefix[0], local_error->message);
      return NULL;
    }
  g_atomic_int_inc (&self->n_launched);
  g_debug ("started the helper for %s (%s)", node, self->argv_prefix[0]);
  return process;
}
