/* main.c: reflash-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-cli.h"

int
main (int    argc,
      char **argv)
{
  return rf_cli_run (argc, argv);
}
