/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sign-in (OAuth 2 authorization code + PKCE) against the real in-process koers-server: the
 * test plays the browser (GET the authorize URI, POST the login form the page holds, take
 * the 303 to the app's scheme) and KoersSignIn does the rest. Then KoersStoredTokenSource:
 * rotation, the key store written before a new access token is used, fail closed, sign-out.
 * The key store here is the in-memory test one (koers-test-key-store.c); the system keyring
 * has its own test (test-key-store.c).
 */
#include "config.h"

#include "sync/koers-sign-in.h"

#include "sync/koers-sync-json.h"

#include "koers-test-key-store.h"
#include "koers-test-postgres.h"
#include "koers-test-server.h"

#include <string.h>

#define FIXTURE_PASSWORD "correct paard batterij nietje"
#define DEVICE_NAME "Laptop van Anna & Co #1?"

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
} Page;

static void
page_free (Page *page)
{
  g_clear_pointer (&page->headers, soup_message_headers_unref);
  g_free (page->body);
  g_free (page);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Page, page_free)

static char *
server_url (KoersTestServer *server)
{
  return g_strdup_printf ("http://127.0.0.1:%u", server->port);
}

/* One request as a browser would send it, except that redirects are not followed (the
 * last one goes to the app's own scheme). */
static Page *
browse (SoupSession *session,
        const char  *method,
        const char  *url,
        const char  *form)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  Page *page;

  g_assert_nonnull (msg);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  if (form != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded",
                                                bytes);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    koers_test_keep_result, &result);
  body = soup_session_send_and_read_finish (session, koers_test_await (&result), &error);
  g_assert_no_error (error);
  page = g_new0 (Page, 1);
  page->status = soup_message_get_status (msg);
  page->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  page->body = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  return page;
}

static char *
html_unescape (const char *text)
{
  static const char * const entities[][2] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
    { "&apos;", "'" }, { "&amp;", "&" },
  };
  g_autoptr(GString) out = g_string_new (text);

  /* &amp; last, so "&amp;lt;" stays "&lt;". */
  for (guint i = 0; i < G_N_ELEMENTS (entities); i++)
    g_string_replace (out, entities[i][0], entities[i][1], 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The hidden fields of the login page: what the server understood of the authorize URI. */
static GHashTable *
hidden_fields (const char *html)
{
  g_autoptr(GRegex) regex = g_regex_new ("<input type=\"hidden\" name=\"([a-z_]+)\" "
                                         "value=\"([^\"]*)\">", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GHashTable *fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_regex_match (regex, html, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *value = g_match_info_fetch (match, 2);

      g_hash_table_insert (fields, g_match_info_fetch (match, 1), html_unescape (value));
      g_match_info_next (match, NULL);
    }
  return fields;
}

/* Opens @authorize_uri, logs in as @username on the page it shows and returns (transfer full)
 * the redirect to the app; @out_fields (nullable) gets the page's hidden fields. */
static char *
log_in_with_browser (KoersTestServer  *server,
                     const char       *authorize_uri,
                     const char       *username,
                     GHashTable      **out_fields)
{
  g_autoptr(Page) login_page = browse (server->session, "GET", authorize_uri, NULL);
  g_autoptr(Page) answer = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *base = server_url (server);
  g_autofree char *action = g_strconcat (base, "/oauth/autoriseren", NULL);
  g_autofree char *form = NULL;

  g_assert_cmpuint (login_page->status, ==, SOUP_STATUS_OK);
  fields = hidden_fields (login_page->body);
  g_assert_cmpuint (g_hash_table_size (fields), >=, 5);
  g_hash_table_insert (fields, g_strdup ("gebruikersnaam"), g_strdup (username));
  g_hash_table_insert (fields, g_strdup ("wachtwoord"), g_strdup (FIXTURE_PASSWORD));
  form = soup_form_encode_hash (fields);
  answer = browse (server->session, "POST", action, form);
  g_assert_cmpuint (answer->status, ==, SOUP_STATUS_SEE_OTHER);
  if (out_fields != NULL)
    *out_fields = g_steal_pointer (&fields);
  return g_strdup (soup_message_headers_get_one (answer->headers, "Location"));
}

static KoersTokenGrant *
complete_sync (KoersSignIn  *sign_in,
               SoupSession  *session,
               const char   *redirect,
               GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  koers_sign_in_complete_async (sign_in, session, redirect, NULL, koers_test_keep_result,
                                &result);
  return koers_sign_in_complete_finish (sign_in, koers_test_await (&result), error);
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

/* The query parameters of @uri, decoded; asserts that none repeats. */
static GHashTable *
query_of (const char *uri)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED, NULL);
  GHashTable *parameters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GUriParamsIter iter;
  char *name, *value;

  g_assert_nonnull (parsed);
  g_uri_params_iter_init (&iter, g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE);
  while (g_uri_params_iter_next (&iter, &name, &value, NULL))
    {
      g_assert_false (g_hash_table_contains (parameters, name));
      g_hash_table_insert (parameters, name, value);
    }
  return parameters;
}

static char *
redirect_with (const char *query)
{
  return g_strconcat (KOERS_SIGN_IN_REDIRECT_URI, "?", query, NULL);
}

static void
test_authorize_uri (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSignIn) sign_in = koers_sign_in_new ("https://api.example.nl/", DEVICE_NAME,
                                                      &error);
  g_autoptr(KoersSignIn) other = koers_sign_in_new ("https://api.example.nl", NULL, &error);
  g_autoptr(KoersSignIn) odd_name = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) other_query = NULL;
  g_autoptr(GHashTable) odd_query = NULL;
  const char *uri;
  const char *raw_query;
  const char *challenge;

  g_assert_no_error (error);
  g_assert_cmpstr (koers_sign_in_get_server_url (sign_in), ==, "https://api.example.nl");
  uri = koers_sign_in_get_authorize_uri (sign_in);
  g_assert_true (g_str_has_prefix (uri, "https://api.example.nl/oauth/autoriseren?"));

  /* Escaped: nothing in a value can end the URI or start another parameter. */
  raw_query = strchr (uri, '?') + 1;
  g_assert_null (strpbrk (raw_query, " #?:/"));
  g_assert_nonnull (strstr (raw_query, "redirect_uri=nl.achterhoek.koers%3A%2Foauth%2Fterug"));
  g_assert_nonnull (strstr (raw_query, "apparaat=Laptop%20van%20Anna%20%26%20Co%20%231%3F"));

  query = query_of (uri);
  g_assert_cmpuint (g_hash_table_size (query), ==, 7);
  g_assert_cmpstr (g_hash_table_lookup (query, "response_type"), ==, "code");
  g_assert_cmpstr (g_hash_table_lookup (query, "client_id"), ==, "koers-desktop");
  g_assert_cmpstr (g_hash_table_lookup (query, "redirect_uri"), ==,
                   "nl.achterhoek.koers:/oauth/terug");
  g_assert_cmpstr (g_hash_table_lookup (query, "code_challenge_method"), ==, "S256");
  g_assert_cmpstr (g_hash_table_lookup (query, "apparaat"), ==, DEVICE_NAME);
  /* S256 of a 32-byte verifier: 43 characters of base64url, no padding. */
  challenge = g_hash_table_lookup (query, "code_challenge");
  g_assert_cmpuint (strlen (challenge), ==, 43);
  g_assert_cmpuint (strspn (challenge, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                       "0123456789-_"), ==, 43);
  g_assert_cmpuint (strlen (g_hash_table_lookup (query, "state")), >=, 22);

  /* Every attempt has its own verifier and state; no device name, no parameter. */
  other_query = query_of (koers_sign_in_get_authorize_uri (other));
  g_assert_cmpuint (g_hash_table_size (other_query), ==, 6);
  g_assert_false (g_hash_table_contains (other_query, "apparaat"));
  g_assert_cmpstr (g_hash_table_lookup (other_query, "state"), !=,
                   g_hash_table_lookup (query, "state"));
  g_assert_cmpstr (g_hash_table_lookup (other_query, "code_challenge"), !=, challenge);

  /* A host name the server would refuse (several lines, over 200 characters) is made one
   * line and cut, so the sign-in does not fail over it. */
  odd_name = koers_sign_in_new ("https://api.example.nl", "een\ntwee", &error);
  g_assert_no_error (error);
  odd_query = query_of (koers_sign_in_get_authorize_uri (odd_name));
  g_assert_cmpstr (g_hash_table_lookup (odd_query, "apparaat"), ==, "een twee");
  g_clear_object (&odd_name);
  g_clear_pointer (&odd_query, g_hash_table_unref);
  /* Nor direction marks (an Arabic translation of "Koers on %s" may carry one) or other
   * invisible format characters. */
  odd_name = koers_sign_in_new ("https://api.example.nl",
                                "\u200fKoers على \u2066laptop\u2069\u200b", &error);
  g_assert_no_error (error);
  odd_query = query_of (koers_sign_in_get_authorize_uri (odd_name));
  g_assert_cmpstr (g_hash_table_lookup (odd_query, "apparaat"), ==, "Koers على laptop");
  g_clear_object (&odd_name);
  g_clear_pointer (&odd_query, g_hash_table_unref);
  {
    g_autofree char *long_name = g_strnfill (300, 'x');

    odd_name = koers_sign_in_new ("https://api.example.nl", long_name, &error);
    odd_query = query_of (koers_sign_in_get_authorize_uri (odd_name));
    g_assert_cmpuint (strlen (g_hash_table_lookup (odd_query, "apparaat")), ==, 200);
  }
}

static void
test_server_urls (void)
{
  static const char * const valid[][2] = {
    { "https://api.example.nl", "https://api.example.nl" },
    { "  https://API.Example.NL:443/koers/  ", "https://api.example.nl/koers" },
    { "https://api.example.nl:8443//", "https://api.example.nl:8443" },
    { "http://127.0.0.1:8080/", "http://127.0.0.1:8080" },
    { "http://[::1]:9000", "http://[::1]:9000" },
    { "http://localhost", "http://localhost" },
  };
  static const char * const invalid[] = {
    "http://example.nl", "http://127.0.0.1.example.nl", "http://localhost.example.nl",
    "ftp://example.nl", "https://anna:geheim@example.nl", "https://anna@example.nl",
    "https://example.nl/?server=1", "https://example.nl/#top", "example.nl", "", "https://",
    "https://exa mple.nl", "file:///etc/passwd", "javascript:alert(1)",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = koers_sign_in_normalize_server_url (valid[i][0], &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, valid[i][1]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersSignIn) sign_in = koers_sign_in_new (invalid[i], NULL, &error);

      g_test_message ("%s", invalid[i]);
      g_assert_null (sign_in);
      g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_INVALID_SERVER);
      g_assert_true (g_str_has_prefix (error->message, "Server address: "));
      /* A password typed into the address never shows up in the message. */
      g_assert_null (strstr (error->message, "geheim"));
    }
}

static void
test_full_flow (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  g_autofree char *base = server_url (server);
  g_autofree char *slash = g_strconcat (base, "/", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSignIn) sign_in = koers_sign_in_new (slash, DEVICE_NAME, &error);
  g_autoptr(GHashTable) sent = NULL;
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *redirect = NULL;
  g_autoptr(KoersTokenGrant) grant = NULL;
  g_autoptr(KoersTokenGrant) again = NULL;
  g_autoptr(KoersTestKeyStore) store = koers_test_key_store_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(KoersStoredTokenSource) source = NULL;
  g_autofree char *account = NULL;
  g_autofree char *access = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (koers_sign_in_get_server_url (sign_in), ==, base);

  /* The login page got every parameter as sent, the device name with its "&" and "#". */
  redirect = log_in_with_browser (server, koers_sign_in_get_authorize_uri (sign_in), "coach.a",
                                  &fields);
  sent = query_of (koers_sign_in_get_authorize_uri (sign_in));
  g_assert_cmpstr (g_hash_table_lookup (fields, "state"), ==,
                   g_hash_table_lookup (sent, "state"));
  g_assert_cmpstr (g_hash_table_lookup (fields, "code_challenge"), ==,
                   g_hash_table_lookup (sent, "code_challenge"));
  g_assert_cmpstr (g_hash_table_lookup (fields, "apparaat"), ==, DEVICE_NAME);

  g_assert_true (g_str_has_prefix (redirect, KOERS_SIGN_IN_REDIRECT_URI "?"));
  g_assert_true (koers_sign_in_owns_redirect (sign_in, redirect));
  grant = complete_sync (sign_in, server->session, redirect, &error);
  g_assert_no_error (error);
  g_assert_nonnull (grant);
  g_assert_true (g_uuid_string_is_valid (grant->device_id));
  g_assert_cmpint (grant->expires_in, ==, 900);
  g_assert_cmpstr (grant->access_token, !=, grant->refresh_token);
  g_assert_cmpuint (profile_status (server, grant->access_token), ==, SOUP_STATUS_OK);

  /* The browser delivers the same redirect again: refused here, so the code is not presented
   * twice (the server would revoke the tokens it gave for it). */
  again = complete_sync (sign_in, server->session, redirect, &error);
  g_assert_null (again);
  g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_STATE_MISMATCH);
  g_clear_error (&error);
  g_assert_cmpuint (profile_status (server, grant->access_token), ==, SOUP_STATUS_OK);

  /* The refresh token goes to the key store under "<server> <device>", labelled for the
   * user; the token source holds the access token. */
  koers_stored_token_source_new_from_grant_async (KOERS_KEY_STORE (store), base, grant, NULL,
                                                  koers_test_keep_result, &result);
  source = koers_stored_token_source_new_from_grant_finish (koers_test_await (&result), &error);
  g_assert_no_error (error);
  account = koers_sign_in_account_for (base, grant->device_id);
  g_assert_cmpstr (koers_stored_token_source_get_account (source), ==, account);
  g_assert_cmpstr (koers_test_key_store_peek (store, account), ==, grant->refresh_token);
  g_assert_nonnull (strstr (koers_test_key_store_peek_label (store, account), base));
  access = koers_token_source_dup_access_token (KOERS_TOKEN_SOURCE (source));
  g_assert_cmpstr (access, ==, grant->access_token);
}

/* A redirect with another state (an old tab, or an attacker's own code planted on the user)
 * is not taken, and nothing is sent: the code it carries is still good afterwards. */
static void
test_foreign_state (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  g_autofree char *base = server_url (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSignIn) sign_in = koers_sign_in_new (base, NULL, &error);
  g_autofree char *redirect = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(KoersTokenGrant) grant = NULL;
  g_autofree char *escaped_code = NULL;
  g_autofree char *escaped_state = NULL;
  const char *code;
  const char *state;

  redirect = log_in_with_browser (server, koers_sign_in_get_authorize_uri (sign_in),
                                  "collega.a", NULL);
  query = query_of (redirect);
  code = g_hash_table_lookup (query, "code");
  state = g_hash_table_lookup (query, "state");
  escaped_code = g_uri_escape_string (code, NULL, FALSE);
  escaped_state = g_uri_escape_string (state, NULL, FALSE);

  {
    g_autofree char *query_text = g_strdup_printf ("code=%s&state=anders", escaped_code);
    g_autofree char *wrong_state = redirect_with (query_text);
    g_autofree char *cut = g_strndup (state, strlen (state) - 1);
    g_autofree char *short_query = g_strdup_printf ("code=%s&state=%s", escaped_code, cut);
    g_autofree char *short_state = redirect_with (short_query);
    g_autofree char *no_query = g_strdup_printf ("code=%s", escaped_code);
    g_autofree char *no_state = redirect_with (no_query);
    g_autofree char *twice_query = g_strdup_printf ("code=%s&state=%s&state=%s", escaped_code,
                                                    escaped_state, escaped_state);
    g_autofree char *twice = redirect_with (twice_query);
    g_autofree char *elsewhere = g_strdup_printf ("https://evil.example/oauth/terug?code=%s"
                                                  "&state=%s", escaped_code, escaped_state);
    g_autofree char *other_path = g_strdup_printf ("nl.achterhoek.koers:/anders?code=%s"
                                                   "&state=%s", escaped_code, escaped_state);
    const char *refused[] = { wrong_state, short_state, no_state, twice, elsewhere, other_path };

    for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
      {
        g_autoptr(KoersTokenGrant) none = NULL;

        g_assert_false (koers_sign_in_owns_redirect (sign_in, refused[i]));
        none = complete_sync (sign_in, server->session, refused[i], &error);
        g_assert_null (none);
        g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_STATE_MISMATCH);
        g_clear_error (&error);
      }
    /* Which of them are sign-in answers at all (another attempt's, say), which are not
     * (the application logs the two apart). */
    {
      g_autofree char *double_slash = g_strdup_printf ("nl.achterhoek.koers://oauth/terug?"
                                                       "code=%s&state=%s", escaped_code,
                                                       escaped_state);

      g_assert_true (koers_sign_in_is_redirect (redirect));
      g_assert_true (koers_sign_in_is_redirect (wrong_state));
      g_assert_true (koers_sign_in_is_redirect (no_state));
      g_assert_false (koers_sign_in_is_redirect (twice));
      g_assert_false (koers_sign_in_is_redirect (elsewhere));
      g_assert_false (koers_sign_in_is_redirect (other_path));
      g_assert_false (koers_sign_in_is_redirect (double_slash));
      g_assert_false (koers_sign_in_is_redirect (NULL));
    }
  }

  /* The real redirect still works: the code was never sent. */
  g_assert_true (koers_sign_in_owns_redirect (sign_in, redirect));
  grant = complete_sync (sign_in, server->session, redirect, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (profile_status (server, grant->access_token), ==, SOUP_STATUS_OK);
}

static void
test_denied (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSignIn) sign_in = koers_sign_in_new ("https://api.example.nl", NULL, &error);
  g_autoptr(GHashTable) query = query_of (koers_sign_in_get_authorize_uri (sign_in));
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(KoersTokenGrant) grant = NULL;
  g_autofree char *text = g_strdup_printf ("error=access_denied&error_description="
                                           "De%%20gebruiker%%20weigerde%%0Atoegang&state=%s",
                                           (char *) g_hash_table_lookup (query, "state"));
  g_autofree char *redirect = redirect_with (text);

  g_assert_true (koers_sign_in_owns_redirect (sign_in, redirect));
  grant = complete_sync (sign_in, session, redirect, &error);
  g_assert_null (grant);
  g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_DENIED);
  /* The server's reason, made one line. */
  g_assert_nonnull (strstr (error->message, "De gebruiker weigerde toegang"));
}

/* A code that has been traded once is worth nothing, even to another attempt: the server
 * refuses it (and revokes what it gave for it, as theft detection). */
static void
test_code_used_twice (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestServer) server = koers_test_server_new (backend);
  g_autofree char *base = server_url (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSignIn) first = koers_sign_in_new (base, NULL, &error);
  g_autoptr(KoersSignIn) second = koers_sign_in_new (base, NULL, &error);
  g_autofree char *redirect = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GHashTable) second_query = NULL;
  g_autoptr(KoersTokenGrant) grant = NULL;
  g_autoptr(KoersTokenGrant) stolen = NULL;
  g_autofree char *replay_query = NULL;
  g_autofree char *replay = NULL;
  g_autofree char *escaped_code = NULL;

  redirect = log_in_with_browser (server, koers_sign_in_get_authorize_uri (first), "coach.a",
                                  NULL);
  grant = complete_sync (first, server->session, redirect, &error);
  g_assert_no_error (error);

  query = query_of (redirect);
  second_query = query_of (koers_sign_in_get_authorize_uri (second));
  escaped_code = g_uri_escape_string (g_hash_table_lookup (query, "code"), NULL, FALSE);
  replay_query = g_strdup_printf ("code=%s&state=%s", escaped_code,
                                  (char *) g_hash_table_lookup (second_query, "state"));
  replay = redirect_with (replay_query);
  stolen = complete_sync (second, server->session, replay, &error);
  g_assert_null (stolen);
  g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_EXCHANGE);
  g_assert_nonnull (strstr (error->message, "invalid_grant"));
  g_assert_cmpuint (profile_status (server, grant->access_token), ==,
                    SOUP_STATUS_UNAUTHORIZED);
}

/* In test-sign-in-tokens.c and test-sign-in-answers.c. */
void koers_test_sign_in_add_token_tests (void);
void koers_test_sign_in_add_answer_tests (void);

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sign-in/authorize-uri", test_authorize_uri);
  g_test_add_func ("/sign-in/server-urls", test_server_urls);
  g_test_add_func ("/sign-in/denied", test_denied);
  koers_test_server_db_add ("/sign-in/full-flow", test_full_flow);
  koers_test_server_db_add ("/sign-in/foreign-state", test_foreign_state);
  koers_test_server_db_add ("/sign-in/code-used-twice", test_code_used_twice);
  koers_test_sign_in_add_token_tests ();
  koers_test_sign_in_add_answer_tests ();
  return g_test_run ();
}
