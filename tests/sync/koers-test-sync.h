/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Sync test fixture: devices ("peers"), each a local Koers database with the sync schema and a
 * KoersSyncClient signed in as one of the server fixture's users, talking to the in-process
 * koers-server (tests/server/koers-test-server.h) over loopback; and the oracle that checks
 * the five invariants of SYNC.md at the end of every scenario.
 */
#pragma once

#include "koers-test-server.h"

#include "storage/koers-database.h"
#include "sync/koers-sync-client.h"

G_BEGIN_DECLS

typedef struct {
  KoersTestServer        *server;
  KoersTestUserId         user;
  char                   *path;
  KoersDatabase          *db;
  KoersMemoryTokenSource *tokens;
  KoersSyncClient        *client;
} KoersTestPeer;

/* A value someone typed: it must survive somewhere visible (invariant 2). */
typedef struct {
  char     *entity;
  char     *id;
  char     *field;      /* wire name */
  JsonNode *value;
} KoersTestTyped;

typedef struct {
  KoersTestServer *server;
  GPtrArray       *peers;    /* (element-type KoersTestPeer) */
  GPtrArray       *typed;    /* (element-type KoersTestTyped) */
} KoersTestSync;

KoersTestSync *koers_test_sync_new  (KoersServerDbBackend backend);
void           koers_test_sync_free (KoersTestSync *sync);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersTestSync, koers_test_sync_free)

/* A new device for @user: fresh database, schema, capture on, a client with the user's tokens
 * (a second device of the same user gets a device of its own). (transfer none) */
KoersTestPeer *koers_test_sync_add_peer (KoersTestSync *sync, KoersTestUserId user);

/* Points the device at another server address (a new client, same database and device). */
void           koers_test_peer_set_url (KoersTestPeer *peer, const char *url);

/* One sync run, the main context spun until it ends. Returns FALSE with @error on failure. */
gboolean       koers_test_peer_sync (KoersTestPeer *peer, KoersSyncRunStats *out_stats,
                                     GError **error);
/* The same, failing the test on error. */
KoersSyncRunStats koers_test_peer_sync_ok (KoersTestPeer *peer);

/* Local writes as the app makes them (capture triggers record them). */
char          *koers_test_peer_create_participant (KoersTestSync *sync, KoersTestPeer *peer,
                                                   const char *name);
void           koers_test_peer_set_text (KoersTestSync *sync, KoersTestPeer *peer,
                                         const char *table, const char *id, const char *column,
                                         const char *value);
void           koers_test_peer_set_deleted (KoersTestPeer *peer, const char *table,
                                            const char *id, gboolean deleted);
/* (transfer full) (nullable) a column of a working row as text. */
char          *koers_test_peer_get_text (KoersTestPeer *peer, const char *table, const char *id,
                                         const char *column);
gint64         koers_test_peer_count (KoersTestPeer *peer, const char *sql);
/* (transfer full) (nullable) the first column of the first row of @sql. */
char          *koers_test_peer_get_text_sql (KoersTestPeer *peer, const char *sql);

/* Records a typed value for the no-lost-write invariant. */
void           koers_test_sync_typed (KoersTestSync *sync, const char *entity, const char *id,
                                      const char *field, const char *text_value);

/* The oracle: syncs every peer until quiet (bounded), then checks convergence, no lost write,
 * no duplicates, device order and isolation. Fails the test with a message naming the
 * invariant. */
void           koers_test_sync_check_invariants (KoersTestSync *sync);

/* The server's view of a participant's field, as @user (NULL when absent). (transfer full) */
char          *koers_test_server_field (KoersTestServer *server, KoersTestUserId user,
                                        const char *entity, const char *id, const char *field);

G_END_DECLS
