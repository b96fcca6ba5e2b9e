/* rf-verdict.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"
#include "rf-verdict.h"

struct _RfVerdict
{
  GObject parent_instance;

  RfVerdictKind kind;
  RfVerdictReason reason;
  RfVerdictWarnings warnings;
  RfFirmwareProblem problem;
  char *sentence;
  char *next_step;
};

G_DEFINE_FINAL_TYPE (RfVerdict, rf_verdict, G_TYPE_OBJECT)

static const char *const kind_nicks[RF_VERDICT_KIND_LAST] = {
  [RF_VERDICT_KIND_UPGRADE] = "upgrade",
  [RF_VERDICT_KIND_REINSTALL] = "reinstall",
  [RF_VERDICT_KIND_DOWNGRADE] = "downgrade",
  [RF_VERDICT_KIND_RECOVERY] = "recovery",
  [RF_VERDICT_KIND_REFUSED] = "refused",
};

static const char *const reason_nicks[RF_VERDICT_REASON_LAST] = {
  [RF_VERDICT_REASON_NONE] = "none",
  [RF_VERDICT_REASON_WRONG_FAMILY] = "wrong-family",
  [RF_VERDICT_REASON_CROSSFLASH] = "crossflash",
  [RF_VERDICT_REASON_BOOTCODE_MISMATCH] = "bootcode-mismatch",
  [RF_VERDICT_REASON_CORRUPT] = "corrupt",
  [RF_VERDICT_REASON_IDENTITY_UNKNOWN] = "identity-unknown",
  [RF_VERDICT_REASON_NEEDS_MAKER_TOOL] = "needs-maker-tool",
};

static const struct {
  const char *nick;
  const char *sentence;
} warning_texts[RF_VERDICT_N_WARNINGS] = {
  { "no-bootcode-version",
    N_("The image does not say which bootcode version it expects. Use it only if you are sure it was made for this drive.") },
  { "unknown-order",
    N_("Reflash cannot tell whether this version is newer or older than the installed one, so it is treated like a downgrade.") },
  { "spec-only",
    N_("Flashing this kind of drive has never been tried on real hardware. Go on only if you accept that risk.") },
  { "no-revision",
    N_("The image carries no version text, so the version cannot be shown now or checked after the flash; the flash is checked by reading the firmware back.") },
};

const char *
rf_verdict_kind_to_nick (RfVerdictKind kind)
{
  g_return_val_if_fail (kind < RF_VERDICT_KIND_LAST, NULL);
  return kind_nicks[kind];
}

const char *
rf_verdict_reason_to_nick (RfVerdictReason reason)
{
  g_return_val_if_fail (reason < RF_VERDICT_REASON_LAST, NULL);
  return reason_nicks[reason];
}

static gint
warning_index (RfVerdictWarnings warning)
{
  for (guint i = 0; i < RF_VERDICT_N_WARNINGS; i++)
    if (warning == (RfVerdictWarnings) (1u << i))
      return (gint) i;
  return -1;
}

/* @warning: exactly one flag */
const char *
rf_verdict_warning_to_nick (RfVerdictWarnings warning)
{
  gint i = warning_index (warning);

  g_return_val_if_fail (i >= 0, NULL);
  return warning_texts[i].nick;
}

const char *
rf_verdict_warning_to_sentence (RfVerdictWarnings warning)
{
  gint i = warning_index (warning);

  g_return_val_if_fail (i >= 0, NULL);
  return _(warning_texts[i].sentence);
}

static void
rf_verdict_finalize (GObject *object)
{
  RfVerdict *self = RF_VERDICT (object);

  g_free (self->sentence);
  g_free (self->next_step);
  G_OBJECT_CLASS (rf_verdict_parent_class)->finalize (object);
}

static void
rf_verdict_class_init (RfVerdictClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = rf_verdict_finalize;
}

static void
rf_verdict_init (RfVerdict *self)
{
}

/* The model people know for a canonical ID, or the ID itself. */
static const char *
model_of (const char *drive_id)
{
  const RfNecType *type = drive_id != NULL ? rf_nec_type_from_id (drive_id) : NULL;

  return type != NULL ? type->model : drive_id;
}

/* How the sentences name the drive: the model of the identity that counts. */
static const char *
drive_name (const RfDriveIdentity *identity,
            RfFirmware            *firmware)
{
  const char *counting = rf_drive_identity_counting_id (identity);

  if (g_strcmp0 (rf_firmware_get_format (firmware), "nec-2m") == 0 && counting != NULL)
    return model_of (counting);
  /* Translators: stands in for a model name that is not known, in
   * sentences such as "the %s" and "Your %s" */
  return identity->product != NULL ? identity->product : C_("model name fallback", "drive");
}

static void
refuse (RfVerdict      *self,
        RfVerdictReason reason,
        char           *sentence,
        char           *next_step)
{
  self->kind = RF_VERDICT_KIND_REFUSED;
  self->reason = reason;
  self->sentence = sentence;
  self->next_step = next_step;
}

static char *
fitting_firmware_step (const RfDriveIdentity *identity)
{
  const char *model = model_of (rf_drive_identity_counting_id (identity));

  if (identity->bootcode_version != NULL)
    /* Translators: a model ("ND-3550A"), then a bootcode version ("05") */
    return g_strdup_printf (_("Use the firmware for %s with bootcode %s."), model,
                            identity->bootcode_version);
  /* Translators: a model ("ND-3550A") */
  return g_strdup_printf (_("Use the firmware for %s."), model);
}

/* States in which a deep check cannot learn who the drive is: the state says why. */
static gboolean
state_blocks_identification (RfDriveState state)
{
  return state == RF_DRIVE_STATE_BUSY || state == RF_DRIVE_STATE_NOT_RESPONDING ||
         state == RF_DRIVE_STATE_NO_ACCESS || state == RF_DRIVE_STATE_NEEDS_ADMIN ||
         state == RF_DRIVE_STATE_VENDOR_REFUSED;
}

/* identity-unknown: what the probe learned does not say which firmware fits.
 * The next step is what stopped the check, or the check itself. */
static void
refuse_unproven (RfVerdict   *self,
                 RfDriveState state,
                 const char  *sentence)
{
  refuse (self, RF_VERDICT_REASON_IDENTITY_UNKNOWN, g_strdup (sentence),
          g_strdup (state_blocks_identification (state)
                    ? rf_drive_state_to_sentence (state)
                    : _("Run the full check of the drive again. If it still cannot tell, connect the drive to another controller, such as an internal SATA or IDE port.")));
}

static gboolean
judge_file (RfVerdict             *self,
            const RfDriveIdentity *identity,
            RfFirmware            *firmware)
{
  /* A damaged image that still says which family it is for (an NEC image with
   * a bad checksum) is first of all another family's file. */
  if (self->problem == RF_FIRMWARE_PROBLEM_WRONG_MODEL ||
      ((self->problem == RF_FIRMWARE_PROBLEM_NONE || rf_firmware_get_family (firmware) != NULL) &&
       g_strcmp0 (rf_firmware_get_family (firmware), identity->family) != 0))
    {
      refuse (self, RF_VERDICT_REASON_WRONG_FAMILY,
              g_strdup (identity->family == NULL
                        ? _("Reflash knows no safe way to flash this drive, so no firmware file fits it.")
                        : _("This file is firmware for another kind of drive.")),
              NULL);
      return FALSE;
    }
  if (self->problem != RF_FIRMWARE_PROBLEM_NONE)
    {
      refuse (self, RF_VERDICT_REASON_CORRUPT,
              /* Translators: a sentence that says why the file cannot be used */
              g_strdup_printf (_("This file cannot be used. %s"),
                               rf_firmware_problem_to_sentence (self->problem)),
              g_strdup (_("Download the firmware again, or choose another file.")));
      return FALSE;
    }
  return TRUE;
}

/* NEC: the identity that counts is the bootcode's (DOMAIN.md "Recovery"). */
static gboolean
judge_identity (RfVerdict             *self,
                const RfDriveIdentity *identity,
                RfDriveState           state,
                RfFirmware            *firmware)
{
  const char *counting = rf_drive_identity_counting_id (identity);
  const char *image_id = rf_firmware_get_drive_id (firmware);
  const char *image_version = rf_firmware_get_bootcode_version (firmware);

  /* Only a key the bootcode accepted proves whose bootcode it is; the stored
   * ID alone is what a half-done crossflash leaves behind, so it never decides,
   * in safe mode or in normal mode. */
  if (identity->bootcode_key == NULL || counting == NULL)
    {
      refuse_unproven (self, state,
                       _("Reflash could not prove which bootcode this drive has, so it cannot tell which firmware fits."));
      return FALSE;
    }
  if (!g_str_equal (counting, image_id))
    {
      /* Two IDs of one model (K355 and the special D355): name the IDs, or the
       * sentence would say the model differs from itself. */
      char *sentence = g_str_equal (model_of (image_id), model_of (counting))
        /* Translators: the drive ID the firmware is made for ("D355"), the drive's model
         * ("ND-3550A"), the drive ID of its bootcode ("K355") */
        ? g_strdup_printf (_("This firmware is made for the %s bootcode, but this %s has the %s bootcode. Reflash flashes only firmware made for the bootcode the drive has."),
                           image_id, model_of (counting), counting)
        /* Translators: the model the firmware is for, then the model of the drive's bootcode */
        : g_strdup_printf (_("This firmware is for the %s, but the drive's bootcode belongs to the %s. Flashing another model's firmware would need another bootcode, which Reflash never writes."),
                           model_of (image_id), model_of (counting));

      refuse (self, RF_VERDICT_REASON_CROSSFLASH, sentence, fitting_firmware_step (identity));
      return FALSE;
    }
  if (image_version == NULL)
    {
      self->warnings |= RF_VERDICT_WARNING_NO_BOOTCODE_VERSION;
      return TRUE;
    }
  if (g_strcmp0 (image_version, identity->bootcode_version) != 0)
    {
      refuse (self, RF_VERDICT_REASON_BOOTCODE_MISMATCH,
              identity->bootcode_version != NULL
              /* Translators: two bootcode versions ("05", "06") */
              ? g_strdup_printf (_("This firmware expects bootcode %s, but the drive has bootcode %s."),
                                 image_version, identity->bootcode_version)
              /* Translators: a bootcode version ("05") */
              : g_strdup_printf (_("This firmware expects bootcode %s, but the drive's bootcode version could not be read."),
                                 image_version),
              fitting_firmware_step (identity));
      return FALSE;
    }
  return TRUE;
}

/* SPC: nothing in the identity proves that a deep check ran (an NEC drive's
 * proven bootcode key does), so the probe's depth and end state decide. Only a
 * deep check that ended `ready`, or in boot mode, saw the drive answer its
 * family's identification; a drive in boot mode takes a download only where the
 * family data says so (spc-download.md "Variants"). */
static gboolean
judge_spc_drive (RfVerdict           *self,
                 const RfDriveFamily *family,
                 RfDriveState         state,
                 RfProbeDepth         depth,
                 gboolean             boot_mode)
{
  if (depth != RF_PROBE_DEPTH_DEEP ||
      (state != RF_DRIVE_STATE_READY && state != RF_DRIVE_STATE_SAFE_MODE))
    {
      refuse_unproven (self, state,
                       _("Reflash could not check this drive, so it cannot tell which firmware fits."));
      return FALSE;
    }
  /* Without the family data nothing says that boot mode takes a download. */
  if (boot_mode && (family == NULL || !family->download.boot_mode_accepts_download))
    {
      refuse (self, RF_VERDICT_REASON_NEEDS_MAKER_TOOL,
              g_strdup (_("Only the bootcode of this drive runs, and drives of this kind take no new firmware in that state. It needs its maker's own firmware tool.")),
              g_strdup (_("Ask the drive's maker for their firmware tool.")));
      return FALSE;
    }
  return TRUE;
}

static void
judge_revision (RfVerdict             *self,
                const RfDriveIdentity *identity,
                RfFirmware            *firmware,
                const char            *model)
{
  const char *now = identity->revision;
  const char *next = rf_firmware_get_revision (firmware);
  gboolean comparable = FALSE;
  int order = 0;

  if (next == NULL)
    self->warnings |= RF_VERDICT_WARNING_NO_REVISION;
  if (g_strcmp0 (rf_firmware_get_format (firmware), "nec-2m") == 0)
    order = rf_nec_revision_compare (next, now, &comparable);
  else if (next != NULL && g_strcmp0 (next, now) == 0)
    comparable = TRUE;
  if (!comparable)
    {
      self->warnings |= RF_VERDICT_WARNING_UNKNOWN_ORDER;
      self->kind = RF_VERDICT_KIND_DOWNGRADE;
      self->sentence = next != NULL
        /* Translators: the file's version, the drive's version, the drive's model */
        ? g_strdup_printf (_("Reflash cannot tell whether version %s is newer or older than version %s, which your %s runs now. It is treated like a downgrade and needs an extra confirmation."),
                           next, now != NULL ? now : "?", model)
        /* Translators: the drive's version, then its model */
        : g_strdup_printf (_("This image carries no version text, so Reflash cannot compare it with version %s, which your %s runs now. It is treated like a downgrade and needs an extra confirmation."),
                           now != NULL ? now : "?", model);
      return;
    }
  if (order > 0)
    {
      self->kind = RF_VERDICT_KIND_UPGRADE;
      /* Translators: the drive's model, its version now, the file's version */
      self->sentence = g_strdup_printf (_("This firmware updates your %s from version %s to %s."),
                                        model, now, next);
    }
  else if (order == 0)
    {
      self->kind = RF_VERDICT_KIND_REINSTALL;
      /* Translators: the drive's model, then its version */
      self->sentence = g_strdup_printf (_("Your %s already runs version %s; this firmware installs it again."),
                                        model, next);
    }
  else
    {
      self->kind = RF_VERDICT_KIND_DOWNGRADE;
      /* Translators: the file's version, the drive's version, the drive's model */
      self->sentence = g_strdup_printf (_("This firmware (version %s) is older than version %s, which your %s runs now. Going back needs an extra confirmation."),
                                        next, now, model);
    }
}

static void
judge_recovery (RfVerdict             *self,
                const RfDriveIdentity *identity,
                RfFirmware            *firmware)
{
  const char *model = drive_name (identity, firmware);
  const char *version = rf_firmware_get_revision (firmware);

  self->kind = RF_VERDICT_KIND_RECOVERY;
  if (rf_firmware_get_revision (firmware) == NULL)
    self->warnings |= RF_VERDICT_WARNING_NO_REVISION;
  self->sentence = version != NULL
    /* Translators: the file's version, then the model of the drive's bootcode */
    ? g_strdup_printf (_("This firmware (version %s) brings your drive back: it is made for the %s, the model its bootcode belongs to."),
                       version, model)
    /* Translators: the model of the drive's bootcode ("ND-3550A") */
    : g_strdup_printf (_("This firmware brings your drive back: it is made for the %s, the model its bootcode belongs to."),
                       model);
}

/* A raw blob is never accepted silently: say what exactly the user vouches for. */
static void
name_unchecked_file (RfVerdict  *self,
                     RfFirmware *firmware)
{
  GBytes *image = rf_firmware_get_image (firmware);
  g_autofree char *size = g_format_size_full (g_bytes_get_size (image),
                                              G_FORMAT_SIZE_LONG_FORMAT);
  /* Translators: the verdict's first sentence, then the file's size
   * ("2.1 MB (2,097,152 bytes)") and its SHA-256 (64 hex digits) */
  char *sentence = g_strdup_printf (_("%s Reflash cannot check which model this file is for: it has %s and the SHA-256 %s. Go on only if you are sure it is for this exact model."),
                                    self->sentence, size,
                                    rf_firmware_get_image_sha256 (firmware));

  g_free (self->sentence);
  self->sentence = sentence;
}

static RfVerdict *
verdict_new (const RfDriveFamily   *family,
             const RfDriveIdentity *identity,
             RfDriveState           state,
             RfProbeDepth           depth,
             RfFirmware            *firmware)
{
  RfVerdict *self = g_object_new (RF_TYPE_VERDICT, NULL);
  gboolean safe_mode = identity->safe_mode || state == RF_DRIVE_STATE_SAFE_MODE;
  gboolean nec = g_strcmp0 (rf_firmware_get_format (firmware), "nec-2m") == 0;

  self->problem = rf_firmware_get_problem (firmware);
  /* A drive that could not be asked at all (no answer, no access) has no family
   * yet: that is not "no file fits", it is "check the drive first". */
  if (identity->family == NULL && state_blocks_identification (state))
    {
      refuse_unproven (self, state,
                       _("Reflash could not check this drive, so it cannot tell which firmware fits."));
      return self;
    }
  if (!judge_file (self, identity, firmware))
    return self;
  if (!rf_firmware_get_model_checked (firmware))
    self->warnings |= RF_VERDICT_WARNING_SPEC_ONLY;
  if (nec && !judge_identity (self, identity, state, firmware))
    return self;
  if (!nec && !judge_spc_drive (self, family, state, depth, safe_mode))
    return self;
  if (safe_mode)
    judge_recovery (self, identity, firmware);
  else
    judge_revision (self, identity, firmware, drive_name (identity, firmware));
  if (rf_firmware_get_model (firmware) == NULL)
    name_unchecked_file (self, firmware);
  return self;
}

/**
 * rf_verdict_new:
 * @identity: the drive as probed
 * @state: its state
 * @depth: how deep the probe that found @state went
 * @firmware: a parsed image (a failed parse gives a `corrupt` verdict)
 *
 * Decides, before anything is written, what flashing @firmware would mean.
 * Without the drive's family data, as rf_verdict_new_for_family() with none:
 * an SPC drive in boot mode is then refused.
 */
RfVerdict *
rf_verdict_new (const RfDriveIdentity *identity,
                RfDriveState           state,
                RfProbeDepth           depth,
                RfFirmware            *firmware)
{
  return rf_verdict_new_for_family (NULL, identity, state, depth, firmware);
}

/* The product name an SPC image carries at the family's model-check offset,
 * as INQUIRY would show it: up to 16 printable bytes, padding dropped. */
static char *
image_product (RfFirmware          *firmware,
               const RfDriveFamily *family)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (rf_firmware_get_image (firmware), &size);
  gsize offset = family->download.model_check_offset;
  GString *text = g_string_new (NULL);

  for (gsize i = offset; i < size && i < offset + RF_DRIVE_PRODUCT_LENGTH && data[i] != 0; i++)
    g_string_append_c (text, g_ascii_isprint (data[i]) ? (char) data[i] : ' ');
  return g_strchomp (g_string_free (text, FALSE));
}

/* One fixed model string cannot tell a family's models apart: with several
 * models, the image must also name the drive's own INQUIRY product
 * (spc-download.md "Images"). */
static gboolean
names_other_model (RfFirmware            *firmware,
                   const RfDriveFamily   *family,
                   const RfDriveIdentity *identity)
{
  g_autofree char *product = NULL;

  if (g_strcmp0 (rf_firmware_get_format (firmware), "nec-2m") == 0 ||
      rf_firmware_get_model (firmware) == NULL || family->models == NULL ||
      family->models->len < 2 || !family->download.has_model_check ||
      rf_firmware_get_image (firmware) == NULL)
    return FALSE;
  product = image_product (firmware, family);
  return identity->product == NULL || !g_str_equal (product, identity->product);
}

/**
 * rf_verdict_new_for_family:
 * @family: (nullable): the drive's family from the drive data
 * @identity: the drive as probed
 * @state: its state
 * @depth: how deep the probe that found @state went
 * @firmware: a parsed image (a failed parse gives a `corrupt` verdict)
 *
 * Decides, before anything is written, what flashing @firmware would mean. An
 * SPC image is judged only against a drive whose deep probe ended `ready`, or
 * in boot mode where @family accepts a download there. A family never tested
 * on real hardware adds the `spec-only` warning to any allowed verdict. In an
 * SPC family with several models, an image that does not name the drive's
 * product is `wrong-family`.
 */
RfVerdict *
rf_verdict_new_for_family (const RfDriveFamily   *family,
                           const RfDriveIdentity *identity,
                           RfDriveState           state,
                           RfProbeDepth           depth,
                           RfFirmware            *firmware)
{
  RfVerdict *self;

  g_return_val_if_fail (identity != NULL, NULL);
  g_return_val_if_fail (RF_IS_FIRMWARE (firmware), NULL);

  self = verdict_new (family, identity, state, depth, firmware);
  if (family != NULL && self->kind != RF_VERDICT_KIND_REFUSED &&
      names_other_model (firmware, family, identity))
    {
      g_clear_pointer (&self->sentence, g_free);
      self->warnings = RF_VERDICT_WARNING_NONE;
      refuse (self, RF_VERDICT_REASON_WRONG_FAMILY,
              /* Translators: the drive's model ("ND-3550A") */
              g_strdup_printf (_("This file is firmware for another model of this family, not for the %s."),
                               identity->product != NULL ? identity->product
                                                            : C_("model name fallback", "drive")),
              NULL);
      return self;
    }
  if (family != NULL && family->support == RF_DRIVE_SUPPORT_SPEC_ONLY &&
      self->kind != RF_VERDICT_KIND_REFUSED)
    self->warnings |= RF_VERDICT_WARNING_SPEC_ONLY;
  return self;
}

/**
 * rf_verdict_new_for_file_problem:
 * @problem: why the file could not even be read as firmware
 *
 * The verdict for a file that never reached a parser (a folder, a pipe, a file
 * that cannot be read): refused as `corrupt` with that sub-reason.
 */
RfVerdict *
rf_verdict_new_for_file_problem (RfFirmwareProblem problem)
{
  RfVerdict *self;

  g_return_val_if_fail (problem != RF_FIRMWARE_PROBLEM_NONE, NULL);
  g_return_val_if_fail (problem < RF_FIRMWARE_PROBLEM_LAST, NULL);

  self = g_object_new (RF_TYPE_VERDICT, NULL);
  self->problem = problem;
  refuse (self, RF_VERDICT_REASON_CORRUPT,
          g_strdup_printf (_("This file cannot be used. %s"), rf_firmware_problem_to_sentence (problem)),
          g_strdup (_("Choose the firmware file itself.")));
  return self;
}

RfVerdictKind
rf_verdict_get_kind (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), RF_VERDICT_KIND_REFUSED);
  return self->kind;
}

RfVerdictReason
rf_verdict_get_reason (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), RF_VERDICT_REASON_NONE);
  return self->reason;
}

RfVerdictWarnings
rf_verdict_get_warnings (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), RF_VERDICT_WARNING_NONE);
  return self->warnings;
}

/* Returns: for a `corrupt` verdict, what is wrong with the file */
RfFirmwareProblem
rf_verdict_get_problem (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), RF_FIRMWARE_PROBLEM_NONE);
  return self->problem;
}

/* Returns: the stable code: the kind, or the refusal's reason ("crossflash") */
const char *
rf_verdict_get_code (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), NULL);
  if (self->kind == RF_VERDICT_KIND_REFUSED)
    return reason_nicks[self->reason];
  return kind_nicks[self->kind];
}

const char *
rf_verdict_get_sentence (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), NULL);
  return self->sentence;
}

/* Returns: (nullable): what to do instead, for a refusal */
const char *
rf_verdict_get_next_step (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), NULL);
  return self->next_step;
}

gboolean
rf_verdict_is_allowed (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), FALSE);
  return self->kind != RF_VERDICT_KIND_REFUSED;
}

/* Returns: whether the user must confirm once more (downgrade, any warning) */
gboolean
rf_verdict_needs_confirmation (RfVerdict *self)
{
  g_return_val_if_fail (RF_IS_VERDICT (self), TRUE);
  return self->kind == RF_VERDICT_KIND_DOWNGRADE ||
         (self->warnings & ~RF_VERDICT_WARNING_NO_REVISION) != 0;
}
