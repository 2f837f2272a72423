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

static KoersSqlRows *
query_page (KoersServerDb *db, const KoersServerCaller *caller, gint64 from, gint64 until,
            guint limit, GError **error)
{
  if (caller->role == KOERS_SERVER_ROLE_COACH)
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE (caller->user_id),
        KOERS_SQL_INT_VALUE (from), KOERS_SQL_INT_VALUE (until), KOERS_SQL_INT_VALUE (limit),
      };

      /* SQLite merges the two sides of a plain UNION ALL in index order and stops after
       * $5 rows; each side in a subquery of its own it copied into a temporary B-tree to
       * sort again (a third of a 500-record page's query time). */
      if (koers_server_db_get_backend (db) == KOERS_SERVER_DB_SQLITE)
        return koers_server_db_query (db,
                                      "SELECT " ENGINE_RECORD_COLUMNS ", 0 AS gone "
                                      "FROM records WHERE organisation_id = $1 "
                                      "AND scope_coach_id = $2 AND version > $3 "
                                      "AND version <= $4 "
                                      "UNION ALL "
                                      "SELECT entity, id, version, NULL, NULL, 0, 0, "
                                      "NULL, NULL, NULL, NULL, NULL, 1 FROM scope_exits "
                                      "WHERE organisation_id = $1 AND coach_id = $2 "
                                      "AND version > $3 AND version <= $4 "
                                      "ORDER BY version LIMIT $5",
                                      params, G_N_ELEMENTS (params), error);

      /* PostgreSQL: each side takes its own first rows in index order before the two are
       * merged: over the plain UNION ALL it sorted every remaining row of the caseload for
       * each page (a first sync of 100,000 read 50,000 rows a page on average, 60-80 ms a
       * page). */
      return koers_server_db_query (db,
                                    "SELECT * FROM (SELECT " ENGINE_RECORD_COLUMNS ", 0 AS gone "
                                    "FROM records WHERE organisation_id = $1 "
                                    "AND scope_coach_id = $2 AND version > $3 "
                                    "AND version <= $4 ORDER BY version LIMIT $5) AS records_page "
                                    "UNION ALL "
                                    "SELECT * FROM (SELECT entity, id, version, NULL, NULL, 0, 0, "
                                    "NULL, NULL, NULL, NULL, NULL, 1 FROM scope_exits "
                                    "WHERE organisation_id = $1 AND coach_id = $2 "
                                    "AND version > $3 AND version <= $4 "
                                    "ORDER BY version LIMIT $5) AS exits_page "
                                    "ORDER BY version LIMIT $5",
                                    params, G_N_ELEMENTS (params), error);
    }
  else
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_INT_VALUE (from),
        KOERS_SQL_INT_VALUE (until), KOERS_SQL_INT_VALUE (limit),
      };

      return koers_server_db_query (db,
                                    "SELECT " ENGINE_RECORD_COLUMNS ", 0 AS gone FROM records "
                                    "WHERE organisation_id = $1 "
                                    "AND version > $2 AND version <= $3 "
                                    "ORDER BY version LIMIT $4",
                                    params, G_N_ELEMENTS (params), error);
    }
}

void
koers_server_feed_page_free (KoersServerFeedPage *page)
{
  if (page == NULL)
    return;
  g_free (page->text);
  g_free (page->next_cursor);
  g_clear_pointer (&page->participants, g_ptr_array_unref);
  g_free (page);
}

/* The participant whose data the row carries, NULL for none (a record that left the bucket,
 * a record of no participant): what the audit names. */
static const char *
row_participant (KoersSqlRows *rows, guint row)
{
  if (koers_sql_rows_get_int (rows, row, 12) != 0)
    return NULL;
  if (g_strcmp0 (koers_sql_rows_get_text (rows, row, 0), KOERS_SYNC_PARTICIPANTS) == 0)
    return koers_sql_rows_get_text (rows, row, 1);
  return koers_sql_rows_get_text (rows, row, 4);
}

/* Appends the page's items to @out as text, up to ENGINE_PAGE_BYTES of them; sets *io_more and
 * *io_last when the page is cut short, and collects the participants the items carry. */
static void
append_items (GString *out, KoersSqlRows *rows, guint limit, gboolean *io_more,
              gint64 *io_last, GPtrArray *participants)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n = koers_sql_rows_get_n_rows (rows);
  gsize start = out->len;

  *io_more = n > limit;
  for (guint i = 0; i < MIN (n, limit); i++)
    {
      gsize before = out->len;
      const char *participant;

      if (i > 0)
        g_string_append_c (out, ',');
      if (koers_sql_rows_get_int (rows, i, 12) != 0)
        engine_feed_append_gone (out, rows, i);
      else
        engine_feed_append_record (out, rows, i);
      if (i > 0 && out->len - start > ENGINE_PAGE_BYTES)
        {
          /* Full: the item goes back out and the cursor stops after the last one sent. */
          g_string_truncate (out, before);
          *io_more = TRUE;
          *io_last = koers_sql_rows_get_int (rows, i - 1, 2);
          return;
        }
      participant = row_participant (rows, i);
      if (participant != NULL && g_hash_table_add (seen, (gpointer) participant))
        g_ptr_array_add (participants, g_strdup (participant));
      if (*io_more)
        *io_last = koers_sql_rows_get_int (rows, i, 2);
    }
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
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GPtrArray) participants = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) items = g_string_new (NULL);
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
  if (caller->role != KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    {
      rows = query_page (engine->db, caller, from, until, limit + 1, &db_error);
      if (rows == NULL)
        goto db_failed;
    }
  if (!koers_server_db_commit (engine->db, &db_error))
    goto db_failed;
  if (rows != NULL)
    {
      /* Room for a typical item each (~440 bytes) at once: growing by doubling copied a
       * 200 KB page about twice over. */
      g_string_set_size (items, MIN (koers_sql_rows_get_n_rows (rows), limit) * 448);
      g_string_truncate (items, 0);
      append_items (items, rows, limit, &more, &last, participants);
    }

  now = engine_now_iso (engine);
  page = g_new0 (KoersServerFeedPage, 1);
  page->next_cursor = g_strdup_printf ("%s.%" G_GINT64_FORMAT, epoch, last);
  page->more = more;
  page->participants = g_steal_pointer (&participants);
  {
    GString *text = g_string_sized_new (items->len + 256);

    /* The members and their order of the json-glib page this replaced. */
    g_string_append (text, "{\"volgendeCursor\":");
    koers_sync_json_append_string (text, page->next_cursor);
    g_string_append_printf (text, ",\"meerBeschikbaar\":%s,\"tijdperk\":",
                            more ? "true" : "false");
    koers_sync_json_append_string (text, epoch);
    g_string_append (text, ",\"serverTijd\":");
    koers_sync_json_append_string (text, now);
    g_string_append (text, ",\"wijzigingen\":[");
    g_string_append_len (text, items->str, items->len);
    g_string_append (text, "]}");
    page->text = g_string_free (text, FALSE);
  }
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
