/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-sign-in.h"

#include "sync/koers-key-store-private.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-token-source-private.h"

/*
 * KoersStoredTokenSource: the access token in memory, the refresh token in the key store only.
 *
 * The server rotates the refresh token on every refresh and treats a spent one presented again
 * as theft (the whole family is revoked). So one refresh runs at a time (callers that ask
 * meanwhile share its outcome), it runs to its end even when a caller cancels (a rotated token
 * dropped half-way would sign the user out), and the new refresh token is in the key store
 * before the new access token is used. When the key store fails, the access token goes too:
 * Koers is then signed out rather than holding a session it could not resume (fail closed).
 */

struct _KoersStoredTokenSource
{
  GObject parent_instance;

  KoersKeyStore *key_store;
  char          *account;
  char          *access_token;
  GPtrArray     *refresh_waiters;   /* (element-type GTask): non-NULL while a refresh runs */
  GPtrArray     *sign_out_waiters;  /* (element-type GTask): sign-outs waiting for it */
  gboolean       signed_out;
};

static void koers_stored_token_source_iface_init (KoersTokenSourceInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersStoredTokenSource, koers_stored_token_source,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_TOKEN_SOURCE,
                                                      koers_stored_token_source_iface_init))

static char *
key_store_label (const char *server_url)
{
  /* Translators: the name of the saved sign-in in the system's password manager. */
  return g_strdup_printf (_("Koers: sign-in at %s"), server_url);
}

static void
forget_access_token (KoersStoredTokenSource *self)
{
  g_clear_pointer (&self->access_token, koers_secret_free);
}

static void
koers_stored_token_source_finalize (GObject *object)
{
  KoersStoredTokenSource *self = KOERS_STORED_TOKEN_SOURCE (object);

  g_assert (self->refresh_waiters == NULL);
  g_assert (self->sign_out_waiters == NULL);
  g_clear_object (&self->key_store);
  g_free (self->account);
  forget_access_token (self);
  G_OBJECT_CLASS (koers_stored_token_source_parent_class)->finalize (object);
}

static void
koers_stored_token_source_class_init (KoersStoredTokenSourceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_stored_token_source_finalize;
}

static void
koers_stored_token_source_init (KoersStoredTokenSource *self)
{
  (void) self;
}

static char *
stored_dup_access_token (KoersTokenSource *source)
{
  return g_strdup (KOERS_STORED_TOKEN_SOURCE (source)->access_token);
}

/* One refresh in flight. */
typedef struct {
  KoersStoredTokenSource *self;
  SoupSession            *session;
  char                   *server_url;
  KoersTokenGrant        *grant;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_object_unref (refresh->self);
  g_object_unref (refresh->session);
  g_free (refresh->server_url);
  koers_token_grant_free (refresh->grant);
  g_free (refresh);
}

static void erase_for (KoersStoredTokenSource *self, GTask *task);

/* Hands the outcome (@error taken; NULL for success) to every caller that waited, then lets
 * a sign-out that came in meanwhile erase the key store entry. */
static void
end_refresh (Refresh *refresh,
             GError  *error)
{
  KoersStoredTokenSource *self = g_object_ref (refresh->self);
  g_autoptr(GPtrArray) waiters = g_steal_pointer (&self->refresh_waiters);
  g_autoptr(GPtrArray) sign_outs = g_steal_pointer (&self->sign_out_waiters);

  refresh_free (refresh);
  for (guint i = 0; i < waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (waiters, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  for (guint i = 0; sign_outs != NULL && i < sign_outs->len; i++)
    erase_for (self, g_ptr_array_index (sign_outs, i));
  g_clear_error (&error);
  g_object_unref (self);
}

static GError *
signed_out_error (void)
{
  return g_error_new_literal (KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                              _("Signed out: sign in again"));
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Refresh *refresh = user_data;
  KoersStoredTokenSource *self = refresh->self;
  GError *error = NULL;

  if (!koers_key_store_save_finish (KOERS_KEY_STORE (object), result, &error))
    {
      /* The server has rotated: the stored refresh token is spent and the new one is
       * nowhere. Keeping the access token would leave a session that dies unrecoverably in
       * a quarter of an hour; signing out now says so while the user is here. */
      forget_access_token (self);
      end_refresh (refresh, error);
      return;
    }
  /* Signed out while saving: the erase that waits for this refresh removes what was saved. */
  if (self->signed_out)
    {
      end_refresh (refresh, signed_out_error ());
      return;
    }
  koers_secret_free (self->access_token);
  self->access_token = g_steal_pointer (&refresh->grant->access_token);
  end_refresh (refresh, NULL);
}

static void
requested_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refresh *refresh = user_data;
  KoersStoredTokenSource *self = refresh->self;
  g_autofree char *label = NULL;
  GError *error = NULL;

  (void) object;
  refresh->grant = koers_token_request_finish (result, NULL, &error);
  if (refresh->grant == NULL)
    {
      /* Refused: the session is over (an expired, revoked or replayed refresh token). A
       * network failure leaves things as they were, to try again later. */
      if (g_error_matches (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH))
        forget_access_token (self);
      end_refresh (refresh, error);
      return;
    }
  if (self->signed_out)
    {
      end_refresh (refresh, signed_out_error ());
      return;
    }
  label = key_store_label (refresh->server_url);
  koers_key_store_save_async (self->key_store, self->account, label,
                              refresh->grant->refresh_token, NULL, saved_cb, refresh);
}

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Refresh *refresh = user_data;
  KoersStoredTokenSource *self = refresh->self;
  GError *error = NULL;
  char *refresh_token;
  char *form;

  refresh_token = koers_key_store_lookup_finish (KOERS_KEY_STORE (object), result, &error);
  if (refresh_token == NULL)
    {
      forget_access_token (self);
      if (error == NULL)
        error = g_error_new_literal (KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH,
                                     _("No saved sign-in was found: sign in again"));
      end_refresh (refresh, error);
      return;
    }
  if (self->signed_out)
    {
      koers_secret_free (refresh_token);
      end_refresh (refresh, signed_out_error ());
      return;
    }
  form = soup_form_encode ("grant_type", "refresh_token",
                           "refresh_token", refresh_token,
                           "client_id", KOERS_SIGN_IN_CLIENT_ID,
                           NULL);
  koers_secret_free (refresh_token);
  koers_token_request_async (refresh->session, refresh->server_url, form, NULL, requested_cb,
                             refresh);
  koers_secret_free (form);
}

static void
stored_refresh_async (KoersTokenSource    *source,
                      SoupSession         *session,
                      const char          *server_url,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  KoersStoredTokenSource *self = KOERS_STORED_TOKEN_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Refresh *refresh;

  g_task_set_source_tag (task, stored_refresh_async);
  if (self->signed_out)
    {
      g_task_return_error (task, signed_out_error ());
      g_object_unref (task);
      return;
    }
  if (self->refresh_waiters != NULL)
    {
      g_ptr_array_add (self->refresh_waiters, task);
      return;
    }
  self->refresh_waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (self->refresh_waiters, task);

  refresh = g_new0 (Refresh, 1);
  refresh->self = g_object_ref (self);
  refresh->session = g_object_ref (session);
  refresh->server_url = g_strdup (server_url);
  /* No cancellable from here on: see the comment at the top. A cancelled caller still gets
   * G_IO_ERROR_CANCELLED from its own task. */
  koers_key_store_lookup_async (self->key_store, self->account, NULL, looked_up_cb, refresh);
}

static gboolean
stored_refresh_finish (KoersTokenSource  *source,
                       GAsyncResult      *result,
                       GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
koers_stored_token_source_iface_init (KoersTokenSourceInterface *iface)
{
  iface->dup_access_token = stored_dup_access_token;
  iface->refresh_async = stored_refresh_async;
  iface->refresh_finish = stored_refresh_finish;
}

/**
 * koers_stored_token_source_new:
 * @key_store: where the refresh token of @account is kept
 * @account: the key store account (koers_sign_in_account_for())
 * @access_token: (nullable): NULL after a restart; the first request then refreshes
 *
 * Returns: (transfer full): a token source
 */
KoersStoredTokenSource *
koers_stored_token_source_new (KoersKeyStore *key_store,
                               const char    *account,
                               const char    *access_token)
{
  KoersStoredTokenSource *self;

  g_return_val_if_fail (KOERS_IS_KEY_STORE (key_store), NULL);
  g_return_val_if_fail (account != NULL && *account != '\0', NULL);

  self = g_object_new (KOERS_TYPE_STORED_TOKEN_SOURCE, NULL);
  self->key_store = g_object_ref (key_store);
  self->account = g_strdup (account);
  self->access_token = g_strdup (access_token);
  return self;
}

/**
 * koers_stored_token_source_get_account:
 * Returns: (transfer none): the key store account the refresh token is kept under
 */
const char *
koers_stored_token_source_get_account (KoersStoredTokenSource *self)
{
  g_return_val_if_fail (KOERS_IS_STORED_TOKEN_SOURCE (self), NULL);
  return self->account;
}

typedef struct {
  KoersKeyStore *key_store;
  char          *account;
  char          *access_token;
} FromGrant;

static void
from_grant_free (gpointer data)
{
  FromGrant *from = data;

  g_object_unref (from->key_store);
  g_free (from->account);
  koers_secret_free (from->access_token);
  g_free (from);
}

static void
grant_saved_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FromGrant *from = g_task_get_task_data (task);
  GError *error = NULL;

  if (!koers_key_store_save_finish (KOERS_KEY_STORE (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task,
                         koers_stored_token_source_new (from->key_store, from->account,
                                                        from->access_token),
                         g_object_unref);
}

void
koers_stored_token_source_new_from_grant_async (KoersKeyStore       *key_store,
                                                const char          *server_url,
                                                KoersTokenGrant     *grant,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  FromGrant *from;

  g_return_if_fail (KOERS_IS_KEY_STORE (key_store));
  g_return_if_fail (server_url != NULL);
  g_return_if_fail (grant != NULL);
  g_return_if_fail (grant->access_token != NULL && grant->refresh_token != NULL);
  g_return_if_fail (grant->device_id != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_stored_token_source_new_from_grant_async);
  from = g_new0 (FromGrant, 1);
  from->key_store = g_object_ref (key_store);
  from->account = koers_sign_in_account_for (server_url, grant->device_id);
  from->access_token = g_strdup (grant->access_token);
  g_task_set_task_data (task, from, from_grant_free);

  label = key_store_label (server_url);
  koers_key_store_save_async (key_store, from->account, label, grant->refresh_token,
                              cancellable, grant_saved_cb, g_steal_pointer (&task));
}

KoersStoredTokenSource *
koers_stored_token_source_new_from_grant_finish (GAsyncResult  *result,
                                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
erased_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!koers_key_store_erase_finish (KOERS_KEY_STORE (object), result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Erases the refresh token for a sign-out; @task is completed with the outcome. Not
 * cancellable: a sign-out that stopped half-way would leave a session to resume at the next
 * start, although the user asked to end it (a cancelled caller still gets CANCELLED). */
static void
erase_for (KoersStoredTokenSource *self,
           GTask                  *task)
{
  koers_key_store_erase_async (self->key_store, self->account, NULL, erased_cb,
                               g_object_ref (task));
}

void
koers_stored_token_source_sign_out_async (KoersStoredTokenSource *self,
                                          GCancellable           *cancellable,
                                          GAsyncReadyCallback     callback,
                                          gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (KOERS_IS_STORED_TOKEN_SOURCE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, koers_stored_token_source_sign_out_async);
  /* For good: a source that has signed out never hands out or refreshes a token again. */
  self->signed_out = TRUE;
  forget_access_token (self);
  /* A refresh in flight could save a rotated token after the erase; it sees signed_out and
   * saves nothing new, and the erase waits until it is over. */
  if (self->refresh_waiters != NULL)
    {
      if (self->sign_out_waiters == NULL)
        self->sign_out_waiters = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (self->sign_out_waiters, g_steal_pointer (&task));
      return;
    }
  erase_for (self, task);
}

gboolean
koers_stored_token_source_sign_out_finish (KoersStoredTokenSource  *self,
                                           GAsyncResult            *result,
                                           GError                 **error)
{
  g_return_val_if_fail (KOERS_IS_STORED_TOKEN_SOURCE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
