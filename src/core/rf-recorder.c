/* rf-recorder.c: decorator transport with a transcript
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-error.h"
#include "rf-recorder.h"

struct _RfRecorder
{
  RfTransport parent_instance;

  RfTransport *inner;
  GMutex lock;
  GPtrArray *entries; /* RfRecordEntry */
};

G_DEFINE_FINAL_TYPE (RfRecorder, rf_recorder, RF_TYPE_TRANSPORT)

static void
record_entry_free (gpointer data)
{
  RfRecordEntry *entry = data;

  g_free (entry->error_message);
  g_free (entry);
}

static void
summarise_data (RfRecordEntry   *entry,
                const RfCommand *command,
                gboolean         answered)
{
  gsize moved;
  g_autofree char *digest = NULL;

  entry->data_digest[0] = '\0';
  if (command->direction == RF_DIRECTION_NONE || command->data == NULL)
    return;
  /* Data in only counts when the drive answered; data out was offered either way. */
  if (command->direction == RF_DIRECTION_IN && !answered)
    return;
  moved = command->direction == RF_DIRECTION_IN
          ? command->data_length - MIN (command->residual, command->data_length)
          : command->data_length;
  digest = g_compute_checksum_for_data (G_CHECKSUM_SHA256, command->data, moved);
  g_strlcpy (entry->data_digest, digest, sizeof entry->data_digest);
}

static gboolean
rf_recorder_execute (RfTransport  *transport,
                     RfCommand    *command,
                     GCancellable *cancellable,
                     GError      **error)
{
  RfRecorder *self = RF_RECORDER (transport);
  RfRecordEntry *entry = g_new0 (RfRecordEntry, 1);
  g_autoptr(GError) local_error = NULL;
  gboolean answered;

  answered = rf_transport_execute (self->inner, command, cancellable, &local_error);

  memcpy (entry->cdb, command->cdb, sizeof entry->cdb);
  entry->cdb_length = command->cdb_length;
  entry->direction = command->direction;
  entry->data_length = command->data_length;
  entry->residual = command->residual;
  entry->answered = answered;
  entry->status = command->status;
  memcpy (entry->sense, command->sense, sizeof entry->sense);
  entry->sense_length = command->sense_length;
  entry->duration_us = command->duration_us;
  if (!answered)
    {
      entry->error_code = local_error->domain == RF_ERROR ? local_error->code : RF_ERROR_INTERNAL;
      entry->error_message = g_strdup (local_error->message);
    }
  summarise_data (entry, command, answered);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->entries, entry);
  g_mutex_unlock (&self->lock);

  if (!answered)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return answered;
}

static gsize
rf_recorder_get_max_transfer (RfTransport *transport)
{
  return rf_transport_get_max_transfer (RF_RECORDER (transport)->inner);
}

/* The recorder only watches: waits pass on the drive's own clock. */
static RfClock *
rf_recorder_get_clock (RfTransport *transport)
{
  return rf_transport_get_clock (RF_RECORDER (transport)->inner);
}

static void
rf_recorder_dispose (GObject *object)
{
  RfRecorder *self = RF_RECORDER (object);

  g_clear_object (&self->inner);
  G_OBJECT_CLASS (rf_recorder_parent_class)->dispose (object);
}

static void
rf_recorder_finalize (GObject *object)
{
  RfRecorder *self = RF_RECORDER (object);

  g_ptr_array_unref (self->entries);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_recorder_parent_class)->finalize (object);
}

static void
rf_recorder_stage_changed (RfTransport       *transport,
                           const RfAllowList *list)
{
  rf_transport_stage_changed (RF_RECORDER (transport)->inner, list);
}

static void
rf_recorder_class_init (RfRecorderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  object_class->dispose = rf_recorder_dispose;
  object_class->finalize = rf_recorder_finalize;
  transport_class->execute = rf_recorder_execute;
  transport_class->get_max_transfer = rf_recorder_get_max_transfer;
  transport_class->get_clock = rf_recorder_get_clock;
  transport_class->stage_changed = rf_recorder_stage_changed;
}

static void
rf_recorder_init (RfRecorder *self)
{
  g_mutex_init (&self->lock);
  self->entries = g_ptr_array_new_with_free_func (record_entry_free);
}

/**
 * rf_recorder_new:
 * @inner: the transport that really talks to the drive
 *
 * Returns: (transfer full): a transport that forwards every command to @inner
 *   and records it
 */
RfRecorder *
rf_recorder_new (RfTransport *inner)
{
  RfRecorder *self;

  g_return_val_if_fail (RF_IS_TRANSPORT (inner), NULL);

  self = g_object_new (RF_TYPE_RECORDER, "name", rf_transport_get_name (inner), NULL);
  self->inner = g_object_ref (inner);
  return self;
}

RfTransport *
rf_recorder_get_inner (RfRecorder *self)
{
  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);
  return self->inner;
}

guint
rf_recorder_get_n_entries (RfRecorder *self)
{
  guint n;

  g_return_val_if_fail (RF_IS_RECORDER (self), 0);

  g_mutex_lock (&self->lock);
  n = self->entries->len;
  g_mutex_unlock (&self->lock);
  return n;
}

/**
 * rf_recorder_get_entry:
 *
 * Entries are only ever appended, so the pointer stays valid until
 * rf_recorder_clear() or the recorder's end.
 *
 * Returns: (transfer none) (nullable): entry @index
 */
const RfRecordEntry *
rf_recorder_get_entry (RfRecorder *self,
                       guint       index)
{
  const RfRecordEntry *entry = NULL;

  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->lock);
  if (index < self->entries->len)
    entry = g_ptr_array_index (self->entries, index);
  g_mutex_unlock (&self->lock);
  return entry;
}

/**
 * rf_recorder_sent_cdb_prefix:
 * @prefix: the first bytes of a CDB, e.g. `CC 04` for SEND CHECKSUM
 *
 * Returns: whether any recorded command began with @prefix
 */
gboolean
rf_recorder_sent_cdb_prefix (RfRecorder   *self,
                             const guint8 *prefix,
                             gsize         length)
{
  gboolean found = FALSE;

  g_return_val_if_fail (RF_IS_RECORDER (self), FALSE);
  g_return_val_if_fail (prefix != NULL && length > 0 && length <= RF_CDB_MAX, FALSE);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->entries->len && !found; i++)
    {
      const RfRecordEntry *entry = g_ptr_array_index (self->entries, i);

      found = entry->cdb_length >= length && memcmp (entry->cdb, prefix, length) == 0;
    }
  g_mutex_unlock (&self->lock);
  return found;
}

guint
rf_recorder_count_opcode (RfRecorder *self,
                          guint8      opcode)
{
  guint count = 0;

  g_return_val_if_fail (RF_IS_RECORDER (self), 0);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->entries->len; i++)
    {
      const RfRecordEntry *entry = g_ptr_array_index (self->entries, i);

      if (entry->cdb[0] == opcode)
        count++;
    }
  g_mutex_unlock (&self->lock);
  return count;
}

gboolean
rf_recorder_sent_opcode (RfRecorder *self,
                         guint8      opcode)
{
  g_return_val_if_fail (RF_IS_RECORDER (self), FALSE);
  return rf_recorder_count_opcode (self, opcode) > 0;
}

void
rf_recorder_clear (RfRecorder *self)
{
  g_return_if_fail (RF_IS_RECORDER (self));

  g_mutex_lock (&self->lock);
  g_ptr_array_set_size (self->entries, 0);
  g_mutex_unlock (&self->lock);
}

static void
format_entry (GString             *text,
              const RfRecordEntry *entry)
{
  RfCommand command = { 0 };
  g_autofree char *cdb = NULL;
  RfSense sense;

  memcpy (command.cdb, entry->cdb, sizeof command.cdb);
  command.cdb_length = entry->cdb_length;
  cdb = rf_command_describe_cdb (&command);
  g_string_append_printf (text, "%-17s [%s]", rf_command_opcode_name (entry->cdb[0]), cdb);
  if (entry->direction != RF_DIRECTION_NONE)
    g_string_append_printf (text, " %s %" G_GSIZE_FORMAT " bytes",
                            entry->direction == RF_DIRECTION_IN ? "in" : "out",
                            entry->data_length);
  if (entry->residual > 0)
    g_string_append_printf (text, " (residual %" G_GSIZE_FORMAT ")", entry->residual);
  if (entry->data_digest[0] != '\0')
    g_string_append_printf (text, " sha256 %s", entry->data_digest);
  if (!entry->answered)
    g_string_append_printf (text, " -> no status: %s", entry->error_message);
  else if (rf_sense_parse (entry->sense, entry->sense_length, &sense) &&
           entry->status == RF_STATUS_CHECK_CONDITION)
    {
      g_autofree char *what = rf_sense_describe (&sense);
      g_string_append_printf (text, " -> CHECK CONDITION %s", what);
    }
  else
    g_string_append_printf (text, " -> status 0x%02x", entry->status);
  g_string_append_printf (text, ", %" G_GUINT64_FORMAT " us\n", entry->duration_us);
}

/**
 * rf_recorder_format:
 *
 * Returns: (transfer full): the transcript, one line per command, for reports
 */
char *
rf_recorder_format (RfRecorder *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (RF_IS_RECORDER (self), NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->entries->len; i++)
    format_entry (text, g_ptr_array_index (self->entries, i));
  g_mutex_unlock (&self->lock);
  return g_string_free (text, FALSE);
}
