/* rf-sense.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <scsi/sg_lib.h>

#include "rf-sense.h"

/**
 * rf_sense_parse:
 * @buffer: sense bytes as the drive returned them
 * @length: how many of them are valid
 * @sense: (out): the decoded codes
 *
 * Returns: %TRUE if @buffer held fixed or descriptor sense data.
 */
gboolean
rf_sense_parse (const guint8 *buffer,
                gsize         length,
                RfSense      *sense)
{
  struct sg_scsi_sense_hdr hdr = { 0 };

  g_return_val_if_fail (sense != NULL, FALSE);

  *sense = (RfSense) { 0 };
  if (buffer == NULL || length == 0)
    return FALSE;
  if (!sg_scsi_normalize_sense (buffer, (int) MIN (length, (gsize) G_MAXINT), &hdr))
    return FALSE;
  sense->valid = TRUE;
  sense->key = hdr.sense_key & 0x0f;
  sense->asc = hdr.asc;
  sense->ascq = hdr.ascq;
  return TRUE;
}

/**
 * rf_sense_describe:
 * @sense: decoded sense
 *
 * Returns: (transfer full): sg_lib's words for the key and the ASC/ASCQ, e.g.
 *   "Illegal Request, Invalid field in cdb (05/24/00)". For logs and reports.
 */
char *
rf_sense_describe (const RfSense *sense)
{
  char key_text[64] = { 0 };
  char asc_text[160] = { 0 };
  const char *asc = asc_text;
  static const char prefix[] = "Additional sense: ";

  g_return_val_if_fail (sense != NULL, NULL);

  if (!sense->valid)
    return g_strdup ("no sense data");
  sg_get_sense_key_str (sense->key, sizeof key_text, key_text);
  sg_get_asc_ascq_str (sense->asc, sense->ascq, sizeof asc_text, asc_text);
  /* sg_lib puts its own label in front; the codes say enough. */
  if (g_str_has_prefix (asc, prefix))
    asc += strlen (prefix);
  return g_strdup_printf ("%s, %s (%02X/%02X/%02X)", key_text, asc,
                          sense->key, sense->asc, sense->ascq);
}

/**
 * rf_sense_build_fixed:
 * @buffer: where to write
 * @length: size of @buffer, at least 18
 * @key: sense key
 * @asc: additional sense code
 * @ascq: qualifier
 *
 * Writes fixed-format (0x70) current sense, as a drive would.
 *
 * Returns: the number of bytes written (18), or 0 if @buffer is too small.
 */
gsize
rf_sense_build_fixed (guint8 *buffer,
                      gsize   length,
                      guint8  key,
                      guint8  asc,
                      guint8  ascq)
{
  g_return_val_if_fail (buffer != NULL, 0);

  if (length < 18)
    return 0;
  memset (buffer, 0, 18);
  buffer[0] = 0x70;
  buffer[2] = key & 0x0f;
  buffer[7] = 10; /* additional sense length */
  buffer[12] = asc;
  buffer[13] = ascq;
  return 18;
}

gboolean
rf_sense_is (const RfSense *sense,
             guint8         key,
             guint8         asc,
             guint8         ascq)
{
  g_return_val_if_fail (sense != NULL, FALSE);
  return sense->valid && sense->key == key && sense->asc == asc && sense->ascq == ascq;
}
