/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-loading-spinner.h: a page's loading spinner that spins only while it shows.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void koers_loading_spinner_bind_callbacks (GtkWidgetClass *widget_class);

G_END_DECLS
