/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Renders a participant's page (notes, an activity, a skill, consent) in one language and saves
 * $KOERS_SCREENSHOT_DIR/participant-<lang>.png. Run once per language, like test-screenshots:
 * gettext reads $LANGUAGE once per process, so a language switch inside one run would keep
 * showing the first language's messages.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-i18n.h"
#include "participant/koers-participant-page.h"
#include "storage/koers-activity-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-skill-repository.h"

#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "koers-screenshot-helpers.h"
#include "test-participant-util.h"

static const char *language;

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
  g_autoptr(KoersNote) visit = koers_note_new ();
  g_autoptr(KoersNote) intake = koers_note_new ();

  activity->participant_id = g_strdup (id);
  activity->kind = KOERS_ACTIVITY_PROEVERIJ;
  activity->title = g_strdup ("Meeloopdag Slingeland Ziekenhuis");
  activity->sector = KOERS_SECTOR_ZORG;
  activity->started_on = g_strdup ("2026-10-12");
  activity->ended_on = g_strdup ("2026-10-12");
  skill->participant_id = g_strdup (id);
  skill->label = g_strdup ("Heftruck rijden");
  skill->competentnl_code = g_strdup ("CNL-1234");
  skill->isco_code = g_strdup ("8344");
  skill->nlqf_level = 2;
  skill->validated_by = g_strdup ("Werkcentrum Achterhoek");
  consent->participant_id = g_strdup (id);
  consent->scope = KOERS_CONSENT_SCOPE_PROGRAMME;
  consent->given_on = g_strdup ("2026-09-01");
  visit->participant_id = g_strdup (id);
  visit->kind = KOERS_NOTE_KIND_HOME_VISIT;
  visit->occurred_on = g_strdup ("2026-11-20");
  visit->body = g_strdup ("Huisbezoek: wil graag in de zorg werken. "
                          "تريد العمل في مجال الرعاية.");
  intake->participant_id = g_strdup (id);
  intake->kind = KOERS_NOTE_KIND_CONVERSATION;
  intake->occurred_on = g_strdup ("2026-11-20");
  intake->body = g_strdup ("Intake: spreekt Arabisch en wat Nederlands (A2).");
  if (!koers_activity_repository_insert (db, activity, "j.devries", error)
      || !koers_skill_repository_insert (db, skill, "j.devries", error)
      || !koers_consent_repository_give (db, consent, "j.devries", error)
      || !koers_note_repository_add (db, visit, "j.devries", error)
      || !koers_note_repository_add (db, intake, "j.devries", error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_screenshot_participant (void)
{
  g_autoptr(KoersContext) context = ptest_make_context ();
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  GtkWindow *window;
  KoersParticipantPage *page;
  GtkWidget *skills_title;

  id = koers_test_add_participant (koers_context_get_store (context), "فاطمة الزهراء",
                                   KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK,
                                   KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE);
  g_assert_true (GPOINTER_TO_INT (ptest_run (context, seed_file_job, id)));

  window = GTK_WINDOW (adw_window_new ());
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_set_default_size (window, 900, 1500);
  page = koers_participant_page_new (context, id);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  adw_window_set_content (ADW_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (window);
  g_assert_true (koers_test_wait_for_boolean (page, "loaded", TRUE, 5000));

  /* The page speaks the language asked for, not English with a translated window around it. */
  if (!g_str_equal (language, "en"))
    g_assert_cmpstr (_("Skills"), !=, "Skills");
  skills_title = ptest_find_label (GTK_WIDGET (page), _("Skills"));
  g_assert_nonnull (skills_title);
  if (g_str_equal (language, "ar"))
    g_assert_cmpint (gtk_widget_get_direction (skills_title), ==, GTK_TEXT_DIR_RTL);
  else
    g_assert_cmpint (gtk_widget_get_direction (skills_title), ==, GTK_TEXT_DIR_LTR);

  koers_test_spin (300);
  name = g_strdup_printf ("participant-%s", language);
  ptest_screenshot (GTK_WIDGET (window), name);
  gtk_window_destroy (window);
  /* A read the page started holds it until its callback; let it finish before the store goes. */
  g_assert_true (koers_test_wait_until (is_null, &page, 5000));
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  ptest_init (&argc, &argv);

  g_test_add_func ("/screenshots/participant", test_screenshot_participant);
  return g_test_run ();
}
