/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-token-source.h"

#include "sync/koers-sync-json.h"
#include "sync/koers-sync-private.h"

#include <string.h>

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

  g_free (self->access_token);
  g_free (self->refresh_token);
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
  SoupMessage *msg = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *access, *refresh;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                               _("The server refused to renew the sign-in (HTTP %u): sign in "
                                 "again"), soup_message_get_status (msg));
      return;
    }
  root = koers_sync_json_parse_response (body, &error);
  if (root == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  access = koers_sync_json_string (json_node_get_object (root), "access_token");
  refresh = koers_sync_json_string (json_node_get_object (root), "refresh_token");
  if (access == NULL || refresh == NULL)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                               _("The server's token answer has no tokens: sign in again"));
      return;
    }
  g_free (self->access_token);
  self->access_token = g_strdup (access);
  g_free (self->refresh_token);
  self->refresh_token = g_strdup (refresh);
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
  g_autofree char *url = g_strconcat (server_url, "/oauth/token", NULL);
  g_autofree char *form = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg;
  gsize length;

  g_task_set_source_tag (task, memory_refresh_async);
  if (self->refresh_token == NULL)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                               _("The sign-in has expired: sign in again"));
      return;
    }
  msg = soup_message_new ("POST", url);
  if (msg == NULL)
    {
      g_task_return_new_error (task, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK,
                               _("The server address is not a valid URL"));
      return;
    }
  form = soup_form_encode ("grant_type", "refresh_token", "refresh_token", self->refresh_token,
                           "client_id", "koers-desktop", NULL);
  length = strlen (form);
  body = g_bytes_new_take (g_steal_pointer (&form), length);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", body);
  g_task_set_task_data (task, msg, g_object_unref);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    refresh_done_cb, g_object_ref (task));
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
