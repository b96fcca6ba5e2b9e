/* rf-verdict.h: does this image belong on this drive? (DOMAIN.md "Verdict")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "rf-drive-db.h"
#include "rf-drive-identity.h"
#include "rf-drive-state.h"
#include "rf-firmware.h"

G_BEGIN_DECLS

typedef enum {
  RF_VERDICT_KIND_UPGRADE,
  RF_VERDICT_KIND_REINSTALL,
  RF_VERDICT_KIND_DOWNGRADE,
  RF_VERDICT_KIND_RECOVERY,
  RF_VERDICT_KIND_REFUSED,
  RF_VERDICT_KIND_LAST /*< skip >*/
} RfVerdictKind;

typedef enum {
  RF_VERDICT_REASON_NONE,
  RF_VERDICT_REASON_WRONG_FAMILY,
  RF_VERDICT_REASON_CROSSFLASH,
  RF_VERDICT_REASON_BOOTCODE_MISMATCH,
  RF_VERDICT_REASON_CORRUPT,
  RF_VERDICT_REASON_IDENTITY_UNKNOWN,
  RF_VERDICT_REASON_NEEDS_MAKER_TOOL,
  RF_VERDICT_REASON_LAST /*< skip >*/
} RfVerdictReason;

typedef enum {
  RF_VERDICT_WARNING_NONE = 0,
  RF_VERDICT_WARNING_NO_BOOTCODE_VERSION = 1 << 0,
  RF_VERDICT_WARNING_UNKNOWN_ORDER = 1 << 1,
  RF_VERDICT_WARNING_SPEC_ONLY = 1 << 2,
  RF_VERDICT_WARNING_NO_REVISION = 1 << 3,
} RfVerdictWarnings;

#define RF_VERDICT_N_WARNINGS 4

#define RF_TYPE_VERDICT (rf_verdict_get_type ())

G_DECLARE_FINAL_TYPE (RfVerdict, rf_verdict, RF, VERDICT, GObject)

RfVerdict         *rf_verdict_new                (const RfDriveIdentity *identity,
                                                  RfDriveState           state,
                                                  RfProbeDepth           depth,
                                                  RfFirmware            *firmware);
RfVerdict         *rf_verdict_new_for_family     (const RfDriveFamily   *family,
                                                  const RfDriveIdentity *identity,
                                                  RfDriveState           state,
                                                  RfProbeDepth           depth,
                                                  RfFirmware            *firmware);
RfVerdict         *rf_verdict_new_for_file_problem (RfFirmwareProblem problem);
RfVerdictKind      rf_verdict_get_kind           (RfVerdict *self);
RfVerdictReason    rf_verdict_get_reason         (RfVerdict *self);
RfVerdictWarnings  rf_verdict_get_warnings       (RfVerdict *self);
RfFirmwareProblem  rf_verdict_get_problem        (RfVerdict *self);
const char        *rf_verdict_get_code           (RfVerdict *self);
const char        *rf_verdict_get_sentence       (RfVerdict *self);
const char        *rf_verdict_get_next_step      (RfVerdict *self);
gboolean           rf_verdict_is_allowed         (RfVerdict *self);
gboolean           rf_verdict_needs_confirmation (RfVerdict *self);

const char *rf_verdict_kind_to_nick       (RfVerdictKind      kind);
const char *rf_verdict_reason_to_nick     (RfVerdictReason    reason);
const char *rf_verdict_warning_to_nick    (RfVerdictWarnings  warning);
const char *rf_verdict_warning_to_sentence (RfVerdictWarnings warning);

G_END_DECLS
