/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server audit trail: who read or changed which participant's data, when, and whether it
 * worked; never what the data said. Clients upload their own local events to the same table.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include "server/koers-server-audit-batch.h"
#include "server/koers-server-schema.h"

#include "core/koers-bsn.h"
#include "core/koers-date.h"
#include "core/koers-text.h"
#include "core/koers-uuid.h"

#include <string.h>

#define AUDIT_MAX_UPLOAD 500
#define AUDIT_MAX_LIMIT 500
/* What a listed row costs in the answer besides its list of participants (a list is up to 500
 * ids, 18.5 KB): with ENGINE_PAGE_BYTES it keeps a page of rows of big lists to a few MiB. */
#define AUDIT_ROW_BYTES 400

static const char * const audit_actions[] = {
  "lezen", "zoeken", "aanmaken", "wijzigen", "verwijderen", "herstellen", "wissen",
  "synchroniseren", "exporteren", NULL,
};

static gboolean
invalid (GError **error, const char *place, const char *reason)
{
  g_set_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID, "%s: %s",
               place, reason);
  return FALSE;
}

/* @participant_id (nullable): when NULL, the participant of the record @entity/@record_id
 * (a participant is its own), so "who touched this participant" finds child records too. */
static gboolean
insert_event (KoersServerDb *db, const KoersServerCaller *caller, const char *id,
              const char *occurred_at, const char *action, const char *entity,
              const char *record_id, const char *participant_id, const char *purpose,
              gboolean success, const char *origin, KoersServerDbErrorFunc deferred_error,
              guint64 *out_changes, GError **error)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (caller->organisation_id),
    KOERS_SQL_TEXT_VALUE (occurred_at), KOERS_SQL_TEXT_VALUE (caller->user_id),
    KOERS_SQL_TEXT_VALUE (caller->device_id), KOERS_SQL_TEXT_VALUE (action),
    KOERS_SQL_TEXT_VALUE (entity), KOERS_SQL_TEXT_VALUE (record_id),
    KOERS_SQL_TEXT_VALUE (purpose), KOERS_SQL_TEXT_VALUE (success ? "gelukt" : "mislukt"),
    KOERS_SQL_TEXT_VALUE (origin), KOERS_SQL_TEXT_VALUE (participant_id),
  };

  /* A retried upload must not count an event twice. */
  static const char sql[] =
    ENGINE_AUDIT_INSERT_SQL
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, "
    ENGINE_AUDIT_PARTICIPANT_SQL ("CAST($12 AS TEXT)", "$2", "$7", "$8")
    ", $9, $10, $11) "
    "ON CONFLICT (organisation_id, id) DO NOTHING";

  if (deferred_error != NULL)
    return koers_server_db_exec_deferred (db, sql, params, G_N_ELEMENTS (params),
                                          deferred_error, error);
  return koers_server_db_exec (db, sql, params, G_N_ELEMENTS (params), out_changes, error);
}

/* No audit, no answer: whatever the storage said, the request is refused as unavailable
 * (503) and its transaction rolled back. */
static void
audit_unavailable (GError **error)
{
  g_message ("koers-server: audit row not written: %s", (*error)->message);
  g_clear_error (error);
  g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE,
                       "Het auditlogboek is niet bereikbaar; probeer het later opnieuw");
}

gboolean
engine_audit_insert (KoersServerEngine *engine, const KoersServerCaller *caller,
                     const char *action, const char *entity, const char *record_id,
                     const char *participant_id, const char *purpose, gboolean success,
                     GError **error)
{
  g_autofree char *id = koers_uuid_new_time_ordered ();
  g_autofree char *now = engine_now_iso (engine);
  GError *db_error = NULL;

  if (insert_event (engine->db, caller, id, now, action, entity, record_id, participant_id,
                    purpose, success, "server", NULL, NULL, &db_error))
    return TRUE;
  audit_unavailable (&db_error);
  g_propagate_error (error, db_error);
  return FALSE;
}

gboolean
engine_audit_insert_deferred (KoersServerEngine *engine, const KoersServerCaller *caller,
                              const char *action, const char *entity, const char *record_id,
                              const char *participant_id, const char *purpose,
                              gboolean success, GError **error)
{
  g_autofree char *id = koers_uuid_new_time_ordered ();
  g_autofree char *now = engine_now_iso (engine);

  /* Its error, now or when it is sent, passes through audit_unavailable. */
  return insert_event (engine->db, caller, id, now, action, entity, record_id, participant_id,
                       purpose, success, "server", audit_unavailable, NULL, error);
}

/* One failed-request row in its own transaction, after the request's own was rolled back.
 * When even that fails, the answer becomes 503: nothing was written and nothing unaudited
 * goes out. */
void
engine_audit_failure (KoersServerEngine *engine, const KoersServerCaller *caller,
                      const char *action, const char *entity, const char *record_id,
                      const char *purpose, GError **error)
{
  GError *db_error = NULL;

  if (error != NULL && *error != NULL
      && ((*error)->domain == KOERS_SERVER_DB_ERROR
          || g_error_matches (*error, KOERS_SERVER_ENGINE_ERROR,
                              KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE)))
    return;
  if (koers_server_db_begin_read (engine->db, caller->organisation_id, &db_error)
      && engine_audit_insert (engine, caller, action, entity,
                              koers_uuid_is_valid (record_id) ? record_id : NULL, NULL, purpose,
                              FALSE, &db_error)
      && koers_server_db_commit (engine->db, &db_error))
    return;
  koers_server_db_rollback (engine->db);
  if (error != NULL)
    g_clear_error (error);
  engine_propagate_db_error (error, db_error);
  if (error != NULL && *error != NULL && (*error)->domain == KOERS_SERVER_DB_ERROR)
    {
      g_clear_error (error);
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR,
                           KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE,
                           "Het auditlogboek is niet bereikbaar");
    }
}

/**
 * koers_server_engine_audit:
 *
 * Runs inside the caller's open transaction when there is one (so the audit row commits with
 * the change it describes), else in its own.
 */
gboolean
koers_server_engine_audit (KoersServerEngine *engine, const KoersServerCaller *caller,
                           const char *action, const char *entity, const char *record_id,
                           const char *purpose, gboolean success, GError **error)
{
  gboolean own_transaction;
  GError *db_error = NULL;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (action != NULL && g_strv_contains (audit_actions, action), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  own_transaction = !koers_server_db_in_transaction (engine->db);
  if (own_transaction
      && !koers_server_db_begin_read (engine->db, caller->organisation_id, &db_error))
    return engine_propagate_db_error (error, db_error), FALSE;
  if (!engine_audit_insert (engine, caller, action, entity, record_id, NULL, purpose, success,
                            &db_error)
      || (own_transaction && !koers_server_db_commit (engine->db, &db_error)))
    {
      if (own_transaction)
        koers_server_db_rollback (engine->db);
      return engine_propagate_db_error (error, db_error), FALSE;
    }
  return TRUE;
}

gboolean
engine_audit_action_is_known (const char *action)
{
  return action != NULL && g_strv_contains (audit_actions, action);
}

/**
 * koers_server_engine_audit_page:
 *
 * See koers-server-engine.h. The rows go in through an audit batch: one statement, one
 * transaction.
 */
gboolean
koers_server_engine_audit_page (KoersServerEngine *engine, const KoersServerCaller *caller,
                                const char *action, const char *entity, JsonNode *page,
                                gboolean success, GError **error)
{
  g_autoptr (KoersServerParticipantSet) participants = koers_server_audit_page_participants (page);

  return koers_server_engine_audit_participants (engine, caller, action, entity, participants,
                                                 success, error);
}

gboolean
koers_server_engine_audit_participants (KoersServerEngine *engine,
                                        const KoersServerCaller *caller, const char *action,
                                        const char *entity, KoersServerParticipantSet *participants,
                                        gboolean success, GError **error)
{
  g_autoptr (KoersServerAuditBatch) batch = NULL;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (engine_audit_action_is_known (action), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  batch = koers_server_audit_batch_new (caller->organisation_id);
  koers_server_audit_batch_add_participants (batch, engine, caller, action, entity,
                                             participants, success);
  return koers_server_audit_batch_write (batch, engine->db, error);
}

static void
add_nullable (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/* The cursor is the last event's time and id, so pages follow the order events happened. */
static char *
make_cursor (const char *occurred_at, const char *id)
{
  return g_strconcat (occurred_at, "_", id, NULL);
}

static gboolean
split_cursor (const char *cursor, char **out_time, char **out_id)
{
  const char *sep = strrchr (cursor, '_');

  if (sep == NULL || !koers_uuid_is_valid (sep + 1))
    return FALSE;
  *out_time = g_strndup (cursor, (gsize) (sep - cursor));
  *out_id = g_strdup (sep + 1);
  return koers_timestamp_is_valid_iso (*out_time);
}

/* The audit list's query; @filtered: only the rows about one record or participant ($2).
 * The parameters are the same in every variant ($2 NULL without a filter), and $6, SQLite's
 * full-text query for the participant, only where it is used. A row of a read of several
 * records names the participant it was found by in deelnemerId. */
static char *
audit_list_sql (gboolean postgresql, gboolean filtered)
{
  const char *filter;

  /* Each way a row can be about the participant is a look-up of its own index; an OR of
   * them in one condition read every audit row of the organisation. */
  if (!filtered)
    filter = "CAST($2 AS TEXT) IS NULL";
  else if (postgresql)
    filter = "a.id IN (SELECT id FROM audit WHERE organisation_id = $1 AND record_id = $2 "
             "UNION ALL SELECT id FROM audit WHERE organisation_id = $1 "
             "AND participant_id = $2 "
             "UNION ALL SELECT l.audit_id FROM audit_participant_lists l "
             "WHERE l.organisation_id = $1 AND l.list_id IN ("
             KOERS_SERVER_PG_LISTS_NAMING "))";
  else
    filter = "a.id IN (SELECT id FROM audit WHERE organisation_id = $1 AND record_id = $2 "
             "UNION ALL SELECT id FROM audit WHERE organisation_id = $1 "
             "AND participant_id = $2 "
             "UNION ALL SELECT l.audit_id FROM audit_participant_lists l "
             "WHERE l.organisation_id = $1 AND l.list_id IN (SELECT rowid "
             "FROM audit_participant_index WHERE audit_participant_index MATCH $6))";
  /* The list only where it is shown: asked about one participant, a row names only her.
   * SQLite keeps a list as 16 bytes an id since schema version 4 (koers_uuid_list);
   * PostgreSQL as an array of uuids since version 8, in the index's table only since
   * version 9, reached through the list number of a list the policy lets through. */
  return g_strconcat ("SELECT a.id, a.occurred_at, a.user_id, a.device_id, a.action, "
                      "a.entity, a.record_id, a.purpose, a.result, a.origin, "
                      "COALESCE (a.participant_id, CASE WHEN l.audit_id IS NOT NULL "
                      "THEN CAST($2 AS TEXT) END), ",
                      postgresql ? "CASE WHEN CAST($2 AS TEXT) IS NULL "
                                   "THEN array_to_string (i.participant_ids, ' ') END "
                                 : "CASE WHEN CAST($2 AS TEXT) IS NULL "
                                   "THEN koers_uuid_list (l.participant_ids) END ",
                      "FROM audit a LEFT JOIN audit_participant_lists l "
                      "ON l.organisation_id = a.organisation_id AND l.audit_id = a.id ",
                      postgresql ? "LEFT JOIN audit_participant_index i "
                                   "ON i.list_id = l.list_id "
                                 : "",
                      "WHERE a.organisation_id = $1 AND ", filter,
                      " AND (CAST($3 AS TEXT) IS NULL OR a.occurred_at > $3 "
                      "OR (a.occurred_at = $3 AND a.id > $4)) "
                      "ORDER BY a.occurred_at, a.id LIMIT $5", NULL);
}

/* "deelnemerIds": the space-separated @list as an array, or null. */
static void
add_participant_list (JsonBuilder *builder, const char *list)
{
  g_auto(GStrv) ids = list != NULL ? g_strsplit (list, " ", -1) : NULL;

  json_builder_set_member_name (builder, "deelnemerIds");
  if (ids == NULL)
    {
      json_builder_add_null_value (builder);
      return;
    }
  json_builder_begin_array (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    json_builder_add_string_value (builder, ids[i]);
  json_builder_end_array (builder);
}

/**
 * koers_server_engine_list_audit:
 *
 * Returns: (transfer full) (nullable): {"items": [{"id", "plaatsgevondenOp", "gebruikerId",
 *   "apparaatId", "actie", "entiteit", "recordId", "deelnemerId", "deelnemerIds", "doel",
 *   "resultaat", "herkomst"}],
 *   "volgendeCursor"}.
 */
JsonNode *
koers_server_engine_list_audit (KoersServerEngine *engine, const KoersServerCaller *caller,
                                const char *record_id, const KoersServerListQuery *query,
                                GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *after_time = NULL;
  g_autofree char *after_id = NULL;
  g_autofree char *next = NULL;
  GError *db_error = NULL;
  gsize bytes = 0;
  guint n, shown;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (caller->role != KOERS_SERVER_ROLE_ONDERSTEUNER)
    {
      g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                           "Alleen een ondersteuner ziet het auditlogboek");
      return NULL;
    }
  if (query->limit < 1 || query->limit > AUDIT_MAX_LIMIT)
    return invalid (error, "limiet", "moet tussen 1 en 500 liggen"), NULL;
  if (record_id != NULL && !koers_uuid_is_valid (record_id))
    return invalid (error, "recordId", "moet een UUID in kleine letters zijn"), NULL;
  if (query->cursor != NULL && !split_cursor (query->cursor, &after_time, &after_id))
    return invalid (error, "cursor", "is geen cursor van deze lijst"), NULL;

  {
    gboolean postgresql = koers_server_db_get_backend (engine->db) == KOERS_SERVER_DB_POSTGRESQL;
    g_autofree char *match = record_id != NULL ? g_strdup_printf ("\"%s\"", record_id) : NULL;
    g_autofree char *sql = audit_list_sql (postgresql, record_id != NULL);
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE (record_id),
      KOERS_SQL_TEXT_VALUE (after_time), KOERS_SQL_TEXT_VALUE (after_id),
      KOERS_SQL_INT_VALUE (query->limit + 1), KOERS_SQL_TEXT_VALUE (match),
    };

    /* $6 only where the SQL has it: PostgreSQL refuses a parameter it cannot type. */
    rows = koers_server_db_query_read (engine->db, caller->organisation_id, sql, params,
                                       G_N_ELEMENTS (params) - (postgresql || match == NULL),
                                       &db_error);
    if (rows == NULL)
      return engine_propagate_db_error (error, db_error), NULL;
  }

  n = koers_sql_rows_get_n_rows (rows);
  shown = MIN (n, query->limit);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < shown; i++)
    {
      const char *list = koers_sql_rows_get_text (rows, i, 11);

      /* Full: the page ends before this row, the cursor after the one before it. */
      bytes += AUDIT_ROW_BYTES + (list != NULL ? strlen (list) : 0);
      if (i > 0 && bytes > ENGINE_PAGE_BYTES)
        {
          shown = i;
          break;
        }
      json_builder_begin_object (builder);
      add_nullable (builder, "id", koers_sql_rows_get_text (rows, i, 0));
      add_nullable (builder, "plaatsgevondenOp", koers_sql_rows_get_text (rows, i, 1));
      add_nullable (builder, "gebruikerId", koers_sql_rows_get_text (rows, i, 2));
      add_nullable (builder, "apparaatId", koers_sql_rows_get_text (rows, i, 3));
      add_nullable (builder, "actie", koers_sql_rows_get_text (rows, i, 4));
      add_nullable (builder, "entiteit", koers_sql_rows_get_text (rows, i, 5));
      add_nullable (builder, "recordId", koers_sql_rows_get_text (rows, i, 6));
      add_nullable (builder, "deelnemerId", koers_sql_rows_get_text (rows, i, 10));
      /* Asked about one participant, a row names only her: who else a list or a page
       * carried is other people's business (and would end up in her access request). The
       * query leaves the list out then. */
      add_participant_list (builder, record_id == NULL ? list : NULL);
      add_nullable (builder, "doel", koers_sql_rows_get_text (rows, i, 7));
      add_nullable (builder, "resultaat", koers_sql_rows_get_text (rows, i, 8));
      add_nullable (builder, "herkomst", koers_sql_rows_get_text (rows, i, 9));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (shown < n)
    next = make_cursor (koers_sql_rows_get_text (rows, shown - 1, 1),
                        koers_sql_rows_get_text (rows, shown - 1, 0));
  add_nullable (builder, "volgendeCursor", next);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static const char *
optional_string (JsonObject *object, const char *name, gboolean *out_ok)
{
  JsonNode *node = json_object_get_member (object, name);

  *out_ok = TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *out_ok = FALSE;
      return NULL;
    }
  return json_node_get_string (node);
}

/* Checks one uploaded event; on failure names the member. */
static gboolean
check_event (JsonNode *node, guint index, GError **error)
{
  g_autofree char *place = NULL;
  JsonObject *event;
  const char *text;
  gboolean ok;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      place = g_strdup_printf ("gebeurtenissen[%u]", index);
      return invalid (error, place, "moet een object zijn");
    }
  event = json_node_get_object (node);
#define FAIL(member, reason) \
  { place = g_strdup_printf ("gebeurtenissen[%u]." member, index); \
    return invalid (error, place, reason); }
  text = optional_string (event, "id", &ok);
  if (!koers_uuid_is_valid (text))
    FAIL ("id", "moet een UUID in kleine letters zijn")
  text = optional_string (event, "plaatsgevondenOp", &ok);
  if (text == NULL || !koers_timestamp_is_valid_iso (text))
    FAIL ("plaatsgevondenOp", "moet een tijdstip JJJJ-MM-DDTUU:MM:SSZ zijn")
  text = optional_string (event, "actie", &ok);
  if (text == NULL || !g_strv_contains (audit_actions, text))
    FAIL ("actie", "is geen bekende actie")
  text = optional_string (event, "entiteit", &ok);
  if (!ok || (text != NULL && koers_sync_entity_lookup (text) == NULL))
    FAIL ("entiteit", "is geen bekende entiteit")
  text = optional_string (event, "recordId", &ok);
  if (!ok || (text != NULL && !koers_uuid_is_valid (text)))
    FAIL ("recordId", "moet een UUID in kleine letters zijn")
  text = optional_string (event, "doel", &ok);
  if (!ok || (text != NULL && (g_utf8_strlen (text, -1) > 200
                               || !koers_text_check_single_line (text, NULL))))
    FAIL ("doel", "moet tekst van hoogstens 200 tekens op een regel zijn")
  /* The purpose is free text a person typed: it may not carry a BSN (RELIABILITY.md). */
  if (text != NULL && koers_text_find_bsn_like (text) != NULL)
    FAIL ("doel", "mag geen burgerservicenummer bevatten")
  text = optional_string (event, "resultaat", &ok);
  if (!ok || (text != NULL && !g_str_equal (text, "gelukt") && !g_str_equal (text, "mislukt")))
    FAIL ("resultaat", "moet gelukt of mislukt zijn")
#undef FAIL
  return TRUE;
}

/**
 * koers_server_engine_upload_audit:
 *
 * The request is {"gebeurtenissen": [{"id", "plaatsgevondenOp", "actie", "entiteit"?,
 * "recordId"?, "doel"?, "resultaat"?}]}; all are checked before any is stored, and an event
 * sent again is stored once (*out_n_stored counts the new ones).
 */
gboolean
koers_server_engine_upload_audit (KoersServerEngine *engine, const KoersServerCaller *caller,
                                  JsonNode *request, guint *out_n_stored, GError **error)
{
  JsonNode *list;
  JsonArray *events;
  GError *db_error = NULL;
  guint stored = 0;

  g_return_val_if_fail (engine != NULL, FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (out_n_stored != NULL)
    *out_n_stored = 0;
  if (request == NULL || !JSON_NODE_HOLDS_OBJECT (request))
    return invalid (error, "verzoek", "moet een object zijn");
  list = json_object_get_member (json_node_get_object (request), "gebeurtenissen");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    return invalid (error, "gebeurtenissen", "moet een lijst zijn");
  events = json_node_get_array (list);
  if (json_array_get_length (events) > AUDIT_MAX_UPLOAD)
    return invalid (error, "gebeurtenissen", "mag hoogstens 500 gebeurtenissen bevatten");
  for (guint i = 0; i < json_array_get_length (events); i++)
    if (!check_event (json_array_get_element (events, i), i, error))
      return FALSE;

  /* Audit rows need no volgnummer, so not the organisation's write lock either. */
  if (!koers_server_db_begin_read (engine->db, caller->organisation_id, &db_error))
    return engine_propagate_db_error (error, db_error), FALSE;
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      gboolean ok;
      const char *result = optional_string (event, "resultaat", &ok);
      guint64 changes = 0;

      if (!insert_event (engine->db, caller, json_object_get_string_member (event, "id"),
                         json_object_get_string_member (event, "plaatsgevondenOp"),
                         json_object_get_string_member (event, "actie"),
                         optional_string (event, "entiteit", &ok),
                         optional_string (event, "recordId", &ok), NULL,
                         optional_string (event, "doel", &ok),
                         g_strcmp0 (result, "mislukt") != 0, "client", NULL, &changes,
                         &db_error))
        {
          koers_server_db_rollback (engine->db);
          return engine_propagate_db_error (error, db_error), FALSE;
        }
      stored += (guint) changes;
    }
  if (!koers_server_db_commit (engine->db, &db_error))
    {
      koers_server_db_rollback (engine->db);
      return engine_propagate_db_error (error, db_error), FALSE;
    }
  if (out_n_stored != NULL)
    *out_n_stored = stored;
  return TRUE;
}
