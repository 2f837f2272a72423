/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-skill-repository.h"

#include "core/koers-participant.h"
#include "core/koers-text.h"
#include "storage/koers-repository-private.h"

#include <string.h>

#define SKILL_COLUMNS KOERS_META_COLUMNS \
  ", participant_id, label, competentnl_code, isco_code, nlqf_level, evidence, validated_by"

KoersSkill *
koers_skill_new (void)
{
  return g_new0 (KoersSkill, 1);
}

void
koers_skill_free (KoersSkill *skill)
{
  if (skill == NULL)
    return;
  koers_record_meta_clear (&skill->meta);
  g_free (skill->participant_id);
  g_free (skill->label);
  g_free (skill->competentnl_code);
  g_free (skill->isco_code);
  g_free (skill->evidence);
  g_free (skill->validated_by);
  g_free (skill);
}

static gpointer
skill_from_row (sqlite3_stmt *stmt)
{
  KoersSkill *skill = koers_skill_new ();

  koers_repository_read_meta (stmt, 0, &skill->meta);
  skill->participant_id = g_strdup (koers_column_text (stmt, 8));
  skill->label = g_strdup (koers_column_text (stmt, 9));
  skill->competentnl_code = g_strdup (koers_column_text (stmt, 10));
  skill->isco_code = g_strdup (koers_column_text (stmt, 11));
  skill->nlqf_level = (int) koers_column_int64 (stmt, 12);
  skill->evidence = g_strdup (koers_column_text (stmt, 13));
  skill->validated_by = g_strdup (koers_column_text (stmt, 14));
  return skill;
}

static gboolean
is_isco_code (const char *code)
{
  if (strlen (code) != 4)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
validate (KoersSkill *s, GError **error)
{
  if (!koers_repository_check_text ("label", s->label, TRUE, KOERS_SHORT_TEXT_MAX_CHARS, FALSE,
                                    error)
      || !koers_repository_check_text ("competentnl-code", s->competentnl_code, FALSE,
                                       KOERS_SHORT_TEXT_MAX_CHARS, FALSE, error))
    return FALSE;
  /* ISCO-08 unit groups are four digits; "Excel lost the leading zero" must not slip in. */
  if (s->isco_code != NULL && *s->isco_code != '\0' && !is_isco_code (s->isco_code))
    {
      koers_repository_set_invalid (error, "isco-code",
                                    _("An ISCO code is four digits, for example 2512"));
      return FALSE;
    }
  if (s->nlqf_level < 0 || s->nlqf_level > 8)
    {
      koers_repository_set_invalid (error, "nlqf-level",
                                    _("The NLQF level must be between 1 and 8"));
      return FALSE;
    }
  return koers_repository_check_text ("evidence", s->evidence, FALSE, KOERS_LONG_TEXT_MAX_CHARS,
                                      TRUE, error)
         && koers_repository_check_text ("validated-by", s->validated_by, FALSE,
                                         KOERS_SHORT_TEXT_MAX_CHARS, FALSE, error);
}

static gboolean
store (KoersDatabase *db, KoersSkill *skill, gboolean is_update, const char *actor,
       GError **error)
{
  KoersRecordMeta meta = { 0 };
  g_autofree char *label = NULL;
  sqlite3_stmt *stmt;

  if (!validate (skill, error)
      || !koers_repository_require_participant (db, "participant-id", skill->participant_id,
                                                error))
    return FALSE;

  koers_record_meta_copy (&meta, &skill->meta);
  if (is_update)
    koers_repository_stamp_update (db, &meta, actor);
  else
    koers_repository_stamp_new (db, &meta, actor);
  label = koers_text_normalize (skill->label);

  if (!koers_database_begin (db, error))
    goto failed;
  stmt = koers_database_prepare (db, is_update
                                 ? "UPDATE skill SET updated_at = ?6, updated_by = ?7, "
                                   "participant_id = ?9, label = ?10, competentnl_code = ?11, "
                                   "isco_code = ?12, nlqf_level = ?13, evidence = ?14, "
                                   "validated_by = ?15 WHERE id = ?1 AND deleted = 0"
                                 : "INSERT INTO skill (" SKILL_COLUMNS ") VALUES (?1, ?2, ?3, "
                                   "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                                 error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      goto failed;
    }
  koers_repository_bind_meta (stmt, 1, &meta);
  koers_bind_text (stmt, 9, skill->participant_id);
  koers_bind_text (stmt, 10, label);
  koers_bind_text (stmt, 11, skill->competentnl_code);
  koers_bind_text (stmt, 12, skill->isco_code != NULL && *skill->isco_code != '\0'
                             ? skill->isco_code : NULL);
  koers_bind_int64 (stmt, 13, skill->nlqf_level);
  koers_bind_text (stmt, 14, skill->evidence);
  koers_bind_text (stmt, 15, skill->validated_by);
  if (!koers_repository_write (db, stmt, is_update, "skill", meta.id, actor, error))
    goto failed;

  koers_record_meta_clear (&skill->meta);
  skill->meta = meta;
  g_free (skill->label);
  skill->label = g_steal_pointer (&label);
  return TRUE;

failed:
  koers_record_meta_clear (&meta);
  return FALSE;
}

gboolean
koers_skill_repository_insert (KoersDatabase *db, KoersSkill *skill, const char *actor,
                               GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (skill != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return store (db, skill, FALSE, actor, error);
}

gboolean
koers_skill_repository_update (KoersDatabase *db, KoersSkill *skill, const char *actor,
                               GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (skill != NULL, FALSE);
  g_return_val_if_fail (skill->meta.id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return store (db, skill, TRUE, actor, error);
}

gboolean
koers_skill_repository_set_deleted (KoersDatabase *db, const char *id, gboolean deleted,
                                    const char *actor, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return koers_repository_set_deleted (db, "skill", "skill", id, deleted, actor, error);
}

GPtrArray *
koers_skill_repository_list (KoersDatabase *db, const char *participant_id, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  stmt = koers_database_prepare (db, "SELECT " SKILL_COLUMNS " FROM skill "
                                     "WHERE participant_id = ?1 AND deleted = 0 "
                                     "ORDER BY label COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  return koers_repository_collect (db, stmt, skill_from_row, (GDestroyNotify) koers_skill_free,
                                   error);
}
