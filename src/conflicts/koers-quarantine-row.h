/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-quarantine-row.h: one change the server refused (or that lost its record on this
 * device): whose record, what was changed to what, the server's reason, and "Fix and
 * Resend…" / "Discard". The buttons carry the page's actions (conflicts.fix, ...) with the
 * quarantine row's number as target; the row writes nothing itself.
 */
#pragma once

#include <adwaita.h>

#include "sync/koers-sync-review.h"

G_BEGIN_DECLS

#define KOERS_TYPE_QUARANTINE_ROW (koers_quarantine_row_get_type ())
G_DECLARE_FINAL_TYPE (KoersQuarantineRow, koers_quarantine_row, KOERS, QUARANTINE_ROW,
                      AdwPreferencesRow)

GtkWidget  *koers_quarantine_row_new (KoersSyncQuarantined *item, GHashTable *people);
gint64      koers_quarantine_row_get_seq (KoersQuarantineRow *self);
const char *koers_quarantine_row_get_entity (KoersQuarantineRow *self);
/* Opens the editors (@texts: (nullable) field -> text to restore; else the refused values). */
void        koers_quarantine_row_set_fixing (KoersQuarantineRow *self, gboolean fixing,
                                             GHashTable *texts);
gboolean    koers_quarantine_row_get_fixing (KoersQuarantineRow *self);
/* (transfer full) (nullable): field -> text of every editor, NULL when they are closed. */
GHashTable *koers_quarantine_row_dup_texts (KoersQuarantineRow *self);
void        koers_quarantine_row_set_error (KoersQuarantineRow *self, const char *message);
void        koers_quarantine_row_set_busy (KoersQuarantineRow *self, gboolean busy);
void        koers_quarantine_row_focus (KoersQuarantineRow *self);

G_END_DECLS
