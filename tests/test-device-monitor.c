/* test-device-monitor.c: real drives from sysfs plus registered sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <unistd.h>

#include "rf-device-monitor-private.h"
#include "rf-device-monitor.h"
#include "rf-error.h"
#include "rf-test-drive.h"

/* A source of scripted drives, standing in for the practice drives. */
#define TEST_TYPE_SOURCE (test_source_get_type ())
G_DECLARE_FINAL_TYPE (TestSource, test_source, TEST, SOURCE, GObject)

struct _TestSource
{
  GObject parent_instance;
  GPtrArray *devices;
};

static void test_source_iface_init (RfDeviceSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestSource, test_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RF_TYPE_DEVICE_SOURCE,
                                                      test_source_iface_init))

static GPtrArray *
test_source_list_devices (RfDeviceSource *source)
{
  TestSource *self = TEST_SOURCE (source);
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->devices->len; i++)
    g_ptr_array_add (devices, g_object_ref (g_ptr_array_index (self->devices, i)));
  return devices;
}

static void
test_source_iface_init (RfDeviceSourceInterface *iface)
{
  iface->list_devices = test_source_list_devices;
}

static void
test_source_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_SOURCE (object)->devices);
  G_OBJECT_CLASS (test_source_parent_class)->finalize (object);
}

static void
test_source_class_init (TestSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_source_finalize;
}

static void
test_source_init (TestSource *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
}

static RfDevice *
add_drive (TestSource *source,
           const char *id)
{
  const RfTestDriveSpec spec = { .device_type = 0x05, .nec = TRUE, .firmware_valid = TRUE };
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&spec);
  RfDevice *device = rf_device_new_for_transport (id, RF_TRANSPORT (drive), id);

  g_ptr_array_add (source->devices, device);
  g_signal_emit_by_name (source, "device-added", device);
  return device;
}

static void
count_signal (RfDeviceMonitor *monitor,
              RfDevice        *device,
              guint           *count)
{
  (*count)++;
}

static void
test_sources (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(TestSource) source = g_object_new (TEST_TYPE_SOURCE, NULL);
  g_autoptr(GPtrArray) without = NULL;
  g_autoptr(GPtrArray) with = NULL;
  g_autoptr(RfDevice) found = NULL;
  RfDevice *added;
  guint added_count = 0;
  guint removed_count = 0;

  g_assert_no_error (error);
  monitor = rf_device_monitor_new (db);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  g_signal_connect (monitor, "device-added", G_CALLBACK (count_signal), &added_count);
  g_signal_connect (monitor, "device-removed", G_CALLBACK (count_signal), &removed_count);

  added = add_drive (source, "practice:one");
  g_assert_cmpuint (added_count, ==, 1);
  without = rf_device_monitor_list_devices (monitor, FALSE);
  with = rf_device_monitor_list_devices (monitor, TRUE);
  /* Whatever real drives this machine has, the source adds exactly its own. */
  g_assert_cmpuint (with->len, ==, without->len + 1);
  g_assert_true (g_ptr_array_index (with, with->len - 1) == added);
  for (guint i = 0; i < without->len; i++)
    g_assert_false (rf_device_is_practice (g_ptr_array_index (without, i)));

  found = rf_device_monitor_lookup (monitor, "practice:one", &error);
  g_assert_no_error (error);
  g_assert_true (found == added);
  g_assert_true (rf_device_is_practice (found));
  g_assert_null (rf_device_monitor_lookup (monitor, "practice:none", &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);

  g_signal_emit_by_name (source, "device-removed", added);
  g_assert_cmpuint (removed_count, ==, 1);
}

/* A source added after the drives were listed (the wizard's practice drives,
 * added after its first frame) announces the drives it already has. */
static void
test_source_added_later (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  g_autoptr(TestSource) source = g_object_new (TEST_TYPE_SOURCE, NULL);
  guint added_count = 0;

  g_assert_no_error (error);
  monitor = rf_device_monitor_new (db);
  add_drive (source, "practice:one");
  add_drive (source, "practice:two");
  g_signal_connect (monitor, "device-added", G_CALLBACK (count_signal), &added_count);
  rf_device_monitor_add_source (monitor, RF_DEVICE_SOURCE (source));
  g_assert_cmpuint (added_count, ==, 2);
  add_drive (source, "practice:three");
  g_assert_cmpuint (added_count, ==, 3);
}

static void
test_node_that_is_not_a_drive (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = rf_device_monitor_new (db);
  g_autoptr(RfDevice) device = rf_device_monitor_lookup (monitor, "/dev/null", &error);

  /* The lookup gives a drive; probing it says clearly what is wrong. */
  g_assert_no_error (error);
  g_assert_cmpstr (rf_device_get_id (device), ==, "/dev/null");
  g_assert_false (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
}

/* /dev/cdrom is a symbolic link: the drive behind it gets its real node's name
 * and lock, so two ways to name one drive never give two locks. */
static void
test_symlink_resolved (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDeviceMonitor) monitor = rf_device_monitor_new (db);
  g_autofree char *dir = g_dir_make_tmp ("reflash-monitor-XXXXXX", &error);
  g_autofree char *node = g_build_filename (dir, "sg9", NULL);
  g_autofree char *link = g_build_filename (dir, "cdrom", NULL);
  g_autoptr(RfDevice) device = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (node, "", 0, NULL));
  g_assert_cmpint (symlink ("sg9", link), ==, 0);
  device = rf_device_monitor_lookup (monitor, link, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_device_get_id (device), ==, node);
  g_assert_cmpstr (rf_device_get_lock_name (device), ==, node);
  g_unlink (link);
  g_unlink (node);
  g_rmdir (dir);
}

static void
write_page (const char   *dir,
            const guint8 *data,
            gsize         length)
{
  g_autofree char *path = g_build_filename (dir, "vpd_pg80", NULL);

  g_assert_true (g_file_set_contents (path, (const char *) data, (gssize) length, NULL));
}

/* The serial comes from the kernel's copy of VPD page 0x80 in sysfs. */
static void
test_serial_from_sysfs (void)
{
  const guint8 page[] = { 0x05, 0x80, 0x00, 0x0c, ' ', ' ', 'N', '3', '5', 'A', '0', '0', '1',
                          '2', ' ', ' ' };
  const guint8 blank[] = { 0x05, 0x80, 0x00, 0x04, ' ', ' ', ' ', ' ' };
  const guint8 other[] = { 0x05, 0x83, 0x00, 0x02, 'A', 'B' };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("reflash-sysfs-XXXXXX", &error);
  g_autofree char *serial = NULL;
  g_autofree char *file = NULL;

  g_assert_no_error (error);
  g_assert_null (rf_device_monitor_read_serial (dir));
  write_page (dir, page, sizeof page);
  serial = rf_device_monitor_read_serial (dir);
  g_assert_cmpstr (serial, ==, "N35A0012");
  write_page (dir, blank, sizeof blank);
  g_assert_null (rf_device_monitor_read_serial (dir));
  write_page (dir, other, sizeof other);
  g_assert_null (rf_device_monitor_read_serial (dir));
  file = g_build_filename (dir, "vpd_pg80", NULL);
  g_unlink (file);
  g_rmdir (dir);
}

static void
test_which_devices_are_drives (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);

  g_assert_no_error (error);
  /* SCSI type 5: any CD/DVD drive, known or not. */
  g_assert_true (rf_device_monitor_is_drive (db, "5", "QEMU", "QEMU CD-ROM"));
  /* Another type, but a known family identity (sysfs drops the padding). */
  g_assert_true (rf_device_monitor_is_drive (db, "0", "_NEC", "DVD_RW ND-3550A"));
  g_assert_true (rf_device_monitor_is_drive (db, "0", "_NEC    ", "DVD_RW ND-4551A "));
  /* Disks and strangers are not drives; nor is a near miss. */
  g_assert_false (rf_device_monitor_is_drive (db, "0", "ATA", "WDC WD10EZEX-00B"));
  g_assert_false (rf_device_monitor_is_drive (db, "0", "_nec", "DVD_RW ND-3550A"));
  g_assert_false (rf_device_monitor_is_drive (db, "0", "_NEC", "DVD_RW ND-3550"));
  g_assert_false (rf_device_monitor_is_drive (db, NULL, NULL, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/device-monitor/sources", test_sources);
  g_test_add_func ("/reflash/device-monitor/source-added-later", test_source_added_later);
  g_test_add_func ("/reflash/device-monitor/which-devices-are-drives",
                   test_which_devices_are_drives);
  g_test_add_func ("/reflash/device-monitor/node-that-is-not-a-drive",
                   test_node_that_is_not_a_drive);
  g_test_add_func ("/reflash/device-monitor/symlink-resolved", test_symlink_resolved);
  g_test_add_func ("/reflash/device-monitor/serial-from-sysfs", test_serial_from_sysfs);
  return g_test_run ();
}
