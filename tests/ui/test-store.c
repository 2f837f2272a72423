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

  return g_test_run ();
}
