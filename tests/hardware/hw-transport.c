/* hw-transport.c: a few commands through RfSgTransport, run inside the hardware suite's guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: reflash-hw-transport [--read-only] NODE
 *
 * Opens NODE (/dev/sgN or /dev/srN) with RfSgTransport (read-write, or read-only
 * as passive probing does) and sends INQUIRY, TEST
 * UNIT READY, GET CONFIGURATION (feature 0x010C) and NEC READ MEM (0x20 bytes at
 * the drive ID, a read-only identification command) through the transport that
 * Reflash itself uses. For each command it prints one line of KEY=VALUE words
 * (values shell-quoted) that test-hardware.py compares with what the kernel and
 * QEMU's drive really did:
 *
 *   open ok=1 read_only=0
 *   inquiry executed=1 status=0x00 ok=1 vendor='QEMU' product='QEMU CD-ROM' ...
 *   tur executed=1 status=0x02 ok=0 response=0x70 sense=02/3a/00 error=no-medium
 *   readmem executed=0 error=needs-privileges
 *
 * Exit status: 0 when the node opened, 1 when it did not, 2 on bad arguments.
 */

#include "config.h"

#include <stdio.h>

#include "rf-core.h"
#include "rf-scsi.h"
#include "rf-sg-transport.h"

/* nec-2m.md §0: the drive ID lives at 0x4800. */
#define HW_NEC_ID_ADDRESS 0x4800
#define HW_NEC_ID_LENGTH  0x20

static void
print_error (const GError *error)
{
  g_autofree char *message = g_shell_quote (error->message);

  if (error->domain == RF_ERROR)
    printf (" error=%s", rf_error_code_to_nick ((RfError) error->code));
  else
    printf (" error=%s:%d", g_quark_to_string (error->domain), error->code);
  printf (" message=%s", message);
}

static void
print_quoted (const char *key,
              const char *value)
{
  g_autofree char *quoted = g_shell_quote (value != NULL ? value : "");

  printf (" %s=%s", key, quoted);
}

/* Sends @command and prints what came back. Returns TRUE when the drive answered
 * GOOD. */
static gboolean
send_and_print (RfTransport *transport,
                const char  *name,
                RfCommand   *command)
{
  g_autoptr(GError) error = NULL;
  gboolean good;

  printf ("%s", name);
  if (!rf_transport_execute (transport, command, NULL, &error))
    {
      printf (" executed=0");
      print_error (error);
      printf ("\n");
      return FALSE;
    }
  printf (" executed=1 status=0x%02x residual=%" G_GSIZE_FORMAT, command->status,
          command->residual);
  good = rf_command_check (command, &error);
  printf (" ok=%d", good);
  if (!good)
    {
      RfSense sense;

      /* 0x70 fixed, 0x72 descriptor; ATAPI drives say 0xF0 (fixed, VALID bit). */
      if (command->sense_length > 0)
        printf (" response=0x%02x", command->sense[0]);
      if (rf_command_get_sense (command, &sense) && sense.valid)
        printf (" sense=%02x/%02x/%02x", sense.key, sense.asc, sense.ascq);
      print_error (error);
    }
  return good;
}

static void
send_inquiry (RfTransport *transport)
{
  guint8 data[RF_SCSI_INQUIRY_LENGTH] = { 0 };
  RfCommand command;
  g_autoptr(RfDriveIdentity) identity = NULL;

  g_assert_true (rf_scsi_build_inquiry (&command, data));
  if (send_and_print (transport, "inquiry", &command))
    {
      gsize received = command.data_length - command.residual;

      printf (" length=%" G_GSIZE_FORMAT, received);
      if (received < RF_SCSI_INQUIRY_SPECIFIC)
        {
          printf ("\n");
          return;
        }
      identity = rf_drive_identity_new ();
      rf_scsi_inquiry_to_identity (data, received, identity);
      printf (" type=%u", rf_scsi_inquiry_device_type (data));
      print_quoted ("vendor", identity->vendor);
      print_quoted ("product", identity->product);
      print_quoted ("revision", identity->revision);
    }
  printf ("\n");
}

static void
send_test_unit_ready (RfTransport *transport)
{
  RfCommand command;

  g_assert_true (rf_scsi_build_test_unit_ready (&command));
  send_and_print (transport, "tur", &command);
  printf ("\n");
}

static void
send_get_configuration (RfTransport *transport)
{
  guint8 data[RF_SCSI_CONFIGURATION_LENGTH] = { 0 };
  RfCommand command;

  g_assert_true (rf_scsi_build_get_configuration (&command, RF_SCSI_FEATURE_FIRMWARE_INFO, data, sizeof data));
  if (send_and_print (transport, "getconfig", &command))
    {
      gsize received = command.data_length - command.residual;
      gsize length = 0;

      /* QEMU ignores the starting feature: only a descriptor that really is
       * 0x010C counts. */
      printf (" firmware_info=%d",
              rf_scsi_find_feature (data, received, RF_SCSI_FEATURE_FIRMWARE_INFO,
                                    &length) != NULL);
    }
  printf ("\n");
}

static void
send_read_mem (RfTransport *transport)
{
  guint8 data[HW_NEC_ID_LENGTH] = { 0 };
  RfCommand command;

  g_assert_true (rf_nec_build_read_mem (&command, HW_NEC_ID_ADDRESS, data, sizeof data));
  send_and_print (transport, "readmem", &command);
  printf ("\n");
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(GError) error = NULL;
  gboolean read_only = argc == 3 && g_str_equal (argv[1], "--read-only");
  const char *node = argv[argc - 1];

  if (argc != 2 && !read_only)
    {
      fprintf (stderr, "Usage: %s [--read-only] NODE\n", argv[0]);
      return 2;
    }
  if (read_only)
    transport = rf_sg_transport_new_read_only (node, &error);
  else
    transport = rf_sg_transport_new (node, &error);
  if (transport == NULL)
    {
      printf ("open ok=0");
      print_error (error);
      printf ("\n");
      return 1;
    }
  printf ("open ok=1 read_only=%d\n",
          rf_sg_transport_is_read_only (RF_SG_TRANSPORT (transport)));
  send_inquiry (transport);
  send_test_unit_ready (transport);
  send_get_configuration (transport);
  send_read_mem (transport);
  return 0;
}
