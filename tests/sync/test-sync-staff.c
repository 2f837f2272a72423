/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Coach names from the server (GET /v1/medewerkers): after a sync that brought participants
 * the caseload shows each coach by name, not as "Coach 1a2b3c4d"; a bad answer changes
 * nothing. The end-to-end case runs on both back ends and ends with the oracle.
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-postgres.h"

#include "sync/koers-sync-json.h"
#include "sync/koers-sync-schema.h"
#include "sync/koers-sync-staff.h"

#include <string.h>

static const char *colleague_id = "0b0e7a2e-7c55-4d0e-9a5e-0c6d1e1f2a3b";

static char *
coach_name (KoersTestPeer *peer, const char *id)
{
  return koers_test_peer_get_text (peer, "coach", id, "name");
}

/* A colleague's participant reaches the ondersteuner's laptop: its coach, never seen on this
 * device before, shows by the name the server holds. */
static void
test_names_after_sync (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *coach = koers_test_sync_add_peer (sync, KOERS_TEST_A_COLLEAGUE);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  const char *colleague = sync->server->users[KOERS_TEST_A_COLLEAGUE].user_id;
  const char *other_org_coach = sync->server->users[KOERS_TEST_B_COACH].user_id;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  g_autofree char *absent = NULL;

  id = koers_test_peer_create_participant (sync, coach, "Yusuf Demir");
  koers_test_peer_sync_ok (coach);
  koers_test_peer_sync_ok (support);

  name = coach_name (support, colleague);
  g_assert_cmpstr (name, ==, "Gebruiker collega.a");
  /* Staff of another organisation never reach this device. */
  absent = coach_name (support, other_org_coach);
  g_assert_null (absent);

  koers_test_sync_check_invariants (sync);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  JsonNode *node = koers_sync_json_parse_response (bytes, &error);

  g_assert_no_error (error);
  return node;
}

/* Answers that do not check out are refused whole: a placeholder name stays as it was. */
static void
test_bad_answers (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *peer = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  static const char * const bad[] = {
    "{\"volgendeCursor\": null}",
    "{\"items\": [{\"id\": \"0B0E7A2E-7C55-4D0E-9A5E-0C6D1E1F2A3B\", \"naam\": \"Noor\", "
    "\"rol\": \"coach\", \"actief\": true}]}",
    "{\"items\": [{\"id\": \"%s\", \"naam\": \"\", \"rol\": \"coach\", \"actief\": true}]}",
    "{\"items\": [{\"id\": \"%s\", \"naam\": \"Noor\\u202eraaV\", \"rol\": \"coach\", "
    "\"actief\": true}]}",
    "{\"items\": [{\"id\": \"%s\", \"naam\": \"Noor\", \"rol\": \"directeur\", "
    "\"actief\": true}]}",
    "{\"items\": [{\"id\": \"%s\", \"naam\": \"Noor\", \"rol\": \"coach\", \"actief\": 1}]}",
    /* One good item before a bad one: neither is written. */
    "{\"items\": [{\"id\": \"%s\", \"naam\": \"Noor\", \"rol\": \"coach\", \"actief\": true}, "
    "{\"id\": \"%s\", \"naam\": 7, \"rol\": \"coach\", \"actief\": true}]}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) good = NULL;
  g_autofree char *good_json = NULL;
  g_autofree char *name = NULL;

  /* A placeholder, as a pull makes it for a coach not seen yet. */
  g_assert_true (koers_database_exec (peer->db,
                                      "INSERT INTO coach (id, created_at, created_by, "
                                      "updated_at, updated_by, name) VALUES "
                                      "('0b0e7a2e-7c55-4d0e-9a5e-0c6d1e1f2a3b', 'x', 'sync', "
                                      "'x', 'sync', 'Coach 0b0e7a2e')", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *json = g_strdup_printf (bad[i], colleague_id, colleague_id);
      g_autoptr(JsonNode) node = parse (json);
      g_autoptr(GError) bad_error = NULL;
      g_autofree char *unchanged = NULL;

      g_assert_false (koers_sync_staff_apply (peer->db, node, &bad_error));
      g_assert_error (bad_error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
      unchanged = coach_name (peer, colleague_id);
      g_assert_cmpstr (unchanged, ==, "Coach 0b0e7a2e");
    }

  /* A good answer renames the placeholder (NFC) and adds the rest. */
  good_json = g_strdup_printf ("{\"items\": [{\"id\": \"%s\", \"naam\": \"  Noe\\u0308l Jansen \", "
                               "\"rol\": \"coach\", \"actief\": false}], "
                               "\"volgendeCursor\": null}", colleague_id);
  good = parse (good_json);
  g_assert_true (koers_sync_staff_apply (peer->db, good, &error));
  g_assert_no_error (error);
  name = coach_name (peer, colleague_id);
  g_assert_cmpstr (name, ==, "No\xc3\xabl Jansen");
}

/* Who signed in: a coach is their own default coach (and has a row by name); an
 * ondersteuner chooses; a profile that does not check out changes nothing. */
static void
test_self (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *peer = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GError) error = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *coach = NULL;
  g_autofree char *name = NULL;
  g_autofree char *none = NULL;
  g_autofree char *still = NULL;

  g_assert_false (koers_sync_staff_set_self (peer->db, colleague_id, "Noor\xe2\x80\xaeX", "coach",
                                             &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_clear_error (&error);
  fallback = koers_sync_staff_dup_default_coach (peer->db);
  g_assert_null (fallback);

  g_assert_true (koers_sync_staff_set_self (peer->db, colleague_id, "Noor Visser", "coach",
                                            &error));
  g_assert_no_error (error);
  coach = koers_sync_staff_dup_default_coach (peer->db);
  g_assert_cmpstr (coach, ==, colleague_id);
  name = coach_name (peer, colleague_id);
  g_assert_cmpstr (name, ==, "Noor Visser");

  g_assert_false (koers_sync_staff_set_self (peer->db, "not-a-uuid", "Noor", "coach", &error));
  g_clear_error (&error);
  still = koers_sync_staff_dup_default_coach (peer->db);
  g_assert_cmpstr (still, ==, colleague_id);

  g_assert_true (koers_sync_staff_set_self (peer->db, colleague_id, "Noor Visser",
                                            "ondersteuner", &error));
  none = koers_sync_staff_dup_default_coach (peer->db);
  g_assert_null (none);
}

/* Not on every sync: the list is due when never fetched, older than an hour, or when a pull
 * made a placeholder for a coach this device had not seen. */
static void
test_due (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *peer = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *recent = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_date_time_to_unix (now) - 60);
  g_autofree char *old = g_strdup_printf ("%" G_GINT64_FORMAT,
                                          g_date_time_to_unix (now) - 2 * 60 * 60);

  g_assert_true (koers_sync_staff_is_due (peer->db));
  g_assert_true (koers_sync_state_set (peer->db, KOERS_SYNC_STATE_STAFF_SYNCED, recent, &error));
  g_assert_false (koers_sync_staff_is_due (peer->db));

  g_assert_true (koers_database_exec (peer->db,
                                      "INSERT INTO coach (id, created_at, created_by, "
                                      "updated_at, updated_by, name) VALUES "
                                      "('0b0e7a2e-7c55-4d0e-9a5e-0c6d1e1f2a3b', 'x', 'sync', "
                                      "'x', 'sync', 'Coach 0b0e7a2e')", &error));
  g_assert_true (koers_sync_staff_is_due (peer->db));
  g_assert_true (koers_database_exec (peer->db, "UPDATE coach SET name = 'Noor Visser'",
                                      &error));
  g_assert_false (koers_sync_staff_is_due (peer->db));

  g_assert_true (koers_sync_state_set (peer->db, KOERS_SYNC_STATE_STAFF_SYNCED, old, &error));
  g_assert_true (koers_sync_staff_is_due (peer->db));
  g_assert_no_error (error);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  koers_test_server_db_add ("/sync/staff/names-after-sync", test_names_after_sync);
  /* Local only: the server back end does not matter. */
  g_test_add_func ("/sync/staff/bad-answers", test_bad_answers);
  g_test_add_func ("/sync/staff/self", test_self);
  g_test_add_func ("/sync/staff/due", test_due);

  return g_test_run ();
}
