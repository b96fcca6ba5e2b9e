/* rf-flash-job-private.h: the flash job's last check, for its tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-drive-identity.h"

G_BEGIN_DECLS

gboolean rf_flash_check_identity_after (const RfDriveIdentity  *before,
                                        const RfDriveIdentity  *after,
                                        const char             *revision,
                                        GError                **error);

G_END_DECLS
