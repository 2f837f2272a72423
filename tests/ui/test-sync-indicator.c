/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sync button in the main window's header and its popover, in every state a coach would
 * notice: not signed in, synced, syncing with changes waiting, offline, a failed sync, a first
 * sync in progress and complete, a clock that is off, a sign-in that stopped working; the
 * question after a first sign-in on a caseload with records the server never saw (demo records
 * said to be demo). The service's properties are driven as its sync thread drives them
 * (koers_sync_service_set_status_for_testing). Runs once per language (--lang en|nl|ar): the
 * texts are checked in English, the rest in each, and every state is saved as
 * sync-<state>-<lang>.png (the popover) and sync-header-<state>-<lang>.png.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "app/koers-sync-service.h"
#include "koers-screenshot-helpers.h"
#include "koers-test-helpers.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-sign-in-dialog.h"
#include "window/koers-sync-indicator.h"
#include "window/koers-window.h"

#include <string.h>

static const char *language;

typedef struct
{
  KoersStore         *store;
  KoersSyncService   *service;
  KoersContext       *context;
  KoersWindow        *window;
  KoersSyncIndicator *indicator;
  KoersSyncStatus     status;
  guint               n_toasts;
  char               *last_toast;
} Fixture;

static gboolean
english (void)
{
  return g_str_equal (language, "en");
}

static void
toast_cb (KoersSyncIndicator *indicator,
          AdwToast           *toast,
          Fixture            *f)
{
  f->n_toasts++;
  g_free (f->last_toast);
  f->last_toast = g_strdup (adw_toast_get_title (toast));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->store = koers_test_make_store ();
  /* Never started: the test plays the sync thread. */
  f->service = koers_sync_service_new (f->store);
  f->context = koers_context_new_full (f->store, NULL, f->service);
  f->window = koers_window_new (NULL, f->context);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1000, 640);
  gtk_window_present (GTK_WINDOW (f->window));
  f->indicator = KOERS_SYNC_INDICATOR (
    gtk_widget_get_template_child (GTK_WIDGET (f->window), KOERS_TYPE_WINDOW,
                                   "sync_indicator"));
  g_signal_connect (f->indicator, "add-toast", G_CALLBACK (toast_cb), f);
  f->status.state = KOERS_SYNC_CLIENT_IDLE;
  koers_test_spin (300);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  koers_test_spin (50);
  koers_sync_status_clear (&f->status);
  g_clear_object (&f->context);
  g_clear_object (&f->service);
  g_clear_object (&f->store);
  g_free (f->last_toast);
}

/* Signed in as a coach of the test organisation, synced at 10:42 today (KOERS_TODAY). */
static void
sign_in (Fixture *f)
{
  koers_sync_status_clear (&f->status);
  f->status.signed_in = TRUE;
  f->status.server_url = g_strdup ("https://api.werkplein-achterhoek.nl");
  f->status.user_name = g_strdup ("Sanne Hulshof");
  f->status.organisation = g_strdup ("Werkplein Achterhoek");
  f->status.last_sync = g_strdup ("2026-11-28T10:42:00Z");
  f->status.initial_sync_complete = TRUE;
  f->status.state = KOERS_SYNC_CLIENT_IDLE;
}

static void
apply (Fixture *f)
{
  koers_sync_service_set_status_for_testing (f->service, &f->status);
  koers_test_spin (50);
}

static const char *
label (Fixture    *f,
       const char *name)
{
  GtkLabel *l = koers_sync_indicator_get_label (f->indicator, name);

  return gtk_widget_get_visible (GTK_WIDGET (l)) ? gtk_label_get_label (l) : NULL;
}

static void
assert_label_has (Fixture    *f,
                  const char *name,
                  const char *text)
{
  const char *shown = label (f, name);

  if (!english ())
    {
      /* The other languages: shown at least, whatever the words. */
      g_assert_nonnull (shown);
      return;
    }
  g_assert_nonnull (shown);
  if (strstr (shown, text) == NULL)
    g_error ("the %s label says \"%s\", expected \"%s\" in it", name, shown, text);
}

static GtkWidget *
find_button (Fixture    *f,
             const char *action)
{
  GtkWidget *popover = koers_sync_indicator_get_popover (f->indicator);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, popover);
  while (stack->len > 0)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

      if (GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)),
                                          action) == 0)
        return w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
           c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_error ("no button for %s in the popover", action);
  return NULL;
}

static gboolean
button_shown (Fixture    *f,
              const char *action)
{
  return gtk_widget_get_visible (find_button (f, action));
}

/* The window's action behind the popover's button (a disabled action greys its button). */
static gboolean
action_enabled (Fixture    *f,
                const char *action)
{
  return gtk_widget_get_sensitive (find_button (f, action));
}

static void
screenshots (Fixture    *f,
             const char *state)
{
  GtkWidget *popover = koers_sync_indicator_get_popover (f->indicator);
  GtkWidget *header = gtk_widget_get_ancestor (GTK_WIDGET (f->indicator), ADW_TYPE_HEADER_BAR);
  g_autofree char *popover_name = g_strdup_printf ("sync-%s-%s", state, language);
  g_autofree char *header_name = g_strdup_printf ("sync-header-%s-%s", state, language);
  g_autofree char *popover_path = NULL;
  g_autofree char *header_path = NULL;

  koers_sync_indicator_popup (f->indicator);
  g_assert_true (koers_test_wait_for_boolean (popover, "visible", TRUE, 2000));
  koers_test_spin (300);
  g_assert_true (gtk_widget_get_mapped (popover));
  /* Nothing is cut off: the popover is as tall as its wrapped text needs. */
  {
    GtkWidget *child = gtk_popover_get_child (GTK_POPOVER (popover));
    int needed = 0;

    gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, gtk_widget_get_width (child), &needed,
                        NULL, NULL, NULL);
    g_assert_cmpint (gtk_widget_get_height (child), >=, needed);
  }
  popover_path = koers_test_save_screenshot (popover, popover_name);
  header_path = koers_test_save_screenshot (header, header_name);
  gtk_popover_popdown (GTK_POPOVER (popover));
  koers_test_spin (100);
}

/* Closes the sign-in dialog the popover's button opened (there must be one). */
static void
close_sign_in_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GtkWindow *dialog = NULL;

  koers_test_spin (100);
  for (guint i = 0; dialog == NULL && i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (KOERS_IS_SIGN_IN_DIALOG (window))
        dialog = window;
    }
  g_assert_nonnull (dialog);
  gtk_window_destroy (dialog);
  koers_test_spin (50);
}

static void
test_not_signed_in (Fixture       *f,
                    gconstpointer  data)
{
  GtkWidget *button = koers_sync_indicator_get_button (f->indicator);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->indicator)));
  assert_label_has (f, "title", "Not Signed In");
  g_assert_null (label (f, "account"));
  g_assert_null (label (f, "first-sync"));
  g_assert_null (label (f, "clock"));
  /* Only the way in. */
  g_assert_true (button_shown (f, "win.sign-in"));
  g_assert_false (button_shown (f, "win.sync-now"));
  g_assert_false (button_shown (f, "win.sign-out"));
  g_assert_cmpstr (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)), ==,
                   "network-server-symbolic");
  /* F5 does nothing before a sign-in. */
  g_assert_false (action_enabled (f, "win.sync-now"));
  screenshots (f, "signed-out");

  /* "Sign In…" opens the dialog and the popover steps aside for it. */
  koers_sync_indicator_popup (f->indicator);
  g_assert_true (koers_test_wait_for_boolean (koers_sync_indicator_get_popover (f->indicator),
                                              "visible", TRUE, 2000));
  g_signal_emit_by_name (find_button (f, "win.sign-in"), "clicked");
  g_assert_true (koers_test_wait_for_boolean (koers_sync_indicator_get_popover (f->indicator),
                                              "visible", FALSE, 2000));
  close_sign_in_dialog ();

  /* Changes kept from before a sign-out say where they go. */
  f->status.pending_count = 3;
  apply (f);
  assert_label_has (f, "pending", "3 changes not sent yet");
}

static void
test_synced (Fixture       *f,
             gconstpointer  data)
{
  sign_in (f);
  apply (f);
  assert_label_has (f, "title", "Synced");
  assert_label_has (f, "detail", "Last synced at 10:42");
  g_assert_true (action_enabled (f, "win.sync-now"));
  g_assert_true (action_enabled (f, "win.sign-out"));
  /* Each name and the address isolated (FSI ... PDI), so they keep their order in Arabic. */
  assert_label_has (f, "account",
                    "Signed in as \xe2\x81\xa8Sanne Hulshof\xe2\x81\xa9 "
                    "(\xe2\x81\xa8Werkplein Achterhoek\xe2\x81\xa9) at "
                    "\xe2\x81\xa8" "api.werkplein-achterhoek.nl\xe2\x81\xa9");
  g_assert_null (label (f, "pending"));
  g_assert_null (label (f, "first-sync"));
  g_assert_true (button_shown (f, "win.sync-now"));
  g_assert_true (button_shown (f, "win.sign-out"));
  g_assert_false (button_shown (f, "win.sign-in"));
  g_assert_cmpstr (gtk_menu_button_get_icon_name (
                     GTK_MENU_BUTTON (koers_sync_indicator_get_button (f->indicator))),
                   ==, "emblem-ok-symbolic");
  if (english ())
    g_assert_cmpstr (gtk_widget_get_tooltip_text (koers_sync_indicator_get_button (f->indicator)),
                     ==, "Synced");
  screenshots (f, "synced");

  /* Another day shows the date. */
  g_free (f->status.last_sync);
  f->status.last_sync = g_strdup ("2026-11-27T16:05:00Z");
  apply (f);
  assert_label_has (f, "detail", "Last synced on 27/11/2026 at 16:05");
}

static void
test_syncing_with_pending (Fixture       *f,
                           gconstpointer  data)
{
  sign_in (f);
  f->status.state = KOERS_SYNC_CLIENT_SYNCING;
  f->status.pending_count = 3;
  apply (f);
  assert_label_has (f, "title", "Syncing…");
  assert_label_has (f, "pending", "3 changes waiting to be sent");
  if (english ())
    g_assert_cmpstr (gtk_widget_get_tooltip_text (koers_sync_indicator_get_button (f->indicator)),
                     ==, "Syncing…\n3 changes waiting to be sent");
  screenshots (f, "syncing");

  f->status.pending_count = 1;
  apply (f);
  assert_label_has (f, "pending", "1 change waiting to be sent");
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  sign_in (f);
  f->status.state = KOERS_SYNC_CLIENT_OFFLINE;
  f->status.pending_count = 12;
  apply (f);
  assert_label_has (f, "title", "Offline");
  assert_label_has (f, "detail", "kept on this computer");
  assert_label_has (f, "detail", "Last synced at 10:42");
  assert_label_has (f, "pending", "12 changes waiting to be sent");
  g_assert_cmpstr (gtk_menu_button_get_icon_name (
                     GTK_MENU_BUTTON (koers_sync_indicator_get_button (f->indicator))),
                   ==, "network-offline-symbolic");
  screenshots (f, "offline");
}

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  sign_in (f);
  f->status.state = KOERS_SYNC_CLIENT_ERROR;
  f->status.last_error = g_strdup ("The server refused the changes (HTTP 500)");
  apply (f);
  assert_label_has (f, "title", "Sync Failed");
  assert_label_has (f, "detail", "The server refused the changes (HTTP 500)");
  assert_label_has (f, "detail", "tries again by itself");
  /* Sync now stays possible: the coach need not wait for the retry. */
  g_assert_true (button_shown (f, "win.sync-now"));
  screenshots (f, "error");
}

static void
test_first_sync (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *count = g_strdup_printf ("%'d", 12000);
  g_autofree char *expected = g_strdup_printf ("First sync: %s records received", count);
  GtkWidget *bar;

  sign_in (f);
  f->status.initial_sync_complete = FALSE;
  g_clear_pointer (&f->status.last_sync, g_free);
  f->status.state = KOERS_SYNC_CLIENT_SYNCING;
  f->status.records_received = 12000;
  apply (f);
  assert_label_has (f, "first-sync", expected);
  assert_label_has (f, "first-sync", "You can go on working");
  bar = gtk_widget_get_next_sibling (
    GTK_WIDGET (koers_sync_indicator_get_label (f->indicator, "first-sync")));
  g_assert_true (GTK_IS_PROGRESS_BAR (bar));
  g_assert_true (gtk_widget_get_visible (bar));
  /* Never blocks: the window's own actions stay available meanwhile. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->window)));
  screenshots (f, "first-sync");

  /* Interrupted: the caseload is said to be incomplete. */
  f->status.state = KOERS_SYNC_CLIENT_OFFLINE;
  apply (f);
  assert_label_has (f, "first-sync", "not complete yet");

  /* Complete: said in the popover and once as a toast. */
  f->status.state = KOERS_SYNC_CLIENT_SYNCING;
  apply (f);
  f->status.initial_sync_complete = TRUE;
  f->status.state = KOERS_SYNC_CLIENT_IDLE;
  f->status.last_sync = g_strdup ("2026-11-28T10:44:00Z");
  apply (f);
  assert_label_has (f, "first-sync", "First sync complete: all your data is here.");
  g_assert_cmpuint (f->n_toasts, ==, 1);
  if (english ())
    g_assert_cmpstr (f->last_toast, ==, "First sync complete: all your data is here");
  screenshots (f, "first-sync-complete");
  apply (f);
  g_assert_cmpuint (f->n_toasts, ==, 1);
  /* Read once in the popover (the screenshots opened and closed it), it is no news any more:
   * the next time the popover says how the sync goes, not how the first one went. */
  g_assert_null (label (f, "first-sync"));
  g_assert_false (gtk_widget_get_visible (gtk_widget_get_parent (bar)));
}

/* A database that finished its first sync earlier: no toast at start-up. */
static void
test_first_sync_earlier (Fixture       *f,
                         gconstpointer  data)
{
  sign_in (f);
  apply (f);
  g_assert_cmpuint (f->n_toasts, ==, 0);
  g_assert_null (label (f, "first-sync"));
}

static void
test_clock_skewed (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *button = koers_sync_indicator_get_button (f->indicator);

  sign_in (f);
  f->status.clock_offset = 12 * 60;
  f->status.clock_skewed = TRUE;
  apply (f);
  assert_label_has (f, "clock", "differs more than 5 minutes from the server’s");
  assert_label_has (f, "clock", "The server’s clock is 12 minutes ahead.");
  g_assert_true (gtk_widget_has_css_class (button, "warning"));
  g_assert_cmpstr (gtk_menu_button_get_icon_name (GTK_MENU_BUTTON (button)), ==,
                   "dialog-warning-symbolic");
  if (english ())
    g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (button), "clock is off"));
  screenshots (f, "clock");

  f->status.clock_offset = -400;
  apply (f);
  assert_label_has (f, "clock", "The server’s clock is 7 minutes behind.");

  f->status.clock_offset = 20;
  f->status.clock_skewed = FALSE;
  apply (f);
  g_assert_null (label (f, "clock"));
  g_assert_false (gtk_widget_has_css_class (button, "warning"));
}

static void
test_needs_sign_in (Fixture       *f,
                    gconstpointer  data)
{
  sign_in (f);
  f->status.needs_sign_in = TRUE;
  f->status.state = KOERS_SYNC_CLIENT_ERROR;
  f->status.last_error = g_strdup ("Signing in again is needed: the key store is locked");
  f->status.pending_count = 2;
  apply (f);
  /* Not "signed out" beside "signed in as": the account shown is the one last used. */
  assert_label_has (f, "title", "Sign-in Needed");
  assert_label_has (f, "detail", "the key store is locked");
  assert_label_has (f, "account", "Last signed in as");
  /* Told apart from a wrong clock's warning triangle in the header. */
  g_assert_cmpstr (gtk_menu_button_get_icon_name (
                     GTK_MENU_BUTTON (koers_sync_indicator_get_button (f->indicator))), ==,
                   "dialog-password-symbolic");
  assert_label_has (f, "pending", "2 changes not sent yet");
  g_assert_true (button_shown (f, "win.sign-in"));
  g_assert_true (button_shown (f, "win.sign-out"));
  g_assert_false (button_shown (f, "win.sync-now"));
  g_assert_false (action_enabled (f, "win.sync-now"));
  g_assert_true (gtk_widget_has_css_class (koers_sync_indicator_get_button (f->indicator),
                                           "warning"));
  screenshots (f, "needs-sign-in");
}

static AdwMessageDialog *
find_message (const char *heading)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window)
          && gtk_widget_get_visible (GTK_WIDGET (window))
          && (heading == NULL
              || g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)),
                            heading) == 0))
        return ADW_MESSAGE_DIALOG (window);
    }
  return NULL;
}

static void
test_unsent_question (Fixture       *f,
                      gconstpointer  data)
{
  AdwMessageDialog *dialog;

  sign_in (f);
  apply (f);

  /* Records made before the sign-in: asked, never sent silently. */
  g_signal_emit_by_name (f->service, "unsent-records", 200u, TRUE);
  koers_test_spin (200);
  dialog = find_message (NULL);
  g_assert_nonnull (dialog);
  if (english ())
    {
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                       "Send Demo Records to the Server?");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "200 participants"));
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "made-up demo records"));
    }
  /* Keeping them is the default for demo data. */
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "keep");
  g_assert_cmpint (adw_message_dialog_get_response_appearance (dialog, "send"), ==,
                   ADW_RESPONSE_DESTRUCTIVE);
  {
    g_autofree char *name = g_strdup_printf ("sync-unsent-demo-%s", language);
    g_autofree char *path = koers_test_save_screenshot (GTK_WIDGET (dialog), name);
  }
  /* As the button does: the answer, then the dialog closes. */
  adw_message_dialog_response (dialog, "keep");
  gtk_window_close (GTK_WINDOW (dialog));
  koers_test_spin (200);
  g_assert_null (find_message (NULL));
  g_assert_cmpuint (f->n_toasts, ==, 0);

  /* A real caseload: sending is the suggestion. */
  g_signal_emit_by_name (f->service, "unsent-records", 1u, FALSE);
  koers_test_spin (200);
  dialog = find_message (NULL);
  g_assert_nonnull (dialog);
  if (english ())
    {
      g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==,
                       "Send Your Caseload to the Server?");
      g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1 participant the"));
    }
  g_assert_cmpstr (adw_message_dialog_get_default_response (dialog), ==, "send");
  gtk_window_close (GTK_WINDOW (dialog));
  koers_test_spin (200);
}

static void
test_accessible_names (Fixture       *f,
                       gconstpointer  data)
{
  GtkWidget *button = koers_sync_indicator_get_button (f->indicator);
  g_autofree char *name = NULL;

  sign_in (f);
  f->status.state = KOERS_SYNC_CLIENT_OFFLINE;
  f->status.pending_count = 2;
  apply (f);
  koers_sync_indicator_popup (f->indicator);
  koers_test_spin (300);
  koers_test_assert_accessible_names (koers_sync_indicator_get_popover (f->indicator));
  koers_test_assert_accessible_names (GTK_WIDGET (f->indicator));
  /* The header button says the state, not just "Sync". */
  if (english ())
    g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_popover_popdown (GTK_POPOVER (koers_sync_indicator_get_popover (f->indicator)));
  koers_test_spin (100);
}

/* A window without sync (tests, tools) shows no button at all. */
static void
test_no_service (void)
{
  g_autoptr(KoersStore) store = koers_test_make_store ();
  g_autoptr(KoersContext) context = koers_context_new (store, NULL);
  KoersWindow *window = koers_window_new (NULL, context);
  GtkWidget *indicator;

  gtk_window_present (GTK_WINDOW (window));
  koers_test_spin (100);
  indicator = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), KOERS_TYPE_WINDOW,
                                                         "sync_indicator"));
  g_assert_false (gtk_widget_get_visible (indicator));
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_spin (50);
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  g_setenv ("GTK_A11Y", "test", TRUE);
  koers_test_init_like_app (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/sync-indicator/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("not-signed-in", test_not_signed_in);
  ADD ("synced", test_synced);
  ADD ("syncing-with-pending", test_syncing_with_pending);
  ADD ("offline", test_offline);
  ADD ("error", test_error);
  ADD ("first-sync", test_first_sync);
  ADD ("first-sync-earlier", test_first_sync_earlier);
  ADD ("clock-skewed", test_clock_skewed);
  ADD ("needs-sign-in", test_needs_sign_in);
  ADD ("unsent-question", test_unsent_question);
  ADD ("accessible-names", test_accessible_names);
#undef ADD
  g_test_add_func ("/sync-indicator/no-service", test_no_service);
  return g_test_run ();
}
