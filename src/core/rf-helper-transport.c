/* rf-helper-transport.c: commands to a drive sent through reflash-helper
 *
 * Used only for a drive this user cannot open read-write (no-access) or whose
 * commands the kernel refuses (needs-admin), and only for one job: the helper
 * holds the drive's lock and ends when the transport is dropped. The job's own
 * command gate stays in front; each stage it sets is passed to the helper's
 * gate before the next command (rf-helper-frame.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gunixinputstream.h>
#include <gio/gunixoutputstream.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-helper-frame.h"
#include "rf-helper-transport.h"

/* pkexec's exit statuses when the helper never ran (pkexec(1)). */
#define PKEXEC_DISMISSED     126
#define PKEXEC_FAILED        127

struct _RfHelperTransport
{
  RfTransport parent_instance;
  GSubprocess *process;
  int in_fd;              /* the helper's stdin */
  int out_fd;             /* the helper's stdout */
  GThread *stderr_reader;
  GMutex lock;
  GString *stderr_text;   /* under lock */
  RfClock *clock;
  gsize max_transfer;
  gboolean gone;
  GByteArray *pending_stage; /* a STAGE frame to send before the next command */
};

G_DEFINE_FINAL_TYPE (RfHelperTransport, rf_helper_transport, RF_TYPE_TRANSPORT)

/* The helper's stderr (pkexec's words when authentication fails, the helper's
 * log) is kept, so that a failure can say what happened. */
static gpointer
read_stderr (gpointer data)
{
  RfHelperTransport *self = data;
  GInputStream *stream = g_subprocess_get_stderr_pipe (self->process);
  char buffer[1024];
  gssize n;

  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_mutex_lock (&self->lock);
      if (self->stderr_text->len < 64 * 1024)
        g_string_append_len (self->stderr_text, buffer, n);
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static char *
dup_stderr (RfHelperTransport *self)
{
  char *text;

  g_mutex_lock (&self->lock);
  text = g_strstrip (g_strdup (self->stderr_text->str));
  g_mutex_unlock (&self->lock);
  return text;
}

static void
end_helper (RfHelperTransport *self)
{
  if (self->process == NULL)
    return;
  /* Closing its stdin ends the helper between commands. */
  g_output_stream_close (g_subprocess_get_stdin_pipe (self->process), NULL, NULL);
  g_subprocess_wait (self->process, NULL, NULL);
  if (self->stderr_reader != NULL)
    g_thread_join (g_steal_pointer (&self->stderr_reader));
}

static void
rf_helper_transport_dispose (GObject *object)
{
  RfHelperTransport *self = RF_HELPER_TRANSPORT (object);

  end_helper (self);
  g_clear_object (&self->process);
  g_clear_object (&self->clock);
  G_OBJECT_CLASS (rf_helper_transport_parent_class)->dispose (object);
}

static void
rf_helper_transport_finalize (GObject *object)
{
  RfHelperTransport *self = RF_HELPER_TRANSPORT (object);

  g_clear_pointer (&self->pending_stage, g_byte_array_unref);
  g_string_free (self->stderr_text, TRUE);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_helper_transport_parent_class)->finalize (object);
}

/* The helper is gone (it died, or ended the session): like a drive that
 * vanished, nothing more reaches the drive through it. */
static gboolean
fail_gone (RfHelperTransport  *self,
           const char         *why,
           GError            **error)
{
  self->gone = TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE,
               "%s: the administrator helper ended: %s", rf_transport_get_name (RF_TRANSPORT (self)),
               why);
  return FALSE;
}

static gboolean
send_frame (RfHelperTransport  *self,
            GByteArray         *frame,
            GError            **error)
{
  g_autoptr(GError) local_error = NULL;

  if (rf_helper_frame_write (self->in_fd, frame, &local_error))
    return TRUE;
  return fail_gone (self, local_error->message, error);
}

/* Reads the reply to a command; anything else ends the session. */
static gboolean
receive_reply (RfHelperTransport  *self,
               RfCommand          *command,
               GError            **error)
{
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *bye = NULL;
  GError *failure = NULL;
  gboolean answered;

  if (rf_helper_frame_read (self->out_fd, &payload, &local_error) != RF_HELPER_READ_FRAME)
    return fail_gone (self, local_error != NULL ? local_error->message : "no reply", error);
  bye = rf_helper_frame_decode_bye (payload);
  if (bye != NULL)
    return fail_gone (self, bye, error);
  if (!rf_helper_frame_decode_reply (payload, command, &answered, &failure, &local_error))
    return fail_gone (self, local_error->message, error);
  if (!answered)
    g_propagate_error (error, failure);
  return answered;
}

static gboolean
rf_helper_transport_execute (RfTransport  *transport,
                             RfCommand    *command,
                             GCancellable *cancellable,
                             GError      **error)
{
  RfHelperTransport *self = RF_HELPER_TRANSPORT (transport);
  g_autoptr(GByteArray) stage = NULL;

  if (self->gone)
    return fail_gone (self, "earlier", error);
  if (command->data_length > self->max_transfer)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "%s: %" G_GSIZE_FORMAT " bytes in one command, the helper carries %"
                   G_GSIZE_FORMAT, rf_transport_get_name (transport), command->data_length,
                   self->max_transfer);
      return FALSE;
    }
  g_mutex_lock (&self->lock);
  stage = g_steal_pointer (&self->pending_stage);
  g_mutex_unlock (&self->lock);
  if (stage != NULL && !send_frame (self, g_steal_pointer (&stage), error))
    return FALSE;
  if (!send_frame (self, rf_helper_frame_encode_command (command), error))
    return FALSE;
  return receive_reply (self, command, error);
}

static void
rf_helper_transport_stage_changed (RfTransport       *transport,
                                   const RfAllowList *list)
{
  RfHelperTransport *self = RF_HELPER_TRANSPORT (transport);

  /* Sent with the next command: a stage no command follows changes nothing. */
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->pending_stage, g_byte_array_unref);
  self->pending_stage = rf_helper_frame_encode_stage (list);
  g_mutex_unlock (&self->lock);
}

static gsize
rf_helper_transport_get_max_transfer (RfTransport *transport)
{
  return RF_HELPER_TRANSPORT (transport)->max_transfer;
}

static RfClock *
rf_helper_transport_get_clock (RfTransport *transport)
{
  RfHelperTransport *self = RF_HELPER_TRANSPORT (transport);

  return self->clock != NULL ? self->clock : rf_clock_get_system ();
}

static void
rf_helper_transport_class_init (RfHelperTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  object_class->dispose = rf_helper_transport_dispose;
  object_class->finalize = rf_helper_transport_finalize;
  transport_class->execute = rf_helper_transport_execute;
  transport_class->stage_changed = rf_helper_transport_stage_changed;
  transport_class->get_max_transfer = rf_helper_transport_get_max_transfer;
  transport_class->get_clock = rf_helper_transport_get_clock;
}

static void
rf_helper_transport_init (RfHelperTransport *self)
{
  g_mutex_init (&self->lock);
  self->stderr_text = g_string_new (NULL);
  self->in_fd = -1;
  self->out_fd = -1;
}

/**
 * rf_helper_transport_get_process:
 *
 * Returns: (transfer none) (nullable): the helper's process, until it ended
 */
GSubprocess *
rf_helper_transport_get_process (RfHelperTransport *self)
{
  g_return_val_if_fail (RF_IS_HELPER_TRANSPORT (self), NULL);
  return self->gone ? NULL : self->process;
}

/**
 * rf_helper_transport_end:
 *
 * Ends the helper now: it lets go of the drive and its lock. A transcript that
 * keeps this transport keeps only what was recorded; commands after this fail
 * as for a vanished drive.
 */
void
rf_helper_transport_end (RfHelperTransport *self)
{
  g_return_if_fail (RF_IS_HELPER_TRANSPORT (self));

  end_helper (self);
  self->gone = TRUE;
}

/**
 * rf_helper_transport_canonical_node:
 *
 * Resolves links (/dev/cdrom, /dev/sr0's sg sibling given by path): the
 * helper takes only a canonical /dev/sgN or /dev/srN.
 *
 * Returns: (transfer full) (nullable): the canonical name
 */
char *
rf_helper_transport_canonical_node (const char  *node,
                                    GError     **error)
{
  g_autofree char *resolved = realpath (node, NULL);

  if (resolved != NULL && rf_helper_node_is_canonical (resolved))
    return g_steal_pointer (&resolved);
  /* Gone since it was listed: the helper says so in its own words. */
  if (resolved == NULL && rf_helper_node_is_canonical (node))
    return g_strdup (node);
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
               "%s is not an sg or sr device node the helper can open", node);
  return NULL;
}

/* While the helper has not said hello, polkit's text agent may need the
 * terminal: its group gets it, and the caller's group takes it back. The
 * agent turns echo off for the password and leaves it off when Ctrl-C ends
 * it, so the terminal's settings are kept here and put back afterwards. */
static gboolean
hand_terminal (GSubprocess    *process,
               struct termios *settings)
{
  const char *identifier = g_subprocess_get_identifier (process);
  pid_t child;

  /* No identifier: it has already ended, and needs no terminal. */
  if (identifier == NULL || !isatty (STDIN_FILENO) || tcgetpgrp (STDIN_FILENO) != getpgrp () ||
      tcgetattr (STDIN_FILENO, settings) != 0)
    return FALSE;
  child = (pid_t) g_ascii_strtoll (identifier, NULL, 10);
  setpgid (child, child);
  return tcsetpgrp (STDIN_FILENO, child) == 0;
}

static void
take_terminal_back (const struct termios *settings)
{
  sigset_t blocked;
  sigset_t saved;

  /* A background group that sets the terminal's group gets SIGTTOU. */
  sigemptyset (&blocked);
  sigaddset (&blocked, SIGTTOU);
  pthread_sigmask (SIG_BLOCK, &blocked, &saved);
  tcsetpgrp (STDIN_FILENO, getpgrp ());
  tcsetattr (STDIN_FILENO, TCSANOW, settings);
  pthread_sigmask (SIG_SETMASK, &saved, NULL);
}

/* pkexec killed by a terminal's key while it asked for the password: the
 * person ended the prompt. The helper itself ignores these signals. */
static gboolean
was_stopped_at_prompt (GSubprocess *process)
{
  int signal_number;

  if (!g_subprocess_get_if_signaled (process))
    return FALSE;
  signal_number = g_subprocess_get_term_sig (process);
  return signal_number == SIGINT || signal_number == SIGQUIT || signal_number == SIGHUP ||
         signal_number == SIGTERM;
}

/* No hello: pkexec did not run the helper, or the helper died at once.
 * pkexec says 126 only for a dismissed prompt and 127 for every other
 * failure, so its words decide between them. */
static void
explain_no_hello (RfHelperTransport  *self,
                  GError            **error)
{
  g_autofree char *said = NULL;
  int status = -1;

  g_output_stream_close (g_subprocess_get_stdin_pipe (self->process), NULL, NULL);
  g_subprocess_wait (self->process, NULL, NULL);
  g_thread_join (g_steal_pointer (&self->stderr_reader));
  said = dup_stderr (self);
  if (g_subprocess_get_if_exited (self->process))
    status = g_subprocess_get_exit_status (self->process);
  if (status == PKEXEC_FAILED && strstr (said, "authentication agent") != NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_NO_AGENT, "no polkit authentication agent: %s", said);
  else if (status == PKEXEC_DISMISSED || was_stopped_at_prompt (self->process) ||
           (status == PKEXEC_FAILED && strstr (said, "Not authorized") != NULL))
    g_set_error (error, RF_ERROR, RF_ERROR_AUTH_CANCELLED,
                 "administrator rights were not given: %s", said);
  else if (status == PKEXEC_FAILED && strstr (said, "Error accessing") != NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_HELPER_MISSING, "the helper is missing: %s", said);
  else
    g_set_error (error, RF_ERROR, RF_ERROR_AUTH_FAILED,
                 "the helper ended before it answered (%s %d): %s",
                 status >= 0 ? "status" : "signal",
                 status >= 0 ? status : g_subprocess_get_term_sig (self->process), said);
}

static gboolean
read_hello (RfHelperTransport  *self,
            const char         *node,
            GError            **error)
{
  g_auto(RfHelperHello) hello = { 0 };
  g_autoptr(GBytes) payload = NULL;
  g_autoptr(GError) local_error = NULL;

  if (rf_helper_frame_read (self->out_fd, &payload, NULL) != RF_HELPER_READ_FRAME)
    {
      explain_no_hello (self, error);
      return FALSE;
    }
  if (!rf_helper_frame_decode_hello (payload, &hello, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_HELPER_MISSING, "the helper's hello: %s",
                   local_error->message);
      return FALSE;
    }
  if (hello.verdict == RF_HELPER_HELLO_BUSY)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_BUSY, "%s is in use by another job", node);
      return FALSE;
    }
  if (hello.verdict == RF_HELPER_HELLO_REFUSED)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED, "the helper refused %s: %s", node,
                   hello.reason);
      return FALSE;
    }
  self->max_transfer = MIN (hello.max_transfer, RF_HELPER_DATA_MAX);
  return TRUE;
}

/**
 * rf_helper_transport_new:
 * @node: the drive's node; links are resolved here
 * @clock: (nullable): the drive's clock; %NULL for the launcher's, or else
 *   the system's
 *
 * Starts the helper (the user may be asked to authenticate) and waits for its
 * hello. Errors: %RF_ERROR_AUTH_CANCELLED, %RF_ERROR_NO_AGENT,
 * %RF_ERROR_HELPER_MISSING, %RF_ERROR_AUTH_FAILED (pkexec or the helper
 * failed before the hello), %RF_ERROR_BUSY (another job holds the drive),
 * %RF_ERROR_NOT_SUPPORTED (the helper refused the node).
 *
 * Returns: (transfer full) (nullable): the transport
 */
RfTransport *
rf_helper_transport_new (RfHelperLauncher  *launcher,
                         const char        *node,
                         RfClock           *clock,
                         GError           **error)
{
  g_autoptr(RfHelperTransport) self = NULL;
  g_autofree char *canonical = NULL;
  struct termios settings;
  gboolean handed;
  gboolean said_hello;

  g_return_val_if_fail (RF_IS_HELPER_LAUNCHER (launcher), NULL);
  g_return_val_if_fail (node != NULL, NULL);

  canonical = rf_helper_transport_canonical_node (node, error);
  if (canonical == NULL)
    return NULL;
  self = g_object_new (RF_TYPE_HELPER_TRANSPORT, "name", canonical, NULL);
  if (clock == NULL)
    clock = rf_helper_launcher_get_clock (launcher);
  if (clock != NULL)
    self->clock = g_object_ref (clock);
  self->process = rf_helper_launcher_spawn (launcher, canonical, error);
  if (self->process == NULL)
    return NULL;
  self->in_fd = g_unix_output_stream_get_fd (
    G_UNIX_OUTPUT_STREAM (g_subprocess_get_stdin_pipe (self->process)));
  self->out_fd = g_unix_input_stream_get_fd (
    G_UNIX_INPUT_STREAM (g_subprocess_get_stdout_pipe (self->process)));
  self->stderr_reader = g_thread_new ("rf-helper-stderr", read_stderr, self);

  handed = hand_terminal (self->process, &settings);
  said_hello = read_hello (self, canonical, error);
  if (handed)
    take_terminal_back (&settings);
  if (!said_hello)
    return NULL;
  g_debug ("the helper for %s said hello", canonical);
  return RF_TRANSPORT (g_steal_pointer (&self));
}
