/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "test-participant-page-util.h"

#include "storage/koers-activity-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"

#include "koers-ui-test-helpers.h"
#include "test-participant-util.h"

void
page_test_init (int    *argc,
                char ***argv)
{
  /* The test accessibility backend, so the accessible-names test can read labels back. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  ptest_init (argc, argv);
}

void
page_fixture_set_up (PageFixture   *f,
                     gconstpointer  data)
{
  f->context = ptest_make_context ();
}

static gboolean
page_gone (gpointer data)
{
  return ((PageFixture *) data)->page == NULL;
}

void
page_fixture_tear_down (PageFixture   *f,
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

void
page_test_add_participant (PageFixture *f,
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
            PageFixture          *f)
{
  f->deleted_id = g_strdup (id);
  f->deleted_name = g_strdup (name);
}

static void
on_toast (KoersParticipantPage *page,
          AdwToast             *toast,
          PageFixture          *f)
{
  g_set_object (&f->toast, toast);
}

void
page_test_open (PageFixture *f)
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

static gpointer
get_job (KoersDatabase *db,
         gpointer       data,
         GCancellable  *cancellable,
         GError       **error)
{
  return koers_participant_repository_get (db, data, "test-coach", "test", error);
}

KoersParticipant *
page_test_stored (PageFixture *f)
{
  return ptest_run (f->context, get_job, f->id);
}

typedef struct {
  PageFixture *f;
  const char  *text;
  gboolean     shown;  /* wait until a label has the text, or until none has */
} TextWait;

static gboolean
text_as_wanted (gpointer data)
{
  TextWait *wait = data;

  return (ptest_find_label (GTK_WIDGET (wait->f->page), wait->text) != NULL) == wait->shown;
}

gboolean
page_test_wait_for_text (PageFixture *f,
                         const char  *text)
{
  TextWait wait = { f, text, TRUE };

  return koers_test_wait_until (text_as_wanted, &wait, 5000);
}

gboolean
page_test_wait_for_no_text (PageFixture *f,
                            const char  *text)
{
  TextWait wait = { f, text, FALSE };

  return koers_test_wait_until (text_as_wanted, &wait, 5000);
}

static gboolean
no_toplevel (gpointer data)
{
  return ptest_find_toplevel (*(GType *) data) == NULL;
}

void
page_test_save_dialog (GtkWidget *dialog)
{
  GType type = G_OBJECT_TYPE (dialog);

  gtk_widget_activate_action (dialog, "form.save", NULL);
  g_assert_true (koers_test_wait_until (no_toplevel, &type, 5000));
}

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
  PageFileSeed *seed;

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
  seed = g_new0 (PageFileSeed, 1);
  seed->activity_id = g_strdup (activity->meta.id);
  seed->skill_id = g_strdup (skill->meta.id);
  return seed;
}

PageFileSeed *
page_test_seed_full_file (PageFixture *f)
{
  return ptest_run (f->context, seed_file_job, f->id);
}

void
page_file_seed_free (PageFileSeed *seed)
{
  g_free (seed->activity_id);
  g_free (seed->skill_id);
  g_free (seed);
}
