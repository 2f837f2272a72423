/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Undo on the participant page: an activity or a skill is removed without asking and its toast
 * brings it back; a status step, from the menu or the status dialog, is written at once and its
 * toast takes it back while the sync waits. */
#include "config.h"

#include "app/koers-sync-service.h"
#include "core/koers-status.h"
#include "participant/koers-participant-page-private.h"
#include "participant/koers-status-dialog.h"
#include "storage/koers-activity-repository.h"

#include "koers-ui-test-helpers.h"
#include "test-participant-page-util.h"
#include "test-participant-util.h"

#include <string.h>

static gboolean
has_toast (gpointer data)
{
  return ((PageFixture *) data)->toast != NULL;
}

/* Removing asks nothing; the toast says what went and undoes it. */
static void
remove_and_undo (PageFixture *f,
                 const char  *action,
                 const char  *id,
                 const char  *shown,
                 const char  *toast_words)
{
  g_assert_true (page_test_wait_for_text (f, shown));
  g_clear_object (&f->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), action, "s", id));
  g_assert_true (page_test_wait_for_no_text (f, shown));
  g_assert_true (koers_test_wait_until (has_toast, f, 5000));
  g_assert_nonnull (strstr (adw_toast_get_title (f->toast), toast_words));
  g_assert_nonnull (strstr (adw_toast_get_title (f->toast), shown));
  g_assert_cmpstr (adw_toast_get_button_label (f->toast), ==, "_Undo");

  g_signal_emit_by_name (f->toast, "button-clicked");
  g_assert_true (page_test_wait_for_text (f, shown));
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
test_remove_activity_undo (PageFixture   *f,
                           gconstpointer  data)
{
  g_autoptr(PageFileSeed) seed = NULL;
  g_autoptr(GPtrArray) activities = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = page_test_seed_full_file (f);
  page_test_open (f);
  remove_and_undo (f, "participant.remove-activity", seed->activity_id,
                   "Meeloopdag Slingeland Ziekenhuis", "removed");
  activities = ptest_run (f->context, list_activities_job, f->id);
  g_assert_cmpuint (activities->len, ==, 1);
}

static void
test_remove_skill_undo (PageFixture   *f,
                        gconstpointer  data)
{
  g_autoptr(PageFileSeed) seed = NULL;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  seed = page_test_seed_full_file (f);
  page_test_open (f);
  remove_and_undo (f, "participant.remove-skill", seed->skill_id, "Heftruck rijden",
                   "removed");
}

static gboolean
summary_shows_status (gpointer data)
{
  PageFixture *f = data;
  const char *want = g_object_get_data (G_OBJECT (f->page), "status");

  return g_str_has_prefix (gtk_label_get_text (f->page->summary_label), want);
}

/* The line under the name starts with the status. */
static gboolean
wait_for_status (PageFixture *f,
                 KoersStatus  status)
{
  g_object_set_data_full (G_OBJECT (f->page), "status",
                          g_strconcat (koers_status_label (status), " · ", NULL), g_free);
  return koers_test_wait_until (summary_shows_status, f, 5000);
}

/* Gives the fixture's context a sync service (never started), as the app has. */
static KoersSyncService *
add_sync_service (PageFixture *f)
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
test_status_change_undo (PageFixture   *f,
                         gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  KoersSyncService *sync = add_sync_service (f);

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_REGISTERED);
  page_test_open (f);
  g_assert_true (wait_for_status (f, KOERS_STATUS_REGISTERED));
  g_clear_object (&f->toast);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status",
                                             "s", koers_status_to_id (KOERS_STATUS_INTAKE)));
  g_assert_true (wait_for_status (f, KOERS_STATUS_INTAKE));
  g_assert_true (koers_test_wait_until (has_toast, f, 5000));
  g_assert_cmpstr (adw_toast_get_title (f->toast), ==, "Status changed to Intake");
  g_assert_cmpstr (adw_toast_get_button_label (f->toast), ==, "_Undo");
  g_assert_true (koers_sync_service_get_held (sync));
  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_INTAKE);
  g_clear_object (&after);

  /* What the window's toast overlay does on a click (the test has no overlay). */
  g_signal_emit_by_name (f->toast, "button-clicked");
  g_signal_emit_by_name (f->toast, "dismissed");
  g_assert_true (wait_for_status (f, KOERS_STATUS_REGISTERED));
  g_assert_true (koers_test_wait_until (sync_released, sync, 5000));
  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_REGISTERED);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (f->page->status_message)));
}

/* Completing through the status dialog offers the same undo; it forgets the outcome too. */
static void
test_complete_undo (PageFixture   *f,
                    gconstpointer  data)
{
  g_autoptr(KoersParticipant) after = NULL;
  KoersSyncService *sync = add_sync_service (f);
  GtkWidget *dialog;

  page_test_add_participant (f, "Yonas Tesfay", KOERS_STATUS_ACTIVE);
  page_test_open (f);
  g_clear_object (&f->toast);
  gtk_widget_activate_action (GTK_WIDGET (f->page), "participant.change-status", "s",
                              koers_status_to_id (KOERS_STATUS_COMPLETED));
  dialog = ptest_wait_toplevel (KOERS_TYPE_STATUS_DIALOG);
  g_assert_nonnull (dialog);
  adw_combo_row_set_selected (ADW_COMBO_ROW (ptest_find_row (dialog, "Outcome")),
                              KOERS_OUTCOME_EDUCATION);
  ptest_set_text (dialog, "Outcome date", "02-11-2026");
  page_test_save_dialog (dialog);
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
  after = page_test_stored (f);
  g_assert_cmpint (koers_participant_get_status (after), ==, KOERS_STATUS_ACTIVE);
  g_assert_cmpint (koers_participant_get_outcome (after), ==, KOERS_OUTCOME_UNKNOWN);
  g_assert_null (koers_participant_get_outcome_date (after));
}

int
main (int   argc,
      char *argv[])
{
  page_test_init (&argc, &argv);

  PAGE_TEST_ADD ("remove-activity-undo", test_remove_activity_undo);
  PAGE_TEST_ADD ("remove-skill-undo", test_remove_skill_undo);
  PAGE_TEST_ADD ("status-change-undo", test_status_change_undo);
  PAGE_TEST_ADD ("complete-undo", test_complete_undo);

  return g_test_run ();
}
