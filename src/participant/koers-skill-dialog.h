/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-skill-dialog.h: adds or edits a skill for the skills passport: the participant's own
 * words, optional CompetentNL / ISCO-08 / NLQF codes, the evidence and who validated it.
 */
#pragma once

#include "participant/koers-form-dialog.h"
#include "storage/koers-skill-repository.h"

G_BEGIN_DECLS

#define KOERS_TYPE_SKILL_DIALOG (koers_skill_dialog_get_type ())
G_DECLARE_FINAL_TYPE (KoersSkillDialog, koers_skill_dialog, KOERS, SKILL_DIALOG, KoersFormDialog)

/* @skill: (nullable): the skill to edit (copied), or %NULL to add one. */
GtkWindow *koers_skill_dialog_new (GtkWindow        *parent,
                                   KoersContext     *context,
                                   const char       *participant_id,
                                   const KoersSkill *skill);

G_END_DECLS
