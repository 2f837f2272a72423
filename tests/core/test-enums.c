/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-enums.h"

/* Every identifier round-trips, is unique within its vocabulary, and has a label. */
#define CHECK_VOCABULARY(Name, name, n) \
  G_STMT_START \
  { \
    g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal); \
    for (guint v = 0; v < (n); v++) \
      { \
        const char *id = koers_##name##_to_id ((Name) v); \
        Name back = (Name) 0; \
        g_assert_nonnull (id); \
        g_assert_true (koers_##name##_from_id (id, &back)); \
        g_assert_cmpint (back, ==, v); \
        g_assert_true (g_hash_table_add (seen, (gpointer) id)); \
        g_assert_cmpstr (koers_##name##_label ((Name) v), !=, ""); \
      } \
    g_assert_false (koers_##name##_from_id ("no_such_value", NULL)); \
    g_assert_false (koers_##name##_from_id ("", NULL)); \
    g_assert_false (koers_##name##_from_id (NULL, NULL)); \
  } \
  G_STMT_END

static void
test_round_trip (void)
{
  CHECK_VOCABULARY (KoersStatus, status, KOERS_N_STATUSES);
  CHECK_VOCABULARY (KoersTargetGroup, target_group, KOERS_N_TARGET_GROUPS);
  CHECK_VOCABULARY (KoersPlanGroup, plan_group, KOERS_N_PLAN_GROUPS);
  CHECK_VOCABULARY (KoersMunicipality, municipality, KOERS_N_MUNICIPALITIES);
  CHECK_VOCABULARY (KoersOutcome, outcome, KOERS_N_OUTCOMES);
  CHECK_VOCABULARY (KoersActivityKind, activity_kind, KOERS_N_ACTIVITY_KINDS);
  CHECK_VOCABULARY (KoersSector, sector, KOERS_N_SECTORS);
  CHECK_VOCABULARY (KoersCefrLevel, cefr_level, KOERS_N_CEFR_LEVELS);
  CHECK_VOCABULARY (KoersConsentScope, consent_scope, KOERS_N_CONSENT_SCOPES);
  CHECK_VOCABULARY (KoersNoteKind, note_kind, KOERS_N_NOTE_KINDS);
}

static void
test_stored_identifiers (void)
{
  KoersStatus status;

  /* These strings are in SQLite files and the regional API; changing one breaks both. */
  g_assert_cmpstr (koers_status_to_id (KOERS_STATUS_DROPPED_OUT), ==, "dropped_out");
  g_assert_cmpstr (koers_municipality_to_id (KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK), ==,
                   "oude_ijsselstreek");
  g_assert_cmpstr (koers_municipality_label (KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK), ==,
                   "Oude IJsselstreek");
  g_assert_false (koers_status_from_id ("Active", &status)); /* ids are case-sensitive */
}

static void
test_plan_groups (void)
{
  guint per_group[KOERS_N_PLAN_GROUPS] = { 0 };

  for (guint g = 0; g < KOERS_N_TARGET_GROUPS; g++)
    {
      KoersPlanGroup plan = koers_target_group_plan_group ((KoersTargetGroup) g);

      g_assert_cmpuint (plan, <, KOERS_N_PLAN_GROUPS);
      per_group[plan]++;
    }
  for (guint p = 0; p < KOERS_N_PLAN_GROUPS; p++)
    g_assert_cmpuint (per_group[p], >, 0);

  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_STATUSHOLDER), ==,
                   KOERS_PLAN_GROUP_MIGRANTS);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_ASYLUM_SEEKER), ==,
                   KOERS_PLAN_GROUP_MIGRANTS);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_LABOUR_MIGRANT), ==,
                   KOERS_PLAN_GROUP_MIGRANTS);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_NUG), ==,
                   KOERS_PLAN_GROUP_DISTANCE);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE), ==,
                   KOERS_PLAN_GROUP_DISTANCE);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_LOW_BASIC_SKILLS), ==,
                   KOERS_PLAN_GROUP_DISTANCE);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_WORKER_RESKILLING), ==,
                   KOERS_PLAN_GROUP_RESKILLING);
  g_assert_cmpint (koers_target_group_plan_group (KOERS_TARGET_GROUP_CAREER_SWITCHER), ==,
                   KOERS_PLAN_GROUP_RESKILLING);
}

static void
test_project_lines_and_predicates (void)
{
  g_assert_cmpstr (koers_project_line_label (0), ==, "No project line");
  g_assert_cmpstr (koers_project_line_label (1), ==, "LLO-Portaal Onbenut Talent");
  g_assert_cmpstr (koers_project_line_label (7), ==, "Wereld van Werk: van klas tot carrière");

  g_assert_false (koers_outcome_is_flow_on (KOERS_OUTCOME_UNKNOWN));
  g_assert_true (koers_outcome_is_flow_on (KOERS_OUTCOME_WORK));
  g_assert_true (koers_outcome_is_flow_on (KOERS_OUTCOME_EDUCATION));
  g_assert_true (koers_outcome_is_flow_on (KOERS_OUTCOME_WORK_LEARNING));
  g_assert_false (koers_outcome_is_flow_on (KOERS_OUTCOME_NONE));

  g_assert_false (koers_activity_kind_is_credential (KOERS_ACTIVITY_PROEVERIJ));
  g_assert_true (koers_activity_kind_is_credential (KOERS_ACTIVITY_MICROCREDENTIAL));
  g_assert_true (koers_activity_kind_is_credential (KOERS_ACTIVITY_PRAKTIJKVERKLARING));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/enums/round-trip", test_round_trip);
  g_test_add_func ("/enums/stored-identifiers", test_stored_identifiers);
  g_test_add_func ("/enums/plan-groups", test_plan_groups);
  g_test_add_func ("/enums/project-lines", test_project_lines_and_predicates);

  return g_test_run ();
}
