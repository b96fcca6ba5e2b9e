/* rf-test-fault-rig.c: a flash through reflash-cli with faults injected, and
 * the recovery that reflash-cli alone must bring
 *
 * A practice drive lives in the process of the reflash-cli that uses it, and
 * reopening one is a power-up (src/sim/rf-sim-state.c). Each run gets a folder
 * of its own: its $XDG_* folders, an empty power supply folder (on mains), and
 * a data folder whose practice drive `practice:fault` is the rig's scenario
 * with [Fault] groups added (data/practice/README.md). A fault fires once,
 * in whichever reflash-cli process first reaches its command number, and the
 * practice drive says so in its debug log ("fault KIND fires on command N").
 *
 * The census is one undisturbed flash with the drive's and the flash job's
 * debug logs on: the drive numbers each command and names what it does, the
 * job names each phase as it begins, both in order on standard error.
 *
 * Nothing here asserts: runs go on in worker threads, and each ends in an
 * RfTestFaultResult that the caller counts.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rf-nec-2m.h"
#include "rf-sim.h"
#include "rf-test-fault-rig.h"
#include "rf-test-json-tree.h"
#include "rf-test-util.h"

#define DRIVE "practice:fault"

struct _RfTestFaultRig {
  char *cli;
  char *scenario;        /* the shipped scenario's ID */
  char *scenario_text;   /* its file */
  char *drives_dir;      /* the shipped drive families */
  gboolean nec;
  char *dir;             /* everything the rig makes */
  char *image_path;
  GBytes *image;
  GBytes *original;      /* the drive's non-volatile memory as shipped */
  char *old_revision;
  gboolean old_safe_mode;
  char *new_revision;
  GPtrArray *census;     /* RfTestFaultCommand */
};

/* What one reflash-cli run gave. */
typedef struct {
  int wait_status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* One run's folder and environment. */
typedef struct {
  char *dir;
  char **env;
} Place;

static void
place_clear (Place *place)
{
  if (place->dir != NULL && g_getenv ("REFLASH_FAULTS_KEEP") == NULL)
    rf_test_remove_tree (place->dir);
  g_clear_pointer (&place->dir, g_free);
  g_clear_pointer (&place->env, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Place, place_clear)

static void
command_free (gpointer data)
{
  RfTestFaultCommand *command = data;

  g_free (command->phase);
  g_free (command);
}

/* ---- running reflash-cli ---- */

static gboolean
run_cli (RfTestFaultRig      *self,
         char               **env,
         const char * const  *args,
         Run                 *run,
         GError             **error)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, self->cli);
  for (gsize i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_STDIN_FROM_DEV_NULL, NULL, NULL,
                       &run->out, &run->err, &run->wait_status, error);
}

static gboolean
exited_ok (const Run *run)
{
  return WIFEXITED (run->wait_status) && WEXITSTATUS (run->wait_status) == 0;
}

/* The last lines of @text, for a problem's description. */
static char *
tail_of (const char *text)
{
  gsize length = text != NULL ? strlen (text) : 0;
  gsize keep = MIN (length, 600);

  return g_strdup (text != NULL ? text + length - keep : "");
}

static char *
describe_run (const char *what,
              const Run  *run)
{
  g_autofree char *tail = tail_of (run->err);

  if (WIFSIGNALED (run->wait_status))
    return g_strdup_printf ("%s died of signal %d; its last words: %s", what,
                            WTERMSIG (run->wait_status), tail);
  return g_strdup_printf ("%s exited %d: %s", what, WEXITSTATUS (run->wait_status), tail);
}

/* ---- places ---- */

static gboolean
write_text (const char  *dir,
            const char  *name,
            const char  *text,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_set_contents (path, text, -1, error);
}

/* The scenario with a [Fault] group per fault. */
static char *
faulty_scenario (RfTestFaultRig    *self,
                 const RfTestFault *faults,
                 guint              n_faults)
{
  GString *text = g_string_new (self->scenario_text);

  for (guint i = 0; i < n_faults; i++)
    {
      g_string_append_printf (text, "\n[Fault f%u]\nKind=%s\nCommand=%u\n", i,
                              rf_sim_fault_kind_to_nick (faults[i].kind), faults[i].command);
      if (faults[i].byte_offset >= 0)
        g_string_append_printf (text, "ByteOffset=%" G_GINT64_FORMAT "\n", faults[i].byte_offset);
    }
  return g_string_free (text, FALSE);
}

static gboolean
place_init (RfTestFaultRig    *self,
            Place             *place,
            const RfTestFault *faults,
            guint              n_faults,
            const char        *debug,
            GError           **error)
{
  g_autofree char *template = g_build_filename (self->dir, "run-XXXXXX", NULL);
  g_autofree char *practice = NULL;
  g_autofree char *drives = NULL;
  g_autofree char *power = NULL;
  g_autofree char *data = NULL;
  g_autofree char *text = NULL;

  place->dir = g_mkdtemp (g_steal_pointer (&template));
  if (place->dir == NULL)
    return g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "mkdtemp: %s",
                        g_strerror (errno)), FALSE;
  data = g_build_filename (place->dir, "data", NULL);
  practice = g_build_filename (data, "practice", NULL);
  drives = g_build_filename (data, "drives", NULL);
  power = g_build_filename (place->dir, "power", NULL);
  if (g_mkdir_with_parents (practice, 0700) != 0 || g_mkdir (power, 0700) != 0 ||
      symlink (self->drives_dir, drives) != 0)
    return g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "%s: %s",
                        place->dir, g_strerror (errno)), FALSE;
  text = faulty_scenario (self, faults, n_faults);
  if (!write_text (practice, "fault.conf", text, error))
    return FALSE;

  place->env = rf_test_cli_environ (place->dir);
  place->env = g_environ_setenv (place->env, "XDG_CONFIG_HOME", place->dir, TRUE);
  place->env = g_environ_setenv (place->env, "XDG_RUNTIME_DIR", place->dir, TRUE);
  place->env = g_environ_setenv (place->env, "REFLASH_POWER_SUPPLY_DIR", power, TRUE);
  place->env = g_environ_setenv (place->env, "REFLASH_DATA_DIR", data, TRUE);
  if (debug != NULL)
    place->env = g_environ_setenv (place->env, "G_MESSAGES_DEBUG", debug, TRUE);
  else
    place->env = g_environ_unsetenv (place->env, "G_MESSAGES_DEBUG");
  return TRUE;
}

/* ---- the flash and its recovery, as a user runs them ---- */

/* Every confirmation a person who answers yes gives; an option a flash does
 * not need is accepted and ignored. */
#define YES "--tray-empty", "--accept-untested", "--accept-unknown-order", "--yes", \
            "--json", "--practice-speed", "0"

static gboolean
run_flash (RfTestFaultRig *self,
           Place          *place,
           Run            *run,
           GError        **error)
{
  const char *args[] = { "flash", DRIVE, self->image_path, YES, NULL };

  return run_cli (self, place->env, args, run, error);
}

static gboolean
run_resume (RfTestFaultRig *self,
            Place          *place,
            Run            *run,
            GError        **error)
{
  const char *args[] = { "resume", YES, NULL };

  return run_cli (self, place->env, args, run, error);
}

static gboolean
run_recover (RfTestFaultRig *self,
             Place          *place,
             Run            *run,
             GError        **error)
{
  const char *args[] = { "recover", DRIVE, self->image_path, YES, NULL };

  return run_cli (self, place->env, args, run, error);
}

static GVariant *
run_json (RfTestFaultRig      *self,
          Place               *place,
          const char * const  *args,
          GError             **error)
{
  g_auto(Run) run = { 0 };

  if (!run_cli (self, place->env, args, &run, error))
    return NULL;
  if (!exited_ok (&run))
    {
      g_autofree char *text = describe_run (args[0], &run);

      g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s", text);
      return NULL;
    }
  return rf_test_json_tree_parse (run.out, strlen (run.out), error);
}

typedef struct {
  char *revision;
  gboolean safe_mode;
} DriveInfo;

static void
drive_info_clear (DriveInfo *info)
{
  g_clear_pointer (&info->revision, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (DriveInfo, drive_info_clear)

static gboolean
read_info (RfTestFaultRig *self,
           Place          *place,
           DriveInfo      *info,
           GError        **error)
{
  const char *args[] = { "info", DRIVE, "--json", NULL };
  g_autoptr(GVariant) tree = run_json (self, place, args, error);

  if (tree == NULL)
    return FALSE;
  if (!g_variant_lookup (tree, "safe_mode", "b", &info->safe_mode) ||
      !g_variant_lookup (tree, "revision", "s", &info->revision))
    return g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED,
                        "info: no revision or safe mode: the drive does not answer"), FALSE;
  return TRUE;
}

static gssize
count_open_journals (RfTestFaultRig *self,
                     Place          *place,
                     GError        **error)
{
  const char *args[] = { "journals", "--json", NULL };
  g_autoptr(GVariant) tree = run_json (self, place, args, error);

  return tree != NULL ? (gssize) g_variant_n_children (tree) : -1;
}

/* How many of @faults the debug log of a run says fired, and whether a kill
 * was among them. */
static guint
count_fired (const char *err,
             gboolean   *killed)
{
  g_auto(GStrv) lines = g_strsplit (err != NULL ? err : "", "\n", -1);
  guint fired = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at = strstr (lines[i], ": fault ");

      if (at == NULL || strstr (at, " fires on command ") == NULL)
        continue;
      fired++;
      if (g_str_has_prefix (at, ": fault killed "))
        *killed = TRUE;
    }
  return fired;
}

/* A run either exits, or was killed by a fault that fired in it. */
static gboolean
check_ending (const Run  *run,
              const char *what,
              gboolean    killed,
              char      **problem)
{
  if (WIFSIGNALED (run->wait_status) &&
      !(killed && WTERMSIG (run->wait_status) == SIGKILL))
    {
      *problem = describe_run (what, run);
      return FALSE;
    }
  return TRUE;
}

/* A run that exits 0 says the drive works: it must not be in safe mode. */
static void
check_success_claim (RfTestFaultRig *self,
                     Place          *place,
                     const Run      *run,
                     const char     *what,
                     GString        *problems)
{
  g_auto(DriveInfo) info = { 0 };

  if (exited_ok (run) && read_info (self, place, &info, NULL) && info.safe_mode)
    g_string_append_printf (problems, " %s said it succeeded, yet the drive is in safe mode;",
                            what);
}

/* ---- what is left afterwards ---- */

static GBytes *
read_drive_memory (RfTestFaultRig *self,
                   Place          *place)
{
  g_autofree char *path = g_build_filename (place->dir, "reflash", "practice", "fault.flash",
                                            NULL);
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return g_bytes_ref (self->original);
  return g_bytes_new_take (contents, length);
}

static gboolean
holds_image (RfTestFaultRig *self,
             GBytes         *memory)
{
  gsize image_size = g_bytes_get_size (self->image);
  const guint8 *nvm = g_bytes_get_data (memory, NULL);
  const guint8 *original = g_bytes_get_data (self->original, NULL);

  if (!self->nec)
    return g_bytes_equal (memory, self->image);
  /* The main firmware is the image's; the bootcode and the identity before
   * it are untouched (nec-2m.md §0). */
  return g_bytes_get_size (memory) == RF_NEC_FLASH_SIZE && image_size >= RF_NEC_MAIN_SIZE &&
         memcmp (nvm + RF_NEC_MAIN_START, g_bytes_get_data (self->image, NULL),
                 RF_NEC_MAIN_SIZE) == 0 &&
         memcmp (nvm, original, RF_NEC_MAIN_START) == 0;
}

/* A file left under a temporary name: a .part of Reflash's own, or a
 * practice drive's NAME.XXXXXX beside NAME. */
static gboolean
is_temporary (const char *dir,
              const char *name)
{
  gsize length = strlen (name);
  g_autofree char *base = NULL;
  g_autofree char *path = NULL;

  if (g_str_has_suffix (name, ".part"))
    return TRUE;
  if (length < 8 || name[length - 7] != '.')
    return FALSE;
  base = g_strndup (name, length - 7);
  path = g_build_filename (dir, base, NULL);
  return g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
find_temporary_files (const char *dir,
                      GString    *found)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        find_temporary_files (path, found);
      else if (is_temporary (dir, name))
        g_string_append_printf (found, " %s", path);
    }
}

/* Every lock file can be locked exclusively at once: no process holds one. */
static char *
find_held_lock (Place *place)
{
  g_autofree char *dir = g_build_filename (place->dir, "reflash", NULL);
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gboolean held;
      int fd;

      if (!g_str_has_suffix (name, ".lock"))
        continue;
      fd = open (path, O_RDONLY | O_CLOEXEC);
      if (fd < 0)
        continue;
      held = flock (fd, LOCK_EX | LOCK_NB) != 0;
      close (fd);
      if (held)
        return g_strdup (path);
    }
  return NULL;
}

static guint
count_files_ending (const char *dir,
                    const char *suffix)
{
  g_autoptr(GDir) folder = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (folder != NULL && (name = g_dir_read_name (folder)) != NULL)
    n += g_str_has_suffix (name, suffix);
  return n;
}

/* Each stored backup is listed, and its image still has the SHA-256 its
 * record gives. Returns how many do not. */
static guint
check_backups (RfTestFaultRig *self,
               Place          *place,
               GString        *problems)
{
  const char *args[] = { "backups", "--json", NULL };
  g_autofree char *store = g_build_filename (place->dir, "reflash", "backups", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) tree = run_json (self, place, args, &error);
  guint stored = count_files_ending (store, ".backup");
  guint bad = 0;
  gsize listed;

  if (tree == NULL)
    {
      g_string_append_printf (problems, " backups cannot be listed: %s;", error->message);
      return MAX (stored, 1);
    }
  listed = g_variant_n_children (tree);
  if (listed != stored)
    {
      g_string_append_printf (problems, " %u backups stored, %zu listed;", stored, listed);
      bad += stored > listed ? stored - (guint) listed : 0;
    }
  for (gsize i = 0; i < listed; i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (tree, i);
      g_autoptr(GVariant) backup = g_variant_get_variant (boxed);
      const char *image = NULL;
      const char *sha256 = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *actual = NULL;
      gsize length = 0;

      if (!g_variant_lookup (backup, "image", "&s", &image) ||
          !g_variant_lookup (backup, "sha256", "&s", &sha256) ||
          !g_file_get_contents (image, &contents, &length, NULL))
        {
          g_string_append (problems, " a backup's image cannot be read;");
          bad++;
          continue;
        }
      actual = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guint8 *) contents, length);
      if (!g_str_equal (actual, sha256))
        {
          g_string_append_printf (problems, " backup %s no longer matches its SHA-256;", image);
          bad++;
        }
    }
  return bad;
}

/* Runs resume or recover while the drive needs either, at most @max times.
 * A run that fails is no problem by itself (a fault may have hit it): what
 * counts is how the drive ends. Its words go to @notes, for the log. */
static void
recover_drive (RfTestFaultRig    *self,
               Place             *place,
               guint              max,
               RfTestFaultResult *result,
               GString           *problems,
               GString           *notes)
{
  for (guint attempt = 0; attempt < max; attempt++)
    {
      g_autoptr(GError) error = NULL;
      g_auto(DriveInfo) info = { 0 };
      g_auto(Run) run = { 0 };
      g_autofree char *problem = NULL;
      gboolean killed = FALSE;
      gssize journals = count_open_journals (self, place, &error);
      const char *what;

      if (journals < 0)
        {
          g_string_append_printf (problems, " %s;", error->message);
          return;
        }
      if (journals > 0)
        {
          what = "resume";
          if (!run_resume (self, place, &run, &error))
            break;
        }
      else
        {
          /* No journal: a fault before it, or a run that closed it. A drive
           * that found itself in safe mode, or was left there, gets the image
           * with `recover`; one in normal mode needs nothing. */
          if (read_info (self, place, &info, NULL) && !info.safe_mode)
            return;
          what = "recover";
          if (!run_recover (self, place, &run, &error))
            break;
        }
      result->runs++;
      result->fired += count_fired (run.err, &killed);
      if (!check_ending (&run, what, killed, &problem))
        {
          g_string_append_printf (problems, " %s;", problem);
          return;
        }
      check_success_claim (self, place, &run, what, problems);
      if (!exited_ok (&run) && !killed)
        {
          g_autofree char *text = describe_run (what, &run);

          g_string_append_printf (notes, " (%s)", text);
        }
    }
}

/* What the drive and the folders hold after the last run. */
static void
judge (RfTestFaultRig    *self,
       Place             *place,
       RfTestFaultResult *result,
       GString           *problems)
{
  g_autoptr(GError) error = NULL;
  g_auto(DriveInfo) info = { 0 };
  g_autoptr(GBytes) memory = read_drive_memory (self, place);
  g_autoptr(GString) temporary = g_string_new (NULL);
  g_autofree char *held = NULL;
  gboolean flashed;
  gboolean unchanged;
  gssize journals;

  if (!read_info (self, place, &info, &error))
    {
      g_string_append_printf (problems, " %s;", error->message);
      g_clear_error (&error);
    }
  flashed = holds_image (self, memory) && info.revision != NULL &&
            g_str_equal (info.revision, self->new_revision) && !info.safe_mode;
  /* Unchanged counts only for a drive that worked when it was found. */
  unchanged = g_bytes_equal (memory, self->original) && info.revision != NULL &&
              g_str_equal (info.revision, self->old_revision) &&
              info.safe_mode == self->old_safe_mode && !self->old_safe_mode;
  if (!flashed && !unchanged)
    {
      g_string_append_printf (problems, " the drive holds neither firmware (it reports %s%s);",
                              info.revision != NULL ? info.revision : "nothing",
                              info.safe_mode ? ", safe mode" : "");
      result->data_lost++;
    }
  result->outcome = flashed ? RF_TEST_FAULT_FLASHED
                  : unchanged ? RF_TEST_FAULT_UNCHANGED : RF_TEST_FAULT_NOT_RECOVERED;

  journals = count_open_journals (self, place, &error);
  if (journals != 0)
    g_string_append_printf (problems, " %s;",
                            journals < 0 ? error->message : "a journal is still open");
  result->data_lost += check_backups (self, place, problems);
  held = find_held_lock (place);
  if (held != NULL)
    g_string_append_printf (problems, " %s is locked;", held);
  find_temporary_files (place->dir, temporary);
  if (temporary->len > 0)
    g_string_append_printf (problems, " temporary files left:%s;", temporary->str);
}

/**
 * rf_test_fault_rig_run:
 * @faults: what to inject; each fires once
 * @max_recoveries: how many resume or recover runs may follow the flash
 *
 * Flashes the image with @faults armed, recovers with reflash-cli alone, and
 * judges what is left. Thread-safe: each call has a folder of its own.
 */
void
rf_test_fault_rig_run (RfTestFaultRig    *self,
                       const RfTestFault *faults,
                       guint              n_faults,
                       guint              max_recoveries,
                       RfTestFaultResult *result)
{
  g_auto(Place) place = { 0 };
  g_auto(Run) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  g_autoptr(GString) notes = g_string_new (NULL);
  g_autofree char *problem = NULL;
  gboolean killed = FALSE;

  *result = (RfTestFaultResult) { .outcome = RF_TEST_FAULT_NOT_RECOVERED };
  if (!place_init (self, &place, faults, n_faults, "rf-sim", &error) ||
      !run_flash (self, &place, &run, &error))
    {
      result->problem = g_strdup (error->message);
      return;
    }
  result->runs = 1;
  result->fired = count_fired (run.err, &killed);
  result->flash_status = WIFEXITED (run.wait_status) ? WEXITSTATUS (run.wait_status) : -1;
  if (!check_ending (&run, "flash", killed, &problem))
    {
      g_string_append_printf (problems, " %s;", problem);
    }
  else
    {
      check_success_claim (self, &place, &run, "the flash", problems);
      recover_drive (self, &place, max_recoveries, result, problems, notes);
    }
  judge (self, &place, result, problems);
  if (problems->len > 0)
    {
      g_string_append (problems, notes->str);
      result->outcome = RF_TEST_FAULT_NOT_RECOVERED;
      result->problem = g_strdup (problems->str + 1);
      if (g_getenv ("REFLASH_FAULTS_KEEP") != NULL)
        g_printerr ("# kept %s\n", place.dir);
    }
}

void
rf_test_fault_result_clear (RfTestFaultResult *result)
{
  g_clear_pointer (&result->problem, g_free);
}

char *
rf_test_fault_describe (const RfTestFault *fault)
{
  if (fault->byte_offset >= 0)
    return g_strdup_printf ("%s at command %u, %" G_GINT64_FORMAT " bytes in",
                            rf_sim_fault_kind_to_nick (fault->kind), fault->command,
                            fault->byte_offset);
  return g_strdup_printf ("%s at command %u", rf_sim_fault_kind_to_nick (fault->kind),
                          fault->command);
}

/* ---- the census ---- */

static gboolean
parse_census (RfTestFaultRig *self,
              const char     *err,
              GError        **error)
{
  g_auto(GStrv) lines = g_strsplit (err, "\n", -1);
  g_autofree char *phase = g_strdup ("identify");

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *at;
      char nick[32] = "";
      guint number = 0;
      guint nth = 0;

      if ((at = strstr (lines[i], "phase ")) != NULL && g_str_has_suffix (lines[i], " begins") &&
          sscanf (at, "phase %31s begins", nick) == 1)
        {
          g_free (phase);
          phase = g_strdup (nick);
        }
      else if ((at = strstr (lines[i], "fault: command ")) != NULL &&
               sscanf (at, "fault: command %u is %31s #%u", &number, nick, &nth) == 3)
        {
          RfTestFaultCommand *command = g_new0 (RfTestFaultCommand, 1);

          if (number != self->census->len + 1 || !rf_sim_phase_from_nick (nick, &command->sim_phase))
            {
              command_free (command);
              return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                                  "census: unexpected line %s", lines[i]), FALSE;
            }
          command->number = number;
          command->phase = g_strdup (phase);
          g_ptr_array_add (self->census, command);
        }
    }
  if (self->census->len == 0)
    return g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                        "census: the practice drive logged no command"), FALSE;
  return TRUE;
}

static GBytes *
shipped_memory (const char *scenario_path,
                GError    **error)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);
  g_autoptr(RfSimDrive) drive = NULL;
  RfSimScenario *scenario = rf_sim_scenario_load_file (scenario_path, error);

  if (scenario == NULL)
    return NULL;
  drive = rf_sim_drive_new (scenario, NULL, clock, error);
  rf_sim_scenario_free (scenario);
  return drive != NULL ? rf_sim_drive_dup_flash (drive) : NULL;
}

/* The image, the drive as found, one undisturbed flash, the drive after it. */
static gboolean
take_census (RfTestFaultRig *self,
             GError        **error)
{
  g_auto(Place) place = { 0 };
  g_auto(Run) image_run = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(DriveInfo) before = { 0 };
  g_auto(DriveInfo) after = { 0 };
  char *contents = NULL;
  gsize length = 0;

  self->image_path = g_build_filename (self->dir, "image.bin", NULL);
  if (!place_init (self, &place, NULL, 0, "rf-sim rf-core", error))
    return FALSE;
  {
    const char *args[] = { "practice", "firmware", DRIVE, "-o", self->image_path, NULL };

    if (!run_cli (self, place.env, args, &image_run, error))
      return FALSE;
    if (!exited_ok (&image_run))
      return g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s",
                          image_run.err), FALSE;
  }
  if (!g_file_get_contents (self->image_path, &contents, &length, error))
    return FALSE;
  self->image = g_bytes_new_take (contents, length);
  if (!read_info (self, &place, &before, error) || !run_flash (self, &place, &run, error))
    return FALSE;
  if (!exited_ok (&run))
    {
      g_autofree char *text = describe_run ("the census flash", &run);

      return g_set_error (error, G_SPAWN_ERROR, G_SPAWN_ERROR_FAILED, "%s", text), FALSE;
    }
  if (!read_info (self, &place, &after, error) || !parse_census (self, run.err, error))
    return FALSE;
  self->old_revision = g_steal_pointer (&before.revision);
  self->old_safe_mode = before.safe_mode;
  self->new_revision = g_steal_pointer (&after.revision);
  return TRUE;
}

/**
 * rf_test_fault_rig_new:
 * @cli: reflash-cli's path
 * @scenario: a shipped practice drive's ID, from $REFLASH_DATA_DIR/practice
 *
 * Makes the drive's image and takes the census of an undisturbed flash.
 */
RfTestFaultRig *
rf_test_fault_rig_new (const char  *cli,
                       const char  *scenario,
                       GError     **error)
{
  g_autoptr(RfTestFaultRig) self = g_new0 (RfTestFaultRig, 1);
  const char *data = g_getenv ("REFLASH_DATA_DIR");
  g_autofree char *file = g_strconcat (scenario, ".conf", NULL);
  g_autofree char *path = NULL;
  g_autoptr(RfSimScenario) shipped = NULL;

  g_return_val_if_fail (data != NULL, NULL);
  self->cli = g_strdup (cli);
  self->scenario = g_strdup (scenario);
  self->census = g_ptr_array_new_with_free_func (command_free);
  self->drives_dir = g_build_filename (data, "drives", NULL);
  path = g_build_filename (data, "practice", file, NULL);
  if (!g_file_get_contents (path, &self->scenario_text, NULL, error))
    return NULL;
  shipped = rf_sim_scenario_load_file (path, error);
  if (shipped == NULL)
    return NULL;
  self->nec = shipped->protocol == RF_SIM_PROTOCOL_NEC_2M;
  self->original = shipped_memory (path, error);
  if (self->original == NULL)
    return NULL;
  self->dir = g_dir_make_tmp ("reflash-faults-XXXXXX", error);
  if (self->dir == NULL || !take_census (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
rf_test_fault_rig_free (RfTestFaultRig *self)
{
  if (self == NULL)
    return;
  if (self->dir != NULL && g_getenv ("REFLASH_FAULTS_KEEP") == NULL)
    rf_test_remove_tree (self->dir);
  g_free (self->dir);
  g_free (self->cli);
  g_free (self->scenario);
  g_free (self->scenario_text);
  g_free (self->drives_dir);
  g_free (self->image_path);
  g_clear_pointer (&self->image, g_bytes_unref);
  g_clear_pointer (&self->original, g_bytes_unref);
  g_free (self->old_revision);
  g_free (self->new_revision);
  g_clear_pointer (&self->census, g_ptr_array_unref);
  g_free (self);
}

const char *
rf_test_fault_rig_get_scenario (RfTestFaultRig *self)
{
  return self->scenario;
}

/* (element-type RfTestFaultCommand): the undisturbed flash's commands */
GPtrArray *
rf_test_fault_rig_get_census (RfTestFaultRig *self)
{
  return self->census;
}

/* Whether @command writes the drive's non-volatile memory in the undisturbed
 * flash: an NEC erase or program, or the SPC chunk after which the drive saves
 * (the last of the upload). A write failure or silent flash acts only there. */
gboolean
rf_test_fault_rig_is_save (RfTestFaultRig           *self,
                           const RfTestFaultCommand *command)
{
  const RfTestFaultCommand *next;

  if (self->nec)
    return command->sim_phase == RF_SIM_PHASE_ERASE || command->sim_phase == RF_SIM_PHASE_PROGRAM;
  if (command->sim_phase != RF_SIM_PHASE_UPLOAD)
    return FALSE;
  next = command->number < self->census->len ? g_ptr_array_index (self->census, command->number)
                                             : NULL;
  return next == NULL || next->sim_phase != RF_SIM_PHASE_UPLOAD;
}

/* The number of the first command that changes the drive for good: the point
 * of no return (nec-2m.md §8: the first ERASE; spc-download.md: the first
 * chunk). 0 when there is none. */
guint
rf_test_fault_rig_first_write (RfTestFaultRig *self)
{
  RfSimPhase wanted = self->nec ? RF_SIM_PHASE_ERASE : RF_SIM_PHASE_UPLOAD;

  for (guint i = 0; i < self->census->len; i++)
    {
      const RfTestFaultCommand *command = g_ptr_array_index (self->census, i);

      if (command->sim_phase == wanted)
        return command->number;
    }
  return 0;
}
