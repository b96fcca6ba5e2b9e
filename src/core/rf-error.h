/* rf-error.h: the one error domain of Reflash
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RF_ERROR (rf_error_quark ())

/**
 * RfError:
 *
 * The fixed set of error codes shared by core, CLI and GUI. Messages carried by a
 * #GError are for developers and logs; people see the sentence returned by
 * rf_error_code_to_sentence(), chosen by code.
 */
typedef enum {
  RF_ERROR_INTERNAL,
  RF_ERROR_INVALID_FILE,
  RF_ERROR_INVALID_DATA,
  RF_ERROR_NOT_SUPPORTED,
  RF_ERROR_READ,
  RF_ERROR_WRITE,
  RF_ERROR_TIMED_OUT,
  RF_ERROR_BUSY,
  RF_ERROR_PERMISSION_DENIED,
  RF_ERROR_NEEDS_PRIVILEGES,
  RF_ERROR_VENDOR_REFUSED,
  RF_ERROR_NO_MEDIUM,
  RF_ERROR_MEDIUM_PRESENT,
  RF_ERROR_NOT_FOUND,
  RF_ERROR_CANCELLED,
  RF_ERROR_CANCEL_REFUSED,
  RF_ERROR_DEVICE_GONE,
  RF_ERROR_VERIFY_FAILED,
  RF_ERROR_NO_SPACE,
  RF_ERROR_HELPER_MISSING,
  RF_ERROR_AUTH_CANCELLED,
  RF_ERROR_NO_AGENT,
  RF_ERROR_COMMAND_REFUSED,
  RF_ERROR_FIRMWARE_ERASED,
  RF_ERROR_IN_SAFE_MODE,
  RF_ERROR_OTHER_MODEL,
  RF_ERROR_READS_DIFFER,
  RF_ERROR_CANNOT_BACK_UP,
  RF_ERROR_NEEDS_CONFIRMATION,
  RF_ERROR_IMAGE_REFUSED,
  RF_ERROR_INHIBIT_REFUSED,
  RF_ERROR_LOW_BATTERY,
  RF_ERROR_JOURNAL_DAMAGED,
  RF_ERROR_OTHER_DRIVE,
  RF_ERROR_AUTH_FAILED,
  RF_ERROR_LAST /*< skip >*/
} RfError;

GQuark       rf_error_quark            (void);
RfError      rf_error_from_errno       (int          errno_value);
const char  *rf_error_code_to_nick     (RfError      code);
const char  *rf_error_code_to_sentence (RfError      code);
RfError      rf_error_get_code         (const GError *error);
gboolean     rf_error_convert          (GError     **error);
void         rf_error_set_from_errno   (GError     **error,
                                        int          errno_value,
                                        const char  *context);

G_END_DECLS
