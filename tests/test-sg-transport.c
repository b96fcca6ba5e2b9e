/* test-sg-transport.c: what can be checked without a SCSI device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <linux/major.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <scsi/sg_pt.h>

#include "rf-error.h"
#include "rf-sg-transport.h"
#include "rf-sg-transport-private.h"

static void
test_dev_null (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = rf_sg_transport_new ("/dev/null", &error);

  /* A character device, but not a SCSI one: refused before it is opened. */
  g_assert_null (transport);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "/dev/null"));
}

static void
test_missing (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfTransport) transport = rf_sg_transport_new ("/dev/reflash-no-such-sg", &error);

  g_assert_null (transport);
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_FOUND);
}

static void
test_node_kinds (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_sg_transport_check_node ("/dev/sg0", S_IFCHR | 0660, SCSI_GENERIC_MAJOR,
                                             NULL));
  g_assert_true (rf_sg_transport_check_node ("/dev/sr0", S_IFBLK | 0660, SCSI_CDROM_MAJOR,
                                             NULL));
  g_assert_false (rf_sg_transport_check_node ("/dev/sda", S_IFBLK | 0660, 8, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_clear_error (&error);
  g_assert_false (rf_sg_transport_check_node ("/tmp/x", S_IFREG | 0644, 0, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;

  /* The node's permissions: no-access, whichever errno the open gave. */
  rf_sg_transport_set_open_error (&error, EACCES, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, EPERM, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, ENXIO, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_clear_error (&error);
  rf_sg_transport_set_open_error (&error, EBUSY, "/dev/sg1");
  g_assert_error (error, RF_ERROR, RF_ERROR_BUSY);
}

typedef struct {
  const char *name;
  RfSgOutcome outcome;
  gboolean answered;
  RfError code;
} OutcomeCase;

static const OutcomeCase outcome_cases[] = {
  { "good", { 0, SCSI_PT_RESULT_GOOD, 0, 0, NULL }, TRUE, 0 },
  { "check-condition", { 0, SCSI_PT_RESULT_SENSE, 0, 0, NULL }, TRUE, 0 },
  { "busy-status", { 0, SCSI_PT_RESULT_STATUS, 0, 0, NULL }, TRUE, 0 },
  /* The kernel's command filter: no CAP_SYS_RAWIO. Never a drive refusal. */
  { "eperm-returned", { -EPERM, SCSI_PT_RESULT_OS_ERR, EPERM, 0, NULL }, FALSE,
    RF_ERROR_NEEDS_PRIVILEGES },
  { "eperm-category", { 0, SCSI_PT_RESULT_OS_ERR, EPERM, 0, NULL }, FALSE,
    RF_ERROR_NEEDS_PRIVILEGES },
  { "not-sg", { -ENOTTY, SCSI_PT_RESULT_OS_ERR, ENOTTY, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  /* A transfer above the queue's limit: not supported, as on a practice drive. */
  { "einval-returned", { -EINVAL, SCSI_PT_RESULT_OS_ERR, EINVAL, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  { "einval-category", { 0, SCSI_PT_RESULT_OS_ERR, EINVAL, 0, NULL }, FALSE,
    RF_ERROR_NOT_SUPPORTED },
  { "gone", { -ENODEV, SCSI_PT_RESULT_OS_ERR, ENODEV, 0, NULL }, FALSE, RF_ERROR_DEVICE_GONE },
  { "sg-pt-timeout", { SCSI_PT_DO_TIMEOUT, 0, 0, 0, NULL }, FALSE, RF_ERROR_TIMED_OUT },
  { "host-timeout", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0300, NULL }, FALSE,
    RF_ERROR_TIMED_OUT },
  { "driver-timeout", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0006, NULL }, FALSE,
    RF_ERROR_TIMED_OUT },
  { "no-connect", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0100, NULL }, FALSE,
    RF_ERROR_DEVICE_GONE },
  { "host-error", { 0, SCSI_PT_RESULT_TRANSPORT_ERR, 0, 0x0700, "Host_status=0x07" }, FALSE,
    RF_ERROR_READ },
};

static void
test_outcome (gconstpointer data)
{
  const OutcomeCase *item = data;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (rf_sg_transport_check_outcome (&item->outcome, "READ MEM", &error), ==,
                   item->answered);
  if (item->answered)
    g_assert_no_error (error);
  else
    {
      g_assert_error (error, RF_ERROR, (gint) item->code);
      g_assert_true (g_str_has_prefix (error->message, "READ MEM"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sg-transport/dev-null", test_dev_null);
  g_test_add_func ("/reflash/sg-transport/missing", test_missing);
  g_test_add_func ("/reflash/sg-transport/node-kinds", test_node_kinds);
  g_test_add_func ("/reflash/sg-transport/open-errors", test_open_errors);
  for (gsize i = 0; i < G_N_ELEMENTS (outcome_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/sg-transport/outcome/%s",
                                               outcome_cases[i].name);
      g_test_add_data_func (path, &outcome_cases[i], test_outcome);
    }
  return g_test_run ();
}
