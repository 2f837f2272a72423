/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The browser hands the sign-in's answer back as `koers nl.achterhoek.koers:/oauth/terug?...`
 * (Exec=koers %U, x-scheme-handler in the desktop file), which reaches KoersApplication's
 * "open" (G_APPLICATION_HANDLES_OPEN): the answer goes to the sign-in dialog whose attempt it
 * belongs to and nowhere else; an answer nobody waits for, or a file, is ignored; Koers
 * started this way by the browser opens its window as usual. A real KoersApplication per
 * case, in a subprocess of its own (test-application-util).
 */
#include "config.h"

#include <adwaita.h>

#include "test-application-util.h"

#include "koers-ui-test-helpers.h"
#include "window/koers-sign-in-dialog.h"

#define STALE_ANSWER "nl.achterhoek.koers:/oauth/terug?code=oud&state=van-een-oud-tabblad"

static void
opened_cb (GApplication  *application,
           GFile        **files,
           int            n_files,
           const char    *hint,
           Run           *run)
{
  if (run->ran)
    return;
  run->ran = TRUE;
  run->body (run);
}

static void
activated_cb (GApplication *application,
              Run          *run)
{
  if (run->ran)
    return;
  run->ran = TRUE;
  run->body (run);
}

/* As app_test_run_app(), keeping HANDLES_OPEN and passing @uri as the browser would. */
static void
run_app_with (Run        *run,
              const char *uri,
              RunBody     body)
{
  char *argv[] = { (char *) "koers", (char *) uri, NULL };
  int status;

  run->body = body;
  run->app = koers_application_new ();
  g_application_set_flags (G_APPLICATION (run->app),
                           G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN);
  g_signal_connect_after (run->app, "activate", G_CALLBACK (activated_cb), run);
  g_signal_connect_after (run->app, "open", G_CALLBACK (opened_cb), run);
  status = g_application_run (G_APPLICATION (run->app), uri != NULL ? 2 : 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_true (run->ran);
  g_clear_object (&run->app);
}

/* --- started by the browser ---------------------------------------------------------------- */

static void
started_by_browser_body (Run *run)
{
  KoersWindow *window = app_test_wait_for_main_window ();

  app_test_assert_caseload_count (window, DEMO_N + 2);
  /* Nobody waited for that answer: nothing was asked or opened for it. */
  g_assert_cmpuint (app_test_count_windows (KOERS_TYPE_SIGN_IN_DIALOG), ==, 0);
  g_assert_cmpuint (app_test_count_windows (ADW_TYPE_MESSAGE_DIALOG), ==, 0);
  app_test_close_all_windows ();
}

static void
test_started_by_browser (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "*belongs to no sign-in*");
  run_app_with (&run, STALE_ANSWER, started_by_browser_body);
  g_test_assert_expected_messages ();
}

/* --- the answer reaches the waiting dialog ------------------------------------------------- */

static char *opened_uri;

static void
open_uri_cb (KoersSignInDialog *dialog,
             const char        *uri,
             gpointer           user_data)
{
  g_free (opened_uri);
  opened_uri = g_strdup (uri);
}

static void
deliver (Run        *run,
         const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  GFile *files[] = { file };

  g_application_open (G_APPLICATION (run->app), files, 1, "");
}

static void
answer_reaches_dialog_body (Run *run)
{
  KoersWindow *window = app_test_wait_for_main_window ();
  KoersSignInDialog *dialog;
  GtkEditable *server_row;
  g_autoptr(GUri) authorize = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *answer = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  dialog = KOERS_SIGN_IN_DIALOG (app_test_wait_for_window (KOERS_TYPE_SIGN_IN_DIALOG, NULL));
  g_assert_nonnull (dialog);
  koers_sign_in_dialog_set_open_uri_func (dialog, open_uri_cb, NULL);
  server_row = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog),
                                                            KOERS_TYPE_SIGN_IN_DIALOG,
                                                            "server_row"));
  /* Nothing listens there: the exchange fails, after the answer was taken. */
  gtk_editable_set_text (server_row, "https://koers.invalid");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.start", NULL);
  g_assert_cmpstr (koers_sign_in_dialog_get_page (dialog), ==, "waiting");
  g_assert_nonnull (opened_uri);

  /* Another attempt's answer, and a file: left alone, with a message, not a warning. */
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "*belongs to no sign-in*");
  deliver (run, STALE_ANSWER);
  g_test_assert_expected_messages ();
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "*opens no files*");
  deliver (run, "file:///tmp/deelnemers.csv");
  g_test_assert_expected_messages ();
  /* Written another way than Koers asked for: no sign-in answer, said so. */
  g_test_expect_message (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE, "*no sign-in answer*");
  deliver (run, "nl.achterhoek.koers://oauth/terug?code=oud&state=x");
  g_test_assert_expected_messages ();
  g_assert_cmpstr (koers_sign_in_dialog_get_page (dialog), ==, "waiting");

  /* This attempt's answer goes to its dialog, which trades it at once. */
  authorize = g_uri_parse (opened_uri, G_URI_FLAGS_ENCODED, NULL);
  query = g_uri_parse_params (g_uri_get_query (authorize), -1, "&", G_URI_PARAMS_WWW_FORM,
                              NULL);
  answer = g_strdup_printf ("nl.achterhoek.koers:/oauth/terug?code=nieuw&state=%s",
                            (const char *) g_hash_table_lookup (query, "state"));
  deliver (run, answer);
  g_assert_cmpstr (koers_sign_in_dialog_get_page (dialog), ==, "finishing");
  g_clear_pointer (&opened_uri, g_free);
  app_test_close_all_windows ();
}

static void
test_answer_reaches_dialog (void)
{
  Run run;

  app_test_run_init (&run);
  app_test_make_caseload (&run, FALSE);
  run_app_with (&run, NULL, answer_reaches_dialog_body);
}

int
main (int   argc,
      char *argv[])
{
  static const AppTestCase cases[] = {
    { "/application-open/started-by-browser", test_started_by_browser },
    { "/application-open/answer-reaches-dialog", test_answer_reaches_dialog },
  };

  return app_test_run_cases (&argc, &argv, cases, G_N_ELEMENTS (cases));
}
