/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "window/koers-loading-spinner.h"

/* GTK 4.8 keeps restyling a spinning spinner in a hidden stack page, which lays the window out
 * again every frame (and on X11 asks the X server for the monitor's work area each time: 3-4
 * round trips a frame, which wait whenever a sync keeps the CPUs busy; bench-sync-window,
 * docs/performance.md). */
static void
spinner_map_cb (GtkSpinner *spinner)
{
  gtk_spinner_start (spinner);
}

static void
spinner_unmap_cb (GtkSpinner *spinner)
{
  gtk_spinner_stop (spinner);
}

/**
 * koers_loading_spinner_bind_callbacks:
 * @widget_class: a class whose template has a loading spinner
 *
 * Binds the template callbacks `spinner_map_cb` and `spinner_unmap_cb`: connected to a
 * spinner's `map` and `unmap` signals, it spins only while it shows.
 */
void
koers_loading_spinner_bind_callbacks (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_callback (widget_class, spinner_map_cb);
  gtk_widget_class_bind_template_callback (widget_class, spinner_unmap_cb);
}
