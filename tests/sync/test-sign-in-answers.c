/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Part of test-sign-in: the token endpoint's answer is untrusted input. A fake endpoint (a
 * loopback SoupServer) answers the code exchange with one broken or hostile answer per case;
 * each must end as KOERS_SIGN_IN_ERROR_EXCHANGE without a grant, a crash or a followed
 * redirect.
 */
#include "config.h"

#include "sync/koers-sign-in.h"
#include "sync/koers-token-source-private.h"

#include "koers-test-key-store.h"

#include <string.h>

void koers_test_sign_in_add_answer_tests (void);

typedef struct {
  guint        status;
  const char  *location;   /* (nullable) */
  char        *body;
  guint        n_token_requests;
  guint        n_elsewhere;
} FakeEndpoint;

static void
token_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  FakeEndpoint *fake = user_data;

  if (g_strcmp0 (path, "/oauth/token") != 0)
    {
      fake->n_elsewhere++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, "{}", 2);
      return;
    }
  fake->n_token_requests++;
  soup_server_message_set_status (msg, fake->status, NULL);
  if (fake->location != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Location",
                                  fake->location);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, fake->body,
                                    strlen (fake->body));
}

/* Connections are accepted here and handed to the SoupServer, as the server fixtures do:
 * libsoup 3.2's own listener never releases an accepted socket (LeakSanitizer). */
static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  g_autoptr(GSocketAddress) local = g_socket_connection_get_local_address (connection, NULL);
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);

  if (local != NULL && remote != NULL)
    soup_server_accept_iostream (SOUP_SERVER (user_data), G_IO_STREAM (connection), local,
                                 remote, NULL);
  return TRUE;
}

static KoersTokenGrant *
exchange_with (FakeEndpoint  *fake,
               guint          port,
               SoupSession   *session,
               GError       **error)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(KoersSignIn) sign_in = koers_sign_in_new (url, NULL, error);
  g_autoptr(GUri) authorize = g_uri_parse (koers_sign_in_get_authorize_uri (sign_in),
                                           G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) query = soup_form_decode (g_uri_get_query (authorize));
  g_autofree char *redirect = g_strdup_printf ("%s?code=een-code&state=%s",
                                               KOERS_SIGN_IN_REDIRECT_URI,
                                               (char *) g_hash_table_lookup (query, "state"));
  g_autoptr(GAsyncResult) result = NULL;

  koers_sign_in_complete_async (sign_in, session, redirect, NULL, koers_test_keep_result,
                                &result);
  return koers_sign_in_complete_finish (sign_in, koers_test_await (&result), error);
}

static void
test_hostile_answers (void)
{
  static const char *good = "\"access_token\": \"a1\", \"token_type\": \"Bearer\", "
                            "\"expires_in\": 900, \"refresh_token\": \"r1\"";
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = NULL;
  FakeEndpoint fake = { 0 };
  guint port;
  struct {
    guint       status;
    const char *location;
    char       *body;
  } answers[] = {
    { 200, NULL, g_strdup_printf ("{%s}", good) },  /* no apparaat_id */
    { 200, NULL, g_strdup_printf ("{%s, \"apparaat_id\": \"../../etc\"}", good) },
    { 200, NULL, g_strdup ("{\"access_token\": \"a1\\r\\nX-Evil: 1\", \"refresh_token\": "
                           "\"r1\", \"apparaat_id\": \"0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11\"}") },
    { 200, NULL, g_strdup ("{\"access_token\": 12, \"refresh_token\": \"r1\", "
                           "\"apparaat_id\": \"0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11\"}") },
    { 200, NULL, g_strdup_printf ("{%s, \"token_type\": \"MAC\", "
                                  "\"apparaat_id\": \"0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11\"}",
                                  good) },
    { 200, NULL, g_strdup ("[\"geen object\"]") },
    { 200, NULL, NULL },  /* nested, below */
    { 200, NULL, NULL },  /* huge, below */
    { 302, "/gestolen", g_strdup ("{}") },
    { 400, NULL, g_strdup ("{\"error\": \"invalid_grant\"}") },
    { 503, NULL, g_strdup ("{\"error\": \"temporarily_unavailable\"}") },
  };

  {
    GString *deep = g_string_new ("{\"a\": ");

    for (guint i = 0; i < 5000; i++)
      g_string_append_c (deep, '[');
    answers[6].body = g_string_free (deep, FALSE);
  }
  /* A good answer padded with spaces to one byte over the limit. */
  {
    g_autofree char *valid = g_strdup_printf ("{%s, \"apparaat_id\": "
                                              "\"0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11\"}", good);

    huge = g_strnfill (KOERS_TOKEN_RESPONSE_LIMIT + 1 - strlen (valid), ' ');
    answers[7].body = g_strconcat (valid, huge, NULL);
    g_assert_cmpuint (strlen (answers[7].body), ==, KOERS_TOKEN_RESPONSE_LIMIT + 1);
  }

  soup_server_add_handler (server, NULL, token_handler, &fake, NULL);
  g_signal_connect_object (service, "incoming", G_CALLBACK (incoming_cb), server, 0);
  g_socket_listener_add_address (G_SOCKET_LISTENER (service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  g_socket_service_start (service);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(KoersTokenGrant) grant = NULL;

      g_test_message ("answer %u", i);
      fake.status = answers[i].status;
      fake.location = answers[i].location;
      fake.body = answers[i].body;
      grant = exchange_with (&fake, port, session, &error);
      g_assert_null (grant);
      g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_EXCHANGE);
      g_clear_error (&error);
      g_free (answers[i].body);
    }
  g_assert_cmpuint (fake.n_token_requests, ==, G_N_ELEMENTS (answers));
  /* The redirect was not followed (the form would have gone with it). */
  g_assert_cmpuint (fake.n_elsewhere, ==, 0);

  /* A well-formed answer passes, so the cases above failed for what they break; padded to
   * exactly the limit, too. */
  fake.status = 200;
  fake.location = NULL;
  fake.body = g_strdup_printf ("{%s, \"apparaat_id\": \"0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11\"}%s",
                               good, huge + 1);
  g_assert_cmpuint (strlen (fake.body), ==, KOERS_TOKEN_RESPONSE_LIMIT);
  {
    g_autoptr(KoersTokenGrant) grant = exchange_with (&fake, port, session, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (grant->access_token, ==, "a1");
    g_assert_cmpstr (grant->refresh_token, ==, "r1");
    g_assert_cmpstr (grant->device_id, ==, "0b5ad7d4-9f0c-4c4b-8a53-5b2d6f0e6a11");
    g_assert_cmpint (grant->expires_in, ==, 900);
  }
  g_free (fake.body);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  soup_server_disconnect (server);

  /* Nothing listens any more: a network error, not a refusal. */
  {
    g_autoptr(KoersTokenGrant) grant = exchange_with (&fake, port, session, &error);

    g_assert_null (grant);
    g_assert_error (error, KOERS_SIGN_IN_ERROR, KOERS_SIGN_IN_ERROR_NETWORK);
  }
}

void
koers_test_sign_in_add_answer_tests (void)
{
  g_test_add_func ("/sign-in/hostile-token-answers", test_hostile_answers);
}
