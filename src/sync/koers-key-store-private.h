/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The key store's platform backends, chosen by koers_key_store_new_default(); only one of
 * them is compiled (src/sync/meson.build).
 */
#pragma once

#include "sync/koers-key-store.h"

G_BEGIN_DECLS

#ifdef G_OS_WIN32
/* Windows Credential Manager: generic credentials named "Koers/<account>". */
#define KOERS_TYPE_KEY_STORE_WINDOWS (koers_key_store_windows_get_type ())
G_DECLARE_FINAL_TYPE (KoersKeyStoreWindows, koers_key_store_windows, KOERS, KEY_STORE_WINDOWS,
                      GObject)

KoersKeyStore *koers_key_store_windows_new (void);
#else
/* libsecret: the Secret Service over D-Bus, or the Secret portal inside a Flatpak. */
#define KOERS_KEY_STORE_SECRET_SCHEMA "nl.achterhoek.Koers.Token"
#define KOERS_TYPE_KEY_STORE_SECRET (koers_key_store_secret_get_type ())
G_DECLARE_FINAL_TYPE (KoersKeyStoreSecret, koers_key_store_secret, KOERS, KEY_STORE_SECRET,
                      GObject)

KoersKeyStore *koers_key_store_secret_new (void);
#endif

/* Overwrites a secret's bytes before freeing it (tokens, PKCE verifier). NULL is fine. */
void koers_secret_free (char *secret);

/* The *_finish methods of a backend whose *_async methods return through a GTask with the
 * store as its source object (both backends do): save and erase finish with a boolean,
 * lookup with the secret (transfer full, nullable). */
gboolean koers_key_store_task_finish_boolean (KoersKeyStore  *store,
                                              GAsyncResult   *result,
                                              GError        **error);
char    *koers_key_store_task_finish_secret  (KoersKeyStore  *store,
                                              GAsyncResult   *result,
                                              GError        **error);

G_END_DECLS
