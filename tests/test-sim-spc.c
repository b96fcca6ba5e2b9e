/* test-sim-spc.c: the practice drive against spc-download.md: WRITE BUFFER modes
 * 5, 7, 0x0E + 0x0F, READ BUFFER modes 3 and 2, activation, settle, boot mode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sim-test-util.h"

/* WRITE BUFFER: 3B mode id off(3) len(3) 00 */
static gboolean
write_buffer (SimDrive     *sim,
              guint8        mode,
              guint8        buffer_id,
              guint32       offset,
              const guint8 *data,
              guint32       length)
{
  const guint8 cdb[10] = { 0x3B, mode, buffer_id, offset >> 16, offset >> 8, offset,
                           length >> 16, length >> 8, length, 0x00 };

  return sim_send (sim, cdb, 10, length > 0 ? RF_DIRECTION_OUT : RF_DIRECTION_NONE,
                   (guint8 *) data, length);
}

/* READ BUFFER: 3C mode id off(3) alloc(3) 00 */
static gboolean
read_buffer (SimDrive *sim,
             guint8    mode,
             guint8    buffer_id,
             guint32   offset,
             guint8   *data,
             guint32   length)
{
  const guint8 cdb[10] = { 0x3C, mode, buffer_id, offset >> 16, offset >> 8, offset,
                           length >> 16, length >> 8, length, 0x00 };

  return sim_send (sim, cdb, 10, RF_DIRECTION_IN, data, length);
}

/* Sends @image in @chunk-sized pieces at rising offsets; every piece but the last
 * must answer GOOD. Leaves the last command's outcome in sim. */
static gboolean
download (SimDrive *sim,
          guint8    mode,
          GBytes   *image,
          guint32   chunk)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  gboolean answered = TRUE;

  for (guint32 offset = 0; offset < size; offset += chunk)
    {
      guint32 length = MIN (chunk, (guint32) size - offset);

      answered = write_buffer (sim, mode, 0, offset, data + offset, length);
      if (offset + length < size)
        sim_assert_good (sim);
    }
  return answered;
}

static void
assert_attentions_then_ready (SimDrive *sim,
                              gboolean  changed)
{
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x06, 0x29, 0x00);
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x06, 0x3f, 0x01);
  if (changed)
    {
      sim_test_unit_ready (sim);
      sim_assert_sense (sim, 0x06, 0x3f, 0x03);
    }
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
}

static const char single_text[] =
  "[Scenario]\nName=S\nDescription=Single\nProtocol=spc-download\nMaxTransfer=0x40000\n"
  "[SPC]\nVendor=REFLASH\nProduct=SINGLE\nRevision=5.00\nBootRevision=BOOT\nVariant=single\n"
  "OffsetBoundary=255\nBufferCapacity=0x20000\nImageSize=0x20000\nModelCheckOffset=0x40\n"
  "RevisionOffset=0x60\nActivationDropsConnection=true\n";

static void
test_descriptor (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  guint8 data[4] = { 0 };

  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x03, 0x00, 0, data, 4));
  sim_assert_good (sim);
  /* boundary 2^2, capacity 0x100000 */
  g_assert_cmpmem (data, 4, "\x02\x10\x00\x00", 4);
  g_assert_true (read_buffer (sim, 0x03, 0x01, 0, data, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (read_buffer (sim, 0x0F, 0x00, 0, data, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Mode-specific bits and a non-zero offset are refused for the descriptor. */
  g_assert_true (read_buffer (sim, 0x23, 0x00, 0, data, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (read_buffer (sim, 0x03, 0x00, 4, data, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static const char no_descriptor_text[] =
  "[Scenario]\nName=N\nDescription=No descriptor\nProtocol=spc-download\nMaxTransfer=0x40000\n"
  "[SPC]\nVendor=REFLASH\nProduct=NODESC\nRevision=2.00\nVariant=offsets\nBufferId=3\n"
  "OffsetBoundary=4\nBufferCapacity=0x20000\nImageSize=0x20000\nModelCheckOffset=0x40\n"
  "RevisionOffset=0x60\n@DESCRIPTOR@";

static RfSimScenario *
no_descriptor_scenario (const char *descriptor)
{
  g_autoptr(GString) text = g_string_new (no_descriptor_text);

  g_string_replace (text, "@DESCRIPTOR@", descriptor, 1);
  return sim_scenario_from_text (text->str);
}

/* Descriptor=false: READ BUFFER mode 3 is refused with 05/24/00, whatever else
 * the drive answers; the boundary and capacity it does not tell still bind the
 * download, which it takes as before. */
static void
test_no_descriptor (void)
{
  g_autoptr(RfSimScenario) scenario = no_descriptor_scenario ("Descriptor=false\n");
  g_autoptr(RfSimScenario) answering = no_descriptor_scenario ("");
  g_autoptr(RfSimScenario) told = no_descriptor_scenario ("Descriptor=true\n");
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (scenario, NULL, "2.01");
  const guint8 *data = g_bytes_get_data (image, NULL);
  guint8 buffer[0x100];

  g_assert_false (scenario->descriptor);
  /* Without the key the drive answers, as every shipped scenario does. */
  g_assert_true (answering->descriptor);
  g_assert_true (told->descriptor);

  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x03, 3, 0, buffer, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* READ BUFFER as such works: the running image reads back. */
  g_assert_true (read_buffer (sim, 0x02, 3, 0, buffer, sizeof buffer));
  sim_assert_good (sim);
  g_assert_cmpmem (buffer + 0x40, 6, "NODESC", 6);
  /* Offset not a multiple of 2^4, and beyond the capacity: refused. */
  g_assert_true (write_buffer (sim, 0x07, 3, 0, data, 0x1000));
  sim_assert_good (sim);
  g_assert_true (write_buffer (sim, 0x07, 3, 0x1008, data + 0x1000, 0x1000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (write_buffer (sim, 0x07, 3, 0x1000, data + 0x1000, 0x20000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Chunks within them are taken, from offset 0 again. */
  for (guint32 offset = 0; offset < 0x20000; offset += 0x8000)
    {
      g_assert_true (write_buffer (sim, 0x07, 3, offset, data + offset, 0x8000));
      sim_assert_good (sim);
    }
  sim_assert_revision (sim, "2.01");
  assert_attentions_then_ready (sim, TRUE);
  /* Still no descriptor with the new microcode. */
  g_assert_true (read_buffer (sim, 0x03, 3, 0, buffer, 4));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

/* GET CONFIGURATION: feature 0x0104's M5 bit says whether mode 5 works; 0x010C
 * carries the firmware date while the starting revision runs. */
static void
test_configuration (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(RfSimScenario) single = sim_scenario_from_text (single_text);
  SimDrive *single_sim = sim_drive_new_from_scenario (single, NULL);
  const guint8 cdb[10] = { 0x46, 0x00, 0x00, 0x00, 0, 0, 0, 0, 64, 0 };
  guint8 data[64] = { 0 };

  sim_clear_unit_attention (sim);
  g_assert_true (sim_send (sim, cdb, 10, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_good (sim);
  g_assert_cmphex (data[8] << 8 | data[9], ==, 0x0104);
  g_assert_cmphex (data[12] & 0x01, ==, 0x00);
  g_assert_cmphex (data[16] << 8 | data[17], ==, 0x010c);
  g_assert_cmpmem (data + 20, 14, "20100102030405", 14);

  sim_clear_unit_attention (single_sim);
  g_assert_true (sim_send (single_sim, cdb, 10, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_good (single_sim);
  g_assert_cmphex (data[12] & 0x01, ==, 0x01);
  sim_drive_free (single_sim);

  /* Microcode with the starting revision but other bytes is another firmware:
   * no date. */
  {
    const RfSimScenario *scenario = rf_sim_drive_get_scenario (sim->drive);
    g_autoptr(GBytes) start = rf_sim_spc_image_new (scenario, NULL, "1.00");
    gsize size = 0;
    g_autofree guint8 *other = g_memdup2 (g_bytes_get_data (start, &size), g_bytes_get_size (start));
    g_autoptr(GBytes) other_bytes = NULL;

    other[size - 1] ^= 0xff;
    other_bytes = g_bytes_new (other, size);
    g_assert_true (download (sim, 0x07, other_bytes, 0x10000));
    sim_assert_good (sim);
    rf_sim_drive_power_cycle (sim->drive);
    sim_assert_revision (sim, "1.00");
    sim_clear_unit_attention (sim);
    g_assert_true (sim_send (sim, cdb, 10, RF_DIRECTION_IN, data, sizeof data));
    sim_assert_good (sim);
    g_assert_cmpuint ((guint) data[3] + 4, ==, 16);
  }
  sim_drive_free (sim);
}

static void
test_dump (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.00");
  g_autofree guint8 *data = g_malloc (0x10000);

  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x02, 0x00, 0, data, 0x10000));
  sim_assert_good (sim);
  g_assert_cmpmem (data + 0x40, 16, "PRACTICE SPC    ", 16);
  g_assert_cmpmem (data + 0x50, 4, "1.00", 4);
  g_assert_cmpmem (data, 0x10000, g_bytes_get_data (image, NULL), 0x10000);
  /* Beyond the image: refused. */
  g_assert_true (read_buffer (sim, 0x02, 0x00, 0xF8000, data, 0x10000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

/* The family's DumpBufferId and DumpLength read the practice drive's whole
 * image back, and not a byte more. */
static void
test_dump_family_data (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.00");
  g_autofree guint8 *data = g_malloc (0x10000);
  const RfSpcDownload *download;
  guint32 last;

  g_assert_no_error (error);
  download = &rf_drive_db_lookup (db, "spc-generic")->download;
  g_assert_true (download->has_dump);
  g_assert_cmpuint (download->dump_length, ==, g_bytes_get_size (image));
  last = download->dump_length - 0x10000;
  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x02, download->dump_buffer_id, last, data, 0x10000));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 0x10000, (const guint8 *) g_bytes_get_data (image, NULL) + last, 0x10000);
  g_assert_true (read_buffer (sim, 0x02, download->dump_buffer_id, last + 1, data, 0x10000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_drive_free (sim);
}

static void
test_offsets_download (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");

  sim_clear_unit_attention (sim);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.01");
  assert_attentions_then_ready (sim, TRUE);
  /* The download was saved: it survives a power cycle. */
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "1.01");
  sim_drive_free (sim);
}

static void
test_settle (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");

  sim_clear_unit_attention (sim);
  rf_sim_clock_set_speed (sim->clock, 1.0);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  /* Default settle 15 s: not ready until it has passed. */
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x04, 0x01);
  g_assert_true (rf_clock_sleep_us (RF_CLOCK (sim->clock), 14000000, NULL, NULL));
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x04, 0x01);
  g_assert_true (rf_clock_sleep_us (RF_CLOCK (sim->clock), 1000000, NULL, NULL));
  assert_attentions_then_ready (sim, TRUE);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "off");
  sim_drive_free (sim);
}

/* 02/04/01 answers to TEST UNIT READY in a transcript. */
static guint
count_becoming_ready (RfRecorder *transcript)
{
  guint count = 0;

  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      if (entry->cdb[0] == 0x00 && entry->status == 0x02 && (entry->sense[2] & 0x0f) == 0x02 &&
          entry->sense[12] == 0x04 && entry->sense[13] == 0x01)
        count++;
    }
  return count;
}

/* Reflash's deep check right after an activation waits the settle out on the
 * drive's clock: at speeds 1 and 10 it asks as often as it would a real drive
 * settling 15 s, at once on a virtual clock; at speed 0 the settle is over
 * before the first question. */
static void
test_probe_waits_out_settle (gconstpointer data)
{
  const double *speed = data;
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  RfClock *clock = rf_transport_get_clock (sim->transport);
  gint64 start;

  g_assert_no_error (error);
  g_assert_true (clock == RF_CLOCK (sim->clock));
  sim_clear_unit_attention (sim);
  rf_sim_clock_set_speed (sim->clock, *speed);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);

  start = rf_clock_get_now_us (clock);
  device = rf_device_new_for_transport ("practice:settle", sim->transport, "practice-settle");
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  transcript = rf_device_dup_transcript (device);
  if (*speed == 0.0)
    {
      g_assert_cmpuint (count_becoming_ready (transcript), ==, 0);
    }
  else
    {
      /* The passive look's, then the deep check's at 0, 2, ..., 14 s. */
      g_assert_cmpuint (count_becoming_ready (transcript), ==, 1 + 8);
      g_assert_cmpint (rf_clock_get_now_us (clock) - start, >=, 15 * G_USEC_PER_SEC);
    }
  g_clear_object (&transcript);
  g_clear_object (&device);
  sim_drive_free (sim);
}

static void
test_chunk_rules (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  const guint8 *data = g_bytes_get_data (image, NULL);
  const guint8 bad_control[10] = { 0x3B, 0x07, 0, 0, 0, 0, 0, 0, 0x10, 0x01 };

  sim_clear_unit_attention (sim);
  /* Offset not a multiple of 2^2. */
  g_assert_true (write_buffer (sim, 0x07, 0, 2, data, 0x100));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Beyond the capacity. */
  g_assert_true (write_buffer (sim, 0x07, 0, 0xFF000, data, 0x2000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Another buffer ID, another variant's modes, mode-specific bits. */
  g_assert_true (write_buffer (sim, 0x07, 1, 0, data, 0x100));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (write_buffer (sim, 0x05, 0, 0, data, 0x100));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (write_buffer (sim, 0x0E, 0, 0, data, 0x100));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (write_buffer (sim, 0x27, 0, 0, data, 0x100));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (sim_send (sim, bad_control, 10, RF_DIRECTION_OUT, (guint8 *) data, 0x10));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* Chunks come in order: a gap is refused. */
  g_assert_true (write_buffer (sim, 0x07, 0, 0, data, 0x1000));
  sim_assert_good (sim);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  g_assert_true (write_buffer (sim, 0x07, 0, 0x2000, data + 0x2000, 0x1000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* A power cycle discards the buffer: the old microcode runs. */
  rf_sim_drive_power_cycle (sim->drive);
  sim_clear_unit_attention (sim);
  g_assert_true (write_buffer (sim, 0x07, 0, 0x1000, data + 0x1000, 0x1000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  sim_assert_revision (sim, "1.00");
  sim_drive_free (sim);
}

static void
test_wrong_model (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive),
                                                  "OTHER DVD-RW", "2.00");

  sim_clear_unit_attention (sim);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_sense (sim, 0x05, 0x2c, 0x00);
  sim_assert_revision (sim, "1.00");
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  sim_drive_free (sim);
}

static const char deferred_text[] =
  "[Scenario]\nName=D\nDescription=Deferred\nProtocol=spc-download\n"
  "[SPC]\nVendor=REFLASH\nProduct=DEFERRED\nRevision=3.00\nVariant=deferred\nBufferId=4\n"
  "OffsetBoundary=9\nBufferCapacity=0x40000\nImageSize=0x20000\nModelCheckOffset=0\n"
  "RevisionOffset=0x10\n";

static void
test_deferred (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (deferred_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (scenario, NULL, "3.01");
  const guint8 *data = g_bytes_get_data (image, NULL);
  guint8 descriptor[4];

  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x03, 4, 0, descriptor, 4));
  sim_assert_good (sim);
  g_assert_cmpmem (descriptor, 4, "\x09\x04\x00\x00", 4);
  /* 0x0F with nothing deferred */
  g_assert_true (write_buffer (sim, 0x0F, 0, 0, NULL, 0));
  sim_assert_sense (sim, 0x05, 0x2c, 0x00);
  for (guint32 offset = 0; offset < 0x20000; offset += 0x8000)
    {
      g_assert_true (write_buffer (sim, 0x0E, 4, offset, data + offset, 0x8000));
      sim_assert_good (sim);
    }
  /* Saved, not active yet. */
  sim_assert_revision (sim, "3.00");
  g_assert_true (write_buffer (sim, 0x0F, 0, 0, NULL, 0));
  sim_assert_good (sim);
  sim_assert_revision (sim, "3.01");
  assert_attentions_then_ready (sim, TRUE);

  /* Deferred again, then a power cycle activates it instead of 0x0F. */
  g_bytes_unref (image);
  image = rf_sim_spc_image_new (scenario, NULL, "3.02");
  data = g_bytes_get_data (image, NULL);
  for (guint32 offset = 0; offset < 0x20000; offset += 0x8000)
    g_assert_true (write_buffer (sim, 0x0E, 4, offset, data + offset, 0x8000));
  sim_assert_revision (sim, "3.01");
  rf_sim_drive_power_cycle (sim->drive);
  sim_assert_revision (sim, "3.02");
  sim_drive_free (sim);
}


static void
test_single (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (single_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (scenario, NULL, "5.01");
  const guint8 *data = g_bytes_get_data (image, NULL);
  guint8 descriptor[4];

  sim_clear_unit_attention (sim);
  g_assert_true (read_buffer (sim, 0x03, 0, 0, descriptor, 4));
  g_assert_cmpmem (descriptor, 4, "\xff\x02\x00\x00", 4);
  /* 0xFF: offset 0, the whole image in one command. */
  g_assert_true (write_buffer (sim, 0x05, 0, 0, data, 0x10000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (write_buffer (sim, 0x07, 0, 0, data, 0x20000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  /* The drive restarts before it answers: no status. */
  g_assert_false (write_buffer (sim, 0x05, 0, 0, data, 0x20000));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_READ);
  sim_assert_revision (sim, "5.01");
  assert_attentions_then_ready (sim, TRUE);
  sim_drive_free (sim);
}

/* Power fails while the drive saves: boot mode, which accepts a new download. */
static void
test_boot_mode (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  RfSimFault fault;
  guint8 data[16];

  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_UPLOAD, 16);
  fault.byte_offset = 0;
  rf_sim_drive_add_fault (sim->drive, &fault);
  sim_clear_unit_attention (sim);
  g_assert_false (download (sim, 0x07, image, 0x10000));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_DEVICE_GONE);
  sim_assert_revision (sim, "0000");
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, "blinking");
  sim_clear_unit_attention (sim);
  /* Nothing to dump in boot mode. */
  g_assert_true (read_buffer (sim, 0x02, 0, 0, data, sizeof data));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.01");
  sim_drive_free (sim);
}

static const char boot_refuses_text[] =
  "[Scenario]\nName=B\nDescription=Boot\nProtocol=spc-download\n"
  "[SPC]\nVendor=REFLASH\nProduct=BOOTONLY\nRevision=1.00\nVariant=offsets\n"
  "BufferCapacity=0x10000\nImageSize=0x10000\nModelCheckOffset=0\nRevisionOffset=0x10\n"
  "BootMode=true\nBootModeAcceptsDownload=false\n";

static void
test_boot_refuses (void)
{
  g_autoptr(RfSimScenario) scenario = sim_scenario_from_text (boot_refuses_text);
  SimDrive *sim = sim_drive_new_from_scenario (scenario, NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (scenario, NULL, "1.01");

  sim_assert_revision (sim, "0000");
  sim_clear_unit_attention (sim);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_sense (sim, 0x05, 0x2c, 0x00);
  sim_assert_revision (sim, "0000");
  sim_drive_free (sim);
}

static void
test_flash_faults (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  RfSimFault fault;

  sim_clear_unit_attention (sim);
  rf_sim_fault_init (&fault, RF_SIM_FAULT_WRITE_FAILURE, RF_SIM_PHASE_UPLOAD, 16);
  rf_sim_drive_add_fault (sim->drive, &fault);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_sense (sim, 0x03, 0x73, 0x04);
  sim_assert_revision (sim, "1.00");

  rf_sim_fault_init (&fault, RF_SIM_FAULT_SILENT_FLASH, RF_SIM_PHASE_UPLOAD, 0);
  rf_sim_drive_add_fault (sim->drive, &fault);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.00");
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  sim_drive_free (sim);
}

static void
test_bridge_blocks_write_buffer (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load ("spc-generic", &error);
  SimDrive *sim;
  guint8 data[4];

  g_assert_no_error (error);
  scenario->bridge_blocks_vendor = TRUE;
  sim = sim_drive_new_from_scenario (scenario, NULL);
  sim_clear_unit_attention (sim);
  g_assert_true (write_buffer (sim, 0x07, 0, 0, data, 4));
  sim_assert_sense (sim, 0x05, 0x20, 0x00);
  g_assert_true (read_buffer (sim, 0x03, 0, 0, data, 4));
  sim_assert_good (sim);
  sim_drive_free (sim);
}

/* Without CAP_SYS_RAWIO on a read-only or sr node the kernel lets the reads of
 * an identification through and refuses WRITE BUFFER (ARCHITECTURE.md
 * "Privileges"): a rehearsed flash stops where a real one would, before the
 * drive sees anything. */
static void
test_no_rawio (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  const guint8 get_configuration[10] = { 0x46, 0x00, 0x00, 0x00, 0, 0, 0, 0, 64, 0 };
  guint8 data[64] = { 0 };
  guint8 inquiry[0x60];
  RfSimFault fault;

  rf_sim_fault_init (&fault, RF_SIM_FAULT_NO_RAWIO, RF_SIM_PHASE_ANY, 0);
  rf_sim_drive_add_fault (sim->drive, &fault);
  sim_clear_unit_attention (sim);
  sim_inquiry (sim, inquiry);
  sim_test_unit_ready (sim);
  sim_assert_sense (sim, 0x02, 0x3a, 0x00);
  g_assert_true (sim_send (sim, get_configuration, 10, RF_DIRECTION_IN, data, sizeof data));
  sim_assert_good (sim);
  g_assert_true (read_buffer (sim, 0x03, 0x00, 0, data, 4));
  sim_assert_good (sim);
  g_assert_cmpmem (data, 4, "\x02\x10\x00\x00", 4);

  /* Every WRITE BUFFER, with data or without, never reaches the drive. */
  g_assert_false (write_buffer (sim, 0x07, 0, 0, g_bytes_get_data (image, NULL), 0x10000));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES);
  g_assert_false (write_buffer (sim, 0x0F, 0, 0, NULL, 0));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_NEEDS_PRIVILEGES);

  rf_sim_drive_clear_faults (sim->drive);
  sim_assert_revision (sim, "1.00");
  sim_drive_free (sim);
}

/* The host never learned whether chunk 2 arrived (its status was lost): it
 * starts again at offset 0 and the drive takes the whole download. A chunk out of
 * order other than offset 0 is still refused. */
static void
test_resume_from_zero (void)
{
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  const guint8 *data = g_bytes_get_data (image, NULL);
  RfSimFault fault;

  sim_clear_unit_attention (sim);
  rf_sim_fault_init (&fault, RF_SIM_FAULT_LOST_STATUS, RF_SIM_PHASE_UPLOAD, 3);
  rf_sim_drive_add_fault (sim->drive, &fault);
  g_assert_true (write_buffer (sim, 0x07, 0, 0, data, 0x10000));
  sim_assert_good (sim);
  g_assert_true (write_buffer (sim, 0x07, 0, 0x10000, data + 0x10000, 0x10000));
  sim_assert_good (sim);
  g_assert_false (write_buffer (sim, 0x07, 0, 0x20000, data + 0x20000, 0x10000));
  g_assert_error (sim->error, RF_ERROR, RF_ERROR_TIMED_OUT);
  g_clear_error (&sim->error);
  g_assert_true (write_buffer (sim, 0x07, 0, 0x10000, data + 0x10000, 0x10000));
  sim_assert_sense (sim, 0x05, 0x24, 0x00);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  sim_assert_revision (sim, "1.01");
  assert_attentions_then_ready (sim, TRUE);
  sim_drive_free (sim);
}

/* The practice drive's light does what the family data it rehearses promises
 * ([LedHints] of data/drives/spc-generic.conf): the GUI shows those hints next
 * to it. */
static void
test_led_matches_family (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GKeyFile) family = g_key_file_new ();
  g_autofree char *path = g_build_filename (g_getenv ("REFLASH_DATA_DIR"), "drives",
                                            "spc-generic.conf", NULL);
  g_autofree char *upload = NULL;
  g_autofree char *settle = NULL;
  SimDrive *sim = sim_drive_open ("spc-generic", NULL);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");

  g_key_file_load_from_file (family, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  upload = g_key_file_get_string (family, "LedHints", "upload", &error);
  g_assert_no_error (error);
  settle = g_key_file_get_string (family, "LedHints", "settle", &error);
  g_assert_no_error (error);

  sim_clear_unit_attention (sim);
  rf_sim_clock_set_speed (sim->clock, 1.0);
  g_assert_true (write_buffer (sim, 0x07, 0, 0, g_bytes_get_data (image, NULL), 0x10000));
  sim_assert_good (sim);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, upload);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  g_assert_cmpstr (rf_sim_led_to_nick (rf_sim_drive_get_led (sim->drive)), ==, settle);
  sim_drive_free (sim);
}

/* The stored microcode, and an interrupted save, survive the program. */
static void
test_persistence (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-spc-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "spc-generic", NULL);
  SimDrive *sim = sim_drive_open ("spc-generic", path);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  RfSimFault fault;

  sim_clear_unit_attention (sim);
  g_assert_true (download (sim, 0x07, image, 0x10000));
  sim_assert_good (sim);
  sim_drive_free (sim);
  sim = sim_drive_open ("spc-generic", path);
  sim_assert_revision (sim, "1.01");

  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_UPLOAD, 16);
  fault.byte_offset = 0;
  rf_sim_drive_add_fault (sim->drive, &fault);
  sim_clear_unit_attention (sim);
  g_assert_false (download (sim, 0x07, image, 0x10000));
  sim_drive_free (sim);
  sim = sim_drive_open ("spc-generic", path);
  sim_assert_revision (sim, "0000");
  sim_drive_free (sim);
  sim_remove_state (path);
  g_rmdir (dir);
}

/* The stored microcode has no checksum of its own: while a new one is written
 * over it, the saved state calls it invalid. The program dying before that write
 * (the flash file cannot be written: a folder stands in its place, and the old
 * file is put back afterwards) leaves a drive in boot mode, as a power loss
 * during the save does; never the old flag over a half-written image. */
static void
test_persistence_save_order (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("rf-sim-spc-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "spc-generic", NULL);
  g_autofree char *flash_path = g_strconcat (path, ".flash", NULL);
  g_autofree char *old = NULL;
  SimDrive *sim = sim_drive_open ("spc-generic", path);
  g_autoptr(GBytes) image = rf_sim_spc_image_new (rf_sim_drive_get_scenario (sim->drive), NULL,
                                                  "1.01");
  gsize length = 0;

  rf_sim_drive_set_disc (sim->drive, TRUE);
  g_file_get_contents (flash_path, &old, &length, &error);
  g_assert_no_error (error);
  g_assert_no_errno (g_unlink (flash_path));
  g_assert_no_errno (g_mkdir (flash_path, 0700));
  sim_clear_unit_attention (sim);
  g_assert_false (download (sim, 0x07, image, 0x10000));
  sim_drive_free (sim);

  g_assert_no_errno (g_rmdir (flash_path));
  g_file_set_contents (flash_path, old, (gssize) length, &error);
  g_assert_no_error (error);
  sim = sim_drive_open ("spc-generic", path);
  sim_assert_revision (sim, "0000");
  sim_drive_free (sim);
  sim_remove_state (path);
  g_assert_no_errno (g_rmdir (dir));
}

static const double probe_speeds[] = { 0.0, 1.0, 10.0 };

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-spc/descriptor", test_descriptor);
  g_test_add_func ("/reflash/sim-spc/no-descriptor", test_no_descriptor);
  g_test_add_func ("/reflash/sim-spc/dump", test_dump);
  g_test_add_func ("/reflash/sim-spc/dump-family-data", test_dump_family_data);
  g_test_add_func ("/reflash/sim-spc/configuration", test_configuration);
  g_test_add_func ("/reflash/sim-spc/offsets-download", test_offsets_download);
  g_test_add_func ("/reflash/sim-spc/settle", test_settle);
  for (gsize i = 0; i < G_N_ELEMENTS (probe_speeds); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/sim-spc/probe-waits-out-settle/%g",
                                               probe_speeds[i]);

      g_test_add_data_func (path, &probe_speeds[i], test_probe_waits_out_settle);
    }
  g_test_add_func ("/reflash/sim-spc/chunk-rules", test_chunk_rules);
  g_test_add_func ("/reflash/sim-spc/wrong-model", test_wrong_model);
  g_test_add_func ("/reflash/sim-spc/deferred", test_deferred);
  g_test_add_func ("/reflash/sim-spc/single", test_single);
  g_test_add_func ("/reflash/sim-spc/boot-mode", test_boot_mode);
  g_test_add_func ("/reflash/sim-spc/boot-refuses", test_boot_refuses);
  g_test_add_func ("/reflash/sim-spc/flash-faults", test_flash_faults);
  g_test_add_func ("/reflash/sim-spc/bridge-blocks-write-buffer", test_bridge_blocks_write_buffer);
  g_test_add_func ("/reflash/sim-spc/no-rawio", test_no_rawio);
  g_test_add_func ("/reflash/sim-spc/persistence", test_persistence);
  g_test_add_func ("/reflash/sim-spc/resume-from-zero", test_resume_from_zero);
  g_test_add_func ("/reflash/sim-spc/led-matches-family", test_led_matches_family);
  g_test_add_func ("/reflash/sim-spc/persistence-save-order", test_persistence_save_order);

  return g_test_run ();
}
