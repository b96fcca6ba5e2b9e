/* rf-must-finish.c
 *
 * One process-wide count: several drives may be in such a stretch at once. A
 * front end learns of changes through one watch; a command-line program that
 * has no main loop running during its synchronous work lets
 * rf_must_finish_defer_signals() hold SIGINT, SIGTERM and SIGHUP back.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rf-must-finish.h"

static GMutex lock;
static guint depth;
static char *reason;
static RfMustFinishFunc watch_func;
static gpointer watch_data;

/* Read and written by the signal handler: plain atomics only. */
static volatile gint atomic_depth;
static volatile sig_atomic_t deferred_signal;

static const int deferred_signals[] = { SIGINT, SIGTERM, SIGHUP };
/* Translated before any signal can come: gettext is no call for a handler. */
static char *signal_message;
static gsize signal_message_length;

static void
notify (gboolean active)
{
  RfMustFinishFunc func;
  gpointer data;

  g_mutex_lock (&lock);
  func = watch_func;
  data = watch_data;
  g_mutex_unlock (&lock);
  if (func != NULL)
    func (active, data);
}

/**
 * rf_must_finish_begin:
 * @what: for people who try to stop the program now, e.g. "the drive is
 *   being brought back from safe mode" (developer text; front ends choose
 *   their own translated words)
 */
void
rf_must_finish_begin (const char *what)
{
  gboolean first;

  g_mutex_lock (&lock);
  first = depth++ == 0;
  g_free (reason);
  reason = g_strdup (what);
  g_atomic_int_inc (&atomic_depth);
  g_mutex_unlock (&lock);
  g_debug ("must finish: %s", what);
  if (first)
    notify (TRUE);
}

static void
raise_deferred (void)
{
  int signal_number = deferred_signal;

  if (signal_number == 0)
    return;
  /* What the signal would have done, now that the drive is back. */
  deferred_signal = 0;
  signal (signal_number, SIG_DFL);
  raise (signal_number);
}

void
rf_must_finish_end (void)
{
  gboolean last;

  g_mutex_lock (&lock);
  g_return_if_fail (depth > 0);
  last = --depth == 0;
  if (last)
    g_clear_pointer (&reason, g_free);
  g_atomic_int_add (&atomic_depth, -1);
  g_mutex_unlock (&lock);
  if (!last)
    return;
  notify (FALSE);
  raise_deferred ();
}

gboolean
rf_must_finish_is_active (void)
{
  return g_atomic_int_get (&atomic_depth) > 0;
}

/**
 * rf_must_finish_dup_reason:
 *
 * Returns: (transfer full) (nullable): what must finish now
 */
char *
rf_must_finish_dup_reason (void)
{
  char *copy;

  g_mutex_lock (&lock);
  copy = g_strdup (reason);
  g_mutex_unlock (&lock);
  return copy;
}

/**
 * rf_must_finish_set_watch:
 * @func: (nullable): called when the first stretch begins and the last ends
 */
void
rf_must_finish_set_watch (RfMustFinishFunc func,
                          gpointer         user_data)
{
  g_mutex_lock (&lock);
  watch_func = func;
  watch_data = user_data;
  g_mutex_unlock (&lock);
}

static void
on_signal (int signal_number)
{
  if (g_atomic_int_get (&atomic_depth) == 0)
    {
      signal (signal_number, SIG_DFL);
      raise (signal_number);
      return;
    }
  deferred_signal = signal_number;
  /* write() is safe in a signal handler; its result cannot be acted on here. */
  if (write (STDERR_FILENO, signal_message, signal_message_length) < 0)
    return;
}

/**
 * rf_must_finish_defer_signals:
 *
 * For programs without a main loop: SIGINT, SIGTERM and SIGHUP keep their
 * usual effect, except inside a must-finish stretch, where they take effect
 * when it ends. Call once, early, before any thread starts.
 */
void
rf_must_finish_defer_signals (void)
{
  struct sigaction action;

  if (signal_message == NULL)
    {
      signal_message = g_strdup_printf ("\n%s\n", _("Reflash must first bring the drive back "
                                                     "from safe mode; it stops as soon as that "
                                                     "is done."));
      signal_message_length = strlen (signal_message);
    }
  memset (&action, 0, sizeof action);
  action.sa_handler = on_signal;
  sigemptyset (&action.sa_mask);
  /* A system call of the worker must not fail with EINTR mid-command. */
  action.sa_flags = SA_RESTART;
  for (gsize i = 0; i < G_N_ELEMENTS (deferred_signals); i++)
    sigaction (deferred_signals[i], &action, NULL);
}
