/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-note-repository.h: contact moments and notes about a participant. Append-only (the
 * schema refuses UPDATE of the text and every DELETE): an edit adds a revision, so what was
 * once written can always be shown, to the participant too.
 */
#pragma once

#include "core/koers-enums.h"
#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

typedef struct {
  KoersRecordMeta meta;
  char           *participant_id;
  KoersNoteKind   kind;
  char           *occurred_on;  /* ISO date of the contact */
  char           *body;         /* multi-line, at most KOERS_LONG_TEXT_MAX_CHARS */
  int             revision;     /* 1 for the first text */
  char           *revision_of;  /* id of revision 1; NULL for revision 1 itself */
} KoersNote;

KoersNote *koers_note_new (void);
void       koers_note_free (KoersNote *note);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersNote, koers_note_free)

/* Stores @note as revision 1 (id made when empty, stamps filled in). */
gboolean   koers_note_repository_add (KoersDatabase *db, KoersNote *note, const char *actor,
                                      GError **error);
/**
 * koers_note_repository_revise:
 * @note: meta.id names the note to revise (any of its revisions); kind, occurred_on and body
 *   are the new text
 *
 * Adds a revision: a new row with revision = latest + 1 and revision_of = the first revision's
 * id. On success @note describes the new row.
 */
gboolean   koers_note_repository_revise (KoersDatabase *db, KoersNote *note, const char *actor,
                                         GError **error);
/* Returns (transfer full) (element-type KoersNote): the latest revision of each note about
 * @participant_id, newest contact first. */
GPtrArray *koers_note_repository_list_for_participant (KoersDatabase *db,
                                                       const char *participant_id,
                                                       GError **error);
/* Returns (transfer full) (element-type KoersNote): every revision of the note @note_id (any
 * revision's id), oldest first. */
GPtrArray *koers_note_repository_list_revisions (KoersDatabase *db, const char *note_id,
                                                 GError **error);

G_END_DECLS
