/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The file imported is the file checked: a preview's check stands in for the import's own
 * only while the file and its mapping are unchanged, and a file saved again while it is
 * imported refuses the import. */
#include "config.h"

#include "cli/koers-import.h"

#include "core/koers-csv-types.h"

#include "storage/koers-database.h"
#include "cli-test-util.h"
#include "koers-test-helpers.h"

#include <string.h>

#define N_ROWS 1000

/* Saves @contents as @file again, with a modification time a minute on: what an editor's
 * save does, without waiting for the clock (the etag is made from that time). */
static void
save_again (GFile *file, const char *contents)
{
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  guint64 modified;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, G_FILE_QUERY_INFO_NONE, NULL,
                            &error);
  g_assert_no_error (error);
  modified = g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_file_set_attribute_uint64 (file, G_FILE_ATTRIBUTE_TIME_MODIFIED, modified + 60,
                               G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);
}

static void
init_options (KoersImportOptions *options)
{
  koers_import_options_init (options);
  options->actor = "tester";
  options->today_year = 2026;
}

static void
record_phase (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  int value = (int) phase;

  g_array_append_val ((GArray *) data, value);
}

static guint
count_phase (GArray *phases, KoersImportPhase phase)
{
  guint n = 0;

  for (guint i = 0; i < phases->len; i++)
    n += g_array_index (phases, int, i) == (int) phase;
  return n;
}

/* What the window does: a dry run for the preview, then the import with that report. */
static KoersImportReport *
preview (KoersDatabase *db, GFile *file, const char * const *mapping)
{
  KoersImportReport *report = koers_import_report_new ();
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  init_options (&options);
  options.dry_run = TRUE;
  options.mapping = mapping;
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (report->file_etag);
  return report;
}

static GArray *
import_checked (KoersDatabase *db, GFile *file, const KoersImportReport *checked,
                const char * const *mapping, KoersImportReport *report)
{
  GArray *phases = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  init_options (&options);
  options.checked = checked;
  options.mapping = mapping;
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, record_phase, phases,
                                   &error));
  g_assert_no_error (error);
  return phases;
}

/* The file unchanged since the preview: not read a second time to be checked, and imported
 * the same. */
static void
test_preview_check_reused (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GArray) phases = import_checked (db, file, checked, NULL, report);

  g_assert_cmpuint (checked->n_to_import, ==, N_ROWS);
  g_assert_cmpuint (count_phase (phases, KOERS_IMPORT_PHASE_CHECKING), ==, 0);
  g_assert_cmpuint (count_phase (phases, KOERS_IMPORT_PHASE_WRITING), >, 0);
  g_assert_cmpuint (report->n_imported, ==, N_ROWS);
  g_assert_cmpuint (report->n_rows, ==, N_ROWS);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, N_ROWS);
}

/* Saved again after the preview (one more row): checked again, and what is imported is the
 * file as it is now. */
static void
test_saved_after_preview (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autofree char *longer = koers_test_participant_rows_csv (N_ROWS + 1);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GArray) phases = NULL;

  save_again (file, longer);
  phases = import_checked (db, file, checked, NULL, report);
  g_assert_cmpuint (count_phase (phases, KOERS_IMPORT_PHASE_CHECKING), >, 0);
  g_assert_cmpuint (report->n_rows, ==, N_ROWS + 1);
  g_assert_cmpuint (report->n_imported, ==, N_ROWS + 1);
}

/* Saved again with an error in it: the import's own check refuses it, nothing is written. */
static void
test_broken_after_preview (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GString) broken = g_string_new (contents);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *before = koers_test_content_checksum (db);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  g_assert_cmpuint (g_string_replace (broken, "Nummer 500;1950", "Nummer 500;1850", 1), ==, 1);
  save_again (file, broken->str);
  init_options (&options);
  options.checked = checked;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_cmpuint (report->n_errors, ==, 1);
  after = koers_test_content_checksum (db);
  g_assert_cmpstr (before, ==, after);
}

/* Another mapping than the preview's: the preview's verdict was about other columns. */
static void
test_other_mapping (void)
{
  static const char * const without_notes[] = { "Notities=none", NULL };
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GArray) phases = import_checked (db, file, checked, without_notes, report);

  g_assert_cmpuint (count_phase (phases, KOERS_IMPORT_PHASE_CHECKING), >, 0);
  g_assert_cmpuint (report->n_imported, ==, N_ROWS);
  g_assert_cmpuint (report->n_notes, ==, 0);
}

typedef struct {
  GFile      *file;
  const char *contents;
  gboolean    saved;
} SaveWhileWriting;

static void
save_while_writing (KoersImportPhase phase, guint n_done, guint n_total, gpointer data)
{
  SaveWhileWriting *save = data;

  if (phase != KOERS_IMPORT_PHASE_WRITING || save->saved)
    return;
  save_again (save->file, save->contents);
  save->saved = TRUE;
}

/* The same bytes saved again while the rows are written (every row still maps): the import
 * cannot know what it read, so it refuses, and nothing is written. With or without a
 * preview. */
static void
test_saved_while_importing (void)
{
  for (guint with_preview = 0; with_preview < 2; with_preview++)
    {
      g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
      g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
      g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
      g_autoptr(KoersImportReport) checked = with_preview ? preview (db, file, NULL) : NULL;
      g_autoptr(KoersImportReport) report = koers_import_report_new ();
      g_autofree char *before = koers_test_content_checksum (db);
      g_autofree char *after = NULL;
      g_autoptr(GError) error = NULL;
      SaveWhileWriting save = { file, contents, FALSE };
      KoersImportOptions options;

      init_options (&options);
      options.checked = checked;
      g_assert_false (koers_import_csv (db, file, &options, report, NULL, save_while_writing,
                                        &save, &error));
      g_assert_true (save.saved);
      g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
      g_assert_nonnull (strstr (error->message, "changed while it was imported"));
      g_assert_cmpuint (report->n_imported, ==, 0);
      after = koers_test_content_checksum (db);
      g_assert_cmpstr (before, ==, after);
    }
}

/* Another file of the same size put in its place with the old modification time (a copy
 * that keeps times, `touch -r`): not the file the preview saw, so checked again, and its
 * new warning must be accepted. */
static void
test_replaced_keeping_time (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GString) formula = g_string_new (contents);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autofree char *path = g_file_get_path (file);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_TIME_MODIFIED ","
                            G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC, G_FILE_QUERY_INFO_NONE, NULL,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_string_replace (formula, "Persoon;Nummer 7;", "=Persoo;Nummer 7;", 1), ==,
                    1);
  g_assert_cmpuint (formula->len, ==, strlen (contents));
  g_file_set_contents (path, formula->str, -1, &error);
  g_assert_no_error (error);
  g_file_set_attributes_from_info (file, info, G_FILE_QUERY_INFO_NONE, NULL, &error);
  g_assert_no_error (error);

  init_options (&options);
  options.checked = checked;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_cmpuint (report->n_warnings, ==, 1);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
}

/* A preview with a warning: reused, the warning still has to be accepted. */
static void
test_warning_still_to_accept (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *rows = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GString) contents = g_string_new (rows);
  g_autoptr(GFile) file = NULL;
  g_autoptr(KoersImportReport) checked = koers_import_report_new ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GArray) phases = NULL;
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  g_string_replace (contents, "Persoon;Nummer 7;", "=Persoo;Nummer 7;", 1);
  file = koers_test_write_csv ("deelnemers.csv", contents->str);
  init_options (&options);
  options.dry_run = TRUE;
  g_assert_false (koers_import_csv (db, file, &options, checked, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (checked->n_warnings, ==, 1);

  init_options (&options);
  options.checked = checked;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);

  options.accept_warnings = TRUE;
  phases = g_array_new (FALSE, FALSE, sizeof (int));
  g_assert_true (koers_import_csv (db, file, &options, report, NULL, record_phase, phases,
                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_phase (phases, KOERS_IMPORT_PHASE_CHECKING), ==, 0);
  g_assert_cmpuint (report->n_imported, ==, N_ROWS);
}

/* The same file, but the rules moved since the preview (here the year, as on 1 January; a
 * coach removed does the same): the rows are checked again and the refusal names them, not
 * "the file changed". */
static void
test_rules_changed_since_preview (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *contents = koers_test_participant_rows_csv (N_ROWS);
  g_autoptr(GFile) file = koers_test_write_csv ("deelnemers.csv", contents);
  g_autoptr(KoersImportReport) checked = preview (db, file, NULL);
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  init_options (&options);
  options.checked = checked;
  /* Everyone born 1950-1999 is too young in 1960. */
  options.today_year = 1960;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED);
  g_assert_null (strstr (error->message, "changed"));
  g_assert_cmpuint (report->n_errors, ==, N_ROWS);
  g_assert_cmpuint (report->errors->len, >, 0);
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM participant"), ==, 0);
}

/* A copy stands on its own (the window hands one to its worker thread). */
static void
test_report_copy (void)
{
  g_autoptr(KoersDatabase) db = koers_test_open_temp_db ();
  g_autofree char *rows = koers_test_participant_rows_csv (3);
  g_autoptr(GString) contents = g_string_new (rows);
  g_autoptr(GFile) file = NULL;
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(KoersImportReport) copy = NULL;
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;

  g_string_replace (contents, "Nummer 1;1951", "Nummer 1;1850", 1);
  file = koers_test_write_csv ("deelnemers.csv", contents->str);
  init_options (&options);
  options.dry_run = TRUE;
  g_assert_false (koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error));
  copy = koers_import_report_copy (report);
  g_clear_pointer (&report, koers_import_report_free);
  g_assert_cmpuint (copy->n_rows, ==, 3);
  g_assert_cmpuint (copy->n_errors, ==, 1);
  g_assert_cmpuint (copy->errors->len, ==, 1);
  g_assert_cmpstr (copy->headers[1], ==, "Achternaam");
  g_assert_nonnull (copy->mapping);
  g_assert_cmpint (copy->mapping[1], ==, KOERS_CSV_FIELD_LAST_NAME);
  g_assert_cmpint (copy->mapping[5], ==, KOERS_CSV_FIELD_NOTES);
  g_assert_nonnull (copy->file_etag);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/import-checked/preview-check-reused", test_preview_check_reused);
  g_test_add_func ("/import-checked/saved-after-preview", test_saved_after_preview);
  g_test_add_func ("/import-checked/broken-after-preview", test_broken_after_preview);
  g_test_add_func ("/import-checked/other-mapping", test_other_mapping);
  g_test_add_func ("/import-checked/saved-while-importing", test_saved_while_importing);
  g_test_add_func ("/import-checked/replaced-keeping-time", test_replaced_keeping_time);
  g_test_add_func ("/import-checked/warning-still-to-accept", test_warning_still_to_accept);
  g_test_add_func ("/import-checked/rules-changed-since-preview",
                   test_rules_changed_since_preview);
  g_test_add_func ("/import-checked/report-copy", test_report_copy);
  return g_test_run ();
}
