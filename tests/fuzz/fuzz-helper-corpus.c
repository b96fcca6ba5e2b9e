/* fuzz-helper-corpus.c: writes the seed corpus of fuzz-helper-frame, one
 * payload of each frame type as Reflash and the helper send them, so the
 * fuzzer starts from frames that decode instead of from nothing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "rf-error.h"
#include "rf-helper-frame.h"
#include "rf-scsi.h"

static void
save (const char *dir,
      const char *name,
      GByteArray *payload)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, (const char *) payload->data, payload->len, &error))
    g_error ("%s", error->message);
  g_byte_array_unref (payload);
}

/* A STAGE spelled out: the encoder needs a loaded family. */
static GByteArray *
stage (RfGateStage  gate_stage,
       RfPhase      phase,
       const char  *family,
       const char  *key)
{
  GByteArray *payload = g_byte_array_new ();
  guint8 head[] = { RF_HELPER_FRAME_STAGE, gate_stage, phase, (guint8) strlen (family) };
  guint8 key_length = key != NULL ? 4 : 0;

  g_byte_array_append (payload, head, sizeof head);
  g_byte_array_append (payload, (const guint8 *) family, strlen (family));
  g_byte_array_append (payload, &key_length, 1);
  if (key != NULL)
    g_byte_array_append (payload, (const guint8 *) key, 4);
  return payload;
}

static void
save_commands (const char *dir)
{
  static guint8 inquiry[RF_SCSI_INQUIRY_LENGTH];
  static guint8 chunk[64] = { 0x5A };
  RfCommand command;
  g_autoptr(GError) failure = g_error_new_literal (RF_ERROR, RF_ERROR_TIMED_OUT, "no answer");

  if (!rf_scsi_build_inquiry (&command, inquiry))
    g_error ("INQUIRY could not be built");
  save (dir, "command-inquiry", rf_helper_frame_encode_command (&command));
  command.status = RF_STATUS_GOOD;
  command.residual = 4;
  save (dir, "reply-inquiry", rf_helper_frame_encode_reply (&command, TRUE, NULL));
  save (dir, "reply-not-answered", rf_helper_frame_encode_reply (&command, FALSE, failure));
  if (!rf_scsi_build_test_unit_ready (&command))
    g_error ("TEST UNIT READY could not be built");
  command.status = RF_STATUS_CHECK_CONDITION;
  command.sense_length = 18;
  command.sense[0] = 0x70;
  command.sense[2] = 0x02;
  command.sense[12] = 0x3A;
  save (dir, "reply-sense", rf_helper_frame_encode_reply (&command, TRUE, NULL));
  if (!rf_scsi_build_write_buffer (&command, 0x07, 0, 0, chunk, sizeof chunk))
    g_error ("WRITE BUFFER could not be built");
  save (dir, "command-write-buffer", rf_helper_frame_encode_command (&command));
}

int
main (int    argc,
      char **argv)
{
  const char *dir;

  if (argc != 2)
    {
      fprintf (stderr, "usage: %s DIRECTORY\n", argv[0]);
      return 2;
    }
  dir = argv[1];
  g_mkdir_with_parents (dir, 0755);
  save (dir, "stage-identify", stage (RF_GATE_STAGE_IDENTIFY, RF_PHASE_PREFLIGHT, "nec-2m", NULL));
  save (dir, "stage-erase", stage (RF_GATE_STAGE_FLASH, RF_PHASE_ERASE, "nec-2m", "K355"));
  save_commands (dir);
  save (dir, "hello-ready", rf_helper_frame_encode_hello (RF_HELPER_HELLO_READY, 65536, NULL));
  save (dir, "hello-refused", rf_helper_frame_encode_hello (RF_HELPER_HELLO_REFUSED, 0,
                                                           "not-optical"));
  save (dir, "bye", rf_helper_frame_encode_bye ("stage-out-of-order"));
  return 0;
}
