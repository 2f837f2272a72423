/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The server restored from an older backup, and a revoked device, each ending with the oracle
 * on both back ends.
 *
 * Restore: a copy of the server database is taken (SQLite: VACUUM INTO; PostgreSQL: pg_dump
 * of the test schema as the cluster's superuser), the devices go on working and syncing, then
 * the server is stopped, the copy put back (SQLite: the file; PostgreSQL: DROP SCHEMA and
 * pg_restore), `admin tijdperk-vernieuwen` declared, and the server started again on the same
 * port. The devices then meet a server that forgot part of their history: their unsent
 * changes carry device numbers it never saw (409, renumbered), their cursors are from another
 * epoch (410, everything pulled again, the outbox kept), and records only the lost state had
 * are on their disks only: they go back up (koers_sync_schema_enqueue_lost).
 */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-helpers.h"
#include "koers-test-postgres.h"

#include "core/koers-participant.h"
#include "server/koers-server-admin.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-sync-conflicts.h"
#include "sync/koers-sync-json.h"
#include "sync/koers-sync-schema.h"

#include <glib/gstdio.h>
#include <libpq-fe.h>

#include <string.h>

/* ---- PostgreSQL: the test schema of a location, dumped and restored as the superuser ------ */

static char *
pg_bin (const char *program)
{
  g_autoptr(GDir) dir = g_dir_open ("/usr/lib/postgresql", 0, NULL);
  g_autofree char *best = NULL;
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/usr/lib/postgresql", name, "bin", program,
                                                NULL);

      if (g_file_test (path, G_FILE_TEST_IS_EXECUTABLE)
          && (best == NULL || strcmp (path, best) > 0))
        {
          g_free (best);
          best = g_steal_pointer (&path);
        }
    }
  if (best == NULL)
    best = g_find_program_in_path (program);
  if (best == NULL)
    g_error ("%s is not installed (Debian package postgresql)", program);
  return g_steal_pointer (&best);
}

/* "postgresql:///DB?...&options=-c%20search_path%3DSCHEMA": the database and the schema. */
static void
pg_location_parts (const char *location, char **out_database, char **out_schema)
{
  const char *start = strstr (location, ":///");
  const char *query;
  g_autofree char *unescaped = NULL;
  const char *path;

  g_assert_nonnull (start);
  start += 4;
  query = strchr (start, '?');
  g_assert_nonnull (query);
  *out_database = g_strndup (start, (gsize) (query - start));
  unescaped = g_uri_unescape_string (query, NULL);
  path = strstr (unescaped, "search_path=");
  g_assert_nonnull (path);
  path += strlen ("search_path=");
  *out_schema = g_strndup (path, strcspn (path, "&"));
}

static void
run_tool (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                     | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s failed: %s", argv[0], err);
}

static void
pg_superuser_exec (const char *database, const char *sql)
{
  g_autofree char *uri = koers_test_postgres_superuser_uri (database);
  PGconn *conn = PQconnectdb (uri);
  PGresult *result;

  if (PQstatus (conn) != CONNECTION_OK)
    g_error ("PostgreSQL superuser connection: %s", PQerrorMessage (conn));
  result = PQexec (conn, sql);
  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  PQclear (result);
  PQfinish (conn);
}

/* ---- backup and restore ------------------------------------------------------------------ */

/* (transfer full) the path of a copy of the server's database as it is now. */
static char *
backup_server (KoersTestSync *sync)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  char *backup = g_build_filename (dir, "backup", NULL);
  g_autoptr(GError) error = NULL;

  if (sync->server->backend == KOERS_SERVER_DB_SQLITE)
    {
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (backup) };

      koers_server_db_exec (sync->server->db, "VACUUM INTO $1", params, 1, NULL, &error);
      g_assert_no_error (error);
    }
  else
    {
      g_autofree char *database = NULL, *schema = NULL, *uri = NULL, *dump = pg_bin ("pg_dump");

      pg_location_parts (sync->server->location, &database, &schema);
      uri = koers_test_postgres_superuser_uri (database);
      if (uri == NULL)
        g_error ("the restore test dumps the schema as the test cluster's superuser, which a "
                 "server given with KOERS_TEST_POSTGRES_URI does not offer");
      {
        const char *argv[] = { dump, "--format=custom", "--schema", schema, "--file", backup,
                               "--dbname", uri, NULL };

        run_tool (argv);
      }
    }
  return backup;
}

/* Stops the server, puts @backup back, declares the restore (a new epoch, as the
 * administrator does with `koers-server admin tijdperk-vernieuwen`) and starts the server on
 * the same port. */
static void
restore_server (KoersTestSync *sync, const char *backup)
{
  KoersTestServer *server = sync->server;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) err = g_string_new (NULL);
  g_autofree char *old_epoch = NULL;
  char *argv[] = { (char *) "tijdperk-vernieuwen", NULL };
  int status;

  koers_server_disconnect (server->server);
  g_clear_object (&server->server);
  koers_test_server_spin (20);
  old_epoch = g_strdup (koers_server_db_get_epoch (server->db));
  g_clear_pointer (&server->db, koers_server_db_free);

  if (server->backend == KOERS_SERVER_DB_SQLITE)
    {
      g_autofree char *contents = NULL;
      gsize length = 0;

      for (guint i = 0; i < 3; i++)
        {
          static const char * const suffixes[] = { "", "-wal", "-shm" };
          g_autofree char *path = g_strconcat (server->location, suffixes[i], NULL);

          g_remove (path);
        }
      g_assert_true (g_file_get_contents (backup, &contents, &length, &error));
      g_assert_true (g_file_set_contents_full (server->location, contents, (gssize) length,
                                               G_FILE_SET_CONTENTS_NONE, 0600, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_autofree char *database = NULL, *schema = NULL, *uri = NULL, *drop = NULL;
      g_autofree char *restore = pg_bin ("pg_restore");

      pg_location_parts (server->location, &database, &schema);
      drop = g_strdup_printf ("SET client_min_messages = warning; DROP SCHEMA %s CASCADE",
                          schema);
      pg_superuser_exec (database, drop);
      uri = koers_test_postgres_superuser_uri (database);
      {
        const char *args[] = { restore, "--exit-on-error", "--dbname", uri, backup, NULL };

        run_tool (args);
      }
    }

  server->db = koers_server_db_open (server->location, &error);
  g_assert_no_error (error);
  /* The backup still carries the epoch it was taken in. */
  g_assert_cmpstr (koers_server_db_get_epoch (server->db), ==, old_epoch);
  status = koers_server_admin_run (server->db, 1, argv, NULL, out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (koers_server_db_get_epoch (server->db), !=, old_epoch);
  server->server = koers_server_new (server->db);
  koers_server_listen (server->server, "127.0.0.1", server->port, NULL, &error);
  g_assert_no_error (error);
}

static void
capture (KoersTestPeer *peer, gboolean on)
{
  g_autoptr(GError) error = NULL;

  koers_sync_schema_set_capture (peer->db, on, &error);
  g_assert_no_error (error);
}

/* A participant entered on the laptop that the coach never chose to send (entered while
 * capture was off, as before signing in: no outbox row, no shadow row). (transfer full) */
static char *
add_unshared_participant (KoersTestSync *sync, KoersTestPeer *peer, const char *name)
{
  g_autoptr(KoersParticipant) participant = koers_participant_new ();
  g_autoptr(GError) error = NULL;
  const char *coach = sync->server->users[peer->user].user_id;

  capture (peer, FALSE);
  koers_participant_set_name (participant, name);
  koers_participant_set_municipality (participant, KOERS_MUNICIPALITY_AALTEN);
  koers_participant_set_target_group (participant, KOERS_TARGET_GROUP_STATUSHOLDER);
  koers_participant_set_coach_id (participant, coach);
  koers_participant_repository_insert (peer->db, participant, coach, &error);
  g_assert_no_error (error);
  capture (peer, TRUE);
  return g_strdup (koers_participant_get_id (participant));
}

static gint64
state_int (KoersTestPeer *peer, const char *key)
{
  return koers_sync_state_get_int (peer->db, key, -1);
}

/* The first sync after the restore: one pull from 0, and @requeued changes given back. */
static void
sync_after_restore (KoersTestPeer *peer, guint requeued)
{
  KoersSyncRunStats stats = koers_test_peer_sync_ok (peer);

  g_assert_cmpuint (stats.full_repulls, ==, 1);
  g_assert_cmpuint (stats.requeued, ==, requeued);
}

/* A coach's two laptops and the ondersteuner's; organisation B alongside. After the backup the
 * laptops create participants and sync them; the server is then restored and forgets them.
 * Laptop A also has an unsent edit of an older participant when the restore happens. */
static void
test_restored_from_older_backup (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *support = koers_test_sync_add_peer (sync, KOERS_TEST_A_ONDERSTEUNER);
  KoersTestPeer *other = koers_test_sync_add_peer (sync, KOERS_TEST_B_COACH);
  g_autofree char *old = NULL, *lost_a = NULL, *lost_a2 = NULL, *lost_deleted = NULL;
  g_autofree char *backup = NULL, *unshared = NULL;
  g_autofree char *value = NULL;
  KoersSyncRunStats stats;
  gint64 numbers_at_backup, numbers_before, numbers_after;

  old = koers_test_peer_create_participant (sync, a, "Voor De Back-up");
  unshared = add_unshared_participant (sync, a, "Nooit Gedeeld");
  g_free (koers_test_peer_create_participant (sync, other, "Andere Organisatie"));
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (a2);
  koers_test_peer_sync_ok (support);
  koers_test_peer_sync_ok (other);
  backup = backup_server (sync);
  numbers_at_backup = state_int (a, KOERS_SYNC_STATE_DEVICE_NUMBER);

  /* After the backup: participants the restored server will not know. */
  lost_a = koers_test_peer_create_participant (sync, a, "Alleen Na Back-up A");
  lost_deleted = koers_test_peer_create_participant (sync, a, "Verwijderd Na Back-up");
  koers_test_peer_sync_ok (a);
  koers_test_peer_set_deleted (a, "participant", lost_deleted, TRUE);
  koers_test_peer_sync_ok (a);
  lost_a2 = koers_test_peer_create_participant (sync, a2, "Alleen Na Back-up A2");
  koers_test_peer_sync_ok (a2);
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (support);
  /* Unsent when the server goes back in time. */
  koers_test_peer_set_text (sync, a, "participant", old, "email", "na.herstel@example.nl");
  numbers_before = state_int (a, KOERS_SYNC_STATE_DEVICE_NUMBER);
  g_assert_cmpint (numbers_before, >, numbers_at_backup);

  restore_server (sync, backup);
  g_assert_null (koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                          lost_a, "naam"));

  /* Laptop A: the unsent edit is renumbered after the backup's last number (409), the pull
   * starts again from 0 (410), and what only the lost state had goes back up. */
  stats = koers_test_peer_sync_ok (a);
  g_assert_cmpuint (stats.full_repulls, ==, 1);
  /* Three participants, each with its first status change (and one tombstone). */
  g_assert_cmpuint (stats.requeued, ==, 6);
  g_assert_true (koers_sync_client_get_initial_sync_complete (a->client));
  numbers_after = state_int (a, KOERS_SYNC_STATE_DEVICE_NUMBER);
  /* Numbered on from the backup's last number: the edit, the six creations, the deletion. */
  g_assert_cmpint (numbers_after, ==, numbers_at_backup + 1 + 6 + 1);
  value = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", old,
                                   "email");
  g_assert_cmpstr (value, ==, "na.herstel@example.nl");
  g_clear_pointer (&value, g_free);
  value = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", lost_a2,
                                   "naam");
  g_assert_cmpstr (value, ==, "Alleen Na Back-up A2");
  g_clear_pointer (&value, g_free);
  /* The tombstone is back as a tombstone (restorable), not as a live record. */
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              lost_deleted), ==, 0);
  value = koers_test_peer_get_text (a, "participant", lost_deleted, "deleted");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  /* A record the coach never chose to send stays on the laptop only: the re-upload is for
   * what came from the server. */
  g_assert_null (koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                          unshared, "naam"));
  value = koers_test_peer_get_text (a, "participant", unshared, "name");
  g_assert_cmpstr (value, ==, "Nooit Gedeeld");
  g_clear_pointer (&value, g_free);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sync_outbox "
                                            "WHERE record_id = '%s'", unshared);

    g_assert_cmpint (koers_test_peer_count (a, sql), ==, 0);
  }

  /* The other laptop and the ondersteuner held the same records: they re-pull and find them
   * back on the server, so they send nothing again. */
  sync_after_restore (a2, 0);
  sync_after_restore (support, 0);
  stats = koers_test_peer_sync_ok (other);
  g_assert_cmpuint (stats.full_repulls, ==, 1);
  /* The oracle allows no record outside the server's view: the unshared one goes. */
  {
    g_autofree char *sql = g_strdup_printf ("DELETE FROM participant_status_change "
                                            "WHERE participant_id = '%s'; DELETE FROM "
                                            "participant WHERE id = '%s'", unshared, unshared);
    g_autoptr(GError) error = NULL;

    capture (a, FALSE);
    koers_database_exec (a->db, sql, &error);
    g_assert_no_error (error);
    capture (a, TRUE);
  }
  koers_test_sync_check_invariants (sync);
}

static void
assert_server_field (KoersTestSync *sync, const char *id, const char *field, const char *expected)
{
  g_autofree char *value = koers_test_server_field (sync->server, KOERS_TEST_A_COACH,
                                                    "deelnemers", id, field);

  g_assert_cmpstr (value, ==, expected);
}

/* Records the restored server still has, in the state of the backup: a field changed after
 * it and a deletion made after it come back from the laptop that holds them, once; a laptop
 * that already had them sends nothing; a laptop that last synced before the backup does not
 * turn the server's newer value back into its own older one. */
static void
test_lost_values (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *late = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *kept = NULL, *deleted = NULL, *backup = NULL, *value = NULL;

  kept = koers_test_peer_create_participant (sync, a, "Waarde Na Back-up");
  deleted = koers_test_peer_create_participant (sync, a, "Verwijderd Na Back-up");
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (a2);
  koers_test_peer_sync_ok (late);
  /* In the backup, but never seen by the late laptop. */
  koers_test_peer_set_text (sync, a, "participant", kept, "email", "voor@example.nl");
  koers_test_peer_sync_ok (a);
  backup = backup_server (sync);

  /* After the backup, synced by a2 and pulled by a. */
  koers_test_peer_set_text (sync, a2, "participant", kept, "phone", "0611111111");
  koers_test_peer_set_deleted (a2, "participant", deleted, TRUE);
  koers_test_peer_sync_ok (a2);
  koers_test_peer_sync_ok (a);

  restore_server (sync, backup);
  assert_server_field (sync, kept, "telefoon", NULL);
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              deleted), >, 0);

  /* a gives back the phone number and the deletion. */
  sync_after_restore (a, 2);
  assert_server_field (sync, kept, "telefoon", "0611111111");
  assert_server_field (sync, kept, "email", "voor@example.nl");
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              deleted), ==, 0);
  value = koers_test_peer_get_text (a, "participant", kept, "phone");
  g_assert_cmpstr (value, ==, "0611111111");
  g_clear_pointer (&value, g_free);
  value = koers_test_peer_get_text (a, "participant", deleted, "deleted");
  g_assert_cmpstr (value, ==, "1");
  g_clear_pointer (&value, g_free);

  /* a2 held the same values: nothing to send. */
  sync_after_restore (a2, 0);

  /* The late laptop's e-mail address is older than the backup's: the server's stays. */
  sync_after_restore (late, 0);
  assert_server_field (sync, kept, "email", "voor@example.nl");
  value = koers_test_peer_get_text (late, "participant", kept, "email");
  g_assert_cmpstr (value, ==, "voor@example.nl");
  g_clear_pointer (&value, g_free);
  value = koers_test_peer_get_text (late, "participant", kept, "phone");
  g_assert_cmpstr (value, ==, "0611111111");

  koers_test_sync_check_invariants (sync);
}

/* The number of conflict records on @peer about @field whose own value ("client") is
 * @mine. */
static gint64
conflicts_with_mine (KoersTestPeer *peer, const char *field, const char *mine)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sync_shadow WHERE entity = "
                                          "'conflicten' AND record ->> '$.gegevens.veld' = "
                                          "'%s' AND record ->> '$.gegevens.client' IS '%s'",
                                          field, mine);

  return koers_test_peer_count (peer, sql);
}

/* A record the restored server holds and someone changed again there before this laptop
 * pulled: its version counts on from the backup with numbers the old history gave out too,
 * so comparing it with the version the laptop kept says nothing. The 410 says up to which
 * number the two histories are the same (gedeeldTot); past it the laptop cannot tell a value
 * the server lost from one changed since, and asks instead of overwriting: each field where
 * it held another value becomes a conflict. The phone number typed after the backup is then
 * in a conflict (not lost, as when the newer version made the laptop take the server's
 * state), and keeping "mine" puts it back. */
static void
test_changed_again_after_restore (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *a2 = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  g_autofree char *id = NULL, *backup = NULL, *conflict = NULL, *value = NULL;
  g_autoptr(GError) error = NULL;

  id = koers_test_peer_create_participant (sync, a, "Opnieuw Gewijzigd");
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (a2);
  backup = backup_server (sync);

  /* After the backup, on laptop a only. */
  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0622222222");
  koers_test_peer_sync_ok (a);

  restore_server (sync, backup);
  /* Laptop a2 held nothing newer than the backup; it changes the record twice on the
   * restored server, so its version passes the one a kept. */
  sync_after_restore (a2, 0);
  koers_test_peer_set_text (sync, a2, "participant", id, "email", "eerste@example.nl");
  koers_test_peer_sync_ok (a2);
  koers_test_peer_set_text (sync, a2, "participant", id, "email", "tweede@example.nl");
  koers_test_peer_sync_ok (a2);
  g_assert_cmpint (koers_test_server_version (sync->server, KOERS_TEST_A_COACH, "deelnemers",
                                              id), >,
                   koers_test_peer_count (a, "SELECT version FROM sync_shadow WHERE entity = "
                                             "'deelnemers' AND id = (SELECT id FROM "
                                             "participant WHERE name = 'Opnieuw Gewijzigd')"));

  /* a asks about both fields it held otherwise: the server keeps its values meanwhile. */
  sync_after_restore (a, 1);
  koers_test_peer_sync_ok (a);
  assert_server_field (sync, id, "telefoon", NULL);
  assert_server_field (sync, id, "email", "tweede@example.nl");
  g_assert_cmpint (conflicts_with_mine (a, "telefoon", "0622222222"), ==, 1);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_shadow WHERE entity = "
                                             "'conflicten' AND record ->> '$.gegevens.veld' = "
                                             "'email' AND record ->> '$.gegevens.server' = "
                                             "'tweede@example.nl'"), ==, 1);
  g_assert_cmpint (koers_test_peer_count (a, "SELECT count(*) FROM sync_state WHERE key = "
                                             "'" KOERS_SYNC_STATE_REPULL_SHARED "'"), ==, 0);

  /* The coach keeps the phone number: it is the server's again, on both laptops. */
  conflict = koers_test_peer_get_text_sql (a, "SELECT id FROM sync_shadow WHERE entity = "
                                              "'conflicten' AND record ->> '$.gegevens.veld' "
                                              "= 'telefoon'");
  g_assert_true (koers_sync_resolve_conflict (a->db, conflict, "mijn", NULL, &error));
  g_assert_no_error (error);
  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (a2);
  assert_server_field (sync, id, "telefoon", "0622222222");
  value = koers_test_peer_get_text (a2, "participant", id, "phone");
  g_assert_cmpstr (value, ==, "0622222222");
  koers_test_sync_check_invariants (sync);
}

/* Signed in again on the same database: a new device of the same user. */
static void
sign_in_again (KoersTestSync *sync, KoersTestPeer *peer, const char *name)
{
  KoersServerAuth *auth = koers_server_get_auth (sync->server->server);
  g_autofree char *access = NULL, *refresh = NULL, *device = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", sync->server->port);
  g_autoptr(GError) error = NULL;

  device = koers_server_auth_issue_tokens (auth, sync->server->users[peer->user].user_id, name,
                                           &access, &refresh, &error);
  g_assert_no_error (error);
  koers_sync_client_stop (peer->client);
  g_clear_object (&peer->client);
  g_clear_object (&peer->tokens);
  peer->tokens = koers_memory_token_source_new (access, refresh);
  peer->client = koers_sync_client_new (peer->db, url, KOERS_TOKEN_SOURCE (peer->tokens));
  g_object_set_data_full (G_OBJECT (peer->client), "device-id", g_steal_pointer (&device),
                          g_free);
}

/* A laptop is reported stolen and its device revoked by the ondersteuner: its next sync is
 * refused (the token and its refresh token are dead), nothing of its outbox is sent and
 * nothing is pulled. Signed in again as a new device, the same database sends its changes
 * (renumbered for the new device) and converges. The administrator's `apparaat-intrekken`
 * does the same to the second laptop. */
static void
test_device_revoked (KoersServerDbBackend backend)
{
  g_autoptr(KoersTestSync) sync = koers_test_sync_new (backend);
  KoersTestPeer *a = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  KoersTestPeer *b = koers_test_sync_add_peer (sync, KOERS_TEST_A_COACH);
  const char *device = g_object_get_data (G_OBJECT (a->client), "device-id");
  g_autofree char *id = koers_test_peer_create_participant (sync, a, "Ingrid Postma");
  g_autofree char *path = NULL, *on_server = NULL, *on_a = NULL;
  g_autoptr(GError) error = NULL;
  guint status = 0;

  koers_test_peer_sync_ok (a);
  koers_test_peer_sync_ok (b);
  path = g_strdup_printf ("/v1/apparaten/%s", device);
  {
    g_autoptr(JsonNode) reply = koers_test_server_request (
      sync->server, "DELETE", path, koers_test_server_token (sync->server,
                                                             KOERS_TEST_A_ONDERSTEUNER),
      NULL, &status, NULL);

    g_assert_cmpuint (status, ==, 204);
  }

  koers_test_peer_set_text (sync, a, "participant", id, "phone", "0616161616");
  koers_test_peer_set_text (sync, b, "participant", id, "email", "ingrid@example.nl");
  koers_test_peer_sync_ok (b);
  g_assert_false (koers_test_peer_sync (a, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_client_get_state (a->client), ==, KOERS_SYNC_CLIENT_ERROR);
  g_assert_cmpint (koers_sync_schema_count_pending (a->db), ==, 1);
  g_assert_null (koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                          "telefoon"));
  /* Nothing was pulled either: B's edit did not arrive. */
  on_a = koers_test_peer_get_text (a, "participant", id, "email");
  g_assert_null (on_a);

  /* Signed in again: a new device for the same database. */
  sign_in_again (sync, a, "laptop-na-diefstal");
  koers_test_peer_sync_ok (a);
  on_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                       "telefoon");
  g_assert_cmpstr (on_server, ==, "0616161616");
  g_assert_cmpint (koers_sync_state_get_int (a->db, KOERS_SYNC_STATE_DEVICE_NUMBER, 0), ==, 1);

  /* The administrator at the server's console revokes the other laptop. */
  {
    g_autoptr(GString) out = g_string_new (NULL);
    g_autoptr(GString) err = g_string_new (NULL);
    char *argv[] = { (char *) "apparaat-intrekken",
                     g_object_get_data (G_OBJECT (b->client), "device-id"), NULL };

    g_assert_cmpint (koers_server_admin_run (sync->server->db, 2, argv, NULL, out, err), ==, 0);
  }
  koers_test_peer_set_text (sync, b, "participant", id, "next_action", "Werkgever bellen");
  g_assert_false (koers_test_peer_sync (b, NULL, &error));
  g_assert_error (error, KOERS_SYNC_ERROR, KOERS_SYNC_ERROR_AUTH);
  g_clear_error (&error);
  g_assert_cmpint (koers_sync_schema_count_pending (b->db), ==, 1);
  sign_in_again (sync, b, "tweede-laptop-opnieuw");
  koers_test_peer_sync_ok (b);
  g_clear_pointer (&on_server, g_free);
  on_server = koers_test_server_field (sync->server, KOERS_TEST_A_COACH, "deelnemers", id,
                                       "volgendeActie");
  g_assert_cmpstr (on_server, ==, "Werkgever bellen");
  koers_test_sync_check_invariants (sync);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/sync/restore/restored-from-older-backup",
                            test_restored_from_older_backup);
  koers_test_server_db_add ("/sync/restore/lost-values", test_lost_values);
  koers_test_server_db_add ("/sync/restore/changed-again-after-restore",
                            test_changed_again_after_restore);
  koers_test_server_db_add ("/sync/restore/device-revoked", test_device_revoked);
  return g_test_run ();
}
