/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "sync/koers-key-store.h"

#include "sync/koers-key-store-private.h"

G_DEFINE_QUARK (koers-key-store-error-quark, koers_key_store_error)

G_DEFINE_INTERFACE (KoersKeyStore, koers_key_store, G_TYPE_OBJECT)

static void
koers_key_store_default_init (KoersKeyStoreInterface *iface)
{
  (void) iface;
}

KoersKeyStore *
koers_key_store_new_default (void)
{
#ifdef G_OS_WIN32
  return koers_key_store_windows_new ();
#else
  return koers_key_store_secret_new ();
#endif
}

/**
 * koers_key_store_save_async:
 * @self: a key store
 * @account: the account the secret belongs to (never secret itself)
 * @label: what the user sees in their key store manager
 * @secret: the secret; never logged or copied into an error message
 * @cancellable: (nullable): a cancellable
 * @callback: called in the caller's thread-default main context
 * @user_data: data for @callback
 */
void
koers_key_store_save_async (KoersKeyStore       *self,
                            const char          *account,
                            const char          *label,
                            const char          *secret,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_KEY_STORE (self));
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (label != NULL);
  g_return_if_fail (secret != NULL && *secret != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  KOERS_KEY_STORE_GET_IFACE (self)->save_async (self, account, label, secret, cancellable,
                                                callback, user_data);
}

/**
 * koers_key_store_save_finish:
 * Returns: %TRUE when the secret is stored; %FALSE with KOERS_KEY_STORE_ERROR (or
 *   G_IO_ERROR_CANCELLED) otherwise.
 */
gboolean
koers_key_store_save_finish (KoersKeyStore  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (KOERS_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return KOERS_KEY_STORE_GET_IFACE (self)->save_finish (self, result, error);
}

void
koers_key_store_lookup_async (KoersKeyStore       *self,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_KEY_STORE (self));
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  KOERS_KEY_STORE_GET_IFACE (self)->lookup_async (self, account, cancellable, callback,
                                                  user_data);
}

/**
 * koers_key_store_lookup_finish:
 * Returns: (transfer full) (nullable): the secret; %NULL without an error when the account
 *   has none, %NULL with an error when the key store failed.
 */
char *
koers_key_store_lookup_finish (KoersKeyStore  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (KOERS_IS_KEY_STORE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);

  return KOERS_KEY_STORE_GET_IFACE (self)->lookup_finish (self, result, error);
}

void
koers_key_store_erase_async (KoersKeyStore       *self,
                             const char          *account,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (KOERS_IS_KEY_STORE (self));
  g_return_if_fail (account != NULL && *account != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  KOERS_KEY_STORE_GET_IFACE (self)->erase_async (self, account, cancellable, callback,
                                                 user_data);
}

/**
 * koers_key_store_erase_finish:
 * Returns: %TRUE when the account has no secret any more (also when it had none).
 */
gboolean
koers_key_store_erase_finish (KoersKeyStore  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (KOERS_IS_KEY_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return KOERS_KEY_STORE_GET_IFACE (self)->erase_finish (self, result, error);
}

gboolean
koers_key_store_task_finish_boolean (KoersKeyStore  *store,
                                     GAsyncResult   *result,
                                     GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

char *
koers_key_store_task_finish_secret (KoersKeyStore  *store,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
koers_secret_free (char *secret)
{
  volatile char *p = secret;

  if (secret == NULL)
    return;
  /* Through a volatile pointer so the wipe is not optimised away before the free. */
  while (*p != '\0')
    *p++ = '\0';
  g_free (secret);
}
