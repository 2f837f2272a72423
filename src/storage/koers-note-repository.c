/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-note-repository.h"

#include "core/koers-participant.h"
#include "core/koers-text.h"
#include "storage/koers-audit.h"
#include "storage/koers-repository-private.h"

#include <string.h>

#define NOTE_COLUMNS KOERS_META_COLUMNS \
  ", participant_id, kind, occurred_on, body, revision, revision_of"

KoersNote *
koers_note_new (void)
{
  KoersNote *note = g_new0 (KoersNote, 1);

  note->revision = 1;
  return note;
}

void
koers_note_free (KoersNote *note)
{
  if (note == NULL)
    return;
  koers_record_meta_clear (&note->meta);
  g_free (note->participant_id);
  g_free (note->occurred_on);
  g_free (note->body);
  g_free (note->revision_of);
  g_free (note);
}

static KoersNote *
note_from_row (sqlite3_stmt *stmt)
{
  KoersNote *note = koers_note_new ();

  koers_repository_read_meta (stmt, 0, &note->meta);
  note->participant_id = g_strdup (koers_column_text (stmt, 8));
  koers_note_kind_from_id (koers_column_text (stmt, 9), &note->kind);
  note->occurred_on = g_strdup (koers_column_text (stmt, 10));
  note->body = g_strdup (koers_column_text (stmt, 11));
  note->revision = (int) koers_column_int64 (stmt, 12);
  note->revision_of = g_strdup (koers_column_text (stmt, 13));
  return note;
}

static gboolean
validate (KoersNote *note, GError **error)
{
  if ((guint) note->kind >= KOERS_N_NOTE_KINDS)
    {
      koers_repository_set_invalid (error, "kind", _("Unknown kind of note"));
      return FALSE;
    }
  return koers_repository_check_date ("occurred-on", note->occurred_on, TRUE, error)
         && koers_repository_check_text ("body", note->body, TRUE, KOERS_LONG_TEXT_MAX_CHARS,
                                         TRUE, error);
}

static gboolean
insert_note (KoersDatabase *db, const KoersRecordMeta *meta, KoersNote *note, const char *body,
             KoersAuditAction action, const char *actor, GError **error)
{
  sqlite3_stmt *stmt;

  if (!koers_database_begin (db, error))
    return FALSE;
  stmt = koers_database_prepare (db, "INSERT INTO note (" NOTE_COLUMNS ") VALUES (?1, ?2, ?3, "
                                     "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)", error);
  if (stmt == NULL)
    goto failed;
  koers_repository_bind_meta (stmt, 1, meta);
  koers_bind_text (stmt, 9, note->participant_id);
  koers_bind_text (stmt, 10, koers_note_kind_to_id (note->kind));
  koers_bind_text (stmt, 11, note->occurred_on);
  koers_bind_text (stmt, 12, body);
  koers_bind_int64 (stmt, 13, note->revision);
  koers_bind_text (stmt, 14, note->revision_of);
  if (!koers_database_step (db, stmt, NULL, error)
      || !koers_audit_record (db, actor, action, "note", meta->id, NULL,
                              KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

static void
take_result (KoersNote *note, KoersRecordMeta *meta, char *body)
{
  koers_record_meta_clear (&note->meta);
  note->meta = *meta;
  memset (meta, 0, sizeof *meta);
  g_free (note->body);
  note->body = body;
}

gboolean
koers_note_repository_add (KoersDatabase *db, KoersNote *note, const char *actor,
                           GError **error)
{
  KoersRecordMeta meta = { 0 };
  g_autofree char *body = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (note != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!validate (note, error)
      || !koers_repository_require_participant (db, "participant-id", note->participant_id,
                                                error))
    return FALSE;

  koers_record_meta_copy (&meta, &note->meta);
  koers_repository_stamp_new (db, &meta, actor);
  body = koers_text_normalize (note->body);
  note->revision = 1;
  g_clear_pointer (&note->revision_of, g_free);
  if (!insert_note (db, &meta, note, body, KOERS_AUDIT_ACTION_CREATE, actor, error))
    {
      koers_record_meta_clear (&meta);
      return FALSE;
    }
  take_result (note, &meta, g_steal_pointer (&body));
  return TRUE;
}

gboolean
koers_note_repository_revise (KoersDatabase *db, KoersNote *note, const char *actor,
                              GError **error)
{
  KoersRecordMeta meta = { 0 };
  g_autofree char *body = NULL;
  g_autofree char *first_id = NULL;
  g_autofree char *participant_id = NULL;
  g_autofree char *organisation_id = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  int latest;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (note != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!validate (note, error))
    return FALSE;

  stmt = koers_database_prepare (db,
                                 "SELECT coalesce(n.revision_of, n.id), n.participant_id, "
                                 "n.organisation_id, (SELECT max(m.revision) FROM note m "
                                 "WHERE coalesce(m.revision_of, m.id) = "
                                 "coalesce(n.revision_of, n.id)) FROM note n WHERE n.id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, note->meta.id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("There is no note with id %s"), note->meta.id);
      return FALSE;
    }
  first_id = g_strdup (koers_column_text (stmt, 0));
  participant_id = g_strdup (koers_column_text (stmt, 1));
  organisation_id = g_strdup (koers_column_text (stmt, 2));
  latest = (int) koers_column_int64 (stmt, 3);
  sqlite3_reset (stmt);

  g_free (note->participant_id);
  note->participant_id = g_steal_pointer (&participant_id);
  meta.organisation_id = g_steal_pointer (&organisation_id);
  koers_repository_stamp_new (db, &meta, actor);
  body = koers_text_normalize (note->body);
  note->revision = latest + 1;
  g_free (note->revision_of);
  note->revision_of = g_steal_pointer (&first_id);

  if (!insert_note (db, &meta, note, body, KOERS_AUDIT_ACTION_CHANGE, actor, error))
    {
      koers_record_meta_clear (&meta);
      return FALSE;
    }
  take_result (note, &meta, g_steal_pointer (&body));
  return TRUE;
}

static GPtrArray *
collect (KoersDatabase *db, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func (
    (GDestroyNotify) koers_note_free);
  g_autoptr(GError) local_error = NULL;
  gboolean has_row = FALSE;

  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    g_ptr_array_add (notes, note_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&notes);
}

GPtrArray *
koers_note_repository_list_for_participant (KoersDatabase *db, const char *participant_id,
                                            GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  /* The note_thread index answers the inner max() per note. */
  stmt = koers_database_prepare (db,
                                 "SELECT " NOTE_COLUMNS " FROM note n WHERE participant_id = ?1 "
                                 "AND deleted = 0 AND revision = (SELECT max(m.revision) "
                                 "FROM note m WHERE coalesce(m.revision_of, m.id) = "
                                 "coalesce(n.revision_of, n.id)) "
                                 /* Same day, same second: the later note first, so the
                                  * timeline keeps the order the coach wrote them in. */
                                 "ORDER BY occurred_on DESC, created_at DESC, n.rowid DESC",
                                 error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  return collect (db, stmt, error);
}

GPtrArray *
koers_note_repository_list_revisions (KoersDatabase *db, const char *note_id, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (note_id != NULL, NULL);

  stmt = koers_database_prepare (db,
                                 "SELECT " NOTE_COLUMNS " FROM note WHERE coalesce(revision_of, "
                                 "id) = (SELECT coalesce(revision_of, id) FROM note "
                                 "WHERE id = ?1) ORDER BY revision", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, note_id);
  return collect (db, stmt, error);
}
