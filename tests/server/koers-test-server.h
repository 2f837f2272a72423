/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Test fixture for koers-server over HTTP: a KoersServer on 127.0.0.1 (random port) over a
 * fresh database of one back end, two organisations with a user of every role (two coaches
 * in organisation A so "a colleague's record" exists), each with a device and tokens, and a
 * SoupSession client. Requests run on the test's own thread: each call spins the default main
 * context until the answer is in.
 *
 * Every response that passes through koers_test_server_request() is checked against
 * data/api/openapi.json (koers-spec-check) and the protocol's header rules; a mismatch fails
 * the test with the check's message.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "server/koers-server.h"

#include "koers-spec-check.h"

G_BEGIN_DECLS

typedef enum {
  KOERS_TEST_A_COACH,          /* organisation A, coach: "own" records are this coach's */
  KOERS_TEST_A_COLLEAGUE,      /* organisation A, another coach */
  KOERS_TEST_A_ONDERSTEUNER,
  KOERS_TEST_A_MANAGER,        /* programmamanager */
  KOERS_TEST_B_COACH,          /* organisation B */
  KOERS_TEST_B_ONDERSTEUNER,
  KOERS_TEST_N_USERS
} KoersTestUserId;

typedef struct {
  char              *user_id;
  char              *device_id;
  char              *access_token;
  char              *refresh_token;
  KoersServerCaller *caller;     /* as the auth layer makes it from the token */
} KoersTestUser;

typedef struct {
  KoersServerDbBackend  backend;
  char                 *location;
  KoersServerDb        *db;
  KoersServer          *server;
  guint                 port;
  SoupSession          *session;
  KoersSpecCheck       *check;
  char                 *organisation_a;
  char                 *organisation_b;
  KoersTestUser         users[KOERS_TEST_N_USERS];
} KoersTestServer;

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;   /* response headers (owned) */
  GBytes             *body;      /* (owned) never NULL, maybe empty */
  JsonNode           *json;      /* (owned) the parsed body when it is JSON, else NULL */
} KoersTestReply;

KoersTestServer *koers_test_server_new   (KoersServerDbBackend backend);
/* @reader_threads: the server's reader-threads, or -1 for its default. */
KoersTestServer *koers_test_server_new_full (KoersServerDbBackend backend,
                                             int                  reader_threads);
void             koers_test_server_free  (KoersTestServer     *fixture);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestServer, koers_test_server_free)

/* (transfer none) the access token of @user, for a request's @token. */
const char      *koers_test_server_token (KoersTestServer     *fixture,
                                          KoersTestUserId      user);

/* One request. @token nullable (no Authorization header); @json_body nullable (else sent as
 * application/json). @out_status and @out_headers nullable; *out_headers is (transfer full).
 * Returns (transfer full, nullable) the parsed JSON body. The response is checked against the
 * specification and the header rules. */
JsonNode        *koers_test_server_request (KoersTestServer     *fixture,
                                            const char          *method,
                                            const char          *path,
                                            const char          *token,
                                            const char          *json_body,
                                            guint               *out_status,
                                            SoupMessageHeaders **out_headers);

/* The full form: extra request headers (@extra: "Name: value" lines, nullable), any content
 * type (nullable: application/json when @body is set), raw body bytes. */
KoersTestReply  *koers_test_server_send    (KoersTestServer     *fixture,
                                            const char          *method,
                                            const char          *path,
                                            const char          *token,
                                            const char * const  *extra,
                                            const char          *content_type,
                                            GBytes              *body);
void             koers_test_reply_free     (KoersTestReply      *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestReply, koers_test_reply_free)

/* Checks a response the test got another way (a raw socket) against the spec and rules. */
void             koers_test_server_check   (KoersTestServer     *fixture,
                                            const char          *method,
                                            const char          *path,
                                            guint                status,
                                            SoupMessageHeaders  *headers,
                                            GBytes              *body);

/* Spins the default main context for @ms milliseconds (lets the server work meanwhile). */
void             koers_test_server_spin    (guint                ms);

/* Creates a participant through the engine as @creator with coachId @coach_id; returns
 * (transfer full) its id. Registers its name with the checker as personal data. */
char            *koers_test_server_add_participant (KoersTestServer *fixture,
                                                    KoersTestUserId  creator,
                                                    const char      *coach_id,
                                                    const char      *name);
/* Creates a child record of @entity under @participant_id through the engine; (transfer full)
 * its id. */
char            *koers_test_server_add_child       (KoersTestServer *fixture,
                                                    KoersTestUserId  creator,
                                                    const char      *entity,
                                                    const char      *participant_id);
/* The current version of a record, read through the engine as @reader (0 if not visible). */
gint64           koers_test_server_version         (KoersTestServer *fixture,
                                                    KoersTestUserId  reader,
                                                    const char      *entity,
                                                    const char      *id);

/* (transfer none) @node's object; fails the test when @node is not one. */
JsonObject      *koers_test_object_of              (JsonNode        *node);
/* The problem+json type slug of @node, e.g. "niet-gevonden". */
const char      *koers_test_problem_slug           (JsonNode        *node);

G_END_DECLS
