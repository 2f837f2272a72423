/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-window.h: the main window: sidebar of working areas, the caseload, participant pages
 * pushed over it, toasts (with undo after a deletion), and the window's size remembered.
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_WINDOW (koers_window_get_type ())
G_DECLARE_FINAL_TYPE (KoersWindow, koers_window, KOERS, WINDOW, AdwApplicationWindow)

/* @application: (nullable): tests build windows without one. */
KoersWindow  *koers_window_new (GtkApplication *application, KoersContext *context);
KoersContext *koers_window_get_context (KoersWindow *self);
/* (transfer none): the caseload page, always present. */
GtkWidget    *koers_window_get_caseload_page (KoersWindow *self);
/* Pushes the participant's page over the caseload. */
void          koers_window_open_participant (KoersWindow *self, const char *participant_id);
/* Pops back to the caseload. */
void          koers_window_show_caseload (KoersWindow *self);
void          koers_window_add_toast (KoersWindow *self, AdwToast *toast);

G_END_DECLS
