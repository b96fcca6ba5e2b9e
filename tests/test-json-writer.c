/* test-json-writer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "rf-json-writer.h"

static void
test_document (void)
{
  g_autoptr(RfJsonWriter) writer = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (writer);
  rf_json_writer_member_string (writer, "product", "DVD_RW \"ND-3550A\"\n");
  rf_json_writer_member_int (writer, "size", 1966088);
  rf_json_writer_member_boolean (writer, "safe_mode", TRUE);
  rf_json_writer_member_string (writer, "serial", NULL);
  rf_json_writer_key (writer, "drives");
  rf_json_writer_begin_array (writer);
  rf_json_writer_string (writer, "a\\b");
  rf_json_writer_begin_object (writer);
  rf_json_writer_end_object (writer);
  rf_json_writer_end_array (writer);
  rf_json_writer_key (writer, "empty");
  rf_json_writer_begin_array (writer);
  rf_json_writer_end_array (writer);
  rf_json_writer_end_object (writer);
  text = rf_json_writer_finish (writer);

  g_assert_cmpstr (text, ==,
                   "{\n"
                   "  \"product\": \"DVD_RW \\\"ND-3550A\\\"\\n\",\n"
                   "  \"size\": 1966088,\n"
                   "  \"safe_mode\": true,\n"
                   "  \"serial\": null,\n"
                   "  \"drives\": [\n"
                   "    \"a\\\\b\",\n"
                   "    {}\n"
                   "  ],\n"
                   "  \"empty\": []\n"
                   "}\n");
}

static void
test_control_and_invalid_utf8 (void)
{
  g_autoptr(RfJsonWriter) writer = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_array (writer);
  rf_json_writer_string (writer, "\x01");
  rf_json_writer_string (writer, "\xff" "A");
  rf_json_writer_end_array (writer);
  text = rf_json_writer_finish (writer);
  g_assert_cmpstr (text, ==, "[\n  \"\\u0001\",\n  \"\xef\xbf\xbd" "A\"\n]\n");
}

/* A stream of events: each document on one line, numbers with a fraction
 * written the same in every locale, and never a NaN, which JSON lacks. */
static void
test_compact_line (void)
{
  g_autoptr(RfJsonWriter) writer = rf_json_writer_new_compact ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_object (writer);
  rf_json_writer_member_string (writer, "event", "progress");
  rf_json_writer_member_double (writer, "fraction", 0.25);
  rf_json_writer_member_double (writer, "whole", 1.0);
  rf_json_writer_member_double (writer, "unknown", NAN);
  rf_json_writer_key (writer, "list");
  rf_json_writer_begin_array (writer);
  rf_json_writer_int (writer, 1);
  rf_json_writer_double (writer, 1.0 / 3.0);
  rf_json_writer_double (writer, 6.9e-05);
  rf_json_writer_double (writer, 100.0);
  rf_json_writer_double (writer, -1e20);
  rf_json_writer_end_array (writer);
  rf_json_writer_key (writer, "empty");
  rf_json_writer_begin_object (writer);
  rf_json_writer_end_object (writer);
  rf_json_writer_end_object (writer);
  text = rf_json_writer_finish (writer);

  g_assert_cmpstr (text, ==,
                   "{\"event\": \"progress\", \"fraction\": 0.25, \"whole\": 1, "
                   "\"unknown\": null, \"list\": [1, 0.333333, 0.000069, 100, -100000000000000000000], \"empty\": {}}\n");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/reflash/json-writer/document", test_document);
  g_test_add_func ("/reflash/json-writer/control-and-invalid-utf8", test_control_and_invalid_utf8);
  g_test_add_func ("/reflash/json-writer/compact-line", test_compact_line);
  return g_test_run ();
}
