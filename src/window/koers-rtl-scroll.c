/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "window/koers-rtl-scroll.h"

#define STATE_KEY "koers-rtl-scroll"

/* Lives on the adjustment (its data), and goes with the adjustment or the widget, whichever
 * goes first: a scrolled window keeps its adjustment when its child is replaced. */
typedef struct {
  GtkWidget     *widget;     /* weak: NULL once it is gone */
  GtkAdjustment *adjustment; /* unowned: this is its data */
  double         from_end;   /* how far the user scrolled from the right end; 0 = the start */
  gboolean       moving;     /* our own set_value is under way */
  guint          idle_id;
} RtlScroll;

static void widget_gone_cb (gpointer data, GObject *where_the_widget_was);

static void
rtl_scroll_free (RtlScroll *scroll)
{
  g_clear_handle_id (&scroll->idle_id, g_source_remove);
  if (scroll->widget != NULL)
    g_object_weak_unref (G_OBJECT (scroll->widget), widget_gone_cb, scroll);
  g_free (scroll);
}

static void
widget_gone_cb (gpointer data, GObject *where_the_widget_was)
{
  RtlScroll *scroll = data;

  scroll->widget = NULL;
  g_signal_handlers_disconnect_by_data (scroll->adjustment, scroll);
  /* Frees @scroll. */
  g_object_set_data (G_OBJECT (scroll->adjustment), STATE_KEY, NULL);
}

static double
scroll_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
}

static gboolean
move_cb (gpointer user_data)
{
  RtlScroll *scroll = user_data;

  scroll->idle_id = 0;
  scroll->moving = TRUE;
  gtk_adjustment_set_value (scroll->adjustment,
                            MAX (gtk_adjustment_get_lower (scroll->adjustment),
                                 scroll_end (scroll->adjustment) - scroll->from_end));
  scroll->moving = FALSE;
  return G_SOURCE_REMOVE;
}

/* Emitted from the view's size_allocate, which has already placed its columns for the old
 * value: the new one is set right after, so the view lays itself out again with it. */
static void
adjustment_changed_cb (GtkAdjustment *adjustment, RtlScroll *scroll)
{
  if (gtk_widget_get_direction (scroll->widget) != GTK_TEXT_DIR_RTL || scroll->idle_id != 0)
    return;
  scroll->idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, move_cb, scroll, NULL);
}

static void
adjustment_value_changed_cb (GtkAdjustment *adjustment, RtlScroll *scroll)
{
  double end = scroll_end (adjustment);

  if (scroll->moving || scroll->idle_id != 0 || end <= 0
      || gtk_widget_get_direction (scroll->widget) != GTK_TEXT_DIR_RTL)
    return;
  scroll->from_end = MAX (0, end - gtk_adjustment_get_value (adjustment));
}

void
koers_rtl_scroll_keep_start (GtkScrollable *scrollable)
{
  GtkAdjustment *adjustment;
  RtlScroll *scroll;

  g_return_if_fail (GTK_IS_SCROLLABLE (scrollable));

  adjustment = gtk_scrollable_get_hadjustment (scrollable);
  g_return_if_fail (adjustment != NULL);
  if (g_object_get_data (G_OBJECT (adjustment), STATE_KEY) != NULL)
    return;
  scroll = g_new0 (RtlScroll, 1);
  scroll->widget = GTK_WIDGET (scrollable);
  scroll->adjustment = adjustment;
  g_object_weak_ref (G_OBJECT (scrollable), widget_gone_cb, scroll);
  g_object_set_data_full (G_OBJECT (adjustment), STATE_KEY, scroll,
                          (GDestroyNotify) rtl_scroll_free);
  g_signal_connect (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), scroll);
  g_signal_connect (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb),
                    scroll);
}
