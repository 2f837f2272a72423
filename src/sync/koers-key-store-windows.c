/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "sync/koers-key-store-private.h"

#include <string.h>
#include <windows.h>
#include <wincred.h>

/* The Windows backend: generic credentials in the user's Credential Manager, named
 * "Koers/<account>", the secret as its UTF-8 bytes. The Cred* calls block, so each runs in a
 * GTask worker thread; the callback comes back in the caller's main context. */

struct _KoersKeyStoreWindows
{
  GObject parent_instance;
};

static void koers_key_store_windows_iface_init (KoersKeyStoreInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (KoersKeyStoreWindows, koers_key_store_windows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (KOERS_TYPE_KEY_STORE,
                                                      koers_key_store_windows_iface_init))

typedef struct {
  char *account;
  char *label;
  char *secret;
} Request;

static void
request_free (gpointer data)
{
  Request *request = data;

  g_free (request->account);
  g_free (request->label);
  koers_secret_free (request->secret);
  g_free (request);
}

static GTask *
new_task (KoersKeyStore       *store,
          gpointer             source_tag,
          const char          *account,
          const char          *label,
          const char          *secret,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (store, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  request->account = g_strdup (account);
  request->label = g_strdup (label);
  request->secret = g_strdup (secret);
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, request, request_free);
  return task;
}

static gunichar2 *
target_name (const char *account,
             GError    **error)
{
  g_autofree char *target = g_strconcat ("Koers/", account, NULL);

  return g_utf8_to_utf16 (target, -1, NULL, NULL, error);
}

/* No credential store in this logon session (a service account, a stripped-down system) is
 * UNAVAILABLE; anything else the store refused is FAILED. */
static void
return_win32_error (GTask *task,
                    DWORD  code)
{
  g_autofree char *message = g_win32_error_message ((gint) code);

  if (code == ERROR_NO_SUCH_LOGON_SESSION)
    g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_UNAVAILABLE,
                             _("The system key store is not available: %s"), message);
  else
    g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED,
                             _("The system key store failed: %s"), message);
}

static void
return_bad_account (GTask  *task,
                    GError *error)
{
  g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED,
                           _("The system key store failed: %s"), error->message);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree gunichar2 *target = target_name (request->account, &error);
  g_autofree gunichar2 *comment = NULL;
  CREDENTIALW credential;
  gsize length = strlen (request->secret);

  (void) source_object;
  if (target == NULL)
    {
      return_bad_account (task, error);
      return;
    }
  if (length > CRED_MAX_CREDENTIAL_BLOB_SIZE)
    {
      g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED,
                               _("The secret is too long for the system key store"));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  comment = g_utf8_to_utf16 (request->label, -1, NULL, NULL, NULL);

  memset (&credential, 0, sizeof credential);
  credential.Type = CRED_TYPE_GENERIC;
  credential.TargetName = (LPWSTR) target;
  credential.Comment = (LPWSTR) comment;
  credential.CredentialBlobSize = (DWORD) length;
  credential.CredentialBlob = (LPBYTE) request->secret;
  /* Stays on this computer for this user: no roaming profile copies it elsewhere. */
  credential.Persist = CRED_PERSIST_LOCAL_MACHINE;
  /* CredWriteW replaces a credential with the same target name and type. */
  if (!CredWriteW (&credential, 0))
    {
      return_win32_error (task, GetLastError ());
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
lookup_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree gunichar2 *target = target_name (request->account, &error);
  PCREDENTIALW credential = NULL;
  char *secret;

  (void) source_object;
  if (target == NULL)
    {
      return_bad_account (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!CredReadW ((LPCWSTR) target, CRED_TYPE_GENERIC, 0, &credential))
    {
      DWORD code = GetLastError ();

      if (code == ERROR_NOT_FOUND)
        g_task_return_pointer (task, NULL, NULL);
      else
        return_win32_error (task, code);
      return;
    }
  /* Written by Koers as UTF-8 without a NUL; anything else is not a token of ours. */
  if (credential->CredentialBlobSize == 0
      || memchr (credential->CredentialBlob, '\0', credential->CredentialBlobSize) != NULL
      || !g_utf8_validate ((const char *) credential->CredentialBlob,
                           (gssize) credential->CredentialBlobSize, NULL))
    {
      CredFree (credential);
      g_task_return_new_error (task, KOERS_KEY_STORE_ERROR, KOERS_KEY_STORE_ERROR_FAILED,
                               _("The system key store holds an unreadable secret"));
      return;
    }
  secret = g_strndup ((const char *) credential->CredentialBlob,
                      credential->CredentialBlobSize);
  SecureZeroMemory (credential->CredentialBlob, credential->CredentialBlobSize);
  CredFree (credential);
  g_task_return_pointer (task, secret, (GDestroyNotify) koers_secret_free);
}

static void
erase_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Request *request = task_data;
  g_autoptr(GError) error = NULL;
  g_autofree gunichar2 *target = target_name (request->account, &error);

  (void) source_object;
  if (target == NULL)
    {
      return_bad_account (task, error);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  if (!CredDeleteW ((LPCWSTR) target, CRED_TYPE_GENERIC, 0))
    {
      DWORD code = GetLastError ();

      /* Nothing to erase is the wanted end state. */
      if (code != ERROR_NOT_FOUND)
        {
          return_win32_error (task, code);
          return;
        }
    }
  g_task_return_boolean (task, TRUE);
}

static void
windows_save_async (KoersKeyStore       *store,
                    const char          *account,
                    const char          *label,
                    const char          *secret,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (store, windows_save_async, account, label, secret,
                                    cancellable, callback, user_data);

  g_task_run_in_thread (task, save_thread);
}

static void
windows_lookup_async (KoersKeyStore       *store,
                      const char          *account,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (store, windows_lookup_async, account, NULL, NULL,
                                    cancellable, callback, user_data);

  g_task_run_in_thread (task, lookup_thread);
}

static void
windows_erase_async (KoersKeyStore       *store,
                     const char          *account,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = new_task (store, windows_erase_async, account, NULL, NULL,
                                    cancellable, callback, user_data);

  g_task_run_in_thread (task, erase_thread);
}

static void
koers_key_store_windows_iface_init (KoersKeyStoreInterface *iface)
{
  iface->save_async = windows_save_async;
  iface->save_finish = koers_key_store_task_finish_boolean;
  iface->lookup_async = windows_lookup_async;
  iface->lookup_finish = koers_key_store_task_finish_secret;
  iface->erase_async = windows_erase_async;
  iface->erase_finish = koers_key_store_task_finish_boolean;
}

static void
koers_key_store_windows_class_init (KoersKeyStoreWindowsClass *klass)
{
  (void) klass;
}

static void
koers_key_store_windows_init (KoersKeyStoreWindows *self)
{
  (void) self;
}

KoersKeyStore *
koers_key_store_windows_new (void)
{
  return g_object_new (KOERS_TYPE_KEY_STORE_WINDOWS, NULL);
}
