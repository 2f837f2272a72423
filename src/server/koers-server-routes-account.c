/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Routes about the caller and the organisation rather than participant records: the
 * specification, the profile, devices, aggregates and the audit trail.
 */
#include "config.h"

#include "server/koers-server-http-private.h"

#include "core/koers-uuid.h"
#include "server/koers-server-json.h"
#include "server/koers-server-spec.h"

static void
get_openapi (KoersServerRequest *request)
{
  g_autoptr (GBytes) spec = koers_server_spec_get_bytes ();
  gsize length = 0;
  const char *data = g_bytes_get_data (spec, &length);

  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (request->msg));
  soup_server_message_set_status (request->msg, 200, NULL);
  soup_server_message_set_response (request->msg, "application/json", SOUP_MEMORY_COPY, data,
                                    length);
}

static void
get_profile (KoersServerRequest *request)
{
  const KoersServerCaller *caller = request->caller;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (caller->organisation_id) };
  g_autoptr (KoersSqlRows) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  rows = koers_server_db_query (koers_server_get_db (request->server),
                                "SELECT name FROM organisations WHERE id = $1",
                                params, G_N_ELEMENTS (params), &error);
  if (rows == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  if (koers_sql_rows_get_n_rows (rows) != 1)
    {
      koers_server_http_send_unavailable (request->msg);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "gebruikerId");
  json_builder_add_string_value (builder, caller->user_id);
  json_builder_set_member_name (builder, "naam");
  json_builder_add_string_value (builder, caller->display_name);
  json_builder_set_member_name (builder, "rol");
  json_builder_add_string_value (builder, koers_server_role_to_string (caller->role));
  json_builder_set_member_name (builder, "organisatie");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, caller->organisation_id);
  json_builder_set_member_name (builder, "naam");
  json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, 0, 0));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "apparaatId");
  if (caller->device_id != NULL)
    json_builder_add_string_value (builder, caller->device_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  body = json_builder_get_root (builder);
  koers_server_http_send_json (request->msg, 200, body);
}

static void
list_devices (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) body = koers_server_auth_list_devices (request->auth, request->caller,
                                                              &error);

  if (body == NULL)
    koers_server_http_send_error (request->msg, error);
  else
    koers_server_http_send_json (request->msg, 200, body);
}

static void
revoke_device (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;

  if (!koers_server_auth_revoke_device (request->auth, request->caller, request->id, &error))
    {
      /* The auth layer's sentence is the admin tool's, in English; the API speaks Dutch and
       * says of a device no more than it does of a record. */
      if (g_error_matches (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND))
        koers_server_http_send_problem (request->msg, 404,
                                        "Het apparaat bestaat niet of valt buiten uw bereik.");
      else
        koers_server_http_send_error (request->msg, error);
    }
  else
    koers_server_http_send_empty (request->msg, 204);
}

/* The organisation's users, so a client can name the coach of a participant instead of
 * showing an id. Staff names and roles only; nothing about participants. */
static void
list_staff (KoersServerRequest *request)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (request->caller->organisation_id) };
  g_autoptr (KoersSqlRows) rows = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonNode) body = NULL;

  rows = koers_server_db_query (koers_server_get_db (request->server),
                                "SELECT id, display_name, role, disabled FROM users "
                                "WHERE organisation_id = $1 ORDER BY display_name, id",
                                params, G_N_ELEMENTS (params), &error);
  if (rows == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "items");
  json_builder_begin_array (builder);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 0));
      json_builder_set_member_name (builder, "naam");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 1));
      json_builder_set_member_name (builder, "rol");
      json_builder_add_string_value (builder, koers_sql_rows_get_text (rows, i, 2));
      json_builder_set_member_name (builder, "actief");
      json_builder_add_boolean_value (builder, koers_sql_rows_get_int (rows, i, 3) == 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "volgendeCursor");
  json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  body = json_builder_get_root (builder);
  koers_server_http_send_json (request->msg, 200, body);
}

static void
get_counts (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) body = koers_server_engine_counts (request->engine, request->caller,
                                                          &error);

  if (body == NULL)
    koers_server_http_send_error (request->msg, error);
  else
    koers_server_http_send_json (request->msg, 200, body);
}

static void
list_audit (KoersServerRequest *request)
{
  const char *record_id = koers_server_http_query_get (request, "recordId");
  KoersServerListQuery query = { .resolved = -1 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) page = NULL;

  if (record_id != NULL && !koers_uuid_is_valid (record_id))
    {
      koers_server_http_send_invalid (request->msg, "recordId",
                                      "moet een UUID in kleine letters zijn");
      return;
    }
  if (!koers_server_http_parse_limit (request->query, KOERS_SERVER_LIMIT_DEFAULT_LIST,
                                      &query.limit))
    {
      koers_server_http_send_invalid (request->msg, "limiet",
                                      "moet een geheel getal van 1 tot en met 500 zijn");
      return;
    }
  query.cursor = koers_server_http_query_get (request, "cursor");

  page = koers_server_engine_list_audit (request->engine, request->caller, record_id, &query,
                                         &error);
  /* Who looked at a participant is itself about that participant. */
  if (!koers_server_http_audit (request, "lezen", "audit-gebeurtenissen", record_id,
                                page != NULL))
    return;
  if (page == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }
  koers_server_http_send_page (request, page, query.limit, record_id != NULL ? "recordId" : NULL,
                               record_id);
}

static void
upload_audit (KoersServerRequest *request)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) answer = json_object_new ();
  g_autoptr (JsonNode) body = json_node_new (JSON_NODE_OBJECT);
  guint n_stored = 0;

  if (!koers_server_engine_upload_audit (request->engine, request->caller, request->body,
                                         &n_stored, &error))
    {
      koers_server_http_send_error (request->msg, error);
      return;
    }

  json_object_set_int_member (answer, "aantalOpgeslagen", n_stored);
  json_node_set_object (body, answer);
  koers_server_http_send_json (request->msg, 200, body);
}

static const char * const audit_keys[] = { "recordId", "cursor", "limiet", NULL };

static const KoersServerRoute account_routes[] = {
  { "GET", "/v1/openapi.json", NULL, KOERS_ROUTE_PUBLIC, get_openapi, NULL },
  { "GET", "/v1/profiel", NULL, 0, get_profile, NULL },
  { "GET", "/v1/apparaten", NULL, 0, list_devices, NULL },
  { "DELETE", "/v1/apparaten/{id}", NULL, 0, revoke_device, NULL },
  { "GET", "/v1/medewerkers", NULL, 0, list_staff, NULL },
  { "GET", "/v1/kengetallen", NULL, 0, get_counts, NULL },
  { "GET", "/v1/audit-gebeurtenissen", audit_keys, KOERS_ROUTE_ONDERSTEUNER, list_audit, NULL },
  { "POST", "/v1/audit-gebeurtenissen", NULL, KOERS_ROUTE_JSON_BODY, upload_audit, NULL },
};

const KoersServerRoute *
koers_server_routes_account (guint *out_n)
{
  *out_n = G_N_ELEMENTS (account_routes);
  return account_routes;
}
