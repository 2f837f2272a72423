/* SPDX-License-Identifier: GPL-3.0-or-later */
/* koers-cli check: is this database sound? For scripts and for the support desk. */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-commands.h"

#include "storage/koers-audit.h"
#include "storage/koers-backup.h"
#include "storage/koers-database.h"

#include <string.h>

/* The first version whose schema holds the audit trail (koers-migrations.c, v3). */
#define AUDIT_SCHEMA_VERSION 3

/* Reports one problem on stderr (OK lines go to stdout), naming the file when the storage
 * message does not already. */
static void
report_problem (const char *path, const char *message)
{
  if (strstr (message, path) != NULL)
    g_printerr ("koers-cli check: %s\n", message);
  else
    g_printerr ("koers-cli check: %s: %s\n", path, message);
}

int
koers_cli_check (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GError) error = NULL;
  gboolean full = FALSE;
  gboolean damaged = FALSE;
  const char *path;
  int version;
  int latest;
  guint problems = 0;
  GOptionEntry entries[] = {
    { "full", 0, 0, G_OPTION_ARG_NONE, &full,
      N_("Run the complete integrity check (slower) instead of the quick check"), NULL },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Checks the database file, the audit trail's hash chain and "
                                  "the schema version. Prints one OK line per check, or the "
                                  "problem; exits with 1 when anything is wrong. The file is "
                                  "opened read-only and never changed."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  if (!koers_cli_parse (context, "check", &argc, &argv))
    return KOERS_CLI_EXIT_USAGE;

  path = koers_cli_get_database_path (cli);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return koers_cli_fail ("check", KOERS_CLI_EXIT_FAILURE, _("there is no database at %s"),
                           path);

  /* SQLite would read an emptied caseload as a new database, "no Koers data", and delete its
   * log even opened read-only: it is damage. (A 0-byte file nobody wrote is reported below.) */
  if (koers_backup_database_is_emptied (path))
    {
      report_problem (path, _("the file is empty"));
      koers_cli_print_emptied_advice (cli);
      return KOERS_CLI_EXIT_FAILURE;
    }

  /* Read-only: a check must not migrate, repair or otherwise touch what it inspects. */
  db = koers_database_open (path, KOERS_DATABASE_OPEN_READ_ONLY, &error);
  if (db == NULL)
    {
      report_problem (path, error->message);
      if (g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT))
        koers_cli_print_recovery (cli);
      return KOERS_CLI_EXIT_FAILURE;
    }

  g_print (_("Database: %s\n"), path);

  if (koers_database_check (db, full, &error))
    g_print ("OK      %s\n", full ? _("integrity check") : _("quick check"));
  else
    {
      report_problem (path, error->message);
      damaged = g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT);
      g_clear_error (&error);
      problems++;
    }

  version = koers_database_get_user_version (db);
  latest = koers_database_get_latest_version ();
  if (version == 0)
    {
      report_problem (path, _("it holds no Koers data (schema version 0)"));
      problems++;
    }
  else if (version == latest)
    g_print ("OK      %s\n", _("schema version is current"));
  else
    {
      g_autofree char *message = NULL;

      /* An older schema is not damage: the next open with write access upgrades it. */
      message = g_strdup_printf (_("schema version %d; Koers upgrades it to %d when it next "
                                   "opens the file"), version, latest);
      g_print ("OK      %s\n", message);
    }

  if (version >= AUDIT_SCHEMA_VERSION)
    {
      if (koers_audit_verify_chain (db, &error))
        g_print ("OK      %s\n", _("audit trail hash chain is intact"));
      else
        {
          report_problem (path, error->message);
          g_clear_error (&error);
          problems++;
        }
    }

  if (problems > 0)
    {
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "koers-cli check: %u problem in %s\n",
                               "koers-cli check: %u problems in %s\n", problems),
                  problems, path);
      if (damaged)
        koers_cli_print_recovery (cli);
      return KOERS_CLI_EXIT_FAILURE;
    }
  return KOERS_CLI_EXIT_OK;
}
