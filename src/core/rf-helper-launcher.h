/* rf-helper-launcher.h: starts the privileged helper for one drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "rf-clock.h"

G_BEGIN_DECLS

#define RF_TYPE_HELPER_LAUNCHER (rf_helper_launcher_get_type ())

G_DECLARE_FINAL_TYPE (RfHelperLauncher, rf_helper_launcher, RF, HELPER_LAUNCHER, GObject)

/* Names a launcher that runs another command than pkexec and the installed
 * helper: tests, and an uninstalled build (README). Read by the client only;
 * the helper reads no environment. */
#define RF_HELPER_COMMAND_ENV "REFLASH_HELPER_COMMAND"

RfHelperLauncher *rf_helper_launcher_new             (const char * const *argv_prefix);
RfHelperLauncher *rf_helper_launcher_get_default     (void);
GSubprocess      *rf_helper_launcher_spawn           (RfHelperLauncher   *self,
                                                      const char         *node,
                                                      GError            **error);
guint             rf_helper_launcher_get_n_launched  (RfHelperLauncher   *self);
const char       *rf_helper_launcher_get_program     (RfHelperLauncher   *self);
void              rf_helper_launcher_set_clock       (RfHelperLauncher   *self,
                                                      RfClock            *clock);
RfClock          *rf_helper_launcher_get_clock       (RfHelperLauncher   *self);

G_END_DECLS
