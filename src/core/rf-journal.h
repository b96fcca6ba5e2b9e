/* rf-journal.h: an in-flight flash kept on disk, so that an interrupted one
 * can be picked up again (nec-2m.md §3 "Journal and resume")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-backup-store.h"
#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-paths.h"

G_BEGIN_DECLS

/**
 * RfJournalPhase:
 * @RF_JOURNAL_PHASE_STARTED: written before the first command that changes
 *   anything (SAFE MODE enter); nothing was erased
 * @RF_JOURNAL_PHASE_ERASING: written just before the first ERASE BLOCK: the
 *   point of no return was passed
 * @RF_JOURNAL_PHASE_PROGRAMMED: written after the last PROGRAM BLOCK
 * @RF_JOURNAL_PHASE_READ_BACK: written after the read-back matched the image;
 *   only the last identification was left
 *
 * How far a flash got. A journal never goes back to an earlier phase, also
 * when a resumed run rewrites it.
 */
typedef enum {
  RF_JOURNAL_PHASE_STARTED,
  RF_JOURNAL_PHASE_ERASING,
  RF_JOURNAL_PHASE_PROGRAMMED,
  RF_JOURNAL_PHASE_READ_BACK,
} RfJournalPhase;

/**
 * RfJournalMatch:
 * @RF_JOURNAL_MATCH_NONE: not the journal's drive (another family, a practice
 *   drive for a real journal or the other way round)
 * @RF_JOURNAL_MATCH_SAME_PORT: on the journal's port, with an INQUIRY of the
 *   journal's family: a candidate
 * @RF_JOURNAL_MATCH_OTHER_PORT: of the journal's family on another port: used
 *   only after the person confirms it is the same drive
 *
 * How a drive found by a passive look relates to an open journal (nec-2m.md
 * §3 "Matching the drive after a reboot").
 */
typedef enum {
  RF_JOURNAL_MATCH_NONE,
  RF_JOURNAL_MATCH_SAME_PORT,
  RF_JOURNAL_MATCH_OTHER_PORT,
} RfJournalMatch;

#define RF_TYPE_JOURNAL (rf_journal_get_type ())

G_DECLARE_FINAL_TYPE (RfJournal, rf_journal, RF, JOURNAL, GObject)

#define RF_TYPE_JOURNAL_STORE (rf_journal_store_get_type ())

G_DECLARE_FINAL_TYPE (RfJournalStore, rf_journal_store, RF, JOURNAL_STORE, GObject)

RfJournalStore *rf_journal_store_new            (const char            *directory);
RfJournalStore *rf_journal_store_new_for_user   (const RfPathsUser     *user);
const char     *rf_journal_store_get_directory  (RfJournalStore        *self);
void            rf_journal_store_set_io         (RfJournalStore        *self,
                                                 const RfBackupStoreIo *io);
gboolean        rf_journal_store_check_room     (RfJournalStore        *self,
                                                 gsize                  image_size,
                                                 GError               **error);
RfJournal      *rf_journal_store_begin          (RfJournalStore        *self,
                                                 RfDevice              *device,
                                                 const RfDriveIdentity *identity,
                                                 const char            *verdict,
                                                 const char            *image_name,
                                                 const char            *image_revision,
                                                 GBytes                *image,
                                                 GError               **error);
GPtrArray      *rf_journal_store_list           (RfJournalStore        *self,
                                                 GError               **error);
RfJournal      *rf_journal_store_find           (RfJournalStore        *self,
                                                 const char            *id,
                                                 GError               **error);

const char            *rf_journal_get_id              (RfJournal      *self);
RfJournalPhase         rf_journal_get_phase           (RfJournal      *self);
const char            *rf_journal_get_family          (RfJournal      *self);
const char            *rf_journal_get_verdict         (RfJournal      *self);
const char            *rf_journal_get_port            (RfJournal      *self);
const char            *rf_journal_get_node            (RfJournal      *self);
gboolean               rf_journal_is_practice         (RfJournal      *self);
const RfDriveIdentity *rf_journal_get_identity        (RfJournal      *self);
const char            *rf_journal_get_image_name      (RfJournal      *self);
const char            *rf_journal_get_image_revision  (RfJournal      *self);
const char            *rf_journal_get_image_sha256    (RfJournal      *self);
const char            *rf_journal_get_image_path      (RfJournal      *self);
GDateTime             *rf_journal_get_started         (RfJournal      *self);
GDateTime             *rf_journal_get_updated         (RfJournal      *self);

GBytes                *rf_journal_load_image          (RfJournal      *self,
                                                       GError        **error);
gboolean               rf_journal_set_phase           (RfJournal      *self,
                                                       RfJournalPhase  phase,
                                                       GError        **error);
gboolean               rf_journal_close               (RfJournal      *self,
                                                       GError        **error);

RfJournalMatch         rf_journal_match_listed        (RfJournal      *self,
                                                       RfDevice       *device);
gboolean               rf_journal_check_identity      (RfJournal      *self,
                                                       const RfDriveIdentity *identity,
                                                       GError        **error);
gboolean               rf_journal_drive_is_unchanged  (RfJournal      *self,
                                                       const RfDriveIdentity *identity);

const char            *rf_journal_phase_to_nick       (RfJournalPhase  phase);

G_END_DECLS
