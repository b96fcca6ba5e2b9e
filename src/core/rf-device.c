/* rf-device.c: one drive: nodes, identity, family, state
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "rf-device-private.h"
#include "rf-error.h"
#include "rf-helper-transport.h"
#include "rf-sg-transport.h"

struct _RfDevice
{
  GObject parent_instance;

  char *id;
  char *sg_path;
  char *block_path;
  char *bus_path;
  char *port_path;  /* the bus path without the SCSI host; a practice drive's id */
  char *lock_name;
  RfTransport *transport;  /* practice drives and tests: always open */
  RfHelperLauncher *helper; /* set: jobs reach the drive through the helper */
  char *sysfs_vendor;
  char *sysfs_product;
  char *sysfs_revision;
  char *serial;            /* the unit serial from sysfs (VPD page 0x80) */

  GMutex lock;             /* guards the probe's outcome below */
  /* One probe at a time per drive in this process: a deep check asked for while
   * the list's passive look is still running waits for it, instead of finding
   * the drive locked by its own window. */
  GMutex probe_lock;
  /* Probes are numbered when asked for; an answer older than the one shown is
   * dropped (a passive look that ran late must not hide a deep check's result). */
  guint64 probes_asked;
  guint64 probe_shown;
  RfProbeResult *result;
  RfRecorder *transcript;
};

G_DEFINE_FINAL_TYPE (RfDevice, rf_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct {
  const char *code;
  const char *sentence;
} ReasonText;

static const ReasonText reason_texts[] = {
  { RF_REASON_BOOTCODE_DIFFERS, N_("The drive's bootcode belongs to another model than its stored identity.") },
  { RF_REASON_FIRMWARE_DIFFERS, N_("The running firmware belongs to another model than the drive's stored identity.") },
  { RF_REASON_BOOTCODE_KEY_UNKNOWN, N_("The bootcode accepted none of the known keys, so its model is unknown.") },
  { RF_REASON_DISC_PRESENT, N_("Reflash leaves a drive with a disc inside alone: firmware is only ever written to a drive with an empty tray.") },
  { RF_REASON_DRIVE_BUSY, N_("The drive reports that it is busy.") },
  { RF_REASON_LOCKED, N_("Another Reflash window or command is working with this drive.") },
  { RF_REASON_NO_FAMILY, N_("No drive family known to Reflash matches this model.") },
  { RF_REASON_UNKNOWN_DRIVE_ID, N_("The drive's stored identity is not one Reflash knows.") },
  { RF_REASON_VENDOR_REFUSED, N_("The firmware commands were refused: by the drive, or more likely by an adapter between it and the computer.") },
  { RF_REASON_NEEDS_PRIVILEGES, N_("The system refused the firmware commands: they need administrator rights.") },
  { RF_REASON_PERMISSION_DENIED, N_("You may not open this drive.") },
  { RF_REASON_TIMED_OUT, N_("The drive did not answer in time.") },
  { RF_REASON_TRANSPORT_ERROR, N_("The connection to the drive failed.") },
  { RF_REASON_UNEXPECTED_ANSWER, N_("The drive gave an answer Reflash did not expect.") },
  { RF_REASON_DEVICE_GONE, N_("The drive disappeared.") },
  { RF_REASON_LEFT_IN_SAFE_MODE, N_("The check could not bring the drive back from safe mode: it still runs only its bootcode.") },
  { RF_REASON_MODE_UNKNOWN, N_("The drive stopped answering during the check, so Reflash cannot tell whether it is in safe mode.") },
  { RF_REASON_IN_USE, N_("Another program has the drive open.") },
  { RF_REASON_NO_DESCRIPTOR, N_("The drive does not describe its firmware buffer the way its family data expects, so Reflash cannot send firmware to it.") },
};

static void
rf_device_dispose (GObject *object)
{
  RfDevice *self = RF_DEVICE (object);

  g_clear_object (&self->transport);
  g_clear_object (&self->helper);
  g_clear_object (&self->transcript);
  G_OBJECT_CLASS (rf_device_parent_class)->dispose (object);
}

static void
rf_device_finalize (GObject *object)
{
  RfDevice *self = RF_DEVICE (object);

  g_free (self->id);
  g_free (self->sg_path);
  g_free (self->block_path);
  g_free (self->bus_path);
  g_free (self->port_path);
  g_free (self->lock_name);
  g_free (self->sysfs_vendor);
  g_free (self->sysfs_product);
  g_free (self->sysfs_revision);
  g_free (self->serial);
  g_clear_pointer (&self->result, rf_probe_result_free);
  g_mutex_clear (&self->lock);
  g_mutex_clear (&self->probe_lock);
  G_OBJECT_CLASS (rf_device_parent_class)->finalize (object);
}

static void
rf_device_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  RfDevice *self = RF_DEVICE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, rf_device_get_state (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_device_class_init (RfDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_device_dispose;
  object_class->finalize = rf_device_finalize;
  object_class->get_property = rf_device_get_property;

  /**
   * RfDevice:state:
   *
   * The #RfDriveState of the last finished probe; notified on the thread that
   * finishes it (the main thread for rf_device_probe_async()).
   */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, 0, RF_DRIVE_STATE_LAST - 1, RF_DRIVE_STATE_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_device_init (RfDevice *self)
{
  g_mutex_init (&self->lock);
  g_mutex_init (&self->probe_lock);
}

/**
 * rf_device_new_for_node:
 * @sg_path: (nullable): the /dev/sgN node
 * @block_path: (nullable): the /dev/srN node; commands go there only without @sg_path
 * @bus_path: (nullable): what names the drive stably (sysfs bus path)
 *
 * The per-drive lock is the node itself: the sg node when there is one, so that
 * /dev/sg1 and /dev/sr0 of one drive share it (rf_drive_lock_acquire()). Give
 * real nodes, symbolic links resolved.
 *
 * Returns: (transfer full): a real drive, not probed yet
 */
RfDevice *
rf_device_new_for_node (const char *sg_path,
                        const char *block_path,
                        const char *bus_path)
{
  RfDevice *self;

  g_return_val_if_fail (sg_path != NULL || block_path != NULL, NULL);

  self = g_object_new (RF_TYPE_DEVICE, NULL);
  self->sg_path = g_strdup (sg_path);
  self->block_path = g_strdup (block_path);
  self->id = g_strdup (sg_path != NULL ? sg_path : block_path);
  self->lock_name = g_strdup (self->id);
  rf_device_set_bus_path (self, bus_path);
  return self;
}

/**
 * rf_device_new_for_transport:
 * @id: how the drive is named ("practice:seed")
 * @transport: the transport every probe uses
 * @lock_name: names the per-drive lock
 *
 * Returns: (transfer full): a drive behind a transport that is already open
 */
RfDevice *
rf_device_new_for_transport (const char  *id,
                             RfTransport *transport,
                             const char  *lock_name)
{
  RfDevice *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (RF_IS_TRANSPORT (transport), NULL);
  g_return_val_if_fail (lock_name != NULL, NULL);

  self = g_object_new (RF_TYPE_DEVICE, NULL);
  self->id = g_strdup (id);
  self->transport = g_object_ref (transport);
  self->lock_name = g_strdup (lock_name);
  rf_device_set_bus_path (self, NULL);
  return self;
}

/**
 * rf_device_set_sysfs_identity:
 *
 * What the kernel read from the drive at boot: shown when the node cannot be
 * opened (no-access), so people still see which drive it is.
 */
void
rf_device_set_sysfs_identity (RfDevice   *self,
                              const char *vendor,
                              const char *product,
                              const char *revision)
{
  g_return_if_fail (RF_IS_DEVICE (self));

  g_free (self->sysfs_vendor);
  g_free (self->sysfs_product);
  g_free (self->sysfs_revision);
  self->sysfs_vendor = vendor != NULL ? g_strchomp (g_strdup (vendor)) : NULL;
  self->sysfs_product = product != NULL ? g_strchomp (g_strdup (product)) : NULL;
  self->sysfs_revision = revision != NULL ? g_strchomp (g_strdup (revision)) : NULL;
}

/**
 * rf_device_set_serial:
 * @serial: (nullable): the unit serial number, as the kernel read it at scan
 *   time (sysfs vpd_pg80); nothing is sent to the drive for it
 */
void
rf_device_set_serial (RfDevice   *self,
                      const char *serial)
{
  g_return_if_fail (RF_IS_DEVICE (self));

  g_free (self->serial);
  self->serial = serial != NULL && serial[0] != '\0' ? g_strdup (serial) : NULL;
}

const char *
rf_device_get_id (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->id;
}

const char *
rf_device_get_sg_path (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->sg_path;
}

const char *
rf_device_get_block_path (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->block_path;
}

const char *
rf_device_get_bus_path (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->bus_path;
}

/* A sysfs folder named by the SCSI host: "host2", "target2:0:0". */
static gboolean
names_scsi_host (const char *part)
{
  return g_str_has_prefix (part, "host") || g_str_has_prefix (part, "target");
}

/* "2:0:0:0" (host:channel:target:lun) */
static gboolean
is_scsi_address (const char *part)
{
  g_auto(GStrv) numbers = g_strsplit (part, ":", -1);

  if (g_strv_length (numbers) != 4)
    return FALSE;
  for (guint i = 0; numbers[i] != NULL; i++)
    if (numbers[i][0] == '\0' || strspn (numbers[i], "0123456789") != strlen (numbers[i]))
      return FALSE;
  return TRUE;
}

/**
 * rf_device_port_path_from_bus_path:
 * @bus_path: a sysfs device path below /sys/devices
 *   ("pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0")
 *
 * nec-2m.md §3 "Matching the drive after a reboot": the SCSI host number may
 * change between boots, the controller and its port do not. The host's and
 * target's folders are left out and the address keeps channel, target and
 * LUN ("pci0000:00/0000:00:1f.2/ata3/0:0:0"), as udev's ID_PATH does.
 *
 * Returns: (transfer full): the port path
 */
char *
rf_device_port_path_from_bus_path (const char *bus_path)
{
  g_auto(GStrv) parts = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  g_return_val_if_fail (bus_path != NULL, NULL);

  parts = g_strsplit (bus_path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      if (parts[i][0] == '\0' || names_scsi_host (parts[i]))
        continue;
      if (is_scsi_address (parts[i]))
        g_ptr_array_add (kept, strchr (parts[i], ':') + 1);
      else
        g_ptr_array_add (kept, parts[i]);
    }
  g_ptr_array_add (kept, NULL);
  return g_strjoinv ("/", (char **) kept->pdata);
}

/**
 * rf_device_get_port_path:
 *
 * What names the drive across boots: its port path
 * (rf_device_port_path_from_bus_path()), or a practice drive's name. A real
 * drive whose bus path is unknown has none.
 *
 * Returns: (nullable): the port path
 */
const char *
rf_device_get_port_path (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->port_path;
}

/* For stand-ins of real drives in tests, and for drives named by a node. */
void
rf_device_set_bus_path (RfDevice   *self,
                        const char *bus_path)
{
  g_return_if_fail (RF_IS_DEVICE (self));

  g_free (self->bus_path);
  self->bus_path = g_strdup (bus_path);
  g_clear_pointer (&self->port_path, g_free);
  if (bus_path != NULL)
    self->port_path = rf_device_port_path_from_bus_path (bus_path);
  else if (rf_device_is_practice (self))
    self->port_path = g_strdup (self->id);
}

/* Identity strings as the kernel keeps them: without trailing spaces. */
static gboolean
same_field (const char *kernel,
            const char *drive)
{
  g_autofree char *trimmed = drive != NULL ? g_strchomp (g_strdup (drive)) : NULL;

  return g_strcmp0 (kernel, trimmed) == 0;
}

/**
 * rf_device_kernel_identity_is_stale:
 * @identity: the drive as it answers now (after a flash)
 *
 * Whether the kernel still lists the drive as it was when the computer found
 * it: other programs (the file manager, burning programs that ask the system)
 * then show the old model or version until the computer is switched off and
 * on. Practice drives have no kernel side: never.
 */
gboolean
rf_device_kernel_identity_is_stale (RfDevice              *self,
                                    const RfDriveIdentity *identity)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (identity != NULL, FALSE);

  if (self->sysfs_product == NULL && self->sysfs_revision == NULL)
    return FALSE;
  return !same_field (self->sysfs_vendor, identity->vendor) ||
         !same_field (self->sysfs_product, identity->product) ||
         !same_field (self->sysfs_revision, identity->revision);
}

/**
 * rf_device_get_lock_name:
 *
 * Returns: what every job on this drive passes to rf_drive_lock_acquire()
 */
const char *
rf_device_get_lock_name (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);
  return self->lock_name;
}

gboolean
rf_device_is_practice (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  return g_str_has_prefix (self->id, "practice:");
}

/**
 * rf_device_dup_identity:
 *
 * Returns: (transfer full): a copy of what the last probe learnt (empty before)
 */
RfDriveIdentity *
rf_device_dup_identity (RfDevice *self)
{
  RfDriveIdentity *identity;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  identity = self->result != NULL ? rf_drive_identity_copy (self->result->identity)
                                  : rf_drive_identity_new ();
  g_mutex_unlock (&self->lock);
  return identity;
}

/**
 * rf_device_dup_family:
 *
 * Returns: (transfer full) (nullable): the matched family
 */
RfDriveFamily *
rf_device_dup_family (RfDevice *self)
{
  RfDriveFamily *family = NULL;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->result != NULL && self->result->family != NULL)
    family = rf_drive_family_ref (self->result->family);
  g_mutex_unlock (&self->lock);
  return family;
}

/**
 * rf_device_dup_model_id:
 *
 * Returns: (transfer full) (nullable): the model INQUIRY matched ("K355"): the
 *   running firmware's model in normal mode, the bootcode's in safe mode
 */
char *
rf_device_dup_model_id (RfDevice *self)
{
  char *model = NULL;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  if (self->result != NULL)
    model = g_strdup (self->result->model_id);
  g_mutex_unlock (&self->lock);
  return model;
}

RfDriveState
rf_device_get_state (RfDevice *self)
{
  RfDriveState state;

  g_return_val_if_fail (RF_IS_DEVICE (self), RF_DRIVE_STATE_UNKNOWN);

  g_mutex_lock (&self->lock);
  state = self->result != NULL ? self->result->state : RF_DRIVE_STATE_UNKNOWN;
  g_mutex_unlock (&self->lock);
  return state;
}

RfProbeDepth
rf_device_get_probe_depth (RfDevice *self)
{
  RfProbeDepth depth;

  g_return_val_if_fail (RF_IS_DEVICE (self), RF_PROBE_DEPTH_PASSIVE);

  g_mutex_lock (&self->lock);
  depth = self->result != NULL ? self->result->depth : RF_PROBE_DEPTH_PASSIVE;
  g_mutex_unlock (&self->lock);
  return depth;
}

/**
 * rf_device_get_reason:
 *
 * Returns: the stable reason code behind the state ("disc-present"), or %NULL
 *   before the first probe
 */
const char *
rf_device_get_reason (RfDevice *self)
{
  const char *reason;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  reason = self->result != NULL ? self->result->reason : NULL;
  g_mutex_unlock (&self->lock);
  return reason;
}

/**
 * rf_device_dup_detail:
 *
 * Returns: (transfer full) (nullable): developer text behind the reason (the
 *   error or decoded sense), for logs and reports
 */
char *
rf_device_dup_detail (RfDevice *self)
{
  char *detail;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  detail = self->result != NULL ? g_strdup (self->result->detail) : NULL;
  g_mutex_unlock (&self->lock);
  return detail;
}

gboolean
rf_device_get_microcode_upgrade (RfDevice *self)
{
  gboolean value;

  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);

  g_mutex_lock (&self->lock);
  value = self->result != NULL && self->result->microcode_upgrade;
  g_mutex_unlock (&self->lock);
  return value;
}

/**
 * rf_device_dup_explanation:
 *
 * Returns: (transfer full): a translated sentence saying why the drive is in its
 *   state
 */
char *
rf_device_dup_explanation (RfDevice *self)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self);
  RfDriveState state = rf_device_get_state (self);
  const char *reason = rf_device_get_reason (self);
  const char *because = NULL;
  gboolean waits_for_firmware;

  /* Reasons that add to the state's own sentence ("ok" and "safe-mode" do not). */
  for (gsize i = 0; reason != NULL && i < G_N_ELEMENTS (reason_texts); i++)
    if (g_str_equal (reason_texts[i].code, reason))
      because = _(reason_texts[i].sentence);
  /* Every drive whose firmware is missing hears the same plain words first. */
  waits_for_firmware = identity != NULL && identity->safe_mode &&
                       (state == RF_DRIVE_STATE_SAFE_MODE ||
                        state == RF_DRIVE_STATE_IDENTITY_MISMATCH) &&
                       g_strcmp0 (reason, RF_REASON_LEFT_IN_SAFE_MODE) != 0 &&
                       g_strcmp0 (reason, RF_REASON_BOOTCODE_KEY_UNKNOWN) != 0;
  if (waits_for_firmware && because != NULL)
    return g_strconcat (rf_drive_state_to_sentence (RF_DRIVE_STATE_SAFE_MODE), " ", because, NULL);
  if (waits_for_firmware)
    return g_strdup (rf_drive_state_to_sentence (RF_DRIVE_STATE_SAFE_MODE));
  if (because != NULL)
    return g_strdup (because);
  return g_strdup (rf_drive_state_to_sentence (state));
}

/**
 * rf_device_get_state_title:
 *
 * The state's short name for a list, saying only what is known: a drive seen
 * only by its standard answers (the passive look) that seems to work is "Not
 * checked yet", since the full check may still find it blocked or given
 * another model's identity. A passive look that finds safe mode, a disc or no
 * answer says so.
 *
 * Returns: (transfer none): the translated title
 */
const char *
rf_device_get_state_title (RfDevice *self)
{
  RfDriveState state;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  state = rf_device_get_state (self);
  if (state == RF_DRIVE_STATE_READY && rf_device_get_probe_depth (self) != RF_PROBE_DEPTH_DEEP)
    return rf_drive_state_to_title (RF_DRIVE_STATE_UNKNOWN);
  return rf_drive_state_to_title (state);
}

/**
 * rf_device_dup_headline:
 *
 * What the drive's state means to its owner, in the words of a heading: "The
 * firmware is missing — this can be repaired" rather than "Identity
 * mismatch", which the explanation then makes clear.
 *
 * Returns: (transfer full): the translated headline
 */
char *
rf_device_dup_headline (RfDevice *self)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self);
  const char *reason = rf_device_get_reason (self);
  gboolean safe_mode = identity != NULL && identity->safe_mode;

  switch (rf_device_get_state (self))
    {
    case RF_DRIVE_STATE_READY:
      return g_strdup (_("The drive runs its firmware normally"));
    case RF_DRIVE_STATE_SAFE_MODE:
      if (g_strcmp0 (reason, RF_REASON_LEFT_IN_SAFE_MODE) == 0)
        return g_strdup (_("The drive is stuck in safe mode"));
      if (g_strcmp0 (reason, RF_REASON_BOOTCODE_KEY_UNKNOWN) == 0)
        return g_strdup (_("The firmware is missing, and Reflash cannot tell which fits"));
      return g_strdup (_("The firmware is missing — this can be repaired"));
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      if (safe_mode)
        return g_strdup (_("The firmware is missing — this can be repaired"));
      return g_strdup (_("The drive works, but it was given another model's identity"));
    case RF_DRIVE_STATE_BUSY:
      if (g_strcmp0 (reason, RF_REASON_DISC_PRESENT) == 0)
        return g_strdup (_("There is a disc in the drive"));
      if (g_strcmp0 (reason, RF_REASON_IN_USE) == 0)
        return g_strdup (_("Another program is using the drive"));
      if (g_strcmp0 (reason, RF_REASON_LOCKED) == 0)
        return g_strdup (_("Reflash is already working with this drive"));
      return g_strdup (_("The drive is busy"));
    case RF_DRIVE_STATE_UNSUPPORTED:
      return g_strdup (_("Reflash cannot update this drive"));
    case RF_DRIVE_STATE_NOT_RESPONDING:
      return g_strdup (_("The drive does not answer"));
    case RF_DRIVE_STATE_NO_ACCESS:
      return g_strdup (_("Your account may not use this drive"));
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      return g_strdup (_("The full check needs administrator rights"));
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return g_strdup (_("The connection blocks firmware commands"));
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return g_strdup (_("Not checked yet"));
    }
}

static char *
model_name (RfDriveFamily *family,
            const char    *id)
{
  const RfDriveModel *model = family != NULL && id != NULL
                              ? rf_drive_family_find_model (family, id) : NULL;

  return g_strdup (model != NULL ? rf_drive_model_get_title (model) : id);
}

static char *
identity_advice (RfDevice        *self,
                 RfDriveIdentity *identity)
{
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (self);
  g_autofree char *model_id = rf_device_dup_model_id (self);
  g_autofree char *counting = NULL;
  g_autofree char *stored = model_name (family, identity->stored_id);

  if (identity->bootcode_key != NULL)
    counting = model_name (family, identity->bootcode_key);
  else
    counting = model_name (family, model_id);
  if (identity->safe_mode && identity->bootcode_version != NULL &&
      g_strcmp0 (counting, stored) == 0)
    /* Translators: %s are a model ("ND-3550A") and a bootcode version ("05") */
    return g_strdup_printf (_("Flash firmware for the %s made for bootcode version %s to repair the drive."),
                            counting, identity->bootcode_version);
  if (identity->safe_mode && identity->bootcode_version != NULL)
    /* Translators: the first and third %s are models ("ND-3550A"), the second a
     * bootcode version ("05") */
    return g_strdup_printf (_("Flash firmware for the %s made for bootcode version %s, not firmware for the %s."),
                            counting, identity->bootcode_version, stored);
  /* Translators: both %s are models ("ND-3550A") */
  return g_strdup_printf (_("Only firmware for the %s fits this drive, not firmware for the %s."),
                          counting, stored);
}

/**
 * rf_device_dup_advice:
 *
 * Returns: (transfer full): the translated next step for people
 */
char *
rf_device_dup_advice (RfDevice *self)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (self);
  const char *reason = rf_device_get_reason (self);

  switch (rf_device_get_state (self))
    {
    case RF_DRIVE_STATE_READY:
      return g_strdup (_("Choose a firmware file to check it against this drive."));
    case RF_DRIVE_STATE_SAFE_MODE:
      if (g_strcmp0 (reason, RF_REASON_LEFT_IN_SAFE_MODE) == 0)
        return g_strdup (_("Switch the computer off and on again so that the drive restarts its firmware, then check it again. Do not flash it now."));
      if (g_strcmp0 (reason, RF_REASON_BOOTCODE_KEY_UNKNOWN) == 0)
        return g_strdup (_("Reflash cannot tell which firmware fits, so it offers no flash. Save a report and ask for help."));
      if (identity->bootcode_version != NULL && identity->bootcode_key != NULL)
        return identity_advice (self, identity);
      return g_strdup (_("Run a full check of this drive to learn which firmware fits it."));
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      return identity_advice (self, identity);
    case RF_DRIVE_STATE_BUSY:
      if (g_strcmp0 (reason, RF_REASON_IN_USE) == 0)
        return g_strdup (_("Close the other program that uses the drive (a burning or playing program), then check again."));
      if (g_strcmp0 (reason, RF_REASON_LOCKED) == 0)
        return g_strdup (_("Wait until the other Reflash window or command has finished, then check again."));
      if (g_strcmp0 (reason, RF_REASON_DISC_PRESENT) == 0)
        return g_strdup (_("Remove the disc, close the tray and check again."));
      return g_strdup (_("Close any burning program, wait until the drive is idle and check again."));
    case RF_DRIVE_STATE_UNSUPPORTED:
      if (g_strcmp0 (reason, RF_REASON_BOOTCODE_KEY_UNKNOWN) == 0)
        return g_strdup (_("Reflash cannot tell which firmware fits, so it offers no flash. Save a report and ask for help."));
      return g_strdup (_("Reflash cannot update this drive. Save a report to help add support for it."));
    case RF_DRIVE_STATE_NOT_RESPONDING:
      if (g_strcmp0 (reason, RF_REASON_MODE_UNKNOWN) == 0)
        return g_strdup (_("Do not flash this drive now. Switch the computer off and on again, then check the drive again."));
      return g_strdup (_("Check the drive's cable and power, try another port, and avoid USB adapters."));
    case RF_DRIVE_STATE_NO_ACCESS:
      if (rf_device_is_practice (self))
        return g_strdup (_("This practice drive shows a drive your account may not use. With a real drive, Reflash offers here to check it with administrator rights."));
      return g_strdup (_("Reflash can check it with administrator rights: you will be asked for an administrator’s password, and the rights are used for this drive only."));
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      if (rf_device_is_practice (self))
        return g_strdup (_("This practice drive shows a drive whose full check needs administrator rights. With a real drive, Reflash offers here to check it with those rights."));
      return g_strdup (_("Reflash can finish the check with administrator rights: you will be asked for an administrator’s password, and the rights are used for this drive only."));
    case RF_DRIVE_STATE_VENDOR_REFUSED:
      return g_strdup (_("Connect the drive to another controller, such as an internal SATA or IDE port, and check again."));
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_LAST:
    default:
      return g_strdup (_("Check the drive first."));
    }
}

/**
 * rf_device_dup_command_advice:
 *
 * The next step as the command line gives it: where a command helps, the
 * command itself, with this drive's name in it; else the same words as
 * rf_device_dup_advice(). The wizard never shows a command as advice.
 *
 * Returns: (transfer full): the translated next step
 */
/* A drive without running firmware: which firmware it needs, then how. */
static char *
dup_recover_advice (RfDevice *self)
{
  g_autofree char *advice = rf_device_dup_advice (self);

  if (advice == NULL)
    /* Translators: %s is the drive ("/dev/sg1", "practice:seed") */
    return g_strdup_printf (_("Write firmware to it with: reflash-cli recover %s FILE"), self->id);
  /* Translators: the first %s says which firmware the drive needs (a
   * sentence); the second is the drive ("/dev/sg1", "practice:seed") */
  return g_strdup_printf (_("%s Write it with: reflash-cli recover %s FILE"), advice, self->id);
}

char *
rf_device_dup_command_advice (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  switch (rf_device_get_state (self))
    {
    case RF_DRIVE_STATE_READY:
      /* Translators: %s is the drive ("/dev/sg1", "practice:seed") */
      return g_strdup_printf (_("Check a firmware file against it: reflash-cli check FILE --drive %s"),
                              self->id);
    case RF_DRIVE_STATE_NO_ACCESS:
      /* Translators: %s is the drive ("/dev/sg1") */
      return g_strdup_printf (_("Run it with administrator rights: sudo reflash-cli info %s (or ask your administrator for access to the drive)."),
                              self->id);
    case RF_DRIVE_STATE_NEEDS_ADMIN:
      /* Translators: %s is the drive ("/dev/sg1") */
      return g_strdup_printf (_("Run the full check with administrator rights: sudo reflash-cli info %s"),
                              self->id);
    case RF_DRIVE_STATE_UNSUPPORTED:
      if (g_strcmp0 (rf_device_get_reason (self), RF_REASON_BOOTCODE_KEY_UNKNOWN) == 0)
        return rf_device_dup_advice (self);
      /* Translators: %s is the drive ("/dev/sg1") */
      return g_strdup_printf (_("Reflash cannot update this drive. A report helps add support for it: reflash-cli report %s -o report.json"),
                              self->id);
    case RF_DRIVE_STATE_SAFE_MODE:
    case RF_DRIVE_STATE_IDENTITY_MISMATCH:
      return dup_recover_advice (self);
    case RF_DRIVE_STATE_UNKNOWN:
    case RF_DRIVE_STATE_BUSY:
    case RF_DRIVE_STATE_NOT_RESPONDING:
    case RF_DRIVE_STATE_VENDOR_REFUSED:
    case RF_DRIVE_STATE_LAST:
    default:
      return rf_device_dup_advice (self);
    }
}

/**
 * rf_device_dup_transcript:
 *
 * Returns: (transfer full) (nullable): every command of the last probe
 */
RfRecorder *
rf_device_dup_transcript (RfDevice *self)
{
  RfRecorder *recorder;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  g_mutex_lock (&self->lock);
  recorder = self->transcript != NULL ? g_object_ref (self->transcript) : NULL;
  g_mutex_unlock (&self->lock);
  return recorder;
}

/* Commands go to the sg node when there is one: the sr node filters them. */
/* A stand-in built on a transport has no node: its id names it. */
static const char *
command_node (RfDevice *self)
{
  if (self->sg_path != NULL)
    return self->sg_path;
  return self->block_path != NULL ? self->block_path : self->id;
}

/**
 * rf_device_open_transport:
 *
 * Opens the drive read-write, as a deep probe, a backup and a flash need.
 *
 * Returns: (transfer full) (nullable): a transport to the drive
 */
RfTransport *
rf_device_open_transport (RfDevice *self,
                          GError  **error)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  /* A stand-in of a real drive (tests) goes through the helper as the real
   * drive would; rf_device_set_helper() keeps practice drives direct. */
  if (self->helper != NULL)
    return rf_helper_transport_new (self->helper, command_node (self), NULL, error);
  if (self->transport != NULL)
    return g_object_ref (self->transport);
  return rf_sg_transport_new (command_node (self), error);
}

/**
 * rf_device_set_helper:
 * @launcher: (nullable): how to start the privileged helper; %NULL to reach
 *   the drive directly again
 *
 * From now on deep checks and jobs of this drive go through the helper, one
 * helper per job (ARCHITECTURE.md "Privileges"): only for a drive that is
 * no-access or needs-admin, and only after the person asked for it. A
 * practice drive is always reached directly.
 */
void
rf_device_set_helper (RfDevice         *self,
                      RfHelperLauncher *launcher)
{
  g_return_if_fail (RF_IS_DEVICE (self));
  g_return_if_fail (launcher == NULL || RF_IS_HELPER_LAUNCHER (launcher));

  if (rf_device_is_practice (self))
    return;
  g_set_object (&self->helper, launcher);
}

/**
 * rf_device_uses_helper:
 *
 * Returns: whether jobs reach this drive through the privileged helper; the
 *   helper then holds the drive's lock, not this process
 */
gboolean
rf_device_uses_helper (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  return self->helper != NULL;
}

/**
 * rf_device_open_transport_read_only:
 *
 * Opens the drive read-only, for a passive probe: on a real node the kernel
 * then refuses a caller without CAP_SYS_RAWIO every command beyond its short
 * list of safe ones, a second gate behind Reflash's own (ARCHITECTURE.md
 * "Privileges"). A practice drive has one transport for both.
 *
 * Returns: (transfer full) (nullable): a transport to the drive
 */
RfTransport *
rf_device_open_transport_read_only (RfDevice *self,
                                    GError  **error)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  if (self->transport != NULL)
    return g_object_ref (self->transport);
  return rf_sg_transport_new_read_only (command_node (self), error);
}

/* When the drive could not be asked (no access, locked by another job), show
 * what the kernel read from it at boot, so people still see which drive it is. */
static void
fill_from_sysfs (RfDevice      *self,
                 RfProbeResult *result)
{
  if (result->identity->serial == NULL)
    result->identity->serial = g_strdup (self->serial);
  if (result->identity->vendor != NULL || self->sysfs_vendor == NULL)
    return;
  result->identity->vendor = g_strdup (self->sysfs_vendor);
  result->identity->product = g_strdup (self->sysfs_product);
  result->identity->revision = g_strdup (self->sysfs_revision);
}

/* The node could not be opened: denied, or open elsewhere (EBUSY). */
static RfProbeResult *
no_access_result (RfDevice     *self,
                  const GError *error)
{
  RfProbeResult *result = rf_probe_result_new ();
  gboolean busy = g_error_matches (error, RF_ERROR, RF_ERROR_BUSY);

  result->state = busy ? RF_DRIVE_STATE_BUSY : RF_DRIVE_STATE_NO_ACCESS;
  result->reason = busy ? RF_REASON_IN_USE : RF_REASON_PERMISSION_DENIED;
  result->detail = g_strdup (error->message);
  fill_from_sysfs (self, result);
  return result;
}

static RfProbeResult *
probe_transport (RfDevice      *self,
                 RfTransport   *transport,
                 RfDriveDb     *db,
                 RfProbeDepth   depth,
                 RfRecorder   **transcript,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(RfRecorder) recorder = rf_recorder_new (transport);
  RfProbeResult *result;

  result = rf_probe_drive (RF_TRANSPORT (recorder), db, depth, self->lock_name,
                           self->port_path != NULL ? self->port_path : self->id, cancellable,
                           error);
  if (result == NULL)
    return NULL;
  fill_from_sysfs (self, result);
  *transcript = g_steal_pointer (&recorder);
  return result;
}

/* The node opens read-only but not read-write: this user may look at the drive
 * but not work with it. A passive look still shows which drive it is and in
 * which mode (safe mode shows in the revision); the state says what the deep
 * check lacks (DOMAIN.md, no-access). */
static RfProbeResult *
probe_read_only_access (RfDevice      *self,
                        RfDriveDb     *db,
                        const GError  *denied,
                        RfRecorder   **transcript,
                        GCancellable  *cancellable,
                        GError       **error)
{
  g_autoptr(RfTransport) transport = rf_device_open_transport_read_only (self, NULL);
  RfProbeResult *result;

  if (transport == NULL)
    return no_access_result (self, denied);
  result = probe_transport (self, transport, db, RF_PROBE_DEPTH_PASSIVE, transcript, cancellable,
                            error);
  if (result == NULL)
    return NULL;
  result->state = RF_DRIVE_STATE_NO_ACCESS;
  result->reason = RF_REASON_PERMISSION_DENIED;
  g_free (result->detail);
  result->detail = g_strdup (denied->message);
  return result;
}

/* A deep check through the helper: the helper holds the drive's lock, so the
 * probe runs as a held one, and the helper ends with it. Another job's lock
 * is the drive's busy state; a refused authentication is an error the caller
 * shows, and changes nothing. */
static RfProbeResult *
probe_through_helper (RfDevice      *self,
                      RfDriveDb     *db,
                      RfRecorder   **transcript,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(RfRecorder) recorder = NULL;
  g_autoptr(RfCommandGate) gate = NULL;
  g_autoptr(GError) local_error = NULL;
  RfProbeResult *result;

  transport = rf_device_open_transport (self, &local_error);
  if (transport == NULL && g_error_matches (local_error, RF_ERROR, RF_ERROR_BUSY))
    return no_access_result (self, local_error);
  if (transport == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  recorder = rf_recorder_new (transport);
  gate = rf_command_gate_new (RF_TRANSPORT (recorder));
  result = rf_probe_drive_held (gate, db, RF_PROBE_DEPTH_DEEP,
                                self->port_path != NULL ? self->port_path : self->id,
                                cancellable, error);
  rf_helper_transport_end (RF_HELPER_TRANSPORT (transport));
  if (result == NULL)
    return NULL;
  fill_from_sysfs (self, result);
  *transcript = g_steal_pointer (&recorder);
  return result;
}

/* Runs on a worker thread: touches only immutable fields of @self. A passive
 * probe opens the node read-only, a deep one read-write. */
static RfProbeResult *
probe_sync_locked (RfDevice      *self,
                   RfDriveDb     *db,
                   RfProbeDepth   depth,
                   RfRecorder   **transcript,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(GError) local_error = NULL;

  if (depth == RF_PROBE_DEPTH_DEEP && rf_device_uses_helper (self))
    return probe_through_helper (self, db, transcript, cancellable, error);
  if (depth == RF_PROBE_DEPTH_PASSIVE)
    transport = rf_device_open_transport_read_only (self, &local_error);
  else
    transport = rf_device_open_transport (self, &local_error);
  if (transport != NULL)
    return probe_transport (self, transport, db, depth, transcript, cancellable, error);
  if (depth == RF_PROBE_DEPTH_DEEP &&
      g_error_matches (local_error, RF_ERROR, RF_ERROR_PERMISSION_DENIED))
    return probe_read_only_access (self, db, local_error, transcript, cancellable, error);
  if (g_error_matches (local_error, RF_ERROR, RF_ERROR_PERMISSION_DENIED) ||
      g_error_matches (local_error, RF_ERROR, RF_ERROR_BUSY))
    return no_access_result (self, local_error);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static RfProbeResult *
probe_sync (RfDevice      *self,
            RfDriveDb     *db,
            RfProbeDepth   depth,
            RfRecorder   **transcript,
            GCancellable  *cancellable,
            GError       **error)
{
  RfProbeResult *result;

  g_mutex_lock (&self->probe_lock);
  result = probe_sync_locked (self, db, depth, transcript, cancellable, error);
  g_mutex_unlock (&self->probe_lock);
  return result;
}

static guint64
next_probe_ticket (RfDevice *self)
{
  guint64 ticket;

  g_mutex_lock (&self->lock);
  ticket = ++self->probes_asked;
  g_mutex_unlock (&self->lock);
  return ticket;
}

static void
apply_result (RfDevice      *self,
              RfProbeResult *result,
              RfRecorder    *transcript,
              guint64        ticket)
{
  RfDriveState old_state = rf_device_get_state (self);

  g_mutex_lock (&self->lock);
  if (ticket < self->probe_shown)
    {
      g_mutex_unlock (&self->lock);
      rf_probe_result_free (result);
      return;
    }
  self->probe_shown = ticket;
  g_clear_pointer (&self->result, rf_probe_result_free);
  self->result = result;
  g_set_object (&self->transcript, transcript);
  g_mutex_unlock (&self->lock);
  if (old_state != result->state)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/**
 * rf_device_probe_held:
 * @gate: the job's gate in front of the transport it opened
 * @transcript: (nullable): the recorder behind @gate, kept as the device's
 *   transcript
 *
 * The probe a job runs under the exclusive lock it holds; the result
 * becomes the device's, as after rf_device_probe(). Most trouble becomes a
 * state, as there.
 */
gboolean
rf_device_probe_held (RfDevice       *self,
                      RfCommandGate  *gate,
                      RfRecorder     *transcript,
                      RfDriveDb      *db,
                      RfProbeDepth    depth,
                      GCancellable   *cancellable,
                      GError        **error)
{
  RfProbeResult *result;
  guint64 ticket;

  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (RF_IS_COMMAND_GATE (gate), FALSE);
  g_return_val_if_fail (transcript == NULL || RF_IS_RECORDER (transcript), FALSE);

  ticket = next_probe_ticket (self);
  result = rf_probe_drive_held (gate, db, depth, self->port_path != NULL ? self->port_path : self->id,
                                cancellable, error);
  if (result == NULL)
    return FALSE;
  fill_from_sysfs (self, result);
  apply_result (self, result, transcript, ticket);
  return TRUE;
}

/**
 * rf_device_get_clock:
 *
 * Returns: (transfer none): the clock the drive's waits are measured on: a
 *   practice drive's modelled time, or the system's
 */
RfClock *
rf_device_get_clock (RfDevice *self)
{
  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  if (self->transport != NULL)
    return rf_transport_get_clock (self->transport);
  if (self->helper != NULL && rf_helper_launcher_get_clock (self->helper) != NULL)
    return rf_helper_launcher_get_clock (self->helper);
  return rf_clock_get_system ();
}

/**
 * rf_device_probe:
 * @db: the drive families
 * @depth: %RF_PROBE_DEPTH_PASSIVE for listings; %RF_PROBE_DEPTH_DEEP only for a
 *   drive the user chose (DOMAIN.md "Probing depth")
 *
 * Most trouble becomes a state (no-access, not-responding, ...), not an error.
 * Errors: %RF_ERROR_NOT_FOUND, %RF_ERROR_DEVICE_GONE, %RF_ERROR_NOT_SUPPORTED
 * (not a SCSI node), %RF_ERROR_CANCELLED.
 */
gboolean
rf_device_probe (RfDevice      *self,
                 RfDriveDb     *db,
                 RfProbeDepth   depth,
                 GCancellable  *cancellable,
                 GError       **error)
{
  g_autoptr(RfRecorder) transcript = NULL;
  RfProbeResult *result;
  guint64 ticket;

  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), FALSE);

  ticket = next_probe_ticket (self);
  result = probe_sync (self, db, depth, &transcript, cancellable, error);
  if (result == NULL)
    return FALSE;
  apply_result (self, result, transcript, ticket);
  return TRUE;
}

typedef struct {
  RfDriveDb *db;
  RfProbeDepth depth;
  RfRecorder *transcript;
  guint64 ticket;
} ProbeTaskData;

static void
probe_task_data_free (gpointer data)
{
  ProbeTaskData *task_data = data;

  g_clear_object (&task_data->db);
  g_clear_object (&task_data->transcript);
  g_free (task_data);
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      data,
              GCancellable *cancellable)
{
  ProbeTaskData *task_data = data;
  GError *error = NULL;
  RfProbeResult *result;

  result = probe_sync (RF_DEVICE (source_object), task_data->db, task_data->depth,
                       &task_data->transcript, cancellable, &error);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) rf_probe_result_free);
}

/**
 * rf_device_probe_async:
 *
 * Probes on a worker thread of its own, so one hung drive never delays the
 * others; every command carries its own timeout.
 */
void
rf_device_probe_async (RfDevice            *self,
                       RfDriveDb           *db,
                       RfProbeDepth         depth,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ProbeTaskData *task_data;

  g_return_if_fail (RF_IS_DEVICE (self));
  g_return_if_fail (RF_IS_DRIVE_DB (db));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, rf_device_probe_async);
  g_task_set_name (task, "rf_device_probe");
  task_data = g_new0 (ProbeTaskData, 1);
  task_data->db = g_object_ref (db);
  task_data->depth = depth;
  task_data->ticket = next_probe_ticket (self);
  g_task_set_task_data (task, task_data, probe_task_data_free);
  g_task_run_in_thread (task, probe_thread);
}

/**
 * rf_device_probe_finish:
 *
 * Applies the outcome to @self (and notifies #RfDevice:state) on the calling
 * thread.
 */
gboolean
rf_device_probe_finish (RfDevice      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  ProbeTaskData *task_data;
  RfProbeResult *probe_result;

  g_return_val_if_fail (RF_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == rf_device_probe_async, FALSE);

  probe_result = g_task_propagate_pointer (G_TASK (result), error);
  if (probe_result == NULL)
    return FALSE;
  task_data = g_task_get_task_data (G_TASK (result));
  apply_result (self, probe_result, task_data->transcript, task_data->ticket);
  return TRUE;
}

/**
 * rf_device_dup_model_name:
 *
 * Returns: (transfer full): the model as people know it ("ND-3550A"), else
 *   the INQUIRY product, else a translated "unknown model"
 */
char *
rf_device_dup_model_name (RfDevice *self)
{
  g_autoptr(RfDriveFamily) family = NULL;
  g_autofree char *model_id = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  const RfDriveModel *model;

  g_return_val_if_fail (RF_IS_DEVICE (self), NULL);

  family = rf_device_dup_family (self);
  model_id = rf_device_dup_model_id (self);
  identity = rf_device_dup_identity (self);
  model = family != NULL && model_id != NULL ? rf_drive_family_find_model (family, model_id)
                                             : NULL;
  if (model != NULL)
    return g_strdup (rf_drive_model_get_title (model));
  if (identity->product != NULL && identity->product[0] != '\0')
    return g_strdup (identity->product);
  return g_strdup (_("unknown model"));
}
