/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One request of a run (koers-sync-run-private.h): the server must accept the connection
 * within 10 s, a 401 gets one token refresh and the request again, 429 and 503 end the run
 * with the server's Retry-After, and the answer is read in chunks with its decoded size
 * capped (libsoup decompresses without a limit).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-run-private.h"

#include "sync/koers-key-store.h"
#include "sync/koers-sync-client-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"

#include <string.h>

#define READ_CHUNK 65536
/* docs/api-protocol.md, Limits: a server that does not accept the connection in time
 * (koers_sync_client_set_timeouts(), 10 s) is unreachable; the session's own timeout (60 s)
 * covers each read and write after it. libsoup 3.2 bounds the connect by that same session
 * timeout: the shorter connect timeout is a timer here, stopped by the message's
 * network-event CONNECTED. */

void
koers_sync_request_disconnect (KoersSyncRun *run)
{
  if (run->cancel_handler != 0)
    g_cancellable_disconnect (run->run_cancellable, run->cancel_handler);
  run->cancel_handler = 0;
}

static void
stop_connect_timer (KoersSyncRun *run)
{
  if (run->connect_timer == NULL)
    return;
  g_source_destroy (run->connect_timer);
  g_clear_pointer (&run->connect_timer, g_source_unref);
}

void
koers_sync_request_clear (KoersSyncRun *run)
{
  koers_sync_request_disconnect (run);
  g_free (run->method);
  g_free (run->path);
  g_clear_pointer (&run->body, g_bytes_unref);
  g_clear_object (&run->msg);
  stop_connect_timer (run);
  g_clear_object (&run->request_cancellable);
  g_clear_object (&run->stream);
  g_clear_pointer (&run->buffer, g_byte_array_unref);
}

static void send_current (GTask *task);

static gboolean
connect_timeout_cb (gpointer user_data)
{
  KoersSyncRun *run = user_data;

  g_clear_pointer (&run->connect_timer, g_source_unref);
  run->connect_timed_out = TRUE;
  g_cancellable_cancel (run->request_cancellable);
  return G_SOURCE_REMOVE;
}

static void
network_event_cb (SoupMessage *msg, GSocketClientEvent event, GIOStream *connection,
                  gpointer user_data)
{
  (void) msg;
  (void) connection;
  if (event == G_SOCKET_CLIENT_CONNECTED)
    stop_connect_timer (user_data);
}

/* The run's cancellable cancels the request too. */
static void
run_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  (void) cancellable;
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static guint
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 seconds = 0;
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, 24 * 3600, &seconds, NULL))
    return (guint) seconds;
  when = soup_date_time_new_from_http_string (value);
  if (when == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  return (guint) CLAMP (g_date_time_difference (when, now) / G_TIME_SPAN_SECOND, 0, 24 * 3600);
}

static void
refresh_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (object), result, &error))
    {
      /* Only a refused refresh means signing in again; a server that could not be reached
       * or was busy is tried again later like any other request, and the key store's own
       * error (locked, absent) is said as it is. */
      if (g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK)
          || g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RETRY)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
          || error->domain == KOERS_KEY_STORE_ERROR)
        {
          koers_sync_run_finish (task, g_steal_pointer (&error));
          return;
        }
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_AUTH, _("Signing in again is needed: %s"),
                           error->message);
      return;
    }
  send_current (task);
}

static void
response_complete (GTask *task)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  guint status = soup_message_get_status (run->msg);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&run->buffer));

  g_clear_object (&run->stream);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      KoersSyncClient *client = koers_sync_run_client_of (task);

      if (run->refreshed)
        {
          koers_sync_run_fail (task, KOERS_SYNC_ERROR_AUTH,
                               _("The server did not accept the sign-in: sign in again"));
          return;
        }
      run->refreshed = TRUE;
      koers_token_source_refresh_async (koers_sync_client_get_tokens (client),
                                        koers_sync_client_get_session (client),
                                        koers_sync_client_get_url (client),
                                        g_task_get_cancellable (task), refresh_cb, task);
      return;
    }
  if (status == 429 || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    {
      run->retry_after = parse_retry_after (run->msg);
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_RETRY,
                           _("The server is busy (HTTP %u); trying again later"),
                           status);
      return;
    }
  run->on_response (task, status, body);
}

static void
read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  KoersSyncRun *run = koers_sync_run_of (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        koers_sync_run_finish (task, g_steal_pointer (&error));
      else
        koers_sync_run_fail (task, KOERS_SYNC_ERROR_NETWORK,
                             _("The connection to the server broke: %s"),
                             error->message);
      return;
    }
  if (g_bytes_get_size (chunk) == 0)
    {
      response_complete (task);
      return;
    }
  /* libsoup decompresses without a limit: the cap is on what arrives decoded. */
  if (run->buffer->len + g_bytes_get_size (chunk) > KOERS_SYNC_RESPONSE_LIMIT)
    {
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_RESPONSE,
                           _("The server's answer is larger than %d MiB; it was not used"),
                           KOERS_SYNC_RESPONSE_LIMIT / (1024 * 1024));
      return;
    }
  g_byte_array_append (run->buffer, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  g_input_stream_read_bytes_async (run->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   run->request_cancellable, read_cb, task);
}

static void
sent_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  KoersSyncRun *run = koers_sync_run_of (task);
  g_autoptr(GError) error = NULL;

  run->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  stop_connect_timer (run);
  if (run->stream == NULL)
    {
      if (run->connect_timed_out)
        {
          guint seconds = koers_sync_client_get_connect_timeout (koers_sync_run_client_of (task));

          koers_sync_run_fail (task, KOERS_SYNC_ERROR_NETWORK,
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The server did not answer within %u second",
                                            "The server did not answer within %u seconds",
                                            seconds), seconds);
        }
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        koers_sync_run_finish (task, g_steal_pointer (&error));
      else
        koers_sync_run_fail (task, KOERS_SYNC_ERROR_NETWORK, _("The server cannot be reached: %s"),
                             error->message);
      return;
    }
  run->buffer = g_byte_array_new ();
  g_input_stream_read_bytes_async (run->stream, READ_CHUNK, G_PRIORITY_DEFAULT,
                                   run->request_cancellable, read_cb, task);
}

static void
send_current (GTask *task)
{
  KoersSyncClient *client = koers_sync_run_client_of (task);
  KoersSyncRun *run = koers_sync_run_of (task);
  g_autofree char *url = g_strconcat (koers_sync_client_get_url (client), run->path, NULL);
  g_autofree char *token = koers_token_source_dup_access_token (
    koers_sync_client_get_tokens (client));
  SoupMessageHeaders *headers;

  g_clear_object (&run->msg);
  run->msg = soup_message_new (run->method, url);
  if (run->msg == NULL)
    {
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_NETWORK,
                           _("The server address is not a valid URL"));
      return;
    }
  headers = soup_message_get_request_headers (run->msg);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  if (run->body != NULL)
    soup_message_set_request_body_from_bytes (run->msg, "application/json", run->body);
  koers_sync_request_disconnect (run);
  g_clear_object (&run->request_cancellable);
  run->request_cancellable = g_cancellable_new ();
  run->connect_timed_out = FALSE;
  run->run_cancellable = g_task_get_cancellable (task);
  if (run->run_cancellable != NULL)
    run->cancel_handler = g_cancellable_connect (run->run_cancellable,
                                                 G_CALLBACK (run_cancelled_cb),
                                                 g_object_ref (run->request_cancellable),
                                                 g_object_unref);
  stop_connect_timer (run);
  /* Not _seconds(): GLib would round it to a whole second of its own choosing, and libsoup's
   * session timeout, which also bounds the connect, could come first. */
  run->connect_timer = g_timeout_source_new (koers_sync_client_get_connect_timeout (client)
                                             * 1000);
  g_source_set_callback (run->connect_timer, connect_timeout_cb, run, NULL);
  g_source_attach (run->connect_timer, g_main_context_get_thread_default ());
  g_signal_connect (run->msg, "network-event", G_CALLBACK (network_event_cb), run);
  soup_session_send_async (koers_sync_client_get_session (client), run->msg, G_PRIORITY_DEFAULT,
                           run->request_cancellable, sent_cb, task);
}

void
koers_sync_request_send (GTask *task, const char *method, const char *path, JsonNode *body,
              KoersSyncResponseFunc on_response)
{
  KoersSyncRun *run = koers_sync_run_of (task);

  g_free (run->method);
  run->method = g_strdup (method);
  g_free (run->path);
  run->path = g_strdup (path);
  g_clear_pointer (&run->body, g_bytes_unref);
  if (body != NULL)
    {
      char *text = koers_sync_json_to_string (body);

      run->body = g_bytes_new_take (text, strlen (text));
    }
  run->on_response = on_response;
  send_current (task);
}
