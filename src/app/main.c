/* main.c: reflash, the wizard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>

#include "rf-application.h"
#include "rf-locale.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(RfApplication) application = NULL;

  rf_locale_init ();
  /* A dead helper is an error to report, never a reason to die. */
  signal (SIGPIPE, SIG_IGN);

  application = rf_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
