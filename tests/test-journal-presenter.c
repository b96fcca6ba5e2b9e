/* test-journal-presenter.c: what the drive list says about an interrupted
 * flash of a real drive, and which drive "Continue the Recovery" leads to
 * (nec-2m.md §3 "Matching the drive after a reboot")
 *
 * Stand-ins of real drives: a practice drive has no port to move to, so only
 * these can be on another port, or be one of several candidates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-core.h"
#include "rf-device-private.h"
#include "rf-journal-presenter.h"
#include "rf-test-drive.h"
#include "rf-test-images.h"
#include "rf-test-util.h"

#define SATA_BUS "pci0000:00/0000:00:1f.2/ata3/host2/target2:0:0/2:0:0:0"
/* The same port after a reboot in which the SCSI hosts were numbered anew. */
#define SATA_BUS_REBOOTED "pci0000:00/0000:00:1f.2/ata3/host5/target5:0:0/5:0:0:0"
#define OTHER_SATA_BUS "pci0000:00/0000:00:1f.2/ata4/host3/target3:0:0/3:0:0:0"
#define USB_BUS "pci0000:00/0000:00:14.0/usb2/2-1/2-1:1.0/host6/target6:0:0/6:0:0:0"

static RfDriveDb *db;

/* The seed: an ND-3550A in safe mode after a crossflash to the ND-4551A. */
static const RfTestDriveSpec seed = {
  .device_type = 0x05, .nec = TRUE, .stored_id = "K451", .rid_digits = "4551",
  .bootcode_key = "K355", .bootcode_version = "05", .firmware_valid = FALSE,
};

typedef struct {
  char *dir;
  RfJournalStore *store;
  GListStore *drives;
  GBytes *image;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = NULL;

  fixture->dir = g_dir_make_tmp ("reflash-journal-presenter-XXXXXX", &error);
  g_assert_no_error (error);
  folder = g_build_filename (fixture->dir, "journals", NULL);
  fixture->store = rf_journal_store_new (folder);
  fixture->drives = g_list_store_new (RF_TYPE_DEVICE);
  fixture->image = rf_test_image ("K355", "05", "1.06");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_clear_object (&fixture->drives);
  g_bytes_unref (fixture->image);
  rf_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

/* A stand-in for the seed at @bus_path, after its passive look. */
static RfDevice *
new_drive (const char *bus_path)
{
  g_autoptr(RfTestDrive) drive = rf_test_drive_new (&seed);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_strdup_printf ("test:%s", bus_path);
  g_autofree char *lock = g_strdup_printf ("test-%s", bus_path);
  RfDevice *device = rf_device_new_for_transport (id, RF_TRANSPORT (drive), lock);

  rf_device_set_bus_path (device, bus_path);
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_PASSIVE, NULL, &error));
  g_assert_no_error (error);
  return device;
}

/* A flash of the seed at SATA_BUS, interrupted while erasing. */
static void
write_journal (Fixture *fixture)
{
  g_autoptr(RfDevice) device = new_drive (SATA_BUS);
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autoptr(RfJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  identity = rf_device_dup_identity (device);
  journal = rf_journal_store_begin (fixture->store, device, identity, "recovery",
                                    "ND3550A_106.bin", "1.06", fixture->image, &error);
  g_assert_no_error (error);
  g_assert_true (rf_journal_set_phase (journal, RF_JOURNAL_PHASE_ERASING, &error));
  g_assert_no_error (error);
}

static RfDevice *
list_drive (Fixture    *fixture,
            const char *bus_path)
{
  g_autoptr(RfDevice) device = new_drive (bus_path);

  g_list_store_append (fixture->drives, device);
  return device;
}

static RfJournalPresenter *
new_presenter (Fixture *fixture)
{
  return rf_journal_presenter_new (fixture->store, db, G_LIST_MODEL (fixture->drives));
}

static void
assert_notice_says (RfJournalPresenter *presenter,
                    const char         *words)
{
  g_autofree char *notice = rf_journal_presenter_dup_notice (presenter);

  g_assert_nonnull (notice);
  if (strstr (notice, words) == NULL)
    g_error ("the notice \"%s\" does not say \"%s\"", notice, words);
}

/* After a reboot the drive is on the same port: the button leads to it. */
static void
test_same_port (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(RfJournalPresenter) presenter = NULL;
  RfDevice *device;
  RfJournalMatch match = RF_JOURNAL_MATCH_NONE;

  write_journal (fixture);
  device = list_drive (fixture, SATA_BUS_REBOOTED);
  list_drive (fixture, USB_BUS);
  presenter = new_presenter (fixture);
  g_assert_true (rf_journal_presenter_get_candidate (presenter, &match) == device);
  g_assert_cmpint (match, ==, RF_JOURNAL_MATCH_SAME_PORT);
  assert_notice_says (presenter, "so the drive can still be brought back.");
}

/* On another port: the one drive of the family is offered, for the person
 * to confirm on the next page. */
static void
test_other_port (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RfJournalPresenter) presenter = NULL;
  RfDevice *device;
  RfJournalMatch match = RF_JOURNAL_MATCH_NONE;

  write_journal (fixture);
  device = list_drive (fixture, OTHER_SATA_BUS);
  presenter = new_presenter (fixture);
  g_assert_true (rf_journal_presenter_get_candidate (presenter, &match) == device);
  g_assert_cmpint (match, ==, RF_JOURNAL_MATCH_OTHER_PORT);
  assert_notice_says (presenter, "the drive marked below may be it, but only you can tell");
}

/* Two drives of the family, neither on the journal's port: no guess, the
 * person chooses. */
static void
test_several_candidates (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(RfJournalPresenter) presenter = NULL;
  RfJournalMatch match = RF_JOURNAL_MATCH_SAME_PORT;

  write_journal (fixture);
  list_drive (fixture, OTHER_SATA_BUS);
  list_drive (fixture, USB_BUS);
  presenter = new_presenter (fixture);
  g_assert_null (rf_journal_presenter_get_candidate (presenter, &match));
  g_assert_cmpint (match, ==, RF_JOURNAL_MATCH_NONE);
  assert_notice_says (presenter, "Several drives marked below may be it: choose the one it is.");
}

/* The drive on the journal's port is the candidate even beside another of
 * its family elsewhere: it is the only one the button may lead to. */
static void
test_same_port_beside_another (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RfJournalPresenter) presenter = NULL;
  RfDevice *device;
  RfJournalMatch match = RF_JOURNAL_MATCH_NONE;

  write_journal (fixture);
  list_drive (fixture, USB_BUS);
  device = list_drive (fixture, SATA_BUS);
  presenter = new_presenter (fixture);
  g_assert_true (rf_journal_presenter_get_candidate (presenter, &match) == device);
  g_assert_cmpint (match, ==, RF_JOURNAL_MATCH_SAME_PORT);
}

/* No drive of the family: nothing to lead to. */
static void
test_no_candidate (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(RfJournalPresenter) presenter = NULL;

  write_journal (fixture);
  presenter = new_presenter (fixture);
  g_assert_null (rf_journal_presenter_get_candidate (presenter, NULL));
  assert_notice_says (presenter, "and that drive was not found");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-journal-presenter-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("XDG_STATE_HOME", runtime, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/reflash/journal-presenter/same-port", test_same_port);
  ADD ("/reflash/journal-presenter/other-port", test_other_port);
  ADD ("/reflash/journal-presenter/several-candidates", test_several_candidates);
  ADD ("/reflash/journal-presenter/same-port-beside-another", test_same_port_beside_another);
  ADD ("/reflash/journal-presenter/no-candidate", test_no_candidate);
#undef ADD
  status = g_test_run ();
  g_object_unref (db);
  rf_test_remove_tree (runtime);
  return status;
}
