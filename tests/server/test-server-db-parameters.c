/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's storage interface, the same cases on SQLite and PostgreSQL: how each kind of
 * parameter reaches a statement, at once and queued in a transaction (the rest of one
 * connection's statements and transactions: test-server-db.c). */
#include "config.h"

#include "core/koers-uuid.h"
#include "server/koers-server-db.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"
#include "test-server-db-private.h"

#include <string.h>

static void
test_parameters (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;

  exec_ok (db, "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT, s TEXT)", NULL, 0);
  /* $2 before $1: bound by number, not by position. */
  exec_ok (db, "INSERT INTO t (s, n, id) VALUES ($2, $1, $3)",
           (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (42), KOERS_SQL_TEXT_VALUE ("twee"),
                               KOERS_SQL_INT_VALUE (7) }, 3);
  /* $1 used twice. */
  rows = koers_server_db_query (db, "SELECT s, n FROM t WHERE id = $2 AND n = $1 AND n >= $1",
                                (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (42),
                                                    KOERS_SQL_INT_VALUE (7) }, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "twee");
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 1), ==, 42);

  /* Too few parameters is an error on both back ends, never a silent NULL. */
  g_assert_false (koers_server_db_exec (db, "UPDATE t SET n = $1 WHERE id = $2",
                                        (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (1) }, 1,
                                        NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT n FROM t", NULL, 0), ==, 42);

  /* One statement per call. */
  g_assert_false (koers_server_db_exec (db, "UPDATE t SET n = 1; UPDATE t SET n = 2", NULL, 0,
                                        NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT n FROM t", NULL, 0), ==, 42);
}

/* Bytes go in as bytes on both back ends, NULs and all, whether the statement runs at once or
 * waits in a transaction's queue (PostgreSQL sends them as bytea's text). */
static void
test_blob_parameters (KoersServerDbBackend backend)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0x00, 0x5c, 0x27 };
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  const gboolean postgresql = backend == KOERS_SERVER_DB_POSTGRESQL;
  const char *hex_sql = postgresql ? "SELECT encode (b, 'hex') FROM t WHERE id = $1"
                                   : "SELECT lower (hex (b)) FROM t WHERE id = $1";

  exec_ok (db, postgresql ? "CREATE TABLE t (id BIGINT PRIMARY KEY, b BYTEA)"
                          : "CREATE TABLE t (id BIGINT PRIMARY KEY, b BLOB)", NULL, 0);
  exec_ok (db, "INSERT INTO t (id, b) VALUES ($1, $2)",
           (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (1),
                               KOERS_SQL_BLOB_VALUE (bytes, sizeof bytes) }, 2);
  exec_ok (db, "INSERT INTO t (id, b) VALUES ($1, $2)",
           (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (2), KOERS_SQL_BLOB_VALUE (NULL, 0) }, 2);
  add_organisation (db, ORG_A);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, "INSERT INTO t (id, b) VALUES ($1, $2)",
                                                (KoersSqlValue[]) {
                                                  KOERS_SQL_INT_VALUE (3),
                                                  KOERS_SQL_BLOB_VALUE (bytes + 1, 4) },
                                                2, NULL, &error));
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);

  for (guint id = 1; id <= 3; id++)
    {
      static const char *const expected[] = { "00017f80ff005c27", "", "017f80ff" };
      KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (id) };
      g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, hex_sql, params, 1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, expected[id - 1]);
    }
  /* No bytes are still bytes, not NULL. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE b IS NULL", NULL, 0), ==, 0);
}

/* How many ids the list @params[0] holds, asked by @call_kind: 0 a read transaction's first
 * statement (sent with its BEGIN), 1 a read transaction of one statement, 2 two calls of
 * query_each in a transaction (the second with @params[1]); the counts in @out_counts. */
static void
count_list_ids (KoersServerDb *db, gboolean postgresql, guint call_kind,
                const KoersSqlValue *params, gint64 *out_counts)
{
  /* PostgreSQL: counted only when the array is numbered from 1 (else NULL, read as 0). */
  const char *sql = postgresql ? "SELECT CASE WHEN array_lower (CAST($1 AS uuid[]), 1) = 1 "
                                 "THEN cardinality (CAST($1 AS uuid[])) END"
                               : "SELECT length ($1) / 16";
  g_autoptr(GError) error = NULL;
  KoersSqlRows *rows[2] = { NULL, NULL };

  if (call_kind == 1)
    rows[0] = koers_server_db_query_read (db, ORG_A, sql, params, 1, &error);
  else if (call_kind == 0)
    {
      g_assert_true (koers_server_db_begin_read (db, ORG_A, &error));
      rows[0] = koers_server_db_query (db, sql, params, 1, &error);
    }
  else
    {
      g_assert_true (koers_server_db_begin (db, ORG_A, &error));
      g_assert_true (koers_server_db_query_each (db, sql, params, 1, 2, rows, &error));
    }
  g_assert_no_error (error);
  if (call_kind != 1)
    g_assert_true (koers_server_db_commit (db, &error));
  for (guint i = 0; i < (call_kind == 2 ? 2 : 1); i++)
    {
      out_counts[i] = koers_sql_rows_get_int (rows[i], 0, 0);
      koers_sql_rows_free (rows[i]);
    }
}

/* An id list goes in as its ids on both back ends: SQLite stores the bytes (16 an id, as
 * koers_uuid_list_pack makes them), PostgreSQL gets a uuid[] in binary form (counted from 1,
 * as its own arrays are), whether the statement runs at once, waits in a transaction's
 * queue, begins a read transaction or is one of several calls sent together. No ids is a
 * list of none, not NULL. */
static void
test_uuid_list_parameters (KoersServerDbBackend backend)
{
  static const char *const ids[] = {
    "5c1e7a2b-0000-4000-8000-000000000001", "ffffffff-0000-4000-8000-00000000abcd",
    "00000000-0000-0000-0000-000000000000",
  };
  static const char *const expected[] = {
    "5c1e7a2b-0000-4000-8000-000000000001 ffffffff-0000-4000-8000-00000000abcd "
    "00000000-0000-0000-0000-000000000000",
    "", "ffffffff-0000-4000-8000-00000000abcd",
  };
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  const gboolean postgresql = backend == KOERS_SERVER_DB_POSTGRESQL;
  guint8 packed[G_N_ELEMENTS (ids) * 16];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_true (koers_uuid_parse (ids[i], packed + 16 * i));
  exec_ok (db, postgresql ? "CREATE TABLE t (id BIGINT PRIMARY KEY, ids uuid[])"
                          : "CREATE TABLE t (id BIGINT PRIMARY KEY, ids BLOB)", NULL, 0);
  exec_ok (db, "INSERT INTO t (id, ids) VALUES ($1, $2)",
           (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (1),
                               KOERS_SQL_UUID_LIST_VALUE (packed, sizeof packed) }, 2);
  exec_ok (db, "INSERT INTO t (id, ids) VALUES ($1, $2)",
           (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (2), KOERS_SQL_UUID_LIST_VALUE (NULL, 0) },
           2);
  add_organisation (db, ORG_A);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, "INSERT INTO t (id, ids) VALUES ($1, $2)",
                                                (KoersSqlValue[]) {
                                                  KOERS_SQL_INT_VALUE (3),
                                                  KOERS_SQL_UUID_LIST_VALUE (packed + 16, 16) },
                                                2, NULL, &error));
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);

  for (guint id = 1; id <= 3; id++)
    {
      KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (id) };
      g_autoptr(KoersSqlRows) rows =
        koers_server_db_query (db, postgresql ? "SELECT array_to_string (ids, ' ') FROM t "
                                                "WHERE id = $1"
                                              : "SELECT koers_uuid_list (ids) FROM t "
                                                "WHERE id = $1", params, 1, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, expected[id - 1]);
    }
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE ids IS NULL", NULL, 0), ==, 0);
  if (postgresql)
    g_assert_cmpint (query_int (db, "SELECT count(*) FROM t WHERE id = 1 AND ids = CAST('{"
                                    "5c1e7a2b-0000-4000-8000-000000000001, "
                                    "ffffffff-0000-4000-8000-00000000abcd, "
                                    "00000000-0000-0000-0000-000000000000}' AS uuid[]) "
                                    "AND array_lower (ids, 1) = 1", NULL, 0), ==, 1);

  for (guint call_kind = 0; call_kind < 3; call_kind++)
    {
      KoersSqlValue lists[] = {
        KOERS_SQL_UUID_LIST_VALUE (packed, sizeof packed),
        KOERS_SQL_UUID_LIST_VALUE (packed + 16, 32),
      };
      gint64 counts[2] = { -1, -1 };

      count_list_ids (db, postgresql, call_kind, lists, counts);
      g_assert_cmpint (counts[0], ==, 3);
      if (call_kind == 2)
        g_assert_cmpint (counts[1], ==, 2);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-db/parameters", test_parameters);
  koers_test_server_db_add ("/server-db/blob-parameters", test_blob_parameters);
  koers_test_server_db_add ("/server-db/uuid-list-parameters", test_uuid_list_parameters);

  return g_test_run ();
}
