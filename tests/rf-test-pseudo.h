/* rf-test-pseudo.h: reading text in the pseudo-language en@pseudo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define RF_TEST_PSEUDO_LANGUAGE "en@pseudo"

GRegex   *rf_test_pseudo_allowed_new (void);
gboolean  rf_test_pseudo_is_english  (GRegex      *allowed,
                                      const char  *text);
char    **rf_test_pseudo_environ     (char       **env,
                                      const char  *locale_dir);

G_END_DECLS
