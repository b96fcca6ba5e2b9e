/* test-progress.c: weighted phases, time left, silences and coalesced delivery
 * of a job's progress (issue 15 "Progress")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "rf-progress.h"
#include "rf-test-clock.h"

#define SECOND G_USEC_PER_SEC

static const RfPhase nec_phases[] = {
  RF_PHASE_PREFLIGHT, RF_PHASE_BACKUP,  RF_PHASE_ENTER_SAFE_MODE,
  RF_PHASE_UPLOAD,    RF_PHASE_CHECKSUM, RF_PHASE_ERASE,
  RF_PHASE_PROGRAM,   RF_PHASE_RESTART, RF_PHASE_VERIFY,
};

/* nec-2m.conf's [ExpectedSeconds], summed. */
#define NEC_TOTAL_SECONDS (10.0 + 120 + 5 + 30 + 5 + 60 + 120 + 60 + 120)

typedef struct {
  RfDriveDb *db;
  RfDriveFamily *family; /* owned by db */
  RfTestClock *clock;
} Fixture;

static void
fixture_set_up (Fixture      *fixture,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->db = rf_drive_db_new_default (&error);
  g_assert_no_error (error);
  fixture->family = rf_drive_db_lookup (fixture->db, "nec-2m");
  g_assert_nonnull (fixture->family);
  fixture->clock = rf_test_clock_new ();
}

static void
fixture_tear_down (Fixture      *fixture,
                   gconstpointer data)
{
  g_clear_object (&fixture->clock);
  g_clear_object (&fixture->db);
}

static RfProgress *
new_progress (Fixture       *fixture,
              const RfPhase *phases,
              gsize          n_phases)
{
  return rf_progress_new (RF_CLOCK (fixture->clock), fixture->family, phases, n_phases);
}

static void
advance (Fixture *fixture,
         gint64   duration_us)
{
  g_assert_true (rf_clock_sleep_us (RF_CLOCK (fixture->clock), (guint64) duration_us, NULL, NULL));
}

static RfProgressSnapshot
snap (RfProgress *progress)
{
  RfProgressSnapshot snapshot;

  rf_progress_get_snapshot (progress, &snapshot);
  return snapshot;
}

/* Each phase moves the bar as much as the family says it takes. */
static void
test_weights (Fixture      *fixture,
              gconstpointer data)
{
  g_autoptr(RfProgress) progress = new_progress (fixture, nec_phases, G_N_ELEMENTS (nec_phases));

  g_assert_cmpfloat (snap (progress).fraction, ==, 0.0);
  rf_progress_begin_phase (progress, RF_PHASE_PREFLIGHT, 100);
  rf_progress_begin_phase (progress, RF_PHASE_BACKUP, 1000);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, 10 / NEC_TOTAL_SECONDS, 1e-9);
  rf_progress_set_done (progress, 500);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, (10 + 60) / NEC_TOTAL_SECONDS, 1e-9);
  /* Reusing a backup skips it: the skipped phase counts as done. */
  rf_progress_begin_phase (progress, RF_PHASE_UPLOAD, 1000);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, (10 + 120 + 5) / NEC_TOTAL_SECONDS,
                                  1e-9);
}

/* A phase the family gives no time weighs a second; its LED is "off". */
static void
test_default_weight (Fixture      *fixture,
                     gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_PREFLIGHT, RF_PHASE_ACTIVATE, RF_PHASE_VERIFY };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));

  rf_progress_begin_phase (progress, RF_PHASE_ACTIVATE, 0);
  g_assert_cmpstr (snap (progress).led_hint, ==, "off");
  rf_progress_begin_phase (progress, RF_PHASE_VERIFY, 10);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, 11.0 / 131.0, 1e-9);
}

static void
test_led_hint (Fixture      *fixture,
               gconstpointer data)
{
  g_autoptr(RfProgress) progress = new_progress (fixture, nec_phases, G_N_ELEMENTS (nec_phases));

  g_assert_cmpstr (snap (progress).led_hint, ==, "off");
  rf_progress_begin_phase (progress, RF_PHASE_BACKUP, 0);
  g_assert_cmpstr (snap (progress).led_hint, ==, "short-blinks");
  rf_progress_begin_phase (progress, RF_PHASE_ERASE, 0);
  g_assert_cmpstr (snap (progress).led_hint, ==, "blinking-fast");
}

/* Bytes that go back (a retried chunk) never move the bar back; only finish
 * reaches 1.0. */
static void
test_never_back (Fixture      *fixture,
                 gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_UPLOAD, RF_PHASE_CHECKSUM };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));
  double high;

  rf_progress_begin_phase (progress, RF_PHASE_UPLOAD, 1000);
  rf_progress_set_done (progress, 800);
  high = snap (progress).fraction;
  g_assert_cmpfloat_with_epsilon (high, 0.8 * 30 / 35, 1e-9);
  rf_progress_set_done (progress, 100);
  g_assert_cmpfloat (snap (progress).fraction, ==, high);
  g_assert_cmpuint (snap (progress).bytes_done, ==, 100);

  rf_progress_begin_phase (progress, RF_PHASE_CHECKSUM, 10);
  rf_progress_set_done (progress, 10);
  g_assert_cmpfloat (snap (progress).fraction, <, 1.0);
  g_assert_false (snap (progress).finished);
  rf_progress_finish (progress);
  g_assert_cmpfloat (snap (progress).fraction, ==, 1.0);
  g_assert_true (snap (progress).finished);
  g_assert_cmpint (snap (progress).time_left_us, ==, 0);
  rf_progress_finish (progress);
  g_assert_cmpfloat (snap (progress).fraction, ==, 1.0);
}

/* A phase that counts no bytes moves by time against its expected seconds,
 * and stops short of its end until the next phase begins. */
static void
test_timed_phase (Fixture      *fixture,
                  gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_RESTART };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));

  rf_progress_begin_phase (progress, RF_PHASE_RESTART, 0);
  advance (fixture, 30 * SECOND);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, 0.5, 1e-9);
  advance (fixture, 600 * SECOND);
  g_assert_cmpfloat_with_epsilon (snap (progress).fraction, 0.99, 1e-9);
}

/* Phases go forward only; one that already passed is refused. */
static void
test_phase_order (Fixture      *fixture,
                  gconstpointer data)
{
  g_autoptr(RfProgress) progress = new_progress (fixture, nec_phases, G_N_ELEMENTS (nec_phases));
  RfProgressSnapshot snapshot;

  g_assert_cmpint (snap (progress).phase_index, ==, -1);
  g_assert_cmpuint (snap (progress).n_phases, ==, G_N_ELEMENTS (nec_phases));
  for (guint i = 0; i < G_N_ELEMENTS (nec_phases); i++)
    {
      rf_progress_begin_phase (progress, nec_phases[i], 0);
      snapshot = snap (progress);
      g_assert_cmpint (snapshot.phase_index, ==, (int) i);
      g_assert_cmpint (snapshot.phase, ==, nec_phases[i]);
    }
  g_test_expect_message ("rf-core", G_LOG_LEVEL_CRITICAL, "*index >= 0*");
  rf_progress_begin_phase (progress, RF_PHASE_UPLOAD, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpint (snap (progress).phase, ==, RF_PHASE_VERIFY);
}

/* No figure until the window has a rate; then the rate over the window, not
 * the last chunk's. */
static void
test_time_left (Fixture      *fixture,
                gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_UPLOAD };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));
  gint64 left;

  rf_progress_begin_phase (progress, RF_PHASE_UPLOAD, 1000);
  g_assert_cmpint (snap (progress).time_left_us, ==, -1);
  rf_progress_set_done (progress, 10);
  g_assert_cmpint (snap (progress).time_left_us, ==, -1);

  /* 10 bytes a second, 1% of the job a second. */
  for (guint64 done = 20; done <= 100; done += 10)
    {
      advance (fixture, SECOND);
      rf_progress_set_done (progress, done);
    }
  left = snap (progress).time_left_us;
  g_assert_cmpint (left, >=, 89 * SECOND);
  g_assert_cmpint (left, <=, 91 * SECOND);

  /* A quick chunk (its own rate: 8.5 s left) only moves the window's rate:
   * 0.11 of the job in 6.5 s, 0.85 left. */
  advance (fixture, SECOND / 2);
  rf_progress_set_done (progress, 150);
  left = snap (progress).time_left_us;
  g_assert_cmpint (left, >=, 49 * SECOND);
  g_assert_cmpint (left, <=, 51 * SECOND);
}

/* A command that overruns gets words, calmer first, then firmer. */
static void
test_silence (Fixture      *fixture,
              gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_ERASE };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));
  RfProgressSnapshot snapshot;

  rf_progress_begin_phase (progress, RF_PHASE_ERASE, 0);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_NONE);
  rf_progress_command_started (progress, 10 * SECOND);
  advance (fixture, 9 * SECOND);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_NONE);
  advance (fixture, 2 * SECOND);
  snapshot = snap (progress);
  g_assert_cmpint (snapshot.silence, ==, RF_PROGRESS_SILENCE_LONG);
  g_assert_cmpint (snapshot.silence_expected_us, ==, 10 * SECOND);
  advance (fixture, 10 * SECOND);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_VERY_LONG);
  rf_progress_command_finished (progress);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_NONE);

  /* No time of its own: the phase's 60 expected seconds. */
  rf_progress_command_started (progress, 0);
  advance (fixture, 59 * SECOND);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_NONE);
  advance (fixture, 2 * SECOND);
  snapshot = snap (progress);
  g_assert_cmpint (snapshot.silence, ==, RF_PROGRESS_SILENCE_LONG);
  g_assert_cmpint (snapshot.silence_expected_us, ==, 60 * SECOND);
  advance (fixture, 60 * SECOND);
  g_assert_cmpint (snap (progress).silence, ==, RF_PROGRESS_SILENCE_VERY_LONG);
}

static void
test_point_of_no_return (Fixture      *fixture,
                         gconstpointer data)
{
  g_autoptr(RfProgress) progress = new_progress (fixture, nec_phases, G_N_ELEMENTS (nec_phases));

  rf_progress_begin_phase (progress, RF_PHASE_CHECKSUM, 0);
  g_assert_false (snap (progress).point_of_no_return);
  rf_progress_begin_phase (progress, RF_PHASE_ERASE, 0);
  rf_progress_set_point_of_no_return (progress);
  g_assert_true (snap (progress).point_of_no_return);
  rf_progress_begin_phase (progress, RF_PHASE_VERIFY, 0);
  rf_progress_finish (progress);
  g_assert_true (snap (progress).point_of_no_return);
}

typedef struct {
  RfProgress *progress;
  guint updates;
  gint64 start_us;
} Worker;

typedef struct {
  guint calls;
  guint finished_calls;
  double last_fraction;
  double max_fraction_seen;
  int last_phase_index;
} Deliveries;

/* Makes 100000 updates as fast as it can, but spread over at least
 * WORK_SECONDS, so the main loop has a rate to keep. */
#define WORK_SECONDS 0.6

static void
pace (Worker *worker,
      guint   update)
{
  gint64 due_us = worker->start_us + (gint64) (WORK_SECONDS * G_USEC_PER_SEC * update
                                               / worker->updates);
  gint64 now_us = g_get_monotonic_time ();

  if (update % 1000 == 0 && now_us < due_us)
    g_usleep ((gulong) (due_us - now_us));
}

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  guint per_phase = worker->updates / 2;

  rf_progress_begin_phase (worker->progress, RF_PHASE_UPLOAD, per_phase);
  for (guint i = 1; i <= per_phase; i++)
    {
      rf_progress_set_done (worker->progress, i);
      pace (worker, i);
    }
  rf_progress_begin_phase (worker->progress, RF_PHASE_PROGRAM, per_phase);
  for (guint i = 1; i <= per_phase; i++)
    {
      rf_progress_set_done (worker->progress, i);
      pace (worker, per_phase + i);
    }
  rf_progress_finish (worker->progress);
  return NULL;
}

static void
on_progress (RfProgress               *progress,
             const RfProgressSnapshot *snapshot,
             gpointer                  user_data)
{
  Deliveries *deliveries = user_data;

  deliveries->calls++;
  /* Arrive in order: the bar and the phases never go back. */
  g_assert_cmpfloat (snapshot->fraction, >=, deliveries->max_fraction_seen);
  g_assert_cmpint (snapshot->phase_index, >=, deliveries->last_phase_index);
  deliveries->max_fraction_seen = snapshot->fraction;
  deliveries->last_fraction = snapshot->fraction;
  deliveries->last_phase_index = snapshot->phase_index;
  if (snapshot->finished)
    deliveries->finished_calls++;
}

/* 100000 updates as fast as a thread can make them reach the main loop at
 * most 10 times a second, and the finished one last. */
static void
test_coalesced (Fixture      *fixture,
                gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_UPLOAD, RF_PHASE_PROGRAM };
  g_autoptr(RfProgress) progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));
  g_autoptr(GMainContext) context = g_main_context_new ();
  Deliveries deliveries = { .last_phase_index = -1 };
  gint64 start_us = g_get_monotonic_time ();
  Worker worker = { progress, 100000, start_us };
  GThread *thread;
  double elapsed_s;
  guint id;

  id = rf_progress_watch (progress, context, on_progress, &deliveries, NULL);
  thread = g_thread_new ("progress-worker", worker_run, &worker);
  while (deliveries.finished_calls == 0)
    g_main_context_iteration (context, TRUE);
  g_thread_join (thread);
  elapsed_s = (double) (g_get_monotonic_time () - start_us) / G_USEC_PER_SEC;

  /* Nothing more comes after the finished snapshot. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_test_message ("%u deliveries in %.3f s", deliveries.calls, elapsed_s);
  /* Some came while the worker ran, not only the first and the finished one. */
  g_assert_cmpuint (deliveries.calls, >=, 3);
  g_assert_cmpfloat (deliveries.calls, <=, elapsed_s * 10 + 2);
  g_assert_cmpuint (deliveries.finished_calls, ==, 1);
  g_assert_cmpfloat (deliveries.last_fraction, ==, 1.0);
  rf_progress_unwatch (progress, id);
}

static void
on_progress_count (RfProgress               *progress,
                   const RfProgressSnapshot *snapshot,
                   gpointer                  user_data)
{
  (*(guint *) user_data)++;
}

/* Unwatching stops deliveries and frees the data; so does dropping the
 * progress with a watch still on. */
static void
test_unwatch (Fixture      *fixture,
              gconstpointer data)
{
  static const RfPhase phases[] = { RF_PHASE_UPLOAD };
  g_autoptr(GMainContext) context = g_main_context_new ();
  RfProgress *progress = new_progress (fixture, phases, G_N_ELEMENTS (phases));
  guint *count = g_new0 (guint, 1);
  guint id;

  id = rf_progress_watch (progress, context, on_progress_count, count, NULL);
  rf_progress_begin_phase (progress, RF_PHASE_UPLOAD, 10);
  rf_progress_unwatch (progress, id);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_assert_cmpuint (*count, ==, 0);

  rf_progress_watch (progress, context, on_progress_count, count, g_free);
  g_assert_finalize_object (progress);
  while (g_main_context_iteration (context, FALSE))
    ;
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/reflash/progress/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("weights", test_weights);
  ADD ("default-weight", test_default_weight);
  ADD ("led-hint", test_led_hint);
  ADD ("never-back", test_never_back);
  ADD ("timed-phase", test_timed_phase);
  ADD ("phase-order", test_phase_order);
  ADD ("time-left", test_time_left);
  ADD ("silence", test_silence);
  ADD ("point-of-no-return", test_point_of_no_return);
  ADD ("coalesced", test_coalesced);
  ADD ("unwatch", test_unwatch);
#undef ADD

  return g_test_run ();
}
