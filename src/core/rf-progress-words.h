/* rf-progress-words.h: what a front end says about a job's progress, in one place
 * for the wizard and reflash-cli (DOMAIN.md "Phases of a flash", "Terminology")
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "rf-phase.h"
#include "rf-progress.h"

G_BEGIN_DECLS

const char *rf_phase_to_title                (RfPhase phase);
const char *rf_led_hint_to_sentence          (const char *led_hint);

char       *rf_progress_format_percent       (double fraction);
char       *rf_progress_format_time_left     (gint64 time_left_us);
char       *rf_progress_dup_silence_sentence (const RfProgressSnapshot *snapshot);
const char *rf_progress_get_caution          (const RfProgressSnapshot *snapshot);
char       *rf_progress_dup_short_line       (const RfProgressSnapshot *snapshot);
char       *rf_progress_dup_status_line      (const RfProgressSnapshot *snapshot);

G_END_DECLS
