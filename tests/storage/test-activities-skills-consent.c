/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-activity-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-organisation-repository.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-skill-repository.h"

#include "storage-test-util.h"

static void
expect_invalid (GError **error, const char *field)
{
  g_autofree char *prefix = g_strconcat (field, ": ", NULL);

  g_assert_error (*error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID);
  g_assert_true (g_str_has_prefix ((*error)->message, prefix));
  g_clear_error (error);
}

static void
test_activities (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersActivity) a = koers_activity_new ();
  g_autoptr(KoersActivity) cert = koers_activity_new ();
  g_autoptr(GPtrArray) list = NULL;
  KoersActivity *back;

  a->participant_id = g_strdup (pid);
  a->kind = KOERS_ACTIVITY_PROEVERIJ;
  a->title = g_strdup ("Meeloopdag zorg");
  g_assert_false (koers_activity_repository_insert (db, a, TEST_ACTOR, &error));
  expect_invalid (&error, "sector"); /* a proeverij needs its sector */
  a->sector = KOERS_SECTOR_ZORG;
  a->nlqf_level = 4;
  g_assert_false (koers_activity_repository_insert (db, a, TEST_ACTOR, &error));
  expect_invalid (&error, "nlqf-level"); /* only credentials carry a level */
  a->nlqf_level = 0;
  a->started_on = g_strdup ("2026-03-10");
  a->ended_on = g_strdup ("2026-03-09");
  g_assert_false (koers_activity_repository_insert (db, a, TEST_ACTOR, &error));
  expect_invalid (&error, "ended-on");
  g_free (a->ended_on);
  a->ended_on = g_strdup ("2026-03-10");
  g_assert_cmpint (storage_test_query_int (db, "SELECT count(*) FROM activity"), ==, 0);
  g_assert_true (koers_activity_repository_insert (db, a, TEST_ACTOR, &error));
  g_assert_no_error (error);

  cert->participant_id = g_strdup (pid);
  cert->kind = KOERS_ACTIVITY_MICROCREDENTIAL;
  cert->title = g_strdup ("Basis lassen");
  cert->provider = g_strdup ("Graafschap College");
  cert->nlqf_level = 9;
  g_assert_false (koers_activity_repository_insert (db, cert, TEST_ACTOR, &error));
  expect_invalid (&error, "nlqf-level");
  cert->nlqf_level = 2;
  cert->started_on = g_strdup ("2026-02-01");
  g_assert_true (koers_activity_repository_insert (db, cert, TEST_ACTOR, &error));

  list = koers_activity_repository_list (db, pid, &error);
  g_assert_cmpuint (list->len, ==, 2);
  back = g_ptr_array_index (list, 0); /* earliest start first */
  g_assert_cmpint (back->kind, ==, KOERS_ACTIVITY_MICROCREDENTIAL);
  g_assert_cmpint (back->nlqf_level, ==, 2);
  g_assert_cmpstr (back->provider, ==, "Graafschap College");
  g_assert_cmpint (back->sector, ==, -1);
  back = g_ptr_array_index (list, 1);
  g_assert_cmpint (back->sector, ==, KOERS_SECTOR_ZORG);
  g_assert_cmpstr (back->ended_on, ==, "2026-03-10");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_free (cert->title);
  cert->title = g_strdup ("Basis lassen BMBL");
  g_assert_true (koers_activity_repository_update (db, cert, "other@test", &error));
  g_assert_true (koers_activity_repository_set_deleted (db, a->meta.id, TRUE, TEST_ACTOR,
                                                        &error));
  list = koers_activity_repository_list (db, pid, &error);
  g_assert_cmpuint (list->len, ==, 1);
  back = g_ptr_array_index (list, 0);
  g_assert_cmpstr (back->title, ==, "Basis lassen BMBL");
  g_assert_cmpstr (back->meta.updated_by, ==, "other@test");
  g_assert_cmpstr (back->meta.created_by, ==, TEST_ACTOR);

  /* A tombstoned activity cannot be edited, and the message names what is missing. */
  g_assert_false (koers_activity_repository_update (db, a, TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "There is no activity with id "));
}

static void
test_skills (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersSkill) s = koers_skill_new ();
  g_autoptr(GPtrArray) list = NULL;
  KoersSkill *back;

  s->participant_id = g_strdup (pid);
  s->label = g_strdup ("Programmeren");
  s->isco_code = g_strdup ("512"); /* Excel ate the leading zero */
  g_assert_false (koers_skill_repository_insert (db, s, TEST_ACTOR, &error));
  expect_invalid (&error, "isco-code");
  g_free (s->isco_code);
  s->isco_code = g_strdup ("2512");
  s->nlqf_level = 4;
  s->competentnl_code = g_strdup ("CNL-1234");
  s->evidence = g_strdup ("Portfolio\nmet projecten");
  s->validated_by = g_strdup ("Werkcentrum");
  g_assert_true (koers_skill_repository_insert (db, s, TEST_ACTOR, &error));
  g_assert_no_error (error);

  list = koers_skill_repository_list (db, pid, &error);
  g_assert_cmpuint (list->len, ==, 1);
  back = g_ptr_array_index (list, 0);
  g_assert_cmpstr (back->isco_code, ==, "2512");
  g_assert_cmpstr (back->competentnl_code, ==, "CNL-1234");
  g_assert_cmpint (back->nlqf_level, ==, 4);
  g_assert_cmpstr (back->evidence, ==, "Portfolio\nmet projecten");
  g_assert_cmpstr (back->validated_by, ==, "Werkcentrum");
  g_clear_pointer (&list, g_ptr_array_unref);

  g_free (s->label);
  s->label = g_strdup ("");
  g_assert_false (koers_skill_repository_update (db, s, TEST_ACTOR, &error));
  expect_invalid (&error, "label");
  g_assert_true (koers_skill_repository_set_deleted (db, s->meta.id, TRUE, TEST_ACTOR, &error));
  list = koers_skill_repository_list (db, pid, &error);
  g_assert_cmpuint (list->len, ==, 0);
}

static void
test_consent (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autoptr(KoersConsent) c = koers_consent_new ();
  g_autoptr(KoersConsent) again = koers_consent_new ();
  g_autoptr(KoersConsent) current = NULL;
  g_autoptr(GPtrArray) list = NULL;

  c->participant_id = g_strdup (pid);
  c->scope = KOERS_CONSENT_SCOPE_PARTNERS;
  c->given_on = g_strdup ("2026-03-01");
  g_assert_true (koers_consent_repository_give (db, c, TEST_ACTOR, &error));
  g_assert_no_error (error);
  current = koers_consent_repository_current (db, pid, KOERS_CONSENT_SCOPE_PARTNERS, &error);
  g_assert_nonnull (current);
  g_assert_cmpstr (current->given_on, ==, "2026-03-01");
  g_clear_pointer (&current, koers_consent_free);
  current = koers_consent_repository_current (db, pid, KOERS_CONSENT_SCOPE_MONITORING, &error);
  g_assert_null (current);
  g_assert_no_error (error);

  again->participant_id = g_strdup (pid);
  again->scope = KOERS_CONSENT_SCOPE_PARTNERS;
  again->given_on = g_strdup ("2026-03-05");
  g_assert_false (koers_consent_repository_give (db, again, TEST_ACTOR, &error));
  expect_invalid (&error, "scope");

  g_assert_false (koers_consent_repository_withdraw (db, pid, KOERS_CONSENT_SCOPE_PARTNERS,
                                                     "2026-02-01", TEST_ACTOR, &error));
  expect_invalid (&error, "withdrawn-on");
  g_assert_true (koers_consent_repository_withdraw (db, pid, KOERS_CONSENT_SCOPE_PARTNERS,
                                                    "2026-04-01", TEST_ACTOR, &error));
  current = koers_consent_repository_current (db, pid, KOERS_CONSENT_SCOPE_PARTNERS, &error);
  g_assert_null (current);
  g_assert_false (koers_consent_repository_withdraw (db, pid, KOERS_CONSENT_SCOPE_PARTNERS,
                                                     "2026-04-02", TEST_ACTOR, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Given again after withdrawal: the history keeps both. */
  g_assert_true (koers_consent_repository_give (db, again, TEST_ACTOR, &error));
  list = koers_consent_repository_list (db, pid, &error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_cmpstr (((KoersConsent *) g_ptr_array_index (list, 0))->given_on, ==, "2026-03-05");
  g_assert_null (((KoersConsent *) g_ptr_array_index (list, 0))->withdrawn_on);
  g_assert_cmpstr (((KoersConsent *) g_ptr_array_index (list, 1))->withdrawn_on, ==,
                   "2026-04-01");
}

static void
test_organisations_and_coaches (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersOrganisation) org = koers_organisation_new ();
  g_autoptr(KoersCoach) coach = koers_coach_new ();
  g_autoptr(KoersCoach) back = NULL;
  g_autoptr(GPtrArray) coaches = NULL;
  g_autoptr(GHashTable) sizes = NULL;
  g_autofree char *p1 = NULL;
  g_autofree char *p2 = NULL;
  g_autofree char *p3 = NULL;
  const char *ids[3];

  org->name = g_strdup ("Werkcentrum Achterhoek");
  g_assert_true (koers_organisation_repository_insert (db, org, TEST_ACTOR, &error));
  coach->name = g_strdup ("Carla");
  coach->meta.organisation_id = g_strdup ("no-such-org");
  g_assert_false (koers_coach_repository_insert (db, coach, TEST_ACTOR, &error));
  expect_invalid (&error, "organisation-id");
  g_free (coach->meta.organisation_id);
  coach->meta.organisation_id = g_strdup (org->meta.id);
  g_assert_true (koers_coach_repository_insert (db, coach, TEST_ACTOR, &error));
  back = koers_coach_repository_get (db, coach->meta.id, &error);
  g_assert_cmpstr (back->name, ==, "Carla");
  g_assert_cmpstr (back->meta.organisation_id, ==, org->meta.id);
  coaches = koers_coach_repository_list (db, &error);
  g_assert_cmpuint (coaches->len, ==, 1);

  /* Caseload size counts open, not-deleted participants only. */
  p1 = storage_test_insert_participant (db, "Een");
  p2 = storage_test_insert_participant (db, "Twee");
  p3 = storage_test_insert_participant (db, "Drie");
  ids[0] = p1; ids[1] = p2; ids[2] = p3;
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(KoersParticipant) p = koers_participant_repository_get (db, ids[i], TEST_ACTOR,
                                                                        NULL, &error);
      koers_participant_set_coach_id (p, coach->meta.id);
      if (i == 1)
        koers_participant_set_status (p, KOERS_STATUS_DROPPED_OUT);
      g_assert_true (koers_participant_repository_update (db, p, TEST_ACTOR, &error));
      g_assert_no_error (error);
    }
  g_assert_true (koers_participant_repository_set_deleted (db, p3, TRUE, TEST_ACTOR, &error));
  sizes = koers_coach_repository_caseload_sizes (db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (sizes, coach->meta.id)), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/activities", test_activities);
  g_test_add_func ("/skills", test_skills);
  g_test_add_func ("/consent", test_consent);
  g_test_add_func ("/organisations-and-coaches", test_organisations_and_coaches);

  return g_test_run ();
}
