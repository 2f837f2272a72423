/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-conflicts.h"

#include "sync/koers-sync-private.h"

gboolean
koers_sync_resolve_conflict (KoersDatabase *db, const char *conflict_id, const char *choice,
                             JsonNode *value, GError **error)
{
  static const char * const choices[] = { "mijn", "hun", "bewerkt", NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) diff = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gint64 version;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (conflict_id != NULL, FALSE);

  if (choice == NULL || !g_strv_contains (choices, choice)
      || ((value != NULL) != g_str_equal (choice, "bewerkt")))
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   _("A conflict is resolved with “mine”, “theirs”, or an edited value"));
      return FALSE;
    }
  stmt = koers_database_prepare (db, "SELECT version, CASE WHEN json_valid(record) THEN "
                                     "record ->> '$.gegevens.entiteit' END, CASE WHEN "
                                     "json_valid(record) THEN record ->> '$.gegevens.veld' END "
                                     "FROM sync_shadow WHERE entity = "
                                     "'conflicten' AND id = ?1 AND erased = 0", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, conflict_id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("The conflict %s is not on this computer"), conflict_id);
      return FALSE;
    }
  version = koers_column_int64 (stmt, 0);
  if (value != NULL)
    {
      /* An edited value is checked like any change before it is queued: the server would
       * refuse it anyway, and a refused resolution only lands in quarantine. */
      const KoersSyncEntity *entity = koers_sync_entity_lookup (koers_column_text (stmt, 1));
      const KoersSyncField *field = entity != NULL && koers_column_text (stmt, 2) != NULL
                                    ? koers_sync_entity_field (entity, koers_column_text (stmt, 2))
                                    : NULL;
      g_autofree char *reason = NULL;

      if (field != NULL && !koers_sync_field_check (field, value, &reason))
        {
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                       /* Translators: a field's wire name and the server's (Dutch) reason */
                       _("The edited value of %s is refused: %s"), field->name, reason);
          sqlite3_reset (stmt);
          return FALSE;
        }
    }
  sqlite3_reset (stmt);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "keuze");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "was");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "wordt");
  json_builder_add_string_value (builder, choice);
  json_builder_end_object (builder);
  if (value != NULL)
    {
      json_builder_set_member_name (builder, "waarde");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "was");
      json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "wordt");
      json_builder_add_value (builder, json_node_copy (value));
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  diff = json_builder_get_root (builder);
  text = koers_sync_json_to_string (diff);

  stmt = koers_database_prepare (db,
    "INSERT INTO sync_outbox (entity, record_id, action, base_version, diff, created_at) "
    "VALUES ('conflicten', ?1, 'oplossen', ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
    error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, conflict_id);
  koers_bind_int64 (stmt, 2, version);
  koers_bind_text (stmt, 3, text);
  return koers_database_step (db, stmt, NULL, error);
}
