/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/koers-store.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "storage/koers-participant-repository.h"

typedef struct
{
  GThread  *main_thread;
  GThread  *job_thread;
  guint     n_changed;
  GThread  *changed_thread;
  char     *changed_what;
  guint     changed_before_callback;
  gboolean  done;
  gpointer  result;
  GError   *error;
} Fixture;

static void
fixture_clear (Fixture *f)
{
  g_clear_pointer (&f->changed_what, g_free);
  g_clear_error (&f->error);
  g_clear_pointer (&f->result, g_free);
}

static gpointer
thread_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  Fixture *f = data;

  g_assert_true (KOERS_IS_DATABASE (db));
  f->job_thread = g_thread_self ();
  return g_strdup ("done");
}

static gpointer
failing_job (KoersDatabase  *db,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  g_set_error_literal (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT,
                       "refused for the test");
  return NULL;
}

static void
changed_cb (KoersStore *store,
            const char *what,
            Fixture    *f)
{
  f->n_changed++;
  f->changed_thread = g_thread_self ();
  g_free (f->changed_what);
  f->changed_what = g_strdup (what);
}

static void
job_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *f = user_data;

  f->result = koers_store_run_finish (KOERS_STORE (object), result, &f->error);
  f->changed_before_callback = f->n_changed;
  f->done = TRUE;
}

static gboolean
is_done (gpointer data)
{
  return ((Fixture *) data)->done;
}

static void
test_store_job_runs_off_main_thread (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  Fixture f = { 0 };

  f.main_thread = g_thread_self ();
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &f);

  /* A reading job (no @changes) runs on the worker and announces nothing. */
  koers_store_run_async (store, thread_job, &f, NULL, g_free, NULL, NULL, job_done, &f);
  g_assert_true (koers_test_wait_until (is_done, &f, 5000));
  g_assert_no_error (f.error);
  g_assert_cmpstr (f.result, ==, "done");
  g_assert_nonnull (f.job_thread);
  g_assert_true (f.job_thread != f.main_thread);
  g_assert_cmpuint (f.n_changed, ==, 0);

  fixture_clear (&f);
  g_signal_handlers_disconnect_by_data (store, &f);
}

static void
test_store_changed_after_write_on_main_thread (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  Fixture f = { 0 };

  f.main_thread = g_thread_self ();
  g_signal_connect (store, "changed::participants", G_CALLBACK (changed_cb), &f);

  koers_store_run_async (store, thread_job, &f, NULL, g_free, "participants", NULL, job_done,
                         &f);
  /* Nothing is announced before the job ran. */
  g_assert_cmpuint (f.n_changed, ==, 0);
  g_assert_true (koers_test_wait_until (is_done, &f, 5000));
  g_assert_no_error (f.error);
  g_assert_cmpuint (f.n_changed, ==, 1);
  g_assert_cmpstr (f.changed_what, ==, "participants");
  g_assert_true (f.changed_thread == f.main_thread);
  /* Models hear about the write before the caller's callback runs. */
  g_assert_cmpuint (f.changed_before_callback, ==, 1);

  fixture_clear (&f);
  g_signal_handlers_disconnect_by_data (store, &f);
}

static void
test_store_error_propagates (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GError) error = NULL;
  Fixture f = { 0 };
  gpointer result;

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &f);

  koers_store_run_async (store, failing_job, NULL, NULL, g_free, "participants", NULL,
                         job_done, &f);
  g_assert_true (koers_test_wait_until (is_done, &f, 5000));
  g_assert_error (f.error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT);
  g_assert_null (f.result);
  /* A failed write changed nothing, so nothing is announced. */
  g_assert_cmpuint (f.n_changed, ==, 0);

  result = koers_store_run_sync (store, failing_job, NULL, "participants", &error);
  g_assert_null (result);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CONSTRAINT);
  g_assert_cmpuint (f.n_changed, ==, 0);

  fixture_clear (&f);
  g_signal_handlers_disconnect_by_data (store, &f);
}

static void
test_store_cancelled_job_does_not_run (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Fixture f = { 0 };

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &f);
  g_cancellable_cancel (cancellable);
  koers_store_run_async (store, thread_job, &f, NULL, g_free, "participants", cancellable,
                         job_done, &f);
  g_assert_true (koers_test_wait_until (is_done, &f, 5000));
  g_assert_error (f.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (f.job_thread);
  g_assert_cmpuint (f.n_changed, ==, 0);

  fixture_clear (&f);
  g_signal_handlers_disconnect_by_data (store, &f);
}

static void
test_store_sync_write_is_visible_to_reader (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  KoersCaseloadQuery query;
  Fixture f = { 0 };

  f.main_thread = g_thread_self ();
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &f);

  id = koers_test_add_participant (store, "Fatima Yilmaz", KOERS_MUNICIPALITY_AALTEN,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_REGISTERED);
  g_assert_cmpuint (f.n_changed, ==, 1);
  g_assert_true (f.changed_thread == f.main_thread);

  /* The main thread's read-only connection sees the worker's committed write. */
  koers_caseload_query_init (&query);
  rowids = koers_participant_repository_query_rowids (koers_store_get_reader (store), &query,
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 1);
  rows = koers_participant_repository_load_rows (koers_store_get_reader (store),
                                                 (gint64 *) rowids->data, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_caseload_row_get_id (g_ptr_array_index (rows, 0)), ==, id);

  fixture_clear (&f);
  g_signal_handlers_disconnect_by_data (store, &f);
}

static void
test_store_refuses_bad_file (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "not-a-database.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = NULL;

  g_assert_true (g_file_set_contents (path, "this is not an SQLite file, but it is long enough "
                                      "to look like one was meant to be here................",
                                      -1, NULL));
  store = koers_store_new (path, "test-coach", &error);
  g_assert_null (store);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
}

/* --- the aggregate-read worker ------------------------------------------------------------ */

typedef struct
{
  GThread  *thread;
  gboolean  read_only;
  gboolean  done;
  gpointer  result;
  GError   *error;
} ReadWait;

static gpointer
count_job (KoersDatabase  *db,
           gpointer        data,
           GCancellable   *cancellable,
           GError        **error)
{
  ReadWait *wait = data;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  gint64 n = -1;

  wait->thread = g_thread_self ();
  wait->read_only = sqlite3_db_readonly (koers_database_get_handle (db), "main") == 1;
  stmt = koers_database_prepare (db, "SELECT count(*) FROM participant", error);
  if (stmt == NULL || !koers_database_step (db, stmt, &has_row, error) || !has_row)
    return NULL;
  n = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return g_memdup2 (&n, sizeof n);
}

static void
read_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  ReadWait *wait = user_data;

  wait->result = koers_store_read_finish (KOERS_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
read_is_done (gpointer data)
{
  return ((ReadWait *) data)->done;
}

/* A long aggregate read (the KPIs) never delays the jobs on the writing worker: a job started
 * while the read is held finishes first; the read runs on a thread and connection of its own,
 * read-only, and sees what was written before it started. */
static void
test_store_aggregate_read_beside_jobs (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autofree char *id = NULL;
  ReadWait wait = { 0 };
  Fixture f = { 0 };

  id = koers_test_add_participant (store, "Amina Yusuf", KOERS_MUNICIPALITY_AALTEN,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE);

  koers_store_hold_aggregates_for_testing (store, TRUE);
  koers_store_read_async (store, count_job, &wait, NULL, g_free, NULL, read_done, &wait);
  koers_store_run_async (store, thread_job, &f, NULL, g_free, NULL, NULL, job_done, &f);
  g_assert_true (koers_test_wait_until (is_done, &f, 5000));
  g_assert_no_error (f.error);
  /* The read is still held: the job did not wait for it. */
  koers_test_spin (50);
  g_assert_false (wait.done);

  koers_store_hold_aggregates_for_testing (store, FALSE);
  g_assert_true (koers_test_wait_until (read_is_done, &wait, 5000));
  g_assert_no_error (wait.error);
  g_assert_cmpint (*(gint64 *) wait.result, ==, 1);
  g_assert_true (wait.read_only);
  g_assert_true (wait.thread != f.job_thread);
  g_assert_true (wait.thread != g_thread_self ());

  g_free (wait.result);
  fixture_clear (&f);
}

static void
check_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  ReadWait *wait = user_data;

  koers_store_check_finish (KOERS_STORE (object), result, &wait->error);
  wait->done = TRUE;
}

/* Closing leaves only the database file: the writer closes last and removes the write-ahead
 * log, even with an aggregate read and an integrity check just run beside it. */
static void
test_store_close_removes_wal (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = koers_store_new (path, "test-coach", &error);
  ReadWait read = { 0 };
  ReadWait check = { 0 };

  g_assert_no_error (error);
  g_free (koers_test_add_participant (store, "Piotr Nowak", KOERS_MUNICIPALITY_BERKELLAND,
                                      KOERS_TARGET_GROUP_LABOUR_MIGRANT, KOERS_STATUS_INTAKE));
  koers_store_read_async (store, count_job, &read, NULL, g_free, NULL, read_done, &read);
  koers_store_check_async (store, NULL, check_done, &check);
  g_assert_true (koers_test_wait_until (read_is_done, &read, 5000));
  g_assert_true (koers_test_wait_until (read_is_done, &check, 5000));
  g_assert_no_error (check.error);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  koers_store_close (store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  /* Twice is harmless, and so is the finalization after it. */
  koers_store_close (store);
  g_free (read.result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/job-runs-off-main-thread", test_store_job_runs_off_main_thread);
  g_test_add_func ("/store/changed-after-write-on-main-thread",
                   test_store_changed_after_write_on_main_thread);
  g_test_add_func ("/store/error-propagates", test_store_error_propagates);
  g_test_add_func ("/store/cancelled-job-does-not-run", test_store_cancelled_job_does_not_run);
  g_test_add_func ("/store/sync-write-visible-to-reader",
                   test_store_sync_write_is_visible_to_reader);
  g_test_add_func ("/store/refuses-bad-file", test_store_refuses_bad_file);
  g_test_add_func ("/store/aggregate-read-beside-jobs", test_store_aggregate_read_beside_jobs);
  g_test_add_func ("/store/close-removes-wal", test_store_close_removes_wal);

  return g_test_run ();
}
