/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The participant page: what it shows of a file, notes added and edited, status steps through
 * its actions and the status dialog, deleting, the audit of opening it, and accessible names.
 * Undo (of a removal or a status step) is in test-participant-page-undo.c. */
#include "config.h"

#include "core/koers-status.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-participant-page-private.h"
#include "participant/koers-status-dialog.h"
#include "storage/koers-audit.h"
#include "storage/koers-note-repository.h"

#include "koers-ui-test-helpers.h"
#include "test-participant-page-util.h"
#include "test-participant-util.h"

/* --- database reads and writes for assertions ------------------------------------------- */

static gpointer
notes_job (KoersDatabase *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return koers_note_repository_list_for_participant (db, data, error);
}

static gpointer
revisions_job (KoersDatabase *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  return koers_note_repository_list_revisions (db, data, error);
}

typedef struct {
  const char   *participant_id;
  const char   *body;
  KoersNoteKind kind;
} NoteSeed;

static gpointer
add_note_job (KoersDatabase *db,
              gpointer       data,
              GCancellable  *cancellable,
              GError       **error)
{
  NoteSeed *seed = data;
  g_autoptr(KoersNote) note = koers_note_new ();

  note->participant_id = g_strdup (seed->participant_id);
  note->kind = seed->kind;
  note->occurred_on = g_strdup ("2026-11-20");
  note->body = g_strdup (seed->body);
  if (!koers_note_repository_add (db, note, "j.devries", error))
    return NULL;
  return g_strdup (note->meta.id);
}

static char *
add_note (PageFixture *f,
          const char  *body)
{
  NoteSeed seed = { f->id, body, KOERS_NOTE_KIND_CONVERSATION };

  return ptest_run (f->context, add_note_job, &seed);
}

static void
set_note_text (GtkWidget  *dialog,
               const char *text)
{
  GtkWidget *view = ptest_find_type (dialog, GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

/* --- tests ---------------------------------------------------------------------------- */

static void
test_create_destroy (PageFixture   *f,
                     gconstpointer  data)
{
  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_INTAKE);
  page_test_open (f);
  g_assert_cmpstr (koers_participant_page_get_participant_id (f->page), ==, f->id);
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "Yonas Tesfay"));
  /* An empty file says so instead of showing nothing. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "No notes yet"));
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "No activities yet"));
}

static void
test_shows_notes (PageFixture   *f,
                  gconstpointer  data)
{
  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  g_free (add_note (f, "Intake done; wants to work in logistics."));
  page_test_open (f);
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "wants to work in logistics"));
  /* Kind, date in the user's style and the author. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "j.devries"));
  g_assert_null (ptest_find_label (GTK_WIDGET (f->page), "No notes yet"));
}

static void
test_add_note (PageFixture   *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = NULL;
  GtkWidget *dialog;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.add-note", NULL);
  dialog = ptest_wait_toplevel (KOERS_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  set_note_text (dialog, "Phoned about the proeverij in zorg.\nShe will go on Monday.");
  page_test_save_dialog (dialog);

  g_assert_true (page_test_wait_for_text (f, "She will go on Monday"));
  notes = ptest_run (f->context, notes_job, f->id);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((KoersNote *) notes->pdata[0])->body, ==,
                   "Phoned about the proeverij in zorg.\nShe will go on Monday.");
  g_assert_cmpstr (((KoersNote *) notes->pdata[0])->occurred_on, ==, "2026-11-28");
}

/* A note with a BSN-like number says why at once and cannot be saved; taking the number out
 * lets it save. The server would refuse it days later otherwise. */
static void
test_note_with_bsn (PageFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = NULL;
  GtkWidget *dialog;
  GtkWidget *message;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.add-note", NULL);
  dialog = ptest_wait_toplevel (KOERS_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  set_note_text (dialog, "Zijn nummer bij de gemeente is 111222333.");
  message = ptest_find_label (dialog, "citizen service number (BSN)");
  g_assert_nonnull (message);
  g_assert_true (gtk_widget_get_visible (message));
  g_assert_null (ptest_find_label (dialog, "111222333."));
  g_assert_nonnull (ptest_find_action (dialog, "form.save"));
  g_assert_false (gtk_widget_is_sensitive (ptest_find_action (dialog, "form.save")));

  set_note_text (dialog, "Nummer bij de gemeente opgevraagd.");
  g_assert_false (gtk_widget_get_visible (message));
  page_test_save_dialog (dialog);
  g_assert_true (page_test_wait_for_text (f, "Nummer bij de gemeente opgevraagd."));
  notes = ptest_run (f->context, notes_job, f->id);
  g_assert_cmpuint (notes->len, ==, 1);
}

static void
test_edit_note (PageFixture   *f,
                gconstpointer  data)
{
  g_autofree char *note_id = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  GtkWidget *dialog;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  note_id = add_note (f, "First text");
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.edit-note", "s", note_id);
  dialog = ptest_wait_toplevel (KOERS_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  set_note_text (dialog, "Corrected text");
  page_test_save_dialog (dialog);

  g_assert_true (page_test_wait_for_text (f, "Corrected text"));
  /* The page says the note was edited and keeps the earlier text reachable. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "Edited: 1 earlier version"));
  revisions = ptest_run (f->context, revisions_job, note_id);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpstr (((KoersNote *) revisions->pdata[0])->body, ==, "First text");
  g_assert_cmpstr (((KoersNote *) revisions->pdata[1])->body, ==, "Corrected text");
}

static void
test_refused_transition (PageFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  g_autofree char *reason = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  page_test_open (f);
  g_assert_false (koers_status_check_transition (KOERS_STATUS_REGISTERED,
                                                 KOERS_STATUS_AFTERCARE,
                                                 KOERS_OUTCOME_UNKNOWN, &reason));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_AFTERCARE));
  koers_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->page->status_message)));
  g_assert_cmpstr (gtk_label_get_text (f->page->status_message), ==, reason);

  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_REGISTERED);
}

static void
test_next_step (PageFixture   *f,
                gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_INTAKE));
  g_assert_true (page_test_wait_for_text (f, koers_status_label (KOERS_STATUS_INTAKE)));
  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_INTAKE);
}

static void
test_complete_with_outcome (PageFixture   *f,
                            gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  GtkWidget *dialog;
  GtkWidget *outcome;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_COMPLETED));
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  g_assert_nonnull (dialog);
  outcome = ptest_find_row (dialog, "Outcome");
  adw_combo_row_set_selected (ADW_COMBO_ROW (outcome), KOERS_OUTCOME_EDUCATION);
  ptest_set_text (dialog, "Outcome date", "02-11-2026");
  page_test_save_dialog (dialog);

  g_assert_true (koers_test_wait_for_boolean (f->page->status_button, "sensitive", FALSE, 5000));
  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_COMPLETED);
  g_assert_cmpint (koers_participant_get_outcome (after), ==, KOERS_OUTCOME_EDUCATION);
  g_assert_cmpstr (koers_participant_get_outcome_date (after), ==, "2026-11-02");
}

static void
test_complete_needs_outcome (PageFixture   *f,
                             gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  GtkWidget *dialog;
  GtkWidget *outcome;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_COMPLETED));
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  outcome = ptest_find_row (dialog, "Outcome");
  adw_combo_row_set_selected (ADW_COMBO_ROW (outcome), KOERS_OUTCOME_UNKNOWN);
  g_assert_nonnull (ptest_row_message (outcome));
  gtk_widget_activate_action (dialog, "form.save", NULL);
  koers_test_spin (200);
  g_assert_nonnull (ptest_find_toplevel (KOERS_TYPE_STATUS_DIALOG));
  gtk_window_destroy (GTK_WINDOW (dialog));

  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_ACTIVE);
}

static gboolean
deleted (gpointer data)
{
  return ((PageFixture *) data)->deleted_id != NULL;
}

static void
test_delete (PageFixture   *f,
             gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.delete", NULL);
  g_assert_true (koers_test_wait_until (deleted, f, 5000));
  g_assert_cmpstr (f->deleted_id, ==, f->id);
  g_assert_cmpstr (f->deleted_name, ==, "Yonas Tesfay");
  after = page_test_stored (f);
  g_assert_true (koers_participant_get_deleted (after));
}

static gpointer
audit_job (KoersDatabase *db,
           gpointer       data,
           GCancellable  *cancellable,
           GError       **error)
{
  return koers_audit_list_for_object (db, "participant", data, error);
}

static void
test_open_is_audited (PageFixture   *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events_after_refresh = NULL;
  guint opened = 0;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  g_settings_set_string (koers_context_get_settings (f->context), "audit-purpose",
                         "Intake review");
  page_test_open (f);
  events = ptest_run (f->context, audit_job, f->id);
  for (guint i = 0; i < events->len; i++)
    {
      KoersAuditEvent *event = g_ptr_array_index (events, i);

      if (event->action == KOERS_AUDIT_ACTION_OPEN)
        {
          g_assert_cmpstr (event->purpose, ==, "Intake review");
          g_assert_cmpstr (event->actor, ==, koers_context_get_actor (f->context));
          opened++;
        }
    }
  g_assert_cmpuint (opened, ==, 1);

  /* A refresh of the open page (after any change) re-reads the file but is not a second
   * opening: the audit trail must not fill up with OPEN events. The store runs jobs in order,
   * so the audit read below runs after the page's refresh. */
  koers_store_emit_changed (koers_context_get_store (f->context), "notes");
  events_after_refresh = ptest_run (f->context, audit_job, f->id);
  g_assert_cmpuint (events_after_refresh->len, ==, events->len);
}

/* Every control on a full file has a name a screen reader can say, also the edit and remove
 * buttons built for each row. */
static void
test_accessible_names (PageFixture   *f,
                       gconstpointer  data)
{
  g_autoptr(PageFileSeed) seed = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = page_test_seed_full_file (f);
  page_test_open (f);
  g_assert_true (page_test_wait_for_text (f, "Heftruck rijden"));
  g_assert_nonnull (ptest_find_action (GTK_WIDGET (f->page), "participant.remove-skill"));
  g_assert_nonnull (ptest_find_action (GTK_WIDGET (f->page), "participant.withdraw-consent"));
  koers_test_assert_accessible_names (GTK_WIDGET (f->page));
}

int
main (int   argc,
      char *argv[])
{
  page_test_init (&argc, &argv);

  PAGE_TEST_ADD ("create-destroy", test_create_destroy);
  PAGE_TEST_ADD ("shows-notes", test_shows_notes);
  PAGE_TEST_ADD ("add-note", test_add_note);
  PAGE_TEST_ADD ("note-with-bsn", test_note_with_bsn);
  PAGE_TEST_ADD ("edit-note", test_edit_note);
  PAGE_TEST_ADD ("refused-transition", test_refused_transition);
  PAGE_TEST_ADD ("next-step", test_next_step);
  PAGE_TEST_ADD ("complete-with-outcome", test_complete_with_outcome);
  PAGE_TEST_ADD ("complete-needs-outcome", test_complete_needs_outcome);
  PAGE_TEST_ADD ("delete", test_delete);
  PAGE_TEST_ADD ("open-is-audited", test_open_is_audited);
  PAGE_TEST_ADD ("accessible-names", test_accessible_names);

  return g_test_run ();
}
