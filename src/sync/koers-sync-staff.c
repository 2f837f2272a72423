/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-sync-staff.h"

#include "core/koers-text.h"
#include "core/koers-uuid.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-schema.h"

#define NAME_MAX_CHARS 200

static gboolean
refuse (GError **error, guint index, const char *what)
{
  g_set_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
               "medewerkers: item %u: %s", index, what);
  return FALSE;
}

static gboolean
check_item (JsonNode *node, guint index, GError **error)
{
  JsonObject *item;
  JsonNode *member;
  const char *name;
  const char *role;
  g_autofree char *reason = NULL;
  glong length;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return refuse (error, index, "not an object");
  item = json_node_get_object (node);

  member = json_object_get_member (item, "id");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING
      || !koers_uuid_is_valid (json_node_get_string (member)))
    return refuse (error, index, "id is not a lowercase UUID");

  member = json_object_get_member (item, "naam");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_STRING)
    return refuse (error, index, "naam is not text");
  name = json_node_get_string (member);
  length = g_utf8_validate (name, -1, NULL) ? g_utf8_strlen (name, -1) : -1;
  if (length < 1 || length > NAME_MAX_CHARS)
    return refuse (error, index, "naam is empty or longer than 200 characters");
  /* A name shows in every caseload row: no controls or bidi overrides that reorder it. */
  if (!koers_text_check_single_line (name, &reason))
    return refuse (error, index, "naam holds characters a name may not hold");

  member = json_object_get_member (item, "rol");
  role = member != NULL && json_node_get_value_type (member) == G_TYPE_STRING
         ? json_node_get_string (member) : NULL;
  if (g_strcmp0 (role, "coach") != 0 && g_strcmp0 (role, "ondersteuner") != 0
      && g_strcmp0 (role, "programmamanager") != 0)
    return refuse (error, index, "rol is not coach, ondersteuner or programmamanager");

  member = json_object_get_member (item, "actief");
  if (member == NULL || json_node_get_value_type (member) != G_TYPE_BOOLEAN)
    return refuse (error, index, "actief is not a boolean");

  return TRUE;
}

static gboolean
upsert_coach (KoersDatabase *db, const char *id, const char *raw_name, GError **error)
{
  g_autofree char *name = koers_text_normalize (raw_name);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (db,
    "INSERT INTO coach (id, created_at, created_by, updated_at, updated_by, name) "
    "VALUES (?1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'sync', "
    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 'sync', ?2) "
    "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
    "updated_at = excluded.updated_at, updated_by = 'sync' "
    "WHERE coach.name IS NOT excluded.name", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, name);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_sync_staff_apply (KoersDatabase *db,
                        JsonNode      *answer,
                        GError       **error)
{
  JsonNode *items_node;
  JsonArray *items;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  guint n;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  items_node = JSON_NODE_HOLDS_OBJECT (answer)
               ? json_object_get_member (json_node_get_object (answer), "items") : NULL;
  if (items_node == NULL || !JSON_NODE_HOLDS_ARRAY (items_node))
    {
      g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                           "medewerkers: the answer has no items array");
      return FALSE;
    }
  items = json_node_get_array (items_node);
  n = json_array_get_length (items);
  now = g_date_time_new_now_utc ();
  now_text = g_strdup_printf ("%" G_GINT64_FORMAT, g_date_time_to_unix (now));
  for (guint i = 0; i < n; i++)
    if (!check_item (json_array_get_element (items, i), i, error))
      return FALSE;

  if (!koers_database_begin (db, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (!upsert_coach (db, json_object_get_string_member (item, "id"),
                         json_object_get_string_member (item, "naam"), error))
        goto failed;
    }
  if (!koers_sync_state_set (db, KOERS_SYNC_STATE_STAFF_SYNCED, now_text, error))
    goto failed;
  return koers_database_commit (db, error);

failed:
  koers_database_rollback (db);
  return FALSE;
}

gboolean
koers_sync_staff_set_self (KoersDatabase *db,
                           const char    *user_id,
                           const char    *name,
                           const char    *role,
                           GError       **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) item = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* The same checks as a staff list item. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, user_id);
  json_builder_set_member_name (builder, "naam");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "rol");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "actief");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  item = json_builder_get_root (builder);
  if (user_id == NULL || name == NULL || role == NULL || !check_item (item, 0, error))
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE,
                             "profiel: gebruikerId, naam or rol missing");
      return FALSE;
    }

  if (!koers_database_begin (db, error))
    return FALSE;
  if (!upsert_coach (db, user_id, name, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_USER_ID, user_id, error)
      || !koers_sync_state_set (db, KOERS_SYNC_STATE_USER_ROLE, role, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return koers_database_commit (db, error);
}

char *
koers_sync_staff_dup_default_coach (KoersDatabase *db)
{
  g_autofree char *role = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  /* No sync tables (a database never signed in): no default. */
  role = koers_sync_state_get (db, KOERS_SYNC_STATE_USER_ROLE, NULL);
  if (g_strcmp0 (role, "coach") != 0)
    return NULL;
  return koers_sync_state_get (db, KOERS_SYNC_STATE_USER_ID, NULL);
}

gboolean
koers_sync_staff_is_due (KoersDatabase *db)
{
  g_autofree char *synced = NULL;
  gint64 when = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gboolean placeholders = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);

  synced = koers_sync_state_get (db, KOERS_SYNC_STATE_STAFF_SYNCED, NULL);
  if (synced == NULL
      || !g_ascii_string_to_signed (synced, 10, 0, G_MAXINT64, &when, NULL)
      || g_date_time_to_unix (now) - when >= KOERS_SYNC_STAFF_MAX_AGE_S
      || g_date_time_to_unix (now) < when)
    return TRUE;

  /* A pull made a placeholder for a coach this device had not seen. */
  stmt = koers_database_prepare (db, "SELECT EXISTS (SELECT 1 FROM coach WHERE created_by = "
                                     "'sync' AND updated_by = 'sync' AND name = 'Coach ' || "
                                     "substr (id, 1, 8))", NULL);
  if (stmt != NULL && koers_database_step (db, stmt, &has_row, NULL) && has_row)
    placeholders = sqlite3_column_int (stmt, 0) != 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return placeholders;
}
