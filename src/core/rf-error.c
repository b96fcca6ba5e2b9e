/* rf-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gi18n-lib.h>

#include "rf-error.h"

G_DEFINE_QUARK (rf-error-quark, rf_error)

typedef struct {
  const char *nick;
  const char *sentence;
} RfErrorText;

/* Stable nicks (used in JSON and logs) and the sentence people read. */
static const RfErrorText error_texts[RF_ERROR_LAST] = {
  [RF_ERROR_INTERNAL] = { "internal", N_("Something went wrong inside Reflash.") },
  [RF_ERROR_INVALID_FILE] = { "invalid-file", N_("The file is not a firmware image Reflash can use.") },
  [RF_ERROR_INVALID_DATA] = { "invalid-data", N_("The drive or the file sent data that makes no sense.") },
  [RF_ERROR_NOT_SUPPORTED] = { "not-supported", N_("Reflash knows no safe way to do this with this drive.") },
  [RF_ERROR_READ] = { "read", N_("Reading failed.") },
  [RF_ERROR_WRITE] = { "write", N_("Writing failed.") },
  [RF_ERROR_TIMED_OUT] = { "timed-out", N_("The drive did not answer in time.") },
  [RF_ERROR_BUSY] = { "busy", N_("The drive is busy. Close any burning program and try again.") },
  [RF_ERROR_PERMISSION_DENIED] = { "permission-denied", N_("You do not have permission to open the drive.") },
  [RF_ERROR_NEEDS_PRIVILEGES] = { "needs-privileges", N_("This step needs administrator rights.") },
  [RF_ERROR_VENDOR_REFUSED] = { "vendor-refused", N_("The drive or its connection refused the firmware commands. Connect the drive to another controller, such as an internal SATA or IDE port.") },
  [RF_ERROR_NO_MEDIUM] = { "no-medium", N_("There is no disc in the drive.") },
  [RF_ERROR_MEDIUM_PRESENT] = { "medium-present", N_("There is a disc in the drive. Remove it and try again.") },
  [RF_ERROR_NOT_FOUND] = { "not-found", N_("The drive or file could not be found.") },
  [RF_ERROR_CANCELLED] = { "cancelled", N_("Cancelled.") },
  [RF_ERROR_CANCEL_REFUSED] = { "cancel-refused", N_("The firmware is being written and must finish. Do not switch off the computer.") },
  [RF_ERROR_DEVICE_GONE] = { "device-gone", N_("The drive disappeared. Check its cable and power.") },
  [RF_ERROR_VERIFY_FAILED] = { "verify-failed", N_("The drive does not hold the firmware that was written.") },
  [RF_ERROR_NO_SPACE] = { "no-space", N_("There is not enough free disk space.") },
  [RF_ERROR_HELPER_MISSING] = { "helper-missing", N_("The Reflash helper for administrator rights is not installed.") },
  [RF_ERROR_AUTH_CANCELLED] = { "auth-cancelled", N_("Administrator rights were not given. Nothing was sent to the drive, and nothing changed.") },
  [RF_ERROR_NO_AGENT] = { "no-agent", N_("No program is running that could ask for an administrator password. An administrator can run the command-line tool with sudo instead.") },
  [RF_ERROR_COMMAND_REFUSED] = { "command-refused", N_("Reflash stopped a command that is not allowed at this step, so nothing was sent to the drive. This is a mistake in Reflash: please save a report.") },
  [RF_ERROR_FIRMWARE_ERASED] = { "firmware-erased", N_("The drive's firmware is erased, so there is nothing to back up.") },
  [RF_ERROR_IN_SAFE_MODE] = { "in-safe-mode", N_("The drive is in safe mode: only its bootcode runs, so it has no firmware to back up.") },
  [RF_ERROR_OTHER_MODEL] = { "other-model", N_("The firmware read from the drive is not made for the model its bootcode belongs to, so it is not kept as a backup.") },
  [RF_ERROR_READS_DIFFER] = { "reads-differ", N_("The drive gave two different answers when its firmware was read twice, so no backup was kept. Try again.") },
  [RF_ERROR_CANNOT_BACK_UP] = { "cannot-back-up", N_("This drive offers no way to read its firmware, so it cannot be backed up.") },
  [RF_ERROR_NEEDS_CONFIRMATION] = { "needs-confirmation", N_("This flash needs your confirmation before anything is written. Nothing was changed.") },
  [RF_ERROR_IMAGE_REFUSED] = { "image-refused", N_("This firmware does not fit the drive as it is now. Nothing was written.") },
  [RF_ERROR_LOW_BATTERY] = { "low-battery", N_("The computer's battery is too low to write firmware safely. Connect the charger and try again. Nothing was changed.") },
  [RF_ERROR_JOURNAL_DAMAGED] = { "journal-damaged", N_("The copy of the firmware kept for this interrupted flash is damaged, so it was not used. Flash the drive with a firmware file instead.") },
  [RF_ERROR_OTHER_DRIVE] = { "other-drive", N_("This is not the drive the interrupted flash was writing to. Nothing was written to it.") },
  [RF_ERROR_AUTH_FAILED] = { "auth-failed", N_("Administrator rights could not be asked for: this computer's authorization service failed. Nothing was sent to the drive.") },
  [RF_ERROR_INHIBIT_REFUSED] = { "inhibit-refused", N_("Reflash could not stop the computer from suspending. Do not suspend the computer or close its lid until the new firmware is written.") },
};

const char *
rf_error_code_to_nick (RfError code)
{
  g_return_val_if_fail (code < RF_ERROR_LAST, "internal");
  return error_texts[code].nick;
}

/**
 * rf_error_get_code:
 * @error: any error
 *
 * Returns: its #RfError code; an error of another domain (one Reflash did not
 *   turn into its own) is %RF_ERROR_INTERNAL
 */
RfError
rf_error_get_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, RF_ERROR_INTERNAL);

  return error->domain == RF_ERROR ? (RfError) error->code : RF_ERROR_INTERNAL;
}

const char *
rf_error_code_to_sentence (RfError code)
{
  g_return_val_if_fail (code < RF_ERROR_LAST, _(error_texts[RF_ERROR_INTERNAL].sentence));
  return _(error_texts[code].sentence);
}

RfError
rf_error_from_errno (int errno_value)
{
  switch (errno_value)
    {
    case EACCES:
      return RF_ERROR_PERMISSION_DENIED;
    case EPERM:
      /* On SG_IO the kernel answers EPERM for commands that need CAP_SYS_RAWIO. */
      return RF_ERROR_NEEDS_PRIVILEGES;
    case ENOENT:
      return RF_ERROR_NOT_FOUND;
    case ENODEV:
    case ENXIO:
      return RF_ERROR_DEVICE_GONE;
    case EBUSY:
    case EAGAIN:
      return RF_ERROR_BUSY;
    case ETIMEDOUT:
      return RF_ERROR_TIMED_OUT;
    case ENOSPC:
    case EDQUOT:
      return RF_ERROR_NO_SPACE;
    case EROFS:
      return RF_ERROR_WRITE;
    case EIO:
      return RF_ERROR_READ;
    case EISDIR:
    case EINVAL:
    case EFBIG:
      return RF_ERROR_INVALID_FILE;
    case ENOTSUP:
    case ENOTTY:
      return RF_ERROR_NOT_SUPPORTED;
    case ECANCELED:
      return RF_ERROR_CANCELLED;
    default:
      return RF_ERROR_INTERNAL;
    }
}

void
rf_error_set_from_errno (GError    **error,
                         int         errno_value,
                         const char *context)
{
  g_set_error (error, RF_ERROR, rf_error_from_errno (errno_value), "%s: %s",
               context, g_strerror (errno_value));
}

static RfError
rf_error_from_io_error (int code)
{
  switch (code)
    {
    case G_IO_ERROR_NOT_FOUND:
      return RF_ERROR_NOT_FOUND;
    case G_IO_ERROR_PERMISSION_DENIED:
      return RF_ERROR_PERMISSION_DENIED;
    case G_IO_ERROR_NO_SPACE:
      return RF_ERROR_NO_SPACE;
    case G_IO_ERROR_CANCELLED:
      return RF_ERROR_CANCELLED;
    case G_IO_ERROR_TIMED_OUT:
      return RF_ERROR_TIMED_OUT;
    case G_IO_ERROR_BUSY:
      return RF_ERROR_BUSY;
    case G_IO_ERROR_IS_DIRECTORY:
    case G_IO_ERROR_NOT_REGULAR_FILE:
    case G_IO_ERROR_INVALID_DATA:
      return RF_ERROR_INVALID_FILE;
    case G_IO_ERROR_READ_ONLY:
      return RF_ERROR_WRITE;
    case G_IO_ERROR_NOT_SUPPORTED:
      return RF_ERROR_NOT_SUPPORTED;
    default:
      return RF_ERROR_INTERNAL;
    }
}

static RfError
rf_error_from_file_error (int code)
{
  switch (code)
    {
    case G_FILE_ERROR_NOENT:
      return RF_ERROR_NOT_FOUND;
    case G_FILE_ERROR_ACCES:
    case G_FILE_ERROR_PERM:
      return RF_ERROR_PERMISSION_DENIED;
    case G_FILE_ERROR_NOSPC:
      return RF_ERROR_NO_SPACE;
    case G_FILE_ERROR_ISDIR:
    case G_FILE_ERROR_INVAL:
      return RF_ERROR_INVALID_FILE;
    case G_FILE_ERROR_ROFS:
      return RF_ERROR_WRITE;
    case G_FILE_ERROR_IO:
      return RF_ERROR_READ;
    default:
      return RF_ERROR_INTERNAL;
    }
}

/**
 * rf_error_convert:
 * @error: (inout) (nullable): an error of a foreign domain
 *
 * Converts #G_IO_ERROR, #G_FILE_ERROR and #G_KEY_FILE_ERROR errors to #RF_ERROR at
 * the boundary, keeping the message. Returns %TRUE if @error is now in #RF_ERROR.
 */
gboolean
rf_error_convert (GError **error)
{
  GError *e;

  if (error == NULL || *error == NULL)
    return FALSE;
  e = *error;
  if (e->domain == RF_ERROR)
    return TRUE;
  if (e->domain == G_IO_ERROR)
    e->code = rf_error_from_io_error (e->code);
  else if (e->domain == G_FILE_ERROR)
    e->code = rf_error_from_file_error (e->code);
  else if (e->domain == G_KEY_FILE_ERROR)
    e->code = RF_ERROR_INVALID_DATA;
  else
    e->code = RF_ERROR_INTERNAL;
  e->domain = RF_ERROR;
  return TRUE;
}
