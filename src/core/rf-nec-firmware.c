/* rf-nec-firmware.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "rf-error.h"
#include "rf-firmware-private.h"
#include "rf-nec-2m.h"
#include "rf-nec-firmware.h"

struct _RfNecFirmware
{
  RfFirmware parent_instance;

  GBytes *input;
  GArray *candidates; /* RfNecCandidate, in scan order: last in the file first */
  gint chosen;
  RfNecChoice choice;
};

G_DEFINE_FINAL_TYPE (RfNecFirmware, rf_nec_firmware, RF_TYPE_FIRMWARE)

/* What the fixed offsets of one §5 image say. */
typedef struct {
  const RfNecType *type;
  guint8 id_raw[4];
  char version[3];
  guint16 stored;
  guint16 computed;
  gboolean has_display;
  char vendor[9];
  char product[17];
  char revision[5];
  char specific[RF_NEC_DISPLAY_SPECIFIC_LENGTH + 1];
} NecFacts;

static const struct {
  const char *nick;
  const char *sentence;
} choice_texts[RF_NEC_CHOICE_LAST] = {
  [RF_NEC_CHOICE_NONE] = { "none", N_("The file is a single image.") },
  [RF_NEC_CHOICE_ONLY_ONE] = { "only-one", N_("The updater holds one usable image.") },
  [RF_NEC_CHOICE_FIRST_FOUND] = { "first-found",
    N_("No drive was given, so the first usable image was taken; check the file against the drive to pick the one that fits it.") },
  [RF_NEC_CHOICE_DRIVE_MODEL] = { "drive-model",
    N_("Chosen because it is for the model the drive's bootcode belongs to.") },
  [RF_NEC_CHOICE_DRIVE_BOOTCODE] = { "drive-bootcode",
    N_("Chosen because it is for the model and the bootcode version of the drive.") },
  [RF_NEC_CHOICE_NO_MATCH] = { "no-match",
    N_("No image in the updater fits the drive; the first usable one is shown.") },
};

const char *
rf_nec_choice_to_nick (RfNecChoice choice)
{
  g_return_val_if_fail (choice < RF_NEC_CHOICE_LAST, NULL);
  return choice_texts[choice].nick;
}

const char *
rf_nec_choice_to_sentence (RfNecChoice choice)
{
  g_return_val_if_fail (choice < RF_NEC_CHOICE_LAST, NULL);
  return _(choice_texts[choice].sentence);
}

static void
candidate_clear (gpointer data)
{
  RfNecCandidate *candidate = data;

  g_free (candidate->drive_id);
  g_free (candidate->bootcode_version);
  g_free (candidate->product);
  g_free (candidate->revision);
}

/* A display string: up to the first NUL, trailing spaces dropped, and anything
 * that is not printable ASCII shown as '?', since it ends up on a terminal. */
static void
copy_display (char         *dest,
              const guint8 *src,
              gsize         width)
{
  gsize n = 0;

  while (n < width && src[n] != 0)
    {
      dest[n] = g_ascii_isprint (src[n]) ? (char) src[n] : '?';
      n++;
    }
  while (n > 0 && dest[n - 1] == ' ')
    n--;
  dest[n] = '\0';
}

/* @length: the image's, as binflash searches it (§5) */
static void
read_display (NecFacts     *facts,
              const guint8 *data,
              gsize         length)
{
  gssize at = rf_nec_find_display_strings (data, length);
  const guint8 *s;

  facts->has_display = at >= 0;
  if (at < 0)
    return;
  s = data + at;
  copy_display (facts->vendor, s + RF_NEC_DISPLAY_VENDOR_OFFSET, 8);
  copy_display (facts->product, s + RF_NEC_DISPLAY_PRODUCT_OFFSET, 16);
  copy_display (facts->revision, s + RF_NEC_DISPLAY_REVISION_OFFSET, 4);
  copy_display (facts->specific, s + RF_NEC_DISPLAY_SPECIFIC_OFFSET,
                RF_NEC_DISPLAY_SPECIFIC_LENGTH);
}

/* The bootcode version is two ASCII characters ("05"); anything else in its
 * place means the trailer is not one. */
static gboolean
version_is_valid (const guint8 *bytes)
{
  return g_ascii_isgraph (bytes[0]) && g_ascii_isgraph (bytes[1]);
}

static gboolean
id_is_text (const guint8 *id)
{
  for (guint i = 0; i < 4; i++)
    if (!g_ascii_isgraph (id[i]))
      return FALSE;
  return TRUE;
}

/* @length: exactly RF_NEC_IMAGE_SIZE or RF_NEC_IMAGE_SIZE_VERSIONED */
static RfFirmwareProblem
read_facts (NecFacts     *facts,
            const guint8 *data,
            gsize         length)
{
  memset (facts, 0, sizeof *facts);
  memcpy (facts->id_raw, data + RF_NEC_IMAGE_ID_OFFSET, 4);
  facts->type = rf_nec_type_from_id_bytes (facts->id_raw);
  /* Only a readable ID names a model Reflash does not know; other bytes there
   * mean the file is no image at all. */
  if (facts->type == NULL)
    return id_is_text (facts->id_raw) ? RF_FIRMWARE_PROBLEM_UNKNOWN_ID
                                      : RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE;
  if (length == RF_NEC_IMAGE_SIZE_VERSIONED)
    {
      if (!version_is_valid (data + RF_NEC_IMAGE_VERSION_OFFSET))
        return RF_FIRMWARE_PROBLEM_BAD_BOOTCODE_VERSION;
      memcpy (facts->version, data + RF_NEC_IMAGE_VERSION_OFFSET, 2);
    }
  facts->stored = (guint16) (data[RF_NEC_IMAGE_CHECKSUM_OFFSET] << 8 |
                             data[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1]);
  facts->computed = rf_nec_checksum (data, RF_NEC_MAIN_SIZE);
  read_display (facts, data, length);
  if (facts->stored != facts->computed)
    return RF_FIRMWARE_PROBLEM_CHECKSUM;
  return RF_FIRMWARE_PROBLEM_NONE;
}

static const char *
nonempty (const char *text)
{
  return text[0] != '\0' ? text : NULL;
}

static void
apply_facts (RfNecFirmware  *self,
             const NecFacts *facts,
             GBytes         *image)
{
  RfFirmwareInfo info = { 0 };

  info.family = "nec-2m";
  info.drive_id = facts->type->id;
  info.model = facts->type->model;
  info.bootcode_version = nonempty (facts->version);
  if (facts->has_display)
    {
      info.vendor = facts->vendor;
      info.product = facts->product;
      info.revision = facts->revision;
      info.vendor_specific = facts->specific;
    }
  info.has_checksum = TRUE;
  info.checksum_stored = facts->stored;
  info.checksum_computed = facts->computed;
  info.model_checked = TRUE;
  rf_firmware_set_info (RF_FIRMWARE (self), &info, image);
}

static gboolean
is_exact_size (gsize size)
{
  return size == RF_NEC_IMAGE_SIZE || size == RF_NEC_IMAGE_SIZE_VERSIONED;
}

static gboolean
parse_plain (RfNecFirmware *self,
             GBytes        *bytes,
             GError       **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  NecFacts facts;
  RfFirmwareProblem problem = read_facts (&facts, data, size);

  if (facts.type != NULL)
    apply_facts (self, &facts, bytes);
  if (problem != RF_FIRMWARE_PROBLEM_NONE)
    return rf_firmware_fail (RF_FIRMWARE (self), problem, error, "image trailer or checksum");
  return TRUE;
}

/* The §5 acceptance of an image found inside a larger file [ours]: checksum, and
 * display strings naming a product of this family. */
static gboolean
product_is_of_family (const char *product)
{
  gsize n_types;
  const RfNecType *types = rf_nec_types (&n_types);

  for (gsize i = 0; i < n_types; i++)
    if (rf_nec_type_has_product (&types[i], product))
      return TRUE;
  return FALSE;
}

static void
check_candidate (RfNecCandidate *candidate,
                 const guint8   *data)
{
  NecFacts facts;
  RfFirmwareProblem problem = read_facts (&facts, data + candidate->offset, candidate->length);

  if (facts.has_display)
    {
      candidate->product = g_strdup (facts.product);
      candidate->revision = g_strdup (facts.revision);
    }
  if (problem == RF_FIRMWARE_PROBLEM_NONE &&
      (!facts.has_display || !product_is_of_family (facts.product)))
    problem = RF_FIRMWARE_PROBLEM_NO_DISPLAY_STRINGS;
  candidate->problem = problem;
}

/* §5's backward scan, with the trailer extra reset for every candidate. */
static void
scan (RfNecFirmware *self,
      const guint8  *data,
      gsize          size)
{
  gsize end = size;

  while (end >= 6 && self->candidates->len < RF_NEC_MAX_CANDIDATES)
    {
      const guint8 *tail = data + end - 6;
      RfNecCandidate candidate = { 0 };
      const RfNecType *type;
      gsize extra = 0;

      if ((type = rf_nec_type_from_id_bytes (tail + 2)) == NULL)
        {
          type = rf_nec_type_from_id_bytes (tail);
          if (type == NULL || !version_is_valid (tail + 4))
            break;
          extra = 2;
          candidate.bootcode_version = g_strndup ((const char *) tail + 4, 2);
        }
      candidate.drive_id = g_strdup (type->id);
      candidate.length = RF_NEC_IMAGE_SIZE + extra;
      if (candidate.length > end)
        {
          /* Cut off at its start: listed, never usable, and nothing before it. */
          candidate.problem = RF_FIRMWARE_PROBLEM_TRUNCATED;
          g_array_append_val (self->candidates, candidate);
          break;
        }
      candidate.offset = end - candidate.length;
      check_candidate (&candidate, data);
      g_array_append_val (self->candidates, candidate);
      end = candidate.offset;
    }
}

#define CANDIDATE(self, i) (&g_array_index ((self)->candidates, RfNecCandidate, (i)))

/* §5's preference rules, over the accepted candidates only. */
static gint
choose (RfNecFirmware *self,
        const char    *drive_id,
        const char    *drive_version)
{
  gint kept = -1;

  for (guint i = 0; i < self->candidates->len; i++)
    {
      const RfNecCandidate *c = CANDIDATE (self, i);
      const RfNecCandidate *k = kept >= 0 ? CANDIDATE (self, kept) : NULL;

      if (c->problem != RF_FIRMWARE_PROBLEM_NONE)
        continue;
      if (k == NULL)
        kept = (gint) i;
      else if (drive_id != NULL && !g_str_equal (k->drive_id, drive_id) &&
               g_str_equal (c->drive_id, drive_id))
        kept = (gint) i;
      else if (drive_id != NULL && g_str_equal (k->drive_id, drive_id) &&
               g_str_equal (c->drive_id, drive_id) &&
               g_strcmp0 (k->bootcode_version, drive_version) != 0 &&
               (c->bootcode_version == NULL ||
                g_strcmp0 (c->bootcode_version, drive_version) == 0))
        kept = (gint) i;
    }
  return kept;
}

static RfNecChoice
choice_reason (RfNecFirmware *self,
               const char    *drive_id,
               const char    *drive_version)
{
  const RfNecCandidate *chosen = CANDIDATE (self, self->chosen);
  guint usable = 0;

  for (guint i = 0; i < self->candidates->len; i++)
    if (CANDIDATE (self, i)->problem == RF_FIRMWARE_PROBLEM_NONE)
      usable++;
  if (drive_id == NULL)
    return usable == 1 ? RF_NEC_CHOICE_ONLY_ONE : RF_NEC_CHOICE_FIRST_FOUND;
  if (!g_str_equal (chosen->drive_id, drive_id))
    return RF_NEC_CHOICE_NO_MATCH;
  if (g_strcmp0 (chosen->bootcode_version, drive_version) == 0)
    return RF_NEC_CHOICE_DRIVE_BOOTCODE;
  return RF_NEC_CHOICE_DRIVE_MODEL;
}

static void
apply_chosen (RfNecFirmware *self)
{
  const RfNecCandidate *c = CANDIDATE (self, self->chosen);
  g_autoptr(GBytes) image = g_bytes_new_from_bytes (self->input, c->offset, c->length);
  NecFacts facts;

  read_facts (&facts, g_bytes_get_data (image, NULL), c->length);
  apply_facts (self, &facts, image);
}

static gboolean
parse_container (RfNecFirmware *self,
                 GBytes        *bytes,
                 GError       **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);

  scan (self, data, size);
  self->chosen = choose (self, NULL, NULL);
  if (self->chosen >= 0)
    {
      self->choice = choice_reason (self, NULL, NULL);
      apply_chosen (self);
      return TRUE;
    }
  if (self->candidates->len > 0)
    return rf_firmware_fail (RF_FIRMWARE (self), CANDIDATE (self, 0)->problem, error,
                             "no usable image inside the file");
  /* No trailer at all: a cut-off or padded image still has its display strings. */
  if (rf_nec_find_display_strings (data, size) >= 0)
    return rf_firmware_fail (RF_FIRMWARE (self),
                             size < RF_NEC_IMAGE_SIZE ? RF_FIRMWARE_PROBLEM_TRUNCATED
                                                      : RF_FIRMWARE_PROBLEM_SIZE,
                             error, "display strings but no trailer");
  return rf_firmware_fail (RF_FIRMWARE (self), RF_FIRMWARE_PROBLEM_NOT_AN_IMAGE, error,
                           "no trailer with a known drive ID");
}

static gboolean
rf_nec_firmware_parse (RfFirmware *firmware,
                       GBytes     *bytes,
                       GError    **error)
{
  RfNecFirmware *self = RF_NEC_FIRMWARE (firmware);

  g_clear_pointer (&self->input, g_bytes_unref);
  g_array_set_size (self->candidates, 0);
  self->chosen = -1;
  self->choice = RF_NEC_CHOICE_NONE;
  self->input = g_bytes_ref (bytes);
  if (is_exact_size (g_bytes_get_size (bytes)))
    return parse_plain (self, bytes, error);
  return parse_container (self, bytes, error);
}

/* Rebuilt from the parsed fields, so a round trip proves they were read right. */
static GBytes *
rf_nec_firmware_write (RfFirmware *firmware,
                       GError    **error)
{
  GBytes *image = rf_firmware_get_image (firmware);
  gsize size;
  const guint8 *data = g_bytes_get_data (image, &size);
  const char *version = rf_firmware_get_bootcode_version (firmware);
  guint16 stored;
  guint8 *out;

  rf_firmware_get_checksum (firmware, &stored, NULL);
  out = g_malloc (size);
  memcpy (out, data, RF_NEC_MAIN_SIZE);
  out[RF_NEC_IMAGE_CHECKSUM_OFFSET] = (guint8) (stored >> 8);
  out[RF_NEC_IMAGE_CHECKSUM_OFFSET + 1] = (guint8) (stored & 0xff);
  /* The trailer keeps the ID as the file spelled it (an alias stays an alias). */
  memcpy (out + RF_NEC_IMAGE_ID_OFFSET, data + RF_NEC_IMAGE_ID_OFFSET, 4);
  if (version != NULL)
    memcpy (out + RF_NEC_IMAGE_VERSION_OFFSET, version, 2);
  return g_bytes_new_take (out, size);
}

static void
rf_nec_firmware_finalize (GObject *object)
{
  RfNecFirmware *self = RF_NEC_FIRMWARE (object);

  g_clear_pointer (&self->input, g_bytes_unref);
  g_clear_pointer (&self->candidates, g_array_unref);
  G_OBJECT_CLASS (rf_nec_firmware_parent_class)->finalize (object);
}

static void
rf_nec_firmware_class_init (RfNecFirmwareClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  RfFirmwareClass *firmware_class = RF_FIRMWARE_CLASS (klass);

  object_class->finalize = rf_nec_firmware_finalize;
  firmware_class->format = "nec-2m";
  firmware_class->max_size = RF_FIRMWARE_MAX_FILE_SIZE;
  firmware_class->parse = rf_nec_firmware_parse;
  firmware_class->write = rf_nec_firmware_write;
}

static void
rf_nec_firmware_init (RfNecFirmware *self)
{
  self->candidates = g_array_new (FALSE, TRUE, sizeof (RfNecCandidate));
  g_array_set_clear_func (self->candidates, candidate_clear);
  self->chosen = -1;
}

RfNecFirmware *
rf_nec_firmware_new (void)
{
  return g_object_new (RF_TYPE_NEC_FIRMWARE, NULL);
}

/* Returns: the number of images the scan found in an updater (0 for a plain image) */
guint
rf_nec_firmware_get_n_candidates (RfNecFirmware *self)
{
  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), 0);
  return self->candidates->len;
}

const RfNecCandidate *
rf_nec_firmware_get_candidate (RfNecFirmware *self,
                               guint          index)
{
  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), NULL);
  g_return_val_if_fail (index < self->candidates->len, NULL);
  return CANDIDATE (self, index);
}

/* Returns: the index of the chosen candidate, or -1 */
gint
rf_nec_firmware_get_chosen (RfNecFirmware *self)
{
  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), -1);
  return self->chosen;
}

RfNecChoice
rf_nec_firmware_get_choice (RfNecFirmware *self)
{
  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), RF_NEC_CHOICE_NONE);
  return self->choice;
}

/* Returns: whether the file was larger than one image (an updater) */
gboolean
rf_nec_firmware_is_container (RfNecFirmware *self)
{
  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), FALSE);
  return self->input != NULL && !is_exact_size (g_bytes_get_size (self->input));
}

/**
 * rf_nec_firmware_choose_for_drive:
 * @drive_id: the drive's counting identity (canonical ID or alias)
 * @bootcode_version: (nullable): the drive's bootcode version
 *
 * Picks the image of an updater that fits the drive, by §5's preference rules.
 * A plain image is left as it is.
 */
gboolean
rf_nec_firmware_choose_for_drive (RfNecFirmware *self,
                                  const char    *drive_id,
                                  const char    *bootcode_version,
                                  GError       **error)
{
  const RfNecType *type;

  g_return_val_if_fail (RF_IS_NEC_FIRMWARE (self), FALSE);
  g_return_val_if_fail (drive_id != NULL, FALSE);

  if (!rf_nec_firmware_is_container (self))
    return TRUE;
  type = rf_nec_type_from_id (drive_id);
  self->chosen = choose (self, type != NULL ? type->id : drive_id, bootcode_version);
  if (self->chosen < 0)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "no usable image in the updater");
      return FALSE;
    }
  self->choice = choice_reason (self, type != NULL ? type->id : drive_id, bootcode_version);
  apply_chosen (self);
  return TRUE;
}

/**
 * rf_nec_firmware_choose_without_drive:
 *
 * Goes back to the image an updater offers when no drive is known, so that a
 * choice made for an earlier drive never carries over to another one.
 */
void
rf_nec_firmware_choose_without_drive (RfNecFirmware *self)
{
  g_return_if_fail (RF_IS_NEC_FIRMWARE (self));

  if (!rf_nec_firmware_is_container (self))
    return;
  self->chosen = choose (self, NULL, NULL);
  if (self->chosen < 0)
    return;
  self->choice = choice_reason (self, NULL, NULL);
  apply_chosen (self);
}

/* Revision ordering (DOMAIN.md): runs of digits, runs of letters and single
 * separators; digits compare as numbers, letters after digits, case-insensitive. */
typedef enum { TOKEN_END, TOKEN_DIGITS, TOKEN_LETTERS, TOKEN_SEPARATOR } TokenKind;

typedef struct {
  TokenKind kind;
  const char *start;
  gsize length;
} Token;

static Token
next_token (const char **cursor)
{
  const char *p = *cursor;
  Token token = { TOKEN_END, p, 0 };

  if (*p == '\0')
    return token;
  if (g_ascii_isdigit (*p))
    for (token.kind = TOKEN_DIGITS; g_ascii_isdigit (p[token.length]); token.length++);
  else if (g_ascii_isalpha (*p))
    for (token.kind = TOKEN_LETTERS; g_ascii_isalpha (p[token.length]); token.length++);
  else
    {
      token.kind = TOKEN_SEPARATOR;
      token.length = 1;
    }
  *cursor = p + token.length;
  return token;
}

static int
compare_numbers (Token a,
                 Token b)
{
  while (a.length > 1 && *a.start == '0')
    a.start++, a.length--;
  while (b.length > 1 && *b.start == '0')
    b.start++, b.length--;
  if (a.length != b.length)
    return a.length < b.length ? -1 : 1;
  return memcmp (a.start, b.start, a.length);
}

static int
compare_letters (Token a,
                 Token b)
{
  int c = g_ascii_strncasecmp (a.start, b.start, MIN (a.length, b.length));

  if (c != 0 || a.length == b.length)
    return c;
  return a.length < b.length ? -1 : 1;
}

/* One pair of tokens: <0 or >0 when they decide; 0 with *go_on when they are
 * equal; *comparable becomes FALSE when they cannot be ordered at all. */
static int
compare_tokens (Token     a,
                Token     b,
                gboolean *comparable,
                gboolean *go_on)
{
  int c;

  *go_on = FALSE;
  if (a.kind == TOKEN_END || b.kind == TOKEN_END)
    return (a.kind != TOKEN_END) - (b.kind != TOKEN_END);
  if (a.kind == TOKEN_SEPARATOR || b.kind == TOKEN_SEPARATOR)
    {
      /* "1.05" against "1-09": no rule orders different separators. */
      *comparable = a.kind == b.kind && *a.start == *b.start;
      *go_on = *comparable;
      return 0;
    }
  if (a.kind != b.kind)
    return a.kind == TOKEN_DIGITS ? -1 : 1;
  c = a.kind == TOKEN_DIGITS ? compare_numbers (a, b) : compare_letters (a, b);
  *go_on = c == 0;
  return (c > 0) - (c < 0);
}

static gboolean
revision_is_printable (const char *revision)
{
  if (revision == NULL || *revision == '\0')
    return FALSE;
  for (const char *p = revision; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p))
      return FALSE;
  return TRUE;
}

/**
 * rf_nec_revision_compare:
 * @comparable: (out): %FALSE when the two cannot be ordered (`unknown-order`)
 *
 * Returns: <0, 0 or >0 as @a is older than, the same as, or newer than @b
 */
int
rf_nec_revision_compare (const char *a,
                         const char *b,
                         gboolean   *comparable)
{
  gboolean go_on = TRUE;
  int result = 0;

  g_return_val_if_fail (comparable != NULL, 0);

  *comparable = revision_is_printable (a) && revision_is_printable (b);
  while (*comparable && go_on)
    {
      Token ta = next_token (&a);
      Token tb = next_token (&b);

      result = compare_tokens (ta, tb, comparable, &go_on);
    }
  return *comparable ? result : 0;
}
