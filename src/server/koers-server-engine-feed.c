/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET /v1/wijzigingen: the changes feed. records is the compacted index (one row per record
 * with the volgnummer of its last change), so a page is one indexed range scan of the caller's
 * bucket, plus, for a coach, the records that left the caseload (scope_exits).
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

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

      return koers_server_db_query (db,
                                    "SELECT " ENGINE_RECORD_COLUMNS ", 0 AS gone FROM records "
                                    "WHERE organisation_id = $1 AND scope_coach_id = $2 "
                                    "AND version > $3 AND version <= $4 "
                                    "UNION ALL "
                                    "SELECT entity, id, version, NULL, NULL, 0, 0, NULL, NULL, "
                                    "NULL, NULL, NULL, 1 FROM scope_exits "
                                    "WHERE organisation_id = $1 AND coach_id = $2 "
                                    "AND version > $3 AND version <= $4 "
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

static JsonNode *
gone_item (KoersSqlRows *rows, guint row)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "entiteit");
  json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, row, 0));
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, row, 1));
  json_builder_set_member_name (builder, "versie");
  json_builder_add_int_value (builder, koers_sql_rows_get_int (rows, row, 2));
  json_builder_set_member_name (builder, "buitenBereik");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/**
 * koers_server_engine_pull:
 *
 * See koers-server-engine.h. The organisation's sequence is read first and the page is cut
 * at it: every version up to it is committed (versions are given out under the write lock in
 * commit order), so a cursor never skips a change that commits later.
 *
 * Returns: (transfer full) (nullable): the 200 body.
 */
JsonNode *
koers_server_engine_pull (KoersServerEngine *engine, const KoersServerCaller *caller,
                          const char *cursor, guint limit, GError **error)
{
  const char *epoch;
  g_autoptr(KoersSqlRows) sequence = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *now = NULL;
  g_autofree char *next_cursor = NULL;
  GError *db_error = NULL;
  gint64 from = 0, until, last;
  gboolean more = FALSE;
  guint n;
  JsonNode *root;

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
      gsize bytes = 0;

      n = koers_sql_rows_get_n_rows (rows);
      more = n > limit;
      for (guint i = 0; i < MIN (n, limit); i++)
        {
          g_autoptr(JsonNode) item = NULL;
          g_autofree char *text = NULL;

          if (koers_sql_rows_get_int (rows, i, 12) != 0)
            item = gone_item (rows, i);
          else
            {
              g_autoptr(EngineRecord) record = engine_record_from_row (rows, i, 0);

              item = engine_record_to_wire (record);
            }
          text = engine_json_to_string (item);
          if (i > 0 && bytes + strlen (text) > ENGINE_PAGE_BYTES)
            {
              /* Full: the cursor stops after the last item sent. */
              more = TRUE;
              last = koers_sql_rows_get_int (rows, i - 1, 2);
              break;
            }
          bytes += strlen (text);
          json_array_add_element (items, g_steal_pointer (&item));
          if (more)
            last = koers_sql_rows_get_int (rows, i, 2);
        }
    }
  if (!koers_server_db_commit (engine->db, &db_error))
    goto db_failed;

  now = engine_now_iso (engine);
  next_cursor = g_strdup_printf ("%s.%" G_GINT64_FORMAT, epoch, last);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "volgendeCursor");
  json_builder_add_string_value (builder, next_cursor);
  json_builder_set_member_name (builder, "meerBeschikbaar");
  json_builder_add_boolean_value (builder, more);
  json_builder_set_member_name (builder, "tijdperk");
  json_builder_add_string_value (builder, epoch);
  json_builder_set_member_name (builder, "serverTijd");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_object_set_array_member (json_node_get_object (root), "wijzigingen",
                                g_steal_pointer (&items));
  return root;

db_failed:
  koers_server_db_rollback (engine->db);
db_failed_no_txn:
  engine_propagate_db_error (error, db_error);
  return NULL;
}
