/* test-sim-drive.c: what every practice drive shares: faults, persistence across
 * restarts, timing, the transport.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <stdlib.h>

#include "sim-test-util.h"

static void
add_fault (SimDrive      *sim,
           RfSimFaultKind kind,
           RfSimPhase     phase,
           guint          occurrence,
           gint64         byte_offset)
{
  RfSimFault fault;

  rf_sim_fault_init (&fault, kind, phase, occurrence);
  fault.byte_offset = byte_offset;
  rf_sim_drive_add_fault (sim->drive, &fault);
}

/* §3 steps 1-3 on healthy-3550 with @image. */
static void
upload (SimDrive *sim,
        GBytes   *image)
{
  const guint8 *img = g_bytes_get_data (image, NULL);

  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_good (sim);
  for (guint i = 0; i < 60; i++)
    {
      g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
      sim_assert_good (sim);
    }
  g_assert_true (nec_send_checksum (sim, (guint16) (img[0x1E0000] << 8 | img[0x1E0001])));
  sim_assert_good (sim);
}

static const guint8 *
flash_at (GBytes  *flash,
          guint32  address)
{
  return (const guint8 *) g_bytes_get_data (flash, NULL) + address;
}

static gboolean
all_ff (const guint8 *data,
        gsize         length)
{
  for (gsize i = 0; i < length; i++)
    if (data[i] != 0xff)
      return FALSE;
  return TRUE;
}

/* ---- faults ---- */

/* The 10th erase (block 13) loses power after 0x8000 of its 0x10000 bytes. */
static void
test_power_loss_mid_erase (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;
  guint block;

  add_fault (sim, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_ERASE, 10, 0x8000);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (block = 4; block <= 34; block++)
    {
      if (!nec_erase (sim, block))
        break;
      sim_assert_good (sim);
    }
  g_assert_cmpuint (block, ==, 13);
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (all_ff (flash_at (after, 0x10000), 0x90000));
  g_assert_true (all_ff (flash_at (after, 0xA0000), 0x8000));
  g_assert_cmpmem (flash_at (after, 0xA8000), 0x8000, flash_at (before, 0xA8000), 0x8000);
  g_assert_cmpmem (flash_at (after, 0xB0000), 0x140000, flash_at (before, 0xB0000), 0x140000);

  /* Power is back: power-up safe mode, a UNIT ATTENTION, RAM and session lost. */
  sim_assert_revision (sim, "0.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x06, 0x29, 0x00);
  g_assert_true (nec_erase (sim, 13));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Reflash's own recovery: a complete new run. */
  nec_normal_flash (sim, "K355", image);
  sim_assert_revision (sim, "1.06");
  sim_drive_free (sim);
}

static void
test_power_loss_mid_program (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) after = NULL;
  const guint8 *img = g_bytes_get_data (image, NULL);

  add_fault (sim, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_PROGRAM, 1, 0x100);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (guint block = 4; block <= 34; block++)
    g_assert_true (nec_erase (sim, block));
  g_assert_false (nec_program (sim, 4));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_cmpmem (flash_at (after, 0x10000), 0x100, img, 0x100);
  g_assert_true (all_ff (flash_at (after, 0x10100), 0xFF00));
  sim_assert_revision (sim, "0.05");
  sim_drive_free (sim);
}

/* Power fails before the 3rd command starts: nothing of it happens. */
static void
test_power_loss_at_command (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  RfSimFault fault;

  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_ANY, 1);
  fault.command = 3;
  rf_sim_drive_add_fault (sim->drive, &fault);
  sim_clear_unit_attention (sim); /* commands 1 and 2 */
  g_assert_cmpuint (rf_sim_drive_get_command_count (sim->drive), ==, 2);
  g_assert_false (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  sim_assert_revision (sim, "1.05");

  /* A command the drive answers before executing it (a UNIT ATTENTION) loses
   * power just the same. */
  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_QUERY, 0);
  fault.byte_offset = 0;
  rf_sim_drive_add_fault (sim->drive, &fault);
  g_assert_false (sim_send (sim, (const guint8[6]) { 0 }, 6, RF_DIRECTION_NONE, NULL, 0));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  sim_drive_free (sim);
}

static void
test_timeout (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  gint64 before;

  rf_sim_clock_set_speed (sim->clock, 1.0);
  add_fault (sim, RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_SAFE_MODE_ENTER, 1, -1);
  sim_clear_unit_attention (sim);
  before = rf_sim_clock_get_now_us (sim->clock);
  g_assert_false (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_TIMED_OUT);
  /* The host waited its whole timeout (20 s in these tests). */
  g_assert_cmpint (rf_sim_clock_get_now_us (sim->clock) - before, ==, 20000000);
  sim_assert_revision (sim, "1.05");
  /* One-shot: the next try works. */
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_good (sim);
  sim_drive_free (sim);
}

/* The erase happens, the status is lost: only reading the flash tells. */
static void
test_lost_status (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) flash = NULL;

  add_fault (sim, RF_SIM_FAULT_LOST_STATUS, RF_SIM_PHASE_ERASE, 1, -1);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_false (nec_erase (sim, 7));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_TIMED_OUT);
  flash = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (all_ff (flash_at (flash, 0x40000), 0x10000));
  sim_drive_free (sim);
}

static void
test_transport_error (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x20];

  add_fault (sim, RF_SIM_FAULT_TRANSPORT_ERROR, RF_SIM_PHASE_READ, 2, -1);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, sizeof data));
  sim_assert_good (sim);
  g_assert_false (nec_read_mem (sim, 0x5F00, 0x20, data, sizeof data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_READ);
  g_assert_true (nec_read_mem (sim, 0x5F00, 0x20, data, sizeof data));
  sim_assert_good (sim);
  sim_drive_free (sim);
}

static void
test_vanish (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x60];
  const guint8 inquiry[6] = { 0x12, 0, 0, 0, 0x60, 0 };

  add_fault (sim, RF_SIM_FAULT_VANISH, RF_SIM_PHASE_QUERY, 2, -1);
  sim_inquiry (sim, data);
  g_assert_false (sim_send (sim, inquiry, 6, RF_DIRECTION_IN, data, sizeof data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_assert_false (sim_send (sim, inquiry, 6, RF_DIRECTION_IN, data, sizeof data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "1.05");
  sim_drive_free (sim);
}

static void
test_unit_attention_storm (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  RfSimFault fault;

  rf_sim_fault_init (&fault, RF_SIM_FAULT_UNIT_ATTENTION_STORM, RF_SIM_PHASE_QUERY, 1);
  fault.count = 12;
  rf_sim_drive_add_fault (sim->drive, &fault);
  for (guint i = 0; i < 12; i++)
    {
      sim_test_unit_ready (sim);
      sim_assert_sense (sim, 0x06, 0x29, 0x00);
      /* INQUIRY is never held up by a UNIT ATTENTION. */
      if (i == 5)
        sim_assert_revision (sim, "1.05");
    }
  /* Then the power-on one, then the real answer. */
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x06, 0x29, 0x00);
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  sim_drive_free (sim);
}

static void
test_write_failure (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;

  add_fault (sim, RF_SIM_FAULT_WRITE_FAILURE, RF_SIM_PHASE_ERASE, 1, -1);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  g_assert_true (nec_erase (sim, 4));
  sim_assert_sense (sim, 0x03, 0x73, 0x04);
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (before, after));
  sim_drive_free (sim);
}

/* A vendor command refused mid-run: ILLEGAL REQUEST, nothing executed; the next
 * one is taken again. */
static void
test_refusals (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;

  add_fault (sim, RF_SIM_FAULT_INVALID_OPCODE, RF_SIM_PHASE_ERASE, 1, -1);
  add_fault (sim, RF_SIM_FAULT_INVALID_FIELD, RF_SIM_PHASE_ERASE, 2, -1);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  g_assert_true (nec_erase (sim, 4));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  g_assert_true (nec_erase (sim, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (nec_erase (sim, 4));
  sim_assert_good (sim);
  sim_drive_free (sim);
}

/* In a child process: a kill of the program in the 3rd erase, 0x3000 bytes in. */
static void
die_in_third_erase (const char *path)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  SimDrive *sim = sim_drive_open ("healthy-3550", path);

  add_fault (sim, RF_SIM_FAULT_KILLED, RF_SIM_PHASE_ERASE, 3, 0x3000);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (guint block = 4; block <= 34; block++)
    nec_erase (sim, block);
  /* Not killed: the parent sees a child that passed. */
  exit (0);
}

/* The process dies of SIGKILL, and the flash it leaves is what a power loss
 * there leaves. */
static void
test_killed (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) flash = NULL;
  SimDrive *sim;

  if (g_test_subprocess ())
    {
      path = g_build_filename (g_getenv ("RF_TEST_KILLED_DIR"), "healthy-3550", NULL);
      die_in_third_erase (path);
      return;
    }
  dir = g_dir_make_tmp ("rf-sim-killed-XXXXXX", NULL);
  g_assert_nonnull (dir);
  path = g_build_filename (dir, "healthy-3550", NULL);
  g_setenv ("RF_TEST_KILLED_DIR", dir, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
  sim = sim_drive_open ("healthy-3550", path);
  flash = rf_sim_drive_dup_flash (sim->drive);
  /* Blocks 4 and 5 erased, block 6 (0x30000) up to 0x3000, no further. */
  g_assert_true (all_ff (flash_at (flash, 0x10000), 0x23000));
  g_assert_false (all_ff (flash_at (flash, 0x33000), 0x10));
  sim_assert_revision (sim, "0.05");
  sim_drive_free (sim);
  sim_remove_state (path);
  g_rmdir (dir);
}

/* Every erase and program answers GOOD and writes nothing: the old revision
 * comes back, which only re-identification can tell. */
static void
test_silent_flash (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;

  add_fault (sim, RF_SIM_FAULT_SILENT_FLASH, RF_SIM_PHASE_ERASE, 0, -1);
  add_fault (sim, RF_SIM_FAULT_SILENT_FLASH, RF_SIM_PHASE_PROGRAM, 0, -1);
  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  sim_assert_revision (sim, "1.05");
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (before, after));
  sim_drive_free (sim);
}

static const char faulty_text[] =
  "[Scenario]\nName=F\nDescription=Faulty\nProtocol=nec-2m\n"
  "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nFirmwareRevision=1.05\n"
  "[Fault lost]\nKind=power-loss\nPhase=erase\nOccurrence=2\n";

/* A scenario's faults fire like API ones, and a reset re-arms them. */
static void
test_scenario_faults (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (faulty_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autoptr(GError) error = NULL;

  for (guint round = 0; round < 2; round++)
    {
      sim_clear_unit_attention (sim);
      g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
      g_assert_true (nec_erase (sim, 4));
      sim_assert_good (sim);
      g_assert_false (nec_erase (sim, 5));
      g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
      sim_assert_revision (sim, "0.05");
      rf_sim_drive_reset (sim->drive, &error);
      g_assert_no_error (error);
      sim_assert_revision (sim, "1.05");
    }
  sim_drive_free (sim);
}

/* ---- persistence ---- */

typedef struct {
  char *dir;
  char *path;
} StateDir;

static void
state_dir_setup (StateDir     *state,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  state->dir = g_dir_make_tmp ("rf-sim-state-XXXXXX", &error);
  g_assert_no_error (error);
  state->path = g_build_filename (state->dir, "healthy-3550", NULL);
}

static void
state_dir_teardown (StateDir     *state,
                    gconstpointer data)
{
  sim_remove_state (state->path);
  g_assert_no_errno (g_rmdir (state->dir));
  g_free (state->path);
  g_free (state->dir);
}

/* Two programs with the same practice drive open: what one saves, the
 * other takes over when it catches up, and only then; its own saves are
 * no change from elsewhere. */
static void
test_catch_up (StateDir     *state,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) here = rf_sim_drive_open ("healthy-3550", state->dir, &error);
  g_autoptr(RfSimDrive) elsewhere = NULL;

  g_assert_no_error (error);
  rf_sim_drive_set_disc (here, TRUE);
  g_assert_true (rf_sim_drive_catch_up (here, &error));
  g_assert_true (rf_sim_drive_has_disc (here));

  elsewhere = rf_sim_drive_open ("healthy-3550", state->dir, &error);
  g_assert_no_error (error);
  g_assert_true (rf_sim_drive_has_disc (elsewhere));
  rf_sim_drive_set_disc (elsewhere, FALSE);
  g_assert_true (rf_sim_drive_has_disc (here));
  g_assert_true (rf_sim_drive_catch_up (here, &error));
  g_assert_no_error (error);
  g_assert_false (rf_sim_drive_has_disc (here));

  /* A reset elsewhere deletes the saved state: the scenario again. */
  rf_sim_drive_set_disc (here, TRUE);
  g_assert_true (rf_sim_drive_reset (elsewhere, &error));
  g_assert_true (rf_sim_drive_catch_up (here, &error));
  g_assert_false (rf_sim_drive_has_disc (here));
}

static void
test_persist_flash (StateDir     *state,
                    gconstpointer data)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GError) error = NULL;
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);
  RfSimDrive *drive;

  /* Nothing saved until flash changes. */
  sim_clear_unit_attention (sim);
  g_assert_false (g_file_test (state->path, G_FILE_TEST_EXISTS));
  nec_normal_flash (sim, "K355", image);
  g_assert_true (g_file_test (state->path, G_FILE_TEST_IS_REGULAR));
  sim_drive_free (sim);

  /* "The program restarts": the shipped scenario, opened from the state dir. */
  drive = rf_sim_drive_open ("healthy-3550", state->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (rf_sim_drive_get_state_path (drive), ==, state->path);
  sim = g_new0 (SimDrive, 1);
  sim->drive = drive;
  sim->transport = rf_sim_transport_new (drive);
  sim_assert_revision (sim, "1.06");

  /* Reset: the scenario again, and the saved state is gone. */
  rf_sim_drive_reset (drive, &error);
  g_assert_no_error (error);
  g_assert_false (g_file_test (state->path, G_FILE_TEST_EXISTS));
  sim_assert_revision (sim, "1.05");
  sim_drive_free (sim);
}

/* Dropping the drive mid-flash is a power loss there. */
static void
test_persist_mid_flash (StateDir     *state,
                        gconstpointer data)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);
  guint8 mem[0x100];

  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (guint block = 4; block <= 10; block++)
    g_assert_true (nec_erase (sim, block));
  sim_drive_free (sim);

  sim = sim_drive_open ("healthy-3550", state->path);
  sim_assert_revision (sim, "0.05");
  sim_clear_unit_attention (sim);
  g_assert_true (nec_read_mem (sim, 0x60000, sizeof mem, mem, sizeof mem));
  sim_assert_good (sim);
  g_assert_true (all_ff (mem, sizeof mem));
  g_assert_true (nec_read_mem (sim, 0x80000, sizeof mem, mem, sizeof mem));
  g_assert_false (all_ff (mem, sizeof mem));
  /* RAM did not survive: the checksum of the upload is refused. */
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (nec_send_checksum (sim, rf_nec_checksum (g_bytes_get_data (image, NULL),
                                                          0x1E0000)));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_persist_power_loss (StateDir     *state,
                         gconstpointer data)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);
  g_autoptr(GBytes) lost = NULL;
  g_autoptr(GBytes) reopened = NULL;

  add_fault (sim, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_ERASE, 1, 0x1234);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_false (nec_erase (sim, 20));
  lost = rf_sim_drive_dup_flash (sim->drive);
  sim_drive_free (sim);
  sim = sim_drive_open ("healthy-3550", state->path);
  reopened = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (lost, reopened));
  g_assert_true (all_ff (flash_at (reopened, 0x110000), 0x1234));
  g_assert_cmphex (*flash_at (reopened, 0x111234), !=, 0xff);
  sim_drive_free (sim);
}

/* A scenario's power cut happens once: after the program restarts, the recovery
 * run is not cut again. A reset re-arms it. */
static void
test_persist_fired_fault (StateDir     *state,
                          gconstpointer data)
{
  g_autofree char *path = g_build_filename (state->dir, "power-cut-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GError) error = NULL;
  SimDrive *sim = sim_drive_open ("power-cut-3550", path);
  guint block;

  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (block = 4; block <= 34 && nec_erase (sim, block); block++)
    ;
  g_assert_cmpuint (block, ==, 13);
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  sim_drive_free (sim);

  sim = sim_drive_open ("power-cut-3550", path);
  sim_assert_revision (sim, "0.05");
  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  sim_assert_revision (sim, "1.06");

  rf_sim_drive_reset (sim->drive, &error);
  g_assert_no_error (error);
  sim_clear_unit_attention (sim);
  upload (sim, image);
  for (block = 4; block <= 34 && nec_erase (sim, block); block++)
    ;
  g_assert_cmpuint (block, ==, 13);
  sim_drive_free (sim);
  sim_remove_state (path);
}

static void
test_persist_disc (StateDir     *state,
                   gconstpointer data)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);

  rf_sim_drive_set_disc (sim->drive, TRUE);
  sim_drive_free (sim);
  sim = sim_drive_open ("healthy-3550", state->path);
  sim_clear_unit_attention (sim);
  sim_assert_good (sim);
  sim_drive_free (sim);
}

/* The flash is saved flat and in place: a command rewrites what it changed, not
 * a new 2 MiB file (an inode that stays the same says so). */
static void
test_persist_in_place (StateDir     *state,
                       gconstpointer data)
{
  g_autofree char *flash_path = g_strconcat (state->path, ".flash", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) flash = NULL;
  g_autoptr(GError) error = NULL;
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);
  GStatBuf before, after;
  gsize length = 0;

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (nec_erase (sim, 20));
  sim_assert_good (sim);
  g_assert_no_errno (g_stat (flash_path, &before));
  g_assert_true (nec_erase (sim, 21));
  sim_assert_good (sim);
  g_assert_no_errno (g_stat (flash_path, &after));
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  g_file_get_contents (flash_path, &contents, &length, &error);
  g_assert_no_error (error);
  flash = rf_sim_drive_dup_flash (sim->drive);
  g_assert_cmpmem (contents, length, g_bytes_get_data (flash, NULL), g_bytes_get_size (flash));
  sim_drive_free (sim);
}

/* The program dies after ERASE of block 34 saved its metadata but before its
 * flash write (the flash file cannot be written: a folder stands in its place,
 * and the old file is put back afterwards). The drive must then look like a power
 * loss at the start of that erase: the stored sum is gone, so it starts in safe
 * mode. Had the flash been written first, the old sum would survive. */
static void
test_persist_erase_34_order (StateDir     *state,
                             gconstpointer data)
{
  g_autofree char *flash_path = g_strconcat (state->path, ".flash", NULL);
  g_autofree char *old = NULL;
  g_autoptr(GError) error = NULL;
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);
  gsize length = 0;

  rf_sim_drive_set_disc (sim->drive, TRUE);
  g_file_get_contents (flash_path, &old, &length, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_unlink (flash_path));
  g_assert_no_errno (g_mkdir (flash_path, 0700));
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_false (nec_erase (sim, 34));
  g_assert_nonnull (sim->error);
  sim_drive_free (sim);

  g_assert_no_errno (g_rmdir (flash_path));
  g_file_set_contents (flash_path, old, (gssize) length, &error);
  g_assert_no_error (error);
  sim = sim_drive_open ("healthy-3550", state->path);
  sim_assert_revision (sim, "0.05");
  sim_drive_free (sim);
}

static void
test_damaged_state (StateDir     *state,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) drive = NULL;

  g_file_set_contents (state->path, "not a practice drive", -1, &error);
  g_assert_no_error (error);
  drive = rf_sim_drive_open ("healthy-3550", state->dir, &error);
  g_assert_null (drive);
  g_assert_error (error, RF_ERROR, RF_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, state->path));
}

/* The state cannot be saved (its folder became a file): the command gets no
 * status and says why. Injected through the path, so it does not depend on root. */
static void
test_unsaveable_state (StateDir     *state,
                       gconstpointer data)
{
  g_autofree char *blocker = g_build_filename (state->dir, "blocker", NULL);
  g_autofree char *path = g_build_filename (blocker, "healthy-3550", NULL);
  g_autoptr(GError) error = NULL;
  SimDrive *sim;

  sim = sim_drive_open ("healthy-3550", path);
  g_file_set_contents (blocker, "", 0, &error);
  g_assert_no_error (error);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_false (nec_erase (sim, 20));
  g_assert_nonnull (sim->error);
  g_assert_true (sim->error->domain == RF_ERROR);
  g_assert_nonnull (strstr (sim->error->message, blocker));
  sim_drive_free (sim);
  g_unlink (blocker);
}

static const char realtime_text[] =
  "[Scenario]\nName=R\nDescription=Quick\nProtocol=nec-2m\n"
  "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nFirmwareRevision=1.05\n"
  "[Timing]\nEraseBlock=8\nSafeModeEnter=1\n";

/* On a real-time clock the erase is done and saved in slices. */
static void
test_real_time_slices (StateDir     *state,
                       gconstpointer data)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (realtime_text);
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimDrive) drive = NULL;
  g_autoptr(RfSimDrive) reopened = NULL;
  g_autoptr(GBytes) flash = NULL;
  SimDrive sim = { 0 };

  rf_sim_clock_set_speed (clock, 1000.0);
  drive = rf_sim_drive_new (scenario, state->path, clock, &error);
  g_assert_no_error (error);
  sim.drive = drive;
  sim.transport = rf_sim_transport_new (drive);
  sim_clear_unit_attention (&sim);
  g_assert_true (nec_safe_mode (&sim, TRUE, "K355"));
  g_assert_true (nec_erase (&sim, 6));
  sim_assert_good (&sim);
  g_assert_cmpuint (sim.command.duration_us, ==, 8);
  g_clear_object (&sim.transport);
  g_clear_error (&sim.error);
  reopened = rf_sim_drive_new (scenario, state->path, NULL, &error);
  g_assert_no_error (error);
  flash = rf_sim_drive_dup_flash (reopened);
  g_assert_true (all_ff (flash_at (flash, 0x30000), 0x10000));
}

static const char slow_text[] =
  "[Scenario]\nName=S\nDescription=Slow\nProtocol=nec-2m\n"
  "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nFirmwareRevision=1.05\n"
  "[Timing]\nEraseBlock=600000\nSafeModeEnter=0\nQuery=0\n";

static gpointer
erase_block_6 (gpointer data)
{
  SimDrive *sim = data;

  return GINT_TO_POINTER (nec_erase (sim, 6));
}

/* The power button during a ten-minute erase on a real-time clock: the command
 * ends without status and the block stays partly erased (the first eighth, saved
 * before the button was pressed). */
static void
test_power_button_mid_erase (StateDir     *state,
                             gconstpointer data)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (slow_text);
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) flash = NULL;
  SimDrive sim = { 0 };
  GThread *thread;
  gboolean answered;

  sim.drive = rf_sim_drive_new (scenario, state->path, clock, &error);
  g_assert_no_error (error);
  sim.transport = rf_sim_transport_new (sim.drive);
  sim_clear_unit_attention (&sim);
  g_assert_true (nec_safe_mode (&sim, TRUE, "K355"));
  sim_assert_good (&sim);

  thread = g_thread_new ("erase", erase_block_6, &sim);
  /* Wait (not a timing assertion) until the first slice is saved. */
  for (guint i = 0; i < 20000 && !g_file_test (state->path, G_FILE_TEST_EXISTS); i++)
    g_usleep (1000);
  g_assert_true (g_file_test (state->path, G_FILE_TEST_EXISTS));
  rf_sim_drive_power_cycle (sim.drive);
  answered = GPOINTER_TO_INT (g_thread_join (thread));
  g_assert_false (answered);
  g_assert_error (sim.error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  flash = rf_sim_drive_dup_flash (sim.drive);
  g_assert_true (all_ff (flash_at (flash, 0x30000), 0x2000));
  g_assert_false (all_ff (flash_at (flash, 0x32000), 0xE000));
  sim_assert_revision (&sim, "0.05");
  g_clear_error (&sim.error);
  g_clear_object (&sim.transport);
  g_assert_finalize_object (sim.drive);
}

static gpointer
test_unit_ready_in_thread (gpointer data)
{
  SimDrive *sim = data;
  const guint8 cdb[6] = { 0x00, 0, 0, 0, 0, 0 };

  return GINT_TO_POINTER (sim_send (sim, cdb, 6, RF_DIRECTION_NONE, NULL, 0));
}

/* The power button while the host waits out a command that times out (a fault):
 * on a real-time clock that wait lasts hours here, and the button must end it,
 * as it ends a long erase. */
static void
test_power_button_mid_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load ("healthy-3550", &error);
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  SimDrive sim = { 0 };
  GThread *thread;
  gboolean answered;

  g_assert_no_error (error);
  rf_sim_clock_set_speed (clock, 0.001);
  sim.drive = rf_sim_drive_new (scenario, NULL, clock, &error);
  g_assert_no_error (error);
  sim.transport = rf_sim_transport_new (sim.drive);
  add_fault (&sim, RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_ANY, 1, -1);
  thread = g_thread_new ("tur", test_unit_ready_in_thread, &sim);
  /* Wait (not a timing assertion) until the drive has the command. */
  for (guint i = 0; i < 20000 && rf_sim_drive_get_command_count (sim.drive) == 0; i++)
    g_usleep (1000);
  g_assert_cmpuint (rf_sim_drive_get_command_count (sim.drive), ==, 1);
  rf_sim_drive_power_cycle (sim.drive);
  answered = GPOINTER_TO_INT (g_thread_join (thread));
  g_assert_false (answered);
  g_assert_error (sim.error, RF_ERROR, RF_ERROR_TIMED_OUT);
  g_clear_error (&sim.error);
  g_clear_object (&sim.transport);
  g_assert_finalize_object (sim.drive);
}

/* ---- timing ---- */

static guint64
timed (SimDrive *sim,
       gboolean  answered)
{
  g_assert_true (answered);
  sim_assert_good (sim);
  return sim->command.duration_us;
}

static void
test_timing (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  gint64 start;

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_cmpuint (sim->command.duration_us, ==, 0);
  g_assert_cmpint (rf_sim_clock_get_now_us (sim->clock), ==, 0);

  rf_sim_clock_set_speed (sim->clock, 1.0);
  start = rf_sim_clock_get_now_us (sim->clock);
  g_assert_cmpuint (timed (sim, nec_erase (sim, 4)), ==, 1500000);
  g_assert_cmpuint (timed (sim, nec_program (sim, 4)), ==, 4000000);
  g_assert_cmpint (rf_sim_clock_get_now_us (sim->clock) - start, ==, 5500000);
  rf_sim_drive_set_speed (sim->drive, 10.0);
  g_assert_cmpuint (timed (sim, nec_erase (sim, 5)), ==, 150000);

  /* A whole normal flash at speed 1 takes minutes. */
  rf_sim_clock_set_speed (sim->clock, 1.0);
  start = rf_sim_clock_get_now_us (sim->clock);
  nec_normal_flash (sim, "K355", image);
  /* 300 + 60 × 40 + 100 + 31 × 1500 + 30 × 4000 + 2000 ms */
  g_assert_cmpint (rf_sim_clock_get_now_us (sim->clock) - start, ==, 171300000);
  sim_drive_free (sim);
}

static const char timing_text[] =
  "[Scenario]\nName=T\nDescription=Slow\nProtocol=nec-2m\n"
  "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nFirmwareRevision=1.05\n"
  "[Timing]\nEraseBlock=4000\nSafeModeEnter=10\n";

static void
test_scenario_timing (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (timing_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);

  rf_sim_clock_set_speed (sim->clock, 2.0);
  sim_clear_unit_attention (sim);
  g_assert_cmpuint (timed (sim, nec_safe_mode (sim, TRUE, "K355")), ==, 5000);
  g_assert_cmpuint (timed (sim, nec_erase (sim, 4)), ==, 2000000);
  sim_drive_free (sim);
}

/* ---- transport ---- */

static void
test_transport (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autofree guint8 *data = g_malloc0 (0x20000);
  const guint8 cdb[12] = { 0xCC, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x80, 0x00, 0, 0, 0 };
  guint count;

  g_assert_cmpstr (rf_transport_get_name (sim->transport), ==, "practice:healthy-3550");
  g_assert_cmpuint (rf_transport_get_max_transfer (sim->transport), ==, 65536);
  g_assert_true (rf_sim_transport_get_drive (RF_SIM_TRANSPORT (sim->transport)) == sim->drive);
  sim_clear_unit_attention (sim);
  /* Above the limit: refused before the drive sees it. */
  count = rf_sim_drive_get_command_count (sim->drive);
  g_assert_false (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, 0x20000));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  g_assert_cmpuint (rf_sim_drive_get_command_count (sim->drive), ==, count);
  /* rf_transport_run turns a CHECK CONDITION into an error. */
  g_clear_error (&sim->error);
  g_assert_true (rf_command_init (&sim->command, (const guint8[12]) { 0xCC, 0x01, 0x01, 0, 'K', '4', '5', '1', 1 },
                                  12, RF_DIRECTION_NONE, NULL, 0, 20000));
  g_assert_false (rf_transport_run (sim->transport, &sim->command, NULL, &sim->error));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  sim_drive_free (sim);
}

static const char small_transfer_text[] =
  "[Scenario]\nName=T\nDescription=Small\nProtocol=nec-2m\nMaxTransfer=4096\n"
  "[NEC]\nBootcodeKey=K355\nBootcodeVersion=05\nFirmwareRevision=1.05\n";

static void
test_transport_limit_from_scenario (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (small_transfer_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autofree guint8 *data = g_malloc0 (0x8000);

  g_assert_cmpuint (rf_transport_get_max_transfer (sim->transport), ==, 4096);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_false (nec_write_ram (sim, 0x10000, data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_NOT_SUPPORTED);
  sim_drive_free (sim);
}

/* ---- a light start: the flash only while a command needs it ---- */

/* The answers to the passive questions, in the order a listing asks them
 * (the first one takes the power-up's unit attention), and the light. */
static char *
passive_answers (SimDrive *sim)
{
  const guint8 tur[6] = { 0x00 };
  const guint8 inquiry[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };
  const guint8 configuration[10] = { 0x46, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00 };
  const guint8 *cdbs[] = { tur, inquiry, configuration, tur, inquiry };
  const gsize lengths[] = { 6, 6, 10, 6, 6 };
  GString *answers = g_string_new (NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (cdbs); i++)
    {
      guint8 data[256] = { 0 };
      gsize length = cdbs[i][0] == 0x00 ? 0 : cdbs[i][0] == 0x12 ? 0x60 : sizeof data;
      gboolean answered = sim_send (sim, cdbs[i], lengths[i],
                                    length > 0 ? RF_DIRECTION_IN : RF_DIRECTION_NONE,
                                    length > 0 ? data : NULL, length);
      g_autoptr(GString) hex = g_string_new (NULL);

      for (gsize b = 0; b < length; b++)
        g_string_append_printf (hex, "%02X", data[b]);
      g_string_append_printf (answers, "%02X: %s status %02X sense %02X/%02X/%02X %s\n",
                              cdbs[i][0], answered ? "answered" : sim->error->message,
                              sim->command.status, sim->command.sense[2] & 0x0f,
                              sim->command.sense[12], sim->command.sense[13], hex->str);
    }
  g_string_append_printf (answers, "light %d\n", rf_sim_drive_get_led (sim->drive));
  return g_string_free (answers, FALSE);
}

/* Every practice drive, listed and asked who it is with its flash unmapped,
 * answers as it does with its flash mapped. */
static void
test_summary_agrees (StateDir     *state,
                     gconstpointer data)
{
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (NULL);

  g_assert_nonnull (scenarios);
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autofree char *path = g_build_filename (state->dir, scenario->id, NULL);
      SimDrive *light = sim_drive_new_from_scenario (scenario, path);
      SimDrive *mapped = sim_drive_new_from_scenario (scenario, NULL);
      g_autofree char *light_answers = NULL;
      g_autofree char *mapped_answers = NULL;

      if (scenario->protocol == RF_SIM_PROTOCOL_NEC_2M)
        g_assert_cmpuint (rf_sim_drive_get_mapped_size (light->drive), ==, 0);
      light_answers = passive_answers (light);
      mapped_answers = passive_answers (mapped);
      g_test_message ("%s:\n%s", scenario->id, light_answers);
      g_assert_cmpstr (light_answers, ==, mapped_answers);
      /* Asking who it is maps nothing. */
      if (scenario->protocol == RF_SIM_PROTOCOL_NEC_2M)
        g_assert_cmpuint (rf_sim_drive_get_mapped_size (light->drive), ==, 0);
      sim_drive_free (light);
      sim_drive_free (mapped);
      sim_remove_state (path);
    }
}

/* After a flash the drive lets go of its memory; what it says, how it starts
 * and what its flash holds come back the same. */
static void
test_release_after_flash (StateDir     *state,
                          gconstpointer data)
{
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  SimDrive *sim = sim_drive_open ("healthy-3550", state->path);

  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  before = rf_sim_drive_dup_flash (sim->drive);
  g_assert_cmpuint (rf_sim_drive_get_mapped_size (sim->drive), >, 0);
  rf_sim_drive_release_memory (sim->drive);
  g_assert_cmpuint (rf_sim_drive_get_mapped_size (sim->drive), ==, 0);
  sim_assert_revision (sim, "1.06");
  rf_sim_drive_power_cycle (sim->drive);
  g_assert_cmpuint (rf_sim_drive_get_mapped_size (sim->drive), ==, 0);
  sim_clear_unit_attention (sim);
  sim_assert_revision (sim, "1.06");
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (before, after));
  sim_drive_free (sim);
}

/* A drive in safe mode stays there across a power cycle with its flash
 * unmapped, and says so as before. */
static void
test_release_in_safe_mode (StateDir     *state,
                           gconstpointer data)
{
  SimDrive *sim = sim_drive_open ("seed", state->path);

  g_assert_cmpuint (rf_sim_drive_get_mapped_size (sim->drive), ==, 0);
  sim_clear_unit_attention (sim);
  sim_assert_revision (sim, "0.05");
  rf_sim_drive_power_cycle (sim->drive);
  sim_clear_unit_attention (sim);
  sim_assert_revision (sim, "0.05");
  g_assert_cmpint (rf_sim_drive_get_led (sim->drive), ==, RF_SIM_LED_BLINKING);
  sim_drive_free (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-drive/power-loss-mid-erase", test_power_loss_mid_erase);
  g_test_add_func ("/reflash/sim-drive/power-loss-mid-program", test_power_loss_mid_program);
  g_test_add_func ("/reflash/sim-drive/power-loss-at-command", test_power_loss_at_command);
  g_test_add_func ("/reflash/sim-drive/timeout", test_timeout);
  g_test_add_func ("/reflash/sim-drive/transport-error", test_transport_error);
  g_test_add_func ("/reflash/sim-drive/lost-status", test_lost_status);
  g_test_add_func ("/reflash/sim-drive/vanish", test_vanish);
  g_test_add_func ("/reflash/sim-drive/unit-attention-storm", test_unit_attention_storm);
  g_test_add_func ("/reflash/sim-drive/write-failure", test_write_failure);
  g_test_add_func ("/reflash/sim-drive/silent-flash", test_silent_flash);
  g_test_add_func ("/reflash/sim-drive/refusals", test_refusals);
  g_test_add_func ("/reflash/sim-drive/killed", test_killed);
  g_test_add_func ("/reflash/sim-drive/scenario-faults", test_scenario_faults);
  g_test_add ("/reflash/sim-drive/light/summary-agrees", StateDir, NULL, state_dir_setup,
              test_summary_agrees, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/light/release-after-flash", StateDir, NULL, state_dir_setup,
              test_release_after_flash, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/light/release-in-safe-mode", StateDir, NULL, state_dir_setup,
              test_release_in_safe_mode, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-flash", StateDir, NULL, state_dir_setup,
              test_persist_flash, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-mid-flash", StateDir, NULL, state_dir_setup,
              test_persist_mid_flash, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-power-loss", StateDir, NULL, state_dir_setup,
              test_persist_power_loss, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-fired-fault", StateDir, NULL, state_dir_setup,
              test_persist_fired_fault, state_dir_teardown);
  g_test_add_func ("/reflash/sim-drive/power-button-mid-timeout", test_power_button_mid_timeout);
  g_test_add ("/reflash/sim-drive/persist-in-place", StateDir, NULL, state_dir_setup,
              test_persist_in_place, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-erase-34-order", StateDir, NULL, state_dir_setup,
              test_persist_erase_34_order, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/catch-up", StateDir, NULL, state_dir_setup, test_catch_up,
              state_dir_teardown);
  g_test_add ("/reflash/sim-drive/persist-disc", StateDir, NULL, state_dir_setup,
              test_persist_disc, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/damaged-state", StateDir, NULL, state_dir_setup,
              test_damaged_state, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/unsaveable-state", StateDir, NULL, state_dir_setup,
              test_unsaveable_state, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/real-time-slices", StateDir, NULL, state_dir_setup,
              test_real_time_slices, state_dir_teardown);
  g_test_add ("/reflash/sim-drive/power-button-mid-erase", StateDir, NULL, state_dir_setup,
              test_power_button_mid_erase, state_dir_teardown);
  g_test_add_func ("/reflash/sim-drive/timing", test_timing);
  g_test_add_func ("/reflash/sim-drive/scenario-timing", test_scenario_timing);
  g_test_add_func ("/reflash/sim-drive/transport", test_transport);
  g_test_add_func ("/reflash/sim-drive/transport-limit-from-scenario",
                   test_transport_limit_from_scenario);

  return g_test_run ();
}
