/* rf-flash-job.h: firmware written to a drive, proven from the drive itself
 * (nec-2m.md §3 "Reflash's flash", spc-download.md, DOMAIN.md "Phases of a flash")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"
#include "rf-firmware-check.h"
#include "rf-job.h"
#include "rf-journal.h"

G_BEGIN_DECLS

/**
 * RfFlashConfirmations:
 * @RF_FLASH_CONFIRM_DOWNGRADE: the image is older than what the drive runs
 * @RF_FLASH_CONFIRM_UNKNOWN_ORDER: the two revisions cannot be ordered
 * @RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION: the image names no bootcode version
 * @RF_FLASH_CONFIRM_UNTESTED: the family was never tested on real hardware
 * @RF_FLASH_CONFIRM_TRAY_EMPTY: the person checked that the tray of a drive in
 *   safe mode is empty (nec-2m.md §8 step 3: the bootcode's answer to TEST
 *   UNIT READY proves nothing)
 * @RF_FLASH_CONFIRM_ON_BATTERY: the computer runs on its battery
 * @RF_FLASH_CONFIRM_NO_BACKUP: flash a drive that still has firmware without
 *   backing it up first
 *
 * What the person said yes to, each on its own: DOMAIN.md's extra
 * confirmations are never implied by a general "yes".
 */
typedef enum {
  RF_FLASH_CONFIRM_NONE = 0,
  RF_FLASH_CONFIRM_DOWNGRADE = 1 << 0,
  RF_FLASH_CONFIRM_UNKNOWN_ORDER = 1 << 1,
  RF_FLASH_CONFIRM_NO_BOOTCODE_VERSION = 1 << 2,
  RF_FLASH_CONFIRM_UNTESTED = 1 << 3,
  RF_FLASH_CONFIRM_TRAY_EMPTY = 1 << 4,
  RF_FLASH_CONFIRM_ON_BATTERY = 1 << 5,
  RF_FLASH_CONFIRM_NO_BACKUP = 1 << 6,
} RfFlashConfirmations;

#define RF_TYPE_FLASH_JOB (rf_flash_job_get_type ())

G_DECLARE_FINAL_TYPE (RfFlashJob, rf_flash_job, RF, FLASH_JOB, RfJob)

RfFlashJob           *rf_flash_job_new                (RfDevice              *device,
                                                       RfDriveDb             *db,
                                                       RfFirmwareCheck       *check,
                                                       RfBackupStore         *store);
void                  rf_flash_job_set_confirmations  (RfFlashJob            *self,
                                                       RfFlashConfirmations   confirmations);
void                  rf_flash_job_set_journal_store  (RfFlashJob            *self,
                                                       RfJournalStore        *store);
void                  rf_flash_job_set_resume         (RfFlashJob            *self,
                                                       RfJournal             *journal);
gboolean              rf_flash_job_cancel             (RfFlashJob            *self,
                                                       GCancellable          *cancellable,
                                                       GError               **error);

GError               *rf_flash_job_dup_inhibit_refusal (RfFlashJob         *self);
RfFlashConfirmations  rf_flash_job_get_missing        (RfFlashJob            *self);
RfVerdict            *rf_flash_job_get_verdict        (RfFlashJob            *self);
const RfBackup       *rf_flash_job_get_backup         (RfFlashJob            *self);
gboolean              rf_flash_job_get_backup_reused  (RfFlashJob            *self);
gboolean              rf_flash_job_get_past_point_of_no_return (RfFlashJob   *self);
gboolean              rf_flash_job_get_needs_recovery (RfFlashJob            *self);
gboolean              rf_flash_job_get_not_applied    (RfFlashJob            *self);
RfDriveIdentity      *rf_flash_job_dup_identity_after (RfFlashJob            *self);
RfJournal            *rf_flash_job_get_journal        (RfFlashJob            *self);
gboolean              rf_flash_job_get_found_unchanged (RfFlashJob           *self);
GError               *rf_flash_job_dup_journal_problem (RfFlashJob           *self);

const char           *rf_flash_confirmation_to_nick   (RfFlashConfirmations   confirmation);
RfFlashConfirmations  rf_flash_confirmations_for_verdict (RfVerdict          *verdict);

G_END_DECLS
