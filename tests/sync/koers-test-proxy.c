/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-proxy.h"

#include "server/koers-server-accept-private.h"

#include <libsoup/soup.h>

#include <string.h>

typedef struct {
  char                *method;
  char                *prefix;
  KoersTestProxyFault  fault;
} Rule;

struct _KoersTestProxy {
  SoupServer *server;
  /* libsoup 3.2's own listener never releases an accepted socket: koers-server's acceptor
   * takes the connections instead (src/server/koers-server-accept.c). */
  KoersServerAcceptor *acceptor;
  SoupSession *session;
  guint       upstream_port;
  char       *url;
  GRand      *rand;
  double      rate;
  guint       kinds;
  GQueue      rules;
  GString    *log;
  guint       counts[KOERS_TEST_PROXY_N_FAULTS];
  GPtrArray  *forwarded;    /* "METHOD path" of every request sent upstream */
  guint       next_number;
  guint       busy;         /* exchanges not finished: held, delayed, in flight */
  GList      *held;         /* (element-type Exchange) */
  /* koers_test_proxy_pad_answer(): one at a time */
  char       *pad_method;
  char       *pad_prefix;
  gsize       pad_size;
};

typedef struct {
  gint                 refs;
  KoersTestProxy      *proxy;
  SoupServerMessage   *msg;        /* (owned) until answered */
  gboolean             gone;       /* the client went away, or the answer is out */
  guint                number;
  KoersTestProxyFault  fault;
  char                *method;
  char                *path;       /* path and query */
  SoupMessageHeaders  *headers;
  GBytes              *body;
  gsize                pad_to;     /* > 0: the answer padded to this size, gzip-compressed */
  guint                chosen;     /* the upstream answer (0 or 1) that goes back */
  GSource             *timer;
} Exchange;

static const char * const fault_names[KOERS_TEST_PROXY_N_FAULTS] = {
  "pass", "drop-request", "drop-answer", "duplicate", "duplicate-late", "hold", "delay",
};

const char *
koers_test_proxy_fault_name (KoersTestProxyFault fault)
{
  g_return_val_if_fail (fault < KOERS_TEST_PROXY_N_FAULTS, "?");
  return fault_names[fault];
}

static Exchange *
exchange_ref (Exchange *ex)
{
  ex->refs++;
  return ex;
}

static void
exchange_unref (Exchange *ex)
{
  if (--ex->refs > 0)
    return;
  ex->proxy->busy--;
  g_clear_object (&ex->msg);
  g_free (ex->method);
  g_free (ex->path);
  g_clear_pointer (&ex->headers, soup_message_headers_unref);
  g_clear_pointer (&ex->body, g_bytes_unref);
  g_free (ex);
}

static void
log_line (KoersTestProxy *proxy, gboolean fault, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
log_line (KoersTestProxy *proxy, gboolean fault, const char *format, ...)
{
  va_list args;
  g_autofree char *line = NULL;

  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  g_string_append_printf (proxy->log, "%s\n", line);
  if (fault)
    g_test_message ("proxy: %s", line);
}

static void
msg_gone_cb (SoupServerMessage *msg, gpointer user_data)
{
  Exchange *ex = user_data;

  (void) msg;
  ex->gone = TRUE;
}

static void
close_connection (Exchange *ex)
{
  g_autoptr(GIOStream) stream = NULL;

  if (ex->gone || ex->msg == NULL)
    return;
  ex->gone = TRUE;
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  stream = soup_server_message_steal_connection (ex->msg);
  if (stream != NULL)
    g_io_stream_close (stream, NULL, NULL);
}

/* @data padded with spaces to @size bytes, gzip-compressed. */
static GBytes *
padded_gzip (const char *data, gsize length, gsize size)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                 -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory,
                                                                G_CONVERTER (compressor));
  g_autofree char *spaces = g_malloc (64 * 1024);
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (length, <=, size);
  memset (spaces, ' ', 64 * 1024);
  g_output_stream_write_all (out, data, length, NULL, NULL, &error);
  g_assert_no_error (error);
  for (gsize done = length; done < size; done += MIN (64 * 1024, size - done))
    {
      g_output_stream_write_all (out, spaces, MIN (64 * 1024, size - done), NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (out, NULL, &error);
  g_assert_no_error (error);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static void
answer (Exchange *ex, SoupMessage *upstream, GBytes *body, const GError *error)
{
  SoupMessageHeaders *out;
  SoupMessageHeadersIter iter;
  const char *name, *value;

  if (ex->gone || ex->msg == NULL)
    return;
  if (ex->fault == KOERS_TEST_PROXY_DROP_ANSWER)
    {
      close_connection (ex);
      return;
    }
  out = soup_server_message_get_response_headers (ex->msg);
  if (error != NULL)
    {
      soup_server_message_set_status (ex->msg, SOUP_STATUS_BAD_GATEWAY, NULL);
      soup_server_message_set_response (ex->msg, "text/plain", SOUP_MEMORY_COPY, "", 0);
    }
  else
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (body, &size);
      const char *type = soup_message_headers_get_content_type (
        soup_message_get_response_headers (upstream), NULL);

      soup_message_headers_iter_init (&iter, soup_message_get_response_headers (upstream));
      while (soup_message_headers_iter_next (&iter, &name, &value))
        if (g_ascii_strcasecmp (name, "Content-Length") != 0
            && g_ascii_strcasecmp (name, "Transfer-Encoding") != 0
            && g_ascii_strcasecmp (name, "Connection") != 0
            && g_ascii_strcasecmp (name, "Content-Encoding") != 0
            && g_ascii_strcasecmp (name, "Content-Type") != 0)
          soup_message_headers_append (out, name, value);
      soup_server_message_set_status (ex->msg, soup_message_get_status (upstream),
                                      soup_message_get_reason_phrase (upstream));
      if (ex->pad_to > 0)
        {
          g_autoptr(GBytes) packed = padded_gzip (data, size, ex->pad_to);

          log_line (ex->proxy, TRUE, "#%u answer padded to %" G_GSIZE_FORMAT " bytes, %"
                    G_GSIZE_FORMAT " gzip-compressed", ex->number, ex->pad_to,
                    g_bytes_get_size (packed));
          soup_message_headers_replace (out, "Content-Encoding", "gzip");
          data = g_bytes_get_data (packed, &size);
          soup_server_message_set_response (ex->msg, type != NULL ? type : "text/plain",
                                            SOUP_MEMORY_COPY, data, size);
        }
      else
        soup_server_message_set_response (ex->msg, type != NULL ? type : "text/plain",
                                          SOUP_MEMORY_COPY, data, size);
    }
  ex->gone = TRUE;
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  soup_server_message_unpause (ex->msg);
}

static void forward (Exchange *ex, guint copy);

/* A timer's callback: the timer holds its own reference, dropped when the source goes. */
static gboolean
release_cb (gpointer user_data)
{
  Exchange *ex = user_data;
  GList *link = g_list_find (ex->proxy->held, ex);

  g_clear_pointer (&ex->timer, g_source_unref);
  forward (ex, 0);
  if (link != NULL)
    {
      ex->proxy->held = g_list_delete_link (ex->proxy->held, link);
      exchange_unref (ex);
    }
  return G_SOURCE_REMOVE;
}

/* Request @number, which came after the held ones, went through: they go now, after it. */
static void
release_held (KoersTestProxy *proxy, guint number)
{
  GList *next;

  for (GList *l = proxy->held; l != NULL; l = next)
    {
      Exchange *ex = l->data;

      next = l->next;
      if (ex->number >= number)
        continue;
      proxy->held = g_list_delete_link (proxy->held, l);
      if (ex->timer != NULL)
        {
          GSource *timer = g_steal_pointer (&ex->timer);

          g_source_destroy (timer);
          g_source_unref (timer);
        }
      log_line (proxy, TRUE, "#%u released after a later request", ex->number);
      forward (ex, 0);
      exchange_unref (ex);
    }
}

typedef struct {
  Exchange    *ex;
  guint        copy;
  SoupMessage *upstream;
} Send;

static void
upstream_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Send *send = user_data;
  Exchange *ex = send->ex;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                               &error);

  if (error != NULL)
    log_line (ex->proxy, TRUE, "#%u copy %u: upstream failed: %s", ex->number, send->copy,
              error->message);
  else
    log_line (ex->proxy, ex->fault != KOERS_TEST_PROXY_PASS, "#%u copy %u <- %u", ex->number,
              send->copy, soup_message_get_status (send->upstream));
  if (send->copy == ex->chosen)
    {
      answer (ex, send->upstream, body, error);
      release_held (ex->proxy, ex->number);
    }
  g_object_unref (send->upstream);
  exchange_unref (ex);
  g_free (send);
}

static void
forward (Exchange *ex, guint copy)
{
  KoersTestProxy *proxy = ex->proxy;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u%s", proxy->upstream_port,
                                          ex->path);
  Send *send = g_new0 (Send, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  SoupMessageHeaders *headers;

  send->ex = exchange_ref (ex);
  send->copy = copy;
  send->upstream = soup_message_new (ex->method, url);
  g_assert_nonnull (send->upstream);
  headers = soup_message_get_request_headers (send->upstream);
  soup_message_headers_iter_init (&iter, ex->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strcasecmp (name, "Host") != 0
        && g_ascii_strcasecmp (name, "Content-Length") != 0
        && g_ascii_strcasecmp (name, "Connection") != 0
        && g_ascii_strcasecmp (name, "Content-Type") != 0
        && g_ascii_strcasecmp (name, "Accept-Encoding") != 0)
      soup_message_headers_replace (headers, name, value);
  if (ex->body != NULL && g_bytes_get_size (ex->body) > 0)
    soup_message_set_request_body_from_bytes (send->upstream,
                                              soup_message_headers_get_content_type (ex->headers,
                                                                                     NULL),
                                              ex->body);
  g_ptr_array_add (proxy->forwarded, g_strdup_printf ("%s %s", ex->method, ex->path));
  soup_session_send_and_read_async (proxy->session, send->upstream, G_PRIORITY_DEFAULT, NULL,
                                    upstream_done_cb, send);
}

static gboolean
late_copy_cb (gpointer user_data)
{
  Exchange *ex = user_data;

  g_clear_pointer (&ex->timer, g_source_unref);
  log_line (ex->proxy, TRUE, "#%u late copy sent", ex->number);
  forward (ex, 1);
  return G_SOURCE_REMOVE;
}

static void
start_timer (Exchange *ex, guint ms, GSourceFunc func)
{
  ex->timer = g_timeout_source_new (ms);
  g_source_set_callback (ex->timer, func, exchange_ref (ex), (GDestroyNotify) exchange_unref);
  g_source_attach (ex->timer, NULL);
}

static KoersTestProxyFault
choose_fault (KoersTestProxy *proxy, const char *method, const char *path)
{
  guint options[KOERS_TEST_PROXY_N_FAULTS];
  guint n = 0;

  if (!g_str_has_prefix (path, "/v1/"))
    return KOERS_TEST_PROXY_PASS;
  for (GList *l = proxy->rules.head; l != NULL; l = l->next)
    {
      Rule *rule = l->data;

      if (g_str_equal (rule->method, method) && g_str_has_prefix (path, rule->prefix))
        {
          KoersTestProxyFault fault = rule->fault;

          g_queue_delete_link (&proxy->rules, l);
          g_free (rule->method);
          g_free (rule->prefix);
          g_free (rule);
          return fault;
        }
    }
  if (proxy->rate <= 0 || g_rand_double (proxy->rand) >= proxy->rate)
    return KOERS_TEST_PROXY_PASS;
  for (guint f = 1; f < KOERS_TEST_PROXY_N_FAULTS; f++)
    if (proxy->kinds & KOERS_TEST_PROXY_FAULT_BIT (f))
      options[n++] = f;
  if (n == 0)
    return KOERS_TEST_PROXY_PASS;
  return (KoersTestProxyFault) options[g_rand_int_range (proxy->rand, 0, (gint32) n)];
}

static void
handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  KoersTestProxy *proxy = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  Exchange *ex = g_new0 (Exchange, 1);
  SoupMessageHeadersIter iter;
  const char *name, *value;

  (void) server;
  (void) query;
  proxy->busy++;
  ex->refs = 1;
  ex->proxy = proxy;
  ex->msg = g_object_ref (msg);
  ex->number = ++proxy->next_number;
  ex->method = g_strdup (soup_server_message_get_method (msg));
  ex->path = g_uri_get_query (uri) != NULL
             ? g_strdup_printf ("%s?%s", path, g_uri_get_query (uri)) : g_strdup (path);
  ex->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_iter_init (&iter, soup_server_message_get_request_headers (msg));
  while (soup_message_headers_iter_next (&iter, &name, &value))
    soup_message_headers_append (ex->headers, name, value);
  ex->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  ex->fault = choose_fault (proxy, ex->method, path);
  if (proxy->pad_method != NULL && g_str_equal (proxy->pad_method, ex->method)
      && g_str_has_prefix (path, proxy->pad_prefix))
    {
      ex->pad_to = proxy->pad_size;
      g_clear_pointer (&proxy->pad_method, g_free);
      g_clear_pointer (&proxy->pad_prefix, g_free);
    }
  proxy->counts[ex->fault]++;
  log_line (proxy, ex->fault != KOERS_TEST_PROXY_PASS, "#%u %s %s: %s", ex->number, ex->method,
            path, fault_names[ex->fault]);
  g_signal_connect (msg, "disconnected", G_CALLBACK (msg_gone_cb), ex);
  g_signal_connect (msg, "finished", G_CALLBACK (msg_gone_cb), ex);

  if (ex->fault == KOERS_TEST_PROXY_DROP_REQUEST)
    {
      close_connection (ex);
      exchange_unref (ex);
      return;
    }
  soup_server_message_pause (msg);
  switch (ex->fault)
    {
    case KOERS_TEST_PROXY_DUPLICATE:
      ex->chosen = (guint) g_rand_int_range (proxy->rand, 0, 2);
      forward (ex, 0);
      forward (ex, 1);
      break;
    case KOERS_TEST_PROXY_DUPLICATE_LATE:
      forward (ex, 0);
      start_timer (ex, (guint) g_rand_int_range (proxy->rand, 50, 301), late_copy_cb);
      break;
    case KOERS_TEST_PROXY_HOLD:
      proxy->held = g_list_append (proxy->held, exchange_ref (ex));
      start_timer (ex, 300, release_cb);
      break;
    case KOERS_TEST_PROXY_DELAY:
      start_timer (ex, (guint) g_rand_int_range (proxy->rand, 10, 201), release_cb);
      break;
    case KOERS_TEST_PROXY_PASS:
    case KOERS_TEST_PROXY_DROP_ANSWER:
    case KOERS_TEST_PROXY_DROP_REQUEST:
    case KOERS_TEST_PROXY_N_FAULTS:
    default:
      forward (ex, 0);
      break;
    }
  exchange_unref (ex);
}

KoersTestProxy *
koers_test_proxy_new (guint upstream_port, guint32 seed)
{
  KoersTestProxy *proxy = g_new0 (KoersTestProxy, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new_from_string ("127.0.0.1", 0);
  guint port = 0;

  proxy->upstream_port = upstream_port;
  proxy->rand = g_rand_new_with_seed (seed);
  proxy->log = g_string_new (NULL);
  proxy->forwarded = g_ptr_array_new_with_free_func (g_free);
  g_queue_init (&proxy->rules);
  proxy->session = soup_session_new_with_options ("timeout", 60, "max-conns", 64,
                                                  "max-conns-per-host", 32, NULL);
  proxy->server = soup_server_new ("server-header", "koers-test-proxy", NULL);
  soup_server_add_handler (proxy->server, NULL, handler_cb, proxy, NULL);
  proxy->acceptor = koers_server_acceptor_new (proxy->server, 512);
  koers_server_acceptor_listen (proxy->acceptor, address, &port, &error);
  g_assert_no_error (error);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", port);
  return proxy;
}

void
koers_test_proxy_settle (KoersTestProxy *proxy)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (proxy->busy > 0)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("the proxy did not settle within 10 s; its log:\n%s", proxy->log->str);
      g_main_context_iteration (NULL, TRUE);
    }
}

void
koers_test_proxy_free (KoersTestProxy *proxy)
{
  if (proxy == NULL)
    return;
  proxy->rate = 0;
  koers_test_proxy_settle (proxy);
  koers_server_acceptor_stop (proxy->acceptor);
  soup_server_disconnect (proxy->server);
  g_clear_pointer (&proxy->acceptor, koers_server_acceptor_free);
  g_clear_object (&proxy->server);
  g_clear_object (&proxy->session);
  /* The closed connections are released from the main context. */
  {
    gint64 end = g_get_monotonic_time () + 50 * 1000;

    while (g_get_monotonic_time () < end)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
  }
  g_free (proxy->pad_method);
  g_free (proxy->pad_prefix);
  while (!g_queue_is_empty (&proxy->rules))
    {
      Rule *rule = g_queue_pop_head (&proxy->rules);

      g_free (rule->method);
      g_free (rule->prefix);
      g_free (rule);
    }
  g_rand_free (proxy->rand);
  g_string_free (proxy->log, TRUE);
  g_ptr_array_unref (proxy->forwarded);
  g_free (proxy->url);
  g_free (proxy);
}

const char *
koers_test_proxy_get_url (KoersTestProxy *proxy)
{
  return proxy->url;
}

void
koers_test_proxy_set_random (KoersTestProxy *proxy, double rate, guint kinds)
{
  proxy->rate = rate;
  proxy->kinds = kinds;
}

void
koers_test_proxy_add_rule (KoersTestProxy *proxy, const char *method, const char *path_prefix,
                           KoersTestProxyFault fault)
{
  Rule *rule = g_new0 (Rule, 1);

  rule->method = g_strdup (method);
  rule->prefix = g_strdup (path_prefix);
  rule->fault = fault;
  g_queue_push_tail (&proxy->rules, rule);
}

void
koers_test_proxy_pad_answer (KoersTestProxy *proxy, const char *method, const char *path_prefix,
                             gsize decoded_size)
{
  g_assert_null (proxy->pad_method);
  g_assert_cmpuint (decoded_size, >, 0);
  proxy->pad_method = g_strdup (method);
  proxy->pad_prefix = g_strdup (path_prefix);
  proxy->pad_size = decoded_size;
}

guint
koers_test_proxy_count (KoersTestProxy *proxy, KoersTestProxyFault fault)
{
  g_return_val_if_fail (fault < KOERS_TEST_PROXY_N_FAULTS, 0);
  return proxy->counts[fault];
}

guint
koers_test_proxy_forwarded (KoersTestProxy *proxy, const char *method, const char *path_prefix)
{
  g_autofree char *prefix = g_strdup_printf ("%s %s", method, path_prefix);
  guint n = 0;

  for (guint i = 0; i < proxy->forwarded->len; i++)
    if (g_str_has_prefix (proxy->forwarded->pdata[i], prefix))
      n++;
  return n;
}

const char *
koers_test_proxy_get_log (KoersTestProxy *proxy)
{
  return proxy->log->str;
}
