/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <glib/gstdio.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench-demo-db.h"

#include "storage/koers-database.h"

/* Returns (transfer full) the path of a demo database of @participants and @notes (-1: the
 * demo's default), made by @cli on first use. */
char *
bench_demo_database (const char *cli, const char *cache_dir, guint participants, int notes,
                     guint seed)
{
  g_autofree char *notes_text = notes < 0 ? g_strdup ("default")
                                          : g_strdup_printf ("%d", notes);
  g_autofree char *name = g_strdup_printf ("demo-p%u-n%s-s%u-v%d.db", participants, notes_text,
                                           seed, koers_database_get_latest_version ());
  g_autofree char *dir = cache_dir != NULL
    ? g_strdup (cache_dir) : g_build_filename (g_get_user_cache_dir (), "koers-bench", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *participants_text = g_strdup_printf ("%u", participants);
  g_autofree char *seed_text = g_strdup_printf ("%u", seed);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(KoersDatabase) db = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  gint64 start;

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&path);

  g_mkdir_with_parents (dir, 0700);
  /* What an interrupted earlier attempt left behind. */
  for (guint i = 0; i < 3; i++)
    {
      static const char *const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *stale = g_strconcat (partial, suffixes[i], NULL);

      g_unlink (stale);
    }
  g_ptr_array_add (argv, (char *) (cli != NULL ? cli : KOERS_CLI_PATH));
  g_ptr_array_add (argv, "--database");
  g_ptr_array_add (argv, partial);
  g_ptr_array_add (argv, "demo");
  g_ptr_array_add (argv, "--participants");
  g_ptr_array_add (argv, participants_text);
  g_ptr_array_add (argv, "--seed");
  g_ptr_array_add (argv, seed_text);
  if (notes >= 0)
    {
      g_ptr_array_add (argv, "--notes");
      g_ptr_array_add (argv, notes_text);
    }
  g_ptr_array_add (argv, NULL);

  g_printerr ("making %s (once) ...\n", path);
  start = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                     &out, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("koers-cli demo failed: %s", error->message);
  g_printerr ("%s(%.1f s wall clock)\n", out, (g_get_monotonic_time () - start) / 1e6);

  /* Koers opens it with the same schema version, so it never migrates during a run; the
   * write-ahead log is folded in, so no run pays for reading it. */
  db = koers_database_open (partial, KOERS_DATABASE_OPEN_NO_CHECK, &error);
  if (db == NULL || !koers_database_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", &error))
    g_error ("cannot open the new database: %s", error->message);
  g_clear_object (&db);
  if (g_rename (partial, path) != 0)
    g_error ("cannot rename %s", partial);
  return g_steal_pointer (&path);
}

long
bench_file_size_mib (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (long) (st.st_size / (1024 * 1024)) : -1;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

double
bench_percentile (GArray *values, double p)
{
  guint index;

  if (values->len == 0)
    return 0;
  g_array_sort (values, compare_doubles);
  index = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, index);
}

double
bench_median (double *values, guint n)
{
  g_assert (n > 0);
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

void
bench_spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

BenchChildRun
bench_run_child (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  struct rusage usage;
  BenchChildRun run;
  GPid pid;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD
                      | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                      &pid, &error))
    g_error ("%s: %s", argv[0], error->message);
  if (wait4 (pid, &status, 0, &usage) != pid)
    g_error ("%s: wait4: %s", argv[0], g_strerror (errno));
  run.wall_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", argv[0], error->message);
  g_spawn_close_pid (pid);
  run.cpu_ms = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000.0
               + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1000.0;
  run.peak_mib = usage.ru_maxrss / 1024.0;
  return run;
}

BenchChildRun
bench_child_runs_median (const BenchChildRun *runs, guint n)
{
  g_autofree double *wall = g_new (double, n);
  g_autofree double *cpu = g_new (double, n);
  g_autofree double *peak = g_new (double, n);

  for (guint i = 0; i < n; i++)
    {
      wall[i] = runs[i].wall_ms;
      cpu[i] = runs[i].cpu_ms;
      peak[i] = runs[i].peak_mib;
    }
  return (BenchChildRun) { bench_median (wall, n), bench_median (cpu, n),
                           bench_median (peak, n) };
}
