/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-audit-batch.h"

#include "server/koers-server-engine-private.h"
#include "sync/koers-sync-json.h"

#include "core/koers-uuid.h"

/* The rows travel to the database as one JSON array of arrays, taken apart there by one
 * INSERT ... SELECT: one statement for all the reads that share a commit. The participant
 * lists of reads of several records (16 bytes an id, 8 KB for a feed page) travel apart,
 * each its own parameter: inside the rows SQLite read every list again for each of its row's
 * columns. */
struct _KoersServerAuditBatch
{
  char      *organisation_id;
  GString   *rows;   /* "[[id, occurredAt, user, device, action, entity, record, participant,
                      * result], ..." without its closing bracket */
  guint      n_rows;
  GPtrArray *list_audit_ids; /* (element-type utf8) the rows that have a list, */
  GPtrArray *lists;          /* (element-type GBytes) and their lists: 16 bytes an id */
};

KoersServerAuditBatch *
koers_server_audit_batch_new (const char *organisation_id)
{
  KoersServerAuditBatch *batch;

  g_return_val_if_fail (organisation_id != NULL, NULL);

  batch = g_new0 (KoersServerAuditBatch, 1);
  batch->organisation_id = g_strdup (organisation_id);
  batch->rows = g_string_new ("[");
  batch->list_audit_ids = g_ptr_array_new_with_free_func (g_free);
  batch->lists = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  return batch;
}

void
koers_server_audit_batch_free (KoersServerAuditBatch *batch)
{
  if (batch == NULL)
    return;

  g_free (batch->organisation_id);
  g_string_free (batch->rows, TRUE);
  g_ptr_array_unref (batch->list_audit_ids);
  g_ptr_array_unref (batch->lists);
  g_free (batch);
}

const char *
koers_server_audit_batch_get_organisation (KoersServerAuditBatch *batch)
{
  g_return_val_if_fail (batch != NULL, NULL);

  return batch->organisation_id;
}

guint
koers_server_audit_batch_get_n_rows (KoersServerAuditBatch *batch)
{
  g_return_val_if_fail (batch != NULL, 0);

  return batch->n_rows;
}

/* A JSON string (or null). The values are ids, times and names the server made or checked,
 * but a stored participant id is data: escaped all the same. */
static void
append_row (KoersServerAuditBatch *batch, const char *occurred_at,
            const KoersServerCaller *caller, const char *action, const char *entity,
            const char *record_id, const char *participant_id, GBytes *participant_list,
            gboolean success)
{
  char *id = koers_uuid_new_time_ordered ();
  const char *values[] = {
    id, occurred_at, caller->user_id, caller->device_id, action, entity, record_id,
    participant_id, success ? "gelukt" : "mislukt",
  };

  g_string_append (batch->rows, batch->n_rows == 0 ? "[" : ",[");
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      if (i > 0)
        g_string_append_c (batch->rows, ',');
      koers_sync_json_append_string (batch->rows, values[i]);
    }
  g_string_append_c (batch->rows, ']');
  batch->n_rows++;
  if (participant_list != NULL)
    {
      g_ptr_array_add (batch->list_audit_ids, id);
      g_ptr_array_add (batch->lists, g_bytes_ref (participant_list));
    }
  else
    g_free (id);
}

void
koers_server_audit_batch_add (KoersServerAuditBatch   *batch,
                              KoersServerEngine       *engine,
                              const KoersServerCaller *caller,
                              const char              *action,
                              const char              *entity,
                              const char              *record_id,
                              gboolean                 success)
{
  g_autofree char *now = NULL;

  g_return_if_fail (batch != NULL && engine != NULL && caller != NULL);
  g_return_if_fail (g_str_equal (caller->organisation_id, batch->organisation_id));
  g_return_if_fail (engine_audit_action_is_known (action));

  now = engine_now_iso (engine);
  append_row (batch, now, caller, action, entity, record_id, NULL, NULL, success);
}

/* The participant an item of a list or the feed carries; NULL for a buitenBereik item. */
static const char *
item_participant (JsonObject *item)
{
  JsonObject *fields;
  const char *entity;

  if (!json_object_has_member (item, "gegevens"))
    return NULL;
  entity = json_object_get_string_member_with_default (item, "entiteit", "");
  if (g_str_equal (entity, KOERS_SYNC_PARTICIPANTS))
    return json_object_get_string_member_with_default (item, "id", NULL);
  fields = json_object_get_object_member (item, "gegevens");
  if (fields == NULL || !json_object_has_member (fields, "deelnemerId"))
    return NULL;
  return json_object_get_string_member_with_default (fields, "deelnemerId", NULL);
}

KoersServerParticipantSet *
koers_server_audit_page_participants (JsonNode *page)
{
  KoersServerParticipantSet *participants;
  JsonArray *items = NULL;

  if (page != NULL && JSON_NODE_HOLDS_OBJECT (page))
    {
      JsonObject *object = json_node_get_object (page);
      JsonNode *list = json_object_get_member (object, "items");

      if (list == NULL)
        list = json_object_get_member (object, "wijzigingen");
      if (list != NULL && JSON_NODE_HOLDS_ARRAY (list))
        items = json_node_get_array (list);
    }
  participants = koers_server_participant_set_new (items != NULL ? json_array_get_length (items)
                                                                 : 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);

      if (JSON_NODE_HOLDS_OBJECT (node))
        koers_server_participant_set_add (participants,
                                          item_participant (json_node_get_object (node)));
    }
  return participants;
}

void
koers_server_audit_batch_add_participants (KoersServerAuditBatch     *batch,
                                           KoersServerEngine         *engine,
                                           const KoersServerCaller   *caller,
                                           const char                *action,
                                           const char                *entity,
                                           KoersServerParticipantSet *participants,
                                           gboolean                   success)
{
  GPtrArray *others = participants != NULL
                      ? koers_server_participant_set_get_others (participants) : NULL;
  g_autoptr(GBytes) list = NULL;
  g_autofree char *now = NULL;

  g_return_if_fail (batch != NULL && engine != NULL && caller != NULL);
  g_return_if_fail (g_str_equal (caller->organisation_id, batch->organisation_id));
  g_return_if_fail (engine_audit_action_is_known (action));

  if (participants != NULL)
    {
      gsize length;
      const guint8 *ids = koers_server_participant_set_get_ids (participants, &length);

      if (length > 0)
        list = g_bytes_new (ids, length);
    }
  now = engine_now_iso (engine);
  /* One row naming them all (schema version 2); an id that is no UUID cannot join the list
   * (koers-server-participant-set.h) and keeps a row of its own rather than go unrecorded. */
  for (guint i = 0; others != NULL && i < others->len; i++)
    append_row (batch, now, caller, action, entity, NULL, g_ptr_array_index (others, i), NULL,
                success);
  /* A request that carried nobody's data still leaves one row, naming nobody. */
  if (list != NULL || others == NULL || others->len == 0)
    append_row (batch, now, caller, action, entity, NULL, NULL, list, success);
}

/* The participant lists as PostgreSQL's statement takes them apart: every list's ids one
 * after the other into @all_ids (16 bytes an id, sent as one uuid[] in binary form), and
 * where each starts, returned as JSON: [[auditId, first, count], ...], first counting from
 * 1 as PostgreSQL's arrays do. Nothing to escape: audit ids are UUIDs. */
static char *
lists_json (KoersServerAuditBatch *batch, GByteArray *all_ids)
{
  GString *json = g_string_new ("[");

  for (guint i = 0; i < batch->lists->len; i++)
    {
      gsize length;
      const guint8 *ids = g_bytes_get_data (g_ptr_array_index (batch->lists, i), &length);

      g_string_append_printf (json, "%s[\"%s\",%u,%" G_GSIZE_FORMAT "]", i > 0 ? "," : "",
                              (const char *) g_ptr_array_index (batch->list_audit_ids, i),
                              all_ids->len / 16 + 1, length / 16);
      g_byte_array_append (all_ids, ids, (guint) length);
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

/* At most this many lists a statement; statements are made for 1, 2, 4, ... of them. */
#define LISTS_PER_STATEMENT 64

/* "INSERT ... SELECT ... FROM (VALUES ($2, $3), ($4, $5), ...)" for @n lists: unused pairs
 * are bound to NULL and left out, so a handful of statements serve every round. */
static char *
lists_insert_sqlite (guint n)
{
  GString *sql = g_string_new ("INSERT INTO audit_participant_lists "
                               "(organisation_id, audit_id, participant_ids) "
                               "SELECT $1, column1, koers_uuid_list_pack (column2) "
                               "FROM (VALUES ");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s($%u, $%u)", i > 0 ? ", " : "", 2 + 2 * i, 3 + 2 * i);
  g_string_append (sql, ") WHERE column1 IS NOT NULL");
  return g_string_free (sql, FALSE);
}

/* SQLite: each list its own bound blob, so nothing reads it but the index (as part of the
 * rows' JSON, json_each read it again for each of its row's columns), 16 bytes an id as
 * schema version 4 stores it (koers_uuid_list_pack checks its length and passes it on): the
 * ids were checked and packed where the page was read. All in as few statements as can be:
 * FTS5 in SQLite 3.40 writes its pending terms out at the end of every statement, a new
 * segment each time. */
static gboolean
write_lists_sqlite (KoersServerAuditBatch *batch, KoersServerDb *db, GError **error)
{
  for (guint first = 0; first < batch->lists->len; first += LISTS_PER_STATEMENT)
    {
      guint n = MIN (batch->lists->len - first, LISTS_PER_STATEMENT);
      guint slots = 1;
      g_autofree KoersSqlValue *params = NULL;
      g_autofree char *sql = NULL;

      while (slots < n)
        slots *= 2;
      params = g_new0 (KoersSqlValue, 1 + 2 * slots);
      params[0] = KOERS_SQL_TEXT_VALUE (batch->organisation_id);
      for (guint i = 0; i < slots; i++)
        {
          const char *audit_id = i < n ? g_ptr_array_index (batch->list_audit_ids, first + i)
                                       : NULL;
          params[1 + 2 * i] = KOERS_SQL_TEXT_VALUE (audit_id);
          if (i < n)
            {
              gsize length;
              const void *ids = g_bytes_get_data (g_ptr_array_index (batch->lists, first + i),
                                                  &length);

              params[2 + 2 * i] = KOERS_SQL_BLOB_VALUE (ids, length);
            }
          else
            params[2 + 2 * i] = KOERS_SQL_NULL_VALUE;
        }
      sql = lists_insert_sqlite (slots);
      if (!koers_server_db_exec (db, sql, params, 1 + 2 * slots, NULL, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
koers_server_audit_batch_write (KoersServerAuditBatch *batch,
                                KoersServerDb         *db,
                                GError               **error)
{
  /* A row without a participant names the record's, if it has one (a participant is its
   * own), so "who touched this participant" finds reads of child records too. */
  static const char sql_sqlite[] =
    ENGINE_AUDIT_INSERT_SQL
    "SELECT r.value ->> 0, $1, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, "
    "r.value ->> 5, r.value ->> 6, "
    ENGINE_AUDIT_PARTICIPANT_SQL ("r.value ->> 7", "$1", "r.value ->> 5", "r.value ->> 6")
    ", NULL, r.value ->> 8, 'server' FROM json_each($2) AS r";
  /* On PostgreSQL the rows are taken apart first, into columns of their own (a CTE kept
   * MATERIALIZED, so the planner does not paste the expressions back): row-level security
   * lets a condition that calls a function which is not leakproof (->> is not) filter only
   * after the policy, never steer an index, so "x.entity = r.value ->> 5" made every row's
   * look-up read all of the organisation's records (a record read at 10,000 participants:
   * 25 ms of the backend, 40 reads a second). Against plain columns the look-up is one
   * probe of the primary key. A list's ids go into the index's table only (schema version
   * 9); an audit row has at most one list, so its audit id pairs the new list number with
   * the ids. */
  static const char sql_postgresql[] =
    "WITH r AS MATERIALIZED (SELECT e ->> 0 AS id, e ->> 1 AS occurred_at, e ->> 2 AS "
    "user_id, e ->> 3 AS device_id, e ->> 4 AS action, e ->> 5 AS entity, e ->> 6 AS "
    "record_id, e ->> 7 AS participant_id, e ->> 8 AS result "
    "FROM json_array_elements(CAST($2 AS json)) AS e), "
    "lists AS MATERIALIZED (SELECT e ->> 0 AS audit_id, "
    "(CAST($4 AS uuid[]))[CAST(e ->> 1 AS INTEGER) : "
    "CAST(e ->> 1 AS INTEGER) + CAST(e ->> 2 AS INTEGER) - 1] AS participant_ids "
    "FROM json_array_elements(CAST($3 AS json)) AS e), "
    "a AS (" ENGINE_AUDIT_INSERT_SQL
    "SELECT r.id, CAST($1 AS TEXT), r.occurred_at, r.user_id, r.device_id, r.action, "
    "r.entity, r.record_id, "
    ENGINE_AUDIT_PARTICIPANT_SQL ("r.participant_id", "CAST($1 AS TEXT)", "r.entity",
                                  "r.record_id")
    ", NULL, r.result, 'server' FROM r), "
    "l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id) "
    "SELECT CAST($1 AS TEXT), lists.audit_id FROM lists RETURNING list_id, audit_id) "
    "INSERT INTO audit_participant_index (list_id, participant_ids) "
    "SELECT l.list_id, lists.participant_ids FROM l JOIN lists ON lists.audit_id = l.audit_id";
  g_autofree char *lists = NULL;
  g_autoptr(GByteArray) all_ids = NULL;
  g_autoptr(KoersSqlRows) none = NULL;
  GError *db_error = NULL;

  g_return_val_if_fail (batch != NULL && db != NULL, FALSE);
  g_return_val_if_fail (!koers_server_db_in_transaction (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (batch->n_rows == 0)
    return TRUE;

  /* Closed for the statement and opened again after: the batch may be written twice (a
   * failed round is not retried today, but nothing here should assume it). */
  g_string_append_c (batch->rows, ']');
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (batch->organisation_id), KOERS_SQL_TEXT_VALUE (batch->rows->str),
      KOERS_SQL_TEXT_VALUE (NULL), KOERS_SQL_NULL_VALUE,
    };

    if (koers_server_db_get_backend (db) == KOERS_SERVER_DB_POSTGRESQL)
      {
        all_ids = g_byte_array_new ();
        lists = lists_json (batch, all_ids);
        params[2] = KOERS_SQL_TEXT_VALUE (lists);
        params[3] = KOERS_SQL_UUID_LIST_VALUE (all_ids->data, all_ids->len);
        /* One statement: the reads waiting for this commit wait one round trip less. */
        none = koers_server_db_query_read (db, batch->organisation_id, sql_postgresql, params,
                                           G_N_ELEMENTS (params), &db_error);
      }
    else if (koers_server_db_begin (db, batch->organisation_id, &db_error))
      {
        if (koers_server_db_exec (db, sql_sqlite, params, 2, NULL, &db_error)
            && write_lists_sqlite (batch, db, &db_error)
            && koers_server_db_commit (db, &db_error))
          {
            g_string_truncate (batch->rows, batch->rows->len - 1);
            return TRUE;
          }
        koers_server_db_rollback (db);
      }
  }
  g_string_truncate (batch->rows, batch->rows->len - 1);
  if (none != NULL)
    return TRUE;
  engine_propagate_db_error (error, db_error);
  return FALSE;
}
