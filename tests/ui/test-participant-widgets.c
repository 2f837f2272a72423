/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Create/destroy for every participant widget and dialog, each shown in a window. */
#include "config.h"

#include "participant/koers-activities-list.h"
#include "participant/koers-activity-dialog.h"
#include "participant/koers-consent-dialog.h"
#include "participant/koers-consent-list.h"
#include "participant/koers-note-dialog.h"
#include "participant/koers-notes-timeline.h"
#include "participant/koers-participant-profile.h"
#include "participant/koers-skill-dialog.h"
#include "participant/koers-skills-list.h"
#include "participant/koers-status-dialog.h"

#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "test-participant-util.h"

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
  koers_activities_list_set_items (KOERS_ACTIVITIES_LIST (list), items);
  g_assert_cmpuint (koers_activities_list_get_n_items (KOERS_ACTIVITIES_LIST (list)), ==, 1);
  g_assert_nonnull (ptest_find_label (list, "NLQF 2"));
  show_and_destroy (list);
}

static void
test_skills_list (void)
{
  GtkWidget *list = koers_skills_list_new ();

  g_assert_nonnull (ptest_find_label (list, "No skills recorded yet"));
  show_and_destroy (list);
}

static void
test_consent_list (void)
{
  GtkWidget *list = koers_consent_list_new ();

  g_assert_nonnull (ptest_find_label (list, "No consent recorded"));
  show_and_destroy (list);
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
  g_test_add_func ("/participant-widgets/dialogs", test_dialogs);

  return g_test_run ();
}
