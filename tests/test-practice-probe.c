/* test-practice-probe.c: probing every practice drive gives the right state and
 * identity, and never sends a write while doing it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>

#include "rf-core.h"
#include "rf-sim.h"

static RfDriveDb *db;

typedef struct {
  char *state_dir;
  RfSimSource *source;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->state_dir = g_dir_make_tmp ("reflash-practice-probe-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->source = rf_sim_source_new (fixture->state_dir);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->state_dir, 0, NULL);
  const char *name;

  g_clear_object (&fixture->source);
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->state_dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->state_dir);
  g_free (fixture->state_dir);
}

static RfDevice *
lookup (Fixture    *fixture,
        const char *scenario)
{
  g_autofree char *id = g_strconcat ("practice:", scenario, NULL);
  RfDevice *device = rf_device_source_lookup (RF_DEVICE_SOURCE (fixture->source), id);

  g_assert_nonnull (device);
  return device;
}

/* DOMAIN.md "Probing depth": no WRITE BUFFER, no 0xCB, no SEND CHECKSUM, no
 * other CC or CD subcommand, READ MEM only at the two identification places. */
static void
assert_only_identification (RfRecorder *transcript)
{
  for (guint i = 0; i < rf_recorder_get_n_entries (transcript); i++)
    {
      const RfRecordEntry *entry = rf_recorder_get_entry (transcript, i);

      switch (entry->cdb[0])
        {
        case 0x12:
        case 0x00:
        case 0x46:
          break;
        case 0x3c:
          g_assert_cmpuint (entry->cdb[1], ==, 0x03);
          break;
        case 0xcc:
          g_assert_cmpuint (entry->cdb[1], <=, 0x01);
          if (entry->cdb[1] == 0x00)
            g_assert_true ((entry->cdb[4] == 0x48 && entry->cdb[8] == 0x20) ||
                           (entry->cdb[4] == 0x5f && entry->cdb[8] == 0x80));
          break;
        default:
          g_error ("probing sent opcode 0x%02X", entry->cdb[0]);
        }
    }
}

/* Returns: (transfer full): the probed drive */
static RfDevice *
probe (Fixture      *fixture,
       const char   *scenario,
       RfProbeDepth  depth)
{
  RfDevice *device = lookup (fixture, scenario);
  g_autoptr(GError) error = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  g_assert_true (rf_device_probe (device, db, depth, NULL, &error));
  g_assert_no_error (error);
  transcript = rf_device_dup_transcript (device);
  /* Positive first: the "never sent" checks below cannot pass on an empty
   * transcript. Only a drive that could not be opened was sent nothing. */
  if (rf_device_get_state (device) != RF_DRIVE_STATE_NO_ACCESS)
    g_assert_true (rf_recorder_sent_opcode (transcript, 0x12));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0x3b));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcb));
  assert_only_identification (transcript);
  if (depth == RF_PROBE_DEPTH_PASSIVE)
    {
      g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
      g_assert_false (rf_recorder_sent_opcode (transcript, 0x3c));
    }
  return device;
}

typedef struct {
  const char *scenario;
  RfDriveState passive;
  RfDriveState deep;
  const char *family;
  const char *revision;
  const char *stored_id;
  const char *bootcode_key;
  const char *bootcode_version;
  const char *deep_reason;
} Expected;

static const Expected expected[] = {
  { "bridge-3550", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_VENDOR_REFUSED, "nec-2m", "1.05",
    NULL, NULL, NULL, "vendor-refused" },
  { "disc-3550", RF_DRIVE_STATE_BUSY, RF_DRIVE_STATE_BUSY, "nec-2m", "1.05", NULL, NULL, NULL,
    "disc-present" },
  { "healthy-3550", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_READY, "nec-2m", "1.05", "K355", "K355",
    "05", "ok" },
  { "healthy-4551", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_READY, "nec-2m", "1.07", "K451", "K451",
    "05", "ok" },
  { "hung-3550", RF_DRIVE_STATE_NOT_RESPONDING, RF_DRIVE_STATE_NOT_RESPONDING, NULL, NULL, NULL,
    NULL, NULL, "timed-out" },
  { "interrupted-3550", RF_DRIVE_STATE_SAFE_MODE, RF_DRIVE_STATE_SAFE_MODE, "nec-2m", "0.05",
    "K355", "K355", "05", "safe-mode" },
  { "locked-out-3550", RF_DRIVE_STATE_NO_ACCESS, RF_DRIVE_STATE_NO_ACCESS, NULL, NULL, NULL, NULL,
    NULL, "permission-denied" },
  { "no-rawio-3550", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_NEEDS_ADMIN, "nec-2m", "1.05", NULL,
    NULL, NULL, "needs-privileges" },
  { "seed", RF_DRIVE_STATE_SAFE_MODE, RF_DRIVE_STATE_IDENTITY_MISMATCH, "nec-2m", "0.05", "K451",
    "K355", "05", "bootcode-differs" },
  { "spc-deferred", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_READY, "spc-deferred", "1.00", NULL,
    NULL, NULL, "ok" },
  { "spc-generic", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_READY, "spc-generic", "1.00", NULL, NULL,
    NULL, "ok" },
  { "spc-single", RF_DRIVE_STATE_READY, RF_DRIVE_STATE_READY, "spc-single", "1.00", NULL, NULL,
    NULL, "ok" },
  { "unknown-drive", RF_DRIVE_STATE_UNSUPPORTED, RF_DRIVE_STATE_UNSUPPORTED, NULL, "2.10", NULL,
    NULL, NULL, "no-family" },
};

static void
test_scenario (Fixture       *fixture,
               gconstpointer  data)
{
  const Expected *want = data;
  RfDevice *device = probe (fixture, want->scenario, RF_PROBE_DEPTH_PASSIVE);
  g_autoptr(RfDriveIdentity) passive = rf_device_dup_identity (device);
  g_autoptr(RfDriveIdentity) deep = NULL;

  g_assert_cmpint (rf_device_get_state (device), ==, want->passive);
  g_assert_cmpint (rf_device_get_probe_depth (device), ==, RF_PROBE_DEPTH_PASSIVE);
  g_assert_cmpstr (passive->family, ==, want->family);
  g_assert_cmpstr (passive->revision, ==, want->revision);
  g_assert_null (passive->stored_id);

  g_object_unref (probe (fixture, want->scenario, RF_PROBE_DEPTH_DEEP));
  deep = rf_device_dup_identity (device);
  g_assert_cmpint (rf_device_get_state (device), ==, want->deep);
  g_assert_cmpstr (rf_device_get_reason (device), ==, want->deep_reason);
  g_assert_cmpstr (deep->stored_id, ==, want->stored_id);
  g_assert_cmpstr (deep->bootcode_key, ==, want->bootcode_key);
  g_assert_cmpstr (deep->bootcode_version, ==, want->bootcode_version);

  /* Left in the mode it was found in: a passive look shows the same revision. */
  g_object_unref (probe (fixture, want->scenario, RF_PROBE_DEPTH_PASSIVE));
  g_assert_cmpint (rf_device_get_state (device), ==, want->passive);
  g_clear_pointer (&passive, rf_drive_identity_free);
  passive = rf_device_dup_identity (device);
  g_assert_cmpstr (passive->revision, ==, want->revision);
  g_object_unref (device);
}

/* Every shipped scenario, including ones added later: a deep check ends in a
 * state, sends only identification commands, and a passive look afterwards
 * shows the revision it showed before (left in the mode it was found in). */
static void
test_every_scenario (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (&error);

  g_assert_no_error (error);
  g_assert_cmpuint (scenarios->len, >=, G_N_ELEMENTS (expected));
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autoptr(RfDevice) before = probe (fixture, scenario->id, RF_PROBE_DEPTH_PASSIVE);
      g_autoptr(RfDriveIdentity) first = rf_device_dup_identity (before);
      g_autoptr(RfDevice) deep = probe (fixture, scenario->id, RF_PROBE_DEPTH_DEEP);
      RfDriveState state = rf_device_get_state (deep);
      g_autoptr(RfDevice) after = probe (fixture, scenario->id, RF_PROBE_DEPTH_PASSIVE);
      g_autoptr(RfDriveIdentity) last = rf_device_dup_identity (after);

      g_test_message ("%s: %s", scenario->id, rf_drive_state_to_nick (state));
      g_assert_cmpint (state, !=, RF_DRIVE_STATE_UNKNOWN);
      /* no-access only where the scenario makes the node unopenable. */
      g_assert_true (state != RF_DRIVE_STATE_NO_ACCESS ||
                     g_str_equal (scenario->id, "locked-out-3550"));
      g_assert_cmpstr (first->revision, ==, last->revision);
    }
}

/* The wizard shows rf_device_dup_advice(): never a terminal command, on any
 * practice drive. The command line's advice names the command, with the
 * drive, where one helps. */
static void
test_advice_in_words (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) scenarios = rf_sim_scenario_list (&error);

  g_assert_no_error (error);
  for (guint i = 0; i < scenarios->len; i++)
    {
      const RfSimScenario *scenario = g_ptr_array_index (scenarios, i);
      g_autoptr(RfDevice) device = probe (fixture, scenario->id, RF_PROBE_DEPTH_DEEP);
      g_autofree char *advice = rf_device_dup_advice (device);
      g_autofree char *command = rf_device_dup_command_advice (device);
      RfDriveState state = rf_device_get_state (device);

      g_test_message ("%s: %s | %s", scenario->id, advice, command);
      g_assert_null (strstr (advice, "reflash-cli"));
      g_assert_null (strstr (advice, "sudo"));
      if (state == RF_DRIVE_STATE_NO_ACCESS || state == RF_DRIVE_STATE_NEEDS_ADMIN)
        {
          g_autofree char *wanted = g_strdup_printf ("sudo reflash-cli info practice:%s",
                                                     scenario->id);

          g_assert_nonnull (strstr (command, wanted));
          g_assert_nonnull (strstr (advice, "administrator rights"));
        }
      if (state == RF_DRIVE_STATE_READY)
        g_assert_nonnull (strstr (command, "reflash-cli check FILE --drive practice:"));
      /* No firmware runs: the way back, as a command, after which firmware. */
      if (state == RF_DRIVE_STATE_SAFE_MODE || state == RF_DRIVE_STATE_IDENTITY_MISMATCH)
        {
          g_autofree char *wanted = g_strdup_printf ("reflash-cli recover practice:%s FILE",
                                                     scenario->id);

          g_assert_nonnull (strstr (command, wanted));
          g_assert_true (g_str_has_prefix (command, advice));
        }
    }
}

/* Every drive in safe mode hears the same plain words, the seed's identity
 * mismatch explained after them; a working drive is not "answered every
 * question"; a passive look never calls a drive "Working". */
static void
test_plain_words (Fixture       *fixture,
                  gconstpointer  data)
{
  const char *const waiting[] = { "seed", "interrupted-3550" };
  g_autoptr(RfDevice) healthy = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_PASSIVE);
  g_autofree char *healthy_headline = NULL;
  g_autofree char *healthy_explanation = NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (waiting); i++)
    {
      g_autoptr(RfDevice) device = probe (fixture, waiting[i], RF_PROBE_DEPTH_DEEP);
      g_autofree char *headline = rf_device_dup_headline (device);
      g_autofree char *explanation = rf_device_dup_explanation (device);

      g_assert_cmpstr (headline, ==, "The firmware is missing — this can be repaired");
      g_assert_true (g_str_has_prefix (explanation, "Only the bootcode is running"));
      g_assert_nonnull (strstr (explanation, "blinking light means the drive is waiting for firmware"));
      if (g_str_equal (waiting[i], "seed"))
        g_assert_nonnull (strstr (explanation, "bootcode belongs to another model than its stored identity"));
    }
  g_assert_cmpstr (rf_device_get_state_title (healthy), ==, "Not checked yet");
  g_assert_true (rf_device_probe (healthy, db, RF_PROBE_DEPTH_DEEP, NULL, NULL));
  g_assert_cmpstr (rf_device_get_state_title (healthy), ==, "Working");
  healthy_headline = rf_device_dup_headline (healthy);
  healthy_explanation = rf_device_dup_explanation (healthy);
  g_assert_cmpstr (healthy_headline, ==, "The drive runs its firmware normally");
  g_assert_null (strstr (healthy_explanation, "answered every question"));
}

static void
test_seed (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(RfDevice) device = probe (fixture, "seed", RF_PROBE_DEPTH_DEEP);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autofree char *advice = rf_device_dup_advice (device);

  /* Both identities: the stored K451 and the K355 bootcode, version 05. */
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "bootcode-differs");
  g_assert_true (identity->safe_mode);
  g_assert_cmpstr (identity->stored_id, ==, "K451");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  g_assert_cmpstr (identity->rid_code, ==, "ND30");
  g_assert_cmpstr (rf_drive_identity_counting_id (identity), ==, "K355");
  g_assert_nonnull (strstr (advice, "ND-3550A"));
  g_assert_nonnull (strstr (advice, "05"));
}

static void
test_bridge_advice (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RfDevice) device = probe (fixture, "bridge-3550", RF_PROBE_DEPTH_DEEP);
  g_autofree char *advice = rf_device_dup_advice (device);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);
  g_autofree char *explanation = NULL;

  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_VENDOR_REFUSED);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "vendor-refused");
  g_assert_nonnull (strstr (advice, "another controller"));
  /* Hedged: the refusal most likely came from an adapter, which is not known. */
  explanation = rf_device_dup_explanation (device);
  g_assert_nonnull (strstr (explanation, "more likely by an adapter"));
  /* Not "unsupported": the identity is the drive's, from INQUIRY. */
  g_assert_cmpstr (identity->product, ==, "DVD_RW ND-3550A");
  g_assert_cmpstr (identity->family, ==, "nec-2m");
}

static void
test_disc_inside (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;

  rf_sim_drive_set_disc (rf_sim_source_get_drive (fixture->source, "healthy-3550"), TRUE);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "disc-present");
  transcript = rf_device_dup_transcript (device);
  g_assert_false (rf_recorder_sent_opcode (transcript, 0xcc));
}

static void
test_unit_attention_storm (Fixture       *fixture,
                           gconstpointer  data)
{
  RfSimFault fault;
  g_autoptr(RfDevice) device = NULL;

  rf_sim_fault_init (&fault, RF_SIM_FAULT_UNIT_ATTENTION_STORM, RF_SIM_PHASE_QUERY, 2);
  fault.count = 3;
  rf_sim_drive_add_fault (rf_sim_source_get_drive (fixture->source, "healthy-3550"), &fault);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
}

/* The revision a passive look shows now: "0.05" means the drive is in safe mode. */
static char *
revision_now (Fixture    *fixture,
              const char *scenario)
{
  g_autoptr(RfDevice) device = probe (fixture, scenario, RF_PROBE_DEPTH_PASSIVE);
  g_autoptr(RfDriveIdentity) identity = rf_device_dup_identity (device);

  return g_strdup (identity->revision);
}

static void
add_fault (Fixture        *fixture,
           const char     *scenario,
           RfSimFaultKind  kind,
           RfSimPhase      phase,
           guint           occurrence,
           guint           count)
{
  RfSimFault fault;

  rf_sim_fault_init (&fault, kind, phase, occurrence);
  fault.count = count;
  rf_sim_drive_add_fault (rf_sim_source_get_drive (fixture->source, scenario), &fault);
}

/* The leave after the version read times out (not run): the drive stays in
 * safe mode. The check must say so, never "Working". */
static void
test_leave_lost (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *advice = NULL;
  g_autofree char *revision = NULL;

  add_fault (fixture, "healthy-3550", RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_SAFE_MODE_LEAVE, 1, 1);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  identity = rf_device_dup_identity (device);
  advice = rf_device_dup_advice (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_SAFE_MODE);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "left-in-safe-mode");
  g_assert_true (identity->safe_mode);
  /* Nothing to flash: the identity for verdicts stays unknown. */
  g_assert_null (rf_drive_identity_counting_id (identity));
  g_assert_nonnull (strstr (advice, "off and on"));
  revision = revision_now (fixture, "healthy-3550");
  g_assert_cmpstr (revision, ==, "0.05");
}

/* The accepted enter's status is lost: INQUIRY shows safe mode, so the key was
 * taken; the leave brings the drive back and the check goes on. */
static void
test_enter_status_lost (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *revision = NULL;

  /* Enter 1 is the D355 probe (refused), enter 2 the K355 key. */
  add_fault (fixture, "healthy-3550", RF_SIM_FAULT_LOST_STATUS, RF_SIM_PHASE_SAFE_MODE_ENTER, 2,
             1);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  identity = rf_device_dup_identity (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (identity->bootcode_version, ==, "05");
  /* (A passive look probes the same device again: states are read before.) */
  revision = revision_now (fixture, "healthy-3550");
  g_assert_cmpstr (revision, ==, "1.05");
}

/* The enter of the right key times out and did not run: the drive is still in
 * normal mode; the check stops as not-responding, and nothing claims a key. */
static void
test_enter_timeout (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *revision = NULL;

  add_fault (fixture, "healthy-3550", RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_SAFE_MODE_ENTER, 2, 1);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  identity = rf_device_dup_identity (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "timed-out");
  g_assert_null (rf_drive_identity_counting_id (identity));
  revision = revision_now (fixture, "healthy-3550");
  g_assert_cmpstr (revision, ==, "1.05");
}

/* A UNIT ATTENTION on the right key's enter is not a refusal: the same key is
 * sent again and accepted. */
static void
test_enter_unit_attention (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *revision = NULL;

  add_fault (fixture, "healthy-3550", RF_SIM_FAULT_UNIT_ATTENTION_STORM,
             RF_SIM_PHASE_SAFE_MODE_ENTER, 2, 1);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  identity = rf_device_dup_identity (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "ok");
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (rf_drive_identity_counting_id (identity), ==, "K355");
  revision = revision_now (fixture, "healthy-3550");
  g_assert_cmpstr (revision, ==, "1.05");
}

/* The seed in safe mode: a UNIT ATTENTION on the K355 enter is retried too. */
static void
test_safe_mode_unit_attention (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;

  /* Enter 1 is the stored K451 (refused), enter 2 the bootcode's K355. */
  add_fault (fixture, "seed", RF_SIM_FAULT_UNIT_ATTENTION_STORM, RF_SIM_PHASE_SAFE_MODE_ENTER, 2,
             1);
  device = probe (fixture, "seed", RF_PROBE_DEPTH_DEEP);
  identity = rf_device_dup_identity (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
  g_assert_cmpstr (rf_drive_identity_counting_id (identity), ==, "K355");
}

/* Another program holds the node open (EBUSY): busy, with its own reason and
 * advice, not an error. */
static void
test_node_in_use (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(RfDevice) device = NULL;
  g_autofree char *advice = NULL;

  add_fault (fixture, "healthy-3550", RF_SIM_FAULT_IN_USE, RF_SIM_PHASE_ANY, 0, 1);
  device = probe (fixture, "healthy-3550", RF_PROBE_DEPTH_DEEP);
  advice = rf_device_dup_advice (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_BUSY);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "in-use");
  g_assert_nonnull (strstr (advice, "other program"));
}

/* An SPC drive that refuses the family's buffer ID with 05/24: the family
 * data does not fit (spc-download.md), no adapter is to blame. */
static void
test_spc_wrong_buffer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfSimScenario) scenario = rf_sim_scenario_load ("spc-generic", &error);
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);
  g_autoptr(RfSimDrive) drive = NULL;
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autofree char *advice = NULL;

  g_assert_no_error (error);
  scenario->buffer_id = 7;
  drive = rf_sim_drive_new (scenario, NULL, clock, &error);
  g_assert_no_error (error);
  transport = rf_sim_transport_new (drive);
  device = rf_device_new_for_transport ("practice:buffer-7", transport, "practice-buffer-7");
  g_assert_true (rf_device_probe (device, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  advice = rf_device_dup_advice (device);
  g_assert_cmpint (rf_device_get_state (device), ==, RF_DRIVE_STATE_UNSUPPORTED);
  g_assert_cmpstr (rf_device_get_reason (device), ==, "no-descriptor");
  g_assert_null (strstr (advice, "another controller"));
}

typedef struct {
  const char *name;
  gboolean family_gives_descriptor;
  gboolean boot_mode;
  RfDriveState state;
  const char *reason;
} NoDescriptorCase;

static const NoDescriptorCase no_descriptor_cases[] = {
  { "from-family-data", TRUE, FALSE, RF_DRIVE_STATE_READY, "ok" },
  { "from-family-data-boot-mode", TRUE, TRUE, RF_DRIVE_STATE_SAFE_MODE, "safe-mode" },
  { "unsupported", FALSE, FALSE, RF_DRIVE_STATE_UNSUPPORTED, "no-descriptor" },
  { "unsupported-boot-mode", FALSE, TRUE, RF_DRIVE_STATE_UNSUPPORTED, "no-descriptor" },
};

static const char no_descriptor_scenario[] =
  "[Scenario]\nName=No descriptor\nDescription=A drive that does not describe its buffer\n"
  "Protocol=spc-download\n"
  "[SPC]\nVendor=REFLASH\nProduct=PRACTICE NODESC\nRevision=1.00\nVariant=offsets\n"
  "BufferId=2\nOffsetBoundary=4\nBufferCapacity=0x10000\nImageSize=0x10000\n"
  "ModelCheckOffset=0x40\nRevisionOffset=0x50\nDescriptor=false\nBootMode=%s\n";

static const char no_descriptor_family[] =
  "[Family]\nId=spc-no-descriptor\nName=No descriptor\nProtocol=spc-download\n"
  "ImageFormat=raw\nSupport=spec-only\nBootRevision=0000\n"
  "[Model NODESC]\nName=Practice drive without a descriptor\nVendor=REFLASH\\s\n"
  "Product=PRACTICE NODESC\\s\n"
  "[Download]\nVariant=offsets\nBufferId=2\nChunkSize=from-descriptor\nImageSizes=0x10000\n"
  "ModelCheckOffset=0x40\nModelCheckBytes=PRACTICE NODESC\nRevisionOffset=0x50\n"
  "BootModeAcceptsDownload=true\n%s";

/* Writes @text to @name in the fixture's folder (removed at tear-down). */
static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (fixture->state_dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* A drive that refuses READ BUFFER mode 3 (05/24) can still be flashed when its
 * family data gives the boundary and capacity (spc-download.md "Chunks"), in
 * normal or boot mode; without them it stays unsupported. */
static void
test_spc_no_descriptor (Fixture       *fixture,
                        gconstpointer  data)
{
  const NoDescriptorCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *scenario_text = g_strdup_printf (no_descriptor_scenario,
                                                    c->boot_mode ? "true" : "false");
  g_autofree char *family_text = g_strdup_printf (no_descriptor_family,
                                                  c->family_gives_descriptor
                                                  ? "OffsetBoundary=4\nBufferCapacity=0x10000\n"
                                                  : "");
  g_autofree char *scenario_path = write_file (fixture, "no-descriptor.conf", scenario_text);
  g_autofree char *family_path = write_file (fixture, "spc-no-descriptor.conf", family_text);
  g_autoptr(RfDriveDb) family_db = rf_drive_db_new ();
  g_autoptr(RfSimScenario) scenario = NULL;
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);
  g_autoptr(RfSimDrive) drive = NULL;
  g_autoptr(RfTransport) transport = NULL;
  g_autoptr(RfDevice) device = NULL;
  g_autoptr(RfRecorder) transcript = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  g_autofree char *detail = NULL;

  scenario = rf_sim_scenario_load_file (scenario_path, &error);
  g_assert_no_error (error);
  g_assert_true (rf_drive_db_load_file (family_db, family_path, &error));
  g_assert_no_error (error);
  drive = rf_sim_drive_new (scenario, NULL, clock, &error);
  g_assert_no_error (error);
  transport = rf_sim_transport_new (drive);
  device = rf_device_new_for_transport ("practice:no-descriptor", transport,
                                        "practice-no-descriptor");
  g_assert_true (rf_device_probe (device, family_db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);

  identity = rf_device_dup_identity (device);
  g_assert_cmpstr (identity->family, ==, "spc-no-descriptor");
  g_assert_cmpint (identity->safe_mode, ==, c->boot_mode);
  g_assert_cmpint (rf_device_get_state (device), ==, c->state);
  g_assert_cmpstr (rf_device_get_reason (device), ==, c->reason);
  /* The descriptor was asked for, for the family's buffer, and refused. */
  transcript = rf_device_dup_transcript (device);
  g_assert_true (rf_recorder_sent_opcode (transcript, 0x3c));
  g_assert_false (rf_recorder_sent_opcode (transcript, 0x3b));
  assert_only_identification (transcript);
  detail = rf_device_dup_detail (device);
  g_assert_nonnull (detail);
  if (c->family_gives_descriptor)
    {
      g_assert_nonnull (strstr (detail, "buffer 0x02"));
      g_assert_nonnull (strstr (detail, "offset boundary 0x04, capacity 65536 bytes from the "
                                        "family data"));
    }
  else
    g_assert_null (strstr (detail, "family data"));
}

typedef struct {
  GMainLoop *loop;
  GPtrArray *finished;
} Waiter;

static void
probe_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Waiter *waiter = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (rf_device_probe_finish (RF_DEVICE (source), result, &error));
  g_assert_no_error (error);
  g_ptr_array_add (waiter->finished, source);
  if (waiter->finished->len == 2)
    g_main_loop_quit (waiter->loop);
}

static void
test_hung_drive (Fixture       *fixture,
                 gconstpointer  data)
{
  RfSimDrive *hung_drive = rf_sim_source_get_drive (fixture->source, "healthy-3550");
  g_autoptr(RfDevice) hung = lookup (fixture, "healthy-3550");
  g_autoptr(RfDevice) good = lookup (fixture, "healthy-4551");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) finished = g_ptr_array_new ();
  Waiter waiter = { loop, finished };
  RfSimFault fault;

  /* Every command of the first drive runs into its timeout (20 s modelled,
   * one second here); the second drive answers at once. */
  rf_sim_fault_init (&fault, RF_SIM_FAULT_TIMEOUT, RF_SIM_PHASE_ANY, 0);
  rf_sim_drive_add_fault (hung_drive, &fault);
  rf_sim_drive_set_speed (hung_drive, 20.0);
  rf_device_probe_async (hung, db, RF_PROBE_DEPTH_DEEP, NULL, probe_done, &waiter);
  rf_device_probe_async (good, db, RF_PROBE_DEPTH_DEEP, NULL, probe_done, &waiter);
  g_main_loop_run (loop);

  g_assert_true (g_ptr_array_index (finished, 0) == good);
  g_assert_cmpint (rf_device_get_state (good), ==, RF_DRIVE_STATE_READY);
  g_assert_cmpint (rf_device_get_state (hung), ==, RF_DRIVE_STATE_NOT_RESPONDING);
  g_assert_cmpstr (rf_device_get_reason (hung), ==, "timed-out");
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  guint *done = user_data;

  rf_device_probe_finish (RF_DEVICE (source), result, NULL);
  (*done)++;
}

/* The wizard lists drives with a passive look, and the user may choose one for
 * the deep check before that look is over. Whichever finishes last, the deep
 * check's result is the one the drive shows. */
static void
test_late_passive_look (Fixture      *fixture,
                        gconstpointer data)
{
  g_autoptr(RfDevice) seed = lookup (fixture, "seed");
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveIdentity) identity = NULL;
  guint done = 0;

  rf_device_probe_async (seed, db, RF_PROBE_DEPTH_PASSIVE, NULL, count_done, &done);
  g_assert_true (rf_device_probe (seed, db, RF_PROBE_DEPTH_DEEP, NULL, &error));
  g_assert_no_error (error);
  while (done == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (rf_device_get_probe_depth (seed), ==, RF_PROBE_DEPTH_DEEP);
  g_assert_cmpint (rf_device_get_state (seed), ==, RF_DRIVE_STATE_IDENTITY_MISMATCH);
  identity = rf_device_dup_identity (seed);
  g_assert_cmpstr (identity->bootcode_key, ==, "K355");
}

static void
add (const char    *name,
     gconstpointer  data,
     void (*func) (Fixture *, gconstpointer))
{
  g_autofree char *path = g_strdup_printf ("/reflash/practice-probe/%s", name);

  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *runtime = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  runtime = g_dir_make_tmp ("reflash-practice-run-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *name = g_strconcat ("scenario/", expected[i].scenario, NULL);
      add (name, &expected[i], test_scenario);
    }
  add ("late-passive-look", NULL, test_late_passive_look);
  add ("every-scenario", NULL, test_every_scenario);
  add ("seed", NULL, test_seed);
  add ("advice-in-words", NULL, test_advice_in_words);
  add ("plain-words", NULL, test_plain_words);
  add ("bridge-advice", NULL, test_bridge_advice);
  add ("disc-inside", NULL, test_disc_inside);
  add ("unit-attention-storm", NULL, test_unit_attention_storm);
  add ("hung-drive", NULL, test_hung_drive);
  add ("leave-lost", NULL, test_leave_lost);
  add ("node-in-use", NULL, test_node_in_use);
  add ("spc-wrong-buffer", NULL, test_spc_wrong_buffer);
  for (gsize i = 0; i < G_N_ELEMENTS (no_descriptor_cases); i++)
    {
      g_autofree char *name = g_strconcat ("spc-no-descriptor/", no_descriptor_cases[i].name,
                                           NULL);
      add (name, &no_descriptor_cases[i], test_spc_no_descriptor);
    }
  add ("enter-status-lost", NULL, test_enter_status_lost);
  add ("enter-timeout", NULL, test_enter_timeout);
  add ("enter-unit-attention", NULL, test_enter_unit_attention);
  add ("safe-mode-unit-attention", NULL, test_safe_mode_unit_attention);

  status = g_test_run ();
  g_clear_object (&db);
  {
    g_autofree char *lock_dir = g_build_filename (runtime, "reflash", NULL);
    g_autoptr(GDir) dir = g_dir_open (lock_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (lock_dir, name, NULL);
        g_unlink (file);
      }
    g_rmdir (lock_dir);
    g_rmdir (runtime);
  }
  return status;
}
