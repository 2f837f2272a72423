/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli backup: today's checked backup now, the list of backups, and the way back. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-commands.h"

#include "core/koers-date.h"
#include "storage/koers-backup.h"
#include "storage/koers-database.h"
#include "storage/koers-paths.h"

#include <string.h>

static int
make_backup (const char *path, const char *backup_dir)
{
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *today = koers_date_today_iso ();
  g_autofree char *backup = NULL;
  gboolean due = koers_backup_is_due (backup_dir, today);

  /* Opening checks the file: a damaged database is not copied over a good backup. */
  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL)
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE, "%s", error->message);

  backup = koers_backup_run (db, backup_dir, today, &error);
  if (backup == NULL)
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE, "%s", error->message);

  if (due)
    g_print (_("Made and checked today's backup:\n"));
  else
    g_print (_("Today's backup was already there (one a day is kept):\n"));
  g_print ("%s\n", backup);
  return KOERS_CLI_EXIT_OK;
}

static int
list_backups (const char *backup_dir)
{
  g_autoptr(GPtrArray) backups = koers_backup_list (backup_dir);

  if (backups == NULL || backups->len == 0)
    {
      g_print (_("No backups in %s\n"), backup_dir);
      return KOERS_CLI_EXIT_OK;
    }
  for (guint i = 0; i < backups->len; i++)
    {
      const char *backup = g_ptr_array_index (backups, i);
      g_autoptr(GError) error = NULL;

      if (koers_backup_check_file (backup, &error))
        g_print ("OK      %s\n", backup);
      else
        g_print ("DAMAGED %s (%s)\n", backup, error->message);
    }
  return KOERS_CLI_EXIT_OK;
}

/* The newest "<name>.corrupt-<timestamp>" beside @path: where the restore put the damaged
 * file, so the user can be told. (transfer full) (nullable) */
static char *
find_moved_aside (const char *path)
{
  g_autofree char *dir_name = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_name, 0, NULL);
  g_autofree char *newest = NULL;
  const char *name;

  if (dir == NULL)
    return NULL;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal")
        && g_strcmp0 (name, newest) > 0)
      {
        g_free (newest);
        newest = g_strdup (name);
      }
  return newest != NULL ? g_build_filename (dir_name, newest, NULL) : NULL;
}

static int
restore_latest (const char *path, const char *backup_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *restored_from = NULL;
  g_autofree char *moved_aside = NULL;

  /* Restoring throws away every change since the backup: only for a file that is damaged
   * (an emptied file is: it holds no caseload at all).
   * Any other reason it cannot be opened (written by a newer Koers, no permission, locked) says
   * nothing about its contents, so the file is left exactly as it is and the reason shown. */
  if (g_file_test (path, G_FILE_TEST_EXISTS) && !koers_paths_database_is_empty (path))
    {
      g_autoptr(KoersDatabase) db = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY,
                                                         &error);

      if (db != NULL && koers_database_check (db, FALSE, &error))
        return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE,
                               _("%s is not damaged, so it was not replaced: restoring would "
                                 "lose every change made since the last backup"), path);
      if (!g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT))
        return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE,
                               _("%s was not replaced: %s"), path, error->message);
      g_clear_error (&error);
    }

  if (!koers_backup_restore_latest_good (path, backup_dir, &restored_from, &error))
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE, "%s", error->message);

  moved_aside = find_moved_aside (path);
  g_print (_("Restored %s from the backup %s.\n"), path, restored_from);
  if (moved_aside != NULL)
    g_print (_("The damaged file was kept as %s.\n"), moved_aside);
  g_print (_("Changes made after that backup was taken are not in the restored database.\n"));
  return KOERS_CLI_EXIT_OK;
}

int
koers_cli_backup (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *dir_option = NULL;
  g_autofree char *backup_dir = NULL;
  gboolean list = FALSE;
  gboolean restore = FALSE;
  const char *path;
  GOptionEntry entries[] = {
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir_option,
      N_("Keep backups in DIR (default: “backups” beside the database)"), N_("DIR") },
    { "list", 0, 0, G_OPTION_ARG_NONE, &list,
      N_("List the backups, newest first, each with the result of its check"), NULL },
    { "restore-latest", 0, 0, G_OPTION_ARG_NONE, &restore,
      N_("Replace a damaged database with the newest backup that passes its check"), NULL },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Without options: makes today's backup now (a consistent copy "
                                  "made with VACUUM INTO, checked, the 7 newest kept) and prints "
                                  "its path."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  if (!koers_cli_parse (context, "backup", &argc, &argv))
    return KOERS_CLI_EXIT_USAGE;
  if (list && restore)
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_USAGE,
                           _("--list and --restore-latest cannot be combined"));
  if (dir_option != NULL && *dir_option == '\0')
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_USAGE, _("--dir needs a folder name"));

  path = koers_cli_get_database_path (cli);
  backup_dir = dir_option != NULL ? g_strdup (dir_option) : koers_paths_backup_dir (path);

  if (list)
    return list_backups (backup_dir);
  if (restore)
    return restore_latest (path, backup_dir);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE, _("there is no database at %s"),
                           path);
  /* A backup of an emptied file would count as good and, kept as the newest, push a real one
   * out. */
  if (koers_paths_database_is_empty (path))
    {
      koers_cli_fail ("backup", KOERS_CLI_EXIT_FAILURE,
                      _("%s is empty, so there is nothing to back up"), path);
      if (koers_backup_database_is_emptied (path))
        koers_cli_print_emptied_advice (cli);
      return KOERS_CLI_EXIT_FAILURE;
    }
  return make_backup (path, backup_dir);
}
