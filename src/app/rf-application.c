/* rf-application.c: single-instance application, actions and start-up
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "rf-application.h"
#include "rf-device-monitor.h"
#include "rf-must-finish.h"
#include "rf-sim.h"
#include "rf-window.h"

struct _RfApplication
{
  AdwApplication parent_instance;

  RfDriveDb *db;
  RfDeviceMonitor *monitor;
  GSettings *settings;
  char *practice_drive;
  gboolean holding;        /* a drive must be brought back before quitting */
  gboolean quit_deferred;  /* asked to quit meanwhile */
  gboolean practice_added;
  RfSimSource *practice;   /* the practice drives, which twins join */
  guint signal_sources[3];
};

G_DEFINE_FINAL_TYPE (RfApplication, rf_application, ADW_TYPE_APPLICATION)

/* Practice drives rehearse at the speed the user chose (3.5x by default, so a
 * whole practice flash of an ND-3550A, its backup included, takes about a
 * minute): a real NEC flash takes minutes, and a rehearsal should feel like one
 * without taking as long. */
static void
rf_application_add_practice_drives (RfApplication *self)
{
  g_autoptr(RfSimSource) practice = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  double speed = g_settings_get_double (self->settings, "practice-speed");

  if (self->practice_added)
    return;
  self->practice_added = TRUE;
  practice = rf_sim_source_new (NULL);
  devices = rf_device_source_list_devices (RF_DEVICE_SOURCE (practice));
  for (guint i = 0; i < devices->len; i++)
    {
      const char *id = rf_device_get_id (g_ptr_array_index (devices, i));
      RfSimDrive *drive = rf_sim_source_get_drive (practice, id + strlen (RF_SIM_DEVICE_PREFIX));

      if (drive != NULL)
        rf_sim_drive_set_speed (drive, speed);
    }
  rf_device_monitor_add_source (self->monitor, RF_DEVICE_SOURCE (practice));
  self->practice = g_object_ref (practice);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (RF_IS_WINDOW (l->data))
      rf_window_set_practice_source (RF_WINDOW (l->data), practice);
}

/* The drive families and every drive Reflash can see, shared by all windows. */
static void
rf_application_load_drives (RfApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->db = rf_drive_db_new_default (&error);
  if (self->db == NULL)
    {
      /* Broken family files must not hide the drives: list them as unsupported. */
      g_warning ("Could not load the drive families: %s", error->message);
      self->db = rf_drive_db_new ();
    }
  self->monitor = rf_device_monitor_new (self->db);
  /* A practice drive asked for by name is needed at once; else they can wait. */
  if (self->practice_drive != NULL)
    rf_application_add_practice_drives (self);
}

static gboolean
add_practice_drives_now (gpointer data)
{
  RfApplication *self = data;

  rf_application_add_practice_drives (self);
  return G_SOURCE_REMOVE;
}

/* Opening fifteen practice drives can wait until the window is on screen:
 * after its first frame, at the lowest priority, so that the frames that
 * follow come first too. The Welcome page does not show them. */
static void
on_first_frame (GdkFrameClock *clock,
                RfApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  g_idle_add_full (G_PRIORITY_LOW, add_practice_drives_now, g_object_ref (self), g_object_unref);
}

static void
add_practice_drives_later (RfApplication *self,
                           GtkWindow     *window)
{
  GdkFrameClock *clock;

  if (self->practice_added || !g_settings_get_boolean (self->settings, "show-practice-drives"))
    return;
  gtk_widget_realize (GTK_WIDGET (window));
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_first_frame), self, 0);
}

static void
rf_application_activate (GApplication *application)
{
  RfApplication *self = RF_APPLICATION (application);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    {
      window = GTK_WINDOW (rf_window_new (GTK_APPLICATION (application)));
      rf_window_set_monitor (RF_WINDOW (window), self->monitor, self->db);
      if (self->practice != NULL)
        rf_window_set_practice_source (RF_WINDOW (window), self->practice);
      /* Root is allowed (CI, some demos), never asked for. */
      if (geteuid () == 0)
        g_message ("Reflash is running as root. It does not need to: it asks for administrator rights only for the steps that need them.");
    }
  if (self->practice_drive != NULL)
    {
      g_autofree char *id = g_strconcat ("practice:", self->practice_drive, NULL);

      if (!rf_window_open_drive (RF_WINDOW (window), id))
        /* Translators: the name after --practice that matched no practice drive ("seed") */
        g_printerr (_("There is no practice drive called “%s”.\n"), self->practice_drive);
      g_clear_pointer (&self->practice_drive, g_free);
    }
  gtk_window_present (window);
  add_practice_drives_later (self, window);
}

static int
rf_application_handle_local_options (GApplication *application,
                                     GVariantDict *options)
{
  RfApplication *self = RF_APPLICATION (application);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("reflash %s\n", PACKAGE_VERSION);
      return 0;
    }
  g_variant_dict_lookup (options, "practice", "s", &self->practice_drive);
  return -1;
}

static void
rf_application_dispose (GObject *object)
{
  RfApplication *self = RF_APPLICATION (object);

  g_clear_object (&self->monitor);
  g_clear_object (&self->practice);
  g_clear_object (&self->db);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->practice_drive, g_free);
  G_OBJECT_CLASS (rf_application_parent_class)->dispose (object);
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

/* A drive is between SAFE MODE enter and its return (or, later, a flash is
 * past the point of no return): the application stays, and quitting waits. */
static gboolean
apply_must_finish (gpointer data)
{
  RfApplication *self = data;
  gboolean active = rf_must_finish_is_active ();
  GAction *quit = g_action_map_lookup_action (G_ACTION_MAP (self), "quit");

  if (active && !self->holding)
    g_application_hold (G_APPLICATION (self));
  else if (!active && self->holding)
    g_application_release (G_APPLICATION (self));
  self->holding = active;
  if (quit != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (quit), !active);
  if (!active && self->quit_deferred)
    {
      self->quit_deferred = FALSE;
      g_application_quit (G_APPLICATION (self));
    }
  return G_SOURCE_REMOVE;
}

/* Called on the worker thread that began or ended the stretch. */
static void
on_must_finish (gboolean active,
                gpointer user_data)
{
  g_main_context_invoke_full (NULL, G_PRIORITY_HIGH, apply_must_finish,
                              g_object_ref (user_data), g_object_unref);
}

/* SIGINT, SIGTERM and SIGHUP quit as the window's Quit would, but never in the
 * middle of bringing a drive back: then the quit waits for the end. */
static gboolean
on_unix_signal (gpointer user_data)
{
  RfApplication *self = user_data;

  if (rf_must_finish_is_active ())
    {
      g_printerr ("%s\n", _("Reflash must first bring the drive back; it quits as soon as that is done."));
      self->quit_deferred = TRUE;
      return G_SOURCE_CONTINUE;
    }
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

static void
watch_must_finish (RfApplication *self)
{
  static const int signals[] = { SIGINT, SIGTERM, SIGHUP };

  G_STATIC_ASSERT (G_N_ELEMENTS (signals) == G_N_ELEMENTS (self->signal_sources));

  rf_must_finish_set_watch (on_must_finish, self);
  for (gsize i = 0; i < G_N_ELEMENTS (signals); i++)
    self->signal_sources[i] = g_unix_signal_add_full (G_PRIORITY_HIGH, signals[i],
                                                      on_unix_signal, self, NULL);
}

static void
rf_application_shutdown (GApplication *application)
{
  RfApplication *self = RF_APPLICATION (application);

  rf_must_finish_set_watch (NULL, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS (self->signal_sources); i++)
    g_clear_handle_id (&self->signal_sources[i], g_source_remove);
  G_APPLICATION_CLASS (rf_application_parent_class)->shutdown (application);
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
  RF_APPLICATION (application)->settings = g_settings_new ("io.github.reflash.Reflash");
  rf_application_load_drives (RF_APPLICATION (application));
  g_action_map_add_action_entries (G_ACTION_MAP (application), app_actions,
                                   G_N_ELEMENTS (app_actions), application);
  gtk_application_set_accels_for_action (GTK_APPLICATION (application), "app.quit", quit_accels);
  watch_must_finish (RF_APPLICATION (application));
}

static void
rf_application_class_init (RfApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = rf_application_dispose;
  app_class->handle_local_options = rf_application_handle_local_options;
  app_class->activate = rf_application_activate;
  app_class->startup = rf_application_startup;
  app_class->shutdown = rf_application_shutdown;
}

static const GOptionEntry main_options[] = {
  { "practice", 'p', G_OPTION_FLAG_NONE, G_OPTION_ARG_STRING, NULL,
    N_("Open the practice drive NAME (for example “seed”)"), N_("NAME") },
  { "version", 0, G_OPTION_FLAG_NONE, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

static void
rf_application_init (RfApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), main_options);
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
