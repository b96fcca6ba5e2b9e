/* test-power.c: on battery, low battery and mains, from made-up sysfs trees
 *
 * Each case builds a power-supply class folder the way the kernel lays it
 * out (entries are links to device folders holding one file per attribute)
 * and reads it with rf_power_read().
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "rf-power.h"
#include "rf-test-util.h"

#define MAX_SUPPLIES 4

typedef struct {
  const char *name;
  const char *attributes; /* "name=value" lines */
} Supply;

typedef struct {
  const char *path;
  Supply supplies[MAX_SUPPLIES];
  RfPowerSource source;
  int capacity;
} PowerCase;

#define AC_ONLINE { "AC", "type=Mains\nonline=1" }
#define AC_OFFLINE { "AC", "type=Mains\nonline=0" }
#define MOUSE_AT_5 \
  { "hidpp_battery_0", "type=Battery\nscope=Device\nstatus=Discharging\ncapacity=5" }
#define BAT(attributes) { "BAT0", "type=Battery\n" attributes }

static const PowerCase power_cases[] = {
  { "desktop",
    { { NULL } },
    RF_POWER_MAINS, -1 },
  { "laptop-on-ac",
    { AC_ONLINE, BAT ("status=Charging\ncapacity=80") },
    RF_POWER_MAINS, 80 },
  { "laptop-on-battery",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=50") },
    RF_POWER_BATTERY, 50 },
  { "laptop-on-battery-19",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=19") },
    RF_POWER_BATTERY_LOW, 19 },
  { "laptop-on-battery-20",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=20") },
    RF_POWER_BATTERY, 20 },
  { "laptop-on-battery-unknown-charge",
    { AC_OFFLINE, BAT ("status=Discharging") },
    RF_POWER_BATTERY, -1 },
  /* The mouse's battery neither makes a desktop "on battery" nor lowers the charge. */
  { "mouse-on-desktop",
    { MOUSE_AT_5 },
    RF_POWER_MAINS, -1 },
  { "mouse-on-ac",
    { AC_ONLINE, BAT ("status=Full\ncapacity=90"), MOUSE_AT_5 },
    RF_POWER_MAINS, 90 },
  { "mouse-on-battery",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=60"), MOUSE_AT_5 },
    RF_POWER_BATTERY, 60 },
  { "scope-unknown-counts",
    { BAT ("scope=Unknown\nstatus=Discharging\ncapacity=40") },
    RF_POWER_BATTERY, 40 },
  /* 5 + 18 of 50 + 20 Wh: 32 %, neither the emptier battery's 10 nor an average. */
  { "two-batteries",
    { AC_OFFLINE,
      BAT ("status=Discharging\ncapacity=10\nenergy_now=5000000\nenergy_full=50000000"),
      { "BAT1", "type=Battery\nstatus=Discharging\ncapacity=90\n"
                "energy_now=18000000\nenergy_full=20000000" } },
    RF_POWER_BATTERY, 32 },
  { "two-batteries-without-energy",
    { AC_OFFLINE,
      BAT ("status=Discharging\ncapacity=10"),
      { "BAT1", "type=Battery\nstatus=Discharging\ncapacity=90\n"
                "energy_now=18000000\nenergy_full=20000000" } },
    RF_POWER_BATTERY_LOW, 10 },
  { "capacity-from-energy",
    { BAT ("status=Discharging\nenergy_now=9000000\nenergy_full=60000000") },
    RF_POWER_BATTERY_LOW, 15 },
  { "usb-c-online",
    { AC_OFFLINE,
      { "ucsi-source-psy-USBC000:001", "type=USB\nonline=1" },
      BAT ("status=Not charging\ncapacity=60") },
    RF_POWER_MAINS, 60 },
  { "usb-pd-programmable",
    { { "ucsi-source-psy-USBC000:001", "type=USB\nonline=2" },
      BAT ("status=Discharging\ncapacity=15") },
    RF_POWER_MAINS, 15 },
  { "usb-c-offline-on-desktop",
    { { "ucsi-source-psy-USBC000:001", "type=USB\nonline=0" } },
    RF_POWER_MAINS, -1 },
  /* The charger's own word wins over a battery that still says Full. */
  { "full-but-unplugged",
    { AC_OFFLINE, BAT ("status=Full\ncapacity=100") },
    RF_POWER_BATTERY, 100 },
  { "charging-without-charger-entry",
    { BAT ("status=Charging\ncapacity=70") },
    RF_POWER_MAINS, 70 },
  { "not-charging-without-charger-entry",
    { BAT ("status=Not charging\ncapacity=80") },
    RF_POWER_MAINS, 80 },
  { "silent-battery-without-charger-entry",
    { BAT ("status=Unknown\ncapacity=70") },
    RF_POWER_BATTERY, 70 },
  { "battery-removed",
    { AC_OFFLINE, BAT ("present=0\nstatus=Unknown\ncapacity=0") },
    RF_POWER_MAINS, -1 },
  { "ups-discharging",
    { { "ups", "type=UPS\nstatus=Discharging\ncapacity=12" } },
    RF_POWER_BATTERY_LOW, 12 },
  { "ups-charging",
    { { "ups", "type=UPS\nstatus=Charging\ncapacity=12" } },
    RF_POWER_MAINS, -1 },
  { "unreadable-capacity",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=x") },
    RF_POWER_BATTERY, -1 },
  { "capacity-out-of-range",
    { AC_OFFLINE, BAT ("status=Discharging\ncapacity=150") },
    RF_POWER_BATTERY, -1 },
};

/* @root/devices/NAME/ATTRIBUTE files, and @root/class/NAME linking to them as
 * in /sys/class/power_supply. */
static void
make_supply (const char   *root,
             const Supply *supply)
{
  g_autofree char *device = g_build_filename (root, "devices", supply->name, NULL);
  g_autofree char *link = g_build_filename (root, "class", supply->name, NULL);
  g_autofree char *target = g_build_filename ("..", "devices", supply->name, NULL);
  g_auto(GStrv) lines = g_strsplit (supply->attributes, "\n", -1);

  g_assert_cmpint (g_mkdir_with_parents (device, 0755), ==, 0);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (lines[i], "=", 2);
      g_autofree char *path = g_build_filename (device, pair[0], NULL);
      g_autofree char *value = g_strconcat (pair[1], "\n", NULL);

      g_assert_true (g_file_set_contents (path, value, -1, NULL));
    }
  g_assert_cmpint (symlink (target, link), ==, 0);
}

static char *
make_tree (const Supply *supplies)
{
  g_autoptr(GError) error = NULL;
  char *root = g_dir_make_tmp ("test-power-XXXXXX", &error);
  g_autofree char *class_dir = NULL;

  g_assert_no_error (error);
  class_dir = g_build_filename (root, "class", NULL);
  g_assert_cmpint (g_mkdir (class_dir, 0755), ==, 0);
  for (guint i = 0; i < MAX_SUPPLIES && supplies[i].name != NULL; i++)
    make_supply (root, &supplies[i]);
  return root;
}

static void
test_case (gconstpointer data)
{
  const PowerCase *c = data;
  g_autofree char *root = make_tree (c->supplies);
  g_autofree char *class_dir = g_build_filename (root, "class", NULL);
  RfPowerStatus status = { RF_POWER_UNKNOWN, -2 };

  rf_power_read (class_dir, &status);
  g_assert_cmpstr (rf_power_source_to_nick (status.source), ==,
                   rf_power_source_to_nick (c->source));
  g_assert_cmpint (status.capacity, ==, c->capacity);
  rf_test_remove_tree (root);
}

/* No power-supply class at all (some virtual machines): nothing says
 * battery, so mains. */
static void
test_missing_dir (void)
{
  RfPowerStatus status = { RF_POWER_UNKNOWN, -2 };

  rf_power_read ("/nonexistent/reflash/power_supply", &status);
  g_assert_cmpint (status.source, ==, RF_POWER_MAINS);
  g_assert_cmpint (status.capacity, ==, -1);
}

/* A folder that cannot be listed says nothing either way: unknown, never an
 * error that would stop a desktop. (Root reads anything, so the unreadable
 * folder is a file.) */
static void
test_unreadable_dir (void)
{
  g_autofree char *root = make_tree ((Supply[]){ { NULL } });
  g_autofree char *file = g_build_filename (root, "not-a-folder", NULL);
  RfPowerStatus status = { RF_POWER_MAINS, -2 };

  g_assert_true (g_file_set_contents (file, "", -1, NULL));
  rf_power_read (file, &status);
  g_assert_cmpint (status.source, ==, RF_POWER_UNKNOWN);
  g_assert_cmpint (status.capacity, ==, -1);
  rf_test_remove_tree (root);
}

/* Whole programs under test read a made-up tree named by the environment. */
static void
test_env_override (void)
{
  const Supply supplies[] = { AC_OFFLINE, BAT ("status=Discharging\ncapacity=7"), { NULL } };
  g_autofree char *root = make_tree (supplies);
  g_autofree char *class_dir = g_build_filename (root, "class", NULL);
  RfPowerStatus status = { RF_POWER_UNKNOWN, -2 };

  g_setenv (RF_POWER_SUPPLY_DIR_ENV, class_dir, TRUE);
  rf_power_read (NULL, &status);
  g_unsetenv (RF_POWER_SUPPLY_DIR_ENV);
  g_assert_cmpint (status.source, ==, RF_POWER_BATTERY_LOW);
  g_assert_cmpint (status.capacity, ==, 7);
  rf_test_remove_tree (root);
}

/* Tests run untranslated: what an English reader sees. */
static void
test_sentences (void)
{
  RfPowerStatus battery = { RF_POWER_BATTERY, 50 };
  RfPowerStatus unknown_charge = { RF_POWER_BATTERY, -1 };
  RfPowerStatus low = { RF_POWER_BATTERY_LOW, 19 };
  RfPowerStatus mains = { RF_POWER_MAINS, 80 };
  RfPowerStatus unknown = { RF_POWER_UNKNOWN, -1 };
  g_autofree char *on_battery = rf_power_status_to_sentence (&battery);
  g_autofree char *on_battery_no_charge = rf_power_status_to_sentence (&unknown_charge);
  g_autofree char *too_low = rf_power_status_to_sentence (&low);

  rf_test_assert_has (on_battery, "running on battery, at 50%.");
  rf_test_assert_has (on_battery, "connect the power cable");
  rf_test_assert_has (on_battery_no_charge, "running on battery.");
  g_assert_null (strstr (on_battery_no_charge, "%"));
  rf_test_assert_has (too_low, "The battery is at 19%, too low");
  g_assert_null (rf_power_status_to_sentence (&mains));
  g_assert_null (rf_power_status_to_sentence (&unknown));
}

static void
test_nicks (void)
{
  g_assert_cmpstr (rf_power_source_to_nick (RF_POWER_MAINS), ==, "mains");
  g_assert_cmpstr (rf_power_source_to_nick (RF_POWER_BATTERY), ==, "battery");
  g_assert_cmpstr (rf_power_source_to_nick (RF_POWER_BATTERY_LOW), ==, "battery-low");
  g_assert_cmpstr (rf_power_source_to_nick (RF_POWER_UNKNOWN), ==, "unknown");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_unsetenv (RF_POWER_SUPPLY_DIR_ENV);

  for (gsize i = 0; i < G_N_ELEMENTS (power_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reflash/power/%s", power_cases[i].path);
      g_test_add_data_func (path, &power_cases[i], test_case);
    }
  g_test_add_func ("/reflash/power/missing-dir", test_missing_dir);
  g_test_add_func ("/reflash/power/unreadable-dir", test_unreadable_dir);
  g_test_add_func ("/reflash/power/env-override", test_env_override);
  g_test_add_func ("/reflash/power/sentences", test_sentences);
  g_test_add_func ("/reflash/power/nicks", test_nicks);
  return g_test_run ();
}
