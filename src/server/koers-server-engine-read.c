/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Entity reads: one record, a page of a collection, the folded name search, and the counts
 * of /v1/kengetallen. A record outside the caller's scope is answered exactly like a missing
 * one.
 */
#include "config.h"

#include "server/koers-server-engine-private.h"

#include "core/koers-enums.h"
#include "core/koers-text.h"

#include <string.h>

#define LIST_MAX_LIMIT 500

static gboolean
not_found (GError **error)
{
  g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_NOT_FOUND,
                       "Het record bestaat niet of valt buiten uw bereik");
  return FALSE;
}

static gboolean
personal_data_allowed (const KoersServerCaller *caller, GError **error)
{
  if (caller->role != KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    return TRUE;
  g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN,
                       "Een programmamanager ziet alleen kengetallen, geen deelnemergegevens");
  return FALSE;
}

/**
 * koers_server_engine_get:
 *
 * Tombstoned and erased records are NOT_FOUND, like missing ones.
 *
 * Returns: (transfer full) (nullable): the record on the wire.
 */
JsonNode *
koers_server_engine_get (KoersServerEngine *engine, const KoersServerCaller *caller,
                         const char *entity, const char *id, GError **error)
{
  g_autoptr(EngineRecord) record = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  GError *db_error = NULL;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!personal_data_allowed (caller, error))
    return NULL;
  if (koers_sync_entity_lookup (entity) == NULL || !koers_uuid_is_valid (id))
    return not_found (error), NULL;
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE (entity),
      KOERS_SQL_TEXT_VALUE (id),
    };

    /* One round trip on PostgreSQL: the API's most frequent read. */
    rows = koers_server_db_query_read (engine->db, caller->organisation_id,
                                       ENGINE_RECORD_SELECT, params, G_N_ELEMENTS (params),
                                       &db_error);
  }
  if (rows == NULL)
    return engine_propagate_db_error (error, db_error), NULL;
  if (koers_sql_rows_get_n_rows (rows) > 0)
    record = engine_record_from_row (rows, 0, 0);
  if (record == NULL || record->deleted || record->erased
      || !engine_record_in_scope (caller, record))
    return not_found (error), NULL;
  return engine_record_to_wire (record);
}

/* LIKE pattern for a substring of the folded key; the folded term's own % and _ are
 * literal. */
static char *
search_pattern (const char *term)
{
  g_autofree char *folded = koers_text_fold (term);
  GString *pattern = g_string_new ("%");

  for (const char *p = folded; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* Appends one parameter; returns its $ number. */
static guint
add_param (GArray *params, KoersSqlValue value)
{
  g_array_append_val (params, value);
  return params->len;
}

static gboolean
invalid (GError **error, const char *message)
{
  g_set_error_literal (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID,
                       message);
  return FALSE;
}

/**
 * koers_server_engine_list:
 *
 * Ordered by id; the cursor is the last id of the page.
 *
 * Returns: (transfer full) (nullable): {"items": [...], "volgendeCursor": ...}.
 */
JsonNode *
koers_server_engine_list (KoersServerEngine *engine, const KoersServerCaller *caller,
                          const char *entity, const KoersServerListQuery *query,
                          GError **error)
{
  g_autoptr(GString) sql = g_string_new ("SELECT " ENGINE_RECORD_COLUMNS " FROM records "
                                         "WHERE organisation_id = $1 AND entity = $2 "
                                         "AND deleted = 0");
  g_autoptr(GArray) params = g_array_new (FALSE, TRUE, sizeof (KoersSqlValue));
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(JsonArray) items = json_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *pattern = NULL;
  GError *db_error = NULL;
  gboolean more;
  guint n, shown;
  gsize bytes = 0;
  JsonNode *root;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!personal_data_allowed (caller, error))
    return NULL;
  if (koers_sync_entity_lookup (entity) == NULL)
    return not_found (error), NULL;
  if (query->limit < 1 || query->limit > LIST_MAX_LIMIT)
    return invalid (error, "limiet: moet tussen 1 en 500 liggen"), NULL;
  if (query->cursor != NULL && !koers_uuid_is_valid (query->cursor))
    return invalid (error, "cursor: is geen cursor van deze lijst"), NULL;
  if (query->participant_id != NULL && !koers_uuid_is_valid (query->participant_id))
    return invalid (error, "deelnemerId: moet een UUID in kleine letters zijn"), NULL;

#define ADD(v) add_param (params, (v))
  ADD (KOERS_SQL_TEXT_VALUE (caller->organisation_id));
  ADD (KOERS_SQL_TEXT_VALUE (entity));
  if (caller->role == KOERS_SERVER_ROLE_COACH)
    g_string_append_printf (sql, " AND scope_coach_id = $%u",
                            ADD (KOERS_SQL_TEXT_VALUE (caller->user_id)));
  if (query->participant_id != NULL)
    g_string_append_printf (sql, " AND participant_id = $%u",
                            ADD (KOERS_SQL_TEXT_VALUE (query->participant_id)));
  if (g_str_equal (entity, KOERS_SYNC_CONFLICTS) && query->resolved >= 0)
    g_string_append_printf (sql, " AND search_key = $%u",
                            ADD (KOERS_SQL_TEXT_VALUE (query->resolved ? "opgelost" : "open")));
  if (query->search != NULL)
    {
      g_autofree char *folded = koers_text_fold (query->search);

      if (!g_str_equal (entity, KOERS_SYNC_PARTICIPANTS))
        return invalid (error, "zoekterm: alleen deelnemers zijn doorzoekbaar"), NULL;
      if (*g_strstrip (folded) == '\0')
        return invalid (error, "zoekterm: mag niet leeg zijn"), NULL;
      pattern = search_pattern (query->search);
      g_string_append_printf (sql, " AND search_key LIKE $%u ESCAPE '\\'",
                              ADD (KOERS_SQL_TEXT_VALUE (pattern)));
    }
  if (query->cursor != NULL)
    g_string_append_printf (sql, " AND id > $%u", ADD (KOERS_SQL_TEXT_VALUE (query->cursor)));
  g_string_append_printf (sql, " ORDER BY id LIMIT $%u",
                          ADD (KOERS_SQL_INT_VALUE (query->limit + 1)));
#undef ADD

  rows = koers_server_db_query_read (engine->db, caller->organisation_id, sql->str,
                                     (KoersSqlValue *) params->data, params->len, &db_error);
  if (rows == NULL)
    return engine_propagate_db_error (error, db_error), NULL;

  n = koers_sql_rows_get_n_rows (rows);
  more = n > query->limit;
  shown = MIN (n, query->limit);
  for (guint i = 0; i < MIN (n, query->limit); i++)
    {
      g_autoptr(EngineRecord) record = engine_record_from_row (rows, i, 0);
      g_autoptr(JsonNode) item = engine_record_to_wire (record);
      g_autofree char *text = engine_json_to_string (item);

      if (i > 0 && bytes + strlen (text) > ENGINE_PAGE_BYTES)
        {
          more = TRUE;
          shown = i;
          break;
        }
      bytes += strlen (text);
      json_array_add_element (items, g_steal_pointer (&item));
    }
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "volgendeCursor");
  if (more)
    json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, shown - 1, 1));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_object_set_array_member (json_node_get_object (root), "items", g_steal_pointer (&items));
  return root;
}

/* --- kengetallen -------------------------------------------------------------------------- */

typedef struct {
  GHashTable *status;
  GHashTable *target_group;
  GHashTable *outcome;
  gint64      total;
} Counts;

static void
count_add (GHashTable *table, const char *key, gint64 n)
{
  gpointer old = g_hash_table_lookup (table, key != NULL ? key : "onbekend");

  g_hash_table_insert (table, g_strdup (key != NULL ? key : "onbekend"),
                       GSIZE_TO_POINTER (GPOINTER_TO_SIZE (old) + (gsize) n));
}

static gboolean
count_organisation (KoersServerDb *db, const KoersServerCaller *caller, const char *org,
                    Counts *counts, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  gboolean coach = caller->role == KOERS_SERVER_ROLE_COACH;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (org), KOERS_SQL_TEXT_VALUE (caller->user_id),
  };
  const char *sql;

  /* Only the three vocabulary members leave the database: no personal field is read. */
  if (koers_server_db_get_backend (db) == KOERS_SERVER_DB_POSTGRESQL)
    sql = coach
          ? "SELECT fields::jsonb ->> 'status', fields::jsonb ->> 'doelgroep', "
            "fields::jsonb ->> 'uitkomst', count(*) FROM records WHERE organisation_id = $1 "
            "AND entity = 'deelnemers' AND deleted = 0 AND scope_coach_id = $2 "
            "GROUP BY 1, 2, 3"
          : "SELECT fields::jsonb ->> 'status', fields::jsonb ->> 'doelgroep', "
            "fields::jsonb ->> 'uitkomst', count(*) FROM records WHERE organisation_id = $1 "
            "AND entity = 'deelnemers' AND deleted = 0 GROUP BY 1, 2, 3";
  else
    sql = coach
          ? "SELECT json_extract(fields, '$.status'), json_extract(fields, '$.doelgroep'), "
            "json_extract(fields, '$.uitkomst'), count(*) FROM records "
            "WHERE organisation_id = $1 AND entity = 'deelnemers' AND deleted = 0 "
            "AND scope_coach_id = $2 GROUP BY 1, 2, 3"
          : "SELECT json_extract(fields, '$.status'), json_extract(fields, '$.doelgroep'), "
            "json_extract(fields, '$.uitkomst'), count(*) FROM records "
            "WHERE organisation_id = $1 AND entity = 'deelnemers' AND deleted = 0 "
            "GROUP BY 1, 2, 3";

  rows = koers_server_db_query (db, sql, params, coach ? 2 : 1, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      gint64 n = koers_sql_rows_get_int (rows, i, 3);

      count_add (counts->status, koers_sql_rows_get_text (rows, i, 0), n);
      count_add (counts->target_group, koers_sql_rows_get_text (rows, i, 1), n);
      count_add (counts->outcome, koers_sql_rows_get_text (rows, i, 2), n);
      counts->total += n;
    }
  return TRUE;
}

static void
add_table (JsonBuilder *builder, const char *name, GHashTable *table,
           const char *(*to_id) (int), int n_ids)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (int i = 0; i < n_ids; i++)
    {
      const char *id = to_id (i);

      json_builder_set_member_name (builder, id);
      json_builder_add_int_value (builder,
                                  (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (table, id)));
      g_hash_table_remove (table, id);
    }
  if (g_hash_table_size (table) > 0)
    {
      gsize rest = 0;
      GHashTableIter iter;
      gpointer n;

      g_hash_table_iter_init (&iter, table);
      while (g_hash_table_iter_next (&iter, NULL, &n))
        rest += GPOINTER_TO_SIZE (n);
      json_builder_set_member_name (builder, "onbekend");
      json_builder_add_int_value (builder, (gint64) rest);
    }
  json_builder_end_object (builder);
}

static const char *status_id (int i) { return koers_status_to_id ((KoersStatus) i); }
static const char *group_id (int i) { return koers_target_group_to_id ((KoersTargetGroup) i); }
static const char *outcome_id (int i) { return koers_outcome_to_id ((KoersOutcome) i); }

gboolean
engine_list_organisations (KoersServerDb *db, GPtrArray *orgs, GError **error)
{
  g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, "SELECT id FROM organisations "
                                                        "ORDER BY id", NULL, 0, error);

  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    g_ptr_array_add (orgs, g_strdup (koers_sql_rows_get_text (rows, i, 0)));
  return TRUE;
}

/**
 * koers_server_engine_counts:
 *
 * Returns: (transfer full) (nullable): {"bereik", "totaal", "perStatus", "perDoelgroep",
 *   "perUitkomst"}; values nobody recorded count as "onbekend".
 */
JsonNode *
koers_server_engine_counts (KoersServerEngine *engine, const KoersServerCaller *caller,
                            GError **error)
{
  g_autoptr(GPtrArray) orgs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  Counts counts = { 0 };
  GError *db_error = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (engine != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The programme manager's view is the region: every organisation. */
  if (caller->role == KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    ok = engine_list_organisations (engine->db, orgs, &db_error);
  else
    g_ptr_array_add (orgs, g_strdup (caller->organisation_id));
  if (!ok)
    return engine_propagate_db_error (error, db_error), NULL;

  counts.status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  counts.target_group = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  counts.outcome = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; ok && i < orgs->len; i++)
    {
      ok = koers_server_db_begin_read (engine->db, g_ptr_array_index (orgs, i), &db_error);
      if (ok)
        ok = count_organisation (engine->db, caller, g_ptr_array_index (orgs, i), &counts,
                                 &db_error)
             && koers_server_db_commit (engine->db, &db_error);
      if (!ok)
        koers_server_db_rollback (engine->db);
    }
  if (ok)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "bereik");
      json_builder_add_string_value (builder,
                                     caller->role == KOERS_SERVER_ROLE_COACH ? "coach"
                                     : caller->role == KOERS_SERVER_ROLE_ONDERSTEUNER
                                     ? "organisatie" : "regio");
      json_builder_set_member_name (builder, "totaal");
      json_builder_add_int_value (builder, counts.total);
      add_table (builder, "perStatus", counts.status, status_id, KOERS_N_STATUSES);
      add_table (builder, "perDoelgroep", counts.target_group, group_id, KOERS_N_TARGET_GROUPS);
      add_table (builder, "perUitkomst", counts.outcome, outcome_id, KOERS_N_OUTCOMES);
      json_builder_end_object (builder);
    }
  g_hash_table_unref (counts.status);
  g_hash_table_unref (counts.target_group);
  g_hash_table_unref (counts.outcome);
  if (!ok)
    return engine_propagate_db_error (error, db_error), NULL;
  return json_builder_get_root (builder);
}
