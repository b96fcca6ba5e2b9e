/* rf-sim-twin.h: a practice drive made from a real drive's deep check
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rf-drive-db.h"
#include "rf-drive-identity.h"

G_BEGIN_DECLS

char     *rf_sim_twin_make   (const RfDriveIdentity *identity,
                              const RfDriveFamily   *family,
                              GBytes                *backup,
                              const char            *twin_of,
                              const char            *name,
                              GError               **error);
gboolean  rf_sim_twin_delete (const char            *id,
                              GError               **error);

G_END_DECLS
