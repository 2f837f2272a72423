/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The spec checker must accept what docs/api-protocol.md promises and reject each way a
 * response can break it; and data/api/openapi.json must agree with the one declaration of
 * the synced entities (src/core/koers-sync-entities.c) and be what koers-server serves.
 */
#include "config.h"

#include "koers-spec-check.h"

#include "core/koers-sync-entities.h"
#include "server/koers-server-spec.h"

#include <string.h>

#define PARTICIPANT_ID "3f0c2a9e-5b1d-4c7e-9a8f-0123456789ab"
#define USER_ID "7d4e1c2b-0a9f-4e3d-8c7b-6a5f4e3d2c1b"
#define DEVICE_ID "1a2b3c4d-5e6f-4a0b-8c9d-0e1f2a3b4c5d"
#define ORG_ID "9e8d7c6b-5a4f-4e3d-9c2b-1a0f9e8d7c6b"
#define NOTE_ID "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f"

typedef struct {
  KoersSpecCheck *check;
} Fixture;

static char *
spec_path (void)
{
  const char *root = g_getenv ("KOERS_TEST_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "data", "api", "openapi.json", NULL);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = spec_path ();
  g_autoptr (GError) error = NULL;

  fixture->check = koers_spec_check_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->check);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_pointer (&fixture->check, koers_spec_check_free);
}

/* The headers every koers-server response carries, and a Content-Type when given. */
static SoupMessageHeaders *
make_headers (const char *content_type)
{
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);

  soup_message_headers_replace (headers, "API-Version", "1.0.0");
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
  if (content_type != NULL)
    soup_message_headers_replace (headers, "Content-Type", content_type);
  return headers;
}

static gboolean
check_json (Fixture *fixture, const char *method, const char *path, guint status,
            SoupMessageHeaders *headers, const char *body, GError **error)
{
  g_autoptr (GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return koers_spec_check_response (fixture->check, method, path, status, headers, bytes,
                                    error);
}

/* Asserts a mismatch whose message names @place and @rule. */
static void
assert_mismatch (GError *error, const char *place, const char *rule)
{
  g_assert_error (error, KOERS_SPEC_CHECK_ERROR, KOERS_SPEC_CHECK_ERROR_MISMATCH);
  g_test_message ("rejected as expected: %s", error->message);
  if (place != NULL && strstr (error->message, place) == NULL)
    g_error ("\"%s\" does not name \"%s\"", error->message, place);
  if (rule != NULL && strstr (error->message, rule) == NULL)
    g_error ("\"%s\" does not name the rule \"%s\"", error->message, rule);
}

static const char profile_body[] =
  "{\"gebruikerId\": \"" USER_ID "\", \"naam\": \"Coach Een\", \"rol\": \"coach\","
  " \"organisatie\": {\"id\": \"" ORG_ID "\", \"naam\": \"Graafschap Werkt\"},"
  " \"apparaatId\": \"" DEVICE_ID "\"}";

static const char participant_record[] =
  "{\"id\": \"" PARTICIPANT_ID "\", \"entiteit\": \"deelnemers\", \"versie\": 57,"
  " \"verwijderd\": false, \"gewist\": false, \"aangemaaktOp\": \"2026-11-28T09:15:00Z\","
  " \"aangemaaktDoor\": \"" USER_ID "\", \"gewijzigdOp\": \"2026-11-28T09:20:00Z\","
  " \"gewijzigdDoor\": \"" USER_ID "\", \"gegevens\": {\"naam\": \"Amira Haddad\","
  " \"gemeente\": \"doetinchem\", \"doelgroep\": \"statusholder\", \"status\": \"intake\","
  " \"geboortejaar\": 1990, \"coachId\": \"" USER_ID "\", \"roepnaam\": null,"
  " \"aanmeldDatum\": \"2026-11-01\", \"inburgeringsplicht\": true, \"projectlijn\": 1}}";

static void
test_accepts_profile (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;

  g_assert_true (check_json (fixture, "GET", "/v1/profiel", 200, headers, profile_body,
                             &error));
  g_assert_no_error (error);
}

static void
test_accepts_feed (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json; charset=utf-8");
  g_autoptr (GError) error = NULL;
  g_autofree char *body = g_strdup_printf (
    "{\"wijzigingen\": [%s,"
    " {\"id\": \"" NOTE_ID "\", \"entiteit\": \"notities\", \"versie\": 58,"
    "  \"verwijderd\": false, \"gewist\": false, \"aangemaaktOp\": \"2026-11-28T09:21:00Z\","
    "  \"aangemaaktDoor\": \"" USER_ID "\", \"gewijzigdOp\": \"2026-11-28T09:21:00Z\","
    "  \"gewijzigdDoor\": \"" USER_ID "\", \"gegevens\": {\"deelnemerId\": \"" PARTICIPANT_ID
    "\", \"soort\": \"phone\", \"datum\": \"2026-11-28\", \"tekst\": \"Gebeld.\\nAfspraak.\","
    "  \"revisie\": 1, \"revisieVan\": null}},"
    " {\"id\": \"" DEVICE_ID "\", \"entiteit\": \"deelnemers\", \"versie\": 59,"
    "  \"verwijderd\": false, \"gewist\": true, \"aangemaaktOp\": \"2026-11-28T09:21:00Z\","
    "  \"aangemaaktDoor\": \"" USER_ID "\", \"gewijzigdOp\": \"2026-11-28T09:22:00Z\","
    "  \"gewijzigdDoor\": \"" USER_ID "\", \"gegevens\": {}},"
    " {\"entiteit\": \"deelnemers\", \"id\": \"" ORG_ID "\", \"versie\": 60,"
    "  \"buitenBereik\": true}],"
    " \"volgendeCursor\": \"k3x9.60\", \"meerBeschikbaar\": true, \"tijdperk\": \"k3x9\","
    " \"serverTijd\": \"2026-11-28T09:30:00Z\"}", participant_record);

  soup_message_headers_replace (headers, "Link",
                                "</v1/wijzigingen?vanaf=k3x9.60&limiet=500>; rel=\"next\"");
  g_assert_true (check_json (fixture, "GET", "/v1/wijzigingen?vanaf=0&limiet=500", 200, headers,
                             body, &error));
  g_assert_no_error (error);
}

static void
test_accepts_mutation_results (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  static const char body[] =
    "{\"resultaten\": ["
    " {\"mutatieId\": \"" NOTE_ID "\", \"status\": \"toegepast\", \"versie\": 61,"
    "  \"conflicten\": [], \"reden\": null, \"herhaald\": false},"
    " {\"mutatieId\": \"" DEVICE_ID "\", \"status\": \"conflict\", \"versie\": 62,"
    "  \"conflicten\": [\"" ORG_ID "\"], \"reden\": null, \"herhaald\": true},"
    " {\"mutatieId\": \"" USER_ID "\", \"status\": \"afgewezen\", \"versie\": null,"
    "  \"conflicten\": [], \"reden\": \"status: van completed naar active mag niet\","
    "  \"herhaald\": false}],"
    " \"laatsteVolgnummer\": 3}";

  g_assert_true (check_json (fixture, "POST", "/v1/mutaties", 200, headers, body, &error));
  g_assert_no_error (error);
}

static void
test_accepts_problems (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/problem+json");
  g_autoptr (SoupMessageHeaders) gap_headers = make_headers ("application/problem+json");
  g_autoptr (SoupMessageHeaders) unknown = make_headers ("application/problem+json");
  g_autoptr (SoupMessageHeaders) no_body = make_headers (NULL);
  g_autoptr (GError) error = NULL;
  static const char invalid[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/ongeldige-invoer\","
    " \"title\": \"Ongeldige invoer\", \"status\": 400,"
    " \"detail\": \"Een of meer velden voldoen niet.\", \"instance\": \"/v1/deelnemers\","
    " \"ongeldigeVelden\": [{\"naam\": \"naam\", \"reden\": \"mag niet leeg zijn\"}]}";
  static const char gap[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/volgnummer-gat\","
    " \"title\": \"Volgnummer sluit niet aan\", \"status\": 409,"
    " \"detail\": \"Verwacht volgnummer 4.\", \"instance\": \"/v1/mutaties\","
    " \"verwachtVolgnummer\": 4}";
  static const char not_found[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/niet-gevonden\","
    " \"title\": \"Niet gevonden\", \"status\": 404, \"detail\": \"Bestaat niet.\"}";
  static const char not_allowed[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/methode-niet-toegestaan\","
    " \"title\": \"Methode niet toegestaan\", \"status\": 405, \"detail\": \"Kan niet.\"}";

  g_assert_true (check_json (fixture, "POST", "/v1/deelnemers", 400, headers, invalid, &error));
  g_assert_no_error (error);
  g_assert_true (check_json (fixture, "POST", "/v1/mutaties", 409, gap_headers, gap, &error));
  g_assert_no_error (error);
  g_assert_true (check_json (fixture, "GET", "/v1/onbekend", 404, unknown, not_found, &error));
  g_assert_no_error (error);
  g_assert_true (check_json (fixture, "PUT", "/v1/notities/" NOTE_ID, 405, unknown, not_allowed,
                             &error));
  g_assert_no_error (error);

  /* A 204 carries no body but still every header, and ETag where documented. */
  soup_message_headers_replace (no_body, "ETag", "\"63\"");
  g_assert_true (check_json (fixture, "DELETE", "/v1/deelnemers/" PARTICIPANT_ID, 204, no_body,
                             NULL, &error));
  g_assert_no_error (error);
}

static void
test_accepts_served_spec (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = spec_path ();
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) served = koers_server_spec_get_bytes ();
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (KoersSpecCheck) from_served = NULL;
  g_autoptr (GError) error = NULL;
  gsize length;

  /* The server serves exactly the document in the source tree. */
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (g_bytes_get_data (served, NULL), g_bytes_get_size (served), contents, length);

  g_assert_true (koers_spec_check_response (fixture->check, "GET", "/v1/openapi.json", 200,
                                            headers, served, &error));
  g_assert_no_error (error);
  from_served = koers_spec_check_new_from_bytes (served, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_spec_check_get_base_path (from_served), ==, "/v1");
}

static void
test_lists_operations (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GPtrArray) operations = koers_spec_check_list_operations (fixture->check);
  static const char * const expected[] = {
    "GET /v1/openapi.json", "GET /v1/profiel", "GET /v1/apparaten",
    "DELETE /v1/apparaten/{id}", "GET /v1/wijzigingen", "POST /v1/mutaties",
    "GET /v1/conflicten", "GET /v1/conflicten/{id}", "GET /v1/deelnemers",
    "POST /v1/deelnemers", "GET /v1/deelnemers/{id}", "PUT /v1/deelnemers/{id}",
    "DELETE /v1/deelnemers/{id}", "POST /v1/deelnemers/_zoek", "GET /v1/deelnemers/{id}/uitkomst",
    "PUT /v1/deelnemers/{id}/uitkomst", "POST /v1/notities", "GET /v1/notities/{id}",
    "PUT /v1/activiteiten/{id}", "DELETE /v1/vaardigheden/{id}", "POST /v1/toestemmingen",
    "GET /v1/statuswijzigingen", "GET /v1/audit-gebeurtenissen",
    "POST /v1/audit-gebeurtenissen", "GET /v1/kengetallen", "GET /v1/medewerkers",
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    if (!g_ptr_array_find_with_equal_func (operations, expected[i], g_str_equal, NULL))
      g_error ("the spec lacks %s", expected[i]);
  /* Append-only notes and status changes have no PUT or DELETE. */
  g_assert_false (g_ptr_array_find_with_equal_func (operations, "PUT /v1/notities/{id}",
                                                    g_str_equal, NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (operations,
                                                    "DELETE /v1/statuswijzigingen/{id}",
                                                    g_str_equal, NULL));
  g_assert_cmpuint (operations->len, ==, 41);
}

static void
test_rejects_missing_api_version (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) problem = make_headers ("application/problem+json");
  g_autoptr (GError) error = NULL;
  static const char not_found[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/niet-gevonden\","
    " \"title\": \"Niet gevonden\", \"status\": 404, \"detail\": \"Bestaat niet.\"}";

  soup_message_headers_remove (headers, "API-Version");
  g_assert_false (check_json (fixture, "GET", "/v1/profiel", 200, headers, profile_body,
                              &error));
  assert_mismatch (error, "GET /v1/profiel -> 200", "API-Version is missing");
  g_clear_error (&error);

  /* Errors too, even for a path the spec does not know. */
  soup_message_headers_remove (problem, "API-Version");
  g_assert_false (check_json (fixture, "GET", "/v1/bestaat-niet", 404, problem, not_found,
                              &error));
  assert_mismatch (error, "unknown path", "API-Version is missing");
}

static void
test_rejects_security_headers (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) missing = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) relaxed = make_headers ("application/json");
  g_autoptr (GError) error = NULL;

  soup_message_headers_remove (missing, "X-Frame-Options");
  g_assert_false (check_json (fixture, "GET", "/v1/profiel", 200, missing, profile_body,
                              &error));
  assert_mismatch (error, "X-Frame-Options", "missing");
  g_clear_error (&error);

  /* The login page's relaxed policy does not belong on the API. */
  soup_message_headers_replace (relaxed, "Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'");
  g_assert_false (check_json (fixture, "GET", "/v1/profiel", 200, relaxed, profile_body,
                              &error));
  assert_mismatch (error, "Content-Security-Policy", "must be");
}

static void
test_rejects_undocumented_status (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) problem = make_headers ("application/problem+json");
  g_autoptr (GError) error = NULL;
  static const char teapot[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/theepot\", \"title\": \"Theepot\","
    " \"status\": 418, \"detail\": \"Nee.\"}";

  g_assert_false (check_json (fixture, "GET", "/v1/profiel", 201, headers, profile_body,
                              &error));
  assert_mismatch (error, "GET /v1/profiel -> 201", "status 201 is not documented");
  g_clear_error (&error);
  g_assert_false (check_json (fixture, "GET", "/v1/deelnemers/" PARTICIPANT_ID, 418, problem,
                              teapot, &error));
  assert_mismatch (error, "GET /v1/deelnemers/{id} -> 418", "not documented");
  g_clear_error (&error);
  /* A path the spec does not have must be 404, not a success. */
  g_assert_false (check_json (fixture, "GET", "/v1/deelnemer", 200, headers, profile_body,
                              &error));
  assert_mismatch (error, "/v1/deelnemer", "must be 404");
}

static void
test_rejects_missing_required (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) no_etag = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  static const char no_role[] =
    "{\"gebruikerId\": \"" USER_ID "\", \"naam\": \"Coach Een\","
    " \"organisatie\": {\"id\": \"" ORG_ID "\", \"naam\": \"Graafschap Werkt\"},"
    " \"apparaatId\": null}";

  g_assert_false (check_json (fixture, "GET", "/v1/profiel", 200, headers, no_role, &error));
  assert_mismatch (error, "body $:", "required: member \"rol\" is missing");
  g_clear_error (&error);

  /* An entity resource must send its version as ETag. */
  g_assert_false (check_json (fixture, "GET", "/v1/deelnemers/" PARTICIPANT_ID, 200, no_etag,
                              participant_record, &error));
  assert_mismatch (error, "ETag", "required");
}

/* The good participant record with one piece of text replaced. */
static char *
participant_with (const char *from, const char *to)
{
  GString *body = g_string_new (participant_record);

  g_assert_cmpuint (g_string_replace (body, from, to, 1), ==, 1);
  return g_string_free (body, FALSE);
}

static void
test_rejects_wrong_type (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  /* A number sent as text. */
  g_autofree char *body = participant_with ("\"versie\": 57", "\"versie\": \"57\"");

  soup_message_headers_replace (headers, "ETag", "\"57\"");
  g_assert_false (check_json (fixture, "GET", "/v1/deelnemers/" PARTICIPANT_ID, 200, headers,
                              body, &error));
  assert_mismatch (error, "body $.versie", "type: expected integer, got string");
}

static void
test_rejects_extra_member (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  static const char body[] =
    "{\"items\": [{\"id\": \"" PARTICIPANT_ID "\", \"entiteit\": \"deelnemers\", \"versie\": 5,"
    " \"verwijderd\": false, \"gewist\": false, \"aangemaaktOp\": \"2026-11-28T09:15:00Z\","
    " \"aangemaaktDoor\": \"" USER_ID "\", \"gewijzigdOp\": \"2026-11-28T09:15:00Z\","
    " \"gewijzigdDoor\": \"" USER_ID "\","
    " \"gegevens\": {\"naam\": \"Amira Haddad\", \"bsn\": \"123456782\"}}],"
    " \"volgendeCursor\": null}";

  g_assert_false (check_json (fixture, "GET", "/v1/deelnemers?limiet=10", 200, headers, body,
                              &error));
  assert_mismatch (error, "body $.items[0].gegevens.bsn", "additionalProperties false");
}

static void
test_rejects_bad_enum (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  g_autofree char *body = participant_with ("\"intake\"", "\"bezig\"");

  soup_message_headers_replace (headers, "ETag", "\"57\"");
  g_assert_false (check_json (fixture, "GET", "/v1/deelnemers/" PARTICIPANT_ID, 200, headers,
                              body, &error));
  assert_mismatch (error, "body $.gegevens.status", "enum");
}

static void
test_rejects_bad_formats (Fixture *fixture, gconstpointer data)
{
  static const struct {
    const char *from;
    const char *to;
    const char *place;
    const char *rule;
  } cases[] = {
    { "2026-11-01", "2026-02-30", "$.gegevens.aanmeldDatum", "format date" },
    { "2026-11-28T09:20:00Z", "2026-11-28T10:20:00+01:00", "$.gewijzigdOp", "format date-time" },
    { "\"coachId\": \"7d4e1c2b", "\"coachId\": \"7D4E1C2B", "$.gegevens.coachId",
      "format uuid" },
    { "\"geboortejaar\": 1990", "\"geboortejaar\": 2201", "$.gegevens.geboortejaar",
      "maximum 2200" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
      g_autoptr (GError) error = NULL;
      g_autofree char *body = participant_with (cases[i].from, cases[i].to);

      soup_message_headers_replace (headers, "ETag", "\"57\"");
      g_assert_false (check_json (fixture, "GET", "/v1/deelnemers/" PARTICIPANT_ID, 200,
                                  headers, body, &error));
      assert_mismatch (error, cases[i].place, cases[i].rule);
    }
}

static void
test_rejects_feed_item_of_no_kind (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) headers = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  static const char body[] =
    "{\"wijzigingen\": [{\"entiteit\": \"deelnemers\", \"id\": \"" ORG_ID "\", \"versie\": 60,"
    " \"buitenBereik\": false}], \"volgendeCursor\": \"k3x9.60\", \"meerBeschikbaar\": false,"
    " \"tijdperk\": \"k3x9\", \"serverTijd\": \"2026-11-28T09:30:00Z\"}";

  g_assert_false (check_json (fixture, "GET", "/v1/wijzigingen", 200, headers, body, &error));
  assert_mismatch (error, "body $.wijzigingen[0]", "oneOf: matches none");
}

static void
test_rejects_pagination_links (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) no_link = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) stale_link = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) last_link = make_headers ("application/json");
  g_autoptr (GError) error = NULL;
  static const char more[] =
    "{\"wijzigingen\": [], \"volgendeCursor\": \"k3x9.60\", \"meerBeschikbaar\": true,"
    " \"tijdperk\": \"k3x9\", \"serverTijd\": \"2026-11-28T09:30:00Z\"}";
  static const char last[] = "{\"items\": [], \"volgendeCursor\": null}";

  /* More to fetch but no rel="next". */
  g_assert_false (check_json (fixture, "GET", "/v1/wijzigingen", 200, no_link, more, &error));
  assert_mismatch (error, "header Link", "rel=\"next\"");
  g_clear_error (&error);
  /* A link to another page than the body's cursor. */
  soup_message_headers_replace (stale_link, "Link",
                                "</v1/wijzigingen?vanaf=k3x9.12&limiet=500>; rel=\"next\"");
  g_assert_false (check_json (fixture, "GET", "/v1/wijzigingen", 200, stale_link, more,
                              &error));
  assert_mismatch (error, "header Link", "volgendeCursor");
  g_clear_error (&error);
  /* The last page links nowhere. */
  soup_message_headers_replace (last_link, "Link",
                                "</v1/notities?cursor=x&limiet=100>; rel=\"next\"");
  g_assert_false (check_json (fixture, "GET", "/v1/notities", 200, last_link, last, &error));
  assert_mismatch (error, "header Link", "last page");
}

static void
test_rejects_leaks (Fixture *fixture, gconstpointer data)
{
  static const struct {
    const char *detail;
    const char *marker;
  } cases[] = {
    { "SELECT fields FROM records WHERE id = ?", "SELECT " },
    { "database is locked (sqlite error 5)", "sqlite" },
    { "kan /home/koers/demo.db niet openen", "/home/" },
    { "koers-server-engine.c:412: assertion failed", ".c:" },
    { "Aanvraag voor Amira Haddad mislukt", "forbidden text" },
  };

  koers_spec_check_forbid_text (fixture->check, "Amira Haddad");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (SoupMessageHeaders) headers = make_headers ("application/problem+json");
      g_autoptr (GError) error = NULL;
      g_autofree char *body = g_strdup_printf (
        "{\"type\": \"https://koers.achterhoek.nl/problemen/serverfout\","
        " \"title\": \"Serverfout\", \"status\": 500, \"detail\": \"%s\"}", cases[i].detail);

      g_assert_false (check_json (fixture, "POST", "/v1/mutaties", 500, headers, body, &error));
      assert_mismatch (error, "POST /v1/mutaties -> 500", cases[i].marker);
      /* The message must not repeat personal data it caught. */
      g_assert_null (strstr (error->message, "Amira"));
    }
}

static void
test_rejects_non_problem_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupMessageHeaders) json = make_headers ("application/json");
  g_autoptr (SoupMessageHeaders) problem = make_headers ("application/problem+json");
  g_autoptr (SoupMessageHeaders) no_body = make_headers (NULL);
  g_autoptr (GError) error = NULL;
  static const char body[] =
    "{\"type\": \"https://koers.achterhoek.nl/problemen/ongeldige-invoer\","
    " \"title\": \"Ongeldige invoer\", \"status\": 400, \"detail\": \"Onleesbare JSON.\"}";

  g_assert_false (check_json (fixture, "POST", "/v1/mutaties", 400, json, body, &error));
  assert_mismatch (error, "Content-Type", "must be application/problem+json");
  g_clear_error (&error);
  /* The status member repeats the HTTP status. */
  g_assert_false (check_json (fixture, "POST", "/v1/mutaties", 413, problem, body, &error));
  assert_mismatch (error, "body $.status", "the HTTP status is 413");
  g_clear_error (&error);
  /* A 204 has no body. */
  soup_message_headers_replace (no_body, "ETag", "\"63\"");
  g_assert_false (check_json (fixture, "DELETE", "/v1/deelnemers/" PARTICIPANT_ID, 204, no_body,
                              "{}", &error));
  assert_mismatch (error, "DELETE /v1/deelnemers/{id} -> 204", "no body");
}

/* Request bodies as the client (issue 5) sends them: a batch of at most 100 mutations. */
static void
test_request_schemas (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GString) batch = g_string_new ("{\"mutaties\": [");
  g_autoptr (JsonNode) too_many = NULL;
  JsonArray *mutations;
  g_autoptr (GError) error = NULL;
  static const char mutation[] =
    "{\"mutatieId\": \"" NOTE_ID "\", \"volgnummer\": %u, \"entiteit\": \"deelnemers\","
    " \"recordId\": \"" PARTICIPANT_ID "\", \"actie\": \"wijzigen\", \"basisVersie\": 57,"
    " \"velden\": {\"naam\": {\"was\": \"Amira\", \"wordt\": \"Amira Haddad\"}}}";

  for (guint i = 1; i <= 101; i++)
    {
      g_string_append_printf (batch, mutation, i);
      g_string_append_c (batch, i < 101 ? ',' : ']');
    }
  g_string_append_c (batch, '}');
  too_many = json_from_string (batch->str, NULL);
  g_assert_nonnull (too_many);
  mutations = json_object_get_array_member (json_node_get_object (too_many), "mutaties");

  /* Each mutation is fine; 101 of them are one too many. */
  for (guint i = 0; i < json_array_get_length (mutations); i++)
    {
      g_assert_true (koers_spec_check_instance (fixture->check, "#/components/schemas/Mutatie",
                                                json_array_get_element (mutations, i), &error));
      g_assert_no_error (error);
    }
  g_assert_false (koers_spec_check_instance (fixture->check,
                                             "#/components/schemas/MutatiesVerzoek", too_many,
                                             &error));
  assert_mismatch (error, "$.mutaties", "maxItems 100");
}

/* The schema that says the JSON type of one entity field. */
static const char *
field_json_type (KoersSyncFieldType type)
{
  switch (type)
    {
    case KOERS_SYNC_FIELD_INT:
      return "integer";
    case KOERS_SYNC_FIELD_BOOL:
      return "boolean";
    case KOERS_SYNC_FIELD_JSON:
      return NULL;
    case KOERS_SYNC_FIELD_TEXT:
    case KOERS_SYNC_FIELD_DATE:
    case KOERS_SYNC_FIELD_ENUM:
    case KOERS_SYNC_FIELD_UUID:
    default:
      return "string";
    }
}

static void
assert_field_matches (const KoersSyncEntity *entity, const KoersSyncField *field,
                      JsonObject *property)
{
  const char *type = field_json_type (field->type);
  const char *what = field->name;

  g_test_message ("%s.%s", entity->name, what);
  g_assert_cmpstr (json_object_get_string_member_with_default (property, "type", NULL), ==,
                   type);
  /* Server-made fields carry no limits in the table. */
  if (field->merge == KOERS_SYNC_MERGE_SERVER)
    return;
  if (field->type == KOERS_SYNC_FIELD_TEXT)
    {
      g_assert_cmpint (json_object_get_int_member_with_default (property, "maxLength", -1), ==,
                       field->max);
      g_assert_cmpint (json_object_get_int_member_with_default (property, "minLength", 0), ==,
                       field->min);
    }
  else if (field->type == KOERS_SYNC_FIELD_INT)
    {
      g_assert_cmpint (json_object_get_int_member_with_default (property, "minimum", -1), ==,
                       field->min);
      g_assert_cmpint (json_object_get_int_member_with_default (property, "maximum", -1), ==,
                       field->max);
    }
  else if (field->type == KOERS_SYNC_FIELD_DATE)
    g_assert_cmpstr (json_object_get_string_member (property, "format"), ==, "date");
  else if (field->type == KOERS_SYNC_FIELD_UUID)
    g_assert_cmpstr (json_object_get_string_member (property, "format"), ==, "uuid");
  if (field->enum_ids != NULL)
    {
      JsonArray *values = json_object_get_array_member (property, "enum");
      guint n_ids = g_strv_length ((char **) field->enum_ids);
      guint n_strings = 0;

      for (guint i = 0; i < json_array_get_length (values); i++)
        {
          JsonNode *value = json_array_get_element (values, i);

          if (JSON_NODE_HOLDS_NULL (value))
            continue;
          g_assert_true (g_strv_contains (field->enum_ids, json_node_get_string (value)));
          n_strings++;
        }
      g_assert_cmpuint (n_strings, ==, n_ids);
    }
}

/* The spec says what the one declaration of the synced entities says: the same fields with
 * the same types, limits and vocabularies, and the same required fields on create. */
static void
test_matches_sync_entities (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = spec_path ();
  g_autoptr (JsonParser) parser = json_parser_new ();
  static const struct {
    const char *entity;
    const char *schema;
  } names[] = {
    { "deelnemers", "Deelnemer" }, { "notities", "Notitie" }, { "activiteiten", "Activiteit" },
    { "vaardigheden", "Vaardigheid" }, { "toestemmingen", "Toestemming" },
    { "statuswijzigingen", "Statuswijziging" }, { "conflicten", "Conflict" },
  };
  JsonObject *schemas;
  guint n_entities;
  const KoersSyncEntity *entities = koers_sync_entities (&n_entities);

  g_assert_true (json_parser_load_from_file (parser, path, NULL));
  schemas = json_object_get_object_member (
    json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                   "components"), "schemas");
  g_assert_cmpuint (n_entities, ==, G_N_ELEMENTS (names));
  for (guint e = 0; e < n_entities; e++)
    {
      const KoersSyncEntity *entity = &entities[e];
      g_autofree char *data_name = NULL;
      g_autofree char *input_name = NULL;
      JsonObject *properties;
      JsonObject *input = NULL;
      guint n_required = 0;

      g_assert_cmpstr (entity->name, ==, names[e].entity);
      data_name = g_strconcat (names[e].schema, "Gegevens", NULL);
      input_name = g_strconcat (names[e].schema, "Invoer", NULL);
      properties = json_object_get_object_member (json_object_get_object_member (schemas,
                                                                                 data_name),
                                                  "properties");
      g_assert_cmpuint (json_object_get_size (properties), ==, entity->n_fields);
      if (json_object_has_member (schemas, input_name))
        input = json_object_get_object_member (schemas, input_name);
      /* Clients never create conflicts. */
      g_assert_true ((input == NULL) == (entity->kind == KOERS_SYNC_ENTITY_SERVER_MADE));
      for (guint f = 0; f < entity->n_fields; f++)
        {
          const KoersSyncField *field = &entity->fields[f];

          g_assert_true (json_object_has_member (properties, field->name));
          assert_field_matches (entity, field,
                                json_object_get_object_member (properties, field->name));
          if (input != NULL && field->required)
            {
              JsonArray *required = json_object_get_array_member (input, "required");
              gboolean found = FALSE;

              for (guint i = 0; i < json_array_get_length (required); i++)
                found |= g_str_equal (json_array_get_string_element (required, i), field->name);
              g_assert_true (found);
              n_required++;
            }
        }
      if (input != NULL)
        g_assert_cmpuint (json_array_get_length (json_object_get_array_member (input,
                                                                               "required")),
                          ==, n_required);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/spec-check/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("accepts-profile", test_accepts_profile);
  ADD ("accepts-feed", test_accepts_feed);
  ADD ("accepts-mutation-results", test_accepts_mutation_results);
  ADD ("accepts-problems", test_accepts_problems);
  ADD ("accepts-served-spec", test_accepts_served_spec);
  ADD ("lists-operations", test_lists_operations);
  ADD ("rejects-missing-api-version", test_rejects_missing_api_version);
  ADD ("rejects-security-headers", test_rejects_security_headers);
  ADD ("rejects-undocumented-status", test_rejects_undocumented_status);
  ADD ("rejects-missing-required", test_rejects_missing_required);
  ADD ("rejects-wrong-type", test_rejects_wrong_type);
  ADD ("rejects-extra-member", test_rejects_extra_member);
  ADD ("rejects-bad-enum", test_rejects_bad_enum);
  ADD ("rejects-bad-formats", test_rejects_bad_formats);
  ADD ("rejects-feed-item-of-no-kind", test_rejects_feed_item_of_no_kind);
  ADD ("rejects-pagination-links", test_rejects_pagination_links);
  ADD ("rejects-leaks", test_rejects_leaks);
  ADD ("rejects-non-problem-errors", test_rejects_non_problem_errors);
  ADD ("request-schemas", test_request_schemas);
  ADD ("matches-sync-entities", test_matches_sync_entities);
#undef ADD

  return g_test_run ();
}
