/* rf-sim-spc.c: the drive side of spc-download.md, as its "Practice drive model" says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-sense.h"
#include "rf-sim-drive-private.h"

#define OP_WRITE_BUFFER 0x3b
#define OP_READ_BUFFER  0x3c

static void
refuse (RfCommand *command)
{
  rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00);
}

/* 05/2C/00: the image failed the drive's checks, or 0x0F with nothing deferred. */
static void
sequence_error (RfCommand *command)
{
  rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x2c, 0x00);
}

static guint32
be24 (const guint8 *p)
{
  return (guint32) p[0] << 16 | (guint32) p[1] << 8 | p[2];
}

/**
 * rf_sim_spc_build_image:
 * @image: scenario->image_size bytes
 *
 * A synthetic microcode image: pseudo-random bytes seeded by model and revision,
 * with the product (16 bytes) at ModelCheckOffset and the revision (4) at RevisionOffset.
 */
void
rf_sim_spc_build_image (const RfSimScenario *scenario,
                        const char          *revision,
                        guint8              *image)
{
  g_autofree char *seed = g_strconcat ("spc|", scenario->product, "|", revision, NULL);
  guint32 state = g_str_hash (seed) | 1u;

  for (guint i = 0; i < scenario->image_size; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      image[i] = (guint8) (state >> 24);
    }
  rf_sim_put_padded (image + scenario->model_offset, 16, scenario->product, ' ');
  rf_sim_put_padded (image + scenario->revision_offset, 4, revision, ' ');
}

static void
running_identity (RfSimDrive *self,
                  char        product[17],
                  char        revision[5])
{
  const RfSimScenario *scenario = self->scenario;

  if (self->spc_running == NULL)
    {
      g_strlcpy (product, scenario->product, 17);
      g_strlcpy (revision, scenario->boot_revision, 5);
      return;
    }
  memcpy (product, self->spc_running + scenario->model_offset, 16);
  product[16] = '\0';
  memcpy (revision, self->spc_running + scenario->revision_offset, 4);
  revision[4] = '\0';
}

/* The stored microcode starts to run. Until a download replaces the stored
 * copy, the running one is the same bytes: no second megabyte for it. */
static void
run_stored (RfSimDrive *self)
{
  if (!self->spc_running_shared)
    rf_sim_region_free (self->spc_running, self->scenario->image_size);
  self->spc_running = self->spc_stored_valid ? self->spc_stored : NULL;
  self->spc_running_shared = self->spc_running != NULL;
}

/* Before the stored microcode changes, the running one gets its own copy: it
 * runs on until the new one is activated. */
static void
keep_running_copy (RfSimDrive *self)
{
  if (!self->spc_running_shared)
    return;
  self->spc_running = rf_sim_region_dup (self->spc_stored, self->scenario->image_size);
  self->spc_running_shared = FALSE;
}

void
rf_sim_spc_power_up (RfSimDrive *self)
{
  self->spc_received = 0;
  self->spc_deferred = FALSE;
  self->settle_until_us = 0;
  /* Deferred microcode, already saved, becomes active here. */
  run_stored (self);
}

gboolean
rf_sim_spc_is_settling (RfSimDrive *self)
{
  return rf_sim_clock_get_now_us (self->clock) < self->settle_until_us;
}

/* As the family data's [LedHints] say for an SPC drive (data/drives/
 * spc-generic.conf): blinking while a download arrives and while the new
 * microcode settles, as in boot mode. */
RfSimLed
rf_sim_spc_led (RfSimDrive *self)
{
  if (rf_sim_spc_is_settling (self) || self->spc_running == NULL || self->spc_received > 0)
    return RF_SIM_LED_BLINKING;
  return self->disc ? RF_SIM_LED_STEADY : RF_SIM_LED_OFF;
}

RfSimPhase
rf_sim_spc_classify (const RfCommand *command)
{
  switch (command->cdb[0])
    {
    case 0x00:
    case 0x12:
    case 0x46:
      return RF_SIM_PHASE_QUERY;
    case OP_WRITE_BUFFER:
      return (command->cdb[1] & 0x1f) == 0x0f ? RF_SIM_PHASE_ACTIVATE : RF_SIM_PHASE_UPLOAD;
    case OP_READ_BUFFER:
      return RF_SIM_PHASE_READ;
    default:
      return RF_SIM_PHASE_OTHER;
    }
}

static void
inquiry (RfSimDrive *self,
         RfCommand  *command)
{
  char product[17], revision[5];

  if (command->cdb_length != 6 || !rf_sim_cdb_zero (command, 1, 3) || command->cdb[5] != 0)
    {
      refuse (command);
      return;
    }
  running_identity (self, product, revision);
  rf_sim_reply_inquiry (command, self->scenario->vendor, product, revision, NULL);
}

/* The scenario's date, while the microcode it describes runs: the running image
 * is the scenario's, byte for byte (a download with the same revision but another
 * content is another firmware). */
static const char *
firmware_date (RfSimDrive *self)
{
  guint8 *image;
  gboolean same;

  if (self->spc_running == NULL || self->scenario->firmware_date == NULL)
    return NULL;
  image = rf_sim_region_new (self->scenario->image_size);
  rf_sim_spc_build_image (self->scenario, self->scenario->revision, image);
  same = memcmp (image, self->spc_running, self->scenario->image_size) == 0;
  rf_sim_region_free (image, self->scenario->image_size);
  return same ? self->scenario->firmware_date : NULL;
}

/* The new microcode runs: restart, settle, then the unit attentions once each. */
static void
activate (RfSimDrive *self,
          RfSimExec  *exec)
{
  char old_product[17], old_revision[5], product[17], revision[5];

  running_identity (self, old_product, old_revision);
  run_stored (self);
  self->spc_deferred = FALSE;
  running_identity (self, product, revision);
  self->n_unit_attentions = 0;
  rf_sim_drive_queue_unit_attention (self, 0x29, 0x00);
  rf_sim_drive_queue_unit_attention (self, 0x3f, 0x01);
  /* Our reading: INQUIRY data changed whenever product or revision did. */
  if (strcmp (old_product, product) != 0 || strcmp (old_revision, revision) != 0)
    rf_sim_drive_queue_unit_attention (self, 0x3f, 0x03);
  exec->settle = TRUE;
  exec->drop_connection = self->scenario->activation_drops_connection;
}

static gboolean
model_check (RfSimDrive *self)
{
  guint8 wanted[16];

  rf_sim_put_padded (wanted, 16, self->scenario->product, ' ');
  return memcmp (self->spc_buffer + self->scenario->model_offset, wanted, 16) == 0;
}

/* The last chunk arrived: check, save (that takes time), maybe activate. */
static void
finish_download (RfSimDrive *self,
                 RfCommand  *command,
                 guint8      mode,
                 RfSimExec  *exec)
{
  const RfSimFault *fault = exec->fault;
  gboolean complete = self->spc_received == self->scenario->image_size;

  self->spc_received = 0;
  if (!complete || !model_check (self))
    {
      sequence_error (command);
      return;
    }
  if (fault != NULL && fault->kind == RF_SIM_FAULT_POWER_LOSS)
    {
      /* Power failed during the save: the stored microcode is no longer valid. */
      self->spc_stored_valid = FALSE;
      exec->flash_changed = TRUE;
      exec->power_lost = TRUE;
      return;
    }
  if (fault != NULL && fault->kind == RF_SIM_FAULT_WRITE_FAILURE)
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_MEDIUM_ERROR, 0x73, 0x04);
      return;
    }
  if (fault != NULL && fault->kind == RF_SIM_FAULT_SILENT_FLASH)
    return;
  keep_running_copy (self);
  memcpy (self->spc_stored, self->spc_buffer, self->scenario->image_size);
  rf_sim_drive_touch_nvm (self, 0, self->scenario->image_size);
  self->spc_stored_valid = TRUE;
  exec->flash_changed = TRUE;
  exec->extra_ms += self->scenario->cost_ms[RF_SIM_COST_SAVE];
  if (mode == 0x0e)
    self->spc_deferred = TRUE;
  else
    activate (self, exec);
}

static gboolean
mode_allowed (const RfSimScenario *scenario,
              guint8               mode)
{
  switch (scenario->variant)
    {
    case RF_SIM_SPC_SINGLE:
      return mode == 0x05;
    case RF_SIM_SPC_OFFSETS:
      return mode == 0x07;
    case RF_SIM_SPC_DEFERRED:
      return mode == 0x0e || mode == 0x0f;
    default:
      return FALSE;
    }
}

/* The descriptor's rules: offset a multiple of 2^boundary (0xFF: offset 0 and one
 * command), offset + length within the capacity. */
static gboolean
chunk_fits (const RfSimScenario *scenario,
            guint32              offset,
            guint32              length)
{
  guint boundary = scenario->offset_boundary;

  if (boundary == 0xff && (offset != 0 || length != scenario->image_size))
    return FALSE;
  if (boundary < 32 && offset % (1u << boundary) != 0)
    return FALSE;
  if (boundary >= 32 && boundary != 0xff && offset != 0)
    return FALSE;
  return length > 0 && offset + length <= scenario->buffer_capacity;
}

static void
write_buffer (RfSimDrive *self,
              RfCommand  *command,
              RfSimExec  *exec)
{
  const RfSimScenario *scenario = self->scenario;
  guint8 mode = command->cdb[1] & 0x1f;
  guint32 offset = be24 (command->cdb + 3);
  guint32 length = be24 (command->cdb + 6);

  exec->cost = RF_SIM_COST_WRITE_BUFFER;
  if (command->cdb_length != 10 || (command->cdb[1] >> 5) != 0 || command->cdb[9] != 0 ||
      !mode_allowed (scenario, mode))
    {
      refuse (command);
      return;
    }
  if (mode == 0x0f)
    {
      if (offset != 0 || length != 0 || command->data_length != 0)
        refuse (command);
      else if (!self->spc_deferred)
        sequence_error (command);
      else
        activate (self, exec);
      return;
    }
  if (command->cdb[2] != scenario->buffer_id || !chunk_fits (scenario, offset, length) ||
      (mode == 0x05 && offset != 0) || command->direction != RF_DIRECTION_OUT ||
      command->data_length < length)
    {
      refuse (command);
      return;
    }
  if (self->spc_running == NULL && !scenario->boot_accepts_download)
    {
      sequence_error (command);
      return;
    }
  /* A chunk at offset 0 starts a new download and discards a partial one: after a
   * chunk whose outcome the host never learned, it resumes from 0 (spc-download.md,
   * "Interrupted download"), and a real drive has no other way to start over. */
  if (mode == 0x05 || offset == 0)
    self->spc_received = 0;
  /* Otherwise chunks come at rising offsets, one after the other. */
  if (offset != self->spc_received)
    {
      refuse (command);
      return;
    }
  memcpy (self->spc_buffer + offset, command->data, length);
  self->spc_received = offset + length;
  command->residual = command->data_length - length;
  if (mode == 0x05 || self->spc_received >= scenario->image_size)
    finish_download (self, command, mode, exec);
}

static void
read_buffer (RfSimDrive *self,
             RfCommand  *command)
{
  const RfSimScenario *scenario = self->scenario;
  guint8 mode = command->cdb[1];
  guint32 offset = be24 (command->cdb + 3);
  guint32 length = be24 (command->cdb + 6);
  guint8 descriptor[4];

  if (command->cdb_length != 10 || command->cdb[9] != 0 || command->cdb[2] != scenario->buffer_id ||
      command->direction != RF_DIRECTION_IN || command->data_length < length)
    {
      refuse (command);
      return;
    }
  /* Descriptor=false: a drive that does not describe its buffer. Its
   * boundary and capacity still bind what it takes (write_buffer). */
  if (mode == 0x03 && offset == 0 && scenario->descriptor)
    {
      descriptor[0] = (guint8) scenario->offset_boundary;
      descriptor[1] = (guint8) (scenario->buffer_capacity >> 16);
      descriptor[2] = (guint8) (scenario->buffer_capacity >> 8);
      descriptor[3] = (guint8) scenario->buffer_capacity;
      rf_sim_reply_data (command, descriptor, MIN (length, sizeof descriptor));
      return;
    }
  if (mode == 0x02 && scenario->dump && self->spc_running != NULL && length > 0 &&
      offset + length <= scenario->image_size)
    {
      rf_sim_reply_data (command, self->spc_running + offset, length);
      return;
    }
  refuse (command);
}

static void
test_unit_ready (RfSimDrive *self,
                 RfCommand  *command)
{
  if (command->cdb_length != 6 || !rf_sim_cdb_zero (command, 1, 6))
    refuse (command);
  else if (!self->disc)
    rf_command_set_check_condition (command, RF_SENSE_KEY_NOT_READY, 0x3a, 0x00);
}

void
rf_sim_spc_execute (RfSimDrive *self,
                    RfCommand  *command,
                    RfSimExec  *exec)
{
  exec->cost = RF_SIM_COST_QUERY;
  switch (command->cdb[0])
    {
    case 0x00:
      test_unit_ready (self, command);
      break;
    case 0x12:
      inquiry (self, command);
      break;
    case 0x46:
      rf_sim_reply_configuration (command, self->disc, TRUE,
                                  self->scenario->variant == RF_SIM_SPC_SINGLE,
                                  firmware_date (self));
      break;
    case OP_WRITE_BUFFER:
      write_buffer (self, command, exec);
      break;
    case OP_READ_BUFFER:
      exec->cost = RF_SIM_COST_READ;
      read_buffer (self, command);
      break;
    default:
      rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    }
}

/**
 * rf_sim_spc_image_new:
 * @scenario: an spc-download scenario
 * @product: (nullable): the model the image names; %NULL for the scenario's
 * @revision: the revision it carries
 *
 * A microcode image this practice drive accepts (or, with another @product,
 * refuses), built like the scenario's own.
 *
 * Returns: (transfer full): ImageSize bytes
 */
GBytes *
rf_sim_spc_image_new (const RfSimScenario *scenario,
                      const char          *product,
                      const char          *revision)
{
  guint8 *image;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (scenario->protocol == RF_SIM_PROTOCOL_SPC_DOWNLOAD, NULL);
  g_return_val_if_fail (revision != NULL, NULL);

  image = g_malloc (scenario->image_size);
  rf_sim_spc_build_image (scenario, revision, image);
  if (product != NULL)
    rf_sim_put_padded (image + scenario->model_offset, 16, product, ' ');
  return g_bytes_new_take (image, scenario->image_size);
}

