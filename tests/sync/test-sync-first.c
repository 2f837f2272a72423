/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A first sync against the real koers-server on loopback: interrupted and resumed from its
 * cursor, with the participant indexes set aside meanwhile and put back whole; a page this
 * laptop cannot store while the next one is already being fetched; and a pull from 0 over
 * working rows that are already there.
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-postgres.h"

#include "core/koers-caseload-query.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

static const char *
user_id (KoersTestSync *sync, KoersTestUserId user)
{
  return sync->server->users[user].user_id;
}

static void
cancel_after_pages_cb (KoersSyncClient *client, guint n_items, gpointer user_data)
{
  guint *pages = user_data;

  if (++pages[0] == pages[1])
    g_cancellable_cancel (g_object_get_data (G_OBJECT (client), "test-cancellable"));
}

/* The caseload's search for @text (the query of the window's list) finds @n participants. */
static void
assert_search_finds (KoersTestPeer *peer, const char *text, guint n)
{
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(GError) error = NULL;
  KoersCaseloadQuery query;

  koers_caseload_query_init (&query);
  query.search = g_strdup (text);
  rowids = koers_participant_repository_query_rowids (peer->db, &query, &error);
  g_assert_no_error (error);
  g_test_message ("search \"%s\"", text);
  g_assert_cmpuint (rowids->len, ==, n);
  koers_caseload_query_clear (&query);
}

#define PARTICIPANT_INDEXES_SQL \
  "SELECT group_concat (sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'index' " \
  "AND tbl_name = 'participant' AND sql IS NOT NULL ORDER BY name)"

/* A first sync of a few thousand records is interrupted after 5 of its pages (and the one
 * page that may have arrived meanwhile while fetching ahead, which a cancelled run still
 * applies: koers-sync-run.c): the next run resumes from the cursor, and the data is called
 * complete only at the end. Meanwhile the
 * participant table's secondary indexes are set aside (koers-sync-apply.c): the caseload
 * still answers, and the end of the pull puts back exactly the indexes there were. */
static void
test_interrupted_first_sync (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  const guint n_records = 2000;
  guint pages[2] = { 0, 5 };
  guint applied;
  KoersSyncRunStats stats;
  g_autofree char *indexes_before = koers_test_peer_get_text_sql (a, PARTICIPANT_INDEXES_SQL);
  g_autofree char *indexes_after = NULL;
  g_autoptr(GError) error = NULL;
  gulong handler;

  for (guint i = 0; i < n_records; i++)
    {
      g_autofree char *name = g_strdup_printf ("Deelnemer %04u", i);
      g_autofree char *id = koers_test_server_add_participant (sync->server, KOERS_TEST_A_COACH,
                                                               user_id (sync,
                                                                        KOERS_TEST_A_COACH),
                                                               name);
    }
  koers_sync_client_set_page_size (a->client, 100);
  g_object_set_data (G_OBJECT (a->client), "test-cancellable", cancellable);
  handler = g_signal_connect (a->client, "page-applied", G_CALLBACK (cancel_after_pages_cb),
                              pages);
  koers_sync_client_sync_async (a->client, cancellable, NULL, NULL);
  while (koers_sync_client_get_state (a->client) == KOERS_SYNC_CLIENT_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (a->client, handler);
  applied = pages[0];
  g_assert_cmpuint (applied, >=, 5);
  g_assert_cmpuint (applied, <=, 6);
  g_assert_false (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==,
                   applied * 100);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT value = '1' FROM sync_state "
                                             "WHERE key = 'initial_pull_active'"), ==, 1);
  /* The nine plain indexes are set aside; the unique one on id stays, and the caseload's
   * query by name still finds everyone pulled so far. */
  g_assert_nonnull (strstr (indexes_before, "participant_name"));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sqlite_master WHERE type = "
                                             "'index' AND tbl_name = 'participant' AND sql "
                                             "NOT LIKE 'CREATE UNIQUE%'"), ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_state "
                                             "WHERE key = 'deferred_indexes'"), ==, 1);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant WHERE deleted = 0 "
                                             "AND name_key >= 'deelnemer 0100'"), ==,
                   applied * 100 - 100);
  /* The pulled participants wait for their search index entries (koers-search-backlog.h), and
   * a search finds them all the same: by three letters and more, and by a word's start. */
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant_search_docsize"),
                   ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT first_seq FROM participant_search_backlog"),
                   ==, 1);
  assert_search_finds (a, "eelnemer 02", 100);
  assert_search_finds (a, "deelnemer 0042", 1);
  assert_search_finds (a, "de", applied * 100);
  assert_search_finds (a, "00", 100);

  stats = koers_test_peer_sync_ok (a);
  /* Resumed from the cursor: only the pages not yet applied. */
  g_assert_cmpuint (stats.pages, ==, n_records / 100 - applied);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, n_records);
  indexes_after = koers_test_peer_get_text_sql (a, PARTICIPANT_INDEXES_SQL);
  g_assert_cmpstr (indexes_after, ==, indexes_before);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_state "
                                             "WHERE key = 'deferred_indexes'"), ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM pragma_integrity_check "
                                             "WHERE integrity_check <> 'ok'"), ==, 0);
  /* Every participant is in both search indexes now, as the index checks itself. */
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant_search_backlog"),
                   ==, 0);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant_search_docsize"),
                   ==, n_records);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant_words_docsize"),
                   ==, n_records);
  koers_database_exec (a->db, "INSERT INTO participant_search (participant_search, rank) "
                              "VALUES ('integrity-check', 1);"
                              "INSERT INTO participant_words (participant_words, rank) "
                              "VALUES ('integrity-check', 1)", &error);
  g_assert_no_error (error);
  assert_search_finds (a, "eelnemer 02", 100);
  assert_search_finds (a, "de", n_records);
  assert_search_finds (a, "00", 100);

  /* Any later page puts back what is still set aside (as if an older build had left it). */
  koers_database_exec (a->db,
    "INSERT INTO sync_state (key, value) SELECT 'deferred_indexes', json_array (sql) "
    "FROM sqlite_master WHERE name = 'participant_name'; DROP INDEX participant_name", &error);
  g_assert_no_error (error);
  g_clear_pointer (&indexes_after, g_free);
  indexes_after = koers_test_peer_get_text_sql (a, PARTICIPANT_INDEXES_SQL);
  g_assert_cmpstr (indexes_after, !=, indexes_before);
  koers_test_peer_sync_ok (a);
  g_clear_pointer (&indexes_after, g_free);
  indexes_after = koers_test_peer_get_text_sql (a, PARTICIPANT_INDEXES_SQL);
  g_assert_cmpstr (indexes_after, ==, indexes_before);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_state "
                                             "WHERE key = 'deferred_indexes'"), ==, 0);
  koers_test_sync_check_invariants (sync);
}

/* Sets participant @id's birth year on the server behind the engine's back (SQLite): @value
 * is SQL, so it can be what no client accepts. */
static void
set_birth_year_on_server (KoersTestSync *sync, const char *id, const char *value)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE records SET fields = json_set (fields, "
                                          "'$.geboortejaar', %s) WHERE id = $1", value);
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (id) };
  g_autoptr(GError) error = NULL;
  guint64 changed = 0;

  koers_server_db_begin (sync->server->db, sync->server->organisation_a, &error);
  g_assert_no_error (error);
  koers_server_db_exec (sync->server->db, sql, params, 1, &changed, &error);
  g_assert_no_error (error);
  koers_server_db_commit (sync->server->db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
}

/* A pull page is applied while the next one is fetched (koers-sync-run.c). A page this laptop
 * cannot store ends the run with the reason: the page after it, already asked for, is not
 * applied either, the pages before it stay, and the sync goes on from there once the server
 * sends something it can store. */
static void
test_unusable_page_while_fetching_ahead (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  KoersSyncRunStats stats;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("Vooruit Deelnemer %02u", i);

      g_ptr_array_add (ids, koers_test_server_add_participant (sync->server, KOERS_TEST_A_COACH,
                                                              user_id (sync,
                                                                       KOERS_TEST_A_COACH),
                                                              name));
    }
  set_birth_year_on_server (sync, g_ptr_array_index (ids, 14), "'negentienhonderd'");
  koers_sync_client_set_page_size (a->client, 10);

  g_assert_false (koers_test_peer_sync (a, &stats, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, g_ptr_array_index (ids, 14)));
  g_clear_error (&error);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 10);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow"), ==, 10);
  g_assert_false (koers_sync_client_get_initial_sync_complete (a->client));

  set_birth_year_on_server (sync, g_ptr_array_index (ids, 14), "1990");
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pages, ==, 2);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 30);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant "
                                             "WHERE birth_year = 1990"), ==, 1);
}

/* A page that passes every check but cannot be stored (here a trigger of the test's own
 * refuses one row) fails on the worker thread that applies it, through the run's own
 * connection, while the next page is already asked for: the run ends with the database's
 * reason, the page after it is not applied, the page before stays, and the next sync goes on
 * from there. */
static void
test_store_fails_while_fetching_ahead (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GError) error = NULL;
  KoersSyncRunStats stats;

  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf (i == 14 ? "Weigert Opslag" : "Achter Elkaar %02u",
                                               i);

      g_free (koers_test_server_add_participant (sync->server, KOERS_TEST_A_COACH,
                                                 user_id (sync, KOERS_TEST_A_COACH), name));
    }
  g_assert_true (koers_database_exec (a->db, "CREATE TRIGGER test_refuse AFTER INSERT ON "
                                             "participant WHEN new.name = 'Weigert Opslag' "
                                             "BEGIN SELECT RAISE (ABORT, 'opslag geweigerd'); "
                                             "END", &error));
  g_assert_no_error (error);
  koers_sync_client_set_page_size (a->client, 10);

  g_assert_false (koers_test_peer_sync (a, &stats, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "opslag geweigerd"));
  g_clear_error (&error);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 10);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow"), ==, 10);
  g_assert_false (koers_sync_client_get_initial_sync_complete (a->client));

  g_assert_true (koers_database_exec (a->db, "DROP TRIGGER test_refuse", &error));
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.pages, ==, 2);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 30);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant WHERE "
                                             "name = 'Weigert Opslag'"), ==, 1);
}

#define CAPTURE_TRIGGERS_SQL \
  "SELECT group_concat (sql, ';') FROM (SELECT sql FROM sqlite_master WHERE type = 'trigger' " \
  "AND name LIKE 'sync_capture_%' ORDER BY name)"

/* An initial pull over working rows that are already there (a pull from 0 after a 410 keeps
 * them): each page with many participants first tries a plain insert of each working row, and
 * a row that exists must still take the server's values through the upsert. The capture
 * trigger the page sets aside is back afterwards, word for word, and records the next local
 * edit; the placeholder coach is made once. */
static void
test_initial_pull_over_working_rows (void)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (KOERS_SERVER_DB_SQLITE);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *triggers_before = koers_test_peer_get_text_sql (a, CAPTURE_TRIGGERS_SQL);
  g_autofree char *triggers_after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *name = g_strdup_printf ("Weer Deelnemer %03u", i);

      g_ptr_array_add (ids, koers_test_server_add_participant (sync->server, KOERS_TEST_A_COACH,
                                                              user_id (sync,
                                                                       KOERS_TEST_A_COACH),
                                                              name));
    }
  koers_test_peer_sync_ok (a);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant "
                                             "WHERE birth_year = 1990"), ==, 0);
  /* The server's records change behind the feed, and the laptop starts a pull from 0 while
   * its working rows stay, as after a 410. */
  for (guint i = 0; i < 100; i += 2)
    set_birth_year_on_server (sync, g_ptr_array_index (ids, i), "1990");
  koers_database_exec (a->db, "DELETE FROM sync_shadow; DELETE FROM sync_state WHERE key IN "
                              "('cursor', 'epoch', 'initial_sync_complete')", &error);
  g_assert_no_error (error);

  koers_test_peer_sync_ok (a);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant"), ==, 100);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM participant "
                                             "WHERE birth_year = 1990"), ==, 50);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_outbox"), ==, 0);
  triggers_after = koers_test_peer_get_text_sql (a, CAPTURE_TRIGGERS_SQL);
  /* (Not g_assert_cmpstr: a failure would print some 100 KB of trigger text.) */
  g_assert_true (g_strcmp0 (triggers_after, triggers_before) == 0);

  /* A participant made on the laptop now is captured as before. */
  g_free (koers_test_peer_create_participant (sync, a, "Nieuw Na Pull"));
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_outbox WHERE "
                                             "entity = 'deelnemers' AND action = 'aanmaken'"),
                   ==, 1);
  koers_test_sync_check_invariants (sync);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/first/interrupted", test_interrupted_first_sync);
  g_test_add_func ("/sync/first/sqlite/unusable-page-while-fetching-ahead",
                   test_unusable_page_while_fetching_ahead);
  g_test_add_func ("/sync/first/sqlite/store-fails-while-fetching-ahead",
                   test_store_fails_while_fetching_ahead);
  g_test_add_func ("/sync/first/sqlite/initial-pull-over-working-rows",
                   test_initial_pull_over_working_rows);
  return g_test_run ();
}
