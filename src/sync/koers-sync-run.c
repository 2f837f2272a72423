/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One run of the loop: push every outbox row in order (batches of at most 100), pull until
 * the feed says there is no more. Requests use libsoup's async API on the client's context;
 * the database work between them is one short transaction per step.
 *
 * A pull page that says more follows is not applied on this thread: the request for the next
 * page goes out first (its cursor is in the page), and the page is applied on the run's own
 * thread through the run's own connection to the database, while the server prepares the next page
 * and this thread reads and checks it when it comes. At most one page is being applied; the
 * next page's answer, once read and checked, and the run's end both wait for it (the pages go
 * in in the order they came, and a page being applied is the server's and whole: it is stored
 * even when the run stops). A failure to apply it cancels the request in flight and ends the
 * run with that failure. The page that ends a pull goes the same way when pages were stored
 * ahead (its index builds read what that connection's cache holds), else on the client's own
 * connection (an incremental pull of one page opens nothing more).
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

static void applier_stop_and_join (KoersSyncRun *run);

static void
run_free (gpointer data)
{
  KoersSyncRun *run = data;

  g_assert (!run->applying);
  applier_stop_and_join (run);
  g_clear_pointer (&run->batch, json_node_unref);
  koers_sync_request_clear (run);
  g_clear_object (&run->apply_db);
  g_clear_error (&run->apply_error);
  g_clear_pointer (&run->waiting_page, koers_json_doc_unref);
  g_clear_error (&run->waiting_read_error);
  g_clear_error (&run->finish_error);
  g_free (run);
}

/* Ends the run: the client updates its state and schedules a retry, then the caller hears. A
 * page still waiting is the server's and whole: it is stored even when the run stops, and a
 * failure to store it is what the run ends with. */
void
koers_sync_run_finish (GTask *task, GError *error)
{
  KoersSyncRun *run = koers_sync_run_of (task);

  if (run->applying)
    {
      /* Resumed when the page is in (apply_done). */
      g_assert (!run->finish_waiting);
      run->finish_waiting = TRUE;
      run->finish_error = error;
      return;
    }
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

/* Counts a stored page and tells the client. @elsewhere: it went in through the run's own
 * connection; the client reads its state again only if the page could have changed it (a
 * record that left moves its pending changes to quarantine). */
static void
page_stored (GTask *task, KoersSyncApplyResult *result, gboolean elsewhere)
{
  KoersSyncRun *run = koers_sync_run_of (task);

  run->stats.pages++;
  run->stats.pulled += result->n_records + result->n_removed;
  koers_sync_client_page_applied (koers_sync_run_client_of (task),
                                  result->n_records + result->n_removed, result->server_time,
                                  !elsewhere || result->n_removed > 0 || result->n_erased > 0);
}

/* A page applied on a worker thread: what it needs, all its own. */
typedef struct {
  KoersDatabase      *db;
  KoersJsonDoc       *page;
  KoersSyncPageCheck  check;
} ApplyJob;

static void
apply_job_free (gpointer data)
{
  ApplyJob *job = data;

  g_object_unref (job->db);
  koers_json_doc_unref (job->page);
  g_free (job);
}

static void
apply_result_free (gpointer data)
{
  koers_sync_apply_result_clear (data);
  g_free (data);
}

/* What tells the run's applier thread to end. */
static char applier_stop;

/* The run's applier: a thread of its own, not GLib's shared pool, so it starts from the
 * client's thread and has its scheduling priority (the app's sync thread runs at a lower one,
 * koers-sync-service-worker.c; GLib makes its pool's threads from a thread of its own). Each
 * job is a GTask; returning it hands the result to the client's thread. */
static gpointer
applier_thread (gpointer data)
{
  GAsyncQueue *queue = data;

  for (;;)
    {
      gpointer item = g_async_queue_pop (queue);
      g_autoptr(GTask) job_task = NULL;
      KoersSyncApplyResult *result;
      GError *error = NULL;
      ApplyJob *job;

      if (item == &applier_stop)
        break;
      job_task = item;
      job = g_task_get_task_data (job_task);
      result = g_new0 (KoersSyncApplyResult, 1);
      if (koers_sync_apply_checked (job->db, job->page, &job->check, result, &error))
        g_task_return_pointer (job_task, result, apply_result_free);
      else
        {
          apply_result_free (result);
          g_task_return_error (job_task, error);
        }
    }
  g_async_queue_unref (queue);
  return NULL;
}

/* Ends the run's applier (idle: the run's end waits for the page being stored). */
static void
applier_stop_and_join (KoersSyncRun *run)
{
  if (run->applier == NULL)
    return;
  g_async_queue_push (run->apply_queue, &applier_stop);
  g_thread_join (g_steal_pointer (&run->applier));
  g_clear_pointer (&run->apply_queue, g_async_queue_unref);
}

static void pull_continue (GTask *task, guint status, KoersJsonDoc *page,
                           const KoersSyncPageCheck *check, GError *read_error);
static void pull_ended (GTask *task);

/* Back on the client's thread: counts the page, or keeps why it failed and stops the request
 * in flight; then whatever waited for it goes on. */
static void
apply_done (GObject *source, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  KoersSyncRun *run = koers_sync_run_of (task);
  gboolean ending = run->pull_ending;
  KoersSyncApplyResult *result;
  GError *error = NULL;

  run->applying = FALSE;
  run->pull_ending = FALSE;
  result = g_task_propagate_pointer (G_TASK (res), &error);
  if (result != NULL)
    {
      /* The last page completes a first sync: the client reads its state again. */
      page_stored (task, result, !ending);
      apply_result_free (result);
    }
  else
    {
      run->apply_error = error;
      if (run->request_cancellable != NULL)
        g_cancellable_cancel (run->request_cancellable);
    }
  if (run->finish_waiting)
    {
      run->finish_waiting = FALSE;
      koers_sync_run_finish (task, g_steal_pointer (&run->finish_error));
    }
  else if (run->waiting_answer)
    {
      g_autoptr(KoersJsonDoc) page = g_steal_pointer (&run->waiting_page);

      run->waiting_answer = FALSE;
      pull_continue (task, run->waiting_status, page, &run->waiting_check,
                     g_steal_pointer (&run->waiting_read_error));
    }
  else if (ending && run->apply_error != NULL)
    koers_sync_run_finish (task, NULL);
  else if (ending)
    pull_ended (task);
}

/* Starts applying @page on a worker thread through the run's own connection. FALSE when there
 * is none (a database that is not a file): the caller applies it here. */
static gboolean
apply_ahead (GTask *task, KoersJsonDoc *page, const KoersSyncPageCheck *check)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  const char *path = koers_database_get_path (db);
  g_autoptr(GTask) job_task = NULL;
  ApplyJob *job;

  g_assert (!run->applying);
  if (run->apply_db == NULL && !run->apply_db_failed)
    {
      g_autoptr(GError) error = NULL;

      /* Its own statement cache and its own page cache: the client's connection stays free
       * for what the client's thread does meanwhile (counting pending changes, the status). */
      if (path != NULL && g_strcmp0 (path, ":memory:") != 0)
        run->apply_db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_CHECK
                                                   | KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
      if (run->apply_db != NULL)
        {
          run->apply_queue = g_async_queue_new ();
          run->applier = g_thread_try_new ("koers-sync-apply", applier_thread,
                                           g_async_queue_ref (run->apply_queue), &error);
          if (run->applier == NULL)
            {
              g_async_queue_unref (run->apply_queue);  /* the thread's reference */
              g_clear_pointer (&run->apply_queue, g_async_queue_unref);
              g_clear_object (&run->apply_db);
            }
        }
      if (run->apply_db == NULL)
        {
          run->apply_db_failed = TRUE;
          g_debug ("sync: pages are applied on the client's thread: %s",
                   error != NULL ? error->message : "the database is no file");
        }
    }
  if (run->apply_db == NULL)
    return FALSE;
  job = g_new0 (ApplyJob, 1);
  job->db = g_object_ref (run->apply_db);
  job->page = koers_json_doc_ref (page);
  job->check = *check;
  job_task = g_task_new (NULL, NULL, apply_done, g_object_ref (task));
  g_task_set_task_data (job_task, job, apply_job_free);
  run->applying = TRUE;
  g_async_queue_push (run->apply_queue, g_steal_pointer (&job_task));
  return TRUE;
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

/* When @page says more follows: asks for the next page and applies this one meanwhile (see
 * the top of this file). */
static gboolean
fetch_ahead (GTask *task, KoersJsonDoc *page, const KoersSyncPageCheck *check)
{
  const char *cursor = koers_sync_doc_string (page, 0, "volgendeCursor");
  gboolean ok = TRUE;

  if (cursor == NULL || !koers_sync_doc_bool (page, 0, "meerBeschikbaar", FALSE, &ok) || !ok)
    return FALSE;
  send_pull_request (task, cursor);
  if (!apply_ahead (task, page, check))
    {
      GError *error = NULL;
      KoersSyncApplyResult result = { 0 };

      if (!koers_sync_apply_checked (koers_sync_client_get_db (koers_sync_run_client_of (task)),
                                     page, check, &result, &error))
        {
          KoersSyncRun *run = koers_sync_run_of (task);

          run->apply_error = error;
          g_cancellable_cancel (run->request_cancellable);
          return TRUE;
        }
      page_stored (task, &result, FALSE);
      koers_sync_apply_result_clear (&result);
    }
  return TRUE;
}

/* What a 410 says the old and the current epoch share (gedeeldTot: the last volgnummer of the
 * backup the server was restored from); -1 when it says nothing or cannot be read, which
 * leaves the comparison of versions as it was. */
static gint64
gone_shared_history (GBytes *body)
{
  g_autoptr(KoersJsonDoc) problem = NULL;
  KoersJsonRef member;

  if (body == NULL)
    return -1;
  problem = koers_json_doc_parse (body, KOERS_SYNC_JSON_MAX_DEPTH, NULL);
  if (problem == NULL || koers_json_doc_kind (problem, 0) != KOERS_JSON_OBJECT)
    return -1;
  member = koers_json_doc_member (problem, 0, "gedeeldTot");
  if (member == KOERS_JSON_NONE || koers_json_doc_kind (problem, member) != KOERS_JSON_INTEGER
      || koers_json_doc_get_int (problem, member) < 0)
    return -1;
  return koers_json_doc_get_int (problem, member);
}

/* A page's answer: read and checked at once, while the page before it may still be applied
 * on the worker; what comes of it waits for that page. */
static void
pull_done (GTask *task, guint status, GBytes *body)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  g_autoptr(KoersJsonDoc) page = NULL;
  GError *error = NULL;
  KoersSyncPageCheck check = { 0 };

  if (status == SOUP_STATUS_OK)
    {
      page = koers_sync_json_parse_page (body, &error);
      if (page != NULL && !koers_sync_apply_check (page, &check, &error))
        g_clear_pointer (&page, koers_json_doc_unref);
    }
  if (status == SOUP_STATUS_GONE)
    run->gone_shared = gone_shared_history (body);
  if (run->applying)
    {
      g_assert (!run->waiting_answer);
      run->waiting_answer = TRUE;
      run->waiting_status = status;
      run->waiting_page = g_steal_pointer (&page);
      run->waiting_check = check;
      run->waiting_read_error = error;
      return;
    }
  pull_continue (task, status, page, &check, error);
}

/* @read_error (transfer full): why @page (nullable) could not be read or checked. */
static void
pull_continue (GTask *task, guint status, KoersJsonDoc *page, const KoersSyncPageCheck *check,
               GError *read_error)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = read_error;
  KoersSyncApplyResult result = { 0 };

  /* The page before this one could not be stored: the run ends with that. */
  if (run->apply_error != NULL)
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
      g_clear_error (&error);
      if (!koers_sync_reset_for_full_pull (db, run->gone_shared, &error))
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
  if (page == NULL)
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  if (fetch_ahead (task, page, check))
    return;
  /* The pull's last page, in a run that stored pages ahead: on the same thread and
   * connection, whose cache holds what the page's index builds read. */
  if (run->apply_db != NULL)
    {
      run->pull_ending = TRUE;
      if (apply_ahead (task, page, check))
        return;
      run->pull_ending = FALSE;
    }
  if (!koers_sync_apply_checked (db, page, check, &result, &error))
    {
      koers_sync_run_finish (task, g_steal_pointer (&error));
      return;
    }
  page_stored (task, &result, FALSE);
  koers_sync_apply_result_clear (&result);
  if (result.more)
    pull_step (task);
  else
    pull_ended (task);
}

/* After the pull's last page. The end of a pull a 410 started: what this device held and the
 * (restored) server lost goes back up in this run, and the pull after that push brings it down
 * as the server's. */
static void
pull_ended (GTask *task)
{
  KoersSyncRun *run = koers_sync_run_of (task);
  KoersDatabase *db = koers_sync_client_get_db (koers_sync_run_client_of (task));
  g_autoptr(GError) error = NULL;
  guint requeued = 0;

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
