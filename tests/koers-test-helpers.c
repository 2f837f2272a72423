/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "koers-test-helpers.h"

#include <gio/gio.h>

static void
remove_tree (GFile *dir)
{
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        {
          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            remove_tree (child);
          else
            g_file_delete (child, NULL, NULL);
        }
    }
  g_file_delete (dir, NULL, NULL);
}

static void
remove_dir_path (gpointer data)
{
  g_autoptr(GFile) dir = g_file_new_for_path (data);

  remove_tree (dir);
  g_free (data);
}

char *
koers_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *path = g_dir_make_tmp ("koers-test-XXXXXX", &error);

  g_assert_no_error (error);
  g_test_queue_destroy (remove_dir_path, g_strdup (path));
  return path;
}

char *
koers_test_make_temp_db_path (void)
{
  g_autofree char *dir = koers_test_make_temp_dir ();

  return g_build_filename (dir, "koers.db", NULL);
}

char *
koers_test_sqlite_shell (const char *path, const char *sql)
{
  g_autofree char *shell = g_find_program_in_path ("sqlite3");
  const char *argv[] = { shell, path, sql, NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  if (shell == NULL)
    {
      g_test_skip ("needs the sqlite3 shell (Debian: sqlite3)");
      return NULL;
    }
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strstrip (out);
}
