/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Hostile HTTP input that an adversarial probe of koers-server found mishandled, one case per
 * finding, on both back ends; every answer also passes the fixture's checks (problem+json with
 * API-Version and the security headers, valid JSON, the specification):
 * - an Accept header with an empty range ("text/html,") reached GLib with NULL (a critical, and
 *   the range counted as allowing JSON);
 * - a JSON body declared in another charset was read as if it said nothing;
 * - a path that decodes to bytes that are not UTF-8 was echoed raw in `instance`, so the
 *   problem was no JSON;
 * - what libsoup refuses after reading the headers (a path with "%00", the target "*") went out
 *   as a bare status, without problem+json;
 * - a Content-Length that is no single number (two different values, "-1", one past 64 bits)
 *   or comes with Transfer-Encoding was taken as libsoup reads it (the last one, or a body of
 *   unknown length waited for until the request deadline);
 * - a query key given twice or without "=" was silently read as libsoup's table had it;
 * - deleting a device the caller may not see answered 404 with the admin tool's English
 *   sentence ("device: there is no device with this id");
 * - the header block's size limit (libsoup's, 64 KiB) was nowhere documented or tested.
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"
#include "koers-test-raw-client.h"

#include <string.h>

static KoersTestReply *
get_with (KoersTestServer *f,
          const char      *path,
          const char      *header)
{
  const char *extra[] = { header, NULL };

  return koers_test_server_send (f, "GET", path, koers_test_server_token (f, KOERS_TEST_A_COACH),
                                 extra, NULL, NULL);
}

static void
test_accept_empty_range (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *refused[] = { "Accept: text/html,", "Accept: ,", "Accept: ;;;,,," };
  g_autoptr (KoersTestReply) reply = NULL;

  /* An empty range names no type: it allows nothing, and the other ranges decide. */
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      reply = get_with (f, "/v1/profiel", refused[i]);
      g_assert_cmpuint (reply->status, ==, 406);
      g_clear_pointer (&reply, koers_test_reply_free);
    }
  reply = get_with (f, "/v1/profiel", "Accept: text/html, , application/json");
  g_assert_cmpuint (reply->status, ==, 200);
}

static void
test_json_charset (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (GBytes) body = g_bytes_new_static ("{\"zoekterm\": \"a\"}", 17);
  const char *refused[] = { "application/json; charset=latin1",
                            "application/json; charset=windows-1252", "application/json; x=y" };
  const char *accepted[] = { "application/json; charset=utf-8",
                             "Application/JSON; Charset=\"UTF-8\"" };
  g_autoptr (KoersTestReply) reply = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL, refused[i],
                                      body);
      g_assert_cmpuint (reply->status, ==, 415);
      g_clear_pointer (&reply, koers_test_reply_free);
    }
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      reply = koers_test_server_send (f, "POST", "/v1/deelnemers/_zoek", coach, NULL,
                                      accepted[i], body);
      g_assert_cmpuint (reply->status, ==, 200);
      g_clear_pointer (&reply, koers_test_reply_free);
    }
}

static void
test_instance_encoded (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const struct {
    const char *path;
    guint       status;
    const char *instance;
  } cases[] = {
    { "/v1/deelnemers/%ff%fe", 400, "/v1/deelnemers/%FF%FE" },
    { "/v1/bestaat%0a%22niet", 404, "/v1/bestaat%0A%22niet" },
    { "/v1/deelnemers/caf%c3%a9", 400, "/v1/deelnemers/caf\xc3\xa9" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (KoersTestReply) reply = get_with (f, cases[i].path, NULL);

      g_assert_cmpuint (reply->status, ==, cases[i].status);
      /* NULL when the body did not parse as JSON. */
      g_assert_nonnull (reply->json);
      g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (reply->json),
                                                      "instance"), ==, cases[i].instance);
    }
}

/* One raw request; returns the status of its answer (checked like every other) or 0 when the
 * connection closed without one. */
static guint
raw_status (KoersTestServer *f,
            const char      *request,
            const char      *method,
            const char      *path,
            guint            ms)
{
  RawClient *client = raw_connect (f);
  guint status = 0;

  g_assert_true (raw_write (client, request, strlen (request)));
  if (raw_wait_response (client, ms))
    status = raw_check_response (f, client, method, path);
  else
    g_assert_cmpuint (client->received->len, ==, 0);
  raw_free (client);
  return status;
}

static void
test_libsoup_refusals (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);

  g_assert_cmpuint (raw_status (f, "GET /v1/deelnemers/%00 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                "GET", "/v1/deelnemers/x", 3000), ==, 400);
  g_assert_cmpuint (raw_status (f, "OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                "OPTIONS", "*", 3000), ==, 404);
  g_assert_cmpuint (raw_status (f, "GET * HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
                                "GET", "*", 3000), ==, 404);
}

static void
test_framing (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  g_autofree char *bearer = g_strconcat ("Authorization: Bearer ",
                                         koers_test_server_token (f, KOERS_TEST_A_COACH), NULL);
  const char *search = "POST /v1/deelnemers/_zoek HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                       "Content-Type: application/json\r\n";
  const struct {
    const char *headers;
    const char *body;
    guint       status;
  } cases[] = {
    /* libsoup took the last: "{}" and three bytes of a request smuggled past a proxy that
     * took the first. */
    { "Content-Length: 2\r\nContent-Length: 5\r\n", "{}123", 400 },
    /* libsoup waited for a body of unknown length until the request deadline (60 s). */
    { "Content-Length: -1\r\n", "{}", 400 },
    { "Content-Length: 99999999999999999999999\r\n", "{}", 413 },
    { "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n", 400 },
    /* The same length twice says one thing: read as usual (an empty search term). */
    { "Content-Length: 2\r\nContent-Length: 2\r\n", "{}", 400 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *request = g_strdup_printf ("%s%s\r\n%s\r\n%s", search, bearer,
                                                  cases[i].headers, cases[i].body);
      RawClient *client = raw_connect (f);
      gint64 start = g_get_monotonic_time ();

      g_assert_true (raw_write (client, request, strlen (request)));
      g_assert_true (raw_wait_response (client, 5000));
      g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
      g_assert_cmpuint (raw_check_response (f, client, "POST", "/v1/deelnemers/_zoek"), ==,
                        cases[i].status);
      /* A refused framing leaves the connection unusable: closed, nothing more answered. */
      if (i < 4)
        {
          g_assert_true (raw_wait_closed (client, 3000));
          g_assert_cmpuint (client->received->len, ==, 0);
        }
      raw_free (client);
    }
}

static void
test_query_keys (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const struct {
    const char *path;
    const char *name;
  } cases[] = {
    { "/v1/deelnemers?limiet=1&limiet=2", "limiet" },
    { "/v1/conflicten?opgelost=true&opgelost=false", "opgelost" },
    { "/v1/deelnemers?limiet", "limiet" },
    { "/v1/kengetallen?x", "x" },
    { "/v1/deelnemers?cursor=%00", "cursor" },
  };
  g_autoptr (KoersTestReply) reply = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      JsonArray *fields;

      reply = get_with (f, cases[i].path, NULL);
      g_assert_cmpuint (reply->status, ==, 400);
      fields = json_object_get_array_member (koers_test_object_of (reply->json),
                                             "ongeldigeVelden");
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (fields, 0),
                                                      "naam"), ==, cases[i].name);
      g_clear_pointer (&reply, koers_test_reply_free);
    }

  /* Empty pieces name nothing: as before. */
  reply = get_with (f, "/v1/deelnemers?&limiet=5&", NULL);
  g_assert_cmpuint (reply->status, ==, 200);
}

/* Another organisation's device, or a colleague's: 404 in the API's language, saying no more
 * than a record's 404 does, and the device keeps working. */
static void
test_foreign_device (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const KoersTestUserId owners[] = { KOERS_TEST_B_COACH, KOERS_TEST_A_COLLEAGUE };

  for (guint i = 0; i < G_N_ELEMENTS (owners); i++)
    {
      g_autofree char *path = g_strdup_printf ("/v1/apparaten/%s",
                                               f->users[owners[i]].device_id);
      g_autoptr (KoersTestReply) reply = NULL;
      g_autoptr (JsonNode) node = NULL;
      guint status = 0;

      reply = koers_test_server_send (f, "DELETE", path,
                                      koers_test_server_token (f, KOERS_TEST_A_COACH), NULL, NULL,
                                      NULL);
      g_assert_cmpuint (reply->status, ==, 404);
      g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (reply->json),
                                                      "detail"), ==,
                       "Het apparaat bestaat niet of valt buiten uw bereik.");

      node = koers_test_server_request (f, "GET", "/v1/profiel",
                                        koers_test_server_token (f, owners[i]), NULL, &status,
                                        NULL);
      g_assert_cmpuint (status, ==, 200);
    }
}

/* docs/api-protocol.md: the request line and headers together at most 64 KiB (libsoup's own
 * limit); past it the connection is closed unanswered. */
static void
test_header_limit (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *head = "GET /v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Vulling: ";
  const gsize sizes[] = { 60 * 1024, 68 * 1024 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr (GString) request = g_string_new (head);
      RawClient *client;

      while (request->len < sizes[i] - 4)
        g_string_append_c (request, 'a');
      g_string_append (request, "\r\n\r\n");
      client = raw_connect (f);
      g_assert_true (raw_write (client, request->str, request->len));
      if (i == 0)
        {
          g_assert_true (raw_wait_response (client, 5000));
          g_assert_cmpuint (raw_check_response (f, client, "GET", "/v1/openapi.json"), ==, 200);
        }
      else
        {
          g_assert_true (raw_wait_closed (client, 5000));
          g_assert_cmpuint (client->received->len, ==, 0);
        }
      raw_free (client);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-http-probe/accept-empty-range", test_accept_empty_range);
  koers_test_server_db_add ("/server-http-probe/json-charset", test_json_charset);
  koers_test_server_db_add ("/server-http-probe/instance-encoded", test_instance_encoded);
  koers_test_server_db_add ("/server-http-probe/libsoup-refusals", test_libsoup_refusals);
  koers_test_server_db_add ("/server-http-probe/framing", test_framing);
  koers_test_server_db_add ("/server-http-probe/query-keys", test_query_keys);
  koers_test_server_db_add ("/server-http-probe/foreign-device", test_foreign_device);
  koers_test_server_db_add ("/server-http-probe/header-limit", test_header_limit);

  return g_test_run ();
}
