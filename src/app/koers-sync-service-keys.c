/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-sync-service-private.h"

#include "sync/koers-sync-schema.h"

/*
 * The key store's part of the service: a sign-in saves its refresh token there (and nowhere
 * else), a restart resumes from there, a sign-out erases it. All of it runs on the sync
 * thread, where the token source lives; the main thread only hands over the key store (the
 * platform's, made on first need, or the one a test gave).
 */

typedef struct
{
  KoersKeyStore *key_store;
  char          *account;
} EraseData;

static void
erase_data_free (gpointer data)
{
  EraseData *erase = data;

  g_clear_object (&erase->key_store);
  g_free (erase->account);
  g_free (erase);
}

/* Forgets the refresh token: through the token source when it is in use (it waits for a
 * refresh in flight, whose rotated token would otherwise be saved after the erase), else
 * straight from the key store. */
static void
keys_erase (KoersSyncWorker     *worker,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  EraseData *erase = worker->erase_data;

  if (KOERS_IS_STORED_TOKEN_SOURCE (worker->tokens))
    koers_stored_token_source_sign_out_async (KOERS_STORED_TOKEN_SOURCE (worker->tokens),
                                              cancellable, callback, user_data);
  else
    koers_key_store_erase_async (erase->key_store, erase->account, cancellable, callback,
                                 user_data);
}

static gboolean
keys_erase_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);

  if (KOERS_IS_STORED_TOKEN_SOURCE (source))
    return koers_stored_token_source_sign_out_finish (KOERS_STORED_TOKEN_SOURCE (source),
                                                      result, error);
  return koers_key_store_erase_finish (KOERS_KEY_STORE (source), result, error);
}

static void
use_key_store (KoersSyncWorker *worker,
               KoersKeyStore   *key_store,
               const char      *account)
{
  EraseData *erase = g_new0 (EraseData, 1);

  erase->key_store = g_object_ref (key_store);
  erase->account = g_strdup (account);
  koers_sync_worker_set_erase (worker, keys_erase, keys_erase_finish, erase, erase_data_free);
}

/* The service's key store, made on first need so a caseload that never signs in never talks
 * to the key store. */
static KoersKeyStore *
ensure_key_store (KoersSyncService *self)
{
  GObject *key_store = koers_sync_service_peek_key_store (self);

  if (key_store == NULL)
    {
      key_store = G_OBJECT (koers_key_store_new_default ());
      koers_sync_service_take_key_store (self, key_store);
    }
  return KOERS_KEY_STORE (key_store);
}

/* --- resuming after a restart ------------------------------------------------------------- */

typedef struct
{
  KoersSyncWorker *worker;
  KoersKeyStore   *key_store;
} ResumeJob;

static void
resume_job_free (gpointer data)
{
  ResumeJob *job = data;

  g_clear_object (&job->key_store);
  g_free (job);
}

static gboolean
resume_run (gpointer data)
{
  ResumeJob *job = data;
  KoersSyncWorker *worker = job->worker;
  g_autofree char *account = NULL;
  g_autoptr(KoersStoredTokenSource) tokens = NULL;

  if (worker->db == NULL || !worker->status.signed_in || worker->device_id == NULL)
    return G_SOURCE_REMOVE;
  account = koers_sign_in_account_for (worker->status.server_url, worker->device_id);
  use_key_store (worker, job->key_store, account);
  /* No access token yet: the first request is refused and the refresh reads the key store.
   * A key store that fails then signs the service out (the guarded token source). */
  tokens = koers_stored_token_source_new (job->key_store, account, NULL);
  koers_sync_worker_resume (worker, KOERS_TOKEN_SOURCE (tokens));
  return G_SOURCE_REMOVE;
}

void
koers_sync_service_resume (KoersSyncService *self)
{
  KoersSyncWorker *worker;
  ResumeJob *job;

  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  worker = koers_sync_service_get_worker (self);
  if (worker == NULL)
    return;
  job = g_new0 (ResumeJob, 1);
  job->worker = worker;
  job->key_store = g_object_ref (ensure_key_store (self));
  koers_sync_worker_invoke (worker, resume_run, job, resume_job_free);
}

/* --- a new sign-in ------------------------------------------------------------------------ */

typedef struct
{
  KoersKeyStore   *key_store;
  char            *server_url;
  KoersTokenGrant *grant;
  KoersSyncWorker *worker;
} SignInData;

static void
sign_in_data_free (gpointer data)
{
  SignInData *sign_in = data;

  g_clear_object (&sign_in->key_store);
  g_free (sign_in->server_url);
  g_clear_pointer (&sign_in->grant, koers_token_grant_free);
  g_free (sign_in);
}

static void
from_grant_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  SignInData *sign_in = g_task_get_task_data (task);
  KoersSyncWorker *worker = sign_in->worker;
  g_autoptr(KoersStoredTokenSource) tokens = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *account = NULL;

  worker->n_ops--;
  tokens = koers_stored_token_source_new_from_grant_finish (result, &error);
  if (tokens == NULL)
    {
      /* Fail closed: without the key store there is no sign-in to resume, so none starts. */
      GError *shown = g_error_new (error->domain, error->code,
                                   /* Translators: %s is the key store's reason */
                                   _("Koers could not keep your sign-in in the key store, so "
                                     "you are not signed in: %s"), error->message);

      koers_sync_worker_return_task (worker, task, shown, 0);
      return;
    }
  account = koers_sign_in_account_for (sign_in->server_url, sign_in->grant->device_id);
  use_key_store (worker, sign_in->key_store, account);
  if (!koers_sync_worker_sign_in (worker, sign_in->server_url, sign_in->grant->device_id,
                                  KOERS_TOKEN_SOURCE (tokens), TRUE, &error))
    {
      koers_sync_worker_return_task (worker, task, g_steal_pointer (&error), 0);
      return;
    }
  koers_sync_worker_return_task (worker, task, NULL, TRUE);
}

static void
sign_in_run (KoersSyncWorker *worker,
             GTask           *task)
{
  SignInData *sign_in = g_task_get_task_data (task);

  sign_in->worker = worker;
  worker->n_ops++;
  koers_stored_token_source_new_from_grant_async (sign_in->key_store, sign_in->server_url,
                                                  sign_in->grant, worker->cancellable,
                                                  from_grant_cb, task);
}

void
koers_sync_service_sign_in_async (KoersSyncService    *self,
                                  const char          *server_url,
                                  KoersTokenGrant     *grant,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SignInData *sign_in;

  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (grant != NULL && grant->device_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sync_service_sign_in_async);
  sign_in = g_new0 (SignInData, 1);
  sign_in->key_store = g_object_ref (ensure_key_store (self));
  sign_in->server_url = g_strdup (server_url);
  sign_in->grant = grant;
  g_task_set_task_data (task, sign_in, sign_in_data_free);
  koers_sync_service_run_task (self, task, sign_in_run);
}

gboolean
koers_sync_service_sign_in_finish (KoersSyncService  *self,
                                   GAsyncResult      *result,
                                   GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_int (G_TASK (result), error) > 0;
}

/* --- signing out -------------------------------------------------------------------------- */

void
koers_sync_worker_set_erase (KoersSyncWorker            *worker,
                             KoersSyncWorkerEraseFunc    erase,
                             KoersSyncWorkerEraseFinish  finish,
                             gpointer                    data,
                             GDestroyNotify              data_free)
{
  if (worker->erase_data_free != NULL)
    worker->erase_data_free (worker->erase_data);
  worker->erase = erase;
  worker->erase_finish = finish;
  worker->erase_data = data;
  worker->erase_data_free = data_free;
}

static void
finish_sign_out (KoersSyncWorker *worker,
                 GTask           *task,
                 GError          *erase_error)
{
  static const char * const keys[] = {
    KOERS_SYNC_STATE_SERVER_URL, KOERS_SYNC_STATE_DEVICE_ID, KOERS_SYNC_STATE_USER_NAME,
    KOERS_SYNC_STATE_ORGANISATION,
  };
  g_autoptr(GError) error = NULL;

  /* The caseload and the outbox stay: what was typed goes up at the next sign-in. */
  if (worker->db != NULL && koers_database_begin (worker->db, &error))
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys) && error == NULL; i++)
        koers_sync_state_set (worker->db, keys[i], NULL, &error);
      if (error == NULL)
        koers_database_commit (worker->db, &error);
      if (error != NULL)
        koers_database_rollback (worker->db);
    }
  koers_sync_worker_set_erase (worker, NULL, NULL, NULL, NULL);
  g_clear_object (&worker->tokens);
  g_clear_pointer (&worker->device_id, g_free);
  g_clear_pointer (&worker->status.server_url, g_free);
  g_clear_pointer (&worker->status.user_name, g_free);
  g_clear_pointer (&worker->status.organisation, g_free);
  g_clear_pointer (&worker->status.last_error, g_free);
  worker->status.signed_in = FALSE;
  worker->status.needs_sign_in = FALSE;
  worker->status.state = KOERS_SYNC_CLIENT_IDLE;
  worker->status.records_received = 0;
  if (worker->db != NULL)
    koers_sync_worker_status_from_database (worker);
  koers_sync_worker_post_status (worker);

  if (error == NULL && erase_error != NULL)
    /* Translators: %s is the key store's reason */
    error = g_error_new (erase_error->domain, erase_error->code,
                         _("Signed out, but the sign-in could not be removed from the key "
                           "store: %s"), erase_error->message);
  koers_sync_worker_return_task (worker, task, g_steal_pointer (&error), TRUE);
}

typedef struct
{
  KoersSyncWorker            *worker;
  GTask                      *task;
  KoersSyncWorkerEraseFinish  finish;
} EraseOp;

static void
erase_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  EraseOp *op = user_data;
  g_autoptr(GError) error = NULL;

  op->worker->n_ops--;
  op->finish (result, &error);
  finish_sign_out (op->worker, op->task, error);
  g_free (op);
}

void
koers_sync_worker_sign_out (KoersSyncWorker *worker,
                            GTask           *task)
{
  koers_sync_worker_drop_client (worker);
  if (worker->erase != NULL)
    {
      EraseOp *op = g_new0 (EraseOp, 1);

      op->worker = worker;
      op->task = task;
      op->finish = worker->erase_finish;
      worker->n_ops++;
      worker->erase (worker, worker->cancellable, erase_done, op);
      return;
    }
  finish_sign_out (worker, task, NULL);
}


static void
sign_out_run (KoersSyncWorker *worker,
              GTask           *task)
{
  KoersKeyStore *key_store = g_task_get_task_data (task);

  /* A sign-in on record that was never resumed has its token in the key store all the same. */
  if (worker->erase == NULL && worker->status.signed_in && worker->device_id != NULL)
    {
      g_autofree char *account = koers_sign_in_account_for (worker->status.server_url,
                                                            worker->device_id);

      use_key_store (worker, key_store, account);
    }
  koers_sync_worker_sign_out (worker, task);
}

void
koers_sync_service_sign_out_async (KoersSyncService    *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KOERS_IS_SYNC_SERVICE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_sync_service_sign_out_async);
  g_task_set_task_data (task, g_object_ref (ensure_key_store (self)), g_object_unref);
  koers_sync_service_run_task (self, task, sign_out_run);
}

gboolean
koers_sync_service_sign_out_finish (KoersSyncService  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  /* The thread answers with an int (koers_sync_worker_return_task); -1 with an error. */
  return g_task_propagate_int (G_TASK (result), error) > 0;
}
