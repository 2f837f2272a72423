/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The server schema on SQLite and PostgreSQL: a new database gets every table and the current
 * version, an older one is migrated when opened (koers-server-schema.c), a newer one refused. */
#include "config.h"

#include "server/koers-server-db.h"
#include "server/koers-server-schema.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"
#include "test-server-db-private.h"

#include <string.h>

/* PostgreSQL: every table with row-level security holds its owner to it too (migration 8
 * lifts FORCE on the lists for its copy and must set it again), the lists' among them. */
static void
assert_policies_forced (KoersServerDb *db)
{
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_class WHERE relnamespace = "
                                  "CAST(current_schema () AS regnamespace) AND relrowsecurity "
                                  "AND NOT relforcerowsecurity", NULL, 0), ==, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_class WHERE relnamespace = "
                                  "CAST(current_schema () AS regnamespace) AND relname = "
                                  "'audit_participant_lists' AND relforcerowsecurity",
                              NULL, 0), ==, 1);
}

/* PostgreSQL: 1 while audit_participant_lists has its own copy of the ids (up to version 8). */
static gint64
lists_column_count (KoersServerDb *db)
{
  return query_int (db, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                        "CAST('audit_participant_lists' AS regclass) "
                        "AND attname = 'participant_ids' AND NOT attisdropped", NULL, 0);
}

static void
test_schema_created (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  const char *const tables[] = {
    "organisations", "users", "devices", "auth_codes", "tokens", "login_attempts", "records",
    "scope_exits", "history", "processed_mutations", "audit", "audit_participant_lists",
    /* On SQLite the FTS5 index's own table of segments: the index keeps no text to scan. */
    backend == KOERS_SERVER_DB_POSTGRESQL ? "audit_participant_index"
                                          : "audit_participant_index_idx",
    "meta",
  };
  g_autofree char *version = g_strdup_printf ("%d", KOERS_SERVER_SCHEMA_VERSION);
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
  g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, version);
  g_assert_true (g_uuid_string_is_valid (koers_server_db_get_epoch (db)));
  /* Version 7: PostgreSQL keeps audit lists out of line without compressing them; version 8
   * as arrays of uuids; version 9 once, in the index's table only. */
  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    {
      g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_attribute WHERE attrelid = "
                                      "CAST('audit_participant_index' AS regclass) "
                                      "AND attname = 'participant_ids' AND attstorage = 'e' "
                                      "AND atttypid = CAST('uuid[]' AS regtype)", NULL, 0), ==,
                       1);
      g_assert_cmpint (lists_column_count (db), ==, 0);
    }
  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    assert_policies_forced (db);
}

/* Version 6's stored feed items taken away again: a database of an earlier version has none. */
static void
undo_v6 (KoersServerDb *db, KoersServerDbBackend backend)
{
  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    {
      exec_ok (db, "DROP TRIGGER records_feed_item_stale ON records", NULL, 0);
      exec_ok (db, "DROP FUNCTION records_feed_item_stale ()", NULL, 0);
    }
  else
    exec_ok (db, "DROP TRIGGER records_feed_item_stale", NULL, 0);
  exec_ok (db, "ALTER TABLE records DROP COLUMN feed_item", NULL, 0);
  exec_ok (db, "ALTER TABLE records DROP COLUMN feed_item_check", NULL, 0);
}

#define PARTICIPANT_OLD "5c1e7a2b-0000-4000-8000-000000000001"
#define PARTICIPANT_NEW "5c1e7a2b-0000-4000-8000-000000000002"

#define PARTICIPANT_THIRD "5c1e7a2b-0000-4000-8000-000000000003"

static gint64
list_int (KoersServerDb *db, const char *sql, const char *audit_id)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (audit_id) };

  return query_int (db, sql, params, 1);
}

static void
insert_audit_row (KoersServerDb *db, const char *id, const char *participant_id)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (ORG_A),
    KOERS_SQL_TEXT_VALUE (participant_id),
  };

  exec_ok (db, "INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, result, "
               "origin, participant_id) VALUES ($1, $2, '2026-11-29T09:00:00Z', 'gebruiker', "
               "'synchroniseren', 'gelukt', 'server', $3)", params, G_N_ELEMENTS (params));
}

/* The audit rows that name @participant_id through a list (version 2). */
static gint64
count_listed (KoersServerDb *db, KoersServerDbBackend backend, const char *participant_id)
{
  g_autofree char *match = g_strdup_printf ("\"%s\"", participant_id);
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE (match) };

  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    params[1] = KOERS_SQL_TEXT_VALUE (participant_id);
  /* Joined to the audit rows, as the audit list reads them. */
  return query_int (db, backend == KOERS_SERVER_DB_POSTGRESQL
                        ? "SELECT count(*) FROM audit_participant_lists l JOIN audit a "
                          "ON a.organisation_id = l.organisation_id AND a.id = l.audit_id "
                          "WHERE l.organisation_id = $1 "
                          "AND l.list_id IN (" KOERS_SERVER_PG_LISTS_NAMING ")"
                        : "SELECT count(*) FROM audit_participant_lists l JOIN audit a "
                          "ON a.organisation_id = l.organisation_id AND a.id = l.audit_id "
                          "WHERE l.organisation_id = $1 AND l.list_id IN (SELECT rowid "
                          "FROM audit_participant_index WHERE audit_participant_index "
                          "MATCH $2)",
                    params, 2);
}

/* How many lists the index itself finds for @participant_id, joined to nothing (a list
 * deleted with its audit row must leave the index too, or a later list that takes its
 * number is found for the wrong people). */
static gint64
count_indexed_in (KoersServerDb *db, KoersServerDbBackend backend, const char *participant_id)
{
  g_autofree char *match = g_strdup_printf ("\"%s\"", participant_id);
  KoersSqlValue params[] = { KOERS_SQL_NULL_VALUE, KOERS_SQL_TEXT_VALUE (match) };

  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    {
      params[1] = KOERS_SQL_TEXT_VALUE (participant_id);
      return query_int (db, "SELECT count(*) FROM (" KOERS_SERVER_PG_LISTS_NAMING ") AS found "
                            "WHERE CAST($1 AS TEXT) IS NULL", params, 2);
    }
  return query_int (db, "SELECT count(*) FROM audit_participant_index "
                        "WHERE audit_participant_index MATCH $1", params + 1, 1);
}

static gint64
count_indexed (KoersServerDb *db, const char *participant_id)
{
  return count_indexed_in (db, KOERS_SERVER_DB_SQLITE, participant_id);
}

/* A list naming the participants in @ids (space-separated) for the audit row @audit_id, as
 * this version writes it: on PostgreSQL the list's row and its ids in the index's table, on
 * SQLite as text (the form before version 4, which the index reads too). */
static void
insert_list (KoersServerDb *db, KoersServerDbBackend backend, const char *audit_id,
             const char *ids)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE (audit_id), KOERS_SQL_TEXT_VALUE (ids),
  };

  exec_ok (db, backend == KOERS_SERVER_DB_POSTGRESQL
               ? "WITH l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id) "
                 "VALUES ($1, $2) RETURNING list_id) INSERT INTO audit_participant_index "
                 "(list_id, participant_ids) SELECT list_id, "
                 "CAST(string_to_array ($3, ' ') AS uuid[]) FROM l"
               : "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                 "participant_ids) VALUES ($1, $2, $3)",
           params, G_N_ELEMENTS (params));
}

/* PostgreSQL's lists as version 8 kept them: the ids in both tables (on a database without
 * lists). */
static void
undo_v9 (KoersServerDb *db)
{
  exec_ok (db, "ALTER TABLE audit_participant_lists ADD COLUMN participant_ids uuid[] NOT NULL",
           NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participant_lists ALTER COLUMN participant_ids "
               "SET STORAGE EXTERNAL", NULL, 0);
}

/* PostgreSQL's lists as version 7 kept them: text, found through version 3's side table (a
 * row per participant; empty here), no index table. */
static void
undo_v8 (KoersServerDb *db)
{
  undo_v9 (db);
  exec_ok (db, "DROP TABLE audit_participant_index", NULL, 0);
  exec_ok (db, "DROP TRIGGER audit_participant_lists_update ON audit_participant_lists",
           NULL, 0);
  exec_ok (db, "DROP FUNCTION audit_lists_append_only ()", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participant_lists DROP COLUMN list_id", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participant_lists ALTER COLUMN participant_ids TYPE TEXT "
               "USING array_to_string (participant_ids, ' ')", NULL, 0);
  exec_ok (db, "CREATE TABLE audit_participants (organisation_id TEXT NOT NULL, "
               "participant_id uuid NOT NULL, audit_id TEXT NOT NULL)", NULL, 0);
  exec_ok (db, "CREATE INDEX audit_participants_participant "
               "ON audit_participants (participant_id)", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participants ENABLE ROW LEVEL SECURITY", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participants FORCE ROW LEVEL SECURITY", NULL, 0);
  exec_ok (db, "CREATE POLICY audit_participants_organisation ON audit_participants "
               "USING (organisation_id = current_setting('koers.organisation', true))",
           NULL, 0);
}

/* A database of schema version 1 (the tables of version 2 taken away again) is migrated when
 * opened: the audit rows it had stay, and reads of several records get their lists. Every
 * version migrates from every earlier one by the same steps a new database runs. */
static void
test_migrate_from_v1 (KoersServerDbBackend backend)
{
  g_autofree char *location = NULL;
  g_autofree char *version = g_strdup_printf ("%d", KOERS_SERVER_SCHEMA_VERSION);
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_test_server_db_open (backend, &location);
  g_autofree char *epoch = NULL;

  add_organisation (db, ORG_A);
  epoch = g_strdup (koers_server_db_get_epoch (db));
  if (backend == KOERS_SERVER_DB_POSTGRESQL)
    {
      exec_ok (db, "DROP TABLE audit_participant_index, audit_participant_lists", NULL, 0);
      exec_ok (db, "DROP FUNCTION audit_lists_append_only ()", NULL, 0);
    }
  else
    exec_ok (db, "DROP TABLE audit_participant_index", NULL, 0);
  if (backend == KOERS_SERVER_DB_SQLITE)
    exec_ok (db, "DROP TABLE audit_participant_lists", NULL, 0);
  undo_v6 (db, backend);
  exec_ok (db, "UPDATE meta SET value = '1' WHERE key = 'schema_version'", NULL, 0);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  insert_audit_row (db, "a0000000-0000-4000-8000-000000000001", PARTICIPANT_OLD);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  koers_server_db_free (db);

  db = open_ok (location);
  g_assert_cmpstr (koers_server_db_get_epoch (db), ==, epoch);
  {
    g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, "SELECT value FROM meta "
                                                              "WHERE key = 'schema_version'",
                                                          NULL, 0, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (koers_sql_rows_get_text (rows, 0, 0), ==, version);
  }
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit WHERE participant_id = '"
                                  PARTICIPANT_OLD "'", NULL, 0), ==, 1);
  insert_audit_row (db, "a0000000-0000-4000-8000-000000000002", NULL);
  insert_list (db, backend, "a0000000-0000-4000-8000-000000000002",
               PARTICIPANT_OLD " " PARTICIPANT_NEW);
  g_assert_cmpint (count_listed (db, backend, PARTICIPANT_NEW), ==, 1);
  g_assert_cmpint (count_listed (db, backend, PARTICIPANT_OLD), ==, 1);
  g_assert_cmpint (count_listed (db, backend, "5c1e7a2b-0000-4000-8000-000000000003"), ==, 0);
  if (backend == KOERS_SERVER_DB_SQLITE)
    {
      /* A list is written once: the index could not follow a change. */
      koers_server_db_exec (db, "UPDATE audit_participant_lists SET participant_ids = 'x'",
                            NULL, 0, NULL, &error);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  /* An audit row taken away takes its list with it, out of the index too. */
  exec_ok (db, "DELETE FROM audit WHERE id = 'a0000000-0000-4000-8000-000000000002'", NULL, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_participant_lists", NULL, 0), ==,
                   0);
  g_assert_cmpint (count_listed (db, backend, PARTICIPANT_NEW), ==, 0);
  g_assert_cmpint (count_indexed_in (db, backend, PARTICIPANT_NEW), ==, 0);
  /* Last, as PostgreSQL ends the transaction at an error: a list belongs to its audit row and
   * cannot name a row that is not there. */
  {
    KoersSqlValue params[] = {
      KOERS_SQL_TEXT_VALUE (ORG_A),
      KOERS_SQL_TEXT_VALUE ("a0000000-0000-4000-8000-00000000dead"),
    };

    koers_server_db_exec (db, backend == KOERS_SERVER_DB_POSTGRESQL
                              ? "INSERT INTO audit_participant_lists (organisation_id, "
                                "audit_id) VALUES ($1, $2)"
                              : "INSERT INTO audit_participant_lists (organisation_id, "
                                "audit_id, participant_ids) VALUES ($1, $2, '"
                                PARTICIPANT_OLD "')",
                          params, 2, NULL, &error);
    g_assert_error (error, KOERS_SERVER_DB_ERROR, KOERS_SERVER_DB_ERROR_CONSTRAINT);
    g_clear_error (&error);
  }
  koers_server_db_rollback (db);
  koers_server_db_free (db);
}

#define OLD_LIST_AUDIT_ID "a0000000-0000-4000-8000-000000000003"

/* Writes an audit row OLD_LIST_AUDIT_ID whose list names PARTICIPANT_OLD and PARTICIPANT_NEW
 * as an older version stored it (text; on PostgreSQL with its side-table rows, so @db must be
 * of version 7 or older there: undo_v8; or, @pg_version 8, as arrays in both tables: undo_v9),
 * closes @db and opens @location again, which migrates it. Returns the new connection inside
 * a transaction of ORG_A, where both participants have been found by the list. */
static KoersServerDb *
reopen_with_old_list (KoersServerDb *db, const char *location, KoersServerDbBackend backend,
                      guint pg_version)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE (OLD_LIST_AUDIT_ID),
    KOERS_SQL_TEXT_VALUE (PARTICIPANT_OLD " " PARTICIPANT_NEW),
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  insert_audit_row (db, OLD_LIST_AUDIT_ID, NULL);
  if (backend == KOERS_SERVER_DB_POSTGRESQL && pg_version == 8)
    exec_ok (db, "WITH l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                 "participant_ids) VALUES ($1, $2, CAST(string_to_array ($3, ' ') AS uuid[])) "
                 "RETURNING list_id, participant_ids) INSERT INTO audit_participant_index "
                 "(list_id, participant_ids) SELECT list_id, participant_ids FROM l", params, 3);
  else
    exec_ok (db, "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                 "participant_ids) VALUES ($1, $2, $3)", params, 3);
  if (backend == KOERS_SERVER_DB_POSTGRESQL && pg_version < 8)
    exec_ok (db, "INSERT INTO audit_participants (organisation_id, participant_id, audit_id) "
                 "SELECT $1, CAST(p AS uuid), $2 FROM unnest (string_to_array ($3, ' ')) AS p",
             params, 3);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_no_error (error);
  koers_server_db_free (db);

  db = open_ok (location);
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_listed (db, backend, PARTICIPANT_OLD), ==, 1);
  g_assert_cmpint (count_listed (db, backend, PARTICIPANT_NEW), ==, 1);
  return db;
}

/* PostgreSQL's side table of version 2 (text ids under a key over all three columns) became
 * version 3's (the participant a uuid, indexed alone); since version 8 the lists are found
 * through their own index and the side table is gone: the audit list still finds a read by
 * the participants of its list. */
static void
test_migrate_from_v2 (void)
{
  g_autofree char *location = NULL;
  KoersServerDb *db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL, &location);

  add_organisation (db, ORG_A);
  undo_v8 (db);
  exec_ok (db, "DROP INDEX audit_participants_participant", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participants ALTER COLUMN participant_id TYPE TEXT", NULL, 0);
  exec_ok (db, "ALTER TABLE audit_participants "
               "ADD PRIMARY KEY (organisation_id, participant_id, audit_id)", NULL, 0);
  undo_v6 (db, KOERS_SERVER_DB_POSTGRESQL);
  exec_ok (db, "UPDATE meta SET value = '2' WHERE key = 'schema_version'", NULL, 0);
  db = reopen_with_old_list (db, location, KOERS_SERVER_DB_POSTGRESQL, 7);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM pg_tables "
                                  "WHERE tablename = 'audit_participants' "
                                  "AND schemaname = current_schema ()",
                              NULL, 0), ==, 0);
  koers_server_db_rollback (db);
  koers_server_db_free (db);
}

/* PostgreSQL: 1 when OLD_LIST_AUDIT_ID's list holds exactly PARTICIPANT_OLD and
 * PARTICIPANT_NEW, in the index's table. */
static gint64
old_list_in_index (KoersServerDb *db)
{
  return list_int (db, "SELECT count(*) FROM audit_participant_lists l "
                       "JOIN audit_participant_index i ON i.list_id = l.list_id "
                       "WHERE l.audit_id = $1 AND i.participant_ids = CAST('{"
                       PARTICIPANT_OLD "," PARTICIPANT_NEW "}' AS uuid[])", OLD_LIST_AUDIT_ID);
}

/* The plan of count_listed()'s query for PARTICIPANT_OLD, its lines joined. */
static char *
explain_listed (KoersServerDb *db)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE (PARTICIPANT_OLD) };
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  GString *plan = g_string_new (NULL);

  rows = koers_server_db_query (db, "EXPLAIN SELECT count(*) FROM audit_participant_lists l "
                                    "JOIN audit a ON a.organisation_id = l.organisation_id "
                                    "AND a.id = l.audit_id WHERE l.organisation_id = $1 "
                                    "AND l.list_id IN (" KOERS_SERVER_PG_LISTS_NAMING ")",
                                params, 2, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    g_string_append_printf (plan, "%s\n", koers_sql_rows_get_text (rows, i, 0));
  return g_string_free (plan, FALSE);
}

/* Version 8 on PostgreSQL: version 7's text lists become arrays of uuids, each also in the
 * index's table, and are found through its GIN index, which the organisation's policy does
 * not keep the look-up from (the index's table has none); another organisation's list naming
 * the same id is not found. A list goes when its audit row goes, from both tables, and is
 * never changed. */
static void
test_postgresql_migrate_from_v7 (void)
{
  g_autofree char *location = NULL;
  g_autofree char *plan = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL, &location);

  add_organisation (db, ORG_A);
  add_organisation (db, ORG_B);
  undo_v8 (db);
  exec_ok (db, "UPDATE meta SET value = '7' WHERE key = 'schema_version'", NULL, 0);
  db = reopen_with_old_list (db, location, KOERS_SERVER_DB_POSTGRESQL, 7);
  assert_policies_forced (db);
  g_assert_cmpint (old_list_in_index (db), ==, 1);
  g_assert_cmpint (count_indexed_in (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_NEW), ==, 1);

  insert_audit_row (db, "a0000000-0000-4000-8000-000000000004", NULL);
  insert_list (db, KOERS_SERVER_DB_POSTGRESQL, "a0000000-0000-4000-8000-000000000004",
               PARTICIPANT_OLD " " PARTICIPANT_THIRD);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_OLD), ==, 2);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_THIRD), ==, 1);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_POSTGRESQL,
                                 "5c1e7a2b-0000-4000-8000-000000000009"), ==, 0);
  g_assert_true (koers_server_db_commit (db, &error));

  /* Organisation B's read of the same person: in the index (which has no policy), never in
   * A's audit list. */
  g_assert_true (koers_server_db_begin (db, ORG_B, &error));
  exec_ok (db, "INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, result, "
               "origin) VALUES ('c1', '" ORG_B "', '2026-11-29T09:00:00Z', 'gebruiker', "
               "'synchroniseren', 'gelukt', 'server')", NULL, 0);
  exec_ok (db, "WITH l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id) "
               "VALUES ('" ORG_B "', 'c1') RETURNING list_id) INSERT INTO "
               "audit_participant_index SELECT list_id, CAST('{" PARTICIPANT_OLD "}' AS "
               "uuid[]) FROM l", NULL, 0);
  g_assert_true (koers_server_db_commit (db, &error));
  g_assert_true (koers_server_db_begin (db, ORG_A, &error));
  g_assert_cmpint (count_indexed_in (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_OLD), ==, 3);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_OLD), ==, 2);

  /* Among 400 lists of 50 ids, with sequential scans priced out, the look-up asks the index
   * (a look-up the policy kept from the index would go through all lists one by one). */
  exec_ok (db, "INSERT INTO audit (id, organisation_id, occurred_at, user_id, action, result, "
               "origin) SELECT 'b' || n, '" ORG_A "', '2026-11-29T09:00:00Z', 'gebruiker', "
               "'synchroniseren', 'gelukt', 'server' FROM generate_series (1, 400) AS n",
           NULL, 0);
  exec_ok (db, "WITH l AS (INSERT INTO audit_participant_lists (organisation_id, audit_id) "
               "SELECT '" ORG_A "', 'b' || n FROM generate_series (1, 400) AS n "
               "RETURNING list_id) INSERT INTO audit_participant_index "
               "SELECT list_id, ARRAY(SELECT gen_random_uuid () FROM generate_series (1, 50) "
               "WHERE list_id > 0) FROM l", NULL, 0);
  exec_ok (db, "SELECT gin_clean_pending_list ('audit_participant_index_ids')", NULL, 0);
  exec_ok (db, "ANALYZE audit, audit_participant_lists, audit_participant_index", NULL, 0);
  exec_ok (db, "SET LOCAL enable_seqscan = off", NULL, 0);
  plan = explain_listed (db);
  if (strstr (plan, "audit_participant_index_ids") == NULL)
    g_error ("the look-up does not use the index:\n%s", plan);

  exec_ok (db, "DELETE FROM audit WHERE id = '" OLD_LIST_AUDIT_ID "'", NULL, 0);
  g_assert_cmpint (count_indexed_in (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_NEW), ==, 0);
  g_assert_cmpint (count_indexed_in (db, KOERS_SERVER_DB_POSTGRESQL, PARTICIPANT_OLD), ==, 2);
  koers_server_db_rollback (db);

  /* Neither table takes a change (an error ends PostgreSQL's transaction: one each). */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_true (koers_server_db_begin (db, ORG_A, &error));
      koers_server_db_exec (db, i == 0 ? "UPDATE audit_participant_index SET participant_ids = "
                                         "CAST('{" PARTICIPANT_NEW "}' AS uuid[])"
                                       : "UPDATE audit_participant_lists SET audit_id = "
                                         "audit_id",
                            NULL, 0, NULL, &error);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "append-only"));
      g_clear_error (&error);
      koers_server_db_rollback (db);
    }
  koers_server_db_free (db);
}

/* Version 9 on PostgreSQL: a list version 8 wrote (its ids in both tables) keeps its ids in
 * the index's table only, and each participant it names still finds it. */
static void
test_postgresql_migrate_from_v8 (void)
{
  g_autofree char *location = NULL;
  KoersServerDb *db = koers_test_server_db_open (KOERS_SERVER_DB_POSTGRESQL, &location);

  add_organisation (db, ORG_A);
  undo_v9 (db);
  exec_ok (db, "UPDATE meta SET value = '8' WHERE key = 'schema_version'", NULL, 0);
  db = reopen_with_old_list (db, location, KOERS_SERVER_DB_POSTGRESQL, 8);
  g_assert_cmpint (lists_column_count (db), ==, 0);
  g_assert_cmpint (old_list_in_index (db), ==, 1);
  assert_policies_forced (db);
  koers_server_db_rollback (db);
  koers_server_db_free (db);
}

/* The lists' index put back to @version's (3: an "ascii" index reading the text lists from
 * the table; 4: the same tokenizer over koers_uuid_list's text, keeping none), version 6's
 * stored items taken away, and the database said to be of @version. */
static void
make_old_index (KoersServerDb *db, guint version)
{
  const char *list = version == 3 ? "%s.participant_ids" : "koers_uuid_list (%s.participant_ids)";
  g_autofree char *new_list = g_strdup_printf (list, "new");
  g_autofree char *old_list = g_strdup_printf (list, "old");
  g_autofree char *insert = g_strconcat ("CREATE TRIGGER audit_participant_lists_insert AFTER "
                                         "INSERT ON audit_participant_lists BEGIN INSERT INTO "
                                         "audit_participant_index (rowid, participant_ids) "
                                         "VALUES (new.list_id, ", new_list, "); END", NULL);
  g_autofree char *delete = g_strconcat ("CREATE TRIGGER audit_participant_lists_delete AFTER "
                                         "DELETE ON audit_participant_lists BEGIN INSERT INTO "
                                         "audit_participant_index (audit_participant_index, "
                                         "rowid, participant_ids) VALUES ('delete', "
                                         "old.list_id, ", old_list, "); END", NULL);
  KoersSqlValue params[] = { KOERS_SQL_INT_VALUE (version) };

  g_assert_true (version == 3 || version == 4);
  exec_ok (db, "DROP TRIGGER audit_participant_lists_insert", NULL, 0);
  exec_ok (db, "DROP TRIGGER audit_participant_lists_delete", NULL, 0);
  exec_ok (db, "DROP TABLE audit_participant_index", NULL, 0);
  exec_ok (db, version == 3
               ? "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (participant_ids, "
                 "content = 'audit_participant_lists', content_rowid = 'list_id', "
                 "detail = none, columnsize = 0, tokenize = \"ascii tokenchars '-'\")"
               : "CREATE VIRTUAL TABLE audit_participant_index USING fts5 (participant_ids, "
                 "content = '', detail = none, columnsize = 0, "
                 "tokenize = \"ascii tokenchars '-'\")", NULL, 0);
  exec_ok (db, insert, NULL, 0);
  exec_ok (db, delete, NULL, 0);
  undo_v6 (db, KOERS_SERVER_DB_SQLITE);
  exec_ok (db, "UPDATE meta SET value = CAST($1 AS TEXT) WHERE key = 'schema_version'",
           params, 1);
}

/* SQLite's lists of version 3 (text, the index reading them from the table) are kept as they
 * are by version 4 (16 bytes an id, an index that keeps no text): the index is made again
 * from them and finds them, and a list written now is stored in its 16 bytes an id. */
static void
test_sqlite_migrate_from_v3 (void)
{
  g_autofree char *location = NULL;
  g_autoptr(GError) error = NULL;
  KoersServerDb *db = koers_test_server_db_open (KOERS_SERVER_DB_SQLITE, &location);
  KoersSqlValue new_list[] = {
    KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE ("a0000000-0000-4000-8000-000000000004"),
    KOERS_SQL_TEXT_VALUE (PARTICIPANT_OLD " " PARTICIPANT_THIRD),
  };

  add_organisation (db, ORG_A);
  make_old_index (db, 3);
  db = reopen_with_old_list (db, location, KOERS_SERVER_DB_SQLITE, 0);
  g_assert_cmpint (list_int (db, "SELECT typeof (participant_ids) = 'text' FROM "
                                 "audit_participant_lists WHERE audit_id = $1",
                             OLD_LIST_AUDIT_ID), ==, 1);

  /* Written as the audit writer writes it. */
  insert_audit_row (db, "a0000000-0000-4000-8000-000000000004", NULL);
  exec_ok (db, "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
               "participant_ids) VALUES ($1, $2, koers_uuid_list_pack ($3))",
           new_list, G_N_ELEMENTS (new_list));
  g_assert_cmpint (list_int (db, "SELECT length (participant_ids) FROM audit_participant_lists "
                                 "WHERE audit_id = $1 AND typeof (participant_ids) = 'blob'",
                             "a0000000-0000-4000-8000-000000000004"), ==, 32);
  g_assert_cmpint (list_int (db, "SELECT koers_uuid_list (participant_ids) = '"
                                 PARTICIPANT_OLD " " PARTICIPANT_THIRD "' FROM "
                                 "audit_participant_lists WHERE audit_id = $1",
                             "a0000000-0000-4000-8000-000000000004"), ==, 1);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_SQLITE, PARTICIPANT_OLD), ==, 2);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_SQLITE, PARTICIPANT_THIRD), ==, 1);

  /* Deleting either kind takes it out of the index, so a list that gets its rowid again is
   * found by its own participants only. */
  exec_ok (db, "DELETE FROM audit WHERE id IN ('" OLD_LIST_AUDIT_ID "', "
               "'a0000000-0000-4000-8000-000000000004')", NULL, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_OLD), ==, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_NEW), ==, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_THIRD), ==, 0);
  {
    KoersSqlValue again[] = {
      KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE ("a0000000-0000-4000-8000-000000000005"),
      KOERS_SQL_TEXT_VALUE (PARTICIPANT_THIRD),
    };

    insert_audit_row (db, "a0000000-0000-4000-8000-000000000005", NULL);
    exec_ok (db, "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                 "participant_ids) VALUES ($1, $2, koers_uuid_list_pack ($3))",
             again, G_N_ELEMENTS (again));
  }
  g_assert_cmpint (list_int (db, "SELECT list_id = 1 FROM audit_participant_lists "
                                 "WHERE audit_id = $1", "a0000000-0000-4000-8000-000000000005"),
                   ==, 1);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_SQLITE, PARTICIPANT_OLD), ==, 0);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_SQLITE, PARTICIPANT_THIRD), ==, 1);

  /* Nothing but a list of ids is stored. */
  {
    static const char *const not_lists[] = {
      "", "x", PARTICIPANT_OLD " ", PARTICIPANT_OLD "  " PARTICIPANT_NEW,
      "5C1E7A2B-0000-4000-8000-000000000001", PARTICIPANT_OLD "," PARTICIPANT_NEW,
    };

    for (guint i = 0; i < G_N_ELEMENTS (not_lists); i++)
      {
        KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (not_lists[i]) };
        g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, "SELECT koers_uuid_list_pack "
                                                                  "($1)", params, 1, &error);

        g_assert_null (rows);
        g_assert_nonnull (error);
        g_clear_error (&error);
      }
  }
  koers_server_db_rollback (db);
  koers_server_db_free (db);
}


/* Version 5 reads the lists' 16 bytes an id through its own tokenizer. A database of version
 * 4 with a list of each kind (text from before version 4, 16 bytes an id since) gets the new
 * index made from both: each is found by its participants, and taken out when deleted. */
static void
test_sqlite_migrate_from_v4 (void)
{
  g_autofree char *location = NULL;
  KoersServerDb *db = koers_test_server_db_open (KOERS_SERVER_DB_SQLITE, &location);
  KoersSqlValue packed_list[] = {
    KOERS_SQL_TEXT_VALUE (ORG_A), KOERS_SQL_TEXT_VALUE ("a0000000-0000-4000-8000-000000000004"),
    KOERS_SQL_TEXT_VALUE (PARTICIPANT_THIRD),
  };

  add_organisation (db, ORG_A);
  make_old_index (db, 4);
  g_assert_true (koers_server_db_begin (db, ORG_A, NULL));
  insert_audit_row (db, "a0000000-0000-4000-8000-000000000004", NULL);
  exec_ok (db, "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
               "participant_ids) VALUES ($1, $2, koers_uuid_list_pack ($3))",
           packed_list, G_N_ELEMENTS (packed_list));
  g_assert_true (koers_server_db_commit (db, NULL));
  /* Adds the text list (PARTICIPANT_OLD and PARTICIPANT_NEW), reopens: the migration. */
  db = reopen_with_old_list (db, location, KOERS_SERVER_DB_SQLITE, 0);
  g_assert_cmpint (count_listed (db, KOERS_SERVER_DB_SQLITE, PARTICIPANT_THIRD), ==, 1);
  g_assert_cmpint (count_indexed (db, "5c1e7a2b-0000-4000-8000-000000000009"), ==, 0);

  /* One token an id, whatever form its list has: 22 characters, never the id's text. */
  exec_ok (db, "CREATE VIRTUAL TABLE temp.index_terms USING fts5vocab "
               "(main, audit_participant_index, 'row')", NULL, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM temp.index_terms", NULL, 0), ==, 3);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM temp.index_terms "
                                  "WHERE length (term) = 22 AND instr (term, '-') = 0",
                              NULL, 0), ==, 3);

  exec_ok (db, "DELETE FROM audit WHERE id IN ('" OLD_LIST_AUDIT_ID "', "
               "'a0000000-0000-4000-8000-000000000004')", NULL, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_OLD), ==, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_NEW), ==, 0);
  g_assert_cmpint (count_indexed (db, PARTICIPANT_THIRD), ==, 0);
  koers_server_db_rollback (db);
  koers_server_db_free (db);
}

/* The index is asked by id only: anything else is an error, never a search that quietly
 * finds nothing; and a list that is not 16 bytes an id is not stored. */
static void
test_sqlite_index_refuses_what_is_no_id (void)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (KOERS_SERVER_DB_SQLITE, NULL);
  static const char *const not_ids[] = {
    "\"x\"", "\"5C1E7A2B-0000-4000-8000-000000000001\"", "\"" PARTICIPANT_OLD "x\"",
    "\"5c1e7a2b-0000-4000-8000-00000000000\"", "\"\"", "\"  \"",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (not_ids); i++)
    {
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (not_ids[i]) };
      g_autoptr(KoersSqlRows) rows = koers_server_db_query (db, "SELECT count(*) FROM "
                                                                "audit_participant_index WHERE "
                                                                "audit_participant_index MATCH $1",
                                                            params, 1, &error);

      g_assert_null (rows);
      g_assert_nonnull (error);
      g_clear_error (&error);
    }
  g_assert_cmpint (count_indexed (db, PARTICIPANT_OLD), ==, 0);

  add_organisation (db, ORG_A);
  insert_audit_row (db, "a0000000-0000-4000-8000-000000000006", NULL);
  koers_server_db_exec (db, "INSERT INTO audit_participant_lists (organisation_id, audit_id, "
                            "participant_ids) VALUES ('" ORG_A "', "
                            "'a0000000-0000-4000-8000-000000000006', zeroblob (15))",
                        NULL, 0, NULL, &error);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "not a list of ids"));
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM audit_participant_lists", NULL, 0),
                   ==, 0);
}

/* A stored feed item never says other than its row: a change to the row that does not write
 * the item too (an operator's UPDATE) drops it, so the feed writes the row out from its
 * columns (koers-server-engine-feed.c); one that writes both keeps the new item, and a change
 * to what the item does not hold (the coach) keeps it. */
static void
test_feed_item_stale (KoersServerDbBackend backend)
{
  g_autoptr(KoersServerDb) db = koers_test_server_db_open (backend, NULL);
  static const char item_sql[] = "SELECT count(*) FROM records WHERE feed_item = $1";

  add_organisation (db, ORG_A);
  g_assert_true (koers_server_db_begin (db, ORG_A, NULL));
  exec_ok (db, "INSERT INTO records (organisation_id, entity, id, version, fields, created_at, "
               "created_by, updated_at, updated_by, feed_item) VALUES ('" ORG_A "', "
               "'deelnemers', '" PARTICIPANT_OLD "', 1, '{}', 't', 'u', 't', 'u', 'item 1')",
           NULL, 0);
  exec_ok (db, "UPDATE records SET scope_coach_id = 'coach'", NULL, 0);
  g_assert_cmpint (list_int (db, item_sql, "item 1"), ==, 1);
  exec_ok (db, "UPDATE records SET fields = '{\"naam\": \"Ander\"}', feed_item = 'item 2'",
           NULL, 0);
  g_assert_cmpint (list_int (db, item_sql, "item 2"), ==, 1);
  exec_ok (db, "UPDATE records SET fields = '{}'", NULL, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM records WHERE feed_item IS NULL",
                              NULL, 0), ==, 1);
  exec_ok (db, "UPDATE records SET feed_item = 'item 3'", NULL, 0);
  exec_ok (db, "UPDATE records SET version = 2, updated_at = 't2'", NULL, 0);
  g_assert_cmpint (query_int (db, "SELECT count(*) FROM records WHERE feed_item IS NULL",
                              NULL, 0), ==, 1);
  koers_server_db_rollback (db);
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

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-schema/created", test_schema_created);
  koers_test_server_db_add ("/server-schema/migrate-from-v1", test_migrate_from_v1);
  koers_test_server_db_add ("/server-schema/newer-refused", test_newer_schema_refused);
  koers_test_server_db_add ("/server-schema/feed-item-stale", test_feed_item_stale);
  g_test_add_func ("/server-schema/postgresql/migrate-from-v2", test_migrate_from_v2);
  g_test_add_func ("/server-schema/postgresql/migrate-from-v7", test_postgresql_migrate_from_v7);
  g_test_add_func ("/server-schema/postgresql/migrate-from-v8", test_postgresql_migrate_from_v8);
  g_test_add_func ("/server-schema/sqlite/migrate-from-v3", test_sqlite_migrate_from_v3);
  g_test_add_func ("/server-schema/sqlite/migrate-from-v4", test_sqlite_migrate_from_v4);
  g_test_add_func ("/server-schema/sqlite/index-refuses-what-is-no-id",
                   test_sqlite_index_refuses_what_is_no_id);

  return g_test_run ();
}
