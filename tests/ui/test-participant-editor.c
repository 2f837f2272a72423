/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "participant/koers-participant-editor.h"
#include "storage/koers-participant-repository.h"

#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "test-participant-util.h"

#include <string.h>

typedef struct {
  KoersContext *context;
  GtkWindow    *editor;
  char         *saved_id;
  char         *open_id;
} Fixture;

static void
on_saved (GtkWindow  *editor,
          const char *id,
          Fixture    *f)
{
  g_free (f->saved_id);
  f->saved_id = g_strdup (id);
}

static void
on_open_existing (GtkWindow  *editor,
                  const char *id,
                  Fixture    *f)
{
  g_free (f->open_id);
  f->open_id = g_strdup (id);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->context = ptest_make_context ();
}

static void
open_editor (Fixture          *f,
             KoersParticipant *participant)
{
  f->editor = koers_participant_editor_new (NULL, f->context, participant);
  g_object_add_weak_pointer (G_OBJECT (f->editor), (gpointer *) &f->editor);
  g_signal_connect (f->editor, "saved", G_CALLBACK (on_saved), f);
  g_signal_connect (f->editor, "open-existing", G_CALLBACK (on_open_existing), f);
  gtk_window_present (f->editor);
  /* Let the coach list arrive. */
  koers_test_spin (100);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->editor != NULL)
    gtk_window_destroy (f->editor);
  g_assert_null (f->editor);
  g_clear_object (&f->context);
  g_free (f->saved_id);
  g_free (f->open_id);
}

static gboolean
save_enabled (Fixture *f)
{
  GtkWidget *button = ptest_find_action (GTK_WIDGET (f->editor), "editor.save");

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static gboolean
saved (gpointer data)
{
  return ((Fixture *) data)->saved_id != NULL;
}

static gpointer
count_job (KoersDatabase *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  KoersCaseloadQuery query;
  g_autoptr(GArray) rowids = NULL;

  koers_caseload_query_init (&query);
  rowids = koers_participant_repository_query_rowids (db, &query, error);
  koers_caseload_query_clear (&query);
  return rowids != NULL ? GUINT_TO_POINTER (rowids->len + 1) : NULL;
}

static guint
count_participants (Fixture *f)
{
  return GPOINTER_TO_UINT (ptest_run (f->context, count_job, NULL)) - 1;
}

static gpointer
get_job (KoersDatabase *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  return koers_participant_repository_get (db, data, "test-coach", "test", error);
}

static void
fill_valid (Fixture *f)
{
  GtkWidget *municipality = ptest_find_row (GTK_WIDGET (f->editor), "Municipality");

  ptest_set_text (GTK_WIDGET (f->editor), "Name", "Fatima El Amrani");
  ptest_set_text (GTK_WIDGET (f->editor), "Birth year", "1988");
  ptest_set_text (GTK_WIDGET (f->editor), "Email", "fatima@example.nl");
  adw_combo_row_set_selected (ADW_COMBO_ROW (municipality), KOERS_MUNICIPALITY_DOETINCHEM);
}

static void
test_create_destroy (Fixture       *f,
                     gconstpointer  data)
{
  open_editor (f, NULL);
  g_assert_true (KOERS_IS_PARTICIPANT_EDITOR (f->editor));
  g_assert_nonnull (ptest_find_row (GTK_WIDGET (f->editor), "Name"));
  /* An empty form cannot be saved, and says nothing until the user typed. */
  g_assert_false (save_enabled (f));
  g_assert_null (ptest_row_message (ptest_find_row (GTK_WIDGET (f->editor), "Name")));
}

static void
test_invalid_birth_year (Fixture       *f,
                         gconstpointer  data)
{
  GtkWidget *row;
  const char *message;

  open_editor (f, NULL);
  fill_valid (f);
  g_assert_true (save_enabled (f));

  row = ptest_find_row (GTK_WIDGET (f->editor), "Birth year");
  gtk_editable_set_text (GTK_EDITABLE (row), "1850");
  message = ptest_row_message (row);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "1900"));
  g_assert_true (gtk_widget_has_css_class (row, "error"));
  g_assert_false (save_enabled (f));

  gtk_editable_set_text (GTK_EDITABLE (row), "19x8");
  message = ptest_row_message (row);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "four-digit"));
  g_assert_false (save_enabled (f));

  /* The user's own date style, day first; a day that does not exist is named. */
  row = ptest_find_row (GTK_WIDGET (f->editor), "Next action date");
  gtk_editable_set_text (GTK_EDITABLE (ptest_find_row (GTK_WIDGET (f->editor), "Birth year")),
                         "1988");
  gtk_editable_set_text (GTK_EDITABLE (row), "31-02-2027");
  g_assert_nonnull (ptest_row_message (row));
  g_assert_false (save_enabled (f));
  gtk_editable_set_text (GTK_EDITABLE (row), "15-12-2026");
  g_assert_null (ptest_row_message (row));
  g_assert_true (save_enabled (f));

  /* Activating Save while invalid writes nothing. */
  gtk_editable_set_text (GTK_EDITABLE (ptest_find_row (GTK_WIDGET (f->editor), "Birth year")),
                         "1850");
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  koers_test_spin (200);
  g_assert_null (f->saved_id);
  g_assert_cmpuint (count_participants (f), ==, 0);
}

static void
test_bidi_override_refused (Fixture       *f,
                            gconstpointer  data)
{
  GtkWidget *row;

  open_editor (f, NULL);
  fill_valid (f);
  row = ptest_find_row (GTK_WIDGET (f->editor), "Name");
  gtk_editable_set_text (GTK_EDITABLE (row), "Fatima \xe2\x80\xae" "inamrA lE");
  g_assert_nonnull (ptest_row_message (row));
  g_assert_false (save_enabled (f));
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  koers_test_spin (200);
  g_assert_null (f->saved_id);
  g_assert_cmpuint (count_participants (f), ==, 0);
}

static void
test_valid_form_saves (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(KoersParticipant) stored = NULL;

  open_editor (f, NULL);
  fill_valid (f);
  ptest_set_text (GTK_WIDGET (f->editor), "Next action date", "15-12-2026");
  g_assert_true (save_enabled (f));
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  g_assert_true (koers_test_wait_until (saved, f, 5000));
  g_assert_null (f->editor);   /* closed itself */

  stored = ptest_run (f->context, get_job, f->saved_id);
  g_assert_cmpstr (koers_participant_get_name (stored), ==, "Fatima El Amrani");
  g_assert_cmpint (koers_participant_get_birth_year (stored), ==, 1988);
  g_assert_cmpint (koers_participant_get_municipality (stored), ==, KOERS_MUNICIPALITY_DOETINCHEM);
  g_assert_cmpstr (koers_participant_get_next_action_date (stored), ==, "2026-12-15");
  g_assert_cmpstr (koers_participant_get_registered_on (stored), ==, "2026-11-28");
}

static void
test_edit_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *id = koers_test_add_participant (koers_context_get_store (f->context),
                                                    "Piotr Kowalski",
                                                    KOERS_MUNICIPALITY_WINTERSWIJK,
                                                    KOERS_TARGET_GROUP_LABOUR_MIGRANT,
                                                    KOERS_STATUS_INTAKE);
  g_autoptr(KoersParticipant) before = ptest_run (f->context, get_job, id);
  g_autoptr(KoersParticipant) after = NULL;

  open_editor (f, before);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (ptest_find_row (GTK_WIDGET (f->editor),
                                                                        "Name"))),
                   ==, "Piotr Kowalski");
  ptest_set_text (GTK_WIDGET (f->editor), "Preferred name", "Piotr");
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  g_assert_true (koers_test_wait_until (saved, f, 5000));
  g_assert_cmpstr (f->saved_id, ==, id);

  after = ptest_run (f->context, get_job, id);
  g_assert_cmpstr (koers_participant_get_preferred_name (after), ==, "Piotr");
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_INTAKE);
  g_assert_cmpuint (count_participants (f), ==, 1);
}

static gpointer
insert_job (KoersDatabase *db,
            gpointer       data,
            GCancellable  *cancellable,
            GError       **error)
{
  if (!koers_participant_repository_insert (db, data, "test-coach", error))
    return NULL;
  return g_strdup (koers_participant_get_id (data));
}

static char *
add_existing (Fixture *f)
{
  g_autoptr(KoersParticipant) p = koers_participant_new ();

  koers_participant_set_name (p, "Fatima El Amrani");
  koers_participant_set_birth_year (p, 1988);
  koers_participant_set_municipality (p, KOERS_MUNICIPALITY_DOETINCHEM);
  koers_participant_set_registered_on (p, "2026-01-05");
  return ptest_run (f->context, insert_job, p);
}

static void
test_duplicate_warning (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *existing = add_existing (f);
  AdwMessageDialog *dialog;

  open_editor (f, NULL);
  fill_valid (f);
  /* Same person written differently: case and spacing fold to the same key. */
  ptest_set_text (GTK_WIDGET (f->editor), "Name", "fatima  el amrani");
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);

  dialog = ADW_MESSAGE_DIALOG (ptest_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Fatima El Amrani"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1988"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "Doetinchem"));
  g_assert_true (adw_message_dialog_has_response (dialog, "open"));
  g_assert_true (adw_message_dialog_has_response (dialog, "cancel"));

  /* Nothing is written while the user decides. */
  koers_test_spin (100);
  g_assert_cmpuint (count_participants (f), ==, 1);
  g_assert_null (f->saved_id);

  adw_message_dialog_response (dialog, "create");
  g_assert_true (koers_test_wait_until (saved, f, 5000));
  g_assert_cmpstr (f->saved_id, !=, existing);
  g_assert_cmpuint (count_participants (f), ==, 2);
}

static void
test_duplicate_open_existing (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *existing = add_existing (f);
  AdwMessageDialog *dialog;

  open_editor (f, NULL);
  fill_valid (f);
  gtk_widget_activate_action (GTK_WIDGET (f->editor), "editor.save", NULL);
  dialog = ADW_MESSAGE_DIALOG (ptest_wait_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "open");
  koers_test_spin (50);
  g_assert_cmpstr (f->open_id, ==, existing);
  g_assert_null (f->editor);
  g_assert_cmpuint (count_participants (f), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  ptest_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/participant-editor/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-destroy", test_create_destroy);
  ADD ("invalid-birth-year", test_invalid_birth_year);
  ADD ("bidi-override-refused", test_bidi_override_refused);
  ADD ("valid-form-saves", test_valid_form_saves);
  ADD ("edit-existing", test_edit_existing);
  ADD ("duplicate-warning", test_duplicate_warning);
  ADD ("duplicate-open-existing", test_duplicate_open_existing);
#undef ADD

  return g_test_run ();
}
