/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-oauth.h"

#include "koers-test-postgres.h"

#include <string.h>

static GDateTime *
pinned_now (gpointer user_data)
{
  KoersTestOAuth *t = user_data;

  return g_date_time_ref (t->now);
}

char *
koers_test_oauth_add_user (KoersTestOAuth *t,
                           const char     *username,
                           KoersServerRole role)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("Gebruiker %s", username);
  char *id = koers_server_auth_add_user (t->auth, t->organisation_id, username, name, role,
                                         KOERS_TEST_PASSWORD, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
  return id;
}

void
koers_test_oauth_setup (KoersTestOAuth      *t,
                        KoersServerDbBackend backend)
{
  g_autoptr(GError) error = NULL;

  memset (t, 0, sizeof *t);
  t->db = koers_test_server_db_open (backend, NULL);
  t->auth = koers_server_auth_new (t->db);
  t->now = g_date_time_new_utc (2026, 11, 28, 9, 0, 0);
  koers_server_auth_set_clock (t->auth, pinned_now, t);
  t->organisation_id = koers_server_auth_add_organisation (t->auth, "Gemeente Oost Gelre",
                                                           &error);
  g_assert_no_error (error);
  t->coach_id = koers_test_oauth_add_user (t, "coach.een", KOERS_SERVER_ROLE_COACH);
}

/* Accepts connections itself and hands them to the SoupServer, as KoersServer does
 * (koers-server.c): libsoup 3.2's own listener never releases an accepted connection's
 * GSocket, which LeakSanitizer reports for every request of the suite. */
static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  SoupServer *server = user_data;
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autoptr(GError) error = NULL;

  if (local == NULL || remote == NULL)
    return TRUE;
  if (!soup_server_accept_iostream (server, G_IO_STREAM (connection), local, remote, &error))
    g_test_message ("fixture: could not take a connection: %s", error->message);
  return TRUE;
}

void
koers_test_oauth_listen (KoersTestOAuth *t)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autofree char *base = NULL;

  t->server = soup_server_new (NULL, NULL);
  koers_server_auth_add_handlers (t->auth, t->server);
  t->service = g_socket_service_new ();
  g_signal_connect_object (t->service, "incoming", G_CALLBACK (incoming_cb), t->server, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (t->service), address,
                                 G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                 &error);
  g_assert_no_error (error);
  g_socket_service_start (t->service);
  base = g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective)));
  t->base = g_uri_parse (base, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  t->session = soup_session_new ();
}

void
koers_test_oauth_teardown (KoersTestOAuth *t)
{
  if (t->service != NULL)
    {
      g_socket_service_stop (t->service);
      g_socket_listener_close (G_SOCKET_LISTENER (t->service));
    }
  g_clear_object (&t->service);
  if (t->server != NULL)
    soup_server_disconnect (t->server);
  g_clear_object (&t->session);
  g_clear_object (&t->server);
  g_clear_pointer (&t->base, g_uri_unref);
  koers_server_auth_free (t->auth);
  koers_server_db_free (t->db);
  g_date_time_unref (t->now);
  g_free (t->organisation_id);
  g_free (t->coach_id);
}

void
koers_test_oauth_advance (KoersTestOAuth *t,
                          gint64          seconds)
{
  GDateTime *later = g_date_time_add_seconds (t->now, (gdouble) seconds);

  g_date_time_unref (t->now);
  t->now = later;
}

void
koers_test_response_free (KoersTestResponse *response)
{
  g_clear_pointer (&response->headers, soup_message_headers_unref);
  g_free (response->body);
  g_free (response);
}

struct _KoersTestCall {
  SoupMessage *msg;
  GBytes      *bytes;
  GError      *error;
  gboolean     done;
};

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  KoersTestCall *call = user_data;

  call->bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &call->error);
  call->done = TRUE;
}

KoersTestCall *
koers_test_oauth_start (KoersTestOAuth *t,
                        const char     *method,
                        const char     *path_and_query,
                        const char     *content_type,
                        const char     *body)
{
  g_autoptr(GUri) uri = g_uri_parse_relative (t->base, path_and_query, G_URI_FLAGS_ENCODED,
                                              NULL);
  KoersTestCall *call = g_new0 (KoersTestCall, 1);

  call->msg = soup_message_new_from_uri (method, uri);
  g_assert_nonnull (call->msg);
  soup_message_add_flags (call->msg, SOUP_MESSAGE_NO_REDIRECT);
  if (t->forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (call->msg),
                                  "X-Forwarded-For", t->forwarded_for);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (call->msg, content_type, bytes);
    }
  soup_session_send_and_read_async (t->session, call->msg, G_PRIORITY_DEFAULT, NULL, on_sent,
                                    call);
  return call;
}

gboolean
koers_test_call_is_done (KoersTestCall *call)
{
  return call->done;
}

KoersTestResponse *
koers_test_call_finish (KoersTestCall *call,
                        GError       **error)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  KoersTestResponse *response = NULL;

  while (!call->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (call->error != NULL)
    g_propagate_error (error, g_steal_pointer (&call->error));
  else
    {
      response = g_new0 (KoersTestResponse, 1);
      response->status = soup_message_get_status (call->msg);
      response->headers =
        soup_message_headers_ref (soup_message_get_response_headers (call->msg));
      response->body = g_strndup (g_bytes_get_data (call->bytes, NULL),
                                  g_bytes_get_size (call->bytes));
    }
  g_clear_pointer (&call->bytes, g_bytes_unref);
  g_object_unref (call->msg);
  g_free (call);
  return response;
}

KoersTestResponse *
koers_test_oauth_request (KoersTestOAuth *t,
                          const char     *method,
                          const char     *path_and_query,
                          const char     *content_type,
                          const char     *body)
{
  g_autoptr(GError) error = NULL;
  KoersTestResponse *response =
    koers_test_call_finish (koers_test_oauth_start (t, method, path_and_query, content_type,
                                                    body),
                            &error);

  g_assert_no_error (error);
  return response;
}

char *
koers_test_pkce_verifier (void)
{
  g_autofree char *a = g_uuid_string_random ();
  g_autofree char *b = g_uuid_string_random ();

  /* 73 characters of [0-9a-f-~]: inside the 43-128 the RFC allows. */
  return g_strconcat (a, "~", b, NULL);
}

char *
koers_test_pkce_challenge (const char *verifier)
{
  guchar digest[32];
  gsize length = sizeof digest;
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char *encoded;

  g_checksum_update (checksum, (const guchar *) verifier, -1);
  g_checksum_get_digest (checksum, digest, &length);
  encoded = g_base64_encode (digest, length);
  /* base64 -> base64url without padding, written out here independently of the server. */
  for (char *p = encoded; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        *p = '\0';
    }
  return encoded;
}

char *
koers_test_authorize_path (const char *challenge,
                           const char *state)
{
  g_autofree char *query = soup_form_encode ("response_type", "code",
                                             "client_id", "koers-desktop",
                                             "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                                             "code_challenge", challenge,
                                             "code_challenge_method", "S256",
                                             "state", state,
                                             "apparaat", "Laptop Anna",
                                             NULL);

  return g_strconcat ("/oauth/autoriseren?", query, NULL);
}

char *
koers_test_login_form (const char *username,
                       const char *password,
                       const char *challenge,
                       const char *state)
{
  return soup_form_encode ("client_id", "koers-desktop",
                           "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                           "code_challenge", challenge,
                           "code_challenge_method", "S256",
                           "apparaat", "Laptop Anna",
                           "gebruikersnaam", username,
                           "wachtwoord", password,
                           "state", state,
                           NULL);
}

KoersTestResponse *
koers_test_oauth_login (KoersTestOAuth *t,
                        const char     *username,
                        const char     *password,
                        const char     *challenge,
                        const char     *state)
{
  g_autofree char *form = koers_test_login_form (username, password, challenge, state);

  return koers_test_oauth_request (t, "POST", "/oauth/autoriseren",
                                   "application/x-www-form-urlencoded", form);
}

GHashTable *
koers_test_location_query (KoersTestResponse *response)
{
  const char *location = soup_message_headers_get_one (response->headers, "Location");
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (location);
  g_assert_true (g_str_has_prefix (location, "nl.achterhoek.koers:/oauth/terug?"));
  uri = g_uri_parse (location, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  return soup_form_decode (g_uri_get_query (uri));
}

char *
koers_test_oauth_get_code (KoersTestOAuth *t,
                           const char     *username,
                           const char     *challenge)
{
  g_autoptr(KoersTestResponse) response =
    koers_test_oauth_login (t, username, KOERS_TEST_PASSWORD, challenge, "s1");
  g_autoptr(GHashTable) query = NULL;

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_SEE_OTHER);
  query = koers_test_location_query (response);
  g_assert_cmpstr (g_hash_table_lookup (query, "state"), ==, "s1");
  g_assert_nonnull (g_hash_table_lookup (query, "code"));
  return g_strdup (g_hash_table_lookup (query, "code"));
}

KoersTestResponse *
koers_test_oauth_token (KoersTestOAuth *t,
                        const char     *first_key,
                        ...)
{
  g_autofree char *form = NULL;
  va_list args;

  va_start (args, first_key);
  form = soup_form_encode_valist (first_key, args);
  va_end (args);
  return koers_test_oauth_request (t, "POST", "/oauth/token",
                                   "application/x-www-form-urlencoded", form);
}

JsonObject *
koers_test_response_json (KoersTestResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, response->body, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  return json_object_ref (json_node_get_object (root));
}

void
koers_test_assert_common_headers (KoersTestResponse *response)
{
  SoupMessageHeaders *h = response->headers;

  g_assert_cmpstr (soup_message_headers_get_one (h, "API-Version"), ==, "1.0.0");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Cache-Control"), ==, "no-store");
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Content-Type-Options"), ==, "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Referrer-Policy"), ==, "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Strict-Transport-Security"), ==,
                   "max-age=31536000");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_one (h, "Content-Security-Policy"),
                                   "default-src 'none'"));
}
