/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * bench-import: importing a partner's CSV of 100,000 participants (bulk-data issue, "Import":
 * <= 4x `sqlite3 .import` of the same file, measured in the same run).
 *
 * Writes a deterministic CSV as a programme office would (Dutch headers, `;`, names in several
 * scripts, every municipality and target group, some notes), then alternates, run after run:
 *   floor: `sqlite3 NEW.db -cmd '.mode csv' -cmd '.separator ;' '.import FILE t'`
 *   koers: koers_database_open (NEW.db, created and migrated) + koers_import_csv (validated,
 *          FTS-indexed, one transaction): what `koers-cli import` does
 * and prints both medians and their ratio. With soffice on PATH it also alternates
 *   calc:  `soffice --headless --infilter=CSV:59,34,76,1 --convert-to xlsx FILE` (the
 *          issue's LibreOffice comparison: Koers >= 10x faster, <= 1/3 of its memory)
 *   cli:   `koers-cli import --database NEW.db FILE`, the same import as a process of its own
 * and reports wall time, CPU time and peak RSS of each (wait4(): CPU time of the process and
 * of what it waited for, ru_maxrss of the largest of them; soffice is a launcher that runs
 * soffice.bin as its child).
 *
 *   bench-import [--rows 100000] [--runs 5] [--dir /tmp/bench-import] [--keep] [--cli PATH]
 *
 * With --window it measures the window's import instead: a dry run for the preview, then the
 * import given that preview's report (KoersImportOptions.checked) against the same import
 * checking the file again, alternating.
 */
#include "config.h"

#include "bench-demo-db.h"

#include "cli/koers-import.h"
#include "storage/koers-audit.h"
#include "storage/koers-database.h"
#include "storage/koers-paths.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

static const char *const first_names[] = {
  "Jan", "Daan", "Sanne", "Fatima", "Mohammed", "Ayşe", "Yusuf", "Noor", "Piotr", "Agnieszka",
  "Oksana", "Dmytro", "Tesfay", "Selam", "Ahmad", "Mariam", "Hüseyin", "Zeynep", "Rania", "Lotte",
  "محمد", "فاطمة", "Олена", "Андрій", "Γιώργος", "ሰላም", "Chloë", "José", "Ngọc", "Łukasz",
};
static const char *const last_names[] = {
  "de Vries", "Jansen", "van Dijk", "Bakker", "El Amrani", "Yılmaz", "Haddad", "Kowalski",
  "Nowak", "Shevchenko", "Bondarenko", "Gebremedhin", "Tesfamariam", "Rahimi", "Öztürk",
  "Demir", "van der Berg", "ter Horst", "Wüst", "Nguyễn", "الحسن", "Коваленко", "Παπαδόπουλος",
  "Brouwer", "Hendriks",
};
static const char *const municipalities[] = {
  "Aalten", "Berkelland", "Bronckhorst", "Doetinchem", "Montferland", "Oost Gelre",
  "Oude IJsselstreek", "Winterswijk",
};
static const char *const target_groups[] = {
  "statushouder", "asielzoeker", "arbeidsmigrant", "nug", "werkzoekende", "laaggeletterd",
  "worker_reskilling", "zij-instromer",
};
static const char *const notes[] = {
  "eerste gesprek gehad", "belt terug na de vakantie", "wil de zorg in; proeverij plannen",
  "taalcursus B1 loopt", "\"heeft\" een fiets nodig voor werk",
};

static char *
write_csv (const char *path, guint n_rows)
{
  g_autoptr(GString) s = g_string_sized_new ((gsize) n_rows * 110);
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (20260);

  g_string_append (s, "Voornaam;Achternaam;Geboortejaar;Gemeente;Doelgroep;Telefoon;E-mail;"
                      "Notities\r\n");
  for (guint i = 0; i < n_rows; i++)
    {
      const char *note = g_rand_int_range (rand, 0, 5) == 0
                         ? notes[g_rand_int_range (rand, 0, G_N_ELEMENTS (notes))] : "";

      /* The row number in the e-mail keeps every row distinct, as real people are. */
      g_string_append_printf (s, "%s;%s;%d;%s;%s;06%08d;p%u@example.nl;",
                              first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))],
                              last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))],
                              g_rand_int_range (rand, 1960, 2007),
                              municipalities[i % G_N_ELEMENTS (municipalities)],
                              target_groups[g_rand_int_range (rand, 0,
                                                              G_N_ELEMENTS (target_groups))],
                              g_rand_int_range (rand, 10000000, 99999999), i);
      if (*note != '\0')
        {
          g_autofree char *escaped = NULL;
          g_auto(GStrv) parts = g_strsplit (note, "\"", -1);

          escaped = g_strjoinv ("\"\"", parts);
          g_string_append_printf (s, "\"%s\"", escaped);
        }
      g_string_append (s, "\r\n");
    }
  g_rand_free (rand);
  if (!g_file_set_contents (path, s->str, (gssize) s->len, &error))
    g_error ("%s", error->message);
  return g_strdup_printf ("%.1f MiB", s->len / 1048576.0);
}

/* CPU time (user + system) in ms of this process, or of its waited-for children. On a shared
 * machine the wall time of both sides swings with the load of others; CPU time much less. */
static double
cpu_ms (int who)
{
  struct rusage usage;

  getrusage (who, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
}

static double
run_sqlite3 (const char *db_path, const char *csv_path, double *out_cpu_ms)
{
  g_autofree char *import = g_strdup_printf (".import '%s' t", csv_path);
  const char *argv[] = { "sqlite3", db_path, "-cmd", ".mode csv", "-cmd", ".separator ;",
                         import, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  gint64 start;
  double ms;

  double cpu_before;

  koers_paths_remove_database (db_path);
  cpu_before = cpu_ms (RUSAGE_CHILDREN);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH
                     | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("sqlite3: %s %s", error->message, err != NULL ? err : "");
  ms = (g_get_monotonic_time () - start) / 1000.0;
  *out_cpu_ms = cpu_ms (RUSAGE_CHILDREN) - cpu_before;
  koers_paths_remove_database (db_path);
  return ms;
}

static double
run_koers (const char *db_path, const char *csv_path, guint n_rows, double *out_import_ms,
           double *out_cpu_ms)
{
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;
  gint64 start, opened;
  double ms;
  double cpu_before;

  koers_paths_remove_database (db_path);
  cpu_before = cpu_ms (RUSAGE_SELF);
  start = g_get_monotonic_time ();
  db = koers_database_open (db_path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL)
    g_error ("open: %s", error->message);
  koers_audit_set_origin (db, KOERS_AUDIT_ORIGIN_CLI);
  opened = g_get_monotonic_time ();
  if (!koers_import_csv (db, file, NULL, report, NULL, NULL, NULL, &error))
    g_error ("import: %s", error->message);
  g_clear_object (&db);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  *out_cpu_ms = cpu_ms (RUSAGE_SELF) - cpu_before;
  *out_import_ms = ms - (opened - start) / 1000.0;
  if (report->n_imported != n_rows)
    g_error ("imported %u of %u rows", report->n_imported, n_rows);
  koers_paths_remove_database (db_path);
  return ms;
}

/* The window's way: a preview's check (dry run), then the import, with @reuse given the
 * preview's report. Returns the import's wall time. */
static double
run_window (const char *db_path, const char *csv_path, guint n_rows, gboolean reuse,
            double *out_preview_ms)
{
  g_autoptr(KoersDatabase) db = NULL;
  g_autoptr(KoersImportReport) checked = koers_import_report_new ();
  g_autoptr(KoersImportReport) report = koers_import_report_new ();
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(GError) error = NULL;
  KoersImportOptions options;
  gint64 start;
  double ms;

  koers_paths_remove_database (db_path);
  db = koers_database_open (db_path, KOERS_DATABASE_OPEN_DEFAULT, &error);
  if (db == NULL)
    g_error ("open: %s", error->message);
  koers_import_options_init (&options);
  options.dry_run = TRUE;
  start = g_get_monotonic_time ();
  if (!koers_import_csv (db, file, &options, checked, NULL, NULL, NULL, &error))
    g_error ("check: %s", error->message);
  *out_preview_ms = (g_get_monotonic_time () - start) / 1000.0;
  options.dry_run = FALSE;
  options.checked = reuse ? checked : NULL;
  start = g_get_monotonic_time ();
  if (!koers_import_csv (db, file, &options, report, NULL, NULL, NULL, &error))
    g_error ("import: %s", error->message);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  if (report->n_imported != n_rows)
    g_error ("imported %u of %u rows", report->n_imported, n_rows);
  g_clear_object (&db);
  koers_paths_remove_database (db_path);
  return ms;
}

static void
bench_window (const char *db_path, const char *csv_path, guint n_rows, int runs)
{
  g_autofree double *again_ms = g_new0 (double, runs);
  g_autofree double *reuse_ms = g_new0 (double, runs);
  g_autofree double *preview_ms = g_new0 (double, runs);
  double warm;

  run_window (db_path, csv_path, n_rows, FALSE, &warm);
  run_window (db_path, csv_path, n_rows, TRUE, &warm);
  for (int i = 0; i < runs; i++)
    {
      again_ms[i] = run_window (db_path, csv_path, n_rows, FALSE, &preview_ms[i]);
      reuse_ms[i] = run_window (db_path, csv_path, n_rows, TRUE, &warm);
      g_print ("run %d: preview %.0f ms; import checking again %.0f ms, import after the "
               "preview's check %.0f ms\n", i + 1, preview_ms[i], again_ms[i], reuse_ms[i]);
    }
  g_print ("median: preview %.0f ms; import checking again %.0f ms, after the preview's check "
           "%.0f ms\n", bench_median (preview_ms, (guint) runs),
           bench_median (again_ms, (guint) runs), bench_median (reuse_ms, (guint) runs));
}

/* The file is `;`-separated UTF-8: without the filter options (separator 59, quote 34,
 * character set 76 = UTF-8, from line 1) Calc would read it as comma-separated, one cell a
 * row, which is not the same work. */
static BenchChildRun
run_soffice (const char *dir, const char *csv_path)
{
  const char *argv[] = { "soffice", "--headless", "--infilter=CSV:59,34,76,1", "--convert-to",
                         "xlsx", "--outdir", dir, csv_path, NULL };

  return bench_run_child (argv);
}

static BenchChildRun
run_cli (const char *cli, const char *db_path, const char *csv_path)
{
  const char *argv[] = { cli, "import", "--database", db_path, csv_path, NULL };
  BenchChildRun run;

  koers_paths_remove_database (db_path);
  run = bench_run_child (argv);
  koers_paths_remove_database (db_path);
  return run;
}

static BenchChildRun
print_child_runs (const char *what, const BenchChildRun *runs, guint n)
{
  BenchChildRun median = bench_child_runs_median (runs, n);

  g_print ("median %s: %.0f ms (cpu %.0f ms), peak RSS %.0f MiB\n", what, median.wall_ms,
           median.cpu_ms, median.peak_mib);
  return median;
}

int
main (int argc, char **argv)
{
  int rows = 100000;
  int runs = 5;
  g_autofree char *dir = NULL;
  gboolean keep = FALSE;
  gboolean only_generate = FALSE;
  gboolean window = FALSE;
  g_autofree char *cli = NULL;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Rows in the generated file", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed runs of each", "N" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir, "Working directory", "DIR" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the generated CSV", NULL },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli,
      "koers-cli for the LibreOffice comparison (default: ../src/koers-cli beside this program)",
      "PATH" },
    { "generate-only", 0, 0, G_OPTION_ARG_NONE, &only_generate,
      "Write the CSV (DIR/participants.csv) and stop, e.g. to profile koers-cli import", NULL },
    { "window", 0, 0, G_OPTION_ARG_NONE, &window,
      "The window's import: after a preview, with and without reusing its check", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- CSV import vs sqlite3 .import");
  g_autoptr(GError) error = NULL;
  g_autofree char *csv_path = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *size = NULL;
  g_autofree double *floor_ms = NULL;
  g_autofree double *koers_ms = NULL;
  g_autofree double *import_ms = NULL;
  g_autofree double *floor_cpu = NULL;
  g_autofree double *koers_cpu = NULL;
  double warm_ms = 0, warm_cpu = 0;
  g_autofree char *soffice = g_find_program_in_path ("soffice");

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (rows < 1 || runs < 1)
    g_error ("--rows and --runs must be positive");
  if (dir == NULL)
    dir = g_build_filename (g_get_tmp_dir (), "bench-import", NULL);
  g_mkdir_with_parents (dir, 0700);
  csv_path = g_build_filename (dir, "participants.csv", NULL);
  db_path = g_build_filename (dir, "bench.db", NULL);

  size = write_csv (csv_path, (guint) rows);
  g_print ("file: %s, %d rows, %s\n", csv_path, rows, size);
  if (only_generate)
    return 0;
  if (window)
    {
      bench_window (db_path, csv_path, (guint) rows, runs);
      if (!keep)
        g_unlink (csv_path);
      return 0;
    }

  floor_ms = g_new0 (double, runs);
  koers_ms = g_new0 (double, runs);
  import_ms = g_new0 (double, runs);
  floor_cpu = g_new0 (double, runs);
  koers_cpu = g_new0 (double, runs);
  /* One warm-up of each: the file in the page cache, sqlite3 and the libraries loaded. */
  run_sqlite3 (db_path, csv_path, &warm_cpu);
  run_koers (db_path, csv_path, (guint) rows, &warm_ms, &warm_cpu);
  for (int i = 0; i < runs; i++)
    {
      floor_ms[i] = run_sqlite3 (db_path, csv_path, &floor_cpu[i]);
      koers_ms[i] = run_koers (db_path, csv_path, (guint) rows, &import_ms[i], &koers_cpu[i]);
      g_print ("run %d: sqlite3 .import %.0f ms (cpu %.0f ms)  koers open+import %.0f ms "
               "(cpu %.0f ms; import %.0f ms)\n", i + 1, floor_ms[i], floor_cpu[i],
               koers_ms[i], koers_cpu[i], import_ms[i]);
    }
  {
    double f = bench_median (floor_ms, (guint) runs);
    double k = bench_median (koers_ms, (guint) runs);
    double m = bench_median (import_ms, (guint) runs);
    double fc = bench_median (floor_cpu, (guint) runs);
    double kc = bench_median (koers_cpu, (guint) runs);

    g_print ("median: sqlite3 .import %.0f ms, koers %.0f ms (import alone %.0f ms)\n", f, k, m);
    g_print ("median CPU time: sqlite3 .import %.0f ms, koers %.0f ms\n", fc, kc);
    g_print ("ratio koers / sqlite3 .import: %.2f wall, %.2f CPU (target <= 4)\n", k / f,
             kc / fc);
  }

  if (soffice == NULL)
    g_print ("LibreOffice not installed\n");
  else
    {
      g_autofree BenchChildRun *calc_runs = g_new0 (BenchChildRun, runs);
      g_autofree BenchChildRun *cli_runs = g_new0 (BenchChildRun, runs);
      BenchChildRun calc, koers;

      if (cli == NULL)
        {
          g_autofree char *here = g_path_get_dirname (argv[0]);

          cli = g_build_filename (here, "..", "src", "koers-cli", NULL);
        }
      /* The first start of soffice makes its user profile: not part of the comparison. */
      run_soffice (dir, csv_path);
      run_cli (cli, db_path, csv_path);
      for (int i = 0; i < runs; i++)
        {
          calc_runs[i] = run_soffice (dir, csv_path);
          cli_runs[i] = run_cli (cli, db_path, csv_path);
          g_print ("run %d: soffice --convert-to xlsx %.0f ms (cpu %.0f ms, peak %.0f MiB)  "
                   "koers-cli import %.0f ms (cpu %.0f ms, peak %.0f MiB)\n", i + 1,
                   calc_runs[i].wall_ms, calc_runs[i].cpu_ms, calc_runs[i].peak_mib,
                   cli_runs[i].wall_ms, cli_runs[i].cpu_ms, cli_runs[i].peak_mib);
        }
      calc = print_child_runs ("soffice --convert-to xlsx", calc_runs, (guint) runs);
      koers = print_child_runs ("koers-cli import", cli_runs, (guint) runs);
      g_print ("koers-cli import against Calc: %.2fx as fast (target >= 10), %.2f of its peak "
               "RSS (target <= 0.33)\n", calc.wall_ms / koers.wall_ms,
               koers.peak_mib / calc.peak_mib);
    }

  if (!keep)
    g_unlink (csv_path);
  return 0;
}
