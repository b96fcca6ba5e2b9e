/* rf-test-fault-rig.h: one practice drive, one image, and a flash through
 * reflash-cli with faults injected at chosen commands, then recovered by
 * reflash-cli alone; for the fault matrix and the fault soak
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-sim-fault.h"

G_BEGIN_DECLS

/**
 * RfTestFaultCommand:
 * @number: the command's number since the drive was opened (1-based): a
 *   fault's `Command` key
 * @phase: the flash's phase it belongs to (a nick of #RfPhase), or
 *   "identify" for those reflash-cli sends before the flash begins
 * @sim_phase: what the command does, as the practice drive sees it
 *
 * One command of an undisturbed flash, as the census found it.
 */
typedef struct {
  guint number;
  char *phase;
  RfSimPhase sim_phase;
} RfTestFaultCommand;

/**
 * RfTestFault:
 * @kind: what happens
 * @command: at which command (RfTestFaultCommand.number) of the reflash-cli
 *   process that reaches it first
 * @byte_offset: power loss and kill only: bytes of an erase, program or save
 *   done; -1 for none
 */
typedef struct {
  RfSimFaultKind kind;
  guint command;
  gint64 byte_offset;
} RfTestFault;

typedef enum {
  RF_TEST_FAULT_FLASHED,        /* the drive runs the new image, byte for byte */
  RF_TEST_FAULT_UNCHANGED,      /* the drive is as it was found, in its mode */
  RF_TEST_FAULT_NOT_RECOVERED,
} RfTestFaultOutcome;

/**
 * RfTestFaultResult:
 * @outcome: how the drive ended
 * @fired: how many of the faults fired
 * @data_lost: backups that no longer load or match, plus 1 when the drive
 *   ended with neither its old nor its new firmware
 * @runs: reflash-cli flash, resume and recover runs it took
 * @flash_status: the exit status of the flash, -1 when it was killed
 * @problem: (nullable): what went wrong, for the log
 */
typedef struct {
  RfTestFaultOutcome outcome;
  guint fired;
  guint data_lost;
  guint runs;
  int flash_status;
  char *problem;
} RfTestFaultResult;

typedef struct _RfTestFaultRig RfTestFaultRig;

RfTestFaultRig *rf_test_fault_rig_new          (const char          *cli,
                                                const char          *scenario,
                                                GError             **error);
void            rf_test_fault_rig_free         (RfTestFaultRig      *self);
const char     *rf_test_fault_rig_get_scenario (RfTestFaultRig      *self);
GPtrArray      *rf_test_fault_rig_get_census   (RfTestFaultRig      *self);
gboolean        rf_test_fault_rig_is_save      (RfTestFaultRig      *self,
                                                const RfTestFaultCommand *command);
guint           rf_test_fault_rig_first_write  (RfTestFaultRig      *self);
void            rf_test_fault_rig_run          (RfTestFaultRig      *self,
                                                const RfTestFault   *faults,
                                                guint                n_faults,
                                                guint                max_recoveries,
                                                RfTestFaultResult   *result);
void            rf_test_fault_result_clear     (RfTestFaultResult   *result);
char           *rf_test_fault_describe         (const RfTestFault   *fault);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTestFaultRig, rf_test_fault_rig_free)

G_END_DECLS
