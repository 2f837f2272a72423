/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-sync-service-private.h: between the main-thread side of KoersSyncService
 * (koers-sync-service.c), its sync thread (koers-sync-service-worker.c) and the key store
 * part (koers-sync-service-keys.c).
 *
 * The rule: a KoersSyncWorker's thread-only members are touched only on the sync thread, the
 * service only on the main thread. They talk by messages: the main thread queues a job on the
 * worker's context (koers_sync_worker_invoke), the thread sends copies of its status back
 * (koers_sync_worker_post_status) through a weak reference, so a message that arrives after
 * the service died is dropped.
 */
#pragma once

#include "app/koers-sync-service.h"

G_BEGIN_DECLS

typedef struct _KoersSyncWorker KoersSyncWorker;

/* Erases the refresh token of the sign-in on record (set by the key store part, which knows
 * how); runs on the sync thread and finishes on it with @callback. */
typedef void (*KoersSyncWorkerEraseFunc) (KoersSyncWorker     *worker,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
typedef gboolean (*KoersSyncWorkerEraseFinish) (GAsyncResult *result, GError **error);

/* The messages' way back to the service: a weak reference that outlives both. */
typedef struct
{
  GWeakRef       service;
  /* koers_sync_service_hold(), taken on the main thread at once and looked at by the sync
   * thread's runs when they number changes (the message that holds the triggers comes later). */
  KoersSyncHold *hold;
} KoersSyncServiceLink;

/* Drops one reference of @link; the last one clears it (both threads hold one). */
void koers_sync_service_link_release (KoersSyncServiceLink *link);

struct _KoersSyncWorker
{
  /* Set before the thread starts; read-only afterwards. */
  char                   *path;
  GMainContext           *context;       /* the thread's */
  GMainContext           *main_context;  /* the service's */
  GMainLoop              *loop;
  GThread                *thread;
  KoersSyncServiceLink   *link;          /* (atomic rc box) */

  /* Sync thread only. */
  KoersDatabase          *db;
  KoersSyncClient        *client;
  KoersTokenSource       *tokens;        /* the real source: memory or key store */
  KoersSyncWorkerEraseFunc   erase;      /* (nullable) forgets the refresh token */
  KoersSyncWorkerEraseFinish erase_finish;
  gpointer                erase_data;    /* (owned by the key store part) */
  GDestroyNotify          erase_data_free;
  SoupSession            *session;       /* GET /v1/profiel */
  GCancellable           *cancellable;   /* side requests; cancelled when the thread ends */
  KoersSyncStatus         status;        /* the thread's view, sent as copies */
  char                   *device_id;
  gboolean                first_sync_active;
  gboolean                held;          /* koers_sync_service_hold: applied to each client */
  gboolean                run_dirty;     /* records arrived that the models have not seen */
  gint64                  changed_posted_at;
  guint                   n_clients;     /* clients not yet finalized (a run may end late) */
  guint                   n_ops;         /* side requests in flight */
  gboolean                profile_asked; /* GET /v1/profiel sent for this client */
  guint                   generation;    /* of the client: a late message for an old one is
                                          * ignored */
};

/* --- koers-sync-service-worker.c (the thread) ---------------------------------------------- */

/* Creates the worker and starts its thread, which opens the database and reads the sign-in
 * on record. (transfer full) */
KoersSyncWorker *koers_sync_worker_new (const char *path, KoersSyncServiceLink *link);
/* Stops the client, ends the loop, joins the thread and frees the worker. */
void             koers_sync_worker_free (KoersSyncWorker *worker);
/* Runs @func on the sync thread (@destroy runs on whichever thread drops the job: the main
 * thread when the worker ends first). */
void             koers_sync_worker_invoke (KoersSyncWorker *worker, GSourceFunc func,
                                           gpointer data, GDestroyNotify destroy);

/* Sync thread only. */
void             koers_sync_worker_post_status (KoersSyncWorker *worker);
void             koers_sync_worker_set_string (char **field, const char *value);
/* Reads pending count, first-sync flag, clock offset and last sync from the database. */
void             koers_sync_worker_status_from_database (KoersSyncWorker *worker);
/* Stops and lets go of the client; a run it had in flight ends by itself (cancelled). */
void             koers_sync_worker_drop_client (KoersSyncWorker *worker);
/* Holds every run of this client and of any it starts later (koers_sync_service_hold). */
void             koers_sync_worker_set_held (KoersSyncWorker *worker, gboolean held);
/* The token source the client gets: @inner, and a refresh that fails because the sign-in is
 * gone signs the service out (koers-sync-service-tokens.c). (transfer full) */
KoersTokenSource *koers_sync_worker_guard_tokens (KoersSyncWorker *worker,
                                                  KoersTokenSource *inner);
/* GET /v1/profiel with the current access token (koers-sync-service-profile.c). */
void             koers_sync_worker_fetch_profile (KoersSyncWorker *worker);
/* Records the sign-in (sync_state, capture on), starts the client with @tokens, fetches the
 * profile; with @interactive, counts the records never sent and asks through the service's
 * "unsent-records". */
gboolean         koers_sync_worker_sign_in (KoersSyncWorker *worker, const char *server_url,
                                            const char *device_id, KoersTokenSource *tokens,
                                            gboolean interactive, GError **error);
/* Starts the client of the sign-in on record with @tokens (a restart). */
void             koers_sync_worker_resume (KoersSyncWorker *worker, KoersTokenSource *tokens);
/* Shows the service signed out for @reason (fail closed), keeping the sign-in on record. */
void             koers_sync_worker_sign_in_lost (KoersSyncWorker *worker, const char *reason);
void             koers_sync_worker_set_erase (KoersSyncWorker *worker,
                                              KoersSyncWorkerEraseFunc erase,
                                              KoersSyncWorkerEraseFinish finish,
                                              gpointer data, GDestroyNotify data_free);
/* Sync thread: returns @task (transfer full) on the main thread with @error (transfer full,
 * nullable), else with @value (a boolean TRUE or the int the finish function reads). */
void             koers_sync_worker_return_task (KoersSyncWorker *worker, GTask *task,
                                                GError *error, gssize value);
/* Task runs (koers_sync_service_run_task): sign-out returns a boolean, send-unsent the number
 * of records queued. */
void             koers_sync_worker_sign_out (KoersSyncWorker *worker, GTask *task);
void             koers_sync_worker_send_unsent (KoersSyncWorker *worker, GTask *task);

/* --- koers-sync-service.c (main thread) ----------------------------------------------------- */

void             koers_sync_service_apply_status (KoersSyncService *self,
                                                  const KoersSyncStatus *status);
/* The thread brought records: the models requery. */
void             koers_sync_service_data_changed (KoersSyncService *self);
void             koers_sync_service_emit_unsent (KoersSyncService *self, guint n_participants,
                                                 gboolean demo);
KoersSyncWorker *koers_sync_service_get_worker (KoersSyncService *self);
/* (transfer none) (nullable) the key store given with set_key_store, as a GObject. */
GObject         *koers_sync_service_peek_key_store (KoersSyncService *self);
void             koers_sync_service_take_key_store (KoersSyncService *self, GObject *key_store);

/* Runs @run on the sync thread with @task (transfer full: the run hands it on to
 * koers_sync_worker_return_task, so the task, and the service it holds, are always let go on
 * the main thread). When the thread ended before the job ran, the task returns
 * G_IO_ERROR_CLOSED. */
typedef void (*KoersSyncWorkerTaskFunc) (KoersSyncWorker *worker, GTask *task);
void             koers_sync_service_run_task (KoersSyncService *self, GTask *task,
                                              KoersSyncWorkerTaskFunc run);

G_END_DECLS
