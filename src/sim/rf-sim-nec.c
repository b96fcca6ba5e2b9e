/* rf-sim-nec.c: the drive side of nec-2m.md, as its §6 "Practice-drive model" says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"
#include "rf-sense.h"
#include "rf-sim-drive-private.h"

#define READ_MEM_MAX_LENGTH 0x8000 /* §6 */
#define SETTINGS_START    0x4000
#define SETTINGS_END      RF_NEC_MAIN_START

static void
refuse (RfCommand *command)
{
  rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00);
}

static guint32
be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static void
fill_pseudo_random (guint8 *data,
                    gsize   length,
                    guint32 state)
{
  if (state == 0)
    state = 0x2545f491u;
  for (gsize i = 0; i < length; i++)
    {
      state ^= state << 13;
      state ^= state >> 17;
      state ^= state << 5;
      data[i] = (guint8) (state >> 24);
    }
}

/* ---- building the flash a scenario starts with ---- */

static void
build_bootcode (const RfSimScenario *scenario,
                guint8              *flash)
{
  const RfNecType *type = rf_nec_type_from_id (scenario->bootcode_key);
  g_autofree char *seed = g_strconcat ("bootcode|", scenario->bootcode_key, "|",
                                       scenario->bootcode_version, NULL);

  fill_pseudo_random (flash, RF_NEC_BOOTCODE_SIZE, g_str_hash (seed));
  memcpy (flash + RF_SIM_NEC_BOOT_INFO, RF_SIM_NEC_BOOT_MAGIC, RF_SIM_NEC_BOOT_MAGIC_LENGTH);
  memcpy (flash + RF_SIM_NEC_BOOT_KEY, scenario->bootcode_key, 4);
  memcpy (flash + RF_SIM_NEC_BOOT_VERSION, scenario->bootcode_version, 2);
  rf_sim_put_padded (flash + RF_SIM_NEC_BOOT_VENDOR, 8,
                     scenario->safe_mode_vendor != NULL ? scenario->safe_mode_vendor : "_NEC", ' ');
  rf_sim_put_padded (flash + RF_SIM_NEC_BOOT_PRODUCT, 16,
                     scenario->safe_mode_product != NULL ? scenario->safe_mode_product
                                                         : type->product, ' ');
}

/* Settings: erased but for the drive ID and the RID block (nec-2m.md §0). */
static void
build_settings (const RfSimScenario *scenario,
                guint8              *flash)
{
  guint8 *rid = flash + RF_NEC_RID_ADDRESS;

  memcpy (flash + RF_NEC_DRIVE_ID_ADDRESS, scenario->stored_id, 4);
  memset (rid, 0x00, RF_NEC_RID_LENGTH);
  if (scenario->rid_code != NULL)
    memcpy (rid + RF_NEC_RID_CODE_OFFSET, scenario->rid_code, 4);
  rf_sim_put_padded (rid + RF_NEC_RID_VENDOR_OFFSET, 16, scenario->rid_vendor, '\0');
  rf_sim_put_padded (rid + RF_NEC_RID_MODEL_OFFSET, 32, scenario->rid_model, '\0');
}

static void
fill_main_image (const RfSimScenario *scenario,
                 guint8              *main)
{
  const RfNecType *type = rf_nec_type_from_id (scenario->firmware_model);
  g_autofree char *product = g_strchomp (g_strdup (type->product));
  RfNecImageSpec spec = {
    .drive_id = type->id,
    .bootcode_version = scenario->bootcode_version,
    .vendor = "_NEC",
    .product = product,
    .revision = scenario->firmware_revision,
  };

  rf_nec_image_fill_main (main, &spec);
}

/**
 * rf_sim_nec_build_flash:
 *
 * The flash a scenario describes, made by code: our bootcode record, the settings
 * with ID and RID, and a main firmware from the core image builder.
 */
void
rf_sim_nec_build_flash (const RfSimScenario *scenario,
                        guint8              *flash,
                        gboolean            *has_stored_sum,
                        guint16             *stored_sum)
{
  guint8 *image = NULL;
  guint8 *main = flash + RF_NEC_MAIN_START;
  guint32 programmed;

  memset (flash, 0xff, RF_NEC_FLASH_SIZE);
  build_bootcode (scenario, flash);
  build_settings (scenario, flash);
  *has_stored_sum = FALSE;
  *stored_sum = 0;
  switch (scenario->firmware)
    {
    case RF_SIM_FIRMWARE_VALID:
      fill_main_image (scenario, main);
      *has_stored_sum = TRUE;
      *stored_sum = rf_nec_checksum (main, RF_NEC_MAIN_SIZE);
      break;
    case RF_SIM_FIRMWARE_INTERRUPTED:
      /* Erased 4..34, then programmed up to the block before the interruption;
       * erasing block 34 cleared the stored sum. */
      image = rf_sim_region_new (RF_NEC_MAIN_SIZE);
      fill_main_image (scenario, image);
      programmed = rf_nec_block_start (scenario->interrupted_at_block) - RF_NEC_MAIN_START;
      memcpy (main, image, programmed);
      rf_sim_region_free (image, RF_NEC_MAIN_SIZE);
      break;
    case RF_SIM_FIRMWARE_COPIED:
      /* A drive that ran this firmware: its stored sum matched it. */
      if (rf_sim_scenario_read_firmware (scenario, main, RF_NEC_MAIN_SIZE))
        {
          *has_stored_sum = TRUE;
          *stored_sum = rf_nec_checksum (main, RF_NEC_MAIN_SIZE);
        }
      break;
    case RF_SIM_FIRMWARE_ERASED:
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- state ---- */

static gboolean
boot_record_is_gone (const guint8 *flash)
{
  return memcmp (flash + RF_SIM_NEC_BOOT_INFO, RF_SIM_NEC_BOOT_MAGIC,
                 RF_SIM_NEC_BOOT_MAGIC_LENGTH) != 0;
}

gboolean
rf_sim_nec_is_dead (RfSimDrive *self)
{
  return self->flash != NULL ? boot_record_is_gone (self->flash) : self->summary.dead;
}

static gboolean
main_is_erased (const guint8 *main)
{
  for (gsize i = 0; i < RF_NEC_MAIN_SIZE; i++)
    if (main[i] != 0xff)
      return FALSE;
  return TRUE;
}

/* §6: valid when a stored sum exists, the area is not blank and its sum matches. */
static gboolean
main_is_valid (RfSimDrive *self)
{
  const guint8 *main;

  if (self->flash == NULL)
    return self->has_stored_sum && !self->summary.main_erased &&
           self->summary.main_sum == self->stored_sum;
  main = self->flash + RF_NEC_MAIN_START;
  return self->has_stored_sum && !main_is_erased (main) &&
         rf_nec_checksum (main, RF_NEC_MAIN_SIZE) == self->stored_sum;
}

/* RAM as the first WRITE RAM after a restart finds it: all 0xFF. */
static guint8 *
ensure_ram (RfSimDrive *self)
{
  if (self->ram == NULL)
    {
      self->ram = rf_sim_region_new (RF_NEC_FLASH_SIZE);
      memset (self->ram, 0xff, RF_NEC_FLASH_SIZE);
    }
  return self->ram;
}

/* Power-up and SAFE MODE leave: the firmware restarts. RAM, safe mode and the
 * accepted checksum are lost; valid firmware runs, else the bootcode stays. */
static void
restart_firmware (RfSimDrive *self)
{
  rf_sim_region_free (self->ram, RF_NEC_FLASH_SIZE);
  self->ram = NULL;
  self->session_entered = FALSE;
  self->erasing = FALSE;
  self->has_checksum = FALSE;
  self->safe_mode = !main_is_valid (self);
}

void
rf_sim_nec_power_up (RfSimDrive *self)
{
  restart_firmware (self);
}

RfSimLed
rf_sim_nec_led (RfSimDrive *self)
{
  if (rf_sim_nec_is_dead (self))
    return RF_SIM_LED_OFF;
  if (self->safe_mode)
    return self->erasing ? RF_SIM_LED_BLINKING_FAST : RF_SIM_LED_BLINKING;
  return self->disc ? RF_SIM_LED_STEADY : RF_SIM_LED_OFF;
}

RfSimPhase
rf_sim_nec_classify (const RfCommand *command)
{
  switch (command->cdb[0])
    {
    case 0x00:
    case 0x12:
    case 0x46:
      return RF_SIM_PHASE_QUERY;
    case RF_NEC_OP_CONTROL:
      if (command->cdb[1] == 0x00)
        return RF_SIM_PHASE_READ;
      if (command->cdb[1] == 0x01 && command->cdb[2] == 0x01)
        return RF_SIM_PHASE_SAFE_MODE_ENTER;
      if (command->cdb[1] == 0x01 && command->cdb[2] == 0x00)
        return RF_SIM_PHASE_SAFE_MODE_LEAVE;
      if (command->cdb[1] == 0x04)
        return RF_SIM_PHASE_CHECKSUM;
      return RF_SIM_PHASE_OTHER;
    case RF_NEC_OP_WRITE:
      if (command->cdb[1] == 0x01)
        return RF_SIM_PHASE_UPLOAD;
      if (command->cdb[1] == 0x02)
        return RF_SIM_PHASE_PROGRAM;
      if (command->cdb[1] == 0x04)
        return RF_SIM_PHASE_ERASE;
      return RF_SIM_PHASE_OTHER;
    case RF_NEC_OP_BOOT:
      return RF_SIM_PHASE_READ;
    default:
      return RF_SIM_PHASE_OTHER;
    }
}

/* ---- standard commands ---- */

static void
copy_display_string (const guint8 *src,
                     gsize         width,
                     char         *out)
{
  gsize n = 0;

  while (n < width && src[n] != '\0')
    n++;
  memcpy (out, src, n);
  out[n] = '\0';
}

/* What INQUIRY reads of the flash: the bootcode's strings and version, and
 * the main firmware's display strings. */
static void
read_identity (const guint8    *flash,
               RfSimNecSummary *summary)
{
  const guint8 *main = flash + RF_NEC_MAIN_START;
  gssize s = rf_nec_find_display_strings (main, RF_NEC_MAIN_SIZE);

  memset (summary, 0, sizeof *summary);
  copy_display_string (flash + RF_SIM_NEC_BOOT_VENDOR, 8, summary->boot_vendor);
  copy_display_string (flash + RF_SIM_NEC_BOOT_PRODUCT, 16, summary->boot_product);
  summary->boot_version[0] = (char) flash[RF_SIM_NEC_BOOT_VERSION];
  summary->boot_version[1] = (char) flash[RF_SIM_NEC_BOOT_VERSION + 1];
  summary->has_display = s >= 0;
  if (s < 0)
    return;
  copy_display_string (main + s + RF_NEC_DISPLAY_VENDOR_OFFSET, 8, summary->vendor);
  copy_display_string (main + s + RF_NEC_DISPLAY_PRODUCT_OFFSET, 16, summary->product);
  copy_display_string (main + s + RF_NEC_DISPLAY_REVISION_OFFSET, 4, summary->revision);
  copy_display_string (main + s + RF_NEC_DISPLAY_SPECIFIC_OFFSET, RF_NEC_DISPLAY_SPECIFIC_LENGTH,
                       summary->specific);
}

/**
 * rf_sim_nec_summarize:
 *
 * What @flash answers to the passive commands and what power-up reads of it:
 * the same words and decisions the flash itself gives.
 */
void
rf_sim_nec_summarize (const guint8    *flash,
                      RfSimNecSummary *summary)
{
  const guint8 *main = flash + RF_NEC_MAIN_START;

  read_identity (flash, summary);
  summary->dead = boot_record_is_gone (flash);
  summary->main_erased = main_is_erased (main);
  summary->main_sum = rf_nec_checksum (main, RF_NEC_MAIN_SIZE);
}

static void
inquiry (RfSimDrive *self,
         RfCommand  *command)
{
  RfSimNecSummary read;
  const RfSimNecSummary *now = &self->summary;
  char revision[5];

  if (command->cdb_length != 6 || !rf_sim_cdb_zero (command, 1, 3) || command->cdb[5] != 0)
    {
      refuse (command);
      return;
    }
  /* The flash itself while it is mapped; else what it said when it was. */
  if (self->flash != NULL)
    {
      read_identity (self->flash, &read);
      now = &read;
    }
  if (self->safe_mode)
    {
      /* §6: revision "0." + bootcode version; model strings of the bootcode. */
      g_snprintf (revision, sizeof revision, "0.%s", now->boot_version);
      rf_sim_reply_inquiry (command, now->boot_vendor, now->boot_product, revision, NULL);
      return;
    }
  /* Valid firmware without display strings answers with the bootcode's model
   * and a blank revision (never "0.", which would read as safe mode). */
  if (!now->has_display)
    rf_sim_reply_inquiry (command, now->boot_vendor, now->boot_product, "    ", NULL);
  else
    rf_sim_reply_inquiry (command, now->vendor, now->product, now->revision, now->specific);
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

static guint16
scenario_sum (RfSimDrive *self)
{
  if (!self->scenario_sum_known)
    {
      guint8 *image = rf_sim_region_new (RF_NEC_MAIN_SIZE);

      fill_main_image (self->scenario, image);
      self->scenario_sum = rf_nec_checksum (image, RF_NEC_MAIN_SIZE);
      self->scenario_sum_known = TRUE;
      rf_sim_region_free (image, RF_NEC_MAIN_SIZE);
    }
  return self->scenario_sum;
}

/* The firmware date is the scenario's, for as long as the firmware it describes
 * runs. Flash tells, not the revision: another model's image with the same
 * revision has another sum. Outside safe mode the stored sum is the sum of the
 * running firmware. */
static const char *
firmware_date (RfSimDrive *self)
{
  if (self->safe_mode || self->scenario->firmware_date == NULL ||
      self->scenario->firmware_revision == NULL || !self->has_stored_sum ||
      self->stored_sum != scenario_sum (self))
    return NULL;
  return self->scenario->firmware_date;
}

/* ---- vendor commands ---- */

static gboolean
wants_data (const RfCommand *command,
            RfDirection      direction,
            gsize            length)
{
  return command->direction == direction && command->data_length >= length;
}

/* READ MEM: CC 00 a3 a2 a1 a0 00 l1 l0 00 00 00 */
static void
read_mem (RfSimDrive *self,
          RfCommand  *command)
{
  guint32 address = be32 (command->cdb + 2);
  guint32 length = (guint32) command->cdb[7] << 8 | command->cdb[8];
  guint32 rounded = (length + 3) & ~3u;

  if (command->cdb[6] != 0 || !rf_sim_cdb_zero (command, 9, 12) || length == 0 ||
      length > READ_MEM_MAX_LENGTH || address >= RF_NEC_FLASH_SIZE ||
      rounded > RF_NEC_FLASH_SIZE - address || !wants_data (command, RF_DIRECTION_IN, rounded))
    {
      refuse (command);
      return;
    }
  rf_sim_reply_data (command, self->flash + address, rounded);
}

static gboolean
key_is_bootcodes (RfSimDrive      *self,
                  const RfCommand *command)
{
  return memcmp (command->cdb + 4, self->flash + RF_SIM_NEC_BOOT_KEY, 4) == 0;
}

/* SAFE MODE: CC 01 ee 00 k0 k1 k2 k3 01 00 00 00 */
static void
safe_mode (RfSimDrive *self,
           RfCommand  *command,
           RfSimExec  *exec)
{
  guint8 ee = command->cdb[2];

  if (ee > 1 || command->cdb[3] != 0 || command->cdb[8] != 0x01 ||
      !rf_sim_cdb_zero (command, 9, 12) || command->data_length != 0)
    {
      refuse (command);
      return;
    }
  /* §6: only the bootcode's key, in either mode; leave wants the same key. */
  if (!key_is_bootcodes (self, command))
    {
      refuse (command);
      return;
    }
  if (ee == 1)
    {
      exec->cost = RF_SIM_COST_SAFE_MODE_ENTER;
      self->safe_mode = TRUE;
      self->session_entered = TRUE;
      return;
    }
  exec->cost = RF_SIM_COST_SAFE_MODE_LEAVE;
  restart_firmware (self);
}

/* SEND CHECKSUM: CC 04 c1 c0 00 00 00 00 00 ar 00 00 (index 0, area 00) */
static void
send_checksum (RfSimDrive *self,
               RfCommand  *command,
               RfSimExec  *exec)
{
  guint16 sent = (guint16) (command->cdb[2] << 8 | command->cdb[3]);

  exec->cost = RF_SIM_COST_SEND_CHECKSUM;
  if (!rf_sim_cdb_zero (command, 4, 12) || command->data_length != 0 || !self->session_entered)
    {
      refuse (command);
      return;
    }
  self->has_checksum = FALSE;
  if (sent != rf_nec_checksum (ensure_ram (self) + RF_NEC_MAIN_START, RF_NEC_MAIN_SIZE))
    {
      refuse (command);
      return;
    }
  self->has_checksum = TRUE;
  self->checksum = sent;
}

/* WRITE RAM: CB 01 a3 a2 a1 a0 00 00 nn ar 00 00 (area 00 only). §1 says nn is
 * "always 08 here": anything else is refused (strict), so that a wrong nn shows
 * at once instead of as a checksum mismatch later. */
static void
write_ram (RfSimDrive *self,
           RfCommand  *command,
           RfSimExec  *exec)
{
  guint32 address = be32 (command->cdb + 2);
  guint32 length = (guint32) command->cdb[8] * 0x1000;

  exec->cost = RF_SIM_COST_WRITE_RAM;
  if (!rf_sim_cdb_zero (command, 6, 8) || command->cdb[9] != 0x00 ||
      !rf_sim_cdb_zero (command, 10, 12) || length != RF_NEC_UPLOAD_CHUNK ||
      address >= RF_NEC_FLASH_SIZE || length > RF_NEC_FLASH_SIZE - address ||
      !wants_data (command, RF_DIRECTION_OUT, length) || !self->session_entered)
    {
      refuse (command);
      return;
    }
  memcpy (ensure_ram (self) + address, command->data, length);
  command->residual = command->data_length - length;
}

/* WRITE SETTINGS: CB 00 00 a2 a1 a0 00 l1 l0 00 00 00, settings area only. The
 * drive handles that sector itself, in either mode. */
static void
write_settings (RfSimDrive *self,
                RfCommand  *command,
                RfSimExec  *exec)
{
  guint32 address = (guint32) command->cdb[3] << 16 | (guint32) command->cdb[4] << 8 |
                    command->cdb[5];
  guint32 length = (guint32) command->cdb[7] << 8 | command->cdb[8];

  exec->cost = RF_SIM_COST_PROGRAM_BLOCK;
  if (command->cdb[2] != 0 || command->cdb[6] != 0 || !rf_sim_cdb_zero (command, 9, 12) ||
      length == 0 || address < SETTINGS_START || address >= SETTINGS_END ||
      length > SETTINGS_END - address || !wants_data (command, RF_DIRECTION_OUT, length))
    {
      refuse (command);
      return;
    }
  memcpy (self->flash + address, command->data, length);
  rf_sim_drive_touch_nvm (self, address, length);
  exec->flash_changed = TRUE;
}

/* §1: exactly one bit in bytes 2-8 names block (8 - byte) * 8 + bit. */
static gboolean
parse_block_mask (const RfCommand *command,
                  guint           *block)
{
  guint found = 0;

  if (!rf_sim_cdb_zero (command, 9, 12) || command->data_length != 0)
    return FALSE;
  for (guint byte = 2; byte <= 8; byte++)
    for (guint bit = 0; bit < 8; bit++)
      if (command->cdb[byte] & (1u << bit))
        {
          found++;
          *block = (8 - byte) * 8 + bit;
        }
  return found == 1 && *block < RF_NEC_BLOCK_COUNT;
}

static void
erase_range (RfSimDrive *self,
             guint32     start,
             guint32     length)
{
  memset (self->flash + start, 0xff, length);
  rf_sim_drive_touch_nvm (self, start, length);
}

static void
program_range (RfSimDrive *self,
               guint32     start,
               guint32     length)
{
  /* NOR: programming can only clear bits; RAM never written clears none. */
  if (self->ram != NULL)
    for (guint32 i = start; i < start + length; i++)
      self->flash[i] &= self->ram[i];
  rf_sim_drive_touch_nvm (self, start, length);
}

typedef void (*RangeWork) (RfSimDrive *self, guint32 start, guint32 length);

#define WORK_SLICES 8

/* Does the erase or program of @block. A power-loss fault with a byte offset
 * stops it there. On a real-time clock the work is done and saved in slices while
 * time passes, so that killing the program mid-command leaves what a power loss
 * would: a partly erased or programmed block. The power button works there too. */
static gboolean
work_on_block (RfSimDrive *self,
               guint       block,
               RangeWork   work,
               RfSimExec  *exec)
{
  guint32 start = rf_nec_block_start (block);
  guint32 size = rf_nec_block_size (block);
  RfSimClock *clock = self->clock;

  exec->flash_changed = TRUE;
  if (exec->fault != NULL && exec->fault->kind == RF_SIM_FAULT_POWER_LOSS)
    {
      work (self, start, (guint32) MIN ((gint64) size, exec->fault->byte_offset));
      exec->power_lost = TRUE;
      return FALSE;
    }
  if (rf_sim_clock_is_real_time (clock) && rf_sim_clock_get_speed (clock) > 0.0)
    {
      guint64 slice_us = (guint64) self->scenario->cost_ms[exec->cost] * 1000 / WORK_SLICES;

      exec->time_spent = TRUE;
      for (guint i = 0; i < WORK_SLICES; i++)
        {
          work (self, start + i * (size / WORK_SLICES), size / WORK_SLICES);
          rf_sim_drive_save_state (self, NULL);
          if (!rf_sim_drive_nap (self, slice_us))
            {
              /* The power button, pressed mid-command. */
              exec->power_lost = TRUE;
              return FALSE;
            }
        }
      return TRUE;
    }
  work (self, start, size);
  return TRUE;
}

/* A write failure or silent flash touches nothing; TRUE when one is in force. */
static gboolean
flash_fault (RfCommand *command,
             RfSimExec *exec)
{
  if (exec->fault == NULL)
    return FALSE;
  if (exec->fault->kind == RF_SIM_FAULT_WRITE_FAILURE)
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_MEDIUM_ERROR, 0x73, 0x04);
      return TRUE;
    }
  return exec->fault->kind == RF_SIM_FAULT_SILENT_FLASH;
}

/* ERASE BLOCK: CB 04 + mask */
static void
erase_block (RfSimDrive *self,
             RfCommand  *command,
             RfSimExec  *exec)
{
  guint block = 0;

  exec->cost = RF_SIM_COST_ERASE_BLOCK;
  if (!parse_block_mask (command, &block) || !self->session_entered)
    {
      refuse (command);
      return;
    }
  if (flash_fault (command, exec))
    return;
  /* The stored sum lives in block 34 (§6): any erase there loses it. */
  if (block == RF_NEC_LAST_ERASE_BLOCK)
    self->has_stored_sum = FALSE;
  self->erasing = TRUE;
  work_on_block (self, block, erase_range, exec);
}

/* PROGRAM BLOCK: CB 02 + mask */
static void
program_block (RfSimDrive *self,
               RfCommand  *command,
               RfSimExec  *exec)
{
  guint block = 0;

  exec->cost = RF_SIM_COST_PROGRAM_BLOCK;
  /* Block 34 is erased, never programmed (§0, §3); its role is open (§9 q4), so
   * a PROGRAM there is refused (strict). */
  if (!parse_block_mask (command, &block) || block == RF_NEC_LAST_ERASE_BLOCK ||
      !self->session_entered)
    {
      refuse (command);
      return;
    }
  if (flash_fault (command, exec))
    return;
  self->erasing = FALSE;
  if (!work_on_block (self, block, program_range, exec))
    return;
  if (block >= RF_NEC_FIRST_MAIN_BLOCK && block <= RF_NEC_LAST_PROGRAM_BLOCK && self->has_checksum)
    {
      self->has_stored_sum = TRUE;
      self->stored_sum = self->checksum;
    }
}

/* READ BOOT: CD 00 "RDBOOT" 00 00 00 00, in safe mode */
static void
read_boot (RfSimDrive *self,
           RfCommand  *command)
{
  static const guint8 rdboot[] = { 0x00, 'R', 'D', 'B', 'O', 'O', 'T' };

  if (memcmp (command->cdb + 1, rdboot, sizeof rdboot) != 0 || !rf_sim_cdb_zero (command, 8, 12) ||
      !self->safe_mode || !wants_data (command, RF_DIRECTION_IN, RF_NEC_BOOTCODE_SIZE))
    {
      refuse (command);
      return;
    }
  rf_sim_reply_data (command, self->flash, RF_NEC_BOOTCODE_SIZE);
}

static void
control (RfSimDrive *self,
         RfCommand  *command,
         RfSimExec  *exec)
{
  switch (command->cdb[1])
    {
    case 0x00:
      read_mem (self, command);
      break;
    case 0x01:
      safe_mode (self, command, exec);
      break;
    case 0x04:
      send_checksum (self, command, exec);
      break;
    default:
      refuse (command);
    }
}

static void
write_command (RfSimDrive *self,
               RfCommand  *command,
               RfSimExec  *exec)
{
  switch (command->cdb[1])
    {
    case 0x00:
      write_settings (self, command, exec);
      break;
    case 0x01:
      write_ram (self, command, exec);
      break;
    case 0x02:
      program_block (self, command, exec);
      break;
    case 0x04:
      erase_block (self, command, exec);
      break;
    default:
      refuse (command);
    }
}

void
rf_sim_nec_execute (RfSimDrive *self,
                    RfCommand  *command,
                    RfSimExec  *exec)
{
  guint8 opcode = command->cdb[0];

  exec->cost = opcode >= 0xc0 ? RF_SIM_COST_READ : RF_SIM_COST_QUERY;
  if ((opcode == RF_NEC_OP_WRITE || opcode == RF_NEC_OP_CONTROL || opcode == RF_NEC_OP_BOOT) &&
      command->cdb_length != RF_NEC_CDB_LENGTH)
    {
      refuse (command);
      return;
    }
  /* Everything but the passive questions works on the memory itself. */
  if (opcode != 0x00 && opcode != 0x12 && opcode != 0x46)
    rf_sim_drive_ensure_flash (self);
  switch (opcode)
    {
    case 0x00:
      test_unit_ready (self, command);
      break;
    case 0x12:
      inquiry (self, command);
      break;
    case 0x46:
      /* No 0x0104: this family flashes by vendor commands, not WRITE BUFFER. */
      rf_sim_reply_configuration (command, self->disc, FALSE, FALSE, firmware_date (self));
      break;
    case RF_NEC_OP_CONTROL:
      control (self, command, exec);
      break;
    case RF_NEC_OP_WRITE:
      write_command (self, command, exec);
      break;
    case RF_NEC_OP_BOOT:
      read_boot (self, command);
      break;
    default:
      rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x20, 0x00);
    }
}
