/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sign-in dialog: a bad server address is refused with a message naming it and nothing
 * opens; a good one opens the browser on the server's authorization page and waits; an answer
 * with another attempt's state (a stale tab, someone else's code) is ignored, pasted or
 * delivered; Cancel forgets the attempt. Against the real in-process koers-server: the coach
 * logs in on the server's form (as the browser would), and the address the server redirects
 * to completes the sign-in, pasted into the fallback field or delivered as GApplication::open
 * delivers it; a key store that cannot keep the token leaves Koers signed out, said in the
 * dialog. Runs per language (--lang en|nl|ar) for the screenshots sign-in-<page>-<lang>.png;
 * the cases against the server run in English only.
 */
#include "config.h"

#include <adwaita.h>

#include "app/koers-context.h"
#include "app/koers-sync-service.h"
#include "koers-screenshot-helpers.h"
#include "koers-test-helpers.h"
#include "sync/koers-test-key-store.h"
#include "koers-test-server.h"
#include "koers-ui-test-helpers.h"
#include "window/koers-sign-in-dialog.h"
#include "window/koers-window.h"

#include <string.h>

#define WAIT_MS 20000
#define PASSWORD "correct paard batterij nietje"

static const char *language;

typedef struct
{
  KoersTestServer   *server;   /* (nullable): only the cases that sign in for real */
  char              *url;
  KoersStore        *store;
  KoersSyncService  *service;
  KoersTestKeyStore *key_store;
  KoersSignInDialog *dialog;
  char              *opened;   /* what the dialog asked the browser to open */
  guint              n_opened;
} Fixture;

static void
open_uri_cb (KoersSignInDialog *dialog,
             const char        *uri,
             gpointer           user_data)
{
  Fixture *f = user_data;

  g_free (f->opened);
  f->opened = g_strdup (uri);
  f->n_opened++;
}

static void
set_up (Fixture  *f,
        gboolean  with_server)
{
  if (with_server)
    {
      f->server = koers_test_server_new (KOERS_SERVER_DB_SQLITE);
      f->url = g_strdup_printf ("http://127.0.0.1:%u", f->server->port);
    }
  f->store = koers_test_make_store ();
  f->key_store = koers_test_key_store_new ();
  f->service = koers_sync_service_new (f->store);
  koers_sync_service_set_key_store (f->service, KOERS_KEY_STORE (f->key_store));
  koers_sync_service_start (f->service);
  f->dialog = KOERS_SIGN_IN_DIALOG (koers_sign_in_dialog_new (NULL, f->service));
  g_object_add_weak_pointer (G_OBJECT (f->dialog), (gpointer *) &f->dialog);
  koers_sign_in_dialog_set_open_uri_func (f->dialog, open_uri_cb, f);
  gtk_window_present (GTK_WINDOW (f->dialog));
  koers_test_spin (100);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  set_up (f, FALSE);
}

static void
fixture_set_up_server (Fixture       *f,
                       gconstpointer  data)
{
  set_up (f, TRUE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (f->dialog));
  koers_test_spin (50);
  koers_sync_service_shutdown (f->service);
  g_clear_object (&f->service);
  koers_store_close (f->store);
  g_clear_object (&f->store);
  g_clear_object (&f->key_store);
  if (f->server != NULL)
    koers_test_server_spin (50);
  g_clear_pointer (&f->server, koers_test_server_free);
  g_free (f->url);
  g_free (f->opened);
}

static void
type_address (Fixture    *f,
              const char *address)
{
  GtkEditable *row = GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                                   KOERS_TYPE_SIGN_IN_DIALOG,
                                                                   "server_row"));

  gtk_editable_set_text (row, address);
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "sign-in.start", NULL);
  koers_test_spin (50);
}

static void
paste (Fixture    *f,
       const char *address)
{
  GtkWidget *row = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (f->dialog),
                                                               KOERS_TYPE_SIGN_IN_DIALOG,
                                                               "paste_row"));

  gtk_editable_set_text (GTK_EDITABLE (row), address);
  g_signal_emit_by_name (row, "apply");
  koers_test_spin (50);
}

static void
save (Fixture    *f,
      const char *what)
{
  g_autofree char *name = g_strdup_printf ("sign-in-%s-%s", what, language);
  g_autofree char *path = NULL;

  koers_test_spin (500);
  path = koers_test_save_screenshot (GTK_WIDGET (f->dialog), name);
}

static gboolean
english (void)
{
  return g_str_equal (language, "en");
}

/* --- without a server ------------------------------------------------------------------- */

static void
test_bad_address (Fixture       *f,
                  gconstpointer  data)
{
  const char *error;

  type_address (f, "ftp://koers.werkplein.nl");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "address");
  error = koers_sign_in_dialog_get_error (f->dialog);
  g_assert_nonnull (error);
  if (english ())
    {
      g_assert_nonnull (strstr (error, "Server address"));
      g_assert_nonnull (strstr (error, "https://"));
    }
  g_assert_cmpuint (f->n_opened, ==, 0);
  save (f, "bad-address");

  /* Plain http leaves this computer unprotected: only for a server on this computer. */
  type_address (f, "http://koers.werkplein.nl");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "address");
  if (english ())
    g_assert_nonnull (strstr (koers_sign_in_dialog_get_error (f->dialog), "this computer"));
  type_address (f, "");
  g_assert_nonnull (koers_sign_in_dialog_get_error (f->dialog));
  g_assert_cmpuint (f->n_opened, ==, 0);

  /* A good address opens the server's own sign-in page. */
  type_address (f, "https://koers.werkplein.nl/");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");
  g_assert_null (koers_sign_in_dialog_get_error (f->dialog));
  g_assert_cmpuint (f->n_opened, ==, 1);
  g_assert_true (g_str_has_prefix (f->opened,
                                   "https://koers.werkplein.nl/oauth/autoriseren?"));
  g_assert_nonnull (strstr (f->opened, "code_challenge_method=S256"));
  save (f, "waiting");

  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "sign-in.open-browser", NULL);
  g_assert_cmpuint (f->n_opened, ==, 2);
}

static void
test_wrong_state_ignored (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *state = NULL;
  g_autofree char *right = NULL;

  type_address (f, "https://koers.werkplein.nl");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");
  {
    g_autoptr(GUri) uri = g_uri_parse (f->opened, G_URI_FLAGS_ENCODED, NULL);
    g_autoptr(GHashTable) query = g_uri_parse_params (g_uri_get_query (uri), -1, "&",
                                                      G_URI_PARAMS_WWW_FORM, NULL);

    state = g_strdup (g_hash_table_lookup (query, "state"));
    g_assert_nonnull (state);
  }
  right = g_strdup_printf ("nl.achterhoek.koers:/oauth/terug?code=abc&state=%s", state);

  /* As GApplication::open delivers answers: another attempt's is not taken. */
  g_assert_false (koers_sign_in_dialog_handle_redirect (
                    f->dialog, "nl.achterhoek.koers:/oauth/terug?code=abc&state=another"));
  g_assert_false (koers_sign_in_dialog_handle_redirect (
                    f->dialog, "nl.achterhoek.koers:/oauth/terug?code=abc"));
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");
  g_assert_null (koers_sign_in_dialog_get_error (f->dialog));

  /* Pasted: said, and still waiting for the right one. */
  paste (f, "nl.achterhoek.koers:/oauth/terug?code=abc&state=another");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");
  g_assert_nonnull (koers_sign_in_dialog_get_error (f->dialog));
  if (english ())
    g_assert_nonnull (strstr (koers_sign_in_dialog_get_error (f->dialog),
                              "not the address Koers waits for"));
  save (f, "wrong-answer");
  paste (f, "https://koers.werkplein.nl/?state=x");
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");

  /* Cancelled: the attempt is gone, so even its own answer is no longer taken. */
  gtk_widget_activate_action (GTK_WIDGET (f->dialog), "sign-in.cancel", NULL);
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "address");
  g_assert_false (koers_sign_in_dialog_handle_redirect (f->dialog, right));
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "address");
  g_assert_false (koers_sync_service_get_signed_in (f->service));
}

/* --- against the server ----------------------------------------------------------------- */

typedef struct
{
  GBytes   *body;
  GError   *error;
  gboolean  done;
} Post;

static void
posted_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Post *post = user_data;

  post->body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &post->error);
  post->done = TRUE;
}

static gboolean
post_done (gpointer data)
{
  return ((Post *) data)->done;
}

/* What the browser does: the coach logs in on the server's form; the server answers with a
 * redirect to Koers's scheme, whose address is returned (transfer full). */
static char *
log_in_in_browser (Fixture *f)
{
  g_autoptr(GUri) uri = g_uri_parse (f->opened, G_URI_FLAGS_ENCODED, NULL);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) form = NULL;
  g_autofree char *target = g_strconcat (f->url, "/oauth/autoriseren", NULL);
  Post post = { 0 };
  char *text;

  g_assert_nonnull (uri);
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  text = soup_form_encode ("client_id", g_hash_table_lookup (query, "client_id"),
                           "redirect_uri", g_hash_table_lookup (query, "redirect_uri"),
                           "code_challenge", g_hash_table_lookup (query, "code_challenge"),
                           "code_challenge_method", "S256",
                           "apparaat", g_hash_table_lookup (query, "apparaat"),
                           "gebruikersnaam", "coach.a",
                           "wachtwoord", PASSWORD,
                           "state", g_hash_table_lookup (query, "state"),
                           NULL);
  form = g_bytes_new_take (text, strlen (text));
  msg = soup_message_new ("POST", target);
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", form);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, posted_cb, &post);
  g_assert_true (koers_test_wait_until (post_done, &post, WAIT_MS));
  g_assert_no_error (post.error);
  g_bytes_unref (post.body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_SEE_OTHER);
  return g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                 "Location"));
}

static gboolean
dialog_gone (gpointer data)
{
  Fixture *f = data;

  return f->dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (f->dialog));
}

static void
assert_signed_in (Fixture *f)
{
  g_assert_true (koers_test_wait_until (dialog_gone, f, WAIT_MS));
  g_assert_true (koers_sync_service_get_signed_in (f->service));
  g_assert_cmpstr (koers_sync_service_get_server_url (f->service), ==, f->url);
  /* The refresh token went to the key store, and nowhere in the caseload. */
  g_assert_cmpuint (koers_test_key_store_count (f->key_store), ==, 1);
}

static void
test_pasted_address_signs_in (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *answer = NULL;

  type_address (f, f->url);
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "waiting");
  answer = log_in_in_browser (f);
  g_assert_true (g_str_has_prefix (answer, "nl.achterhoek.koers:/oauth/terug?"));
  paste (f, answer);
  assert_signed_in (f);
}

static void
test_redirect_signs_in (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *answer = NULL;

  type_address (f, f->url);
  answer = log_in_in_browser (f);
  g_assert_true (koers_sign_in_dialog_handle_redirect (f->dialog, answer));
  assert_signed_in (f);
}

static gboolean
shows_error (gpointer data)
{
  Fixture *f = data;

  return koers_sign_in_dialog_get_error (f->dialog) != NULL;
}

static void
test_key_store_fails (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *answer = NULL;

  koers_test_key_store_fail (f->key_store, KOERS_TEST_KEY_STORE_ALL,
                             KOERS_KEY_STORE_ERROR_UNAVAILABLE);
  type_address (f, f->url);
  answer = log_in_in_browser (f);
  paste (f, answer);
  g_assert_true (koers_test_wait_until (shows_error, f, WAIT_MS));
  g_assert_cmpstr (koers_sign_in_dialog_get_page (f->dialog), ==, "address");
  g_assert_nonnull (strstr (koers_sign_in_dialog_get_error (f->dialog), "key store"));
  g_assert_false (koers_sync_service_get_signed_in (f->service));
  save (f, "key-store-fails");
}

/* --- from the window ------------------------------------------------------------------- */

static guint
count_dialogs (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      n += KOERS_IS_SIGN_IN_DIALOG (window) && gtk_widget_get_visible (window);
    }
  return n;
}

static void
test_window_action (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(KoersContext) context = koers_context_new_full (f->store, NULL, f->service);
  KoersWindow *window = koers_window_new (NULL, context);

  gtk_window_destroy (GTK_WINDOW (f->dialog));
  koers_test_spin (50);
  g_assert_cmpuint (count_dialogs (), ==, 0);
  gtk_window_present (GTK_WINDOW (window));
  koers_test_spin (100);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL));
  koers_test_spin (100);
  g_assert_cmpuint (count_dialogs (), ==, 1);
  /* Once more: the same dialog comes forward, so one answer belongs to one attempt. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sign-in", NULL);
  koers_test_spin (100);
  g_assert_cmpuint (count_dialogs (), ==, 1);
  gtk_window_destroy (GTK_WINDOW (window));
  koers_test_spin (100);
  g_assert_cmpuint (count_dialogs (), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  language = koers_test_language_from_args (&argc, &argv);
  koers_test_init_like_app (&argc, &argv);

  g_test_add ("/sign-in-dialog/bad-address", Fixture, NULL, fixture_set_up, test_bad_address,
              fixture_tear_down);
  g_test_add ("/sign-in-dialog/wrong-state-ignored", Fixture, NULL, fixture_set_up,
              test_wrong_state_ignored, fixture_tear_down);
  if (english ())
    {
      g_test_add ("/sign-in-dialog/pasted-address-signs-in", Fixture, NULL,
                  fixture_set_up_server, test_pasted_address_signs_in, fixture_tear_down);
      g_test_add ("/sign-in-dialog/redirect-signs-in", Fixture, NULL, fixture_set_up_server,
                  test_redirect_signs_in, fixture_tear_down);
      g_test_add ("/sign-in-dialog/key-store-fails", Fixture, NULL, fixture_set_up_server,
                  test_key_store_fails, fixture_tear_down);
      g_test_add ("/sign-in-dialog/window-action", Fixture, NULL, fixture_set_up,
                  test_window_action, fixture_tear_down);
    }
  return g_test_run ();
}
