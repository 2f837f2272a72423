/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Connection guards libsoup's SoupServer does not have: a deadline for a request's headers
 * (slowloris) and the 1 MiB body limit enforced before the body is read.
 *
 * Header deadline: SoupServer emits "request-started" as soon as a connection is accepted,
 * before any byte of the request line is read. A one-shot timer armed there is disarmed by the message's
 * "got-headers"; if it fires first, the connection's GSocket (which koers-server.c accepted
 * itself and attached to the message) is shut down, libsoup's pending read fails and it drops
 * the connection ("request-aborted"). The deadline is total, not per read, so trickling one
 * header byte at a time does not extend it. At "got-headers" the timer is re-armed for the rest of the request deadline
 * (request-timeout, counted from the same start) and only "got-body" disarms it, so a body
 * trickled a byte at a time cannot hold the connection either.
 *
 * Idle deadline: on a kept-alive connection libsoup 3.2 emits "request-started" for the next
 * request only when its first bytes arrive, so nothing above would ever close a connection
 * that falls silent after an answer. "request-finished" therefore arms a timer on the
 * connection's socket (the header timeout again); the next "request-started" on that socket
 * disarms it, and if it fires first the socket is shut down the same way.
 *
 * Body limit: a Content-Length above the limit is refused in "got-headers". With
 * "Expect: 100-continue" libsoup can answer at once; otherwise libsoup would read (and buffer)
 * the whole body before writing any answer, so the connection is taken over
 * (soup_server_message_steal_connection), the 413 written directly and the connection closed
 * after a short lingering drain (so the client's TCP stack does not reset the connection
 * before it has read the answer). A chunked body is counted in "got-chunk" and refused the
 * same way as soon as it passes the limit. A Content-Length that is not one number, or that
 * comes with Transfer-Encoding, is refused the same way with 400 (see check_framing).
 *
 * Refusals libsoup writes itself: a request libsoup 3.2 cannot read (a request line that is not
 * HTTP: 400; an unknown Transfer-Encoding: 501; an Expect other than 100-continue: 417; an HTTP
 * version other than 1.x: 505) is answered without any handler or signal before the answer is
 * written, with whatever the response holds. So from "request-started" until the headers have
 * been read the response is problem+json with no length and no data yet (its end is the end of
 * the connection, which libsoup closes after such a refusal; chunks would not do, the answer
 * may be HTTP/1.0): libsoup writes the status line and headers, and "wrote-headers" then adds
 * the problem for the status it chose, before libsoup asks for the body. A request whose
 * headers parse ("got-headers") gets an ordinary response back before any handler runs; what
 * libsoup still refuses after that (a path it cannot decode, the target "*") gets its problem
 * in our "got-headers" or "got-body" handler, which run after libsoup's.
 */
#include "config.h"

#include "server/koers-server-guard-private.h"

#include "server/koers-server-http-private.h"
#include "server/koers-server-json.h"

#include <string.h>

#define HEADER_TIMER_KEY "koers-server-header-timer"
#define STARTED_KEY      "koers-server-request-started"
#define SERVER_KEY       "koers-server-server"
#define SOCKET_KEY       "koers-server-socket"
#define IDLE_TIMER_KEY   "koers-server-idle-timer"
/* After an early refusal: how long, and how much, the rest of the request is read and
 * discarded before the connection is closed. */
#define LINGER_SECONDS   2
#define LINGER_MAX_BYTES (8 * 1024 * 1024)

/* ---- header deadline ------------------------------------------------------------------- */

/* The connection's socket. KoersServer accepts connections itself and hands them to libsoup
 * as streams (see koers_server_listen), so soup_server_message_get_socket() is NULL; the
 * socket is attached to each message when its request starts. */
static GSocket *
socket_of (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), SOCKET_KEY);
}

static gboolean
header_deadline_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;
  GSocket *socket = socket_of (msg);

  /* Shutting down (not closing) leaves the fd to libsoup, which sees its read fail and
   * cleans the connection up itself. */
  if (socket != NULL)
    g_socket_shutdown (socket, TRUE, TRUE, NULL);

  g_object_set_data (G_OBJECT (msg), HEADER_TIMER_KEY, NULL);
  return G_SOURCE_REMOVE;
}

static void
destroy_source (gpointer data)
{
  GSource *source = data;

  g_source_destroy (source);
  g_source_unref (source);
}

static void
disarm_header_deadline (SoupServerMessage *msg)
{
  g_object_set_data (G_OBJECT (msg), HEADER_TIMER_KEY, NULL);
}

static void
arm_deadline_ms (SoupServerMessage *msg,
                 guint              milliseconds)
{
  GSource *source = g_timeout_source_new (milliseconds);

  /* The source does not own the message: the message's data owns the source, so whichever
   * goes first (deadline, headers, message finalised) ends the other cleanly. */
  g_source_set_callback (source, header_deadline_cb, msg, NULL);
  g_source_set_static_name (source, "[koers-server] header deadline");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (msg), HEADER_TIMER_KEY, source, destroy_source);
}

static void
arm_header_deadline (SoupServerMessage *msg,
                     guint              seconds)
{
  gint64 *started = g_new (gint64, 1);

  *started = g_get_monotonic_time ();
  g_object_set_data_full (G_OBJECT (msg), STARTED_KEY, started, g_free);
  arm_deadline_ms (msg, seconds * 1000);
}

/* After the headers: what is left of the whole request's deadline, for the body. */
static void
arm_body_deadline (SoupServerMessage *msg,
                   guint              request_seconds)
{
  const gint64 *started = g_object_get_data (G_OBJECT (msg), STARTED_KEY);
  gint64 left_ms = (gint64) request_seconds * 1000;

  if (started != NULL)
    left_ms -= (g_get_monotonic_time () - *started) / 1000;
  arm_deadline_ms (msg, (guint) CLAMP (left_ms, 1, G_MAXUINT));
}

/* ---- idle deadline --------------------------------------------------------------------- */

static gboolean
idle_deadline_cb (gpointer user_data)
{
  GSocket *socket = user_data;

  g_socket_shutdown (socket, TRUE, TRUE, NULL);
  g_object_set_data (G_OBJECT (socket), IDLE_TIMER_KEY, NULL);
  return G_SOURCE_REMOVE;
}

/* Like the header timer, the socket's data owns the source, not the other way round. */
static void
arm_idle_deadline (GSocket *socket,
                   guint    seconds)
{
  GSource *source = g_timeout_source_new_seconds (seconds);

  g_source_set_callback (source, idle_deadline_cb, socket, NULL);
  g_source_set_static_name (source, "[koers-server] idle deadline");
  g_source_attach (source, g_main_context_get_thread_default ());
  g_object_set_data_full (G_OBJECT (socket), IDLE_TIMER_KEY, source, destroy_source);
}

/* ---- refusing a request before its body is read ----------------------------------------- */

typedef struct {
  GIOStream    *stream;
  GSocket      *socket;
  GBytes       *response;
  GCancellable *cancellable;
  guint         timeout_id;
  gsize         drained;
  char          buffer[8192];
} Refusal;

static void
refusal_free (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_clear_object (&refusal->cancellable);
  g_clear_pointer (&refusal->response, g_bytes_unref);
  g_clear_object (&refusal->socket);
  g_clear_object (&refusal->stream);
  g_free (refusal);
}

static void
refusal_closed_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_io_stream_close_finish (G_IO_STREAM (object), result, NULL);
  refusal_free (user_data);
}

static void
refusal_close (Refusal *refusal)
{
  g_clear_handle_id (&refusal->timeout_id, g_source_remove);
  g_io_stream_close_async (refusal->stream, G_PRIORITY_DEFAULT, NULL, refusal_closed_cb,
                           refusal);
}

static gboolean
refusal_timeout_cb (gpointer user_data)
{
  Refusal *refusal = user_data;

  refusal->timeout_id = 0;
  g_cancellable_cancel (refusal->cancellable);
  return G_SOURCE_REMOVE;
}

static void refusal_drain (Refusal *refusal);

static void
refusal_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Refusal *refusal = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0 || (refusal->drained += (gsize) n) > LINGER_MAX_BYTES)
    {
      refusal_close (refusal);
      return;
    }
  refusal_drain (refusal);
}

static void
refusal_drain (Refusal *refusal)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (refusal->stream), refusal->buffer,
                             sizeof refusal->buffer, G_PRIORITY_DEFAULT, refusal->cancellable,
                             refusal_read_cb, refusal);
}

static void
refusal_written_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Refusal *refusal = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL))
    {
      refusal_close (refusal);
      return;
    }

  /* The answer is out; say we are done writing, then read and discard what the client is
   * still sending until it closes, or the linger time or byte cap runs out. */
  if (refusal->socket != NULL)
    g_socket_shutdown (refusal->socket, FALSE, TRUE, NULL);
  refusal->timeout_id = g_timeout_add_seconds (LINGER_SECONDS, refusal_timeout_cb, refusal);
  refusal_drain (refusal);
}

static GBytes *
build_raw_response (SoupServerMessage *msg,
                    guint              status,
                    const char        *detail)
{
  g_autoptr (JsonObject) problem = NULL;
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr (GBytes) body = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = soup_date_time_to_string (now, SOUP_DATE_HTTP);
  SoupMessageHeaders *headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  GUri *uri = soup_server_message_get_uri (msg);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GString *text = g_string_new (NULL);
  gsize length = 0;
  const char *data;

  problem = koers_server_http_problem_new (status, detail, uri != NULL ? g_uri_get_path (uri)
                                                                       : NULL);
  json_node_set_object (node, problem);
  body = koers_server_json_to_bytes (node);
  data = g_bytes_get_data (body, &length);

  koers_server_http_apply_common_headers (headers);
  soup_message_headers_replace (headers, "Date", date);
  soup_message_headers_replace (headers, "Content-Type", "application/problem+json");
  soup_message_headers_set_content_length (headers, (goffset) length);
  soup_message_headers_replace (headers, "Connection", "close");

  g_string_append_printf (text, "HTTP/1.1 %u %s\r\n", status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append (text, "\r\n");
  g_string_append_len (text, data, (gssize) length);
  soup_message_headers_unref (headers);

  return g_string_free_to_bytes (text);
}

static void
refuse_early (SoupServerMessage *msg,
              guint              status,
              const char        *detail,
              gboolean           can_answer_normally)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  Refusal *refusal;
  GSocket *socket;
  gsize length = 0;
  const char *data;

  /* The refusal has its own linger limit from here on. */
  disarm_header_deadline (msg);

  /* The client waits for "100 Continue" before sending the body: a final status set now is
   * written at once and the body never comes. */
  if (can_answer_normally
      && (soup_message_headers_get_expectations (request_headers) & SOUP_EXPECTATION_CONTINUE))
    {
      koers_server_http_send_problem (msg, status, detail);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Connection", "close");
      return;
    }

  refusal = g_new0 (Refusal, 1);
  socket = socket_of (msg);
  refusal->socket = socket != NULL ? g_object_ref (socket) : NULL;
  refusal->response = build_raw_response (msg, status, detail);
  refusal->cancellable = g_cancellable_new ();
  refusal->stream = soup_server_message_steal_connection (msg);
  if (refusal->stream == NULL)
    {
      if (refusal->socket != NULL)
        g_socket_shutdown (refusal->socket, TRUE, TRUE, NULL);
      refusal_free (refusal);
      return;
    }

  data = g_bytes_get_data (refusal->response, &length);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (refusal->stream), data, length,
                                   G_PRIORITY_DEFAULT, NULL, refusal_written_cb, refusal);
}

/* ---- signal handlers ------------------------------------------------------------------- */

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (body->length <= KOERS_SERVER_BODY_LIMIT)
    return;

  g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, user_data);
  refuse_early (msg, 413, "De body is groter dan 1 MiB.", FALSE);
}

/* libsoup also refuses some requests whose headers it did read, in its own "got-headers" and
 * "got-body" handlers, which run before ours: a path whose percent-decoding fails ("%00") or
 * adds a ".." segment is 400, a target no handler covers ("*") 404. Such an answer has a status
 * and nothing else; it gets its problem+json here, before libsoup writes it. */
static gboolean
answer_libsoup_refusal (SoupServerMessage *msg)
{
  guint status = soup_server_message_get_status (msg);
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  if (status == 0)
    return FALSE;
  if (status >= 400 && soup_message_headers_get_one (response, "Content-Type") == NULL)
    koers_server_http_send_problem (msg, status,
                                    status == 404 ? "Deze resource bestaat niet."
                                                  : "Dit verzoek kan de server niet lezen.");
  return TRUE;
}

/* Where the body ends must be beyond doubt, or so is where the next request on the connection
 * begins (request smuggling past a proxy that reads it otherwise). libsoup 3.2 takes the last
 * of two differing Content-Length headers, and reads "-1" or a number past 64 bits as a body
 * of unknown length, waiting for it until the request deadline. RFC 9112 6.3: such a request
 * is answered 400 and its connection closed; so is one with both Content-Length and
 * Transfer-Encoding (6.1 allows that). A well-formed length past the limit is 413 as ever.
 * Returns the status to refuse with, or 0. */
static guint
check_framing (SoupMessageHeaders *headers,
               const char        **out_detail)
{
  const char *lengths = soup_message_headers_get_list (headers, "Content-Length");
  g_auto (GStrv) values = NULL;
  guint64 length = 0;

  if (lengths == NULL)
    return 0;
  *out_detail = "Content-Length moet één geheel getal zijn, zonder Transfer-Encoding.";
  if (soup_message_headers_get_one (headers, "Transfer-Encoding") != NULL)
    return 400;

  values = g_strsplit (lengths, ",", -1);
  for (guint i = 0; values[i] != NULL; i++)
    {
      const char *value = g_strstrip (values[i]);

      if (*value == '\0' || strspn (value, "0123456789") != strlen (value)
          || (i > 0 && strcmp (value, values[0]) != 0))
        return 400;
    }
  if (!g_ascii_string_to_unsigned (values[0], 10, 0, G_MAXINT64, &length, NULL)
      || length > KOERS_SERVER_BODY_LIMIT)
    {
      *out_detail = "De body is groter dan 1 MiB.";
      return 413;
    }
  return 0;
}

static void
got_body_cb (SoupServerMessage *msg,
             gpointer           user_data)
{
  disarm_header_deadline (msg);
  answer_libsoup_refusal (msg);
}

/* ---- refusals libsoup writes itself ----------------------------------------------------- */

#define SELF_MADE_KEY "koers-server-self-made-refusal"

static void
self_made_wrote_headers_cb (SoupServerMessage *msg,
                            gpointer           user_data)
{
  guint status = soup_server_message_get_status (msg);
  g_autoptr(JsonObject) problem = NULL;
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) bytes = NULL;
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  g_signal_handlers_disconnect_by_func (msg, self_made_wrote_headers_cb, user_data);
  /* Never the request's own text: it could not be read, and may hold anything. */
  problem = koers_server_http_problem_new (status, "Dit is geen HTTP/1.1-verzoek dat de server "
                                                   "kan lezen.", NULL);
  json_node_set_object (node, problem);
  bytes = koers_server_json_to_bytes (node);
  soup_message_body_append_bytes (body, bytes);
  soup_message_body_complete (body);
}

static void
expect_self_made_refusal (SoupServerMessage *msg)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);

  g_object_set_data (G_OBJECT (msg), SELF_MADE_KEY,
                     GINT_TO_POINTER (soup_message_headers_get_encoding (response) + 1));
  soup_message_headers_set_encoding (response, SOUP_ENCODING_EOF);
  soup_message_headers_replace (response, "Content-Type", "application/problem+json");
  g_signal_connect (msg, "wrote-headers", G_CALLBACK (self_made_wrote_headers_cb), NULL);
}

/* The headers parsed: the handlers answer, as usual. */
static void
no_self_made_refusal (SoupServerMessage *msg)
{
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  int encoding = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (msg), SELF_MADE_KEY));

  if (encoding == 0)
    return;
  g_object_set_data (G_OBJECT (msg), SELF_MADE_KEY, NULL);
  g_signal_handlers_disconnect_by_func (msg, self_made_wrote_headers_cb, NULL);
  soup_message_headers_remove (response, "Content-Type");
  soup_message_headers_set_encoding (response, (SoupEncoding) (encoding - 1));
}

static void
got_headers_cb (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  KoersServer *server = g_object_get_data (G_OBJECT (msg), SERVER_KEY);
  const char *detail = NULL;
  guint status;

  disarm_header_deadline (msg);
  no_self_made_refusal (msg);
  if (server != NULL)
    arm_body_deadline (msg, koers_server_get_request_timeout (server));
  if (answer_libsoup_refusal (msg))
    return;

  status = check_framing (headers, &detail);
  if (status != 0)
    {
      g_signal_handlers_disconnect_by_func (msg, got_chunk_cb, user_data);
      /* Only a length that is beyond doubt can be answered before its body arrives. */
      refuse_early (msg, status, detail, status == 413);
    }
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  KoersServer *self = user_data;
  GSocket *socket = koers_server_lookup_socket (self, msg);

  /* Set now so that even answers libsoup makes itself (a malformed request line: 400) carry
   * API-Version and the security headers. */
  koers_server_http_apply_common_headers (soup_server_message_get_response_headers (msg));
  expect_self_made_refusal (msg);

  if (socket != NULL)
    {
      g_object_set_data (G_OBJECT (socket), IDLE_TIMER_KEY, NULL);
      g_object_set_data_full (G_OBJECT (msg), SOCKET_KEY, g_object_ref (socket),
                              g_object_unref);
    }
  /* Not a reference: the server outlives its messages (disposing it disconnects them). */
  g_object_set_data (G_OBJECT (msg), SERVER_KEY, self);
  arm_header_deadline (msg, MIN (koers_server_get_header_timeout (self),
                                 koers_server_get_request_timeout (self)));
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), NULL);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), NULL);
}

/* The answer is out; the connection may now wait for another request (see the top). */
static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  KoersServer *self = user_data;
  GSocket *socket = socket_of (msg);

  disarm_header_deadline (msg);
  if (socket != NULL && !g_socket_is_closed (socket))
    arm_idle_deadline (socket, koers_server_get_header_timeout (self));
}

void
koers_server_guard_attach (KoersServer *self,
                           SoupServer  *soup)
{
  g_signal_connect_object (soup, "request-started", G_CALLBACK (request_started_cb), self, 0);
  g_signal_connect_object (soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
}
