/* rf-cli-resume.c: `reflash-cli resume [DRIVE]`: an interrupted flash
 * picked up again, with the image its journal kept, on the drive it was
 * writing to (nec-2m.md §3 "Journal and resume", "Matching the drive after a
 * reboot")
 *
 * Here only the journal and the drive are chosen, from passive looks alone
 * (INQUIRY, TEST UNIT READY, GET CONFIGURATION): a drive on the journal's
 * port whose INQUIRY fits its family is a candidate; one of that family on
 * another port only when the person says it is the same drive. The run is
 * then `flash`'s own (rf-cli-flash.c), from the first step, with the
 * journal's copy of the image: the deep look, a verdict computed anew, the
 * confirmations, and the job, which checks the drive's stored ID and bootcode
 * against the journal under the drive's lock before it writes anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>

#include "rf-cli-drive.h"
#include "rf-cli-flash.h"
#include "rf-cli-job.h"
#include "rf-cli-journals.h"
#include "rf-cli.h"

/* A journal and a drive that may be the one it was writing to. */
typedef struct {
  RfJournal *journal;
  RfDevice *device;
  RfJournalMatch match;
} Candidate;

static void
candidate_free (Candidate *candidate)
{
  g_object_unref (candidate->journal);
  g_object_unref (candidate->device);
  g_free (candidate);
}

typedef struct {
  /* What the user asked for */
  const char *drive_name;   /* NULL: any drive an open journal names */
  gboolean same_drive;
  RfCliFlashRequest request;

  /* What was found */
  GPtrArray *journals;      /* RfJournal */
  RfDriveDb *db;
  RfDeviceMonitor *monitor;
  GPtrArray *candidates;    /* Candidate */
} Resume;

static void
resume_clear (Resume *resume)
{
  g_clear_pointer (&resume->journals, g_ptr_array_unref);
  g_clear_object (&resume->db);
  g_clear_object (&resume->monitor);
  g_clear_pointer (&resume->candidates, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Resume, resume_clear)

static int
fail_code (Resume     *resume,
           RfError     code,
           const char *sentence,
           int         status)
{
  g_autoptr(GError) error = g_error_new (RF_ERROR, code, "resume: %s",
                                         rf_error_code_to_nick (code));

  return rf_cli_flash_say_error (&resume->request, error, sentence, status);
}

static int
fail (Resume       *resume,
      const GError *error)
{
  g_autofree char *sentence = resume->drive_name != NULL
                              ? rf_cli_drive_dup_error_sentence (resume->drive_name, error)
                              : NULL;
  RfError code = rf_error_get_code (error);

  return rf_cli_flash_say_error (&resume->request, error,
                                 sentence != NULL ? sentence : rf_error_code_to_sentence (code),
                                 rf_cli_exit_for_error (error));
}

/* Journals */

static int
read_journals (Resume *resume)
{
  g_autoptr(RfJournalStore) store = rf_journal_store_new (NULL);
  g_autoptr(GError) error = NULL;

  resume->journals = rf_journal_store_list (store, &error);
  if (resume->journals == NULL)
    {
      /* Translators: %s is a folder */
      g_autofree char *sentence = g_strdup_printf (_("The folder of the journals %s cannot be "
                                                     "read."),
                                                   rf_journal_store_get_directory (store));

      g_debug ("journals: %s", error->message);
      return rf_cli_flash_say_error (&resume->request, error, sentence, RF_CLI_EXIT_FAILURE);
    }
  if (resume->journals->len == 0)
    return fail_code (resume, RF_ERROR_NOT_FOUND,
                      _("There is no interrupted flash to resume: no journal is open."),
                      RF_CLI_EXIT_NOT_FOUND);
  return RF_CLI_EXIT_OK;
}

static gboolean
any_practice_journal (Resume *resume)
{
  for (guint i = 0; i < resume->journals->len; i++)
    if (rf_journal_is_practice (g_ptr_array_index (resume->journals, i)))
      return TRUE;
  return FALSE;
}

/* Drives, by passive looks only */

static void
add_matches (Resume   *resume,
             RfDevice *device)
{
  for (guint i = 0; i < resume->journals->len; i++)
    {
      RfJournal *journal = g_ptr_array_index (resume->journals, i);
      RfJournalMatch match = rf_journal_match_listed (journal, device);
      Candidate *candidate;

      if (match == RF_JOURNAL_MATCH_NONE)
        continue;
      candidate = g_new0 (Candidate, 1);
      candidate->journal = g_object_ref (journal);
      candidate->device = g_object_ref (device);
      candidate->match = match;
      g_ptr_array_add (resume->candidates, candidate);
    }
}

/* The drive the person named, and the journals that may be its. */
static gboolean
look_at_named_drive (Resume  *resume,
                     GError **error)
{
  g_autoptr(RfDevice) device = rf_cli_drive_lookup (resume->monitor, resume->drive_name, error);

  if (device == NULL || !rf_cli_drive_check (device, resume->db, "resume", RF_PROBE_DEPTH_PASSIVE, error))
    return FALSE;
  add_matches (resume, device);
  return TRUE;
}

/* Every drive; practice drives only when a journal is a practice drive's,
 * since no other journal can match them. */
static GPtrArray *
list_drives (Resume *resume)
{
  GPtrArray *devices = rf_device_monitor_list_devices (resume->monitor, TRUE);
  gboolean with_practice = any_practice_journal (resume);

  for (guint i = devices->len; i > 0; i--)
    if (!with_practice && rf_device_is_practice (g_ptr_array_index (devices, i - 1)))
      g_ptr_array_remove_index (devices, i - 1);
  return devices;
}

static void
look_at_all_drives (Resume *resume)
{
  g_autoptr(GPtrArray) devices = list_drives (resume);
  g_autoptr(GPtrArray) errors = rf_cli_drive_probe_all (devices, resume->db,
                                                        RF_PROBE_DEPTH_PASSIVE);

  for (guint i = 0; i < devices->len; i++)
    {
      const GError *error = g_ptr_array_index (errors, i);

      if (error != NULL)
        g_debug ("%s: %s", rf_device_get_id (g_ptr_array_index (devices, i)), error->message);
      else
        add_matches (resume, g_ptr_array_index (devices, i));
    }
}

/* Several journals of one drive (a flash interrupted, then another): the
 * drive is offered once, with the journal on its port first, then the one
 * begun last, since that flash is what the drive holds part of now. */
static int
compare_candidates (gconstpointer a,
                    gconstpointer b)
{
  const Candidate *x = *(const Candidate * const *) a;
  const Candidate *y = *(const Candidate * const *) b;
  int by_drive = g_strcmp0 (rf_device_get_id (x->device), rf_device_get_id (y->device));

  if (by_drive != 0)
    return by_drive;
  if (x->match != y->match)
    return x->match == RF_JOURNAL_MATCH_SAME_PORT ? -1 : 1;
  return -g_date_time_compare (rf_journal_get_started (x->journal),
                               rf_journal_get_started (y->journal));
}

static void
keep_one_journal_per_drive (Resume *resume)
{
  GPtrArray *candidates = resume->candidates;

  g_ptr_array_sort (candidates, compare_candidates);
  for (guint i = 1; i < candidates->len;)
    {
      Candidate *before = g_ptr_array_index (candidates, i - 1);
      Candidate *candidate = g_ptr_array_index (candidates, i);

      if (g_str_equal (rf_device_get_id (before->device), rf_device_get_id (candidate->device)))
        {
          g_debug ("%s: journal %s left for %s, begun later", rf_device_get_id (candidate->device),
                   rf_journal_get_id (candidate->journal), rf_journal_get_id (before->journal));
          g_ptr_array_remove_index (candidates, i);
        }
      else
        i++;
    }
}

static GPtrArray *
candidates_matching (Resume         *resume,
                     RfJournalMatch  match)
{
  GPtrArray *found = g_ptr_array_new ();

  for (guint i = 0; i < resume->candidates->len; i++)
    {
      Candidate *candidate = g_ptr_array_index (resume->candidates, i);

      if (candidate->match == match)
        g_ptr_array_add (found, candidate);
    }
  return found;
}

/* Words */

static void
describe (Resume    *resume,
          Candidate *candidate,
          FILE      *out)
{
  g_autofree char *model = rf_cli_journal_model_name (resume->db, candidate->journal);

  /* Translators: the drive ("/dev/sg1"), its model, the image's name and
   * version, how far the interrupted flash got */
  fprintf (out, _("%s, %s: %s %s (%s)\n"), rf_device_get_id (candidate->device), model,
           rf_journal_get_image_name (candidate->journal),
           rf_journal_get_image_revision (candidate->journal) != NULL
           ? rf_journal_get_image_revision (candidate->journal) : "-",
           rf_cli_journal_phase_to_title (resume->db, candidate->journal));
}

static void
write_candidate_event (Resume    *resume,
                       Candidate *candidate)
{
  g_autofree char *model = rf_cli_journal_model_name (resume->db, candidate->journal);
  RfJsonWriter *json = rf_cli_event_begin ("candidate");

  rf_json_writer_member_string (json, "drive", rf_device_get_id (candidate->device));
  rf_json_writer_member_string (json, "model", model);
  rf_json_writer_member_string (json, "match", candidate->match == RF_JOURNAL_MATCH_SAME_PORT
                                ? "same-port" : "other-port");
  rf_json_writer_member_string (json, "journal", rf_journal_get_id (candidate->journal));
  rf_json_writer_member_string (json, "journal_phase",
                                rf_journal_phase_to_nick (
                                  rf_journal_get_phase (candidate->journal)));
  rf_json_writer_member_string (json, "image", rf_journal_get_image_name (candidate->journal));
  rf_json_writer_member_string (json, "image_revision",
                                rf_journal_get_image_revision (candidate->journal));
  rf_cli_event_end (json, stdout);
}

static void
list_candidates (Resume    *resume,
                 GPtrArray *candidates,
                 gboolean   numbered)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      if (resume->request.as_json)
        write_candidate_event (resume, g_ptr_array_index (candidates, i));
      if (numbered)
        fprintf (stderr, "  %u  ", i + 1);
      else
        fprintf (stderr, "  ");
      describe (resume, g_ptr_array_index (candidates, i), stderr);
    }
}

/* Choosing */

/* The person picks one by its number; anything else stops. */
static Candidate *
pick (Resume    *resume,
      GPtrArray *candidates)
{
  char answer[64] = { 0 };
  char *end = NULL;
  guint64 number;

  fprintf (stderr, "%s\n", _("Interrupted flashes that can be resumed:"));
  list_candidates (resume, candidates, TRUE);
  /* Translators: how many drives are offered */
  fprintf (stderr, _("Which drive? Type its number (1 to %u), or nothing to stop: "),
           candidates->len);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return NULL;
  g_strstrip (answer);
  number = g_ascii_strtoull (answer, &end, 10);
  if (answer[0] == '\0' || *end != '\0' || number < 1 || number > candidates->len)
    return NULL;
  return g_ptr_array_index (candidates, number - 1);
}

static int
not_picked (Resume *resume)
{
  return fail_code (resume, RF_ERROR_NEEDS_CONFIRMATION,
                    _("No drive was chosen. Nothing was written; the journal is kept."),
                    RF_CLI_EXIT_NOT_CONFIRMED);
}

/* A drive of the journal's family on another port may be the same drive
 * moved to another connector, or a twin: only the person can tell. */
static int
confirm_same_drive (Resume    *resume,
                    Candidate *candidate)
{
  g_autofree char *model = rf_cli_journal_model_name (resume->db, candidate->journal);
  g_autofree char *was = rf_cli_journal_drive_name (candidate->journal);

  if (resume->same_drive)
    return RF_CLI_EXIT_OK;
  /* Translators: the model, the drive's old name and port, then the drive
   * found now and its port */
  fprintf (stderr, _("The interrupted flash was writing to an %s known as %s on port %s. %s is "
                     "of the same kind, on port %s.\n"),
           model, was, rf_journal_get_port (candidate->journal) != NULL
           ? rf_journal_get_port (candidate->journal) : "-",
           rf_device_get_id (candidate->device),
           rf_device_get_bus_path (candidate->device) != NULL
           ? rf_device_get_bus_path (candidate->device) : "-");
  if (!rf_cli_is_interactive ())
    return fail_code (resume, RF_ERROR_NEEDS_CONFIRMATION,
                      _("If it is the same drive, moved to another connector, confirm it with "
                        "--same-drive. Nothing was written; the journal is kept."),
                      RF_CLI_EXIT_NOT_CONFIRMED);
  if (!rf_cli_ask (_("Is it the same drive, moved to another connector?")))
    return fail_code (resume, RF_ERROR_NEEDS_CONFIRMATION,
                      _("Nothing was written; the journal is kept."), RF_CLI_EXIT_NOT_CONFIRMED);
  return RF_CLI_EXIT_OK;
}

static int
no_candidate (Resume    *resume,
              GPtrArray *elsewhere)
{
  if (resume->drive_name != NULL)
    return fail_code (resume, RF_ERROR_NOT_FOUND,
                      _("This is not the drive an interrupted flash was writing to. Nothing "
                        "was written; the journal is kept. “reflash-cli journals” shows which "
                        "drive it names."),
                      RF_CLI_EXIT_NOT_FOUND);
  if (elsewhere->len > 0)
    {
      fprintf (stderr, "%s\n", _("No drive is on the port of the interrupted flash's drive; "
                                 "these are of the same kind, on other ports:"));
      list_candidates (resume, elsewhere, FALSE);
      return fail_code (resume, RF_ERROR_NOT_FOUND,
                        _("If one is the same drive, moved to another connector, run "
                          "“reflash-cli resume DRIVE --same-drive” with its name. Nothing was "
                          "written; the journal is kept."),
                        RF_CLI_EXIT_NOT_FOUND);
    }
  return fail_code (resume, RF_ERROR_NOT_FOUND,
                    _("The drive of the interrupted flash is not connected. The journal is kept: "
                      "connect the drive, on the same port if you can, and run “reflash-cli "
                      "resume” again (“reflash-cli journals” shows which drive it names)."),
                    RF_CLI_EXIT_NOT_FOUND);
}

static int
several_candidates (Resume    *resume,
                    GPtrArray *candidates)
{
  fprintf (stderr, "%s\n", _("Several drives may be the one an interrupted flash was writing to:"));
  list_candidates (resume, candidates, FALSE);
  fprintf (stderr, "%s\n", _("Name the drive: reflash-cli resume DRIVE"));
  return RF_CLI_EXIT_USAGE;
}

/* The person picks among @offered; a drive on another port needs their
 * word that it is the same drive. */
static int
offer (Resume     *resume,
       GPtrArray  *offered,
       Candidate **chosen)
{
  if (!rf_cli_is_interactive ())
    return several_candidates (resume, offered);
  if ((*chosen = pick (resume, offered)) == NULL)
    return not_picked (resume);
  if ((*chosen)->match == RF_JOURNAL_MATCH_OTHER_PORT)
    return confirm_same_drive (resume, *chosen);
  return RF_CLI_EXIT_OK;
}

/* Sets @chosen, or says why there is none and returns the exit status. */
static int
choose (Resume     *resume,
        Candidate **chosen)
{
  g_autoptr(GPtrArray) same = NULL;
  g_autoptr(GPtrArray) other = NULL;

  keep_one_journal_per_drive (resume);
  same = candidates_matching (resume, RF_JOURNAL_MATCH_SAME_PORT);
  other = candidates_matching (resume, RF_JOURNAL_MATCH_OTHER_PORT);
  if (same->len == 1)
    {
      *chosen = g_ptr_array_index (same, 0);
      return RF_CLI_EXIT_OK;
    }
  if (same->len > 1)
    return offer (resume, same, chosen);
  if (other->len == 0)
    return no_candidate (resume, other);
  if (resume->drive_name != NULL)
    {
      /* The one drive the person named, on another port. */
      *chosen = g_ptr_array_index (other, 0);
      return confirm_same_drive (resume, *chosen);
    }
  /* Only drives on other ports: without a terminal, the person names one. */
  if (!rf_cli_is_interactive ())
    return no_candidate (resume, other);
  return offer (resume, other, chosen);
}

static int
find_candidates (Resume *resume)
{
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = read_journals (resume)) != RF_CLI_EXIT_OK)
    return status;
  resume->db = rf_drive_db_new_default (&error);
  if (resume->db == NULL)
    return fail (resume, error);
  resume->monitor = rf_cli_drive_monitor_new (resume->db);
  resume->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) candidate_free);
  if (resume->drive_name == NULL)
    look_at_all_drives (resume);
  else if (!look_at_named_drive (resume, &error))
    return fail (resume, error);
  return RF_CLI_EXIT_OK;
}

/* Options */

static int
usage_error (const char *message)
{
  fprintf (stderr, "reflash-cli resume: %s\n", message);
  return RF_CLI_EXIT_USAGE;
}

int
rf_cli_resume_run (int    argc,
                   char **argv)
{
  g_auto(RfCliFlashOptions) options = { 0 };
  g_auto(Resume) resume = { 0 };
  const GOptionEntry entries[] = {
    { "same-drive", 0, 0, G_OPTION_ARG_NONE, &resume.same_drive,
      N_("DRIVE is the drive of the interrupted flash, moved to another port: you checked"),
      NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("[DRIVE] — finish a flash that was interrupted"));
  g_autoptr(GError) error = NULL;
  Candidate *chosen = NULL;
  int status;

  g_option_context_set_description (context,
                                    _("DRIVE is a node such as /dev/sg1 or /dev/sr0, or a practice drive such as practice:seed; without it, Reflash looks for the drive of each open journal (see “reflash-cli journals”)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  rf_cli_flash_options_add (context, &options, FALSE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (argc > 2)
    return usage_error (_("give at most one drive"));
  resume.drive_name = argc == 2 ? argv[1] : NULL;
  resume.request.command = "resume";
  resume.request.drive_name = resume.drive_name;
  resume.request.as_json = options.as_json;
  resume.request.yes = options.yes;
  resume.request.given = rf_cli_flash_options_given (&options);
  resume.request.practice_speed = RF_CLI_DEFAULT_PRACTICE_SPEED;
  if (resume.drive_name != NULL &&
      !rf_cli_parse_practice_speed (options.speed_text, resume.drive_name,
                                    &resume.request.practice_speed, &error))
    return usage_error (error->message);

  if ((status = find_candidates (&resume)) != RF_CLI_EXIT_OK ||
      (status = choose (&resume, &chosen)) != RF_CLI_EXIT_OK)
    return status;
  if (resume.drive_name == NULL)
    {
      resume.request.drive_name = rf_device_get_id (chosen->device);
      if (!rf_cli_parse_practice_speed (options.speed_text, resume.request.drive_name,
                                        &resume.request.practice_speed, &error))
        return usage_error (error->message);
    }
  resume.request.resume = chosen->journal;
  return rf_cli_flash_run_request (&resume.request);
}
