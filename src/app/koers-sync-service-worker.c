/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-sync-service-private.h"

#include "core/koers-sync-entities.h"
#include "core/koers-thread-priority.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

/*
 * The sync thread: its own GMainContext (pushed as the thread default, so the client, its
 * SoupSession and every callback live here), its own connection to the caseload file, and the
 * KoersSyncClient. Everything the window should know leaves as a copy of the status
 * (koers_sync_worker_post_status); nothing here touches a main-thread object.
 */

/* During a long first sync the caseload grows in steps rather than only at the end (the
 * first page shows at once), but not after every page: each step replaces most of the list
 * in the window (new participants land all through its order), which costs the main thread
 * 20-300 ms at 20,000-100,000 rows in GTK 4.8 (bench-sync-window, docs/performance.md). */
#define CHANGED_INTERVAL_US (2 * G_USEC_PER_SEC)
#define FIRST_SYNC_CHANGED_INTERVAL_US (10 * G_USEC_PER_SEC)
/* At the end, how long a cancelled run may take to report back before the thread ends. */
#define DRAIN_TIMEOUT_US (5 * G_USEC_PER_SEC)

/* --- messages to the main thread ---------------------------------------------------------- */

typedef struct
{
  KoersSyncServiceLink *link;
  KoersSyncStatus       status;
  guint                 n_unsent;
  gboolean              demo;
} MainMessage;

static void
main_message_free (gpointer data)
{
  MainMessage *message = data;

  koers_sync_status_clear (&message->status);
  koers_sync_service_link_release (message->link);
  g_free (message);
}

static void
post_to_main (KoersSyncWorker *worker,
              GSourceFunc      func,
              MainMessage     *message)
{
  message->link = g_atomic_rc_box_acquire (worker->link);
  g_main_context_invoke_full (worker->main_context, G_PRIORITY_DEFAULT, func, message,
                              main_message_free);
}

static gboolean
status_main (gpointer data)
{
  MainMessage *message = data;
  g_autoptr(KoersSyncService) service = g_weak_ref_get (&message->link->service);

  if (service != NULL)
    koers_sync_service_apply_status (service, &message->status);
  return G_SOURCE_REMOVE;
}

void
koers_sync_worker_post_status (KoersSyncWorker *worker)
{
  MainMessage *message = g_new0 (MainMessage, 1);

  koers_sync_status_copy (&message->status, &worker->status);
  post_to_main (worker, status_main, message);
}

static gboolean
data_changed_main (gpointer data)
{
  MainMessage *message = data;
  g_autoptr(KoersSyncService) service = g_weak_ref_get (&message->link->service);

  if (service != NULL)
    koers_sync_service_data_changed (service);
  return G_SOURCE_REMOVE;
}

static void
post_data_changed (KoersSyncWorker *worker)
{
  worker->run_dirty = FALSE;
  worker->changed_posted_at = g_get_monotonic_time ();
  post_to_main (worker, data_changed_main, g_new0 (MainMessage, 1));
}

static gboolean
unsent_main (gpointer data)
{
  MainMessage *message = data;
  g_autoptr(KoersSyncService) service = g_weak_ref_get (&message->link->service);

  if (service != NULL)
    koers_sync_service_emit_unsent (service, message->n_unsent, message->demo);
  return G_SOURCE_REMOVE;
}

typedef struct
{
  GTask  *task;
  GError *error;
  gssize  value;
} TaskReturn;

static gboolean
task_return_main (gpointer data)
{
  TaskReturn *ret = data;

  if (ret->error != NULL)
    g_task_return_error (ret->task, g_steal_pointer (&ret->error));
  else
    g_task_return_int (ret->task, ret->value);
  return G_SOURCE_REMOVE;
}

static void
task_return_free (gpointer data)
{
  TaskReturn *ret = data;

  g_clear_object (&ret->task);
  g_clear_error (&ret->error);
  g_free (ret);
}

void
koers_sync_worker_return_task (KoersSyncWorker *worker,
                               GTask           *task,
                               GError          *error,
                               gssize           value)
{
  TaskReturn *ret = g_new0 (TaskReturn, 1);

  ret->task = task;
  ret->error = error;
  ret->value = value;
  g_main_context_invoke_full (worker->main_context, G_PRIORITY_DEFAULT, task_return_main, ret,
                              task_return_free);
}

/* --- the status --------------------------------------------------------------------------- */

void
koers_sync_worker_set_string (char       **field,
                              const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
}

void
koers_sync_worker_status_from_database (KoersSyncWorker *worker)
{
  KoersSyncStatus *status = &worker->status;
  g_autofree char *last = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_LAST_SYNC, NULL);
  gint64 pending = koers_sync_schema_count_pending (worker->db);

  status->pending_count = MAX (pending, 0);
  status->initial_sync_complete =
    koers_sync_state_get_int (worker->db, KOERS_SYNC_STATE_INITIAL_COMPLETE, 0) == 1;
  status->clock_offset = koers_sync_state_get_int (worker->db, KOERS_SYNC_STATE_CLOCK_OFFSET, 0);
  status->clock_skewed = ABS (status->clock_offset) > KOERS_SYNC_CLOCK_SKEW_LIMIT;
  koers_sync_worker_set_string (&status->last_sync, last);
}

static void
status_from_client (KoersSyncWorker *worker)
{
  KoersSyncStatus *status = &worker->status;
  KoersSyncClient *client = worker->client;

  status->state = koers_sync_client_get_state (client);
  status->pending_count = koers_sync_client_get_pending_count (client);
  status->initial_sync_complete = koers_sync_client_get_initial_sync_complete (client);
  status->clock_offset = koers_sync_client_get_clock_offset (client);
  status->clock_skewed = koers_sync_client_get_clock_skewed (client);
  koers_sync_worker_set_string (&status->last_sync, koers_sync_client_get_last_sync (client));
  koers_sync_worker_set_string (&status->last_error, koers_sync_client_get_last_error (client));
}

static void
client_notify_cb (KoersSyncClient *client,
                  GParamSpec      *pspec,
                  KoersSyncWorker *worker)
{
  KoersSyncClientState before = worker->status.state;

  status_from_client (worker);
  if (worker->client == client && !worker->status.initial_sync_complete)
    worker->first_sync_active = TRUE;
  /* A run ended: whatever it brought is in the file now. */
  if (before == KOERS_SYNC_CLIENT_SYNCING && worker->status.state != KOERS_SYNC_CLIENT_SYNCING
      && worker->run_dirty)
    post_data_changed (worker);
  /* Who is signed in, when a restart came before the profile did: a run that worked has an
   * access token to ask with. */
  if (worker->client == client && worker->status.state == KOERS_SYNC_CLIENT_IDLE
      && worker->status.user_name == NULL && !worker->profile_asked)
    koers_sync_worker_fetch_profile (worker);
  koers_sync_worker_post_status (worker);
}

static void
page_applied_cb (KoersSyncClient *client,
                 guint            n_items,
                 KoersSyncWorker *worker)
{
  if (worker->first_sync_active)
    worker->status.records_received += n_items;
  if (koers_sync_client_get_initial_sync_complete (client))
    worker->first_sync_active = FALSE;
  if (n_items > 0)
    {
      gint64 interval = worker->first_sync_active ? FIRST_SYNC_CHANGED_INTERVAL_US
                                                  : CHANGED_INTERVAL_US;

      worker->run_dirty = TRUE;
      if (g_get_monotonic_time () - worker->changed_posted_at >= interval)
        post_data_changed (worker);
    }
  koers_sync_worker_post_status (worker);
}

/* --- the client --------------------------------------------------------------------------- */

static void
client_gone (gpointer  data,
             GObject  *where_the_client_was)
{
  KoersSyncWorker *worker = data;

  worker->n_clients--;
}

void
koers_sync_worker_drop_client (KoersSyncWorker *worker)
{
  g_autoptr(KoersSyncClient) client = g_steal_pointer (&worker->client);

  if (client == NULL)
    return;
  g_signal_handlers_disconnect_by_data (client, worker);
  koers_sync_client_stop (client);
  worker->generation++;
}

static void
start_client (KoersSyncWorker  *worker,
              KoersTokenSource *tokens)
{
  g_autoptr(KoersTokenSource) guarded = NULL;

  koers_sync_worker_drop_client (worker);
  g_set_object (&worker->tokens, tokens);
  guarded = koers_sync_worker_guard_tokens (worker, tokens);
  worker->client = koers_sync_client_new (worker->db, worker->status.server_url, guarded);
  worker->n_clients++;
  g_object_weak_ref (G_OBJECT (worker->client), client_gone, worker);
  g_signal_connect (worker->client, "notify", G_CALLBACK (client_notify_cb), worker);
  g_signal_connect (worker->client, "page-applied", G_CALLBACK (page_applied_cb), worker);

  worker->profile_asked = FALSE;
  worker->first_sync_active = !koers_sync_client_get_initial_sync_complete (worker->client);
  worker->status.records_received = 0;
  worker->status.needs_sign_in = FALSE;
  status_from_client (worker);
  koers_sync_client_set_held (worker->client, worker->held);
  koers_sync_client_set_hold (worker->client, worker->link->hold);
  koers_sync_client_start (worker->client);
  koers_sync_worker_post_status (worker);
}

void
koers_sync_worker_set_held (KoersSyncWorker *worker,
                            gboolean         held)
{
  worker->held = held;
  if (worker->client != NULL)
    koers_sync_client_set_held (worker->client, held);
}

/* --- sign-in, sign-out -------------------------------------------------------------------- */

static gint64
count_query (KoersDatabase *db,
             const char    *sql)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, NULL);
  gboolean has_row = FALSE;

  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, NULL) || !has_row)
    return 0;
  return koers_column_int64 (stmt, 0);
}

/* Participants the server never saw: no shadow (never received) and no outbox row (never
 * queued), as koers_sync_schema_enqueue_all() picks them. */
static guint
count_unsent_participants (KoersDatabase *db)
{
  const KoersSyncEntity *entity = koers_sync_entity_lookup (KOERS_SYNC_PARTICIPANTS);
  g_autofree char *sql = NULL;

  g_assert (entity != NULL && entity->table != NULL);
  sql = g_strdup_printf ("SELECT count(*) FROM %s t WHERE t.deleted = 0 "
                         "AND NOT EXISTS (SELECT 1 FROM sync_shadow s "
                         "WHERE s.entity = '%s' AND s.id = t.id) "
                         "AND NOT EXISTS (SELECT 1 FROM sync_outbox o "
                         "WHERE o.entity = '%s' AND o.record_id = t.id)",
                         entity->table, entity->name, entity->name);
  return (guint) CLAMP (count_query (db, sql), 0, G_MAXUINT);
}

/* The first-start demo (koers-cli demo) leaves one audit event of type "demo". */
static gboolean
caseload_is_demo (KoersDatabase *db)
{
  return count_query (db, "SELECT EXISTS (SELECT 1 FROM audit_event "
                          "WHERE object_type = 'demo')") > 0;
}

static gboolean
record_sign_in (KoersSyncWorker  *worker,
                const char       *server_url,
                const char       *device_id,
                GError          **error)
{
  g_autofree char *old_url = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_SERVER_URL,
                                                   NULL);
  g_autofree char *old_device = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_DEVICE_ID,
                                                      NULL);
  gboolean same = g_strcmp0 (old_url, server_url) == 0
                  && g_strcmp0 (old_device, device_id) == 0;

  if (!koers_database_begin (worker->db, error))
    return FALSE;
  if (!koers_sync_state_set (worker->db, KOERS_SYNC_STATE_SERVER_URL, server_url, error)
      || !koers_sync_state_set (worker->db, KOERS_SYNC_STATE_DEVICE_ID, device_id, error)
      || (!same && !koers_sync_state_set (worker->db, KOERS_SYNC_STATE_USER_NAME, NULL, error))
      || (!same && !koers_sync_state_set (worker->db, KOERS_SYNC_STATE_ORGANISATION, NULL,
                                          error))
      || !koers_sync_schema_set_capture (worker->db, TRUE, error)
      || !koers_database_commit (worker->db, error))
    {
      koers_database_rollback (worker->db);
      return FALSE;
    }
  if (!same)
    {
      g_clear_pointer (&worker->status.user_name, g_free);
      g_clear_pointer (&worker->status.organisation, g_free);
    }
  return TRUE;
}

gboolean
koers_sync_worker_sign_in (KoersSyncWorker   *worker,
                           const char        *server_url,
                           const char        *device_id,
                           KoersTokenSource  *tokens,
                           gboolean           interactive,
                           GError           **error)
{
  g_autofree char *url = g_strdup (server_url);
  guint unsent = 0;
  gboolean demo = FALSE;

  if (worker->db == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("The caseload could not be opened for syncing"));
      return FALSE;
    }
  if (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  if (!record_sign_in (worker, url, device_id, error))
    return FALSE;

  /* Counted before the first pull: what the coach made before signing in. */
  if (interactive)
    {
      unsent = count_unsent_participants (worker->db);
      demo = unsent > 0 && caseload_is_demo (worker->db);
    }

  koers_sync_worker_set_string (&worker->status.server_url, url);
  koers_sync_worker_set_string (&worker->device_id, device_id);
  worker->status.signed_in = TRUE;
  g_clear_pointer (&worker->status.last_error, g_free);
  start_client (worker, tokens);
  koers_sync_worker_fetch_profile (worker);

  if (unsent > 0)
    {
      MainMessage *message = g_new0 (MainMessage, 1);

      message->n_unsent = unsent;
      message->demo = demo;
      post_to_main (worker, unsent_main, message);
    }
  return TRUE;
}

void
koers_sync_worker_resume (KoersSyncWorker  *worker,
                          KoersTokenSource *tokens)
{
  if (worker->db == NULL || !worker->status.signed_in)
    return;
  start_client (worker, tokens);
}

void
koers_sync_worker_sign_in_lost (KoersSyncWorker *worker,
                                const char      *reason)
{
  koers_sync_worker_drop_client (worker);
  g_clear_object (&worker->tokens);
  worker->status.needs_sign_in = worker->status.signed_in;
  worker->status.state = KOERS_SYNC_CLIENT_ERROR;
  koers_sync_worker_set_string (&worker->status.last_error, reason);
  if (worker->db != NULL)
    koers_sync_worker_status_from_database (worker);
  koers_sync_worker_post_status (worker);
}

void
koers_sync_worker_send_unsent (KoersSyncWorker *worker,
                               GTask           *task)
{
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (worker->db == NULL || !worker->status.signed_in)
    {
      koers_sync_worker_return_task (worker, task,
                                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                                                          _("Sign in before sending the "
                                                            "caseload")), 0);
      return;
    }
  if (!koers_sync_schema_enqueue_all (worker->db, &n, &error))
    {
      koers_sync_worker_return_task (worker, task, g_steal_pointer (&error), 0);
      return;
    }
  if (worker->client != NULL)
    koers_sync_client_sync_now (worker->client);
  worker->status.pending_count = MAX (koers_sync_schema_count_pending (worker->db), 0);
  koers_sync_worker_post_status (worker);
  koers_sync_worker_return_task (worker, task, NULL, n);
}

/* --- the thread --------------------------------------------------------------------------- */

/*
 * A SELECT whose caller read one row and stopped (sqlite3_step gave SQLITE_ROW, no reset)
 * keeps a WAL read snapshot open on this connection. Once the store's writer commits, a write
 * here then fails at once with SQLITE_BUSY_SNAPSHOT ("database is locked", no busy wait).
 * koers_database_begin() resets such statements before a transaction; the engine also writes
 * sync_state outside one (last sync, clock offset). Between two dispatches of this thread's
 * loop no statement can be half-read on purpose, so each iteration starts with every
 * statement reset.
 */
typedef struct
{
  GSource          source;
  KoersSyncWorker *worker;
} ResetSource;

static gboolean
reset_source_prepare (GSource *source,
                      gint    *timeout)
{
  KoersSyncWorker *worker = ((ResetSource *) source)->worker;

  *timeout = -1;
  if (worker->db != NULL)
    {
      sqlite3 *handle = koers_database_get_handle (worker->db);

      for (sqlite3_stmt *stmt = sqlite3_next_stmt (handle, NULL); stmt != NULL;
           stmt = sqlite3_next_stmt (handle, stmt))
        if (sqlite3_stmt_busy (stmt))
          sqlite3_reset (stmt);
    }
  return FALSE;
}

static gboolean
reset_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs reset_source_funcs = {
  .prepare = reset_source_prepare,
  .dispatch = reset_source_dispatch,
};

static GSource *
reset_source_new (KoersSyncWorker *worker)
{
  GSource *source = g_source_new (&reset_source_funcs, sizeof (ResetSource));

  ((ResetSource *) source)->worker = worker;
  g_source_set_static_name (source, "[koers] sync statement reset");
  return source;
}

static void
read_sign_in_on_record (KoersSyncWorker *worker)
{
  KoersSyncStatus *status = &worker->status;
  g_autofree char *url = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_SERVER_URL, NULL);
  g_autofree char *device = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_DEVICE_ID, NULL);
  g_autofree char *user = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_USER_NAME, NULL);
  g_autofree char *org = koers_sync_state_get (worker->db, KOERS_SYNC_STATE_ORGANISATION,
                                               NULL);

  koers_sync_worker_status_from_database (worker);
  status->signed_in = url != NULL && device != NULL;
  if (status->signed_in)
    {
      koers_sync_worker_set_string (&status->server_url, url);
      koers_sync_worker_set_string (&worker->device_id, device);
      koers_sync_worker_set_string (&status->user_name, user);
      koers_sync_worker_set_string (&status->organisation, org);
    }
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Lets cancelled runs and requests report back, so nothing is left holding the client, the
 * session or the database when the thread ends. */
static void
drain (KoersSyncWorker *worker)
{
  gint64 deadline = g_get_monotonic_time () + DRAIN_TIMEOUT_US;

  while ((worker->n_clients > 0 || worker->n_ops > 0) && g_get_monotonic_time () < deadline)
    {
      GSource *wake = g_timeout_source_new (50);

      g_source_set_callback (wake, wake_cb, NULL, NULL);
      g_source_attach (wake, worker->context);
      g_main_context_iteration (worker->context, TRUE);
      g_source_destroy (wake);
      g_source_unref (wake);
    }
  while (g_main_context_pending (worker->context))
    g_main_context_iteration (worker->context, FALSE);
  if (worker->n_clients > 0 || worker->n_ops > 0)
    g_message ("Sync: a request was still running when Koers closed");
}

static gpointer
worker_thread (gpointer data)
{
  KoersSyncWorker *worker = data;
  g_autoptr(GError) error = NULL;
  GSource *reset;

  g_main_context_push_thread_default (worker->context);
  /* A first sync keeps a core busy for seconds to minutes; on a two-core laptop the window's
   * thread and the X server or compositor waited their turn behind it, and frames came 25-90 ms
   * late with nothing of the sync's on the main thread (perf, bench-sync-window). The thread
   * that stores pages ahead (koers-sync-run.c) starts from this one and inherits it. Best
   * effort: a sandbox may refuse it, and the sync works the same. */
  if (!koers_thread_lower_priority (&error))
    {
      g_debug ("Sync: could not lower the sync thread's priority: %s", error->message);
      g_clear_error (&error);
    }

  /* The store checked and migrated the file; this is a second connection to it. */
  worker->db = koers_database_open (worker->path, KOERS_DATABASE_OPEN_NO_CHECK, &error);
  if (worker->db != NULL)
    read_sign_in_on_record (worker);
  else
    {
      worker->status.state = KOERS_SYNC_CLIENT_ERROR;
      /* Translators: %s is the database's reason */
      worker->status.last_error = g_strdup_printf (_("Sync is unavailable: %s"),
                                                   error->message);
    }
  koers_sync_worker_post_status (worker);

  reset = reset_source_new (worker);
  g_source_attach (reset, worker->context);
  g_main_loop_run (worker->loop);

  koers_sync_worker_drop_client (worker);
  g_cancellable_cancel (worker->cancellable);
  drain (worker);
  koers_sync_worker_set_erase (worker, NULL, NULL, NULL, NULL);
  g_clear_object (&worker->tokens);
  g_clear_object (&worker->session);
  g_source_destroy (reset);
  g_source_unref (reset);
  /* The connection closes on the thread that used it. */
  g_clear_object (&worker->db);

  g_main_context_pop_thread_default (worker->context);
  return NULL;
}

KoersSyncWorker *
koers_sync_worker_new (const char           *path,
                       KoersSyncServiceLink *link)
{
  KoersSyncWorker *worker = g_new0 (KoersSyncWorker, 1);

  worker->path = g_strdup (path);
  worker->context = g_main_context_new ();
  worker->main_context = g_main_context_ref_thread_default ();
  worker->loop = g_main_loop_new (worker->context, FALSE);
  worker->link = g_atomic_rc_box_acquire (link);
  worker->cancellable = g_cancellable_new ();
  worker->status.state = KOERS_SYNC_CLIENT_IDLE;
  worker->thread = g_thread_new ("koers-sync", worker_thread, worker);
  return worker;
}

void
koers_sync_worker_invoke (KoersSyncWorker *worker,
                          GSourceFunc      func,
                          gpointer         data,
                          GDestroyNotify   destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[koers] sync job");
  g_source_attach (source, worker->context);
  g_source_unref (source);
}

static gboolean
quit_run (gpointer data)
{
  KoersSyncWorker *worker = data;

  g_main_loop_quit (worker->loop);
  return G_SOURCE_REMOVE;
}

void
koers_sync_worker_free (KoersSyncWorker *worker)
{
  koers_sync_worker_invoke (worker, quit_run, worker, NULL);
  g_thread_join (worker->thread);

  /* Jobs queued after the quit are dropped here, on the main thread (their destroy notify
   * answers their callers). */
  g_main_loop_unref (worker->loop);
  g_main_context_unref (worker->context);
  g_main_context_unref (worker->main_context);
  koers_sync_service_link_release (worker->link);
  g_object_unref (worker->cancellable);
  koers_sync_status_clear (&worker->status);
  g_free (worker->device_id);
  g_free (worker->path);
  g_free (worker);
}
