/* rf-paths-private.h: the decision of rf_paths_user_new_invoking(), with the
 * process's facts passed in, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-paths.h"

G_BEGIN_DECLS

RfPathsUser *rf_paths_user_resolve (uid_t       real_uid,
                                    uid_t       effective_uid,
                                    const char *sudo_uid,
                                    const char *sudo_gid,
                                    const char *home,
                                    GError    **error);

G_END_DECLS
