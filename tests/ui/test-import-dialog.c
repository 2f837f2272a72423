/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The window's CSV import (issue 3): the caseload page opens the import dialog on a file (the
 * file chooser is the only step skipped), the dialog checks it off the main thread and shows
 * rows, mapping and problems; Import is only possible on a clean (or confirmed) file; cancel
 * during the check or the import leaves the database as it was; a changed mapping re-checks.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-caseload-page-private.h"
#include "caseload/koers-import-dialog-private.h"
#include "core/koers-csv-header.h"
#include "cli/cli-test-util.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"

#include <string.h>

/* Dutch headers, a quoted line break in Piet's note (physical lines run one ahead after it). */
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

/* Line 3: a birth year out of range; line 4: a row with a field too many. */
static const char bad_csv[] =
  "Naam;Geboortejaar;Gemeente;Doelgroep\n"
  "Jan Jansen;1980;Aalten;statushouder\n"
  "Piet Bakker;1850;Aalten;statushouder\n"
  "Kees Smit;1990;Aalten;statushouder;extra\n";

/* A phone number that lost its leading zero in Excel: a warning, not an error. */
static const char damaged_csv[] =
  "Naam;Gemeente;Doelgroep;Telefoon\n"
  "Jan Jansen;Aalten;statushouder;612345678\n"
  "Piet Bakker;Aalten;statushouder;0612345678\n";

/* "Groep" is no header Koers knows: the target group is missing until it is mapped by hand. */
static const char unmapped_csv[] =
  "Naam;Gemeente;Groep\n"
  "Jan Jansen;Aalten;statushouder\n"
  "Piet Bakker;Winterswijk;arbeidsmigrant\n";

typedef struct
{
  KoersStore        *store;
  KoersContext      *context;
  GtkWindow         *window;
  KoersCaseloadPage *page;
  KoersImportDialog *dialog;  /* (nullable): weak */
  char              *dir;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  f->context = koers_context_new (f->store, NULL);
  f->dir = koers_test_make_temp_dir ();
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
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  g_assert_null (f->dialog);
  gtk_window_destroy (f->window);
  /* Let a cancelled job return before the store goes. */
  koers_test_spin (100);
  g_clear_object (&f->context);
  g_clear_object (&f->store);
  g_free (f->dir);
}

static GFile *
write_csv (Fixture    *f,
           const char *name,
           const char *contents)
{
  g_autofree char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static GFile *
fixture_file (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("KOERS_TEST_FIXTURES"), "csv", name, NULL);

  return g_file_new_for_path (path);
}

/* A file with @n_rows good participants: long enough to cancel while it is read. */
static GFile *
write_big_csv (Fixture *f,
               guint    n_rows)
{
  g_autoptr(GString) text = g_string_new ("Voornaam;Achternaam;Geboortejaar;Gemeente;Doelgroep\n");

  for (guint i = 0; i < n_rows; i++)
    g_string_append_printf (text, "Naam%u;Achter%u;%u;Aalten;statushouder\n", i, i,
                            1950 + i % 50);
  return write_csv (f, "big.csv", text->str);
}

static gpointer
checksum_job (KoersDatabase  *db,
              gpointer        data,
              GCancellable   *cancellable,
              GError        **error)
{
  return koers_test_content_checksum (db);
}

/* Runs after every job queued before it: the store's worker runs them in order. */
static char *
checksum (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  char *sum = koers_store_run_sync (f->store, checksum_job, NULL, NULL, &error);

  g_assert_no_error (error);
  return sum;
}

static gpointer
count_job (KoersDatabase  *db,
           gpointer        data,
           GCancellable   *cancellable,
           GError        **error)
{
  return GINT_TO_POINTER ((int) koers_test_query_int (db, "SELECT count(*) FROM participant"));
}

static int
count_participants (Fixture *f)
{
  return GPOINTER_TO_INT (koers_store_run_sync (f->store, count_job, NULL, NULL, NULL));
}

static void
open_dialog (Fixture *f,
             GFile   *file)
{
  GtkWindow *dialog = koers_caseload_page_import_file (f->page, file);

  g_assert_true (KOERS_IS_IMPORT_DIALOG (dialog));
  f->dialog = KOERS_IMPORT_DIALOG (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &f->dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == f->window);
  g_assert_true (gtk_window_get_modal (dialog));
  /* One import at a time: the page's actions are off while the dialog is open. */
  g_assert_true (koers_caseload_page_get_busy (f->page));
}

static void
wait_checked (Fixture *f)
{
  g_assert_true (koers_test_wait_for_boolean (f->dialog, "busy", FALSE, 20000));
}

static const char *
state_name (Fixture *f)
{
  return gtk_stack_get_visible_child_name (f->dialog->state_stack);
}

static gboolean
can_import (Fixture *f)
{
  return gtk_widget_get_sensitive (GTK_WIDGET (f->dialog->import_button)) &&
         gtk_widget_get_visible (GTK_WIDGET (f->dialog->import_button));
}

/* The problem list as the view shows it: every line's text, one per line. */
static char *
problem_text (Fixture *f)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (f->dialog->issue_view));
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(KoersImportIssueItem) item = g_list_model_get_item (model, i);

      g_string_append_printf (text, "%s\n", koers_import_issue_item_get_message (item));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
column_titles (Fixture *f)
{
  GListModel *columns = gtk_column_view_get_columns (f->dialog->rows_view);
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      g_string_append_printf (text, "%s|", gtk_column_view_column_get_title (column));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
assert_caseload_count (Fixture *f,
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
test_import_good (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "goed.csv", good_csv);
  g_autofree char *titles = NULL;
  GListModel *rows;

  open_dialog (f, file);
  g_assert_cmpstr (state_name (f), ==, "progress");
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "preview");

  /* What was detected, and the rows under the fields their columns go to. */
  g_assert_cmpstr (adw_action_row_get_subtitle (f->dialog->detected_row), ==,
                   "UTF-8, separated by semicolons");
  g_assert_cmpstr (adw_action_row_get_subtitle (f->dialog->rows_row), ==, "6 rows, all new");
  titles = column_titles (f);
  g_assert_cmpstr (titles, ==, "Line|First name|Name prefix|Last name|Birth year|Municipality|"
                               "Target group|Phone|E-mail|Languages|Status|Project line|Notes|");
  rows = G_LIST_MODEL (gtk_column_view_get_model (f->dialog->rows_view));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 6);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->dialog->rows_stack), ==, "rows");
  /* Piet's note spans two lines: Ayşe's row starts on line 6. */
  g_assert_cmpstr (gtk_string_list_get_string (f->dialog->row_lines, 3), ==, "6");
  g_assert_cmpuint (f->dialog->dropdowns->len, ==, 12);
  g_assert_cmpuint (gtk_drop_down_get_selected (g_ptr_array_index (f->dialog->dropdowns, 0)),
                    ==, KOERS_CSV_FIELD_FIRST_NAME);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->dialog->problems_stack), ==, "none");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog->accept_check)));
  g_assert_true (can_import (f));
  koers_test_assert_accessible_names (GTK_WIDGET (f->dialog));

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  g_assert_cmpstr (state_name (f), ==, "progress");
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "done");
  g_assert_cmpstr (adw_status_page_get_description (f->dialog->done_status), ==,
                   "6 participants imported");
  /* The store announced "participants": the caseload shows them without a restart. */
  assert_caseload_count (f, 6);
  g_assert_cmpint (count_participants (f), ==, 6);

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.cancel", NULL);
  g_assert_null (f->dialog);
  g_assert_false (koers_caseload_page_get_busy (f->page));

  /* The same file again: nothing new, and the dialog says so instead of offering Import. */
  open_dialog (f, file);
  wait_checked (f);
  g_assert_cmpstr (adw_action_row_get_subtitle (f->dialog->rows_row), ==,
                   "6 rows: 0 to import, 6 already imported earlier");
  g_assert_false (can_import (f));
  g_assert_nonnull (strstr (gtk_label_get_text (f->dialog->summary_label), "imported earlier"));
  g_assert_cmpint (count_participants (f), ==, 6);
}

static void
test_import_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "fout.csv", bad_csv);
  g_autofree char *before = checksum (f);
  g_autofree char *after = NULL;
  g_autofree char *problems = NULL;

  open_dialog (f, file);
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "preview");
  g_assert_false (can_import (f));
  /* Activating the action anyway (a stale shortcut) does nothing. */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  g_assert_cmpstr (state_name (f), ==, "preview");

  problems = problem_text (f);
  g_assert_nonnull (strstr (problems, "3:13 (Geboortejaar): "));
  g_assert_nonnull (strstr (problems, "4:36 (column 5): the row has 5 fields"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->dialog->problems_stack), ==, "list");
  g_assert_cmpstr (adw_preferences_group_get_description (f->dialog->problems_group), ==,
                   "2 errors: nothing can be imported until they are fixed");
  /* Errors are not something to confirm. */
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog->accept_check)));

  after = checksum (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_warnings (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "schade.csv", damaged_csv);
  g_autofree char *problems = NULL;

  open_dialog (f, file);
  wait_checked (f);
  problems = problem_text (f);
  g_assert_nonnull (strstr (problems, "2:32 (Telefoon): looks like 0612345678"));
  /* Warnings need the coach's word before anything is stored. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dialog->accept_check)));
  g_assert_false (can_import (f));
  gtk_check_button_set_active (f->dialog->accept_check, TRUE);
  g_assert_true (can_import (f));
  gtk_check_button_set_active (f->dialog->accept_check, FALSE);
  g_assert_false (can_import (f));
  gtk_check_button_set_active (f->dialog->accept_check, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "done");
  g_assert_cmpint (count_participants (f), ==, 2);
  assert_caseload_count (f, 2);
}

static void
test_import_refused (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *fixture;
    const char *reason;
  } cases[] = {
    { "xlsx-renamed.csv", "this is an Excel workbook: save it as CSV (UTF-8)" },
    { "bsn-header.csv", "Koers may not store BSNs" },
    { "utf16be-bom.csv", "big-endian" },
    { "empty.csv", "the file is empty" },
  };
  g_autofree char *before = checksum (f);
  g_autofree char *after = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = fixture_file (cases[i].fixture);
      const char *description;

      open_dialog (f, file);
      wait_checked (f);
      /* The core's reason, in the dialog: no crash, no empty table. */
      g_assert_cmpstr (state_name (f), ==, "refused");
      description = adw_status_page_get_description (f->dialog->refused_status);
      if (strstr (description, cases[i].reason) == NULL)
        g_error ("%s: “%s” does not say “%s”", cases[i].fixture, description,
                 cases[i].reason);
      g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->dialog->import_button)));
      g_assert_cmpstr (gtk_button_get_label (f->dialog->cancel_button), ==, "_Close");
      gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.cancel", NULL);
      g_assert_null (f->dialog);
    }
  after = checksum (f);
  g_assert_cmpstr (before, ==, after);
}

static void
test_import_mapping (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "groep.csv", unmapped_csv);
  g_autofree char *problems = NULL;
  g_autofree char *titles = NULL;
  GtkDropDown *groep;

  open_dialog (f, file);
  wait_checked (f);
  problems = problem_text (f);
  g_assert_nonnull (strstr (problems, "no column holds the target group"));
  g_assert_false (can_import (f));
  titles = column_titles (f);
  g_assert_cmpstr (titles, ==, "Line|Name|Municipality|Groep (not imported)|");

  /* The coach maps "Groep" by hand: the file is checked again, and now it is clean. */
  groep = g_ptr_array_index (f->dialog->dropdowns, 2);
  gtk_drop_down_set_selected (groep, KOERS_CSV_FIELD_TARGET_GROUP);
  g_assert_true (koers_import_dialog_get_busy (f->dialog));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dialog->recheck_bar)));
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "preview");
  g_assert_cmpuint (f->dialog->report->n_errors, ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (f->dialog->problems_stack), ==, "none");
  g_clear_pointer (&titles, g_free);
  titles = column_titles (f);
  g_assert_cmpstr (titles, ==, "Line|Name|Municipality|Target group|");
  g_assert_true (can_import (f));

  /* Mapping "Naam" to the target group too takes it from "Groep": checked again, an error. */
  gtk_drop_down_set_selected (g_ptr_array_index (f->dialog->dropdowns, 0),
                              KOERS_CSV_FIELD_TARGET_GROUP);
  wait_checked (f);
  g_assert_cmpuint (gtk_drop_down_get_selected (groep), ==, KOERS_CSV_FIELD_NONE);
  g_assert_false (can_import (f));

  /* Back as it should be, then import: the manual mapping is what gets stored. */
  gtk_drop_down_set_selected (g_ptr_array_index (f->dialog->dropdowns, 0),
                              KOERS_CSV_FIELD_FULL_NAME);
  wait_checked (f);
  gtk_drop_down_set_selected (groep, KOERS_CSV_FIELD_TARGET_GROUP);
  wait_checked (f);
  g_assert_true (can_import (f));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "done");
  g_assert_cmpint (count_participants (f), ==, 2);
}

static gboolean
progress_started (gpointer data)
{
  Fixture *f = data;
  KoersImportProgressState *progress = f->dialog->progress;

  return g_atomic_int_get (&progress->n_done) > 0;
}

static gboolean
writing_started (gpointer data)
{
  Fixture *f = data;
  KoersImportProgressState *progress = f->dialog->progress;

  return g_atomic_int_get (&progress->phase) == KOERS_IMPORT_PHASE_WRITING &&
         g_atomic_int_get (&progress->n_done) > 0;
}

static gboolean
dialog_gone (gpointer data)
{
  Fixture *f = data;

  return f->dialog == NULL;
}

static void
test_cancel_check (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GFile) file = write_big_csv (f, 10000);
  g_autofree char *before = checksum (f);
  g_autofree char *after = NULL;

  open_dialog (f, file);
  g_assert_true (koers_test_wait_until (progress_started, f, 20000));
  g_assert_true (koers_import_dialog_get_busy (f->dialog));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.cancel", NULL);
  /* The window goes at once; the object when the stopped job hands it back. */
  g_assert_false (koers_caseload_page_get_busy (f->page));
  g_assert_true (koers_test_wait_until (dialog_gone, f, 20000));

  after = checksum (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_participants (f), ==, 0);
}

static void
test_cancel_import (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_big_csv (f, 10000);
  g_autofree char *before = checksum (f);
  g_autofree char *after = NULL;

  open_dialog (f, file);
  wait_checked (f);
  g_assert_true (can_import (f));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  g_assert_true (koers_test_wait_until (writing_started, f, 30000));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.cancel", NULL);
  wait_checked (f);

  /* Back at the preview, saying nothing changed; the dialog stays for another try. */
  g_assert_nonnull (f->dialog);
  g_assert_cmpstr (state_name (f), ==, "preview");
  g_assert_cmpstr (gtk_label_get_text (f->dialog->message_label), ==,
                   "Import cancelled: nothing was changed.");
  g_assert_true (can_import (f));
  after = checksum (f);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (count_participants (f), ==, 0);
  assert_caseload_count (f, 0);
}

/* The preview checked the whole file; the import writes it without reading it through a
 * second time to check it (the file is unchanged), and imports it all. */
static void
test_import_reuses_check (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GFile) file = write_big_csv (f, 10000);

  open_dialog (f, file);
  wait_checked (f);
  /* The preview's own check reported its progress. */
  g_assert_cmpint (g_atomic_int_get (&f->dialog->progress->n_checking_reports), >, 0);
  g_atomic_int_set (&f->dialog->progress->n_checking_reports, 0);
  g_assert_true (can_import (f));
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "import.import", NULL);
  wait_checked (f);
  g_assert_cmpstr (state_name (f), ==, "done");
  g_assert_cmpint (g_atomic_int_get (&f->dialog->progress->n_checking_reports), ==, 0);
  g_assert_cmpint (count_participants (f), ==, 10000);
}

static gboolean
finishing_shown (gpointer data)
{
  Fixture *f = data;

  return g_strcmp0 (gtk_label_get_text (f->dialog->progress_label),
                    "Almost done: updating the search index…") == 0;
}

/* After the last row the import builds its indexes, a second or so at 100,000 rows: the
 * dialog says it is almost done instead of a full bar that stops moving. */
static void
test_finishing_shown (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GFile) file = write_csv (f, "deelnemers.csv", good_csv);
  KoersImportProgressState *progress;

  open_dialog (f, file);
  wait_checked (f);
  progress = f->dialog->progress;
  /* As the import job reports it once the last row is written. */
  koers_import_dialog_set_busy (f->dialog, TRUE);
  g_atomic_int_set (&progress->phase, KOERS_IMPORT_PHASE_FINISHING);
  g_atomic_int_set (&progress->n_done, 5);
  g_atomic_int_set (&progress->n_total, 5);
  g_assert_true (koers_test_wait_until (finishing_shown, f, 5000));
  koers_import_dialog_set_busy (f->dialog, FALSE);
}

/* A file with more problems than are kept: the list shows the first thousand, says how many
 * more, and is a GtkListView (only the visible lines are widgets). */
static void
test_many_problems (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new ("Naam;Geboortejaar;Gemeente;Doelgroep\n");
  g_autoptr(GFile) file = NULL;
  guint n_widgets = 0;

  for (guint i = 0; i < 1500; i++)
    g_string_append_printf (text, "Persoon %u;1850;Aalten;statushouder\n", i);
  file = write_csv (f, "veel.csv", text->str);

  open_dialog (f, file);
  wait_checked (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->dialog->issues)), ==,
                    KOERS_IMPORT_DEFAULT_MAX_ISSUES);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->dialog->problems_more)));
  g_assert_cmpstr (gtk_label_get_text (f->dialog->problems_more), ==, "and 500 more, not listed");
  g_assert_false (can_import (f));

  /* Laying the report out again and drawing it costs the lines on screen, not the thousand:
   * counted in widgets, not timed (timings on a shared machine prove nothing). */
  koers_import_dialog_show_report (f->dialog);
  koers_test_spin (100);
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (f->dialog->issue_view));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    n_widgets++;
  /* GTK 4.8's list view keeps about 200 rows around the visible ones; a list box would have
   * made all 1,000. */
  g_assert_cmpuint (n_widgets, <, 300);
}

/* In Arabic the table of first rows opens on its first column (the line number, at the right),
 * not on its last one with the first cut off (GTK 4.8's column view starts at the left); a
 * user who scrolls elsewhere stays there. */
static void
test_rtl_first_column (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GFile) file = NULL;
  GtkAdjustment *adjustment;

  for (guint i = 0; i < 14; i++)
    g_string_append_printf (text, "%sEen heel lange kolomnaam nummer %u", i > 0 ? ";" : "", i);
  g_string_append (text, "\n");
  for (guint i = 0; i < 14; i++)
    g_string_append_printf (text, "%swaarde %u", i > 0 ? ";" : "", i);
  g_string_append (text, "\n");
  file = write_csv (f, "breed.csv", text->str);

  gtk_widget_set_default_direction (GTK_TEXT_DIR_RTL);
  open_dialog (f, file);
  wait_checked (f);
  adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (f->dialog->rows_view));
  for (guint i = 0; i < 100 && gtk_adjustment_get_upper (adjustment) == 0; i++)
    koers_test_spin (20);
  koers_test_spin (200);
  /* Wider than its window, and shown from its right end: the first column. */
  g_assert_cmpfloat (gtk_adjustment_get_upper (adjustment), >,
                     gtk_adjustment_get_page_size (adjustment) + 100);
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==,
                     gtk_adjustment_get_upper (adjustment)
                     - gtk_adjustment_get_page_size (adjustment));

  /* The user scrolls to the last column; when the table grows (a column widened), it keeps
   * that distance from its start instead of jumping back. */
  {
    GListModel *columns = gtk_column_view_get_columns (f->dialog->rows_view);
    g_autoptr(GtkColumnViewColumn) last = g_list_model_get_item (columns,
                                                                 g_list_model_get_n_items (columns)
                                                                 - 1);
    double old_end = gtk_adjustment_get_upper (adjustment)
                     - gtk_adjustment_get_page_size (adjustment);
    double new_end;

    gtk_adjustment_set_value (adjustment, 0);
    koers_test_spin (100);
    gtk_column_view_column_set_fixed_width (last, 600);
    koers_test_spin (200);
    new_end = gtk_adjustment_get_upper (adjustment) - gtk_adjustment_get_page_size (adjustment);
    g_assert_cmpfloat (new_end, >, old_end);
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, new_end - old_end);
  }
  gtk_widget_set_default_direction (GTK_TEXT_DIR_LTR);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  /* The test accessibility backend, so the accessible-names check can read labels back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/import-dialog/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("good-file", test_import_good);
  ADD ("errors", test_import_errors);
  ADD ("warnings-need-confirmation", test_import_warnings);
  ADD ("refused", test_import_refused);
  ADD ("mapping-rechecks", test_import_mapping);
  ADD ("cancel-during-check", test_cancel_check);
  ADD ("cancel-during-import", test_cancel_import);
  ADD ("import-reuses-check", test_import_reuses_check);
  ADD ("finishing-shown", test_finishing_shown);
  ADD ("many-problems", test_many_problems);
  ADD ("rtl-opens-on-first-column", test_rtl_first_column);
#undef ADD
  return g_test_run ();
}
