/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-auth.h"

#include "server/koers-server-auth-private.h"

static void
add_text_member (JsonBuilder  *builder,
                 const char   *name,
                 KoersSqlRows *rows,
                 guint         row,
                 guint         column)
{
  json_builder_set_member_name (builder, name);
  if (koers_sql_rows_is_null (rows, row, column))
    json_builder_add_null_value (builder);
  else
    json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, row, column));
}

JsonNode *
koers_server_auth_list_devices (KoersServerAuth         *auth,
                                const KoersServerCaller *caller,
                                GError                 **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE (caller->user_id),
    KOERS_SQL_INT_VALUE (caller->role == KOERS_SERVER_ROLE_ONDERSTEUNER),
  };

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (caller != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* The organisation filter is there for every role: an ondersteuner's view stops at the
   * own organisation, everyone else's at the own user. */
  rows = koers_server_db_query (auth->db,
                                "SELECT id, name, user_id, registered_at, last_seen_at, "
                                "revoked_at FROM devices WHERE organisation_id = $1 "
                                "AND (user_id = $2 OR $3 = 1) ORDER BY registered_at, id",
                                params, G_N_ELEMENTS (params), &db_error);
  if (rows == NULL)
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      json_builder_begin_object (builder);
      add_text_member (builder, "id", rows, i, 0);
      add_text_member (builder, "naam", rows, i, 1);
      add_text_member (builder, "gebruikerId", rows, i, 2);
      add_text_member (builder, "geregistreerdOp", rows, i, 3);
      add_text_member (builder, "laatstGezienOp", rows, i, 4);
      add_text_member (builder, "ingetrokkenOp", rows, i, 5);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "volgendeCursor");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Revokes @device_id and every token issued to it, in one transaction. With @caller NULL
 * (koers-server admin) any device; otherwise only what the caller may see. */
static gboolean
revoke_device (KoersServerAuth         *auth,
               const KoersServerCaller *caller,
               const char              *device_id,
               GError                 **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  gboolean allowed;

  if (!koers_server_db_begin (auth->db, NULL, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (device_id) };

    rows = koers_server_db_query (auth->db,
                                  "SELECT user_id, organisation_id FROM devices WHERE id = $1",
                                  params, G_N_ELEMENTS (params), &db_error);
  }
  if (rows == NULL)
    goto storage_failed;

  allowed = koers_sql_rows_get_n_rows (rows) == 1;
  if (allowed && caller != NULL)
    {
      gboolean same_organisation =
        g_strcmp0 (koers_sql_rows_get_text (rows, 0, 1), caller->organisation_id) == 0;
      gboolean own = same_organisation
                     && g_strcmp0 (koers_sql_rows_get_text (rows, 0, 0), caller->user_id) == 0;

      allowed = own || (same_organisation && caller->role == KOERS_SERVER_ROLE_ONDERSTEUNER);
    }
  if (!allowed)
    {
      koers_server_db_rollback (auth->db);
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND,
                   _("device: there is no device with this id"));
      return FALSE;
    }

  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (now), KOERS_SQL_TEXT_VALUE (device_id) };

    /* Revoking twice keeps the first time: the device list shows when it really ended. */
    if (!koers_server_db_exec (auth->db,
                               "UPDATE devices SET revoked_at = $1 "
                               "WHERE id = $2 AND revoked_at IS NULL",
                               params, G_N_ELEMENTS (params), NULL, &db_error)
        || !koers_server_db_exec (auth->db,
                                  "UPDATE tokens SET revoked_at = $1 "
                                  "WHERE device_id = $2 AND revoked_at IS NULL",
                                  params, G_N_ELEMENTS (params), NULL, &db_error)
        || !koers_server_db_commit (auth->db, &db_error))
      goto storage_failed;
  }
  return TRUE;

storage_failed:
  koers_server_db_rollback (auth->db);
  koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
  return FALSE;
}

gboolean
koers_server_auth_revoke_device (KoersServerAuth         *auth,
                                 const KoersServerCaller *caller,
                                 const char              *device_id,
                                 GError                 **error)
{
  g_return_val_if_fail (auth != NULL, FALSE);
  g_return_val_if_fail (caller != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return revoke_device (auth, caller, device_id, error);
}

gboolean
koers_server_auth_admin_revoke_device (KoersServerAuth *auth,
                                       const char      *device_id,
                                       GError         **error)
{
  g_return_val_if_fail (auth != NULL, FALSE);
  g_return_val_if_fail (device_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return revoke_device (auth, NULL, device_id, error);
}
