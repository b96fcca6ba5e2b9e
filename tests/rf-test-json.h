/* rf-test-json.h: a strict reader of flat JSON objects, for the CLI's event
 * lines (GLib has no JSON parser, and Debian 12's json-glib is no dependency
 * of Reflash)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GHashTable *rf_test_json_parse_flat (const char  *text,
                                     GError     **error);
gboolean    rf_test_json_is_null    (GHashTable  *object,
                                     const char  *key);
const char *rf_test_json_get_string (GHashTable  *object,
                                     const char  *key);
double      rf_test_json_get_number (GHashTable  *object,
                                     const char  *key);
gboolean    rf_test_json_get_boolean (GHashTable *object,
                                      const char *key);

G_END_DECLS
