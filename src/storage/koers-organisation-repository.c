/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-organisation-repository.h"

#include "core/koers-participant.h"
#include "core/koers-status.h"
#include "storage/koers-repository-private.h"

#define ORGANISATION_COLUMNS KOERS_META_COLUMNS ", name"
#define COACH_COLUMNS KOERS_META_COLUMNS ", name, email"

KoersOrganisation *
koers_organisation_new (void)
{
  return g_new0 (KoersOrganisation, 1);
}

void
koers_organisation_free (KoersOrganisation *organisation)
{
  if (organisation == NULL)
    return;
  koers_record_meta_clear (&organisation->meta);
  g_free (organisation->name);
  g_free (organisation);
}

KoersCoach *
koers_coach_new (void)
{
  return g_new0 (KoersCoach, 1);
}

void
koers_coach_free (KoersCoach *coach)
{
  if (coach == NULL)
    return;
  koers_record_meta_clear (&coach->meta);
  g_free (coach->name);
  g_free (coach->email);
  g_free (coach);
}

static gpointer
organisation_from_row (sqlite3_stmt *stmt)
{
  KoersOrganisation *organisation = koers_organisation_new ();

  koers_repository_read_meta (stmt, 0, &organisation->meta);
  organisation->name = g_strdup (koers_column_text (stmt, 8));
  return organisation;
}

static gpointer
coach_from_row (sqlite3_stmt *stmt)
{
  KoersCoach *coach = koers_coach_new ();

  koers_repository_read_meta (stmt, 0, &coach->meta);
  coach->name = g_strdup (koers_column_text (stmt, 8));
  coach->email = g_strdup (koers_column_text (stmt, 9));
  return coach;
}

gboolean
koers_organisation_repository_insert (KoersDatabase *db, KoersOrganisation *organisation,
                                      const char *actor, GError **error)
{
  KoersRecordMeta meta = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (organisation != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!koers_repository_check_text ("name", organisation->name, TRUE, KOERS_NAME_MAX_CHARS,
                                    FALSE, error))
    return FALSE;

  koers_record_meta_copy (&meta, &organisation->meta);
  koers_repository_stamp_new (db, &meta, actor);
  g_free (meta.organisation_id);
  meta.organisation_id = g_strdup (meta.id);

  if (!koers_database_begin (db, error))
    goto failed;
  stmt = koers_database_prepare (db, "INSERT INTO organisation (" ORGANISATION_COLUMNS ") "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      goto failed;
    }
  koers_repository_bind_meta (stmt, 1, &meta);
  koers_bind_text (stmt, 9, organisation->name);
  if (!koers_repository_write (db, stmt, FALSE, "organisation", meta.id, actor, error))
    goto failed;
  koers_record_meta_clear (&organisation->meta);
  organisation->meta = meta;
  return TRUE;

failed:
  koers_record_meta_clear (&meta);
  return FALSE;
}

GPtrArray *
koers_organisation_repository_list (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  stmt = koers_database_prepare (db, "SELECT " ORGANISATION_COLUMNS " FROM organisation "
                                     "WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  return koers_repository_collect (db, stmt, organisation_from_row,
                                   (GDestroyNotify) koers_organisation_free, error);
}

static gpointer
get_one (KoersDatabase *db, const char *sql, const char *what, const char *id,
         KoersRowReader reader, GError **error)
{
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, error);
  gboolean has_row = FALSE;
  gpointer item;

  if (stmt == NULL)
    return NULL;
  koers_bind_text (stmt, 1, id);
  if (!koers_database_step (db, stmt, &has_row, error))
    return NULL;
  if (!has_row)
    {
      koers_repository_set_not_found (error, what, id, FALSE);
      return NULL;
    }
  item = reader (stmt);
  sqlite3_reset (stmt);
  return item;
}

KoersOrganisation *
koers_organisation_repository_get (KoersDatabase *db, const char *id, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return get_one (db, "SELECT " ORGANISATION_COLUMNS " FROM organisation WHERE id = ?1",
                  "organisation", id, organisation_from_row, error);
}

gboolean
koers_coach_repository_insert (KoersDatabase *db, KoersCoach *coach, const char *actor,
                               GError **error)
{
  KoersRecordMeta meta = { 0 };
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (coach != NULL, FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!koers_repository_check_text ("name", coach->name, TRUE, KOERS_NAME_MAX_CHARS, FALSE,
                                    error)
      || !koers_repository_check_text ("email", coach->email, FALSE, KOERS_SHORT_TEXT_MAX_CHARS,
                                       FALSE, error))
    return FALSE;
  if (coach->meta.organisation_id != NULL)
    {
      gboolean exists = FALSE;

      if (!koers_repository_row_exists (db, "organisation", coach->meta.organisation_id, &exists,
                                        NULL, error))
        return FALSE;
      if (!exists)
        {
          koers_repository_set_invalid (error, "organisation-id",
                                        _("No organisation with this id"));
          return FALSE;
        }
    }

  koers_record_meta_copy (&meta, &coach->meta);
  koers_repository_stamp_new (db, &meta, actor);
  if (!koers_database_begin (db, error))
    goto failed;
  stmt = koers_database_prepare (db, "INSERT INTO coach (" COACH_COLUMNS ") "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  if (stmt == NULL)
    {
      koers_database_rollback (db);
      goto failed;
    }
  koers_repository_bind_meta (stmt, 1, &meta);
  koers_bind_text (stmt, 9, coach->name);
  koers_bind_text (stmt, 10, coach->email);
  if (!koers_repository_write (db, stmt, FALSE, "coach", meta.id, actor, error))
    goto failed;
  koers_record_meta_clear (&coach->meta);
  coach->meta = meta;
  return TRUE;

failed:
  koers_record_meta_clear (&meta);
  return FALSE;
}

GPtrArray *
koers_coach_repository_list (KoersDatabase *db, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  stmt = koers_database_prepare (db, "SELECT " COACH_COLUMNS " FROM coach "
                                     "WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;
  return koers_repository_collect (db, stmt, coach_from_row, (GDestroyNotify) koers_coach_free,
                                   error);
}

KoersCoach *
koers_coach_repository_get (KoersDatabase *db, const char *id, GError **error)
{
  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return get_one (db, "SELECT " COACH_COLUMNS " FROM coach WHERE id = ?1", "coach", id,
                  coach_from_row, error);
}

GHashTable *
koers_coach_repository_caseload_sizes (KoersDatabase *db, GError **error)
{
  g_autoptr(GHashTable) sizes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) final = g_string_new (NULL);
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt;
  gboolean has_row = FALSE;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);

  for (guint i = 0; i < KOERS_N_STATUSES; i++)
    if (koers_status_is_final (i))
      g_string_append_printf (final, "%s'%s'", final->len > 0 ? ", " : "",
                              koers_status_to_id (i));
  sql = g_strdup_printf ("SELECT coach_id, count(*) FROM participant WHERE deleted = 0 "
                         "AND coach_id IS NOT NULL AND status NOT IN (%s) GROUP BY coach_id",
                         final->str);
  stmt = koers_database_prepare (db, sql, error);
  if (stmt == NULL)
    return NULL;
  while (koers_database_step (db, stmt, &has_row, &local_error) && has_row)
    g_hash_table_insert (sizes, g_strdup (koers_column_text (stmt, 0)),
                         GUINT_TO_POINTER ((guint) koers_column_int64 (stmt, 1)));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&sizes);
}
