/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-service.h: sync as the window sees it (issue 5, "In the window").
 *
 * KoersSyncService runs the KoersSyncClient on a thread of its own (its own GMainContext and
 * GMainLoop, and its own connection to the caseload file: WAL lets it and the store's writer
 * take turns), so no sync work ever reaches the window's main loop. Everything the window
 * needs is mirrored into properties on the main thread: the client's state, pending changes,
 * last sync, first-sync progress, the server clock's offset, the sign-in. After a run that
 * brought records the store's "changed" is emitted so the models requery; after every local
 * write (the store's "changed") a sync is scheduled 3 s later.
 *
 * What is not secret about a sign-in (server address, device id, user name, organisation) is
 * kept in the database's sync_state, so a restart resumes signed in (koers_sync_service_resume);
 * the refresh token is only ever in the key store (koers-sign-in.h).
 *
 * All functions are for the main thread (the thread that made the service).
 */
#pragma once

#include <gio/gio.h>

#include "app/koers-store.h"
#include "sync/koers-key-store.h"
#include "sync/koers-sign-in.h"
#include "sync/koers-sync-client.h"
#include "sync/koers-sync-staff.h"
#include "sync/koers-token-source.h"

G_BEGIN_DECLS

/* Keys of sync_state the service adds beside the engine's (koers-sync-schema.h). */
#define KOERS_SYNC_STATE_USER_NAME    "user_name"
#define KOERS_SYNC_STATE_ORGANISATION "organisation"

/* A copy of everything the service shows, as the sync thread sends it to the main thread. */
typedef struct
{
  KoersSyncClientState  state;
  gint64                pending_count;
  char                 *last_sync;              /* (nullable) ISO UTC timestamp */
  gboolean              initial_sync_complete;
  gint64                clock_offset;           /* server minus local, seconds */
  gboolean              clock_skewed;
  char                 *last_error;             /* (nullable) */
  gboolean              signed_in;              /* a server and device are on record */
  gboolean              needs_sign_in;          /* ... but the sign-in stopped working */
  char                 *server_url;             /* (nullable) */
  char                 *user_name;              /* (nullable) from GET /v1/profiel */
  char                 *organisation;           /* (nullable) from GET /v1/profiel */
  guint64               records_received;       /* during this session's first sync */
} KoersSyncStatus;

void koers_sync_status_copy (KoersSyncStatus *dest, const KoersSyncStatus *src);
void koers_sync_status_clear (KoersSyncStatus *status);

#define KOERS_TYPE_SYNC_SERVICE (koers_sync_service_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncService, koers_sync_service, KOERS, SYNC_SERVICE, GObject)

/* Returns: (transfer full): a service for @store's file; nothing runs until started. */
KoersSyncService *koers_sync_service_new (KoersStore *store);

/* Uses @key_store (instead of the platform's) for every sign-in, resume and sign-out: tests
 * give an in-memory one. Call before koers_sync_service_start(). */
void              koers_sync_service_set_key_store (KoersSyncService *self,
                                                    KoersKeyStore    *key_store);

/* Starts the sync thread and reads the sign-in on record (signed-in, server-url, ...). */
void              koers_sync_service_start (KoersSyncService *self);
/* Resumes the sign-in on record: reads the refresh token from the key store and starts the
 * client; a key store that cannot be read leaves the service signed out with the reason in
 * last-error (fail closed). Does nothing when no sign-in is on record. */
void              koers_sync_service_resume (KoersSyncService *self);
/* Stops the client, ends the thread (joined) and closes its connection. Idempotent; also done
 * when the service is disposed. Call before the store closes. */
void              koers_sync_service_shutdown (KoersSyncService *self);

/* "Sync now". Does nothing when not signed in. */
void              koers_sync_service_sync_now (KoersSyncService *self);
/* Holds back the sync local writes start until released (an undo still on offer); nests. */
void              koers_sync_service_hold (KoersSyncService *self);
void              koers_sync_service_release (KoersSyncService *self);
gboolean          koers_sync_service_get_held (KoersSyncService *self);

/**
 * koers_sync_service_sign_in_async:
 * @server_url: the server the grant came from
 * @grant: (transfer full): what koers_sign_in_complete_finish() gave
 *
 * Saves the refresh token in the key store, records the sign-in in sync_state, turns change
 * capture on and starts syncing. Fails (nothing recorded) when the key store cannot save.
 * After success, "unsent-records" is emitted when the caseload holds participants the server
 * never saw.
 */
void              koers_sync_service_sign_in_async (KoersSyncService    *self,
                                                    const char          *server_url,
                                                    KoersTokenGrant     *grant,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean          koers_sync_service_sign_in_finish (KoersSyncService  *self,
                                                     GAsyncResult      *result,
                                                     GError           **error);
/* The same without the key store, with tokens the caller holds (tests, tools): @tokens is
 * used on the sync thread from now on and must not be touched by the caller again. */
void              koers_sync_service_sign_in_with_tokens (KoersSyncService *self,
                                                          const char       *server_url,
                                                          const char       *device_id,
                                                          KoersTokenSource *tokens);

/* Signing out: stops syncing, erases the refresh token from the key store and forgets the
 * sign-in on record. The caseload and the changes not yet sent stay. Fails only when the key
 * store could not erase the token (the sign-in is forgotten locally all the same). */
void              koers_sync_service_sign_out_async (KoersSyncService    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean          koers_sync_service_sign_out_finish (KoersSyncService  *self,
                                                      GAsyncResult      *result,
                                                      GError           **error);

/* Queues every record the server never saw (koers_sync_schema_enqueue_all) and syncs: the
 * answer "send them" to "unsent-records". Finishes with how many records were queued. */
void              koers_sync_service_send_unsent_async (KoersSyncService    *self,
                                                        GCancellable        *cancellable,
                                                        GAsyncReadyCallback  callback,
                                                        gpointer             user_data);
gboolean          koers_sync_service_send_unsent_finish (KoersSyncService  *self,
                                                         GAsyncResult      *result,
                                                         guint             *out_n,
                                                         GError           **error);

/* (transfer none) the mirrored values. */
const KoersSyncStatus *koers_sync_service_get_status (KoersSyncService *self);
KoersSyncClientState   koers_sync_service_get_state (KoersSyncService *self);
gboolean               koers_sync_service_get_signed_in (KoersSyncService *self);
gboolean               koers_sync_service_get_needs_sign_in (KoersSyncService *self);
const char            *koers_sync_service_get_server_url (KoersSyncService *self);
KoersStore            *koers_sync_service_get_store (KoersSyncService *self);

/* Tests of the widgets: shows @status as if the sync thread had sent it. */
void              koers_sync_service_set_status_for_testing (KoersSyncService      *self,
                                                             const KoersSyncStatus *status);

G_END_DECLS
