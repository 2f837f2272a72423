/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-database.h"
#include "storage/koers-database-private.h"

#include "storage/koers-migrations.h"
#include "storage/koers-repository-private.h"
#include "storage/koers-search-backlog.h"
#include "core/koers-date.h"
#include "core/koers-uuid.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>

struct _KoersDatabase
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *handle;
  GHashTable *statements;  /* SQL text -> sqlite3_stmt */
  GHashTable *by_address;  /* address of a caller's SQL text -> sqlite3_stmt (see prepare) */
  guint       depth;       /* nesting of koers_database_begin() */
  gboolean    rolled_back; /* an inner rollback ended the outermost transaction */
  gboolean    read_only;
  char       *pinned_now;  /* koers_database_pin_clock() */
  KoersIdFunc id_func;
  gpointer    id_data;
};

G_DEFINE_FINAL_TYPE (KoersDatabase, koers_database, G_TYPE_OBJECT)

G_DEFINE_QUARK (koers-database-error-quark, koers_database_error)

static void
koers_database_dispose (GObject *object)
{
  KoersDatabase *self = KOERS_DATABASE (object);

  g_clear_pointer (&self->by_address, g_hash_table_unref);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->handle != NULL)
    {
      sqlite3_close_v2 (self->handle);
      self->handle = NULL;
    }

  G_OBJECT_CLASS (koers_database_parent_class)->dispose (object);
}

static void
koers_database_finalize (GObject *object)
{
  KoersDatabase *self = KOERS_DATABASE (object);

  g_free (self->path);
  g_free (self->pinned_now);

  G_OBJECT_CLASS (koers_database_parent_class)->finalize (object);
}

static void
koers_database_class_init (KoersDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = koers_database_dispose;
  object_class->finalize = koers_database_finalize;
}

static void
finalize_statement (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
koers_database_init (KoersDatabase *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, finalize_statement);
  self->by_address = g_hash_table_new (g_direct_hash, g_direct_equal);
}

/* Maps an SQLite result code to our error domain, keeping SQLite's own message for the log. */
void
koers_database_set_error (KoersDatabase *self, int rc, GError **error, const char *context)
{
  const char *message = self != NULL && self->handle != NULL
                        ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc);
  int code = KOERS_DATABASE_ERROR_SQL;

  switch (rc & 0xff)
    {
    case SQLITE_CONSTRAINT:
      code = KOERS_DATABASE_ERROR_CONSTRAINT;
      break;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = KOERS_DATABASE_ERROR_CORRUPT;
      break;
    case SQLITE_CANTOPEN:
      code = KOERS_DATABASE_ERROR_OPEN;
      break;
    default:
      break;
    }

  g_set_error (error, KOERS_DATABASE_ERROR, code, "%s: %s", context, message);
}

static gboolean
exec_sql (KoersDatabase *self, const char *sql, GError **error)
{
  char *errmsg = NULL;
  int rc = sqlite3_exec (self->handle, sql, NULL, NULL, &errmsg);

  if (rc != SQLITE_OK)
    {
      int code = (rc & 0xff) == SQLITE_CONSTRAINT ? KOERS_DATABASE_ERROR_CONSTRAINT
                                                  : KOERS_DATABASE_ERROR_SQL;
      if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
        code = KOERS_DATABASE_ERROR_CORRUPT;
      g_set_error (error, KOERS_DATABASE_ERROR, code, "%s",
                   errmsg != NULL ? errmsg : sqlite3_errstr (rc));
      sqlite3_free (errmsg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
query_int (KoersDatabase *self, const char *sql, int *out_value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->handle, sql, -1, &stmt, NULL);

  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      koers_database_set_error (self, rc, error, sql);
      sqlite3_finalize (stmt);
      return FALSE;
    }
  *out_value = rc == SQLITE_ROW ? sqlite3_column_int (stmt, 0) : 0;
  sqlite3_finalize (stmt);
  return TRUE;
}

/* koers_fold(text): the search key, so migrations can fill new key columns in SQL. */
static void
sql_fold (sqlite3_context *context, int argc, sqlite3_value **argv)
{
  const char *text = (const char *) sqlite3_value_text (argv[0]);
  char *folded = koers_repository_fold (text);

  sqlite3_result_text (context, folded, -1, g_free);
}

gboolean
koers_database_is_foreign_file (const char *path)
{
  sqlite3 *probe = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;
  koers_database_init_library ();
  rc = sqlite3_open_v2 (path, &probe, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_busy_timeout (probe, 5000);
      rc = sqlite3_exec (probe, "PRAGMA schema_version", NULL, NULL, NULL);
    }
  sqlite3_close (probe);
  return (rc & 0xff) == SQLITE_NOTADB;
}

static gboolean
has_tables (KoersDatabase *self, gboolean *out_has, GError **error)
{
  int count = 0;

  if (!query_int (self, "SELECT count(*) FROM sqlite_schema", &count, error))
    return FALSE;
  *out_has = count > 0;
  return TRUE;
}

gboolean
koers_database_create_private_file (const char *path, GError **error)
{
  int fd;

  g_return_val_if_fail (path != NULL, FALSE);

  fd = g_open (path, O_WRONLY | O_CREAT | O_EXCL, KOERS_DATABASE_FILE_MODE);
  if (fd < 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("Could not create %s: %s"), path, g_strerror (errno));
      return FALSE;
    }
  g_close (fd, NULL);
  /* The umask may have taken more away than we asked; it cannot have added. Exact is clearer
   * for whoever looks at the file. No-op on Windows, where the user profile is private. */
  g_chmod (path, KOERS_DATABASE_FILE_MODE);
  return TRUE;
}

/* A copy beside the file before its schema changes, so a failed or unwanted upgrade can be
 * undone by hand. */
static gboolean
backup_before_migration (KoersDatabase *self, int from_version, GError **error)
{
  g_autofree char *backup = NULL;
  GStatBuf info;
  char *sql;
  gboolean ok;
  g_autofree char *base = g_strdup (self->path);
  char *dot = strrchr (base, '.');

  if (dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL)
    *dot = '\0';
  backup = g_strdup_printf ("%s.before-migration-%d.db", base, from_version);
  if (g_stat (backup, &info) == 0 && info.st_size > 0)
    return TRUE; /* a copy of this same version is already there from an earlier attempt */
  /* Empty: an earlier attempt stopped between creating the file and filling it. */
  g_remove (backup);

  if (!koers_database_create_private_file (backup, error))
    {
      g_prefix_error (error, _("Could not back up %s before upgrading it: "), self->path);
      return FALSE;
    }
  sql = sqlite3_mprintf ("VACUUM INTO %Q", backup);
  ok = exec_sql (self, sql, error);
  sqlite3_free (sql);
  if (!ok)
    {
      g_prefix_error (error, _("Could not back up %s before upgrading it: "), self->path);
      /* An empty leftover would pass for "a copy is already there" on the next attempt. */
      g_remove (backup);
    }
  return ok;
}

static void
set_not_writable_error (KoersDatabase *self, GError **error)
{
  g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
               _("The database %s cannot be opened: %s"), self->path,
               /* Translators: the reason in "The database %s cannot be opened: %s" */
               _("it may not be written (check the permissions of the file and of its "
                 "folder)"));
}

static gboolean
setup_connection (KoersDatabase *self, KoersDatabaseOpenFlags flags, GError **error)
{
  int enabled = 0;
  int version = 0;
  int latest = koers_database_get_latest_version ();
  gboolean read_only = (flags & KOERS_DATABASE_OPEN_READ_ONLY) != 0;

  /* Defensive mode: no writable_schema, no journal tricks that can corrupt the file. */
  sqlite3_db_config (self->handle, SQLITE_DBCONFIG_DEFENSIVE, 1, &enabled);
  sqlite3_busy_timeout (self->handle, 5000);
  sqlite3_extended_result_codes (self->handle, 1);
  sqlite3_create_function (self->handle, "koers_fold", 1,
                           SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
                           sql_fold, NULL, NULL);
  koers_search_backlog_add_functions (self->handle);

  /* Reading user_version is the first read of page 1: a damaged header fails here. So does a
   * WAL database whose folder may not be written (SQLite needs its -shm file beside it). */
  if (!query_int (self, "PRAGMA user_version", &version, error))
    {
      if (g_error_matches (*error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT))
        {
          g_clear_error (error);
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                       _("The database %s is damaged and cannot be read"), self->path);
        }
      else if ((sqlite3_extended_errcode (self->handle) & 0xff) == SQLITE_READONLY)
        {
          g_clear_error (error);
          set_not_writable_error (self, error);
        }
      return FALSE;
    }
  /* SQLite opens a file it may not write read-only without a word; the first write would
   * then fail with SQLite's own words (and a backup with stranger ones). */
  if (!read_only && sqlite3_db_readonly (self->handle, "main") == 1)
    {
      set_not_writable_error (self, error);
      return FALSE;
    }
  if (version > latest)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_TOO_NEW,
                   _("The database %s was written by a newer version of Koers (schema %d, this "
                     "version knows %d); it was not changed"), self->path, version, latest);
      return FALSE;
    }

  /* A file about to be migrated is checked whatever the flags say: the migration writes into
   * it, and its backup must not be a copy of a damaged file. */
  if (((flags & (KOERS_DATABASE_OPEN_NO_CHECK | KOERS_DATABASE_OPEN_READ_ONLY)) == 0
       || (!read_only && (flags & KOERS_DATABASE_OPEN_NO_MIGRATE) == 0 && version != latest))
      && !koers_database_check (self, FALSE, error))
    return FALSE;

  if (!read_only && !exec_sql (self, "PRAGMA journal_mode = WAL", error))
    return FALSE;
  if (!exec_sql (self, "PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON;"
                       "PRAGMA temp_store = MEMORY", error))
    return FALSE;

  if (read_only || (flags & KOERS_DATABASE_OPEN_NO_MIGRATE) != 0 || version == latest)
    return TRUE;

  if (version > 0)
    {
      if (!backup_before_migration (self, version, error))
        return FALSE;
    }
  else
    {
      gboolean existing = FALSE;

      if (!has_tables (self, &existing, error))
        return FALSE;
      if (existing && !backup_before_migration (self, version, error))
        return FALSE;
    }

  return koers_migrations_run_to (self, latest, error);
}

/**
 * koers_database_init_library:
 *
 * Configures the SQLite library for this process; every Koers connection opens after it.
 * SQLite counts its memory by default, taking a process-wide mutex on every allocation and
 * free: with thousands of statements a second (a first sync, an import, the server's feed)
 * that was about 4% of the work, for figures Koers never reads. Configuration must come
 * before the library's first use; if something else in the process used SQLite first, the
 * call is refused and the default stays, which is only slower.
 */
void
koers_database_init_library (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
      g_once_init_leave (&done, 1);
    }
}

KoersDatabase *
koers_database_open (const char *path, KoersDatabaseOpenFlags flags, GError **error)
{
  g_autoptr(KoersDatabase) self = NULL;
  int open_flags = SQLITE_OPEN_NOMUTEX;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (koers_database_is_foreign_file (path))
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                   _("The file %s is not a Koers database (it is not an SQLite file); "
                     "it was not changed"), path);
      return NULL;
    }

  /* SQLite's own words for a folder are "disk I/O error" or "unable to open database file". */
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("The database %s cannot be opened: %s"), path,
                   /* Translators: the reason in "The database %s cannot be opened: %s" */
                   _("it is a folder, not a file"));
      return NULL;
    }

  if (flags & KOERS_DATABASE_OPEN_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  /* A new database is created owner-only before SQLite writes a byte of it. */
  if ((flags & KOERS_DATABASE_OPEN_READ_ONLY) == 0 && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GError) create_error = NULL;

      /* Someone else creating it meanwhile is fine: then it is theirs to have made private. */
      if (!koers_database_create_private_file (path, &create_error)
          && !g_file_test (path, G_FILE_TEST_EXISTS))
        {
          g_propagate_error (error, g_steal_pointer (&create_error));
          return NULL;
        }
    }

  self = g_object_new (KOERS_TYPE_DATABASE, NULL);
  self->path = g_strdup (path);
  self->read_only = (flags & KOERS_DATABASE_OPEN_READ_ONLY) != 0;

  koers_database_init_library ();
  rc = sqlite3_open_v2 (path, &self->handle, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("The database %s cannot be opened: %s"), path,
                   self->handle != NULL ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }

  if (!setup_connection (self, flags, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
koers_database_get_path (KoersDatabase *self)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);

  return self->path;
}

sqlite3 *
koers_database_get_handle (KoersDatabase *self)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);

  return self->handle;
}

int
koers_database_get_latest_version (void)
{
  return koers_migrations_latest_version ();
}

int
koers_database_get_user_version (KoersDatabase *self)
{
  int version = -1;

  g_return_val_if_fail (KOERS_IS_DATABASE (self), -1);

  if (!query_int (self, "PRAGMA user_version", &version, NULL))
    return -1;
  return version;
}

/* Texts built per call (g_strdup_printf) leave an address each; past this many the map
 * starts again rather than grow without end. */
#define MAX_REMEMBERED_ADDRESSES 4096

static void
remember_address (KoersDatabase *self, const char *sql, sqlite3_stmt *stmt)
{
  if (g_hash_table_size (self->by_address) >= MAX_REMEMBERED_ADDRESSES)
    g_hash_table_remove_all (self->by_address);
  g_hash_table_insert (self->by_address, (gpointer) sql, stmt);
}

sqlite3_stmt *
koers_database_prepare (KoersDatabase *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  /* Most callers pass the same text at the same address each time (a literal, a plan built
   * once). Hashing a long text on every call was a few percent of a first sync; its address
   * finds the statement, and comparing the texts (far cheaper than hashing them) makes sure a
   * freed and reused address with other SQL in it does not. */
  stmt = g_hash_table_lookup (self->by_address, sql);
  if (stmt == NULL || strcmp (sqlite3_sql (stmt), sql) != 0)
    {
      stmt = g_hash_table_lookup (self->statements, sql);
      if (stmt != NULL)
        remember_address (self, sql, stmt);
    }
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  rc = sqlite3_prepare_v3 (self->handle, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      koers_database_set_error (self, rc, error, "prepare");
      sqlite3_finalize (stmt);
      return NULL;
    }
  g_hash_table_insert (self->statements, g_strdup (sql), stmt);
  remember_address (self, sql, stmt);
  return stmt;
}

gboolean
koers_database_exec (KoersDatabase *self, const char *sql, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);

  return exec_sql (self, sql, error);
}

gboolean
koers_database_step (KoersDatabase *self, sqlite3_stmt *stmt, gboolean *out_has_row,
                     GError **error)
{
  int rc;

  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (stmt != NULL, FALSE);

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    {
      if (out_has_row != NULL)
        *out_has_row = rc == SQLITE_ROW;
      if (rc == SQLITE_DONE)
        sqlite3_reset (stmt); /* release read locks at once: WAL readers pin the snapshot */
      return TRUE;
    }
  koers_database_set_error (self, rc, error, "step");
  sqlite3_reset (stmt);
  return FALSE;
}

void
koers_bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
  g_return_if_fail (stmt != NULL);

  if (value == NULL)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
}

void
koers_bind_int64 (sqlite3_stmt *stmt, int index, gint64 value)
{
  g_return_if_fail (stmt != NULL);

  sqlite3_bind_int64 (stmt, index, value);
}

void
koers_bind_bool (sqlite3_stmt *stmt, int index, gboolean value)
{
  g_return_if_fail (stmt != NULL);

  sqlite3_bind_int (stmt, index, value ? 1 : 0);
}

const char *
koers_column_text (sqlite3_stmt *stmt, int column)
{
  g_return_val_if_fail (stmt != NULL, NULL);

  return (const char *) sqlite3_column_text (stmt, column);
}

gint64
koers_column_int64 (sqlite3_stmt *stmt, int column)
{
  g_return_val_if_fail (stmt != NULL, 0);

  return sqlite3_column_int64 (stmt, column);
}

gboolean
koers_column_bool (sqlite3_stmt *stmt, int column)
{
  g_return_val_if_fail (stmt != NULL, FALSE);

  return sqlite3_column_int (stmt, column) != 0;
}

/* A cached statement that returned the one row its caller wanted stays "busy" until its next
 * reset, and in WAL mode a busy statement keeps the connection's read snapshot open. When
 * another connection (the store's writer, the sync thread's) commits meanwhile, that stale
 * snapshot makes BEGIN IMMEDIATE fail at once with SQLITE_BUSY ("database is locked") instead
 * of waiting. Outside a transaction nobody is still reading from them (writes are not started
 * in the middle of iterating a query), so they are reset before a transaction begins. */
static void
release_finished_reads (KoersDatabase *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->statements);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (sqlite3_stmt_busy (value))
      sqlite3_reset (value);
}

gboolean
koers_database_begin (KoersDatabase *self, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);

  if (self->depth > 0)
    {
      if (self->rolled_back)
        {
          g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL,
                               "begin: the enclosing transaction was already rolled back");
          return FALSE;
        }
      self->depth++;
      return TRUE;
    }

  release_finished_reads (self);
  /* IMMEDIATE takes the write lock up front, so a busy database waits (busy_timeout) at the
   * start instead of failing halfway with SQLITE_BUSY on the first write. */
  if (!exec_sql (self, self->read_only ? "BEGIN" : "BEGIN IMMEDIATE", error))
    return FALSE;
  self->depth = 1;
  self->rolled_back = FALSE;
  return TRUE;
}

gboolean
koers_database_commit (KoersDatabase *self, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);
  g_return_val_if_fail (self->depth > 0, FALSE);

  self->depth--;
  if (self->rolled_back)
    {
      if (self->depth == 0)
        self->rolled_back = FALSE;
      g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL,
                           "commit: the transaction was rolled back");
      return FALSE;
    }
  if (self->depth > 0)
    return TRUE;

  if (!exec_sql (self, "COMMIT", error))
    {
      if (!sqlite3_get_autocommit (self->handle))
        exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

void
koers_database_rollback (KoersDatabase *self)
{
  g_return_if_fail (KOERS_IS_DATABASE (self));

  if (self->depth == 0)
    return;

  if (!self->rolled_back)
    {
      if (!sqlite3_get_autocommit (self->handle))
        exec_sql (self, "ROLLBACK", NULL);
      self->rolled_back = TRUE;
    }
  self->depth--;
  if (self->depth == 0)
    self->rolled_back = FALSE;
}

gboolean
koers_database_check (KoersDatabase *self, gboolean full, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  GString *problems = g_string_new (NULL);
  int rc;

  g_return_val_if_fail (KOERS_IS_DATABASE (self), FALSE);

  rc = sqlite3_prepare_v2 (self->handle, full ? "PRAGMA integrity_check(20)"
                                              : "PRAGMA quick_check(20)", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_step (stmt);
  for (; rc == SQLITE_ROW; rc = sqlite3_step (stmt))
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        g_string_append_printf (problems, "%s%s", problems->len > 0 ? "; " : "",
                                line != NULL ? line : "?");
    }
  sqlite3_finalize (stmt);

  /* A check that could not run (locked, out of memory, I/O) has not found damage: callers
   * replace a damaged file with a backup, so only real findings may say "damaged". */
  if (rc != SQLITE_DONE && problems->len == 0 && (rc & 0xff) != SQLITE_CORRUPT
      && (rc & 0xff) != SQLITE_NOTADB)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL,
                   _("The database %s could not be checked: %s"), self->path,
                   sqlite3_errstr (rc));
      g_string_free (problems, TRUE);
      return FALSE;
    }
  if (rc != SQLITE_DONE && problems->len == 0)
    g_string_append (problems, sqlite3_errstr (rc));

  if (problems->len > 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                   _("The database %s is damaged (%s)"), self->path, problems->str);
      g_string_free (problems, TRUE);
      return FALSE;
    }
  g_string_free (problems, TRUE);
  return TRUE;
}

void
koers_database_pin_clock (KoersDatabase *self,
                          const char    *timestamp_iso)
{
  g_return_if_fail (KOERS_IS_DATABASE (self));
  g_return_if_fail (timestamp_iso == NULL || koers_timestamp_is_valid_iso (timestamp_iso));

  g_free (self->pinned_now);
  self->pinned_now = g_strdup (timestamp_iso);
}

void
koers_database_set_id_source (KoersDatabase *self,
                              KoersIdFunc    func,
                              gpointer       data)
{
  g_return_if_fail (KOERS_IS_DATABASE (self));

  self->id_func = func;
  self->id_data = data;
}

char *
koers_database_now (KoersDatabase *self)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);

  if (self->pinned_now != NULL)
    return g_strdup (self->pinned_now);
  return koers_timestamp_now_iso ();
}

char *
koers_database_today (KoersDatabase *self)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);

  /* A pinned timestamp is "YYYY-MM-DDTHH:MM:SSZ": its date is the first ten characters. */
  if (self->pinned_now != NULL)
    return g_strndup (self->pinned_now, 10);
  return koers_date_today_iso ();
}

char *
koers_database_new_id (KoersDatabase *self)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (self), NULL);

  if (self->id_func != NULL)
    return self->id_func (self->id_data);
  return koers_uuid_new_time_ordered ();
}
