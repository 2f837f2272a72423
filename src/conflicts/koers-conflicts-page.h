/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-conflicts-page.h: the Conflicts page (issue 5, "In the window"): each open field
 * conflict by participant with base, theirs and mine and "Keep Mine" / "Keep Theirs" /
 * "Edit…", and the changes the server refused with its reason, "Fix and Resend…" and
 * "Discard" (undo from a toast for a few seconds). It reads through the store and refreshes
 * on every KoersStore::changed.
 *
 * Properties (read-only, for the window's badge): "conflict-count" (open conflicts without a
 * queued resolution), "quarantine-count", "attention-count" (their sum), "loaded".
 *
 * Actions (group "conflicts"): keep-mine(s id), keep-theirs(s), edit(s), save-edit(s),
 * cancel-edit(s), fix(x seq), resend(x), cancel-fix(x), discard(x), undo-discard(x) and
 * show(s id): scroll to a conflict and focus it (what win.show-conflicts does after
 * switching to this page).
 */
#pragma once

#include <adwaita.h>

#include "app/koers-context.h"

G_BEGIN_DECLS

#define KOERS_TYPE_CONFLICTS_PAGE (koers_conflicts_page_get_type ())
G_DECLARE_FINAL_TYPE (KoersConflictsPage, koers_conflicts_page, KOERS, CONFLICTS_PAGE, AdwBin)

GtkWidget *koers_conflicts_page_new (KoersContext *context);
gboolean   koers_conflicts_page_get_loaded (KoersConflictsPage *self);
guint      koers_conflicts_page_get_conflict_count (KoersConflictsPage *self);
guint      koers_conflicts_page_get_quarantine_count (KoersConflictsPage *self);
guint      koers_conflicts_page_get_attention_count (KoersConflictsPage *self);
/* Scrolls to the conflict @conflict_id and focuses it (once loaded, if it is not yet). */
void       koers_conflicts_page_show_conflict (KoersConflictsPage *self,
                                               const char         *conflict_id);

G_END_DECLS
