/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-backup.h"
#include "storage/koers-participant-repository.h"
#include "storage/koers-paths.h"

#include "koers-test-helpers.h"
#include "storage-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#ifdef G_OS_UNIX
#include <sys/stat.h>
#endif

static void
test_backup_made_and_checked (void)
{
  g_autofree char *path = NULL;
  g_autoptr(KoersDatabase) db = storage_test_open (&path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = koers_paths_backup_dir (path);
  g_autofree char *pid = storage_test_insert_participant (db, "Amina");
  g_autofree char *backup = NULL;
  g_autofree char *again = NULL;
  g_autoptr(KoersDatabase) copy = NULL;
  GStatBuf before, after;

  g_assert_true (koers_backup_is_due (dir, "2026-03-01"));
  backup = koers_backup_run (db, dir, "2026-03-01", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (backup, "koers-2026-03-01.db"));
  g_assert_false (koers_backup_is_due (dir, "2026-03-01"));
  g_assert_true (koers_backup_check_file (backup, &error));

  copy = koers_database_open (backup, KOERS_DATABASE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_cmpint (storage_test_query_int (copy, "SELECT count(*) FROM participant"), ==, 1);
  g_clear_object (&copy);

  /* Twice on one day: the morning's backup stays as it was. */
  g_assert_cmpint (g_stat (backup, &before), ==, 0);
  g_free (storage_test_insert_participant (db, "Later"));
  again = koers_backup_run (db, dir, "2026-03-01", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, backup);
  g_assert_cmpint (g_stat (backup, &after), ==, 0);
  g_assert_cmpint (before.st_size, ==, after.st_size);
  g_assert_cmpint (before.st_mtime, ==, after.st_mtime);
  copy = koers_database_open (backup, KOERS_DATABASE_OPEN_READ_ONLY, &error);
  g_assert_cmpint (storage_test_query_int (copy, "SELECT count(*) FROM participant"), ==, 1);
}

static void
test_seven_kept (void)
{
  g_autoptr(KoersDatabase) db = storage_test_open (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autoptr(GPtrArray) backups = NULL;
  g_autofree char *foreign = g_build_filename (dir, "notes.txt", NULL);

  g_assert_true (g_file_set_contents (foreign, "mine", -1, &error));
  for (guint day = 1; day <= 9; day++)
    {
      g_autofree char *date = g_strdup_printf ("2026-03-%02u", day);
      g_autofree char *path = koers_backup_run (db, dir, date, &error);

      g_assert_no_error (error);
      g_assert_nonnull (path);
    }
  backups = koers_backup_list (dir);
  g_assert_cmpuint (backups->len, ==, KOERS_BACKUP_KEEP);
  g_assert_true (g_str_has_suffix (g_ptr_array_index (backups, 0), "koers-2026-03-09.db"));
  g_assert_true (g_str_has_suffix (g_ptr_array_index (backups, 6), "koers-2026-03-03.db"));
  g_assert_true (g_file_test (foreign, G_FILE_TEST_EXISTS)); /* not ours: untouched */
}

static void
test_restore_after_corruption (void)
{
  g_autofree char *path = NULL;
  KoersDatabase *db = storage_test_open (&path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = koers_paths_backup_dir (path);
  g_autofree char *pid = storage_test_insert_participant (db, "Amina Bakr");
  g_autofree char *good = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *restored_from = NULL;
  g_autofree char *dirname = g_path_get_dirname (path);
  g_autoptr(GDir) listing = NULL;
  g_autoptr(KoersParticipant) p = NULL;
  gboolean aside_found = FALSE;
  const char *name;
  char *contents = NULL;
  gsize length = 0;

  good = koers_backup_run (db, dir, "2026-03-01", &error);
  g_assert_no_error (error);
  g_object_unref (db);

  /* A newer backup that is damaged is skipped. */
  bad = g_build_filename (dir, "koers-2026-03-02.db", NULL);
  g_assert_true (g_file_get_contents (good, &contents, &length, &error));
  memset (contents + 4096, 0x5a, length - 4096);
  g_assert_true (g_file_set_contents (bad, contents, length, &error));

  /* The live file is damaged the same way. */
  g_assert_true (g_file_set_contents (path, contents, length, &error));
  g_free (contents);
  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_null (db);
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_true (koers_backup_restore_latest_good (path, dir, &restored_from, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (restored_from, ==, good);

  listing = g_dir_open (dirname, 0, NULL);
  while ((name = g_dir_read_name (listing)) != NULL)
    aside_found |= g_str_has_prefix (name, "koers.db.corrupt-");
  g_assert_true (aside_found);

  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  g_assert_no_error (error);
  p = koers_participant_repository_get (db, pid, TEST_ACTOR, "restore check", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (koers_participant_get_name (p), ==, "Amina Bakr");
  g_object_unref (db);
}

static void
test_no_good_backup (void)
{
  g_autofree char *path = koers_test_make_temp_db_path ();
  g_autofree char *dir = koers_paths_backup_dir (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "garbage", -1, &error));
  g_assert_false (koers_backup_restore_latest_good (path, dir, NULL, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS)); /* nothing moved */
}

/* A backup holds the whole caseload: owner-only, in an owner-only folder. */
static void
test_owner_only_backup (void)
{
#ifdef G_OS_WIN32
  g_test_skip ("file modes are not used on Windows (the user profile is private)");
#else
  g_autofree char *path = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *backup = NULL;
  g_autofree char *restored_from = NULL;
  g_autofree char *top = koers_test_make_temp_dir ();
  GStatBuf info;

  umask (022);
  db = storage_test_open (&path);
  dir = g_build_filename (top, "nested", "backups", NULL);
  g_free (storage_test_insert_participant (db, "Amina"));
  backup = koers_backup_run (db, dir, "2026-03-01", &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (backup, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
  g_clear_object (&db);

  /* A backup from an older Koers, readable by all, does not make the restored file so. */
  g_assert_cmpint (g_chmod (backup, 0644), ==, 0);
  g_assert_true (koers_backup_restore_latest_good (path, dir, &restored_from, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (restored_from, ==, backup);
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
#endif
}

static void
test_paths (void)
{
  g_autofree char *backups = koers_paths_backup_dir ("/data/koers/koers.db");
  g_autofree char *from_env = NULL;
  g_autofree char *fallback = NULL;

  g_assert_cmpstr (backups, ==, "/data/koers/backups");
  g_setenv ("KOERS_DATABASE", "/tmp/elsewhere.db", TRUE);
  from_env = koers_paths_default_database ();
  g_assert_cmpstr (from_env, ==, "/tmp/elsewhere.db");
  g_unsetenv ("KOERS_DATABASE");
  fallback = koers_paths_default_database ();
  g_assert_true (g_str_has_prefix (fallback, g_get_user_data_dir ()));
  g_assert_true (g_str_has_suffix (fallback, "/koers/koers.db"));
}

/* A file of 0 bytes is empty; it was a caseload (emptied: damage) when backups or a log
 * holding anything are beside it, and a database nobody wrote yet otherwise. */
static void
test_empty_database_file (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "koers.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *backup_dir = koers_paths_backup_dir (path);
  g_autofree char *backup = g_build_filename (backup_dir, "koers-2026-06-14.db", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (koers_paths_database_is_empty (path));   /* missing */
  g_assert_false (koers_backup_database_is_emptied (path));
  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_true (koers_paths_database_is_empty (path));
  g_assert_false (koers_backup_database_is_emptied (path));
  g_assert_true (g_file_set_contents (wal, "", 0, &error));
  g_assert_false (koers_paths_database_has_log (path));
  g_assert_false (koers_backup_database_is_emptied (path));
  g_assert_true (g_file_set_contents (wal, "pages", -1, &error));
  g_assert_true (koers_paths_database_has_log (path));
  g_assert_true (koers_backup_database_is_emptied (path));
  g_assert_cmpint (g_remove (wal), ==, 0);
  g_assert_cmpint (g_mkdir (backup_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (backup, "x", 1, &error));
  g_assert_true (koers_backup_database_is_emptied (path));
  g_assert_true (g_file_set_contents (path, "x", 1, &error));
  g_assert_false (koers_paths_database_is_empty (path));
  g_assert_false (koers_backup_database_is_emptied (path));
  g_assert_no_error (error);
  g_assert_false (koers_paths_database_is_empty (dir));    /* a folder */
  g_remove (backup);
  g_rmdir (backup_dir);
  g_remove (path);
  g_rmdir (dir);
}

/* An emptied backup is no backup: whatever emptied the caseload may have emptied the newest
 * backup too, and restoring it would "restore" one more empty caseload. The older good one is
 * taken. */
static void
test_empty_backup_not_good (void)
{
  g_autofree char *path = NULL;
  KoersDatabase *db = storage_test_open (&path);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = koers_paths_backup_dir (path);
  g_autofree char *pid = storage_test_insert_participant (db, "Amina Bakr");
  g_autofree char *good = NULL;
  g_autofree char *empty = NULL;
  g_autofree char *restored_from = NULL;

  good = koers_backup_run (db, dir, "2026-03-01", &error);
  g_assert_no_error (error);
  g_object_unref (db);
  empty = g_build_filename (dir, "koers-2026-03-02.db", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, &error));
  g_assert_false (koers_backup_check_file (empty, &error));
  g_assert_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (path, "", 0, &error));
  g_assert_true (koers_backup_database_is_emptied (path));
  g_assert_true (koers_backup_restore_latest_good (path, dir, &restored_from, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (restored_from, ==, good);
  g_assert_false (koers_paths_database_is_empty (path));
  g_assert_true (koers_backup_check_file (path, &error));
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("KOERS_TODAY", "2026-06-15", TRUE);

  g_test_add_func ("/backup/made-and-checked", test_backup_made_and_checked);
  g_test_add_func ("/backup/seven-kept", test_seven_kept);
  g_test_add_func ("/backup/restore-after-corruption", test_restore_after_corruption);
  g_test_add_func ("/backup/no-good-backup", test_no_good_backup);
  g_test_add_func ("/backup/paths", test_paths);
  g_test_add_func ("/backup/empty-database-file", test_empty_database_file);
  g_test_add_func ("/backup/empty-backup-not-good", test_empty_backup_not_good);
  g_test_add_func ("/backup/owner-only", test_owner_only_backup);

  return g_test_run ();
}
