/* rf-test-util.h: small helpers every test suite needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void  rf_test_remove_tree (const char *path);
char *rf_test_write_file  (const char *dir,
                           const char *name,
                           GBytes     *bytes);

G_END_DECLS
