/* test-inhibitor.c: logind's block inhibitor, against python3-dbusmock's
 * logind on a private bus that stands in for the system bus
 *
 * DBUS_SYSTEM_BUS_ADDRESS names one socket for the whole run, set before any
 * thread exists; each case that needs a bus starts its own dbus-daemon there
 * (there is no system bus and no logind on CI), and the cases without a bus
 * leave the socket missing or silent. The mock keeps a list of inhibitors
 * (ListInhibitors) and drops one when the descriptor it handed out is closed,
 * so the list proves both what was asked for and that releasing let go.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <gio/gio.h>
#include <gio/gunixsocketaddress.h>
#include <glib/gstdio.h>
#include <signal.h>

#include "rf-error.h"
#include "rf-inhibitor-private.h"
#include "rf-test-util.h"

#define LOGIND_NAME "org.freedesktop.login1"
#define LOGIND_PATH "/org/freedesktop/login1"
#define LOGIND_MANAGER "org.freedesktop.login1.Manager"
#define MOCK_IFACE "org.freedesktop.DBus.Mock"
#define WHY "Writing firmware to the ND-3550A"
/* Generous: python starts slowly on a busy machine or under ASan. */
#define STARTUP_TIMEOUT_US (20 * G_USEC_PER_SEC)
#define POLL_US (20 * 1000)

#define SKIP_MESSAGE \
  "no python3 here can import dbusmock (build-aux/setup-deps installs python3-dbusmock)"

/* The interpreter that can import dbusmock: Debian's, which a python3 of
 * pyenv or a virtualenv earlier on PATH may hide. NULL: none can. */
static char *dbusmock_python;
/* The folder of the run's bus socket, and the socket. */
static char *run_dir;
static char *socket_path;

/* A bus with only the allow-all policy: no activation, so a name nobody owns
 * is ServiceUnknown at once. */
static const char bus_config[] =
  "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
  " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
  "<busconfig>\n"
  "  <type>session</type>\n"
  "  <listen>unix:path=%s</listen>\n"
  "  <auth>EXTERNAL</auth>\n"
  "  <policy context=\"default\">\n"
  "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
  "    <allow eavesdrop=\"true\"/>\n"
  "    <allow own=\"*\"/>\n"
  "  </policy>\n"
  "</busconfig>\n";

typedef struct {
  GSubprocess *bus;
  GSubprocess *logind;
  GDBusConnection *connection; /* the test's own, to ask the mock */
} Fixture;

static GSubprocess *
start_bus (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *config = g_strdup_printf (bus_config, socket_path);
  g_autofree char *config_path = g_build_filename (run_dir, "bus.conf", NULL);
  g_autofree char *config_arg = g_strconcat ("--config-file=", config_path, NULL);
  g_autoptr(GSubprocess) bus = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *address = NULL;

  g_assert_true (g_file_set_contents (config_path, config, -1, NULL));
  bus = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "dbus-daemon", config_arg,
                          "--nofork", "--print-address=1", NULL);
  g_assert_no_error (error);
  /* The daemon prints its address once it listens. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (bus));
  address = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (address);
  g_assert_true (g_str_has_prefix (address, g_getenv ("DBUS_SYSTEM_BUS_ADDRESS")));
  return g_steal_pointer (&bus);
}

static gboolean
name_has_owner (GDBusConnection *connection,
                const char      *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  gboolean owned;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", name), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* python3 -m dbusmock --template logind, on our bus (the template asks for
 * the system bus). Its stdout logs every call: kept away from TAP. */
static GSubprocess *
start_logind (GDBusConnection *connection)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) logind = NULL;
  gint64 deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_US;

  logind = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, dbusmock_python, "-m",
                             "dbusmock", "--template", "logind", NULL);
  g_assert_no_error (error);
  while (!name_has_owner (connection, LOGIND_NAME))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("dbusmock's logind did not appear on the bus");
      g_usleep (POLL_US);
    }
  return g_steal_pointer (&logind);
}

static void
setup_bus (Fixture      *fixture,
           gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->bus = start_bus ();
  fixture->connection = g_dbus_connection_new_for_address_sync (
    g_getenv ("DBUS_SYSTEM_BUS_ADDRESS"),
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
setup_logind (Fixture      *fixture,
              gconstpointer data)
{
  if (dbusmock_python == NULL)
    return;
  setup_bus (fixture, data);
  fixture->logind = start_logind (fixture->connection);
}

static void
stop (GSubprocess *process)
{
  if (process == NULL)
    return;
  g_subprocess_send_signal (process, SIGTERM);
  g_assert_true (g_subprocess_wait (process, NULL, NULL));
  g_object_unref (process);
}

static void
teardown (Fixture      *fixture,
          gconstpointer data)
{
  if (fixture->connection != NULL)
    g_assert_true (g_dbus_connection_close_sync (fixture->connection, NULL, NULL));
  g_clear_object (&fixture->connection);
  stop (g_steal_pointer (&fixture->logind));
  stop (g_steal_pointer (&fixture->bus));
  g_unlink (socket_path);
}

static gboolean
skip_without_dbusmock (void)
{
  if (dbusmock_python != NULL)
    return FALSE;
  g_test_skip (SKIP_MESSAGE);
  return TRUE;
}

static GVariant *
call_logind (Fixture    *fixture,
             const char *interface,
             const char *method,
             GVariant   *parameters)
{
  g_autoptr(GError) error = NULL;
  GVariant *reply;

  reply = g_dbus_connection_call_sync (fixture->connection, LOGIND_NAME, LOGIND_PATH, interface,
                                       method, parameters, NULL, G_DBUS_CALL_FLAGS_NONE, -1,
                                       NULL, &error);
  g_assert_no_error (error);
  return reply;
}

/* logind's own view: (what, who, why, mode, uid, pid) for each inhibitor. */
static GVariant *
list_inhibitors (Fixture *fixture)
{
  g_autoptr(GVariant) reply = call_logind (fixture, LOGIND_MANAGER, "ListInhibitors", NULL);

  return g_variant_get_child_value (reply, 0);
}

/* The mock drops an inhibitor when it sees the descriptor's other end
 * close, in its own main loop: give it a moment. */
static void
assert_no_inhibitor_soon (Fixture *fixture)
{
  gint64 deadline = g_get_monotonic_time () + STARTUP_TIMEOUT_US;

  for (;;)
    {
      g_autoptr(GVariant) list = list_inhibitors (fixture);

      if (g_variant_n_children (list) == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        g_error ("logind still lists %" G_GSIZE_FORMAT " inhibitor(s) after the release",
                 g_variant_n_children (list));
      g_usleep (POLL_US);
    }
}

static void
assert_one_inhibitor (Fixture    *fixture,
                      const char *why)
{
  g_autoptr(GVariant) list = list_inhibitors (fixture);
  const char *what, *who, *listed_why, *mode;

  g_assert_cmpuint (g_variant_n_children (list), ==, 1);
  g_variant_get_child (list, 0, "(&s&s&s&suu)", &what, &who, &listed_why, &mode, NULL, NULL);
  g_assert_cmpstr (what, ==, "sleep:shutdown:handle-lid-switch");
  g_assert_cmpstr (who, ==, "Reflash");
  g_assert_cmpstr (mode, ==, "block");
  if (why != NULL)
    g_assert_cmpstr (listed_why, ==, why);
  else
    g_assert_cmpstr (listed_why, !=, "");
}

static void
test_acquire_release (Fixture      *fixture,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfInhibitor) inhibitor = NULL;

  if (skip_without_dbusmock ())
    return;
  inhibitor = rf_inhibitor_acquire (WHY, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (rf_inhibitor_is_held (inhibitor));
  assert_one_inhibitor (fixture, WHY);

  rf_inhibitor_release (inhibitor);
  g_assert_false (rf_inhibitor_is_held (inhibitor));
  assert_no_inhibitor_soon (fixture);
  rf_inhibitor_release (inhibitor);
}

/* A job that ends by dropping its reference, error paths included, lets go
 * of the inhibitor too. */
static void
test_unref_releases (Fixture      *fixture,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  RfInhibitor *inhibitor;

  if (skip_without_dbusmock ())
    return;
  inhibitor = rf_inhibitor_acquire (NULL, NULL, &error);
  g_assert_no_error (error);
  assert_one_inhibitor (fixture, NULL);
  g_assert_finalize_object (inhibitor);
  assert_no_inhibitor_soon (fixture);
}

/* polkit's answer in an ssh session, as logind passes it on. */
static void
test_access_denied (Fixture      *fixture,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfInhibitor) inhibitor = NULL;
  g_autoptr(GVariant) reply = NULL;

  if (skip_without_dbusmock ())
    return;
  reply = call_logind (fixture, MOCK_IFACE, "AddMethod",
                       g_variant_new ("(sssss)", LOGIND_MANAGER, "Inhibit", "ssss", "h",
                                      "raise dbus.exceptions.DBusException("
                                      "'Permission denied by the mock', "
                                      "name='org.freedesktop.DBus.Error.AccessDenied')"));
  inhibitor = rf_inhibitor_acquire (WHY, NULL, &error);
  g_assert_null (inhibitor);
  g_assert_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED);
  rf_test_assert_has (error->message, "org.freedesktop.DBus.Error.AccessDenied");
  rf_test_assert_has (error->message, "Permission denied by the mock");
  rf_test_assert_has (rf_error_code_to_sentence (error->code), "close its lid");
}

/* A bus without logind (a container, a system without systemd). */
static void
test_no_logind (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfInhibitor) inhibitor = NULL;

  inhibitor = rf_inhibitor_acquire (WHY, NULL, &error);
  g_assert_null (inhibitor);
  g_assert_error (error, RF_ERROR, RF_ERROR_INHIBIT_REFUSED);
  rf_test_assert_has (error->message, "org.freedesktop.DBus.Error.ServiceUnknown");
}

static void
assert_refused_quickly (guint timeout_ms,
                        int   code,
                        const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfInhibitor) inhibitor = NULL;
  gint64 start = g_get_monotonic_time ();

  inhibitor = rf_inhibitor_acquire_within (WHY, timeout_ms, NULL, &error);
  g_assert_null (inhibitor);
  g_assert_error (error, RF_ERROR, code);
  rf_test_assert_has (error->message, needle);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

/* No system bus at all: refused at once, whatever the wait allowed. */
static void
test_no_bus (void)
{
  assert_refused_quickly (60 * 1000, RF_ERROR_INHIBIT_REFUSED, "no system bus at unix:path=");
}

/* A socket that takes the connection and never speaks. */
static GSocket *
listen_silently (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_unix_socket_address_new (socket_path);
  g_autoptr(GSocket) socket = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_UNIX, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_DEFAULT,
                         &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, FALSE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (socket, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&socket);
}

static void
stop_listening (GSocket *socket)
{
  g_assert_true (g_socket_close (socket, NULL));
  g_object_unref (socket);
  g_unlink (socket_path);
}

/* The wait ends, and says so. */
static void
test_silent_bus (void)
{
  GSocket *socket = listen_silently ();

  assert_refused_quickly (300, RF_ERROR_INHIBIT_REFUSED, "within 300 ms");
  stop_listening (socket);
}

static gpointer
cancel_later (gpointer data)
{
  g_usleep (100 * 1000);
  g_cancellable_cancel (data);
  return NULL;
}

/* Cancelling the job while the bus keeps it waiting is a cancel, not a refusal. */
static void
test_cancelled (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(RfInhibitor) inhibitor = NULL;
  GSocket *socket = listen_silently ();
  GThread *thread = g_thread_new ("cancel", cancel_later, cancellable);

  inhibitor = rf_inhibitor_acquire (WHY, cancellable, &error);
  g_thread_join (thread);
  g_assert_null (inhibitor);
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);

  g_clear_error (&error);
  inhibitor = rf_inhibitor_acquire (WHY, cancellable, &error);
  g_assert_null (inhibitor);
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  stop_listening (socket);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  /* Before any thread: setenv() is not thread-safe. */
  run_dir = g_dir_make_tmp ("test-inhibitor-XXXXXX", &error);
  g_assert_no_error (error);
  socket_path = g_build_filename (run_dir, "system_bus_socket", NULL);
  address = g_strconcat ("unix:path=", socket_path, NULL);
  g_setenv ("DBUS_SYSTEM_BUS_ADDRESS", address, TRUE);
  dbusmock_python = rf_test_find_dbusmock_python ();
  if (dbusmock_python == NULL)
    g_test_message ("%s: the cases with logind skip", SKIP_MESSAGE);

  g_test_add ("/reflash/inhibitor/acquire-release", Fixture, NULL, setup_logind,
              test_acquire_release, teardown);
  g_test_add ("/reflash/inhibitor/unref-releases", Fixture, NULL, setup_logind,
              test_unref_releases, teardown);
  g_test_add ("/reflash/inhibitor/access-denied", Fixture, NULL, setup_logind,
              test_access_denied, teardown);
  g_test_add ("/reflash/inhibitor/no-logind", Fixture, NULL, setup_bus, test_no_logind,
              teardown);
  g_test_add_func ("/reflash/inhibitor/no-bus", test_no_bus);
  g_test_add_func ("/reflash/inhibitor/silent-bus", test_silent_bus);
  g_test_add_func ("/reflash/inhibitor/cancelled", test_cancelled);
  status = g_test_run ();
  rf_test_remove_tree (run_dir);
  return status;
}
