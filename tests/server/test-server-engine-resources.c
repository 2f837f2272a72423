/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The engine behind the entity resources: writes with If-Match, lists, search, kengetallen and
 * the audit trail; both back ends. */
#include "config.h"

#include "core/koers-json-parser.h"
#include "server/koers-server-audit-batch.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

#include <string.h>

static JsonObject *
object_from (const char *single_quoted)
{
  g_autofree char *json = fx_json (single_quoted);
  g_autoptr(JsonNode) node = fx_parse (json);

  return json_object_ref (json_node_get_object (node));
}

static JsonNode *
write_ok (EngineFixture *fx, const KoersServerCaller *caller, const char *entity,
          const char *id, KoersServerWriteKind kind, const char *fields_sq, gint64 if_match)
{
  g_autoptr(JsonObject) fields = fields_sq != NULL ? object_from (fields_sq) : NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *record = koers_server_engine_write (fx->engine, caller, entity, id, kind, fields,
                                                if_match, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (record);
  return record;
}

/* @refusal: the redenCode the write is refused with, or NULL when the error is no refusal
 * (If-Match, the role). */
static void
write_fails (EngineFixture *fx, const KoersServerCaller *caller, const char *entity,
             const char *id, KoersServerWriteKind kind, const char *fields_sq, gint64 if_match,
             KoersServerEngineError code, const char *place, const char *refusal)
{
  g_autoptr(JsonObject) fields = fields_sq != NULL ? object_from (fields_sq) : NULL;
  g_autoptr(GError) error = NULL;
  g_auto(KoersServerRefusal) why = { KOERS_SYNC_REFUSAL_INVALID_VALUE, g_strdup ("stale") };
  g_autoptr(JsonNode) record = koers_server_engine_write (fx->engine, caller, entity, id, kind,
                                                          fields, if_match, &why, &error);

  g_assert_null (record);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, (int) code);
  if (place != NULL)
    g_assert_true (g_str_has_prefix (error->message, place));
  g_assert_cmpstr (koers_sync_refusal_to_code (why.code), ==, refusal);
}

static gint64
version_of (JsonNode *record)
{
  return json_object_get_int_member (json_node_get_object (record), "versie");
}

static void
test_write (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *create = g_strdup_printf ("{'naam': 'Amina Yusuf', 'gemeente': 'aalten', "
                                             "'doelgroep': 'nug', 'status': 'registered', "
                                             "'telefoon': '0612345678', 'coachId': '%s'}",
                                             fx->coach->user_id);
  g_autofree char *replace = g_strdup_printf ("{'naam': 'Amina Yusuf', 'gemeente': 'berkelland', "
                                              "'doelgroep': 'nug', 'status': 'registered', "
                                              "'coachId': '%s'}", fx->coach->user_id);
  g_autoptr(JsonNode) created = write_ok (fx, fx->coach, "deelnemers", id,
                                          KOERS_SERVER_WRITE_CREATE, create, 0);
  g_autoptr(JsonNode) replaced = NULL;
  g_autoptr(JsonNode) patched = NULL;
  g_autoptr(JsonNode) removed = NULL;
  JsonObject *fields;

  g_assert_cmpint (version_of (created), ==, 1);
  write_fails (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_CREATE, create, 0,
               KOERS_SERVER_ENGINE_ERROR_CONFLICT, "id", "idInGebruik");
  write_fails (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_REPLACE, replace, 7,
               KOERS_SERVER_ENGINE_ERROR_PRECONDITION, "If-Match", NULL);
  write_fails (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_REPLACE,
               "{'naam': 'Amina\\nYusuf', 'gemeente': 'aalten', 'doelgroep': 'nug'}", 1,
               KOERS_SERVER_ENGINE_ERROR_INVALID, "naam: ", "ongeldigeWaarde");
  write_fails (fx, fx->colleague, "deelnemers", id, KOERS_SERVER_WRITE_REPLACE, replace, 1,
               KOERS_SERVER_ENGINE_ERROR_NOT_FOUND, NULL, "nietGevonden");

  /* PUT replaces: the phone number it leaves out is gone. */
  replaced = write_ok (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_REPLACE, replace, 1);
  fields = json_object_get_object_member (json_node_get_object (replaced), "gegevens");
  g_assert_cmpint (version_of (replaced), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (fields, "gemeente"), ==, "berkelland");
  g_assert_false (json_object_has_member (fields, "telefoon"));

  /* The outcome resource changes just its two fields. */
  patched = write_ok (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_PATCH,
                      "{'uitkomst': 'education', 'uitkomstDatum': '2026-11-20'}", 2);
  fields = json_object_get_object_member (json_node_get_object (patched), "gegevens");
  g_assert_cmpstr (json_object_get_string_member (fields, "uitkomst"), ==, "education");
  g_assert_cmpstr (json_object_get_string_member (fields, "gemeente"), ==, "berkelland");
  write_fails (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_PATCH,
               "{'status': 'completed'}", 3, KOERS_SERVER_ENGINE_ERROR_INVALID, "status",
               "statusovergang");

  removed = write_ok (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_DELETE, NULL, 3);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (removed), "verwijderd"));
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", id));
  write_fails (fx, fx->coach, "deelnemers", id, KOERS_SERVER_WRITE_DELETE, NULL, 4,
               KOERS_SERVER_ENGINE_ERROR_NOT_FOUND, NULL, "nietGevonden");
  write_fails (fx, fx->manager, "deelnemers", NULL, KOERS_SERVER_WRITE_CREATE, create, 0,
               KOERS_SERVER_ENGINE_ERROR_FORBIDDEN, NULL, NULL);
  fx_assert_gap_free (fx, fx->org);
}

static guint
n_items (JsonNode *list)
{
  return json_array_get_length (json_object_get_array_member (json_node_get_object (list),
                                                              "items"));
}

static void
test_list_and_search (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  static const char * const names[] = { "Ayşe Özdemir", "Mehmet Oztürk", "Jan Jansen",
                                        "Piet 50%_korting" };
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  KoersServerListQuery query = { NULL, -1, NULL, NULL, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *cursor = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (ids, fx_participant (fx, fx->coach, fx->coach->user_id, names[i]));
  g_free (fx_participant (fx, fx->colleague, fx->colleague->user_id, "Özlem Arslan"));

  /* Pages of two by cursor: every own participant once, nobody else's. */
  for (guint page = 0; page < 3; page++)
    {
      g_autoptr(JsonNode) list = NULL;
      JsonArray *items;
      JsonNode *next;

      query.cursor = cursor;
      list = koers_server_engine_list (fx->engine, fx->coach, "deelnemers", &query, &error);
      g_assert_no_error (error);
      items = json_object_get_array_member (json_node_get_object (list), "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_hash_table_add (seen, (gpointer) g_intern_string (json_object_get_string_member (
                            json_array_get_object_element (items, i), "id")));
      next = json_object_get_member (json_node_get_object (list), "volgendeCursor");
      g_free (cursor);
      cursor = JSON_NODE_HOLDS_NULL (next) ? NULL : g_strdup (json_node_get_string (next));
      if (cursor == NULL)
        break;
    }
  g_assert_null (cursor);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 4);

  query.cursor = NULL;
  query.limit = 100;
  {
    static const struct { const char *term; guint n; } searches[] = {
      { "ozdemir", 1 }, { "ÖZ", 2 }, { "jans", 1 }, { "ayse", 1 }, { "50%", 1 }, { "%", 1 },
      { "_", 1 }, { "xyz", 0 }, { "arslan", 0 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
      {
        g_autoptr(JsonNode) found = NULL;

        query.search = searches[i].term;
        found = koers_server_engine_list (fx->engine, fx->coach, "deelnemers", &query, &error);
        g_assert_no_error (error);
        if (n_items (found) != searches[i].n)
          g_error ("search %s: %u items, expected %u", searches[i].term, n_items (found),
                   searches[i].n);
      }
    query.search = "  ";
    g_assert_null (koers_server_engine_list (fx->engine, fx->coach, "deelnemers", &query,
                                             &error));
    g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
    g_clear_error (&error);
    query.search = NULL;
  }
  /* Children by participant. */
  {
    g_autoptr(JsonNode) notes = NULL;

    query.participant_id = g_ptr_array_index (ids, 0);
    notes = koers_server_engine_list (fx->engine, fx->coach, "notities", &query, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (n_items (notes), ==, 0);
  }
}

static void
test_counts (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *a = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *b = fx_participant (fx, fx->colleague, fx->colleague->user_id, "Bram");
  g_autofree char *c = fx_participant (fx, fx->stranger, fx->stranger->user_id, "Chris");
  g_autoptr(JsonObject) moved = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", a, 1,
                                          "{'status': {'was': 'registered', 'wordt': 'intake'}}");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) coach = koers_server_engine_counts (fx->engine, fx->coach, &error);
  g_autoptr(JsonNode) support = koers_server_engine_counts (fx->engine, fx->support, &error);
  g_autoptr(JsonNode) region = koers_server_engine_counts (fx->engine, fx->manager, &error);
  g_autofree char *text = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  object = json_node_get_object (coach);
  g_assert_cmpstr (json_object_get_string_member (object, "bereik"), ==, "coach");
  g_assert_cmpint (json_object_get_int_member (object, "totaal"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "perStatus"),
                                               "intake"), ==, 1);
  object = json_node_get_object (support);
  g_assert_cmpint (json_object_get_int_member (object, "totaal"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "perDoelgroep"),
                                               "nug"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object,
                                                                              "perUitkomst"),
                                               "work"), ==, 0);
  object = json_node_get_object (region);
  g_assert_cmpstr (json_object_get_string_member (object, "bereik"), ==, "regio");
  g_assert_cmpint (json_object_get_int_member (object, "totaal"), ==, 3);
  /* Aggregates only: no name, no id. */
  text = fx_to_string (region);
  g_assert_null (strstr (text, "Amina"));
  g_assert_null (strstr (text, a));
  g_assert_cmpstr (json_object_get_string_member (moved, "status"), ==, "toegepast");
}

static void
test_audit (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *event_id = g_uuid_string_random ();
  g_autofree char *upload_sq = g_strdup_printf ("{'gebeurtenissen': [{'id': '%s', "
                                                "'plaatsgevondenOp': '2026-11-27T10:00:00Z', "
                                                "'actie': 'exporteren', 'entiteit': 'deelnemers', "
                                                "'recordId': '%s', 'doel': 'rapportage'}]}",
                                                event_id, id);
  g_autofree char *upload_json = fx_json (upload_sq);
  g_autoptr(JsonNode) upload = fx_parse (upload_json);
  KoersServerListQuery query = { NULL, -1, NULL, NULL, 1 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  guint stored = 0;
  JsonNode *next;

  g_assert_true (koers_server_engine_audit (fx->engine, fx->coach, "lezen", "deelnemers", id,
                                            "begeleiding", TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (koers_server_engine_upload_audit (fx->engine, fx->coach, upload, &stored,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored, ==, 1);
  /* Sent again: stored once. */
  g_assert_true (koers_server_engine_upload_audit (fx->engine, fx->coach, upload, &stored,
                                                   &error));
  g_assert_cmpuint (stored, ==, 0);

  first = koers_server_engine_list_audit (fx->engine, fx->support, id, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (first), ==, 1);
  next = json_object_get_member (json_node_get_object (first), "volgendeCursor");
  g_assert_false (JSON_NODE_HOLDS_NULL (next));
  query.cursor = json_node_get_string (next);
  second = koers_server_engine_list_audit (fx->engine, fx->support, id, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (second), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (json_node_get_object (second),
                                                               "volgendeCursor")));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (json_node_get_object (first), "items"), 0),
                     "herkomst"), ==, "client");

  g_assert_null (koers_server_engine_list_audit (fx->engine, fx->coach, id, &query, &error));
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN);
  g_clear_error (&error);
  {
    g_autofree char *bad = fx_json ("{'gebeurtenissen': [{'id': 'x'}]}");
    g_autoptr(JsonNode) request = fx_parse (bad);

    g_assert_false (koers_server_engine_upload_audit (fx->engine, fx->coach, request, &stored,
                                                      &error));
    g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
    g_assert_true (g_str_has_prefix (error->message, "gebeurtenissen[0].id"));
  }
}

/* (transfer full) the audit rows about @participant (record or participant), oldest first. */
static JsonArray *
audit_of (EngineFixture *fx, const char *participant)
{
  KoersServerListQuery query = { NULL, -1, NULL, NULL, 500 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = koers_server_engine_list_audit (fx->engine, fx->support,
                                                             participant, &query, &error);

  g_assert_no_error (error);
  return json_array_ref (json_object_get_array_member (json_node_get_object (list), "items"));
}

static guint
count_rows (JsonArray *rows, const char *user, const char *action, const char *entity)
{
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      n += g_strcmp0 (json_object_get_string_member (row, "gebruikerId"), user) == 0
           && g_strcmp0 (json_object_get_string_member (row, "actie"), action) == 0
           && (entity == NULL
               || g_strcmp0 (json_object_get_string_member (row, "entiteit"), entity) == 0);
    }
  return n;
}

/* "Who looked at this participant": child writes, lists and the feed name the participant
 * (a list or a feed page in one row naming everyone it carried, found all the same); a list
 * of someone outside the caller's scope names nobody. */
static void
test_audit_participant (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *fields_sq = g_strdup_printf ("{'deelnemerId': '%s', 'soort': 'phone', "
                                                "'datum': '2026-11-27', 'tekst': 'Gebeld'}", id);
  g_autoptr(JsonObject) fields = object_from (fields_sq);
  KoersServerListQuery query = { id, -1, NULL, NULL, 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) note = NULL;
  g_autoptr(JsonNode) mine = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(JsonNode) feed = NULL;
  g_autoptr(JsonArray) rows = NULL;
  gboolean child_write = FALSE;

  note = koers_server_engine_write_audited (fx->engine, fx->coach, "notities", NULL,
                                            KOERS_SERVER_WRITE_CREATE, fields, 0, "aanmaken",
                                            NULL, NULL, &error);
  g_assert_no_error (error);
  mine = koers_server_engine_list (fx->engine, fx->coach, "notities", &query, &error);
  g_assert_no_error (error);
  g_assert_true (koers_server_engine_audit_page (fx->engine, fx->coach, "lezen", "notities",
                                                 mine, TRUE, &error));
  theirs = koers_server_engine_list (fx->engine, fx->colleague, "notities", &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_items (theirs), ==, 0);
  g_assert_true (koers_server_engine_audit_page (fx->engine, fx->colleague, "lezen", "notities",
                                                 theirs, TRUE, &error));
  feed = koers_server_engine_pull (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  g_assert_true (koers_server_engine_audit_page (fx->engine, fx->coach, "synchroniseren", NULL,
                                                 feed, TRUE, &error));
  g_assert_no_error (error);

  rows = audit_of (fx, id);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      JsonArray *listed = json_object_get_array_member (row, "deelnemerIds");

      g_assert_cmpstr (json_object_get_string_member (row, "deelnemerId"), ==, id);
      child_write |= g_strcmp0 (json_object_get_string_member (row, "recordId"),
                                json_object_get_string_member (json_node_get_object (note),
                                                               "id")) == 0;
      /* Asked about her, no row names anyone else. */
      g_assert_null (listed);
    }
  g_assert_true (child_write);
  g_assert_cmpuint (count_rows (rows, fx->coach->user_id, "aanmaken", "notities"), ==, 1);
  g_assert_cmpuint (count_rows (rows, fx->coach->user_id, "lezen", "notities"), ==, 1);
  g_assert_cmpuint (count_rows (rows, fx->coach->user_id, "synchroniseren", NULL), ==, 1);
  /* The colleague got [] and is not recorded as having read this participant. */
  g_assert_cmpuint (count_rows (rows, fx->colleague->user_id, "lezen", NULL), ==, 0);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit a WHERE "
                             "organisation_id = $1 AND action = 'lezen' "
                             "AND participant_id IS NULL AND NOT EXISTS (SELECT 1 FROM "
                             "audit_participant_lists l WHERE l.organisation_id = $1 "
                             "AND l.audit_id = a.id)"), ==, 1);
  /* Nobody else's reads are listed for her, and her rows are not found for someone else. */
  json_array_unref (rows);
  rows = audit_of (fx, "5c1e7a2b-0000-4000-8000-00000000abcd");
  g_assert_cmpuint (json_array_get_length (rows), ==, 0);
}

/* A round of the audit writer can hold many reads of lists: each list goes in with its own
 * row (on SQLite up to 64 a statement, the rest of a statement's places empty), and each of
 * its participants finds that row and no other. */
static void
test_audit_batch_lists (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  static const guint sizes[] = { 3, 130 };
  g_autofree char *everyone = g_uuid_string_random ();

  for (guint k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      g_autoptr(KoersServerAuditBatch) batch =
        koers_server_audit_batch_new (fx->coach->organisation_id);
      g_autoptr(GPtrArray) alone = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonArray) shared_rows = NULL;

      for (guint i = 0; i < sizes[k]; i++)
        {
          g_autoptr(KoersServerParticipantSet) set = koers_server_participant_set_new (2);

          g_ptr_array_add (alone, g_uuid_string_random ());
          koers_server_participant_set_add (set, g_ptr_array_index (alone, i));
          koers_server_participant_set_add (set, everyone);
          koers_server_audit_batch_add_participants (batch, fx->engine, fx->coach,
                                                     "synchroniseren", NULL, set, TRUE);
          /* A record read between them: a row without a list. */
          koers_server_audit_batch_add (batch, fx->engine, fx->coach, "lezen", "deelnemers",
                                        NULL, TRUE);
        }
      g_assert_true (koers_server_audit_batch_write (batch, fx->db, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < sizes[k]; i++)
        {
          g_autoptr(JsonArray) rows = audit_of (fx, g_ptr_array_index (alone, i));

          g_assert_cmpuint (json_array_get_length (rows), ==, 1);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                          "actie"), ==, "synchroniseren");
        }
      shared_rows = audit_of (fx, everyone);
      g_assert_cmpuint (json_array_get_length (shared_rows), ==, 3 + (k == 1 ? 130 : 0));
    }
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit_participant_lists "
                             "WHERE organisation_id = $1"), ==, 133);
  /* SQLite stores each list as 16 bytes an id (schema version 4): two ids, 32 bytes. */
  if (backend == KOERS_SERVER_DB_SQLITE)
    g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit_participant_lists "
                               "WHERE organisation_id = $1 AND typeof (participant_ids) = "
                               "'blob' AND length (participant_ids) = 32"), ==, 133);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit "
                             "WHERE organisation_id = $1 AND action = 'lezen'"), ==, 133);
}

/* Audit ids are unique per organisation, a purpose carrying a BSN is refused, and erasing a
 * participant scrubs the purposes written about them. */
static void
test_audit_upload_rules (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *event_id = g_uuid_string_random ();
  g_autofree char *sq = g_strdup_printf ("{'gebeurtenissen': [{'id': '%s', "
                                         "'plaatsgevondenOp': '2026-11-27T10:00:00Z', "
                                         "'actie': 'exporteren', 'entiteit': 'deelnemers', "
                                         "'recordId': '%s', 'doel': 'rapportage Amina'}]}",
                                         event_id, id);
  g_autofree char *json = fx_json (sq);
  g_autoptr(JsonNode) upload = fx_parse (json);
  g_autofree char *bsn_sq = g_strdup_printf ("{'gebeurtenissen': [{'id': '%s', "
                                             "'plaatsgevondenOp': '2026-11-27T10:00:00Z', "
                                             "'actie': 'lezen', 'doel': 'BSN 111222333'}]}",
                                             event_id);
  g_autofree char *bsn_json = fx_json (bsn_sq);
  g_autoptr(JsonNode) bsn = fx_parse (bsn_json);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) erased = NULL;
  g_autoptr(JsonArray) rows = NULL;
  guint stored = 0;

  g_assert_true (koers_server_engine_upload_audit (fx->engine, fx->coach, upload, &stored,
                                                   &error));
  g_assert_cmpuint (stored, ==, 1);
  /* The same id in another organisation is another event. */
  g_assert_true (koers_server_engine_upload_audit (fx->engine, fx->stranger, upload, &stored,
                                                   &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stored, ==, 1);

  g_assert_false (koers_server_engine_upload_audit (fx->engine, fx->coach, bsn, &stored,
                                                    &error));
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "gebeurtenissen[0].doel"));
  g_assert_null (strstr (error->message, "111222333"));
  g_clear_error (&error);

  erased = fx_push1 (fx, fx->support, "wissen", "deelnemers", id, -1, NULL);
  g_assert_cmpstr (fx_string (erased, "status"), ==, "toegepast");
  rows = audit_of (fx, id);
  g_assert_cmpuint (json_array_get_length (rows), >=, 1);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    g_assert_true (json_object_get_null_member (json_array_get_object_element (rows, i),
                                                "doel"));
}

/* A write commits only with its audit row: without an audit trail nothing is written and the
 * answer is UNAVAILABLE (503), so a retry cannot apply it twice. */
static void
test_audit_in_write (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *fields_sq = g_strdup_printf ("{'naam': 'Bo', 'gemeente': 'aalten', "
                                                "'doelgroep': 'nug', 'coachId': '%s'}",
                                                fx->coach->user_id);
  g_autoptr(JsonObject) fields = object_from (fields_sq);
  g_autofree char *velden = g_strdup_printf ("{'naam': {'was': null, 'wordt': 'Bo'}, "
                                             "'gemeente': {'was': null, 'wordt': 'aalten'}, "
                                             "'doelgroep': {'was': null, 'wordt': 'nug'}, "
                                             "'coachId': {'was': null, 'wordt': '%s'}}",
                                             fx->coach->user_id);
  g_autofree char *mutation = fx_mutation (fx, fx->coach, 1, NULL, "aanmaken", "deelnemers", id,
                                           -1, velden);
  g_autofree char *request_text = g_strdup_printf ("{\"mutaties\": [%s]}", mutation);
  g_autoptr(JsonNode) request = fx_parse (request_text);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) pushed = NULL;

  g_assert_true (koers_server_db_exec (fx->db, "ALTER TABLE audit RENAME TO audit_weg", NULL, 0,
                                       NULL, &error));
  written = koers_server_engine_write_audited (fx->engine, fx->coach, "deelnemers", NULL,
                                               KOERS_SERVER_WRITE_CREATE, fields, 0, "aanmaken",
                                               NULL, NULL, &error);
  g_assert_null (written);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  pushed = koers_server_engine_push_batch_audited (fx->engine, fx->coach, request,
                                                   "synchroniseren", NULL, NULL, &error);
  g_assert_null (pushed);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 0);

  /* With the trail back, the same batch (device number 1) applies once, with its rows. */
  g_assert_true (koers_server_db_exec (fx->db, "ALTER TABLE audit_weg RENAME TO audit", NULL, 0,
                                       NULL, &error));
  pushed = koers_server_engine_push_batch_audited (fx->engine, fx->coach, request,
                                                   "synchroniseren", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 1);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit WHERE "
                             "organisation_id = $1 AND action IN ('aanmaken', "
                             "'synchroniseren')"), ==, 2);
}

/* Stores @stored as @record's fields, as they are, and returns (transfer full) its "naam" as
 * the feed page carries it, the page read as the clients read it: strict JSON. @record is the
 * page's second item. */
/* What the audit of a full feed page costs (docs/performance.md): one row naming its 500
 * participants, each of whom finds it. */
static void
test_audit_page_cost (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;
  gint64 started, audited, single;

  for (guint batch = 0; batch < 5; batch++)
    {
      g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(JsonNode) response = NULL;

      for (guint i = 0; i < 100; i++)
        {
          g_autofree char *id = g_uuid_string_random ();
          g_autofree char *fields = g_strdup_printf (
            "{'naam': {'was': null, 'wordt': 'Deelnemer %u'}, "
            "'gemeente': {'was': null, 'wordt': 'aalten'}, "
            "'doelgroep': {'was': null, 'wordt': 'nug'}, "
            "'coachId': {'was': null, 'wordt': '%s'}}", i, fx->coach->user_id);

          g_ptr_array_add (mutations, fx_mutation (fx, fx->coach, 0, NULL, "aanmaken",
                                                   "deelnemers", id, -1, fields));
        }
      g_ptr_array_add (mutations, NULL);
      response = fx_push (fx, fx->coach, (const char * const *) mutations->pdata, NULL, &error);
      g_assert_no_error (error);
    }
  started = g_get_monotonic_time ();
  page = koers_server_engine_pull (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  audited = g_get_monotonic_time ();
  g_assert_true (koers_server_engine_audit_page (fx->engine, fx->coach, "synchroniseren", NULL,
                                                 page, TRUE, &error));
  single = g_get_monotonic_time ();
  g_assert_true (koers_server_engine_audit (fx->engine, fx->coach, "synchroniseren", NULL, NULL,
                                            NULL, TRUE, &error));
  g_test_message ("%s: a feed page of 500 participants took %.1f ms, its audit row with their "
                  "list %.1f ms (a row of one record: %.1f ms)",
                  koers_test_server_db_backend_name (backend),
                  (audited - started) / 1000.0, (single - audited) / 1000.0,
                  (g_get_monotonic_time () - single) / 1000.0);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit WHERE "
                             "organisation_id = $1 AND action = 'synchroniseren'"), ==, 2);
  {
    JsonArray *items = json_object_get_array_member (json_node_get_object (page),
                                                     "wijzigingen");

    g_assert_cmpuint (json_array_get_length (items), ==, 500);
    for (guint i = 0; i < json_array_get_length (items); i += 99)
      {
        JsonObject *item = json_array_get_object_element (items, i);
        g_autoptr(JsonArray) rows = audit_of (fx, json_object_get_string_member (item, "id"));
        JsonObject *row;

        g_assert_cmpuint (json_array_get_length (rows), ==, 1);
        row = json_array_get_object_element (rows, 0);
        g_assert_cmpstr (json_object_get_string_member (row, "actie"), ==, "synchroniseren");
        g_assert_cmpstr (json_object_get_string_member (row, "deelnemerId"), ==,
                         json_object_get_string_member (item, "id"));
        g_assert_null (json_object_get_array_member (row, "deelnemerIds"));
      }
  }
  /* The whole list is the organisation's trail's, unfiltered. */
  {
    KoersServerListQuery query = { .resolved = -1, .limit = 500 };
    g_autoptr(JsonNode) list = koers_server_engine_list_audit (fx->engine, fx->support, NULL,
                                                               &query, &error);
    JsonArray *items;
    guint n_full = 0;

    g_assert_no_error (error);
    items = json_object_get_array_member (json_node_get_object (list), "items");
    for (guint i = 0; i < json_array_get_length (items); i++)
      {
        JsonArray *listed = json_object_get_array_member (
          json_array_get_object_element (items, i), "deelnemerIds");

        n_full += listed != NULL && json_array_get_length (listed) == 500;
      }
    g_assert_cmpuint (n_full, ==, 1);
  }
}

/* Rows of reads of several records carry lists of up to 500 ids: a page of the audit list
 * ends before its answer passes a few MiB, and its cursor goes on from there. */
static void
test_audit_list_bytes (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autoptr(GError) error = NULL;
  g_autofree char *cursor = NULL;
  guint n_pages = 0, n_items = 0, n_lists = 0;
  const guint n_reads = 300;

  for (guint r = 0; r < n_reads; r++)
    {
      g_autoptr(KoersServerParticipantSet) participants = koers_server_participant_set_new (500);

      for (guint i = 0; i < 500; i++)
        {
          g_autofree char *id = g_uuid_string_random ();

          koers_server_participant_set_add (participants, id);
        }
      g_assert_true (koers_server_engine_audit_participants (fx->engine, fx->coach,
                                                             "synchroniseren", NULL,
                                                             participants, TRUE, &error));
      g_assert_no_error (error);
    }
  do
    {
      KoersServerListQuery query = { .resolved = -1, .cursor = cursor, .limit = 500 };
      g_autoptr(JsonNode) page = koers_server_engine_list_audit (fx->engine, fx->support, NULL,
                                                                 &query, &error);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;
      JsonObject *object;
      JsonArray *items;

      g_assert_no_error (error);
      json_generator_set_root (generator, page);
      text = json_generator_to_data (generator, NULL);
      g_assert_cmpuint (strlen (text), <=, 5 * 1024 * 1024);
      object = json_node_get_object (page);
      items = json_object_get_array_member (object, "items");
      g_assert_cmpuint (json_array_get_length (items), >, 0);
      n_items += json_array_get_length (items);
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonArray *listed = json_object_get_array_member (
            json_array_get_object_element (items, i), "deelnemerIds");

          n_lists += listed != NULL && json_array_get_length (listed) == 500;
        }
      g_free (cursor);
      cursor = g_strdup (json_object_get_string_member (object, "volgendeCursor"));
      n_pages++;
      g_assert_cmpuint (n_pages, <, 10);
    }
  while (cursor != NULL);
  /* 300 lists of 500 ids (about 5.6 MB) did not fit one page of 500 rows. */
  g_assert_cmpuint (n_pages, >=, 2);
  g_assert_cmpuint (n_lists, ==, n_reads);
  g_assert_cmpuint (n_items, ==, fx_count (fx, fx->org, "SELECT count(*) FROM audit "
                                                        "WHERE organisation_id = $1"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/server-engine-resources/write", test_write);
  koers_test_server_db_add ("/server-engine-resources/list-and-search", test_list_and_search);
  koers_test_server_db_add ("/server-engine-resources/counts", test_counts);
  koers_test_server_db_add ("/server-engine-resources/audit", test_audit);
  koers_test_server_db_add ("/server-engine-resources/audit-participant",
                            test_audit_participant);
  koers_test_server_db_add ("/server-engine-resources/audit-list-bytes", test_audit_list_bytes);
  koers_test_server_db_add ("/server-engine-resources/audit-upload-rules",
                            test_audit_upload_rules);
  koers_test_server_db_add ("/server-engine-resources/audit-page-cost", test_audit_page_cost);
  koers_test_server_db_add ("/server-engine-resources/audit-in-write", test_audit_in_write);
  koers_test_server_db_add ("/server-engine-resources/audit-batch-lists", test_audit_batch_lists);
  return g_test_run ();
}
