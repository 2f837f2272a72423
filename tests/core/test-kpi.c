/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-kpi.h"

static KoersKpiFacts
facts (KoersTargetGroup group, KoersStatus status, KoersOutcome outcome, const char *started,
       const char *ended, const char *proeverij)
{
  KoersKpiFacts f = { group, status, outcome, FALSE, started, ended, proeverij };

  return f;
}

static void
compute (const KoersKpiFacts *f, guint n, KoersKpiResult *result)
{
  koers_kpi_compute (f, n, KOERS_KPI_WINDOW_START, KOERS_KPI_WINDOW_END, result);
}

static void
test_guided_per_plan_group (void)
{
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE, 0, "2026-03-01", NULL, NULL),
    facts (KOERS_TARGET_GROUP_LABOUR_MIGRANT, KOERS_STATUS_ACTIVE, 0, "2026-04-01", NULL, NULL),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_AFTERCARE, 0, "2027-01-01", NULL, NULL),
    facts (KOERS_TARGET_GROUP_CAREER_SWITCHER, KOERS_STATUS_ACTIVE, 0, "2026-06-01", NULL, NULL),
    /* Registered or in intake: guidance has not started, not guided. */
    facts (KOERS_TARGET_GROUP_ASYLUM_SEEKER, KOERS_STATUS_INTAKE, 0, NULL, NULL, NULL),
  };
  KoersKpiResult r;

  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_MIGRANTS], ==, 2);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_DISTANCE], ==, 1);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_RESKILLING], ==, 1);
}

static void
test_window_inclusive (void)
{
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, 0, "2025-12-31", NULL, "2025-12-31"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, 0, "2026-01-01", NULL, "2026-01-01"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, 0, "2027-12-31", NULL, "2027-12-31"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, 0, "2028-01-01", NULL, "2028-01-01"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK, NULL,
           "2025-12-31", NULL),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK, NULL,
           "2026-01-01", NULL),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK, NULL,
           "2027-12-31", NULL),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK, NULL,
           "2028-01-01", NULL),
  };
  KoersKpiResult r;

  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_DISTANCE], ==, 2);
  g_assert_cmpuint (r.proeverijen, ==, 2);
  g_assert_cmpuint (r.ended, ==, 2);
  g_assert_cmpuint (r.flowed_on, ==, 2);
}

static void
test_flow_on_with_dropouts (void)
{
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK,
           "2026-02-01", "2026-09-01", NULL),
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_EDUCATION,
           "2026-02-01", "2026-09-01", NULL),
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_NONE,
           "2026-02-01", "2026-09-01", NULL),
    /* Dropped out after guidance started: guided, and in the denominator. */
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_DROPPED_OUT, KOERS_OUTCOME_UNKNOWN,
           "2026-02-01", "2026-05-01", NULL),
    /* Still active with a stale end date: not ended. */
    facts (KOERS_TARGET_GROUP_STATUSHOLDER, KOERS_STATUS_ACTIVE, KOERS_OUTCOME_UNKNOWN,
           "2026-02-01", "2026-05-01", NULL),
  };
  KoersKpiResult r;

  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_MIGRANTS], ==, 5);
  g_assert_cmpuint (r.ended, ==, 4);
  g_assert_cmpuint (r.flowed_on, ==, 2);
  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, 50);
}

static void
test_flow_on_rounds_down (void)
{
  KoersKpiResult r = { { 0 }, 3, 2, 0 };

  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, 66);
}

static void
test_deleted_excluded (void)
{
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_WORKER_RESKILLING, KOERS_STATUS_COMPLETED, KOERS_OUTCOME_WORK,
           "2026-02-01", "2026-09-01", "2026-01-15"),
  };
  KoersKpiResult r;

  f[0].deleted = TRUE;
  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_RESKILLING], ==, 0);
  g_assert_cmpuint (r.ended, ==, 0);
  g_assert_cmpuint (r.proeverijen, ==, 0);
  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, -1);

  f[0].deleted = FALSE;
  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_RESKILLING], ==, 1);
  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, 100);
}

static void
test_no_ended_is_unknown (void)
{
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_ACTIVE, 0, "2026-02-01", NULL, NULL),
  };
  KoersKpiResult r;

  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, -1);
  compute (NULL, 0, &r);
  g_assert_cmpint (koers_kpi_flow_on_percent (&r), ==, -1);
  g_assert_cmpuint (r.guided[KOERS_PLAN_GROUP_MIGRANTS], ==, 0);
}

static void
test_proeverij_once_per_participant (void)
{
  /* Each entry is one participant; the repository reduces their proeverijen to the first. A
   * participant whose first proeverij lies before the window does not count, even if they
   * followed another one inside it: the KPI counts residents reached, not sessions. */
  KoersKpiFacts f[] = {
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED, 0, NULL, NULL, "2026-05-01"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED, 0, NULL, NULL, "2026-06-01"),
    facts (KOERS_TARGET_GROUP_NUG, KOERS_STATUS_REGISTERED, 0, NULL, NULL, NULL),
  };
  KoersKpiResult r;

  compute (f, G_N_ELEMENTS (f), &r);
  g_assert_cmpuint (r.proeverijen, ==, 2);
}

static void
test_targets (void)
{
  g_assert_cmpint (koers_kpi_target_for_plan_group (KOERS_PLAN_GROUP_MIGRANTS), ==, 75);
  g_assert_cmpint (koers_kpi_target_for_plan_group (KOERS_PLAN_GROUP_DISTANCE), ==, 75);
  g_assert_cmpint (koers_kpi_target_for_plan_group (KOERS_PLAN_GROUP_RESKILLING), ==, 50);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kpi/guided", test_guided_per_plan_group);
  g_test_add_func ("/kpi/window-inclusive", test_window_inclusive);
  g_test_add_func ("/kpi/flow-on/dropouts", test_flow_on_with_dropouts);
  g_test_add_func ("/kpi/flow-on/rounds-down", test_flow_on_rounds_down);
  g_test_add_func ("/kpi/deleted", test_deleted_excluded);
  g_test_add_func ("/kpi/flow-on/unknown", test_no_ended_is_unknown);
  g_test_add_func ("/kpi/proeverij", test_proeverij_once_per_participant);
  g_test_add_func ("/kpi/targets", test_targets);

  return g_test_run ();
}
