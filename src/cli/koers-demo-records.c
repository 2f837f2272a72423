/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-demo-records.h"

#include "core/koers-text.h"
#include "storage/koers-organisation-repository.h"

#include <string.h>

/*
 * The demo writes what the repositories would write, row for row and column for column, but
 * not through their one-record functions: each of those records an audit event (a SHA-256
 * hash chain step and three index inserts, about 65 µs) and, for a participant update, rewrites
 * both search indexes. At 100,000 participants with 1,000,000 notes that was most of the time
 * and half the file. The generator's records are valid by construction (koers-demo-participant.c
 * checks each participant with koers_participant_validate() and each status step with
 * koers_status_check_transition()), and the schema's CHECK and REFERENCES constraints still
 * judge every row.
 */

/* The sync metadata of a new row: parameters 1-8 in KOERS_META_COLUMNS order. */
#define META_COLUMNS \
  "id, organisation_id, version, created_at, created_by, updated_at, updated_by, deleted"

static void
bind_meta (sqlite3_stmt *stmt, const char *id, const char *organisation_id,
           const char *created_at, const char *updated_at, const char *actor)
{
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, organisation_id);
  koers_bind_int64 (stmt, 3, 0);
  koers_bind_text (stmt, 4, created_at);
  koers_bind_text (stmt, 5, actor);
  koers_bind_text (stmt, 6, updated_at);
  koers_bind_text (stmt, 7, actor);
  koers_bind_bool (stmt, 8, FALSE);
}

static void
day_to_iso_or_null (int day, char out[11], const char **out_text)
{
  if (day < 0)
    {
      *out_text = NULL;
      return;
    }
  koers_demo_day_to_iso (day, out);
  *out_text = out;
}

/* Pins the clock to @day and returns (transfer full) the pinned "now". */
static char *
pin_now (KoersDemoGenerator *gen, int day)
{
  koers_demo_pin_clock (gen, day);
  return koers_database_now (gen->db);
}

gboolean
koers_demo_write_organisation (KoersDemoGenerator *gen, const char *name, char **out_id,
                               GError **error)
{
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *now = koers_database_now (gen->db);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (gen->db, "INSERT INTO organisation (" META_COLUMNS ", name) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    return FALSE;
  /* A tenant is its own organisation. */
  bind_meta (stmt, id, id, now, now, gen->actor);
  koers_bind_text (stmt, 9, name);
  if (!koers_database_step (gen->db, stmt, NULL, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
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
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *now = koers_database_now (gen->db);
  g_autofree char *email = coach_email (name);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (gen->db, "INSERT INTO coach (" META_COLUMNS ", name, email) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, organisation_id, now, now, gen->actor);
  koers_bind_text (stmt, 9, name);
  koers_bind_text (stmt, 10, email);
  if (!koers_database_step (gen->db, stmt, NULL, error))
    return FALSE;
  if (out_id != NULL)
    *out_id = g_steal_pointer (&id);
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
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *now = pin_now (gen, day);
  g_autofree char *text = koers_text_normalize (body);
  char occurred_on[11];
  sqlite3_stmt *stmt;

  koers_demo_day_to_iso (day, occurred_on);
  stmt = koers_database_prepare (gen->db, "INSERT INTO note (" META_COLUMNS ", participant_id, "
                                          "kind, occurred_on, body, revision, revision_of) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                          "?12, 1, NULL)", error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, organisation_id, now, now, author);
  koers_bind_text (stmt, 9, participant_id);
  koers_bind_text (stmt, 10, koers_note_kind_to_id (kind));
  koers_bind_text (stmt, 11, occurred_on);
  koers_bind_text (stmt, 12, text);
  return koers_database_step (gen->db, stmt, NULL, error);
}

/* A withdrawal is the same row changed later: updated_at is the withdrawal's moment. */
gboolean
koers_demo_write_consent (KoersDemoGenerator *gen, const char *participant_id,
                          const char *organisation_id, KoersConsentScope scope, int given,
                          int withdrawn, const char *author, GError **error)
{
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *given_at = pin_now (gen, given);
  g_autofree char *withdrawn_at = withdrawn >= 0 ? pin_now (gen, withdrawn) : NULL;
  char given_on[11];
  char withdrawn_buf[11];
  const char *withdrawn_on;
  sqlite3_stmt *stmt;

  koers_demo_day_to_iso (given, given_on);
  day_to_iso_or_null (withdrawn, withdrawn_buf, &withdrawn_on);
  stmt = koers_database_prepare (gen->db, "INSERT INTO consent (" META_COLUMNS ", "
                                          "participant_id, scope, given_on, withdrawn_on) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                          "?11, ?12)", error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, organisation_id, given_at,
             withdrawn_at != NULL ? withdrawn_at : given_at, author);
  koers_bind_text (stmt, 9, participant_id);
  koers_bind_text (stmt, 10, koers_consent_scope_to_id (scope));
  koers_bind_text (stmt, 11, given_on);
  koers_bind_text (stmt, 12, withdrawn_on);
  return koers_database_step (gen->db, stmt, NULL, error);
}

gboolean
koers_demo_write_activity (KoersDemoGenerator *gen, const char *participant_id,
                           const char *organisation_id, const KoersDemoActivity *activity,
                           const char *author, GError **error)
{
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *now = pin_now (gen, activity->started);
  g_autofree char *title = koers_text_normalize (activity->title);
  char started_buf[11];
  char ended_buf[11];
  const char *started_on;
  const char *ended_on;
  sqlite3_stmt *stmt;

  day_to_iso_or_null (activity->started, started_buf, &started_on);
  day_to_iso_or_null (activity->ended, ended_buf, &ended_on);
  stmt = koers_database_prepare (gen->db, "INSERT INTO activity (" META_COLUMNS ", "
                                          "participant_id, kind, title, sector, provider, "
                                          "employer, nlqf_level, started_on, ended_on) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                          "?11, ?12, ?13, ?14, ?15, ?16, ?17)", error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, organisation_id, now, now, author);
  koers_bind_text (stmt, 9, participant_id);
  koers_bind_text (stmt, 10, koers_activity_kind_to_id (activity->kind));
  koers_bind_text (stmt, 11, title);
  koers_bind_text (stmt, 12, activity->sector >= 0 ? koers_sector_to_id (activity->sector)
                                                   : NULL);
  koers_bind_text (stmt, 13, activity->provider);
  koers_bind_text (stmt, 14, activity->employer);
  koers_bind_int64 (stmt, 15, activity->nlqf_level);
  koers_bind_text (stmt, 16, started_on);
  koers_bind_text (stmt, 17, ended_on);
  return koers_database_step (gen->db, stmt, NULL, error);
}

gboolean
koers_demo_write_skill (KoersDemoGenerator *gen, const char *participant_id,
                        const char *organisation_id, const KoersDemoSkill *skill, int day,
                        const char *validator, const char *author, GError **error)
{
  g_autofree char *id = koers_demo_next_uuid (gen);
  g_autofree char *now = pin_now (gen, day);
  g_autofree char *label = koers_text_normalize (skill->label);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (gen->db, "INSERT INTO skill (" META_COLUMNS ", participant_id, "
                                          "label, competentnl_code, isco_code, nlqf_level, "
                                          "evidence, validated_by) VALUES (?1, ?2, ?3, ?4, ?5, "
                                          "?6, ?7, ?8, ?9, ?10, NULL, ?11, ?12, ?13, ?14)", error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, organisation_id, now, now, author);
  koers_bind_text (stmt, 9, participant_id);
  koers_bind_text (stmt, 10, label);
  koers_bind_text (stmt, 11, skill->isco_code);
  koers_bind_int64 (stmt, 12, skill->nlqf_level);
  koers_bind_text (stmt, 13, skill->evidence);
  koers_bind_text (stmt, 14, validator);
  return koers_database_step (gen->db, stmt, NULL, error);
}

gboolean
koers_demo_write_status_change (KoersDemoGenerator *gen, KoersParticipant *p, KoersStatus from,
                                KoersStatus to, const char *changed_on, const char *author,
                                GError **error)
{
  g_autofree char *id = koers_database_new_id (gen->db);
  g_autofree char *now = koers_database_now (gen->db);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (gen->db, "INSERT INTO participant_status_change ("
                                          META_COLUMNS ", participant_id, from_status, "
                                          "to_status, changed_on, changed_at, changed_by) "
                                          "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                                          "?11, ?12, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  bind_meta (stmt, id, koers_participant_get_organisation_id (p), now, now, author);
  koers_bind_text (stmt, 9, koers_participant_get_id (p));
  koers_bind_text (stmt, 10, koers_status_to_id (from));
  koers_bind_text (stmt, 11, koers_status_to_id (to));
  koers_bind_text (stmt, 12, changed_on);
  return koers_database_step (gen->db, stmt, NULL, error);
}

gboolean
koers_demo_write_trajectory_state (KoersDemoGenerator *gen, KoersParticipant *p,
                                   const char *author, GError **error)
{
  g_autofree char *now = koers_database_now (gen->db);
  g_autofree char *next_action = koers_text_normalize (koers_participant_get_next_action (p));
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (gen->db, "UPDATE participant SET status = ?2, outcome = ?3, "
                                          "outcome_date = ?4, next_action = ?5, "
                                          "next_action_date = ?6, updated_at = ?7, "
                                          "updated_by = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, koers_participant_get_id (p));
  koers_bind_text (stmt, 2, koers_status_to_id (koers_participant_get_status (p)));
  koers_bind_text (stmt, 3, koers_outcome_to_id (koers_participant_get_outcome (p)));
  koers_bind_text (stmt, 4, koers_participant_get_outcome_date (p));
  koers_bind_text (stmt, 5, next_action);
  koers_bind_text (stmt, 6, koers_participant_get_next_action_date (p));
  koers_bind_text (stmt, 7, now);
  koers_bind_text (stmt, 8, author);
  if (!koers_database_step (gen->db, stmt, NULL, error))
    return FALSE;
  koers_participant_set_updated_at (p, now);
  koers_participant_set_updated_by (p, author);
  return TRUE;
}
