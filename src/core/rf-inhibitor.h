/* rf-inhibitor.h: logind holds off suspend, shutdown and the lid while a flash runs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What a flash keeps from happening, in logind's words. */
#define RF_INHIBITOR_WHAT "sleep:shutdown:handle-lid-switch"

#define RF_TYPE_INHIBITOR (rf_inhibitor_get_type ())

G_DECLARE_FINAL_TYPE (RfInhibitor, rf_inhibitor, RF, INHIBITOR, GObject)

RfInhibitor *rf_inhibitor_acquire (const char    *why,
                                   GCancellable  *cancellable,
                                   GError       **error);
void         rf_inhibitor_release (RfInhibitor   *self);
gboolean     rf_inhibitor_is_held (RfInhibitor   *self);

G_END_DECLS
