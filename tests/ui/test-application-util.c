/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "test-application-util.h"

#include "caseload/koers-caseload-page.h"
#include "cli/koers-demo.h"
#include "core/koers-i18n.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "storage/koers-backup.h"
#include "storage/koers-paths.h"

/* --- running the application ------------------------------------------------------------ */

void
app_test_run_init (Run *run)
{
  memset (run, 0, sizeof *run);
  run->dir = koers_test_make_temp_dir ();
  run->db_path = g_build_filename (run->dir, "koers.db", NULL);
  run->backup_dir = koers_paths_backup_dir (run->db_path);
  g_test_queue_free (run->dir);
  g_test_queue_free (run->db_path);
  g_test_queue_free (run->backup_dir);
  g_setenv ("KOERS_DATABASE", run->db_path, TRUE);
}

static void
activated_cb (GApplication *application,
              Run          *run)
{
  if (run->ran)
    return;
  run->ran = TRUE;
  run->body (run);
}

void
app_test_run_app (Run     *run,
         RunBody  body)
{
  char *argv[] = { (char *) "koers", NULL };
  int status;

  run->body = body;
  run->app = koers_application_new ();
  g_application_set_flags (G_APPLICATION (run->app), G_APPLICATION_NON_UNIQUE);
  g_signal_connect_after (run->app, "activate", G_CALLBACK (activated_cb), run);
  status = g_application_run (G_APPLICATION (run->app), 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run->ran);
  g_clear_object (&run->app);
}

/* --- windows ------------------------------------------------------------------------------ */

/* The first shown toplevel of @type; for message dialogs the one with @heading. */
GtkWindow *
app_test_find_window (GType       type,
             const char *heading)
{
  GList *toplevels = gtk_window_list_toplevels ();
  GtkWindow *found = NULL;

  for (GList *l = toplevels; l != NULL && found == NULL; l = l->next)
    {
      if (!G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) || !gtk_widget_get_visible (l->data))
        continue;
      if (heading != NULL
          && g_strcmp0 (adw_message_dialog_get_heading (l->data), heading) != 0)
        continue;
      found = l->data;
    }
  g_list_free (toplevels);
  return found;
}

guint
app_test_count_windows (GType type)
{
  GList *toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    n += G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data);
  g_list_free (toplevels);
  return n;
}

typedef struct
{
  GType       type;
  const char *heading;
} WindowWait;

static gboolean
window_shown (gpointer data)
{
  WindowWait *wait = data;

  return app_test_find_window (wait->type, wait->heading) != NULL;
}

GtkWindow *
app_test_wait_for_window (GType       type,
                 const char *heading)
{
  WindowWait wait = { type, heading };

  koers_test_wait_until (window_shown, &wait, WAIT_MS);
  return app_test_find_window (type, heading);
}

AdwMessageDialog *
app_test_wait_for_message (const char *heading)
{
  GtkWindow *dialog = app_test_wait_for_window (ADW_TYPE_MESSAGE_DIALOG, heading);

  if (dialog == NULL)
    g_error ("No message “%s” appeared", heading);
  return ADW_MESSAGE_DIALOG (dialog);
}

void
app_test_assert_body_has (AdwMessageDialog *dialog,
                 const char       *text)
{
  const char *body = adw_message_dialog_get_body (dialog);

  if (strstr (body, text) == NULL)
    g_error ("The message “%s” does not mention “%s”", body, text);
}

void
app_test_close_all_windows (void)
{
  for (guint i = 0; i < 50; i++)
    {
      GList *toplevels = gtk_window_list_toplevels ();
      GtkWindow *window = toplevels != NULL ? toplevels->data : NULL;

      g_list_free (toplevels);
      if (window == NULL)
        return;
      gtk_window_destroy (window);
    }
}

typedef struct
{
  KoersCaseloadModel *model;
  guint               expected;
} CountWait;

static gboolean
count_settled (gpointer data)
{
  CountWait *wait = data;

  return !koers_caseload_model_get_loading (wait->model)
         && g_list_model_get_n_items (G_LIST_MODEL (wait->model)) == wait->expected;
}

/* Waits (bounded) for the main window's caseload to show @expected participants. */
void
app_test_assert_caseload_count (KoersWindow *window,
                       guint        expected)
{
  GtkWidget *page = koers_window_get_caseload_page (window);
  CountWait wait = { koers_caseload_page_get_model (KOERS_CASELOAD_PAGE (page)), expected };

  koers_test_wait_until (count_settled, &wait, WAIT_MS);
  g_assert_false (koers_caseload_model_get_loading (wait.model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (wait.model)), ==, expected);
}

KoersWindow *
app_test_wait_for_main_window (void)
{
  GtkWindow *window = app_test_wait_for_window (KOERS_TYPE_WINDOW, NULL);

  if (window == NULL)
    g_error ("The main window did not appear");
  return KOERS_WINDOW (window);
}

/* --- files -------------------------------------------------------------------------------- */

GBytes *
app_test_read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

gboolean
app_test_exists (const char *dir,
        const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  return g_file_test (path, G_FILE_TEST_EXISTS);
}

/* Returns (transfer full) (nullable): the one "<db>.corrupt-<timestamp>" next to the caseload. */
char *
app_test_find_corrupt_copy (Run *run)
{
  g_autoptr(GDir) dir = g_dir_open (run->dir, 0, NULL);
  char *found = NULL;
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      /* "koers.db.corrupt-20261128T101500Z" */
      if (g_str_has_prefix (name, "koers.db.corrupt-") && !g_str_has_suffix (name, "-wal")
          && strlen (name) == strlen ("koers.db.corrupt-") + 16 && g_str_has_suffix (name, "Z"))
        {
          g_assert_null (found);
          found = g_build_filename (run->dir, name, NULL);
        }
    }
  return found;
}

gint64
app_test_count_participants (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  db = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY | KOERS_DATABASE_OPEN_NO_CHECK,
                            &error);
  g_assert_no_error (error);
  stmt = koers_database_prepare (db, "SELECT count(*) FROM participant", &error);
  g_assert_no_error (error);
  g_assert_true (koers_database_step (db, stmt, &has_row, &error));
  g_assert_true (has_row);
  return koers_column_int64 (stmt, 0);
}

/* --- caseloads on disk -------------------------------------------------------------------- */

static gpointer
demo_job (KoersDatabase  *db,
          gpointer        data,
          GCancellable   *cancellable,
          GError        **error)
{
  KoersDemoOptions options;

  koers_demo_options_init (&options);
  options.n_participants = DEMO_N;
  options.seed = 7;
  if (!koers_demo_generate (db, &options, cancellable, NULL, NULL, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
backup_job (KoersDatabase  *db,
            gpointer        data,
            GCancellable   *cancellable,
            GError        **error)
{
  const char *const *args = data;

  return koers_backup_run (db, args[0], args[1], error);
}

static void
make_backup (KoersStore *store,
             Run        *run,
             const char *date)
{
  const char *args[] = { run->backup_dir, date };
  g_autoptr(GError) error = NULL;
  g_autofree char *path = koers_store_run_sync (store, backup_job, args, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (path);
}

static gint64
query_int (KoersStore *store,
           const char *sql)
{
  KoersDatabase *reader = koers_store_get_reader (store);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (reader, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  g_assert_true (koers_database_step (reader, stmt, &has_row, &error));
  g_assert_true (has_row);
  return koers_column_int64 (stmt, 0);
}

/* The caseload at $KOERS_DATABASE: 200 demo participants, then Bea Backup, then Carl After.
 * With @backups, "koers-2026-11-20.db" holds the 200 and "koers-2026-11-27.db" also Bea, so a
 * restore from the newest backup shows 201 participants. Notes a page of the notes table, which
 * the caseload does not read at start: damaging it is only found by quick_check. */
void
app_test_make_caseload (Run      *run,
               gboolean  backups)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersStore) store = koers_store_new (run->db_path, "test-coach", &error);
  g_autofree char *bea = NULL;
  g_autofree char *carl = NULL;
  g_autofree char *wal = g_strconcat (run->db_path, "-wal", NULL);

  g_assert_no_error (error);
  koers_store_run_sync (store, demo_job, NULL, "participants", &error);
  g_assert_no_error (error);
  if (backups)
    make_backup (store, run, "2026-11-20");
  bea = koers_test_add_participant (store, "Bea Backup", KOERS_MUNICIPALITY_AALTEN,
                                    KOERS_TARGET_GROUP_CAREER_SWITCHER, KOERS_STATUS_ACTIVE);
  if (backups)
    make_backup (store, run, "2026-11-27");
  carl = koers_test_add_participant (store, "Carl After", KOERS_MUNICIPALITY_AALTEN,
                                     KOERS_TARGET_GROUP_CAREER_SWITCHER, KOERS_STATUS_ACTIVE);

  run->page_size = (gsize) query_int (store, "PRAGMA page_size");
  run->damaged_page = (guint) query_int (store, "SELECT pageno FROM dbstat WHERE name = 'note' "
                                                "AND pagetype = 'leaf' ORDER BY pageno "
                                                "LIMIT 1 OFFSET 20");
  g_assert_cmpuint (run->damaged_page, >, 1);

  /* Closing the last connection moves the WAL into the file. */
  g_clear_object (&store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
}

/* Overwrites one page of notes, leaving the header and the schema readable. */
void
app_test_damage_page (Run *run)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;
  gsize offset = (run->damaged_page - 1) * run->page_size;

  g_assert_true (g_file_get_contents (run->db_path, &contents, &length, &error));
  g_assert_cmpuint (length, >=, offset + run->page_size);
  memset (contents + offset, 0xa5, run->page_size);
  g_assert_true (g_file_set_contents (run->db_path, contents, length, &error));
  g_free (contents);
}

gboolean
app_test_page_is_damaged (Run        *run,
                 const char *path)
{
  g_autoptr(GBytes) bytes = app_test_read_bytes (path);
  const guint8 *data = g_bytes_get_data (bytes, NULL);
  gsize offset = (run->damaged_page - 1) * run->page_size;

  g_assert_cmpuint (g_bytes_get_size (bytes), >=, offset + run->page_size);
  for (gsize i = 0; i < run->page_size; i++)
    if (data[offset + i] != 0xa5)
      return FALSE;
  return TRUE;
}

const char app_test_garbage[] = "Naam;Gemeente\nAmina;Aalten\n"
                              "This is a spreadsheet export, not a database at all.\n";

/* Waits until the store's worker has run every job queued so far and their results reached
 * the main loop. */
static gpointer
nothing_job (KoersDatabase  *db,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  return NULL;
}

void
app_test_wait_for_store (Run *run)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (run->app->context);
  koers_store_run_sync (koers_context_get_store (run->app->context), nothing_job, NULL, NULL,
                        &error);
  g_assert_no_error (error);
  koers_test_spin (200);
}

gboolean
app_test_dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  g_assert_nonnull (dir);
  return g_dir_read_name (dir) == NULL;
}


/* --- running the cases -------------------------------------------------------------------- */

/* Each case in a process of its own (see test-application.c). */
static void
run_case (gconstpointer data)
{
  const AppTestCase *test_case = data;

  if (g_test_subprocess ())
    {
      test_case->func ();
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
app_test_run_cases (int               *argc,
                    char            ***argv,
                    const AppTestCase *cases,
                    guint              n_cases)
{
  g_setenv ("KOERS_TODAY", TODAY, TRUE);
  koers_i18n_init ();
  gtk_test_init (argc, argv, NULL);

  for (guint i = 0; i < n_cases; i++)
    g_test_add_data_func (cases[i].path, &cases[i], run_case);
  return g_test_run ();
}
