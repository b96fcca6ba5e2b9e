/* rf-sense.h: decoded SCSI sense data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sense keys used by name in Reflash. */
#define RF_SENSE_KEY_NO_SENSE         0x0
#define RF_SENSE_KEY_RECOVERED_ERROR  0x1
#define RF_SENSE_KEY_NOT_READY        0x2
#define RF_SENSE_KEY_MEDIUM_ERROR     0x3
#define RF_SENSE_KEY_HARDWARE_ERROR   0x4
#define RF_SENSE_KEY_ILLEGAL_REQUEST  0x5
#define RF_SENSE_KEY_UNIT_ATTENTION   0x6
#define RF_SENSE_KEY_ABORTED_COMMAND  0xB

/* Largest sense buffer Reflash asks for. */
#define RF_SENSE_MAX 32

/**
 * RfSense:
 * @valid: whether the buffer held decodable sense data
 * @key: sense key (0-15)
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 *
 * The three codes that decide what happened, decoded with sg_lib from fixed
 * (0x70/0x71, ATAPI's 0xF0) or descriptor (0x72/0x73) sense.
 */
typedef struct {
  gboolean valid;
  guint8 key;
  guint8 asc;
  guint8 ascq;
} RfSense;

gboolean  rf_sense_parse          (const guint8  *buffer,
                                   gsize          length,
                                   RfSense       *sense);
char     *rf_sense_describe       (const RfSense *sense);
gsize     rf_sense_build_fixed    (guint8        *buffer,
                                   gsize          length,
                                   guint8         key,
                                   guint8         asc,
                                   guint8         ascq);
gboolean  rf_sense_is             (const RfSense *sense,
                                   guint8         key,
                                   guint8         asc,
                                   guint8         ascq);

G_END_DECLS
