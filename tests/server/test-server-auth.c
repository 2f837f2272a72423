/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The OAuth endpoints of koers-server over real HTTP on loopback: authorization code + PKCE,
 * token errors, refresh rotation and theft detection, the login page, failed-login back-off.
 * Every case runs on SQLite and on PostgreSQL. */
#include "config.h"

#include "server/koers-server-auth.h"

#include "koers-test-oauth.h"
#include "koers-test-postgres.h"

#include <string.h>

#define TOKEN_FORM "application/x-www-form-urlencoded"

typedef struct {
  char *access;
  char *refresh;
  char *device_id;
} Tokens;

static void
tokens_clear (Tokens *tokens)
{
  g_free (tokens->access);
  g_free (tokens->refresh);
  g_free (tokens->device_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Tokens, tokens_clear)

static void
take_tokens (KoersTestResponse *response,
             Tokens            *out)
{
  g_autoptr(JsonObject) json = NULL;

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  koers_test_assert_common_headers (response);
  json = koers_test_response_json (response);
  g_assert_cmpstr (json_object_get_string_member (json, "token_type"), ==, "Bearer");
  g_assert_cmpint (json_object_get_int_member (json, "expires_in"), ==, 900);
  out->access = g_strdup (json_object_get_string_member (json, "access_token"));
  out->refresh = g_strdup (json_object_get_string_member (json, "refresh_token"));
  out->device_id = g_strdup (json_object_get_string_member (json, "apparaat_id"));
  g_assert_cmpuint (strlen (out->access), ==, 43);
  g_assert_cmpuint (strlen (out->refresh), ==, 43);
  g_assert_true (g_uuid_string_is_valid (out->device_id));
}

static KoersTestResponse *
exchange (KoersTestOAuth *t,
          const char     *code,
          const char     *verifier)
{
  return koers_test_oauth_token (t, "grant_type", "authorization_code", "code", code,
                                 "code_verifier", verifier,
                                 "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                                 "client_id", "koers-desktop", NULL);
}

static KoersTestResponse *
refresh (KoersTestOAuth *t,
         const char     *refresh_token)
{
  return koers_test_oauth_token (t, "grant_type", "refresh_token",
                                 "refresh_token", refresh_token,
                                 "client_id", "koers-desktop", NULL);
}

static void
assert_oauth_error (KoersTestResponse *response,
                    guint              status,
                    const char        *error)
{
  g_autoptr(JsonObject) json = NULL;

  g_assert_cmpuint (response->status, ==, status);
  koers_test_assert_common_headers (response);
  g_assert_cmpstr (soup_message_headers_get_content_type (response->headers, NULL), ==,
                   "application/json");
  json = koers_test_response_json (response);
  g_assert_cmpstr (json_object_get_string_member (json, "error"), ==, error);
  g_assert_true (json_object_has_member (json, "error_description"));
}

/* Logs the coach in through the browser flow and exchanges the code. */
static void
log_in (KoersTestOAuth *t,
        Tokens         *out)
{
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *code = koers_test_oauth_get_code (t, "coach.een", challenge);
  g_autoptr(KoersTestResponse) response = exchange (t, code, verifier);

  take_tokens (response, out);
}

static gboolean
bearer_works (KoersTestOAuth *t,
              const char     *access)
{
  g_autofree char *header = g_strconcat ("Bearer ", access, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersServerCaller) caller = koers_server_auth_check_bearer (t->auth, header, &error);

  if (caller == NULL)
    g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
  return caller != NULL;
}

static void
test_full_flow (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *path = koers_test_authorize_path (challenge, "x y&z=1");
  g_autoptr(KoersTestResponse) page = NULL;
  g_autoptr(KoersTestResponse) login = NULL;
  g_autoptr(KoersTestResponse) token = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(KoersServerCaller) caller = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *header = NULL;
  g_auto(Tokens) tokens = { NULL, NULL, NULL };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  page = koers_test_oauth_request (&t, "GET", path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
  koers_test_assert_common_headers (page);
  g_assert_cmpstr (soup_message_headers_get_content_type (page->headers, NULL), ==, "text/html");
  g_assert_nonnull (strstr (soup_message_headers_get_one (page->headers,
                                                          "Content-Security-Policy"),
                            "form-action 'self'"));
  g_assert_nonnull (strstr (page->body, "<html lang=\"nl\">"));
  g_assert_nonnull (strstr (page->body, "<label for=\"gebruikersnaam\">"));
  g_assert_nonnull (strstr (page->body, "<label for=\"wachtwoord\">"));
  g_assert_nonnull (strstr (page->body, "name=\"state\" value=\"x y&amp;z=1\""));
  g_assert_nonnull (strstr (page->body, challenge));
  g_assert_null (strstr (page->body, "<script"));

  login = koers_test_oauth_login (&t, "coach.een", KOERS_TEST_PASSWORD, challenge, "x y&z=1");
  g_assert_cmpuint (login->status, ==, SOUP_STATUS_SEE_OTHER);
  koers_test_assert_common_headers (login);
  query = koers_test_location_query (login);
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "x y&z=1");
  g_assert_cmpuint (strlen (g_hash_table_lookup (query, "code")), ==, 43);

  token = exchange (&t, g_hash_table_lookup (query, "code"), verifier);
  take_tokens (token, &tokens);
  g_assert_cmpstr (soup_message_headers_get_one (token->headers, "Cache-Control"), ==,
                   "no-store");

  header = g_strconcat ("Bearer ", tokens.access, NULL);
  caller = koers_server_auth_check_bearer (t.auth, header, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (caller->user_id, ==, t.coach_id);
  g_assert_cmpstr (caller->organisation_id, ==, t.organisation_id);
  g_assert_cmpstr (caller->display_name, ==, "Gebruiker coach.een");
  g_assert_cmpint (caller->role, ==, KOERS_SERVER_ROLE_COACH);
  g_assert_cmpstr (caller->device_id, ==, tokens.device_id);

  {
    g_autoptr(JsonNode) devices = koers_server_auth_list_devices (t.auth, caller, &error);
    JsonArray *items;
    JsonObject *device;

    g_assert_no_error (error);
    items = json_object_get_array_member (json_node_get_object (devices), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    device = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (device, "id"), ==, tokens.device_id);
    g_assert_cmpstr (json_object_get_string_member (device, "naam"), ==, "Laptop Anna");
    g_assert_cmpstr (json_object_get_string_member (device, "gebruikerId"), ==, t.coach_id);
    g_assert_cmpstr (json_object_get_string_member (device, "geregistreerdOp"), ==,
                     "2026-11-28T09:00:00Z");
    g_assert_true (json_object_get_null_member (device, "ingetrokkenOp"));
  }
  koers_test_oauth_teardown (&t);
}

static void
test_wrong_verifier (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *other = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *code = NULL;
  g_autoptr(KoersTestResponse) wrong = NULL;
  g_autoptr(KoersTestResponse) right = NULL;
  g_autoptr(KoersTestResponse) short_verifier = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  code = koers_test_oauth_get_code (&t, "coach.een", challenge);

  short_verifier = exchange (&t, code, "too-short");
  assert_oauth_error (short_verifier, SOUP_STATUS_BAD_REQUEST, "invalid_request");
  wrong = exchange (&t, code, other);
  assert_oauth_error (wrong, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  /* A wrong guess spends the code: whoever stole it gets no second try. */
  right = exchange (&t, code, verifier);
  assert_oauth_error (right, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  koers_test_oauth_teardown (&t);
}

static void
test_reused_code (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *code = NULL;
  g_autoptr(KoersTestResponse) first = NULL;
  g_autoptr(KoersTestResponse) second = NULL;
  g_autoptr(KoersTestResponse) refreshed = NULL;
  g_auto(Tokens) tokens = { NULL, NULL, NULL };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  code = koers_test_oauth_get_code (&t, "coach.een", challenge);
  first = exchange (&t, code, verifier);
  take_tokens (first, &tokens);
  g_assert_true (bearer_works (&t, tokens.access));

  second = exchange (&t, code, verifier);
  assert_oauth_error (second, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  /* The code leaked, so the tokens issued from it are no longer trusted either. */
  g_assert_false (bearer_works (&t, tokens.access));
  refreshed = refresh (&t, tokens.refresh);
  assert_oauth_error (refreshed, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  koers_test_oauth_teardown (&t);
}

static void
test_expired_code (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *late_code = NULL;
  g_autofree char *timely_code = NULL;
  g_autoptr(KoersTestResponse) late = NULL;
  g_autoptr(KoersTestResponse) timely = NULL;
  g_auto(Tokens) tokens = { NULL, NULL, NULL };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  late_code = koers_test_oauth_get_code (&t, "coach.een", challenge);
  koers_test_oauth_advance (&t, 61);
  late = exchange (&t, late_code, verifier);
  assert_oauth_error (late, SOUP_STATUS_BAD_REQUEST, "invalid_grant");

  timely_code = koers_test_oauth_get_code (&t, "coach.een", challenge);
  koers_test_oauth_advance (&t, 59);
  timely = exchange (&t, timely_code, verifier);
  take_tokens (timely, &tokens);
  koers_test_oauth_teardown (&t);
}

static void
test_client_and_redirect_checked (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *code = NULL;
  static const char *const bad_queries[] = {
    "client_id=koers-desktop&redirect_uri=https%3A%2F%2Fevil.example%2F",
    "client_id=koers-desktop&redirect_uri=nl.achterhoek.koers%3A%2Foauth%2Fterug%2Fx",
    "client_id=andere-app&redirect_uri=nl.achterhoek.koers%3A%2Foauth%2Fterug",
    "redirect_uri=nl.achterhoek.koers%3A%2Foauth%2Fterug",
  };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  for (guint i = 0; i < G_N_ELEMENTS (bad_queries); i++)
    {
      g_autofree char *path =
        g_strdup_printf ("/oauth/autoriseren?response_type=code&%s&code_challenge=%s"
                         "&code_challenge_method=S256&state=s", bad_queries[i], challenge);
      g_autoptr(KoersTestResponse) page = koers_test_oauth_request (&t, "GET", path, NULL, NULL);

      /* Never a redirect to a URI that was not validated. */
      g_assert_cmpuint (page->status, ==, SOUP_STATUS_BAD_REQUEST);
      g_assert_null (soup_message_headers_get_one (page->headers, "Location"));
      g_assert_null (strstr (page->body, "evil.example"));
      koers_test_assert_common_headers (page);
    }

  code = koers_test_oauth_get_code (&t, "coach.een", challenge);
  {
    g_autoptr(KoersTestResponse) wrong_redirect =
      koers_test_oauth_token (&t, "grant_type", "authorization_code", "code", code,
                              "code_verifier", verifier, "redirect_uri", "https://evil.example/",
                              "client_id", "koers-desktop", NULL);
    g_autoptr(KoersTestResponse) wrong_client =
      koers_test_oauth_token (&t, "grant_type", "authorization_code", "code", code,
                              "code_verifier", verifier,
                              "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                              "client_id", "andere-app", NULL);
    g_autoptr(KoersTestResponse) right = exchange (&t, code, verifier);
    g_auto(Tokens) tokens = { NULL, NULL, NULL };

    assert_oauth_error (wrong_redirect, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
    assert_oauth_error (wrong_client, SOUP_STATUS_UNAUTHORIZED, "invalid_client");
    /* Refused before the code was looked at, so the real client still gets its tokens. */
    take_tokens (right, &tokens);
  }
  koers_test_oauth_teardown (&t);
}

static void
test_request_errors_redirect (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  const char *base = "/oauth/autoriseren?client_id=koers-desktop"
                     "&redirect_uri=nl.achterhoek.koers%3A%2Foauth%2Fterug&state=st";
  struct {
    const char *extra;
    const char *challenge;   /* NULL: the valid one */
    const char *error;
  } cases[] = {
    { "&response_type=code&code_challenge_method=plain", NULL, "invalid_request" },
    { "&response_type=code", NULL, "invalid_request" },
    { "&response_type=code&code_challenge_method=S256", "kort", "invalid_request" },
    { "&response_type=token&code_challenge_method=S256", NULL, "unsupported_response_type" },
  };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat (base, cases[i].extra, "&code_challenge=",
                                           cases[i].challenge != NULL ? cases[i].challenge
                                                                      : challenge, NULL);
      g_autoptr(KoersTestResponse) response = koers_test_oauth_request (&t, "GET", path, NULL,
                                                                        NULL);
      g_autoptr(GHashTable) query = NULL;

      g_assert_cmpuint (response->status, ==, SOUP_STATUS_SEE_OTHER);
      query = koers_test_location_query (response);
      g_assert_cmpstr (g_hash_table_lookup (query, "error"), ==, cases[i].error);
      g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "st");
      g_assert_null (g_hash_table_lookup (query, "code"));
    }
  koers_test_oauth_teardown (&t);
}

static void
test_refresh_rotation_and_reuse (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_auto(Tokens) first = { NULL, NULL, NULL };
  g_auto(Tokens) second = { NULL, NULL, NULL };
  g_auto(Tokens) other_device = { NULL, NULL, NULL };
  g_autoptr(KoersTestResponse) rotated = NULL;
  g_autoptr(KoersTestResponse) reused = NULL;
  g_autoptr(KoersTestResponse) after_theft = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  log_in (&t, &first);
  log_in (&t, &other_device);

  rotated = refresh (&t, first.refresh);
  take_tokens (rotated, &second);
  g_assert_cmpstr (second.device_id, ==, first.device_id);
  g_assert_cmpstr (second.refresh, !=, first.refresh);
  g_assert_true (bearer_works (&t, second.access));

  /* The old refresh token came back: theft. The whole family dies, the newest tokens too. */
  reused = refresh (&t, first.refresh);
  assert_oauth_error (reused, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  g_assert_false (bearer_works (&t, second.access));
  g_assert_false (bearer_works (&t, first.access));
  after_theft = refresh (&t, second.refresh);
  assert_oauth_error (after_theft, SOUP_STATUS_BAD_REQUEST, "invalid_grant");

  /* Another login of the same user is another family and keeps working. */
  g_assert_true (bearer_works (&t, other_device.access));
  koers_test_oauth_teardown (&t);
}

static void
test_token_lifetimes (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_auto(Tokens) tokens = { NULL, NULL, NULL };
  g_auto(Tokens) renewed = { NULL, NULL, NULL };
  g_autoptr(KoersTestResponse) response = NULL;
  g_autoptr(KoersTestResponse) too_late = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  log_in (&t, &tokens);

  koers_test_oauth_advance (&t, 15 * 60 - 1);
  g_assert_true (bearer_works (&t, tokens.access));
  koers_test_oauth_advance (&t, 2);
  g_assert_false (bearer_works (&t, tokens.access));

  /* The refresh token outlives the access token... */
  response = refresh (&t, tokens.refresh);
  take_tokens (response, &renewed);
  g_assert_true (bearer_works (&t, renewed.access));
  /* ...by 30 days, counted from its own issue. */
  koers_test_oauth_advance (&t, 30 * 24 * 60 * 60 + 1);
  too_late = refresh (&t, renewed.refresh);
  assert_oauth_error (too_late, SOUP_STATUS_BAD_REQUEST, "invalid_grant");
  koers_test_oauth_teardown (&t);
}

static void
test_token_endpoint_errors (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *big = NULL;
  g_autoptr(KoersTestResponse) no_grant = NULL;
  g_autoptr(KoersTestResponse) bad_grant = NULL;
  g_autoptr(KoersTestResponse) no_refresh = NULL;
  g_autoptr(KoersTestResponse) unknown_refresh = NULL;
  g_autoptr(KoersTestResponse) get = NULL;
  g_autoptr(KoersTestResponse) json_body = NULL;
  g_autoptr(KoersTestResponse) too_big = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  no_grant = koers_test_oauth_token (&t, "client_id", "koers-desktop", NULL);
  assert_oauth_error (no_grant, SOUP_STATUS_BAD_REQUEST, "invalid_request");
  bad_grant = koers_test_oauth_token (&t, "grant_type", "password", "username", "coach.een",
                                      "password", KOERS_TEST_PASSWORD, NULL);
  assert_oauth_error (bad_grant, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type");
  no_refresh = koers_test_oauth_token (&t, "grant_type", "refresh_token", NULL);
  assert_oauth_error (no_refresh, SOUP_STATUS_BAD_REQUEST, "invalid_request");
  unknown_refresh = refresh (&t, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
  assert_oauth_error (unknown_refresh, SOUP_STATUS_BAD_REQUEST, "invalid_grant");

  get = koers_test_oauth_request (&t, "GET", "/oauth/token", NULL, NULL);
  assert_oauth_error (get, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request");
  g_assert_cmpstr (soup_message_headers_get_one (get->headers, "Allow"), ==, "POST");
  json_body = koers_test_oauth_request (&t, "POST", "/oauth/token", "application/json",
                                        "{\"grant_type\": \"refresh_token\"}");
  assert_oauth_error (json_body, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "invalid_request");

  big = g_strnfill (16 * 1024 + 1, 'a');
  too_big = koers_test_oauth_request (&t, "POST", "/oauth/token", TOKEN_FORM, big);
  assert_oauth_error (too_big, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "invalid_request");
  koers_test_oauth_teardown (&t);
}

static void
test_authorize_endpoint_errors (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *path = koers_test_authorize_path (challenge, "s");
  g_autofree char *big = g_strnfill (16 * 1024 + 1, 'a');
  g_autoptr(KoersTestResponse) put = NULL;
  g_autoptr(KoersTestResponse) below = NULL;
  g_autoptr(KoersTestResponse) json_body = NULL;
  g_autoptr(KoersTestResponse) too_big = NULL;
  g_autoptr(KoersTestResponse) no_fields = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  put = koers_test_oauth_request (&t, "PUT", path, NULL, NULL);
  g_assert_cmpuint (put->status, ==, SOUP_STATUS_METHOD_NOT_ALLOWED);
  g_assert_cmpstr (soup_message_headers_get_one (put->headers, "Allow"), ==, "GET, HEAD, POST");
  koers_test_assert_common_headers (put);
  below = koers_test_oauth_request (&t, "GET", "/oauth/autoriseren/extra", NULL, NULL);
  g_assert_cmpuint (below->status, ==, SOUP_STATUS_NOT_FOUND);
  koers_test_assert_common_headers (below);

  json_body = koers_test_oauth_request (&t, "POST", "/oauth/autoriseren", "application/json",
                                        "{\"gebruikersnaam\": \"coach.een\"}");
  g_assert_cmpuint (json_body->status, ==, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE);
  too_big = koers_test_oauth_request (&t, "POST", "/oauth/autoriseren", TOKEN_FORM, big);
  g_assert_cmpuint (too_big->status, ==, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
  /* A form without the client's fields is a bad request page, never a redirect. */
  no_fields = koers_test_oauth_request (&t, "POST", "/oauth/autoriseren", TOKEN_FORM,
                                        "gebruikersnaam=coach.een&wachtwoord=x");
  g_assert_cmpuint (no_fields->status, ==, SOUP_STATUS_BAD_REQUEST);
  g_assert_null (soup_message_headers_get_one (no_fields->headers, "Location"));
  koers_test_oauth_teardown (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-auth/full-flow", test_full_flow);
  koers_test_server_db_add ("/server-auth/wrong-verifier", test_wrong_verifier);
  koers_test_server_db_add ("/server-auth/reused-code", test_reused_code);
  koers_test_server_db_add ("/server-auth/expired-code", test_expired_code);
  koers_test_server_db_add ("/server-auth/client-and-redirect-checked",
                            test_client_and_redirect_checked);
  koers_test_server_db_add ("/server-auth/authorize-endpoint-errors",
                            test_authorize_endpoint_errors);
  koers_test_server_db_add ("/server-auth/request-errors-redirect",
                            test_request_errors_redirect);
  koers_test_server_db_add ("/server-auth/refresh-rotation-and-reuse",
                            test_refresh_rotation_and_reuse);
  koers_test_server_db_add ("/server-auth/token-lifetimes", test_token_lifetimes);
  koers_test_server_db_add ("/server-auth/token-endpoint-errors", test_token_endpoint_errors);
  return g_test_run ();
}
