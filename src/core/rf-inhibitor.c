/* rf-inhibitor.c: a logind block inhibitor, held as the file descriptor
 * logind hands out; closing it lets the computer suspend again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "rf-error.h"
#include "rf-inhibitor-private.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define INHIBIT_WHO "Reflash"
/* "block", not "delay": a delay inhibitor only postpones a suspend by a few
 * seconds, far less than a flash takes. */
#define INHIBIT_MODE "block"
/* logind answers in milliseconds, polkit's check included. The bound is for
 * a system bus that accepts the connection and then never speaks: the flash
 * must not hang in its checks. */
#define INHIBIT_TIMEOUT_MS 5000

struct _RfInhibitor
{
  GObject parent_instance;

  int fd;
};

G_DEFINE_FINAL_TYPE (RfInhibitor, rf_inhibitor, G_TYPE_OBJECT)

static void
rf_inhibitor_finalize (GObject *object)
{
  rf_inhibitor_release (RF_INHIBITOR (object));
  G_OBJECT_CLASS (rf_inhibitor_parent_class)->finalize (object);
}

static void
rf_inhibitor_class_init (RfInhibitorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_inhibitor_finalize;
}

static void
rf_inhibitor_init (RfInhibitor *self)
{
  self->fd = -1;
}

/* One Inhibit call, run on a main context of its own so that the caller's
 * thread (a job's worker) needs no main loop, and so that a deadline can
 * cancel the connection's handshake as well as the call. */
typedef struct {
  const char *why;
  guint timeout_ms;
  GCancellable *cancellable; /* ours: the deadline and the caller's cancellable cancel it */
  gboolean timed_out;
  gboolean done;
  GDBusConnection *connection;
  GVariant *reply;
  GUnixFDList *fd_list;
  GError *error;
} Request;

static void
request_clear (Request *request)
{
  g_clear_object (&request->cancellable);
  g_clear_object (&request->connection);
  g_clear_pointer (&request->reply, g_variant_unref);
  g_clear_object (&request->fd_list);
  g_clear_error (&request->error);
}

static void
on_inhibited (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;

  request->reply = g_dbus_connection_call_with_unix_fd_list_finish (
    G_DBUS_CONNECTION (source), &request->fd_list, result, &request->error);
  request->done = TRUE;
}

/* No interactive authorization: where polkit says no without asking (an ssh
 * session), a password prompt would not change it, and a flash's checks must
 * not stop on a dialog. */
static void
on_connected (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Request *request = user_data;

  request->connection = g_dbus_connection_new_for_address_finish (result, &request->error);
  if (request->connection == NULL)
    {
      request->done = TRUE;
      return;
    }
  g_dbus_connection_call_with_unix_fd_list (
    request->connection, LOGIND_NAME, LOGIND_PATH, LOGIND_MANAGER, "Inhibit",
    g_variant_new ("(ssss)", RF_INHIBITOR_WHAT, INHIBIT_WHO, request->why, INHIBIT_MODE),
    G_VARIANT_TYPE ("(h)"), G_DBUS_CALL_FLAGS_NONE, (int) request->timeout_ms, NULL,
    request->cancellable, on_inhibited, request);
}

static gboolean
on_deadline (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static GSource *
attach_deadline (Request      *request,
                 GMainContext *context)
{
  GSource *source = g_timeout_source_new (request->timeout_ms);

  g_source_set_callback (source, on_deadline, request, NULL);
  g_source_attach (source, context);
  return source;
}

/* Runs in whichever thread cancels the caller's cancellable. (A
 * GCancellableSource would do it in ours, but GLib 2.74 leaks one that is
 * destroyed while another thread is still inside g_cancellable_cancel().) */
static void
on_caller_cancelled (GCancellable *caller,
                     gpointer      user_data)
{
  g_cancellable_cancel (user_data);
}

/* The connection is private and used once: logind ties the inhibitor to the
 * descriptor, not to the connection, and a private one sees a changed
 * DBUS_SYSTEM_BUS_ADDRESS (tests) and no other user's state. */
static void
close_connection (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;

  if (connection != NULL && !g_dbus_connection_close_sync (connection, NULL, &error))
    g_debug ("closing the system bus connection: %s", error->message);
}

static void
run_request (Request      *request,
             const char   *address,
             GCancellable *caller)
{
  GMainContext *context = g_main_context_new ();
  GSource *deadline;
  gulong cancel_id = 0;

  g_main_context_push_thread_default (context);
  deadline = attach_deadline (request, context);
  if (caller != NULL)
    cancel_id = g_cancellable_connect (caller, G_CALLBACK (on_caller_cancelled),
                                       request->cancellable, NULL);
  g_dbus_connection_new_for_address (
    address, G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
               G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, request->cancellable, on_connected, request);
  /* Cancelled calls still call back: wait for that, so nothing is left
   * pointing at @request. */
  while (!request->done)
    g_main_context_iteration (context, TRUE);
  /* Waits for a cancel running in another thread, which may still use
   * request->cancellable. */
  g_cancellable_disconnect (caller, cancel_id);
  g_source_destroy (deadline);
  g_source_unref (deadline);
  close_connection (request->connection);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
}

/* The D-Bus error's name and message (AccessDenied from polkit,
 * ServiceUnknown without logind) go to the log; people read the sentence of
 * RF_ERROR_INHIBIT_REFUSED. */
static void
set_refused (const Request *request,
             const char    *address,
             GError       **error)
{
  g_autofree char *name = g_dbus_error_get_remote_error (request->error);
  g_autoptr(GError) stripped = g_error_copy (request->error);

  if (request->timed_out)
    g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED,
                 "no answer from logind on the system bus %s within %u ms", address,
                 request->timeout_ms);
  else if (g_error_matches (request->error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_set_error_literal (error, RF_ERROR, RF_ERROR_CANCELLED, "cancelled before logind answered");
  else if (name != NULL)
    {
      g_dbus_error_strip_remote_error (stripped);
      g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED,
                   "logind refused the %s inhibitor: %s: %s", RF_INHIBITOR_WHAT, name,
                   stripped->message);
    }
  else if (request->connection == NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED, "no system bus at %s: %s", address,
                 request->error->message);
  else
    g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED, "calling logind's Inhibit: %s",
                 request->error->message);
}

/* logind's reply is the index of the descriptor in the message's list; the
 * list's own copy closes with the list, ours stays (close-on-exec, so no
 * child process keeps the computer awake). */
static int
take_fd (const Request *request,
         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gint32 handle = -1;
  int fd;

  g_variant_get (request->reply, "(h)", &handle);
  if (request->fd_list == NULL || handle < 0 ||
      handle >= g_unix_fd_list_get_length (request->fd_list))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED,
                   "logind answered Inhibit without a file descriptor");
      return -1;
    }
  fd = g_unix_fd_list_get (request->fd_list, handle, &local_error);
  /* Not held is refused, whatever the reason (EMFILE). */
  if (fd < 0)
    g_set_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED, "keeping logind's inhibitor: %s",
                 local_error->message);
  return fd;
}

/**
 * rf_inhibitor_acquire_within:
 * @timeout_ms: how long to wait for the system bus and logind together
 *
 * rf_inhibitor_acquire() with another wait than its 5 s, for tests.
 */
RfInhibitor *
rf_inhibitor_acquire_within (const char   *why,
                             guint         timeout_ms,
                             GCancellable *cancellable,
                             GError      **error)
{
  RfInhibitor *self;
  g_autofree char *address = NULL;
  Request request = { .timeout_ms = timeout_ms };
  int fd = -1;

  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* DBUS_SYSTEM_BUS_ADDRESS when set (tests point it at a private bus), else
   * the system bus's socket; no I/O happens here. */
  address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SYSTEM, NULL, error);
  if (address == NULL)
    {
      rf_error_convert (error);
      return NULL;
    }
  request.why = why != NULL ? why : _("Reflash is writing new firmware to a drive.");
  request.cancellable = g_cancellable_new ();
  run_request (&request, address, cancellable);
  if (request.reply == NULL)
    set_refused (&request, address, error);
  else
    fd = take_fd (&request, error);
  request_clear (&request);
  if (fd < 0)
    return NULL;
  self = g_object_new (RF_TYPE_INHIBITOR, NULL);
  self->fd = fd;
  g_debug ("holding logind's %s inhibitor (fd %d)", RF_INHIBITOR_WHAT, fd);
  return self;
}

/**
 * rf_inhibitor_acquire:
 * @why: (nullable): a translated sentence that the desktop shows to someone
 *   who tries to suspend or switch off; %NULL for a general one
 * @cancellable: (nullable): cancels the wait for logind
 *
 * Asks logind on the system bus for a block inhibitor of suspend, shutdown
 * and the lid switch (%RF_INHIBITOR_WHAT) for as long as the returned object
 * lives. A refusal is %RF_ERROR_INHIBIT_REFUSED, whose sentence tells people
 * not to suspend the computer or close its lid; the message carries the
 * D-Bus error for the log: no system bus, no logind
 * (org.freedesktop.DBus.Error.ServiceUnknown), polkit's
 * org.freedesktop.DBus.Error.AccessDenied (as in an ssh session), or no
 * answer within 5 s. Blocks the calling thread; runs no main loop of the
 * caller's.
 *
 * Returns: (transfer full) (nullable): the held inhibitor, released by
 *   rf_inhibitor_release() or when unreferenced
 */
RfInhibitor *
rf_inhibitor_acquire (const char   *why,
                      GCancellable *cancellable,
                      GError      **error)
{
  return rf_inhibitor_acquire_within (why, INHIBIT_TIMEOUT_MS, cancellable, error);
}

/**
 * rf_inhibitor_release:
 *
 * Closes the descriptor, which ends the inhibitor at once (logind watches
 * it). Releasing twice does nothing.
 */
void
rf_inhibitor_release (RfInhibitor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RF_IS_INHIBITOR (self));

  if (self->fd < 0)
    return;
  g_debug ("releasing logind's %s inhibitor (fd %d)", RF_INHIBITOR_WHAT, self->fd);
  /* The descriptor is gone whatever close() says (Linux frees it even on
   * EINTR), so the inhibitor is released either way. */
  if (!g_close (g_steal_fd (&self->fd), &error))
    g_debug ("closing the inhibitor: %s", error->message);
}

/**
 * rf_inhibitor_is_held:
 *
 * Returns: %TRUE until rf_inhibitor_release()
 */
gboolean
rf_inhibitor_is_held (RfInhibitor *self)
{
  g_return_val_if_fail (RF_IS_INHIBITOR (self), FALSE);
  return self->fd >= 0;
}
