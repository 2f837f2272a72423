/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-client.h: the sync loop (docs/sync-client.md): push the whole outbox in order,
 * pull until done, rebase; run on start, when the network comes up, 3 s after a local write,
 * every 5 minutes and on "Sync now"; back off exponentially with jitter (1 s to 5 min) on a
 * timer, honour Retry-After, refresh the token once on a 401.
 *
 * Threading: a KoersSyncClient belongs to the thread that creates it. It captures that
 * thread's default main context (g_main_context_ref_thread_default) and runs everything there:
 * libsoup's async API for the network (never blocking), and the database work between
 * requests in small transactions on @db, which must belong to the same thread. The app runs it
 * on KoersStore's database thread (its own GMainContext pushed as thread default), so no sync
 * work reaches the window's main loop; the properties are notified on that thread and the UI
 * marshals them over as it does for the store's other results.
 */
#pragma once

#include <gio/gio.h>

#include "storage/koers-database.h"
#include "sync/koers-sync-hold.h"
#include "sync/koers-token-source.h"

G_BEGIN_DECLS

/* A server that does not accept the connection within this is unreachable; each read and
 * write after it waits at most KOERS_SYNC_IO_TIMEOUT_S (docs/api-protocol.md, Limits). */
#define KOERS_SYNC_CONNECT_TIMEOUT_S 10
#define KOERS_SYNC_IO_TIMEOUT_S      60

typedef enum {
  KOERS_SYNC_CLIENT_OFFLINE,   /* the server cannot be reached */
  KOERS_SYNC_CLIENT_SYNCING,
  KOERS_SYNC_CLIENT_IDLE,      /* the last run finished */
  KOERS_SYNC_CLIENT_ERROR,     /* the last run failed; see last-error; a retry is scheduled */
} KoersSyncClientState;

GType koers_sync_client_state_get_type (void);
#define KOERS_TYPE_SYNC_CLIENT_STATE (koers_sync_client_state_get_type ())

/* Delays of the loop, in milliseconds (tests shorten none of them: they call sync directly). */
#define KOERS_SYNC_DEBOUNCE_MS      3000
#define KOERS_SYNC_PERIOD_MS        (5 * 60 * 1000)
#define KOERS_SYNC_BACKOFF_MIN_MS   1000
#define KOERS_SYNC_BACKOFF_MAX_MS   (5 * 60 * 1000)
/* A server clock this far off (seconds) is reported (clock-skewed). */
#define KOERS_SYNC_CLOCK_SKEW_LIMIT 300

/* What one run did. */
typedef struct {
  guint pushed;        /* mutations the server processed */
  guint pulled;        /* records received (including out-of-scope notices) */
  guint conflicts;     /* pushed mutations answered "conflict" */
  guint quarantined;   /* pushed mutations answered "afgewezen" */
  guint replayed;      /* answers marked "herhaald" */
  guint pages;         /* pull pages applied */
  guint full_repulls;  /* 410 answers that restarted the pull from 0 */
  guint requeued;      /* records the server no longer had after a 410, sent back to it */
} KoersSyncRunStats;

#define KOERS_TYPE_SYNC_CLIENT (koers_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (KoersSyncClient, koers_sync_client, KOERS, SYNC_CLIENT, GObject)

/**
 * koers_sync_client_new:
 * @db: the local database (sync schema installed), used on the calling thread only
 * @server_url: e.g. "https://api.example.nl" (no trailing slash needed)
 * @tokens: where the bearer token comes from
 *
 * Returns: (transfer full): a client that does nothing until started or asked to sync.
 */
KoersSyncClient     *koers_sync_client_new (KoersDatabase    *db,
                                            const char       *server_url,
                                            KoersTokenSource *tokens);

/* Turns the triggers on: a run now, network-up, every 5 minutes. */
void                 koers_sync_client_start (KoersSyncClient *self);
/* Turns every trigger and timer off and cancels a run in flight. */
void                 koers_sync_client_stop (KoersSyncClient *self);
/* "A local write happened": a run 3 s from now; later calls within the 3 s move it on. */
void                 koers_sync_client_schedule_soon (KoersSyncClient *self);
/* "Sync now": a run as soon as the current one (if any) is done. */
void                 koers_sync_client_sync_now (KoersSyncClient *self);
/* While held no trigger starts a run; released, a run asked for meanwhile follows. */
void                 koers_sync_client_set_held (KoersSyncClient *self, gboolean held);
/* (nullable) A hold other threads take at once (koers-sync-hold.h): while it is taken a run
 * numbers nothing new, as while held. */
void                 koers_sync_client_set_hold (KoersSyncClient *self, KoersSyncHold *hold);
/* Held, or the shared hold taken. */
gboolean             koers_sync_client_get_held (KoersSyncClient *self);

/* One run: push all, pull until done. Only one runs at a time (a second call while one runs
 * fails with G_IO_ERROR_PENDING). Cancelling stops between steps; every step that finished
 * stays committed, so the next run continues from there. */
void                 koers_sync_client_sync_async (KoersSyncClient     *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean             koers_sync_client_sync_finish (KoersSyncClient   *self,
                                                    GAsyncResult      *result,
                                                    KoersSyncRunStats *out_stats,
                                                    GError           **error);

/* Feed page size (1..500, default 500). */
void                 koers_sync_client_set_page_size (KoersSyncClient *self, guint limit);
/* How long a request waits for the connection (default KOERS_SYNC_CONNECT_TIMEOUT_S) and for
 * each read or write after it (default KOERS_SYNC_IO_TIMEOUT_S), in seconds, at least 1: the
 * defaults are docs/api-protocol.md's limits; tests shorten them. @io_s should exceed
 * @connect_s: libsoup bounds the connect by it too. */
void                 koers_sync_client_set_timeouts  (KoersSyncClient *self,
                                                      guint            connect_s,
                                                      guint            io_s);

KoersSyncClientState koers_sync_client_get_state (KoersSyncClient *self);
gint64               koers_sync_client_get_pending_count (KoersSyncClient *self);
/* (nullable) ISO timestamp of the last successful run. */
const char          *koers_sync_client_get_last_sync (KoersSyncClient *self);
gboolean             koers_sync_client_get_initial_sync_complete (KoersSyncClient *self);
/* Server clock minus local clock, in seconds, as of the last answer with serverTijd. */
gint64               koers_sync_client_get_clock_offset (KoersSyncClient *self);
gboolean             koers_sync_client_get_clock_skewed (KoersSyncClient *self);
/* (nullable) the last run's error message. */
const char          *koers_sync_client_get_last_error (KoersSyncClient *self);
/* Milliseconds until the scheduled retry (0: none scheduled). */
guint                koers_sync_client_get_retry_delay (KoersSyncClient *self);

G_END_DECLS
