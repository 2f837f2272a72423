/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-skill-repository.h: the skills passport of project line 3: a skill in the
 * participant's words, optionally coded in CompetentNL and ISCO-08, an NLQF level, the evidence
 * and who validated it.
 */
#pragma once

#include "storage/koers-database.h"
#include "storage/koers-record.h"

G_BEGIN_DECLS

typedef struct {
  KoersRecordMeta meta;
  char           *participant_id;
  char           *label;
  char           *competentnl_code; /* nullable */
  char           *isco_code;        /* nullable; four digits (ISCO-08 unit group) */
  int             nlqf_level;       /* 1..8, 0 = not known */
  char           *evidence;         /* nullable, multi-line */
  char           *validated_by;     /* nullable */
} KoersSkill;

KoersSkill *koers_skill_new (void);
void        koers_skill_free (KoersSkill *skill);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersSkill, koers_skill_free)

gboolean   koers_skill_repository_insert (KoersDatabase *db, KoersSkill *skill,
                                          const char *actor, GError **error);
gboolean   koers_skill_repository_update (KoersDatabase *db, KoersSkill *skill,
                                          const char *actor, GError **error);
gboolean   koers_skill_repository_set_deleted (KoersDatabase *db, const char *id,
                                               gboolean deleted, const char *actor,
                                               GError **error);
/* Returns (transfer full) (element-type KoersSkill): not-deleted skills, by label. */
GPtrArray *koers_skill_repository_list (KoersDatabase *db, const char *participant_id,
                                        GError **error);

G_END_DECLS
