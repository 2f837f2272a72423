/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Export progress and cancellation (issue 3): the progress a user watches climbs to the total
 * it announced; a cancelled export leaves no file, no temporary file, the file that was already
 * there untouched, and the attempt on the audit trail; koers-cli reports progress on stderr. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-export.h"

#include "cli/cli-test-util.h"
#include "cli/koers-demo.h"
#include "storage/koers-database.h"
#include "koers-test-helpers.h"

#include <string.h>

/* Enough rows for several progress steps in every table the tests use. */
#define N_PARTICIPANTS 600

typedef struct {
  GArray       *calls;        /* of Call */
  GCancellable *cancellable;  /* (nullable): cancelled at the first call with rows done */
} Recorder;

typedef struct {
  guint n_done;
  guint n_total;
} Call;

static void
record_progress (guint n_done, guint n_total, gpointer user_data)
{
  Recorder *recorder = user_data;
  Call call = { n_done, n_total };

  g_array_append_val (recorder->calls, call);
  if (recorder->cancellable != NULL && n_done > 0)
    g_cancellable_cancel (recorder->cancellable);
}

static KoersDatabase *
make_demo_db (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  KoersDemoOptions options;

  g_assert_no_error (error);
  koers_demo_options_init (&options);
  options.n_participants = N_PARTICIPANTS;
  g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&db);
}

/* The names in @dir, sorted, joined by spaces: what a user would find in the folder. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (" ", (char **) names->pdata);
}

/* The purpose and result of the newest export event. */
static void
last_export_event (KoersDatabase *db, char **out_purpose, char **out_result)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (koers_database_get_handle (db),
                                       "SELECT purpose, result FROM audit_event"
                                       " WHERE action = 'export' ORDER BY seq DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *out_purpose = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  *out_result = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_finalize (stmt);
}

/* Every call's n_done at least the one before, the total the same throughout, the first call
 * before any row, a call at least every KOERS_EXPORT_PROGRESS_STEP rows (never per row), and
 * the last at the total, which is the number of rows written. */
static void
assert_progress (GArray *calls, guint n_rows)
{
  Call *first, *last;

  g_assert_cmpuint (calls->len, >=, 2);
  first = &g_array_index (calls, Call, 0);
  last = &g_array_index (calls, Call, calls->len - 1);
  g_assert_cmpuint (first->n_done, ==, 0);
  g_assert_cmpuint (first->n_total, ==, n_rows);
  g_assert_cmpuint (last->n_done, ==, n_rows);
  g_assert_cmpuint (last->n_total, ==, n_rows);
  g_assert_cmpuint (calls->len, <=, n_rows / KOERS_EXPORT_PROGRESS_STEP + 2);
  for (guint i = 1; i < calls->len; i++)
    {
      Call *call = &g_array_index (calls, Call, i);
      Call *before = &g_array_index (calls, Call, i - 1);

      g_assert_cmpuint (call->n_done, >=, before->n_done);
      g_assert_cmpuint (call->n_done - before->n_done, <=, KOERS_EXPORT_PROGRESS_STEP);
      g_assert_cmpuint (call->n_total, ==, n_rows);
    }
}

static void
test_progress (void)
{
  g_autoptr(KoersDatabase) db = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  gint64 n_notes = koers_test_query_int (db, "SELECT count(*) FROM note WHERE deleted = 0");
  KoersCaseloadQuery query;

  g_assert_cmpint (n_notes, >, 2 * KOERS_EXPORT_PROGRESS_STEP);
  koers_caseload_query_init (&query);
  for (guint f = 0; f < 2; f++)
    {
      KoersExportFormat format = f == 0 ? KOERS_EXPORT_FORMAT_CSV : KOERS_EXPORT_FORMAT_XLSX;
      g_autofree char *name = g_strdup_printf ("notes.%s", koers_export_format_to_id (format));
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *list_name = g_strdup_printf ("list.%s",
                                                    koers_export_format_to_id (format));
      g_autofree char *list_path = g_build_filename (dir, list_name, NULL);
      g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (Call));
      g_autoptr(GError) error = NULL;
      Recorder recorder = { calls, NULL };
      guint n_rows = 0;

      /* A whole table: the total is its count(*). */
      g_assert_true (koers_export_table_full (db, KOERS_EXPORT_TABLE_NOTES, format, path,
                                              "tester", NULL, record_progress, &recorder,
                                              &n_rows, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_rows, ==, n_notes);
      assert_progress (calls, n_rows);

      /* The caseload: the total is the number of participants the query finds. */
      g_array_set_size (calls, 0);
      g_assert_true (koers_export_caseload_full (db, &query, format, list_path, "tester", NULL,
                                                 record_progress, &recorder, &n_rows, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (n_rows, ==, N_PARTICIPANTS);
      assert_progress (calls, n_rows);
    }
  koers_caseload_query_clear (&query);
}

/* Cancelled from the first progress call that has rows behind it: writing stops at once, and
 * the user finds the folder as it was. */
static void
test_cancel (void)
{
  g_autoptr(KoersDatabase) db = make_demo_db ();
  KoersCaseloadQuery query;

  koers_caseload_query_init (&query);
  for (guint f = 0; f < 2; f++)
    for (guint existing = 0; existing < 2; existing++)
      for (guint caseload = 0; caseload < 2; caseload++)
        {
          KoersExportFormat format = f == 0 ? KOERS_EXPORT_FORMAT_CSV
                                            : KOERS_EXPORT_FORMAT_XLSX;
          g_autofree char *dir = koers_test_make_temp_dir ();
          g_autofree char *name = g_strdup_printf ("export.%s",
                                                   koers_export_format_to_id (format));
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autofree char *listing = NULL;
          g_autofree char *purpose = NULL;
          g_autofree char *result = NULL;
          g_autofree char *expected = NULL;
          g_autoptr(GArray) calls = g_array_new (FALSE, FALSE, sizeof (Call));
          g_autoptr(GCancellable) cancellable = g_cancellable_new ();
          g_autoptr(GError) error = NULL;
          Recorder recorder = { calls, cancellable };
          guint n_rows = 12345;
          gboolean ok;
          Call *last;

          g_test_message ("%s, %s, %s", name, existing ? "replacing a file" : "new file",
                          caseload ? "caseload" : "table");
          if (existing)
            g_assert_true (g_file_set_contents (path, "the partner's old list\n", -1, NULL));
          if (caseload)
            ok = koers_export_caseload_full (db, &query, format, path, "tester", cancellable,
                                             record_progress, &recorder, &n_rows, &error);
          else
            ok = koers_export_table_full (db, KOERS_EXPORT_TABLE_PARTICIPANTS, format, path,
                                          "tester", cancellable, record_progress, &recorder,
                                          &n_rows, &error);
          g_assert_false (ok);
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          g_assert_cmpuint (n_rows, ==, 12345);  /* not set on failure */

          /* No progress after the cancel: it stopped at the step it was cancelled in. */
          last = &g_array_index (calls, Call, calls->len - 1);
          g_assert_cmpuint (last->n_done, ==, KOERS_EXPORT_PROGRESS_STEP);
          g_assert_cmpuint (last->n_total, ==, N_PARTICIPANTS);

          /* No temporary file; the file that was there is as it was, or there is none. */
          listing = list_dir (dir);
          g_assert_cmpstr (listing, ==, existing ? name : "");
          if (existing)
            {
              g_autofree char *contents = NULL;

              g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
              g_assert_cmpstr (contents, ==, "the partner's old list\n");
            }

          /* On the audit trail as a failed export that says it was cancelled, and where. */
          last_export_event (db, &purpose, &result);
          expected = g_strdup_printf ("%s export of %s: cancelled after %u of %u rows",
                                      koers_export_format_to_id (format),
                                      caseload ? "caseload" : "table participants",
                                      KOERS_EXPORT_PROGRESS_STEP, N_PARTICIPANTS);
          g_assert_cmpstr (purpose, ==, expected);
          g_assert_cmpstr (result, ==, "failure");
        }
  koers_caseload_query_clear (&query);
}

/* Cancelled before it starts (the dialog closed while the job waited its turn): nothing. */
static void
test_cancel_before_start (void)
{
  g_autoptr(KoersDatabase) db = make_demo_db ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "notes.xlsx", NULL);
  g_autofree char *listing = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (koers_export_table_full (db, KOERS_EXPORT_TABLE_NOTES,
                                           KOERS_EXPORT_FORMAT_XLSX, path, "tester",
                                           cancellable, NULL, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "");
  g_assert_cmpint (koers_test_query_int (db, "SELECT count(*) FROM audit_event"
                                             " WHERE action = 'export' AND result = 'failure'"),
                   ==, 1);
}

/* koers-cli export: a progress line on stderr every 5,000 rows, the summary alone on stdout. */
static void
test_cli_progress (void)
{
  const char *cli = g_getenv ("KOERS_CLI");
  g_autofree char *db_path = koers_test_make_temp_db_path ();
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "all.csv", NULL);
  g_autofree char *expected = g_strdup_printf ("Exported 6000 rows to %s\n", path);
  const char *argv[] = { cli, "--database", db_path, "export", "--table", "participants",
                         "--output", path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_nonnull (cli);
  {
    g_autoptr(KoersDatabase) db = koers_database_open (db_path, KOERS_DATABASE_OPEN_DEFAULT,
                                                       &error);
    KoersDemoOptions options;

    g_assert_no_error (error);
    koers_demo_options_init (&options);
    options.n_participants = 6000;
    options.n_notes = 0;
    g_assert_true (koers_demo_generate (db, &options, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  g_setenv ("LANGUAGE", "C", TRUE);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_cmpstr (out, ==, expected);
  g_assert_cmpstr (err, ==, "  5000 of 6000 rows…\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export-progress/monotonic-to-total", test_progress);
  g_test_add_func ("/export-progress/cancel", test_cancel);
  g_test_add_func ("/export-progress/cancel-before-start", test_cancel_before_start);
  g_test_add_func ("/export-progress/cli", test_cli_progress);
  return g_test_run ();
}
