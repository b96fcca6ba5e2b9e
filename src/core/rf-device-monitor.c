/* rf-device-monitor.c: real drives from GUdev plus registered sources
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gudev/gudev.h>
#include <stdlib.h>
#include <string.h>

#include "rf-device-monitor-private.h"
#include "rf-device-monitor.h"
#include "rf-error.h"
#include "rf-scsi.h"

struct _RfDeviceMonitor
{
  GObject parent_instance;

  RfDriveDb *db;
  GUdevClient *client;
  GHashTable *real;     /* sg sysfs path -> RfDevice */
  gboolean enumerated;
  GPtrArray *sources;   /* RfDeviceSource */
};

G_DEFINE_FINAL_TYPE (RfDeviceMonitor, rf_device_monitor, G_TYPE_OBJECT)

enum {
  SIGNAL_DEVICE_ADDED,
  SIGNAL_DEVICE_REMOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* sysfs shows INQUIRY strings; compare them padded to the field's width. */
static gboolean
field_equals (const char   *sysfs_value,
              const guint8 *field,
              gsize         length)
{
  char padded[RF_DRIVE_PRODUCT_LENGTH];
  gsize n;

  if (sysfs_value == NULL)
    return FALSE;
  n = strlen (sysfs_value);
  if (n > length)
    return FALSE;
  memset (padded, ' ', sizeof padded);
  memcpy (padded, sysfs_value, n);
  return memcmp (padded, field, length) == 0;
}

/**
 * rf_device_monitor_is_drive: (skip)
 * @type: sysfs "type" of the SCSI device
 * @vendor: sysfs "vendor"
 * @product: sysfs "model"
 *
 * Optical drives are SCSI type 5; a drive stuck in boot mode may report
 * another type, so a known identity of the drive database counts too.
 */
gboolean
rf_device_monitor_is_drive (RfDriveDb  *db,
                            const char *type,
                            const char *vendor,
                            const char *product)
{
  GPtrArray *families;

  g_return_val_if_fail (RF_IS_DRIVE_DB (db), FALSE);

  if (g_strcmp0 (type, "5") == 0)
    return TRUE;
  families = rf_drive_db_get_families (db);

  for (guint i = 0; i < families->len; i++)
    {
      RfDriveFamily *family = g_ptr_array_index (families, i);

      for (guint j = 0; j < family->models->len; j++)
        {
          const RfDriveModel *model = g_ptr_array_index (family->models, j);

          if ((field_equals (vendor, model->vendor, RF_DRIVE_VENDOR_LENGTH) &&
               field_equals (product, model->product, RF_DRIVE_PRODUCT_LENGTH)) ||
              (field_equals (vendor, model->boot_vendor, RF_DRIVE_VENDOR_LENGTH) &&
               field_equals (product, model->boot_product, RF_DRIVE_PRODUCT_LENGTH)))
            return TRUE;
        }
    }
  return FALSE;
}

/* The unit serial number (VPD page 0x80) as the kernel read it at scan time:
 * 4 header bytes (byte 1 the page code, bytes 2-3 the length), then the
 * serial, space padded. Read from sysfs only: INQUIRY with EVPD is not in the
 * probing allow-list, so nothing is sent to the drive. */
char *
rf_device_monitor_read_serial (const char *scsi_sysfs_path)
{
  g_autofree char *path = g_build_filename (scsi_sysfs_path, "vpd_pg80", NULL);
  g_autofree char *data = NULL;
  GString *serial;
  gsize length = 0;
  gsize page_length;

  if (!g_file_get_contents (path, &data, &length, NULL) || length < 4 ||
      (guint8) data[1] != 0x80)
    return NULL;
  page_length = ((gsize) (guint8) data[2] << 8) | (guint8) data[3];
  page_length = MIN (page_length, length - 4);
  serial = g_string_new (NULL);
  for (gsize i = 0; i < page_length; i++)
    {
      char c = data[4 + i];

      if (c == '\0')
        break;
      g_string_append_c (serial, g_ascii_isprint (c) ? c : '?');
    }
  g_strstrip (serial->str);
  serial->len = strlen (serial->str);
  if (serial->len == 0)
    {
      g_string_free (serial, TRUE);
      return NULL;
    }
  return g_string_free (serial, FALSE);
}

static char *
find_block_node (const char *scsi_sysfs_path)
{
  g_autofree char *block_dir = g_build_filename (scsi_sysfs_path, "block", NULL);
  g_autoptr(GDir) dir = g_dir_open (block_dir, 0, NULL);
  const char *name = dir != NULL ? g_dir_read_name (dir) : NULL;

  return name != NULL ? g_build_filename ("/dev", name, NULL) : NULL;
}

/* Builds a drive from a scsi_generic device; only reads sysfs, so it works
 * without a udev daemon. With @only_drives, other SCSI devices give %NULL. */
static RfDevice *
device_from_udev (RfDeviceMonitor *self,
                  GUdevDevice     *sg,
                  gboolean         only_drives)
{
  g_autoptr(GUdevDevice) scsi = g_udev_device_get_parent (sg);
  const char *type;
  const char *vendor;
  const char *product;
  const char *sysfs;
  g_autofree char *sg_path = NULL;
  g_autofree char *block_path = NULL;
  g_autofree char *serial = NULL;
  RfDevice *device;

  if (scsi == NULL)
    return NULL;
  type = g_udev_device_get_sysfs_attr (scsi, "type");
  vendor = g_udev_device_get_sysfs_attr (scsi, "vendor");
  product = g_udev_device_get_sysfs_attr (scsi, "model");
  if (only_drives && !rf_device_monitor_is_drive (self->db, type, vendor, product))
    return NULL;
  sg_path = g_strdup (g_udev_device_get_device_file (sg));
  if (sg_path == NULL)
    sg_path = g_build_filename ("/dev", g_udev_device_get_name (sg), NULL);
  sysfs = g_udev_device_get_sysfs_path (scsi);
  block_path = find_block_node (sysfs);
  device = rf_device_new_for_node (sg_path, block_path,
                                   g_str_has_prefix (sysfs, "/sys/devices/")
                                   ? sysfs + strlen ("/sys/devices/") : sysfs);
  rf_device_set_sysfs_identity (device, vendor, product,
                                g_udev_device_get_sysfs_attr (scsi, "rev"));
  serial = rf_device_monitor_read_serial (sysfs);
  rf_device_set_serial (device, serial);
  return device;
}

static void
on_uevent (GUdevClient     *client,
           const char      *action,
           GUdevDevice     *udev_device,
           RfDeviceMonitor *self)
{
  const char *key = g_udev_device_get_sysfs_path (udev_device);
  RfDevice *device;

  if (!self->enumerated || g_strcmp0 (g_udev_device_get_subsystem (udev_device),
                                      "scsi_generic") != 0)
    return;
  if (g_str_equal (action, "add") && !g_hash_table_contains (self->real, key))
    {
      device = device_from_udev (self, udev_device, TRUE);
      if (device == NULL)
        return;
      g_hash_table_insert (self->real, g_strdup (key), device);
      g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, device);
    }
  else if (g_str_equal (action, "remove"))
    {
      g_autoptr(RfDevice) removed = NULL;
      gpointer stolen_key = NULL;
      gpointer stolen_value = NULL;

      if (!g_hash_table_steal_extended (self->real, key, &stolen_key, &stolen_value))
        return;
      g_free (stolen_key);
      removed = stolen_value;
      g_signal_emit (self, signals[SIGNAL_DEVICE_REMOVED], 0, removed);
    }
}

static void
enumerate (RfDeviceMonitor *self)
{
  GList *list;

  if (self->enumerated)
    return;
  self->enumerated = TRUE;
  list = g_udev_client_query_by_subsystem (self->client, "scsi_generic");
  for (GList *l = list; l != NULL; l = l->next)
    {
      RfDevice *device = device_from_udev (self, l->data, TRUE);

      if (device != NULL)
        g_hash_table_insert (self->real, g_strdup (g_udev_device_get_sysfs_path (l->data)),
                             device);
    }
  g_list_free_full (list, g_object_unref);
}

static void
on_source_added (RfDeviceSource  *source,
                 RfDevice        *device,
                 RfDeviceMonitor *self)
{
  g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, device);
}

static void
on_source_removed (RfDeviceSource  *source,
                   RfDevice        *device,
                   RfDeviceMonitor *self)
{
  g_signal_emit (self, signals[SIGNAL_DEVICE_REMOVED], 0, device);
}

static void
rf_device_monitor_dispose (GObject *object)
{
  RfDeviceMonitor *self = RF_DEVICE_MONITOR (object);

  for (guint i = 0; self->sources != NULL && i < self->sources->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->sources, i), self);
  g_clear_pointer (&self->sources, g_ptr_array_unref);
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  g_clear_object (&self->client);
  g_clear_pointer (&self->real, g_hash_table_unref);
  g_clear_object (&self->db);
  G_OBJECT_CLASS (rf_device_monitor_parent_class)->dispose (object);
}

static void
rf_device_monitor_class_init (RfDeviceMonitorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = rf_device_monitor_dispose;

  /**
   * RfDeviceMonitor::device-added:
   * @device: a drive that appeared (hotplug, or a source's new drive)
   */
  signals[SIGNAL_DEVICE_ADDED] =
    g_signal_new ("device-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, RF_TYPE_DEVICE);
  /**
   * RfDeviceMonitor::device-removed:
   * @device: a drive that went away
   */
  signals[SIGNAL_DEVICE_REMOVED] =
    g_signal_new ("device-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, RF_TYPE_DEVICE);
}

static void
rf_device_monitor_init (RfDeviceMonitor *self)
{
  const char * const subsystems[] = { "scsi_generic", NULL };

  self->client = g_udev_client_new (subsystems);
  g_signal_connect (self->client, "uevent", G_CALLBACK (on_uevent), self);
  self->real = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sources = g_ptr_array_new_with_free_func (g_object_unref);
}

/**
 * rf_device_monitor_new:
 * @db: drive families, to recognise drives in boot mode
 *
 * Hotplug signals arrive in the thread-default main context of the caller.
 */
RfDeviceMonitor *
rf_device_monitor_new (RfDriveDb *db)
{
  RfDeviceMonitor *self;

  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);

  self = g_object_new (RF_TYPE_DEVICE_MONITOR, NULL);
  self->db = g_object_ref (db);
  return self;
}

void
rf_device_monitor_add_source (RfDeviceMonitor *self,
                              RfDeviceSource  *source)
{
  g_autoptr(GPtrArray) devices = NULL;

  g_return_if_fail (RF_IS_DEVICE_MONITOR (self));
  g_return_if_fail (RF_IS_DEVICE_SOURCE (source));

  g_ptr_array_add (self->sources, g_object_ref (source));
  g_signal_connect (source, "device-added", G_CALLBACK (on_source_added), self);
  g_signal_connect (source, "device-removed", G_CALLBACK (on_source_removed), self);
  /* A source added after the drives were listed (the wizard adds the practice
   * drives after its first frame) announces the ones it has. */
  devices = rf_device_source_list_devices (source);
  for (guint i = 0; i < devices->len; i++)
    g_signal_emit (self, signals[SIGNAL_DEVICE_ADDED], 0, g_ptr_array_index (devices, i));
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  RfDevice *first = *(RfDevice * const *) a;
  RfDevice *second = *(RfDevice * const *) b;

  return g_strcmp0 (rf_device_get_id (first), rf_device_get_id (second));
}

/**
 * rf_device_monitor_list_devices:
 * @with_sources: also list the registered sources' drives (practice drives)
 *
 * Returns: (transfer full) (element-type RfDevice): real drives sorted by node,
 *   then the sources' drives
 */
GPtrArray *
rf_device_monitor_list_devices (RfDeviceMonitor *self,
                                gboolean         with_sources)
{
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  gpointer value;

  g_return_val_if_fail (RF_IS_DEVICE_MONITOR (self), NULL);

  enumerate (self);
  g_hash_table_iter_init (&iter, self->real);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (devices, g_object_ref (value));
  g_ptr_array_sort (devices, compare_ids);
  for (guint i = 0; with_sources && i < self->sources->len; i++)
    {
      g_autoptr(GPtrArray) more = rf_device_source_list_devices (g_ptr_array_index (self->sources,
                                                                                    i));

      for (guint j = 0; j < more->len; j++)
        g_ptr_array_add (devices, g_object_ref (g_ptr_array_index (more, j)));
    }
  return devices;
}

/* The real node behind @node: /dev/cdrom and /dev/dvd are symbolic links, and
 * one drive must have one name (and one lock) whatever the user typed. */
static char *
resolve_node (const char *node)
{
  char *real = realpath (node, NULL);
  char *resolved;

  if (real == NULL)
    return g_canonicalize_filename (node, NULL);
  resolved = g_strdup (real);
  free (real);
  return resolved;
}

/* /dev/srN's sg node from sysfs (/sys/block/srN/device/scsi_generic/sgM), so
 * that a drive reached through its block node still locks its sg node. */
static char *
sg_node_of_block (const char *block_node)
{
  g_autofree char *name = g_path_get_basename (block_node);
  g_autofree char *dir_path = g_build_filename ("/sys/block", name, "device", "scsi_generic",
                                                NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *sg = dir != NULL ? g_dir_read_name (dir) : NULL;

  return sg != NULL ? g_build_filename ("/dev", sg, NULL) : NULL;
}

static RfDevice *
lookup_node (RfDeviceMonitor *self,
             const char      *node)
{
  g_autofree char *resolved = resolve_node (node);
  g_autofree char *sg_node = NULL;
  GList *list = g_udev_client_query_by_subsystem (self->client, "scsi_generic");
  RfDevice *found = NULL;

  /* Every sg device, not only type 5: "info" on any node gets a clear verdict. */
  for (GList *l = list; l != NULL && found == NULL; l = l->next)
    {
      g_autoptr(RfDevice) device = device_from_udev (self, l->data, FALSE);

      if (device != NULL &&
          (g_strcmp0 (rf_device_get_sg_path (device), resolved) == 0 ||
           g_strcmp0 (rf_device_get_block_path (device), resolved) == 0))
        found = g_steal_pointer (&device);
    }
  g_list_free_full (list, g_object_unref);
  if (found != NULL)
    return found;
  sg_node = sg_node_of_block (resolved);
  if (sg_node != NULL && g_file_test (sg_node, G_FILE_TEST_EXISTS))
    return rf_device_new_for_node (sg_node, resolved, NULL);
  return rf_device_new_for_node (resolved, NULL, NULL);
}

/**
 * rf_device_monitor_lookup:
 * @name: a node ("/dev/sg1", "/dev/sr0") or a source's drive id ("practice:seed")
 *
 * A node that sysfs does not list as SCSI still gives a drive; probing it then
 * says what is wrong (not found, not a SCSI node).
 *
 * Returns: (transfer full) (nullable): the drive; %NULL with %RF_ERROR_NOT_FOUND
 *   for an unknown source drive
 */
RfDevice *
rf_device_monitor_lookup (RfDeviceMonitor *self,
                          const char      *name,
                          GError         **error)
{
  g_return_val_if_fail (RF_IS_DEVICE_MONITOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  if (g_path_is_absolute (name))
    return lookup_node (self, name);
  for (guint i = 0; i < self->sources->len; i++)
    {
      RfDevice *device = rf_device_source_lookup (g_ptr_array_index (self->sources, i), name);

      if (device != NULL)
        return device;
    }
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "No drive called “%s”", name);
  return NULL;
}
