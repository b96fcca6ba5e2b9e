/* test-verdict.c: every row of DOMAIN.md's verdict table, and the seed's drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "rf-nec-firmware.h"
#include "rf-spc-firmware.h"
#include "rf-test-images.h"
#include "rf-verdict.h"

/* The seed's drive: crossflash to K451 stopped half-way; K355 bootcode 05 kept. */
static RfDriveIdentity *
seed_drive (void)
{
  RfDriveIdentity *id = rf_drive_identity_new ();

  id->vendor = g_strdup ("_NEC");
  id->product = g_strdup ("DVD_RW ND-3550A");
  id->revision = g_strdup ("0.05");
  id->family = g_strdup ("nec-2m");
  id->safe_mode = TRUE;
  id->stored_id = g_strdup ("K451");
  id->bootcode_key = g_strdup ("K355");
  id->bootcode_version = g_strdup ("05");
  return id;
}

/* The same drive after Reflash recovered it: normal mode, still K451 stored. */
static RfDriveIdentity *
recovered_drive (void)
{
  RfDriveIdentity *id = seed_drive ();

  id->safe_mode = FALSE;
  g_free (id->revision);
  id->revision = g_strdup ("1.05");
  return id;
}

static RfDriveIdentity *
healthy_drive (const char *stored_id,
               const char *revision)
{
  RfDriveIdentity *id = rf_drive_identity_new ();

  id->vendor = g_strdup ("_NEC");
  id->product = g_strdup ("DVD_RW ND-4550A");
  id->revision = g_strdup (revision);
  id->family = g_strdup ("nec-2m");
  id->stored_id = g_strdup (stored_id);
  id->bootcode_key = g_strdup (stored_id);
  id->bootcode_version = g_strdup ("05");
  return id;
}

static RfVerdict *
judge (const RfDriveIdentity *id,
       GBytes                *bytes)
{
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();

  rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL);
  return rf_verdict_new (id, id->safe_mode ? RF_DRIVE_STATE_SAFE_MODE : RF_DRIVE_STATE_READY,
                         RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (firmware));
}

static RfVerdict *
judge_image (const RfDriveIdentity *id,
             const char            *drive_id,
             const char            *bootcode_version,
             const char            *revision)
{
  g_autoptr(GBytes) image = rf_test_image (drive_id, bootcode_version, revision);

  return judge (id, image);
}

static void
assert_verdict (RfVerdict  *verdict,
                const char *code,
                gboolean    allowed)
{
  g_assert_cmpstr (rf_verdict_get_code (verdict), ==, code);
  g_assert_cmpint (rf_verdict_is_allowed (verdict), ==, allowed);
  g_assert_nonnull (rf_verdict_get_sentence (verdict));
}

static void
test_seed_recovery (void)
{
  g_autoptr(RfDriveIdentity) id = seed_drive ();
  g_autoptr(RfVerdict) v = judge_image (id, "K355", "05", "1.05");

  assert_verdict (v, "recovery", TRUE);
  g_assert_cmpint (rf_verdict_get_kind (v), ==, RF_VERDICT_KIND_RECOVERY);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (v), "ND-3550A"));
  g_assert_false (rf_verdict_needs_confirmation (v));
}

static void
test_seed_crossflash (void)
{
  g_autoptr(RfDriveIdentity) id = seed_drive ();
  g_autoptr(RfVerdict) v = judge_image (id, "K451", "05", "1.00");

  /* The stored ID says K451, but the bootcode is the ND-3550A's. */
  assert_verdict (v, "crossflash", FALSE);
  g_assert_cmpint (rf_verdict_get_reason (v), ==, RF_VERDICT_REASON_CROSSFLASH);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (v), "bootcode belongs to the ND-3550A"));
  g_assert_cmpstr (rf_verdict_get_next_step (v), ==,
                   "Use the firmware for ND-3550A with bootcode 05.");
}

static void
test_seed_bootcode_mismatch (void)
{
  g_autoptr(RfDriveIdentity) id = seed_drive ();
  g_autoptr(RfVerdict) v = judge_image (id, "K355", "06", "1.05");

  assert_verdict (v, "bootcode-mismatch", FALSE);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (v), "expects bootcode 06"));
  g_assert_nonnull (rf_verdict_get_next_step (v));
}

static void
test_after_recovery (void)
{
  g_autoptr(RfDriveIdentity) id = recovered_drive ();
  g_autoptr(RfVerdict) up = judge_image (id, "K355", "05", "1.06");
  g_autoptr(RfVerdict) same = judge_image (id, "K355", "05", "1.05");
  g_autoptr(RfVerdict) cross = judge_image (id, "K451", "05", "1.06");

  assert_verdict (up, "upgrade", TRUE);
  assert_verdict (same, "reinstall", TRUE);
  assert_verdict (cross, "crossflash", FALSE);
}

static void
test_normal_order (void)
{
  g_autoptr(RfDriveIdentity) id = healthy_drive ("K450", "1.06");
  g_autoptr(RfVerdict) up = judge_image (id, "K450", "05", "1.07");
  g_autoptr(RfVerdict) same = judge_image (id, "K450", "05", "1.06");
  g_autoptr(RfVerdict) down = judge_image (id, "K450", "05", "1.05");
  g_autoptr(RfVerdict) alias = judge_image (id, "K410", "05", "1.07");

  assert_verdict (up, "upgrade", TRUE);
  g_assert_false (rf_verdict_needs_confirmation (up));
  assert_verdict (same, "reinstall", TRUE);
  assert_verdict (down, "downgrade", TRUE);
  g_assert_true (rf_verdict_needs_confirmation (down));
  /* An alias in the trailer is the same model. */
  assert_verdict (alias, "upgrade", TRUE);
}

static void
test_no_bootcode_version (void)
{
  g_autoptr(RfDriveIdentity) id = healthy_drive ("K450", "1.06");
  g_autoptr(RfVerdict) v = judge_image (id, "K450", NULL, "1.07");

  assert_verdict (v, "upgrade", TRUE);
  g_assert_cmpint (rf_verdict_get_warnings (v), ==, RF_VERDICT_WARNING_NO_BOOTCODE_VERSION);
  g_assert_true (rf_verdict_needs_confirmation (v));
  g_assert_nonnull (rf_verdict_warning_to_sentence (RF_VERDICT_WARNING_NO_BOOTCODE_VERSION));
}

static void
test_unknown_order (void)
{
  g_autoptr(RfDriveIdentity) id = healthy_drive ("K451", "1-09");
  g_autoptr(RfVerdict) v = judge_image (id, "K451", "05", "1.10");
  g_autoptr(RfVerdict) bare = judge_image (id, "K451", "05", NULL);

  /* Treated like a downgrade: extra confirmation. */
  assert_verdict (v, "downgrade", TRUE);
  g_assert_true (rf_verdict_get_warnings (v) & RF_VERDICT_WARNING_UNKNOWN_ORDER);
  g_assert_true (rf_verdict_needs_confirmation (v));
  /* No display strings: no revision to compare or verify, and the user is told. */
  assert_verdict (bare, "downgrade", TRUE);
  g_assert_true (rf_verdict_get_warnings (bare) & RF_VERDICT_WARNING_NO_REVISION);
  g_assert_true (rf_verdict_get_warnings (bare) & RF_VERDICT_WARNING_UNKNOWN_ORDER);
}

static void
test_wrong_family (void)
{
  g_autoptr(RfDriveIdentity) spc = healthy_drive ("K450", "1.06");
  g_autoptr(RfDriveIdentity) unknown = healthy_drive ("K450", "1.06");
  g_autoptr(RfVerdict) v = NULL;
  g_autoptr(RfVerdict) w = NULL;

  g_free (spc->family);
  spc->family = g_strdup ("spc-generic");
  v = judge_image (spc, "K450", "05", "1.07");
  assert_verdict (v, "wrong-family", FALSE);
  g_clear_pointer (&unknown->family, g_free);
  w = judge_image (unknown, "K450", "05", "1.07");
  assert_verdict (w, "wrong-family", FALSE);
}

static void
test_corrupt (gconstpointer data)
{
  RfTestDamage damage = GPOINTER_TO_UINT (data);
  g_autoptr(RfDriveIdentity) id = seed_drive ();
  g_autoptr(GBytes) bytes = rf_test_image_damaged (damage);
  g_autoptr(RfVerdict) v = judge (id, bytes);
  const char *sub = rf_firmware_problem_to_corrupt_nick (rf_verdict_get_problem (v));

  assert_verdict (v, "corrupt", FALSE);
  g_assert_true (g_str_equal (sub, "size") || g_str_equal (sub, "checksum") ||
                 g_str_equal (sub, "truncated") || g_str_equal (sub, "not-an-image"));
  g_assert_nonnull (rf_verdict_get_next_step (v));
}

static void
test_corrupt_file_problems (void)
{
  const struct {
    RfFirmwareProblem problem;
    const char *sub;
  } rows[] = {
    { RF_FIRMWARE_PROBLEM_EMPTY, "size" },
    { RF_FIRMWARE_PROBLEM_UNREADABLE, "unreadable" },
    { RF_FIRMWARE_PROBLEM_TOO_LARGE, "too-large" },
    { RF_FIRMWARE_PROBLEM_DIRECTORY, "not-a-file" },
    { RF_FIRMWARE_PROBLEM_SPECIAL_FILE, "not-a-file" },
    { RF_FIRMWARE_PROBLEM_NOT_FOUND, "unreadable" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(RfVerdict) v = rf_verdict_new_for_file_problem (rows[i].problem);

      assert_verdict (v, "corrupt", FALSE);
      g_assert_cmpstr (rf_firmware_problem_to_corrupt_nick (rf_verdict_get_problem (v)), ==,
                       rows[i].sub);
    }
}

static void
test_identity_unknown (void)
{
  g_autoptr(RfDriveIdentity) id = seed_drive ();
  g_autoptr(RfVerdict) v = NULL;

  /* Safe mode but no key accepted yet: nothing is offered. */
  g_clear_pointer (&id->bootcode_key, g_free);
  v = judge_image (id, "K451", "05", "1.00");
  assert_verdict (v, "identity-unknown", FALSE);
}

/* A drive that never answered, or could not be opened: no family is known, and
 * the verdict sends the user back to the drive, not to another file. */
static void
test_drive_not_checked (void)
{
  g_autoptr(RfDriveIdentity) id = rf_drive_identity_new ();
  g_autoptr(GBytes) image = rf_test_image ("K355", "05", "1.06");
  g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
  const RfDriveState states[] = { RF_DRIVE_STATE_NOT_RESPONDING, RF_DRIVE_STATE_NO_ACCESS };

  rf_firmware_parse (RF_FIRMWARE (firmware), image, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(RfVerdict) v = rf_verdict_new (id, states[i], RF_PROBE_DEPTH_DEEP,
                                               RF_FIRMWARE (firmware));

      assert_verdict (v, "identity-unknown", FALSE);
      g_assert_cmpstr (rf_verdict_get_next_step (v), ==, rf_drive_state_to_sentence (states[i]));
    }
}

/* Normal mode, every key refused: the probe learned only the stored ID, which
 * a half-done crossflash may have changed, so no image is judged by it. */
static void
test_identity_unknown_normal_mode (void)
{
  const RfDriveState states[] = { RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_DRIVE_STATE_READY };
  const char *const images[] = { "K451", "K355" };
  g_autoptr(RfDriveIdentity) id = recovered_drive ();

  g_clear_pointer (&id->bootcode_key, g_free);
  for (gsize s = 0; s < G_N_ELEMENTS (states); s++)
    for (gsize i = 0; i < G_N_ELEMENTS (images); i++)
      {
        g_autoptr(GBytes) bytes = rf_test_image (images[i], "05", "1.07");
        g_autoptr(RfNecFirmware) firmware = rf_nec_firmware_new ();
        g_autoptr(RfVerdict) v = NULL;

        rf_firmware_parse (RF_FIRMWARE (firmware), bytes, NULL);
        v = rf_verdict_new (id, states[s], RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (firmware));
        assert_verdict (v, "identity-unknown", FALSE);
        g_assert_nonnull (strstr (rf_verdict_get_sentence (v), "could not prove which bootcode"));
        g_assert_nonnull (strstr (rf_verdict_get_next_step (v), "full check of the drive again"));
      }
}

static void
test_spec_only (void)
{
  RfSpcImageRules blind = { .family = "spc-generic", .n_sizes = 0, .model_offset = -1,
                            .revision_offset = -1 };
  RfSpcImageRules checked = { .family = "spc-generic", .sizes = { 64 }, .n_sizes = 1,
                              .model_offset = 0, .model = "MODEL-X", .revision_offset = 16,
                              .revision_length = 4 };
  g_autoptr(RfDriveIdentity) id = rf_drive_identity_new ();
  g_autoptr(RfSpcFirmware) raw = rf_spc_firmware_new (&blind);
  g_autoptr(RfSpcFirmware) good = rf_spc_firmware_new (&checked);
  g_autoptr(RfSpcFirmware) other = rf_spc_firmware_new (&checked);
  g_autoptr(GBytes) blob = rf_test_random_bytes (64, 3);
  /* The model padded to INQUIRY's 16-byte product field, then the revision. */
  guint8 image[64] = "MODEL-X\0\0\0\0\0\0\0\0\0" "1.20";
  g_autoptr(GBytes) image_bytes = g_bytes_new (image, sizeof image);
  g_autoptr(RfVerdict) v1 = NULL;
  g_autoptr(RfVerdict) v2 = NULL;
  g_autoptr(RfVerdict) v3 = NULL;

  id->family = g_strdup ("spc-generic");
  id->product = g_strdup ("MODEL-X");
  id->revision = g_strdup ("1.20");
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (raw), blob, NULL));
  v1 = rf_verdict_new (id, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (raw));
  g_assert_true (rf_verdict_get_warnings (v1) & RF_VERDICT_WARNING_SPEC_ONLY);
  g_assert_true (rf_verdict_needs_confirmation (v1));
  g_assert_true (rf_firmware_parse (RF_FIRMWARE (good), image_bytes, NULL));
  v2 = rf_verdict_new (id, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (good));
  assert_verdict (v2, "reinstall", TRUE);
  g_assert_false (rf_verdict_get_warnings (v2) & RF_VERDICT_WARNING_SPEC_ONLY);
  g_assert_false (rf_firmware_parse (RF_FIRMWARE (other), blob, NULL));
  v3 = rf_verdict_new (id, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (other));
  assert_verdict (v3, "wrong-family", FALSE);
}

/* The shipped SPC family, and an image of it that passes its checks. */
static RfDriveFamily *
spc_family (RfDriveDb *db)
{
  RfDriveFamily *family = rf_drive_db_lookup (db, "spc-generic");

  g_assert_nonnull (family);
  return family;
}

static RfSpcFirmware *
spc_firmware (RfDriveFamily *family,
              const char    *revision)
{
  g_autoptr(GBytes) image = rf_test_spc_image (family, revision);
  RfSpcFirmware *firmware = rf_spc_firmware_new_for_family (family);

  g_assert_true (rf_firmware_parse (RF_FIRMWARE (firmware), image, NULL));
  return firmware;
}

/* An SPC family with two models and one fixed model string: the image must
 * also name the drive's product. */
static void
test_spc_other_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family = spc_family (db);
  RfDriveModel *second = g_new0 (RfDriveModel, 1);
  g_autoptr(RfSpcFirmware) firmware = spc_firmware (family, "1.00");
  g_autoptr(RfDriveIdentity) one = rf_test_spc_identity (family);
  g_autoptr(RfDriveIdentity) two = rf_drive_identity_copy (one);
  g_autoptr(RfVerdict) mine = NULL;
  g_autoptr(RfVerdict) theirs = NULL;

  g_assert_no_error (error);
  second->id = g_strdup ("SPC2");
  g_ptr_array_add (family->models, second);
  g_free (two->product);
  two->product = g_strdup ("PRACTICE SPC 2");
  mine = rf_verdict_new_for_family (family, one, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP,
                                    RF_FIRMWARE (firmware));
  assert_verdict (mine, "reinstall", TRUE);
  theirs = rf_verdict_new_for_family (family, two, RF_DRIVE_STATE_READY, RF_PROBE_DEPTH_DEEP,
                                      RF_FIRMWARE (firmware));
  assert_verdict (theirs, "wrong-family", FALSE);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (theirs), "PRACTICE SPC 2"));
}

/* Nothing in an SPC drive's identity shows that a deep check ran: a drive only
 * listed, or whose check ended in any state but ready, gets no upgrade,
 * reinstall, downgrade or recovery, whatever its INQUIRY says. */
static void
test_spc_needs_deep_ready (void)
{
  const RfDriveState unproven[] = {
    RF_DRIVE_STATE_UNKNOWN, RF_DRIVE_STATE_IDENTITY_MISMATCH, RF_DRIVE_STATE_BUSY,
    RF_DRIVE_STATE_UNSUPPORTED, RF_DRIVE_STATE_NOT_RESPONDING, RF_DRIVE_STATE_NO_ACCESS,
    RF_DRIVE_STATE_NEEDS_ADMIN, RF_DRIVE_STATE_VENDOR_REFUSED,
  };
  const char *const revisions[] = { "1.01", "1.00", "0.99" };
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family = spc_family (db);
  g_autoptr(RfDriveIdentity) id = rf_test_spc_identity (family);

  g_assert_no_error (error);
  for (gsize r = 0; r < G_N_ELEMENTS (revisions); r++)
    {
      g_autoptr(RfSpcFirmware) firmware = spc_firmware (family, revisions[r]);
      g_autoptr(RfVerdict) deep = rf_verdict_new_for_family (family, id, RF_DRIVE_STATE_READY,
                                                             RF_PROBE_DEPTH_DEEP,
                                                             RF_FIRMWARE (firmware));
      g_autoptr(RfVerdict) listed = rf_verdict_new_for_family (family, id, RF_DRIVE_STATE_READY,
                                                               RF_PROBE_DEPTH_PASSIVE,
                                                               RF_FIRMWARE (firmware));

      /* The same drive after a deep check: the file itself is fine. */
      g_assert_true (rf_verdict_is_allowed (deep));
      assert_verdict (listed, "identity-unknown", FALSE);
      g_assert_cmpstr (rf_verdict_get_sentence (listed), ==,
                       "Reflash could not check this drive, so it cannot tell which firmware fits.");
      g_assert_nonnull (strstr (rf_verdict_get_next_step (listed), "full check of the drive"));
      for (gsize i = 0; i < G_N_ELEMENTS (unproven); i++)
        {
          g_autoptr(RfVerdict) v = rf_verdict_new_for_family (family, id, unproven[i],
                                                              RF_PROBE_DEPTH_DEEP,
                                                              RF_FIRMWARE (firmware));

          g_test_message ("state %s", rf_drive_state_to_nick (unproven[i]));
          assert_verdict (v, "identity-unknown", FALSE);
          g_assert_nonnull (rf_verdict_get_next_step (v));
        }
    }
}

/* Boot mode: a drive of a family whose data says boot mode takes no download
 * is sent to its maker; one that takes it gets a recovery. Without family data
 * nothing says it does. A drive in boot mode that was only listed is unproven. */
static void
test_spc_boot_mode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(RfDriveDb) db = rf_drive_db_new_default (&error);
  RfDriveFamily *family = spc_family (db);
  g_autoptr(RfDriveIdentity) id = rf_test_spc_identity (family);
  g_autoptr(RfSpcFirmware) firmware = spc_firmware (family, "1.01");
  g_autoptr(RfVerdict) takes = NULL;
  g_autoptr(RfVerdict) refuses = NULL;
  g_autoptr(RfVerdict) no_data = NULL;
  g_autoptr(RfVerdict) listed = NULL;

  g_assert_no_error (error);
  id->safe_mode = TRUE;
  g_free (id->revision);
  id->revision = g_strdup ("0000");
  g_assert_true (family->download.boot_mode_accepts_download);
  takes = rf_verdict_new_for_family (family, id, RF_DRIVE_STATE_SAFE_MODE, RF_PROBE_DEPTH_DEEP,
                                     RF_FIRMWARE (firmware));
  assert_verdict (takes, "recovery", TRUE);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (takes), id->product));
  listed = rf_verdict_new_for_family (family, id, RF_DRIVE_STATE_SAFE_MODE,
                                      RF_PROBE_DEPTH_PASSIVE, RF_FIRMWARE (firmware));
  assert_verdict (listed, "identity-unknown", FALSE);

  family->download.boot_mode_accepts_download = FALSE;
  refuses = rf_verdict_new_for_family (family, id, RF_DRIVE_STATE_SAFE_MODE,
                                       RF_PROBE_DEPTH_DEEP, RF_FIRMWARE (firmware));
  assert_verdict (refuses, "needs-maker-tool", FALSE);
  g_assert_cmpint (rf_verdict_get_reason (refuses), ==, RF_VERDICT_REASON_NEEDS_MAKER_TOOL);
  g_assert_nonnull (strstr (rf_verdict_get_sentence (refuses), "maker's own firmware tool"));
  g_assert_nonnull (rf_verdict_get_next_step (refuses));
  no_data = rf_verdict_new (id, RF_DRIVE_STATE_SAFE_MODE, RF_PROBE_DEPTH_DEEP,
                            RF_FIRMWARE (firmware));
  assert_verdict (no_data, "needs-maker-tool", FALSE);
}

/* A D355 bootcode is the ND-3550A's too: the sentence names the IDs rather than
 * saying the ND-3550A's firmware is not for the ND-3550A. */
static void
test_same_model_other_bootcode (void)
{
  g_autoptr(RfDriveIdentity) id = healthy_drive ("D355", "1.05");
  g_autoptr(RfVerdict) v = judge_image (id, "K355", "05", "1.06");

  assert_verdict (v, "crossflash", FALSE);
  g_assert_cmpstr (rf_verdict_get_sentence (v), ==,
                   "This firmware is made for the K355 bootcode, but this ND-3550A has the D355 bootcode. Reflash flashes only firmware made for the bootcode the drive has.");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/verdict/seed/recovery", test_seed_recovery);
  g_test_add_func ("/reflash/verdict/drive-not-checked", test_drive_not_checked);
  g_test_add_func ("/reflash/verdict/seed/crossflash", test_seed_crossflash);
  g_test_add_func ("/reflash/verdict/seed/bootcode-mismatch", test_seed_bootcode_mismatch);
  g_test_add_func ("/reflash/verdict/after-recovery", test_after_recovery);
  g_test_add_func ("/reflash/verdict/order", test_normal_order);
  g_test_add_func ("/reflash/verdict/no-bootcode-version", test_no_bootcode_version);
  g_test_add_func ("/reflash/verdict/unknown-order", test_unknown_order);
  g_test_add_func ("/reflash/verdict/wrong-family", test_wrong_family);
  for (guint d = 0; d < RF_TEST_DAMAGE_LAST; d++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/verdict/corrupt/%u", d);

      g_test_add_data_func (path, GUINT_TO_POINTER (d), test_corrupt);
    }
  g_test_add_func ("/reflash/verdict/corrupt-file", test_corrupt_file_problems);
  g_test_add_func ("/reflash/verdict/identity-unknown", test_identity_unknown);
  g_test_add_func ("/reflash/verdict/identity-unknown-normal-mode",
                   test_identity_unknown_normal_mode);
  g_test_add_func ("/reflash/verdict/spec-only", test_spec_only);
  g_test_add_func ("/reflash/verdict/spc-other-model", test_spc_other_model);
  g_test_add_func ("/reflash/verdict/spc-needs-deep-ready", test_spc_needs_deep_ready);
  g_test_add_func ("/reflash/verdict/spc-boot-mode", test_spc_boot_mode);
  g_test_add_func ("/reflash/verdict/same-model-other-bootcode", test_same_model_other_bootcode);

  return g_test_run ();
}
