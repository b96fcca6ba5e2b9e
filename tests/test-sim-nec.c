/* test-sim-nec.c: the practice drive against nec-2m.md, command by command.
 * Expectations come from the spec's tables (§0, §1, §3, §5, §6), not from the
 * simulator's code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sim-test-util.h"

static void
test_inquiry_normal (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x60];
  guint8 short_data[0x24];
  const guint8 evpd[6] = { 0x12, 0x01, 0x00, 0x00, 0x60, 0x00 };
  const guint8 control[6] = { 0x12, 0x00, 0x00, 0x00, 0x60, 0x01 };
  const guint8 page[6] = { 0x12, 0x00, 0x80, 0x00, 0x60, 0x00 };
  const guint8 short_cdb[6] = { 0x12, 0x00, 0x00, 0x00, 0x24, 0x00 };

  sim_inquiry (sim, data);
  g_assert_cmphex (data[0], ==, 0x05);
  g_assert_cmpmem (data + 8, 8, "_NEC    ", 8);
  g_assert_cmpmem (data + 16, 16, "DVD_RW ND-3550A ", 16);
  g_assert_cmpmem (data + 32, 4, "1.05", 4);
  g_assert_cmpuint (sim->command.residual, ==, 0);

  /* The allocation length limits the transfer. */
  g_assert_true (sim_send (sim, short_cdb, 6, RF_DIRECTION_IN, short_data, sizeof short_data));
  sim_assert_good (sim);
  g_assert_cmpmem (short_data + 32, 4, "1.05", 4);

  g_assert_true (sim_send (sim, evpd, 6, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (sim_send (sim, control, 6, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (sim_send (sim, page, 6, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  sim_drive_free (sim);
}

static void
test_test_unit_ready (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  const guint8 bad[6] = { 0x00, 0x00, 0x00, 0x00, 0x01, 0x00 };

  /* Power-on: one UNIT ATTENTION 29/00 first. */
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x06, 0x29, 0x00);
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  g_assert_true (sim_send (sim, bad, 6, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);

  rf_sim_drive_set_disc (sim->drive, TRUE);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "steady");
  sim_clear_unit_attention (sim);
  sim_assert_good (sim);
  sim_drive_free (sim);
}

static void
test_read_mem (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x100];
  guint8 cdb[12] = { 0xCC, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00 };

  sim_clear_unit_attention (sim);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, sizeof data));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 4, "K355", 4);
  g_assert_cmpuint (sim->command.residual, ==, sizeof data - 0x20);

  g_assert_true (nec_read_mem (sim, 0x5F00, 0x80, data, sizeof data));
  sim_assert_good (sim);
  g_assert_cmpmem (data + 0x10, 4, "ND30", 4);
  g_assert_cmpmem (data + 0x20, 3, "NEC", 3);
  g_assert_cmpmem (data + 0x43, 4, "3550", 4);

  /* L rounded up to a multiple of 4. */
  g_assert_true (nec_read_mem (sim, 0x4800, 0x21, data, sizeof data));
  sim_assert_good (sim);
  g_assert_cmpuint (sizeof data - sim->command.residual, ==, 0x24);

  /* Every unnamed byte must be zero; dump-ID bytes 9-11 are zero for this family. */
  for (guint i = 9; i < 12; i++)
    {
      cdb[i] = i == 9 ? 0x52 : 0x01;
      g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, sizeof data));
      sim_assert_sense (sim, 0x05, 0x24, 0x00);
      cdb[i] = 0;
    }
  cdb[6] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[6] = 0;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_good (sim);

  g_assert_true (nec_read_mem (sim, 0x200000, 0x20, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x0000, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_read_mem_large (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autofree guint8 *data = g_malloc (0x9000);

  sim_clear_unit_attention (sim);
  g_assert_true (nec_read_mem (sim, 0x10000, 0x8000, data, 0x9000));
  sim_assert_good (sim);
  g_assert_true (nec_read_mem (sim, 0x10000, 0x8001, data, 0x9000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* The buffer must hold what the CDB asks for. */
  g_assert_true (nec_read_mem (sim, 0x10000, 0x1000, data, 0x800));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_safe_mode_keys (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x60];
  guint8 cdb[12] = { 0xCC, 0x01, 0x01, 0x00, 'K', '3', '5', '5', 0x01, 0x00, 0x00, 0x00 };

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K451"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "D355"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_assert_revision (sim, "1.05");

  /* Byte 8 is always 01, byte 3 zero, ee only 00 or 01. */
  cdb[8] = 0x00;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[8] = 0x01;
  cdb[3] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[3] = 0x00;
  cdb[2] = 0x02;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[2] = 0x01;
  cdb[11] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_assert_revision (sim, "1.05");

  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_good (sim);
  sim_inquiry (sim, data);
  g_assert_cmpmem (data + 32, 4, "0.05", 4);
  g_assert_cmpmem (data + 8, 8, "_NEC    ", 8);
  g_assert_cmpmem (data + 16, 16, "DVD_RW ND-3550A ", 16);
  /* Entering safe mode starts the blinking; it turns fast only while erasing. */
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  /* READ MEM works in safe mode too. */
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, 0x20));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 4, "K355", 4);

  /* Leave wants the bootcode's key too. */
  g_assert_true (nec_safe_mode (sim, FALSE, "K451"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, FALSE, "K355"));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  sim_drive_free (sim);
}

static const char d355_scenario[] =
  "[Scenario]\nName=D355\nDescription=A special ND-3550A\nProtocol=nec-2m\n"
  "[NEC]\nBootcodeKey=D355\nBootcodeVersion=05\nFirmwareRevision=1.G2\n";

/* binflash's D355 probe: a K355 refuses the D355 key, a D355 takes it. */
static void
test_d355_probe (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (d355_scenario);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  guint8 id[0x20];

  sim_clear_unit_attention (sim);
  sim_assert_revision (sim, "1.G2");
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, id, sizeof id));
  sim_assert_good (sim);
  g_assert_cmpmem (id, 4, "D355", 4);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "D355"));
  sim_assert_good (sim);
  sim_assert_revision (sim, "0.05");
  g_assert_true (nec_safe_mode (sim, FALSE, "D355"));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.G2");
  sim_drive_free (sim);
}

static void
test_seed (void)
{
  SimDrive *sim = sim_drive_open ("seed", NULL);
  guint8 data[0x80];
  g_autofree char *product = NULL;

  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_assert_revision (sim, "0.05");
  product = sim_product (sim);
  g_assert_cmpstr (product, ==, "DVD_RW ND-3550A ");
  sim_clear_unit_attention (sim);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, 0x20));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 4, "K451", 4);
  g_assert_true (nec_read_mem (sim, 0x5F00, 0x80, data, 0x80));
  sim_assert_good (sim);
  g_assert_cmpmem (data + 0x20, 3, "NEC", 3);
  g_assert_cmpmem (data + 0x43, 4, "4551", 4);
  /* Main firmware erased. */
  g_assert_true (nec_read_mem (sim, 0x10000, 0x80, data, 0x80));
  sim_assert_good (sim);
  for (guint i = 0; i < 0x80; i++)
    g_assert_cmphex (data[i], ==, 0xff);

  g_assert_true (nec_safe_mode (sim, TRUE, "K451"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_good (sim);
  /* §9 question 6, our choice: leave answers GOOD and the bootcode stays. */
  g_assert_true (nec_safe_mode (sim, FALSE, "K355"));
  sim_assert_good (sim);
  sim_assert_revision (sim, "0.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_drive_free (sim);
}

static void
test_checksum_rules (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  const guint8 *img = g_bytes_get_data (image, NULL);
  guint16 sum = (guint16) (img[0x1E0000] << 8 | img[0x1E0001]);
  guint8 cdb[12] = { 0xCC, 0x04, sum >> 8, sum & 0xff, 0, 0, 0, 0, 0, 0, 0, 0 };

  sim_clear_unit_attention (sim);
  /* Not in safe mode: refused. */
  g_assert_true (nec_send_checksum (sim, sum));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (guint i = 0; i < 60; i++)
    {
      g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
      sim_assert_good (sim);
    }
  g_assert_true (nec_send_checksum (sim, (guint16) (sum + 1)));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Area 01 (bootcode) and a non-zero index are refused. */
  cdb[9] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[9] = 0x00;
  cdb[8] = 0x04;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[8] = 0x00;
  cdb[7] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[7] = 0x00;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_good (sim);

  /* A power cycle loses RAM: the same sum no longer matches. */
  rf_sim_drive_power_cycle (sim->drive);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_good (sim);
  g_assert_true (nec_send_checksum (sim, sum));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_write_ram_fields (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autofree guint8 *data = g_malloc0 (0x8000);
  guint8 cdb[12] = { 0xCB, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00 };

  sim_clear_unit_attention (sim);
  /* Refused outside safe mode. */
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
  sim_assert_good (sim);
  cdb[9] = 0x01; /* ar=01: bootcode, never by Reflash */
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[9] = 0x00;
  cdb[8] = 0x00;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* §1: nn is always 08 (strict: any other is refused, even with data for it). */
  for (guint8 nn = 0x01; nn < 0x08; nn++)
    {
      cdb[8] = nn;
      g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
      sim_assert_sense (sim, 0x05, 0x24, 0x00);
    }
  cdb[8] = 0x08;
  cdb[7] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x8000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[7] = 0x00;
  /* Less data than nn × 0x1000. */
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, data, 0x4000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

/* §1 table, by hand: the block each (byte, value) names. */
static const struct {
  guint block;
  guint byte;
  guint8 value;
  guint32 start;
} mask_table[] = {
  { 4, 8, 0x10, 0x010000 },
  { 7, 8, 0x80, 0x040000 },
  { 8, 7, 0x01, 0x050000 },
  { 15, 7, 0x80, 0x0C0000 },
  { 16, 6, 0x01, 0x0D0000 },
  { 24, 5, 0x01, 0x150000 },
  { 31, 5, 0x80, 0x1C0000 },
  { 32, 4, 0x01, 0x1D0000 },
  { 33, 4, 0x02, 0x1E0000 },
  { 34, 4, 0x04, 0x1F0000 },
};

static void
test_block_masks (void)
{
  for (gsize t = 0; t < G_N_ELEMENTS (mask_table); t++)
    {
      SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
      g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
      g_autoptr(GBytes) after = NULL;
      const guint8 *a, *b;
      guint8 cdb[12] = { 0xCB, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

      cdb[mask_table[t].byte] = mask_table[t].value;
      sim_clear_unit_attention (sim);
      g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
      g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_NONE, NULL, 0));
      sim_assert_good (sim);
      after = rf_sim_drive_dup_flash (sim->drive);
      a = g_bytes_get_data (before, NULL);
      b = g_bytes_get_data (after, NULL);
      /* Exactly the 64 KiB block at its start is erased, nothing else. */
      for (guint32 i = 0; i < 0x200000; i += 0x100)
        {
          gboolean inside = i >= mask_table[t].start && i < mask_table[t].start + 0x10000;

          if (inside)
            g_assert_cmphex (b[i], ==, 0xff);
          else
            g_assert_cmphex (b[i], ==, a[i]);
        }
      sim_drive_free (sim);
    }
}

static void
test_block_masks_refused (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;
  static const guint8 bad[][12] = {
    { 0xCB, 0x04, 0, 0, 0, 0, 0, 0, 0x30, 0, 0, 0 },    /* two bits */
    { 0xCB, 0x04, 0, 0, 0x01, 0, 0, 0, 0x10, 0, 0, 0 }, /* two bytes */
    { 0xCB, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },       /* no bit */
    { 0xCB, 0x04, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0 },    /* block 35 */
    { 0xCB, 0x04, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0 },    /* block 48 */
    { 0xCB, 0x04, 0, 0, 0, 0, 0, 0, 0x10, 0x01, 0, 0 }, /* byte 9 */
    { 0xCB, 0x04, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0x01 }, /* byte 11 */
    { 0xCB, 0x02, 0, 0, 0, 0, 0, 0, 0x30, 0, 0, 0 },    /* program, two bits */
    { 0xCB, 0x03, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0 },    /* unknown subcommand */
    { 0xCB, 0x02, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0 },    /* program block 34 */
  };

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (sim_send (sim, bad[i], 12, RF_DIRECTION_NONE, NULL, 0));
      sim_assert_sense (sim, 0x05, 0x24, 0x00);
    }
  after = rf_sim_drive_dup_flash (sim->drive);
  g_assert_true (g_bytes_equal (before, after));
  sim_drive_free (sim);
}

static void
test_erase_program_semantics (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) before = rf_sim_drive_dup_flash (sim->drive);
  g_autoptr(GBytes) after = NULL;
  const guint8 *img = g_bytes_get_data (image, NULL);
  const guint8 *old = g_bytes_get_data (before, NULL);
  const guint8 *now;
  guint8 mem[0x1000];

  sim_clear_unit_attention (sim);
  /* Outside safe mode: refused. */
  g_assert_true (nec_erase (sim, 5));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_program (sim, 5));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);

  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  /* Block 4 = image 0x0000-0xFFFF, block 5 = 0x10000-0x1FFFF. */
  for (guint i = 0; i < 4; i++)
    {
      g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
      sim_assert_good (sim);
    }
  /* Block 4 erased then programmed: equals the image. Block 5 programmed over
   * old data: every byte is old AND new, as NOR flash does. */
  g_assert_true (nec_erase (sim, 4));
  sim_assert_good (sim);
  /* The light the wizard describes: fast while erasing, blinking while programming. */
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking-fast");
  g_assert_true (nec_program (sim, 4));
  sim_assert_good (sim);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  g_assert_true (nec_program (sim, 5));
  sim_assert_good (sim);
  after = rf_sim_drive_dup_flash (sim->drive);
  now = g_bytes_get_data (after, NULL);
  g_assert_cmpmem (now + 0x10000, 0x10000, img, 0x10000);
  for (guint i = 0; i < 0x10000; i++)
    g_assert_cmphex (now[0x20000 + i], ==, old[0x20000 + i] & img[0x10000 + i]);

  /* READ MEM returns flash, not the RAM upload buffer. */
  g_assert_true (nec_read_mem (sim, 0x20000, 0x1000, mem, sizeof mem));
  sim_assert_good (sim);
  g_assert_cmpmem (mem, sizeof mem, now + 0x20000, sizeof mem);
  sim_drive_free (sim);
}

static void
check_flash_result (SimDrive   *sim,
                    GBytes     *image,
                    const char *product,
                    const char *revision)
{
  const guint8 *img = g_bytes_get_data (image, NULL);
  g_autofree guint8 *mem = g_malloc (0x1000);
  g_autofree char *got_product = NULL;

  sim_assert_revision (sim, revision);
  /* After a power cycle too. */
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, revision);
  got_product = sim_product (sim);
  g_assert_cmpstr (got_product, ==, product);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  /* §3 step 8: the read-back matches the image. */
  sim_clear_unit_attention (sim);
  for (guint32 address = 0x10000; address < 0x1F0000; address += 0x1000)
    {
      g_assert_true (nec_read_mem (sim, address, 0x1000, mem, 0x1000));
      sim_assert_good (sim);
      g_assert_cmpmem (mem, 0x1000, img + address - 0x10000, 0x1000);
    }
}

static void
test_normal_flash_healthy (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");

  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  check_flash_result (sim, image, "DVD_RW ND-3550A ", "1.06");
  sim_drive_free (sim);
}

static void
test_normal_flash_seed (void)
{
  SimDrive *sim = sim_drive_open ("seed", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.05");
  guint8 id[0x20];

  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  check_flash_result (sim, image, "DVD_RW ND-3550A ", "1.05");
  /* A normal flash never touches the identity. */
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, id, sizeof id));
  g_assert_cmpmem (id, 4, "K451", 4);
  sim_drive_free (sim);
}

/* Identity comes from the display strings of what is in flash: flash any of the
 * five models' images onto K355 hardware and it reports that model. */
static void
test_identity_each_model (void)
{
  gsize n_types;
  const RfNecType *types = rf_nec_types (&n_types);
  static const char *const products[] = {
    "DVD_RW ND-3550A ", "DVD_RW ND-3550A ", "DVD_RW ND-3551A ", "DVD_RW ND-4550A ",
    "DVD_RW ND-4551A ",
  };

  g_assert_cmpuint (n_types, ==, G_N_ELEMENTS (products));
  for (gsize i = 0; i < n_types; i++)
    {
      SimDrive *sim = sim_drive_open (i % 2 == 0 ? "healthy-3550" : "seed", NULL);
      g_autoptr(GBytes) image = rf_nec_image_build_for_model (types[i].id, "05", "1.09");

      sim_clear_unit_attention (sim);
      nec_normal_flash (sim, "K355", image);
      check_flash_result (sim, image, products[i], "1.09");
      sim_drive_free (sim);
    }
}

/* The hidden stored sum: programming without an accepted checksum leaves the
 * main firmware invalid, so the drive comes up in safe mode. */
static void
test_flash_without_checksum (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  const guint8 *img = g_bytes_get_data (image, NULL);

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (guint i = 0; i < 60; i++)
    g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
  nec_erase_program_leave (sim, "K355");
  sim_assert_revision (sim, "0.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_drive_free (sim);
}

/* nec-2m.md §6, practice-drive model: only the latest SEND CHECKSUM counts. A
 * refused one forgets the sum accepted before it, so a flash programmed after
 * it leaves no stored sum and the drive comes up in safe mode. */
static void
test_refused_checksum_forgets (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  const guint8 *img = g_bytes_get_data (image, NULL);
  guint16 sum = (guint16) (img[0x1E0000] << 8 | img[0x1E0001]);

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (guint i = 0; i < 60; i++)
    g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
  g_assert_true (nec_send_checksum (sim, sum));
  sim_assert_good (sim);
  g_assert_true (nec_send_checksum (sim, (guint16) (sum + 1)));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  nec_erase_program_leave (sim, "K355");
  sim_assert_revision (sim, "0.05");
  sim_drive_free (sim);
}

/* Program without erasing first corrupts (AND): the sum no longer matches. */
static void
test_flash_without_erase (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  const guint8 *img = g_bytes_get_data (image, NULL);

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (guint i = 0; i < 60; i++)
    g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
  g_assert_true (nec_send_checksum (sim, (guint16) (img[0x1E0000] << 8 | img[0x1E0001])));
  sim_assert_good (sim);
  for (guint block = 4; block <= 33; block++)
    g_assert_true (nec_program (sim, block));
  g_assert_true (nec_safe_mode (sim, FALSE, "K355"));
  sim_assert_good (sim);
  sim_assert_revision (sim, "0.05");
  sim_drive_free (sim);
}

static void
test_interrupted_scenario (void)
{
  SimDrive *sim = sim_drive_open ("interrupted-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");

  sim_assert_revision (sim, "0.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K451"));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  nec_normal_flash (sim, "K355", image);
  check_flash_result (sim, image, "DVD_RW ND-3550A ", "1.06");
  sim_drive_free (sim);
}

static void
test_power_cycle_states (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);

  /* normal -> normal */
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "1.05");
  /* safe mode entered by command, valid firmware -> normal */
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_revision (sim, "0.05");
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "1.05");
  /* the session is gone: erase refused */
  sim_clear_unit_attention (sim);
  g_assert_true (nec_erase (sim, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* after an erase -> power-up safe mode, and it stays there */
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (nec_erase (sim, 20));
  sim_assert_good (sim);
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "0.05");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "0.05");
  /* power-up safe mode still needs SAFE MODE enter before writing */
  sim_clear_unit_attention (sim);
  g_assert_true (nec_erase (sim, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_unknown_commands (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  const guint8 unknown[12] = { 0xCE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  const guint8 read_buffer[10] = { 0x3C, 0x03, 0, 0, 0, 0, 0, 0, 4, 0 };
  const guint8 control_sub[12] = { 0xCC, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  const guint8 short_vendor[10] = { 0xCC, 0x00, 0, 0, 0x48, 0, 0, 0, 0x20, 0 };
  const guint8 unknown_short[10] = { 0xC5, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
  guint8 data[0x20];

  sim_clear_unit_attention (sim);
  g_assert_true (sim_send (sim, unknown, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  g_assert_true (sim_send (sim, read_buffer, 10, RF_DIRECTION_IN, data, 4));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  g_assert_true (sim_send (sim, control_sub, 12, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Every vendor CDB is 12 bytes. */
  g_assert_true (sim_send (sim, short_vendor, 10, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* An opcode this family does not have is unknown whatever its length. */
  g_assert_true (sim_send (sim, unknown_short, 10, RF_DIRECTION_NONE, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  sim_drive_free (sim);
}

static void
test_read_boot (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  const guint8 cdb[12] = { 0xCD, 0x00, 0x52, 0x44, 0x42, 0x4F, 0x4F, 0x54, 0, 0, 0, 0 };
  g_autofree guint8 *data = g_malloc (0x4000);
  g_autoptr(GBytes) flash = rf_sim_drive_dup_flash (sim->drive);

  sim_clear_unit_attention (sim);
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, 0x4000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_IN, data, 0x4000));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 0x4000, g_bytes_get_data (flash, NULL), 0x4000);
  sim_drive_free (sim);
}

static void
get_configuration (SimDrive *sim,
                   guint8   *data,
                   gsize     size)
{
  const guint8 cdb[10] = { 0x46, 0x00, 0x00, 0x00, 0, 0, 0, size >> 8, size & 0xff, 0 };

  memset (data, 0, size);
  g_assert_true (sim_send (sim, cdb, 10, RF_DIRECTION_IN, data, size));
  sim_assert_good (sim);
}

/* Feature 0x010C, Firmware Information, right after the header: an NEC drive
 * flashes by vendor commands and lists no 0x0104 (Microcode Upgrade). */
static void
test_get_configuration (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  g_autoptr(GBytes) other_model = rf_nec_image_build_for_model ("K451", "05", "1.05");
  g_autoptr(GBytes) same = rf_nec_image_build_for_model ("K355", "05", "1.05");
  guint8 data[64];

  sim_clear_unit_attention (sim);
  get_configuration (sim, data, sizeof data);
  g_assert_cmphex (data[8], ==, 0x01);
  g_assert_cmphex (data[9], ==, 0x0c);
  g_assert_cmphex (data[11], ==, 0x10);
  g_assert_cmpmem (data + 12, 14, "20050615120000", 14);
  g_assert_cmpuint ((guint) data[3] + 4, ==, 28);
  /* RT=2 for 0x0104: nothing but the header. */
  {
    const guint8 microcode[10] = { 0x46, 0x02, 0x01, 0x04, 0, 0, 0, 0, 64, 0 };

    g_assert_true (sim_send (sim, microcode, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_good (sim);
    g_assert_cmpuint ((guint) data[3] + 4, ==, 8);
  }

  /* RT=2: only the feature named in bytes 2-3. */
  {
    const guint8 one[10] = { 0x46, 0x02, 0x01, 0x0c, 0, 0, 0, 0, 64, 0 };
    const guint8 rt3[10] = { 0x46, 0x03, 0x00, 0x00, 0, 0, 0, 0, 64, 0 };
    const guint8 control[10] = { 0x46, 0x00, 0x00, 0x00, 0, 0, 0, 0, 64, 1 };
    const guint8 header_only[10] = { 0x46, 0x00, 0x00, 0x00, 0, 0, 0, 0, 8, 0 };

    memset (data, 0, sizeof data);
    g_assert_true (sim_send (sim, one, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_good (sim);
    g_assert_cmpuint ((guint) data[3] + 4, ==, 28);
    g_assert_cmphex (data[9], ==, 0x0c);
    g_assert_true (sim_send (sim, rt3, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_sense (sim, 0x05, 0x24, 0x00);
    g_assert_true (sim_send (sim, control, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_sense (sim, 0x05, 0x24, 0x00);
    /* The allocation length limits the transfer. */
    g_assert_true (sim_send (sim, header_only, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_good (sim);
    g_assert_cmpuint (sim->command.residual, ==, sizeof data - 8);
  }

  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  get_configuration (sim, data, sizeof data);
  g_assert_cmpuint ((guint) data[3] + 4, ==, 8);
  g_assert_true (nec_safe_mode (sim, FALSE, "K355"));

  /* Another firmware runs: its date is unknown. */
  nec_normal_flash (sim, "K355", image);
  get_configuration (sim, data, sizeof data);
  g_assert_cmpuint ((guint) data[3] + 4, ==, 8);
  /* Another model's image with the scenario's revision 1.05: still not the
   * firmware the scenario dates. */
  nec_normal_flash (sim, "K355", other_model);
  sim_assert_revision (sim, "1.05");
  get_configuration (sim, data, sizeof data);
  g_assert_cmpuint ((guint) data[3] + 4, ==, 8);
  /* The scenario's own firmware flashed back: dated again. */
  nec_normal_flash (sim, "K355", same);
  get_configuration (sim, data, sizeof data);
  g_assert_cmpuint ((guint) data[3] + 4, ==, 28);
  sim_drive_free (sim);
}

static void
test_bridge (void)
{
  SimDrive *sim = sim_drive_open ("bridge-3550", NULL);
  guint8 data[0x20];

  sim_assert_revision (sim, "1.05");
  sim_clear_unit_attention (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  sim_assert_revision (sim, "1.05");
  sim_drive_free (sim);
}

/* WRITE SETTINGS: CB 00 00 a2 a1 a0 00 l1 l0 00 00 00, settings area only. */
static void
test_write_settings (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 id[4] = { 'K', '4', '5', '1' };
  guint8 cdb[12] = { 0xCB, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x04, 0, 0, 0 };
  guint8 data[0x20];

  sim_clear_unit_attention (sim);
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, id, sizeof id));
  sim_assert_good (sim);
  g_assert_true (nec_read_mem (sim, 0x4800, 0x20, data, sizeof data));
  g_assert_cmpmem (data, 4, "K451", 4);
  /* Byte 2 is zero (24-bit address); the main firmware is out of reach. */
  cdb[2] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, id, sizeof id));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  cdb[2] = 0x00;
  cdb[3] = 0x01;
  g_assert_true (sim_send (sim, cdb, 12, RF_DIRECTION_OUT, id, sizeof id));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* The identity changed, the firmware did not. */
  sim_assert_revision (sim, "1.05");
  sim_drive_free (sim);
}

/* Bytes 36-55 of INQUIRY: the display strings' 20-byte vendor-specific field. */
static void
test_vendor_specific (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  RfNecImageSpec spec = {
    .drive_id = "K355", .bootcode_version = "05", .vendor = "_NEC",
    .product = "DVD_RW ND-3550A", .revision = "1.06", .vendor_specific = "2005/09/01 build 7",
  };
  g_autoptr(GBytes) image = rf_nec_image_build (&spec);
  guint8 data[0x60];

  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  sim_inquiry (sim, data);
  g_assert_cmpmem (data + 32, 4, "1.06", 4);
  g_assert_cmpmem (data + 36, 20, "2005/09/01 build 7  ", 20);
  sim_drive_free (sim);
}

/* Our model: without the bootcode (block 0 erased) the drive never answers. */
static void
test_erased_bootcode (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  guint8 data[0x60];
  const guint8 inquiry[6] = { 0x12, 0, 0, 0, 0x60, 0 };

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (nec_erase (sim, 0));
  sim_assert_good (sim);
  rf_sim_drive_power_cycle (sim->drive);
  g_assert_false (sim_send (sim, inquiry, 6, RF_DIRECTION_IN, data, sizeof data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_TIMED_OUT);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  sim_drive_free (sim);
}

/* The same dead drive behind a bridge that blocks vendor commands: still no
 * answer, not an INQUIRY made up from erased flash. */
static void
test_erased_bootcode_bridge (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-nec-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "healthy-3550", NULL);
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load ("healthy-3550", &error);
  SimDrive *sim = sim_drive_open ("healthy-3550", path);
  guint8 data[0x60];
  const guint8 inquiry[6] = { 0x12, 0, 0, 0, 0x60, 0 };

  g_assert_no_error (error);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  g_assert_true (nec_erase (sim, 0));
  sim_assert_good (sim);
  sim_drive_free (sim);
  scenario->bridge_blocks_vendor = TRUE;
  sim = sim_drive_new_from_scenario (scenario, path);
  g_assert_false (sim_send (sim, inquiry, 6, RF_DIRECTION_IN, data, sizeof data));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_TIMED_OUT);
  sim_drive_free (sim);
  sim_remove_state (path);
  g_assert_no_errno (g_rmdir (dir));
}

/* §1: "all unnamed bytes are 0x00". Each command below is GOOD as written; with
 * any one of its unnamed bytes (or a fixed field) changed it must be refused. */
static const struct {
  const char *name;
  guint8 cdb[12];
  RfDirection direction;
  gsize length;
  guint8 must_be_zero[9];
} unnamed_bytes[] = {
  { "READ MEM", { 0xCC, 0x00, 0x00, 0x00, 0x48, 0x00, 0x00, 0x00, 0x20, 0, 0, 0 },
    RF_DIRECTION_IN, 0x20, { 6, 9, 10, 11 } },
  { "SAFE MODE", { 0xCC, 0x01, 0x01, 0x00, 'K', '3', '5', '5', 0x01, 0, 0, 0 },
    RF_DIRECTION_NONE, 0, { 3, 9, 10, 11 } },
  /* RAM is all 0xFF after power-up: its word sum is 0x0000. */
  { "SEND CHECKSUM", { 0xCC, 0x04, 0x00, 0x00, 0, 0, 0, 0, 0, 0x00, 0, 0 },
    RF_DIRECTION_NONE, 0, { 4, 5, 6, 7, 8, 9, 10, 11 } },
  { "WRITE RAM", { 0xCB, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0, 0 },
    RF_DIRECTION_OUT, 0x8000, { 6, 7, 9, 10, 11 } },
  { "ERASE BLOCK", { 0xCB, 0x04, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0 },
    RF_DIRECTION_NONE, 0, { 9, 10, 11 } },
  { "PROGRAM BLOCK", { 0xCB, 0x02, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0 },
    RF_DIRECTION_NONE, 0, { 9, 10, 11 } },
};

static void
test_unnamed_bytes (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autofree guint8 *data = g_malloc (0x8000);

  memset (data, 0xff, 0x8000);
  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (gsize c = 0; c < G_N_ELEMENTS (unnamed_bytes); c++)
    {
      guint8 cdb[12];

      memcpy (cdb, unnamed_bytes[c].cdb, sizeof cdb);
      g_test_message ("%s", unnamed_bytes[c].name);
      g_assert_true (sim_send (sim, cdb, 12, unnamed_bytes[c].direction, data,
                               unnamed_bytes[c].length));
      sim_assert_good (sim);
      /* The lowest and the highest bit: a check on one bit only would miss one. */
      for (gsize i = 0; i < G_N_ELEMENTS (unnamed_bytes[c].must_be_zero); i++)
        {
          guint byte = unnamed_bytes[c].must_be_zero[i];

          if (byte == 0)
            break;
          for (guint8 flip = 0x01; flip != 0; flip = flip == 0x01 ? 0x80 : 0)
            {
              cdb[byte] ^= flip;
              g_assert_true (sim_send (sim, cdb, 12, unnamed_bytes[c].direction, data,
                                       unnamed_bytes[c].length));
              sim_assert_sense (sim, 0x05, 0x24, 0x00);
              cdb[byte] ^= flip;
            }
        }
    }
  sim_drive_free (sim);
}

/* The shipped power-cut scenario: the flash stops at the tenth erase, the drive
 * comes back in safe mode, and a second complete run recovers it. */
static void
test_power_cut_scenario (void)
{
  SimDrive *sim = sim_drive_open ("power-cut-3550", NULL);
  g_autoptr(GBytes) image = rf_nec_image_build_for_model ("K355", "05", "1.06");
  const guint8 *img = g_bytes_get_data (image, NULL);
  guint block;

  sim_clear_unit_attention (sim);
  g_assert_true (nec_safe_mode (sim, TRUE, "K355"));
  for (guint i = 0; i < 60; i++)
    g_assert_true (nec_write_ram (sim, 0x10000 + i * 0x8000, img + i * 0x8000));
  g_assert_true (nec_send_checksum (sim, (guint16) (img[0x1E0000] << 8 | img[0x1E0001])));
  for (block = 4; block <= 34 && nec_erase (sim, block); block++)
    sim_assert_good (sim);
  g_assert_cmpuint (block, ==, 13);
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  sim_assert_revision (sim, "0.05");
  sim_clear_unit_attention (sim);
  nec_normal_flash (sim, "K355", image);
  check_flash_result (sim, image, "DVD_RW ND-3550A ", "1.06");
  sim_drive_free (sim);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-nec/inquiry-normal", test_inquiry_normal);
  g_test_add_func ("/reflash/sim-nec/test-unit-ready", test_test_unit_ready);
  g_test_add_func ("/reflash/sim-nec/read-mem", test_read_mem);
  g_test_add_func ("/reflash/sim-nec/read-mem-large", test_read_mem_large);
  g_test_add_func ("/reflash/sim-nec/safe-mode-keys", test_safe_mode_keys);
  g_test_add_func ("/reflash/sim-nec/d355-probe", test_d355_probe);
  g_test_add_func ("/reflash/sim-nec/seed", test_seed);
  g_test_add_func ("/reflash/sim-nec/checksum-rules", test_checksum_rules);
  g_test_add_func ("/reflash/sim-nec/write-ram-fields", test_write_ram_fields);
  g_test_add_func ("/reflash/sim-nec/block-masks", test_block_masks);
  g_test_add_func ("/reflash/sim-nec/block-masks-refused", test_block_masks_refused);
  g_test_add_func ("/reflash/sim-nec/erase-program-semantics", test_erase_program_semantics);
  g_test_add_func ("/reflash/sim-nec/normal-flash-healthy", test_normal_flash_healthy);
  g_test_add_func ("/reflash/sim-nec/normal-flash-seed", test_normal_flash_seed);
  g_test_add_func ("/reflash/sim-nec/identity-each-model", test_identity_each_model);
  g_test_add_func ("/reflash/sim-nec/flash-without-checksum", test_flash_without_checksum);
  g_test_add_func ("/reflash/sim-nec/refused-checksum-forgets", test_refused_checksum_forgets);
  g_test_add_func ("/reflash/sim-nec/flash-without-erase", test_flash_without_erase);
  g_test_add_func ("/reflash/sim-nec/interrupted-scenario", test_interrupted_scenario);
  g_test_add_func ("/reflash/sim-nec/power-cut-scenario", test_power_cut_scenario);
  g_test_add_func ("/reflash/sim-nec/power-cycle-states", test_power_cycle_states);
  g_test_add_func ("/reflash/sim-nec/unknown-commands", test_unknown_commands);
  g_test_add_func ("/reflash/sim-nec/read-boot", test_read_boot);
  g_test_add_func ("/reflash/sim-nec/get-configuration", test_get_configuration);
  g_test_add_func ("/reflash/sim-nec/bridge", test_bridge);
  g_test_add_func ("/reflash/sim-nec/write-settings", test_write_settings);
  g_test_add_func ("/reflash/sim-nec/unnamed-bytes", test_unnamed_bytes);
  g_test_add_func ("/reflash/sim-nec/erased-bootcode-bridge", test_erased_bootcode_bridge);
  g_test_add_func ("/reflash/sim-nec/vendor-specific", test_vendor_specific);
  g_test_add_func ("/reflash/sim-nec/erased-bootcode", test_erased_bootcode);

  return g_test_run ();
}
