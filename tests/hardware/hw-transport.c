/* hw-transport.c: a few commands through RfSgTransport, run inside the hardware suite's guest
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: reflash-hw-transport [--read-only] [--gate STAGE] NODE [COMMAND...]
 *
 * Opens NODE (/dev/sgN or /dev/srN) with RfSgTransport (read-write, or read-only
 * as passive probing does) and sends the COMMANDs, by default INQUIRY, TEST
 * UNIT READY, GET CONFIGURATION (feature 0x010C) and NEC READ MEM (0x20 bytes at
 * the drive ID, a read-only identification command), through the transport that
 * Reflash itself uses. COMMAND is one of inquiry, tur, getconfig, readmem,
 * readmem-boot (READ MEM of 0x20 bytes at 0, the bootcode, which no
 * identification reads) and erase (NEC ERASE BLOCK of the first main block).
 *
 * With --gate, the commands go through an RfCommandGate in front of the
 * transport, set to STAGE: "passive", or "identify:FAMILY" (a family id of the
 * drive database, "nec-2m"). A command the gate refuses never reaches the
 * transport; it prints executed=0 error=command-refused.
 *
 * For each command it prints one line of KEY=VALUE words (values shell-quoted)
 * that test-hardware.py compares with what the kernel and QEMU's drive really
 * did:
 *
 *   open ok=1 read_only=0
 *   gate stage=identify family=nec-2m
 *   inquiry executed=1 status=0x00 ok=1 vendor='QEMU' product='QEMU CD-ROM' ...
 *   tur executed=1 status=0x02 ok=0 response=0x70 sense=02/3a/00 error=no-medium
 *   readmem executed=0 error=needs-privileges
 *   erase executed=0 error=command-refused message='command gate (identify ...'
 *
 * Exit status: 0 when the node opened, 1 when it did not, 2 on bad arguments or
 * an unknown stage or family.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

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
send_read_mem_at (RfTransport *transport,
                  const char  *name,
                  guint32      address)
{
  guint8 data[HW_NEC_ID_LENGTH] = { 0 };
  RfCommand command;

  g_assert_true (rf_nec_build_read_mem (&command, address, data, sizeof data));
  send_and_print (transport, name, &command);
  printf ("\n");
}

static void
send_read_mem (RfTransport *transport)
{
  send_read_mem_at (transport, "readmem", HW_NEC_ID_ADDRESS);
}

/* The bootcode's first bytes: no stage before a backup reads them. */
static void
send_read_mem_boot (RfTransport *transport)
{
  send_read_mem_at (transport, "readmem-boot", 0);
}

/* A well-formed ERASE BLOCK (CB 04 + mask) of the first main block: only the
 * erase phase of a flash may send it. QEMU answers 05/20/00 if it ever gets it. */
static void
send_erase (RfTransport *transport)
{
  RfCommand command;

  g_assert_true (rf_nec_build_erase_block (&command, RF_NEC_FIRST_MAIN_BLOCK));
  send_and_print (transport, "erase", &command);
  printf ("\n");
}

typedef struct {
  const char *name;
  void (*send) (RfTransport *transport);
} HwCommand;

static const HwCommand commands[] = {
  { "inquiry", send_inquiry },
  { "tur", send_test_unit_ready },
  { "getconfig", send_get_configuration },
  { "readmem", send_read_mem },
  { "readmem-boot", send_read_mem_boot },
  { "erase", send_erase },
};

static const char *const default_commands[] = { "inquiry", "tur", "getconfig", "readmem", NULL };

static const HwCommand *
find_command (const char *name)
{
  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* @transport behind a gate set to @stage ("passive" or "identify:FAMILY"). */
static RfTransport *
gate_new (RfTransport *transport,
          const char  *stage)
{
  g_autoptr(RfCommandGate) gate = rf_command_gate_new (transport);
  g_autoptr(RfDriveDb) db = NULL;
  g_autoptr(GError) error = NULL;
  RfDriveFamily *family;

  if (g_str_equal (stage, "passive"))
    {
      g_assert_true (rf_command_gate_set_stage (gate, RF_GATE_STAGE_PASSIVE, NULL,
                                                RF_PHASE_PREFLIGHT, NULL));
      printf ("gate stage=passive\n");
      return RF_TRANSPORT (g_steal_pointer (&gate));
    }
  if (!g_str_has_prefix (stage, "identify:"))
    return NULL;
  db = rf_drive_db_new_default (&error);
  if (db == NULL)
    {
      fprintf (stderr, "reflash-hw-transport: %s\n", error->message);
      return NULL;
    }
  family = rf_drive_db_lookup (db, stage + strlen ("identify:"));
  if (family == NULL)
    return NULL;
  g_assert_true (rf_command_gate_set_stage (gate, RF_GATE_STAGE_IDENTIFY, family,
                                            RF_PHASE_PREFLIGHT, NULL));
  printf ("gate stage=identify family=%s\n", family->id);
  return RF_TRANSPORT (g_steal_pointer (&gate));
}

static RfTransport *
open_node (const char *node,
           gboolean    read_only)
{
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(GError) error = NULL;

  if (read_only)
    transport = rf_sg_transport_new_read_only (node, &error);
  else
    transport = rf_sg_transport_new (node, &error);
  if (transport == NULL)
    {
      printf ("open ok=0");
      print_error (error);
      printf ("\n");
      return NULL;
    }
  printf ("open ok=1 read_only=%d\n",
          rf_sg_transport_is_read_only (RF_SG_TRANSPORT (transport)));
  return g_steal_pointer (&transport);
}

int
main (int    argc,
      char **argv)
{
  gboolean read_only = FALSE;
  g_autofree char *stage = NULL;
  const GOptionEntry entries[] = {
    { "read-only", 0, 0, G_OPTION_ARG_NONE, &read_only, "Open the node read-only", NULL },
    { "gate", 0, 0, G_OPTION_ARG_STRING, &stage, "Send through a command gate at STAGE",
      "STAGE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("NODE [COMMAND...]");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = NULL;
  const char *const *names;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || argc < 2)
    {
      fprintf (stderr, "Usage: %s [--read-only] [--gate STAGE] NODE [COMMAND...]\n", argv[0]);
      return 2;
    }
  names = argc > 2 ? (const char *const *) argv + 2 : default_commands;
  for (const char *const *n = names; *n != NULL; n++)
    if (find_command (*n) == NULL)
      {
        fprintf (stderr, "%s: unknown command %s\n", argv[0], *n);
        return 2;
      }
  transport = open_node (argv[1], read_only);
  if (transport == NULL)
    return 1;
  if (stage != NULL)
    {
      RfTransport *gate = gate_new (transport, stage);

      if (gate == NULL)
        {
          fprintf (stderr, "%s: unknown stage or family %s\n", argv[0], stage);
          return 2;
        }
      g_object_unref (transport);
      transport = gate;
    }
  for (const char *const *n = names; *n != NULL; n++)
    find_command (*n)->send (transport);
  return 0;
}
