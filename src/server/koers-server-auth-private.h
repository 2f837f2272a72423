/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the parts of the auth layer share: the object itself, the clock, token material and
 * the OAuth grants (koers-server-auth-tokens.c), the failed-login back-off
 * (koers-server-auth-backoff.c), the login page (koers-server-auth-page.c) and the HTTP
 * handlers (koers-server-auth-oauth.c).
 */
#pragma once

#include <libsoup/soup.h>

#include "server/koers-server-auth.h"

G_BEGIN_DECLS

/* Lifetimes from docs/api-protocol.md, "Authentication". */
#define KOERS_AUTH_CODE_SECONDS     60
#define KOERS_AUTH_ACCESS_SECONDS   (15 * 60)
#define KOERS_AUTH_REFRESH_SECONDS  (30 * 24 * 60 * 60)
/* A device's last_seen_at is written at most this often, so authorised GETs stay reads. */
#define KOERS_AUTH_SEEN_SECONDS     60

#define KOERS_AUTH_CLIENT_ID        "koers-desktop"
#define KOERS_AUTH_REDIRECT_URI     "nl.achterhoek.koers:/oauth/terug"
#define KOERS_AUTH_DEFAULT_DEVICE   "Koers"
/* Form bodies of the two OAuth endpoints: a login form is a few hundred bytes. */
#define KOERS_AUTH_MAX_FORM_BYTES   (16 * 1024)

/* Failed logins allowed within the back-off window before a wait (docs/api-protocol.md):
 * per username few, per client address many, since one office behind NAT shares an address
 * and one colleague's typos must not lock the others out. */
#define KOERS_AUTH_FREE_FAILURES_USER     5
#define KOERS_AUTH_FREE_FAILURES_ADDRESS  50
/* Retry-After while the attempts already under way could use up the free failures. */
#define KOERS_AUTH_IN_FLIGHT_WAIT         5

typedef struct _KoersAuthAlive KoersAuthAlive;

/* Called on the password worker thread with the encoded hash about to be checked. Tests use it
 * to see which parameters a check used and to hold a check while they look at the server. */
typedef void (*KoersAuthVerifyHook) (const char *encoded_hash,
                                     gpointer    user_data);

struct _KoersServerAuth {
  KoersServerDb  *db;
  GDateTime    *(*now) (gpointer user_data);
  gpointer        now_data;
  /* Reverse proxies whose X-Forwarded-For is believed (NULL: none). */
  GStrv           trusted_proxies;
  /* Password checks off the main loop (koers-server-auth-verify.c). */
  GThreadPool    *verify_pool;
  guint           verify_queued;
  KoersAuthAlive *alive;
  /* Back-off key -> number of its login attempts whose password check is under way
   * (GUINT_TO_POINTER), so parallel attempts cannot all pass the back-off check. */
  GHashTable     *logins_in_flight;
  /* Tests only (koers_server_auth_set_verify_hook): runs on the worker before each check. */
  KoersAuthVerifyHook verify_hook;
  gpointer            verify_hook_data;
};

/* Time: (transfer full) the pinned or real time, in UTC. */
GDateTime *koers_server_auth_now          (KoersServerAuth *auth);
/* (transfer full) "YYYY-MM-DDTHH:MM:SSZ" of now + @offset_seconds: the sortable text form the
 * schema stores, so "expired" is a text comparison. */
char      *koers_server_auth_timestamp    (KoersServerAuth *auth,
                                           gint64           offset_seconds);
char      *koers_server_auth_format_time  (GDateTime       *time);

/* Turns a storage error into KOERS_SERVER_AUTH_ERROR_UNAVAILABLE (logged without values). */
void       koers_server_auth_storage_error (GError  **error,
                                            GError   *db_error);
/* Runs one statement on the auth database; a failure becomes the storage error above. */
gboolean   koers_server_auth_exec         (KoersServerAuth     *auth,
                                           const char          *sql,
                                           const KoersSqlValue *params,
                                           guint                n_params,
                                           guint64             *out_changes,
                                           GError             **error);
/* Runs one query on the auth database: (transfer full) its rows, or NULL with the storage
 * error above. */
KoersSqlRows *koers_server_auth_query     (KoersServerAuth     *auth,
                                           const char          *sql,
                                           const KoersSqlValue *params,
                                           guint                n_params,
                                           GError             **error);

/* Token material (koers-server-auth-tokens.c). */
char      *koers_server_auth_random_token (void);
char      *koers_server_auth_hash_token   (const char *token);
gboolean   koers_server_auth_is_token_shaped (const char *token);
gboolean   koers_server_auth_pkce_matches (const char *verifier,
                                           const char *challenge);
gboolean   koers_server_auth_is_valid_verifier  (const char *verifier);
gboolean   koers_server_auth_is_valid_challenge (const char *challenge);

typedef struct {
  char *access_token;
  char *refresh_token;
  char *device_id;
} KoersAuthTokenPair;

void       koers_auth_token_pair_clear    (KoersAuthTokenPair *pair);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersAuthTokenPair, koers_auth_token_pair_clear)

/* Inside an open transaction: inserts an access and a refresh token of @family_id. */
gboolean   koers_server_auth_insert_pair  (KoersServerAuth    *auth,
                                           const char         *user_id,
                                           const char         *device_id,
                                           const char         *family_id,
                                           KoersAuthTokenPair *pair,
                                           GError            **error);

/* Authorization codes. Returns (transfer full) the code handed to the browser. */
char      *koers_server_auth_create_code  (KoersServerAuth *auth,
                                           const char      *user_id,
                                           const char      *redirect_uri,
                                           const char      *code_challenge,
                                           const char      *device_name,
                                           GError         **error);

/* The two grants of POST /oauth/token. Errors: KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED for
 * invalid_grant, _UNAVAILABLE for storage trouble. Client id and redirect URI were checked
 * by the caller. */
gboolean   koers_server_auth_exchange_code (KoersServerAuth    *auth,
                                            const char         *code,
                                            const char         *code_verifier,
                                            KoersAuthTokenPair *out_pair,
                                            GError            **error);
gboolean   koers_server_auth_refresh      (KoersServerAuth    *auth,
                                           const char         *refresh_token,
                                           KoersAuthTokenPair *out_pair,
                                           GError            **error);

/* Failed-login back-off (koers-server-auth-backoff.c). @username is NULL when it cannot be a
 * username at all (only the address counts then). backoff_wait: seconds to wait before an
 * attempt may be checked, counting the attempts in flight as failures. An attempt that
 * passes is marked in flight (backoff_begin) until its outcome is counted (backoff_end, then
 * backoff_fail or backoff_reset). */
gint64     koers_server_auth_backoff_wait (KoersServerAuth *auth,
                                           const char      *username,
                                           const char      *address);
void       koers_server_auth_backoff_begin (KoersServerAuth *auth,
                                            const char      *username,
                                            const char      *address);
void       koers_server_auth_backoff_end  (KoersServerAuth *auth,
                                           const char      *username,
                                           const char      *address);
void       koers_server_auth_backoff_fail (KoersServerAuth *auth,
                                           const char      *username,
                                           const char      *address);
void       koers_server_auth_backoff_reset (KoersServerAuth *auth,
                                            const char      *username,
                                            const char      *address);

/* Password check for the login form: looks the user up now, verifies the password on a worker
 * thread, then calls @done on the calling thread's main context with the user id, or NULL
 * when the name is unknown, the password wrong or the account disabled (one Argon2id
 * verification whatever the outcome). @destroy (nullable) frees @user_data afterwards, also
 * when the auth object went away first and @done is never called. FALSE (nothing called)
 * with KOERS_SERVER_AUTH_ERROR_UNAVAILABLE when storage fails or too many checks queue. */
typedef void (*KoersAuthVerified) (KoersServerAuth *auth,
                                   const char      *user_id,
                                   gpointer         user_data);

gboolean   koers_server_auth_verify_password_async (KoersServerAuth   *auth,
                                                    const char        *username,
                                                    const char        *password,
                                                    KoersAuthVerified  done,
                                                    gpointer           user_data,
                                                    GDestroyNotify     destroy,
                                                    GError           **error);
void       koers_server_auth_stop_verifying (KoersServerAuth *auth);
/* Tests only: @hook (nullable) runs on the worker thread before every password check. */
void       koers_server_auth_set_verify_hook (KoersServerAuth     *auth,
                                              KoersAuthVerifyHook  hook,
                                              gpointer             user_data);
gboolean   koers_server_auth_is_valid_username (const char *username);
/* Returns (transfer full) @text normalised to NFC, or NULL with *out_reason (transfer full)
 * when it is not a 1-200 character single line. */
char      *koers_server_auth_check_name   (const char  *text,
                                           char       **out_reason);

/* Login page (koers-server-auth-page.c). */
typedef struct {
  const char *client_id;
  const char *redirect_uri;
  const char *state;
  const char *code_challenge;
  const char *device_name;
  const char *username;      /* (nullable): typed before, shown again after a failure */
} KoersAuthLoginForm;

char      *koers_server_auth_render_login (const KoersAuthLoginForm *form,
                                           const char               *message);
char      *koers_server_auth_render_error_page (const char *title,
                                                const char *message);

/* (transfer full) the address a login attempt counts against: the peer, or behind a trusted
 * proxy the client it names. */
char      *koers_server_auth_client_address (KoersServerAuth   *auth,
                                             SoupServerMessage *msg);

/* Responses (koers-server-auth-http.c). Every one carries the API's headers; @login_page
 * relaxes the CSP for the form. respond_html takes @html over. */
void       koers_server_auth_set_headers  (SoupServerMessage *msg,
                                           gboolean           login_page);
void       koers_auth_respond_html (SoupServerMessage *msg,
                                    guint              status,
                                    char              *html);
void       koers_auth_respond_error_page (SoupServerMessage *msg,
                                          guint              status,
                                          const char        *message);
void       koers_auth_respond_json (SoupServerMessage *msg,
                                    guint              status,
                                    const char        *content_type,
                                    JsonNode          *node);
void       koers_auth_respond_not_found (SoupServerMessage *msg);
/* RFC 6749 5.2 error body. */
void       koers_auth_respond_oauth_error (SoupServerMessage *msg,
                                           guint              status,
                                           const char        *code,
                                           const char        *description);
/* Reads an application/x-www-form-urlencoded body of at most 16 KiB; NULL after answering
 * with an error (an HTML page when @html, else RFC 6749 JSON). */
GHashTable *koers_auth_read_form (SoupServerMessage *msg,
                                  gboolean           html);

G_END_DECLS
