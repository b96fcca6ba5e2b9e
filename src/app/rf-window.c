/* rf-window.c: the wizard's window: header bar, pages, Back and Next
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-welcome-page.h"
#include "rf-window.h"

struct _RfWindow
{
  AdwApplicationWindow parent_instance;

  AdwWindowTitle *window_title;
  GtkStack *stack;

  /* The pages in wizard order; the stack holds the same widgets. */
  GPtrArray *pages;
  guint current;

  GSettings *settings;
};

G_DEFINE_FINAL_TYPE (RfWindow, rf_window, ADW_TYPE_APPLICATION_WINDOW)

/* The one place that decides what Back and Next may do. */
static void
rf_window_update (RfWindow *self)
{
  RfPage *page = rf_window_get_visible_page (self);
  gboolean has_next = self->current + 1 < self->pages->len;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.back", self->current > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "wizard.next",
                                 has_next && page != NULL && rf_page_get_complete (page));
  adw_window_title_set_subtitle (self->window_title,
                                 page != NULL ? rf_page_get_title (page) : NULL);
}

static void
on_page_changed (RfWindow *self)
{
  rf_window_update (self);
}

static void
rf_window_show_page (RfWindow *self,
                     guint     index)
{
  g_assert (index < self->pages->len);

  self->current = index;
  gtk_stack_set_visible_child (self->stack, g_ptr_array_index (self->pages, index));
  rf_window_update (self);
}

static void
wizard_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);

  if (self->current > 0)
    rf_window_show_page (self, self->current - 1);
}

static void
wizard_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  RfWindow *self = RF_WINDOW (widget);
  RfPage *page = rf_window_get_visible_page (self);

  if (self->current + 1 < self->pages->len && rf_page_get_complete (page))
    rf_window_show_page (self, self->current + 1);
}

static void
rf_window_dispose (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);

  for (guint i = 0; i < self->pages->len; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->pages, i),
                                          on_page_changed, self);
  g_ptr_array_set_size (self->pages, 0);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (rf_window_parent_class)->dispose (object);
}

static void
rf_window_finalize (GObject *object)
{
  RfWindow *self = RF_WINDOW (object);

  g_ptr_array_unref (self->pages);
  G_OBJECT_CLASS (rf_window_parent_class)->finalize (object);
}

static void
rf_window_class_init (RfWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_window_dispose;
  object_class->finalize = rf_window_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/rf-window.ui");
  gtk_widget_class_bind_template_child (widget_class, RfWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, RfWindow, stack);

  gtk_widget_class_install_action (widget_class, "wizard.back", NULL, wizard_back);
  gtk_widget_class_install_action (widget_class, "wizard.next", NULL, wizard_next);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "wizard.back",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "wizard.next",
                                       NULL);
}

static void
rf_window_init (RfWindow *self)
{
  self->pages = g_ptr_array_new_with_free_func (g_object_unref);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The schema id is fixed; the .Devel build shares its settings. */
  self->settings = g_settings_new ("io.github.reflash.Reflash");
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height",
                   G_SETTINGS_BIND_DEFAULT);
  rf_window_add_page (self, RF_PAGE (rf_welcome_page_new ()), "welcome");
}

RfWindow *
rf_window_new (GtkApplication *application)
{
  return g_object_new (RF_TYPE_WINDOW, "application", application, NULL);
}

/**
 * rf_window_add_page:
 * @self: the window
 * @page: (transfer floating): the next step of the wizard
 * @name: the stack child's name
 *
 * Appends @page after the existing ones.
 */
void
rf_window_add_page (RfWindow   *self,
                    RfPage     *page,
                    const char *name)
{
  g_return_if_fail (RF_IS_WINDOW (self));
  g_return_if_fail (RF_IS_PAGE (page));

  g_ptr_array_add (self->pages, g_object_ref_sink (page));
  gtk_stack_add_named (self->stack, GTK_WIDGET (page), name);
  g_signal_connect_swapped (page, "notify::complete", G_CALLBACK (on_page_changed), self);
  g_signal_connect_swapped (page, "notify::title", G_CALLBACK (on_page_changed), self);
  rf_window_update (self);
}

RfPage *
rf_window_get_visible_page (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), NULL);

  if (self->current >= self->pages->len)
    return NULL;
  return g_ptr_array_index (self->pages, self->current);
}

guint
rf_window_get_page_count (RfWindow *self)
{
  g_return_val_if_fail (RF_IS_WINDOW (self), 0);
  return self->pages->len;
}
