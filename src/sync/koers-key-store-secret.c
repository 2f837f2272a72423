/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-key-store-private.h"

#include <libsecret/secret.h>

/* The libsecret backend. libsecret picks the transport itself: the Secret Service (GNOME
 * Keyring, KWallet) on the session bus, or inside a Flatpak its file backend encrypted with
 * a key the Secret portal hands out. Either way the secret never lands in a file of ours:
 * when neither works the call fails and the caller stays signed out. */

struct _KoersKeyStoreSecret
{
  GObject parent_instance;
};

static void koers_key_store_secret_iface_init (KoersKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersKeyStoreSecret, koers_key_store_secret, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_KEY_STORE,
                                                      koers_key_store_secret_iface_init))

static const SecretSchema *
token_schema (void)
{
  /* Matched by name too (no SECRET_SCHEMA_DONT_MATCH_NAME): another application's item with
   * an "account" attribute is never taken for ours. */
  static const SecretSchema schema = {
    KOERS_KEY_STORE_SECRET_SCHEMA, SECRET_SCHEMA_NONE,
    {
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static GHashTable *
account_attributes (const char *account)
{
  GHashTable *attributes = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (attributes, (gpointer) "account", (gpointer) account);
  return attributes;
}

/* Everything that means "no key store to talk to" (no session bus, no Secret Service on it,
 * no portal, a locked or missing collection, a dismissed unlock prompt) is UNAVAILABLE; a
 * store that answered and refused is FAILED. The caller's own cancellation stays
 * G_IO_ERROR_CANCELLED. Messages come from D-Bus and libsecret and never carry the secret. */
static void
return_mapped_error (GTask  *task,
                     GError *error)
{
  GCancellable *cancellable = g_task_get_cancellable (task);
  gboolean unavailable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_error (task, error);
      return;
    }
  unavailable = error->domain == G_IO_ERROR || error->domain == G_DBUS_ERROR
                || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_IS_LOCKED)
                || g_error_matches (error, SECRET_ERROR, SECRET_ERROR_NO_SUCH_OBJECT);
  if (unavailable)
    g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE,
                             _("The system key store is not available: %s"), error->message);
  else
    g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED,
                             _("The system key store failed: %s"), error->message);
  g_error_free (error);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  (void) source;
  if (!secret_password_store_finish (result, &error))
    return_mapped_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
secret_save_async (KoersKeyStore       *store,
                   const char          *account,
                   const char          *label,
                   const char          *secret,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = account_attributes (account);

  g_task_set_source_tag (task, secret_save_async);
  /* An item with the same schema and attributes is replaced, not duplicated. */
  secret_password_storev (token_schema (), attributes, SECRET_COLLECTION_DEFAULT, label, secret,
                          cancellable, stored_cb, task);
}

static void
looked_up_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  char *found;

  (void) source;
  found = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      return_mapped_error (task, error);
      return;
    }
  if (found == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  /* libsecret's copy may live in non-pageable memory that only secret_password_free may
   * release; the caller gets an ordinary string. */
  g_task_return_pointer (task, g_strdup (found), (GDestroyNotify) koers_secret_free);
  secret_password_free (found);
}

static void
secret_lookup_async (KoersKeyStore       *store,
                     const char          *account,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = account_attributes (account);

  g_task_set_source_tag (task, secret_lookup_async);
  secret_password_lookupv (token_schema (), attributes, cancellable, looked_up_cb, task);
}

static void
cleared_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  (void) source;
  /* FALSE without an error means there was nothing to erase: the wanted end state. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    return_mapped_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
secret_erase_async (KoersKeyStore       *store,
                    const char          *account,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  g_autoptr(GHashTable) attributes = account_attributes (account);

  g_task_set_source_tag (task, secret_erase_async);
  secret_password_clearv (token_schema (), attributes, cancellable, cleared_cb, task);
}

static void
koers_key_store_secret_iface_init (KoersKeyStoreInterface *iface)
{
  iface->save_async = secret_save_async;
  iface->save_finish = koers_key_store_task_finish_boolean;
  iface->lookup_async = secret_lookup_async;
  iface->lookup_finish = koers_key_store_task_finish_secret;
  iface->erase_async = secret_erase_async;
  iface->erase_finish = koers_key_store_task_finish_boolean;
}

static void
koers_key_store_secret_class_init (KoersKeyStoreSecretClass *klass)
{
  (void) klass;
}

static void
koers_key_store_secret_init (KoersKeyStoreSecret *self)
{
  (void) self;
}

KoersKeyStore *
koers_key_store_secret_new (void)
{
  return g_object_new (KOERS_TYPE_KEY_STORE_SECRET, NULL);
}
