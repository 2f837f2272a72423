/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Outbox compaction: before rows are numbered for sending, changes that cancel each other out
 * on this device are taken out, so an undo the user made before anything left the laptop
 * sends nothing (docs/sync-client.md, "Outbox compaction"). Only rows that were never
 * numbered are touched: a numbered row may have reached the server and is sent as it is.
 *
 * - A record of an append-only kind (a status change) created and deleted again, none of it
 *   sent: the server never saw it and refuses a delete of such a record, so nothing of it goes
 *   and its local tombstone is removed (notes cannot be deleted at all, so this is the status
 *   history's undo).
 * - Several changes of one record's workflow fields (a status), nothing else waiting for it
 *   and none of it on its way, that together leave every field at the value the server holds
 *   (the shadow): none goes. A status taken one step forward and back again is no change at
 *   all, where sending both would meet the server's workflow, which has no step back. Every
 *   other change goes as it is, every step, even one typed over or back (the server's history
 *   keeps each value a coach typed; the sync tests' "no lost write" holds the client to it).
 */
#include "config.h"

#include "sync/koers-sync-push.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-private.h"

typedef struct {
  gint64  seq;
  char   *action;
  char   *diff;
} PendingRow;

static void
pending_row_free (gpointer data)
{
  PendingRow *row = data;

  g_free (row->action);
  g_free (row->diff);
  g_free (row);
}

static gboolean
delete_rows (KoersDatabase *db, GPtrArray *rows, guint from, GError **error)
{
  for (guint i = from; i < rows->len; i++)
    {
      PendingRow *row = g_ptr_array_index (rows, i);
      sqlite3_stmt *stmt = koers_database_prepare (db, "DELETE FROM sync_outbox WHERE seq = ?1",
                                                   error);

      if (stmt == NULL)
        return FALSE;
      koers_bind_int64 (stmt, 1, row->seq);
      if (!koers_database_step (db, stmt, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
has_numbered_rows (KoersDatabase *db, const char *entity, const char *id, gboolean *out,
                   GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT 1 FROM sync_outbox WHERE entity = ?1 "
                                                   "AND record_id = ?2 AND device_number IS NOT "
                                                   "NULL LIMIT 1", error);

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  if (!koers_database_step (db, stmt, out, error))
    return FALSE;
  sqlite3_reset (stmt);
  return TRUE;
}

/* (transfer full) (nullable) the fields the server holds for the record, from its shadow. */
static JsonObject *
shadow_fields (KoersDatabase *db, const char *entity, const char *id, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT record ->> '$.gegevens' "
                                                   "FROM sync_shadow WHERE entity = ?1 AND "
                                                   "id = ?2 AND deleted = 0 AND erased = 0",
                                               error);
  g_autoptr(JsonNode) node = NULL;
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  if (!koers_database_step (db, stmt, &has_row, error) || !has_row)
    return NULL;
  if (koers_column_text (stmt, 0) != NULL)
    node = json_from_string (koers_column_text (stmt, 0), NULL);
  sqlite3_reset (stmt);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

/* The changes of one record, none numbered, all of workflow fields (a status): all of them go
 * when, taken together, they leave every field at the value the server holds. Anything else
 * is sent as it is, every step of it (the server's history keeps each value a coach typed). */
static gboolean
drop_if_back_to_server (KoersDatabase *db, const KoersSyncEntity *kind, const char *entity,
                        const char *id, GPtrArray *rows, GError **error)
{
  g_autoptr(JsonObject) merged = json_object_new ();
  g_autoptr(JsonObject) server = NULL;
  g_autoptr(GList) names = NULL;
  GError *local_error = NULL;

  for (guint i = 0; i < rows->len; i++)
    {
      PendingRow *row = g_ptr_array_index (rows, i);
      g_autoptr(JsonNode) diff = json_from_string (row->diff, NULL);
      g_autoptr(GList) members = NULL;

      if (diff == NULL || !JSON_NODE_HOLDS_OBJECT (diff))
        return TRUE;   /* not ours to judge: sent as it is, the server says what is wrong */
      /* A change is {"field": {"was": ..., "wordt": ...}}: the last "wordt" counts. */
      members = json_object_get_members (json_node_get_object (diff));
      for (GList *l = members; l != NULL; l = l->next)
        {
          JsonNode *change = json_object_get_member (json_node_get_object (diff), l->data);
          JsonNode *value;

          const KoersSyncField *field = koers_sync_entity_field (kind, l->data);

          /* Only a workflow field: there a step back cannot be sent at all. Any other value
           * typed and typed over goes, so it stays in the server's history. */
          if (field == NULL || field->merge != KOERS_SYNC_MERGE_STATE
              || !JSON_NODE_HOLDS_OBJECT (change)
              || (value = json_object_get_member (json_node_get_object (change), "wordt")) == NULL)
            return TRUE;
          json_object_set_member (merged, l->data, json_node_copy (value));
        }
    }

  server = shadow_fields (db, entity, id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (server == NULL)
    return TRUE;
  names = json_object_get_members (merged);
  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonNode *held = json_object_get_member (server, l->data);
      JsonNode *now = json_object_get_member (merged, l->data);

      if (held != NULL ? !json_node_equal (held, now) : !JSON_NODE_HOLDS_NULL (now))
        return TRUE;
    }
  return delete_rows (db, rows, 0, error);
}

/* @rows: the record's unnumbered rows, at least two, in order. */
static gboolean
compact_record (KoersDatabase *db, const char *entity_name, const char *id, GPtrArray *rows,
                GError **error)
{
  const KoersSyncEntity *entity = koers_sync_entity_lookup (entity_name);
  PendingRow *first = g_ptr_array_index (rows, 0);
  PendingRow *last = g_ptr_array_index (rows, rows->len - 1);
  gboolean numbered = FALSE;
  gboolean all_changes = TRUE;

  if (entity == NULL)
    return TRUE;
  if (!has_numbered_rows (db, entity_name, id, &numbered, error))
    return FALSE;
  if (entity->kind == KOERS_SYNC_ENTITY_APPEND_ONLY && !numbered
      && g_str_equal (first->action, "aanmaken") && g_str_equal (last->action, "verwijderen"))
    {
      /* Its tombstone goes too: a record of this laptop alone that nobody will ever see. */
      g_autofree char *sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1 AND deleted = 1",
                                              entity->table);
      sqlite3_stmt *stmt = koers_database_prepare (db, sql, error);

      if (stmt == NULL)
        return FALSE;
      koers_bind_text (stmt, 1, id);
      return koers_database_step (db, stmt, NULL, error) && delete_rows (db, rows, 0, error);
    }
  for (guint i = 0; i < rows->len && all_changes; i++)
    all_changes = g_str_equal (((PendingRow *) g_ptr_array_index (rows, i))->action, "wijzigen");
  if (entity->kind == KOERS_SYNC_ENTITY_MERGEABLE && all_changes && !numbered)
    return drop_if_back_to_server (db, entity, entity_name, id, rows, error);
  return TRUE;
}

/* (transfer full) the record's unnumbered rows in order, or NULL with @error set. */
static GPtrArray *
pending_rows (KoersDatabase *db, const char *entity, const char *id, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (pending_row_free);
  GError *local_error = NULL;
  gboolean has_row = FALSE;
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT seq, action, diff FROM sync_outbox "
                                                   "WHERE entity = ?1 AND record_id = ?2 AND "
                                                   "device_number IS NULL ORDER BY seq", error);

  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      PendingRow *row = g_new0 (PendingRow, 1);

      row->seq = koers_column_int64 (stmt, 0);
      row->action = g_strdup (koers_column_text (stmt, 1));
      row->diff = g_strdup (koers_column_text (stmt, 2));
      g_ptr_array_add (rows, row);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

/**
 * koers_sync_outbox_compact:
 * @db: the caseload, inside the transaction that numbers the outbox
 *
 * Takes out what cancels on this device among the rows not numbered yet (see the top of
 * this file). Only records with two or more such rows are read (a first "send what is
 * here" can queue 100,000 creations, one each).
 */
gboolean
koers_sync_outbox_compact (KoersDatabase *db, GError **error)
{
  g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);  /* entity, id, ... */
  GError *local_error = NULL;
  gboolean has_row = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  stmt = koers_database_prepare (db, "SELECT entity, record_id FROM sync_outbox "
                                     "WHERE device_number IS NULL GROUP BY entity, record_id "
                                     "HAVING count(*) >= 2", error);
  if (stmt == NULL)
    return FALSE;
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    {
      g_ptr_array_add (keys, g_strdup (koers_column_text (stmt, 0)));
      g_ptr_array_add (keys, g_strdup (koers_column_text (stmt, 1)));
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }

  for (guint i = 0; i + 1 < keys->len; i += 2)
    {
      const char *entity = g_ptr_array_index (keys, i);
      const char *id = g_ptr_array_index (keys, i + 1);
      g_autoptr(GPtrArray) rows = pending_rows (db, entity, id, error);

      if (rows == NULL || !compact_record (db, entity, id, rows, error))
        return FALSE;
    }
  return TRUE;
}
