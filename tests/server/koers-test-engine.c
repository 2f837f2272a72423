/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-engine.h"

#include "koers-test-postgres.h"

#include <string.h>

static GDateTime *
fixed_clock (gpointer user_data)
{
  EngineFixture *fx = user_data;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 11, 28, 9, 0, 0.0);

  /* Every call a second later: timestamps are deterministic and still ordered. */
  return g_date_time_add_seconds (start, fx->tick++);
}

static void
exec_ok (KoersServerDb *db, const char *sql, const KoersSqlValue *params, guint n_params)
{
  g_autoptr(GError) error = NULL;

  koers_server_db_exec (db, sql, params, n_params, NULL, &error);
  g_assert_no_error (error);
}

static void
add_organisation (KoersServerDb *db, const char *id, const char *name)
{
  KoersSqlValue params[] = {
    KOERS_SQL_TEXT_VALUE (id), KOERS_SQL_TEXT_VALUE (name),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T08:00:00Z"),
  };

  exec_ok (db, "INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)",
           params, G_N_ELEMENTS (params));
}

static KoersServerCaller *
add_user (EngineFixture *fx, const char *org, const char *username, KoersServerRole role)
{
  g_autofree char *user_id = g_uuid_string_random ();
  g_autofree char *device_id = g_uuid_string_random ();
  KoersSqlValue user[] = {
    KOERS_SQL_TEXT_VALUE (user_id), KOERS_SQL_TEXT_VALUE (org),
    KOERS_SQL_TEXT_VALUE (username), KOERS_SQL_TEXT_VALUE (username),
    KOERS_SQL_TEXT_VALUE (koers_server_role_to_string (role)),
    KOERS_SQL_TEXT_VALUE ("x"), KOERS_SQL_TEXT_VALUE ("2026-11-28T08:00:00Z"),
  };
  KoersSqlValue device[] = {
    KOERS_SQL_TEXT_VALUE (device_id), KOERS_SQL_TEXT_VALUE (user_id),
    KOERS_SQL_TEXT_VALUE (org), KOERS_SQL_TEXT_VALUE ("laptop"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T08:00:00Z"),
  };

  exec_ok (fx->db, "INSERT INTO users (id, organisation_id, username, display_name, role, "
           "password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
           user, G_N_ELEMENTS (user));
  exec_ok (fx->db, "INSERT INTO devices (id, user_id, organisation_id, name, registered_at) "
           "VALUES ($1, $2, $3, $4, $5)", device, G_N_ELEMENTS (device));
  return koers_server_caller_new (user_id, org, username, role, device_id);
}

static KoersServerCaller *
add_device (EngineFixture *fx, const KoersServerCaller *caller)
{
  g_autofree char *device_id = g_uuid_string_random ();
  KoersSqlValue device[] = {
    KOERS_SQL_TEXT_VALUE (device_id), KOERS_SQL_TEXT_VALUE (caller->user_id),
    KOERS_SQL_TEXT_VALUE (caller->organisation_id), KOERS_SQL_TEXT_VALUE ("tablet"),
    KOERS_SQL_TEXT_VALUE ("2026-11-28T08:00:00Z"),
  };

  exec_ok (fx->db, "INSERT INTO devices (id, user_id, organisation_id, name, registered_at) "
           "VALUES ($1, $2, $3, $4, $5)", device, G_N_ELEMENTS (device));
  return koers_server_caller_new (caller->user_id, caller->organisation_id,
                                  caller->display_name, caller->role, device_id);
}

EngineFixture *
fx_new (KoersServerDbBackend backend)
{
  EngineFixture *fx = g_new0 (EngineFixture, 1);

  fx->backend = backend;
  fx->db = koers_test_server_db_open (backend, &fx->location);
  fx->engine = koers_server_engine_new (fx->db);
  koers_server_engine_set_clock (fx->engine, fixed_clock, fx);
  fx->org = g_uuid_string_random ();
  fx->org_b = g_uuid_string_random ();
  add_organisation (fx->db, fx->org, "Gemeente Doetinchem");
  add_organisation (fx->db, fx->org_b, "Gemeente Winterswijk");
  fx->coach = add_user (fx, fx->org, "coach-a", KOERS_SERVER_ROLE_COACH);
  fx->coach_tablet = add_device (fx, fx->coach);
  fx->colleague = add_user (fx, fx->org, "coach-b", KOERS_SERVER_ROLE_COACH);
  fx->support = add_user (fx, fx->org, "ondersteuner", KOERS_SERVER_ROLE_ONDERSTEUNER);
  fx->manager = add_user (fx, fx->org, "programmamanager", KOERS_SERVER_ROLE_PROGRAMMAMANAGER);
  fx->stranger = add_user (fx, fx->org_b, "coach-elders", KOERS_SERVER_ROLE_COACH);
  fx->numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return fx;
}

void
fx_free (EngineFixture *fx)
{
  if (fx == NULL)
    return;
  koers_server_engine_free (fx->engine);
  koers_server_db_free (fx->db);
  g_free (fx->location);
  g_free (fx->org);
  g_free (fx->org_b);
  koers_server_caller_free (fx->coach);
  koers_server_caller_free (fx->coach_tablet);
  koers_server_caller_free (fx->colleague);
  koers_server_caller_free (fx->support);
  koers_server_caller_free (fx->manager);
  koers_server_caller_free (fx->stranger);
  g_hash_table_unref (fx->numbers);
  g_free (fx);
}

char *
fx_json (const char *single_quoted)
{
  char *json = g_strdup (single_quoted);

  for (char *p = json; *p != '\0'; p++)
    if (*p == '\'')
      *p = '"';
  return json;
}

JsonNode *
fx_parse (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

char *
fx_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

char *
fx_mutation (EngineFixture *fx, const KoersServerCaller *caller, gint64 number,
             const char *mutation_id, const char *action, const char *entity,
             const char *record_id, gint64 base, const char *fields_sq)
{
  g_autofree char *fields = fx_json (fields_sq != NULL ? fields_sq : "{}");
  g_autofree char *own_id = NULL;
  g_autofree char *base_text = base < 0 ? g_strdup ("null")
                                        : g_strdup_printf ("%" G_GINT64_FORMAT, base);

  if (number <= 0)
    {
      gint64 next = GPOINTER_TO_SIZE (g_hash_table_lookup (fx->numbers, caller->device_id)) + 1;

      g_hash_table_insert (fx->numbers, g_strdup (caller->device_id), GSIZE_TO_POINTER (next));
      number = next;
    }
  if (mutation_id == NULL)
    mutation_id = own_id = g_uuid_string_random ();
  return g_strdup_printf ("{\"mutatieId\": \"%s\", \"volgnummer\": %" G_GINT64_FORMAT ", "
                          "\"entiteit\": \"%s\", \"recordId\": \"%s\", \"actie\": \"%s\", "
                          "\"basisVersie\": %s, \"velden\": %s}",
                          mutation_id, number, entity, record_id, action, base_text, fields);
}

JsonNode *
fx_push (EngineFixture *fx, const KoersServerCaller *caller, const char * const *mutations,
         gint64 *out_expected, GError **error)
{
  g_autofree char *joined = g_strjoinv (", ", (char **) mutations);
  g_autofree char *body = g_strdup_printf ("{\"mutaties\": [%s]}", joined);
  g_autoptr(JsonNode) request = fx_parse (body);

  return koers_server_engine_push_batch (fx->engine, caller, request, out_expected, error);
}

JsonObject *
fx_push1 (EngineFixture *fx, const KoersServerCaller *caller, const char *action,
          const char *entity, const char *record_id, gint64 base, const char *fields_sq)
{
  g_autofree char *mutation = fx_mutation (fx, caller, 0, NULL, action, entity, record_id, base,
                                           fields_sq);
  const char *list[] = { mutation, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = fx_push (fx, caller, list, NULL, &error);
  JsonArray *results;

  g_assert_no_error (error);
  results = json_object_get_array_member (json_node_get_object (response), "resultaten");
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_object_ref (json_array_get_object_element (results, 0));
}

char *
fx_participant (EngineFixture *fx, const KoersServerCaller *caller, const char *coach_id,
                const char *name)
{
  char *id = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{'naam': {'was': null, 'wordt': '%s'}, "
                                             "'gemeente': {'was': null, 'wordt': 'aalten'}, "
                                             "'doelgroep': {'was': null, 'wordt': 'nug'}, "
                                             "'status': {'was': null, 'wordt': 'registered'}, "
                                             "'coachId': {'was': null, 'wordt': '%s'}}",
                                             name, coach_id);
  g_autoptr(JsonObject) result = fx_push1 (fx, caller, "aanmaken", "deelnemers", id, -1,
                                           fields);

  g_assert_cmpstr (fx_string (result, "status"), ==, "toegepast");
  return id;
}

JsonObject *
fx_get (EngineFixture *fx, const KoersServerCaller *caller, const char *entity, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) record = koers_server_engine_get (fx->engine, caller, entity, id, &error);

  if (record == NULL)
    {
      g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_NOT_FOUND);
      return NULL;
    }
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (record));
}

gboolean
fx_visible (EngineFixture *fx, const KoersServerCaller *caller, const char *entity,
            const char *id)
{
  g_autoptr(JsonObject) record = fx_get (fx, caller, entity, id);

  return record != NULL;
}

JsonArray *
fx_pull_all (EngineFixture *fx, const KoersServerCaller *caller, const char *cursor,
             guint limit, char **out_cursor)
{
  JsonArray *all = json_array_new ();
  g_autofree char *current = g_strdup (cursor);
  gboolean more = TRUE;

  for (guint pages = 0; more; pages++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) page = koers_server_engine_pull (fx->engine, caller, current, limit,
                                                           &error);
      JsonObject *object;
      JsonArray *items;

      g_assert_no_error (error);
      g_assert_cmpuint (pages, <, 1000);
      object = json_node_get_object (page);
      items = json_object_get_array_member (object, "wijzigingen");
      g_assert_cmpuint (json_array_get_length (items), <=, limit);
      for (guint i = 0; i < json_array_get_length (items); i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (items, i)));
      more = json_object_get_boolean_member (object, "meerBeschikbaar");
      g_free (current);
      current = g_strdup (json_object_get_string_member (object, "volgendeCursor"));
    }
  if (out_cursor != NULL)
    *out_cursor = g_steal_pointer (&current);
  return all;
}

JsonObject *
fx_find (JsonArray *items, const char *id)
{
  JsonObject *found = NULL;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);

      if (g_strcmp0 (json_object_get_string_member (item, "id"), id) == 0)
        found = item;
    }
  return found;
}

gint64
fx_sequence (EngineFixture *fx, const char *org)
{
  return fx_count (fx, org, "SELECT sequence FROM organisations WHERE id = $1");
}

gint64
fx_count (EngineFixture *fx, const char *org, const char *sql)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (org) };
  gint64 value;

  koers_server_db_begin_read (fx->db, org, &error);
  g_assert_no_error (error);
  rows = koers_server_db_query (fx->db, sql, params, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (koers_sql_rows_get_n_rows (rows), ==, 1);
  value = koers_sql_rows_get_int (rows, 0, 0);
  koers_server_db_commit (fx->db, &error);
  g_assert_no_error (error);
  return value;
}

void
fx_assert_gap_free (EngineFixture *fx, const char *org)
{
  gint64 sequence = fx_sequence (fx, org);

  g_assert_cmpint (fx_count (fx, org, "SELECT count(DISTINCT version) FROM history "
                             "WHERE organisation_id = $1"), ==, sequence);
  g_assert_cmpint (fx_count (fx, org, "SELECT count(*) FROM history "
                             "WHERE organisation_id = $1"), ==, sequence);
  g_assert_cmpint (fx_count (fx, org, "SELECT coalesce(max(version), 0) FROM history "
                             "WHERE organisation_id = $1"), ==, sequence);
  g_assert_cmpint (fx_count (fx, org, "SELECT coalesce(min(version), 1) FROM history "
                             "WHERE organisation_id = $1"), ==, 1);
}

char *
fx_dump (EngineFixture *fx, const char *org)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersSqlRows) rows = NULL;
  KoersSqlValue params[] = { KOERS_SQL_TEXT_VALUE (org) };
  GString *dump = g_string_new (NULL);

  koers_server_db_begin_read (fx->db, org, &error);
  g_assert_no_error (error);
  rows = koers_server_db_query (fx->db,
                                "SELECT entity, id, version, deleted, erased, fields, "
                                "scope_coach_id FROM records WHERE organisation_id = $1 "
                                "ORDER BY version", params, 1, &error);
  g_assert_no_error (error);
  koers_server_db_commit (fx->db, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < koers_sql_rows_get_n_rows (rows); i++)
    for (guint c = 0; c < 7; c++)
      g_string_append_printf (dump, "%s%c", koers_sql_rows_get_text (rows, i, c) ?: "-",
                              c == 6 ? '\n' : '|');
  return g_string_free (dump, FALSE);
}

const char *
fx_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_STRING);
  return json_node_get_string (node);
}
