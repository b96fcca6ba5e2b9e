/* test-cli-check.c: `reflash-cli check` and `reflash-cli backups`, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-test-util.h"
#include "rf-backup-store.h"
#include "rf-drive-db.h"
#include "rf-test-images.h"

static const char *cli_path;

typedef struct {
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-cli-XXXXXX", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* Runs reflash-cli with @args (NULL-terminated), optionally without privileges
 * (rf_test_spawn_unprivileged). */
static int
run_cli (const char  *data_home,
         gboolean     unprivileged,
         char       **out,
         const char  *first,
         ...)
{
  g_autoptr(GPtrArray) argv = NULL;
  /* Practice drives keep their state there too: each case starts fresh. */
  g_auto(GStrv) env = rf_test_cli_environ (data_home != NULL ? data_home : "/nonexistent");
  g_autoptr(GError) error = NULL;
  int status = -1;
  va_list args;

  /* And their locks: other test runs on this machine never hold them. */
  if (data_home != NULL)
    env = g_environ_setenv (env, "XDG_RUNTIME_DIR", data_home, TRUE);
  va_start (args, first);
  argv = rf_test_argv_valist (cli_path, first, args);
  va_end (args);
  if (unprivileged)
    {
      status = rf_test_spawn_unprivileged ((const char * const *) argv->pdata, env, out, NULL);
    }
  else
    {
      g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL, out,
                    NULL, &status, &error);
      g_assert_no_error (error);
    }
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

/* Every row of the human output has a value after its label. */
static void
assert_no_empty_rows (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *colon = strchr (lines[i], ':');

      if (colon != NULL && colon[1 + strspn (colon + 1, " ")] == '\0')
        g_error ("a row without a value: “%s” in:\n%s", lines[i], text);
    }
  g_assert_null (strstr (text, "(unknown)"));
}

static void
test_image (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K450", "05", "1.07");
  g_autofree char *path = rf_test_write_file (fixture->dir, "nd4550.bin", image);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (NULL, FALSE, &json, "check", "--json", path, NULL), ==, 0);
  rf_test_assert_has (json, "\"usable\": true");
  rf_test_assert_has (json, "\"drive_id\": \"K450\"");
  rf_test_assert_has (json, "\"model\": \"ND-4550A\"");
  rf_test_assert_has (json, "\"bootcode_version\": \"05\"");
  rf_test_assert_has (json, "\"revision\": \"1.07\"");
  rf_test_assert_has (json, "\"checksum_ok\": true");
  rf_test_assert_has (json, "\"updater\": false");
  g_assert_cmpint (run_cli (NULL, FALSE, &text, "check", path, NULL), ==, 0);
  rf_test_assert_has (text, "ND-4550A (drive ID K450)");
  rf_test_assert_has (text, "Bootcode version: 05");
  /* A 16-bit checksum is four upper-case hex digits, and a matching one is intact. */
  rf_test_assert_has (text, "Checksum:         intact (");
  g_assert_true (g_regex_match_simple ("Checksum: +intact \\([0-9A-F]{4}\\)\n", text, 0, 0));
  g_assert_true (g_regex_match_simple ("SHA-256: +[0-9a-f]{64}\n", text, 0, 0));
  g_assert_null (strstr (text, "0x"));
}

static void
test_updater (Fixture       *fixture,
              gconstpointer  data)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K451", "05", "1.00", TRUE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 4096);
  g_autofree char *path = rf_test_write_file (fixture->dir, "updater.exe", file);
  g_autofree char *json = NULL;

  g_assert_cmpint (run_cli (NULL, FALSE, &json, "check", "--json", path, NULL), ==, 0);
  rf_test_assert_has (json, "\"updater\": true");
  rf_test_assert_has (json, "\"problem\": \"checksum\"");
  rf_test_assert_has (json, "\"chosen\": 1");
  rf_test_assert_has (json, "\"choice\": \"only-one\"");
  rf_test_assert_has (json, "\"revision\": \"1.05\"");
}

/* The human output says an updater is one, not a complete image. */
static void
test_updater_text (Fixture       *fixture,
                   gconstpointer  data)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K451", "05", "1.00", TRUE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 4096);
  g_autofree char *path = rf_test_write_file (fixture->dir, "updater.exe", file);
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (NULL, FALSE, &text, "check", path, NULL), ==, 0);
  rf_test_assert_has (text, "The file is an updater; image #2 was taken.");
  g_assert_null (strstr (text, "complete firmware image"));
}

/* A backup folder that cannot be read is named as such, not as a drive. */
static void
test_backups_unreadable (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *argv[] = { cli_path, "backups", NULL };
  g_autofree char *store = g_build_filename (fixture->dir, "reflash", "backups", NULL);
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", fixture->dir, TRUE);
  g_autofree char *err = NULL;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (store, 0700), ==, 0);
  /* Root reads anything, so the CLI runs without privileges; mode 0 keeps out
   * nobody (root's run) and the owner alike (an ordinary user's run). */
  g_assert_cmpint (g_chmod (fixture->dir, 0), ==, 0);
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  status = rf_test_spawn_unprivileged (argv, env, NULL, &err);
  g_assert_cmpint (g_chmod (fixture->dir, 0755), ==, 0);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 1);
  rf_test_assert_has (err, "permission to read the backup folder");
  g_assert_null (strstr (err, "open the drive"));
}

/* Run by root through sudo, the CLI shows the invoking user's backups, in the
 * home the password database gives them, not the folder the environment
 * names; for anyone else SUDO_UID changes nothing. */
static void
test_backups_under_sudo (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *argv[] = { cli_path, "backups", NULL };
  g_auto(GStrv) env = g_environ_setenv (g_get_environ (), "XDG_DATA_HOME", fixture->dir, TRUE);
  g_autofree char *out = NULL;
  g_autofree char *folder = NULL;
  g_autoptr(GError) error = NULL;
  int status = -1;

  if (getuid () == 0 && geteuid () == 0)
    folder = g_build_filename (getpwuid (65534)->pw_dir, ".local", "share", "reflash", "backups",
                               NULL);
  else
    folder = g_build_filename (fixture->dir, "reflash", "backups", NULL);
  env = g_environ_setenv (env, "SUDO_UID", "65534", TRUE);
  env = g_environ_setenv (env, "SUDO_GID", "65534", TRUE);
  env = g_environ_setenv (env, "LC_ALL", "C", TRUE);
  g_spawn_sync (NULL, (char **) argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  rf_test_assert_has (out, "No backups yet");
  rf_test_assert_has (out, folder);
}

static void
test_damage (Fixture       *fixture,
             gconstpointer  data)
{
  for (guint d = 0; d < RF_TEST_DAMAGE_LAST; d++)
    {
      g_autoptr(GBytes) bytes = rf_test_image_damaged (d);
      g_autofree char *path = rf_test_write_file (fixture->dir, "damaged.bin", bytes);
      g_autofree char *json = NULL;
      g_autofree char *expected = g_strdup_printf ("\"problem\": \"%s\"",
                                                   rf_test_damage_to_expected_problem (d));

      g_assert_cmpint (run_cli (NULL, FALSE, &json, "check", "--json", path, NULL), ==, 4);
      rf_test_assert_has (json, expected);
      rf_test_assert_has (json, "\"usable\": false");
      if (d == RF_TEST_DAMAGE_RANDOM)
        rf_test_assert_has (json, "\"updater\": false");
    }
}

static void
assert_problem (const char *path,
                int         exit_code,
                const char *nick,
                gboolean    unprivileged)
{
  g_autofree char *json = NULL;
  g_autofree char *expected = g_strdup_printf ("\"problem\": \"%s\"", nick);

  g_assert_cmpint (run_cli (NULL, unprivileged, &json, "check", "--json", path, NULL), ==,
                   exit_code);
  rf_test_assert_has (json, expected);
}

static void
test_not_images (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);
  g_autofree char *empty = rf_test_write_file (fixture->dir, "empty.bin", nothing);
  g_autofree char *fifo = g_build_filename (fixture->dir, "pipe", NULL);
  g_autofree char *huge = g_build_filename (fixture->dir, "huge.iso", NULL);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.bin", NULL);
  int fd;

  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  fd = g_open (huge, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t) 4 * 1024 * 1024 * 1024), ==, 0);
  close (fd);
  assert_problem (empty, 4, "empty", FALSE);
  assert_problem (fixture->dir, 4, "directory", FALSE);
  assert_problem (fifo, 4, "special-file", FALSE);
  assert_problem ("/dev/null", 4, "special-file", FALSE);
  assert_problem (huge, 4, "too-large", FALSE);
  assert_problem (missing, 3, "not-found", FALSE);
}

/* An empty file's size is known: 0, in JSON as in words. */
static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GBytes) nothing = g_bytes_new (NULL, 0);
  g_autofree char *empty = rf_test_write_file (fixture->dir, "empty.bin", nothing);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (NULL, FALSE, &json, "check", "--json", empty, NULL), ==, 4);
  rf_test_assert_has (json, "\"size\": 0,");
  g_assert_cmpint (run_cli (NULL, FALSE, &text, "check", empty, NULL), ==, 4);
  rf_test_assert_has (text, "The file is empty.");
  assert_no_empty_rows (text);
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autofree char *path = rf_test_write_file (fixture->dir, "secret.bin", image);

  g_assert_cmpint (g_chmod (path, 0000), ==, 0);
  /* CI runs as root, who reads anything: the CLI runs without privileges. */
  assert_problem (path, 4, "unreadable", getuid () == 0);
}

typedef struct {
  const char *scenario;
  const char *drive_id;
  const char *bootcode_version;
  const char *revision;
  const char *code;
  int exit_code;
  const char *expect; /* another piece of the JSON, or NULL */
} VerdictRow;

/* DOMAIN.md's verdict table against the shipped practice drives. */
static const VerdictRow verdict_rows[] = {
  { "seed", "K355", "05", "1.05", "recovery", 0, NULL },
  { "seed", "K451", "05", "1.00", "crossflash", 4, "bootcode belongs to the ND-3550A" },
  { "seed", "K451", "05", "1.00", "crossflash", 4,
    "\"next_step\": \"Use the firmware for ND-3550A with bootcode 05.\"" },
  { "seed", "K355", "06", "1.05", "bootcode-mismatch", 4, "expects bootcode 06" },
  { "healthy-3550", "K355", "05", "1.06", "upgrade", 0, "\"spec-only\"" },
  { "healthy-3550", "K355", "05", "1.05", "reinstall", 0, NULL },
  { "healthy-3550", "K355", "05", "1.04", "downgrade", 0, NULL },
  { "healthy-3550", "K355", NULL, "1.06", "upgrade", 0, "\"no-bootcode-version\"" },
  { "healthy-3550", "K355", "05", "1-09", "downgrade", 0, "\"unknown-order\"" },
  { "healthy-4551", "K355", "05", "1.05", "crossflash", 4, "belongs to the ND-4551A" },
  { "spc-generic", "K355", "05", "1.05", "wrong-family", 4, NULL },
  { "bridge-3550", "K355", "05", "1.06", "identity-unknown", 4, "\"state\": \"vendor-refused\"" },
  /* The seed after recovery: normal mode, K451 still stored, bootcode K355. */
  { "recovered-seed", "K355", "05", "1.06", "upgrade", 0, "\"counting_id\": \"K355\"" },
  { "recovered-seed", "K355", "05", "1.05", "reinstall", 0, "\"stored_id\": \"K451\"" },
  { "recovered-seed", "K451", "05", "1.07", "crossflash", 4, "bootcode belongs to the ND-3550A" },
  { "interrupted-3550", "K355", "05", "1.06", "recovery", 0, NULL },
};

static void
test_verdict_rows (Fixture       *fixture,
                   gconstpointer  data)
{
  for (gsize i = 0; i < G_N_ELEMENTS (verdict_rows); i++)
    {
      const VerdictRow *row = &verdict_rows[i];
      g_autoptr(GBytes) image = rf_test_image (row->drive_id, row->bootcode_version, row->revision);
      g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);
      g_autofree char *drive = g_strconcat ("practice:", row->scenario, NULL);
      g_autofree char *json = NULL;
      g_autofree char *code = g_strdup_printf ("\"code\": \"%s\"", row->code);

      g_test_message ("%s with %s %s %s", row->scenario, row->drive_id,
                      row->bootcode_version ? row->bootcode_version : "-", row->revision);
      g_assert_cmpint (run_cli (fixture->dir, FALSE, &json, "check", "--json", "--drive", drive,
                                path, NULL), ==, row->exit_code);
      rf_test_assert_has (json, code);
      if (row->expect != NULL)
        rf_test_assert_has (json, row->expect);
    }
}

static void
test_corrupt_against_drive (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GBytes) bytes = rf_test_image_damaged (RF_TEST_DAMAGE_CHECKSUM);
  g_autofree char *path = rf_test_write_file (fixture->dir, "bad.bin", bytes);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (fixture->dir, FALSE, &json, "check", "--json", "--drive",
                            "practice:seed", path, NULL), ==, 4);
  rf_test_assert_has (json, "\"code\": \"corrupt\"");
  rf_test_assert_has (json, "\"corrupt\": \"checksum\"");
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &text, "check", "--drive", "practice:seed",
                            fixture->dir, NULL), ==, 4);
  rf_test_assert_has (text, "Verdict (corrupt)");
}

/* A damaged NEC image is still an NEC image: against an SPC drive it is
 * another family's file, not a raw image of the wrong size. */
static void
test_corrupt_against_spc_drive (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GBytes) bytes = rf_test_image_damaged (RF_TEST_DAMAGE_CHECKSUM);
  g_autofree char *path = rf_test_write_file (fixture->dir, "bad.bin", bytes);
  g_autofree char *json = NULL;

  g_assert_cmpint (run_cli (fixture->dir, FALSE, &json, "check", "--json", "--drive",
                            "practice:spc-generic", path, NULL), ==, 4);
  rf_test_assert_has (json, "\"code\": \"wrong-family\"");
  rf_test_assert_has (json, "\"format\": \"nec-2m\"");
}

static void
test_updater_against_drive (Fixture       *fixture,
                            gconstpointer  data)
{
  const RfTestEmbedded images[] = {
    { "K355", "05", "1.05", FALSE },
    { "K451", "05", "1.00", FALSE },
  };
  g_autoptr(GBytes) file = rf_test_updater (images, G_N_ELEMENTS (images), 4096);
  g_autofree char *path = rf_test_write_file (fixture->dir, "updater.exe", file);
  g_autofree char *json = NULL;

  /* The last image (K451) comes first in the scan; the drive's bootcode picks K355. */
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &json, "check", "--json", "--drive",
                            "practice:seed", path, NULL), ==, 0);
  rf_test_assert_has (json, "\"chosen\": 1");
  rf_test_assert_has (json, "\"choice\": \"drive-bootcode\"");
  rf_test_assert_has (json, "\"code\": \"recovery\"");
}

static void
test_backups_of_drive (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *store_dir = g_build_filename (fixture->dir, "reflash", "backups", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (store_dir);
  g_autoptr(RfDriveIdentity) identity = rf_drive_identity_new ();
  g_autoptr(GBytes) dump = rf_test_image ("K355", "05", "1.05");
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);
  g_autoptr(RfBackup) backup = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *other = NULL;

  identity->family = g_strdup ("nec-2m");
  identity->stored_id = g_strdup ("K355");
  identity->bootcode_key = g_strdup ("K355");
  identity->bootcode_version = g_strdup ("05");
  backup = rf_backup_store_add (store, identity, dump, "two-reads-compared", NULL);
  g_assert_nonnull (backup);
  /* Drives with a K355 bootcode get it (the seed's too, whatever its stored ID
   * says); the ND-4551A's does not. */
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &mine, "check", "--json", "--drive",
                            "practice:healthy-3550", path, NULL), ==, 0);
  rf_test_assert_has (mine, backup->image_path);
  /* The backup is judged like any candidate: the drive runs that very version. */
  rf_test_assert_has (mine, "\"backup_verdicts\": [");
  rf_test_assert_has (mine, "\"code\": \"reinstall\"");
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &other, "check", "--json", "--drive",
                            "practice:healthy-4551", path, NULL), ==, 4);
  rf_test_assert_has (other, "\"backups\": []");
}

/* An image as data/drives/spc-generic.conf describes it, for the practice SPC drive. */
static GBytes *
spc_image (gboolean    right_model,
           const char *revision)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  const RfSpcDownload *download;
  guint8 *data;
  gsize size, length;
  const guint8 *model;

  g_assert_no_error (error);
  download = &rf_drive_db_lookup (db, "spc-generic")->download;
  size = (gsize) g_array_index (download->image_sizes, guint64, 0);
  data = g_malloc0 (size);
  model = g_bytes_get_data (download->model_check, &length);
  memcpy (data + download->model_check_offset, model, length);
  if (!right_model)
    data[download->model_check_offset] ^= 0x20;
  memcpy (data + download->revision_offset, revision, strlen (revision));
  return g_bytes_new_take (data, size);
}

static void
test_spc_drive (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GBytes) same = spc_image (TRUE, "1.00");
  g_autoptr(GBytes) other = spc_image (FALSE, "1.00");
  g_autoptr(GBytes) nec = rf_test_image ("K355", "05", "1.05");
  g_autofree char *same_path = rf_test_write_file (fixture->dir, "same.bin", same);
  g_autofree char *other_path = rf_test_write_file (fixture->dir, "other.bin", other);
  g_autofree char *nec_path = rf_test_write_file (fixture->dir, "nec.bin", nec);
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *c = NULL;

  /* The family is spec-only: allowed only with the extra confirmation. */
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &a, "check", "--json", "--drive",
                            "practice:spc-generic", same_path, NULL), ==, 0);
  rf_test_assert_has (a, "\"code\": \"reinstall\"");
  rf_test_assert_has (a, "\"spec-only\"");
  /* The JSON describes the image that was judged, not the failed NEC parse. */
  rf_test_assert_has (a, "\"format\": \"spc-download\"");
  rf_test_assert_has (a, "\"model_checked\": true");
  rf_test_assert_has (a, "\"revision\": \"1.00\"");
  g_assert_null (strstr (a, "\"image\": null"));
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &b, "check", "--json", "--drive",
                            "practice:spc-generic", other_path, NULL), ==, 4);
  rf_test_assert_has (b, "\"code\": \"wrong-family\"");
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &c, "check", "--json", "--drive",
                            "practice:spc-generic", nec_path, NULL), ==, 4);
  rf_test_assert_has (c, "\"code\": \"wrong-family\"");
}

static void
test_drive_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.05");
  g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);
  g_autofree char *out = NULL;
  g_autofree char *usage = NULL;

  g_assert_cmpint (run_cli (fixture->dir, FALSE, &out, "check", "--drive", "practice:nonexistent",
                            path, NULL), ==, 3);
  g_assert_cmpint (run_cli (NULL, FALSE, &usage, "check", NULL), ==, 2);
}

typedef struct {
  const char *drive;
  const char *state;
  gboolean needs_rights;
} NotCheckedCase;

/* A drive that could not be checked: what is known of it, never a
 * placeholder, and the command that checks it again. */
static void
test_drive_not_checked (Fixture       *fixture,
                        gconstpointer  data)
{
  const NotCheckedCase cases[] = {
    { "practice:locked-out-3550", "(No access)", TRUE },
    { "practice:hung-3550", "(Not responding)", FALSE },
    { "practice:no-rawio-3550", "_NEC DVD_RW ND-3550A, version 1.05 (Needs administrator rights)",
      TRUE },
  };
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *drive = g_strdup_printf ("Drive:            %s", cases[i].drive);
      g_autofree char *next = g_strdup_printf (": %sreflash-cli check %s --drive %s",
                                               cases[i].needs_rights ? "sudo " : "", path,
                                               cases[i].drive);

      g_assert_cmpint (run_cli (fixture->dir, FALSE, &text, "check", path, "--drive",
                                cases[i].drive, NULL), ==, 4);
      rf_test_assert_has (text, drive);
      rf_test_assert_has (text, cases[i].state);
      assert_no_empty_rows (text);
      rf_test_assert_has (text, "Next step:");
      rf_test_assert_has (text, next);
    }
}

/* Against a drive it fits, the next step is the command that writes it. */
static void
test_next_step_command (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autofree char *path = rf_test_write_file (fixture->dir, "fw.bin", image);
  g_autofree char *seed = NULL;
  g_autofree char *healthy = NULL;
  g_autofree char *recover = g_strdup_printf ("reflash-cli recover practice:seed %s", path);
  g_autofree char *flash = g_strdup_printf ("reflash-cli flash practice:healthy-3550 %s", path);

  g_assert_cmpint (run_cli (fixture->dir, FALSE, &seed, "check", path, "--drive", "practice:seed",
                            NULL), ==, 0);
  assert_no_empty_rows (seed);
  rf_test_assert_has (seed, recover);
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &healthy, "check", path, "--drive",
                            "practice:healthy-3550", NULL), ==, 0);
  rf_test_assert_has (healthy, flash);
  assert_no_empty_rows (healthy);
}

static void
test_backups (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *store_dir = g_build_filename (fixture->dir, "reflash", "backups", NULL);
  g_autoptr(RfBackupStore) store = rf_backup_store_new (store_dir);
  g_autoptr(RfDriveIdentity) identity = rf_drive_identity_new ();
  g_autoptr(GBytes) image = rf_test_image ("K356", "05", "2.01");
  g_autoptr(RfBackup) backup = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (run_cli (fixture->dir, FALSE, &before, "backups", "--json", NULL), ==, 0);
  g_assert_cmpstr (before, ==, "[]\n");
  identity->family = g_strdup ("nec-2m");
  identity->stored_id = g_strdup ("K356");
  identity->bootcode_key = g_strdup ("K356");
  identity->bootcode_version = g_strdup ("05");
  identity->revision = g_strdup ("2.01");
  backup = rf_backup_store_add (store, identity, image, "two-reads-compared", NULL);
  g_assert_nonnull (backup);
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &after, "backups", "--json", NULL), ==, 0);
  rf_test_assert_has (after, "\"drive_id\": \"K356\"");
  rf_test_assert_has (after, "\"counting_id\": \"K356\"");
  rf_test_assert_has (after, "\"verified\": \"two-reads-compared\"");
  rf_test_assert_has (after, backup->sha256);
  g_assert_cmpint (run_cli (fixture->dir, FALSE, &text, "backups", NULL), ==, 0);
  rf_test_assert_has (text, "ND-3551A (drive ID K356), firmware 2.01, bootcode 05");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_assert (argc == 2);
  cli_path = argv[1];

#define ADD(path, func) \
  g_test_add ("/reflash/cli-check/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("image", test_image);
  ADD ("updater", test_updater);
  ADD ("updater-text", test_updater_text);
  ADD ("damage", test_damage);
  ADD ("not-images", test_not_images);
  ADD ("empty", test_empty);
  ADD ("unreadable", test_unreadable);
  ADD ("verdict-rows", test_verdict_rows);
  ADD ("corrupt-against-drive", test_corrupt_against_drive);
  ADD ("corrupt-against-spc-drive", test_corrupt_against_spc_drive);
  ADD ("updater-against-drive", test_updater_against_drive);
  ADD ("drive-errors", test_drive_errors);
  ADD ("drive-not-checked", test_drive_not_checked);
  ADD ("next-step-command", test_next_step_command);
  ADD ("spc-drive", test_spc_drive);
  ADD ("backups-of-drive", test_backups_of_drive);
  ADD ("backups", test_backups);
  ADD ("backups-unreadable", test_backups_unreadable);
  ADD ("backups-under-sudo", test_backups_under_sudo);
#undef ADD

  return g_test_run ();
}
