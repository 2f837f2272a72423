/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mutation engine's rules and scope: workflow, append-only notes, reassignment, erasure,
 * isolation between coaches and organisations, cursors and atomicity; both back ends. */
#include "config.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

#include <string.h>

static JsonObject *
gegevens (JsonObject *record)
{
  return json_object_get_object_member (record, "gegevens");
}

static const char *
status_of (JsonObject *result)
{
  return fx_string (result, "status");
}

/* A refusal carries its code and the field it is about, for a client to say it in its
 * user's language (the Dutch sentence stays beside them). */
static void
assert_refusal (JsonObject *result, const char *code, const char *field)
{
  g_assert_cmpstr (status_of (result), ==, "afgewezen");
  g_assert_cmpstr (fx_string (result, "redenCode"), ==, code);
  if (field == NULL)
    g_assert_true (json_object_get_null_member (result, "veld"));
  else
    g_assert_cmpstr (fx_string (result, "veld"), ==, field);
}

static void
test_status_workflow (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) skip = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                         "{'status': {'was': 'registered', 'wordt': 'active'}}");
  g_autoptr(JsonObject) intake = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                           "{'status': {'was': 'registered', 'wordt': 'intake'}}");
  g_autoptr(JsonObject) active = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 2,
                                           "{'status': {'was': 'intake', 'wordt': 'active'}}");
  g_autoptr(JsonObject) complete = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 3,
                                             "{'status': {'was': 'active', "
                                             "'wordt': 'completed'}}");
  g_autoptr(JsonObject) with_outcome = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 3,
                                                 "{'status': {'was': 'active', "
                                                 "'wordt': 'completed'}, 'uitkomst': "
                                                 "{'was': null, 'wordt': 'work'}}");
  g_autoptr(JsonObject) back = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 4,
                                         "{'status': {'was': 'completed', 'wordt': 'active'}}");
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);

  assert_refusal (skip, "statusovergang", "status");
  g_assert_true (g_str_has_prefix (fx_string (skip, "reden"), "status: "));
  g_assert_cmpstr (status_of (intake), ==, "toegepast");
  g_assert_cmpstr (status_of (active), ==, "toegepast");
  assert_refusal (complete, "uitkomstOntbreekt", "status");
  g_assert_cmpstr (status_of (with_outcome), ==, "toegepast");
  assert_refusal (back, "trajectAfgesloten", "status");
  g_assert_cmpstr (fx_string (gegevens (record), "status"), ==, "completed");
  fx_assert_gap_free (fx, fx->org);
}

/* The workflow cannot be bypassed: a participant without a status starts at registered, and
 * a completed one always has an outcome, however the record got there. */
static void
test_status_bypass (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *bare = g_strdup_printf ("{'naam': {'was': null, 'wordt': 'Amina Yusuf'}, "
                                           "'gemeente': {'was': null, 'wordt': 'aalten'}, "
                                           "'doelgroep': {'was': null, 'wordt': 'nug'}, "
                                           "'coachId': {'was': null, 'wordt': '%s'}}",
                                           fx->coach->user_id);
  g_autoptr(JsonObject) without = fx_push1 (fx, fx->coach, "aanmaken", "deelnemers", id, -1,
                                            bare);
  g_autofree char *done = g_uuid_string_random ();
  g_autofree char *done_fields = g_strdup_printf ("{'naam': {'was': null, 'wordt': 'Bo'}, "
                                                  "'gemeente': {'was': null, 'wordt': 'aalten'}, "
                                                  "'doelgroep': {'was': null, 'wordt': 'nug'}, "
                                                  "'coachId': {'was': null, 'wordt': '%s'}, "
                                                  "'status': {'was': null, 'wordt': 'completed'}, "
                                                  "'uitkomst': {'was': null, 'wordt': 'unknown'}}",
                                                  fx->coach->user_id);
  g_autoptr(JsonObject) jump = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                         "{'status': {'was': null, 'wordt': 'completed'}, "
                                         "'uitkomst': {'was': null, 'wordt': 'work'}}");
  g_autoptr(JsonObject) created = fx_push1 (fx, fx->coach, "aanmaken", "deelnemers", done, -1,
                                            done_fields);
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);

  g_assert_cmpstr (status_of (without), ==, "toegepast");
  g_assert_cmpstr (status_of (jump), ==, "afgewezen");
  g_assert_true (g_str_has_prefix (fx_string (jump, "reden"), "status: "));
  assert_refusal (created, "ongeldigeWaarde", "uitkomst");
  g_assert_true (g_str_has_prefix (fx_string (created, "reden"), "uitkomst: "));
  g_assert_false (json_object_has_member (gegevens (record), "status"));

  /* Through the steps to completed with an outcome; then the outcome cannot be cleared. */
  {
    static const char * const steps[] = {
      "{'status': {'was': null, 'wordt': 'intake'}}",
      "{'status': {'was': 'intake', 'wordt': 'active'}}",
      "{'status': {'was': 'active', 'wordt': 'completed'}, "
      "'uitkomst': {'was': null, 'wordt': 'work'}}",
    };
    g_autoptr(JsonObject) cleared = NULL;
    g_autoptr(JsonObject) unknown = NULL;
    g_autoptr(JsonObject) after = NULL;

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autoptr(JsonObject) step = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id,
                                               (gint64) i + 1, steps[i]);

        g_assert_cmpstr (status_of (step), ==, "toegepast");
      }
    cleared = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 4,
                        "{'uitkomst': {'was': 'work', 'wordt': null}}");
    unknown = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 4,
                        "{'uitkomst': {'was': 'work', 'wordt': 'unknown'}}");
    after = fx_get (fx, fx->coach, "deelnemers", id);
    g_assert_cmpstr (status_of (cleared), ==, "afgewezen");
    g_assert_cmpstr (status_of (unknown), ==, "afgewezen");
    g_assert_cmpstr (fx_string (gegevens (after), "uitkomst"), ==, "work");
  }
  fx_assert_gap_free (fx, fx->org);
}

/* Free text carrying a BSN is refused, naming the field, never the number. */
static void
test_bsn_refused (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autoptr(JsonObject) result = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                           "{'ambities': {'was': null, "
                                           "'wordt': 'BSN 111222333, wil kok worden'}}");

  assert_refusal (result, "ongeldigeWaarde", "ambities");
  g_assert_true (g_str_has_prefix (fx_string (result, "reden"), "ambities: "));
  g_assert_null (strstr (fx_string (result, "reden"), "111222333"));
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 1);
}

static void
test_notes_append_only (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *note = g_uuid_string_random ();
  g_autofree char *revision = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                             "'soort': {'was': null, 'wordt': 'conversation'}, "
                                             "'datum': {'was': null, 'wordt': '2026-11-27'}, "
                                             "'tekst': {'was': null, 'wordt': 'Intake'}}", id);
  g_autofree char *revised = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                              "'soort': {'was': null, 'wordt': 'conversation'}, "
                                              "'datum': {'was': null, 'wordt': '2026-11-27'}, "
                                              "'tekst': {'was': null, "
                                              "'wordt': 'Intake, aangevuld'}, "
                                              "'revisie': {'was': null, 'wordt': 2}, "
                                              "'revisieVan': {'was': null, 'wordt': '%s'}}",
                                              id, note);
  g_autoptr(JsonObject) created = fx_push1 (fx, fx->coach, "aanmaken", "notities", note, -1,
                                            fields);
  g_autoptr(JsonObject) edited = fx_push1 (fx, fx->coach, "wijzigen", "notities", note, 2,
                                           "{'tekst': {'was': 'Intake', 'wordt': 'Anders'}}");
  g_autoptr(JsonObject) deleted = fx_push1 (fx, fx->coach, "verwijderen", "notities", note, 2,
                                            NULL);
  g_autoptr(JsonObject) again = fx_push1 (fx, fx->coach, "aanmaken", "notities", note, -1,
                                          fields);
  g_autoptr(JsonObject) new_revision = fx_push1 (fx, fx->coach, "aanmaken", "notities",
                                                 revision, -1, revised);
  g_autoptr(JsonObject) stored = fx_get (fx, fx->coach, "notities", note);

  g_assert_cmpstr (status_of (created), ==, "toegepast");
  assert_refusal (edited, "alleenToevoegen", NULL);
  assert_refusal (deleted, "actieNietToegestaan", NULL);
  /* The same create again (a lost answer) converges on the same version. */
  g_assert_cmpstr (status_of (again), ==, "toegepast");
  g_assert_cmpint (json_object_get_int_member (again, "versie"), ==, 2);
  g_assert_cmpstr (status_of (new_revision), ==, "toegepast");
  g_assert_cmpstr (fx_string (gegevens (stored), "tekst"), ==, "Intake");
  g_assert_cmpint (json_object_get_int_member (stored, "versie"), ==, 2);
  fx_assert_gap_free (fx, fx->org);
}

static char *
add_note (EngineFixture *fx, const KoersServerCaller *caller, const char *participant)
{
  char *note = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                             "'soort': {'was': null, 'wordt': 'phone'}, "
                                             "'datum': {'was': null, 'wordt': '2026-11-27'}, "
                                             "'tekst': {'was': null, 'wordt': 'Gebeld'}}",
                                             participant);
  g_autoptr(JsonObject) result = fx_push1 (fx, caller, "aanmaken", "notities", note, -1, fields);

  g_assert_cmpstr (status_of (result), ==, "toegepast");
  return note;
}

/* The ondersteuner moves a participant to coach B: coach A's feed says buitenBereik for the
 * participant and its note, coach B's feed brings both whole, with new versions. */
static void
test_reassign (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *note = add_note (fx, fx->coach, id);
  g_autofree char *cursor_a = NULL;
  g_autofree char *cursor_b = NULL;
  g_autofree char *move = g_strdup_printf ("{'coachId': {'was': '%s', 'wordt': '%s'}}",
                                           fx->coach->user_id, fx->colleague->user_id);
  g_autofree char *steal = g_strdup_printf ("{'coachId': {'was': '%s', 'wordt': '%s'}}",
                                            fx->coach->user_id, fx->colleague->user_id);
  g_autoptr(JsonArray) before_a = fx_pull_all (fx, fx->coach, NULL, 500, &cursor_a);
  g_autoptr(JsonArray) before_b = fx_pull_all (fx, fx->colleague, NULL, 500, &cursor_b);
  g_autoptr(JsonObject) refused = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", id, 1,
                                            steal);
  g_autoptr(JsonObject) moved = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                          move);
  g_autoptr(JsonArray) after_a = fx_pull_all (fx, fx->coach, cursor_a, 500, NULL);
  g_autoptr(JsonArray) after_b = fx_pull_all (fx, fx->colleague, cursor_b, 500, NULL);
  g_autoptr(JsonObject) late_edit = NULL;
  JsonObject *item;

  g_assert_cmpuint (json_array_get_length (before_a), ==, 2);
  g_assert_cmpuint (json_array_get_length (before_b), ==, 0);
  assert_refusal (refused, "alleenOndersteuner", "coachId");
  g_assert_cmpstr (status_of (moved), ==, "toegepast");

  g_assert_cmpuint (json_array_get_length (after_a), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      item = json_array_get_object_element (after_a, i);
      g_assert_true (json_object_get_boolean_member (item, "buitenBereik"));
      g_assert_false (json_object_has_member (item, "gegevens"));
    }
  g_assert_nonnull (fx_find (after_a, id));
  g_assert_nonnull (fx_find (after_a, note));

  g_assert_cmpuint (json_array_get_length (after_b), ==, 2);
  item = fx_find (after_b, id);
  g_assert_cmpstr (fx_string (gegevens (item), "coachId"), ==, fx->colleague->user_id);
  g_assert_cmpint (json_object_get_int_member (item, "versie"), ==, 3);
  item = fx_find (after_b, note);
  g_assert_cmpstr (fx_string (gegevens (item), "tekst"), ==, "Gebeld");
  g_assert_cmpint (json_object_get_int_member (item, "versie"), ==, 4);

  /* The old coach no longer reaches the participant; a pending edit is quarantined. */
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", id));
  g_assert_true (fx_visible (fx, fx->colleague, "notities", note));
  late_edit = fx_push1 (fx, fx->coach_tablet, "wijzigen", "deelnemers", id, 1,
                        "{'talen': {'was': null, 'wordt': 'Somali'}}");
  assert_refusal (late_edit, "nietGevonden", NULL);
  fx_assert_gap_free (fx, fx->org);
}

/* A conflict about the coach, resolved so that the participant moves back: the conflict moves
 * with the participant's other records and stays where the participant is, resolved; the
 * caseload it came from learns that it left. */
static void
test_resolution_moves_participant (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *move = g_strdup_printf ("{'coachId': {'was': '%s', 'wordt': '%s'}}",
                                           fx->coach->user_id, fx->colleague->user_id);
  g_autofree char *keep = g_strdup_printf ("{'coachId': {'was': '%s', 'wordt': '%s'}}",
                                           fx->coach->user_id, fx->coach->user_id);
  g_autofree char *cursor_b = NULL;
  g_autoptr(JsonObject) moved = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                          move);
  /* Another office's laptop, still on version 1, keeps the participant with the coach. */
  g_autoptr(JsonObject) clash = fx_push1 (fx, fx->support, "wijzigen", "deelnemers", id, 1,
                                          keep);
  const char *conflict = json_array_get_string_element (
    json_object_get_array_member (clash, "conflicten"), 0);
  g_autoptr(JsonArray) before_b = fx_pull_all (fx, fx->colleague, NULL, 500, &cursor_b);
  g_autoptr(JsonObject) resolved = NULL;
  g_autoptr(JsonArray) after_b = NULL;
  g_autoptr(JsonArray) all_b = NULL;
  g_autoptr(JsonArray) all_a = NULL;
  JsonObject *item;

  g_assert_cmpstr (status_of (moved), ==, "toegepast");
  g_assert_cmpstr (status_of (clash), ==, "conflict");
  /* The conflict lives where the participant is: with the colleague. */
  g_assert_nonnull (fx_find (before_b, conflict));

  resolved = fx_push1 (fx, fx->support, "oplossen", "conflicten", conflict, -1,
                       "{'keuze': {'was': null, 'wordt': 'mijn'}}");
  g_assert_cmpstr (status_of (resolved), ==, "toegepast");

  /* The colleague's feed says both records left; from the start it holds neither. */
  after_b = fx_pull_all (fx, fx->colleague, cursor_b, 500, NULL);
  item = fx_find (after_b, conflict);
  g_assert_nonnull (item);
  g_assert_true (json_object_get_boolean_member_with_default (item, "buitenBereik", FALSE));
  all_b = fx_pull_all (fx, fx->colleague, NULL, 500, NULL);
  item = fx_find (all_b, conflict);
  g_assert_true (item == NULL
                 || json_object_get_boolean_member_with_default (item, "buitenBereik", FALSE));
  g_assert_false (fx_visible (fx, fx->colleague, "conflicten", conflict));

  /* The coach has the participant back, and the conflict, resolved, at its last version. */
  all_a = fx_pull_all (fx, fx->coach, NULL, 500, NULL);
  item = fx_find (all_a, conflict);
  g_assert_nonnull (item);
  g_assert_false (json_object_get_boolean_member_with_default (item, "buitenBereik", FALSE));
  g_assert_true (json_object_get_boolean_member (gegevens (item), "opgelost"));
  g_assert_cmpint (json_object_get_int_member (item, "versie"), ==, fx_sequence (fx, fx->org));
  item = fx_find (all_a, id);
  g_assert_cmpstr (fx_string (gegevens (item), "coachId"), ==, fx->coach->user_id);
  fx_assert_gap_free (fx, fx->org);
}

/* Erasure empties the participant and its children, scrubs history, and beats a later
 * edit. */
static void
test_erasure (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *note = add_note (fx, fx->coach, id);
  g_autofree char *cursor = NULL;
  g_autoptr(JsonObject) by_coach = fx_push1 (fx, fx->coach, "wissen", "deelnemers", id, -1, NULL);
  g_autoptr(JsonObject) erased = fx_push1 (fx, fx->support, "wissen", "deelnemers", id, -1,
                                           NULL);
  g_autoptr(JsonObject) later = fx_push1 (fx, fx->coach_tablet, "wijzigen", "deelnemers", id, 1,
                                          "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autoptr(JsonObject) twice = fx_push1 (fx, fx->support, "wissen", "deelnemers", id, -1, NULL);
  g_autoptr(JsonArray) items = fx_pull_all (fx, fx->coach, NULL, 500, &cursor);
  JsonObject *item;

  assert_refusal (by_coach, "alleenOndersteuner", NULL);
  g_assert_cmpstr (status_of (erased), ==, "toegepast");
  assert_refusal (later, "gewist", NULL);
  g_assert_cmpstr (status_of (twice), ==, "toegepast");
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", id));

  item = fx_find (items, id);
  g_assert_true (json_object_get_boolean_member (item, "gewist"));
  g_assert_cmpuint (json_object_get_size (gegevens (item)), ==, 0);
  item = fx_find (items, note);
  g_assert_true (json_object_get_boolean_member (item, "gewist"));
  g_assert_cmpuint (json_object_get_size (gegevens (item)), ==, 0);

  /* Nothing of what was written is left anywhere: records, search keys, history. */
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records WHERE "
                             "organisation_id = $1 AND (fields LIKE '%Amina%' "
                             "OR fields LIKE '%Gebeld%' OR search_key IS NOT NULL)"), ==, 0);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM history WHERE "
                             "organisation_id = $1 AND diff <> '{}'"), ==, 0);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM history WHERE "
                             "organisation_id = $1 AND action = 'wissen'"), ==, 2);
  fx_assert_gap_free (fx, fx->org);
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *data = NULL;
  gsize length = 0;

  gsize n = strlen (needle);

  if (!g_file_get_contents (path, &data, &length, NULL))
    return FALSE;
  for (gsize i = 0; i + n <= length; i++)
    if (memcmp (data + i, needle, n) == 0)
      return TRUE;
  return FALSE;
}

/* SQLite: after an erasure the erased text is in no byte of the database files (secure_delete
 * zeroes freed space; the write-ahead log is checkpointed and truncated). */
static void
test_erasure_bytes (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = NULL;
  g_autofree char *id = NULL;
  g_autofree char *wal = NULL;
  g_autoptr(JsonObject) erased = NULL;

  if (backend != KOERS_SERVER_DB_SQLITE)
    {
      g_test_skip ("the database files are SQLite's");
      return;
    }
  fx = fx_new (backend);
  id = fx_participant (fx, fx->coach, fx->coach->user_id, "Zwanette Oosterbroek");
  wal = g_strconcat (fx->location, "-wal", NULL);
  g_assert_true (file_contains (fx->location, "Oosterbroek")
                 || file_contains (wal, "Oosterbroek"));
  erased = fx_push1 (fx, fx->support, "wissen", "deelnemers", id, -1, NULL);
  g_assert_cmpstr (status_of (erased), ==, "toegepast");
  g_assert_false (file_contains (fx->location, "Oosterbroek"));
  g_assert_false (file_contains (fx->location, "oosterbroek"));
  g_assert_false (file_contains (wal, "Oosterbroek"));
  g_assert_false (file_contains (wal, "oosterbroek"));
}

/* A coach never sees a colleague's or another organisation's records, in any read. */
static void
test_isolation (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *mine = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *theirs = fx_participant (fx, fx->colleague, fx->colleague->user_id,
                                            "Bram de Vries");
  g_autofree char *elsewhere = fx_participant (fx, fx->stranger, fx->stranger->user_id,
                                               "Chris Smit");
  g_autoptr(JsonArray) coach_items = fx_pull_all (fx, fx->coach, NULL, 500, NULL);
  g_autoptr(JsonArray) support_items = fx_pull_all (fx, fx->support, NULL, 500, NULL);
  g_autoptr(JsonArray) manager_items = fx_pull_all (fx, fx->manager, NULL, 500, NULL);
  g_autoptr(JsonObject) edit = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", theirs, 1,
                                         "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autoptr(JsonObject) foreign = fx_push1 (fx, fx->coach, "wijzigen", "deelnemers", elsewhere, 1,
                                            "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autoptr(JsonObject) note_elsewhere = NULL;
  g_autofree char *note_fields = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                                  "'soort': {'was': null, 'wordt': 'phone'}, "
                                                  "'datum': {'was': null, 'wordt': '2026-11-27'}, "
                                                  "'tekst': {'was': null, 'wordt': 'x'}}",
                                                  theirs);
  g_autofree char *note_id = g_uuid_string_random ();
  g_autofree char *create_for_other = g_strdup_printf (
    "{'naam': {'was': null, 'wordt': 'X'}, 'gemeente': {'was': null, 'wordt': 'aalten'}, "
    "'doelgroep': {'was': null, 'wordt': 'nug'}, 'coachId': {'was': null, 'wordt': '%s'}}",
    fx->colleague->user_id);
  g_autofree char *other_id = g_uuid_string_random ();
  g_autoptr(JsonObject) create_other = NULL;
  KoersServerListQuery query = { NULL, -1, NULL, NULL, 100 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) list = NULL;

  g_assert_cmpuint (json_array_get_length (coach_items), ==, 1);
  g_assert_nonnull (fx_find (coach_items, mine));
  g_assert_cmpuint (json_array_get_length (support_items), ==, 2);
  g_assert_null (fx_find (support_items, elsewhere));
  g_assert_cmpuint (json_array_get_length (manager_items), ==, 0);

  g_assert_null (fx_get (fx, fx->coach, "deelnemers", theirs));
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", elsewhere));
  g_assert_null (fx_get (fx, fx->support, "deelnemers", elsewhere));
  g_assert_true (fx_visible (fx, fx->support, "deelnemers", theirs));
  /* Another coach's participant and another organisation's look the same: not found. */
  assert_refusal (edit, "nietGevonden", NULL);
  assert_refusal (foreign, "nietGevonden", NULL);
  g_assert_cmpstr (fx_string (edit, "reden"), ==, fx_string (foreign, "reden"));
  note_elsewhere = fx_push1 (fx, fx->coach, "aanmaken", "notities", note_id, -1, note_fields);
  g_assert_cmpstr (status_of (note_elsewhere), ==, "afgewezen");
  create_other = fx_push1 (fx, fx->coach, "aanmaken", "deelnemers", other_id, -1,
                           create_for_other);
  assert_refusal (create_other, "eigenCaseload", "coachId");

  list = koers_server_engine_list (fx->engine, fx->coach, "deelnemers", &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (list), "items")), ==, 1);

  /* The programme manager reads no personal record and writes nothing. */
  {
    g_autoptr(JsonNode) got = koers_server_engine_get (fx->engine, fx->manager, "deelnemers",
                                                       mine, &error);

    g_assert_null (got);
    g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN);
    g_clear_error (&error);
  }
  {
    g_autofree char *m = fx_mutation (fx, fx->manager, 1, NULL, "wijzigen", "deelnemers", mine,
                                      1, NULL);
    const char *batch[] = { m, NULL };
    g_autoptr(JsonNode) pushed = fx_push (fx, fx->manager, batch, NULL, &error);

    g_assert_null (pushed);
    g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_FORBIDDEN);
  }
  fx_assert_gap_free (fx, fx->org);
  fx_assert_gap_free (fx, fx->org_b);
}

static void
test_cursor_expired (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *future = g_strdup_printf ("%s.9", koers_server_db_get_epoch (fx->db));
  g_autofree char *now = g_strdup_printf ("%s.1", koers_server_db_get_epoch (fx->db));
  static const char * const expired[] = { "0f6c1e0a-0000-4000-8000-00000000000a.1", NULL };
  static const char * const malformed[] = { "abc", ".5", "x.-1", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) page = NULL;

  page = koers_server_engine_pull (fx->engine, fx->coach, expired[0], 100, &error);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED);
  g_clear_error (&error);
  page = koers_server_engine_pull (fx->engine, fx->coach, future, 100, &error);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_CURSOR_EXPIRED);
  g_clear_error (&error);
  for (guint i = 0; malformed[i] != NULL; i++)
    {
      page = koers_server_engine_pull (fx->engine, fx->coach, malformed[i], 100, &error);
      g_assert_null (page);
      g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
      g_clear_error (&error);
    }
  page = koers_server_engine_pull (fx->engine, fx->coach, now, 0, &error);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_INVALID);
  g_clear_error (&error);
  page = koers_server_engine_pull (fx->engine, fx->coach, now, 500, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (page), "wijzigingen")), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (page), "tijdperk"), ==,
                   koers_server_db_get_epoch (fx->db));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (page), "serverTijd"),
                   !=, NULL);
}

/* A storage failure in the middle of a batch leaves nothing: no record, no processed
 * mutation, no device number, no used volgnummer. */
static void
test_failure_mid_batch (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *a = fx_mutation (fx, fx->coach, 2, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *b = fx_mutation (fx, fx->coach, 3, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *batch[] = { a, b, NULL };
  g_autofree char *state = fx_dump (fx, fx->org);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  KoersSqlValue plant[] = { KOERS_SQL_TEXT_VALUE (fx->org), KOERS_SQL_TEXT_VALUE (id) };

  /* A stray history row where the batch's second version will go: its insert violates the
   * primary key after the first mutation has been written. */
  koers_server_db_begin (fx->db, fx->org, &error);
  g_assert_no_error (error);
  koers_server_db_exec (fx->db, "INSERT INTO history (organisation_id, version, entity, id, "
                        "action, user_id, diff, changed_at) VALUES ($1, 3, 'deelnemers', $2, "
                        "'wijzigen', 'x', '{}', 'x')", plant, 2, NULL, &error);
  g_assert_no_error (error);
  koers_server_db_commit (fx->db, &error);
  g_assert_no_error (error);

  response = fx_push (fx, fx->coach, batch, NULL, &error);
  g_assert_null (response);
  g_assert_nonnull (error);
  g_clear_error (&error);
  {
    g_autofree char *after = fx_dump (fx, fx->org);

    g_assert_cmpstr (after, ==, state);
  }
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 1);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM processed_mutations "
                             "WHERE organisation_id = $1"), ==, 1);
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT max(last_sequence) FROM devices "
                             "WHERE organisation_id = $1"), ==, 1);

  /* Once the cause is gone the same batch applies, with versions 2 and 3: no gap. */
  koers_server_db_begin (fx->db, fx->org, &error);
  koers_server_db_exec (fx->db, "DELETE FROM history WHERE organisation_id = $1 AND id = $2 "
                        "AND version = 3", plant, 2, NULL, &error);
  g_assert_no_error (error);
  koers_server_db_commit (fx->db, &error);
  g_assert_no_error (error);
  response = fx_push (fx, fx->coach, batch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, 3);
  fx_assert_gap_free (fx, fx->org);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/server-engine-scope/status-workflow", test_status_workflow);
  koers_test_server_db_add ("/server-engine-scope/notes-append-only", test_notes_append_only);
  koers_test_server_db_add ("/server-engine-scope/reassign", test_reassign);
  koers_test_server_db_add ("/server-engine-scope/resolution-moves-participant",
                            test_resolution_moves_participant);
  koers_test_server_db_add ("/server-engine-scope/erasure", test_erasure);
  koers_test_server_db_add ("/server-engine-scope/erasure-bytes", test_erasure_bytes);
  koers_test_server_db_add ("/server-engine-scope/status-bypass", test_status_bypass);
  koers_test_server_db_add ("/server-engine-scope/bsn-refused", test_bsn_refused);
  koers_test_server_db_add ("/server-engine-scope/isolation", test_isolation);
  koers_test_server_db_add ("/server-engine-scope/cursor-expired", test_cursor_expired);
  koers_test_server_db_add ("/server-engine-scope/failure-mid-batch", test_failure_mid_batch);
  return g_test_run ();
}
