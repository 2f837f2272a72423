/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * src/window/koers-rtl-scroll.c: a wide table opens on its first column in a right-to-left
 * locale (the import dialog's test shows it there), and the helper outlives neither its
 * widget nor its adjustment.
 */
#include "config.h"

#include <adwaita.h>

#include "window/koers-rtl-scroll.h"

#include "koers-ui-test-helpers.h"

static GtkWidget *
wide_table (void)
{
  g_autoptr(GtkStringList) rows = gtk_string_list_new ((const char *[]) { "een", "twee", NULL });
  GtkColumnView *view = GTK_COLUMN_VIEW (
    gtk_column_view_new (GTK_SELECTION_MODEL (gtk_no_selection_new (
      G_LIST_MODEL (g_steal_pointer (&rows))))));

  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *title = g_strdup_printf ("Een lange kolomtitel %u", i);
      g_autoptr(GtkColumnViewColumn) column = gtk_column_view_column_new (
        title, gtk_signal_list_item_factory_new ());

      gtk_column_view_column_set_fixed_width (column, 150);
      gtk_column_view_append_column (view, column);
    }
  return GTK_WIDGET (view);
}

/* The scrolled window keeps its adjustment when its child is replaced: the old table's
 * helper goes with it, and nothing runs for it when the new table is laid out (a critical
 * about a freed widget would end the test: G_DEBUG=fatal-criticals). */
static void
test_child_replaced (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *first = wide_table ();
  GtkAdjustment *adjustment;

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 300);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), first);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  koers_rtl_scroll_keep_start (GTK_SCROLLABLE (first));
  koers_rtl_scroll_keep_start (GTK_SCROLLABLE (first));   /* twice: no second state */
  gtk_window_present (GTK_WINDOW (window));
  koers_test_spin (300);
  adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                     gtk_adjustment_get_upper (adjustment)
                     - gtk_adjustment_get_page_size (adjustment));

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), wide_table ());
  koers_test_spin (300);
  gtk_adjustment_configure (adjustment, 0, 0, 5000, 10, 100, 500);
  koers_test_spin (100);

  gtk_window_destroy (GTK_WINDOW (window));
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/rtl-scroll/child-replaced", test_child_replaced);
  return g_test_run ();
}
