/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-welcome-window.h: the first start. Offers "Start with demo data" and "Start empty" and
 * shows the demo data's progress with a Cancel button. Signals: "start" (gboolean with_demo),
 * "cancel". The application does the work and reports back with set_progress/show_choice.
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_WELCOME_WINDOW (koers_welcome_window_get_type ())
G_DECLARE_FINAL_TYPE (KoersWelcomeWindow, koers_welcome_window,
                      KOERS, WELCOME_WINDOW, AdwApplicationWindow)

KoersWelcomeWindow *koers_welcome_window_new (GtkApplication *application);
/* Shows the progress page; @done of @total participants made. */
void                koers_welcome_window_set_progress (KoersWelcomeWindow *self,
                                                       guint               done,
                                                       guint               total);
/* Back to the two choices (after a cancel or a failure). */
void                koers_welcome_window_show_choice (KoersWelcomeWindow *self);

G_END_DECLS
