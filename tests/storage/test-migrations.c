/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-migrations.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-table-indexes.h"
#include "sync/koers-sync-schema.h"

#include "koers-test-helpers.h"
#include "storage-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/stat.h>
#endif

#define STAMP "'2026-01-01T00:00:00Z', 'old', '2026-01-01T00:00:00Z', 'old'"

/* Data as each old version could hold it, written with that version's own columns. */
static const char data_v1[] =
  "INSERT INTO organisation (id, organisation_id, created_at, created_by, updated_at, "
  "  updated_by, name) VALUES ('org', 'org', " STAMP ", 'Werkcentrum');"
  "INSERT INTO coach (id, organisation_id, created_at, created_by, updated_at, updated_by, name)"
  "  VALUES ('coach', 'org', " STAMP ", 'Carla');"
  "INSERT INTO participant (id, organisation_id, created_at, created_by, updated_at, updated_by,"
  "  name, preferred_name, birth_year, municipality, dutch_level, target_group, coach_id, "
  "  status, outcome, registered_on) VALUES ('p1', 'org', " STAMP ", 'Özlem Yılmaz', 'Ö', "
  "  1984, 'aalten', 'a2', 'statusholder', 'coach', 'intake', 'unknown', '2025-12-01');"
  "INSERT INTO participant_status_change (id, created_at, created_by, updated_at, updated_by, "
  "  participant_id, to_status, changed_on, changed_at, changed_by) VALUES ('s1', " STAMP ", "
  "  'p1', 'intake', '2025-12-01', '2025-12-01T10:00:00Z', 'old');";

static const char data_v2[] =
  "INSERT INTO note (id, created_at, created_by, updated_at, updated_by, participant_id, kind, "
  "  occurred_on, body) VALUES ('n1', " STAMP ", 'p1', 'conversation', '2025-12-02', "
  "  'Eerste gesprek');"
  "INSERT INTO activity (id, created_at, created_by, updated_at, updated_by, participant_id, "
  "  kind, title, sector, started_on) VALUES ('a1', " STAMP ", 'p1', 'proeverij', 'Zorgdag', "
  "  'zorg', '2026-01-10');"
  "INSERT INTO skill (id, created_at, created_by, updated_at, updated_by, participant_id, label,"
  "  isco_code) VALUES ('k1', " STAMP ", 'p1', 'Plannen', '2512');"
  "INSERT INTO consent (id, created_at, created_by, updated_at, updated_by, participant_id, "
  "  scope, given_on) VALUES ('c1', " STAMP ", 'p1', 'programme', '2025-12-01');";

/* From v3 on the repository writes the folded keys itself (migration 3 filled them for older
 * rows); a v3 database holds them as v3 wrote them. */
static const char data_v3[] =
  "UPDATE participant SET name_key = 'ozlem yilmaz', "
  "  search_key = 'ozlem yilmaz' || char(10) || 'o' WHERE id = 'p1';";

static void
make_at_version (const char *path, int version)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE,
                                                     &error);

  g_assert_no_error (error);
  g_assert_true (koers_migrations_run_to (db, version, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==, version);
  if (version >= 1)
    g_assert_true (koers_database_exec (db, data_v1, &error));
  if (version >= 2)
    g_assert_true (koers_database_exec (db, data_v2, &error));
  if (version >= 3)
    g_assert_true (koers_database_exec (db, data_v3, &error));
  g_assert_no_error (error);
}

static void
test_from_every_version (void)
{
  int latest = koers_database_get_latest_version ();

  g_assert_cmpint (latest, >=, 3);
  for (int version = 0; version < latest; version++)
    {
      g_autofree char *path = koers_test_make_temp_db_path ();
      g_autofree char *backup = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersDatabase) db = NULL;
      g_autoptr(KoersParticipant) p = NULL;
      g_autoptr(GArray) rowids = NULL;
      KoersCaseloadQuery query;

      g_test_message ("from version %d", version);
      make_at_version (path, version);

      db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      g_assert_cmpint (koers_database_get_user_version (db), ==, latest);
      g_assert_true (koers_database_check (db, TRUE, &error));

      backup = g_strdup_printf ("%.*s.before-migration-%d.db", (int) (strlen (path) - 3), path,
                                version);
      /* A copy is taken of a file that holds something; an empty new file needs none. */
      g_assert_cmpint (g_file_test (backup, G_FILE_TEST_EXISTS), ==, version > 0);
#ifdef G_OS_UNIX
      /* The copy holds the same personal data as the database: owner only. */
      if (version > 0)
        {
          GStatBuf info;

          g_assert_cmpint (g_stat (backup, &info), ==, 0);
          g_assert_cmpint (info.st_mode & 0777, ==, 0600);
        }
#endif

      if (version == 0)
        continue;

      p = koers_participant_repository_get (db, "p1", TEST_ACTOR, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (koers_participant_get_name (p), ==, "Özlem Yılmaz");
      g_assert_cmpint (koers_participant_get_status (p), ==, KOERS_STATUS_INTAKE);
      g_assert_cmpstr (koers_participant_get_coach_id (p), ==, "coach");

      /* Rows from before the search index are found by it. */
      koers_caseload_query_init (&query);
      query.search = g_strdup ("yilmaz");
      rowids = koers_participant_repository_query_rowids (db, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rowids->len, ==, 1);
      g_clear_pointer (&rowids, g_array_unref);
      koers_caseload_query_clear (&query);

      /* And by the word index for one or two letters (migration 4). */
      koers_caseload_query_init (&query);
      query.search = g_strdup ("yi");
      rowids = koers_participant_repository_query_rowids (db, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (rowids->len, ==, 1);
      koers_caseload_query_clear (&query);

      g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM "
                                                   "participant_status_change"), ==, 1);
      if (version >= 2)
        {
          g_autoptr(GPtrArray) notes = koers_note_repository_list_for_participant (db, "p1",
                                                                                   &error);
          g_assert_cmpuint (notes->len, ==, 1);
          g_assert_cmpstr (((KoersNote *) g_ptr_array_index (notes, 0))->body, ==,
                           "Eerste gesprek");
          g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM activity "
                                                       "WHERE sector = 'zorg'"), ==, 1);
          g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM skill "
                                                       "WHERE isco_code = '2512'"), ==, 1);
          g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM consent"), ==, 1);
        }
    }
}

static gboolean
failing_func (KoersDatabase *db, GError **error)
{
  g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL, "injected");
  return FALSE;
}

static void
test_failing_step_rolls_back (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  guint n = 0;
  const KoersMigrationStep *builtin = koers_migrations_get_steps (&n);
  g_autofree KoersMigrationStep *steps = g_new0 (KoersMigrationStep, n + 1);
  int latest = koers_database_get_latest_version ();

  memcpy (steps, builtin, n * sizeof *steps);
  /* A step that does real work first, then fails: the work must vanish with it. */
  steps[n] = (KoersMigrationStep) { latest + 1, "CREATE TABLE half_done (x);"
                                                "INSERT INTO half_done VALUES (1);"
                                                "UPDATE participant SET name = 'changed';",
                                    failing_func };

  make_at_version (path, latest);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_false (koers_migrations_apply (db, steps, n + 1, latest + 1, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_MIGRATION);
  g_assert_nonnull (strstr (error->message, "injected"));
  g_clear_error (&error);

  g_assert_cmpint (koers_database_get_user_version (db), ==, latest);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE name = 'half_done'"), ==, 0);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE name = 'changed'"), ==, 0);

  /* A broken SQL step fails the same way, from an older version: earlier steps stay done. */
  g_clear_object (&db);
  g_free (path);
  path = koers_test_make_temp_db_path ();
  make_at_version (path, 1);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  steps[n - 1].sql = "CREATE TABLE half_done (x); THIS IS NOT SQL;";
  steps[n - 1].func = NULL;
  g_assert_false (koers_migrations_apply (db, steps, n, latest, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_MIGRATION);
  g_assert_cmpint (koers_database_get_user_version (db), ==, latest - 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE name = 'half_done'"), ==, 0);
}

/* A laptop whose database was made at v7, before the re-send table existed (session 2), gets
 * it at v8, and what it had queued stays. */
static void
test_v8_adds_repull_table (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;

  make_at_version (path, 7);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (db, "DROP TABLE sync_repull_known;"
                                          "INSERT INTO sync_state (key, value) "
                                          "VALUES ('cursor', '1.42')", &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==,
                   koers_database_get_latest_version ());
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE name = 'sync_repull_known'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_state "
                                               "WHERE key = 'cursor' AND value = '1.42'"), ==, 1);
}

/* A laptop at v9 gets the table a 410 keeps its shadow rows in at v10; its queue stays. */
static void
test_v10_adds_repull_shadow (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;

  /* The steps before run today's install, so the table is taken away as v9 had it. */
  make_at_version (path, 9);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (db, "DROP TABLE sync_repull_shadow;"
                                          "INSERT INTO sync_repull_known (entity, id) "
                                          "VALUES ('deelnemers', 'x')", &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==,
                   koers_database_get_latest_version ());
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sqlite_schema "
                                               "WHERE name = 'sync_repull_shadow'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_repull_known"), ==, 1);
}

static char *
schema_text (KoersDatabase *db)
{
  sqlite3_stmt *stmt = NULL;
  GString *text = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                       "ORDER BY type, name", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s %s %s %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                            sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return g_string_free (text, FALSE);
}

/* v12: a quarantined change keeps its refusal's code and field. A v11 database (the table as
 * v7 made it, a row in it) gains the two columns, keeps the row, and ends with the schema of a
 * new database (where the install adds them the same way). */
static void
test_v12_adds_refusal_columns (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *fresh_path = koers_test_make_temp_db_path ();
  g_autofree char *v7_sql = koers_sync_schema_get_sql ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(KoersDatabase) fresh = NULL;
  g_autofree char *want = NULL;
  g_autofree char *got = NULL;

  make_at_version (path, 11);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (db, "DROP TABLE sync_quarantine", &error));
  g_assert_true (koers_database_exec (db, v7_sql, &error));
  /* Refused by the server (it had a device number); moved out of scope and erased here (never
   * sent, values dropped for the erasure). */
  g_assert_true (koers_database_exec (db, "INSERT INTO sync_quarantine (outbox_seq, entity, "
                                          "record_id, action, diff, device_number, reason, "
                                          "created_at, quarantined_at) VALUES "
                                          "(1, 'deelnemers', 'r', 'wijzigen', '{}', 7, "
                                          "'telefoon: te lang', 'x', 'x'), "
                                          "(2, 'deelnemers', 's', 'wijzigen', '{}', NULL, "
                                          "'De deelnemer is uit je caseload gehaald', 'x', 'x'), "
                                          "(3, 'deelnemers', 't', 'wijzigen', NULL, NULL, "
                                          "'Het record is op de server gewist', 'x', 'x')",
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM pragma_table_info "
                                               "('sync_quarantine') WHERE name IN "
                                               "('reason_code', 'field')"), ==, 0);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==,
                   koers_database_get_latest_version ());
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_quarantine WHERE "
                                               "reason = 'telefoon: te lang' AND "
                                               "reason_code IS NULL AND field IS NULL"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_quarantine WHERE "
                                               "record_id = 's' AND "
                                               "reason_code = 'buitenBereik'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_quarantine WHERE "
                                               "record_id = 't' AND "
                                               "reason_code = 'gewistOntvangen'"), ==, 1);
  fresh = koers_database_open (fresh_path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  want = schema_text (fresh);
  got = schema_text (db);
  g_assert_cmpstr (got, ==, want);
}

/* v13 and v14: the caseload's sort and filter indexes carry the name after their column(s),
 * so a sorted or filtered list is read in order from one index (test-caseload-query.c's
 * sort-from-index and filter-from-index); the participants stay and the indexes agree with
 * the table. */
static void
test_v13_sort_indexes (void)
{
  /* v13 the four sort columns; v14 the coach and the project line (filters). */
  static const char *const indexes[] = {
    "participant_status", "participant_target_group", "participant_municipality",
    "participant_next_action", "participant_coach", "participant_project_line",
  };
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;

  make_at_version (path, 12);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM pragma_index_info "
                                               "('participant_municipality') "
                                               "WHERE name = 'name_key'"), ==, 0);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), >=, 14);
  for (guint i = 0; i < G_N_ELEMENTS (indexes); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT seqno FROM pragma_index_info ('%s') "
                                              "WHERE name = 'name_key'", indexes[i]);

      g_test_message ("%s", indexes[i]);
      g_assert_cmpint (storage_test_query_int (db, sql), ==, 2);
    }
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE name_key = 'ozlem yilmaz'"), ==, 1);
  g_assert_true (koers_database_check (db, TRUE, &error));
  g_assert_no_error (error);
}

/* A first sync cut short on schema 12 left the participant's plain indexes dropped, their
 * statements waiting in sync_state (koers-sync-apply.c, defer_indexes()). Schemas 13 and 14
 * still open such a database, and the pull that ends later puts the rest back without
 * tripping over the indexes made meanwhile. */
static void
test_v13_with_deferred_indexes (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GPtrArray) sql = g_ptr_array_new_with_free_func (g_free);

  make_at_version (path, 12);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_table_indexes_drop (db, "participant", sql, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sql->len, >=, 6);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==,
                   koers_database_get_latest_version ());
  /* The pull's end, with the statements as schema 12 wrote them. */
  g_assert_true (koers_table_indexes_create (db, (const char *const *) sql->pdata, sql->len,
                                             &error));
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM pragma_index_info "
                                               "('participant_municipality') "
                                               "WHERE name = 'name_key'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM pragma_index_info "
                                               "('participant_coach') "
                                               "WHERE name = 'name_key'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sqlite_master "
                                               "WHERE type = 'index' AND name = "
                                               "'participant_name'"), ==, 1);
  g_assert_true (koers_database_check (db, TRUE, &error));
  g_assert_no_error (error);
}

/* Migration 6 rebuilds the tables with their vocabulary checks written as comparisons: a
 * database upgraded from any version ends with exactly the schema of a new one (tables,
 * indexes, triggers), and no table an import writes still has an IN list of text values. */
static void
test_v6_same_schema (void)
{
  g_autofree char *fresh_path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) fresh = koers_database_open (fresh_path, KOERS_DATABASE_OPEN_DEFAULT,
                                                        &error);
  g_autofree char *want = schema_text (fresh);

  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_latest_version (), >=, 6);
  g_assert_cmpint (storage_test_query_int (fresh, "SELECT count(*) FROM sqlite_schema WHERE "
                                                  "name IN ('participant', "
                                                  "'participant_status_change', 'note', "
                                                  "'activity', 'consent') AND sql LIKE "
                                                  "'% IN (''%'"), ==, 0);
  g_assert_cmpint (storage_test_query_int (fresh, "SELECT count(*) FROM sqlite_schema WHERE "
                                                  "sql LIKE '%_v6%'"), ==, 0);
  /* Up to the latest version, so later steps (v7: the sync tables) are held to the same rule. */
  for (int version = 1; version < koers_database_get_latest_version (); version++)
    {
      g_autofree char *path = koers_test_make_temp_db_path ();
      g_autoptr(KoersDatabase) db = NULL;
      g_autofree char *got = NULL;

      g_test_message ("from version %d", version);
      make_at_version (path, version);
      db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
      g_assert_no_error (error);
      got = schema_text (db);
      g_assert_cmpstr (got, ==, want);
      /* Foreign keys are enforced again after the rebuild ran without them. */
      g_assert_cmpint (storage_test_query_int (db, "PRAGMA foreign_keys"), ==, 1);
      g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM "
                                                   "pragma_foreign_key_check"), ==, 0);
    }
}

/* A laptop that synced before v9 holds its shadow rows in a WITHOUT ROWID table: v9 moves
 * them into the rowid table (koers-sync-schema.c), every row kept, and the schema ends exactly
 * as a new database's. */
static void
test_v9_rebuilds_shadow (void)
{
  g_autofree char *fresh_path = koers_test_make_temp_db_path ();
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) fresh = koers_database_open (fresh_path, KOERS_DATABASE_OPEN_DEFAULT,
                                                        &error);
  g_autoptr(KoersDatabase) db = NULL;
  g_autofree char *want = schema_text (fresh);
  g_autofree char *got = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (fresh, "SELECT count(*) FROM sqlite_schema WHERE "
                                                  "name = 'sync_shadow' AND sql LIKE "
                                                  "'%WITHOUT ROWID%'"), ==, 0);
  make_at_version (path, 8);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_NO_MIGRATE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_exec (db,
    "DROP TABLE sync_shadow;"
    "CREATE TABLE sync_shadow (entity TEXT NOT NULL, id TEXT NOT NULL, "
    "  version INTEGER NOT NULL CHECK (version >= 0), "
    "  deleted INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)), "
    "  erased INTEGER NOT NULL DEFAULT 0 CHECK (erased IN (0, 1)), parent_id TEXT, "
    "  record TEXT NOT NULL CHECK (json_valid(record)), PRIMARY KEY (entity, id)) "
    "  WITHOUT ROWID;"
    "CREATE INDEX sync_shadow_parent ON sync_shadow (parent_id);"
    "INSERT INTO sync_shadow VALUES ('deelnemers', 'p1', 3, 0, 0, NULL, '{\"naam\":\"A\"}'),"
    "  ('notities', 'n1', 1, 0, 0, 'p1', '{}'), ('deelnemers', 'p2', 1, 1, 0, NULL, '{}')",
    &error));
  g_assert_no_error (error);
  g_clear_object (&db);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_database_get_user_version (db), ==,
                   koers_database_get_latest_version ());
  got = schema_text (db);
  g_assert_cmpstr (got, ==, want);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_shadow"), ==, 3);
  g_assert_cmpint (storage_test_query_int (db, "SELECT version FROM sync_shadow WHERE entity = "
                                               "'deelnemers' AND id = 'p1' AND record = "
                                               "'{\"naam\":\"A\"}'"), ==, 3);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM sync_shadow WHERE "
                                               "parent_id = 'p1' AND deleted = 0"), ==, 1);
  g_assert_true (koers_database_check (db, TRUE, &error));
  g_assert_no_error (error);
}

typedef struct {
  const char *sql;
  gboolean    accepted;
} Write;

#define META "'2026-01-01T00:00:00Z', 't', '2026-01-01T00:00:00Z', 't'"
#define PARTICIPANT(id, municipality, level, group, status, outcome) \
  "INSERT INTO participant (id, created_at, created_by, updated_at, updated_by, name, " \
  "municipality, dutch_level, target_group, status, outcome) VALUES ('" id "', " META \
  ", 'X', '" municipality "', '" level "', '" group "', '" status "', '" outcome "')"
#define CHILD(table, id, columns, values) \
  "INSERT INTO " table " (id, created_at, created_by, updated_at, updated_by, participant_id, " \
  columns ") VALUES ('" id "', " META ", 'ok', " values ")"

/* The database itself still refuses every value outside a vocabulary, in every column that
 * had an IN list, and takes every value inside it. */
static void
test_v6_refuses_bad_vocabulary (void)
{
  static const Write writes[] = {
    { PARTICIPANT ("ok", "aalten", "b1", "nug", "completed", "work"), TRUE },
    { PARTICIPANT ("p1", "amsterdam", "b1", "nug", "active", "unknown"), FALSE },
    { PARTICIPANT ("p2", "Aalten", "b1", "nug", "active", "unknown"), FALSE },
    { PARTICIPANT ("p3", "aalten", "b3", "nug", "active", "unknown"), FALSE },
    { PARTICIPANT ("p4", "aalten", "b1", "tourist", "active", "unknown"), FALSE },
    { PARTICIPANT ("p5", "aalten", "b1", "nug", "paused", "unknown"), FALSE },
    { PARTICIPANT ("p6", "aalten", "b1", "nug", "active", "lottery"), FALSE },
    { PARTICIPANT ("p7", "winterswijk", "unknown", "career_switcher", "dropped_out", "none"),
      TRUE },
    { CHILD ("participant_status_change", "s1", "to_status, changed_on, changed_at, changed_by",
             "'active', '2026-01-01', 'x', 'y'"), TRUE },
    { CHILD ("participant_status_change", "s2", "to_status, changed_on, changed_at, changed_by",
             "'resting', '2026-01-01', 'x', 'y'"), FALSE },
    { CHILD ("participant_status_change", "s3",
             "from_status, to_status, changed_on, changed_at, changed_by",
             "'sleeping', 'active', '2026-01-01', 'x', 'y'"), FALSE },
    { CHILD ("participant_status_change", "s4",
             "from_status, to_status, changed_on, changed_at, changed_by",
             "'intake', 'active', '2026-01-01', 'x', 'y'"), TRUE },
    { CHILD ("note", "n1", "kind, occurred_on, body", "'phone', '2026-01-01', 'b'"), TRUE },
    { CHILD ("note", "n2", "kind, occurred_on, body", "'fax', '2026-01-01', 'b'"), FALSE },
    { CHILD ("activity", "a1", "kind, title, sector", "'proeverij', 't', 'zorg'"), TRUE },
    { CHILD ("activity", "a2", "kind, title", "'holiday', 't'"), FALSE },
    { CHILD ("activity", "a3", "kind, title, sector", "'proeverij', 't', 'mining'"), FALSE },
    { CHILD ("activity", "a4", "kind, title, sector", "'training', 't', 'zorg'"), FALSE },
    { CHILD ("activity", "a5", "kind, title, nlqf_level", "'training', 't', 3"), FALSE },
    { CHILD ("activity", "a6", "kind, title, nlqf_level", "'certificate', 't', 3"), TRUE },
    { CHILD ("consent", "c1", "scope, given_on", "'monitoring', '2026-01-01'"), TRUE },
    { CHILD ("consent", "c2", "scope, given_on", "'marketing', '2026-01-01'"), FALSE },
  };
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT,
                                                     &error);

  g_assert_no_error (error);
  for (gsize i = 0; i < G_N_ELEMENTS (writes); i++)
    {
      gboolean ok = koers_database_exec (db, writes[i].sql, &error);

      g_test_message ("%s", writes[i].sql);
      if (writes[i].accepted)
        g_assert_no_error (error);
      else
        g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT);
      g_assert_cmpint (ok, ==, writes[i].accepted);
      g_clear_error (&error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);
#ifdef G_OS_UNIX
  /* The usual umask, so a file left at SQLite's default mode (0644) shows. */
  umask (022);
#endif

  g_test_add_func ("/migrations/from-every-version", test_from_every_version);
  g_test_add_func ("/migrations/failing-step-rolls-back", test_failing_step_rolls_back);
  g_test_add_func ("/migrations/v6-same-schema", test_v6_same_schema);
  g_test_add_func ("/migrations/v6-refuses-bad-vocabulary", test_v6_refuses_bad_vocabulary);
  g_test_add_func ("/migrations/v8-adds-repull-table", test_v8_adds_repull_table);
  g_test_add_func ("/migrations/v9-rebuilds-shadow", test_v9_rebuilds_shadow);
  g_test_add_func ("/migrations/v10-adds-repull-shadow", test_v10_adds_repull_shadow);
  g_test_add_func ("/migrations/v12-adds-refusal-columns", test_v12_adds_refusal_columns);
  g_test_add_func ("/migrations/v13-sort-indexes", test_v13_sort_indexes);
  g_test_add_func ("/migrations/v13-with-deferred-indexes", test_v13_with_deferred_indexes);

  return g_test_run ();
}
