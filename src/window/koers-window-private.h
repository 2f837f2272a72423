/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-window-private.h: what koers-window.c shares with koers-window-sync.c.
 */
#pragma once

#include <adwaita.h>

#include "window/koers-window.h"
#include "window/koers-sync-indicator.h"

G_BEGIN_DECLS

struct _KoersWindow
{
  AdwApplicationWindow  parent_instance;

  KoersContext         *context;
  GtkWidget            *caseload_page;
  GtkWidget            *participant_page;  /* (nullable): the page pushed over the caseload */
  GtkWidget            *conflicts_page;    /* (nullable): made once sync is in use */

  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkListBox           *sidebar_list;
  GtkListBoxRow        *participants_row;
  GtkListBoxRow        *conflicts_row;
  GtkLabel             *conflicts_badge;
  AdwWindowTitle       *content_title;
  GtkButton            *back_button;
  GtkButton            *new_button;
  GtkMenuButton        *primary_menu_button;
  GMenuModel           *primary_menu;
  GtkStack             *content_stack;
  KoersSyncIndicator   *sync_indicator;
};

void koers_window_update_actions        (KoersWindow    *self);
void koers_window_drop_participant_page (KoersWindow    *self);

/* koers-window-sync.c */
void koers_window_init_sync             (KoersWindow    *self);
void koers_window_class_init_sync       (GtkWidgetClass *widget_class);
/* Shows the Conflicts area, scrolled to @conflict_id (nullable or "" for none). */
void koers_window_show_conflicts        (KoersWindow    *self,
                                         const char     *conflict_id);

G_END_DECLS
