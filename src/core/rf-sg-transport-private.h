/* rf-sg-transport-private.h: RfSgTransport's decisions and its opener, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

/* What do_scsi_pt() and the result accessors said about one command. */
typedef struct {
  int do_result;        /* do_scsi_pt's return: 0, SCSI_PT_DO_*, or -errno */
  int category;         /* SCSI_PT_RESULT_* */
  int os_err;           /* get_scsi_pt_os_err */
  int transport_err;    /* (host status << 8) | driver status */
  const char *detail;   /* sg_pt's text for the transport error, or NULL */
} RfSgOutcome;

gboolean rf_sg_transport_check_outcome (const RfSgOutcome *outcome,
                                        const char        *what,
                                        GError           **error);
void     rf_sg_transport_set_open_error (GError    **error,
                                         int         errno_value,
                                         const char *path);
gboolean rf_sg_transport_check_node    (const char *path,
                                        guint       mode,
                                        guint       major_number,
                                        GError    **error);
gboolean rf_sg_transport_check_opened  (int         fd,
                                        const char *path,
                                        dev_t       checked_rdev,
                                        GError    **error);
int      rf_sg_transport_open_checked  (const char *path,
                                        int         access_mode,
                                        dev_t       checked_rdev,
                                        GError    **error);

G_END_DECLS
