/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Authentication and accounts of koers-server: the small OAuth 2 authorization server
 * (authorization code + PKCE S256, login page, Argon2id password hashes via libsodium,
 * failed-login back-off), bearer-token checks, devices, and the account administration behind
 * `koers-server admin`. Wire details: docs/api-protocol.md, "Authentication".
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "server/koers-server-caller.h"
#include "server/koers-server-db.h"

G_BEGIN_DECLS

#define KOERS_SERVER_AUTH_ERROR (koers_server_auth_error_quark ())

typedef enum {
  KOERS_SERVER_AUTH_ERROR_INVALID,       /* bad input (admin: names the field) */
  KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED,  /* 401: no, unknown, expired or revoked token */
  KOERS_SERVER_AUTH_ERROR_NOT_FOUND,     /* admin: no such organisation/user/device */
  KOERS_SERVER_AUTH_ERROR_EXISTS,        /* admin: the username is taken */
  KOERS_SERVER_AUTH_ERROR_UNAVAILABLE,   /* 503: storage trouble */
} KoersServerAuthError;

GQuark koers_server_auth_error_quark (void);

typedef struct _KoersServerAuth KoersServerAuth;

/* @db is borrowed and must outlive the auth object. */
KoersServerAuth   *koers_server_auth_new   (KoersServerDb   *db);
void               koers_server_auth_free  (KoersServerAuth *auth);

/* Adds /oauth/autoriseren (GET: login page; POST: form) and /oauth/token (POST) to @server.
 * These answer with the same API-Version and security headers as the API. The password check
 * of a login runs on a worker thread (Argon2id takes a few hundred milliseconds); the form is
 * paused meanwhile and answered on the main context the handler ran in, so other requests
 * keep flowing. koers_server_auth_free() waits for a check in progress. */
void               koers_server_auth_add_handlers (KoersServerAuth *auth,
                                                   SoupServer      *server);

/* Checks an "Authorization: Bearer ..." header value (nullable). Returns (transfer full) the
 * caller, with device_id set, or NULL with KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED. Marks the
 * device as seen. */
KoersServerCaller *koers_server_auth_check_bearer (KoersServerAuth *auth,
                                                   const char      *authorization,
                                                   GError         **error);

/* GET /v1/apparaten: (transfer full) {"items": [{"id", "naam", "gebruikerId",
 * "geregistreerdOp", "laatstGezienOp", "ingetrokkenOp"}], "volgendeCursor": null}: the
 * caller's own devices; an ondersteuner sees the organisation's. */
JsonNode          *koers_server_auth_list_devices (KoersServerAuth         *auth,
                                                   const KoersServerCaller *caller,
                                                   GError                 **error);
/* DELETE /v1/apparaten/{id}: revokes the device and all its tokens. Own devices, or any of
 * the organisation's for an ondersteuner; anything else is NOT_FOUND. */
gboolean           koers_server_auth_revoke_device (KoersServerAuth         *auth,
                                                    const KoersServerCaller *caller,
                                                    const char              *device_id,
                                                    GError                 **error);

/* Administration (koers-server admin, and test set-up). Each returns the new id (transfer
 * full) or NULL with an error naming the field. */
char    *koers_server_auth_add_organisation (KoersServerAuth *auth,
                                             const char      *name,
                                             GError         **error);
char    *koers_server_auth_add_user         (KoersServerAuth *auth,
                                             const char      *organisation_id,
                                             const char      *username,
                                             const char      *display_name,
                                             KoersServerRole  role,
                                             const char      *password,
                                             GError         **error);
/* koers-server admin: (transfer full) [{"id", "gebruikersnaam", "naam", "rol",
 * "uitgeschakeld", "aangemaaktOp"}] of @organisation_id, by username; NOT_FOUND when there is
 * no such organisation. */
JsonNode *koers_server_auth_list_users      (KoersServerAuth *auth,
                                             const char      *organisation_id,
                                             GError         **error);
/* A disabled user can no longer log in, and its tokens stop working (they come back if the
 * user is enabled again before they expire). NOT_FOUND for an unknown id. */
gboolean koers_server_auth_set_user_disabled (KoersServerAuth *auth,
                                              const char      *user_id,
                                              gboolean         disabled,
                                              GError         **error);
/* koers-server admin: revokes any device and all its tokens; NOT_FOUND when unknown. */
gboolean koers_server_auth_admin_revoke_device (KoersServerAuth *auth,
                                                const char      *device_id,
                                                GError         **error);
/* Registers a device for @user_id and issues tokens without the browser flow (tests and the
 * benchmark): *out_access and *out_refresh (transfer full); returns the device id. */
char    *koers_server_auth_issue_tokens     (KoersServerAuth *auth,
                                             const char      *user_id,
                                             const char      *device_name,
                                             char           **out_access,
                                             char           **out_refresh,
                                             GError         **error);
/* Behind a reverse proxy every login comes from the proxy's address, so the per-address
 * back-off would lock everyone out at once. Requests whose peer is one of @addresses (exact
 * text, e.g. "127.0.0.1", "::1") count against the client named in X-Forwarded-For: its
 * rightmost entry that is not itself a trusted proxy. NULL or empty (the default): the header
 * is ignored, since anyone can send it. */
void     koers_server_auth_set_trusted_proxies (KoersServerAuth    *auth,
                                                const char * const *addresses);
/* Lets tests and the benchmark move time forward (token expiry, back-off) without sleeping.
 * NULL restores the real clock. */
void     koers_server_auth_set_clock        (KoersServerAuth *auth,
                                             GDateTime *    (*now) (gpointer user_data),
                                             gpointer         user_data);

G_END_DECLS
