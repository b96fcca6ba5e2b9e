/* rf-journal-presenter.h: the open journals of interrupted flashes, matched to
 * the listed drives, and the words the pages use for them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-journal.h"

G_BEGIN_DECLS

#define RF_TYPE_JOURNAL_PRESENTER (rf_journal_presenter_get_type ())

G_DECLARE_FINAL_TYPE (RfJournalPresenter, rf_journal_presenter, RF, JOURNAL_PRESENTER, GObject)

RfJournalPresenter *rf_journal_presenter_new          (RfJournalStore     *store,
                                                       RfDriveDb          *db,
                                                       GListModel         *drives);
void                rf_journal_presenter_reload       (RfJournalPresenter *self);
guint               rf_journal_presenter_get_n_journals (RfJournalPresenter *self);
RfJournal          *rf_journal_presenter_find         (RfJournalPresenter *self,
                                                       RfDevice           *device,
                                                       RfJournalMatch     *match);
char               *rf_journal_presenter_dup_notice   (RfJournalPresenter *self);
RfDevice           *rf_journal_presenter_get_candidate (RfJournalPresenter *self,
                                                        RfJournalMatch     *match);
char               *rf_journal_presenter_dup_model_name (RfJournalPresenter *self,
                                                         RfJournal          *journal);
char               *rf_journal_presenter_dup_explanation (RfJournalPresenter *self,
                                                          RfJournal          *journal,
                                                          RfJournalMatch      match);

const char         *rf_journal_presenter_mark_words   (RfJournalMatch      match);
const char         *rf_journal_presenter_phase_words  (RfJournalPhase      phase);

G_END_DECLS
