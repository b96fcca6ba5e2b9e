/* rf-helper-frame.h: the frames between Reflash and reflash-helper
 *
 * Protocol version 1. The helper runs as root and trusts nothing it reads:
 * every length is bounded before anything is allocated, and the decoder
 * refuses a frame that is short, long, or has bytes left over.
 *
 * A frame is a 32-bit little-endian payload length (1 to RF_HELPER_FRAME_MAX)
 * and the payload; the payload's first byte is its type. All numbers are
 * little-endian.
 *
 * Client to helper (stdin):
 *   STAGE   0x01  u8 stage, u8 phase, u8 n + n bytes family id (0: none, at
 *                 most 64), u8 k + k bytes bootcode key (0 or 4)
 *   COMMAND 0x02  u8 CDB length (6-16) + CDB, u8 direction (0 none, 1 in,
 *                 2 out), u32 timeout ms, u32 data length (at most
 *                 RF_HELPER_DATA_MAX), then the data for direction out only
 *
 * Helper to client (stdout):
 *   HELLO   0x81  u8 version, u8 verdict (0 ready, 1 busy, 2 refused), u32 the
 *                 largest transfer, u16 n + n bytes reason (a nick, for refused)
 *   REPLY   0x82  u8 answered (1: the drive answered with a status), u8 status,
 *                 u8 n + n bytes sense (at most 32), u32 residual, u64 duration
 *                 in µs, u32 RF_ERROR code and u16 n + n bytes message (when not
 *                 answered), u32 n + n bytes data (direction in only, at most the
 *                 length asked for)
 *   BYE     0x83  u16 n + n bytes reason nick: the helper ends the session (an
 *                 invalid frame or stage) and exits
 *
 * The first frame from the client is a STAGE; a COMMAND before it is invalid.
 * The helper accepts only a stage of the family the drive matched, moving
 * forward, and sets each command's timeout itself (rf-helper-server.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rf-allow-list.h"
#include "rf-command.h"

G_BEGIN_DECLS

#define RF_HELPER_PROTOCOL_VERSION 1

/* The largest transfer a family needs: a whole 1 MiB image or dump in one
 * command (spc-generic's dump, an SPC "single" download). */
#define RF_HELPER_DATA_MAX      (1024 * 1024)
#define RF_HELPER_MESSAGE_MAX   1024
#define RF_HELPER_FAMILY_ID_MAX 64
#define RF_HELPER_FRAME_MAX     (RF_HELPER_DATA_MAX + 2048)

typedef enum {
  RF_HELPER_FRAME_STAGE   = 0x01,
  RF_HELPER_FRAME_COMMAND = 0x02,
  RF_HELPER_FRAME_HELLO   = 0x81,
  RF_HELPER_FRAME_REPLY   = 0x82,
  RF_HELPER_FRAME_BYE     = 0x83,
} RfHelperFrameType;

typedef enum {
  RF_HELPER_HELLO_READY,
  RF_HELPER_HELLO_BUSY,
  RF_HELPER_HELLO_REFUSED,
} RfHelperVerdict;

typedef struct {
  RfGateStage stage;
  RfPhase phase;
  char family_id[RF_HELPER_FAMILY_ID_MAX + 1]; /* "" for none */
  char key[5];                                 /* "" for none */
} RfHelperStage;

typedef struct {
  guint version;
  RfHelperVerdict verdict;
  guint32 max_transfer;
  char *reason; /* owned; "" unless refused */
} RfHelperHello;

typedef enum {
  RF_HELPER_READ_FRAME,
  RF_HELPER_READ_END,      /* the other side closed between frames */
  RF_HELPER_READ_TOO_LONG, /* a length of 0 or over RF_HELPER_FRAME_MAX */
  RF_HELPER_READ_ERROR,    /* cut short, or the pipe failed */
} RfHelperReadResult;

RfHelperReadResult rf_helper_frame_read  (int          fd,
                                          GBytes     **payload,
                                          GError     **error);
gboolean rf_helper_frame_write           (int          fd,
                                          GByteArray  *payload,
                                          GError     **error);

GByteArray *rf_helper_frame_encode_stage   (const RfAllowList *list);
gboolean    rf_helper_frame_decode_stage   (GBytes            *payload,
                                            RfHelperStage     *stage,
                                            GError           **error);

GByteArray *rf_helper_frame_encode_command (const RfCommand   *command);
gboolean    rf_helper_frame_decode_command (GBytes            *payload,
                                            RfCommand         *command,
                                            guint8           **data,
                                            GError           **error);

GByteArray *rf_helper_frame_encode_reply   (const RfCommand   *command,
                                            gboolean           answered,
                                            const GError      *failure);
gboolean    rf_helper_frame_decode_reply   (GBytes            *payload,
                                            RfCommand         *command,
                                            gboolean          *answered,
                                            GError           **failure,
                                            GError           **error);

GByteArray *rf_helper_frame_encode_hello   (RfHelperVerdict    verdict,
                                            guint32            max_transfer,
                                            const char        *reason);
gboolean    rf_helper_frame_decode_hello   (GBytes            *payload,
                                            RfHelperHello     *hello,
                                            GError           **error);

GByteArray *rf_helper_frame_encode_bye     (const char        *reason);
char       *rf_helper_frame_decode_bye     (GBytes            *payload);

RfHelperFrameType rf_helper_frame_get_type (GBytes            *payload);

gboolean    rf_helper_node_is_canonical    (const char        *node);

void        rf_helper_hello_clear          (RfHelperHello     *hello);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RfHelperHello, rf_helper_hello_clear)

G_END_DECLS
