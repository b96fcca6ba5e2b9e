/* rf-test-json.h: a strict JSON reader for tests (json-glib is no dependency)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GVariant   *rf_test_json_parse      (const char *text,
                                     gsize       length,
                                     GError    **error);
GVariant   *rf_test_json_parse_file (const char *path);
GVariant   *rf_test_json_member     (GVariant   *object,
                                     const char *key);
char       *rf_test_json_dup_string (GVariant   *object,
                                     const char *key);
gboolean    rf_test_json_is_null    (GVariant   *value);

G_END_DECLS
