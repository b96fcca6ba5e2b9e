/* rf-drive-identity.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-drive-identity.h"

G_DEFINE_BOXED_TYPE (RfDriveIdentity, rf_drive_identity, rf_drive_identity_copy,
                     rf_drive_identity_free)

RfDriveIdentity *
rf_drive_identity_new (void)
{
  return g_new0 (RfDriveIdentity, 1);
}

RfDriveIdentity *
rf_drive_identity_copy (const RfDriveIdentity *self)
{
  RfDriveIdentity *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = rf_drive_identity_new ();
  copy->vendor = g_strdup (self->vendor);
  copy->product = g_strdup (self->product);
  copy->revision = g_strdup (self->revision);
  copy->vendor_specific = g_strdup (self->vendor_specific);
  copy->firmware_date = g_strdup (self->firmware_date);
  copy->serial = g_strdup (self->serial);
  copy->family = g_strdup (self->family);
  copy->safe_mode = self->safe_mode;
  copy->stored_id = g_strdup (self->stored_id);
  copy->rid_code = g_strdup (self->rid_code);
  copy->bootcode_key = g_strdup (self->bootcode_key);
  copy->bootcode_version = g_strdup (self->bootcode_version);
  copy->spc_offset_boundary = self->spc_offset_boundary;
  copy->spc_buffer_capacity = self->spc_buffer_capacity;
  copy->firmware_timestamp = g_strdup (self->firmware_timestamp);
  return copy;
}

void
rf_drive_identity_free (RfDriveIdentity *self)
{
  if (self == NULL)
    return;
  g_free (self->vendor);
  g_free (self->product);
  g_free (self->revision);
  g_free (self->vendor_specific);
  g_free (self->firmware_date);
  g_free (self->firmware_timestamp);
  g_free (self->serial);
  g_free (self->family);
  g_free (self->stored_id);
  g_free (self->rid_code);
  g_free (self->bootcode_key);
  g_free (self->bootcode_version);
  g_free (self);
}

/**
 * rf_drive_identity_counting_id:
 *
 * The identity that counts (DOMAIN.md "Recovery"): the bootcode's key, which a
 * deep check proved by a SAFE MODE enter the bootcode accepted. The stored ID
 * alone never counts: it is what a crossflash changed, so without a proven key
 * the identity is unknown and verdicts refuse.
 *
 * Returns: (nullable): a canonical ID, %NULL while the bootcode is unproven
 */
const char *
rf_drive_identity_counting_id (const RfDriveIdentity *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->bootcode_key;
}
