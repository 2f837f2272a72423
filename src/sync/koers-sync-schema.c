/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-schema.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-recover.h"

#include <string.h>

/*
 * Tables. sync_outbox.seq is AUTOINCREMENT so a number is never given out twice, even after
 * the newest rows were sent and removed. mutation_id and device_number are set together, the
 * first time a row is sent, and kept for every resend (a replay must look the same).
 * sync_shadow.parent_id lets a pull find the children it held back until their participant
 * arrived (the compacted feed may deliver a child before a parent that changed later).
 */
/* sync_shadow is a rowid table: the records (about 1 KB each) are appended in the order they
 * arrive and only the small entries of the (entity, id) index land at random places. Up to
 * schema 8 the records themselves were kept in (entity, id) order (WITHOUT ROWID): with random
 * UUIDs every stored record dirtied a page of its own, which cost a 100,000-record first sync
 * about 10 s of page writes (docs/performance.md, "Sync", session 5). */
#define SHADOW_TABLE_SQL \
  "CREATE TABLE IF NOT EXISTS sync_shadow (\n" \
  "  entity TEXT NOT NULL,\n" \
  "  id TEXT NOT NULL,\n" \
  "  version INTEGER NOT NULL CHECK (version >= 0),\n" \
  "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),\n" \
  "  erased INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)),\n" \
  "  parent_id TEXT,\n" \
  "  record TEXT NOT NULL CHECK (json_valid(record)),\n" \
  "  UNIQUE (entity, id)\n" \
  ");\n" \
  "CREATE INDEX IF NOT EXISTS sync_shadow_parent ON sync_shadow (parent_id);\n"
#define SHADOW_COLUMNS "entity, id, version, deleted, erased, parent_id, record"

static const char tables_sql[] =
  "CREATE TABLE IF NOT EXISTS sync_state (\n"
  "  key TEXT PRIMARY KEY NOT NULL,\n"
  "  value TEXT\n"
  ");\n"
  SHADOW_TABLE_SQL
  "CREATE TABLE IF NOT EXISTS sync_outbox (\n"
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  mutation_id TEXT UNIQUE,\n"
  "  entity TEXT NOT NULL,\n"
  "  record_id TEXT NOT NULL,\n"
  "  action TEXT NOT NULL CHECK (action IN ('aanmaken', 'wijzigen', 'verwijderen',\n"
  "                                         'herstellen', 'oplossen', 'wissen')),\n"
  "  base_version INTEGER,\n"
  "  diff TEXT NOT NULL CHECK (json_valid(diff)),\n"
  "  device_number INTEGER UNIQUE,\n"
  "  created_at TEXT NOT NULL\n"
  ");\n"
  "CREATE INDEX IF NOT EXISTS sync_outbox_record ON sync_outbox (entity, record_id, seq);\n"
  /* reason_code and field follow by ALTER TABLE (add_refusal_columns()). */
  "CREATE TABLE IF NOT EXISTS sync_quarantine (\n"
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
  "  outbox_seq INTEGER NOT NULL,\n"
  "  mutation_id TEXT,\n"
  "  entity TEXT NOT NULL,\n"
  "  record_id TEXT NOT NULL,\n"
  "  action TEXT NOT NULL,\n"
  "  base_version INTEGER,\n"
  /* NULL when the record was erased (AVG): the values may not outlive the erasure. */
  "  diff TEXT CHECK (diff IS NULL OR json_valid(diff)),\n"
  "  device_number INTEGER,\n"
  "  reason TEXT NOT NULL,\n"
  "  created_at TEXT NOT NULL,\n"
  "  quarantined_at TEXT NOT NULL\n"
  ");\n"
  /* Records this device held from the server when a 410 (a restored server, an expired
   * cursor) made it pull everything again; koers_sync_schema_enqueue_lost() sends back the
   * ones the server no longer has. */
  "CREATE TABLE IF NOT EXISTS sync_repull_known (\n"
  "  entity TEXT NOT NULL,\n"
  "  id TEXT NOT NULL,\n"
  "  PRIMARY KEY (entity, id)\n"
  ") WITHOUT ROWID;\n"
  /* The shadow rows of the mergeable entities at that 410, for the values a restored server
   * lost (koers-sync-recover.c). */
  "CREATE TABLE IF NOT EXISTS sync_repull_shadow (\n"
  "  entity TEXT NOT NULL,\n"
  "  id TEXT NOT NULL,\n"
  "  version INTEGER NOT NULL,\n"
  "  deleted INTEGER NOT NULL,\n"
  "  record TEXT NOT NULL,\n"
  "  PRIMARY KEY (entity, id)\n"
  ") WITHOUT ROWID;\n"
  "CREATE TABLE IF NOT EXISTS sync_apply_guard (\n"
  "  active INTEGER PRIMARY KEY CHECK (active = 1)\n"
  ");\n"
  /* The notes' append-only rules, now silent while a pull applies (a note that left the
   * caseload is removed locally; the server keeps it). */
  "DROP TRIGGER IF EXISTS note_no_delete;\n"
  "CREATE TRIGGER note_no_delete BEFORE DELETE ON note\n"
  "WHEN NOT EXISTS (SELECT 1 FROM sync_apply_guard)\n"
  "BEGIN SELECT RAISE (ABORT, 'notes are append-only: they cannot be deleted'); END;\n"
  "DROP TRIGGER IF EXISTS note_no_update;\n"
  "CREATE TRIGGER note_no_update\n"
  "  BEFORE UPDATE OF id, participant_id, kind, occurred_on, body, revision, revision_of,\n"
  "                   created_at, created_by ON note\n"
  "WHEN NOT EXISTS (SELECT 1 FROM sync_apply_guard)\n"
  "BEGIN SELECT RAISE (ABORT, 'notes are append-only: an edit adds a revision'); END;\n";

#define CAPTURE_ACTIVE \
  "NOT EXISTS (SELECT 1 FROM sync_apply_guard) " \
  "AND EXISTS (SELECT 1 FROM sync_state WHERE key = 'capture' AND value = '1')"
/* Inside printf formats. */
#define NOW_SQL "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')"

/* The JSON text of a local value (@ref: "NEW.name"), typed as the declaration says. Empty
 * text is no value: the server keeps no empty members either. */
static char *
encode (const KoersSyncField *field, const char *ref)
{
  switch (field->type)
    {
    case KOERS_SYNC_FIELD_BOOL:
      return g_strdup_printf ("(CASE WHEN %s IS NULL THEN 'null' WHEN %s THEN 'true' "
                              "ELSE 'false' END)", ref, ref);
    case KOERS_SYNC_FIELD_TEXT:
      return g_strdup_printf ("json_quote(nullif(%s, ''))", ref);
    case KOERS_SYNC_FIELD_JSON:
      return g_strdup_printf ("coalesce(json(%s), 'null')", ref);
    case KOERS_SYNC_FIELD_INT:
    case KOERS_SYNC_FIELD_DATE:
    case KOERS_SYNC_FIELD_ENUM:
    case KOERS_SYNC_FIELD_UUID:
    default:
      return g_strdup_printf ("json_quote(%s)", ref);
    }
}

static char *
normalize (const KoersSyncField *field, const char *ref)
{
  return field->type == KOERS_SYNC_FIELD_TEXT ? g_strdup_printf ("nullif(%s, '')", ref)
                                               : g_strdup (ref);
}

char *
koers_sync_sql_decode (const KoersSyncField *field, const char *json, const char *fallback)
{
  if (field->type == KOERS_SYNC_FIELD_TEXT)
    return g_strdup_printf ("coalesce(nullif(json_extract(%s, '$'), ''), %s)", json, fallback);
  return g_strdup_printf ("coalesce(json_extract(%s, '$'), %s)", json, fallback);
}

/* One changed field of an UPDATE as {"was", "wordt"}. `was` is the wire value the edit was
 * based on (the newest pending `wordt`, else the shadow) whenever that is what the row held:
 * a server record without "niveauNederlands" is stored as 'unknown' locally, and sending
 * "unknown" as the base would clash with the server's null for no reason. */
static void
append_update_pair (GString *sql, const KoersSyncEntity *entity, const KoersSyncLocalColumn *col)
{
  const KoersSyncField *field = col->field;
  g_autofree char *old_ref = g_strdup_printf ("OLD.\"%s\"", field->column);
  g_autofree char *new_ref = g_strdup_printf ("NEW.\"%s\"", field->column);
  g_autofree char *old_enc = encode (field, old_ref);
  g_autofree char *new_enc = encode (field, new_ref);
  g_autofree char *old_norm = normalize (field, old_ref);
  g_autofree char *new_norm = normalize (field, new_ref);
  g_autofree char *base_dec = koers_sync_sql_decode (field, "b", col->fallback);

  g_string_append_printf (sql,
    "SELECT '%s' AS k, json_object('was', json((SELECT CASE WHEN %s IS %s THEN b ELSE %s END "
    "FROM (SELECT coalesce("
    "(SELECT o.diff -> '$.%s.wordt' FROM sync_outbox o WHERE o.entity = '%s' "
    "AND o.record_id = OLD.id AND o.diff -> '$.%s' IS NOT NULL ORDER BY o.seq DESC LIMIT 1), "
    "(SELECT s.record -> '$.gegevens.%s' FROM sync_shadow s WHERE s.entity = '%s' "
    "AND s.id = OLD.id), 'null') AS b))), "
    "'wordt', json(%s)) AS v WHERE %s IS NOT %s\n",
    field->name, base_dec, old_norm, old_enc,
    field->name, entity->name, field->name,
    field->name, entity->name,
    new_enc, old_norm, new_norm);
}

/* Every field with a value, as an `aanmaken` diff; @alias: "NEW" or a table alias. */
static char *
create_diff (GPtrArray *columns, const char *alias)
{
  GString *sql = g_string_new ("(SELECT json_group_object(k, json(v)) FROM (");

  for (guint i = 0; i < columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (columns, i);
      g_autofree char *ref = g_strdup_printf ("%s.\"%s\"", alias, col->field->column);
      g_autofree char *enc = encode (col->field, ref);
      g_autofree char *norm = normalize (col->field, ref);

      g_string_append_printf (sql, "%sSELECT '%s' AS k, json_object('was', json('null'), "
                              "'wordt', json(%s)) AS v WHERE %s IS NOT NULL\n",
                              i > 0 ? "UNION ALL " : "", col->field->name, enc, norm);
    }
  g_string_append (sql, "))");
  return g_string_free (sql, FALSE);
}

static void
append_triggers (GString *sql, const KoersSyncEntity *entity, GPtrArray *columns)
{
  g_autofree char *insert_diff = create_diff (columns, "NEW");
  GString *changed = g_string_new ("OLD.deleted IS NOT NEW.deleted");
  GString *pairs = g_string_new (NULL);

  for (guint i = 0; i < columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (columns, i);
      g_autofree char *old_ref = g_strdup_printf ("OLD.\"%s\"", col->field->column);
      g_autofree char *new_ref = g_strdup_printf ("NEW.\"%s\"", col->field->column);
      g_autofree char *old_norm = normalize (col->field, old_ref);
      g_autofree char *new_norm = normalize (col->field, new_ref);

      g_string_append_printf (changed, " OR %s IS NOT %s", old_norm, new_norm);
      if (i > 0)
        g_string_append (pairs, "UNION ALL ");
      append_update_pair (pairs, entity, col);
    }

  g_string_append_printf (sql,
    "DROP TRIGGER IF EXISTS sync_capture_%s_insert;\n"
    "CREATE TRIGGER sync_capture_%s_insert AFTER INSERT ON %s\n"
    "WHEN " CAPTURE_ACTIVE "\n"
    "BEGIN\n"
    "  INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at)\n"
    "  VALUES ('%s', NEW.id, 'aanmaken', NULL, %s, " NOW_SQL ");\n"
    "  INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at)\n"
    "  SELECT '%s', NEW.id, 'verwijderen', NULL, '{}', " NOW_SQL " WHERE NEW.deleted = 1;\n"
    "END;\n",
    entity->table, entity->table, entity->table, entity->name, insert_diff, entity->name);
  g_string_append_printf (sql,
    "DROP TRIGGER IF EXISTS sync_capture_%s_update;\n"
    "CREATE TRIGGER sync_capture_%s_update AFTER UPDATE ON %s\n"
    "WHEN " CAPTURE_ACTIVE " AND (%s)\n"
    "BEGIN\n"
    "  INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at)\n"
    "  SELECT '%s', NEW.id, 'herstellen', nullif(OLD.version, 0), '{}', " NOW_SQL "\n"
    "  WHERE OLD.deleted = 1 AND NEW.deleted = 0;\n"
    "  INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at)\n"
    "  SELECT '%s', NEW.id, 'wijzigen', nullif(OLD.version, 0), d, " NOW_SQL "\n"
    "  FROM (SELECT (SELECT json_group_object(k, json(v)) FROM (%s)) AS d) WHERE d <> '{}';\n"
    "  INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at)\n"
    "  SELECT '%s', NEW.id, 'verwijderen', nullif(OLD.version, 0), '{}', " NOW_SQL "\n"
    "  WHERE OLD.deleted = 0 AND NEW.deleted = 1;\n"
    "END;\n",
    entity->table, entity->table, entity->table, changed->str, entity->name, entity->name,
    pairs->str, entity->name);
  g_string_free (changed, TRUE);
  g_string_free (pairs, TRUE);
}

char *
koers_sync_schema_get_sql (void)
{
  GString *sql = g_string_new (tables_sql);
  const KoersSyncEntity *entities;
  guint n = 0;

  entities = koers_sync_entities (&n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) columns = NULL;

      if (entities[i].table == NULL)
        continue;                       /* shadow-only (conflict records) */
      columns = koers_sync_local_columns (&entities[i]);
      append_triggers (sql, &entities[i], columns);
    }
  return g_string_free (sql, FALSE);
}

/* Schema 12: a refusal's code and field beside its sentence (koers-sync-refusal.h), so the
 * window says it in the user's language. Added with ALTER TABLE in new databases too, so both
 * end with the same schema text. */
static gboolean
add_refusal_columns (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  stmt = koers_database_prepare (db, "SELECT 1 FROM pragma_table_info ('sync_quarantine') "
                                     "WHERE name = 'reason_code'", error);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  sqlite3_reset (stmt);
  if (has_row)
    return TRUE;
  /* Rows quarantined before get the client's own codes back: only a change never sent (no
   * device number) is quarantined here, erased (values dropped) or moved out of scope. What
   * the server refused keeps no code and shows its sentence. */
  return koers_database_exec (db, "ALTER TABLE sync_quarantine ADD COLUMN reason_code TEXT;\n"
                                  "ALTER TABLE sync_quarantine ADD COLUMN field TEXT;\n"
                                  "UPDATE sync_quarantine SET reason_code = CASE WHEN diff IS "
                                  "NULL THEN 'gewistOntvangen' ELSE 'buitenBereik' END "
                                  "WHERE device_number IS NULL;\n", error);
}

gboolean
koers_sync_schema_install (KoersDatabase *db, GError **error)
{
  g_autofree char *sql = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  sql = koers_sync_schema_get_sql ();
  if (!koers_database_begin (db, error))
    return FALSE;
  if (!koers_database_exec (db, sql, error) || !add_refusal_columns (db, error)
      || !koers_database_commit (db, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_sync_schema_set_capture (KoersDatabase *db, gboolean enabled, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  return koers_sync_state_set (db, KOERS_SYNC_STATE_CAPTURE, enabled ? "1" : "0", error);
}

/* Queues an `aanmaken` for each working row with no shadow row and no outbox row: every such
 * row (@lost FALSE: not deleted), or only the rows listed in sync_repull_known (@lost TRUE:
 * deleted ones too, followed by their `verwijderen`, so the tombstone stays restorable). */
static gboolean
enqueue_records (KoersDatabase *db, gboolean lost, guint *out_n, GError **error)
{
  const KoersSyncEntity *entities;
  guint n = 0;

  if (out_n != NULL)
    *out_n = 0;
  entities = koers_sync_entities (&n);
  if (!koers_database_begin (db, error))
    return FALSE;
  /* Declaration order puts participants before their children; rowid order keeps a note's
   * original before its revisions. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GPtrArray) columns = NULL;
      g_autofree char *diff = NULL;
      g_autofree char *insert = NULL;
      g_autofree char *which = NULL;

      if (entities[i].table == NULL)
        continue;
      columns = koers_sync_local_columns (&entities[i]);
      diff = create_diff (columns, "t");
      which = lost ? g_strdup_printf ("EXISTS (SELECT 1 FROM sync_repull_known k "
                                      "WHERE k.entity = '%s' AND k.id = t.id)",
                                      entities[i].name)
                   : g_strdup ("t.deleted = 0");
      insert = g_strdup_printf (
        "INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at) "
        "SELECT '%s', t.id, 'aanmaken', NULL, %s, " NOW_SQL " FROM %s t "
        "WHERE %s "
        "AND NOT EXISTS (SELECT 1 FROM sync_shadow s WHERE s.entity = '%s' AND s.id = t.id) "
        "AND NOT EXISTS (SELECT 1 FROM sync_outbox o WHERE o.entity = '%s' "
        "AND o.record_id = t.id) ORDER BY t.rowid",
        entities[i].name, diff, entities[i].table, which, entities[i].name, entities[i].name);
      if (!koers_database_exec (db, insert, error))
        goto failed;
      if (out_n != NULL)
        *out_n += (guint) sqlite3_changes (koers_database_get_handle (db));
      if (!lost)
        continue;
      g_free (insert);
      insert = g_strdup_printf (
        "INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at) "
        "SELECT '%s', t.id, 'verwijderen', NULL, '{}', " NOW_SQL " FROM %s t "
        "WHERE t.deleted = 1 AND %s "
        "AND NOT EXISTS (SELECT 1 FROM sync_shadow s WHERE s.entity = '%s' AND s.id = t.id) "
        "AND (SELECT group_concat(o.action) FROM sync_outbox o WHERE o.entity = '%s' "
        "AND o.record_id = t.id) = 'aanmaken' ORDER BY t.rowid",
        entities[i].name, entities[i].table, which, entities[i].name, entities[i].name);
      if (!koers_database_exec (db, insert, error))
        goto failed;
    }
  if (lost)
    {
      guint recovered = 0;

      if (!koers_sync_recover_values (db, &recovered, error)
          || !koers_database_exec (db, "DELETE FROM sync_repull_known", error))
        goto failed;
      if (out_n != NULL)
        *out_n += recovered;
    }
  if (!koers_database_commit (db, error))
    goto failed;
  return TRUE;

failed:
  koers_database_rollback (db);
  if (out_n != NULL)
    *out_n = 0;
  return FALSE;
}

gboolean
koers_sync_schema_enqueue_all (KoersDatabase *db, guint *out_n, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  return enqueue_records (db, FALSE, out_n, error);
}

gboolean
koers_sync_schema_enqueue_lost (KoersDatabase *db, guint *out_n, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  if (out_n != NULL)
    *out_n = 0;
  /* Called after every complete pull: nothing to do unless a 410 left a list. */
  stmt = koers_database_prepare (db, "SELECT 1 FROM sync_repull_known LIMIT 1", error);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  sqlite3_reset (stmt);   /* a statement left at its row would pin a read snapshot */
  if (!has_row)
    return TRUE;
  return enqueue_records (db, TRUE, out_n, error);
}

/* Rows go through a holding table because SQLite can rename a table only while every
 * trigger that names it still parses, and the capture triggers name sync_shadow; a table that
 * is dropped and made again under its own name leaves them as they are, and the schema text
 * is exactly that of a new database. */
gboolean
koers_sync_schema_upgrade_shadow (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gboolean without_rowid;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  stmt = koers_database_prepare (db, "SELECT sql LIKE '%WITHOUT ROWID%' FROM sqlite_schema "
                                     "WHERE type = 'table' AND name = 'sync_shadow'", error);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  without_rowid = has_row && koers_column_int64 (stmt, 0) == 1;
  sqlite3_reset (stmt);
  if (!without_rowid)
    return TRUE;
  return koers_database_exec (db,
    "CREATE TABLE sync_shadow_before_v9 AS SELECT " SHADOW_COLUMNS " FROM sync_shadow;\n"
    "DROP TABLE sync_shadow;\n"
    SHADOW_TABLE_SQL
    "INSERT INTO sync_shadow (" SHADOW_COLUMNS ") SELECT " SHADOW_COLUMNS
    " FROM sync_shadow_before_v9;\n"
    "DROP TABLE sync_shadow_before_v9;\n", error);
}

char *
koers_sync_state_get (KoersDatabase *db, const char *key, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  char *value;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  stmt = koers_database_prepare (db, "SELECT value FROM sync_state WHERE key = ?1", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, key);
  if (!koers_database_step (db, stmt, &has_row, error) || !has_row)
    return NULL;
  value = g_strdup (koers_column_text (stmt, 0));
  /* Not left busy: a busy statement holds a read snapshot open (see koers-database.c). */
  sqlite3_reset (stmt);
  return value;
}

gboolean
koers_sync_state_set (KoersDatabase *db, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  stmt = koers_database_prepare (db, value != NULL
                                     ? "INSERT INTO sync_state (key, value) VALUES (?1, ?2) "
                                       "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                     : "DELETE FROM sync_state WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, key);
  if (value != NULL)
    koers_bind_text (stmt, 2, value);
  return koers_database_step (db, stmt, NULL, error);
}

gint64
koers_sync_state_get_int (KoersDatabase *db, const char *key, gint64 fallback)
{
  g_autofree char *text = koers_sync_state_get (db, key, NULL);
  gint64 value;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, &value,
                                                 NULL))
    return fallback;
  return value;
}

static gint64
count_rows (KoersDatabase *db, const char *sql)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, NULL);
  gboolean has_row = FALSE;
  gint64 count;

  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, NULL) || !has_row)
    return -1;
  count = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

gint64
koers_sync_schema_count_pending (KoersDatabase *db)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), -1);
  return count_rows (db, "SELECT count(*) FROM sync_outbox");
}

gint64
koers_sync_schema_count_quarantined (KoersDatabase *db)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), -1);
  return count_rows (db, "SELECT count(*) FROM sync_quarantine");
}
