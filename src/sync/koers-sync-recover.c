/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Values a restored server lost.
 *
 * A server put back from an older backup answers 410 and every device pulls everything again
 * (SYNC.md). Records the server no longer has at all go back up whole
 * (koers_sync_schema_enqueue_lost). This file handles the records it still has, but in an
 * older state: a field a coach changed after the backup was taken, which this device had
 * synced (sent or pulled) before the restore.
 *
 * When the 410 arrives the shadow rows of the mergeable entities are kept aside
 * (sync_repull_shadow: each record as this device last had it from the server, with its
 * version). When the pull from 0 ends, a record whose kept version is higher than the version
 * the restored server now gives it is a record the server went back on: the restored backup is
 * an earlier state of the same history, so its versions up to the backup are the same numbers,
 * and a higher kept version means changes made after the backup. Its kept values go back into
 * the working row, field by field, where no unsent edit of the coach's own touches that field;
 * the change-capture triggers then queue them as an ordinary `wijzigen` (or `verwijderen` /
 * `herstellen`), based on what the server holds now, so the server's merge applies them or
 * finds them already there when another device gave them back first.
 *
 * A record the restored server holds at the same or a higher version is left as pulled: the
 * server is ahead of what this device knew (a device that had not synced since before the
 * backup, or a cursor that merely expired).
 *
 * Numbers given out again. After the restore the server counts on from the backup's last
 * volgnummer, so a record someone changed again on the restored server before this device
 * pulled carries a version that says nothing about the old history. The 410 says up to which
 * number the two histories are the same (gedeeldTot, kept in sync_state until this step):
 * versions are compared only that far, so a kept version past it against a server version at
 * or below it is a loss as above, and a kept version past it against a server version past
 * it too is a record whose lost values and newer edits cannot be told apart. Its differing
 * fields are queued as for a loss, but each change says it was based on the device's own
 * value (ask_instead_of_overwrite): the server keeps its value and records a conflict, and the
 * people involved choose. Without a gedeeldTot (an expired cursor, an older server) the
 * versions are compared as they are.
 */
#include "config.h"

#include "sync/koers-sync-recover.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"

static gboolean
recoverable_field (const KoersSyncField *field)
{
  return field->merge == KOERS_SYNC_MERGE_FIELD || field->merge == KOERS_SYNC_MERGE_STATE;
}

/* 'deelnemers', 'activiteiten', ...: the entities whose fields a device may change. */
static char *
mergeable_entity_list (void)
{
  const KoersSyncEntity *entities;
  GString *list = g_string_new (NULL);
  guint n = 0;

  entities = koers_sync_entities (&n);
  for (guint i = 0; i < n; i++)
    if (entities[i].table != NULL && entities[i].kind == KOERS_SYNC_ENTITY_MERGEABLE)
      g_string_append_printf (list, "%s'%s'", list->len > 0 ? ", " : "", entities[i].name);
  return g_string_free (list, FALSE);
}

gboolean
koers_sync_recover_keep_shadow (KoersDatabase *db, GError **error)
{
  g_autofree char *entities = mergeable_entity_list ();
  g_autofree char *sql = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  /* OR IGNORE: a second 410 during the pull from 0 must not replace what the device held
   * before the first with the partial state of the new pull. */
  sql = g_strdup_printf ("INSERT OR IGNORE INTO sync_repull_shadow "
                         "(entity, id, version, deleted, record) "
                         "SELECT entity, id, version, deleted, record FROM sync_shadow "
                         "WHERE erased = 0 AND entity IN (%s)", entities);
  return koers_database_exec (db, sql, error);
}

/* The restored server's gedeeldTot, NULL when the 410 gave none. */
#define SHARED_SQL \
  "(SELECT CAST (value AS INTEGER) FROM sync_state WHERE key = '" \
  KOERS_SYNC_STATE_REPULL_SHARED "')"

/* One UPDATE per entity: each recoverable column takes the kept value unless an unsent edit
 * names the field; `deleted` likewise unless a delete or restore is waiting. */
static char *
recover_sql (const KoersSyncEntity *entity)
{
  g_autoptr(GPtrArray) columns = koers_sync_local_columns (entity);
  GString *sql = g_string_new (NULL);
  guint n_set = 0;

  g_string_append_printf (sql, "UPDATE %s AS t SET ", entity->table);
  for (guint i = 0; i < columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (columns, i);
      g_autofree char *kept = NULL;
      g_autofree char *value = NULL;

      if (!recoverable_field (col->field))
        continue;
      kept = g_strdup_printf ("(r.record -> '$.gegevens.%s')", col->field->name);
      value = koers_sync_sql_decode (col->field, kept, col->fallback);
      g_string_append_printf (sql,
        "%s\"%s\" = CASE WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = '%s' "
        "AND o.record_id = t.id AND o.diff -> '$.%s' IS NOT NULL) THEN t.\"%s\" ELSE %s END",
        n_set++ > 0 ? ", " : "", col->field->column, entity->name, col->field->name,
        col->field->column, value);
    }
  g_string_append_printf (sql,
    "%sdeleted = CASE WHEN EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = '%s' "
    "AND o.record_id = t.id AND o.action IN ('verwijderen', 'herstellen')) THEN t.deleted "
    "ELSE r.deleted END "
    "FROM sync_repull_shadow r, sync_shadow s "
    "WHERE r.entity = '%s' AND r.id = t.id AND s.entity = '%s' AND s.id = t.id "
    "AND s.erased = 0 AND r.version > min (s.version, coalesce (" SHARED_SQL ", s.version))",
    n_set > 0 ? ", " : "", entity->name, entity->name, entity->name);
  return g_string_free (sql, FALSE);
}

/* A record changed again on the restored server (its version is past what the epochs share)
 * while this device held a state from after the backup: which of its fields the server lost
 * and which someone changed since cannot be told apart. The changes just queued for it then
 * say they were based on the device's own value ("was" = "wordt"): where the server holds
 * another value the merge keeps it and records a conflict, for the people involved to choose;
 * where it holds the same, nothing changes. */
static gboolean
ask_instead_of_overwrite (KoersDatabase *db, gint64 after_seq, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db,
    "UPDATE sync_outbox AS o SET diff = (SELECT json_group_object (d.key, "
    "json_set (d.value, '$.was', d.value -> '$.wordt')) FROM json_each (o.diff) d) "
    "WHERE o.seq > ?1 AND o.action = 'wijzigen' AND EXISTS (SELECT 1 FROM "
    "sync_repull_shadow r, sync_shadow s WHERE r.entity = o.entity AND r.id = o.record_id "
    "AND s.entity = o.entity AND s.id = o.record_id AND r.version > " SHARED_SQL " "
    "AND s.version > " SHARED_SQL ")", error);

  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, after_seq);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_sync_recover_values (KoersDatabase *db, guint *out_n, GError **error)
{
  const KoersSyncEntity *entities;
  g_autofree char *capture = NULL;
  gint64 before, after, last_seq = 0;
  guint n = 0;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  if (out_n != NULL)
    *out_n = 0;
  /* The triggers write the mutations; without capture (never signed in) there is no server
   * to give anything back to. */
  capture = koers_sync_state_get (db, KOERS_SYNC_STATE_CAPTURE, error);
  if (g_strcmp0 (capture, "1") != 0)
    return error == NULL || *error == NULL;

  before = koers_sync_schema_count_pending (db);
  if (!koers_database_query_int64 (db, "SELECT coalesce (max (seq), 0) FROM sync_outbox",
                                   &last_seq, error))
    return FALSE;
  entities = koers_sync_entities (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sql = NULL;

      if (entities[i].table == NULL || entities[i].kind != KOERS_SYNC_ENTITY_MERGEABLE)
        continue;
      sql = recover_sql (&entities[i]);
      if (!koers_database_exec (db, sql, error))
        return FALSE;
    }
  if (!ask_instead_of_overwrite (db, last_seq, error))
    return FALSE;
  after = koers_sync_schema_count_pending (db);
  if (before < 0 || after < 0)
    {
      g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL,
                           "The outbox could not be counted");
      return FALSE;
    }
  if (out_n != NULL)
    *out_n = (guint) (after - before);
  return koers_database_exec (db, "DELETE FROM sync_repull_shadow", error)
         && koers_sync_state_set (db, KOERS_SYNC_STATE_REPULL_SHARED, NULL, error);
}
