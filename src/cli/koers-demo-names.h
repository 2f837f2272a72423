/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-demo-names.h: made-up but realistic people for demo data. The mix follows who the
 * plan's target groups are in the Achterhoek: long-time residents, Syrian and Eritrean
 * statushouders, Ukrainian refugees, labour migrants from Poland, Romania and Portugal.
 * Names are written the way the people write them (Arabic, Ge'ez and Cyrillic script for
 * part of them) because the window, search and exports must cope with exactly that.
 */
#pragma once

#include <glib.h>

#include "core/koers-enums.h"

G_BEGIN_DECLS

typedef struct {
  char       *name;               /* as written, NFC */
  char       *preferred_name;     /* or NULL */
  char       *ascii;              /* "firstname.lastname", for a made-up e-mail address */
  const char *languages;          /* as the person would list them */
  const char *preferred_language; /* BCP 47 tag */
  gboolean    non_latin;          /* written in Arabic, Ge'ez or Cyrillic script */
} KoersDemoPerson;

void koers_demo_person_clear (KoersDemoPerson *person);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KoersDemoPerson, koers_demo_person_clear)

/* Draws a target group with the weights of the plan's three groups (75/75/50). */
KoersTargetGroup koers_demo_pick_target_group (GRand *rand);
/* Draws a person plausible for @group; every choice comes from @rand. */
void             koers_demo_make_person (GRand *rand, KoersTargetGroup group,
                                         KoersDemoPerson *out_person);
/* The municipality at @position (0 .. 2^32-1) of the population-weighted scale (Doetinchem
 * biggest). Callers step @position by the golden ratio, so even a small demo has each
 * municipality in proportion instead of whatever a few random draws give. */
KoersMunicipality koers_demo_pick_municipality (guint32 position);

/* Coaches: Dutch names; @index 0..KOERS_DEMO_MAX_COACHES-1. (transfer none) */
#define KOERS_DEMO_MAX_COACHES 12
const char *koers_demo_coach_name (guint index);

/* Index into a table of @n weights (any positive scale) drawn from @rand. */
guint koers_demo_pick_weighted (GRand *rand, const guint *weights, guint n);

G_END_DECLS
