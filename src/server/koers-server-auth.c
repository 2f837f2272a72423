/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-auth.h"

#include "core/koers-text.h"
#include "server/koers-server-auth-private.h"

#include <string.h>

G_DEFINE_QUARK (koers-server-auth-error-quark, koers_server_auth_error)

static GDateTime *
real_now (gpointer user_data)
{
  return g_date_time_new_now_utc ();
}

KoersServerAuth *
koers_server_auth_new (KoersServerDb *db)
{
  KoersServerAuth *auth;

  g_return_val_if_fail (db != NULL, NULL);

  auth = g_new0 (KoersServerAuth, 1);
  auth->db = db;
  auth->now = real_now;
  auth->logins_in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return auth;
}

void
koers_server_auth_free (KoersServerAuth *auth)
{
  if (auth == NULL)
    return;
  koers_server_auth_stop_verifying (auth);
  g_strfreev (auth->trusted_proxies);
  g_hash_table_unref (auth->logins_in_flight);
  g_free (auth);
}

void
koers_server_auth_set_clock (KoersServerAuth *auth,
                             GDateTime *    (*now) (gpointer user_data),
                             gpointer         user_data)
{
  g_return_if_fail (auth != NULL);

  auth->now = now != NULL ? now : real_now;
  auth->now_data = now != NULL ? user_data : NULL;
}

void
koers_server_auth_set_trusted_proxies (KoersServerAuth    *auth,
                                       const char * const *addresses)
{
  g_return_if_fail (auth != NULL);

  g_clear_pointer (&auth->trusted_proxies, g_strfreev);
  if (addresses != NULL && addresses[0] != NULL)
    auth->trusted_proxies = g_strdupv ((char **) addresses);
}

static gboolean
is_trusted_proxy (KoersServerAuth *auth,
                  const char      *address)
{
  return auth->trusted_proxies != NULL && address != NULL
         && g_strv_contains ((const char * const *) auth->trusted_proxies, address);
}

char *
koers_server_auth_client_address (KoersServerAuth   *auth,
                                  SoupServerMessage *msg)
{
  const char *peer = soup_server_message_get_remote_host (msg);
  const char *forwarded;
  g_auto(GStrv) hops = NULL;

  if (!is_trusted_proxy (auth, peer))
    return g_strdup (peer);
  forwarded = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                             "X-Forwarded-For");
  if (forwarded == NULL)
    return g_strdup (peer);
  /* Entries left of the last untrusted one were written by the client itself: ignored. */
  hops = g_strsplit (forwarded, ",", -1);
  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      char *hop = g_strstrip (hops[i - 1]);

      if (*hop != '\0' && !is_trusted_proxy (auth, hop))
        return g_strndup (hop, 64);
    }
  return g_strdup (peer);
}

GDateTime *
koers_server_auth_now (KoersServerAuth *auth)
{
  g_autoptr(GDateTime) now = auth->now (auth->now_data);

  return g_date_time_to_utc (now);
}

char *
koers_server_auth_format_time (GDateTime *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
koers_server_auth_timestamp (KoersServerAuth *auth,
                             gint64           offset_seconds)
{
  g_autoptr(GDateTime) now = koers_server_auth_now (auth);
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) offset_seconds);

  return koers_server_auth_format_time (then);
}

void
koers_server_auth_storage_error (GError **error,
                                 GError  *db_error)
{
  /* The database message may quote SQL; the log gets it, the client only "unavailable". */
  g_message ("koers-server auth: storage error: %s", db_error->message);
  g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAVAILABLE,
                       _("The account database cannot be used right now"));
  g_error_free (db_error);
}

gboolean
koers_server_auth_exec (KoersServerAuth     *auth,
                        const char          *sql,
                        const KoersSqlValue *params,
                        guint                n_params,
                        guint64             *out_changes,
                        GError             **error)
{
  g_autoptr(GError) db_error = NULL;

  if (koers_server_db_exec (auth->db, sql, params, n_params, out_changes, &db_error))
    return TRUE;
  koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
  return FALSE;
}

KoersSqlRows *
koers_server_auth_query (KoersServerAuth     *auth,
                         const char          *sql,
                         const KoersSqlValue *params,
                         guint                n_params,
                         GError             **error)
{
  g_autoptr(GError) db_error = NULL;
  KoersSqlRows *rows = koers_server_db_query (auth->db, sql, params, n_params, &db_error);

  if (rows == NULL)
    koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
  return rows;
}

gboolean
koers_server_auth_is_valid_username (const char *username)
{
  gsize length;

  if (username == NULL)
    return FALSE;
  length = strlen (username);
  if (length < 3 || length > 64)
    return FALSE;
  for (const char *p = username; *p != '\0'; p++)
    if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p) || strchr ("._-", *p) != NULL))
      return FALSE;
  return TRUE;
}

char *
koers_server_auth_check_name (const char  *text,
                              char       **out_reason)
{
  g_autofree char *normalized = NULL;
  glong length;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      *out_reason = g_strdup (_("is missing or not valid UTF-8"));
      return NULL;
    }
  if (!koers_text_check_single_line (text, out_reason))
    return NULL;
  normalized = koers_text_normalize (text);
  length = g_utf8_strlen (normalized, -1);
  if (length < 1 || length > 200)
    {
      *out_reason = g_strdup (_("must be 1 to 200 characters long"));
      return NULL;
    }
  return g_steal_pointer (&normalized);
}

static gboolean
unauthorized (GError    **error,
              const char *why)
{
  /* The reason is for the server's own debugging; clients only ever get a plain 401. */
  g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED, why);
  return FALSE;
}

static void
mark_seen (KoersServerAuth *auth,
           const char      *device_id,
           const char      *last_seen_at)
{
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  g_autofree char *stale = koers_server_auth_timestamp (auth, -KOERS_AUTH_SEEN_SECONDS);
  g_autoptr(GError) db_error = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (now), KOERS_SQL_TEXT_VALUE (device_id), KOERS_SQL_TEXT_VALUE (stale),
  };

  if (last_seen_at != NULL && g_strcmp0 (last_seen_at, stale) >= 0)
    return;
  /* Only a hint for the device list: a failure here must not fail the request. */
  if (!koers_server_db_exec (auth->db,
                             "UPDATE devices SET last_seen_at = $1 WHERE id = $2 "
                             "AND (last_seen_at IS NULL OR last_seen_at < $3)",
                             params, G_N_ELEMENTS (params), NULL, &db_error))
    g_message ("koers-server auth: could not mark a device as seen: %s", db_error->message);
}

KoersServerCaller *
koers_server_auth_check_bearer (KoersServerAuth *auth,
                                const char      *authorization,
                                GError         **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = NULL;
  g_autoptr(GError) db_error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  const char *token;
  KoersServerRole role;

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    return unauthorized (error, "no bearer token"), NULL;
  token = authorization + 7;
  while (*token == ' ')
    token++;
  if (!koers_server_auth_is_token_shaped (token))
    return unauthorized (error, "malformed token"), NULL;

  hash = koers_server_auth_hash_token (token);
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (hash) };

    rows = koers_server_db_query (auth->db,
                                  "SELECT t.user_id, t.device_id, t.expires_at, t.revoked_at, "
                                  "u.organisation_id, u.display_name, u.role, u.disabled, "
                                  "d.revoked_at, d.last_seen_at "
                                  "FROM tokens t JOIN users u ON u.id = t.user_id "
                                  "JOIN devices d ON d.id = t.device_id "
                                  "WHERE t.token_hash = $1 AND t.kind = 'access'",
                                  params, G_N_ELEMENTS (params), &db_error);
  }
  if (rows == NULL)
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return NULL;
    }
  if (koers_sql_rows_get_n_rows (rows) == 0)
    return unauthorized (error, "unknown token"), NULL;

  now = koers_server_auth_timestamp (auth, 0);
  if (g_strcmp0 (koers_sql_rows_get_text (rows, 0, 2), now) <= 0)
    return unauthorized (error, "token expired"), NULL;
  if (!koers_sql_rows_is_null (rows, 0, 3))
    return unauthorized (error, "token revoked"), NULL;
  if (koers_sql_rows_get_int (rows, 0, 7) != 0)
    return unauthorized (error, "account disabled"), NULL;
  if (!koers_sql_rows_is_null (rows, 0, 8))
    return unauthorized (error, "device revoked"), NULL;
  if (!koers_server_role_from_string (koers_sql_rows_get_text (rows, 0, 6), &role))
    return unauthorized (error, "unknown role"), NULL;

  mark_seen (auth, koers_sql_rows_get_text (rows, 0, 1), koers_sql_rows_get_text (rows, 0, 9));
  return koers_server_caller_new (koers_sql_rows_get_text (rows, 0, 0),
                                  koers_sql_rows_get_text (rows, 0, 4),
                                  koers_sql_rows_get_text (rows, 0, 5),
                                  role,
                                  koers_sql_rows_get_text (rows, 0, 1));
}
