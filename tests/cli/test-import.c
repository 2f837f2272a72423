/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The CSV import: all or nothing, located messages, the same file twice changes nothing. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-import.h"

#include "core/koers-csv-types.h"
#include "core/koers-participant.h"
#include "core/koers-caseload-query.h"
#include "storage/koers-audit.h"
#include "storage/koers-database.h"
#include "storage/koers-participant-repository.h"
#include "cli-test-util.h"
#include "koers-test-helpers.h"

#include <string.h>

/* A quoted line break in row 3's note: physical lines run one ahead of the rows after it. */
static const char good_csv[] =
  "Voornaam;Tussenvoegsel;Achternaam;Geboortejaar;Gemeente;Doelgroep;Telefoon;E-mail;Talen;"
  "Status;Projectlijn;Notities\r\n"
  "Jan;de;Vries;1980;Oost-Gelre;statushouder;0612345678;jan@example.nl;nl, ar;intake;1;"
  "eerste gesprek\r\n"
  "Fatima;;El Amrani;1992;winterswijk;Arbeidsmigrant;0687654321;fatima@example.nl;ar;actief;"
  "2;\r\n"
  "Piet;;Bakker;1975;OUDE IJSSELSTREEK;zij-instromer;0314123456;;;;;\"belt terug\r\n"
  "volgende week\"\r\n"
  "Ayşe;;Yılmaz;1988;Doetinchem;worker_reskilling;;;tr;Registered;;\r\n"
  "Daan;van;Dijk;2001;Aalten;werkzoekende;;;;nazorg;3;\r\n"
  "Noor;;Haddad;1999;Berkelland;asielzoeker;;;;;;\r\n";

/* The same file with the birth year out of range on physical line 7: Daan van Dijk's row, the
 * fifth data row. */
static const char *
bad_csv (void)
{
  static char *text;

  if (text == NULL)
    {
      g_autoptr(GString) s = g_string_new (good_csv);

      g_assert_cmpuint (g_string_replace (s, "Dijk;2001", "Dijk;1850", 1), ==, 1);
      text = g_string_free (g_steal_pointer (&s), FALSE);
    }
  return text;
}

static const char damaged_csv[] =
  "Naam;Gemeente;Doelgroep;Telefoon\n"
  "Jan Jansen;Aalten;statushouder;612345678\n"
  "Piet Bakker;Aalten;statushouder;0612345678\n";

static const char bsn_csv[] =
  "Naam;BSN;Gemeente;Doelgroep\n"
  "Jan Jansen;123456782;Aalten;statushouder\n";

static char *
query_text (KoersDatabase *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db), sql, -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

static void
assert_query_text (KoersDatabase *db, const char *sql, const char *expected)
{
  g_autofree char *value = query_text (db, sql);

  g_assert_cmpstr (value, ==, expected);
}


static void
init_options (KoersImportOptions *options)
{
  koers_import_options_init (options);
  options->actor = "tester";
  options->today_year = 2026;
}

static void
import_good (KoersDatabase *db, KoersImportReport *report)
{
  g_autoptr(GFile) file = koers_test_write_csv ("good.csv", good_csv);
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  init_options (&options);
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static void
test_import_good (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(KoersParticipant) jan = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *jan_id = NULL;
  g_autofree char *note = NULL;
  g_autofree char *purpose = NULL;

  import_good (db, report);
  g_assert_cmpuint (report->n_rows, ==, 6);
  g_assert_cmpuint (report->n_imported, ==, 6);
  g_assert_cmpuint (report->n_already, ==, 0);
  g_assert_cmpuint (report->n_notes, ==, 2);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpint (report->separator, ==, ';');
  g_assert_cmpstr (report->headers[4], ==, "Gemeente");
  g_assert_cmpint (report->mapping[4], ==, KOERS_CSV_FIELD_MUNICIPALITY);

  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 6);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), ==, 2);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM import_row"), ==, 6);

  jan_id = query_text (db, "SELECT id FROM participant WHERE name = 'Jan de Vries'");
  jan = koers_participant_repository_get (db, jan_id, "tester", "test", &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_participant_get_birth_year (jan), ==, 1980);
  g_assert_cmpint (koers_participant_get_municipality (jan), ==, KOERS_MUNICIPALITY_OOST_GELRE);
  g_assert_cmpint (koers_participant_get_target_group (jan), ==,
                   KOERS_TARGET_GROUP_STATUSHOLDER);
  g_assert_cmpint (koers_participant_get_status (jan), ==, KOERS_STATUS_INTAKE);
  g_assert_cmpint (koers_participant_get_project_line (jan), ==, 1);
  g_assert_cmpstr (koers_participant_get_phone (jan), ==, "0612345678");
  g_assert_cmpstr (koers_participant_get_email (jan), ==, "jan@example.nl");
  g_assert_cmpstr (koers_participant_get_languages (jan), ==, "nl, ar");

  assert_query_text (db, "SELECT municipality FROM participant "
                                   "WHERE name = 'Piet Bakker'", "oude_ijsselstreek");
  assert_query_text (db, "SELECT target_group FROM participant "
                                   "WHERE name = 'Ayşe Yılmaz'", "worker_reskilling");
  assert_query_text (db, "SELECT status FROM participant "
                                   "WHERE name = 'Noor Haddad'", "registered");
  assert_query_text (db, "SELECT status FROM participant "
                                   "WHERE name = 'Daan van Dijk'", "aftercare");
  note = query_text (db, "SELECT body FROM note JOIN participant p ON p.id = participant_id "
                         "WHERE p.name = 'Piet Bakker'");
  g_assert_true (g_str_has_prefix (note, "belt terug"));
  g_assert_nonnull (strstr (note, "volgende week"));

  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event "
                                  "WHERE object_type = 'import' AND action = 'create'"), ==, 1);
  purpose = query_text (db, "SELECT purpose FROM audit_event WHERE object_type = 'import'");
  g_assert_nonnull (strstr (purpose, "good.csv"));
  g_assert_nonnull (strstr (purpose, "6 participants"));
}

static void
test_import_twice_changes_nothing (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  import_good (db, report);
  before = koers_test_content_checksum (db);
  import_good (db, report);
  after = koers_test_content_checksum (db);
  g_assert_cmpuint (report->n_imported, ==, 0);
  g_assert_cmpuint (report->n_already, ==, 6);
  g_assert_cmpuint (report->n_notes, ==, 0);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_bad_row_refused (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("bad.csv", bad_csv ());
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const KoersCsvIssue *issue;
  KoersImportOptions options;

  /* Some content first, so "unchanged" is about a real database. */
  {
    g_autoptr(GFile) other = koers_test_write_csv ("other.csv", damaged_csv + 0);

    init_options (&options);
    options.accept_warnings = TRUE;
    g_assert_true (koers_import_csv (db, other, &options, NULL, NULL, NULL, NULL, NULL));
  }
  before = koers_test_content_checksum (db);

  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_cmpuint (report->n_errors, ==, 1);
  g_assert_cmpuint (report->n_imported, ==, 0);
  issue = g_ptr_array_index (report->errors, 0);
  g_assert_cmpuint (issue->line, ==, 7);
  g_assert_true (g_str_has_prefix (issue->message, "7:"));
  g_assert_nonnull (strstr (issue->message, "(Geboortejaar)"));
  g_assert_nonnull (strstr (issue->message, "1900"));

  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_excel_damage (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("damaged.csv", damaged_csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  const KoersCsvIssue *warning;
  KoersImportOptions options;

  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_cmpuint (report->n_errors, ==, 0);
  g_assert_cmpuint (report->n_warnings, ==, 1);
  warning = g_ptr_array_index (report->warnings, 0);
  g_assert_true (g_str_has_prefix (warning->message, "2:"));
  g_assert_nonnull (strstr (warning->message, "(Telefoon)"));
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  options.accept_warnings = TRUE;
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_imported, ==, 2);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant "
                                  "WHERE phone = '612345678'"), ==, 1);
}

static void
test_import_bsn_refused (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("bsn.csv", bsn_csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  KoersImportOptions options;

  init_options (&options);
  options.accept_warnings = TRUE;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_CSV_ERROR, KOERS_CSV_ERROR_PRIVACY);
  g_assert_nonnull (strstr (error->message, "BSN"));
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
}

/* Many rows, so the writing pass reports progress and can be stopped half-way. */
static void
cancel_while_writing (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  if (phase == KOERS_IMPORT_PHASE_WRITING && n_done >= n_total / 2)
    g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Imports @n_rows rows, cancelled by @cancel: nothing is written, and the database is still
 * usable: the same file imports whole afterwards. */
static void
check_cancelled_import (guint n_rows, KoersImportProgressFunc cancel)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *contents = koers_test_participant_rows_csv (n_rows);
  g_autoptr(GFile) file = koers_test_write_csv ("many.csv", contents);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  KoersImportOptions options;

  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, cancellable, cancel, cancellable,
                                    &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (report->n_imported, ==, 0);
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);

  g_clear_error (&error);
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, n_rows);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM note"), ==, n_rows);
  /* One first status each, also across the ranges the batch writes them in (10,000 rows). */
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant p WHERE "
                                             "(SELECT count(*) FROM participant_status_change s "
                                             "WHERE s.participant_id = p.id) = 1"), ==, n_rows);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant_status_change"),
                   ==, n_rows);
}

static void
test_import_cancelled (void)
{
  check_cancelled_import (1000, cancel_while_writing);
}

/* Gives the reading thread time to fill its queue and wait for room (a few thousand rows take
 * it some 20 ms), then cancels: the thread is stopped while it waits, not by the cancellable
 * its reads see. */
static void
cancel_at_first_write (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  if (phase != KOERS_IMPORT_PHASE_WRITING || g_cancellable_is_cancelled (G_CANCELLABLE (data)))
    return;
  g_usleep (300 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Stopped at the first rows written, while the rows read ahead wait for the writer: the import
 * returns (the reading thread is stopped and waited for: a build that does not wake it hangs
 * here), and nothing is written. */
static void
test_import_cancelled_early (void)
{
  check_cancelled_import (20000, cancel_at_first_write);
}

static void
cancel_when_finishing (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  if (phase == KOERS_IMPORT_PHASE_FINISHING)
    g_cancellable_cancel (G_CANCELLABLE (data));
}

/* Cancelled once every row is written, while the indexes are built: the statement running
 * stops, and nothing is written. */
static void
test_import_cancelled_finishing (void)
{
  check_cancelled_import (3000, cancel_when_finishing);
}

static void
record_phase (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  int value = (int) phase;

  g_array_append_val ((GArray *) data, value);
}

/* The writing rows are followed by one FINISHING report, the last: the window then shows that
 * the import is almost done instead of a full bar that does not move. */
static void
test_import_finishing_phase (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (1000);
  g_autoptr(GFile) file = koers_test_write_csv ("many.csv", contents);
  g_autoptr(GArray) phases = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;
  guint n_writing = 0;

  init_options (&options);
  g_assert_true (koers_import_csv (db, file, &options, NULL, NULL, record_phase, phases,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (phases->len, >, 1);
  g_assert_cmpint (g_array_index (phases, int, phases->len - 1), ==,
                   KOERS_IMPORT_PHASE_FINISHING);
  for (guint i = 0; i + 1 < phases->len; i++)
    {
      g_assert_cmpint (g_array_index (phases, int, i), !=, KOERS_IMPORT_PHASE_FINISHING);
      n_writing += g_array_index (phases, int, i) == KOERS_IMPORT_PHASE_WRITING;
    }
  g_assert_cmpuint (n_writing, >, 0);
}

typedef struct {
  GFile    *file;
  char     *changed;   /* what the file holds from the end of the check on */
  gboolean  replaced;
} ChangeFile;

/* Replaces the file once the check has read it (the file fits the reader's buffer, so the
 * check goes on with what it read; the writing pass opens the new file). */
static void
change_file_after_check (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  ChangeFile *change = data;
  g_autofree char *path = g_file_get_path (change->file);
  g_autoptr(GError) error = NULL;

  if (phase != KOERS_IMPORT_PHASE_CHECKING || n_done < 512 || change->replaced)
    return;
  g_file_set_contents (path, change->changed, -1, &error);
  g_assert_no_error (error);
  change->replaced = TRUE;
}

/* A file that changes between the check and the writing pass: the row that no longer maps
 * stops the import with a message naming it, and nothing is written. */
static void
test_import_file_changed (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *contents = koers_test_participant_rows_csv (600);
  g_autoptr(GString) changed = g_string_new (contents);
  g_autoptr(GFile) file = koers_test_write_csv ("many.csv", contents);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  KoersImportOptions options;
  ChangeFile change = { file, NULL, FALSE };

  g_assert_cmpuint (strlen (contents), <, 64 * 1024);
  g_assert_cmpuint (g_string_replace (changed, "Nummer 300;1950;Winterswijk",
                                      "Nummer 300;1950;Atlantis", 1), ==, 1);
  change.changed = changed->str;
  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, change_file_after_check,
                                    &change, &error));
  g_assert_true (change.replaced);
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "the file changed while it was imported"));
  g_assert_nonnull (strstr (error->message, "Atlantis"));
  g_assert_cmpuint (report->n_imported, ==, 0);
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_dry_run (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("good.csv", good_csv);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  KoersImportOptions options;

  init_options (&options);
  options.dry_run = TRUE;
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_to_import, ==, 6);
  g_assert_cmpuint (report->n_imported, ==, 0);
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_manual_mapping (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("unmapped.csv",
                                     "Naam;Woonkern;Groep\n"
                                     "Jan Jansen;Montferland;nug\n");
  g_autoptr(GError) error = NULL;
  const char *mapping[] = { "woonkern=municipality", "3=target-group", NULL };
  const char *wrong[] = { "Leeftijd=birth-year", NULL };
  KoersImportOptions options;
  const KoersCsvIssue *issue;

  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_cmpuint (report->n_errors, ==, 2);
  issue = g_ptr_array_index (report->errors, 0);
  g_assert_nonnull (strstr (issue->message, "municipality"));
  g_clear_error (&error);

  options.mapping = wrong;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_MAPPING);
  g_assert_nonnull (strstr (error->message, "Leeftijd"));
  g_clear_error (&error);

  options.mapping = mapping;
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  assert_query_text (db, "SELECT municipality || '/' || target_group "
                                   "FROM participant", "montferland/nug");
}

static void
test_import_unknown_values_located (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = koers_test_write_csv ("values.csv",
                                     "Naam;Gemeente;Doelgroep;Status\n"
                                     "Jan Jansen;Zutphen;statushouder;\n"
                                     "Piet Bakker;Aalten;toerist;\n"
                                     "Kees Smit;Aalten;nug;misschien\n");
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  init_options (&options);
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_cmpuint (report->n_errors, ==, 3);
  g_assert_true (g_str_has_prefix (((KoersCsvIssue *) report->errors->pdata[0])->message,
                                   "2:12 (Gemeente): “Zutphen”"));
  g_assert_true (g_str_has_prefix (((KoersCsvIssue *) report->errors->pdata[1])->message,
                                   "3:20 (Doelgroep): “toerist”"));
  g_assert_true (g_str_has_prefix (((KoersCsvIssue *) report->errors->pdata[2])->message,
                                   "4:22 (Status): “misschien”"));
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
}

static guint
count_search (KoersDatabase *db, const char *search)
{
  KoersCaseloadQuery query;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;

  koers_caseload_query_init (&query);
  query.search = g_strdup (search);
  rowids = koers_participant_repository_query_rowids (db, &query, &error);
  g_assert_no_error (error);
  koers_caseload_query_clear (&query);
  return rowids->len;
}

static KoersParticipant *
new_participant (const char *name)
{
  KoersParticipant *p = koers_participant_new ();

  koers_participant_set_name (p, name);
  koers_participant_set_municipality (p, KOERS_MUNICIPALITY_AALTEN);
  koers_participant_set_target_group (p, KOERS_TARGET_GROUP_NUG);
  return p;
}

static const char count_insert_triggers[] =
  "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
  "AND name IN ('participant_search_insert', 'participant_words_insert')";

/* The import writes through the bulk path, which fills the search indexes at the end: every
 * imported name is found, the per-row triggers are back afterwards, and the trail holds one
 * event for the import rather than one per participant. */
static void
test_import_bulk_indexed (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(KoersParticipant) later = new_participant ("Lotte Brouwer");
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (count_search (db, "haddad"), ==, 0);
  import_good (db, report);
  g_assert_cmpuint (count_search (db, "haddad"), ==, 1);
  g_assert_cmpuint (count_search (db, "yilmaz"), ==, 1);   /* folded: Yılmaz */
  g_assert_cmpuint (count_search (db, "van dijk"), ==, 1);
  g_assert_cmpint (koers_test_query_int (db, count_insert_triggers), ==, 2);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event "
                                  "WHERE object_type = 'participant'"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant_status_change"), ==, 6);

  /* An ordinary insert after the import is indexed by the restored triggers. */
  g_assert_true (koers_participant_repository_insert (db, later, "tester", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (db, "brouwer"), ==, 1);
}

/* A batch that is not ended leaves nothing behind, and the search triggers stay. */
static void
test_bulk_rolled_back (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autoptr(KoersParticipant) kept = new_participant ("Sanne Jansen");
  g_autoptr(KoersParticipant) invalid = new_participant ("");
  g_autoptr(KoersParticipant) after = new_participant ("Piotr Nowak");
  g_autoptr(GError) error = NULL;

  bulk = koers_participant_repository_bulk_begin (db, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (koers_test_query_int (db, count_insert_triggers), ==, 0);
  g_assert_true (koers_participant_repository_bulk_insert (bulk, kept, FALSE, "tester", &error));
  g_assert_no_error (error);
  /* Not marked validated: the domain rules run and name the field. */
  g_assert_false (koers_participant_repository_bulk_insert (bulk, invalid, FALSE, "tester",
                                                            &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_clear_error (&error);
  g_clear_pointer (&bulk, koers_participant_repository_bulk_free);

  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, count_insert_triggers), ==, 2);
  g_assert_true (koers_participant_repository_insert (db, after, "tester", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_search (db, "nowak"), ==, 1);
}

/* A batch's end (first statuses, search indexes, indexes) is stopped in the statement it is
 * running when its cancellable is cancelled, and nothing of the batch stays. */
static void
test_bulk_end_cancelled (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  bulk = koers_participant_repository_bulk_begin_sized (db, FALSE, 3000, TRUE, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Persoon %u", i);
      g_autoptr(KoersParticipant) participant = new_participant (name);

      g_assert_true (koers_participant_repository_bulk_insert (bulk, participant, FALSE,
                                                               "tester", &error));
    }
  koers_participant_repository_bulk_set_cancellable (bulk, cancellable);
  g_cancellable_cancel (cancellable);
  g_assert_false (koers_participant_repository_bulk_end (bulk, &error));
  /* Interrupted while it ran: the first statement of the end reads all 3,000 rows. */
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_SQL);
  g_assert_nonnull (strstr (error->message, "interrupt"));
  g_clear_pointer (&bulk, koers_participant_repository_bulk_free);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_cmpint (koers_test_query_int (db, count_insert_triggers), ==, 2);
}

/* Ended, with audit_each: the same rows and events as one insert at a time. */
static void
test_bulk_audit_each (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autoptr(KoersParticipantBulk) bulk = NULL;
  g_autoptr(KoersParticipant) one = new_participant ("Tesfay Gebremedhin");
  g_autoptr(KoersParticipant) two = new_participant ("Oksana Shevchenko");
  g_autoptr(GError) error = NULL;

  bulk = koers_participant_repository_bulk_begin (db, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (koers_participant_repository_bulk_insert (bulk, one, TRUE, "tester", &error));
  g_assert_true (koers_participant_repository_bulk_insert (bulk, two, TRUE, "tester", &error));
  g_assert_true (koers_participant_repository_bulk_end (bulk, &error));
  g_assert_no_error (error);
  g_assert_nonnull (koers_participant_get_id (one));
  g_assert_cmpuint (count_search (db, "gebremedhin"), ==, 1);
  g_assert_cmpuint (count_search (db, "shevchenko"), ==, 1);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event "
                                  "WHERE object_type = 'participant' AND action = 'create'"),
                   ==, 2);
  g_assert_true (koers_audit_verify_chain (db, &error));
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/good", test_import_good);
  g_test_add_func ("/import/twice-changes-nothing", test_import_twice_changes_nothing);
  g_test_add_func ("/import/bad-row-refused", test_import_bad_row_refused);
  g_test_add_func ("/import/excel-damage", test_import_excel_damage);
  g_test_add_func ("/import/bsn-refused", test_import_bsn_refused);
  g_test_add_func ("/import/cancelled", test_import_cancelled);
  g_test_add_func ("/import/cancelled-early", test_import_cancelled_early);
  g_test_add_func ("/import/cancelled-finishing", test_import_cancelled_finishing);
  g_test_add_func ("/import/finishing-phase", test_import_finishing_phase);
  g_test_add_func ("/import/file-changed", test_import_file_changed);
  g_test_add_func ("/import/dry-run", test_import_dry_run);
  g_test_add_func ("/import/manual-mapping", test_import_manual_mapping);
  g_test_add_func ("/import/unknown-values-located", test_import_unknown_values_located);
  g_test_add_func ("/import/bulk-indexed", test_import_bulk_indexed);
  g_test_add_func ("/import/bulk-rolled-back", test_bulk_rolled_back);
  g_test_add_func ("/import/bulk-end-cancelled", test_bulk_end_cancelled);
  g_test_add_func ("/import/bulk-audit-each", test_bulk_audit_each);

  return g_test_run ();
}
