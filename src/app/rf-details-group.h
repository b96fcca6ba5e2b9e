/* rf-details-group.h: a group of "title: value" rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RF_TYPE_DETAILS_GROUP (rf_details_group_get_type ())

G_DECLARE_FINAL_TYPE (RfDetailsGroup, rf_details_group, RF, DETAILS_GROUP, AdwPreferencesGroup)

void rf_details_group_add   (RfDetailsGroup *self,
                             const char     *title,
                             const char     *value);
void rf_details_group_clear (RfDetailsGroup *self);

G_END_DECLS
