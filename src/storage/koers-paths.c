/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "storage/koers-paths.h"

#include <glib/gstdio.h>

char *
koers_paths_default_database (void)
{
  const char *env = g_getenv ("KOERS_DATABASE");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "koers", "koers.db", NULL);
}

char *
koers_paths_backup_dir (const char *db_path)
{
  g_autofree char *dir = NULL;

  g_return_val_if_fail (db_path != NULL, NULL);

  dir = g_path_get_dirname (db_path);
  return g_build_filename (dir, "backups", NULL);
}

void
koers_paths_remove_database (const char *path)
{
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;

  g_return_if_fail (path != NULL);

  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  /* The log first: a database file left without its log is a consistent older state, a log
   * left without its database is nothing. */
  g_remove (wal);
  g_remove (shm);
  g_remove (path);
}

static gboolean
is_file_of_size_zero (const char *path)
{
  GStatBuf info;

  return g_file_test (path, G_FILE_TEST_IS_REGULAR) && g_stat (path, &info) == 0
         && info.st_size == 0;
}

gboolean
koers_paths_database_is_empty (const char *path)
{
  g_return_val_if_fail (path != NULL, FALSE);

  return is_file_of_size_zero (path);
}

gboolean
koers_paths_database_has_log (const char *path)
{
  g_autofree char *wal = NULL;
  GStatBuf info;

  g_return_val_if_fail (path != NULL, FALSE);

  wal = g_strconcat (path, "-wal", NULL);
  return g_file_test (wal, G_FILE_TEST_IS_REGULAR) && g_stat (wal, &info) == 0
         && info.st_size > 0;
}
