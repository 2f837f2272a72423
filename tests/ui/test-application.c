/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * How Koers starts, driven through a real KoersApplication: the first start's welcome window, an
 * existing caseload, a damaged caseload restored from its backups (or left alone when there is
 * none) and a caseload Koers cannot open (the daily backup: test-application-backup.c).
 *
 * Each test runs in a subprocess of its own: a fresh application, GSettings and $KOERS_DATABASE,
 * and a crash or hang stays that test's failure. The application is NON_UNIQUE so test programs
 * running side by side under one session bus never hand their activation to each other. The
 * test's steps run inside g_application_run() once the application has activated, spinning the
 * main loop until what a coach would see appears; closing the windows ends the run, so shutdown
 * runs as it does for a coach.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-application-util.h"

#include "caseload/koers-caseload-page.h"
#include "koers-ui-test-helpers.h"
#include "storage/koers-backup.h"
#include "storage/koers-paths.h"
#include "window/koers-welcome-window.h"

/* --- first start -------------------------------------------------------------------------- */

static KoersWelcomeWindow *
welcome_window (void)
{
  GtkWindow *window = app_test_find_window (KOERS_TYPE_WELCOME_WINDOW, NULL);

  if (window == NULL)
    g_error ("The welcome window is not shown");
  return KOERS_WELCOME_WINDOW (window);
}

static gpointer
welcome_child (KoersWelcomeWindow *welcome,
               const char         *name)
{
  return gtk_widget_get_template_child (GTK_WIDGET (welcome), KOERS_TYPE_WELCOME_WINDOW, name);
}

static const char *
welcome_page (KoersWelcomeWindow *welcome)
{
  return gtk_stack_get_visible_child_name (welcome_child (welcome, "stack"));
}

static gboolean
welcome_gone (gpointer data)
{
  return app_test_find_window (KOERS_TYPE_WELCOME_WINDOW, NULL) == NULL;
}

/* @data: a weak pointer to the welcome window */
static gboolean
welcome_back_at_choice (gpointer data)
{
  KoersWelcomeWindow **welcome = data;

  return *welcome == NULL || g_strcmp0 (welcome_page (*welcome), "choose") == 0;
}

static void
progress_text_cb (GtkProgressBar  *bar,
                  GParamSpec      *pspec,
                  char           **last)
{
  g_free (*last);
  *last = g_strdup (gtk_progress_bar_get_text (bar));
}

static void
first_start_demo_body (Run *run)
{
  KoersWelcomeWindow *welcome = welcome_window ();
  g_autofree char *last_progress = NULL;
  KoersWindow *window;

  /* Nothing on disk until the coach chose. */
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_false (g_file_test (run->db_path, G_FILE_TEST_EXISTS));
  g_assert_cmpstr (welcome_page (welcome), ==, "choose");

  g_signal_connect (welcome_child (welcome, "progress_bar"), "notify::text",
                    G_CALLBACK (progress_text_cb), &last_progress);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-demo", NULL));
  g_assert_cmpstr (welcome_page (welcome), ==, "progress");

  window = app_test_wait_for_main_window ();
  g_assert_true (koers_test_wait_until (welcome_gone, NULL, WAIT_MS));
  g_assert_cmpstr (last_progress, ==, "200 of 200 participants");
  app_test_assert_caseload_count (window, DEMO_N);
  app_test_close_all_windows ();
}

static void
test_first_start_demo (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_demo_body);
  /* Chosen: the caseload is there for the next start. */
  g_assert_cmpint (app_test_count_participants (run.db_path), ==, DEMO_N);
}

/* Starts the demo data and cancels it at once, while it is being made; returns the welcome
 * window back at the choice. */
static KoersWelcomeWindow *
start_and_cancel_demo (Run *run)
{
  KoersWelcomeWindow *welcome = welcome_window ();

  g_object_add_weak_pointer (G_OBJECT (welcome), (gpointer *) &welcome);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-demo", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.cancel", NULL));
  g_assert_true (koers_test_wait_until (welcome_back_at_choice, &welcome, WAIT_MS));
  g_assert_nonnull (welcome);
  g_object_remove_weak_pointer (G_OBJECT (welcome), (gpointer *) &welcome);

  g_assert_cmpstr (welcome_page (welcome), ==, "choose");
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_null (app_test_find_window (ADW_TYPE_MESSAGE_DIALOG, NULL));
  /* The demo data is made in one transaction: nothing of it stayed. */
  g_assert_cmpint (app_test_count_participants (run->db_path), ==, 0);
  return welcome;
}

static void
first_start_cancel_body (Run *run)
{
  KoersWelcomeWindow *welcome = start_and_cancel_demo (run);
  KoersWindow *window;

  /* A second try goes all the way. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-demo", NULL));
  window = app_test_wait_for_main_window ();
  app_test_assert_caseload_count (window, DEMO_N);
  app_test_close_all_windows ();
}

static void
test_first_start_cancel (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_cancel_body);
  g_assert_cmpint (app_test_count_participants (run.db_path), ==, DEMO_N);
}

static void
first_start_cancel_close_body (Run *run)
{
  KoersWelcomeWindow *welcome = start_and_cancel_demo (run);

  g_assert_true (g_file_test (run->db_path, G_FILE_TEST_EXISTS));
  gtk_window_close (GTK_WINDOW (welcome));
}

static void
test_first_start_cancel_close (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_cancel_close_body);
  /* Walked away without a choice: the next start asks again. */
  g_assert_true (app_test_dir_is_empty (run.dir));
}

static void
first_start_close_body (Run *run)
{
  gtk_window_close (GTK_WINDOW (welcome_window ()));
}

static void
test_first_start_close (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_close_body);
  g_assert_true (app_test_dir_is_empty (run.dir));
}

static void
first_start_close_during_demo_body (Run *run)
{
  KoersWelcomeWindow *welcome = welcome_window ();

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-demo", NULL));
  gtk_window_close (GTK_WINDOW (welcome));
}

static void
test_first_start_close_during_demo (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_close_during_demo_body);
  g_assert_true (app_test_dir_is_empty (run.dir));
}

static void
first_start_cannot_create_body (Run *run)
{
  KoersWelcomeWindow *welcome = welcome_window ();
  AdwMessageDialog *dialog;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-empty",
                                             NULL));
  dialog = app_test_wait_for_message ("Could Not Create the Caseload");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (welcome));
  /* The coach can try again (or close Koers). */
  g_assert_cmpstr (welcome_page (welcome), ==, "choose");
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
  gtk_window_close (GTK_WINDOW (welcome));
}

static void
test_first_start_cannot_create (void)
{
  g_autofree char *blocker = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  /* The caseload's folder cannot be made: a file has its name. */
  blocker = g_build_filename (run.dir, "koers", NULL);
  g_assert_true (g_file_set_contents (blocker, "in the way", -1, &error));
  run.db_path = g_build_filename (blocker, "koers.db", NULL);
  g_test_queue_free (run.db_path);
  g_setenv ("KOERS_DATABASE", run.db_path, TRUE);

  app_test_run_app (&run, first_start_cannot_create_body);
  g_assert_true (g_file_get_contents (blocker, &contents, NULL, &error));
  g_assert_cmpstr (contents, ==, "in the way");
}

static gboolean
empty_state_shown (gpointer data)
{
  GtkWidget *page = data;
  GtkStack *stack = GTK_STACK (gtk_widget_get_template_child (page, KOERS_TYPE_CASELOAD_PAGE,
                                                              "content_stack"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "empty") == 0;
}

static void
first_start_empty_body (Run *run)
{
  KoersWelcomeWindow *welcome = welcome_window ();
  KoersWindow *window;
  GtkWidget *page;
  AdwStatusPage *status;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (welcome), "welcome.start-empty",
                                             NULL));
  window = app_test_wait_for_main_window ();
  g_assert_true (koers_test_wait_until (welcome_gone, NULL, WAIT_MS));
  app_test_assert_caseload_count (window, 0);

  page = koers_window_get_caseload_page (window);
  g_assert_true (koers_test_wait_until (empty_state_shown, page, WAIT_MS));
  status = ADW_STATUS_PAGE (gtk_widget_get_template_child (page, KOERS_TYPE_CASELOAD_PAGE,
                                                           "empty_status"));
  g_assert_cmpstr (adw_status_page_get_title (status), ==, "No Participants Yet");
  app_test_close_all_windows ();
}

static void
test_first_start_empty (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_run_app (&run, first_start_empty_body);
  g_assert_cmpint (app_test_count_participants (run.db_path), ==, 0);
}

/* --- an existing caseload ----------------------------------------------------------------- */

static void
existing_good_body (Run *run)
{
  KoersWindow *window = app_test_wait_for_main_window ();
  KoersStore *store = koers_context_get_store (run->app->context);

  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WELCOME_WINDOW), ==, 0);
  app_test_assert_caseload_count (window, DEMO_N + 2);

  /* The check beside the window passes: nothing else happens. */
  koers_test_spin (1500);
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 1);
  g_assert_null (app_test_find_window (ADW_TYPE_MESSAGE_DIALOG, NULL));
  g_assert_true (koers_context_get_store (run->app->context) == store);
  g_object_remove_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  app_test_close_all_windows ();
}

static void
test_existing_good (void)
{
  g_autofree char *corrupt = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  app_test_run_app (&run, existing_good_body);
  corrupt = app_test_find_corrupt_copy (&run);
  g_assert_null (corrupt);
  g_assert_cmpint (app_test_count_participants (run.db_path), ==, DEMO_N + 2);
}

/* --- a damaged caseload ------------------------------------------------------------------- */

/* After a restore: the main window on the backup's 201 participants, with the message naming
 * the backup on top of it. */
static void
assert_restored (void)
{
  AdwMessageDialog *dialog = app_test_wait_for_message ("Caseload Restored From Backup");
  KoersWindow *window = app_test_wait_for_main_window ();

  app_test_assert_body_has (dialog, "koers-2026-11-27.db");
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 1);
  app_test_assert_caseload_count (window, DEMO_N + 1);
}

static void
damaged_restored_body (Run *run)
{
  /* Shown at once: the check runs beside it. */
  KoersWindow *first = app_test_wait_for_main_window ();
  KoersStore *store = koers_context_get_store (run->app->context);

  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  g_object_add_weak_pointer (G_OBJECT (store), (gpointer *) &store);

  assert_restored ();
  /* The window on the damaged file closed and its store let go of the file. */
  g_assert_null (first);
  g_assert_null (store);
  app_test_close_all_windows ();
}

static void
assert_kept_aside (Run    *run,
                   GBytes *damaged)
{
  g_autofree char *corrupt = app_test_find_corrupt_copy (run);
  g_autoptr(GError) error = NULL;

  if (corrupt == NULL)
    g_error ("The damaged file was not kept as koers.db.corrupt-<timestamp>");
  if (damaged != NULL)
    {
      g_autoptr(GBytes) kept = app_test_read_bytes (corrupt);

      g_assert_true (g_bytes_equal (kept, damaged));
    }
  else
    {
      g_assert_true (app_test_page_is_damaged (run, corrupt));
    }
  g_assert_true (koers_backup_check_file (run->db_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (app_test_count_participants (run->db_path), ==, DEMO_N + 1);
}

static void
test_damaged_restored (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, TRUE);
  app_test_damage_page (&run);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "The caseload failed its integrity check*");
  app_test_run_app (&run, damaged_restored_body);
  g_test_assert_expected_messages ();
  assert_kept_aside (&run, NULL);
}

static void
garbage_restored_body (Run *run)
{
  assert_restored ();
  app_test_close_all_windows ();
}

static void
test_garbage_restored (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, TRUE);
  g_assert_true (g_file_set_contents (run.db_path, app_test_garbage, -1, &error));
  before = app_test_read_bytes (run.db_path);
  app_test_run_app (&run, garbage_restored_body);
  assert_kept_aside (&run, before);
}

/* An emptied file (0 bytes) beside backups is damage: the newest good backup comes back, with
 * the message; the empty file is kept aside like any damaged one. */
static void
test_empty_restored (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, TRUE);
  g_assert_true (g_file_set_contents (run.db_path, "", 0, &error));
  before = app_test_read_bytes (run.db_path);
  app_test_run_app (&run, garbage_restored_body);
  assert_kept_aside (&run, before);
}

/* Without any backup an emptied file is a first start: the choice, not an empty caseload that
 * looks like everything is gone. */
static void
empty_no_backup_body (Run *run)
{
  g_assert_nonnull (welcome_window ());
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_null (app_test_find_window (ADW_TYPE_MESSAGE_DIALOG, NULL));
  /* Starting empty makes the caseload in the emptied file's place. */
  first_start_empty_body (run);
}

static void
test_empty_no_backup (void)
{
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  g_assert_true (g_file_set_contents (run.db_path, "", 0, &error));
  app_test_run_app (&run, empty_no_backup_body);
  g_assert_false (koers_paths_database_is_empty (run.db_path));
  g_assert_cmpint (app_test_count_participants (run.db_path), ==, 0);
}

static void
damaged_no_backup_body (Run *run)
{
  KoersWindow *first = app_test_wait_for_main_window ();
  AdwMessageDialog *dialog;

  g_object_add_weak_pointer (G_OBJECT (first), (gpointer *) &first);
  dialog = app_test_wait_for_message ("Caseload Damaged");
  app_test_assert_body_has (dialog, run->db_path);
  app_test_assert_body_has (dialog, "no good backup");
  g_assert_null (first);
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_cmpuint (run->app->backup_source, ==, 0);
  /* The message alone keeps Koers open until it is read. */
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_damaged_no_backup (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *corrupt = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  app_test_damage_page (&run);
  before = app_test_read_bytes (run.db_path);
  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "The caseload failed its integrity check*");
  app_test_run_app (&run, damaged_no_backup_body);
  g_test_assert_expected_messages ();

  after = app_test_read_bytes (run.db_path);
  g_assert_true (g_bytes_equal (before, after));
  corrupt = app_test_find_corrupt_copy (&run);
  g_assert_null (corrupt);
  g_assert_false (g_file_test (run.backup_dir, G_FILE_TEST_EXISTS));
}

static void
garbage_no_backup_body (Run *run)
{
  AdwMessageDialog *dialog = app_test_wait_for_message ("Caseload Damaged");

  app_test_assert_body_has (dialog, run->db_path);
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_cmpuint (run->app->backup_source, ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_garbage_no_backup (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  g_assert_true (g_file_set_contents (run.db_path, app_test_garbage, -1, &error));
  before = app_test_read_bytes (run.db_path);
  app_test_run_app (&run, garbage_no_backup_body);
  after = app_test_read_bytes (run.db_path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (g_file_test (run.backup_dir, G_FILE_TEST_EXISTS));
  g_assert_false (app_test_exists (run.dir, "koers.db-wal"));
}

/* An emptied file whose log still holds pages, with no backup: damage, and nothing changed
 * (opened, SQLite would have deleted the log, perhaps the last copy of the caseload). */
static void
test_empty_with_log (void)
{
  g_autofree char *wal = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  g_assert_true (g_file_set_contents (run.db_path, "", 0, &error));
  wal = g_strconcat (run.db_path, "-wal", NULL);
  g_assert_true (g_file_set_contents (wal, app_test_garbage, -1, &error));
  before = app_test_read_bytes (wal);
  app_test_run_app (&run, garbage_no_backup_body);
  after = app_test_read_bytes (wal);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_true (koers_paths_database_is_empty (run.db_path));
}

static void
restore_fails_body (Run *run)
{
  AdwMessageDialog *dialog = app_test_wait_for_message ("Caseload Damaged");

  app_test_assert_body_has (dialog, run->db_path);
  /* There is a good backup: saying there is none would send the administrator the wrong way. */
  if (strstr (adw_message_dialog_get_body (dialog), "no good backup") != NULL)
    g_error ("The message blames a missing backup: %s", adw_message_dialog_get_body (dialog));
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_restore_fails (void)
{
  g_autofree char *in_the_way = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, TRUE);
  g_assert_true (g_file_set_contents (run.db_path, app_test_garbage, -1, &error));
  before = app_test_read_bytes (run.db_path);
  /* The backup cannot be copied next to the caseload. */
  in_the_way = g_strconcat (run.db_path, ".restoring", NULL);
  g_assert_cmpint (g_mkdir (in_the_way, 0700), ==, 0);

  app_test_run_app (&run, restore_fails_body);
  after = app_test_read_bytes (run.db_path);
  g_assert_true (g_bytes_equal (before, after));
}

/* --- a caseload Koers cannot open --------------------------------------------------------- */

static void
too_new_body (Run *run)
{
  AdwMessageDialog *dialog = app_test_wait_for_message ("Caseload From a Newer Koers");

  app_test_assert_body_has (dialog, run->db_path);
  koers_test_spin (300);
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  g_assert_cmpuint (run->app->backup_source, ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_too_new (void)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  sqlite3 *raw = NULL;
  Run run;

  app_test_run_init (&run);
  /* From a future Koers, written with plain SQLite. */
  g_assert_cmpint (sqlite3_open (run.db_path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                                      "PRAGMA user_version = 999", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (raw);
  before = app_test_read_bytes (run.db_path);

  app_test_run_app (&run, too_new_body);
  after = app_test_read_bytes (run.db_path);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (app_test_exists (run.dir, "koers.db-wal"));
  g_assert_false (g_file_test (run.backup_dir, G_FILE_TEST_EXISTS));
}

static void
cannot_open_body (Run *run)
{
  AdwMessageDialog *dialog = app_test_wait_for_message ("Could Not Open the Caseload");

  app_test_assert_body_has (dialog, run->db_path);
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_WINDOW), ==, 0);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
test_cannot_open (void)
{
  Run run;

  app_test_run_init (&run);
  /* Something that is there but is no file. */
  g_assert_cmpint (g_mkdir (run.db_path, 0700), ==, 0);
  app_test_run_app (&run, cannot_open_body);
  g_assert_true (g_file_test (run.db_path, G_FILE_TEST_IS_DIR));
  g_assert_true (app_test_dir_is_empty (run.db_path));
}

/* --- main --------------------------------------------------------------------------------- */

static const AppTestCase cases[] = {
  { "/application/first-start/demo", test_first_start_demo },
  { "/application/first-start/cancel", test_first_start_cancel },
  { "/application/first-start/cancel-close", test_first_start_cancel_close },
  { "/application/first-start/close", test_first_start_close },
  { "/application/first-start/empty", test_first_start_empty },
  { "/application/first-start/close-during-demo", test_first_start_close_during_demo },
  { "/application/first-start/cannot-create", test_first_start_cannot_create },
  { "/application/existing/good", test_existing_good },
  { "/application/existing/damaged-restored", test_damaged_restored },
  { "/application/existing/garbage-restored", test_garbage_restored },
  { "/application/existing/damaged-no-backup", test_damaged_no_backup },
  { "/application/existing/garbage-no-backup", test_garbage_no_backup },
  { "/application/existing/empty-restored", test_empty_restored },
  { "/application/existing/empty-no-backup", test_empty_no_backup },
  { "/application/existing/empty-with-log", test_empty_with_log },
  { "/application/existing/restore-fails", test_restore_fails },
  { "/application/existing/too-new", test_too_new },
  { "/application/existing/cannot-open", test_cannot_open },
};

int
main (int   argc,
      char *argv[])
{
  return app_test_run_cases (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
