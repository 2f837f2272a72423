/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server's storage interface, the same cases on SQLite and PostgreSQL: the epoch,
 * statements, constraints and transactions of one connection (their parameters:
 * test-server-db-parameters.c; the schema and its versions: test-server-schema.c).
 * Several connections at once (locks, row-level security, lost connections) are in
 * test-server-db-connections.c. */
#include "config.h"

#include "server/koers-server-db.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"
#include "test-server-db-private.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

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

static gint64
shared_history (KoersServerDb *db, const char *organisation_id, const char *epoch)
{
  g_autoptr(GError) error = NULL;
  gint64 last = -2;

  g_assert_true (koers_server_db_shared_history (db, organisation_id, epoch, &last, &error));
  g_assert_no_error (error);
  return last;
}

static void
set_sequence (KoersServerDb *db, gint64 sequence)
{
  KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (sequence) };
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_server_db_exec (db, "UPDATE organisations SET sequence = $1 "
                                           "WHERE id = 'org'", params, 1, NULL, &error));
  g_assert_no_error (error);
}

/* Each declared restore records every organisation's volgnummer then: what a cursor of an
 * older epoch still shares with the current one is the least of those since its epoch. */
static void
test_epoch_history (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_test_server_db_open (backend, &location);

  g_assert_true (koers_server_db_exec (db, "INSERT INTO organisations (id, name, sequence, "
                                           "created_at) VALUES ('org', 'Org', 7, "
                                           "'2026-11-29T06:00:00Z')", NULL, 0, NULL, &error));
  g_assert_no_error (error);
  first = g_strdup (koers_server_db_get_epoch (db));
  /* Never restored: nothing to say about any epoch. */
  g_assert_cmpint (shared_history (db, "org", "elders"), ==, -1);
  g_assert_cmpint (shared_history (db, "org", first), ==, -1);

  g_assert_true (koers_server_db_new_epoch (db, &error));
  g_assert_no_error (error);
  second = g_strdup (koers_server_db_get_epoch (db));
  g_assert_cmpint (shared_history (db, "org", first), ==, 7);
  g_assert_cmpint (shared_history (db, "org", second), ==, -1);
  /* An epoch this database never knew began after its backup: it shares what the current
   * one took over. */
  g_assert_cmpint (shared_history (db, "org", "elders"), ==, 7);
  /* An organisation made after the restore shares nothing with the epoch before. */
  g_assert_cmpint (shared_history (db, "later", first), ==, 0);

  set_sequence (db, 12);
  koers_server_db_free (db);
  db = open_ok (location);
  g_assert_true (koers_server_db_new_epoch (db, &error));
  g_assert_no_error (error);
  third = g_strdup (koers_server_db_get_epoch (db));
  g_assert_cmpint (shared_history (db, "org", first), ==, 7);
  g_assert_cmpint (shared_history (db, "org", second), ==, 12);
  g_assert_cmpint (shared_history (db, "org", "elders"), ==, 12);
  g_assert_cmpint (shared_history (db, "org", third), ==, -1);
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

/* A deferred statement's failure, with the meaning its caller gives it. */
GQuark test_deferred_error_quark (void);
G_DEFINE_QUARK (koers-test-deferred-error-quark, test_deferred_error)
static int deferred_storage_code = -1;

static void
mark_deferred_error (GError **error)
{
  /* Called with the storage's own error, which it may replace. */
  g_assert_nonnull (*error);
  g_assert_true ((*error)->domain == KOERS_SERVER_DB_ERROR);
  deferred_storage_code = (*error)->code;
  g_clear_error (error);
  g_set_error_literal (error, test_deferred_error_quark (), 1, "deferred statement failed");
}

static gint64
sequence_of_a (KoersServerDb *db)
{
  return query_int (db, "SELECT sequence FROM organisations WHERE id = $1",
                    (KoersSqlValue[]) { KOERS_SQL_TEXT_VALUE (ORG_A) }, 1);
}

/* Deferred statements (PostgreSQL queues them for the next statement answered, SQLite runs
 * them at once): they run in order before whatever comes next and commit with the rest, and a
 * failing one always fails the transaction, at once or at the call that sends it (a later
 * statement, flush, commit), with its own error as its caller's on_error rewrote it. */
static void
test_deferred (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  KoersSqlValue org_a[] = { KOERS_SQL_TEXT_VALUE (ORG_A) };
  KoersSqlValue duplicate[] = {
    KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE ("Nog eens"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T09:00:00Z"),
  };
  static const char bump[] = "UPDATE organisations SET sequence = sequence + 1 WHERE id = $1";
  static const char insert[] =
    "INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)";
  gboolean ok;

  add_organisation (db, ORG_A);

  /* In order, seen by the transaction's next statement, committed with it. */
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sequence_of_a (db), ==, 2);
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sequence_of_a (db), ==, 3);

  /* A failing one fails the statement that follows it; nothing of the transaction stays. */
  deferred_storage_code = -1;
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  ok = koers_server_db_exec_deferred (db, insert, duplicate, G_N_ELEMENTS (duplicate),
                                      mark_deferred_error, &error)
       && koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error)
       && koers_server_db_query (db, "SELECT 1", NULL, 0, &error) != NULL;
  g_assert_false (ok);
  g_assert_error (error, test_deferred_error_quark (), 1);
  g_assert_cmpint (deferred_storage_code, ==, KOERS_SERVER_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_cmpint (sequence_of_a (db), ==, 3);

  /* The commit that sends it fails, and leaves the transaction to be rolled back. */
  deferred_storage_code = -1;
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  ok = koers_server_db_exec_deferred (db, insert, duplicate, G_N_ELEMENTS (duplicate),
                                      mark_deferred_error, &error)
       && koers_server_db_commit (db, &error);
  g_assert_false (ok);
  g_assert_error (error, test_deferred_error_quark (), 1);
  g_assert_cmpint (deferred_storage_code, ==, KOERS_SERVER_DB_ERROR_CONSTRAINT);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_false (koers_server_db_in_transaction (db));
  g_assert_cmpint (sequence_of_a (db), ==, 3);

  /* So does a flush; a flush that goes through still commits only with the transaction. */
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  ok = koers_server_db_exec_deferred (db, insert, duplicate, G_N_ELEMENTS (duplicate),
                                      mark_deferred_error, &error)
       && koers_server_db_flush (db, &error);
  g_assert_false (ok);
  g_assert_error (error, test_deferred_error_quark (), 1);
  g_clear_error (&error);
  koers_server_db_rollback (db);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_true (koers_server_db_flush (db, &error));
  g_assert_no_error (error);
  koers_server_db_rollback (db);
  g_assert_cmpint (sequence_of_a (db), ==, 3);

  /* A rollback drops what is queued: none of it rides on the next transaction. */
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  koers_server_db_rollback (db);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_cmpint (sequence_of_a (db), ==, 3);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);

  /* Outside a transaction, and as a read transaction's first statement, it runs at once. */
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_cmpint (sequence_of_a (db), ==, 4);
  g_assert_false (koers_server_db_exec_deferred (db, insert, duplicate,
                                                 G_N_ELEMENTS (duplicate), mark_deferred_error,
                                                 &error));
  g_assert_error (error, test_deferred_error_quark (), 1);
  g_clear_error (&error);
  g_assert_true (koers_server_db_begin_read (db, ORG_A, &error));
  g_assert_true (koers_server_db_exec_deferred (db, bump, org_a, 1, NULL, &error));
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sequence_of_a (db), ==, 5);
}

/* One statement for many parameter sets: each call's rows in order (PostgreSQL sends them in
 * one pipeline, after what is deferred, which they see); a failing call fails the lot. */
static void
test_query_each (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  KoersSqlValue ids[] = {
    KOERS_SQL_TEXT_VALUE (ORG_B), KOERS_SQL_TEXT_VALUE ("bestaat-niet"),
    KOERS_SQL_TEXT_VALUE (ORG_A),
  };
  /* abs() of the smallest integer overflows on both back ends. */
  KoersSqlValue bad[] = { KOERS_SQL_INT_VALUE (7), KOERS_SQL_INT_VALUE (G_MININT64) };
  static const char sequence_of[] = "SELECT sequence FROM organisations WHERE id = $1";
  KoersSqlRows *rows[3] = { NULL };

  add_organisation (db, ORG_A);
  add_organisation (db, ORG_B);

  for (guint round = 0; round < 2; round++)
    {
      /* Inside a transaction after a deferred write, and outside one. */
      if (round == 0)
        {
          g_assert_true (koers_server_db_begin (db, ORG_A, &error));
          g_assert_true (koers_server_db_exec_deferred (db, "UPDATE organisations SET "
                                                        "sequence = 7 WHERE id = $1",
                                                        &ids[2], 1, NULL, &error));
        }
      g_assert_true (koers_server_db_query_each (db, sequence_of, ids, 1, 3, rows, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (koers_sql_rows_get_n_rows (rows[0]), ==, 1);
      g_assert_cmpint (koers_sql_rows_get_int (rows[0], 0, 0), ==, 0);
      g_assert_cmpuint (koers_sql_rows_get_n_rows (rows[1]), ==, 0);
      g_assert_cmpuint (koers_sql_rows_get_n_rows (rows[2]), ==, 1);
      g_assert_cmpint (koers_sql_rows_get_int (rows[2], 0, 0), ==, 7);
      for (guint i = 0; i < 3; i++)
        g_clear_pointer (&rows[i], koers_sql_rows_free);
      if (round == 0)
        g_assert_true (koers_server_db_commit (db, &error));
      g_assert_no_error (error);
    }

  /* Nothing to ask: nothing asked. */
  g_assert_true (koers_server_db_query_each (db, sequence_of, NULL, 1, 0, NULL, &error));

  /* The second call fails: no rows come back, and the transaction is over. */
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_false (koers_server_db_query_each (db, "SELECT abs(CAST($1 AS BIGINT))", bad, 1, 2,
                                              rows, &error));
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_null (rows[0]);
  g_assert_null (rows[1]);
  koers_server_db_rollback (db);
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

/* The server opens a second connection (the audit writer's) beside the first; that must not
 * drop the first one's locks, or `koers-server admin` run beside a serving koers-server (the
 * sqlite3 shell here) deletes the -wal under it and what it commits afterwards goes to a
 * deleted file (koers_database_is_foreign_file). */
static void
test_sqlite_second_open_keeps_locks (void)
{
  g_autofree char *location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  g_autofree char *wal = g_strconcat (location, "-wal", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  KoersServerDb *first = open_ok (location);
  KoersServerDb *second;

  add_organisation (first, ORG_A);
  second = open_ok (location);
  before = koers_test_sqlite_shell (location, "SELECT count(*) FROM organisations");
  if (before != NULL)
    {
      g_assert_cmpstr (before, ==, "1");
      g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
      add_organisation (first, ORG_B);
      after = koers_test_sqlite_shell (location, "SELECT count(*) FROM organisations");
      g_assert_cmpstr (after, ==, "2");
    }
  koers_server_db_free (second);
  koers_server_db_free (first);
}

static gint64
file_size (const char *path)
{
  GStatBuf info;

  return g_stat (path, &info) == 0 ? (gint64) info.st_size : -1;
}

/* SQLite copies its log back in the commit that takes it past 1,000 pages, unless the
 * connection defers that to koers_server_db_checkpoint_if_due() (the audit writer does, so no
 * read waits for the copy): then the data reaches the database file only there, the log
 * starts over once copied, and the last close removes it. */
static void
test_sqlite_deferred_checkpoints (void)
{
  static const char fill[] =
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500) "
    "INSERT INTO filler SELECT zeroblob (3000) FROM n";
  static const gint64 filled = 1500 * 3000;
  g_autofree char *location = koers_test_server_db_location (KOERS_SERVER_DB_SQLITE);
  g_autofree char *wal = g_strconcat (location, "-wal", NULL);
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = open_ok (location);
  gint64 round_bytes = 0;

  g_assert_true (koers_server_db_exec (db, "CREATE TABLE filler (x BLOB)", NULL, 0, NULL,
                                       &error));
  g_assert_no_error (error);
  /* As SQLite does it: copied in the commit. */
  g_assert_true (koers_server_db_exec (db, fill, NULL, 0, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (file_size (location), >, filled);

  koers_server_db_defer_checkpoints (db);
  for (guint round = 0; round < 6; round++)
    {
      gint64 before = file_size (location);

      g_assert_true (koers_server_db_exec (db, fill, NULL, 0, NULL, &error));
      g_assert_no_error (error);
      /* Nothing copied yet: the file is as big as before, the log holds the new rows. */
      g_assert_cmpint (file_size (location), ==, before);
      g_assert_cmpint (file_size (wal), >, filled);
      if (round == 0)
        round_bytes = file_size (wal);
      koers_server_db_checkpoint_if_due (db);
      g_assert_cmpint (file_size (location), >=, before + filled);
    }
  /* The log started over each round instead of growing by one round each (a page or two
   * more of the tree in a later round is no growth). */
  g_assert_cmpint (file_size (wal), <, round_bytes + round_bytes / 2);

  koers_server_db_free (db);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* A read transaction of one statement: its rows, nothing left open afterwards whether it
 * worked or failed, and no nesting inside a transaction that is open. */
static void
test_query_read (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (ORG_A) };

  add_organisation (db, ORG_A);
  add_organisation (db, ORG_B);
  rows = koers_server_db_query_read (db, ORG_A, "SELECT id, sequence FROM organisations "
                                                "WHERE id = $1", params, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, ORG_A);
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 1), ==, 0);
  g_assert_false (koers_server_db_in_transaction (db));
  g_clear_pointer (&rows, koers_sql_rows_free);

  /* A failing statement: NULL, the error, and the connection free for the next one. */
  rows = koers_server_db_query_read (db, ORG_A, "SELECT nothing FROM no_such_table", NULL, 0,
                                     &error);
  g_assert_null (rows);
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_false (koers_server_db_in_transaction (db));
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  exec_ok (db, "UPDATE organisations SET sequence = 7 WHERE id = $1", params, 1);

  /* Inside an open transaction it is refused and the transaction goes on. */
  rows = koers_server_db_query_read (db, ORG_A, "SELECT 1", NULL, 0, &error);
  g_assert_null (rows);
  g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_true (koers_server_db_in_transaction (db));
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);

  rows = koers_server_db_query_read (db, ORG_A, "SELECT sequence FROM organisations "
                                                "WHERE id = $1", params, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_sql_rows_get_int (rows, 0, 0), ==, 7);
}

typedef struct {
  guint    calls;
  guint    stop_after;
  GString *seen;
} ForeachState;

static gboolean
collect_row (KoersSqlRow *row, gpointer user_data)
{
  ForeachState *state = user_data;
  gsize length = 0;
  const char *text = koers_sql_row_get_text (row, 1, &length);

  g_string_append_printf (state->seen, "%" G_GINT64_FORMAT ":%s:%" G_GSIZE_FORMAT ":%s:%"
                          G_GINT64_FORMAT ":%" G_GINT64_FORMAT ";",
                          koers_sql_row_get_int (row, 0), text != NULL ? text : "(null)",
                          length, koers_sql_row_get_text (row, 0, NULL),
                          koers_sql_row_get_int (row, 2), koers_sql_row_get_int (row, 3));
  return ++state->calls < state->stop_after;
}

/* Rows handed over one at a time read as koers_server_db_query()'s do (NULL, lengths of
 * non-ASCII text, an integer as text, text that is not a whole integer as 0), and reading
 * stops when the callback says so. */
static void
test_query_foreach (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  ForeachState state = { 0, G_MAXUINT, seen };
  const char *sql = "SELECT 1 AS n, CAST('Zo\u00eb' AS TEXT) AS t, '42' AS i, '12abc' AS j "
                    "UNION ALL SELECT 2, NULL, '-7', NULL "
                    "UNION ALL SELECT 3, 'x', '0', '1' ORDER BY n";

  g_assert_true (koers_server_db_query_foreach (db, sql, NULL, 0, collect_row, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (seen->str, ==, "1:Zo\u00eb:4:1:42:0;2:(null):0:2:-7:0;3:x:1:3:0:1;");

  g_string_truncate (seen, 0);
  state.calls = 0;
  state.stop_after = 1;
  g_assert_true (koers_server_db_query_foreach (db, sql, NULL, 0, collect_row, &state, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (state.calls, ==, 1);
  g_assert_cmpstr (seen->str, ==, "1:Zo\u00eb:4:1:42:0;");

  g_assert_false (koers_server_db_query_foreach (db, "SELECT nope FROM nowhere", NULL, 0,
                                                 collect_row, &state, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-db/epoch", test_epoch);
  koers_test_server_db_add ("/server-db/epoch-history", test_epoch_history);
  koers_test_server_db_add ("/server-db/round-trip", test_round_trip);
  koers_test_server_db_add ("/server-db/constraint", test_constraint);
  koers_test_server_db_add ("/server-db/rollback", test_rollback);
  koers_test_server_db_add ("/server-db/deferred", test_deferred);
  koers_test_server_db_add ("/server-db/query-each", test_query_each);
  koers_test_server_db_add ("/server-db/query-read", test_query_read);
  koers_test_server_db_add ("/server-db/query-foreach", test_query_foreach);
  g_test_add_func ("/server-db/sqlite-file", test_sqlite_file);
  g_test_add_func ("/server-db/sqlite-second-open-keeps-locks",
                   test_sqlite_second_open_keeps_locks);
  g_test_add_func ("/server-db/sqlite-deferred-checkpoints", test_sqlite_deferred_checkpoints);

  return g_test_run ();
}
