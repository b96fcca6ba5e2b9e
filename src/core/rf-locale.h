/* rf-locale.h: the language of the wizard and the CLI
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RF_LOCALEDIR_ENV "REFLASH_LOCALEDIR"

const char *rf_locale_get_dir (void);
void        rf_locale_init    (void);

G_END_DECLS
