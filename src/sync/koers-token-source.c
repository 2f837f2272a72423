/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-token-source.h"

#include "sync/koers-key-store-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-token-source-private.h"

G_DEFINE_INTERFACE (KoersTokenSource, koers_token_source, G_TYPE_OBJECT)

static void
koers_token_source_default_init (KoersTokenSourceInterface *iface)
{
  (void) iface;
}

char *
koers_token_source_dup_access_token (KoersTokenSource *self)
{
  g_return_val_if_fail (KOERS_IS_TOKEN_SOURCE (self), NULL);
  return KOERS_TOKEN_SOURCE_GET_IFACE (self)->dup_access_token (self);
}

void
koers_token_source_refresh_async (KoersTokenSource *self, SoupSession *session,
                                  const char *server_url, GCancellable *cancellable,
                                  GAsyncReadyCallback callback, gpointer user_data)
{
  g_return_if_fail (KOERS_IS_TOKEN_SOURCE (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  KOERS_TOKEN_SOURCE_GET_IFACE (self)->refresh_async (self, session, server_url, cancellable,
                                                      callback, user_data);
}

gboolean
koers_token_source_refresh_finish (KoersTokenSource *self, GAsyncResult *result,
                                   GError **error)
{
  g_return_val_if_fail (KOERS_IS_TOKEN_SOURCE (self), FALSE);
  return KOERS_TOKEN_SOURCE_GET_IFACE (self)->refresh_finish (self, result, error);
}

struct _KoersMemoryTokenSource
{
  GObject parent_instance;

  char   *access_token;
  char   *refresh_token;
  guint   n_refreshes;
};

static void koers_memory_token_source_iface_init (KoersTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersMemoryTokenSource, koers_memory_token_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_TOKEN_SOURCE,
                                                      koers_memory_token_source_iface_init))

static void
koers_memory_token_source_finalize (GObject *object)
{
  KoersMemoryTokenSource *self = KOERS_MEMORY_TOKEN_SOURCE (object);

  koers_secret_free (self->access_token);
  koers_secret_free (self->refresh_token);
  G_OBJECT_CLASS (koers_memory_token_source_parent_class)->finalize (object);
}

static void
koers_memory_token_source_class_init (KoersMemoryTokenSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_memory_token_source_finalize;
}

static void
koers_memory_token_source_init (KoersMemoryTokenSource *self)
{
  (void) self;
}

static char *
memory_dup_access_token (KoersTokenSource *source)
{
  return g_strdup (KOERS_MEMORY_TOKEN_SOURCE (source)->access_token);
}

static void
refresh_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GTask) task = user_data;
  KoersMemoryTokenSource *self = g_task_get_source_object (task);
  g_autoptr(KoersTokenGrant) grant = NULL;
  GError *error = NULL;

  (void) object;
  grant = koers_token_request_finish (result, NULL, &error);
  if (grant == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  koers_secret_free (self->access_token);
  self->access_token = g_steal_pointer (&grant->access_token);
  koers_secret_free (self->refresh_token);
  self->refresh_token = g_steal_pointer (&grant->refresh_token);
  self->n_refreshes++;
  g_task_return_boolean (task, TRUE);
}

static void
memory_refresh_async (KoersTokenSource *source, SoupSession *session, const char *server_url,
                      GCancellable *cancellable, GAsyncReadyCallback callback,
                      gpointer user_data)
{
  KoersMemoryTokenSource *self = KOERS_MEMORY_TOKEN_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  char *form;

  g_task_set_source_tag (task, memory_refresh_async);
  if (self->refresh_token == NULL)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                               _("The sign-in has expired: sign in again"));
      return;
    }
  form = soup_form_encode ("grant_type", "refresh_token", "refresh_token", self->refresh_token,
                           "client_id", KOERS_SIGN_IN_CLIENT_ID, NULL);
  koers_token_request_async (session, server_url, form, cancellable, refresh_done_cb,
                             g_steal_pointer (&task));
  koers_secret_free (form);
}

static gboolean
memory_refresh_finish (KoersTokenSource *source, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
koers_memory_token_source_iface_init (KoersTokenSourceInterface *iface)
{
  iface->dup_access_token = memory_dup_access_token;
  iface->refresh_async = memory_refresh_async;
  iface->refresh_finish = memory_refresh_finish;
}

KoersMemoryTokenSource *
koers_memory_token_source_new (const char *access_token, const char *refresh_token)
{
  KoersMemoryTokenSource *self = g_object_new (KOERS_TYPE_MEMORY_TOKEN_SOURCE, NULL);

  self->access_token = g_strdup (access_token);
  self->refresh_token = g_strdup (refresh_token);
  return self;
}

void
koers_memory_token_source_set_access_token (KoersMemoryTokenSource *self, const char *token)
{
  g_return_if_fail (KOERS_IS_MEMORY_TOKEN_SOURCE (self));
  g_free (self->access_token);
  self->access_token = g_strdup (token);
}

const char *
koers_memory_token_source_get_refresh_token (KoersMemoryTokenSource *self)
{
  g_return_val_if_fail (KOERS_IS_MEMORY_TOKEN_SOURCE (self), NULL);
  return self->refresh_token;
}

guint
koers_memory_token_source_get_n_refreshes (KoersMemoryTokenSource *self)
{
  g_return_val_if_fail (KOERS_IS_MEMORY_TOKEN_SOURCE (self), 0);
  return self->n_refreshes;
}
