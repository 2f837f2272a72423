/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "app/koers-sync-service-private.h"

#include "sync/koers-sync-json.h"

/* The client asks its token source for a refresh after a 401. When that refresh fails
 * because the sign-in is gone (refused, revoked, key store unreadable), retrying on a timer
 * would only fail again: the service stops the client and asks the coach to sign in. */

#define KOERS_TYPE_GUARDED_TOKENS (koers_guarded_tokens_get_type ())
G_DECLARE_FINAL_TYPE (KoersGuardedTokens, koers_guarded_tokens, KOERS, GUARDED_TOKENS, GObject)

struct _KoersGuardedTokens
{
  GObject           parent_instance;

  KoersTokenSource *inner;
  KoersSyncWorker  *worker;
  guint             generation;
};

static void koers_guarded_tokens_iface_init (KoersTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersGuardedTokens, koers_guarded_tokens, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_TOKEN_SOURCE,
                                                      koers_guarded_tokens_iface_init))

static void
koers_guarded_tokens_dispose (GObject *object)
{
  g_clear_object (&KOERS_GUARDED_TOKENS (object)->inner);
  G_OBJECT_CLASS (koers_guarded_tokens_parent_class)->dispose (object);
}

static void
koers_guarded_tokens_class_init (KoersGuardedTokensClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = koers_guarded_tokens_dispose;
}

static void
koers_guarded_tokens_init (KoersGuardedTokens *self)
{
}

static char *
guarded_dup_access_token (KoersTokenSource *source)
{
  return koers_token_source_dup_access_token (KOERS_GUARDED_TOKENS (source)->inner);
}

/* Not reaching the server is no reason to sign in again; anything else that stops a refresh
 * is (a refusal, or a key store error: another error domain). */
static gboolean
error_loses_sign_in (const GError *error)
{
  if (g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH))
    return TRUE;
  return error->domain != KOERS_SYNC_ERROR
         && error->domain != G_IO_ERROR
         && error->domain != G_RESOLVER_ERROR
         && error->domain != G_TLS_ERROR
         && error->domain != SOUP_SESSION_ERROR;
}

typedef struct
{
  KoersSyncWorker *worker;
  guint            generation;
  char            *reason;
} LostJob;

static void
lost_job_free (gpointer data)
{
  LostJob *job = data;

  g_free (job->reason);
  g_free (job);
}

static gboolean
lost_job_run (gpointer data)
{
  LostJob *job = data;

  /* A sign-in made since then has its own client. */
  if (job->generation == job->worker->generation)
    koers_sync_worker_sign_in_lost (job->worker, job->reason);
  return G_SOURCE_REMOVE;
}

static void
guarded_refresh_done (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  KoersGuardedTokens *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (koers_token_source_refresh_finish (KOERS_TOKEN_SOURCE (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (error_loses_sign_in (error))
    {
      /* After the run has ended: the client is in the middle of failing it now. */
      LostJob *job = g_new0 (LostJob, 1);
      GSource *source = g_idle_source_new ();

      job->worker = self->worker;
      job->generation = self->generation;
      if (error->domain == KOERS_KEY_STORE_ERROR)
        /* Translators: %s is the key store's reason */
        job->reason = g_strdup_printf (_("Koers cannot read your sign-in from the key store "
                                         "(%s), so it stays signed out. Sign in again when "
                                         "the key store works."), error->message);
      else
        /* Translators: %s says why, e.g. that the server refused the sign-in */
        job->reason = g_strdup_printf (_("Signing in again is needed: %s"), error->message);
      g_source_set_callback (source, lost_job_run, job, lost_job_free);
      g_source_attach (source, self->worker->context);
      g_source_unref (source);
    }
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
guarded_refresh_async (KoersTokenSource    *source,
                       SoupSession         *session,
                       const char          *server_url,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  KoersGuardedTokens *self = KOERS_GUARDED_TOKENS (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  koers_token_source_refresh_async (self->inner, session, server_url, cancellable,
                                    guarded_refresh_done, task);
}

static gboolean
guarded_refresh_finish (KoersTokenSource  *source,
                        GAsyncResult      *result,
                        GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
koers_guarded_tokens_iface_init (KoersTokenSourceInterface *iface)
{
  iface->dup_access_token = guarded_dup_access_token;
  iface->refresh_async = guarded_refresh_async;
  iface->refresh_finish = guarded_refresh_finish;
}

KoersTokenSource *
koers_sync_worker_guard_tokens (KoersSyncWorker  *worker,
                                KoersTokenSource *inner)
{
  KoersGuardedTokens *self = g_object_new (KOERS_TYPE_GUARDED_TOKENS, NULL);

  self->inner = g_object_ref (inner);
  self->worker = worker;
  self->generation = worker->generation;
  return KOERS_TOKEN_SOURCE (self);
}
