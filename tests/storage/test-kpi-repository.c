/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-activity-repository.h"
#include "storage/koers-kpi-repository.h"
#include "storage/koers-participant-repository.h"

#include "storage-test-util.h"

static KoersParticipant *
enrol (KoersDatabase *db, const char *name, KoersTargetGroup group, const char *registered_on)
{
  g_autoptr(GError) error = NULL;
  KoersParticipant *p = storage_test_participant (name);

  koers_participant_set_target_group (p, group);
  koers_participant_set_registered_on (p, registered_on);
  g_assert_true (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
  return p;
}

static void
move (KoersDatabase *db, KoersParticipant *p, KoersStatus status, const char *on)
{
  g_autoptr(GError) error = NULL;

  koers_participant_set_status (p, status);
  g_assert_true (koers_participant_repository_update_full (db, p, on, TEST_ACTOR, &error));
  g_assert_no_error (error);
}

static void
proeverij (KoersDatabase *db, KoersParticipant *p, const char *on)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersActivity) a = koers_activity_new ();

  a->participant_id = g_strdup (koers_participant_get_id (p));
  a->kind = KOERS_ACTIVITY_PROEVERIJ;
  a->sector = KOERS_SECTOR_TECHNIEK;
  a->title = g_strdup ("Techniekdag");
  a->started_on = g_strdup (on);
  g_assert_true (koers_activity_repository_insert (db, a, TEST_ACTOR, &error));
  g_assert_no_error (error);
}

static void
test_facts (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersParticipant) a = NULL;
  g_autoptr(KoersParticipant) b = NULL;
  g_autoptr(KoersParticipant) c = NULL;
  g_autoptr(KoersParticipant) d = NULL;
  g_autoptr(GArray) facts = NULL;
  GStringChunk *strings = g_string_chunk_new (256);
  KoersKpiResult result = { 0 };
  const KoersKpiFacts *f;

  /* a: migrant, active in March 2026, completed with work in December. */
  a = enrol (db, "Amina", KOERS_TARGET_GROUP_STATUSHOLDER, "2026-01-10");
  move (db, a, KOERS_STATUS_INTAKE, "2026-02-01");
  move (db, a, KOERS_STATUS_ACTIVE, "2026-03-01");
  koers_participant_set_outcome (a, KOERS_OUTCOME_WORK);
  koers_participant_set_outcome_date (a, "2026-12-01");
  move (db, a, KOERS_STATUS_COMPLETED, "2026-12-01");
  proeverij (db, a, "2025-11-01"); /* before the window: does not count */
  proeverij (db, a, "2026-04-01");
  proeverij (db, a, "2026-02-01");

  /* b: re-skilling worker, active, then dropped out (counts as guided, ended without flow). */
  b = enrol (db, "Bert", KOERS_TARGET_GROUP_WORKER_RESKILLING, "2026-01-10");
  move (db, b, KOERS_STATUS_INTAKE, "2026-01-20");
  move (db, b, KOERS_STATUS_ACTIVE, "2026-02-15");
  move (db, b, KOERS_STATUS_DROPPED_OUT, "2026-05-01");

  /* c: distance to work, still in intake; one proeverij. */
  c = enrol (db, "Cees", KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE, "2026-01-10");
  move (db, c, KOERS_STATUS_INTAKE, "2026-01-11");
  proeverij (db, c, "2026-06-01");

  /* d: active but tombstoned: never counts. */
  d = enrol (db, "Dirk", KOERS_TARGET_GROUP_STATUSHOLDER, "2026-01-10");
  move (db, d, KOERS_STATUS_INTAKE, "2026-01-11");
  move (db, d, KOERS_STATUS_ACTIVE, "2026-01-12");
  g_assert_true (koers_participant_repository_set_deleted (db, koers_participant_get_id (d),
                                                           TRUE, TEST_ACTOR, &error));

  facts = koers_kpi_repository_load_facts (db, KOERS_KPI_WINDOW_START, strings, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (facts->len, ==, 4);
  f = &g_array_index (facts, KoersKpiFacts, 0);
  g_assert_cmpstr (f->guidance_started_on, ==, "2026-03-01");
  g_assert_cmpstr (f->ended_on, ==, "2026-12-01");
  g_assert_cmpstr (f->first_proeverij_on, ==, "2026-02-01");
  g_assert_cmpint (f->outcome, ==, KOERS_OUTCOME_WORK);
  g_assert_cmpint (f->status, ==, KOERS_STATUS_COMPLETED);
  f = &g_array_index (facts, KoersKpiFacts, 1);
  g_assert_cmpstr (f->guidance_started_on, ==, "2026-02-15");
  g_assert_cmpstr (f->ended_on, ==, "2026-05-01");
  g_assert_null (f->first_proeverij_on);
  f = &g_array_index (facts, KoersKpiFacts, 2);
  g_assert_null (f->guidance_started_on);
  g_assert_null (f->ended_on);
  g_assert_cmpstr (f->first_proeverij_on, ==, "2026-06-01");
  f = &g_array_index (facts, KoersKpiFacts, 3);
  g_assert_true (f->deleted);
  g_assert_cmpint (f->target_group, ==, KOERS_TARGET_GROUP_STATUSHOLDER);

  g_assert_true (koers_kpi_repository_compute (db, KOERS_KPI_WINDOW_START, KOERS_KPI_WINDOW_END,
                                               &result, &error));
  g_assert_cmpuint (result.guided[KOERS_PLAN_GROUP_MIGRANTS], ==, 1);
  g_assert_cmpuint (result.guided[KOERS_PLAN_GROUP_RESKILLING], ==, 1);
  g_assert_cmpuint (result.guided[KOERS_PLAN_GROUP_DISTANCE], ==, 0);
  g_assert_cmpuint (result.ended, ==, 2);
  g_assert_cmpuint (result.flowed_on, ==, 1);
  g_assert_cmpuint (result.proeverijen, ==, 2);
  g_string_chunk_free (strings);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-12-15", TRUE);

  g_test_add_func ("/kpi-repository/facts", test_facts);

  return g_test_run ();
}
