/* rf-power.c: the power check of a flash, from Linux's power-supply class
 *
 * Each entry of /sys/class/power_supply is one supply, with text attributes
 * (Documentation/ABI/testing/sysfs-class-power): `type` (Battery, UPS, Mains,
 * USB, Wireless; older kernels also USB_DCP, USB_C, ...), `scope` (System or
 * Device; Unknown; absent means System), `online` on chargers (0 offline,
 * 1 or 2 online), `status` on batteries (Charging, Discharging, Not charging,
 * Full, Unknown), `present`, `capacity` (0-100) and `energy_now`/`energy_full`
 * (µWh). A wireless mouse's battery has scope Device: it powers the mouse,
 * never the computer, so it is left out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>

#include "rf-power.h"

#define DEFAULT_CLASS_DIR "/sys/class/power_supply"
/* 1 MWh in µWh: far above any battery, low enough that adding up many
 * batteries and multiplying by 100 stays inside 64 bits. */
#define MAX_ENERGY G_GINT64_CONSTANT (1000000000000)

/* What the system-scope supplies say, added up. */
typedef struct {
  gboolean external_seen;      /* a charger entry (Mains, USB, ...), online or not */
  gboolean external_online;    /* one of them gives power now */
  gboolean discharging;        /* a battery (or UPS) gives power now */
  gboolean charger_implied;    /* a battery is Charging, Full or Not charging */
  guint n_batteries;
  int lowest_capacity;         /* -1: no battery says */
  gboolean all_have_energy;    /* every battery gives energy_now and energy_full */
  gint64 energy_now;
  gint64 energy_full;
} Tally;

/* One attribute of one supply, without its newline; NULL when absent or
 * unreadable (some drivers fail reads of a battery being probed: that is
 * the same as not saying). */
static char *
read_attribute (const char *supply_dir,
                const char *name)
{
  g_autofree char *path = g_build_filename (supply_dir, name, NULL);
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  return g_strdup (g_strstrip (contents));
}

/* A whole number in [0, max], or -1 when absent or out of range. */
static gint64
read_number (const char *supply_dir,
             const char *name,
             gint64      max)
{
  g_autofree char *text = read_attribute (supply_dir, name);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, max, &value, NULL))
    return -1;
  return value;
}

static gboolean
attribute_is (const char *supply_dir,
              const char *name,
              const char *value)
{
  g_autofree char *text = read_attribute (supply_dir, name);

  return g_strcmp0 (text, value) == 0;
}

/* Absent means System (the kernel's rule); Unknown counts as System too,
 * since only a supply known to power a single device may be left out. */
static gboolean
is_system_scope (const char *supply_dir)
{
  return !attribute_is (supply_dir, "scope", "Device");
}

static gboolean
is_charger_type (const char *type)
{
  return g_strcmp0 (type, "Battery") != 0 && g_strcmp0 (type, "UPS") != 0;
}

static void
tally_charger (Tally      *tally,
               const char *supply_dir)
{
  /* 1 is "online, fixed voltage", 2 "online, programmable" (USB PD PPS). */
  gint64 online = read_number (supply_dir, "online", G_MAXINT);

  tally->external_seen = TRUE;
  if (online >= 1)
    tally->external_online = TRUE;
}

/* The battery's own percentage, or the one its energy gives. */
static int
battery_capacity (gint64 capacity,
                  gint64 energy_now,
                  gint64 energy_full)
{
  if (capacity >= 0)
    return (int) capacity;
  if (energy_now >= 0 && energy_full > 0)
    return (int) MIN (100, energy_now * 100 / energy_full);
  return -1;
}

static void
tally_capacity (Tally      *tally,
                const char *supply_dir)
{
  gint64 energy_now = read_number (supply_dir, "energy_now", MAX_ENERGY);
  gint64 energy_full = read_number (supply_dir, "energy_full", MAX_ENERGY);
  int capacity = battery_capacity (read_number (supply_dir, "capacity", 100), energy_now,
                                   energy_full);

  if (capacity >= 0 && (tally->lowest_capacity < 0 || capacity < tally->lowest_capacity))
    tally->lowest_capacity = capacity;
  if (energy_now >= 0 && energy_full > 0)
    {
      tally->energy_now += energy_now;
      tally->energy_full += energy_full;
    }
  else
    tally->all_have_energy = FALSE;
}

/* A UPS counts only while it gives power: charging or full, it is a
 * desktop's mains. A removed battery (present=0) does not count at all. */
static void
tally_battery (Tally      *tally,
               const char *supply_dir,
               gboolean    is_ups)
{
  g_autofree char *status = read_attribute (supply_dir, "status");
  gboolean discharging = g_strcmp0 (status, "Discharging") == 0;

  if (attribute_is (supply_dir, "present", "0") || (is_ups && !discharging))
    return;
  tally->n_batteries++;
  if (discharging)
    tally->discharging = TRUE;
  else if (g_strcmp0 (status, "Charging") == 0 || g_strcmp0 (status, "Full") == 0 ||
           g_strcmp0 (status, "Not charging") == 0)
    tally->charger_implied = TRUE;
  tally_capacity (tally, supply_dir);
}

static void
tally_supply (Tally      *tally,
              const char *supply_dir)
{
  g_autofree char *type = read_attribute (supply_dir, "type");
  gboolean system_scope = is_system_scope (supply_dir);

  g_debug ("power supply %s: type %s, %s scope", supply_dir, type != NULL ? type : "(none)",
           system_scope ? "system" : "device");
  if (type == NULL || !system_scope)
    return;
  if (is_charger_type (type))
    tally_charger (tally, supply_dir);
  else
    tally_battery (tally, supply_dir, g_str_equal (type, "UPS"));
}

/* Two batteries (a laptop with a second one in its bay) drain one after the
 * other, so their charge is added up, weighted by their size; when one does
 * not say its energy, the emptiest one speaks for all, which errs on the
 * safe side. */
static int
combined_capacity (const Tally *tally)
{
  if (tally->n_batteries > 1 && tally->all_have_energy)
    return (int) MIN (100, tally->energy_now * 100 / tally->energy_full);
  return tally->lowest_capacity;
}

/* An online charger wins whatever the batteries say. Without one, a charger
 * entry that exists but is offline is believed over a battery still saying
 * Full; with no charger entry at all, a charging or full battery implies
 * one. A battery that says nothing useful counts as giving power: the cost
 * of that mistake is one confirmation. */
static RfPowerSource
tally_source (const Tally *tally)
{
  if (tally->external_online || tally->n_batteries == 0)
    return RF_POWER_MAINS;
  if (tally->discharging || tally->external_seen || !tally->charger_implied)
    return RF_POWER_BATTERY;
  return RF_POWER_MAINS;
}

static const char *
class_dir_or_default (const char *class_dir)
{
  const char *env = g_getenv (RF_POWER_SUPPLY_DIR_ENV);

  if (class_dir != NULL)
    return class_dir;
  if (env != NULL && *env != '\0')
    return env;
  return DEFAULT_CLASS_DIR;
}

/* Adds up every supply in @class_dir; FALSE when the folder exists but
 * cannot be listed. A missing folder is a computer without supplies the
 * kernel knows of (a desktop, a virtual machine). */
static gboolean
tally_class_dir (Tally      *tally,
                 const char *class_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (class_dir, 0, &error);
  const char *name;

  if (dir == NULL)
    {
      g_debug ("power supplies: %s", error->message);
      return g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
    }
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *supply_dir = g_build_filename (class_dir, name, NULL);

      tally_supply (tally, supply_dir);
    }
  return TRUE;
}

/**
 * rf_power_read:
 * @class_dir: (nullable): the power-supply class folder; %NULL for
 *   `$REFLASH_POWER_SUPPLY_DIR` when set (tests of whole programs), else
 *   /sys/class/power_supply
 * @status: (out): where the power comes from, and the batteries' charge
 *
 * Reads the supplies of system scope. The computer is on battery when no
 * charger (Mains, USB, Wireless) is online and a battery gives power; on
 * battery below %RF_POWER_LOW_CAPACITY percent it is %RF_POWER_BATTERY_LOW.
 * Several batteries count as one (see combined_capacity()). This never fails:
 * a folder that cannot be read gives %RF_POWER_UNKNOWN, which callers treat
 * as mains, so a desktop whose /sys is odd can still flash.
 */
void
rf_power_read (const char    *class_dir,
               RfPowerStatus *status)
{
  Tally tally = { .lowest_capacity = -1, .all_have_energy = TRUE };

  g_return_if_fail (status != NULL);

  if (!tally_class_dir (&tally, class_dir_or_default (class_dir)))
    {
      status->source = RF_POWER_UNKNOWN;
      status->capacity = -1;
      return;
    }
  status->source = tally_source (&tally);
  status->capacity = combined_capacity (&tally);
  if (status->source == RF_POWER_BATTERY && status->capacity >= 0 &&
      status->capacity < RF_POWER_LOW_CAPACITY)
    status->source = RF_POWER_BATTERY_LOW;
}

/**
 * rf_power_source_to_nick:
 *
 * Returns: (transfer none): a stable name for logs, reports and JSON
 */
const char *
rf_power_source_to_nick (RfPowerSource source)
{
  switch (source)
    {
    case RF_POWER_MAINS:
      return "mains";
    case RF_POWER_BATTERY:
      return "battery";
    case RF_POWER_BATTERY_LOW:
      return "battery-low";
    case RF_POWER_UNKNOWN:
    default:
      return "unknown";
    }
}

static char *
battery_sentence (int capacity)
{
  if (capacity < 0)
    return g_strdup (_("This computer is running on battery. Writing firmware must not be cut "
                       "short: connect the power cable if you can."));
  /* Translators: %d is the battery's charge in percent. */
  return g_strdup_printf (_("This computer is running on battery, at %d%%. Writing firmware must "
                            "not be cut short: connect the power cable if you can."),
                             capacity);
}

/**
 * rf_power_status_to_sentence:
 *
 * What people read before a flash: that the computer is on battery (the
 * wizard and reflash-cli then ask for a confirmation), or that the battery is
 * too low to start.
 *
 * Returns: (transfer full) (nullable): a translated sentence; %NULL on mains
 *   and when unknown, where there is nothing to say
 */
char *
rf_power_status_to_sentence (const RfPowerStatus *status)
{
  g_return_val_if_fail (status != NULL, NULL);

  switch (status->source)
    {
    case RF_POWER_BATTERY:
      return battery_sentence (status->capacity);
    case RF_POWER_BATTERY_LOW:
      /* Translators: %d is the battery's charge in percent. */
      return g_strdup_printf (_("The battery is at %d%%, too low to write firmware safely. "
                                "Connect the power cable and try again."),
                                 status->capacity);
    case RF_POWER_MAINS:
    case RF_POWER_UNKNOWN:
    default:
      return NULL;
    }
}
