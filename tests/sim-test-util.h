/* sim-test-util.h: small helpers the practice drive tests share. CDBs are built
 * here by hand from the tables of shared/protocols/, never with the code under
 * test.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <string.h>
#include <glib/gstdio.h>

#include "rf-core.h"
#include "rf-sim.h"

typedef struct {
  RfSimDrive *drive;
  RfTransport *transport;
  RfSimClock *clock;
  RfCommand command;
  GError *error;
} SimDrive;

/* A drive on a virtual clock at speed 0, state in memory only. */
static inline SimDrive *
sim_drive_new_from_scenario (const RfSimScenario *scenario,
                             const char          *state_path)
{
  SimDrive *sim = g_new0 (SimDrive, 1);
  g_autoptr(GError) error = NULL;

  sim->clock = rf_sim_clock_new (FALSE);
  rf_sim_clock_set_speed (sim->clock, 0.0);
  sim->drive = rf_sim_drive_new (scenario, state_path, sim->clock, &error);
  g_assert_no_error (error);
  sim->transport = rf_sim_transport_new (sim->drive);
  return sim;
}

static inline SimDrive *
sim_drive_open (const char *id,
                const char *state_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load (id, &error);

  g_assert_no_error (error);
  return sim_drive_new_from_scenario (scenario, state_path);
}

static inline void
sim_drive_free (SimDrive *sim)
{
  g_clear_error (&sim->error);
  g_clear_object (&sim->transport);
  g_assert_finalize_object (sim->drive);
  g_clear_object (&sim->clock);
  g_free (sim);
}

/* Sends a CDB. Returns TRUE when a status came back (read sim->command). */
static inline gboolean
sim_send (SimDrive     *sim,
          const guint8 *cdb,
          gsize         cdb_length,
          RfDirection   direction,
          guint8       *data,
          gsize         length)
{
  g_clear_error (&sim->error);
  g_assert_true (rf_command_init (&sim->command, cdb, cdb_length, direction, data, length, 20000));
  return rf_transport_execute (sim->transport, &sim->command, NULL, &sim->error);
}

static inline void
sim_assert_good (SimDrive *sim)
{
  g_assert_no_error (sim->error);
  g_assert_cmphex (sim->command.status, ==, 0x00);
}

static inline void
sim_assert_sense (SimDrive *sim,
                  guint8    key,
                  guint8    asc,
                  guint8    ascq)
{
  RfSense sense;

  g_assert_no_error (sim->error);
  g_assert_cmphex (sim->command.status, ==, 0x02);
  g_assert_true (rf_command_get_sense (&sim->command, &sense));
  g_assert_cmphex (sense.key, ==, key);
  g_assert_cmphex (sense.asc, ==, asc);
  g_assert_cmphex (sense.ascq, ==, ascq);
}

/* ---- standard commands ---- */

/* INQUIRY 12 00 00 00 60 00 into a 0x60 buffer. */
static inline void
sim_inquiry (SimDrive *sim,
             guint8    data[0x60])
{
  const guint8 cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x00 };

  memset (data, 0, 0x60);
  g_assert_true (sim_send (sim, cdb, 6, RF_DIRECTION_IN, data, 0x60));
  sim_assert_good (sim);
}

/* Bytes 32-35 of INQUIRY as a string. */
static inline char *
sim_revision (SimDrive *sim)
{
  guint8 data[0x60];

  sim_inquiry (sim, data);
  return g_strndup ((const char *) data + 32, 4);
}

static inline char *
sim_product (SimDrive *sim)
{
  guint8 data[0x60];

  sim_inquiry (sim, data);
  return g_strndup ((const char *) data + 16, 16);
}

static inline void
sim_assert_revision (SimDrive   *sim,
                     const char *revision)
{
  g_autofree char *got = sim_revision (sim);

  g_assert_cmpstr (got, ==, revision);
}

static inline void
sim_test_unit_ready (SimDrive *sim)
{
  const guint8 cdb[6] = { 0 };

  g_assert_true (sim_send (sim, cdb, 6, RF_DIRECTION_NONE, NULL, 0));
}

/* TEST UNIT READY until the power-on UNIT ATTENTION is gone. */
static inline void
sim_clear_unit_attention (SimDrive *sim)
{
  RfSense sense;

  for (guint i = 0; i < 10; i++)
    {
      sim_test_unit_ready (sim);
      if (!rf_command_get_sense (&sim->command, &sense) || sense.key != 0x06)
        return;
    }
  g_assert_not_reached ();
}

/* ---- NEC 2M (nec-2m.md §1) ---- */

static inline gboolean
nec_read_mem (SimDrive *sim,
              guint32   address,
              guint16   length,
              guint8   *data,
              gsize     size)
{
  const guint8 cdb[12] = { 0xCC, 0x00, address >> 24, address >> 16, address >> 8, address,
                           0x00, length >> 8, length, 0x00, 0x00, 0x00 };

  return sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, size);
}

static inline gboolean
nec_safe_mode (SimDrive   *sim,
               gboolean    enter,
               const char *key)
{
  const guint8 cdb[12] = { 0xCC, 0x01, enter ? 0x01 : 0x00, 0x00, key[0], key[1], key[2], key[3],
                           0x01, 0x00, 0x00, 0x00 };

  return sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0);
}

static inline gboolean
nec_send_checksum (SimDrive *sim,
                   guint16   sum)
{
  const guint8 cdb[12] = { 0xCC, 0x04, sum >> 8, sum & 0xff, 0, 0, 0, 0, 0, 0x00, 0, 0 };

  return sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0);
}

/* WRITE RAM nn=08, ar=00: 0x8000 bytes to @address */
static inline gboolean
nec_write_ram (SimDrive     *sim,
               guint32       address,
               const guint8 *data)
{
  const guint8 cdb[12] = { 0xCB, 0x01, address >> 24, address >> 16, address >> 8, address,
                           0x00, 0x00, 0x08, 0x00, 0x00, 0x00 };

  return sim_send (sim, cdb, 12, RF_DIRECTION_OUT, (guint8 *) data, 0x8000);
}

/* Block n: byte 8 - n/8, bit n mod 8 (§1), written out by hand. */
static inline void
nec_block_cdb (guint8 opcode2,
               guint  block,
               guint8 cdb[12])
{
  memset (cdb, 0, 12);
  cdb[0] = 0xCB;
  cdb[1] = opcode2;
  cdb[8 - block / 8] = (guint8) (1u << (block % 8));
}

static inline gboolean
nec_erase (SimDrive *sim,
           guint     block)
{
  guint8 cdb[12];

  nec_block_cdb (0x04, block, cdb);
  return sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0);
}

static inline gboolean
nec_program (SimDrive *sim,
             guint     block)
{
  guint8 cdb[12];

  nec_block_cdb (0x02, block, cdb);
  return sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0);
}

/* §3 steps 4-6: erase blocks 4-34, program 4-33, leave safe mode; each
 * command checked GOOD. */
static inline void
nec_erase_program_leave (SimDrive   *sim,
                         const char *key)
{
  for (guint block = 4; block <= 34; block++)
    {
      g_assert_true (nec_erase (sim, block));
      sim_assert_good (sim);
    }
  for (guint block = 4; block <= 33; block++)
    {
      g_assert_true (nec_program (sim, block));
      sim_assert_good (sim);
    }
  g_assert_true (nec_safe_mode (sim, FALSE, key));
  sim_assert_good (sim);
}

/* §3 steps 1-6, each command checked GOOD. @image is a §5 image. */
static inline void
nec_normal_flash (SimDrive   *sim,
                  const char *key,
                  GBytes     *image)
{
  const guint8 *img = g_bytes_get_data (image, NULL);

  g_assert_true (nec_safe_mode (sim, TRUE, key));
  sim_assert_good (sim);
  for (guint i = 0; i < 60; i++)
    {
      g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
      sim_assert_good (sim);
    }
  g_assert_true (nec_send_checksum (sim, (guint16) (img[0x1E0000] << 8 | img[0x1E0001])));
  sim_assert_good (sim);
  nec_erase_program_leave (sim, key);
}

/* Writes @text into a fresh temporary scenario file. */
static inline char *
sim_write_scenario (const char *dir,
                    const char *id,
                    const char *text)
{
  g_autofree char *file = g_strconcat (id, ".conf", NULL);
  char *path = g_build_filename (dir, file, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
  return path;
}

static inline RfSimScenario *
sim_scenario_from_text (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-XXXXXX", &error);
  g_autofree char *path = NULL;
  RfSimScenario *scenario;

  g_assert_no_error (error);
  path = sim_write_scenario (dir, "custom", text);
  scenario = rf_sim_scenario_load_file (path, &error);
  g_assert_no_error (error);
  g_unlink (path);
  g_rmdir (dir);
  return scenario;
}

/* Deletes a practice drive's saved state: its metadata and its flash file. */
static inline void
sim_remove_state (const char *state_path)
{
  g_autofree char *flash = g_strconcat (state_path, ".flash", NULL);

  g_unlink (state_path);
  g_unlink (flash);
}
