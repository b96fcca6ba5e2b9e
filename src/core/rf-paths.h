/* rf-paths.h: where Reflash finds its data and keeps its state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *rf_paths_get_data_dir    (void);
char       *rf_paths_get_data_subdir (const char *name);
char       *rf_paths_get_state_dir   (const char *name);
char       *rf_paths_get_user_data_dir (const char *name);

G_END_DECLS
