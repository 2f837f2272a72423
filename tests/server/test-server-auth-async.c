/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Password checks run off koers-server's main loop: other requests are answered while a login
 * is being verified, too many logins at once get 503 + Retry-After instead of a backlog, and
 * freeing the auth object with a login in flight neither crashes nor answers. SQLite and
 * PostgreSQL. */
#include "config.h"

#include "server/koers-server-auth.h"
#include "server/koers-server-auth-private.h"

#include "koers-test-oauth.h"
#include "koers-test-postgres.h"

#include <string.h>

#define FORM "application/x-www-form-urlencoded"

static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Spins until the server has read @n requests. */
static void
wait_for_requests (guint *count,
                   guint  n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (*count < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Holds every password check on the worker thread until released, so a test can look at the
 * server while a check is under way without racing a stopwatch. */
typedef struct {
  GMutex   lock;
  GCond    cond;
  guint    n_entered;
  gboolean released;
} Gate;

static void
gate_init (Gate *gate)
{
  g_mutex_init (&gate->lock);
  g_cond_init (&gate->cond);
  gate->n_entered = 0;
  gate->released = FALSE;
}

/* The verify hook: runs on the worker thread. */
static void
gate_hold (const char *encoded_hash,
           gpointer    user_data)
{
  Gate *gate = user_data;

  g_mutex_lock (&gate->lock);
  gate->n_entered++;
  g_cond_broadcast (&gate->cond);
  while (!gate->released)
    g_cond_wait (&gate->cond, &gate->lock);
  g_mutex_unlock (&gate->lock);
}

static guint
gate_n_entered (Gate *gate)
{
  guint n;

  g_mutex_lock (&gate->lock);
  n = gate->n_entered;
  g_mutex_unlock (&gate->lock);
  return n;
}

/* Runs the main loop until a check is held at the gate (bounded: 10 s). */
static void
wait_for_gate (Gate *gate)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (gate_n_entered (gate) == 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
gate_release (Gate *gate)
{
  g_mutex_lock (&gate->lock);
  gate->released = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->lock);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->lock);
  g_cond_clear (&gate->cond);
}

static void
use_many_connections (KoersTestOAuth *t)
{
  g_object_unref (t->session);
  t->session = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
}

static void
test_loop_stays_free (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *form = koers_test_login_form ("coach.een", KOERS_TEST_PASSWORD, challenge,
                                                 "s");
  g_autofree char *path = koers_test_authorize_path (challenge, "s");
  g_autoptr(KoersTestResponse) page = NULL;
  g_autoptr(KoersTestResponse) login = NULL;
  KoersTestCall *login_call;
  Gate gate;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  use_many_connections (&t);
  gate_init (&gate);
  koers_server_auth_set_verify_hook (t.auth, gate_hold, &gate);

  login_call = koers_test_oauth_start (&t, "POST", "/oauth/autoriseren", FORM, form);
  wait_for_gate (&gate);
  /* The login's password check is under way (held at the gate); a page request is answered
   * meanwhile, not after it. */
  page = koers_test_oauth_request (&t, "GET", path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
  g_assert_false (koers_test_call_is_done (login_call));

  gate_release (&gate);
  login = koers_test_call_finish (login_call, NULL);
  g_assert_nonnull (login);
  g_assert_cmpuint (login->status, ==, SOUP_STATUS_SEE_OTHER);
  koers_test_assert_common_headers (login);
  koers_test_oauth_teardown (&t);
  gate_clear (&gate);
}

static void
test_too_many_at_once (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  KoersTestCall *calls[9];
  guint read = 0;
  guint refused = 0;
  guint unavailable = 0;
  Gate gate;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  use_many_connections (&t);
  g_signal_connect (t.server, "request-read", G_CALLBACK (on_request_read), &read);
  /* The first check is held, so all nine are waiting at once whatever the machine's speed. */
  gate_init (&gate);
  koers_server_auth_set_verify_hook (t.auth, gate_hold, &gate);

  /* Eight checks may wait for the one worker; the ninth is turned away at once. */
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *name = g_strdup_printf ("onbekend.%u", i);
      g_autofree char *form = koers_test_login_form (name, "fout", challenge, "s");

      calls[i] = koers_test_oauth_start (&t, "POST", "/oauth/autoriseren", FORM, form);
    }
  wait_for_requests (&read, G_N_ELEMENTS (calls));
  gate_release (&gate);
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersTestResponse) response = koers_test_call_finish (calls[i], &error);

      g_assert_no_error (error);
      koers_test_assert_common_headers (response);
      if (response->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        {
          g_assert_cmpstr (soup_message_headers_get_one (response->headers, "Retry-After"), ==,
                           "30");
          unavailable++;
        }
      else
        {
          g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
          refused++;
        }
    }
  g_assert_cmpuint (refused, ==, 8);
  g_assert_cmpuint (unavailable, ==, 1);
  koers_test_oauth_teardown (&t);
  gate_clear (&gate);
}

static void
test_freed_while_verifying (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  g_autofree char *form = koers_test_login_form ("coach.een", KOERS_TEST_PASSWORD, challenge,
                                                 "s");
  g_autoptr(KoersTestResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  KoersTestCall *call;
  guint read = 0;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  g_signal_connect (t.server, "request-read", G_CALLBACK (on_request_read), &read);

  call = koers_test_oauth_start (&t, "POST", "/oauth/autoriseren", FORM, form);
  wait_for_requests (&read, 1);
  /* Shutting down mid-login: the auth object waits for the worker, and the answer that
   * arrives afterwards is dropped (nothing is written to the closed database either). */
  koers_server_auth_free (t.auth);
  t.auth = koers_server_auth_new (t.db);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  soup_server_disconnect (t.server);
  response = koers_test_call_finish (call, &error);
  g_assert_null (response);
  g_assert_nonnull (error);
  koers_test_oauth_teardown (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-auth-async/loop-stays-free", test_loop_stays_free);
  koers_test_server_db_add ("/server-auth-async/too-many-at-once", test_too_many_at_once);
  koers_test_server_db_add ("/server-auth-async/freed-while-verifying",
                            test_freed_while_verifying);
  return g_test_run ();
}
