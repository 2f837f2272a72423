/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-participant.h: a participant (deelnemer) in a coach's caseload.
 *
 * Privacy by design: there is no BSN and no nationality. Where the programme needs a fact about a
 * person's situation it records the purpose-bound fact itself (civic-integration-duty), nothing
 * that merely identifies origin.
 *
 * Every property is a GObject property (kebab-case names as listed below) so views bind to it.
 * Dates are ISO "YYYY-MM-DD" strings (NULL when unset); timestamps ISO-8601 UTC
 * "YYYY-MM-DDTHH:MM:SSZ". All text is NFC (see koers-text.h).
 */
#pragma once

#include <glib-object.h>

#include "core/koers-enums.h"

G_BEGIN_DECLS

#define KOERS_TYPE_PARTICIPANT (koers_participant_get_type ())
G_DECLARE_FINAL_TYPE (KoersParticipant, koers_participant, KOERS, PARTICIPANT, GObject)

/* Limits every input channel shares (RELIABILITY.md: every input has a documented limit). */
#define KOERS_NAME_MAX_CHARS 200
#define KOERS_SHORT_TEXT_MAX_CHARS 200
#define KOERS_LONG_TEXT_MAX_CHARS 10000
#define KOERS_BIRTH_YEAR_MIN 1900

KoersParticipant *koers_participant_new (void);
/* A deep copy, for editing without touching the shown object. */
KoersParticipant *koers_participant_copy (KoersParticipant *self);

/* Sync-ready metadata (ARCHITECTURE.md): properties "id", "organisation-id", "version",
 * "created-at", "created-by", "updated-at", "updated-by", "deleted". */
const char *koers_participant_get_id (KoersParticipant *self);
void        koers_participant_set_id (KoersParticipant *self, const char *id);
const char *koers_participant_get_organisation_id (KoersParticipant *self);
void        koers_participant_set_organisation_id (KoersParticipant *self, const char *id);
gint64      koers_participant_get_version (KoersParticipant *self);
void        koers_participant_set_version (KoersParticipant *self, gint64 version);
const char *koers_participant_get_created_at (KoersParticipant *self);
void        koers_participant_set_created_at (KoersParticipant *self, const char *at);
const char *koers_participant_get_created_by (KoersParticipant *self);
void        koers_participant_set_created_by (KoersParticipant *self, const char *by);
const char *koers_participant_get_updated_at (KoersParticipant *self);
void        koers_participant_set_updated_at (KoersParticipant *self, const char *at);
const char *koers_participant_get_updated_by (KoersParticipant *self);
void        koers_participant_set_updated_by (KoersParticipant *self, const char *by);
gboolean    koers_participant_get_deleted (KoersParticipant *self);
void        koers_participant_set_deleted (KoersParticipant *self, gboolean deleted);

/* Profile: "name" (as written), "preferred-name", "birth-year" (0 = unknown), "municipality",
 * "phone", "email", "languages" (comma-separated, as the person names them),
 * "preferred-language", "dutch-level", "digital-skills-need", "basic-skills-need",
 * "target-group", "civic-integration-duty", "interests", "ambitions". */
const char       *koers_participant_get_name (KoersParticipant *self);
void              koers_participant_set_name (KoersParticipant *self, const char *name);
const char       *koers_participant_get_preferred_name (KoersParticipant *self);
void              koers_participant_set_preferred_name (KoersParticipant *self, const char *name);
int               koers_participant_get_birth_year (KoersParticipant *self);
void              koers_participant_set_birth_year (KoersParticipant *self, int year);
KoersMunicipality koers_participant_get_municipality (KoersParticipant *self);
void              koers_participant_set_municipality (KoersParticipant *self, KoersMunicipality m);
const char       *koers_participant_get_phone (KoersParticipant *self);
void              koers_participant_set_phone (KoersParticipant *self, const char *phone);
const char       *koers_participant_get_email (KoersParticipant *self);
void              koers_participant_set_email (KoersParticipant *self, const char *email);
const char       *koers_participant_get_languages (KoersParticipant *self);
void              koers_participant_set_languages (KoersParticipant *self, const char *languages);
const char       *koers_participant_get_preferred_language (KoersParticipant *self);
void              koers_participant_set_preferred_language (KoersParticipant *self, const char *l);
KoersCefrLevel    koers_participant_get_dutch_level (KoersParticipant *self);
void              koers_participant_set_dutch_level (KoersParticipant *self, KoersCefrLevel level);
gboolean          koers_participant_get_digital_skills_need (KoersParticipant *self);
void              koers_participant_set_digital_skills_need (KoersParticipant *self, gboolean need);
gboolean          koers_participant_get_basic_skills_need (KoersParticipant *self);
void              koers_participant_set_basic_skills_need (KoersParticipant *self, gboolean need);
KoersTargetGroup  koers_participant_get_target_group (KoersParticipant *self);
void              koers_participant_set_target_group (KoersParticipant *self, KoersTargetGroup g);
gboolean          koers_participant_get_civic_integration_duty (KoersParticipant *self);
void              koers_participant_set_civic_integration_duty (KoersParticipant *self, gboolean d);
const char       *koers_participant_get_interests (KoersParticipant *self);
void              koers_participant_set_interests (KoersParticipant *self, const char *text);
const char       *koers_participant_get_ambitions (KoersParticipant *self);
void              koers_participant_set_ambitions (KoersParticipant *self, const char *text);

/* Trajectory: "coach-id" (NULL = unassigned), "project-line" (0 = none, 1..7), "status",
 * "registered-on" (date of registration), "next-action" (what), "next-action-date",
 * "outcome", "outcome-date". Status changes go through koers_status_check_transition(). */
const char *koers_participant_get_coach_id (KoersParticipant *self);
void        koers_participant_set_coach_id (KoersParticipant *self, const char *coach_id);
int         koers_participant_get_project_line (KoersParticipant *self);
void        koers_participant_set_project_line (KoersParticipant *self, int line);
KoersStatus koers_participant_get_status (KoersParticipant *self);
void        koers_participant_set_status (KoersParticipant *self, KoersStatus status);
const char *koers_participant_get_registered_on (KoersParticipant *self);
void        koers_participant_set_registered_on (KoersParticipant *self, const char *date);
const char *koers_participant_get_next_action (KoersParticipant *self);
void        koers_participant_set_next_action (KoersParticipant *self, const char *text);
const char *koers_participant_get_next_action_date (KoersParticipant *self);
void        koers_participant_set_next_action_date (KoersParticipant *self, const char *date);
KoersOutcome koers_participant_get_outcome (KoersParticipant *self);
void        koers_participant_set_outcome (KoersParticipant *self, KoersOutcome outcome);
const char *koers_participant_get_outcome_date (KoersParticipant *self);
void        koers_participant_set_outcome_date (KoersParticipant *self, const char *date);

/* One problem with one field, for inline form messages. */
typedef struct {
  char *field;    /* property name, e.g. "birth-year" */
  char *message;  /* translated, specific: "Birth year must be between 1900 and 2026" */
} KoersFieldError;

void koers_field_error_free (KoersFieldError *error);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (KoersFieldError, koers_field_error_free)

/**
 * koers_participant_validate:
 * @self: the participant as the form or an importer filled it
 * @today_year: the current year (a parameter so tests pin the clock)
 *
 * Checks every field against the rules (name required, no control characters or bidi
 * overrides, lengths, birth year range, e-mail and phone shape, dates real, outcome date only
 * with an outcome, project line 0..7).
 *
 * Returns: (transfer full) (element-type KoersFieldError): the problems, empty when valid.
 */
GPtrArray *koers_participant_validate (KoersParticipant *self, int today_year);

G_END_DECLS
