/* rf-paths.h: where Reflash finds its data and keeps its state, and for whom
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sys/types.h>

G_BEGIN_DECLS

const char *rf_paths_get_data_dir    (void);
char       *rf_paths_get_data_subdir (const char *name);
char       *rf_paths_get_state_dir   (const char *name);

/**
 * RfPathsUser:
 * @uid: whose files these are
 * @gid: their group
 * @data_dir: their XDG data folder ("~/.local/share")
 * @state_dir: their XDG state folder ("~/.local/state")
 * @other: %TRUE when the process runs as root for this user (sudo), and files
 *   must be created as @uid and @gid rather than as root
 *
 * The user whose backups and journals Reflash writes: the one who ran it, also
 * through sudo (DOMAIN.md "Phases of a flash"), so that their own wizard finds
 * them later.
 */
typedef struct {
  uid_t uid;
  gid_t gid;
  char *data_dir;
  char *state_dir;
  gboolean other;
} RfPathsUser;

/**
 * RfPathsIdentity:
 *
 * The file-system identity a thread had before rf_paths_user_become().
 */
typedef struct {
  gboolean switched;
  uid_t fsuid;
  gid_t fsgid;
} RfPathsIdentity;

RfPathsUser *rf_paths_user_new_invoking (GError             **error);
RfPathsUser *rf_paths_user_copy         (const RfPathsUser  *user);
void         rf_paths_user_free         (RfPathsUser        *user);
gboolean     rf_paths_user_become       (const RfPathsUser  *user,
                                         RfPathsIdentity    *saved,
                                         GError            **error);
void         rf_paths_user_restore      (const RfPathsIdentity *saved);
int          rf_paths_make_folder       (const char         *base,
                                         const char         *relative,
                                         GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RfPathsUser, rf_paths_user_free)

G_END_DECLS
