/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-push.h"

#include "core/koers-uuid.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-recover.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

gboolean
koers_sync_push_number (KoersDatabase *db, GError **error)
{
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *last_text = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gint64 last;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  if (!koers_database_begin (db, error))
    return FALSE;
  if (!koers_sync_outbox_compact (db, error))
    goto failed;
  last = koers_sync_state_get_int (db, KOERS_SYNC_STATE_DEVICE_NUMBER, 0);
  stmt = koers_database_prepare (db, "SELECT seq FROM sync_outbox WHERE device_number IS NULL "
                                     "ORDER BY seq", error);
  if (stmt == NULL)
    goto failed;
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      gint64 seq = koers_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  if (error != NULL && *error != NULL)
    goto failed;
  for (guint i = 0; i < seqs->len; i++)
    {
      g_autofree char *mutation_id = koers_uuid_new_time_ordered ();

      stmt = koers_database_prepare (db, "UPDATE sync_outbox SET device_number = ?2, "
                                         "mutation_id = coalesce(mutation_id, ?3) "
                                         "WHERE seq = ?1", error);
      if (stmt == NULL)
        goto failed;
      koers_bind_int64 (stmt, 1, g_array_index (seqs, gint64, i));
      koers_bind_int64 (stmt, 2, ++last);
      koers_bind_text (stmt, 3, mutation_id);
      if (!koers_database_step (db, stmt, NULL, error))
        goto failed;
    }
  last_text = g_strdup_printf ("%" G_GINT64_FORMAT, last);
  if (!koers_sync_state_set (db, KOERS_SYNC_STATE_DEVICE_NUMBER, last_text, error)
      || !koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

JsonNode *
koers_sync_push_next_batch (KoersDatabase *db, guint max, guint *out_n, GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  guint n = 0;
  gsize bytes = 0;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (out_n != NULL, NULL);

  *out_n = 0;
  max = CLAMP (max, 1, KOERS_SYNC_PUSH_BATCH);
  stmt = koers_database_prepare (db, "SELECT mutation_id, device_number, entity, record_id, "
                                     "action, base_version, diff FROM sync_outbox "
                                     "WHERE device_number IS NOT NULL ORDER BY seq LIMIT ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  koers_bind_int64 (stmt, 1, max);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "mutaties");
  json_builder_begin_array (builder);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      /* The fields as stored, plus ids and names; the generator writes them back alike. */
      bytes += (gsize) sqlite3_column_bytes (stmt, 6) + (gsize) sqlite3_column_bytes (stmt, 3)
               + 200;
      if (n > 0 && bytes > KOERS_SYNC_PUSH_MAX_BYTES)
        {
          /* The rest waits for the next request; the read ends here. */
          sqlite3_reset (stmt);
          break;
        }
      if (!json_parser_load_from_data (parser, koers_column_text (stmt, 6), -1, error))
        return NULL;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "mutatieId");
      json_builder_add_string_value (builder, koers_column_text (stmt, 0));
      json_builder_set_member_name (builder, "volgnummer");
      json_builder_add_int_value (builder, koers_column_int64 (stmt, 1));
      json_builder_set_member_name (builder, "entiteit");
      json_builder_add_string_value (builder, koers_column_text (stmt, 2));
      json_builder_set_member_name (builder, "recordId");
      json_builder_add_string_value (builder, koers_column_text (stmt, 3));
      json_builder_set_member_name (builder, "actie");
      json_builder_add_string_value (builder, koers_column_text (stmt, 4));
      json_builder_set_member_name (builder, "basisVersie");
      if (sqlite3_column_type (stmt, 5) == SQLITE_NULL)
        json_builder_add_null_value (builder);
      else
        json_builder_add_int_value (builder, koers_column_int64 (stmt, 5));
      json_builder_set_member_name (builder, "velden");
      json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
      json_builder_end_object (builder);
      n++;
    }
  if (error != NULL && *error != NULL)
    return NULL;
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  *out_n = n;
  if (n == 0)
    return NULL;
  return json_builder_get_root (builder);
}

static gboolean
bad_answer (GError **error, guint index, const char *what)
{
  g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
               "The server's answer to the mutations does not match the batch "
               "(resultaten[%u]: %s); nothing was changed", index, what);
  return FALSE;
}

static gboolean
outbox_row (KoersDatabase *db, const char *mutation_id, gint64 *out_seq, char **out_entity,
            char **out_record, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT seq, entity, record_id "
                                                   "FROM sync_outbox WHERE mutation_id = ?1",
                                               error);
  gboolean has_row = FALSE;

  *out_seq = 0;
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, mutation_id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    {
      *out_seq = koers_column_int64 (stmt, 0);
      *out_entity = g_strdup (koers_column_text (stmt, 1));
      *out_record = g_strdup (koers_column_text (stmt, 2));
    }
  return TRUE;
}

static gboolean
record_erased (KoersDatabase *db, const char *entity, const char *id)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT erased FROM sync_shadow "
                                                   "WHERE entity = ?1 AND id = ?2", NULL);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  return koers_database_step (db, stmt, &has_row, NULL) && has_row
         && koers_column_bool (stmt, 0);
}

/* The refusal's code and field, for the window to say in the user's language. A code from
 * a newer server, or one only a client gives, is unknown (the sentence is shown then); a field
 * is kept only when the entity declares it, so nothing else of the answer reaches a label. */
static void
refusal_of (JsonObject *result, const char *entity_name, KoersSyncRefusal *out_refusal,
            const char **out_field)
{
  const KoersSyncEntity *entity = koers_sync_entity_lookup (entity_name);
  const char *field = koers_sync_json_string (result, "veld");
  KoersSyncRefusal refusal;

  refusal = koers_sync_refusal_from_code (koers_sync_json_string (result, "redenCode"));
  if (refusal == KOERS_SYNC_REFUSAL_OUT_OF_SCOPE || refusal == KOERS_SYNC_REFUSAL_ERASED_HERE)
    refusal = KOERS_SYNC_REFUSAL_UNKNOWN;
  *out_refusal = refusal;
  *out_field = entity != NULL && field != NULL && koers_sync_entity_field (entity, field) != NULL
               ? field : NULL;
}

static gboolean
check_results (JsonArray *sent, JsonArray *results, GError **error)
{
  if (results == NULL || json_array_get_length (results) != json_array_get_length (sent))
    return bad_answer (error, 0, "not one result per mutation");
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result, *mutation;
      const char *status;
      gboolean ok = TRUE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return bad_answer (error, i, "not an object");
      result = json_node_get_object (node);
      mutation = json_node_get_object (json_array_get_element (sent, i));
      if (g_strcmp0 (koers_sync_json_string (result, "mutatieId"),
                     koers_sync_json_string (mutation, "mutatieId")) != 0)
        return bad_answer (error, i, "mutatieId differs");
      status = koers_sync_json_string (result, "status");
      if (g_strcmp0 (status, "toegepast") != 0 && g_strcmp0 (status, "conflict") != 0
          && g_strcmp0 (status, "afgewezen") != 0)
        return bad_answer (error, i, "unknown status");
      koers_sync_json_bool (result, "herhaald", FALSE, &ok);
      if (!ok)
        return bad_answer (error, i, "herhaald is not true/false");
    }
  return TRUE;
}

gboolean
koers_sync_push_apply_results (KoersDatabase *db, JsonNode *batch, JsonNode *response,
                               KoersSyncPushStats *stats, GError **error)
{
  g_autoptr(GPtrArray) rebuild = g_ptr_array_new_with_free_func (g_free);
  KoersSyncPushStats local = { 0 };
  JsonArray *sent, *results;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (batch != NULL && JSON_NODE_HOLDS_OBJECT (batch), FALSE);

  sent = koers_sync_json_array (json_node_get_object (batch), "mutaties");
  if (response == NULL || !JSON_NODE_HOLDS_OBJECT (response))
    return bad_answer (error, 0, "not an object");
  results = koers_sync_json_array (json_node_get_object (response), "resultaten");
  if (!check_results (sent, results, error))
    return FALSE;

  if (!koers_database_begin (db, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);
      const char *mutation_id = koers_sync_json_string (result, "mutatieId");
      const char *status = koers_sync_json_string (result, "status");
      g_autofree char *entity = NULL;
      g_autofree char *record = NULL;
      gboolean ok = TRUE;
      gint64 seq = 0;

      if (!outbox_row (db, mutation_id, &seq, &entity, &record, error))
        goto failed;
      if (seq == 0)
        continue;                         /* already handled by an earlier answer */
      local.n_sent++;
      if (koers_sync_json_bool (result, "herhaald", FALSE, &ok))
        local.n_replayed++;
      if (g_str_equal (status, "afgewezen"))
        {
          const char *reason = koers_sync_json_string (result, "reden");
          KoersSyncRefusal refusal;
          const char *field;

          refusal_of (result, entity, &refusal, &field);
          local.n_quarantined++;
          /* No sentence: empty, and the window says "Refused by the server". */
          if (!koers_sync_quarantine_row (db, seq, reason != NULL ? reason : "", refusal, field,
                                          record_erased (db, entity, record), error))
            goto failed;
        }
      else
        {
          sqlite3_stmt *stmt = koers_database_prepare (db, "DELETE FROM sync_outbox "
                                                           "WHERE seq = ?1", error);

          if (stmt == NULL)
            goto failed;
          koers_bind_int64 (stmt, 1, seq);
          if (!koers_database_step (db, stmt, NULL, error))
            goto failed;
          if (g_str_equal (status, "conflict"))
            local.n_conflicts++;
          else
            continue;
        }
      g_ptr_array_add (rebuild, g_steal_pointer (&entity));
      g_ptr_array_add (rebuild, g_steal_pointer (&record));
    }
  /* The server kept its value: show it again; the client's is in the conflict or quarantine. */
  if (rebuild->len > 0)
    {
      if (!koers_database_exec (db, "PRAGMA defer_foreign_keys = ON", error)
          || !koers_sync_guard (db, TRUE, error))
        goto failed;
      for (guint i = 0; i + 1 < rebuild->len; i += 2)
        {
          const KoersSyncEntity *entity = koers_sync_entity_lookup (rebuild->pdata[i]);

          if (entity != NULL && !koers_sync_rebuild_record (db, entity, rebuild->pdata[i + 1],
                                                            error))
            goto failed;
        }
      if (!koers_sync_guard (db, FALSE, error))
        goto failed;
    }
  if (!koers_database_commit (db, error))
    goto failed;
  if (stats != NULL)
    {
      stats->n_sent += local.n_sent;
      stats->n_conflicts += local.n_conflicts;
      stats->n_quarantined += local.n_quarantined;
      stats->n_replayed += local.n_replayed;
    }
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

gboolean
koers_sync_push_renumber (KoersDatabase *db, gint64 expected, GError **error)
{
  g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, MAX (expected, 1) - 1);

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  /* Numbers are cleared first (they are UNIQUE), then given out again in order; mutation
   * ids stay, so the server still recognises a mutation it did process. */
  if (!koers_database_begin (db, error))
    return FALSE;
  if (!koers_database_exec (db, "UPDATE sync_outbox SET device_number = NULL", error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_DEVICE_NUMBER, last, error)
      || !koers_sync_push_number (db, error)
      || !koers_database_commit (db, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* The versions kept aside at the first 410 are the oldest epoch's numbers: a second 410
 * before the pull from 0 ends (another restore) can only shorten what they share with the
 * server's. */
static gboolean
keep_shared_history (KoersDatabase *db, gint64 shared_until, GError **error)
{
  sqlite3_stmt *stmt;

  if (shared_until < 0)
    return TRUE;
  stmt = koers_database_prepare (db, "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
                                     "ON CONFLICT (key) DO UPDATE SET value = "
                                     "min (CAST (value AS INTEGER), excluded.value)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, KOERS_SYNC_STATE_REPULL_SHARED);
  koers_bind_int64 (stmt, 2, shared_until);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_sync_reset_for_full_pull (KoersDatabase *db, gint64 shared_until, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  if (!koers_database_begin (db, error))
    return FALSE;
  if (!keep_shared_history (db, shared_until, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_CURSOR, NULL, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_EPOCH, NULL, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_PULL, NULL, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_COMPLETE, "0", error)
      || !koers_database_exec (db, "INSERT OR IGNORE INTO sync_repull_known (entity, id) "
                                   "SELECT entity, id FROM sync_shadow WHERE erased = 0", error)
      || !koers_sync_recover_keep_shadow (db, error)
      || !koers_database_exec (db, "DELETE FROM sync_shadow", error)
      || !koers_database_commit (db, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}
