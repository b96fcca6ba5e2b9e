/* rf-test-standins.c: a source of stand-ins for real drives, as the system
 * would list them: any transport behind a node's name and a port
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-device-private.h"
#include "rf-test-standins.h"

struct _TestStandins
{
  GObject parent_instance;
  GPtrArray *devices;
};

static void test_standins_source_init (RfDeviceSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestStandins, test_standins, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (RF_TYPE_DEVICE_SOURCE,
                                                      test_standins_source_init))

static GPtrArray *
test_standins_list_devices (RfDeviceSource *source)
{
  TestStandins *self = TEST_STANDINS (source);
  GPtrArray *devices = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < self->devices->len; i++)
    g_ptr_array_add (devices, g_object_ref (g_ptr_array_index (self->devices, i)));
  return devices;
}

static void
test_standins_source_init (RfDeviceSourceInterface *iface)
{
  iface->list_devices = test_standins_list_devices;
}

static void
test_standins_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_STANDINS (object)->devices);
  G_OBJECT_CLASS (test_standins_parent_class)->finalize (object);
}

static void
test_standins_class_init (TestStandinsClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_standins_finalize;
}

static void
test_standins_init (TestStandins *self)
{
  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
}

/* A stand-in named @id on @bus_path; one drive behind both names when
 * @transport is given. */
RfDevice *
test_standins_add (TestStandins *standins,
                   const char   *id,
                   const char   *bus_path,
                   RfTransport  *transport)
{
  g_autofree char *lock = g_strdup_printf ("test-%s", id);
  RfDevice *device = rf_device_new_for_transport (id, transport, lock);

  rf_device_set_bus_path (device, bus_path);
  g_ptr_array_add (standins->devices, device);
  return device;
}

TestStandins *
test_standins_new (void)
{
  return g_object_new (TEST_TYPE_STANDINS, NULL);
}
