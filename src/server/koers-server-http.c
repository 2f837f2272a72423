/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-http-private.h"

#include "server/koers-server-audit-batch.h"
#include "server/koers-server-json.h"
#include "server/koers-server-db-private.h"

#include <string.h>

/* Wire texts are Dutch whatever the server's locale (NL API Design Rules), so they are plain
 * literals, not gettext msgids. */
typedef struct {
  guint       status;
  const char *slug;
  const char *title;
} ProblemKind;

static const ProblemKind problem_kinds[] = {
  { 400, "ongeldige-invoer", "Ongeldige invoer" },
  { 401, "niet-aangemeld", "Niet aangemeld" },
  { 403, "geen-toegang", "Geen toegang" },
  { 404, "niet-gevonden", "Niet gevonden" },
  { 405, "methode-niet-toegestaan", "Methode niet toegestaan" },
  { 406, "niet-aanvaardbaar", "Niet aanvaardbaar" },
  { 409, "conflict", "Conflict" },
  { 410, "cursor-verlopen", "Cursor verlopen" },
  { 412, "versie-verouderd", "Versie komt niet overeen" },
  { 413, "te-groot", "Verzoek te groot" },
  { 415, "mediatype-niet-ondersteund", "Mediatype niet ondersteund" },
  { 428, "if-match-vereist", "If-Match vereist" },
  { 417, "verwachting-niet-ondersteund", "Expect niet ondersteund" },
  { 429, "te-veel-verzoeken", "Te veel verzoeken" },
  { 500, "interne-fout", "Interne fout" },
  { 501, "niet-ondersteund", "Niet ondersteund" },
  { 503, "niet-beschikbaar", "Tijdelijk niet beschikbaar" },
  { 505, "http-versie-niet-ondersteund", "HTTP-versie niet ondersteund" },
};

/* Seconds a client waits before retrying after a 503: short, since the usual cause is a lock
 * another process holds for a moment (docs/api-protocol.md, "Limits"). */
#define RETRY_AFTER_UNAVAILABLE "2"

static const ProblemKind *
problem_kind_for (guint status)
{
  for (guint i = 0; i < G_N_ELEMENTS (problem_kinds); i++)
    if (problem_kinds[i].status == status)
      return &problem_kinds[i];

  return &problem_kinds[G_N_ELEMENTS (problem_kinds) - 2];   /* 500 */
}

void
koers_server_http_apply_common_headers (SoupMessageHeaders *headers)
{
  g_return_if_fail (headers != NULL);

  soup_message_headers_replace (headers, "API-Version", KOERS_SERVER_API_VERSION);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; frame-ancestors 'none'");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Strict-Transport-Security", "max-age=31536000");
}

static void
set_body (SoupServerMessage *msg,
          guint              status,
          const char        *content_type,
          JsonNode          *body)
{
  g_autoptr (GBytes) bytes = koers_server_json_to_bytes (body);
  gsize length = 0;
  const char *data = g_bytes_get_data (bytes, &length);

  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, length);
}

void
koers_server_http_send_json (SoupServerMessage *msg,
                             guint              status,
                             JsonNode          *body)
{
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (body != NULL);

  set_body (msg, status, "application/json", body);
}

void
koers_server_http_send_empty (SoupServerMessage *msg,
                              guint              status)
{
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
}

static void
set_instance (JsonObject *problem,
              const char *path)
{
  /* libsoup hands over the path percent-decoded, so it may hold any byte ("%ff", "%0a"):
   * encoded again it is the URI reference RFC 9457 asks for, and always valid UTF-8. */
  g_autofree char *encoded = g_uri_escape_string (path, G_URI_RESERVED_CHARS_ALLOWED_IN_PATH,
                                                  TRUE);

  json_object_set_string_member (problem, "instance", encoded);
}

JsonObject *
koers_server_http_problem_new (guint       status,
                               const char *detail,
                               const char *instance)
{
  const ProblemKind *kind = problem_kind_for (status);
  g_autofree char *type = g_strconcat (KOERS_SERVER_PROBLEM_BASE, kind->slug, NULL);
  JsonObject *problem = json_object_new ();

  json_object_set_string_member (problem, "type", type);
  json_object_set_string_member (problem, "title", kind->title);
  json_object_set_int_member (problem, "status", status);
  /* detail is required by the specification's Probleem schema. */
  json_object_set_string_member (problem, "detail", detail != NULL ? detail : kind->title);
  if (instance != NULL)
    set_instance (problem, instance);

  return problem;
}

static const char *
instance_of (SoupServerMessage *msg)
{
  GUri *uri = soup_server_message_get_uri (msg);

  /* The path only: the query could hold what a client should not have put in a URL. */
  return uri != NULL ? g_uri_get_path (uri) : NULL;
}

void
koers_server_http_send_problem_object (SoupServerMessage *msg,
                                       JsonObject        *problem)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  guint status;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (problem != NULL);

  status = (guint) json_object_get_int_member (problem, "status");
  if (!json_object_has_member (problem, "instance") && instance_of (msg) != NULL)
    set_instance (problem, instance_of (msg));
  json_node_set_object (node, problem);
  set_body (msg, status, "application/problem+json", node);
}

void
koers_server_http_send_problem (SoupServerMessage *msg,
                                guint              status,
                                const char        *detail)
{
  g_autoptr (JsonObject) problem = NULL;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  problem = koers_server_http_problem_new (status, detail, instance_of (msg));
  koers_server_http_send_problem_object (msg, problem);
}

/* A member name from the request is echoed only when it looks like a field name: a hostile
 * client must not get control characters, megabytes or someone's name back in an error. */
static gboolean
is_echoable_name (const char *name)
{
  if (!g_utf8_validate (name, -1, NULL) || g_utf8_strlen (name, -1) > 64)
    return FALSE;
  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isgraph (g_utf8_get_char (p)))
      return FALSE;
  return *name != '\0';
}

static JsonObject *
invalid_problem_new (SoupServerMessage *msg,
                     const char        *field,
                     const char        *reason)
{
  g_autofree char *detail = NULL;
  JsonObject *problem;

  if (field != NULL && !is_echoable_name (field))
    field = "(onbekend veld)";

  detail = field != NULL ? g_strdup_printf ("%s: %s", field, reason) : g_strdup (reason);
  problem = koers_server_http_problem_new (400, detail, instance_of (msg));
  if (field != NULL)
    {
      JsonArray *fields = json_array_new ();
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "naam", field);
      json_object_set_string_member (entry, "reden", reason);
      json_array_add_object_element (fields, entry);
      json_object_set_array_member (problem, "ongeldigeVelden", fields);
    }
  return problem;
}

void
koers_server_http_send_invalid (SoupServerMessage *msg,
                                const char        *field,
                                const char        *reason)
{
  g_autoptr (JsonObject) problem = NULL;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (reason != NULL);

  problem = invalid_problem_new (msg, field, reason);
  koers_server_http_send_problem_object (msg, problem);
}

void
koers_server_http_send_unavailable (SoupServerMessage *msg)
{
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));

  koers_server_http_send_problem (msg, 503,
                                  "De server kan dit verzoek nu niet verwerken; "
                                  "probeer het later opnieuw.");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Retry-After", RETRY_AFTER_UNAVAILABLE);
}

guint
koers_server_http_status_for_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (error->domain == KOERS_SERVER_ENGINE_ERROR)
    {
      switch ((KoersServerEngineError) error->code)
        {
        case KOERS_SERVER_ENGINE_ERROR_INVALID: return 400;
        case KOERS_SERVER_ENGINE_ERROR_FORBIDDEN: return 403;
        case KOERS_SERVER_ENGINE_ERROR_NOT_FOUND: return 404;
        case KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP: return 409;
        case KOERS_SERVER_ENGINE_ERROR_CONFLICT: return 409;
        case KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED: return 410;
        case KOERS_SERVER_ENGINE_ERROR_PRECONDITION: return 412;
        case KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE: return 503;
        default: return 500;
        }
    }
  if (error->domain == KOERS_SERVER_AUTH_ERROR)
    {
      switch ((KoersServerAuthError) error->code)
        {
        case KOERS_SERVER_AUTH_ERROR_INVALID: return 400;
        case KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED: return 401;
        case KOERS_SERVER_AUTH_ERROR_NOT_FOUND: return 404;
        case KOERS_SERVER_AUTH_ERROR_EXISTS: return 409;
        case KOERS_SERVER_AUTH_ERROR_UNAVAILABLE: return 503;
        default: return 500;
        }
    }
  if (error->domain == KOERS_SERVER_JSON_ERROR)
    {
      switch ((KoersServerJsonError) error->code)
        {
        case KOERS_SERVER_JSON_ERROR_INVALID: return 400;
        case KOERS_SERVER_JSON_ERROR_TOO_LARGE: return 413;
        case KOERS_SERVER_JSON_ERROR_MEDIA_TYPE: return 415;
        default: return 500;
        }
    }
  if (error->domain == KOERS_SERVER_DB_ERROR && error->code == KOERS_SERVER_DB_ERROR_BUSY)
    return 503;

  return 500;
}

/* Engine messages for INVALID name the place first ("mutaties[3].velden.naam: ..."); that
 * place becomes the ongeldigeVelden entry. */
static gboolean
split_field_message (const char  *message,
                     char       **out_field,
                     const char **out_reason)
{
  const char *colon = strstr (message, ": ");

  if (colon == NULL || colon == message || memchr (message, ' ', colon - message) != NULL)
    return FALSE;

  *out_field = g_strndup (message, colon - message);
  *out_reason = colon + 2;
  return TRUE;
}

/* The 400 of an error: its message's place, when it names one, in ongeldigeVelden. */
static JsonObject *
invalid_problem_for_error (SoupServerMessage *msg,
                           const GError      *error)
{
  g_autofree char *field = NULL;
  const char *reason = NULL;

  if (split_field_message (error->message, &field, &reason))
    return invalid_problem_new (msg, field, reason);
  return invalid_problem_new (msg, NULL, error->message);
}

void
koers_server_http_send_error (SoupServerMessage *msg,
                              const GError      *error)
{
  guint status;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (error != NULL);

  status = koers_server_http_status_for_error (error);
  switch (status)
    {
    case 400:
      {
        g_autoptr (JsonObject) problem = invalid_problem_for_error (msg, error);

        koers_server_http_send_problem_object (msg, problem);
      }
      break;
    case 401:
      koers_server_http_send_problem (msg, 401, "Een geldig toegangstoken is vereist.");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"koers\"");
      break;
    case 503:
      koers_server_http_send_unavailable (msg);
      break;
    case 500:
      /* Storage and internal messages can quote SQL or paths: log them, never send them. */
      g_message ("koers-server: internal error: %s", error->message);
      koers_server_http_send_problem (msg, 500, "Er ging iets mis op de server.");
      break;
    default:
      koers_server_http_send_problem (msg, status, error->message);
      break;
    }
}

void
koers_server_http_send_refusal (SoupServerMessage        *msg,
                                const GError             *error,
                                const KoersServerRefusal *refusal)
{
  g_autoptr (JsonObject) problem = NULL;
  guint status;

  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (error != NULL);

  status = koers_server_http_status_for_error (error);
  /* Only the engine's refusals have a code; whatever else failed is answered as ever. */
  if (refusal == NULL || koers_sync_refusal_to_code (refusal->code) == NULL
      || (status != 400 && status != 403 && status != 404 && status != 409))
    {
      koers_server_http_send_error (msg, error);
      return;
    }

  if (status == 400)
    problem = invalid_problem_for_error (msg, error);
  else
    problem = koers_server_http_problem_new (status, error->message, instance_of (msg));
  /* The pair an afgewezen MutatieResultaat carries, the same on every status, so a client
   * reads one refusal one way whichever path it came by. */
  json_object_set_string_member (problem, "redenCode",
                                 koers_sync_refusal_to_code (refusal->code));
  if (refusal->field != NULL)
    json_object_set_string_member (problem, "veld", refusal->field);
  else
    json_object_set_null_member (problem, "veld");
  koers_server_http_send_problem_object (msg, problem);
}

/* The audit row(s) written at once on the server's connection: inside the request's open
 * transaction (they commit with it), or for a read that failed. @page: the rows of a page
 * (nullable: a failed read) when @is_page, else one row for @record_id. */
static gboolean
audit_at_once (KoersServerRequest *request,
               const char         *action,
               const char         *entity,
               const char         *record_id,
               gboolean            is_page,
               KoersServerParticipantSet *participants,
               gboolean            success)
{
  g_autoptr (GError) error = NULL;
  KoersServerDb *db = koers_server_get_db (request->server);
  guint lock_timeout = koers_server_db_get_lock_timeout (db);
  gboolean audited;

  /* The request just failed because the database was busy: the audit row would wait for
   * the same lock a second time before the 503. It gets one try without waiting. */
  if (!success && (request->failed_busy || koers_server_db_last_was_busy (db)))
    koers_server_db_set_lock_timeout (db, 1);
  if (is_page)
    audited = koers_server_engine_audit_participants (request->engine, request->caller,
                                                      action, entity, participants, success,
                                                      &error);
  else
    audited = koers_server_engine_audit (request->engine, request->caller, action, entity,
                                         record_id, NULL, success, &error);
  if (koers_server_db_get_lock_timeout (db) != lock_timeout)
    koers_server_db_set_lock_timeout (db, lock_timeout);
  if (audited)
    return TRUE;

  g_message ("koers-server: audit failed, request refused: %s",
             error != NULL ? error->message : "no reason given");
  koers_server_http_send_unavailable (request->msg);
  return FALSE;
}

gboolean
koers_server_http_audit (KoersServerRequest *request,
                         const char         *action,
                         const char         *entity,
                         const char         *record_id,
                         gboolean            success)
{
  KoersServerDb *db;

  g_return_val_if_fail (request != NULL && request->caller != NULL, FALSE);

  db = koers_server_get_db (request->server);
  if (!koers_server_db_in_transaction (db) && (success || !koers_server_db_last_was_busy (db)))
    {
      koers_server_audit_queue_add (koers_server_get_audit_queue (request->server), request->msg,
                                    request->caller, action, entity, record_id, success);
      return TRUE;
    }
  return audit_at_once (request, action, entity, record_id, FALSE, NULL, success);
}

gboolean
koers_server_http_audit_participants (KoersServerRequest *request,
                                      const char         *action,
                                      const char         *entity,
                                      KoersServerParticipantSet *participants,
                                      gboolean            success)
{
  g_return_val_if_fail (request != NULL && request->caller != NULL, FALSE);

  if (success && !koers_server_db_in_transaction (koers_server_get_db (request->server)))
    {
      koers_server_audit_queue_add_participants (koers_server_get_audit_queue (request->server),
                                                 request->msg, request->caller, action, entity,
                                                 participants);
      return TRUE;
    }
  return audit_at_once (request, action, entity, NULL, TRUE, participants, success);
}

gboolean
koers_server_http_audit_page (KoersServerRequest *request,
                              const char         *action,
                              const char         *entity,
                              JsonNode           *page)
{
  g_autoptr (KoersServerParticipantSet) participants = koers_server_audit_page_participants (page);

  return koers_server_http_audit_participants (request, action, entity, participants,
                                               page != NULL);
}

void
koers_server_http_send_json_text (SoupServerMessage *msg,
                                  guint              status,
                                  char              *text,
                                  gsize              length)
{
  g_return_if_fail (SOUP_IS_SERVER_MESSAGE (msg));
  g_return_if_fail (text != NULL);

  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (msg));
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE, text, length);
}

void
koers_server_http_send_page (KoersServerRequest *request,
                             JsonNode           *page,
                             guint               limit,
                             const char         *extra_key,
                             const char         *extra_value)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (page) ? json_node_get_object (page) : NULL;
  const char *next = koers_server_json_get_string (object, "volgendeCursor");

  if (next != NULL && *next != '\0')
    koers_server_http_set_next_link (request->msg, request->path, "cursor", next, limit,
                                     extra_key, extra_value);
  koers_server_http_send_json (request->msg, 200, page);
}

void
koers_server_http_send_method_not_allowed (SoupServerMessage *msg,
                                           GPtrArray         *allowed)
{
  g_autoptr (GString) allow = g_string_new (NULL);

  for (guint i = 0; i < allowed->len; i++)
    {
      const char *method = g_ptr_array_index (allowed, i);

      if (strstr (allow->str, method) != NULL)
        continue;
      if (allow->len > 0)
        g_string_append (allow, ", ");
      g_string_append (allow, method);
    }

  koers_server_http_send_problem (msg, 405, "Deze methode kan niet op deze resource.");
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                allow->str);
}
