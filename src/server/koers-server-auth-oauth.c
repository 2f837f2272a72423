/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-auth.h"

#include "server/koers-server-auth-private.h"

#include <string.h>

/* The two HTTP endpoints of the authorization server: /oauth/autoriseren (login page and
 * form) and /oauth/token (code exchange and refresh). Nothing here logs a request: bodies
 * hold passwords, codes and tokens. */

/* state is the client's own opaque value; a bound keeps the page and redirect small. */
#define MAX_STATE_BYTES 1024

#define GENERIC_LOGIN_FAILURE "De gebruikersnaam of het wachtwoord klopt niet."
#define BLOCKED_LOGIN \
  "Er is te vaak een verkeerd wachtwoord ingevuld. Wacht even en probeer het dan opnieuw."

typedef struct {
  const char *redirect_uri;
  const char *state;
  const char *code_challenge;
  char       *device_name;
} AuthorizeParams;

static void
authorize_params_clear (AuthorizeParams *params)
{
  g_clear_pointer (&params->device_name, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (AuthorizeParams, authorize_params_clear)

static void
redirect_to_client (SoupServerMessage *msg,
                    const char        *query,
                    const char        *state)
{
  GString *location = g_string_new (KOERS_AUTH_REDIRECT_URI "?");
  g_autofree char *uri = NULL;

  g_string_append (location, query);
  if (state != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (state, NULL, FALSE);

      g_string_append_printf (location, "&state=%s", escaped);
    }
  uri = g_string_free (location, FALSE);
  koers_server_auth_set_headers (msg, TRUE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                uri);
  soup_server_message_set_status (msg, SOUP_STATUS_SEE_OTHER, NULL);
}

static void
redirect_error (SoupServerMessage *msg,
                const char        *code,
                const char        *description,
                const char        *state)
{
  g_autofree char *escaped = g_uri_escape_string (description, NULL, FALSE);
  g_autofree char *query = g_strdup_printf ("error=%s&error_description=%s", code, escaped);

  redirect_to_client (msg, query, state);
}

/* Validates the authorization request. The client and redirect URI come first: until both
 * are known, an error is a page, never a redirect (an open redirector otherwise). After that,
 * errors go back to the app as RFC 6749 4.1.2.1 describes. FALSE after answering. */
static gboolean
check_authorize_params (SoupServerMessage *msg,
                        GHashTable        *query,
                        gboolean           from_form,
                        AuthorizeParams   *out)
{
  const char *response_type = query != NULL ? g_hash_table_lookup (query, "response_type") : NULL;
  const char *method = query != NULL ? g_hash_table_lookup (query, "code_challenge_method")
                                     : NULL;
  const char *device = query != NULL ? g_hash_table_lookup (query, "apparaat") : NULL;
  g_autofree char *reason = NULL;

  if (query == NULL
      || g_strcmp0 (g_hash_table_lookup (query, "client_id"), KOERS_AUTH_CLIENT_ID) != 0)
    {
      koers_auth_respond_error_page (msg, SOUP_STATUS_BAD_REQUEST,
                                     "Deze inlogaanvraag komt niet van een bekende Koers-app.");
      return FALSE;
    }
  if (g_strcmp0 (g_hash_table_lookup (query, "redirect_uri"), KOERS_AUTH_REDIRECT_URI) != 0)
    {
      koers_auth_respond_error_page (msg, SOUP_STATUS_BAD_REQUEST,
                                     "Deze inlogaanvraag heeft een onbekend terugkeeradres.");
      return FALSE;
    }

  out->redirect_uri = KOERS_AUTH_REDIRECT_URI;
  out->state = g_hash_table_lookup (query, "state");
  out->code_challenge = g_hash_table_lookup (query, "code_challenge");
  if (out->state != NULL && (strlen (out->state) > MAX_STATE_BYTES
                             || !g_utf8_validate (out->state, -1, NULL)))
    {
      /* Not echoed: it is the value that is wrong. */
      redirect_error (msg, "invalid_request", "state is langer dan 1024 bytes of geen UTF-8",
                      NULL);
      return FALSE;
    }
  if (!from_form && g_strcmp0 (response_type, "code") != 0)
    {
      redirect_error (msg, "unsupported_response_type", "alleen response_type=code",
                      out->state);
      return FALSE;
    }
  /* S256 only: "plain" would hand the verifier to anyone who sees the redirect. The form
   * carries the method as a hidden field; without it S256 is the only meaning. */
  if ((!from_form || method != NULL) && g_strcmp0 (method, "S256") != 0)
    {
      redirect_error (msg, "invalid_request", "code_challenge_method moet S256 zijn",
                      out->state);
      return FALSE;
    }
  if (!koers_server_auth_is_valid_challenge (out->code_challenge))
    {
      redirect_error (msg, "invalid_request",
                      "code_challenge ontbreekt of is geen base64url van 43-128 tekens",
                      out->state);
      return FALSE;
    }
  out->device_name = koers_server_auth_check_name (device != NULL && *device != '\0'
                                                   ? device : KOERS_AUTH_DEFAULT_DEVICE,
                                                   &reason);
  if (out->device_name == NULL)
    {
      redirect_error (msg, "invalid_request", "apparaat moet 1-200 tekens op één regel zijn",
                      out->state);
      return FALSE;
    }
  return TRUE;
}

static void
fill_login_form (KoersAuthLoginForm    *form,
                 const AuthorizeParams *params,
                 const char            *username)
{
  form->client_id = KOERS_AUTH_CLIENT_ID;
  form->redirect_uri = params->redirect_uri;
  form->state = params->state;
  form->code_challenge = params->code_challenge;
  form->device_name = params->device_name;
  form->username = username;
}

static void
show_login_page (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);
  const char *query_text = g_uri_get_query (uri);
  g_autoptr(GHashTable) query = query_text != NULL ? soup_form_decode (query_text) : NULL;
  g_auto(AuthorizeParams) params = { NULL, NULL, NULL, NULL };
  KoersAuthLoginForm form;

  if (!check_authorize_params (msg, query, FALSE, &params))
    return;
  fill_login_form (&form, &params, NULL);
  koers_auth_respond_html (msg, SOUP_STATUS_OK, koers_server_auth_render_login (&form, NULL));
}

/* A login form waiting for its password check (which runs off the main loop). */
typedef struct {
  SoupServerMessage *msg;
  gulong             disconnected_id;
  gboolean           gone;
  GHashTable        *fields;     /* owns the strings params points at */
  AuthorizeParams    params;
  char              *username;
  char              *address;
} PendingLogin;

static void
pending_login_free (gpointer data)
{
  PendingLogin *login = data;

  g_signal_handler_disconnect (login->msg, login->disconnected_id);
  g_object_unref (login->msg);
  g_hash_table_unref (login->fields);
  authorize_params_clear (&login->params);
  g_free (login->username);
  g_free (login->address);
  g_free (login);
}

static void
on_disconnected (SoupServerMessage *msg,
                 gpointer           user_data)
{
  PendingLogin *login = user_data;

  login->gone = TRUE;
}

static void
respond_unavailable (SoupServerMessage *msg)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", "30");
  koers_auth_respond_error_page (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                 "Inloggen lukt nu even niet. "
                                 "Probeer het over een halve minuut opnieuw.");
}

static void
answer_login (KoersServerAuth *auth,
              PendingLogin    *login,
              const char      *user_id)
{
  SoupServerMessage *msg = login->msg;
  g_autofree char *code = NULL;
  g_autofree char *query = NULL;
  g_autoptr(GError) error = NULL;
  KoersAuthLoginForm form;

  if (user_id == NULL)
    {
      koers_server_auth_backoff_fail (auth, login->username, login->address);
      fill_login_form (&form, &login->params, login->username);
      /* One message for an unknown user, a wrong password and a disabled account. */
      koers_auth_respond_html (msg, SOUP_STATUS_OK,
                               koers_server_auth_render_login (&form, GENERIC_LOGIN_FAILURE));
      return;
    }

  koers_server_auth_backoff_reset (auth, login->username, login->address);
  code = koers_server_auth_create_code (auth, user_id, login->params.redirect_uri,
                                        login->params.code_challenge, login->params.device_name,
                                        &error);
  if (code == NULL)
    {
      respond_unavailable (msg);
      return;
    }
  query = g_strdup_printf ("code=%s", code);
  redirect_to_client (msg, query, login->params.state);
}

static void
on_password_checked (KoersServerAuth *auth,
                     const char      *user_id,
                     gpointer         user_data)
{
  PendingLogin *login = user_data;

  koers_server_auth_backoff_end (auth, login->username, login->address);
  /* The browser gave up: nothing to answer, and nothing counted either way. */
  if (login->gone)
    return;
  answer_login (auth, login, user_id);
  soup_server_message_unpause (login->msg);
}

static void
submit_login (KoersServerAuth   *auth,
              SoupServerMessage *msg)
{
  g_autoptr(GHashTable) fields = koers_auth_read_form (msg, TRUE);
  g_auto(AuthorizeParams) params = { NULL, NULL, NULL, NULL };
  g_autofree char *username = NULL;
  g_autofree char *address = NULL;
  g_autoptr(GError) error = NULL;
  const char *typed;
  PendingLogin *login;
  gint64 wait;

  if (fields == NULL || !check_authorize_params (msg, fields, TRUE, &params))
    return;

  typed = g_hash_table_lookup (fields, "gebruikersnaam");
  username = g_strstrip (g_ascii_strdown (typed != NULL ? typed : "", -1));
  address = koers_server_auth_client_address (auth, msg);

  wait = koers_server_auth_backoff_wait (auth, username, address);
  if (wait > 0)
    {
      g_autofree char *retry_after = g_strdup_printf ("%" G_GINT64_FORMAT, wait);
      KoersAuthLoginForm form;

      fill_login_form (&form, &params, username);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", retry_after);
      koers_auth_respond_html (msg, 429 /* Too Many Requests: not in libsoup 3.2 */,
                               koers_server_auth_render_login (&form, BLOCKED_LOGIN));
      return;
    }

  login = g_new0 (PendingLogin, 1);
  login->msg = g_object_ref (msg);
  login->fields = g_hash_table_ref (fields);
  login->params = params;
  memset (&params, 0, sizeof params);
  login->username = g_steal_pointer (&username);
  login->address = g_steal_pointer (&address);
  login->disconnected_id = g_signal_connect (msg, "disconnected",
                                             G_CALLBACK (on_disconnected), login);
  if (!koers_server_auth_verify_password_async (auth, login->username,
                                                g_hash_table_lookup (fields, "wachtwoord"),
                                                on_password_checked, login, pending_login_free,
                                                &error))
    {
      pending_login_free (login);
      respond_unavailable (msg);
      return;
    }
  /* Counted as a failure by the next attempt's check until its outcome is known. */
  koers_server_auth_backoff_begin (auth, login->username, login->address);
  /* The answer comes from on_password_checked, on this main loop. */
  soup_server_message_pause (msg);
}

static void
authorize_handler (SoupServer        *server,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  KoersServerAuth *auth = user_data;
  const char *method = soup_server_message_get_method (msg);

  if (g_strcmp0 (path, "/oauth/autoriseren") != 0)
    {
      koers_auth_respond_not_found (msg);
      return;
    }
  if (method == SOUP_METHOD_GET || method == SOUP_METHOD_HEAD)
    show_login_page (msg);
  else if (method == SOUP_METHOD_POST)
    submit_login (auth, msg);
  else
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "GET, HEAD, POST");
      koers_auth_respond_error_page (msg, SOUP_STATUS_METHOD_NOT_ALLOWED,
                                     "Deze methode wordt hier niet ondersteund.");
    }
}

static void
respond_tokens (SoupServerMessage        *msg,
                const KoersAuthTokenPair *pair)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "access_token");
  json_builder_add_string_value (builder, pair->access_token);
  json_builder_set_member_name (builder, "token_type");
  json_builder_add_string_value (builder, "Bearer");
  json_builder_set_member_name (builder, "expires_in");
  json_builder_add_int_value (builder, KOERS_AUTH_ACCESS_SECONDS);
  json_builder_set_member_name (builder, "refresh_token");
  json_builder_add_string_value (builder, pair->refresh_token);
  json_builder_set_member_name (builder, "apparaat_id");
  json_builder_add_string_value (builder, pair->device_id);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  koers_auth_respond_json (msg, SOUP_STATUS_OK, "application/json", node);
}

static void
respond_grant_error (SoupServerMessage *msg,
                     const GError      *error)
{
  if (g_error_matches (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAVAILABLE))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", "30");
      koers_auth_respond_oauth_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE,
                                      "temporarily_unavailable",
                                      "De server kan de aanvraag nu niet verwerken.");
    }
  else
    /* One description for every refusal: which check failed is nobody's business. */
    koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                    "De code of het token is ongeldig, verlopen of al gebruikt.");
}

static void
token_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  KoersServerAuth *auth = user_data;
  g_autoptr(GHashTable) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(KoersAuthTokenPair) pair = { NULL, NULL, NULL };
  const char *grant_type;
  const char *client_id;

  if (g_strcmp0 (path, "/oauth/token") != 0)
    {
      koers_auth_respond_not_found (msg);
      return;
    }
  if (soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    "POST");
      koers_auth_respond_oauth_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "invalid_request",
                                      "Alleen POST.");
      return;
    }
  fields = koers_auth_read_form (msg, FALSE);
  if (fields == NULL)
    return;

  grant_type = g_hash_table_lookup (fields, "grant_type");
  client_id = g_hash_table_lookup (fields, "client_id");
  /* A public client: the id is required with a code (RFC 6749 4.1.3) and, when sent with a
   * refresh token, must be ours too. */
  if ((client_id != NULL || g_strcmp0 (grant_type, "authorization_code") == 0)
      && g_strcmp0 (client_id, KOERS_AUTH_CLIENT_ID) != 0)
    {
      koers_auth_respond_oauth_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_client",
                                      "Onbekende client_id.");
      return;
    }

  if (g_strcmp0 (grant_type, "authorization_code") == 0)
    {
      const char *code = g_hash_table_lookup (fields, "code");
      const char *verifier = g_hash_table_lookup (fields, "code_verifier");

      if (code == NULL || !koers_server_auth_is_valid_verifier (verifier))
        {
          koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                          "code en code_verifier (43-128 tekens) zijn verplicht.");
          return;
        }
      if (g_strcmp0 (g_hash_table_lookup (fields, "redirect_uri"),
                     KOERS_AUTH_REDIRECT_URI) != 0)
        {
          koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_grant",
                                          "redirect_uri hoort niet bij deze code.");
          return;
        }
      if (!koers_server_auth_exchange_code (auth, code, verifier, &pair, &error))
        {
          respond_grant_error (msg, error);
          return;
        }
    }
  else if (g_strcmp0 (grant_type, "refresh_token") == 0)
    {
      const char *refresh_token = g_hash_table_lookup (fields, "refresh_token");

      if (refresh_token == NULL)
        {
          koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                          "refresh_token is verplicht.");
          return;
        }
      if (!koers_server_auth_refresh (auth, refresh_token, &pair, &error))
        {
          respond_grant_error (msg, error);
          return;
        }
    }
  else if (grant_type == NULL)
    {
      koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid_request",
                                      "grant_type is verplicht.");
      return;
    }
  else
    {
      koers_auth_respond_oauth_error (msg, SOUP_STATUS_BAD_REQUEST, "unsupported_grant_type",
                                      "Alleen authorization_code en refresh_token.");
      return;
    }
  respond_tokens (msg, &pair);
}

void
koers_server_auth_add_handlers (KoersServerAuth *auth,
                                SoupServer      *server)
{
  g_return_if_fail (auth != NULL);
  g_return_if_fail (SOUP_IS_SERVER (server));

  soup_server_add_handler (server, "/oauth/autoriseren", authorize_handler, auth, NULL);
  soup_server_add_handler (server, "/oauth/token", token_handler, auth, NULL);
}
