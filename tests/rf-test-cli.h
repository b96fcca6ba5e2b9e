/* rf-test-cli.h: running reflash-cli as a user runs it, for the cli suite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * RfTestCliJobFixture:
 * @dir: a fresh folder: practice drives, backups and drive locks start there
 * @store: where the CLI keeps backups
 * @env: reflash-cli's environment
 */
typedef struct {
  char *dir;
  char *store;
  char **env;
} RfTestCliJobFixture;

void              rf_test_cli_job_fixture_set_up    (RfTestCliJobFixture *fixture,
                                                     gconstpointer        data);
void              rf_test_cli_job_fixture_set_up_on_mains (RfTestCliJobFixture *fixture,
                                                           gconstpointer        data);
char             *rf_test_cli_job_practice_image    (RfTestCliJobFixture *fixture,
                                                     const char          *cli,
                                                     const char          *drive,
                                                     const char          *name,
                                                     const char          *extra);
void              rf_test_cli_job_fixture_tear_down (RfTestCliJobFixture *fixture,
                                                     gconstpointer        data);
int               rf_test_cli_job_run               (RfTestCliJobFixture *fixture,
                                                     const char          *cli,
                                                     char               **out,
                                                     char               **err,
                                                     const char          *first,
                                                     ...) G_GNUC_NULL_TERMINATED;

int               rf_test_cli_run              (const char          *cli,
                                                char               **env,
                                                char               **out,
                                                char               **err,
                                                const char          *first,
                                                va_list              args);
GSubprocess      *rf_test_cli_spawn            (const char          *cli,
                                                char               **env,
                                                const char * const  *args);
gboolean          rf_test_read_lines_until_both (GDataInputStream   *stream,
                                                 GString            *text,
                                                 const char         *until,
                                                 const char         *also);
gboolean          rf_test_read_lines_until     (GDataInputStream    *stream,
                                                GString             *text,
                                                const char          *until);
int               rf_test_wait_exit            (GSubprocess         *process);
GPtrArray        *rf_test_parse_events         (const char          *out);
const char       *rf_test_event_name           (GPtrArray           *events,
                                                guint                i);
char             *rf_test_dup_man_exit_status  (const char          *man,
                                                int                  code);

/* Words the text of an exit status in reflash-cli(1) must hold. */
typedef struct {
  int code;
  const char *words;
} RfTestExitWords;

void              rf_test_assert_exit_words    (const RfTestExitWords *rows,
                                                gsize                  n_rows);

G_END_DECLS
