/* rf-must-finish.h: stretches of work that must not be interrupted, because a
 * drive has to be brought back first (a deep check between SAFE MODE enter and
 * the drive's return; later a flash past the point of no return)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RfMustFinishFunc:
 * @active: whether some work must finish now
 *
 * Called on the thread that began or ended the work: marshal to a main loop
 * before touching anything that lives there.
 */
typedef void (*RfMustFinishFunc) (gboolean active,
                                  gpointer user_data);

void     rf_must_finish_begin          (const char       *what);
void     rf_must_finish_end            (void);
gboolean rf_must_finish_is_active      (void);
char    *rf_must_finish_dup_reason     (void);
void     rf_must_finish_set_watch      (RfMustFinishFunc  func,
                                        gpointer          user_data);
void     rf_must_finish_defer_signals  (void);

G_END_DECLS
