/* main.c: reflash, the wizard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <signal.h>

#include "rf-application.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(RfApplication) application = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* A dead helper is an error to report, never a reason to die. */
  signal (SIGPIPE, SIG_IGN);

  application = rf_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
