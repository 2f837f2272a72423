/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server's one storage interface: a small SQL executor with two back ends, SQLite (a file,
 * the default) and PostgreSQL (a postgresql:// URI, libpq). Everything above it (mutation
 * engine, feed, auth) is written once in the SQL both dialects share: parameters are $1..$n,
 * upserts are INSERT ... ON CONFLICT, RETURNING is allowed, booleans are integers 0/1,
 * timestamps and dates are ISO text, JSON is text. Where a statement really differs, ask
 * koers_server_db_get_backend().
 *
 * Parameters: $1..$n, each number used at least once, n_params exactly n, one statement per
 * call (both back ends refuse anything else). PostgreSQL infers a parameter's type from where
 * it stands; where nothing tells it ("$1 IS NULL" on its own) it cannot, so write
 * "CAST($1 AS TEXT) IS NULL" or "CAST($1 AS BIGINT)", which SQLite reads the same way.
 * Results: integer columns read as integers on both back ends, PostgreSQL booleans as 0/1,
 * everything else as text. Text compares bytewise on SQLite (BINARY); on PostgreSQL only in a
 * database created with LC_COLLATE 'C' (as the test harness makes it), which is how a
 * region's database must be created for ORDER BY on text to agree between the back ends.
 *
 * A KoersServerDb is one connection: use it from one thread at a time.
 *
 * Writers of one organisation are serialised: koers_server_db_begin() with an organisation
 * takes that organisation's write lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: the row lock of
 * the organisation's sequence row) and, on PostgreSQL, sets the row-level-security setting
 * koers.organisation for the transaction. On PostgreSQL the rows of records, scope_exits,
 * history, processed_mutations and audit are visible and writable only inside begin() or
 * begin_read() with their organisation (row-level security; outside, a query sees none), and
 * koers-server must connect as an ordinary role that owns its database: open refuses a
 * superuser or BYPASSRLS role, which would ignore the policies.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define KOERS_SERVER_DB_ERROR (koers_server_db_error_quark ())

typedef enum {
  KOERS_SERVER_DB_ERROR_FAILED,       /* a statement failed: a bug or bad data */
  KOERS_SERVER_DB_ERROR_BUSY,         /* transient: locked, connection lost; retry later (503) */
  KOERS_SERVER_DB_ERROR_CONSTRAINT,   /* a unique/check/foreign-key constraint said no */
  KOERS_SERVER_DB_ERROR_OPEN,         /* cannot open/connect/migrate */
} KoersServerDbError;

GQuark koers_server_db_error_quark (void);

typedef enum {
  KOERS_SERVER_DB_SQLITE,
  KOERS_SERVER_DB_POSTGRESQL,
} KoersServerDbBackend;

typedef enum {
  KOERS_SQL_NULL,
  KOERS_SQL_INT,
  KOERS_SQL_TEXT,
  KOERS_SQL_BLOB,   /* a parameter only: bytes (SQLite BLOB; PostgreSQL gets bytea's text
                     * form, so only where the statement takes a bytea) */
  KOERS_SQL_UUID_LIST, /* a parameter only: ids packed 16 bytes each (koers_uuid_list_pack's
                        * form). SQLite binds the bytes as a blob; PostgreSQL gets a uuid[]
                        * in its binary form, so only where the statement takes a uuid[] */
} KoersSqlType;

typedef struct {
  KoersSqlType  type;
  gint64        i;   /* KOERS_SQL_INT: the value; BLOB, UUID_LIST: the length in bytes */
  const char   *s;   /* borrowed for the duration of the call */
} KoersSqlValue;

#define KOERS_SQL_INT_VALUE(v)  ((KoersSqlValue) { KOERS_SQL_INT, (gint64) (v), NULL })
/* A NULL string binds SQL NULL. */
#define KOERS_SQL_TEXT_VALUE(v) ((KoersSqlValue) { (v) ? KOERS_SQL_TEXT : KOERS_SQL_NULL, 0, (v) })
#define KOERS_SQL_NULL_VALUE    ((KoersSqlValue) { KOERS_SQL_NULL, 0, NULL })
#define KOERS_SQL_BLOB_VALUE(data, length) \
  ((KoersSqlValue) { KOERS_SQL_BLOB, (gint64) (length), (const char *) (data) })
#define KOERS_SQL_UUID_LIST_VALUE(ids, length) \
  ((KoersSqlValue) { KOERS_SQL_UUID_LIST, (gint64) (length), (const char *) (ids) })

typedef struct _KoersServerDb KoersServerDb;
typedef struct _KoersSqlRows  KoersSqlRows;

/* @location: a file path (SQLite, created 0600 if missing) or a "postgresql://" URI.
 * Opens, checks and migrates the schema to the latest version in one transaction. */
KoersServerDb        *koers_server_db_open        (const char     *location,
                                                   GError        **error);
KoersServerDb        *koers_server_db_connect     (const char     *location,
                                                   GError        **error);
/* The location it was opened with (may hold a PostgreSQL password: never show it). */
const char           *koers_server_db_get_location (KoersServerDb *db);
void                  koers_server_db_free        (KoersServerDb  *db);
KoersServerDbBackend  koers_server_db_get_backend (KoersServerDb  *db);

/* A random id made when the database was created; changes when an administrator declares a
 * restore (koers_server_db_new_epoch). Part of every feed cursor. */
const char           *koers_server_db_get_epoch   (KoersServerDb  *db);
gboolean              koers_server_db_new_epoch   (KoersServerDb  *db,
                                                   GError        **error);
/* The last volgnummer of @organisation_id that the current epoch shares with the older
 * @epoch (a cursor's): numbers after it were given out again after a restore
 * (koers-server-db-epochs.c). *out_last is -1 when there is nothing to say: @epoch is the
 * current one, or the database keeps no history of it. */
gboolean              koers_server_db_shared_history (KoersServerDb *db,
                                                      const char    *organisation_id,
                                                      const char    *epoch,
                                                      gint64        *out_last,
                                                      GError       **error);

/* Runs one statement; *out_changes (nullable) gets the number of rows it changed. */
gboolean       koers_server_db_exec   (KoersServerDb        *db,
                                       const char           *sql,
                                       const KoersSqlValue  *params,
                                       guint                 n_params,
                                       guint64              *out_changes,
                                       GError              **error);
/* Runs one statement and returns all its rows (possibly none); NULL on error. */
KoersSqlRows  *koers_server_db_query  (KoersServerDb        *db,
                                       const char           *sql,
                                       const KoersSqlValue  *params,
                                       guint                 n_params,
                                       GError              **error);

/* One row of koers_server_db_query_foreach(), valid during the callback only. */
typedef struct _KoersSqlRow KoersSqlRow;
/* Return FALSE to stop reading (the rest of the rows are not read). */
typedef gboolean (*KoersSqlRowFunc) (KoersSqlRow *row, gpointer user_data);

/* Runs one SELECT and hands its rows to @func one at a time, as the back end reads them (on
 * SQLite without copying them first: a feed page's 500 rows were copied cell by cell into a
 * KoersSqlRows before being written out). FALSE with @error set on error; rows already
 * handed over stay handed over. */
gboolean       koers_server_db_query_foreach (KoersServerDb       *db,
                                              const char          *sql,
                                              const KoersSqlValue *params,
                                              guint                n_params,
                                              KoersSqlRowFunc      func,
                                              gpointer             user_data,
                                              GError             **error);
/* (nullable) The text of @column (NULL for SQL NULL; an integer as its digits), borrowed
 * until the callback returns; *out_length (nullable) gets its length in bytes. */
const char    *koers_sql_row_get_text (KoersSqlRow *row,
                                       guint        column,
                                       gsize       *out_length);
/* As koers_sql_rows_get_int(): text that is not a whole integer reads as 0, as NULL does. */
gint64         koers_sql_row_get_int  (KoersSqlRow *row,
                                       guint        column);

/* Runs @sql @n_calls times, call i with the n_params values at @params[i * n_params], and
 * puts each call's rows (transfer full) in @out_rows[i]: lookups the caller needs all of, such
 * as one per mutation of a batch. PostgreSQL sends them all (after anything deferred) in one
 * round trip inside a transaction; SQLite runs them one after another. FALSE with @error set
 * when any failed (or a deferred statement before them, as for query()); no rows then. */
gboolean       koers_server_db_query_each (KoersServerDb        *db,
                                           const char           *sql,
                                           const KoersSqlValue  *params,
                                           guint                 n_params,
                                           guint                 n_calls,
                                           KoersSqlRows        **out_rows,
                                           GError              **error);

/* What a failed deferred statement means to the code that queued it: called with the
 * statement's storage error in *error, it may replace that error (an audit row that cannot
 * be written makes the request unavailable, whatever the storage said). */
typedef void (*KoersServerDbErrorFunc) (GError **error);

/* Runs one statement whose outcome nobody reads but whose failure must fail the transaction
 * (history, audit and bookkeeping rows, SAVEPOINT/RELEASE). SQLite runs it at once. PostgreSQL,
 * inside a transaction, queues it and sends it with the connection's next statement that
 * is answered (exec, query, commit, flush), all in one round trip (libpq's pipeline mode):
 * a push of 100 changes was about 900 round trips, most of them for such statements.
 * Statements run in the order they were given, queued or not.
 *
 * When a queued statement fails, the later call that sent it fails with the queued
 * statement's own error, passed through @on_error (nullable); neither what was queued after it
 * nor that call's own statement runs, and the transaction must be rolled back as after any
 * failed statement. So a caller treats every storage error in a transaction as the end of it,
 * as the engine does. Outside a transaction, or before a read transaction sent anything, the
 * statement runs at once. A rollback drops what is queued. FALSE (with @error set, through
 * @on_error too) only when the statement ran at once and failed. */
gboolean       koers_server_db_exec_deferred (KoersServerDb          *db,
                                              const char             *sql,
                                              const KoersSqlValue    *params,
                                              guint                   n_params,
                                              KoersServerDbErrorFunc  on_error,
                                              GError                **error);
/* Sends the queued statements now (SQLite: nothing to send). Errors as above. */
gboolean       koers_server_db_flush    (KoersServerDb  *db,
                                         GError        **error);

/* @organisation_id (nullable): NULL begins a plain transaction (auth tables, admin).
 * Transactions do not nest: a begin inside a transaction is a FAILED error. */
gboolean       koers_server_db_begin    (KoersServerDb  *db,
                                         const char     *organisation_id,
                                         GError        **error);
/* A transaction that does not take the organisation's write lock, for requests that only read
 * records (and may add audit rows). On PostgreSQL it still sets koers.organisation: without it
 * row-level security shows no rows of records, history, audit etc. at all, so every read of
 * organisation data runs inside begin_read() or begin(). On SQLite it is a deferred BEGIN:
 * a write inside it (an audit row) fails with BUSY when another connection wrote since the
 * transaction's first read, so a transaction that changes records uses begin(). */
gboolean       koers_server_db_begin_read (KoersServerDb  *db,
                                           const char     *organisation_id,
                                           GError        **error);
/* A transaction of one statement, begun as begin_read() begins (@organisation_id; no write
 * lock: a read, or an audit row): begin_read, @sql, commit, as one call. PostgreSQL sends the four in one round trip (a record read was three: the token, the
 * statement with its BEGIN, the COMMIT). Called outside a transaction; NULL with @error set
 * when any part failed, and nothing is left open then. */
KoersSqlRows  *koers_server_db_query_read (KoersServerDb        *db,
                                           const char           *organisation_id,
                                           const char           *sql,
                                           const KoersSqlValue  *params,
                                           guint                 n_params,
                                           GError              **error);
gboolean       koers_server_db_commit   (KoersServerDb  *db,
                                         GError        **error);
/* Never fails visibly: a rollback after an error must not hide the first error. */
void           koers_server_db_rollback (KoersServerDb  *db);
gboolean       koers_server_db_in_transaction (KoersServerDb *db);

/* How long a begin waits for another writer of the same organisation before it fails with
 * BUSY (SQLite busy_timeout, PostgreSQL lock_timeout). Default 5000 ms. Call it outside a
 * transaction (on PostgreSQL a rollback would undo it). */
void           koers_server_db_set_lock_timeout (KoersServerDb *db,
                                                 guint          milliseconds);

/* SQLite copies its write-ahead log back into the database file in the commit that takes the
 * log past 1,000 pages (4 MB and an fsync). After koers_server_db_defer_checkpoints() this
 * connection's commits leave that to koers_server_db_checkpoint_if_due(), which its owner
 * calls when nobody waits for it (the audit writer: after it let a round's answers go).
 * Still on the connection's own thread, so no commit of its own runs beside the copy and the
 * next one can start the log over, as SQLite's own checkpoint allows. PostgreSQL: nothing. */
void           koers_server_db_defer_checkpoints (KoersServerDb *db);
void           koers_server_db_checkpoint_if_due (KoersServerDb *db);

/* TRUE when @location names a PostgreSQL database ("postgresql://" or "postgres://"). */
gboolean       koers_server_db_location_is_postgresql (const char *location);

guint          koers_sql_rows_get_n_rows (KoersSqlRows *rows);
guint          koers_sql_rows_get_n_columns (KoersSqlRows *rows);
gboolean       koers_sql_rows_is_null    (KoersSqlRows *rows, guint row, guint column);
/* (nullable): NULL for SQL NULL; valid until the rows are freed. */
const char    *koers_sql_rows_get_text   (KoersSqlRows *rows, guint row, guint column);
gint64         koers_sql_rows_get_int    (KoersSqlRows *rows, guint row, guint column);
void           koers_sql_rows_free       (KoersSqlRows *rows);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSqlRows, koers_sql_rows_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersServerDb, koers_server_db_free)

G_END_DECLS
