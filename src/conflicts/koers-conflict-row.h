/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-conflict-row.h: one open field conflict on the Conflicts page: the field, the value
 * before ("base"), theirs (the server kept it) and mine (the value that could not be
 * applied), who changed each and when, and "Keep Mine" / "Keep Theirs" / "Edit…". The buttons
 * carry the page's actions (conflicts.keep-mine, ...) with the conflict id as target; the row
 * itself writes nothing.
 */
#pragma once

#include <adwaita.h>

#include "sync/koers-sync-review.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONFLICT_ROW (koers_conflict_row_get_type ())
G_DECLARE_FINAL_TYPE (KoersConflictRow, koers_conflict_row, KOERS, CONFLICT_ROW,
                      AdwPreferencesRow)

/* @people: (nullable) user id -> name, for "who". */
GtkWidget  *koers_conflict_row_new (KoersSyncConflict *conflict, GHashTable *people);
const char *koers_conflict_row_get_id (KoersConflictRow *self);
/* Opens the editor with @text (NULL: start from mine), or closes it. */
void        koers_conflict_row_set_editing (KoersConflictRow *self, gboolean editing,
                                            const char *text);
gboolean    koers_conflict_row_get_editing (KoersConflictRow *self);
/* (transfer full) (nullable): the editor's text, NULL when it is closed. */
char       *koers_conflict_row_dup_edit_text (KoersConflictRow *self);
/* Shows why the last step failed under the row; NULL clears it. */
void        koers_conflict_row_set_error (KoersConflictRow *self, const char *message);
/* While its resolution is being written: buttons off. */
void        koers_conflict_row_set_busy (KoersConflictRow *self, gboolean busy);
/* Moves keyboard focus to the row's first button (after "show this conflict"). */
void        koers_conflict_row_focus (KoersConflictRow *self);

G_END_DECLS
