/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One run of the loop: push every outbox row in order (batches of at most 100), pull until
 * the feed says there is no more. Requests use libsoup's async API on the client's context;
 * the database work between them is one short transaction per step.
 *
 * A pull page that says more follows is not applied at once: the request for the next page
 * goes out first (its cursor is in the page), and the page is applied from an idle callback
 * while the server prepares the next one, so the two take turns instead of waiting for each
 * other. At most one page waits; it is always applied before anything else happens in the run
 * (the next page's answer, a 410, the run's end), and a failure to apply it cancels the
 * request in flight and ends the run with that failure.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sync-client-private.h"

#include "sync/koers-sync-apply.h"
#include "sync/koers-sync-crash.h"
#include "sync/koers-key-store.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-push.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

#define READ_CHUNK 65536
/* docs/api-protocol.md, Limits: a server that does not accept the connection within 10 s is
 * treated as unreachable (the session's own timeout, 60 s, covers each read and write). */
#define CONNECT_TIMEOUT_S 10
/* Restarts from 0 after a 410 within one run, at most. */
#define MAX_FULL_REPULLS 2

typedef void (*ResponseFunc) (GTask *task, guint status, GBytes *body);

typedef struct {
  KoersSyncRunStats  stats;
  gboolean           refreshed;
  gboolean           renumbered;
  guint              retry_after;
  JsonNode          *batch;
  /* the request in flight, kept whole so a 401 can send it again after a refresh */
  char              *method;
  char              *path;
  GBytes            *body;
  ResponseFunc       on_response;
  SoupMessage       *msg;
  GCancellable      *request_cancellable;   /* this request; cancelled with the run */
  GCancellable      *run_cancellable;       /* (unowned) the task's */
  gulong             cancel_handler;
  GSource           *connect_timer;
  gboolean           connect_timed_out;
  GInputStream      *stream;
  GByteArray        *buffer;
  /* a fetched page waiting to be applied while the next one is fetched */
  JsonNode          *pending_page;
  GSource           *apply_source;
  GError            *apply_error;
} Run;

static void
disconnect_request (Run *run)
{
  if (run->cancel_handler != 0)
    g_cancellable_disconnect (run->run_cancellable, run->cancel_handler);
  run->cancel_handler = 0;
}

static void
run_free (gpointer data)
{
  Run *run = data;

  g_clear_pointer (&run->batch, json_node_unref);
  g_free (run->method);
  g_free (run->path);
  g_clear_pointer (&run->body, g_bytes_unref);
  g_clear_object (&run->msg);
  if (run->connect_timer != NULL)
    {
      g_source_destroy (run->connect_timer);
      g_clear_pointer (&run->connect_timer, g_source_unref);
    }
  g_clear_object (&run->request_cancellable);
  g_clear_object (&run->stream);
  g_clear_pointer (&run->buffer, g_byte_array_unref);
  if (run->apply_source != NULL)
    {
      g_source_destroy (run->apply_source);
      g_clear_pointer (&run->apply_source, g_source_unref);
    }
  g_clear_pointer (&run->pending_page, json_node_unref);
  g_clear_error (&run->apply_error);
  g_free (run);
}

static KoersSyncClient *
client_of (GTask *task)
{
  return g_task_get_source_object (task);
}

static Run *
run_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static gboolean apply_pending (GTask *task);

/* Ends the run: the client updates its state and schedules a retry, then the caller hears. A
 * page still waiting is the server's and whole: it is stored even when the run stops, and a
 * failure to store it is what the run ends with. */
static void
finish (GTask *task, GError *error)
{
  Run *run = run_of (task);

  apply_pending (task);
  if (run->apply_error != NULL)
    {
      g_clear_error (&error);
      error = g_steal_pointer (&run->apply_error);
    }
  disconnect_request (run);
  koers_sync_client_run_done (client_of (task), &run->stats, error, run->retry_after);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&run->stats, sizeof run->stats), g_free);
  g_object_unref (task);
}

static void
fail (GTask *task, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);

static void
fail (GTask *task, int code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  finish (task, g_error_new_literal (KOERS_SYNC_ERROR, code, message));
}

static gboolean
stop_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;
  finish (task, error);
  return TRUE;
}

/* ---- transport ---------------------------------------------------------------------------- */

static void send_current (GTask *task);

static void
stop_connect_timer (Run *run)
{
  if (run->connect_timer == NULL)
    return;
  g_source_destroy (run->connect_timer);
  g_clear_pointer (&run->connect_timer, g_source_unref);
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  Run *run = user_data;

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
          finish (task, g_steal_pointer (&error));
          return;
        }
      fail (task, KOERS_SYNC_ERROR_AUTH, _("Signing in again is needed: %s"), error->message);
      return;
    }
  send_current (task);
}

static void
response_complete (GTask *task)
{
  Run *run = run_of (task);
  guint status = soup_message_get_status (run->msg);
  g_autoptr(GBytes) body = g_byte_array_free_to_bytes (g_steal_pointer (&run->buffer));

  g_clear_object (&run->stream);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      KoersSyncClient *client = client_of (task);

      if (run->refreshed)
        {
          fail (task, KOERS_SYNC_ERROR_AUTH,
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
      fail (task, KOERS_SYNC_ERROR_RETRY, _("The server is busy (HTTP %u); trying again later"),
            status);
      return;
    }
  run->on_response (task, status, body);
}

static void
read_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GTask *task = user_data;
  Run *run = run_of (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (task, g_steal_pointer (&error));
      else
        fail (task, KOERS_SYNC_ERROR_NETWORK, _("The connection to the server broke: %s"),
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
      fail (task, KOERS_SYNC_ERROR_RESPONSE,
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
  Run *run = run_of (task);
  g_autoptr(GError) error = NULL;

  run->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  stop_connect_timer (run);
  if (run->stream == NULL)
    {
      if (run->connect_timed_out)
        fail (task, KOERS_SYNC_ERROR_NETWORK,
              _("The server did not answer within %d seconds"), CONNECT_TIMEOUT_S);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        finish (task, g_steal_pointer (&error));
      else
        fail (task, KOERS_SYNC_ERROR_NETWORK, _("The server cannot be reached: %s"),
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
  KoersSyncClient *client = client_of (task);
  Run *run = run_of (task);
  g_autofree char *url = g_strconcat (koers_sync_client_get_url (client), run->path, NULL);
  g_autofree char *token = koers_token_source_dup_access_token (
    koers_sync_client_get_tokens (client));
  SoupMessageHeaders *headers;

  g_clear_object (&run->msg);
  run->msg = soup_message_new (run->method, url);
  if (run->msg == NULL)
    {
      fail (task, KOERS_SYNC_ERROR_NETWORK, _("The server address is not a valid URL"));
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
  disconnect_request (run);
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
  run->connect_timer = g_timeout_source_new_seconds (CONNECT_TIMEOUT_S);
  g_source_set_callback (run->connect_timer, connect_timeout_cb, run, NULL);
  g_source_attach (run->connect_timer, g_main_context_get_thread_default ());
  g_signal_connect (run->msg, "network-event", G_CALLBACK (network_event_cb), run);
  soup_session_send_async (koers_sync_client_get_session (client), run->msg, G_PRIORITY_DEFAULT,
                           run->request_cancellable, sent_cb, task);
}

static void
send_request (GTask *task, const char *method, const char *path, JsonNode *body,
              ResponseFunc on_response)
{
  Run *run = run_of (task);

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

/* ---- steps -------------------------------------------------------------------------------- */

static void push_step (GTask *task);
static void pull_step (GTask *task);
static void staff_step (GTask *task);

static void
push_done (GTask *task, guint status, GBytes *body)
{
  Run *run = run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  KoersSyncPushStats stats = { 0 };

  koers_sync_crash_point ("after-send");
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CONFLICT)
    {
      fail (task, KOERS_SYNC_ERROR_HTTP, _("The server refused the changes (HTTP %u)"), status);
      return;
    }
  root = koers_sync_json_parse_response (body, &error);
  if (root == NULL)
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  if (status == SOUP_STATUS_CONFLICT)
    {
      gint64 expected = 0;

      if (run->renumbered
          || !koers_sync_json_int (json_node_get_object (root), "verwachtVolgnummer", &expected)
          || expected < 1)
        {
          fail (task, KOERS_SYNC_ERROR_SEQUENCE,
                _("The server and this computer disagree on the numbering of changes; the "
                  "changes are kept and sent again later"));
          return;
        }
      /* Once per run: a second gap means the numbers cannot be brought in line by
       * renumbering (see docs/sync-client.md, "Device numbers"). */
      run->renumbered = TRUE;
      if (!koers_sync_push_renumber (db, expected, &error))
        {
          finish (task, g_steal_pointer (&error));
          return;
        }
      push_step (task);
      return;
    }
  if (!koers_sync_push_apply_results (db, run->batch, root, &stats, &error))
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  run->stats.pushed += stats.n_sent;
  run->stats.conflicts += stats.n_conflicts;
  run->stats.quarantined += stats.n_quarantined;
  run->stats.replayed += stats.n_replayed;
  push_step (task);
}

static void
push_step (GTask *task)
{
  Run *run = run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (client_of (task));
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (stop_if_cancelled (task))
    return;
  g_clear_pointer (&run->batch, json_node_unref);
  if (!koers_sync_push_number (db, &error))
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  run->batch = koers_sync_push_next_batch (db, KOERS_SYNC_PUSH_BATCH, &n, &error);
  if (error != NULL)
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  if (run->batch == NULL)
    {
      pull_step (task);
      return;
    }
  koers_sync_crash_point ("before-send");
  send_request (task, "POST", "/v1/mutaties", run->batch, push_done);
}

/* Stores one page (one transaction) and counts it. */
static gboolean
apply_page (GTask *task, JsonNode *page, gboolean *out_more, GError **error)
{
  Run *run = run_of (task);
  KoersSyncClient *client = client_of (task);
  KoersSyncApplyResult result = { 0 };

  if (!koers_sync_apply_page (koers_sync_client_get_db (client), page, &result, error))
    return FALSE;
  run->stats.pages++;
  run->stats.pulled += result.n_records + result.n_removed;
  if (out_more != NULL)
    *out_more = result.more;
  koers_sync_client_page_applied (client, result.n_records + result.n_removed,
                                  result.server_time);
  koers_sync_apply_result_clear (&result);
  return TRUE;
}

/* Applies the page that waits, if any. FALSE when it (or an earlier one) could not be
 * applied: the reason is in run->apply_error, and the request in flight is cancelled so the
 * run ends with it. */
static gboolean
apply_pending (GTask *task)
{
  Run *run = run_of (task);
  g_autoptr(JsonNode) page = g_steal_pointer (&run->pending_page);

  if (run->apply_source != NULL)
    {
      g_source_destroy (run->apply_source);
      g_clear_pointer (&run->apply_source, g_source_unref);
    }
  if (page == NULL)
    return run->apply_error == NULL;
  if (apply_page (task, page, NULL, &run->apply_error))
    return TRUE;
  if (run->request_cancellable != NULL)
    g_cancellable_cancel (run->request_cancellable);
  return FALSE;
}

static gboolean
apply_pending_cb (gpointer user_data)
{
  GTask *task = user_data;
  Run *run = run_of (task);

  g_clear_pointer (&run->apply_source, g_source_unref);
  apply_pending (task);
  return G_SOURCE_REMOVE;
}

static void pull_done (GTask *task, guint status, GBytes *body);

static void
send_pull_request (GTask *task, const char *cursor)
{
  g_autofree char *escaped = g_uri_escape_string (cursor != NULL ? cursor : "0", NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/wijzigingen?vanaf=%s&limiet=%u", escaped,
                                           koers_sync_client_get_page_size (client_of (task)));

  send_request (task, "GET", path, NULL, pull_done);
}

/* When @page says more follows: keeps it to be applied while the next page is fetched (see
 * the top of this file). The idle callback runs once libsoup has nothing ready, i.e. when the
 * request is out and its answer not yet in. */
static gboolean
fetch_ahead (GTask *task, JsonNode *page)
{
  Run *run = run_of (task);
  JsonObject *object = json_node_get_object (page);
  const char *cursor = koers_sync_json_string (object, "volgendeCursor");
  gboolean ok = TRUE;

  if (cursor == NULL || !koers_sync_json_bool (object, "meerBeschikbaar", FALSE, &ok) || !ok)
    return FALSE;
  g_assert (run->pending_page == NULL);
  run->pending_page = json_node_ref (page);
  run->apply_source = g_idle_source_new ();
  /* Below libsoup's own sources, so the request is written before the page is applied. */
  g_source_set_priority (run->apply_source, G_PRIORITY_LOW);
  g_source_set_callback (run->apply_source, apply_pending_cb, task, NULL);
  g_source_attach (run->apply_source, g_main_context_get_thread_default ());
  send_pull_request (task, cursor);
  return TRUE;
}

static void
pull_done (GTask *task, guint status, GBytes *body)
{
  Run *run = run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  guint requeued = 0;
  gboolean more = FALSE;

  /* The page before this one first: the pages go in in the order they came. */
  if (!apply_pending (task))
    {
      finish (task, NULL);
      return;
    }
  if (status == SOUP_STATUS_GONE)
    {
      /* Another epoch (a restored server, an expired cursor): everything again from 0; the
       * outbox is kept and goes up with the next push. */
      if (run->stats.full_repulls >= MAX_FULL_REPULLS)
        {
          fail (task, KOERS_SYNC_ERROR_HTTP, _("The server keeps refusing the sync position"));
          return;
        }
      run->stats.full_repulls++;
      if (!koers_sync_reset_for_full_pull (db, &error))
        {
          finish (task, g_steal_pointer (&error));
          return;
        }
      pull_step (task);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      fail (task, KOERS_SYNC_ERROR_HTTP, _("The server refused to send changes (HTTP %u)"),
            status);
      return;
    }
  root = koers_sync_json_parse_response (body, &error);
  if (root == NULL)
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  if (fetch_ahead (task, root))
    return;
  if (!apply_page (task, root, &more, &error))
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  if (more)
    {
      pull_step (task);
      return;
    }
  /* The end of a pull a 410 started: what this device held and the (restored) server lost
   * goes back up in this run, and the pull after that push brings it down as the server's. */
  if (!koers_sync_schema_enqueue_lost (db, &requeued, &error))
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  if (requeued > 0)
    {
      run->stats.requeued += requeued;
      push_step (task);
      return;
    }
  staff_step (task);
}

static void
pull_step (GTask *task)
{
  KoersSyncClient *client = client_of (task);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;

  if (stop_if_cancelled (task))
    return;
  cursor = koers_sync_state_get (koers_sync_client_get_db (client), KOERS_SYNC_STATE_CURSOR,
                                 &error);
  if (error != NULL)
    {
      finish (task, g_steal_pointer (&error));
      return;
    }
  send_pull_request (task, cursor);
}

/* The coaches' names are a courtesy, not part of the sync: a server without the list (404) or
 * an answer that does not check out leaves the names as they were and the run succeeds. */
static void
staff_done (GTask *task, guint status, GBytes *body)
{
  KoersDatabase *db = koers_sync_client_get_db (client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (status == SOUP_STATUS_OK)
    {
      root = koers_sync_json_parse_response (body, &error);
      if (root == NULL || !koers_sync_staff_apply (db, root, &error))
        g_debug ("sync: staff names not updated: %s", error->message);
    }
  finish (task, NULL);
}

/* The organisation's staff, so coaches show by name: after the first sync, when a pull made a
 * placeholder for a coach this device had not seen, and otherwise at most once an hour (not
 * on every sync: it would add a round trip to each incremental sync). */
static void
staff_step (GTask *task)
{
  KoersDatabase *db = koers_sync_client_get_db (client_of (task));

  if (!koers_sync_staff_is_due (db))
    {
      finish (task, NULL);
      return;
    }
  send_request (task, "GET", KOERS_SYNC_STAFF_PATH, NULL, staff_done);
}

void
koers_sync_run_start (GTask *task)
{
  g_task_set_task_data (task, g_new0 (Run, 1), run_free);
  push_step (task);
}
