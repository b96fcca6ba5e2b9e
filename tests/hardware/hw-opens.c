/* hw-opens.c: how a command opened device nodes, run inside the hardware suite's guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: reflash-hw-opens NODE... -- COMMAND [ARG...]
 *
 * Watches each NODE with inotify, runs COMMAND and, once it has ended, prints
 * one line per NODE to stderr:
 *
 *   opens node=/dev/sg1 read_only=2 read_write=0
 *
 * The counts come from the close events: the kernel reports the last close of
 * a file opened for writing as IN_CLOSE_WRITE and of any other as
 * IN_CLOSE_NOWRITE. Counting closes needs no timing, unlike reading a running
 * program's /proc/PID/fdinfo: when COMMAND has exited, every descriptor it had
 * is closed. COMMAND's own output passes through untouched.
 *
 * Exit status: COMMAND's; 125 when a watch cannot be set, 127 when COMMAND
 * cannot run, 2 on bad arguments.
 */

#include "config.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct {
  const char *node;
  int watch;
  guint read_only;
  guint read_write;
} Node;

static void
count_events (int   inotify_fd,
              Node *nodes,
              int   n_nodes)
{
  char buffer[4096] __attribute__ ((aligned (__alignof__ (struct inotify_event))));
  ssize_t length;

  while ((length = read (inotify_fd, buffer, sizeof buffer)) > 0)
    for (char *p = buffer; p < buffer + length;)
      {
        const struct inotify_event *event = (const struct inotify_event *) p;

        for (int i = 0; i < n_nodes; i++)
          if (nodes[i].watch == event->wd)
            {
              nodes[i].read_write += (event->mask & IN_CLOSE_WRITE) != 0;
              nodes[i].read_only += (event->mask & IN_CLOSE_NOWRITE) != 0;
            }
        p += sizeof *event + event->len;
      }
}

static int
run (char **command)
{
  int status;
  pid_t pid = fork ();

  if (pid < 0)
    return 127;
  if (pid == 0)
    {
      execvp (command[0], command);
      fprintf (stderr, "reflash-hw-opens: %s: %s\n", command[0], g_strerror (errno));
      _exit (127);
    }
  while (waitpid (pid, &status, 0) < 0)
    if (errno != EINTR)
      return 127;
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

int
main (int    argc,
      char **argv)
{
  g_autofree Node *nodes = NULL;
  int n_nodes = 0;
  int inotify_fd;
  int status;

  while (n_nodes + 1 < argc && !g_str_equal (argv[n_nodes + 1], "--"))
    n_nodes++;
  if (n_nodes == 0 || n_nodes + 2 >= argc)
    {
      fprintf (stderr, "Usage: %s NODE... -- COMMAND [ARG...]\n", argv[0]);
      return 2;
    }
  inotify_fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd < 0)
    return 125;
  nodes = g_new0 (Node, n_nodes);
  for (int i = 0; i < n_nodes; i++)
    {
      nodes[i].node = argv[i + 1];
      nodes[i].watch = inotify_add_watch (inotify_fd, nodes[i].node,
                                          IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
      if (nodes[i].watch < 0)
        {
          fprintf (stderr, "reflash-hw-opens: %s: %s\n", nodes[i].node, g_strerror (errno));
          return 125;
        }
    }
  status = run (argv + n_nodes + 2);
  count_events (inotify_fd, nodes, n_nodes);
  for (int i = 0; i < n_nodes; i++)
    fprintf (stderr, "opens node=%s read_only=%u read_write=%u\n", nodes[i].node,
             nodes[i].read_only, nodes[i].read_write);
  close (inotify_fd);
  return status;
}
