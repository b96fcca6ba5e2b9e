/* rf-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <pwd.h>
#include <scsi/sg_lib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-json-writer.h"
#include "rf-report-private.h"

/* What the report keeps of a drive: a copy taken when it was set, so a later
 * probe does not change a report already made. */
typedef struct {
  char *id;
  gboolean practice;
  char *sg_node;
  char *block_node;
  char *bus_path;
  RfDriveIdentity *identity;
  RfDriveFamily *family;
  char *model_id;
  RfDriveState state;
  RfProbeDepth depth;
  char *reason;
  char *detail;
  gboolean microcode_upgrade;
} DriveFacts;

typedef struct {
  char *label;
  RfVerdict *verdict;
} LabelledVerdict;

/* A word that must not reach the report, and what stands in its place. */
typedef struct {
  char *word;
  const char *replacement;
} PrivateWord;

struct _RfReport
{
  GObject parent_instance;

  GPtrArray *homes; /* char *, longest first */
  GPtrArray *words; /* PrivateWord, longest first */
  GDateTime *created;
  DriveFacts *drive;
  GPtrArray *verdicts; /* LabelledVerdict */
  GPtrArray *errors;   /* GError */
  RfRecorder *transcript;
  guint n_commands;
};

G_DEFINE_FINAL_TYPE (RfReport, rf_report, G_TYPE_OBJECT)

/* Names shorter than this are replaced only as whole words: "jo" must not eat
 * every "jo" inside other words. */
#define SHORT_WORD 3

static void
drive_facts_free (DriveFacts *facts)
{
  g_free (facts->id);
  g_free (facts->sg_node);
  g_free (facts->block_node);
  g_free (facts->bus_path);
  g_clear_pointer (&facts->identity, rf_drive_identity_free);
  g_clear_pointer (&facts->family, rf_drive_family_unref);
  g_free (facts->model_id);
  g_free (facts->reason);
  g_free (facts->detail);
  g_free (facts);
}

static void
labelled_verdict_free (gpointer data)
{
  LabelledVerdict *item = data;

  g_free (item->label);
  g_object_unref (item->verdict);
  g_free (item);
}

static void
private_word_free (gpointer data)
{
  PrivateWord *word = data;

  g_free (word->word);
  g_free (word);
}

/* ---- who must not appear: home folders, user names, the host name ---- */

static gint
longest_first (gconstpointer a,
               gconstpointer b)
{
  gsize la = strlen (*(const char * const *) a);
  gsize lb = strlen (*(const char * const *) b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static gint
longest_word_first (gconstpointer a,
                    gconstpointer b)
{
  const PrivateWord *wa = *(const PrivateWord * const *) a;
  const PrivateWord *wb = *(const PrivateWord * const *) b;

  return longest_first (&wa->word, &wb->word);
}

static void
add_word (RfReport   *self,
          const char *word,
          const char *replacement)
{
  PrivateWord *item;

  /* root is nobody's name, and the report would lose every "root" otherwise. */
  if (word == NULL || word[0] == '\0' || g_str_equal (word, "root"))
    return;
  for (guint i = 0; i < self->words->len; i++)
    if (g_ascii_strcasecmp (((PrivateWord *) self->words->pdata[i])->word, word) == 0)
      return;
  item = g_new0 (PrivateWord, 1);
  item->word = g_strdup (word);
  item->replacement = replacement;
  g_ptr_array_add (self->words, item);
  g_ptr_array_sort (self->words, longest_word_first);
}

static void
add_name (RfReport   *self,
          const char *name)
{
  add_word (self, name, "<user>");
}

static void
add_home (RfReport   *self,
          const char *home)
{
  g_autofree char *clean = NULL;
  g_autofree char *base = NULL;
  gsize length;

  if (home == NULL || !g_path_is_absolute (home))
    return;
  clean = g_strdup (home);
  length = strlen (clean);
  while (length > 1 && clean[length - 1] == '/')
    clean[--length] = '\0';
  if (length < 2)
    return;
  for (guint i = 0; i < self->homes->len; i++)
    if (g_str_equal (self->homes->pdata[i], clean))
      return;
  /* The folder's own name is the user's name almost always, even where no
   * variable says so (sudo with a reset environment, a service). */
  base = g_path_get_basename (clean);
  add_name (self, base);
  g_ptr_array_add (self->homes, g_steal_pointer (&clean));
  g_ptr_array_sort (self->homes, longest_first);
}

static void
add_password_entry (RfReport            *self,
                    const struct passwd *entry)
{
  g_autofree char *real_name = NULL;

  if (entry == NULL)
    return;
  add_name (self, entry->pw_name);
  add_home (self, entry->pw_dir);
  /* The GECOS field's first part is the person's name ("Alice Liddell,,,"). */
  if (entry->pw_gecos != NULL)
    {
      real_name = g_strndup (entry->pw_gecos, strcspn (entry->pw_gecos, ","));
      add_name (self, real_name);
    }
}

static void
add_user_by_uid (RfReport *self,
                 uid_t     uid)
{
  char buffer[16384];
  struct passwd entry;
  struct passwd *found = NULL;

  if (getpwuid_r (uid, &entry, buffer, sizeof buffer, &found) == 0)
    add_password_entry (self, found);
}

static void
add_user_by_name (RfReport   *self,
                  const char *name)
{
  char buffer[16384];
  struct passwd entry;
  struct passwd *found = NULL;

  add_name (self, name);
  if (name != NULL && getpwnam_r (name, &entry, buffer, sizeof buffer, &found) == 0)
    add_password_entry (self, found);
}

/* Everyone this process runs as or for: its own user by the password database
 * and by the environment, and under sudo the user who ran it. */
static void
gather_private_words (RfReport *self)
{
  const char *sudo_uid = g_getenv ("SUDO_UID");
  const char *host = g_get_host_name ();
  guint64 uid;

  add_home (self, g_getenv ("HOME"));
  add_home (self, g_get_home_dir ());
  add_name (self, g_getenv ("USER"));
  add_name (self, g_getenv ("LOGNAME"));
  add_name (self, g_get_user_name ());
  if (g_strcmp0 (g_get_real_name (), "Unknown") != 0)
    add_name (self, g_get_real_name ());
  add_user_by_uid (self, getuid ());
  add_user_by_uid (self, geteuid ());
  add_user_by_name (self, g_getenv ("SUDO_USER"));
  if (sudo_uid != NULL && g_ascii_string_to_unsigned (sudo_uid, 10, 0, G_MAXUINT32 - 1, &uid, NULL))
    add_user_by_uid (self, (uid_t) uid);
  if (g_strcmp0 (host, "localhost") != 0)
    add_word (self, host, "<host>");
}

/* ---- the scrubber ---- */

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '_' || c == '-';
}

/* The home folder that starts at @p and ends there as a path part, or %NULL. */
static const char *
home_at (RfReport   *self,
         const char *p)
{
  for (guint i = 0; i < self->homes->len; i++)
    {
      const char *home = self->homes->pdata[i];
      gsize length = strlen (home);

      if (strncmp (p, home, length) == 0 && !is_name_char (p[length]))
        return home;
    }
  return NULL;
}

/* The top folders of the file system: a user called "dev" or "media" does
 * not make /dev/sg1 or /media/cdrom private. */
static gboolean
is_system_folder (const char *text,
                  const char *p,
                  gsize       length)
{
  static const char *const folders[] = {
    "bin", "boot", "dev", "etc", "home", "lib", "media", "mnt", "opt", "proc", "root", "run",
    "srv", "sys", "tmp", "usr", "var",
  };

  if (p == text || p[-1] != '/' || (p - 1 != text && is_name_char (p[-2])) ||
      (p[length] != '/' && p[length] != '\0'))
    return FALSE;
  for (gsize i = 0; i < G_N_ELEMENTS (folders); i++)
    if (strlen (folders[i]) == length && strncmp (p, folders[i], length) == 0)
      return TRUE;
  return FALSE;
}

/* The private word that starts at @p (any case), or %NULL. */
static const PrivateWord *
word_at (RfReport   *self,
         const char *text,
         const char *p)
{
  for (guint i = 0; i < self->words->len; i++)
    {
      const PrivateWord *word = self->words->pdata[i];
      gsize length = strlen (word->word);

      if (g_ascii_strncasecmp (p, word->word, length) != 0 || is_system_folder (text, p, length))
        continue;
      if (length >= SHORT_WORD ||
          ((p == text || !g_ascii_isalnum (p[-1])) && !g_ascii_isalnum (p[length])))
        return word;
    }
  return NULL;
}

static char *
scrub_homes (RfReport   *self,
             const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0';)
    {
      const char *home = home_at (self, p);

      if (home != NULL)
        {
          g_string_append_c (out, '~');
          p += strlen (home);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

static char *
scrub_words (RfReport   *self,
             const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0';)
    {
      const PrivateWord *word = word_at (self, text, p);

      if (word != NULL)
        {
          g_string_append (out, word->replacement);
          p += strlen (word->word);
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/**
 * rf_report_scrub:
 * @text: (nullable): a path, a message, anything from the system or the user
 *
 * Replaces the home folders with "~", then the user names (any case, anywhere
 * in a word; shorter than three characters only as whole words) and the real
 * names with "<user>", and the host name with "<host>".
 *
 * Returns: (transfer full) (nullable): @text without them
 */
char *
rf_report_scrub (RfReport   *self,
                 const char *text)
{
  g_autofree char *without_homes = NULL;

  g_return_val_if_fail (RF_IS_REPORT (self), NULL);

  if (text == NULL)
    return NULL;
  without_homes = scrub_homes (self, text);
  return scrub_words (self, without_homes);
}

/* ---- the object ---- */

static void
rf_report_dispose (GObject *object)
{
  RfReport *self = RF_REPORT (object);

  g_clear_object (&self->transcript);
  g_ptr_array_set_size (self->verdicts, 0);
  G_OBJECT_CLASS (rf_report_parent_class)->dispose (object);
}

static void
rf_report_finalize (GObject *object)
{
  RfReport *self = RF_REPORT (object);

  g_ptr_array_unref (self->homes);
  g_ptr_array_unref (self->words);
  g_date_time_unref (self->created);
  g_clear_pointer (&self->drive, drive_facts_free);
  g_ptr_array_unref (self->verdicts);
  g_ptr_array_unref (self->errors);
  G_OBJECT_CLASS (rf_report_parent_class)->finalize (object);
}

static void
rf_report_class_init (RfReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_report_dispose;
  object_class->finalize = rf_report_finalize;
}

static void
rf_report_init (RfReport *self)
{
  self->homes = g_ptr_array_new_with_free_func (g_free);
  self->words = g_ptr_array_new_with_free_func (private_word_free);
  self->created = g_date_time_new_now_utc ();
  self->verdicts = g_ptr_array_new_with_free_func (labelled_verdict_free);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
}

/**
 * rf_report_new:
 *
 * An empty report, dated now. The home folders and user names to keep out of
 * it are read now, from the environment (`HOME`, `USER`, `LOGNAME`,
 * `SUDO_USER`, `SUDO_UID`) and the password database.
 *
 * Returns: (transfer full): a report
 */
RfReport *
rf_report_new (void)
{
  RfReport *self = g_object_new (RF_TYPE_REPORT, NULL);

  gather_private_words (self);
  return self;
}

/**
 * rf_report_set_device:
 *
 * Takes a copy of what @device knows now: identity, family, state, reason,
 * depth. The drive's serial number is left out. Its transcript is not taken:
 * see rf_report_set_transcript().
 */
void
rf_report_set_device (RfReport *self,
                      RfDevice *device)
{
  DriveFacts *facts;

  g_return_if_fail (RF_IS_REPORT (self));
  g_return_if_fail (RF_IS_DEVICE (device));

  facts = g_new0 (DriveFacts, 1);
  facts->id = g_strdup (rf_device_get_id (device));
  facts->practice = rf_device_is_practice (device);
  facts->sg_node = g_strdup (rf_device_get_sg_path (device));
  facts->block_node = g_strdup (rf_device_get_block_path (device));
  facts->bus_path = g_strdup (rf_device_get_bus_path (device));
  facts->identity = rf_device_dup_identity (device);
  facts->family = rf_device_dup_family (device);
  facts->model_id = rf_device_dup_model_id (device);
  facts->state = rf_device_get_state (device);
  facts->depth = rf_device_get_probe_depth (device);
  facts->reason = g_strdup (rf_device_get_reason (device));
  facts->detail = rf_device_dup_detail (device);
  facts->microcode_upgrade = rf_device_get_microcode_upgrade (device);
  g_clear_pointer (&self->drive, drive_facts_free);
  self->drive = facts;
}

/**
 * rf_report_add_verdict:
 * @file_label: the file the verdict is about, as the user named it (a path is
 *   scrubbed like everything else)
 */
void
rf_report_add_verdict (RfReport   *self,
                       const char *file_label,
                       RfVerdict  *verdict)
{
  LabelledVerdict *item;

  g_return_if_fail (RF_IS_REPORT (self));
  g_return_if_fail (file_label != NULL);
  g_return_if_fail (RF_IS_VERDICT (verdict));

  item = g_new0 (LabelledVerdict, 1);
  item->label = g_strdup (file_label);
  item->verdict = g_object_ref (verdict);
  g_ptr_array_add (self->verdicts, item);
}

void
rf_report_add_error (RfReport     *self,
                     const GError *error)
{
  g_return_if_fail (RF_IS_REPORT (self));
  g_return_if_fail (error != NULL);

  g_ptr_array_add (self->errors, g_error_copy (error));
}

/**
 * rf_report_set_transcript:
 * @transcript: (nullable): the recorder of the last job
 *
 * The commands @transcript holds now go into the report; later ones do not.
 */
void
rf_report_set_transcript (RfReport   *self,
                          RfRecorder *transcript)
{
  g_return_if_fail (RF_IS_REPORT (self));
  g_return_if_fail (transcript == NULL || RF_IS_RECORDER (transcript));

  g_set_object (&self->transcript, transcript);
  self->n_commands = transcript != NULL ? rf_recorder_get_n_entries (transcript) : 0;
}

/* ---- JSON ---- */

/* Anything from the system or the user passes the scrubber; stable codes, hex
 * and what the drive or Reflash's own data say do not need to. */
static void
member_text (RfReport     *self,
             RfJsonWriter *json,
             const char   *key,
             const char   *value)
{
  g_autofree char *clean = rf_report_scrub (self, value);

  rf_json_writer_member_string (json, key, clean);
}

static void
write_versions (RfReport     *self,
                RfJsonWriter *json)
{
  g_autofree char *glib = g_strdup_printf ("%u.%u.%u", glib_major_version, glib_minor_version,
                                           glib_micro_version);
  struct utsname system;
  gboolean have_system = uname (&system) == 0;

  rf_json_writer_key (json, "versions");
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "reflash", PACKAGE_VERSION);
  rf_json_writer_member_string (json, "glib", glib);
  rf_json_writer_member_string (json, "libsgutils2", sg_lib_version ());
  member_text (self, json, "kernel", have_system ? system.release : NULL);
  rf_json_writer_end_object (json);
}

static void
write_system (RfJsonWriter *json)
{
  g_autofree char *os = g_get_os_info (G_OS_INFO_KEY_PRETTY_NAME);
  struct utsname system;
  gboolean have_system = uname (&system) == 0;
  gboolean as_root = geteuid () == 0;

  rf_json_writer_key (json, "system");
  rf_json_writer_begin_object (json);
  /* The system's own words: a host named "debian" must not rename the distribution. */
  rf_json_writer_member_string (json, "os", os);
  rf_json_writer_member_string (json, "machine", have_system ? system.machine : NULL);
  rf_json_writer_member_boolean (json, "as_root", as_root);
  rf_json_writer_member_boolean (json, "sudo", as_root && g_getenv ("SUDO_UID") != NULL);
  rf_json_writer_end_object (json);
}

static const char *
model_name (const RfDriveFamily *family,
            const char          *id)
{
  const RfDriveModel *model = family != NULL && id != NULL
                              ? rf_drive_family_find_model (family, id) : NULL;

  return model != NULL ? model->name : NULL;
}

static void
write_identity (RfJsonWriter          *json,
                const RfDriveIdentity *identity,
                const RfDriveFamily   *family)
{
  rf_json_writer_member_string (json, "vendor", identity->vendor);
  rf_json_writer_member_string (json, "product", identity->product);
  rf_json_writer_member_string (json, "revision", identity->revision);
  rf_json_writer_member_string (json, "vendor_specific", identity->vendor_specific);
  rf_json_writer_member_string (json, "firmware_date", identity->firmware_date);
  rf_json_writer_member_boolean (json, "safe_mode", identity->safe_mode);
  rf_json_writer_member_string (json, "stored_id", identity->stored_id);
  rf_json_writer_member_string (json, "stored_model", model_name (family, identity->stored_id));
  rf_json_writer_member_string (json, "rid_code", identity->rid_code);
  rf_json_writer_member_string (json, "bootcode_key", identity->bootcode_key);
  rf_json_writer_member_string (json, "bootcode_model",
                                model_name (family, identity->bootcode_key));
  rf_json_writer_member_string (json, "bootcode_version", identity->bootcode_version);
  rf_json_writer_member_string (json, "counting_id", rf_drive_identity_counting_id (identity));
}

static void
write_family (RfJsonWriter        *json,
              const RfDriveFamily *family)
{
  rf_json_writer_member_string (json, "family", family != NULL ? family->id : NULL);
  rf_json_writer_member_string (json, "family_name", family != NULL ? family->name : NULL);
  rf_json_writer_member_string (json, "protocol", family != NULL ? family->protocol : NULL);
  rf_json_writer_member_string (json, "support", family != NULL
                                ? rf_drive_support_to_nick (family->support) : NULL);
}

static void
write_drive (RfReport     *self,
             RfJsonWriter *json)
{
  const DriveFacts *drive = self->drive;

  rf_json_writer_key (json, "drive");
  if (drive == NULL)
    {
      rf_json_writer_null (json);
      return;
    }
  rf_json_writer_begin_object (json);
  member_text (self, json, "id", drive->id);
  rf_json_writer_member_boolean (json, "practice", drive->practice);
  member_text (self, json, "sg_node", drive->sg_node);
  member_text (self, json, "block_node", drive->block_node);
  member_text (self, json, "bus_path", drive->bus_path);
  rf_json_writer_member_string (json, "model_id", drive->model_id);
  rf_json_writer_member_string (json, "model", model_name (drive->family, drive->model_id));
  write_family (json, drive->family);
  write_identity (json, drive->identity, drive->family);
  rf_json_writer_member_boolean (json, "microcode_upgrade", drive->microcode_upgrade);
  rf_json_writer_member_string (json, "state", rf_drive_state_to_nick (drive->state));
  rf_json_writer_member_string (json, "probe_depth", rf_probe_depth_to_nick (drive->depth));
  rf_json_writer_member_string (json, "reason", drive->reason);
  member_text (self, json, "detail", drive->detail);
  rf_json_writer_end_object (json);
}

static void
write_verdict (RfReport              *self,
               RfJsonWriter          *json,
               const LabelledVerdict *item)
{
  RfVerdict *verdict = item->verdict;
  RfVerdictWarnings warnings = rf_verdict_get_warnings (verdict);
  RfVerdictKind kind = rf_verdict_get_kind (verdict);
  RfFirmwareProblem problem = rf_verdict_get_problem (verdict);
  gboolean corrupt = rf_verdict_get_reason (verdict) == RF_VERDICT_REASON_CORRUPT;

  rf_json_writer_begin_object (json);
  member_text (self, json, "file", item->label);
  rf_json_writer_member_string (json, "kind", rf_verdict_kind_to_nick (kind));
  rf_json_writer_member_string (json, "code", rf_verdict_get_code (verdict));
  rf_json_writer_member_string (json, "corrupt",
                                corrupt ? rf_firmware_problem_to_corrupt_nick (problem) : NULL);
  rf_json_writer_member_boolean (json, "allowed", rf_verdict_is_allowed (verdict));
  rf_json_writer_key (json, "warnings");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < RF_VERDICT_N_WARNINGS; i++)
    if (warnings & (1u << i))
      rf_json_writer_string (json, rf_verdict_warning_to_nick ((RfVerdictWarnings) (1u << i)));
  rf_json_writer_end_array (json);
  rf_json_writer_end_object (json);
}

static void
write_error (RfReport     *self,
             RfJsonWriter *json,
             const GError *error)
{
  gboolean ours = error->domain == RF_ERROR && error->code >= 0 && error->code < RF_ERROR_LAST;

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "domain", g_quark_to_string (error->domain));
  rf_json_writer_key (json, "code");
  if (ours)
    rf_json_writer_string (json, rf_error_code_to_nick ((RfError) error->code));
  else
    rf_json_writer_int (json, error->code);
  member_text (self, json, "message", error->message);
  rf_json_writer_end_object (json);
}

static const char *
direction_nick (RfDirection direction)
{
  switch (direction)
    {
    case RF_DIRECTION_IN:
      return "in";
    case RF_DIRECTION_OUT:
      return "out";
    case RF_DIRECTION_NONE:
    default:
      return "none";
    }
}

static char *
hex_bytes (const guint8 *bytes,
           gsize         length)
{
  GString *text = g_string_new (NULL);

  for (gsize i = 0; i < length; i++)
    g_string_append_printf (text, i == 0 ? "%02X" : " %02X", bytes[i]);
  return g_string_free (text, FALSE);
}

static void
write_sense (RfJsonWriter        *json,
             const RfRecordEntry *entry)
{
  g_autofree char *bytes = NULL;
  g_autofree char *code = NULL;
  g_autofree char *text = NULL;
  RfSense sense;

  if (entry->answered && entry->sense_length > 0)
    bytes = hex_bytes (entry->sense, MIN (entry->sense_length, sizeof entry->sense));
  if (entry->answered && entry->status == RF_STATUS_CHECK_CONDITION &&
      rf_sense_parse (entry->sense, entry->sense_length, &sense))
    {
      code = g_strdup_printf ("%02X/%02X/%02X", sense.key, sense.asc, sense.ascq);
      text = rf_sense_describe (&sense);
    }
  rf_json_writer_member_string (json, "sense", code);
  rf_json_writer_member_string (json, "sense_bytes", bytes);
  rf_json_writer_member_string (json, "sense_text", text);
}

/* One command: never its data, only how much moved and a digest of it. */
static void
write_command (RfReport            *self,
               RfJsonWriter        *json,
               const RfRecordEntry *entry)
{
  g_autofree char *cdb = hex_bytes (entry->cdb, MIN (entry->cdb_length, sizeof entry->cdb));

  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "name", rf_command_opcode_name (entry->cdb[0]));
  rf_json_writer_member_string (json, "cdb", cdb);
  rf_json_writer_member_string (json, "direction", direction_nick (entry->direction));
  rf_json_writer_member_int (json, "data_length", (gint64) entry->data_length);
  rf_json_writer_member_int (json, "residual", (gint64) entry->residual);
  rf_json_writer_member_string (json, "data_digest",
                                entry->data_digest[0] != '\0' ? entry->data_digest : NULL);
  rf_json_writer_key (json, "status");
  if (entry->answered)
    rf_json_writer_int (json, entry->status);
  else
    rf_json_writer_null (json);
  write_sense (json, entry);
  rf_json_writer_member_string (json, "error", entry->answered ? NULL
                                : rf_error_code_to_nick ((RfError) entry->error_code));
  member_text (self, json, "error_message", entry->answered ? NULL : entry->error_message);
  rf_json_writer_member_int (json, "duration_us", (gint64) entry->duration_us);
  rf_json_writer_end_object (json);
}

static void
write_lists (RfReport     *self,
             RfJsonWriter *json)
{
  rf_json_writer_key (json, "verdicts");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < self->verdicts->len; i++)
    write_verdict (self, json, self->verdicts->pdata[i]);
  rf_json_writer_end_array (json);
  rf_json_writer_key (json, "errors");
  rf_json_writer_begin_array (json);
  for (guint i = 0; i < self->errors->len; i++)
    write_error (self, json, self->errors->pdata[i]);
  rf_json_writer_end_array (json);
  rf_json_writer_key (json, "commands");
  rf_json_writer_begin_array (json);
  for (guint i = 0; self->transcript != NULL && i < self->n_commands; i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (self->transcript, i);

      /* Cleared since: the commands are gone. */
      if (entry == NULL)
        break;
      write_command (self, json, entry);
    }
  rf_json_writer_end_array (json);
}

/**
 * rf_report_to_json:
 *
 * The report as one JSON object, keys documented in reflash-cli(1) ("REPORT").
 * Paths, messages and what the system names pass rf_report_scrub(); codes are
 * stable and untranslated, so whoever reads the report needs no translation.
 *
 * Returns: (transfer full): UTF-8 JSON text, ending in a newline
 */
GBytes *
rf_report_to_json (RfReport *self)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *created = NULL;
  char *text;

  g_return_val_if_fail (RF_IS_REPORT (self), NULL);

  created = g_date_time_format (self->created, "%Y-%m-%dT%H:%M:%SZ");
  rf_json_writer_begin_object (json);
  rf_json_writer_member_string (json, "report", "reflash");
  rf_json_writer_member_int (json, "format", RF_REPORT_FORMAT);
  rf_json_writer_member_string (json, "created", created);
  write_versions (self, json);
  write_system (json);
  write_drive (self, json);
  write_lists (self, json);
  rf_json_writer_end_object (json);
  text = rf_json_writer_finish (json);
  return g_bytes_new_take (text, strlen (text));
}
