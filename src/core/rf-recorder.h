/* rf-recorder.h: a transport that keeps a transcript of what passes through it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-transport.h"

G_BEGIN_DECLS

#define RF_TYPE_RECORDER (rf_recorder_get_type ())

G_DECLARE_FINAL_TYPE (RfRecorder, rf_recorder, RF, RECORDER, RfTransport)

/* Hex characters of SHA-256 kept to recognise data in a transcript. */
#define RF_RECORD_DIGEST_LENGTH 16

/**
 * RfRecordEntry:
 * @cdb: the command bytes
 * @cdb_length: how many of @cdb are valid
 * @direction: which way data moved
 * @data_length: bytes requested (in) or offered (out)
 * @residual: bytes not transferred
 * @data_digest: the first %RF_RECORD_DIGEST_LENGTH hex characters of the SHA-256
 *   of the bytes that moved ("" when none did); the data itself is never kept
 * @answered: whether the drive returned a status
 * @status: the SCSI status, when @answered
 * @sense: raw sense bytes
 * @sense_length: how many of @sense are valid
 * @duration_us: how long the command took
 * @error_code: the #RfError when not @answered
 * @error_message: (nullable): the error's developer text when not @answered
 *
 * One command as the recorder saw it.
 */
typedef struct {
  guint8 cdb[RF_CDB_MAX];
  gsize cdb_length;
  RfDirection direction;
  gsize data_length;
  gsize residual;
  char data_digest[RF_RECORD_DIGEST_LENGTH + 1];
  gboolean answered;
  guint8 status;
  guint8 sense[RF_SENSE_MAX];
  gsize sense_length;
  guint64 duration_us;
  int error_code;
  char *error_message;
} RfRecordEntry;

RfRecorder          *rf_recorder_new             (RfTransport  *inner);
RfTransport         *rf_recorder_get_inner       (RfRecorder   *self);
guint                rf_recorder_get_n_entries   (RfRecorder   *self);
const RfRecordEntry *rf_recorder_get_entry       (RfRecorder   *self,
                                                  guint         index);
gboolean             rf_recorder_sent_opcode     (RfRecorder   *self,
                                                  guint8        opcode);
gboolean             rf_recorder_sent_cdb_prefix (RfRecorder   *self,
                                                  const guint8 *prefix,
                                                  gsize         length);
guint                rf_recorder_count_opcode    (RfRecorder   *self,
                                                  guint8        opcode);
void                 rf_recorder_clear           (RfRecorder   *self);
char                *rf_recorder_format          (RfRecorder   *self);

G_END_DECLS
