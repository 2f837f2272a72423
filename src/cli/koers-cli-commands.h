/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-cli-commands.h: the subcommands of koers-cli, one file each (koers-cli-<name>.c).
 *
 * Exit codes are part of the interface scripts rely on: 0 done, 1 the job failed (the
 * message on stderr names the problem), 2 the command line was wrong.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  KOERS_CLI_EXIT_OK      = 0,
  KOERS_CLI_EXIT_FAILURE = 1,
  KOERS_CLI_EXIT_USAGE   = 2,
} KoersCliExit;

/* What every subcommand shares: the database chosen by --database, $KOERS_DATABASE or the
 * default location, in that order. */
typedef struct {
  char *database_path;    /* from the global --database, or NULL */
  char *database_option;  /* from --database after the subcommand name, or NULL */
  char *resolved_path;    /* cache of koers_cli_get_database_path() */
} KoersCli;

/* A subcommand: @argv[0] is the subcommand's name; the function parses the rest. */
typedef int (*KoersCliCommandFunc) (KoersCli *cli, int argc, char **argv);

typedef struct {
  const char          *name;
  const char          *summary;   /* N_() */
  KoersCliCommandFunc  run;
} KoersCliCommand;

/* The table of subcommands, terminated by an entry with a NULL name. */
const KoersCliCommand *koers_cli_get_commands (void);

/* The whole program: global options, dispatch, exit code. main() only calls this. */
int  koers_cli_main (int argc, char **argv);

/* Helpers the subcommands share (koers-cli.c). */
/* Adds --database to a subcommand's options so it may also follow the subcommand name. */
void koers_cli_add_common_options (KoersCli *cli, GOptionContext *context);
/* (transfer none): the database file this run works on. */
const char *koers_cli_get_database_path (KoersCli *cli);
/* Prints "koers-cli NAME: message" to stderr and returns @code. */
int  koers_cli_fail (const char *command, int code, const char *format, ...) G_GNUC_PRINTF (3, 4);
/* After a "damaged" finding (KOERS_DATABASE_ERROR_CORRUPT): prints the way back to stderr,
 * as a command to copy that works on the same file. */
void koers_cli_print_recovery (KoersCli *cli);
/* A caseload file something emptied (koers_backup_database_is_emptied()) must not be opened:
 * SQLite would make it a new, empty database and delete its log. Prints that it is damaged,
 * with the way back, and returns TRUE (exit 1) for such a file; FALSE otherwise. */
gboolean koers_cli_refuse_emptied (KoersCli *cli, const char *command);
/* For an emptied caseload: the way back when there are backups, else to keep its log. */
void     koers_cli_print_emptied_advice (KoersCli *cli);
/* Parses @argv with @context; on error prints the message and a hint, returns FALSE. */
gboolean koers_cli_parse (GOptionContext *context, const char *command, int *argc, char ***argv);

int koers_cli_demo (KoersCli *cli, int argc, char **argv);
int koers_cli_check (KoersCli *cli, int argc, char **argv);
int koers_cli_backup (KoersCli *cli, int argc, char **argv);
int koers_cli_sync (KoersCli *cli, int argc, char **argv);

G_END_DECLS
