/* rf-welcome-page.c: what Reflash does and what the user needs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "rf-welcome-page.h"

struct _RfWelcomePage
{
  RfPage parent_instance;
};

G_DEFINE_FINAL_TYPE (RfWelcomePage, rf_welcome_page, RF_TYPE_PAGE)

static void
rf_welcome_page_class_init (RfWelcomePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/rf-welcome-page.ui");
}

static void
rf_welcome_page_init (RfWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Reading is all this step asks for. */
  rf_page_set_complete (RF_PAGE (self), TRUE);
}

GtkWidget *
rf_welcome_page_new (void)
{
  return g_object_new (RF_TYPE_WELCOME_PAGE, NULL);
}
