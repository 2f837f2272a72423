/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-token-source.h: where the sync client gets its bearer token, and how it asks for a
 * fresh one after a 401. The app's implementation is KoersStoredTokenSource
 * (sync/koers-sign-in.h: the refresh token in the OS key store); KoersMemoryTokenSource holds
 * both tokens in memory (tests, `koers-cli sync`).
 *
 * Tokens never go to the database, a log or the command line.
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define KOERS_TYPE_TOKEN_SOURCE (koers_token_source_get_type ())
G_DECLARE_INTERFACE (KoersTokenSource, koers_token_source, KOERS, TOKEN_SOURCE, GObject)

struct _KoersTokenSourceInterface
{
  GTypeInterface parent_iface;

  char     *(*dup_access_token) (KoersTokenSource    *self);
  void      (*refresh_async)    (KoersTokenSource    *self,
                                 SoupSession         *session,
                                 const char          *server_url,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data);
  gboolean  (*refresh_finish)   (KoersTokenSource    *self,
                                 GAsyncResult        *result,
                                 GError             **error);
};

/* (transfer full) (nullable): the current access token; NULL when signed out. */
char     *koers_token_source_dup_access_token (KoersTokenSource    *self);
/* Trades the refresh token for a new pair (POST /oauth/token, grant_type=refresh_token) over
 * @session against @server_url (no trailing slash). */
void      koers_token_source_refresh_async    (KoersTokenSource    *self,
                                               SoupSession         *session,
                                               const char          *server_url,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean  koers_token_source_refresh_finish   (KoersTokenSource    *self,
                                               GAsyncResult        *result,
                                               GError             **error);

#define KOERS_TYPE_MEMORY_TOKEN_SOURCE (koers_memory_token_source_get_type ())
G_DECLARE_FINAL_TYPE (KoersMemoryTokenSource, koers_memory_token_source, KOERS,
                      MEMORY_TOKEN_SOURCE, GObject)

/* @refresh_token (nullable): without one, a refresh fails and the user must sign in. */
KoersMemoryTokenSource *koers_memory_token_source_new (const char *access_token,
                                                       const char *refresh_token);
/* Replaces the access token (tests: expire it on purpose). */
void        koers_memory_token_source_set_access_token (KoersMemoryTokenSource *self,
                                                        const char             *token);
/* (transfer none) (nullable) */
const char *koers_memory_token_source_get_refresh_token (KoersMemoryTokenSource *self);
guint       koers_memory_token_source_get_n_refreshes (KoersMemoryTokenSource *self);

G_END_DECLS
