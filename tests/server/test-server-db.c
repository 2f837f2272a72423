/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's storage interface, the same cases on SQLite and PostgreSQL. */
#include "config.h"

#include "server/koers-server-db.h"
#include "server/koers-server-db-private.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#define ORG_A "0f6c1e0a-0000-4000-8000-00000000000a"
#define ORG_B "0f6c1e0a-0000-4000-8000-00000000000b"

static void
exec_ok (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;

  koers_server_db_exec (db, sql, params, n_params, NULL, &error);
  g_assert_no_error (error);
}

static gint64
query_int (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, sql, params, n_params, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  return koers_sql_rows_get_int (rows, 0, 0);
}

static void
add_organisation (KoersServerDb *db, const char *id)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE ("Gemeente"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"),
  };

  exec_ok (db, "INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)",
           params, G_N_ELEMENTS (params));
}

static KoersServerDb *
open_ok (const char *location)
{
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_server_db_open (location, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

static void
test_schema_created (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  static const char *const tables[] = {
    "organisations", "users", "devices", "auth_codes", "tokens", "login_attempts", "records",
    "scope_exits", "history", "processed_mutations", "audit", "meta",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", tables[i]);

      g_assert_cmpint (query_int (db, sql, NULL, 0), ==, 0 + (g_str_equal (tables[i], "meta")
                                                              ? 2 : 0));
    }
  rows = koers_server_db_query (db, "SELECT value FROM meta WHERE key = $1",
                                (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE ("schema_version") },
                                1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "1");
  g_assert_true (g_uuid_string_is_valid (koers_server_db_get_epoch (db)));
}

static void
test_epoch (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_test_server_db_open (backend, &location);

  first = g_strdup (koers_server_db_get_epoch (db));
  koers_server_db_free (db);

  db = open_ok (location);
  g_assert_cmpstr (koers_server_db_get_epoch (db), ==, first);
  g_assert_true (koers_server_db_new_epoch (db, &error));
  g_assert_no_error (error);
  second = g_strdup (koers_server_db_get_epoch (db));
  g_assert_true (g_uuid_string_is_valid (second));
  g_assert_cmpstr (second, !=, first);
  koers_server_db_free (db);

  db = open_ok (location);
  g_assert_cmpstr (koers_server_db_get_epoch (db), ==, second);
  koers_server_db_free (db);
}

static void
test_round_trip (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  const char *arabic = "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf \xd8\xa7\xd9\x84\xd8\xb9\xd9\x84"
                       "\xd9\x8a";   /* محمد العلي */
  const char *mixed = "Zo\xc3\xab O'Brien \"x\" \xf0\x9f\x99\x82 \\ %s $1";
  struct {
    gint64 id;
    KoersSqlValue n;
    KoersSqlValue s;
  } cases[] = {
    { 1, KOERS_SQL_NULL_VALUE, KOERS_SQL_TEXT_VALUE (NULL) },
    { 2, KOERS_SQL_INT_VALUE (G_MININT64), KOERS_SQL_TEXT_VALUE (arabic) },
    { 3, KOERS_SQL_INT_VALUE (G_MAXINT64), KOERS_SQL_TEXT_VALUE (mixed) },
    { 4, KOERS_SQL_INT_VALUE (0), KOERS_SQL_TEXT_VALUE ("") },
    { 5, KOERS_SQL_INT_VALUE (-1), KOERS_SQL_TEXT_VALUE ("2026-11-28T09:15:00Z") },
  };
  guint64 changes = 0;
  guint i;

  exec_ok (db, "CREATE TABLE t (id BIGINT PRIMARY KEY, n BIGINT, s TEXT)", NULL, 0);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (cases[i].id), cases[i].n, cases[i].s };

      g_assert_true (koers_server_db_exec (db, "INSERT INTO t (id, n, s) VALUES ($1, $2, $3)",
                                           params, 3, &changes, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (changes, ==, 1);
    }

  rows = koers_server_db_query (db, "SELECT id, n, s FROM t ORDER BY id", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, G_N_ELEMENTS (cases));
  g_assert_cmpuint (koers_sql_rows_get_n_columns (rows), ==, 3);
  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_cmpint (koers_sql_rows_get_int (rows, i, 0), ==, cases[i].id);
      g_assert_cmpint (koers_sql_rows_is_null (rows, i, 1), ==, cases[i].n.type == KOERS_SQL_NULL);
      g_assert_cmpint (koers_sql_rows_get_int (rows, i, 1), ==, cases[i].n.i);
      g_assert_cmpint (koers_sql_rows_is_null (rows, i, 2), ==, cases[i].s.s == NULL);
      g_assert_cmpstr (koers_sql_rows_get_text (rows, i, 2), ==, cases[i].s.s);
    }
  g_assert_null (koers_sql_rows_get_text (rows, 0, 1));
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 1, 1), ==, "-9223372036854775808");
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 2, 1), ==, "9223372036854775807");

  /* Changes count the rows a statement changed, and a query changes none. */
  g_assert_true (koers_server_db_exec (db, "UPDATE t SET s = $1 WHERE id > $2",
                                       (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE ("x"),
                                                           KOERS_SQL_INT_VALUE (3) },
                                       2, &changes, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (koers_server_db_exec (db, "SELECT id FROM t", NULL, 0, &changes, &error));
  g_assert_cmpuint (changes, ==, 0);

  /* RETURNING, and booleans read as 0/1 on both back ends. */
  g_clear_pointer (&rows, koers_sql_rows_free);
  rows = koers_server_db_query (db, "UPDATE t SET n = n + 1 WHERE id = $1 RETURNING n, n > 0",
                                (KoersSqlValue[]) { KOERS_SQL_INT_VALUE (4) }, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 0), ==, 1);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 1), ==, "1");
}

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

static void
test_constraint (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  KoersSqlValue user[] = {
    KOERS_SQL_TEXT_VALUE ("u1"), KOERS_SQL_TEXT_VALUE (ORG_A),
    KOERS_SQL_TEXT_VALUE ("geheime-gebruikersnaam"), KOERS_SQL_TEXT_VALUE ("Fatima"),
    KOERS_SQL_TEXT_VALUE ("coach"), KOERS_SQL_TEXT_VALUE ("hash"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"),
  };
  static const char insert_user[] =
    "INSERT INTO users (id, organisation_id, username, display_name, role, password_hash, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";

  /* Foreign key: the organisation does not exist yet. */
  g_assert_false (koers_server_db_exec (db, insert_user, user, G_N_ELEMENTS (user), NULL,
                                        &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);

  add_organisation (db, ORG_A);
  exec_ok (db, insert_user, user, G_N_ELEMENTS (user));

  /* Unique: same id again. The message names no value. */
  g_assert_false (koers_server_db_exec (db, insert_user, user, G_N_ELEMENTS (user), NULL,
                                        &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT);
  g_assert_null (strstr (error->message, "geheime"));
  g_assert_null (strstr (error->message, "u1"));
  g_clear_error (&error);

  /* Check: a role that does not exist. */
  user[0] = KOERS_SQL_TEXT_VALUE ("u2");
  user[2] = KOERS_SQL_TEXT_VALUE ("ander");
  user[4] = KOERS_SQL_TEXT_VALUE ("beheerder");
  g_assert_false (koers_server_db_exec (db, insert_user, user, G_N_ELEMENTS (user), NULL,
                                        &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT);
  g_assert_null (strstr (error->message, "beheerder"));
  g_clear_error (&error);

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM users", NULL, 0), ==, 1);
}

static void
test_rollback (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;

  add_organisation (db, ORG_A);

  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_db_in_transaction (db));
  exec_ok (db, "UPDATE organisations SET sequence = sequence + 1 WHERE id = $1",
           (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1);
  add_organisation (db, ORG_B);
  /* A failing statement in the middle, as the engine would meet it. */
  g_assert_false (koers_server_db_exec (db, "INSERT INTO organisations (id) VALUES ($1)",
                                        (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1,
                                        NULL, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_false (koers_server_db_in_transaction (db));

  g_assert_cmpint (query_int (db, "SELECT count(*) FROM organisations", NULL, 0), ==, 1);
  g_assert_cmpint (query_int (db, "SELECT sequence FROM organisations", NULL, 0), ==, 0);

  /* Transactions do not nest, and a commit needs a transaction. */
  g_assert_true (koers_server_db_begin (db, NULL, &error));
  g_assert_false (koers_server_db_begin (db, ORG_A, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  add_organisation (db, ORG_B);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_false (koers_server_db_commit (db, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM organisations", NULL, 0), ==, 2);

  /* begin() on an organisation that does not exist still begins: callers check existence. */
  g_assert_true (koers_server_db_begin (db, "bestaat-niet", &error));
  g_assert_no_error (error);
  koers_server_db_rollback (db);
}

typedef struct {
  KoersServerDb *db;
  gint64    waited_us;
  gint64    sequence_seen;
  GError   *error;
} Waiter;

/* On its own connection, begins on ORG_A (waiting for the main thread's transaction), then
 * advances the sequence as a writer does. */
static gpointer
waiter_thread (gpointer data)
{
  Waiter *waiter = data;
  KoersServerDb *db = waiter->db;
  g_autoptr(KoersSqlRows) rows = NULL;
  gint64 start;

  koers_server_db_set_lock_timeout (db, 20000);
  start = g_get_monotonic_time ();
  if (koers_server_db_begin (db, ORG_A, &waiter->error))
    {
      waiter->waited_us = g_get_monotonic_time () - start;
      rows = koers_server_db_query (db, "UPDATE organisations SET sequence = sequence + 1 "
                                        "WHERE id = $1 RETURNING sequence",
                                    (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1,
                                    &waiter->error);
      if (rows != NULL)
        waiter->sequence_seen = koers_sql_rows_get_int (rows, 0, 0);
      if (rows != NULL)
        koers_server_db_commit (db, &waiter->error);
      else
        koers_server_db_rollback (db);
    }
  return NULL;
}

static void
test_writers_serialised (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  g_autoptr(KoersServerDb) first = koers_test_server_db_open (backend, &location);
  g_autoptr(KoersServerDb) second = NULL;
  g_autoptr(KoersServerDb) third = NULL;
  g_autoptr(GError) error = NULL;
  Waiter waiter = { 0 };
  GThread *thread;
  gint64 start;

  add_organisation (first, ORG_A);
  second = open_ok (location);
  third = open_ok (location);

  g_assert_true (koers_server_db_begin (first, ORG_A, &error));
  g_assert_no_error (error);
  exec_ok (first, "UPDATE organisations SET sequence = sequence + 1 WHERE id = $1",
           (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1);

  /* A second writer of the same organisation gives up after its lock timeout with BUSY. */
  koers_server_db_set_lock_timeout (second, 200);
  start = g_get_monotonic_time ();
  g_assert_false (koers_server_db_begin (second, ORG_A, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  g_assert_false (koers_server_db_in_transaction (second));
  g_clear_error (&error);

  /* On PostgreSQL the lock is the organisation's own: another organisation's writer goes on. */
  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    {
      add_organisation (second, ORG_B);
      g_assert_true (koers_server_db_begin (second, ORG_B, &error));
      g_assert_no_error (error);
      exec_ok (second, "UPDATE organisations SET sequence = sequence + 1 WHERE id = $1",
               (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_B) }, 1);
      g_assert_true (koers_server_db_commit (second, &error));
      g_assert_no_error (error);
    }

  /* With a longer timeout it waits until the first commits, then sees the first's change. */
  waiter.db = third;
  thread = g_thread_new ("waiter", waiter_thread, &waiter);
  g_usleep (400 * 1000);
  g_assert_true (koers_server_db_commit (first, &error));
  g_assert_no_error (error);
  g_thread_join (thread);
  g_assert_no_error (waiter.error);
  g_assert_cmpint (waiter.waited_us, >=, 300 * 1000);
  g_assert_cmpint (waiter.sequence_seen, ==, 2);
  g_assert_cmpint (query_int (first, "SELECT sequence FROM organisations WHERE id = $1",
                              (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1), ==, 2);

  /* The connection that gave up works again. */
  g_assert_true (koers_server_db_begin (second, ORG_A, &error));
  g_assert_no_error (error);
  koers_server_db_rollback (second);
}

static void
test_newer_schema_refused (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  KoersServerDb *db = koers_test_server_db_open (backend, &location);
  g_autoptr(GError) error = NULL;

  exec_ok (db, "UPDATE meta SET value = $1 WHERE key = $2",
           (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE ("99"),
                               KOERS_SQL_TEXT_VALUE ("schema_version") }, 2);
  koers_server_db_free (db);

  g_assert_null (koers_server_db_open (location, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "newer"));
  g_assert_nonnull (strstr (error->message, "99"));
}

/* A transaction that only reads takes no write lock: a writer of the same organisation
 * proceeds at once. */
static void
test_readers_do_not_block (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  g_autoptr(KoersServerDb) reader = koers_test_server_db_open (backend, &location);
  g_autoptr(KoersServerDb) writer = NULL;
  g_autoptr(GError) error = NULL;

  add_organisation (reader, ORG_A);
  writer = open_ok (location);
  koers_server_db_set_lock_timeout (writer, 100);

  g_assert_true (koers_server_db_begin_read (reader, ORG_A, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (reader, "SELECT sequence FROM organisations", NULL, 0), ==, 0);
  g_assert_true (koers_server_db_begin (writer, ORG_A, &error));
  g_assert_no_error (error);
  exec_ok (writer, "UPDATE organisations SET sequence = 5 WHERE id = $1",
           (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1);
  g_assert_true (koers_server_db_commit (writer, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_db_commit (reader, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (reader, "SELECT sequence FROM organisations", NULL, 0), ==, 5);
}

static void
add_audit (KoersServerDb *db, const char *id, const char *organisation_id)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (organisation_id),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"), KOERS_SQL_TEXT_VALUE ("u1"),
    KOERS_SQL_TEXT_VALUE ("lezen"), KOERS_SQL_TEXT_VALUE ("gelukt"),
    KOERS_SQL_TEXT_VALUE ("server"),
  };

  exec_ok (db, "INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, result, "
               "origin) VALUES ($1, $2, $3, $4, $5, $6, $7)", params, G_N_ELEMENTS (params));
}

/* Row-level security: even a statement without any organisation filter sees only the
 * organisation of the transaction, and cannot write another's rows. */
static void
test_postgresql_row_level_security (void)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  static const char *const organisations[] = { ORG_A, ORG_B };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (organisations); i++)
    {
      g_autofree char *id = g_strdup_printf ("audit-%u", i);

      add_organisation (db, organisations[i]);
      g_assert_true (koers_server_db_begin (db, organisations[i], &error));
      g_assert_no_error (error);
      add_audit (db, id, organisations[i]);
      g_assert_true (koers_server_db_commit (db, &error));
      g_assert_no_error (error);
    }

  /* No organisation set: nothing at all. */
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit", NULL, 0), ==, 0);

  g_assert_true (koers_server_db_begin_read (db, ORG_A, &error));
  g_assert_no_error (error);
  rows = koers_server_db_query (db, "SELECT organisation_id FROM audit", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, ORG_A);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit WHERE organisation_id = $1",
                              (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_B) }, 1), ==, 0);
  g_assert_true (koers_server_db_commit (db, &error));

  /* Writing a row of B while working for A is refused, and B's rows cannot be changed. */
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_false (koers_server_db_exec (db, "INSERT INTO audit (id, organisation_id, "
                                            "occurred_at, user_id, action, result, origin) "
                                            "VALUES ($1, $2, $3, $4, $5, $6, $7)",
                                        (KoersSqlValue[]) {
                                          KOERS_SQL_TEXT_VALUE ("audit-x"),
                                          KOERS_SQL_TEXT_VALUE (ORG_B),
                                          KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"),
                                          KOERS_SQL_TEXT_VALUE ("u1"),
                                          KOERS_SQL_TEXT_VALUE ("lezen"),
                                          KOERS_SQL_TEXT_VALUE ("gelukt"),
                                          KOERS_SQL_TEXT_VALUE ("server") }, 7, NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  koers_server_db_rollback (db);

  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  {
    guint64 changes = 99;

    g_assert_true (koers_server_db_exec (db, "DELETE FROM audit WHERE organisation_id = $1",
                                         (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_B) }, 1,
                                         &changes, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (changes, ==, 0);
  }
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_true (koers_server_db_begin_read (db, ORG_B, &error));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit", NULL, 0), ==, 1);
  koers_server_db_rollback (db);
}

/* A lost connection is BUSY (503), and the next transaction reconnects with the session's
 * settings. */
static void
test_postgresql_reconnect (void)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;

  koers_server_db_set_lock_timeout (db, 1234);
  g_assert_false (koers_server_db_exec (db, "SELECT pg_terminate_backend(pg_backend_pid())",
                                        NULL, 0, NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY);
  g_clear_error (&error);

  g_assert_true (koers_server_db_begin (db, NULL, &error));
  g_assert_no_error (error);
  rows = koers_server_db_query (db, "SHOW lock_timeout", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "1234ms");
  g_clear_pointer (&rows, koers_sql_rows_free);
  rows = koers_server_db_query (db, "SELECT current_setting('application_name'), "
                                    "current_setting('statement_timeout')", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "koers-server");
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 1), ==, "30s");
  add_organisation (db, ORG_A);

  /* Lost inside a transaction: no silent reconnect half-way; the transaction is gone. */
  g_assert_false (koers_server_db_exec (db, "SELECT pg_terminate_backend(pg_backend_pid())",
                                        NULL, 0, NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY);
  g_clear_error (&error);
  g_assert_false (koers_server_db_exec (db, "SELECT 1", NULL, 0, NULL, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM organisations", NULL, 0), ==, 0);
}

/* Kills @victim's backend from @killer and waits until PostgreSQL has removed it. */
static void
terminate_backend_of (KoersServerDb *killer,
                      KoersServerDb *victim)
{
  gint64 pid = query_int (victim, "SELECT pg_backend_pid()", NULL, 0);
  KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (pid) };

  g_assert_cmpint (query_int (killer, "SELECT pg_terminate_backend($1::int)::int", params, 1),
                   ==, 1);
  for (guint i = 0; i < 500; i++)
    {
      if (query_int (killer, "SELECT count(*) FROM pg_stat_activity WHERE pid = $1::int",
                     params, 1) == 0)
        return;
      g_usleep (10 * 1000);
    }
  g_assert_not_reached ();
}

/* PostgreSQL (an idle timeout, a restart, a failover) drops a connection between requests:
 * libpq only notices when the next statement fails. Outside a transaction that statement is
 * sent again on a new connection, so the next request does not get a 503; inside a
 * transaction it is not (the caller gets BUSY and the transaction is gone). */
static void
test_postgresql_reconnect_idle (void)
{
  g_autofree char *location = NULL;
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL,
                                                           &location);
  g_autoptr(KoersServerDb) other = open_ok (location);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;

  koers_server_db_set_lock_timeout (db, 1234);
  terminate_backend_of (other, db);
  /* A query and a write, each the first statement after the loss. */
  g_assert_cmpint (query_int (db, "SELECT 41 + 1", NULL, 0), ==, 42);
  terminate_backend_of (other, db);
  add_organisation (db, ORG_A);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM organisations", NULL, 0), ==, 1);
  /* A transaction's BEGIN is a first statement too. */
  terminate_backend_of (other, db);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  /* The new session has the settings of the old one. */
  rows = koers_server_db_query (db, "SHOW lock_timeout", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "1234ms");
  g_clear_pointer (&rows, koers_sql_rows_free);
  koers_server_db_rollback (db);
  /* A read transaction's BEGIN goes out with its first statement (one round trip): lost
   * before it, the lot is sent again, and the statement sees the organisation's setting. */
  terminate_backend_of (other, db);
  g_assert_true (koers_server_db_begin_read (db, ORG_A, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_db_in_transaction (db));
  rows = koers_server_db_query (db, "SELECT current_setting('koers.organisation')", NULL, 0,
                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, ORG_A);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  g_clear_pointer (&rows, koers_sql_rows_free);
  /* Outside it the setting is gone: it was the transaction's own. */
  rows = koers_server_db_query (db, "SELECT coalesce(current_setting('koers.organisation', "
                                    "true), '')", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, "");

  /* Inside a transaction: never sent again. */
  g_assert_true (koers_server_db_begin (db, NULL, &error));
  terminate_backend_of (other, db);
  g_assert_false (koers_server_db_exec (db, "DELETE FROM organisations", NULL, 0, NULL,
                                        &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_BUSY);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM organisations", NULL, 0), ==, 1);
}

/* An open failure's message names host, port and database, never the URI's password (it
 * reaches logs and the terminal). */
static void
test_postgresql_password_not_shown (void)
{
  static const char *const uris[] = {
    /* Nothing listens on port 1: connecting fails. */
    "postgresql://koers:Geheim-Wachtwoord-42@127.0.0.1:1/koers",
    /* libpq quotes a bad option value; here the password runs into the port. */
    "postgresql://koers:Geheim-Wachtwoord-42@127.0.0.1:Geheim-Wachtwoord-42/koers",
    "postgresql://koers@127.0.0.1:1/koers?password=Geheim-Wachtwoord-42&connect_timeout=x",
  };

  for (guint i = 0; i < G_N_ELEMENTS (uris); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (koers_server_db_open (uris[i], &error));
      g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN);
      g_test_message ("%s", error->message);
      g_assert_null (strstr (error->message, "Geheim"));
    }
  {
    g_autofree char *where = koers_server_db_describe_location (uris[0]);

    g_assert_cmpstr (where, ==, "postgresql://127.0.0.1:1/koers");
  }
}

/* A superuser ignores row-level security, so koers-server will not run as one. */
static void
test_postgresql_superuser_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *location = koers_test_postgres_new_database (&error);
  g_autofree char *superuser = NULL;
  char *database;

  g_assert_no_error (error);
  database = strrchr (location, '/') + 1;
  *strchr (database, '?') = '\0';
  superuser = koers_test_postgres_superuser_uri (database);
  if (superuser == NULL)
    {
      g_test_skip ("KOERS_TEST_POSTGRES_URI: no superuser of the test cluster");
      return;
    }
  g_assert_null (koers_server_db_open (superuser, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "row-level security"));
}

static void
test_sqlite_file (void)
{
  g_autofree char *location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  g_autofree char *foreign = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerDb *db;
  GStatBuf info;

  db = open_ok (location);
  g_assert_cmpint (koers_server_db_get_backend (db), ==, KOERS_SERVER_DB_SQLITE);
  koers_server_db_free (db);
  g_assert_cmpint (g_stat (location, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  /* A file that is not SQLite, e.g. a mistyped --database, is left alone. */
  foreign = g_strconcat (location, ".csv", NULL);
  g_assert_true (g_file_set_contents (foreign, "naam;gemeente\n", -1, NULL));
  g_assert_null (koers_server_db_open (foreign, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_OPEN);
  g_assert_true (g_file_get_contents (foreign, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "naam;gemeente\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-db/schema-created", test_schema_created);
  koers_test_server_db_add ("/server-db/epoch", test_epoch);
  koers_test_server_db_add ("/server-db/round-trip", test_round_trip);
  koers_test_server_db_add ("/server-db/parameters", test_parameters);
  koers_test_server_db_add ("/server-db/constraint", test_constraint);
  koers_test_server_db_add ("/server-db/rollback", test_rollback);
  koers_test_server_db_add ("/server-db/writers-serialised", test_writers_serialised);
  koers_test_server_db_add ("/server-db/newer-schema-refused", test_newer_schema_refused);
  koers_test_server_db_add ("/server-db/readers-do-not-block", test_readers_do_not_block);
  g_test_add_func ("/server-db/sqlite-file", test_sqlite_file);
  g_test_add_func ("/server-db/row-level-security/postgresql",
                   test_postgresql_row_level_security);
  g_test_add_func ("/server-db/reconnect/postgresql", test_postgresql_reconnect);
  g_test_add_func ("/server-db/reconnect-idle/postgresql", test_postgresql_reconnect_idle);
  g_test_add_func ("/server-db/password-not-shown/postgresql",
                   test_postgresql_password_not_shown);
  g_test_add_func ("/server-db/superuser-refused/postgresql",
                   test_postgresql_superuser_refused);

  return g_test_run ();
}
