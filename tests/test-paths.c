/* test-paths.c: whose folders Reflash writes into, and as whom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <pwd.h>
#include <stdio.h>
#include <sys/fsuid.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-paths-private.h"
#include "rf-test-util.h"

#define NOBODY 65534

static void
assert_own_user (const RfPathsUser *user,
                 uid_t              uid)
{
  g_assert_nonnull (user);
  g_assert_false (user->other);
  g_assert_cmpuint (user->uid, ==, uid);
  g_assert_cmpstr (user->data_dir, ==, g_get_user_data_dir ());
  g_assert_cmpstr (user->state_dir, ==, g_get_user_state_dir ());
}

/* Root run through sudo works for the user who ran it, in the home the
 * password database gives, whatever $HOME says. */
static void
test_sudo_user (void)
{
  g_autoptr(GError) error = NULL;
  struct passwd *nobody = getpwuid (NOBODY);
  g_autofree char *home = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *state_dir = NULL;
  gid_t group;
  g_autoptr(RfPathsUser) user = NULL;
  g_autoptr(RfPathsUser) without_gid = NULL;

  g_assert_nonnull (nobody);
  home = g_strdup (nobody->pw_dir);
  group = nobody->pw_gid;
  data_dir = g_build_filename (home, ".local", "share", NULL);
  state_dir = g_build_filename (home, ".local", "state", NULL);
  user = rf_paths_user_resolve (0, 0, "65534", "4242", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (user->other);
  g_assert_cmpuint (user->uid, ==, NOBODY);
  g_assert_cmpuint (user->gid, ==, 4242);
  g_assert_cmpstr (user->data_dir, ==, data_dir);
  g_assert_cmpstr (user->state_dir, ==, state_dir);
  g_assert_cmpstr (user->data_dir, !=, g_get_user_data_dir ());
  /* Without SUDO_GID the user's own group. */
  without_gid = rf_paths_user_resolve (0, 0, "65534", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (without_gid->gid, ==, group);
}

/* SUDO_UID means nothing unless both ids are root's, nor when root ran sudo:
 * the process works for itself and never changes identity. */
static void
test_no_other_user (void)
{
  const struct {
    uid_t real;
    uid_t effective;
    const char *sudo_uid;
  } rows[] = {
    { 1000, 1000, "65534" }, /* an ordinary user who set SUDO_UID */
    { 1000, 0, "65534" },    /* a set-user-ID program */
    { 0, 1000, "65534" },
    { 0, 0, NULL },          /* root without sudo */
    { 0, 0, "0" },           /* root ran sudo */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(RfPathsUser) user = rf_paths_user_resolve (rows[i].real, rows[i].effective,
                                                           rows[i].sudo_uid, "65534", NULL,
                                                           &error);
      RfPathsIdentity saved;

      g_assert_no_error (error);
      assert_own_user (user, rows[i].effective);
      g_assert_true (rf_paths_user_become (user, &saved, &error));
      g_assert_no_error (error);
      g_assert_false (saved.switched);
      g_assert_cmpuint ((uid_t) setfsuid ((uid_t) -1), ==, geteuid ());
      rf_paths_user_restore (&saved);
    }
}

static void
test_bad_sudo_ids (void)
{
  const char *const bad[][2] = {
    { "abc", "0" }, { "-1", "0" }, { "", "0" }, { " 1000", "0" }, { "4294967295", "0" },
    { "1000x", "0" }, { "1000", "-1" }, { "1000", "users" },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfPathsUser) unknown = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) bad_error = NULL;
      g_autoptr(RfPathsUser) user = rf_paths_user_resolve (0, 0, bad[i][0], bad[i][1], NULL,
                                                           &bad_error);

      g_assert_null (user);
      g_assert_error (bad_error, RF_ERROR, RF_ERROR_INVALID_DATA);
    }
  /* A uid no user has: no folder to write into. */
  unknown = rf_paths_user_resolve (0, 0, "3999999999", "3999999999", NULL, &error);
  g_assert_null (unknown);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
}

/* The child's report: who rf_paths_user_new_invoking() says it works for. */
static int
child_invoking (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfPathsUser) user = rf_paths_user_new_invoking (&error);

  if (user == NULL)
    {
      printf ("error %s\n", error->message);
      return 0;
    }
  printf ("%u %s %s\n", (guint) user->uid, user->other ? "other" : "self", user->data_dir);
  return 0;
}

static char *
run_invoking (gboolean    drop_privileges,
              const char *data_home)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = g_get_environ ();
  GPtrArray *argv = g_ptr_array_new ();
  g_autofree char *out = NULL;
  int status = -1;

  env = g_environ_setenv (env, "SUDO_UID", "65534", TRUE);
  env = g_environ_setenv (env, "SUDO_GID", "65534", TRUE);
  env = g_environ_setenv (env, "XDG_DATA_HOME", data_home, TRUE);
  if (drop_privileges)
    {
      const char *setpriv[] = { RF_TEST_AS_NOBODY };

      for (gsize i = 0; i < G_N_ELEMENTS (setpriv); i++)
        g_ptr_array_add (argv, (char *) setpriv[i]);
    }
  g_ptr_array_add (argv, (char *) g_test_get_filename (G_TEST_BUILT, "test-paths", NULL));
  g_ptr_array_add (argv, (char *) "--invoking");
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                &status, &error);
  g_ptr_array_unref (argv);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_steal_pointer (&out);
}

/* The same decision read from a real process's ids and environment: a user
 * who is not root and sets SUDO_UID keeps working for themselves, in their
 * own data folder. As root, the child drops every privilege first
 * (PLATFORM.md §5); root itself, with the same environment, works for the
 * user SUDO_UID names. */
static void
test_invoking_process (void)
{
  const char *data_home = "/nonexistent/reflash-test-data";
  g_autofree char *expected = NULL;
  g_autofree char *unprivileged = NULL;

  if (getuid () != 0 || geteuid () != 0)
    {
      unprivileged = run_invoking (FALSE, data_home);
      expected = g_strdup_printf ("%u self %s\n", (guint) geteuid (), data_home);
      g_assert_cmpstr (unprivileged, ==, expected);
      return;
    }
  unprivileged = run_invoking (TRUE, data_home);
  expected = g_strdup_printf ("%u self %s\n", (guint) NOBODY, data_home);
  g_assert_cmpstr (unprivileged, ==, expected);
  {
    g_autofree char *as_root = run_invoking (FALSE, data_home);
    g_autofree char *sudo_data = g_build_filename (getpwuid (NOBODY)->pw_dir, ".local", "share",
                                                   NULL);
    g_autofree char *sudo_expected = g_strdup_printf ("%u other %s\n", (guint) NOBODY, sudo_data);

    g_assert_cmpstr (as_root, ==, sudo_expected);
  }
}

/* The folders below the user's own are made as needed and never entered
 * through a link or a file put in their place. */
static void
test_make_folder (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("reflash-paths-XXXXXX", &error);
  g_autofree char *deep = NULL;
  g_autofree char *elsewhere = NULL;
  g_autofree char *link = NULL;
  g_autofree char *file = NULL;
  int fd;

  g_assert_no_error (error);
  deep = g_build_filename (base, "data", NULL);
  fd = rf_paths_make_folder (deep, "reflash/backups", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_assert_true (g_file_test (deep, G_FILE_TEST_IS_DIR));
  /* Again: the folders are there already. */
  fd = rf_paths_make_folder (deep, "reflash/backups", &error);
  g_assert_no_error (error);
  close (fd);

  elsewhere = g_build_filename (base, "elsewhere", NULL);
  g_assert_cmpint (g_mkdir (elsewhere, 0700), ==, 0);
  link = g_build_filename (base, "linked", NULL);
  g_assert_cmpint (symlink (elsewhere, link), ==, 0);
  fd = rf_paths_make_folder (base, "linked/backups", &error);
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
  g_clear_error (&error);
  /* Nothing was made where the link leads. */
  g_assert_cmpuint (rf_test_count_files (elsewhere), ==, 0);

  file = g_build_filename (base, "plain", NULL);
  g_assert_true (g_file_set_contents (file, "", 0, NULL));
  fd = rf_paths_make_folder (base, "plain", &error);
  g_assert_cmpint (fd, ==, -1);
  g_assert_error (error, RF_ERROR, RF_ERROR_WRITE);
  rf_test_remove_tree (base);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 2 && g_str_equal (argv[1], "--invoking"))
    return child_invoking ();

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/paths/sudo-user", test_sudo_user);
  g_test_add_func ("/reflash/paths/no-other-user", test_no_other_user);
  g_test_add_func ("/reflash/paths/bad-sudo-ids", test_bad_sudo_ids);
  g_test_add_func ("/reflash/paths/invoking-process", test_invoking_process);
  g_test_add_func ("/reflash/paths/make-folder", test_make_folder);

  return g_test_run ();
}
