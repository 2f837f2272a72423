/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Working rows from the shadow: a working row is always the last server state plus this
 * device's pending changes in order (docs/sync-client.md, "Applying a pull page").
 */
#include "config.h"

#include "sync/koers-sync-private.h"
#include "sync/koers-sync-record-state.h"

#include "core/koers-json-parser.h"

#include <string.h>

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static void
local_column_free (gpointer data)
{
  KoersSyncLocalColumn *col = data;

  g_free (col->fallback);
  g_free (col);
}

static char *
fallback_for (const KoersSyncField *field)
{
  switch (field->type)
    {
    case KOERS_SYNC_FIELD_BOOL:
      return g_strdup ("0");
    case KOERS_SYNC_FIELD_INT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, field->min <= 0 && field->max >= 0
                                                   ? 0 : field->min);
    case KOERS_SYNC_FIELD_ENUM:
      if (field->enum_ids == NULL || field->enum_ids[0] == NULL)
        return g_strdup ("NULL");
      if (g_strv_contains ((const char * const *) field->enum_ids, "unknown"))
        return g_strdup ("'unknown'");
      if (field->merge == KOERS_SYNC_MERGE_STATE)
        {
          char *quoted = sqlite3_mprintf ("%Q", field->enum_ids[0]);
          char *copy = g_strdup (quoted);

          sqlite3_free (quoted);
          return copy;
        }
      return g_strdup ("NULL");
    case KOERS_SYNC_FIELD_TEXT:
    case KOERS_SYNC_FIELD_DATE:
    case KOERS_SYNC_FIELD_UUID:
    case KOERS_SYNC_FIELD_JSON:
    default:
      return g_strdup ("NULL");
    }
}

GPtrArray *
koers_sync_local_columns (const KoersSyncEntity *entity)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (local_column_free);

  for (guint i = 0; i < entity->n_fields; i++)
    {
      KoersSyncLocalColumn *col;

      if (entity->fields[i].column == NULL || entity->fields[i].type == KOERS_SYNC_FIELD_JSON)
        continue;
      col = g_new0 (KoersSyncLocalColumn, 1);
      col->field = &entity->fields[i];
      col->fallback = fallback_for (col->field);
      g_ptr_array_add (columns, col);
    }
  return columns;
}

gboolean
koers_sync_guard (KoersDatabase *db, gboolean on, GError **error)
{
  return koers_database_exec (db, on ? "INSERT OR IGNORE INTO sync_apply_guard VALUES (1)"
                                     : "DELETE FROM sync_apply_guard", error);
}

/* Text this database stored (a shadow record, an outbox diff) as a document whose root is an
 * object, or NULL. The strict reader takes what our writer and SQLite's json functions write;
 * an older version's text it refuses (json-glib's generator wrote control characters raw) is
 * read by json-glib and written again first. */
static KoersJsonDoc *
parse_stored_text (const char *text)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(KoersJsonDoc) doc = NULL;

  if (text == NULL)
    return NULL;
  bytes = g_bytes_new (text, strlen (text));
  doc = koers_json_doc_parse (bytes, KOERS_SYNC_JSON_MAX_DEPTH, NULL);
  if (doc == NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autofree char *written = NULL;

      if (!json_parser_load_from_data (parser, text, -1, NULL)
          || json_parser_get_root (parser) == NULL)
        return NULL;
      written = koers_sync_json_to_string (json_parser_get_root (parser));
      g_clear_pointer (&bytes, g_bytes_unref);
      bytes = g_bytes_new_take (written, strlen (written));
      written = NULL;
      doc = koers_json_doc_parse (bytes, G_MAXUINT, NULL);
    }
  if (koers_json_doc_kind (doc, 0) != KOERS_JSON_OBJECT)
    return NULL;
  return g_steal_pointer (&doc);
}

static void
record_state_clear (RecordState *state)
{
  g_clear_pointer (&state->pending, g_hash_table_unref);
  g_clear_pointer (&state->pending_docs, g_ptr_array_unref);
  g_clear_pointer (&state->doc, koers_json_doc_unref);
}

/* The value of field @name: a pending change's, else the shadow's (KOERS_JSON_NONE: none). */
static DocValue
state_value (RecordState *state, const char *name)
{
  DocValue found = { state->doc, koers_json_doc_member (state->doc, state->values, name) };
  DocValue *pending = state->pending != NULL ? g_hash_table_lookup (state->pending, name)
                                             : NULL;

  return pending != NULL ? *pending : found;
}

static const char *
state_string (RecordState *state, const char *name)
{
  DocValue value = state_value (state, name);

  return koers_json_doc_get_string (value.doc, value.value);
}

/* A pending `aanmaken` or `wijzigen` row's diff: each field's "wordt" overrides the shadow. */
static void
state_add_diff (RecordState *state, KoersJsonDoc *diff)
{
  if (state->pending == NULL)
    {
      state->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
      state->pending_docs = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                            koers_json_doc_unref);
    }
  g_ptr_array_add (state->pending_docs, koers_json_doc_ref (diff));
  for (KoersJsonRef change = koers_json_doc_first (diff, 0); change != KOERS_JSON_NONE;
       change = koers_json_doc_next (diff, change))
    {
      KoersJsonRef becomes = koers_json_doc_member (diff, change, "wordt");
      DocValue *value;

      if (becomes == KOERS_JSON_NONE)
        continue;
      value = g_new (DocValue, 1);
      value->doc = diff;
      value->value = becomes;
      /* Names live in @diff, which the state holds: a later row's change replaces it. */
      g_hash_table_replace (state->pending, (gpointer) koers_json_doc_name (diff, change), value);
    }
}

static void
state_from_shadow (RecordState *state, KoersJsonDoc *doc, KoersJsonRef record)
{
  gint64 version = 0;
  gboolean ok = TRUE;

  state->doc = doc;
  state->record = record;
  state->values = koers_sync_doc_object (doc, record, "gegevens");
  state->exists = TRUE;
  koers_sync_doc_int (doc, record, "versie", &version);
  state->version = version;
  state->deleted = koers_sync_doc_bool (doc, record, "verwijderd", FALSE, &ok);
  state->erased = koers_sync_doc_bool (doc, record, "gewist", FALSE, &ok);
}

/* @doc (nullable): holds the shadow record @record as just stored by the caller, which saves
 * reading it back and parsing it again; NULL reads it from sync_shadow. @page (nullable): what
 * the page being applied knows. */
static gboolean
load_state (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
            KoersJsonDoc *doc, KoersJsonRef record, KoersSyncPageContext *page,
            RecordState *state, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  memset (state, 0, sizeof *state);
  state->values = KOERS_JSON_NONE;
  if (doc != NULL)
    state_from_shadow (state, koers_json_doc_ref (doc), record);
  else
    {
      stmt = koers_database_prepare (db, "SELECT version, deleted, erased, record "
                                         "FROM sync_shadow WHERE entity = ?1 AND id = ?2", error);
      if (stmt == NULL)
        return FALSE;
      koers_bind_text (stmt, 1, entity->name);
      koers_bind_text (stmt, 2, id);
      if (!koers_database_step (db, stmt, &has_row, error))
        return FALSE;
      if (has_row)
        {
          KoersJsonDoc *stored = parse_stored_text (koers_column_text (stmt, 3));

          if (stored != NULL)
            state_from_shadow (state, stored, 0);
          /* The columns are the truth about the shadow row, whatever its text says. */
          state->exists = TRUE;
          state->version = koers_column_int64 (stmt, 0);
          state->deleted = koers_column_bool (stmt, 1);
          state->erased = koers_column_bool (stmt, 2);
          sqlite3_reset (stmt);
        }
    }
  /* A first sync of a fresh device has nothing pending: one look per page instead of one
   * statement per record. */
  if (page != NULL && page->outbox_empty)
    return TRUE;
  stmt = koers_database_prepare (db, "SELECT action, diff FROM sync_outbox "
                                     "WHERE entity = ?1 AND record_id = ?2 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity->name);
  koers_bind_text (stmt, 2, id);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      const char *action = koers_column_text (stmt, 0);
      g_autoptr(KoersJsonDoc) diff = NULL;

      if (g_str_equal (action, "verwijderen"))
        state->deleted = TRUE;
      else if (g_str_equal (action, "herstellen"))
        state->deleted = FALSE;
      if (g_str_equal (action, "aanmaken"))
        state->exists = TRUE;
      if (!(g_str_equal (action, "aanmaken") || g_str_equal (action, "wijzigen")))
        continue;
      diff = parse_stored_text (koers_column_text (stmt, 1));
      if (diff != NULL)
        state_add_diff (state, diff);
    }
  return error == NULL || *error == NULL;
}

static gboolean
participant_stored (KoersDatabase *db, const char *id, gboolean *out_stored, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT 1 FROM participant WHERE id = ?1",
                                               error);
  gboolean ok;

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  ok = koers_database_step (db, stmt, out_stored, error);
  sqlite3_reset (stmt);
  return ok;
}

/* A participant's coach must exist locally (foreign key); until the organisation's users
 * sync, a placeholder row stands in for a coach this device has not seen. A page's
 * participants share a few coaches: once a coach is made sure of in the page's transaction it
 * stays (nothing in a page removes a coach), so the statement runs once per coach per page. */
static gboolean
ensure_coach (KoersDatabase *db, const char *coach_id, KoersSyncPageContext *page,
              GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *name = NULL;

  if (coach_id == NULL
      || (page != NULL && page->coaches != NULL && g_hash_table_contains (page->coaches,
                                                                          coach_id)))
    return TRUE;
  name = g_strdup_printf ("Coach %.8s", coach_id);
  stmt = koers_database_prepare (db,
    "INSERT OR IGNORE INTO coach (id, created_at, created_by, updated_at, updated_by, name) "
    "VALUES (?1, " NOW_SQL ", 'sync', " NOW_SQL ", 'sync', ?2)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, coach_id);
  koers_bind_text (stmt, 2, name);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;
  if (page != NULL && page->coaches != NULL)
    g_hash_table_add (page->coaches, g_strdup (coach_id));
  return TRUE;
}

static gboolean
rebuild_record (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                KoersJsonDoc *doc, KoersJsonRef record, KoersSyncPageContext *page,
                GError **error)
{
  RecordState state;
  gboolean ok = FALSE;

  if (entity->table == NULL)
    return TRUE;
  if (!load_state (db, entity, id, doc, record, page, &state, error))
    goto out;
  if (!state.exists || state.erased)
    {
      ok = koers_sync_delete_working_row (db, entity->table, id, error);
      goto out;
    }
  if (entity->parent_field != NULL)
    {
      const char *parent = state_string (&state, entity->parent_field);
      gboolean stored = FALSE;

      if (parent == NULL || !participant_stored (db, parent, &stored, error))
        {
          ok = parent == NULL;
          goto out;
        }
      if (!stored)
        {
          ok = TRUE;                      /* held back until its participant arrives */
          goto out;
        }
    }
  else if (!ensure_coach (db, state_string (&state, KOERS_SYNC_COACH_FIELD), page, error))
    goto out;
  ok = koers_sync_upsert_working_row (db, entity, id, &state, page, error);

out:
  record_state_clear (&state);
  return ok;
}

gboolean
koers_sync_rebuild_record (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                           GError **error)
{
  return rebuild_record (db, entity, id, NULL, KOERS_JSON_NONE, NULL, error);
}

gboolean
koers_sync_rebuild_record_from (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                                KoersJsonDoc *doc, KoersJsonRef record,
                                KoersSyncPageContext *page, GError **error)
{
  g_return_val_if_fail (doc != NULL, FALSE);

  return rebuild_record (db, entity, id, doc, record, page, error);
}

/* One statement for a page's participants (@ids, in the order they were applied): the
 * children held back until their participant arrived. Looking per participant was a
 * statement per record of a first sync, almost always finding nothing. */
gboolean
koers_sync_rebuild_children (KoersDatabase *db, GPtrArray *ids, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) list = g_string_new ("[");
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  if (ids == NULL || ids->len == 0)
    return TRUE;
  for (guint i = 0; i < ids->len; i++)
    {
      if (i > 0)
        g_string_append_c (list, ',');
      koers_sync_json_append_string (list, g_ptr_array_index (ids, i));
    }
  g_string_append_c (list, ']');
  /* Version order keeps a note's original before its revisions. */
  stmt = koers_database_prepare (db, "SELECT entity, id FROM sync_shadow WHERE parent_id IN "
                                     "(SELECT value FROM json_each (?1)) ORDER BY version",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, list->str, (int) list->len, SQLITE_STATIC);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      g_ptr_array_add (found, g_strdup (koers_column_text (stmt, 0)));
      g_ptr_array_add (found, g_strdup (koers_column_text (stmt, 1)));
    }
  sqlite3_clear_bindings (stmt);
  if (error != NULL && *error != NULL)
    return FALSE;
  for (guint i = 0; i + 1 < found->len; i += 2)
    {
      const KoersSyncEntity *entity = koers_sync_entity_lookup (found->pdata[i]);

      if (entity != NULL && !koers_sync_rebuild_record (db, entity, found->pdata[i + 1], error))
        return FALSE;
    }
  return TRUE;
}
