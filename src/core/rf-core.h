/* rf-core.h: everything librf-core offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-backup-store.h"
#include "rf-backup.h"
#include "rf-command.h"
#include "rf-device-monitor.h"
#include "rf-device-source.h"
#include "rf-device.h"
#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-drive-lock.h"
#include "rf-drive-state.h"
#include "rf-error.h"
#include "rf-firmware.h"
#include "rf-firmware-check.h"
#include "rf-firmware-file.h"
#include "rf-json-writer.h"
#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"
#include "rf-nec-image-builder.h"
#include "rf-paths.h"
#include "rf-recorder.h"
#include "rf-scsi.h"
#include "rf-sense.h"
#include "rf-sg-transport.h"
#include "rf-spc-firmware.h"
#include "rf-transport.h"
#include "rf-verdict.h"
