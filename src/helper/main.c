/* main.c: reflash-helper, the privileged command executor started by pkexec
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>

int
main (int    argc,
      char **argv)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);

  if (argc == 2 && g_str_equal (argv[1], "--version"))
    {
      printf ("reflash-helper %s\n", PACKAGE_VERSION);
      return 0;
    }
  /* The framed command executor comes with the helper's issue ("Privileges done
   * right", #8). Until then it executes nothing, and says so. */
  fprintf (stderr, "%s\n",
           _("reflash-helper: the privileged helper is not available yet (issue #8, “Privileges done right”, is not done)"));
  return 5;
}
