/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers for the screenshot tests, which run once per language (--lang en|nl|ar) and save PNGs
 * for people to look at. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Reads --lang from the command line (default "en") and sets LANGUAGE before gettext and GTK
 * start, as a user with that language starts Koers. Returns (transfer none) the language. Call it
 * first in main(), before gtk_test_init(). */
const char *koers_test_language_from_args (int *argc, char ***argv);
/* Starts GTK in a test as KoersApplication starts it: KOERS_TODAY pinned, gettext (reading
 * $LANGUAGE once: another language is a run of its own), libadwaita, the text direction of the
 * language and Koers's style sheet. */
void        koers_test_init_like_app (int *argc, char ***argv);
/* Renders @widget through its own renderer at its own size and saves it as
 * $KOERS_SCREENSHOT_DIR/@name.png (the current directory when unset). Returns (transfer full)
 * the path. */
char       *koers_test_save_screenshot (GtkWidget *widget, const char *name);

G_END_DECLS
