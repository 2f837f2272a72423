/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "storage/koers-backup.h"

#include "core/koers-date.h"
#include "storage/koers-database-private.h"
#include "storage/koers-paths.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define PREFIX "koers-"
#define SUFFIX ".db"

static char *
backup_path (const char *backup_dir, const char *date)
{
  g_autofree char *name = g_strconcat (PREFIX, date, SUFFIX, NULL);

  return g_build_filename (backup_dir, name, NULL);
}

/* "koers-YYYY-MM-DD.db" with a real date: other files in the folder are not ours. */
static gboolean
is_backup_name (const char *name)
{
  g_autofree char *date = NULL;
  gsize length = strlen (name);

  if (length != strlen (PREFIX) + 10 + strlen (SUFFIX)
      || !g_str_has_prefix (name, PREFIX) || !g_str_has_suffix (name, SUFFIX))
    return FALSE;
  date = g_strndup (name + strlen (PREFIX), 10);
  return koers_date_is_valid_iso (date);
}

gboolean
koers_backup_check_file (const char *path, GError **error)
{
  sqlite3 *handle = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;
  int rc;

  g_return_val_if_fail (path != NULL, FALSE);

  /* Read-only: checking must never change a backup (not even roll back a leftover journal). */
  rc = sqlite3_open_v2 (path, &handle, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (handle, "PRAGMA quick_check", -1, &stmt, NULL);
  if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
  sqlite3_finalize (stmt);
  stmt = NULL;
  /* A file of 0 bytes, or any database without Koers' schema, passes quick_check too: put in
   * place of an emptied caseload it would be one more empty caseload, "restored". */
  if (ok && sqlite3_prepare_v2 (handle, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    ok = sqlite3_column_int (stmt, 0) > 0;
  else
    ok = FALSE;
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (handle);

  if (!ok)
    g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT,
                 _("The backup %s is damaged"), path);
  return ok;
}

static gint
compare_newest_first (gconstpointer a, gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) b, *(const char *const *) a);
}

GPtrArray *
koers_backup_list (const char *backup_dir)
{
  g_autoptr(GPtrArray) backups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_val_if_fail (backup_dir != NULL, NULL);

  dir = g_dir_open (backup_dir, 0, NULL);
  if (dir == NULL)
    return g_steal_pointer (&backups);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (is_backup_name (name))
      g_ptr_array_add (backups, g_build_filename (backup_dir, name, NULL));
  /* The names sort by date. */
  g_ptr_array_sort (backups, compare_newest_first);
  return g_steal_pointer (&backups);
}

gboolean
koers_backup_database_is_emptied (const char *db_path)
{
  g_autofree char *backup_dir = NULL;
  g_autoptr(GPtrArray) backups = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);

  if (!koers_paths_database_is_empty (db_path))
    return FALSE;
  if (koers_paths_database_has_log (db_path))
    return TRUE;
  backup_dir = koers_paths_backup_dir (db_path);
  backups = koers_backup_list (backup_dir);
  return backups->len > 0;
}

gboolean
koers_backup_is_due (const char *backup_dir, const char *today_iso)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (backup_dir != NULL, FALSE);
  g_return_val_if_fail (today_iso != NULL, FALSE);

  path = backup_path (backup_dir, today_iso);
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
prune (const char *backup_dir)
{
  g_autoptr(GPtrArray) backups = koers_backup_list (backup_dir);

  for (guint i = KOERS_BACKUP_KEEP; i < backups->len; i++)
    koers_paths_remove_database (g_ptr_array_index (backups, i));
}

char *
koers_backup_run (KoersDatabase *db, const char *backup_dir, const char *today_iso,
                  GError **error)
{
  g_autofree char *path = NULL;
  g_autofree char *partial = NULL;
  g_autofree char *sql = NULL;
  char *quoted;
  gboolean ok;

  g_return_val_if_fail (KOERS_IS_DATABASE (db), NULL);
  g_return_val_if_fail (backup_dir != NULL, NULL);
  g_return_val_if_fail (today_iso != NULL, NULL);

  if (!koers_date_is_valid_iso (today_iso))
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_INVALID,
                   "today: “%s” is not a date of the form YYYY-MM-DD", today_iso);
      return NULL;
    }
  if (g_mkdir_with_parents (backup_dir, 0700) != 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("Could not create the backup folder %s: %s"), backup_dir,
                   g_strerror (errno));
      return NULL;
    }

  path = backup_path (backup_dir, today_iso);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      prune (backup_dir);
      return g_steal_pointer (&path);
    }

  /* Written under another name and renamed once checked, so a file named like a backup is
   * always a whole, checked one (a crash halfway leaves only the .partial). */
  partial = g_strconcat (path, ".partial", NULL);
  koers_paths_remove_database (partial);
  /* A backup holds the same personal data as the database: owner-only from the start. */
  if (!koers_database_create_private_file (partial, error))
    {
      g_prefix_error (error, _("Could not write the backup %s: "), path);
      return NULL;
    }
  quoted = sqlite3_mprintf ("VACUUM INTO %Q", partial);
  ok = koers_database_exec (db, quoted, error);
  sqlite3_free (quoted);
  if (!ok)
    {
      g_prefix_error (error, _("Could not write the backup %s: "), path);
      koers_paths_remove_database (partial);
      return NULL;
    }
  if (!koers_backup_check_file (partial, error))
    {
      koers_paths_remove_database (partial);
      return NULL;
    }
  g_chmod (partial, KOERS_DATABASE_FILE_MODE);
  if (g_rename (partial, path) != 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("Could not store the backup %s: %s"), path, g_strerror (errno));
      koers_paths_remove_database (partial);
      return NULL;
    }
  prune (backup_dir);
  return g_steal_pointer (&path);
}

static gboolean
move_aside (const char *from, const char *to, GError **error)
{
  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return TRUE;
  if (g_rename (from, to) != 0)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("Could not move %s aside: %s"), from, g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

gboolean
koers_backup_restore_latest_good (const char *db_path, const char *backup_dir,
                                  char **out_restored_from, GError **error)
{
  g_autoptr(GPtrArray) backups = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", db_path, stamp);
  g_autofree char *wal = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db_path, "-shm", NULL);
  g_autofree char *aside_wal = g_strconcat (aside, "-wal", NULL);
  g_autofree char *copying = g_strconcat (db_path, ".restoring", NULL);
  const char *chosen = NULL;

  g_return_val_if_fail (db_path != NULL, FALSE);
  g_return_val_if_fail (backup_dir != NULL, FALSE);

  backups = koers_backup_list (backup_dir);
  for (guint i = 0; i < backups->len && chosen == NULL; i++)
    if (koers_backup_check_file (g_ptr_array_index (backups, i), NULL))
      chosen = g_ptr_array_index (backups, i);
  if (chosen == NULL)
    {
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_NOT_FOUND,
                   _("There is no good backup in %s"), backup_dir);
      return FALSE;
    }

  /* Copy first, then swap: if the copy fails the damaged file is still where it was. */
  source = g_file_new_for_path (chosen);
  target = g_file_new_for_path (copying);
  if (!g_file_copy (source, target, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    return FALSE;
  /* Backups made by older versions may be readable by others; the live file must not be. */
  g_chmod (copying, KOERS_DATABASE_FILE_MODE);

  /* The old -wal belongs to the damaged file: replayed onto the backup it would corrupt it.
   * Any step that fails puts back what the earlier steps moved, so a failed restore leaves
   * the damaged caseload where it was (never no file, which the next start would take for a
   * first start). */
  if (!move_aside (db_path, aside, error))
    {
      g_remove (copying);
      return FALSE;
    }
  if (!move_aside (wal, aside_wal, error))
    {
      g_rename (aside, db_path);
      g_remove (copying);
      return FALSE;
    }
  if (g_rename (copying, db_path) != 0)
    {
      int saved_errno = errno;

      g_rename (aside_wal, wal);
      g_rename (aside, db_path);
      g_remove (copying);
      g_set_error (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_OPEN,
                   _("Could not put the backup in place at %s: %s"), db_path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  g_remove (shm);
  if (out_restored_from != NULL)
    *out_restored_from = g_strdup (chosen);
  return TRUE;
}
