/* rf-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "rf-page.h"

typedef struct
{
  char *title;
  char *next_label;
  gboolean complete;
  gboolean back_blocked;
  GtkWidget *default_widget;   /* weak: the page's own forward button */
  GtkWidget *opening_focus;    /* weak: where the focus goes when the page opens */
} RfPagePrivate;

G_DEFINE_TYPE_WITH_PRIVATE (RfPage, rf_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_COMPLETE,
  PROP_TITLE,
  PROP_NEXT_LABEL,
  PROP_BACK_BLOCKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
rf_page_finalize (GObject *object)
{
  RfPagePrivate *priv = rf_page_get_instance_private (RF_PAGE (object));

  g_free (priv->title);
  g_free (priv->next_label);
  g_clear_weak_pointer (&priv->default_widget);
  g_clear_weak_pointer (&priv->opening_focus);
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
    case PROP_NEXT_LABEL:
      g_value_set_string (value, rf_page_get_next_label (self));
      break;
    case PROP_BACK_BLOCKED:
      g_value_set_boolean (value, rf_page_get_back_blocked (self));
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
    case PROP_NEXT_LABEL:
      rf_page_set_next_label (self, g_value_get_string (value));
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

  /**
   * RfPage:next-label:
   *
   * When set, the page has its own forward button (activating
   * `wizard.next`), named for what it does ("_Recover Drive") and styled as a
   * step that changes the drive; the header bar's Next is hidden meanwhile.
   */
  properties[PROP_NEXT_LABEL] =
    g_param_spec_string ("next-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * RfPage:back-blocked:
   *
   * Whether going back is not possible now: while firmware is written, and
   * once it was.
   */
  properties[PROP_BACK_BLOCKED] =
    g_param_spec_boolean ("back-blocked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

/* A page that nothing in it can take the focus (Diagnosis while it checks)
 * gives the focus to its scrolled window: a screen reader then says the
 * page's title rather than "scroll pane". */
static void
name_scroller (RfPage *self)
{
  RfPagePrivate *priv = rf_page_get_instance_private (self);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (self));

  if (GTK_IS_SCROLLED_WINDOW (child) && priv->title != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    priv->title, -1);
}

static void
rf_page_init (RfPage *self)
{
  g_signal_connect (self, "notify::child", G_CALLBACK (name_scroller), NULL);
  g_signal_connect (self, "notify::title", G_CALLBACK (name_scroller), NULL);
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

const char *
rf_page_get_next_label (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), NULL);
  priv = rf_page_get_instance_private (self);
  return priv->next_label;
}

void
rf_page_set_next_label (RfPage     *self,
                        const char *label)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  priv = rf_page_get_instance_private (self);
  if (g_strcmp0 (priv->next_label, label) == 0)
    return;
  g_free (priv->next_label);
  priv->next_label = g_strdup (label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_LABEL]);
}

gboolean
rf_page_get_back_blocked (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), FALSE);
  priv = rf_page_get_instance_private (self);
  return priv->back_blocked;
}

/* For subclasses: the page says when Back must not leave it. */
void
rf_page_set_back_blocked (RfPage  *self,
                          gboolean blocked)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  priv = rf_page_get_instance_private (self);
  blocked = !!blocked;
  if (priv->back_blocked == blocked)
    return;
  priv->back_blocked = blocked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACK_BLOCKED]);
}

/**
 * rf_page_get_default_widget:
 * @self: a page
 *
 * Returns: (nullable) (transfer none): the button Enter presses on this page
 *   when the page has its own forward button, else %NULL (the window's Next).
 */
GtkWidget *
rf_page_get_default_widget (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), NULL);
  priv = rf_page_get_instance_private (self);
  return priv->default_widget;
}

/* For subclasses whose step ends with their own button (Done on Result). */
void
rf_page_set_default_widget (RfPage    *self,
                            GtkWidget *widget)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));
  priv = rf_page_get_instance_private (self);
  g_set_weak_pointer (&priv->default_widget, widget);
}

/**
 * rf_page_get_opening_focus:
 * @self: a page
 *
 * Returns: (nullable) (transfer none): the control that takes the focus when
 *   the page opens, if not its first one
 */
GtkWidget *
rf_page_get_opening_focus (RfPage *self)
{
  RfPagePrivate *priv;

  g_return_val_if_fail (RF_IS_PAGE (self), NULL);
  priv = rf_page_get_instance_private (self);
  return priv->opening_focus;
}

/* For subclasses whose first control must not be pressed by a key meant for
 * the page before (a button that writes to the drive). */
void
rf_page_set_opening_focus (RfPage    *self,
                           GtkWidget *widget)
{
  RfPagePrivate *priv;

  g_return_if_fail (RF_IS_PAGE (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));
  priv = rf_page_get_instance_private (self);
  g_set_weak_pointer (&priv->opening_focus, widget);
}
