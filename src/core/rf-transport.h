/* rf-transport.h: the only door to a drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-allow-list.h"
#include "rf-clock.h"
#include "rf-command.h"

G_BEGIN_DECLS

#define RF_TYPE_TRANSPORT (rf_transport_get_type ())

G_DECLARE_DERIVABLE_TYPE (RfTransport, rf_transport, RF, TRANSPORT, GObject)

/**
 * RfTransportClass:
 * @execute: send @command and wait for its outcome. Returns %TRUE when the drive
 *   answered with a SCSI status (GOOD or not: read @command's results), %FALSE with
 *   an #RF_ERROR when no status came back (timeout, transport or OS error, the kernel
 *   refused the command, the drive vanished).
 * @get_max_transfer: the largest data transfer one command may carry
 * @get_clock: the clock the drive's waits are measured on (see #RfClock); the
 *   system clock unless the drive brings its own, as a practice drive does.
 *   A decorator returns its inner transport's.
 * @stage_changed: (nullable): the command gate above was set to a new stage; a
 *   decorator passes it on (see rf_transport_stage_changed())
 *
 * Device I/O is synchronous and runs on a worker thread; one transport serves one
 * job at a time.
 */
struct _RfTransportClass
{
  GObjectClass parent_class;

  gboolean (*execute)          (RfTransport  *self,
                                RfCommand    *command,
                                GCancellable *cancellable,
                                GError      **error);
  gsize    (*get_max_transfer) (RfTransport  *self);
  RfClock *(*get_clock)        (RfTransport  *self);

  void     (*stage_changed)    (RfTransport       *self,
                                const RfAllowList *list);
  gpointer padding[6];
};

/* 64 KiB: what a transport promises when it cannot measure its limit. */
#define RF_TRANSPORT_DEFAULT_MAX_TRANSFER (64 * 1024)

gboolean     rf_transport_execute          (RfTransport  *self,
                                            RfCommand    *command,
                                            GCancellable *cancellable,
                                            GError      **error);
gboolean     rf_transport_run              (RfTransport  *self,
                                            RfCommand    *command,
                                            GCancellable *cancellable,
                                            GError      **error);
gsize        rf_transport_get_max_transfer (RfTransport  *self);
const char  *rf_transport_get_name         (RfTransport  *self);
RfClock     *rf_transport_get_clock        (RfTransport  *self);
void         rf_transport_stage_changed    (RfTransport       *self,
                                            const RfAllowList *list);

G_END_DECLS
