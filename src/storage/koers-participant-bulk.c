/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant-bulk.c: writing a whole import in one transaction (koers-import.h): its
 * participants, their notes and activities, at a fraction of the cost of one insert each.
 *
 * Search index. The search triggers on participant write each row into the two FTS5 indexes;
 * inside a long transaction every later statement that opens a statement journal makes FTS5
 * flush its pending terms as a new segment (its xSavepoint), so a row costs a segment plus the
 * merges that follow. The batch instead drops the two AFTER INSERT triggers inside its
 * transaction, indexes the batch's rows with one INSERT ... SELECT per index at the end, and
 * recreates the triggers from their stored text. A batch told to defer its search entries
 * (a first sync's page) adds its rows to the search backlog instead (koers-search-backlog.h).
 *
 * Secondary indexes. A batch at least as large as the table it fills (the first import into a
 * new database, or one that doubles it) also drops that table's plain secondary indexes and
 * recreates them at the end: CREATE INDEX sorts once, where row-by-row inserts walk each index
 * at random. Unique indexes are constraints and stay. The entries are the same either way.
 *
 * Status history. A batch that writes nothing else about its participants (an import) may
 * have each participant's first status row written at the end, by an INSERT ... SELECT per
 * 10,000 participants instead of one statement per participant (see bulk_history_sql). A batch
 * that goes on to change their status (the demo generator) must not: the history is read in
 * the order it was written.
 *
 * The drops, the rows, the index entries and the recreation commit together or roll back
 * together, and no other connection can write while the transaction holds the write lock, so
 * no row escapes an index; readers keep seeing the last committed state, indexes included.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-participant-repository.h"

#include "core/koers-date.h"
#include "core/koers-text.h"
#include "storage/koers-participant-private.h"
#include "storage/koers-repository-private.h"
#include "storage/koers-search-backlog.h"
#include "storage/koers-table-indexes.h"

static const char *const bulk_triggers[] = { "participant_search_insert",
                                             "participant_words_insert" };
static const char *const bulk_index_sql[] = {
  "INSERT INTO participant_search (rowid, search_key) "
  "SELECT seq, search_key FROM participant WHERE seq > ?1",
  "INSERT INTO participant_words (rowid, search_key) "
  "SELECT seq, search_key FROM participant WHERE seq > ?1",
};
G_STATIC_ASSERT (G_N_ELEMENTS (bulk_triggers) == G_N_ELEMENTS (bulk_index_sql));

/* Every participant's first status, as koers_participant_write_new() writes it one by one:
 * from nothing to their status, counted from their registration (else today), by whoever
 * created them, with an id from koers_database_new_id() (so a pinned id source, as the demo
 * generator's, still decides it). One statement for many rows costs about a third of one per
 * row. The statement runs once per BULK_HISTORY_SEQS seqs: the table has triggers (sync
 * capture), so SQLite first copies what the SELECT gives into a temporary table, in memory
 * (temp_store=MEMORY keeps personal data off the disk). In one statement a million imported
 * participants held about 200 MB there; a range of 10,000 holds about 2. */
static const char bulk_history_sql[] =
  "INSERT INTO participant_status_change (id, organisation_id, created_at, created_by, "
  "updated_at, updated_by, participant_id, from_status, to_status, changed_on, changed_at, "
  "changed_by) "
  "SELECT koers_bulk_new_id (), organisation_id, created_at, created_by, created_at, "
  "       created_by, id, NULL, status, coalesce (registered_on, ?3), created_at, created_by "
  "FROM participant WHERE seq > ?1 AND seq <= ?2 ORDER BY seq";

#define BULK_HISTORY_SEQS 10000

static void
sql_new_id (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  sqlite3_result_text (context, koers_database_new_id (sqlite3_user_data (context)), -1,
                       g_free);
}

/* The tables a batch writes a row or more per participant into, whose plain indexes it may
 * rebuild (see above). */
static const char *const bulk_tables[] = { "participant", "participant_status_change",
                                           "import_row", "note", "activity" };

/* Below this many rows the sort saves less than recreating costs. */
#define BULK_MIN_ROWS_FOR_REINDEX 1000

struct _KoersParticipantBulk {
  KoersDatabase *db;
  gint64         last_seq_before;  /* rows with a larger seq are the batch's */
  char          *trigger_sql[G_N_ELEMENTS (bulk_triggers)];
  GPtrArray     *index_sql;        /* CREATE INDEX statements dropped for the batch */
  gboolean       audit_each;
  gboolean       history_at_end;   /* first statuses written by bulk_end */
  gboolean       defer_search;     /* the rows go to the search backlog, not the indexes */
  gboolean       open;             /* begun and neither ended nor rolled back */
  char          *now;              /* the batch's clock, read once */
  char          *today;
  GCancellable  *cancellable;      /* (nullable): stops bulk_end's statements */
};

static gboolean
bulk_drop_triggers (KoersParticipantBulk *bulk, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  stmt = koers_database_prepare (bulk->db, "SELECT coalesce(max(seq), 0) FROM participant",
                                 error);
  if (stmt == NULL || !koers_database_step (bulk->db, stmt, &has_row, error))
    return FALSE;
  bulk->last_seq_before = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  for (guint i = 0; i < G_N_ELEMENTS (bulk_triggers); i++)
    {
      g_autofree char *drop = NULL;

      stmt = koers_database_prepare (bulk->db, "SELECT sql FROM sqlite_master "
                                               "WHERE type = 'trigger' AND name = ?1", error);
      if (stmt == NULL)
        return FALSE;
      koers_bind_text (stmt, 1, bulk_triggers[i]);
      if (!koers_database_step (bulk->db, stmt, &has_row, error))
        return FALSE;
      if (!has_row)
        {
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                       _("The search index trigger %s is missing"), bulk_triggers[i]);
          return FALSE;
        }
      bulk->trigger_sql[i] = g_strdup (koers_column_text (stmt, 0));
      sqlite3_reset (stmt);
      drop = g_strdup_printf ("DROP TRIGGER %s", bulk_triggers[i]);
      if (!koers_database_exec (bulk->db, drop, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
table_count (KoersDatabase *db, const char *table, gint64 *out_count, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return koers_database_query_int64 (db, sql, out_count, error);
}

/* Drops the plain indexes of every table @n_expected rows would at least double. */
static gboolean
bulk_drop_indexes (KoersParticipantBulk *bulk, guint n_expected, GError **error)
{
  if (n_expected < BULK_MIN_ROWS_FOR_REINDEX)
    return TRUE;
  for (guint t = 0; t < G_N_ELEMENTS (bulk_tables); t++)
    {
      gint64 count = 0;

      if (!table_count (bulk->db, bulk_tables[t], &count, error))
        return FALSE;
      if (count <= n_expected
          && !koers_table_indexes_drop (bulk->db, bulk_tables[t], bulk->index_sql, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * koers_participant_repository_bulk_begin_sized:
 * @n_expected: how many participants the batch will insert (0 when unknown)
 *
 * Returns: (transfer full) (nullable): a batch, in a transaction of its own (nested in the
 * caller's when there is one), or %NULL with @error.
 */
KoersParticipantBulk *
koers_participant_repository_bulk_begin_sized (KoersDatabase *db, gboolean audit_each,
                                               guint n_expected, gboolean history_at_end,
                                               GError **error)
{
  KoersParticipantBulk *bulk;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!koers_database_begin (db, error))
    return NULL;
  bulk = g_new0 (KoersParticipantBulk, 1);
  bulk->db = g_object_ref (db);
  bulk->audit_each = audit_each;
  bulk->history_at_end = history_at_end;
  bulk->open = TRUE;
  bulk->index_sql = g_ptr_array_new_with_free_func (g_free);
  bulk->now = koers_database_now (db);
  bulk->today = koers_database_today (db);
  /* Not deterministic: each call is a new id. The connection belongs to @db, so the function
   * cannot outlive it. */
  sqlite3_create_function (koers_database_get_handle (db), "koers_bulk_new_id", 0, SQLITE_UTF8,
                           db, sql_new_id, NULL, NULL);
  if (!bulk_drop_triggers (bulk, error) || !bulk_drop_indexes (bulk, n_expected, error))
    {
      koers_participant_repository_bulk_free (bulk);
      return NULL;
    }
  return bulk;
}

/**
 * koers_participant_repository_bulk_begin:
 *
 * Returns: (transfer full) (nullable): a batch, in a transaction of its own (nested in the
 * caller's when there is one), or %NULL with @error.
 */
KoersParticipantBulk *
koers_participant_repository_bulk_begin (KoersDatabase *db, gboolean audit_each, GError **error)
{
  return koers_participant_repository_bulk_begin_sized (db, audit_each, 0, FALSE, error);
}

void
koers_participant_repository_bulk_defer_search (KoersParticipantBulk *bulk)
{
  g_return_if_fail (bulk != NULL && bulk->open);

  bulk->defer_search = TRUE;
}

const char *
koers_participant_repository_bulk_get_now (KoersParticipantBulk *bulk)
{
  g_return_val_if_fail (bulk != NULL, NULL);

  return bulk->now;
}

gboolean
koers_participant_repository_bulk_insert (KoersParticipantBulk *bulk,
                                          KoersParticipant     *participant,
                                          gboolean              validated,
                                          const char           *actor,
                                          GError              **error)
{
  g_return_val_if_fail (bulk != NULL && bulk->open, FALSE);
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (participant), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  /* The domain rules are pure functions of the object: when the caller has just run
   * koers_participant_validate() on this very object, a second run finds the same. The
   * references depend on the database and are checked here every time. */
  if (!validated)
    {
      g_autoptr(GPtrArray) problems = koers_participant_validate (participant,
                                                                  koers_date_today_year ());

      if (problems->len > 0)
        {
          KoersFieldError *first = g_ptr_array_index (problems, 0);

          koers_repository_set_invalid (error, first->field, "%s", first->message);
          return FALSE;
        }
    }
  if (!koers_participant_validate_references (bulk->db, participant, error))
    return FALSE;
  return koers_participant_write_new (bulk->db, participant, actor, bulk->audit_each,
                                      !bulk->history_at_end, bulk->now, bulk->today, error);
}

/* Stamps a new row of the batch: its id (kept when the caller set one), the batch's clock and
 * @actor, or the @author of a record that names one (a note's writer). */
static void
stamp (KoersParticipantBulk *bulk, KoersRecordMeta *meta, const char *actor)
{
  if (meta->id == NULL || *meta->id == '\0')
    {
      g_free (meta->id);
      meta->id = koers_database_new_id (bulk->db);
    }
  meta->version = 0;
  g_free (meta->created_at);
  meta->created_at = g_strdup (bulk->now);
  if (meta->created_by == NULL || *meta->created_by == '\0')
    {
      g_free (meta->created_by);
      meta->created_by = g_strdup (actor);
    }
  g_free (meta->updated_at);
  meta->updated_at = g_strdup (bulk->now);
  g_free (meta->updated_by);
  meta->updated_by = g_strdup (meta->created_by);
  meta->deleted = FALSE;
}

gboolean
koers_participant_repository_bulk_add_note (KoersParticipantBulk *bulk,
                                            KoersNote            *note,
                                            const char           *actor,
                                            GError              **error)
{
  g_autofree char *body = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (bulk != NULL && bulk->open, FALSE);
  g_return_val_if_fail (note != NULL && note->participant_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if ((guint) note->kind >= KOERS_N_NOTE_KINDS)
    {
      koers_repository_set_invalid (error, "kind", _("Unknown kind of note"));
      return FALSE;
    }
  if (!koers_repository_check_date ("occurred-on", note->occurred_on, TRUE, error)
      || !koers_repository_check_text ("body", note->body, TRUE, KOERS_LONG_TEXT_MAX_CHARS,
                                       TRUE, error))
    return FALSE;
  body = koers_text_normalize (note->body);
  stamp (bulk, &note->meta, actor);
  if (note->revision < 1)
    note->revision = 1;
  stmt = koers_database_prepare (bulk->db, "INSERT INTO note (" KOERS_META_COLUMNS ", "
                                           "participant_id, kind, occurred_on, body, revision, "
                                           "revision_of) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                                           "?8, ?9, ?10, ?11, ?12, ?13, ?14)", error);
  if (stmt == NULL)
    return FALSE;
  koers_repository_bind_meta (stmt, 1, &note->meta);
  koers_bind_text (stmt, 9, note->participant_id);
  koers_bind_text (stmt, 10, koers_note_kind_to_id (note->kind));
  koers_bind_text (stmt, 11, note->occurred_on);
  koers_bind_text (stmt, 12, body);
  koers_bind_int64 (stmt, 13, note->revision);
  koers_bind_text (stmt, 14, note->revision_of);
  if (!koers_database_step (bulk->db, stmt, NULL, error))
    return FALSE;
  g_free (note->body);
  note->body = g_steal_pointer (&body);
  return TRUE;
}

gboolean
koers_participant_repository_bulk_add_activity (KoersParticipantBulk *bulk,
                                                KoersActivity        *activity,
                                                const char           *actor,
                                                GError              **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (bulk != NULL && bulk->open, FALSE);
  g_return_val_if_fail (activity != NULL && activity->participant_id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  /* The caller checked the domain rules with the file's cells named; the table's constraints
   * refuse anything that slipped past. */
  g_clear_pointer (&activity->meta.created_by, g_free);
  stamp (bulk, &activity->meta, actor);
  stmt = koers_database_prepare (bulk->db, "INSERT INTO activity (" KOERS_META_COLUMNS ", "
                                           "participant_id, kind, title, sector, provider, "
                                           "employer, nlqf_level, started_on, ended_on) VALUES "
                                           "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, "
                                           "?13, ?14, ?15, ?16, ?17)", error);
  if (stmt == NULL)
    return FALSE;
  koers_repository_bind_meta (stmt, 1, &activity->meta);
  koers_bind_text (stmt, 9, activity->participant_id);
  koers_bind_text (stmt, 10, koers_activity_kind_to_id (activity->kind));
  koers_bind_text (stmt, 11, activity->title);
  koers_bind_text (stmt, 12, activity->sector >= 0 ? koers_sector_to_id (activity->sector)
                                                   : NULL);
  koers_bind_text (stmt, 13, activity->provider);
  koers_bind_text (stmt, 14, activity->employer);
  koers_bind_int64 (stmt, 15, activity->nlqf_level);
  koers_bind_text (stmt, 16, activity->started_on);
  koers_bind_text (stmt, 17, activity->ended_on);
  return koers_database_step (bulk->db, stmt, NULL, error);
}

/* Runs @sql for the batch's rows, @range seqs a statement: ?1 and ?2 bound to the range
 * (seq > ?1 AND seq <= ?2), ?3 to @text when given. */
static gboolean
bulk_run_by_range (KoersParticipantBulk *bulk, const char *sql, gint64 range, const char *text,
                   GError **error)
{
  gint64 last_seq = 0;

  if (!koers_database_query_int64 (bulk->db, "SELECT coalesce(max(seq), 0) FROM participant",
                                   &last_seq, error))
    return FALSE;
  for (gint64 from = bulk->last_seq_before; from < last_seq; from += range)
    {
      sqlite3_stmt *stmt = koers_database_prepare (bulk->db, sql, error);

      if (stmt == NULL)
        return FALSE;
      koers_bind_int64 (stmt, 1, from);
      koers_bind_int64 (stmt, 2, MIN (from + range, last_seq));
      if (text != NULL)
        koers_bind_text (stmt, 3, text);
      if (!koers_database_step (bulk->db, stmt, NULL, error))
        return FALSE;
    }
  return TRUE;
}

void
koers_participant_repository_bulk_set_cancellable (KoersParticipantBulk *bulk,
                                                   GCancellable         *cancellable)
{
  g_return_if_fail (bulk != NULL && bulk->open);

  g_set_object (&bulk->cancellable, cancellable);
}

gboolean
koers_participant_repository_bulk_end (KoersParticipantBulk *bulk, GError **error)
{
  g_return_val_if_fail (bulk != NULL && bulk->open, FALSE);

  /* Watched only for the long statements below, which it interrupts (a statement too short
   * to be interrupted is followed by the check before the commit); the commit or the
   * rollback after them must not be interrupted. */
  if (bulk->cancellable != NULL)
    koers_database_set_cancellable (bulk->db, bulk->cancellable);

  if (bulk->history_at_end
      && !bulk_run_by_range (bulk, bulk_history_sql, BULK_HISTORY_SEQS, bulk->today, error))
    goto failed;

  /* Rows above the largest seq before the batch are the batch's: no row of the backlog lies
   * below it. */
  if (bulk->defer_search
      && !koers_search_backlog_extend (bulk->db, bulk->last_seq_before + 1, error))
    goto failed;
  for (guint i = 0; i < G_N_ELEMENTS (bulk_triggers); i++)
    {
      if (!bulk->defer_search)
        {
          sqlite3_stmt *stmt = koers_database_prepare (bulk->db, bulk_index_sql[i], error);

          if (stmt == NULL)
            goto failed;
          koers_bind_int64 (stmt, 1, bulk->last_seq_before);
          if (!koers_database_step (bulk->db, stmt, NULL, error))
            goto failed;
        }
      if (!koers_database_exec (bulk->db, bulk->trigger_sql[i], error))
        goto failed;
    }
  if (!koers_table_indexes_create (bulk->db, (const char *const *) bulk->index_sql->pdata,
                                   bulk->index_sql->len, error))
    goto failed;
  koers_database_set_cancellable (bulk->db, NULL);
  if (g_cancellable_set_error_if_cancelled (bulk->cancellable, error))
    goto failed;
  bulk->open = FALSE;
  return koers_database_commit (bulk->db, error);

failed:
  koers_database_set_cancellable (bulk->db, NULL);
  bulk->open = FALSE;
  koers_database_rollback (bulk->db);
  return FALSE;
}

void
koers_participant_repository_bulk_free (KoersParticipantBulk *bulk)
{
  if (bulk == NULL)
    return;
  /* Not ended: everything of the batch goes; the triggers and indexes come back with the
   * rollback. */
  if (bulk->open)
    koers_database_rollback (bulk->db);
  for (guint i = 0; i < G_N_ELEMENTS (bulk_triggers); i++)
    g_free (bulk->trigger_sql[i]);
  g_clear_pointer (&bulk->index_sql, g_ptr_array_unref);
  g_free (bulk->now);
  g_free (bulk->today);
  g_clear_object (&bulk->cancellable);
  g_object_unref (bulk->db);
  g_free (bulk);
}
