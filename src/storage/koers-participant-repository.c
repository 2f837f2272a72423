/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-participant-repository.h"

#include "core/koers-date.h"
#include "core/koers-status.h"
#include "core/koers-text.h"
#include "storage/koers-audit.h"
#include "storage/koers-participant-private.h"
#include "storage/koers-repository-private.h"

#include <stdlib.h>

/* The text fields as they will be stored: NFC, trimmed, NULL when empty. */
typedef struct {
  char *name;
  char *preferred_name;
  char *phone;
  char *email;
  char *languages;
  char *preferred_language;
  char *interests;
  char *ambitions;
  char *next_action;
  char *name_key;
  char *search_key;
} CleanText;

/* TRUE when @text is plain ASCII without white space at either end: already NFC and trimmed,
 * as nearly every imported cell is. */
static gboolean
is_clean_ascii (const char *text)
{
  const char *p = text;

  if (g_ascii_isspace (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    if ((guchar) *p >= 0x80)
      return FALSE;
  return p == text || !g_ascii_isspace (p[-1]);
}

static char *
clean (const char *text)
{
  char *normalized;

  if (text == NULL)
    return NULL;
  if (is_clean_ascii (text))
    return *text != '\0' ? g_strdup (text) : NULL;
  normalized = koers_text_normalize (text);
  if (normalized != NULL && *normalized == '\0')
    g_clear_pointer (&normalized, g_free);
  return normalized;
}

static void
clean_text_init (CleanText *text, KoersParticipant *participant)
{
  text->name = clean (koers_participant_get_name (participant));
  text->preferred_name = clean (koers_participant_get_preferred_name (participant));
  text->phone = clean (koers_participant_get_phone (participant));
  text->email = clean (koers_participant_get_email (participant));
  text->languages = clean (koers_participant_get_languages (participant));
  text->preferred_language = clean (koers_participant_get_preferred_language (participant));
  text->interests = clean (koers_participant_get_interests (participant));
  text->ambitions = clean (koers_participant_get_ambitions (participant));
  text->next_action = clean (koers_participant_get_next_action (participant));
  koers_participant_repository_keys (text->name, text->preferred_name, &text->name_key,
                                     &text->search_key);
}

void
koers_participant_repository_keys (const char *name, const char *preferred_name,
                                   char **out_name_key, char **out_search_key)
{
  g_autofree char *preferred_key = koers_repository_fold (preferred_name);

  g_return_if_fail (out_name_key != NULL && out_search_key != NULL);

  *out_name_key = koers_repository_fold (name);
  /* A newline keeps a search from matching across the end of one name into the other. */
  *out_search_key = g_strconcat (*out_name_key, "\n", preferred_key, NULL);
}

static void
clean_text_clear (CleanText *text)
{
  g_free (text->name);
  g_free (text->preferred_name);
  g_free (text->phone);
  g_free (text->email);
  g_free (text->languages);
  g_free (text->preferred_language);
  g_free (text->interests);
  g_free (text->ambitions);
  g_free (text->next_action);
  g_free (text->name_key);
  g_free (text->search_key);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CleanText, clean_text_clear)

/* Binds the profile and trajectory columns, parameters 9 .. 33 (see PARTICIPANT_WRITE_COLUMNS). */
static void
bind_fields (sqlite3_stmt *stmt, KoersParticipant *p, const CleanText *text)
{
  koers_bind_text (stmt, 9, text->name);
  koers_bind_text (stmt, 10, text->preferred_name);
  koers_bind_int64 (stmt, 11, koers_participant_get_birth_year (p));
  koers_bind_text (stmt, 12, koers_municipality_to_id (koers_participant_get_municipality (p)));
  koers_bind_text (stmt, 13, text->phone);
  koers_bind_text (stmt, 14, text->email);
  koers_bind_text (stmt, 15, text->languages);
  koers_bind_text (stmt, 16, text->preferred_language);
  koers_bind_text (stmt, 17, koers_cefr_level_to_id (koers_participant_get_dutch_level (p)));
  koers_bind_bool (stmt, 18, koers_participant_get_digital_skills_need (p));
  koers_bind_bool (stmt, 19, koers_participant_get_basic_skills_need (p));
  koers_bind_text (stmt, 20, koers_target_group_to_id (koers_participant_get_target_group (p)));
  koers_bind_bool (stmt, 21, koers_participant_get_civic_integration_duty (p));
  koers_bind_text (stmt, 22, text->interests);
  koers_bind_text (stmt, 23, text->ambitions);
  koers_bind_text (stmt, 24, koers_participant_get_coach_id (p));
  koers_bind_int64 (stmt, 25, koers_participant_get_project_line (p));
  koers_bind_text (stmt, 26, koers_status_to_id (koers_participant_get_status (p)));
  koers_bind_text (stmt, 27, koers_participant_get_registered_on (p));
  koers_bind_text (stmt, 28, text->next_action);
  koers_bind_text (stmt, 29, koers_participant_get_next_action_date (p));
  koers_bind_text (stmt, 30, koers_outcome_to_id (koers_participant_get_outcome (p)));
  koers_bind_text (stmt, 31, koers_participant_get_outcome_date (p));
  koers_bind_text (stmt, 32, text->name_key);
  koers_bind_text (stmt, 33, text->search_key);
}

static void
apply_clean_text (KoersParticipant *p, const CleanText *text)
{
  koers_participant_set_name (p, text->name);
  koers_participant_set_preferred_name (p, text->preferred_name);
  koers_participant_set_phone (p, text->phone);
  koers_participant_set_email (p, text->email);
  koers_participant_set_languages (p, text->languages);
  koers_participant_set_preferred_language (p, text->preferred_language);
  koers_participant_set_interests (p, text->interests);
  koers_participant_set_ambitions (p, text->ambitions);
  koers_participant_set_next_action (p, text->next_action);
}

KoersParticipant *
koers_participant_from_row (sqlite3_stmt *stmt)
{
  KoersParticipant *p = koers_participant_new ();
  KoersMunicipality municipality = 0;
  KoersCefrLevel level = 0;
  KoersTargetGroup group = 0;
  KoersStatus status = 0;
  KoersOutcome outcome = 0;

  koers_participant_set_id (p, koers_column_text (stmt, 0));
  koers_participant_set_organisation_id (p, koers_column_text (stmt, 1));
  koers_participant_set_version (p, koers_column_int64 (stmt, 2));
  koers_participant_set_created_at (p, koers_column_text (stmt, 3));
  koers_participant_set_created_by (p, koers_column_text (stmt, 4));
  koers_participant_set_updated_at (p, koers_column_text (stmt, 5));
  koers_participant_set_updated_by (p, koers_column_text (stmt, 6));
  koers_participant_set_deleted (p, koers_column_bool (stmt, 7));
  koers_participant_set_name (p, koers_column_text (stmt, 8));
  koers_participant_set_preferred_name (p, koers_column_text (stmt, 9));
  koers_participant_set_birth_year (p, (int) koers_column_int64 (stmt, 10));
  koers_municipality_from_id (koers_column_text (stmt, 11), &municipality);
  koers_participant_set_municipality (p, municipality);
  koers_participant_set_phone (p, koers_column_text (stmt, 12));
  koers_participant_set_email (p, koers_column_text (stmt, 13));
  koers_participant_set_languages (p, koers_column_text (stmt, 14));
  koers_participant_set_preferred_language (p, koers_column_text (stmt, 15));
  koers_cefr_level_from_id (koers_column_text (stmt, 16), &level);
  koers_participant_set_dutch_level (p, level);
  koers_participant_set_digital_skills_need (p, koers_column_bool (stmt, 17));
  koers_participant_set_basic_skills_need (p, koers_column_bool (stmt, 18));
  koers_target_group_from_id (koers_column_text (stmt, 19), &group);
  koers_participant_set_target_group (p, group);
  koers_participant_set_civic_integration_duty (p, koers_column_bool (stmt, 20));
  koers_participant_set_interests (p, koers_column_text (stmt, 21));
  koers_participant_set_ambitions (p, koers_column_text (stmt, 22));
  koers_participant_set_coach_id (p, koers_column_text (stmt, 23));
  koers_participant_set_project_line (p, (int) koers_column_int64 (stmt, 24));
  koers_status_from_id (koers_column_text (stmt, 25), &status);
  koers_participant_set_status (p, status);
  koers_participant_set_registered_on (p, koers_column_text (stmt, 26));
  koers_participant_set_next_action (p, koers_column_text (stmt, 27));
  koers_participant_set_next_action_date (p, koers_column_text (stmt, 28));
  koers_outcome_from_id (koers_column_text (stmt, 29), &outcome);
  koers_participant_set_outcome (p, outcome);
  koers_participant_set_outcome_date (p, koers_column_text (stmt, 30));
  return p;
}

/* The references the domain object cannot check itself: the coach and organisation must exist. */
gboolean
koers_participant_validate_references (KoersDatabase *db, KoersParticipant *p, GError **error)
{
  const char *coach_id = koers_participant_get_coach_id (p);
  const char *organisation_id = koers_participant_get_organisation_id (p);
  gboolean exists = FALSE;
  gboolean deleted = FALSE;

  if (coach_id != NULL)
    {
      if (!koers_repository_row_exists (db, "coach", coach_id, &exists, &deleted, error))
        return FALSE;
      if (!exists || deleted)
        {
          koers_repository_set_invalid (error, "coach-id", _("No coach with this id"));
          return FALSE;
        }
    }
  if (organisation_id != NULL)
    {
      if (!koers_repository_row_exists (db, "organisation", organisation_id, &exists, NULL,
                                        error))
        return FALSE;
      if (!exists)
        {
          koers_repository_set_invalid (error, "organisation-id",
                                        _("No organisation with this id"));
          return FALSE;
        }
    }
  return TRUE;
}

/* Domain rules first (koers_participant_validate), then the references. */
static gboolean
validate (KoersDatabase *db, KoersParticipant *p, GError **error)
{
  g_autoptr(GPtrArray) problems = koers_participant_validate (p, koers_date_today_year ());

  if (problems->len > 0)
    {
      KoersFieldError *first = g_ptr_array_index (problems, 0);

      koers_repository_set_invalid (error, first->field, "%s", first->message);
      return FALSE;
    }
  return koers_participant_validate_references (db, p, error);
}

static gboolean
insert_status_change (KoersDatabase *db, const char *participant_id, const char *organisation_id,
                      const char *from_status, const char *to_status, const char *changed_on,
                      const char *now, const char *actor, GError **error)
{
  g_autofree char *id = koers_database_new_id (db);
  sqlite3_stmt *stmt;

  stmt = koers_database_prepare (db,
                                 "INSERT INTO participant_status_change (id, organisation_id, "
                                 "created_at, created_by, updated_at, updated_by, participant_id, "
                                 "from_status, to_status, changed_on, changed_at, changed_by) "
                                 "VALUES (?1, ?2, ?3, ?4, ?3, ?4, ?5, ?6, ?7, ?8, ?3, ?4)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, organisation_id);
  koers_bind_text (stmt, 3, now);
  koers_bind_text (stmt, 4, actor);
  koers_bind_text (stmt, 5, participant_id);
  koers_bind_text (stmt, 6, from_status);
  koers_bind_text (stmt, 7, to_status);
  koers_bind_text (stmt, 8, changed_on);
  return koers_database_step (db, stmt, NULL, error);
}

gboolean
koers_participant_write_new (KoersDatabase *db, KoersParticipant *participant, const char *actor,
                             gboolean audit, gboolean with_history, const char *now_or_null,
                             const char *today_or_null, GError **error)
{
  g_auto(CleanText) text = { 0 };
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *changed_on = NULL;
  const char *status_id;
  sqlite3_stmt *stmt;

  clean_text_init (&text, participant);
  id = g_strdup (koers_participant_get_id (participant));
  if (id == NULL || *id == '\0')
    {
      g_free (id);
      id = koers_database_new_id (db);
    }
  now = now_or_null != NULL ? g_strdup (now_or_null) : koers_database_now (db);
  /* The first status counts from registration (KPI "guided" may start on that day). */
  changed_on = g_strdup (koers_participant_get_registered_on (participant));
  if (changed_on == NULL)
    changed_on = today_or_null != NULL ? g_strdup (today_or_null) : koers_database_today (db);
  status_id = koers_status_to_id (koers_participant_get_status (participant));

  stmt = koers_database_prepare (db,
                                 "INSERT INTO participant (" PARTICIPANT_WRITE_COLUMNS ") VALUES "
                                 "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "
                                 "?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, "
                                 "?27, ?28, ?29, ?30, ?31, ?32, ?33)", error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, koers_participant_get_organisation_id (participant));
  koers_bind_int64 (stmt, 3, 0);
  koers_bind_text (stmt, 4, now);
  koers_bind_text (stmt, 5, actor);
  koers_bind_text (stmt, 6, now);
  koers_bind_text (stmt, 7, actor);
  koers_bind_bool (stmt, 8, FALSE);
  bind_fields (stmt, participant, &text);
  if (!koers_database_step (db, stmt, NULL, error))
    return FALSE;

  if ((with_history
       && !insert_status_change (db, id, koers_participant_get_organisation_id (participant),
                                 NULL, status_id, changed_on, now, actor, error))
      || (audit && !koers_audit_record (db, actor, KOERS_AUDIT_ACTION_CREATE, "participant", id,
                                        NULL, KOERS_AUDIT_RESULT_SUCCESS, error)))
    return FALSE;

  koers_participant_set_id (participant, id);
  koers_participant_set_version (participant, 0);
  koers_participant_set_created_at (participant, now);
  koers_participant_set_created_by (participant, actor);
  koers_participant_set_updated_at (participant, now);
  koers_participant_set_updated_by (participant, actor);
  koers_participant_set_deleted (participant, FALSE);
  apply_clean_text (participant, &text);
  return TRUE;
}

gboolean
koers_participant_repository_insert (KoersDatabase *db, KoersParticipant *participant,
                                     const char *actor, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (participant), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!validate (db, participant, error))
    return FALSE;
  if (!koers_database_begin (db, error))
    return FALSE;
  if (!koers_participant_write_new (db, participant, actor, TRUE, TRUE, NULL, NULL, error)
      || !koers_database_commit (db, error))
    {
      koers_database_rollback (db);
      return FALSE;
    }
  return TRUE;
}

/* Reads what an update or an undo must compare against. */
gboolean
koers_participant_load_status (KoersDatabase *db, const char *id, KoersStatus *out_status,
                               gboolean *out_deleted, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  stmt = koers_database_prepare (db, "SELECT status, deleted FROM participant WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return FALSE;
  if (!has_row)
    {
      koers_repository_set_not_found (error, "participant", id, FALSE);
      return FALSE;
    }
  koers_status_from_id (koers_column_text (stmt, 0), out_status);
  *out_deleted = koers_column_bool (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

gboolean
koers_participant_repository_update_full (KoersDatabase *db, KoersParticipant *participant,
                                          const char *status_changed_on, const char *actor,
                                          GError **error)
{
  g_auto(CleanText) text = { 0 };
  g_autofree char *now = NULL;
  g_autofree char *today = NULL;
  g_autofree char *reason = NULL;
  const char *id;
  KoersStatus old_status = 0;
  KoersStatus new_status;
  gboolean deleted = FALSE;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (participant), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  id = koers_participant_get_id (participant);
  if (id == NULL || *id == '\0')
    {
      koers_repository_set_invalid (error, "id", _("The participant has not been stored yet"));
      return FALSE;
    }
  if (!koers_repository_check_date ("status-changed-on", status_changed_on, FALSE, error))
    return FALSE;
  if (!validate (db, participant, error))
    return FALSE;
  if (!koers_participant_load_status (db, id, &old_status, &deleted, error))
    return FALSE;
  if (deleted)
    {
      koers_repository_set_invalid (error, "deleted",
                                    _("The participant was deleted; restore them first"));
      return FALSE;
    }
  new_status = koers_participant_get_status (participant);
  if (new_status != old_status
      && !koers_status_check_transition (old_status, new_status,
                                         koers_participant_get_outcome (participant), &reason))
    {
      koers_repository_set_invalid (error, "status", "%s", reason);
      return FALSE;
    }

  clean_text_init (&text, participant);
  now = koers_database_now (db);
  today = koers_database_today (db);

  if (!koers_database_begin (db, error))
    return FALSE;

  /* created_*, version and deleted are not the editor's to change: parameters 3-5 and 8 stay
   * unused. */
  stmt = koers_database_prepare (db,
                                 "UPDATE participant SET organisation_id = ?2, updated_at = ?6, "
                                 "updated_by = ?7, name = ?9, preferred_name = ?10, "
                                 "birth_year = ?11, municipality = ?12, phone = ?13, email = ?14, "
                                 "languages = ?15, preferred_language = ?16, dutch_level = ?17, "
                                 "digital_skills_need = ?18, basic_skills_need = ?19, "
                                 "target_group = ?20, civic_integration_duty = ?21, "
                                 "interests = ?22, ambitions = ?23, coach_id = ?24, "
                                 "project_line = ?25, status = ?26, registered_on = ?27, "
                                 "next_action = ?28, next_action_date = ?29, outcome = ?30, "
                                 "outcome_date = ?31, name_key = ?32, search_key = ?33 "
                                 "WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  koers_bind_text (stmt, 1, id);
  koers_bind_text (stmt, 2, koers_participant_get_organisation_id (participant));
  koers_bind_text (stmt, 6, now);
  koers_bind_text (stmt, 7, actor);
  bind_fields (stmt, participant, &text);
  if (!koers_database_step (db, stmt, NULL, error))
    goto failed;

  if (new_status != old_status
      && !insert_status_change (db, id, koers_participant_get_organisation_id (participant),
                                koers_status_to_id (old_status), koers_status_to_id (new_status),
                                status_changed_on != NULL ? status_changed_on : today, now, actor,
                                error))
    goto failed;

  if (!koers_audit_record (db, actor, KOERS_AUDIT_ACTION_CHANGE, "participant", id, NULL,
                           KOERS_AUDIT_RESULT_SUCCESS, error)
      || !koers_database_commit (db, error))
    goto failed;

  koers_participant_set_updated_at (participant, now);
  koers_participant_set_updated_by (participant, actor);
  apply_clean_text (participant, &text);
  return TRUE;

failed:
  koers_database_rollback (db);
  return FALSE;
}

gboolean
koers_participant_repository_update (KoersDatabase *db, KoersParticipant *participant,
                                     const char *actor, GError **error)
{
  return koers_participant_repository_update_full (db, participant, NULL, actor, error);
}

static KoersParticipant *
read_participant (KoersDatabase *db, const char *id, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;
  KoersParticipant *participant;

  stmt = koers_database_prepare (db, "SELECT " PARTICIPANT_READ_COLUMNS
                                     " FROM participant WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      koers_repository_set_not_found (error, "participant", id, FALSE);
      return NULL;
    }
  participant = koers_participant_from_row (stmt);
  sqlite3_reset (stmt);
  return participant;
}

KoersParticipant *
koers_participant_repository_get (KoersDatabase *db, const char *id, const char *actor,
                                  const char *purpose, GError **error)
{
  g_autoptr(KoersParticipant) participant = NULL;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  participant = read_participant (db, id, error);
  if (participant == NULL)
    return NULL;

  /* No event, no file: a read that cannot be audited is not shown. */
  if (!koers_audit_record (db, actor, KOERS_AUDIT_ACTION_OPEN, "participant", id, purpose,
                           KOERS_AUDIT_RESULT_SUCCESS, error))
    return NULL;
  return g_steal_pointer (&participant);
}

KoersParticipant *
koers_participant_repository_reload (KoersDatabase *db, const char *id, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return read_participant (db, id, error);
}

gboolean
koers_participant_repository_set_deleted (KoersDatabase *db, const char *id, gboolean deleted,
                                          const char *actor, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return koers_repository_set_deleted (db, "participant", "participant", id, deleted, actor,
                                       error);
}

GPtrArray *
koers_participant_repository_find_duplicates (KoersDatabase *db, KoersParticipant *candidate,
                                              GError **error)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *name_key = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (KOERS_IS_PARTICIPANT (candidate), NULL);

  normalized = clean (koers_participant_get_name (candidate));
  name_key = koers_repository_fold (normalized);
  if (*name_key == '\0')
    return g_steal_pointer (&found);

  stmt = koers_database_prepare (db, "SELECT " PARTICIPANT_READ_COLUMNS " FROM participant "
                                     "WHERE name_key = ?1 AND birth_year = ?2 "
                                     "AND municipality = ?3 AND deleted = 0 AND id IS NOT ?4 "
                                     "ORDER BY seq", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, name_key);
  koers_bind_int64 (stmt, 2, koers_participant_get_birth_year (candidate));
  koers_bind_text (stmt, 3,
                   koers_municipality_to_id (koers_participant_get_municipality (candidate)));
  koers_bind_text (stmt, 4, koers_participant_get_id (candidate));
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    g_ptr_array_add (found, koers_participant_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&found);
}
