/* rf-core.h: everything librf-core offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "rf-command.h"
#include "rf-drive-identity.h"
#include "rf-drive-state.h"
#include "rf-error.h"
#include "rf-json-writer.h"
#include "rf-nec-2m.h"
#include "rf-nec-image-builder.h"
#include "rf-paths.h"
#include "rf-sense.h"
#include "rf-transport.h"
