/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-server's HTTP side: one SoupServer (libsoup 3.2 API) answering the regional API
 * (docs/api-protocol.md, data/api/openapi.json) over one KoersServerEngine and one
 * KoersServerAuth on one storage back end. Routes live in koers-server-routes-*.c; the
 * response rules every route shares (problem+json, API-Version, security headers, limits) in
 * koers-server-http.c.
 */
#pragma once

#include <glib-object.h>

#include "server/koers-server-auth.h"
#include "server/koers-server-db.h"
#include "server/koers-server-engine.h"

G_BEGIN_DECLS

/* A request's headers must arrive within this many seconds (docs/api-protocol.md, Limits). */
#define KOERS_SERVER_DEFAULT_HEADER_TIMEOUT 10
/* A whole request (headers and body) must arrive within this many seconds. */
#define KOERS_SERVER_DEFAULT_REQUEST_TIMEOUT 60
/* Open connections beyond this are closed as soon as they are accepted. */
#define KOERS_SERVER_DEFAULT_MAX_CONNECTIONS 512
/* How long a request waits for a database lock another process holds before its answer is
 * 503 + Retry-After: the server answers every request on one thread, so each wait stalls
 * all of them. */
#define KOERS_SERVER_REQUEST_LOCK_TIMEOUT_MS 250

#define KOERS_TYPE_SERVER (koers_server_get_type ())

G_DECLARE_FINAL_TYPE (KoersServer, koers_server, KOERS, SERVER, GObject)

/* @db is borrowed and must outlive the server. */
KoersServer       *koers_server_new                (KoersServerDb  *db);

/* Listens on @address (nullable: "127.0.0.1", loopback unless asked otherwise), TCP @port
 * (0: a free port, written to @out_port, nullable). Serves from the thread-default main
 * context. */
gboolean           koers_server_listen             (KoersServer    *self,
                                                    const char     *address,
                                                    guint           port,
                                                    guint          *out_port,
                                                    GError        **error);
/* Closes the listening sockets and every open connection. */
void               koers_server_disconnect         (KoersServer    *self);

/* (transfer none) */
KoersServerEngine *koers_server_get_engine         (KoersServer    *self);
/* (transfer none) */
KoersServerAuth   *koers_server_get_auth           (KoersServer    *self);
/* (transfer none) */
KoersServerDb     *koers_server_get_db             (KoersServer    *self);

/* Seconds a connection may take to deliver a request's headers (also the longest an idle
 * keep-alive connection stays open); then it is closed. Default 10. */
guint              koers_server_get_header_timeout (KoersServer    *self);
void               koers_server_set_header_timeout (KoersServer    *self,
                                                    guint           seconds);
/* Seconds a connection may take to deliver a whole request, headers and body together; then
 * it is closed. Default 60. */
guint              koers_server_get_request_timeout (KoersServer   *self);
void               koers_server_set_request_timeout (KoersServer   *self,
                                                     guint          seconds);
/* Most connections open at once; one more is closed as soon as it is accepted. Default 512. */
guint              koers_server_get_max_connections (KoersServer   *self);
void               koers_server_set_max_connections (KoersServer   *self,
                                                     guint          count);

G_END_DECLS
