/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test-only key stores (never in src/): KoersTestKeyStore keeps secrets in a hash table and
 * can be told to fail chosen operations, for the sign-in, token source and sync service tests
 * where the system keyring is not the point. Safe to call from another thread (the sync
 * service's); peek() returns a pointer that is valid only while nothing else writes. Plus blocking wrappers around any KoersKeyStore that spin
 * the default main context (at most 30 s, then the test fails).
 */
#pragma once

#include "sync/koers-key-store.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_TEST_KEY_STORE_SAVE   = 1 << 0,
  KOERS_TEST_KEY_STORE_LOOKUP = 1 << 1,
  KOERS_TEST_KEY_STORE_ERASE  = 1 << 2,
  KOERS_TEST_KEY_STORE_ALL    = (1 << 3) - 1,
} KoersTestKeyStoreOps;

#define KOERS_TYPE_TEST_KEY_STORE (koers_test_key_store_get_type ())
G_DECLARE_FINAL_TYPE (KoersTestKeyStore, koers_test_key_store, KOERS, TEST_KEY_STORE, GObject)

KoersTestKeyStore *koers_test_key_store_new        (void);
/* From now on @ops fail with KOERS_KEY_STORE_ERROR @code (0 for none). */
void               koers_test_key_store_fail       (KoersTestKeyStore    *self,
                                                    KoersTestKeyStoreOps  ops,
                                                    KoersKeyStoreError    code);
/* Sets a secret directly, bypassing any failure. */
void               koers_test_key_store_put        (KoersTestKeyStore    *self,
                                                    const char           *account,
                                                    const char           *secret);
/* (transfer none) (nullable) the secret of @account as stored now. */
const char        *koers_test_key_store_peek       (KoersTestKeyStore    *self,
                                                    const char           *account);
/* (transfer none) (nullable) its label. */
const char        *koers_test_key_store_peek_label (KoersTestKeyStore    *self,
                                                    const char           *account);
guint              koers_test_key_store_count      (KoersTestKeyStore    *self);
/* Successful saves so far. */
guint              koers_test_key_store_n_saves    (KoersTestKeyStore    *self);

/* Blocking forms of the interface, for any key store. */
gboolean koers_test_key_store_save_sync   (KoersKeyStore  *store,
                                           const char     *account,
                                           const char     *label,
                                           const char     *secret,
                                           GError        **error);
char    *koers_test_key_store_lookup_sync (KoersKeyStore  *store,
                                           const char     *account,
                                           GError        **error);
gboolean koers_test_key_store_erase_sync  (KoersKeyStore  *store,
                                           const char     *account,
                                           GError        **error);

/* Spins the default main context until *@slot is set (at most 30 s). */
GAsyncResult *koers_test_await (GAsyncResult **slot);
/* A GAsyncReadyCallback that stores a reference to the result in *@user_data. */
void          koers_test_keep_result (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data);

G_END_DECLS
