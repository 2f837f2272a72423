/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The daily backup, driven through a real KoersApplication (see test-application.c for how):
 * it waits BACKUP_DELAY_SECONDS after the main window opens and then runs only when the
 * setting is on and today has no backup yet; a failure leaves the caseload working.
 * koers_application_run_daily_backup_now() ends the wait so no test waits 10 s.
 */
#include "config.h"

#include <adwaita.h>

#include "test-application-util.h"

#include "storage/koers-backup.h"

/* --- the daily backup --------------------------------------------------------------------- */

static char *
todays_backup (Run *run)
{
  return g_build_filename (run->backup_dir, "koers-" TODAY ".db", NULL);
}

static void
daily_backup_body (Run *run)
{
  KoersWindow *window = app_test_wait_for_main_window ();
  g_autofree char *today = todays_backup (run);
  g_autoptr(GError) error = NULL;
  GSource *source;
  gint64 delay;

  /* It waits: the coach's first look at the caseload comes first. */
  g_assert_cmpuint (run->app->backup_source, !=, 0);
  source = g_main_context_find_source_by_id (NULL, run->app->backup_source);
  g_assert_nonnull (source);
  delay = g_source_get_ready_time (source) - g_get_monotonic_time ();
  g_assert_cmpint (delay, >=, 8 * G_USEC_PER_SEC);
  g_assert_cmpint (delay, <=, 11 * G_USEC_PER_SEC);
  app_test_assert_caseload_count (window, DEMO_N + 2);
  g_assert_false (g_file_test (today, G_FILE_TEST_EXISTS));

  g_assert_true (koers_application_run_daily_backup_now (run->app));
  g_assert_cmpuint (run->app->backup_source, ==, 0);
  app_test_wait_for_store (run);
  g_assert_true (g_file_test (today, G_FILE_TEST_IS_REGULAR));
  g_assert_true (koers_backup_check_file (today, &error));
  g_assert_no_error (error);
  g_assert_cmpint (app_test_count_participants (today), ==, DEMO_N + 2);
  app_test_close_all_windows ();
}

static void
test_daily_backup (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  app_test_run_app (&run, daily_backup_body);
}

static void
daily_backup_skipped_body (Run *run)
{
  app_test_wait_for_main_window ();
  g_assert_cmpuint (run->app->backup_source, !=, 0);
  g_assert_false (koers_application_run_daily_backup_now (run->app));
  app_test_wait_for_store (run);
  app_test_close_all_windows ();
}

static void
test_daily_backup_off (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  g_settings_set_boolean (settings, "daily-backup", FALSE);
  app_test_run_app (&run, daily_backup_skipped_body);
  g_assert_false (g_file_test (run.backup_dir, G_FILE_TEST_EXISTS));
}

static void
test_daily_backup_not_due (void)
{
  g_autofree char *today = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, TRUE);
  today = todays_backup (&run);
  g_assert_true (g_file_set_contents (today, "made this morning", -1, &error));
  before = app_test_read_bytes (today);
  app_test_run_app (&run, daily_backup_skipped_body);
  after = app_test_read_bytes (today);
  g_assert_true (g_bytes_equal (before, after));
}

static void
daily_backup_fails_body (Run *run)
{
  KoersWindow *window = app_test_wait_for_main_window ();

  g_test_expect_message (NULL, G_LOG_LEVEL_WARNING, "Daily backup failed:*");
  g_assert_true (koers_application_run_daily_backup_now (run->app));
  app_test_wait_for_store (run);
  g_test_assert_expected_messages ();
  /* The caseload works on without it. */
  g_assert_true (app_test_find_window (KOERS_TYPE_WINDOW, NULL) == GTK_WINDOW (window));
  app_test_assert_caseload_count (window, DEMO_N + 2);
  app_test_close_all_windows ();
}

static void
test_daily_backup_fails (void)
{
  g_autoptr(GError) error = NULL;
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  /* The backup folder cannot be made. */
  g_assert_true (g_file_set_contents (run.backup_dir, "not a folder", -1, &error));
  app_test_run_app (&run, daily_backup_fails_body);
}

/* --- main --------------------------------------------------------------------------------- */

static const AppTestCase cases[] = {
  { "/application/daily-backup/made", test_daily_backup },
  { "/application/daily-backup/off", test_daily_backup_off },
  { "/application/daily-backup/not-due", test_daily_backup_not_due },
  { "/application/daily-backup/fails", test_daily_backup_fails },
};

int
main (int   argc,
      char *argv[])
{
  return app_test_run_cases (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
