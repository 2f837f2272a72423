/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The writes of the Conflicts page: resolving a conflict with a checked value, sending a
 * refused change again fixed (a new outbox row, never the old mutation), and discarding one.
 * See koers-sync-review.h; the reads are in koers-sync-review.c.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-review.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-conflicts.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

#define NOW_SQL "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

/* A diff as stored; NULL when it does not decode (depth and shape checked first). */
static JsonObject *
decode_object (const char *text)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (text == NULL)
    return NULL;
  bytes = g_bytes_new (text, strlen (text));
  root = koers_sync_json_parse_response (bytes, NULL);
  if (root == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

gboolean
koers_sync_review_resolve (KoersDatabase *db, const char *conflict_id, const char *choice,
                           const char *edited_text, GError **error)
{
  g_autoptr(JsonNode) value = NULL;
  g_autofree char *entity = NULL, *field = NULL;
  gboolean mine_is_server = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);
  g_return_val_if_fail (choice != NULL, FALSE);

  if (!koers_sync_conflict_read_stored (db, conflict_id, &entity, &field, &mine_is_server,
                                        error))
    return FALSE;
  if (entity == NULL || field == NULL)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("The conflict %s is not on this computer"), conflict_id);
      return FALSE;
    }

  if (g_str_equal (choice, "bewerkt"))
    {
      value = koers_sync_review_parse_value (entity, field, edited_text, error);
      if (value == NULL)
        return FALSE;
    }
  /* The page says "mine" for this user's own value (koers_sync_review_load); the wire's
   * "mijn" is always the conflict's client value. */
  else if (mine_is_server)
    choice = g_str_equal (choice, "mijn") ? "hun" : g_str_equal (choice, "hun") ? "mijn" : choice;
  return koers_sync_resolve_conflict (db, conflict_id, choice, value, error);
}

gboolean
koers_sync_quarantined_can_resend (KoersSyncQuarantined *item)
{
  const KoersSyncEntity *entity;

  g_return_val_if_fail (item != NULL, FALSE);

  entity = koers_sync_entity_lookup (item->entity);
  return item->diff != NULL && entity != NULL && entity->table != NULL
         && (g_strcmp0 (item->action, "aanmaken") == 0
             || g_strcmp0 (item->action, "wijzigen") == 0);
}

/* The base of a change made now: the newest pending `wordt` of @field, else the server's. */
static JsonNode *
current_base (KoersDatabase *db, const char *entity, const char *record_id, const char *field,
              GError **error)
{
  g_autofree char *path = g_strdup_printf ("$.\"%s\"", field);
  g_autofree char *shadow_path = g_strdup_printf ("$.gegevens.\"%s\"", field);
  g_autoptr(JsonParser) parser = json_parser_new ();
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  g_autofree char *text = NULL;

  stmt = koers_database_prepare (db,
    "SELECT coalesce((SELECT o.diff -> (?3 || '.wordt') FROM sync_outbox o "
    "  WHERE o.entity = ?1 AND o.record_id = ?2 AND o.diff -> ?3 IS NOT NULL "
    "  ORDER BY o.seq DESC LIMIT 1), "
    "(SELECT s.record -> ?4 FROM sync_shadow s WHERE s.entity = ?1 AND s.id = ?2), 'null')",
    error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, entity);
  koers_bind_text (stmt, 2, record_id);
  koers_bind_text (stmt, 3, path);
  koers_bind_text (stmt, 4, shadow_path);
  if (!koers_database_step (db, stmt, &has_row, error))
    return NULL;
  text = g_strdup (has_row ? koers_column_text (stmt, 0) : "null");
  sqlite3_reset (stmt);
  if (!json_parser_load_from_data (parser, text != NULL ? text : "null", -1, NULL))
    return json_node_new (JSON_NODE_NULL);
  return json_node_copy (json_parser_get_root (parser));
}

/* The fixed change: every field of the refused one, with @values taking precedence, each
 * checked; `was` as a change made now. NULL with @error when a value is refused. */
static JsonObject *
build_fixed_diff (KoersDatabase *db, KoersSyncQuarantined *item, JsonObject *values,
                  GError **error)
{
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(JsonObject) record = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (item->diff);
  gboolean create = g_str_equal (item->action, "aanmaken");

  if (values != NULL)
    {
      g_autoptr(GList) fixed = json_object_get_members (values);

      for (GList *l = fixed; l != NULL; l = l->next)
        if (!json_object_has_member (item->diff, l->data))
          {
            g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                         _("%s was not part of this change"),
                         koers_sync_review_field_label (item->entity, l->data));
            return NULL;
          }
    }
  for (GList *l = names; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonObject *change = koers_sync_json_object (item->diff, field);
      JsonNode *becomes = values != NULL && json_object_has_member (values, field)
                          ? json_object_get_member (values, field)
                          : change != NULL ? json_object_get_member (change, "wordt") : NULL;
      g_autoptr(JsonNode) was = NULL;
      JsonObject *pair;

      if (!koers_sync_review_check_value (item->entity, field, becomes, error))
        return NULL;
      was = create ? json_node_new (JSON_NODE_NULL)
                   : current_base (db, item->entity, item->record_id, field, error);
      if (was == NULL)
        return NULL;
      pair = json_object_new ();
      json_object_set_member (pair, "was", g_steal_pointer (&was));
      json_object_set_member (pair, "wordt", becomes != NULL ? json_node_copy (becomes)
                                                             : json_node_new (JSON_NODE_NULL));
      json_object_set_object_member (diff, field, pair);
      if (becomes != NULL && !JSON_NODE_HOLDS_NULL (becomes))
        json_object_set_member (record, field, json_node_copy (becomes));
    }
  if (create)
    {
      const char *bad_field = NULL;
      g_autofree char *reason = NULL;

      if (!koers_sync_record_check (koers_sync_entity_lookup (item->entity), record, &bad_field,
                                    &reason))
        {
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                       _("%s: the server would refuse it (“%s”)"),
                       bad_field != NULL ? koers_sync_review_field_label (item->entity,
                                                                          bad_field)
                                         : koers_sync_review_entity_label (item->entity),
                       reason);
          return NULL;
        }
    }
  return g_steal_pointer (&diff);
}

static KoersSyncQuarantined *
read_quarantined (KoersDatabase *db, gint64 seq, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, "SELECT entity, record_id, action, diff "
                                                   "FROM sync_quarantine WHERE seq = ?1", error);
  gboolean has_row = FALSE;
  KoersSyncQuarantined *item;

  if (stmt == NULL)
    return NULL;
  koers_bind_int64 (stmt, 1, seq);
  if (!koers_database_step (db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("This change is no longer in the list of refused changes"));
      return NULL;
    }
  item = g_new0 (KoersSyncQuarantined, 1);
  item->seq = seq;
  item->entity = g_strdup (koers_column_text (stmt, 0));
  item->record_id = g_strdup (koers_column_text (stmt, 1));
  item->action = g_strdup (koers_column_text (stmt, 2));
  item->diff = decode_object (koers_column_text (stmt, 3));
  sqlite3_reset (stmt);
  return item;
}

static gboolean
resend_in_transaction (KoersDatabase *db, gint64 seq, JsonObject *values, GError **error)
{
  g_autoptr(KoersSyncQuarantined) item = read_quarantined (db, seq, error);
  g_autoptr(JsonObject) diff = NULL;
  g_autoptr(JsonNode) diff_node = NULL;
  g_autofree char *diff_text = NULL;
  const KoersSyncEntity *entity;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gint64 base_version = 0;

  if (item == NULL)
    return FALSE;
  if (!koers_sync_quarantined_can_resend (item))
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   _("This change cannot be sent again; discard it instead"));
      return FALSE;
    }
  entity = koers_sync_entity_lookup (item->entity);
  diff = build_fixed_diff (db, item, values, error);
  if (diff == NULL)
    return FALSE;
  diff_node = json_node_init_object (json_node_alloc (), diff);
  diff_text = koers_sync_json_to_string (diff_node);

  stmt = koers_database_prepare (db, "SELECT version FROM sync_shadow "
                                     "WHERE entity = ?1 AND id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, item->entity);
  koers_bind_text (stmt, 2, item->record_id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (has_row)
    base_version = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* A new row: seq, mutation id and device number are all new, so the server's answer to the
   * refused mutation stays what it was. */
  stmt = koers_database_prepare (db,
    "INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, " NOW_SQL ")", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, item->entity);
  koers_bind_text (stmt, 2, item->record_id);
  koers_bind_text (stmt, 3, item->action);
  if (base_version > 0 && g_str_equal (item->action, "wijzigen"))
    koers_bind_int64 (stmt, 4, base_version);
  else
    koers_bind_text (stmt, 4, NULL);
  koers_bind_text (stmt, 5, diff_text);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;

  stmt = koers_database_prepare (db, "DELETE FROM sync_quarantine WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, seq);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;

  /* The working row shows the fixed value at once (shadow + pending rows, as a pull does). */
  return koers_sync_guard (db, TRUE, error)
         && koers_sync_rebuild_record (db, entity, item->record_id, error)
         && koers_sync_guard (db, FALSE, error);
}

gboolean
koers_sync_quarantine_resend (KoersDatabase *db, gint64 seq, JsonObject *values,
                              GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!koers_database_begin (db, error))
    return FALSE;
  if (!resend_in_transaction (db, seq, values, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return koers_database_commit (db, error);
}

gboolean
koers_sync_quarantine_discard (KoersDatabase *db, gint64 seq, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  stmt = koers_database_prepare (db, "DELETE FROM sync_quarantine WHERE seq = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_int64 (stmt, 1, seq);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;
  if (sqlite3_changes (koers_database_get_handle (db)) == 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("This change is no longer in the list of refused changes"));
      return FALSE;
    }
  return TRUE;
}
