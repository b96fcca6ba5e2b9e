/* test-sim-source.c: the practice drives as RfDeviceMonitor sees them, probed
 * end to end by core's identification.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sim-test-util.h"

/* What a deep probe must find on each shipped practice drive. */
static const struct {
  const char *id;
  RfDriveState state;
  const char *stored_id;
  const char *bootcode_key;
} expected[] = {
  { "practice:bridge-3550", RF_DRIVE_STATE_VENDOR_REFUSED, NULL, NULL },
  { "practice:healthy-3550", RF_DRIVE_STATE_READY, "K355", "K355" },
  { "practice:healthy-4551", RF_DRIVE_STATE_READY, "K451", "K451" },
  { "practice:interrupted-3550", RF_DRIVE_STATE_SAFE_MODE, "K355", "K355" },
  { "practice:power-cut-3550", RF_DRIVE_STATE_READY, "K355", "K355" },
  { "practice:seed", RF_DRIVE_STATE_IDENTITY_MISMATCH, "K451", "K355" },
  { "practice:spc-generic", RF_DRIVE_STATE_READY, NULL, NULL },
};

typedef struct {
  char *dir;
} Fixture;

static void
fixture_setup (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("rf-sim-source-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static void
test_deep_probe (Fixture      *fixture,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimSource) source = rf_sim_source_new (fixture->dir, &error);
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(GPtrArray) devices = NULL;

  g_assert_no_error (error);
  devices = rf_device_source_list_devices (RF_DEVICE_SOURCE (source));
  g_assert_cmpuint (devices->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < devices->len; i++)
    {
      RfDevice *device = g_ptr_array_index (devices, i);
      g_autoptr(RfDriveIdentity) identity = NULL;

      g_assert_cmpstr (rf_device_get_id (device), ==, expected[i].id);
      g_assert_true (rf_device_is_practice (device));
      g_assert_nonnull (rf_sim_source_get_drive (source, expected[i].id));
      rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error);
      g_assert_no_error (error);
      if (rf_device_get_state (device) != expected[i].state)
        g_error ("%s: state %s, expected %s (%s)", expected[i].id,
                 rf_drive_state_to_nick (rf_device_get_state (device)),
                 rf_drive_state_to_nick (expected[i].state), rf_device_get_reason (device));
      identity = rf_device_dup_identity (device);
      g_assert_cmpstr (identity->stored_id, ==, expected[i].stored_id);
      g_assert_cmpstr (identity->bootcode_key, ==, expected[i].bootcode_key);
    }
  /* Identification writes nothing: no practice drive saved a changed flash. */
  g_assert_true (g_rmdir (fixture->dir) == 0);
  g_assert_true (g_mkdir (fixture->dir, 0700) == 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/reflash/sim-source/deep-probe", Fixture, NULL, fixture_setup, test_deep_probe,
              fixture_teardown);

  return g_test_run ();
}
