/* rf-inhibitor-private.h: a shorter wait, for tests of a bus that never answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-inhibitor.h"

G_BEGIN_DECLS

RfInhibitor *rf_inhibitor_acquire_within (const char    *why,
                                          guint          timeout_ms,
                                          GCancellable  *cancellable,
                                          GError       **error);

G_END_DECLS
