/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Between the PostgreSQL back end's two halves: koers-server-db-pg.c (the KoersServerDb
 * methods: results into rows, transactions, schema work, opening) and
 * koers-server-db-pg-connection.c (sending statements on the connection, renewing it after a
 * drop, and errors).
 */
#pragma once

#include "server/koers-server-db-private.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* One PostgreSQL connection: KoersServerDb first, as koers-server-db-private.h asks. */
typedef struct {
  KoersServerDb  parent;
  char          *uri;
  PGconn        *conn;
  guint          lock_timeout_ms;
  gboolean       reconnecting;   /* setting up a renewed session: no second retry inside */
  char          *read_organisation; /* a read transaction begun but not sent yet (pg_begin) */
  GHashTable    *prepared;       /* SQL text -> name of its prepared statement in this session */
  guint          n_prepared;     /* names given out on this connection, never reused */
} PgDb;

/* Session settings on a new or renewed connection: statement and lock timeouts, UTC. */
gboolean  koers_server_db_pg_setup_session     (PgDb *self, GError **error);
/* After a lost connection, renews it when no transaction is open; BUSY inside one. */
gboolean  koers_server_db_pg_ensure_connected  (PgDb *self, GError **error);
/* Runs @sql (no parameters, may hold several statements) with the simple-query protocol. */
gboolean  koers_server_db_pg_exec_simple       (PgDb *self, const char *sql, GError **error);
/* Runs one statement with its parameters; a read transaction pg_begin deferred begins with it.
 * (transfer full) its result, or NULL with @error set. */
PGresult *koers_server_db_pg_run               (PgDb *self, const char *sql,
                                                const KoersSqlValue *params, guint n_params,
                                                GError **error);
/* Sets @error from @result (nullable) of @sql (nullable): BUSY for what may pass on a retry. */
void      koers_server_db_pg_set_error         (PgDb *self, PGresult *result, const char *sql,
                                                GError **error);

G_END_DECLS
