/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * GET /v1/wijzigingen: the changes feed. records is the compacted index (one row per record
 * with the volgnummer of its last change), so a page is one indexed range scan of the caller's
 * bucket, plus, for a coach, the records that left the caseload (scope_exits).
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include <errno.h>
#include <string.h>

#define FEED_MAX_LIMIT 500
/* The wire item around a record's fields: member names, punctuation and the values of the
 * metadata (ids, ISO timestamps, entity names, which need no escaping) stay under this. */
#define FEED_ITEM_OVERHEAD 200
#define FIELDS_MAX_DEPTH 64

/* ---- the stored fields, parsed --------------------------------------------------------------
 *
 * A page of 500 records spent a third of the server's time in json_parser_load_from_data
 * (GScanner, and a signal emitted per member) on text the engine itself wrote with json-glib's
 * generator. This reads that text straight into nodes. It accepts JSON only (and, like
 * json-glib, raw control characters in strings) and gives up on anything else (a number out of
 * range, a bad escape, text that is not UTF-8, nesting deeper than FIELDS_MAX_DEPTH); the
 * caller then parses with json-glib as before, so what a record looks like on the wire never
 * depends on which parser read it. */

typedef struct {
  const char *p;
  const char *end;
  guint       depth;
  GString    *scratch;
} FieldsScan;

static JsonNode *scan_value (FieldsScan *scan);

static void
skip_space (FieldsScan *scan)
{
  while (scan->p < scan->end
         && (*scan->p == ' ' || *scan->p == '\n' || *scan->p == '\r' || *scan->p == '\t'))
    scan->p++;
}

static gboolean
hex4 (const char *p, gunichar *out)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + (gunichar) digit;
    }
  *out = value;
  return TRUE;
}

/* A string at scan->p (its opening quote) into scan->scratch; FALSE on anything not JSON. */
static gboolean
scan_string (FieldsScan *scan)
{
  const char *p = scan->p + 1;

  g_string_truncate (scan->scratch, 0);
  for (;;)
    {
      const char *run = p;

      /* Raw control characters pass, as json-glib's parser lets them: its generator writes
       * U+001F unescaped. */
      while (p < scan->end && *p != '"' && *p != '\\')
        p++;
      g_string_append_len (scan->scratch, run, p - run);
      if (p >= scan->end)
        return FALSE;
      if (*p == '"')
        break;
      if (p + 1 >= scan->end)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case '/':
          g_string_append_c (scan->scratch, p[1]);
          p += 2;
          break;
        case 'b': g_string_append_c (scan->scratch, '\b'); p += 2; break;
        case 'f': g_string_append_c (scan->scratch, '\f'); p += 2; break;
        case 'n': g_string_append_c (scan->scratch, '\n'); p += 2; break;
        case 'r': g_string_append_c (scan->scratch, '\r'); p += 2; break;
        case 't': g_string_append_c (scan->scratch, '\t'); p += 2; break;
        case 'u':
          {
            gunichar c, low;

            if (p + 6 > scan->end || !hex4 (p + 2, &c))
              return FALSE;
            p += 6;
            if (c >= 0xdc00 && c <= 0xdfff)
              return FALSE;
            if (c >= 0xd800 && c <= 0xdbff)
              {
                if (p + 6 > scan->end || p[0] != '\\' || p[1] != 'u' || !hex4 (p + 2, &low)
                    || low < 0xdc00 || low > 0xdfff)
                  return FALSE;
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                p += 6;
              }
            if (c == 0)
              return FALSE;     /* a C string cannot hold it; json-glib decides */
            g_string_append_unichar (scan->scratch, c);
            break;
          }
        default:
          return FALSE;
        }
    }
  scan->p = p + 1;
  return g_utf8_validate_len (scan->scratch->str, scan->scratch->len, NULL);
}

static JsonNode *
scan_number (FieldsScan *scan)
{
  const char *start = scan->p, *p = scan->p;
  gboolean fraction = FALSE;
  char buffer[64];
  char *end = NULL;

  if (p < scan->end && *p == '-')
    p++;
  if (p >= scan->end || !g_ascii_isdigit (*p) || (*p == '0' && p + 1 < scan->end
                                                  && g_ascii_isdigit (p[1])))
    return NULL;
  while (p < scan->end && g_ascii_isdigit (*p))
    p++;
  if (p < scan->end && *p == '.')
    {
      fraction = TRUE;
      if (++p >= scan->end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }
  if (p < scan->end && (*p == 'e' || *p == 'E'))
    {
      fraction = TRUE;
      if (++p < scan->end && (*p == '+' || *p == '-'))
        p++;
      if (p >= scan->end || !g_ascii_isdigit (*p))
        return NULL;
      while (p < scan->end && g_ascii_isdigit (*p))
        p++;
    }
  if ((gsize) (p - start) >= sizeof buffer)
    return NULL;
  memcpy (buffer, start, p - start);
  buffer[p - start] = '\0';
  scan->p = p;
  errno = 0;
  if (fraction)
    {
      double value = g_ascii_strtod (buffer, &end);

      return errno == 0 ? json_node_init_double (json_node_alloc (), value) : NULL;
    }
  {
    gint64 value = g_ascii_strtoll (buffer, &end, 10);

    return errno == 0 ? json_node_init_int (json_node_alloc (), value) : NULL;
  }
}

static gboolean
scan_word (FieldsScan *scan, const char *word)
{
  gsize n = strlen (word);

  if ((gsize) (scan->end - scan->p) < n || strncmp (scan->p, word, n) != 0)
    return FALSE;
  scan->p += n;
  return TRUE;
}

/* The members of an object, scan->p just after its '{'. */
static JsonNode *
scan_object (FieldsScan *scan)
{
  g_autoptr(JsonObject) object = json_object_new ();

  skip_space (scan);
  if (scan->p < scan->end && *scan->p == '}')
    {
      scan->p++;
      return json_node_init_object (json_node_alloc (), object);
    }
  for (;;)
    {
      g_autofree char *name = NULL;
      JsonNode *value;

      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != '"' || !scan_string (scan))
        return NULL;
      name = g_strndup (scan->scratch->str, scan->scratch->len);
      skip_space (scan);
      if (scan->p >= scan->end || *scan->p != ':')
        return NULL;
      scan->p++;
      value = scan_value (scan);
      if (value == NULL)
        return NULL;
      json_object_set_member (object, name, value);
      skip_space (scan);
      if (scan->p < scan->end && *scan->p == ',')
        {
          scan->p++;
          continue;
        }
      if (scan->p < scan->end && *scan->p == '}')
        {
          scan->p++;
          return json_node_init_object (json_node_alloc (), object);
        }
      return NULL;
    }
}

static JsonNode *
scan_array (FieldsScan *scan)
{
  g_autoptr(JsonArray) array = json_array_new ();

  skip_space (scan);
  if (scan->p < scan->end && *scan->p == ']')
    {
      scan->p++;
      return json_node_init_array (json_node_alloc (), array);
    }
  for (;;)
    {
      JsonNode *value = scan_value (scan);

      if (value == NULL)
        return NULL;
      json_array_add_element (array, value);
      skip_space (scan);
      if (scan->p < scan->end && *scan->p == ',')
        {
          scan->p++;
          continue;
        }
      if (scan->p < scan->end && *scan->p == ']')
        {
          scan->p++;
          return json_node_init_array (json_node_alloc (), array);
        }
      return NULL;
    }
}

static JsonNode *
scan_value (FieldsScan *scan)
{
  JsonNode *node = NULL;

  skip_space (scan);
  if (scan->p >= scan->end)
    return NULL;
  switch (*scan->p)
    {
    case '{':
    case '[':
      if (++scan->depth > FIELDS_MAX_DEPTH)
        return NULL;
      scan->p++;
      node = scan->p[-1] == '{' ? scan_object (scan) : scan_array (scan);
      scan->depth--;
      return node;
    case '"':
      if (!scan_string (scan))
        return NULL;
      return json_node_init_string (json_node_alloc (), scan->scratch->str);
    case 't':
      return scan_word (scan, "true") ? json_node_init_boolean (json_node_alloc (), TRUE) : NULL;
    case 'f':
      return scan_word (scan, "false") ? json_node_init_boolean (json_node_alloc (), FALSE)
                                       : NULL;
    case 'n':
      return scan_word (scan, "null") ? json_node_init_null (json_node_alloc ()) : NULL;
    default:
      return scan_number (scan);
    }
}

/* (transfer full): the stored fields of a record; json-glib reads what this parser refuses. */
static JsonObject *
fields_parse (const char *text, GString *scratch)
{
  FieldsScan scan = { text, text != NULL ? text + strlen (text) : NULL, 0, scratch };
  g_autoptr(JsonNode) node = NULL;

  if (text != NULL)
    {
      skip_space (&scan);
      if (scan.p < scan.end && *scan.p == '{')
        node = scan_value (&scan);
      skip_space (&scan);
    }
  if (node == NULL || scan.p != scan.end)
    return engine_object_parse (text);
  return json_object_ref (json_node_get_object (node));
}

/* engine_record_from_row () with the fields read by fields_parse (). */
static EngineRecord *
feed_record_from_row (KoersSqlRows *rows, guint row, GString *scratch)
{
  EngineRecord *record = g_new0 (EngineRecord, 1);

  record->entity = g_strdup (koers_sql_rows_get_text (rows, row, 0));
  record->id = g_strdup (koers_sql_rows_get_text (rows, row, 1));
  record->version = koers_sql_rows_get_int (rows, row, 2);
  record->scope_coach_id = g_strdup (koers_sql_rows_get_text (rows, row, 3));
  record->participant_id = g_strdup (koers_sql_rows_get_text (rows, row, 4));
  record->deleted = koers_sql_rows_get_int (rows, row, 5) != 0;
  record->erased = koers_sql_rows_get_int (rows, row, 6) != 0;
  record->fields = fields_parse (koers_sql_rows_get_text (rows, row, 7), scratch);
  record->created_at = g_strdup (koers_sql_rows_get_text (rows, row, 8));
  record->created_by = g_strdup (koers_sql_rows_get_text (rows, row, 9));
  record->updated_at = g_strdup (koers_sql_rows_get_text (rows, row, 10));
  record->updated_by = g_strdup (koers_sql_rows_get_text (rows, row, 11));
  return record;
}

/* What an item adds to the page, in bytes, near enough for the page cap (ENGINE_PAGE_BYTES is
 * a quarter of the client's limit): the fields as stored, which is how json-glib writes them
 * again, plus the metadata. Serialising each item only to measure it was a sixth of a page's
 * cost. */
static gsize
item_bytes (KoersSqlRows *rows, guint row)
{
  /* The text columns engine_record_to_wire () sends: entity, id, fields and the four stamps. */
  static const guint columns[] = { 0, 1, 7, 8, 9, 10, 11 };
  gsize bytes = FEED_ITEM_OVERHEAD;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      const char *text = koers_sql_rows_get_text (rows, row, columns[i]);

      bytes += text != NULL ? strlen (text) : 0;
    }
  return bytes;
}

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
      g_autoptr(GString) scratch = g_string_new (NULL);
      gsize bytes = 0;

      n = koers_sql_rows_get_n_rows (rows);
      more = n > limit;
      for (guint i = 0; i < MIN (n, limit); i++)
        {
          JsonNode *item;
          gsize size = item_bytes (rows, i);

          if (i > 0 && bytes + size > ENGINE_PAGE_BYTES)
            {
              /* Full: the cursor stops after the last item sent. */
              more = TRUE;
              last = koers_sql_rows_get_int (rows, i - 1, 2);
              break;
            }
          if (koers_sql_rows_get_int (rows, i, 12) != 0)
            item = gone_item (rows, i);
          else
            {
              g_autoptr(EngineRecord) record = feed_record_from_row (rows, i, scratch);

              item = engine_record_to_wire (record);
            }
          bytes += size;
          json_array_add_element (items, item);
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
