/* rf-flash-protocol.h: what differs between the protocols one flash engine speaks
 *
 * The engine (rf-flash-job.c) owns the job: the lock, the looks at the drive,
 * the verdict, the confirmations, power and inhibitor, the backup, the
 * journal, progress, the point of no return and the recovery path. A protocol
 * (rf-flash-nec.c, rf-flash-spc.c) only sends the commands of its phases,
 * through the engine's sending, and says what became of the drive.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-flash-job.h"

G_BEGIN_DECLS

/**
 * RfFlashOutcome:
 * @RF_FLASH_OUTCOME_DONE: the drive runs the image: the flash succeeded
 * @RF_FLASH_OUTCOME_NOT_APPLIED: the drive runs what it ran before; nothing
 *   changed on it
 * @RF_FLASH_OUTCOME_NEEDS_RECOVERY: the drive needs a recovery flash
 *
 * What a failure past the point of no return left, as the protocol found it.
 */
typedef enum {
  RF_FLASH_OUTCOME_DONE,
  RF_FLASH_OUTCOME_NOT_APPLIED,
  RF_FLASH_OUTCOME_NEEDS_RECOVERY,
} RfFlashOutcome;

/**
 * RfFlashProtocol:
 * @name: the family data's Protocol this speaks
 * @phases: the phases a flash runs, in order, for the progress
 * @state_new: the protocol's own state for one job
 * @check_connection: (nullable): before any command: can the connection
 *   carry the protocol's commands at all
 * @plan: (nullable): after the deep look: can the connection and the drive carry a flash
 *   (transfer sizes, buffer descriptor); may send identification only
 * @check_image: the allowed image against the drive, beyond the verdict
 * @check_resumed: (nullable): the drive against a resumed journal, beyond
 *   rf_journal_check_identity()
 * @prepare: before the point of no return; cancellable; a failure stops the
 *   job and @give_back runs
 * @give_back: (nullable): leaves a drive stopped before the point of no
 *   return as it was found
 * @write: the first command sent here is the point of no return
 * @restart: waits for the drive to run what it was given
 * @verify: proves the drive runs the image
 * @after_failure: after any failure past the point of no return: finds out,
 *   within the narrowed gate, what the drive runs now. Leaves @error set
 *   unless it returns %RF_FLASH_OUTCOME_DONE.
 */
typedef struct {
  const char *name;
  const RfPhase *phases;
  gsize n_phases;
  gpointer (*state_new) (void);
  GDestroyNotify state_free;
  gboolean (*check_connection) (RfFlashJob *job, GError **error);
  gboolean (*plan) (RfFlashJob *job, GCancellable *cancellable, GError **error);
  gboolean (*check_image) (RfFlashJob *job, GError **error);
  gboolean (*check_resumed) (RfFlashJob *job, RfJournal *journal, GError **error);
  gboolean (*prepare) (RfFlashJob *job, GCancellable *cancellable, GError **error);
  void (*give_back) (RfFlashJob *job);
  gboolean (*write) (RfFlashJob *job, GError **error);
  gboolean (*restart) (RfFlashJob *job, GError **error);
  gboolean (*verify) (RfFlashJob *job, GError **error);
  RfFlashOutcome (*after_failure) (RfFlashJob *job, GError **error);
} RfFlashProtocol;

extern const RfFlashProtocol rf_flash_nec_protocol;
extern const RfFlashProtocol rf_flash_spc_protocol;

/* The engine's services, for the protocols. */
gpointer               rf_flash_job_get_state          (RfFlashJob     *self);
RfFirmwareCheck       *rf_flash_job_get_check          (RfFlashJob     *self);
const RfDriveFamily   *rf_flash_job_get_family         (RfFlashJob     *self);
const RfDriveIdentity *rf_flash_job_get_before         (RfFlashJob     *self);
const RfDriveIdentity *rf_flash_job_get_after          (RfFlashJob     *self);
GBytes                *rf_flash_job_get_image          (RfFlashJob     *self);
const char            *rf_flash_job_get_image_revision (RfFlashJob     *self);
gboolean               rf_flash_job_get_found_in_normal_mode (RfFlashJob *self);
RfTransport           *rf_flash_job_get_transport      (RfFlashJob     *self);
RfClock               *rf_flash_job_get_clock          (RfFlashJob     *self);
gboolean               rf_flash_job_begin_phase        (RfFlashJob     *self,
                                                        RfPhase         phase,
                                                        guint64         total,
                                                        GError        **error);
void                   rf_flash_job_set_done           (RfFlashJob     *self,
                                                        guint64         done);
guint64                rf_flash_job_expected_per_command_us (RfFlashJob *self,
                                                        RfPhase         phase,
                                                        guint           n_commands);
gboolean               rf_flash_job_send               (RfFlashJob     *self,
                                                        gboolean        built_ok,
                                                        RfCommand      *command,
                                                        guint64         expected_us,
                                                        GCancellable   *cancellable,
                                                        const char     *what,
                                                        GError        **error);
gboolean               rf_flash_job_identify_again     (RfFlashJob     *self,
                                                        GError        **error);
void                   rf_flash_job_journal_reached    (RfFlashJob     *self,
                                                        RfJournalPhase  phase);

G_END_DECLS
