/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-kpi.h: the caseload KPIs of project line 1 (LLO-Portaal Onbenut Talent), computed from
 * facts, never stored. Definitions (shown as tooltips in the window):
 *
 *  - Guided per plan group: participants whose guidance started (first time their status became
 *    active) inside the plan's two-year window, counted once each, in the plan group of their
 *    target group. Targets 75 migrants / 75 distance to work / 50 re-skilling. A participant
 *    who later dropped out still counts: they were guided.
 *  - Flow-on rate: of participants whose trajectory ended (completed or dropped out) inside the
 *    window, the share with outcome work, education or work-learning place. Target 60%.
 *    Dropped-out participants are in the denominator. No ended trajectories: rate unknown.
 *  - Proeverijen: participants with at least one proeverij starting inside the window, counted
 *    once each however many they followed. Target 50.
 * Tombstoned participants never count.
 */
#pragma once

#include "core/koers-enums.h"

G_BEGIN_DECLS

/* The plan's window for line 1: two years from the start of 2026. */
#define KOERS_KPI_WINDOW_START "2026-01-01"
#define KOERS_KPI_WINDOW_END   "2027-12-31"

#define KOERS_KPI_TARGET_MIGRANTS   75
#define KOERS_KPI_TARGET_DISTANCE   75
#define KOERS_KPI_TARGET_RESKILLING 50
#define KOERS_KPI_TARGET_FLOW_ON_PERCENT 60
#define KOERS_KPI_TARGET_PROEVERIJEN 50

/* One participant's facts; dates ISO "YYYY-MM-DD" or NULL. Strings are borrowed. */
typedef struct {
  KoersTargetGroup target_group;
  KoersStatus      status;
  KoersOutcome     outcome;
  gboolean         deleted;
  const char      *guidance_started_on;   /* first time status became active */
  const char      *ended_on;              /* when status became completed or dropped_out */
  const char      *first_proeverij_on;    /* earliest proeverij start */
} KoersKpiFacts;

typedef struct {
  guint guided[KOERS_N_PLAN_GROUPS];
  guint ended;          /* denominator of the flow-on rate */
  guint flowed_on;      /* numerator */
  guint proeverijen;
} KoersKpiResult;

void koers_kpi_compute (const KoersKpiFacts *facts, guint n_facts, const char *window_start,
                        const char *window_end, KoersKpiResult *out_result);
int  koers_kpi_target_for_plan_group (KoersPlanGroup group);
/* Flow-on percentage rounded down, or -1 when no trajectory ended yet. */
int  koers_kpi_flow_on_percent (const KoersKpiResult *result);

G_END_DECLS
