/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-export: the 100,000-participant caseload exported to CSV and to XLSX (bulk-data issue,
 * "Scale": export 100,000 rows, report the figures).
 *
 * Copies the cached demo database (bench-demo-db.h; 100,000 participants and 1,000,000 notes
 * by default) into a working directory, since every export appends an audit event and the
 * cache must stay as made. Then alternates, run after run:
 *   csv:   koers-cli --database COPY export --output DIR/caseload.csv
 *   xlsx:  koers-cli --database COPY export --output DIR/caseload.xlsx
 *   raw:   sqlite3 COPY, the participant table's rows in the same order as CSV, with no
 *          formatting, no neutralising and no audit (a reference, when sqlite3 is installed)
 * and reports wall time, CPU time and peak RSS of each (wait4()), and the files' sizes.
 *
 *   bench-export [--participants 100000] [--notes 1000000] [--seed 1] [--runs 5] [--dir DIR]
 *                [--database FILE] [--cli PATH]
 */
#include "config.h"

#include "bench-demo-db.h"

#include "storage/koers-paths.h"

#include <glib/gstdio.h>
#include <gio/gio.h>

typedef enum {
  KIND_CSV,
  KIND_XLSX,
  KIND_RAW,
  N_KINDS
} Kind;

static const char *const kind_names[N_KINDS] = {
  "koers-cli export (CSV)", "koers-cli export (XLSX)", "sqlite3 raw CSV (reference)",
};

static BenchChildRun
run_kind (Kind kind, const char *cli, const char *db_path, const char *out_path)
{
  g_autofree char *output_cmd = g_strdup_printf (".output %s", out_path);

  g_unlink (out_path);
  if (kind == KIND_RAW)
    {
      const char *argv[] = { "sqlite3", db_path, "-cmd", ".mode csv", "-cmd", ".separator ;",
                             "-cmd", ".headers on", "-cmd", output_cmd,
                             "SELECT * FROM participant WHERE deleted = 0 "
                             "ORDER BY name_key, seq", NULL };

      return bench_run_child (argv);
    }
  else
    {
      const char *argv[] = { cli, "--database", db_path, "export", "--output", out_path, NULL };

      return bench_run_child (argv);
    }
}

int
main (int argc, char **argv)
{
  int participants = 100000;
  int notes = 1000000;
  int seed = 1;
  int runs = 5;
  g_autofree char *dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *cli = NULL;
  GOptionEntry entries[] = {
    { "participants", 0, 0, G_OPTION_ARG_INT, &participants, "Demo participants", "N" },
    { "notes", 0, 0, G_OPTION_ARG_INT, &notes, "Demo notes (-1: the demo's default)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Demo seed", "S" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Working directory", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_FILENAME, &database,
      "Export from a copy of FILE instead of the demo database", "FILE" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "koers-cli to run (default: this build's)",
      "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- caseload export to CSV and XLSX");
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) copy = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autofree char *out_paths[N_KINDS] = { NULL };
  GArray *results[N_KINDS];
  guint n_kinds = sqlite3 != NULL ? N_KINDS : KIND_RAW;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (participants < 1 || runs < 1)
    g_error ("--participants and --runs must be positive");
  if (cli == NULL)
    cli = g_strdup (KOERS_CLI_PATH);
  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "bench-export", NULL);
  g_mkdir_with_parents (dir, 0700);
  if (database == NULL)
    database = bench_demo_database (cli, NULL, (guint) participants, notes, (guint) seed);

  /* A copy: each export's audit event must not change the file other benchmarks share. */
  db_path = g_build_filename (dir, "export.db", NULL);
  koers_paths_remove_database (db_path);
  source = g_file_new_for_path (database);
  copy = g_file_new_for_path (db_path);
  if (!g_file_copy (source, copy, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error))
    g_error ("cannot copy %s: %s", database, error->message);
  g_print ("database: %s (%ld MiB), copied to %s\n", database, bench_file_size_mib (database),
           db_path);

  out_paths[KIND_CSV] = g_build_filename (dir, "caseload.csv", NULL);
  out_paths[KIND_XLSX] = g_build_filename (dir, "caseload.xlsx", NULL);
  out_paths[KIND_RAW] = g_build_filename (dir, "raw.csv", NULL);
  for (guint k = 0; k < N_KINDS; k++)
    results[k] = g_array_new (FALSE, FALSE, sizeof (BenchChildRun));

  /* One warm-up of each: the file in the page cache, the programs and libraries loaded. */
  for (guint k = 0; k < n_kinds; k++)
    run_kind ((Kind) k, cli, db_path, out_paths[k]);
  for (int i = 0; i < runs; i++)
    for (guint k = 0; k < n_kinds; k++)
      {
        BenchChildRun run = run_kind ((Kind) k, cli, db_path, out_paths[k]);

        g_array_append_val (results[k], run);
        g_print ("run %d: %-28s %6.0f ms (cpu %6.0f ms), peak RSS %5.1f MiB\n", i + 1,
                 kind_names[k], run.wall_ms, run.cpu_ms, run.peak_mib);
      }

  for (guint k = 0; k < n_kinds; k++)
    {
      BenchChildRun median = bench_child_runs_median ((BenchChildRun *) results[k]->data,
                                                      results[k]->len);

      g_print ("median %-28s %6.0f ms (cpu %6.0f ms), peak RSS %5.1f MiB, file %ld MiB\n",
               kind_names[k], median.wall_ms, median.cpu_ms, median.peak_mib,
               bench_file_size_mib (out_paths[k]));
    }
  if (sqlite3 == NULL)
    g_print ("sqlite3 not installed: no raw reference\n");

  for (guint k = 0; k < N_KINDS; k++)
    {
      g_unlink (out_paths[k]);
      g_array_unref (results[k]);
    }
  koers_paths_remove_database (db_path);
  return 0;
}
