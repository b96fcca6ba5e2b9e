/* rf-journal-presenter.c: the open journals of interrupted flashes, matched to
 * the listed drives (nec-2m.md §3 "Matching the drive after a reboot")
 *
 * Reading the journals sends nothing to any drive, and matching uses only what
 * the drives' passive looks found. The wizard never closes a journal: it only
 * tells the person where the interrupted flash stands and offers its firmware.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-presenter.h"
#include "rf-journal-presenter.h"

struct _RfJournalPresenter
{
  GObject parent_instance;

  RfJournalStore *store;
  RfDriveDb *db;
  GListModel *drives;
  GPtrArray *watched;   /* RfDevice whose passive look may change a match */
  GPtrArray *journals;  /* RfJournal, oldest first */
};

G_DEFINE_FINAL_TYPE (RfJournalPresenter, rf_journal_presenter, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_drive_state (RfJournalPresenter *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* Notified on whichever thread probed the drive: handled on the main one. */
static void
on_drive_state_notified (RfJournalPresenter *self)
{
  rf_drive_presenter_on_main (self, (RfPresenterFunc) on_drive_state);
}

static void
unwatch_drives (RfJournalPresenter *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    g_signal_handlers_disconnect_by_func (self->watched->pdata[i], on_drive_state_notified, self);
  g_ptr_array_set_size (self->watched, 0);
}

static void
watch_drives (RfJournalPresenter *self)
{
  guint n = g_list_model_get_n_items (self->drives);

  unwatch_drives (self);
  for (guint i = 0; i < n; i++)
    {
      RfDevice *device = g_list_model_get_item (self->drives, i);

      g_signal_connect_swapped (device, "notify::state", G_CALLBACK (on_drive_state_notified),
                                self);
      g_ptr_array_add (self->watched, device);
    }
}

/* A drive came or went: read the journals again too, another Reflash may have
 * opened or closed one meanwhile. */
static void
on_drives_changed (RfJournalPresenter *self)
{
  watch_drives (self);
  rf_journal_presenter_reload (self);
}

static void
rf_journal_presenter_dispose (GObject *object)
{
  RfJournalPresenter *self = RF_JOURNAL_PRESENTER (object);

  unwatch_drives (self);
  if (self->drives != NULL)
    g_signal_handlers_disconnect_by_data (self->drives, self);
  g_clear_object (&self->drives);
  g_clear_object (&self->store);
  g_clear_object (&self->db);
  g_ptr_array_set_size (self->journals, 0);
  G_OBJECT_CLASS (rf_journal_presenter_parent_class)->dispose (object);
}

static void
rf_journal_presenter_finalize (GObject *object)
{
  RfJournalPresenter *self = RF_JOURNAL_PRESENTER (object);

  g_ptr_array_unref (self->watched);
  g_ptr_array_unref (self->journals);
  G_OBJECT_CLASS (rf_journal_presenter_parent_class)->finalize (object);
}

static void
rf_journal_presenter_class_init (RfJournalPresenterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_journal_presenter_dispose;
  object_class->finalize = rf_journal_presenter_finalize;

  /**
   * RfJournalPresenter::changed:
   *
   * The journals were read again, or a drive's look may have changed a match.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
rf_journal_presenter_init (RfJournalPresenter *self)
{
  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->journals = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * rf_journal_presenter_new:
 * @store: where the journals are
 * @db: the drive families, to name the journals' drives
 * @drives: (element-type RfDevice): the listed drives; followed as it changes
 *
 * Reads the open journals at once.
 */
RfJournalPresenter *
rf_journal_presenter_new (RfJournalStore *store,
                          RfDriveDb      *db,
                          GListModel     *drives)
{
  RfJournalPresenter *self;

  g_return_val_if_fail (RF_IS_JOURNAL_STORE (store), NULL);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (drives), NULL);

  self = g_object_new (RF_TYPE_JOURNAL_PRESENTER, NULL);
  self->store = g_object_ref (store);
  self->db = g_object_ref (db);
  self->drives = g_object_ref (drives);
  g_signal_connect_swapped (drives, "items-changed", G_CALLBACK (on_drives_changed), self);
  watch_drives (self);
  rf_journal_presenter_reload (self);
  return self;
}

/**
 * rf_journal_presenter_reload:
 *
 * Reads the open journals again; files only, no drive commands. A folder that
 * cannot be read is logged and counts as no journals: the drives stay usable.
 */
void
rf_journal_presenter_reload (RfJournalPresenter *self)
{
  g_autoptr(GPtrArray) journals = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (RF_IS_JOURNAL_PRESENTER (self));

  journals = rf_journal_store_list (self->store, &error);
  if (journals == NULL)
    g_warning ("Could not read the journals of interrupted flashes: %s", error->message);
  g_ptr_array_set_size (self->journals, 0);
  if (journals != NULL)
    g_ptr_array_extend_and_steal (self->journals, g_steal_pointer (&journals));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

guint
rf_journal_presenter_get_n_journals (RfJournalPresenter *self)
{
  g_return_val_if_fail (RF_IS_JOURNAL_PRESENTER (self), 0);
  return self->journals->len;
}

/**
 * rf_journal_presenter_find:
 * @device: a listed drive
 * @match: (out) (optional): how @device relates to the journal
 *
 * A journal whose drive is on its port wins over one that may have moved.
 *
 * Returns: (transfer none) (nullable): the open journal @device may belong to
 */
RfJournal *
rf_journal_presenter_find (RfJournalPresenter *self,
                           RfDevice           *device,
                           RfJournalMatch     *match)
{
  RfJournal *found = NULL;
  RfJournalMatch best = RF_JOURNAL_MATCH_NONE;

  g_return_val_if_fail (RF_IS_JOURNAL_PRESENTER (self), NULL);
  g_return_val_if_fail (RF_IS_DEVICE (device), NULL);

  /* Before its passive look a drive has no family to match. */
  if (rf_device_get_state (device) != RF_DRIVE_STATE_UNKNOWN)
    for (guint i = 0; i < self->journals->len && best != RF_JOURNAL_MATCH_SAME_PORT; i++)
      {
        RfJournalMatch this = rf_journal_match_listed (self->journals->pdata[i], device);

        if (this == RF_JOURNAL_MATCH_SAME_PORT ||
            (this == RF_JOURNAL_MATCH_OTHER_PORT && best == RF_JOURNAL_MATCH_NONE))
          {
            best = this;
            found = self->journals->pdata[i];
          }
      }
  if (match != NULL)
    *match = best;
  return found;
}

/**
 * rf_journal_presenter_dup_model_name:
 *
 * Returns: (transfer full): the model the journal's drive is ("ND-3550A"),
 *   by its bootcode: the identity that counts (DOMAIN.md)
 */
char *
rf_journal_presenter_dup_model_name (RfJournalPresenter *self,
                                     RfJournal          *journal)
{
  const RfDriveIdentity *identity = rf_journal_get_identity (journal);
  RfDriveFamily *family = rf_drive_db_lookup (self->db, rf_journal_get_family (journal));
  const RfDriveModel *model = NULL;

  if (family != NULL && identity->bootcode_key != NULL)
    model = rf_drive_family_find_model (family, identity->bootcode_key);
  if (family != NULL && model == NULL && identity->stored_id != NULL)
    model = rf_drive_family_find_model (family, identity->stored_id);
  if (model != NULL)
    return g_strdup (rf_drive_model_get_title (model));
  if (identity->product != NULL && *identity->product != '\0')
    return g_strdup (identity->product);
  /* Translators: stands in for a model name that is not known, in
   * sentences such as "the %s" and "Your %s" */
  return g_strdup (C_("model name fallback", "drive"));
}

/* "the ND-3550A", or "the practice drive ND-3550A" */
static char *
dup_which_drive (RfJournalPresenter *self,
                 RfJournal          *journal)
{
  g_autofree char *model = rf_journal_presenter_dup_model_name (self, journal);

  if (rf_journal_is_practice (journal))
    /* Translators: the drive an interrupted flash was writing to, e.g.
     * "the practice drive ND-3550A"; used inside the sentences about it */
    return g_strdup_printf (_("the practice drive %s"), model);
  /* Translators: the drive an interrupted flash was writing to, e.g. "the
   * ND-3550A"; used inside the sentences about it */
  return g_strdup_printf (_("the %s"), model);
}

static gboolean
drives_still_looked_at (RfJournalPresenter *self)
{
  for (guint i = 0; i < self->watched->len; i++)
    if (rf_device_get_state (self->watched->pdata[i]) == RF_DRIVE_STATE_UNKNOWN)
      return TRUE;
  return FALSE;
}

/* The best match any listed drive has for @journal. */
static RfJournalMatch
best_match (RfJournalPresenter *self,
            RfJournal          *journal)
{
  RfJournalMatch best = RF_JOURNAL_MATCH_NONE;

  for (guint i = 0; i < self->watched->len; i++)
    {
      RfDevice *device = self->watched->pdata[i];
      RfJournalMatch match;

      if (rf_device_get_state (device) == RF_DRIVE_STATE_UNKNOWN ||
          rf_journal_presenter_find (self, device, NULL) != journal)
        continue;
      match = rf_journal_match_listed (journal, device);
      if (match == RF_JOURNAL_MATCH_SAME_PORT)
        return match;
      if (match == RF_JOURNAL_MATCH_OTHER_PORT)
        best = match;
    }
  return best;
}

/* How many listed drives may be @journal's drive, counting only those that
 * match best (a drive on the journal's port rules out the others); @only gets
 * the last of them. */
static guint
count_candidates (RfJournalPresenter *self,
                  RfJournal          *journal,
                  RfDevice          **only)
{
  RfJournalMatch best = best_match (self, journal);
  guint n = 0;

  if (best == RF_JOURNAL_MATCH_NONE)
    return 0;
  for (guint i = 0; i < self->watched->len; i++)
    {
      RfDevice *device = self->watched->pdata[i];

      if (rf_device_get_state (device) == RF_DRIVE_STATE_UNKNOWN ||
          rf_journal_presenter_find (self, device, NULL) != journal ||
          rf_journal_match_listed (journal, device) != best)
        continue;
      n++;
      if (only != NULL)
        *only = device;
    }
  return n;
}

static char *
dup_notice_for (RfJournalPresenter *self,
                RfJournal          *journal)
{
  g_autofree char *which = dup_which_drive (self, journal);

  if (count_candidates (self, journal, NULL) > 1)
    /* Translators: %s is "the ND-3550A" */
    return g_strdup_printf (_("Reflash was interrupted while writing firmware to %s. It kept a copy of that firmware. Several drives marked below may be it: choose the one it is."),
                            which);
  switch (best_match (self, journal))
    {
    case RF_JOURNAL_MATCH_SAME_PORT:
      /* Translators: %s is "the ND-3550A" */
      return g_strdup_printf (_("Reflash was interrupted while writing firmware to %s. It kept a copy of that firmware, so the drive can still be brought back."),
                              which);
    case RF_JOURNAL_MATCH_OTHER_PORT:
      /* Translators: %s is "the ND-3550A" */
      return g_strdup_printf (_("Reflash was interrupted while writing firmware to %s. It kept a copy of that firmware. The drive is not where it was connected before; the drive marked below may be it, but only you can tell."),
                              which);
    case RF_JOURNAL_MATCH_NONE:
    default:
      if (drives_still_looked_at (self))
        /* Translators: %s is "the ND-3550A" */
        return g_strdup_printf (_("Reflash was interrupted while writing firmware to %s. It kept a copy of that firmware. Looking for the drive…"),
                                which);
      /* Translators: %s is "the ND-3550A" */
      return g_strdup_printf (_("Reflash was interrupted while writing firmware to %s, and that drive was not found. The copy of the firmware is kept: connect the drive, and it will show up here."),
                              which);
    }
}

/**
 * rf_journal_presenter_dup_notice:
 *
 * Returns: (transfer full) (nullable): what the drive list says about the
 *   open journals, one paragraph each; %NULL when there are none
 */
char *
rf_journal_presenter_dup_notice (RfJournalPresenter *self)
{
  g_autoptr(GString) notice = NULL;

  g_return_val_if_fail (RF_IS_JOURNAL_PRESENTER (self), NULL);

  if (self->journals->len == 0)
    return NULL;
  notice = g_string_new (NULL);
  for (guint i = 0; i < self->journals->len; i++)
    {
      g_autofree char *paragraph = dup_notice_for (self, self->journals->pdata[i]);

      g_string_append_printf (notice, "%s%s", i > 0 ? "\n\n" : "", paragraph);
    }
  return g_string_free (g_steal_pointer (&notice), FALSE);
}

/**
 * rf_journal_presenter_get_candidate:
 * @match: (out) (optional): how the drive relates to the journal
 *
 * The drive "Continue the Recovery" leads to: the one listed drive that may be
 * an open journal's drive. With several candidates for a journal the person
 * chooses among them, so there is none.
 *
 * Returns: (transfer none) (nullable): the drive
 */
RfDevice *
rf_journal_presenter_get_candidate (RfJournalPresenter *self,
                                    RfJournalMatch     *match)
{
  g_return_val_if_fail (RF_IS_JOURNAL_PRESENTER (self), NULL);

  for (guint i = 0; i < self->journals->len; i++)
    {
      RfDevice *only = NULL;

      if (count_candidates (self, self->journals->pdata[i], &only) != 1)
        continue;
      if (match != NULL)
        rf_journal_presenter_find (self, only, match);
      return only;
    }
  if (match != NULL)
    *match = RF_JOURNAL_MATCH_NONE;
  return NULL;
}

/**
 * rf_journal_presenter_dup_explanation:
 * @match: how the drive shown relates to @journal
 *
 * Returns: (transfer full): what the diagnosis says about the interrupted
 *   flash, before the deep look confirms the drive
 */
char *
rf_journal_presenter_dup_explanation (RfJournalPresenter *self,
                                      RfJournal          *journal,
                                      RfJournalMatch      match)
{
  const char *revision = rf_journal_get_image_revision (journal);
  const char *when = rf_journal_presenter_phase_words (rf_journal_get_phase (journal));
  g_autofree char *which = dup_which_drive (self, journal);
  g_autofree char *what = NULL;

  g_return_val_if_fail (RF_IS_JOURNAL_PRESENTER (self), NULL);

  if (revision != NULL)
    /* Translators: "A flash of firmware 1.06 to the ND-3550A was interrupted
     * while the old firmware was being erased." */
    what = g_strdup_printf (_("A flash of firmware %s to %s was interrupted %s."), revision, which,
                            when);
  else
    /* Translators: "A flash of firmware to the ND-3550A was interrupted while
     * the old firmware was being erased." */
    what = g_strdup_printf (_("A flash of firmware to %s was interrupted %s."), which, when);
  if (match == RF_JOURNAL_MATCH_OTHER_PORT)
    return g_strconcat (what, " ",
                        _("That drive was connected to another port, so this may or may not be it. If it is the same drive, say so below, and the next step offers the copy of the firmware Reflash kept."),
                        NULL);
  return g_strconcat (what, " ",
                      _("Reflash kept a copy of that firmware: on the next step, use it to bring the drive back."),
                      NULL);
}

/* What a drive's row says when it may be the drive of an open journal. */
const char *
rf_journal_presenter_mark_words (RfJournalMatch match)
{
  switch (match)
    {
    case RF_JOURNAL_MATCH_SAME_PORT:
      return _("Interrupted flash — needs to be finished");
    case RF_JOURNAL_MATCH_OTHER_PORT:
      return _("May be the drive of the interrupted flash");
    case RF_JOURNAL_MATCH_NONE:
    default:
      return NULL;
    }
}

/* When the flash stopped, as the end of "… was interrupted …". */
const char *
rf_journal_presenter_phase_words (RfJournalPhase phase)
{
  switch (phase)
    {
    case RF_JOURNAL_PHASE_STARTED:
      return _("before anything was erased");
    case RF_JOURNAL_PHASE_ERASING:
      return _("while the old firmware was being erased");
    case RF_JOURNAL_PHASE_PROGRAMMED:
    case RF_JOURNAL_PHASE_READ_BACK:
    default:
      return _("after the new firmware was written, while it was being checked");
    }
}
