/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The entity resources: participants and their child records as plain REST resources over
 * the same engine as sync (each write is one mutation on behalf of the user's server device).
 * Reads and writes of participant data are audited; no personal data travels in a URL, so a
 * name search is POST .../_zoek.
 */
#include "config.h"

#include "server/koers-server-http-private.h"

#include "core/koers-uuid.h"
#include "server/koers-server-json.h"

#define PARTICIPANTS "deelnemers"
#define OUTCOME_FIELD "uitkomst"
#define OUTCOME_DATE_FIELD "uitkomstDatum"

static const char *
entity_of (KoersServerRequest *request)
{
  return request->data;
}

static gint64
version_of (JsonNode *record)
{
  gint64 version = 0;

  if (JSON_NODE_HOLDS_OBJECT (record))
    koers_server_json_get_int (json_node_get_object (record), "versie", &version);

  return version;
}

static gboolean
if_match (KoersServerRequest *request,
          gint64             *out_version)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);

  if (koers_server_http_parse_if_match (soup_message_headers_get_one (headers, "If-Match"),
                                        out_version))
    return TRUE;

  koers_server_http_send_invalid (request->msg, "If-Match",
                                  "moet één ETag zijn zoals \"57\"");
  return FALSE;
}

static void
send_record (KoersServerRequest *request,
             guint               status,
             JsonNode           *record)
{
  koers_server_http_set_etag (request->msg, version_of (record));
  koers_server_http_send_json (request->msg, status, record);
}

/* ---- collections ------------------------------------------------------------------------ */

static gboolean
read_list_query (KoersServerRequest   *request,
                 KoersServerListQuery *query)
{
  query->resolved = -1;
  query->participant_id = koers_server_http_query_get (request, "deelnemerId");
  query->cursor = koers_server_http_query_get (request, "cursor");

  if (query->participant_id != NULL && !koers_uuid_is_valid (query->participant_id))
    {
      koers_server_http_send_invalid (request->msg, "deelnemerId",
                                      "moet een UUID in kleine letters zijn");
      return FALSE;
    }
  if (!koers_server_http_parse_limit (request->query, KOERS_SERVER_LIMIT_DEFAULT_LIST,
                                      &query->limit))
    {
      koers_server_http_send_invalid (request->msg, "limiet",
                                      "moet een geheel getal van 1 tot en met 500 zijn");
      return FALSE;
    }

  return TRUE;
}

static void
list_records (KoersServerRequest *request)
{
  KoersServerListQuery query = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;

  if (!read_list_query (request, &query))
    return;

  page = koers_server_engine_list (request->engine, request->caller, entity_of (request), &query,
                                   &error);
  if (!koers_server_http_audit_page (request, "lezen", entity_of (request), page))
    return;
  if (page == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  koers_server_http_send_page (request, page, query.limit,
                               query.participant_id != NULL ? "deelnemerId" : NULL,
                               query.participant_id);
}

/* POST /v1/deelnemers/_zoek {"zoekterm", "cursor"?, "limiet"?}: the term stays out of URLs,
 * logs and the audit trail. */
static void
search_participants (KoersServerRequest *request)
{
  JsonObject *body = json_node_get_object (request->body);
  KoersServerListQuery query = { .resolved = -1, .limit = KOERS_SERVER_LIMIT_DEFAULT_LIST };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;
  g_autoptr (GList) members = json_object_get_members (body);
  JsonNode *limit_node;

  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_strcmp0 (l->data, "zoekterm") != 0 && g_strcmp0 (l->data, "cursor") != 0
          && g_strcmp0 (l->data, "limiet") != 0)
        {
          koers_server_http_send_invalid (request->msg, l->data, "is geen bekend veld");
          return;
        }
    }

  query.search = koers_server_json_get_string (body, "zoekterm");
  if (query.search == NULL || *query.search == '\0' || g_utf8_strlen (query.search, -1) > 200)
    {
      koers_server_http_send_invalid (request->msg, "zoekterm",
                                      "moet tekst van 1 tot en met 200 tekens zijn");
      return;
    }
  limit_node = json_object_get_member (body, "limiet");
  if (limit_node != NULL)
    {
      gint64 limit = 0;

      if (!koers_server_json_get_int (body, "limiet", &limit)
          || limit < 1 || limit > KOERS_SERVER_LIMIT_MAX)
        {
          koers_server_http_send_invalid (request->msg, "limiet",
                                          "moet een geheel getal van 1 tot en met 500 zijn");
          return;
        }
      query.limit = (guint) limit;
    }
  if (json_object_has_member (body, "cursor"))
    {
      query.cursor = koers_server_json_get_string (body, "cursor");
      if (query.cursor == NULL || *query.cursor == '\0')
        {
          koers_server_http_send_invalid (request->msg, "cursor",
                                          "moet de volgendeCursor van de vorige pagina zijn");
          return;
        }
    }

  page = koers_server_engine_list (request->engine, request->caller, PARTICIPANTS, &query,
                                   &error);
  if (!koers_server_http_audit_page (request, "zoeken", entity_of (request), page))
    return;
  if (page == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  /* The next page of a search is another POST with the cursor in the body: no Link. */
  koers_server_http_send_json (request->msg, 200, page);
}

/* ---- single records --------------------------------------------------------------------- */

static void
get_record (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;

  record = koers_server_engine_get (request->engine, request->caller, entity_of (request),
                                    request->id, &error);
  if (!koers_server_http_audit (request, "lezen", entity_of (request), request->id,
                                record != NULL))
    return;
  if (record == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  send_record (request, 200, record);
}

static void
create_record (KoersServerRequest *request)
{
  g_autofree char *id = koers_uuid_new_time_ordered ();
  g_autofree char *location = NULL;
  g_auto (KoersServerRefusal) refusal = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;

  /* Audited inside the write's transaction (koers_server_engine_write_audited). */
  record = koers_server_engine_write_audited (request->engine, request->caller,
                                              entity_of (request), id, KOERS_SERVER_WRITE_CREATE,
                                              json_node_get_object (request->body), 0,
                                              "aanmaken", NULL, &refusal, &error);
  if (record == NULL)
    {
      koers_server_http_send_refusal (request->msg, error, &refusal);
      return;
    }

  location = g_strdup_printf ("/v1/%s/%s", entity_of (request), id);
  soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                "Location", location);
  send_record (request, 201, record);
}

static void
write_record (KoersServerRequest   *request,
              KoersServerWriteKind  kind,
              const char           *action)
{
  g_auto (KoersServerRefusal) refusal = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;
  JsonObject *fields = request->body != NULL ? json_node_get_object (request->body) : NULL;
  gint64 version = 0;

  if (!if_match (request, &version))
    return;

  record = koers_server_engine_write_audited (request->engine, request->caller,
                                              entity_of (request), request->id, kind, fields,
                                              version, action, NULL, &refusal, &error);
  if (record == NULL)
    {
      koers_server_http_send_refusal (request->msg, error, &refusal);
      return;
    }

  if (kind == KOERS_SERVER_WRITE_DELETE)
    {
      koers_server_http_set_etag (request->msg, version_of (record));
      koers_server_http_send_empty (request->msg, 204);
    }
  else
    send_record (request, 200, record);
}

static void
replace_record (KoersServerRequest *request)
{
  write_record (request, KOERS_SERVER_WRITE_REPLACE, "wijzigen");
}

static void
delete_record (KoersServerRequest *request)
{
  write_record (request, KOERS_SERVER_WRITE_DELETE, "verwijderen");
}

/* ---- the outcome: two fields of the participant as their own resource ------------------- */

static void
send_outcome (KoersServerRequest *request,
              JsonNode           *record)
{
  JsonObject *fields = koers_server_json_get_object (json_node_get_object (record), "gegevens");
  g_autoptr (JsonObject) outcome = json_object_new ();
  g_autoptr (JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  const char *names[] = { OUTCOME_FIELD, OUTCOME_DATE_FIELD };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      JsonNode *value = fields != NULL ? json_object_get_member (fields, names[i]) : NULL;

      if (value != NULL)
        json_object_set_member (outcome, names[i], json_node_copy (value));
      else
        json_object_set_null_member (outcome, names[i]);
    }

  json_node_set_object (body, outcome);
  koers_server_http_set_etag (request->msg, version_of (record));
  koers_server_http_send_json (request->msg, 200, body);
}

static void
get_outcome (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;

  record = koers_server_engine_get (request->engine, request->caller, PARTICIPANTS, request->id,
                                    &error);
  if (!koers_server_http_audit (request, "lezen", PARTICIPANTS, request->id, record != NULL))
    return;
  if (record == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  send_outcome (request, record);
}

static void
put_outcome (KoersServerRequest *request)
{
  JsonObject *body = json_node_get_object (request->body);
  g_autoptr (GList) members = json_object_get_members (body);
  g_auto (KoersServerRefusal) refusal = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) record = NULL;
  gint64 version = 0;

  /* Only the outcome's own two fields: the rest of the participant is not this resource. */
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (g_strcmp0 (l->data, OUTCOME_FIELD) != 0 && g_strcmp0 (l->data, OUTCOME_DATE_FIELD) != 0)
        {
          koers_server_http_send_invalid (request->msg, l->data, "is geen veld van de uitkomst");
          return;
        }
    }
  if (!if_match (request, &version))
    return;

  record = koers_server_engine_write_audited (request->engine, request->caller, PARTICIPANTS,
                                              request->id, KOERS_SERVER_WRITE_PATCH, body,
                                              version, "wijzigen", NULL, &refusal, &error);
  if (record == NULL)
    {
      koers_server_http_send_refusal (request->msg, error, &refusal);
      return;
    }
  send_outcome (request, record);
}

/* ---- the table -------------------------------------------------------------------------- */

static const char * const list_keys[] = { "cursor", "limiet", NULL };
static const char * const child_list_keys[] = { "deelnemerId", "cursor", "limiet", NULL };

#define P KOERS_ROUTE_PERSONAL
#define BODY KOERS_ROUTE_JSON_BODY
#define IFM KOERS_ROUTE_IF_MATCH

/* A child entity: list by participant, create, read; mergeable ones also replace and delete. */
#define CHILD_ROUTES(name) \
  { "GET", "/v1/" name, child_list_keys, P, list_records, name }, \
  { "POST", "/v1/" name, NULL, P | BODY, create_record, name }, \
  { "GET", "/v1/" name "/{id}", NULL, P, get_record, name }
#define CHILD_WRITE_ROUTES(name) \
  { "PUT", "/v1/" name "/{id}", NULL, P | BODY | IFM, replace_record, name }, \
  { "DELETE", "/v1/" name "/{id}", NULL, P | IFM, delete_record, name }

static const KoersServerRoute entity_routes[] = {
  { "GET", "/v1/deelnemers", list_keys, P, list_records, PARTICIPANTS },
  { "POST", "/v1/deelnemers", NULL, P | BODY, create_record, PARTICIPANTS },
  { "POST", "/v1/deelnemers/_zoek", NULL, P | BODY, search_participants, PARTICIPANTS },
  { "GET", "/v1/deelnemers/{id}", NULL, P, get_record, PARTICIPANTS },
  { "PUT", "/v1/deelnemers/{id}", NULL, P | BODY | IFM, replace_record, PARTICIPANTS },
  { "DELETE", "/v1/deelnemers/{id}", NULL, P | IFM, delete_record, PARTICIPANTS },
  { "GET", "/v1/deelnemers/{id}/uitkomst", NULL, P, get_outcome, PARTICIPANTS },
  { "PUT", "/v1/deelnemers/{id}/uitkomst", NULL, P | BODY | IFM, put_outcome, PARTICIPANTS },
  /* Notes and status changes are append-only: an edit is a new revision, never a PUT. */
  CHILD_ROUTES ("notities"),
  CHILD_ROUTES ("activiteiten"),
  CHILD_WRITE_ROUTES ("activiteiten"),
  CHILD_ROUTES ("vaardigheden"),
  CHILD_WRITE_ROUTES ("vaardigheden"),
  CHILD_ROUTES ("toestemmingen"),
  CHILD_WRITE_ROUTES ("toestemmingen"),
  CHILD_ROUTES ("statuswijzigingen"),
};

const KoersServerRoute *
koers_server_routes_entities (guint *out_n)
{
  *out_n = G_N_ELEMENTS (entity_routes);
  return entity_routes;
}
