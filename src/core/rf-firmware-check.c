/* rf-firmware-check.c: one place that turns "this file, that drive" into a verdict
 *
 * The order matters for safety and is the same in the CLI and the wizard: read the
 * file defensively (never a FIFO, never 4 GiB into memory), parse it as NEC 2M
 * (an image alone or inside an updater), pick the image inside an updater by the
 * drive's counting identity, or read the file by the drive family's own image
 * rules, then judge. Nothing here talks to a drive: the identity comes from a probe
 * the caller already ran.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-error.h"
#include "rf-firmware-check.h"
#include "rf-firmware-file.h"
#include "rf-spc-firmware.h"

struct _RfFirmwareCheck
{
  GObject parent_instance;

  char *path;
  RfFirmwareProblem load_problem;
  GBytes *bytes;
  RfNecFirmware *nec;
  RfFirmware *judged;
  RfVerdict *verdict;
};

G_DEFINE_FINAL_TYPE (RfFirmwareCheck, rf_firmware_check, G_TYPE_OBJECT)

static void
rf_firmware_check_finalize (GObject *object)
{
  RfFirmwareCheck *self = RF_FIRMWARE_CHECK (object);

  g_free (self->path);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_object (&self->nec);
  g_clear_object (&self->judged);
  g_clear_object (&self->verdict);
  G_OBJECT_CLASS (rf_firmware_check_parent_class)->finalize (object);
}

static void
rf_firmware_check_class_init (RfFirmwareCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_firmware_check_finalize;
}

static void
rf_firmware_check_init (RfFirmwareCheck *self)
{
}

static void
parse_as_nec (RfFirmwareCheck *self)
{
  g_autoptr(GError) error = NULL;

  self->nec = rf_nec_firmware_new ();
  /* A failed parse is information (its problem says why), not an error. */
  if (!rf_firmware_parse (RF_FIRMWARE (self->nec), self->bytes, &error))
    g_debug ("%s: %s", self->path, error->message);
}

/**
 * rf_firmware_check_new_for_file:
 * @path: the file the user chose
 *
 * Reads and parses @path. A file that cannot be used is not an error: the check
 * then holds its problem (rf_firmware_check_get_problem()) and any verdict refuses it.
 */
RfFirmwareCheck *
rf_firmware_check_new_for_file (const char *path)
{
  RfFirmwareCheck *self;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (RF_TYPE_FIRMWARE_CHECK, NULL);
  self->path = g_strdup (path);
  self->bytes = rf_firmware_file_load (path, RF_FIRMWARE_MAX_FILE_SIZE, &self->load_problem,
                                       &error);
  if (self->bytes == NULL)
    g_debug ("%s", error->message);
  else
    parse_as_nec (self);
  return self;
}

/* For images that never were a file: a backup, a practice firmware. */
RfFirmwareCheck *
rf_firmware_check_new_for_bytes (const char *name,
                                 GBytes     *bytes)
{
  RfFirmwareCheck *self;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (bytes != NULL, NULL);

  self = g_object_new (RF_TYPE_FIRMWARE_CHECK, NULL);
  self->path = g_strdup (name);
  self->bytes = g_bytes_ref (bytes);
  parse_as_nec (self);
  return self;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_task_return_pointer (task, rf_firmware_check_new_for_file (task_data), g_object_unref);
}

/* Reading an updater of tens of MiB from a slow disk must not freeze a window. */
void
rf_firmware_check_new_for_file_async (const char         *path,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (path != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, rf_firmware_check_new_for_file_async);
  g_task_set_name (task, "[reflash] firmware check");
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, load_thread);
}

RfFirmwareCheck *
rf_firmware_check_new_for_file_finish (GAsyncResult *result,
                                       GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The image the verdict is about: an NEC image (the one that fits the drive,
 * inside an updater), or the file read by the drive family's own image rules. */
static RfFirmware *
image_for_drive (RfFirmwareCheck       *self,
                 const RfDriveFamily   *family,
                 const RfDriveIdentity *identity)
{
  RfFirmware *nec = RF_FIRMWARE (self->nec);
  /* Only a proven bootcode picks an updater's image (DOMAIN.md): the stored ID
   * alone may be a half-done crossflash's. */
  const char *counting = identity->bootcode_key;
  g_autoptr(RfSpcFirmware) spc = NULL;

  /* An NEC image that names its drive stays one even when damaged: against an
   * SPC drive it is another family's file, not a raw image of the wrong size. */
  if (rf_firmware_get_problem (nec) == RF_FIRMWARE_PROBLEM_NONE ||
      rf_firmware_get_drive_id (nec) != NULL || family == NULL ||
      g_strcmp0 (family->protocol, "spc-download") != 0)
    {
      g_autoptr(GError) error = NULL;

      if (counting == NULL)
        rf_nec_firmware_choose_without_drive (self->nec);
      else if (rf_nec_firmware_is_container (self->nec) &&
               !rf_nec_firmware_choose_for_drive (self->nec, counting, identity->bootcode_version,
                                                  &error))
        g_debug ("choosing an image: %s", error->message);
      return g_object_ref (nec);
    }
  spc = rf_spc_firmware_new_for_family (family);
  if (!rf_firmware_parse (RF_FIRMWARE (spc), self->bytes, NULL))
    g_debug ("%s is no image of the %s family", self->path, family->id);
  return RF_FIRMWARE (g_steal_pointer (&spc));
}

/**
 * rf_firmware_check_judge:
 * @family: (nullable): the drive's family, from its probe
 * @identity: the drive's identity, from a deep probe
 * @state: the drive's state
 * @depth: how deep the probe behind @identity and @state went
 *
 * Decides the verdict (DOMAIN.md "Verdict"). Call again after a new probe.
 */
void
rf_firmware_check_judge (RfFirmwareCheck       *self,
                         const RfDriveFamily   *family,
                         const RfDriveIdentity *identity,
                         RfDriveState           state,
                         RfProbeDepth           depth)
{
  g_return_if_fail (RF_IS_FIRMWARE_CHECK (self));
  g_return_if_fail (identity != NULL);

  g_clear_object (&self->judged);
  g_clear_object (&self->verdict);
  if (self->nec == NULL)
    {
      self->verdict = rf_verdict_new_for_file_problem (self->load_problem);
      return;
    }
  self->judged = image_for_drive (self, family, identity);
  self->verdict = rf_verdict_new_for_family (family, identity, state, depth, self->judged);
}

const char *
rf_firmware_check_get_path (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), NULL);
  return self->path;
}

GBytes *
rf_firmware_check_get_bytes (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), NULL);
  return self->bytes;
}

RfFirmwareProblem
rf_firmware_check_get_load_problem (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), RF_FIRMWARE_PROBLEM_UNREADABLE);
  return self->load_problem;
}

/* (nullable): the NEC parse, %NULL when the file could not be read */
RfNecFirmware *
rf_firmware_check_get_nec (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), NULL);
  return self->nec;
}

/* (nullable): what the verdict is about, once judged */
RfFirmware *
rf_firmware_check_get_judged (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), NULL);
  return self->judged;
}

/* (nullable): the verdict, once judged */
RfVerdict *
rf_firmware_check_get_verdict (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), NULL);
  return self->verdict;
}

/* What is wrong with the file, as far as it is known yet. */
RfFirmwareProblem
rf_firmware_check_get_problem (RfFirmwareCheck *self)
{
  g_return_val_if_fail (RF_IS_FIRMWARE_CHECK (self), RF_FIRMWARE_PROBLEM_UNREADABLE);

  if (self->judged != NULL)
    return rf_firmware_get_problem (self->judged);
  if (self->nec == NULL)
    return self->load_problem;
  return rf_firmware_get_problem (RF_FIRMWARE (self->nec));
}
