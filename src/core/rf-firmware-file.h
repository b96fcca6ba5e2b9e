/* rf-firmware-file.h: reading a file the user chose as firmware, safely
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-firmware.h"

G_BEGIN_DECLS

GBytes *rf_firmware_file_load (const char         *path,
                               gsize               max_size,
                               RfFirmwareProblem  *problem,
                               GError            **error);

G_END_DECLS
