/* rf-notifier.c: desktop notifications through libnotify, off the main thread
 *
 * notify_notification_show() is a synchronous D-Bus call that can wait for a
 * slow or missing notification service, so it runs on a worker thread and the
 * window never stalls. A desktop without a notification service is normal:
 * the failure is logged, never shown and never fatal.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <libnotify/notify.h>

#include "rf-notifier.h"

typedef struct {
  char *summary;
  char *body;
} Message;

static void
message_free (gpointer data)
{
  Message *message = data;

  g_free (message->summary);
  g_free (message->body);
  g_free (message);
}

static void
send_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  static GMutex init_lock;
  Message *message = task_data;
  g_autoptr(GObject) notification = NULL;
  GError *error = NULL;
  gboolean ready;

  g_mutex_lock (&init_lock);
  ready = notify_is_initted () || notify_init ("Reflash");
  g_mutex_unlock (&init_lock);
  if (!ready)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "libnotify could not be initialised");
      return;
    }
  notification = G_OBJECT (notify_notification_new (message->summary, message->body,
                                                     "io.github.reflash.Reflash"));
  notify_notification_set_hint_string (NOTIFY_NOTIFICATION (notification), "desktop-entry",
                                       "io.github.reflash.Reflash");
  if (!notify_notification_show (NOTIFY_NOTIFICATION (notification), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

/**
 * rf_notifier_send_async:
 * @summary: one line: what happened
 * @body: (nullable): the next step
 *
 * Shows a desktop notification from a worker thread.
 */
void
rf_notifier_send_async (const char          *summary,
                        const char          *body,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Message *message = g_new0 (Message, 1);

  g_return_if_fail (summary != NULL);

  message->summary = g_strdup (summary);
  message->body = g_strdup (body);
  g_task_set_source_tag (task, rf_notifier_send_async);
  g_task_set_task_data (task, message, message_free);
  g_task_run_in_thread (task, send_in_thread);
}

gboolean
rf_notifier_send_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
