/* rf-backup-job.c: a drive's running firmware, read twice, compared and kept
 *
 * The backup that must come before every flash (nec-2m.md §4 "Reflash's
 * backup"; spc-download.md "Phases", backup): identify the drive under the
 * job's lock, read the whole firmware twice, compare the passes byte for byte,
 * and keep the first through #RfBackupStore. A checksum of one read proves
 * nothing about that read; only a second read does. Any failed read, any
 * difference, an erased drive or a drive in safe mode stores nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-backup-job.h"
#include "rf-backup-job-private.h"
#include "rf-device-private.h"
#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-scsi.h"
#include "rf-sense.h"

/* How the dump was verified, as the store records it. */
#define VERIFIED_TWO_READS "two-reads-compared"

struct _RfBackupJob
{
  RfJob parent_instance;

  RfBackupStore *store;
  RfBackup *backup;
  gboolean reused;
};

G_DEFINE_FINAL_TYPE (RfBackupJob, rf_backup_job, RF_TYPE_JOB)

static const RfPhase backup_phases[] = { RF_PHASE_PREFLIGHT, RF_PHASE_BACKUP };

/* Backups verified by this process, by the drive's lock name: a flash right
 * after a backup reuses it rather than reading the drive a third and fourth
 * time (issue 15 "Backups"). */
static GMutex taken_lock;
static GHashTable *taken;

/* One read of the firmware, wherever the family keeps it. */
typedef struct {
  RfJob *job;
  const RfDriveFamily *family;
  GCancellable *cancellable;
  gsize size;         /* bytes of one pass */
  gsize chunk;        /* bytes of one read */
  guint64 done;       /* bytes of both passes read so far */
} Reader;

static void
rf_backup_job_finalize (GObject *object)
{
  RfBackupJob *self = RF_BACKUP_JOB (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->backup, rf_backup_free);

  G_OBJECT_CLASS (rf_backup_job_parent_class)->finalize (object);
}

/* spc-download.md: "others cannot be backed up at all". Said before anything
 * is sent when the family is already known from the listing. */
static gboolean
family_has_dump (const RfDriveFamily  *family,
                 GError              **error)
{
  if (family == NULL || g_str_equal (family->protocol, "nec-2m") || family->download.has_dump)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_CANNOT_BACK_UP,
               "family %s names no dump buffer", family->id);
  return FALSE;
}

static gsize
dump_size (const RfDriveFamily *family)
{
  if (g_str_equal (family->protocol, "nec-2m"))
    return RF_NEC_MAIN_SIZE;
  return family->download.dump_length;
}

static gsize
read_chunk (RfJob               *job,
            const RfDriveFamily *family)
{
  gsize limit;

  if (g_str_equal (family->protocol, "nec-2m"))
    return RF_NEC_DUMP_CHUNK;
  limit = rf_transport_get_max_transfer (RF_TRANSPORT (rf_job_get_gate (job)));
  return MIN (limit, (gsize) RF_BACKUP_SPC_CHUNK);
}

static gboolean
build_read (Reader    *reader,
            RfCommand *command,
            gsize      offset,
            guint8    *data,
            gsize      length)
{
  const RfDriveFamily *family = reader->family;

  if (g_str_equal (family->protocol, "nec-2m"))
    return rf_nec_build_read_mem (command, RF_NEC_MAIN_START + (guint32) offset, data, length);
  return rf_scsi_build_read_buffer_data (command, family->download.dump_buffer_id,
                                         (guint32) offset, data, length);
}

/* The drive answered, but not with the whole piece asked for. */
static gboolean
check_answer (const RfCommand  *command,
              gsize             offset,
              GError          **error)
{
  g_autofree char *cdb = NULL;
  RfSense sense;
  g_autofree char *what = NULL;

  if (rf_command_is_good (command) && command->residual == 0)
    return TRUE;
  cdb = rf_command_describe_cdb (command);
  if (rf_command_is_good (command))
    what = g_strdup_printf ("%" G_GSIZE_FORMAT " bytes short", command->residual);
  else if (rf_command_get_sense (command, &sense))
    what = rf_sense_describe (&sense);
  else
    what = g_strdup_printf ("status 0x%02X", command->status);
  g_set_error (error, RF_ERROR, RF_ERROR_READ, "read at offset 0x%06" G_GSIZE_MODIFIER "X [%s]: %s",
               offset, cdb, what);
  return FALSE;
}

static gboolean
read_piece (Reader  *reader,
            gsize    offset,
            guint8  *data,
            gsize    length,
            GError **error)
{
  RfJob *job = reader->job;
  RfProgress *progress = rf_job_get_progress (job);
  RfCommand command;
  gboolean sent;

  if (!build_read (reader, &command, offset, data, length))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INTERNAL,
                   "a read of %" G_GSIZE_FORMAT " bytes at 0x%" G_GSIZE_MODIFIER
                   "X could not be built",
                   length, offset);
      return FALSE;
    }
  rf_progress_command_started (progress, RF_BACKUP_READ_EXPECTED_US);
  sent = rf_transport_execute (RF_TRANSPORT (rf_job_get_gate (job)), &command,
                               reader->cancellable, error);
  rf_progress_command_finished (progress);
  if (!sent)
    {
      g_prefix_error (error, "read at offset 0x%06" G_GSIZE_MODIFIER "X: ", offset);
      return FALSE;
    }
  return check_answer (&command, offset, error);
}

/* One full pass; a cancel is honoured between reads (the drive stays in the
 * normal mode it was found in). */
static GBytes *
read_pass (Reader  *reader,
           GError **error)
{
  g_autofree guint8 *data = g_malloc (reader->size);
  RfProgress *progress = rf_job_get_progress (reader->job);

  for (gsize offset = 0; offset < reader->size; offset += reader->chunk)
    {
      gsize length = MIN (reader->chunk, reader->size - offset);

      /* A cancel is answered before the next read goes out
       * (rf_transport_execute() checks it first). */
      if (!read_piece (reader, offset, data + offset, length, error))
        return NULL;
      reader->done += length;
      rf_progress_set_done (progress, reader->done);
    }
  return g_bytes_new_take (g_steal_pointer (&data), reader->size);
}

static gboolean
compare_passes (GBytes  *first,
                GBytes  *second,
                GError **error)
{
  gsize size;
  const guint8 *a = g_bytes_get_data (first, &size);
  const guint8 *b = g_bytes_get_data (second, NULL);
  gsize differ = 0;
  gsize first_at = 0;

  /* The common case, equal passes, at memcmp speed; the counting loop below
   * runs only to describe a difference. */
  if (memcmp (a, b, size) == 0)
    return TRUE;
  for (gsize i = 0; i < size; i++)
    if (a[i] != b[i] && differ++ == 0)
      first_at = i;
  if (differ == 0)
    return TRUE;
  g_set_error (error, RF_ERROR, RF_ERROR_READS_DIFFER,
               "the two passes differ in %" G_GSIZE_FORMAT " bytes, first at offset 0x%06"
               G_GSIZE_MODIFIER "X", differ, first_at);
  return FALSE;
}

/* The bytes the store keeps: NEC dumps as a §5 image, SPC dumps as read. */
static GBytes *
make_image (const RfDriveFamily   *family,
            const RfDriveIdentity *identity,
            GBytes                *dump)
{
  if (!g_str_equal (family->protocol, "nec-2m"))
    return g_bytes_ref (dump);
  /* A ready drive's bootcode key is its canonical ID (D355 on a D355). */
  return rf_nec_image_from_main (g_bytes_get_data (dump, NULL), identity->bootcode_key,
                                 identity->bootcode_version);
}

/* A backup of this same drive, verified earlier in this run and unchanged on
 * disk, of the firmware that runs now. */
static RfBackup *
find_taken (RfJob                 *job,
            RfBackupStore         *store,
            const RfDriveIdentity *identity)
{
  const char *lock_name = rf_device_get_lock_name (rf_job_get_device (job));
  g_autoptr(RfBackup) backup = NULL;
  g_autoptr(GBytes) image = NULL;

  g_mutex_lock (&taken_lock);
  if (taken != NULL && g_hash_table_contains (taken, lock_name))
    backup = rf_backup_copy (g_hash_table_lookup (taken, lock_name));
  g_mutex_unlock (&taken_lock);
  if (backup == NULL || g_strcmp0 (backup->revision, identity->revision) != 0 ||
      g_strcmp0 (backup->product, identity->product) != 0 ||
      (identity->bootcode_key != NULL &&
       g_strcmp0 (backup->counting_id, identity->bootcode_key) != 0))
    return NULL;
  /* Loading checks the SHA-256: a file changed since is not reused. */
  image = rf_backup_store_load (store, backup, NULL);
  return image != NULL ? g_steal_pointer (&backup) : NULL;
}

static void
remember_taken (RfJob          *job,
                const RfBackup *backup)
{
  const char *lock_name = rf_device_get_lock_name (rf_job_get_device (job));

  g_mutex_lock (&taken_lock);
  if (taken == NULL)
    taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                   (GDestroyNotify) rf_backup_free);
  g_hash_table_replace (taken, g_strdup (lock_name), rf_backup_copy (backup));
  g_mutex_unlock (&taken_lock);
}

/**
 * rf_backup_job_forget_all:
 *
 * Forgets which backups this process took, so the next backup job reads its
 * drive again. For tests.
 */
void
rf_backup_job_forget_all (void)
{
  g_mutex_lock (&taken_lock);
  g_clear_pointer (&taken, g_hash_table_unref);
  g_mutex_unlock (&taken_lock);
}

/* Preflight: the job's own identification, under its lock: a passive look
 * first, so a drive in safe mode is sent nothing of its family's. */
static gboolean
identify (RfBackupJob   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  RfJob *job = RF_JOB (self);
  g_autoptr(RfDriveFamily) known = rf_device_dup_family (rf_job_get_device (job));

  rf_progress_begin_phase (rf_job_get_progress (job), RF_PHASE_PREFLIGHT, 0);
  /* A drive in safe mode has nothing to back up (DOMAIN.md): the passive
   * look already says so, from INQUIRY alone, before any command of its
   * family is sent. */
  return family_has_dump (known, error) &&
         rf_job_look (job, RF_PROBE_DEPTH_PASSIVE, RF_JOB_STATE_BIT (RF_DRIVE_STATE_READY),
                      cancellable, error) &&
         rf_job_look (job, RF_PROBE_DEPTH_DEEP, RF_JOB_STATE_BIT (RF_DRIVE_STATE_READY),
                      cancellable, error);
}

static gboolean
open_backup_stage (RfJob               *job,
                   const RfDriveFamily *family,
                   GError             **error)
{
  if (rf_command_gate_set_stage (rf_job_get_gate (job), RF_GATE_STAGE_BACKUP,
                                 (RfDriveFamily *) family,
                                 RF_PHASE_BACKUP, NULL))
    return TRUE;
  g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL,
                       "the command gate refused the backup stage");
  return FALSE;
}

/* Reads both passes and turns them into the image to keep. */
static GBytes *
read_verified (RfJob                 *job,
               const RfDriveFamily   *family,
               const RfDriveIdentity *identity,
               GCancellable          *cancellable,
               GError               **error)
{
  Reader reader = { job, family, cancellable, dump_size (family), read_chunk (job, family), 0 };
  g_autoptr(GBytes) first = NULL;
  g_autoptr(GBytes) second = NULL;

  rf_progress_begin_phase (rf_job_get_progress (job), RF_PHASE_BACKUP, 2 * (guint64) reader.size);
  if ((first = read_pass (&reader, error)) == NULL ||
      (second = read_pass (&reader, error)) == NULL ||
      !compare_passes (first, second, error))
    return NULL;
  /* An erased drive's all-0xFF dump is refused by the store. */
  return make_image (family, identity, first);
}

/**
 * rf_backup_take_held:
 * @job: a running job: the drive's lock held, its gate set to a stage that
 *   allows the family's dump reads (a backup, or a flash's backup phase)
 * @family: the drive's family, from the job's own identification
 * @identity: the drive's identity, from the same identification
 * @reused: (out): set when a backup verified earlier in this run was reused
 *
 * The backup step of nec-2m.md §4 and spc-download.md, shared by the backup
 * and the flash job: a backup of this drive verified earlier in this process
 * and unchanged on disk is reused; otherwise both passes are read, compared
 * and stored.
 *
 * Returns: (transfer full) (nullable): the backup kept
 */
RfBackup *
rf_backup_take_held (RfJob                 *job,
                     RfBackupStore         *store,
                     const RfDriveFamily   *family,
                     const RfDriveIdentity *identity,
                     GCancellable          *cancellable,
                     gboolean              *reused,
                     GError               **error)
{
  g_autoptr(GBytes) image = NULL;
  RfBackup *backup = find_taken (job, store, identity);

  *reused = backup != NULL;
  if (backup != NULL)
    {
      rf_progress_begin_phase (rf_job_get_progress (job), RF_PHASE_BACKUP, 0);
      return backup;
    }
  image = read_verified (job, family, identity, cancellable, error);
  if (image == NULL)
    return NULL;
  backup = rf_backup_store_add_for_family (store, family, identity, image, VERIFIED_TWO_READS,
                                           error);
  if (backup != NULL)
    remember_taken (job, backup);
  return backup;
}

static gboolean
rf_backup_job_run (RfJob         *job,
                   GCancellable  *cancellable,
                   GError       **error)
{
  RfBackupJob *self = RF_BACKUP_JOB (job);
  RfDevice *device = rf_job_get_device (job);
  g_autoptr(RfDriveFamily) family = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;

  if (!identify (self, cancellable, error))
    return FALSE;
  family = rf_device_dup_family (device);
  identity = rf_device_dup_identity (device);
  if (family == NULL || !family_has_dump (family, error))
    {
      if (family == NULL)
        g_set_error_literal (error, RF_ERROR, RF_ERROR_INTERNAL, "a ready drive has no family");
      return FALSE;
    }
  if (!open_backup_stage (job, family, error))
    return FALSE;
  self->backup = rf_backup_take_held (job, self->store, family, identity, cancellable,
                                      &self->reused, error);
  return self->backup != NULL;
}

static void
rf_backup_job_class_init (RfBackupJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfJobClass *job_class = RF_JOB_CLASS (klass);

  object_class->finalize = rf_backup_job_finalize;
  job_class->run = rf_backup_job_run;
}

static void
rf_backup_job_init (RfBackupJob *self)
{
}

/**
 * rf_backup_job_new:
 * @device: the drive, listed (passively probed) or not
 * @store: where the backup is kept
 *
 * Returns: (transfer full): a job that backs up @device's running firmware
 */
RfBackupJob *
rf_backup_job_new (RfDevice      *device,
                   RfDriveDb     *db,
                   RfBackupStore *store)
{
  RfBackupJob *self;

  g_return_val_if_fail (RF_IS_DEVICE (device), NULL);
  g_return_val_if_fail (RF_IS_DRIVE_DB (db), NULL);
  g_return_val_if_fail (RF_IS_BACKUP_STORE (store), NULL);

  self = g_object_new (RF_TYPE_BACKUP_JOB, "device", device, "db", db, NULL);
  self->store = g_object_ref (store);
  rf_job_set_phases (RF_JOB (self), backup_phases, G_N_ELEMENTS (backup_phases));
  return self;
}

/**
 * rf_backup_job_get_backup:
 *
 * Returns: (nullable): the backup kept (or reused) once the job succeeded
 */
const RfBackup *
rf_backup_job_get_backup (RfBackupJob *self)
{
  g_return_val_if_fail (RF_IS_BACKUP_JOB (self), NULL);
  return self->backup;
}

/**
 * rf_backup_job_get_reused:
 *
 * Returns: whether the job found a backup of this drive verified earlier in
 *   this run and read nothing
 */
gboolean
rf_backup_job_get_reused (RfBackupJob *self)
{
  g_return_val_if_fail (RF_IS_BACKUP_JOB (self), FALSE);
  return self->reused;
}
