/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-participant-repository.h"

#include "storage/koers-kpi-repository.h"

#include "storage-test-util.h"

#include <string.h>

static gint64
changes_fingerprint (KoersDatabase *db)
{
  return storage_test_query_int (db, "SELECT (SELECT count(*) FROM participant) * 1000000 + "
                                     "(SELECT count(*) FROM participant_status_change) * 1000 + "
                                     "(SELECT count(*) FROM audit_event)");
}

static void
test_round_trip (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *coach_id = storage_test_insert_coach (db, "Coach Carla");
  g_autoptr(KoersParticipant) p = storage_test_participant ("  Özlem Yılmaz  ");
  g_autoptr(KoersParticipant) back = NULL;

  koers_participant_set_preferred_name (p, "Özi");
  koers_participant_set_birth_year (p, 1984);
  koers_participant_set_municipality (p, KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK);
  koers_participant_set_phone (p, "+31 6 12345678");
  koers_participant_set_email (p, "ozlem@example.nl");
  koers_participant_set_languages (p, "Turks, Nederlands");
  koers_participant_set_preferred_language (p, "Turks");
  koers_participant_set_dutch_level (p, KOERS_CEFR_B1);
  koers_participant_set_digital_skills_need (p, TRUE);
  koers_participant_set_basic_skills_need (p, TRUE);
  koers_participant_set_target_group (p, KOERS_TARGET_GROUP_CAREER_SWITCHER);
  koers_participant_set_civic_integration_duty (p, TRUE);
  koers_participant_set_interests (p, "Zorg\nTechniek");
  koers_participant_set_ambitions (p, "Verpleegkundige worden");
  koers_participant_set_coach_id (p, coach_id);
  koers_participant_set_project_line (p, 1);
  koers_participant_set_status (p, KOERS_STATUS_INTAKE);
  koers_participant_set_registered_on (p, "2026-02-01");
  koers_participant_set_next_action (p, "Intakegesprek");
  koers_participant_set_next_action_date (p, "2026-02-10");

  g_assert_true (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
  g_assert_nonnull (koers_participant_get_id (p));
  g_assert_true (g_uuid_string_is_valid (koers_participant_get_id (p)));

  back = koers_participant_repository_get (db, koers_participant_get_id (p), TEST_ACTOR,
                                           "test", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_participant_get_name (back), ==, "Özlem Yılmaz"); /* trimmed */
  g_assert_cmpstr (koers_participant_get_preferred_name (back), ==, "Özi");
  g_assert_cmpint (koers_participant_get_birth_year (back), ==, 1984);
  g_assert_cmpint (koers_participant_get_municipality (back), ==,
                   KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK);
  g_assert_cmpstr (koers_participant_get_phone (back), ==, "+31 6 12345678");
  g_assert_cmpstr (koers_participant_get_email (back), ==, "ozlem@example.nl");
  g_assert_cmpstr (koers_participant_get_languages (back), ==, "Turks, Nederlands");
  g_assert_cmpstr (koers_participant_get_preferred_language (back), ==, "Turks");
  g_assert_cmpint (koers_participant_get_dutch_level (back), ==, KOERS_CEFR_B1);
  g_assert_true (koers_participant_get_digital_skills_need (back));
  g_assert_true (koers_participant_get_basic_skills_need (back));
  g_assert_cmpint (koers_participant_get_target_group (back), ==,
                   KOERS_TARGET_GROUP_CAREER_SWITCHER);
  g_assert_true (koers_participant_get_civic_integration_duty (back));
  g_assert_cmpstr (koers_participant_get_interests (back), ==, "Zorg\nTechniek");
  g_assert_cmpstr (koers_participant_get_ambitions (back), ==, "Verpleegkundige worden");
  g_assert_cmpstr (koers_participant_get_coach_id (back), ==, coach_id);
  g_assert_cmpint (koers_participant_get_project_line (back), ==, 1);
  g_assert_cmpint (koers_participant_get_status (back), ==, KOERS_STATUS_INTAKE);
  g_assert_cmpstr (koers_participant_get_registered_on (back), ==, "2026-02-01");
  g_assert_cmpstr (koers_participant_get_next_action (back), ==, "Intakegesprek");
  g_assert_cmpstr (koers_participant_get_next_action_date (back), ==, "2026-02-10");
  g_assert_cmpint (koers_participant_get_outcome (back), ==, KOERS_OUTCOME_UNKNOWN);
  g_assert_null (koers_participant_get_outcome_date (back));
  g_assert_cmpint (koers_participant_get_version (back), ==, 0);
  g_assert_cmpstr (koers_participant_get_created_by (back), ==, TEST_ACTOR);
  g_assert_cmpstr (koers_participant_get_updated_by (back), ==, TEST_ACTOR);
  g_assert_nonnull (koers_participant_get_created_at (back));
  g_assert_false (koers_participant_get_deleted (back));

  /* The first status is in the history, dated from registration. */
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant_status_change "
                                               "WHERE from_status IS NULL AND "
                                               "to_status = 'intake' AND "
                                               "changed_on = '2026-02-01'"), ==, 1);

  /* An update of every field round-trips too. */
  koers_participant_set_status (back, KOERS_STATUS_ACTIVE);
  koers_participant_set_outcome (back, KOERS_OUTCOME_WORK);
  koers_participant_set_outcome_date (back, "2026-03-01");
  koers_participant_set_email (back, NULL);
  koers_participant_set_project_line (back, 3);
  g_assert_true (koers_participant_repository_update (db, back, "other@test", &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  p = koers_participant_repository_get (db, koers_participant_get_id (back), TEST_ACTOR, NULL,
                                        &error);
  g_assert_cmpint (koers_participant_get_status (p), ==, KOERS_STATUS_ACTIVE);
  g_assert_cmpint (koers_participant_get_outcome (p), ==, KOERS_OUTCOME_WORK);
  g_assert_cmpstr (koers_participant_get_outcome_date (p), ==, "2026-03-01");
  g_assert_null (koers_participant_get_email (p));
  g_assert_cmpint (koers_participant_get_project_line (p), ==, 3);
  g_assert_cmpstr (koers_participant_get_updated_by (p), ==, "other@test");
  g_assert_cmpstr (koers_participant_get_created_by (p), ==, TEST_ACTOR);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant_status_change "
                                               "WHERE from_status = 'intake' AND "
                                               "to_status = 'active'"), ==, 1);
}

static void
test_invalid_refused (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *existing = storage_test_insert_participant (db, "Bestaand");
  gint64 before = changes_fingerprint (db);
  g_autoptr(KoersParticipant) p = NULL;

  p = storage_test_participant ("");
  g_assert_false (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "name: "));
  g_clear_error (&error);
  g_clear_object (&p);

  p = storage_test_participant ("Amina\xe2\x80\xae" "evil"); /* RIGHT-TO-LEFT OVERRIDE */
  g_assert_false (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "name: "));
  g_clear_error (&error);
  g_clear_object (&p);

  p = storage_test_participant ("Amina");
  koers_participant_set_birth_year (p, 1850);
  g_assert_false (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "birth-year: "));
  g_clear_error (&error);

  koers_participant_set_birth_year (p, 1990);
  koers_participant_set_coach_id (p, "no-such-coach");
  g_assert_false (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "coach-id: "));
  g_clear_error (&error);

  koers_participant_set_coach_id (p, NULL);
  koers_participant_set_next_action_date (p, "2026-02-30");
  g_assert_false (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "next-action-date: "));
  g_clear_error (&error);
  g_assert_null (koers_participant_get_id (p));
  g_assert_cmpint (changes_fingerprint (db), ==, before);

  /* An invalid update of a stored participant changes nothing either. */
  g_clear_object (&p);
  p = koers_participant_repository_get (db, existing, TEST_ACTOR, NULL, &error);
  before = changes_fingerprint (db);
  koers_participant_set_name (p, "   ");
  g_assert_false (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_true (g_str_has_prefix (error->message, "name: "));
  g_clear_error (&error);

  g_assert_cmpint (changes_fingerprint (db), ==, before);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE name = 'Bestaand'"), ==, 1);
}

static void
test_refused_transition (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Jan de Vries");
  g_autoptr(KoersParticipant) p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL,
                                                                    &error);
  gint64 before;

  koers_participant_set_status (p, KOERS_STATUS_DROPPED_OUT);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);

  before = changes_fingerprint (db);
  koers_participant_set_status (p, KOERS_STATUS_ACTIVE);
  g_assert_false (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "status: "));
  g_assert_cmpint (changes_fingerprint (db), ==, before);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE status = 'dropped_out'"), ==, 1);
}

static void
test_tombstone (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Fatima");
  g_autofree char *other = storage_test_insert_participant (db, "Gerrit");
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(KoersParticipant) p = NULL;
  KoersCaseloadQuery query;

  koers_caseload_query_init (&query);
  g_assert_true (koers_participant_repository_set_deleted (db, id, TRUE, TEST_ACTOR, &error));
  rowids = koers_participant_repository_query_rowids (db, &query, &error);
  g_assert_cmpuint (rowids->len, ==, 1);
  g_clear_pointer (&rowids, g_array_unref);

  /* Still readable (a tombstone, not an erasure), marked deleted. */
  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (koers_participant_get_deleted (p));

  g_assert_true (koers_participant_repository_set_deleted (db, id, FALSE, TEST_ACTOR, &error));
  rowids = koers_participant_repository_query_rowids (db, &query, &error);
  g_assert_cmpuint (rowids->len, ==, 2);

  g_assert_false (koers_participant_repository_set_deleted (db, "missing", TRUE, TEST_ACTOR,
                                                            &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  koers_caseload_query_clear (&query);
}

static void
test_duplicates (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Zoë Émile Çelik");
  g_autofree char *other_year = NULL;
  g_autoptr(KoersParticipant) candidate = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(KoersParticipant) stored = NULL;

  /* Other birth year: not a duplicate. */
  candidate = storage_test_participant ("Zoë Émile Çelik");
  koers_participant_set_birth_year (candidate, 1991);
  g_assert_true (koers_participant_repository_insert (db, candidate, TEST_ACTOR, &error));
  g_clear_object (&candidate);

  /* Upper case, no accents, NFD, extra spaces: the same person. */
  for (guint i = 0; i < 3; i++)
    {
      const char *names[] = { "ZOE EMILE CELIK", "Zoe\xcc\x88 E\xcc\x81mile C\xcc\xa7" "elik",
                              "  zoë   émile çelik " };

      candidate = storage_test_participant (names[i]);
      found = koers_participant_repository_find_duplicates (db, candidate, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      g_assert_cmpstr (koers_participant_get_id (g_ptr_array_index (found, 0)), ==, id);
      g_clear_pointer (&found, g_ptr_array_unref);
      g_clear_object (&candidate);
    }

  /* Not itself, and not a tombstoned one. */
  stored = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  found = koers_participant_repository_find_duplicates (db, stored, &error);
  g_assert_cmpuint (found->len, ==, 0);
  g_clear_pointer (&found, g_ptr_array_unref);
  koers_participant_repository_set_deleted (db, id, TRUE, TEST_ACTOR, &error);
  candidate = storage_test_participant ("Zoe Emile Celik");
  found = koers_participant_repository_find_duplicates (db, candidate, &error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* The day guidance started (first "active"), as the KPIs read it; NULL when never active. */
static char *
guidance_started_on (KoersDatabase *db, const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) facts = NULL;
  GStringChunk *strings = g_string_chunk_new (256);
  g_autofree char *ids = NULL;
  char *started = NULL;
  gint64 index;

  facts = koers_kpi_repository_load_facts (db, "2026-01-01", strings, &error);
  g_assert_no_error (error);
  /* The facts come in participant order (seq); find this participant's position. */
  ids = g_strdup_printf ("SELECT count(*) FROM participant WHERE seq < "
                         "(SELECT seq FROM participant WHERE id = '%s')", id);
  index = storage_test_query_int (db, ids);
  g_assert_cmpint (index, <, facts->len);
  started = g_strdup (g_array_index (facts, KoersKpiFacts, index).guidance_started_on);
  g_string_chunk_free (strings);
  return started;
}

static void
test_undo_status_change (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Yonas Tesfay");
  g_autoptr(KoersParticipant) p = NULL;
  g_autofree char *started = NULL;
  g_autofree char *sql = NULL;

  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  koers_participant_set_status (p, KOERS_STATUS_INTAKE);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  koers_participant_set_status (p, KOERS_STATUS_ACTIVE);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
  started = guidance_started_on (db, id);
  g_assert_cmpstr (started, ==, "2026-06-15");
  g_clear_pointer (&started, g_free);

  g_assert_true (koers_participant_repository_undo_status_change (db, id, KOERS_STATUS_ACTIVE,
                                                                  "other@test", &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  g_assert_cmpint (koers_participant_get_status (p), ==, KOERS_STATUS_INTAKE);
  g_assert_cmpstr (koers_participant_get_updated_by (p), ==, "other@test");
  started = guidance_started_on (db, id);
  g_assert_null (started);
  /* The history keeps the undone step, tombstoned. */
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant_status_change "
                                               "WHERE to_status = 'active' AND deleted = 1"),
                   ==, 1);
  sql = g_strdup_printf ("SELECT count(*) FROM audit_event WHERE object_id = '%s' "
                         "AND action = 'change' AND purpose = 'undo status change' "
                         "AND actor = 'other@test'", id);
  g_assert_cmpint (storage_test_query_int (db, sql), ==, 1);

  /* The step before can be undone as well, back to registered. */
  g_assert_true (koers_participant_repository_undo_status_change (db, id, KOERS_STATUS_INTAKE,
                                                                  TEST_ACTOR, &error));
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE status = 'registered'"), ==, 1);
}

/* Ending a trajectory records its outcome; undoing the ending forgets it again. */
static void
test_undo_final_clears_outcome (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersParticipant) p = NULL;

  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  koers_participant_set_status (p, KOERS_STATUS_DROPPED_OUT);
  koers_participant_set_outcome (p, KOERS_OUTCOME_WORK);
  koers_participant_set_outcome_date (p, "2026-06-10");
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);

  g_assert_true (koers_participant_repository_undo_status_change (db, id,
                                                                  KOERS_STATUS_DROPPED_OUT,
                                                                  TEST_ACTOR, &error));
  g_assert_no_error (error);
  g_clear_object (&p);
  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  g_assert_cmpint (koers_participant_get_status (p), ==, KOERS_STATUS_REGISTERED);
  g_assert_cmpint (koers_participant_get_outcome (p), ==, KOERS_OUTCOME_UNKNOWN);
  g_assert_null (koers_participant_get_outcome_date (p));
}

static void
test_undo_refused (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = storage_test_insert_participant (db, "Jan de Vries");
  g_autoptr(KoersParticipant) p = NULL;
  gint64 before;

  /* Only the registration row: there is nothing earlier to go back to. */
  before = changes_fingerprint (db);
  g_assert_false (koers_participant_repository_undo_status_change (db, id,
                                                                   KOERS_STATUS_REGISTERED,
                                                                   TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "status: "));
  g_clear_error (&error);
  g_assert_cmpint (changes_fingerprint (db), ==, before);

  /* A stale undo: the toast was for intake, but the status has moved on to active. */
  p = koers_participant_repository_get (db, id, TEST_ACTOR, NULL, &error);
  koers_participant_set_status (p, KOERS_STATUS_INTAKE);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  koers_participant_set_status (p, KOERS_STATUS_ACTIVE);
  g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
  before = changes_fingerprint (db);
  g_assert_false (koers_participant_repository_undo_status_change (db, id, KOERS_STATUS_INTAKE,
                                                                   TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "status: "));
  g_clear_error (&error);
  g_assert_cmpint (changes_fingerprint (db), ==, before);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant "
                                               "WHERE status = 'active'"), ==, 1);
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM participant_status_change "
                                               "WHERE deleted = 1"), ==, 0);

  /* A deleted participant is not changed either. */
  g_assert_true (koers_participant_repository_set_deleted (db, id, TRUE, TEST_ACTOR, &error));
  before = changes_fingerprint (db);
  g_assert_false (koers_participant_repository_undo_status_change (db, id, KOERS_STATUS_ACTIVE,
                                                                   TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_cmpint (changes_fingerprint (db), ==, before);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/participant-repository/round-trip", test_round_trip);
  g_test_add_func ("/participant-repository/invalid-refused", test_invalid_refused);
  g_test_add_func ("/participant-repository/refused-transition", test_refused_transition);
  g_test_add_func ("/participant-repository/tombstone", test_tombstone);
  g_test_add_func ("/participant-repository/duplicates", test_duplicates);
  g_test_add_func ("/participant-repository/undo-status-change", test_undo_status_change);
  g_test_add_func ("/participant-repository/undo-final-clears-outcome",
                   test_undo_final_clears_outcome);
  g_test_add_func ("/participant-repository/undo-refused", test_undo_refused);

  return g_test_run ();
}
