/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server over HTTP, the sync side, on both back ends: a whole round trip push -> pull
 * with a replay, with the feed's pages read on reader threads (as served) and on the server's
 * own thread (koers-server --lezers 0).
 */
#include "config.h"

#include "koers-test-server.h"

#include "koers-test-postgres.h"

#include <string.h>

/* ---- sync round trip -------------------------------------------------------------------- */

static char *
mutation (const char *mutation_id,
          gint64      number,
          const char *entity,
          const char *record_id,
          const char *action,
          const char *base,
          const char *fields)
{
  return g_strdup_printf ("{\"mutatieId\": \"%s\", \"volgnummer\": %" G_GINT64_FORMAT ", "
                          "\"entiteit\": \"%s\", \"recordId\": \"%s\", \"actie\": \"%s\", "
                          "\"basisVersie\": %s, \"velden\": %s}",
                          mutation_id, number, entity, record_id, action, base, fields);
}

static JsonArray *
results_of (JsonNode *node)
{
  return json_object_get_array_member (koers_test_object_of (node), "resultaten");
}

static void
sync_round_trip (KoersServerDbBackend backend, int reader_threads)
{
  g_autoptr (KoersTestServer) f = koers_test_server_new_full (backend, reader_threads);
  const char *coach = koers_test_server_token (f, KOERS_TEST_A_COACH);
  const char *colleague = koers_test_server_token (f, KOERS_TEST_A_COLLEAGUE);
  const char *manager = koers_test_server_token (f, KOERS_TEST_A_MANAGER);
  g_autofree char *participant = g_uuid_string_random ();
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *m1 = g_uuid_string_random ();
  g_autofree char *m2 = g_uuid_string_random ();
  g_autofree char *m3 = g_uuid_string_random ();
  g_autofree char *create = NULL, *add_note = NULL, *change = NULL;
  g_autofree char *batch = NULL, *gap = NULL, *fields = NULL, *note_fields = NULL;
  g_autofree char *first_reply = NULL;
  g_autoptr (JsonNode) node = NULL;
  g_autoptr (JsonNode) again = NULL;
  g_autoptr (SoupMessageHeaders) headers = NULL;
  g_autofree char *cursor = NULL;
  guint status = 0;
  guint seen = 0;

  fields = g_strdup_printf ("{\"naam\": {\"was\": null, \"wordt\": \"Sara Bakker\"}, "
                            "\"gemeente\": {\"was\": null, \"wordt\": \"doetinchem\"}, "
                            "\"doelgroep\": {\"was\": null, \"wordt\": \"nug\"}, "
                            "\"status\": {\"was\": null, \"wordt\": \"registered\"}, "
                            "\"coachId\": {\"was\": null, \"wordt\": \"%s\"}}",
                            f->users[KOERS_TEST_A_COACH].user_id);
  note_fields = g_strdup_printf ("{\"deelnemerId\": {\"was\": null, \"wordt\": \"%s\"}, "
                                 "\"soort\": {\"was\": null, \"wordt\": \"conversation\"}, "
                                 "\"datum\": {\"was\": null, \"wordt\": \"2026-11-21\"}, "
                                 "\"tekst\": {\"was\": null, \"wordt\": \"Eerste gesprek.\"}}",
                                 participant);
  koers_spec_check_forbid_text (f->check, "Sara Bakker");
  create = mutation (m1, 1, "deelnemers", participant, "aanmaken", "null", fields);
  add_note = mutation (m2, 2, "notities", note, "aanmaken", "null", note_fields);
  batch = g_strdup_printf ("{\"mutaties\": [%s, %s]}", create, add_note);

  node = koers_test_server_request (f, "POST", "/v1/mutaties", coach, batch, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (results_of (node)), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (results_of (node), i);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "toegepast");
      g_assert_false (json_object_get_boolean_member (result, "herhaald"));
    }
  g_assert_cmpint (json_object_get_int_member (koers_test_object_of (node), "laatsteVolgnummer"), ==, 2);
  first_reply = g_strdup (json_object_get_string_member (
                            json_array_get_object_element (results_of (node), 0), "mutatieId"));
  g_clear_pointer (&node, json_node_unref);

  /* The same batch again (a lost response): the stored results, marked herhaald; nothing
   * new is written. */
  again = koers_test_server_request (f, "POST", "/v1/mutaties", coach, batch, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *result = json_array_get_object_element (results_of (again), i);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "toegepast");
      g_assert_true (json_object_get_boolean_member (result, "herhaald"));
    }
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (results_of (again), 0), "mutatieId"),
                   ==, first_reply);

  /* A gap in device numbers: 409 with the expected number, nothing written. */
  change = mutation (m3, 5, "deelnemers", participant, "wijzigen", "1",
                     "{\"status\": {\"was\": \"registered\", \"wordt\": \"intake\"}}");
  gap = g_strdup_printf ("{\"mutaties\": [%s]}", change);
  node = koers_test_server_request (f, "POST", "/v1/mutaties", coach, gap, &status, NULL);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (koers_test_problem_slug (node), ==, "volgnummer-gat");
  g_assert_cmpint (json_object_get_int_member (koers_test_object_of (node), "verwachtVolgnummer"), ==, 3);
  g_clear_pointer (&node, json_node_unref);

  /* The programme manager never pushes. */
  node = koers_test_server_request (f, "POST", "/v1/mutaties", manager, batch, &status, NULL);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&node, json_node_unref);

  /* Pull from the beginning, one item a page, following Link rel="next" to the end. */
  node = koers_test_server_request (f, "GET", "/v1/wijzigingen?limiet=1", coach, NULL, &status,
                                    &headers);
  for (guint page = 0; page < 10; page++)
    {
      JsonObject *body = koers_test_object_of (node);
      JsonArray *items = json_object_get_array_member (body, "wijzigingen");
      const char *link = soup_message_headers_get_one (headers, "Link");

      g_assert_cmpuint (status, ==, 200);
      seen += json_array_get_length (items);
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (body, "volgendeCursor"));
      if (!json_object_get_boolean_member (body, "meerBeschikbaar"))
        {
          g_assert_null (link);
          break;
        }
      g_assert_nonnull (link);
      {
        const char *start = strchr (link, '<') + 1;
        g_autofree char *next = g_strndup (start, strchr (link, '>') - start);

        g_assert_true (g_str_has_prefix (next, "/v1/wijzigingen?vanaf="));
        g_clear_pointer (&node, json_node_unref);
        g_clear_pointer (&headers, soup_message_headers_unref);
        node = koers_test_server_request (f, "GET", next, coach, NULL, &status, &headers);
      }
    }
  g_assert_cmpuint (seen, ==, 2);
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&headers, soup_message_headers_unref);

  /* The colleague's feed holds nothing of this caseload. */
  node = koers_test_server_request (f, "GET", "/v1/wijzigingen", colleague, NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                         "wijzigingen")), ==, 0);
  g_clear_pointer (&node, json_node_unref);

  /* A cursor of another epoch (a restored server): 410, pull again from 0. */
  node = koers_test_server_request (f, "GET", "/v1/wijzigingen?vanaf=anderTijdperk.1", coach,
                                    NULL, &status, NULL);
  g_assert_cmpuint (status, ==, 410);
  g_assert_cmpstr (koers_test_problem_slug (node), ==, "cursor-verlopen");
  /* Never restored: the server has nothing to say about what the histories share. */
  g_assert_false (json_object_has_member (koers_test_object_of (node), "gedeeldTot"));
  g_clear_pointer (&node, json_node_unref);

  /* Pulling from the end: nothing new. */
  {
    g_autofree char *path = g_strdup_printf ("/v1/wijzigingen?vanaf=%s", cursor);

    node = koers_test_server_request (f, "GET", path, coach, NULL, &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (koers_test_object_of (node),
                                                                           "wijzigingen")),
                      ==, 0);
    g_clear_pointer (&node, json_node_unref);
  }

  /* Client audit events upload. */
  {
    g_autofree char *event = g_uuid_string_random ();
    g_autofree char *upload = g_strdup_printf ("{\"gebeurtenissen\": [{\"id\": \"%s\", "
                                               "\"plaatsgevondenOp\": \"2026-11-21T09:00:00Z\", "
                                               "\"actie\": \"lezen\", \"entiteit\": "
                                               "\"deelnemers\", \"recordId\": \"%s\", "
                                               "\"resultaat\": \"gelukt\"}]}",
                                               event, participant);

    node = koers_test_server_request (f, "POST", "/v1/audit-gebeurtenissen", coach, upload,
                                      &status, NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpint (json_object_get_int_member (koers_test_object_of (node), "aantalOpgeslagen"), ==, 1);
    g_clear_pointer (&node, json_node_unref);
  }

  /* At most 500 events an upload: 500 are stored, 501 refused whole (400 naming the list). */
  for (guint n = 500; n <= 501; n++)
    {
      g_autoptr(GString) upload = g_string_new ("{\"gebeurtenissen\": [");

      for (guint i = 0; i < n; i++)
        {
          g_autofree char *event = g_uuid_string_random ();

          g_string_append_printf (upload, "%s{\"id\": \"%s\", \"plaatsgevondenOp\": "
                                  "\"2026-11-21T09:00:00Z\", \"actie\": \"lezen\", "
                                  "\"entiteit\": \"deelnemers\", \"recordId\": \"%s\", "
                                  "\"resultaat\": \"gelukt\"}", i > 0 ? ", " : "", event,
                                  participant);
        }
      g_string_append (upload, "]}");
      node = koers_test_server_request (f, "POST", "/v1/audit-gebeurtenissen", coach,
                                        upload->str, &status, NULL);
      if (n == 500)
        {
          g_assert_cmpuint (status, ==, 200);
          g_assert_cmpint (json_object_get_int_member (koers_test_object_of (node),
                                                       "aantalOpgeslagen"), ==, 500);
        }
      else
        {
          g_assert_cmpuint (status, ==, 400);
          g_assert_cmpstr (koers_test_problem_slug (node), ==, "ongeldige-invoer");
          g_assert_cmpstr (json_object_get_string_member (
                             json_array_get_object_element (
                               json_object_get_array_member (koers_test_object_of (node),
                                                             "ongeldigeVelden"), 0),
                             "naam"), ==, "gebeurtenissen");
        }
      g_clear_pointer (&node, json_node_unref);
    }
}

static void
test_sync_round_trip (KoersServerDbBackend backend)
{
  sync_round_trip (backend, -1);
}

static void
test_sync_round_trip_server_thread (KoersServerDbBackend backend)
{
  sync_round_trip (backend, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-http/sync-round-trip", test_sync_round_trip);
  koers_test_server_db_add ("/server-http/sync-round-trip-server-thread",
                            test_sync_round_trip_server_thread);

  return g_test_run ();
}
