/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the participant widget tests share: a context on a temporary database, finding widgets
 * the way a user sees them (by title or label), and screenshots. */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

/* gettext, gtk/adw init and text direction as Koers starts in $LANGUAGE; KOERS_TODAY pinned to
 * 2026-11-28, resources registered. */
void          ptest_init (int *argc, char ***argv);
/* Returns (transfer full): a context on a fresh temporary database with in-memory settings. */
KoersContext *ptest_make_context (void);

/* (transfer none) (nullable): the first AdwPreferencesRow under @root titled @title. */
GtkWidget    *ptest_find_row (GtkWidget *root, const char *title);
/* (transfer none) (nullable): the first widget of @type under @root. */
GtkWidget    *ptest_find_type (GtkWidget *root, GType type);
/* (transfer none) (nullable): the first GtkLabel under @root whose text contains @text. */
GtkWidget    *ptest_find_label (GtkWidget *root, const char *text);
/* (transfer none) (nullable): the first actionable widget under @root with @action_name. */
GtkWidget    *ptest_find_action (GtkWidget *root, const char *action_name);
/* (transfer none) (nullable): the first open toplevel of @type. */
GtkWidget    *ptest_find_toplevel (GType type);
/* Waits (bounded) until a toplevel of @type is open; returns it. */
GtkWidget    *ptest_wait_toplevel (GType type);

/* The inline problem under a form row, or %NULL when it shows none. */
const char   *ptest_row_message (GtkWidget *row);
void          ptest_set_text (GtkWidget *root, const char *title, const char *text);

/* Runs @func on the store's worker and returns its result. */
gpointer      ptest_run (KoersContext *context, gpointer (*func) (KoersDatabase *db, gpointer data,
                                                                  GCancellable *c,
                                                                  GError **error),
                         gpointer data);

/* Saves @widget's rendering to $KOERS_SCREENSHOT_DIR/@name.png (or the build dir). */
void          ptest_screenshot (GtkWidget *widget, const char *name);

G_END_DECLS
