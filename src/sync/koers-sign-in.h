/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sign-in.h: signing in to the regional API (docs/api-protocol.md "Authentication"):
 * OAuth 2 authorization code with PKCE (S256) through the system browser, back to Koers
 * through its own URI scheme (the NL GOV profile forbids localhost redirects), then the code
 * traded for tokens. The refresh token goes straight into the key store; the access token
 * stays in memory. KoersStoredTokenSource is the KoersTokenSource the app syncs with.
 *
 * No GTK here: the app opens the browser with the URI this gives and hands the redirect it
 * receives (GApplication::open) back.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "sync/koers-key-store.h"
#include "sync/koers-token-source.h"

G_BEGIN_DECLS

#define KOERS_SIGN_IN_CLIENT_ID    "koers-desktop"
#define KOERS_SIGN_IN_REDIRECT_URI "nl.achterhoek.koers:/oauth/terug"
#define KOERS_SIGN_IN_URI_SCHEME   "nl.achterhoek.koers"

#define KOERS_SIGN_IN_ERROR (koers_sign_in_error_quark ())
GQuark koers_sign_in_error_quark (void);

typedef enum {
  KOERS_SIGN_IN_ERROR_INVALID_SERVER,  /* not an https URL (http only for loopback) */
  KOERS_SIGN_IN_ERROR_STATE_MISMATCH,  /* a redirect that does not belong to this attempt */
  KOERS_SIGN_IN_ERROR_DENIED,          /* the server answered error=... on the redirect */
  KOERS_SIGN_IN_ERROR_EXCHANGE,        /* the token endpoint refused the code */
  KOERS_SIGN_IN_ERROR_NETWORK,
} KoersSignInError;

/* What a successful sign-in yields. */
typedef struct {
  char   *access_token;
  char   *refresh_token;
  char   *device_id;        /* apparaat_id: the device the server registered */
  gint64  expires_in;       /* seconds */
} KoersTokenGrant;

void koers_token_grant_free (KoersTokenGrant *grant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTokenGrant, koers_token_grant_free)

#define KOERS_TYPE_SIGN_IN (koers_sign_in_get_type ())
G_DECLARE_FINAL_TYPE (KoersSignIn, koers_sign_in, KOERS, SIGN_IN, GObject)

/**
 * koers_sign_in_new:
 * @server_url: the API's base URL ("https://api.example.nl"; http only for 127.0.0.1,
 *   ::1 and localhost)
 * @device_name: (nullable): shown in the user's device list ("Koers op <host>")
 *
 * Makes a fresh PKCE verifier and state for one attempt.
 * Returns: (transfer full) (nullable): %NULL with KOERS_SIGN_IN_ERROR_INVALID_SERVER.
 */
KoersSignIn     *koers_sign_in_new                 (const char   *server_url,
                                                    const char   *device_name,
                                                    GError      **error);
const char      *koers_sign_in_get_server_url      (KoersSignIn  *self);
/* Checks and normalizes a server address as koers_sign_in_new() does (for a form field):
 * (transfer full) (nullable) the URL without a trailing slash, or NULL with
 * KOERS_SIGN_IN_ERROR_INVALID_SERVER naming the reason. */
char            *koers_sign_in_normalize_server_url (const char  *server_url,
                                                     GError     **error);
/* The authorization URL to open in the system browser. */
const char      *koers_sign_in_get_authorize_uri   (KoersSignIn  *self);
/* TRUE when @uri has the shape of a redirect to KOERS_SIGN_IN_REDIRECT_URI (any attempt's). */
gboolean         koers_sign_in_is_redirect         (const char   *uri);
/* TRUE when @uri is a redirect to KOERS_SIGN_IN_REDIRECT_URI carrying this attempt's state. */
gboolean         koers_sign_in_owns_redirect       (KoersSignIn  *self,
                                                    const char   *uri);
/* Checks the redirect (state, error) and trades its code at POST /oauth/token. */
void             koers_sign_in_complete_async      (KoersSignIn         *self,
                                                    SoupSession         *session,
                                                    const char          *redirect_uri,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* Returns: (transfer full) (nullable) */
KoersTokenGrant *koers_sign_in_complete_finish     (KoersSignIn   *self,
                                                    GAsyncResult  *result,
                                                    GError       **error);

/* The key store account under which a device's refresh token is kept. */
char            *koers_sign_in_account_for         (const char *server_url,
                                                    const char *device_id);

/*
 * KoersStoredTokenSource: the access token in memory, the refresh token only in the key
 * store. A refresh reads the refresh token from the key store, trades it (the server rotates
 * it) and saves the new one before the new access token is used; if the key store fails the
 * source signs out (fail closed) and the refresh fails with the key store's error.
 */
#define KOERS_TYPE_STORED_TOKEN_SOURCE (koers_stored_token_source_get_type ())
G_DECLARE_FINAL_TYPE (KoersStoredTokenSource, koers_stored_token_source, KOERS,
                      STORED_TOKEN_SOURCE, GObject)

/* @access_token (nullable): NULL after a restart; the first request then refreshes. */
KoersStoredTokenSource *koers_stored_token_source_new (KoersKeyStore *key_store,
                                                       const char    *account,
                                                       const char    *access_token);

/* Saves @grant's refresh token under koers_sign_in_account_for (server, device) and then
 * finishes with a token source holding the access token. */
void                    koers_stored_token_source_new_from_grant_async
                                                      (KoersKeyStore       *key_store,
                                                       const char          *server_url,
                                                       KoersTokenGrant     *grant,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* Returns: (transfer full) (nullable) */
KoersStoredTokenSource *koers_stored_token_source_new_from_grant_finish
                                                      (GAsyncResult  *result,
                                                       GError       **error);
/* (transfer none) the key store account the refresh token is kept under. */
const char             *koers_stored_token_source_get_account
                                                      (KoersStoredTokenSource *self);
/* Signing out: forgets the access token and erases the refresh token from the key store. */
void                    koers_stored_token_source_sign_out_async
                                                      (KoersStoredTokenSource *self,
                                                       GCancellable           *cancellable,
                                                       GAsyncReadyCallback     callback,
                                                       gpointer                user_data);
gboolean                koers_stored_token_source_sign_out_finish
                                                      (KoersStoredTokenSource *self,
                                                       GAsyncResult           *result,
                                                       GError                **error);

G_END_DECLS
