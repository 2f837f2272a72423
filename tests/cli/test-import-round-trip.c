/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A whole caseload out and back in: a demo database (completed participants with outcomes,
 * coaches, next actions, notes with their writers, activities) exported to CSV, imported into
 * a database that holds only the coaches, and exported again gives the same files; importing
 * them a second time changes nothing. Also the refusals the round trip can meet (an unknown
 * coach, an unknown participant), and the large-batch index rebuild. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo.h"
#include "cli/koers-export.h"
#include "cli/koers-import.h"
#include "core/koers-caseload-query.h"
#include "storage/koers-database.h"
#include "storage/koers-participant-repository.h"

#include "cli-test-util.h"
#include "koers-test-helpers.h"

#include <string.h>

static const KoersExportTable round_trip_tables[] = {
  KOERS_EXPORT_TABLE_PARTICIPANTS, KOERS_EXPORT_TABLE_NOTES, KOERS_EXPORT_TABLE_ACTIVITIES,
};
static const KoersImportTable import_tables[] = {
  KOERS_IMPORT_TABLE_PARTICIPANTS, KOERS_IMPORT_TABLE_NOTES, KOERS_IMPORT_TABLE_ACTIVITIES,
};

static KoersDatabase *
open_temp_db (char **out_path)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  KoersDatabase *db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return db;
}

static KoersDatabase *
make_demo_db (char **out_path, guint n_participants)
{
  KoersDatabase *db = open_temp_db (out_path);
  g_autoptr(GError) error = NULL;
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = n_participants;
  options.seed = 7;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return db;
}

/* The coaches (and their organisations) of @from, as an administrator sets them up before a
 * caseload moves in: the import matches coaches by name and refuses unknown ones. */
static void
copy_coaches (KoersDatabase *to, const char *from_path)
{
  g_autoptr(GError) error = NULL;
  char *sql = sqlite3_mprintf ("ATTACH %Q AS src; "
                               "INSERT INTO organisation SELECT * FROM src.organisation; "
                               "INSERT INTO coach SELECT * FROM src.coach; DETACH src;",
                               from_path);

  g_assert_true (koers_database_exec (to, sql, &error));
  g_assert_no_error (error);
  sqlite3_free (sql);
}

static char *
export_table (KoersDatabase *db, KoersExportTable table, const char *dir, const char *prefix)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.csv", prefix, koers_export_table_to_id (table));
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_export_table (db, table, KOERS_EXPORT_FORMAT_CSV, path, "tester", NULL,
                                     &error));
  g_assert_no_error (error);
  return path;
}

static char *
file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}

static gboolean
import_file (KoersDatabase *db, KoersImportTable table, const char *path,
             KoersImportReport *report, GError **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  KoersImportOptions options;
  gboolean ok;

  koers_import_options_init (&options);
  options.actor = "tester";
  options.today_year = 2026;
  ok = koers_import_table_csv (db, table, file, &options, report, NULL, NULL, NULL, error);
  for (guint i = 0; i < report->errors->len; i++)
    g_test_message ("import error: %s",
                    ((KoersCsvIssue *) g_ptr_array_index (report->errors, i))->message);
  return ok;
}

static void
test_round_trip_demo (void)
{
  g_autofree char *source_path = NULL;
  g_autofree char *target_path = NULL;
  g_autoptr(KoersDatabase) source = make_demo_db (&source_path, 150);
  g_autoptr(KoersDatabase) target = open_temp_db (&target_path);
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *after_import = NULL;
  g_autofree char *after_second = NULL;
  char *first[G_N_ELEMENTS (round_trip_tables)];

  /* The demo data must hold what the round trip is about, or the test proves nothing. */
  g_assert_cmpint (koers_test_query_int (source, "SELECT count(*) FROM participant WHERE "
                                                 "status = 'completed' AND outcome <> 'unknown' "
                                                 "AND outcome_date IS NOT NULL"), >, 0);
  g_assert_cmpint (koers_test_query_int (source, "SELECT count(*) FROM participant WHERE "
                                                 "coach_id IS NOT NULL AND next_action IS NOT "
                                                 "NULL"), >, 0);
  g_assert_cmpint (koers_test_query_int (source, "SELECT count(*) FROM note"), >, 150);
  g_assert_cmpint (koers_test_query_int (source, "SELECT count(*) FROM activity"), >, 50);

  copy_coaches (target, source_path);
  for (gsize t = 0; t < G_N_ELEMENTS (round_trip_tables); t++)
    {
      g_autoptr(KoersImportReport) report = koers_import_report_new ();
      g_autoptr(GError) error = NULL;

      first[t] = export_table (source, round_trip_tables[t], dir, "first");
      g_assert_true (import_file (target, import_tables[t], first[t], report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report->n_warnings, ==, 0);
      g_assert_cmpuint (report->n_imported, ==, report->n_rows);
    }
  /* One audit event per imported file, none per row. */
  g_assert_cmpint (koers_test_query_int (target, "SELECT count(*) FROM audit_event "
                                                 "WHERE object_type = 'import'"), ==, 3);
  g_assert_cmpint (koers_test_query_int (target, "SELECT count(*) FROM audit_event "
                                                 "WHERE object_type IN ('participant', 'note', "
                                                 "'activity')"), ==, 0);

  /* Exported again: byte for byte what the source exported (ids, coaches, outcomes, dates,
   * note writers and revisions included). */
  for (gsize t = 0; t < G_N_ELEMENTS (round_trip_tables); t++)
    {
      g_autofree char *again = export_table (target, round_trip_tables[t], dir, "again");
      g_autofree char *want = file_checksum (first[t]);
      g_autofree char *got = file_checksum (again);

      g_test_message ("%s", koers_export_table_to_id (round_trip_tables[t]));
      g_assert_cmpstr (got, ==, want);
    }

  /* The same files again change nothing at all, into the copy and into the source itself. */
  after_import = koers_test_content_checksum (target);
  for (gsize t = 0; t < G_N_ELEMENTS (round_trip_tables); t++)
    {
      g_autoptr(KoersImportReport) report = koers_import_report_new ();
      g_autoptr(KoersImportReport) report_source = koers_import_report_new ();
      g_autoptr(GError) error = NULL;

      g_assert_true (import_file (target, import_tables[t], first[t], report, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report->n_imported, ==, 0);
      g_assert_cmpuint (report->n_already, ==, report->n_rows);
      g_assert_true (import_file (source, import_tables[t], first[t], report_source, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (report_source->n_imported, ==, 0);
    }
  after_second = koers_test_content_checksum (target);
  g_assert_cmpstr (after_second, ==, after_import);
  for (gsize t = 0; t < G_N_ELEMENTS (round_trip_tables); t++)
    g_free (first[t]);
}

static char *
write_text (const char *name, const char *contents)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, contents, -1, &error));
  g_assert_no_error (error);
  return path;
}

/* An error whose message starts with @prefix. */
static gboolean
report_has (const KoersImportReport *report, const char *prefix)
{
  for (guint i = 0; i < report->errors->len; i++)
    if (g_str_has_prefix (((KoersCsvIssue *) g_ptr_array_index (report->errors, i))->message,
                          prefix))
      return TRUE;
  return FALSE;
}

/* An unknown coach, a completed trajectory without outcome, an unknown participant of a note:
 * refused with the cell named, and nothing changes. */
static void
test_refusals_located (void)
{
  g_autofree char *source_path = NULL;
  g_autoptr(KoersDatabase) db = make_demo_db (&source_path, 5);
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  g_autofree char *people = write_text ("people.csv",
                                        "naam;gemeente;doelgroep;coach;status;uitkomst;"
                                        "uitkomstdatum\n"
                                        "Jan Jansen;Aalten;statushouder;Niemand Bekend;actief;;\n"
                                        "Piet Bakker;Aalten;statushouder;;afgerond;;\n"
                                        "Sanne Smit;Aalten;statushouder;;afgerond;werk;"
                                        "2026-05-01\n");
  g_autofree char *notes = write_text ("notes.csv",
                                       "id;participant-id;kind;occurred-on;body\n"
                                       ";3f2b0d6c-8f1e-4c39-9f57-0d6a3c9f1a11;phone;2026-01-02;"
                                       "Gebeld\n"
                                       ";;visit;2026-01-02;Bezoek\n");
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (import_file (db, KOERS_IMPORT_TABLE_PARTICIPANTS, people, report, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (report->n_errors, ==, 2);
  /* Each at its cell: line, column (characters from the line's start) and header. */
  g_assert_true (report_has (report,
                             "2:32 (coach): Koers has no coach called “Niemand Bekend”"));
  /* No outcome column value: the outcome's cell is named, row 3 (line 3). */
  g_assert_true (report_has (report, "3:43 (uitkomst): Record an outcome before completing"));

  g_assert_false (import_file (db, KOERS_IMPORT_TABLE_NOTES, notes, report, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (report_has (report, "2:2 (participant-id): Koers has no participant"));
  g_assert_true (report_has (report, "3:2 (participant-id): the participant's Koers id is "
                                     "missing"));
  g_assert_true (report_has (report, "3:3 (kind): “visit” is not a kind of note"));

  after = koers_test_content_checksum (db);
  g_assert_cmpstr (after, ==, before);
}

/* A batch that fills a new database rebuilds the plain indexes at the end: they are all there
 * afterwards, the same as before, and a refused import leaves them untouched. */
static void
test_bulk_reindex (void)
{
  g_autoptr(KoersDatabase) db = open_temp_db (NULL);
  g_autoptr(GString) csv = g_string_new ("naam;gemeente;doelgroep;notities\n");
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *indexes_before = NULL;
  g_autofree char *indexes_after = NULL;
  const char *index_sql = "SELECT group_concat (name || ':' || sql, '|') FROM "
                          "(SELECT name, sql FROM sqlite_schema WHERE type IN ('index', "
                          "'trigger') ORDER BY name)";
  g_autoptr(GArray) rowids = NULL;
  KoersCaseloadQuery query;
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < 1500; i++)
    g_string_append_printf (csv, "Persoon %u Achternaam%u;Aalten;statushouder;%s\n", i, i,
                            i % 3 == 0 ? "eerste gesprek" : "");
  path = write_text ("many.csv", csv->str);
  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db), index_sql, -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  indexes_before = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  g_assert_true (import_file (db, KOERS_IMPORT_TABLE_PARTICIPANTS, path, report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 1500);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  indexes_after = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  g_assert_cmpstr (indexes_after, ==, indexes_before);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant "
                                             "INDEXED BY participant_name WHERE deleted = 0 "
                                             "AND name_key >= ''"), ==, 1500);
  koers_database_check (db, TRUE, &error);
  g_assert_no_error (error);
  /* Each participant's first status, written for the whole batch at once: one row each, a
   * distinct time-ordered UUID, counted from today (no registration date in the file). */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(DISTINCT id) FROM "
                                             "participant_status_change WHERE length (id) = 36 "
                                             "AND id GLOB '[0-9a-f][0-9a-f]*-*-7*-[89ab]*-*' "
                                             "AND id NOT GLOB '*[^0-9a-f-]*' AND from_status IS "
                                             "NULL AND to_status = 'registered' AND changed_by "
                                             "= 'tester' AND changed_on = date ('now')"), ==,
                   1500);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant AS p WHERE NOT "
                                             "EXISTS (SELECT 1 FROM participant_status_change "
                                             "AS s WHERE s.participant_id = p.id)"), ==, 0);

  koers_caseload_query_init (&query);
  query.search = g_strdup ("achternaam1499");
  rowids = koers_participant_repository_query_rowids (db, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 1);
  koers_caseload_query_clear (&query);
}

/* The import key of a row is what makes a second import of the same file change nothing, also
 * across versions of Koers: the key of this row is the one earlier versions stored. */
static void
test_import_key_stable (void)
{
  g_autoptr(KoersDatabase) db = open_temp_db (NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = write_text ("one.csv",
                                      "Naam;Geboortejaar;Gemeente;Doelgroep;Telefoon;Notities\n"
                                      "Jan de Vries;1980;Oost-Gelre;statushouder;0612345678;"
                                      "eerste gesprek\n");

  g_assert_true (import_file (db, KOERS_IMPORT_TABLE_PARTICIPANTS, path, report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM import_row WHERE key = "
                                             "'9898de5b5716cba3065accc01b7f8376ab582a56d23a2715"
                                             "821b4ad36a504fdf'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/round-trip-demo", test_round_trip_demo);
  g_test_add_func ("/import/refusals-located", test_refusals_located);
  g_test_add_func ("/import/bulk-reindex", test_bulk_reindex);
  g_test_add_func ("/import/key-stable", test_import_key_stable);

  return g_test_run ();
}
