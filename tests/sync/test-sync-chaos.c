/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The seeded chaos run (issue 5): four devices of two organisations (a coach's two laptops,
 * the ondersteuner, a coach of the other organisation) behind the fault-injecting proxy. Each
 * round every device may go offline for a few rounds (it keeps editing, it does not sync),
 * edits random fields of random participants, creates, deletes and restores participants,
 * resolves conflicts; the ondersteuner moves participants between two coaches; now and then a
 * device's client is dropped in the middle of a run and made again on the same database (an
 * app restart). The online devices then sync at the same time through the proxy, which drops,
 * duplicates, delays and reorders a fifth of the requests; one time in twelve a device syncs
 * with `koers-cli sync` instead, mostly killed with SIGKILL at a random crash point. At the
 * end the faults stop and the oracle checks the five invariants.
 *
 * Bounded by rounds (KOERS_CHAOS_ROUNDS, default 60) and by time (KOERS_CHAOS_SECONDS, default
 * 35 s of rounds per back end; the oracle comes after); KOERS_CHAOS_FAULTS sets the share of
 * requests the proxy harms (percent, default 20). The seed is printed first;
 * KOERS_CHAOS_SEED=N replays its operations and fault draws (the timing of concurrent
 * requests may still differ).
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-cli.h"
#include "koers-test-postgres.h"
#include "koers-test-proxy.h"

#include "sync/koers-sync-conflicts.h"
#include "sync/koers-sync-schema.h"

#include <signal.h>
#include <stdlib.h>

#define N_PEERS 4
#define SUPPORT 2     /* the ondersteuner's device */

typedef struct {
  KoersTestSync  *sync;
  KoersTestPeer  *peers[N_PEERS];
  guint           offline_until[N_PEERS];
  KoersTestProxy *proxy;
  GRand          *rand;
  guint           round;
  guint           n_ops[10];
} Chaos;

enum {
  OP_CREATE, OP_EDIT, OP_DELETE, OP_RESTORE, OP_MOVE, OP_RESOLVE, OP_RESTART, OP_OFFLINE,
  OP_CLI, OP_KILL
};

static guint
env_uint (const char *name, guint fallback)
{
  const char *value = g_getenv (name);
  guint64 parsed = 0;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 0, G_MAXUINT32, &parsed, NULL))
    return fallback;
  return (guint) parsed;
}

/* (transfer full) the ids @sql selects on @peer. */
static GPtrArray *
ids_of (KoersTestPeer *peer, const char *sql)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  while (koers_database_step (peer->db, stmt, &has_row, &error) && has_row)
    g_ptr_array_add (ids, g_strdup (koers_column_text (stmt, 0)));
  g_assert_no_error (error);
  return ids;
}

static const char *
pick (Chaos *chaos, GPtrArray *ids)
{
  if (ids->len == 0)
    return NULL;
  return ids->pdata[g_rand_int_range (chaos->rand, 0, (gint32) ids->len)];
}

static void
op_edit (Chaos *chaos, KoersTestPeer *peer, guint p)
{
  static const char * const fields[] = { "phone", "email", "next_action", "ambitions",
                                         "preferred_name" };
  g_autoptr(GPtrArray) ids = ids_of (peer, "SELECT id FROM participant WHERE deleted = 0 "
                                           "ORDER BY id");
  const char *id = pick (chaos, ids);
  const char *field = fields[g_rand_int_range (chaos->rand, 0, G_N_ELEMENTS (fields))];
  g_autofree char *value = NULL;

  if (id == NULL)
    return;
  if (g_str_equal (field, "phone"))
    value = g_strdup_printf ("06%02u%u%05u", chaos->round % 100, p,
                             (guint) g_rand_int_range (chaos->rand, 0, 100000));
  else
    value = g_strdup_printf ("Ronde %u apparaat %u %s", chaos->round, p, field);
  koers_test_peer_set_text (chaos->sync, peer, "participant", id, field, value);
  chaos->n_ops[OP_EDIT]++;
}

static void
op_set_deleted (Chaos *chaos, KoersTestPeer *peer, gboolean deleted)
{
  g_autoptr(GPtrArray) ids = ids_of (peer, deleted ? "SELECT id FROM participant "
                                                     "WHERE deleted = 0 ORDER BY id"
                                                   : "SELECT id FROM participant "
                                                     "WHERE deleted = 1 ORDER BY id");
  const char *id = pick (chaos, ids);

  if (id == NULL)
    return;
  koers_test_peer_set_deleted (peer, "participant", id, deleted);
  chaos->n_ops[deleted ? OP_DELETE : OP_RESTORE]++;
}

/* The ondersteuner moves a participant between the coach (who has two laptops here) and the
 * colleague (who has none: the participant leaves every coach laptop's caseload). */
static void
op_move (Chaos *chaos, KoersTestPeer *support)
{
  KoersTestServer *server = chaos->sync->server;
  const char *coach = server->users[KOERS_TEST_A_COACH].user_id;
  const char *colleague = server->users[KOERS_TEST_A_COLLEAGUE].user_id;
  g_autoptr(GPtrArray) ids = ids_of (support, "SELECT id FROM participant WHERE deleted = 0 "
                                              "AND coach_id IS NOT NULL ORDER BY id");
  const char *id = pick (chaos, ids);
  g_autofree char *current = NULL;

  if (id == NULL)
    return;
  current = koers_test_peer_get_text (support, "participant", id, "coach_id");
  koers_test_peer_set_text (chaos->sync, support, "participant", id, "coach_id",
                            g_strcmp0 (current, coach) == 0 ? colleague : coach);
  chaos->n_ops[OP_MOVE]++;
}

static void
op_resolve (Chaos *chaos, KoersTestPeer *peer)
{
  g_autoptr(GPtrArray) ids = ids_of (peer, "SELECT id FROM sync_shadow WHERE "
                                           "entity = 'conflicten' AND "
                                           "record ->> '$.gegevens.opgelost' = 0 ORDER BY id");
  const char *id = pick (chaos, ids);
  g_autoptr(GError) error = NULL;

  if (id == NULL)
    return;
  koers_sync_resolve_conflict (peer->db, id, g_rand_boolean (chaos->rand) ? "mijn" : "hun",
                               NULL, &error);
  g_assert_no_error (error);
  chaos->n_ops[OP_RESOLVE]++;
}

static void
restart_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, NULL, NULL);
  *done = TRUE;
}

/* The app quits in the middle of a run: the client goes (its run is cancelled wherever it
 * is), and a new one is made on the same database and device. */
static void
op_restart (Chaos *chaos, KoersTestPeer *peer)
{
  g_autofree char *device = g_strdup (g_object_get_data (G_OBJECT (peer->client), "device-id"));
  g_autofree char *url = g_strdup (koers_test_proxy_get_url (chaos->proxy));
  gint64 until = g_get_monotonic_time () + g_rand_int_range (chaos->rand, 0, 40) * 1000;
  gboolean done = FALSE;

  koers_sync_client_sync_async (peer->client, NULL, restart_done_cb, &done);
  while (!done && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  koers_sync_client_stop (peer->client);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_clear_object (&peer->client);
  peer->client = koers_sync_client_new (peer->db, url, KOERS_TOKEN_SOURCE (peer->tokens));
  koers_sync_client_set_page_size (peer->client, 5);
  g_object_set_data_full (G_OBJECT (peer->client), "device-id", g_steal_pointer (&device),
                          g_free);
  chaos->n_ops[OP_RESTART]++;
}

typedef struct {
  guint running;
  guint failed;
} Concurrent;

static void
concurrent_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Concurrent *state = user_data;

  if (!koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, NULL, NULL))
    state->failed++;
  state->running--;
}

static void
round_of (Chaos *chaos)
{
  Concurrent state = { 0 };
  KoersTestCliRun *cli[N_PEERS] = { NULL };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  for (guint p = 0; p < N_PEERS; p++)
    {
      KoersTestPeer *peer = chaos->peers[p];
      guint n = (guint) g_rand_int_range (chaos->rand, 0, 4);

      if (chaos->offline_until[p] <= chaos->round && g_rand_int_range (chaos->rand, 0, 10) == 0)
        {
          chaos->offline_until[p] = chaos->round + (guint) g_rand_int_range (chaos->rand, 1, 5);
          chaos->n_ops[OP_OFFLINE]++;
        }
      for (guint i = 0; i < n; i++)
        {
          guint roll = (guint) g_rand_int_range (chaos->rand, 0, 100);

          if (roll < 20 && p == SUPPORT)
            op_move (chaos, peer);
          else if (roll < 15 && p != SUPPORT)
            {
              g_autofree char *name = g_strdup_printf ("Chaos %u-%u-%u", chaos->round, p, i);
              g_autofree char *id = koers_test_peer_create_participant (chaos->sync, peer,
                                                                        name);

              chaos->n_ops[OP_CREATE]++;
            }
          else if (roll < 75)
            op_edit (chaos, peer, p);
          else if (roll < 81)
            op_set_deleted (chaos, peer, TRUE);
          else if (roll < 87)
            op_set_deleted (chaos, peer, FALSE);
          else
            op_resolve (chaos, peer);
        }
      if (chaos->offline_until[p] <= chaos->round && g_rand_int_range (chaos->rand, 0, 12) == 0)
        op_restart (chaos, peer);
    }
  for (guint p = 0; p < N_PEERS; p++)
    {
      if (chaos->offline_until[p] > chaos->round)
        continue;
      if (g_rand_int_range (chaos->rand, 0, 12) == 0)
        {
          static const char * const points[] = { NULL, "before-send", "after-send",
                                                 "mid-pull-page" };
          const char *point = points[g_rand_int_range (chaos->rand, 0, G_N_ELEMENTS (points))];
          g_autofree char *crash = NULL;

          /* A push rarely takes more than two batches; a pull page holds five items. */
          if (point != NULL)
            crash = g_strdup_printf ("%s@%u", point,
                                     (guint) g_rand_int_range (chaos->rand, 1,
                                                               point[0] == 'm' ? 7 : 3));
          cli[p] = g_new0 (KoersTestCliRun, 1);
          koers_test_cli_sync_start (chaos->peers[p], koers_test_proxy_get_url (chaos->proxy),
                                     crash, NULL, 5, cli[p]);
          chaos->n_ops[OP_CLI]++;
          continue;
        }
      state.running++;
      koers_sync_client_sync_async (chaos->peers[p]->client, NULL, concurrent_done_cb, &state);
    }
  for (guint p = 0; p < N_PEERS; p++)
    while (state.running > 0 || (cli[p] != NULL && !cli[p]->done))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  for (guint p = 0; p < N_PEERS; p++)
    {
      if (cli[p] == NULL)
        continue;
      koers_test_peer_release_snapshot (chaos->peers[p]);
      /* Killed at its crash point, done, or failed through a fault (exit 1); never
       * anything else (a crash, a sanitizer report). */
      if (cli[p]->term_sig == SIGKILL)
        chaos->n_ops[OP_KILL]++;
      else if (!cli[p]->exited || cli[p]->status > 1)
        g_error ("round %u: koers-cli sync of device %u ended badly (status %d, signal %d):"
                 "\n%s", chaos->round, p, cli[p]->status, cli[p]->term_sig, cli[p]->err);
      koers_test_cli_run_clear (cli[p]);
      g_free (cli[p]);
    }
}

static void
test_chaos (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  g_autoptr(KoersTestProxy) proxy = NULL;
  g_autoptr(GRand) rand = NULL;
  const char *seed_text = g_getenv ("KOERS_CHAOS_SEED");
  guint32 seed = seed_text != NULL ? (guint32) g_ascii_strtoull (seed_text, NULL, 10)
                                   : g_random_int ();
  guint max_rounds = env_uint ("KOERS_CHAOS_ROUNDS", 60);
  gint64 budget = (gint64) env_uint ("KOERS_CHAOS_SECONDS", 35) * G_USEC_PER_SEC;
  gint64 start = g_get_monotonic_time ();
  Chaos chaos = { 0 };
  static const KoersTestUserId users[N_PEERS] = {
    KOERS_TEST_A_COACH, KOERS_TEST_A_COACH, KOERS_TEST_A_ONDERSTEUNER, KOERS_TEST_B_COACH,
  };

  /* First, so a failure's log always names it. */
  g_test_message ("chaos seed %u on %s (replay: KOERS_CHAOS_SEED=%u)", seed,
                  koers_test_server_db_backend_name (backend), seed);
  g_printerr ("chaos seed %u on %s (replay: KOERS_CHAOS_SEED=%u)\n", seed,
              koers_test_server_db_backend_name (backend), seed);
  rand = g_rand_new_with_seed (seed);
  proxy = koers_test_proxy_new (sync->server->port, seed);
  chaos.sync = sync;
  chaos.rand = rand;
  chaos.proxy = proxy;
  for (guint p = 0; p < N_PEERS; p++)
    {
      chaos.peers[p] = koers_test_sync_add_peer (sync, users[p]);
      koers_test_peer_set_url (chaos.peers[p], koers_test_proxy_get_url (proxy));
      koers_sync_client_set_page_size (chaos.peers[p]->client, 5);
    }
  /* The ondersteuner's laptop knows both coaches (a participant's coach must exist locally). */
  for (guint c = 0; c < 2; c++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *sql = g_strdup_printf (
        "INSERT OR IGNORE INTO coach (id, created_at, created_by, updated_at, updated_by, name) "
        "VALUES ('%s', 'x', 'x', 'x', 'x', 'Coach')",
        sync->server->users[c == 0 ? KOERS_TEST_A_COACH : KOERS_TEST_A_COLLEAGUE].user_id);

      koers_database_exec (chaos.peers[SUPPORT]->db, sql, &error);
      g_assert_no_error (error);
    }
  koers_test_proxy_set_random (proxy, MIN (env_uint ("KOERS_CHAOS_FAULTS", 20), 90) / 100.0,
                               KOERS_TEST_PROXY_ALL_FAULTS);

  for (chaos.round = 0;
       chaos.round < max_rounds && g_get_monotonic_time () - start < budget;
       chaos.round++)
    round_of (&chaos);

  g_test_message ("chaos: %u rounds in %.1f s: %u creations, %u edits, %u deletions, "
                  "%u restores, %u moves, %u resolutions, %u client restarts, %u offline "
                  "periods, %u koers-cli runs (%u killed); proxy: %u passed, %u requests "
                  "dropped, %u answers dropped, %u duplicated, %u duplicated late, %u held, "
                  "%u delayed",
                  chaos.round, (g_get_monotonic_time () - start) / 1e6,
                  chaos.n_ops[OP_CREATE], chaos.n_ops[OP_EDIT], chaos.n_ops[OP_DELETE],
                  chaos.n_ops[OP_RESTORE], chaos.n_ops[OP_MOVE], chaos.n_ops[OP_RESOLVE],
                  chaos.n_ops[OP_RESTART], chaos.n_ops[OP_OFFLINE], chaos.n_ops[OP_CLI],
                  chaos.n_ops[OP_KILL],
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_PASS),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DROP_REQUEST),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DROP_ANSWER),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DUPLICATE),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DUPLICATE_LATE),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_HOLD),
                  koers_test_proxy_count (proxy, KOERS_TEST_PROXY_DELAY));
  /* A run that proves little is a failure of the run, not a pass. */
  g_assert_cmpuint (chaos.round, >=, 5);
  g_assert_cmpuint (chaos.n_ops[OP_CREATE], >, 0);
  g_assert_cmpuint (chaos.n_ops[OP_EDIT], >, 0);

  koers_test_proxy_set_random (proxy, 0, 0);
  koers_test_proxy_settle (proxy);
  koers_test_sync_check_invariants (sync);
  g_test_message ("chaos seed %u on %s: the five invariants hold (%.1f s)", seed,
                  koers_test_server_db_backend_name (backend),
                  (g_get_monotonic_time () - start) / 1e6);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/chaos", test_chaos);
  return g_test_run ();
}
