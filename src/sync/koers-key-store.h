/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-key-store.h: where secrets (the refresh token) live: the operating system's key store
 * and nowhere else (SYNC.md "Auth", RELIABILITY.md "Secrets"). One small interface with a
 * backend per platform: libsecret on Linux (which goes through the Secret portal inside a
 * Flatpak), the Credential Manager on Windows. There is no plaintext fallback: when the key
 * store cannot be reached every call fails with KOERS_KEY_STORE_ERROR_UNAVAILABLE and the
 * caller stays signed out ("fail closed").
 *
 * Secrets are keyed by an account string (Koers uses "<server url> <device id>"). The
 * functions are asynchronous because the backends talk to another process; callbacks run in
 * the thread-default main context of the caller.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define KOERS_KEY_STORE_ERROR (koers_key_store_error_quark ())
GQuark koers_key_store_error_quark (void);

typedef enum {
  KOERS_KEY_STORE_ERROR_UNAVAILABLE,  /* no key store running or reachable (locked, absent) */
  KOERS_KEY_STORE_ERROR_FAILED,       /* the key store refused or failed the operation */
} KoersKeyStoreError;

#define KOERS_TYPE_KEY_STORE (koers_key_store_get_type ())
G_DECLARE_INTERFACE (KoersKeyStore, koers_key_store, KOERS, KEY_STORE, GObject)

struct _KoersKeyStoreInterface
{
  GTypeInterface parent_iface;

  void      (*save_async)    (KoersKeyStore       *self,
                              const char          *account,
                              const char          *label,
                              const char          *secret,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*save_finish)   (KoersKeyStore       *self,
                              GAsyncResult        *result,
                              GError             **error);
  void      (*lookup_async)  (KoersKeyStore       *self,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  char     *(*lookup_finish) (KoersKeyStore       *self,
                              GAsyncResult        *result,
                              GError             **error);
  void      (*erase_async)   (KoersKeyStore       *self,
                              const char          *account,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
  gboolean  (*erase_finish)  (KoersKeyStore       *self,
                              GAsyncResult        *result,
                              GError             **error);
};

/**
 * koers_key_store_new_default:
 * Returns: (transfer full): the platform's key store (libsecret on Linux and in Flatpak,
 * Credential Manager on Windows). Creating it never fails; an unreachable store fails each
 * call with KOERS_KEY_STORE_ERROR_UNAVAILABLE.
 */
KoersKeyStore *koers_key_store_new_default   (void);

/* Saves (or replaces) the secret of @account; @label is what the user sees in their key
 * store manager ("Koers: aanmelding bij <server>"). */
void           koers_key_store_save_async    (KoersKeyStore       *self,
                                              const char          *account,
                                              const char          *label,
                                              const char          *secret,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       koers_key_store_save_finish   (KoersKeyStore       *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Finishes with (transfer full) the secret, or %NULL without an error when there is none. */
void           koers_key_store_lookup_async  (KoersKeyStore       *self,
                                              const char          *account,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
char          *koers_key_store_lookup_finish (KoersKeyStore       *self,
                                              GAsyncResult        *result,
                                              GError             **error);
/* Erasing a secret that is not there succeeds. */
void           koers_key_store_erase_async   (KoersKeyStore       *self,
                                              const char          *account,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean       koers_key_store_erase_finish  (KoersKeyStore       *self,
                                              GAsyncResult        *result,
                                              GError             **error);

G_END_DECLS
