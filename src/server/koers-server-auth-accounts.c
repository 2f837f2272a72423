/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-auth.h"

#include "server/koers-server-auth-private.h"
#include "server/koers-server-password.h"

#include <string.h>

/* A passphrase rule people can live with; the Argon2id cost does the rest. The upper bound
 * only keeps absurd input out. */
#define MIN_PASSWORD_CHARS 12
#define MAX_PASSWORD_BYTES 1024

static gboolean
invalid (GError    **error,
         const char *field,
         const char *reason)
{
  /* TRANSLATORS: "field: reason", e.g. "username: is already taken" */
  g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_INVALID, _("%s: %s"),
               field, reason);
  return FALSE;
}

static gboolean
organisation_exists (KoersServerAuth *auth,
                     const char      *organisation_id,
                     GError         **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (organisation_id) };

  rows = koers_server_auth_query (auth, "SELECT 1 FROM organisations WHERE id = $1",
                                  params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  if (koers_sql_rows_get_n_rows (rows) == 0)
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND,
                   _("organisation: there is no organisation with this id"));
      return FALSE;
    }
  return TRUE;
}

char *
koers_server_auth_add_organisation (KoersServerAuth *auth,
                                    const char      *name,
                                    GError         **error)
{
  g_autofree char *normalized = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = NULL;

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  normalized = koers_server_auth_check_name (name, &reason);
  if (normalized == NULL)
    return invalid (error, _("name"), reason), NULL;

  now = koers_server_auth_timestamp (auth, 0);
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (normalized), KOERS_SQL_TEXT_VALUE (now),
    };

    if (!koers_server_auth_exec (auth,
                                 "INSERT INTO organisations (id, name, created_at) "
                                 "VALUES ($1, $2, $3)",
                                 params, G_N_ELEMENTS (params), NULL, error))
      return NULL;
  }
  return g_steal_pointer (&id);
}

static gboolean
check_password_rules (const char *password,
                      GError    **error)
{
  if (password == NULL || !g_utf8_validate (password, -1, NULL))
    return invalid (error, _("password"), _("is missing or not valid UTF-8"));
  if (g_utf8_strlen (password, -1) < MIN_PASSWORD_CHARS)
    return invalid (error, _("password"), _("must be at least 12 characters long"));
  if (strlen (password) > MAX_PASSWORD_BYTES)
    return invalid (error, _("password"), _("must be at most 1024 bytes long"));
  return TRUE;
}

char *
koers_server_auth_add_user (KoersServerAuth *auth,
                            const char      *organisation_id,
                            const char      *username,
                            const char      *display_name,
                            KoersServerRole  role,
                            const char      *password,
                            GError         **error)
{
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *now = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(GError) db_error = NULL;

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Everything is checked before the (deliberately slow) hash and before any write. */
  if (organisation_id == NULL || *organisation_id == '\0')
    return invalid (error, _("organisation"), _("is missing")), NULL;
  if (!koers_server_auth_is_valid_username (username))
    return invalid (error, _("username"),
                    _("must be 3 to 64 characters from a-z, 0-9, '.', '_' and '-'")), NULL;
  name = koers_server_auth_check_name (display_name, &reason);
  if (name == NULL)
    return invalid (error, _("name"), reason), NULL;
  if (role != KOERS_SERVER_ROLE_COACH && role != KOERS_SERVER_ROLE_ONDERSTEUNER
      && role != KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    return invalid (error, _("role"),
                    _("must be coach, ondersteuner or programmamanager")), NULL;
  if (!check_password_rules (password, error))
    return NULL;
  if (!organisation_exists (auth, organisation_id, error))
    return NULL;

  hash = koers_server_password_hash (password);
  if (hash == NULL)
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAVAILABLE,
                   _("password: the hash could not be computed (out of memory?)"));
      return NULL;
    }

  now = koers_server_auth_timestamp (auth, 0);
  if (!koers_server_db_begin (auth->db, NULL, &db_error))
    goto storage_failed;
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (username) };

    rows = koers_server_db_query (auth->db, "SELECT 1 FROM users WHERE username = $1",
                                  params, G_N_ELEMENTS (params), &db_error);
    if (rows == NULL)
      goto rollback;
    if (koers_sql_rows_get_n_rows (rows) > 0)
      {
        koers_server_db_rollback (auth->db);
        g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_EXISTS,
                     _("username: is already taken"));
        return NULL;
      }
  }
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (organisation_id),
      KOERS_SQL_TEXT_VALUE (username), KOERS_SQL_TEXT_VALUE (name),
      KOERS_SQL_TEXT_VALUE (koers_server_role_to_string (role)), KOERS_SQL_TEXT_VALUE (hash),
      KOERS_SQL_TEXT_VALUE (now),
    };

    if (!koers_server_db_exec (auth->db,
                               "INSERT INTO users (id, organisation_id, username, display_name, "
                               "role, password_hash, created_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                               params, G_N_ELEMENTS (params), NULL, &db_error)
        || !koers_server_db_commit (auth->db, &db_error))
      goto rollback;
  }
  return g_steal_pointer (&id);

rollback:
  koers_server_db_rollback (auth->db);
  /* Lost a race with another administrator adding the same username. */
  if (g_error_matches (db_error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT))
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_EXISTS,
                   _("username: is already taken"));
      return NULL;
    }
storage_failed:
  koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
  return NULL;
}

JsonNode *
koers_server_auth_list_users (KoersServerAuth *auth,
                              const char      *organisation_id,
                              GError         **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (organisation_id) };

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (organisation_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!organisation_exists (auth, organisation_id, error))
    return NULL;
  rows = koers_server_auth_query (auth,
                                  "SELECT id, username, display_name, role, disabled, created_at "
                                  "FROM users WHERE organisation_id = $1 ORDER BY username",
                                  params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 0));
      json_builder_set_member_name (builder, "gebruikersnaam");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 1));
      json_builder_set_member_name (builder, "naam");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 2));
      json_builder_set_member_name (builder, "rol");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 3));
      json_builder_set_member_name (builder, "uitgeschakeld");
      json_builder_add_boolean_value (builder, koers_sql_rows_get_int (rows, i, 4) != 0);
      json_builder_set_member_name (builder, "aangemaaktOp");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 5));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

gboolean
koers_server_auth_set_user_disabled (KoersServerAuth *auth,
                                     const char      *user_id,
                                     gboolean         disabled,
                                     GError         **error)
{
  g_autoptr(GError) db_error = NULL;
  guint64 changes = 0;
  KoersSqlValue params[] = {
    KOERS_SQL_INT_VALUE (disabled ? 1 : 0), KOERS_SQL_TEXT_VALUE (user_id),
  };

  g_return_val_if_fail (auth != NULL, FALSE);
  g_return_val_if_fail (user_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!koers_server_db_exec (auth->db, "UPDATE users SET disabled = $1 WHERE id = $2",
                             params, G_N_ELEMENTS (params), &changes, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }
  if (changes == 0)
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND,
                   _("user: there is no user with this id"));
      return FALSE;
    }
  return TRUE;
}
