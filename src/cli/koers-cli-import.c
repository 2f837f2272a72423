/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * koers-cli import: a partner's CSV file into the caseload, all or nothing, with the same
 * messages as the window's import dialog (koers-import.h).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli/koers-cli-import.h"

#include "cli/koers-import.h"
#include "core/koers-csv-header.h"
#include "storage/koers-audit.h"
#include "storage/koers-paths.h"

/* Enough to see what is wrong with a file; the rest is counted. */
#define MAX_PRINTED_ISSUES 50

static void
print_mapping (GFile *file, const KoersImportReport *report)
{
  g_autofree char *name = g_file_get_parse_name (file);
  g_autofree char *separator = NULL;

  if (report->headers == NULL)
    return;
  separator = report->separator == '\t' ? g_strdup ("TAB")
                                        : g_strdup_printf ("“%c”", report->separator);
  g_print (_("File: %s\n"), name);
  /* Translators: "Encoding: utf-8, separator: “;”" */
  g_print (_("Encoding: %s, separator: %s\n"), koers_csv_encoding_to_string (report->encoding),
           separator);
  g_print ("%s\n", _("Columns:"));
  for (guint i = 0; report->headers[i] != NULL; i++)
    {
      KoersCsvField field = report->mapping[i];

      /* Translators: one column of the file and the field it is imported as:
       * "  3 Geboortejaar → Birth year (birth-year)" */
      g_print (_("  %u %s → %s (%s)\n"), i + 1, report->headers[i],
               koers_csv_field_get_label (field), koers_csv_field_to_string (field));
    }
}

static void
print_issues (GPtrArray *issues, guint n_total, gboolean warnings)
{
  guint n_printed = MIN (issues->len, MAX_PRINTED_ISSUES);

  for (guint i = 0; i < n_printed; i++)
    {
      const KoersCsvIssue *issue = g_ptr_array_index (issues, i);

      if (warnings)
        /* Translators: %s is a located problem, "7:12 (Telefoon): reason" */
        g_printerr (_("warning: %s\n"), issue->message);
      else
        /* Translators: %s is a located problem, "7:12 (Geboortejaar): reason" */
        g_printerr (_("error: %s\n"), issue->message);
    }
  if (n_total > n_printed)
    {
      guint n_more = n_total - n_printed;

      if (warnings)
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "and %u more warning\n",
                                 "and %u more warnings\n", n_more), n_more);
      else
        g_printerr (g_dngettext (GETTEXT_PACKAGE, "and %u more error\n",
                                 "and %u more errors\n", n_more), n_more);
    }
}

static void
print_result (const KoersImportReport *report, gboolean dry_run)
{
  g_autofree char *already = NULL;

  already = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u already imported",
                                          "%u already imported", report->n_already),
                             report->n_already);
  if (dry_run)
    {
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u participant would be imported",
                                                            "%u participants would be imported",
                                                            report->n_to_import),
                                               report->n_to_import);

      /* Translators: "Checked, nothing written: 12 participants would be imported (3 already
       * imported)" */
      g_print (_("Checked, nothing written: %s (%s)\n"), rows, already);
    }
  else
    {
      g_autofree char *rows = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "Imported %u participant",
                                                            "Imported %u participants",
                                                            report->n_imported),
                                               report->n_imported);
      g_autofree char *notes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u note",
                                                             "%u notes", report->n_notes),
                                                report->n_notes);

      /* Translators: "Imported 12 participants (3 already imported, 5 notes)" */
      g_print (_("%s (%s, %s)\n"), rows, already, notes);
    }
}

int
koers_cli_import (KoersCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(KoersImportReport) report = NULL;
  g_autoptr(GFile) file = NULL;
  g_auto(GStrv) mapping = NULL;
  g_autofree char *table_id = NULL;
  KoersImportTable table = KOERS_IMPORT_TABLE_PARTICIPANTS;
  KoersImportOptions options;
  gboolean dry_run = FALSE;
  gboolean accept_warnings = FALSE;
  gboolean imported;
  gboolean created;
  const char *path;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run,
      N_("Check the file and show what would be imported; write nothing"), NULL },
    { "accept-warnings", 0, 0, G_OPTION_ARG_NONE, &accept_warnings,
      N_("Import although the file shows spreadsheet damage (values are stored as written)"),
      NULL },
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &mapping,
      N_("Import column COLUMN (its header or number) as FIELD (e.g. birth-year, or none); "
         "may be repeated"), N_("COLUMN=FIELD") },
    { "table", 0, 0, G_OPTION_ARG_STRING, &table_id,
      N_("What the file holds: participants (the default), or their notes or activities as "
         "“koers-cli export --table” writes them (import the participants first)"),
      N_("TABLE") },
    { NULL },
  };

  g_return_val_if_fail (cli != NULL, KOERS_CLI_EXIT_USAGE);
  g_return_val_if_fail (argc >= 1 && argv != NULL, KOERS_CLI_EXIT_USAGE);

  /* Translators: the placeholder of "koers-cli import FILE" */
  context = g_option_context_new (_("FILE"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Imports participants from a CSV file as Dutch offices save "
                                  "it. The whole file is checked first; any error, or a "
                                  "warning not accepted, means nothing is written, and so does "
                                  "a file saved again while it is imported. Rows imported "
                                  "before are skipped. Exit status: 0 imported, 1 "
                                  "refused (nothing written), 2 wrong command line."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  koers_cli_add_common_options (cli, context);
  g_set_prgname ("koers-cli import");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_set_prgname ("koers-cli");
      koers_cli_fail ("import", KOERS_CLI_EXIT_USAGE, "%s", error->message);
      g_printerr (_("See “koers-cli help %s”.\n"), "import");
      return KOERS_CLI_EXIT_USAGE;
    }
  g_set_prgname ("koers-cli");
  /* "" would be read as the current folder and refused as one. */
  if (argc != 2 || *argv[1] == '\0')
    {
      koers_cli_fail ("import", KOERS_CLI_EXIT_USAGE,
                      argc < 2 || *argv[1] == '\0' ? _("name the CSV file to import")
                                                   : _("import one file at a time"));
      g_printerr (_("See “koers-cli help %s”.\n"), "import");
      return KOERS_CLI_EXIT_USAGE;
    }

  if (table_id != NULL && !koers_import_table_from_id (table_id, &table))
    {
      koers_cli_fail ("import", KOERS_CLI_EXIT_USAGE,
                      _("“%s” is not a table Koers imports: participants, notes or activities"),
                      table_id);
      return KOERS_CLI_EXIT_USAGE;
    }

  file = g_file_new_for_commandline_arg (argv[1]);
  path = koers_cli_get_database_path (cli);
  created = !g_file_test (path, G_FILE_TEST_EXISTS);
  if (koers_cli_refuse_emptied (cli, "import"))
    return KOERS_CLI_EXIT_FAILURE;
  db = koers_database_open (path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL)
    return koers_cli_fail ("import", KOERS_CLI_EXIT_FAILURE, "%s", error->message);
  koers_audit_set_origin (db, KOERS_AUDIT_ORIGIN_CLI);

  koers_import_options_init (&options);
  options.actor = g_get_user_name ();
  options.dry_run = dry_run;
  options.accept_warnings = accept_warnings;
  options.mapping = (const char * const *) mapping;
  report = koers_import_report_new ();
  imported = koers_import_table_csv (db, table, file, &options, report, NULL, NULL, NULL,
                                     &error);
  /* Importing into a new database is how a first caseload starts; a refused or dry run leaves
   * no empty database behind, as "nothing written" promises (and a mistyped --database would
   * otherwise leave one to be found later). */
  if (created && (!imported || dry_run))
    {
      g_clear_object (&db);
      koers_paths_remove_database (path);
    }

  if (table == KOERS_IMPORT_TABLE_PARTICIPANTS)
    print_mapping (file, report);
  print_issues (report->errors, report->n_errors, FALSE);
  print_issues (report->warnings, report->n_warnings, TRUE);
  if (!imported)
    {
      int code = g_error_matches (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_MAPPING)
                 ? KOERS_CLI_EXIT_USAGE : KOERS_CLI_EXIT_FAILURE;

      if (g_error_matches (error, KOERS_IMPORT_ERROR, KOERS_IMPORT_ERROR_REFUSED)
          && report->n_errors == 0 && report->n_warnings > 0)
        g_printerr ("%s\n", _("Check the warnings; import with --accept-warnings when the "
                              "values are right as written."));
      return koers_cli_fail ("import", code, "%s", error->message);
    }
  if (table == KOERS_IMPORT_TABLE_PARTICIPANTS)
    print_result (report, dry_run);
  else
    /* Translators: "notes: 120 to import, 3 already imported" (dry run) or "imported 120, 3
     * already imported"; the first %s is the table (notes, activities) */
    g_print (dry_run ? _("%s: %u to import, %u already imported (checked, nothing written)\n")
                     : _("%s: imported %u, %u already imported\n"),
             koers_import_table_to_id (table), dry_run ? report->n_to_import
                                                       : report->n_imported,
             report->n_already);
  return KOERS_CLI_EXIT_OK;
}
