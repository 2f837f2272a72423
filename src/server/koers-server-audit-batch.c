/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-audit-batch.h"

#include "server/koers-server-engine-private.h"
#include "sync/koers-sync-json.h"

#include "core/koers-uuid.h"

/* The rows travel to the database as one JSON array of arrays, taken apart there by one
 * INSERT ... SELECT: one statement for all the reads that share a commit. */
struct _KoersServerAuditBatch
{
  char    *organisation_id;
  GString *rows;     /* "[[id, occurredAt, user, device, action, entity, record, participant,
                      * result, participants], ..." without its closing bracket; participants
                      * is the space-separated list of a read of several records, or null */
  guint    n_rows;
  guint    n_lists;  /* rows with participants: record reads alone need no list statement */
};

KoersServerAuditBatch *
koers_server_audit_batch_new (const char *organisation_id)
{
  KoersServerAuditBatch *batch;

  g_return_val_if_fail (organisation_id != NULL, NULL);

  batch = g_new0 (KoersServerAuditBatch, 1);
  batch->organisation_id = g_strdup (organisation_id);
  batch->rows = g_string_new ("[");
  return batch;
}

void
koers_server_audit_batch_free (KoersServerAuditBatch *batch)
{
  if (batch == NULL)
    return;

  g_free (batch->organisation_id);
  g_string_free (batch->rows, TRUE);
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
            const char *record_id, const char *participant_id, const char *participant_list,
            gboolean success)
{
  g_autofree char *id = koers_uuid_new_time_ordered ();
  const char *values[] = {
    id, occurred_at, caller->user_id, caller->device_id, action, entity, record_id,
    participant_id, success ? "gelukt" : "mislukt", participant_list,
  };

  g_string_append (batch->rows, batch->n_rows == 0 ? "[" : ",[");
  for (guint i = 0; i + 1 < G_N_ELEMENTS (values); i++)
    {
      koers_sync_json_append_string (batch->rows, values[i]);
      g_string_append_c (batch->rows, ',');
    }
  /* The list is UUIDs checked one by one and spaces (add_participants): nothing to escape in
   * its ~18 KB for a feed page. */
  if (participant_list != NULL)
    {
      g_string_append_c (batch->rows, '"');
      g_string_append (batch->rows, participant_list);
      g_string_append_c (batch->rows, '"');
    }
  else
    g_string_append (batch->rows, "null");
  g_string_append_c (batch->rows, ']');
  batch->n_rows++;
  if (participant_list != NULL)
    batch->n_lists++;
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

GPtrArray *
koers_server_audit_page_participants (JsonNode *page)
{
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *participants = g_ptr_array_new_with_free_func (g_free);
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
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      const char *participant = JSON_NODE_HOLDS_OBJECT (node)
                                ? item_participant (json_node_get_object (node)) : NULL;

      if (participant != NULL && g_hash_table_add (seen, (gpointer) participant))
        g_ptr_array_add (participants, g_strdup (participant));
    }
  return participants;
}

void
koers_server_audit_batch_add_participants (KoersServerAuditBatch   *batch,
                                           KoersServerEngine       *engine,
                                           const KoersServerCaller *caller,
                                           const char              *action,
                                           const char              *entity,
                                           GPtrArray               *participants,
                                           gboolean                 success)
{
  g_autoptr(GString) list = g_string_sized_new (participants != NULL ? participants->len * 37 : 0);
  g_autofree char *now = NULL;

  g_return_if_fail (batch != NULL && engine != NULL && caller != NULL);
  g_return_if_fail (g_str_equal (caller->organisation_id, batch->organisation_id));
  g_return_if_fail (engine_audit_action_is_known (action));

  now = engine_now_iso (engine);
  /* One row naming them all (schema version 2). The list's ids are tokens of the index that
   * finds the row by participant, so only UUIDs join it; anything else (never written by this
   * server, but the store is not ours alone) keeps a row of its own rather than go unrecorded. */
  for (guint i = 0; participants != NULL && i < participants->len; i++)
    {
      const char *participant = g_ptr_array_index (participants, i);

      if (koers_sync_is_uuid (participant))
        {
          if (list->len > 0)
            g_string_append_c (list, ' ');
          g_string_append (list, participant);
        }
      else
        append_row (batch, now, caller, action, entity, NULL, participant, NULL, success);
    }
  /* A request that carried nobody's data still leaves one row, naming nobody. */
  if (list->len > 0 || participants == NULL || participants->len == 0)
    append_row (batch, now, caller, action, entity, NULL, NULL,
                list->len > 0 ? list->str : NULL, success);
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
  /* The participants of a read of several records; the index follows by a trigger. */
  static const char sql_sqlite_lists[] =
    "INSERT INTO audit_participant_lists (organisation_id, audit_id, participant_ids) "
    "SELECT $1, r.value ->> 0, r.value ->> 9 FROM json_each($2) AS r "
    "WHERE r.value ->> 9 IS NOT NULL";
  /* On PostgreSQL the rows are taken apart first, into columns of their own (a CTE kept
   * MATERIALIZED, so the planner does not paste the expressions back): row-level security
   * lets a condition that calls a function which is not leakproof (->> is not) filter only
   * after the policy, never steer an index, so "x.entity = r.value ->> 5" made every row's
   * look-up read all of the organisation's records (a record read at 10,000 participants:
   * 25 ms of the backend, 40 reads a second). Against plain columns the look-up is one
   * probe of the primary key. */
  static const char sql_postgresql[] =
    "WITH r AS MATERIALIZED (SELECT e ->> 0 AS id, e ->> 1 AS occurred_at, e ->> 2 AS "
    "user_id, e ->> 3 AS device_id, e ->> 4 AS action, e ->> 5 AS entity, e ->> 6 AS "
    "record_id, e ->> 7 AS participant_id, e ->> 8 AS result, e ->> 9 AS participant_ids "
    "FROM json_array_elements(CAST($2 AS json)) AS e), "
    "a AS (" ENGINE_AUDIT_INSERT_SQL
    "SELECT r.id, CAST($1 AS TEXT), r.occurred_at, r.user_id, r.device_id, r.action, "
    "r.entity, r.record_id, "
    ENGINE_AUDIT_PARTICIPANT_SQL ("r.participant_id", "CAST($1 AS TEXT)", "r.entity",
                                  "r.record_id")
    ", NULL, r.result, 'server' FROM r), "
    "l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id, participant_ids) "
    "SELECT CAST($1 AS TEXT), r.id, r.participant_ids FROM r "
    "WHERE r.participant_ids IS NOT NULL) "
    "INSERT INTO audit_participants (organisation_id, participant_id, audit_id) "
    "SELECT CAST($1 AS TEXT), CAST(p.id AS uuid), r.id FROM r "
    "CROSS JOIN LATERAL unnest (string_to_array (r.participant_ids, ' ')) AS p (id) "
    "WHERE r.participant_ids IS NOT NULL";
  g_autofree char *rows = NULL;
  g_autoptr(KoersSqlRows) none = NULL;
  GError *db_error = NULL;

  g_return_val_if_fail (batch != NULL && db != NULL, FALSE);
  g_return_val_if_fail (!koers_server_db_in_transaction (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (batch->n_rows == 0)
    return TRUE;

  rows = g_strconcat (batch->rows->str, "]", NULL);
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (batch->organisation_id), KOERS_SQL_TEXT_VALUE (rows),
    };

    if (koers_server_db_get_backend (db) == KOERS_SERVER_DB_POSTGRESQL)
      {
        /* One statement: the reads waiting for this commit wait one round trip less. */
        none = koers_server_db_query_read (db, batch->organisation_id, sql_postgresql, params,
                                           G_N_ELEMENTS (params), &db_error);
      }
    else if (koers_server_db_begin (db, batch->organisation_id, &db_error))
      {
        if (koers_server_db_exec (db, sql_sqlite, params, G_N_ELEMENTS (params), NULL,
                                  &db_error)
            && (batch->n_lists == 0
                || koers_server_db_exec (db, sql_sqlite_lists, params, G_N_ELEMENTS (params),
                                         NULL, &db_error))
            && koers_server_db_commit (db, &db_error))
          return TRUE;
        koers_server_db_rollback (db);
      }
  }
  if (none != NULL)
    return TRUE;
  engine_propagate_db_error (error, db_error);
  return FALSE;
}
