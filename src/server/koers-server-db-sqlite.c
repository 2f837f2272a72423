/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "server/koers-server-db-private.h"
#include "server/koers-server-sqlite-lists.h"
#include "storage/koers-database.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* A server that prepares statements from a fixed set keeps all of them; one that builds SQL
 * text on the fly (IN lists) must not grow the cache without end, so past this size the cache
 * starts again. */
#define MAX_CACHED_STATEMENTS 256

/* The log's length in pages at which a deferred checkpoint is due: SQLite's own default for
 * its automatic one. */
#define CHECKPOINT_LOG_FRAMES 1000

typedef struct {
  sqlite3_stmt *stmt;
  guint         n_params;
  int          *index;   /* index[k]: SQLite's bind index of $k+1 */
} Statement;

typedef struct {
  KoersServerDb  parent;
  char          *path;
  sqlite3       *handle;
  GHashTable    *statements;   /* SQL text -> Statement */
  int            log_frames;   /* the write-ahead log's length after the last commit, when
                                * checkpoints are deferred */
} SqliteDb;

static void
statement_free (gpointer data)
{
  Statement *statement = data;

  sqlite3_finalize (statement->stmt);
  g_free (statement->index);
  g_free (statement);
}

/* Errors carry SQLite's own message, which names tables, columns and constraints but never a
 * bound value, and the start of the statement, which has no values either (they are
 * parameters). A busy database gets the same words whatever the statement. */
static void
set_error (SqliteDb *self, int rc, const char *sql, GError **error)
{
  g_autofree char *where = sql != NULL ? koers_server_db_describe_sql (sql) : NULL;
  const char *message = self->handle != NULL ? sqlite3_errmsg (self->handle)
                                             : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY,
                   _("The database is busy; try again later"));
      return;
    case SQLITE_CONSTRAINT:
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT,
                   "SQLite: %s", message);
      return;
    default:
      if (where != NULL)
        g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                     "SQLite: %s (in \"%s\")", message, where);
      else
        g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                     "SQLite: %s", message);
      return;
    }
}

static gboolean
only_space_left (const char *tail)
{
  for (; tail != NULL && *tail != '\0'; tail++)
    if (!g_ascii_isspace (*tail) && *tail != ';')
      return FALSE;
  return TRUE;
}

/* Parameters are written $1..$n, as PostgreSQL has them. SQLite gives each distinct name one
 * bind index in order of first appearance, so "$2 ... $1 ... $2" must be bound by name, not by
 * position. As in PostgreSQL, every number up to the highest must occur, and no other kind of
 * parameter is allowed: a statement that works here then works there too. */
static gboolean
map_parameters (Statement *statement, const char *sql, GError **error)
{
  int count = sqlite3_bind_parameter_count (statement->stmt);
  guint64 highest = 0;
  int i;

  for (i = 1; i <= count; i++)
    {
      const char *name = sqlite3_bind_parameter_name (statement->stmt, i);
      guint64 number = 0;

      if (name == NULL || name[0] != '$'
          || !g_ascii_string_to_unsigned (name + 1, 10, 1, 65535, &number, NULL))
        {
          g_autofree char *where = koers_server_db_describe_sql (sql);

          g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                       "Parameters must be written $1..$n (in \"%s\")", where);
          return FALSE;
        }
      highest = MAX (highest, number);
    }

  statement->n_params = (guint) highest;
  statement->index = g_new0 (int, highest + 1);
  for (i = 1; i <= count; i++)
    {
      guint64 number = g_ascii_strtoull (sqlite3_bind_parameter_name (statement->stmt, i) + 1,
                                         NULL, 10);
      statement->index[number - 1] = i;
    }
  for (i = 0; i < (int) highest; i++)
    if (statement->index[i] == 0)
      {
        g_autofree char *where = koers_server_db_describe_sql (sql);

        g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                     "Parameter $%d is not used (in \"%s\")", i + 1, where);
        return FALSE;
      }
  return TRUE;
}

static Statement *
prepare (SqliteDb *self, const char *sql, GError **error)
{
  Statement *statement = g_hash_table_lookup (self->statements, sql);
  const char *tail = NULL;
  int rc;

  if (statement != NULL)
    return statement;

  statement = g_new0 (Statement, 1);
  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement->stmt,
                           &tail);
  if (rc != SQLITE_OK)
    {
      set_error (self, rc, sql, error);
      statement_free (statement);
      return NULL;
    }
  if (statement->stmt == NULL || !only_space_left (tail))
    {
      g_autofree char *where = koers_server_db_describe_sql (sql);

      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "Exactly one statement is allowed (in \"%s\")", where);
      statement_free (statement);
      return NULL;
    }
  if (!map_parameters (statement, sql, error))
    {
      statement_free (statement);
      return NULL;
    }

  if (g_hash_table_size (self->statements) >= MAX_CACHED_STATEMENTS)
    g_hash_table_remove_all (self->statements);
  g_hash_table_insert (self->statements, g_strdup (sql), statement);
  return statement;
}

static gboolean
bind_parameters (SqliteDb *self, Statement *statement, const char *sql,
                 const KoersSqlValue *params, guint n_params, GError **error)
{
  guint k;

  if (n_params != statement->n_params)
    {
      g_autofree char *where = koers_server_db_describe_sql (sql);

      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "The statement has %u parameters, %u were given (in \"%s\")",
                   statement->n_params, n_params, where);
      return FALSE;
    }
  for (k = 0; k < n_params; k++)
    {
      int index = statement->index[k];
      int rc;

      switch (params[k].type)
        {
        case KOERS_SQL_INT:
          rc = sqlite3_bind_int64 (statement->stmt, index, params[k].i);
          break;
        case KOERS_SQL_TEXT:
          if (params[k].s == NULL)
            rc = sqlite3_bind_null (statement->stmt, index);
          else
            rc = sqlite3_bind_text (statement->stmt, index, params[k].s, -1, SQLITE_STATIC);
          break;
        case KOERS_SQL_BLOB:
        case KOERS_SQL_UUID_LIST:
          /* Never NULL: SQLite binds a NULL pointer as SQL NULL, not as no bytes. */
          rc = sqlite3_bind_blob64 (statement->stmt, index,
                                    params[k].s != NULL ? params[k].s : "",
                                    (sqlite3_uint64) params[k].i, SQLITE_STATIC);
          break;
        case KOERS_SQL_NULL:
        default:
          rc = sqlite3_bind_null (statement->stmt, index);
          break;
        }
      if (rc != SQLITE_OK)
        {
          set_error (self, rc, sql, error);
          return FALSE;
        }
    }
  return TRUE;
}

static void
add_row (KoersSqlRows *rows, sqlite3_stmt *stmt, int n_columns)
{
  int c;

  for (c = 0; c < n_columns; c++)
    {
      switch (sqlite3_column_type (stmt, c))
        {
        case SQLITE_NULL:
          koers_sql_rows_add_null (rows);
          break;
        case SQLITE_INTEGER:
          koers_sql_rows_add_int (rows, sqlite3_column_int64 (stmt, c));
          break;
        default:
          {
            const char *text = (const char *) sqlite3_column_text (stmt, c);
            int bytes = sqlite3_column_bytes (stmt, c);

            koers_sql_rows_add_text (rows, text != NULL ? text : "", (gsize) bytes);
          }
          break;
        }
    }
}

static const char *
stmt_row_get_text (KoersSqlRow *row, guint column, gsize *out_length)
{
  const char *text = (const char *) sqlite3_column_text (row->source, (int) column);

  if (out_length != NULL)
    *out_length = text != NULL ? (gsize) sqlite3_column_bytes (row->source, (int) column) : 0;
  return text;
}

static gint64
stmt_row_get_int (KoersSqlRow *row, guint column)
{
  gint64 value = 0;

  switch (sqlite3_column_type (row->source, (int) column))
    {
    case SQLITE_INTEGER:
      return sqlite3_column_int64 (row->source, (int) column);
    case SQLITE_NULL:
      return 0;
    default:
      /* As KoersSqlRows reads text: a whole integer or 0 (SQLite's own conversion would
       * take the digits at the start of "12abc"). */
      if (!g_ascii_string_to_signed ((const char *) sqlite3_column_text (row->source,
                                                                       (int) column),
                                     10, G_MININT64, G_MAXINT64, &value, NULL))
        value = 0;
      return value;
    }
}

/* Runs @sql, collecting its rows into *@out_rows when given, else handing each to @func
 * (nullable) while the statement is on it. Without @func it steps to the end (a RETURNING
 * statement only completes when stepped through); @func returning FALSE stops early, which
 * only a SELECT may ask. */
static gboolean
run (SqliteDb *self, const char *sql, const KoersSqlValue *params, guint n_params,
     KoersSqlRows **out_rows, KoersSqlRowFunc func, gpointer user_data,
     guint64 *out_changes, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlRow row = { stmt_row_get_text, stmt_row_get_int, NULL, 0 };
  Statement *statement;
  int n_columns;
  int rc;

  statement = prepare (self, sql, error);
  if (statement == NULL)
    return FALSE;
  if (!bind_parameters (self, statement, sql, params, n_params, error))
    {
      sqlite3_clear_bindings (statement->stmt);
      return FALSE;
    }

  n_columns = sqlite3_column_count (statement->stmt);
  if (out_rows != NULL)
    rows = koers_sql_rows_new ((guint) n_columns);
  row.source = statement->stmt;
  while ((rc = sqlite3_step (statement->stmt)) == SQLITE_ROW)
    {
      if (rows != NULL)
        add_row (rows, statement->stmt, n_columns);
      else if (func != NULL && !func (&row, user_data))
        {
          rc = SQLITE_DONE;
          break;
        }
      row.index++;
    }

  if (rc != SQLITE_DONE)
    {
      set_error (self, rc, sql, error);
      sqlite3_reset (statement->stmt);
      sqlite3_clear_bindings (statement->stmt);
      return FALSE;
    }
  if (out_changes != NULL)
    *out_changes = sqlite3_stmt_readonly (statement->stmt)
                   ? 0 : (guint64) sqlite3_changes64 (self->handle);
  /* Reset at once: in WAL mode a statement left half-open pins its read snapshot. The text
   * parameters were borrowed (SQLITE_STATIC) and must not outlive the call. */
  sqlite3_reset (statement->stmt);
  sqlite3_clear_bindings (statement->stmt);
  if (out_rows != NULL)
    *out_rows = g_steal_pointer (&rows);
  return TRUE;
}

static gboolean
sqlite_exec (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params,
             guint64 *out_changes, GError **error)
{
  return run ((SqliteDb *) db, sql, params, n_params, NULL, NULL, NULL, out_changes, error);
}

/* The rows straight off the statement, with no copy. */
static gboolean
sqlite_query_foreach (KoersServerDb *db, const char *sql, const KoersSqlValue *params,
                      guint n_params, KoersSqlRowFunc func, gpointer user_data, GError **error)
{
  return run ((SqliteDb *) db, sql, params, n_params, NULL, func, user_data, NULL, error);
}

static KoersSqlRows *
sqlite_query (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params,
              GError **error)
{
  KoersSqlRows *rows = NULL;

  if (!run ((SqliteDb *) db, sql, params, n_params, &rows, NULL, NULL, NULL, error))
    return NULL;
  return rows;
}

/* SQLite has one writer per database, so BEGIN IMMEDIATE is the organisation's write lock (and
 * everyone else's): taken at the start, a writer never finds after reading that it cannot
 * write. A reader takes no lock until it writes (an audit row). */
static gboolean
sqlite_begin (KoersServerDb *db, const char *organisation_id, gboolean for_write,
              GError **error)
{
  return sqlite_exec (db, for_write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, 0, NULL, error);
}

static gboolean
sqlite_commit (KoersServerDb *db, GError **error)
{
  return sqlite_exec (db, "COMMIT", NULL, 0, NULL, error);
}

static void
sqlite_rollback (KoersServerDb *db)
{
  SqliteDb *self = (SqliteDb *) db;

  if (!sqlite3_get_autocommit (self->handle))
    sqlite3_exec (self->handle, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
sqlite_in_transaction (KoersServerDb *db)
{
  return !sqlite3_get_autocommit (((SqliteDb *) db)->handle);
}

static void
sqlite_set_lock_timeout (KoersServerDb *db, guint milliseconds)
{
  sqlite3_busy_timeout (((SqliteDb *) db)->handle, (int) MIN (milliseconds, G_MAXINT));
}

/* SQLite's own checkpoint after a commit is a WAL hook too; this one replaces it. */
static int
log_frames_cb (void *data, sqlite3 *handle, const char *schema, int log_frames)
{
  ((SqliteDb *) data)->log_frames = log_frames;
  return SQLITE_OK;
}

static void
sqlite_defer_checkpoints (KoersServerDb *db)
{
  SqliteDb *self = (SqliteDb *) db;

  sqlite3_wal_hook (self->handle, log_frames_cb, self);
}

/* What SQLite's automatic checkpoint would have done after the last commit: a PASSIVE one
 * (it waits for no reader or writer) once the log is 1,000 pages, its default. */
static void
sqlite_checkpoint_if_due (KoersServerDb *db)
{
  SqliteDb *self = (SqliteDb *) db;
  int rc;

  if (self->log_frames < CHECKPOINT_LOG_FRAMES)
    return;
  self->log_frames = 0;
  rc = sqlite3_wal_checkpoint_v2 (self->handle, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  /* Busy (another connection's checkpoint) or worse: the next commit's log tries again, as
   * SQLite's own checkpoint would, silently too. */
  if (rc != SQLITE_OK)
    g_debug ("koers-server: checkpoint: %s", sqlite3_errstr (rc));
}

static gboolean
sqlite_begin_schema (KoersServerDb *db, GError **error)
{
  return sqlite_begin (db, NULL, TRUE, error);
}

static gboolean
sqlite_exec_script (KoersServerDb *db, const char *script, GError **error)
{
  SqliteDb *self = (SqliteDb *) db;
  char *message = NULL;
  int rc = sqlite3_exec (self->handle, script, NULL, NULL, &message);

  if (rc != SQLITE_OK)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED,
                   "SQLite: %s", message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
sqlite_count_tables (KoersServerDb *db, const char *name, guint *out_count, GError **error)
{
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (name) };

  rows = sqlite_query (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                           "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                           "AND ($1 IS NULL OR name = $1)",
                       params, G_N_ELEMENTS (params), error);
  if (rows == NULL)
    return FALSE;
  *out_count = (guint) koers_sql_rows_get_int (rows, 0, 0);
  return TRUE;
}

static void
sqlite_close (KoersServerDb *db)
{
  SqliteDb *self = (SqliteDb *) db;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    sqlite3_close_v2 (self->handle);
  g_free (self->path);
  g_free (self);
}

static const KoersServerDbClass sqlite_class = {
  .close = sqlite_close,
  .exec = sqlite_exec,
  .query = sqlite_query,
  .query_foreach = sqlite_query_foreach,
  .begin = sqlite_begin,
  .commit = sqlite_commit,
  .rollback = sqlite_rollback,
  .in_transaction = sqlite_in_transaction,
  .set_lock_timeout = sqlite_set_lock_timeout,
  .defer_checkpoints = sqlite_defer_checkpoints,
  .checkpoint_if_due = sqlite_checkpoint_if_due,
  .begin_schema = sqlite_begin_schema,
  .exec_script = sqlite_exec_script,
  .count_tables = sqlite_count_tables,
};

/* A file that is not SQLite (a typo in --database) is never opened for writing: SQLite
 * itself reads it read-only first (koers_database_is_foreign_file: reading it with fopen()
 * would drop the POSIX locks of this process's open connections, the audit writer's and the
 * request thread's, when it closes). A missing file is created owner-only. */
static gboolean
check_file (const char *path, GError **error)
{
  int fd;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (!koers_database_is_foreign_file (path))
        return TRUE;
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("The file %s is not an SQLite database; it was not changed"), path);
      return FALSE;
    }
  /* A new database is created owner-only before SQLite writes a byte of it; the -wal and -shm
   * files SQLite makes later copy this mode. No connection of this process has it open yet,
   * so closing this descriptor drops nobody's locks. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd < 0 && errno != EEXIST)
    {
      int saved_errno = errno;

      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("Could not create the database %s: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  if (fd >= 0)
    {
      g_close (fd, NULL);
      g_chmod (path, 0600);   /* the umask may have taken more away; exact is clearer */
    }
  return TRUE;
}

KoersServerDb *
koers_server_db_sqlite_open (const char *path, GError **error)
{
  SqliteDb *self;
  int enabled = 0;
  int rc;
  char *message = NULL;

  if (!check_file (path, error))
    return NULL;

  self = g_new0 (SqliteDb, 1);
  self->parent.klass = &sqlite_class;
  self->parent.backend = KOERS_SERVER_DB_SQLITE;
  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);

  koers_database_init_library ();
  /* NOMUTEX: one connection is used by one thread at a time (koers-server-db.h). */
  rc = sqlite3_open_v2 (path, &self->handle,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("The database %s cannot be opened: %s"), path,
                   self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      sqlite_close (&self->parent);
      return NULL;
    }

  /* As the app's own database (RELIABILITY.md), with one difference of degree: the server
   * keeps synchronous=FULL too, because a client deletes a mutation from its outbox once the
   * server acknowledged it, so an acknowledged commit must survive a power cut. */
  sqlite3_db_config (self->handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_busy_timeout (self->handle, 5000);
  rc = sqlite3_exec (self->handle,
                     "PRAGMA journal_mode = WAL;"
                     "PRAGMA synchronous = FULL;"
                     "PRAGMA foreign_keys = ON;"
                     /* Erasure (wissen) must not leave the erased text in freed pages. */
                     "PRAGMA secure_delete = ON;"
                     "PRAGMA temp_store = MEMORY;"
                     /* 16 MiB instead of 2: the audit trail's participant index takes a
                      * feed page's 500 rows at 500 places; with the small cache every one
                      * was read back from the file first. */
                     "PRAGMA cache_size = -16384",
                     NULL, NULL, &message);
  if (rc == SQLITE_OK)
    rc = koers_server_sqlite_add_list_functions (self->handle);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN,
                   _("The database %s cannot be opened: %s"), path,
                   message != NULL ? message : sqlite3_errstr (rc));
      sqlite3_free (message);
      sqlite_close (&self->parent);
      return NULL;
    }
  return &self->parent;
}
