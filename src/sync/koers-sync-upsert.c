/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Writing a working row: the upsert of one entity, its SQL built once per entity from the
 * declaration, its parameters bound in one walk over the record's members (docs/sync-client.md,
 * "Applying a pull page").
 */
#include "config.h"

#include "sync/koers-sync-record-state.h"

#include "core/koers-json-parser.h"
#include "storage/koers-participant-repository.h"

#include <string.h>

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

static void
bind_value (sqlite3_stmt *stmt, int index, DocValue value)
{
  switch (koers_json_doc_kind (value.doc, value.value))
    {
    case KOERS_JSON_STRING:
      /* The state's documents outlive the statement's step. */
      sqlite3_bind_text (stmt, index, koers_json_doc_get_string (value.doc, value.value), -1,
                         SQLITE_STATIC);
      break;
    case KOERS_JSON_INTEGER:
      koers_bind_int64 (stmt, index, koers_json_doc_get_int (value.doc, value.value));
      break;
    case KOERS_JSON_BOOLEAN:
      koers_bind_int64 (stmt, index, koers_json_doc_get_boolean (value.doc, value.value) ? 1 : 0);
      break;
    default:
      sqlite3_bind_null (stmt, index);
      break;
    }
}

/* Columns some tables need besides the declared fields: derived search keys, and the status
 * history's own time and author. */
static void
append_local_extras (const KoersSyncEntity *entity, GString *cols, GString *vals,
                     GString *sets, int preferred_param, int keys_param)
{
  if (keys_param > 0)
    {
      /* Bound by bind_row(): folding in C once, not twice in SQL, was 3% of a first sync. */
      g_string_append (cols, ", name_key, search_key");
      g_string_append_printf (vals, ", ?%d, ?%d", keys_param, keys_param + 1);
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

/* The record's fields the declaration does not know (a newer server's), as JSON text for the
 * row's extra column; NULL when there are none, as almost always. */
static char *
extra_json (const KoersSyncEntity *entity, RecordState *state)
{
  g_autoptr(JsonObject) extra = NULL;
  g_autoptr(JsonNode) node = NULL;
  GHashTableIter iter;
  gpointer name;

  for (KoersJsonRef m = koers_json_doc_first (state->doc, state->values); m != KOERS_JSON_NONE;
       m = koers_json_doc_next (state->doc, m))
    {
      const char *own = koers_json_doc_name (state->doc, m);

      if (koers_sync_entity_field (entity, own) != NULL
          || (state->pending != NULL && g_hash_table_contains (state->pending, own)))
        continue;
      if (extra == NULL)
        extra = json_object_new ();
      json_object_set_member (extra, own, koers_json_doc_to_node (state->doc, m));
    }
  if (state->pending != NULL)
    {
      g_hash_table_iter_init (&iter, state->pending);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        {
          DocValue *value = g_hash_table_lookup (state->pending, name);

          if (koers_sync_entity_field (entity, name) != NULL)
            continue;
          if (extra == NULL)
            extra = json_object_new ();
          json_object_set_member (extra, name, koers_json_doc_to_node (value->doc, value->value));
        }
    }
  if (extra == NULL)
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
  GHashTable *params;    /* field name -> its parameter in @sql and @insert_sql */
  int         name_param, preferred_param;  /* a participant's names, else 0 */
  int         keys_param; /* its name_key, then search_key; 0 for other tables */
} UpsertPlan;

#define PARTICIPANT_SEARCH_KEY \
  "name_key || char(10) || koers_fold(coalesce(preferred_name, ''))"

static void
upsert_plan_free (UpsertPlan *plan)
{
  g_ptr_array_unref (plan->columns);
  g_hash_table_unref (plan->params);
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
  plan->params = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < plan->columns->len; i++)
    {
      const KoersSyncLocalColumn *col = g_ptr_array_index (plan->columns, i);

      g_hash_table_insert (plan->params, (gpointer) col->field->name,
                           GINT_TO_POINTER (first + (int) i));
      g_string_append_printf (cols, ", \"%s\"", col->field->column);
      g_string_append_printf (vals, ", coalesce(?%u, %s)", first + i, col->fallback);
      g_string_append_printf (sets, ", \"%s\" = excluded.\"%s\"", col->field->column,
                              col->field->column);
      if (g_str_equal (col->field->column, "name"))
        name_param = first + (int) i;
      else if (g_str_equal (col->field->column, "preferred_name"))
        preferred_param = first + (int) i;
    }
  if (g_strcmp0 (entity->table, "participant") == 0 && name_param > 0)
    {
      plan->name_param = name_param;
      plan->preferred_param = preferred_param;
      plan->keys_param = first + (int) plan->columns->len;
    }
  append_local_extras (entity, cols, vals, sets, preferred_param, plan->keys_param);
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
bind_static_text (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_STATIC);
}

/* The text @value holds, or NULL. */
static const char *
doc_value_text (DocValue value)
{
  return koers_json_doc_kind (value.doc, value.value) == KOERS_JSON_STRING
         ? koers_json_doc_get_string (value.doc, value.value) : NULL;
}

/* Every text bound lives until the caller has stepped the statement (the state's documents,
 * @id, @extra; the keys are the statement's own); every parameter starts as NULL, a field the
 * record lacks included. The record's members are walked once, each finding its parameter by
 * name: looking each column up among the members was a tenth of rebuilding a row. */
static void
bind_row (sqlite3_stmt *stmt, const UpsertPlan *plan, const char *id, RecordState *state,
          const char *extra)
{
  GHashTableIter iter;
  gpointer name, value;
  const char *names[2] = { NULL, NULL };  /* the participant's name and preferred name */

  sqlite3_clear_bindings (stmt);
  bind_static_text (stmt, 1, id);
  koers_bind_int64 (stmt, 2, state->version);
  koers_bind_bool (stmt, 3, state->deleted);
  bind_static_text (stmt, 4, koers_sync_doc_string (state->doc, state->record, "gewijzigdOp"));
  bind_static_text (stmt, 5, koers_sync_doc_string (state->doc, state->record, "gewijzigdDoor"));
  bind_static_text (stmt, 6, extra);
  bind_static_text (stmt, 7, koers_sync_doc_string (state->doc, state->record, "aangemaaktOp"));
  bind_static_text (stmt, 8, koers_sync_doc_string (state->doc, state->record,
                                                    "aangemaaktDoor"));
  for (KoersJsonRef m = koers_json_doc_first (state->doc, state->values); m != KOERS_JSON_NONE;
       m = koers_json_doc_next (state->doc, m))
    {
      int param = GPOINTER_TO_INT (g_hash_table_lookup (plan->params,
                                                        koers_json_doc_name (state->doc, m)));
      DocValue member = { state->doc, m };

      if (param <= 0)
        continue;
      bind_value (stmt, param, member);
      if (param == plan->name_param || param == plan->preferred_param)
        names[param == plan->preferred_param] = doc_value_text (member);
    }
  /* What pending rows set wins over the shadow's value. */
  if (state->pending != NULL)
    g_hash_table_iter_init (&iter, state->pending);
  while (state->pending != NULL && g_hash_table_iter_next (&iter, &name, &value))
    {
      int param = GPOINTER_TO_INT (g_hash_table_lookup (plan->params, name));

      if (param <= 0)
        continue;
      bind_value (stmt, param, *(DocValue *) value);
      if (param == plan->name_param || param == plan->preferred_param)
        names[param == plan->preferred_param] = doc_value_text (*(DocValue *) value);
    }
  if (plan->keys_param > 0)
    {
      char *name_key = NULL, *search_key = NULL;

      /* Without a declared preferred name the name stands in for it, as it always has. */
      koers_participant_repository_keys (names[0], plan->preferred_param > 0 ? names[1]
                                                                             : names[0],
                                         &name_key, &search_key);
      sqlite3_bind_text (stmt, plan->keys_param, name_key, -1, g_free);
      sqlite3_bind_text (stmt, plan->keys_param + 1, search_key, -1, g_free);
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

gboolean
koers_sync_upsert_working_row (KoersDatabase *db, const KoersSyncEntity *entity,
                               const char *id, RecordState *state,
                               KoersSyncPageContext *page, GError **error)
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
