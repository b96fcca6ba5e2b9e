/* rf-cli-backups.c: `reflash-cli backups`: the stored firmware backups
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "rf-cli.h"
#include "rf-core.h"

static void
print_json (GPtrArray *backups)
{
  g_autoptr(RfJsonWriter) json = rf_json_writer_new ();
  g_autofree char *text = NULL;

  rf_json_writer_begin_array (json);
  for (guint i = 0; i < backups->len; i++)
    {
      const RfBackup *b = backups->pdata[i];

      rf_json_writer_begin_object (json);
      rf_json_writer_member_string (json, "image", b->image_path);
      rf_json_writer_member_string (json, "family", b->family);
      rf_json_writer_member_string (json, "protocol", b->protocol);
      rf_json_writer_member_string (json, "drive_id", b->drive_id);
      rf_json_writer_member_string (json, "stored_id", b->stored_id);
      rf_json_writer_member_string (json, "bootcode_key", b->bootcode_key);
      rf_json_writer_member_string (json, "bootcode_version", b->bootcode_version);
      rf_json_writer_member_string (json, "vendor", b->vendor);
      rf_json_writer_member_string (json, "product", b->product);
      rf_json_writer_member_string (json, "revision", b->revision);
      rf_json_writer_member_string (json, "date", b->date);
      rf_json_writer_member_string (json, "sha256", b->sha256);
      rf_json_writer_member_int (json, "size", (gint64) b->size);
      rf_json_writer_member_string (json, "verified", b->verified);
      rf_json_writer_member_string (json, "counting_id", b->counting_id);
      rf_json_writer_end_object (json);
    }
  rf_json_writer_end_array (json);
  text = rf_json_writer_finish (json);
  fputs (text, stdout);
}

/* The family's title in the person's language, else its id. */
static const char *
family_title (RfDriveDb  *db,
              const char *id)
{
  RfDriveFamily *family = db != NULL && id != NULL ? rf_drive_db_lookup (db, id) : NULL;

  return family != NULL ? rf_drive_family_get_title (family) : id;
}

/* An NEC backup belongs to a bootcode, an SPC one to the model INQUIRY names. */
static void
print_drive (const RfBackup *b,
             RfDriveDb      *db)
{
  const RfNecType *type = rf_nec_type_from_id (b->drive_id);
  g_autofree char *model = NULL;

  if (g_strcmp0 (b->protocol, "nec-2m") == 0)
    {
      /* Translators: the model ("ND-3550A"), its drive ID ("K355"), the
       * firmware version, the bootcode version */
      printf (_("  Drive:    %s (drive ID %s), firmware %s, bootcode %s\n"),
              type != NULL ? type->model : b->drive_id, b->drive_id,
              b->revision != NULL ? b->revision : "?",
              b->bootcode_version != NULL ? b->bootcode_version : "?");
      return;
    }
  model = b->vendor != NULL ? g_strdup_printf ("%s %s", b->vendor, b->drive_id)
                            : g_strdup (b->drive_id);
  /* Translators: the drive's vendor and product as it reports them ("REFLASH
   * PRACTICE SPC"), its drive family ("Generic SPC microcode download"), the
   * firmware version */
  printf (_("  Drive:    %s (family %s), firmware %s\n"), model, family_title (db, b->family),
          b->revision != NULL ? b->revision : "?");
}

/* When the backup was taken, in the locale's date and time (the store
 * keeps ISO 8601 in UTC). */
static char *
format_date (const char *iso8601)
{
  g_autoptr(GDateTime) utc = iso8601 != NULL ? g_date_time_new_from_iso8601 (iso8601, NULL)
                                             : NULL;
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  if (local == NULL)
    return g_strdup (iso8601 != NULL ? iso8601 : "?");
  return g_date_time_format (local, "%x %X");
}

/* How the backup was proven, in words; a way this version does not know
 * is shown as it is stored. */
static const char *
verified_sentence (const char *verified)
{
  if (g_strcmp0 (verified, "two-reads-compared") == 0)
    return _("read twice, both reads the same");
  return verified != NULL ? verified : "?";
}

static void
print_human (GPtrArray  *backups,
             const char *directory)
{
  g_autoptr(RfDriveDb) db = NULL;

  if (backups->len == 0)
    {
      /* Translators: the folder where backups are kept */
      printf (_("No backups yet. Reflash keeps them in %s\n"), directory);
      return;
    }
  /* Without the drive families, a family shows as its id. */
  db = rf_drive_db_new_default (NULL);
  for (guint i = 0; i < backups->len; i++)
    {
      const RfBackup *b = backups->pdata[i];
      g_autofree char *date = format_date (b->date);

      printf ("%s\n", b->image_path);
      print_drive (b, db);
      /* Translators: when it was saved (the locale's date and time), then how
       * it was verified ("read twice, both reads the same") */
      printf (_("  Saved:    %s, verified: %s\n"), date, verified_sentence (b->verified));
      /* Translators: a line of “reflash-cli backups”: a label, then its value; pad the label
       * with spaces so that the values line up with the other lines */
      printf (_("  SHA-256:  %s\n"), b->sha256);
    }
}

int
rf_cli_backups_run (int    argc,
                    char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list stored firmware backups"));
  g_autoptr(RfBackupStore) store = rf_backup_store_new (NULL);
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc != 1)
    {
      fprintf (stderr, "reflash-cli backups: %s\n",
               error != NULL ? error->message : _("this command takes no arguments"));
      return RF_CLI_EXIT_USAGE;
    }
  backups = rf_backup_store_list (store, &error);
  if (backups == NULL)
    {
      /* The store is a folder, not a drive: the generic sentences speak of drives. */
      if (error->code == RF_ERROR_PERMISSION_DENIED)
        /* Translators: the backup folder, then the system's reason (not translated here) */
        fprintf (stderr, _("reflash-cli backups: You do not have permission to read the backup folder %s. (%s)\n"),
                 rf_backup_store_get_directory (store), error->message);
      else
        /* Translators: the backup folder, then the system's reason (not translated here) */
        fprintf (stderr, _("reflash-cli backups: The backup folder %s cannot be read. (%s)\n"),
                 rf_backup_store_get_directory (store), error->message);
      return RF_CLI_EXIT_FAILURE;
    }
  if (as_json)
    print_json (backups);
  else
    print_human (backups, rf_backup_store_get_directory (store));
  return RF_CLI_EXIT_OK;
}
