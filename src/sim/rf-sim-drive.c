/* rf-sim-drive.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-paths.h"
#include "rf-sense.h"
#include "rf-sim-drive-private.h"

/*
 * RfSimDrive is the practice drive: one scenario brought to life. It owns what
 * every protocol shares (faults, the bridge, unit attentions, time, persistence,
 * the LED) and hands each command to the protocol model (rf-sim-nec.c,
 * rf-sim-spc.c), which works on the memories kept here. Shared answers are in
 * rf-sim-reply.c, the saved state in rf-sim-state.c.
 */

G_DEFINE_FINAL_TYPE (RfSimDrive, rf_sim_drive, G_TYPE_OBJECT)

static const char *const led_nicks[] = {
  [RF_SIM_LED_OFF] = "off",
  [RF_SIM_LED_STEADY] = "steady",
  [RF_SIM_LED_BLINKING] = "blinking",
  [RF_SIM_LED_BLINKING_FAST] = "blinking-fast",
};

const char *
rf_sim_led_to_nick (RfSimLed led)
{
  g_return_val_if_fail ((gsize) led < G_N_ELEMENTS (led_nicks), NULL);
  return led_nicks[led];
}

static gboolean
is_nec (RfSimDrive *self)
{
  return self->scenario->protocol == RF_SIM_PROTOCOL_NEC_2M;
}

static void
rf_sim_drive_finalize (GObject *object)
{
  RfSimDrive *self = RF_SIM_DRIVE (object);

  g_clear_object (&self->clock);
  g_free (self->state_path);
  g_array_unref (self->faults);
  g_array_unref (self->fault_origins);
  g_array_unref (self->fired);
  rf_sim_region_free (self->flash, RF_NEC_FLASH_SIZE);
  rf_sim_region_free (self->ram, RF_NEC_FLASH_SIZE);
  rf_sim_region_free (self->spc_stored, self->scenario->image_size);
  if (!self->spc_running_shared)
    rf_sim_region_free (self->spc_running, self->scenario->image_size);
  rf_sim_region_free (self->spc_buffer, self->scenario->buffer_capacity);
  rf_sim_scenario_free (self->scenario);
  g_clear_pointer (&self->saved_metadata, g_bytes_unref);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_sim_drive_parent_class)->finalize (object);
}

static void
rf_sim_drive_class_init (RfSimDriveClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_sim_drive_finalize;
}

static void
rf_sim_drive_init (RfSimDrive *self)
{
  g_mutex_init (&self->lock);
  self->faults = g_array_new (FALSE, FALSE, sizeof (RfSimFault));
  self->fault_origins = g_array_new (FALSE, FALSE, sizeof (guint));
  self->fired = g_array_new (FALSE, FALSE, sizeof (guint));
}

void
rf_sim_drive_queue_unit_attention (RfSimDrive *self,
                                   guint8      asc,
                                   guint8      ascq)
{
  if (self->n_unit_attentions < RF_SIM_MAX_UNIT_ATTENTIONS)
    self->unit_attentions[self->n_unit_attentions++] = (guint16) (asc << 8 | ascq);
}

/* ---- memories and power ---- */

static void
update_led (RfSimDrive *self)
{
  RfSimLed led;

  if (self->vanished)
    led = RF_SIM_LED_OFF;
  else if (is_nec (self))
    led = rf_sim_nec_led (self);
  else
    led = rf_sim_spc_led (self);
  g_atomic_int_set (&self->led, (gint) led);
}

/**
 * rf_sim_drive_ensure_flash:
 *
 * Maps an NEC drive's flash for a command that works on it: as last saved, or
 * as the scenario builds it when it was never saved. Lock held.
 *
 * Returns: the flash
 */
guint8 *
rf_sim_drive_ensure_flash (RfSimDrive *self)
{
  gboolean has_sum;
  guint16 sum;

  if (self->flash != NULL || !is_nec (self))
    return self->flash;
  self->flash = rf_sim_region_new (RF_NEC_FLASH_SIZE);
  if (self->flash_saved && rf_sim_drive_read_saved_flash (self))
    return self->flash;
  /* Never saved, or its file was removed meanwhile (a reset by another
   * program): the scenario's flash. */
  rf_sim_nec_build_flash (self->scenario, self->flash, &has_sum, &sum);
  return self->flash;
}

/* Unmaps what a drive nobody works on does not need: the flash, after its
 * summary is taken and its changes saved (not for a drive kept only in
 * memory, whose flash could not be read back), and RAM, unless a flash
 * session is open: RAM is volatile, and holds the upload. Lock held. */
static void
release_memory (RfSimDrive *self)
{
  if (!is_nec (self))
    return;
  if (!self->session_entered)
    {
      rf_sim_region_free (self->ram, RF_NEC_FLASH_SIZE);
      self->ram = NULL;
    }
  if (self->flash == NULL || self->state_path == NULL)
    return;
  if (self->dirty_end > 0 && !rf_sim_drive_save_state (self, NULL))
    return;
  rf_sim_nec_summarize (self->flash, &self->summary);
  rf_sim_region_free (self->flash, RF_NEC_FLASH_SIZE);
  self->flash = NULL;
}

static void
power_up (RfSimDrive *self)
{
  self->vanished = FALSE;
  self->storm_remaining = 0;
  self->n_unit_attentions = 0;
  rf_sim_drive_queue_unit_attention (self, 0x29, 0x00);
  if (is_nec (self))
    rf_sim_nec_power_up (self);
  else
    rf_sim_spc_power_up (self);
  update_led (self);
}

/* Non-volatile memory as the scenario describes it. */
static void
build_from_scenario (RfSimDrive *self)
{
  const RfSimScenario *scenario = self->scenario;

  self->disc = scenario->disc;
  g_array_set_size (self->faults, 0);
  g_array_set_size (self->fault_origins, 0);
  g_array_set_size (self->fired, 0);
  g_array_append_vals (self->faults, scenario->faults->data, scenario->faults->len);
  for (guint i = 0; i < scenario->faults->len; i++)
    g_array_append_val (self->fault_origins, i);
  if (is_nec (self))
    {
      if (self->flash == NULL)
        self->flash = rf_sim_region_new (RF_NEC_FLASH_SIZE);
      rf_sim_nec_build_flash (scenario, self->flash, &self->has_stored_sum, &self->stored_sum);
      return;
    }
  /* A twin's stored microcode is its backup, as the drive ran it. */
  if (scenario->image_file == NULL ||
      !rf_sim_scenario_read_firmware (scenario, self->spc_stored, scenario->image_size))
    rf_sim_spc_build_image (scenario, scenario->revision, self->spc_stored);
  self->spc_stored_valid = !scenario->boot_mode;
}

/**
 * rf_sim_drive_new:
 * @scenario: what the drive starts as
 * @state_path: (nullable): where its non-volatile memory lives; loaded when the
 *   file exists. %NULL keeps it in memory only.
 * @clock: (nullable): the clock; %NULL makes a real-time clock at speed 0
 *   (instant): set a speed to rehearse in real time
 *
 * Returns: (transfer full): a powered-up practice drive
 */
RfSimDrive *
rf_sim_drive_new (const RfSimScenario *scenario,
                  const char          *state_path,
                  RfSimClock          *clock,
                  GError             **error)
{
  g_autoptr(RfSimDrive) self = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);
  g_return_val_if_fail (clock == NULL || RF_IS_SIM_CLOCK (clock), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (RF_TYPE_SIM_DRIVE, NULL);
  self->scenario = rf_sim_scenario_copy (scenario);
  self->state_path = g_strdup (state_path);
  if (clock != NULL)
    self->clock = g_object_ref (clock);
  else
    {
      self->clock = rf_sim_clock_new (TRUE);
      rf_sim_clock_set_speed (self->clock, 0.0);
    }
  if (!is_nec (self))
    {
      self->spc_stored = rf_sim_region_new (scenario->image_size);
      self->spc_buffer = rf_sim_region_new (scenario->buffer_capacity);
    }
  build_from_scenario (self);
  if (state_path != NULL && !rf_sim_drive_load_state (self, error))
    return NULL;
  power_up (self);
  /* Listed and asked who it is, a drive needs no flash in memory. */
  release_memory (self);
  return g_steal_pointer (&self);
}

/**
 * rf_sim_drive_open:
 * @id: a shipped scenario ("seed")
 * @state_dir: (nullable): the folder of saved practice drives; %NULL for
 *   $XDG_STATE_HOME/reflash/practice
 *
 * Opens the practice drive @id as it was left, or as its scenario describes it
 * when it was never used or was reset.
 *
 * Returns: (transfer full): the drive
 */
RfSimDrive *
rf_sim_drive_open (const char *id,
                   const char *state_dir,
                   GError    **error)
{
  g_autoptr(RfSimScenario) scenario = NULL;
  g_autofree char *default_dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  scenario = rf_sim_scenario_load (id, error);
  if (scenario == NULL)
    return NULL;
  if (state_dir == NULL)
    state_dir = default_dir = rf_paths_get_state_dir ("practice");
  path = g_build_filename (state_dir, scenario->id, NULL);
  return rf_sim_drive_new (scenario, path, NULL, error);
}

const RfSimScenario *
rf_sim_drive_get_scenario (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), NULL);
  return self->scenario;
}

const char *
rf_sim_drive_get_id (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), NULL);
  return self->scenario->id;
}

RfSimClock *
rf_sim_drive_get_clock (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), NULL);
  return self->clock;
}

const char *
rf_sim_drive_get_state_path (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), NULL);
  return self->state_path;
}

/* ---- faults ---- */

/* A one-shot fault fired. One from the scenario stays fired across restarts (the
 * power cut of a rehearsal happens once, not again in the recovery that follows
 * the next start); reset re-arms it. */
static void
disarm (RfSimDrive *self,
        guint       index)
{
  guint origin = g_array_index (self->fault_origins, guint, index);
  g_autoptr(GError) error = NULL;

  g_array_remove_index (self->faults, index);
  g_array_remove_index (self->fault_origins, index);
  if (origin == G_MAXUINT)
    return;
  g_array_append_val (self->fired, origin);
  if (!rf_sim_drive_save_state (self, &error))
    g_debug ("%s", error->message);
}

/* After loading a saved state: the scenario faults that already fired. */
void
rf_sim_drive_disarm_fired (RfSimDrive *self)
{
  for (guint i = self->faults->len; i-- > 0;)
    {
      guint origin = g_array_index (self->fault_origins, guint, i);

      for (guint j = 0; j < self->fired->len; j++)
        if (g_array_index (self->fired, guint, j) == origin)
          {
            g_array_remove_index (self->faults, i);
            g_array_remove_index (self->fault_origins, i);
            break;
          }
    }
}

static gboolean
take_fault (RfSimDrive *self,
            RfSimPhase  phase,
            RfSimFault *out)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      const RfSimFault *fault = &g_array_index (self->faults, RfSimFault, i);
      guint seen;

      if (fault->command != 0)
        {
          if (fault->command != self->command_count)
            continue;
        }
      else
        {
          if (fault->phase != RF_SIM_PHASE_ANY && fault->phase != phase)
            continue;
          if (fault->occurrence == 0)
            {
              *out = *fault;
              return TRUE;
            }
          seen = fault->phase == RF_SIM_PHASE_ANY ? self->command_count : self->phase_counts[phase];
          if (seen != fault->occurrence)
            continue;
        }
      *out = *fault;
      disarm (self, i);
      return TRUE;
    }
  return FALSE;
}

/* The host waits out its timeout. On a real-time clock in naps, so that the power
 * button still works meanwhile (the lock is held). At speed 0 there is nothing to
 * nap, but the clock must still count the timeout as modelled time. */
static guint64
wait_out_timeout (RfSimDrive *self,
                  guint       timeout_ms)
{
  guint64 modelled_us = (guint64) timeout_ms * 1000;

  if (!rf_sim_clock_is_real_time (self->clock) ||
      rf_sim_clock_scale (self->clock, modelled_us) == 0)
    return rf_sim_clock_spend (self->clock, modelled_us);
  rf_sim_drive_nap (self, modelled_us);
  return rf_sim_clock_scale (self->clock, modelled_us);
}

/* The commands that reach into firmware: NEC's vendor opcodes and WRITE BUFFER.
 * A bridge that filters vendor commands drops them all, and the kernel refuses
 * them all on a read-only or sr node without CAP_SYS_RAWIO, while INQUIRY, TEST
 * UNIT READY, GET CONFIGURATION and READ BUFFER pass (ARCHITECTURE.md
 * "Privileges"). */
static gboolean
is_firmware_opcode (guint8 opcode)
{
  return opcode == RF_NEC_OP_WRITE || opcode == RF_NEC_OP_CONTROL || opcode == RF_NEC_OP_BOOT ||
         opcode == 0x3b;
}

/* Faults that leave the command without a status. */
static gboolean
link_fault (RfSimDrive       *self,
            RfCommand        *command,
            const RfSimFault *fault,
            GError          **error)
{
  const char *name = rf_command_opcode_name (command->cdb[0]);

  switch (fault->kind)
    {
    case RF_SIM_FAULT_TIMEOUT:
      command->duration_us = wait_out_timeout (self, command->timeout_ms);
      g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT,
                   "%s: no answer within %u ms (practice drive fault)", name, command->timeout_ms);
      return FALSE;
    case RF_SIM_FAULT_TRANSPORT_ERROR:
      g_set_error (error, RF_ERROR, RF_ERROR_READ,
                   "%s: transport error, no status came back (practice drive fault)", name);
      return FALSE;
    case RF_SIM_FAULT_VANISH:
      self->vanished = TRUE;
      update_led (self);
      g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE,
                   "%s: the practice drive is gone (fault)", name);
      return FALSE;
    case RF_SIM_FAULT_NO_ACCESS:
      g_set_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED,
                   "%s: cannot open the practice drive: %s (fault)", name, g_strerror (EACCES));
      return FALSE;
    case RF_SIM_FAULT_IN_USE:
      g_set_error (error, RF_ERROR, RF_ERROR_BUSY,
                   "%s: cannot open the practice drive: %s (fault)", name, g_strerror (EBUSY));
      return FALSE;
    case RF_SIM_FAULT_NO_RAWIO:
      if (!is_firmware_opcode (command->cdb[0]))
        return TRUE;
      g_set_error (error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES,
                   "%s: %s: the kernel refused the command without CAP_SYS_RAWIO (practice drive fault)",
                   name, g_strerror (EPERM));
      return FALSE;
    case RF_SIM_FAULT_POWER_LOSS:
    case RF_SIM_FAULT_UNIT_ATTENTION_STORM:
    case RF_SIM_FAULT_WRITE_FAILURE:
    case RF_SIM_FAULT_SILENT_FLASH:
    case RF_SIM_FAULT_LOST_STATUS:
    case RF_SIM_FAULT_FLIPPED_READ:
    case RF_SIM_FAULT_KILLED:
    case RF_SIM_FAULT_INVALID_OPCODE:
    case RF_SIM_FAULT_INVALID_FIELD:
    default:
      return TRUE;
    }
}

/* The drive read right; one bit went wrong on its way to the host. */
static void
flip_read_data (RfCommand *command)
{
  gsize moved;

  if (command->direction != RF_DIRECTION_IN || command->data == NULL ||
      command->status != RF_STATUS_GOOD)
    return;
  moved = command->data_length - MIN (command->residual, command->data_length);
  if (moved > 0)
    command->data[moved / 2] ^= 0x10;
}

/**
 * rf_sim_drive_nap:
 *
 * Lets @modelled_us pass on a real-time clock in short naps, watching the power
 * button; like every sleep of the drive's work, it makes up for sleeps that
 * woke late (rf_sim_clock_nap()). Called with the lock held, by long work that
 * a power cut may stop.
 *
 * Returns: %FALSE when the power was cut meanwhile
 */
gboolean
rf_sim_drive_nap (RfSimDrive *self,
                  guint64     modelled_us)
{
  return rf_sim_clock_nap (self->clock, rf_sim_clock_scale (self->clock, modelled_us),
                           &self->power_cut);
}

static gboolean
power_lost (RfSimDrive *self,
            RfCommand  *command,
            gboolean    killed,
            GError    **error)
{
  g_autoptr(GError) save_error = NULL;

  power_up (self);
  if (!rf_sim_drive_save_state (self, &save_error))
    g_debug ("%s", save_error->message);
  /* The flash is saved as the power loss left it; now the program dies as a
   * crash kills it: no handler, no clean-up, nothing flushed. */
  if (killed)
    kill (getpid (), SIGKILL);
  g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE,
               "%s: no status: the practice drive lost power; it starts up again",
               rf_command_opcode_name (command->cdb[0]));
  return FALSE;
}

/* The drive executed the command; the host waits out its timeout. */
static gboolean
status_lost (RfSimDrive *self,
             RfCommand  *command,
             GError    **error)
{
  command->duration_us += wait_out_timeout (self, command->timeout_ms);
  g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT,
               "%s: no answer within %u ms (practice drive fault; it was executed)",
               rf_command_opcode_name (command->cdb[0]), command->timeout_ms);
  return FALSE;
}

/* ---- executing a command ---- */

/* Answers the drive gives before its protocol model sees the command. TRUE when
 * the command got its status here. */
static gboolean
answered_early (RfSimDrive *self,
                RfCommand  *command)
{
  guint8 opcode = command->cdb[0];
  guint16 attention;

  if (self->scenario->bridge_blocks_vendor && is_firmware_opcode (opcode))
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x20, 0x00);
      return TRUE;
    }
  if (opcode == 0x12)
    return FALSE;
  if (!is_nec (self) && rf_sim_spc_is_settling (self))
    {
      rf_command_set_check_condition (command, RF_SENSE_KEY_NOT_READY, 0x04, 0x01);
      return TRUE;
    }
  if (self->storm_remaining > 0)
    {
      self->storm_remaining--;
      rf_command_set_check_condition (command, RF_SENSE_KEY_UNIT_ATTENTION, 0x29, 0x00);
      return TRUE;
    }
  if (self->n_unit_attentions > 0)
    {
      attention = self->unit_attentions[0];
      memmove (self->unit_attentions, self->unit_attentions + 1,
               --self->n_unit_attentions * sizeof self->unit_attentions[0]);
      rf_command_set_check_condition (command, RF_SENSE_KEY_UNIT_ATTENTION,
                                      (guint8) (attention >> 8), (guint8) attention);
      return TRUE;
    }
  return FALSE;
}

/* A refusal fault: the command is answered ILLEGAL REQUEST and not executed.
 * TRUE when @fault is one. */
static gboolean
refuse (RfCommand        *command,
        const RfSimFault *fault)
{
  if (fault->kind == RF_SIM_FAULT_INVALID_OPCODE)
    rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x20, 0x00);
  else if (fault->kind == RF_SIM_FAULT_INVALID_FIELD)
    rf_command_set_check_condition (command, RF_SENSE_KEY_ILLEGAL_REQUEST, 0x24, 0x00);
  else
    return FALSE;
  return TRUE;
}

static void
finish_time (RfSimDrive *self,
             RfCommand  *command,
             RfSimExec  *exec)
{
  guint64 modelled_us = ((guint64) self->scenario->cost_ms[exec->cost] + exec->extra_ms) * 1000;

  if (exec->time_spent)
    command->duration_us = rf_sim_clock_scale (self->clock, modelled_us);
  else
    command->duration_us = rf_sim_clock_spend (self->clock, modelled_us);
  if (exec->settle)
    self->settle_until_us =
      rf_sim_clock_get_now_us (self->clock) +
      (gint64) rf_sim_clock_scale (self->clock,
                                   (guint64) self->scenario->cost_ms[RF_SIM_COST_SETTLE] * 1000);
}

static gboolean
execute_locked (RfSimDrive *self,
                RfCommand  *command,
                GError    **error)
{
  RfSimExec exec = { 0 };
  RfSimFault fault;
  gboolean has_fault;
  gboolean killed = FALSE;
  RfSimPhase phase;

  if (self->vanished)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE, "the practice drive is gone");
      return FALSE;
    }
  phase = is_nec (self) ? rf_sim_nec_classify (command) : rf_sim_spc_classify (command);
  self->command_count++;
  self->phase_counts[phase]++;
  /* The fault matrix (tests/test-faults.c) reads these to place its faults. */
  g_debug ("%s: command %u is %s #%u", self->scenario->id, self->command_count,
           rf_sim_phase_to_nick (phase), self->phase_counts[phase]);
  has_fault = take_fault (self, phase, &fault);
  if (has_fault)
    g_debug ("%s: fault %s fires on command %u", self->scenario->id,
             rf_sim_fault_kind_to_nick (fault.kind), self->command_count);
  if (has_fault && fault.kind == RF_SIM_FAULT_KILLED)
    {
      /* For the drive a kill of its process is a power loss. */
      killed = TRUE;
      fault.kind = RF_SIM_FAULT_POWER_LOSS;
    }
  if (has_fault && !link_fault (self, command, &fault, error))
    return FALSE;
  if (has_fault && fault.kind == RF_SIM_FAULT_POWER_LOSS && fault.byte_offset < 0)
    return power_lost (self, command, killed, error);
  if (has_fault && fault.kind == RF_SIM_FAULT_UNIT_ATTENTION_STORM)
    self->storm_remaining = fault.count;
  /* A dead drive answers nothing, whatever stands between it and the host. */
  if (is_nec (self) && rf_sim_nec_is_dead (self))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT,
                   "%s: no answer: the practice drive's bootcode is erased",
                   rf_command_opcode_name (command->cdb[0]));
      return FALSE;
    }
  if (has_fault && refuse (command, &fault))
    {
      exec.cost = RF_SIM_COST_QUERY;
    }
  else if (answered_early (self, command))
    {
      exec.cost = RF_SIM_COST_QUERY;
    }
  else
    {
      exec.fault = has_fault ? &fault : NULL;
      if (is_nec (self))
        rf_sim_nec_execute (self, command, &exec);
      else
        rf_sim_spc_execute (self, command, &exec);
    }
  finish_time (self, command, &exec);
  if (exec.power_lost || (has_fault && fault.kind == RF_SIM_FAULT_POWER_LOSS))
    return power_lost (self, command, killed, error);
  if (exec.flash_changed && !rf_sim_drive_save_state (self, error))
    return FALSE;
  if (has_fault && fault.kind == RF_SIM_FAULT_LOST_STATUS)
    return status_lost (self, command, error);
  if (has_fault && fault.kind == RF_SIM_FAULT_FLIPPED_READ)
    flip_read_data (command);
  if (exec.drop_connection)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_READ,
                   "%s: the connection dropped: the drive restarted before it answered",
                   rf_command_opcode_name (command->cdb[0]));
      return FALSE;
    }
  return TRUE;
}

/**
 * rf_sim_drive_execute:
 * @command: the command; its results are filled in
 *
 * Runs one command as the drive would. Thread-safe; a transport calls it from its
 * worker thread.
 *
 * Returns: %TRUE when the drive answered with a status, %FALSE with an #RF_ERROR
 *   when no status came back (see #RfTransportClass)
 */
gboolean
rf_sim_drive_execute (RfSimDrive *self,
                      RfCommand  *command,
                      GError    **error)
{
  gboolean answered;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->lock);
  answered = execute_locked (self, command, error);
  update_led (self);
  g_mutex_unlock (&self->lock);
  return answered;
}

/**
 * rf_sim_drive_power_cycle:
 *
 * Off and on again: RAM, safe mode, downloads in progress are lost, flash kept;
 * a drive that vanished comes back. The identity is recomputed from flash.
 * Pressed while another thread runs a long erase or program on a real-time
 * clock, it cuts that command short: the block stays partly done.
 */
void
rf_sim_drive_power_cycle (RfSimDrive *self)
{
  g_return_if_fail (RF_IS_SIM_DRIVE (self));

  g_atomic_int_set (&self->power_cut, 1);
  g_mutex_lock (&self->lock);
  power_up (self);
  g_atomic_int_set (&self->power_cut, 0);
  g_mutex_unlock (&self->lock);
}

/**
 * rf_sim_drive_reset:
 *
 * Back to the scenario, faults included: the saved state is deleted and the drive
 * powers up as new.
 */
gboolean
rf_sim_drive_reset (RfSimDrive *self,
                    GError    **error)
{
  gboolean ok;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), FALSE);

  g_mutex_lock (&self->lock);
  ok = rf_sim_drive_forget_state (self, error);
  if (ok)
    {
      build_from_scenario (self);
      memset (self->phase_counts, 0, sizeof self->phase_counts);
      self->command_count = 0;
      power_up (self);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/* Whether another program saved this drive since it was last saved or
 * loaded here: the metadata on disk is not the one this drive knows. Lock
 * held. */
static gboolean
saved_elsewhere (RfSimDrive *self)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GBytes) on_disk = NULL;

  if (self->state_path == NULL)
    return FALSE;
  if (!g_file_get_contents (self->state_path, &contents, &length, NULL))
    return self->saved_metadata != NULL;
  on_disk = g_bytes_new_take (g_steal_pointer (&contents), length);
  return self->saved_metadata == NULL || !g_bytes_equal (on_disk, self->saved_metadata);
}

/**
 * rf_sim_drive_catch_up:
 *
 * Takes over what another program saved of this practice drive since it was
 * last saved or loaded here (a `reflash-cli practice` command, a flash by the
 * CLI while the wizard is open): the drive is then as that program left it,
 * powered up anew. Call it under the drive's lock, with no job on it.
 *
 * Returns: %FALSE with @error when the saved state cannot be read; the drive
 *   is then as its scenario describes it
 */
gboolean
rf_sim_drive_catch_up (RfSimDrive *self,
                       GError    **error)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), FALSE);

  g_mutex_lock (&self->lock);
  if (saved_elsewhere (self))
    {
      g_debug ("practice drive %s was changed by another program", self->scenario->id);
      g_clear_pointer (&self->saved_metadata, g_bytes_unref);
      self->saved_valid = FALSE;
      self->flash_saved = FALSE;
      self->dirty_start = self->dirty_end = 0;
      build_from_scenario (self);
      ok = rf_sim_drive_load_state (self, error);
      power_up (self);
      release_memory (self);
    }
  g_mutex_unlock (&self->lock);
  return ok;
}

/**
 * rf_sim_drive_get_led:
 *
 * What the drive's light does now. Safe to call from the UI thread while a worker
 * runs commands: it never waits for a command to finish, and then returns what the
 * light did when the last command ended.
 */
RfSimLed
rf_sim_drive_get_led (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), RF_SIM_LED_OFF);

  /* Time passes between commands too (an SPC drive settling). */
  if (g_mutex_trylock (&self->lock))
    {
      update_led (self);
      g_mutex_unlock (&self->lock);
    }
  return (RfSimLed) g_atomic_int_get (&self->led);
}

void
rf_sim_drive_set_speed (RfSimDrive *self,
                        double      speed)
{
  g_return_if_fail (RF_IS_SIM_DRIVE (self));
  g_return_if_fail (speed >= 0.0);
  rf_sim_clock_set_speed (self->clock, speed);
}

/* Loading or removing a disc; kept across restarts like the flash. */
void
rf_sim_drive_set_disc (RfSimDrive *self,
                       gboolean    loaded)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RF_IS_SIM_DRIVE (self));

  g_mutex_lock (&self->lock);
  if (self->disc != loaded)
    {
      self->disc = loaded;
      rf_sim_drive_queue_unit_attention (self, 0x28, 0x00);
      if (!rf_sim_drive_save_state (self, &error))
        g_debug ("%s", error->message);
      update_led (self);
    }
  g_mutex_unlock (&self->lock);
}

/* Whether a disc is inside (the tray is closed on it). */
gboolean
rf_sim_drive_has_disc (RfSimDrive *self)
{
  gboolean loaded;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), FALSE);

  g_mutex_lock (&self->lock);
  loaded = self->disc;
  g_mutex_unlock (&self->lock);
  return loaded;
}

void
rf_sim_drive_add_fault (RfSimDrive       *self,
                        const RfSimFault *fault)
{
  guint origin = G_MAXUINT;

  g_return_if_fail (RF_IS_SIM_DRIVE (self));
  g_return_if_fail (fault != NULL);

  g_mutex_lock (&self->lock);
  g_array_append_val (self->faults, *fault);
  g_array_append_val (self->fault_origins, origin);
  g_mutex_unlock (&self->lock);
}

void
rf_sim_drive_clear_faults (RfSimDrive *self)
{
  g_return_if_fail (RF_IS_SIM_DRIVE (self));

  g_mutex_lock (&self->lock);
  g_array_set_size (self->faults, 0);
  g_array_set_size (self->fault_origins, 0);
  self->storm_remaining = 0;
  g_mutex_unlock (&self->lock);
}

/* Commands received since the drive was opened or reset. */
guint
rf_sim_drive_get_command_count (RfSimDrive *self)
{
  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), 0);
  return self->command_count;
}

/**
 * rf_sim_drive_dup_flash:
 *
 * Returns: (transfer full): a copy of the non-volatile memory: the 2 MiB flash of
 *   an NEC drive, the stored microcode of an SPC drive
 */
GBytes *
rf_sim_drive_dup_flash (RfSimDrive *self)
{
  GBytes *copy;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), NULL);

  g_mutex_lock (&self->lock);
  if (is_nec (self))
    copy = g_bytes_new (rf_sim_drive_ensure_flash (self), RF_NEC_FLASH_SIZE);
  else
    copy = g_bytes_new (self->spc_stored, self->scenario->image_size);
  g_mutex_unlock (&self->lock);
  return copy;
}

/**
 * rf_sim_drive_release_memory:
 *
 * Lets go of the memory a drive nobody works on does not need: its flash and
 * RAM are unmapped until the next command that works on them (the wizard
 * calls it when the drive's pages are left). A drive in the middle of a flash
 * session keeps everything.
 */
void
rf_sim_drive_release_memory (RfSimDrive *self)
{
  g_return_if_fail (RF_IS_SIM_DRIVE (self));

  g_mutex_lock (&self->lock);
  release_memory (self);
  g_mutex_unlock (&self->lock);
}

/**
 * rf_sim_drive_get_mapped_size:
 *
 * Returns: the bytes of memory images the drive holds now: flash and RAM of an
 *   NEC drive, stored and running microcode and the download buffer of an SPC
 *   drive (a running copy that is the stored one counts once)
 */
gsize
rf_sim_drive_get_mapped_size (RfSimDrive *self)
{
  gsize size = 0;

  g_return_val_if_fail (RF_IS_SIM_DRIVE (self), 0);

  g_mutex_lock (&self->lock);
  if (is_nec (self))
    size = (self->flash != NULL ? RF_NEC_FLASH_SIZE : 0) + (self->ram != NULL ? RF_NEC_FLASH_SIZE : 0);
  else
    size = (self->spc_stored != NULL ? self->scenario->image_size : 0) +
           (self->spc_running != NULL && !self->spc_running_shared ? self->scenario->image_size : 0) +
           (self->spc_buffer != NULL ? self->scenario->buffer_capacity : 0);
  g_mutex_unlock (&self->lock);
  return size;
}
