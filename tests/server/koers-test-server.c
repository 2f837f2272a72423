/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"

#include <string.h>

/* Error bodies must never carry these: SQL, file paths, code locations. The spec checker
 * looks for the same and more; this is the fixture's own belt. */
static const char * const leak_markers[] = {
  "SELECT ", "INSERT ", "UPDATE ", "sqlite", "postgres", "/tmp/", "/work/", ".c:", "Traceback",
  NULL
};

static const char * const security_headers[][2] = {
  { "API-Version", "1.0.0" },
  { "Cache-Control", "no-store" },
  { "X-Content-Type-Options", "nosniff" },
  { "X-Frame-Options", "DENY" },
  { "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'" },
  { "Referrer-Policy", "no-referrer" },
  { "Strict-Transport-Security", "max-age=31536000" },
};

typedef struct {
  const char      *username;
  KoersServerRole  role;
  gboolean         organisation_b;
} UserSpec;

static const UserSpec user_specs[KOERS_TEST_N_USERS] = {
  [KOERS_TEST_A_COACH] = { "coach.a", KOERS_SERVER_ROLE_COACH, FALSE },
  [KOERS_TEST_A_COLLEAGUE] = { "collega.a", KOERS_SERVER_ROLE_COACH, FALSE },
  [KOERS_TEST_A_ONDERSTEUNER] = { "ondersteuner.a", KOERS_SERVER_ROLE_ONDERSTEUNER, FALSE },
  [KOERS_TEST_A_MANAGER] = { "manager.a", KOERS_SERVER_ROLE_PROGRAMMAMANAGER, FALSE },
  [KOERS_TEST_B_COACH] = { "coach.b", KOERS_SERVER_ROLE_COACH, TRUE },
  [KOERS_TEST_B_ONDERSTEUNER] = { "ondersteuner.b", KOERS_SERVER_ROLE_ONDERSTEUNER, TRUE },
};

void
koers_test_server_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static KoersSpecCheck *
load_spec_check (void)
{
  const char *root = g_getenv ("KOERS_TEST_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  KoersSpecCheck *check;

  g_assert_nonnull (root);
  path = g_build_filename (root, "data", "api", "openapi.json", NULL);
  check = koers_spec_check_new_from_file (path, &error);
  g_assert_no_error (error);
  return check;
}

KoersTestServer *
koers_test_server_new (KoersServerDbBackend backend)
{
  return koers_test_server_new_full (backend, -1);
}

KoersTestServer *
koers_test_server_new_full (KoersServerDbBackend backend, int reader_threads)
{
  KoersTestServer *fixture = g_new0 (KoersTestServer, 1);
  KoersServerAuth *auth;
  g_autoptr (GError) error = NULL;

  fixture->backend = backend;
  fixture->db = koers_test_server_db_open (backend, &fixture->location);
  fixture->server = g_object_new (KOERS_TYPE_SERVER, "db", fixture->db,
                                  "reader-threads", reader_threads, NULL);
  koers_server_listen (fixture->server, "127.0.0.1", 0, &fixture->port, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fixture->port, >, 0);

  fixture->session = soup_session_new ();
  soup_session_set_timeout (fixture->session, 30);
  fixture->check = load_spec_check ();

  auth = koers_server_get_auth (fixture->server);
  fixture->organisation_a = koers_server_auth_add_organisation (auth, "Werkplein Achterhoek",
                                                                &error);
  g_assert_no_error (error);
  fixture->organisation_b = koers_server_auth_add_organisation (auth, "Graafschap Werkt",
                                                                &error);
  g_assert_no_error (error);

  for (guint i = 0; i < KOERS_TEST_N_USERS; i++)
    {
      KoersTestUser *user = &fixture->users[i];
      g_autofree char *display = g_strdup_printf ("Gebruiker %s", user_specs[i].username);
      g_autofree char *bearer = NULL;

      user->user_id = koers_server_auth_add_user (auth,
                                                  user_specs[i].organisation_b
                                                  ? fixture->organisation_b
                                                  : fixture->organisation_a,
                                                  user_specs[i].username, display,
                                                  user_specs[i].role,
                                                  "correct paard batterij nietje", &error);
      g_assert_no_error (error);
      user->device_id = koers_server_auth_issue_tokens (auth, user->user_id, "testlaptop",
                                                        &user->access_token,
                                                        &user->refresh_token, &error);
      g_assert_no_error (error);
      bearer = g_strconcat ("Bearer ", user->access_token, NULL);
      user->caller = koers_server_auth_check_bearer (auth, bearer, &error);
      g_assert_no_error (error);
      g_assert_nonnull (user->caller);
    }

  return fixture;
}

void
koers_test_server_free (KoersTestServer *fixture)
{
  if (fixture == NULL)
    return;

  for (guint i = 0; i < KOERS_TEST_N_USERS; i++)
    {
      g_free (fixture->users[i].user_id);
      g_free (fixture->users[i].device_id);
      g_free (fixture->users[i].access_token);
      g_free (fixture->users[i].refresh_token);
      g_clear_pointer (&fixture->users[i].caller, koers_server_caller_free);
    }
  g_free (fixture->organisation_a);
  g_free (fixture->organisation_b);
  g_clear_pointer (&fixture->check, koers_spec_check_free);
  g_clear_object (&fixture->session);
  if (fixture->server != NULL)
    koers_server_disconnect (fixture->server);
  g_clear_object (&fixture->server);
  /* Let the closed connections' sources run down before the database goes. */
  koers_test_server_spin (20);
  g_clear_pointer (&fixture->db, koers_server_db_free);
  g_free (fixture->location);
  g_free (fixture);
}

const char *
koers_test_server_token (KoersTestServer *fixture,
                         KoersTestUserId  user)
{
  g_assert_cmpint (user, <, KOERS_TEST_N_USERS);
  return fixture->users[user].access_token;
}

void
koers_test_server_check (KoersTestServer    *fixture,
                         const char         *method,
                         const char         *path,
                         guint               status,
                         SoupMessageHeaders *headers,
                         GBytes             *body)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;

  /* The OAuth pages are not part of the API specification (and the login page has its own
   * Content-Security-Policy): only API-Version and Retry-After rules apply to them. */
  if (g_str_has_prefix (path, "/oauth/"))
    {
      g_assert_cmpstr (soup_message_headers_get_one (headers, "API-Version"), ==, "1.0.0");
      if (status == 429 || status == 503)
        g_assert_nonnull (soup_message_headers_get_one (headers, "Retry-After"));
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (security_headers); i++)
    {
      const char *value = soup_message_headers_get_one (headers, security_headers[i][0]);

      if (g_strcmp0 (value, security_headers[i][1]) != 0)
        g_error ("%s %s -> %u: header %s is \"%s\", expected \"%s\"", method, path, status,
                 security_headers[i][0], value ? value : "(missing)", security_headers[i][1]);
    }

  if (status >= 400)
    {
      const char *type = soup_message_headers_get_content_type (headers, NULL);

      if (g_strcmp0 (type, "application/problem+json") != 0)
        g_error ("%s %s -> %u: error with Content-Type %s", method, path, status,
                 type ? type : "(none)");
      text = data != NULL ? g_strndup (data, length) : g_strdup ("");
      for (guint i = 0; leak_markers[i] != NULL; i++)
        if (strstr (text, leak_markers[i]) != NULL)
          g_error ("%s %s -> %u: error body leaks \"%s\": %s", method, path, status,
                   leak_markers[i], text);
    }
  if (status == 401 && soup_message_headers_get_one (headers, "WWW-Authenticate") == NULL)
    g_error ("%s %s -> 401 without WWW-Authenticate", method, path);
  if ((status == 503 || status == 429)
      && soup_message_headers_get_one (headers, "Retry-After") == NULL)
    g_error ("%s %s -> %u without Retry-After", method, path, status);

  if (!koers_spec_check_response (fixture->check, method, path, status, headers, body, &error))
    {
      /* KOERS_TEST_SPEC_CHECK=report (never set by meson) lists every mismatch of a run
       * instead of stopping at the first, for diagnosis. */
      if (g_strcmp0 (g_getenv ("KOERS_TEST_SPEC_CHECK"), "report") == 0)
        g_printerr ("SPEC MISMATCH: %s\n", error->message);
      else
        g_error ("%s %s -> %u does not match the specification: %s", method, path, status,
                 error->message);
    }
}

typedef struct {
  GBytes  *body;
  GError  *error;
  gboolean done;
} SendState;

static void
send_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SendState *state = user_data;

  state->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &state->error);
  state->done = TRUE;
}

KoersTestReply *
koers_test_server_send (KoersTestServer    *fixture,
                        const char         *method,
                        const char         *path,
                        const char         *token,
                        const char * const *extra,
                        const char         *content_type,
                        GBytes             *body)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", fixture->port, path);
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  SoupMessageHeaders *request_headers;
  KoersTestReply *reply;
  SendState state = { 0 };
  const char *reply_type;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (request_headers, "Authorization", bearer);
    }
  for (guint i = 0; extra != NULL && extra[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (extra[i], ": ", 2);

      g_assert_nonnull (pair[1]);
      soup_message_headers_replace (request_headers, pair[0], pair[1]);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type ? content_type
                                                                : "application/json", body);

  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, NULL,
                                    send_done_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (state.error);

  reply = g_new0 (KoersTestReply, 1);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  reply->body = state.body;

  reply_type = soup_message_headers_get_content_type (reply->headers, NULL);
  if (g_bytes_get_size (reply->body) > 0
      && (g_strcmp0 (reply_type, "application/json") == 0
          || g_strcmp0 (reply_type, "application/problem+json") == 0))
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;

      json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                  (gssize) g_bytes_get_size (reply->body), &error);
      g_assert_no_error (error);
      reply->json = json_node_copy (json_parser_get_root (parser));
    }

  koers_test_server_check (fixture, method, path, reply->status, reply->headers, reply->body);
  return reply;
}

void
koers_test_reply_free (KoersTestReply *reply)
{
  if (reply == NULL)
    return;

  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->json, json_node_unref);
  g_free (reply);
}

JsonNode *
koers_test_server_request (KoersTestServer     *fixture,
                           const char          *method,
                           const char          *path,
                           const char          *token,
                           const char          *json_body,
                           guint               *out_status,
                           SoupMessageHeaders **out_headers)
{
  g_autoptr (GBytes) body = json_body != NULL ? g_bytes_new (json_body, strlen (json_body))
                                              : NULL;
  g_autoptr (KoersTestReply) reply = NULL;

  reply = koers_test_server_send (fixture, method, path, token, NULL, NULL, body);
  if (out_status != NULL)
    *out_status = reply->status;
  if (out_headers != NULL)
    *out_headers = soup_message_headers_ref (reply->headers);

  return g_steal_pointer (&reply->json);
}

/* ---- records through the engine --------------------------------------------------------- */

static JsonObject *
parse_object (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
engine_create (KoersTestServer *fixture,
               KoersTestUserId  creator,
               const char      *entity,
               const char      *json)
{
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr (JsonObject) fields = parse_object (json);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;

  record = koers_server_engine_write (koers_server_get_engine (fixture->server),
                                      fixture->users[creator].caller, entity, id,
                                      KOERS_SERVER_WRITE_CREATE, fields, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (record);
  return g_steal_pointer (&id);
}

char *
koers_test_server_add_participant (KoersTestServer *fixture,
                                   KoersTestUserId  creator,
                                   const char      *coach_id,
                                   const char      *name)
{
  g_autofree char *json = g_strdup_printf ("{\"naam\": \"%s\", \"gemeente\": \"winterswijk\", "
                                           "\"doelgroep\": \"statusholder\", "
                                           "\"status\": \"registered\", \"coachId\": \"%s\"}",
                                           name, coach_id);

  koers_spec_check_forbid_text (fixture->check, name);
  return engine_create (fixture, creator, "deelnemers", json);
}

char *
koers_test_server_add_child (KoersTestServer *fixture,
                             KoersTestUserId  creator,
                             const char      *entity,
                             const char      *participant_id)
{
  g_autofree char *json = NULL;

  if (g_str_equal (entity, "notities"))
    json = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"conversation\", "
                            "\"datum\": \"2026-11-02\", \"tekst\": \"Intakegesprek gehad.\"}",
                            participant_id);
  else if (g_str_equal (entity, "activiteiten"))
    json = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"training\", "
                            "\"titel\": \"Taaltraining\"}", participant_id);
  else if (g_str_equal (entity, "vaardigheden"))
    json = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"label\": \"Lassen\"}", participant_id);
  else if (g_str_equal (entity, "toestemmingen"))
    json = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"reikwijdte\": \"programme\", "
                            "\"gegevenDatum\": \"2026-11-02\"}", participant_id);
  else if (g_str_equal (entity, "statuswijzigingen"))
    json = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"vanStatus\": \"registered\", "
                            "\"naarStatus\": \"intake\", \"datum\": \"2026-11-02\"}",
                            participant_id);
  else
    g_assert_not_reached ();

  return engine_create (fixture, creator, entity, json);
}

gint64
koers_test_server_version (KoersTestServer *fixture,
                           KoersTestUserId  reader,
                           const char      *entity,
                           const char      *id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;

  record = koers_server_engine_get (koers_server_get_engine (fixture->server),
                                    fixture->users[reader].caller, entity, id, &error);
  if (record == NULL)
    return 0;

  return json_object_get_int_member (json_node_get_object (record), "versie");
}

JsonObject *
koers_test_object_of (JsonNode *node)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_get_object (node);
}

const char *
koers_test_problem_slug (JsonNode *node)
{
  static const char prefix[] = "https://koers.achterhoek.nl/problemen/";
  const char *type = json_object_get_string_member (koers_test_object_of (node), "type");

  g_assert_true (g_str_has_prefix (type, prefix));
  return type + strlen (prefix);
}
