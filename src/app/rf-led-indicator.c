/* rf-led-indicator.c: a drawn drive light that does what the real one should
 * be doing now
 *
 * The pattern is a nick of the family data's [LedHints] (DOMAIN.md's phase
 * table): "off", "steady", "short-blinks", "blinking", "blinking-fast". The
 * light is animated with a tick callback from the frame clock, so it costs
 * nothing while hidden; when the desktop turns animations off
 * (gtk-enable-animations) a blinking light is drawn lit and still, and the
 * sentence beside it says what the real one does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"


#include "rf-led-indicator.h"

#define LED_SIZE 16

struct _RfLedIndicator
{
  GtkWidget parent_instance;

  const char *pattern; /* interned */
  guint tick_id;
  gboolean lit;
};

G_DEFINE_FINAL_TYPE (RfLedIndicator, rf_led_indicator, GTK_TYPE_WIDGET)

/* Whether the light is on @ms into its cycle: period and lit part, in ms. */
static gboolean
lit_at (const char *pattern,
        gint64      ms)
{
  if (g_str_equal (pattern, "steady"))
    return TRUE;
  if (g_str_equal (pattern, "short-blinks"))
    return ms % 2000 < 150;
  if (g_str_equal (pattern, "blinking"))
    return ms % 1000 < 500;
  if (g_str_equal (pattern, "blinking-fast"))
    return ms % 250 < 125;
  return FALSE;
}

static gboolean
animates (const char *pattern)
{
  return !g_str_equal (pattern, "off") && !g_str_equal (pattern, "steady");
}

static gboolean
animations_enabled (RfLedIndicator *self)
{
  gboolean enabled = TRUE;

  g_object_get (gtk_widget_get_settings (GTK_WIDGET (self)), "gtk-enable-animations", &enabled,
                NULL);
  return enabled;
}

static void
set_lit (RfLedIndicator *self,
         gboolean        lit)
{
  if (self->lit == lit)
    return;
  self->lit = lit;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
on_tick (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  RfLedIndicator *self = RF_LED_INDICATOR (widget);

  set_lit (self, lit_at (self->pattern, gdk_frame_clock_get_frame_time (clock) / 1000));
  return G_SOURCE_CONTINUE;
}

static void
stop_ticking (RfLedIndicator *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
}

/* A still light when nothing may move: lit for every pattern but "off". */
static void
restart (RfLedIndicator *self)
{
  stop_ticking (self);
  if (animates (self->pattern) && animations_enabled (self))
    self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), on_tick, NULL, NULL);
  set_lit (self, !g_str_equal (self->pattern, "off"));
}

static void
rf_led_indicator_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  RfLedIndicator *self = RF_LED_INDICATOR (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  float size = MIN (width, height);
  GskRoundedRect circle;
  GdkRGBA color;

  /* Drive lights are amber or green; amber reads as "working" on any theme. */
  if (self->lit)
    gdk_rgba_parse (&color, "#f6a000");
  else
    gdk_rgba_parse (&color, "rgba(128,128,128,0.35)");
  gsk_rounded_rect_init_from_rect (&circle,
                                   &GRAPHENE_RECT_INIT ((width - size) / 2, (height - size) / 2,
                                                        size, size),
                                   size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_color (snapshot, &color, &circle.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
rf_led_indicator_measure (GtkWidget      *widget,
                          GtkOrientation  orientation,
                          int             for_size,
                          int            *minimum,
                          int            *natural,
                          int            *minimum_baseline,
                          int            *natural_baseline)
{
  *minimum = *natural = LED_SIZE;
}

static void
rf_led_indicator_dispose (GObject *object)
{
  stop_ticking (RF_LED_INDICATOR (object));
  G_OBJECT_CLASS (rf_led_indicator_parent_class)->dispose (object);
}

static void
rf_led_indicator_class_init (RfLedIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = rf_led_indicator_dispose;
  widget_class->snapshot = rf_led_indicator_snapshot;
  widget_class->measure = rf_led_indicator_measure;
  gtk_widget_class_set_css_name (widget_class, "led");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
on_animations_changed (RfLedIndicator *self)
{
  restart (self);
}

static void
rf_led_indicator_init (RfLedIndicator *self)
{
  self->pattern = g_intern_static_string ("off");
  g_signal_connect_object (gtk_widget_get_settings (GTK_WIDGET (self)),
                           "notify::gtk-enable-animations", G_CALLBACK (on_animations_changed),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
rf_led_indicator_new (void)
{
  return g_object_new (RF_TYPE_LED_INDICATOR, NULL);
}

/**
 * rf_led_indicator_set_pattern:
 * @pattern: a [LedHints] nick; an unknown one is drawn off
 */
void
rf_led_indicator_set_pattern (RfLedIndicator *self,
                              const char     *pattern)
{
  g_return_if_fail (RF_IS_LED_INDICATOR (self));
  g_return_if_fail (pattern != NULL);

  if (self->pattern == g_intern_string (pattern))
    return;
  self->pattern = g_intern_string (pattern);
  restart (self);
}

const char *
rf_led_indicator_get_pattern (RfLedIndicator *self)
{
  g_return_val_if_fail (RF_IS_LED_INDICATOR (self), NULL);
  return self->pattern;
}

/* Whether the light is drawn lit at this moment. */
gboolean
rf_led_indicator_is_lit (RfLedIndicator *self)
{
  g_return_val_if_fail (RF_IS_LED_INDICATOR (self), FALSE);
  return self->lit;
}
