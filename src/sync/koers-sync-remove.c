/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Records leaving this device: a working row and what refers to it deleted, a record and its
 * children removed from the working tables and the shadow, their pending outbox rows moved to
 * quarantine (docs/sync-client.md, "Applying a pull page": buitenBereik, gewist).
 */
#include "config.h"

#include "sync/koers-sync-private.h"

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

gboolean
koers_sync_quarantine_row (KoersDatabase *db, gint64 outbox_seq, const char *reason,
                           KoersSyncRefusal refusal, const char *field, gboolean drop_values,
                           GError **error)
{
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (db,
    "INSERT INTO sync_quarantine (outbox_seq, mutation_id, entity, record_id, action, "
    "base_version, diff, device_number, reason, reason_code, field, created_at, "
    "quarantined_at) "
    "SELECT seq, mutation_id, entity, record_id, action, base_version, "
    "CASE WHEN ?3 THEN NULL ELSE diff END, device_number, ?2, ?4, ?5, created_at, " NOW_SQL " "
    "FROM sync_outbox WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, outbox_seq);
  koers_bind_text (stmt, 2, reason);
  koers_bind_bool (stmt, 3, drop_values);
  koers_bind_text (stmt, 4, koers_sync_refusal_to_code (refusal));
  koers_bind_text (stmt, 5, field);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;
  stmt = koers_database_prepare (db, "DELETE FROM sync_outbox WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, outbox_seq);
  return koers_database_step (db, stmt, NULL, error);
}

/* Deletes one working row and the rows of other tables that refer to it (children, import
 * bookkeeping); found through the schema's foreign keys, so a table added later is covered. */
gboolean
koers_sync_delete_working_row (KoersDatabase *db, const char *table, const char *id,
                               GError **error)
{
  g_autoptr(GPtrArray) refs = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  g_autofree char *sql = NULL;

  stmt = koers_database_prepare (db, "SELECT m.name, f.\"from\" FROM sqlite_schema m, "
                                     "pragma_foreign_key_list (m.name) f "
                                     "WHERE m.type = 'table' AND f.\"table\" = ?1 "
                                     "AND m.name <> ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, table);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      g_ptr_array_add (refs, g_strdup (koers_column_text (stmt, 0)));
      g_ptr_array_add (refs, g_strdup (koers_column_text (stmt, 1)));
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; i + 1 < refs->len; i += 2)
    {
      g_autofree char *del = g_strdup_printf ("DELETE FROM \"%s\" WHERE \"%s\" = ?1",
                                              (char *) refs->pdata[i],
                                              (char *) refs->pdata[i + 1]);

      stmt = koers_database_prepare (db, del, error);
      if (stmt == NULL)
        return FALSE;
      koers_bind_text (stmt, 1, id);
      if (!koers_database_step (db, stmt, NULL, error))
        return FALSE;
    }
  sql = g_strdup_printf ("DELETE FROM \"%s\" WHERE id = ?1", table);
  stmt = koers_database_prepare (db, sql, error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  return koers_database_step (db, stmt, NULL, error);
}

/* A record leaves this device for one of two reasons: erased on the server, or moved out of
 * the caller's scope (the only two callers of koers_sync_remove_record()). */
static gboolean
quarantine_pending (KoersDatabase *db, const char *entity, const char *id, const char *reason,
                    gboolean erased, GError **error)
{
  g_autoptr(GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  /* Rows that already carry a device number go to the server, which answers afgewezen (out
   * of scope, erased): taking them out here would leave a gap in the device's numbers. */
  stmt = koers_database_prepare (db, "SELECT seq FROM sync_outbox WHERE entity = ?1 "
                                     "AND record_id = ?2 AND device_number IS NULL", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      gint64 seq = koers_column_int64 (stmt, 0);

      g_array_append_val (seqs, seq);
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; i < seqs->len; i++)
    if (!koers_sync_quarantine_row (db, g_array_index (seqs, gint64, i), reason,
                                    erased ? KOERS_SYNC_REFUSAL_ERASED_HERE
                                           : KOERS_SYNC_REFUSAL_OUT_OF_SCOPE,
                                    NULL, erased, error))
      return FALSE;
  return TRUE;
}

gboolean
koers_sync_remove_record (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                          const char *reason, gboolean erased, gboolean keep_shadow,
                          GError **error)
{
  g_autoptr(GPtrArray) children = g_ptr_array_new_with_free_func (g_free);
  const KoersSyncEntity *entities;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  guint n = 0;

  if (entity->parent_field == NULL)
    {
      entities = koers_sync_entities (&n);
      for (guint i = 0; i < n; i++)
        {
          g_autofree char *sql = NULL;

          if (entities[i].parent_field == NULL || entities[i].table == NULL)
            continue;
          sql = g_strdup_printf ("SELECT id FROM \"%s\" WHERE participant_id = ?1 UNION "
                                 "SELECT id FROM sync_shadow WHERE entity = ?2 AND "
                                 "parent_id = ?1", entities[i].table);
          stmt = koers_database_prepare (db, sql, error);
          if (stmt == NULL)
            return FALSE;
          koers_bind_text (stmt, 1, id);
          koers_bind_text (stmt, 2, entities[i].name);
          while (koers_database_step (db, stmt, &has_row, error) && has_row)
            {
              g_ptr_array_add (children, g_strdup (entities[i].name));
              g_ptr_array_add (children, g_strdup (koers_column_text (stmt, 0)));
            }
          if (error != NULL && *error != NULL)
            return FALSE;
        }
    }
  g_ptr_array_add (children, g_strdup (entity->name));
  g_ptr_array_add (children, g_strdup (id));
  for (guint i = 0; i + 1 < children->len; i += 2)
    {
      const char *child_entity = children->pdata[i];
      const char *child_id = children->pdata[i + 1];

      if (!quarantine_pending (db, child_entity, child_id, reason, erased, error))
        return FALSE;
      if (!keep_shadow)
        {
          stmt = koers_database_prepare (db, "DELETE FROM sync_shadow WHERE entity = ?1 "
                                             "AND id = ?2", error);
          if (stmt == NULL)
            return FALSE;
          koers_bind_text (stmt, 1, child_entity);
          koers_bind_text (stmt, 2, child_id);
          if (!koers_database_step (db, stmt, NULL, error))
            return FALSE;
        }
    }
  return entity->table == NULL || koers_sync_delete_working_row (db, entity->table, id, error);
}
