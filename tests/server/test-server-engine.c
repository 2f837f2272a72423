/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mutation engine: push, merge, conflicts, idempotency and atomicity, on both back ends. */
#include "config.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

#include <string.h>

static JsonObject *
gegevens (JsonObject *record)
{
  return json_object_get_object_member (record, "gegevens");
}

static void
test_create_and_pull (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *note_fields = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                                  "'soort': {'was': null, 'wordt': 'phone'}, "
                                                  "'datum': {'was': null, 'wordt': '2026-11-27'}, "
                                                  "'tekst': {'was': null, 'wordt': 'Gebeld'}}",
                                                  id);
  g_autoptr(JsonObject) result = fx_push1 (fx, fx->coach, "aanmaken", "notities", note, -1,
                                           note_fields);
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonArray) rest = NULL;
  g_autoptr(JsonArray) paged = NULL;
  g_autofree char *cursor = NULL;
  JsonObject *participant;

  g_assert_cmpstr (fx_string (result, "status"), ==, "toegepast");
  g_assert_cmpint (json_object_get_int_member (result, "versie"), ==, 2);
  g_assert_false (json_object_get_boolean_member (result, "herhaald"));

  items = fx_pull_all (fx, fx->coach, NULL, 500, &cursor);
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  participant = json_array_get_object_element (items, 0);
  g_assert_cmpstr (fx_string (participant, "id"), ==, id);
  g_assert_cmpstr (fx_string (participant, "entiteit"), ==, "deelnemers");
  g_assert_cmpint (json_object_get_int_member (participant, "versie"), ==, 1);
  g_assert_false (json_object_get_boolean_member (participant, "verwijderd"));
  g_assert_cmpstr (fx_string (participant, "aangemaaktDoor"), ==, fx->coach->user_id);
  g_assert_cmpstr (fx_string (participant, "aangemaaktOp"), ==, "2026-11-28T09:00:00Z");
  g_assert_cmpstr (fx_string (gegevens (participant), "naam"), ==, "Amina Yusuf");
  g_assert_cmpstr (fx_string (json_array_get_object_element (items, 1), "id"), ==, note);
  g_assert_true (g_str_has_suffix (cursor, ".2"));
  g_assert_true (g_str_has_prefix (cursor, koers_server_db_get_epoch (fx->db)));

  /* From the cursor: nothing new. Pages of one give the same items in the same order. */
  rest = fx_pull_all (fx, fx->coach, cursor, 500, NULL);
  g_assert_cmpuint (json_array_get_length (rest), ==, 0);
  paged = fx_pull_all (fx, fx->coach, "0", 1, NULL);
  g_assert_cmpuint (json_array_get_length (paged), ==, 2);
  g_assert_cmpstr (fx_string (json_array_get_object_element (paged, 1), "id"), ==, note);
  fx_assert_gap_free (fx, fx->org);
}

/* Two devices change different fields of one participant offline: both apply. */
static void
test_different_fields (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) first = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                          "{'telefoon': {'was': null, 'wordt': '0612345678'}}");
  g_autoptr(JsonObject) second = fx_push1 (fx, fx->coach_tablet, "wijzigen", "deelnemers", id, 1,
                                           "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);

  g_assert_cmpstr (fx_string (first, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (second, "status"), ==, "toegepast");
  g_assert_cmpint (json_object_get_int_member (second, "versie"), ==, 3);
  g_assert_cmpstr (fx_string (gegevens (record), "telefoon"), ==, "0612345678");
  g_assert_cmpstr (fx_string (gegevens (record), "roepnaam"), ==, "Ami");
  g_assert_cmpint (json_object_get_int_member (record, "versie"), ==, 3);

  /* The same value from a third edit converges: no new version. */
  {
    g_autoptr(JsonObject) same = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                           "{'telefoon': {'was': null, 'wordt': '0612345678'}}");

    g_assert_cmpstr (fx_string (same, "status"), ==, "toegepast");
    g_assert_cmpint (json_object_get_int_member (same, "versie"), ==, 3);
    g_assert_cmpint (fx_sequence (fx, fx->org), ==, 3);
  }
  fx_assert_gap_free (fx, fx->org);
}

/* Same field, different values: the server keeps its value and makes one conflict record
 * that reaches the coach through the feed. */
static char *
make_conflict (EngineFixture *fx, const char *id)
{
  g_autoptr(JsonObject) first = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                          "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  g_autoptr(JsonObject) other = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 2,
                                          "{'telefoon': {'was': null, 'wordt': '0612345678'}}");
  g_autoptr(JsonObject) second = fx_push1 (fx, fx->coach_tablet, "wijzigen", "deelnemers", id,
                                           1, "{'roepnaam': {'was': null, 'wordt': 'Mina'}, "
                                           "'talen': {'was': null, 'wordt': 'Somali'}}");
  JsonArray *conflicts = json_object_get_array_member (second, "conflicten");

  g_assert_cmpstr (fx_string (first, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (other, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (second, "status"), ==, "conflict");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  return g_strdup (json_array_get_string_element (conflicts, 0));
}

static void
test_same_field_conflict (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *conflict_id = make_conflict (fx, id);
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);
  g_autoptr(JsonArray) items = fx_pull_all (fx, fx->coach, NULL, 500, NULL);
  JsonObject *conflict = fx_find (items, conflict_id);
  JsonObject *fields;

  /* Server value kept; the other field of the same mutation applied. */
  g_assert_cmpstr (fx_string (gegevens (record), "roepnaam"), ==, "Ami");
  g_assert_cmpstr (fx_string (gegevens (record), "talen"), ==, "Somali");
  g_assert_nonnull (conflict);
  g_assert_cmpstr (fx_string (conflict, "entiteit"), ==, "conflicten");
  fields = gegevens (conflict);
  g_assert_cmpstr (fx_string (fields, "deelnemerId"), ==, id);
  g_assert_cmpstr (fx_string (fields, "entiteit"), ==, "deelnemers");
  g_assert_cmpstr (fx_string (fields, "recordId"), ==, id);
  g_assert_cmpstr (fx_string (fields, "veld"), ==, "roepnaam");
  g_assert_true (json_object_get_null_member (fields, "basis"));
  g_assert_cmpstr (fx_string (fields, "server"), ==, "Ami");
  g_assert_cmpstr (fx_string (fields, "client"), ==, "Mina");
  g_assert_cmpstr (fx_string (fields, "clientDoor"), ==, fx->coach->user_id);
  /* The author of the kept value, not of the record's last change. */
  g_assert_cmpstr (fx_string (fields, "serverDoor"), ==, fx->support->user_id);
  g_assert_cmpstr (fx_string (fields, "serverOp"), <, fx_string (fields, "clientOp"));
  g_assert_false (json_object_get_boolean_member (fields, "opgelost"));
  /* Exactly one conflict record exists. */
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records WHERE "
                             "organisation_id = $1 AND entity = 'conflicten'"), ==, 1);
  fx_assert_gap_free (fx, fx->org);
}

static void
resolve_with (KoersServerDbBackend backend, const char *choice, const char *edited,
              const char *expected)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *conflict_id = make_conflict (fx, id);
  g_autofree char *fields = g_strdup_printf ("{'keuze': {'was': null, 'wordt': '%s'}, "
                                             "'waarde': {'was': null, 'wordt': %s}}",
                                             choice, edited);
  g_autoptr(JsonObject) result = fx_push1 (fx, fx->coach_tablet, "oplossen", "conflicten",
                                           conflict_id, -1, fields);
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);
  g_autoptr(JsonObject) conflict = fx_get (fx, fx->coach, "conflicten", conflict_id);
  g_autoptr(JsonObject) again = NULL;
  g_autoptr(JsonObject) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) open = NULL;
  KoersServerListQuery query = { NULL, 0, NULL, NULL, 100 };

  g_assert_cmpstr (fx_string (result, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (gegevens (record), "roepnaam"), ==, expected);
  g_assert_true (json_object_get_boolean_member (gegevens (conflict), "opgelost"));
  g_assert_cmpstr (fx_string (gegevens (conflict), "keuze"), ==, choice);
  /* No open conflicts remain; resolving again the same way converges, another way not. */
  open = koers_server_engine_list (fx->engine, fx->coach, "conflicten", &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (open), "items")), ==, 0);
  again = fx_push1 (fx, fx->coach, "oplossen", "conflicten", conflict_id, -1, fields);
  g_assert_cmpstr (fx_string (again, "status"), ==, "toegepast");
  other = fx_push1 (fx, fx->coach, "oplossen", "conflicten", conflict_id, -1,
                    g_str_equal (choice, "hun") ? "{'keuze': {'was': null, 'wordt': 'mijn'}}"
                                                : "{'keuze': {'was': null, 'wordt': 'hun'}}");
  g_assert_cmpstr (fx_string (other, "status"), ==, "afgewezen");
  g_assert_cmpstr (fx_string (other, "redenCode"), ==, "conflictOpgelost");
  fx_assert_gap_free (fx, fx->org);
}

/* A conflict about a participant who was erased meanwhile cannot be resolved: the code says
 * erased, not "not found" (the client tells the user why). */
static void
test_resolve_after_erasure (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *conflict_id = make_conflict (fx, id);
  g_autoptr(JsonObject) erased = fx_push1 (fx, fx->support, "wissen", "deelnemers", id, -1,
                                           NULL);
  g_autoptr(JsonObject) result = fx_push1 (fx, fx->coach_tablet, "oplossen", "conflicten",
                                           conflict_id, -1,
                                           "{'keuze': {'was': null, 'wordt': 'mijn'}}");

  g_assert_cmpstr (fx_string (erased, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (result, "status"), ==, "afgewezen");
  g_assert_cmpstr (fx_string (result, "redenCode"), ==, "gewist");
  fx_assert_gap_free (fx, fx->org);
}

static void
test_resolve_mine (KoersServerDbBackend backend)
{
  resolve_with (backend, "mijn", "null", "Mina");
}

static void
test_resolve_theirs (KoersServerDbBackend backend)
{
  resolve_with (backend, "hun", "null", "Ami");
}

static void
test_resolve_edited (KoersServerDbBackend backend)
{
  resolve_with (backend, "bewerkt", "'Amina'", "Amina");
}

/* An edit, then a delete based on the version before it: the tombstone wins and the edit is
 * kept in a conflict; choosing "hun" restores the record with the edit. */
static void
test_edit_then_delete (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) edit = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                         "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autoptr(JsonObject) removal = fx_push1 (fx, fx->coach, "verwijderen", "deelnemers", id, 1,
                                            NULL);
  g_autoptr(JsonObject) gone = fx_get (fx, fx->coach, "deelnemers", id);
  g_autoptr(JsonObject) conflict = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) back = NULL;
  const char *conflict_id;

  g_assert_cmpstr (fx_string (edit, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (removal, "status"), ==, "conflict");
  g_assert_null (gone);
  conflict_id = json_array_get_string_element (json_object_get_array_member (removal,
                                                                             "conflicten"), 0);
  conflict = fx_get (fx, fx->coach, "conflicten", conflict_id);
  g_assert_cmpstr (fx_string (gegevens (conflict), "veld"), ==, "_verwijderd");
  g_assert_cmpstr (fx_string (json_object_get_object_member (gegevens (conflict), "server"),
                              "talen"), ==, "Somali");
  g_assert_true (json_object_get_null_member (gegevens (conflict), "client"));

  resolved = fx_push1 (fx, fx->coach, "oplossen", "conflicten", conflict_id, -1,
                       "{'keuze': {'was': null, 'wordt': 'hun'}}");
  g_assert_cmpstr (fx_string (resolved, "status"), ==, "toegepast");
  back = fx_get (fx, fx->coach, "deelnemers", id);
  g_assert_nonnull (back);
  g_assert_cmpstr (fx_string (gegevens (back), "talen"), ==, "Somali");
  fx_assert_gap_free (fx, fx->org);
}

/* A delete, then an edit from another device: the tombstone stays, the edit lands in a
 * conflict, and "mijn" restores the record with the edit. */
static void
test_delete_then_edit (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) removal = fx_push1 (fx, fx->coach, "verwijderen", "deelnemers", id, 1,
                                            NULL);
  g_autoptr(JsonObject) edit = fx_push1 (fx, fx->coach_tablet, "wijzigen", "deelnemers", id, 1,
                                         "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autoptr(JsonObject) conflict = NULL;
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonObject) back = NULL;
  g_autoptr(JsonArray) items = NULL;
  const char *conflict_id;

  g_assert_cmpstr (fx_string (removal, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (edit, "status"), ==, "conflict");
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", id));
  items = fx_pull_all (fx, fx->coach, NULL, 500, NULL);
  g_assert_true (json_object_get_boolean_member (fx_find (items, id), "verwijderd"));
  conflict_id = json_array_get_string_element (json_object_get_array_member (edit,
                                                                             "conflicten"), 0);
  conflict = fx_get (fx, fx->coach, "conflicten", conflict_id);
  g_assert_cmpstr (fx_string (gegevens (conflict), "veld"), ==, "_verwijderd");
  g_assert_cmpstr (fx_string (json_object_get_object_member (gegevens (conflict), "client"),
                              "talen"), ==, "Somali");

  resolved = fx_push1 (fx, fx->coach, "oplossen", "conflicten", conflict_id, -1,
                       "{'keuze': {'was': null, 'wordt': 'mijn'}}");
  g_assert_cmpstr (fx_string (resolved, "status"), ==, "toegepast");
  back = fx_get (fx, fx->coach, "deelnemers", id);
  g_assert_nonnull (back);
  g_assert_cmpstr (fx_string (gegevens (back), "talen"), ==, "Somali");
  g_assert_cmpstr (fx_string (gegevens (back), "naam"), ==, "Amina Yusuf");
  fx_assert_gap_free (fx, fx->org);
}

static JsonArray *
results_of (JsonNode *response)
{
  return json_object_get_array_member (json_node_get_object (response), "resultaten");
}

/* The same batch sent one to three times, and overlapping batches, give one server state and
 * the same results, marked herhaald. */
static void
test_replay (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *create_fields = g_strdup_printf (
    "{'naam': {'was': null, 'wordt': 'Amina'}, 'gemeente': {'was': null, 'wordt': 'aalten'}, "
    "'doelgroep': {'was': null, 'wordt': 'nug'}, 'coachId': {'was': null, 'wordt': '%s'}}",
    fx->coach->user_id);
  g_autofree char *m1 = fx_mutation (fx, fx->coach, 1, NULL, "aanmaken", "deelnemers", id, -1,
                                     create_fields);
  g_autofree char *m2 = fx_mutation (fx, fx->coach, 2, NULL, "wijzigen", "deelnemers", id, 1,
                                     "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *m3 = fx_mutation (fx, fx->coach, 3, NULL, "wijzigen", "deelnemers", id, 2,
                                     "{'naam': {'was': 'Amina', 'wordt': ''}}");
  g_autofree char *m4 = fx_mutation (fx, fx->coach, 4, NULL, "wijzigen", "deelnemers", id, 2,
                                     "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *batch[] = { m1, m2, m3, NULL };
  const char *overlap[] = { m2, m3, m4, NULL };
  const char *reordered[] = { m4, m1, m3, m2, NULL };
  g_autofree char *first_text = NULL;
  g_autofree char *state = NULL;
  g_autofree char *final_state = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(GError) error = NULL;
  gint64 sequence;

  first = fx_push (fx, fx->coach, batch, NULL, &error);
  g_assert_no_error (error);
  first_text = fx_to_string (first);
  g_assert_cmpstr (fx_string (json_array_get_object_element (results_of (first), 2), "status"),
                   ==, "afgewezen");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (first),
                                               "laatsteVolgnummer"), ==, 3);
  state = fx_dump (fx, fx->org);
  sequence = fx_sequence (fx, fx->org);

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(JsonNode) again = fx_push (fx, fx->coach, batch, NULL, &error);
      g_autofree char *again_state = fx_dump (fx, fx->org);

      g_assert_no_error (error);
      for (guint i = 0; i < 3; i++)
        {
          JsonObject *was = json_array_get_object_element (results_of (first), i);
          JsonObject *now = json_array_get_object_element (results_of (again), i);

          g_assert_true (json_object_get_boolean_member (now, "herhaald"));
          g_assert_cmpstr (fx_string (was, "status"), ==, fx_string (now, "status"));
          g_assert_cmpstr (fx_string (was, "mutatieId"), ==, fx_string (now, "mutatieId"));
          g_assert_true (json_node_equal (json_object_get_member (was, "versie"),
                                          json_object_get_member (now, "versie")));
          g_assert_cmpstr (fx_string (was, "reden"), ==, fx_string (now, "reden"));
        }
      g_assert_cmpstr (again_state, ==, state);
      g_assert_cmpint (fx_sequence (fx, fx->org), ==, sequence);
    }

  /* A batch that overlaps what was processed: 2 and 3 are replays, 4 is new. */
  {
    g_autoptr(JsonNode) response = fx_push (fx, fx->coach, overlap, NULL, &error);

    g_assert_no_error (error);
    g_assert_true (json_object_get_boolean_member (
      json_array_get_object_element (results_of (response), 0), "herhaald"));
    g_assert_false (json_object_get_boolean_member (
      json_array_get_object_element (results_of (response), 2), "herhaald"));
    g_assert_cmpstr (fx_string (json_array_get_object_element (results_of (response), 2),
                                "status"), ==, "toegepast");
  }
  /* Replays in any order: nothing changes. */
  final_state = fx_dump (fx, fx->org);
  {
    g_autoptr(JsonNode) response = fx_push (fx, fx->coach, reordered, NULL, &error);
    g_autofree char *after = fx_dump (fx, fx->org);

    g_assert_no_error (error);
    g_assert_cmpstr (after, ==, final_state);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (response),
                                                 "laatsteVolgnummer"), ==, 4);
  }
  /* The same new mutation twice in one batch: applied once, the second marked herhaald. */
  {
    g_autofree char *m5 = fx_mutation (fx, fx->coach, 5, NULL, "wijzigen", "deelnemers", id, 4,
                                       "{'email': {'was': null, 'wordt': 'a@example.nl'}}");
    const char *twice[] = { m5, m5, NULL };
    g_autoptr(JsonNode) response = fx_push (fx, fx->coach, twice, NULL, &error);
    JsonObject *one, *two;

    g_assert_no_error (error);
    one = json_array_get_object_element (results_of (response), 0);
    two = json_array_get_object_element (results_of (response), 1);
    g_assert_false (json_object_get_boolean_member (one, "herhaald"));
    g_assert_true (json_object_get_boolean_member (two, "herhaald"));
    g_assert_cmpint (json_object_get_int_member (one, "versie"), ==,
                     json_object_get_int_member (two, "versie"));
  }
  fx_assert_gap_free (fx, fx->org);
}

/* A gap in device numbers, or a number reused with another mutation id: 409 with the
 * expected number, and nothing written. */
static void
test_sequence_gap (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *ok_one = fx_mutation (fx, fx->coach, 2, NULL, "wijzigen", "deelnemers", id, 1,
                                         "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *skipped = fx_mutation (fx, fx->coach, 4, NULL, "wijzigen", "deelnemers", id,
                                          1, "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  g_autofree char *reused = fx_mutation (fx, fx->coach, 1, NULL, "wijzigen", "deelnemers", id, 1,
                                         "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *gap[] = { ok_one, skipped, NULL };
  const char *reuse[] = { reused, NULL };
  g_autofree char *state = fx_dump (fx, fx->org);
  gint64 sequence = fx_sequence (fx, fx->org);
  gint64 expected = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;

  response = fx_push (fx, fx->coach, gap, &expected, &error);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP);
  g_assert_null (response);
  g_assert_cmpint (expected, ==, 2);
  g_clear_error (&error);
  response = fx_push (fx, fx->coach, reuse, &expected, &error);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_SEQUENCE_GAP);
  g_assert_cmpint (expected, ==, 2);

  {
    g_autofree char *after = fx_dump (fx, fx->org);

    g_assert_cmpstr (after, ==, state);
  }
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, sequence);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM processed_mutations "
                             "WHERE organisation_id = $1"), ==, 1);
  fx_assert_gap_free (fx, fx->org);
}

/* One mutation that can never apply, in the middle of a batch: afgewezen with a reason, the
 * others apply, and the device number still advances. */
static void
test_poison_mutation (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *a = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *poison = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                         "{'geboortejaar': {'was': null, 'wordt': 1492}}");
  g_autofree char *unknown = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "vouchers", id, 1,
                                          NULL);
  g_autofree char *b = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *batch[] = { a, poison, unknown, b, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = fx_push (fx, fx->coach, batch, NULL, &error);
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);
  JsonObject *rejected;

  g_assert_no_error (error);
  g_assert_cmpstr (fx_string (json_array_get_object_element (results_of (response), 0),
                              "status"), ==, "toegepast");
  rejected = json_array_get_object_element (results_of (response), 1);
  g_assert_cmpstr (fx_string (rejected, "status"), ==, "afgewezen");
  g_assert_true (g_str_has_prefix (fx_string (rejected, "reden"), "geboortejaar: "));
  g_assert_null (strstr (fx_string (rejected, "reden"), "1492"));
  g_assert_true (json_object_get_null_member (rejected, "versie"));
  g_assert_cmpstr (fx_string (json_array_get_object_element (results_of (response), 2),
                              "status"), ==, "afgewezen");
  g_assert_cmpstr (fx_string (json_array_get_object_element (results_of (response), 3),
                              "status"), ==, "toegepast");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (response),
                                               "laatsteVolgnummer"), ==, 5);
  g_assert_cmpstr (fx_string (gegevens (record), "talen"), ==, "Somali");
  g_assert_cmpstr (fx_string (gegevens (record), "roepnaam"), ==, "Ami");
  g_assert_false (json_object_has_member (gegevens (record), "geboortejaar"));
  fx_assert_gap_free (fx, fx->org);
}

/* Malformed requests are 400 naming the place, before anything is written. */
static void
test_invalid_request (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  static const char * const bodies[] = {
    "{'mutaties': 'x'}",
    "{'mutaties': [{'mutatieId': 'abc', 'volgnummer': 1, 'entiteit': 'deelnemers', "
    "'recordId': 'x', 'actie': 'aanmaken'}]}",
    "{'mutaties': [{'mutatieId': '6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55', 'volgnummer': '1', "
    "'entiteit': 'deelnemers', 'recordId': 'x', 'actie': 'aanmaken'}]}",
    "{'mutaties': [{'mutatieId': '6f1c2a4e-0c1d-4b8a-9a3e-2f6a0d1b7c55', 'volgnummer': 1, "
    "'entiteit': 'deelnemers', 'recordId': 'x', 'actie': 'aanmaken', "
    "'velden': {'naam': 'Anna'}}]}",
    "{'mutaties': [], 'x': 1}",
  };
  static const char * const places[] = {
    "mutaties", "mutaties[0].mutatieId", "mutaties[0].volgnummer", "mutaties[0].velden.naam",
    "verzoek",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autofree char *json = fx_json (bodies[i]);
      g_autoptr(JsonNode) request = fx_parse (json);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) response = koers_server_engine_push_batch (fx->engine, fx->coach,
                                                                     request, NULL, &error);

      g_assert_null (response);
      g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
      g_assert_true (g_str_has_prefix (error->message, places[i]));
      g_assert_null (strstr (error->message, "Anna"));
    }
  /* More than 100 mutations. */
  {
    g_autoptr(GString) body = g_string_new ("{\"mutaties\": [");
    g_autoptr(JsonNode) request = NULL;
    g_autoptr(GError) error = NULL;

    for (guint i = 0; i < 101; i++)
      g_string_append_printf (body, "%s{}", i > 0 ? ", " : "");
    g_string_append (body, "]}");
    request = fx_parse (body->str);
    g_assert_null (koers_server_engine_push_batch (fx->engine, fx->coach, request, NULL,
                                                   &error));
    g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
  }
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 0);
}

/* A resolution that restores a tombstone and is then refused leaves nothing behind: the
 * record stays deleted, no version is spent, the conflict stays open. */
static void
test_refused_resolution (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) deleted = fx_push1 (fx, fx->coach, "verwijderen", "deelnemers", id, 1,
                                            NULL);
  g_autoptr(JsonObject) edit = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                         "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *conflict = json_array_get_string_element (
    json_object_get_array_member (edit, "conflicten"), 0);
  /* Valid values, but registered -> completed is not a step of the workflow. */
  static const char * const choices[] = {
    "{'keuze': {'was': null, 'wordt': 'bewerkt'}, 'waarde': {'was': null, "
    "'wordt': {'status': 'completed', 'uitkomst': 'work'}}}",
    "{'keuze': {'was': null, 'wordt': 'bewerkt'}, 'waarde': {'was': null, "
    "'wordt': {'geboortejaar': 'negentienhonderd'}}}",
  };
  gint64 sequence;

  g_assert_cmpstr (fx_string (deleted, "status"), ==, "toegepast");
  g_assert_cmpstr (fx_string (edit, "status"), ==, "conflict");
  sequence = fx_sequence (fx, fx->org);
  for (guint i = 0; i < G_N_ELEMENTS (choices); i++)
    {
      g_autoptr(JsonObject) resolved = fx_push1 (fx, fx->support, "oplossen", "conflicten",
                                                 conflict, -1, choices[i]);
      g_autoptr(JsonObject) record = fx_get (fx, fx->support, "conflicten", conflict);

      g_assert_cmpstr (fx_string (resolved, "status"), ==, "afgewezen");
      g_assert_null (fx_get (fx, fx->support, "deelnemers", id));
      g_assert_cmpint (fx_sequence (fx, fx->org), ==, sequence);
      g_assert_false (json_object_get_boolean_member (gegevens (record), "opgelost"));
    }
  fx_assert_gap_free (fx, fx->org);
}

/* "was" becomes a conflict's basis: it must be a valid value of the field. */
static void
test_invalid_was (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) object = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                           "{'roepnaam': {'was': {'x': [1, 2, 3]}, "
                                           "'wordt': 'Ami'}}");
  g_autoptr(JsonObject) nulled = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                           "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");

  g_assert_cmpstr (fx_string (object, "status"), ==, "afgewezen");
  g_assert_true (g_str_has_prefix (fx_string (object, "reden"), "roepnaam: "));
  g_assert_cmpstr (fx_string (nulled, "status"), ==, "toegepast");
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records WHERE "
                             "organisation_id = $1 AND entity = 'conflicten'"), ==, 0);

  /* An unknown member name is echoed only when short and printable. */
  {
    g_autofree char *name = g_strnfill (300, 'x');
    g_autofree char *fields = g_strdup_printf ("{'%s': {'was': null, 'wordt': 1}}", name);
    g_autoptr(JsonObject) unknown = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 2,
                                              fields);

    g_assert_cmpstr (fx_string (unknown, "reden"), ==, "(onbekend veld): is geen bekend veld");
  }
}

/* Pages stop at a byte budget (4 MiB) whatever the limiet, and the cursor goes on from the
 * last item sent: nothing is lost or repeated. */
static void
test_page_budget (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  KoersServerListQuery query = { NULL, -1, NULL, NULL, 500 };
  JsonObject *page;
  guint n_first, n_list = 0;

  for (guint i = 0; i < 10000; i++)
    g_string_append (text, "\u20ac");    /* 3 bytes each: 30 kB per field */
  for (guint i = 0; i < 80; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *fields = g_strdup_printf (
        "{'naam': {'was': null, 'wordt': 'Deelnemer %u'}, "
        "'gemeente': {'was': null, 'wordt': 'aalten'}, "
        "'doelgroep': {'was': null, 'wordt': 'nug'}, "
        "'ambities': {'was': null, 'wordt': '%s'}, 'interesses': {'was': null, 'wordt': '%s'}, "
        "'coachId': {'was': null, 'wordt': '%s'}}", i, text->str, text->str,
        fx->coach->user_id);

      g_ptr_array_add (mutations, fx_mutation (fx, fx->coach, 0, NULL, "aanmaken", "deelnemers",
                                               id, -1, fields));
    }
  g_ptr_array_add (mutations, NULL);
  response = fx_push (fx, fx->coach, (const char * const *) mutations->pdata, NULL, &error);
  g_assert_no_error (error);

  first = koers_server_engine_pull (fx->engine, fx->coach, NULL, 500, &error);
  g_assert_no_error (error);
  page = json_node_get_object (first);
  n_first = json_array_get_length (json_object_get_array_member (page, "wijzigingen"));
  g_assert_cmpuint (n_first, >, 0);
  g_assert_cmpuint (n_first, <, 80);
  g_assert_true (json_object_get_boolean_member (page, "meerBeschikbaar"));
  {
    g_autofree char *body = fx_to_string (first);

    g_assert_cmpuint (strlen (body), <=, 4 * 1024 * 1024 + 1024);
  }
  items = fx_pull_all (fx, fx->coach, NULL, 500, NULL);
  g_assert_cmpuint (json_array_get_length (items), ==, 80);
  for (guint i = 0; i < 80; i++)
    g_hash_table_add (ids, (gpointer) fx_string (json_array_get_object_element (items, i),
                                                 "id"));
  g_assert_cmpuint (g_hash_table_size (ids), ==, 80);

  /* Lists too. */
  for (guint round = 0; round < 10; round++)
    {
      g_autoptr(JsonNode) list = koers_server_engine_list (fx->engine, fx->coach, "deelnemers",
                                                           &query, &error);
      JsonNode *next;
      guint n;

      g_assert_no_error (error);
      n = json_array_get_length (json_object_get_array_member (json_node_get_object (list),
                                                               "items"));
      g_assert_cmpuint (n, <, 80);
      n_list += n;
      next = json_object_get_member (json_node_get_object (list), "volgendeCursor");
      g_free ((char *) query.cursor);
      query.cursor = JSON_NODE_HOLDS_NULL (next) ? NULL : g_strdup (json_node_get_string (next));
      if (query.cursor == NULL)
        break;
    }
  g_assert_cmpuint (n_list, ==, 80);
}

/* A full batch (100 mutations, the limit) is one transaction; its server-side cost is
 * reported for docs/performance.md. */
static void
test_full_batch (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonArray) items = NULL;
  gint64 started;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *fields = g_strdup_printf (
        "{'naam': {'was': null, 'wordt': 'Deelnemer %u'}, "
        "'gemeente': {'was': null, 'wordt': 'aalten'}, "
        "'doelgroep': {'was': null, 'wordt': 'nug'}, "
        "'coachId': {'was': null, 'wordt': '%s'}}", i, fx->coach->user_id);

      g_ptr_array_add (mutations, fx_mutation (fx, fx->coach, 0, NULL, "aanmaken", "deelnemers",
                                               id, -1, fields));
    }
  g_ptr_array_add (mutations, NULL);
  started = g_get_monotonic_time ();
  response = fx_push (fx, fx->coach, (const char * const *) mutations->pdata, NULL, &error);
  g_test_message ("%s: a batch of 100 creates took %.1f ms",
                  koers_test_server_db_backend_name (backend),
                  (g_get_monotonic_time () - started) / 1000.0);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results_of (response)), ==, 100);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (response),
                                               "laatsteVolgnummer"), ==, 100);
  items = fx_pull_all (fx, fx->coach, NULL, 30, NULL);
  g_assert_cmpuint (json_array_get_length (items), ==, 100);
  for (guint i = 0; i < 100; i++)
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, i),
                                                 "versie"), ==, i + 1);
  fx_assert_gap_free (fx, fx->org);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/server-engine/create-and-pull", test_create_and_pull);
  koers_test_server_db_add ("/server-engine/different-fields", test_different_fields);
  koers_test_server_db_add ("/server-engine/same-field-conflict", test_same_field_conflict);
  koers_test_server_db_add ("/server-engine/resolve-mine", test_resolve_mine);
  koers_test_server_db_add ("/server-engine/resolve-theirs", test_resolve_theirs);
  koers_test_server_db_add ("/server-engine/resolve-edited", test_resolve_edited);
  koers_test_server_db_add ("/server-engine/resolve-after-erasure", test_resolve_after_erasure);
  koers_test_server_db_add ("/server-engine/edit-then-delete", test_edit_then_delete);
  koers_test_server_db_add ("/server-engine/delete-then-edit", test_delete_then_edit);
  koers_test_server_db_add ("/server-engine/replay", test_replay);
  koers_test_server_db_add ("/server-engine/sequence-gap", test_sequence_gap);
  koers_test_server_db_add ("/server-engine/poison-mutation", test_poison_mutation);
  koers_test_server_db_add ("/server-engine/invalid-request", test_invalid_request);
  koers_test_server_db_add ("/server-engine/full-batch", test_full_batch);
  koers_test_server_db_add ("/server-engine/refused-resolution", test_refused_resolution);
  koers_test_server_db_add ("/server-engine/invalid-was", test_invalid_was);
  koers_test_server_db_add ("/server-engine/page-budget", test_page_budget);
  return g_test_run ();
}
