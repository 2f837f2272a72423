/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-server's login page and what decides whether a token still works: escaping, no user
 * enumeration, failed-login back-off (429 + Retry-After), disabled users, revoked devices,
 * device lists per role, bearer header parsing. Every case runs on SQLite and PostgreSQL. */
#include "config.h"

#include "server/koers-server-auth.h"
#include "server/koers-server-auth-private.h"

#include "koers-test-oauth.h"
#include "koers-test-postgres.h"

#include <string.h>

#define GENERIC_FAILURE "De gebruikersnaam of het wachtwoord klopt niet."

static KoersServerCaller *
caller_for (KoersTestOAuth *t,
            const char     *access)
{
  g_autofree char *header = g_strconcat ("Bearer ", access, NULL);
  g_autoptr(GError) error = NULL;
  KoersServerCaller *caller = koers_server_auth_check_bearer (t->auth, header, &error);

  if (caller == NULL)
    g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
  return caller;
}

static gboolean
bearer_ok (KoersTestOAuth *t,
           const char     *access)
{
  g_autoptr(KoersServerCaller) caller = caller_for (t, access);

  return caller != NULL;
}

static char *
issue (KoersTestOAuth *t,
       const char     *user_id,
       char          **out_access,
       char          **out_refresh)
{
  g_autoptr(GError) error = NULL;
  char *device_id = koers_server_auth_issue_tokens (t->auth, user_id, "Werklaptop", out_access,
                                                    out_refresh, &error);

  g_assert_no_error (error);
  g_assert_nonnull (device_id);
  return device_id;
}

static KoersTestResponse *
try_login (KoersTestOAuth *t,
           const char     *username,
           const char     *password)
{
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);

  return koers_test_oauth_login (t, username, password, challenge, "s");
}

static void
assert_refused_login (KoersTestResponse *response)
{
  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  g_assert_null (soup_message_headers_get_one (response->headers, "Location"));
  g_assert_nonnull (strstr (response->body, GENERIC_FAILURE));
  koers_test_assert_common_headers (response);
}

static void
test_page_escapes_input (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *verifier = koers_test_pkce_verifier ();
  g_autofree char *challenge = koers_test_pkce_challenge (verifier);
  const char *hostile = "\"><script>alert('x')</script><a href=\"";
  g_autofree char *path = koers_test_authorize_path (challenge, hostile);
  g_autoptr(KoersTestResponse) page = NULL;
  g_autoptr(KoersTestResponse) again = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  page = koers_test_oauth_request (&t, "GET", path, NULL, NULL);
  g_assert_cmpuint (page->status, ==, SOUP_STATUS_OK);
  g_assert_null (strstr (page->body, "<script"));
  g_assert_null (strstr (page->body, "<a href"));
  g_assert_nonnull (strstr (page->body, "value=\"&quot;&gt;&lt;script&gt;alert(&apos;x&apos;)"));

  /* After a failure the page comes back with what was typed, escaped as well. */
  again = koers_test_oauth_login (&t, "<b>coach</b>", "fout wachtwoord", challenge, hostile);
  assert_refused_login (again);
  g_assert_null (strstr (again->body, "<script"));
  g_assert_null (strstr (again->body, "<b>"));
  g_assert_nonnull (strstr (again->body, "&lt;b&gt;coach&lt;/b&gt;"));
  g_assert_nonnull (strstr (again->body, "role=\"alert\""));
  koers_test_oauth_teardown (&t);
}

typedef struct {
  GMutex     lock;
  GPtrArray *hashes;   /* (element-type utf8): every hash a login was checked against */
} VerifiedHashes;

/* On the password worker thread. */
static void
record_verified_hash (const char *encoded_hash,
                      gpointer    user_data)
{
  VerifiedHashes *verified = user_data;

  g_mutex_lock (&verified->lock);
  g_ptr_array_add (verified->hashes, g_strdup (encoded_hash));
  g_mutex_unlock (&verified->lock);
}

/* (transfer full) "$argon2id$v=19$m=65536,t=2,p=1$salt$hash" -> "$argon2id$v=19$m=65536,t=2,
 * p=1$": what decides how long a check takes. */
static char *
hash_parameters (const char *encoded_hash)
{
  const char *end = encoded_hash;

  for (guint dollars = 0; *end != '\0' && dollars < 4; end++)
    if (*end == '$')
      dollars++;
  return g_strndup (encoded_hash, end - encoded_hash);
}

static void
test_no_user_enumeration (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  VerifiedHashes verified = { .hashes = g_ptr_array_new_with_free_func (g_free) };
  g_autoptr(KoersTestResponse) unknown = NULL;
  g_autoptr(KoersTestResponse) wrong = NULL;
  g_autoptr(KoersTestResponse) disabled = NULL;
  g_autofree char *other_id = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);
  other_id = koers_test_oauth_add_user (&t, "coach.twee", KOERS_SERVER_ROLE_COACH);
  koers_server_auth_set_user_disabled (t.auth, other_id, TRUE, &error);
  g_assert_no_error (error);

  /* An unknown name still costs one Argon2id verification with the parameters of a real
   * hash, so the answer time does not tell whether the account exists. Checked by what is
   * verified, not by a stopwatch (timings on a shared machine prove nothing). */
  g_mutex_init (&verified.lock);
  koers_server_auth_set_verify_hook (t.auth, record_verified_hash, &verified);
  unknown = try_login (&t, "niemand", KOERS_TEST_PASSWORD);
  wrong = try_login (&t, "coach.een", "verkeerd wachtwoord");
  /* A disabled account with the right password looks exactly like a wrong password. */
  disabled = try_login (&t, "coach.twee", KOERS_TEST_PASSWORD);
  koers_server_auth_set_verify_hook (t.auth, NULL, NULL);
  g_assert_cmpuint (verified.hashes->len, ==, 3);
  /* The unknown name (first) was checked like the two real accounts. */
  for (guint i = 1; i < verified.hashes->len; i++)
    {
      g_autofree char *unknown_parameters = hash_parameters (verified.hashes->pdata[0]);
      g_autofree char *real_parameters = hash_parameters (verified.hashes->pdata[i]);

      g_assert_cmpstr (unknown_parameters, ==, real_parameters);
    }
  g_assert_true (g_str_has_prefix (verified.hashes->pdata[0], "$argon2id$"));
  g_ptr_array_unref (verified.hashes);
  g_mutex_clear (&verified.lock);
  assert_refused_login (unknown);
  assert_refused_login (wrong);
  assert_refused_login (disabled);
  koers_test_oauth_teardown (&t);
}

static gint64
retry_after (KoersTestResponse *response)
{
  const char *value;

  g_assert_cmpuint (response->status, ==, 429);
  value = soup_message_headers_get_one (response->headers, "Retry-After");
  g_assert_nonnull (value);
  return g_ascii_strtoll (value, NULL, 10);
}

static void
test_backoff_per_username (KoersServerDbBackend backend)
{
  KoersTestOAuth t;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(KoersTestResponse) failure = try_login (&t, "coach.een", "fout");

      assert_refused_login (failure);
      koers_test_oauth_advance (&t, 10);
    }
  {
    /* Blocked: even the right password is not checked now. */
    g_autoptr(KoersTestResponse) blocked = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpint (retry_after (blocked), ==, 30 - 10);
    g_assert_null (soup_message_headers_get_one (blocked->headers, "Location"));
    koers_test_assert_common_headers (blocked);
  }
  koers_test_oauth_advance (&t, 21);
  {
    /* A failure after the wait doubles it. */
    g_autoptr(KoersTestResponse) failure = try_login (&t, "coach.een", "fout");
    g_autoptr(KoersTestResponse) blocked = NULL;

    assert_refused_login (failure);
    blocked = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);
    g_assert_cmpint (retry_after (blocked), ==, 60);
  }
  koers_test_oauth_advance (&t, 60);
  {
    g_autoptr(KoersTestResponse) success = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpuint (success->status, ==, SOUP_STATUS_SEE_OTHER);
  }
  /* The success cleared the counter: four more failures are allowed before a wait. */
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(KoersTestResponse) failure = try_login (&t, "coach.een", "fout");

      assert_refused_login (failure);
    }
  {
    g_autoptr(KoersTestResponse) success = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpuint (success->status, ==, SOUP_STATUS_SEE_OTHER);
  }
  koers_test_oauth_teardown (&t);
}

/* @count failed logins, each for another unknown username (so only the address counter can
 * block). */
static void
fail_with_other_names (KoersTestOAuth *t,
                       guint           count)
{
  for (guint i = 0; i < count; i++)
    {
      g_autofree char *name = g_strdup_printf ("onbekend.%02u", i);
      g_autoptr(KoersTestResponse) failure = try_login (t, name, "fout");

      assert_refused_login (failure);
    }
}

static void
test_backoff_per_address_and_window (KoersServerDbBackend backend)
{
  KoersTestOAuth t;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  /* One office behind NAT shares an address: a colleague who mistypes five times is blocked
   * (per username), the others are not. */
  for (guint i = 0; i < KOERS_AUTH_FREE_FAILURES_USER; i++)
    {
      g_autoptr(KoersTestResponse) failure = try_login (&t, "a.bakker", "fout");

      assert_refused_login (failure);
    }
  {
    g_autoptr(KoersTestResponse) blocked = try_login (&t, "a.bakker", "fout");
    g_autoptr(KoersTestResponse) success = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpint (retry_after (blocked), ==, 30);
    g_assert_cmpuint (success->status, ==, SOUP_STATUS_SEE_OTHER);
  }

  /* Failures followed by more than 15 minutes of quiet are forgotten: the fifty below would
   * otherwise be blocked before the last. */
  koers_test_oauth_advance (&t, 15 * 60 + 1);

  /* Fifty different (unknown) usernames from one address within the window: the address is
   * blocked, so the next attempt for a real user waits too. */
  fail_with_other_names (&t, KOERS_AUTH_FREE_FAILURES_ADDRESS);
  {
    g_autoptr(KoersTestResponse) blocked = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpint (retry_after (blocked), ==, 30);
  }
  koers_test_oauth_advance (&t, 30);
  {
    g_autoptr(KoersTestResponse) success = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpuint (success->status, ==, SOUP_STATUS_SEE_OTHER);
  }
  koers_test_oauth_teardown (&t);
}

static void
test_backoff_behind_proxy (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  const char *const proxies[] = { "127.0.0.1", "10.0.0.2", NULL };

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  /* Untrusted: anyone can write X-Forwarded-For, so it changes nothing. */
  t.forwarded_for = "203.0.113.5";
  fail_with_other_names (&t, KOERS_AUTH_FREE_FAILURES_ADDRESS);
  t.forwarded_for = "198.51.100.7";
  {
    g_autoptr(KoersTestResponse) blocked = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpint (retry_after (blocked), ==, 30);
  }
  koers_test_oauth_advance (&t, 30);

  /* Behind a trusted proxy each client has its own counter: one client's failures do not
   * lock out the next. A spoofed entry left of the real client is ignored. */
  koers_server_auth_set_trusted_proxies (t.auth, proxies);
  t.forwarded_for = "192.0.2.99, 203.0.113.5, 10.0.0.2";
  fail_with_other_names (&t, KOERS_AUTH_FREE_FAILURES_ADDRESS);
  {
    g_autoptr(KoersTestResponse) blocked = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpint (retry_after (blocked), ==, 30);
  }
  t.forwarded_for = "203.0.113.77, 198.51.100.7";
  {
    g_autoptr(KoersTestResponse) success = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    g_assert_cmpuint (success->status, ==, SOUP_STATUS_SEE_OTHER);
  }
  koers_test_oauth_teardown (&t);
}

/* The outcome of a login is only known after its password check, which is queued: eight
 * wrong guesses sent at once must not all pass a counter that allows five. The attempts
 * still under way count as failures; once they are counted the usual wait applies. */
static void
test_backoff_parallel_attempts (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  KoersTestCall *calls[8];
  guint refused = 0;
  guint blocked = 0;

  koers_test_oauth_setup (&t, backend);
  koers_test_oauth_listen (&t);

  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autofree char *verifier = koers_test_pkce_verifier ();
      g_autofree char *challenge = koers_test_pkce_challenge (verifier);
      g_autofree char *form = koers_test_login_form ("coach.een", "fout", challenge, "s");

      calls[i] = koers_test_oauth_start (&t, "POST", "/oauth/autoriseren",
                                         "application/x-www-form-urlencoded", form);
    }
  for (guint i = 0; i < G_N_ELEMENTS (calls); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(KoersTestResponse) response = koers_test_call_finish (calls[i], &error);

      g_assert_no_error (error);
      if (response->status == 429)
        {
          blocked++;
          g_assert_cmpint (retry_after (response), >, 0);
        }
      else
        {
          assert_refused_login (response);
          refused++;
        }
    }
  /* At most five passwords were tried; the rest waited. */
  g_assert_cmpuint (refused, <=, KOERS_AUTH_FREE_FAILURES_USER);
  g_assert_cmpuint (blocked, >=, G_N_ELEMENTS (calls) - KOERS_AUTH_FREE_FAILURES_USER);
  {
    g_autoptr(KoersTestResponse) after = try_login (&t, "coach.een", KOERS_TEST_PASSWORD);

    if (refused == KOERS_AUTH_FREE_FAILURES_USER)
      g_assert_cmpint (retry_after (after), ==, 30);
  }
  koers_test_oauth_teardown (&t);
}

static void
test_bearer_header_parsing (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *access = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *refresh_token = NULL;
  g_autofree char *lower = NULL;
  static const char *const refused[] = {
    "", "Bearer", "Bearer ", "Basic Y29hY2g6d2FjaHR3b29yZA==", "Bearer kort",
    "Bearer AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
  };

  koers_test_oauth_setup (&t, backend);
  device_id = issue (&t, t.coach_id, &access, &refresh_token);

  /* A refresh token is not an access token. */
  g_assert_false (bearer_ok (&t, refresh_token));
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_null (koers_server_auth_check_bearer (t.auth, refused[i], &error));
      g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
    }
  {
    g_autoptr(GError) error = NULL;

    g_assert_null (koers_server_auth_check_bearer (t.auth, NULL, &error));
    g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
  }
  /* The scheme is case-insensitive (RFC 9110). */
  lower = g_strconcat ("bearer ", access, NULL);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(KoersServerCaller) caller = koers_server_auth_check_bearer (t.auth, lower, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (caller->device_id, ==, device_id);
  }
  koers_test_oauth_teardown (&t);
}

static void
test_disabled_user (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *access = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(KoersServerCaller) before = NULL;
  g_autoptr(KoersServerCaller) after = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_oauth_setup (&t, backend);
  device_id = issue (&t, t.coach_id, &access, NULL);
  before = caller_for (&t, access);
  g_assert_nonnull (before);

  koers_server_auth_set_user_disabled (t.auth, t.coach_id, TRUE, &error);
  g_assert_no_error (error);
  g_assert_false (bearer_ok (&t, access));
  g_assert_null (koers_server_auth_issue_tokens (t.auth, t.coach_id, NULL, NULL, NULL, &error));
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_UNAUTHORIZED);
  g_clear_error (&error);

  koers_server_auth_set_user_disabled (t.auth, t.coach_id, FALSE, &error);
  g_assert_no_error (error);
  after = caller_for (&t, access);
  g_assert_nonnull (after);

  g_assert_false (koers_server_auth_set_user_disabled (t.auth, "geen-gebruiker", TRUE, &error));
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND);
  koers_test_oauth_teardown (&t);
}

static void
test_revoke_device_scope (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *colleague_id = NULL;
  g_autofree char *supporter_id = NULL;
  g_autofree char *coach_access = NULL;
  g_autofree char *coach_device = NULL;
  g_autofree char *colleague_access = NULL;
  g_autofree char *colleague_device = NULL;
  g_autofree char *supporter_access = NULL;
  g_autofree char *supporter_device = NULL;
  g_autoptr(KoersServerCaller) coach = NULL;
  g_autoptr(KoersServerCaller) supporter = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_oauth_setup (&t, backend);
  colleague_id = koers_test_oauth_add_user (&t, "coach.twee", KOERS_SERVER_ROLE_COACH);
  supporter_id = koers_test_oauth_add_user (&t, "steun.een", KOERS_SERVER_ROLE_ONDERSTEUNER);
  coach_device = issue (&t, t.coach_id, &coach_access, NULL);
  colleague_device = issue (&t, colleague_id, &colleague_access, NULL);
  supporter_device = issue (&t, supporter_id, &supporter_access, NULL);
  coach = caller_for (&t, coach_access);
  supporter = caller_for (&t, supporter_access);

  /* A coach cannot touch a colleague's device, and is not told it exists. */
  g_assert_false (koers_server_auth_revoke_device (t.auth, coach, colleague_device, &error));
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (koers_server_auth_revoke_device (t.auth, coach, "onbekend", &error));
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The ondersteuner may revoke any device of the organisation. */
  g_assert_true (koers_server_auth_revoke_device (t.auth, supporter, colleague_device, &error));
  g_assert_no_error (error);
  g_assert_false (bearer_ok (&t, colleague_access));
  g_assert_true (bearer_ok (&t, coach_access));

  /* Own device; revoking twice is fine and keeps the first time. */
  g_assert_true (koers_server_auth_revoke_device (t.auth, coach, coach_device, &error));
  koers_test_oauth_advance (&t, 3600);
  g_assert_true (koers_server_auth_revoke_device (t.auth, supporter, coach_device, &error));
  g_assert_no_error (error);
  g_assert_false (bearer_ok (&t, coach_access));

  {
    g_autoptr(JsonNode) all = koers_server_auth_list_devices (t.auth, supporter, &error);
    g_autoptr(JsonNode) own = koers_server_auth_list_devices (t.auth, coach, &error);
    JsonArray *items;
    JsonObject *device;

    g_assert_no_error (error);
    items = json_object_get_array_member (json_node_get_object (all), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 3);
    g_assert_true (json_object_get_null_member (json_node_get_object (all), "volgendeCursor"));
    items = json_object_get_array_member (json_node_get_object (own), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    device = json_array_get_object_element (items, 0);
    g_assert_cmpstr (json_object_get_string_member (device, "id"), ==, coach_device);
    g_assert_cmpstr (json_object_get_string_member (device, "ingetrokkenOp"), ==,
                     "2026-11-28T09:00:00Z");
  }
  koers_test_oauth_teardown (&t);
}

static void
test_revoke_device_other_organisation (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *other_org = NULL;
  g_autofree char *other_supporter = NULL;
  g_autofree char *other_access = NULL;
  g_autofree char *other_device = NULL;
  g_autofree char *coach_access = NULL;
  g_autofree char *coach_device = NULL;
  g_autoptr(KoersServerCaller) outsider = NULL;
  g_autoptr(KoersServerCaller) coach = NULL;
  g_autoptr(GError) error = NULL;

  koers_test_oauth_setup (&t, backend);
  other_org = koers_server_auth_add_organisation (t.auth, "Gemeente Winterswijk", &error);
  g_assert_no_error (error);
  other_supporter = koers_server_auth_add_user (t.auth, other_org, "steun.ander", "Ander",
                                                KOERS_SERVER_ROLE_ONDERSTEUNER,
                                                KOERS_TEST_PASSWORD, &error);
  g_assert_no_error (error);
  other_device = issue (&t, other_supporter, &other_access, NULL);
  coach_device = issue (&t, t.coach_id, &coach_access, NULL);
  outsider = caller_for (&t, other_access);
  coach = caller_for (&t, coach_access);
  g_assert_cmpstr (outsider->organisation_id, ==, other_org);

  g_assert_false (koers_server_auth_revoke_device (t.auth, outsider, coach_device, &error));
  g_assert_error (error, KOERS_SERVER_AUTH_ERROR, KOERS_SERVER_AUTH_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (bearer_ok (&t, coach_access));
  {
    g_autoptr(JsonNode) list = koers_server_auth_list_devices (t.auth, outsider, &error);
    JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");

    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                    "id"), ==, other_device);
  }
  koers_test_oauth_teardown (&t);
}

static const char *
last_seen (KoersTestOAuth          *t,
           const KoersServerCaller *caller,
           JsonNode               **keep)
{
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  *keep = koers_server_auth_list_devices (t->auth, caller, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (*keep), "items");
  return json_object_get_string_member (json_array_get_object_element (items, 0),
                                        "laatstGezienOp");
}

static void
test_last_seen_throttled (KoersServerDbBackend backend)
{
  KoersTestOAuth t;
  g_autofree char *access = NULL;
  g_autofree char *device_id = NULL;
  g_autoptr(KoersServerCaller) caller = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;

  koers_test_oauth_setup (&t, backend);
  device_id = issue (&t, t.coach_id, &access, NULL);
  caller = caller_for (&t, access);
  g_assert_cmpstr (last_seen (&t, caller, &first), ==, "2026-11-28T09:00:00Z");

  koers_test_oauth_advance (&t, 30);
  g_clear_pointer (&caller, koers_server_caller_free);
  caller = caller_for (&t, access);
  g_assert_cmpstr (last_seen (&t, caller, &second), ==, "2026-11-28T09:00:00Z");

  koers_test_oauth_advance (&t, 45);
  g_clear_pointer (&caller, koers_server_caller_free);
  caller = caller_for (&t, access);
  g_assert_cmpstr (last_seen (&t, caller, &third), ==, "2026-11-28T09:01:15Z");
  koers_test_oauth_teardown (&t);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/server-auth-login/page-escapes-input", test_page_escapes_input);
  koers_test_server_db_add ("/server-auth-login/no-user-enumeration", test_no_user_enumeration);
  koers_test_server_db_add ("/server-auth-login/backoff-per-username",
                            test_backoff_per_username);
  koers_test_server_db_add ("/server-auth-login/backoff-per-address-and-window",
                            test_backoff_per_address_and_window);
  koers_test_server_db_add ("/server-auth-login/backoff-behind-proxy",
                            test_backoff_behind_proxy);
  koers_test_server_db_add ("/server-auth-login/backoff-parallel-attempts",
                            test_backoff_parallel_attempts);
  koers_test_server_db_add ("/server-auth-login/bearer-header-parsing",
                            test_bearer_header_parsing);
  koers_test_server_db_add ("/server-auth-login/disabled-user", test_disabled_user);
  koers_test_server_db_add ("/server-auth-login/revoke-device-scope", test_revoke_device_scope);
  koers_test_server_db_add ("/server-auth-login/revoke-device-other-organisation",
                            test_revoke_device_other_organisation);
  koers_test_server_db_add ("/server-auth-login/last-seen-throttled", test_last_seen_throttled);
  return g_test_run ();
}
