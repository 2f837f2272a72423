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

#include "sync/koers-sync-run-private.h"

#include "sync/koers-sync-client-private.h"

#include "sync/koers-sync-apply.h"
#include "sync/koers-sync-crash.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"
#include "sync/koers-sync-push.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

/* Restarts from 0 after a 410 within one run, at most. */
#define MAX_FULL_REPULLS 2

static void
stop_apply_source (KoersSyncRun *run)
{
  if (run->apply_source == NULL)
    return;
  g_source_destroy (run->apply_source);
  g_clear_pointer (&run->apply_source, g_source_unref);
}

static void
run_free (gpointer data)
{
  KoersSyncRun *run = data;

  g_clear_pointer (&run->batch, json_node_unref);
  koers_sync_request_clear (run);
  stop_apply_source (run);
  g_clear_pointer (&run->pending_page, koers_json_doc_unref);
  g_clear_error (&run->apply_error);
  g_free (run);
}

static gboolean apply_pending (GTask *task);

/* Ends the run: the client updates its state and schedules a retry, then the caller hears. A
 * page still waiting is the server's and whole: it is stored even when the run stops, and a
 * failure to store it is what the run ends with. */
void
koers_sync_run_finish (GTask *task, GError *error)
{
  KoersSyncRun *run = koers_sync_run_of (task);

  apply_pending (task);
  if (run->apply_error != NULL)
    {
      g_clear_error (&error);
      error = g_steal_pointer (&run->apply_error);
    }
  koers_sync_request_disconnect (run);
  koers_sync_client_run_done (koers_sync_run_client_of (task), &run->stats, error,
                              run->retry_after);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_memdup2 (&run->stats, sizeof run->stats), g_free);
  g_object_unref (task);
}

void
koers_sync_run_fail (GTask *task, int code, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  koers_sync_run_finish (task, g_error_new_literal (KOERS_SYNC_ERROR, code, message));
}

static gboolean
stop_if_cancelled (GTask *task)
{
  GError *error = NULL;

  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &error))
    return FALSE;
  koers_sync_run_finish (task, error);
  return TRUE;
}

static void push_step (GTask *task);
static void pull_step (GTask *task);
static void staff_step (GTask *task);

static void
push_done (GTask *task, guint status, GBytes *body)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  KoersSyncPushStats stats = { 0 };

  koers_sync_crash_point ("after-send");
  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_CONFLICT)
    {
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_HTTP,
                           _("The server refused the changes (HTTP %u)"), status);
      return;
    }
  root = koers_sync_json_parse_response (body, &error);
  if (root == NULL)
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  if (status == SOUP_STATUS_CONFLICT)
    {
      gint64 expected = 0;

      if (run->renumbered
          || !koers_sync_json_int (json_node_get_object (root), "verwachtVolgnummer", &expected)
          || expected < 1)
        {
          koers_sync_run_fail (task, KOERS_SYNC_ERROR_SEQUENCE,
                               _("The server and this computer disagree on the numbering "
                                 "of changes; the changes are kept and sent again later"));
          return;
        }
      /* Once per run: a second gap means the numbers cannot be brought in line by
       * renumbering (see docs/sync-client.md, "Device numbers"). */
      run->renumbered = TRUE;
      if (!koers_sync_push_renumber (db, expected, &error))
        {
          koers_sync_run_finish (task, g_steal_pointer (&error));
          return;
        }
      push_step (task);
      return;
    }
  if (!koers_sync_push_apply_results (db, run->batch, root, &stats, &error))
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
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
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (stop_if_cancelled (task))
    return;
  g_clear_pointer (&run->batch, json_node_unref);
  /* Held (an undo is on offer): what was written since waits unnumbered, so the undo can
   * still cancel it; what was numbered before goes, it may have reached the server. */
  if (!koers_sync_client_get_held (koers_sync_run_client_of (task))
      && !koers_sync_push_number (db, &error))
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  run->batch = koers_sync_push_next_batch (db, KOERS_SYNC_PUSH_BATCH, &n, &error);
  if (error != NULL)
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  if (run->batch == NULL)
    {
      pull_step (task);
      return;
    }
  koers_sync_crash_point ("before-send");
  koers_sync_request_send (task, "POST", "/v1/mutaties", run->batch, push_done);
}

/* Stores one page (one transaction) and counts it. */
static gboolean
apply_page (GTask *task, KoersJsonDoc *page, gboolean *out_more, GError **error)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersSyncClient *client = koers_sync_run_client_of (task);
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
  KoersSyncRun *run = koers_sync_run_of (task);
  g_autoptr(KoersJsonDoc) page = g_steal_pointer (&run->pending_page);

  stop_apply_source (run);
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
  KoersSyncRun *run = koers_sync_run_of (task);

  g_clear_pointer (&run->apply_source, g_source_unref);
  apply_pending (task);
  return G_SOURCE_REMOVE;
}

static void pull_done (GTask *task, guint status, GBytes *body);

static void
send_pull_request (GTask *task, const char *cursor)
{
  KoersSyncClient *client = koers_sync_run_client_of (task);
  g_autofree char *escaped = g_uri_escape_string (cursor != NULL ? cursor : "0", NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/v1/wijzigingen?vanaf=%s&limiet=%u", escaped,
                                           koers_sync_client_get_page_size (client));

  koers_sync_request_send (task, "GET", path, NULL, pull_done);
}

/* When @page says more follows: keeps it to be applied while the next page is fetched (see
 * the top of this file). The idle callback runs once libsoup has nothing ready, i.e. when the
 * request is out and its answer not yet in. */
static gboolean
fetch_ahead (GTask *task, KoersJsonDoc *page)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  const char *cursor = koers_sync_doc_string (page, 0, "volgendeCursor");
  gboolean ok = TRUE;

  if (cursor == NULL || !koers_sync_doc_bool (page, 0, "meerBeschikbaar", FALSE, &ok) || !ok)
    return FALSE;
  g_assert (run->pending_page == NULL);
  run->pending_page = koers_json_doc_ref (page);
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
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersJsonDoc) root = NULL;
  guint requeued = 0;
  gboolean more = FALSE;

  /* The page before this one first: the pages go in in the order they came. */
  if (!apply_pending (task))
    {
      koers_sync_run_finish (task, NULL);
      return;
    }
  if (status == SOUP_STATUS_GONE)
    {
      /* Another epoch (a restored server, an expired cursor): everything again from 0; the
       * outbox is kept and goes up with the next push. */
      if (run->stats.full_repulls >= MAX_FULL_REPULLS)
        {
          koers_sync_run_fail (task, KOERS_SYNC_ERROR_HTTP,
                               _("The server keeps refusing the sync position"));
          return;
        }
      run->stats.full_repulls++;
      if (!koers_sync_reset_for_full_pull (db, &error))
        {
          koers_sync_run_finish (task, g_steal_pointer (&error));
          return;
        }
      pull_step (task);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      koers_sync_run_fail (task, KOERS_SYNC_ERROR_HTTP,
                           _("The server refused to send changes (HTTP %u)"),
                           status);
      return;
    }
  root = koers_sync_json_parse_page (body, &error);
  if (root == NULL)
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  if (fetch_ahead (task, root))
    return;
  if (!apply_page (task, root, &more, &error))
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
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
      koers_sync_run_finish (task, g_steal_pointer (&error));
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
  KoersSyncClient *client = koers_sync_run_client_of (task);
  g_autofree char *cursor = NULL;
  g_autoptr(GError) error = NULL;

  if (stop_if_cancelled (task))
    return;
  cursor = koers_sync_state_get (koers_sync_client_get_db (client), KOERS_SYNC_STATE_CURSOR,
                                 &error);
  if (error != NULL)
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  send_pull_request (task, cursor);
}

/* The coaches' names are a courtesy, not part of the sync: a server without the list (404) or
 * an answer that does not check out leaves the names as they were and the run succeeds. */
static void
staff_done (GTask *task, guint status, GBytes *body)
{
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (status == SOUP_STATUS_OK)
    {
      root = koers_sync_json_parse_response (body, &error);
      if (root == NULL || !koers_sync_staff_apply (db, root, &error))
        g_debug ("sync: staff names not updated: %s", error->message);
    }
  koers_sync_run_finish (task, NULL);
}

/* The organisation's staff, so coaches show by name: after the first sync, when a pull made a
 * placeholder for a coach this device had not seen, and otherwise at most once an hour (not
 * on every sync: it would add a round trip to each incremental sync). */
static void
staff_step (GTask *task)
{
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));

  if (!koers_sync_staff_is_due (db))
    {
      koers_sync_run_finish (task, NULL);
      return;
    }
  koers_sync_request_send (task, "GET", KOERS_SYNC_STAFF_PATH, NULL, staff_done);
}

void
koers_sync_run_start (GTask *task)
{
  g_task_set_task_data (task, g_new0 (KoersSyncRun, 1), run_free);
  push_step (task);
}
