/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Between koers-server-db.c (the public face: argument checks, transaction bookkeeping, rows)
 * and its two back ends. A back end fills a KoersServerDbClass and embeds KoersServerDb as the
 * first member of its own connection struct.
 */
#pragma once

#include "server/koers-server-db.h"

G_BEGIN_DECLS

typedef struct {
  void          (*close)      (KoersServerDb *db);
  gboolean      (*exec)       (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                               guint n_params, guint64 *out_changes, GError **error);
  KoersSqlRows *(*query)      (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                               guint n_params, GError **error);
  /* @for_write: take the organisation's write lock (koers_server_db_begin) or not
   * (koers_server_db_begin_read). On failure nothing is left open. */
  gboolean      (*begin)      (KoersServerDb *db, const char *organisation_id,
                               gboolean for_write, GError **error);
  /* Optional (NULL: koers-server-db.c calls query once per call). On failure no rows are
   * left in @out_rows. */
  gboolean      (*query_each) (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                               guint n_params, guint n_calls, KoersSqlRows **out_rows,
                               GError **error);
  /* Optional (NULL: koers-server-db.c reads the rows with query, then hands them over). */
  gboolean      (*query_foreach) (KoersServerDb *db, const char *sql,
                                  const KoersSqlValue *params, guint n_params,
                                  KoersSqlRowFunc func, gpointer user_data, GError **error);
  /* Optional (NULL: koers-server-db.c runs the statement at once with exec). When the error
   * a method returns is a queued statement's, it sets KoersServerDb.deferred_error_func to
   * that statement's on_error. */
  gboolean      (*exec_deferred) (KoersServerDb *db, const char *sql,
                                  const KoersSqlValue *params, guint n_params,
                                  KoersServerDbErrorFunc on_error, GError **error);
  gboolean      (*flush)      (KoersServerDb *db, GError **error);
  /* Optional (NULL: koers-server-db.c runs begin, query and commit). Called outside a
   * transaction; on failure nothing is left open. */
  KoersSqlRows *(*query_read) (KoersServerDb *db, const char *organisation_id, const char *sql,
                               const KoersSqlValue *params, guint n_params, GError **error);
  gboolean      (*commit)     (KoersServerDb *db, GError **error);
  void          (*rollback)   (KoersServerDb *db);
  /* TRUE while the connection is inside a transaction (a failed COMMIT may leave one open). */
  gboolean      (*in_transaction) (KoersServerDb *db);
  void          (*set_lock_timeout) (KoersServerDb *db, guint milliseconds);
  /* Optional (NULL: the back end has no log to copy back; koers-server-db.h). */
  void          (*defer_checkpoints) (KoersServerDb *db);
  void          (*checkpoint_if_due) (KoersServerDb *db);
  /* Schema work: a transaction that also excludes other processes migrating the same
   * database, a multi-statement script without parameters, and how many tables named @name
   * there are (0 or 1; with @name NULL, how many tables there are at all). */
  gboolean      (*begin_schema) (KoersServerDb *db, GError **error);
  gboolean      (*exec_script)  (KoersServerDb *db, const char *script, GError **error);
  gboolean      (*count_tables) (KoersServerDb *db, const char *name, guint *out_count,
                                 GError **error);
} KoersServerDbClass;

/* A row as koers_server_db_query_foreach() hands it over: the back end's current row
 * (@source its statement) or row @index of a KoersSqlRows (@source). */
struct _KoersSqlRow
{
  const char *(*get_text) (KoersSqlRow *row, guint column, gsize *out_length);
  gint64      (*get_int)  (KoersSqlRow *row, guint column);
  gpointer      source;
  guint         index;
};

struct _KoersServerDb
{
  const KoersServerDbClass *klass;
  KoersServerDbBackend      backend;
  char                     *epoch;
  char                     *location;  /* as opened, for koers_server_db_open_another() */
  gboolean                  in_transaction;
  guint                     lock_timeout_ms;
  /* The last statement, begin or commit failed with KOERS_SERVER_DB_ERROR_BUSY. */
  gboolean                  last_busy;
  /* The on_error of the queued statement whose error the current call returns (nullable). */
  KoersServerDbErrorFunc    deferred_error_func;
};

/* TRUE when the last statement on @db failed because the database was busy (a lock held
 * elsewhere, a lost connection): the next one would most likely wait and fail the same way. */
gboolean       koers_server_db_last_was_busy    (KoersServerDb *db);
/* For a connection of koers_server_db_connect() that reads on another thread for a server
 * (koers-server-readers.c): the epoch its cursors carry is the server connection's, which
 * changes when a restore is declared (koers_server_db_new_epoch). */
void           koers_server_db_set_shared_epoch (KoersServerDb *db,
                                                 const char    *epoch);
/* The lock timeout last set (koers_server_db_set_lock_timeout), in milliseconds. */
guint          koers_server_db_get_lock_timeout (KoersServerDb *db);

/* (transfer full) @location as error messages may show it: an SQLite path as it is, a
 * PostgreSQL URI as "host:port/dbname" only, never its user or password. */
char          *koers_server_db_describe_location (const char *location);
/* The PostgreSQL half of that (koers-server-db-pg.c). */
char          *koers_server_db_pg_describe      (const char *uri);

/* Back-end constructors: connect/open and set up the session only; koers-server-db.c then
 * checks and migrates the schema. */
KoersServerDb *koers_server_db_sqlite_open (const char *path, GError **error);
KoersServerDb *koers_server_db_pg_open     (const char *uri, GError **error);

/* Rows, filled by the back ends row by row, column by column. */
KoersSqlRows *koers_sql_rows_new        (guint n_columns);
void          koers_sql_rows_add_null   (KoersSqlRows *rows);
void          koers_sql_rows_add_int    (KoersSqlRows *rows, gint64 value);
void          koers_sql_rows_add_text   (KoersSqlRows *rows, const char *value, gsize length);
/* Room for @n_rows more rows, so adding them does not grow the cells again and again. */
void          koers_sql_rows_reserve    (KoersSqlRows *rows, guint n_rows);
/* @value (NUL-terminated) read where it is, not copied: it must live as long as @rows, which
 * koers_sql_rows_keep() of what holds it sees to. */
void          koers_sql_rows_add_borrowed_text (KoersSqlRows *rows, const char *value);
/* (transfer full) @data, freed with @rows by @free_func: what borrowed texts point into. */
void          koers_sql_rows_keep       (KoersSqlRows *rows, gpointer data,
                                         GDestroyNotify free_func);

/* A short, value-free description of @sql for error messages: its first line, cut short. */
char         *koers_server_db_describe_sql (const char *sql);

G_END_DECLS
