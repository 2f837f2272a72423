/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Between the PostgreSQL back end's parts: koers-server-db-pg.c (the KoersServerDb methods:
 * results into rows, transactions, schema work, opening), koers-server-db-pg-connection.c
 * (sending statements on the connection, renewing it after a drop, and errors) and
 * koers-server-db-pg-pipeline.c (several statements in one round trip: a read transaction's
 * BEGIN with its first statement, deferred statements with the next one answered).
 */
#pragma once

#include "server/koers-server-db-private.h"

#include <libpq-fe.h>

G_BEGIN_DECLS

/* Prepared statements a session keeps. The server's statements are a fixed set of texts (a
 * few dozen); the bound is for text built at run time, which then goes unprepared. */
#define KOERS_SERVER_DB_PG_MAX_PREPARED 512

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
  GPtrArray     *queue;          /* deferred statements not sent yet (pipeline.c) */
} PgDb;

/* Session settings on a new or renewed connection: statement and lock timeouts, UTC. */
gboolean  koers_server_db_pg_setup_session     (PgDb *self, GError **error);
/* After a lost connection, renews it when no transaction is open; BUSY inside one. */
gboolean  koers_server_db_pg_ensure_connected  (PgDb *self, GError **error);
/* Runs @sql (no parameters, may hold several statements) with the simple-query protocol. */
gboolean  koers_server_db_pg_exec_simple       (PgDb *self, const char *sql, GError **error);
/* Parameters as libpq sends them: text (integers in decimal, blobs as bytea's text), but an
 * id list (KOERS_SQL_UUID_LIST) as a uuid[] in PostgreSQL's binary form, which it reads
 * without parsing a character: 500 ids as text cost it more than storing them. */
typedef struct {
  const char **values;   /* each NULL for SQL NULL */
  int         *lengths;  /* NULL when every parameter is text; else each binary one's size */
  int         *formats;  /* NULL when every parameter is text; 1 for a binary one */
  char        *data;     /* what values point into that is not borrowed */
} PgParams;

/* @out from @params, borrowing their strings (which must live as long as @out). */
void      koers_server_db_pg_params_init       (PgParams *out, const KoersSqlValue *params,
                                                guint n_params);
/* @out as a copy of @n_params of @params that borrows nothing. */
void      koers_server_db_pg_params_copy       (PgParams *out, const PgParams *params,
                                                guint n_params);
void      koers_server_db_pg_params_clear      (PgParams *params);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PgParams, koers_server_db_pg_params_clear)
/* Runs one statement with its parameters; a read transaction pg_begin deferred begins with it.
 * (transfer full) its result, or NULL with @error set. */
PGresult *koers_server_db_pg_run               (PgDb *self, const char *sql,
                                                const KoersSqlValue *params, guint n_params,
                                                GError **error);
/* Connects again and sets the new session up as the old one was (no transaction is lost). */
gboolean  koers_server_db_pg_renew_connection  (PgDb *self, GError **error);

/* koers-server-db-pg-pipeline.c. The first statement of a read transaction pg_begin deferred,
 * sent with its BEGIN; (transfer full) its result or NULL with @error set. */
PGresult *koers_server_db_pg_run_after_begin   (PgDb *self, const char *sql,
                                                const PgParams *params, guint n_params,
                                                GError **error);
/* A read transaction of @sql alone: BEGIN, the organisation setting, @sql and COMMIT in one
 * round trip. (transfer full) @sql's result, or NULL with @error set (roll back then). */
PGresult *koers_server_db_pg_run_read_once     (PgDb *self, const char *organisation,
                                                const char *sql, const PgParams *params,
                                                guint n_params, GError **error);
/* The queued statements, then @sql in one round trip; empties the queue. @sql is sent as it
 * is with @unprepared (COMMIT). (transfer full) its result, or NULL with @error set (and
 * KoersServerDb.deferred_error_func when a queued statement failed). */
PGresult *koers_server_db_pg_run_queued        (PgDb *self, const char *sql,
                                                const PgParams *params, guint n_params,
                                                gboolean unprepared, GError **error);
/* The same with @sql run @n_calls times, each with the next @n_params of @params, their
 * results in @out_results (transfer full; nullable with @n_calls 0: a flush). */
gboolean  koers_server_db_pg_run_queued_each   (PgDb *self, const char *sql,
                                                const PgParams *params, guint n_params,
                                                guint n_calls, gboolean unprepared,
                                                PGresult **out_results, GError **error);
gboolean  koers_server_db_pg_queue             (PgDb *self, const char *sql,
                                                const KoersSqlValue *params, guint n_params,
                                                KoersServerDbErrorFunc on_error,
                                                GError **error);
gboolean  koers_server_db_pg_has_queued        (PgDb *self);
void      koers_server_db_pg_drop_queued       (PgDb *self);
void      koers_server_db_pg_init_queue        (PgDb *self);

/* Sets @error from @result (nullable) of @sql (nullable): BUSY for what may pass on a retry. */
void      koers_server_db_pg_set_error         (PgDb *self, PGresult *result, const char *sql,
                                                GError **error);

G_END_DECLS
