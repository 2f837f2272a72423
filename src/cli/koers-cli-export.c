/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-cli export: the caseload (filtered as in the window) or a whole table to CSV or XLSX
 * (koers-export.h), audited like an export from the window.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-export.h"

#include "cli/koers-export.h"
#include "core/koers-caseload-query.h"
#include "core/koers-enums.h"
#include "storage/koers-audit.h"

#include <string.h>

#ifdef G_OS_UNIX
#include <glib-unix.h>
#include <signal.h>
#endif

typedef struct {
  char *format;
  char *output;
  char *table;
  char *status;
  char *municipality;
  char *target_group;
  char *search;
  /* As typed: read as a number here, so 0 is refused like 8 instead of meaning "not given". */
  char *project_line;
} ExportOptions;

static void
export_options_clear (ExportOptions *options)
{
  g_free (options->format);
  g_free (options->output);
  g_free (options->table);
  g_free (options->status);
  g_free (options->municipality);
  g_free (options->target_group);
  g_free (options->search);
  g_free (options->project_line);
}

/* Progress for long exports, as `koers-cli demo` does it: a line on stderr every PROGRESS_STEP
 * rows, whether or not stderr is a terminal, so a log shows how far a run got; stdout keeps
 * only the summary that scripts read. */
#define PROGRESS_STEP 5000

typedef struct {
  guint next;  /* the row count that earns the next line */
} CliProgress;

static void
print_progress (guint done, guint total, gpointer user_data)
{
  CliProgress *progress = user_data;

#ifdef G_OS_UNIX
  /* The export runs on this thread without a main loop: this lets the Ctrl+C source run, every
   * KOERS_EXPORT_PROGRESS_STEP rows (one poll() with a zero timeout). */
  g_main_context_iteration (NULL, FALSE);
#endif
  /* The last call (done == total) is the summary's. */
  if (done < progress->next || done >= total)
    return;
  progress->next = (done / PROGRESS_STEP + 1) * PROGRESS_STEP;
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "  %u of %u row…\n", "  %u of %u rows…\n", total),
              done, total);
}

#ifdef G_OS_UNIX
/* The first Ctrl+C stops the export cleanly (no file, the attempt audited); the source goes
 * then, so GLib gives SIGINT its default back and a second Ctrl+C ends the process at once. */
static gboolean
interrupted_cb (gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
  return G_SOURCE_REMOVE;
}
#endif

static int
usage_error (const char *message)
{
  koers_cli_fail ("export", KOERS_CLI_EXIT_USAGE, "%s", message);
  g_printerr (_("See “koers-cli help %s”.\n"), "export");
  return KOERS_CLI_EXIT_USAGE;
}

/* Without --format, the output's extension decides; anything else must be said. */
static gboolean
resolve_format (const ExportOptions *options, KoersExportFormat *out_format)
{
  if (options->format != NULL)
    return koers_export_format_from_id (options->format, out_format);
  if (g_str_has_suffix (options->output, ".csv") || g_str_has_suffix (options->output, ".CSV"))
    *out_format = KOERS_EXPORT_FORMAT_CSV;
  else if (g_str_has_suffix (options->output, ".xlsx")
           || g_str_has_suffix (options->output, ".XLSX"))
    *out_format = KOERS_EXPORT_FORMAT_XLSX;
  else
    return FALSE;
  return TRUE;
}

/* Fills @query from the filter options; on a wrong value returns the message (transfer full). */
static char *
build_query (const ExportOptions *options, KoersCaseloadQuery *query)
{
  if (options->status != NULL)
    {
      KoersStatus status;

      if (!koers_status_from_id (options->status, &status))
        return g_strdup_printf (_("--status: “%s” is not a status (registered, intake, active, "
                                  "aftercare, completed or dropped_out)"), options->status);
      query->status = status;
    }
  if (options->municipality != NULL)
    {
      KoersMunicipality municipality;

      if (!koers_municipality_from_id (options->municipality, &municipality))
        return g_strdup_printf (_("--municipality: “%s” is not a municipality identifier "
                                  "(e.g. oost-gelre)"), options->municipality);
      query->municipality = municipality;
    }
  if (options->target_group != NULL)
    {
      KoersTargetGroup group;

      if (!koers_target_group_from_id (options->target_group, &group))
        return g_strdup_printf (_("--target-group: “%s” is not a target group identifier"),
                                options->target_group);
      query->target_group = group;
    }
  if (options->project_line != NULL)
    {
      gint64 line = 0;

      if (!g_ascii_string_to_signed (options->project_line, 10, 1, KOERS_N_PROJECT_LINES, &line,
                                     NULL))
        return g_strdup_printf (_("--project-line: enter a number from 1 to %d"),
                                KOERS_N_PROJECT_LINES);
      query->project_line = (int) line;
    }
  g_free (query->search);
  query->search = g_strdup (options->search);
  return NULL;
}

static gboolean
has_filters (const ExportOptions *options)
{
  return options->status != NULL || options->municipality != NULL
         || options->target_group != NULL || options->search != NULL
         || options->project_line != NULL;
}

/* A damaged database is named, with the way back; anything else as it came. */
static int
fail_export (KoersCli *cli, const GError *error)
{
  const char *path = koers_cli_get_database_path (cli);

  if (!g_error_matches (error, KOERS_DATABASE_ERROR, KOERS_DATABASE_ERROR_CORRUPT))
    return koers_cli_fail ("export", KOERS_CLI_EXIT_FAILURE, "%s", error->message);
  if (strstr (error->message, path) != NULL)
    koers_cli_fail ("export", KOERS_CLI_EXIT_FAILURE, "%s", error->message);
  else
    /* Translators: the first %s is a file, the second SQLite's own words */
    koers_cli_fail ("export", KOERS_CLI_EXIT_FAILURE, _("the database %s is damaged (%s)"), path,
                    error->message);
  koers_cli_print_recovery (cli);
  return KOERS_CLI_EXIT_FAILURE;
}

int
koers_cli_export (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree char *problem = NULL;
  CliProgress progress = { PROGRESS_STEP };
  guint sigint_id = 0;
  ExportOptions options = { NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL };
  KoersCaseloadQuery query;
  KoersExportFormat format = KOERS_EXPORT_FORMAT_CSV;
  KoersExportTable table = KOERS_EXPORT_TABLE_PARTICIPANTS;
  guint n_rows = 0;
  gboolean exported;
  int status = KOERS_CLI_EXIT_OK;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &options.format,
      N_("csv or xlsx (default: from the file name)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options.output,
      N_("Write to FILE (replaced when it exists)"), N_("FILE") },
    { "table", 0, 0, G_OPTION_ARG_STRING, &options.table,
      N_("Export a whole table: participants, notes, activities, skills or consent"),
      N_("TABLE") },
    { "status", 0, 0, G_OPTION_ARG_STRING, &options.status,
      N_("Only participants with this status (e.g. active)"), N_("STATUS") },
    { "municipality", 0, 0, G_OPTION_ARG_STRING, &options.municipality,
      N_("Only participants of this municipality (e.g. oost-gelre)"), N_("MUNICIPALITY") },
    { "target-group", 0, 0, G_OPTION_ARG_STRING, &options.target_group,
      N_("Only participants of this target group"), N_("GROUP") },
    { "project-line", 0, 0, G_OPTION_ARG_STRING, &options.project_line,
      N_("Only participants of this project line (1 to 7)"), N_("N") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &options.search,
      N_("Only participants whose name matches TEXT, as the caseload's search"), N_("TEXT") },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Exports the caseload (optionally filtered, as in the window) "
                                  "or a whole table to CSV for Excel (UTF-8, “;”) or to XLSX. "
                                  "Cells a spreadsheet would run as a formula get a ' in "
                                  "front. Every export is recorded in the audit trail. "
                                  "Ctrl+C stops an export without writing the file. "
                                  "Exit status: 0 exported, 1 failed or stopped (no file "
                                  "written), 2 wrong command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  koers_caseload_query_init (&query);
  if (!koers_cli_parse (context, "export", &argc, &argv))
    status = KOERS_CLI_EXIT_USAGE;
  else if (options.output == NULL || *options.output == '\0')
    status = usage_error (_("name the file to write with --output FILE"));
  else if (!resolve_format (&options, &format))
    status = usage_error (options.format != NULL
                          ? _("--format: write csv or xlsx")
                          : _("say --format csv or --format xlsx (the file name does not end "
                              "in .csv or .xlsx)"));
  else if (options.table != NULL && !koers_export_table_from_id (options.table, &table))
    status = usage_error (_("--table: write participants, notes, activities, skills or "
                            "consent"));
  else if (options.table != NULL && has_filters (&options))
    status = usage_error (_("the filters apply to the caseload: leave out --table, or leave "
                            "out the filters to export the whole table"));
  else if ((problem = build_query (&options, &query)) != NULL)
    status = usage_error (problem);
  if (status != KOERS_CLI_EXIT_OK)
    goto out;

  /* Opening would create an empty database at a mistyped path and "export" its 0 rows. */
  if (!g_file_test (koers_cli_get_database_path (cli), G_FILE_TEST_EXISTS))
    {
      status = koers_cli_fail ("export", KOERS_CLI_EXIT_FAILURE, _("there is no database at %s"),
                               koers_cli_get_database_path (cli));
      goto out;
    }

  /* No quick_check: it reads the whole file (1.9 of the 2.4 s of a 100,000-row export from an
   * 860 MB database), and an export only reads the rows it writes, which SQLite checks as it
   * reads them: a damaged page among them stops the export, and no file is written. The window
   * exports through the store's connection, whose file was checked at the start. */
  if (koers_cli_refuse_emptied (cli, "export"))
    {
      status = KOERS_CLI_EXIT_FAILURE;
      goto out;
    }
  db = koers_database_open (koers_cli_get_database_path (cli), KOERS_DATABASE_OPEN_NO_CHECK,
                            &error);
  if (db == NULL)
    {
      status = fail_export (cli, error);
      goto out;
    }
  koers_audit_set_origin (db, KOERS_AUDIT_ORIGIN_CLI);
#ifdef G_OS_UNIX
  sigint_id = g_unix_signal_add (SIGINT, interrupted_cb, cancellable);
#endif
  if (options.table != NULL)
    exported = koers_export_table_full (db, table, format, options.output, g_get_user_name (),
                                        cancellable, print_progress, &progress, &n_rows,
                                        &error);
  else
    exported = koers_export_caseload_full (db, &query, format, options.output,
                                           g_get_user_name (), cancellable, print_progress,
                                           &progress, &n_rows, &error);
  if (sigint_id != 0 && !g_cancellable_is_cancelled (cancellable))
    g_source_remove (sigint_id);
  if (!exported)
    {
      status = fail_export (cli, error);
      goto out;
    }
  {
    g_autofree char *name = g_filename_display_name (options.output);

    /* Translators: "Exported 12 rows to caseload.csv" */
    g_print (g_dngettext (GETTEXT_PACKAGE, "Exported %u row to %s\n", "Exported %u rows to %s\n",
                          n_rows), n_rows, name);
  }

out:
  koers_caseload_query_clear (&query);
  export_options_clear (&options);
  return status;
}
