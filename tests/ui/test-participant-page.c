/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "app/koers-sync-service.h"
#include "core/koers-status.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-participant-page.h"
#include "participant/koers-participant-page-private.h"
#include "participant/koers-status-dialog.h"
#include "storage/koers-activity-repository.h"
#include "storage/koers-audit.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"

#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "test-participant-util.h"

#include <string.h>

typedef struct {
  KoersContext         *context;
  char                 *id;
  GtkWindow            *window;
  KoersParticipantPage *page;
  char                 *deleted_id;
  char                 *deleted_name;
  AdwToast             *toast;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->context = ptest_make_context ();
}

static gboolean
page_gone (gpointer data)
{
  return ((Fixture *) data)->page == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (f->window);
  /* A read the last change started still holds the page until its callback. */
  g_assert_true (koers_test_wait_until (page_gone, f, 5000));
  g_clear_object (&f->context);
  g_free (f->id);
  g_free (f->deleted_id);
  g_free (f->deleted_name);
  g_clear_object (&f->toast);
}

static void
add_participant (Fixture     *f,
                 const char  *name,
                 KoersStatus  status)
{
  f->id = koers_test_add_participant (koers_context_get_store (f->context), name,
                                      KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK,
                                      KOERS_TARGET_GROUP_STATUSHOLDER, status);
}

static void
on_deleted (KoersParticipantPage *page,
            const char           *id,
            const char           *name,
            Fixture              *f)
{
  f->deleted_id = g_strdup (id);
  f->deleted_name = g_strdup (name);
}

static void
on_toast (KoersParticipantPage *page,
          AdwToast             *toast,
          Fixture              *f)
{
  g_set_object (&f->toast, toast);
}

static void
open_page (Fixture *f)
{
  f->window = GTK_WINDOW (adw_window_new ());
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_set_default_size (f->window, 900, 1500);
  f->page = koers_participant_page_new (f->context, f->id);
  g_object_add_weak_pointer (G_OBJECT (f->page), (gpointer *) &f->page);
  g_signal_connect (f->page, "deleted", G_CALLBACK (on_deleted), f);
  g_signal_connect (f->page, "add-toast", G_CALLBACK (on_toast), f);
  adw_window_set_content (ADW_WINDOW (f->window), GTK_WIDGET (f->page));
  gtk_window_present (f->window);
  g_assert_true (koers_test_wait_for_boolean (f->page, "loaded", TRUE, 5000));
}

/* --- database reads for assertions ------------------------------------------------------ */

static gpointer
get_job (KoersDatabase *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  return koers_participant_repository_get (db, data, "test-coach", "test", error);
}

static KoersParticipant *
stored (Fixture *f)
{
  return ptest_run (f->context, get_job, f->id);
}

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
add_note (Fixture    *f,
          const char *body)
{
  NoteSeed seed = { f->id, body, KOERS_NOTE_KIND_CONVERSATION };

  return ptest_run (f->context, add_note_job, &seed);
}

static gboolean
page_shows (gpointer data)
{
  Fixture *f = data;

  return ptest_find_label (GTK_WIDGET (f->page), g_object_get_data (G_OBJECT (f->page), "want"))
         != NULL;
}

static gboolean
wait_for_text (Fixture    *f,
               const char *text)
{
  g_object_set_data_full (G_OBJECT (f->page), "want", g_strdup (text), g_free);
  return koers_test_wait_until (page_shows, f, 5000);
}

static void
set_note_text (GtkWidget  *dialog,
               const char *text)
{
  GtkWidget *view = ptest_find_type (dialog, GTK_TYPE_TEXT_VIEW);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text, -1);
}

static gboolean
no_toplevel (gpointer data)
{
  return ptest_find_toplevel (*(GType *) data) == NULL;
}

static void
save_dialog (GtkWidget *dialog)
{
  GType type = G_OBJECT_TYPE (dialog);

  gtk_widget_activate_action (dialog, "form.save", NULL);
  g_assert_true (koers_test_wait_until (no_toplevel, &type, 5000));
}

/* --- tests ---------------------------------------------------------------------------- */

static void
test_create_destroy (Fixture       *f,
                     gconstpointer  data)
{
  add_participant (f, "Yonas Tesfay", KOERS_STATUS_INTAKE);
  open_page (f);
  g_assert_cmpstr (koers_participant_page_get_participant_id (f->page), ==, f->id);
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "Yonas Tesfay"));
  /* An empty file says so instead of showing nothing. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "No notes yet"));
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "No activities yet"));
}

static void
test_shows_notes (Fixture       *f,
                  gconstpointer  data)
{
  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  g_free (add_note (f, "Intake done; wants to work in logistics."));
  open_page (f);
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "wants to work in logistics"));
  /* Kind, date in the user's style and the author. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "j.devries"));
  g_assert_null (ptest_find_label (GTK_WIDGET (f->page), "No notes yet"));
}

static void
test_add_note (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) notes = NULL;
  GtkWidget *dialog;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  open_page (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.add-note", NULL);
  dialog = ptest_wait_toplevel (KOERS_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  set_note_text (dialog, "Phoned about the proeverij in zorg.\nShe will go on Monday.");
  save_dialog (dialog);

  g_assert_true (wait_for_text (f, "She will go on Monday"));
  notes = ptest_run (f->context, notes_job, f->id);
  g_assert_cmpuint (notes->len, ==, 1);
  g_assert_cmpstr (((KoersNote *) notes->pdata[0])->body, ==,
                   "Phoned about the proeverij in zorg.\nShe will go on Monday.");
  g_assert_cmpstr (((KoersNote *) notes->pdata[0])->occurred_on, ==, "2026-11-28");
}

static void
test_edit_note (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *note_id = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  GtkWidget *dialog;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  note_id = add_note (f, "First text");
  open_page (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.edit-note", "s", note_id);
  dialog = ptest_wait_toplevel (KOERS_TYPE_NOTE_DIALOG);
  g_assert_nonnull (dialog);
  set_note_text (dialog, "Corrected text");
  save_dialog (dialog);

  g_assert_true (wait_for_text (f, "Corrected text"));
  /* The page says the note was edited and keeps the earlier text reachable. */
  g_assert_nonnull (ptest_find_label (GTK_WIDGET (f->page), "Edited: 1 earlier version"));
  revisions = ptest_run (f->context, revisions_job, note_id);
  g_assert_cmpuint (revisions->len, ==, 2);
  g_assert_cmpstr (((KoersNote *) revisions->pdata[0])->body, ==, "First text");
  g_assert_cmpstr (((KoersNote *) revisions->pdata[1])->body, ==, "Corrected text");
}

static void
test_refused_transition (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  g_autofree char *reason = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  open_page (f);
  g_assert_false (koers_status_check_transition (KOERS_STATUS_REGISTERED,
                                                 KOERS_STATUS_AFTERCARE,
                                                 KOERS_OUTCOME_UNKNOWN, &reason));
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_AFTERCARE));
  koers_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->page->status_message)));
  g_assert_cmpstr (gtk_label_get_text (f->page->status_message), ==, reason);

  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_REGISTERED);
}

static void
test_next_step (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  open_page (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_INTAKE));
  g_assert_true (wait_for_text (f, koers_status_label (KOERS_STATUS_INTAKE)));
  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_INTAKE);
}

static void
test_complete_with_outcome (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  GtkWidget *dialog;
  GtkWidget *outcome;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  open_page (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_COMPLETED));
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  g_assert_nonnull (dialog);
  outcome = ptest_find_row (dialog, "Outcome");
  adw_combo_row_set_selected (ADW_COMBO_ROW (outcome), KOERS_OUTCOME_EDUCATION);
  ptest_set_text (dialog, "Outcome date", "02-11-2026");
  save_dialog (dialog);

  g_assert_true (koers_test_wait_for_boolean (f->page->status_button, "sensitive", FALSE, 5000));
  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_COMPLETED);
  g_assert_cmpint (koers_participant_get_outcome (after), ==, KOERS_OUTCOME_EDUCATION);
  g_assert_cmpstr (koers_participant_get_outcome_date (after), ==, "2026-11-02");
}

static void
test_complete_needs_outcome (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  GtkWidget *dialog;
  GtkWidget *outcome;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  open_page (f);
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

  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_ACTIVE);
}

static gboolean
deleted (gpointer data)
{
  return ((Fixture *) data)->deleted_id != NULL;
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  open_page (f);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.delete", NULL);
  g_assert_true (koers_test_wait_until (deleted, f, 5000));
  g_assert_cmpstr (f->deleted_id, ==, f->id);
  g_assert_cmpstr (f->deleted_name, ==, "Yonas Tesfay");
  after = stored (f);
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
test_open_is_audited (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) events_after_refresh = NULL;
  guint opened = 0;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  g_settings_set_string (koers_context_get_settings (f->context), "audit-purpose",
                         "Intake review");
  open_page (f);
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

/* --- removing with undo, accessible names ---------------------------------------------------- */

typedef struct {
  char *activity_id;
  char *skill_id;
} FileSeed;

static gpointer
seed_file_job (KoersDatabase *db,
               gpointer       data,
               GCancellable  *cancellable,
               GError       **error)
{
  const char *id = data;
  g_autoptr(KoersActivity) activity = koers_activity_new ();
  g_autoptr(KoersSkill) skill = koers_skill_new ();
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  g_autoptr(KoersNote) note = koers_note_new ();
  FileSeed *seed;

  activity->participant_id = g_strdup (id);
  activity->kind = KOERS_ACTIVITY_PROEVERIJ;
  activity->title = g_strdup ("Meeloopdag Slingeland Ziekenhuis");
  activity->sector = KOERS_SECTOR_ZORG;
  activity->started_on = g_strdup ("2026-10-12");
  skill->participant_id = g_strdup (id);
  skill->label = g_strdup ("Heftruck rijden");
  skill->isco_code = g_strdup ("8344");
  consent->participant_id = g_strdup (id);
  consent->scope = KOERS_CONSENT_SCOPE_PROGRAMME;
  consent->given_on = g_strdup ("2026-09-01");
  note->participant_id = g_strdup (id);
  note->kind = KOERS_NOTE_KIND_CONVERSATION;
  note->occurred_on = g_strdup ("2026-11-20");
  note->body = g_strdup ("Intake done.");
  if (!koers_activity_repository_insert (db, activity, "j.devries", error)
      || !koers_skill_repository_insert (db, skill, "j.devries", error)
      || !koers_consent_repository_give (db, consent, "j.devries", error)
      || !koers_note_repository_add (db, note, "j.devries", error))
    return NULL;
  seed = g_new0 (FileSeed, 1);
  seed->activity_id = g_strdup (activity->meta.id);
  seed->skill_id = g_strdup (skill->meta.id);
  return seed;
}

static void
file_seed_free (FileSeed *seed)
{
  g_free (seed->activity_id);
  g_free (seed->skill_id);
  g_free (seed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileSeed, file_seed_free)

static gboolean
page_lacks (gpointer data)
{
  Fixture *f = data;

  return ptest_find_label (GTK_WIDGET (f->page), g_object_get_data (G_OBJECT (f->page), "gone"))
         == NULL;
}

static gboolean
wait_for_no_text (Fixture    *f,
                  const char *text)
{
  g_object_set_data_full (G_OBJECT (f->page), "gone", g_strdup (text), g_free);
  return koers_test_wait_until (page_lacks, f, 5000);
}

static gboolean
has_toast (gpointer data)
{
  return ((Fixture *) data)->toast != NULL;
}

/* Removing asks nothing; the toast says what went and undoes it. */
static void
remove_and_undo (Fixture    *f,
                 const char *action,
                 const char *id,
                 const char *shown,
                 const char *toast_words)
{
  g_assert_true (wait_for_text (f, shown));
  g_clear_object (&f->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), action, "s", id));
  g_assert_true (wait_for_no_text (f, shown));
  g_assert_true (koers_test_wait_until (has_toast, f, 5000));
  g_assert_nonnull (strstr (adw_toast_get_title (f->toast), toast_words));
  g_assert_nonnull (strstr (adw_toast_get_title (f->toast), shown));
  g_assert_cmpstr (adw_toast_get_button_label (f->toast), ==, "_Undo");

  g_signal_emit_by_name (f->toast, "button-clicked");
  g_assert_true (wait_for_text (f, shown));
}

static gpointer
list_activities_job (KoersDatabase *db,
                     gpointer       data,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return koers_activity_repository_list (db, data, error);
}

static void
test_remove_activity_undo (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(FileSeed) seed = NULL;
  g_autoptr(GPtrArray) activities = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = ptest_run (f->context, seed_file_job, f->id);
  open_page (f);
  remove_and_undo (f, "participant.remove-activity", seed->activity_id,
                   "Meeloopdag Slingeland Ziekenhuis", "removed");
  activities = ptest_run (f->context, list_activities_job, f->id);
  g_assert_cmpuint (activities->len, ==, 1);
}

static void
test_remove_skill_undo (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(FileSeed) seed = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = ptest_run (f->context, seed_file_job, f->id);
  open_page (f);
  remove_and_undo (f, "participant.remove-skill", seed->skill_id, "Heftruck rijden",
                   "removed");
}

static gboolean
summary_shows_status (gpointer data)
{
  Fixture *f = data;
  const char *want = g_object_get_data (G_OBJECT (f->page), "status");

  return g_str_has_prefix (gtk_label_get_text (f->page->summary_label), want);
}

/* The line under the name starts with the status. */
static gboolean
wait_for_status (Fixture     *f,
                 KoersStatus  status)
{
  g_object_set_data_full (G_OBJECT (f->page), "status",
                          g_strconcat (koers_status_label (status), " · ", NULL), g_free);
  return koers_test_wait_until (summary_shows_status, f, 5000);
}

/* Gives the fixture's context a sync service (never started), as the app has. */
static KoersSyncService *
add_sync_service (Fixture *f)
{
  KoersStore *store = koers_context_get_store (f->context);
  g_autoptr(KoersSyncService) service = koers_sync_service_new (store);
  g_autoptr(KoersContext) context = koers_context_new_full (store,
                                                            koers_context_get_settings (f->context),
                                                            service);

  g_set_object (&f->context, context);
  return service;
}

static gboolean
sync_released (gpointer data)
{
  return !koers_sync_service_get_held (data);
}

/* A status step is written at once; the toast that follows takes it back. While the toast
 * shows, the sync the write would start is held back, so the undo can still cancel the step
 * on this computer (the server's workflow has no step back). */
static void
test_status_change_undo (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  KoersSyncService *sync = add_sync_service (f);

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  open_page (f);
  g_assert_true (wait_for_status (f, KOERS_STATUS_REGISTERED));
  g_clear_object (&f->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status",
                                             "s", koers_status_to_id (KOERS_STATUS_INTAKE)));
  g_assert_true (wait_for_status (f, KOERS_STATUS_INTAKE));
  g_assert_true (koers_test_wait_until (has_toast, f, 5000));
  g_assert_cmpstr (adw_toast_get_title (f->toast), ==, "Status changed to Intake");
  g_assert_cmpstr (adw_toast_get_button_label (f->toast), ==, "_Undo");
  g_assert_true (koers_sync_service_get_held (sync));
  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_INTAKE);
  g_clear_object (&after);

  /* What the window's toast overlay does on a click (the test has no overlay). */
  g_signal_emit_by_name (f->toast, "button-clicked");
  g_signal_emit_by_name (f->toast, "dismissed");
  g_assert_true (wait_for_status (f, KOERS_STATUS_REGISTERED));
  g_assert_true (koers_test_wait_until (sync_released, sync, 5000));
  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_REGISTERED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->page->status_message)));
}

/* Completing through the status dialog offers the same undo; it forgets the outcome too. */
static void
test_complete_undo (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  KoersSyncService *sync = add_sync_service (f);
  GtkWidget *dialog;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  open_page (f);
  g_clear_object (&f->toast);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_COMPLETED));
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  g_assert_nonnull (dialog);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ptest_find_row (dialog, "Outcome")),
                              KOERS_OUTCOME_EDUCATION);
  ptest_set_text (dialog, "Outcome date", "02-11-2026");
  save_dialog (dialog);
  g_assert_true (wait_for_status (f, KOERS_STATUS_COMPLETED));
  g_assert_true (koers_test_wait_until (has_toast, f, 5000));
  g_assert_cmpstr (adw_toast_get_title (f->toast), ==, "Status changed to Completed");
  g_assert_true (koers_sync_service_get_held (sync));

  /* What the window's toast overlay does on a click (the test has no overlay). */
  g_signal_emit_by_name (f->toast, "button-clicked");
  g_signal_emit_by_name (f->toast, "dismissed");
  g_assert_true (wait_for_status (f, KOERS_STATUS_ACTIVE));
  g_assert_true (koers_test_wait_until (sync_released, sync, 5000));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (f->page->status_button)));
  after = stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_ACTIVE);
  g_assert_cmpint (koers_participant_get_outcome (after), ==, KOERS_OUTCOME_UNKNOWN);
  g_assert_null (koers_participant_get_outcome_date (after));
}

/* Every control on a full file has a name a screen reader can say, also the edit and remove
 * buttons built for each row. */
static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(FileSeed) seed = NULL;

  add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = ptest_run (f->context, seed_file_job, f->id);
  open_page (f);
  g_assert_true (wait_for_text (f, "Heftruck rijden"));
  g_assert_nonnull (ptest_find_action (GTK_WIDGET (f->page), "participant.remove-skill"));
  g_assert_nonnull (ptest_find_action (GTK_WIDGET (f->page), "participant.withdraw-consent"));
  koers_test_assert_accessible_names (GTK_WIDGET (f->page));
}

int
main (int   argc,
      char *argv[])
{
  /* The test accessibility backend, so the accessible-names test can read labels back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  ptest_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/participant-page/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("create-destroy", test_create_destroy);
  ADD ("shows-notes", test_shows_notes);
  ADD ("add-note", test_add_note);
  ADD ("edit-note", test_edit_note);
  ADD ("refused-transition", test_refused_transition);
  ADD ("next-step", test_next_step);
  ADD ("complete-with-outcome", test_complete_with_outcome);
  ADD ("complete-needs-outcome", test_complete_needs_outcome);
  ADD ("delete", test_delete);
  ADD ("open-is-audited", test_open_is_audited);
  ADD ("remove-activity-undo", test_remove_activity_undo);
  ADD ("remove-skill-undo", test_remove_skill_undo);
  ADD ("status-change-undo", test_status_change_undo);
  ADD ("complete-undo", test_complete_undo);
  ADD ("accessible-names", test_accessible_names);
#undef ADD

  return g_test_run ();
}
