/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server/koers-server-password.h"

#include <string.h>
#include <sodium.h>

gboolean
koers_server_crypto_init (void)
{
  static gsize initialised = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&initialised))
    {
      /* 0: initialised now, 1: already initialised elsewhere in the process. */
      ok = sodium_init () >= 0;
      g_once_init_leave (&initialised, 1);
    }
  return ok;
}

char *
koers_server_password_hash (const char *password)
{
  char out[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);

  if (!koers_server_crypto_init ())
    return NULL;
  if (crypto_pwhash_str_alg (out, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  return g_strdup (out);
}

gboolean
koers_server_password_verify (const char *encoded_hash,
                              const char *password)
{
  char stored[crypto_pwhash_STRBYTES] = { 0 };

  g_return_val_if_fail (encoded_hash != NULL, FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (!koers_server_crypto_init ())
    return FALSE;
  /* libsodium reads the hash as a fixed-size NUL-terminated buffer: never hand it a string
   * from the database that could be longer. */
  if (strlen (encoded_hash) >= sizeof stored)
    return FALSE;
  memcpy (stored, encoded_hash, strlen (encoded_hash));
  return crypto_pwhash_str_verify (stored, password, strlen (password)) == 0;
}

gboolean
koers_server_password_needs_rehash (const char *encoded_hash)
{
  char stored[crypto_pwhash_STRBYTES] = { 0 };

  g_return_val_if_fail (encoded_hash != NULL, FALSE);

  if (!koers_server_crypto_init ())
    return FALSE;
  if (strlen (encoded_hash) >= sizeof stored)
    return TRUE;
  memcpy (stored, encoded_hash, strlen (encoded_hash));
  return crypto_pwhash_str_needs_rehash (stored, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}
