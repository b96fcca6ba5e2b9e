/* test-notifier.c: desktop notifications, against python3-dbusmock's
 * notification daemon on the session bus that the ui suite runs in
 * (dbus-run-session)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <signal.h>

#include "rf-notifier.h"
#include "rf-test-util.h"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define STARTUP_TIMEOUT_US (20 * G_USEC_PER_SEC)

static char *dbusmock_python;

static GDBusConnection *
session_bus (void)
{
  g_autoptr(GError) error = NULL;
  GDBusConnection *bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  return bus;
}

static gboolean
name_has_owner (GDBusConnection *bus,
                const char      *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static GSubprocess *
start_daemon (GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  gint64 deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_US;

  daemon = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, dbusmock_python, "-m",
                             "dbusmock", "--template", "notification_daemon", NULL);
  g_assert_no_error (error);
  while (!name_has_owner (bus, NOTIFICATIONS_NAME))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (20000);
    }
  return g_steal_pointer (&daemon);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static gboolean
send_sync (const char  *summary,
           const char  *body,
           GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  rf_notifier_send_async (summary, body, NULL, on_sent, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return rf_notifier_send_finish (result, error);
}

/* The summaries of the Notify calls the mock received. */
static GPtrArray *
notified_summaries (GDBusConnection *bus)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) calls = NULL;
  GPtrArray *summaries = g_ptr_array_new_with_free_func (g_free);

  reply = g_dbus_connection_call_sync (bus, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                                       "org.freedesktop.DBus.Mock", "GetMethodCalls",
                                       g_variant_new ("(s)", "Notify"), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  calls = g_variant_get_child_value (reply, 0);
  for (gsize i = 0; i < g_variant_n_children (calls); i++)
    {
      g_autoptr(GVariant) call = g_variant_get_child_value (calls, i);
      g_autoptr(GVariant) args = g_variant_get_child_value (call, 1);
      g_autoptr(GVariant) boxed = g_variant_get_child_value (args, 3);
      g_autoptr(GVariant) summary = g_variant_get_variant (boxed);

      g_ptr_array_add (summaries, g_variant_dup_string (summary, NULL));
    }
  return summaries;
}

/* A notification reaches the desktop's service, sent from a worker thread. */
static void
test_sent (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GSubprocess) daemon = NULL;
  g_autoptr(GPtrArray) summaries = NULL;
  g_autoptr(GError) error = NULL;

  if (dbusmock_python == NULL)
    {
      g_test_skip ("no python3 here can import dbusmock");
      return;
    }
  bus = session_bus ();
  daemon = start_daemon (bus);
  g_assert_true (send_sync ("Your ND-3550A now runs firmware 1.06", NULL, &error));
  g_assert_no_error (error);
  summaries = notified_summaries (bus);
  g_assert_cmpuint (summaries->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (summaries, 0), ==, "Your ND-3550A now runs firmware 1.06");
  g_subprocess_send_signal (daemon, SIGTERM);
  g_subprocess_wait (daemon, NULL, NULL);
}

/* No notification service: an error to log, never a crash or a hang. */
static void
test_no_service (void)
{
  g_autoptr(GDBusConnection) bus = session_bus ();
  g_autoptr(GError) error = NULL;

  if (name_has_owner (bus, NOTIFICATIONS_NAME))
    {
      g_test_skip ("a notification service runs on this bus");
      return;
    }
  g_assert_false (send_sync ("The Firmware Was Not Written", "Open Reflash to see what to do next.",
                             &error));
  g_assert_nonnull (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  dbusmock_python = rf_test_find_dbusmock_python ();
  g_test_add_func ("/reflash/notifier/no-service", test_no_service);
  g_test_add_func ("/reflash/notifier/sent", test_sent);
  return g_test_run ();
}
