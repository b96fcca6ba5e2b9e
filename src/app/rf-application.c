/* rf-application.c: single-instance application, actions and start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <unistd.h>

#include "rf-application.h"
#include "rf-window.h"

struct _RfApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (RfApplication, rf_application, ADW_TYPE_APPLICATION)

static void
rf_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (rf_window_new (GTK_APPLICATION (application)));
      /* Root is allowed (CI, some demos), never asked for. */
      if (geteuid () == 0)
        g_warning ("Reflash is running as root. It does not need to: it asks for administrator rights only for the steps that need them.");
    }
  gtk_window_present (window);
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkApplication *application = GTK_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (application);

  adw_show_about_window (parent,
                         "application-name", _("Reflash"),
                         "application-icon", APP_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Bring optical drives back from a failed firmware flash"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
quit_application (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = show_about },
  { .name = "quit", .activate = quit_application },
};

static void
rf_application_startup (GApplication *application)
{
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (rf_application_parent_class)->startup (application);
  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
}

static void
rf_application_class_init (RfApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = rf_application_activate;
  app_class->startup = rf_application_startup;
}

static void
rf_application_init (RfApplication *self)
{
}

RfApplication *
rf_application_new (void)
{
  return g_object_new (RF_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}
