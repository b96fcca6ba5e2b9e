/* rf-cli-twin.h: `reflash-cli practice make-twin|list|delete`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

int rf_cli_twin_make   (const char *drive,
                        const char *name,
                        double      practice_speed);
int rf_cli_twin_list   (void);
int rf_cli_twin_delete (const char *name);

G_END_DECLS
