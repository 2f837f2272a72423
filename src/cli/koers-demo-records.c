/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo-records.h"

#include "storage/koers-activity-repository.h"
#include "storage/koers-consent-repository.h"
#include "storage/koers-note-repository.h"
#include "storage/koers-organisation-repository.h"
#include "storage/koers-skill-repository.h"

#include <string.h>

static char *
day_iso (int day)
{
  char iso[11];

  if (day < 0)
    return NULL;
  koers_demo_day_to_iso (day, iso);
  return g_strdup (iso);
}

/* Every record gets its id from the seed and the participant's organisation as tenant. */
static void
prepare_meta (KoersDemoGenerator *gen, KoersRecordMeta *meta, const char *organisation_id)
{
  meta->id = koers_demo_next_uuid (gen);
  meta->organisation_id = g_strdup (organisation_id);
}

gboolean
koers_demo_write_organisation (KoersDemoGenerator *gen, const char *name, char **out_id,
                               GError **error)
{
  g_autoptr(KoersOrganisation) organisation = koers_organisation_new ();

  organisation->meta.id = koers_demo_next_uuid (gen);
  /* A tenant is its own organisation. */
  organisation->meta.organisation_id = g_strdup (organisation->meta.id);
  organisation->name = g_strdup (name);
  if (!koers_organisation_repository_insert (gen->db, organisation, gen->actor, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_strdup (organisation->meta.id);
  return TRUE;
}

/* "Marieke ter Horst" -> "m.terhorst@example.org": how work addresses are usually made. */
static char *
coach_email (const char *name)
{
  g_autofree char *plain = g_str_to_ascii (name, "C");
  const char *space = strchr (plain, ' ');
  GString *email = g_string_new (NULL);

  g_string_append_c (email, g_ascii_tolower (plain[0]));
  g_string_append_c (email, '.');
  for (const char *p = space != NULL ? space : plain; *p != '\0'; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (email, g_ascii_tolower (*p));
  g_string_append (email, "@example.org");
  return g_string_free (email, FALSE);
}

gboolean
koers_demo_write_coach (KoersDemoGenerator *gen, const char *name,
                        const char *organisation_id, char **out_id, GError **error)
{
  g_autoptr(KoersCoach) coach = koers_coach_new ();

  prepare_meta (gen, &coach->meta, organisation_id);
  coach->name = g_strdup (name);
  coach->email = coach_email (name);
  if (!koers_coach_repository_insert (gen->db, coach, gen->actor, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_strdup (coach->meta.id);
  return TRUE;
}

gboolean
koers_demo_load_existing (KoersDemoGenerator *gen, GError **error)
{
  g_autoptr(GPtrArray) organisations = NULL;
  g_autoptr(GPtrArray) coaches = NULL;

  organisations = koers_organisation_repository_list (gen->db, error);
  if (organisations == NULL)
    return FALSE;
  coaches = koers_coach_repository_list (gen->db, error);
  if (coaches == NULL)
    return FALSE;

  for (guint i = 0; i < organisations->len; i++)
    {
      KoersOrganisation *organisation = g_ptr_array_index (organisations, i);

      /* Participants without a coach are registered at Werkcentrum, which finds them. */
      if (g_strcmp0 (organisation->name, koers_demo_organisation_name (0)) == 0)
        g_ptr_array_insert (gen->organisation_ids, 0, g_strdup (organisation->meta.id));
      else
        g_ptr_array_add (gen->organisation_ids, g_strdup (organisation->meta.id));
    }
  for (guint i = 0; i < coaches->len; i++)
    {
      KoersCoach *coach = g_ptr_array_index (coaches, i);
      KoersDemoCoach *demo = g_new0 (KoersDemoCoach, 1);

      demo->id = g_strdup (coach->meta.id);
      demo->name = g_strdup (coach->name);
      demo->organisation_id = g_strdup (coach->meta.organisation_id);
      g_ptr_array_add (gen->coaches, demo);
    }
  return TRUE;
}

gboolean
koers_demo_write_note (KoersDemoGenerator *gen, const char *participant_id,
                       const char *organisation_id, KoersNoteKind kind, int day,
                       const char *body, const char *author, GError **error)
{
  g_autoptr(KoersNote) note = koers_note_new ();

  prepare_meta (gen, &note->meta, organisation_id);
  note->participant_id = g_strdup (participant_id);
  note->kind = kind;
  note->occurred_on = day_iso (day);
  note->body = g_strdup (body);

  koers_demo_pin_clock (gen, day);
  return koers_note_repository_add (gen->db, note, author, error);
}

gboolean
koers_demo_write_consent (KoersDemoGenerator *gen, const char *participant_id,
                          const char *organisation_id, KoersConsentScope scope, int given,
                          int withdrawn, const char *author, GError **error)
{
  g_autoptr(KoersConsent) consent = koers_consent_new ();
  g_autofree char *withdrawn_on = day_iso (withdrawn);

  prepare_meta (gen, &consent->meta, organisation_id);
  consent->participant_id = g_strdup (participant_id);
  consent->scope = scope;
  consent->given_on = day_iso (given);

  koers_demo_pin_clock (gen, given);
  if (!koers_consent_repository_give (gen->db, consent, author, error))
    return FALSE;
  if (withdrawn_on == NULL)
    return TRUE;

  koers_demo_pin_clock (gen, withdrawn);
  return koers_consent_repository_withdraw (gen->db, participant_id, scope, withdrawn_on, author,
                                            error);
}

gboolean
koers_demo_write_activity (KoersDemoGenerator *gen, const char *participant_id,
                           const char *organisation_id, const KoersDemoActivity *activity,
                           const char *author, GError **error)
{
  g_autoptr(KoersActivity) record = koers_activity_new ();

  prepare_meta (gen, &record->meta, organisation_id);
  record->participant_id = g_strdup (participant_id);
  record->kind = activity->kind;
  record->title = g_strdup (activity->title);
  record->sector = activity->sector;
  record->provider = g_strdup (activity->provider);
  record->employer = g_strdup (activity->employer);
  record->nlqf_level = activity->nlqf_level;
  record->started_on = day_iso (activity->started);
  record->ended_on = day_iso (activity->ended);

  koers_demo_pin_clock (gen, activity->started);
  return koers_activity_repository_insert (gen->db, record, author, error);
}

gboolean
koers_demo_write_skill (KoersDemoGenerator *gen, const char *participant_id,
                        const char *organisation_id, const KoersDemoSkill *skill, int day,
                        const char *validator, const char *author, GError **error)
{
  g_autoptr(KoersSkill) record = koers_skill_new ();

  prepare_meta (gen, &record->meta, organisation_id);
  record->participant_id = g_strdup (participant_id);
  record->label = g_strdup (skill->label);
  record->isco_code = g_strdup (skill->isco_code);
  record->nlqf_level = skill->nlqf_level;
  record->evidence = g_strdup (skill->evidence);
  record->validated_by = g_strdup (validator);

  koers_demo_pin_clock (gen, day);
  return koers_skill_repository_insert (gen->db, record, author, error);
}
