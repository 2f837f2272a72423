/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-database.h"

#include "koers-test-helpers.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/stat.h>
#include <unistd.h>
#endif

static KoersDatabase *
open_fresh (char **out_path)
{
  g_autoptr(GError) error = NULL;
  char *path = koers_test_make_temp_db_path ();
  KoersDatabase *db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  if (out_path != NULL)
    *out_path = path;
  else
    g_free (path);
  return db;
}

static gint64
pragma_int (KoersDatabase *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, &error);
  gboolean has_row = FALSE;
  gint64 value;

  g_assert_no_error (error);
  g_assert_true (koers_database_step (db, stmt, &has_row, &error));
  g_assert_no_error (error);
  g_assert_true (has_row);
  value = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

static gint64
count_rows (KoersDatabase *db, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);

  return pragma_int (db, sql);
}

static void
test_pragmas (void)
{
  g_autoptr(KoersDatabase) db = open_fresh (NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  int defensive = -1;

  stmt = koers_database_prepare (db, "PRAGMA journal_mode", &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_step (db, stmt, &has_row, &error));
  g_assert_cmpstr (koers_column_text (stmt, 0), ==, "wal");
  sqlite3_reset (stmt);

  g_assert_cmpint (pragma_int (db, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (pragma_int (db, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (pragma_int (db, "PRAGMA busy_timeout"), ==, 5000);
  g_assert_cmpint (pragma_int (db, "PRAGMA temp_store"), ==, 2); /* MEMORY */
  g_assert_cmpint (pragma_int (db, "PRAGMA user_version"), ==,
                   koers_database_get_latest_version ());

  sqlite3_db_config (koers_database_get_handle (db), SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
  g_assert_cmpint (defensive, ==, 1);
  /* Defensive mode is what refuses this: a writable schema is how files get corrupted. */
  g_assert_false (koers_database_exec (db, "PRAGMA writable_schema = ON; "
                                           "UPDATE sqlite_schema SET sql = '' WHERE 0", &error));
  g_assert_nonnull (error);
}

static void
test_read_only_second_connection (void)
{
  g_autofree char *path = NULL;
  g_autoptr(KoersDatabase) db = open_fresh (&path);
  g_autoptr(KoersDatabase) reader = NULL;
  g_autoptr(GError) error = NULL;

  reader = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (reader), ==,
                   koers_database_get_latest_version ());
  g_assert_false (koers_database_exec (reader, "INSERT INTO organisation (id, created_at, "
                                               "created_by, updated_at, updated_by, name) "
                                               "VALUES ('o', 'a', 'b', 'c', 'd', 'e')", &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL);
}

static const char insert_org[] =
  "INSERT INTO organisation (id, created_at, created_by, updated_at, updated_by, name) "
  "VALUES (?1, 'now', 'test', 'now', 'test', 'Werkcentrum')";

static gboolean
insert_organisation (KoersDatabase *db, const char *id, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, insert_org, error);

  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  return koers_database_step (db, stmt, NULL, error);
}

static void
test_nested_transactions (void)
{
  g_autoptr(KoersDatabase) db = open_fresh (NULL);
  g_autoptr(GError) error = NULL;

  /* Inner commit does not commit: the outer rollback takes both rows back. */
  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "a", &error));
  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "b", &error));
  g_assert_true (koers_database_commit (db, &error));
  g_assert_no_error (error);
  koers_database_rollback (db);
  g_assert_cmpint (count_rows (db, "organisation"), ==, 0);

  /* An inner rollback dooms the outer transaction: its commit fails and nothing is kept. */
  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "c", &error));
  g_assert_true (koers_database_begin (db, &error));
  koers_database_rollback (db);
  g_assert_false (koers_database_commit (db, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (db, "organisation"), ==, 0);

  /* And a plain nested commit keeps both. */
  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "d", &error));
  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "e", &error));
  g_assert_true (koers_database_commit (db, &error));
  g_assert_true (koers_database_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (db, "organisation"), ==, 2);
}

/* A watched cancellable stops a long statement once cancelled, and only while watched. */
static void
test_cancellable (void)
{
  static const char long_sql[] = "WITH RECURSIVE c (x) AS (SELECT 1 UNION ALL SELECT x + 1 "
                                 "FROM c WHERE x < 200000) SELECT count(*) FROM c";
  g_autoptr(KoersDatabase) db = open_fresh (NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  koers_database_set_cancellable (db, cancellable);
  g_assert_true (koers_database_query_int64 (db, long_sql, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 200000);

  g_cancellable_cancel (cancellable);
  g_assert_false (koers_database_query_int64 (db, long_sql, &n, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "interrupt"));
  g_clear_error (&error);

  koers_database_set_cancellable (db, NULL);
  g_assert_true (koers_database_query_int64 (db, long_sql, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 200000);
}

static void
test_rollback_on_error (void)
{
  g_autoptr(KoersDatabase) db = open_fresh (NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_database_begin (db, &error));
  g_assert_true (insert_organisation (db, "x", &error));
  /* Same primary key again: the constraint error maps to CONSTRAINT. */
  g_assert_false (insert_organisation (db, "x", &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT);
  koers_database_rollback (db);
  g_assert_cmpint (count_rows (db, "organisation"), ==, 0);

  /* A foreign key to nowhere is refused: foreign_keys is really on. */
  g_clear_error (&error);
  g_assert_false (koers_database_exec (db, "INSERT INTO coach (id, organisation_id, created_at, "
                                           "created_by, updated_at, updated_by, name) VALUES "
                                           "('c', 'missing', 'a', 'b', 'c', 'd', 'Coach')",
                                       &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT);
  g_assert_cmpint (count_rows (db, "coach"), ==, 0);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static void
test_garbage_file (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  const char text[] = "Naam;Gemeente\nAmina;Aalten\n"
                      "This is a spreadsheet export, not a database at all.\n";

  g_assert_true (g_file_set_contents (path, text, -1, &error));
  before = read_file (path);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_null (db);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* A second connection opened in a process that has one open must not cost the first its
 * locks: opening the file outside SQLite and closing it dropped every POSIX lock the process
 * held on it, and another process then took the database for unused, checkpointed it and
 * deleted its -wal under the open connection; what that connection committed afterwards was
 * invisible to every other process and lost with a crash. */
static void
test_second_open_keeps_locks (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) first = NULL;
  g_autoptr(KoersDatabase) second = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  first = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (first, "CREATE TABLE t (x); INSERT INTO t VALUES (1)",
                                      &error));
  g_assert_no_error (error);
  second = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  before = koers_test_sqlite_shell (path, "SELECT count(*) FROM t");
  if (before == NULL)
    return;
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_true (koers_database_exec (first, "INSERT INTO t VALUES (2)", &error));
  g_assert_no_error (error);
  after = koers_test_sqlite_shell (path, "SELECT count(*) FROM t");
  g_assert_cmpstr (after, ==, "2");
}

static void
corrupt_page (const char *path, gsize page_size, guint page)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_cmpuint (length, >=, page_size * (page + 1));
  memset (contents + page_size * page, 0xa5, page_size);
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_free (contents);
}

static void
test_corrupt_page (void)
{
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(GError) error = NULL;
  KoersDatabase *db = open_fresh (&path);
  gint64 page_size = pragma_int (db, "PRAGMA page_size");
  gint64 pages;

  /* Enough rows for a multi-page table, then close: the WAL goes into the main file. */
  g_assert_true (koers_database_begin (db, &error));
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = g_strdup_printf ("organisation-%04u", i);

      g_assert_true (insert_organisation (db, id, &error));
    }
  g_assert_true (koers_database_commit (db, &error));
  pages = pragma_int (db, "PRAGMA page_count");
  g_assert_cmpint (pages, >, 10);
  g_object_unref (db);
  wal = g_strconcat (path, "-wal", NULL);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  corrupt_page (path, page_size, (guint) pages - 2);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_null (db);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);

  /* Without the check (an export reads only its own rows) the file opens ... */
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_CHECK, &error);
  g_assert_no_error (error);
  g_clear_object (&db);
  /* ... but not when it would be migrated: that writes into it and backs it up first. */
  {
    sqlite3 *raw = NULL;
    g_autofree char *version = NULL;
    g_autofree char *set = g_strdup_printf ("PRAGMA user_version = %d",
                                            koers_database_get_latest_version () - 1);

    g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (raw, set, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (raw);
    db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_CHECK, &error);
    g_assert_null (db);
    g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
    /* Found by the check, before any backup was tried. */
    g_assert_nonnull (strstr (error->message, "damaged"));
    g_assert_null (strstr (error->message, "back up"));
    version = koers_test_sqlite_shell (path, "PRAGMA user_version");
    g_assert_cmpint (atoi (version), ==, koers_database_get_latest_version () - 1);
  }
}

static void
test_too_new (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  sqlite3 *raw = NULL;

  /* A file from a future Koers, written with plain SQLite (rollback journal). */
  g_assert_cmpint (sqlite3_open (path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                                      "PRAGMA user_version = 999", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (raw);
  before = read_file (path);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_null (db);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "999"));
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* A file that may not be written is named as such when opened for writing, not later as
 * SQLite's "attempt to write a readonly database" from whatever statement writes first. */
static void
test_not_writable (void)
{
#ifdef G_OS_WIN32
  g_test_skip ("file modes are not used on Windows");
#else
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) reader = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;

  {
    g_autoptr(KoersDatabase) db = open_fresh (&path);
  }
  g_assert_cmpint (g_chmod (path, 0444), ==, 0);
  /* Permissions do not stop root (CI containers): run as a user to see this one. */
  if (g_access (path, W_OK) == 0)
    {
      g_test_skip ("the file stays writable for this user (root)");
      return;
    }
  before = read_file (path);

  g_assert_null (koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_nonnull (strstr (error->message, "may not be written"));
  g_assert_null (strstr (error->message, "PRAGMA"));
  g_clear_error (&error);

  /* Reading it is still fine. */
  reader = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reader);
  after = read_file (path);
  g_assert_true (g_bytes_equal (before, after));
#endif
}

/* The caseload is personal data: nobody but its owner may read the file or its WAL. */
static void
test_owner_only_files (void)
{
#ifdef G_OS_WIN32
  g_test_skip ("file modes are not used on Windows (the user profile is private)");
#else
  g_autofree char *path = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  const char *const suffixes[] = { "", "-wal", "-shm" };

  /* With the usual umask the files would be 0644; a stricter one would hide a regression. */
  umask (022);
  db = open_fresh (&path);
  g_assert_true (koers_database_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1)",
                                      &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf info;

      g_assert_cmpint (g_stat (file, &info), ==, 0);
      g_assert_cmpint (info.st_mode & 0777, ==, 0600);
    }
#endif
}

static void
test_statement_cache (void)
{
  g_autoptr(KoersDatabase) db = open_fresh (NULL);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *first;
  sqlite3_stmt *second;

  first = koers_database_prepare (db, "SELECT ?1", &error);
  koers_bind_text (first, 1, "bound");
  second = koers_database_prepare (db, "SELECT ?1", &error);
  g_assert_true (first == second);
  /* Bindings are cleared on every prepare, so no value leaks into the next use. */
  g_assert_true (koers_database_step (db, second, NULL, &error));
  g_assert_null (koers_column_text (second, 0));

  g_assert_null (koers_database_prepare (db, "SELEKT 1", &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL);
}

/* Two writers on one file, as the store and the sync thread are: a one-row read that left its
 * cached statement busy must not make this connection's next transaction fail with
 * "database is locked" after the other connection committed. */
static void
test_two_writers_after_a_read (void)
{
  g_autofree char *path = NULL;
  g_autoptr(KoersDatabase) db = open_fresh (&path);
  g_autoptr(KoersDatabase) other = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  other = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);

  /* A read of one row; the statement is left as callers leave it, on its row. */
  stmt = koers_database_prepare (db, "SELECT count(*) FROM organisation", &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_step (db, stmt, &has_row, &error));
  g_assert_true (has_row);

  g_assert_true (koers_database_exec (other, "INSERT INTO organisation (id, created_at, "
                                             "created_by, updated_at, updated_by, name) "
                                             "VALUES ('o1', 'a', 'b', 'c', 'd', 'e')", &error));
  g_assert_no_error (error);

  g_assert_true (koers_database_begin (db, &error));
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (db, "INSERT INTO organisation (id, created_at, "
                                          "created_by, updated_at, updated_by, name) "
                                          "VALUES ('o2', 'a', 'b', 'c', 'd', 'e')", &error));
  g_assert_no_error (error);
  g_assert_true (koers_database_commit (db, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/database/pragmas", test_pragmas);
  g_test_add_func ("/database/read-only", test_read_only_second_connection);
  g_test_add_func ("/database/two-writers-after-a-read", test_two_writers_after_a_read);
  g_test_add_func ("/database/nested-transactions", test_nested_transactions);
  g_test_add_func ("/database/rollback-on-error", test_rollback_on_error);
  g_test_add_func ("/database/cancellable", test_cancellable);
  g_test_add_func ("/database/garbage-file", test_garbage_file);
  g_test_add_func ("/database/second-open-keeps-locks", test_second_open_keeps_locks);
  g_test_add_func ("/database/corrupt-page", test_corrupt_page);
  g_test_add_func ("/database/too-new", test_too_new);
  g_test_add_func ("/database/not-writable", test_not_writable);
  g_test_add_func ("/database/statement-cache", test_statement_cache);
  g_test_add_func ("/database/owner-only-files", test_owner_only_files);

  return g_test_run ();
}
