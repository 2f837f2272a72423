/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-repository-private.h: what the repositories share: validation that names the field,
 * the clock, the folded keys and the sync metadata of a row. Not for use outside src/storage.
 */
#pragma once

#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

/* Sets KOERS_DATABASE_ERROR_INVALID with "@field: reason". */
void     koers_repository_set_invalid (GError **error, const char *field, const char *format,
                                       ...) G_GNUC_PRINTF (3, 4);

/* Checks one text field: required or not, at most @max_chars characters, single- or multi-line
 * rules of koers-text.h. */
gboolean koers_repository_check_text (const char *field, const char *value, gboolean required,
                                      guint max_chars, gboolean multi_line, GError **error);
/* Checks an ISO date field ("YYYY-MM-DD", a real day). */
gboolean koers_repository_check_date (const char *field, const char *value, gboolean required,
                                      GError **error);

/* Returns (transfer full): the current UTC timestamp / today's date. */

/* Returns (transfer full): the key names are compared and searched on: koers_text_fold() with
 * runs of white space collapsed to one space and the ends trimmed. */
char    *koers_repository_fold (const char *text);

/* Stamps @meta for a new row (id made when empty, created/updated = now/@actor, version 0,
 * not deleted). */
void     koers_repository_stamp_new (KoersDatabase *db, KoersRecordMeta *meta, const char *actor);
/* Stamps @meta for a changed row (updated = now/@actor). */
void     koers_repository_stamp_update (KoersDatabase *db, KoersRecordMeta *meta,
                                       const char *actor);
/* Binds the seven metadata columns id, organisation_id, version, created_at, created_by,
 * updated_at, updated_by, deleted starting at parameter @first (8 parameters). */
void     koers_repository_bind_meta (sqlite3_stmt *stmt, int first, const KoersRecordMeta *meta);
/* Reads them back from columns @first .. @first + 7 in the same order. */
void     koers_repository_read_meta (sqlite3_stmt *stmt, int first, KoersRecordMeta *meta);
/* The column list matching koers_repository_bind_meta(). */
#define KOERS_META_COLUMNS \
  "id, organisation_id, version, created_at, created_by, updated_at, updated_by, deleted"

/* Looks up whether row @id exists in @table (a trusted identifier) and whether it is
 * tombstoned. FALSE with @error only on an SQL failure. */
gboolean koers_repository_row_exists (KoersDatabase *db, const char *table, const char *id,
                                      gboolean *out_exists, gboolean *out_deleted,
                                      GError **error);
/* Fails with KOERS_DATABASE_ERROR_INVALID naming @field unless participant @id exists and is not
 * tombstoned. */
gboolean koers_repository_require_participant (KoersDatabase *db, const char *field,
                                               const char *id, GError **error);

/* Sets NOT_FOUND on @error with the sentence for @object_type ("participant", "activity",
 * "skill", "consent", "organisation" or "coach"; any other reads "record"); @or_deleted adds
 * that the row may have been deleted. */
void     koers_repository_set_not_found (GError **error, const char *object_type, const char *id,
                                         gboolean or_deleted);

/* Tombstones or restores row @id of @table, audited as DELETE/RESTORE of @object_type.
 * NOT_FOUND when there is no such row; nothing happens when it is already in that state. */
gboolean koers_repository_set_deleted (KoersDatabase *db, const char *table,
                                       const char *object_type, const char *id,
                                       gboolean deleted, const char *actor, GError **error);

typedef gpointer (*KoersRowReader) (sqlite3_stmt *stmt);
/* Steps @stmt to the end. Returns (transfer full): one item per row made by @reader. */
GPtrArray *koers_repository_collect (KoersDatabase *db, sqlite3_stmt *stmt,
                                     KoersRowReader reader, GDestroyNotify free_func,
                                     GError **error);

/* Runs @stmt (bound, an INSERT or UPDATE) in the transaction the caller began, records the
 * audit event and commits; on any failure rolls back. NOT_FOUND when an UPDATE matched no row. */
gboolean koers_repository_write (KoersDatabase *db, sqlite3_stmt *stmt, gboolean is_update,
                                 const char *object_type, const char *id, const char *actor,
                                 GError **error);

G_END_DECLS
