/* rf-progress.h: the thread-safe progress of a job (issue 15 "Progress")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "rf-clock.h"
#include "rf-drive-db.h"
#include "rf-phase.h"

G_BEGIN_DECLS

/**
 * RfProgressSilence:
 * @RF_PROGRESS_SILENCE_NONE: the current command, if any, is within its time
 * @RF_PROGRESS_SILENCE_LONG: it runs longer than expected ("still working —
 *   this normally takes up to N minutes")
 * @RF_PROGRESS_SILENCE_VERY_LONG: more than twice as long ("taking longer than
 *   usual; do not switch off")
 */
typedef enum {
  RF_PROGRESS_SILENCE_NONE = 0,
  RF_PROGRESS_SILENCE_LONG = 1,
  RF_PROGRESS_SILENCE_VERY_LONG = 2,
} RfProgressSilence;

/**
 * RfProgressSnapshot:
 * @phase: the current phase (the first one before any began)
 * @phase_index: its index in the job's phases, -1 before the first began
 * @n_phases: how many phases the job runs
 * @fraction: 0.0 to 1.0 over the whole job, weighted by the family's expected
 *   durations; it never goes back, and is 1.0 only once the job finished
 * @bytes_done: bytes of the current phase done
 * @bytes_total: bytes of the current phase, 0 when it counts none
 * @elapsed_us: time since the progress was made, on the drive's clock
 * @time_left_us: from the rate over a sliding window of samples; -1 until
 *   there is one
 * @led_hint: (not nullable): what the drive's LED typically does now
 *   ("off", "blinking", ...; interned, lives forever)
 * @point_of_no_return: whether the job passed it (stays set)
 * @finished: whether rf_progress_finish() was called
 * @silence: how far the current command overran its expected time
 * @silence_expected_us: that expected time while a command runs, else 0
 *
 * A copy: read it anywhere, keep it as long as you like.
 */
typedef struct {
  RfPhase phase;
  int phase_index;
  guint n_phases;
  double fraction;
  guint64 bytes_done;
  guint64 bytes_total;
  gint64 elapsed_us;
  gint64 time_left_us;
  const char *led_hint;
  gboolean point_of_no_return;
  gboolean finished;
  RfProgressSilence silence;
  gint64 silence_expected_us;
} RfProgressSnapshot;

#define RF_TYPE_PROGRESS (rf_progress_get_type ())

G_DECLARE_FINAL_TYPE (RfProgress, rf_progress, RF, PROGRESS, GObject)

/**
 * RfProgressFunc:
 * @snapshot: the progress at delivery time
 *
 * Called on the watch's context, at most 10 times a second; the finished
 * snapshot comes exactly once, and last.
 */
typedef void (*RfProgressFunc) (RfProgress               *progress,
                                const RfProgressSnapshot *snapshot,
                                gpointer                  user_data);

RfProgress *rf_progress_new                   (RfClock             *clock,
                                               const RfDriveFamily *family,
                                               const RfPhase       *phases,
                                               gsize                n_phases);
void        rf_progress_set_led_hint          (RfProgress          *self,
                                               RfPhase              phase,
                                               const char          *led_hint);

void        rf_progress_begin_phase           (RfProgress *self,
                                               RfPhase     phase,
                                               guint64     total_bytes);
void        rf_progress_set_done              (RfProgress *self,
                                               guint64     bytes_done);
void        rf_progress_command_started       (RfProgress *self,
                                               guint64     expected_us);
void        rf_progress_command_finished      (RfProgress *self);
void        rf_progress_set_point_of_no_return (RfProgress *self);
void        rf_progress_finish                (RfProgress *self);

void        rf_progress_get_snapshot          (RfProgress         *self,
                                               RfProgressSnapshot *out);
RfPhase     rf_progress_get_phase             (RfProgress         *self,
                                               guint               index);

guint       rf_progress_watch                 (RfProgress     *self,
                                               GMainContext   *context,
                                               RfProgressFunc  func,
                                               gpointer        user_data,
                                               GDestroyNotify  destroy);
void        rf_progress_unwatch               (RfProgress *self,
                                               guint       watch_id);

G_END_DECLS
