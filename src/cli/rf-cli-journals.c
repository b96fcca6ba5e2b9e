/* rf-cli-journals.c: `reflash-cli journals`: the open journals of
 * interrupted flashes, and closing one; and the line other commands print
 * when a flash waits to be resumed
 *
 * A journal is what lets `reflash-cli resume` finish a flash that was cut
 * short (nec-2m.md §3 "Journal and resume"): its copy of the image is the
 * way back for a drive that may not start. Listing journals reads files
 * only; no drive is sent anything here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rf-cli-flash.h"
#include "rf-cli-journals.h"
#include "rf-cli.h"


/* An SPC download has no erase: its phases are said as sending and saving. */
static gboolean
is_download (RfDriveDb *db,
             RfJournal *journal)
{
  RfDriveFamily *family = db != NULL ? rf_drive_db_lookup (db, rf_journal_get_family (journal))
                                     : NULL;

  return family != NULL && g_strcmp0 (family->protocol, "spc-download") == 0;
}

/**
 * rf_cli_journal_phase_to_sentence:
 * @db: (nullable): the drive families, for how the journal's family flashes
 *
 * Returns: where a flash stopped, for the plan of a resume
 */
const char *
rf_cli_journal_phase_to_sentence (RfDriveDb *db,
                                  RfJournal *journal)
{
  gboolean download = is_download (db, journal);

  switch (rf_journal_get_phase (journal))
    {
    case RF_JOURNAL_PHASE_STARTED:
      return download ? _("before the new firmware was sent to the drive")
                      : _("before the old firmware was erased");
    case RF_JOURNAL_PHASE_ERASING:
      return download ? _("while the new firmware was being sent to the drive and saved")
                      : _("while the old firmware was being erased and the new one written");
    case RF_JOURNAL_PHASE_PROGRAMMED:
      return download ? _("after the new firmware was sent, while the drive restarted")
                      : _("after the new firmware was written, before it was read back");
    case RF_JOURNAL_PHASE_READ_BACK:
      return _("after the new firmware was read back, at the last check");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * rf_cli_journal_phase_to_title:
 * @db: (nullable): the drive families
 *
 * Returns: the phase in a word or two, for lists
 */
const char *
rf_cli_journal_phase_to_title (RfDriveDb *db,
                               RfJournal *journal)
{
  gboolean download = is_download (db, journal);

  switch (rf_journal_get_phase (journal))
    {
    case RF_JOURNAL_PHASE_STARTED:
      /* Translators: how far an interrupted flash got */
      return download ? _("started, nothing sent") : _("started, nothing erased");
    case RF_JOURNAL_PHASE_ERASING:
      /* Translators: how far an interrupted flash got */
      return download ? _("sending") : _("erasing");
    case RF_JOURNAL_PHASE_PROGRAMMED:
      /* Translators: how far an interrupted flash got */
      return download ? _("sent, not confirmed") : _("written, not read back");
    case RF_JOURNAL_PHASE_READ_BACK:
      /* Translators: how far an interrupted flash got */
      return _("read back");
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * rf_cli_journal_model_name:
 * @db: (nullable): the drive families
 *
 * Returns: (transfer full): the model the journal's drive counts as
 *   ("ND-3550A"), else its INQUIRY product, else a translated "unknown"
 */
char *
rf_cli_journal_model_name (RfDriveDb *db,
                           RfJournal *journal)
{
  const RfDriveIdentity *identity = rf_journal_get_identity (journal);
  RfDriveFamily *family = db != NULL ? rf_drive_db_lookup (db, rf_journal_get_family (journal))
                                     : NULL;
  const char *counting = identity != NULL ? rf_drive_identity_counting_id (identity) : NULL;
  const RfDriveModel *model = family != NULL && counting != NULL
                              ? rf_drive_family_find_model (family, counting) : NULL;

  if (model != NULL)
    return g_strdup (rf_drive_model_get_title (model));
  if (identity != NULL && identity->product != NULL && identity->product[0] != '\0')
    return g_strdup (identity->product);
  return g_strdup (_("unknown model"));
}

/**
 * rf_cli_journal_drive_name:
 *
 * Returns: (transfer full): how the journal's drive was named when the flash
 *   began ("/dev/sg1", "practice:seed"), or its port
 */
char *
rf_cli_journal_drive_name (RfJournal *journal)
{
  if (rf_journal_get_node (journal) != NULL)
    return g_strdup (rf_journal_get_node (journal));
  return g_strdup (rf_journal_get_port (journal));
}

/* The open journals, or NULL: a folder that cannot be read is only said in
 * the log where the journals are not the command's business. */
static GPtrArray *
list_quietly (void)
{
  g_autoptr(RfJournalStore) store = rf_journal_store_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *journals = rf_journal_store_list (store, &error);

  if (journals == NULL)
    g_debug ("journals: %s", error->message);
  return journals;
}

/**
 * rf_cli_journals_notice:
 *
 * One line on stderr when a flash was interrupted and can be resumed: what
 * `list`, `info`, `flash` and `recover` say first. Only the journals are
 * read; no drive is asked anything.
 */
void
rf_cli_journals_notice (void)
{
  g_autoptr(GPtrArray) journals = list_quietly ();
  g_autoptr(RfDriveDb) db = NULL;
  g_autofree char *model = NULL;
  RfJournal *journal;

  if (journals == NULL || journals->len == 0)
    return;
  if (journals->len > 1)
    {
      /* Translators: how many interrupted flashes there are */
      fprintf (stderr, ngettext ("reflash-cli: %u interrupted flash can be resumed with "
                                 "“reflash-cli resume” (see “reflash-cli journals”).\n",
                                 "reflash-cli: %u interrupted flashes can be resumed with "
                                 "“reflash-cli resume” (see “reflash-cli journals”).\n",
                                 journals->len),
               journals->len);
      return;
    }
  journal = g_ptr_array_index (journals, 0);
  db = rf_drive_db_new_default (NULL);
  model = rf_cli_journal_model_name (db, journal);
  /* Translators: the drive's model ("ND-3550A"), then how far the flash got ("erasing") */
  fprintf (stderr, _("reflash-cli: An interrupted flash of the %s (%s) can be resumed with "
                     "“reflash-cli resume”.\n"),
           model, rf_cli_journal_phase_to_title (db, journal));
}

/* Listing */

/* In the locale's date and time, as the wizard shows them; JSON keeps ISO 8601. */
static char *
format_time (GDateTime *time)
{
  g_autoptr(GDateTime) local = time != NULL ? g_date_time_to_local (time) : NULL;

  return local != NULL ? g_date_time_format (local, "%x %X") : g_strdup ("-");
}

static const char *
or_dash (const char *text)
{
  return text != NULL && text[0] != '\0' ? text : "-";
}

static void
print_one (RfDriveDb *db,
           RfJournal *journal)
{
  g_autofree char *model = rf_cli_journal_model_name (db, journal);
  g_autofree char *drive = rf_cli_journal_drive_name (journal);
  g_autofree char *started = format_time (rf_journal_get_started (journal));
  g_autofree char *updated = format_time (rf_journal_get_updated (journal));

  printf ("%s\n", rf_journal_get_id (journal));
  if (rf_journal_is_practice (journal))
    /* Translators: the model, then the practice drive's name */
    printf (_("  Drive:    %s, practice drive %s\n"), model, drive);
  else
    /* Translators: the model, the node it had ("/dev/sg1") and its port */
    printf (_("  Drive:    %s, was %s, port %s\n"), model, drive,
            or_dash (rf_journal_get_port (journal)));
  /* Translators: the file's name, its firmware version */
  printf (_("  Image:    %s, firmware %s\n"), rf_journal_get_image_name (journal),
          or_dash (rf_journal_get_image_revision (journal)));
  /* The whole SHA-256, as every other command shows it, to compare with theirs. */
  if (rf_journal_get_image_sha256 (journal) != NULL)
    /* Translators: a line of “reflash-cli journals”: a label, then its value; pad the label
     * with spaces so that the values line up with the other lines */
    printf (_("  SHA-256:  %s\n"), rf_journal_get_image_sha256 (journal));
  /* Translators: a line of “reflash-cli journals”: a label, then its value; pad the label
   * with spaces so that the values line up with the other lines */
  printf (_("  Stopped:  %s\n"), rf_cli_journal_phase_to_sentence (db, journal));
  /* Translators: two dates and times in the locale's format */
  printf (_("  Started:  %s, last updated %s\n"), started, updated);
}

static void
print_human (RfDriveDb  *db,
             GPtrArray  *journals)
{
  if (journals->len == 0)
    {
      printf ("%s\n", _("No interrupted flash: no journal is open."));
      return;
    }
  for (guint i = 0; i < journals->len; i++)
    print_one (db, g_ptr_array_index (journals, i));
  printf ("%s\n", _("Resume with “reflash-cli resume”; close one with “reflash-cli journals "
                    "--discard ID”."));
}

static void
member_time (RfJsonWriter *json,
             const char   *key,
             GDateTime    *time)
{
  g_autofree char *text = time != NULL ? g_date_time_format_iso8601 (time) : NULL;

  rf_json_writer_member_string (json, key, text);
}

/* The model in the family file's words, or the drive's INQUIRY product: JSON
 * is never translated. */
static const char *
journal_model_for_json (RfDriveDb *db,
                        RfJournal *journal)
{
  const RfDriveIdentity *identity = rf_journal_get_identity (journal);
  RfDriveFamily *family = db != NULL ? rf_drive_db_lookup (db, rf_journal_get_family (journal))
                                     : NULL;
  const char *counting = identity != NULL ? rf_drive_identity_counting_id (identity) : NULL;
  const RfDriveModel *model = family != NULL && counting != NULL
                              ? rf_drive_family_find_model (family, counting) : NULL;

  if (model != NULL)
    return model->name;
  return identity != NULL ? identity->product : NULL;
}

static void
write_journal (RfJsonWriter *json,
               RfDriveDb    *db,
               RfJournal    *journal)
{
  const RfDriveIdentity *identity = rf_journal_get_identity (journal);
  const char *model = journal_model_for_json (db, journal);

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "id", rf_journal_get_id (journal));
  rf_json_writer_member_string (json, "phase",
                                rf_journal_phase_to_nick (rf_journal_get_phase (journal)));
  rf_json_writer_member_string (json, "family", rf_journal_get_family (journal));
  rf_json_writer_member_string (json, "model", model);
  rf_json_writer_member_boolean (json, "practice", rf_journal_is_practice (journal));
  rf_json_writer_member_string (json, "node", rf_journal_get_node (journal));
  rf_json_writer_member_string (json, "port", rf_journal_get_port (journal));
  rf_json_writer_member_string (json, "vendor", identity != NULL ? identity->vendor : NULL);
  rf_json_writer_member_string (json, "product", identity != NULL ? identity->product : NULL);
  rf_json_writer_member_string (json, "stored_id", identity != NULL ? identity->stored_id : NULL);
  rf_json_writer_member_string (json, "bootcode_key",
                                identity != NULL ? identity->bootcode_key : NULL);
  rf_json_writer_member_string (json, "bootcode_version",
                                identity != NULL ? identity->bootcode_version : NULL);
  rf_json_writer_member_string (json, "verdict", rf_journal_get_verdict (journal));
  rf_json_writer_member_string (json, "image", rf_journal_get_image_name (journal));
  rf_json_writer_member_string (json, "image_path", rf_journal_get_image_path (journal));
  rf_json_writer_member_string (json, "image_revision", rf_journal_get_image_revision (journal));
  rf_json_writer_member_string (json, "image_sha256", rf_journal_get_image_sha256 (journal));
  member_time (json, "started", rf_journal_get_started (journal));
  member_time (json, "updated", rf_journal_get_updated (journal));
  rf_json_writer_end_object (json);
}

static void
print_json (RfDriveDb *db,
            GPtrArray *journals)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_array (json);
  for (guint i = 0; i < journals->len; i++)
    write_journal (json, db, g_ptr_array_index (journals, i));
  rf_json_writer_end_array (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

static int
say_store_error (RfJournalStore *store,
                 const GError   *error)
{
  /* The store is a folder, not a drive: the generic sentences speak of drives. */
  fprintf (stderr, _("reflash-cli journals: The folder of the journals %s cannot be read. (%s)\n"),
           rf_journal_store_get_directory (store), error->message);
  return RF_CLI_EXIT_FAILURE;
}

static int
list_journals (RfJournalStore *store,
               gboolean        as_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) journals = rf_journal_store_list (store, &error);
  g_autoptr(RfDriveDb) db = NULL;

  if (journals == NULL)
    return say_store_error (store, error);
  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    g_debug ("drive families: %s", error->message);
  if (as_json)
    print_json (db, journals);
  else
    print_human (db, journals);
  return RF_CLI_EXIT_OK;
}

/* Discarding */

/* What closing the journal takes away, before the person says yes. */
static void
say_what_is_lost (RfJournal *journal)
{
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (NULL);
  g_autofree char *model = rf_cli_journal_model_name (db, journal);

  /* Translators: the model, how far the flash got, the image's name and version */
  fprintf (stderr, _("This closes the record of the interrupted flash of the %s (stopped %s) and "
                     "deletes Reflash's copy of its firmware, %s %s.\n"),
           model, rf_cli_journal_phase_to_sentence (db, journal),
           rf_journal_get_image_name (journal), or_dash (rf_journal_get_image_revision (journal)));
  fprintf (stderr, "%s\n", _("If the drive does not start, that copy is the way to bring it back: "
                             "without it you need the firmware file itself, and "
                             "“reflash-cli resume” will no longer offer this flash. The drive "
                             "itself is not touched."));
}

static int
discard_journal (RfJournalStore *store,
                 const char     *id,
                 gboolean        yes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfJournal) journal = rf_journal_store_find (store, id, &error);

  if (journal == NULL)
    {
      /* Translators: the journal's id the person typed */
      fprintf (stderr, _("reflash-cli journals: No open journal is called “%s”.\n"), id);
      g_debug ("%s", error->message);
      return g_error_matches (error, RF_ERROR, RF_ERROR_NOT_FOUND) ? RF_CLI_EXIT_NOT_FOUND
                                                                   : RF_CLI_EXIT_FAILURE;
    }
  say_what_is_lost (journal);
  if (!yes && !rf_cli_is_interactive ())
    {
      fprintf (stderr, "%s\n", _("Without a terminal to ask on, say --yes to discard it."));
      return RF_CLI_EXIT_NOT_CONFIRMED;
    }
  if (!yes && !rf_cli_ask (_("Discard this journal?")))
    return RF_CLI_EXIT_NOT_CONFIRMED;
  if (!rf_journal_close (journal, &error))
    {
      /* Translators: the journal's id, then the system's reason */
      fprintf (stderr, _("reflash-cli journals: The journal %s could not be closed. (%s)\n"), id,
               error->message);
      return RF_CLI_EXIT_FAILURE;
    }
  /* Translators: the journal's id */
  printf (_("The journal %s is closed.\n"), id);
  return RF_CLI_EXIT_OK;
}

int
rf_cli_journals_run (int    argc,
                     char **argv)
{
  gboolean as_json = FALSE;
  gboolean yes = FALSE;
  g_autofree char *discard = NULL;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { "discard", 0, 0, G_OPTION_ARG_STRING, &discard,
      N_("Close the journal ID: its copy of the firmware is deleted; the drive is not touched"),
      N_("ID") },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes,
      N_("With --discard: answer “Discard this journal?” with yes"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— list the journals of interrupted flashes"));
  g_autoptr(RfJournalStore) store = rf_journal_store_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      fprintf (stderr, "reflash-cli journals: %s\n",
               error != NULL ? error->message : _("this command takes no arguments"));
      return RF_CLI_EXIT_USAGE;
    }
  if (discard != NULL)
    return discard_journal (store, discard, yes);
  return list_journals (store, as_json);
}
