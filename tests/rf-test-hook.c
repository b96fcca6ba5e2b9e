/* rf-test-hook.c: a transport that lets a test act before each command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-test-hook.h"

G_DEFINE_FINAL_TYPE (TestHookTransport, test_hook_transport, RF_TYPE_TRANSPORT)

static gboolean
test_hook_transport_execute (RfTransport  *transport,
                             RfCommand    *command,
                             GCancellable *cancellable,
                             GError      **error)
{
  TestHookTransport *self = TEST_HOOK_TRANSPORT (transport);

  self->n++;
  if (self->func != NULL)
    self->func (self->n, command, self->user_data);
  return rf_transport_execute (self->inner, command, cancellable, error);
}

static gsize
test_hook_transport_get_max_transfer (RfTransport *transport)
{
  TestHookTransport *self = TEST_HOOK_TRANSPORT (transport);
  gsize inner = rf_transport_get_max_transfer (self->inner);

  return self->max_transfer != 0 ? MIN (self->max_transfer, inner) : inner;
}

static RfClock *
test_hook_transport_get_clock (RfTransport *transport)
{
  return rf_transport_get_clock (TEST_HOOK_TRANSPORT (transport)->inner);
}

static void
test_hook_transport_finalize (GObject *object)
{
  g_clear_object (&TEST_HOOK_TRANSPORT (object)->inner);
  G_OBJECT_CLASS (test_hook_transport_parent_class)->finalize (object);
}

static void
test_hook_transport_class_init (TestHookTransportClass *klass)
{
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = test_hook_transport_finalize;
  transport_class->execute = test_hook_transport_execute;
  transport_class->get_max_transfer = test_hook_transport_get_max_transfer;
  transport_class->get_clock = test_hook_transport_get_clock;
}

static void
test_hook_transport_init (TestHookTransport *self)
{
}

/**
 * test_hook_transport_new:
 * @inner: (transfer full): the transport commands go on to
 */
TestHookTransport *
test_hook_transport_new (RfTransport *inner)
{
  TestHookTransport *self = g_object_new (TEST_TYPE_HOOK_TRANSPORT, "name", "hook", NULL);

  self->inner = inner;
  return self;
}
