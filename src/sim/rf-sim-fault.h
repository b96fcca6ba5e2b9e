/* rf-sim-fault.h: faults a practice drive can be told to suffer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * RfSimFaultKind:
 * @RF_SIM_FAULT_POWER_LOSS: power fails during the command; with a byte offset an
 *   erase or program stops part-way. Power returns at once: the drive starts up
 *   again (UNIT ATTENTION 29/00 pending) and the command gets no status.
 * @RF_SIM_FAULT_TIMEOUT: the command gets no answer within its timeout; the drive
 *   does not execute it
 * @RF_SIM_FAULT_TRANSPORT_ERROR: the link fails; no status, nothing executed
 * @RF_SIM_FAULT_UNIT_ATTENTION_STORM: the next @count commands (this one included,
 *   INQUIRY excepted) answer 06/29/00
 * @RF_SIM_FAULT_VANISH: the drive drops off the bus until it is power-cycled
 * @RF_SIM_FAULT_WRITE_FAILURE: an erase, program or microcode save answers
 *   03/73/04 and writes nothing
 * @RF_SIM_FAULT_SILENT_FLASH: an erase, program or microcode save answers GOOD and
 *   writes nothing
 * @RF_SIM_FAULT_LOST_STATUS: the drive executes the command, but its status never
 *   reaches the host, which waits out its timeout: the outcome is unknown
 * @RF_SIM_FAULT_NO_ACCESS: the node cannot be opened (permission denied); the
 *   command never reaches the drive
 * @RF_SIM_FAULT_NO_RAWIO: a read-only or sr node opened without CAP_SYS_RAWIO:
 *   the kernel refuses the vendor opcodes 0xCB, 0xCC and 0xCD and WRITE BUFFER
 *   (0x3B) with EPERM before the drive sees them; INQUIRY, TEST UNIT READY, GET
 *   CONFIGURATION, READ BUFFER and the rest pass. An SPC flash rehearsed this way
 *   fails at its first WRITE BUFFER, as on a real drive.
 * @RF_SIM_FAULT_IN_USE: another program holds the node open exclusively (EBUSY);
 *   the command never reaches the drive
 * @RF_SIM_FAULT_FLIPPED_READ: a read answers GOOD, but one bit of the data that
 *   reaches the host is wrong (noise on a marginal cable or adapter); the flash
 *   is unchanged, so a second read of the same place differs
 * @RF_SIM_FAULT_KILLED: the program the practice drive lives in is killed
 *   (SIGKILL) while the command runs, which for the drive is a power loss: as
 *   @RF_SIM_FAULT_POWER_LOSS (with @byte_offset, an erase or program stops
 *   part-way), its flash saved, then the process dies. For the fault matrix:
 *   a crash of Reflash exactly there, leaving journals and files as a real
 *   crash leaves them
 * @RF_SIM_FAULT_INVALID_OPCODE: the drive refuses the command with 05/20/00
 *   (invalid command operation code) and executes nothing, as firmware or a
 *   bridge that suddenly stops taking a vendor command does
 * @RF_SIM_FAULT_INVALID_FIELD: the drive refuses the command with 05/24/00
 *   (invalid field in CDB) and executes nothing
 */
typedef enum {
  RF_SIM_FAULT_POWER_LOSS,
  RF_SIM_FAULT_TIMEOUT,
  RF_SIM_FAULT_TRANSPORT_ERROR,
  RF_SIM_FAULT_UNIT_ATTENTION_STORM,
  RF_SIM_FAULT_VANISH,
  RF_SIM_FAULT_WRITE_FAILURE,
  RF_SIM_FAULT_SILENT_FLASH,
  RF_SIM_FAULT_LOST_STATUS,
  RF_SIM_FAULT_NO_ACCESS,
  RF_SIM_FAULT_NO_RAWIO,
  RF_SIM_FAULT_IN_USE,
  RF_SIM_FAULT_FLIPPED_READ,
  RF_SIM_FAULT_KILLED,
  RF_SIM_FAULT_INVALID_OPCODE,
  RF_SIM_FAULT_INVALID_FIELD,
} RfSimFaultKind;

/**
 * RfSimPhase:
 *
 * What a command does, for fault triggers: @RF_SIM_PHASE_UPLOAD is WRITE RAM or a
 * WRITE BUFFER carrying data, @RF_SIM_PHASE_ACTIVATE is WRITE BUFFER mode 0x0F,
 * @RF_SIM_PHASE_READ is READ MEM, READ BOOT or READ BUFFER, @RF_SIM_PHASE_QUERY is
 * INQUIRY, TEST UNIT READY and GET CONFIGURATION, @RF_SIM_PHASE_OTHER the rest.
 */
typedef enum {
  RF_SIM_PHASE_ANY,
  RF_SIM_PHASE_QUERY,
  RF_SIM_PHASE_READ,
  RF_SIM_PHASE_SAFE_MODE_ENTER,
  RF_SIM_PHASE_UPLOAD,
  RF_SIM_PHASE_CHECKSUM,
  RF_SIM_PHASE_ERASE,
  RF_SIM_PHASE_PROGRAM,
  RF_SIM_PHASE_SAFE_MODE_LEAVE,
  RF_SIM_PHASE_ACTIVATE,
  RF_SIM_PHASE_OTHER,
} RfSimPhase;

/**
 * RfSimFault:
 * @kind: what happens
 * @phase: which commands it may hit
 * @occurrence: fires on the n-th command of @phase (1-based); 0 means on every
 *   command of @phase (useful for write failures and silent flashes)
 * @command: when not 0, fires on the n-th command the drive receives since it was
 *   opened (1-based), whatever its phase; @phase and @occurrence are ignored
 * @byte_offset: power loss and kill only: how many bytes of the erase or program were done
 *   when power failed; -1 means before the command started
 * @count: unit attention storm only: how many commands answer 06/29/00
 *
 * A fault fires once, except with @occurrence 0.
 */
typedef struct {
  RfSimFaultKind kind;
  RfSimPhase phase;
  guint occurrence;
  guint command;
  gint64 byte_offset;
  guint count;
} RfSimFault;

const char *rf_sim_fault_kind_to_nick   (RfSimFaultKind kind);
gboolean    rf_sim_fault_kind_from_nick (const char    *nick,
                                         RfSimFaultKind *kind);
const char *rf_sim_phase_to_nick        (RfSimPhase     phase);
gboolean    rf_sim_phase_from_nick      (const char    *nick,
                                         RfSimPhase    *phase);
void        rf_sim_fault_init           (RfSimFault    *fault,
                                         RfSimFaultKind kind,
                                         RfSimPhase     phase,
                                         guint          occurrence);

G_END_DECLS
