/* rf-notifier.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     rf_notifier_send_async  (const char          *summary,
                                  const char          *body,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data);
gboolean rf_notifier_send_finish (GAsyncResult        *result,
                                  GError             **error);

G_END_DECLS
