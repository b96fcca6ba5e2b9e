/* rf-helper-server.h: the privileged side of the helper's frames
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "rf-drive-db.h"
#include "rf-helper-frame.h"
#include "rf-transport.h"

G_BEGIN_DECLS

gboolean    rf_helper_server_say_hello (int              out_fd,
                                        RfHelperVerdict  verdict,
                                        gsize            max_transfer,
                                        const char      *reason);
void        rf_helper_server_prepare_process (void);
gboolean    rf_helper_server_identify  (RfTransport     *drive,
                                        RfDriveDb       *db,
                                        RfDriveFamily  **family);
const char *rf_helper_server_run       (RfTransport     *drive,
                                        RfDriveDb       *db,
                                        RfDriveFamily   *family,
                                        int              in_fd,
                                        int              out_fd);

G_END_DECLS
