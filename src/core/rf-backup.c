/* rf-backup.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-backup.h"

G_DEFINE_BOXED_TYPE (RfBackup, rf_backup, rf_backup_copy, rf_backup_free)

RfBackup *
rf_backup_copy (const RfBackup *self)
{
  RfBackup *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (RfBackup, 1);
  copy->image_path = g_strdup (self->image_path);
  copy->info_path = g_strdup (self->info_path);
  copy->family = g_strdup (self->family);
  copy->drive_id = g_strdup (self->drive_id);
  copy->stored_id = g_strdup (self->stored_id);
  copy->bootcode_key = g_strdup (self->bootcode_key);
  copy->bootcode_version = g_strdup (self->bootcode_version);
  copy->vendor = g_strdup (self->vendor);
  copy->product = g_strdup (self->product);
  copy->revision = g_strdup (self->revision);
  copy->date = g_strdup (self->date);
  copy->sha256 = g_strdup (self->sha256);
  copy->verified = g_strdup (self->verified);
  copy->size = self->size;
  copy->counting_id = g_strdup (self->counting_id);
  copy->protocol = g_strdup (self->protocol);
  return copy;
}

void
rf_backup_free (RfBackup *self)
{
  if (self == NULL)
    return;
  g_free (self->image_path);
  g_free (self->info_path);
  g_free (self->family);
  g_free (self->drive_id);
  g_free (self->stored_id);
  g_free (self->bootcode_key);
  g_free (self->bootcode_version);
  g_free (self->vendor);
  g_free (self->product);
  g_free (self->revision);
  g_free (self->date);
  g_free (self->sha256);
  g_free (self->verified);
  g_free (self->counting_id);
  g_free (self->protocol);
  g_free (self);
}
