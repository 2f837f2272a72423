/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Inside one run of the loop: its state, shared by the steps (koers-sync-run.c: push, pull,
 * fetching ahead, the staff list) and the requests they make (koers-sync-request.c: send,
 * connect timeout, one token refresh on 401, the answer read with its size cap, Retry-After).
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "core/koers-json-doc.h"
#include "storage/koers-database.h"
#include "sync/koers-sync-apply.h"
#include "sync/koers-sync-client.h"

G_BEGIN_DECLS

typedef struct _KoersSyncRun KoersSyncRun;

/* What a step does with its request's answer (any status but 401, 429 and 503, which the
 * request handles itself). */
typedef void (*KoersSyncResponseFunc) (GTask *task, guint status, GBytes *body);

struct _KoersSyncRun {
  KoersSyncRunStats      stats;
  gboolean               refreshed;
  gboolean               renumbered;
  guint                  retry_after;
  JsonNode              *batch;
  /* the request in flight, kept whole so a 401 can send it again after a refresh */
  char                  *method;
  char                  *path;
  GBytes                *body;
  KoersSyncResponseFunc  on_response;
  SoupMessage           *msg;
  GCancellable          *request_cancellable;   /* this request; cancelled with the run */
  GCancellable          *run_cancellable;       /* (unowned) the task's */
  gulong                 cancel_handler;
  GSource               *connect_timer;
  gboolean               connect_timed_out;
  GInputStream          *stream;
  GByteArray            *buffer;
  /* pages applied on a worker thread while the next is fetched (koers-sync-run.c) */
  KoersDatabase         *apply_db;          /* the run's own connection for them */
  GThread               *applier;           /* and its own thread, fed by apply_queue */
  GAsyncQueue           *apply_queue;
  gboolean               apply_db_failed;
  gboolean               applying;          /* a page is being applied */
  gboolean               pull_ending;       /* it is the pull's last */
  GError                *apply_error;       /* why a page could not be */
  /* what waits for that page: the next answer, read and checked ... */
  gboolean               waiting_answer;
  guint                  waiting_status;
  KoersJsonDoc          *waiting_page;
  KoersSyncPageCheck     waiting_check;
  GError                *waiting_read_error;
  gint64                 gone_shared;       /* a 410's gedeeldTot, -1 without one */
  /* ... or the run's end */
  gboolean               finish_waiting;
  GError                *finish_error;
};

static inline KoersSyncRun *
koers_sync_run_of (GTask *task)
{
  return g_task_get_task_data (task);
}

static inline KoersSyncClient *
koers_sync_run_client_of (GTask *task)
{
  return g_task_get_source_object (task);
}

/* Ends the run with @error (transfer full; NULL: success). */
void koers_sync_run_finish (GTask *task, GError *error);
void koers_sync_run_fail   (GTask *task, int code, const char *format, ...)
  G_GNUC_PRINTF (3, 4);

/* Sends @method @path (with @body as JSON when not NULL) and hands the answer to @on_response. */
void koers_sync_request_send       (GTask *task, const char *method, const char *path,
                                    JsonNode *body, KoersSyncResponseFunc on_response);
/* Stops following the run's cancellable for the request (at the run's end). */
void koers_sync_request_disconnect (KoersSyncRun *run);
/* Frees what the request holds (at the run's end). */
void koers_sync_request_clear      (KoersSyncRun *run);

G_END_DECLS
