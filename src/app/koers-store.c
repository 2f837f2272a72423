/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-store.h"

/*
 * One dedicated worker thread owns the writing connection; jobs queue on a GAsyncQueue and run
 * one at a time, so writes are serialised and the window never waits on disk. Results travel
 * back to the context the job was started from (the main context for the window), where
 * "changed" is emitted before the caller's callback runs, so models have requeried by the time a
 * caller reacts to its own write.
 *
 * Long aggregate reads (the KPIs: a pass over every participant) run on a second worker with a
 * read-only connection of its own, opened on first use: WAL lets it read beside the writer, and
 * a keystroke's caseload query never queues behind seconds of counting.
 *
 * Closing order matters: SQLite deletes the write-ahead log only when the last connection to
 * close may write. The readers (the aggregate worker's, the main thread's, a running integrity
 * check's) are closed or waited for first, the writer last.
 */

typedef struct
{
  KoersStoreJobFunc func;
  gpointer          data;
  GDestroyNotify    data_destroy;
  GDestroyNotify    result_destroy;
  char             *changes;
  GCancellable     *cancellable;

  /* Asynchronous jobs */
  GTask            *task;
  GMainContext     *context;

  /* Synchronous jobs */
  GMutex            mutex;
  GCond             cond;
  gboolean          done;

  gpointer          result;
  GError           *error;
  gboolean          stop;  /* the sentinel that ends the worker */
} StoreJob;

typedef struct
{
  KoersStore    *store;   /* not a reference: the store joins the thread before it dies */
  GThread       *thread;
  GAsyncQueue   *queue;
  KoersDatabase *db;      /* only the thread touches it once it runs */
  gboolean       read_only;
} StoreWorker;

struct _KoersStore
{
  GObject        parent_instance;

  char          *path;
  char          *actor;
  StoreWorker    writer;      /* opened before the window; its thread from then on */
  StoreWorker    aggregates;  /* read-only, started and opened on its first job */
  KoersDatabase *reader;      /* main thread only */

  /* Guards closed, checks and aggregates.db for koers_store_close()'s interrupts. Integrity
   * checks run on a connection of their own (check_thread()). */
  GMutex         check_mutex;
  GCond          check_cond;
  GPtrArray     *checks;      /* KoersDatabase *, interrupted when the store closes */
  guint          n_checks;

  GMutex         hook_mutex;
  GCond          hook_cond;
  gboolean       hook_hold;   /* koers_store_hold_aggregates_for_testing() */
  gboolean       closed;
};

G_DEFINE_FINAL_TYPE (KoersStore, koers_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PATH,
  PROP_ACTOR,
  N_PROPS
};

enum {
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
store_job_free (StoreJob *job)
{
  if (job->data_destroy != NULL && job->data != NULL)
    job->data_destroy (job->data);
  if (job->result != NULL && job->result_destroy != NULL)
    job->result_destroy (job->result);
  g_clear_error (&job->error);
  g_clear_object (&job->cancellable);
  g_clear_object (&job->task);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->changes);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

static StoreJob *
store_job_new (KoersStoreJobFunc func,
               gpointer          data,
               GDestroyNotify    data_destroy,
               const char       *changes,
               GCancellable     *cancellable)
{
  StoreJob *job = g_new0 (StoreJob, 1);

  job->func = func;
  job->data = data;
  job->data_destroy = data_destroy;
  job->changes = g_strdup (changes);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

/* An asynchronous job: its GTask reports back in the caller's thread-default context. */
static StoreJob *
store_job_new_task (KoersStore          *self,
                    KoersStoreJobFunc    func,
                    gpointer             data,
                    GDestroyNotify       data_destroy,
                    GDestroyNotify       result_destroy,
                    const char          *changes,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  StoreJob *job = store_job_new (func, data, data_destroy, changes, cancellable);

  job->result_destroy = result_destroy;
  job->task = g_task_new (self, cancellable, callback, user_data);
  job->context = g_main_context_ref_thread_default ();
  return job;
}

static gpointer
store_task_finish (KoersStore    *self,
                   GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Back in the context that started the job: tell the models first, then the caller. */
static gboolean
store_job_complete_async (gpointer user_data)
{
  StoreJob *job = user_data;
  KoersStore *self = g_task_get_source_object (job->task);

  if (job->error != NULL)
    {
      g_task_return_error (job->task, g_steal_pointer (&job->error));
    }
  else
    {
      if (job->changes != NULL)
        koers_store_emit_changed (self, job->changes);
      g_task_return_pointer (job->task, g_steal_pointer (&job->result), job->result_destroy);
    }
  store_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
store_job_run (StoreWorker *worker,
               StoreJob    *job)
{
  KoersStore *self = worker->store;

  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;

  if (worker->read_only)
    {
      /* A test holds aggregate reads here to prove nothing else waits for them. */
      g_mutex_lock (&self->hook_mutex);
      while (self->hook_hold)
        g_cond_wait (&self->hook_cond, &self->hook_mutex);
      g_mutex_unlock (&self->hook_mutex);

      if (worker->db == NULL)
        {
          KoersDatabase *db = koers_database_open (self->path,
                                                   KOERS_DATABASE_OPEN_READ_ONLY
                                                   | KOERS_DATABASE_OPEN_NO_CHECK,
                                                   &job->error);

          if (db == NULL)
            return;
          /* Published for koers_store_close(), which interrupts a read in flight. */
          g_mutex_lock (&self->check_mutex);
          worker->db = db;
          g_mutex_unlock (&self->check_mutex);
        }

      g_mutex_lock (&self->check_mutex);
      if (self->closed)
        g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CLOSED,
                             "The caseload was closed");
      g_mutex_unlock (&self->check_mutex);
      if (job->error != NULL)
        return;
    }

  job->result = job->func (worker->db, job->data, job->cancellable, &job->error);
  if (job->error != NULL && worker->read_only && self->closed)
    {
      /* Interrupted by koers_store_close(): not a failure of the read. */
      g_clear_error (&job->error);
      g_set_error_literal (&job->error, G_IO_ERROR, G_IO_ERROR_CLOSED, "The caseload was closed");
    }
  if (job->error != NULL && job->result != NULL)
    {
      if (job->result_destroy != NULL)
        job->result_destroy (job->result);
      job->result = NULL;
    }
}

static gpointer
store_worker (gpointer user_data)
{
  StoreWorker *worker = user_data;

  for (;;)
    {
      StoreJob *job = g_async_queue_pop (worker->queue);

      if (job->stop)
        {
          KoersDatabase *db;

          store_job_free (job);
          /* The connection closes on the thread that used it. */
          g_mutex_lock (&worker->store->check_mutex);
          db = g_steal_pointer (&worker->db);
          g_mutex_unlock (&worker->store->check_mutex);
          g_clear_object (&db);
          break;
        }

      store_job_run (worker, job);

      if (job->task != NULL)
        {
          /* The job (and the task's reference on the store) must die on the caller's side:
           * dropping the last reference here would finalize the store on its own worker. */
          GSource *source = g_idle_source_new ();

          g_source_set_priority (source, G_PRIORITY_DEFAULT);
          g_source_set_callback (source, store_job_complete_async, job, NULL);
          g_source_set_static_name (source, "[koers] store job complete");
          g_source_attach (source, job->context);
          g_source_unref (source);
        }
      else
        {
          g_mutex_lock (&job->mutex);
          job->done = TRUE;
          g_cond_signal (&job->cond);
          g_mutex_unlock (&job->mutex);
        }
    }

  return NULL;
}

static void
store_worker_start (KoersStore  *self,
                    StoreWorker *worker,
                    const char  *name)
{
  worker->store = self;
  worker->queue = g_async_queue_new ();
  worker->thread = g_thread_new (name, store_worker, worker);
}

/* Runs the jobs already queued, then ends the thread (which closes its connection). */
static void
store_worker_stop (StoreWorker *worker)
{
  if (worker->thread != NULL)
    {
      StoreJob *stop = store_job_new (NULL, NULL, NULL, NULL, NULL);

      stop->stop = TRUE;
      g_async_queue_push (worker->queue, stop);
      g_thread_join (worker->thread);
      worker->thread = NULL;
    }
  g_clear_pointer (&worker->queue, g_async_queue_unref);
  g_clear_object (&worker->db);
}

static void
koers_store_finalize (GObject *object)
{
  KoersStore *self = KOERS_STORE (object);

  koers_store_close (self);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_mutex_clear (&self->check_mutex);
  g_cond_clear (&self->check_cond);
  g_mutex_clear (&self->hook_mutex);
  g_cond_clear (&self->hook_cond);
  g_free (self->path);
  g_free (self->actor);

  G_OBJECT_CLASS (koers_store_parent_class)->finalize (object);
}

static void
koers_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  KoersStore *self = KOERS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_store_class_init (KoersStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = koers_store_finalize;
  object_class->get_property = koers_store_get_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KoersStore::changed:
   * @what: what a job wrote ("participants", "notes", ...); also the signal detail
   *
   * Emitted on the main thread after a writing job succeeded.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
koers_store_init (KoersStore *self)
{
  g_mutex_init (&self->check_mutex);
  g_cond_init (&self->check_cond);
  g_mutex_init (&self->hook_mutex);
  g_cond_init (&self->hook_cond);
  self->checks = g_ptr_array_new ();
  self->aggregates.read_only = TRUE;
}

static KoersStore *
store_open (const char             *path,
            const char             *actor,
            KoersDatabaseOpenFlags  writer_flags,
            GError                **error)
{
  g_autoptr(KoersStore) self = NULL;

  self = g_object_new (KOERS_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->actor = g_strdup (actor);

  /* Opened here so a corrupt or too-new file is reported before any window appears; from now
   * on only the worker touches it. */
  self->writer.db = koers_database_open (path, writer_flags, error);
  if (self->writer.db == NULL)
    return NULL;

  self->reader = koers_database_open (path,
                                      KOERS_DATABASE_OPEN_READ_ONLY | KOERS_DATABASE_OPEN_NO_CHECK,
                                      error);
  if (self->reader == NULL)
    return NULL;

  store_worker_start (self, &self->writer, "koers-store");

  return g_steal_pointer (&self);
}

KoersStore *
koers_store_new (const char  *path,
                 const char  *actor,
                 GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return store_open (path, actor, KOERS_DATABASE_OPEN_DEFAULT, error);
}

KoersStore *
koers_store_new_unchecked (const char  *path,
                           const char  *actor,
                           GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (actor != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return store_open (path, actor, KOERS_DATABASE_OPEN_NO_CHECK, error);
}

/* Runs in a GTask thread with a connection that lives and dies there (one connection per
 * thread), so the worker stays free for the caseload. */
static void
check_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  KoersStore *self = source_object;
  const char *path = task_data;
  g_autoptr(KoersDatabase) db = NULL;
  GError *error = NULL;
  gboolean ok;

  /* Registered while it runs, so closing the store can interrupt it and wait: this read-only
   * connection must not be the last one to close (see the top of this file). */
  g_mutex_lock (&self->check_mutex);
  if (self->closed)
    {
      g_mutex_unlock (&self->check_mutex);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The caseload was closed before its check");
      return;
    }
  self->n_checks++;
  g_mutex_unlock (&self->check_mutex);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY | KOERS_DATABASE_OPEN_NO_CHECK,
                            &error);
  if (db != NULL)
    {
      g_mutex_lock (&self->check_mutex);
      if (self->closed)
        sqlite3_interrupt (koers_database_get_handle (db));
      g_ptr_array_add (self->checks, db);
      g_mutex_unlock (&self->check_mutex);

      ok = koers_database_check (db, FALSE, &error);

      g_mutex_lock (&self->check_mutex);
      g_ptr_array_remove_fast (self->checks, db);
      g_mutex_unlock (&self->check_mutex);
      g_clear_object (&db);
    }
  else
    {
      ok = FALSE;
    }

  g_mutex_lock (&self->check_mutex);
  self->n_checks--;
  g_cond_broadcast (&self->check_cond);
  g_mutex_unlock (&self->check_mutex);

  if (!ok && self->closed)
    {
      /* Interrupted by koers_store_close(): that says nothing about the file. */
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The caseload was closed during its check");
    }
  else if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

void
koers_store_check_async (KoersStore          *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KOERS_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_store_check_async);
  g_task_set_task_data (task, g_strdup (self->path), g_free);
  g_task_run_in_thread (task, check_thread);
}

gboolean
koers_store_check_finish (KoersStore    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const char *
koers_store_get_path (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return self->path;
}

const char *
koers_store_get_actor (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return self->actor;
}

KoersDatabase *
koers_store_get_reader (KoersStore *self)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return self->reader;
}

void
koers_store_read_async (KoersStore          *self,
                        KoersStoreJobFunc    func,
                        gpointer             data,
                        GDestroyNotify       data_destroy,
                        GDestroyNotify       result_destroy,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  StoreJob *job;

  g_return_if_fail (KOERS_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->closed);

  job = store_job_new_task (self, func, data, data_destroy, result_destroy, NULL, cancellable,
                            callback, user_data);
  g_task_set_source_tag (job->task, koers_store_read_async);
  g_task_set_name (job->task, "[koers] store aggregate read");

  if (self->aggregates.thread == NULL)
    store_worker_start (self, &self->aggregates, "koers-store-read");
  g_async_queue_push (self->aggregates.queue, job);
}

gpointer
koers_store_read_finish (KoersStore    *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return store_task_finish (self, result, error);
}

void
koers_store_hold_aggregates_for_testing (KoersStore *self,
                                         gboolean    hold)
{
  g_return_if_fail (KOERS_IS_STORE (self));

  g_mutex_lock (&self->hook_mutex);
  self->hook_hold = !!hold;
  g_cond_broadcast (&self->hook_cond);
  g_mutex_unlock (&self->hook_mutex);
}

void
koers_store_close (KoersStore *self)
{
  g_return_if_fail (KOERS_IS_STORE (self));

  if (self->closed)
    return;

  /* Nobody waits for a count or a check any more: both stop at their next step, so closing
   * the window right after start-up does not wait seconds for the KPIs. */
  g_mutex_lock (&self->check_mutex);
  self->closed = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    sqlite3_interrupt (koers_database_get_handle (g_ptr_array_index (self->checks, i)));
  if (self->aggregates.db != NULL)
    sqlite3_interrupt (koers_database_get_handle (self->aggregates.db));
  g_mutex_unlock (&self->check_mutex);

  /* A held aggregate read would never end. */
  koers_store_hold_aggregates_for_testing (self, FALSE);

  /* Readers first: the aggregate worker, any running check, the main thread's reader. */
  store_worker_stop (&self->aggregates);
  g_mutex_lock (&self->check_mutex);
  while (self->n_checks > 0)
    g_cond_wait (&self->check_cond, &self->check_mutex);
  g_mutex_unlock (&self->check_mutex);
  g_clear_object (&self->reader);

  /* The writer last: it checkpoints and removes the write-ahead log. */
  store_worker_stop (&self->writer);
}

void
koers_store_run_async (KoersStore          *self,
                       KoersStoreJobFunc    func,
                       gpointer             data,
                       GDestroyNotify       data_destroy,
                       GDestroyNotify       result_destroy,
                       const char          *changes,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  StoreJob *job;

  g_return_if_fail (KOERS_IS_STORE (self));
  g_return_if_fail (func != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (!self->closed);

  job = store_job_new_task (self, func, data, data_destroy, result_destroy, changes,
                            cancellable, callback, user_data);
  g_task_set_source_tag (job->task, koers_store_run_async);
  g_task_set_name (job->task, "[koers] store job");

  g_async_queue_push (self->writer.queue, job);
}

gpointer
koers_store_run_finish (KoersStore    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);

  return store_task_finish (self, result, error);
}

gpointer
koers_store_run_sync (KoersStore         *self,
                      KoersStoreJobFunc   func,
                      gpointer            data,
                      const char         *changes,
                      GError            **error)
{
  StoreJob *job;
  gpointer result;

  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  g_return_val_if_fail (!self->closed, NULL);

  job = store_job_new (func, data, NULL, changes, NULL);
  g_mutex_lock (&job->mutex);
  g_async_queue_push (self->writer.queue, job);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  result = g_steal_pointer (&job->result);
  if (job->error != NULL)
    g_propagate_error (error, g_steal_pointer (&job->error));
  else if (changes != NULL)
    koers_store_emit_changed (self, changes);

  store_job_free (job);
  return result;
}

void
koers_store_emit_changed (KoersStore *self,
                          const char *what)
{
  g_return_if_fail (KOERS_IS_STORE (self));
  g_return_if_fail (what != NULL);

  g_signal_emit (self, signals[CHANGED], g_quark_from_string (what), what);
}
