/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-key-store.h"

typedef struct {
  char *secret;
  char *label;
} Entry;

struct _KoersTestKeyStore
{
  GObject parent_instance;

  GMutex               mutex;     /* the sync service calls in from its own thread */
  GHashTable         *entries;   /* account -> Entry */
  KoersTestKeyStoreOps failing;
  KoersKeyStoreError   code;
  guint                n_saves;
};

static void koers_test_key_store_iface_init (KoersKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersTestKeyStore, koers_test_key_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_KEY_STORE,
                                                      koers_test_key_store_iface_init))

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_free (entry->secret);
  g_free (entry->label);
  g_free (entry);
}

static void
put_entry (KoersTestKeyStore *self,
           const char        *account,
           const char        *label,
           const char        *secret)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->secret = g_strdup (secret);
  entry->label = g_strdup (label);
  g_hash_table_replace (self->entries, g_strdup (account), entry);
}

/* Every answer arrives in a later main loop iteration (GTask defers a return made in the
 * iteration that created the task), as from a real store in another process. */
static gboolean
refuse (KoersTestKeyStore    *self,
        KoersTestKeyStoreOps  op,
        GTask                *task)
{
  KoersKeyStoreError code;
  gboolean failing;

  g_mutex_lock (&self->mutex);
  failing = (self->failing & op) != 0;
  code = self->code;
  g_mutex_unlock (&self->mutex);
  if (!failing)
    return FALSE;
  g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, code,
                           "test key store: refused on purpose");
  return TRUE;
}

static void
test_save_async (KoersKeyStore       *store,
                 const char          *account,
                 const char          *label,
                 const char          *secret,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  KoersTestKeyStore *self = KOERS_TEST_KEY_STORE (store);
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  if (refuse (self, KOERS_TEST_KEY_STORE_SAVE, task))
    return;
  g_mutex_lock (&self->mutex);
  put_entry (self, account, label, secret);
  self->n_saves++;
  g_mutex_unlock (&self->mutex);
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_boolean_finish (KoersKeyStore  *store,
                     GAsyncResult   *result,
                     GError        **error)
{
  g_assert_true (g_task_is_valid (result, store));
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_lookup_async (KoersKeyStore       *store,
                   const char          *account,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  KoersTestKeyStore *self = KOERS_TEST_KEY_STORE (store);
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);
  Entry *entry;
  char *secret;

  if (refuse (self, KOERS_TEST_KEY_STORE_LOOKUP, task))
    return;
  g_mutex_lock (&self->mutex);
  entry = g_hash_table_lookup (self->entries, account);
  secret = entry != NULL ? g_strdup (entry->secret) : NULL;
  g_mutex_unlock (&self->mutex);
  g_task_return_pointer (task, secret, g_free);
}

static char *
test_lookup_finish (KoersKeyStore  *store,
                    GAsyncResult   *result,
                    GError        **error)
{
  g_assert_true (g_task_is_valid (result, store));
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
test_erase_async (KoersKeyStore       *store,
                  const char          *account,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  KoersTestKeyStore *self = KOERS_TEST_KEY_STORE (store);
  g_autoptr(GTask) task = g_task_new (store, cancellable, callback, user_data);

  if (refuse (self, KOERS_TEST_KEY_STORE_ERASE, task))
    return;
  g_mutex_lock (&self->mutex);
  g_hash_table_remove (self->entries, account);
  g_mutex_unlock (&self->mutex);
  g_task_return_boolean (task, TRUE);
}

static void
koers_test_key_store_iface_init (KoersKeyStoreInterface *iface)
{
  iface->save_async = test_save_async;
  iface->save_finish = test_boolean_finish;
  iface->lookup_async = test_lookup_async;
  iface->lookup_finish = test_lookup_finish;
  iface->erase_async = test_erase_async;
  iface->erase_finish = test_boolean_finish;
}

static void
koers_test_key_store_finalize (GObject *object)
{
  KoersTestKeyStore *self = KOERS_TEST_KEY_STORE (object);

  g_hash_table_unref (self->entries);
  g_mutex_clear (&self->mutex);
  G_OBJECT_CLASS (koers_test_key_store_parent_class)->finalize (object);
}

static void
koers_test_key_store_class_init (KoersTestKeyStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = koers_test_key_store_finalize;
}

static void
koers_test_key_store_init (KoersTestKeyStore *self)
{
  g_mutex_init (&self->mutex);
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

KoersTestKeyStore *
koers_test_key_store_new (void)
{
  return g_object_new (KOERS_TYPE_TEST_KEY_STORE, NULL);
}

void
koers_test_key_store_fail (KoersTestKeyStore    *self,
                           KoersTestKeyStoreOps  ops,
                           KoersKeyStoreError    code)
{
  g_mutex_lock (&self->mutex);
  self->failing = ops;
  self->code = code;
  g_mutex_unlock (&self->mutex);
}

void
koers_test_key_store_put (KoersTestKeyStore *self,
                          const char        *account,
                          const char        *secret)
{
  g_mutex_lock (&self->mutex);
  put_entry (self, account, "test", secret);
  g_mutex_unlock (&self->mutex);
}

const char *
koers_test_key_store_peek (KoersTestKeyStore *self,
                           const char        *account)
{
  Entry *entry = g_hash_table_lookup (self->entries, account);

  return entry != NULL ? entry->secret : NULL;
}

const char *
koers_test_key_store_peek_label (KoersTestKeyStore *self,
                                 const char        *account)
{
  Entry *entry = g_hash_table_lookup (self->entries, account);

  return entry != NULL ? entry->label : NULL;
}

guint
koers_test_key_store_count (KoersTestKeyStore *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = g_hash_table_size (self->entries);
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
koers_test_key_store_n_saves (KoersTestKeyStore *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->n_saves;
  g_mutex_unlock (&self->mutex);
  return n;
}

void
koers_test_keep_result (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  (void) object;
  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

GAsyncResult *
koers_test_await (GAsyncResult **slot)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  while (*slot == NULL)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("an asynchronous call did not finish within 30 s");
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  return *slot;
}

gboolean
koers_test_key_store_save_sync (KoersKeyStore  *store,
                                const char     *account,
                                const char     *label,
                                const char     *secret,
                                GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  koers_key_store_save_async (store, account, label, secret, NULL, koers_test_keep_result,
                              &result);
  return koers_key_store_save_finish (store, koers_test_await (&result), error);
}

char *
koers_test_key_store_lookup_sync (KoersKeyStore  *store,
                                  const char     *account,
                                  GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  koers_key_store_lookup_async (store, account, NULL, koers_test_keep_result, &result);
  return koers_key_store_lookup_finish (store, koers_test_await (&result), error);
}

gboolean
koers_test_key_store_erase_sync (KoersKeyStore  *store,
                                 const char     *account,
                                 GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  koers_key_store_erase_async (store, account, NULL, koers_test_keep_result, &result);
  return koers_key_store_erase_finish (store, koers_test_await (&result), error);
}
