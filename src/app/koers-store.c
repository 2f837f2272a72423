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

struct _KoersStore
{
  GObject        parent_instance;

  char          *path;
  char          *actor;
  KoersDatabase *writer;  /* used only on the worker thread after construction */
  KoersDatabase *reader;  /* main thread only */
  GThread       *worker;
  GAsyncQueue   *queue;
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
store_job_run (KoersStore *self,
               StoreJob   *job)
{
  if (g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    return;

  job->result = job->func (self->writer, job->data, job->cancellable, &job->error);
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
  KoersStore *self = user_data;

  for (;;)
    {
      StoreJob *job = g_async_queue_pop (self->queue);

      if (job->stop)
        {
          store_job_free (job);
          break;
        }

      store_job_run (self, job);

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
koers_store_finalize (GObject *object)
{
  KoersStore *self = KOERS_STORE (object);

  if (self->worker != NULL)
    {
      StoreJob *stop = store_job_new (NULL, NULL, NULL, NULL, NULL);

      stop->stop = TRUE;
      g_async_queue_push (self->queue, stop);
      g_thread_join (self->worker);
    }
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_object (&self->reader);
  g_clear_object (&self->writer);
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
  self->writer = koers_database_open (path, writer_flags, error);
  if (self->writer == NULL)
    return NULL;

  self->reader = koers_database_open (path,
                                      KOERS_DATABASE_OPEN_READ_ONLY | KOERS_DATABASE_OPEN_NO_CHECK,
                                      error);
  if (self->reader == NULL)
    return NULL;

  self->queue = g_async_queue_new ();
  self->worker = g_thread_new ("koers-store", store_worker, self);

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
  const char *path = task_data;
  g_autoptr(KoersDatabase) db = NULL;
  GError *error = NULL;

  db = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY | KOERS_DATABASE_OPEN_NO_CHECK,
                            &error);
  if (db == NULL || !koers_database_check (db, FALSE, &error))
    {
      g_task_return_error (task, error);
      return;
    }
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

  job = store_job_new (func, data, data_destroy, changes, cancellable);
  job->result_destroy = result_destroy;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, koers_store_run_async);
  g_task_set_name (job->task, "[koers] store job");
  job->context = g_main_context_ref_thread_default ();

  g_async_queue_push (self->queue, job);
}

gpointer
koers_store_run_finish (KoersStore    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (KOERS_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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

  job = store_job_new (func, data, NULL, changes, NULL);
  g_mutex_lock (&job->mutex);
  g_async_queue_push (self->queue, job);
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
