/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server over HTTP, route by route, on both back ends: statuses, headers and bodies as
 * docs/api-protocol.md and data/api/openapi.json say (every response also passes the spec
 * checker in the fixture),; the sync round trip is in
 * test-server-http-sync.c.
 */
#include "config.h"

#include "koers-test-server.h"
#include "server/koers-server-http-private.h"

#include "koers-test-postgres.h"

#include <string.h>

static const char *
header (SoupMessageHeaders *headers,
        const char         *name)
{
  return soup_message_headers_get_one (headers, name);
}

static char *
etag_of (gint64 version)
{
  return g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", version);
}

/* ---- general rules ---------------------------------------------------------------------- */

static void
test_general (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (KoersTestReply) reply = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  guint status = 0;

  /* The specification needs no login and is the document itself. */
  node = koers_test_server_request (f, "GET", "/v1/openapi.json", NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_object_has_member (koers_test_object_of (node), "openapi"));
  g_assert_true (json_object_has_member (koers_test_object_of (node), "paths"));
  g_clear_pointer (&node, json_node_unref);

  /* Unknown paths: 404 problem+json, still with API-Version (checked by the fixture). */
  node = koers_test_server_request (f, "GET", "/v1/bestaat-niet", coach, NULL, &status,
                                    &headers);
  g_assert_cmpuint (status, ==, 404);
  g_assert_cmpstr (header (headers, "API-Version"), ==, "1.0.0");
  g_assert_cmpstr (koers_test_problem_slug (node), ==, "niet-gevonden");
  g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (node), "instance"), ==,
                   "/v1/bestaat-niet");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  node = koers_test_server_request (f, "GET", "/", NULL, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "GET", "/v1/deelnemers/", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&node, json_node_unref);

  /* A method the path does not have: 405 with Allow. */
  node = koers_test_server_request (f, "PATCH", "/v1/deelnemers", coach, "{}", &status,
                                    &headers);
  g_assert_cmpuint (status, ==, 405);
  g_assert_nonnull (strstr (header (headers, "Allow"), "POST"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  node = koers_test_server_request (f, "GET", "/v1/deelnemers/_zoek", coach, NULL, &status,
                                    NULL);
  g_assert_cmpuint (status, ==, 405);
  g_clear_pointer (&node, json_node_unref);

  /* No token, a made-up token: 401 with WWW-Authenticate: Bearer. */
  node = koers_test_server_request (f, "GET", "/v1/profiel", NULL, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 401);
  g_assert_true (g_str_has_prefix (header (headers, "WWW-Authenticate"), "Bearer"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  node = koers_test_server_request (f, "GET", "/v1/profiel",
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", NULL,
                                    &status, &headers);
  g_assert_cmpuint (status, ==, 401);
  g_assert_nonnull (strstr (header (headers, "WWW-Authenticate"), "error=\"invalid_token\""));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Unknown query keys and bad page sizes are bad input, named in ongeldigeVelden. */
  node = koers_test_server_request (f, "GET", "/v1/deelnemers?sorteer=naam", coach, NULL,
                                    &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_assert_cmpstr (koers_test_problem_slug (node), ==, "ongeldige-invoer");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (koers_test_object_of (node), "ongeldigeVelden"), 0),
                     "naam"), ==, "sorteer");
  g_clear_pointer (&node, json_node_unref);
  for (guint i = 0; i < 3; i++)
    {
      const char *paths[] = { "/v1/deelnemers?limiet=0", "/v1/deelnemers?limiet=501",
                              "/v1/wijzigingen?limiet=tien" };

      node = koers_test_server_request (f, "GET", paths[i], coach, NULL, &status, NULL);
      g_assert_cmpuint (status, ==, 400);
      g_clear_pointer (&node, json_node_unref);
    }
  node = koers_test_server_request (f, "GET", "/v1/deelnemers/GEEN-UUID", coach, NULL, &status,
                                    NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);

  /* Bodies: malformed JSON 400, not an object 400, wrong media type 415, Accept 406. */
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, "{\"naam\": ", &status,
                                    NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, "[1, 2]", &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autoptr (GBytes) body = g_bytes_new_static ("naam=x", 6);

    reply = koers_test_server_send (f, "POST", "/v1/deelnemers", coach, NULL,
                                    "application/x-www-form-urlencoded", body);
    g_assert_cmpuint (reply->status, ==, 415);
    g_clear_pointer (&reply, koers_test_reply_free);
  }
  {
    const char *extra[] = { "Accept: text/html", NULL };

    reply = koers_test_server_send (f, "GET", "/v1/profiel", coach, extra, NULL, NULL);
    g_assert_cmpuint (reply->status, ==, 406);
    g_clear_pointer (&reply, koers_test_reply_free);
  }

  /* The profile: who, which role, which organisation, which device. */
  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (node), "gebruikerId"), ==,
                   f->users[KOERS_TEST_A_COACH].user_id);
  g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (node), "rol"), ==, "coach");
  g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (node), "apparaatId"), ==,
                   f->users[KOERS_TEST_A_COACH].device_id);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (koers_test_object_of (node), "organisatie"), "naam"),
                   ==, "Werkplein Achterhoek");
  g_clear_pointer (&node, json_node_unref);

  /* Only the specification's methods: OPTIONS is not one of them. */
  reply = koers_test_server_send (f, "OPTIONS", "/v1/profiel", coach, NULL, NULL, NULL);
  g_assert_cmpuint (reply->status, ==, 405);
  g_assert_cmpstr (header (reply->headers, "Allow"), ==, "GET");
}

/* ---- participants as a REST resource ---------------------------------------------------- */

static void
test_participants (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  const char *supporter = koers_test_server_token (f, KOERS_TEST_A_ONDERSTEUNER);
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autofree char *body = NULL;
  g_autofree char *location = NULL;
  g_autofree char *id = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *stale = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  koers_spec_check_forbid_text (f->check, "Fatima Yilmaz");
  koers_spec_check_forbid_text (f->check, "Yilmaz");
  body = g_strdup_printf ("{\"naam\": \"Fatima Yilmaz\", \"gemeente\": \"aalten\", "
                          "\"doelgroep\": \"statusholder\", \"status\": \"registered\", "
                          "\"coachId\": \"%s\"}", f->users[KOERS_TEST_A_COACH].user_id);
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, body, &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  id = g_strdup (json_object_get_string_member (koers_test_object_of (node), "id"));
  location = g_strdup_printf ("/v1/deelnemers/%s", id);
  g_assert_cmpstr (header (headers, "Location"), ==, location);
  etag = etag_of (json_object_get_int_member (koers_test_object_of (node), "versie"));
  g_assert_cmpstr (header (headers, "ETag"), ==, etag);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (koers_test_object_of (node), "gegevens"), "naam"),
                   ==, "Fatima Yilmaz");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Read back at the Location, with the same ETag. */
  node = koers_test_server_request (f, "GET", location, coach, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (header (headers, "ETag"), ==, etag);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* A bad field is 400 naming the field, without echoing the value. */
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach,
                                    "{\"naam\": \"Yilmaz\", \"gemeente\": \"parijs\", "
                                    "\"doelgroep\": \"statusholder\"}", &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_assert_true (json_object_has_member (koers_test_object_of (node), "ongeldigeVelden"));
  g_clear_pointer (&node, json_node_unref);

  /* Writes need If-Match: missing 428, stale 412, current 200 with a new ETag. */
  g_clear_pointer (&body, g_free);
  body = g_strdup_printf ("{\"naam\": \"Fatima Yilmaz\", \"gemeente\": \"aalten\", "
                          "\"doelgroep\": \"statusholder\", \"status\": \"intake\", "
                          "\"coachId\": \"%s\"}", f->users[KOERS_TEST_A_COACH].user_id);
  node = koers_test_server_request (f, "PUT", location, coach, body, &status, NULL);
  g_assert_cmpuint (status, ==, 428);
  g_assert_cmpstr (koers_test_problem_slug (node), ==, "if-match-vereist");
  g_clear_pointer (&node, json_node_unref);
  {
    const char *extra[] = { "If-Match: \"999999\"", NULL };
    g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "PUT", location, coach, extra,
                                                               NULL, bytes);

    g_assert_cmpuint (reply->status, ==, 412);
  }
  {
    g_autofree char *if_match = g_strdup_printf ("If-Match: %s", etag);
    const char *extra[] = { if_match, NULL };
    g_autoptr (GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "PUT", location, coach, extra,
                                                               NULL, bytes);

    if (reply->status != 200)
      g_error ("PUT: %s", (const char *) g_bytes_get_data (reply->body, NULL));
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpstr (header (reply->headers, "ETag"), !=, etag);
    g_assert_cmpstr (json_object_get_string_member (
                       json_object_get_object_member (koers_test_object_of (reply->json), "gegevens"),
                       "status"), ==, "intake");
    stale = g_steal_pointer (&etag);
    etag = g_strdup (header (reply->headers, "ETag"));
  }

  /* The outcome resource: two fields of the participant, same ETag. */
  path = g_strdup_printf ("%s/uitkomst", location);
  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (header (headers, "ETag"), ==, etag);
  g_assert_true (json_object_get_null_member (koers_test_object_of (node), "uitkomst"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  {
    g_autofree char *if_match = g_strdup_printf ("If-Match: %s", etag);
    const char *extra[] = { if_match, NULL };
    const char *outcome = "{\"uitkomst\": \"work\", \"uitkomstDatum\": \"2026-11-20\"}";
    const char *not_outcome = "{\"naam\": \"x\"}";
    g_autoptr (GBytes) bytes = g_bytes_new_static (outcome, strlen (outcome));
    g_autoptr (GBytes) wrong = g_bytes_new_static (not_outcome, strlen (not_outcome));
    g_autoptr (KoersTestReply) reply = NULL;

    reply = koers_test_server_send (f, "PUT", path, coach, extra, NULL, wrong);
    g_assert_cmpuint (reply->status, ==, 400);
    g_clear_pointer (&reply, koers_test_reply_free);
    reply = koers_test_server_send (f, "PUT", path, coach, extra, NULL, bytes);
    g_assert_cmpuint (reply->status, ==, 200);
    g_assert_cmpstr (json_object_get_string_member (koers_test_object_of (reply->json), "uitkomst"), ==,
                     "work");
    g_free (etag);
    etag = g_strdup (header (reply->headers, "ETag"));
  }

  /* Lists: pages with Link rel="next"; a second participant makes two pages of one. */
  g_free (koers_test_server_add_participant (f, KOERS_TEST_A_ONDERSTEUNER,
                                             f->users[KOERS_TEST_A_COACH].user_id,
                                             "Jan de Vries"));
  node = koers_test_server_request (f, "GET", "/v1/deelnemers?limiet=1", coach, NULL, &status,
                                    &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
  g_assert_nonnull (header (headers, "Link"));
  g_assert_nonnull (strstr (header (headers, "Link"), "rel=\"next\""));
  {
    const char *link = header (headers, "Link");
    const char *start = strchr (link, '<') + 1;
    g_autofree char *next = g_strndup (start, strchr (link, '>') - start);
    g_autoptr (JsonNode) page = NULL;
    g_autoptr (SoupMessageHeaders) page_headers = NULL;

    page = koers_test_server_request (f, "GET", next, coach, NULL, &status, &page_headers);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (page),
                                                                           "items")), ==, 1);
    g_assert_null (header (page_headers, "Link"));
    g_assert_true (json_object_get_null_member (koers_test_object_of (page), "volgendeCursor"));
  }
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* Search by name, in the body only. */
  node = koers_test_server_request (f, "POST", "/v1/deelnemers/_zoek", coach,
                                    "{\"zoekterm\": \"yilmaz\"}", &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "POST", "/v1/deelnemers/_zoek", coach,
                                    "{\"zoekterm\": \"yilmaz\", \"sorteer\": 1}", &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);

  /* Every read of the participant left an audit row the ondersteuner can see. */
  g_free (path);
  path = g_strdup_printf ("/v1/audit-gebeurtenissen?recordId=%s", id);
  node = koers_test_server_request (f, "GET", path, supporter, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *items = json_object_get_array_member (koers_test_object_of (node), "items");
    gboolean read = FALSE, created = FALSE, changed = FALSE, listed = FALSE, searched = FALSE;

    /* Lists and searches name every participant they returned (deelnemerId), so "who looked
     * at this participant" includes them. */
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *event = json_array_get_object_element (items, i);
        const char *action = json_object_get_string_member (event, "actie");
        gboolean single = !json_object_get_null_member (event, "recordId");

        g_assert_cmpstr (json_object_get_string_member (event, "deelnemerId"), ==, id);
        if (single)
          g_assert_cmpstr (json_object_get_string_member (event, "recordId"), ==, id);
        read |= g_str_equal (action, "lezen") && single;
        listed |= g_str_equal (action, "lezen") && !single;
        searched |= g_str_equal (action, "zoeken");
        created |= g_str_equal (action, "aanmaken");
        changed |= g_str_equal (action, "wijzigen");
      }
    g_assert_true (read && created && changed);
    g_assert_true (listed && searched);
  }
  g_clear_pointer (&node, json_node_unref);

  /* Delete: If-Match required, 204 with the new version, then gone. */
  node = koers_test_server_request (f, "DELETE", location, coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 428);
  g_clear_pointer (&node, json_node_unref);
  {
    g_autofree char *if_match = g_strdup_printf ("If-Match: %s", etag);
    const char *extra[] = { if_match, NULL };
    g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "DELETE", location, coach,
                                                               extra, NULL, NULL);

    g_assert_cmpuint (reply->status, ==, 204);
    g_assert_nonnull (header (reply->headers, "ETag"));
    g_assert_cmpstr (header (reply->headers, "ETag"), !=, etag);
  }
  node = koers_test_server_request (f, "GET", "/v1/deelnemers", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
  g_clear_pointer (&node, json_node_unref);
}

/* ---- child records ---------------------------------------------------------------------- */

static void
test_children (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *participant = koers_test_server_add_participant (f, KOERS_TEST_A_COACH,
                                                                    f->users[KOERS_TEST_A_COACH]
                                                                    .user_id, "Piet Jansen");
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  body = g_strdup_printf ("{\"deelnemerId\": \"%s\", \"soort\": \"phone\", "
                          "\"datum\": \"2026-11-20\", \"tekst\": \"Gebeld over de cursus.\"}",
                          participant);
  node = koers_test_server_request (f, "POST", "/v1/notities", coach, body, &status, &headers);
  g_assert_cmpuint (status, ==, 201);
  path = g_strdup (header (headers, "Location"));
  g_assert_true (g_str_has_prefix (path, "/v1/notities/"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);

  /* Notes are append-only: no PUT, no DELETE. */
  node = koers_test_server_request (f, "PUT", path, coach, body, &status, &headers);
  g_assert_cmpuint (status, ==, 405);
  g_assert_null (strstr (header (headers, "Allow"), "PUT"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  g_free (path);
  path = g_strdup_printf ("/v1/notities?deelnemerId=%s", participant);
  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "GET", "/v1/notities?deelnemerId=nee", coach, NULL,
                                    &status, NULL);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&node, json_node_unref);
  /* A colleague asking for this participant's notes gets [] and is not recorded as having
   * read them; the coach's read and note are on the participant's trail. */
  node = koers_test_server_request (f, "GET", path, koers_test_server_token (
                                      f, KOERS_TEST_A_COLLEAGUE), NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);
  g_free (path);
  path = g_strdup_printf ("/v1/audit-gebeurtenissen?recordId=%s", participant);
  node = koers_test_server_request (f, "GET", path, koers_test_server_token (
                                      f, KOERS_TEST_A_ONDERSTEUNER), NULL, &status, NULL);
  {
    JsonArray *items = json_object_get_array_member (koers_test_object_of (node), "items");
    guint notes = 0;

    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonObject *event = json_array_get_object_element (items, i);

        g_assert_cmpstr (json_object_get_string_member (event, "gebruikerId"), ==,
                         f->users[KOERS_TEST_A_COACH].user_id);
        notes += g_strcmp0 (json_object_get_string_member (event, "entiteit"), "notities") == 0;
      }
    g_assert_cmpuint (notes, ==, 3);   /* created, read, listed */
  }
  g_clear_pointer (&node, json_node_unref);

  /* Aggregates are numbers only. */
  node = koers_test_server_request (f, "GET", "/v1/kengetallen", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (json_object_get_int_member (koers_test_object_of (node), "totaal"), ==, 1);
  g_clear_pointer (&node, json_node_unref);
}

/* ---- devices ---------------------------------------------------------------------------- */

static void
test_devices (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *path = NULL;
  guint status = 0;

  node = koers_test_server_request (f, "GET", "/v1/apparaten", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
  g_clear_pointer (&node, json_node_unref);

  /* Revoking the device ends its token at once. */
  path = g_strdup_printf ("/v1/apparaten/%s", f->users[KOERS_TEST_A_COACH].device_id);
  node = koers_test_server_request (f, "DELETE", path, coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 204);
  g_assert_null (node);
  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&node, json_node_unref);
}

/* ---- staff ------------------------------------------------------------------------------ */

/* The coach names a client shows: the caller's own organisation only, every role, disabled
 * users marked, and nothing of another organisation. */
static void
test_staff (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  JsonArray *items;
  guint status = 0;
  gboolean colleague_seen = FALSE;

  g_assert_true (koers_server_auth_set_user_disabled (koers_server_get_auth (f->server),
                                                      f->users[KOERS_TEST_A_COLLEAGUE].user_id,
                                                      TRUE, &error));
  g_assert_no_error (error);

  node = koers_test_server_request (f, "GET", "/v1/medewerkers", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (koers_test_object_of (node), "items");
  /* Organisation A: two coaches, an ondersteuner, a programme manager. */
  g_assert_cmpuint (json_array_get_length (items), ==, 4);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      const char *id = json_object_get_string_member (item, "id");

      g_assert_cmpstr (id, !=, f->users[KOERS_TEST_B_COACH].user_id);
      g_assert_cmpstr (id, !=, f->users[KOERS_TEST_B_ONDERSTEUNER].user_id);
      g_assert_cmpuint (strlen (json_object_get_string_member (item, "naam")), >, 0);
      if (g_str_equal (id, f->users[KOERS_TEST_A_COLLEAGUE].user_id))
        {
          colleague_seen = TRUE;
          g_assert_false (json_object_get_boolean_member (item, "actief"));
          g_assert_cmpstr (json_object_get_string_member (item, "rol"), ==, "coach");
        }
      else
        g_assert_true (json_object_get_boolean_member (item, "actief"));
    }
  g_assert_true (colleague_seen);
}

/* ---- no unaudited data ------------------------------------------------------------------ */

static void
test_audit_failure (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  g_autofree char *participant = koers_test_server_add_participant (f, KOERS_TEST_A_COACH,
                                                                    f->users[KOERS_TEST_A_COACH]
                                                                    .user_id, "Noor Visser");
  g_autofree char *path = g_strdup_printf ("/v1/deelnemers/%s", participant);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  guint status = 0;

  g_autofree char *etag = NULL;
  g_autofree char *put = g_strdup_printf ("{\"naam\": \"Noor de Visser\", \"gemeente\": "
                                          "\"aalten\", \"doelgroep\": \"statusholder\", "
                                          "\"coachId\": \"%s\"}",
                                          f->users[KOERS_TEST_A_COACH].user_id);

  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  etag = g_strdup (header (headers, "ETag"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* The audit trail cannot be written: the record is not served (503, Retry-After), and the
   * answer holds nothing of it. */
  koers_server_db_exec (f->db, "ALTER TABLE audit RENAME TO audit_weg", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 503);
  g_assert_nonnull (header (headers, "Retry-After"));
  g_assert_false (json_object_has_member (koers_test_object_of (node), "gegevens"));
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);
  node = koers_test_server_request (f, "GET", "/v1/deelnemers", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 503);
  g_clear_pointer (&node, json_node_unref);

  /* A write whose audit row cannot be written does not commit either: 503 is then true, and
   * a retry does not apply it twice. */
  {
    g_autofree char *if_match = g_strdup_printf ("If-Match: %s", etag);
    const char *extra[] = { if_match, NULL };
    g_autoptr (GBytes) bytes = g_bytes_new (put, strlen (put));
    g_autoptr (KoersTestReply) reply = koers_test_server_send (f, "PUT", path, coach, extra,
                                                               NULL, bytes);

    g_assert_cmpuint (reply->status, ==, 503);
  }
  node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach, put, &status, NULL);
  g_assert_cmpuint (status, ==, 503);
  g_clear_pointer (&node, json_node_unref);

  /* Requests that touch no participant data do not need the trail. */
  node = koers_test_server_request (f, "GET", "/v1/profiel", coach, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&node, json_node_unref);

  koers_server_db_exec (f->db, "ALTER TABLE audit_weg RENAME TO audit", NULL, 0, NULL, &error);
  g_assert_no_error (error);
  node = koers_test_server_request (f, "GET", path, coach, NULL, &status, &headers);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (header (headers, "ETag"), ==, etag);
  g_clear_pointer (&node, json_node_unref);
  node = koers_test_server_request (f, "GET", "/v1/deelnemers", coach, NULL, &status, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "items")), ==, 1);
}

/* Bodies json-glib would silently change: an escaped NUL ends its string there, a lone
 * surrogate becomes invalid UTF-8. Both are refused before parsing. */
static void
test_raw_bodies (KoersServerDbBackend backend)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new (backend);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  const char *bodies[] = {
    "{\"naam\": \"Ada\\u0000 Jansen\", \"gemeente\": \"aalten\", \"doelgroep\": \"nug\"}",
    "{\"naam\": \"Ada\", \"x\\ud800\": 1}",
    "{\"naam\": \"Ada\\udc00\", \"gemeente\": \"aalten\", \"doelgroep\": \"nug\"}",
  };
  guint status = 0;

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (JsonNode) node = koers_test_server_request (f, "POST", "/v1/deelnemers", coach,
                                                             bodies[i], &status, NULL);

      g_assert_cmpuint (status, ==, 400);
    }
  {
    g_autoptr (JsonNode) node = koers_test_server_request (f, "POST", "/v1/deelnemers/_zoek",
                                                           coach,
                                                           "{\"zoekterm\": \"\\ud83d\\ude00\"}",
                                                           &status, NULL);

    g_assert_cmpuint (status, ==, 200);   /* a valid surrogate pair passes the scan */
  }
}

/* Routing: a path's segments against a route's pattern, literals counted ("_zoek" beats
 * "{id}"), the {id} segment handed out; a path longer or shorter than the pattern, an empty
 * {id} or a segment that only starts like the literal does not match. */
static void
test_match_pattern (void)
{
  static const struct {
    const char *pattern;
    const char *path;
    int         score;
    const char *id;
  } cases[] = {
    { "/v1/deelnemers", "/v1/deelnemers", 3, NULL },   /* the empty part before the / too */
    { "/v1/deelnemers/{id}", "/v1/deelnemers/abc", 3, "abc" },
    { "/v1/deelnemers/_zoek", "/v1/deelnemers/_zoek", 4, NULL },
    { "/v1/deelnemers/{id}", "/v1/deelnemers/_zoek", 3, "_zoek" },
    { "/v1/deelnemers/{id}", "/v1/deelnemers/", -1, NULL },
    { "/v1/deelnemers/{id}", "/v1/deelnemers", -1, NULL },
    { "/v1/deelnemers", "/v1/deelnemers/", -1, NULL },
    { "/v1/deelnemers", "/v1/deelnemers/abc", -1, NULL },
    { "/v1/deelnemers", "/v1/deelnemer", -1, NULL },
    { "/v1/deelnemer", "/v1/deelnemers", -1, NULL },
    { "/v1/{id}/notities", "/v1/x/notities", 3, "x" },
    { "", "/v1", -1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (GStrv) segments = g_strsplit (cases[i].path, "/", -1);
      const char *id = "unset";

      g_assert_cmpint (koers_server_http_match_pattern (cases[i].pattern, segments, &id), ==,
                       cases[i].score);
      if (cases[i].score >= 0)
        g_assert_cmpstr (id, ==, cases[i].id);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-http/general", test_general);
  koers_test_server_db_add ("/server-http/participants", test_participants);
  koers_test_server_db_add ("/server-http/children", test_children);
  koers_test_server_db_add ("/server-http/devices", test_devices);
  koers_test_server_db_add ("/server-http/staff", test_staff);
  koers_test_server_db_add ("/server-http/audit-failure", test_audit_failure);
  koers_test_server_db_add ("/server-http/raw-bodies", test_raw_bodies);
  g_test_add_func ("/server-http/match-pattern", test_match_pattern);

  return g_test_run ();
}
