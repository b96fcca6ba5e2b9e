/* rf-drive-presenter.c: one place for the words and styles the pages use for a
 * drive, so the list and the diagnosis never disagree.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-drive-presenter.h"
#include "rf-sim.h"

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
  return g_strdup (model != NULL ? rf_drive_model_get_title (model) : model_id);
}

/**
 * rf_drive_presenter_dup_practice_drive:
 *
 * Returns: (transfer full) (nullable): the simulated drive behind a practice
 *   drive, for its name, its story and its light; %NULL for a real drive
 */
RfSimDrive *
rf_drive_presenter_dup_practice_drive (RfDevice *device)
{
  g_autoptr(RfTransport) transport = NULL;

  if (!rf_device_is_practice (device))
    return NULL;
  transport = rf_device_open_transport (device, NULL);
  if (transport == NULL || !RF_IS_SIM_TRANSPORT (transport))
    return NULL;
  return g_object_ref (rf_sim_transport_get_drive (RF_SIM_TRANSPORT (transport)));
}

/* "ND-3550A" when the family knows the model, else what INQUIRY said. */
static char *
dup_model_title (RfDevice *device)
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

/* A practice drive is named by its story ("ND-3550A after a failed
 * crossflash"): several of them share a model. */
char *
rf_drive_presenter_dup_title (RfDevice *device)
{
  g_autoptr(RfSimDrive) practice = rf_drive_presenter_dup_practice_drive (device);

  if (practice != NULL)
    return g_strdup (rf_sim_scenario_get_name (rf_sim_drive_get_scenario (practice)));
  return dup_model_title (device);
}

char *
rf_drive_presenter_dup_subtitle (RfDevice *device)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autofree char *model = NULL;
  const char *where;

  if (rf_device_is_practice (device))
    {
      /* A practice drive that never answered has no model to show yet. */
      model = identity != NULL && identity->product != NULL ? dup_model_title (device) : NULL;
      where = model != NULL ? model : _("Practice drive");
    }
  else
    {
      where = rf_device_get_id (device);
    }
  if (identity == NULL || identity->revision == NULL)
    return g_strdup (where);
  /* Translators: "Firmware 1.05 · /dev/sg1", or "Firmware 1.05 · ND-3550A" */
  return g_strdup_printf (_("Firmware %s · %s"), identity->revision, where);
}

/* What a practice drive's light is doing, in words. */
const char *
rf_drive_presenter_led_words (RfSimLed led)
{
  switch (led)
    {
    case RF_SIM_LED_OFF:
      return C_("light", "Off");
    case RF_SIM_LED_STEADY:
      return C_("light", "Steady");
    case RF_SIM_LED_BLINKING:
      return C_("light", "Blinking");
    case RF_SIM_LED_BLINKING_FAST:
      return C_("light", "Blinking fast");
    default:
      return C_("light", "Off");
    }
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
      /* Repairable, and the person's attention is wanted: no "busy" arrows. */
      return "dialog-warning-symbolic";
    case RF_DRIVE_STATE_BUSY:
      return "media-optical-symbolic";
    case RF_DRIVE_STATE_NEEDS_ADMIN:
    case RF_DRIVE_STATE_NO_ACCESS:
      return "dialog-password-symbolic";
    case RF_DRIVE_STATE_UNSUPPORTED:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return "dialog-error-symbolic";
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return "drive-optical-symbolic";
    }
}

typedef struct {
  GWeakRef target;
  RfPresenterFunc func;
} MainCall;

static gboolean
run_main_call (gpointer data)
{
  MainCall *call = data;
  g_autoptr(GObject) target = g_weak_ref_get (&call->target);

  if (target != NULL)
    call->func (target);
  return G_SOURCE_REMOVE;
}

static void
main_call_free (gpointer data)
{
  MainCall *call = data;

  g_weak_ref_clear (&call->target);
  g_free (call);
}

/**
 * rf_drive_presenter_on_main:
 * @object: a widget or presenter
 * @func: what to do with it
 *
 * Runs @func on @object on the main thread: at once when called there, else
 * soon from the main loop (unless @object is gone by then). A drive notifies
 * its state on the thread that probed it, which during a flash is the job's
 * worker; only the main thread may touch widgets.
 */
void
rf_drive_presenter_on_main (gpointer        object,
                            RfPresenterFunc func)
{
  MainCall *call;

  g_return_if_fail (G_IS_OBJECT (object));
  g_return_if_fail (func != NULL);

  call = g_new0 (MainCall, 1);
  g_weak_ref_init (&call->target, object);
  call->func = func;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, run_main_call, call, main_call_free);
}
