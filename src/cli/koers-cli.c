/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-commands.h"

#include "cli/koers-cli-import.h"
#include "cli/koers-cli-export.h"

#include "storage/koers-backup.h"
#include "storage/koers-paths.h"

#include <stdio.h>
#include <string.h>

static const KoersCliCommand commands[] = {
  { "demo", N_("Fill a database with realistic made-up participants"), koers_cli_demo },
  { "check", N_("Check the database, its audit trail and its schema version"), koers_cli_check },
  { "backup", N_("Make, list or restore checked backups of the database"), koers_cli_backup },
  { "import", N_("Import participants from a CSV file, all or nothing"), koers_cli_import },
  { "export", N_("Export the caseload or a table to CSV or XLSX"), koers_cli_export },
  { "sync", N_("Run one sync with the regional server"), koers_cli_sync },
  { NULL, NULL, NULL },
};

const KoersCliCommand *
koers_cli_get_commands (void)
{
  return commands;
}

static const KoersCliCommand *
find_command (const char *name)
{
  for (guint i = 0; commands[i].name != NULL; i++)
    if (g_str_equal (commands[i].name, name))
      return &commands[i];
  return NULL;
}

/* Pads by characters, not bytes, so translated placeholders keep the columns straight. */
static void
append_row (GString    *text,
            guint       width,
            const char *left,
            const char *right)
{
  glong len = g_utf8_strlen (left, -1);

  g_string_append_printf (text, "  %s", left);
  for (glong i = len; i < (glong) width + 1; i++)
    g_string_append_c (text, ' ');
  g_string_append_printf (text, "%s\n", right);
}

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);
  /* The same placeholder as in the options' help (N_("FILE")), so they read as one word. */
  g_autofree char *database = g_strdup_printf ("--database %s", _("FILE"));

  /* The shape of the command line is syntax; only the placeholders are words. */
  g_string_append_printf (text, "%s\n  koers-cli [%s] %s [%s…]\n\n", _("Usage:"), database,
                          /* Translators: placeholder for a command name in the usage line,
                           * as in "koers-cli [--database FILE] COMMAND [OPTION…]" */
                          _("COMMAND"),
                          /* Translators: placeholder for a command's options in the usage line,
                           * as GLib's own "Usage: … [OPTION…]" */
                          _("OPTION"));
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (guint i = 0; commands[i].name != NULL; i++)
    append_row (text, 10, commands[i].name, _(commands[i].summary));
  append_row (text, 10, "help", _("Show the options of a command"));
  g_string_append_printf (text, "\n%s\n", _("Global options:"));
  append_row (text, 18, database,
              /* Translators: FILE is the placeholder of "--database FILE"; use the same word */
              _("Work on FILE (default: $KOERS_DATABASE, else the app's database)"));
  append_row (text, 18, "-h, --help", _("Show this help"));
  append_row (text, 18, "--version", _("Show the version"));
  g_string_append_printf (text, "\n%s\n",
                          _("Exit status: 0 done, 1 the job failed, 2 wrong command line."));
  fputs (text->str, stream);
}

int
koers_cli_fail (const char *command, int code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  g_return_val_if_fail (format != NULL, code);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    g_printerr ("koers-cli %s: %s\n", command, message);
  else
    g_printerr ("koers-cli: %s\n", message);
  return code;
}

/* --database is repeated only when it was given, so the command works on the same file. */
void
koers_cli_print_recovery (KoersCli *cli)
{
  g_autofree char *command = NULL;

  if (cli->database_option != NULL || cli->database_path != NULL)
    {
      g_autofree char *quoted = g_shell_quote (koers_cli_get_database_path (cli));

      command = g_strdup_printf ("koers-cli --database %s backup --restore-latest", quoted);
    }
  else
    command = g_strdup ("koers-cli backup --restore-latest");
  /* Translators: %s is a command line, e.g. "koers-cli backup --restore-latest" */
  g_printerr (_("Run %s to restore the newest good backup.\n"), command);
}

/* With backups, the way back; with only the log beside it, that the log must be kept: it may
 * be the last copy, and any SQLite that opens the empty file deletes it. */
void
koers_cli_print_emptied_advice (KoersCli *cli)
{
  const char *path = koers_cli_get_database_path (cli);
  g_autofree char *backup_dir = koers_paths_backup_dir (path);
  g_autoptr(GPtrArray) backups = koers_backup_list (backup_dir);

  if (backups->len > 0)
    {
      koers_cli_print_recovery (cli);
      return;
    }
  g_printerr (_("Its log %s-wal may still hold the caseload: keep both files as they are and "
                "ask your administrator for help.\n"), path);
}

gboolean
koers_cli_refuse_emptied (KoersCli *cli, const char *command)
{
  const char *path = koers_cli_get_database_path (cli);

  if (!koers_backup_database_is_emptied (path))
    return FALSE;
  koers_cli_fail (command, KOERS_CLI_EXIT_FAILURE, _("The database %s is damaged: %s"), path,
                  /* Translators: the reason in "The database %s is damaged: %s" */
                  _("the file is empty"));
  koers_cli_print_emptied_advice (cli);
  return TRUE;
}

void
koers_cli_add_common_options (KoersCli *cli, GOptionContext *context)
{
  GOptionEntry entries[] = {
    { "database", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Work on FILE instead of the default database"), N_("FILE") },
    { NULL },
  };

  g_return_if_fail (cli != NULL);
  g_return_if_fail (context != NULL);

  entries[0].arg_data = &cli->database_option;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
koers_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *prgname = NULL;
  gboolean parsed;

  g_return_val_if_fail (context != NULL, FALSE);
  g_return_val_if_fail (command != NULL, FALSE);
  g_return_val_if_fail (argc != NULL && argv != NULL, FALSE);

  prgname = g_strdup_printf ("koers-cli %s", command);
  /* So --help shows "Usage: koers-cli demo [OPTION…]". */
  g_set_prgname (prgname);
  parsed = g_option_context_parse (context, argc, argv, &error);
  g_set_prgname ("koers-cli");
  if (!parsed)
    {
      koers_cli_fail (command, KOERS_CLI_EXIT_USAGE, "%s", error->message);
      g_printerr (_("See “koers-cli help %s”.\n"), command);
      return FALSE;
    }
  /* Options are all a subcommand takes; a stray word is most likely a typo. */
  if (*argc > 1)
    {
      koers_cli_fail (command, KOERS_CLI_EXIT_USAGE, _("unexpected argument “%s”"), (*argv)[1]);
      g_printerr (_("See “koers-cli help %s”.\n"), command);
      return FALSE;
    }
  return TRUE;
}

const char *
koers_cli_get_database_path (KoersCli *cli)
{
  const char *env;

  g_return_val_if_fail (cli != NULL, NULL);

  if (cli->resolved_path != NULL)
    return cli->resolved_path;

  env = g_getenv ("KOERS_DATABASE");
  if (cli->database_option != NULL)
    cli->resolved_path = g_strdup (cli->database_option);
  else if (cli->database_path != NULL)
    cli->resolved_path = g_strdup (cli->database_path);
  else if (env != NULL && *env != '\0')
    cli->resolved_path = g_strdup (env);
  else
    cli->resolved_path = koers_paths_default_database ();
  return cli->resolved_path;
}

static int
run_help (KoersCli *cli, int argc, char **argv)
{
  const KoersCliCommand *command;
  char *help_argv[] = { NULL, (char *) "--help", NULL };

  if (argc < 2)
    {
      print_usage (stdout);
      return KOERS_CLI_EXIT_OK;
    }
  command = find_command (argv[1]);
  if (command == NULL)
    return koers_cli_fail ("help", KOERS_CLI_EXIT_USAGE, _("there is no command “%s”"),
                           argv[1]);
  help_argv[0] = (char *) command->name;
  /* GOption prints the help and ends the process with status 0. */
  return command->run (cli, 2, help_argv);
}

int
koers_cli_main (int argc, char **argv)
{
  KoersCli cli = { NULL, NULL, NULL };
  const KoersCliCommand *command;
  int i;
  int status;

  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  g_set_prgname ("koers-cli");

  for (i = 1; i < argc; i++)
    {
      const char *arg = argv[i];

      if (g_str_equal (arg, "--"))
        {
          i++;
          break;
        }
      if (arg[0] != '-')
        break;

      if (g_str_equal (arg, "--help") || g_str_equal (arg, "-h"))
        {
          print_usage (stdout);
          g_free (cli.database_path);
          return KOERS_CLI_EXIT_OK;
        }
      else if (g_str_equal (arg, "--version"))
        {
          g_print ("koers-cli %s\n", PACKAGE_VERSION);
          g_free (cli.database_path);
          return KOERS_CLI_EXIT_OK;
        }
      else if (g_str_equal (arg, "--database") || g_str_has_prefix (arg, "--database="))
        {
          const char *value = NULL;

          if (arg[strlen ("--database")] == '=')
            value = arg + strlen ("--database=");
          else if (i + 1 < argc)
            value = argv[++i];

          if (value == NULL || *value == '\0')
            {
              g_free (cli.database_path);
              return koers_cli_fail (NULL, KOERS_CLI_EXIT_USAGE,
                                     _("--database needs a file name"));
            }
          g_free (cli.database_path);
          cli.database_path = g_strdup (value);
        }
      else
        {
          g_free (cli.database_path);
          koers_cli_fail (NULL, KOERS_CLI_EXIT_USAGE, _("unknown option “%s”"), arg);
          g_printerr (_("See “koers-cli --help”.\n"));
          return KOERS_CLI_EXIT_USAGE;
        }
    }

  if (i >= argc)
    {
      g_free (cli.database_path);
      koers_cli_fail (NULL, KOERS_CLI_EXIT_USAGE, _("no command given"));
      print_usage (stderr);
      return KOERS_CLI_EXIT_USAGE;
    }

  if (g_str_equal (argv[i], "help"))
    {
      status = run_help (&cli, argc - i, argv + i);
    }
  else if ((command = find_command (argv[i])) != NULL)
    {
      status = command->run (&cli, argc - i, argv + i);
    }
  else
    {
      koers_cli_fail (NULL, KOERS_CLI_EXIT_USAGE, _("unknown command “%s”"), argv[i]);
      g_printerr (_("See “koers-cli --help”.\n"));
      status = KOERS_CLI_EXIT_USAGE;
    }

  g_free (cli.database_path);
  g_free (cli.database_option);
  g_free (cli.resolved_path);
  return status;
}
