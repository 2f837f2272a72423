/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-conflict-badge.h: the small warning button beside a field that has an open sync
 * conflict ("also changed on another device"). Activating it runs win.show-conflicts with the
 * conflict id: the window shows the Conflicts page at that conflict.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The window action the badge activates, with the conflict id (s) as parameter. */
#define KOERS_SHOW_CONFLICTS_ACTION "win.show-conflicts"

/* A hidden badge; (transfer floating). */
GtkWidget *koers_conflict_badge_new (void);
/* Shows the badge for @conflict_id, or hides it when %NULL. */
void       koers_conflict_badge_set_conflict (GtkWidget *badge, const char *conflict_id);

G_END_DECLS
