/* test-sim-clock.c: the practice drive's clock, its speed factor, and the view
 * Reflash's own waits get of it (RfClock, in modelled time)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "sim-test-util.h"

static void
test_virtual (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);

  g_assert_false (rf_sim_clock_is_real_time (clock));
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 0);
  /* Speed 1: real durations. */
  g_assert_cmpuint (rf_sim_clock_spend (clock, 1500000), ==, 1500000);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1500000);
  /* Speed 10: ten times faster. */
  rf_sim_clock_set_speed (clock, 10.0);
  g_assert_cmpuint (rf_sim_clock_spend (clock, 1500000), ==, 150000);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1650000);
  /* Speed 0: instant. */
  rf_sim_clock_set_speed (clock, 0.0);
  g_assert_cmpuint (rf_sim_clock_spend (clock, 300000000), ==, 0);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 1650000);
  /* Modelled time counted all of it, whatever the speed. */
  g_assert_cmpint (rf_clock_get_now_us (RF_CLOCK (clock)), ==, 303000000);
}

static void
test_real_time_instant (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);

  g_assert_true (rf_sim_clock_is_real_time (clock));
  g_assert_cmpfloat (rf_sim_clock_get_speed (clock), ==, 1.0);
  rf_sim_clock_set_speed (clock, 0.0);
  /* Speed 0 never sleeps, even on a real-time clock: 300 s pass as 0. */
  g_assert_cmpuint (rf_sim_clock_spend (clock, 300000000), ==, 0);
  g_assert_cmpuint (rf_sim_clock_scale (clock, 300000000), ==, 0);
  rf_sim_clock_set_speed (clock, 4.0);
  g_assert_cmpuint (rf_sim_clock_scale (clock, 300000000), ==, 75000000);
}

typedef struct {
  gboolean real_time;
  double speed;
  guint64 wait_us;   /* modelled: what Reflash asks for */
  guint64 real_min_us; /* real time the wait must at least take */
  guint64 real_max_us; /* real time it must stay under */
} Wait;

/* Reflash's wait of @wait_us: modelled time moves by what was asked (a real-time
 * clock at a speed above 0 measures it, so at least that); scaled time by that
 * over the speed; real time passes only on a real-time clock at a speed above 0. */
static void
test_wait (gconstpointer data)
{
  const Wait *wait = data;
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (wait->real_time);
  g_autoptr(GError) error = NULL;
  gint64 modelled, scaled, real;

  rf_sim_clock_set_speed (clock, wait->speed);
  modelled = rf_clock_get_now_us (RF_CLOCK (clock));
  scaled = rf_sim_clock_get_now_us (clock);
  real = g_get_monotonic_time ();
  g_assert_true (rf_clock_sleep_us (RF_CLOCK (clock), wait->wait_us, NULL, &error));
  g_assert_no_error (error);
  real = g_get_monotonic_time () - real;
  modelled = rf_clock_get_now_us (RF_CLOCK (clock)) - modelled;
  scaled = rf_sim_clock_get_now_us (clock) - scaled;

  g_assert_cmpint (real, >=, (gint64) wait->real_min_us);
  g_assert_cmpint (real, <, (gint64) wait->real_max_us);
  if (!wait->real_time)
    {
      g_assert_cmpint (modelled, ==, (gint64) wait->wait_us);
      g_assert_cmpint (scaled, ==, wait->speed > 0.0 ? (gint64) (wait->wait_us / wait->speed) : 0);
    }
  else if (wait->speed > 0.0)
    {
      g_assert_cmpint (modelled, >=, (gint64) wait->wait_us);
      g_assert_cmpint (scaled, >=, (gint64) (wait->wait_us / wait->speed));
    }
  else
    {
      /* Real time stands for scaled time here, and hardly any passed. */
      g_assert_cmpint (modelled, ==, (gint64) wait->wait_us);
    }
}

/* The drive's own work moves modelled time by its modelled duration at every
 * speed, so a drive's work and Reflash's waits add up on one time line. */
static void
test_spend_is_modelled (void)
{
  const double speeds[] = { 0.0, 1.0, 10.0 };

  for (gsize i = 0; i < G_N_ELEMENTS (speeds); i++)
    {
      g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);

      rf_sim_clock_set_speed (clock, speeds[i]);
      rf_sim_clock_spend (clock, 1500000);
      g_assert_true (rf_clock_sleep_us (RF_CLOCK (clock), 2000000, NULL, NULL));
      g_assert_cmpint (rf_clock_get_now_us (RF_CLOCK (clock)), ==, 3500000);
    }
}

/* Speed changes on a real-time clock: modelled time goes on from where it was,
 * never back, and stands still at speed 0 unless time is let pass. */
static void
test_real_time_speed_change (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  RfClock *view = RF_CLOCK (clock);
  gint64 before;

  rf_sim_clock_set_speed (clock, 0.0);
  before = rf_clock_get_now_us (view);
  g_usleep (10000);
  g_assert_cmpint (rf_clock_get_now_us (view), ==, before);
  g_assert_true (rf_clock_sleep_us (view, 10000000, NULL, NULL));
  g_assert_cmpint (rf_clock_get_now_us (view), ==, before + 10000000);

  rf_sim_clock_set_speed (clock, 1000.0);
  g_usleep (10000);
  g_assert_cmpint (rf_clock_get_now_us (view), >=, before + 20000000);
  rf_sim_clock_set_speed (clock, 0.0);
  before = rf_clock_get_now_us (view);
  g_usleep (10000);
  g_assert_cmpint (rf_clock_get_now_us (view), ==, before);
}

/* A sleep wakes late (timer slack, scheduling) by tens to hundreds of
 * microseconds. At speed 10 a 20 ms read lasts 2 ms, so that lateness, paid
 * anew by every command, made a practice drive's backup several percent slower
 * than its model. What one sleep of the drive's overslept is taken off the
 * next: some commands then take less than their scaled time, and all of them
 * together still no less than the sum. With @data, the same for the naps of
 * long work (an erase or a program naps in slices, watching the power button;
 * a flash's 61 erases and programs nap 488 times). */
static void
test_real_time_keeps_to_model (gconstpointer data)
{
  gboolean nap = GPOINTER_TO_INT (data);
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  const guint n = 100;
  const gint64 scaled = 2000;
  gint power_cut = 0;
  gint64 total = 0;
  guint shorter = 0;

  rf_sim_clock_set_speed (clock, 10.0);
  for (guint i = 0; i < n; i++)
    {
      gint64 start = g_get_monotonic_time ();
      gint64 took;

      if (nap)
        g_assert_true (rf_sim_clock_nap (clock, (guint64) scaled, &power_cut));
      else
        g_assert_cmpuint (rf_sim_clock_spend (clock, 20000), ==, (guint64) scaled);
      took = g_get_monotonic_time () - start;
      total += took;
      shorter += took < scaled;
    }
  /* Without the catching up no sleep ever ends early (g_usleep() sleeps at
   * least what it is asked), so none of them would be shorter. */
  g_assert_cmpuint (shorter, >, 0);
  g_assert_cmpint (total, >=, (gint64) n * scaled);
  /* One late wake behind at the end, not a hundred; bounded loosely, since a
   * busy machine may wake the last sleep late by milliseconds. */
  g_assert_cmpint (total, <, (gint64) n * scaled + 100000);
}

static gpointer
cut_power_soon (gpointer data)
{
  g_usleep (50000);
  g_atomic_int_set ((gint *) data, 1);
  return NULL;
}

/* The power button, pressed mid-erase, ends the nap within 50 ms, not a
 * minute later. */
static void
test_real_time_nap_power_cut (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  gint power_cut = 0;
  GThread *thread = g_thread_new ("power", cut_power_soon, &power_cut);
  gint64 start = g_get_monotonic_time ();

  g_assert_false (rf_sim_clock_nap (clock, 60000000, &power_cut));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30000000);
  g_thread_join (thread);
  /* Cut before it starts: no sleep at all. */
  start = g_get_monotonic_time ();
  g_assert_false (rf_sim_clock_nap (clock, 60000000, &power_cut));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000000);
}

static gpointer
cancel_soon (gpointer data)
{
  g_usleep (50000);
  g_cancellable_cancel (data);
  return NULL;
}

/* A wait on a real-time practice clock ends when cancelled, not a minute later,
 * and modelled time counts only what passed. */
static void
test_real_time_cancel (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (TRUE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GThread *thread = g_thread_new ("cancel", cancel_soon, cancellable);
  gint64 start = g_get_monotonic_time ();

  g_assert_false (rf_clock_sleep_us (RF_CLOCK (clock), 60000000, cancellable, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 30000000);
  g_assert_cmpint (rf_clock_get_now_us (RF_CLOCK (clock)), <, 30000000);
  g_thread_join (thread);
}

/* Cancelled before it starts: no time passes, even on a virtual clock. */
static void
test_virtual_cancelled (void)
{
  g_autoptr(RfSimClock) clock = rf_sim_clock_new (FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (rf_clock_sleep_us (RF_CLOCK (clock), 2000000, cancellable, &error));
  g_assert_error (error, RF_ERROR, RF_ERROR_CANCELLED);
  g_assert_cmpint (rf_clock_get_now_us (RF_CLOCK (clock)), ==, 0);
  g_assert_cmpint (rf_sim_clock_get_now_us (clock), ==, 0);
}

/* Reflash finds the practice drive's clock through its transport, also behind a
 * recorder, which is how RfDevice talks to drives. */
static void
test_transport_clock (void)
{
  SimDrive *sim = sim_drive_open ("healthy-3550", NULL);
  g_autoptr(RfRecorder) recorder = rf_recorder_new (sim->transport);

  g_assert_true (rf_transport_get_clock (sim->transport) == RF_CLOCK (sim->clock));
  g_assert_true (rf_transport_get_clock (RF_TRANSPORT (recorder)) == RF_CLOCK (sim->clock));
  g_clear_object (&recorder);
  sim_drive_free (sim);
}

/* name, real_time, speed, modelled wait, real minimum, real maximum */
static const struct {
  const char *name;
  Wait wait;
} waits[] = {
  { "virtual-0", { FALSE, 0.0, 300000000, 0, 1000000 } },
  { "virtual-1", { FALSE, 1.0, 300000000, 0, 1000000 } },
  { "virtual-10", { FALSE, 10.0, 300000000, 0, 1000000 } },
  { "real-time-0", { TRUE, 0.0, 300000000, 0, 1000000 } },
  { "real-time-1", { TRUE, 1.0, 50000, 50000, 10000000 } },
  { "real-time-10", { TRUE, 10.0, 500000, 50000, 400000 } },
};

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/reflash/sim-clock/virtual", test_virtual);
  g_test_add_func ("/reflash/sim-clock/real-time-instant", test_real_time_instant);
  for (gsize i = 0; i < G_N_ELEMENTS (waits); i++)
    {
      g_autofree char *path = g_strconcat ("/reflash/sim-clock/wait/", waits[i].name, NULL);

      g_test_add_data_func (path, &waits[i].wait, test_wait);
    }
  g_test_add_func ("/reflash/sim-clock/spend-is-modelled", test_spend_is_modelled);
  g_test_add_func ("/reflash/sim-clock/real-time-speed-change", test_real_time_speed_change);
  g_test_add_data_func ("/reflash/sim-clock/real-time-keeps-to-model", GINT_TO_POINTER (FALSE),
                        test_real_time_keeps_to_model);
  g_test_add_data_func ("/reflash/sim-clock/real-time-nap-keeps-to-model", GINT_TO_POINTER (TRUE),
                        test_real_time_keeps_to_model);
  g_test_add_func ("/reflash/sim-clock/real-time-nap-power-cut", test_real_time_nap_power_cut);
  g_test_add_func ("/reflash/sim-clock/real-time-cancel", test_real_time_cancel);
  g_test_add_func ("/reflash/sim-clock/virtual-cancelled", test_virtual_cancelled);
  g_test_add_func ("/reflash/sim-clock/transport-clock", test_transport_clock);

  return g_test_run ();
}
