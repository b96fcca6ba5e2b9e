/* rf-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "rf-sim-source.h"

#include "rf-device-monitor.h"
#include "rf-journal.h"
#include "rf-page.h"

G_BEGIN_DECLS

#define RF_TYPE_WINDOW (rf_window_get_type ())

G_DECLARE_FINAL_TYPE (RfWindow, rf_window, RF, WINDOW, AdwApplicationWindow)

RfWindow *rf_window_new              (GtkApplication *application);
void      rf_window_add_page         (RfWindow       *self,
                                      RfPage         *page,
                                      const char     *name);
RfPage   *rf_window_get_visible_page (RfWindow       *self);
guint     rf_window_get_page_count   (RfWindow       *self);
void      rf_window_set_monitor      (RfWindow        *self,
                                      RfDeviceMonitor *monitor,
                                      RfDriveDb       *db);
gboolean  rf_window_open_drive       (RfWindow       *self,
                                      const char     *id);
void      rf_window_set_journal_store (RfWindow       *self,
                                       RfJournalStore *store);
void      rf_window_set_practice_source (RfWindow    *self,
                                         RfSimSource *practice);

G_END_DECLS
