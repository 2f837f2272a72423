/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-database.h: the one thin wrapper around a sqlite3 connection.
 *
 * One KoersDatabase per thread (SQLite connections are not shared across threads here).
 * Opening sets the pragmas from RELIABILITY.md, runs PRAGMA quick_check and migrates by
 * PRAGMA user_version, one transaction per step, after taking a backup of an existing file.
 */
#pragma once

#include <gio/gio.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define KOERS_DATABASE_ERROR (koers_database_error_quark ())

typedef enum {
  KOERS_DATABASE_ERROR_OPEN,      /* file cannot be opened or created */
  KOERS_DATABASE_ERROR_CORRUPT,   /* quick_check failed or not a database */
  KOERS_DATABASE_ERROR_TOO_NEW,   /* written by a newer Koers: never touched */
  KOERS_DATABASE_ERROR_MIGRATION, /* a migration step failed and was rolled back */
  KOERS_DATABASE_ERROR_SQL,       /* any other SQLite failure */
  KOERS_DATABASE_ERROR_CONSTRAINT,/* a constraint (foreign key, check, unique) refused a write */
  KOERS_DATABASE_ERROR_NOT_FOUND, /* the record asked for does not exist */
  KOERS_DATABASE_ERROR_INVALID,   /* a domain rule refused the write (message says which) */
} KoersDatabaseError;

GQuark koers_database_error_quark (void);

typedef enum {
  KOERS_DATABASE_OPEN_DEFAULT   = 0,
  KOERS_DATABASE_OPEN_READ_ONLY = 1 << 0, /* for the UI thread's page reads; never migrates */
  /* skip quick_check (a second connection to a checked file, a job that reads only what it
   * needs); a file that is about to be migrated is checked all the same */
  KOERS_DATABASE_OPEN_NO_CHECK  = 1 << 1,
  KOERS_DATABASE_OPEN_NO_MIGRATE = 1 << 2, /* leave the schema as found (migration tests, tools) */
} KoersDatabaseOpenFlags;

#define KOERS_TYPE_DATABASE (koers_database_get_type ())
G_DECLARE_FINAL_TYPE (KoersDatabase, koers_database, KOERS, DATABASE, GObject)

void koers_database_init_library (void);
/* TRUE when @path holds something other than an SQLite database (a missing or empty file is
 * a new database; any other trouble is left to the real open to report), read by SQLite
 * itself, read-only. Never with fopen() and fclose(): closing any other descriptor of a file
 * drops every POSIX lock the process holds on it, those of its open connections included
 * (SQLite keeps its own descriptors while it holds locks), and another process (koers-cli,
 * the sqlite3 shell) then takes the database for unused, checkpoints it and deletes its -wal
 * under the open connections: what they commit afterwards goes to a deleted file. */
gboolean koers_database_is_foreign_file (const char *path);

/**
 * koers_database_open:
 * @path: file name; created when missing (unless read-only)
 *
 * Returns: (transfer full) (nullable): the open, checked and migrated database, or %NULL with
 * @error set (KOERS_DATABASE_ERROR_CORRUPT, _TOO_NEW, _MIGRATION, _OPEN).
 */
KoersDatabase *koers_database_open (const char *path, KoersDatabaseOpenFlags flags,
                                    GError **error);

const char *koers_database_get_path (KoersDatabase *self);
sqlite3    *koers_database_get_handle (KoersDatabase *self);
/* The schema version this build writes (the highest migration). */
int         koers_database_get_latest_version (void);
int         koers_database_get_user_version (KoersDatabase *self);

/**
 * koers_database_prepare:
 * Returns: (transfer none) (nullable): a cached statement, reset and with its bindings cleared;
 * valid until the next prepare of the same SQL text.
 */
sqlite3_stmt *koers_database_prepare (KoersDatabase *self, const char *sql, GError **error);
gboolean      koers_database_exec (KoersDatabase *self, const char *sql, GError **error);

/* Runs a query of one value without parameters (a count, a max): *out_value is its first row's
 * first column as an integer, 0 when there is no row. */
gboolean      koers_database_query_int64 (KoersDatabase *self, const char *sql,
                                          gint64 *out_value, GError **error);

/* Statements stop when @cancellable is cancelled, until called again with NULL. */
void     koers_database_set_cancellable (KoersDatabase *self, GCancellable *cancellable);

/* Steps a prepared statement: TRUE with *out_has_row for SQLITE_ROW/DONE, FALSE with @error. */
gboolean koers_database_step (KoersDatabase *self, sqlite3_stmt *stmt, gboolean *out_has_row,
                              GError **error);

/* Typed binds; NULL strings bind SQL NULL. Indices are 1-based as in SQLite. */
void        koers_bind_text (sqlite3_stmt *stmt, int index, const char *value);
void        koers_bind_int64 (sqlite3_stmt *stmt, int index, gint64 value);
void        koers_bind_bool (sqlite3_stmt *stmt, int index, gboolean value);
/* Column reads; text is (transfer none) and NULL for SQL NULL. */
const char *koers_column_text (sqlite3_stmt *stmt, int column);
gint64      koers_column_int64 (sqlite3_stmt *stmt, int column);
gboolean    koers_column_bool (sqlite3_stmt *stmt, int column);

/* Transactions nest by counting: only the outermost begin/commit touch SQLite, and a rollback
 * anywhere rolls back the whole outermost transaction. */
gboolean koers_database_begin (KoersDatabase *self, GError **error);
gboolean koers_database_commit (KoersDatabase *self, GError **error);
void     koers_database_rollback (KoersDatabase *self);

/* Time and identity of new rows. Writes take the real clock and random UUIDs unless a caller
 * pins them: the demo generator does, so one seed gives the same database, ids and timestamps
 * included. The pin belongs to the connection, so it holds for whichever thread owns it. */
typedef char *(*KoersIdFunc) (gpointer data);

/* Pins "now" to @timestamp_iso (and "today" to its date) for writes through @self; NULL unpins. */
void  koers_database_pin_clock (KoersDatabase *self, const char *timestamp_iso);
/* Makes ids for new rows from @func ((transfer full) UUID strings); NULL restores random ones. */
void  koers_database_set_id_source (KoersDatabase *self, KoersIdFunc func, gpointer data);
/* (transfer full): the timestamp, date and a new id for a write, honouring the pins above. */
char *koers_database_now (KoersDatabase *self);
char *koers_database_today (KoersDatabase *self);
char *koers_database_new_id (KoersDatabase *self);

/* Runs PRAGMA quick_check (or integrity_check when @full). */
gboolean koers_database_check (KoersDatabase *self, gboolean full, GError **error);

G_END_DECLS
