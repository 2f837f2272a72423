/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's storage interface with more than one connection: writers of one organisation
 * wait for each other and readers wait for nobody (both back ends); on PostgreSQL, row-level
 * security between organisations, a lost connection renewed, and the connections koers-server
 * refuses to open. */
#include "config.h"

#include "server/koers-server-db.h"
#include "server/koers-server-db-private.h"

#include "koers-test-postgres.h"
#include "test-server-db-private.h"

#include <string.h>

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

/* @db's read transaction of one statement ended with its COMMIT: after one more statement
 * @observer sees the session idle, not idle in a transaction left open. */
static void
assert_committed (KoersServerDb *observer,
                  KoersServerDb *db)
{
  KoersSqlValue pid[] = { KOERS_SQL_INT_VALUE (query_int (db, "SELECT pg_backend_pid()", NULL,
                                                          0)) };
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) state = koers_server_db_query (observer, "SELECT state FROM "
                                                                   "pg_stat_activity "
                                                                   "WHERE pid = $1::int",
                                                         pid, 1, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (state, 0, 0), ==, "idle");
}

/* Row-level security: even a statement without any organisation filter sees only the
 * organisation of the transaction, and cannot write another's rows. */
static void
test_postgresql_row_level_security (void)
{
  g_autofree char *location = NULL;
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL,
                                                           &location);
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

  /* A read transaction of one statement sees its organisation's rows only. */
  g_clear_pointer (&rows, koers_sql_rows_free);
  rows = koers_server_db_query_read (db, ORG_B, "SELECT organisation_id FROM audit", NULL, 0,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, ORG_B);
  {
    g_autoptr(KoersServerDb) observer = open_ok (location);

    assert_committed (observer, db);
  }
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

  /* A whole read transaction in one round trip: the same, and it ends with its statement. */
  terminate_backend_of (other, db);
  g_clear_pointer (&rows, koers_sql_rows_free);
  rows = koers_server_db_query_read (db, ORG_A, "SELECT current_setting('koers.organisation'), "
                                                "(SELECT count(*) FROM organisations)",
                                     NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, ORG_A);
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 1), ==, 1);
  g_assert_false (koers_server_db_in_transaction (db));
  assert_committed (other, db);

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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-db/writers-serialised", test_writers_serialised);
  koers_test_server_db_add ("/server-db/readers-do-not-block", test_readers_do_not_block);
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
