/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Screenshots of the bulk-data dialogs (issue 3) in each language, run once per language
 * (--lang en|nl|ar): the import preview of a file with spreadsheet-damage warnings, a refused
 * file, and the export dialog. Saved as $KOERS_SCREENSHOT_DIR/import-preview-<lang>.png (and
 * import-preview-full-<lang>.png, tall enough to show every section), import-done-<lang>.png,
 * import-finishing-<lang>.png (the import's last phase), import-refused-<lang>.png,
 * export-<lang>.png and export-progress-<lang>.png (half-way through
 * an export) for people to look at (Arabic runs right to left); the test asserts what it can.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "caseload/koers-export-dialog-private.h"
#include "caseload/koers-import-dialog-private.h"
#include "koers-screenshot-helpers.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"

/* Dates as Excel writes them, a phone number without its leading zero, an Arabic name and a
 * column Koers does not import: warnings only, so the dialog asks for confirmation. */
static const char warnings_csv[] =
  "Voornaam;Achternaam;Geboortedatum;Gemeente;Doelgroep;Telefoon;Schoenmaat\n"
  "Jan;de Vries;1-2-1980;Aalten;statushouder;612345678;42\n"
  "Fatima;El Amrani;01-02-1992;Winterswijk;arbeidsmigrant;0687654321;38\n"
  "محمد;العلي;1985-06-15;Doetinchem;statushouder;0612345678;44\n"
  "Anna;Jansen;1975;Oost Gelre;werkzoekende;;39\n"
  "Piotr;Kowalski;15-3-1990;Montferland;arbeidsmigrant;0031612345678;45\n";

static const char *language;

static void
assert_direction (GtkWidget *widget)
{
  if (g_str_equal (language, "ar"))
    g_assert_cmpint (gtk_widget_get_direction (widget), ==, GTK_TEXT_DIR_RTL);
  else
    g_assert_cmpint (gtk_widget_get_direction (widget), ==, GTK_TEXT_DIR_LTR);
}

static void
save (GtkWidget  *widget,
      const char *what)
{
  g_autofree char *name = g_strdup_printf ("%s-%s", what, language);
  g_autofree char *path = NULL;

  /* Let the lists lay out and draw their rows. */
  koers_test_spin (600);
  path = koers_test_save_screenshot (widget, name);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

static GtkWindow *
open_import (KoersContext *context,
             const char   *contents,
             const char   *name)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GtkWindow *dialog;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  dialog = koers_import_dialog_new (NULL, context, file);
  gtk_window_present (dialog);
  g_assert_true (koers_test_wait_for_boolean (dialog, "busy", FALSE, 10000));
  return dialog;
}

static void
test_import_preview (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersContext) context = koers_context_new (store, NULL);
  GtkWindow *dialog = open_import (context, warnings_csv, "deelnemers.csv");
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (dialog);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (self->state_stack), ==, "preview");
  g_assert_cmpuint (self->report->n_errors, ==, 0);
  g_assert_cmpuint (self->report->n_warnings, >=, 4);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (self->accept_check)));
  assert_direction (GTK_WIDGET (dialog));
  save (GTK_WIDGET (dialog), "import-preview");
  /* All of it at once, the mapping too, for review. */
  gtk_window_set_default_size (dialog, 900, 1500);
  save (GTK_WIDGET (dialog), "import-preview-full");

  /* Confirmed and imported: the result in words. */
  gtk_window_set_default_size (dialog, 900, 720);
  gtk_check_button_set_active (self->accept_check, TRUE);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "import.import", NULL);
  g_assert_true (koers_test_wait_for_boolean (dialog, "busy", FALSE, 10000));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (self->state_stack), ==, "done");
  save (GTK_WIDGET (dialog), "import-done");
  gtk_window_destroy (dialog);
}

/* The import's last phase, its indexes: the dialog as the job shows it then. */
static void
test_import_finishing (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersContext) context = koers_context_new (store, NULL);
  GtkWindow *dialog = open_import (context, warnings_csv, "deelnemers.csv");
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (dialog);

  koers_import_dialog_set_state (self, KOERS_IMPORT_STATE_IMPORTING);
  koers_import_dialog_set_busy (self, TRUE);
  g_atomic_int_set (&self->progress->phase, KOERS_IMPORT_PHASE_FINISHING);
  g_atomic_int_set (&self->progress->n_done, 5);
  g_atomic_int_set (&self->progress->n_total, 5);
  save (GTK_WIDGET (dialog), "import-finishing");
  g_assert_cmpstr (gtk_label_get_text (self->progress_label), !=, "");
  koers_import_dialog_set_busy (self, FALSE);
  gtk_window_destroy (dialog);
}

static void
test_import_refused (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersContext) context = koers_context_new (store, NULL);
  GtkWindow *dialog = open_import (context, "Naam;BSN;Gemeente\nJan;123456782;Aalten\n",
                                   "bsn.csv");
  KoersImportDialog *self = KOERS_IMPORT_DIALOG (dialog);

  g_assert_cmpstr (gtk_stack_get_visible_child_name (self->state_stack), ==, "refused");
  save (GTK_WIDGET (dialog), "import-refused");
  gtk_window_destroy (dialog);
}

static void
test_export (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersContext) context = koers_context_new (store, NULL);
  KoersCaseloadQuery query;
  GtkWindow *dialog;

  koers_caseload_query_init (&query);
  dialog = koers_export_dialog_new (NULL, context, &query, 1234);
  gtk_window_present (dialog);
  assert_direction (GTK_WIDGET (dialog));
  save (GTK_WIDGET (dialog), "export");

  /* Half-way through a long export: the rows written of the total, and Cancel. */
  koers_export_dialog_show_progress (KOERS_EXPORT_DIALOG (dialog), 12000, 100000);
  g_assert_true (koers_export_dialog_get_busy (KOERS_EXPORT_DIALOG (dialog)));
  save (GTK_WIDGET (dialog), "export-progress");
  gtk_window_destroy (dialog);
  koers_caseload_query_clear (&query);
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  koers_test_init_like_app (&argc, &argv);
  /* The picture of a state, not of a crossfade into it. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  g_test_add_func ("/screenshots/import-preview", test_import_preview);
  g_test_add_func ("/screenshots/import-finishing", test_import_finishing);
  g_test_add_func ("/screenshots/import-refused", test_import_refused);
  g_test_add_func ("/screenshots/export", test_export);
  return g_test_run ();
}
