/* test-sense.c: sense decoding through sg_lib, and RfCommand's reading of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-command.h"
#include "rf-error.h"
#include "rf-sense.h"

static void
test_fixed (void)
{
  guint8 buffer[RF_SENSE_MAX];
  gsize n = rf_sense_build_fixed (buffer, sizeof buffer, 0x2, 0x3a, 0x00);
  RfSense sense;
  g_autofree char *text = NULL;

  g_assert_cmpuint (n, ==, 18);
  g_assert_true (rf_sense_parse (buffer, n, &sense));
  g_assert_true (rf_sense_is (&sense, 0x2, 0x3a, 0x00));
  text = rf_sense_describe (&sense);
  g_assert_cmpstr (text, ==, "Not Ready, Medium not present (02/3A/00)");
}

static void
test_descriptor (void)
{
  /* Descriptor format 0x72: key, ASC, ASCQ in bytes 1-3. */
  const guint8 buffer[8] = { 0x72, 0x05, 0x24, 0x00, 0, 0, 0, 0 };
  RfSense sense;

  g_assert_true (rf_sense_parse (buffer, sizeof buffer, &sense));
  g_assert_true (rf_sense_is (&sense, 0x5, 0x24, 0x00));
}

static void
test_atapi_f0 (void)
{
  /* ATAPI drives answer 0xF0: fixed format with the VALID bit. */
  guint8 buffer[18] = { 0xf0, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x20, 0x00 };
  RfSense sense;

  g_assert_true (rf_sense_parse (buffer, sizeof buffer, &sense));
  g_assert_true (rf_sense_is (&sense, 0x5, 0x20, 0x00));
}

static void
test_garbage (void)
{
  const guint8 buffer[4] = { 0x12, 0x34, 0x56, 0x78 };
  RfSense sense;
  g_autofree char *text = NULL;

  g_assert_false (rf_sense_parse (buffer, sizeof buffer, &sense));
  g_assert_false (sense.valid);
  g_assert_false (rf_sense_parse (NULL, 0, &sense));
  text = rf_sense_describe (&sense);
  g_assert_cmpstr (text, ==, "no sense data");
}

typedef struct {
  guint8 key, asc, ascq;
  int code; /* RfError; int for g_assert_error */
} CheckCase;

static const CheckCase check_cases[] = {
  { 0x2, 0x3a, 0x00, RF_ERROR_NO_MEDIUM },
  { 0x2, 0x04, 0x01, RF_ERROR_BUSY },
  { 0x5, 0x20, 0x00, RF_ERROR_VENDOR_REFUSED },
  { 0x5, 0x24, 0x00, RF_ERROR_NOT_SUPPORTED },
  { 0x3, 0x73, 0x04, RF_ERROR_WRITE },
  { 0x6, 0x29, 0x00, RF_ERROR_BUSY },
};

static void
test_command_check (gconstpointer data)
{
  const CheckCase *c = data;
  const guint8 cdb[12] = { 0xcc, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x20 };
  guint8 buffer[0x20];
  RfCommand command;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_command_init (&command, cdb, sizeof cdb, RF_DIRECTION_IN, buffer, sizeof buffer, 20000));
  g_assert_true (rf_command_check (&command, NULL));
  rf_command_set_check_condition (&command, c->key, c->asc, c->ascq);
  g_assert_false (rf_command_is_good (&command));
  g_assert_false (rf_command_check (&command, &error));
  g_assert_error (error, RF_ERROR, c->code);
  g_assert_true (g_str_has_prefix (error->message, "NEC CONTROL (CC): "));
}

static void
test_describe_cdb (void)
{
  const guint8 cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
  RfCommand command;
  g_autofree char *text = NULL;

  g_assert_true (rf_command_init (&command, cdb, sizeof cdb, RF_DIRECTION_NONE, NULL, 0, 20000));
  text = rf_command_describe_cdb (&command);
  g_assert_cmpstr (text, ==, "12 00 00 00 60 00");
  g_assert_cmpstr (rf_command_opcode_name (0x3b), ==, "WRITE BUFFER");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sense/fixed", test_fixed);
  g_test_add_func ("/reflash/sense/descriptor", test_descriptor);
  g_test_add_func ("/reflash/sense/atapi-f0", test_atapi_f0);
  g_test_add_func ("/reflash/sense/garbage", test_garbage);
  for (gsize i = 0; i < G_N_ELEMENTS (check_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/sense/check/%02X-%02X-%02X",
                                               check_cases[i].key, check_cases[i].asc,
                                               check_cases[i].ascq);
      g_test_add_data_func (path, &check_cases[i], test_command_check);
    }
  g_test_add_func ("/reflash/sense/describe-cdb", test_describe_cdb);
  return g_test_run ();
}
