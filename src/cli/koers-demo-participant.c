/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One demo participant: a plausible trajectory and everything recorded along it. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo-private.h"

#include "cli/koers-demo-content.h"
#include "cli/koers-demo-names.h"
#include "cli/koers-demo-records.h"
#include "core/koers-date.h"
#include "core/koers-participant.h"
#include "core/koers-status.h"
#include "storage/koers-participant-repository.h"

/* How a caseload looks in November of the first year: most people in guidance, a fifth done. */
static const guint status_weights[KOERS_N_STATUSES] = {
  [KOERS_STATUS_REGISTERED]  = 12,
  [KOERS_STATUS_INTAKE]      = 14,
  [KOERS_STATUS_ACTIVE]      = 34,
  [KOERS_STATUS_AFTERCARE]   = 12,
  [KOERS_STATUS_COMPLETED]   = 19,
  [KOERS_STATUS_DROPPED_OUT] = 9,
};

/* The plan's opportunity sectors as participants choose them (zorg, techniek and logistiek
 * have the most vacancies in the Achterhoek). */
static const guint sector_weights[KOERS_N_SECTORS] = {
  [KOERS_SECTOR_TECHNIEK]        = 20,
  [KOERS_SECTOR_ZORG]            = 22,
  [KOERS_SECTOR_LOGISTIEK]       = 20,
  [KOERS_SECTOR_ICT]             = 8,
  [KOERS_SECTOR_DIENSTVERLENING] = 14,
  [KOERS_SECTOR_CREATIEF]        = 7,
  [KOERS_SECTOR_GROEN]           = 9,
};

/* Where completed trajectories lead; the plan aims at 60% work, education or a
 * work-learning place, and the demo lands a little above it. */
static const guint outcome_weights[KOERS_N_OUTCOMES] = {
  [KOERS_OUTCOME_UNKNOWN]       = 0,
  [KOERS_OUTCOME_WORK]          = 45,
  [KOERS_OUTCOME_EDUCATION]     = 18,
  [KOERS_OUTCOME_WORK_LEARNING] = 24,
  [KOERS_OUTCOME_NONE]          = 13,
};

static const guint note_kind_weights[KOERS_N_NOTE_KINDS] = {
  [KOERS_NOTE_KIND_CONVERSATION] = 50,
  [KOERS_NOTE_KIND_PHONE]        = 25,
  [KOERS_NOTE_KIND_EMAIL]        = 10,
  [KOERS_NOTE_KIND_HOME_VISIT]   = 5,
  [KOERS_NOTE_KIND_OTHER]        = 10,
};

typedef struct {
  KoersStatus status;
  int         day;
} Step;

typedef struct {
  Step  steps[6];
  guint n_steps;
  int   end_day;  /* the last day something happened; KOERS_DEMO_SPAN_DAYS for open cases */
} Timeline;

static int
range (GRand *rand, int low, int high)
{
  return g_rand_int_range (rand, low, high + 1);
}

static gboolean
chance (GRand *rand, int percent)
{
  return g_rand_int_range (rand, 0, 100) < percent;
}

/* Days between entering @from and entering @to. */
static int
gap_days (GRand *rand, KoersStatus from, KoersStatus to)
{
  switch (to)
    {
    case KOERS_STATUS_INTAKE:      return range (rand, 3, 21);
    case KOERS_STATUS_ACTIVE:      return range (rand, 7, 35);
    case KOERS_STATUS_AFTERCARE:   return range (rand, 45, 150);
    case KOERS_STATUS_COMPLETED:
      return from == KOERS_STATUS_AFTERCARE ? range (rand, 20, 70) : range (rand, 60, 160);
    case KOERS_STATUS_DROPPED_OUT: return range (rand, 10, 60);
    case KOERS_STATUS_REGISTERED:
    case KOERS_N_STATUSES:
    default:
      g_assert_not_reached ();
    }
}

/* How long an open case has been in its current status by the last demo day. */
static int
dwell_days (GRand *rand, KoersStatus status)
{
  switch (status)
    {
    case KOERS_STATUS_REGISTERED: return range (rand, 0, 21);
    case KOERS_STATUS_INTAKE:     return range (rand, 0, 30);
    case KOERS_STATUS_ACTIVE:     return range (rand, 0, 120);
    case KOERS_STATUS_AFTERCARE:  return range (rand, 0, 60);
    case KOERS_STATUS_COMPLETED:
    case KOERS_STATUS_DROPPED_OUT:
    case KOERS_N_STATUSES:
    default:
      return 0;
    }
}

/* The workflow path to @final (koers-status.h) with dates that fit the demo year. */
static void
plan_timeline (GRand *rand, KoersStatus final, Timeline *t)
{
  static const guint drop_stage_weights[] = { 15, 25, 45, 15 }; /* registered .. aftercare */
  int gaps[G_N_ELEMENTS (t->steps)] = { 0 };
  int dwell;
  int total = 0;
  int start;

  t->n_steps = 0;
  if (final == KOERS_STATUS_COMPLETED)
    {
      gboolean aftercare = chance (rand, 60);

      t->steps[t->n_steps++].status = KOERS_STATUS_REGISTERED;
      t->steps[t->n_steps++].status = KOERS_STATUS_INTAKE;
      t->steps[t->n_steps++].status = KOERS_STATUS_ACTIVE;
      if (aftercare)
        t->steps[t->n_steps++].status = KOERS_STATUS_AFTERCARE;
    }
  else
    {
      KoersStatus last = final;

      if (final == KOERS_STATUS_DROPPED_OUT)
        last = (KoersStatus) koers_demo_pick_weighted (rand, drop_stage_weights,
                                                       G_N_ELEMENTS (drop_stage_weights));
      for (KoersStatus s = KOERS_STATUS_REGISTERED; s <= last; s++)
        t->steps[t->n_steps++].status = s;
    }
  if (koers_status_is_final (final))
    t->steps[t->n_steps++].status = final;

  for (guint i = 1; i < t->n_steps; i++)
    {
      gaps[i] = gap_days (rand, t->steps[i - 1].status, t->steps[i].status);
      total += gaps[i];
    }
  dwell = dwell_days (rand, final);
  total += dwell;

  /* A trajectory longer than the demo year is squeezed into it, keeping its proportions. */
  if (total > KOERS_DEMO_SPAN_DAYS - (int) t->n_steps)
    {
      int squeezed = 0;

      for (guint i = 1; i < t->n_steps; i++)
        {
          gaps[i] = MAX (1, gaps[i] * (KOERS_DEMO_SPAN_DAYS - (int) t->n_steps) / total);
          squeezed += gaps[i];
        }
      dwell = dwell * (KOERS_DEMO_SPAN_DAYS - (int) t->n_steps) / total;
      total = squeezed + dwell;
    }

  /* Open cases are still going on the last demo day; ended ones may lie anywhere. */
  if (koers_status_is_final (final))
    start = range (rand, 0, KOERS_DEMO_SPAN_DAYS - total);
  else
    start = KOERS_DEMO_SPAN_DAYS - total;

  t->steps[0].day = start;
  for (guint i = 1; i < t->n_steps; i++)
    t->steps[i].day = t->steps[i - 1].day + gaps[i];
  t->end_day = t->steps[t->n_steps - 1].day + dwell;
  g_assert (t->end_day <= KOERS_DEMO_SPAN_DAYS);
}

/* The day @status began in @t, or -1 when the trajectory never reached it. */
static int
day_of (const Timeline *t, KoersStatus status)
{
  for (guint i = 0; i < t->n_steps; i++)
    if (t->steps[i].status == status)
      return t->steps[i].day;
  return -1;
}

/* The status the participant had on @day. */
static KoersStatus
status_on (const Timeline *t, int day)
{
  KoersStatus status = t->steps[0].status;

  for (guint i = 0; i < t->n_steps && t->steps[i].day <= day; i++)
    status = t->steps[i].status;
  return status;
}

/* The next action of a case still open on the last demo day: around that day, some overdue
 * (as in any real caseload), never before the last status change. */
static int
open_case_next_day (GRand *rand, int last_change)
{
  int day = KOERS_DEMO_SPAN_DAYS + range (rand, -10, 35);

  return MAX (day, last_change + 1);
}

static KoersCefrLevel
pick_dutch_level (GRand *rand, const KoersDemoPerson *person)
{
  static const guint newcomer[] = { 0, 8, 22, 30, 25, 12, 3, 0 };  /* unknown .. C2 */
  static const guint settled[] = { 0, 0, 0, 5, 25, 35, 25, 10 };

  if (g_str_equal (person->languages, "Nederlands"))
    return KOERS_CEFR_C2;
  if (g_str_equal (person->preferred_language, "nl"))
    return (KoersCefrLevel) koers_demo_pick_weighted (rand, settled, G_N_ELEMENTS (settled));
  if (chance (rand, 8))
    return KOERS_CEFR_UNKNOWN;
  return (KoersCefrLevel) koers_demo_pick_weighted (rand, newcomer, G_N_ELEMENTS (newcomer));
}

/* Fills the profile: who they are, what they want, which coach. */
static void
fill_profile (KoersDemoGenerator *gen, KoersParticipant *p, guint index, KoersTargetGroup group,
              const KoersDemoPerson *person, KoersSector sector, const KoersDemoCoach *coach)
{
  GRand *rand = gen->rand;
  g_autofree char *ambition = NULL;
  int low_skills = group == KOERS_TARGET_GROUP_LOW_BASIC_SKILLS;

  koers_participant_set_name (p, person->name);
  koers_participant_set_preferred_name (p, person->preferred_name);
  koers_participant_set_birth_year (p, range (rand, 1960, 2007));
  /* 2654435769 is 2^32 divided by the golden ratio: consecutive participants land far apart
   * on the population scale and together fill it evenly. */
  koers_participant_set_municipality (p, koers_demo_pick_municipality (
                                           gen->municipality_start + index * 2654435769u));
  if (chance (rand, 90))
    {
      g_autofree char *phone = g_strdup_printf ("06-%08d", range (rand, 10000000, 99999999));
      koers_participant_set_phone (p, phone);
    }
  if (chance (rand, person->non_latin ? 40 : 65))
    {
      g_autofree char *email = g_strdup_printf ("%s@example.org", person->ascii);
      koers_participant_set_email (p, email);
    }
  koers_participant_set_languages (p, person->languages);
  koers_participant_set_preferred_language (p, person->preferred_language);
  koers_participant_set_dutch_level (p, pick_dutch_level (rand, person));
  koers_participant_set_digital_skills_need (p, chance (rand, low_skills ? 70 : 15));
  koers_participant_set_basic_skills_need (p, chance (rand, low_skills ? 90 : 8));
  koers_participant_set_target_group (p, group);
  /* Only statushouders carry the civic-integration duty (Wet inburgering 2021). */
  koers_participant_set_civic_integration_duty (p, group == KOERS_TARGET_GROUP_STATUSHOLDER
                                                   && chance (rand, 85));
  koers_participant_set_interests (p, koers_demo_interest (sector));
  ambition = koers_demo_ambition (rand, sector);
  koers_participant_set_ambitions (p, ambition);
  koers_participant_set_coach_id (p, coach != NULL ? coach->id : NULL);
  koers_participant_set_organisation_id (p, coach != NULL
                                            ? coach->organisation_id
                                            : g_ptr_array_index (gen->organisation_ids, 0));
  /* Line 1 is the caseload the plan funds first; a few are in the skills passport pilot
   * (line 3) or mentoring (line 5). */
  koers_participant_set_project_line (p, chance (rand, 88) ? 1 : (chance (rand, 50) ? 3 : 5));
}

static void
set_next_action (KoersDemoGenerator *gen, KoersParticipant *p, KoersStatus status, int day)
{
  char iso[11];

  if (koers_status_is_final (status))
    {
      koers_participant_set_next_action (p, NULL);
      koers_participant_set_next_action_date (p, NULL);
      return;
    }
  koers_demo_day_to_iso (day, iso);
  koers_participant_set_next_action (p, koers_demo_next_action (gen->rand, status));
  koers_participant_set_next_action_date (p, iso);
}

/* Moves the participant through @t's steps: one history row per status change, each checked
 * against the workflow as the repository would, then the state where the trajectory ended,
 * checked against the domain rules and stored once. */
static gboolean
walk_timeline (KoersDemoGenerator *gen, KoersParticipant *p, const Timeline *t,
               const char *author, GError **error)
{
  g_autoptr(GPtrArray) problems = NULL;
  char iso[11];

  for (guint i = 1; i < t->n_steps; i++)
    {
      const Step *step = &t->steps[i];
      KoersStatus from = koers_participant_get_status (p);
      gboolean last = i + 1 == t->n_steps;
      g_autofree char *reason = NULL;
      int next_day;

      if (step->status == KOERS_STATUS_COMPLETED
          || (step->status == KOERS_STATUS_DROPPED_OUT && chance (gen->rand, 15)))
        {
          /* Some who drop out do so because they found work themselves. */
          KoersOutcome outcome = step->status == KOERS_STATUS_COMPLETED
            ? (KoersOutcome) koers_demo_pick_weighted (gen->rand, outcome_weights,
                                                       KOERS_N_OUTCOMES)
            : KOERS_OUTCOME_WORK;

          koers_demo_day_to_iso (step->day, iso);
          koers_participant_set_outcome (p, outcome);
          koers_participant_set_outcome_date (p, iso);
        }

      /* Open cases end with a next action around the last demo day: some overdue. */
      next_day = last ? open_case_next_day (gen->rand, step->day)
                      : step->day + range (gen->rand, 5, 21);
      set_next_action (gen, p, step->status, next_day);
      if (!koers_status_check_transition (from, step->status, koers_participant_get_outcome (p),
                                          &reason))
        {
          g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                       "status: %s", reason);
          return FALSE;
        }
      koers_participant_set_status (p, step->status);

      koers_demo_day_to_iso (step->day, iso);
      koers_demo_pin_clock (gen, step->day);
      if (!koers_demo_write_status_change (gen, p, from, step->status, iso, author, error))
        return FALSE;
      gen->stats.n_status_changes++;
    }
  if (t->n_steps < 2)
    return TRUE;

  problems = koers_participant_validate (p, koers_date_today_year ());
  if (problems->len > 0)
    {
      KoersFieldError *first = g_ptr_array_index (problems, 0);

      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID, "%s: %s",
                   first->field, first->message);
      return FALSE;
    }
  return koers_demo_write_trajectory_state (gen, p, author, error);
}

static gboolean
make_notes (KoersDemoGenerator *gen, const char *participant_id, const char *organisation_id,
            const Timeline *t, KoersSector sector, guint n_notes, const char *author,
            GError **error)
{
  g_autofree int *days = g_new (int, MAX (n_notes, 1));
  g_autoptr(GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  int first = t->steps[0].day;

  for (guint i = 0; i < n_notes; i++)
    days[i] = range (gen->rand, first, t->end_day);
  /* Notes are written in the order things happened. */
  for (guint i = 1; i < n_notes; i++)
    for (guint j = i; j > 0 && days[j - 1] > days[j]; j--)
      {
        int tmp = days[j];
        days[j] = days[j - 1];
        days[j - 1] = tmp;
      }

  for (guint i = 0; i < n_notes; i++)
    {
      KoersNoteKind kind = (KoersNoteKind) koers_demo_pick_weighted (gen->rand,
                                                                     note_kind_weights,
                                                                     KOERS_N_NOTE_KINDS);
      g_autofree char *body = koers_demo_note_text (gen->rand, status_on (t, days[i]), sector);

      /* A coach does not write the same sentence twice about one person. */
      for (guint attempt = 0; attempt < 4 && g_ptr_array_find_with_equal_func (
             written, body, g_str_equal, NULL); attempt++)
        {
          g_free (body);
          body = koers_demo_note_text (gen->rand, status_on (t, days[i]), sector);
        }
      g_ptr_array_add (written, g_strdup (body));

      if (!koers_demo_write_note (gen, participant_id, organisation_id, kind, days[i], body,
                                  author, error))
        return FALSE;
      gen->stats.n_notes++;
    }
  return TRUE;
}

static gboolean
make_consent (KoersDemoGenerator *gen, const char *participant_id, const char *organisation_id,
              const Timeline *t, const char *author, GError **error)
{
  int registered = t->steps[0].day;
  int intake = day_of (t, KOERS_STATUS_INTAKE);

  for (KoersConsentScope scope = 0; scope < KOERS_N_CONSENT_SCOPES; scope++)
    {
      int given;
      int withdrawn = -1;

      /* Programme consent comes with registration; sharing is asked at the intake. */
      if (scope == KOERS_CONSENT_SCOPE_PROGRAMME)
        given = registered;
      else if (intake < 0 || !chance (gen->rand, scope == KOERS_CONSENT_SCOPE_PARTNERS ? 75 : 55))
        continue;
      else
        given = intake;

      if (scope != KOERS_CONSENT_SCOPE_PROGRAMME && chance (gen->rand, 6))
        withdrawn = range (gen->rand, given, t->end_day);

      if (!koers_demo_write_consent (gen, participant_id, organisation_id, scope, given,
                                     withdrawn, author, error))
        return FALSE;
      gen->stats.n_consents++;
    }
  return TRUE;
}

/* Proeverijen, training, a work-learning place and credentials, as far as the trajectory got. */
static gboolean
make_activities (KoersDemoGenerator *gen, const char *participant_id,
                 const char *organisation_id, const Timeline *t, KoersSector sector,
                 const char *author, GError **error)
{
  GRand *rand = gen->rand;
  int intake = day_of (t, KOERS_STATUS_INTAKE);
  int active = day_of (t, KOERS_STATUS_ACTIVE);
  gboolean finished = day_of (t, KOERS_STATUS_AFTERCARE) >= 0
                      || day_of (t, KOERS_STATUS_COMPLETED) >= 0;
  KoersDemoActivity activity;

  if (intake < 0)
    return TRUE;

  /* Proeverijen: a day or a few in a sector, usually the one they are curious about. */
  if (chance (rand, active >= 0 ? 60 : 35))
    {
      guint n = chance (rand, 20) ? 2 : 1;

      for (guint i = 0; i < n; i++)
        {
          KoersSector s = i == 0 ? sector
                                 : (KoersSector) koers_demo_pick_weighted (rand, sector_weights,
                                                                          KOERS_N_SECTORS);
          g_autofree char *title = g_strdup_printf ("Proeverij %s",
                                                    koers_demo_employer (rand, s));

          int started = range (rand, intake, t->end_day);
          int days = range (rand, 0, 4);

          activity = (KoersDemoActivity) { KOERS_ACTIVITY_PROEVERIJ, title, s, NULL, NULL, 0,
                                           started, MIN (started + days, KOERS_DEMO_SPAN_DAYS) };
          if (!koers_demo_write_activity (gen, participant_id, organisation_id, &activity, author,
                                          error))
            return FALSE;
          gen->stats.n_activities++;
        }
    }
  if (active < 0)
    return TRUE;

  if (chance (rand, 55))
    {
      const KoersDemoTraining *training = koers_demo_training (rand, sector);
      int started = active + range (rand, 0, 30);
      int ended;

      started = MIN (started, t->end_day);
      ended = started + range (rand, 30, 120);

      activity = (KoersDemoActivity) { KOERS_ACTIVITY_TRAINING, training->title, -1,
                                       training->provider, NULL, 0, started,
                                       ended <= t->end_day ? ended : -1 };
      if (!koers_demo_write_activity (gen, participant_id, organisation_id, &activity, author,
                                      error))
        return FALSE;
      gen->stats.n_activities++;
    }

  if (chance (rand, 35))
    {
      int started = active + range (rand, 14, 60);

      started = MIN (started, t->end_day);
      activity = (KoersDemoActivity) { KOERS_ACTIVITY_WORK_LEARNING_PLACE, "Werkleerplek", -1,
                                       NULL, koers_demo_employer (rand, sector), 0, started,
                                       finished ? t->end_day : -1 };
      if (!koers_demo_write_activity (gen, participant_id, organisation_id, &activity, author,
                                      error))
        return FALSE;
      gen->stats.n_activities++;
    }

  if (chance (rand, finished ? 50 : 15))
    {
      const KoersDemoCredential *credential = koers_demo_credential (rand, sector);
      int on = range (rand, active, t->end_day);

      activity = (KoersDemoActivity) { credential->kind, credential->title, -1,
                                       credential->provider, NULL, credential->nlqf_level, on,
                                       on };
      if (!koers_demo_write_activity (gen, participant_id, organisation_id, &activity, author,
                                      error))
        return FALSE;
      gen->stats.n_activities++;
    }
  return TRUE;
}

static gboolean
make_skills (KoersDemoGenerator *gen, const char *participant_id, const char *organisation_id,
             const Timeline *t, KoersSector sector, const char *validator, const char *author,
             GError **error)
{
  const KoersDemoSkill *seen[3] = { NULL, NULL, NULL };
  int active = day_of (t, KOERS_STATUS_ACTIVE);
  guint n;

  if (active < 0)
    return TRUE;

  n = (guint) range (gen->rand, 0, 3);
  for (guint i = 0; i < n; i++)
    {
      const KoersDemoSkill *skill = koers_demo_skill (gen->rand, sector);
      gboolean duplicate = FALSE;

      for (guint j = 0; j < i; j++)
        duplicate = duplicate || seen[j] == skill;
      seen[i] = skill;
      if (duplicate)
        continue;

      if (!koers_demo_write_skill (gen, participant_id, organisation_id, skill,
                                   range (gen->rand, active, t->end_day), validator, author,
                                   error))
        return FALSE;
      gen->stats.n_skills++;
    }
  return TRUE;
}

/* The first few participants cover every target group and status, so even a small demo
 * shows every filter value; after that the weights decide. */
gboolean
koers_demo_make_participant (KoersDemoGenerator *gen, guint index, GError **error)
{
  GRand *rand = gen->rand;
  g_autoptr(KoersParticipant) p = koers_participant_new ();
  g_auto(KoersDemoPerson) person = { 0 };
  g_autofree char *id = koers_demo_next_uuid (gen);
  const KoersDemoCoach *coach = NULL;
  KoersTargetGroup group;
  KoersStatus final;
  KoersSector sector;
  Timeline timeline;
  const char *author;
  guint n_notes;

  group = index < KOERS_N_TARGET_GROUPS ? (KoersTargetGroup) index
                                        : koers_demo_pick_target_group (rand);
  final = index < KOERS_N_STATUSES ? (KoersStatus) index
                                   : (KoersStatus) koers_demo_pick_weighted (rand, status_weights,
                                                                             KOERS_N_STATUSES);
  koers_demo_make_person (rand, group, &person);
  sector = (KoersSector) koers_demo_pick_weighted (rand, sector_weights, KOERS_N_SECTORS);
  plan_timeline (rand, final, &timeline);

  /* A third of new registrations wait for a coach to be assigned. */
  if (gen->coaches->len > 0 && (final != KOERS_STATUS_REGISTERED || chance (rand, 65)))
    coach = g_ptr_array_index (gen->coaches, g_rand_int_range (rand, 0, gen->coaches->len));
  /* What a coach writes is signed with the coach's name, as it would be in real use. */
  author = coach != NULL ? coach->name : gen->actor;

  koers_participant_set_id (p, id);
  fill_profile (gen, p, index, group, &person, sector, coach);
  {
    char iso[11];

    koers_demo_day_to_iso (timeline.steps[0].day, iso);
    koers_participant_set_registered_on (p, iso);
  }
  koers_participant_set_status (p, KOERS_STATUS_REGISTERED);
  set_next_action (gen, p, KOERS_STATUS_REGISTERED,
                   timeline.n_steps == 1 ? open_case_next_day (rand, timeline.steps[0].day)
                                         : timeline.steps[0].day + range (rand, 3, 14));

  koers_demo_pin_clock (gen, timeline.steps[0].day);
  if (!koers_participant_repository_bulk_insert (gen->bulk, p, FALSE, author, error))
    return FALSE;
  gen->stats.n_status_changes++;

  if (!walk_timeline (gen, p, &timeline, author, error)
      || !make_consent (gen, id, koers_participant_get_organisation_id (p), &timeline, author,
                        error))
    return FALSE;

  if (gen->options->n_notes < 0)
    n_notes = (guint) range (rand, 2, 6);
  else
    {
      guint left = gen->options->n_participants - index;

      /* Spread a fixed total evenly: the remainder goes to the first participants. */
      n_notes = (gen->notes_left + left - 1) / left;
      gen->notes_left -= n_notes;
    }

  return make_notes (gen, id, koers_participant_get_organisation_id (p), &timeline, sector,
                     n_notes, author, error)
         && make_activities (gen, id, koers_participant_get_organisation_id (p), &timeline,
                             sector, author, error)
         && make_skills (gen, id, koers_participant_get_organisation_id (p), &timeline, sector,
                         coach != NULL ? coach->name : NULL, author, error);
}
