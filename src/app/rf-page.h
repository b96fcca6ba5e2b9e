/* rf-page.h: one step of the wizard
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define RF_TYPE_PAGE (rf_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (RfPage, rf_page, RF, PAGE, AdwBin)

struct _RfPageClass
{
  AdwBinClass parent_class;

  gpointer padding[4];
};

gboolean    rf_page_get_complete (RfPage     *self);
void        rf_page_set_complete (RfPage     *self,
                                  gboolean    complete);
const char *rf_page_get_title    (RfPage     *self);
void        rf_page_set_title    (RfPage     *self,
                                  const char *title);
const char *rf_page_get_next_label   (RfPage     *self);
void        rf_page_set_next_label   (RfPage     *self,
                                      const char *label);
gboolean    rf_page_get_back_blocked (RfPage     *self);
void        rf_page_set_back_blocked (RfPage     *self,
                                      gboolean    blocked);

GtkWidget  *rf_page_get_default_widget (RfPage     *self);
void        rf_page_set_default_widget (RfPage     *self,
                                        GtkWidget  *widget);

GtkWidget  *rf_page_get_opening_focus  (RfPage     *self);
void        rf_page_set_opening_focus  (RfPage     *self,
                                        GtkWidget  *widget);

G_END_DECLS
