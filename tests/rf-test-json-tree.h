/* rf-test-json-tree.h: a strict reader of whole JSON documents, nested ones
 * included, into GVariant trees, for tests (GLib has no JSON parser, and
 * json-glib is no dependency of Reflash)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant *rf_test_json_tree_parse      (const char *text,
                                        gsize       length,
                                        GError    **error);
GVariant *rf_test_json_tree_parse_file (const char *path);
GVariant *rf_test_json_tree_member     (GVariant   *object,
                                        const char *key);
char     *rf_test_json_tree_dup_string (GVariant   *object,
                                        const char *key);
gboolean  rf_test_json_tree_is_null    (GVariant   *value);

G_END_DECLS
