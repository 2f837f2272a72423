/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Create/destroy for every participant widget and dialog, each shown in a window. */
#include "config.h"

#include "participant/koers-activities-list.h"
#include "participant/koers-conflict-badge.h"
#include "participant/koers-activity-dialog.h"
#include "participant/koers-coach-chooser.h"
#include "participant/koers-consent-dialog.h"
#include "participant/koers-consent-list.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-notes-timeline.h"
#include "participant/koers-participant-profile.h"
#include "participant/koers-skill-dialog.h"
#include "participant/koers-skills-list.h"
#include "participant/koers-status-dialog.h"
#include "core/koers-i18n.h"
#include "storage/koers-organisation-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-skill-repository.h"
#include "core/koers-sync-entities.h"
#include "sync/koers-sync-review.h"

#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "test-participant-util.h"

#include <string.h>

static void
show_and_destroy (GtkWidget *widget)
{
  GtkWidget *window = adw_window_new ();

  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &widget);
  adw_window_set_content (ADW_WINDOW (window), widget);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_spin (50);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_spin (10);
  g_assert_null (widget);
}

static void
destroy_dialog (GtkWindow *dialog)
{
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  gtk_window_present (dialog);
  koers_test_spin (50);
  gtk_window_destroy (dialog);
  koers_test_spin (10);
  g_assert_null (dialog);
}

static void
test_profile (void)
{
  GtkWidget *profile = koers_participant_profile_new ();
  g_autoptr(KoersParticipant) p = koers_participant_new ();

  koers_participant_set_name (p, "Anna de Vries");
  koers_participant_set_birth_year (p, 1975);
  koers_participant_profile_set_participant (KOERS_PARTICIPANT_PROFILE (profile), p, NULL);
  g_assert_nonnull (ptest_find_label (profile, "1975"));
  g_assert_nonnull (ptest_find_label (profile, "Unassigned"));
  show_and_destroy (profile);
}

static void
test_notes_timeline (void)
{
  GtkWidget *timeline = koers_notes_timeline_new ();

  g_assert_nonnull (ptest_find_label (timeline, "No notes yet"));
  show_and_destroy (timeline);
}

static void
test_activities_list (void)
{
  GtkWidget *list = koers_activities_list_new ();
  g_autoptr(GPtrArray) items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) koers_activity_free);
  KoersActivity *a = koers_activity_new ();

  a->meta.id = g_strdup ("a1");
  a->kind = KOERS_ACTIVITY_CERTIFICATE;
  a->title = g_strdup ("VCA Basis");
  a->nlqf_level = 2;
  a->sector = -1;
  g_ptr_array_add (items, a);
  koers_activities_list_set_items (KOERS_ACTIVITIES_LIST (list), items, NULL);
  g_assert_cmpuint (koers_activities_list_get_n_items (KOERS_ACTIVITIES_LIST (list)), ==, 1);
  g_assert_nonnull (ptest_find_label (list, "NLQF 2"));
  show_and_destroy (list);
}

static void
test_skills_list (void)
{
  GtkWidget *list = koers_skills_list_new ();
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) koers_skill_free);
  KoersSkill *skill = koers_skill_new ();
  GtkWidget *codes;

  g_assert_nonnull (ptest_find_label (list, "No skills recorded yet"));

  skill->meta.id = g_strdup ("s1");
  skill->label = g_strdup ("Heftruck rijden");
  skill->competentnl_code = g_strdup ("CNL-1234");
  skill->isco_code = g_strdup ("8344");
  skill->nlqf_level = 2;
  g_ptr_array_add (items, skill);
  koers_skills_list_set_items (KOERS_SKILLS_LIST (list), items, NULL);
  /* Each framework name reads left to right with its code, also inside an Arabic line. */
  codes = ptest_find_label (list, "8344");
  g_assert_nonnull (codes);
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (codes)),
                            KOERS_LRI "ISCO 8344" KOERS_PDI));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (codes)),
                            KOERS_LRI "NLQF 2" KOERS_PDI));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (codes)),
                            KOERS_LRI "CompetentNL CNL-1234" KOERS_PDI));
  show_and_destroy (list);
}

static gpointer
add_coaches_job (KoersDatabase *db,
                 gpointer       data,
                 GCancellable  *cancellable,
                 GError       **error)
{
  const char *names[] = { "Jeroen de Vries", "Samira El Amrani" };
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(KoersCoach) coach = koers_coach_new ();

      coach->name = g_strdup (names[i]);
      if (!koers_coach_repository_insert (db, coach, "test", error))
        {
          g_ptr_array_unref (ids);
          return NULL;
        }
      g_ptr_array_add (ids, g_strdup (coach->meta.id));
    }
  return ids;
}

static void
on_loaded (KoersCoachChooser *chooser,
           gboolean          *loaded)
{
  *loaded = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

static const char *
row_item (AdwComboRow *row,
          guint        position)
{
  return gtk_string_list_get_string (GTK_STRING_LIST (adw_combo_row_get_model (row)), position);
}

/* The chooser lists "Unassigned" and the store's coaches, and selects the one asked for. */
static void
test_coach_chooser (void)
{
  g_autoptr(KoersContext) context = ptest_make_context ();
  g_autoptr(GPtrArray) ids = ptest_run (context, add_coaches_job, NULL);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *row = adw_combo_row_new ();
  g_autoptr(KoersCoachChooser) chooser = NULL;
  gpointer watch = NULL;
  gboolean loaded = FALSE;
  AdwComboRow *combo = ADW_COMBO_ROW (row);

  g_assert_nonnull (ids);
  /* A row lives in a list. */
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  chooser = koers_coach_chooser_new (combo, context, g_ptr_array_index (ids, 1));
  watch = chooser;
  g_object_add_weak_pointer (G_OBJECT (chooser), &watch);
  g_signal_connect (chooser, "loaded", G_CALLBACK (on_loaded), &loaded);
  /* Before the list is in, the chosen coach is kept. */
  g_assert_cmpstr (koers_coach_chooser_get_selected_id (chooser), ==,
                   g_ptr_array_index (ids, 1));
  g_assert_true (koers_test_wait_until (is_true, &loaded, 5000));

  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (combo)), ==, 3);
  g_assert_cmpstr (row_item (combo, 0), ==, "Unassigned");
  g_assert_nonnull (strstr (row_item (combo, 1), "Jeroen de Vries"));
  g_assert_nonnull (strstr (row_item (combo, 2), "Samira El Amrani"));
  g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, 2);
  g_assert_cmpstr (koers_coach_chooser_get_selected_id (chooser), ==,
                   g_ptr_array_index (ids, 1));
  adw_combo_row_set_selected (combo, 0);
  g_assert_null (koers_coach_chooser_get_selected_id (chooser));

  /* Nothing (a finished load) keeps the chooser alive. */
  g_clear_object (&chooser);
  g_assert_null (watch);
  show_and_destroy (list);
}

static void
test_consent_list (void)
{
  GtkWidget *list = koers_consent_list_new ();

  g_assert_nonnull (ptest_find_label (list, "No consent recorded"));
  show_and_destroy (list);
}

static KoersSyncConflict *
conflict_on (const char *id, const char *entity, const char *record_id, gboolean waiting)
{
  KoersSyncConflict *conflict = g_new0 (KoersSyncConflict, 1);

  conflict->id = g_strdup (id);
  conflict->entity = g_strdup (entity);
  conflict->record_id = g_strdup (record_id);
  conflict->field = g_strdup ("titel");
  conflict->base = json_node_new (JSON_NODE_NULL);
  conflict->theirs = json_node_new (JSON_NODE_NULL);
  conflict->mine = json_node_new (JSON_NODE_NULL);
  conflict->waiting = waiting;
  return conflict;
}

/* The conflict that the badge of the row showing @text leads to, or NULL without one. */
static char *
badge_target (GtkWidget *list, const char *text)
{
  GtkWidget *label = ptest_find_label (list, text);
  GtkWidget *row = label != NULL ? gtk_widget_get_ancestor (label, ADW_TYPE_ACTION_ROW) : NULL;
  GtkWidget *badge;
  GVariant *target;

  g_assert_nonnull (row);
  badge = ptest_find_action (row, KOERS_SHOW_CONFLICTS_ACTION);
  if (badge == NULL || !gtk_widget_get_visible (badge))
    return NULL;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (badge));
  return g_variant_dup_string (target, NULL);
}

/* An activity, a skill or a consent changed here and on another device shows a badge on its
 * row that leads to the conflict; one already decided here, or on another record, does not. */
static void
test_record_conflict_badges (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *activities = koers_activities_list_new ();
  GtkWidget *skills = koers_skills_list_new ();
  GtkWidget *consents = koers_consent_list_new ();
  g_autoptr(GPtrArray) conflicts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) koers_sync_conflict_free);
  g_autoptr(GPtrArray) activity_items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) koers_activity_free);
  g_autoptr(GPtrArray) skill_items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) koers_skill_free);
  g_autoptr(GPtrArray) consent_items =
    g_ptr_array_new_with_free_func ((GDestroyNotify) koers_consent_free);
  const char *titles[] = { "VCA Basis", "Proeverij Zorg" };
  g_autofree char *first = NULL, *second = NULL, *skill = NULL, *consent = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      KoersActivity *a = koers_activity_new ();

      a->meta.id = g_strdup_printf ("a%u", i + 1);
      a->kind = KOERS_ACTIVITY_TRAINING;
      a->title = g_strdup (titles[i]);
      a->sector = -1;
      g_ptr_array_add (activity_items, a);
    }
  {
    KoersSkill *s = koers_skill_new ();
    KoersConsent *c = koers_consent_new ();

    s->meta.id = g_strdup ("s1");
    s->label = g_strdup ("Heftruck rijden");
    g_ptr_array_add (skill_items, s);
    c->meta.id = g_strdup ("c1");
    c->scope = KOERS_CONSENT_SCOPE_PARTNERS;
    c->given_on = g_strdup ("2026-09-01");
    g_ptr_array_add (consent_items, c);
  }
  g_ptr_array_add (conflicts, conflict_on ("k-activity", KOERS_SYNC_ACTIVITIES, "a2", FALSE));
  g_ptr_array_add (conflicts, conflict_on ("k-skill", KOERS_SYNC_SKILLS, "s1", TRUE));
  g_ptr_array_add (conflicts, conflict_on ("k-consent", KOERS_SYNC_CONSENTS, "c1", FALSE));
  /* Another entity's record with the same id: not this row's. */
  g_ptr_array_add (conflicts, conflict_on ("k-other", KOERS_SYNC_SKILLS, "a1", FALSE));

  koers_activities_list_set_items (KOERS_ACTIVITIES_LIST (activities), activity_items,
                                   conflicts);
  koers_skills_list_set_items (KOERS_SKILLS_LIST (skills), skill_items, conflicts);
  koers_consent_list_set_items (KOERS_CONSENT_LIST (consents), consent_items, conflicts);
  gtk_box_append (GTK_BOX (box), activities);
  gtk_box_append (GTK_BOX (box), skills);
  gtk_box_append (GTK_BOX (box), consents);

  first = badge_target (activities, "VCA Basis");
  second = badge_target (activities, "Proeverij Zorg");
  skill = badge_target (skills, "Heftruck rijden");
  consent = badge_target (consents, koers_consent_scope_label (KOERS_CONSENT_SCOPE_PARTNERS));
  g_assert_null (first);
  g_assert_cmpstr (second, ==, "k-activity");
  g_assert_null (skill);
  g_assert_cmpstr (consent, ==, "k-consent");
  show_and_destroy (box);
}

static void
test_dialogs (void)
{
  g_autoptr(KoersContext) context = ptest_make_context ();
  g_autoptr(KoersParticipant) p = koers_participant_new ();

  koers_participant_set_name (p, "Anna de Vries");
  koers_participant_set_status (p, KOERS_STATUS_ACTIVE);
  destroy_dialog (koers_note_dialog_new (NULL, context, "p1", NULL));
  destroy_dialog (koers_activity_dialog_new (NULL, context, "p1", NULL));
  destroy_dialog (koers_skill_dialog_new (NULL, context, "p1", NULL));
  destroy_dialog (koers_consent_dialog_new_give (NULL, context, "p1"));
  destroy_dialog (koers_consent_dialog_new_withdraw (NULL, context, "p1",
                                                     KOERS_CONSENT_SCOPE_PARTNERS));
  destroy_dialog (koers_status_dialog_new (NULL, context, p, KOERS_STATUS_COMPLETED));
}

int
main (int   argc,
      char *argv[])
{
  ptest_init (&argc, &argv);

  g_test_add_func ("/participant-widgets/profile", test_profile);
  g_test_add_func ("/participant-widgets/notes-timeline", test_notes_timeline);
  g_test_add_func ("/participant-widgets/activities-list", test_activities_list);
  g_test_add_func ("/participant-widgets/skills-list", test_skills_list);
  g_test_add_func ("/participant-widgets/consent-list", test_consent_list);
  g_test_add_func ("/participant-widgets/record-conflict-badges", test_record_conflict_badges);
  g_test_add_func ("/participant-widgets/coach-chooser", test_coach_chooser);
  g_test_add_func ("/participant-widgets/dialogs", test_dialogs);

  return g_test_run ();
}
