/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The token endpoint as the token sources and the sign-in share it: one POST of a form to
 * <server>/oauth/token, the answer read as untrusted input (a small size cap on the decoded
 * stream, the depth check, type-checking accessors, token characters checked before a token
 * can reach an Authorization header). Nothing here logs a request or an answer.
 */
#pragma once

#include <libsoup/soup.h>

#include "sync/koers-sign-in.h"

G_BEGIN_DECLS

/* A token answer is a few hundred bytes; anything near this is not one. */
#define KOERS_TOKEN_RESPONSE_LIMIT (64 * 1024)

/*
 * POSTs @form (application/x-www-form-urlencoded, copied) to @server_url + "/oauth/token"
 * without following redirects. Fails with KOERS_SYNC_ERROR: NETWORK (not reached), RETRY
 * (429/503), AUTH (refused; the OAuth error code in the message), RESPONSE (malformed, or
 * access_token/refresh_token missing or not token characters, or apparaat_id present and not
 * a UUID); G_IO_ERROR_CANCELLED when cancelled.
 */
void             koers_token_request_async  (SoupSession         *session,
                                             const char          *server_url,
                                             const char          *form,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
/* Returns: (transfer full) (nullable). @out_status (nullable): the HTTP status, 0 when no
 * answer came. */
KoersTokenGrant *koers_token_request_finish (GAsyncResult        *result,
                                             guint               *out_status,
                                             GError             **error);

G_END_DECLS
