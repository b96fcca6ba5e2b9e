/* rf-progress.c
 *
 * The worker thread reports; any thread reads snapshots, copied under one lock.
 * Each phase weighs its expected seconds from the family data, so a two-minute
 * program step moves the bar more than a five-second checksum. Time left comes
 * from the rate over a sliding window of samples, never from the last chunk.
 * A main loop learns of changes through a watch: at most one pending source per
 * watch, at most 10 deliveries a second, the finished snapshot always and once.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "rf-progress.h"

#define DEFAULT_WEIGHT_SECONDS 1.0
/* Below 1.0 until the job finished: only rf_progress_finish() reaches it. */
#define MAX_UNFINISHED_FRACTION 0.999
#define MAX_TIMED_PHASE_FRACTION 0.99
#define WINDOW_SAMPLES 8
#define MIN_SAMPLE_SPACING_US (500 * G_TIME_SPAN_MILLISECOND)
/* Real time between deliveries: at most 10 a second. */
#define MIN_DELIVERY_SPACING_US (100 * G_TIME_SPAN_MILLISECOND)

typedef struct {
  gint64 time_us;
  double fraction;
} Sample;

typedef struct {
  guint id;
  GMainContext *context;
  RfProgressFunc func;
  gpointer user_data;
  GDestroyNotify destroy;
  GSource *pending;         /* at most one delivery waiting, or NULL */
  GSource *heartbeat;       /* refreshes elapsed time and silence, or NULL */
  gint64 last_delivery_us;  /* g_get_monotonic_time(), not the drive's clock */
  gboolean final_delivered;
} Watch;

/* What a watch's sources carry: no strong reference, so a forgotten watch
 * never keeps the progress alive. */
typedef struct {
  GWeakRef progress;
  guint watch_id;
} Delivery;

struct _RfProgress
{
  GObject parent_instance;

  RfClock *clock;
  guint n_phases;
  RfPhase *phases;
  double *weights;          /* expected seconds per phase */
  const char **led_hints;   /* interned, per phase */
  double total_weight;
  gint64 start_us;

  GMutex lock;              /* guards everything below */
  int current;              /* index into phases, -1 before the first */
  gint64 phase_start_us;
  guint64 bytes_done;
  guint64 bytes_total;
  double max_fraction;
  gboolean finished;
  gboolean point_of_no_return;
  gboolean command_running;
  gint64 command_start_us;
  guint64 command_expected_us;
  Sample window[WINDOW_SAMPLES];
  guint n_samples;
  GPtrArray *watches;       /* Watch */
  guint next_watch_id;
};

G_DEFINE_FINAL_TYPE (RfProgress, rf_progress, G_TYPE_OBJECT)

static void
watch_free (Watch *watch)
{
  g_assert (watch->pending == NULL && watch->heartbeat == NULL);
  if (watch->destroy != NULL)
    watch->destroy (watch->user_data);
  g_main_context_unref (watch->context);
  g_free (watch);
}

/* Destroys a source taken out of a watch; call without the lock, since the
 * context runs the source's destroy notify. */
static void
clear_source (GSource **source)
{
  if (*source == NULL)
    return;
  g_source_destroy (*source);
  g_clear_pointer (source, g_source_unref);
}

static void
rf_progress_dispose (GObject *object)
{
  RfProgress *self = RF_PROGRESS (object);
  g_autoptr(GPtrArray) watches = NULL;

  g_mutex_lock (&self->lock);
  watches = g_steal_pointer (&self->watches);
  self->watches = g_ptr_array_new ();
  g_mutex_unlock (&self->lock);
  for (guint i = 0; i < watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (watches, i);

      clear_source (&watch->pending);
      clear_source (&watch->heartbeat);
      watch_free (watch);
    }
  g_clear_object (&self->clock);
  G_OBJECT_CLASS (rf_progress_parent_class)->dispose (object);
}

static void
rf_progress_finalize (GObject *object)
{
  RfProgress *self = RF_PROGRESS (object);

  g_ptr_array_unref (self->watches);
  g_free (self->phases);
  g_free (self->weights);
  g_free (self->led_hints);
  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (rf_progress_parent_class)->finalize (object);
}

static void
rf_progress_class_init (RfProgressClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = rf_progress_dispose;
  object_class->finalize = rf_progress_finalize;
}

static void
rf_progress_init (RfProgress *self)
{
  g_mutex_init (&self->lock);
  self->current = -1;
  self->watches = g_ptr_array_new ();
  self->next_watch_id = 1;
}

static void
load_phase (RfProgress          *self,
            guint                index,
            const RfDriveFamily *family)
{
  const char *nick = rf_phase_to_nick (self->phases[index]);
  guint seconds = family != NULL ? rf_drive_family_get_expected_seconds (family, nick) : 0;
  const char *hint = family != NULL ? rf_drive_family_get_led_hint (family, nick) : NULL;

  self->weights[index] = seconds > 0 ? seconds : DEFAULT_WEIGHT_SECONDS;
  self->led_hints[index] = g_intern_string (hint != NULL ? hint : "off");
  self->total_weight += self->weights[index];
}

/**
 * rf_progress_new:
 * @clock: the drive's clock, for elapsed time, time left and silences
 * @family: (nullable): the drive's family, for expected durations and LED
 *   hints; without one every phase weighs the same and the LED is "off"
 * @phases: (array length=n_phases): the phases the job will run, in order
 *
 * Returns: (transfer full): the progress of a job that has not begun a phase
 */
RfProgress *
rf_progress_new (RfClock             *clock,
                 const RfDriveFamily *family,
                 const RfPhase       *phases,
                 gsize                n_phases)
{
  RfProgress *self;

  g_return_val_if_fail (RF_IS_CLOCK (clock), NULL);
  g_return_val_if_fail (phases != NULL && n_phases > 0 && n_phases <= G_MAXINT, NULL);

  self = g_object_new (RF_TYPE_PROGRESS, NULL);
  self->clock = g_object_ref (clock);
  self->n_phases = (guint) n_phases;
  self->phases = g_memdup2 (phases, n_phases * sizeof *phases);
  self->weights = g_new0 (double, n_phases);
  self->led_hints = g_new0 (const char *, n_phases);
  for (guint i = 0; i < self->n_phases; i++)
    load_phase (self, i, family);
  self->start_us = rf_clock_get_now_us (clock);
  return self;
}

/* Within the current phase: by bytes, or by time against its expected seconds. */
static double
phase_fraction_locked (RfProgress *self,
                       gint64      now_us)
{
  double seconds;

  if (self->bytes_total > 0)
    return MIN ((double) self->bytes_done / (double) self->bytes_total, 1.0);
  seconds = (double) (now_us - self->phase_start_us) / G_USEC_PER_SEC;
  return CLAMP (seconds / self->weights[self->current], 0.0, MAX_TIMED_PHASE_FRACTION);
}

/* The overall fraction, never below one given before. */
static double
fraction_locked (RfProgress *self,
                 gint64      now_us)
{
  double done = 0.0;
  double fraction;

  if (self->finished)
    return 1.0;
  if (self->current < 0)
    return self->max_fraction;
  for (int i = 0; i < self->current; i++)
    done += self->weights[i];
  done += self->weights[self->current] * phase_fraction_locked (self, now_us);
  fraction = MIN (done / self->total_weight, MAX_UNFINISHED_FRACTION);
  self->max_fraction = MAX (self->max_fraction, fraction);
  return self->max_fraction;
}

/* Keeps the last WINDOW_SAMPLES samples, at least MIN_SAMPLE_SPACING_US apart. */
static void
add_sample_locked (RfProgress *self,
                   gint64      now_us,
                   double      fraction)
{
  Sample sample = { now_us, fraction };

  if (self->n_samples > 0
      && now_us - self->window[self->n_samples - 1].time_us < MIN_SAMPLE_SPACING_US)
    return;
  if (self->n_samples == WINDOW_SAMPLES)
    {
      memmove (&self->window[0], &self->window[1], (WINDOW_SAMPLES - 1) * sizeof (Sample));
      self->n_samples--;
    }
  self->window[self->n_samples++] = sample;
}

/* From the rate over the whole window; -1 until it has one. */
static gint64
time_left_locked (RfProgress *self,
                  double      fraction)
{
  const Sample *first = &self->window[0];
  const Sample *last = &self->window[self->n_samples - 1];
  double rate;

  if (self->finished)
    return 0;
  if (self->n_samples < 2 || last->fraction <= first->fraction)
    return -1;
  rate = (last->fraction - first->fraction) / (double) (last->time_us - first->time_us);
  return (gint64) ((1.0 - fraction) / rate);
}

static gint64
silence_expected_locked (RfProgress *self)
{
  if (!self->command_running)
    return 0;
  if (self->command_expected_us > 0)
    return (gint64) self->command_expected_us;
  if (self->current < 0)
    return (gint64) (DEFAULT_WEIGHT_SECONDS * G_USEC_PER_SEC);
  return (gint64) (self->weights[self->current] * G_USEC_PER_SEC);
}

static RfProgressSilence
silence_locked (RfProgress *self,
                gint64      now_us,
                gint64      expected_us)
{
  gint64 running_us;

  if (!self->command_running)
    return RF_PROGRESS_SILENCE_NONE;
  running_us = now_us - self->command_start_us;
  if (running_us > 2 * expected_us)
    return RF_PROGRESS_SILENCE_VERY_LONG;
  if (running_us > expected_us)
    return RF_PROGRESS_SILENCE_LONG;
  return RF_PROGRESS_SILENCE_NONE;
}

static void
snapshot_locked (RfProgress         *self,
                 RfProgressSnapshot *out)
{
  gint64 now_us = rf_clock_get_now_us (self->clock);
  guint index = self->current >= 0 ? (guint) self->current : 0;

  memset (out, 0, sizeof *out);
  out->phase = self->phases[index];
  out->phase_index = self->current;
  out->n_phases = self->n_phases;
  out->fraction = fraction_locked (self, now_us);
  add_sample_locked (self, now_us, out->fraction);
  out->bytes_done = self->bytes_done;
  out->bytes_total = self->bytes_total;
  out->elapsed_us = now_us - self->start_us;
  out->time_left_us = time_left_locked (self, out->fraction);
  out->led_hint = self->current >= 0 ? self->led_hints[index] : g_intern_static_string ("off");
  out->point_of_no_return = self->point_of_no_return;
  out->finished = self->finished;
  out->silence_expected_us = silence_expected_locked (self);
  out->silence = silence_locked (self, now_us, out->silence_expected_us);
}

/**
 * rf_progress_get_snapshot:
 * @out: (out caller-allocates): the progress now
 *
 * Thread-safe. The CLI reads these; a main loop gets them through a watch.
 */
void
rf_progress_get_snapshot (RfProgress         *self,
                          RfProgressSnapshot *out)
{
  g_return_if_fail (RF_IS_PROGRESS (self));
  g_return_if_fail (out != NULL);

  g_mutex_lock (&self->lock);
  snapshot_locked (self, out);
  g_mutex_unlock (&self->lock);
}

static gboolean
delivery_dispatch (GSource    *source,
                   GSourceFunc callback,
                   gpointer    user_data)
{
  return callback (user_data);
}

static GSourceFuncs delivery_funcs = {
  .dispatch = delivery_dispatch,
};

static void
delivery_free (gpointer data)
{
  Delivery *delivery = data;

  g_weak_ref_clear (&delivery->progress);
  g_free (delivery);
}

static Delivery *
delivery_new (RfProgress *self,
              guint       watch_id)
{
  Delivery *delivery = g_new0 (Delivery, 1);

  g_weak_ref_init (&delivery->progress, self);
  delivery->watch_id = watch_id;
  return delivery;
}

static Watch *
find_watch_locked (RfProgress *self,
                   guint       watch_id)
{
  for (guint i = 0; i < self->watches->len; i++)
    {
      Watch *watch = g_ptr_array_index (self->watches, i);

      if (watch->id == watch_id)
        return watch;
    }
  return NULL;
}

static gboolean deliver (gpointer data);

/* At most one pending source per watch; the finished snapshot goes at once. */
static void
schedule_locked (RfProgress *self,
                 Watch      *watch)
{
  gint64 ready_us;

  if (watch->final_delivered)
    return;
  if (watch->pending != NULL)
    {
      if (self->finished)
        g_source_set_ready_time (watch->pending, 0);
      return;
    }
  ready_us = self->finished ? 0 : watch->last_delivery_us + MIN_DELIVERY_SPACING_US;
  watch->pending = g_source_new (&delivery_funcs, sizeof (GSource));
  g_source_set_static_name (watch->pending, "[reflash] progress delivery");
  g_source_set_ready_time (watch->pending, MAX (ready_us, 0));
  g_source_set_callback (watch->pending, deliver, delivery_new (self, watch->id), delivery_free);
  g_source_attach (watch->pending, watch->context);
}

/* Takes the sources to remove out of the watch once the last delivery is due. */
static void
take_delivery_locked (RfProgress         *self,
                      Watch              *watch,
                      RfProgressSnapshot *snapshot,
                      GSource           **done_pending,
                      GSource           **done_heartbeat)
{
  *done_pending = g_steal_pointer (&watch->pending);
  snapshot_locked (self, snapshot);
  watch->last_delivery_us = g_get_monotonic_time ();
  watch->final_delivered = snapshot->finished;
  if (watch->final_delivered)
    *done_heartbeat = g_steal_pointer (&watch->heartbeat);
}

static gboolean
deliver (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(RfProgress) self = g_weak_ref_get (&delivery->progress);
  g_autoptr(GSource) done_pending = NULL;
  g_autoptr(GSource) done_heartbeat = NULL;
  RfProgressSnapshot snapshot;
  RfProgressFunc func;
  gpointer user_data;
  Watch *watch;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->lock);
  watch = find_watch_locked (self, delivery->watch_id);
  if (watch == NULL || watch->final_delivered)
    {
      g_mutex_unlock (&self->lock);
      return G_SOURCE_REMOVE;
    }
  take_delivery_locked (self, watch, &snapshot, &done_pending, &done_heartbeat);
  func = watch->func;
  user_data = watch->user_data;
  g_mutex_unlock (&self->lock);
  if (done_heartbeat != NULL)
    g_source_destroy (done_heartbeat);
  func (self, &snapshot, user_data);
  return G_SOURCE_REMOVE;
}

/* Elapsed time, time-based fractions and silences change with no call from
 * the worker: refresh them once a second while the job runs. */
static gboolean
heartbeat (gpointer data)
{
  Delivery *delivery = data;
  g_autoptr(RfProgress) self = g_weak_ref_get (&delivery->progress);
  Watch *watch;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_mutex_lock (&self->lock);
  watch = find_watch_locked (self, delivery->watch_id);
  if (watch != NULL)
    schedule_locked (self, watch);
  g_mutex_unlock (&self->lock);
  return watch != NULL ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

/* After every change, with the lock held. */
static void
changed_locked (RfProgress *self)
{
  gint64 now_us = rf_clock_get_now_us (self->clock);

  add_sample_locked (self, now_us, fraction_locked (self, now_us));
  for (guint i = 0; i < self->watches->len; i++)
    schedule_locked (self, g_ptr_array_index (self->watches, i));
}

/**
 * rf_progress_watch:
 * @context: (nullable): where @func runs; %NULL for the global default context
 * @func: gets coalesced snapshots: at most one pending per watch, at most 10
 *   a second (real time), the finished one always and exactly once
 *
 * The current snapshot is delivered soon after, so a new page never waits for
 * the worker's next step.
 *
 * Returns: an id for rf_progress_unwatch()
 */
guint
rf_progress_watch (RfProgress     *self,
                   GMainContext   *context,
                   RfProgressFunc  func,
                   gpointer        user_data,
                   GDestroyNotify  destroy)
{
  Watch *watch;
  guint id;

  g_return_val_if_fail (RF_IS_PROGRESS (self), 0);
  g_return_val_if_fail (func != NULL, 0);

  watch = g_new0 (Watch, 1);
  watch->context = g_main_context_ref (context != NULL ? context : g_main_context_default ());
  watch->func = func;
  watch->user_data = user_data;
  watch->destroy = destroy;
  watch->last_delivery_us = g_get_monotonic_time () - MIN_DELIVERY_SPACING_US;
  g_mutex_lock (&self->lock);
  id = watch->id = self->next_watch_id++;
  watch->heartbeat = g_timeout_source_new_seconds (1);
  g_source_set_static_name (watch->heartbeat, "[reflash] progress heartbeat");
  g_source_set_callback (watch->heartbeat, heartbeat, delivery_new (self, id), delivery_free);
  g_source_attach (watch->heartbeat, watch->context);
  g_ptr_array_add (self->watches, watch);
  schedule_locked (self, watch);
  g_mutex_unlock (&self->lock);
  return id;
}

/**
 * rf_progress_unwatch:
 *
 * Stops a watch. Call it on the watch's context, so no delivery is running.
 */
void
rf_progress_unwatch (RfProgress *self,
                     guint       watch_id)
{
  Watch *watch;

  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  watch = find_watch_locked (self, watch_id);
  if (watch != NULL)
    g_ptr_array_remove_fast (self->watches, watch);
  g_mutex_unlock (&self->lock);
  g_return_if_fail (watch != NULL);
  clear_source (&watch->pending);
  clear_source (&watch->heartbeat);
  watch_free (watch);
}

/* The next occurrence of @phase after the current one; phases only go forward. */
static int
find_next_phase_locked (RfProgress *self,
                        RfPhase     phase)
{
  for (guint i = (guint) (self->current + 1); i < self->n_phases; i++)
    if (self->phases[i] == phase)
      return (int) i;
  return -1;
}

/**
 * rf_progress_begin_phase:
 * @phase: one of the job's phases after the current one; phases in between
 *   (a backup reused, say) count as done
 * @total_bytes: the bytes this phase moves, or 0 to count its time against
 *   the family's expected seconds
 */
void
rf_progress_begin_phase (RfProgress *self,
                         RfPhase     phase,
                         guint64     total_bytes)
{
  int index;

  g_return_if_fail (RF_IS_PROGRESS (self));

  /* In order with the commands a debug log traces: the fault matrix
   * (tests/test-faults.c) tells each command's phase by it. */
  g_debug ("phase %s begins", rf_phase_to_nick (phase));
  g_mutex_lock (&self->lock);
  index = self->finished ? -1 : find_next_phase_locked (self, phase);
  if (index >= 0)
    {
      self->current = index;
      self->phase_start_us = rf_clock_get_now_us (self->clock);
      self->bytes_done = 0;
      self->bytes_total = total_bytes;
      changed_locked (self);
    }
  g_mutex_unlock (&self->lock);
  g_return_if_fail (index >= 0);
}

/**
 * rf_progress_set_done:
 * @bytes_done: bytes of the current phase done so far
 */
void
rf_progress_set_done (RfProgress *self,
                      guint64     bytes_done)
{
  gboolean in_phase;

  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  in_phase = self->current >= 0 && !self->finished;
  if (in_phase)
    {
      self->bytes_done = bytes_done;
      changed_locked (self);
    }
  g_mutex_unlock (&self->lock);
  g_return_if_fail (in_phase);
}

/**
 * rf_progress_command_started:
 * @expected_us: how long the command normally takes, or 0 to measure it
 *   against the current phase's expected seconds
 *
 * Once it runs longer, snapshots carry a silence level.
 */
void
rf_progress_command_started (RfProgress *self,
                             guint64     expected_us)
{
  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  self->command_running = TRUE;
  self->command_start_us = rf_clock_get_now_us (self->clock);
  self->command_expected_us = expected_us;
  changed_locked (self);
  g_mutex_unlock (&self->lock);
}

void
rf_progress_command_finished (RfProgress *self)
{
  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  self->command_running = FALSE;
  changed_locked (self);
  g_mutex_unlock (&self->lock);
}

/**
 * rf_progress_set_point_of_no_return:
 *
 * From now on the job must finish (DOMAIN.md "Phases of a flash"); this never
 * unsets.
 */
void
rf_progress_set_point_of_no_return (RfProgress *self)
{
  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  if (!self->point_of_no_return)
    {
      self->point_of_no_return = TRUE;
      changed_locked (self);
    }
  g_mutex_unlock (&self->lock);
}

/**
 * rf_progress_finish:
 *
 * The job succeeded: the fraction becomes exactly 1.0. Later calls change
 * nothing.
 */
void
rf_progress_finish (RfProgress *self)
{
  g_return_if_fail (RF_IS_PROGRESS (self));

  g_mutex_lock (&self->lock);
  if (!self->finished)
    {
      self->finished = TRUE;
      self->command_running = FALSE;
      changed_locked (self);
    }
  g_mutex_unlock (&self->lock);
}

/**
 * rf_progress_get_phase:
 * @index: below the snapshot's @n_phases
 *
 * The job's phases never change once it is made: a front end lists them.
 *
 * Returns: the @index-th phase the job runs
 */
RfPhase
rf_progress_get_phase (RfProgress *self,
                       guint       index)
{
  g_return_val_if_fail (RF_IS_PROGRESS (self), RF_PHASE_PREFLIGHT);
  g_return_val_if_fail (index < self->n_phases, RF_PHASE_PREFLIGHT);
  return self->phases[index];
}

/**
 * rf_progress_set_led_hint:
 * @phase: a phase of this progress
 * @led_hint: a nick of [LedHints] ("blinking")
 *
 * What the light does in @phase for this drive, where it differs from its
 * family's data. Called before the job starts.
 */
void
rf_progress_set_led_hint (RfProgress *self,
                          RfPhase     phase,
                          const char *led_hint)
{
  g_return_if_fail (RF_IS_PROGRESS (self));
  g_return_if_fail (led_hint != NULL);

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->n_phases; i++)
    if (self->phases[i] == phase)
      self->led_hints[i] = g_intern_string (led_hint);
  g_mutex_unlock (&self->lock);
}
