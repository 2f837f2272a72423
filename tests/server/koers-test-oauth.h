/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test fixture for koers-server's auth layer: a fresh database on one back end, the auth
 * object on a pinned clock, an organisation with a coach, and (for the HTTP cases) a loopback
 * SoupServer (fed by its own GSocketService, as KoersServer is, so no accepted socket leaks)
 * with the OAuth handlers and a SoupSession that never follows redirects. Requests run on the
 * test's own thread: each call spins the default main context until the answer.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "server/koers-server-auth.h"

G_BEGIN_DECLS

#define KOERS_TEST_PASSWORD "correct paard batterij"

typedef struct {
  KoersServerDb   *db;
  KoersServerAuth *auth;
  GDateTime       *now;           /* the pinned clock; move it with koers_test_oauth_advance */
  char            *organisation_id;
  char            *coach_id;      /* username "coach.een", password KOERS_TEST_PASSWORD */
  SoupServer      *server;        /* NULL until koers_test_oauth_listen */
  GSocketService  *service;       /* accepts for @server (see koers_test_oauth_listen) */
  SoupSession     *session;
  GUri            *base;
  const char      *forwarded_for; /* (nullable) sent as X-Forwarded-For with every request */
} KoersTestOAuth;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;    /* response headers (owned) */
  char               *body;       /* NUL-terminated copy of the body (owned) */
} KoersTestResponse;

void  koers_test_oauth_setup    (KoersTestOAuth *t,
                                 KoersServerDbBackend backend);
void  koers_test_oauth_teardown (KoersTestOAuth *t);
void  koers_test_oauth_listen   (KoersTestOAuth *t);
void  koers_test_oauth_advance  (KoersTestOAuth *t,
                                 gint64          seconds);
/* Adds a user to the fixture's organisation (transfer full id). */
char *koers_test_oauth_add_user (KoersTestOAuth *t,
                                 const char     *username,
                                 KoersServerRole role);

typedef struct _KoersTestCall KoersTestCall;

/* Sends a request without waiting (@content_type and @body nullable). */
KoersTestCall     *koers_test_oauth_start  (KoersTestOAuth *t,
                                            const char     *method,
                                            const char     *path_and_query,
                                            const char     *content_type,
                                            const char     *body);
gboolean           koers_test_call_is_done (KoersTestCall  *call);
/* Spins the main context until @call is answered (at most 20 s), frees it and returns the
 * response, or NULL with @error when the connection failed. */
KoersTestResponse *koers_test_call_finish  (KoersTestCall  *call,
                                            GError        **error);

/* Sends a request and waits for the answer, asserting the exchange worked. */
KoersTestResponse *koers_test_oauth_request (KoersTestOAuth *t,
                                             const char     *method,
                                             const char     *path_and_query,
                                             const char     *content_type,
                                             const char     *body);
void  koers_test_response_free (KoersTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestResponse, koers_test_response_free)

/* PKCE: (transfer full) a fresh verifier and its S256 challenge. */
char *koers_test_pkce_verifier  (void);
char *koers_test_pkce_challenge (const char *verifier);

/* (transfer full) "/oauth/autoriseren?..." with the usual valid parameters. */
char *koers_test_authorize_path (const char *challenge,
                                 const char *state);
/* (transfer full) a login form body; the other fields are the valid ones. All non-NULL. */
char *koers_test_login_form (const char *username,
                             const char *password,
                             const char *challenge,
                             const char *state);
/* POSTs the login form; the other fields are the valid ones. */
KoersTestResponse *koers_test_oauth_login (KoersTestOAuth *t,
                                           const char     *username,
                                           const char     *password,
                                           const char     *challenge,
                                           const char     *state);
/* Logs in and returns (transfer full) the code from the 303 Location, asserting success. */
char *koers_test_oauth_get_code (KoersTestOAuth *t,
                                 const char     *username,
                                 const char     *challenge);
/* POSTs to /oauth/token; @first_key, value pairs, NULL-terminated, form-encoded. */
KoersTestResponse *koers_test_oauth_token (KoersTestOAuth *t,
                                           const char     *first_key,
                                           ...) G_GNUC_NULL_TERMINATED;
/* Parses a JSON body, asserting an object. (transfer full) */
JsonObject *koers_test_response_json (KoersTestResponse *response);
/* (transfer full) the query of a Location header, decoded. */
GHashTable *koers_test_location_query (KoersTestResponse *response);

/* Asserts API-Version and the security headers on @response. */
void  koers_test_assert_common_headers (KoersTestResponse *response);

G_END_DECLS
