/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-enums.h: the closed vocabularies of the programme.
 *
 * Every enum has a stable identifier (what SQLite and the regional API store, never translated)
 * and a translated label for the window. Identifiers are English snake_case; the Dutch programme
 * words live in the labels and in HACKING.md's glossary.
 *
 * The vocabularies are stored in every database, not only their identifiers: the participant
 * table's CHECK lists, and status_rank and target_group_rank, which give an identifier its enum
 * value (koers-migrations-placeholders.c) and which the caseload sorts by and filters on
 * (koers-participant-query.c). A new value therefore needs a migration that rebuilds the
 * participant table (as migration 6 does) and goes at the end of its enum; reordering would
 * change what the ranks already stored mean.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Trajectory status. The workflow is registered -> intake -> active -> aftercare ->
 * completed | dropped_out; see koers_status_can_transition(). */
typedef enum {
  KOERS_STATUS_REGISTERED,
  KOERS_STATUS_INTAKE,
  KOERS_STATUS_ACTIVE,
  KOERS_STATUS_AFTERCARE,
  KOERS_STATUS_COMPLETED,
  KOERS_STATUS_DROPPED_OUT,
  KOERS_N_STATUSES
} KoersStatus;

/* The plan's target groups (plan-facts.md, "Who and where") that a coach's caseload holds. */
typedef enum {
  KOERS_TARGET_GROUP_STATUSHOLDER,      /* statushouder */
  KOERS_TARGET_GROUP_ASYLUM_SEEKER,
  KOERS_TARGET_GROUP_LABOUR_MIGRANT,
  KOERS_TARGET_GROUP_NUG,               /* niet-uitkeringsgerechtigde */
  KOERS_TARGET_GROUP_JOBSEEKER_DISTANCE, /* afstand tot de arbeidsmarkt */
  KOERS_TARGET_GROUP_LOW_BASIC_SKILLS,  /* laaggeletterd / low numeracy / low digital */
  KOERS_TARGET_GROUP_WORKER_RESKILLING, /* werkende die wil omscholen / onder niveau werkt */
  KOERS_TARGET_GROUP_CAREER_SWITCHER,   /* zij-instromer */
  KOERS_N_TARGET_GROUPS
} KoersTargetGroup;

/* Project line 1 counts participants in three plan groups: 75 migrants, 75 jobseekers at a
 * distance from work, 50 workers re-skilling. Every target group falls in exactly one. */
typedef enum {
  KOERS_PLAN_GROUP_MIGRANTS,
  KOERS_PLAN_GROUP_DISTANCE,
  KOERS_PLAN_GROUP_RESKILLING,
  KOERS_N_PLAN_GROUPS
} KoersPlanGroup;

/* The eight municipalities of the Achterhoek labour-market region. */
typedef enum {
  KOERS_MUNICIPALITY_AALTEN,
  KOERS_MUNICIPALITY_BERKELLAND,
  KOERS_MUNICIPALITY_BRONCKHORST,
  KOERS_MUNICIPALITY_DOETINCHEM,
  KOERS_MUNICIPALITY_MONTFERLAND,
  KOERS_MUNICIPALITY_OOST_GELRE,
  KOERS_MUNICIPALITY_OUDE_IJSSELSTREEK,
  KOERS_MUNICIPALITY_WINTERSWIJK,
  KOERS_N_MUNICIPALITIES
} KoersMunicipality;

/* Where a trajectory led. NONE is a recorded outcome ("no flow-on"), distinct from "not yet
 * known", which is KOERS_OUTCOME_UNKNOWN. */
typedef enum {
  KOERS_OUTCOME_UNKNOWN,
  KOERS_OUTCOME_WORK,
  KOERS_OUTCOME_EDUCATION,
  KOERS_OUTCOME_WORK_LEARNING, /* werkleerplek */
  KOERS_OUTCOME_NONE,
  KOERS_N_OUTCOMES
} KoersOutcome;

typedef enum {
  KOERS_ACTIVITY_PROEVERIJ,            /* orientation in an opportunity sector */
  KOERS_ACTIVITY_TRAINING,
  KOERS_ACTIVITY_WORK_LEARNING_PLACE,  /* werkleerplek */
  KOERS_ACTIVITY_CERTIFICATE,
  KOERS_ACTIVITY_PRAKTIJKVERKLARING,
  KOERS_ACTIVITY_MICROCREDENTIAL,
  KOERS_N_ACTIVITY_KINDS
} KoersActivityKind;

/* The plan's opportunity sectors (kansrijke sectoren). */
typedef enum {
  KOERS_SECTOR_TECHNIEK,
  KOERS_SECTOR_ZORG,
  KOERS_SECTOR_LOGISTIEK,
  KOERS_SECTOR_ICT,
  KOERS_SECTOR_DIENSTVERLENING,
  KOERS_SECTOR_CREATIEF,
  KOERS_SECTOR_GROEN,
  KOERS_N_SECTORS
} KoersSector;

/* CEFR level of Dutch. A0 means no Dutch yet. */
typedef enum {
  KOERS_CEFR_UNKNOWN,
  KOERS_CEFR_A0,
  KOERS_CEFR_A1,
  KOERS_CEFR_A2,
  KOERS_CEFR_B1,
  KOERS_CEFR_B2,
  KOERS_CEFR_C1,
  KOERS_CEFR_C2,
  KOERS_N_CEFR_LEVELS
} KoersCefrLevel;

/* What a participant consented to share, and with whom. */
typedef enum {
  KOERS_CONSENT_SCOPE_PROGRAMME,   /* processing within the LLO programme */
  KOERS_CONSENT_SCOPE_PARTNERS,    /* sharing with partner organisations (schools, employers) */
  KOERS_CONSENT_SCOPE_MONITORING,  /* anonymised monitoring by Datalab GO */
  KOERS_N_CONSENT_SCOPES
} KoersConsentScope;

typedef enum {
  KOERS_NOTE_KIND_CONVERSATION,
  KOERS_NOTE_KIND_PHONE,
  KOERS_NOTE_KIND_EMAIL,
  KOERS_NOTE_KIND_HOME_VISIT,
  KOERS_NOTE_KIND_OTHER,
  KOERS_N_NOTE_KINDS
} KoersNoteKind;

/* The programme's seven project lines; 0 means "not assigned". */
#define KOERS_N_PROJECT_LINES 7

/* Each vocabulary has _to_id (stable, never NULL for a valid value), _from_id (FALSE for an
 * unknown identifier) and _label (translated, for display). */
#define KOERS_DECLARE_VOCABULARY(Name, name) \
  const char *koers_##name##_to_id (Name value); \
  gboolean    koers_##name##_from_id (const char *id, Name *out_value); \
  const char *koers_##name##_label (Name value);

KOERS_DECLARE_VOCABULARY (KoersStatus, status)
KOERS_DECLARE_VOCABULARY (KoersTargetGroup, target_group)
KOERS_DECLARE_VOCABULARY (KoersPlanGroup, plan_group)
KOERS_DECLARE_VOCABULARY (KoersMunicipality, municipality)
KOERS_DECLARE_VOCABULARY (KoersOutcome, outcome)
KOERS_DECLARE_VOCABULARY (KoersActivityKind, activity_kind)
KOERS_DECLARE_VOCABULARY (KoersSector, sector)
KOERS_DECLARE_VOCABULARY (KoersCefrLevel, cefr_level)
KOERS_DECLARE_VOCABULARY (KoersConsentScope, consent_scope)
KOERS_DECLARE_VOCABULARY (KoersNoteKind, note_kind)

const char    *koers_project_line_label (int project_line);
KoersPlanGroup koers_target_group_plan_group (KoersTargetGroup group);
/* TRUE for outcomes the plan counts as flow-on (work, education, work-learning place). */
gboolean       koers_outcome_is_flow_on (KoersOutcome outcome);
/* Activities that are a credential and may carry an NLQF level. */
gboolean       koers_activity_kind_is_credential (KoersActivityKind kind);

G_END_DECLS
