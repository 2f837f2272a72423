/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-engine.h"

#include "core/koers-text.h"
#include "core/koers-uuid.h"
#include "server/koers-server-engine-private.h"

#include <string.h>

G_DEFINE_QUARK (koers-server-engine-error-quark, koers_server_engine_error)

/**
 * koers_server_engine_new:
 * @db: (transfer none): the storage; must outlive the engine
 *
 * Returns: (transfer full): a new engine.
 */
KoersServerEngine *
koers_server_engine_new (KoersServerDb *db)
{
  KoersServerEngine *engine;

  g_return_val_if_fail (db != NULL, NULL);

  engine = g_new0 (KoersServerEngine, 1);
  engine->db = db;
  return engine;
}

void
koers_server_engine_free (KoersServerEngine *engine)
{
  g_free (engine);
}

/* Returns: (transfer none): the storage. */
KoersServerDb *
koers_server_engine_get_db (KoersServerEngine *engine)
{
  g_return_val_if_fail (engine != NULL, NULL);
  return engine->db;
}

/**
 * koers_server_engine_set_clock:
 * @engine: the engine
 * @now: (nullable): returns the current time (transfer full); NULL restores the real clock
 * @user_data: for @now
 *
 * Every timestamp the engine writes comes from this one clock, so tests can pin it. A
 * server's reader threads call it too (koers-server-readers.c): @now must be thread-safe and
 * @user_data must outlive the reads under way.
 */
void
koers_server_engine_set_clock (KoersServerEngine *engine,
                               GDateTime *(*now) (gpointer user_data),
                               gpointer user_data)
{
  g_return_if_fail (engine != NULL);
  engine->clock = now;
  engine->clock_data = user_data;
}

char *
engine_now_iso (KoersServerEngine *engine)
{
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) utc = NULL;

  now = engine->clock != NULL ? engine->clock (engine->clock_data) : g_date_time_new_now_utc ();
  utc = g_date_time_to_utc (now);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

void
engine_propagate_db_error (GError **dest, GError *src)
{
  if (src == NULL)
    {
      g_set_error_literal (dest, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE,
                           "De opslag gaf een onbekende fout");
      return;
    }
  if (src->domain == KOERS_SERVER_DB_ERROR && src->code == KOERS_SERVER_DB_ERROR_BUSY)
    {
      g_set_error_literal (dest, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE,
                           "De opslag is tijdelijk niet beschikbaar; probeer het later opnieuw");
      g_error_free (src);
      return;
    }
  g_propagate_error (dest, src);
}

/* --- results ------------------------------------------------------------------------------ */

void
engine_result_init (EngineResult *result)
{
  memset (result, 0, sizeof *result);
  result->status = "toegepast";
  result->conflicts = g_ptr_array_new_with_free_func (g_free);
}

void
engine_result_clear (EngineResult *result)
{
  g_clear_pointer (&result->conflicts, g_ptr_array_unref);
  g_clear_pointer (&result->reason, g_free);
  g_clear_pointer (&result->reject_field, g_free);
}

/* A member name comes from the request: only a short, printable one is echoed back, so a
 * reason never carries a megabyte or a control character of someone's input. */
static const char *
echoable_name (const char *name)
{
  if (name == NULL)
    return NULL;
  if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 64 || *name == '\0')
    return "(onbekend veld)";
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_type (c) == G_UNICODE_FORMAT)
        return "(onbekend veld)";
    }
  return name;
}

/* What an entity write answers for each refusal (404, 403, 409, 400). */
static EngineReject
reject_kind (KoersSyncRefusal refusal)
{
  switch (refusal)
    {
    case KOERS_SYNC_REFUSAL_NOT_FOUND:
    case KOERS_SYNC_REFUSAL_ERASED:
      return ENGINE_REJECT_NOT_FOUND;
    case KOERS_SYNC_REFUSAL_SERVER_FIELD:
    case KOERS_SYNC_REFUSAL_OWN_CASELOAD:
    case KOERS_SYNC_REFUSAL_SUPPORT_ONLY:
    case KOERS_SYNC_REFUSAL_APPEND_ONLY:
    case KOERS_SYNC_REFUSAL_ACTION:
      return ENGINE_REJECT_FORBIDDEN;
    case KOERS_SYNC_REFUSAL_ID_TAKEN:
    case KOERS_SYNC_REFUSAL_RESOLVED:
      return ENGINE_REJECT_CONFLICT;
    case KOERS_SYNC_REFUSAL_INVALID_VALUE:
    case KOERS_SYNC_REFUSAL_UNKNOWN_FIELD:
    case KOERS_SYNC_REFUSAL_FIXED_FIELD:
    case KOERS_SYNC_REFUSAL_NOT_A_COACH:
    case KOERS_SYNC_REFUSAL_DELETED:
    case KOERS_SYNC_REFUSAL_OUTCOME_MISSING:
    case KOERS_SYNC_REFUSAL_CLOSED:
    case KOERS_SYNC_REFUSAL_TRANSITION:
    case KOERS_SYNC_REFUSAL_MALFORMED:
      return ENGINE_REJECT_INVALID;
    case KOERS_SYNC_REFUSAL_UNKNOWN:
    case KOERS_SYNC_REFUSAL_OUT_OF_SCOPE:
    case KOERS_SYNC_REFUSAL_ERASED_HERE:
    case KOERS_SYNC_REFUSAL_N:
    default:
      break;
    }
  g_assert_not_reached ();
}

gboolean
engine_reject (EngineResult *result, KoersSyncRefusal refusal, const char *field, char *reason)
{
  field = echoable_name (field);
  result->status = "afgewezen";
  result->version = 0;
  g_ptr_array_set_size (result->conflicts, 0);
  result->reject = reject_kind (refusal);
  result->refusal = refusal;
  g_free (result->reason);
  g_free (result->reject_field);
  result->reject_field = g_strdup (field);
  result->reason = field != NULL ? g_strdup_printf ("%s: %s", field, reason) : g_strdup (reason);
  g_free (reason);
  return TRUE;
}

/* The stored and returned result of one mutation ("herhaald" is set by the caller). */
JsonNode *
engine_result_to_json (const EngineMutation *mutation, const EngineResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutatieId");
  json_builder_add_string_value (builder, mutation->mutation_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, result->status);
  json_builder_set_member_name (builder, "versie");
  if (result->version > 0)
    json_builder_add_int_value (builder, result->version);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "conflicten");
  json_builder_begin_array (builder);
  for (guint i = 0; i < result->conflicts->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (result->conflicts, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "reden");
  if (result->reason != NULL)
    json_builder_add_string_value (builder, result->reason);
  else
    json_builder_add_null_value (builder);
  /* Only a refusal has a code; a client shows it in its user's language, the sentence stays
   * for the clients (and people) that do not know the code. */
  if (result->refusal != KOERS_SYNC_REFUSAL_UNKNOWN)
    {
      json_builder_set_member_name (builder, "redenCode");
      json_builder_add_string_value (builder, koers_sync_refusal_to_code (result->refusal));
      json_builder_set_member_name (builder, "veld");
      if (result->reject_field != NULL)
        json_builder_add_string_value (builder, result->reject_field);
      else
        json_builder_add_null_value (builder);
    }
  json_builder_set_member_name (builder, "herhaald");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* --- records ------------------------------------------------------------------------------ */

void
engine_record_free (EngineRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->entity);
  g_free (record->id);
  g_free (record->scope_coach_id);
  g_free (record->participant_id);
  g_clear_pointer (&record->fields, json_object_unref);
  g_free (record->created_at);
  g_free (record->created_by);
  g_free (record->updated_at);
  g_free (record->updated_by);
  g_free (record);
}

void
engine_mutation_free (EngineMutation *mutation)
{
  if (mutation == NULL)
    return;
  g_free (mutation->mutation_id);
  g_free (mutation->entity_name);
  g_free (mutation->record_id);
  g_clear_pointer (&mutation->fields, json_object_unref);
  g_free (mutation);
}

EngineRecord *
engine_record_from_row (KoersSqlRows *rows, guint row, guint c)
{
  EngineRecord *record = g_new0 (EngineRecord, 1);

  record->entity = g_strdup (koers_sql_rows_get_text (rows, row, c + 0));
  record->id = g_strdup (koers_sql_rows_get_text (rows, row, c + 1));
  record->version = koers_sql_rows_get_int (rows, row, c + 2);
  record->scope_coach_id = g_strdup (koers_sql_rows_get_text (rows, row, c + 3));
  record->participant_id = g_strdup (koers_sql_rows_get_text (rows, row, c + 4));
  record->deleted = koers_sql_rows_get_int (rows, row, c + 5) != 0;
  record->erased = koers_sql_rows_get_int (rows, row, c + 6) != 0;
  record->fields = engine_object_parse (koers_sql_rows_get_text (rows, row, c + 7));
  record->created_at = g_strdup (koers_sql_rows_get_text (rows, row, c + 8));
  record->created_by = g_strdup (koers_sql_rows_get_text (rows, row, c + 9));
  record->updated_at = g_strdup (koers_sql_rows_get_text (rows, row, c + 10));
  record->updated_by = g_strdup (koers_sql_rows_get_text (rows, row, c + 11));
  return record;
}

gboolean
engine_record_load (KoersServerDb *db, const char *org, const char *entity, const char *id,
                    EngineRecord **out_record, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (org), KOERS_SQL_TEXT_VALUE (entity), KOERS_SQL_TEXT_VALUE (id),
  };

  *out_record = NULL;
  rows = koers_server_db_query (db, ENGINE_RECORD_SELECT, params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  if (koers_sql_rows_get_n_rows (rows) > 0)
    *out_record = engine_record_from_row (rows, 0, 0);
  return TRUE;
}

char *
engine_record_key (const char *entity, const char *id)
{
  return g_strconcat (entity, "/", id, NULL);
}

gboolean
engine_txn_record_load (EngineTxn *txn, const char *entity, const char *id,
                        EngineRecord **out_record, GError **error)
{
  g_autofree char *key = NULL;
  g_autofree char *stolen_key = NULL;
  KoersSqlRows *rows = NULL;

  if (txn->read_ahead != NULL)
    {
      key = engine_record_key (entity, id);
      g_hash_table_steal_extended (txn->read_ahead, key, (gpointer *) &stolen_key,
                                   (gpointer *) &rows);
    }
  if (rows == NULL)
    return engine_record_load (txn->db, txn->org, entity, id, out_record, error);
  *out_record = koers_sql_rows_get_n_rows (rows) > 0 ? engine_record_from_row (rows, 0, 0)
                                                     : NULL;
  koers_sql_rows_free (rows);
  return TRUE;
}

/* A coach sees the records of the own caseload; an ondersteuner the organisation (the
 * organisation is already part of every query); a programme manager no personal record. */
gboolean
engine_record_in_scope (const KoersServerCaller *caller, const EngineRecord *record)
{
  switch (caller->role)
    {
    case KOERS_SERVER_ROLE_ONDERSTEUNER:
      return TRUE;
    case KOERS_SERVER_ROLE_COACH:
      return record->scope_coach_id != NULL
             && g_str_equal (record->scope_coach_id, caller->user_id);
    case KOERS_SERVER_ROLE_PROGRAMMAMANAGER:
    default:
      return FALSE;
    }
}

static const char *
fields_string (JsonObject *fields, const char *name)
{
  JsonNode *node = json_object_get_member (fields, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Participants: the coach bucket follows coachId; the search key holds the folded names.
 * Conflicts: the key says open or resolved, so "open conflicts" is an indexed filter. */
static char *
derive_keys (EngineRecord *record)
{
  if (g_str_equal (record->entity, KOERS_SYNC_PARTICIPANTS))
    {
      g_autofree char *name = NULL;
      g_autofree char *preferred = NULL;

      if (record->erased)
        return NULL;
      g_free (record->scope_coach_id);
      record->scope_coach_id = g_strdup (fields_string (record->fields, KOERS_SYNC_COACH_FIELD));
      g_free (record->participant_id);
      record->participant_id = g_strdup (record->id);
      name = koers_text_fold (fields_string (record->fields, "naam"));
      preferred = koers_text_fold (fields_string (record->fields, "roepnaam"));
      return g_strconcat (name, " ", preferred, NULL);
    }
  if (g_str_equal (record->entity, KOERS_SYNC_CONFLICTS) && !record->erased)
    {
      JsonNode *resolved = json_object_get_member (record->fields, "opgelost");

      return g_strdup (resolved != NULL && json_node_get_value_type (resolved) == G_TYPE_BOOLEAN
                       && json_node_get_boolean (resolved) ? "opgelost" : "open");
    }
  return NULL;
}

gboolean
engine_record_save (EngineTxn *txn, EngineRecord *record, const char *action, JsonObject *diff,
                    GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autofree char *search_key = NULL;
  g_autofree char *fields_text = NULL;
  g_autofree char *diff_text = NULL;
  g_autofree char *feed_item = NULL;
  g_autoptr(JsonObject) empty = json_object_new ();
  KoersSqlValue org_param[] = { KOERS_SQL_TEXT_VALUE (txn->org) };

  /* What was read ahead of this record is what it was. */
  if (txn->read_ahead != NULL)
    {
      g_autofree char *key = engine_record_key (record->entity, record->id);

      g_hash_table_remove (txn->read_ahead, key);
    }

  /* The organisation's sequence: its row lock (PostgreSQL) or the database's write lock
   * (SQLite) is held from here to commit, so versions are assigned in commit order and a
   * rollback leaves no gap. Held by this transaction, the sequence changes only here: the
   * first save reads it, the later ones know the next number and only write it (deferred,
   * so a push of many changes does not wait on each). */
  if (txn->sequence == 0)
    {
      rows = koers_server_db_query (txn->db,
                                    "UPDATE organisations SET sequence = sequence + 1 "
                                    "WHERE id = $1 RETURNING sequence",
                                    org_param, 1, error);
      if (rows == NULL)
        return FALSE;
      if (koers_sql_rows_get_n_rows (rows) != 1)
        {
          g_set_error_literal (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                               "Onbekende organisatie");
          return FALSE;
        }
      txn->sequence = koers_sql_rows_get_int (rows, 0, 0);
    }
  else
    {
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_INT_VALUE (txn->sequence + 1),
      };

      if (!koers_server_db_exec_deferred (txn->db,
                                          "UPDATE organisations SET sequence = $2 WHERE id = $1",
                                          params, G_N_ELEMENTS (params), NULL, error))
        return FALSE;
      txn->sequence++;
    }
  record->version = txn->sequence;
  search_key = derive_keys (record);
  if (record->created_at == NULL)
    {
      record->created_at = g_strdup (txn->now);
      record->created_by = g_strdup (txn->caller->user_id);
    }
  g_free (record->updated_at);
  record->updated_at = g_strdup (txn->now);
  g_free (record->updated_by);
  record->updated_by = g_strdup (txn->caller->user_id);
  fields_text = engine_object_to_string (record->fields);
  diff_text = engine_object_to_string (diff != NULL ? diff : empty);
  feed_item = engine_feed_item_text (record, fields_text);

  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (txn->org),
      KOERS_SQL_TEXT_VALUE (record->entity),
      KOERS_SQL_TEXT_VALUE (record->id),
      KOERS_SQL_INT_VALUE (record->version),
      KOERS_SQL_TEXT_VALUE (record->scope_coach_id),
      KOERS_SQL_TEXT_VALUE (record->participant_id),
      KOERS_SQL_INT_VALUE (record->deleted ? 1 : 0),
      KOERS_SQL_INT_VALUE (record->erased ? 1 : 0),
      KOERS_SQL_TEXT_VALUE (fields_text),
      KOERS_SQL_TEXT_VALUE (search_key),
      KOERS_SQL_TEXT_VALUE (record->created_at),
      KOERS_SQL_TEXT_VALUE (record->created_by),
      KOERS_SQL_TEXT_VALUE (record->updated_at),
      KOERS_SQL_TEXT_VALUE (record->updated_by),
      KOERS_SQL_TEXT_VALUE (feed_item),
      KOERS_SQL_INT_VALUE (engine_feed_item_check (feed_item, strlen (feed_item),
                                                   record->version)),
    };
    if (!koers_server_db_exec_deferred (txn->db,
                                        "INSERT INTO records (organisation_id, entity, id, "
                                        "version, scope_coach_id, participant_id, deleted, "
                                        "erased, fields, search_key, created_at, created_by, "
                                        "updated_at, updated_by, feed_item, "
                                        "feed_item_check) "
                                        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                                        "$11, $12, $13, $14, $15, $16) "
                                        "ON CONFLICT (organisation_id, entity, id) DO UPDATE SET "
                                        "version = excluded.version, "
                                        "scope_coach_id = excluded.scope_coach_id, "
                                        "participant_id = excluded.participant_id, "
                                        "deleted = excluded.deleted, erased = excluded.erased, "
                                        "fields = excluded.fields, "
                                        "search_key = excluded.search_key, "
                                        "updated_at = excluded.updated_at, "
                                        "updated_by = excluded.updated_by, "
                                        "feed_item = excluded.feed_item, "
                                        "feed_item_check = excluded.feed_item_check",
                                        params, G_N_ELEMENTS (params), NULL, error))
      return FALSE;
  }
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (txn->org),
      KOERS_SQL_INT_VALUE (record->version),
      KOERS_SQL_TEXT_VALUE (record->entity),
      KOERS_SQL_TEXT_VALUE (record->id),
      KOERS_SQL_TEXT_VALUE (action),
      KOERS_SQL_TEXT_VALUE (txn->mutation_id),
      KOERS_SQL_TEXT_VALUE (txn->caller->user_id),
      KOERS_SQL_TEXT_VALUE (txn->device_id),
      KOERS_SQL_TEXT_VALUE (diff_text),
      KOERS_SQL_TEXT_VALUE (txn->now),
    };
    return koers_server_db_exec_deferred (txn->db,
                                          "INSERT INTO history (organisation_id, version, "
                                          "entity, id, action, mutation_id, user_id, "
                                          "device_id, diff, changed_at) "
                                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                                          params, G_N_ELEMENTS (params), NULL, error);
  }
}

/* Returns (transfer full): @record as on the wire (docs/api-protocol.md, "Records"). */
JsonNode *
engine_record_to_wire (const EngineRecord *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonNode *root;
  JsonNode *fields;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, record->id);
  json_builder_set_member_name (builder, "entiteit");
  json_builder_add_string_value (builder, record->entity);
  json_builder_set_member_name (builder, "versie");
  json_builder_add_int_value (builder, record->version);
  json_builder_set_member_name (builder, "verwijderd");
  json_builder_add_boolean_value (builder, record->deleted);
  json_builder_set_member_name (builder, "gewist");
  json_builder_add_boolean_value (builder, record->erased);
  json_builder_set_member_name (builder, "aangemaaktOp");
  json_builder_add_string_value (builder, record->created_at);
  json_builder_set_member_name (builder, "aangemaaktDoor");
  json_builder_add_string_value (builder, record->created_by);
  json_builder_set_member_name (builder, "gewijzigdOp");
  json_builder_add_string_value (builder, record->updated_at);
  json_builder_set_member_name (builder, "gewijzigdDoor");
  json_builder_add_string_value (builder, record->updated_by);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  fields = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (fields, record->fields);
  json_object_set_member (json_node_get_object (root), "gegevens", fields);
  return root;
}

static void
set_or_null (JsonObject *object, const char *name, JsonNode *value)
{
  json_object_set_member (object, name,
                          value != NULL ? json_node_copy (value) : json_node_new (JSON_NODE_NULL));
}

static void
set_or_null_text (JsonObject *object, const char *name, const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

/* Who wrote the value the server keeps, on which device (nullable: a change made without
 * one) and when: the latest change of @field in the record's recent history; else the
 * record's last change. */
static gboolean
field_author (EngineTxn *txn, const EngineRecord *target, const char *field, char **out_by,
              char **out_device, char **out_at, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (txn->org), KOERS_SQL_TEXT_VALUE (target->entity),
    KOERS_SQL_TEXT_VALUE (target->id),
  };

  rows = koers_server_db_query (txn->db,
                                "SELECT user_id, changed_at, diff, device_id FROM history "
                                "WHERE organisation_id = $1 AND entity = $2 AND id = $3 "
                                "ORDER BY version DESC LIMIT 50",
                                params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      g_autoptr(JsonObject) diff = engine_object_parse (koers_sql_rows_get_text (rows, i, 2));

      if (json_object_has_member (diff, field))
        {
          *out_by = g_strdup (koers_sql_rows_get_text (rows, i, 0));
          *out_device = g_strdup (koers_sql_rows_get_text (rows, i, 3));
          *out_at = g_strdup (koers_sql_rows_get_text (rows, i, 1));
          return TRUE;
        }
    }
  *out_by = g_strdup (target->updated_by);
  *out_device = koers_sql_rows_get_n_rows (rows) > 0
                ? g_strdup (koers_sql_rows_get_text (rows, 0, 3)) : NULL;
  *out_at = g_strdup (target->updated_at);
  return TRUE;
}

/* The conflict lives in the participant's bucket, so it reaches the people who work with
 * that participant through the feed. */
char *
engine_conflict_create (EngineTxn *txn, const EngineRecord *target, const char *field,
                        JsonNode *base, JsonNode *server, JsonNode *client, GError **error)
{
  g_autoptr(EngineRecord) conflict = g_new0 (EngineRecord, 1);
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(GList) names = NULL;
  g_autofree char *server_by = NULL;
  g_autofree char *server_device = NULL;
  g_autofree char *server_at = NULL;
  JsonObject *fields;

  if (!field_author (txn, target, field, &server_by, &server_device, &server_at, error))
    return NULL;
  fields = json_object_new ();

  conflict->entity = g_strdup (KOERS_SYNC_CONFLICTS);
  conflict->id = koers_uuid_new_time_ordered ();
  conflict->scope_coach_id = g_strdup (target->scope_coach_id);
  conflict->participant_id = g_strdup (target->participant_id);
  conflict->fields = fields;
  json_object_set_string_member (fields, "deelnemerId", target->participant_id);
  json_object_set_string_member (fields, "entiteit", target->entity);
  json_object_set_string_member (fields, "recordId", target->id);
  json_object_set_string_member (fields, "veld", field);
  set_or_null (fields, "basis", base);
  set_or_null (fields, "server", server);
  set_or_null (fields, "client", client);
  json_object_set_string_member (fields, "serverDoor", server_by);
  json_object_set_string_member (fields, "clientDoor", txn->caller->user_id);
  /* One person on two laptops is both sides: the devices tell their values apart. */
  set_or_null_text (fields, "serverApparaat", server_device);
  set_or_null_text (fields, "clientApparaat", txn->caller->device_id);
  json_object_set_string_member (fields, "serverOp", server_at);
  json_object_set_string_member (fields, "clientOp", txn->now);
  json_object_set_boolean_member (fields, "opgelost", FALSE);
  json_object_set_null_member (fields, "keuze");
  names = json_object_get_members (fields);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *change = json_object_new ();

      json_object_set_null_member (change, "was");
      json_object_set_member (change, "wordt",
                              json_node_copy (json_object_get_member (fields, l->data)));
      json_object_set_object_member (diff, l->data, change);
    }
  if (!engine_record_save (txn, conflict, "aanmaken", diff, error))
    return NULL;
  return g_strdup (conflict->id);
}
