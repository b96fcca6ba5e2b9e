/* hw-probe.c: RfDeviceMonitor and RfDevice probing, run inside the hardware suite's guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: reflash-hw-probe list        every drive the monitor finds, passive probe
 *        reflash-hw-probe info NODE   one drive, deep probe
 *
 * Prints one line per drive of KEY=VALUE words (values shell-quoted) for
 * test-hardware.py: where the drive is, what the probe concluded, and the
 * opcodes the recorder saw leave, which the suite compares with what QEMU's
 * drive says it received.
 *
 * Exit status: 0 when every probe ran, 1 when one failed, 2 on bad arguments.
 */

#include "config.h"

#include <stdio.h>

#include "rf-core.h"
#include "rf-device-monitor.h"

static void
print_quoted (const char *key,
              const char *value)
{
  g_autofree char *quoted = g_shell_quote (value != NULL ? value : "");

  printf (" %s=%s", key, quoted);
}

/* The opcodes in the transcript, in order, as two hex digits each. */
static char *
transcript_opcodes (RfRecorder *recorder)
{
  GString *out = g_string_new (NULL);
  guint n = recorder != NULL ? rf_recorder_get_n_entries (recorder) : 0;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%02x", i > 0 ? "," : "",
                            rf_recorder_get_entry (recorder, i)->cdb[0]);
  return g_string_free (out, FALSE);
}

static void
print_device (RfDevice     *device,
              const GError *error)
{
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autoptr(RfDriveFamily) family = rf_device_dup_family (device);
  g_autoptr(RfRecorder) transcript = rf_device_dup_transcript (device);
  g_autofree char *advice = rf_device_dup_advice (device);
  g_autofree char *explanation = rf_device_dup_explanation (device);
  g_autofree char *sent = transcript_opcodes (transcript);

  printf ("drive");
  print_quoted ("sg", rf_device_get_sg_path (device));
  print_quoted ("block", rf_device_get_block_path (device));
  printf (" probed=%d", error == NULL);
  if (error != NULL)
    print_quoted ("error", error->message);
  printf (" state=%s depth=%s", rf_drive_state_to_nick (rf_device_get_state (device)),
          rf_probe_depth_to_nick (rf_device_get_probe_depth (device)));
  print_quoted ("reason", rf_device_get_reason (device));
  if (identity != NULL)
    {
      print_quoted ("vendor", identity->vendor);
      print_quoted ("product", identity->product);
      print_quoted ("revision", identity->revision);
    }
  printf (" family=%d", family != NULL);
  print_quoted ("explanation", explanation);
  print_quoted ("advice", advice);
  print_quoted ("sent", sent);
  printf ("\n");
}

static gboolean
probe_and_print (RfDevice     *device,
                 RfDriveDb    *db,
                 RfProbeDepth  depth)
{
  g_autoptr(GError) error = NULL;
  gboolean probed = rf_device_probe (device, db, depth, NULL, &error);

  print_device (device, error);
  return probed;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(RfDeviceMonitor) monitor = NULL;
  gboolean all_probed = TRUE;

  if (!((argc == 2 && g_str_equal (argv[1], "list")) ||
        (argc == 3 && g_str_equal (argv[1], "info"))))
    {
      fprintf (stderr, "Usage: %s list | info NODE\n", argv[0]);
      return 2;
    }
  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    {
      fprintf (stderr, "%s: %s\n", argv[0], error->message);
      return 1;
    }
  monitor = rf_device_monitor_new (db);

  if (g_str_equal (argv[1], "list"))
    {
      g_autoptr(GPtrArray) devices = rf_device_monitor_list_devices (monitor, FALSE);

      for (guint i = 0; i < devices->len; i++)
        all_probed &= probe_and_print (g_ptr_array_index (devices, i), db,
                                       RF_PROBE_DEPTH_PASSIVE);
    }
  else
    {
      g_autoptr(RfDevice) device = rf_device_monitor_lookup (monitor, argv[2], &error);

      if (device == NULL)
        {
          fprintf (stderr, "%s: %s\n", argv[0], error->message);
          return 1;
        }
      all_probed = probe_and_print (device, db, RF_PROBE_DEPTH_DEEP);
    }
  return all_probed ? 0 : 1;
}
