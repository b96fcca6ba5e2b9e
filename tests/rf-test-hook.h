/* rf-test-hook.h: a transport in front of a practice drive that lets a test
 * act just before the n-th command reaches the drive: cancel, let time pass,
 * look at a job's progress; and one that carries less per command
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-core.h"

G_BEGIN_DECLS

typedef void (*HookFunc) (guint n, const RfCommand *command, gpointer user_data);

#define TEST_TYPE_HOOK_TRANSPORT (test_hook_transport_get_type ())
G_DECLARE_FINAL_TYPE (TestHookTransport, test_hook_transport, TEST, HOOK_TRANSPORT, RfTransport)

struct _TestHookTransport
{
  RfTransport parent_instance;
  RfTransport *inner;
  guint n;               /* commands seen so far */
  HookFunc func;
  gpointer user_data;
  gsize max_transfer;    /* 0: the inner transport's */
};

TestHookTransport *test_hook_transport_new (RfTransport *inner);

G_END_DECLS
