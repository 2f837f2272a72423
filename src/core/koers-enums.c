/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "core/koers-enums.h"

typedef struct {
  const char *id;     /* stable: stored in SQLite and sent to the regional API */
  const char *label;  /* msgid, translated at display time */
} VocabularyEntry;

/* Looks up and labels one vocabulary. @translate is FALSE for proper nouns. */
#define KOERS_DEFINE_VOCABULARY(Name, name, table, n_values, translate) \
  G_STATIC_ASSERT (G_N_ELEMENTS (table) == (n_values)); \
  const char * \
  koers_##name##_to_id (Name value) \
  { \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (table), NULL); \
    return table[value].id; \
  } \
  gboolean \
  koers_##name##_from_id (const char *id, Name *out_value) \
  { \
    if (id == NULL) \
      return FALSE; \
    for (guint i = 0; i < G_N_ELEMENTS (table); i++) \
      if (g_str_equal (table[i].id, id)) \
        { \
          if (out_value != NULL) \
            *out_value = (Name) i; \
          return TRUE; \
        } \
    return FALSE; \
  } \
  const char * \
  koers_##name##_label (Name value) \
  { \
    g_return_val_if_fail ((guint) value < G_N_ELEMENTS (table), ""); \
    return (translate) ? _(table[value].label) : table[value].label; \
  }

static const VocabularyEntry statuses[] = {
  { "registered", N_("Registered") },
  { "intake", N_("Intake") },
  { "active", N_("Active") },
  { "aftercare", N_("Aftercare") },
  { "completed", N_("Completed") },
  { "dropped_out", N_("Dropped out") },
};
KOERS_DEFINE_VOCABULARY (KoersStatus, status, statuses, KOERS_N_STATUSES, TRUE)

static const VocabularyEntry target_groups[] = {
  { "statusholder", N_("Status holder") },
  { "asylum_seeker", N_("Asylum seeker") },
  { "labour_migrant", N_("Labour migrant") },
  { "nug", N_("Not entitled to benefits (NUG)") },
  { "jobseeker_distance", N_("Jobseeker at a distance from work") },
  { "low_basic_skills", N_("Low language, numeracy or digital skills") },
  { "worker_reskilling", N_("Worker re-skilling") },
  { "career_switcher", N_("Career switcher") },
};
KOERS_DEFINE_VOCABULARY (KoersTargetGroup, target_group, target_groups, KOERS_N_TARGET_GROUPS,
                         TRUE)

static const VocabularyEntry plan_groups[] = {
  { "migrants", N_("Migrants") },
  { "distance", N_("Distance to work") },
  { "reskilling", N_("Re-skilling") },
};
KOERS_DEFINE_VOCABULARY (KoersPlanGroup, plan_group, plan_groups, KOERS_N_PLAN_GROUPS, TRUE)

/* Proper nouns: the same in every language. */
static const VocabularyEntry municipalities[] = {
  { "aalten", "Aalten" },
  { "berkelland", "Berkelland" },
  { "bronckhorst", "Bronckhorst" },
  { "doetinchem", "Doetinchem" },
  { "montferland", "Montferland" },
  { "oost_gelre", "Oost Gelre" },
  { "oude_ijsselstreek", "Oude IJsselstreek" },
  { "winterswijk", "Winterswijk" },
};
KOERS_DEFINE_VOCABULARY (KoersMunicipality, municipality, municipalities, KOERS_N_MUNICIPALITIES,
                         FALSE)

static const VocabularyEntry outcomes[] = {
  { "unknown", N_("Not known yet") },
  { "work", N_("Work") },
  { "education", N_("Education") },
  { "work_learning", N_("Work-learning place") },
  { "none", N_("No flow-on") },
};
KOERS_DEFINE_VOCABULARY (KoersOutcome, outcome, outcomes, KOERS_N_OUTCOMES, TRUE)

static const VocabularyEntry activity_kinds[] = {
  { "proeverij", N_("Orientation (proeverij)") },
  { "training", N_("Training") },
  { "work_learning_place", N_("Work-learning place") },
  { "certificate", N_("Certificate") },
  { "praktijkverklaring", N_("Practical-skills statement (praktijkverklaring)") },
  { "microcredential", N_("Microcredential") },
};
KOERS_DEFINE_VOCABULARY (KoersActivityKind, activity_kind, activity_kinds, KOERS_N_ACTIVITY_KINDS,
                         TRUE)

static const VocabularyEntry sectors[] = {
  { "techniek", N_("Engineering and technology") },
  { "zorg", N_("Care") },
  { "logistiek", N_("Logistics") },
  { "ict", N_("ICT") },
  { "dienstverlening", N_("Services") },
  { "creatief", N_("Creative professions") },
  { "groen", N_("Green professions") },
};
KOERS_DEFINE_VOCABULARY (KoersSector, sector, sectors, KOERS_N_SECTORS, TRUE)

static const VocabularyEntry cefr_levels[] = {
  { "unknown", N_("Not known") },
  { "a0", N_("A0 (no Dutch yet)") },
  { "a1", N_("A1") },
  { "a2", N_("A2") },
  { "b1", N_("B1") },
  { "b2", N_("B2") },
  { "c1", N_("C1") },
  { "c2", N_("C2") },
};
KOERS_DEFINE_VOCABULARY (KoersCefrLevel, cefr_level, cefr_levels, KOERS_N_CEFR_LEVELS, TRUE)

static const VocabularyEntry consent_scopes[] = {
  { "programme", N_("Processing within the programme") },
  { "partners", N_("Sharing with partner organisations") },
  { "monitoring", N_("Anonymised monitoring by Datalab GO") },
};
KOERS_DEFINE_VOCABULARY (KoersConsentScope, consent_scope, consent_scopes,
                         KOERS_N_CONSENT_SCOPES, TRUE)

static const VocabularyEntry note_kinds[] = {
  { "conversation", N_("Conversation") },
  { "phone", N_("Phone call") },
  { "email", N_("E-mail") },
  { "home_visit", N_("Home visit") },
  { "other", N_("Other") },
};
KOERS_DEFINE_VOCABULARY (KoersNoteKind, note_kind, note_kinds, KOERS_N_NOTE_KINDS, TRUE)

/* The plan's names of its project lines are proper names, shown untranslated. */
static const char * const project_lines[KOERS_N_PROJECT_LINES] = {
  "LLO-Portaal Onbenut Talent",
  "Digitaal Vaardig Achterhoek",
  "Vaardig in Werk Achterhoek",
  "Achterhoekse Beroepenradar",
  "Leren van en met elkaar",
  "Leidinggeven aan Groei",
  "Wereld van Werk: van klas tot carrière",
};

/**
 * koers_project_line_label:
 * @project_line: 0 (none) or 1..7
 *
 * Returns: (transfer none): the plan's name of the line, or "No project line".
 */
const char *
koers_project_line_label (int project_line)
{
  g_return_val_if_fail (project_line >= 0 && project_line <= KOERS_N_PROJECT_LINES, "");
  if (project_line == 0)
    return _("No project line");
  return project_lines[project_line - 1];
}

/**
 * koers_target_group_plan_group:
 * @group: a target group
 *
 * The plan group a participant counts in for project line 1's "guided" KPI (75 migrants /
 * 75 distance to work / 50 re-skilling). This mapping defines that KPI:
 *  - migrants: statushouders, asylum seekers, labour migrants (the plan names these three);
 *  - distance to work: NUG'ers, jobseekers at a distance from the labour market, and people with
 *    low language, numeracy or digital skills (their skills gap is their distance to work);
 *  - re-skilling: workers who want to re-skill or work below their level, and career switchers
 *    (zij-instromers), who are in work and move to an opportunity sector.
 *
 * Returns: the plan group.
 */
KoersPlanGroup
koers_target_group_plan_group (KoersTargetGroup group)
{
  g_return_val_if_fail ((guint) group < KOERS_N_TARGET_GROUPS, KOERS_PLAN_GROUP_DISTANCE);

  switch (group)
    {
    case KOERS_TARGET_GROUP_STATUSHOLDER:
    case KOERS_TARGET_GROUP_ASYLUM_SEEKER:
    case KOERS_TARGET_GROUP_LABOUR_MIGRANT:
      return KOERS_PLAN_GROUP_MIGRANTS;
    case KOERS_TARGET_GROUP_NUG:
    case KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE:
    case KOERS_TARGET_GROUP_LOW_BASIC_SKILLS:
      return KOERS_PLAN_GROUP_DISTANCE;
    case KOERS_TARGET_GROUP_WORKER_RESKILLING:
    case KOERS_TARGET_GROUP_CAREER_SWITCHER:
      return KOERS_PLAN_GROUP_RESKILLING;
    case KOERS_N_TARGET_GROUPS:
    default:
      g_assert_not_reached ();
    }
}

/* The plan's 60% target counts flow-on to work, education or a work-learning place; "no
 * flow-on" is a recorded outcome that counts against it. */
gboolean
koers_outcome_is_flow_on (KoersOutcome outcome)
{
  return outcome == KOERS_OUTCOME_WORK || outcome == KOERS_OUTCOME_EDUCATION
         || outcome == KOERS_OUTCOME_WORK_LEARNING;
}

/* Only certificates, praktijkverklaringen and microcredentials carry an NLQF level (line 3's
 * skills passport); a proeverij, a training or a work-learning place is not a credential. */
gboolean
koers_activity_kind_is_credential (KoersActivityKind kind)
{
  return kind == KOERS_ACTIVITY_CERTIFICATE || kind == KOERS_ACTIVITY_PRAKTIJKVERKLARING
         || kind == KOERS_ACTIVITY_MICROCREDENTIAL;
}
