/* rf-cli-progress.h: a job's progress as reflash-cli shows it: one line
 * redrawn on a terminal, plain lines in a pipe or file, or JSON events
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stdio.h>

#include "rf-core.h"

G_BEGIN_DECLS

/**
 * RfCliProgressStyle:
 * @RF_CLI_PROGRESS_TERMINAL: one line, redrawn in place
 * @RF_CLI_PROGRESS_LINES: a line per phase and per whole 10 %, never redrawn
 * @RF_CLI_PROGRESS_JSON: a `phase` event per phase and a `progress` event per
 *   change, one JSON object a line
 */
typedef enum {
  RF_CLI_PROGRESS_TERMINAL,
  RF_CLI_PROGRESS_LINES,
  RF_CLI_PROGRESS_JSON,
} RfCliProgressStyle;

typedef struct _RfCliProgress RfCliProgress;

RfCliProgress     *rf_cli_progress_new       (RfCliProgressStyle        style,
                                              FILE                     *out);
void               rf_cli_progress_free      (RfCliProgress            *self);
RfCliProgressStyle rf_cli_progress_get_style (RfCliProgress            *self);
void               rf_cli_progress_show      (RfCliProgress            *self,
                                              const RfProgressSnapshot *snapshot);
void               rf_cli_progress_clear     (RfCliProgress            *self);

RfJsonWriter      *rf_cli_event_begin        (const char               *event);
void               rf_cli_event_end          (RfJsonWriter             *json,
                                              FILE                     *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfCliProgress, rf_cli_progress_free)

G_END_DECLS
