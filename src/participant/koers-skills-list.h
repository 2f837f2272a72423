/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-skills-list.h: the participant's skills, with an add button and per-row actions. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define KOERS_TYPE_SKILLS_LIST (koers_skills_list_get_type ())
G_DECLARE_FINAL_TYPE (KoersSkillsList, koers_skills_list, KOERS, SKILLS_LIST, AdwBin)

GtkWidget *koers_skills_list_new (void);
/* @items: (element-type KoersSkill): shown in the given order; not kept. */
/* @conflicts: (nullable) (element-type KoersSyncConflict): the participant's open conflicts;
 * a skill with one gets a badge that leads to it. */
void       koers_skills_list_set_items (KoersSkillsList *self, GPtrArray *items,
                                        GPtrArray *conflicts);
guint      koers_skills_list_get_n_items (KoersSkillsList *self);

G_END_DECLS
