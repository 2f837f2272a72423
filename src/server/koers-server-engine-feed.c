/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET /v1/wijzigingen: the changes feed. records is the compacted index (one row per record
 * with the volgnummer of its last change), so a page is one indexed range scan of the caller's
 * bucket, plus, for a coach, the records that left the caseload (scope_exits).
 */
#include "config.h"

#include "server/koers-server-engine-private.h"
#include "sync/koers-sync-json.h"

#include <string.h>

#define FEED_MAX_LIMIT 500

static gboolean
parse_cursor (const char *cursor, const char *epoch, gint64 *out_from, GError **error)
{
  const char *dot;
  g_autofree char *cursor_epoch = NULL;
  guint64 number = 0;

  *out_from = 0;
  if (cursor == NULL || g_str_equal (cursor, "0") || *cursor == '\0')
    return TRUE;
  dot = strrchr (cursor, '.');
  if (dot == NULL || dot == cursor
      || !g_ascii_string_to_unsigned (dot + 1, 10, 0, G_MAXINT64, &number, NULL))
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID,
                           "vanaf: is geen cursor van deze server");
      return FALSE;
    }
  cursor_epoch = g_strndup (cursor, (gsize) (dot - cursor));
  if (!g_str_equal (cursor_epoch, epoch))
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR,
                           KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED,
                           "vanaf: de cursor hoort bij een ander tijdperk van de server; haal "
                           "alles opnieuw op vanaf 0");
      return FALSE;
    }
  *out_from = (gint64) number;
  return TRUE;
}

/* Where a page query's row keeps what the page needs: the stored item and its check (-1:
 * none, the record's columns as ENGINE_RECORD_COLUMNS, written out by
 * engine_feed_append_record), the participant and the flag of a record that left the bucket.
 * Entity, id and version come first in both. */
typedef struct {
  int   feed_item;
  guint participant;
  guint gone;
} PageColumns;

static const PageColumns record_columns = { -1, 4, 12 };
static const PageColumns item_columns = { 4, 3, 6 };

#define ITEM_COLUMNS "entity, id, version, participant_id, feed_item, feed_item_check"

/* A coach's page: her caseload's records and the records that left it. SQLite merges the two
 * sides of a plain UNION ALL in index order and stops after $5 rows (each side in a subquery
 * of its own, it copied into a temporary B-tree to sort again: a third of a 500-record page's
 * query time). */
#define COACH_PAGE_SQLITE(columns, exit_columns) \
  "SELECT " columns ", 0 AS gone " \
  "FROM records WHERE organisation_id = $1 AND scope_coach_id = $2 " \
  "AND version > $3 AND version <= $4 " \
  "UNION ALL " \
  "SELECT entity, id, version, " exit_columns ", 1 " \
  "FROM scope_exits WHERE organisation_id = $1 AND coach_id = $2 " \
  "AND version > $3 AND version <= $4 " \
  "ORDER BY version LIMIT $5"
/* PostgreSQL: each side takes its own first rows in index order before the two are merged:
 * over the plain UNION ALL it sorted every remaining row of the caseload for each page (a
 * first sync of 100,000 read 50,000 rows a page on average, 60-80 ms a page). */
#define COACH_PAGE_POSTGRESQL(columns, exit_columns) \
  "SELECT * FROM (SELECT " columns ", 0 AS gone " \
  "FROM records WHERE organisation_id = $1 AND scope_coach_id = $2 " \
  "AND version > $3 AND version <= $4 ORDER BY version LIMIT $5) AS records_page " \
  "UNION ALL " \
  "SELECT * FROM (SELECT entity, id, version, " exit_columns ", 1 FROM scope_exits " \
  "WHERE organisation_id = $1 AND coach_id = $2 AND version > $3 AND version <= $4 " \
  "ORDER BY version LIMIT $5) AS exits_page " \
  "ORDER BY version LIMIT $5"
#define ORGANISATION_PAGE(columns) \
  "SELECT " columns ", 0 AS gone FROM records WHERE organisation_id = $1 " \
  "AND version > $2 AND version <= $3 ORDER BY version LIMIT $4"

/* What follows entity, id and version for a record that left the bucket. PostgreSQL takes
 * an untyped NULL in a subquery for text. */
#define RECORD_EXIT_COLUMNS "NULL, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL"
#define ITEM_EXIT_COLUMNS "NULL, NULL, CAST(NULL AS BIGINT)"

/* Hands the page's rows to @func in version order, at most @limit of them, with the columns
 * of @columns. */
static gboolean
query_page (KoersServerDb *db, const KoersServerCaller *caller, gint64 from, gint64 until,
            guint limit, const PageColumns *columns, KoersSqlRowFunc func, gpointer user_data,
            GError **error)
{
  gboolean items = columns == &item_columns;

  if (caller->role == KOERS_SERVER_ROLE_COACH)
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE (caller->user_id),
        KOERS_SQL_INT_VALUE (from), KOERS_SQL_INT_VALUE (until), KOERS_SQL_INT_VALUE (limit),
      };
      const char *sql;

      if (koers_server_db_get_backend (db) == KOERS_SERVER_DB_SQLITE)
        sql = items ? COACH_PAGE_SQLITE (ITEM_COLUMNS, ITEM_EXIT_COLUMNS)
                    : COACH_PAGE_SQLITE (ENGINE_RECORD_COLUMNS, RECORD_EXIT_COLUMNS);
      else
        sql = items ? COACH_PAGE_POSTGRESQL (ITEM_COLUMNS, ITEM_EXIT_COLUMNS)
                    : COACH_PAGE_POSTGRESQL (ENGINE_RECORD_COLUMNS, RECORD_EXIT_COLUMNS);
      return koers_server_db_query_foreach (db, sql, params, G_N_ELEMENTS (params), func,
                                            user_data, error);
    }
  else
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_INT_VALUE (from),
        KOERS_SQL_INT_VALUE (until), KOERS_SQL_INT_VALUE (limit),
      };

      return koers_server_db_query_foreach (db,
                                            items ? ORGANISATION_PAGE (ITEM_COLUMNS)
                                                  : ORGANISATION_PAGE (ENGINE_RECORD_COLUMNS),
                                            params, G_N_ELEMENTS (params), func, user_data,
                                            error);
    }
}

void
koers_server_feed_page_free (KoersServerFeedPage *page)
{
  if (page == NULL)
    return;
  g_free (page->text);
  g_free (page->next_cursor);
  g_clear_pointer (&page->participants, koers_server_participant_set_free);
  g_free (page);
}

/* The participant whose data the row carries, NULL for none (a record that left the bucket,
 * a record of no participant): what the audit names. */
static const char *
row_participant (KoersSqlRow *row, const PageColumns *columns)
{
  const char *entity;

  if (koers_sql_row_get_int (row, columns->gone) != 0)
    return NULL;
  entity = koers_sql_row_get_text (row, 0, NULL);
  if (g_strcmp0 (entity, KOERS_SYNC_PARTICIPANTS) == 0)
    return koers_sql_row_get_text (row, 1, NULL);
  return koers_sql_row_get_text (row, columns->participant, NULL);
}

/* Writes a page's items as its rows are read. */
typedef struct {
  GString    *out;
  gsize       items_start;   /* where the first item goes in out */
  guint       limit;
  guint       n_items;
  gboolean    more;          /* the page stops before the end of what there is */
  gint64      last_version;  /* of the last item written */
  KoersServerParticipantSet *participants; /* whose data the items carry, for the audit */
  const PageColumns *columns;
  gboolean    needs_records; /* a row had no stored item that can go out as it is */
} PageWriter;

/* Appends one row as an item, up to @limit of them and ENGINE_PAGE_BYTES (always at least
 * one item): the query asks for one row more than the limit, to know whether more follow. */
static gboolean
append_item (KoersSqlRow *row, gpointer user_data)
{
  PageWriter *writer = user_data;
  gsize before = writer->out->len;

  if (writer->n_items == writer->limit)
    {
      writer->more = TRUE;
      return FALSE;
    }
  if (writer->n_items > 0)
    g_string_append_c (writer->out, ',');
  if (koers_sql_row_get_int (row, writer->columns->gone) != 0)
    engine_feed_append_gone (writer->out, row);
  else if (writer->columns->feed_item < 0)
    engine_feed_append_record (writer->out, row);
  else
    {
      gsize length = 0;
      const char *item = koers_sql_row_get_text (row, (guint) writer->columns->feed_item,
                                                 &length);

      /* Written before version 6, or damaged since: the page is read again from the records,
       * whose fields are checked against JSON's grammar as they go out. */
      if (item == NULL
          || koers_sql_row_get_int (row, (guint) writer->columns->feed_item + 1)
             != engine_feed_item_check (item, length, koers_sql_row_get_int (row, 2)))
        {
          writer->needs_records = TRUE;
          return FALSE;
        }
      koers_sync_json_append_len (writer->out, item, length);
    }
  if (writer->n_items > 0 && writer->out->len - writer->items_start > ENGINE_PAGE_BYTES)
    {
      /* Full: the item goes back out and the cursor stops after the last one sent. */
      g_string_truncate (writer->out, before);
      writer->more = TRUE;
      return FALSE;
    }
  koers_server_participant_set_add (writer->participants,
                                    row_participant (row, writer->columns));
  writer->last_version = koers_sql_row_get_int (row, 2);
  writer->n_items++;
  return TRUE;
}

/**
 * koers_server_engine_pull_page:
 *
 * See koers-server-engine.h. The organisation's sequence is read first and the page is cut
 * at it: every version up to it is committed (versions are given out under the write lock in
 * commit order), so a cursor never skips a change that commits later.
 *
 * Returns: (transfer full) (nullable): the 200 body and what the route needs of it.
 */
KoersServerFeedPage *
koers_server_engine_pull_page (KoersServerEngine *engine, const KoersServerCaller *caller,
                               const char *cursor, guint limit, GError **error)
{
  const char *epoch;
  g_autoptr(KoersSqlRows) sequence = NULL;
  g_autoptr(KoersServerParticipantSet) participants = koers_server_participant_set_new (limit);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *now = NULL;
  KoersServerFeedPage *page;
  GError *db_error = NULL;
  gint64 from = 0, until, last;
  gboolean more = FALSE;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (limit < 1 || limit > FEED_MAX_LIMIT)
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID,
                           "limiet: moet tussen 1 en 500 liggen");
      return NULL;
    }
  epoch = koers_server_db_get_epoch (engine->db);
  if (!parse_cursor (cursor, epoch, &from, error))
    return NULL;

  if (!koers_server_db_begin_read (engine->db, caller->organisation_id, &db_error))
    goto db_failed_no_txn;
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (caller->organisation_id) };

    sequence = koers_server_db_query (engine->db,
                                      "SELECT sequence FROM organisations WHERE id = $1",
                                      params, 1, &db_error);
  }
  if (sequence == NULL)
    goto db_failed;
  until = koers_sql_rows_get_n_rows (sequence) > 0 ? koers_sql_rows_get_int (sequence, 0, 0) : 0;
  if (from > until)
    {
      /* A cursor from the future: the server was restored from an older backup. */
      koers_server_db_rollback (engine->db);
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR,
                           KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED,
                           "vanaf: de server kent dit volgnummer niet (teruggezet); haal alles "
                           "opnieuw op vanaf 0");
      return NULL;
    }
  last = until;
  /* The page is written in one buffer, in one go: what is known before the read first, what
   * the read decides (the cursor) after the items. */
  now = engine_now_iso (engine);
  koers_sync_json_append_literal (text, "{\"tijdperk\":");
  koers_sync_json_append_string (text, epoch);
  koers_sync_json_append_literal (text, ",\"serverTijd\":");
  koers_sync_json_append_string (text, now);
  koers_sync_json_append_literal (text, ",\"wijzigingen\":[");
  if (caller->role != KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    {
      PageWriter writer = { text, text->len, limit, 0, FALSE, 0, participants, &item_columns,
                            FALSE };
      gsize head = text->len;

      /* Room for a typical item each (~440 bytes) at once, as many as the versions in range
       * allow: growing by doubling copied a 200 KB page about twice over. */
      g_string_set_size (text, head + (gsize) MIN ((gint64) limit, until - from) * 448 + 256);
      g_string_truncate (text, head);
      if (!query_page (engine->db, caller, from, until, limit + 1, &item_columns, append_item,
                       &writer, &db_error))
        goto db_failed;
      if (writer.needs_records)
        {
          /* The same page from the records' own columns, from its first item. */
          g_string_truncate (text, head);
          koers_server_participant_set_free (participants);
          participants = koers_server_participant_set_new (limit);
          writer = (PageWriter) { text, head, limit, 0, FALSE, 0, participants, &record_columns,
                                  FALSE };
          if (!query_page (engine->db, caller, from, until, limit + 1, &record_columns,
                           append_item, &writer, &db_error))
            goto db_failed;
        }
      more = writer.more;
      if (more)
        last = writer.last_version;
    }
  if (!koers_server_db_commit (engine->db, &db_error))
    goto db_failed;

  page = g_new0 (KoersServerFeedPage, 1);
  page->next_cursor = g_strdup_printf ("%s.%" G_GINT64_FORMAT, epoch, last);
  page->more = more;
  page->participants = g_steal_pointer (&participants);
  koers_sync_json_append_literal (text, "],\"volgendeCursor\":");
  koers_sync_json_append_string (text, page->next_cursor);
  if (more)
    koers_sync_json_append_literal (text, ",\"meerBeschikbaar\":true}");
  else
    koers_sync_json_append_literal (text, ",\"meerBeschikbaar\":false}");
  page->text_length = text->len;
  page->text = g_string_free (g_steal_pointer (&text), FALSE);
  return page;

db_failed:
  koers_server_db_rollback (engine->db);
db_failed_no_txn:
  engine_propagate_db_error (error, db_error);
  return NULL;
}

/**
 * koers_server_engine_pull:
 *
 * The page of koers_server_engine_pull_page() read back as a tree, for callers that look
 * inside it (tests, benchmarks); the route sends the text.
 *
 * Returns: (transfer full) (nullable): the 200 body.
 */
JsonNode *
koers_server_engine_pull (KoersServerEngine *engine, const KoersServerCaller *caller,
                          const char *cursor, guint limit, GError **error)
{
  g_autoptr(KoersServerFeedPage) page = koers_server_engine_pull_page (engine, caller, cursor,
                                                                      limit, error);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;

  if (page == NULL)
    return NULL;
  /* Our own text: a failure here is a defect of the writer, said as such. */
  if (!json_parser_load_from_data (parser, page->text, -1, &local_error))
    g_error ("The feed page written is not JSON: %s", local_error->message);
  return json_node_ref (json_parser_get_root (parser));
}

/* ---- stored items for rows that have none (schema version 6) ----------------------------- */

#define FILL_BATCH 500

typedef struct {
  char   *entity;
  char   *id;
  gint64  version;
  char   *item;
} FillRow;

static void
fill_row_clear (gpointer data)
{
  FillRow *row = data;

  g_free (row->entity);
  g_free (row->id);
  g_free (row->item);
}

static gboolean
collect_fill_row (KoersSqlRow *row, gpointer user_data)
{
  GArray *rows = user_data;
  g_autoptr(GString) item = g_string_new (NULL);
  FillRow fill = { 0 };

  engine_feed_append_record (item, row);
  fill.entity = g_strdup (koers_sql_row_get_text (row, 0, NULL));
  fill.id = g_strdup (koers_sql_row_get_text (row, 1, NULL));
  fill.version = koers_sql_row_get_int (row, 2);
  fill.item = g_string_free (g_steal_pointer (&item), FALSE);
  g_array_append_val (rows, fill);
  return TRUE;
}

#define FILL_PARAMS 6
#define FILL_CALLS  64

/* One batch of @organisation's rows without an item, in version order after
 * *after_version, which moves on to the batch's last; *out_more when the batch was full.
 * The versions walk the organisation's feed index: asking each batch again for any row
 * without an item read every row filled before it (at 1,000,000 records, 2,000 batches
 * over half a million rows each). The updates go FILL_CALLS to a call (on PostgreSQL a round
 * trip each, where every update was one). */
static gboolean
fill_batch (KoersServerDb *db, const char *organisation, gint64 *after_version,
            guint64 *out_filled, gboolean *out_more, GError **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (FillRow));
  KoersSqlValue select[] = {
    KOERS_SQL_TEXT_VALUE (organisation), KOERS_SQL_INT_VALUE (*after_version),
  };
  g_autofree KoersSqlValue *params = NULL;
  g_autofree KoersSqlRows **updated = NULL;
  guint64 filled = 0;

  g_array_set_clear_func (rows, fill_row_clear);
  if (!koers_server_db_begin (db, organisation, error))
    return FALSE;
  if (!koers_server_db_query_foreach (db, "SELECT " ENGINE_RECORD_COLUMNS " FROM records "
                                          "WHERE organisation_id = $1 AND version > $2 "
                                          "AND feed_item IS NULL ORDER BY version "
                                          "LIMIT " G_STRINGIFY (FILL_BATCH),
                                      select, G_N_ELEMENTS (select), collect_fill_row, rows,
                                      error))
    goto failed;
  params = g_new (KoersSqlValue, MAX (rows->len, 1) * FILL_PARAMS);
  updated = g_new0 (KoersSqlRows *, MAX (rows->len, 1));
  for (guint i = 0; i < rows->len; i++)
    {
      FillRow *row = &g_array_index (rows, FillRow, i);
      KoersSqlValue *call = params + (gsize) i * FILL_PARAMS;

      call[0] = KOERS_SQL_TEXT_VALUE (organisation);
      call[1] = KOERS_SQL_TEXT_VALUE (row->entity);
      call[2] = KOERS_SQL_TEXT_VALUE (row->id);
      call[3] = KOERS_SQL_INT_VALUE (row->version);
      call[4] = KOERS_SQL_TEXT_VALUE (row->item);
      call[5] = KOERS_SQL_INT_VALUE (engine_feed_item_check (row->item, strlen (row->item),
                                                             row->version));
    }
  /* In calls of at most FILL_CALLS: a pipeline that long never fills the socket's buffers
   * both ways (koers-server-db-pg-pipeline.c). */
  for (guint first = 0; first < rows->len; first += FILL_CALLS)
    if (!koers_server_db_query_each (db, "UPDATE records SET feed_item = $5, "
                                         "feed_item_check = $6 WHERE organisation_id = $1 "
                                         "AND entity = $2 AND id = $3 AND version = $4 "
                                         "AND feed_item IS NULL RETURNING version",
                                     params + (gsize) first * FILL_PARAMS, FILL_PARAMS,
                                     MIN (rows->len - first, FILL_CALLS), updated + first,
                                     error))
      {
        for (guint i = 0; i < first; i++)
          koers_sql_rows_free (updated[i]);
        goto failed;
      }
  for (guint i = 0; i < rows->len; i++)
    {
      filled += koers_sql_rows_get_n_rows (updated[i]);
      koers_sql_rows_free (updated[i]);
    }
  if (!koers_server_db_commit (db, error))
    goto failed;
  *out_filled += filled;
  if (rows->len > 0)
    *after_version = g_array_index (rows, FillRow, rows->len - 1).version;
  *out_more = rows->len == FILL_BATCH;
  return TRUE;

failed:
  koers_server_db_rollback (db);
  return FALSE;
}

/**
 * koers_server_engine_fill_feed_items:
 *
 * See koers-server-engine.h. The item is what the page would write from the row's columns
 * (engine_feed_append_record), so a page reads the same before and after.
 */
gboolean
koers_server_engine_fill_feed_items (KoersServerEngine *engine, guint64 *out_filled,
                                     GError **error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_free);
  GError *db_error = NULL;
  guint64 filled = 0;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!engine_list_organisations (engine->db, orgs, &db_error))
    goto failed;
  for (guint i = 0; i < orgs->len; i++)
    {
      gint64 after_version = G_MININT64;
      gboolean more = TRUE;

      while (more)
        if (!fill_batch (engine->db, g_ptr_array_index (orgs, i), &after_version, &filled,
                         &more, &db_error))
          goto failed;
    }
  if (out_filled != NULL)
    *out_filled = filled;
  return TRUE;

failed:
  engine_propagate_db_error (error, db_error);
  return FALSE;
}
