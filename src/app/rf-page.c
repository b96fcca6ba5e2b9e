/* rf-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-page.h"

typedef struct
{
  char *title;
  gboolean complete;
} RfPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RfPage, rf_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COMPLETE,
  PROP_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rf_page_finalize (GObject *object)
{
  RfPagePrivate *priv = rf_page_get_instance_private (RF_PAGE (object));

  g_free (priv->title);
  G_OBJECT_CLASS (rf_page_parent_class)->finalize (object);
}

static void
rf_page_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  RfPage *self = RF_PAGE (object);

  switch (prop_id)
    {
    case PROP_COMPLETE:
      g_value_set_boolean (value, rf_page_get_complete (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, rf_page_get_title (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_page_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  RfPage *self = RF_PAGE (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      rf_page_set_title (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
rf_page_class_init (RfPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = rf_page_finalize;
  object_class->get_property = rf_page_get_property;
  object_class->set_property = rf_page_set_property;

  /**
   * RfPage:complete:
   *
   * Whether the user may go on to the next page. Read-only from outside: only
   * the page itself knows when its step is done.
   */
  properties[PROP_COMPLETE] =
    g_param_spec_boolean ("complete", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RfPage:title:
   *
   * The page's title, shown in the header bar.
   */
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
rf_page_init (RfPage *self)
{
}

gboolean
rf_page_get_complete (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), FALSE);
  priv = rf_page_get_instance_private (self);
  return priv->complete;
}

/* For subclasses (and tests): the page decides when its step is done. */
void
rf_page_set_complete (RfPage  *self,
                      gboolean complete)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  priv = rf_page_get_instance_private (self);
  complete = !!complete;
  if (priv->complete == complete)
    return;
  priv->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

const char *
rf_page_get_title (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), NULL);
  priv = rf_page_get_instance_private (self);
  return priv->title;
}

void
rf_page_set_title (RfPage     *self,
                   const char *title)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  priv = rf_page_get_instance_private (self);
  if (g_strcmp0 (priv->title, title) == 0)
    return;
  g_free (priv->title);
  priv->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}
