/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What every route of koers-server shares: the request context a handler gets, the route
 * table entries, and the response helpers that keep every answer within the protocol
 * (API-Version and security headers on every response, problem+json for every error, ETag,
 * Link rel="next"). Private to src/server.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "server/koers-server.h"
#include "server/koers-server-audit-queue.h"
#include "server/koers-server-readers.h"

G_BEGIN_DECLS

#define KOERS_SERVER_API_VERSION "1.0.0"
#define KOERS_SERVER_PROBLEM_BASE "https://koers.achterhoek.nl/problemen/"

/* Page sizes (limiet) for collections and for the changes feed. */
#define KOERS_SERVER_LIMIT_MAX           500
#define KOERS_SERVER_LIMIT_DEFAULT_LIST  100
#define KOERS_SERVER_LIMIT_DEFAULT_FEED  500

typedef struct {
  KoersServer             *server;
  KoersServerEngine       *engine;
  KoersServerAuth         *auth;
  SoupServerMessage       *msg;
  const char              *path;      /* the request path, no query */
  GHashTable              *query;     /* (nullable) decoded query keys */
  const KoersServerCaller *caller;    /* NULL only on public routes */
  const char              *id;        /* the {id} path segment, a lowercase UUID, or NULL */
  JsonNode                *body;      /* the parsed JSON object of POST/PUT, or NULL */
  gpointer                 data;      /* the route's data (e.g. the entity name) */
  gboolean                 answer_later; /* set by a route that paused the message */
  /* The request's read failed on a busy database on another connection (a reader thread's):
   * its failure audit gets one try without waiting, as for the server's own connection. */
  gboolean                 failed_busy;
} KoersServerRequest;

typedef void (*KoersServerRouteFunc) (KoersServerRequest *request);

typedef enum {
  KOERS_ROUTE_PUBLIC        = 1 << 0,  /* no token needed (the specification) */
  KOERS_ROUTE_JSON_BODY     = 1 << 1,  /* a JSON object body is required */
  KOERS_ROUTE_PERSONAL      = 1 << 2,  /* participant data: 403 for the programme manager */
  KOERS_ROUTE_ONDERSTEUNER  = 1 << 3,  /* only an ondersteuner (403 for other roles) */
  KOERS_ROUTE_IF_MATCH      = 1 << 4,  /* an entity write: If-Match required (428) */
} KoersServerRouteFlags;

typedef struct {
  const char            *method;
  const char            *pattern;     /* "/v1/deelnemers/{id}"; literal segments win over {id} */
  const char * const    *query_keys;  /* (nullable) allowed query keys; anything else is 400 */
  KoersServerRouteFlags  flags;
  KoersServerRouteFunc   func;
  gconstpointer          data;
} KoersServerRoute;

/* Route tables, one per file (koers-server-routes-*.c). */
const KoersServerRoute *koers_server_routes_sync     (guint *out_n);
const KoersServerRoute *koers_server_routes_entities (guint *out_n);
const KoersServerRoute *koers_server_routes_account  (guint *out_n);

/* Headers on every response (API-Version, the ADR security headers). Idempotent. */
void      koers_server_http_apply_common_headers (SoupMessageHeaders *headers);

/* Sets a JSON response (application/json) with @status. */
/* Sends @text (transfer full) of @length bytes, JSON the server wrote itself, as the body. */
void      koers_server_http_send_json_text   (SoupServerMessage *msg,
                                              guint              status,
                                              char              *text,
                                              gsize              length);
void      koers_server_http_send_json        (SoupServerMessage *msg,
                                              guint              status,
                                              JsonNode          *body);
/* Sets an empty response (204 and the like). */
void      koers_server_http_send_empty       (SoupServerMessage *msg,
                                              guint              status);
/* Builds (transfer full) a problem+json object for @status; @detail nullable; @instance
 * (nullable) the request's decoded path, percent-encoded again for the answer. */
JsonObject *koers_server_http_problem_new    (guint              status,
                                              const char        *detail,
                                              const char        *instance);
/* Sends a problem+json response; @detail (nullable) must hold no personal data. */
void      koers_server_http_send_problem     (SoupServerMessage *msg,
                                              guint              status,
                                              const char        *detail);
/* As above, for 400 on one field: adds "ongeldigeVelden": [{"naam", "reden"}]. */
void      koers_server_http_send_invalid     (SoupServerMessage *msg,
                                              const char        *field,
                                              const char        *reason);
void      koers_server_http_send_problem_object (SoupServerMessage *msg,
                                                 JsonObject        *problem);
/* Maps an engine, auth, JSON or storage error to its status and sends the problem. */
void      koers_server_http_send_error       (SoupServerMessage *msg,
                                              const GError      *error);
/* As koers_server_http_send_error(), for an entity write: a 400, 403, 404 or 409 that
 * @refusal (nullable) gives a code adds "redenCode" and "veld" (null when the refusal names
 * no field). */
void      koers_server_http_send_refusal     (SoupServerMessage        *msg,
                                              const GError             *error,
                                              const KoersServerRefusal *refusal);
/* 503 + Retry-After: storage or audit trouble, nothing served. */
void      koers_server_http_send_unavailable (SoupServerMessage *msg);

/* The HTTP status an error maps to. */
guint     koers_server_http_status_for_error (const GError      *error);

/* ETag "<versie>" */
void      koers_server_http_set_etag         (SoupServerMessage *msg,
                                              gint64             version);
/* Parses If-Match: exactly one strong tag holding a version ("57"). */
gboolean  koers_server_http_parse_if_match   (const char        *value,
                                              gint64            *out_version);

/* Finds a query key not in @allowed (NULL-terminated, nullable = none allowed); returns it
 * (transfer none) or NULL when every key is known. */
const char *koers_server_http_unknown_query_key (GHashTable         *query,
                                                 const char * const *allowed);
/* Checks the query as sent (@raw: the URI's encoded query, nullable), which libsoup's decoded
 * table does not show: a key without "=" or that does not decode is left out of it, and of a
 * key given twice only the last value is kept. Returns (transfer full) the first such key,
 * decoded when it can be ("query" when not), with *@out_reason; NULL when the query is fine. */
char       *koers_server_http_ambiguous_query_key (const char  *raw,
                                                   const char **out_reason);
/* Reads "limiet" (1..KOERS_SERVER_LIMIT_MAX, @fallback when absent). FALSE when it is not a
 * whole number in range. */
gboolean  koers_server_http_parse_limit      (GHashTable        *query,
                                              guint              fallback,
                                              guint             *out_limit);
/* Link: <@path?@cursor_key=@cursor&limiet=@limit>; rel="next" (plus @extra_key=@extra_value
 * when both are given, e.g. deelnemerId). */
void      koers_server_http_set_next_link    (SoupServerMessage *msg,
                                              const char        *path,
                                              const char        *cursor_key,
                                              const char        *cursor,
                                              guint              limit,
                                              const char        *extra_key,
                                              const char        *extra_value);

/* (nullable) (transfer none): the query value of @key. */
const char *koers_server_http_query_get      (KoersServerRequest *request,
                                              const char         *key);

/* Routing (called by koers-server.c). How well @pattern ("/v1/deelnemers/{id}") matches the path's
 * @segments: -1 no match, else the number of literal segments; *out_id gets the {id}. */
int       koers_server_http_match_pattern    (const char        *pattern,
                                              char             **segments,
                                              const char       **out_id);
/* TRUE when the Accept header (nullable) allows a JSON answer. */
gboolean  koers_server_http_accepts_json     (const char        *accept);
/* 405 with an Allow header listing @allowed (const char * methods, duplicates skipped). */
void      koers_server_http_send_method_not_allowed (SoupServerMessage *msg,
                                                     GPtrArray         *allowed);

/* Audits a request that read or changed participant data. Inside an open transaction the row
 * is written at once and commits with it; otherwise it goes to the server's audit queue
 * (koers-server-audit-queue.h), which holds the answer back until the row is written and
 * turns it into 503 if that fails. FALSE (and a 503 already set on the message) when an
 * immediate write failed: no data goes out unaudited. */
gboolean  koers_server_http_audit            (KoersServerRequest *request,
                                              const char         *action,
                                              const char         *entity,
                                              const char         *record_id,
                                              gboolean            success);

/* The same for a read that returned a page that carried @participants' data (one row naming
 * them; none: one row naming nobody); with !@success the read failed and its row is written at
 * once. */
gboolean  koers_server_http_audit_participants (KoersServerRequest *request,
                                                const char         *action,
                                                const char         *entity,
                                                KoersServerParticipantSet *participants,
                                                gboolean            success);
/* The same for a read that returned a page (@page nullable: the read failed): one row naming
 * the participants whose data the page carries (koers_server_audit_page_participants()). */
gboolean  koers_server_http_audit_page       (KoersServerRequest *request,
                                              const char         *action,
                                              const char         *entity,
                                              JsonNode           *page);

/* (transfer none) */
KoersServerAuditQueue *koers_server_get_audit_queue (KoersServer *self);
/* (transfer none) (nullable): NULL when reads run on the server's thread (reader-threads 0). */
KoersServerReaders    *koers_server_get_readers     (KoersServer *self);

/* Sends @node as a collection page: the body, plus Link rel="next" when "volgendeCursor" is
 * set. */
void      koers_server_http_send_page        (KoersServerRequest *request,
                                              JsonNode           *page,
                                              guint               limit,
                                              const char         *extra_key,
                                              const char         *extra_value);

G_END_DECLS
