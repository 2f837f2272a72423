/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-auth-private.h"
#include "server/koers-server-password.h"

#include <string.h>
#include <sodium.h>

/* Tokens and codes are 32 random bytes; the database only ever sees their SHA-256, so a copy
 * of the database (or a backup) gives nobody a working token. */
#define TOKEN_BYTES 32

char *
koers_server_auth_random_token (void)
{
  guchar bytes[TOKEN_BYTES];
  char out[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  if (!koers_server_crypto_init ())
    g_error ("libsodium cannot be initialised: no random source");
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (out, sizeof out, bytes, sizeof bytes,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (out);
}

char *
koers_server_auth_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static gboolean
is_base64url_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

gboolean
koers_server_auth_is_token_shaped (const char *token)
{
  /* 32 bytes in unpadded base64url are 43 characters. */
  if (token == NULL || strlen (token) != 43)
    return FALSE;
  for (const char *p = token; *p != '\0'; p++)
    if (!is_base64url_char (*p))
      return FALSE;
  return TRUE;
}

gboolean
koers_server_auth_is_valid_verifier (const char *verifier)
{
  gsize length;

  /* RFC 7636 4.1: 43-128 unreserved characters. */
  if (verifier == NULL)
    return FALSE;
  length = strlen (verifier);
  if (length < 43 || length > 128)
    return FALSE;
  for (const char *p = verifier; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-._~", *p) == NULL)
      return FALSE;
  return TRUE;
}

gboolean
koers_server_auth_is_valid_challenge (const char *challenge)
{
  gsize length;

  if (challenge == NULL)
    return FALSE;
  length = strlen (challenge);
  if (length < 43 || length > 128)
    return FALSE;
  for (const char *p = challenge; *p != '\0'; p++)
    if (!is_base64url_char (*p))
      return FALSE;
  return TRUE;
}

gboolean
koers_server_auth_pkce_matches (const char *verifier,
                                const char *challenge)
{
  guchar digest[32];
  gsize digest_len = sizeof digest;
  char expected[sodium_base64_ENCODED_LEN (32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  if (!koers_server_auth_is_valid_verifier (verifier) || challenge == NULL)
    return FALSE;
  g_checksum_update (checksum, (const guchar *) verifier, (gssize) strlen (verifier));
  g_checksum_get_digest (checksum, digest, &digest_len);
  sodium_bin2base64 (expected, sizeof expected, digest, digest_len,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return strlen (challenge) == strlen (expected)
         && sodium_memcmp (expected, challenge, strlen (expected)) == 0;
}

void
koers_auth_token_pair_clear (KoersAuthTokenPair *pair)
{
  g_clear_pointer (&pair->access_token, g_free);
  g_clear_pointer (&pair->refresh_token, g_free);
  g_clear_pointer (&pair->device_id, g_free);
}

static gboolean
insert_token (KoersServerAuth *auth,
              const char      *token,
              const char      *kind,
              const char      *user_id,
              const char      *device_id,
              const char      *family_id,
              gint64           lifetime,
              GError         **error)
{
  g_autofree char *hash = koers_server_auth_hash_token (token);
  g_autofree char *expires_at = koers_server_auth_timestamp (auth, lifetime);
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (hash), KOERS_SQL_TEXT_VALUE (kind), KOERS_SQL_TEXT_VALUE (user_id),
    KOERS_SQL_TEXT_VALUE (device_id), KOERS_SQL_TEXT_VALUE (family_id),
    KOERS_SQL_TEXT_VALUE (expires_at),
  };

  if (!koers_server_auth_exec (auth,
                               "INSERT INTO tokens (token_hash, kind, user_id, device_id, "
                               "family_id, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                               params, G_N_ELEMENTS (params), NULL, error))
    return FALSE;
  return TRUE;
}

gboolean
koers_server_auth_insert_pair (KoersServerAuth    *auth,
                               const char         *user_id,
                               const char         *device_id,
                               const char         *family_id,
                               KoersAuthTokenPair *pair,
                               GError            **error)
{
  g_autofree char *access = koers_server_auth_random_token ();
  g_autofree char *refresh = koers_server_auth_random_token ();

  if (!insert_token (auth, access, "access", user_id, device_id, family_id,
                     KOERS_AUTH_ACCESS_SECONDS, error)
      || !insert_token (auth, refresh, "refresh", user_id, device_id, family_id,
                        KOERS_AUTH_REFRESH_SECONDS, error))
    return FALSE;
  pair->access_token = g_steal_pointer (&access);
  pair->refresh_token = g_steal_pointer (&refresh);
  pair->device_id = g_strdup (device_id);
  return TRUE;
}

char *
koers_server_auth_create_code (KoersServerAuth *auth,
                               const char      *user_id,
                               const char      *redirect_uri,
                               const char      *code_challenge,
                               const char      *device_name,
                               GError         **error)
{
  g_autofree char *code = koers_server_auth_random_token ();
  g_autofree char *hash = koers_server_auth_hash_token (code);
  g_autofree char *expires_at = koers_server_auth_timestamp (auth, KOERS_AUTH_CODE_SECONDS);
  /* Spent codes stay a day so a late second use is still recognised as one. */
  g_autofree char *stale = koers_server_auth_timestamp (auth, -24 * 60 * 60);
  g_autoptr(GError) db_error = NULL;
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (hash), KOERS_SQL_TEXT_VALUE (user_id),
    KOERS_SQL_TEXT_VALUE (KOERS_AUTH_CLIENT_ID), KOERS_SQL_TEXT_VALUE (redirect_uri),
    KOERS_SQL_TEXT_VALUE (code_challenge), KOERS_SQL_TEXT_VALUE (device_name),
    KOERS_SQL_TEXT_VALUE (expires_at),
  };
  KoersSqlValue cleanup[] = { KOERS_SQL_TEXT_VALUE (stale) };

  if (!koers_server_db_exec (auth->db, "DELETE FROM auth_codes WHERE expires_at < $1",
                             cleanup, G_N_ELEMENTS (cleanup), NULL, &db_error)
      || !koers_server_db_exec (auth->db,
                                "INSERT INTO auth_codes (code_hash, user_id, client_id, "
                                "redirect_uri, code_challenge, device_name, expires_at) "
                                "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                params, G_N_ELEMENTS (params), NULL, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return NULL;
    }
  return g_steal_pointer (&code);
}

static gboolean
revoke_family (KoersServerAuth *auth,
               const char      *family_id,
               GError         **error)
{
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (now), KOERS_SQL_TEXT_VALUE (family_id) };

  if (!koers_server_auth_exec (auth,
                               "UPDATE tokens SET revoked_at = $1 "
                               "WHERE family_id = $2 AND revoked_at IS NULL",
                               params, G_N_ELEMENTS (params), NULL, error))
    return FALSE;
  return TRUE;
}

/* Ends a transaction whose outcome is a refusal that must still be written (a spent code,
 * a revoked family). */
static gboolean
commit_refusal (KoersServerAuth *auth,
                const char      *description,
                GError         **error)
{
  g_autoptr(GError) db_error = NULL;

  if (!koers_server_db_commit (auth->db, &db_error))
    {
      koers_server_db_rollback (auth->db);
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }
  g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,
                       description);
  return FALSE;
}

static gboolean
fail_in_transaction (KoersServerAuth *auth,
                     GError         **error,
                     GError          *db_error)
{
  koers_server_db_rollback (auth->db);
  if (db_error != NULL)
    koers_server_auth_storage_error (error, db_error);
  return FALSE;
}

static char *
register_device (KoersServerAuth *auth,
                 const char      *user_id,
                 const char      *organisation_id,
                 const char      *device_name,
                 GError         **error)
{
  g_autofree char *device_id = g_uuid_string_random ();
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (device_id), KOERS_SQL_TEXT_VALUE (user_id),
    KOERS_SQL_TEXT_VALUE (organisation_id), KOERS_SQL_TEXT_VALUE (device_name),
    KOERS_SQL_TEXT_VALUE (now),
  };

  if (!koers_server_auth_exec (auth,
                               "INSERT INTO devices (id, user_id, organisation_id, name, "
                               "registered_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $5)",
                               params, G_N_ELEMENTS (params), NULL, error))
    return NULL;
  return g_steal_pointer (&device_id);
}

/* Inside a transaction: a device and a first token pair for an enabled user. */
static gboolean
start_family (KoersServerAuth    *auth,
              const char         *user_id,
              const char         *device_name,
              const char         *family_id,
              KoersAuthTokenPair *pair,
              GError            **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  g_autofree char *device_id = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (user_id) };

  rows = koers_server_auth_query (auth,
                                  "SELECT organisation_id, disabled FROM users WHERE id = $1",
                                  params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  if (koers_sql_rows_get_n_rows (rows) == 0)
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND,
                   _("user: there is no user with this id"));
      return FALSE;
    }
  if (koers_sql_rows_get_int (rows, 0, 1) != 0)
    {
      g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,
                           "account disabled");
      return FALSE;
    }
  device_id = register_device (auth, user_id, koers_sql_rows_get_text (rows, 0, 0),
                               device_name, error);
  return device_id != NULL
         && koers_server_auth_insert_pair (auth, user_id, device_id, family_id, pair, error);
}

char *
koers_server_auth_issue_tokens (KoersServerAuth *auth,
                                const char      *user_id,
                                const char      *device_name,
                                char           **out_access,
                                char           **out_refresh,
                                GError         **error)
{
  g_auto(KoersAuthTokenPair) pair = { NULL, NULL, NULL };
  g_autofree char *family_id = g_uuid_string_random ();
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_autoptr(GError) db_error = NULL;

  g_return_val_if_fail (auth != NULL, NULL);
  g_return_val_if_fail (user_id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = koers_server_auth_check_name (device_name != NULL ? device_name
                                                           : KOERS_AUTH_DEFAULT_DEVICE,
                                       &reason);
  if (name == NULL)
    {
      g_set_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_INVALID,
                   _("device name: %s"), reason);
      return NULL;
    }
  if (!koers_server_db_begin (auth->db, NULL, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return NULL;
    }
  if (!start_family (auth, user_id, name, family_id, &pair, error))
    {
      koers_server_db_rollback (auth->db);
      return NULL;
    }
  if (!koers_server_db_commit (auth->db, &db_error))
    {
      fail_in_transaction (auth, error, g_steal_pointer (&db_error));
      return NULL;
    }
  if (out_access != NULL)
    *out_access = g_steal_pointer (&pair.access_token);
  if (out_refresh != NULL)
    *out_refresh = g_steal_pointer (&pair.refresh_token);
  return g_steal_pointer (&pair.device_id);
}

gboolean
koers_server_auth_exchange_code (KoersServerAuth    *auth,
                                 const char         *code,
                                 const char         *code_verifier,
                                 KoersAuthTokenPair *out_pair,
                                 GError            **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  g_autofree char *stale = koers_server_auth_timestamp (auth, -24 * 60 * 60);
  g_autoptr(GError) db_error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  guint64 changes = 0;
  const char *user_id;

  if (!koers_server_auth_is_token_shaped (code))
    {
      g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,
                           "unknown code");
      return FALSE;
    }
  hash = koers_server_auth_hash_token (code);
  if (!koers_server_db_begin (auth->db, NULL, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }

  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (hash) };

    rows = koers_server_db_query (auth->db,
                                  "SELECT user_id, code_challenge, device_name, expires_at "
                                  "FROM auth_codes WHERE code_hash = $1",
                                  params, G_N_ELEMENTS (params), &db_error);
    if (rows == NULL)
      return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
    if (koers_sql_rows_get_n_rows (rows) == 0)
      {
        koers_server_db_rollback (auth->db);
        g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR,
                             KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED, "unknown code");
        return FALSE;
      }
  }

  /* Spent in one conditional statement, so two exchanges racing for one code cannot both
   * win. Any attempt spends it, a wrong verifier too: a stolen code gets one guess. */
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (hash) };

    if (!koers_server_db_exec (auth->db,
                               "UPDATE auth_codes SET used = 1 WHERE code_hash = $1 AND used = 0",
                               params, G_N_ELEMENTS (params), &changes, &db_error))
      return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
  }
  if (changes == 0)
    {
      /* A code used twice was intercepted: the tokens issued from it (their family id is
       * the code's hash) are revoked too (RFC 6749 4.1.2). */
      if (!revoke_family (auth, hash, error))
        return fail_in_transaction (auth, error, NULL);
      return commit_refusal (auth, "code already used", error);
    }
  if (g_strcmp0 (koers_sql_rows_get_text (rows, 0, 3), now) < 0)
    return commit_refusal (auth, "code expired", error);
  if (!koers_server_auth_pkce_matches (code_verifier, koers_sql_rows_get_text (rows, 0, 1)))
    return commit_refusal (auth, "code_verifier does not match", error);

  user_id = koers_sql_rows_get_text (rows, 0, 0);
  if (!start_family (auth, user_id, koers_sql_rows_get_text (rows, 0, 2), hash, out_pair,
                     error))
    {
      koers_server_db_rollback (auth->db);
      koers_auth_token_pair_clear (out_pair);
      if (error != NULL && *error != NULL && (*error)->code == KOERS_SERVER_AUTH_ERROR_NOT_FOUND)
        (*error)->code = KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED;
      return FALSE;
    }

  /* Tokens long past expiry are no longer needed for reuse detection. */
  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (stale) };

    if (!koers_server_db_exec (auth->db, "DELETE FROM tokens WHERE expires_at < $1",
                               params, G_N_ELEMENTS (params), NULL, &db_error)
        || !koers_server_db_commit (auth->db, &db_error))
      {
        koers_auth_token_pair_clear (out_pair);
        return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
      }
  }
  return TRUE;
}

gboolean
koers_server_auth_refresh (KoersServerAuth    *auth,
                           const char         *refresh_token,
                           KoersAuthTokenPair *out_pair,
                           GError            **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = koers_server_auth_timestamp (auth, 0);
  g_autoptr(GError) db_error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  guint64 changes = 0;
  const char *family_id;

  if (!koers_server_auth_is_token_shaped (refresh_token))
    {
      g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,
                           "unknown refresh token");
      return FALSE;
    }
  hash = koers_server_auth_hash_token (refresh_token);
  if (!koers_server_db_begin (auth->db, NULL, &db_error))
    {
      koers_server_auth_storage_error (error, g_steal_pointer (&db_error));
      return FALSE;
    }

  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (hash) };

    rows = koers_server_db_query (auth->db,
                                  "SELECT t.user_id, t.device_id, t.family_id, t.expires_at, "
                                  "t.revoked_at, u.disabled, d.revoked_at "
                                  "FROM tokens t JOIN users u ON u.id = t.user_id "
                                  "JOIN devices d ON d.id = t.device_id "
                                  "WHERE t.token_hash = $1 AND t.kind = 'refresh'",
                                  params, G_N_ELEMENTS (params), &db_error);
    if (rows == NULL)
      return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
    if (koers_sql_rows_get_n_rows (rows) == 0 || !koers_sql_rows_is_null (rows, 0, 4))
      {
        koers_server_db_rollback (auth->db);
        g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR,
                             KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED, "unknown or revoked token");
        return FALSE;
      }
  }
  family_id = koers_sql_rows_get_text (rows, 0, 2);

  {
    KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (now), KOERS_SQL_TEXT_VALUE (hash) };

    if (!koers_server_db_exec (auth->db,
                               "UPDATE tokens SET used_at = $1 "
                               "WHERE token_hash = $2 AND used_at IS NULL AND revoked_at IS NULL",
                               params, G_N_ELEMENTS (params), &changes, &db_error))
      return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
  }
  if (changes == 0)
    {
      /* A rotated-away refresh token came back: one of the two holders is a thief, and the
       * server cannot tell which, so the whole family stops working. */
      if (!revoke_family (auth, family_id, error))
        return fail_in_transaction (auth, error, NULL);
      return commit_refusal (auth, "refresh token reused", error);
    }
  if (g_strcmp0 (koers_sql_rows_get_text (rows, 0, 3), now) < 0
      || koers_sql_rows_get_int (rows, 0, 5) != 0
      || !koers_sql_rows_is_null (rows, 0, 6))
    {
      koers_server_db_rollback (auth->db);
      g_set_error_literal (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,
                           "expired token, disabled account or revoked device");
      return FALSE;
    }
  if (!koers_server_auth_insert_pair (auth, koers_sql_rows_get_text (rows, 0, 0),
                                      koers_sql_rows_get_text (rows, 0, 1), family_id,
                                      out_pair, error))
    {
      koers_auth_token_pair_clear (out_pair);
      return fail_in_transaction (auth, error, NULL);
    }
  if (!koers_server_db_commit (auth->db, &db_error))
    {
      koers_auth_token_pair_clear (out_pair);
      return fail_in_transaction (auth, error, g_steal_pointer (&db_error));
    }
  return TRUE;
}
