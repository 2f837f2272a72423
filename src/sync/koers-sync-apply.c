/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-apply.h"

#include "core/koers-json-parser.h"
#include "core/koers-uuid.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-search-backlog.h"
#include "storage/koers-table-indexes.h"
#include "sync/koers-sync-crash.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

/* A first-sync page with at least this many participants indexes them for search at the end of
 * its transaction instead of row by row (see koers_sync_apply_page). */
#define BULK_MIN_PARTICIPANTS 64
/* The page cache while a first sync runs, in KiB (SQLite's default is 2,000). */
#define FIRST_SYNC_CACHE_KIB 32768
#define CACHE_BEFORE_KEY "koers-sync-cache-before"

void
koers_sync_apply_result_clear (KoersSyncApplyResult *result)
{
  if (result == NULL)
    return;
  g_clear_pointer (&result->server_time, g_free);
}

static gboolean
refuse (GError **error, const char *entity, const char *id, const char *what)
{
  g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED,
               "Pull page refused: %s %s: %s", entity != NULL ? entity : "item",
               id != NULL ? id : "?", what);
  return FALSE;
}

/* An item whose entity (when @entity is NULL) or id is not known, named by its place in the
 * page instead. The place is formatted only for a refusal: a page checks hundreds of items. */
static gboolean
refuse_item (GError **error, const char *entity, guint index, const char *id, const char *what)
{
  g_autofree char *place = g_strdup_printf ("wijzigingen[%u]", index);

  return entity == NULL ? refuse (error, place, id, what) : refuse (error, entity, place, what);
}

/* Everything about one item that can be checked without the database. */
static gboolean
check_item (KoersJsonDoc *doc, KoersJsonRef item, guint index, GError **error)
{
  static const char * const meta[] = { "aangemaaktOp", "aangemaaktDoor", "gewijzigdOp",
                                       "gewijzigdDoor" };
  const KoersSyncEntity *entity;
  const char *name, *id;
  KoersJsonRef fields;
  gint64 version = 0;
  gboolean ok = TRUE;
  gboolean out_of_scope, erased;

  if (koers_json_doc_kind (doc, item) != KOERS_JSON_OBJECT)
    return refuse_item (error, NULL, index, NULL, "not an object");
  name = koers_sync_doc_string (doc, item, "entiteit");
  id = koers_sync_doc_string (doc, item, "id");
  if (name == NULL || *name == '\0')
    return refuse_item (error, NULL, index, id, "entiteit is missing or not text");
  if (!koers_uuid_is_valid (id))
    return refuse_item (error, name, index, NULL, "id is not a lowercase UUID");
  if (!koers_sync_doc_int (doc, item, "versie", &version) || version < 0)
    return refuse (error, name, id, "versie is missing or not a non-negative integer");
  out_of_scope = koers_sync_doc_bool (doc, item, "buitenBereik", FALSE, &ok);
  koers_sync_doc_bool (doc, item, "verwijderd", FALSE, &ok);
  erased = koers_sync_doc_bool (doc, item, "gewist", FALSE, &ok);
  if (!ok)
    return refuse (error, name, id, "buitenBereik, verwijderd or gewist is not true/false");
  if (out_of_scope)
    return TRUE;
  fields = koers_sync_doc_object (doc, item, "gegevens");
  if (fields == KOERS_JSON_NONE)
    return refuse (error, name, id, "gegevens is missing or not an object");
  for (guint i = 0; i < G_N_ELEMENTS (meta); i++)
    {
      KoersJsonRef value = koers_json_doc_member (doc, item, meta[i]);
      KoersJsonKind kind = koers_json_doc_kind (doc, value);

      if (kind != KOERS_JSON_NULL && kind != KOERS_JSON_STRING)
        return refuse (error, name, id, "a creation or change stamp is not text");
    }
  entity = koers_sync_entity_lookup (name);
  /* A newer server's entity, and records without a working table (conflicts), stay in the
   * shadow only: what is checked here is what reaches a working table. */
  if (entity == NULL || entity->table == NULL || erased)
    return TRUE;
  for (guint i = 0; i < entity->n_fields; i++)
    {
      const KoersSyncField *field = &entity->fields[i];
      g_autofree char *reason = NULL;
      g_autofree char *what = NULL;
      KoersSyncValue value;

      if (field->column == NULL)
        continue;
      koers_sync_value_from_doc (&value, doc, koers_json_doc_member (doc, fields, field->name));
      if (koers_sync_field_check_value (field, &value, &reason))
        continue;
      what = g_strdup_printf ("field %s: %s", field->name, reason);
      return refuse (error, name, id, what);
    }
  return TRUE;
}

/**
 * koers_sync_apply_check:
 * @page: a pull page as koers_sync_json_parse_page() read it
 * @out_check: (out caller-allocates): where its items are, and what the apply needs to know of
 *   them
 *
 * Everything about a page that can be checked without the database (see
 * koers_sync_apply_page()); touches nothing else, so any thread may check a page.
 *
 * Returns: TRUE when the page can be applied, else FALSE with KOERS_SYNC_ERROR_REFUSED
 */
gboolean
koers_sync_apply_check (KoersJsonDoc *page, KoersSyncPageCheck *out_check, GError **error)
{
  g_autoptr(GHashTable) seen = NULL;
  KoersJsonRef items;
  const char *cursor, *epoch;
  gboolean ok = TRUE;
  guint index = 0;

  g_return_val_if_fail (out_check != NULL, FALSE);

  memset (out_check, 0, sizeof *out_check);
  if (page == NULL || koers_json_doc_kind (page, 0) != KOERS_JSON_OBJECT)
    return refuse (error, "page", NULL, "not an object");
  items = koers_sync_doc_array (page, 0, "wijzigingen");
  cursor = koers_sync_doc_string (page, 0, "volgendeCursor");
  epoch = koers_sync_doc_string (page, 0, "tijdperk");
  if (items == KOERS_JSON_NONE)
    return refuse (error, "page", NULL, "wijzigingen is missing or not a list");
  if (cursor == NULL || epoch == NULL || !g_str_has_prefix (cursor, epoch)
      || cursor[strlen (epoch)] != '.')
    return refuse (error, "page", NULL, "volgendeCursor or tijdperk is missing or malformed");
  if (koers_json_doc_member (page, 0, "meerBeschikbaar") == KOERS_JSON_NONE)
    return refuse (error, "page", NULL, "meerBeschikbaar is missing");
  koers_sync_doc_bool (page, 0, "meerBeschikbaar", FALSE, &ok);
  if (!ok)
    return refuse (error, "page", NULL, "meerBeschikbaar is not true/false");
  out_check->distinct = TRUE;
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (KoersJsonRef item = koers_json_doc_first (page, items); item != KOERS_JSON_NONE;
       item = koers_json_doc_next (page, item), index++)
    {
      const char *name;

      if (!check_item (page, item, index, error))
        return FALSE;
      name = koers_sync_doc_string (page, item, "entiteit");
      if (g_str_equal (name, KOERS_SYNC_PARTICIPANTS))
        out_check->n_participants++;
      if (!g_hash_table_add (seen, g_strconcat (name, "/",
                                                koers_sync_doc_string (page, item, "id"), NULL)))
        out_check->distinct = FALSE;
    }
  out_check->items = items;
  return TRUE;
}

/* A first sync writes a few hundred MB of rows and index pages at random places: with SQLite's
 * 2 MB default most index pages it touches come back through read() (about a tenth of the
 * apply's CPU at 30,000 records). The pull raises the connection's cache to 32 MiB and puts
 * the old size back when a pull reaches the end (the window keeps its own, smaller one
 * otherwise); a pull cut short keeps it until the next one ends. */
static void
raise_cache (KoersDatabase *db)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gint64 before, before_kib;

  if (g_object_get_data (G_OBJECT (db), CACHE_BEFORE_KEY) != NULL)
    return;
  stmt = koers_database_prepare (db, "PRAGMA cache_size", NULL);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, NULL) || !has_row)
    return;
  before = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  /* Negative sizes are KiB, positive ones pages (of 4 KiB here). */
  before_kib = before < 0 ? -before : before * 4;
  if (before_kib >= FIRST_SYNC_CACHE_KIB
      || !koers_database_exec (db, "PRAGMA cache_size = -" G_STRINGIFY (FIRST_SYNC_CACHE_KIB),
                               NULL))
    return;
  g_object_set_data_full (G_OBJECT (db), CACHE_BEFORE_KEY,
                          g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, before),
                          g_free);
}

static void
restore_cache (KoersDatabase *db)
{
  const char *restore = g_object_get_data (G_OBJECT (db), CACHE_BEFORE_KEY);

  if (restore != NULL && koers_database_exec (db, restore, NULL))
    g_object_set_data (G_OBJECT (db), CACHE_BEFORE_KEY, NULL);
}

/* A first sync inserts every participant into a table with nine secondary indexes, each
 * walked at a random place per row: that was about half of the SQLite work of a 100,000-record
 * first sync. While an initial pull has more pages to come, the participant table's plain
 * indexes are dropped (their statements kept in sync_state, in the same transaction) and the
 * page that ends the pull makes them again, sorting the table once per index, in the
 * transaction that marks the data complete. The pages' participants get their search index
 * entries then too, all at once (koers-search-backlog.h: half the cost of a page's at a time).
 * In between, the caseload's queries still work (they scan instead of seek, and a search reads
 * the keys of the rows not yet indexed; the worker runs them off the main thread), unique
 * constraints stay, and a pull cut short keeps them deferred until a later pull ends. Any page
 * applied outside an initial pull puts them back first (a safety net: an initial pull always
 * ends in a page that does). */
static gboolean
defer_indexes (KoersDatabase *db, GError **error)
{
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *deferred = koers_sync_state_get (db, KOERS_SYNC_STATE_DEFERRED_INDEXES,
                                                    error);
  g_autofree char *text = NULL;

  if (deferred != NULL || (error != NULL && *error != NULL))
    return deferred != NULL;
  if (!koers_table_indexes_drop (db, "participant", sql, error))
    return FALSE;
  builder = json_builder_new ();
  json_builder_begin_array (builder);
  for (guint i = 0; i < sql->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (sql, i));
  json_builder_end_array (builder);
  list = json_builder_get_root (builder);
  text = json_to_string (list, FALSE);
  return koers_sync_state_set (db, KOERS_SYNC_STATE_DEFERRED_INDEXES, text, error);
}

static gboolean
restore_indexes (KoersDatabase *db, GError **error)
{
  g_autofree char *deferred = koers_sync_state_get (db, KOERS_SYNC_STATE_DEFERRED_INDEXES,
                                                    error);
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(GPtrArray) sql = g_ptr_array_new ();
  JsonArray *array;

  if (deferred == NULL && error != NULL && *error != NULL)
    return FALSE;
  if (!koers_search_backlog_index (db, error))
    return FALSE;
  if (deferred == NULL)
    return TRUE;
  /* Our own text; anything else is a damaged database, said as such. */
  list = json_from_string (deferred, NULL);
  array = list != NULL && JSON_NODE_HOLDS_ARRAY (list) ? json_node_get_array (list) : NULL;
  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (!JSON_NODE_HOLDS_VALUE (element)
          || json_node_get_value_type (element) != G_TYPE_STRING)
        array = NULL;
      else
        g_ptr_array_add (sql, (gpointer) json_node_get_string (element));
    }
  if (array == NULL)
    {
      g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED,
                   "The participant indexes set aside for the first sync cannot be read back");
      return FALSE;
    }
  return koers_table_indexes_create (db, (const char *const *) sql->pdata, sql->len, error)
         && koers_sync_state_set (db, KOERS_SYNC_STATE_DEFERRED_INDEXES, NULL, error);
}

/* Inside a page the apply guard is set, so the change-capture triggers' WHEN is false for
 * every row the page writes; SQLite still makes and clears the insert trigger's frame (the
 * registers of its whole `aanmaken` diff) for each row first: about 28,000 instructions a
 * participant, 5% of a first sync. A page that changes the schema anyway (the bulk batch drops
 * the search triggers, so every statement is prepared again) also drops the participant's
 * insert capture trigger, and makes it again from its stored text before the guard is lifted,
 * in the same transaction: outside the page no row is ever written without it, and a rollback
 * brings it back. */
#define CAPTURE_INSERT_TRIGGER "sync_capture_participant_insert"

static gboolean
suspend_capture (KoersDatabase *db, char **out_sql, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT sql FROM sqlite_master WHERE "
                                                   "type = 'trigger' AND name = ?1", error);
  gboolean has_row = FALSE;

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, CAPTURE_INSERT_TRIGGER);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  /* Capture not installed (a database without the sync schema's triggers): nothing to do. */
  *out_sql = has_row ? g_strdup (koers_column_text (stmt, 0)) : NULL;
  sqlite3_reset (stmt);
  return *out_sql == NULL || koers_database_exec (db, "DROP TRIGGER " CAPTURE_INSERT_TRIGGER,
                                                  error);
}

/* Nothing applied in a page adds to the outbox (the guard is set), so a look at its start
 * holds for the whole page. */
static gboolean
outbox_is_empty (KoersDatabase *db, gboolean *out_empty, GError **error)
{
  gint64 empty = 0;

  if (!koers_database_query_int64 (db, "SELECT NOT EXISTS (SELECT 1 FROM sync_outbox)", &empty,
                                   error))
    return FALSE;
  *out_empty = empty != 0;
  return TRUE;
}

static gboolean
shadow_version (KoersDatabase *db, const char *entity, const char *id, gint64 *out_version,
                GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  *out_version = -1;
  stmt = koers_database_prepare (db, "SELECT version FROM sync_shadow WHERE entity = ?1 "
                                     "AND id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    *out_version = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Stores the item as the record's shadow unless the shadow already holds a newer version
 * (*out_stored FALSE then: the check and the write are one statement). The shadow's text is the
 * item's own text when it came written as koers_sync_json_to_string() writes it: writing each
 * record again was 6% of a first sync. */
static gboolean
store_shadow (KoersDatabase *db, KoersJsonDoc *doc, KoersJsonRef item, const char *entity_name,
              const char *id, gint64 version, gboolean *out_stored, GError **error)
{
  const KoersSyncEntity *entity = koers_sync_entity_lookup (entity_name);
  KoersJsonRef fields = koers_sync_doc_object (doc, item, "gegevens");
  gsize length = 0;
  const char *kept = koers_json_doc_compact_text (doc, item, &length);
  g_autofree char *written = NULL;
  gboolean ok = TRUE;
  sqlite3_stmt *stmt;

  if (kept == NULL)
    {
      g_autoptr(JsonNode) node = koers_json_doc_to_node (doc, item);

      written = koers_sync_json_to_string (node);
    }
  stmt = koers_database_prepare (db,
    "INSERT INTO sync_shadow (entity, id, version, deleted, erased, parent_id, record) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (entity, id) DO UPDATE SET "
    "version = excluded.version, deleted = excluded.deleted, erased = excluded.erased, "
    "parent_id = excluded.parent_id, record = excluded.record "
    "WHERE excluded.version >= sync_shadow.version", error);
  if (stmt == NULL)
    return FALSE;
  /* The document outlives the statement's step; nothing here needs SQLite's own copy. */
  sqlite3_bind_text (stmt, 1, entity_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  koers_bind_int64 (stmt, 3, version);
  koers_bind_bool (stmt, 4, koers_sync_doc_bool (doc, item, "verwijderd", FALSE, &ok));
  koers_bind_bool (stmt, 5, koers_sync_doc_bool (doc, item, "gewist", FALSE, &ok));
  koers_bind_text (stmt, 6, entity != NULL && entity->parent_field != NULL
                            ? koers_sync_doc_string (doc, fields, entity->parent_field) : NULL);
  if (kept != NULL)
    sqlite3_bind_text (stmt, 7, kept, (int) length, SQLITE_STATIC);
  else
    koers_bind_text (stmt, 7, written);
  ok = koers_database_step (db, stmt, NULL, error);
  sqlite3_clear_bindings (stmt);
  if (!ok)
    return FALSE;
  *out_stored = sqlite3_changes (koers_database_get_handle (db)) > 0;
  return TRUE;
}

/* @parents: the participants whose held-back children the page rebuilds at its end. */
static gboolean
apply_item (KoersDatabase *db, KoersJsonDoc *doc, KoersJsonRef item,
            KoersSyncPageContext *page, GPtrArray *parents, KoersSyncApplyResult *result,
            GError **error)
{
  const char *name = koers_sync_doc_string (doc, item, "entiteit");
  const char *id = koers_sync_doc_string (doc, item, "id");
  const KoersSyncEntity *entity = koers_sync_entity_lookup (name);
  gint64 version = 0, known = -1;
  gboolean ok = TRUE, stored = FALSE;

  koers_sync_crash_point ("mid-pull-page");
  koers_sync_doc_int (doc, item, "versie", &version);
  if (koers_sync_doc_bool (doc, item, "buitenBereik", FALSE, &ok))
    {
      if (!shadow_version (db, name, id, &known, error))
        return FALSE;
      if (known > version)
        {
          result->n_skipped++;        /* an older state than the one already held */
          return TRUE;
        }
      result->n_removed++;
      if (entity == NULL)
        {
          sqlite3_stmt *stmt = koers_database_prepare (db, "DELETE FROM sync_shadow "
                                                           "WHERE entity = ?1 AND id = ?2",
                                                       error);
          if (stmt == NULL)
            return FALSE;
          koers_bind_text (stmt, 1, name);
          koers_bind_text (stmt, 2, id);
          return koers_database_step (db, stmt, NULL, error);
        }
      return koers_sync_remove_record (db, entity, id,
                                       _("The participant was moved out of your caseload "
                                         "before this change reached the server"),
                                       FALSE, FALSE, error);
    }

  if (!store_shadow (db, doc, item, name, id, version, &stored, error))
    return FALSE;
  if (!stored)
    {
      result->n_skipped++;            /* an older state than the one already held */
      return TRUE;
    }
  result->n_records++;
  if (entity == NULL)
    return TRUE;
  if (koers_sync_doc_bool (doc, item, "gewist", FALSE, &ok))
    {
      result->n_erased++;
      return koers_sync_remove_record (db, entity, id,
                                       _("The record was erased on the server (right to "
                                         "erasure); the change was dropped with it"),
                                       TRUE, TRUE, error);
    }
  if (!koers_sync_rebuild_record_from (db, entity, id, doc, item, page, error))
    return FALSE;
  if (entity->parent_field == NULL)
    g_ptr_array_add (parents, (gpointer) id);
  return TRUE;
}

gboolean
koers_sync_apply_page (KoersDatabase *db, KoersJsonDoc *page, KoersSyncApplyResult *out_result,
                       GError **error)
{
  KoersSyncPageCheck check;

  g_return_val_if_fail (page != NULL, FALSE);

  if (out_result != NULL)
    memset (out_result, 0, sizeof *out_result);
  return koers_sync_apply_check (page, &check, error)
         && koers_sync_apply_checked (db, page, &check, out_result, error);
}

/**
 * koers_sync_apply_checked:
 * @db: a database with the sync schema installed
 * @page: a pull page
 * @check: what koers_sync_apply_check() said of @page
 * @out_result: (out caller-allocates) (optional): what happened
 *
 * koers_sync_apply_page() for a page already checked.
 */
gboolean
koers_sync_apply_checked (KoersDatabase *db, KoersJsonDoc *page, const KoersSyncPageCheck *check,
                          KoersSyncApplyResult *out_result, GError **error)
{
  KoersSyncApplyResult result = { 0 };
  g_autoptr(GError) local_error = NULL;
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(GHashTable) coaches = NULL;
  g_autofree char *capture_sql = NULL;
  /* (element-type utf8) ids in @page: it outlives the array */
  g_autoptr(GPtrArray) parents = g_ptr_array_new ();
  KoersSyncPageContext page_context = { 0 };
  gboolean ok = TRUE;
  gboolean initial;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (page != NULL && check != NULL, FALSE);

  if (out_result != NULL)
    memset (out_result, 0, sizeof *out_result);
  result.more = koers_sync_doc_bool (page, 0, "meerBeschikbaar", FALSE, &ok);
  result.server_time = g_strdup (koers_sync_doc_string (page, 0, "serverTijd"));

  if (!koers_database_begin (db, &local_error))
    goto failed_no_txn;
  /* A child may arrive before its parent within a page; references are checked at commit. */
  if (!koers_database_exec (db, "PRAGMA defer_foreign_keys = ON", &local_error)
      || !koers_sync_guard (db, TRUE, &local_error))
    goto failed;
  cursor = koers_sync_state_get (db, KOERS_SYNC_STATE_CURSOR, &local_error);
  if (local_error != NULL)
    goto failed;
  if (cursor == NULL
      && (!koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_PULL, "1", &local_error)
          || !koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_COMPLETE, "0", &local_error)))
    goto failed;
  /* A first sync inserts participants by the thousand. Row by row, every later statement in
   * the transaction makes FTS5 flush the rows pending for the search indexes as a segment of
   * their own (its xSavepoint), which was most of the apply; the storage's bulk batch instead
   * indexes the page's new rows in one statement per index at the end. It only knows which
   * rows are new (rowid above the largest before), so a page that names a record twice (it
   * could insert and then change a row) goes row by row. */
  initial = koers_sync_state_get_int (db, KOERS_SYNC_STATE_INITIAL_PULL, 0) == 1;
  if (initial)
    raise_cache (db);
  if (initial && result.more && !defer_indexes (db, &local_error))
    goto failed;
  if (!initial && !restore_indexes (db, &local_error))
    goto failed;
  if (check->distinct && check->n_participants >= BULK_MIN_PARTICIPANTS && initial)
    {
      bulk = koers_participant_repository_bulk_begin_sized (db, FALSE, 0, FALSE, &local_error);
      if (bulk == NULL || !suspend_capture (db, &capture_sql, &local_error))
        goto failed;
      /* Indexed for search all at once when the pull ends; see restore_indexes(). */
      koers_participant_repository_bulk_defer_search (bulk);
    }
  page_context.initial = initial;
  page_context.coaches = coaches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!outbox_is_empty (db, &page_context.outbox_empty, &local_error))
    goto failed;
  for (KoersJsonRef item = koers_json_doc_first (page, check->items); item != KOERS_JSON_NONE;
       item = koers_json_doc_next (page, item))
    if (!apply_item (db, page, item, &page_context, parents, &result, &local_error))
      goto failed;
  if (!koers_sync_rebuild_children (db, parents, &local_error))
    goto failed;
  if (capture_sql != NULL && !koers_database_exec (db, capture_sql, &local_error))
    goto failed;
  if (bulk != NULL && !koers_participant_repository_bulk_end (bulk, &local_error))
    goto failed;
  if (!koers_sync_state_set (db, KOERS_SYNC_STATE_CURSOR,
                             koers_sync_doc_string (page, 0, "volgendeCursor"), &local_error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_EPOCH,
                                koers_sync_doc_string (page, 0, "tijdperk"), &local_error))
    goto failed;
  if (!result.more && initial
      && (!restore_indexes (db, &local_error)
          || !koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_COMPLETE, "1", &local_error)
          || !koers_sync_state_set (db, KOERS_SYNC_STATE_INITIAL_PULL, NULL, &local_error)))
    goto failed;
  if (!koers_sync_guard (db, FALSE, &local_error)
      || !koers_database_commit (db, &local_error))
    goto failed;
  if (!result.more)
    restore_cache (db);
  if (out_result != NULL)
    *out_result = result;
  else
    koers_sync_apply_result_clear (&result);
  return TRUE;

failed:
  koers_database_rollback (db);
failed_no_txn:
  koers_sync_apply_result_clear (&result);
  g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED,
               "Pull page not applied (nothing changed): %s", local_error->message);
  return FALSE;
}
