/* rf-test-drive.c: a scripted drive for probe tests (not the practice drive:
 * only what the identification sequence needs, answered from the spec tables)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>

#include "rf-error.h"
#include "rf-test-drive.h"

struct _RfTestDrive
{
  RfTransport parent_instance;

  RfTestDriveSpec spec;
  GStrv strings;
  gboolean safe_mode;
  guint unit_attentions;
  gboolean restarting;
  gint64 left_at_us; /* when the last SAFE MODE leave came, on the drive's clock */
  GMutex lock;
  GCond cond;
  gboolean hung;
  gboolean released;
  gboolean silent;      /* silent_after_enter struck */
};

G_DEFINE_FINAL_TYPE (RfTestDrive, rf_test_drive, RF_TYPE_TRANSPORT)

static void
fill (RfCommand    *command,
      const guint8 *data,
      gsize         length)
{
  gsize n = MIN (length, command->data_length);

  memset (command->data, 0, command->data_length);
  memcpy (command->data, data, n);
  command->residual = command->data_length - n;
}

static void
answer_inquiry (RfTestDrive *self,
                RfCommand   *command)
{
  guint8 data[0x60] = { 0 };

  data[0] = self->spec.device_type;
  data[4] = sizeof data - 5;
  memcpy (data + 8, self->spec.vendor, 8);
  memcpy (data + 16, self->spec.product, 16);
  if (self->safe_mode)
    {
      data[32] = '0';
      data[33] = '.';
      memcpy (data + 34, self->spec.bootcode_version, 2);
    }
  else
    memcpy (data + 32, self->spec.revision, 4);
  fill (command, data, sizeof data);
}

/* Like QEMU, ignores the starting feature and lists what it has. */
static void
answer_configuration (RfTestDrive *self,
                      RfCommand   *command)
{
  guint8 data[36] = { 0, 0, 0, 12, 0, 0, 0, 0x10,
                      0x00, 0x00, 0x03, 0x04, 0x00, 0x10, 0x01, 0x00 };
  gsize length = 16;

  if (self->spec.firmware_date != NULL)
    {
      data[3] = 32;
      data[16] = 0x01;
      data[17] = 0x0c;
      data[19] = 0x10;
      memcpy (data + 20, self->spec.firmware_date, 8);
      memcpy (data + 28, "120000", 6);
      length = sizeof data;
    }
  fill (command, data, length);
}

static void
answer_read_mem (RfTestDrive *self,
                 RfCommand   *command)
{
  guint32 address = ((guint32) command->cdb[2] << 24) | ((guint32) command->cdb[3] << 16) |
                    ((guint32) command->cdb[4] << 8) | command->cdb[5];
  guint8 data[0x80] = { 0 };

  if (address == 0x4800)
    memcpy (data, self->spec.stored_id, 4);
  else if (address == 0x5f00)
    {
      memcpy (data + 0x10, "ND30", 4);
      memcpy (data + 0x20, self->spec.rid_vendor, strlen (self->spec.rid_vendor));
      memcpy (data + 0x40, "ND-", 3);
      memcpy (data + 0x43, self->spec.rid_digits, 4);
    }
  else
    {
      rf_command_set_check_condition (command, 0x05, 0x24, 0x00);
      return;
    }
  fill (command, data, sizeof data);
}

static void
answer_safe_mode (RfTestDrive *self,
                  RfCommand   *command)
{
  if (command->cdb[2] == 0x01)
    {
      if (memcmp (command->cdb + 4, self->spec.bootcode_key, 4) != 0)
        rf_command_set_check_condition (command, 0x05, 0x24, 0x00);
      else
        {
          self->safe_mode = TRUE;
          self->silent = self->spec.silent_after_enter;
          if (self->spec.cancel_on_enter != NULL)
            g_cancellable_cancel (self->spec.cancel_on_enter);
        }
    }
  else if (self->spec.firmware_valid)
    {
      self->safe_mode = FALSE;
      self->restarting = TRUE;
      self->left_at_us = rf_clock_get_now_us (rf_transport_get_clock (RF_TRANSPORT (self)));
    }
}

/* After a leave the firmware restarts for spec.restart_us on the drive's clock,
 * answering 02/04/01 "becoming ready" meanwhile. */
static gboolean
is_restarting (RfTestDrive *self)
{
  gint64 now;

  if (!self->restarting)
    return FALSE;
  now = rf_clock_get_now_us (rf_transport_get_clock (RF_TRANSPORT (self)));
  self->restarting = (guint64) (now - self->left_at_us) < self->spec.restart_us;
  return self->restarting;
}

static gboolean
answer_vendor (RfTestDrive *self,
               RfCommand   *command,
               GError     **error)
{
  if (self->spec.no_rawio)
    {
      rf_error_set_from_errno (error, EPERM, "SG_IO");
      return FALSE;
    }
  if (self->spec.bridge || !self->spec.nec)
    rf_command_set_check_condition (command, 0x05, 0x20, 0x00);
  else if (command->cdb[0] == 0xcc && command->cdb[1] == 0x00)
    answer_read_mem (self, command);
  else if (command->cdb[0] == 0xcc && command->cdb[1] == 0x01)
    answer_safe_mode (self, command);
  else
    rf_command_set_check_condition (command, 0x05, 0x24, 0x00);
  return TRUE;
}

static gboolean
wait_for_release (RfTestDrive *self,
                  RfCommand   *command,
                  GError     **error)
{
  g_mutex_lock (&self->lock);
  self->hung = TRUE;
  g_cond_broadcast (&self->cond);
  while (!self->released)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT, "%s: no answer before the timeout",
               rf_command_opcode_name (command->cdb[0]));
  return FALSE;
}

static void
answer_scripted_tur (RfTestDrive *self,
                     RfCommand   *command)
{
  command->status = self->spec.tur_status;
  if (command->status != RF_STATUS_CHECK_CONDITION)
    return;
  rf_command_set_check_condition (command, self->spec.tur_sense[0], self->spec.tur_sense[1],
                                  self->spec.tur_sense[2]);
  if (self->spec.tur_sense_length > 0)
    command->sense_length = MIN (command->sense_length, self->spec.tur_sense_length);
}

static gboolean
rf_test_drive_execute (RfTransport  *transport,
                       RfCommand    *command,
                       GCancellable *cancellable,
                       GError      **error)
{
  RfTestDrive *self = RF_TEST_DRIVE (transport);

  if (self->spec.hang)
    return wait_for_release (self, command, error);
  if (self->silent)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT, "%s: no answer before the timeout",
                   rf_command_opcode_name (command->cdb[0]));
      return FALSE;
    }
  switch (command->cdb[0])
    {
    case 0x12:
      if (self->spec.inquiry_fails)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_READ, "INQUIRY: transport error (host 0x07)");
          return FALSE;
        }
      answer_inquiry (self, command);
      return TRUE;
    case 0x00:
      if (self->unit_attentions > 0)
        {
          self->unit_attentions--;
          rf_command_set_check_condition (command, 0x06, 0x29, 0x00);
        }
      else if (is_restarting (self))
        rf_command_set_check_condition (command, 0x02, 0x04, 0x01);
      else if (self->spec.tur_scripted)
        answer_scripted_tur (self, command);
      else if (!self->spec.disc)
        rf_command_set_check_condition (command, 0x02, 0x3a, 0x00);
      return TRUE;
    case 0x46:
      answer_configuration (self, command);
      return TRUE;
    case 0x3c:
      if (command->cdb[1] == 0x03)
        {
          const guint8 descriptor[4] = { 0x00, 0x10, 0x00, 0x00 };
          fill (command, descriptor, sizeof descriptor);
        }
      else
        rf_command_set_check_condition (command, 0x05, 0x24, 0x00);
      return TRUE;
    case 0xcb:
    case 0xcc:
    case 0xcd:
      if (!answer_vendor (self, command, error))
        return FALSE;
      /* The enter ran, but its status never came back. */
      if (self->silent)
        {
          g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT, "SAFE MODE: no answer before the timeout");
          return FALSE;
        }
      return TRUE;
    default:
      rf_command_set_check_condition (command, 0x05, 0x20, 0x00);
      return TRUE;
    }
}

static RfClock *
rf_test_drive_get_clock (RfTransport *transport)
{
  RfTestDrive *self = RF_TEST_DRIVE (transport);

  if (self->spec.clock != NULL)
    return self->spec.clock;
  return RF_TRANSPORT_CLASS (rf_test_drive_parent_class)->get_clock (transport);
}

static void
rf_test_drive_finalize (GObject *object)
{
  RfTestDrive *self = RF_TEST_DRIVE (object);

  g_clear_object (&self->spec.clock);
  g_strfreev (self->strings);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (rf_test_drive_parent_class)->finalize (object);
}

static void
rf_test_drive_class_init (RfTestDriveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_test_drive_finalize;
  RF_TRANSPORT_CLASS (klass)->execute = rf_test_drive_execute;
  RF_TRANSPORT_CLASS (klass)->get_clock = rf_test_drive_get_clock;
}

static void
rf_test_drive_init (RfTestDrive *self)
{
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
}

static const char *
keep (GPtrArray  *strings,
      const char *value,
      const char *fallback)
{
  char *copy = g_strdup (value != NULL ? value : fallback);

  g_ptr_array_add (strings, copy);
  return copy;
}

RfTestDrive *
rf_test_drive_new (const RfTestDriveSpec *spec)
{
  RfTestDrive *self = g_object_new (RF_TYPE_TEST_DRIVE, "name", "test-drive", NULL);
  GPtrArray *strings = g_ptr_array_new ();

  self->spec = *spec;
  self->spec.vendor = keep (strings, spec->vendor, "_NEC    ");
  self->spec.product = keep (strings, spec->product, "DVD_RW ND-3550A ");
  self->spec.revision = keep (strings, spec->revision, "1.05");
  self->spec.firmware_date = spec->firmware_date != NULL ? keep (strings, spec->firmware_date, NULL)
                                                         : NULL;
  self->spec.stored_id = keep (strings, spec->stored_id, "K355");
  self->spec.rid_vendor = keep (strings, spec->rid_vendor, "NEC");
  self->spec.rid_digits = keep (strings, spec->rid_digits, "3550");
  self->spec.bootcode_key = keep (strings, spec->bootcode_key, "K355");
  self->spec.bootcode_version = keep (strings, spec->bootcode_version, "05");
  g_ptr_array_add (strings, NULL);
  self->strings = (GStrv) g_ptr_array_free (strings, FALSE);
  if (spec->clock != NULL)
    self->spec.clock = g_object_ref (spec->clock);
  self->safe_mode = !spec->firmware_valid;
  self->unit_attentions = spec->unit_attentions;
  return self;
}

/* As after a SAFE MODE enter whose leave never came: valid firmware, safe mode. */
void
rf_test_drive_enter_safe_mode (RfTestDrive *self)
{
  self->safe_mode = TRUE;
}

gboolean
rf_test_drive_in_safe_mode (RfTestDrive *self)
{
  return self->safe_mode;
}

/* Blocks until a command waits inside the drive. */
void
rf_test_drive_wait_hung (RfTestDrive *self)
{
  g_mutex_lock (&self->lock);
  while (!self->hung)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

void
rf_test_drive_release (RfTestDrive *self)
{
  g_mutex_lock (&self->lock);
  self->released = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}
