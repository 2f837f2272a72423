/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Part of test-sign-in: KoersStoredTokenSource against the real server (rotation, one refresh
 * for several callers, the key store written before a new access token is used, fail closed,
 * sign-out during a refresh), and the token endpoint's answers as untrusted input.
 */
#include "config.h"

#include "sync/koers-sign-in.h"

#include "sync/koers-key-store.h"
#include "sync/koers-sync-json.h"

#include "koers-test-key-store.h"
#include "koers-test-postgres.h"
#include "koers-test-server.h"

#include <string.h>

void koers_test_sign_in_add_token_tests (void);

static char *
server_url (KoersTestServer *server)
{
  return g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

static guint
profile_status (KoersTestServer *server,
                const char      *access_token)
{
  g_autoptr(JsonNode) json = NULL;
  guint status = 0;

  json = koers_test_server_request (server, "GET", "/v1/profiel", access_token, NULL, &status,
                                    NULL);
  return status;
}

static gboolean
refresh_sync (KoersStoredTokenSource *source,
              SoupSession            *session,
              const char             *url,
              GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  koers_token_source_refresh_async (KOERS_TOKEN_SOURCE (source), session, url, NULL,
                                    koers_test_keep_result, &result);
  return koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (source),
                                            koers_test_await (&result), error);
}

static guint
token_status (KoersTestServer *server,
              const char      *refresh_token)
{
  g_autofree char *form = soup_form_encode ("grant_type", "refresh_token",
                                            "refresh_token", refresh_token,
                                            "client_id", KOERS_SIGN_IN_CLIENT_ID, NULL);
  g_autoptr(GBytes) body = g_bytes_new (form, strlen (form));
  g_autoptr(KoersTestReply) reply = koers_test_server_send (server, "POST", "/oauth/token",
                                                            NULL, NULL,
                                                            "application/x-www-form-urlencoded",
                                                            body);

  return reply->status;
}

/* A device that has just started: no access token, the refresh token in the key store. Two
 * parts of the app ask for a refresh at once; one rotation serves both (a second trade of
 * the same refresh token would count as theft and end the session). */
static void
test_refresh_rotates (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  KoersTestUser *user = &server->users[KOERS_TEST_A_COACH];
  g_autofree char *url = server_url (server);
  g_autofree char *account = koers_sign_in_account_for (url, user->device_id);
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  const char *stored;

  koers_test_key_store_put (store, account, user->refresh_token);
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), account, NULL);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));

  koers_token_source_refresh_async (KOERS_TOKEN_SOURCE (source), server->session, url, NULL,
                                    koers_test_keep_result, &first);
  koers_token_source_refresh_async (KOERS_TOKEN_SOURCE (source), server->session, url, NULL,
                                    koers_test_keep_result, &second);
  g_assert_true (koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (source),
                                                    koers_test_await (&first), &error));
  g_assert_no_error (error);
  g_assert_true (koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (source),
                                                    koers_test_await (&second), &error));
  g_assert_no_error (error);
  g_assert_cmpuint (koers_test_key_store_n_saves (store), ==, 1);

  access = koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source));
  g_assert_nonnull (access);
  g_assert_cmpuint (profile_status (server, access), ==, SOUP_STATUS_OK);
  stored = koers_test_key_store_peek (store, account);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored, !=, user->refresh_token);

  /* Rotated: the old refresh token is spent; the new one is the one that works. */
  g_assert_cmpuint (token_status (server, user->refresh_token), ==, SOUP_STATUS_BAD_REQUEST);
}

static void
test_refresh_again (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  KoersTestUser *user = &server->users[KOERS_TEST_A_COLLEAGUE];
  g_autofree char *url = server_url (server);
  g_autofree char *account = koers_sign_in_account_for (url, user->device_id);
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *after_first = NULL;
  g_autofree char *access = NULL;

  koers_test_key_store_put (store, account, user->refresh_token);
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), account, "verlopen");
  g_assert_true (refresh_sync (source, server->session, url, &error));
  after_first = g_strdup (koers_test_key_store_peek (store, account));
  /* The second refresh presents the token the first one stored. */
  g_assert_true (refresh_sync (source, server->session, url, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (koers_test_key_store_peek (store, account), !=, after_first);
  access = koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source));
  g_assert_cmpuint (profile_status (server, access), ==, SOUP_STATUS_OK);
}

/* The key store cannot take the rotated refresh token: the session cannot be resumed later,
 * so it ends now; the new access token is never handed out. */
static void
test_refresh_save_fails (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  KoersTestUser *user = &server->users[KOERS_TEST_A_COACH];
  g_autofree char *url = server_url (server);
  g_autofree char *account = koers_sign_in_account_for (url, user->device_id);
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_key_store_put (store, account, user->refresh_token);
  koers_test_key_store_fail (store, KOERS_TEST_KEY_STORE_SAVE, KOERS_KEY_STORE_ERROR_FAILED);
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), account,
                                          user->access_token);
  g_assert_false (refresh_sync (source, server->session, url, &error));
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));
  g_assert_cmpstr (koers_test_key_store_peek (store, account), ==, user->refresh_token);
}

/* Signing out while a refresh is on its way: the refresh saves nothing, the erase waits for
 * it, and the key store ends up empty. */
static void
test_sign_out_during_refresh (void)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (KOERS_SERVER_DB_SQLITE);
  KoersTestUser *user = &server->users[KOERS_TEST_A_COACH];
  g_autofree char *url = server_url (server);
  g_autofree char *account = koers_sign_in_account_for (url, user->device_id);
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GAsyncResult) refreshed = NULL;
  g_autoptr(GAsyncResult) signed_out = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_key_store_put (store, account, user->refresh_token);
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), account,
                                          user->access_token);
  koers_token_source_refresh_async (KOERS_TOKEN_SOURCE (source), server->session, url, NULL,
                                    koers_test_keep_result, &refreshed);
  koers_stored_token_source_sign_out_async (source, NULL, koers_test_keep_result, &signed_out);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));

  g_assert_true (koers_stored_token_source_sign_out_finish (source,
                                                            koers_test_await (&signed_out),
                                                            &error));
  g_assert_no_error (error);
  g_assert_false (koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (source),
                                                     koers_test_await (&refreshed), &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpuint (koers_test_key_store_count (store), ==, 0);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));

  /* Signed out for good. */
  g_assert_false (refresh_sync (source, server->session, url, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
}

static void
test_sign_out (void)
{
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_key_store_put (store, "https://api.example.nl apparaat", "verversing");
  koers_test_key_store_put (store, "https://api.example.nl ander-apparaat", "van-een-ander");
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store),
                                          "https://api.example.nl apparaat", "toegang");
  koers_stored_token_source_sign_out_async (source, NULL, koers_test_keep_result, &result);
  g_assert_true (koers_stored_token_source_sign_out_finish (source, koers_test_await (&result),
                                                            &error));
  g_assert_no_error (error);
  g_assert_null (koers_test_key_store_peek (store, "https://api.example.nl apparaat"));
  g_assert_cmpstr (koers_test_key_store_peek (store, "https://api.example.nl ander-apparaat"),
                   ==, "van-een-ander");
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));
}

/* The key store is locked or gone at start-up: no refresh token, no session; and no refresh
 * token stored at all means signing in again. The server is never asked. */
static void
test_refresh_without_key_store (void)
{
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  const char *url = "http://127.0.0.1:9";

  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), "http://127.0.0.1:9 x",
                                          "toegang");
  g_assert_false (refresh_sync (source, session, url, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));
  g_clear_error (&error);
  g_clear_object (&source);

  koers_test_key_store_put (store, "http://127.0.0.1:9 x", "verversing");
  koers_test_key_store_fail (store, KOERS_TEST_KEY_STORE_LOOKUP,
                             KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  source = koers_stored_token_source_new (KOERS_KEY_STORE (store), "http://127.0.0.1:9 x",
                                          "toegang");
  g_assert_false (refresh_sync (source, session, url, &error));
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_assert_null (koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source)));
}

static void
test_from_grant_save_fails (void)
{
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  KoersTokenGrant grant = {
    (char *) "toegang", (char *) "verversing-geheim",
    (char *) "0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11", 900
  };

  koers_test_key_store_fail (store, KOERS_TEST_KEY_STORE_SAVE,
                             KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  koers_stored_token_source_new_from_grant_async (KOERS_KEY_STORE (store),
                                                  "https://api.example.nl", &grant, NULL,
                                                  koers_test_keep_result, &result);
  source = koers_stored_token_source_new_from_grant_finish (koers_test_await (&result), &error);
  g_assert_null (source);
  g_assert_error (error, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  g_assert_null (strstr (error->message, "verversing-geheim"));
  g_assert_cmpuint (koers_test_key_store_count (store), ==, 0);
}

void
koers_test_sign_in_add_token_tests (void)
{
  koers_test_server_db_add ("/sign-in/tokens/refresh-rotates", test_refresh_rotates);
  koers_test_server_db_add ("/sign-in/tokens/refresh-again", test_refresh_again);
  koers_test_server_db_add ("/sign-in/tokens/refresh-save-fails", test_refresh_save_fails);
  g_test_add_func ("/sign-in/tokens/sign-out-during-refresh", test_sign_out_during_refresh);
  g_test_add_func ("/sign-in/tokens/sign-out", test_sign_out);
  g_test_add_func ("/sign-in/tokens/refresh-without-key-store",
                   test_refresh_without_key_store);
  g_test_add_func ("/sign-in/tokens/from-grant-save-fails", test_from_grant_save_fails);
}
