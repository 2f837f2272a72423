/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test-coach-flow: the foundation issue's "done when", driven through the window's actions the
 * way a coach's keyboard drives them: Ctrl+N creates a participant, search finds them by a
 * partial, accent-less or Arabic query, a status change closes the trajectory and moves the
 * KPI strip, and a delete is undone from the toast.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "app/koers-caseload-model.h"
#include "caseload/koers-caseload-page.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "participant/koers-participant-editor.h"
#include "participant/koers-participant-page.h"
#include "participant/koers-status-dialog.h"
#include "test-participant-util.h"
#include "window/koers-window.h"

typedef struct
{
  KoersContext *context;
  KoersWindow  *window;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  KoersCaseloadModel *model;

  f->context = ptest_make_context ();
  f->window = koers_window_new (NULL, f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1200, 800);
  gtk_window_present (GTK_WINDOW (f->window));
  model = koers_caseload_page_get_model (
    KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (f->window)));
  g_assert_true (koers_test_wait_for_boolean (model, "loading", FALSE, 5000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->context);
}

static KoersCaseloadPage *
caseload (Fixture *f)
{
  return KOERS_CASELOAD_PAGE (koers_window_get_caseload_page (f->window));
}

static GtkWidget *
visible_page (Fixture *f)
{
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (f->window),
                                                              KOERS_TYPE_WINDOW,
                                                              "content_stack"));

  return gtk_stack_get_visible_child (stack);
}

static gboolean
participant_page_loaded (gpointer data)
{
  GtkWidget *page = visible_page (data);

  return KOERS_IS_PARTICIPANT_PAGE (page) &&
         koers_participant_page_get_loaded (KOERS_PARTICIPANT_PAGE (page));
}

/* Ctrl+N, fill the form as a coach types it, save: the new file opens. Returns its id. */
static char *
create_participant (Fixture    *f,
                    const char *name,
                    const char *birth_year)
{
  GtkWidget *editor;
  GtkWidget *municipality;
  KoersParticipantPage *page;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-participant",
                                             NULL));
  editor = ptest_wait_toplevel (KOERS_TYPE_PARTICIPANT_EDITOR);
  g_assert_nonnull (editor);
  koers_test_spin (50);

  ptest_set_text (editor, "Name", name);
  ptest_set_text (editor, "Birth year", birth_year);
  municipality = ptest_find_row (editor, "Municipality");
  adw_combo_row_set_selected (ADW_COMBO_ROW (municipality), KOERS_MUNICIPALITY_WINTERSWIJK);
  g_assert_true (gtk_widget_activate_action (editor, "editor.save", NULL));

  g_assert_true (koers_test_wait_until (participant_page_loaded, f, 5000));
  page = KOERS_PARTICIPANT_PAGE (visible_page (f));
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (page), name));
  return g_strdup (koers_participant_page_get_participant_id (page));
}

typedef struct
{
  Fixture *f;
  guint    n;
} CountWait;

static gboolean
caseload_shows (gpointer data)
{
  CountWait *wait = data;
  KoersCaseloadModel *model = koers_caseload_page_get_model (caseload (wait->f));

  return !koers_caseload_model_get_loading (model) &&
         g_list_model_get_n_items (G_LIST_MODEL (model)) == wait->n;
}

/* Types into the caseload's search entry (Ctrl+F focuses it) and waits for @n matches. */
static void
search (Fixture    *f,
        const char *text,
        guint       n)
{
  CountWait wait = { f, n };
  GtkWidget *entry;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.search", NULL));
  entry = gtk_root_get_focus (GTK_ROOT (f->window));
  /* The focus lands in the GtkText inside the search entry. */
  while (entry != NULL && !GTK_IS_SEARCH_ENTRY (entry))
    entry = gtk_widget_get_parent (entry);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  if (!koers_test_wait_until (caseload_shows, &wait, 5000))
    g_error ("searching “%s” shows %u participants, expected %u", text,
             g_list_model_get_n_items (G_LIST_MODEL (koers_caseload_page_get_model (caseload (f)))),
             n);
}

static void
back_to_caseload (Fixture *f)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL));
  g_assert_true (visible_page (f) == GTK_WIDGET (caseload (f)));
}

/* A label under @root whose text contains @text (KPI values carry bidi isolation marks). */
static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_mapped (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label_containing (child, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} TextWait;

static gboolean
text_shown (gpointer data)
{
  TextWait *wait = data;

  return has_label_containing (wait->root, wait->text);
}

static void
assert_shows (GtkWidget  *root,
              const char *text)
{
  TextWait wait = { root, text };

  if (!koers_test_wait_until (text_shown, &wait, 5000))
    g_error ("“%s” is not shown", text);
}

static void
change_status (KoersParticipantPage *page,
               KoersStatus           status)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "participant.change-status", "s",
                                             koers_status_to_id (status)));
}

/* The file's trajectory from registration to a job, as the coach records it. */
static void
close_out_with_work (Fixture    *f,
                     const char *id)
{
  KoersParticipantPage *page;
  GtkWidget *dialog;

  koers_window_open_participant (f->window, id);
  g_assert_true (koers_test_wait_until (participant_page_loaded, f, 5000));
  page = KOERS_PARTICIPANT_PAGE (visible_page (f));
  change_status (page, KOERS_STATUS_INTAKE);
  assert_shows (GTK_WIDGET (page), koers_status_label (KOERS_STATUS_INTAKE));
  change_status (page, KOERS_STATUS_ACTIVE);
  assert_shows (GTK_WIDGET (page), koers_status_label (KOERS_STATUS_ACTIVE));

  change_status (page, KOERS_STATUS_COMPLETED);
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  g_assert_nonnull (dialog);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ptest_find_row (dialog, "Outcome")),
                              KOERS_OUTCOME_WORK);
  ptest_set_text (dialog, "Outcome date", "27-11-2026");
  g_assert_true (gtk_widget_activate_action (dialog, "form.save", NULL));
  assert_shows (GTK_WIDGET (page), koers_status_label (KOERS_STATUS_COMPLETED));
  back_to_caseload (f);
}

static void
test_coach_flow (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *ozlem = NULL;
  g_autofree char *mohammed = NULL;
  KoersParticipantPage *page;

  /* Create two participants through the form, in Latin and Arabic script. */
  ozlem = create_participant (f, "Özlem Yılmaz", "1984");
  back_to_caseload (f);
  mohammed = create_participant (f, "محمد العلي", "1990");
  back_to_caseload (f);

  /* Find them by a partial, an accent-less and an Arabic query. */
  search (f, "", 2);
  search (f, "yilm", 1);
  search (f, "OZLEM", 1);
  search (f, "ozl", 1);
  search (f, "محمد", 1);
  search (f, "مُحَمَّد", 1);   /* with vowel marks, as some keyboards type it */
  search (f, "zzzz", 0);
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (caseload (f)), "No Matches"));

  /* Delete from the participant page; the toast's undo brings the file back. */
  search (f, "yilm", 1);
  koers_window_open_participant (f->window, ozlem);
  g_assert_true (koers_test_wait_until (participant_page_loaded, f, 5000));
  page = KOERS_PARTICIPANT_PAGE (visible_page (f));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "participant.delete", NULL));
  search (f, "yilm", 0);
  g_assert_true (visible_page (f) == GTK_WIDGET (caseload (f)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s",
                                             ozlem));
  search (f, "yilm", 1);
  search (f, "", 2);

  /* Close out a trajectory: the KPI strip follows the data. Both are status holders (the
   * form's first target group), so guidance starting counts for the migrants' 75. */
  assert_shows (GTK_WIDGET (caseload (f)), "0 / 75");
  assert_shows (GTK_WIDGET (caseload (f)), "– / 60%");
  close_out_with_work (f, mohammed);
  assert_shows (GTK_WIDGET (caseload (f)), "1 / 75");
  assert_shows (GTK_WIDGET (caseload (f)), "100% / 60%");
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("KOERS_TODAY", "2026-11-28", TRUE);
  ptest_init (&argc, &argv);

  g_test_add ("/coach-flow/create-find-delete-undo", Fixture, NULL, fixture_set_up,
              test_coach_flow, fixture_tear_down);

  return g_test_run ();
}
