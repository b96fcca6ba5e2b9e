/* rf-helper-frame.c: encoding and bounded decoding of the helper's frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-helper-frame.h"

/* Reading: every get checks what is left, and a short read poisons the rest. */

typedef struct {
  const guint8 *at;
  gsize left;
  gboolean short_read;
} Reader;

static void
reader_init (Reader *reader,
             GBytes *payload)
{
  gsize size;

  reader->at = g_bytes_get_data (payload, &size);
  reader->left = size;
  reader->short_read = FALSE;
}

static const guint8 *
take (Reader *reader,
      gsize   n)
{
  const guint8 *start = reader->at;

  if (reader->short_read || n > reader->left)
    {
      reader->short_read = TRUE;
      return NULL;
    }
  reader->at += n;
  reader->left -= n;
  return start;
}

static guint64
take_number (Reader *reader,
             gsize   n)
{
  const guint8 *bytes = take (reader, n);
  guint64 value = 0;

  for (gsize i = 0; bytes != NULL && i < n; i++)
    value |= (guint64) bytes[i] << (8 * i);
  return value;
}

#define take_u8(r)  ((guint8) take_number ((r), 1))
#define take_u16(r) ((guint16) take_number ((r), 2))
#define take_u32(r) ((guint32) take_number ((r), 4))
#define take_u64(r) (take_number ((r), 8))

/* A string of @n bytes, at most @max, without NUL bytes. */
static char *
take_string (Reader *reader,
             gsize   n,
             gsize   max)
{
  const guint8 *bytes;

  if (n > max)
    {
      reader->short_read = TRUE;
      return NULL;
    }
  bytes = take (reader, n);
  if (bytes == NULL || memchr (bytes, '\0', n) != NULL)
    {
      reader->short_read = TRUE;
      return NULL;
    }
  return g_strndup ((const char *) bytes, n);
}

static gboolean
reader_finish (Reader     *reader,
               const char *what,
               GError    **error)
{
  if (!reader->short_read && reader->left == 0)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "invalid %s frame", what);
  return FALSE;
}

/* Writing */

static void
put_number (GByteArray *out,
            guint64     value,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    {
      guint8 byte = (guint8) (value >> (8 * i));
      g_byte_array_append (out, &byte, 1);
    }
}

static void
put_string (GByteArray *out,
            const char *text,
            gsize       length_bytes,
            gsize       max)
{
  gsize n = MIN (text != NULL ? strlen (text) : 0, max);

  put_number (out, n, length_bytes);
  if (n > 0)
    g_byte_array_append (out, (const guint8 *) text, n);
}

static GByteArray *
frame_new (RfHelperFrameType type)
{
  GByteArray *out = g_byte_array_new ();
  guint8 byte = type;

  g_byte_array_append (out, &byte, 1);
  return out;
}

/* I/O on pipes: whole frames, retried on EINTR. */

static gboolean
read_all (int      fd,
          guint8  *buffer,
          gsize    size,
          gsize   *got)
{
  *got = 0;
  while (*got < size)
    {
      gssize n = read (fd, buffer + *got, size - *got);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      *got += (gsize) n;
    }
  return TRUE;
}

/**
 * rf_helper_frame_read:
 * @payload: (out): the frame's payload
 *
 * Reads one whole frame. A length of zero or over #RF_HELPER_FRAME_MAX is
 * refused before anything is allocated.
 */
RfHelperReadResult
rf_helper_frame_read (int      fd,
                      GBytes **payload,
                      GError **error)
{
  guint8 header[4];
  g_autofree guint8 *buffer = NULL;
  gsize length;
  gsize got;

  if (!read_all (fd, header, sizeof header, &got))
    {
      if (got == 0)
        return RF_HELPER_READ_END;
      g_set_error_literal (error, RF_ERROR, RF_ERROR_READ, "the frame's length was cut short");
      return RF_HELPER_READ_ERROR;
    }
  length = (gsize) header[0] | (gsize) header[1] << 8 | (gsize) header[2] << 16 |
           (gsize) header[3] << 24;
  if (length == 0 || length > RF_HELPER_FRAME_MAX)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "a frame of %" G_GSIZE_FORMAT " bytes (1 to %d allowed)", length,
                   RF_HELPER_FRAME_MAX);
      return RF_HELPER_READ_TOO_LONG;
    }
  buffer = g_malloc (length);
  if (!read_all (fd, buffer, length, &got))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_READ,
                   "a frame of %" G_GSIZE_FORMAT " bytes ended after %" G_GSIZE_FORMAT, length,
                   got);
      return RF_HELPER_READ_ERROR;
    }
  *payload = g_bytes_new_take (g_steal_pointer (&buffer), length);
  return RF_HELPER_READ_FRAME;
}

/**
 * rf_helper_frame_write:
 * @payload: (transfer full): the payload; freed
 */
gboolean
rf_helper_frame_write (int         fd,
                       GByteArray *payload,
                       GError    **error)
{
  g_autoptr(GByteArray) frame = g_byte_array_sized_new (payload->len + 4);
  gsize done = 0;

  put_number (frame, payload->len, 4);
  g_byte_array_append (frame, payload->data, payload->len);
  g_byte_array_unref (payload);
  while (done < frame->len)
    {
      gssize n = write (fd, frame->data + done, frame->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, RF_ERROR, RF_ERROR_WRITE, "the helper's pipe: %s",
                       g_strerror (saved_errno));
          return FALSE;
        }
      done += (gsize) n;
    }
  return TRUE;
}

RfHelperFrameType
rf_helper_frame_get_type (GBytes *payload)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (payload, &size);

  return size > 0 ? data[0] : 0;
}

/* Opens a payload of @type for reading past its type byte. */
static gboolean
reader_open (Reader            *reader,
             GBytes            *payload,
             RfHelperFrameType  type,
             const char        *what,
             GError           **error)
{
  reader_init (reader, payload);
  if (take_u8 (reader) == type && !reader->short_read)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA, "not a %s frame", what);
  return FALSE;
}

/* STAGE */

GByteArray *
rf_helper_frame_encode_stage (const RfAllowList *list)
{
  GByteArray *out = frame_new (RF_HELPER_FRAME_STAGE);

  put_number (out, list->stage, 1);
  put_number (out, list->phase, 1);
  put_string (out, list->family != NULL ? list->family->id : NULL, 1, RF_HELPER_FAMILY_ID_MAX);
  put_string (out, list->key, 1, 4);
  return out;
}

static gboolean
is_printable (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

/**
 * rf_helper_frame_decode_stage:
 *
 * Checks the form only (numbers in range, printable names, a key of four
 * characters); whether the family exists is the helper's drive data's to say.
 */
gboolean
rf_helper_frame_decode_stage (GBytes        *payload,
                              RfHelperStage *stage,
                              GError       **error)
{
  g_autofree char *family_id = NULL;
  g_autofree char *key = NULL;
  Reader reader;
  guint raw_stage;
  guint raw_phase;

  if (!reader_open (&reader, payload, RF_HELPER_FRAME_STAGE, "stage", error))
    return FALSE;
  raw_stage = take_u8 (&reader);
  raw_phase = take_u8 (&reader);
  family_id = take_string (&reader, take_u8 (&reader), RF_HELPER_FAMILY_ID_MAX);
  key = take_string (&reader, take_u8 (&reader), 4);
  if (!reader_finish (&reader, "stage", error))
    return FALSE;
  if (raw_stage > RF_GATE_STAGE_AFTER_FAILURE || raw_phase >= RF_PHASE_LAST ||
      !is_printable (family_id) || (key[0] != '\0' && strlen (key) != 4) ||
      !is_printable (key))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "stage frame out of range (stage %u, phase %u)", raw_stage, raw_phase);
      return FALSE;
    }
  stage->stage = raw_stage;
  stage->phase = raw_phase;
  g_strlcpy (stage->family_id, family_id, sizeof stage->family_id);
  g_strlcpy (stage->key, key, sizeof stage->key);
  return TRUE;
}

/* COMMAND */

GByteArray *
rf_helper_frame_encode_command (const RfCommand *command)
{
  GByteArray *out = frame_new (RF_HELPER_FRAME_COMMAND);

  put_number (out, command->cdb_length, 1);
  g_byte_array_append (out, command->cdb, command->cdb_length);
  put_number (out, command->direction, 1);
  put_number (out, command->timeout_ms, 4);
  put_number (out, command->data_length, 4);
  if (command->direction == RF_DIRECTION_OUT)
    g_byte_array_append (out, command->data, command->data_length);
  return out;
}

/**
 * rf_helper_frame_decode_command:
 * @command: (out caller-allocates): the command, ready to execute
 * @data: (out) (transfer full): its data buffer, owned by the caller
 */
gboolean
rf_helper_frame_decode_command (GBytes     *payload,
                                RfCommand  *command,
                                guint8    **data,
                                GError    **error)
{
  g_autofree guint8 *buffer = NULL;
  const guint8 *cdb;
  const guint8 *out_data = NULL;
  Reader reader;
  gsize cdb_length;
  guint direction;
  guint timeout_ms;
  gsize data_length;

  if (!reader_open (&reader, payload, RF_HELPER_FRAME_COMMAND, "command", error))
    return FALSE;
  cdb_length = take_u8 (&reader);
  if (cdb_length < 6 || cdb_length > RF_CDB_MAX)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "a CDB of %" G_GSIZE_FORMAT " bytes (6 to 16 allowed)", cdb_length);
      return FALSE;
    }
  cdb = take (&reader, cdb_length);
  direction = take_u8 (&reader);
  timeout_ms = take_u32 (&reader);
  data_length = take_u32 (&reader);
  if (direction > RF_DIRECTION_OUT || data_length > RF_HELPER_DATA_MAX ||
      (direction == RF_DIRECTION_NONE && data_length != 0))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_DATA,
                   "command frame out of range (direction %u, %" G_GSIZE_FORMAT " bytes)",
                   direction, data_length);
      return FALSE;
    }
  if (direction == RF_DIRECTION_OUT)
    out_data = take (&reader, data_length);
  if (!reader_finish (&reader, "command", error))
    return FALSE;
  if (data_length > 0)
    {
      buffer = out_data != NULL ? g_memdup2 (out_data, data_length) : g_malloc0 (data_length);
    }
  if (!rf_command_init (command, cdb, cdb_length, direction, buffer, data_length, timeout_ms))
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INVALID_DATA, "an ill-formed command");
      return FALSE;
    }
  *data = g_steal_pointer (&buffer);
  return TRUE;
}

/* REPLY */

GByteArray *
rf_helper_frame_encode_reply (const RfCommand *command,
                              gboolean         answered,
                              const GError    *failure)
{
  GByteArray *out = frame_new (RF_HELPER_FRAME_REPLY);
  gsize sense_length = answered ? MIN (command->sense_length, RF_SENSE_MAX) : 0;
  gsize data_length = 0;

  put_number (out, answered ? 1 : 0, 1);
  put_number (out, answered ? command->status : 0, 1);
  put_number (out, sense_length, 1);
  g_byte_array_append (out, command->sense, sense_length);
  put_number (out, command->residual, 4);
  put_number (out, command->duration_us, 8);
  put_number (out, answered || failure == NULL ? 0 : rf_error_get_code (failure), 4);
  put_string (out, answered || failure == NULL ? NULL : failure->message, 2,
              RF_HELPER_MESSAGE_MAX);
  if (answered && command->direction == RF_DIRECTION_IN)
    data_length = command->data_length - MIN (command->residual, command->data_length);
  put_number (out, data_length, 4);
  g_byte_array_append (out, command->data, data_length);
  return out;
}

/**
 * rf_helper_frame_decode_reply:
 * @command: the command the reply is for; its results are filled in
 * @answered: (out): whether the drive answered with a status
 * @failure: (out): when not answered, the helper's error
 */
gboolean
rf_helper_frame_decode_reply (GBytes     *payload,
                              RfCommand  *command,
                              gboolean   *answered,
                              GError    **failure,
                              GError    **error)
{
  g_autofree char *message = NULL;
  const guint8 *sense;
  const guint8 *data;
  Reader reader;
  guint was_answered;
  guint status;
  gsize sense_length;
  gsize residual;
  guint64 duration_us;
  guint code;
  gsize data_length;

  if (!reader_open (&reader, payload, RF_HELPER_FRAME_REPLY, "reply", error))
    return FALSE;
  was_answered = take_u8 (&reader);
  status = take_u8 (&reader);
  sense_length = take_u8 (&reader);
  sense = sense_length <= RF_SENSE_MAX ? take (&reader, sense_length) : NULL;
  residual = take_u32 (&reader);
  duration_us = take_u64 (&reader);
  code = take_u32 (&reader);
  message = take_string (&reader, take_u16 (&reader), RF_HELPER_MESSAGE_MAX);
  data_length = take_u32 (&reader);
  data = data_length <= command->data_length ? take (&reader, data_length) : NULL;
  if (!reader_finish (&reader, "reply", error))
    return FALSE;
  /* A length beyond what the command asked for leaves @data NULL: refused
   * here, never copied. */
  if (was_answered > 1 || (sense == NULL && sense_length > 0) ||
      (data == NULL && data_length > 0) || residual > command->data_length ||
      (data_length > 0 && command->direction != RF_DIRECTION_IN) || code >= RF_ERROR_LAST)
    {
      g_set_error_literal (error, RF_ERROR, RF_ERROR_INVALID_DATA, "reply frame out of range");
      return FALSE;
    }
  *answered = was_answered == 1;
  command->status = status;
  if (sense_length > 0)
    memcpy (command->sense, sense, sense_length);
  command->sense_length = sense_length;
  command->residual = residual;
  command->duration_us = duration_us;
  if (data_length > 0)
    memcpy (command->data, data, data_length);
  if (!*answered)
    g_set_error_literal (failure, RF_ERROR, code, message);
  return TRUE;
}

/* HELLO */

GByteArray *
rf_helper_frame_encode_hello (RfHelperVerdict verdict,
                              guint32         max_transfer,
                              const char     *reason)
{
  GByteArray *out = frame_new (RF_HELPER_FRAME_HELLO);

  put_number (out, RF_HELPER_PROTOCOL_VERSION, 1);
  put_number (out, verdict, 1);
  put_number (out, max_transfer, 4);
  put_string (out, reason, 2, RF_HELPER_MESSAGE_MAX);
  return out;
}

gboolean
rf_helper_frame_decode_hello (GBytes        *payload,
                              RfHelperHello *hello,
                              GError       **error)
{
  g_autofree char *reason = NULL;
  Reader reader;
  guint version;
  guint verdict;
  guint32 max_transfer;

  if (!reader_open (&reader, payload, RF_HELPER_FRAME_HELLO, "hello", error))
    return FALSE;
  version = take_u8 (&reader);
  verdict = take_u8 (&reader);
  max_transfer = take_u32 (&reader);
  reason = take_string (&reader, take_u16 (&reader), RF_HELPER_MESSAGE_MAX);
  if (!reader_finish (&reader, "hello", error))
    return FALSE;
  if (version != RF_HELPER_PROTOCOL_VERSION || verdict > RF_HELPER_HELLO_REFUSED)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "the helper speaks protocol version %u, Reflash version %d", version,
                   RF_HELPER_PROTOCOL_VERSION);
      return FALSE;
    }
  hello->version = version;
  hello->verdict = verdict;
  hello->max_transfer = max_transfer;
  hello->reason = g_steal_pointer (&reason);
  return TRUE;
}

void
rf_helper_hello_clear (RfHelperHello *hello)
{
  g_clear_pointer (&hello->reason, g_free);
}

/* BYE */

GByteArray *
rf_helper_frame_encode_bye (const char *reason)
{
  GByteArray *out = frame_new (RF_HELPER_FRAME_BYE);

  put_string (out, reason, 2, RF_HELPER_MESSAGE_MAX);
  return out;
}

/**
 * rf_helper_frame_decode_bye:
 *
 * Returns: (transfer full) (nullable): the reason the helper gave, or %NULL
 *   for a frame that is not a valid BYE
 */
char *
rf_helper_frame_decode_bye (GBytes *payload)
{
  g_autofree char *reason = NULL;
  Reader reader;

  if (!reader_open (&reader, payload, RF_HELPER_FRAME_BYE, "bye", NULL))
    return NULL;
  reason = take_string (&reader, take_u16 (&reader), RF_HELPER_MESSAGE_MAX);
  if (!reader_finish (&reader, "bye", NULL))
    return NULL;
  return g_steal_pointer (&reason);
}

/**
 * rf_helper_node_is_canonical:
 *
 * The only names the helper accepts: `/dev/sgN` or `/dev/srN`, N a number
 * without leading zeros. The client resolves links before; nothing else, no
 * `..`, no other folder, reaches a root process.
 */
gboolean
rf_helper_node_is_canonical (const char *node)
{
  const char *digits;

  if (node == NULL || (!g_str_has_prefix (node, "/dev/sg") && !g_str_has_prefix (node, "/dev/sr")))
    return FALSE;
  digits = node + strlen ("/dev/sg");
  if (digits[0] == '\0' || (digits[0] == '0' && digits[1] != '\0') || strlen (digits) > 6)
    return FALSE;
  for (const char *p = digits; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}
