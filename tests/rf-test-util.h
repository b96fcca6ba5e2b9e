/* rf-test-util.h: small helpers every test suite needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdarg.h>

#include "rf-core.h"

G_BEGIN_DECLS

/* The start of an argv that runs the rest as nobody, without groups or any
 * capability (PLATFORM.md §5): root passes every permission check, so tests of
 * refusals drop it. Only root may; rf_test_spawn_unprivileged() also works for
 * anyone else and from a checkout nobody cannot reach. */
#define RF_TEST_AS_NOBODY "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", \
                          "--inh-caps=-all", "--bounding-set=-all"

char      **rf_test_cli_environ (const char *dir);
GPtrArray  *rf_test_argv_valist (const char *program,
                                 const char *first,
                                 va_list     args);
void        rf_test_assert_has  (const char *text,
                                 const char *needle);
void  rf_test_remove_tree        (const char         *path);
guint rf_test_count_files        (const char         *path);
char *rf_test_write_file         (const char         *dir,
                                  const char         *name,
                                  GBytes             *bytes);
char *rf_test_make_node          (const char         *dir,
                                  const char         *name,
                                  guint               mode,
                                  guint               major_number,
                                  guint               minor_number);
char *rf_test_run_as_nobody      (const char * const *argv);
/**
 * RfTestUnprivileged:
 * @dir: a folder everyone may read, removed with it
 * @argv: a %NULL-terminated argv that runs the program as nobody
 * @env: its environment
 */
typedef struct {
  char *dir;
  GPtrArray *argv;
  char **env;
} RfTestUnprivileged;

RfTestUnprivileged *rf_test_unprivileged_new (const char * const *argv,
                                              char              **envp);
char *rf_test_unprivileged_add_program (RfTestUnprivileged *self,
                                        const char         *path);
void  rf_test_unprivileged_free (RfTestUnprivileged *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfTestUnprivileged, rf_test_unprivileged_free)

int   rf_test_spawn_unprivileged (const char * const *argv,
                                  char              **envp,
                                  char              **out,
                                  char              **err);
int   rf_test_spawn_unprivileged_with_stdin (const char * const *argv,
                                             char              **envp,
                                             int                 stdin_fd,
                                             char              **out,
                                             char              **err);

char *rf_test_find_dbusmock_python (void);

GPtrArray  *rf_test_transcript_lines (RfRecorder *recorder);
RfRecorder *rf_test_flash            (RfDevice             *device,
                                      RfDriveDb            *db,
                                      RfFirmwareCheck      *check,
                                      const char           *dir,
                                      RfFlashConfirmations  confirmations);

G_END_DECLS
