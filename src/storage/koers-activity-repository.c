/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-activity-repository.h"

#include "core/koers-participant.h"
#include "core/koers-text.h"
#include "storage/koers-repository-private.h"

#define ACTIVITY_COLUMNS KOERS_META_COLUMNS \
  ", participant_id, kind, title, sector, provider, employer, nlqf_level, started_on, ended_on"

KoersActivity *
koers_activity_new (void)
{
  KoersActivity *activity = g_new0 (KoersActivity, 1);

  activity->sector = -1;
  return activity;
}

void
koers_activity_free (KoersActivity *activity)
{
  if (activity == NULL)
    return;
  koers_record_meta_clear (&activity->meta);
  g_free (activity->participant_id);
  g_free (activity->title);
  g_free (activity->provider);
  g_free (activity->employer);
  g_free (activity->started_on);
  g_free (activity->ended_on);
  g_free (activity);
}

static gpointer
activity_from_row (sqlite3_stmt *stmt)
{
  KoersActivity *activity = koers_activity_new ();
  KoersSector sector = 0;

  koers_repository_read_meta (stmt, 0, &activity->meta);
  activity->participant_id = g_strdup (koers_column_text (stmt, 8));
  koers_activity_kind_from_id (koers_column_text (stmt, 9), &activity->kind);
  activity->title = g_strdup (koers_column_text (stmt, 10));
  if (koers_column_text (stmt, 11) != NULL
      && koers_sector_from_id (koers_column_text (stmt, 11), &sector))
    activity->sector = sector;
  activity->provider = g_strdup (koers_column_text (stmt, 12));
  activity->employer = g_strdup (koers_column_text (stmt, 13));
  activity->nlqf_level = (int) koers_column_int64 (stmt, 14);
  activity->started_on = g_strdup (koers_column_text (stmt, 15));
  activity->ended_on = g_strdup (koers_column_text (stmt, 16));
  return activity;
}

static gboolean
validate (KoersActivity *a, GError **error)
{
  if ((guint) a->kind >= KOERS_N_ACTIVITY_KINDS)
    {
      koers_repository_set_invalid (error, "kind", _("Unknown kind of activity"));
      return FALSE;
    }
  if (!koers_repository_check_text ("title", a->title, TRUE, KOERS_SHORT_TEXT_MAX_CHARS, FALSE,
                                    error))
    return FALSE;
  /* The proeverijen KPI is reported per opportunity sector. */
  if (a->kind == KOERS_ACTIVITY_PROEVERIJ && (a->sector < 0 || a->sector >= KOERS_N_SECTORS))
    {
      koers_repository_set_invalid (error, "sector", _("Choose the sector of the proeverij"));
      return FALSE;
    }
  if (a->kind != KOERS_ACTIVITY_PROEVERIJ && a->sector >= 0)
    {
      koers_repository_set_invalid (error, "sector", _("Only a proeverij has a sector"));
      return FALSE;
    }
  if (!koers_repository_check_text ("provider", a->provider, FALSE, KOERS_SHORT_TEXT_MAX_CHARS,
                                    FALSE, error)
      || !koers_repository_check_text ("employer", a->employer, FALSE,
                                       KOERS_SHORT_TEXT_MAX_CHARS, FALSE, error))
    return FALSE;
  if (a->nlqf_level < 0 || a->nlqf_level > 8)
    {
      koers_repository_set_invalid (error, "nlqf-level",
                                    _("The NLQF level must be between 1 and 8"));
      return FALSE;
    }
  if (a->nlqf_level > 0 && !koers_activity_kind_is_credential (a->kind))
    {
      koers_repository_set_invalid (error, "nlqf-level",
                                    _("Only a certificate, praktijkverklaring or "
                                      "microcredential has an NLQF level"));
      return FALSE;
    }
  if (!koers_repository_check_date ("started-on", a->started_on, FALSE, error)
      || !koers_repository_check_date ("ended-on", a->ended_on, FALSE, error))
    return FALSE;
  if (a->started_on != NULL && a->ended_on != NULL && g_strcmp0 (a->ended_on, a->started_on) < 0)
    {
      koers_repository_set_invalid (error, "ended-on",
                                    _("The end date is before the start date"));
      return FALSE;
    }
  return TRUE;
}

static void
bind_fields (sqlite3_stmt *stmt, KoersActivity *a)
{
  g_autofree char *title = koers_text_normalize (a->title);

  koers_bind_text (stmt, 9, a->participant_id);
  koers_bind_text (stmt, 10, koers_activity_kind_to_id (a->kind));
  koers_bind_text (stmt, 11, title);
  koers_bind_text (stmt, 12, a->sector >= 0 ? koers_sector_to_id (a->sector) : NULL);
  koers_bind_text (stmt, 13, a->provider);
  koers_bind_text (stmt, 14, a->employer);
  koers_bind_int64 (stmt, 15, a->nlqf_level);
  koers_bind_text (stmt, 16, a->started_on);
  koers_bind_text (stmt, 17, a->ended_on);
}

static gboolean
store (KoersDatabase *db, KoersActivity *activity, gboolean is_update, const char *actor,
       GError **error)
{
  KoersRecordMeta meta = { 0 };
  sqlite3_stmt *stmt;

  if (!validate (activity, error)
      || !koers_repository_require_participant (db, "participant-id", activity->participant_id,
                                                error))
    return FALSE;

  koers_record_meta_copy (&meta, &activity->meta);
  if (is_update)
    koers_repository_stamp_update (db, &meta, actor);
  else
    koers_repository_stamp_new (db, &meta, actor);

  if (!koers_database_begin (db, error))
    goto failed;
  stmt = koers_database_prepare (db, is_update
                                 ? "UPDATE activity SET updated_at = ?6, updated_by = ?7, "
                                   "participant_id = ?9, kind = ?10, title = ?11, sector = ?12, "
                                   "provider = ?13, employer = ?14, nlqf_level = ?15, "
                                   "started_on = ?16, ended_on = ?17 "
                                   "WHERE id = ?1 AND deleted = 0"
                                 : "INSERT INTO activity (" ACTIVITY_COLUMNS ") VALUES (?1, ?2, "
                                   "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                                   "?16, ?17)", error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      goto failed;
    }
  koers_repository_bind_meta (stmt, 1, &meta);
  bind_fields (stmt, activity);
  if (!koers_repository_write (db, stmt, is_update, "activity", meta.id, actor, error))
    goto failed;

  koers_record_meta_clear (&activity->meta);
  activity->meta = meta;
  return TRUE;

failed:
  koers_record_meta_clear (&meta);
  return FALSE;
}

gboolean
koers_activity_repository_insert (KoersDatabase *db, KoersActivity *activity, const char *actor,
                                  GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (activity != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return store (db, activity, FALSE, actor, error);
}

gboolean
koers_activity_repository_update (KoersDatabase *db, KoersActivity *activity, const char *actor,
                                  GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (activity != NULL, FALSE);
  g_return_val_if_fail (activity->meta.id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return store (db, activity, TRUE, actor, error);
}

gboolean
koers_activity_repository_set_deleted (KoersDatabase *db, const char *id, gboolean deleted,
                                       const char *actor, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  return koers_repository_set_deleted (db, "activity", "activity", id, deleted, actor, error);
}

GPtrArray *
koers_activity_repository_list (KoersDatabase *db, const char *participant_id, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  stmt = koers_database_prepare (db, "SELECT " ACTIVITY_COLUMNS " FROM activity "
                                     "WHERE participant_id = ?1 AND deleted = 0 "
                                     "ORDER BY started_on NULLS LAST, created_at, id", error);
  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, participant_id);
  return koers_repository_collect (db, stmt, activity_from_row,
                                   (GDestroyNotify) koers_activity_free, error);
}
