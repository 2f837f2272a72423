/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-rtl-scroll.h: tables that open on their first column in a right-to-left locale.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8's column view lays its columns out from the right in a right-to-left locale, but
 * its horizontal adjustment still starts at 0, the left: a table wider than its window opens
 * on its last columns with the first ones cut off. This keeps @scrollable (inside its
 * GtkScrolledWindow already) at the same distance from its right end whenever its width
 * changes: at the start until the user scrolls, and where the user left it after. Nothing
 * changes in a left-to-right locale. */
void koers_rtl_scroll_keep_start (GtkScrollable *scrollable);

G_END_DECLS
