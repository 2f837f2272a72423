/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-sync-service.h"

#include "app/koers-sync-service-private.h"

#include <string.h>

/*
 * The main-thread half of the service: the properties the window binds to, filled from the
 * copies the sync thread sends (koers-sync-service-worker.c), and the requests the window
 * makes, queued to the thread. No GObject of the thread (client, database, token source) is
 * ever touched here.
 */

struct _KoersSyncService
{
  GObject               parent_instance;

  KoersStore           *store;
  GObject              *key_store;   /* (nullable) KoersKeyStore; the platform's when unset */
  KoersSyncWorker      *worker;      /* (nullable) while the thread runs */
  KoersSyncServiceLink *link;
  KoersSyncStatus       status;
  gboolean              emitting;    /* our own "changed": not a local write */
  gboolean              shut_down;
  guint                 holds;       /* koers_sync_service_hold() not yet released */
};

G_DEFINE_FINAL_TYPE (KoersSyncService, koers_sync_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STATE,
  PROP_PENDING_COUNT,
  PROP_LAST_SYNC,
  PROP_INITIAL_SYNC_COMPLETE,
  PROP_CLOCK_OFFSET,
  PROP_CLOCK_SKEWED,
  PROP_LAST_ERROR,
  PROP_SIGNED_IN,
  PROP_NEEDS_SIGN_IN,
  PROP_SERVER_URL,
  PROP_USER_NAME,
  PROP_ORGANISATION,
  PROP_RECORDS_RECEIVED,
  N_PROPS
};

enum {
  SIGNAL_UNSENT_RECORDS,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- status ------------------------------------------------------------------------------- */

void
koers_sync_status_copy (KoersSyncStatus       *dest,
                        const KoersSyncStatus *src)
{
  g_return_if_fail (dest != NULL);
  g_return_if_fail (src != NULL);

  *dest = *src;
  dest->last_sync = g_strdup (src->last_sync);
  dest->last_error = g_strdup (src->last_error);
  dest->server_url = g_strdup (src->server_url);
  dest->user_name = g_strdup (src->user_name);
  dest->organisation = g_strdup (src->organisation);
}

void
koers_sync_status_clear (KoersSyncStatus *status)
{
  g_return_if_fail (status != NULL);

  g_free (status->last_sync);
  g_free (status->last_error);
  g_free (status->server_url);
  g_free (status->user_name);
  g_free (status->organisation);
  memset (status, 0, sizeof *status);
  status->state = KOERS_SYNC_CLIENT_IDLE;
}

static void
take_string (KoersSyncService *self,
             char            **field,
             const char       *value,
             guint             prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

#define MIRROR(field, prop)                                                   \
  G_STMT_START {                                                              \
    if (self->status.field != status->field)                                 \
      {                                                                       \
        self->status.field = status->field;                                   \
        g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);         \
      }                                                                       \
  } G_STMT_END

void
koers_sync_service_apply_status (KoersSyncService      *self,
                                 const KoersSyncStatus *status)
{
  g_object_freeze_notify (G_OBJECT (self));
  MIRROR (state, PROP_STATE);
  MIRROR (pending_count, PROP_PENDING_COUNT);
  MIRROR (initial_sync_complete, PROP_INITIAL_SYNC_COMPLETE);
  MIRROR (clock_offset, PROP_CLOCK_OFFSET);
  MIRROR (clock_skewed, PROP_CLOCK_SKEWED);
  MIRROR (signed_in, PROP_SIGNED_IN);
  MIRROR (needs_sign_in, PROP_NEEDS_SIGN_IN);
  MIRROR (records_received, PROP_RECORDS_RECEIVED);
  take_string (self, &self->status.last_sync, status->last_sync, PROP_LAST_SYNC);
  take_string (self, &self->status.last_error, status->last_error, PROP_LAST_ERROR);
  take_string (self, &self->status.server_url, status->server_url, PROP_SERVER_URL);
  take_string (self, &self->status.user_name, status->user_name, PROP_USER_NAME);
  take_string (self, &self->status.organisation, status->organisation, PROP_ORGANISATION);
  g_object_thaw_notify (G_OBJECT (self));
}

#undef MIRROR

void
koers_sync_service_set_status_for_testing (KoersSyncService      *self,
                                           const KoersSyncStatus *status)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (status != NULL);

  koers_sync_service_apply_status (self, status);
}

void
koers_sync_service_data_changed (KoersSyncService *self)
{
  /* The sync wrote participants and their children, and coach placeholders for new coach
   * ids; each model listens for its own word. Ours, so it schedules no sync. */
  self->emitting = TRUE;
  koers_store_emit_changed (self->store, "participants");
  koers_store_emit_changed (self->store, "coaches");
  self->emitting = FALSE;
}

void
koers_sync_service_emit_unsent (KoersSyncService *self,
                                guint             n_participants,
                                gboolean          demo)
{
  g_signal_emit (self, signals[SIGNAL_UNSENT_RECORDS], 0, n_participants, demo);
}

KoersSyncWorker *
koers_sync_service_get_worker (KoersSyncService *self)
{
  return self->worker;
}

GObject *
koers_sync_service_peek_key_store (KoersSyncService *self)
{
  return self->key_store;
}

void
koers_sync_service_take_key_store (KoersSyncService *self,
                                   GObject          *key_store)
{
  g_clear_object (&self->key_store);
  self->key_store = key_store;
}

/* --- requests to the thread ----------------------------------------------------------------- */

typedef struct
{
  KoersSyncWorker         *worker;
  GTask                   *task;
  KoersSyncWorkerTaskFunc  run;
} TaskJob;

static gboolean
task_job_run (gpointer data)
{
  TaskJob *job = data;

  job->run (job->worker, g_steal_pointer (&job->task));
  return G_SOURCE_REMOVE;
}

static void
task_job_free (gpointer data)
{
  TaskJob *job = data;

  /* The thread ended before it got to the job; this runs on the main thread then. */
  if (job->task != NULL)
    {
      g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("Sync has stopped: Koers is closing"));
      g_object_unref (job->task);
    }
  g_free (job);
}

void
koers_sync_service_run_task (KoersSyncService        *self,
                             GTask                   *task,
                             KoersSyncWorkerTaskFunc  run)
{
  TaskJob *job;

  if (self->worker == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               _("Sync is not running"));
      return;
    }
  job = g_new0 (TaskJob, 1);
  job->worker = self->worker;
  job->task = g_object_ref (task);
  job->run = run;
  koers_sync_worker_invoke (self->worker, task_job_run, job, task_job_free);
}

static gboolean
sync_now_run (gpointer data)
{
  KoersSyncWorker *worker = data;

  if (worker->client != NULL)
    koers_sync_client_sync_now (worker->client);
  return G_SOURCE_REMOVE;
}

static gboolean
schedule_soon_run (gpointer data)
{
  KoersSyncWorker *worker = data;

  if (worker->client != NULL)
    koers_sync_client_schedule_soon (worker->client);
  else if (worker->db != NULL)
    {
      /* Signed out after a sign-in, edits still queue (capture stays on): the window says
       * how many. A caseload that never signed in counts none. */
      koers_sync_worker_status_from_database (worker);
      koers_sync_worker_post_status (worker);
    }
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (KoersSyncService *self,
                  const char       *what,
                  KoersStore       *store)
{
  if (self->emitting || self->worker == NULL)
    return;
  /* Also while held: the client counts the write as pending and runs once released. */
  koers_sync_worker_invoke (self->worker, schedule_soon_run, self->worker, NULL);
}

static gboolean
hold_run (gpointer data)
{
  koers_sync_worker_set_held (data, TRUE);
  return G_SOURCE_REMOVE;
}

static gboolean
release_run (gpointer data)
{
  koers_sync_worker_set_held (data, FALSE);
  return G_SOURCE_REMOVE;
}

/**
 * koers_sync_service_hold:
 *
 * Holds back every sync run (the one a local write starts 3 s later, the 5-minute timer,
 * the network coming back, "Sync now"; a run already going finishes) until as many
 * koers_sync_service_release() calls: a change the window still offers to undo stays on this
 * computer, where its undo cancels it before anything is sent (koers_sync_outbox_compact).
 * Writes made meanwhile count as pending and go in the run that follows the release.
 */
void
koers_sync_service_hold (KoersSyncService *self)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  /* At once, before the caller writes: a run already going on the sync thread numbers
   * nothing from here on, though the message below reaches that thread later. */
  if (self->link != NULL)
    koers_sync_hold_take (self->link->hold);
  if (self->holds++ == 0 && self->worker != NULL)
    koers_sync_worker_invoke (self->worker, hold_run, self->worker, NULL);
}

gboolean
koers_sync_service_get_held (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), FALSE);

  return self->holds > 0;
}

void
koers_sync_service_release (KoersSyncService *self)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (self->holds > 0);

  if (self->link != NULL)
    koers_sync_hold_release (self->link->hold);
  if (--self->holds == 0 && self->worker != NULL)
    koers_sync_worker_invoke (self->worker, release_run, self->worker, NULL);
}

void
koers_sync_service_sync_now (KoersSyncService *self)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  if (self->worker == NULL || !self->status.signed_in)
    return;
  koers_sync_worker_invoke (self->worker, sync_now_run, self->worker, NULL);
}

typedef struct
{
  char             *server_url;
  char             *device_id;
  KoersTokenSource *tokens;
  KoersSyncWorker  *worker;
} TokensJob;

static void
tokens_job_free (gpointer data)
{
  TokensJob *job = data;

  g_free (job->server_url);
  g_free (job->device_id);
  g_clear_object (&job->tokens);
  g_free (job);
}

static gboolean
tokens_job_run (gpointer data)
{
  TokensJob *job = data;
  g_autoptr(GError) error = NULL;

  if (!koers_sync_worker_sign_in (job->worker, job->server_url, job->device_id, job->tokens,
                                  TRUE, &error))
    koers_sync_worker_sign_in_lost (job->worker, error->message);
  return G_SOURCE_REMOVE;
}

void
koers_sync_service_sign_in_with_tokens (KoersSyncService *self,
                                        const char       *server_url,
                                        const char       *device_id,
                                        KoersTokenSource *tokens)
{
  TokensJob *job;

  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (device_id != NULL);
  g_return_if_fail (KOERS_IS_TOKEN_SOURCE (tokens));
  g_return_if_fail (self->worker != NULL);

  job = g_new0 (TokensJob, 1);
  job->worker = self->worker;
  job->server_url = g_strdup (server_url);
  job->device_id = g_strdup (device_id);
  job->tokens = g_object_ref (tokens);
  koers_sync_worker_invoke (self->worker, tokens_job_run, job, tokens_job_free);
}

void
koers_sync_service_send_unsent_async (KoersSyncService    *self,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sync_service_send_unsent_async);
  koers_sync_service_run_task (self, task, koers_sync_worker_send_unsent);
}

gboolean
koers_sync_service_send_unsent_finish (KoersSyncService  *self,
                                       GAsyncResult      *result,
                                       guint             *out_n,
                                       GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize n;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  n = g_task_propagate_int (G_TASK (result), &local_error);
  if (out_n != NULL)
    *out_n = local_error == NULL ? (guint) n : 0;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* --- lifetime --------------------------------------------------------------------------------- */

void
koers_sync_service_set_key_store (KoersSyncService *self,
                                  KoersKeyStore    *key_store)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (G_IS_OBJECT (key_store));
  g_return_if_fail (self->worker == NULL);

  koers_sync_service_take_key_store (self, g_object_ref (G_OBJECT (key_store)));
}

void
koers_sync_service_start (KoersSyncService *self)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (!self->shut_down);

  if (self->worker != NULL)
    return;
  self->worker = koers_sync_worker_new (koers_store_get_path (self->store), self->link);
}

void
koers_sync_service_shutdown (KoersSyncService *self)
{
  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  self->shut_down = TRUE;
  g_clear_pointer (&self->worker, koers_sync_worker_free);
}

/* --- accessors -------------------------------------------------------------------------------- */

const KoersSyncStatus *
koers_sync_service_get_status (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), NULL);

  return &self->status;
}

KoersSyncClientState
koers_sync_service_get_state (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), KOERS_SYNC_CLIENT_IDLE);

  return self->status.state;
}

gboolean
koers_sync_service_get_signed_in (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), FALSE);

  return self->status.signed_in;
}

gboolean
koers_sync_service_get_needs_sign_in (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), FALSE);

  return self->status.needs_sign_in;
}

const char *
koers_sync_service_get_server_url (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), NULL);

  return self->status.server_url;
}

KoersStore *
koers_sync_service_get_store (KoersSyncService *self)
{
  g_return_val_if_fail (KOERS_IS_SYNC_SERVICE (self), NULL);

  return self->store;
}

/* --- GObject ---------------------------------------------------------------------------------- */

static void
link_clear (gpointer data)
{
  KoersSyncServiceLink *link = data;

  g_weak_ref_clear (&link->service);
  g_clear_pointer (&link->hold, koers_sync_hold_unref);
}

void
koers_sync_service_link_release (KoersSyncServiceLink *link)
{
  g_atomic_rc_box_release_full (link, link_clear);
}

static void
koers_sync_service_dispose (GObject *object)
{
  KoersSyncService *self = KOERS_SYNC_SERVICE (object);

  koers_sync_service_shutdown (self);
  if (self->link != NULL)
    {
      g_weak_ref_set (&self->link->service, NULL);
      koers_sync_service_link_release (g_steal_pointer (&self->link));
    }
  g_clear_object (&self->key_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (koers_sync_service_parent_class)->dispose (object);
}

static void
koers_sync_service_finalize (GObject *object)
{
  KoersSyncService *self = KOERS_SYNC_SERVICE (object);

  koers_sync_status_clear (&self->status);

  G_OBJECT_CLASS (koers_sync_service_parent_class)->finalize (object);
}

static void
koers_sync_service_constructed (GObject *object)
{
  KoersSyncService *self = KOERS_SYNC_SERVICE (object);

  G_OBJECT_CLASS (koers_sync_service_parent_class)->constructed (object);

  g_assert (self->store != NULL);
  g_signal_connect_object (self->store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
koers_sync_service_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  KoersSyncService *self = KOERS_SYNC_SERVICE (object);
  const KoersSyncStatus *s = &self->status;

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STATE:
      g_value_set_enum (value, s->state);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_int64 (value, s->pending_count);
      break;
    case PROP_LAST_SYNC:
      g_value_set_string (value, s->last_sync);
      break;
    case PROP_INITIAL_SYNC_COMPLETE:
      g_value_set_boolean (value, s->initial_sync_complete);
      break;
    case PROP_CLOCK_OFFSET:
      g_value_set_int64 (value, s->clock_offset);
      break;
    case PROP_CLOCK_SKEWED:
      g_value_set_boolean (value, s->clock_skewed);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, s->last_error);
      break;
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, s->signed_in);
      break;
    case PROP_NEEDS_SIGN_IN:
      g_value_set_boolean (value, s->needs_sign_in);
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, s->server_url);
      break;
    case PROP_USER_NAME:
      g_value_set_string (value, s->user_name);
      break;
    case PROP_ORGANISATION:
      g_value_set_string (value, s->organisation);
      break;
    case PROP_RECORDS_RECEIVED:
      g_value_set_uint64 (value, s->records_received);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_service_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  KoersSyncService *self = KOERS_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
koers_sync_service_class_init (KoersSyncServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->constructed = koers_sync_service_constructed;
  object_class->dispose = koers_sync_service_dispose;
  object_class->finalize = koers_sync_service_finalize;
  object_class->get_property = koers_sync_service_get_property;
  object_class->set_property = koers_sync_service_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, KOERS_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, KOERS_TYPE_SYNC_CLIENT_STATE,
                       KOERS_SYNC_CLIENT_IDLE, ro);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_int64 ("pending-count", NULL, NULL, 0, G_MAXINT64, 0, ro);
  properties[PROP_LAST_SYNC] = g_param_spec_string ("last-sync", NULL, NULL, NULL, ro);
  properties[PROP_INITIAL_SYNC_COMPLETE] =
    g_param_spec_boolean ("initial-sync-complete", NULL, NULL, FALSE, ro);
  properties[PROP_CLOCK_OFFSET] =
    g_param_spec_int64 ("clock-offset", NULL, NULL, G_MININT64, G_MAXINT64, 0, ro);
  properties[PROP_CLOCK_SKEWED] = g_param_spec_boolean ("clock-skewed", NULL, NULL, FALSE, ro);
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  properties[PROP_SIGNED_IN] = g_param_spec_boolean ("signed-in", NULL, NULL, FALSE, ro);
  properties[PROP_NEEDS_SIGN_IN] =
    g_param_spec_boolean ("needs-sign-in", NULL, NULL, FALSE, ro);
  properties[PROP_SERVER_URL] = g_param_spec_string ("server-url", NULL, NULL, NULL, ro);
  properties[PROP_USER_NAME] = g_param_spec_string ("user-name", NULL, NULL, NULL, ro);
  properties[PROP_ORGANISATION] = g_param_spec_string ("organisation", NULL, NULL, NULL, ro);
  properties[PROP_RECORDS_RECEIVED] =
    g_param_spec_uint64 ("records-received", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * KoersSyncService::unsent-records:
   * @n_participants: participants in the caseload the server never saw
   * @demo: the caseload holds made-up demo data
   *
   * After a sign-in: the window asks whether to send them (koers_sync_service_send_unsent);
   * nothing is sent without that answer.
   */
  signals[SIGNAL_UNSENT_RECORDS] =
    g_signal_new ("unsent-records", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_BOOLEAN);
}

static void
koers_sync_service_init (KoersSyncService *self)
{
  self->status.state = KOERS_SYNC_CLIENT_IDLE;
  self->link = g_atomic_rc_box_new0 (KoersSyncServiceLink);
  g_weak_ref_init (&self->link->service, self);
  self->link->hold = koers_sync_hold_new ();
}

KoersSyncService *
koers_sync_service_new (KoersStore *store)
{
  g_return_val_if_fail (KOERS_IS_STORE (store), NULL);

  return g_object_new (KOERS_TYPE_SYNC_SERVICE, "store", store, NULL);
}
