/* rf-sim-scenario.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rf-error.h"
#include "rf-nec-2m.h"
#include "rf-paths.h"
#include "rf-sim-scenario.h"

/*
 * Scenario files are strict: every key is known, every value checked, and an
 * error names the file, the line and the key, because people write these files
 * by hand to rehearse their own case. GKeyFile keeps no line numbers, so the
 * line is found again in the file's text.
 */

typedef enum {
  KEY_STRING,   /* min..max characters */
  KEY_BOOL,
  KEY_UINT,     /* min..max */
  KEY_ENUM,     /* one of nicks */
  KEY_NEC_KEY,  /* a canonical NEC ID: the bootcode's key */
  KEY_NEC_ID,   /* a canonical or alias NEC ID */
} KeyType;

typedef struct {
  const char *group;
  const char *key;
  KeyType type;
  gsize offset;
  guint min;
  guint max;
  const char *const *nicks;
  gboolean required;
} KeySpec;

static const char *const protocol_nicks[] = { "nec-2m", "spc-download", NULL };
static const char *const bridge_nicks[] = { "direct", "blocks-vendor", NULL };
static const char *const firmware_nicks[] = { "valid", "erased", "interrupted", "copied", NULL };
static const char *const variant_nicks[] = { "single", "offsets", "deferred", NULL };

#define OFF(field) offsetof (RfSimScenario, field)
#define COST(n) (OFF (cost_ms) + (n) * sizeof (guint))

static const KeySpec scenario_keys[] = {
  { "Scenario", "Name", KEY_STRING, OFF (name), 1, 80, NULL, TRUE },
  { "Scenario", "Description", KEY_STRING, OFF (description), 1, 400, NULL, TRUE },
  { "Scenario", "Protocol", KEY_ENUM, OFF (protocol), 0, 0, protocol_nicks, TRUE },
  { "Scenario", "Disc", KEY_BOOL, OFF (disc), 0, 0, NULL, FALSE },
  { "Scenario", "Bridge", KEY_ENUM, OFF (bridge_blocks_vendor), 0, 0, bridge_nicks, FALSE },
  { "Scenario", "MaxTransfer", KEY_UINT, OFF (max_transfer), 512, 16 * 1024 * 1024, NULL, FALSE },
  { "Scenario", "Serial", KEY_STRING, OFF (serial), 1, 40, NULL, FALSE },
  { "Scenario", "TwinOf", KEY_STRING, OFF (twin_of), 1, 200, NULL, FALSE },

  { "NEC", "BootcodeKey", KEY_NEC_KEY, OFF (bootcode_key), 0, 0, NULL, TRUE },
  { "NEC", "BootcodeVersion", KEY_STRING, OFF (bootcode_version), 2, 2, NULL, TRUE },
  { "NEC", "SafeModeVendor", KEY_STRING, OFF (safe_mode_vendor), 1, 8, NULL, FALSE },
  { "NEC", "SafeModeProduct", KEY_STRING, OFF (safe_mode_product), 1, 16, NULL, FALSE },
  { "NEC", "StoredId", KEY_NEC_ID, OFF (stored_id), 0, 0, NULL, FALSE },
  { "NEC", "RidCode", KEY_STRING, OFF (rid_code), 4, 4, NULL, FALSE },
  { "NEC", "RidVendor", KEY_STRING, OFF (rid_vendor), 1, 16, NULL, FALSE },
  { "NEC", "RidModel", KEY_STRING, OFF (rid_model), 8, 32, NULL, FALSE },
  { "NEC", "Firmware", KEY_ENUM, OFF (firmware), 0, 0, firmware_nicks, FALSE },
  { "NEC", "FirmwareModel", KEY_NEC_KEY, OFF (firmware_model), 0, 0, NULL, FALSE },
  { "NEC", "FirmwareRevision", KEY_STRING, OFF (firmware_revision), 4, 4, NULL, FALSE },
  { "NEC", "InterruptedAtBlock", KEY_UINT, OFF (interrupted_at_block), RF_NEC_FIRST_MAIN_BLOCK,
    RF_NEC_LAST_PROGRAM_BLOCK, NULL, FALSE },
  { "NEC", "FirmwareDate", KEY_STRING, OFF (firmware_date), 14, 14, NULL, FALSE },
  { "NEC", "FirmwareFile", KEY_STRING, OFF (firmware_file), 1, 255, NULL, FALSE },

  { "SPC", "Vendor", KEY_STRING, OFF (vendor), 1, 8, NULL, TRUE },
  { "SPC", "Product", KEY_STRING, OFF (product), 1, 16, NULL, TRUE },
  { "SPC", "Revision", KEY_STRING, OFF (revision), 4, 4, NULL, TRUE },
  { "SPC", "BootRevision", KEY_STRING, OFF (boot_revision), 4, 4, NULL, FALSE },
  { "SPC", "Variant", KEY_ENUM, OFF (variant), 0, 0, variant_nicks, TRUE },
  { "SPC", "BufferId", KEY_UINT, OFF (buffer_id), 0, 255, NULL, FALSE },
  { "SPC", "OffsetBoundary", KEY_UINT, OFF (offset_boundary), 0, 255, NULL, FALSE },
  { "SPC", "BufferCapacity", KEY_UINT, OFF (buffer_capacity), 1, 0xFFFFFF, NULL, TRUE },
  { "SPC", "ImageSize", KEY_UINT, OFF (image_size), 64, 0xFFFFFF, NULL, TRUE },
  { "SPC", "ModelCheckOffset", KEY_UINT, OFF (model_offset), 0, 0xFFFFFF, NULL, TRUE },
  { "SPC", "RevisionOffset", KEY_UINT, OFF (revision_offset), 0, 0xFFFFFF, NULL, TRUE },
  { "SPC", "BootMode", KEY_BOOL, OFF (boot_mode), 0, 0, NULL, FALSE },
  { "SPC", "BootModeAcceptsDownload", KEY_BOOL, OFF (boot_accepts_download), 0, 0, NULL, FALSE },
  { "SPC", "ActivationDropsConnection", KEY_BOOL, OFF (activation_drops_connection), 0, 0, NULL,
    FALSE },
  { "SPC", "Dump", KEY_BOOL, OFF (dump), 0, 0, NULL, FALSE },
  { "SPC", "Descriptor", KEY_BOOL, OFF (descriptor), 0, 0, NULL, FALSE },
  { "SPC", "FirmwareDate", KEY_STRING, OFF (firmware_date), 14, 14, NULL, FALSE },
  { "SPC", "ImageFile", KEY_STRING, OFF (image_file), 1, 255, NULL, FALSE },

  { "Timing", "Query", KEY_UINT, COST (RF_SIM_COST_QUERY), 0, 600000, NULL, FALSE },
  { "Timing", "Read", KEY_UINT, COST (RF_SIM_COST_READ), 0, 600000, NULL, FALSE },
  { "Timing", "SafeModeEnter", KEY_UINT, COST (RF_SIM_COST_SAFE_MODE_ENTER), 0, 600000, NULL,
    FALSE },
  { "Timing", "SafeModeLeave", KEY_UINT, COST (RF_SIM_COST_SAFE_MODE_LEAVE), 0, 600000, NULL,
    FALSE },
  { "Timing", "WriteRam", KEY_UINT, COST (RF_SIM_COST_WRITE_RAM), 0, 600000, NULL, FALSE },
  { "Timing", "SendChecksum", KEY_UINT, COST (RF_SIM_COST_SEND_CHECKSUM), 0, 600000, NULL,
    FALSE },
  { "Timing", "EraseBlock", KEY_UINT, COST (RF_SIM_COST_ERASE_BLOCK), 0, 600000, NULL, FALSE },
  { "Timing", "ProgramBlock", KEY_UINT, COST (RF_SIM_COST_PROGRAM_BLOCK), 0, 600000, NULL,
    FALSE },
  { "Timing", "WriteBuffer", KEY_UINT, COST (RF_SIM_COST_WRITE_BUFFER), 0, 600000, NULL, FALSE },
  { "Timing", "Save", KEY_UINT, COST (RF_SIM_COST_SAVE), 0, 600000, NULL, FALSE },
  { "Timing", "Settle", KEY_UINT, COST (RF_SIM_COST_SETTLE), 0, 300000, NULL, FALSE },
};

/* Defaults at speed 1: an NEC normal flash takes about three minutes. */
static const guint default_cost_ms[RF_SIM_COST_LAST] = {
  [RF_SIM_COST_QUERY] = 2,
  [RF_SIM_COST_READ] = 20,
  [RF_SIM_COST_SAFE_MODE_ENTER] = 300,
  [RF_SIM_COST_SAFE_MODE_LEAVE] = 2000,
  [RF_SIM_COST_WRITE_RAM] = 40,
  [RF_SIM_COST_SEND_CHECKSUM] = 100,
  [RF_SIM_COST_ERASE_BLOCK] = 1500,
  [RF_SIM_COST_PROGRAM_BLOCK] = 4000,
  [RF_SIM_COST_WRITE_BUFFER] = 50,
  [RF_SIM_COST_SAVE] = 20000,
  [RF_SIM_COST_SETTLE] = 15000,
};

typedef struct {
  const char *path;
  const char *text;
  GKeyFile *keyfile;
} Source;

static gboolean
line_is_group (const char *line,
               const char *group)
{
  gsize n = strlen (group);

  return line[0] == '[' && strncmp (line + 1, group, n) == 0 && line[n + 1] == ']';
}

static gboolean
line_is_key (const char *line,
             const char *key)
{
  gsize n = strlen (key);

  if (strncmp (line, key, n) != 0)
    return FALSE;
  line += n;
  while (*line == ' ' || *line == '\t')
    line++;
  return *line == '=';
}

/* The 1-based line of [group] key=, or of [group] itself when @key is NULL;
 * 0 when absent. */
static guint
find_line (const Source *src,
           const char   *group,
           const char   *key)
{
  g_auto(GStrv) lines = g_strsplit (src->text, "\n", -1);
  gboolean in_group = FALSE;
  guint found = 0;

  /* The last line that sets the key: GKeyFile keeps the last of duplicates. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = lines[i];

      while (*line == ' ' || *line == '\t')
        line++;
      if (line[0] == '[')
        {
          in_group = line_is_group (line, group);
          if (in_group && key == NULL)
            return i + 1;
          continue;
        }
      if (in_group && key != NULL && line_is_key (line, key))
        found = i + 1;
    }
  return found;
}

static gboolean G_GNUC_PRINTF (5, 6)
fail (const Source *src,
      const char   *group,
      const char   *key,
      GError      **error,
      const char   *format,
      ...)
{
  va_list args;
  g_autofree char *what = NULL;
  guint line = find_line (src, group, key);

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  if (key != NULL)
    g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s:%u: [%s] %s: %s", src->path, line,
                 group, key, what);
  else
    g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s:%u: [%s]: %s", src->path, line,
                 group, what);
  return FALSE;
}

static gboolean
parse_uint (const char *text,
            guint       min,
            guint       max,
            guint      *out)
{
  guint64 value;

  /* Hex is easier for offsets and sizes. */
  if (g_str_has_prefix (text, "0x"))
    {
      if (!g_ascii_string_to_unsigned (text + 2, 16, 0, max, &value, NULL))
        return FALSE;
    }
  else if (!g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL))
    {
      return FALSE;
    }
  if (value < min)
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

static gboolean
parse_enum (const char         *text,
            const char *const  *nicks,
            guint              *out)
{
  for (guint i = 0; nicks[i] != NULL; i++)
    if (g_str_equal (nicks[i], text))
      {
        *out = i;
        return TRUE;
      }
  return FALSE;
}

static gboolean
store_value (RfSimScenario  *self,
             const Source   *src,
             const KeySpec  *spec,
             const char     *text,
             GError        **error)
{
  guint8 *field = (guint8 *) self + spec->offset;
  const RfNecType *type;
  guint number;
  gsize length;

  switch (spec->type)
    {
    case KEY_STRING:
      /* What reaches INQUIRY or flash is copied byte for byte: plain ASCII only,
       * counted in bytes. Name and Description are text for people. */
      if (!g_str_equal (spec->group, "Scenario") || g_str_equal (spec->key, "Serial"))
        {
          for (const char *p = text; *p != '\0'; p++)
            if (*p < 0x20 || *p > 0x7e)
              return fail (src, spec->group, spec->key, error,
                           "“%s” may hold only printable ASCII characters", text);
          length = strlen (text);
        }
      else
        {
          length = g_utf8_strlen (text, -1);
        }
      if (length < spec->min || length > spec->max)
        return fail (src, spec->group, spec->key, error,
                     "“%s” must have %u to %u characters", text, spec->min, spec->max);
      g_free (*(char **) field);
      *(char **) field = g_strdup (text);
      return TRUE;
    case KEY_BOOL:
      if (!g_str_equal (text, "true") && !g_str_equal (text, "false"))
        return fail (src, spec->group, spec->key, error,
                     "“%s” is not a boolean (true or false)", text);
      *(gboolean *) field = g_str_equal (text, "true");
      return TRUE;
    case KEY_UINT:
      if (!parse_uint (text, spec->min, spec->max, &number))
        return fail (src, spec->group, spec->key, error,
                     "“%s” is not a number from %u to %u", text, spec->min, spec->max);
      *(guint *) field = number;
      return TRUE;
    case KEY_ENUM:
      if (!parse_enum (text, spec->nicks, &number))
        {
          g_autofree char *choices = g_strjoinv (", ", (char **) spec->nicks);

          return fail (src, spec->group, spec->key, error,
                       "unknown value “%s” (expected one of %s)", text, choices);
        }
      *(guint *) field = number;
      return TRUE;
    case KEY_NEC_KEY:
    case KEY_NEC_ID:
      type = rf_nec_type_from_id (text);
      if (type == NULL || (spec->type == KEY_NEC_KEY && !g_str_equal (type->id, text)))
        return fail (src, spec->group, spec->key, error, "“%s” is not %s drive ID of nec-2m.md §0",
                     text, spec->type == KEY_NEC_KEY ? "a canonical" : "a");
      g_free (*(char **) field);
      *(char **) field = g_strdup (text);
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static const KeySpec *
find_spec (const char *group,
           const char *key)
{
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_keys); i++)
    if (g_str_equal (scenario_keys[i].group, group) && g_str_equal (scenario_keys[i].key, key))
      return &scenario_keys[i];
  return NULL;
}

static gboolean
load_group (RfSimScenario *self,
            const Source  *src,
            const char    *group,
            GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (src->keyfile, group, NULL, NULL);

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const KeySpec *spec = find_spec (group, keys[i]);
      g_autofree char *value = NULL;

      if (spec == NULL)
        return fail (src, group, keys[i], error, "unknown key");
      value = g_key_file_get_string (src->keyfile, group, keys[i], NULL);
      if (value == NULL || !store_value (self, src, spec, value, error))
        return value == NULL ? fail (src, group, keys[i], error, "unreadable value") : FALSE;
    }
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_keys); i++)
    if (scenario_keys[i].required && g_str_equal (scenario_keys[i].group, group) &&
        !g_key_file_has_key (src->keyfile, group, scenario_keys[i].key, NULL))
      return fail (src, group, NULL, error, "the required key %s is missing",
                   scenario_keys[i].key);
  return TRUE;
}

static const char *const fault_keys[] = {
  "Kind", "Phase", "Occurrence", "Command", "ByteOffset", "Count", NULL,
};

static gboolean
load_fault_value (RfSimFault   *fault,
                  const Source *src,
                  const char   *group,
                  const char   *key,
                  const char   *value,
                  GError      **error)
{
  guint number = 0;
  gboolean is_number;

  if (g_str_equal (key, "Kind"))
    return rf_sim_fault_kind_from_nick (value, &fault->kind) ||
           fail (src, group, key, error, "unknown fault kind “%s”", value);
  if (g_str_equal (key, "Phase"))
    return rf_sim_phase_from_nick (value, &fault->phase) ||
           fail (src, group, key, error, "unknown phase “%s”", value);
  is_number = parse_uint (value, 0, G_MAXINT32, &number);
  if (!is_number)
    return fail (src, group, key, error, "“%s” is not a number", value);
  if (g_str_equal (key, "Occurrence"))
    fault->occurrence = number;
  else if (g_str_equal (key, "Command"))
    fault->command = number;
  else if (g_str_equal (key, "ByteOffset"))
    fault->byte_offset = number;
  else
    fault->count = number;
  return TRUE;
}

/* A fault that can never act must not load quietly: the scenario's author would
 * rehearse a failure that never comes. */
static gboolean
check_fault (const RfSimFault *fault,
             const Source     *src,
             const char       *group,
             GError          **error)
{
  gboolean writes = fault->phase == RF_SIM_PHASE_ERASE || fault->phase == RF_SIM_PHASE_PROGRAM ||
                    fault->phase == RF_SIM_PHASE_UPLOAD || fault->phase == RF_SIM_PHASE_ACTIVATE;

  if ((fault->kind == RF_SIM_FAULT_WRITE_FAILURE || fault->kind == RF_SIM_FAULT_SILENT_FLASH) &&
      !writes && fault->command == 0)
    return fail (src, group,
                 g_key_file_has_key (src->keyfile, group, "Phase", NULL) ? "Phase" : "Kind", error,
                 "this fault acts only on commands that write: give Phase=erase, program, "
                 "upload or activate, or a Command number");
  if (fault->kind == RF_SIM_FAULT_FLIPPED_READ && fault->phase != RF_SIM_PHASE_READ &&
      fault->command == 0)
    return fail (src, group,
                 g_key_file_has_key (src->keyfile, group, "Phase", NULL) ? "Phase" : "Kind", error,
                 "this fault acts only on reads: give Phase=read, or a Command number");
  if (g_key_file_has_key (src->keyfile, group, "ByteOffset", NULL) &&
      fault->kind != RF_SIM_FAULT_POWER_LOSS && fault->kind != RF_SIM_FAULT_KILLED)
    return fail (src, group, "ByteOffset", error, "applies only to Kind=power-loss or killed");
  if (g_key_file_has_key (src->keyfile, group, "Count", NULL) &&
      fault->kind != RF_SIM_FAULT_UNIT_ATTENTION_STORM)
    return fail (src, group, "Count", error, "applies only to Kind=unit-attention-storm");
  return TRUE;
}

static gboolean
load_fault (RfSimScenario *self,
            const Source  *src,
            const char    *group,
            GError       **error)
{
  g_auto(GStrv) keys = g_key_file_get_keys (src->keyfile, group, NULL, NULL);
  RfSimFault fault;

  rf_sim_fault_init (&fault, RF_SIM_FAULT_POWER_LOSS, RF_SIM_PHASE_ANY, 1);
  if (!g_key_file_has_key (src->keyfile, group, "Kind", NULL))
    return fail (src, group, NULL, error, "the required key Kind is missing");
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      g_autofree char *value = g_key_file_get_string (src->keyfile, group, keys[i], NULL);

      if (!g_strv_contains (fault_keys, keys[i]))
        return fail (src, group, keys[i], error, "unknown key");
      if (value == NULL || !load_fault_value (&fault, src, group, keys[i], value, error))
        return value == NULL ? fail (src, group, keys[i], error, "unreadable value") : FALSE;
    }
  if (!check_fault (&fault, src, group, error))
    return FALSE;
  g_array_append_val (self->faults, fault);
  return TRUE;
}

static char *
path_beside (const RfSimScenario *self,
             const char          *name)
{
  g_autofree char *dir = NULL;

  if (name == NULL)
    return NULL;
  dir = g_path_get_dirname (self->path);
  return g_build_filename (dir, name, NULL);
}

/**
 * rf_sim_scenario_dup_firmware_path:
 *
 * Returns: (transfer full) (nullable): where a twin's firmware is, beside its
 *   scenario file: an NEC main area or an SPC drive's stored microcode; %NULL
 *   for a scenario whose flash is made by code
 */
char *
rf_sim_scenario_dup_firmware_path (const RfSimScenario *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return path_beside (self, self->firmware_file != NULL ? self->firmware_file : self->image_file);
}

/**
 * rf_sim_scenario_read_firmware:
 * @into: where the firmware goes, @size bytes (a practice drive's mapping)
 *
 * Reads a twin's firmware file straight into @into, with no heap copy
 * (rf-sim-region.c says why). On failure @into is left erased (0xFF).
 *
 * Returns: whether all @size bytes were read
 */
gboolean
rf_sim_scenario_read_firmware (const RfSimScenario *self,
                               guint8              *into,
                               gsize                size)
{
  g_autofree char *path = rf_sim_scenario_dup_firmware_path (self);
  gsize done = 0;
  int fd = path != NULL ? g_open (path, O_RDONLY | O_CLOEXEC, 0) : -1;

  while (fd >= 0 && done < size)
    {
      gssize n = read (fd, into + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += (gsize) n;
    }
  if (fd >= 0)
    close (fd);
  if (done == size)
    return TRUE;
  g_warning ("practice drive %s: its firmware file %s could not be read", self->id,
             path != NULL ? path : "(none)");
  memset (into, 0xff, size);
  return FALSE;
}

/* A plain name beside the scenario, of exactly @size bytes. */
static gboolean
check_file_beside (RfSimScenario *self,
                   const Source  *src,
                   const char    *group,
                   const char    *key,
                   const char    *name,
                   gsize          size,
                   GError       **error)
{
  g_autofree char *path = NULL;
  GStatBuf info;

  if (strchr (name, '/') != NULL || name[0] == '.')
    return fail (src, group, key, error, "“%s” is not a file name beside the scenario", name);
  path = path_beside (self, name);
  if (g_stat (path, &info) != 0 || !S_ISREG (info.st_mode) || (gsize) info.st_size != size)
    return fail (src, group, key, error, "%s is missing or not %" G_GSIZE_FORMAT " bytes long",
                 path, size);
  return TRUE;
}

static gboolean
check_nec (RfSimScenario *self,
           const Source  *src,
           GError       **error)
{
  const RfNecType *type;

  if (self->stored_id == NULL)
    self->stored_id = g_strdup (self->bootcode_key);
  type = rf_nec_type_from_id (self->stored_id);
  if (self->firmware_model == NULL)
    self->firmware_model = g_strdup (type->id);
  if (self->rid_code == NULL && type->rid_code != NULL)
    self->rid_code = g_strdup (type->rid_code);
  if (self->rid_vendor == NULL)
    self->rid_vendor = g_strdup ("NEC");
  if (self->rid_model == NULL)
    self->rid_model = g_strdup (type->model);
  if (strlen (self->rid_model) < 7)
    return fail (src, "NEC", "RidModel", error, "too short to hold the model digits");
  if (self->firmware != RF_SIM_FIRMWARE_ERASED && self->firmware_revision == NULL)
    return fail (src, "NEC", NULL, error, "the key FirmwareRevision is required unless "
                 "Firmware=erased");
  if ((self->firmware == RF_SIM_FIRMWARE_COPIED) != (self->firmware_file != NULL))
    return fail (src, "NEC", "FirmwareFile", error, "goes with Firmware=copied, and only there");
  if (self->firmware_file != NULL &&
      !check_file_beside (self, src, "NEC", "FirmwareFile", self->firmware_file, RF_NEC_MAIN_SIZE,
                          error))
    return FALSE;
  /* nec-2m.md §0: a normal-mode revision never starts with '0' (that is safe mode). */
  if (self->firmware_revision != NULL && self->firmware_revision[0] == '0')
    return fail (src, "NEC", "FirmwareRevision", error,
                 "“%s” starts with 0, which a drive shows only in safe mode",
                 self->firmware_revision);
  if (self->firmware == RF_SIM_FIRMWARE_INTERRUPTED && self->interrupted_at_block == 0)
    return fail (src, "NEC", NULL, error, "the key InterruptedAtBlock is required with "
                 "Firmware=interrupted");
  return TRUE;
}

static gboolean
check_spc (RfSimScenario *self,
           const Source  *src,
           GError       **error)
{
  if (self->boot_revision == NULL)
    self->boot_revision = g_strdup ("0000");
  if (self->image_size > self->buffer_capacity)
    return fail (src, "SPC", "ImageSize", error, "larger than BufferCapacity");
  if (self->model_offset + 16 > self->image_size)
    return fail (src, "SPC", "ModelCheckOffset", error, "the 16-byte product does not fit the image");
  if (self->revision_offset + 4 > self->image_size)
    return fail (src, "SPC", "RevisionOffset", error, "the revision does not fit the image");
  if (self->model_offset < self->revision_offset + 4 && self->revision_offset < self->model_offset + 16)
    return fail (src, "SPC", "RevisionOffset", error, "overlaps the product at ModelCheckOffset");
  if (self->image_file != NULL &&
      !check_file_beside (self, src, "SPC", "ImageFile", self->image_file, self->image_size, error))
    return FALSE;
  return TRUE;
}

/* YYYYMMDDhhmmss, as GET CONFIGURATION feature 0x010C carries it. */
static gboolean
check_date (RfSimScenario *self,
            const Source  *src,
            const char    *group,
            GError       **error)
{
  const char *date = self->firmware_date;

  if (date == NULL)
    return TRUE;
  for (const char *p = date; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return fail (src, group, "FirmwareDate", error, "“%s” is not YYYYMMDDhhmmss", date);
  return TRUE;
}

static gboolean
load_groups (RfSimScenario *self,
             const Source  *src,
             GError       **error)
{
  g_auto(GStrv) groups = g_key_file_get_groups (src->keyfile, NULL);
  const char *own = self->protocol == RF_SIM_PROTOCOL_NEC_2M ? "NEC" : "SPC";
  const char *other = self->protocol == RF_SIM_PROTOCOL_NEC_2M ? "SPC" : "NEC";

  if (!g_key_file_has_group (src->keyfile, own))
    return fail (src, "Scenario", "Protocol", error, "the group [%s] is missing", own);
  for (guint i = 0; groups[i] != NULL; i++)
    {
      const char *group = groups[i];
      gboolean ok;

      if (g_str_equal (group, "Scenario"))
        continue;
      if (g_str_equal (group, own) || g_str_equal (group, "Timing"))
        ok = load_group (self, src, group, error);
      else if (g_str_equal (group, "Fault") || g_str_has_prefix (group, "Fault "))
        ok = load_fault (self, src, group, error);
      else if (g_str_equal (group, other))
        ok = fail (src, group, NULL, error, "does not apply to this Protocol");
      else
        ok = fail (src, group, NULL, error, "unknown group");
      if (!ok)
        return FALSE;
    }
  if (!check_date (self, src, own, error))
    return FALSE;
  return self->protocol == RF_SIM_PROTOCOL_NEC_2M ? check_nec (self, src, error)
                                                  : check_spc (self, src, error);
}

static RfSimScenario *
scenario_new (void)
{
  RfSimScenario *self = g_new0 (RfSimScenario, 1);

  self->max_transfer = 64 * 1024;
  self->boot_accepts_download = TRUE;
  self->dump = TRUE;
  self->descriptor = TRUE;
  memcpy (self->cost_ms, default_cost_ms, sizeof self->cost_ms);
  self->faults = g_array_new (FALSE, FALSE, sizeof (RfSimFault));
  return self;
}

/**
 * rf_sim_scenario_load_file:
 * @path: a scenario file
 * @error: return location; %RF_ERROR_INVALID_FILE names file, line and key
 *
 * Returns: (transfer full): the scenario, its id being the file name without .conf
 */
RfSimScenario *
rf_sim_scenario_load_file (const char *path,
                           GError    **error)
{
  g_autoptr(RfSimScenario) self = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autofree char *text = NULL;
  g_autofree char *base = NULL;
  g_autoptr(GError) local_error = NULL;
  Source src;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_file_get_contents (path, &text, NULL, &local_error) ||
      !g_key_file_load_from_data (keyfile, text, (gsize) -1, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s: %s", path, local_error->message);
      return NULL;
    }
  src = (Source) { path, text, keyfile };
  self = scenario_new ();
  base = g_path_get_basename (path);
  self->id = g_strndup (base, g_str_has_suffix (base, ".conf") ? strlen (base) - 5 : strlen (base));
  self->path = g_strdup (path);
  if (!g_key_file_has_group (keyfile, "Scenario"))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_INVALID_FILE, "%s:1: the group [Scenario] is missing",
                   path);
      return NULL;
    }
  if (!load_group (self, &src, "Scenario", error) || !load_groups (self, &src, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
valid_id (const char *id)
{
  if (*id == '\0')
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/**
 * rf_sim_scenario_get_user_dir:
 *
 * Returns: (transfer full): $XDG_DATA_HOME/reflash/practice, where the
 *   user's own practice drives (twins) are; never the installed data
 */
char *
rf_sim_scenario_get_user_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "reflash", "practice", NULL);
}

/* ID.conf in @dir, when it is there. */
static char *
find_in (const char *dir,
         const char *id)
{
  g_autofree char *file = g_strconcat (id, ".conf", NULL);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  return g_file_test (path, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&path) : NULL;
}

/**
 * rf_sim_scenario_load:
 * @id: a scenario's id ("seed"): data/practice/ID.conf, else the user's own
 *   (rf_sim_scenario_get_user_dir())
 *
 * Returns: (transfer full): the scenario, or %NULL with %RF_ERROR_NOT_FOUND
 */
RfSimScenario *
rf_sim_scenario_load (const char *id,
                      GError    **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *user_dir = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (id != NULL, NULL);

  if (!valid_id (id))
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "“%s” is not a practice drive name", id);
      return NULL;
    }
  dir = rf_paths_get_data_subdir ("practice");
  user_dir = rf_sim_scenario_get_user_dir ();
  path = find_in (dir, id);
  if (path == NULL)
    path = find_in (user_dir, id);
  if (path == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "no practice drive “%s” in %s or %s", id,
                   dir, user_dir);
      return NULL;
    }
  return rf_sim_scenario_load_file (path, error);
}

gboolean
rf_sim_scenario_is_twin (const RfSimScenario *self)
{
  g_return_val_if_fail (self != NULL, FALSE);
  return self->twin_of != NULL;
}

static gint
compare_ids (gconstpointer a,
             gconstpointer b)
{
  const RfSimScenario *x = *(RfSimScenario *const *) a;
  const RfSimScenario *y = *(RfSimScenario *const *) b;

  return strcmp (x->id, y->id);
}

/* Adds the scenarios of @dir_path. @strict: a broken file fails the list
 * (the shipped files are tested: a broken one is a packaging error worth
 * seeing); else it is left out with a message (one broken twin must not hide
 * the other drives). A shipped id is never shadowed. */
static gboolean
add_dir (GPtrArray   *list,
         const char  *dir_path,
         gboolean     strict,
         GError     **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL && !strict)
    return TRUE;
  if (dir == NULL)
    {
      g_set_error (error, RF_ERROR, RF_ERROR_NOT_FOUND, "%s", local_error->message);
      return FALSE;
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autoptr(GError) file_error = NULL;
      RfSimScenario *scenario;

      if (!g_str_has_suffix (name, ".conf"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      scenario = rf_sim_scenario_load_file (path, &file_error);
      if (scenario == NULL && strict)
        {
          g_propagate_error (error, g_steal_pointer (&file_error));
          return FALSE;
        }
      if (scenario == NULL)
        {
          g_message ("practice drive left out: %s", file_error->message);
          continue;
        }
      for (guint i = 0; i < list->len && scenario != NULL; i++)
        if (g_str_equal (((RfSimScenario *) g_ptr_array_index (list, i))->id, scenario->id))
          g_clear_pointer (&scenario, rf_sim_scenario_free);
      if (scenario != NULL)
        g_ptr_array_add (list, scenario);
    }
  return TRUE;
}

/**
 * rf_sim_scenario_list:
 *
 * Every shipped scenario, then the user's own (twins), each sorted by id.
 *
 * Returns: (transfer full) (element-type RfSimScenario): the scenarios
 */
GPtrArray *
rf_sim_scenario_list (GError **error)
{
  g_autofree char *shipped = rf_paths_get_data_subdir ("practice");
  g_autofree char *user_dir = rf_sim_scenario_get_user_dir ();
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) rf_sim_scenario_free);
  guint n_shipped;

  if (!add_dir (list, shipped, TRUE, error))
    return NULL;
  g_ptr_array_sort (list, compare_ids);
  n_shipped = list->len;
  add_dir (list, user_dir, FALSE, NULL);
  /* Twins after the shipped drives, in the order they were made. */
  if (list->len > n_shipped)
    qsort (list->pdata + n_shipped, list->len - n_shipped, sizeof (gpointer), compare_ids);
  return g_steal_pointer (&list);
}

RfSimScenario *
rf_sim_scenario_copy (const RfSimScenario *self)
{
  RfSimScenario *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_keys); i++)
    if (scenario_keys[i].type == KEY_STRING || scenario_keys[i].type == KEY_NEC_KEY ||
        scenario_keys[i].type == KEY_NEC_ID)
      {
        char **field = (char **) ((guint8 *) copy + scenario_keys[i].offset);

        /* [NEC] and [SPC] share FirmwareDate: copy each field once. */
        if (i > 0 && scenario_keys[i].offset == OFF (firmware_date) &&
            !g_str_equal (scenario_keys[i].group, "NEC"))
          continue;
        *field = g_strdup (*field);
      }
  copy->id = g_strdup (self->id);
  copy->path = g_strdup (self->path);
  copy->faults = g_array_copy (self->faults);
  return copy;
}

void
rf_sim_scenario_free (RfSimScenario *self)
{
  if (self == NULL)
    return;
  for (gsize i = 0; i < G_N_ELEMENTS (scenario_keys); i++)
    if (scenario_keys[i].type == KEY_STRING || scenario_keys[i].type == KEY_NEC_KEY ||
        scenario_keys[i].type == KEY_NEC_ID)
      {
        char **field = (char **) ((guint8 *) self + scenario_keys[i].offset);

        g_clear_pointer (field, g_free);
      }
  g_free (self->id);
  g_free (self->path);
  g_array_unref (self->faults);
  g_free (self);
}

/* The name as people read it, translated through the POT route described in
 * data/practice/README.md. */
const char *
rf_sim_scenario_get_name (const RfSimScenario *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->name);
}

const char *
rf_sim_scenario_get_description (const RfSimScenario *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->description);
}
