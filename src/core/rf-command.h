/* rf-command.h: one SCSI command and its outcome
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-sense.h"

G_BEGIN_DECLS

typedef enum {
  RF_DIRECTION_NONE,
  RF_DIRECTION_IN,  /* drive to host */
  RF_DIRECTION_OUT, /* host to drive */
} RfDirection;

/* SCSI status bytes Reflash tells apart. */
#define RF_STATUS_GOOD            0x00
#define RF_STATUS_CHECK_CONDITION 0x02
#define RF_STATUS_BUSY            0x08

#define RF_CDB_MAX 16

/**
 * RfCommand:
 * @cdb: the command descriptor block
 * @cdb_length: 6, 10, 12 or 16
 * @direction: which way @data moves
 * @data: (nullable): the caller's buffer; filled for %RF_DIRECTION_IN
 * @data_length: size of @data
 * @timeout_ms: how long the transport waits for the drive
 * @status: (out): SCSI status byte the drive returned
 * @sense: (out): raw sense bytes when @status is CHECK CONDITION
 * @sense_length: (out): how many of @sense are valid
 * @residual: (out): bytes requested but not transferred
 * @duration_us: (out): how long the command took
 *
 * A plain struct: built on the stack, handed to rf_transport_execute(), read back.
 * The buffer stays owned by the caller.
 */
typedef struct {
  guint8 cdb[RF_CDB_MAX];
  gsize cdb_length;
  RfDirection direction;
  guint8 *data;
  gsize data_length;
  guint timeout_ms;

  guint8 status;
  guint8 sense[RF_SENSE_MAX];
  gsize sense_length;
  gsize residual;
  guint64 duration_us;
} RfCommand;

gboolean     rf_command_init           (RfCommand       *command,
                                        const guint8    *cdb,
                                        gsize            cdb_length,
                                        RfDirection      direction,
                                        guint8          *data,
                                        gsize            data_length,
                                        guint            timeout_ms) G_GNUC_WARN_UNUSED_RESULT;
gboolean     rf_command_is_well_formed (const RfCommand *command);
void         rf_command_reset_result   (RfCommand       *command);
gboolean     rf_command_get_sense      (const RfCommand *command,
                                        RfSense         *sense);
gboolean     rf_command_is_good        (const RfCommand *command);
gboolean     rf_command_check          (const RfCommand *command,
                                        GError         **error);
char        *rf_command_describe_cdb   (const RfCommand *command);
const char  *rf_command_opcode_name    (guint8           opcode);
void         rf_command_set_check_condition (RfCommand *command,
                                             guint8     key,
                                             guint8     asc,
                                             guint8     ascq);

G_END_DECLS
