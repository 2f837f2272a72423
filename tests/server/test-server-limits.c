/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server's limits (docs/api-protocol.md, "Limits"), each tested at and just above the
 * limit: request body 1 MiB (413, refused before the body is read, by Content-Length and while
 * a chunked body arrives), JSON nesting 64 (400, checked before json-glib parses, so a body of
 * a hundred thousand '[' does not crash the server), failing fast (503 + Retry-After) when
 * another process holds the database's write lock, and the login back-off's 429 +
 * Retry-After passed through the server with its headers. The connection limits (deadlines,
 * the cap) are in test-server-connections.c.
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"
#include "koers-test-raw-client.h"
#include "server/koers-server-json.h"
#include "server/koers-server-db-private.h"

#include <string.h>

/* ---- body size -------------------------------------------------------------------------- */

/* A JSON object of exactly @size bytes: {"zoekterm": "a", "x": "aaa..."}. */
static GBytes *
json_of_size (gsize size)
{
  const char *head = "{\"zoekterm\": \"a\", \"x\": \"";
  GString *text = g_string_new (head);

  while (text->len < size - 2)
    g_string_append_c (text, 'a');
  g_string_append (text, "\"}");
  g_assert_cmpuint (text->len, ==, size);
  return g_string_free_to_bytes (text);
}

static void
test_body_limit (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (GBytes) at_limit = json_of_size (KOERS_SERVER_BODY_LIMIT);
  g_autoptr (GBytes) above = json_of_size (KOERS_SERVER_BODY_LIMIT + 1);
  g_autoptr (KoersTestReply) reply = NULL;
  g_autoptr (JsonNode) node = NULL;
  guint status = 0;

  /* Exactly 1 MiB is read and judged on content (an unknown member: 400, not 413). */
  reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, NULL,
                                  at_limit);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_true (json_object_has_member (json_node_get_object (reply->json),
                                         "ongeldigeVelden"));
  g_clear_pointer (&reply, koers_test_reply_free);

  /* One byte more: 413, decided from Content-Length. */
  reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, NULL, above);
  g_assert_cmpuint (reply->status, ==, 413);
  g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "Connection"), ==, "close");
  g_clear_pointer (&reply, koers_test_reply_free);

  /* With Expect: 100-continue the body is never sent at all. */
  {
    const char *extra[] = { "Expect: 100-continue", NULL };

    reply = koers_test_server_send (f, "POST", "/v1/mutaties", coach, extra, NULL, above);
    g_assert_cmpuint (reply->status, ==, 413);
    g_clear_pointer (&reply, koers_test_reply_free);
  }

  /* The server is still serving. */
  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* A chunked body has no Content-Length: it is counted as it arrives and refused once past the
 * limit, without waiting for the rest. */
static void
test_chunked_body_limit (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *head = g_strdup_printf ("POST /v1/mutaties HTTP/1.1\r\n"
                                           "Host: 127.0.0.1\r\n"
                                           "Authorization: Bearer %s\r\n"
                                           "Content-Type: application/json\r\n"
                                           "Transfer-Encoding: chunked\r\n\r\n", coach);
  g_autofree char *chunk = g_malloc (64 * 1024);
  RawClient *client = raw_connect (f);
  gsize sent = 0;

  memset (chunk, ' ', 64 * 1024);
  g_assert_true (raw_write (client, head, strlen (head)));
  /* 17 chunks of 64 KiB = 1088 KiB; the server must not wait for a final chunk that never
   * comes. */
  while (sent <= KOERS_SERVER_BODY_LIMIT)
    {
      const char *size_line = "10000\r\n";

      if (!raw_write (client, size_line, strlen (size_line))
          || !raw_write (client, chunk, 64 * 1024) || !raw_write (client, "\r\n", 2))
        break;
      sent += 64 * 1024;
    }
  g_assert_true (raw_wait_closed (client, 5000));
  g_assert_cmpuint (raw_check_response (f, client, "POST", "/v1/mutaties"), ==, 413);
  raw_free (client);
}

/* ---- nesting ---------------------------------------------------------------------------- */

static GBytes *
nested_search (guint depth)
{
  GString *text = g_string_new ("{\"zoekterm\": \"a\", \"x\": ");

  /* The top-level object is level 1; the arrays are levels 2..depth. */
  for (guint i = 1; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 1; i < depth; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  return g_string_free_to_bytes (text);
}

static void
test_json_depth (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (GBytes) at_limit = nested_search (KOERS_SERVER_JSON_MAX_DEPTH);
  g_autoptr (GBytes) above = nested_search (KOERS_SERVER_JSON_MAX_DEPTH + 1);
  g_autoptr (KoersTestReply) reply = NULL;
  g_autoptr (JsonNode) node = NULL;
  GString *bomb = g_string_new ("{\"zoekterm\": ");
  g_autoptr (GBytes) bomb_bytes = NULL;
  guint status = 0;

  /* 64 levels parse; the search then refuses the unknown member "x" by name. */
  reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, NULL,
                                  at_limit);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_true (json_object_has_member (json_node_get_object (reply->json),
                                         "ongeldigeVelden"));
  g_clear_pointer (&reply, koers_test_reply_free);

  /* 65 levels never reach the parser. */
  reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, NULL, above);
  g_assert_cmpuint (reply->status, ==, 400);
  g_assert_false (json_object_has_member (json_node_get_object (reply->json),
                                          "ongeldigeVelden"));
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (reply->json),
                                                           "detail"), "64"));
  g_clear_pointer (&reply, koers_test_reply_free);

  /* What crashes json-glib 1.6.6: a hundred thousand open brackets. */
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (bomb, '[');
  bomb_bytes = g_string_free_to_bytes (bomb);
  reply = koers_test_server_send (f, "POST", "/v1/mutaties", coach, NULL, NULL, bomb_bytes);
  g_assert_cmpuint (reply->status, ==, 400);
  g_clear_pointer (&reply, koers_test_reply_free);

  /* Brackets inside strings are text, not nesting. */
  {
    GString *text = g_string_new ("{\"zoekterm\": \"");
    g_autoptr (GBytes) bytes = NULL;

    for (guint i = 0; i < 150; i++)
      g_string_append (text, "[");
    g_string_append (text, "\\\"{\"}");
    bytes = g_string_free_to_bytes (text);
    reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, NULL, bytes);
    g_assert_cmpuint (reply->status, ==, 200);
    g_clear_pointer (&reply, koers_test_reply_free);
  }

  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
}

/* Bodies are read as RFC 8259 JSON, as strictly as the clients read the answers: what
 * json-glib took (comments, single quotes, trailing text, a byte-order mark) and what it got
 * wrong (2^63 wrapped to a negative number) is 400 with the place, and nothing of the text. */
static void
test_strict_json (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  static const struct {
    const char *body;
    const char *detail;
  } refused[] = {
    { "{\"zoekterm\": \"Ada\"} x", "(regel 1, kolom 21)" },
    { "{\"zoekterm\": 'Ada'}", "(regel 1, kolom 14)" },
    { "{\"zoekterm\": \"Ada\" /* c */}", "(regel 1, kolom 20)" },
    { "\xef\xbb\xbf{\"zoekterm\": \"Ada\"}", "(regel 1, kolom 1)" },
    { "{\"zoekterm\": \"Ada\",\n \"limiet\": 9223372036854775808}", "regel 2, kolom 12" },
    /* Which "zoekterm" would count is open in RFC 8259: neither does. */
    { "{\"zoekterm\": \"Bob\", \"zoekterm\": \"Ada\"}",
      "op regel 1, kolom 21 een naam die het object al had" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (refused[i].body, strlen (refused[i].body));
      g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "POST",
                                                                 "/v1/deelnemers/_zoek", coach,
                                                                 NULL, NULL, bytes);
      const char *detail;

      g_assert_cmpuint (reply->status, ==, 400);
      detail = json_object_get_string_member (json_node_get_object (reply->json), "detail");
      if (strstr (detail, refused[i].detail) == NULL)
        g_error ("body %u: \"%s\" does not say \"%s\"", i, detail, refused[i].detail);
      g_assert_null (strstr (detail, "Ada"));
    }
  {
    g_autoptr (GBytes) fine = g_bytes_new_static ("{\"zoekterm\": \"Ada\"}", 19);
    g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "POST",
                                                               "/v1/deelnemers/_zoek", coach,
                                                               NULL, NULL, fine);

    g_assert_cmpuint (reply->status, ==, 200);
  }
}

/* ---- fail fast when the database is locked elsewhere ------------------------------------ */

/* Another process (the admin tool, a second server, a backup) holds organisation A's write
 * lock. The server answers on one thread, so a request must not wait seconds for it: 503 with
 * a short Retry-After after a quarter second, and the audit row of that failed request does
 * not wait a second time. Requests that need no database are not held up at all. */
static void
test_lock_fails_fast (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (GError) error = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *body = NULL;
  KoersServerDb *other;
  guint64 retry = 0;
  guint status = 0;
  gint64 start;

  g_assert_cmpuint (koers_server_db_get_lock_timeout (f->db), ==,
                    KOERS_SERVER_REQUEST_LOCK_TIMEOUT_MS);
  other = koers_server_db_open (f->location, &error);
  g_assert_no_error (error);
  koers_server_db_begin (other, f->organisation_a, &error);
  g_assert_no_error (error);

  body = g_strdup_printf ("{\"naam\": \"Ada Jansen\", \"gemeente\": \"doetinchem\", "
                          "\"doelgroep\": \"statusholder\", \"coachId\": \"%s\"}",
                          f->users[KOERS_TEST_A_COACH].user_id);
  start = g_get_monotonic_time ();
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, body, &status,
                                    &headers);
  g_assert_cmpuint (status, ==, 503);
  /* One wait of 250 ms, not 5 s, and not two. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 480 * 1000);
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (headers,
                                                                           "Retry-After"),
                                             10, 1, 2, &retry, NULL));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* No database at all: answered at once even now. */
  start = g_get_monotonic_time ();
  node = koers_test_server_request (f, "GET", "/v1/openapi.json", NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "GET", "/v1/bestaat-niet", NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  /* (Generous: the test client checks each answer against the specification, which is
   * slow under AddressSanitizer.) */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1000 * 1000);
  g_clear_pointer (&node, json_node_unref);

  /* The lock goes: the same request succeeds, with the usual lock timeout still in place. */
  koers_server_db_rollback (other);
  koers_server_db_free (other);
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, body, &status, NULL);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpuint (koers_server_db_get_lock_timeout (f->db), ==,
                    KOERS_SERVER_REQUEST_LOCK_TIMEOUT_MS);
}

/* ---- login back-off through the server -------------------------------------------------- */

static void
test_login_backoff (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  g_autofree char *form = soup_form_encode ("client_id", "koers-desktop",
                                            "redirect_uri", "nl.achterhoek.koers:/oauth/terug",
                                            "code_challenge",
                                            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
                                            "code_challenge_method", "S256",
                                            "gebruikersnaam", "coach.a",
                                            "wachtwoord", "fout wachtwoord",
                                            "state", "s1",
                                            NULL);
  g_autoptr (GBytes) body = g_bytes_new (form, strlen (form));
  guint last = 0;

  /* Five wrong passwords, then the back-off answers 429 with Retry-After, with the API's
   * headers. */
  for (guint i = 0; i < 6; i++)
    {
      const char *form_type = "application/x-www-form-urlencoded";
      g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "POST",
                                                                 "/oauth/autoriseren", NULL,
                                                                 NULL, form_type, body);
      last = reply->status;
      if (i < 5)
        g_assert_cmpuint (reply->status, ==, 200);
      else
        {
          guint64 seconds = 0;

          g_assert_cmpuint (reply->status, ==, 429);
          g_assert_true (g_ascii_string_to_unsigned (
                           soup_message_headers_get_one (reply->headers, "Retry-After"), 10, 1,
                           900, &seconds, NULL));
          g_assert_cmpstr (soup_message_headers_get_one (reply->headers, "API-Version"), ==,
                           "1.0.0");
        }
    }
  g_assert_cmpuint (last, ==, 429);
}

/* A member name the server does not know is named in the 400 only when it looks like a field
 * name: never a control character, never kilobytes of whatever the client sent. */
static void
test_hostile_member_names (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *id = koers_test_server_add_participant (
    f, KOERS_TEST_A_COACH, f->users[KOERS_TEST_A_COACH].user_id, "Ada Jansen");
  g_autofree char *path = g_strdup_printf ("/v1/deelnemers/%s/uitkomst", id);
  g_autofree char *if_match = g_strdup_printf (
    "If-Match: \"%" G_GINT64_FORMAT "\"",
    koers_test_server_version (f, KOERS_TEST_A_COACH, "deelnemers", id));
  const char *extra[] = { if_match, NULL };
  g_autofree char *long_name = g_strnfill (300, 'x');
  g_autofree char *long_body = g_strdup_printf ("{\"%s\": 1}", long_name);
  const char *bodies[] = { long_body, "{\"a\\u0007b\": 1}", "{\"uit komst\": 1}" };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GBytes) bytes = g_bytes_new (bodies[i], strlen (bodies[i]));
      g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "PUT", path, coach, extra,
                                                                 NULL, bytes);
      JsonObject *problem;
      JsonObject *field;

      g_assert_cmpuint (reply->status, ==, 400);
      problem = json_node_get_object (reply->json);
      field = json_array_get_object_element (
        json_object_get_array_member (problem, "ongeldigeVelden"), 0);
      g_assert_cmpstr (json_object_get_string_member (field, "naam"), ==, "(onbekend veld)");
      g_assert_null (strstr (json_object_get_string_member (problem, "detail"), "xxxxxxxx"));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-limits/body", test_body_limit);
  koers_test_server_db_add ("/server-limits/chunked-body", test_chunked_body_limit);
  koers_test_server_db_add ("/server-limits/json-depth", test_json_depth);
  koers_test_server_db_add ("/server-limits/strict-json", test_strict_json);
  koers_test_server_db_add ("/server-limits/lock-fails-fast", test_lock_fails_fast);
  koers_test_server_db_add ("/server-limits/login-backoff", test_login_backoff);
  koers_test_server_db_add ("/server-limits/hostile-member-names", test_hostile_member_names);

  return g_test_run ();
}
