/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's export (issue 3): "the current list" is the caseload as filtered and searched on
 * the page; the file holds exactly those rows; the window gets a toast saying how many; a file
 * that cannot be written leaves the dialog open with the reason; a long export shows how far it
 * got and can be cancelled, or closed, leaving no file. The save dialog is the only step skipped
 * (the test names the file).
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-caseload-page-private.h"
#include "caseload/koers-export-dialog.h"
#include "cli/cli-test-util.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-window.h"

#include <string.h>

typedef struct
{
  KoersStore        *store;
  KoersContext      *context;
  GtkWindow         *window;
  KoersCaseloadPage *page;
  GtkWindow         *dialog;  /* (nullable): weak */
  char              *dir;
  char              *toast;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  f->context = koers_context_new (f->store, NULL);
  f->dir = koers_test_make_temp_dir ();
  g_free (koers_test_add_participant (f->store, "Yusuf Özdemir", KOERS_MUNICIPALITY_DOETINCHEM,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE));
  g_free (koers_test_add_participant (f->store, "=HYPERLINK(\"x\") Jansen",
                                      KOERS_MUNICIPALITY_AALTEN,
                                      KOERS_TARGET_GROUP_ASYLUM_SEEKER, KOERS_STATUS_INTAKE));
  g_free (koers_test_add_participant (f->store, "Anna de Vries", KOERS_MUNICIPALITY_DOETINCHEM,
                                      KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED));
  g_free (koers_test_add_participant (f->store, "Piotr Kowalski", KOERS_MUNICIPALITY_MONTFERLAND,
                                      KOERS_TARGET_GROUP_LABOUR_MIGRANT, KOERS_STATUS_ACTIVE));
  f->page = KOERS_CASELOAD_PAGE (koers_caseload_page_new (f->context));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1000, 700);
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  g_assert_true (koers_test_wait_for_boolean (koers_caseload_page_get_model (f->page), "loading",
                                              FALSE, 5000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (f->dialog);
  gtk_window_destroy (f->window);
  koers_test_spin (50);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  g_free (f->dir);
  g_free (f->toast);
}

static void
toast_cb (KoersCaseloadPage *page,
          AdwToast          *toast,
          Fixture           *f)
{
  g_free (f->toast);
  f->toast = g_strdup (adw_toast_get_title (toast));
  g_assert_cmpstr (adw_toast_get_button_label (toast), ==, "Open _Folder");
}

static void
wait_for_count (Fixture *f,
                guint    expected)
{
  KoersCaseloadModel *model = koers_caseload_page_get_model (f->page);

  for (guint i = 0; i < 100; i++)
    {
      if (!koers_caseload_model_get_loading (model) &&
          g_list_model_get_n_items (G_LIST_MODEL (model)) == expected)
        return;
      koers_test_spin (50);
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, expected);
}

static void
open_dialog (Fixture *f)
{
  f->dialog = koers_caseload_page_export (f->page);
  g_assert_true (KOERS_IS_EXPORT_DIALOG (f->dialog));
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  g_assert_true (koers_caseload_page_get_busy (f->page));
}

static gboolean
dialog_gone (gpointer data)
{
  Fixture *f = data;

  return f->dialog == NULL;
}

static gpointer
audit_count_job (KoersDatabase  *db,
                 gpointer        data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  return GINT_TO_POINTER ((int) koers_test_query_int (
    db, "SELECT count(*) FROM audit_event WHERE action = 'export'"));
}

static void
test_export_filtered (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "lijst.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  GtkDropDown *municipality;
  int audits_before;

  g_signal_connect (f->page, "add-toast", G_CALLBACK (toast_cb), f);
  /* Doetinchem only: two of the four. */
  municipality = GTK_DROP_DOWN (gtk_widget_get_template_child (GTK_WIDGET (f->page),
                                                               KOERS_TYPE_CASELOAD_PAGE,
                                                               "municipality_dropdown"));
  gtk_drop_down_set_selected (municipality, KOERS_MUNICIPALITY_DOETINCHEM + 1);
  wait_for_count (f, 2);
  audits_before = GPOINTER_TO_INT (koers_store_run_sync (f->store, audit_count_job, NULL, NULL,
                                                         NULL));

  open_dialog (f);
  koers_export_dialog_set_file (KOERS_EXPORT_DIALOG (f->dialog), file);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (koers_test_wait_until (dialog_gone, f, 10000));
  g_assert_false (koers_caseload_page_get_busy (f->page));
  g_assert_cmpstr (f->toast, ==, "Exported 2 participants");

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  /* CSV for Excel: a BOM, then the header and one line per participant shown. */
  g_assert_true (g_str_has_prefix (contents, "\xef\xbb\xbf" "id;name;"));
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 + 1);  /* the last is after the final CRLF */
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_nonnull (strstr (lines[1], "Anna de Vries"));
  g_assert_nonnull (strstr (lines[2], "Yusuf Özdemir"));
  g_assert_cmpint (GPOINTER_TO_INT (koers_store_run_sync (f->store, audit_count_job, NULL, NULL,
                                                          NULL)), ==, audits_before + 1);
}

static void
test_export_table_xlsx (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "alles.xlsx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_signal_connect (f->page, "add-toast", G_CALLBACK (toast_cb), f);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (
    GTK_WIDGET (f->page), KOERS_TYPE_CASELOAD_PAGE, "search_entry")), "anna");
  wait_for_count (f, 1);

  open_dialog (f);
  /* "All participants" ignores the search the list shows. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "participants_check")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "xlsx_check")), TRUE);
  koers_export_dialog_set_file (KOERS_EXPORT_DIALOG (f->dialog), file);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (koers_test_wait_until (dialog_gone, f, 10000));
  g_assert_cmpstr (f->toast, ==, "Exported 4 participants");
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_cmpint (memcmp (contents, "PK\x03\x04", 4), ==, 0);
}

static void
test_export_failure (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "no-such-dir", "lijst.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GtkLabel *message;

  open_dialog (f);
  koers_export_dialog_set_file (KOERS_EXPORT_DIALOG (f->dialog), file);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (koers_test_wait_for_boolean (f->dialog, "busy", FALSE, 10000));
  /* Still open, with the reason; nothing left behind. */
  g_assert_nonnull (f->dialog);
  message = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                      KOERS_TYPE_EXPORT_DIALOG,
                                                      "message_label"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_true (g_str_has_prefix (gtk_label_get_text (message),
                                   "The file could not be written: "));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  koers_test_assert_accessible_names (GTK_WIDGET (f->dialog));
}

/* Enough participants that an XLSX export runs for a second or more, long enough to cancel
 * from its first progress report. */
#define N_BULK 60000

/* Copies of the first participant with their contact fields filled, straight in SQL: the demo generator takes a minute for this
 * many on a busy machine, and the export only needs rows. */
static gpointer
bulk_insert_job (KoersDatabase  *db,
                 gpointer        data,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_autofree char *sql = g_strdup_printf (
    "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d)\n"
    "INSERT INTO participant (id, created_at, created_by, updated_at, updated_by, name,\n"
    "                         municipality, dutch_level, target_group, status, outcome,\n"
    "                         phone, email, languages, next_action, registered_on)\n"
    "SELECT lower (hex (randomblob (16))), p.created_at, p.created_by, p.updated_at,\n"
    "       p.updated_by, 'Deelnemer ' || n.i || ' van de proef met veel rijen',\n"
    "       p.municipality, p.dutch_level, p.target_group, p.status, p.outcome,\n"
    "       '+31 6 ' || (10000000 + n.i), 'deelnemer' || n.i || '@voorbeeld.nl',\n"
    "       'nl, en, ar, tr', 'Intakegesprek plannen met de werkgever', '2026-03-01'\n"
    "FROM n, (SELECT * FROM participant ORDER BY seq LIMIT 1) AS p", N_BULK);

  if (!koers_database_exec (db, sql, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
nothing_job (KoersDatabase  *db,
             gpointer        data,
             GCancellable   *cancellable,
             GError        **error)
{
  return NULL;
}

static gpointer
last_export_result_job (KoersDatabase  *db,
                        gpointer        data,
                        GCancellable   *cancellable,
                        GError        **error)
{
  return GINT_TO_POINTER ((int) koers_test_query_int (
    db, "SELECT result = 'failure' AND purpose LIKE '%cancelled after%' FROM audit_event"
        " WHERE action = 'export' ORDER BY seq DESC LIMIT 1"));
}

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

typedef struct
{
  GtkWindow      *dialog;
  GtkProgressBar *bar;       /* (owned): outlives a closed dialog until cancel_at_clear() */
  gboolean        close;     /* close the dialog instead of pressing Cancel */
  char           *text;      /* (nullable): the bar's text when it first moved */
} CancelAt;

static void
cancel_at_clear (CancelAt *at)
{
  g_signal_handlers_disconnect_by_data (at->bar, at);
  g_clear_object (&at->bar);
  g_clear_pointer (&at->text, g_free);
}

/* The first time the bar moves, the user cancels (or closes the dialog). */
static void
fraction_cb (GtkProgressBar *bar,
             GParamSpec     *pspec,
             CancelAt       *at)
{
  if (at->text != NULL || gtk_progress_bar_get_fraction (bar) <= 0.0)
    return;
  at->text = g_strdup (gtk_progress_bar_get_text (bar));
  if (at->close)
    gtk_window_close (at->dialog);
  else
    gtk_widget_activate_action (GTK_WIDGET (at->dialog), "export.cancel", NULL);
}

static void
start_big_export (Fixture  *f,
                  GFile    *file,
                  CancelAt *at)
{
  GtkProgressBar *bar;

  g_assert_nonnull (koers_store_run_sync (f->store, bulk_insert_job, NULL, NULL, NULL));
  open_dialog (f);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "participants_check")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "xlsx_check")), TRUE);
  koers_export_dialog_set_file (KOERS_EXPORT_DIALOG (f->dialog), file);
  bar = GTK_PROGRESS_BAR (gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                         KOERS_TYPE_EXPORT_DIALOG,
                                                         "progress_bar"));
  at->dialog = f->dialog;
  at->bar = g_object_ref (bar);
  g_signal_connect (bar, "notify::fraction", G_CALLBACK (fraction_cb), at);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (koers_export_dialog_get_busy (KOERS_EXPORT_DIALOG (f->dialog)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (bar)));
}

/* "12,000 of 100,000 rows", then Cancel: the dialog says nothing was written, the partner's old
 * file is untouched, no temporary file is left, the cancel is audited, and exporting again
 * works. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "lijst.xlsx", NULL);
  g_autofree char *again_path = g_build_filename (f->dir, "opnieuw.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) again = g_file_new_for_path (again_path);
  g_autofree char *contents = NULL;
  g_autofree char *listing = NULL;
  g_autofree char *total_text = g_strdup_printf (" of %d rows", N_BULK + 4);
  CancelAt at = { NULL, NULL, FALSE, NULL };
  GtkLabel *message;

  g_signal_connect (f->page, "add-toast", G_CALLBACK (toast_cb), f);
  g_assert_true (g_file_set_contents (path, "old list", -1, NULL));
  start_big_export (f, file, &at);
  g_assert_true (koers_test_wait_for_boolean (f->dialog, "busy", FALSE, 60000));

  /* The bar said how far it was, in rows of the total. */
  g_assert_nonnull (at.text);
  g_test_message ("progress when cancelled: %s", at.text);
  g_assert_true (g_str_has_suffix (at.text, total_text));
  message = GTK_LABEL (gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                      KOERS_TYPE_EXPORT_DIALOG,
                                                      "message_label"));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
  g_assert_cmpstr (gtk_label_get_text (message), ==, "Export cancelled: no file was written.");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (message), "error"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "progress_box"))));
  g_assert_null (f->toast);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "old list");
  listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "lijst.xlsx");
  g_assert_cmpint (GPOINTER_TO_INT (koers_store_run_sync (f->store, last_export_result_job,
                                                          NULL, NULL, NULL)), ==, 1);
  koers_test_assert_accessible_names (GTK_WIDGET (f->dialog));

  /* The user tries again, something short to CSV this time, and lets it finish. */
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "notes_check")), TRUE);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (gtk_widget_get_template_child (
    GTK_WIDGET (f->dialog), KOERS_TYPE_EXPORT_DIALOG, "csv_check")), TRUE);
  koers_export_dialog_set_file (KOERS_EXPORT_DIALOG (f->dialog), again);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "export.export", NULL);
  g_assert_true (koers_test_wait_until (dialog_gone, f, 60000));
  g_assert_cmpstr (f->toast, ==, "Exported 0 notes");
  g_assert_true (g_file_test (again_path, G_FILE_TEST_IS_REGULAR));
  cancel_at_clear (&at);
}

/* Closing the dialog during the export is cancelling it: nothing is left behind. */
static void
test_close_cancels (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "lijst.xlsx", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *listing = NULL;
  CancelAt at = { NULL, NULL, TRUE, NULL };

  start_big_export (f, file, &at);
  g_assert_true (koers_test_wait_until (dialog_gone, f, 60000));
  g_assert_nonnull (at.text);
  g_assert_false (koers_caseload_page_get_busy (f->page));
  /* Jobs run one at a time: this one runs when the export has stopped. */
  koers_store_run_sync (f->store, nothing_job, NULL, NULL, NULL);
  listing = list_dir (f->dir);
  g_assert_cmpstr (listing, ==, "");
  g_assert_cmpint (GPOINTER_TO_INT (koers_store_run_sync (f->store, last_export_result_job,
                                                          NULL, NULL, NULL)), ==, 1);
  cancel_at_clear (&at);
}

/* The primary menu's entries go through the window ("win.import", "win.export", Ctrl+I and
 * Ctrl+Shift+E) to the caseload page, and are greyed out while one of its dialogs is open. */
static void
test_window_actions (Fixture       *f,
                     gconstpointer  data)
{
  KoersWindow *window = koers_window_new (NULL, f->context);
  KoersCaseloadPage *page = KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (window));
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *import_item = gtk_button_new_with_label ("import");
  GtkWidget *export_item = gtk_button_new_with_label ("export");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  /* Stand-ins for the menu items: widgets inside the window that track the actions. */
  gtk_actionable_set_action_name (GTK_ACTIONABLE (import_item), "win.import");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (export_item), "win.export");
  gtk_box_append (GTK_BOX (box), import_item);
  gtk_box_append (GTK_BOX (box), export_item);
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_widget_set_parent (popover, GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (koers_test_wait_for_boolean (koers_caseload_page_get_model (page), "loading",
                                              FALSE, 5000));
  g_assert_true (gtk_widget_get_sensitive (import_item));
  g_assert_true (gtk_widget_get_sensitive (export_item));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.export", NULL);
  g_assert_true (KOERS_IS_EXPORT_DIALOG (page->export_dialog));
  g_assert_true (gtk_window_get_transient_for (page->export_dialog) == GTK_WINDOW (window));
  g_assert_false (gtk_widget_get_sensitive (import_item));
  g_assert_false (gtk_widget_get_sensitive (export_item));

  gtk_widget_activate_action (GTK_WIDGET (page->export_dialog), "export.cancel", NULL);
  g_assert_null (page->export_dialog);
  g_assert_true (gtk_widget_get_sensitive (import_item));
  g_assert_true (gtk_widget_get_sensitive (export_item));

  gtk_widget_unparent (popover);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/export-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("filtered-list-csv", test_export_filtered);
  ADD ("whole-table-xlsx", test_export_table_xlsx);
  ADD ("failure-stays-open", test_export_failure);
  ADD ("cancel-during-export", test_cancel);
  ADD ("close-cancels", test_close_cancels);
  ADD ("window-actions", test_window_actions);
#undef ADD
  return g_test_run ();
}
