/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-preferences-window.h: the preferences (GSettings only: daily backup, KPI strip, default
 * audit purpose).
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_PREFERENCES_WINDOW (koers_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (KoersPreferencesWindow, koers_preferences_window,
                      KOERS, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWindow *koers_preferences_window_new (GtkWindow *parent, GSettings *settings);

G_END_DECLS
