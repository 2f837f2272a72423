/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The sync engine through a fault-injecting proxy (tests/sync/koers-test-proxy.h): answers
 * lost after the server committed, requests sent twice (at once and late), a pull page that
 * never arrives, and random faults over many rounds with several devices syncing at the same
 * time. Each case ends with the oracle, on both back ends.
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-postgres.h"
#include "koers-test-proxy.h"

#include "sync/koers-sync-json.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

/* How many changes the server's history holds for participant @id (organisation A). */
static gint64
history_count (KoersTestSync *sync, const char *id)
{
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (id) };
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;

  koers_server_db_begin_read (sync->server->db, sync->server->organisation_a, &error);
  g_assert_no_error (error);
  rows = koers_server_db_query (sync->server->db, "SELECT count(*) FROM history "
                                "WHERE entity = 'deelnemers' AND id = $1", params, 1, &error);
  g_assert_no_error (error);
  koers_server_db_commit (sync->server->db, &error);
  g_assert_no_error (error);
  return koers_sql_rows_get_int (rows, 0, 0);
}

/* @n participants on the server in coach A's caseload, "@prefix Deelnemer 00", "... 01", ... */
static void
add_caseload (KoersTestSync *sync, guint n, const char *prefix)
{
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("%s Deelnemer %02u", prefix, i);
      g_autofree char *id = koers_test_server_add_participant (
        sync->server, KOERS_TEST_A_COACH, sync->server->users[KOERS_TEST_A_COACH].user_id,
        name);
    }
}

static KoersTestProxy *
proxy_for (KoersTestSync *sync, guint32 seed)
{
  return koers_test_proxy_new (sync->server->port, seed);
}

/* The server commits a push but its answer never arrives: the client sees a failure and
 * keeps the outbox; the resend is answered from the server's record of processed mutations
 * and nothing is applied twice. */
static void
test_push_answer_dropped (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(KoersTestProxy) proxy = proxy_for (sync, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;
  KoersSyncRunStats stats;
  gint64 pending;

  koers_test_peer_set_url (a, koers_test_proxy_get_url (proxy));
  id = koers_test_peer_create_participant (sync, a, "Yusuf Demir");
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0612121212");
  pending = koers_sync_schema_count_pending (a->db);
  g_assert_cmpint (pending, >=, 2);
  koers_test_proxy_add_rule (proxy, "POST", "/v1/mutaties", KOERS_TEST_PROXY_DROP_ANSWER);
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  /* The server has it; the laptop does not know. */
  name = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id, "naam");
  g_assert_cmpstr (name, ==, "Yusuf Demir");
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, pending);
  g_assert_cmpuint (koers_test_proxy_forwarded (proxy, "POST", "/v1/mutaties"), ==, 1);

  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.replayed, ==, pending);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  koers_test_proxy_settle (proxy);
  koers_test_sync_check_invariants (sync);
}

/* A push arrives twice at the same time (a retransmitting middlebox): one is applied, the
 * other answered as a replay; then a copy of the next push arrives late, after a newer edit
 * of the same field was applied, and changes nothing. */
static void
test_duplicated_push (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(KoersTestProxy) proxy = proxy_for (sync, 2);
  g_autofree char *id = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *on_b = NULL;
  gint64 version;

  koers_test_peer_set_url (a, koers_test_proxy_get_url (proxy));
  id = koers_test_peer_create_participant (sync, a, "Marloes Hendriks");
  koers_test_proxy_add_rule (proxy, "POST", "/v1/mutaties", KOERS_TEST_PROXY_DUPLICATE);
  koers_test_peer_sync_ok (a);
  koers_test_proxy_settle (proxy);
  g_assert_cmpuint (koers_test_proxy_forwarded (proxy, "POST", "/v1/mutaties"), ==, 2);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  version = koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers", id);

  /* The late copy of "phone = first" must not undo "phone = second". */
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0611111111");
  koers_test_proxy_add_rule (proxy, "POST", "/v1/mutaties", KOERS_TEST_PROXY_DUPLICATE_LATE);
  koers_test_peer_sync_ok (a);
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0622222222");
  koers_test_peer_sync_ok (a);
  koers_test_proxy_settle (proxy);
  g_assert_cmpuint (koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DUPLICATE_LATE), ==, 1);
  phone = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                   "telefoon");
  g_assert_cmpstr (phone, ==, "0622222222");
  /* Created once, changed twice: the copies added nothing to the history. */
  g_assert_cmpint (history_count (sync, id), ==, 3);
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              id), >, version);
  koers_test_peer_sync_ok (b);
  on_b = koers_test_peer_get_text (b, "participant", id, "phone");
  g_assert_cmpstr (on_b, ==, "0622222222");
  koers_test_sync_check_invariants (sync);
}

/* The second page of a first sync is lost twice (the request once, the answer once): the
 * pages before it stay applied, the data is not called complete, and the next runs continue
 * from the cursor. */
static void
test_pull_page_dropped (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(KoersTestProxy) proxy = proxy_for (sync, 3);
  g_autoptr(GError) error = NULL;
  KoersSyncRunStats stats;

  add_caseload (sync, 30, "Pagina");
  koers_test_peer_set_url (a, koers_test_proxy_get_url (proxy));
  koers_sync_client_set_page_size (a->client, 10);
  /* libsoup sends an idempotent GET once more by itself when a kept-alive connection closes
   * before the answer (a POST it does not), so the page is lost only when the resend, on a
   * new connection, is lost too. */
  koers_test_proxy_add_rule (proxy, "GET", "/v1/wijzigingen", KOERS_TEST_PROXY_PASS);
  koers_test_proxy_add_rule (proxy, "GET", "/v1/wijzigingen", KOERS_TEST_PROXY_DROP_ANSWER);
  koers_test_proxy_add_rule (proxy, "GET", "/v1/wijzigingen", KOERS_TEST_PROXY_DROP_ANSWER);
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 10);
  g_assert_false (koers_sync_client_get_initial_sync_complete (a->client));

  /* The run starts on a new connection (the last one was closed): no resend by libsoup. */
  koers_test_proxy_add_rule (proxy, "GET", "/v1/wijzigingen", KOERS_TEST_PROXY_DROP_REQUEST);
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_NETWORK);
  g_clear_error (&error);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 10);

  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pages, ==, 2);
  g_assert_cmpuint (stats.pulled, ==, 20);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 30);
  koers_test_sync_check_invariants (sync);
}

/* A pull page that unpacks to more than KOERS_SYNC_RESPONSE_LIMIT (libsoup decompresses gzip
 * without a cap) is refused on its way in, whatever it weighed on the wire, and nothing of it
 * is applied; one that unpacks to exactly the limit is read. */
static void
test_pull_answer_limit (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(KoersTestProxy) proxy = proxy_for (sync, 4);
  g_autoptr(GError) error = NULL;
  KoersSyncRunStats stats;

  add_caseload (sync, 10, "Grens");
  koers_test_peer_set_url (a, koers_test_proxy_get_url (proxy));

  koers_test_proxy_pad_answer (proxy, "GET", "/v1/wijzigingen", KOERS_SYNC_RESPONSE_LIMIT + 1);
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than 16 MiB"));
  g_clear_error (&error);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 0);
  g_assert_false (koers_sync_client_get_initial_sync_complete (a->client));

  koers_test_proxy_pad_answer (proxy, "GET", "/v1/wijzigingen", KOERS_SYNC_RESPONSE_LIMIT);
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pulled, ==, 10);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 10);
  /* Both answers went padded and compressed, the one read too. */
  {
    const char *log = koers_test_proxy_get_log (proxy);
    guint n = 0;

    for (const char *p = strstr (log, "gzip-compressed"); p != NULL;
         p = strstr (p + 1, "gzip-compressed"))
      n++;
    g_assert_cmpuint (n, ==, 2);
  }
  koers_test_sync_check_invariants (sync);
}

typedef struct {
  guint    running;
  guint    failed;
} Concurrent;

static void
concurrent_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Concurrent *state = user_data;
  g_autoptr(GError) error = NULL;

  if (!koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, NULL, &error))
    state->failed++;
  state->running--;
}

/* Every device syncs at the same time (so the proxy can reorder them); failures are
 * expected and counted. */
static guint
sync_all_at_once (KoersTestSync *sync)
{
  Concurrent state = { 0 };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  for (guint p = 0; p < sync->peers->len; p++)
    {
      KoersTestPeer *peer = g_ptr_array_index (sync->peers, p);

      state.running++;
      koers_sync_client_sync_async (peer->client, NULL, concurrent_done_cb, &state);
    }
  while (state.running > 0)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return state.failed;
}

/* Four devices of two organisations edit and sync at the same time for many rounds while the
 * proxy drops, duplicates, delays and reorders a third of the requests. */
static void
test_random_faults (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *peers[4];
  g_autoptr(KoersTestProxy) proxy = NULL;
  g_autoptr(GRand) rand = NULL;
  const char *fields[] = { "phone", "email", "next_action", "ambitions" };
  guint32 seed = g_test_rand_int ();
  guint failures = 0;

  /* g_test_rand_int() follows the test run's seed: `--seed` with the printed "random seed"
   * replays the same draws. */
  g_test_message ("random faults: seed %u", seed);
  rand = g_rand_new_with_seed (seed);
  proxy = proxy_for (sync, seed);
  peers[0] = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  peers[1] = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  peers[2] = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  peers[3] = koers_test_sync_add_peer (sync, KOERS_TEST_B_COACH);
  for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
    {
      koers_test_peer_set_url (peers[p], koers_test_proxy_get_url (proxy));
      koers_sync_client_set_page_size (peers[p]->client, 7);
    }
  koers_test_proxy_set_random (proxy, 0.3, KOERS_TEST_PROXY_ALL_FAULTS);

  for (guint round = 0; round < 15; round++)
    {
      for (guint p = 0; p < G_N_ELEMENTS (peers); p++)
        {
          KoersTestPeer *peer = peers[p];
          g_autoptr(GPtrArray) own = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(GError) error = NULL;
          sqlite3_stmt *stmt;
          gboolean has_row = FALSE;

          if (p != 2 && g_rand_int_range (rand, 0, 3) == 0)
            {
              g_autofree char *name = g_strdup_printf ("Ronde %u Apparaat %u", round, p);

              g_free (koers_test_peer_create_participant (sync, peer, name));
              continue;
            }
          /* An edit of a participant this device holds (not deleted). */
          stmt = koers_database_prepare (peer->db, "SELECT id FROM participant "
                                                   "WHERE deleted = 0 ORDER BY id", &error);
          g_assert_no_error (error);
          while (koers_database_step (peer->db, stmt, &has_row, &error) && has_row)
            g_ptr_array_add (own, g_strdup (koers_column_text (stmt, 0)));
          g_assert_no_error (error);
          if (own->len > 0)
            {
              const char *id = own->pdata[g_rand_int_range (rand, 0, (gint32) own->len)];
              const char *field = fields[g_rand_int_range (rand, 0, G_N_ELEMENTS (fields))];
              g_autofree char *value = g_strdup_printf ("r%u-d%u-%s", round, p, field);

              if (g_str_equal (field, "phone"))
                {
                  g_free (value);
                  value = g_strdup_printf ("06%02u%02u%04u", round, p,
                                           (guint) g_rand_int_range (rand, 0, 10000));
                }
              koers_test_peer_set_text (sync, peer, "participant", id, field, value);
            }
        }
      failures += sync_all_at_once (sync);
    }
  g_test_message ("random faults: %u failed runs, %u requests passed unharmed", failures,
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_PASS));
  g_assert_cmpuint (koers_test_proxy_count (proxy, KOERS_TEST_PROXY_PASS), >, 0);
  g_assert_cmpuint (koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DROP_ANSWER)
                    + koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DUPLICATE), >, 0);
  koers_test_proxy_set_random (proxy, 0, 0);
  koers_test_proxy_settle (proxy);
  koers_test_sync_check_invariants (sync);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/proxy/push-answer-dropped", test_push_answer_dropped);
  koers_test_server_db_add ("/sync/proxy/duplicated-push", test_duplicated_push);
  koers_test_server_db_add ("/sync/proxy/pull-page-dropped", test_pull_page_dropped);
  koers_test_server_db_add ("/sync/proxy/pull-answer-limit", test_pull_answer_limit);
  koers_test_server_db_add ("/sync/proxy/random-faults", test_random_faults);
  return g_test_run ();
}
