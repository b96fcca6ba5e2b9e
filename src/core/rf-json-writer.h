/* rf-json-writer.h: a small JSON writer for the CLI's stable output
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define RF_TYPE_JSON_WRITER (rf_json_writer_get_type ())

G_DECLARE_FINAL_TYPE (RfJsonWriter, rf_json_writer, RF, JSON_WRITER, GObject)

RfJsonWriter *rf_json_writer_new          (void);
RfJsonWriter *rf_json_writer_new_compact  (void);
void          rf_json_writer_begin_object (RfJsonWriter *self);
void          rf_json_writer_end_object   (RfJsonWriter *self);
void          rf_json_writer_begin_array  (RfJsonWriter *self);
void          rf_json_writer_end_array    (RfJsonWriter *self);
void          rf_json_writer_key          (RfJsonWriter *self,
                                           const char   *key);
void          rf_json_writer_string       (RfJsonWriter *self,
                                           const char   *value);
void          rf_json_writer_int          (RfJsonWriter *self,
                                           gint64        value);
void          rf_json_writer_double       (RfJsonWriter *self,
                                           double        value);
void          rf_json_writer_boolean      (RfJsonWriter *self,
                                           gboolean      value);
void          rf_json_writer_null         (RfJsonWriter *self);
void          rf_json_writer_member_string (RfJsonWriter *self,
                                            const char   *key,
                                            const char   *value);
void          rf_json_writer_member_int   (RfJsonWriter *self,
                                           const char   *key,
                                           gint64        value);
void          rf_json_writer_member_double (RfJsonWriter *self,
                                            const char   *key,
                                            double        value);
void          rf_json_writer_member_boolean (RfJsonWriter *self,
                                             const char   *key,
                                             gboolean      value);
char         *rf_json_writer_finish       (RfJsonWriter *self);

G_END_DECLS
