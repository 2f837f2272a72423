/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The client as a process (`koers-cli sync`) killed with SIGKILL at the engine's named crash
 * points (src/sync/koers-sync-crash.h: before the push is sent, after the server committed it
 * but before the answer is processed, in the middle of applying a pull page) and run again:
 * nothing is lost or applied twice and the local database is intact. And the same command
 * under `faketime` with a clock 10 minutes ahead: it reports the skew and still converges.
 * Every case runs against the in-process server on SQLite and PostgreSQL and ends with the
 * oracle.
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-cli.h"
#include "koers-test-postgres.h"

#include "sync/koers-sync-schema.h"

#include <signal.h>
#include <string.h>

/* `koers-cli sync` for @peer against the server itself. */
static void
run_cli (KoersTestSync *sync, KoersTestPeer *peer, const char *crash_point,
         const char *faketime, guint page_size, KoersTestCliRun *run)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", sync->server->port);

  koers_test_cli_sync (peer, url, crash_point, faketime, page_size, run);
}

static void
assert_killed (KoersTestCliRun *run)
{
  if (run->term_sig != SIGKILL)
    g_error ("koers-cli was to be killed at its crash point, but it exited with %d:\n%s\n%s",
             run->status, run->out, run->err);
}

static void
assert_ok (KoersTestCliRun *run)
{
  if (!run->exited || run->status != 0)
    g_error ("koers-cli sync failed (status %d, signal %d):\n%s\n%s", run->status,
             run->term_sig, run->out, run->err);
}

static void
assert_intact (KoersTestPeer *peer)
{
  g_autofree char *check = koers_test_peer_get_text_sql (peer, "PRAGMA integrity_check");
  g_autofree char *keys = koers_test_peer_get_text_sql (peer, "PRAGMA foreign_key_check");

  g_assert_cmpstr (check, ==, "ok");
  g_assert_null (keys);
}

static gint64
numbered (KoersTestPeer *peer)
{
  return koers_test_peer_count (peer, "SELECT count(*) FROM sync_outbox "
                                      "WHERE device_number IS NOT NULL");
}

/* Killed after the outbox was numbered, before anything was sent: the server saw nothing;
 * the next run sends the same numbers and mutation ids. */
static void
test_killed_before_send (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *p1 = koers_test_peer_create_participant (sync, a, "Sanne Wolters");
  g_autofree char *p2 = koers_test_peer_create_participant (sync, a, "Gerrit Lammers");
  g_autofree char *ids_before = NULL, *ids_after = NULL, *on_server = NULL;
  KoersTestCliRun run = { 0 };
  gint64 pending;

  koers_test_peer_set_text (sync, a, "participant", p1, "phone", "0613131313");
  /* Each participant comes with its first status change. */
  pending = koers_sync_schema_count_pending (a->db);
  g_assert_cmpint (pending, ==, 5);
  g_assert_cmpint (numbered (a), ==, 0);
  run_cli (sync, a, "before-send", NULL, 500, &run);
  assert_killed (&run);
  koers_test_cli_run_clear (&run);
  assert_intact (a);
  g_assert_cmpint (numbered (a), ==, pending);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, pending);
  g_assert_null (koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", p1,
                                          "naam"));
  ids_before = koers_test_peer_get_text_sql (a, "SELECT group_concat(mutation_id || ':' || "
                                                "device_number) FROM sync_outbox");

  /* Killed again at the same place: the numbers and ids do not move. */
  run_cli (sync, a, "before-send", NULL, 500, &run);
  assert_killed (&run);
  koers_test_cli_run_clear (&run);
  ids_after = koers_test_peer_get_text_sql (a, "SELECT group_concat(mutation_id || ':' || "
                                               "device_number) FROM sync_outbox");
  g_assert_cmpstr (ids_before, ==, ids_after);

  run_cli (sync, a, NULL, NULL, 500, &run);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "pushed: 5\n"));
  koers_test_cli_run_clear (&run);
  on_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", p1,
                                       "telefoon");
  g_assert_cmpstr (on_server, ==, "0613131313");
  koers_test_peer_sync_ok (b);
  (void) p2;
  koers_test_sync_check_invariants (sync);
}

/* Killed after the server committed the push, before the answer was processed: the rows are
 * still in the outbox; the next run's resend is answered as a replay and nothing is applied
 * twice. */
static void
test_killed_after_send (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *p1 = koers_test_peer_create_participant (sync, a, "Wessel Brink");
  g_autofree char *name = NULL;
  gint64 version;
  KoersTestCliRun run = { 0 };

  koers_test_peer_set_text (sync, a, "participant", p1, "email", "wessel@example.nl");
  run_cli (sync, a, "after-send", NULL, 500, &run);
  assert_killed (&run);
  koers_test_cli_run_clear (&run);
  assert_intact (a);
  /* The server has both changes; the laptop still holds them. */
  name = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", p1, "naam");
  g_assert_cmpstr (name, ==, "Wessel Brink");
  version = koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers", p1);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 3);

  run_cli (sync, a, NULL, NULL, 500, &run);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "pushed: 3\n"));
  g_assert_nonnull (strstr (run.out, "still waiting: 0\n"));
  koers_test_cli_run_clear (&run);
  /* Replayed, not applied again: no new version. */
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              p1), ==, version);
  koers_test_sync_check_invariants (sync);
}

/* Killed in the middle of applying the second pull page of a first sync (after 5 of its 10
 * items): that page's transaction is gone, the first page and its cursor are kept, the
 * database is intact, and the next run continues from the cursor and completes. */
static void
test_killed_mid_pull_page (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *writer = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *mine = NULL;
  g_autofree char *cursor = NULL;
  KoersTestCliRun run = { 0 };

  for (guint i = 0; i < 25; i++)
    {
      g_autofree char *name = g_strdup_printf ("Feed Deelnemer %02u", i);
      g_autofree char *id = koers_test_server_add_participant (
        sync->server, KOERS_TEST_A_COACH, sync->server->users[KOERS_TEST_A_COACH].user_id,
        name);
    }
  /* A's own unsent participant goes up first and must survive the kill of the pull. */
  mine = koers_test_peer_create_participant (sync, a, "Eigen Deelnemer");
  run_cli (sync, a, "mid-pull-page@16", NULL, 10, &run);
  assert_killed (&run);
  koers_test_cli_run_clear (&run);
  assert_intact (a);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow"), ==, 10);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_state WHERE "
                                             "key = 'initial_sync_complete' AND value = '1'"),
                   ==, 0);
  cursor = koers_test_peer_get_text_sql (a, "SELECT value FROM sync_state WHERE key = 'cursor'");
  g_assert_nonnull (cursor);

  /* Another device changes a record meanwhile; the resumed pull brings it too. */
  koers_test_peer_sync_ok (writer);
  koers_test_peer_set_text (sync, writer, "participant", mine, "phone", "0614141414");
  koers_test_peer_sync_ok (writer);

  run_cli (sync, a, NULL, NULL, 10, &run);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "initial sync complete: yes"));
  koers_test_cli_run_clear (&run);
  assert_intact (a);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 26);
  {
    g_autofree char *phone = koers_test_peer_get_text (a, "participant", mine, "phone");

    g_assert_cmpstr (phone, ==, "0614141414");
  }
  koers_test_sync_check_invariants (sync);
}

/* `koers-cli sync` on a computer whose clock is 10 minutes ahead: the server decides
 * nothing by the client's clock, so the changes go up and come down as usual, and the
 * command says the clock is off. */
static void
test_clock_skew_faketime (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *p1 = koers_test_peer_create_participant (sync, a, "Tijmen Scholten");
  g_autofree char *offset = NULL;
  g_autofree char *seen = NULL;
  KoersTestCliRun run = { 0 };
  gint64 seconds;

  run_cli (sync, a, NULL, "+10m", 500, &run);
  assert_ok (&run);
  g_assert_nonnull (strstr (run.out, "pushed: 2\n"));   /* with its first status change */
  if (strstr (run.err, "clock differs from the server's by") == NULL)
    g_error ("koers-cli did not report the clock skew:\n%s", run.err);
  koers_test_cli_run_clear (&run);
  offset = koers_test_peer_get_text_sql (a, "SELECT value FROM sync_state "
                                            "WHERE key = 'server_clock_offset'");
  g_assert_nonnull (offset);
  seconds = g_ascii_strtoll (offset, NULL, 10);
  g_assert_cmpint (seconds, <=, -590);
  g_assert_cmpint (seconds, >=, -610);

  /* The other laptop's edit (right clock) and this one's next edit both arrive. */
  koers_test_peer_sync_ok (b);
  koers_test_peer_set_text (sync, b, "participant", p1, "email", "tijmen@example.nl");
  koers_test_peer_sync_ok (b);
  koers_test_peer_set_text (sync, a, "participant", p1, "phone", "0615151515");
  run_cli (sync, a, NULL, "+10m", 500, &run);
  assert_ok (&run);
  koers_test_cli_run_clear (&run);
  seen = koers_test_peer_get_text (a, "participant", p1, "email");
  g_assert_cmpstr (seen, ==, "tijmen@example.nl");
  koers_test_sync_check_invariants (sync);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/crash/killed-before-send", test_killed_before_send);
  koers_test_server_db_add ("/sync/crash/killed-after-send", test_killed_after_send);
  koers_test_server_db_add ("/sync/crash/killed-mid-pull-page", test_killed_mid_pull_page);
  koers_test_server_db_add ("/sync/crash/clock-skew-faketime", test_clock_skew_faketime);
  return g_test_run ();
}
