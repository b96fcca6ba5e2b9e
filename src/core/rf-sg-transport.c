/* rf-sg-transport.c: real pass-through with libsgutils2's sg_pt
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/major.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <scsi/sg.h>
#include <scsi/sg_pt.h>

#include "rf-error.h"
#include "rf-sg-transport.h"
#include "rf-sg-transport-private.h"

/* Host status values of the Linux SCSI midlayer that Reflash tells apart. */
#define RF_HOST_NO_CONNECT 0x01
#define RF_HOST_TIME_OUT   0x03
/* Driver status "timed out" (low nibble of the driver byte). */
#define RF_DRIVER_TIMEOUT  0x06

/* The largest transfer Reflash ever wants in one command: 60 × 32 KiB uploads go
 * in 32 KiB units, SPC chunks are bounded by this. */
#define RF_SG_WANTED_TRANSFER (1024 * 1024)

struct _RfSgTransport
{
  RfTransport parent_instance;

  char *path;
  int fd;
  gboolean is_block;
  gboolean read_only;
  gsize max_transfer; /* 0 until measured */
  GMutex lock;
};

G_DEFINE_FINAL_TYPE (RfSgTransport, rf_sg_transport, RF_TYPE_TRANSPORT)

/* Internal: the answer to "why did this command bring no status back". */
gboolean
rf_sg_transport_check_outcome (const RfSgOutcome *outcome,
                               const char        *what,
                               GError           **error)
{
  int host;
  int driver;

  g_return_val_if_fail (outcome != NULL, FALSE);

  /* EINVAL from SG_IO: most often a transfer above the queue's limit. The
   * practice drive reports the same as not supported; so do real drives. */
  if (outcome->do_result == -EINVAL ||
      (outcome->category == SCSI_PT_RESULT_OS_ERR && outcome->os_err == EINVAL))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "%s: the system refused the request (%s): most likely a transfer larger "
                   "than the device allows", what, g_strerror (EINVAL));
      return FALSE;
    }
  if (outcome->do_result < 0)
    {
      /* sg_pt hands back -errno when the ioctl itself failed: EPERM here is the
       * kernel refusing the opcode (no CAP_SYS_RAWIO), never the drive. */
      rf_error_set_from_errno (error, -outcome->do_result, what);
      return FALSE;
    }
  if (outcome->do_result == SCSI_PT_DO_TIMEOUT)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT, "%s: no answer before the timeout", what);
      return FALSE;
    }
  if (outcome->do_result != SCSI_PT_DO_START_OK)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "%s: sg_pt refused the request (%d)",
                   what, outcome->do_result);
      return FALSE;
    }

  switch (outcome->category)
    {
    case SCSI_PT_RESULT_GOOD:
    case SCSI_PT_RESULT_STATUS:
    case SCSI_PT_RESULT_SENSE:
      return TRUE;
    case SCSI_PT_RESULT_OS_ERR:
      rf_error_set_from_errno (error, outcome->os_err != 0 ? outcome->os_err : EIO, what);
      return FALSE;
    case SCSI_PT_RESULT_TRANSPORT_ERR:
      host = (outcome->transport_err >> 8) & 0xff;
      driver = outcome->transport_err & 0x0f;
      if (host == RF_HOST_TIME_OUT || driver == RF_DRIVER_TIMEOUT)
        g_set_error (error, RF_ERROR, RF_ERROR_TIMED_OUT, "%s: no answer before the timeout", what);
      else if (host == RF_HOST_NO_CONNECT)
        g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE, "%s: the drive is no longer connected",
                     what);
      else
        g_set_error (error, RF_ERROR, RF_ERROR_READ,
                     "%s: transport error (host 0x%02x, driver 0x%02x)%s%s", what, host, driver,
                     outcome->detail != NULL ? ": " : "",
                     outcome->detail != NULL ? outcome->detail : "");
      return FALSE;
    default:
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "%s: unknown result category %d", what,
                   outcome->category);
      return FALSE;
    }
}

void
rf_sg_transport_set_open_error (GError    **error,
                                int         errno_value,
                                const char *path)
{
  g_autofree char *context = g_strdup_printf ("Opening %s", path);

  /* EACCES: the node's permissions (no-access); EPERM on open also means the
   * file system said no, not the kernel's command filter. */
  if (errno_value == EPERM)
    errno_value = EACCES;
  /* ELOOP: O_NOFOLLOW met a symbolic link that took the checked node's place. */
  if (errno_value == ELOOP)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "%s: a symbolic link, not a device node", context);
      return;
    }
  rf_error_set_from_errno (error, errno_value, context);
}

static guint
node_major (const struct stat *info)
{
  return S_ISCHR (info->st_mode) || S_ISBLK (info->st_mode) ? major (info->st_rdev) : 0;
}

/* Internal: only sg character nodes and sr block nodes speak SCSI here. */
gboolean
rf_sg_transport_check_node (const char *path,
                            guint       mode,
                            guint       major_number,
                            GError    **error)
{
  if (S_ISCHR (mode) && major_number == SCSI_GENERIC_MAJOR)
    return TRUE;
  if (S_ISBLK (mode) && major_number == SCSI_CDROM_MAJOR)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
               "%s is not a SCSI generic (sg) or optical (sr) device node", path);
  return FALSE;
}

/* Internal: the node behind @fd is the one that was checked before opening.
 * Between lstat() and open() a node can be renamed over, so the opened file
 * itself must be an sg or sr node, and the same device. */
gboolean
rf_sg_transport_check_opened (int         fd,
                              const char *path,
                              dev_t       checked_rdev,
                              GError    **error)
{
  struct stat info;

  if (fstat (fd, &info) != 0)
    {
      rf_sg_transport_set_open_error (error, errno, path);
      return FALSE;
    }
  if (!rf_sg_transport_check_node (path, info.st_mode, node_major (&info), error))
    return FALSE;
  if (info.st_rdev != checked_rdev)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE,
                   "%s changed while it was opened: device %u:%u, checked %u:%u", path,
                   major (info.st_rdev), minor (info.st_rdev), major (checked_rdev),
                   minor (checked_rdev));
      return FALSE;
    }
  return TRUE;
}

/* Internal: opens @path with @access_mode (O_RDONLY or O_RDWR), never through
 * a symbolic link, and keeps the descriptor only if it is the device numbered
 * @checked_rdev. O_NONBLOCK: without it, an sg node held with O_EXCL elsewhere
 * makes open() wait, and an sr node is opened for data (the kernel looks for a
 * disc and may close the tray). With it, opening an sg node sends nothing to
 * the drive. */
int
rf_sg_transport_open_checked (const char *path,
                              int         access_mode,
                              dev_t       checked_rdev,
                              GError    **error)
{
  int fd;

  g_return_val_if_fail (access_mode == O_RDONLY || access_mode == O_RDWR, -1);

  fd = open (path, access_mode | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0)
    {
      rf_sg_transport_set_open_error (error, errno, path);
      return -1;
    }
  if (!rf_sg_transport_check_opened (fd, path, checked_rdev, error))
    {
      close (fd);
      return -1;
    }
  return fd;
}

static guint
timeout_seconds (guint timeout_ms)
{
  /* In 64 bits: a timeout near G_MAXUINT must not wrap round to 1 s. */
  return (guint) MAX (1, ((guint64) timeout_ms + 999) / 1000);
}

static gboolean
rf_sg_transport_execute (RfTransport  *transport,
                         RfCommand    *command,
                         GCancellable *cancellable,
                         GError      **error)
{
  RfSgTransport *self = RF_SG_TRANSPORT (transport);
  struct sg_pt_base *pt;
  RfSgOutcome outcome = { 0 };
  char detail[128] = "";
  int sense_length;
  int residual;
  gboolean answered;
  gint64 started;

  g_mutex_lock (&self->lock);
  pt = construct_scsi_pt_obj_with_fd (self->fd, 0);
  if (pt == NULL)
    {
      g_mutex_unlock (&self->lock);
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL, "%s: out of memory for sg_pt",
                   rf_command_opcode_name (command->cdb[0]));
      return FALSE;
    }
  set_scsi_pt_cdb (pt, command->cdb, (int) command->cdb_length);
  set_scsi_pt_sense (pt, command->sense, (int) sizeof command->sense);
  if (command->direction == RF_DIRECTION_IN && command->data_length > 0)
    set_scsi_pt_data_in (pt, command->data, (int) command->data_length);
  else if (command->direction == RF_DIRECTION_OUT && command->data_length > 0)
    set_scsi_pt_data_out (pt, command->data, (int) command->data_length);

  started = g_get_monotonic_time ();
  outcome.do_result = do_scsi_pt (pt, -1, (int) timeout_seconds (command->timeout_ms), 0);
  outcome.category = get_scsi_pt_result_category (pt);
  outcome.os_err = get_scsi_pt_os_err (pt);
  outcome.transport_err = get_scsi_pt_transport_err (pt);
  if (outcome.category == SCSI_PT_RESULT_TRANSPORT_ERR)
    outcome.detail = get_scsi_pt_transport_err_str (pt, sizeof detail, detail);

  answered = rf_sg_transport_check_outcome (&outcome, rf_command_opcode_name (command->cdb[0]),
                                            error);
  if (answered)
    {
      command->status = (guint8) MAX (0, get_scsi_pt_status_response (pt));
      sense_length = get_scsi_pt_sense_len (pt);
      command->sense_length = (gsize) CLAMP (sense_length, 0, (int) sizeof command->sense);
      residual = get_scsi_pt_resid (pt);
      command->residual = (gsize) CLAMP (residual, 0, (int) command->data_length);
    }
  command->duration_us = get_pt_duration_ns (pt) / 1000;
  if (command->duration_us == 0 && get_scsi_pt_duration_ms (pt) > 0)
    command->duration_us = (guint64) get_scsi_pt_duration_ms (pt) * 1000;
  /* sg_pt reports a duration only when the kernel timed the command; the wait as
   * seen from here is the next best figure (the transcript shows how long a drive
   * kept Reflash waiting). */
  if (command->duration_us == 0)
    command->duration_us = (guint64) MAX (0, g_get_monotonic_time () - started);
  destruct_scsi_pt_obj (pt);
  g_mutex_unlock (&self->lock);
  return answered;
}

static gsize
read_max_sectors (const char *queue_dir)
{
  g_autofree char *file = g_build_filename (queue_dir, "max_sectors_kb", NULL);
  g_autofree char *text = NULL;
  guint64 kib;

  if (!g_file_get_contents (file, &text, NULL, NULL))
    return 0;
  kib = g_ascii_strtoull (g_strstrip (text), NULL, 10);
  return kib > 0 && kib < G_MAXSIZE / 1024 ? (gsize) kib * 1024 : 0;
}

/* /sys/block/srM/queue of the block node paired with this sg or sr node. */
static gsize
sysfs_max_transfer (RfSgTransport *self)
{
  g_autofree char *base = g_path_get_basename (self->path);
  g_autofree char *block_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gsize limit = 0;

  if (self->is_block)
    {
      g_autofree char *queue = g_build_filename ("/sys/block", base, "queue", NULL);
      return read_max_sectors (queue);
    }
  block_dir = g_build_filename ("/sys/class/scsi_generic", base, "device", "block", NULL);
  dir = g_dir_open (block_dir, 0, NULL);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL && limit == 0)
    {
      g_autofree char *queue = g_build_filename (block_dir, name, "queue", NULL);
      limit = read_max_sectors (queue);
    }
  return limit;
}

/* spc-download.md "Chunks": ask the sg driver for a reserved buffer as large as
 * the largest transfer (it caps it at the queue's limit), read back what it
 * granted, and take the smaller of that and the block queue's max_sectors_kb. */
static gsize
measure_max_transfer (RfSgTransport *self)
{
  int wanted = RF_SG_WANTED_TRANSFER;
  int granted = 0;
  gsize limit = 0;
  gsize queue_limit;

  if (!self->is_block && ioctl (self->fd, SG_SET_RESERVED_SIZE, &wanted) == 0 &&
      ioctl (self->fd, SG_GET_RESERVED_SIZE, &granted) == 0 && granted > 0)
    limit = (gsize) granted;
  queue_limit = sysfs_max_transfer (self);
  if (queue_limit > 0)
    limit = limit > 0 ? MIN (limit, queue_limit) : queue_limit;
  return limit > 0 ? limit : RF_TRANSPORT_DEFAULT_MAX_TRANSFER;
}

static gsize
rf_sg_transport_get_max_transfer (RfTransport *transport)
{
  RfSgTransport *self = RF_SG_TRANSPORT (transport);
  gsize limit;

  g_mutex_lock (&self->lock);
  if (self->max_transfer == 0)
    self->max_transfer = measure_max_transfer (self);
  limit = self->max_transfer;
  g_mutex_unlock (&self->lock);
  return limit;
}

static void
rf_sg_transport_finalize (GObject *object)
{
  RfSgTransport *self = RF_SG_TRANSPORT (object);

  if (self->fd >= 0)
    close (self->fd);
  g_free (self->path);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_sg_transport_parent_class)->finalize (object);
}

static void
rf_sg_transport_class_init (RfSgTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfTransportClass *transport_class = RF_TRANSPORT_CLASS (klass);

  object_class->finalize = rf_sg_transport_finalize;
  transport_class->execute = rf_sg_transport_execute;
  transport_class->get_max_transfer = rf_sg_transport_get_max_transfer;
}

static void
rf_sg_transport_init (RfSgTransport *self)
{
  self->fd = -1;
  g_mutex_init (&self->lock);
}

/* Checks @path before it is opened (opening some nodes has effects), then
 * opens it. Symbolic links are refused here: the caller resolves them, so that
 * what is checked is what is opened. */
static RfTransport *
sg_transport_open (const char *path,
                   int         access_mode,
                   GError    **error)
{
  g_autoptr(RfSgTransport) self = NULL;
  struct stat info;
  int fd;

  if (lstat (path, &info) != 0)
    {
      rf_sg_transport_set_open_error (error, errno, path);
      return NULL;
    }
  if (S_ISLNK (info.st_mode))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED,
                   "%s is a symbolic link: give the device node it points to", path);
      return NULL;
    }
  if (!rf_sg_transport_check_node (path, info.st_mode, node_major (&info), error))
    return NULL;
  fd = rf_sg_transport_open_checked (path, access_mode, info.st_rdev, error);
  if (fd < 0)
    return NULL;
  self = g_object_new (RF_TYPE_SG_TRANSPORT, "name", path, NULL);
  self->fd = fd;
  self->path = g_strdup (path);
  self->is_block = S_ISBLK (info.st_mode);
  self->read_only = access_mode == O_RDONLY;
  g_debug ("Opened %s %s", path, self->read_only ? "read-only" : "read-write");
  return RF_TRANSPORT (g_steal_pointer (&self));
}

/**
 * rf_sg_transport_new:
 * @path: a /dev/sgN or /dev/srN node, not a symbolic link
 * @error: return location
 *
 * Opens @path read-write, as deep probing, backup and flash need: on an sg node
 * opened so, the kernel filters no command. Errors:
 * %RF_ERROR_PERMISSION_DENIED (the node's permissions), %RF_ERROR_NOT_FOUND,
 * %RF_ERROR_DEVICE_GONE (also: the node changed while it was opened),
 * %RF_ERROR_BUSY, %RF_ERROR_NOT_SUPPORTED (not an sg or sr node, or a symbolic
 * link).
 *
 * Returns: (transfer full): the transport, or %NULL
 */
RfTransport *
rf_sg_transport_new (const char *path,
                     GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return sg_transport_open (path, O_RDWR, error);
}

/**
 * rf_sg_transport_new_read_only:
 * @path: a /dev/sgN or /dev/srN node, not a symbolic link
 * @error: return location
 *
 * Opens @path read-only, for passive probing. The kernel then lets only its
 * list of safe commands (INQUIRY, TEST UNIT READY, GET CONFIGURATION, ...)
 * through unless the caller has CAP_SYS_RAWIO; the others fail with
 * %RF_ERROR_NEEDS_PRIVILEGES. Errors as rf_sg_transport_new().
 *
 * Returns: (transfer full): the transport, or %NULL
 */
RfTransport *
rf_sg_transport_new_read_only (const char *path,
                               GError    **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  return sg_transport_open (path, O_RDONLY, error);
}

const char *
rf_sg_transport_get_path (RfSgTransport *self)
{
  g_return_val_if_fail (RF_IS_SG_TRANSPORT (self), NULL);
  return self->path;
}

/**
 * rf_sg_transport_is_read_only:
 *
 * Returns: whether the node was opened read-only (passive probing)
 */
gboolean
rf_sg_transport_is_read_only (RfSgTransport *self)
{
  g_return_val_if_fail (RF_IS_SG_TRANSPORT (self), FALSE);
  return self->read_only;
}
