/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-sync.h"

#include "koers-test-helpers.h"

#include "core/koers-participant.h"
#include "core/koers-sync-entities.h"
#include "storage/koers-participant-repository.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

static void
typed_free (gpointer data)
{
  KoersTestTyped *typed = data;

  g_free (typed->entity);
  g_free (typed->id);
  g_free (typed->field);
  g_clear_pointer (&typed->value, json_node_unref);
  g_free (typed);
}

static void
peer_free (gpointer data)
{
  KoersTestPeer *peer = data;

  if (peer->client != NULL)
    koers_sync_client_stop (peer->client);
  g_clear_object (&peer->client);
  g_clear_object (&peer->tokens);
  g_clear_object (&peer->db);
  g_free (peer->path);
  g_free (peer);
}

KoersTestSync *
koers_test_sync_new (KoersServerDbBackend backend)
{
  KoersTestSync *sync = g_new0 (KoersTestSync, 1);

  sync->server = koers_test_server_new (backend);
  sync->peers = g_ptr_array_new_with_free_func (peer_free);
  sync->typed = g_ptr_array_new_with_free_func (typed_free);
  return sync;
}

void
koers_test_sync_free (KoersTestSync *sync)
{
  if (sync == NULL)
    return;
  g_clear_pointer (&sync->peers, g_ptr_array_unref);
  g_clear_pointer (&sync->typed, g_ptr_array_unref);
  koers_test_server_spin (20);
  g_clear_pointer (&sync->server, koers_test_server_free);
  g_free (sync);
}

KoersTestPeer *
koers_test_sync_add_peer (KoersTestSync *sync, KoersTestUserId user)
{
  KoersTestPeer *peer = g_new0 (KoersTestPeer, 1);
  KoersServerAuth *auth = koers_server_get_auth (sync->server->server);
  g_autoptr(GError) error = NULL;
  g_autofree char *access = NULL;
  g_autofree char *refresh = NULL;
  g_autofree char *device = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", sync->server->port);
  g_autofree char *name = g_strdup_printf ("laptop-%u", sync->peers->len);

  peer->server = sync->server;
  peer->user = user;
  peer->path = koers_test_make_temp_db_path ();
  peer->db = koers_database_open (peer->path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  g_assert_true (koers_sync_schema_install (peer->db, &error));
  g_assert_no_error (error);
  g_assert_true (koers_sync_schema_set_capture (peer->db, TRUE, &error));
  device = koers_server_auth_issue_tokens (auth, sync->server->users[user].user_id, name,
                                           &access, &refresh, &error);
  g_assert_no_error (error);
  peer->tokens = koers_memory_token_source_new (access, refresh);
  peer->client = koers_sync_client_new (peer->db, url, KOERS_TOKEN_SOURCE (peer->tokens));
  g_object_set_data_full (G_OBJECT (peer->client), "device-id", g_steal_pointer (&device),
                          g_free);
  g_ptr_array_add (sync->peers, peer);
  return peer;
}

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gpointer *slots = user_data;
  KoersSyncRunStats *stats = slots[0];
  GError **error = slots[1];

  koers_sync_client_sync_finish (KOERS_SYNC_CLIENT (object), result, stats, error);
  slots[2] = GINT_TO_POINTER (1);
}

gboolean
koers_test_peer_sync (KoersTestPeer *peer, KoersSyncRunStats *out_stats, GError **error)
{
  KoersSyncRunStats stats = { 0 };
  GError *local_error = NULL;
  gpointer slots[3] = { &stats, &local_error, NULL };
  gint64 deadline = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  koers_sync_client_sync_async (peer->client, NULL, sync_done_cb, slots);
  while (slots[2] == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  if (out_stats != NULL)
    *out_stats = stats;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

KoersSyncRunStats
koers_test_peer_sync_ok (KoersTestPeer *peer)
{
  KoersSyncRunStats stats = { 0 };
  g_autoptr(GError) error = NULL;

  koers_test_peer_sync (peer, &stats, &error);
  g_assert_no_error (error);
  return stats;
}

static void
exec_ok (KoersDatabase *db, const char *sql)
{
  g_autoptr(GError) error = NULL;

  koers_database_exec (db, sql, &error);
  g_assert_no_error (error);
}

char *
koers_test_peer_create_participant (KoersTestSync *sync, KoersTestPeer *peer, const char *name)
{
  g_autoptr(KoersParticipant) participant = koers_participant_new ();
  g_autoptr(GError) error = NULL;
  const char *coach = sync->server->users[peer->user].user_id;
  char *coach_sql;

  coach_sql = sqlite3_mprintf ("INSERT OR IGNORE INTO coach (id, created_at, created_by, "
                               "updated_at, updated_by, name) VALUES (%Q, '2026-11-28T08:00:00Z',"
                               " 'test', '2026-11-28T08:00:00Z', 'test', 'Coach')", coach);
  exec_ok (peer->db, coach_sql);
  sqlite3_free (coach_sql);
  koers_participant_set_name (participant, name);
  koers_participant_set_municipality (participant, KOERS_MUNICIPALITY_WINTERSWIJK);
  koers_participant_set_target_group (participant, KOERS_TARGET_GROUP_STATUSHOLDER);
  koers_participant_set_coach_id (participant, coach);
  koers_participant_repository_insert (peer->db, participant, coach, &error);
  g_assert_no_error (error);
  koers_test_server_spin (1);
  koers_test_sync_typed (sync, "deelnemers", koers_participant_get_id (participant), "naam",
                         name);
  return g_strdup (koers_participant_get_id (participant));
}

void
koers_test_peer_set_text (KoersTestSync *sync, KoersTestPeer *peer, const char *table,
                          const char *id, const char *column, const char *value)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET \"%s\" = ?2 WHERE id = ?1", table,
                                          column);
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);
  guint n = 0;
  const KoersSyncEntity *entities = koers_sync_entities (&n);

  g_assert_no_error (error);
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, value);
  koers_database_step (peer->db, stmt, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_changes (koers_database_get_handle (peer->db)), ==, 1);
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (entities[i].table, table) == 0)
      for (guint j = 0; j < entities[i].n_fields; j++)
        if (g_strcmp0 (entities[i].fields[j].column, column) == 0)
          koers_test_sync_typed (sync, entities[i].name, id, entities[i].fields[j].name, value);
}

void
koers_test_peer_set_deleted (KoersTestPeer *peer, const char *table, const char *id,
                             gboolean deleted)
{
  g_autofree char *sql = g_strdup_printf ("UPDATE \"%s\" SET deleted = %d WHERE id = '%s'",
                                          table, deleted ? 1 : 0, id);

  exec_ok (peer->db, sql);
}

char *
koers_test_peer_get_text (KoersTestPeer *peer, const char *table, const char *id,
                          const char *column)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT CAST(\"%s\" AS TEXT) FROM \"%s\" WHERE id = ?1",
                                          column, table);
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  koers_bind_text (stmt, 1, id);
  char *text;

  koers_database_step (peer->db, stmt, &has_row, &error);
  g_assert_no_error (error);
  text = has_row ? g_strdup (koers_column_text (stmt, 0)) : NULL;
  /* Not left on its row: a busy statement would lock the schema against a later DROP. */
  sqlite3_reset (stmt);
  return text;
}

gint64
koers_test_peer_count (KoersTestPeer *peer, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);
  gboolean has_row = FALSE;
  gint64 count;

  g_assert_no_error (error);
  koers_database_step (peer->db, stmt, &has_row, &error);
  g_assert_no_error (error);
  g_assert_true (has_row);
  count = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);   /* see koers_test_peer_get_text_sql */
  return count;
}

void
koers_test_sync_typed (KoersTestSync *sync, const char *entity, const char *id,
                       const char *field, const char *text_value)
{
  KoersTestTyped *typed = g_new0 (KoersTestTyped, 1);

  typed->entity = g_strdup (entity);
  typed->id = g_strdup (id);
  typed->field = g_strdup (field);
  typed->value = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (typed->value, text_value);
  g_ptr_array_add (sync->typed, typed);
}

char *
koers_test_server_field (KoersTestServer *server, KoersTestUserId user, const char *entity,
                         const char *id, const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = NULL;
  JsonObject *fields;

  record = koers_server_engine_get (koers_server_get_engine (server->server),
                                    server->users[user].caller, entity, id, &error);
  if (record == NULL)
    return NULL;
  fields = json_object_get_object_member (json_node_get_object (record), "gegevens");
  if (!json_object_has_member (fields, field))
    return NULL;
  return g_strdup (json_object_get_string_member (fields, field));
}

void
koers_test_peer_set_url (KoersTestPeer *peer, const char *url)
{
  g_autofree char *device = g_strdup (g_object_get_data (G_OBJECT (peer->client), "device-id"));

  koers_sync_client_stop (peer->client);
  g_object_unref (peer->client);
  peer->client = koers_sync_client_new (peer->db, url, KOERS_TOKEN_SOURCE (peer->tokens));
  g_object_set_data_full (G_OBJECT (peer->client), "device-id", g_steal_pointer (&device),
                          g_free);
}

char *
koers_test_peer_get_text_sql (KoersTestPeer *peer, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (peer->db, sql, &error);
  gboolean has_row = FALSE;

  g_assert_no_error (error);
  char *text;

  koers_database_step (peer->db, stmt, &has_row, &error);
  g_assert_no_error (error);
  text = has_row ? g_strdup (koers_column_text (stmt, 0)) : NULL;
  /* Not left on its row: a busy statement would lock the schema against a later DROP. */
  sqlite3_reset (stmt);
  return text;
}
