/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage-test-util.h"

#include "storage/koers-organisation-repository.h"
#include "storage/koers-participant-repository.h"

#include "koers-test-helpers.h"

KoersDatabase *
storage_test_open (char **out_path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = koers_test_make_temp_db_path ();
  KoersDatabase *db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  if (out_path != NULL)
    *out_path = g_steal_pointer (&path);
  return db;
}

KoersParticipant *
storage_test_participant (const char *name)
{
  KoersParticipant *p = koers_participant_new ();

  koers_participant_set_name (p, name);
  koers_participant_set_birth_year (p, 1990);
  koers_participant_set_municipality (p, KOERS_MUNICIPALITY_DOETINCHEM);
  koers_participant_set_target_group (p, KOERS_TARGET_GROUP_STATUSHOLDER);
  koers_participant_set_status (p, KOERS_STATUS_REGISTERED);
  koers_participant_set_registered_on (p, "2026-01-05");
  return p;
}

char *
storage_test_insert_participant (KoersDatabase *db, const char *name)
{
  g_autoptr(KoersParticipant) p = storage_test_participant (name);
  g_autoptr(GError) error = NULL;

  g_assert_true (koers_participant_repository_insert (db, p, TEST_ACTOR, &error));
  g_assert_no_error (error);
  return g_strdup (koers_participant_get_id (p));
}

char *
storage_test_insert_coach (KoersDatabase *db, const char *name)
{
  g_autoptr(KoersCoach) coach = koers_coach_new ();
  g_autoptr(GError) error = NULL;

  coach->name = g_strdup (name);
  g_assert_true (koers_coach_repository_insert (db, coach, TEST_ACTOR, &error));
  g_assert_no_error (error);
  return g_strdup (coach->meta.id);
}

gint64
storage_test_query_int (KoersDatabase *db, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = koers_database_prepare (db, sql, &error);
  gboolean has_row = FALSE;
  gint64 value;

  g_assert_no_error (error);
  g_assert_true (koers_database_step (db, stmt, &has_row, &error));
  g_assert_true (has_row);
  value = koers_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}
