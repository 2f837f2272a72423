/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Between the client object (koers-sync-client.c: triggers, timers, properties) and one run of
 * the loop (koers-sync-run.c: requests and database steps).
 */
#pragma once

#include <libsoup/soup.h>

#include "sync/koers-sync-client.h"

G_BEGIN_DECLS

KoersDatabase    *koers_sync_client_get_db (KoersSyncClient *self);
SoupSession      *koers_sync_client_get_session (KoersSyncClient *self);
KoersTokenSource *koers_sync_client_get_tokens (KoersSyncClient *self);
const char       *koers_sync_client_get_url (KoersSyncClient *self);
guint             koers_sync_client_get_page_size (KoersSyncClient *self);
guint             koers_sync_client_get_connect_timeout (KoersSyncClient *self);

/* Hooks the run calls. */
void koers_sync_client_page_applied (KoersSyncClient *self, guint n_items,
                                     const char *server_time, gboolean refresh);
/* The run ended (@error NULL: success); @retry_after_s: the server's Retry-After, 0 if none. */
void koers_sync_client_run_done (KoersSyncClient *self, const KoersSyncRunStats *stats,
                                 const GError *error, guint retry_after_s);

/* Starts one run on @task (source object the client, cancellable the run's); the task
 * returns a KoersSyncRunStats (g_free) or the error. */
void koers_sync_run_start (GTask *task);

G_END_DECLS
