/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Working rows from the shadow: a working row is always the last server state plus this
 * device's pending changes in order (docs/sync-client.md, "Applying a pull page").
 */
#include "config.h"

#include "sync/koers-sync-private.h"

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

static JsonObject *
parse_object_text (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The record's wire state as this device sees it: shadow plus pending rows. */
typedef struct {
  JsonObject *values;     /* gegevens; shared with shadow until a pending row changes it */
  JsonObject *shadow;     /* the whole shadow record, or NULL */
  gboolean    values_own; /* values is this state's own copy */
  gboolean    exists;
  gboolean    deleted;
  gboolean    erased;
  gint64      version;
} RecordState;

static void
record_state_clear (RecordState *state)
{
  g_clear_pointer (&state->values, json_object_unref);
  g_clear_pointer (&state->shadow, json_object_unref);
}

/* The shadow's own values until a pending change needs a copy to write into: a pull applies
 * thousands of records with nothing pending, and copying (then freeing) each one's fields was
 * about 5% of the apply. */
static JsonObject *
writable_values (RecordState *state)
{
  if (!state->values_own)
    {
      JsonObject *copy = json_object_new ();
      g_autoptr(GList) names = json_object_get_members (state->values);

      for (GList *l = names; l != NULL; l = l->next)
        json_object_set_member (copy, l->data,
                                json_node_copy (json_object_get_member (state->values, l->data)));
      json_object_unref (state->values);
      state->values = copy;
      state->values_own = TRUE;
    }
  return state->values;
}

static void
state_from_shadow (RecordState *state, JsonObject *shadow)
{
  JsonObject *fields;

  state->shadow = shadow;
  fields = koers_sync_json_object (shadow, "gegevens");
  if (fields != NULL)
    state->values = json_object_ref (fields);
}

/* @shadow (nullable): the shadow record as just stored by the caller, which saves reading it
 * back and parsing it again; NULL reads it from sync_shadow. */
static gboolean
load_state (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
            JsonObject *shadow, RecordState *state, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gboolean ok = TRUE;

  memset (state, 0, sizeof *state);
  if (shadow != NULL)
    {
      gint64 version = 0;

      state->exists = TRUE;
      koers_sync_json_int (shadow, "versie", &version);
      state->version = version;
      state->deleted = koers_sync_json_bool (shadow, "verwijderd", FALSE, &ok);
      state->erased = koers_sync_json_bool (shadow, "gewist", FALSE, &ok);
      state_from_shadow (state, json_object_ref (shadow));
    }
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
          state->exists = TRUE;
          state->version = koers_column_int64 (stmt, 0);
          state->deleted = koers_column_bool (stmt, 1);
          state->erased = koers_column_bool (stmt, 2);
          state_from_shadow (state, parse_object_text (koers_column_text (stmt, 3)));
          sqlite3_reset (stmt);
        }
    }
  if (state->values == NULL)
    {
      state->values = json_object_new ();
      state->values_own = TRUE;
    }
  stmt = koers_database_prepare (db, "SELECT action, diff FROM sync_outbox "
                                     "WHERE entity = ?1 AND record_id = ?2 ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity->name);
  koers_bind_text (stmt, 2, id);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      const char *action = koers_column_text (stmt, 0);
      g_autoptr(JsonObject) diff = parse_object_text (koers_column_text (stmt, 1));
      g_autoptr(GList) names = NULL;

      if (g_str_equal (action, "verwijderen"))
        state->deleted = TRUE;
      else if (g_str_equal (action, "herstellen"))
        state->deleted = FALSE;
      if (g_str_equal (action, "aanmaken"))
        state->exists = TRUE;
      if (diff == NULL || !(g_str_equal (action, "aanmaken") || g_str_equal (action, "wijzigen")))
        continue;
      names = json_object_get_members (diff);
      for (GList *l = names; l != NULL; l = l->next)
        {
          JsonObject *change = koers_sync_json_object (diff, l->data);
          JsonNode *becomes = change != NULL ? json_object_get_member (change, "wordt") : NULL;

          if (becomes != NULL)
            json_object_set_member (writable_values (state), l->data, json_node_copy (becomes));
        }
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

static void
bind_node (sqlite3_stmt *stmt, int index, const KoersSyncField *field, JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    {
      sqlite3_bind_null (stmt, index);
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      koers_bind_text (stmt, index, json_node_get_string (node));
      break;
    case G_TYPE_INT64:
      koers_bind_int64 (stmt, index, json_node_get_int (node));
      break;
    case G_TYPE_BOOLEAN:
      koers_bind_int64 (stmt, index, json_node_get_boolean (node) ? 1 : 0);
      break;
    default:
      (void) field;
      sqlite3_bind_null (stmt, index);
      break;
    }
}

/* Columns some tables need besides the declared fields: derived search keys, and the status
 * history's own time and author. */
static void
append_local_extras (const KoersSyncEntity *entity, GString *cols, GString *vals,
                     GString *sets, int name_param, int preferred_param)
{
  if (g_strcmp0 (entity->table, "participant") == 0 && name_param > 0)
    {
      g_string_append (cols, ", name_key, search_key");
      g_string_append_printf (vals, ", koers_fold(?%d), koers_fold(?%d) || char(10) || "
                              "koers_fold(coalesce(?%d, ''))", name_param, name_param,
                              preferred_param > 0 ? preferred_param : name_param);
      /* With a preferred name, search_key is left to the plan's follow-up statement (see
       * UpsertPlan). */
      g_string_append (sets, preferred_param > 0 ? ", name_key = excluded.name_key"
                                                 : ", name_key = excluded.name_key, "
                                                   "search_key = excluded.search_key");
    }
  else if (g_strcmp0 (entity->table, "participant_status_change") == 0)
    {
      g_string_append (cols, ", changed_at, changed_by");
      g_string_append (vals, ", coalesce(?4, " NOW_SQL "), coalesce(?5, 'sync')");
      g_string_append (sets, ", changed_at = excluded.changed_at, "
                             "changed_by = excluded.changed_by");
    }
}

static char *
extra_json (const KoersSyncEntity *entity, RecordState *state)
{
  g_autoptr(JsonObject) extra = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (state->values);
  g_autoptr(JsonNode) node = NULL;

  for (GList *l = names; l != NULL; l = l->next)
    if (koers_sync_entity_field (entity, l->data) == NULL)
      json_object_set_member (extra, l->data,
                              json_node_copy (json_object_get_member (state->values, l->data)));
  if (json_object_get_size (extra) == 0)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (node, extra);
  return koers_sync_json_to_string (node);
}

/* The working-row upsert of one entity: its SQL and local columns.
 *
 * A participant's search_key feeds two FTS5 indexes through AFTER UPDATE OF search_key
 * triggers, which fire whenever an UPDATE names the column, changed or not: each delete and
 * re-insert of the same terms made FTS5 write a segment (it flushes at every statement
 * boundary inside a transaction), most of the cost of applying a change to a participant. The
 * upsert sets search_key only for a new row and returns whether the row's key is now stale;
 * only then @after_sql sets it (a changed name or preferred name). */
typedef struct {
  GPtrArray  *columns;   /* KoersSyncLocalColumn */
  char       *sql;
  char       *insert_sql; /* the same row for a new record only: ON CONFLICT DO NOTHING */
  const char *after_sql; /* (nullable) run after @sql, with the record id as ?1, when @sql
                          * returned TRUE */
} UpsertPlan;

#define PARTICIPANT_SEARCH_KEY \
  "name_key || char(10) || koers_fold(coalesce(preferred_name, ''))"

static void
upsert_plan_free (UpsertPlan *plan)
{
  g_ptr_array_unref (plan->columns);
  g_free (plan->sql);
  g_free (plan->insert_sql);
  g_free (plan);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (UpsertPlan, upsert_plan_free)

#define UPSERT_FIRST_PARAM 9

static UpsertPlan *
upsert_plan_new (const KoersSyncEntity *entity)
{
  UpsertPlan *plan = g_new0 (UpsertPlan, 1);
  g_autoptr(GString) cols = g_string_new ("id, version, deleted, extra, created_at, created_by, "
                                          "updated_at, updated_by");
  g_autoptr(GString) vals = g_string_new ("?1, ?2, ?3, ?6, coalesce(?7, " NOW_SQL "), "
                                          "coalesce(?8, 'sync'), coalesce(?4, " NOW_SQL "), "
                                          "coalesce(?5, 'sync')");
  g_autoptr(GString) sets = g_string_new ("version = excluded.version, "
                                          "deleted = excluded.deleted, extra = excluded.extra, "
                                          "updated_at = excluded.updated_at, "
                                          "updated_by = excluded.updated_by");
  int name_param = 0, preferred_param = 0;
  const int first = UPSERT_FIRST_PARAM;

  plan->columns = koers_sync_local_columns (entity);
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (plan->columns, i);

      g_string_append_printf (cols, ", \"%s\"", col->field->column);
      g_string_append_printf (vals, ", coalesce(?%u, %s)", first + i, col->fallback);
      g_string_append_printf (sets, ", \"%s\" = excluded.\"%s\"", col->field->column,
                              col->field->column);
      if (g_str_equal (col->field->column, "name"))
        name_param = first + (int) i;
      else if (g_str_equal (col->field->column, "preferred_name"))
        preferred_param = first + (int) i;
    }
  append_local_extras (entity, cols, vals, sets, name_param, preferred_param);
  if (g_strcmp0 (entity->table, "participant") == 0 && name_param > 0 && preferred_param > 0)
    plan->after_sql = "UPDATE participant SET search_key = " PARTICIPANT_SEARCH_KEY " "
                      "WHERE id = ?1";
  plan->insert_sql = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s) "
                                      "ON CONFLICT (id) DO NOTHING", entity->table, cols->str,
                                      vals->str);
  plan->sql = g_strdup_printf ("INSERT INTO \"%s\" (%s) VALUES (%s) ON CONFLICT (id) "
                               "DO UPDATE SET %s%s", entity->table, cols->str, vals->str,
                               sets->str, plan->after_sql != NULL
                               ? " RETURNING search_key IS NOT (" PARTICIPANT_SEARCH_KEY ")" : "");
  return plan;
}

#define MAX_PLANNED_ENTITIES 64

/* (transfer none) (nullable): @entity's plan, built once per process (the declaration never
 * changes while it runs): building the SQL text per record cost more than running it. NULL for
 * an entity outside the declaration's table. */
static const UpsertPlan *
upsert_plan (const KoersSyncEntity *entity)
{
  static UpsertPlan *plans[MAX_PLANNED_ENTITIES];
  guint n = 0;
  const KoersSyncEntity *all = koers_sync_entities (&n);

  for (guint i = 0; i < n && i < MAX_PLANNED_ENTITIES; i++)
    if (&all[i] == entity)
      {
        if (g_once_init_enter (&plans[i]))
          g_once_init_leave (&plans[i], upsert_plan_new (entity));
        return plans[i];
      }
  return NULL;
}

static void
bind_row (sqlite3_stmt *stmt, const UpsertPlan *plan, const char *id, RecordState *state,
          const char *extra)
{
  koers_bind_text (stmt, 1, id);
  koers_bind_int64 (stmt, 2, state->version);
  koers_bind_bool (stmt, 3, state->deleted);
  koers_bind_text (stmt, 4, koers_sync_json_string (state->shadow, "gewijzigdOp"));
  koers_bind_text (stmt, 5, koers_sync_json_string (state->shadow, "gewijzigdDoor"));
  koers_bind_text (stmt, 6, extra);
  koers_bind_text (stmt, 7, koers_sync_json_string (state->shadow, "aangemaaktOp"));
  koers_bind_text (stmt, 8, koers_sync_json_string (state->shadow, "aangemaaktDoor"));
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (plan->columns, i);
      JsonNode *node = json_object_get_member (state->values, col->field->name);

      bind_node (stmt, UPSERT_FIRST_PARAM + (int) i, col->field, node);
    }
}

/* In an initial pull almost every working row is new: a plain insert of it skips the upsert's
 * RETURNING (an ephemeral table and a search-key comparison per row, about a tenth of the
 * row's cost). It writes what the upsert's insert would, and nothing when the row exists;
 * then the upsert runs as always. */
static gboolean
insert_new_row (KoersDatabase *db, const UpsertPlan *plan, const char *id, RecordState *state,
                const char *extra, gboolean *out_inserted, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, plan->insert_sql, error);

  if (stmt == NULL)
    return FALSE;
  bind_row (stmt, plan, id, state, extra);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;
  *out_inserted = sqlite3_changes (koers_database_get_handle (db)) > 0;
  return TRUE;
}

static gboolean
upsert_working_row (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                    RecordState *state, KoersSyncPageContext *page, GError **error)
{
  g_autoptr(UpsertPlan) own_plan = NULL;
  const UpsertPlan *plan = upsert_plan (entity);
  g_autofree char *extra = extra_json (entity, state);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE, stale, inserted = FALSE;

  if (plan == NULL)
    plan = own_plan = upsert_plan_new (entity);
  if (page != NULL && page->initial)
    {
      if (!insert_new_row (db, plan, id, state, extra, &inserted, error))
        return FALSE;
      if (inserted)
        return TRUE;
    }
  stmt = koers_database_prepare (db, plan->sql, error);
  if (stmt == NULL)
    return FALSE;
  bind_row (stmt, plan, id, state, extra);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  stale = has_row && sqlite3_column_int (stmt, 0) != 0;
  /* To its end: resetting a RETURNING statement early fails ("SQL logic error") and rolls the
   * transaction back when the row's triggers wrote to FTS5 (SQLite 3.40). */
  if (has_row && !koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (!stale)
    return TRUE;
  stmt = koers_database_prepare (db, plan->after_sql, error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  return koers_database_step (db, stmt, NULL, error);
}

static gboolean
rebuild_record (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                JsonObject *shadow, KoersSyncPageContext *page, GError **error)
{
  RecordState state;
  gboolean ok = FALSE;

  if (entity->table == NULL)
    return TRUE;
  if (!load_state (db, entity, id, shadow, &state, error))
    goto out;
  if (!state.exists || state.erased)
    {
      ok = koers_sync_delete_working_row (db, entity->table, id, error);
      goto out;
    }
  if (entity->parent_field != NULL)
    {
      const char *parent = koers_sync_json_string (state.values, entity->parent_field);
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
  else if (!ensure_coach (db, koers_sync_json_string (state.values, KOERS_SYNC_COACH_FIELD),
                          page, error))
    goto out;
  ok = upsert_working_row (db, entity, id, &state, page, error);

out:
  record_state_clear (&state);
  return ok;
}

gboolean
koers_sync_rebuild_record (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                           GError **error)
{
  return rebuild_record (db, entity, id, NULL, NULL, error);
}

gboolean
koers_sync_rebuild_record_from (KoersDatabase *db, const KoersSyncEntity *entity, const char *id,
                                JsonObject *shadow, KoersSyncPageContext *page, GError **error)
{
  g_return_val_if_fail (shadow != NULL, FALSE);

  return rebuild_record (db, entity, id, shadow, page, error);
}

gboolean
koers_sync_rebuild_children (KoersDatabase *db, const char *participant_id, GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  /* Version order keeps a note's original before its revisions. */
  stmt = koers_database_prepare (db, "SELECT entity, id FROM sync_shadow WHERE parent_id = ?1 "
                                     "ORDER BY version", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, participant_id);
  while (koers_database_step (db, stmt, &has_row, error) && has_row)
    {
      g_ptr_array_add (found, g_strdup (koers_column_text (stmt, 0)));
      g_ptr_array_add (found, g_strdup (koers_column_text (stmt, 1)));
    }
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
