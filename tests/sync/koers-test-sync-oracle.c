/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The oracle of every sync scenario (SYNC.md, "What the tests must prove"): after a final
 * sync of every device until nothing moves,
 *  1. convergence: each device's shadow is exactly the server's feed for its user, and each
 *     working row holds the server's values;
 *  2. no lost write: every value a test typed is current, in the server's history, in a
 *     conflict record, or in a device's quarantine;
 *  3. no duplicates: no participant name twice on the server;
 *  4. device order: each device's processed numbers are 1..n without a gap, and the server
 *     applied them in that order;
 *  5. isolation: no device holds a record outside its user's feed (scope and tenant).
 */
#include "config.h"

#include "koers-test-sync.h"

#include "core/koers-sync-entities.h"
#include "sync/koers-sync-schema.h"

#include <string.h>

typedef struct {
  gint64      version;
  JsonObject *record;
} FeedEntry;

static void
feed_entry_free (gpointer data)
{
  FeedEntry *entry = data;

  json_object_unref (entry->record);
  g_free (entry);
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static char *
to_text (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  if (node == NULL)
    return g_strdup ("null");
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static gboolean
same_json (JsonNode *a, JsonNode *b)
{
  g_autofree char *ta = to_text (a);
  g_autofree char *tb = to_text (b);

  return g_str_equal (ta, tb);
}

/* The server's feed for @user from 0: the records in scope, latest state. */
static GHashTable *
server_feed (KoersTestServer *server, KoersTestUserId user)
{
  GHashTable *feed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, feed_entry_free);
  g_autofree char *cursor = NULL;
  gboolean more = TRUE;

  for (guint round = 0; more && round < 1000; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = NULL;
      JsonObject *root;
      JsonArray *items;

      page = koers_server_engine_pull (koers_server_get_engine (server->server),
                                       server->users[user].caller, cursor, 500, &error);
      g_assert_no_error (error);
      root = json_node_get_object (page);
      items = json_object_get_array_member (root, "wijzigingen");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          g_autofree char *key = g_strdup_printf ("%s/%s",
                                                  json_object_get_string_member (item, "entiteit"),
                                                  json_object_get_string_member (item, "id"));

          if (json_object_get_boolean_member_with_default (item, "buitenBereik", FALSE))
            g_hash_table_remove (feed, key);
          else
            {
              FeedEntry *entry = g_new0 (FeedEntry, 1);

              entry->version = json_object_get_int_member (item, "versie");
              entry->record = json_object_ref (item);
              g_hash_table_replace (feed, g_steal_pointer (&key), entry);
            }
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (root, "volgendeCursor"));
      more = json_object_get_boolean_member (root, "meerBeschikbaar");
    }
  return feed;
}

/* What a wire value is stored as locally (CAST AS TEXT), mirroring the fallbacks. */
static char *
expected_local (const KoersSyncField *field, JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    {
      if (field->type == KOERS_SYNC_FIELD_BOOL)
        return g_strdup ("0");
      if (field->type == KOERS_SYNC_FIELD_INT)
        return g_strdup_printf ("%" G_GINT64_FORMAT,
                                field->min <= 0 && field->max >= 0 ? 0 : field->min);
      if (field->type == KOERS_SYNC_FIELD_ENUM && field->enum_ids != NULL
          && g_strv_contains ((const char * const *) field->enum_ids, "unknown"))
        return g_strdup ("unknown");
      if (field->type == KOERS_SYNC_FIELD_ENUM && field->merge == KOERS_SYNC_MERGE_STATE)
        return g_strdup (field->enum_ids[0]);
      return NULL;
    }
  switch (json_node_get_value_type (value))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (value) ? "1" : "0");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));
    default:
      return g_strdup (json_node_get_string (value));
    }
}

static KoersSqlRows *server_rows (KoersTestServer *server, const char *organisation,
                                  const char *sql, const KoersSqlValue *params,
                                  guint n_params);

/* Fails with invariant 5, saying what the server holds of the record and which feeds it left,
 * so a failure of a seeded run (whose timing cannot be replayed) can be read from its log. */
static void
fail_outside_feed (KoersTestPeer *peer, guint index, const char *entity, const char *id,
                   gint64 device_version)
{
  const char *user = peer->server->users[peer->user].user_id;
  g_autoptr(GString) what = g_string_new (NULL);

  for (guint o = 0; o < 2; o++)
    {
      const char *org = o == 0 ? peer->server->organisation_a : peer->server->organisation_b;
      KoersSqlValue params[] = {
        KOERS_SQL_TEXT_VALUE (entity), KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (org),
      };
      g_autoptr(KoersSqlRows) record = server_rows (peer->server, org,
        "SELECT version, coalesce (scope_coach_id, '-'), coalesce (participant_id, '-') "
        "FROM records WHERE entity = $1 AND id = $2 AND organisation_id = $3", params, 3);
      g_autoptr(KoersSqlRows) exits = server_rows (peer->server, org,
        "SELECT coach_id, version FROM scope_exits WHERE entity = $1 AND id = $2 "
        "AND organisation_id = $3", params, 3);

      for (guint i = 0; i < koers_sql_rows_get_n_rows (record); i++)
        g_string_append_printf (what, "; server: version %" G_GINT64_FORMAT ", caseload of "
                                "%s, participant %s", koers_sql_rows_get_int (record, i, 0),
                                koers_sql_rows_get_text (record, i, 1),
                                koers_sql_rows_get_text (record, i, 2));
      for (guint i = 0; i < koers_sql_rows_get_n_rows (exits); i++)
        g_string_append_printf (what, "; left coach %s's feed at %" G_GINT64_FORMAT,
                                koers_sql_rows_get_text (exits, i, 0),
                                koers_sql_rows_get_int (exits, i, 1));
    }
  g_error ("invariant 5 (isolation): device %u (user %s) holds %s/%s at version %"
           G_GINT64_FORMAT ", outside its user's feed%s", index, user, entity, id,
           device_version, what->str);
}

static void
check_peer_converged (KoersTestPeer *peer, guint index)
{
  g_autoptr(GHashTable) feed = server_feed (peer->server, peer->user);
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  guint n_shadow = 0, n = 0;
  const KoersSyncEntity *entities = koers_sync_entities (&n);

  if (koers_sync_schema_count_pending (peer->db) != 0)
    g_error ("invariant 1 (convergence): device %u still has %" G_GINT64_FORMAT
             " unsent changes", index, koers_sync_schema_count_pending (peer->db));
  stmt = koers_database_prepare (peer->db, "SELECT entity, id, version FROM sync_shadow",
                                 &error);
  g_assert_no_error (error);
  while (koers_database_step (peer->db, stmt, &has_row, &error) && has_row)
    {
      g_autofree char *key = g_strdup_printf ("%s/%s", koers_column_text (stmt, 0),
                                              koers_column_text (stmt, 1));
      FeedEntry *entry = g_hash_table_lookup (feed, key);

      if (entry == NULL)
        fail_outside_feed (peer, index, koers_column_text (stmt, 0), koers_column_text (stmt, 1),
                           koers_column_int64 (stmt, 2));
      if (entry->version != koers_column_int64 (stmt, 2))
        g_error ("invariant 1 (convergence): device %u has %s at version %" G_GINT64_FORMAT
                 ", the server at %" G_GINT64_FORMAT, index, key, koers_column_int64 (stmt, 2),
                 entry->version);
      n_shadow++;
    }
  g_assert_no_error (error);
  if (n_shadow != g_hash_table_size (feed))
    g_error ("invariant 1 (convergence): device %u holds %u records, its feed %u", index,
             n_shadow, g_hash_table_size (feed));

  for (guint e = 0; e < n; e++)
    {
      const KoersSyncEntity *entity = &entities[e];
      g_autofree char *sql = NULL;

      if (entity->table == NULL)
        continue;
      sql = g_strdup_printf ("SELECT id, deleted FROM \"%s\"", entity->table);
      stmt = koers_database_prepare (peer->db, sql, &error);
      g_assert_no_error (error);
      while (koers_database_step (peer->db, stmt, &has_row, &error) && has_row)
        {
          g_autofree char *id = g_strdup (koers_column_text (stmt, 0));
          g_autofree char *key = g_strdup_printf ("%s/%s", entity->name, id);
          FeedEntry *entry = g_hash_table_lookup (feed, key);
          JsonObject *fields;

          if (entry == NULL)
            g_error ("invariant 5 (isolation) / 1: device %u has a working %s row %s the "
                     "server does not give its user", index, entity->table, id);
          if (koers_column_bool (stmt, 1)
              != json_object_get_boolean_member (entry->record, "verwijderd"))
            g_error ("invariant 1 (convergence): device %u: %s deleted flag differs", index,
                     key);
          fields = json_object_get_object_member (entry->record, "gegevens");
          for (guint f = 0; f < entity->n_fields; f++)
            {
              const KoersSyncField *field = &entity->fields[f];
              g_autofree char *expected = NULL;
              g_autofree char *actual = NULL;

              if (field->column == NULL || field->type == KOERS_SYNC_FIELD_JSON)
                continue;
              expected = expected_local (field, json_object_get_member (fields, field->name));
              actual = koers_test_peer_get_text (peer, entity->table, id, field->column);
              if (actual != NULL && *actual == '\0')
                g_clear_pointer (&actual, g_free);
              if (g_strcmp0 (expected, actual) != 0)
                g_error ("invariant 1 (convergence): device %u: %s field %s is \"%s\", the "
                         "server's \"%s\"", index, key, field->name, actual ? actual : "(null)",
                         expected ? expected : "(null)");
            }
        }
      g_assert_no_error (error);
    }
}

static KoersSqlRows *
server_rows (KoersTestServer *server, const char *organisation, const char *sql,
             const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;
  KoersSqlRows *rows;

  koers_server_db_begin_read (server->db, organisation, &error);
  g_assert_no_error (error);
  rows = koers_server_db_query (server->db, sql, params, n_params, &error);
  g_assert_no_error (error);
  koers_server_db_commit (server->db, &error);
  g_assert_no_error (error);
  return rows;
}

static gboolean
in_object (const char *text, const char *field, const char *member, JsonNode *value)
{
  g_autoptr(JsonNode) root = parse (text);
  JsonObject *object, *change;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if (!json_object_has_member (object, field))
    return FALSE;
  if (member == NULL)
    return same_json (json_object_get_member (object, field), value);
  if (!JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, field)))
    return FALSE;
  change = json_object_get_object_member (object, field);
  return json_object_has_member (change, member)
         && same_json (json_object_get_member (change, member), value);
}

static gboolean
typed_survives (KoersTestSync *sync, KoersTestTyped *typed)
{
  const char *orgs[] = { sync->server->organisation_a, sync->server->organisation_b };

  for (guint o = 0; o < G_N_ELEMENTS (orgs); o++)
    {
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (typed->entity),
                                 KOERS_SQL_TEXT_VALUE (typed->id) };
      g_autoptr(KoersSqlRows) current = NULL;
      g_autoptr(KoersSqlRows) history = NULL;
      g_autoptr(KoersSqlRows) conflicts = NULL;

      current = server_rows (sync->server, orgs[o], "SELECT fields FROM records "
                             "WHERE entity = $1 AND id = $2", params, 2);
      for (guint i = 0; i < koers_sql_rows_get_n_rows (current); i++)
        if (in_object (koers_sql_rows_get_text (current, i, 0), typed->field, NULL,
                       typed->value))
          return TRUE;
      history = server_rows (sync->server, orgs[o], "SELECT diff FROM history "
                             "WHERE entity = $1 AND id = $2", params, 2);
      for (guint i = 0; i < koers_sql_rows_get_n_rows (history); i++)
        if (in_object (koers_sql_rows_get_text (history, i, 0), typed->field, "wordt",
                       typed->value))
          return TRUE;
      conflicts = server_rows (sync->server, orgs[o], "SELECT fields FROM records "
                               "WHERE entity = 'conflicten'", NULL, 0);
      for (guint i = 0; i < koers_sql_rows_get_n_rows (conflicts); i++)
        {
          g_autoptr(JsonNode) root = parse (koers_sql_rows_get_text (conflicts, i, 0));
          JsonObject *c = json_node_get_object (root);
          const char *veld = json_object_get_string_member_with_default (c, "veld", "");

          if (g_strcmp0 (json_object_get_string_member_with_default (c, "recordId", ""),
                         typed->id) != 0)
            continue;
          if (g_str_equal (veld, typed->field)
              && ((json_object_has_member (c, "client")
                   && same_json (json_object_get_member (c, "client"), typed->value))
                  || (json_object_has_member (c, "server")
                      && same_json (json_object_get_member (c, "server"), typed->value))))
            return TRUE;
          if (g_str_equal (veld, "_verwijderd"))
            for (guint m = 0; m < 2; m++)
              {
                const char *side = m == 0 ? "client" : "server";
                JsonNode *node = json_object_get_member (c, side);
                g_autofree char *text = node != NULL ? to_text (node) : NULL;

                if (text != NULL && in_object (text, typed->field, NULL, typed->value))
                  return TRUE;
              }
        }
    }
  for (guint p = 0; p < sync->peers->len; p++)
    {
      KoersTestPeer *peer = g_ptr_array_index (sync->peers, p);
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt = koers_database_prepare (peer->db, "SELECT diff FROM sync_quarantine "
                                                             "WHERE entity = ?1 AND "
                                                             "record_id = ?2", &error);
      gboolean has_row = FALSE;

      g_assert_no_error (error);
      koers_bind_text (stmt, 1, typed->entity);
      koers_bind_text (stmt, 2, typed->id);
      while (koers_database_step (peer->db, stmt, &has_row, &error) && has_row)
        if (in_object (koers_column_text (stmt, 0), typed->field, "wordt", typed->value))
          return TRUE;
    }
  return FALSE;
}

static void
check_device_order (KoersTestSync *sync, KoersTestPeer *peer, guint index)
{
  const char *device = g_object_get_data (G_OBJECT (peer->client), "device-id");
  const char *org = peer->user >= KOERS_TEST_B_COACH ? sync->server->organisation_b
                                                     : sync->server->organisation_a;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (device) };
  g_autoptr(KoersSqlRows) rows = NULL;
  gint64 last_version = 0;

  rows = server_rows (sync->server, org,
                      "SELECT p.device_sequence, (SELECT min(h.version) FROM history h "
                      "WHERE h.mutation_id = p.mutation_id) FROM processed_mutations p "
                      "WHERE p.device_id = $1 ORDER BY p.device_sequence", params, 1);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    {
      gint64 version = koers_sql_rows_get_int (rows, i, 1);

      if (koers_sql_rows_get_int (rows, i, 0) != (gint64) i + 1)
        g_error ("invariant 4 (device order): device %u's numbers have a gap at %u", index,
                 i + 1);
      if (version != 0 && version < last_version)
        g_error ("invariant 4 (device order): device %u's mutation %u was applied before an "
                 "earlier one", index, i + 1);
      if (version != 0)
        last_version = version;
    }
}

void
koers_test_sync_check_invariants (KoersTestSync *sync)
{
  const char *orgs[] = { sync->server->organisation_a, sync->server->organisation_b };
  gboolean quiet = FALSE;

  for (guint round = 0; round < 4 && !quiet; round++)
    {
      quiet = TRUE;
      for (guint p = 0; p < sync->peers->len; p++)
        {
          KoersSyncRunStats stats = koers_test_peer_sync_ok (g_ptr_array_index (sync->peers, p));

          if (stats.pushed > 0 || stats.pulled > 0)
            quiet = FALSE;
        }
    }
  if (!quiet)
    g_error ("invariant 1 (convergence): the devices still exchange changes after 4 rounds");

  for (guint p = 0; p < sync->peers->len; p++)
    {
      check_peer_converged (g_ptr_array_index (sync->peers, p), p);
      check_device_order (sync, g_ptr_array_index (sync->peers, p), p);
    }
  for (guint t = 0; t < sync->typed->len; t++)
    {
      KoersTestTyped *typed = g_ptr_array_index (sync->typed, t);

      if (!typed_survives (sync, typed))
        {
          g_autofree char *value = to_text (typed->value);

          g_error ("invariant 2 (no lost write): %s %s field %s value %s is nowhere",
                   typed->entity, typed->id, typed->field, value);
        }
    }
  for (guint o = 0; o < G_N_ELEMENTS (orgs); o++)
    {
      g_autoptr(KoersSqlRows) rows = server_rows (sync->server, orgs[o],
                                                  "SELECT fields FROM records "
                                                  "WHERE entity = 'deelnemers' AND erased = 0",
                                                  NULL, 0);
      g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);

      for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
        {
          g_autoptr(JsonNode) root = parse (koers_sql_rows_get_text (rows, i, 0));
          const char *name = json_object_get_string_member_with_default (
            json_node_get_object (root), "naam", "");

          if (!g_hash_table_add (names, g_strdup (name)))
            g_error ("invariant 3 (no duplicates): participant \"%s\" exists twice", name);
        }
    }
  /* Isolation on the server itself: a participant's records (its conflicts among them) are in
   * the participant's caseload, so they reach the people who work with that participant and
   * nobody else. A record left in a caseload its participant left is in that coach's feed,
   * and a check of the devices against the feeds alone cannot see it. */
  for (guint o = 0; o < G_N_ELEMENTS (orgs); o++)
    {
      KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (orgs[o]) };
      g_autoptr(KoersSqlRows) rows = server_rows (sync->server, orgs[o],
        "SELECT c.entity, c.id, coalesce (c.scope_coach_id, '-'), "
        "coalesce (p.scope_coach_id, '-') FROM records c JOIN records p "
        "ON p.organisation_id = c.organisation_id AND p.entity = 'deelnemers' "
        "AND p.id = c.participant_id WHERE c.organisation_id = $1 "
        "AND c.entity <> 'deelnemers' "
        "AND c.scope_coach_id IS DISTINCT FROM p.scope_coach_id", params, 1);

      if (koers_sql_rows_get_n_rows (rows) > 0)
        g_error ("invariant 5 (isolation): the server holds %s/%s in the caseload of %s, its "
                 "participant is in the caseload of %s", koers_sql_rows_get_text (rows, 0, 0),
                 koers_sql_rows_get_text (rows, 0, 1), koers_sql_rows_get_text (rows, 0, 2),
                 koers_sql_rows_get_text (rows, 0, 3));
    }
}
