/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The mutation engine over a pipelined storage (PostgreSQL sends deferred writes with a later
 * statement or the commit, and reads a batch's records ahead in one round trip; SQLite runs
 * everything at once), on both back ends. A push whose write fails anywhere, in the middle of
 * the batch or in its last mutation, fails whole and leaves nothing of itself: no record, no
 * history, no processed mutation, no volgnummer, the device's number where it was, so the same
 * batch applies once the fault is gone. An audit row that cannot be written makes it
 * unavailable (503), as before. A record read ahead is read again once an earlier mutation of
 * the batch wrote it, also as a side effect (erasure, a move to another caseload). */
#include "config.h"

#include "server/koers-server-db.h"

#include "koers-test-engine.h"
#include "koers-test-postgres.h"

static JsonArray *
results_of (JsonNode *response)
{
  return json_object_get_array_member (json_node_get_object (response), "resultaten");
}

static void
exec_ok (EngineFixture *fx, const char *sql)
{
  g_autoptr(GError) error = NULL;

  koers_server_db_exec (fx->db, sql, NULL, 0, NULL, &error);
  g_assert_no_error (error);
}

/* From now on the history row of record @id cannot be written, as with a full disk or a bug
 * in a constraint: the insert fails inside the database. @id is a UUID, safe to paste. */
static void
refuse_history_of (EngineFixture *fx, const char *id)
{
  g_autofree char *trigger = NULL;

  if (fx->backend == KOERS_SERVER_DB_SQLITE)
    {
      trigger = g_strdup_printf ("CREATE TRIGGER koers_test_refuse BEFORE INSERT ON history "
                                 "WHEN NEW.id = '%s' BEGIN SELECT RAISE(ABORT, 'geweigerd'); "
                                 "END", id);
      exec_ok (fx, trigger);
      return;
    }
  exec_ok (fx, "CREATE FUNCTION koers_test_refuse () RETURNS trigger LANGUAGE plpgsql "
               "AS $body$ BEGIN RAISE EXCEPTION 'geweigerd'; END $body$");
  trigger = g_strdup_printf ("CREATE TRIGGER koers_test_refuse BEFORE INSERT ON history "
                             "FOR EACH ROW WHEN (NEW.id = '%s') "
                             "EXECUTE FUNCTION koers_test_refuse ()", id);
  exec_ok (fx, trigger);
}

static void
allow_history (EngineFixture *fx)
{
  if (fx->backend == KOERS_SERVER_DB_SQLITE)
    {
      exec_ok (fx, "DROP TRIGGER koers_test_refuse");
      return;
    }
  exec_ok (fx, "DROP TRIGGER koers_test_refuse ON history");
  exec_ok (fx, "DROP FUNCTION koers_test_refuse ()");
}

/* What a failed push must leave as it was. */
typedef struct {
  gint64  sequence;
  gint64  processed;
  gint64  history;
  char   *dump;
} State;

static void
state_read (EngineFixture *fx, State *state)
{
  state->sequence = fx_sequence (fx, fx->org);
  state->processed = fx_count (fx, fx->org, "SELECT count(*) FROM processed_mutations "
                                            "WHERE organisation_id = $1");
  state->history = fx_count (fx, fx->org, "SELECT count(*) FROM history "
                                          "WHERE organisation_id = $1");
  state->dump = fx_dump (fx, fx->org);
}

static void
assert_unchanged (EngineFixture *fx, const State *before)
{
  State after = { 0 };

  state_read (fx, &after);
  g_assert_cmpint (after.sequence, ==, before->sequence);
  g_assert_cmpint (after.processed, ==, before->processed);
  g_assert_cmpint (after.history, ==, before->history);
  g_assert_cmpstr (after.dump, ==, before->dump);
  g_free (after.dump);
  fx_assert_gap_free (fx, fx->org);
}

/* Three mutations: two changes of a participant and the creation of another, the creation in
 * the middle or (@create_last) last, where its writes only go out with the commit. The history
 * rows of the participant (@refuse_change: the first mutation fails) or of the new one fail. */
static void
failed_write (KoersServerDbBackend backend, gboolean refuse_change, gboolean create_last)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *new_id = g_uuid_string_random ();
  g_autofree char *create_fields = g_strdup_printf (
    "{'naam': {'was': null, 'wordt': 'Noor'}, 'gemeente': {'was': null, 'wordt': 'aalten'}, "
    "'doelgroep': {'was': null, 'wordt': 'nug'}, 'coachId': {'was': null, 'wordt': '%s'}}",
    fx->coach->user_id);
  /* The participant took device number 1; the batch is 2, 3, 4 in its order. */
  g_autofree char *a = fx_mutation (fx, fx->coach, 2, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *create = fx_mutation (fx, fx->coach, create_last ? 4 : 3, NULL, "aanmaken",
                                         "deelnemers", new_id, -1, create_fields);
  g_autofree char *b = fx_mutation (fx, fx->coach, create_last ? 3 : 4, NULL, "wijzigen",
                                    "deelnemers", id, 1,
                                    "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  const char *batch[] = { a, create_last ? b : create, create_last ? create : b, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(JsonObject) record = NULL;
  State before = { 0 };

  state_read (fx, &before);
  refuse_history_of (fx, refuse_change ? id : new_id);

  response = fx_push (fx, fx->coach, batch, NULL, &error);
  g_assert_null (response);
  g_assert_nonnull (error);
  g_assert_true (error->domain == KOERS_SERVER_DB_ERROR);
  g_assert_cmpint (error->code, !=, KOERS_SERVER_DB_ERROR_BUSY);
  g_clear_error (&error);
  assert_unchanged (fx, &before);
  g_assert_null (fx_get (fx, fx->coach, "deelnemers", new_id));

  /* Nothing of it was processed: once the fault is gone the same batch applies, fresh. */
  allow_history (fx);
  response = fx_push (fx, fx->coach, batch, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (results_of (response)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      JsonObject *result = json_array_get_object_element (results_of (response), i);

      g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "toegepast");
      g_assert_false (json_object_get_boolean_member (result, "herhaald"));
    }
  g_assert_cmpint (fx_sequence (fx, fx->org), ==, before.sequence + 3);
  record = fx_get (fx, fx->coach, "deelnemers", id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record,
                                                                                 "gegevens"),
                                                  "roepnaam"), ==, "Ami");
  fx_assert_gap_free (fx, fx->org);
  g_free (before.dump);
}

static void
test_failed_write_first (KoersServerDbBackend backend)
{
  failed_write (backend, TRUE, FALSE);
}

static void
test_failed_write_middle (KoersServerDbBackend backend)
{
  failed_write (backend, FALSE, FALSE);
}

static void
test_failed_write_last (KoersServerDbBackend backend)
{
  failed_write (backend, FALSE, TRUE);
}

/* A batch whose audit rows cannot be written is unavailable (503) and writes nothing. */
static void
test_failed_audit (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *a = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *b = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'roepnaam': {'was': null, 'wordt': 'Ami'}}");
  g_autofree char *body = g_strdup_printf ("{\"mutaties\": [%s, %s]}", a, b);
  g_autoptr(JsonNode) request = fx_parse (body);
  g_autoptr(JsonNode) response = NULL;
  g_autoptr(GError) error = NULL;
  State before = { 0 };

  state_read (fx, &before);
  exec_ok (fx, "ALTER TABLE audit RENAME TO audit_weg");
  response = koers_server_engine_push_batch_audited (fx->engine, fx->coach, request,
                                                     "synchroniseren", NULL, NULL, &error);
  g_assert_null (response);
  g_assert_error (error, KOERS_SERVER_ENGINE_ERROR, KOERS_SERVER_ENGINE_ERROR_UNAVAILABLE);
  g_clear_error (&error);
  exec_ok (fx, "ALTER TABLE audit_weg RENAME TO audit");
  assert_unchanged (fx, &before);

  response = koers_server_engine_push_batch_audited (fx->engine, fx->coach, request,
                                                     "synchroniseren", NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  /* One row per mutation and one for the batch. */
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM audit "
                                          "WHERE organisation_id = $1 "
                                          "AND action IN ('wijzigen', 'synchroniseren')"), ==, 3);
  g_free (before.dump);
}

static const char *
status_at (JsonNode *response, guint index)
{
  return json_object_get_string_member (json_array_get_object_element (results_of (response),
                                                                       index), "status");
}

static JsonNode *
push_ok (EngineFixture *fx, const KoersServerCaller *caller, const char * const *batch)
{
  g_autoptr(GError) error = NULL;
  JsonNode *response = fx_push (fx, caller, batch, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (response);
  return response;
}

/* Created and changed twice in one batch: each change sees the one before. */
static void
test_same_record_twice (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf (
    "{'naam': {'was': null, 'wordt': 'Noor'}, 'gemeente': {'was': null, 'wordt': 'aalten'}, "
    "'doelgroep': {'was': null, 'wordt': 'nug'}, 'coachId': {'was': null, 'wordt': '%s'}}",
    fx->coach->user_id);
  g_autofree char *create = fx_mutation (fx, fx->coach, 0, NULL, "aanmaken", "deelnemers", id,
                                         -1, fields);
  g_autofree char *a = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                    "{'talen': {'was': null, 'wordt': 'Somali'}}");
  g_autofree char *b = fx_mutation (fx, fx->coach, 0, NULL, "wijzigen", "deelnemers", id, 2,
                                    "{'talen': {'was': 'Somali', 'wordt': 'Somali, Arabisch'}}");
  const char *batch[] = { create, a, b, NULL };
  g_autoptr(JsonNode) response = push_ok (fx, fx->coach, batch);
  g_autoptr(JsonObject) record = fx_get (fx, fx->coach, "deelnemers", id);

  for (guint i = 0; i < 3; i++)
    g_assert_cmpstr (status_at (response, i), ==, "toegepast");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (record,
                                                                                 "gegevens"),
                                                  "talen"), ==, "Somali, Arabisch");
  g_assert_cmpint (json_object_get_int_member (record, "versie"), ==, fx_sequence (fx, fx->org));
  fx_assert_gap_free (fx, fx->org);
}

static char *
add_skill (EngineFixture *fx, const char *participant)
{
  char *skill = g_uuid_string_random ();
  g_autofree char *fields = g_strdup_printf ("{'deelnemerId': {'was': null, 'wordt': '%s'}, "
                                             "'label': {'was': null, 'wordt': 'Lassen'}}",
                                             participant);
  g_autoptr(JsonObject) result = fx_push1 (fx, fx->coach, "aanmaken", "vaardigheden", skill, -1,
                                           fields);

  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "toegepast");
  return skill;
}

/* The participant is erased first in the batch: its skill, erased with it, is no longer
 * there to change, though it was when the batch began. */
static void
test_erased_earlier_in_batch (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *skill = add_skill (fx, id);
  g_autofree char *erase = fx_mutation (fx, fx->support, 0, NULL, "wissen", "deelnemers", id,
                                        -1, NULL);
  g_autofree char *change = fx_mutation (fx, fx->support, 0, NULL, "wijzigen", "vaardigheden",
                                         skill, 2,
                                         "{'label': {'was': 'Lassen', 'wordt': 'Solderen'}}");
  const char *batch[] = { erase, change, NULL };
  g_autoptr(JsonNode) response = push_ok (fx, fx->support, batch);

  g_assert_cmpstr (status_at (response, 0), ==, "toegepast");
  g_assert_cmpstr (status_at (response, 1), ==, "afgewezen");
  g_assert_cmpint (fx_count (fx, fx->org, "SELECT count(*) FROM records WHERE "
                             "organisation_id = $1 AND fields LIKE '%Solderen%'"), ==, 0);
  fx_assert_gap_free (fx, fx->org);
}

/* The participant moves to another coach first in the batch: its skill moves with it and
 * stays there when the same batch then changes it. */
static void
test_moved_earlier_in_batch (KoersServerDbBackend backend)
{
  g_autoptr(EngineFixture) fx = fx_new (backend);
  g_autofree char *id = fx_participant (fx, fx->coach, fx->coach->user_id, "Amina Yusuf");
  g_autofree char *skill = add_skill (fx, id);
  g_autofree char *move_fields = g_strdup_printf ("{'coachId': {'was': '%s', 'wordt': '%s'}}",
                                                  fx->coach->user_id, fx->colleague->user_id);
  g_autofree char *move = fx_mutation (fx, fx->support, 0, NULL, "wijzigen", "deelnemers", id, 1,
                                       move_fields);
  g_autofree char *change = fx_mutation (fx, fx->support, 0, NULL, "wijzigen", "vaardigheden",
                                         skill, 2,
                                         "{'label': {'was': 'Lassen', 'wordt': 'Solderen'}}");
  const char *batch[] = { move, change, NULL };
  g_autoptr(JsonNode) response = push_ok (fx, fx->support, batch);

  g_assert_cmpstr (status_at (response, 0), ==, "toegepast");
  g_assert_cmpstr (status_at (response, 1), ==, "toegepast");
  g_assert_true (fx_visible (fx, fx->colleague, "vaardigheden", skill));
  g_assert_false (fx_visible (fx, fx->coach, "vaardigheden", skill));
  fx_assert_gap_free (fx, fx->org);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  koers_test_server_db_add ("/server-engine-pipeline/failed-write-first",
                            test_failed_write_first);
  koers_test_server_db_add ("/server-engine-pipeline/failed-write-middle",
                            test_failed_write_middle);
  koers_test_server_db_add ("/server-engine-pipeline/failed-write-last",
                            test_failed_write_last);
  koers_test_server_db_add ("/server-engine-pipeline/failed-audit", test_failed_audit);
  koers_test_server_db_add ("/server-engine-pipeline/same-record-twice",
                            test_same_record_twice);
  koers_test_server_db_add ("/server-engine-pipeline/erased-earlier-in-batch",
                            test_erased_earlier_in_batch);
  koers_test_server_db_add ("/server-engine-pipeline/moved-earlier-in-batch",
                            test_moved_earlier_in_batch);
  return g_test_run ();
}
