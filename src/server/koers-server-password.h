/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Password hashes of koers-server accounts: Argon2id through libsodium, with the
 * "interactive" cost (64 MiB and two passes: 0.1-0.4 s per hash on the 2-core machines a
 * region runs this on), which is what an interactive login can afford. The login form runs
 * verification on a worker thread (koers-server-auth-verify.c).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Initialises libsodium once per process; FALSE when it cannot (no usable random source). */
gboolean  koers_server_crypto_init       (void);

/* Returns (transfer full) the encoded Argon2id hash of @password ("$argon2id$v=19$..."), or
 * NULL when libsodium cannot allocate the memory the hash needs. */
char     *koers_server_password_hash     (const char *password);
/* TRUE when @password matches @encoded_hash. Costs the same as hashing. */
gboolean  koers_server_password_verify   (const char *encoded_hash,
                                          const char *password);
/* TRUE when @encoded_hash was made with other parameters than the current ones, so a login
 * that just verified it should store a new hash. */
gboolean  koers_server_password_needs_rehash (const char *encoded_hash);

G_END_DECLS
