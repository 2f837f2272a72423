/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-participant-private.h: the participant row layout shared by the repository files. */
#pragma once

#include "core/koers-participant.h"
#include "storage/koers-database.h"

G_BEGIN_DECLS

/* Parameters ?1 .. ?33 of an INSERT, in this order. */
#define PARTICIPANT_WRITE_COLUMNS \
  "id, organisation_id, version, created_at, created_by, updated_at, updated_by, deleted, " \
  "name, preferred_name, birth_year, municipality, phone, email, languages, " \
  "preferred_language, dutch_level, digital_skills_need, basic_skills_need, target_group, " \
  "civic_integration_duty, interests, ambitions, coach_id, project_line, status, " \
  "registered_on, next_action, next_action_date, outcome, outcome_date, name_key, search_key"

/* Columns 0 .. 30 that koers_participant_from_row() reads. */
#define PARTICIPANT_READ_COLUMNS \
  "id, organisation_id, version, created_at, created_by, updated_at, updated_by, deleted, " \
  "name, preferred_name, birth_year, municipality, phone, email, languages, " \
  "preferred_language, dutch_level, digital_skills_need, basic_skills_need, target_group, " \
  "civic_integration_duty, interests, ambitions, coach_id, project_line, status, " \
  "registered_on, next_action, next_action_date, outcome, outcome_date"

/* Reads the participant's current status and tombstone; NOT_FOUND when there is no such id. */
gboolean koers_participant_load_status (KoersDatabase *db, const char *id,
                                        KoersStatus *out_status, gboolean *out_deleted,
                                        GError **error);

/* The coach and organisation @p names exist (INVALID naming the field otherwise). */
gboolean koers_participant_validate_references (KoersDatabase *db, KoersParticipant *p,
                                                GError **error);

/* Writes a validated new participant, its first status (unless !@with_history: a batch
 * writes them all at once) and (when @audit) its CREATE event, in the caller's transaction,
 * and stamps @participant on success. @now_or_null and @today_or_null: the batch's clock, read
 * once (NULL: read it now). */
gboolean koers_participant_write_new (KoersDatabase *db, KoersParticipant *participant,
                                      const char *actor, gboolean audit, gboolean with_history,
                                      const char *now_or_null, const char *today_or_null,
                                      GError **error);

/* Returns (transfer full): the participant on @stmt's current row. */
KoersParticipant *koers_participant_from_row (sqlite3_stmt *stmt);

G_END_DECLS
