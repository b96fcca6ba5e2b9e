/* rf-drive-presenter.c: one place for the words and styles the pages use for a
 * drive, so the list and the diagnosis never disagree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-presenter.h"

/**
 * rf_drive_presenter_dup_model_name:
 * @model_id: a canonical ID ("K355")
 *
 * Returns: (transfer full) (nullable): the model people know ("ND-3550A"), or
 *   @model_id itself when the family does not name it
 */
char *
rf_drive_presenter_dup_model_name (RfDevice   *device,
                                   const char *model_id)
{
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);
  const RfDriveModel *model;

  if (model_id == NULL)
    return NULL;
  model = family != NULL ? rf_drive_family_find_model (family, model_id) : NULL;
  return g_strdup (model != NULL ? model->name : model_id);
}

/* "ND-3550A" when the family knows the model, else what INQUIRY said. */
char *
rf_drive_presenter_dup_title (RfDevice *device)
{
  g_autofree char *model_id = rf_device_dup_model_id (device);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);

  if (model_id != NULL)
    return rf_drive_presenter_dup_model_name (device, model_id);
  if (identity != NULL && identity->product != NULL && *identity->product != '\0')
    return g_strdup_printf ("%s %s", identity->vendor != NULL ? identity->vendor : "",
                            identity->product);
  return g_strdup (rf_device_get_id (device));
}

char *
rf_drive_presenter_dup_subtitle (RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  const char *where = rf_device_is_practice (device) ? _("Practice drive")
                                                     : rf_device_get_id (device);

  if (identity == NULL || identity->revision == NULL)
    return g_strdup (where);
  /* Translators: "Firmware 1.05 · /dev/sg1" */
  return g_strdup_printf (_("Firmware %s · %s"), identity->revision, where);
}

/* libadwaita style classes: green for working, amber for repairable, red for
 * what the user must act on outside Reflash. */
const char *
rf_drive_presenter_state_style (RfDriveState state)
{
  switch (state)
    {
    case RF_DRIVE_STATE_READY:
      return "success";
    case RF_DRIVE_STATE_SAFE_MODE:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
    case RF_DRIVE_STATE_BUSY:
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      return "warning";
    case RF_DRIVE_STATE_UNSUPPORTED:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_NO_ACCESS:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return "error";
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return "dim-label";
    }
}

const char *
rf_drive_presenter_state_icon (RfDriveState state)
{
  switch (state)
    {
    case RF_DRIVE_STATE_READY:
      return "emblem-ok-symbolic";
    case RF_DRIVE_STATE_SAFE_MODE:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      return "emblem-synchronizing-symbolic";
    case RF_DRIVE_STATE_BUSY:
      return "media-optical-symbolic";
    case RF_DRIVE_STATE_NEEDS_ADMIN:
    case RF_DRIVE_STATE_NO_ACCESS:
      return "dialog-password-symbolic";
    case RF_DRIVE_STATE_UNSUPPORTED:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return "dialog-warning-symbolic";
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return "drive-optical-symbolic";
    }
}
