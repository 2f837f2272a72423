/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The koers-server executable end to end, on both back ends, as an administrator sets up a
 * region: `koers-server --database ... admin` creates an organisation and a user (password on
 * standard input), `koers-server --database ... --listen 127.0.0.1:PORT` serves; a client logs
 * in through the real OAuth flow (login form, code, PKCE token exchange) and reads its
 * profile and the specification; SIGTERM stops the server cleanly. Behind a reverse proxy
 * named with --vertrouwde-proxy, failed logins count against the client the proxy forwards.
 */
#include "config.h"

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "koers-test-postgres.h"

#include <signal.h>
#include <string.h>

#define PASSWORD "correct paard batterij nietje"
#define VERIFIER "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"

static char *
run_admin (const char  *location,
           const char  *stdin_text,
           const char **args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) KOERS_SERVER_BINARY);
  g_ptr_array_add (argv, (gpointer) "--database");
  g_ptr_array_add (argv, (gpointer) location);
  g_ptr_array_add (argv, (gpointer) "admin");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                               | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, stdin_text, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("koers-server admin %s failed: %s", args[0], err);

  return g_strdup (g_strstrip (out));
}

static guint
free_port (void)
{
  g_autoptr (GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                             G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, any, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

typedef struct {
  SoupSession *session;
  guint        port;
} Client;

static SoupMessage *
send_sync (Client      *client,
           const char  *method,
           const char  *path,
           const char  *token,
           const char  *form,
           GBytes     **out_body)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", client->port, path);
  SoupMessage *msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;

  /* The login answers 303 to the app's own URI scheme: look at it, never follow it. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                    bearer);
    }
  if (form != NULL)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (form, strlen (form));

      soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    }
  *out_body = soup_session_send_and_read (client->session, msg, NULL, &error);
  g_assert_no_error (error);
  return msg;
}

static JsonObject *
parse (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, g_bytes_get_data (body, NULL),
                              (gssize) g_bytes_get_size (body), &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
pkce_challenge (const char *verifier)
{
  g_autoptr (GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;
  g_autofree char *base64 = NULL;

  g_checksum_update (checksum, (const guchar *) verifier, (gssize) strlen (verifier));
  g_checksum_get_digest (checksum, digest, &length);
  base64 = g_base64_encode (digest, length);
  /* base64url without padding (RFC 7636, appendix A). */
  g_strdelimit (base64, "+", '-');
  g_strdelimit (base64, "/", '_');
  *strchr (base64, '=') = '\0';
  return g_steal_pointer (&base64);
}

static void
test_executable (KoersServerDbBackend backend)
{
  g_autofree char *location = koers_test_server_db_location (backend);
  g_autofree char *organisation = NULL;
  g_autofree char *user = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *challenge = pkce_challenge (VERIFIER);
  g_autofree char *form = NULL;
  g_autofree char *code = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) tokens = NULL;
  g_autoptr (JsonObject) profile = NULL;
  Client client = { 0 };
  guint status = 0;
  const char *add_org[] = { "organisatie-toevoegen", "Werkplein Achterhoek", NULL };

  /* The administrator sets up the organisation and a coach. */
  organisation = run_admin (location, NULL, add_org);
  g_assert_true (g_uuid_string_is_valid (organisation));
  {
    const char *add_user[] = { "gebruiker-toevoegen", "--organisatie", organisation,
                               "--gebruikersnaam", "anna", "--naam", "Anna de Boer",
                               "--rol", "coach", NULL };

    user = run_admin (location, PASSWORD "\n", add_user);
    g_assert_true (g_uuid_string_is_valid (user));
  }

  /* The server itself. */
  client.port = free_port ();
  listen = g_strdup_printf ("127.0.0.1:%u", client.port);
  server = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, KOERS_SERVER_BINARY,
                             "--database", location, "--listen", listen, NULL);
  g_assert_no_error (error);
  client.session = soup_session_new ();
  soup_session_set_timeout (client.session, 10);

  /* Up within 10 s: the specification answers without login. */
  for (guint i = 0; i < 100 && status != 200; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/openapi.json",
                                              client.port);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (GBytes) body = soup_session_send_and_read (client.session, msg, NULL, NULL);

      status = soup_message_get_status (msg);
      if (status != 200)
        g_usleep (100 * 1000);
      else
        g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                       "API-Version"), ==, "1.0.0");
    }
  g_assert_cmpuint (status, ==, 200);

  /* The coach logs in: form -> 303 with a code -> token exchange with the PKCE verifier. */
  {
    g_autoptr (SoupMessage) msg = NULL;
    g_autoptr (GBytes) body = NULL;
    g_autoptr (GUri) uri = NULL;
    g_autoptr (GHashTable) query = NULL;

    form = soup_form_encode ("client_id", "koers-desktop",
                             "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                             "code_challenge", challenge, "code_challenge_method", "S256",
                             "apparaat", "Laptop Anna", "gebruikersnaam", "anna",
                             "wachtwoord", PASSWORD, "state", "s1", NULL);
    msg = send_sync (&client, "POST", "/oauth/autoriseren", NULL, form, &body);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 303);
    uri = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                     "Location"), G_URI_FLAGS_ENCODED, &error);
    g_assert_no_error (error);
    query = soup_form_decode (g_uri_get_query (uri));
    code = g_strdup (g_hash_table_lookup (query, "code"));
    g_assert_nonnull (code);
  }
  {
    g_autoptr (SoupMessage) msg = NULL;
    g_autoptr (GBytes) body = NULL;

    g_free (form);
    form = soup_form_encode ("grant_type", "authorization_code", "code", code,
                             "code_verifier", VERIFIER,
                             "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                             "client_id", "koers-desktop", NULL);
    msg = send_sync (&client, "POST", "/oauth/token", NULL, form, &body);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    tokens = parse (body);
  }

  /* ... and uses the API. */
  {
    g_autoptr (SoupMessage) msg = NULL;
    g_autoptr (GBytes) body = NULL;

    msg = send_sync (&client, "GET", "/v1/profiel", json_object_get_string_member (tokens,
                                                                                 "access_token"),
                     NULL, &body);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    profile = parse (body);
    g_assert_cmpstr (json_object_get_string_member (profile, "gebruikerId"), ==, user);
    g_assert_cmpstr (json_object_get_string_member (profile, "apparaatId"), ==,
                     json_object_get_string_member (tokens, "apparaat_id"));
  }

  /* SIGTERM: a clean stop, exit status 0. */
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);

  g_object_unref (client.session);
}

/* Starts the server on a free port with @extra arguments (NULL-terminated), with
 * KOERS_SERVER_CRASH_POINT set to @crash_point (nullable: unset), and waits until it answers. */
static GSubprocess *
start_server_at (const char        *location,
                 const char * const *extra,
                 const char         *crash_point,
                 Client             *client)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GError) error = NULL;
  GSubprocess *server;
  guint status = 0;

  client->port = free_port ();
  g_ptr_array_add (argv, g_strdup (KOERS_SERVER_BINARY));
  g_ptr_array_add (argv, g_strdup ("--database"));
  g_ptr_array_add (argv, g_strdup (location));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", client->port));
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (extra[i]));
  g_ptr_array_add (argv, NULL);
  /* The abort() of a crash point would otherwise print to the test's log as if it failed. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | (crash_point != NULL
                                           ? G_SUBPROCESS_FLAGS_STDERR_SILENCE : 0));
  if (crash_point != NULL)
    g_subprocess_launcher_setenv (launcher, "KOERS_SERVER_CRASH_POINT", crash_point, TRUE);
  else
    g_subprocess_launcher_unsetenv (launcher, "KOERS_SERVER_CRASH_POINT");
  server = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  client->session = soup_session_new ();
  soup_session_set_timeout (client->session, 10);
  for (guint i = 0; i < 100 && status != 200; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/openapi.json",
                                              client->port);
      g_autoptr (SoupMessage) msg = soup_message_new ("GET", url);
      g_autoptr (GBytes) body = soup_session_send_and_read (client->session, msg, NULL, NULL);

      status = soup_message_get_status (msg);
      if (status != 200)
        g_usleep (100 * 1000);
    }
  g_assert_cmpuint (status, ==, 200);
  return server;
}

static GSubprocess *
start_server (const char        *location,
              const char * const *extra,
              Client             *client)
{
  return start_server_at (location, extra, NULL, client);
}

/* One login attempt forwarded by the proxy for @client_address; returns the status. */
static guint
login_via_proxy (Client     *client,
                 const char *client_address,
                 const char *username,
                 const char *password)
{
  g_autofree char *challenge = pkce_challenge (VERIFIER);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/oauth/autoriseren",
                                          client->port);
  g_autofree char *form = soup_form_encode ("client_id", "koers-desktop",
                                            "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                                            "code_challenge", challenge,
                                            "code_challenge_method", "S256",
                                            "gebruikersnaam", username,
                                            "wachtwoord", password, "state", "s1", NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (form, strlen (form));
  g_autoptr (SoupMessage) msg = soup_message_new ("POST", url);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GError) error = NULL;

  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                client_address);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  body = soup_session_send_and_read (client->session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* Every login reaches the server from the proxy's address. With --vertrouwde-proxy naming
 * it, one client's failures (fifty, the per-address limit) block that client only, not the
 * whole region. A value that is not an IP address is refused at start. */
static void
test_trusted_proxy (void)
{
  g_autofree char *location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  g_autofree char *organisation = NULL;
  g_autofree char *user = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GError) error = NULL;
  const char *add_org[] = { "organisatie-toevoegen", "Werkplein Achterhoek", NULL };
  const char *extra[] = { "--vertrouwde-proxy", "10.0.0.9", "--vertrouwde-proxy", "127.0.0.1",
                          NULL };
  Client client = { 0 };

  organisation = run_admin (location, NULL, add_org);
  {
    const char *add_user[] = { "gebruiker-toevoegen", "--organisatie", organisation,
                               "--gebruikersnaam", "anna", "--naam", "Anna de Boer",
                               "--rol", "coach", NULL };

    user = run_admin (location, PASSWORD "\n", add_user);
  }

  {
    g_autoptr (GSubprocess) refused = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                                        &error, KOERS_SERVER_BINARY,
                                                        "--database", location,
                                                        "--vertrouwde-proxy", "proxy.example",
                                                        NULL);

    g_assert_no_error (error);
    g_subprocess_wait (refused, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (refused), ==, 2);
  }

  server = start_server (location, extra, &client);
  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *name = g_strdup_printf ("onbekend.%02u", i);

      g_assert_cmpuint (login_via_proxy (&client, "203.0.113.5", name, "fout"), ==, 200);
    }
  /* That client waits now, even with the right password ... */
  g_assert_cmpuint (login_via_proxy (&client, "203.0.113.5", "anna", PASSWORD), ==, 429);
  /* ... the next client behind the same proxy does not. */
  g_assert_cmpuint (login_via_proxy (&client, "198.51.100.7", "anna", PASSWORD), ==, 303);

  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_object_unref (client.session);
}

/* --lezers: a count out of range or not a number is refused before the database is touched
 * (exit 2, the option named); a count in range serves. */
static void
test_readers_option (void)
{
  g_autofree char *location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  /* -1 is the default's internal value, not a count one may type. */
  const char *refused[][2] = { { "--lezers", "65" }, { "--lezers", "-2" },
                               { "--lezers", "-1" }, { "--lezers", "veel" } };
  const char *extra[] = { "--lezers", "1", NULL };
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (GError) error = NULL;
  Client client = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GSubprocess) process = NULL;
      g_autofree char *err = NULL;

      process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                  | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                                  KOERS_SERVER_BINARY, "--database", location,
                                  refused[i][0], refused[i][1], NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 2);
      g_assert_nonnull (strstr (err, "lezers"));
      g_assert_false (g_file_test (location, G_FILE_TEST_EXISTS));
    }

  server = start_server (location, extra, &client);
  g_subprocess_send_signal (server, SIGTERM);
  g_subprocess_wait (server, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_object_unref (client.session);
}

/* The coach logs in on a new device through the OAuth flow; returns (transfer full) the
 * access token. */
static char *
log_in (Client *client)
{
  g_autofree char *challenge = pkce_challenge (VERIFIER);
  g_autofree char *form = NULL;
  g_autofree char *code = NULL;
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GUri) uri = NULL;
  g_autoptr (GHashTable) query = NULL;
  g_autoptr (JsonObject) tokens = NULL;
  g_autoptr (GError) error = NULL;

  form = soup_form_encode ("client_id", "koers-desktop",
                           "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                           "code_challenge", challenge, "code_challenge_method", "S256",
                           "apparaat", "Laptop Anna", "gebruikersnaam", "anna",
                           "wachtwoord", PASSWORD, "state", "s1", NULL);
  msg = send_sync (client, "POST", "/oauth/autoriseren", NULL, form, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 303);
  uri = g_uri_parse (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Location"), G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  query = soup_form_decode (g_uri_get_query (uri));
  code = g_strdup (g_hash_table_lookup (query, "code"));
  g_assert_nonnull (code);

  g_clear_object (&msg);
  g_clear_pointer (&body, g_bytes_unref);
  g_free (form);
  form = soup_form_encode ("grant_type", "authorization_code", "code", code,
                           "code_verifier", VERIFIER,
                           "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                           "client_id", "koers-desktop", NULL);
  msg = send_sync (client, "POST", "/oauth/token", NULL, form, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  tokens = parse (body);
  return g_strdup (json_object_get_string_member (tokens, "access_token"));
}

/* The whole feed from the beginning, as a client pulls it after a restore: (transfer full)
 * the response object. */
static JsonObject *
pull_feed (Client *client, const char *token)
{
  g_autoptr (SoupMessage) msg = NULL;
  g_autoptr (GBytes) body = NULL;
  JsonObject *feed;

  msg = send_sync (client, "GET", "/v1/wijzigingen?vanaf=0&limiet=500", token, NULL, &body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  feed = parse (body);
  g_assert_false (json_object_get_boolean_member (feed, "meerBeschikbaar"));
  return feed;
}

/* A batch of @count participant creations for @coach_id, device numbers from @first. */
static char *
creation_batch (const char *coach_id, guint first, guint count)
{
  g_autoptr (GString) batch = g_string_new ("{\"mutaties\": [");

  for (guint i = 0; i < count; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      g_autofree char *record_id = g_uuid_string_random ();

      g_string_append_printf (batch,
                              "%s{\"mutatieId\": \"%s\", \"volgnummer\": %u, "
                              "\"entiteit\": \"deelnemers\", \"recordId\": \"%s\", "
                              "\"actie\": \"aanmaken\", \"basisVersie\": null, \"velden\": {"
                              "\"naam\": {\"was\": null, \"wordt\": \"Deelnemer %u\"}, "
                              "\"gemeente\": {\"was\": null, \"wordt\": \"aalten\"}, "
                              "\"doelgroep\": {\"was\": null, \"wordt\": \"nug\"}, "
                              "\"status\": {\"was\": null, \"wordt\": \"registered\"}, "
                              "\"coachId\": {\"was\": null, \"wordt\": \"%s\"}}}",
                              i == 0 ? "" : ", ", mutation_id, first + i, record_id,
                              first + i, coach_id);
    }
  g_string_append (batch, "]}");
  return g_string_free (g_steal_pointer (&batch), FALSE);
}

/* POSTs @batch: (transfer full) the message; *@out_body is NULL and @error set when the
 * connection broke off. */
static SoupMessage *
push (Client *client, const char *token, const char *batch, GBytes **out_body, GError **error)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/v1/mutaties", client->port);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (batch, strlen (batch));
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                bearer);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  *out_body = soup_session_send_and_read (client->session, msg, NULL, error);
  return msg;
}

static gboolean
wait_done (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_finished (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) data = TRUE;
}

/* Waits at most @seconds for @process to end; a hang fails the test instead of blocking it. */
static void
wait_bounded (GSubprocess *process, guint seconds)
{
  gboolean finished = FALSE;
  gboolean timed_out = FALSE;
  guint timeout = g_timeout_add_seconds (seconds, wait_done, &timed_out);

  g_subprocess_wait_async (process, NULL, wait_finished, &finished);
  while (!finished && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout);
  if (!finished)
    {
      g_subprocess_force_exit (process);
      g_error ("koers-server did not end within %u s", seconds);
    }
}

static gint64
cursor_sequence (const char *cursor)
{
  const char *dot = strrchr (cursor, '.');

  g_assert_nonnull (dot);
  return g_ascii_strtoll (dot + 1, NULL, 10);
}

/* Issue 4: the server killed in the middle of a batch (after half of it is written, before the
 * commit) leaves nothing of it: after a restart the feed is as before, the device's number did
 * not move, and the same batch sent again applies whole, with versions that follow on without
 * a gap. */
static void
test_killed_mid_batch (KoersServerDbBackend backend)
{
  g_autofree char *location = koers_test_server_db_location (backend);
  g_autofree char *organisation = NULL;
  g_autofree char *user = NULL;
  g_autofree char *token = NULL;
  g_autofree char *earlier = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *cursor_before = NULL;
  g_autoptr (GSubprocess) server = NULL;
  g_autoptr (JsonObject) feed = NULL;
  g_autoptr (GError) error = NULL;
  const char *add_org[] = { "organisatie-toevoegen", "Werkplein Achterhoek", NULL };
  const char *no_extra[] = { NULL };
  Client client = { 0 };
  guint items_before;

  organisation = run_admin (location, NULL, add_org);
  {
    const char *add_user[] = { "gebruiker-toevoegen", "--organisatie", organisation,
                               "--gebruikersnaam", "anna", "--naam", "Anna de Boer",
                               "--rol", "coach", NULL };

    user = run_admin (location, PASSWORD "\n", add_user);
  }

  /* Two participants already synchronised, so the feed and the device's number are not at
   * their start. */
  server = start_server_at (location, no_extra, NULL, &client);
  token = log_in (&client);
  earlier = creation_batch (user, 1, 2);
  {
    g_autoptr (GBytes) body = NULL;
    g_autoptr (SoupMessage) msg = push (&client, token, earlier, &body, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
  feed = pull_feed (&client, token);
  items_before = json_array_get_length (json_object_get_array_member (feed, "wijzigingen"));
  g_assert_cmpuint (items_before, ==, 2);
  cursor_before = g_strdup (json_object_get_string_member (feed, "volgendeCursor"));
  g_clear_pointer (&feed, json_object_unref);
  g_subprocess_send_signal (server, SIGTERM);
  wait_bounded (server, 10);
  g_clear_object (&server);
  g_clear_object (&client.session);

  /* Killed after five of the ten creations: no answer, and the server died by a signal. */
  batch = creation_batch (user, 3, 10);
  server = start_server_at (location, no_extra, "push-mid-batch", &client);
  {
    g_autoptr (GBytes) body = NULL;
    g_autoptr (SoupMessage) msg = push (&client, token, batch, &body, &error);

    g_assert_nonnull (error);
    g_assert_null (body);
    g_assert_cmpuint (soup_message_get_status (msg), !=, 200);
    g_clear_error (&error);
  }
  wait_bounded (server, 10);
  g_assert_true (g_subprocess_get_if_signaled (server));
  g_assert_cmpint (g_subprocess_get_term_sig (server), ==, SIGABRT);
  g_clear_object (&server);
  g_clear_object (&client.session);

  /* Restarted without the crash point: nothing of the batch. */
  server = start_server_at (location, no_extra, NULL, &client);
  feed = pull_feed (&client, token);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (feed, "wijzigingen")),
                    ==, items_before);
  g_assert_cmpstr (json_object_get_string_member (feed, "volgendeCursor"), ==, cursor_before);
  g_clear_pointer (&feed, json_object_unref);

  /* The same batch again: the device's number did not move, so all ten are new. */
  {
    g_autoptr (GBytes) body = NULL;
    g_autoptr (SoupMessage) msg = push (&client, token, batch, &body, &error);
    g_autoptr (JsonObject) answer = NULL;
    JsonArray *results;

    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
    answer = parse (body);
    g_assert_cmpint (json_object_get_int_member (answer, "laatsteVolgnummer"), ==, 12);
    results = json_object_get_array_member (answer, "resultaten");
    g_assert_cmpuint (json_array_get_length (results), ==, 10);
    for (guint i = 0; i < 10; i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);

        g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "toegepast");
        g_assert_false (json_object_get_boolean_member (result, "herhaald"));
      }
  }

  /* Ten more items whose versions follow the old cursor without a gap. */
  feed = pull_feed (&client, token);
  {
    JsonArray *items = json_object_get_array_member (feed, "wijzigingen");
    gint64 before = cursor_sequence (cursor_before);

    g_assert_cmpuint (json_array_get_length (items), ==, items_before + 10);
    for (guint i = 0; i < 10; i++)
      {
        JsonObject *item = json_array_get_object_element (items, items_before + i);

        g_assert_cmpint (json_object_get_int_member (item, "versie"), ==, before + 1 + i);
      }
    g_assert_cmpint (cursor_sequence (json_object_get_string_member (feed, "volgendeCursor")),
                     ==, before + 10);
  }

  g_subprocess_send_signal (server, SIGTERM);
  wait_bounded (server, 10);
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_clear_object (&client.session);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-main/executable", test_executable);
  g_test_add_func ("/server-main/trusted-proxy", test_trusted_proxy);
  g_test_add_func ("/server-main/readers-option", test_readers_option);
  koers_test_server_db_add ("/server-main/killed-mid-batch", test_killed_mid_batch);

  return g_test_run ();
}
