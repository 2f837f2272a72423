/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-demo-content.h: what demo participants do, in the words coaches write it: Dutch
 * contact notes, next actions, proeverijen, trainings, work-learning places, credentials and
 * skills. The texts are data, not user interface, so they are not translated: a Dutch coach's
 * notes stay Dutch whatever language the window speaks.
 */
#pragma once

#include <glib.h>

#include "core/koers-enums.h"

G_BEGIN_DECLS

/* Organisations named as partners in the plan that employ coaches or hold caseloads. */
#define KOERS_DEMO_N_ORGANISATIONS 6
const char *koers_demo_organisation_name (guint index);

/* A note body fitting @status (what a coach writes at that point in the trajectory), with
 * @sector's Dutch word and an employer filled in. (transfer full) */
char *koers_demo_note_text (GRand *rand, KoersStatus status, KoersSector sector);
/* The next action for an open case, e.g. "CV bijwerken". (transfer none) */
const char *koers_demo_next_action (GRand *rand, KoersStatus status);
/* Interests (transfer none) and ambitions (transfer full) as the coach noted them. */
const char *koers_demo_interest (KoersSector sector);
char       *koers_demo_ambition (GRand *rand, KoersSector sector);

/* A made-up employer in @sector somewhere in the Achterhoek. (transfer none) */
const char *koers_demo_employer (GRand *rand, KoersSector sector);

typedef struct {
  const char *title;
  const char *provider;
} KoersDemoTraining;
const KoersDemoTraining *koers_demo_training (GRand *rand, KoersSector sector);

typedef struct {
  KoersActivityKind kind;   /* certificate, praktijkverklaring or microcredential */
  const char       *title;
  const char       *provider;
  int               nlqf_level; /* 0 = not known */
} KoersDemoCredential;
const KoersDemoCredential *koers_demo_credential (GRand *rand, KoersSector sector);

typedef struct {
  const char *label;
  const char *isco_code;        /* 4 digits or NULL */
  int         nlqf_level;
  const char *evidence;
} KoersDemoSkill;
const KoersDemoSkill *koers_demo_skill (GRand *rand, KoersSector sector);

G_END_DECLS
