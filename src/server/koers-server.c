/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One thread answers every request. Routing, JSON and every database statement of a request
 * run on the main loop; two kinds of work run on threads of their own: the Argon2id password
 * check of a login (koers-server-auth-verify.c) and the commit of the reads' audit rows
 * (koers-server-audit-queue.c, its own connection), which the answers wait for without
 * holding up the thread. That keeps one KoersServerDb connection for requests, with
 * transactions that never interleave, and no locking in the engine. Its price: while one
 * statement waits, every other request waits with it. Hence the fail-fast rule: a request
 * waits at most KOERS_SERVER_REQUEST_LOCK_TIMEOUT_MS (250 ms) for a lock another connection
 * holds (the admin tool, a second server, a backup, the audit writer), then answers 503 with
 * a Retry-After of 2 s; the audit row of such a failed request gets one try without waiting
 * (koers_server_http_audit); routes that need no database (the specification, 404, 405, 406)
 * never touch it. Capacity grows by running more koers-server processes behind the reverse
 * proxy (docs/api-protocol.md, "Deployment"), not threads.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server.h"

#include "core/koers-uuid.h"
#include "server/koers-server-accept-private.h"
#include "server/koers-server-audit-queue.h"
#include "server/koers-server-guard-private.h"
#include "server/koers-server-http-private.h"
#include "server/koers-server-json.h"

#include <string.h>

struct _KoersServer
{
  GObject            parent_instance;

  KoersServerDb     *db;       /* borrowed */
  KoersServerEngine *engine;
  KoersServerAuth   *auth;
  SoupServer        *soup;
  KoersServerAcceptor *acceptor; /* takes connections and hands them to soup */
  KoersServerAuditQueue *audit_queue; /* the reads' audit rows, committed together */
  KoersServerReaders *readers;     /* (nullable) threads for the heavy reads */
  int                reader_threads; /* -1: one per processor, at most 8 */
  GPtrArray         *routes;       /* const KoersServerRoute *, in match order */
  guint              header_timeout;
  guint              request_timeout;
  guint              max_connections;
};

G_DEFINE_FINAL_TYPE (KoersServer, koers_server, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DB,
  PROP_HEADER_TIMEOUT,
  PROP_REQUEST_TIMEOUT,
  PROP_MAX_CONNECTIONS,
  PROP_READER_THREADS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- routing ---------------------------------------------------------------------------- */

static gboolean
authorise (KoersServerRequest     *request,
           const KoersServerRoute *route,
           KoersServerCaller     **out_caller)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autoptr (GError) error = NULL;
  KoersServerCaller *caller;

  caller = koers_server_auth_check_bearer (request->auth, authorization, &error);
  if (caller == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      /* RFC 6750 3.1: a token was sent but is no good (expired, revoked, unknown). */
      if (authorization != NULL
          && g_error_matches (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED))
        soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                      "WWW-Authenticate",
                                      "Bearer realm=\"koers\", error=\"invalid_token\"");
      return FALSE;
    }
  *out_caller = caller;

  /* Role rules that hold whatever the record: checked here as well as in the engine, so no
   * route can forget them. */
  if ((route->flags & KOERS_ROUTE_PERSONAL) && caller->role == KOERS_SERVER_ROLE_PROGRAMMAMANAGER)
    {
      koers_server_http_send_problem (request->msg, 403,
                                      "Deze rol heeft geen toegang tot persoonsgegevens.");
      return FALSE;
    }
  if ((route->flags & KOERS_ROUTE_ONDERSTEUNER) && caller->role != KOERS_SERVER_ROLE_ONDERSTEUNER)
    {
      koers_server_http_send_problem (request->msg, 403,
                                      "Alleen een ondersteuner mag dit.");
      return FALSE;
    }

  return TRUE;
}

static gboolean
read_body (KoersServerRequest *request)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  SoupMessageBody *body = soup_server_message_get_request_body (request->msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr (GError) error = NULL;

  /* The header as sent: soup_message_headers_get_content_type() drops the parameters, and
   * with them a charset other than UTF-8 that the media type check must refuse. */
  request->body = koers_server_json_parse_body (soup_message_headers_get_one (headers,
                                                                              "Content-Type"),
                                                bytes, &error);
  if (request->body == NULL)
    {
      koers_server_http_send_error (request->msg, error);
      return FALSE;
    }

  return TRUE;
}

static void
dispatch (KoersServer        *self,
          KoersServerRequest *request,
          const char         *method)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (request->msg);
  g_auto (GStrv) segments = g_strsplit (request->path, "/", -1);
  g_autoptr (GPtrArray) allowed = g_ptr_array_new ();
  g_autoptr (KoersServerCaller) caller = NULL;
  const KoersServerRoute *route = NULL;
  const char *best_pattern = NULL;
  g_autofree char *ambiguous_key = NULL;
  const char *unknown_key;
  const char *reason = NULL;
  const char *id = NULL;
  int best = -1;

  for (guint i = 0; i < self->routes->len; i++)
    {
      const KoersServerRoute *candidate = g_ptr_array_index (self->routes, i);
      const char *candidate_id = NULL;
      int score = koers_server_http_match_pattern (candidate->pattern, segments, &candidate_id);

      if (score > best)
        {
          best = score;
          best_pattern = candidate->pattern;
          id = candidate_id;
        }
    }
  if (best_pattern == NULL)
    {
      koers_server_http_send_problem (request->msg, 404, "Deze resource bestaat niet.");
      return;
    }

  for (guint i = 0; i < self->routes->len; i++)
    {
      const KoersServerRoute *candidate = g_ptr_array_index (self->routes, i);

      if (strcmp (candidate->pattern, best_pattern) != 0)
        continue;
      g_ptr_array_add (allowed, (gpointer) candidate->method);
      /* Only the specification's methods: no implicit HEAD or OPTIONS. */
      if (strcmp (candidate->method, method) == 0)
        route = candidate;
    }
  if (route == NULL)
    {
      koers_server_http_send_method_not_allowed (request->msg, allowed);
      return;
    }

  if (!koers_server_http_accepts_json (soup_message_headers_get_one (headers, "Accept")))
    {
      koers_server_http_send_problem (request->msg, 406,
                                      "Deze API antwoordt alleen in application/json.");
      return;
    }

  if (!(route->flags & KOERS_ROUTE_PUBLIC))
    {
      if (!authorise (request, route, &caller))
        return;
      request->caller = caller;
    }

  ambiguous_key = koers_server_http_ambiguous_query_key (
    g_uri_get_query (soup_server_message_get_uri (request->msg)), &reason);
  unknown_key = koers_server_http_unknown_query_key (request->query, route->query_keys);
  if (ambiguous_key != NULL || unknown_key != NULL)
    {
      const char *key = ambiguous_key != NULL ? ambiguous_key : unknown_key;

      if (ambiguous_key == NULL)
        reason = "is geen bekende queryparameter van deze resource";
      /* The key is echoed only when it is a plain name: a client may have put anything in. */
      koers_server_http_send_invalid (request->msg,
                                      strlen (key) <= 40
                                      && g_regex_match_simple ("^[A-Za-z_]+$", key, 0, 0)
                                      ? key : "query", reason);
      return;
    }

  if (id != NULL && !koers_uuid_is_valid (id))
    {
      koers_server_http_send_invalid (request->msg, "id", "moet een UUID in kleine letters zijn");
      return;
    }
  request->id = id;

  if ((route->flags & KOERS_ROUTE_IF_MATCH)
      && soup_message_headers_get_one (headers, "If-Match") == NULL)
    {
      koers_server_http_send_problem (request->msg, 428,
                                      "Een wijziging vraagt If-Match met de versie (ETag).");
      return;
    }

  if ((route->flags & KOERS_ROUTE_JSON_BODY) && !read_body (request))
    return;

  request->data = (gpointer) route->data;
  route->func (request);
}

static void
handle_request_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  KoersServer *self = user_data;
  KoersServerRequest request = { 0 };

  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (msg));

  request.server = self;
  request.engine = self->engine;
  request.auth = self->auth;
  request.msg = msg;
  request.path = path;
  request.query = query;

  dispatch (self, &request, soup_server_message_get_method (msg));
  g_clear_pointer (&request.body, json_node_unref);

  if (!request.answer_later && soup_server_message_get_status (msg) == 0)
    {
      g_message ("koers-server: no answer for %s %s", soup_server_message_get_method (msg), path);
      koers_server_http_send_problem (msg, 500, "Er ging iets mis op de server.");
    }
}

static void
add_routes (GPtrArray              *array,
            const KoersServerRoute *routes,
            guint                   n_routes)
{
  for (guint i = 0; i < n_routes; i++)
    g_ptr_array_add (array, (gpointer) &routes[i]);
}

/* ---- connections ------------------------------------------------------------------------ */

GSocket *
koers_server_lookup_socket (KoersServer       *self,
                            SoupServerMessage *msg)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return koers_server_acceptor_lookup_socket (self->acceptor, msg);
}

/* ---- object ----------------------------------------------------------------------------- */

static void
koers_server_constructed (GObject *object)
{
  KoersServer *self = KOERS_SERVER (object);
  const KoersServerRoute *routes;
  guint n_routes = 0;

  G_OBJECT_CLASS (koers_server_parent_class)->constructed (object);

  g_assert (self->db != NULL);
  /* Fail fast (see the top of this file): a request waits at most this long for a lock held
   * elsewhere, then gets 503 + Retry-After. */
  koers_server_db_set_lock_timeout (self->db, KOERS_SERVER_REQUEST_LOCK_TIMEOUT_MS);
  self->engine = koers_server_engine_new (self->db);
  self->auth = koers_server_auth_new (self->db);
  self->audit_queue = koers_server_audit_queue_new (self->engine, self->db);
  if (self->reader_threads < 0)
    self->reader_threads = CLAMP (g_get_num_processors (), 1, KOERS_SERVER_MAX_AUTO_READERS);
  if (self->reader_threads > 0)
    self->readers = koers_server_readers_new (self->engine, (guint) self->reader_threads);

  self->routes = g_ptr_array_new ();
  routes = koers_server_routes_account (&n_routes);
  add_routes (self->routes, routes, n_routes);
  routes = koers_server_routes_sync (&n_routes);
  add_routes (self->routes, routes, n_routes);
  routes = koers_server_routes_entities (&n_routes);
  add_routes (self->routes, routes, n_routes);

  /* No "server-header": the server does not advertise its software. */
  self->soup = soup_server_new (NULL, NULL);
  self->acceptor = koers_server_acceptor_new (self->soup, self->max_connections);
  koers_server_guard_attach (self, self->soup);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  /* Longer paths win in SoupServer, so /oauth/... reaches the auth handlers. */
  koers_server_auth_add_handlers (self->auth, self->soup);
}

static void
koers_server_dispose (GObject *object)
{
  KoersServer *self = KOERS_SERVER (object);

  if (self->acceptor != NULL)
    koers_server_acceptor_stop (self->acceptor);
  /* Reads under way finish and are answered (and queue their audit rows) first. */
  g_clear_pointer (&self->readers, koers_server_readers_free);
  /* Reads waiting for their audit rows are written and answered before the clients go. */
  g_clear_pointer (&self->audit_queue, koers_server_audit_queue_free);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_pointer (&self->acceptor, koers_server_acceptor_free);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (koers_server_parent_class)->dispose (object);
}

static void
koers_server_finalize (GObject *object)
{
  KoersServer *self = KOERS_SERVER (object);

  g_clear_pointer (&self->routes, g_ptr_array_unref);
  g_clear_pointer (&self->auth, koers_server_auth_free);
  g_clear_pointer (&self->engine, koers_server_engine_free);

  G_OBJECT_CLASS (koers_server_parent_class)->finalize (object);
}

static void
koers_server_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  KoersServer *self = KOERS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_pointer (value, self->db);
      break;
    case PROP_HEADER_TIMEOUT:
      g_value_set_uint (value, self->header_timeout);
      break;
    case PROP_REQUEST_TIMEOUT:
      g_value_set_uint (value, self->request_timeout);
      break;
    case PROP_MAX_CONNECTIONS:
      g_value_set_uint (value, self->max_connections);
      break;
    case PROP_READER_THREADS:
      g_value_set_int (value, self->reader_threads);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_server_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  KoersServer *self = KOERS_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_get_pointer (value);
      break;
    case PROP_HEADER_TIMEOUT:
      koers_server_set_header_timeout (self, g_value_get_uint (value));
      break;
    case PROP_REQUEST_TIMEOUT:
      koers_server_set_request_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_CONNECTIONS:
      koers_server_set_max_connections (self, g_value_get_uint (value));
      break;
    case PROP_READER_THREADS:
      self->reader_threads = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_server_class_init (KoersServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = koers_server_constructed;
  object_class->dispose = koers_server_dispose;
  object_class->finalize = koers_server_finalize;
  object_class->get_property = koers_server_get_property;
  object_class->set_property = koers_server_set_property;

  /**
   * KoersServer:db:
   *
   * The storage (a KoersServerDb *), borrowed; it must outlive the server.
   */
  properties[PROP_DB] =
    g_param_spec_pointer ("db", NULL, NULL,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * KoersServer:header-timeout:
   *
   * Seconds a connection may take to send a request's headers before it is closed.
   */
  properties[PROP_HEADER_TIMEOUT] =
    g_param_spec_uint ("header-timeout", NULL, NULL,
                       1, 3600, KOERS_SERVER_DEFAULT_HEADER_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KoersServer:request-timeout:
   *
   * Seconds a connection may take to send a whole request, headers and body, before it is
   * closed (a body trickled a byte at a time would otherwise hold it open for ever).
   */
  properties[PROP_REQUEST_TIMEOUT] =
    g_param_spec_uint ("request-timeout", NULL, NULL,
                       1, 3600, KOERS_SERVER_DEFAULT_REQUEST_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KoersServer:max-connections:
   *
   * Most connections open at once; a connection beyond it is closed when accepted.
   */
  properties[PROP_MAX_CONNECTIONS] =
    g_param_spec_uint ("max-connections", NULL, NULL,
                       1, 65536, KOERS_SERVER_DEFAULT_MAX_CONNECTIONS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * KoersServer:reader-threads:
   *
   * Threads, each with a database connection of its own, that read changes-feed pages while
   * the server's thread goes on with other requests; 0 reads them on the server's thread,
   * -1 (the default) one per processor, at most KOERS_SERVER_MAX_AUTO_READERS. Read back
   * after construction it says how many there are.
   */
  properties[PROP_READER_THREADS] =
    g_param_spec_int ("reader-threads", NULL, NULL,
                      -1, 64, -1,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
koers_server_init (KoersServer *self)
{
  self->header_timeout = KOERS_SERVER_DEFAULT_HEADER_TIMEOUT;
  self->request_timeout = KOERS_SERVER_DEFAULT_REQUEST_TIMEOUT;
  self->max_connections = KOERS_SERVER_DEFAULT_MAX_CONNECTIONS;
  self->reader_threads = -1;
}

/* ---- public ----------------------------------------------------------------------------- */

/**
 * koers_server_new:
 * @db: (transfer none): the storage; must outlive the server
 *
 * Returns: (transfer full): a server that is not listening yet
 */
KoersServer *
koers_server_new (KoersServerDb *db)
{
  g_return_val_if_fail (db != NULL, NULL);

  return g_object_new (KOERS_TYPE_SERVER, "db", db, NULL);
}

/**
 * koers_server_listen:
 * @self: a #KoersServer
 * @address: (nullable): an IP address to listen on; %NULL is 127.0.0.1
 * @port: a TCP port, or 0 for a free one
 * @out_port: (out) (optional): the port listened on
 * @error: return location for a #GError
 *
 * Returns: %TRUE when listening
 */
gboolean
koers_server_listen (KoersServer *self,
                     const char  *address,
                     guint        port,
                     guint       *out_port,
                     GError     **error)
{
  g_autoptr (GInetAddress) inet = NULL;
  g_autoptr (GSocketAddress) socket_address = NULL;

  g_return_val_if_fail (KOERS_IS_SERVER (self), FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  inet = g_inet_address_new_from_string (address != NULL ? address : "127.0.0.1");
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address"), address);
      return FALSE;
    }

  socket_address = g_inet_socket_address_new (inet, (guint16) port);
  return koers_server_acceptor_listen (self->acceptor, socket_address, out_port, error);
}

void
koers_server_disconnect (KoersServer *self)
{
  g_return_if_fail (KOERS_IS_SERVER (self));

  koers_server_acceptor_stop (self->acceptor);
  soup_server_disconnect (self->soup);
}

KoersServerEngine *
koers_server_get_engine (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return self->engine;
}

KoersServerAuditQueue *
koers_server_get_audit_queue (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return self->audit_queue;
}

KoersServerReaders *
koers_server_get_readers (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return self->readers;
}

KoersServerAuth *
koers_server_get_auth (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return self->auth;
}

KoersServerDb *
koers_server_get_db (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), NULL);

  return self->db;
}

guint
koers_server_get_header_timeout (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), 0);

  return self->header_timeout;
}

void
koers_server_set_header_timeout (KoersServer *self,
                                 guint        seconds)
{
  g_return_if_fail (KOERS_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  if (self->header_timeout == seconds)
    return;

  self->header_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HEADER_TIMEOUT]);
}

guint
koers_server_get_request_timeout (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), 0);

  return self->request_timeout;
}

void
koers_server_set_request_timeout (KoersServer *self,
                                  guint        seconds)
{
  g_return_if_fail (KOERS_IS_SERVER (self));
  g_return_if_fail (seconds > 0);

  if (self->request_timeout == seconds)
    return;

  self->request_timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REQUEST_TIMEOUT]);
}

guint
koers_server_get_max_connections (KoersServer *self)
{
  g_return_val_if_fail (KOERS_IS_SERVER (self), 0);

  return self->max_connections;
}

void
koers_server_set_max_connections (KoersServer *self,
                                  guint        count)
{
  g_return_if_fail (KOERS_IS_SERVER (self));
  g_return_if_fail (count > 0);

  if (self->max_connections == count)
    return;

  self->max_connections = count;
  if (self->acceptor != NULL)
    koers_server_acceptor_set_max_connections (self->acceptor, count);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_CONNECTIONS]);
}
